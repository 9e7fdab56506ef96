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
