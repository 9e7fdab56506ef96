//! Grammars: the intents, lists, rules and skip words of one language.
//!
//! A grammar is read from hassil's YAML intent files (a folder of them, or one
//! file) or from the merged JSON that Home Assistant's `home-assistant-intents`
//! package ships; several sources merge into one [`Grammar`]. Loading checks
//! everything it can (every template parses, every rule exists, no rule refers
//! to itself) and names the file and line of the first problem, so a typo in a
//! sentence file is reported where it is, not when a sentence fails to match.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::template::{self, Expr};
use crate::Error;

/// The files of a grammar larger than this are refused.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Everything needed to compile a matcher for one language.
#[derive(Debug, Clone, Default)]
pub struct Grammar {
    /// Language code, such as `en`.
    pub language: Option<String>,
    /// Intents by name, in name order.
    pub intents: BTreeMap<String, Vec<IntentData>>,
    /// Slot lists by name.
    pub lists: BTreeMap<String, SlotList>,
    /// Expansion rules by name, already parsed.
    pub rules: BTreeMap<String, Expr>,
    /// Phrases removed from a sentence before matching ("please").
    pub skip_words: Vec<String>,
}

/// One group of sentences of an intent, with what they share.
#[derive(Debug, Clone)]
pub struct IntentData {
    /// The parsed templates, with their source text.
    pub sentences: Vec<(String, Expr)>,
    /// Slot values every sentence of the group sets.
    pub slots: Map<String, Value>,
    /// Context keys that must (or must not) hold for the group to match.
    pub requires_context: Map<String, Value>,
    /// Context keys whose values exclude the group.
    pub excludes_context: Map<String, Value>,
    /// The response key Home Assistant would answer with.
    pub response: Option<String>,
    /// Free-form metadata.
    pub metadata: Option<Value>,
    /// Where the group was defined, for messages.
    pub source: Source,
}

/// Where something in a grammar came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line, when known.
    pub line: Option<usize>,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file.display()),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// Where a slot's values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotList {
    /// A fixed set of phrases, each with the value it stands for.
    Values(Vec<ListValue>),
    /// Numbers in a range.
    Range(RangeList),
    /// Any words at all.
    Wildcard,
}

/// One entry of a value list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListValue {
    /// What may be said, as a template (`auto[matic]`).
    pub input: Expr,
    /// The source text of `input`.
    pub input_text: String,
    /// The slot value it stands for.
    pub output: Value,
    /// Context this value brings (Home Assistant's entity domain, say).
    pub context: Map<String, Value>,
}

/// Numbers from `from` to `to` by `step`.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeList {
    /// Smallest value.
    pub from: f64,
    /// Largest value.
    pub to: f64,
    /// Step between accepted values.
    pub step: f64,
    /// Factor applied to the spoken number to get the slot value.
    pub multiplier: f64,
    /// Accepted fractions: none, halves or tenths.
    pub fractions: Fractions,
}

/// Which fractional values a range accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fractions {
    /// Whole numbers only.
    None,
    /// Also x.5.
    Halves,
    /// Also x.1 to x.9.
    Tenths,
}

impl Grammar {
    /// Loads and merges grammar sources: folders (every `.yaml`/`.yml`/`.json`
    /// file below, in path order), YAML files, or Home Assistant's merged JSON.
    pub fn load(paths: &[impl AsRef<Path>]) -> Result<Self, Error> {
        let mut grammar = Grammar::default();
        for path in paths {
            for file in grammar_files(path.as_ref())? {
                let text = read_file(&file)?;
                grammar.add_source(&file, &text)?;
            }
        }
        grammar.check()?;
        Ok(grammar)
    }

