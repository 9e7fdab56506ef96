//! Intents and slots learned from examples: the parser that runs when no template matches.
//!
//! A skill author describes a skill with example sentences, slots marked inline
//! (`book a table at [Chez Léon](restaurant)`), or with templates, from which examples are
//! sampled. [`data`] reads those datasets (hark's YAML, the Snips benchmark's JSON).
//!
//! [`Model::train`] learns, as the Snips NLU engine did:
//! * an **intent classifier**: logistic regression over the sentence's words, word pairs,
//!   character n-grams and known entity values, with a "none" class learned from sentences of
//!   no intent ([`negatives`]), so the model says when nothing matches;
//! * a **slot filler per intent**: a linear-chain CRF over BIO labels with word, context,
//!   shape, affix and gazetteer features ([`features`]), how an English word list writes each
//!   word ([`lexicon`]) and WordNet's coarse sense of it ([`senses`]), which reach words no
//!   example had;
//! * for each slot filler, a **carrier classifier** that reads a sentence with the slots the
//!   filler finds replaced by their names ([`carrier`]): asked only when the intent classifier
//!   turns a sentence down, it takes "look up Three Fantastic Dances" for a search whose title
//!   is made of common words.
//!
//! Slot values are normalized by hark's entity parsers when the slot's entity is a built-in
//! one (`duration`, `datetime`...), and to the canonical value when the words are a value or
//! synonym of the dataset's entity list. Training is deterministic: the same data and
//! options give the same model, byte for byte ([`Model::to_bytes`]).

mod carrier;
mod crf;
pub mod data;
pub mod eval;
mod features;
pub mod from_grammar;
pub mod lexicon;
mod logreg;
mod model_file;
mod negatives;
mod optimize;
mod places;
pub mod senses;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::entity::{self, EntityKind};
use crate::random::Rng;
use crate::text::words;
use crate::Error;
use crf::{Crf, Sequence};
use data::{Dataset, Entity, Example, SlotSpan};
use features::{FeatureIndex, Gazetteer, Known, Matches, Sentence};
use lexicon::Lexicon;
use logreg::LogReg;
use senses::Senses;

pub use model_file::{FORMAT, OLDEST_READ, VERSION};

/// How to train.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Seeds the noise sentences of the "none" class.
    pub seed: u64,
    /// The L2 penalty of the intent classifier.
    pub classifier_l2: f64,
    /// The L2 penalty of the slot fillers.
    pub slot_l2: f64,
    /// How much the "none" sentences weigh against each intent's examples (1: as much as
    /// an intent's). Lower lets fewer sentences of an intent be taken for none, and more
    /// sentences of no intent be taken for one.
    pub none_weight: f64,
    /// The most L-BFGS iterations of each model.
    pub max_iterations: usize,
    /// An intent with fewer examples than this gets more for its slot filler: copies of its
    /// examples with their slot values swapped for other values of the same entity (up to
    /// [`MAX_COPIES`] of each), so the model learns the words around a slot rather than the few
    /// values it saw. On the development split of the Snips data, 5 copies of 70 sentences
    /// raised the mean slot F1 from 0.806 to 0.819; the full sets need none.
    pub augment_below: usize,
    /// An English word list the slot fillers learn word classes from ([`lexicon`]); the
    /// model keeps it. Empty: no such features.
    pub lexicon: std::sync::Arc<Lexicon>,
    /// WordNet's supersenses of English words, which the slot fillers learn from as word
    /// clusters ([`senses`]); the model keeps them. Empty: no such features.
    pub senses: std::sync::Arc<Senses>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            seed: 0x006e_6c75,
            classifier_l2: 0.5,
            slot_l2: 0.1,
            none_weight: 0.5,
            max_iterations: 150,
            augment_below: 500,
            lexicon: std::sync::Arc::default(),
            senses: std::sync::Arc::default(),
        }
    }
}

/// Below this probability the classifier's best intent is taken for none. On the development
/// split, a model of the seven Snips intents (70 sentences each) then claimed 7.4% of SLURP's
/// requests of other scenarios instead of 10.5%, and its intent accuracy went from 0.956 to
/// 0.944.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// How sure a carrier classifier ([`carrier`]) must be to take a sentence the intent
/// classifier turned down. On the development split of the Snips data (70 sentences, 3 draws),
/// the one-intent models' mean slot F1 went from 0.863 without carriers to 0.872 at 0.8 (0.874
/// at 0.5, 0.870 at 0.9), and the seven-intent model claimed 100 of SLURP's 1,264 requests of
/// other scenarios instead of 94 (132 at 0.5, 96 at 0.9).
pub const CARRIER_CONFIDENCE: f64 = 0.8;

