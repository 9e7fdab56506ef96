//! Training data: annotated example sentences and the entity values they use.
//!
//! Two formats are read ([`load`]), chosen by the file's extension, and described in
//! `docs/training-data.md` (and, for their readers, in the private modules `yaml` and `snips`):
//!
//! - `.yaml` / `.yml`: hark's own format, where a skill author writes example sentences with
//!   their slots marked inline (`order a [large](size) pizza`) and lists the values of the
//!   entity types.
//! - `.json`: the Snips NLU benchmark's format, one JSON object mapping each intent to its
//!   sentences, each sentence a list of text chunks, some of them slots.
//!
//! A folder is read file by file, in sorted path order, and the files merged into one
//! [`Dataset`]. Slot entities may be declared in another file of the same load than the
//! examples that use them, so entity references are checked once everything is read.
//!
//! Bad data is refused, not skipped: a model trained on half a dataset without a word would
//! be worse than no model. Every refusal names the file and, as compilers do, the line. serde
//! knows the line only of what it could not parse; for the rest (an unknown entity, an intent
//! without examples) the line is found by looking for the offending text in the file.

mod snips;
mod yaml;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::entity::EntityKind;
use crate::grammar::Source;
use crate::Error;

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

impl Entity {
    /// An open entity type with no values yet.
    fn open() -> Self {
        Entity {
            values: Vec::new(),
            extensible: true,
        }
    }

    /// Adds a value and its synonyms. When one of them is already a value or a synonym, the
    /// others join that entry instead of starting a new one.
    fn add(&mut self, phrases: &[String]) {
        let existing = self
            .values
            .iter()
            .position(|entry| phrases.iter().any(|p| entry.contains(p)));
        match existing {
            Some(index) => {
                let entry = &mut self.values[index];
                for phrase in phrases {
                    if !entry.contains(phrase) {
                        entry.push(phrase.clone());
                    }
                }
            }
            None => self.values.push(phrases.to_vec()),
        }
    }
}

/// Examples of several intents, and the entity types they use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    /// The sentences.
    pub examples: Vec<Example>,
    /// Entity types by name.
    pub entities: BTreeMap<String, Entity>,
}

impl Dataset {
    /// Adds another dataset's examples after this one's. Entity types of the same name become
    /// one, with the values of both; it is extensible only if both were, so a file that closes
    /// an entity's list is not overruled by examples elsewhere that merely use it.
    pub fn merge(&mut self, other: Dataset) {
        self.examples.extend(other.examples);
        for (name, entity) in other.entities {
            match self.entities.get_mut(&name) {
                Some(mine) => {
                    mine.extensible &= entity.extensible;
                    for phrases in &entity.values {
                        mine.add(phrases);
                    }
                }
                None => {
                    self.entities.insert(name, entity);
                }
            }
        }
    }

    /// The names of the intents that have examples.
    pub fn intents(&self) -> BTreeSet<&str> {
        self.examples.iter().map(|e| e.intent.as_str()).collect()
    }

    /// Keeps only the examples of the intents `keep` accepts, and drops the entity types that
    /// only the other intents' examples used (a type no example used stays).
    pub fn retain_intents(&mut self, mut keep: impl FnMut(&str) -> bool) {
        let used_before = self.used_entities();
        self.examples.retain(|e| keep(&e.intent));
        let used_after = self.used_entities();
        self.entities
            .retain(|name, _| used_after.contains(name) || !used_before.contains(name));
    }

    fn used_entities(&self) -> HashSet<String> {
        self.examples
            .iter()
            .flat_map(|e| e.slots.iter().map(|s| s.entity.clone()))
            .collect()
    }

    /// Adds the values of slots whose entity type another file declares, and refuses the first
    /// whose type no file declares.
    fn resolve(&mut self, references: Vec<Reference>) -> Result<(), Error> {
        for reference in references {
            let Some(entity) = self.entities.get_mut(&reference.entity) else {
                return Err(Error::Invalid {
                    at: reference.at,
                    message: format!(
                        "unknown entity type '{}': declare it under 'entities', or use a \
                         built-in one ({})",
                        reference.entity,
                        builtin_names()
                    ),
                });
            };
            entity.add(&[reference.value]);
        }
        Ok(())
    }
}

/// A slot whose entity type its own file does not declare: another file may.
struct Reference {
    /// The entity type's name.
    entity: String,
    /// The slot's value, to add to the type's values once found.
    value: String,
    /// The example's place.
    at: Source,
}

/// One file read: its data, and the entity types it refers to but does not declare.
struct Parsed {
    dataset: Dataset,
    references: Vec<Reference>,
}

/// Reads a dataset from a file (`.json` in the Snips format, `.yaml` or `.yml` in hark's) or
/// from every such file in a folder and the folders below it.
pub fn load(path: &Path) -> Result<Dataset, Error> {
    load_all(&[path])
}

