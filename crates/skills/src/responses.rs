//! What skills say, kept apart from what they do: response templates per
//! language.
//!
//! Each skill keeps one YAML file per language beside its code
//! (`<skill>/responses/<language>.yaml`, embedded with `include_str!`): a map
//! from a response key to one variant or a list of variants, with
//! `{placeholders}` the skill fills in:
//!
//! ```yaml
//! time: ["It's {time}."]
//! noon: "It's noon."
//! ```
//!
//! The skill declares a [`Spec`], every key it uses with the placeholders it
//! fills for that key, and the files are checked against it when the skill is
//! built: a missing key, a key the skill never uses, an unknown placeholder or
//! a stray brace is an [`Error`] naming the file and the key. So a translator's
//! typo fails the build's tests, not a user's question. `{{` and `}}` write
//! literal braces.
//!
//! Rendering is deterministic: the first variant, or the variant a caller
//! picks by index. Nothing here is random, so tests compare exact strings; a
//! caller that wants variety picks the index itself.
//!
//! A language without a file falls back to its base language (`en-GB` to
//! `en`), then to English, which every skill must have.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::Error;

/// The responses a skill uses: each key with the placeholders it fills in.
pub type Spec = &'static [(&'static str, &'static [&'static str])];

/// The fallback language, which every skill has responses for.
pub const FALLBACK_LANGUAGE: &str = "en";

/// One piece of a parsed variant.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Placeholder(String),
}

/// A variant, parsed once when the file is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses `text`; `Err` says what is wrong, for [`Error::BadTemplate`].
    fn parse(text: &str) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let rest = &text[at + 1..];
                    let Some(end) = rest.find('}') else {
                        return Err(format!("unclosed `{{` at byte {at} in {text:?}"));
                    };
                    let name = &rest[..end];
                    let valid = !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                    if !valid {
                        return Err(format!(
                            "bad placeholder `{{{name}}}` in {text:?} (use lower-case letters, digits and `_`; `{{{{` for a brace)"
                        ));
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Placeholder(name.to_string()));
                    // Skip the name and its closing brace.
                    for _ in 0..=name.chars().count() {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(format!(
                        "stray `}}` at byte {at} in {text:?} (`}}}}` for a brace)"
                    ))
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Self { pieces })
    }

    fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Placeholder(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
    }

    fn render(&self, args: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Placeholder(name) => {
                    let value = args.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
                    debug_assert!(value.is_some(), "no value for placeholder `{{{name}}}`");
                    out.push_str(value.unwrap_or_default());
                }
            }
        }
        out
    }
}

/// A response file as written: each key maps to one variant or a list.
#[derive(Deserialize)]
#[serde(untagged)]
enum Variants {
    One(String),
    Many(Vec<String>),
}