/// What training did.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainStats {
    /// Example sentences.
    pub examples: usize,
    /// "None" sentences the classifier also learned from.
    pub negatives: usize,
    /// Features of the classifier and of all slot fillers.
    pub features: usize,
    /// L-BFGS iterations, all models together.
    pub iterations: usize,
    /// The time it took.
    pub elapsed: Duration,
}

/// A trained parser: an intent classifier and a slot filler per intent.
#[derive(Debug, Clone)]
pub struct Model {
    intents: Vec<String>,
    classifier: Classifier,
    fillers: Vec<SlotFiller>,
    gazetteer: Gazetteer,
    lexicon: std::sync::Arc<Lexicon>,
    senses: std::sync::Arc<Senses>,
    entities: BTreeMap<String, Entity>,
    /// Each listed value and synonym, as normalized words, with its entity: the canonical value.
    canonical: HashMap<(String, String), String>,
}

#[derive(Debug, Clone)]
struct Classifier {
    index: FeatureIndex,
    /// Classes: the intents, then "none".
    model: LogReg,
}

impl Classifier {
    /// Each class's probability for a sentence with these feature hashes (those training never
    /// saw count for nothing).
    fn probabilities(&self, hashes: &[u64]) -> Vec<f64> {
        let known: Vec<u32> = hashes.iter().filter_map(|h| self.index.get(*h)).collect();
        self.model.probabilities(&known)
    }
}

#[derive(Debug, Clone)]
struct SlotFiller {
    /// Slot `k` (labels `2k + 1`, `2k + 2`): its name and entity.
    slots: Vec<(String, String)>,
    index: FeatureIndex,
    crf: Crf,
    /// The intent against none, from the words around the slots this filler finds
    /// ([`carrier`]); none for an intent without slots.
    carrier: Option<Classifier>,
}

/// What a trained model understood.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The intent.
    pub intent: String,
    /// The classifier's probability for it, from 0 to 1.
    pub confidence: f64,
    /// The slots found, in order.
    pub slots: Vec<ParsedSlot>,
}

/// A slot a trained model found.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSlot {
    /// Its name, its entity, and where it is in the text.
    pub span: SlotSpan,
    /// The words as written.
    pub raw: String,
    /// The normalized value: an entity parser's value, a list's canonical value, or the words.
    pub value: Value,
}

impl Parsed {
    /// As hark's intent: the first value of each slot.
    pub fn to_intent(&self) -> hark_core::Intent {
        let mut slots = BTreeMap::new();
        let mut raw = BTreeMap::new();
        for slot in &self.slots {
            let name = hark_core::SlotName::from(slot.span.slot.as_str());
            if !slots.contains_key(&name) {
                slots.insert(name.clone(), slot.value.clone());
                raw.insert(name, slot.raw.clone());
            }
        }
        hark_core::Intent {
            name: hark_core::IntentName::from(self.intent.as_str()),
            slots,
            raw,
            confidence: self.confidence,
            stage: hark_core::Stage::Trained,
        }
    }
}

/// Each listed value and synonym of `entities`, as (entity, normalized words), with its value.
fn canonical(entities: &BTreeMap<String, Entity>) -> HashMap<(String, String), String> {
    let mut out = HashMap::new();
    for (name, entity) in entities {
        for forms in &entity.values {
            for form in forms {
                out.entry((name.clone(), words(form).join(" ")))
                    .or_insert_with(|| forms[0].clone());
            }
        }
    }
    out
}

/// The (entity, value words) pairs an example gives the gazetteer.
fn own_values(example: &Example) -> Vec<(String, String)> {
    example
        .slots
        .iter()
        .map(|s| (s.entity.clone(), words(s.value(&example.text)).join(" ")))
        .collect()
}

