//! hark's intent engine.
//!
//! Sentence templates in Home Assistant's hassil format are parsed
//! ([`template`]), loaded from YAML folders or Home Assistant's merged JSON
//! ([`grammar`]), and compiled once into a word automaton shared by every
//! intent ([`matcher`]). Slots are filled from lists, number ranges, free-text
//! wildcards, or entity parsers ([`entity`]) that turn words into normalized
//! values against an injected clock.

#![deny(missing_docs)]

pub mod builtin;
mod compile;
pub mod entity;
mod error;
pub mod grammar;
pub mod jsgf;
pub mod lm;
pub mod matcher;
pub mod random;
pub mod template;
pub mod text;
pub mod trained;

pub use error::Error;
pub use grammar::Grammar;
pub use matcher::{Match, Matcher, ParseContext};
