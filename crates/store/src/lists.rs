//! Lists: each household's shopping list, to-do list and the lists it names, with their items.
//!
//! Two tables (see `migrations/0005_lists.sql`): `lists`, one row per list, and `list_items`,
//! one row per item, kept in the order it was added. Lists are addressed by name, normalized by
//! [`hark_core::lists::normalize_list_name`]; the shopping and to-do lists exist in every
//! household without a row, which is written the first time an item goes on them, so a new
//! household costs nothing here.
//!
//! An item is on a list once: items are compared by [`hark_core::lists::item_key`] ("egg" and
//! "Eggs" are one item), and the unique constraint on that key makes an add that races another
//! find the same item rather than make a second. Adding an item that is on the list but checked
//! off makes it not done again. Several items are added in one transaction: all of them, or none
//! when one is refused.
//!
//! As everywhere in the store, every statement names the household.

use hark_core::lists::{
    is_builtin, item_key, normalize_list_name, MAX_ITEMS_PER_LIST, MAX_ITEM_CHARS,
    MAX_LIST_NAME_CHARS, MAX_NAMED_LISTS, SHOPPING_LIST, TODO_LIST,
};
use hark_core::HouseholdId;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::db::{Row, Step};
use crate::store::{millis, timestamp, to_millisecond};
use crate::{token, Result, Store, StoreError};

hark_core::name_type!(
    /// An item on a list: `itm_...`.
    ListItemId
);

/// The most items one call may add.
pub const MAX_ITEMS_PER_ADD: usize = 100;

/// A list with its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct List {
    /// Its name, normalized (`shopping`, `to do`, `christmas`).
    pub name: String,
    /// Whether it is one of the lists every household has (it cannot be deleted).
    pub builtin: bool,
    /// Its items, in the order they were added.
    pub items: Vec<ListItem>,
}

/// An item on a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    /// Its id.
    pub id: ListItemId,
    /// What it says, as first written ("Eggs").
    pub text: String,
    /// Whether it was checked off.
    pub done: bool,
    /// When it was first added (to the millisecond).
    pub created_at: Timestamp,
}

/// What adding one item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddOutcome {
    /// It was not on the list; now it is.
    Added,
    /// It was on the list already, not done: nothing changed.
    AlreadyThere,
    /// It was on the list, checked off; now it is not done again.
    Reopened,
}

/// An item after [`Store::add_list_items`], and what the call did to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedItem {
    /// The item as it is now.
    pub item: ListItem,
    /// What happened to it.
    pub outcome: AddOutcome,
}

impl Store {
    /// Every list of the household: the shopping list, the to-do list, then the named ones by
    /// name.
    pub async fn lists(&self, household: &HouseholdId) -> Result<Vec<List>> {
        let names = self
            .inner
            .query(
                "SELECT name FROM lists WHERE household_id = $1",
                vec![household.as_str().into()],
            )
            .await?;
        let mut lists: Vec<List> = [SHOPPING_LIST, TODO_LIST]
            .into_iter()
            .map(|name| empty(name.to_string()))
            .collect();
        let mut named: Vec<String> = Vec::new();
        for row in &names {
            let name = row.text(0)?;
            if !is_builtin(&name) {
                named.push(name);
            }
        }
        named.sort();
        lists.extend(named.into_iter().map(empty));
        let rows = self
            .inner
            .query(
                "SELECT l.name, i.id, i.text, i.done, i.created_at FROM list_items i \
                 JOIN lists l ON l.household_id = i.household_id AND l.id = i.list_id \
                 WHERE i.household_id = $1 ORDER BY i.position, i.created_at, i.id",
                vec![household.as_str().into()],
            )
            .await?;
        for row in &rows {
            let name = row.text(0)?;
            let item = ListItem {
                id: ListItemId::new(row.text(1)?),
                text: row.text(2)?,
                done: row.int(3)? != 0,
                created_at: timestamp(row.int(4)?)?,
            };
            if let Some(list) = lists.iter_mut().find(|l| l.name == name) {
                list.items.push(item);
            }
        }
        Ok(lists)
    }