    /// Parses one file's text and merges it in. `file` names it in errors and
    /// decides the format (`.json` is JSON, anything else YAML).
    pub fn add_source(&mut self, file: &Path, text: &str) -> Result<(), Error> {
        let raw: RawFile = if file.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(text).map_err(|e| Error::Syntax {
                at: Source {
                    file: file.to_owned(),
                    line: Some(e.line()),
                },
                message: e.to_string(),
            })?
        } else {
            serde_yaml::from_str::<Option<RawFile>>(text)
                .map_err(|e| Error::Syntax {
                    at: Source {
                        file: file.to_owned(),
                        line: e.location().map(|l| l.line()),
                    },
                    message: e.to_string(),
                })?
                .unwrap_or_default()
        };
        self.merge(file, text, raw)
    }

    fn merge(&mut self, file: &Path, text: &str, raw: RawFile) -> Result<(), Error> {
        let lines = LineFinder::new(text);
        let locate = |needle: &str| Source {
            file: file.to_owned(),
            line: lines.find(needle),
        };
        if let Some(language) = raw.language {
            match &self.language {
                Some(existing) if *existing != language => {
                    return Err(Error::Invalid {
                        at: locate("language"),
                        message: format!(
                            "language '{language}' differs from '{existing}' of the files before"
                        ),
                    })
                }
                _ => self.language = Some(language),
            }
        }
        for (name, text_rule) in raw.expansion_rules {
            let expr = template::parse(&text_rule).map_err(|e| Error::Template {
                at: locate(&text_rule),
                template: text_rule.clone(),
                error: e,
            })?;
            self.rules.insert(name, expr);
        }
        for (name, list) in raw.lists {
            let list = convert_list(&name, list).map_err(|(needle, message)| Error::Invalid {
                at: locate(&needle),
                message,
            })?;
            self.lists.insert(name, list);
        }
        for word in raw.skip_words {
            if !self.skip_words.contains(&word) {
                self.skip_words.push(word);
            }
        }
        for (name, intent) in raw.intents {
            let groups = self.intents.entry(name.clone()).or_default();
            for data in intent.data {
                let source = data
                    .sentences
                    .first()
                    .map(|s| locate(s))
                    .unwrap_or_else(|| locate(&name));
                if data.sentences.is_empty() {
                    return Err(Error::Invalid {
                        at: source,
                        message: format!("intent {name} has a data block without sentences"),
                    });
                }
                let mut sentences = Vec::with_capacity(data.sentences.len());
                for sentence in data.sentences {
                    let expr = template::parse(&sentence).map_err(|e| Error::Template {
                        at: locate(&sentence),
                        template: sentence.clone(),
                        error: e,
                    })?;
                    sentences.push((sentence, expr));
                }
                groups.push(IntentData {
                    sentences,
                    slots: data.slots,
                    requires_context: data.requires_context,
                    excludes_context: data.excludes_context,
                    response: data.response,
                    metadata: data.metadata,
                    source,
                });
            }
        }
        Ok(())
    }

    /// Checks that every rule exists and that no rule expands into itself.
    pub(crate) fn check(&self) -> Result<(), Error> {
        for groups in self.intents.values() {
            for data in groups {
                for (text, expr) in &data.sentences {
                    self.check_rules(expr, &mut Vec::new())
                        .map_err(|message| Error::Invalid {
                            at: data.source.clone(),
                            message: format!("in \"{text}\": {message}"),
                        })?;
                }
            }
        }
        for (name, expr) in &self.rules {
            self.check_rules(expr, &mut vec![name.clone()])
                .map_err(|message| Error::Invalid {
                    at: Source::default(),
                    message,
                })?;
        }
        Ok(())
    }

    fn check_rules(&self, expr: &Expr, stack: &mut Vec<String>) -> Result<(), String> {
        for name in expr.rule_refs() {
            if stack.iter().any(|s| s == name) {
                return Err(format!(
                    "rule <{name}> refers to itself through {}",
                    stack.join(" → ")
                ));
            }
            let Some(body) = self.rules.get(name) else {
                return Err(format!("unknown rule <{name}>"));
            };
            stack.push(name.to_string());
            self.check_rules(body, stack)?;
            stack.pop();
        }
        Ok(())
    }

    /// The number of sentence templates.
    pub fn template_count(&self) -> usize {
        self.intents
            .values()
            .flatten()
            .map(|d| d.sentences.len())
            .sum()
    }

    /// List names that templates use but no source defines (they are filled
    /// at run time, or are built-in entity lists).
    pub fn undefined_lists(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let exprs = self
            .intents
            .values()
            .flatten()
            .flat_map(|d| d.sentences.iter().map(|(_, e)| e))
            .chain(self.rules.values());
        for expr in exprs {
            for r in expr.list_refs() {
                if !self.lists.contains_key(&r.list) && seen.insert(r.list.clone()) {
                    out.push(r.list.clone());
                }
            }
        }
        out.sort();
        out
    }
}

