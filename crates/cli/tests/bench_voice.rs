//! `hark bench voice-set` and `hark bench voice` as a user runs them: a small set spoken by
//! espeak-ng, heard through the streaming pipeline with a real server answering; and the
//! manifest's mistakes refused with their line, a file that is not audio counted, not fatal.

use serde_json::Value;

use crate::support::{data_dir, hark};

/// Runs `hark bench voice --jsonl` on `dir`, clean and with RNNoise only; returns the status,
/// the JSON lines and stderr.
fn bench(dir: &std::path::Path) -> (bool, Vec<Value>, String) {
    let out = hark()
        .args([
            "bench",
            "voice",
            "--snr",
            "clean",
            "--denoise",
            "on",
            "--jsonl",
        ])
        .arg(dir)
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    (
        out.status.success(),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_spoken_set_is_made_then_heard_and_reported() {
    let dir = data_dir("bench-voice");
    let sentences = [
        "what time is it",
        "set a timer for five minutes",
        "what can you do",
        "cancel all timers",
    ];
    let mut command = hark();
    command.args([
        "bench",
        "voice-set",
        "--voices",
        "en-us",
        "--rates",
        "175",
        "-o",
    ]);
    command.arg(&dir);
    for sentence in sentences {
        command.args(["--text", sentence]);
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    let lines: Vec<Value> = manifest
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[1]["text"], "set a timer for five minutes");
    assert_eq!(lines[1]["intent"]["name"], "HassStartTimer");
    assert_eq!(lines[1]["intent"]["slots"]["seconds"], 300);
    for line in &lines {
        assert!(dir.join(line["file"].as_str().unwrap()).is_file(), "{line}");
    }

    let (ok, report, stderr) = bench(&dir);
    assert!(ok, "{stderr}");
    let files: Vec<&Value> = report.iter().filter(|l| l["kind"] == "file").collect();
    let conditions: Vec<&Value> = report.iter().filter(|l| l["kind"] == "condition").collect();
    assert_eq!(files.len(), 4, "{report:#?}");
    assert_eq!(conditions.len(), 1, "{report:#?}");
    let summary = conditions[0];
    assert_eq!(summary["snr"], "clean");
    assert_eq!(summary["denoise"], "on");
    assert_eq!(summary["files"], 4);
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["with_intent"], 4);
    // espeak-ng's clean speech: at most one of the four missed.
    assert!(summary["accepted"].as_u64().unwrap() >= 3, "{report:#?}");
    assert!(
        summary["wer_percent"].as_f64().unwrap() <= 50.0,
        "{summary}"
    );
    assert!(summary["rtf_mean"].as_f64().unwrap() > 0.0, "{summary}");
    // Each heard file went through the server and had its answer spoken.
    for file in &files {
        if file["heard"].is_string() {
            assert!(file["answer"].is_string(), "{file}");
            assert!(file["converse_ms"].as_f64().is_some(), "{file}");
        }
    }
    // The table, on stderr with --jsonl.
    assert!(stderr.contains("| clean | on | 4 |"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn manifest_mistakes_are_refused_with_their_line_and_bad_audio_is_counted() {
    let dir = data_dir("bench-voice-bad");
    std::fs::create_dir_all(&dir).unwrap();
    let out = hark()
        .args(["say", "stop", "-o"])
        .arg(dir.join("stop.wav"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let good =
        r#"{"file": "stop.wav", "text": "stop", "intent": {"name": "HarkStop", "slots": {}}}"#;

    // A file that is not there: refused, naming the manifest's line.
    std::fs::write(
        dir.join("manifest.jsonl"),
        format!("{good}\n{{\"file\": \"missing.wav\", \"text\": \"stop\"}}\n"),
    )
    .unwrap();
    let (ok, _, stderr) = bench(&dir);
    assert!(!ok);
    assert!(
        stderr.contains("manifest.jsonl:2") && stderr.contains("missing.wav"),
        "{stderr}"
    );

    // A line that is not JSON: the same.
    std::fs::write(
        dir.join("manifest.jsonl"),
        format!("{good}\n\n{{\"file\": \"stop.wav\", \n"),
    )
    .unwrap();
    let (ok, _, stderr) = bench(&dir);
    assert!(!ok);
    assert!(
        stderr.contains("manifest.jsonl:3") && stderr.contains("not a JSON object"),
        "{stderr}"
    );

    // A file that is not audio: counted as an error, the others still heard.
    std::fs::write(dir.join("bad.wav"), b"RIFF").unwrap();
    std::fs::write(
        dir.join("manifest.jsonl"),
        format!("{good}\n{{\"file\": \"bad.wav\", \"text\": \"stop\"}}\n"),
    )
    .unwrap();
    let (ok, report, stderr) = bench(&dir);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("bad.wav") && stderr.contains("truncated_header"),
        "{stderr}"
    );
    let summary = report
        .iter()
        .find(|l| l["kind"] == "condition")
        .expect("a summary");
    assert_eq!(summary["files"], 2, "{summary}");
    assert_eq!(summary["errors"], 1, "{summary}");
    assert_eq!(summary["with_intent"], 1, "{summary}");
    let _ = std::fs::remove_dir_all(&dir);
}
