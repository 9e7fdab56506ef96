//! What the models see of a sentence: its tokens, and for each token (the slot filler) or the
//! whole sentence (the intent classifier) a set of binary features.
//!
//! A feature is a short string ("w-1=at", "shape=Xx", "gaz:city:B") hashed to 64 bits with
//! FNV-1a, so extraction allocates little and a model file stores numbers, not strings; the
//! hash is written here, not taken from a crate, so a model file means the same to every build.
//! A model keeps only the features its training sentences had ([`FeatureIndex`]); others are
//! ignored when parsing.
//!
//! **The gazetteer** marks token runs that are known values of an entity (the dataset's entity
//! lists, and the slot values of its examples). When featurizing a training sentence, a value
//! only counts if some *other* sentence (or the entity list) has it: otherwise every training
//! slot would be in the gazetteer, the model would learn to trust it completely, and it would
//! miss the unseen values that matter most.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::lexicon::Lexicon;
use super::senses::{Senses, SUPERSENSES};
use crate::entity::{self, EntityKind};
use crate::text::{tokenize, Token};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a, 64 bits.
pub(crate) fn hash(text: &str) -> u64 {
    feature(&[text])
}

/// A hash map keyed by hashes of ours (features, words), which are FNV-1a hashes already:
/// hashing them again with the standard library's SipHash was a sixth of a parse's
/// instructions and most of a model's load time.
pub(crate) type HashedMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<Rehash>>;

/// [`HashedMap`]'s hasher: one multiply that spreads the key's bits, as the map takes its
/// buckets from the low bits and its tags from the high ones.
#[derive(Default)]
pub(crate) struct Rehash(u64);

