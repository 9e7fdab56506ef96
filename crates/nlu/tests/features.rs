//! Every feature of the template format, matched end to end and snapshotted.
//!
//! The grammar is `tests/assets/features/`: two files, so rules defined in
//! one serve templates in the other. Each snapshot row is a sentence and what
//! hark made of it; review changes to the snapshot line by line.

use std::path::PathBuf;

use hark_nlu::grammar::ListValue;
use hark_nlu::{template, Grammar, Matcher};
use serde_json::{json, Value};

use crate::support::context_at;

fn matcher() -> Matcher {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/assets/features");
    let grammar = Grammar::load(&[dir]).unwrap_or_else(|e| panic!("{e}"));
    let mut matcher = Matcher::new(&grammar).unwrap();
    let device = |said: &str, out: &str, domain: &str| ListValue {
        input: template::parse(said).unwrap(),
        input_text: said.to_string(),
        output: json!(out),
        context: json!({ "domain": domain })
            .as_object()
            .cloned()
            .unwrap_or_default(),
    };
    matcher
        .set_list(
            "device",
            &[
                device("(tv|television)", "media_player.tv", "media_player"),
                device("movie scene", "scene.movie", "scene"),
            ],
        )
        .unwrap();
    matcher
}

fn table(matcher: &Matcher, sentences: &[&str], intent_context: &[(&str, &str)]) -> Vec<Value> {
    let mut context = context_at("2026-11-25T08:00:00+01:00[Europe/Paris]");
    for (k, v) in intent_context {
        context.intent_context.insert(k.to_string(), json!(v));
    }
    sentences
        .iter()
        .map(|text| match matcher.parse(text, &context) {
            None => json!({ "text": text, "intent": null }),
            Some(found) => json!({
                "text": text,
                "intent": found.intent.name,
                "slots": found.intent.slots,
                "raw": found.intent.raw,
                "confidence": found.intent.confidence,
            }),
        })
        .collect()
}

#[test]
fn template_features() {
    let m = matcher();
    let sentences = [
        "switch on the radio",
        "Turn on the radio!",
        "open garage",
        "open the garage door now",
        "open my garage now",
        "open the the garage",
        "count the sheeps in the daylight",
        "count the sheep in the day light",
        "count the sheepss in the daylight",
        "lock the front door quickly",
        "quickly lock the front door",
        "the front door quickly lock",
        "lock quickly",
        "hi hark",
        "good morning hark",
        "what is the battery level",
        "tell me our battery level",
        "say (hi)",
        "say hi",
        "good night",
        "lights off",
    ];
    insta::assert_json_snapshot!(table(&m, &sentences, &[]));
}

#[test]
fn slot_features() {
    let m = matcher();
    let sentences = [
        "set the mode to economy",
        "set the mode to eco",
        "set the mode to turbo",
        "set the mode to comfort",
        "set the mode to sport",
        "move to the boost position",
        "switch off the television",
        "switch off tv",
        "switch off the movie scene",
        "heat to 21 degrees",
        "heat to 21.5 degrees",
        "heat to twenty one degrees",
        "heat to 21.3 degrees",
        "heat to 31 degrees",
        "dim by 25%",
        "dim by 25 percent",
        "dim by 24 percent",
        "lower the volume by 3",
        "note that the plumber comes at noon for Alice and Bob",
        "note that to",
        "please hey hark switch on the radio please",
    ];
    insta::assert_json_snapshot!(table(&m, &sentences, &[]));
}

#[test]
fn entity_slots() {
    let m = matcher();
    let sentences = [
        "timer for five and a half minutes",
        "timer for an hour and 15 minutes",
        "timer for 90 seconds",
        "timer for half an hour",
        "timer for a while",
        "wake me up at 7:30",
        "wake me at half past seven in the evening",
        "wake me up at noon",
        "wake me up at quarter to eight",
        "wake me up at midnight",
        "wake me up at 25:00",
        "remind me in twenty minutes to call mum",
        "remind me tomorrow at 7 to water the plants",
        "remind me next tuesday at noon to pay rent",
        "what is on tomorrow",
        "what is on next friday",
        "what is on the 5th",
        "what is on december 3rd",
        "what is on this weekend",
        "what is on february 30th",
        "repeat every weekday",
        "repeat on mondays and wednesdays",
        "repeat every day at 7",
        "buy twenty five eggs",
        "buy a dozen eggs",
        "buy one and a half eggs",
        "play the third song",
        "play the 21st song",
    ];
    insta::assert_json_snapshot!(table(&m, &sentences, &[]));
}

#[test]
fn context_features() {
    let m = matcher();
    let sentences = ["lights off", "switch off the tv"];
    insta::assert_json_snapshot!(table(
        &m,
        &sentences,
        &[("area", "kitchen"), ("domain", "scene")]
    ));
}
