//! Mixing noise into speech at a chosen signal-to-noise ratio, and seeded noise to mix, for
//! tests and benchmarks.
//!
//! # How SNR is measured
//!
//! `SNR = 10 log10(P_speech / P_noise)`, where
//! - `P_speech` is the mean square of the **loudest 2048-sample frame** of the speech
//!   (non-overlapping frames from the start, 128 ms at 16 kHz; a shorter clip is one frame).
//!   This is the measure used for the recognition results in the shared voice measurements, and
//!   it does not depend on how much silence surrounds the speech, which a whole-clip average
//!   would.
//! - `P_noise` is the mean square of the noise over the whole length it is mixed (the noise
//!   looped or cut to the speech's length).
//!
//! So "12 dB" here is harsher than a whole-clip 12 dB: the speech's loudest syllables stand
//! 12 dB above the noise, its quiet ones less.
//!
//! # Clipping
//!
//! The noise is scaled, the speech is not. If the sum would go past full scale, the whole mix
//! is scaled down until its peak fits, which keeps the SNR exact and the level a little lower;
//! [`Mixed::gain_db`] reports by how much.

use crate::Error;

/// Frame length for the speech power, in samples.
pub const SNR_FRAME: usize = 2048;

/// A mix and what was done to make it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mixed {
    /// Speech plus noise, as long as the speech.
    pub samples: Vec<i16>,
    /// Gain applied to the noise, in dB.
    pub noise_gain_db: f32,
    /// Gain applied to the whole mix to avoid clipping, in dB (0 or negative).
    pub gain_db: f32,
}

/// Mixes `noise` into `speech` at `snr_db` (see the module docs for the measure), looping the
/// noise from its start when it is shorter. Deterministic: the same inputs give the same mix.
pub fn mix_at_snr(speech: &[i16], noise: &[i16], snr_db: f32) -> Result<Mixed, Error> {
    if !snr_db.is_finite() {
        return Err(Error::Mix("the SNR is not a finite number"));
    }
    if speech.is_empty() {
        return Err(Error::Mix("there is no speech"));
    }
    if noise.is_empty() {
        return Err(Error::Mix("there is no noise"));
    }
    let looped: Vec<f64> = noise
        .iter()
        .cycle()
        .take(speech.len())
        .map(|&n| f64::from(n))
        .collect();
    let p_noise = mean_square_f64(&looped);
    if p_noise == 0.0 {
        return Err(Error::Mix("the noise is silent"));
    }
    let p_speech = loudest_frame_power(speech);
    if p_speech == 0.0 {
        return Err(Error::Mix("the speech is silent"));
    }
    let noise_gain = (p_speech / p_noise / 10f64.powf(f64::from(snr_db) / 10.0)).sqrt();
    let sum: Vec<f64> = speech
        .iter()
        .zip(&looped)
        .map(|(&s, &n)| f64::from(s) + n * noise_gain)
        .collect();
    let peak = sum.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let gain = if peak > 32767.0 { 32767.0 / peak } else { 1.0 };
    let samples = sum
        .iter()
        .map(|v| (v * gain).round().clamp(-32768.0, 32767.0) as i16)
        .collect();
    Ok(Mixed {
        samples,
        noise_gain_db: (20.0 * noise_gain.log10()) as f32,
        gain_db: (20.0 * gain.log10()) as f32,
    })
}

/// The mean square of the loudest [`SNR_FRAME`]-sample frame of `speech`.
pub fn loudest_frame_power(speech: &[i16]) -> f64 {
    speech
        .chunks(SNR_FRAME)
        .map(|frame| {
            frame
                .iter()
                .map(|&s| f64::from(s) * f64::from(s))
                .sum::<f64>()
                / frame.len() as f64
        })
        .fold(0.0, f64::max)
}

/// The SNR of `speech` against `noise` in dB, by this module's measure (`noise` as mixed, as
/// long as the speech).
pub fn snr_db(speech: &[i16], noise: &[i16]) -> f32 {
    let noise: Vec<f64> = noise.iter().map(|&n| f64::from(n)).collect();
    (10.0 * (loudest_frame_power(speech) / mean_square_f64(&noise)).log10()) as f32
}

fn mean_square_f64(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum::<f64>() / x.len().max(1) as f64
}

/// Noise colours [`noise`] can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// Flat spectrum.
    White,
    /// -3 dB per octave (Paul Kellett's filter on white noise), closer to room noise.
    Pink,
}

