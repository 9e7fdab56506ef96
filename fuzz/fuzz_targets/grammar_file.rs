//! Any text as a grammar file, YAML or JSON: loading and compiling it must
//! give an error or a matcher, never a panic.
#![no_main]

use std::path::Path;

use hark_nlu::{Grammar, Matcher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for name in ["fuzz.yaml", "fuzz.json"] {
        let mut grammar = Grammar::default();
        if grammar.add_source(Path::new(name), text).is_ok() {
            let _ = Matcher::new(&grammar);
        }
    }
});
