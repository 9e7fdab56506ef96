//! Lists and their items.

use hark_store::{AddOutcome, ListItemId, StoreError};

use crate::support::t;

fn texts(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

both! {
    async fn every_household_has_a_shopping_and_a_to_do_list(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let lists = store.lists(&home.id).await.unwrap();
        let names: Vec<&str> = lists.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["shopping", "to do"]);
        assert!(lists.iter().all(|l| l.builtin && l.items.is_empty()));
        let shopping = store.list(&home.id, "Shopping List").await.unwrap().unwrap();
        assert_eq!(shopping.name, "shopping");
        assert!(store.list(&home.id, "christmas").await.unwrap().is_none());
    }

    async fn adding_keeps_order_and_merges_duplicates(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let added = store
            .add_list_items(&home.id, "shopping", &texts(&["milk", "Eggs", "bread", "egg"]), false, t(1))
            .await
            .unwrap();
        // "egg" is "Eggs": one item, named as first written.
        assert_eq!(added.len(), 3);
        assert!(added.iter().all(|a| a.outcome == AddOutcome::Added));
        assert!(added[0].item.id.as_str().starts_with("itm_"));
        assert_eq!(added[0].item.created_at.as_millisecond(), t(1).as_millisecond());

        let again = store
            .add_list_items(&home.id, "shopping", &texts(&["EGG", "butter"]), false, t(2))
            .await
            .unwrap();
        assert_eq!(again[0].outcome, AddOutcome::AlreadyThere);
        assert_eq!(again[0].item.text, "Eggs");
        assert_eq!(again[0].item.id, added[1].item.id);
        assert_eq!(again[1].outcome, AddOutcome::Added);
        let list = store.list(&home.id, "shopping").await.unwrap().unwrap();
        let items: Vec<&str> = list.items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(items, ["milk", "Eggs", "bread", "butter"]);

        // Done, then added again: not done any more, same place.
        let eggs = &added[1].item.id;
        assert_eq!(store.complete_list_items(&home.id, "shopping", std::slice::from_ref(eggs), t(3)).await.unwrap(), 1);
        let list = store.list(&home.id, "shopping").await.unwrap().unwrap();
        assert!(list.items[1].done && !list.items[0].done);
        let back = store
            .add_list_items(&home.id, "shopping", &texts(&["eggs"]), false, t(4))
            .await
            .unwrap();
        assert_eq!(back[0].outcome, AddOutcome::Reopened);
        assert!(!back[0].item.done);
        let list = store.list(&home.id, "shopping").await.unwrap().unwrap();
        assert_eq!(list.items[1].id, *eggs);
        assert!(!list.items[1].done);
    }

    async fn named_lists_are_created_found_and_deleted(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        // Adding to a named list that does not exist: refused, unless asked to create it.
        let missing = store
            .add_list_items(&home.id, "christmas", &texts(&["pastries"]), false, t(1))
            .await
            .unwrap_err();
        assert_eq!(missing, StoreError::NotFound);
        let created = store.create_list(&home.id, " Christmas List ", t(1)).await.unwrap();
        assert_eq!((created.name.as_str(), created.builtin), ("christmas", false));
        assert!(matches!(
            store.create_list(&home.id, "christmas", t(2)).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.create_list(&home.id, "To-Do", t(2)).await,
            Err(StoreError::Conflict(_))
        ));
        store
            .add_list_items(&home.id, "christmas", &texts(&["pastries"]), false, t(2))
            .await
            .unwrap();
        store
            .add_list_items(&home.id, "garden", &texts(&["seeds"]), true, t(3))
            .await
            .unwrap();
        let names: Vec<String> = store.lists(&home.id).await.unwrap().into_iter().map(|l| l.name).collect();
        assert_eq!(names, ["shopping", "to do", "christmas", "garden"]);

        assert!(store.delete_list(&home.id, "Christmas").await.unwrap());
        assert!(!store.delete_list(&home.id, "christmas").await.unwrap());
        assert!(store.list(&home.id, "christmas").await.unwrap().is_none());
        assert!(matches!(
            store.delete_list(&home.id, "shopping").await,
            Err(StoreError::Invalid(_))
        ));
        // Its items went with it: a new list of that name starts empty.
        store.create_list(&home.id, "christmas", t(4)).await.unwrap();
        assert!(store.list(&home.id, "christmas").await.unwrap().unwrap().items.is_empty());
    }

    async fn update_remove_and_clear(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let added = store
            .add_list_items(&home.id, "to do", &texts(&["call the plumber", "water plants", "pay rent"]), false, t(1))
            .await
            .unwrap();
        let ids: Vec<ListItemId> = added.iter().map(|a| a.item.id.clone()).collect();
        let changed = store
            .update_list_item(&home.id, "todo", &ids[0], Some(true), Some("Call the plumber today"), t(2))
            .await
            .unwrap()
            .unwrap();
        assert!(changed.done);
        assert_eq!(changed.text, "Call the plumber today");
        let undone = store
            .update_list_item(&home.id, "to do", &ids[0], Some(false), None, t(3))
            .await
            .unwrap()
            .unwrap();
        assert!(!undone.done);
        assert_eq!(undone.text, "Call the plumber today");
        // Renaming onto another item's text clashes.
        assert!(matches!(
            store.update_list_item(&home.id, "to do", &ids[0], None, Some("Water plant"), t(3)).await,
            Err(StoreError::Conflict(_))
        ));
        // The id on another list is not found.
        assert_eq!(
            store.update_list_item(&home.id, "shopping", &ids[0], Some(true), None, t(3)).await.unwrap(),
            None
        );
        assert_eq!(store.remove_list_items(&home.id, "shopping", &ids[..1]).await.unwrap(), 0);
        assert_eq!(store.remove_list_items(&home.id, "to do", &ids[..1]).await.unwrap(), 1);
        assert_eq!(store.remove_list_items(&home.id, "to do", &ids[..1]).await.unwrap(), 0);
        assert_eq!(store.list(&home.id, "to do").await.unwrap().unwrap().items.len(), 2);
        assert_eq!(store.clear_list(&home.id, "to do").await.unwrap(), 2);
        assert_eq!(store.clear_list(&home.id, "to do").await.unwrap(), 0);
        assert!(store.list(&home.id, "to do").await.unwrap().unwrap().items.is_empty());
    }

    async fn bad_input_is_refused_and_writes_nothing(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        for bad in [vec![], texts(&["milk", "   "]), texts(&["milk", &"x".repeat(201)]), texts(&["a\u{0}b"])] {
            let error = store.add_list_items(&home.id, "shopping", &bad, false, t(1)).await.unwrap_err();
            assert!(matches!(error, StoreError::Invalid(_)), "{bad:?}: {error:?}");
        }
        let too_many: Vec<String> = (0..101).map(|i| format!("item {i}")).collect();
        assert!(matches!(
            store.add_list_items(&home.id, "shopping", &too_many, false, t(1)).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(store.list(&home.id, "shopping").await.unwrap().unwrap().items.is_empty());
        // A full list takes no more, and keeps what it had.
        for chunk in 0..5 {
            let batch: Vec<String> = (0..100).map(|i| format!("thing {}", chunk * 100 + i)).collect();
            store.add_list_items(&home.id, "shopping", &batch, false, t(2)).await.unwrap();
        }
        let error = store
            .add_list_items(&home.id, "shopping", &texts(&["thing 0", "one more"]), false, t(3))
            .await
            .unwrap_err();
        assert!(matches!(&error, StoreError::Invalid(m) if m.contains("500")), "{error:?}");
        // What is on it already can still be said again.
        store.add_list_items(&home.id, "shopping", &texts(&["thing 7"]), false, t(3)).await.unwrap();
        assert_eq!(store.list(&home.id, "shopping").await.unwrap().unwrap().items.len(), 500);
        for bad in ["", "  ", "?!", &"n".repeat(51)] {
            assert!(matches!(store.create_list(&home.id, bad, t(4)).await, Err(StoreError::Invalid(_))), "{bad:?}");
        }
    }

    async fn one_household_never_sees_anothers_lists(fx: &Fixture) {
        let store = &fx.store;
        let a = store.create_household("A", "UTC", None, t(0)).await.unwrap();
        let b = store.create_household("B", "UTC", None, t(0)).await.unwrap();
        let added = store.add_list_items(&a.id, "shopping", &texts(&["milk"]), false, t(1)).await.unwrap();
        store.create_list(&a.id, "secret", t(1)).await.unwrap();
        let id = added[0].item.id.clone();
        assert!(store.list(&b.id, "shopping").await.unwrap().unwrap().items.is_empty());
        assert!(store.list(&b.id, "secret").await.unwrap().is_none());
        assert_eq!(store.lists(&b.id).await.unwrap().len(), 2);
        assert_eq!(store.update_list_item(&b.id, "shopping", &id, Some(true), None, t(2)).await.unwrap(), None);
        assert_eq!(store.complete_list_items(&b.id, "shopping", std::slice::from_ref(&id), t(2)).await.unwrap(), 0);
        assert_eq!(store.remove_list_items(&b.id, "shopping", std::slice::from_ref(&id)).await.unwrap(), 0);
        assert_eq!(store.clear_list(&b.id, "shopping").await.unwrap(), 0);
        assert!(!store.delete_list(&b.id, "secret").await.unwrap());
        // B may have a list of the same name, apart from A's.
        store.create_list(&b.id, "secret", t(3)).await.unwrap();
        let list = store.list(&a.id, "shopping").await.unwrap().unwrap();
        assert_eq!(list.items.len(), 1);
        assert!(!list.items[0].done);
    }
}
