//! The Snips NLU benchmark's JSON format (Coucke et al. 2018, "Snips Voice Platform: an
//! embedded Spoken Language Understanding system for private-by-design voice interfaces",
//! data under CC BY 4.0).
//!
//! ```json
//! {"PlayMusic": [
//!   {"data": [{"text": "play "}, {"text": "jazz", "entity": "genre"}]},
//!   {"data": [{"text": "put on "}, {"text": "Miles", "entity": "artist", "slot_name": "who"}]}
//! ]}
//! ```
//!
//! A sentence is the concatenation of its chunks. A chunk with an `entity` is a slot, named
//! `slot_name` when given, else after the entity. The slot's span is the chunk trimmed of the
//! spaces around it: the benchmark's chunks sometimes carry a trailing space (`"in a year "`),
//! and its evaluation compares slot values after trimming, so hark does the same here, once.
//! Each entity type gets an open [`Entity`] with the values seen; a `snips/` built-in entity
//! that hark also has (`snips/number`) is read as hark's.
//!
//! Checks that concern one chunk or one sentence run while serde reads it, so the parser's
//! own line is the error's (the line of the chunk's closing brace): a slot of only spaces
//! could not be found by searching the text.

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::{invalid, Dataset, Entity, Entries, Example, Lines, SlotSpan};
use crate::entity::EntityKind;
use crate::grammar::Source;
use crate::Error;

/// A file: intents by name, each with its sentences.
type RawFile = Entries<Vec<Sentence>>;

/// A sentence, checked and put together from its chunks.
struct Sentence {
    text: String,
    /// Slot name, entity type and span of each slot.
    slots: Vec<(String, String, usize, usize)>,
}

#[derive(Deserialize)]
struct RawSentence {
    data: Vec<Chunk>,
}

/// A piece of a sentence's text, maybe a slot.
struct Chunk {
    text: String,
    /// The slot's name and entity type.
    slot: Option<(String, String)>,
}

#[derive(Deserialize)]
struct RawChunk {
    text: String,
    entity: Option<String>,
    slot_name: Option<String>,
}

impl TryFrom<RawChunk> for Chunk {
    type Error = String;

    fn try_from(raw: RawChunk) -> Result<Self, String> {
        let slot = match (raw.entity, raw.slot_name) {
            (None, None) => None,
            (None, Some(slot)) => {
                return Err(format!("the chunk of slot '{slot}' names no entity"));
            }
            (Some(entity), slot) => {
                let entity = hark_name(entity);
                let slot = slot.unwrap_or_else(|| entity.clone());
                if entity.trim().is_empty() || slot.trim().is_empty() {
                    return Err("a chunk's entity or slot name is empty".to_string());
                }
                if raw.text.trim().is_empty() {
                    return Err(format!(
                        "the chunk of slot '{slot}' has no text, only {:?}",
                        raw.text
                    ));
                }
                Some((slot, entity))
            }
        };
        Ok(Chunk {
            text: raw.text,
            slot,
        })
    }
}

impl TryFrom<RawSentence> for Sentence {
    type Error = String;

    fn try_from(raw: RawSentence) -> Result<Self, String> {
        let mut text = String::new();
        let mut slots = Vec::new();
        for chunk in raw.data {
            if let Some((slot, entity)) = chunk.slot {
                let start = text.len() + chunk.text.len() - chunk.text.trim_start().len();
                let end = text.len() + chunk.text.trim_end().len();
                slots.push((slot, entity, start, end));
            }
            text.push_str(&chunk.text);
        }
        if text.trim().is_empty() {
            return Err("a sentence has no text".to_string());
        }
        Ok(Sentence { text, slots })
    }
}

impl<'de> Deserialize<'de> for Sentence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        checked::<D, RawSentence, Sentence>(deserializer)
    }
}

impl<'de> Deserialize<'de> for Chunk {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        checked::<D, RawChunk, Chunk>(deserializer)
    }
}

/// Reads a mapping as `Raw`, then converts it to `T` while serde_json is still inside the
/// mapping, so that an error is placed at the mapping's closing brace. (serde's `try_from`
/// converts after the mapping is read; serde_json then places the error at the token after
/// it, often on the next line.)
fn checked<'de, D, Raw, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    Raw: Deserialize<'de>,
    T: TryFrom<Raw, Error = String>,
{
    struct CheckedVisitor<Raw, T>(PhantomData<(Raw, T)>);

    impl<'de, Raw, T> Visitor<'de> for CheckedVisitor<Raw, T>
    where
        Raw: Deserialize<'de>,
        T: TryFrom<Raw, Error = String>,
    {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let raw = Raw::deserialize(de::value::MapAccessDeserializer::new(map))?;
            T::try_from(raw).map_err(de::Error::custom)
        }
    }

    deserializer.deserialize_map(CheckedVisitor(PhantomData))
}