impl std::hash::Hasher for Rehash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = (key ^ (key >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Feature hashes and the dense indices a model's weights use.
#[derive(Debug, Clone, Default)]
pub(crate) struct FeatureIndex {
    hashes: Vec<u64>,
    index: HashedMap<u32>,
}

impl FeatureIndex {
    /// The index of `hash`, adding it when new.
    pub fn add(&mut self, hash: u64) -> u32 {
        let next = self.hashes.len() as u32;
        *self.index.entry(hash).or_insert_with(|| {
            self.hashes.push(hash);
            next
        })
    }

    pub fn get(&self, hash: u64) -> Option<u32> {
        self.index.get(&hash).copied()
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    pub fn from_hashes(hashes: Vec<u64>) -> FeatureIndex {
        let index = hashes
            .iter()
            .enumerate()
            .map(|(i, h)| (*h, i as u32))
            .collect();
        FeatureIndex { hashes, index }
    }
}

/// A value found in a sentence: its length in words, its entities with their counts, and the
/// value.
type Found<'g> = (usize, &'g [(u32, u32)], String);

/// For each token of a sentence, the gazetteer's values that start there (`true`) or go on
/// there (`false`), by entity ([`Gazetteer::matches`]); computed once a sentence, for both
/// the classifier's and the slot filler's features.
pub(crate) type Matches = Vec<Vec<(u32, bool)>>;

/// Known entity values, as token sequences.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Gazetteer {
    /// Entity names; values refer to them by position.
    pub entities: Vec<String>,
    /// Each value's words joined by single spaces, with the entities it is a value of and how
    /// many training sentences have it as a slot value (`u32::MAX`: from an entity list).
    pub values: BTreeMap<String, Vec<(u32, u32)>>,
    /// The most words of a value.
    pub longest: usize,
}

impl Gazetteer {
    /// Adds `value` (normalized words) as a value of `entity`, seen `count` times.
    pub fn add(&mut self, entity: &str, words: &[String], count: u32) {
        if words.is_empty() {
            return;
        }
        let id = match self.entities.iter().position(|e| e == entity) {
            Some(id) => id as u32,
            None => {
                self.entities.push(entity.to_owned());
                (self.entities.len() - 1) as u32
            }
        };
        self.longest = self.longest.max(words.len());
        let entry = self.values.entry(words.join(" ")).or_default();
        match entry.iter_mut().find(|(e, _)| *e == id) {
            Some((_, c)) => *c = c.saturating_add(count),
            None => entry.push((id, count)),
        }
    }

    /// For each token, the entities whose value starts there (`true`) or goes on there
    /// (`false`), by longest match. `own` holds the values (entity, words) the sentence itself
    /// contributed to the counts, which then do not count.
    pub fn matches(&self, words: &[&str], own: &[(String, String)]) -> Matches {
        let mut out = vec![Vec::new(); words.len()];
        let mut key = String::new();
        let mut probe = String::new();
        let mut found: Vec<Found<'_>> = Vec::new();
        for start in 0..words.len() {
            // The values starting here, shortest first: the key grows a word at a time and
            // stops when no value starts with it.
            found.clear();
            key.clear();
            let longest = self.longest.min(words.len() - start);
            for len in 1..=longest {
                if len > 1 {
                    key.push(' ');
                }
                key.push_str(words[start + len - 1]);
                if let Some(entities) = self.values.get(&key) {
                    found.push((len, entities.as_slice(), key.clone()));
                }
                probe.clear();
                probe.push_str(&key);
                probe.push(' ');
                let longer = self
                    .values
                    .range::<str, _>((
                        std::ops::Bound::Included(probe.as_str()),
                        std::ops::Bound::Unbounded,
                    ))
                    .next()
                    .is_some_and(|(k, _)| k.starts_with(probe.as_str()));
                if !longer {
                    break;
                }
            }
            // Each entity's longest value here that some other sentence (or a list) has.
            for (len, entities, value) in found.iter().rev() {
                for &(entity, count) in entities.iter() {
                    let name = &self.entities[entity as usize];
                    let mine = own.iter().filter(|(e, v)| e == name && v == value).count() as u32;
                    if count > mine && !out[start].iter().any(|(e, b)| *e == entity && *b) {
                        out[start].push((entity, true));
                        for slot in &mut out[start + 1..start + len] {
                            slot.push((entity, false));
                        }
                    }
                }
            }
        }
        out
    }

    /// Whether `words` is already a value of `entity`.
    pub fn contains(&self, entity: &str, words: &[String]) -> bool {
        let Some(id) = self.entities.iter().position(|e| e == entity) else {
            return false;
        };
        self.values
            .get(&words.join(" "))
            .is_some_and(|entities| entities.iter().any(|(e, _)| *e as usize == id))
    }
}

/// For each token, the built-in entities (numbers, times, dates, durations) whose longest
/// parse starts there (`true`) or goes on there (`false`), by hark's own entity parsers.
pub(crate) fn builtin_matches(words: &[&str]) -> Vec<Vec<(EntityKind, bool)>> {
    // Only whether words parse matters, not the value: any fixed instant will do, and keeps
    // the features of a sentence the same whenever it is parsed.
    static CONTEXT: std::sync::OnceLock<entity::Context> = std::sync::OnceLock::new();
    let context = CONTEXT.get_or_init(|| entity::Context {
        now: jiff::Timestamp::UNIX_EPOCH.to_zoned(jiff::tz::TimeZone::UTC),
    });
    let mut out = vec![Vec::new(); words.len()];
    for start in 0..words.len() {
        for kind in BUILTIN_FEATURES {
            let longest = BUILTIN_WORDS.min(words.len() - start);
            if let Some(len) = (1..=longest)
                .rev()
                .find(|len| entity::parse(kind, &words[start..start + len], context).is_some())
            {
                out[start].push((kind, true));
                for slot in &mut out[start + 1..start + len] {
                    slot.push((kind, false));
                }
            }
        }
    }
    out
}

/// The entity parsers whose matches are features.
const BUILTIN_FEATURES: [EntityKind; 5] = [
    EntityKind::Number,
    EntityKind::Ordinal,
    EntityKind::Duration,
    EntityKind::Time,
    EntityKind::Date,
];

/// The longest span tried for a built-in entity.
const BUILTIN_WORDS: usize = 5;

/// What a model knows of words beyond its examples' features: entity values, how an English
/// word list writes each word, and WordNet's coarse sense of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Known<'m> {
    pub gazetteer: &'m Gazetteer,
    pub lexicon: &'m Lexicon,
    pub senses: &'m Senses,
}

/// A sentence split into tokens, with each token's words as written.
pub(crate) struct Sentence<'t> {
    pub text: &'t str,
    pub tokens: Vec<Token>,
}

