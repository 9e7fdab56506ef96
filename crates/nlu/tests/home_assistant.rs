//! Home Assistant's own English sentence library, loaded unchanged from its
//! PyPI package, parses the sentences people say to it.

use std::path::Path;

use hark_nlu::grammar::ListValue;
use hark_nlu::template;
use hark_nlu::{Grammar, Matcher};
use serde_json::{json, Map, Value};

use crate::support::{context_at, home_assistant_english};

/// Home Assistant's grammar plus the names a home would have: a todo list,
/// a light, a weather entity and some areas, as Home Assistant fills them in.
fn matcher() -> Matcher {
    let path = home_assistant_english();
    let grammar = Grammar::load(&[&path]).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        grammar.template_count() > 500,
        "{} templates",
        grammar.template_count()
    );
    let mut matcher = Matcher::new(&grammar).unwrap();
    let entity = |name: &str, domain: &str| ListValue {
        input: template::Expr::Text(name.to_string()),
        input_text: name.to_string(),
        output: json!(name),
        context: json!({ "domain": domain })
            .as_object()
            .cloned()
            .unwrap_or_default(),
    };
    matcher
        .set_list(
            "name",
            &[
                entity("groceries", "todo"),
                entity("kitchen light", "light"),
                entity("forecast home", "weather"),
            ],
        )
        .unwrap();
    let area = |name: &str| ListValue {
        input: template::Expr::Text(name.to_string()),
        input_text: name.to_string(),
        output: json!(name),
        context: Map::new(),
    };
    matcher
        .set_list("area", &[area("kitchen"), area("living room")])
        .unwrap();
    matcher
}

fn parse(matcher: &Matcher, text: &str) -> Value {
    let context = context_at("2026-11-25T08:00:00+01:00[Europe/Paris]");
    match matcher.parse(text, &context) {
        None => Value::Null,
        Some(found) => json!({ "intent": found.intent.name, "slots": found.intent.slots }),
    }
}

#[test]
fn timers() {
    let m = matcher();
    let cases = [
        (
            "set a timer for 5 minutes",
            json!({"intent": "HassStartTimer", "slots": {"minutes": 5}}),
        ),
        (
            "Set a timer for 1 hour and 30 minutes.",
            json!({"intent": "HassStartTimer", "slots": {"hours": 1, "minutes": 30}}),
        ),
        (
            "start a 10 minute timer",
            json!({"intent": "HassStartTimer", "slots": {"minutes": 10}}),
        ),
        (
            "cancel my timer",
            json!({"intent": "HassCancelTimer", "slots": {}}),
        ),
        (
            "cancel all timers",
            json!({"intent": "HassCancelAllTimers", "slots": {}}),
        ),
        (
            "pause the timer",
            json!({"intent": "HassPauseTimer", "slots": {}}),
        ),
        (
            "resume my timer",
            json!({"intent": "HassUnpauseTimer", "slots": {}}),
        ),
        (
            "how much time is left on my timer",
            json!({"intent": "HassTimerStatus", "slots": {}}),
        ),
        (
            "add 5 minutes to my timer",
            json!({"intent": "HassIncreaseTimer", "slots": {"minutes": 5}}),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(&m, text), expected, "{text}");
    }
}

#[test]
fn weather() {
    let m = matcher();
    assert_eq!(
        parse(&m, "what's the weather"),
        json!({"intent": "HassGetWeather", "slots": {}})
    );
    assert_eq!(
        parse(&m, "What is the weather like?"),
        json!({"intent": "HassGetWeather", "slots": {}})
    );
    assert_eq!(
        parse(&m, "what's the weather like in forecast home"),
        json!({"intent": "HassGetWeather", "slots": {"name": "forecast home"}})
    );
    // A light is not a weather entity: requires_context keeps it out.
    assert_eq!(
        parse(&m, "what's the weather like in kitchen light"),
        Value::Null
    );
}

#[test]
fn lists() {
    let m = matcher();
    assert_eq!(
        parse(&m, "add milk to my shopping list"),
        json!({"intent": "HassShoppingListAddItem", "slots": {"item": "milk"}})
    );
    assert_eq!(
        parse(&m, "Add eggs and bread to the groceries list"),
        json!({"intent": "HassListAddItem", "slots": {"item": "eggs and bread", "name": "groceries"}})
    );
    // The kitchen light is no todo list.
    assert_ne!(
        parse(&m, "add milk to the kitchen light list")["intent"],
        "HassListAddItem"
    );
}

#[test]
fn clock_and_out_of_domain() {
    let m = matcher();
    assert_eq!(
        parse(&m, "what time is it"),
        json!({"intent": "HassGetCurrentTime", "slots": {}})
    );
    assert_eq!(
        parse(&m, "what's the date"),
        json!({"intent": "HassGetCurrentDate", "slots": {}})
    );
    assert_eq!(parse(&m, "how tall is mount everest"), Value::Null);
}

#[test]
fn loading_reports_where_a_broken_copy_is_broken() {
    let text = std::fs::read_to_string(home_assistant_english()).unwrap();
    // Open a group in the first sentence that is never closed.
    let list = text
        .find("\"sentences\": [")
        .expect("the package's JSON has sentences");
    let quote = list + text[list + 14..].find('"').expect("a first sentence") + 14;
    let mut broken = text.clone();
    broken.insert(quote + 1, '(');
    let line = text[..quote].matches('\n').count() + 1;
    let mut g = Grammar::default();
    let err = g
        .add_source(Path::new("en.json"), &broken)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!("en.json:{line}:")) && err.contains("never closed"),
        "{err}"
    );
}
