//! Lists as skills see them: the household's shopping list, to-do list and
//! any list it names, and the changes a skill asks for.

use serde::{Deserialize, Serialize};

/// The shopping list's name; it exists in every household.
pub const SHOPPING_LIST: &str = "shopping";
/// The to-do list's name; it exists in every household.
pub const TODO_LIST: &str = "to do";

/// One list of the household, with its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListView {
    /// Its name, normalized (`shopping`, `to do`, `christmas`).
    pub name: String,
    /// Its items, oldest first.
    pub items: Vec<ListItemView>,
}

/// An item on a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItemView {
    /// Its id, for effects that change it.
    pub id: String,
    /// What it says ("milk").
    pub text: String,
    /// Whether it was checked off ("I bought the eggs").
    pub done: bool,
}

/// A change to a list, applied by the runtime before the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ListEffect {
    /// Add items to a list (created if it does not exist); an item already
    /// on it is not added twice.
    Add {
        /// The list's name.
        list: String,
        /// The items' texts.
        items: Vec<String>,
    },
    /// Check items off.
    Complete {
        /// The list's name.
        list: String,
        /// The items' ids.
        ids: Vec<String>,
    },
    /// Remove items.
    Remove {
        /// The list's name.
        list: String,
        /// The items' ids.
        ids: Vec<String>,
    },
    /// Remove every item of a list.
    Clear {
        /// The list's name.
        list: String,
    },
}

/// The most characters a list's name may have.
pub const MAX_LIST_NAME_CHARS: usize = 50;
/// The most characters an item's text may have.
pub const MAX_ITEM_CHARS: usize = 200;
/// The most items one list may hold, done ones included.
pub const MAX_ITEMS_PER_LIST: usize = 500;
/// The most lists a household may name, besides the shopping and to-do lists.
pub const MAX_NAMED_LISTS: usize = 50;

/// Whether `name` (normalized) is one of the lists every household has.
pub fn is_builtin(name: &str) -> bool {
    name == SHOPPING_LIST || name == TODO_LIST
}

/// A list's name as stored and compared: lower case, single spaces, without
/// a leading "the"/"my"/"our" or a trailing "list"; the usual ways of saying
/// the two lists every household has become their names ("Shopping List",
/// "groceries" → `shopping`; "To-Do", "todo", "tasks" → `to do`).
pub fn normalize_list_name(name: &str) -> String {
    let lower = name.to_lowercase().replace(['-', '_'], " ");
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    while let Some(first) = words.first() {
        if words.len() > 1 && matches!(*first, "the" | "my" | "our" | "a" | "an") {
            words.remove(0);
        } else {
            break;
        }
    }
    if words.len() > 1 && matches!(words.last(), Some(&"list") | Some(&"lists")) {
        words.pop();
    }
    let joined = words.join(" ");
    match joined.as_str() {
        "shopping" | "shop" | "grocery" | "groceries" | "grocery shopping" => {
            SHOPPING_LIST.to_string()
        }
        "to do" | "todo" | "to dos" | "todos" | "things to do" | "task" | "tasks" => {
            TODO_LIST.to_string()
        }
        _ => joined,
    }
}

/// What items are compared by, so an item is on a list once: lower case,
/// single spaces, no leading article, and the last word reduced to a stem
/// that a word's singular and plural share ("egg"/"eggs", "tomato"/"tomatoes",
/// "cookie"/"cookies", "peach"/"peaches" each give one key).
pub fn item_key(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?'))
        .filter(|w| !w.is_empty())
        .collect();
    while words.len() > 1 && matches!(words[0], "the" | "a" | "an" | "some" | "more") {
        words.remove(0);
    }
    let Some(last) = words.pop() else {
        return String::new();
    };
    let stem = stem(last);
    words.push(&stem);
    words.join(" ")
}

/// The singular-and-plural stem of one lower-case word (see [`item_key`]).
fn stem(word: &str) -> String {
    let chars = word.chars().count();
    if chars <= 3 || !word.chars().all(char::is_alphabetic) {
        return word.to_string();
    }
    let mut stem = if let Some(base) = word.strip_suffix("ies") {
        format!("{base}y")
    } else if word.ends_with("sses") || word.ends_with("uses") {
        word[..word.len() - 2].to_string()
    } else if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        word.to_string()
    } else if let Some(base) = word.strip_suffix("es").filter(|base| {
        ["s", "x", "z", "ch", "sh", "o"]
            .iter()
            .any(|e| base.ends_with(e))
    }) {
        base.to_string()
    } else if let Some(base) = word.strip_suffix('s') {
        base.to_string()
    } else {
        word.to_string()
    };
    if let Some(base) = stem.strip_suffix("ie") {
        stem = format!("{base}y");
    } else if stem.len() > 3 && stem.ends_with('e') && !stem.ends_with("ee") {
        stem.pop();
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_names_are_normalized() {
        assert_eq!(normalize_list_name("Shopping List"), "shopping");
        assert_eq!(normalize_list_name("the grocery list"), "shopping");
        assert_eq!(normalize_list_name("To-Do"), "to do");
        assert_eq!(normalize_list_name("my todo list"), "to do");
        assert_eq!(normalize_list_name("  Christmas   list "), "christmas");
        assert_eq!(normalize_list_name("list"), "list");
        assert!(is_builtin("shopping") && is_builtin("to do") && !is_builtin("christmas"));
    }

    #[test]
    fn singular_and_plural_share_a_key() {
        for (a, b) in [
            ("egg", "eggs"),
            ("Eggs", "the eggs"),
            ("tomato", "tomatoes"),
            ("cookie", "cookies"),
            ("berry", "berries"),
            ("peach", "peaches"),
            ("apple", "Apples"),
            ("orange", "oranges"),
            ("glass", "glasses"),
            ("green bean", "green beans"),
            ("coffee", "coffees"),
        ] {
            assert_eq!(item_key(a), item_key(b), "{a} / {b}");
        }
        for (a, b) in [
            ("milk", "silk"),
            ("pea", "peach"),
            ("gas", "ga"),
            ("bus", "bu"),
        ] {
            assert_ne!(item_key(a), item_key(b), "{a} / {b}");
        }
        assert_eq!(item_key("hummus"), "hummus");
        assert_eq!(item_key("call  the PLUMBER"), "call the plumber");
    }
}