impl<'t> Sentence<'t> {
    pub fn new(text: &'t str) -> Sentence<'t> {
        Sentence {
            text,
            tokens: split_possessives(text, tokenize(text)),
        }
    }

    pub fn words(&self) -> Vec<&str> {
        self.tokens.iter().map(|t| t.text.as_str()).collect()
    }
}

/// Splits a possessive "'s" off its word ("taggart's" → "taggart" "'s") where the text writes
/// it, so that a slot can end before it: in the Snips data, 66 slot values are followed by a
/// possessive outside the slot ("[Jeremy Taggart]'s newest chant"), and 113 hold one
/// ("[Schindler's List]"); with the word whole, the first kind could never be found.
fn split_possessives(text: &str, tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    for token in tokens {
        let raw = &text[token.span.clone()];
        let written = raw.len() > 2 && (raw.ends_with("'s") || raw.ends_with("'S"));
        let stem = token.text.len().saturating_sub(2);
        if !written || stem == 0 || !token.text.ends_with("'s") {
            out.push(token);
            continue;
        }
        let cut = token.span.end - 2;
        out.push(Token {
            text: token.text[..stem].to_owned(),
            span: token.span.start..cut,
        });
        out.push(Token {
            text: "'s".to_owned(),
            span: cut..token.span.end,
        });
    }
    out
}

/// The word's shape: letters as `X` or `x`, digits as `d`, others kept, runs collapsed
/// ("Paris" `Xx`, "7:30" `d:d`, "iPhone" `xXx`).
fn shape(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if !out.ends_with(s) {
            out.push(s);
        }
    }
    out
}

/// The features of each token of `sentence`, as hashes, for the slot filler.
pub(crate) fn token_features(
    sentence: &Sentence<'_>,
    known: Known<'_>,
    matches: &Matches,
) -> Vec<Vec<u64>> {
    let Known {
        gazetteer,
        lexicon,
        senses,
    } = known;
    let words = sentence.words();
    let n = words.len();
    let classes: Vec<&str> = if lexicon.is_empty() {
        Vec::new()
    } else {
        words.iter().map(|w| lexicon.class(w).name()).collect()
    };
    let meanings: Vec<u64> = if senses.is_empty() {
        Vec::new()
    } else {
        words.iter().map(|w| senses.of(w)).collect()
    };
    let builtin = builtin_matches(&words);
    let word = |i: isize| -> &str {
        if i < 0 {
            "<s>"
        } else if i as usize >= n {
            "</s>"
        } else {
            words[i as usize]
        }
    };
    let mut out = Vec::with_capacity(n);
    for (i, token) in sentence.tokens.iter().enumerate() {
        let mut features = Vec::with_capacity(32);
        let at = i as isize;
        let w = word(at);
        let shape = shape(&sentence.text[token.span.clone()]);
        for (name, offset) in [
            ("w-2=", -2),
            ("w-1=", -1),
            ("w=", 0),
            ("w+1=", 1),
            ("w+2=", 2),
        ] {
            features.push(feature(&[name, word(at + offset)]));
        }
        features.push(feature(&["w-1w=", word(at - 1), "|", w]));
        features.push(feature(&["ww+1=", w, "|", word(at + 1)]));
        features.push(feature(&["shape=", &shape]));
        let chars = w.chars().count();
        for (k, pre, suf) in [
            (2, "pre2=", "suf2="),
            (3, "pre3=", "suf3="),
            (4, "pre4=", "suf4="),
        ] {
            if chars > k {
                let prefix_end = w.char_indices().nth(k).map_or(w.len(), |(b, _)| b);
                let suffix_start = w.char_indices().nth(chars - k).map_or(0, |(b, _)| b);
                features.push(feature(&[pre, &w[..prefix_end]]));
                features.push(feature(&[suf, &w[suffix_start..]]));
            }
        }
        if i == 0 {
            features.push(feature(&["first"]));
        }
        if i + 1 == n {
            features.push(feature(&["last"]));
        }
        let part = |begins: bool| if begins { "B" } else { "I" };
        for (j, label) in around(i, n) {
            for &(entity, begins) in &matches[j] {
                let entity = &gazetteer.entities[entity as usize];
                features.push(feature(&["gaz", label, ":", entity, ":", part(begins)]));
            }
        }
        for (j, label) in around(i, n) {
            for &(kind, begins) in &builtin[j] {
                features.push(feature(&[
                    "ent",
                    label,
                    ":",
                    kind.name(),
                    ":",
                    part(begins),
                ]));
            }
        }
        if !classes.is_empty() {
            for (j, label) in around(i, n) {
                features.push(feature(&["lex", label, "=", classes[j]]));
            }
            features.push(feature(&["lexshape=", classes[i], "|", &shape]));
        }
        if !meanings.is_empty() {
            for (j, label) in around(i, n) {
                let mut mask = meanings[j];
                while mask != 0 {
                    let k = mask.trailing_zeros();
                    mask &= mask - 1;
                    features.push(feature(&["ss", label, "=", SUPERSENSES[k as usize]]));
                }
                if meanings[j] == 0 {
                    features.push(feature(&["ss", label, "=none"]));
                }
            }
        }
        // The label's prior.
        features.push(feature(&["bias"]));
        out.push(features);
    }
    out
}

