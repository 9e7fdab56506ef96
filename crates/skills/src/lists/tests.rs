use hark_core::skill::Next;
use serde_json::json;

use super::*;
use crate::testing::{intent, Home};

fn list(name: &str, items: &[(&str, &str, bool)]) -> ListView {
    ListView {
        name: name.into(),
        items: items
            .iter()
            .map(|(id, text, done)| ListItemView {
                id: id.to_string(),
                text: text.to_string(),
                done: *done,
            })
            .collect(),
    }
}

fn say(lists: Vec<ListView>, name: &str, slots: serde_json::Value) -> Outcome {
    let mut home = Home::new("Europe/Paris");
    home.lists = lists;
    let intent = intent(name, slots);
    Lists::new()
        .unwrap()
        .handle(&home.turn(&intent, "2026-11-25T08:00:00Z"))
        .unwrap()
}

fn add(list: &str, items: &[&str]) -> Effect {
    Effect::List(ListEffect::Add {
        list: list.into(),
        items: items.iter().map(|s| s.to_string()).collect(),
    })
}

#[test]
fn several_items_split_but_known_pairs_stay_whole() {
    assert_eq!(
        split_items("milk, eggs and bread"),
        ["milk", "eggs", "bread"]
    );
    assert_eq!(split_items("milk and eggs"), ["milk", "eggs"]);
    assert_eq!(split_items("the milk and some eggs"), ["milk", "eggs"]);
    assert_eq!(split_items("salt and pepper"), ["salt and pepper"]);
    assert_eq!(
        split_items("milk and salt and pepper and mac and cheese"),
        ["milk", "salt and pepper", "mac and cheese"]
    );
    assert_eq!(split_items("call the plumber"), ["call the plumber"]);
    assert_eq!(split_items(" , and "), Vec::<String>::new());
}

#[test]
fn adding_says_what_was_added_and_what_was_there() {
    let out = say(
        vec![],
        "HassShoppingListAddItem",
        json!({"item": "milk and eggs"}),
    );
    assert_eq!(
        out.speech,
        "I've added milk and eggs to your shopping list."
    );
    assert_eq!(out.effects, vec![add("shopping", &["milk", "eggs"])]);
    assert_eq!(out.next, Next::End);

    let shopping = list("shopping", &[("i1", "Milk", false), ("i2", "egg", true)]);
    let out = say(
        vec![shopping.clone()],
        "HassShoppingListAddItem",
        json!({"item": "milk"}),
    );
    assert_eq!(out.speech, "Milk is already on your shopping list.");
    assert!(out.effects.is_empty());
    // A checked-off item is added again; one not done is said to be there.
    let out = say(
        vec![shopping],
        "HassShoppingListAddItem",
        json!({"item": "eggs, bread and milk"}),
    );
    assert_eq!(
        out.speech,
        "I've added eggs and bread to your shopping list. Milk is already on it."
    );
    assert_eq!(out.effects, vec![add("shopping", &["eggs", "bread"])]);
}

#[test]
fn named_lists_and_new_ones() {
    let out = say(
        vec![],
        "HassListAddItem",
        json!({"item": "call the plumber", "name": "to do"}),
    );
    assert_eq!(
        out.speech,
        "I've added call the plumber to your to-do list."
    );
    assert_eq!(out.effects, vec![add("to do", &["call the plumber"])]);
    let out = say(
        vec![],
        "HassListAddItem",
        json!({"item": "milk", "name": "groceries"}),
    );
    assert_eq!(out.effects, vec![add("shopping", &["milk"])]);
    let out = say(
        vec![],
        "HassListAddItem",
        json!({"item": "pastries", "name": "christmas"}),
    );
    assert_eq!(out.speech, "I've started a christmas list with pastries.");
    assert_eq!(out.effects, vec![add("christmas", &["pastries"])]);
}