/// Reads and merges datasets from several files or folders, in the order given.
pub fn load_all(paths: &[impl AsRef<Path>]) -> Result<Dataset, Error> {
    let mut dataset = Dataset::default();
    let mut references = Vec::new();
    for path in paths {
        for file in data_files(path.as_ref())? {
            let text = read_file(&file)?;
            let parsed = parse_file(&file, &text)?;
            dataset.merge(parsed.dataset);
            references.extend(parsed.references);
        }
    }
    dataset.resolve(references)?;
    Ok(dataset)
}

/// Reads a dataset from one file's text. `file` names it in errors, and its extension says
/// the format, as for [`load`].
pub fn parse(file: &Path, text: &str) -> Result<Dataset, Error> {
    let mut parsed = parse_file(file, text)?;
    parsed.dataset.resolve(parsed.references)?;
    Ok(parsed.dataset)
}

fn parse_file(file: &Path, text: &str) -> Result<Parsed, Error> {
    let Some(format) = Format::of(file) else {
        return Err(invalid(
            file,
            None,
            "unknown training data format: the file's name should end in .json (Snips) or \
             .yaml (hark)",
        ));
    };
    if text.trim().is_empty() {
        return Err(invalid(file, Some(1), "the file is empty"));
    }
    match format {
        Format::Snips => snips::parse(file, text).map(|dataset| Parsed {
            dataset,
            references: Vec::new(),
        }),
        Format::Yaml => yaml::parse(file, text),
    }
}

/// The formats, told apart by the file's extension.
enum Format {
    Snips,
    Yaml,
}

impl Format {
    fn of(file: &Path) -> Option<Format> {
        match file.extension()?.to_str()? {
            "json" => Some(Format::Snips),
            "yaml" | "yml" => Some(Format::Yaml),
            _ => None,
        }
    }
}

/// The data files at `path`: the file itself, or those in the folder and below it, sorted.
fn data_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    crate::grammar::yaml_and_json_files(
        path,
        "no .json, .yaml or .yml training data in this folder",
    )
}

fn read_file(path: &Path) -> Result<String, Error> {
    Ok(decode(crate::grammar::read_bytes(path)?))
}

/// A file's bytes as text. Files should be UTF-8, but datasets gathered from the web are not
/// always: the Snips benchmark's `train_PlayMusic_full.json` writes one emoji as a UTF-16
/// surrogate pair, each half encoded on its own (CESU-8, as Java and old Pythons do). Such a
/// pair is read as the character it stands for, and any other byte that is not UTF-8 as
/// Latin-1, so that one stray byte costs a character, not the file.
fn decode(bytes: Vec<u8>) -> String {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return text,
        Err(e) => e.into_bytes(),
    };
    let mut text = String::with_capacity(bytes.len());
    let mut rest = &bytes[..];
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                return text;
            }
            Err(e) => {
                let (valid, invalid) = rest.split_at(e.valid_up_to());
                text.push_str(std::str::from_utf8(valid).expect("valid up to here"));
                match surrogate_pair(invalid) {
                    Some(c) => {
                        text.push(c);
                        rest = &invalid[6..];
                    }
                    None => {
                        text.push(char::from(invalid[0]));
                        rest = &invalid[1..];
                    }
                }
            }
        }
    }
}

/// The character that a CESU-8 surrogate pair at the start of `bytes` encodes.
fn surrogate_pair(bytes: &[u8]) -> Option<char> {
    let half = |b: &[u8], range: std::ops::RangeInclusive<u8>| {
        (b[0] == 0xED && range.contains(&b[1]) && (0x80..=0xBF).contains(&b[2]))
            .then(|| 0xD000 | (u32::from(b[1] & 0x3F) << 6) | u32::from(b[2] & 0x3F))
    };
    let (high, low) = bytes.get(..6)?.split_at(3);
    let high = half(high, 0xA0..=0xAF)?;
    let low = half(low, 0xB0..=0xBF)?;
    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
}