/// Token `i` and its neighbours that exist in a sentence of `n` tokens, in the order features
/// name them (itself, the one before, the one after), with their names' labels.
fn around(i: usize, n: usize) -> impl Iterator<Item = (usize, &'static str)> {
    [(Some(i), ""), (i.checked_sub(1), "-1"), (Some(i + 1), "+1")]
        .into_iter()
        .filter_map(move |(j, label)| j.filter(|&j| j < n).map(|j| (j, label)))
}

/// The hash of a feature's name written in parts: the same as [`hash`] of the parts joined,
/// without writing them out.
pub(crate) fn feature(parts: &[&str]) -> u64 {
    let mut h: u64 = FNV_OFFSET;
    for part in parts {
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// The features of the whole sentence, as hashes, for the intent classifier: its words, word
/// pairs, character trigrams and fourgrams of each word, and the entities whose values it
/// holds.
pub(crate) fn sentence_features(
    sentence: &Sentence<'_>,
    gazetteer: &Gazetteer,
    matches: &Matches,
) -> Vec<u64> {
    let words = sentence.words();
    let mut out = Vec::with_capacity(words.len() * 10);
    out.push(feature(&["bias"]));
    let mut previous = "<s>";
    let mut padded = String::new();
    for w in words.iter().copied().chain(std::iter::once("</s>")) {
        if w != "</s>" {
            out.push(feature(&["w=", w]));
            padded.clear();
            padded.push(' ');
            padded.push_str(w);
            padded.push(' ');
            let starts: Vec<usize> = padded.char_indices().map(|(b, _)| b).collect();
            for (k, name) in [(3, "c3="), (4, "c4=")] {
                for first in 0..(starts.len() + 1).saturating_sub(k) {
                    let end = starts.get(first + k).copied().unwrap_or(padded.len());
                    out.push(feature(&[name, &padded[starts[first]..end]]));
                }
            }
        }
        out.push(feature(&["b=", previous, "|", w]));
        previous = w;
    }
    for token_matches in matches {
        for &(entity, begins) in token_matches {
            if begins {
                out.push(feature(&["gaz=", &gazetteer.entities[entity as usize]]));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Paris"), "Xx");
        assert_eq!(shape("7:30"), "d:d");
        assert_eq!(shape("iPhone"), "xXx");
    }

    #[test]
    fn a_possessive_is_a_token_of_its_own_where_it_is_written() {
        let text = "play Jeremy Taggart's newest, what's new";
        let sentence = Sentence::new(text);
        let tokens: Vec<(&str, &str)> = sentence
            .tokens
            .iter()
            .map(|t| (t.text.as_str(), &text[t.span.clone()]))
            .collect();
        assert_eq!(
            tokens,
            [
                ("play", "play"),
                ("jeremy", "Jeremy"),
                ("taggart", "Taggart"),
                ("'s", "'s"),
                ("newest", "newest"),
                // A contraction the tokenizer expanded stays as it was.
                ("what", "what's"),
                ("is", "what's"),
                ("new", "new"),
            ]
        );
    }

    #[test]
    fn the_hash_is_fnv1a() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn a_sentences_own_values_do_not_count_in_the_gazetteer() {
        let mut g = Gazetteer::default();
        let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        g.add("city", &words("new york"), 1);
        g.add("city", &words("paris"), 2);
        let sentence = ["fly", "to", "new", "york", "from", "paris"];
        let all = g.matches(&sentence, &[]);
        assert_eq!(all[2], vec![(0, true)]);
        assert_eq!(all[3], vec![(0, false)]);
        assert_eq!(all[5], vec![(0, true)]);
        // The sentence itself gave "new york" its one count, and one of the two of "paris".
        let own = [
            ("city".to_owned(), "new york".to_owned()),
            ("city".to_owned(), "paris".to_owned()),
        ];
        let mine = g.matches(&sentence, &own);
        assert!(mine[2].is_empty() && mine[3].is_empty());
        assert_eq!(mine[5], vec![(0, true)]);
    }
}