impl Model {
    /// Learns from `dataset`. An [`Error::Invalid`] when it has no example.
    pub fn train(dataset: &Dataset, options: &TrainOptions) -> Result<(Model, TrainStats), Error> {
        let started = Instant::now();
        if dataset.examples.is_empty() {
            return Err(Error::Invalid {
                at: Default::default(),
                message: "the training data has no example sentence".into(),
            });
        }
        let intents: Vec<String> = dataset
            .examples
            .iter()
            .map(|e| e.intent.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let gazetteer = gazetteer(dataset);
        let known = Known {
            gazetteer: &gazetteer,
            lexicon: &options.lexicon,
            senses: &options.senses,
        };
        let lbfgs = optimize::Options {
            max_iterations: options.max_iterations,
            ..optimize::Options::default()
        };

        // The classifier.
        let negatives = none_sentences(options.seed, &dataset.examples);
        let mut index = FeatureIndex::default();
        let mut samples = Vec::new();
        for example in &dataset.examples {
            let class = intents.binary_search(&example.intent).expect("listed");
            let sentence = Sentence::new(&example.text);
            let matches = gazetteer.matches(&sentence.words(), &own_values(example));
            let hashes = features::sentence_features(&sentence, &gazetteer, &matches);
            samples.push((hashes.into_iter().map(|h| index.add(h)).collect(), class));
        }
        for sentence in &negatives {
            let sentence = Sentence::new(sentence);
            let matches = gazetteer.matches(&sentence.words(), &[]);
            let hashes = features::sentence_features(&sentence, &gazetteer, &matches);
            samples.push((
                hashes.into_iter().map(|h| index.add(h)).collect(),
                intents.len(),
            ));
        }
        let mut emphasis = vec![1.0; intents.len()];
        emphasis.push(options.none_weight);
        let (model, outcome) = LogReg::train(
            &samples,
            &emphasis,
            intents.len() + 1,
            index.len(),
            options.classifier_l2,
            lbfgs,
        );
        let mut iterations = outcome.iterations;
        let mut feature_count = index.len();
        let classifier = Classifier { index, model };

        // A slot filler per intent.
        let mut fillers = Vec::new();
        for intent in &intents {
            let examples: Vec<&Example> = dataset
                .examples
                .iter()
                .filter(|e| &e.intent == intent)
                .collect();
            let (filler, outcome) = SlotFiller::train(&examples, known, options, lbfgs);
            iterations += outcome.map_or(0, |o| o.iterations);
            feature_count += filler.index.len();
            fillers.push(filler);
        }
        for (k, intent) in intents.iter().enumerate() {
            let (mine, others): (Vec<&Example>, Vec<&Example>) =
                dataset.examples.iter().partition(|e| &e.intent == intent);
            let outcome =
                fillers[k].train_carrier(&mine, &others, &negatives, known, options, lbfgs);
            iterations += outcome.map_or(0, |o| o.iterations);
            feature_count += fillers[k].carrier.as_ref().map_or(0, |c| c.index.len());
        }
        let stats = TrainStats {
            examples: dataset.examples.len(),
            negatives: negatives.len(),
            features: feature_count,
            iterations,
            elapsed: started.elapsed(),
        };
        Ok((
            Model {
                intents,
                classifier,
                fillers,
                gazetteer,
                lexicon: options.lexicon.clone(),
                senses: options.senses.clone(),
                canonical: canonical(&dataset.entities),
                entities: dataset.entities.clone(),
            },
            stats,
        ))
    }

    /// The intents the model knows.
    pub fn intents(&self) -> &[String] {
        &self.intents
    }

    /// The intent and slots of `text`, or `None` when the intent classifier takes it for no
    /// intent or is less sure of its best intent than [`MIN_CONFIDENCE`], and that intent's
    /// carrier classifier is less sure than [`CARRIER_CONFIDENCE`]. The confidence is the
    /// classifier's that took it.
    pub fn parse(&self, text: &str, context: &entity::Context) -> Option<Parsed> {
        let sentence = Sentence::new(text);
        if sentence.tokens.is_empty() {
            return None;
        }
        let matches = self.gazetteer.matches(&sentence.words(), &[]);
        let hashes = features::sentence_features(&sentence, &self.gazetteer, &matches);
        let probabilities = self.classifier.probabilities(&hashes);
        // The best intent, and whether the classifier takes it.
        let (class, confidence) = probabilities[..self.intents.len()]
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
        let none = probabilities[self.intents.len()];
        let known = Known {
            gazetteer: &self.gazetteer,
            lexicon: &self.lexicon,
            senses: &self.senses,
        };
        let filler = &self.fillers[class];
        let slots = filler.slots(&sentence, known, &matches);
        let confidence = if confidence >= MIN_CONFIDENCE && confidence > none {
            confidence
        } else {
            // Turned down: ask the words around the slots.
            let carrier = filler.carrier.as_ref()?;
            let second = carrier.probabilities(&carrier::features(&sentence, &slots))[0];
            if second < CARRIER_CONFIDENCE {
                return None;
            }
            second
        };
        let intent = &self.intents[class];
        let slots = slots
            .into_iter()
            .map(|span| {
                let raw = span.value(text).to_owned();
                let value = self.normalize(&span.entity, &raw, context);
                ParsedSlot { span, raw, value }
            })
            .collect();
        Some(Parsed {
            intent: intent.clone(),
            confidence,
            slots,
        })
    }

    /// A slot value: an entity parser's, the list's canonical value, or the words as written.
    fn normalize(&self, entity: &str, raw: &str, context: &entity::Context) -> Value {
        let said = words(raw);
        if let Some(kind) = EntityKind::from_name(entity) {
            let said: Vec<&str> = said.iter().map(String::as_str).collect();
            if let Some(value) = entity::parse(kind, &said, context) {
                return value;
            }
        } else if let Some(value) = self.canonical.get(&(entity.to_owned(), said.join(" "))) {
            return Value::String(value.clone());
        }
        Value::String(raw.to_owned())
    }
}

impl SlotFiller {
    fn train(
        examples: &[&Example],
        known: Known<'_>,
        options: &TrainOptions,
        lbfgs: optimize::Options,
    ) -> (SlotFiller, Option<optimize::Outcome>) {
        let slots: Vec<(String, String)> = examples
            .iter()
            .flat_map(|e| e.slots.iter().map(|s| (s.slot.clone(), s.entity.clone())))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut index = FeatureIndex::default();
        let mut sequences = Vec::new();
        let copies = (options.augment_below.saturating_sub(examples.len()) / examples.len().max(1))
            .min(MAX_COPIES);
        let augmented = augment(examples, copies, options.seed);
        for example in examples.iter().copied().chain(&augmented) {
            let sentence = Sentence::new(&example.text);
            let matches = known
                .gazetteer
                .matches(&sentence.words(), &own_values(example));
            let hashes = features::token_features(&sentence, known, &matches);
            let features = hashes
                .into_iter()
                .map(|token| token.into_iter().map(|h| index.add(h)).collect())
                .collect();
            let labels = gold_labels(&sentence, &example.slots, &slots);
            sequences.push(Sequence { features, labels });
        }
        let labels = Crf::label_count(slots.len());
        if slots.is_empty() {
            // Nothing to learn: every word is outside.
            let crf = Crf {
                labels,
                state: Vec::new(),
                transitions: vec![0.0; (labels + 1) * labels],
            };
            return (
                SlotFiller {
                    slots,
                    index: FeatureIndex::default(),
                    crf,
                    carrier: None,
                },
                None,
            );
        }
        let (crf, outcome) = Crf::train(&sequences, labels, index.len(), options.slot_l2, lbfgs);
        (
            SlotFiller {
                slots,
                index,
                crf,
                carrier: None,
            },
            Some(outcome),
        )
    }

