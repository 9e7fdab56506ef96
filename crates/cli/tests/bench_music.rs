//! `hark bench music-scan --voice` as a user runs it, on a small library: the table it prints,
//! with the voice recognizer's rebuild and how many of the library's names its language model
//! reaches.

use crate::support::{data_dir, hark};

/// The figures of the table's row that starts with `measure`, as numbers ("14 / 12 / 9 of 14").
fn figures(table: &str, measure: &str) -> Vec<usize> {
    let row = table
        .lines()
        .find(|line| line.starts_with(&format!("| {measure}")))
        .unwrap_or_else(|| panic!("no row {measure:?} in\n{table}"));
    let value = row.trim_end_matches('|').rsplit('|').next().unwrap();
    value
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
}

#[test]
fn a_small_library_reaches_the_voice_recognizers_language_model_whole() {
    let dir = data_dir("bench-music");
    let out = hark()
        .args(["bench", "music-scan", "--tracks", "120", "--searches", "20"])
        .args(["--voice", "--dir"])
        .arg(dir.join("music"))
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{table}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(figures(&table, "tracks |")[0], 120, "{table}");
    assert!(
        table.contains("| voice recognizer rebuilt with every name"),
        "{table}"
    );
    // 2 artists, 12 albums, 120 titles and 2 genres: every one is in the model's vocabulary,
    // and in a library this small every word pair of every name was sampled.
    let reached = figures(&table, "names in the model's vocabulary");
    let [vocabulary, words, pairs, names] = reached[..] else {
        panic!("{reached:?} in\n{table}");
    };
    assert_eq!(names, 136, "{table}");
    assert_eq!((vocabulary, words, pairs), (names, names, names), "{table}");
    // The whole grammar's 100,000 random sentences, and one more for each name they lacked
    // (at most every name; the other lists of the built-in grammar lack none).
    let sentences = figures(&table, "sentences of the model");
    assert_eq!(sentences[0], 100_000, "{table}");
    assert!(sentences[1] <= names, "{table}");
    let _ = std::fs::remove_dir_all(&dir);
}