/// Every grammar file at `path`, in a stable order.
fn grammar_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let meta = fs::metadata(path).map_err(|e| Error::Io {
        path: path.to_owned(),
        error: e,
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files = Vec::new();
    let mut dirs = vec![path.to_owned()];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| Error::Io {
            path: dir.clone(),
            error: e,
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::Io {
                path: dir.clone(),
                error: e,
            })?;
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                files.push(p);
            }
        }
    }
    if files.is_empty() {
        return Err(Error::Invalid {
            at: Source {
                file: path.to_owned(),
                line: None,
            },
            message: "no .yaml, .yml or .json grammar files in this folder".to_string(),
        });
    }
    files.sort();
    Ok(files)
}

fn read_file(path: &Path) -> Result<String, Error> {
    let io = |error| Error::Io {
        path: path.to_owned(),
        error,
    };
    let len = fs::metadata(path).map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Error::Invalid {
            at: Source {
                file: path.to_owned(),
                line: None,
            },
            message: format!("file is larger than {MAX_FILE_BYTES} bytes"),
        });
    }
    let bytes = fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Error::Syntax {
            at: Source {
                file: path.to_owned(),
                line: Some(line),
            },
            message: "the file is not valid UTF-8".to_string(),
        }
    })
}

/// The 1-based line where `needle` first appears in `text`, as written there
/// (plain or quoted) or as JSON would escape it.
/// Finds the line where a piece of text first appears, as written there
/// (plain or quoted) or as JSON escapes it.
///
/// serde does not say where a value was, so the line of a sentence is found
/// by searching for it. Sentences are mostly looked up in file order, so the
/// search starts where the last one was found and wraps around: loading a
/// large file stays linear instead of quadratic.
struct LineFinder<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    cursor: std::cell::Cell<usize>,
}

impl<'a> LineFinder<'a> {
    fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            text,
            line_starts,
            cursor: std::cell::Cell::new(0),
        }
    }

    fn find(&self, needle: &str) -> Option<usize> {
        let at = self.position(needle).or_else(|| {
            let json = serde_json::to_string(needle).ok()?;
            self.position(json.trim_matches('"'))
        })?;
        self.cursor.set(at);
        Some(self.line_starts.partition_point(|&start| start <= at))
    }

    fn position(&self, needle: &str) -> Option<usize> {
        let from = self.cursor.get();
        self.text[from..]
            .find(needle)
            .map(|i| i + from)
            .or_else(|| self.text[..from].find(needle))
    }
}

fn convert_list(name: &str, raw: RawList) -> Result<SlotList, (String, String)> {
    let kinds = [
        raw.values.is_some(),
        raw.range.is_some(),
        raw.wildcard == Some(true),
    ];
    if kinds.iter().filter(|&&k| k).count() != 1 {
        return Err((
            name.to_string(),
            format!("list '{name}' must have exactly one of 'values', 'range' or 'wildcard: true'"),
        ));
    }
    if let Some(range) = raw.range {
        let step = range.step.unwrap_or(1.0);
        let valid =
            range.from.is_finite() && range.to.is_finite() && range.from <= range.to && step > 0.0;
        if !valid {
            return Err((
                name.to_string(),
                format!("list '{name}' has an empty range or a step that is not positive"),
            ));
        }
        let fractions = match range.fractions.as_deref() {
            None => Fractions::None,
            Some("halves") => Fractions::Halves,
            Some("tenths") => Fractions::Tenths,
            Some(other) => {
                return Err((
                    name.to_string(),
                    format!("list '{name}': unknown fractions '{other}' (halves or tenths)"),
                ))
            }
        };
        return Ok(SlotList::Range(RangeList {
            from: range.from,
            to: range.to,
            step,
            multiplier: range.multiplier.unwrap_or(1.0),
            fractions,
        }));
    }
    if raw.wildcard == Some(true) {
        return Ok(SlotList::Wildcard);
    }
    let mut values = Vec::new();
    for value in raw.values.unwrap_or_default() {
        values.push(convert_value(name, value)?);
    }
    Ok(SlotList::Values(values))
}

