//! hark's training data format: YAML, written by hand.
//!
//! ```yaml
//! intents:
//!   OrderPizza:
//!     examples:
//!       - order a [large](size) [margherita](pizza)
//!       - i want [two](count:number) [pepperoni](pizza) pizzas
//!       - a [small](size) [veggie](pizza:pizza) please
//! entities:
//!   pizza:
//!     extensible: true                   # the default
//!     values:
//!       - margherita
//!       - [pepperoni, pepperoni pizza]   # a value, then its synonyms
//!   size: [small, medium, large]         # short for `values:` with extensible: true
//! ```
//!
//! An example marks a slot as `[words](slot)` or `[words](slot:entity)`. The first form
//! makes the slot's entity type the slot's own name; the second names the type, so two slots
//! can share one (`from [Paris](origin:city) to [Rome](destination:city)`). A type is either
//! one of hark's built-in entity parsers ([`EntityKind`]: number, ordinal, duration, time,
//! date, datetime, recurrence) or a custom type, whose values are its `entities` entry's plus
//! every value an example gives a slot of that type.
//!
//! Who may use an undeclared type follows from what each form says. `[large](size)` says
//! only "a slot named size": a custom type `size` is created for it when no file declares
//! one, open, with the values the examples give. `[x](slot:entity)` says "a value of the type
//! `entity`", so that type must exist: declared under `entities` (in this file or another one
//! loaded with it), built in, or created by a `[..](entity)` slot somewhere. Otherwise the
//! name is a typo, and the example is refused.
//!
//! YAML reads `- [large](size) pizza` as a list, and cuts `- song #1` at the `#`: such an
//! example is quoted, or the examples are written as a block instead, one a line, where
//! nothing needs quoting:
//!
//! ```yaml
//! intents:
//!   PlayMusic:
//!     examples: |
//!       - [jazz](genre) please
//!       - play song #1 by [Nina Simone](artist)
//! ```
//!
//! `\[`, `\]`, `\(`, `\)` and `\\` write the character itself. A `[` always opens a slot, so
//! a `[` never closed, a `]` with no `[`, a `[words]` without `(slot)` after it, or a `(slot`
//! never closed is refused, as is a slot without words (`[](size)` or `[ ](size)`). The spaces
//! inside the brackets are not part of the value, and those around the sentence are dropped.
//!
//! A file may hold only `entities`, to share them between the files of a folder; a file with
//! neither intents nor entities, or an intent without examples, is refused.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{invalid, Dataset, Entity, Entries, Example, Lines, Parsed, Reference, SlotSpan};
use crate::entity::EntityKind;
use crate::grammar::Source;
use crate::Error;

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping with 'intents' and 'entities'"
)]
struct RawFile {
    #[serde(default)]
    intents: Option<Entries<Option<RawIntent>>>,
    #[serde(default)]
    entities: Option<Entries<RawEntity>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a mapping with 'examples'")]
struct RawIntent {
    #[serde(default)]
    examples: Examples,
}

/// An intent's examples: a list, or a block of text with one example a line.
#[derive(Default)]
struct Examples(Vec<String>);

impl<'de> Deserialize<'de> for Examples {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExamplesVisitor;

        impl<'de> Visitor<'de> for ExamplesVisitor {
            type Value = Examples;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of examples, or a block of them, one a line")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Examples, E> {
                Ok(Examples::default())
            }

            /// A block: each line not blank is an example, with or without a `- ` before it.
            fn visit_str<E: de::Error>(self, block: &str) -> Result<Examples, E> {
                let examples = block
                    .lines()
                    .map(|line| {
                        let line = line.trim();
                        match line.strip_prefix('-') {
                            Some(rest) if rest.is_empty() || rest.starts_with(' ') => rest.trim(),
                            _ => line,
                        }
                    })
                    .filter(|line| !line.is_empty())
                    .map(str::to_string)
                    .collect();
                Ok(Examples(examples))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Examples, A::Error> {
                let mut examples = Vec::new();
                while let Some(example) = seq.next_element::<Sentence>()? {
                    examples.push(example.0);
                }
                Ok(Examples(examples))
            }
        }

