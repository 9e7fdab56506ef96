//! The list skill: add to, read, check off, remove from and clear the
//! household's shopping list, to-do list and named lists.
//!
//! The skill does no I/O: the runtime gives it every list of the household
//! ([`Turn::lists`]) and applies the [`ListEffect`]s it returns durably
//! before the answer. Items are compared as the store compares them
//! ([`item_key`]: "egg" is "Eggs"), so what the skill says ("Milk is
//! already on your shopping list") is what the store will do.
//!
//! One sentence may name several items ("milk, eggs and bread"): they are
//! split at commas and "and", except pairs people buy as one thing ("salt
//! and pepper", "mac and cheese"). A sentence that names no list: adding asks
//! which list ("Add milk and eggs to which list?", the answer read as the
//! list's name); removing or checking off looks on every list and asks which
//! when several hold the item. Reading or clearing without a name means the
//! shopping list.

use hark_core::lists::{
    item_key, normalize_list_name, ListEffect, ListItemView, ListView, MAX_ITEMS_PER_LIST,
    MAX_ITEM_CHARS, SHOPPING_LIST, TODO_LIST,
};
use hark_core::skill::{Effect, Expect, Needs, Outcome, Skill, SkillError, Turn};
use hark_core::{Intent, SlotName, SlotValue};

use crate::responses::{Localized, ResponseFile, Responses, Spec};
use crate::slots;
use crate::Error;

const SPEC: Spec = &[
    ("added", &["items", "list"]),
    ("added_new_list", &["list", "items"]),
    ("already", &["items", "verb", "list"]),
    ("already_too", &["items", "verb"]),
    ("ask_list", &["items"]),
    ("ask_item", &["list"]),
    ("too_long", &[]),
    ("full", &["list"]),
    ("one", &["list", "items"]),
    ("some", &["list", "count", "items"]),
    ("many", &["list", "count", "shown", "items"]),
    ("empty", &["list"]),
    ("all_done", &["list"]),
    ("completed", &["items", "list"]),
    ("already_done", &["items", "verb", "list"]),
    ("removed", &["items", "list"]),
    ("not_on", &["items", "verb", "list"]),
    ("not_on_it", &["items", "verb"]),
    ("not_on_any", &["items", "verb"]),
    ("which_list", &["items", "verb", "lists"]),
    ("cleared", &["list"]),
    ("already_empty", &["list"]),
    ("no_list", &["name"]),
];

const FILES: &[ResponseFile] = &[(
    "en",
    "lists/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// Items read out at most; a longer list says how many more.
const MAX_READ: usize = 10;

/// Things said with "and" that are one item.
const PAIRS: &[&str] = &[
    "salt and pepper",
    "mac and cheese",
    "macaroni and cheese",
    "fish and chips",
    "bread and butter",
    "peanut butter and jelly",
    "peanut butter and jam",
    "oil and vinegar",
    "half and half",
    "cookies and cream",
    "sweet and sour sauce",
    "ham and cheese",
    "rice and beans",
    "shampoo and conditioner",
    "cheese and crackers",
];

/// Set on a pending add when the list was asked for: the answer names a
/// list that must exist (a misheard answer does not start a list).
const ASKED: &str = "list_asked";

/// The list skill.
#[derive(Debug, Clone)]
pub struct Lists {
    responses: Localized,
}

impl Lists {
    /// The skill's name.
    pub const NAME: &'static str = "lists";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

/// The items a sentence names: "milk, eggs and bread" is three, "salt and
/// pepper" one; leading articles go ("the eggs" is "eggs").
pub fn split_items(said: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for chunk in said.split([',', ';']) {
        let words: Vec<&str> = chunk.split_whitespace().collect();
        let mut pieces: Vec<Vec<&str>> = vec![Vec::new()];
        for word in words {
            if matches!(word.to_lowercase().as_str(), "and" | "&" | "plus") {
                pieces.push(Vec::new());
            } else if let Some(last) = pieces.last_mut() {
                last.push(word);
            }
        }
        let mut joined: Vec<String> = Vec::new();
        for piece in pieces.into_iter().map(|p| p.join(" ")) {
            if let Some(last) = joined.last_mut() {
                let pair = format!("{last} and {piece}");
                if PAIRS.iter().any(|p| ends_with_pair(&pair, p)) {
                    *last = pair;
                    continue;
                }
            }
            joined.push(piece);
        }
        items.extend(joined);
    }
    items
        .into_iter()
        .map(|item| strip_article(&item))
        .filter(|item| !item.is_empty())
        .collect()
}

/// Whether `said` is `pair`, or ends with it after whole words ("some salt and pepper").
fn ends_with_pair(said: &str, pair: &str) -> bool {
    let said = said.to_lowercase();
    said == pair || said.ends_with(&format!(" {pair}"))
}

fn strip_article(item: &str) -> String {
    let mut words: Vec<&str> = item.split_whitespace().collect();
    while words.len() > 1
        && matches!(
            words[0].to_lowercase().as_str(),
            "the" | "some" | "a" | "an" | "more"
        )
    {
        words.remove(0);
    }
    words.join(" ")
}

/// "shopping", "to-do", "christmas": the name as said before "list".
fn spoken(name: &str) -> String {
    if name == TODO_LIST {
        "to-do".to_string()
    } else {
        name.to_string()
    }
}

/// "milk", "milk and eggs", "milk, eggs and bread".
fn joined(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "is" or "are", to agree with the items.
fn verb(items: &[&str]) -> &'static str {
    match items {
        [one] => {
            let last = one.split_whitespace().last().unwrap_or("").to_lowercase();
            if last.len() > 2 && last.ends_with('s') && !last.ends_with("ss") {
                "are"
            } else {
                "is"
            }
        }
        _ => "are",
    }
}

/// The list the sentence names, normalized ("the christmas one" → christmas).
fn list_slot(intent: &Intent) -> Option<String> {
    let said = slots::text(intent, "name")?;
    let mut name = normalize_list_name(&said);
    for suffix in [" one", " list"] {
        if let Some(base) = name.strip_suffix(suffix) {
            name = normalize_list_name(base);
        }
    }
    // An answer to "which list?" loses a leading "to" as filler ("to do").
    if name == "do" {
        name = TODO_LIST.to_string();
    }
    (!name.is_empty()).then_some(name)
}

fn find<'a>(lists: &'a [ListView], name: &str) -> Option<&'a ListView> {
    lists.iter().find(|l| l.name == name)
}

fn on<'a>(list: &'a ListView, key: &str) -> Option<&'a ListItemView> {
    list.items.iter().find(|i| item_key(&i.text) == key)
}

