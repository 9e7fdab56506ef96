//! What English words mean, coarsely: the WordNet supersense of each word's most frequent
//! sense, the classes a slot filler generalizes over when seventy examples name a few foods,
//! places or kinds of music.
//!
//! WordNet files each of its 117,000 synsets under one of 45 lexicographer files, its
//! supersense: `noun.food`, `noun.location`, `noun.person`, `noun.communication` (songs,
//! books), `noun.time`, `adj.all`, `verb.motion`... The supersense of a word's first sense (the
//! most frequent) in each part of speech works as a word cluster learned from a dictionary
//! instead of a corpus: an example with "pasta" teaches the model about "risotto". Only the
//! first sense of each part of speech counts: with every sense of every word ("top" has eleven
//! as a noun), the features were noisier and helped less.
//!
//! [`Senses::load`] reads WordNet's database as Debian's `wordnet-base` installs it
//! ([`DEFAULT_WORDNET`]): the `index.*` files (each word's senses, most frequent first), the
//! `data.*` files (each synset's supersense), and the `*.exc` exception lists of irregular
//! forms ("best" → "good", "geese" → "goose"), which are folded into the table. Regular
//! inflections ("pastas", "newest", "playing") are found when looking up, by WordNet's
//! documented detachment rules, each for its own part of speech. Only single words are kept
//! (collocations such as "new_york" are the gazetteer's business). A model keeps the table as
//! hashes and masks, so it works the same on a machine without WordNet.
//!
//! On the development split of the Snips data (70 sentences per intent, 6 draws), these
//! features, for each word and its neighbours, raised the mean slot F1 from 0.870 to 0.874
//! (BookRestaurant 0.783 to 0.796, GetWeather 0.796 to 0.806); for each word alone, 0.871.

use std::collections::HashMap;
use std::path::Path;

use super::features::{hash, HashedMap};
use crate::grammar::Source;
use crate::Error;

/// Where Debian's `wordnet-base` puts WordNet 3.0's database (installed by `scripts/setup.sh`).
pub const DEFAULT_WORDNET: &str = "/usr/share/wordnet";

/// A part of speech: its files are `index.{name}`, `data.{name}` and `{name}.exc`, and its
/// supersenses are those bits of a mask.
struct Part {
    name: &'static str,
    supersenses: u64,
}

const PARTS: [Part; 4] = [
    Part {
        name: "noun",
        supersenses: NOUN,
    },
    Part {
        name: "verb",
        supersenses: VERB,
    },
    Part {
        name: "adj",
        supersenses: ADJECTIVE,
    },
    Part {
        name: "adv",
        supersenses: ADVERB,
    },
];

/// Lexicographer files 3 to 28.
const NOUN: u64 = ((1 << 29) - 1) & !((1 << 3) - 1);
/// Lexicographer files 29 to 43.
const VERB: u64 = ((1 << 44) - 1) & !((1 << 29) - 1);
/// Lexicographer files 0, 1 and 44.
const ADJECTIVE: u64 = 0b11 | (1 << 44);
/// Lexicographer file 2.
const ADVERB: u64 = 1 << 2;

/// The names of WordNet's lexicographer files, in their numbers' order: bit `k` of a mask is
/// `SUPERSENSES[k]`.
pub(crate) const SUPERSENSES: [&str; 45] = [
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
];

/// WordNet's detachment rules: a suffix, what replaces it, and the part of speech whose base
/// form it gives.
const DETACH: [(&str, &str, u64); 20] = [
    ("s", "", NOUN),
    ("ses", "s", NOUN),
    ("xes", "x", NOUN),
    ("zes", "z", NOUN),
    ("ches", "ch", NOUN),
    ("shes", "sh", NOUN),
    ("men", "man", NOUN),
    ("ies", "y", NOUN),
    ("s", "", VERB),
    ("ies", "y", VERB),
    ("es", "e", VERB),
    ("es", "", VERB),
    ("ed", "e", VERB),
    ("ed", "", VERB),
    ("ing", "e", VERB),
    ("ing", "", VERB),
    ("er", "", ADJECTIVE),
    ("est", "", ADJECTIVE),
    ("er", "e", ADJECTIVE),
    ("est", "e", ADJECTIVE),
];

/// Each word's supersenses, by the hash of the lower-cased word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Senses {
    masks: HashedMap<u64>,
}

/// A line of a WordNet file that is not what the file holds.
fn bad_line(path: &Path, line: usize, message: String) -> Error {
    Error::Invalid {
        at: Source {
            file: path.to_owned(),
            line: Some(line),
        },
        message,
    }
}

/// The supersense (lexicographer file) of each synset of a `data.*` file, by its offset as
/// written (lines that begin with spaces are the licence).
fn supersenses<'t>(text: &'t str, path: &Path) -> Result<HashMap<&'t str, u32>, Error> {
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with(' ') || line.is_empty() {
            continue;
        }
        let mut fields = line.split(' ');
        let offset = fields.next().unwrap_or_default();
        match fields.next().and_then(|f| f.parse::<usize>().ok()) {
            Some(file) if file < SUPERSENSES.len() => {
                out.insert(offset, file as u32);
            }
            _ => {
                return Err(bad_line(
                    path,
                    i + 1,
                    "not a WordNet synset line (an offset, then a lexicographer file from 0 to 44)"
                        .into(),
                ))
            }
        }
    }
    Ok(out)
}

