//! A grammar as a JSGF grammar, for a speech recognizer that decodes against one.
//!
//! A recognizer told what can be said (PocketSphinx with a JSGF grammar) gets
//! commands right far more often than one decoding free English, so hark turns
//! its templates into one JSGF v1.0 grammar ([`export`]). The key decisions:
//!
//! * **Shared rules, not inlined text.** Each expansion rule, list and entity
//!   becomes one JSGF rule that templates refer to, so the text stays small.
//!   PocketSphinx inlines every reference when it builds its search graph, so
//!   [`Stats::inlined_states`] estimates the size of that graph too.
//! * **Words as the tokenizer makes them** ([`crate::text::tokenize`]): lower
//!   case, no punctuation, contractions expanded. The recognizer outputs
//!   words, never digits, so digits in templates and number ranges become
//!   number words ("25" is "twenty five", "7:30" "seven thirty", "5th"
//!   "fifth"), and `%` is "percent". A word that still has characters JSGF or
//!   the pronunciation dictionary cannot take is dropped with a warning, and
//!   with it every alternative that needs it.
//! * **Entities are sub-grammars written here** (`<e_number>`,
//!   `<e_duration>`, `<e_time>`, ...), covering as words what the parsers in
//!   [`crate::entity`] accept: whole numbers up to 999 999 with "point" and
//!   "and a half", ordinals to "thirty first", spoken durations, clock times,
//!   dates, date-times and repeating rules. Abbreviations ("min", "hrs") and
//!   digit forms are left out: nobody says them.
//! * **Free text is bounded.** JSGF has no "any words", so a wildcard slot
//!   (and a list filled at run time, such as device names) becomes
//!   `<filler>`: one to [`Options::wildcard_max_words`] words from
//!   [`FILLER_VOCABULARY`] plus [`Options::wildcard_vocabulary`].
//! * **Skip words** ("please", "hey hark", "can you") may come twice before a
//!   command and once after it, not anywhere as hark's matcher allows.
//! * **Permutations** expand into every order up to
//!   [`Options::max_permutation`] items; larger ones keep only the order as
//!   written, with a warning.
//!
//! [`parse`] reads the subset of JSGF written here back into rules, and
//! [`Jsgf::accepts`] decides whether a sentence is in the grammar, so tests
//! (and a recognizer wrapper) can check what the recognizer may output.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::entity::EntityKind;
use crate::grammar::{Fractions, Grammar, SlotList};
use crate::template::Expr;
use crate::text::tokenize;
use crate::Error;

/// The name of the public rule every command goes through.
pub const PUBLIC_RULE: &str = "command";

/// Words a free-text slot may be made of, besides [`Options::wildcard_vocabulary`]:
/// timer and alarm names, shopping items, reminder tasks, rooms and devices,
/// and the small words that glue them ("take out the trash").
pub const FILLER_VOCABULARY: &[&str] = &[
    // Kitchen timers.
    "pasta",
    "eggs",
    "egg",
    "tea",
    "coffee",
    "oven",
    "laundry",
    "rice",
    "pizza",
    "cookies",
    "cake",
    "bread",
    "potatoes",
    "chicken",
    "roast",
    "soup",
    "steak",
    "fish",
    "beans",
    "noodles",
    "dough",
    "pie",
    "muffins",
    "brownies",
    "oatmeal",
    "porridge",
    "popcorn",
    "kettle",
    "washing",
    "dryer",
    "dishwasher",
    "bath",
    "nap",
    "workout",
    "homework",
    "break",
    "meditation",
    "yoga",
    "plank",
    "reading",
    "study",
    "parking",
    "meeting",
    "game",
    "cooking",
    "baking",
    "boil",
    // Alarms and reminders.
    "wake",
    "up",
    "work",
    "school",
    "gym",
    "run",
    "medicine",
    "pills",
    "vitamins",
    "call",
    "mom",
    "dad",
    "grandma",
    "doctor",
    "dentist",
    "appointment",
    "water",
    "plants",
    "feed",
    "cat",
    "dog",
    "walk",
    "take",
    "out",
    "trash",
    "bins",
    "garbage",
    "recycling",
    "pick",
    "kids",
    "buy",
    "pay",
    "rent",
    "bills",
    "check",
    "email",
    "send",
    "book",
    "clean",
    "kitchen",
    "car",
    "charge",
    "phone",
    "lunch",
    "dinner",
    "breakfast",
    "birthday",
    "party",
    // Shopping.
    "milk",
    "butter",
    "cheese",
    "apples",
    "bananas",
    "oranges",
    "tomatoes",
    "onions",
    "carrots",
    "lettuce",
    "sugar",
    "salt",
    "pepper",
    "flour",
    "oil",
    "juice",
    "yogurt",
    "cereal",
    "honey",
    "jam",
    "toilet",
    "paper",
    "soap",
    "shampoo",
    "toothpaste",
    "batteries",
    "wine",
    "beer",
    "chocolate",
    "dog food",
    "cat food",
    "diapers",
    // Rooms and devices.
    "living",
    "room",
    "bedroom",
    "bathroom",
    "office",
    "garage",
    "hallway",
    "dining",
    "basement",
    "speaker",
    "tv",
    "radio",
    // Music and places.
    "jazz",
    "rock",
    "pop",
    "classical",
    "relaxing",
    "music",
    "beatles",
    "london",
    "paris",
    "berlin",
    "new",
    "york",
    // Glue.
    "the",
    "a",
    "my",
    "to",
    "for",
    "of",
    "and",
    "in",
    "on",
    "at",
    "with",
    "from",
];

/// How to export.
#[derive(Debug, Clone)]
pub struct Options {
    /// The grammar's name in the `grammar` header.
    pub grammar_name: String,
    /// More words for free-text slots, added to [`FILLER_VOCABULARY`]
    /// (each tokenized like a sentence).
    pub wildcard_vocabulary: Vec<String>,
    /// The most words one free-text slot may take; 0 means any number
    /// (`<filler_word>+`, a loop: PocketSphinx then makes one copy of the
    /// vocabulary per slot instead of one per word).
    pub wildcard_max_words: usize,
    /// Permutations with more items keep only their written order.
    pub max_permutation: usize,
    /// Only these intents, when given (a device that needs only some skills
    /// gets a smaller grammar); unknown names are reported as warnings.
    pub intents: Option<BTreeSet<String>>,
    /// The words the recognizer can pronounce (its dictionary); when given,
    /// other words are dropped with a warning, with every alternative that
    /// needs them.
    pub known_words: Option<BTreeSet<String>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            grammar_name: "hark".to_string(),
            wildcard_vocabulary: Vec::new(),
            wildcard_max_words: 4,
            max_permutation: 5,
            intents: None,
            known_words: None,
        }
    }
}

