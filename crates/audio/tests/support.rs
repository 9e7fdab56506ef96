//! Synthetic signals, and espeak-ng speech when it is installed.

use std::f64::consts::PI;
use std::ops::Range;
use std::path::PathBuf;
use std::process::Command;

use hark_audio::wav::{self, Limits};

/// `ms` milliseconds of digital silence.
pub fn silence(ms: usize) -> Vec<i16> {
    vec![0; ms * 16]
}

/// A 1 kHz tone of `ms` milliseconds with amplitude `amplitude` (of 32768), with 5 ms ramps.
pub fn tone(ms: usize, amplitude: f64) -> Vec<i16> {
    let n = ms * 16;
    (0..n)
        .map(|i| {
            let ramp = (i.min(n - 1 - i) as f64 / 80.0).min(1.0);
            (ramp * amplitude * (2.0 * PI * 1000.0 * i as f64 / 16_000.0).sin()) as i16
        })
        .collect()
}

/// Something shaped like a voiced utterance: a 110-140 Hz harmonic series up to 4 kHz weighted
/// by three formants, with syllables four times a second (never fully silent inside) and 20 ms
/// ramps at its ends. Peaks near `amplitude`.
pub fn speech_like(ms: usize, amplitude: f64) -> Vec<i16> {
    let n = ms * 16;
    let formant = |f: f64| -> f64 {
        [(700.0, 1.0), (1200.0, 0.6), (2600.0, 0.3)]
            .iter()
            .map(|&(c, g)| g / (1.0 + ((f - c) / 150.0).powi(2)))
            .sum()
    };
    let mut phase = 0.0f64;
    let mut raw: Vec<f64> = (0..n)
        .map(|i| {
            let t = i as f64 / 16_000.0;
            let f0 = 125.0 + 15.0 * (2.0 * PI * 0.7 * t).sin();
            phase += 2.0 * PI * f0 / 16_000.0;
            let voice: f64 = (1..=(4000.0 / f0) as usize)
                .map(|h| formant(f0 * h as f64) * (phase * h as f64).sin())
                .sum();
            let syllables = 0.3 + 0.7 * (2.0 * PI * 2.0 * t).sin().abs();
            let ramp = (i.min(n - 1 - i) as f64 / 320.0).min(1.0);
            voice * syllables * ramp
        })
        .collect();
    let peak = raw.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for v in &mut raw {
        *v *= amplitude / peak;
    }
    raw.iter().map(|&v| v as i16).collect()
}

/// `parts` one after another.
pub fn concat(parts: &[Vec<i16>]) -> Vec<i16> {
    parts.concat()
}

/// A folder of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hark-audio-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `text` spoken by espeak-ng, padded by sox with `before` and `after` seconds of silence, read
/// as 16 kHz mono; with where the voice is in it (from the first to the last sample of espeak's
/// own file louder than -50 dBFS). `None`, with a message, when either tool is missing.
pub fn espeak(name: &str, text: &str, before: f64, after: f64) -> Option<(Vec<i16>, Range<usize>)> {
    espeak_with(name, text, &[], before, after)
}

/// [`espeak`] with more espeak-ng arguments (`-v en-us+f3`, `-s 200`).
pub fn espeak_with(
    name: &str,
    text: &str,
    args: &[&str],
    before: f64,
    after: f64,
) -> Option<(Vec<i16>, Range<usize>)> {
    let available = |tool: &str| {
        Command::new("which")
            .arg(tool)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !available("espeak-ng") || !available("sox") {
        eprintln!("skipped: espeak-ng or sox is not installed");
        return None;
    }
    let dir = scratch(name);
    let plain = dir.join("plain.wav");
    let padded = dir.join("padded.wav");
    let ok = Command::new("espeak-ng")
        .args(args)
        .arg("-w")
        .arg(&plain)
        .arg(text)
        .status()
        .unwrap()
        .success();
    assert!(ok, "espeak-ng failed");
    let ok = Command::new("sox")
        .arg(&plain)
        .arg(&padded)
        .args(["pad", &before.to_string(), &after.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "sox failed");
    let read = |p: &PathBuf| {
        wav::read(&std::fs::read(p).unwrap(), Limits::seconds(60))
            .unwrap()
            .samples
    };
    let plain = read(&plain);
    let loud = |s: &&i16| s.unsigned_abs() > 100;
    let first = plain
        .iter()
        .position(|s| loud(&s))
        .expect("espeak-ng said something");
    let last = plain.iter().rposition(|s| loud(&s)).unwrap();
    let offset = (before * 16_000.0) as usize;
    let samples = read(&padded);
    std::fs::remove_dir_all(&dir).ok();
    Some((samples, offset + first..offset + last + 1))
}
