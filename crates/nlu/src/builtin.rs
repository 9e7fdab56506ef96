//! hark's own grammars, built into the library.
//!
//! The YAML files under `crates/nlu/grammar/<language>/` are embedded at build
//! time, so the binary needs no data folder to understand its built-in skills.
//! They load through the same code as any user grammar.

use std::path::Path;

use crate::{Error, Grammar};

/// The embedded grammar files: (path below `grammar/`, contents).
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_grammar.rs"));

/// The languages hark has a built-in grammar for.
pub fn languages() -> Vec<&'static str> {
    let mut langs: Vec<&str> = FILES
        .iter()
        .filter_map(|(path, _)| path.split('/').next())
        .collect();
    langs.dedup();
    langs
}

/// The built-in grammar of `language` (such as `en`).
pub fn grammar(language: &str) -> Result<Grammar, Error> {
    let prefix = format!("{language}/");
    let mut grammar = Grammar::default();
    let mut found = false;
    for (path, text) in FILES.iter().filter(|(p, _)| p.starts_with(&prefix)) {
        found = true;
        grammar.add_source(&Path::new("<built-in>").join(path), text)?;
    }
    if !found {
        return Err(Error::Invalid {
            at: Default::default(),
            message: format!(
                "no built-in grammar for language '{language}' (built-in: {})",
                languages().join(", ")
            ),
        });
    }
    grammar.check()?;
    Ok(grammar)
}