/// A response file's entries in file order, duplicates kept: a map type
/// would keep only the last of two equal keys, silently.
struct Entries(Vec<(String, Variants)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map from response keys to a string or a list of strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The responses of one skill in one language, checked against its [`Spec`].
#[derive(Debug, Clone)]
pub struct Responses {
    file: String,
    language: String,
    templates: BTreeMap<&'static str, Vec<Template>>,
}

impl Responses {
    /// Reads the response file `file` (its name is only for errors), written
    /// in `language`, and checks it against `spec`.
    pub fn parse(file: &str, language: &str, yaml: &str, spec: Spec) -> Result<Self, Error> {
        let Entries(entries) = serde_yaml::from_str(yaml).map_err(|source| Error::Yaml {
            file: file.to_string(),
            source,
        })?;
        let mut raw = BTreeMap::new();
        for (key, variants) in entries {
            if raw.contains_key(&key) {
                return Err(Error::DuplicateKey {
                    file: file.to_string(),
                    key,
                });
            }
            if !spec.iter().any(|(k, _)| *k == key) {
                return Err(Error::UnknownKey {
                    file: file.to_string(),
                    key: key.clone(),
                    known: spec.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", "),
                });
            }
            raw.insert(key, variants);
        }
        let mut templates = BTreeMap::new();
        for &(key, allowed) in spec {
            let variants = match raw.get(key) {
                None => {
                    return Err(Error::MissingKey {
                        file: file.to_string(),
                        key: key.to_string(),
                    })
                }
                Some(Variants::One(one)) => std::slice::from_ref(one),
                Some(Variants::Many(many)) => many.as_slice(),
            };
            if variants.is_empty() {
                return Err(Error::NoVariants {
                    file: file.to_string(),
                    key: key.to_string(),
                });
            }
            let mut parsed = Vec::with_capacity(variants.len());
            for text in variants {
                let template = Template::parse(text).map_err(|message| Error::BadTemplate {
                    file: file.to_string(),
                    key: key.to_string(),
                    message,
                })?;
                if let Some(unknown) = template.placeholders().find(|p| !allowed.contains(p)) {
                    return Err(Error::UnknownPlaceholder {
                        file: file.to_string(),
                        key: key.to_string(),
                        placeholder: unknown.to_string(),
                        allowed: if allowed.is_empty() {
                            "none".to_string()
                        } else {
                            allowed.join(", ")
                        },
                    });
                }
                parsed.push(template);
            }
            templates.insert(key, parsed);
        }
        Ok(Self {
            file: file.to_string(),
            language: language.to_string(),
            templates,
        })
    }

    /// The file these responses came from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The language they are written in.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// How many variants `key` has (0 for a key outside the spec).
    pub fn variants(&self, key: &str) -> usize {
        self.templates.get(key).map_or(0, Vec::len)
    }

    /// The first variant of `key`, with its placeholders filled from `args`.
    ///
    /// `key` must be in the skill's spec, and `args` must fill the placeholders
    /// the spec allows for it: both are the skill's own code, so a mistake is
    /// a bug its tests catch (debug builds panic; release builds leave the
    /// gap empty rather than fail the turn).
    pub fn render(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.render_variant(key, 0, args)
    }

    /// Variant number `index` of `key` (wrapping around), filled from `args`.
    pub fn render_variant(&self, key: &str, index: usize, args: &[(&str, &str)]) -> String {
        match self.templates.get(key) {
            Some(variants) => variants[index % variants.len()].render(args),
            None => {
                debug_assert!(false, "{}: no response `{key}` in the spec", self.file);
                String::new()
            }
        }
    }
}

/// A skill's responses in every language it has, with the fallback to
/// English.
#[derive(Debug, Clone)]
pub struct Localized {
    by_language: BTreeMap<String, Responses>,
}

