//! `hark say`, `hark transcribe` and `hark understand` on files, as a user runs them: commands
//! spoken by espeak-ng in two voices at two speeds, quiet and with pink noise mixed in 10 dB
//! below the speech, understood through the real recognizer.

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
    let quiet = files.len();
    for i in 0..quiet {
        let noisy = files[i].with_extension("noisy.wav");
        std::fs::write(&noisy, in_noise(&std::fs::read(&files[i]).unwrap(), 10.0)).unwrap();
        files.push(noisy);
        expected.push(expected[i]);
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
    let right = |range: std::ops::Range<usize>| {
        range
            .filter(|&i| lines[i]["intent"]["name"] == expected[i])
            .count()
    };
    // espeak-ng's voices are clean speech: at most one miss in twelve, and two in noise.
    let (right_quiet, right_noisy) = (right(0..quiet), right(quiet..files.len()));
    assert!(
        right_quiet + 1 >= quiet,
        "{right_quiet}/{quiet}: {lines:#?}"
    );
    assert!(
        right_noisy + 2 >= quiet,
        "{right_noisy}/{quiet} in noise: {lines:#?}"
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

/// The WAV `file` with a second of silence before and after, and pink noise mixed in `snr_db`
/// below the speech, as a 16 kHz WAV.
fn in_noise(file: &[u8], snr_db: f32) -> Vec<u8> {
    use hark_audio::{mix, wav};
    let speech = wav::read(file, wav::Limits::seconds(30)).unwrap().samples;
    let mut padded = vec![0; 16_000];
    padded.extend(speech);
    padded.extend(vec![0; 16_000]);
    let noise = mix::noise(mix::Color::Pink, 7, padded.len(), -30.0);
    wav::write(&mix::mix_at_snr(&padded, &noise, snr_db).unwrap().samples)
}
