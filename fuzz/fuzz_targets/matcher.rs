//! Any bytes as a sentence, against hark's built-in English grammar: the
//! matcher must answer (an intent or none) without panicking or hanging.
#![no_main]

use std::sync::OnceLock;

use hark_nlu::{builtin, entity, Matcher, ParseContext};
use libfuzzer_sys::fuzz_target;

fn matcher() -> &'static (Matcher, ParseContext) {
    static MATCHER: OnceLock<(Matcher, ParseContext)> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let grammar = builtin::grammar("en").expect("built-in grammar loads");
        let now = "2026-03-29T01:30:00+01:00[Europe/Paris]".parse().expect("valid");
        (Matcher::new(&grammar).expect("compiles"), ParseContext::new(entity::Context { now }))
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (matcher, context) = matcher();
    let _ = matcher.parse(&text, context);
});
