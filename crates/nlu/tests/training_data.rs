//! Training data read from files: the Snips benchmark's JSON as published, and folders of
//! hark's YAML whose files share entity types.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hark_nlu::trained::data::{self, Dataset, Example};

use crate::support::repo_root;

/// The Snips benchmark's training files (../shared/data/snips-2017 beside the repository,
/// or `$HARK_SNIPS_DATA`), when this machine has them. They are not copied into the
/// repository; tests that need them say so and pass without them.
fn snips_folder() -> Option<PathBuf> {
    let folder = std::env::var_os("HARK_SNIPS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data/snips-2017"));
    if folder.is_dir() {
        Some(folder)
    } else {
        eprintln!(
            "skipped: no Snips benchmark data at {} (set HARK_SNIPS_DATA)",
            folder.display()
        );
        None
    }
}

/// Each intent of the benchmark with its sentences and slots in `train_X.json`, then in
/// `train_X_full.json`, as counted by Python's json module.
const SNIPS: [(&str, [(usize, usize); 2]); 7] = [
    ("AddToPlaylist", [(300, 836), (1942, 5278)]),
    ("BookRestaurant", [(300, 923), (1973, 6418)]),
    ("GetWeather", [(300, 681), (2000, 4594)]),
    ("PlayMusic", [(300, 633), (2000, 4389)]),
    ("RateBook", [(300, 1146), (1956, 7349)]),
    ("SearchCreativeWork", [(300, 533), (1954, 3419)]),
    ("SearchScreeningEvent", [(300, 666), (1959, 4301)]),
];

fn slots(example: &Example) -> Vec<(&str, &str)> {
    example
        .slots
        .iter()
        .map(|s| (s.slot.as_str(), s.value(&example.text)))
        .collect()
}

fn find<'d>(dataset: &'d Dataset, text: &str) -> &'d Example {
    dataset
        .examples
        .iter()
        .find(|e| e.text == text)
        .unwrap_or_else(|| panic!("no example {text:?}"))
}

#[test]
fn snips_files_load_whole() {
    let Some(folder) = snips_folder() else { return };
    for (intent, sizes) in SNIPS {
        for (suffix, (sentences, slot_count)) in ["", "_full"].into_iter().zip(sizes) {
            let file = folder.join(format!("train_{intent}{suffix}.json"));
            let dataset = data::load(&file).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(dataset.intents(), BTreeSet::from([intent]), "{file:?}");
            assert_eq!(dataset.examples.len(), sentences, "{file:?}");
            let spans = dataset.examples.iter().flat_map(|e| {
                e.slots
                    .iter()
                    .map(|s| (s.value(&e.text), s.entity.as_str()))
            });
            let mut count = 0;
            for (value, entity) in spans {
                count += 1;
                assert!(!value.is_empty() && value == value.trim(), "{value:?}");
                let values = &dataset.entities[entity].values;
                assert!(values.iter().any(|v| v[0] == value), "{entity}: {value}");
            }
            assert_eq!(count, slot_count, "{file:?}");
        }
    }
}

#[test]
fn snips_sentences_and_spans() {
    let Some(folder) = snips_folder() else { return };
    let weather = data::load(&folder.join("train_GetWeather.json")).unwrap();
    let first = &weather.examples[0];
    assert_eq!(
        first.text,
        "How's the weather in Munchique National Natural Park"
    );
    assert_eq!(
        slots(first),
        [("geographic_poi", "Munchique National Natural Park")]
    );
    assert_eq!(first.slots[0].start, 21);
    // The chunk is "in 10 years ": its span stops before the space.
    let trailing = find(
        &weather,
        "What will the weather be in Pipe Venezuela in 10 years ?",
    );
    assert_eq!(
        slots(trailing),
        [
            ("city", "Pipe"),
            ("country", "Venezuela"),
            ("timeRange", "in 10 years")
        ]
    );
    assert_eq!(weather.entities.len(), 9);
    assert!(weather.entities.values().all(|e| e.extensible));

    // One sentence of this file is not UTF-8: an emoji written as two surrogate halves.
    let music = data::load(&folder.join("train_PlayMusic_full.json")).unwrap();
    let playlists = &music.entities["playlist"].values;
    assert!(playlists.iter().any(|v| v[0] == "Pop Punk Perfection 🍕"));
    assert!(playlists
        .iter()
        .any(|v| v[0] == "Clásicos del Hip Hop Español"));
}

