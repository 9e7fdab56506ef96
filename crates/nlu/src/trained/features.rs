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
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::lexicon::Lexicon;
use crate::entity::{self, EntityKind};
use crate::text::{tokenize, Token};

/// FNV-1a, 64 bits.
pub(crate) fn hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Feature hashes and the dense indices a model's weights use.
#[derive(Debug, Clone, Default)]
pub(crate) struct FeatureIndex {
    hashes: Vec<u64>,
    index: HashMap<u64, u32>,
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
    pub fn matches(&self, words: &[&str], own: &[(String, String)]) -> Vec<Vec<(u32, bool)>> {
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

/// What a model knows of words beyond its examples' features: entity values, and how an
/// English word list writes each word.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Known<'m> {
    pub gazetteer: &'m Gazetteer,
    pub lexicon: &'m Lexicon,
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
    own: &[(String, String)],
) -> Vec<Vec<u64>> {
    let Known { gazetteer, lexicon } = known;
    let words = sentence.words();
    let n = words.len();
    let matches = gazetteer.matches(&words, own);
    let classes: Vec<&str> = if lexicon.is_empty() {
        Vec::new()
    } else {
        words.iter().map(|w| lexicon.class(w).name()).collect()
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
    let mut buf = String::new();
    let mut out = Vec::with_capacity(n);
    for (i, token) in sentence.tokens.iter().enumerate() {
        let mut features = Vec::with_capacity(24);
        let mut add = |buf: &mut String| {
            features.push(hash(buf));
            buf.clear();
        };
        let at = i as isize;
        let w = word(at);
        let raw = &sentence.text[token.span.clone()];
        for (name, offset) in [("w-2", -2), ("w-1", -1), ("w", 0), ("w+1", 1), ("w+2", 2)] {
            let _ = write!(buf, "{name}={}", word(at + offset));
            add(&mut buf);
        }
        let _ = write!(buf, "w-1w={}|{w}", word(at - 1));
        add(&mut buf);
        let _ = write!(buf, "ww+1={w}|{}", word(at + 1));
        add(&mut buf);
        let _ = write!(buf, "shape={}", shape(raw));
        add(&mut buf);
        let chars: Vec<char> = w.chars().collect();
        for k in [2, 3, 4] {
            if chars.len() > k {
                let prefix: String = chars[..k].iter().collect();
                let suffix: String = chars[chars.len() - k..].iter().collect();
                let _ = write!(buf, "pre{k}={prefix}");
                add(&mut buf);
                let _ = write!(buf, "suf{k}={suffix}");
                add(&mut buf);
            }
        }
        if i == 0 {
            buf.push_str("first");
            add(&mut buf);
        }
        if i + 1 == n {
            buf.push_str("last");
            add(&mut buf);
        }
        for (offset, label) in [(0, ""), (-1, "-1"), (1, "+1")] {
            let j = at + offset;
            if j < 0 || j as usize >= n {
                continue;
            }
            for &(entity, begins) in &matches[j as usize] {
                let entity = &gazetteer.entities[entity as usize];
                let part = if begins { "B" } else { "I" };
                let _ = write!(buf, "gaz{label}:{entity}:{part}");
                add(&mut buf);
            }
        }
        for (offset, label) in [(0, ""), (-1, "-1"), (1, "+1")] {
            let j = at + offset;
            if j < 0 || j as usize >= n {
                continue;
            }
            for &(kind, begins) in &builtin[j as usize] {
                let part = if begins { "B" } else { "I" };
                let _ = write!(buf, "ent{label}:{}:{part}", kind.name());
                add(&mut buf);
            }
        }
        if !classes.is_empty() {
            for (offset, label) in [(0, ""), (-1, "-1"), (1, "+1")] {
                let j = at + offset;
                if j >= 0 && (j as usize) < n {
                    let _ = write!(buf, "lex{label}={}", classes[j as usize]);
                    add(&mut buf);
                }
            }
            let _ = write!(buf, "lexshape={}|{}", classes[i], shape(raw));
            add(&mut buf);
        }
        // The label's prior.
        buf.push_str("bias");
        add(&mut buf);
        out.push(features);
    }
    out
}

/// The features of the whole sentence, as hashes, for the intent classifier: its words, word
/// pairs, character trigrams and fourgrams of each word, and the entities whose values it
/// holds.
pub(crate) fn sentence_features(
    sentence: &Sentence<'_>,
    gazetteer: &Gazetteer,
    own: &[(String, String)],
) -> Vec<u64> {
    let words = sentence.words();
    let mut out = Vec::with_capacity(words.len() * 10);
    let mut buf = String::new();
    let add = |buf: &mut String, out: &mut Vec<u64>| {
        out.push(hash(buf));
        buf.clear();
    };
    buf.push_str("bias");
    add(&mut buf, &mut out);
    let mut previous = "<s>";
    for w in words.iter().copied().chain(std::iter::once("</s>")) {
        if w != "</s>" {
            let _ = write!(buf, "w={w}");
            add(&mut buf, &mut out);
            let padded: Vec<char> = format!(" {w} ").chars().collect();
            for k in [3, 4] {
                for gram in padded.windows(k) {
                    buf.push_str(if k == 3 { "c3=" } else { "c4=" });
                    buf.extend(gram);
                    add(&mut buf, &mut out);
                }
            }
        }
        let _ = write!(buf, "b={previous}|{w}");
        add(&mut buf, &mut out);
        previous = w;
    }
    for token_matches in gazetteer.matches(&words, own) {
        for (entity, begins) in token_matches {
            if begins {
                let _ = write!(buf, "gaz={}", gazetteer.entities[entity as usize]);
                add(&mut buf, &mut out);
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