    /// The household's list called `name` (normalized first); the shopping and to-do lists
    /// always exist.
    pub async fn list(&self, household: &HouseholdId, name: &str) -> Result<Option<List>> {
        let name = normalize_list_name(name);
        let exists = self
            .inner
            .query(
                "SELECT id FROM lists WHERE household_id = $1 AND name = $2",
                vec![household.as_str().into(), name.as_str().into()],
            )
            .await?;
        if exists.is_empty() && !is_builtin(&name) {
            return Ok(None);
        }
        let rows = self
            .inner
            .query(
                "SELECT i.id, i.text, i.done, i.created_at FROM list_items i \
                 JOIN lists l ON l.household_id = i.household_id AND l.id = i.list_id \
                 WHERE i.household_id = $1 AND l.name = $2 \
                 ORDER BY i.position, i.created_at, i.id",
                vec![household.as_str().into(), name.as_str().into()],
            )
            .await?;
        let mut list = empty(name);
        list.items = rows.iter().map(item).collect::<Result<_>>()?;
        Ok(Some(list))
    }

    /// Creates an empty list called `name`. [`StoreError::Conflict`] if the household has a
    /// list of that name (the shopping and to-do lists included); [`StoreError::Invalid`] for
    /// a bad name or past [`MAX_NAMED_LISTS`].
    pub async fn create_list(
        &self,
        household: &HouseholdId,
        name: &str,
        now: Timestamp,
    ) -> Result<List> {
        let name = clean_list_name(name)?;
        if is_builtin(&name) {
            return Err(StoreError::Conflict(format!(
                "every household has a {} list already",
                spoken(&name)
            )));
        }
        self.check_room_for_a_list(household).await?;
        self.inner
            .execute(
                "INSERT INTO lists (id, household_id, name, created_at) VALUES ($1, $2, $3, $4)",
                vec![
                    list_id()?.into(),
                    household.as_str().into(),
                    name.as_str().into(),
                    millis(to_millisecond(now)?),
                ],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    StoreError::Conflict(format!("there is already a list called {name:?}"))
                }
                e => e,
            })?;
        Ok(empty(name))
    }

    /// Deletes a named list and its items; false if there is no such list.
    /// [`StoreError::Invalid`] for the shopping or to-do list, which every household keeps
    /// (clear it instead).
    pub async fn delete_list(&self, household: &HouseholdId, name: &str) -> Result<bool> {
        let name = normalize_list_name(name);
        if is_builtin(&name) {
            return Err(StoreError::Invalid(format!(
                "the {} list cannot be deleted; clear it instead",
                spoken(&name)
            )));
        }
        let deleted = self
            .inner
            .execute(
                "DELETE FROM lists WHERE household_id = $1 AND name = $2",
                vec![household.as_str().into(), name.as_str().into()],
            )
            .await?;
        Ok(deleted > 0)
    }

    /// Adds items to the list called `name`, in order, each at most once (see the module's
    /// doc). A named list that does not exist is created when `create` is true, else
    /// [`StoreError::NotFound`]. [`StoreError::Invalid`], with nothing written, for an empty
    /// or too long text, more than [`MAX_ITEMS_PER_ADD`] texts, or a list that would hold more
    /// than [`MAX_ITEMS_PER_LIST`] items. Returns one entry per distinct item asked for.
    pub async fn add_list_items(
        &self,
        household: &HouseholdId,
        name: &str,
        texts: &[String],
        create: bool,
        now: Timestamp,
    ) -> Result<Vec<AddedItem>> {
        let name = normalize_list_name(name);
        if texts.is_empty() {
            return Err(StoreError::Invalid("give at least one item to add".into()));
        }
        if texts.len() > MAX_ITEMS_PER_ADD {
            return Err(StoreError::Invalid(format!(
                "at most {MAX_ITEMS_PER_ADD} items can be added at once"
            )));
        }
        let mut wanted: Vec<(String, String)> = Vec::new();
        for text in texts {
            let text = clean_item(text)?;
            let key = item_key(&text);
            if !wanted.iter().any(|(k, _)| *k == key) {
                wanted.push((key, text));
            }
        }
        let before = match self.list(household, &name).await? {
            Some(list) => list,
            None if create => {
                let name = clean_list_name(&name)?;
                self.check_room_for_a_list(household).await?;
                empty(name)
            }
            None => return Err(StoreError::NotFound),
        };
        let known = |key: &str| before.items.iter().find(|i| item_key(&i.text) == key);
        let new = wanted
            .iter()
            .filter(|(key, _)| known(key).is_none())
            .count();
        if before.items.len() + new > MAX_ITEMS_PER_LIST {
            return Err(StoreError::Invalid(format!(
                "the {} list would hold more than {MAX_ITEMS_PER_LIST} items; remove some first",
                spoken(&name)
            )));
        }
        let now = to_millisecond(now)?;
        let mut steps = vec![Step {
            sql: "INSERT INTO lists (id, household_id, name, created_at) VALUES ($1, $2, $3, $4) \
                  ON CONFLICT (household_id, name) DO NOTHING",
            params: vec![
                list_id()?.into(),
                household.as_str().into(),
                name.as_str().into(),
                millis(now),
            ],
            required: false,
        }];
        for (key, text) in &wanted {
            steps.push(Step {
                sql: "INSERT INTO list_items (id, household_id, list_id, text, item_key, done, \
                      position, created_at, updated_at) \
                      SELECT $1, $2, l.id, $4, $5, 0, \
                      COALESCE((SELECT MAX(position) FROM list_items WHERE list_id = l.id), 0) + 1, \
                      CAST($6 AS BIGINT), CAST($6 AS BIGINT) \
                      FROM lists l WHERE l.household_id = $2 AND l.name = $3 \
                      ON CONFLICT (list_id, item_key) \
                      DO UPDATE SET done = 0, updated_at = excluded.updated_at",
                params: vec![
                    item_id()?.into(),
                    household.as_str().into(),
                    name.as_str().into(),
                    text.as_str().into(),
                    key.as_str().into(),
                    millis(now),
                ],
                required: true,
            });
        }
        if !self.inner.transaction(steps).await? {
            // The list was deleted between the two statements.
            return Err(StoreError::NotFound);
        }
        let after = self
            .list(household, &name)
            .await?
            .ok_or(StoreError::NotFound)?;
        wanted
            .iter()
            .map(|(key, _)| {
                let item = after
                    .items
                    .iter()
                    .find(|i| item_key(&i.text) == *key)
                    .cloned()
                    .ok_or_else(|| StoreError::Database("an added item is missing".into()))?;
                let outcome = match known(key) {
                    None => AddOutcome::Added,
                    Some(old) if old.done => AddOutcome::Reopened,
                    Some(_) => AddOutcome::AlreadyThere,
                };
                Ok(AddedItem { item, outcome })
            })
            .collect()
    }

    /// Changes an item of the list called `name`: checks it off or not, and or rewrites its
    /// text. `None` if the list has no such item; [`StoreError::Conflict`] if the new text is
    /// another item's.
    pub async fn update_list_item(
        &self,
        household: &HouseholdId,
        name: &str,
        id: &ListItemId,
        done: Option<bool>,
        text: Option<&str>,
        now: Timestamp,
    ) -> Result<Option<ListItem>> {
        let name = normalize_list_name(name);
        let text = text.map(clean_item).transpose()?;
        let key = text.as_deref().map(item_key);
        let rows = self
            .inner
            .query(
                "UPDATE list_items SET done = COALESCE(CAST($4 AS BIGINT), done), \
                 text = COALESCE(CAST($5 AS TEXT), text), \
                 item_key = COALESCE(CAST($6 AS TEXT), item_key), updated_at = $7 \
                 WHERE household_id = $1 AND id = $2 AND list_id = \
                 (SELECT id FROM lists WHERE household_id = $1 AND name = $3) \
                 RETURNING id, text, done, created_at",
                vec![
                    household.as_str().into(),
                    id.as_str().into(),
                    name.as_str().into(),
                    done.map(i64::from).into(),
                    text.into(),
                    key.into(),
                    millis(now),
                ],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    StoreError::Conflict("an item with that text is on the list already".into())
                }
                e => e,
            })?;
        rows.first().map(item).transpose()
    }

    /// Checks items of the list called `name` off; returns how many it had.
    pub async fn complete_list_items(
        &self,
        household: &HouseholdId,
        name: &str,
        ids: &[ListItemId],
        now: Timestamp,
    ) -> Result<u64> {
        let name = normalize_list_name(name);
        let mut changed = 0;
        for id in ids {
            changed += self
                .inner
                .execute(
                    "UPDATE list_items SET done = 1, updated_at = $4 \
                     WHERE household_id = $1 AND id = $2 AND list_id = \
                     (SELECT id FROM lists WHERE household_id = $1 AND name = $3)",
                    vec![
                        household.as_str().into(),
                        id.as_str().into(),
                        name.as_str().into(),
                        millis(now),
                    ],
                )
                .await?;
        }
        Ok(changed)
    }

    /// Removes items from the list called `name`; returns how many it had.
    pub async fn remove_list_items(
        &self,
        household: &HouseholdId,
        name: &str,
        ids: &[ListItemId],
    ) -> Result<u64> {
        let name = normalize_list_name(name);
        let mut removed = 0;
        for id in ids {
            removed += self
                .inner
                .execute(
                    "DELETE FROM list_items WHERE household_id = $1 AND id = $2 AND list_id = \
                     (SELECT id FROM lists WHERE household_id = $1 AND name = $3)",
                    vec![
                        household.as_str().into(),
                        id.as_str().into(),
                        name.as_str().into(),
                    ],
                )
                .await?;
        }
        Ok(removed)
    }

    /// Removes every item of the list called `name`, done or not; returns how many there were.
    pub async fn clear_list(&self, household: &HouseholdId, name: &str) -> Result<u64> {
        let name = normalize_list_name(name);
        self.inner
            .execute(
                "DELETE FROM list_items WHERE household_id = $1 AND list_id = \
                 (SELECT id FROM lists WHERE household_id = $1 AND name = $2)",
                vec![household.as_str().into(), name.as_str().into()],
            )
            .await
    }

    async fn check_room_for_a_list(&self, household: &HouseholdId) -> Result<()> {
        let rows = self
            .inner
            .query(
                "SELECT COUNT(*) FROM lists WHERE household_id = $1 AND name <> $2 AND name <> $3",
                vec![
                    household.as_str().into(),
                    SHOPPING_LIST.into(),
                    TODO_LIST.into(),
                ],
            )
            .await?;
        let count = rows.first().map(|r| r.int(0)).transpose()?.unwrap_or(0);
        if count >= MAX_NAMED_LISTS as i64 {
            return Err(StoreError::Invalid(format!(
                "a household can name at most {MAX_NAMED_LISTS} lists; delete one first"
            )));
        }
        Ok(())
    }
}

