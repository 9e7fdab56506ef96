//! Any text as a sentence template: parsing and compiling it must return
//! an error or a matcher, never panic, and the matcher must then survive
//! matching the template's own text.
#![no_main]

use std::path::Path;

use hark_nlu::{entity, Grammar, Matcher, ParseContext};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if hark_nlu::template::parse(text).is_err() {
        return;
    }
    let yaml = format!(
        "intents:\n  Fuzz:\n    data:\n      - sentences:\n          - {}\nlists:\n  w: {{wildcard: true}}\n  n: {{range: {{from: 1, to: 9}}}}\n  v: {{values: [a, b]}}\n",
        serde_quote(text)
    );
    let mut grammar = Grammar::default();
    if grammar.add_source(Path::new("fuzz.yaml"), &yaml).is_err() {
        return;
    }
    let Ok(matcher) = Matcher::new(&grammar) else { return };
    let now = "2026-11-25T08:00:00+01:00[Europe/Paris]".parse().expect("valid");
    let context = ParseContext::new(entity::Context { now });
    let _ = matcher.parse(text, &context);
});

/// A YAML double-quoted scalar.
fn serde_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