impl Senses {
    /// Reads WordNet's `index.*`, `data.*` and `*.exc` files from `dir`. A missing or
    /// unreadable file, or a line that is not WordNet's, is an error naming the file (and
    /// line).
    pub fn load(dir: &Path) -> Result<Senses, Error> {
        let read = |name: String| {
            let path = dir.join(name);
            std::fs::read(&path)
                .map(|bytes| (String::from_utf8_lossy(&bytes).into_owned(), path.clone()))
                .map_err(|error| Error::Io { path, error })
        };
        let mut senses = Senses::default();
        for part in &PARTS {
            let (data, path) = read(format!("data.{}", part.name))?;
            let supersenses = supersenses(&data, &path)?;
            let (index, path) = read(format!("index.{}", part.name))?;
            senses.add_index(&index, &path, &supersenses)?;
        }
        for part in &PARTS {
            let (text, _) = read(format!("{}.exc", part.name))?;
            senses.add_exceptions(&text, part.supersenses);
        }
        if senses.masks.is_empty() {
            return Err(Error::Invalid {
                at: Source {
                    file: dir.to_owned(),
                    line: None,
                },
                message: "WordNet's index files hold no word".into(),
            });
        }
        Ok(senses)
    }

    /// Gives each word of an `index.*` file the supersense of its first sense, by the
    /// `supersenses` of its part of speech's synsets (lines that begin with spaces are the
    /// licence).
    fn add_index(
        &mut self,
        text: &str,
        path: &Path,
        supersenses: &HashMap<&str, u32>,
    ) -> Result<(), Error> {
        for (i, line) in text.lines().enumerate() {
            if line.starts_with(' ') || line.is_empty() {
                continue;
            }
            let bad =
                |what: String| bad_line(path, i + 1, format!("not a WordNet index line: {what}"));
            // The word, its part of speech, how many senses, how many pointer kinds and the
            // kinds, the senses again, how many are tagged, then the synsets, most frequent
            // first.
            let fields: Vec<&str> = line.split_whitespace().collect();
            let pointers: usize = fields
                .get(3)
                .and_then(|p| p.parse().ok())
                .ok_or_else(|| bad("no pointer count".into()))?;
            let first = fields
                .get(6 + pointers)
                .ok_or_else(|| bad("no synset".into()))?;
            let file = supersenses
                .get(first)
                .ok_or_else(|| bad(format!("synset {first} is not in the data file")))?;
            if !fields[0].contains('_') {
                *self
                    .masks
                    .entry(hash(&fields[0].to_lowercase()))
                    .or_default() |= 1 << file;
            }
        }
        Ok(())
    }

    /// Gives each irregular form of an exception list ("geese goose") its base forms'
    /// supersenses of that part of speech.
    fn add_exceptions(&mut self, text: &str, part: u64) {
        for line in text.lines() {
            let mut forms = line.split_whitespace();
            let Some(inflected) = forms.next() else {
                continue;
            };
            if inflected.contains('_') {
                continue;
            }
            let mask = forms.fold(0, |mask, base| {
                mask | self
                    .masks
                    .get(&hash(&base.to_lowercase()))
                    .copied()
                    .unwrap_or(0)
            }) & part;
            if mask != 0 {
                *self
                    .masks
                    .entry(hash(&inflected.to_lowercase()))
                    .or_default() |= mask;
            }
        }
    }

    /// The table from the hashes and masks a model file keeps.
    pub(crate) fn from_entries(hashes: &[u64], masks: &[u64]) -> Senses {
        Senses {
            masks: hashes.iter().copied().zip(masks.iter().copied()).collect(),
        }
    }

    /// The hashes, sorted, and their masks (so that the same WordNet always makes the same
    /// model file).
    pub(crate) fn entries(&self) -> (Vec<u64>, Vec<u64>) {
        let mut entries: Vec<(u64, u64)> = self.masks.iter().map(|(h, m)| (*h, *m)).collect();
        entries.sort_unstable();
        entries.into_iter().unzip()
    }

    /// Whether the table is empty (a model trained without WordNet).
    pub fn is_empty(&self) -> bool {
        self.masks.is_empty()
    }

    /// Words and irregular forms in the table.
    pub fn len(&self) -> usize {
        self.masks.len()
    }

