//! The `hark` binary, run as a user runs it.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn features() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../nlu/tests/assets/features")
}

fn hark(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hark"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hark runs");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&bytes));
    let output = child.wait_with_output().expect("hark finishes");
    writer.join().expect("writer").expect("stdin written");
    output
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn parse_arguments_prints_one_json_line_each() {
    let grammar = features();
    let out = hark(
        &[
            "nlu",
            "parse",
            "--grammar",
            grammar.to_str().unwrap(),
            "set the mode to turbo",
            "nonsense",
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers = lines(&out);
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["text"], "set the mode to turbo");
    assert_eq!(answers[0]["intent"]["name"], "ValueList");
    assert_eq!(answers[0]["intent"]["slots"]["mode"], "boost");
    assert_eq!(answers[0]["intent"]["raw"]["mode"], "turbo");
    assert_eq!(answers[0]["intent"]["confidence"], 1.0);
    assert_eq!(
        answers[1],
        serde_json::json!({"text": "nonsense", "intent": null})
    );
}

#[test]
fn stdin_gets_one_line_out_per_line_in_even_for_garbage() {
    let grammar = features();
    let mut input = Vec::new();
    input.extend_from_slice(b"set the mode to eco\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"\xff\xfe\x00\x01binary\x80garbage\n");
    input.extend_from_slice("set the mode to eco ".repeat(6000).as_bytes());
    input.extend_from_slice(b"\r\n");
    input.extend_from_slice(b"heat to 21.5 degrees");
    let out = hark(
        &["nlu", "parse", "--grammar", grammar.to_str().unwrap()],
        &input,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers = lines(&out);
    assert_eq!(
        answers.len(),
        5,
        "one answer per input line, the last without a newline"
    );
    assert_eq!(answers[0]["intent"]["name"], "ValueList");
    assert!(answers[1]["intent"].is_null() && answers[1]["text"] == "");
    assert!(answers[2]["intent"].is_null());
    assert!(
        answers[3]["intent"].is_null(),
        "a 114 KB line is no command"
    );
    assert_eq!(answers[4]["intent"]["slots"]["temperature"], 21.5);
}

#[test]
fn broken_grammar_names_file_and_line_and_fails() {
    let dir = std::env::temp_dir().join(format!("hark-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.yaml");
    std::fs::write(
        &file,
        "intents:\n  X:\n    data:\n      - sentences:\n          - \"set [the mode\"\n",
    )
    .unwrap();
    let out = hark(
        &["nlu", "parse", "--grammar", file.to_str().unwrap(), "hi"],
        b"",
    );
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.yaml:5:") && err.contains("'[' is never closed"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn now_with_an_offset_keeps_the_offset() {
    let grammar = features();
    let out = hark(
        &[
            "nlu",
            "parse",
            "--grammar",
            grammar.to_str().unwrap(),
            "--now",
            "2026-11-25T08:00:00+01:00",
            "wake me up at 7:30",
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        lines(&out)[0]["intent"]["slots"]["time"],
        "2026-11-25T19:30:00+01:00[+01:00]"
    );
    let out = hark(
        &[
            "nlu",
            "parse",
            "--grammar",
            grammar.to_str().unwrap(),
            "--now",
            "2026-11-25T08:00:00+01:00",
            "--tz",
            "America/New_York",
            "wake me up at 7:30",
        ],
        b"",
    );
    assert_eq!(
        lines(&out)[0]["intent"]["slots"]["time"],
        "2026-11-25T07:30:00-05:00[America/New_York]"
    );
}

#[test]
fn bad_options_are_explained() {
    let out = hark(&["nlu", "parse", "--tz", "Mars/Olympus", "hi"], b"");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown time zone 'Mars/Olympus'"));
    let out = hark(&["nlu", "parse", "--now", "yesterday", "hi"], b"");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--now 'yesterday' is not an RFC 3339"));
    let out = hark(&["nlu", "parse", "--lang", "xx", "hi"], b"");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no built-in grammar for language 'xx'"));
    let out = hark(
        &["nlu", "parse", "--grammar", "/nonexistent/grammar", "hi"],
        b"",
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/grammar"));
}

#[test]
fn bench_reports_rate_and_latency() {
    let grammar = features();
    let dir = std::env::temp_dir().join(format!("hark-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sentences = dir.join("sentences.txt");
    std::fs::write(
        &sentences,
        "set the mode to eco\nheat to 20 degrees\nnot a command\n",
    )
    .unwrap();
    let out = hark(
        &[
            "nlu",
            "bench",
            "--grammar",
            grammar.to_str().unwrap(),
            "--sentences",
            sentences.to_str().unwrap(),
            "--repeat",
            "2",
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = &lines(&out)[0];
    assert_eq!(report["sentences"], 3);
    assert_eq!(report["matched"], 2);
    assert!(report["sentences_per_s"].as_f64().unwrap() > 0.0);
    assert!(report["p99_us"].as_f64().unwrap() >= report["p50_us"].as_f64().unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}
