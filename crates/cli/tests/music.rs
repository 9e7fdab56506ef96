//! `hark music scan`, as a user runs it: counts, an incremental rescan, bad input.

use hark_music::generate::{tagged_copy, template};
use hark_music::{Format, Tags};
use serde_json::Value;

use crate::support::{data_dir, hark};

fn scan(data: &std::path::Path, music: &std::path::Path) -> (bool, Value, String) {
    let output = hark()
        .arg("--data-dir")
        .arg(data)
        .args(["music", "scan", "--json"])
        .arg(music)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.success(), json, stderr)
}

#[test]
fn music_scan_counts_and_rescans() {
    let data = data_dir("music-scan");
    let music = data.join("music");
    let flac = template(Format::Flac, &data.join("templates"), 0.2).unwrap();
    let mp3 = template(Format::Mp3, &data.join("templates"), 0.2).unwrap();
    let tags = |title: &str| Tags {
        title: Some(title.into()),
        artist: Some("Miles Davis".into()),
        album: Some("Kind of Blue".into()),
        ..Tags::default()
    };
    tagged_copy(&flac, &music.join("a/1.flac"), &tags("So What")).unwrap();
    tagged_copy(&mp3, &music.join("a/2.mp3"), &tags("Blue in Green")).unwrap();
    std::fs::write(music.join("a/broken.mp3"), vec![0x5au8; 3000]).unwrap();
    std::fs::write(music.join("a/notes.txt"), "liner notes").unwrap();

    let (ok, report, stderr) = scan(&data, &music);
    assert!(ok, "{stderr}");
    assert_eq!(report["files"], 4);
    assert_eq!(report["added"], 2);
    assert_eq!(report["skipped_corrupt"], 1);
    assert_eq!(report["skipped_not_audio"], 1);
    // Not a terminal: no progress bar.
    assert!(!stderr.contains('\r'), "{stderr:?}");

    let (ok, report, _) = scan(&data, &music);
    assert!(ok);
    assert_eq!(
        (report["added"].as_u64(), report["unchanged"].as_u64()),
        (Some(0), Some(2))
    );

    std::fs::remove_file(music.join("a/2.mp3")).unwrap();
    let (_, report, _) = scan(&data, &music);
    assert_eq!(report["removed"], 1);

    let (ok, _, stderr) = scan(&data, &data.join("no such folder"));
    assert!(!ok);
    assert!(stderr.contains("no such folder"), "{stderr}");
    let _ = std::fs::remove_dir_all(&data);
}