#[test]
fn adding_with_no_list_asks_which_and_the_answer_completes_it() {
    let out = say(vec![], "HassListAddItem", json!({"item": "milk and eggs"}));
    assert_eq!(out.speech, "Add milk and eggs to which list?");
    assert!(out.effects.is_empty());
    let Next::Ask { pending, expect } = out.next else {
        panic!("a question")
    };
    assert_eq!(
        expect,
        Expect::Slot {
            slot: SlotName::new("name"),
            entity: None
        }
    );
    // The runtime puts the answer in `name`, as said.
    let answer = |said: &str, lists: Vec<ListView>| {
        let mut home = Home::new("Europe/Paris");
        home.lists = lists;
        let mut intent = pending.clone();
        intent.slots.insert(SlotName::new("name"), json!(said));
        Lists::new()
            .unwrap()
            .handle(&home.turn(&intent, "2026-11-25T08:00:00Z"))
            .unwrap()
    };
    let out = answer("the to do list", vec![]);
    assert_eq!(out.speech, "I've added milk and eggs to your to-do list.");
    assert_eq!(out.effects, vec![add("to do", &["milk", "eggs"])]);
    let out = answer("shopping", vec![]);
    assert_eq!(out.effects, vec![add("shopping", &["milk", "eggs"])]);
    let out = answer("the christmas one", vec![list("christmas", &[])]);
    assert_eq!(out.effects, vec![add("christmas", &["milk", "eggs"])]);
    // A misheard answer starts no list.
    let out = answer("banana", vec![]);
    assert_eq!(out.speech, "There's no list called banana.");
    assert!(out.effects.is_empty());
}

#[test]
fn reading_a_list() {
    let shopping = list(
        "shopping",
        &[
            ("1", "milk", false),
            ("2", "eggs", false),
            ("3", "jam", true),
            ("4", "bread", false),
        ],
    );
    let out = say(vec![shopping], "HarkListGetItems", json!({}));
    assert_eq!(
        out.speech,
        "Your shopping list has 3 items: milk, eggs and bread."
    );
    let out = say(vec![], "HarkListGetItems", json!({"name": "to do"}));
    assert_eq!(out.speech, "Your to-do list is empty.");
    let out = say(
        vec![list("to do", &[("1", "laundry", false)])],
        "HarkListGetItems",
        json!({"name": "to do"}),
    );
    assert_eq!(out.speech, "Your to-do list has one item: laundry.");
    let out = say(
        vec![list("to do", &[("1", "laundry", true)])],
        "HarkListGetItems",
        json!({"name": "todo"}),
    );
    assert_eq!(out.speech, "Everything on your to-do list is checked off.");
    let out = say(vec![], "HarkListGetItems", json!({"name": "christmas"}));
    assert_eq!(out.speech, "There's no list called christmas.");
    let long: Vec<(String, String, bool)> = (0..12)
        .map(|i| (i.to_string(), format!("thing {i}"), false))
        .collect();
    let long: Vec<(&str, &str, bool)> = long
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), *c))
        .collect();
    let out = say(vec![list("shopping", &long)], "HarkListGetItems", json!({}));
    assert!(
        out.speech
            .starts_with("Your shopping list has 12 items. The first 10 are: thing 0, "),
        "{}",
        out.speech
    );
}