/// The said items as speech placeholders: the items joined, capitalized and
/// the verb that agrees.
fn said(items: &[&str], capital: bool) -> (String, &'static str) {
    let text = joined(items);
    (if capital { capitalized(&text) } else { text }, verb(items))
}

impl Lists {
    fn add(
        &self,
        turn: &Turn<'_>,
        lists: &[ListView],
        r: &Responses,
        name: Option<String>,
    ) -> Outcome {
        let intent = turn.intent;
        let items = slots::text(intent, "item")
            .map(|s| split_items(&s))
            .unwrap_or_default();
        let Some(name) = name else {
            if items.is_empty() {
                return Outcome::say(r.render("ask_item", &[("list", "shopping")]));
            }
            let refs: Vec<&str> = items.iter().map(String::as_str).collect();
            let mut pending = intent.clone();
            pending
                .slots
                .insert(SlotName::new(ASKED), SlotValue::Bool(true));
            return Outcome::ask(
                r.render("ask_list", &[("items", &joined(&refs))]),
                pending,
                Expect::Slot {
                    slot: SlotName::new("name"),
                    entity: None,
                },
            );
        };
        let list = find(lists, &name);
        let asked = intent.slots.contains_key(&SlotName::new(ASKED));
        if list.is_none() && asked {
            return Outcome::say(r.render("no_list", &[("name", &name)]));
        }
        let shown = spoken(&name);
        if items.is_empty() {
            return Outcome::ask(
                r.render("ask_item", &[("list", &shown)]),
                intent.clone(),
                Expect::Slot {
                    slot: SlotName::new("item"),
                    entity: None,
                },
            );
        }
        if items.iter().any(|i| i.chars().count() > MAX_ITEM_CHARS) {
            return Outcome::say(r.render("too_long", &[]));
        }
        let mut added: Vec<&str> = Vec::new();
        let mut already: Vec<&str> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        for item in &items {
            let key = item_key(item);
            if keys.contains(&key) {
                continue;
            }
            keys.push(key.clone());
            match list.and_then(|l| on(l, &key)) {
                Some(found) if !found.done => already.push(item),
                _ => added.push(item),
            }
        }
        let held = list.map_or(0, |l| l.items.len());
        let new = added
            .iter()
            .filter(|i| list.and_then(|l| on(l, &item_key(i))).is_none())
            .count();
        if held + new > MAX_ITEMS_PER_LIST {
            return Outcome::say(r.render("full", &[("list", &shown)]));
        }
        let (added_text, _) = said(&added, false);
        let (already_text, already_verb) = said(&already, true);
        let speech = match (added.is_empty(), already.is_empty()) {
            (true, _) => r.render(
                "already",
                &[
                    ("items", &already_text),
                    ("verb", already_verb),
                    ("list", &shown),
                ],
            ),
            (false, true) if list.is_none() => r.render(
                "added_new_list",
                &[("list", &shown), ("items", &added_text)],
            ),
            (false, true) => r.render("added", &[("items", &added_text), ("list", &shown)]),
            (false, false) => format!(
                "{} {}",
                r.render("added", &[("items", &added_text), ("list", &shown)]),
                r.render(
                    "already_too",
                    &[("items", &already_text), ("verb", already_verb)]
                )
            ),
        };
        let mut out = Outcome::say(speech);
        if !added.is_empty() {
            out.effects.push(Effect::List(ListEffect::Add {
                list: name,
                items: added.iter().map(|s| s.to_string()).collect(),
            }));
        }
        out
    }