/// One expansion of a JSGF rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    /// A word.
    Word(String),
    /// Parts in order; empty, it matches nothing at all (`<NULL>`).
    Seq(Vec<Node>),
    /// One of the parts.
    Alt(Vec<Node>),
    /// The part or nothing.
    Opt(Box<Node>),
    /// Another rule.
    Rule(String),
    /// The part once or more (`+`).
    Repeat(Box<Node>),
    /// Matches no sentence (`<VOID>`): what a dropped word leaves.
    Void,
}

/// How big the exported grammar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Rules in the text.
    pub rules: usize,
    /// Bytes of the text.
    pub bytes: usize,
    /// Words in the vocabulary.
    pub words: usize,
    /// Roughly how many states PocketSphinx's FSG gets once it has inlined
    /// every rule reference (one per word and per join).
    pub inlined_states: u64,
}

/// An exported grammar.
#[derive(Debug, Clone)]
pub struct Jsgf {
    /// The JSGF text.
    pub text: String,
    /// The rules, by name; [`PUBLIC_RULE`] is the start.
    pub rules: BTreeMap<String, Node>,
    /// Every word a sentence of the grammar may contain.
    pub vocabulary: BTreeSet<String>,
    /// The rules that lists of values became (`{media_name}` is `<l_media_name>`), each
    /// alternative of one a value, for a language model that must hold every value
    /// ([`crate::lm::build`]). Number ranges are not among them: their values are made of a few
    /// number words that any sample of them holds.
    pub value_lists: BTreeSet<String>,
    /// What was dropped or approximated, once each.
    pub warnings: Vec<String>,
    /// Sizes.
    pub stats: Stats,
}

impl Jsgf {
    /// For each rule: how many copies of it PocketSphinx makes (one per
    /// reference on every path from the public rule) and the states of one
    /// copy, its references included. The largest products are where the
    /// search graph's size comes from.
    pub fn inlined_copies(&self) -> Vec<(String, u64, u64)> {
        let mut sizes = HashMap::new();
        let mut copies: BTreeMap<String, u64> = BTreeMap::new();
        copies.insert(PUBLIC_RULE.to_string(), 1);
        // Rules in an order where every rule comes after those that refer to it.
        let mut order = Vec::new();
        let mut seen = BTreeSet::new();
        fn visit(
            rules: &BTreeMap<String, Node>,
            name: &str,
            seen: &mut BTreeSet<String>,
            order: &mut Vec<String>,
        ) {
            if !seen.insert(name.to_string()) {
                return;
            }
            let mut refs = Vec::new();
            if let Some(node) = rules.get(name) {
                rule_refs(node, &mut refs);
            }
            for r in refs {
                visit(rules, &r, seen, order);
            }
            order.push(name.to_string());
        }
        visit(&self.rules, PUBLIC_RULE, &mut seen, &mut order);
        order.reverse();
        for name in &order {
            let n = copies.get(name).copied().unwrap_or(0);
            let mut refs = Vec::new();
            if let Some(node) = self.rules.get(name) {
                rule_refs(node, &mut refs);
            }
            for r in refs {
                *copies.entry(r).or_default() += n;
            }
        }
        let mut out: Vec<(String, u64, u64)> = order
            .iter()
            .map(|name| {
                let size = inlined(&self.rules, name, &mut sizes);
                (name.clone(), copies.get(name).copied().unwrap_or(0), size)
            })
            .collect();
        out.sort_by_key(|(_, copies, size)| std::cmp::Reverse(copies * size));
        out
    }

    /// Whether the grammar's public rule accepts exactly `words`.
    pub fn accepts(&self, words: &[&str]) -> bool {
        accepts(&self.rules, PUBLIC_RULE, words)
    }
}

/// Exports `grammar` as one JSGF grammar.
pub fn export(grammar: &Grammar, options: &Options) -> Result<Jsgf, Error> {
    let mut ex = Exporter {
        grammar,
        options,
        rules: BTreeMap::new(),
        warnings: BTreeSet::new(),
        value_lists: BTreeSet::new(),
    };
    ex.add_entities();
    ex.add_filler();
    let mut intents = Vec::new();
    if let Some(wanted) = &options.intents {
        for name in wanted.iter().filter(|n| !grammar.intents.contains_key(*n)) {
            ex.warnings
                .insert(format!("intent {name} is not in the grammar"));
        }
    }
    let wanted = |name: &String| options.intents.as_ref().is_none_or(|w| w.contains(name));
    for (name, groups) in grammar.intents.iter().filter(|(n, _)| wanted(n)) {
        let sentences: Vec<Node> = groups
            .iter()
            .flat_map(|d| d.sentences.iter())
            .map(|(_, expr)| ex.expr(expr))
            .collect();
        let body = alt(sentences);
        if body == Node::Void {
            ex.warnings
                .insert(format!("intent {name}: no sentence left, left out"));
            continue;
        }
        let rule = format!("i_{}", rule_name(name));
        ex.rules.insert(rule.clone(), body);
        intents.push(Node::Rule(rule));
    }
    let intents = alt(intents);
    if intents == Node::Void {
        return Err(Error::Invalid {
            at: Default::default(),
            message: "no sentence of the grammar can be written as JSGF".to_string(),
        });
    }
    ex.rules.insert("intents".to_string(), intents);
    let skips: Vec<Node> = grammar.skip_words.iter().map(|s| ex.words(s)).collect();
    let skip = alt(skips);
    let command = if skip == Node::Void {
        Node::Rule("intents".to_string())
    } else {
        ex.rules.insert("skip".to_string(), skip);
        let s = || Node::Rule("skip".to_string());
        seq(vec![
            opt(seq(vec![s(), opt(s())])),
            Node::Rule("intents".to_string()),
            opt(s()),
        ])
    };
    ex.rules.insert(PUBLIC_RULE.to_string(), command);
    let Exporter {
        rules,
        warnings,
        mut value_lists,
        ..
    } = ex;
    let rules = resolve(rules);
    value_lists.retain(|name| rules.contains_key(name));
    let mut vocabulary = BTreeSet::new();
    for node in rules.values() {
        collect_words(node, &mut vocabulary);
    }
    let text = render(&options.grammar_name, &rules);
    let mut sizes = HashMap::new();
    let inlined_states = inlined(&rules, PUBLIC_RULE, &mut sizes);
    let stats = Stats {
        rules: rules.len(),
        bytes: text.len(),
        words: vocabulary.len(),
        inlined_states,
    };
    Ok(Jsgf {
        text,
        rules,
        vocabulary,
        value_lists,
        warnings: warnings.into_iter().collect(),
        stats,
    })
}