    /// Learns [`SlotFiller::carrier`]: `mine` (the intent's examples) against `others` (the
    /// other intents') and `negatives`, each read through this filler.
    fn train_carrier(
        &mut self,
        mine: &[&Example],
        others: &[&Example],
        negatives: &[String],
        known: Known<'_>,
        options: &TrainOptions,
        lbfgs: optimize::Options,
    ) -> Option<optimize::Outcome> {
        if self.slots.is_empty() {
            return None;
        }
        let mut index = FeatureIndex::default();
        let mut samples = Vec::new();
        let sentences = mine
            .iter()
            .map(|e| (e.text.as_str(), own_values(e), 0))
            .chain(others.iter().map(|e| (e.text.as_str(), own_values(e), 1)))
            .chain(negatives.iter().map(|n| (n.as_str(), Vec::new(), 1)));
        for (text, own, class) in sentences {
            let sentence = Sentence::new(text);
            let matches = known.gazetteer.matches(&sentence.words(), &own);
            let spans = self.slots(&sentence, known, &matches);
            let hashes = carrier::features(&sentence, &spans);
            samples.push((hashes.into_iter().map(|h| index.add(h)).collect(), class));
        }
        let (model, outcome) = LogReg::train(
            &samples,
            &[1.0, options.none_weight],
            2,
            index.len(),
            options.classifier_l2,
            lbfgs,
        );
        self.carrier = Some(Classifier { index, model });
        Some(outcome)
    }

