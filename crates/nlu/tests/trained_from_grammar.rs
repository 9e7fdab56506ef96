//! Training examples sampled from hark's English grammar, read back by the template matcher.
//!
//! Every sampled sentence is one its intent's templates say, so the matcher should give back
//! that intent, with each slot's words where the sample put them. Not quite all do: where the
//! templates of two intents say the same words, or a wildcard could end in two places, the
//! matcher's ranking picks one reading. Every miss is printed, and only a few may miss.

use std::collections::BTreeMap;

use hark_nlu::entity::{self, EntityKind};
use hark_nlu::trained::from_grammar;
use hark_nlu::{builtin, text, Grammar, Matcher};

use crate::support::context_at;

const NOW: &str = "2026-11-25T08:00:00+01:00[Europe/Paris]";

fn english() -> Grammar {
    builtin::grammar("en").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn english_samples_parse_back_to_their_intent_and_slots() {
    let grammar = english();
    let examples = from_grammar::examples(&grammar, 40, 1);
    for intent in grammar.intents.keys() {
        let count = examples.iter().filter(|e| e.intent == *intent).count();
        assert!(count >= 5, "{intent} has {count} examples");
    }

    let matcher = Matcher::new(&grammar).unwrap();
    let context = context_at(NOW);
    let mut wrong_intent = Vec::new();
    let mut wrong_slots = Vec::new();
    for example in &examples {
        let said: BTreeMap<&str, &str> = example
            .slots
            .iter()
            .map(|s| (s.slot.as_str(), s.value(&example.text)))
            .collect();
        for slot in &example.slots {
            if let Some(kind) = EntityKind::from_name(&slot.entity) {
                let words = text::words(slot.value(&example.text));
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                assert!(
                    entity::parse(kind, &words, &context.entities).is_some(),
                    "{:?} is no {}",
                    slot.value(&example.text),
                    kind.name()
                );
            }
        }
        let Some(found) = matcher.parse(&example.text, &context) else {
            wrong_intent.push(format!(
                "{}: {:?} matches nothing",
                example.intent, example.text
            ));
            continue;
        };
        if found.intent.name.as_str() != example.intent {
            wrong_intent.push(format!(
                "{}: {:?} is {}",
                example.intent, example.text, found.intent.name
            ));
            continue;
        }
        let raw: BTreeMap<&str, &str> = found
            .intent
            .raw
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if raw != said {
            wrong_slots.push(format!(
                "{:?}: sampled {said:?}, matched {raw:?}",
                example.text
            ));
        }
    }
    for miss in wrong_intent.iter().chain(&wrong_slots) {
        println!("{miss}");
    }
    println!(
        "{} examples: {} with another intent, {} with other slots",
        examples.len(),
        wrong_intent.len(),
        wrong_slots.len()
    );
    // 2% of each.
    let allowed = examples.len() / 50;
    assert!(
        wrong_intent.len() <= allowed && wrong_slots.len() <= allowed,
        "{} with another intent, {} with other slots, of {}; at most {allowed} each",
        wrong_intent.len(),
        wrong_slots.len(),
        examples.len()
    );
}

#[test]
fn english_dataset_is_deterministic_and_names_its_entities() {
    let grammar = english();
    let dataset = from_grammar::dataset(&grammar, 30, 9);
    assert_eq!(dataset, from_grammar::dataset(&grammar, 30, 9));
    for example in &dataset.examples {
        for slot in &example.slots {
            let known = dataset.entities.contains_key(&slot.entity)
                || EntityKind::from_name(&slot.entity).is_some();
            assert!(known, "{} of {:?}", slot.entity, example.text);
        }
    }
    // A closed list with its spoken forms, a wildcard open to anything.
    let gear = &dataset.entities["weather_gear"];
    assert!(!gear.extensible);
    assert_eq!(gear.values[0][0], "rain");
    assert!(gear.values[0].contains(&"umbrella".to_string()));
    assert!(dataset.entities["list_item"].extensible);
}