struct Exporter<'a> {
    grammar: &'a Grammar,
    options: &'a Options,
    rules: BTreeMap<String, Node>,
    warnings: BTreeSet<String>,
    value_lists: BTreeSet<String>,
}

/// A piece of a flattened template: a word boundary, glued text, or a group.
enum Item<'e> {
    Space,
    Text(String),
    Group(&'e Expr),
}

/// The most spellings a run of glued text may have before it is approximated.
const MAX_SPELLINGS: usize = 256;

impl Exporter<'_> {
    /// Converts a template (or part of one) into words and rule references.
    fn expr(&mut self, e: &Expr) -> Node {
        let mut items = Vec::new();
        flatten(e, &mut items);
        let mut parts = Vec::new();
        let mut cluster: Vec<Item<'_>> = Vec::new();
        for item in items {
            match item {
                Item::Space => parts.push(self.cluster(std::mem::take(&mut cluster))),
                // A slot is always a word boundary, as in the matcher.
                Item::Group(Expr::List(list)) => {
                    parts.push(self.cluster(std::mem::take(&mut cluster)));
                    parts.push(self.list(&list.list));
                }
                other => cluster.push(other),
            }
        }
        parts.push(self.cluster(cluster));
        seq(parts)
    }

    /// Text and groups glued without spaces: spelled out and tokenized
    /// together when they are glued, converted as they are otherwise.
    fn cluster(&mut self, items: Vec<Item<'_>>) -> Node {
        match items.as_slice() {
            [] => return seq(Vec::new()),
            [Item::Text(t)] => return self.words(t),
            [Item::Group(g)] => return self.group(g),
            _ => {}
        }
        let mut spellings = vec![String::new()];
        for item in &items {
            let options = match item {
                Item::Text(t) => Some(vec![t.clone()]),
                Item::Space => Some(vec![" ".to_string()]),
                Item::Group(g) => self.spell(g),
            };
            let Some(options) = options else {
                spellings.clear();
                break;
            };
            spellings = spellings
                .iter()
                .flat_map(|s| options.iter().map(move |o| format!("{s}{o}")))
                .collect();
            if spellings.len() > MAX_SPELLINGS {
                spellings.clear();
                break;
            }
        }
        if spellings.is_empty() {
            self.warnings.insert(
                "text glued to a list, permutation or large group is exported as separate words"
                    .to_string(),
            );
            let parts = items
                .iter()
                .map(|i| match i {
                    Item::Text(t) => self.words(t),
                    Item::Group(g) => self.group(g),
                    Item::Space => seq(Vec::new()),
                })
                .collect();
            return seq(parts);
        }
        let options = spellings.iter().map(|s| self.words(s)).collect();
        alt(options)
    }

    /// Every text `e` can spell, when it has no slots or permutations.
    fn spell(&self, e: &Expr) -> Option<Vec<String>> {
        Some(match e {
            Expr::Text(t) => vec![t.clone()],
            Expr::Seq(items) => {
                let mut out = vec![String::new()];
                for item in items {
                    let options = self.spell(item)?;
                    out = out
                        .iter()
                        .flat_map(|s| options.iter().map(move |o| format!("{s}{o}")))
                        .collect();
                    if out.len() > MAX_SPELLINGS {
                        return None;
                    }
                }
                out
            }
            Expr::Alt(options) => {
                let mut out = Vec::new();
                for option in options {
                    out.extend(self.spell(option)?);
                    if out.len() > MAX_SPELLINGS {
                        return None;
                    }
                }
                out
            }
            Expr::Rule(name) => self.spell(self.grammar.rules.get(name)?)?,
            Expr::List(_) | Expr::Perm(_) => return None,
        })
    }

    fn group(&mut self, e: &Expr) -> Node {
        match e {
            Expr::Alt(options) => {
                let options = options.iter().map(|o| self.expr(o)).collect();
                alt(options)
            }
            Expr::Perm(items) => {
                let items: Vec<Node> = items.iter().map(|i| self.expr(i)).collect();
                if items.len() > self.options.max_permutation {
                    self.warnings.insert(format!(
                        "a permutation of {} items keeps only its written order (at most {} are expanded)",
                        items.len(),
                        self.options.max_permutation
                    ));
                    return seq(items);
                }
                let orders = permutations(items.len())
                    .into_iter()
                    .map(|order| seq(order.iter().map(|&i| items[i].clone()).collect()))
                    .collect();
                alt(orders)
            }
            Expr::Rule(name) => self.rule(name),
            Expr::List(list) => self.list(&list.list),
            Expr::Text(t) => self.words(t),
            Expr::Seq(_) => self.expr(e),
        }
    }

    /// A reference to the JSGF rule of an expansion rule, converted once.
    fn rule(&mut self, name: &str) -> Node {
        let jsgf = format!("r_{}", rule_name(name));
        if !self.rules.contains_key(&jsgf) {
            // Reserve the name first: rules never refer to themselves (the
            // grammar checks), but this keeps a bad grammar from looping.
            self.rules.insert(jsgf.clone(), Node::Void);
            let body = match self.grammar.rules.get(name) {
                Some(expr) => self.expr(expr),
                None => Node::Void,
            };
            self.rules.insert(jsgf.clone(), body);
        }
        Node::Rule(jsgf)
    }

    /// A reference to the JSGF rule of a slot list.
    fn list(&mut self, name: &str) -> Node {
        let grammar = self.grammar;
        match grammar.lists.get(name) {
            None => match EntityKind::from_name(name) {
                Some(kind) => Node::Rule(format!("e_{}", kind.name())),
                None => {
                    self.warnings.insert(format!(
                        "list {{{name}}} is filled at run time: exported as free text"
                    ));
                    Node::Rule("filler".to_string())
                }
            },
            Some(SlotList::Wildcard) => Node::Rule("filler".to_string()),
            Some(list) => {
                let jsgf = format!("l_{}", rule_name(name));
                if !self.rules.contains_key(&jsgf) {
                    self.rules.insert(jsgf.clone(), Node::Void);
                    let body = match list {
                        SlotList::Values(values) => {
                            self.value_lists.insert(jsgf.clone());
                            let options = values.iter().map(|v| self.expr(&v.input)).collect();
                            alt(options)
                        }
                        SlotList::Range(range) => self.range(name, range),
                        SlotList::Wildcard => Node::Rule("filler".to_string()),
                    };
                    self.rules.insert(jsgf.clone(), body);
                }
                Node::Rule(jsgf)
            }
        }
    }

    fn range(&mut self, name: &str, range: &crate::grammar::RangeList) -> Node {
        let count = ((range.to - range.from) / range.step).floor() + 1.0;
        let whole = range.from.fract() == 0.0 && range.step.fract() == 0.0;
        if !whole || count > 1000.0 || range.from < 0.0 {
            self.warnings.insert(format!(
                "list {{{name}}}: a range of {count} values or with fractions is exported as any number"
            ));
            return Node::Rule("e_number".to_string());
        }
        let mut options = Vec::new();
        let mut n = range.from;
        while n <= range.to {
            let words = number_words(n as u64);
            let node = seq(words.iter().cloned().map(Node::Word).collect());
            let fraction = match range.fractions {
                Fractions::None => None,
                Fractions::Halves => Some(alt(vec![
                    seq(vec![word("and"), word("a"), word("half")]),
                    seq(vec![word("point"), word("five")]),
                ])),
                Fractions::Tenths => {
                    Some(seq(vec![word("point"), Node::Rule("e_digit".to_string())]))
                }
            };
            match fraction {
                // The fraction may not pass the range's end: "100.5" of 0..100.
                Some(f) if n < range.to => options.push(seq(vec![node, opt(f)])),
                _ => options.push(node),
            }
            n += range.step;
        }
        alt(options)
    }

    /// The words of `text`, tokenized like a sentence and spoken.
    fn words(&mut self, text: &str) -> Node {
        let mut out = Vec::new();
        for token in tokenize(text) {
            let Some(spoken) = spoken(&token.text) else {
                self.warnings.insert(format!(
                    "word \"{}\" cannot be written in JSGF: dropped",
                    token.text
                ));
                return Node::Void;
            };
            for w in spoken {
                if let Some(known) = &self.options.known_words {
                    if !known.contains(&w) {
                        self.warnings
                            .insert(format!("word \"{w}\" is not in the dictionary: dropped"));
                        return Node::Void;
                    }
                }
                out.push(Node::Word(w));
            }
        }
        seq(out)
    }

    fn add_entities(&mut self) {
        let (_, rules) = parse(ENTITY_RULES).unwrap_or_else(|e| panic!("entity rules: {e}"));
        for (name, node) in rules {
            self.rules.insert(name, node);
        }
        let ordinals = (1..=31)
            .map(|n| seq(ordinal_words(n).into_iter().map(Node::Word).collect()))
            .collect();
        self.rules.insert("e_ordinal".to_string(), alt(ordinals));
        // Entity rules are words of their own: check them against the
        // dictionary like template words.
        if self.options.known_words.is_some() {
            let names: Vec<String> = self.rules.keys().cloned().collect();
            for name in names {
                let node = self.rules[&name].clone();
                let checked = self.check_words(&node);
                self.rules.insert(name, checked);
            }
        }
    }

    fn check_words(&mut self, node: &Node) -> Node {
        match node {
            Node::Word(w) => self.words(w),
            Node::Seq(items) => seq(items.iter().map(|i| self.check_words(i)).collect()),
            Node::Alt(items) => alt(items.iter().map(|i| self.check_words(i)).collect()),
            Node::Opt(inner) => opt(self.check_words(inner)),
            Node::Repeat(inner) => repeat(self.check_words(inner)),
            Node::Rule(_) | Node::Void => node.clone(),
        }
    }

    fn add_filler(&mut self) {
        let mut vocabulary: Vec<Node> = Vec::new();
        let extra: Vec<String> = self.options.wildcard_vocabulary.clone();
        for phrase in FILLER_VOCABULARY.iter().map(|s| s.to_string()).chain(extra) {
            let node = self.words(&phrase);
            if node != Node::Void && !vocabulary.contains(&node) {
                vocabulary.push(node);
            }
        }
        self.rules
            .insert("filler_word".to_string(), alt(vocabulary));
        let mut filler = Node::Rule("filler_word".to_string());
        if self.options.wildcard_max_words == 0 {
            filler = Node::Repeat(Box::new(filler));
        }
        for _ in 1..self.options.wildcard_max_words.max(1) {
            filler = seq(vec![Node::Rule("filler_word".to_string()), opt(filler)]);
        }
        self.rules.insert("filler".to_string(), filler);
    }
}

