//! `hark say`, `hark transcribe` and `hark understand` on files, as a user runs them: commands
//! spoken by espeak-ng in two voices at two speeds, understood through the real recognizer.

use serde_json::Value;

use crate::support::{data_dir, hark};

const INTENTS: &str = "HassGetCurrentTime,HassGetCurrentDate,HarkStop,HarkHelp";

#[test]
fn spoken_files_are_understood_and_bad_files_are_reported() {
    let dir = data_dir("voice");
    std::fs::create_dir_all(&dir).unwrap();
    let commands = [
        ("what time is it", "HassGetCurrentTime"),
        ("what is the date today", "HassGetCurrentDate"),
        ("what can you do", "HarkHelp"),
    ];
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for voice in ["en-us", "en"] {
        for rate in ["150", "200"] {
            for (i, (said, intent)) in commands.iter().enumerate() {
                let file = dir.join(format!("{voice}-{rate}-{i}.wav"));
                let out = hark()
                    .args(["say", said, "--voice", voice, "--rate", rate, "-o"])
                    .arg(&file)
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{out:?}");
                files.push(file);
                expected.push(*intent);
            }
        }
    }
    let out = hark()
        .args([
            "understand",
            "--jsonl",
            "--recognizer",
            "jsgf",
            "--intents",
            INTENTS,
        ])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), files.len());
    let right = lines
        .iter()
        .zip(&expected)
        .filter(|(line, intent)| line["intent"]["name"] == **intent)
        .count();
    // espeak-ng's voices are clean speech: at most one miss in twelve.
    assert!(
        right >= files.len() - 1,
        "{right}/{}: {lines:#?}",
        files.len()
    );

    // A file that is not audio is named with its code, the others still answered.
    let bad = dir.join("bad.wav");
    std::fs::write(&bad, b"RIFF").unwrap();
    let out = hark()
        .args(["transcribe", "--recognizer", "jsgf", "--intents", INTENTS])
        .arg(&files[0])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("what time is it"), "{stdout}");
    assert!(
        stderr.contains("bad.wav") && stderr.contains("truncated_header"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