/// hark's name for an entity type: `snips/number` is hark's `number`; other names are kept.
fn hark_name(entity: String) -> String {
    match entity.strip_prefix("snips/") {
        Some(name) if EntityKind::from_name(name).is_some() => name.to_string(),
        _ => entity,
    }
}

/// Reads one file's text.
pub(super) fn parse(file: &Path, text: &str) -> Result<Dataset, Error> {
    let raw: RawFile = serde_json::from_str(text).map_err(|e| Error::Syntax {
        at: Source {
            file: file.to_owned(),
            line: Some(e.line()),
        },
        message: e.to_string(),
    })?;
    let lines = Lines::new(text);
    if raw.0.is_empty() {
        return Err(invalid(file, Some(1), "the file has no intents"));
    }
    let mut dataset = Dataset::default();
    for (intent, sentences) in raw.0 {
        if sentences.is_empty() {
            return Err(invalid(
                file,
                lines.key(&intent),
                &format!("intent {intent} has no examples"),
            ));
        }
        for sentence in sentences {
            let mut slots = Vec::with_capacity(sentence.slots.len());
            for (slot, entity, start, end) in sentence.slots {
                if EntityKind::from_name(&entity).is_none() {
                    dataset
                        .entities
                        .entry(entity.clone())
                        .or_insert_with(Entity::open)
                        .add(&[sentence.text[start..end].to_string()]);
                }
                slots.push(SlotSpan {
                    slot,
                    entity,
                    start,
                    end,
                });
            }
            dataset.examples.push(Example {
                intent: intent.clone(),
                text: sentence.text,
                slots,
            });
        }
    }
    Ok(dataset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Dataset, String> {
        super::super::parse(Path::new("train.json"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_text_slots_and_entities() {
        let dataset = read(
            r#"{"PlayMusic": [
                {"data": [{"text": "play "}, {"text": "jazz ", "entity": "genre"},
                          {"text": " by "}, {"text": "Miles", "entity": "artist", "slot_name": "who"},
                          {"text": ""}]},
                {"data": [{"text": "play "}, {"text": "five", "entity": "snips/number"},
                          {"text": " songs by "}, {"text": "Miles", "entity": "artist"}]}
            ]}"#,
        )
        .unwrap();
        let first = &dataset.examples[0];
        assert_eq!(first.intent, "PlayMusic");
        assert_eq!(first.text, "play jazz  by Miles");
        let slots: Vec<_> = first
            .slots
            .iter()
            .map(|s| (s.slot.as_str(), s.entity.as_str(), s.value(&first.text)))
            .collect();
        assert_eq!(
            slots,
            [("genre", "genre", "jazz"), ("who", "artist", "Miles")]
        );
        let second = &dataset.examples[1];
        assert_eq!(second.slots[0].entity, "number");
        assert_eq!(
            dataset.entities.keys().collect::<Vec<_>>(),
            ["artist", "genre"]
        );
        assert_eq!(dataset.entities["artist"].values, [["Miles"]]);
        assert!(dataset.entities["artist"].extensible);
    }

    #[test]
    fn refuses_bad_data_with_its_line() {
        let cases = [
            ("", "train.json:1: the file is empty"),
            ("{}", "train.json:1: the file has no intents"),
            (
                "{\n\"A\": [\n{\"data\": [{\"text\": \"x\"}]}],\n\"B\": []\n}",
                "train.json:4: intent B has no examples",
            ),
            (
                "{\"A\": [\n{\"data\": [\n{\"entity\": \"x\"}\n]}]}",
                "train.json:3: missing field `text`",
            ),
            (
                // serde_json says where the chunk ends: laid out as in the benchmark, its line.
                "{\"A\": [\n{\"data\": [\n{\"text\": \"a \"},\n{\"text\": \" \", \"entity\": \"x\"},\n\
                 {\"text\": \"b\"}]}]}",
                "train.json:4: the chunk of slot 'x' has no text, only \" \" at line 4",
            ),
            (
                "{\"A\": [\n{\"data\": [{\"text\": \"x\", \"slot_name\": \"s\"}]}]}",
                "train.json:2: the chunk of slot 's' names no entity",
            ),
            (
                "{\"A\": [\n{\"data\": [{\"text\": \" \"}]}\n]}",
                "train.json:2: a sentence has no text",
            ),
            ("{\"A\": [\n{\"data\": [}", "train.json:2: expected value"),
            (
                "{\"A\": [],\n\"A\": []}",
                "train.json:2: 'A' is written twice",
            ),
        ];
        for (text, expected) in cases {
            let error = read(text).unwrap_err();
            assert!(error.starts_with(expected), "{text:?}: {error}");
        }
    }
}