    fn read(&self, lists: &[ListView], r: &Responses, name: String) -> Outcome {
        let Some(list) = find(lists, &name) else {
            return Outcome::say(r.render("no_list", &[("name", &name)]));
        };
        let shown = spoken(&name);
        let open: Vec<&str> = list
            .items
            .iter()
            .filter(|i| !i.done)
            .map(|i| i.text.as_str())
            .collect();
        let speech = match open.len() {
            0 if list.items.is_empty() => r.render("empty", &[("list", &shown)]),
            0 => r.render("all_done", &[("list", &shown)]),
            1 => r.render("one", &[("list", &shown), ("items", open[0])]),
            n if n <= MAX_READ => r.render(
                "some",
                &[
                    ("list", &shown),
                    ("count", &n.to_string()),
                    ("items", &joined(&open)),
                ],
            ),
            n => r.render(
                "many",
                &[
                    ("list", &shown),
                    ("count", &n.to_string()),
                    ("shown", &MAX_READ.to_string()),
                    ("items", &joined(&open[..MAX_READ])),
                ],
            ),
        };
        Outcome::say(speech)
    }

    fn clear(&self, lists: &[ListView], r: &Responses, name: String) -> Outcome {
        let Some(list) = find(lists, &name) else {
            return Outcome::say(r.render("no_list", &[("name", &name)]));
        };
        let shown = spoken(&name);
        if list.items.is_empty() {
            return Outcome::say(r.render("already_empty", &[("list", &shown)]));
        }
        let mut out = Outcome::say(r.render("cleared", &[("list", &shown)]));
        out.effects
            .push(Effect::List(ListEffect::Clear { list: name }));
        out
    }