fn empty(name: String) -> List {
    List {
        builtin: is_builtin(&name),
        name,
        items: Vec::new(),
    }
}

fn item(row: &Row) -> Result<ListItem> {
    Ok(ListItem {
        id: ListItemId::new(row.text(0)?),
        text: row.text(1)?,
        done: row.int(2)? != 0,
        created_at: timestamp(row.int(3)?)?,
    })
}

/// "shopping", "to-do".
fn spoken(name: &str) -> &str {
    if name == TODO_LIST {
        "to-do"
    } else {
        name
    }
}

fn list_id() -> Result<String> {
    Ok(format!("lst_{}", token::random_base32(12)?))
}

fn item_id() -> Result<String> {
    Ok(format!("itm_{}", token::random_base32(12)?))
}

/// A list's name as stored: normalized, not empty, with a letter or digit, no control
/// characters, at most [`MAX_LIST_NAME_CHARS`] characters.
fn clean_list_name(name: &str) -> Result<String> {
    if name.chars().any(char::is_control) {
        return Err(StoreError::Invalid(
            "a list's name must not contain control characters".into(),
        ));
    }
    let name = normalize_list_name(name);
    if !name.chars().any(char::is_alphanumeric) {
        return Err(StoreError::Invalid(
            "a list's name must have a letter or a digit".into(),
        ));
    }
    if name.chars().count() > MAX_LIST_NAME_CHARS {
        return Err(StoreError::Invalid(format!(
            "a list's name must be at most {MAX_LIST_NAME_CHARS} characters"
        )));
    }
    Ok(name)
}

/// An item's text as stored: trimmed, single spaces, not empty, no control characters, at
/// most [`MAX_ITEM_CHARS`] characters.
fn clean_item(text: &str) -> Result<String> {
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(StoreError::Invalid(
            "an item must not contain control characters".into(),
        ));
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if item_key(&text).is_empty() || !text.chars().any(char::is_alphanumeric) {
        return Err(StoreError::Invalid("an item must not be empty".into()));
    }
    if text.chars().count() > MAX_ITEM_CHARS {
        return Err(StoreError::Invalid(format!(
            "an item must be at most {MAX_ITEM_CHARS} characters"
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_items_are_checked() {
        assert_eq!(clean_list_name(" Christmas List ").unwrap(), "christmas");
        assert!(clean_list_name("   ").is_err());
        assert!(clean_list_name("!!").is_err());
        assert!(clean_list_name(&"x".repeat(51)).is_err());
        assert_eq!(clean_item("  oat   milk ").unwrap(), "oat milk");
        assert!(clean_item(" ").is_err());
        assert!(clean_item("a\u{7}b").is_err());
        assert!(clean_item(&"x".repeat(201)).is_err());
        assert!(clean_item(&"x".repeat(200)).is_ok());
    }
}