#[test]
fn snips_folder_merges_every_file() {
    let Some(folder) = snips_folder() else { return };
    let mut dataset = data::load(&folder).unwrap();
    let total: usize = SNIPS.iter().map(|(_, s)| s[0].0 + s[1].0).sum();
    assert_eq!(dataset.examples.len(), total);
    assert_eq!(dataset.intents().len(), 7);
    // `city` is an entity type of two intents: one type, the values of both.
    let weather_only = data::load(&folder.join("train_GetWeather_full.json")).unwrap();
    assert!(dataset.entities["city"].values.len() > weather_only.entities["city"].values.len());

    dataset.retain_intents(|intent| intent == "RateBook");
    assert_eq!(dataset.examples.len(), 300 + 1956);
    assert_eq!(dataset.entities.len(), 7);

    let two = data::load_all(&[
        folder.join("train_RateBook.json"),
        folder.join("train_GetWeather.json"),
    ])
    .unwrap();
    assert_eq!(two.intents(), BTreeSet::from(["GetWeather", "RateBook"]));
    assert_eq!(two.examples[0].intent, "RateBook");
}

/// A fresh folder holding `files` (path, text).
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hark-data-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn error(paths: &[&Path]) -> String {
    data::load_all(paths).unwrap_err().to_string()
}

#[test]
fn yaml_folder_shares_entities_between_files() {
    let dir = folder(
        "shared",
        &[
            (
                "pizza/order.yaml",
                "intents:\n  OrderPizza:\n    examples:\n      - a [large](size) [calzone](pizza)\n",
            ),
            (
                "pizza/more/cancel.yml",
                "intents:\n  Cancel:\n    examples:\n      - drop the [pepperoni](kind:pizza)\n",
            ),
            (
                "entities.yaml",
                "entities:\n  pizza:\n    extensible: false\n    values: [margherita]\n",
            ),
            ("README.md", "not data"),
        ],
    );
    let dataset = data::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dataset.intents(), BTreeSet::from(["Cancel", "OrderPizza"]));
    let pizza = &dataset.entities["pizza"];
    assert!(!pizza.extensible);
    // Files in path order, then the values of slots whose type another file declares.
    assert_eq!(pizza.values, [["margherita"], ["calzone"], ["pepperoni"]]);
    assert!(dataset.entities["size"].extensible);

    // Without the file that declares it, `kind:pizza` names no type.
    let cancel = dir.join("pizza/more/cancel.yml");
    assert_eq!(
        error(&[&cancel]),
        format!(
            "{}:4: unknown entity type 'pizza': declare it under 'entities', or use a \
             built-in one (number, ordinal, duration, time, date, datetime, recurrence)",
            cancel.display()
        )
    );
}

#[test]
fn bad_files_are_refused_with_file_and_line() {
    let dir = folder(
        "bad",
        &[
            ("empty.yaml", ""),
            ("empty.json", "  \n"),
            ("notes.txt", "intents: {}\n"),
            (
                "unclosed.yaml",
                "intents:\n  A:\n    examples:\n      - a\n      - '[b(c)'\n",
            ),
            (
                "unquoted.yaml",
                "intents:\n  A:\n    examples:\n      - a\n      - [b](c) d\n",
            ),
        ],
    );
    let at = |name: &str| dir.join(name);
    assert_eq!(
        error(&[&at("empty.yaml")]),
        format!("{}:1: the file is empty", at("empty.yaml").display())
    );
    assert_eq!(
        error(&[&at("empty.json")]),
        format!("{}:1: the file is empty", at("empty.json").display())
    );
    assert!(error(&[&at("notes.txt")]).contains("unknown training data format"));
    assert!(error(&[&at("unclosed.yaml")]).starts_with(&format!(
        "{}:5: in \"[b(c)\": the '[' at character 1 is never closed",
        at("unclosed.yaml").display()
    )));
    // YAML reads `- [b](c) d` as a list: the message says what to do.
    assert!(error(&[&at("unquoted.yaml")]).starts_with(&format!(
        "{}:5: intents.A.examples[1]: invalid type: sequence, expected an example sentence \
         (quote one that starts with '[')",
        at("unquoted.yaml").display()
    )));
    assert!(error(&[&at("missing.yaml")]).starts_with(&at("missing.yaml").display().to_string()));
    // A folder stops at its first bad file, in path order.
    assert!(error(&[&dir]).starts_with(&format!("{}:1:", at("empty.json").display())));
    let none = folder("none", &[("a.txt", "")]);
    assert!(error(&[&none]).contains("no .json, .yaml or .yml training data"));
}

#[test]
fn the_documented_example_reads() {
    let doc = std::fs::read_to_string(repo_root().join("docs/training-data.md")).unwrap();
    let yaml = doc
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a yaml block in docs/training-data.md");
    let dataset = data::parse(Path::new("example.yaml"), yaml).unwrap_or_else(|e| panic!("{e}"));
    assert!(!dataset.examples.is_empty());
}