fn flatten<'e>(e: &'e Expr, items: &mut Vec<Item<'e>>) {
    match e {
        Expr::Seq(parts) => parts.iter().for_each(|p| flatten(p, items)),
        Expr::Text(text) => {
            let mut rest = text.as_str();
            while !rest.is_empty() {
                let space = rest.len() - rest.trim_start().len();
                if space > 0 {
                    items.push(Item::Space);
                    rest = &rest[space..];
                    continue;
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                items.push(Item::Text(rest[..end].to_string()));
                rest = &rest[end..];
            }
        }
        other => items.push(Item::Group(other)),
    }
}

/// Every order of `0..n`.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for rest in permutations(n - 1) {
        for i in 0..=rest.len() {
            let mut order = rest.clone();
            order.insert(i, n - 1);
            out.push(order);
        }
    }
    out
}

/// A rule name JSGF takes: letters, digits and `_`.
fn rule_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn word(w: &str) -> Node {
    Node::Word(w.to_string())
}

/// A sequence, simplified: nested sequences flattened, nothing in it void.
fn seq(items: Vec<Node>) -> Node {
    let mut out = Vec::new();
    for item in items {
        match item {
            Node::Void => return Node::Void,
            Node::Seq(inner) => out.extend(inner),
            other => out.push(other),
        }
    }
    if out.len() == 1 {
        return out.pop().unwrap_or(Node::Void);
    }
    Node::Seq(out)
}

/// Alternatives, simplified: void ones dropped, duplicates removed, an
/// empty one turned into an optional.
fn alt(options: Vec<Node>) -> Node {
    let mut out = Alternatives::default();
    let mut optional = false;
    for option in options {
        match option {
            Node::Void => {}
            Node::Seq(ref s) if s.is_empty() => optional = true,
            Node::Opt(inner) => {
                optional = true;
                out.push(*inner);
            }
            other => out.push(other),
        }
    }
    let mut out = out.nodes;
    let node = match out.len() {
        0 if optional => return Node::Seq(Vec::new()),
        0 => return Node::Void,
        1 => out.pop().unwrap_or(Node::Void),
        _ => Node::Alt(out),
    };
    if optional {
        opt(node)
    } else {
        node
    }
}

