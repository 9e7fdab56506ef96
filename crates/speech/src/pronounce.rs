//! Pronunciations for words that PocketSphinx's dictionary lacks, from espeak-ng.
//!
//! A grammar word missing from the dictionary would make PocketSphinx refuse the whole grammar
//! (and a name like "zorblax" or a brand is exactly what users add). espeak-ng's rules read any
//! English spelling; its phonemes are in its own ASCII mnemonics (`z'o@blaks`), which the table
//! below maps to the CMU ARPAbet phones of PocketSphinx's English acoustic model (`Z AO R B L AE K
//! S`). The mapping is by hand from espeak-ng's English phoneme inventory (`phsource/ph_english`
//! and `ph_english_us`); stress marks are dropped, since the acoustic model has no stress. Where
//! American English has no exact counterpart (the flap, the glottal stop, syllabic consonants),
//! the nearest CMU dictionary convention is used (the flap is T, as in "little" L IH1 T AH0 L).

use crate::Error;

/// espeak-ng's English phoneme mnemonics and their ARPAbet phones.
const TABLE: &[(&str, &str)] = &[
    // consonants
    ("p", "P"),
    ("b", "B"),
    ("t", "T"),
    ("d", "D"),
    ("k", "K"),
    ("g", "G"),
    ("f", "F"),
    ("v", "V"),
    ("T", "TH"),
    ("D", "DH"),
    ("s", "S"),
    ("z", "Z"),
    ("S", "SH"),
    ("Z", "ZH"),
    ("h", "HH"),
    ("C", "HH"),
    ("x", "K"),
    ("m", "M"),
    ("n", "N"),
    ("N", "NG"),
    ("l", "L"),
    ("r", "R"),
    ("r/", "R"),
    ("w", "W"),
    ("W", "W"),
    ("j", "Y"),
    ("tS", "CH"),
    ("dZ", "JH"),
    ("t#", "T"),
    ("d#", "D"),
    ("?", "T"),
    ("n-", "AH N"),
    ("l-", "AH L"),
    ("m-", "AH M"),
    ("r-", "ER"),
    // vowels
    ("a", "AE"),
    ("aa", "AE"),
    ("a#", "AH"),
    ("a2", "AH"),
    ("A", "AA"),
    ("A:", "AA"),
    ("A@", "AA R"),
    ("aI", "AY"),
    ("aI@", "AY ER"),
    ("aI3", "AY ER"),
    ("aU", "AW"),
    ("aU@", "AW ER"),
    ("@", "AH"),
    ("@2", "AH"),
    ("@5", "AH"),
    ("@L", "AH L"),
    ("3", "ER"),
    ("3:", "ER"),
    ("e", "EH"),
    ("E", "EH"),
    ("E2", "EH"),
    ("e@", "EH R"),
    ("eI", "EY"),
    ("i", "IY"),
    ("i:", "IY"),
    ("i@", "IY AH"),
    ("i@3", "IH R"),
    ("I", "IH"),
    ("I2", "IH"),
    ("I#", "IH"),
    ("0", "AA"),
    ("O", "AO"),
    ("O:", "AO"),
    ("O2", "AO"),
    ("O@", "AO R"),
    ("o@", "AO R"),
    ("o", "OW"),
    ("oU", "OW"),
    ("OI", "OY"),
    ("u", "UW"),
    ("u:", "UW"),
    ("U", "UH"),
    ("U@", "UH R"),
    ("V", "AH"),
];

/// Marks espeak-ng writes around phoneme names: primary and secondary stress, unstressed.
const MARKS: &[char] = &['\'', ',', '%', '='];

fn lookup(name: &str) -> Option<&'static str> {
    TABLE.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
}

/// The ARPAbet phones for one espeak-ng phoneme name, or `None` when it has no counterpart. A
/// variant the table lacks (`e#`, `O3`) falls back to its base phoneme.
fn phoneme(name: &str) -> Option<&'static str> {
    let name = name.trim_matches(MARKS);
    if name.is_empty() {
        return None;
    }
    lookup(name).or_else(|| {
        let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '#' || c == ';');
        lookup(base).or_else(|| lookup(&base.replace(':', "")))
    })
}

/// Maps espeak-ng's phonemes (names separated by white space, as
/// `espeak_TextToPhonemes` gives them with a space separator) to space-separated ARPAbet phones.
/// Pauses and names without a counterpart are skipped; `None` when nothing is left.
pub fn arpabet(espeak_phonemes: &str) -> Option<String> {
    let phones: Vec<&str> = espeak_phonemes
        .split_whitespace()
        .filter(|name| !name.starts_with('_'))
        .filter_map(phoneme)
        .collect();
    if phones.is_empty() {
        None
    } else {
        Some(phones.join(" "))
    }
}

/// A pronunciation of `word` in ARPAbet phones, from espeak-ng's American English rules.
pub fn pronounce(word: &str) -> Result<String, Error> {
    let phonemes = crate::espeak::phonemes_en_us(word)?;
    arpabet(&phonemes).ok_or_else(|| Error::Pronunciation(word.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_espeak_mnemonics() {
        assert_eq!(
            arpabet("z 'o@ b l a k s").as_deref(),
            Some("Z AO R B L AE K S")
        );
        assert_eq!(arpabet("h @ l 'oU").as_deref(), Some("HH AH L OW"));
        assert_eq!(arpabet("l 'I t# @L").as_deref(), Some("L IH T AH L"));
        assert_eq!(arpabet("k 'I ? n-").as_deref(), Some("K IH T AH N"));
    }

    #[test]
    fn falls_back_to_the_base_phoneme_and_skips_pauses() {
        assert_eq!(arpabet("'e# _: n").as_deref(), Some("EH N"));
        assert_eq!(arpabet("_ _:"), None);
    }
}
