//! Training data: annotated example sentences and the entity values they use.
//!
//! Read from hark's YAML format or the Snips benchmark's JSON format ([`load`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One annotated sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    /// The intent the sentence expresses.
    pub intent: String,
    /// The sentence as written, without the annotation marks.
    pub text: String,
    /// Its slots, in order of position, never overlapping.
    pub slots: Vec<SlotSpan>,
}

/// A slot of an [`Example`]: which words of its text fill which slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotSpan {
    /// The slot's name (`restaurant`).
    pub slot: String,
    /// The entity type of its values: a name in [`Dataset::entities`], or a built-in entity
    /// parser's name ([`crate::entity::EntityKind::name`], e.g. `duration`).
    pub entity: String,
    /// Byte offset in the text where the value starts (never at a space).
    pub start: usize,
    /// Byte offset just after the value (never after a space).
    pub end: usize,
}

impl SlotSpan {
    /// The slot's value in `text`.
    pub fn value<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// The values an entity type may take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Each value with its synonyms, the value itself first.
    pub values: Vec<Vec<String>>,
    /// Whether values outside the list are expected too (true unless a dataset says not).
    pub extensible: bool,
}

/// Examples of several intents, and the entity types they use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    /// The sentences.
    pub examples: Vec<Example>,
    /// Entity types by name.
    pub entities: BTreeMap<String, Entity>,
}
