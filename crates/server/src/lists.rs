//! Lists in a conversation turn: the household's lists read for the list
//! skill before its turn, and the changes it asks for applied after, durably,
//! before the answer is given.
//!
//! The skill decided what to say from the lists it was shown; the store
//! compares items the same way ([`hark_core::lists::item_key`]), so an add
//! that races another request still puts each item on the list once.

use hark_core::lists::{ListEffect, ListItemView, ListView};
use hark_core::HouseholdId;
use hark_store::{ListItemId, Store, StoreError};
use jiff::Timestamp;

/// Every list of the household, as the list skill sees them.
pub(crate) async fn views(
    store: &Store,
    household: &HouseholdId,
) -> Result<Vec<ListView>, StoreError> {
    Ok(store
        .lists(household)
        .await?
        .into_iter()
        .map(|list| ListView {
            name: list.name,
            items: list
                .items
                .into_iter()
                .map(|item| ListItemView {
                    id: item.id.to_string(),
                    text: item.text,
                    done: item.done,
                })
                .collect(),
        })
        .collect())
}

/// Applies one change. Adding to a named list that does not exist creates
/// it (the skill said so: "I've started a christmas list").
pub(crate) async fn apply(
    store: &Store,
    household: &HouseholdId,
    effect: &ListEffect,
    now: Timestamp,
) -> Result<(), StoreError> {
    let ids = |ids: &[String]| ids.iter().map(ListItemId::new).collect::<Vec<_>>();
    match effect {
        ListEffect::Add { list, items } => {
            store
                .add_list_items(household, list, items, true, now)
                .await?;
        }
        ListEffect::Complete { list, ids: which } => {
            store
                .complete_list_items(household, list, &ids(which), now)
                .await?;
        }
        ListEffect::Remove { list, ids: which } => {
            store
                .remove_list_items(household, list, &ids(which))
                .await?;
        }
        ListEffect::Clear { list } => {
            store.clear_list(household, list).await?;
        }
    }
    Ok(())
}