        deserializer.deserialize_any(ExamplesVisitor)
    }
}

/// One example of a list, as written.
struct Sentence(String);

impl<'de> Deserialize<'de> for Sentence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SentenceVisitor;

        impl Visitor<'_> for SentenceVisitor {
            type Value = Sentence;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // The likely mistake: YAML reads `- [a, b]` as a list, not a sentence.
                f.write_str("an example sentence (quote one that starts with '[')")
            }

            fn visit_str<E: de::Error>(self, sentence: &str) -> Result<Sentence, E> {
                if sentence.trim().is_empty() {
                    return Err(E::custom("an empty example"));
                }
                Ok(Sentence(sentence.to_string()))
            }
        }

        // A string: YAML's `- 42` or `- yes` are sentences too.
        deserializer.deserialize_string(SentenceVisitor)
    }
}

/// An entity type: a list of values (open), or a mapping with `values` and `extensible`.
struct RawEntity {
    values: Vec<Vec<String>>,
    extensible: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntityFields {
    #[serde(default)]
    values: Vec<RawValue>,
    extensible: Option<bool>,
}

impl<'de> Deserialize<'de> for RawEntity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntityVisitor;

        impl<'de> Visitor<'de> for EntityVisitor {
            type Value = RawEntity;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of values, or a mapping with 'values' and 'extensible'")
            }

