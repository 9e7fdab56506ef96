//! What each stage costs on this machine: `cargo run --release -p hark-audio --example cost`.
//!
//! Prints one table: the time per second of audio and the real-time factor of reading a WAV at
//! 44.1 and 48 kHz stereo, endpointing, and RNNoise, over ten seconds of speech-like noise. A
//! rough guide, not a benchmark: it runs each stage a few times and keeps the fastest.

use std::time::{Duration, Instant};

use hark_audio::{denoise, endpoint, mix, resample, wav};

fn fastest(mut f: impl FnMut()) -> Duration {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    let seconds = 10.0;
    let audio = mix::noise(mix::Color::Pink, 1, 160_000, -30.0);
    let floats: Vec<f32> = audio.iter().map(|&s| f32::from(s)).collect();
    let up44 = resample::resample(&floats, 16_000, 44_100);
    let up48 = resample::resample(&floats, 16_000, 48_000);
    let file = wav::write(&audio);
    let rows: Vec<(&str, Duration)> = vec![
        (
            "resample 44.1 kHz -> 16 kHz",
            fastest(|| drop(resample::resample(&up44, 44_100, 16_000))),
        ),
        (
            "resample 48 kHz -> 16 kHz",
            fastest(|| drop(resample::resample(&up48, 48_000, 16_000))),
        ),
        (
            "read a 16 kHz WAV",
            fastest(|| drop(wav::read(&file, wav::Limits::default()))),
        ),
        (
            "endpoint (whole buffer)",
            fastest(|| drop(endpoint::segments(&audio, endpoint::Config::default()))),
        ),
        (
            "RNNoise (16k -> 48k -> 16k)",
            fastest(|| drop(denoise::denoise(&audio))),
        ),
    ];
    println!("| stage | ms per second of audio | real-time factor |");
    println!("| --- | --- | --- |");
    for (stage, took) in rows {
        let per_second = took.as_secs_f64() * 1000.0 / seconds;
        println!("| {stage} | {per_second:.2} | {:.4} |", per_second / 1000.0);
    }
}
