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
    /// Where each rule was defined, for messages.
    pub rule_sources: BTreeMap<String, Source>,
    /// Phrases removed from a sentence before matching ("please").
    pub skip_words: Vec<String>,
}

/// One group of sentences of an intent, with what they share.
#[derive(Debug, Clone)]
pub struct IntentData {
    /// The parsed templates, with their source text.
    pub sentences: Vec<(String, Expr)>,
    /// The line of each sentence, when found.
    pub lines: Vec<Option<usize>>,
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
            self.rule_sources.insert(
                name.clone(),
                Source {
                    file: file.to_owned(),
                    line: lines.find_key(&name),
                },
            );
            self.rules.insert(name, expr);
        }
        for (name, list) in raw.lists {
            let list = convert_list(&name, list).map_err(|(needle, message)| Error::Invalid {
                at: if needle == name {
                    Source {
                        file: file.to_owned(),
                        line: lines.find_key(&name),
                    }
                } else {
                    locate(&needle)
                },
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
                let mut sentence_lines = Vec::with_capacity(data.sentences.len());
                for sentence in data.sentences {
                    let at = locate(&sentence);
                    let expr = template::parse(&sentence).map_err(|e| Error::Template {
                        at: at.clone(),
                        template: sentence.clone(),
                        error: e,
                    })?;
                    sentences.push((sentence, expr));
                    sentence_lines.push(at.line);
                }
                groups.push(IntentData {
                    sentences,
                    lines: sentence_lines,
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
        // Each rule once, depth first: a rule on the current path again is a
        // cycle; a rule already finished is not walked again, so checking
        // stays linear however often rules refer to each other.
        let mut done = HashSet::new();
        for name in self.rules.keys() {
            self.check_rule(name, &mut Vec::new(), &mut done)?;
        }
        for groups in self.intents.values() {
            for data in groups {
                for (index, (text, expr)) in data.sentences.iter().enumerate() {
                    if let Some(name) = expr
                        .rule_refs()
                        .into_iter()
                        .find(|r| !self.rules.contains_key(*r))
                    {
                        return Err(Error::Invalid {
                            at: Source {
                                file: data.source.file.clone(),
                                line: data.lines.get(index).copied().flatten(),
                            },
                            message: format!("in \"{text}\": unknown rule <{name}>"),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn check_rule(
        &self,
        name: &str,
        path: &mut Vec<String>,
        done: &mut HashSet<String>,
    ) -> Result<(), Error> {
        if done.contains(name) {
            return Ok(());
        }
        let at = || self.rule_sources.get(name).cloned().unwrap_or_default();
        if path.iter().any(|p| p == name) {
            return Err(Error::Invalid {
                at: at(),
                message: format!(
                    "rule <{name}> refers to itself through {} → {name}",
                    path.join(" → ")
                ),
            });
        }
        let body = &self.rules[name];
        path.push(name.to_string());
        for reference in body.rule_refs() {
            if !self.rules.contains_key(reference) {
                return Err(Error::Invalid {
                    at: at(),
                    message: format!("rule <{name}> uses unknown rule <{reference}>"),
                });
            }
            self.check_rule(reference, path, done)?;
        }
        path.pop();
        done.insert(name.to_string());
        Ok(())
    }

    /// Merges `other` into this grammar, as if its files were loaded after
    /// this grammar's: intents gain its sentences, its lists and rules replace
    /// those of the same name.
    pub fn extend(&mut self, other: Grammar) -> Result<(), Error> {
        match (&self.language, &other.language) {
            (Some(mine), Some(theirs)) if mine != theirs => {
                return Err(Error::Invalid {
                    at: Default::default(),
                    message: format!("cannot merge a '{theirs}' grammar into a '{mine}' one"),
                });
            }
            (None, Some(theirs)) => self.language = Some(theirs.clone()),
            _ => {}
        }
        for (name, groups) in other.intents {
            self.intents.entry(name).or_default().extend(groups);
        }
        self.lists.extend(other.lists);
        self.rules.extend(other.rules);
        self.rule_sources.extend(other.rule_sources);
        for word in other.skip_words {
            if !self.skip_words.contains(&word) {
                self.skip_words.push(word);
            }
        }
        self.check()
    }

    /// Replaces the phrases of list `name` with `values`, each said as written
    /// and standing for itself: names a skill learns at run time, such as the
    /// albums and artists of the music library. The text is taken literally
    /// (no template syntax), so a title with brackets or a `|` is just words.
    /// Values that normalize to no words are left out, and each phrase once.
    pub fn set_dynamic_values<I, S>(&mut self, name: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut seen = HashSet::new();
        let list = values
            .into_iter()
            .map(Into::into)
            .filter(|value| {
                let words = crate::text::words(value);
                !words.is_empty() && seen.insert(words)
            })
            .map(|value| ListValue {
                input: Expr::Text(value.clone()),
                input_text: value.clone(),
                output: Value::String(value),
                context: Map::new(),
            })
            .collect();
        self.lists.insert(name.to_string(), SlotList::Values(list));
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
    yaml_and_json_files(path, "no .yaml, .yml or .json grammar files in this folder")
}

/// `path` itself when it is a file, else every `.yaml`, `.yml` and `.json` file in the folder
/// and its subfolders, sorted; the error `none` when there is none.
pub(crate) fn yaml_and_json_files(path: &Path, none: &str) -> Result<Vec<PathBuf>, Error> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |error| Error::Io { path, error }
    };
    if !fs::metadata(path).map_err(io(path))?.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files = Vec::new();
    let mut dirs = vec![path.to_owned()];
    // Folders already read, by their real path: a link back up the tree
    // would otherwise make the walk endless.
    let mut seen = HashSet::new();
    while let Some(dir) = dirs.pop() {
        if !seen.insert(fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone())) {
            continue;
        }
        for entry in fs::read_dir(&dir).map_err(io(&dir))? {
            let p = entry.map_err(io(&dir))?.path();
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
            message: none.to_string(),
        });
    }
    files.sort();
    Ok(files)
}

/// A file's bytes, refused past [`MAX_FILE_BYTES`] from its size alone.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
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
    fs::read(path).map_err(io)
}

fn read_file(path: &Path) -> Result<String, Error> {
    let bytes = read_bytes(path)?;
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

    /// The line where `key:` or `"key":` is written, as a mapping key.
    fn find_key(&self, key: &str) -> Option<usize> {
        let at = [
            format!("\n{key}:"),
            format!(" {key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
        ]
        .iter()
        .find_map(|needle| {
            self.text
                .find(needle.as_str())
                .map(|i| i + usize::from(needle.starts_with(['\n', ' '])))
        })?;
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
        let multiplier = range.multiplier.unwrap_or(1.0);
        if !multiplier.is_finite() || multiplier == 0.0 || multiplier.abs() > 1e6 {
            return Err((
                name.to_string(),
                format!("list '{name}' needs a multiplier between -1e6 and 1e6, other than 0"),
            ));
        }
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
            multiplier,
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
        RawValue::Plain(scalar) => {
            let text = match scalar {
                Scalar::Text(text) => text,
                Scalar::Number(n) => n.to_string(),
                Scalar::Bool(b) => b.to_string(),
            };
            Ok(ListValue {
                input: Expr::Text(text.clone()),
                input_text: text.clone(),
                output: Value::String(text),
                context: Map::new(),
            })
        }
        RawValue::Full(FullValue {
            input,
            output,
            context,
            ..
        }) => {
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
    /// A plain phrase, or a number or boolean said as itself.
    Plain(Scalar),
    Full(FullValue),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullValue {
    #[serde(rename = "in")]
    input: String,
    #[serde(rename = "out")]
    output: Option<Value>,
    context: Option<Map<String, Value>>,
    #[serde(default, rename = "metadata")]
    _metadata: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(serde_json::Number),
    Bool(bool),
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
    fn misspelt_list_values_are_refused_not_read_as_phrases() {
        let err = load_str("lists:\n  color:\n    values:\n      - {inn: blue, out: navy}\n")
            .unwrap_err();
        assert!(err.to_string().contains("color"), "{err}");
        let err = load_str("lists:\n  color:\n    values:\n      - {in: red, outt: crimson}\n")
            .unwrap_err();
        assert!(err.to_string().contains("color"), "{err}");
        let g = load_str("lists:\n  n:\n    values: [5, true, five]\n").unwrap();
        let SlotList::Values(values) = &g.lists["n"] else {
            panic!("values")
        };
        assert_eq!(
            values
                .iter()
                .map(|v| v.input_text.as_str())
                .collect::<Vec<_>>(),
            ["5", "true", "five"]
        );
        let err =
            load_str("lists:\n  n:\n    range: {from: 1, to: 5, multiplier: .nan}\n").unwrap_err();
        assert!(err.to_string().contains("multiplier"), "{err}");
    }

    #[test]
    fn rule_errors_name_the_rule_and_its_line() {
        let err = load_str("expansion_rules:\n  a: \"x\"\n  b: \"<a> <c>\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "test.yaml:3: rule <b> uses unknown rule <c>"
        );
        let err = load_str("intents:\n  X:\n    data:\n      - sentences:\n          - \"fine\"\n          - \"<nope>\"\n").unwrap_err();
        assert!(err.to_string().starts_with("test.yaml:6:"), "{err}");
    }

    #[test]
    fn rules_that_double_at_every_level_check_in_linear_time() {
        let mut text = String::from("expansion_rules:\n  r0: \"x\"\n");
        for i in 1..60 {
            text.push_str(&format!("  r{i}: \"<r{}> <r{}>\"\n", i - 1, i - 1));
        }
        // 2^59 expansions if walked naively; this returns at once.
        assert_eq!(load_str(&text).unwrap().rules.len(), 60);
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