/// One embedded response file: (language, file name for errors, contents).
pub type ResponseFile = (&'static str, &'static str, &'static str);

impl Localized {
    /// Reads every file of `skill`, each checked against `spec`; one of them
    /// must be English.
    pub fn new(skill: &str, spec: Spec, files: &[ResponseFile]) -> Result<Self, Error> {
        let mut by_language = BTreeMap::new();
        for &(language, file, yaml) in files {
            by_language.insert(
                language.to_string(),
                Responses::parse(file, language, yaml, spec)?,
            );
        }
        if !by_language.contains_key(FALLBACK_LANGUAGE) {
            return Err(Error::NoEnglish {
                skill: skill.to_string(),
            });
        }
        Ok(Self { by_language })
    }

    /// The responses for `language` (`en`, `en-GB`, `fr_FR`): that language,
    /// else its base language, else English.
    pub fn get(&self, language: &str) -> &Responses {
        let base = language.split(['-', '_']).next().unwrap_or(language);
        self.by_language
            .get(language)
            .or_else(|| self.by_language.get(base))
            .or_else(|| self.by_language.get(FALLBACK_LANGUAGE))
            .expect("Localized::new requires English")
    }

    /// The languages there are responses for.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.by_language.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: Spec = &[("time", &["time"]), ("noon", &[])];

    fn parse(yaml: &str) -> Result<Responses, Error> {
        Responses::parse("test/en.yaml", "en", yaml, SPEC)
    }

    #[test]
    fn renders_first_variant_or_the_one_picked() {
        let r =
            parse("time: [\"It's {time}.\", \"The time is {time}.\"]\nnoon: It's noon.\n").unwrap();
        assert_eq!(r.render("time", &[("time", "7:30 AM")]), "It's 7:30 AM.");
        assert_eq!(
            r.render_variant("time", 1, &[("time", "7:30 AM")]),
            "The time is 7:30 AM."
        );
        assert_eq!(
            r.render_variant("time", 2, &[("time", "7:30 AM")]),
            "It's 7:30 AM."
        );
        assert_eq!(r.variants("time"), 2);
        assert_eq!(r.render("noon", &[]), "It's noon.");
    }

    #[test]
    fn doubled_braces_are_literal() {
        let r = parse("time: \"{{{time}}}\"\nnoon: \"}}{{\"\n").unwrap();
        assert_eq!(r.render("time", &[("time", "x")]), "{x}");
        assert_eq!(r.render("noon", &[]), "}{");
    }

    #[test]
    fn placeholders_may_sit_anywhere() {
        let r = parse("time: \"{time}{time}, {time}\"\nnoon: \"\"\n").unwrap();
        assert_eq!(r.render("time", &[("time", "é")]), "éé, é");
        assert_eq!(r.render("noon", &[]), "");
    }

    #[test]
    fn a_missing_key_names_the_file_and_key() {
        let err = parse("time: \"It's {time}.\"\n").unwrap_err();
        assert_eq!(err.to_string(), "test/en.yaml: missing response `noon`");
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let err = parse("time: x\nnoon: y\nnooon: z\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "test/en.yaml: unknown response `nooon` (known: time, noon)"
        );
    }

    #[test]
    fn an_unknown_placeholder_names_the_file_and_key() {
        let err = parse("time: \"It's {tme}.\"\nnoon: x\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "test/en.yaml: response `time` uses unknown placeholder `{tme}` (allowed: time)"
        );
        let err = parse("time: x\nnoon: \"It's {time}.\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "test/en.yaml: response `noon` uses unknown placeholder `{time}` (allowed: none)"
        );
    }

    #[test]
    fn stray_braces_are_refused() {
        for bad in [
            "\"{time\"",
            "\"time}\"",
            "\"{}\"",
            "\"{Time}\"",
            "\"{ time }\"",
        ] {
            let err = parse(&format!("time: {bad}\nnoon: x\n")).unwrap_err();
            assert!(
                matches!(&err, Error::BadTemplate { key, .. } if key == "time"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn empty_lists_and_bad_yaml_are_refused() {
        let err = parse("time: []\nnoon: x\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "test/en.yaml: response `time` has no variants"
        );
        let err = parse("time: {a: b}\nnoon: x\n").unwrap_err();
        assert!(matches!(err, Error::Yaml { .. }), "{err}");
        assert!(err.to_string().starts_with("test/en.yaml: "), "{err}");
        let err = parse("time: x\ntime: y\nnoon: z\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "test/en.yaml: response `time` is written twice"
        );
    }

    #[test]
    fn unknown_languages_fall_back_to_the_base_then_english() {
        let files: &[ResponseFile] = &[
            ("en", "t/en.yaml", "time: \"It's {time}.\"\nnoon: noon\n"),
            ("fr", "t/fr.yaml", "time: \"Il est {time}.\"\nnoon: midi\n"),
        ];
        let l = Localized::new("t", SPEC, files).unwrap();
        assert_eq!(l.get("fr").language(), "fr");
        assert_eq!(l.get("fr-CA").language(), "fr");
        assert_eq!(l.get("fr_BE").language(), "fr");
        assert_eq!(l.get("de").language(), "en");
        assert_eq!(l.get("").language(), "en");
        assert_eq!(l.languages().collect::<Vec<_>>(), ["en", "fr"]);
    }

    #[test]
    fn english_is_required() {
        let files: &[ResponseFile] = &[("fr", "t/fr.yaml", "time: x\nnoon: y\n")];
        let err = Localized::new("t", SPEC, files).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t: no English responses (English is the fallback language)"
        );
    }
}
