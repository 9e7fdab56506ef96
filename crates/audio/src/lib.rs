//! hark's audio: everything between a WAV file or a microphone stream and the recognizer.
//!
//! Inside hark, audio is **16 kHz, mono, signed 16-bit** (`&[i16]`, little endian on the wire);
//! this crate converts at the edge and works in that format everywhere else.
//!
//! | module | role |
//! | --- | --- |
//! | [`wav`] | read WAV (8-bit unsigned, 16/24/32-bit signed, 32/64-bit float, plain or `WAVE_FORMAT_EXTENSIBLE`; 8 to 192 kHz; 1 to 32 channels) into 16 kHz mono, and write it; a duration limit checked from the header |
//! | [`resample`] | Kaiser-windowed sinc, any ratio, whole buffers or streamed: flat to 7.2 kHz and 87 dB or more down from 8.5 kHz when going to 16 kHz |
//! | [`levels`] | RMS and peak in dBFS (full scale 32768; a full-scale sine is -3 dBFS RMS), whole or frame by frame |
//! | [`mix`] | noise mixed at an SNR measured on the speech's loudest 2048-sample frame; seeded white and pink noise |
//! | [`endpoint`] | where speech starts and ends: 20 ms frames, level and zero-crossing rate against an adaptive background; 700 ms trailing silence, 15 s maximum, 200 ms padding when trimming |
//! | [`denoise`] | RNNoise (nnnoiseless) at 48 kHz, whole buffers or streamed, switchable ([`denoise::NoiseSuppression`], on by default) |
//!
//! The order that worked best in the shared measurements is denoise, then endpoint, then
//! recognize. Every refusal is an [`Error`] with a stable [`Error::code`]; nothing here panics
//! on bad input.
//!
//! # Decisions
//!
//! - **WAV**: a data chunk longer than the file is accepted (what is there is decoded, and
//!   [`wav::Decoded::truncated`] says so), since streamed uploads are often cut short; a
//!   truncated header, an empty data chunk, zero channels or rate, and encodings other than
//!   integer PCM and IEEE float are refused. A duration limit ([`wav::Limits`]) is checked
//!   against the header before decoding. Channels are averaged, then resampled.
//! - **SNR** ([`mix`]): the speech's power is that of its loudest 2048-sample frame, the
//!   noise's that of the whole noise as mixed; clipping is avoided by scaling the whole mix.
//! - **Noise suppression** ([`denoise`]): RNNoise, on unless the caller turns it off; a whole
//!   clip primes it with its first second, since it lets noise through while it learns it.
//! - **Endpointer** ([`endpoint::Config`]): 20 ms frames; speech is 9 dB over the adaptive
//!   noise floor, or 4 dB over it with a zero-crossing rate unlike the background's; 60 ms of
//!   speech starts an utterance, 700 ms of silence ends it, 15 s at most; trimming keeps 200 ms
//!   each side. Silence, steady noise and clicks are no speech.
//!
//! # Cost
//!
//! `cargo run --release -p hark-audio --example cost` prints it; on the 2-core development
//! machine, per second of audio: resampling 44.1 or 48 kHz to 16 kHz about 1 ms, endpointing
//! 0.05 ms, RNNoise with its two resamplings 8 ms (0.008 of real time), plus 25 ms once per
//! clip for [`denoise::denoise`]'s priming (10 s took 96 ms in all).
//!
//! # Example
//!
//! ```
//! use hark_audio::{denoise::NoiseSuppression, endpoint, wav};
//!
//! # let upload = wav::write(&vec![0i16; 16_000]);
//! // An upload, refused if it says it is over 30 s.
//! let audio = wav::read(&upload, wav::Limits::seconds(30))?;
//! let clean = NoiseSuppression::Rnnoise.apply(&audio.samples);
//! match endpoint::trim(&clean, endpoint::Config::default()) {
//!     Some(speech) => { let _for_the_recognizer = &clean[speech]; }
//!     None => println!("I didn't hear anything."),
//! }
//! # Ok::<(), hark_audio::Error>(())
//! ```

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
