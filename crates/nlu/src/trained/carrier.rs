//! A second opinion on a sentence the intent classifier turned down: the words around the
//! slots an intent's slot filler finds there.
//!
//! "Look up Three Fantastic Dances" is two carrier words and a title made of common words.
//! The intent classifier sees every word, and words it learned from the "none" sentences can
//! outweigh the two that matter; seventy examples cannot show it every title. With the slot
//! filler's spans replaced by their slot's name ("look up @object_name"), the sentence reads
//! like the intent's examples, and a sentence of no intent rarely does: the filler finds fewer
//! slots in it, and its carrier words are not the intent's.
//!
//! Each intent's slot filler has a carrier classifier: logistic regression over the words and
//! word pairs of sentences read this way, learned from the intent's examples against the
//! "none" sentences and the other intents' examples, all read through that intent's filler, as
//! when parsing. [`super::Model::parse`] asks it only when the intent classifier's best intent
//! falls short of [`super::MIN_CONFIDENCE`] or loses to none.

use super::data::SlotSpan;
use super::features::{feature, Sentence};

/// The features of a sentence whose slots are `spans`: its words outside them and a
/// placeholder for each slot, alone and in pairs, and the number of slots.
pub(crate) fn features(sentence: &Sentence<'_>, spans: &[SlotSpan]) -> Vec<u64> {
    // The sentence as read: each word outside the slots ("", word), each slot once ("@", slot).
    let mut read: Vec<(&str, &str)> = Vec::with_capacity(sentence.tokens.len() + 2);
    read.push(("", "<s>"));
    let mut last_span = None;
    for token in &sentence.tokens {
        match spans
            .iter()
            .position(|s| s.start < token.span.end && token.span.start < s.end)
        {
            Some(k) if last_span == Some(k) => {}
            Some(k) => {
                last_span = Some(k);
                read.push(("@", &spans[k].slot));
            }
            None => {
                last_span = None;
                read.push(("", &token.text));
            }
        }
    }
    read.push(("", "</s>"));
    let mut out = Vec::with_capacity(2 * read.len() + 2);
    out.push(feature(&["bias"]));
    out.push(feature(&["slots=", &spans.len().min(3).to_string()]));
    for (mark, w) in &read[1..read.len() - 1] {
        out.push(feature(&["w=", mark, w]));
    }
    for pair in read.windows(2) {
        let [(m1, w1), (m2, w2)] = pair else {
            unreachable!("windows of two")
        };
        out.push(feature(&["b=", m1, w1, "|", m2, w2]));
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spans of `values` (each a slot name and its words) in `text`.
    fn spans(text: &str, values: &[(&str, &str)]) -> Vec<SlotSpan> {
        values
            .iter()
            .map(|(slot, words)| {
                let start = text.find(words).unwrap();
                SlotSpan {
                    slot: (*slot).into(),
                    entity: (*slot).into(),
                    start,
                    end: start + words.len(),
                }
            })
            .collect()
    }

    fn read(text: &str, values: &[(&str, &str)]) -> Vec<u64> {
        features(&Sentence::new(text), &spans(text, values))
    }

    #[test]
    fn only_the_words_around_the_slots_count() {
        let dances = read(
            "Look up Three Fantastic Dances",
            &[("object_name", "Three Fantastic Dances")],
        );
        let moons = read("look up paper moons", &[("object_name", "paper moons")]);
        assert_eq!(dances, moons);
        // Other carrier words, another slot, or no slot read differently.
        assert_ne!(
            dances,
            read("search for paper moons", &[("object_name", "paper moons")])
        );
        assert_ne!(
            dances,
            read("look up paper moons", &[("album", "paper moons")])
        );
        assert_ne!(dances, read("look up paper moons", &[]));
    }

    #[test]
    fn a_slot_is_not_the_word_of_its_name() {
        // The slot "album" and the word "album" are different features.
        let slot = read("play nevermind", &[("album", "nevermind")]);
        let word = read("play album", &[]);
        let shared = slot.iter().filter(|f| word.contains(f)).count();
        // Only the bias and "play" with the sentence's start.
        assert_eq!(shared, 3, "{slot:?} {word:?}");
    }
}