#[test]
fn removing_and_checking_off_find_the_item_wherever_it_is() {
    let lists = vec![
        list("shopping", &[("s1", "milk", false), ("s2", "Eggs", false)]),
        list("to do", &[("t1", "laundry", false)]),
        list(
            "christmas",
            &[("c1", "pastries", false), ("c2", "milk", false)],
        ),
    ];
    let out = say(
        lists.clone(),
        "HassShoppingListCompleteItem",
        json!({"item": "egg"}),
    );
    assert_eq!(out.speech, "I've checked off egg on your shopping list.");
    assert_eq!(
        out.effects,
        vec![Effect::List(ListEffect::Complete {
            list: "shopping".into(),
            ids: vec!["s2".into()]
        })]
    );
    // "I bought the milk": the shopping list's, though the christmas list has some too.
    let out = say(
        lists.clone(),
        "HassShoppingListCompleteItem",
        json!({"item": "milk"}),
    );
    assert_eq!(
        out.effects,
        vec![Effect::List(ListEffect::Complete {
            list: "shopping".into(),
            ids: vec!["s1".into()]
        })]
    );
    let out = say(
        lists.clone(),
        "HassListCompleteItem",
        json!({"item": "laundry"}),
    );
    assert_eq!(out.speech, "I've checked off laundry on your to-do list.");
    let out = say(
        lists.clone(),
        "HassListRemoveItem",
        json!({"item": "pastries"}),
    );
    assert_eq!(
        out.speech,
        "I've removed pastries from your christmas list."
    );
    assert_eq!(
        out.effects,
        vec![Effect::List(ListEffect::Remove {
            list: "christmas".into(),
            ids: vec!["c1".into()]
        })]
    );
    // Milk is on two lists: which one?
    let out = say(lists.clone(), "HassListRemoveItem", json!({"item": "milk"}));
    assert_eq!(
        out.speech,
        "Milk is on your shopping list and your christmas list. Which list?"
    );
    assert!(out.effects.is_empty());
    assert!(matches!(out.next, Next::Ask { .. }));
    let out = say(
        lists.clone(),
        "HassListRemoveItem",
        json!({"item": "milk", "name": "christmas"}),
    );
    assert_eq!(
        out.effects,
        vec![Effect::List(ListEffect::Remove {
            list: "christmas".into(),
            ids: vec!["c2".into()]
        })]
    );
    // What is not there.
    let out = say(
        lists.clone(),
        "HassListRemoveItem",
        json!({"item": "butter"}),
    );
    assert_eq!(out.speech, "Butter isn't on any of your lists.");
    assert!(out.effects.is_empty());
    let out = say(
        lists.clone(),
        "HassListRemoveItem",
        json!({"item": "apples", "name": "shopping"}),
    );
    assert_eq!(out.speech, "Apples aren't on your shopping list.");
    let out = say(
        lists.clone(),
        "HassListRemoveItem",
        json!({"item": "eggs and apples", "name": "shopping"}),
    );
    assert_eq!(
        out.speech,
        "I've removed eggs from your shopping list. Apples aren't on it."
    );
    let out = say(
        lists.clone(),
        "HassListRemoveItem",
        json!({"item": "milk", "name": "garden"}),
    );
    assert_eq!(out.speech, "There's no list called garden.");
    let done = vec![list("shopping", &[("s1", "milk", true)])];
    let out = say(
        done,
        "HassShoppingListCompleteItem",
        json!({"item": "milk"}),
    );
    assert_eq!(
        out.speech,
        "Milk is already checked off on your shopping list."
    );
    assert!(out.effects.is_empty());
}

#[test]
fn clearing_a_list() {
    let out = say(
        vec![list("shopping", &[("1", "milk", false)])],
        "HarkListClear",
        json!({"name": "shopping"}),
    );
    assert_eq!(out.speech, "I've cleared your shopping list.");
    assert_eq!(
        out.effects,
        vec![Effect::List(ListEffect::Clear {
            list: "shopping".into()
        })]
    );
    let out = say(vec![], "HarkListClear", json!({"name": "to do"}));
    assert_eq!(out.speech, "Your to-do list is already empty.");
    assert!(out.effects.is_empty());
    let out = say(vec![], "HarkListClear", json!({"name": "christmas"}));
    assert_eq!(out.speech, "There's no list called christmas.");
}

#[test]
fn every_intent_reads_the_lists() {
    let skill = Lists::new().unwrap();
    for &name in skill.intents() {
        assert!(skill.needs(&intent(name, json!({}))).lists, "{name}");
    }
}