    /// The slots of a sentence.
    fn slots(&self, sentence: &Sentence<'_>, known: Known<'_>, matches: &Matches) -> Vec<SlotSpan> {
        if self.slots.is_empty() {
            return Vec::new();
        }
        let features: Vec<Vec<u32>> = features::token_features(sentence, known, matches)
            .into_iter()
            .map(|token| {
                token
                    .into_iter()
                    .filter_map(|h| self.index.get(h))
                    .collect()
            })
            .collect();
        let labels = self.crf.decode(&features);
        let mut out: Vec<SlotSpan> = Vec::new();
        // The slot of the token before, if it had one.
        let mut previous = None;
        for (token, label) in sentence.tokens.iter().zip(labels) {
            let label = usize::from(label);
            if label == 0 {
                previous = None;
                continue;
            }
            let k = (label - 1) / 2;
            // A slot that begins right where a value of the same slot ends goes on instead
            // ("chant" "song" is one "chant song"): in the Snips data, two values of one slot
            // side by side are 3 of 35,748.
            let goes_on = label % 2 == 0 || previous == Some(k);
            previous = Some(k);
            match out.last_mut() {
                Some(last) if goes_on && last.slot == self.slots[k].0 => {
                    last.end = last.end.max(token.span.end);
                }
                _ => {
                    let (slot, entity) = &self.slots[k];
                    out.push(SlotSpan {
                        slot: slot.clone(),
                        entity: entity.clone(),
                        start: token.span.start,
                        end: token.span.end,
                    });
                }
            }
        }
        out
    }
}

/// Each token's BIO label: inside slot `k` when its text overlaps the slot's span.
fn gold_labels(
    sentence: &Sentence<'_>,
    spans: &[SlotSpan],
    slots: &[(String, String)],
) -> Vec<u16> {
    let mut labels = vec![0u16; sentence.tokens.len()];
    for span in spans {
        let k = slots
            .iter()
            .position(|(slot, entity)| *slot == span.slot && *entity == span.entity)
            .expect("every slot of the examples is listed");
        let mut first = true;
        for (i, token) in sentence.tokens.iter().enumerate() {
            if token.span.start < span.end && span.start < token.span.end && labels[i] == 0 {
                labels[i] = if first { 2 * k + 1 } else { 2 * k + 2 } as u16;
                first = false;
            }
        }
    }
    labels
}

/// Known entity values: the slot values of the examples, counted, and the values of the
/// dataset's lists that no example has (always known). A listed value an example has counts as
/// the example's: a loader may list every value its examples have, and those must not always
/// be known, or the model would learn to trust the gazetteer blindly.
fn gazetteer(dataset: &Dataset) -> Gazetteer {
    let mut gazetteer = Gazetteer::default();
    for example in &dataset.examples {
        for slot in &example.slots {
            gazetteer.add(&slot.entity, &words(slot.value(&example.text)), 1);
        }
    }
    for (name, entity) in &dataset.entities {
        for forms in &entity.values {
            for form in forms {
                let said = words(form);
                if !gazetteer.contains(name, &said) {
                    gazetteer.add(name, &said, u32::MAX);
                }
            }
        }
    }
    for (entity, names) in [
        (places::COUNTRY, places::COUNTRIES),
        (places::US_STATE, places::US_STATES),
    ] {
        for name in names {
            gazetteer.add(entity, &words(name), u32::MAX);
        }
    }
    gazetteer
}

/// Sentences of no intent: [`negatives::SENTENCES`] but those too close to an example (half
/// their distinct words or more shared with it), and noise made of their words, about as many
/// in all as a fifth of the examples (at least the written ones).
fn none_sentences(seed: u64, examples: &[Example]) -> Vec<String> {
    let example_words: Vec<BTreeSet<String>> = examples
        .iter()
        .map(|e| words(&e.text).into_iter().collect())
        .collect();
    let close = |sentence: &str| {
        let mine: BTreeSet<String> = words(sentence).into_iter().collect();
        example_words.iter().any(|theirs| {
            let shared = mine.intersection(theirs).count();
            let all = mine.union(theirs).count();
            all > 0 && 2 * shared >= all
        })
    };
    let mut out: Vec<String> = negatives::SENTENCES
        .iter()
        .filter(|s| !close(s))
        .map(|s| (*s).to_owned())
        .collect();
    let examples = examples.len();
    let vocabulary: Vec<&str> = negatives::SENTENCES
        .iter()
        .flat_map(|s| s.split(' '))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut rng = Rng::new(seed);
    let noise = (examples / 5).saturating_sub(out.len());
    for _ in 0..noise {
        let len = 2 + rng.below(7);
        let sentence: Vec<&str> = (0..len)
            .map(|_| vocabulary[rng.below(vocabulary.len())])
            .collect();
        out.push(sentence.join(" "));
    }
    out
}

/// The most copies [`TrainOptions::augment_below`] makes of an example.
pub const MAX_COPIES: usize = 10;

/// `copies` variants of each example with every slot's value replaced by another value of its
/// entity seen in the examples (chosen by a seeded generator).
fn augment(examples: &[&Example], copies: usize, seed: u64) -> Vec<Example> {
    let mut values: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for example in examples {
        for slot in &example.slots {
            values
                .entry(slot.entity.as_str())
                .or_default()
                .push(slot.value(&example.text));
        }
    }
    for list in values.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    let mut rng = Rng::new(seed ^ 0x6175_676d);
    let mut out = Vec::new();
    for example in examples {
        if example.slots.is_empty() {
            continue;
        }
        for _ in 0..copies {
            let mut text = String::new();
            let mut slots = Vec::new();
            let mut at = 0;
            for slot in &example.slots {
                text.push_str(&example.text[at..slot.start]);
                let choices = &values[slot.entity.as_str()];
                let value = choices[rng.below(choices.len())];
                let start = text.len();
                text.push_str(value);
                slots.push(SlotSpan {
                    start,
                    end: text.len(),
                    ..slot.clone()
                });
                at = slot.end;
            }
            text.push_str(&example.text[at..]);
            out.push(Example {
                intent: example.intent.clone(),
                text,
                slots,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A slot filler of one slot that labels every word a beginning of it.
    fn all_beginnings() -> SlotFiller {
        let mut index = FeatureIndex::default();
        index.add(features::hash("bias"));
        let labels = Crf::label_count(1);
        let mut state = vec![0.0; labels];
        state[1] = 10.0;
        SlotFiller {
            slots: vec![("music_item".into(), "music_item".into())],
            index,
            crf: Crf {
                labels,
                state,
                transitions: vec![0.0; (labels + 1) * labels],
            },
            carrier: None,
        }
    }

    #[test]
    fn a_slot_that_begins_where_the_same_slot_ends_goes_on() {
        let filler = all_beginnings();
        let text = "chant song";
        let known = Known {
            gazetteer: &Gazetteer::default(),
            lexicon: &Lexicon::default(),
            senses: &Senses::default(),
        };
        let sentence = Sentence::new(text);
        let slots = filler.slots(&sentence, known, &vec![Vec::new(); sentence.tokens.len()]);
        assert_eq!(slots.len(), 1, "{slots:?}");
        assert_eq!(slots[0].value(text), "chant song");
    }

    /// Book titles after a few carrier phrases; every title is made of its own words.
    const BOOKS: &str = "\
intents:
  FindBook:
    examples:
      - look up [the silent river](title)
      - look up [winter of the wolves](title)
      - search for [a house in umbria](title)
      - search for [the glass harbour](title)
      - find the book [paper moons](title)
      - find the book [seven quiet kings](title)
      - look up the novel [orchard keeper](title)
      - search for the book [bright lanterns](title)
      - find [the salt road](title)
      - look up [copper skies](title)
";

    fn books() -> Model {
        let dataset = data::parse(std::path::Path::new("books.yaml"), BOOKS).unwrap();
        Model::train(&dataset, &TrainOptions::default()).unwrap().0
    }

    #[test]
    fn a_title_of_everyday_words_is_taken_by_its_carrier_words_when_the_classifier_turns_it_down() {
        let model = books();
        let context = entity::Context {
            now: jiff::Timestamp::UNIX_EPOCH.to_zoned(jiff::tz::TimeZone::UTC),
        };
        let mut without = model.clone();
        for filler in &mut without.fillers {
            filler.carrier = None;
        }
        // Titles that are whole "none" sentences.
        for (text, title) in [
            ("look up good morning to you", "good morning to you"),
            (
                "search for are you listening to me",
                "are you listening to me",
            ),
        ] {
            assert_eq!(
                without.parse(text, &context),
                None,
                "the classifier took {text}"
            );
            let parsed = model.parse(text, &context).expect("the carrier takes it");
            assert_eq!(parsed.intent, "FindBook");
            assert!(parsed.confidence >= CARRIER_CONFIDENCE, "{parsed:?}");
            let titles: Vec<&str> = parsed.slots.iter().map(|s| s.raw.as_str()).collect();
            assert_eq!(titles, [title]);
        }
        // Sentences of no intent stay so.
        for text in ["tell me a joke", "thank you so much", "what time is it"] {
            assert_eq!(model.parse(text, &context), None, "{text}");
        }
    }

    #[test]
    fn carriers_round_trip_through_the_model_file() {
        let model = books();
        let bytes = model.to_bytes();
        let again = Model::from_bytes(&bytes, std::path::Path::new("books.model.json")).unwrap();
        assert_eq!(again.to_bytes(), bytes);
        assert!(again.fillers[0].carrier.is_some());
        let context = entity::Context {
            now: jiff::Timestamp::UNIX_EPOCH.to_zoned(jiff::tz::TimeZone::UTC),
        };
        let text = "look up good morning to you";
        // The file keeps weights as f32: the same parse, the confidence to within that.
        let (read, trained) = (
            again.parse(text, &context).unwrap(),
            model.parse(text, &context).unwrap(),
        );
        assert_eq!(
            (&read.intent, &read.slots),
            (&trained.intent, &trained.slots)
        );
        assert!((read.confidence - trained.confidence).abs() < 1e-6);
        // A carrier of the wrong size is refused by name.
        let mut file: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        file["slot_fillers"][0]["carrier"]["weights"] = "AAAAAA==".into();
        let error = Model::from_bytes(
            &serde_json::to_vec(&file).unwrap(),
            std::path::Path::new("books.model.json"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("books.model.json")
                && error.contains("the carrier classifier of FindBook holds 1 weights"),
            "{error}"
        );
    }

    #[test]
    fn a_version_2_file_reads_and_parses_as_before_carriers_and_wordnet() {
        let dataset = data::parse(std::path::Path::new("books.yaml"), BOOKS).unwrap();
        let options = TrainOptions {
            lexicon: std::sync::Arc::new(Lexicon::from_word_list("look\nup\nsearch\nfor\n")),
            ..TrainOptions::default()
        };
        let model = Model::train(&dataset, &options).unwrap().0;
        // What version 2 wrote: no WordNet table, no carrier classifiers.
        let mut file: serde_json::Value = serde_json::from_slice(&model.to_bytes()).unwrap();
        file["version"] = 2.into();
        file.as_object_mut().unwrap().remove("senses");
        for filler in file["slot_fillers"].as_array_mut().unwrap() {
            filler.as_object_mut().unwrap().remove("carrier");
        }
        let path = std::path::Path::new("old.model.json");
        let old = Model::from_bytes(&serde_json::to_vec(&file).unwrap(), path).unwrap();
        let context = entity::Context {
            now: jiff::Timestamp::UNIX_EPOCH.to_zoned(jiff::tz::TimeZone::UTC),
        };
        let mut without = model.clone();
        for filler in &mut without.fillers {
            filler.carrier = None;
        }
        for text in [
            "look up the winter garden",
            "search for good morning to you",
            "look up good morning to you",
            "tell me a joke",
        ] {
            let (read, trained) = (old.parse(text, &context), without.parse(text, &context));
            assert_eq!(
                read.as_ref().map(|p| (&p.intent, &p.slots)),
                trained.as_ref().map(|p| (&p.intent, &p.slots)),
                "{text}"
            );
        }
        assert!(old.parse("look up the winter garden", &context).is_some());
        // Older and newer ones are refused with the versions named.
        for version in [1, VERSION + 1] {
            file["version"] = version.into();
            let error = Model::from_bytes(&serde_json::to_vec(&file).unwrap(), path)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(&format!("version {version}"))
                    && error.contains(&format!("versions {OLDEST_READ} to {VERSION}")),
                "{error}"
            );
        }
    }
}