    /// The supersenses of `word` (a normalized, lower-case token) as a mask: those of the word
    /// itself, and of each base form a detachment rule gives, for that rule's part of speech.
    pub fn of(&self, word: &str) -> u64 {
        if self.masks.is_empty() {
            return 0;
        }
        let mut mask = self.masks.get(&hash(word)).copied().unwrap_or(0);
        let mut base = String::new();
        for (suffix, ending, part) in DETACH {
            if let Some(stem) = word.strip_suffix(suffix).filter(|s| !s.is_empty()) {
                base.clear();
                base.push_str(stem);
                base.push_str(ending);
                mask |= self.masks.get(&hash(&base)).copied().unwrap_or(0) & part;
            }
        }
        mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two noun synsets and three adjective ones, in WordNet's layout, and their index lines
    /// ("pasta" has the food sense first, then an artifact one).
    const NOUN_DATA: &str = "  1 licence text\n\
        07557434 13 n 02 pasta 0 alimentary_paste 0 000 | a dish\n\
        03000001 06 n 01 pasta 0 000 | made up\n\
        08900535 15 n 01 Paris 0 000 | the capital\n";
    const NOUN_INDEX: &str = "  1 licence text\n\
        alimentary_paste n 1 0 1 0 07557434\n\
        pasta n 2 1 @ 2 1 07557434 03000001\n\
        paris n 1 0 1 0 08900535\n";
    const ADJECTIVE_DATA: &str = "01123148 00 a 01 good 0 000 | having desirable qualities\n\
        01640850 00 a 01 new 0 000 | not of long duration\n\
        02584699 00 s 01 galore(ip) 0 000 | in great numbers\n";
    const ADJECTIVE_INDEX: &str = "good a 1 0 1 0 01123148\n\
        new a 1 0 1 0 01640850\n\
        galore a 1 0 1 0 02584699\n";

    fn table() -> Senses {
        let mut senses = Senses::default();
        for (data, index) in [(NOUN_DATA, NOUN_INDEX), (ADJECTIVE_DATA, ADJECTIVE_INDEX)] {
            let synsets = supersenses(data, Path::new("data.x")).unwrap();
            senses
                .add_index(index, Path::new("index.x"), &synsets)
                .unwrap();
        }
        senses.add_exceptions("best good well\n", ADJECTIVE);
        senses
    }

    #[test]
    fn words_get_their_first_senses_supersense_and_collocations_are_left_out() {
        let senses = table();
        assert_eq!(SUPERSENSES[13], "noun.food");
        assert_eq!(senses.of("pasta"), 1 << 13);
        assert_eq!(senses.of("paris"), 1 << 15);
        assert_eq!(senses.of("galore"), 1);
        assert_eq!(senses.of("alimentary_paste"), 0);
        assert_eq!(senses.of("worden"), 0);
        // pasta, paris, good, new, galore, best.
        assert_eq!(senses.len(), 6);
    }

    #[test]
    fn inflections_reach_their_base_for_their_part_of_speech_only() {
        let senses = table();
        // Regular: by the detachment rules.
        assert_eq!(senses.of("pastas"), 1 << 13);
        assert_eq!(senses.of("newest"), 1);
        // "pastaer" is no adjective of "pasta", a noun.
        assert_eq!(senses.of("pastaer"), 0);
        // Irregular: from the exception list.
        assert_eq!(senses.of("best"), 1);
    }

    #[test]
    fn entries_round_trip_sorted() {
        let senses = table();
        let (hashes, masks) = senses.entries();
        assert!(hashes.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Senses::from_entries(&hashes, &masks), senses);
    }

    #[test]
    fn lines_that_are_not_wordnets_are_refused_with_their_file_and_line() {
        let error = supersenses(
            "  licence\n00001740 xx a 01 able 0\n",
            Path::new("data.adj"),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("data.adj") && error.contains('2'), "{error}");
        let synsets = supersenses(ADJECTIVE_DATA, Path::new("data.adj")).unwrap();
        for (index, why) in [
            ("good a 1\n", "pointer count"),
            ("good a 1 2 ! &\n", "no synset"),
            ("good a 1 0 1 0 99999999\n", "99999999"),
        ] {
            let error = Senses::default()
                .add_index(index, Path::new("index.adj"), &synsets)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("index.adj") && error.contains(why),
                "{index}: {error}"
            );
        }
        let missing = Senses::load(Path::new("/nonexistent-wordnet"))
            .unwrap_err()
            .to_string();
        assert!(missing.contains("data.noun"), "{missing}");
    }

    #[test]
    fn debians_wordnet_loads_when_installed() {
        let dir = Path::new(DEFAULT_WORDNET);
        if !dir.join("index.noun").exists() {
            eprintln!("skipped: {DEFAULT_WORDNET} is not installed (scripts/setup.sh installs it)");
            return;
        }
        let senses = Senses::load(dir).unwrap();
        assert!(senses.len() > 80_000, "{}", senses.len());
        let named = |word: &str| -> Vec<&str> {
            let mask = senses.of(word);
            (0..SUPERSENSES.len())
                .filter(|k| mask & (1 << k) != 0)
                .map(|k| SUPERSENSES[k])
                .collect()
        };
        assert!(
            named("risotto").contains(&"noun.food"),
            "{:?}",
            named("risotto")
        );
        assert!(
            named("paris").contains(&"noun.location"),
            "{:?}",
            named("paris")
        );
        assert!(
            named("geese").contains(&"noun.animal"),
            "{:?}",
            named("geese")
        );
    }
}
