//! Lists through `/v1/converse` and `/v1/lists`: what is said is kept in the
//! store, every device of the household sees the same lists, and no other
//! household sees them.

use serde_json::{json, Value};

use crate::timers::{say_on, start, Running};

fn say(r: &Running, text: &str, session: Option<&str>) -> Value {
    say_on(r, "default", text, session)
}

fn speech(answer: &Value) -> &str {
    answer["speech"].as_str().unwrap_or_default()
}

/// The texts on a list, done or not, as the API lists them.
fn items(r: &Running, name: &str) -> Vec<(String, bool)> {
    let (status, list) = r.call("GET", &format!("/v1/lists/{name}"), None);
    assert_eq!(status, 200, "{list}");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["text"].as_str().unwrap().to_string(),
                i["done"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn open(r: &Running, name: &str) -> Vec<String> {
    items(r, name)
        .into_iter()
        .filter(|(_, done)| !done)
        .map(|(text, _)| text)
        .collect()
}

#[test]
fn common_phrasings_change_the_lists_in_the_store() {
    let r = start("lists-phrasings");
    let answer = say(&r, "what's on my shopping list", None);
    assert_eq!(speech(&answer), "Your shopping list is empty.");

    let answer = say(&r, "add milk, eggs and bread to my shopping list", None);
    assert_eq!(
        speech(&answer),
        "I've added milk, eggs and bread to your shopping list."
    );
    assert_eq!(open(&r, "shopping"), ["milk", "eggs", "bread"]);
    let answer = say(&r, "add egg to the shopping list", None);
    assert_eq!(speech(&answer), "Egg is already on your shopping list.");
    let answer = say(&r, "we're out of salt and pepper", None);
    assert_eq!(
        speech(&answer),
        "I've added salt and pepper to your shopping list."
    );
    let answer = say(&r, "what's on my shopping list", None);
    assert_eq!(
        speech(&answer),
        "Your shopping list has 4 items: milk, eggs, bread and salt and pepper."
    );

    let answer = say(&r, "I bought the eggs", None);
    assert_eq!(
        speech(&answer),
        "I've checked off eggs on your shopping list."
    );
    assert_eq!(
        items(&r, "shopping")[1],
        ("eggs".to_string(), true),
        "checked off, still there"
    );
    let answer = say(&r, "remove milk", None);
    assert_eq!(
        speech(&answer),
        "I've removed milk from your shopping list."
    );
    assert_eq!(open(&r, "shopping"), ["bread", "salt and pepper"]);
    // Bought and needed again: not done any more.
    let answer = say(&r, "add eggs to my shopping list", None);
    assert_eq!(speech(&answer), "I've added eggs to your shopping list.");
    assert_eq!(open(&r, "shopping"), ["eggs", "bread", "salt and pepper"]);

    let answer = say(&r, "add call the plumber to my to do list", None);
    assert_eq!(
        speech(&answer),
        "I've added call the plumber to your to-do list."
    );
    let answer = say(&r, "mark call the plumber as done on my to do list", None);
    assert_eq!(
        speech(&answer),
        "I've checked off call the plumber on your to-do list."
    );
    let answer = say(&r, "what's on my to do list", None);
    assert_eq!(
        speech(&answer),
        "Everything on your to-do list is checked off."
    );

    let answer = say(&r, "add pastries to the christmas list", None);
    assert_eq!(
        speech(&answer),
        "I've started a christmas list with pastries."
    );
    let answer = say(&r, "clear my shopping list", None);
    assert_eq!(speech(&answer), "I've cleared your shopping list.");
    assert!(items(&r, "shopping").is_empty());
    let answer = say(&r, "empty the shopping list", None);
    assert_eq!(speech(&answer), "Your shopping list is already empty.");
    let (_, lists) = r.call("GET", "/v1/lists", None);
    let names: Vec<&str> = lists
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["shopping", "to do", "christmas"]);
}

#[test]
fn nothing_there_and_no_such_list() {
    let r = start("lists-missing");
    let answer = say(&r, "remove butter", None);
    assert_eq!(speech(&answer), "Butter isn't on any of your lists.");
    let answer = say(&r, "take milk off my shopping list", None);
    assert_eq!(speech(&answer), "Milk isn't on your shopping list.");
    let answer = say(&r, "what's on the birthday list", None);
    assert_eq!(speech(&answer), "There's no list called birthday.");
    let answer = say(&r, "clear the birthday list", None);
    assert_eq!(speech(&answer), "There's no list called birthday.");
    assert_eq!(answer["effects"], json!([]));
    let (_, lists) = r.call("GET", "/v1/lists", None);
    assert_eq!(lists.as_array().map(Vec::len), Some(2), "{lists}");
}

#[test]
fn add_with_no_list_asks_which_and_the_answer_completes_it() {
    let r = start("lists-ask");
    let asked = say(&r, "add milk and eggs to a list", None);
    assert_eq!(speech(&asked), "Add milk and eggs to which list?");
    assert_eq!(asked["expects_reply"], true);
    assert!(items(&r, "shopping").is_empty(), "nothing added yet");
    let done = say(&r, "the shopping list", asked["session"].as_str());
    assert_eq!(
        speech(&done),
        "I've added milk and eggs to your shopping list."
    );
    assert_eq!(done["expects_reply"], false);
    assert_eq!(open(&r, "shopping"), ["milk", "eggs"]);

    let asked = say(&r, "put water the plants on one of my lists", None);
    let done = say(&r, "to do", asked["session"].as_str());
    assert_eq!(
        speech(&done),
        "I've added water the plants to your to-do list."
    );
    // A list that does not exist is not made from a misheard answer.
    let asked = say(&r, "add batteries to a list", None);
    let done = say(&r, "garage", asked["session"].as_str());
    assert_eq!(speech(&done), "There's no list called garage.");
    let (_, lists) = r.call("GET", "/v1/lists", None);
    assert_eq!(lists.as_array().map(Vec::len), Some(2), "{lists}");

    // The item on two lists: which one?
    say(&r, "add milk to the christmas list", None);
    let asked = say(&r, "remove milk", None);
    assert_eq!(
        speech(&asked),
        "Milk is on your shopping list and your christmas list. Which list?"
    );
    let done = say(&r, "christmas", asked["session"].as_str());
    assert_eq!(speech(&done), "I've removed milk from your christmas list.");
    assert_eq!(open(&r, "shopping"), ["milk", "eggs"]);
    assert!(items(&r, "christmas").is_empty());
}

#[test]
fn devices_of_one_household_share_its_lists_and_no_other_sees_them() {
    let r = start("lists-households");
    let (status, _) = r.call("POST", "/v1/devices", Some(json!({"name": "bedroom"})));
    assert_eq!(status, 201);
    say_on(&r, "default", "add coffee to my shopping list", None);
    let answer = say_on(&r, "bedroom", "what's on my shopping list", None);
    assert_eq!(speech(&answer), "Your shopping list has one item: coffee.");
    let answer = say_on(&r, "bedroom", "I bought the coffee", None);
    assert_eq!(
        speech(&answer),
        "I've checked off coffee on your shopping list."
    );

    let other = r.another_household("Neighbours");
    let ask = |text: &str| {
        let (status, answer) = r.call_as(
            &other,
            "POST",
            "/v1/converse",
            Some(json!({"text": text, "device": "default"})),
        );
        assert_eq!(status, 200, "{answer}");
        answer
    };
    let answer = ask("what's on my shopping list");
    assert_eq!(speech(&answer), "Your shopping list is empty.");
    let answer = ask("remove coffee");
    assert_eq!(speech(&answer), "Coffee isn't on any of your lists.");
    let (status, list) = r.call_as(&other, "GET", "/v1/lists/shopping", None);
    assert_eq!((status, list["items"].clone()), (200, json!([])));
    let id = r.call("GET", "/v1/lists/shopping", None).1["items"][0]["id"].clone();
    let id = id.as_str().unwrap();
    let (status, error) = r.call_as(
        &other,
        "PATCH",
        &format!("/v1/lists/shopping/items/{id}"),
        Some(json!({"done": false})),
    );
    assert_eq!(
        (status, &error["error"]["code"]),
        (404, &json!("list_item_not_found"))
    );
    let (status, _) = r.call_as(
        &other,
        "DELETE",
        &format!("/v1/lists/shopping/items/{id}"),
        None,
    );
    assert_eq!(status, 404);
    assert_eq!(items(&r, "shopping"), [("coffee".to_string(), true)]);
}

#[test]
fn the_lists_api() {
    let r = start("lists-api");
    let (status, created) = r.call("POST", "/v1/lists", Some(json!({"name": "Christmas List"})));
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        created,
        json!({"name": "christmas", "builtin": false, "items": []})
    );
    let (status, error) = r.call("POST", "/v1/lists", Some(json!({"name": "christmas"})));
    assert_eq!((status, &error["error"]["code"]), (409, &json!("conflict")));

    let (status, added) = r.call(
        "POST",
        "/v1/lists/christmas/items",
        Some(json!({"items": ["pastries", "Candles", "candle"]})),
    );
    assert_eq!(status, 200, "{added}");
    let outcomes: Vec<&str> = added
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["added", "added"]);
    let (_, again) = r.call(
        "POST",
        "/v1/lists/christmas/items",
        Some(json!({"items": ["pastry"]})),
    );
    assert_eq!(again[0]["outcome"], "already_there");
    let pastries = added[0]["item"]["id"].as_str().unwrap().to_string();

    let (status, item) = r.call(
        "PATCH",
        &format!("/v1/lists/christmas/items/{pastries}"),
        Some(json!({"done": true, "text": "mince pies"})),
    );
    assert_eq!(status, 200, "{item}");
    assert_eq!(
        (item["text"].clone(), item["done"].clone()),
        (json!("mince pies"), json!(true))
    );
    let (status, _) = r.call(
        "DELETE",
        &format!("/v1/lists/christmas/items/{pastries}"),
        None,
    );
    assert_eq!(status, 204);
    let (status, error) = r.call(
        "DELETE",
        &format!("/v1/lists/christmas/items/{pastries}"),
        None,
    );
    assert_eq!(
        (status, &error["error"]["code"]),
        (404, &json!("list_item_not_found"))
    );
    assert_eq!(items(&r, "christmas"), [("Candles".to_string(), false)]);

    // To-do by any of its names, and clearing.
    r.call(
        "POST",
        "/v1/lists/To-Do/items",
        Some(json!({"items": ["laundry"]})),
    );
    assert_eq!(open(&r, "to%20do"), ["laundry"]);
    let (status, cleared) = r.call("DELETE", "/v1/lists/todo/items", None);
    assert_eq!((status, cleared), (200, json!({"removed": 1})));

    // Bad input: a clear error, and nothing lost.
    for (body, code) in [
        (json!({"items": [""]}), "invalid_request"),
        (json!({"items": ["milk", "  "]}), "invalid_request"),
        (json!({"items": ["x".repeat(201)]}), "invalid_request"),
        (json!({"items": []}), "invalid_request"),
        (json!({"items": "milk"}), "invalid_json"),
        (json!({"item": ["milk"]}), "invalid_json"),
    ] {
        let (status, error) = r.call("POST", "/v1/lists/christmas/items", Some(body.clone()));
        assert_eq!(
            (status, error["error"]["code"].as_str()),
            (400, Some(code)),
            "{body}"
        );
    }
    assert_eq!(items(&r, "christmas"), [("Candles".to_string(), false)]);
    for (method, path, body) in [
        ("GET", "/v1/lists/easter", None),
        (
            "POST",
            "/v1/lists/easter/items",
            Some(json!({"items": ["eggs"]})),
        ),
        ("DELETE", "/v1/lists/easter/items", None),
        ("DELETE", "/v1/lists/easter", None),
        (
            "PATCH",
            "/v1/lists/easter/items/itm_x",
            Some(json!({"done": true})),
        ),
    ] {
        let (status, error) = r.call(method, path, body);
        assert_eq!(
            (status, error["error"]["code"].as_str()),
            (404, Some("list_not_found")),
            "{method} {path}"
        );
    }
    let (status, error) = r.call("PATCH", "/v1/lists/christmas/items/itm_x", Some(json!({})));
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, error) = r.call("DELETE", "/v1/lists/shopping", None);
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _) = r.call("DELETE", "/v1/lists/christmas", None);
    assert_eq!(status, 204);
    let (status, _) = r.call("GET", "/v1/lists/christmas", None);
    assert_eq!(status, 404);
    // Without a token: nothing.
    let (status, _) = r.call_as("hark_nope_nope", "GET", "/v1/lists", None);
    assert_eq!(status, 401);
}