/// Alternatives in order, without duplicates; a set beside the list keeps that linear, so a
/// list of 15,000 library names is not compared pairwise.
#[derive(Default)]
struct Alternatives {
    nodes: Vec<Node>,
    seen: std::collections::HashSet<Node>,
}

impl Alternatives {
    /// Adds `node`, or each of its alternatives, unless already there.
    fn push(&mut self, node: Node) {
        match node {
            Node::Alt(inner) => inner.into_iter().for_each(|n| self.push(n)),
            other => {
                if self.seen.insert(other.clone()) {
                    self.nodes.push(other);
                }
            }
        }
    }
}

fn repeat(node: Node) -> Node {
    match node {
        Node::Void => Node::Void,
        Node::Seq(ref s) if s.is_empty() => node,
        other => Node::Repeat(Box::new(other)),
    }
}

fn opt(node: Node) -> Node {
    match node {
        Node::Void => Node::Seq(Vec::new()),
        Node::Seq(ref s) if s.is_empty() => node,
        Node::Opt(_) => node,
        other => Node::Opt(Box::new(other)),
    }
}

/// Replaces references to void rules by void, until nothing changes, and
/// keeps only the rules the public rule reaches.
fn resolve(mut rules: BTreeMap<String, Node>) -> BTreeMap<String, Node> {
    loop {
        // Void rules, and rules referred to that do not exist.
        let mut void: BTreeSet<String> = rules
            .iter()
            .filter(|(_, n)| **n == Node::Void)
            .map(|(k, _)| k.clone())
            .collect();
        let mut refs = Vec::new();
        rules.values().for_each(|n| rule_refs(n, &mut refs));
        void.extend(refs.into_iter().filter(|r| !rules.contains_key(r)));
        let mut changed = false;
        for node in rules.values_mut() {
            let new = replace_void(node, &void);
            if new != *node {
                *node = new;
                changed = true;
            }
        }
        rules.retain(|_, n| *n != Node::Void);
        if !changed {
            break;
        }
    }
    let mut reached = BTreeSet::new();
    let mut stack = vec![PUBLIC_RULE.to_string()];
    while let Some(name) = stack.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(node) = rules.get(&name) {
            let mut refs = Vec::new();
            rule_refs(node, &mut refs);
            stack.extend(refs);
        }
    }
    rules.retain(|k, _| reached.contains(k));
    rules
}

fn replace_void(node: &Node, void: &BTreeSet<String>) -> Node {
    match node {
        Node::Rule(r) if void.contains(r) => Node::Void,
        Node::Seq(items) => seq(items.iter().map(|i| replace_void(i, void)).collect()),
        Node::Alt(items) => alt(items.iter().map(|i| replace_void(i, void)).collect()),
        Node::Opt(inner) => opt(replace_void(inner, void)),
        Node::Repeat(inner) => repeat(replace_void(inner, void)),
        other => other.clone(),
    }
}

fn rule_refs(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Rule(r) => out.push(r.clone()),
        Node::Seq(items) | Node::Alt(items) => items.iter().for_each(|i| rule_refs(i, out)),
        Node::Opt(inner) | Node::Repeat(inner) => rule_refs(inner, out),
        Node::Word(_) | Node::Void => {}
    }
}

fn collect_words(node: &Node, out: &mut BTreeSet<String>) {
    match node {
        Node::Word(w) => {
            out.insert(w.clone());
        }
        Node::Seq(items) | Node::Alt(items) => items.iter().for_each(|i| collect_words(i, out)),
        Node::Opt(inner) | Node::Repeat(inner) => collect_words(inner, out),
        Node::Rule(_) | Node::Void => {}
    }
}

/// The states PocketSphinx makes of `rule` when it inlines every reference.
fn inlined(rules: &BTreeMap<String, Node>, rule: &str, memo: &mut HashMap<String, u64>) -> u64 {
    if let Some(&n) = memo.get(rule) {
        return n;
    }
    let n = rules
        .get(rule)
        .map_or(0, |node| node_states(rules, node, memo));
    memo.insert(rule.to_string(), n);
    n
}

fn node_states(
    rules: &BTreeMap<String, Node>,
    node: &Node,
    memo: &mut HashMap<String, u64>,
) -> u64 {
    match node {
        Node::Word(_) => 1,
        Node::Seq(items) => items.iter().map(|i| node_states(rules, i, memo)).sum(),
        Node::Alt(items) => {
            1 + items
                .iter()
                .map(|i| node_states(rules, i, memo))
                .sum::<u64>()
        }
        Node::Opt(inner) | Node::Repeat(inner) => 1 + node_states(rules, inner, memo),
        Node::Rule(r) => 2 + inlined(rules, r, memo),
        Node::Void => 0,
    }
}

/// Writes the rules as JSGF text, the public rule first.
fn render(grammar_name: &str, rules: &BTreeMap<String, Node>) -> String {
    let mut out = format!(
        "#JSGF V1.0;\n\n// Generated by hark from its sentence templates.\n\ngrammar {};\n\n",
        rule_name(grammar_name)
    );
    if let Some(node) = rules.get(PUBLIC_RULE) {
        out.push_str(&format!(
            "public <{PUBLIC_RULE}> = {};\n",
            render_node(node, true)
        ));
    }
    for (name, node) in rules.iter().filter(|(n, _)| *n != PUBLIC_RULE) {
        out.push_str(&format!("<{name}> = {};\n", render_node(node, true)));
    }
    out
}

fn render_node(node: &Node, top: bool) -> String {
    match node {
        Node::Word(w) => w.clone(),
        Node::Seq(items) if items.is_empty() => "<NULL>".to_string(),
        Node::Seq(items) => items
            .iter()
            .map(|i| render_node(i, false))
            .collect::<Vec<_>>()
            .join(" "),
        Node::Alt(items) => {
            let inner = items
                .iter()
                .map(|i| render_node(i, true))
                .collect::<Vec<_>>()
                .join(" | ");
            if top {
                inner
            } else {
                format!("({inner})")
            }
        }
        Node::Opt(inner) => format!("[{}]", render_node(inner, true)),
        Node::Repeat(inner) => format!("({})+", render_node(inner, true)),
        Node::Rule(r) => format!("<{r}>"),
        Node::Void => "<VOID>".to_string(),
    }
}