fn convert_value(list: &str, raw: RawValue) -> Result<ListValue, (String, String)> {
    match raw {
        RawValue::Plain(text) => {
            let text = value_to_text(&text);
            Ok(ListValue {
                input: Expr::Text(text.clone()),
                input_text: text.clone(),
                output: Value::String(text),
                context: Map::new(),
            })
        }
        RawValue::Full {
            input,
            output,
            context,
        } => {
            let parsed = template::parse(&input).map_err(|e| {
                (
                    input.clone(),
                    format!("list '{list}', value \"{input}\": {e}"),
                )
            })?;
            if !parsed.list_refs().is_empty() || !parsed.rule_refs().is_empty() {
                return Err((
                    input.clone(),
                    format!("list '{list}', value \"{input}\": a list value cannot contain lists or rules"),
                ));
            }
            let output = output.unwrap_or_else(|| Value::String(input.clone()));
            Ok(ListValue {
                input: parsed,
                input_text: input,
                output,
                context: context.unwrap_or_default(),
            })
        }
    }
}

fn value_to_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    language: Option<String>,
    #[serde(default)]
    intents: BTreeMap<String, RawIntent>,
    #[serde(default)]
    lists: BTreeMap<String, RawList>,
    #[serde(default)]
    expansion_rules: BTreeMap<String, String>,
    #[serde(default)]
    skip_words: Vec<String>,
    /// Home Assistant's response templates; hark has its own.
    #[serde(default, rename = "responses")]
    _responses: Option<Value>,
    /// Unused settings of hassil.
    #[serde(default, rename = "settings")]
    _settings: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntent {
    data: Vec<RawData>,
    #[serde(default, rename = "supported")]
    _supported: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    sentences: Vec<String>,
    #[serde(default)]
    slots: Map<String, Value>,
    #[serde(default)]
    requires_context: Map<String, Value>,
    #[serde(default)]
    excludes_context: Map<String, Value>,
    #[serde(default)]
    response: Option<String>,
    #[serde(default)]
    metadata: Option<Value>,
    #[serde(default, rename = "wildcards_are_optional")]
    _wildcards_are_optional: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    values: Option<Vec<RawValue>>,
    range: Option<RawRange>,
    wildcard: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawValue {
    Full {
        #[serde(rename = "in")]
        input: String,
        #[serde(rename = "out")]
        output: Option<Value>,
        context: Option<Map<String, Value>>,
    },
    Plain(Value),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    from: f64,
    to: f64,
    step: Option<f64>,
    multiplier: Option<f64>,
    fractions: Option<String>,
    #[serde(default, rename = "type")]
    _type: Option<String>,
    #[serde(default, rename = "digits")]
    _digits: Option<bool>,
    #[serde(default, rename = "words")]
    _words: Option<bool>,
    #[serde(default, rename = "words_language")]
    _words_language: Option<String>,
    #[serde(default, rename = "words_ruleset")]
    _words_ruleset: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Result<Grammar, Error> {
        let mut g = Grammar::default();
        g.add_source(Path::new("test.yaml"), text)?;
        g.check()?;
        Ok(g)
    }

    #[test]
    fn loads_intents_lists_rules_and_skip_words() {
        let g = load_str(
            r#"
language: en
intents:
  HassStartTimer:
    data:
      - sentences:
          - "<set> [a] timer for {minutes} minute[s]"
        slots: {kind: timer}
        requires_context: {area: {slot: true}}
lists:
  minutes: {range: {from: 1, to: 100}}
  color:
    values:
      - red
      - in: "(blue|azure)"
        out: blue
        context: {domain: light}
  item: {wildcard: true}
expansion_rules:
  set: "(set|start)"
skip_words: [please]
"#,
        )
        .unwrap();
        assert_eq!(g.language.as_deref(), Some("en"));
        assert_eq!(g.template_count(), 1);
        let data = &g.intents["HassStartTimer"][0];
        assert_eq!(data.slots["kind"], "timer");
        assert_eq!(data.source.line, Some(7));
        assert!(matches!(
            g.lists["minutes"],
            SlotList::Range(RangeList {
                from: 1.0,
                to: 100.0,
                ..
            })
        ));
        let SlotList::Values(colors) = &g.lists["color"] else {
            panic!("values")
        };
        assert_eq!(colors[0].output, "red");
        assert_eq!(colors[1].output, "blue");
        assert_eq!(colors[1].context["domain"], "light");
        assert_eq!(g.lists["item"], SlotList::Wildcard);
        assert_eq!(g.skip_words, ["please"]);
    }

    #[test]
    fn template_errors_name_file_line_and_template() {
        let err = load_str("intents:\n  X:\n    data:\n      - sentences:\n          - \"fine\"\n          - \"set (a timer\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("test.yaml:6:"), "{text}");
        assert!(
            text.contains("set (a timer") && text.contains("never closed"),
            "{text}"
        );
    }

    #[test]
    fn yaml_syntax_errors_name_the_line() {
        let err = load_str("intents:\n  X:\n    data: [\n").unwrap_err();
        assert!(
            matches!(
                err,
                Error::Syntax {
                    at: Source { line: Some(_), .. },
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().starts_with("test.yaml:"), "{err}");
    }

    #[test]
    fn unknown_keys_and_bad_lists_are_refused() {
        let err = load_str(
            "intents:\n  X:\n    data:\n      - sentences: [a]\n        sentencess: [b]\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("sentencess"), "{err}");
        let err = load_str("lists:\n  n:\n    range: {from: 10, to: 1}\n").unwrap_err();
        assert!(err.to_string().contains("empty range"), "{err}");
        assert!(err.to_string().starts_with("test.yaml:2"), "{err}");
        let err = load_str("lists:\n  n: {wildcard: true, values: [a]}\n").unwrap_err();
        assert!(err.to_string().contains("exactly one"), "{err}");
    }

    #[test]
    fn unknown_and_recursive_rules_are_refused() {
        let err =
            load_str("intents:\n  X:\n    data:\n      - sentences: [\"<nope>\"]\n").unwrap_err();
        assert!(err.to_string().contains("unknown rule <nope>"), "{err}");
        assert!(err.to_string().starts_with("test.yaml:4"), "{err}");
        let err = load_str("expansion_rules:\n  a: \"x <b>\"\n  b: \"[<a>]\"\n").unwrap_err();
        assert!(err.to_string().contains("refers to itself"), "{err}");
    }

    #[test]
    fn empty_and_null_files_are_fine_but_sentence_less_data_is_not() {
        assert_eq!(load_str("").unwrap().template_count(), 0);
        assert_eq!(load_str("# only a comment\n").unwrap().template_count(), 0);
        let err = load_str("intents:\n  X:\n    data:\n      - sentences: []\n").unwrap_err();
        assert!(err.to_string().contains("without sentences"), "{err}");
    }

    #[test]
    fn json_like_home_assistant_merges() {
        let mut g = Grammar::default();
        g.add_source(
            Path::new("en.json"),
            r#"{"language": "en", "intents": {"HassNevermind": {"data": [{"sentences": ["never mind"]}]}},
                "lists": {}, "expansion_rules": {}, "skip_words": ["please"], "responses": {"errors": {}}}"#,
        )
        .unwrap();
        g.add_source(
            Path::new("more.yaml"),
            "lists:\n  area:\n    values: [kitchen]\n",
        )
        .unwrap();
        assert_eq!(g.template_count(), 1);
        assert!(g.lists.contains_key("area"));
        let err = g
            .add_source(Path::new("bad.json"), "{\n\"intents\": 5}")
            .unwrap_err();
        assert!(err.to_string().starts_with("bad.json:2"), "{err}");
    }

    #[test]
    fn binary_garbage_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("hark-grammar-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("garbage.yaml");
        fs::write(&file, b"intents:\n\xff\xfe\x00garbage").unwrap();
        let err = Grammar::load(&[&file]).unwrap_err();
        assert!(
            err.to_string().contains("garbage.yaml:2") && err.to_string().contains("UTF-8"),
            "{err}"
        );
        fs::write(&file, "\u{0}\u{1}\u{2}: [").unwrap();
        assert!(Grammar::load(&[&file]).is_err());
        let err = Grammar::load(&[dir.join("missing")]).unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