            fn visit_unit<E: de::Error>(self) -> Result<RawEntity, E> {
                Ok(RawEntity {
                    values: Vec::new(),
                    extensible: true,
                })
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawEntity, A::Error> {
                let values: Vec<RawValue> =
                    Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(RawEntity {
                    values: values.into_iter().map(|v| v.0).collect(),
                    extensible: true,
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawEntity, A::Error> {
                let fields: RawEntityFields =
                    Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawEntity {
                    values: fields.values.into_iter().map(|v| v.0).collect(),
                    extensible: fields.extensible.unwrap_or(true),
                })
            }
        }

        deserializer.deserialize_any(EntityVisitor)
    }
}

/// An entity value, then its synonyms: a string, or a list of them.
struct RawValue(Vec<String>);

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = RawValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value, or a list of a value and its synonyms")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<RawValue, E> {
                Ok(RawValue(vec![phrase(value)?]))
            }

            // YAML reads `- 12` or `- true` as a number or a boolean: as a value, it is words.
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<RawValue, E> {
                self.visit_str(&value.to_string())
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<RawValue, E> {
                self.visit_str(&value.to_string())
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<RawValue, E> {
                self.visit_str(&value.to_string())
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<RawValue, E> {
                self.visit_str(&value.to_string())
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
                let mut phrases = Vec::new();
                while let Some(value) = seq.next_element::<String>()? {
                    phrases.push(phrase(&value)?);
                }
                if phrases.is_empty() {
                    return Err(de::Error::custom("an empty list where a value should be"));
                }
                Ok(RawValue(phrases))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

/// An entity value or synonym, trimmed; never empty.
fn phrase<E: de::Error>(value: &str) -> Result<String, E> {
    match value.trim() {
        "" => Err(E::custom("an empty entity value")),
        value => Ok(value.to_string()),
    }
}

/// Reads one file's text.
pub(super) fn parse(file: &Path, text: &str) -> Result<Parsed, Error> {
    let raw: Option<RawFile> = serde_yaml::from_str(text).map_err(|e| Error::Syntax {
        at: Source {
            file: file.to_owned(),
            line: e.location().map(|l| l.line()),
        },
        message: e.to_string(),
    })?;
    let lines = Lines::new(text);
    // A file of comments only is as empty as a file of nothing.
    let Some(raw) = raw else {
        return Err(invalid(file, Some(1), "the file is empty"));
    };
    let intents = raw.intents.map(|e| e.0).unwrap_or_default();
    let declared = raw.entities.map(|e| e.0).unwrap_or_default();
    if intents.is_empty() && declared.is_empty() {
        return Err(invalid(
            file,
            lines.key("intents").or(Some(1)),
            "the file has neither intents nor entities",
        ));
    }

    let mut dataset = Dataset::default();
    let at_key = |key: &str, message: String| invalid(file, lines.key(key), &message);
    for (name, raw) in declared {
        if EntityKind::from_name(&name).is_some() {
            let message = format!("entity type '{name}' is built in: name yours differently");
            return Err(at_key(&name, message));
        }
        check_name(&name, "an entity type's name").map_err(|m| at_key(&name, m))?;
        let mut entity = Entity {
            values: Vec::new(),
            extensible: raw.extensible,
        };
        for phrases in raw.values {
            entity.add(&phrases);
        }
        dataset.entities.insert(name, entity);
    }

    let mut annotated = Vec::new();
    for (intent, raw) in intents {
        check_name(&intent, "an intent's name").map_err(|m| at_key(&intent, m))?;
        let examples = raw.map(|r| r.examples.0).unwrap_or_default();
        if examples.is_empty() {
            return Err(at_key(&intent, format!("intent {intent} has no examples")));
        }
        for sentence in examples {
            let example = Annotated::parse(&sentence).map_err(|message| {
                invalid(
                    file,
                    lines.value(&sentence),
                    &format!("in \"{sentence}\": {message}"),
                )
            })?;
            // `[words](slot)` names a type of its own unless one exists.
            for mark in &example.marks {
                if mark.entity.is_none() && EntityKind::from_name(&mark.slot).is_none() {
                    dataset
                        .entities
                        .entry(mark.slot.clone())
                        .or_insert_with(Entity::open);
                }
            }
            annotated.push((intent.clone(), sentence, example));
        }
    }

    // Only now are all of this file's types known.
    let mut references = Vec::new();
    for (intent, sentence, example) in annotated {
        let mut slots = Vec::with_capacity(example.marks.len());
        for mark in example.marks {
            let entity = mark.entity.unwrap_or_else(|| mark.slot.clone());
            let value = example.text[mark.start..mark.end].to_string();
            let custom = EntityKind::from_name(&entity).is_none();
            match dataset.entities.get_mut(&entity) {
                Some(known) => known.add(&[value]),
                None if custom => references.push(Reference {
                    entity: entity.clone(),
                    value,
                    at: Source {
                        file: file.to_owned(),
                        line: lines.value(&sentence),
                    },
                }),
                None => {}
            }
            slots.push(SlotSpan {
                slot: mark.slot,
                entity,
                start: mark.start,
                end: mark.end,
            });
        }
        dataset.examples.push(Example {
            intent,
            text: example.text,
            slots,
        });
    }
    Ok(Parsed {
        dataset,
        references,
    })
}

/// A sentence read from its annotated form: the plain text, and where its slots are.
#[derive(Debug, PartialEq)]
struct Annotated {
    text: String,
    marks: Vec<Mark>,
}

/// One `[words](slot)` or `[words](slot:entity)`.
#[derive(Debug, PartialEq)]
struct Mark {
    slot: String,
    entity: Option<String>,
    /// The words' span in the plain text, trimmed.
    start: usize,
    end: usize,
}

impl Annotated {
    /// Reads `sentence`, or says what is wrong with it.
    fn parse(sentence: &str) -> Result<Annotated, String> {
        let mut text = String::with_capacity(sentence.len());
        let mut marks = Vec::new();
        // Where the open `[` is: its character's position (for messages) and the text's length.
        let mut open: Option<(usize, usize)> = None;
        let mut chars = sentence.chars().enumerate().peekable();
        while let Some((position, c)) = chars.next() {
            match c {
                '\\' => match chars.peek() {
                    Some(&(_, escaped @ ('[' | ']' | '(' | ')' | '\\'))) => {
                        text.push(escaped);
                        chars.next();
                    }
                    _ => text.push('\\'),
                },
                '[' => {
                    if let Some((opened, _)) = open {
                        return Err(format!(
                            "the '[' at character {} is inside the slot opened at character {} \
                             (write \\[ for a bracket)",
                            position + 1,
                            opened + 1
                        ));
                    }
                    open = Some((position, text.len()));
                }
                ']' => {
                    let Some((opened, from)) = open.take() else {
                        return Err(format!(
                            "the ']' at character {} closes no '[' (write \\] for a bracket)",
                            position + 1
                        ));
                    };
                    let words = &text[from..];
                    if chars.next().map(|(_, c)| c) != Some('(') {
                        return Err(format!(
                            "[{words}] needs its slot's name right after it: [{words}](slot)"
                        ));
                    }
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some((_, ')')) => break,
                            Some((_, c)) => name.push(c),
                            None => {
                                return Err(format!(
                                    "the '(' after [{words}] is never closed: [{words}]({name})"
                                ))
                            }
                        }
                    }
                    if words.trim().is_empty() {
                        return Err(format!(
                            "the slot at character {} has no words: [{words}]({name})",
                            opened + 1
                        ));
                    }
                    let (slot, entity) = match name.split_once(':') {
                        Some((slot, entity)) => {
                            check_name(entity, "the entity type's name")?;
                            (slot, Some(entity.to_string()))
                        }
                        None => (name.as_str(), None),
                    };
                    check_name(slot, "the slot's name")?;
                    marks.push(Mark {
                        slot: slot.to_string(),
                        entity,
                        start: from + words.len() - words.trim_start().len(),
                        end: from + words.trim_end().len(),
                    });
                }
                c => text.push(c),
            }
        }
        if let Some((opened, _)) = open {
            return Err(format!(
                "the '[' at character {} is never closed (write \\[ for a bracket)",
                opened + 1
            ));
        }
        let lead = text.len() - text.trim_start().len();
        text.truncate(text.trim_end().len());
        if text.is_empty() {
            return Err("the example is empty".to_string());
        }
        if lead > 0 {
            text.drain(..lead);
            for mark in &mut marks {
                mark.start -= lead;
                mark.end -= lead;
            }
        }
        Ok(Annotated { text, marks })
    }
}

/// Refuses a name that is empty or holds what the annotation syntax uses.
fn check_name(name: &str, what: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("{what} is empty"));
    }
    if name.contains(|c: char| c.is_whitespace() || "[]():".contains(c)) {
        return Err(format!(
            "{what} '{name}' holds a space, a bracket, a parenthesis or a colon"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain text and each slot as (slot, entity, value).
    fn annotated(sentence: &str) -> (String, Vec<(String, Option<String>, String)>) {
        let a = Annotated::parse(sentence).unwrap_or_else(|e| panic!("{sentence}: {e}"));
        let marks = a
            .marks
            .iter()
            .map(|m| {
                (
                    m.slot.clone(),
                    m.entity.clone(),
                    a.text[m.start..m.end].to_string(),
                )
            })
            .collect();
        (a.text, marks)
    }

    fn mark(slot: &str, entity: Option<&str>, value: &str) -> (String, Option<String>, String) {
        (slot.into(), entity.map(Into::into), value.into())
    }

    #[test]
    fn annotations() {
        assert_eq!(
            annotated("order a [large](size) [ margherita ](pizza:dish)"),
            (
                "order a large  margherita ".trim_end().to_string(),
                vec![
                    mark("size", None, "large"),
                    mark("pizza", Some("dish"), "margherita")
                ]
            )
        );
        assert_eq!(
            annotated(r"  \[beta\] \(new\) a\\b c\d [x\]y](s) "),
            (
                r"[beta] (new) a\b c\d x]y".to_string(),
                vec![mark("s", None, "x]y")]
            )
        );
        assert_eq!(
            annotated("[ten minutes](duration)"),
            (
                "ten minutes".to_string(),
                vec![mark("duration", None, "ten minutes")]
            )
        );
        assert_eq!(annotated("(fine) as is").1, vec![]);
    }

    #[test]
    fn bad_annotations() {
        let cases = [
            (
                "order a [large(size) pizza",
                "the '[' at character 9 is never closed",
            ),
            (
                "order a [large](size",
                "the '(' after [large] is never closed",
            ),
            (
                "order a [large] pizza",
                "[large] needs its slot's name right after it",
            ),
            (
                "order a large] pizza",
                "the ']' at character 14 closes no '['",
            ),
            (
                "a [b [c](d)](e)",
                "the '[' at character 6 is inside the slot",
            ),
            ("a [](size)", "the slot at character 3 has no words"),
            ("a [ ](size)", "the slot at character 3 has no words"),
            ("a [b]()", "the slot's name is empty"),
            ("a [b](:x)", "the slot's name is empty"),
            ("a [b](x:)", "the entity type's name is empty"),
            ("a [b](x y)", "the slot's name 'x y' holds a space"),
            ("a [b](x:y:z)", "the entity type's name 'y:z' holds"),
            ("   ", "the example is empty"),
        ];
        for (sentence, expected) in cases {
            let error = Annotated::parse(sentence).unwrap_err();
            assert!(error.starts_with(expected), "{sentence}: {error}");
        }
    }

    fn read(text: &str) -> Result<Dataset, String> {
        super::super::parse(Path::new("pizza.yaml"), text).map_err(|e| e.to_string())
    }

    const PIZZA: &str = "\
intents:
  OrderPizza:
    examples:
      - order a [large](size) [margherita](pizza)
      - i want [two](count:number) [pepperoni pizzas](pizza)
      - a [small](size) [calzone](pizza) in [ten minutes](duration)
  Cancel:
    examples: [cancel, '[never mind](phrase:regret)']
entities:
  pizza:
    extensible: false
    values:
      - margherita
      - [pepperoni, pepperoni pizzas]
  size: [small, medium, large]
  regret:
";

    #[test]
    fn reads_examples_and_entities() {
        let dataset = read(PIZZA).unwrap();
        assert_eq!(
            dataset.intents(),
            std::collections::BTreeSet::from(["Cancel", "OrderPizza"])
        );
        let texts: Vec<_> = dataset.examples.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "order a large margherita",
                "i want two pepperoni pizzas",
                "a small calzone in ten minutes",
                "cancel",
                "never mind",
            ]
        );
        let slots: Vec<_> = dataset.examples[1]
            .slots
            .iter()
            .map(|s| (s.slot.as_str(), s.entity.as_str(), s.value(texts[1])))
            .collect();
        assert_eq!(
            slots,
            [
                ("count", "number", "two"),
                ("pizza", "pizza", "pepperoni pizzas")
            ]
        );
        let pizza = &dataset.entities["pizza"];
        assert!(!pizza.extensible);
        // The examples' values join the declared ones, synonyms recognized.
        assert_eq!(
            pizza.values,
            [
                vec!["margherita"],
                vec!["pepperoni", "pepperoni pizzas"],
                vec!["calzone"]
            ]
        );
        assert_eq!(dataset.entities["size"].values.len(), 3);
        assert!(dataset.entities["size"].extensible);
        assert_eq!(dataset.entities["regret"].values, [["never mind"]]);
        assert_eq!(
            dataset.entities.keys().collect::<Vec<_>>(),
            ["pizza", "regret", "size"]
        );
    }

    #[test]
    fn a_plain_slot_makes_its_own_open_type_that_others_may_name() {
        let dataset = read(
            "intents:\n  Fly:\n    examples:\n      - to [Rome](city)\n      - from [Paris](origin:city)\n",
        )
        .unwrap();
        let city = &dataset.entities["city"];
        assert!(city.extensible);
        assert_eq!(city.values, [["Rome"], ["Paris"]]);
    }

    #[test]
    fn examples_as_a_block_need_no_quotes() {
        let dataset = read(
            "intents:\n  Play:\n    examples: |\n      - [jazz](genre) please\n\n      \
             play song #1: [loud](volume)\n",
        )
        .unwrap();
        let texts: Vec<_> = dataset.examples.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["jazz please", "play song #1: loud"]);
        let error =
            read("intents:\n  Play:\n    examples: |\n      - a\n      - [b(c)\n").unwrap_err();
        assert!(error.starts_with("pizza.yaml:5: in \"[b(c)\""), "{error}");
    }

    #[test]
    fn refuses_bad_data_with_its_line() {
        let cases = [
            ("", "pizza.yaml:1: the file is empty"),
            ("# nothing yet\n", "pizza.yaml:1: the file is empty"),
            (
                "intents: {}\n",
                "pizza.yaml:1: the file has neither intents nor entities",
            ),
            (
                "intents:\n  A:\n    examples: [a]\n  B:\n    examples: []\n",
                "pizza.yaml:4: intent B has no examples",
            ),
            ("intents:\n  A:\n", "pizza.yaml:2: intent A has no examples"),
            (
                "intents:\n  A:\n    examples:\n      - a [b](c) d\n      - order [large(size)\n",
                "pizza.yaml:5: in \"order [large(size)\": the '[' at character 7 is never closed",
            ),
            (
                "intents:\n  A:\n    examples:\n      - order [large](size\n",
                "pizza.yaml:4: in \"order [large](size\": the '(' after [large] is never closed",
            ),
            (
                "intents:\n  A:\n    examples:\n      - \"a [](size)\"\n",
                "pizza.yaml:4: in \"a [](size)\": the slot at character 3 has no words",
            ),
            (
                "intents:\n  A:\n    examples:\n      - a [b](s:size)\n      - a [b](s:sise)\n\
                 entities:\n  size: [b]\n",
                "pizza.yaml:5: unknown entity type 'sise'",
            ),
            (
                "intents:\n  A:\n    examples:\n      - a [b](number)\nentities:\n  number: [b]\n",
                "pizza.yaml:6: entity type 'number' is built in",
            ),
            (
                "entities:\n  size:\n    values: [small, '']\n",
                "pizza.yaml:3: entities.size.values[1]: an empty entity value",
            ),
            (
                "entities:\n  size:\n    values: [small, []]\n",
                "pizza.yaml:3: entities.size.values[1]: an empty list where a value should be",
            ),
            (
                "entities:\n  size:\n    extensible: maybe\n",
                "pizza.yaml:3: entities.size.extensible: invalid type",
            ),
            (
                "intents:\n  A:\n    exemples: [a]\n",
                "pizza.yaml:3: intents.A: unknown field `exemples`",
            ),
            ("intents:\n  A: [a\n", "pizza.yaml:"),
            (
                "intents:\n  A:\n    examples:\n      - a\n      - \n",
                "pizza.yaml:5: intents.A.examples[1]: an empty example",
            ),
            (
                "intents:\n  A:\n    examples:\n      - [large, small]\n",
                "pizza.yaml:4: intents.A.examples[0]: invalid type: sequence, expected an \
                 example sentence (quote one that starts with '[')",
            ),
            (
                "intents:\n  A:\n    examples:\n      - a\n      - [large](size) pizza\n",
                "pizza.yaml:5:",
            ),
            (
                "intents:\n  A:\n    examples: [a]\n  A:\n    examples: [b]\n",
                "pizza.yaml:",
            ),
        ];
        let mut wrong = Vec::new();
        for (text, expected) in cases {
            let error = read(text).unwrap_err();
            if !error.starts_with(expected) {
                wrong.push(format!("{text:?}: {error}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
