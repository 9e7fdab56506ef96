//! Intents and slots learned from examples: the parser that runs when no template matches.
//!
//! A skill author describes a skill with example sentences, slots marked inline
//! (`book a table at [Chez Léon](restaurant)`), or with templates, from which examples are
//! sampled. [`data`] reads those datasets (hark's YAML, the Snips benchmark's JSON).

pub mod data;
pub mod eval;
pub mod from_grammar;
