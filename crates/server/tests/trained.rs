//! A model trained from examples answers what no template matches, after the templates, and
//! the answer says which of them understood.

use hark_nlu::trained::{data, Model, TrainOptions};
use serde_json::Value;

use crate::timers::{say_on, start_with, Running};

/// A custom skill described by examples only: ordering pizza.
const PIZZA: &str = "\
intents:
  OrderPizza:
    examples:
      - order a [large](size) [margherita](pizza)
      - i want a [small](size) [pepperoni](pizza) pizza
      - can i get a [medium](size) [hawaiian](pizza)
      - get me a [four cheese](pizza) pizza
      - i'd like to order a [margherita](pizza) pizza
      - order [two](count:number) [large](size) [pepperoni](pizza) pizzas
      - i would like a [vegetarian](pizza) pizza
      - please order me a [small](size) [four cheese](pizza)
      - we want [three](count:number) [margherita](pizza) pizzas
      - one [large](size) [hawaiian](pizza) please
      - send me a [medium](size) [vegetarian](pizza) pizza
      - order a pizza with [pepperoni](pizza)
entities:
  pizza:
    values: [margherita, pepperoni, hawaiian, four cheese, vegetarian]
  size: [small, medium, large]
";

fn pizza_server(name: &str) -> Running {
    let dir = std::env::temp_dir().join(format!("hark-trained-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let examples = dir.join("pizza.yaml");
    std::fs::write(&examples, PIZZA).unwrap();
    let (model, _) = Model::train(&data::load(&examples).unwrap(), &TrainOptions::default())
        .expect("the examples train");
    let path = dir.join("pizza.model.json");
    model.save(&path).unwrap();
    start_with(name, |config| config.nlu_models = vec![path])
}

fn intent(answer: &Value) -> &Value {
    &answer["intent"]
}

#[test]
fn a_trained_model_understands_what_no_template_matches_and_says_so() {
    let r = pizza_server("pizza");
    let said = say_on(
        &r,
        "default",
        "could you order me a large pepperoni pizza",
        None,
    );
    let found = intent(&said);
    assert_eq!(found["name"], "OrderPizza", "{said}");
    assert_eq!(found["stage"], "trained", "{said}");
    assert_eq!(found["slots"]["size"], "large", "{said}");
    assert_eq!(found["slots"]["pizza"], "pepperoni", "{said}");
    let confidence = found["confidence"].as_f64().unwrap();
    assert!(confidence > 0.5 && confidence <= 1.0, "{said}");

    // The templates come first.
    let time = say_on(&r, "default", "what time is it", None);
    assert_eq!(intent(&time)["name"], "HassGetCurrentTime", "{time}");
    assert_eq!(intent(&time)["stage"], "templates", "{time}");

    // Neither understands small talk.
    let chat = say_on(&r, "default", "my neighbour painted his fence green", None);
    assert!(intent(&chat).is_null(), "{chat}");
}

#[test]
fn a_damaged_model_file_stops_the_server_with_its_name() {
    let dir = std::env::temp_dir().join(format!("hark-trained-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.model.json");
    std::fs::write(&path, b"{\"format\": \"hark-nlu-model\", \"version\": 999}").unwrap();
    let config = hark_server::Config {
        data_dir: dir.join("data"),
        nlu_models: vec![path],
        ..hark_server::Config::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let clock = std::sync::Arc::new(hark_core::ManualClock::new(jiff::Timestamp::UNIX_EPOCH));
    let Err(error) = runtime.block_on(hark_server::Server::open(
        &config,
        hark_skills::builtin().unwrap(),
        clock,
    )) else {
        panic!("a model of another version is refused");
    };
    let message = format!("{error}: {}", std::error::Error::source(&error).unwrap());
    assert!(
        message.contains("broken.model.json") && message.contains("version 999"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
