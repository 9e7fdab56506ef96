//! RNNoise lowers stationary noise and keeps speech.

use hark_audio::denoise::{denoise, Denoiser, NoiseSuppression};
use hark_audio::levels::rms_dbfs;
use hark_audio::mix::{self, mix_at_snr, Color};

use crate::support::{concat, espeak, silence, speech_like};

/// Level of `x[range]` in dBFS, in samples at 16 kHz.
fn level(x: &[i16], from_ms: usize, to_ms: usize) -> f32 {
    rms_dbfs(&x[from_ms * 16..to_ms * 16])
}

#[test]
fn stationary_noise_between_bursts_is_lowered_and_the_bursts_kept() {
    let clean = concat(&[
        silence(1000),
        speech_like(1200, 12_000.0),
        silence(1300),
        speech_like(800, 12_000.0),
        silence(1200),
    ]);
    for (color, seed) in [(Color::White, 1), (Color::Pink, 2)] {
        let noise = mix::noise(color, seed, 16_000 * 2, -40.0);
        let noisy = mix_at_snr(&clean, &noise, 10.0).unwrap().samples;
        let out = denoise(&noisy);
        assert_eq!(out.len(), noisy.len());
        // Between the bursts (and 300 ms from them), and inside the first one.
        let gap = (level(&noisy, 2500, 3200), level(&out, 2500, 3200));
        let burst = (level(&clean, 1200, 2000), level(&out, 1200, 2000));
        // Measured: white noise from -30.4 to -65.8 dBFS, pink from -30.5 to -70.5; the
        // bursts within 0.1 dB of the clean ones.
        assert!(
            gap.0 - gap.1 > 25.0,
            "{color:?}: the gap went from {gap:?} dBFS"
        );
        assert!(
            (burst.0 - burst.1).abs() < 3.0,
            "{color:?}: the burst went from {burst:?} dBFS"
        );
    }
}

#[test]
fn espeak_speech_in_noise() {
    let Some((clean, voice)) = espeak("denoise", "set a timer for five minutes", 1.5, 2.0) else {
        return;
    };
    let noise = mix::noise(Color::Pink, 3, 16_000 * 3, -40.0);
    let noisy = mix_at_snr(&clean, &noise, 10.0).unwrap().samples;
    let out = denoise(&noisy);
    // Before the words (RNNoise learns the noise in the first moments), and the words.
    let gap = (rms_dbfs(&noisy[..20_000]), rms_dbfs(&out[..20_000]));
    let speech = (
        rms_dbfs(&clean[voice.clone()]),
        rms_dbfs(&out[voice.clone()]),
    );
    // Measured: -25.1 -> -72.6 dBFS (-46.4 without priming); speech -19.6 clean, -19.9
    // denoised.
    assert!(gap.0 - gap.1 > 30.0, "the noise went from {gap:?} dBFS");
    assert!(
        (speech.0 - speech.1).abs() < 3.0,
        "the speech went from {speech:?} dBFS"
    );
    // The output lines up with the input: the best match of the denoised words against the
    // clean ones is within 1 ms.
    let correlation = |lag: i64| -> f64 {
        voice
            .clone()
            .map(|i| f64::from(clean[i]) * f64::from(out[(i as i64 + lag) as usize]))
            .sum()
    };
    let best = (-320..=320)
        .max_by(|&a, &b| correlation(a).total_cmp(&correlation(b)))
        .unwrap();
    assert!(best.abs() <= 16, "the output lags by {best} samples");
}

#[test]
fn off_passes_audio_through_and_empty_stays_empty() {
    let x = mix::noise(Color::White, 1, 1000, -20.0);
    assert_eq!(NoiseSuppression::Off.apply(&x), x);
    assert!(denoise(&[]).is_empty());
    assert_eq!(denoise(&[1, 2, 3]).len(), 3);
    assert_eq!(NoiseSuppression::default(), NoiseSuppression::Rnnoise);
}

#[test]
fn a_stream_in_pieces_is_denoised_as_the_whole_buffer() {
    let audio = concat(&[silence(300), speech_like(400, 12_000.0), silence(200)]);
    let noisy = mix_at_snr(&audio, &mix::noise(Color::White, 4, 4000, -40.0), 10.0)
        .unwrap()
        .samples;
    let whole = denoise(&noisy);
    for piece in [1, 160, 333, 4096] {
        // Primed as denoise() primes it: with the first second, here the whole clip.
        let mut denoiser = Denoiser::primed(&noisy);
        let mut streamed = Vec::new();
        for chunk in noisy.chunks(piece) {
            streamed.extend(denoiser.push(chunk));
            // Never more out than in.
            assert!(streamed.len() <= noisy.len());
        }
        streamed.extend(denoiser.finish());
        assert_eq!(streamed, whole, "pieces of {piece}");
    }
    // Output comes while the stream goes on, about 16 ms behind.
    let mut denoiser = Denoiser::new();
    let out = denoiser.push(&noisy[..12_000]);
    assert!(out.len() >= 12_000 - 16 * 25, "{}", out.len());
}