/// The words a speaker says for `text`, as the recognizer would write them:
/// tokenized like a sentence, digits and symbols spoken ("set a timer for
/// 5 minutes at 7:30" gives "... five minutes at seven thirty"). `None` when
/// a token cannot be spoken.
pub fn spoken_words(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for token in tokenize(text) {
        out.extend(spoken(&token.text)?);
    }
    Some(out)
}

/// A token as the recognizer would say it: letters stay, numbers and a few
/// symbols become words; anything else cannot be spoken.
fn spoken(token: &str) -> Option<Vec<String>> {
    let is_word = token.chars().all(|c| c.is_alphabetic() || c == '\'')
        && token.starts_with(char::is_alphabetic);
    if is_word {
        return Some(vec![token.to_string()]);
    }
    let symbol = match token {
        "%" => Some("percent"),
        "°" => Some("degrees"),
        "&" => Some("and"),
        "+" => Some("plus"),
        "#" => Some("number"),
        _ => None,
    };
    if let Some(s) = symbol {
        return Some(vec![s.to_string()]);
    }
    let digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.chars().all(|c| c.is_ascii_digit());
    if digits(token) {
        return Some(number_words(token.parse().ok()?));
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(n) = token.strip_suffix(suffix).filter(|n| digits(n)) {
            return Some(ordinal_words(n.parse().ok()?));
        }
    }
    if let Some((whole, fraction)) = token.split_once('.') {
        if digits(whole) && digits(fraction) {
            let mut out = number_words(whole.parse().ok()?);
            out.push("point".to_string());
            for d in fraction.chars() {
                out.extend(number_words(u64::from(d.to_digit(10)?)));
            }
            return Some(out);
        }
    }
    if let Some((hour, minute)) = token.split_once(':') {
        if digits(hour) && minute.len() == 2 && digits(minute) {
            let mut out = number_words(hour.parse().ok()?);
            let m: u64 = minute.parse().ok()?;
            match m {
                0 => {}
                1..=9 => {
                    out.push("oh".to_string());
                    out.extend(number_words(m));
                }
                _ => out.extend(number_words(m)),
            }
            return Some(out);
        }
    }
    None
}

/// Number words below twenty.
pub(crate) const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
/// The tens' words, by ten (the first two empty).
pub(crate) const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// A whole number as it is said: 125 is "one hundred twenty five".
pub fn number_words(n: u64) -> Vec<String> {
    fn below_thousand(n: u64, out: &mut Vec<String>) {
        if n >= 100 {
            out.push(ONES[(n / 100) as usize].to_string());
            out.push("hundred".to_string());
        }
        let rest = n % 100;
        if rest >= 20 {
            out.push(TENS[(rest / 10) as usize].to_string());
            if rest % 10 > 0 {
                out.push(ONES[(rest % 10) as usize].to_string());
            }
        } else if rest > 0 {
            out.push(ONES[rest as usize].to_string());
        }
    }
    if n == 0 {
        return vec!["zero".to_string()];
    }
    let mut out = Vec::new();
    let mut groups = Vec::new();
    let mut m = n;
    while m > 0 {
        groups.push(m % 1000);
        m /= 1000;
    }
    let scales = [
        "",
        "thousand",
        "million",
        "billion",
        "trillion",
        "quadrillion",
        "quintillion",
    ];
    for (i, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            continue;
        }
        below_thousand(group, &mut out);
        if i > 0 {
            out.push(scales[i].to_string());
        }
    }
    out
}

/// An ordinal as it is said: 21 is "twenty first".
pub fn ordinal_words(n: u64) -> Vec<String> {
    let mut words = number_words(n);
    if let Some(last) = words.pop() {
        let ordinal = match last.as_str() {
            "one" => "first".to_string(),
            "two" => "second".to_string(),
            "three" => "third".to_string(),
            "five" => "fifth".to_string(),
            "eight" => "eighth".to_string(),
            "nine" => "ninth".to_string(),
            "twelve" => "twelfth".to_string(),
            w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
            w => format!("{w}th"),
        };
        words.push(ordinal);
    }
    words
}