/// `len` samples of seeded noise with an RMS level of `rms_dbfs` (peaks saturate at full
/// scale). The same seed gives the same noise on every platform.
pub fn noise(color: Color, seed: u64, len: usize, rms_dbfs: f32) -> Vec<i16> {
    let mut rng = SplitMix64(seed);
    let white = (0..len).map(|_| rng.gaussian());
    let raw: Vec<f64> = match color {
        Color::White => white.collect(),
        Color::Pink => {
            let mut b = [0.0f64; 7];
            white
                .map(|w| {
                    b[0] = 0.99886 * b[0] + w * 0.0555179;
                    b[1] = 0.99332 * b[1] + w * 0.0750759;
                    b[2] = 0.96900 * b[2] + w * 0.1538520;
                    b[3] = 0.86650 * b[3] + w * 0.3104856;
                    b[4] = 0.55000 * b[4] + w * 0.5329522;
                    b[5] = -0.7616 * b[5] - w * 0.0168980;
                    let out = b[..6].iter().sum::<f64>() + b[6] + w * 0.5362;
                    b[6] = w * 0.115926;
                    out
                })
                .collect()
        }
    };
    let rms = mean_square_f64(&raw).sqrt();
    if rms == 0.0 {
        return vec![0; len];
    }
    let target = 32768.0 * 10f64.powf(f64::from(rms_dbfs) / 20.0);
    raw.iter()
        .map(|v| (v * target / rms).round().clamp(-32768.0, 32767.0) as i16)
        .collect()
}

/// SplitMix64: tiny, seedable, and good enough for test noise.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    /// Standard normal, by Box-Muller.
    fn gaussian(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levels::rms_dbfs;

    fn tone(len: usize, amplitude: f64) -> Vec<i16> {
        (0..len)
            .map(|i| {
                (amplitude * (2.0 * std::f64::consts::PI * 440.0 * i as f64 / 16_000.0).sin())
                    as i16
            })
            .collect()
    }

    #[test]
    fn the_mix_has_the_asked_snr() {
        let mut speech = vec![0i16; 8000];
        speech.extend(tone(16_000, 8000.0));
        let n = noise(Color::White, 7, 3000, -30.0);
        for snr in [24.0, 12.0, 6.0, 0.0] {
            let mixed = mix_at_snr(&speech, &n, snr).unwrap();
            assert_eq!(mixed.samples.len(), speech.len());
            assert_eq!(mixed.gain_db, 0.0);
            let added: Vec<i16> = mixed
                .samples
                .iter()
                .zip(&speech)
                .map(|(m, s)| m - s)
                .collect();
            let measured = snr_db(&speech, &added);
            assert!((measured - snr).abs() < 0.05, "asked {snr}, got {measured}");
        }
    }

    #[test]
    fn noise_is_looped_and_the_mix_is_deterministic() {
        let speech = tone(5000, 8000.0);
        let n = noise(Color::Pink, 1, 1000, -40.0);
        let a = mix_at_snr(&speech, &n, 10.0).unwrap();
        let b = mix_at_snr(&speech, &n, 10.0).unwrap();
        assert_eq!(a, b);
        let added: Vec<i32> = a
            .samples
            .iter()
            .zip(&speech)
            .map(|(m, s)| i32::from(*m) - i32::from(*s))
            .collect();
        // The noise repeats with the period of its length.
        let diff = (0..1000)
            .map(|i| (added[i] - added[i + 1000]).abs())
            .max()
            .unwrap();
        assert!(diff <= 1, "{diff}");
    }

    #[test]
    fn a_mix_that_would_clip_is_scaled_down_keeping_the_snr() {
        let speech = tone(16_000, 32000.0);
        let n = noise(Color::White, 3, 16_000, -20.0);
        let mixed = mix_at_snr(&speech, &n, 0.0).unwrap();
        assert!(mixed.gain_db < 0.0);
        let scale = 10f64.powf(f64::from(mixed.gain_db) / 20.0);
        let scaled: Vec<i16> = speech
            .iter()
            .map(|&s| (f64::from(s) * scale).round() as i16)
            .collect();
        let added: Vec<i16> = mixed
            .samples
            .iter()
            .zip(&scaled)
            .map(|(m, s)| m - s)
            .collect();
        assert!(snr_db(&scaled, &added).abs() < 0.1);
    }

    #[test]
    fn bad_mixes_are_errors() {
        let speech = tone(100, 1000.0);
        assert!(mix_at_snr(&speech, &[], 10.0).is_err());
        assert!(mix_at_snr(&speech, &[0; 10], 10.0).is_err());
        assert!(mix_at_snr(&[0; 10], &speech, 10.0).is_err());
        assert!(mix_at_snr(&[], &speech, 10.0).is_err());
        assert!(mix_at_snr(&speech, &speech, f32::NAN).is_err());
    }

    #[test]
    fn noise_has_its_level_and_seed() {
        for color in [Color::White, Color::Pink] {
            let a = noise(color, 42, 16_000, -30.0);
            assert!((rms_dbfs(&a) + 30.0).abs() < 0.1, "{color:?}");
            assert_eq!(a, noise(color, 42, 16_000, -30.0));
            assert_ne!(a, noise(color, 43, 16_000, -30.0));
        }
    }

    #[test]
    fn pink_noise_has_more_low_than_high_energy() {
        let pink: Vec<f32> = noise(Color::Pink, 5, 32_000, -30.0)
            .iter()
            .map(|&v| f32::from(v))
            .collect();
        let band = |from: f64| -> f32 {
            (0..20)
                .map(|i| crate::levels::goertzel_power(&pink, 16_000, from + 10.0 * f64::from(i)))
                .sum()
        };
        // 200 Hz and 6.4 kHz are five octaves apart: 15 dB for pink noise; ask for 10.
        let (low, high) = (band(200.0), band(6400.0));
        assert!(low > high * 10.0, "{low} vs {high}");
    }
}