/// The built-in entity types' names, for messages.
fn builtin_names() -> String {
    EntityKind::ALL
        .iter()
        .map(|k| k.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn invalid(file: &Path, line: Option<usize>, message: &str) -> Error {
    Error::Invalid {
        at: Source {
            file: file.to_owned(),
            line,
        },
        message: message.to_string(),
    }
}

/// Where things are written in a file's text.
///
/// serde says where a file could not be parsed, but not where a value it parsed was, so a
/// value found wrong afterwards is looked for in the text.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The 1-based line of the byte at `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// The line where `value` is first written as a whole value: a list item, a mapping's
    /// value or a quoted string, not part of a longer sentence. It is looked for as written,
    /// then as JSON and single-quoted YAML escape it; failing all, anywhere.
    fn value(&self, value: &str) -> Option<usize> {
        if value.is_empty() {
            return None;
        }
        let json = serde_json::to_string(value).ok()?;
        let spellings = [
            value.to_string(),
            json.trim_matches('"').to_string(),
            value.replace('\'', "''"),
        ];
        let whole = spellings.iter().find_map(|spelling| {
            self.text
                .match_indices(spelling.as_str())
                .map(|(at, _)| at)
                .find(|&at| self.stands_alone(at, at + spelling.len()))
        });
        let anywhere = || spellings.iter().find_map(|s| self.text.find(s.as_str()));
        whole.or_else(anywhere).map(|at| self.line_of(at))
    }

    /// Whether the text from `start` to `end` is a whole value on its line.
    fn stands_alone(&self, start: usize, end: usize) -> bool {
        let line_start = self.starts[self.line_of(start) - 1];
        let line_end = self.text[end..]
            .find('\n')
            .map_or(self.text.len(), |i| end + i);
        let before = self.text[line_start..start].trim_end();
        let after = self.text[end..line_end].trim_start();
        (before.is_empty() || before.ends_with(['-', ':', '"', '\'', '[', ',', '{']))
            && (after.is_empty() || after.starts_with(['"', '\'', '#', ',', ']', '}']))
    }

    /// The line where `key` is first written as a mapping's key, plain or quoted.
    fn key(&self, key: &str) -> Option<usize> {
        let spellings = [
            format!("{key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
            format!("\"{key}\" :"),
        ];
        self.text
            .lines()
            .position(|line| {
                let line = line
                    .trim_start()
                    .trim_start_matches(['{', ','])
                    .trim_start();
                spellings.iter().any(|s| line.starts_with(s.as_str()))
            })
            .map(|index| index + 1)
    }
}

/// A mapping's entries in the order the file writes them (a `BTreeMap` would sort them, and
/// would keep only the last of two entries with the same key; this refuses the second).
struct Entries<T>(Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
            type Value = Entries<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut keys = HashSet::new();
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !keys.insert(key.clone()) {
                        return Err(de::Error::custom(format!("'{key}' is written twice")));
                    }
                    entries.push((key, map.next_value()?));
                }
                Ok(Entries(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(values: &[&[&str]], extensible: bool) -> Entity {
        Entity {
            values: values
                .iter()
                .map(|v| v.iter().map(|s| s.to_string()).collect())
                .collect(),
            extensible,
        }
    }

    fn example(intent: &str, entity: &str) -> Example {
        Example {
            intent: intent.to_string(),
            text: "x".to_string(),
            slots: vec![SlotSpan {
                slot: entity.to_string(),
                entity: entity.to_string(),
                start: 0,
                end: 1,
            }],
        }
    }

    #[test]
    fn merge_unites_entity_values_and_closes_if_either_is_closed() {
        let mut a = Dataset {
            examples: vec![example("A", "pizza")],
            entities: BTreeMap::from([("pizza".to_string(), entity(&[&["margherita"]], true))]),
        };
        let b = Dataset {
            examples: vec![example("B", "pizza")],
            entities: BTreeMap::from([
                (
                    "pizza".to_string(),
                    entity(
                        &[&["pepperoni", "pepperoni pizza"], &["margherita", "plain"]],
                        false,
                    ),
                ),
                ("size".to_string(), entity(&[&["large"]], true)),
            ]),
        };
        a.merge(b);
        assert_eq!(a.examples.len(), 2);
        assert_eq!(
            a.entities["pizza"],
            entity(
                &[&["margherita", "plain"], &["pepperoni", "pepperoni pizza"]],
                false
            )
        );
        assert_eq!(a.entities["size"], entity(&[&["large"]], true));
    }

    #[test]
    fn retain_intents_drops_their_entities_only() {
        let mut dataset = Dataset {
            examples: vec![example("A", "pizza"), example("B", "size")],
            entities: ["pizza", "size", "unused"]
                .into_iter()
                .map(|name| (name.to_string(), Entity::open()))
                .collect(),
        };
        assert_eq!(dataset.intents(), BTreeSet::from(["A", "B"]));
        dataset.retain_intents(|intent| intent == "A");
        assert_eq!(dataset.intents(), BTreeSet::from(["A"]));
        assert_eq!(
            dataset.entities.keys().collect::<Vec<_>>(),
            ["pizza", "unused"]
        );
    }

    #[test]
    fn decode_reads_utf8_cesu8_pairs_and_latin1() {
        assert_eq!(decode("Noctámbulo".into()), "Noctámbulo");
        // 🍕 as the Snips PlayMusic file writes it, beside proper UTF-8.
        let cesu = b"Perfection \xed\xa0\xbc\xed\xbd\x95 \xc3\xa9".to_vec();
        assert_eq!(decode(cesu), "Perfection 🍕 é");
        assert_eq!(decode(b"caf\xe9 \xed\xa0".to_vec()), "café í\u{a0}");
    }

    #[test]
    fn lines_find_whole_values_and_keys() {
        let text = "a:\n  - play [jazz](genre) now\n  - \"[jazz](genre\"\n  - it's\n'b': 1\n";
        let lines = Lines::new(text);
        assert_eq!(lines.value("[jazz](genre"), Some(3));
        assert_eq!(lines.value("play [jazz](genre) now"), Some(2));
        assert_eq!(lines.value("jazz"), Some(2));
        assert_eq!(lines.value("nowhere"), None);
        assert_eq!(lines.key("a"), Some(1));
        assert_eq!(lines.key("b"), Some(5));
        assert_eq!(lines.key("c"), None);
    }
}