/// The entity sub-grammars, as words, matching what `crate::entity` accepts.
/// `<e_ordinal>` is generated.
const ENTITY_RULES: &str = r"
<e_digit> = one | two | three | four | five | six | seven | eight | nine;
<e_teen> = ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen;
<e_tens> = twenty | thirty | forty | fifty | sixty | seventy | eighty | ninety;
<e_n99> = <e_digit> | <e_teen> | <e_tens> [<e_digit>];
<e_n999> = <e_n99> | (a | <e_digit>) hundred [[and] <e_n99>];
<e_integer> = zero | (<e_n999> | a) thousand [[and] <e_n999>] | <e_n999>;
<e_fraction> = and a half | and a quarter | and three quarters | point (<e_digit> | zero | oh) [<e_digit> | zero];
<e_number> = <e_integer> [<e_fraction>] | (minus | negative) <e_integer> | a dozen | half a dozen | a couple [of] | half | a quarter | three quarters;
<e_quantity> = <e_n99> [and a half] | a | an | a couple [of] | (a | one) hundred [[and] <e_n99>];
<e_seconds> = <e_quantity> (second | seconds) | half a minute;
<e_minutes> = <e_quantity> (minute | minutes) | half an hour | half hour | a half hour | [a] quarter (of an hour | hour) | three quarters of an hour;
<e_hours> = <e_quantity> (hour | hours) [and a (half | quarter)];
<e_duration> = <e_hours> [[and] <e_minutes>] | [<e_minutes> [and]] <e_seconds> | <e_minutes> | <e_quantity> (day | days | week | weeks);
<e_hour> = <e_digit> | ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen | twenty [one | two | three] | zero;
<e_clock_minutes> = (twenty | thirty | forty | fifty) [<e_digit>] | <e_teen> | oh <e_digit>;
<e_day_part> = am | pm | in the (morning | afternoon | evening) | at night | tonight | this (morning | afternoon | evening);
<e_clock> = <e_hour> [<e_clock_minutes> | o'clock] [<e_day_part>] | (half | [a] quarter | <e_n99> [minute | minutes]) (past | after | to | till) (<e_hour> | noon | midnight) [<e_day_part>] | noon | midnight | midday | twelve (noon | midnight);
<e_time> = [at | for] <e_clock>;
<e_weekday> = monday | tuesday | wednesday | thursday | friday | saturday | sunday;
<e_month> = january | february | march | april | may | june | july | august | september | october | november | december;
<e_day> = today | tomorrow | yesterday | the day after tomorrow | the day before yesterday | [this | next | last | coming] <e_weekday> | <e_weekday> next week | [<e_weekday>] the <e_ordinal> [of <e_month>] | <e_month> [the] <e_ordinal> | christmas [eve] | new years (eve | day) | halloween | valentines day | in <e_quantity> (day | days | week | weeks) | a week from (today | tomorrow);
<e_possessive> = today's | tomorrow's | yesterday's | tonight's | [this | next] (monday's | tuesday's | wednesday's | thursday's | friday's | saturday's | sunday's | weekend's | week's);
<e_date> = [on | for] (<e_day> | [this | next] (weekend | week | month) | the weekend) | <e_possessive>;
<e_day_time> = tonight | this (morning | afternoon | evening) | in the (morning | afternoon | evening) | (tomorrow | <e_weekday>) (morning | afternoon | evening | night) | <e_day> [(in the (morning | afternoon | evening)) | at night];
<e_datetime> = [at | on | for] ([in] <e_duration> [time | from now] | <e_clock> [[on] <e_day_time>] | <e_day_time> [at <e_clock>]);
<e_weekdays> = mondays | tuesdays | wednesdays | thursdays | fridays | saturdays | sundays;
<e_every> = (every | each) (day | weekday | weekend | morning | afternoon | evening | night | other day | <e_digit> days | <e_weekday> [morning | afternoon | evening | night] [[and] [every] <e_weekday>] [[and] [every] <e_weekday>]) | daily | nightly | everyday | [on] (weekdays | weekends) | [on] <e_weekdays> [[and] <e_weekdays>] [[and] <e_weekdays>];
<e_recurrence> = [on] <e_every> [[at] <e_clock>] | [at] <e_clock> <e_every>;
";

/// Reads JSGF text of the subset [`export`] writes (rules, `|`, `( )`,
/// `[ ]`, `<rule>`, words; no weights, tags or `*`/`+`): the public rule's
/// name and every rule.
pub fn parse(text: &str) -> Result<(Option<String>, BTreeMap<String, Node>), String> {
    let mut public = None;
    let mut rules = BTreeMap::new();
    for statement in text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
        .split(';')
    {
        let statement = statement.trim();
        if statement.is_empty()
            || statement.starts_with("#JSGF")
            || statement.starts_with("grammar ")
        {
            continue;
        }
        let (head, body) = statement
            .split_once('=')
            .ok_or_else(|| format!("not a rule: {statement}"))?;
        let head = head.trim();
        let (is_public, name) = match head.strip_prefix("public") {
            Some(rest) => (true, rest.trim()),
            None => (false, head),
        };
        let name = name
            .strip_prefix('<')
            .and_then(|n| n.strip_suffix('>'))
            .ok_or_else(|| format!("bad rule name: {head}"))?
            .to_string();
        let tokens = lex(body);
        let mut pos = 0;
        let node = parse_alt(&tokens, &mut pos)?;
        if pos != tokens.len() {
            return Err(format!("<{name}>: unexpected '{}'", tokens[pos]));
        }
        if is_public {
            public = Some(name.clone());
        }
        rules.insert(name, node);
    }
    Ok((public, rules))
}

fn lex(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
                let mut name = String::from("<");
                for n in chars.by_ref() {
                    name.push(n);
                    if n == '>' {
                        break;
                    }
                }
                tokens.push(name);
            }
            '|' | '(' | ')' | '[' | ']' | '+' => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
                tokens.push(c.to_string());
            }
            c if c.is_whitespace() => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

fn parse_alt(tokens: &[String], pos: &mut usize) -> Result<Node, String> {
    let mut options = vec![parse_seq(tokens, pos)?];
    while tokens.get(*pos).map(String::as_str) == Some("|") {
        *pos += 1;
        options.push(parse_seq(tokens, pos)?);
    }
    Ok(if options.len() == 1 {
        options.pop().unwrap_or(Node::Void)
    } else {
        Node::Alt(options)
    })
}

fn parse_seq(tokens: &[String], pos: &mut usize) -> Result<Node, String> {
    let mut items = Vec::new();
    while let Some(token) = tokens.get(*pos) {
        match token.as_str() {
            "|" | ")" | "]" => break,
            "(" | "[" => {
                *pos += 1;
                let inner = parse_alt(tokens, pos)?;
                let close = if token == "(" { ")" } else { "]" };
                if tokens.get(*pos).map(String::as_str) != Some(close) {
                    return Err(format!("'{token}' is never closed"));
                }
                *pos += 1;
                let plus = close == ")" && tokens.get(*pos).map(String::as_str) == Some("+");
                if plus {
                    *pos += 1;
                }
                items.push(match (close, plus) {
                    ("]", _) => Node::Opt(Box::new(inner)),
                    (_, true) => Node::Repeat(Box::new(inner)),
                    _ => inner,
                });
            }
            "<NULL>" => {
                *pos += 1;
            }
            "<VOID>" => {
                *pos += 1;
                items.push(Node::Void);
            }
            t if t.starts_with('<') => {
                *pos += 1;
                items.push(Node::Rule(t.trim_matches(['<', '>']).to_string()));
            }
            t => {
                *pos += 1;
                items.push(Node::Word(t.to_string()));
            }
        }
    }
    Ok(if items.len() == 1 {
        items.pop().unwrap_or(Node::Void)
    } else {
        Node::Seq(items)
    })
}

/// Whether rule `start` of `rules` accepts exactly `words`.
pub fn accepts(rules: &BTreeMap<String, Node>, start: &str, words: &[&str]) -> bool {
    let mut acceptor = Acceptor {
        rules,
        words,
        memo: HashMap::new(),
    };
    acceptor.rule(start, 0).contains(&words.len())
}

struct Acceptor<'a> {
    rules: &'a BTreeMap<String, Node>,
    words: &'a [&'a str],
    memo: HashMap<(&'a str, usize), BTreeSet<usize>>,
}

impl<'a> Acceptor<'a> {
    fn rule(&mut self, name: &str, at: usize) -> BTreeSet<usize> {
        let Some((key, node)) = self.rules.get_key_value(name) else {
            return BTreeSet::new();
        };
        if let Some(ends) = self.memo.get(&(key.as_str(), at)) {
            return ends.clone();
        }
        // A rule on the way to itself matches nothing here (JSGF written by
        // export has no recursion).
        self.memo.insert((key.as_str(), at), BTreeSet::new());
        let ends = self.node(node, at);
        self.memo.insert((key.as_str(), at), ends.clone());
        ends
    }

