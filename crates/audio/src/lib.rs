//! hark's audio: everything between a WAV file or a microphone stream and the recognizer.
//!
//! Inside hark, audio is **16 kHz, mono, signed 16-bit** (`&[i16]`, little endian on the wire);
//! this crate converts at the edge and works in that format everywhere else.
//!
//! | module | role |
//! | --- | --- |
//! | [`wav`] | read WAV (8-bit unsigned, 16/24/32-bit signed, 32/64-bit float, plain or `WAVE_FORMAT_EXTENSIBLE`; 8 to 192 kHz; 1 to 32 channels) into 16 kHz mono, and write it; a duration limit checked from the header |
//! | [`resample`] | Kaiser-windowed sinc, any ratio, flat to 7.2 kHz and at least 60 dB down past 8 kHz when going to 16 kHz |
//! | [`levels`] | RMS and peak in dBFS (full scale 32768; a full-scale sine is -3 dBFS RMS), whole or frame by frame |
//! | [`mix`] | noise mixed at an SNR measured on the speech's loudest 2048-sample frame; seeded white and pink noise |
//! | [`endpoint`] | where speech starts and ends: 20 ms frames, level and zero-crossing rate against an adaptive background; 700 ms trailing silence, 15 s maximum, 200 ms padding when trimming |
//! | [`denoise`] | RNNoise (nnnoiseless) at 48 kHz, switchable |
//!
//! The order that worked best in the shared measurements is denoise, then endpoint, then
//! recognize. Every refusal is an [`Error`] with a stable [`Error::code`]; nothing here panics
//! on bad input.

#![deny(missing_docs)]

pub mod denoise;
pub mod endpoint;
mod error;
pub mod levels;
pub mod mix;
pub mod resample;
pub mod wav;

use std::time::Duration;

pub use error::Error;

/// hark's sample rate, in Hz.
pub const SAMPLE_RATE: u32 = 16_000;

/// The duration of `samples` samples at [`SAMPLE_RATE`].
pub fn duration_of(samples: usize) -> Duration {
    Duration::from_secs_f64(samples as f64 / f64::from(SAMPLE_RATE))
}

/// The number of samples in `duration` at [`SAMPLE_RATE`], rounded down.
pub fn samples_in(duration: Duration) -> usize {
    (duration.as_secs_f64() * f64::from(SAMPLE_RATE)) as usize
}