    /// Checks off (`complete`) or removes the said items, on the named list
    /// or wherever they are.
    fn change(
        &self,
        turn: &Turn<'_>,
        lists: &[ListView],
        r: &Responses,
        name: Option<String>,
        complete: bool,
    ) -> Outcome {
        let intent = turn.intent;
        let items = slots::text(intent, "item")
            .map(|s| split_items(&s))
            .unwrap_or_default();
        if items.is_empty() {
            return Outcome::say(r.render("not_on_any", &[("items", "That"), ("verb", "is")]));
        }
        if let Some(name) = &name {
            if find(lists, name).is_none() {
                return Outcome::say(r.render("no_list", &[("name", name)]));
            }
        }
        // The shopping list first for "I bought the eggs".
        let prefer_shopping = intent.name.as_str() == "HassShoppingListCompleteItem";
        // Per list, in the household's order: the items found there.
        let mut found: Vec<(&ListView, Vec<(&str, &ListItemView)>)> = Vec::new();
        let mut missing: Vec<&str> = Vec::new();
        for item in &items {
            let key = item_key(item);
            let holders: Vec<(&ListView, &ListItemView)> = match &name {
                Some(name) => find(lists, name)
                    .and_then(|l| on(l, &key).map(|i| (l, i)))
                    .into_iter()
                    .collect(),
                None => {
                    let all: Vec<_> = lists
                        .iter()
                        .filter_map(|l| on(l, &key).map(|i| (l, i)))
                        .collect();
                    let shopping: Vec<_> = all
                        .iter()
                        .filter(|(l, _)| l.name == SHOPPING_LIST)
                        .cloned()
                        .collect();
                    let open: Vec<_> = all.iter().filter(|(_, i)| !i.done).cloned().collect();
                    if prefer_shopping && !shopping.is_empty() {
                        shopping
                    } else if complete && !open.is_empty() {
                        open
                    } else {
                        all
                    }
                }
            };
            match holders.as_slice() {
                [] => missing.push(item),
                [(list, found_item)] => match found.iter_mut().find(|(l, _)| l.name == list.name) {
                    Some((_, items)) => items.push((item, found_item)),
                    None => found.push((list, vec![(item, found_item)])),
                },
                several => {
                    let names: Vec<String> = several
                        .iter()
                        .map(|(l, _)| format!("{} list", spoken(&l.name)))
                        .collect();
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    let lists = joined(&names).replace(" and ", " and your ");
                    let (text, verb) = said(&[item], true);
                    return Outcome::ask(
                        r.render(
                            "which_list",
                            &[("items", &text), ("verb", verb), ("lists", &lists)],
                        ),
                        intent.clone(),
                        Expect::Slot {
                            slot: SlotName::new("name"),
                            entity: None,
                        },
                    );
                }
            }
        }
        let mut sentences: Vec<String> = Vec::new();
        let mut effects: Vec<Effect> = Vec::new();
        for (list, items) in &found {
            let shown = spoken(&list.name);
            let (done, todo): (Vec<_>, Vec<_>) =
                items.iter().partition(|(_, item)| complete && item.done);
            if !todo.is_empty() {
                let texts: Vec<&str> = todo.iter().map(|(said, _)| *said).collect();
                let ids: Vec<String> = todo.iter().map(|(_, item)| item.id.clone()).collect();
                let key = if complete { "completed" } else { "removed" };
                sentences.push(r.render(key, &[("items", &joined(&texts)), ("list", &shown)]));
                effects.push(Effect::List(if complete {
                    ListEffect::Complete {
                        list: list.name.clone(),
                        ids,
                    }
                } else {
                    ListEffect::Remove {
                        list: list.name.clone(),
                        ids,
                    }
                }));
            }
            if !done.is_empty() {
                let texts: Vec<&str> = done.iter().map(|(said, _)| *said).collect();
                let (text, verb) = said(&texts, true);
                sentences.push(r.render(
                    "already_done",
                    &[("items", &text), ("verb", verb), ("list", &shown)],
                ));
            }
        }
        if !missing.is_empty() {
            let (text, verb) = said(&missing, true);
            let sentence = match (&name, sentences.is_empty()) {
                (Some(name), true) => r.render(
                    "not_on",
                    &[("items", &text), ("verb", verb), ("list", &spoken(name))],
                ),
                (Some(_), false) => r.render("not_on_it", &[("items", &text), ("verb", verb)]),
                (None, _) => r.render("not_on_any", &[("items", &text), ("verb", verb)]),
            };
            sentences.push(sentence);
        }
        let mut out = Outcome::say(sentences.join(" "));
        out.effects = effects;
        out
    }
}

impl Skill for Lists {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &[
            "HassShoppingListAddItem",
            "HassListAddItem",
            "HassShoppingListCompleteItem",
            "HassListCompleteItem",
            "HassListRemoveItem",
            "HarkListGetItems",
            "HarkListClear",
        ]
    }

    fn needs(&self, _intent: &Intent) -> Needs {
        Needs {
            lists: true,
            ..Needs::default()
        }
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let r = self.responses.get(turn.language);
        let intent = turn.intent;
        let name = list_slot(intent);
        let shopping = || name.clone().unwrap_or_else(|| SHOPPING_LIST.to_string());
        // The two lists every household has, even when the runtime gave none.
        let mut lists = turn.lists.to_vec();
        for builtin in [SHOPPING_LIST, TODO_LIST] {
            if find(&lists, builtin).is_none() {
                lists.push(ListView {
                    name: builtin.to_string(),
                    items: Vec::new(),
                });
            }
        }
        let lists = &lists;
        Ok(match intent.name.as_str() {
            "HassShoppingListAddItem" => self.add(turn, lists, r, Some(SHOPPING_LIST.to_string())),
            "HassListAddItem" => self.add(turn, lists, r, name.clone()),
            "HassShoppingListCompleteItem" | "HassListCompleteItem" => {
                self.change(turn, lists, r, name.clone(), true)
            }
            "HassListRemoveItem" => self.change(turn, lists, r, name.clone(), false),
            "HarkListGetItems" => self.read(lists, r, shopping()),
            "HarkListClear" => self.clear(lists, r, shopping()),
            _ => return Err(slots::unsupported(Self::NAME, intent)),
        })
    }
}

#[cfg(test)]
mod tests;