    fn node(&mut self, node: &'a Node, at: usize) -> BTreeSet<usize> {
        match node {
            Node::Word(w) => {
                if self.words.get(at) == Some(&w.as_str()) {
                    BTreeSet::from([at + 1])
                } else {
                    BTreeSet::new()
                }
            }
            Node::Seq(items) => {
                let mut positions = BTreeSet::from([at]);
                for item in items {
                    let mut next = BTreeSet::new();
                    for p in positions {
                        next.extend(self.node(item, p));
                    }
                    if next.is_empty() {
                        return next;
                    }
                    positions = next;
                }
                positions
            }
            Node::Alt(items) => {
                let mut out = BTreeSet::new();
                for item in items {
                    out.extend(self.node(item, at));
                }
                out
            }
            Node::Opt(inner) => {
                let mut out = self.node(inner, at);
                out.insert(at);
                out
            }
            Node::Repeat(inner) => {
                let mut out = BTreeSet::new();
                let mut frontier = self.node(inner, at);
                while !frontier.is_empty() {
                    let new: Vec<usize> = frontier.difference(&out).copied().collect();
                    out.extend(new.iter().copied());
                    frontier = BTreeSet::new();
                    for p in new {
                        frontier.extend(self.node(inner, p));
                    }
                }
                out
            }
            Node::Rule(r) => self.rule(r, at),
            Node::Void => BTreeSet::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn grammar(yaml: &str) -> Grammar {
        let mut g = Grammar::default();
        g.add_source(Path::new("test.yaml"), yaml).unwrap();
        g
    }

    fn says(jsgf: &Jsgf, sentence: &str) -> bool {
        let words: Vec<&str> = sentence.split_whitespace().collect();
        jsgf.accepts(&words)
    }

    #[test]
    fn numbers_and_ordinals_in_words() {
        let w = |n| number_words(n).join(" ");
        assert_eq!(w(0), "zero");
        assert_eq!(w(7), "seven");
        assert_eq!(w(25), "twenty five");
        assert_eq!(w(100), "one hundred");
        assert_eq!(w(1205), "one thousand two hundred five");
        let o = |n| ordinal_words(n).join(" ");
        assert_eq!(o(1), "first");
        assert_eq!(o(12), "twelfth");
        assert_eq!(o(20), "twentieth");
        assert_eq!(o(31), "thirty first");
    }

    #[test]
    fn glued_text_rules_lists_and_digits() {
        let g = grammar(
            r#"
intents:
  X:
    data:
      - sentences:
          - "<set> [a] timer[s] for 5 hour[s]"
          - "day[ ]light at 7:30"
          - "volume {v}[%| percent]"
          - "(red;green;blue)"
lists:
  v: {range: {from: 1, to: 3}}
expansion_rules:
  set: "(set|start)"
"#,
        );
        let jsgf = export(&g, &Options::default()).unwrap();
        for ok in [
            "set a timers for five hours",
            "start timer for five hour",
            "daylight at seven thirty",
            "day light at seven thirty",
            "volume two percent",
            "volume three",
            "blue red green",
        ] {
            assert!(says(&jsgf, ok), "{ok}\n{}", jsgf.text);
        }
        for no in ["set a timer for 5 hours", "volume four", "red green"] {
            assert!(!says(&jsgf, no), "{no}");
        }
        assert!(
            jsgf.text.contains("<r_set> = set | start;"),
            "{}",
            jsgf.text
        );
        let (public, rules) = parse(&jsgf.text).unwrap();
        assert_eq!(public.as_deref(), Some(PUBLIC_RULE));
        assert!(accepts(&rules, PUBLIC_RULE, &["volume", "one", "percent"]));
    }

    #[test]
    fn unspeakable_words_drop_their_alternative_with_a_warning() {
        let g = grammar(
            "intents:\n  X:\n    data:\n      - sentences: [\"turn on ~$x_y=z\", \"turn off\"]\n",
        );
        let jsgf = export(&g, &Options::default()).unwrap();
        assert!(says(&jsgf, "turn off"));
        assert!(!jsgf.warnings.is_empty());
        let known = ["turn", "on"].map(String::from).into_iter().collect();
        let options = Options {
            known_words: Some(known),
            ..Options::default()
        };
        let err = export(&g, &options);
        assert!(err.is_err());
    }

    #[test]
    fn only_the_intents_asked_for() {
        let g = grammar("intents:\n  A:\n    data:\n      - sentences: [\"start\"]\n  B:\n    data:\n      - sentences: [\"stop\"]\n");
        let options = Options {
            intents: Some(["B", "C"].map(String::from).into_iter().collect()),
            ..Options::default()
        };
        let jsgf = export(&g, &options).unwrap();
        assert!(says(&jsgf, "stop"));
        assert!(!says(&jsgf, "start"));
        assert_eq!(jsgf.warnings, ["intent C is not in the grammar"]);
    }

    #[test]
    fn wildcards_take_bounded_filler_words() {
        let g = grammar("intents:\n  X:\n    data:\n      - sentences: [\"set a {n} timer\"]\nlists:\n  n: {wildcard: true}\n");
        let options = Options {
            wildcard_vocabulary: vec!["spaghetti".to_string()],
            ..Options::default()
        };
        let jsgf = export(&g, &options).unwrap();
        assert!(says(&jsgf, "set a pasta timer"));
        assert!(says(&jsgf, "set a spaghetti timer"));
        assert!(says(&jsgf, "set a pasta eggs tea rice timer"));
        assert!(!says(&jsgf, "set a pasta eggs tea rice oven timer"));
        assert!(!says(&jsgf, "set a timer"));
        let looped = Options {
            wildcard_max_words: 0,
            ..Options::default()
        };
        let jsgf = export(&g, &looped).unwrap();
        assert!(jsgf.text.contains("(<filler_word>)+"), "{}", jsgf.text);
        assert!(says(&jsgf, "set a pasta eggs tea rice oven timer"));
        assert!(!says(&jsgf, "set a timer"));
        let (_, rules) = parse(&jsgf.text).unwrap();
        assert!(accepts(
            &rules,
            PUBLIC_RULE,
            &["set", "a", "tea", "tea", "timer"]
        ));
    }
}
