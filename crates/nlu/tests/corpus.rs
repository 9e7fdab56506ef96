//! hark's English grammar against its corpus of expected parses.
//!
//! `tests/corpus/en.yaml` lists sentences people say, each with the intent
//! and every slot a user would expect, at a fixed instant. All failures are
//! reported together, so a grammar change shows its whole effect at once.

use std::path::PathBuf;

use hark_nlu::{builtin, Matcher};
use serde::Deserialize;
use serde_json::Value;

use crate::support::context_at;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    now: String,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    intent: Option<String>,
    #[serde(default)]
    slots: serde_json::Map<String, Value>,
}

/// Slot values compare exactly, except text, which compares ignoring case
/// (wildcards keep the speaker's capitals) and numbers, compared as numbers.
fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::String(e), Value::String(a)) => e.to_lowercase() == a.to_lowercase(),
        (Value::Number(e), Value::Number(a)) => e.as_f64() == a.as_f64(),
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len() && e.iter().all(|(k, v)| a.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(e), Value::Array(a)) => e.len() == a.len() && e.iter().zip(a).all(|(v, w)| same(v, w)),
        (e, a) => e == a,
    }
}

#[test]
fn english_corpus() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/en.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let corpus: Corpus = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(corpus.tests.len() >= 250, "the corpus shrank to {} cases", corpus.tests.len());
    let matcher = Matcher::new(&builtin::grammar("en").unwrap_or_else(|e| panic!("{e}"))).unwrap();
    let context = context_at(&corpus.now);
    let mut failures = Vec::new();
    for case in &corpus.tests {
        let found = matcher.parse(&case.text, &context);
        let ok = match (&case.intent, &found) {
            (None, None) => true,
            (Some(name), Some(found)) => {
                let slots: serde_json::Map<String, Value> =
                    found.intent.slots.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
                found.intent.name.as_str() == name && same(&Value::Object(case.slots.clone()), &Value::Object(slots))
            }
            _ => false,
        };
        if !ok {
            let got = found.map_or("null".to_string(), |f| {
                format!("{} {}", f.intent.name, serde_json::to_string(&f.intent.slots).unwrap_or_default())
            });
            failures.push(format!(
                "  {:?}\n    expected {} {}\n    got      {got}",
                case.text,
                case.intent.as_deref().unwrap_or("null"),
                Value::Object(case.slots.clone())
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus sentences parse wrong:\n{}",
        failures.len(),
        corpus.tests.len(),
        failures.join("\n")
    );
}
