//! Speech synthesis with espeak-ng, in process.
//!
//! espeak-ng keeps one global state per process (voice, rate, output callback), so a
//! [`Synthesizer`] is only a voice and a rate: each call takes a process-wide lock, sets both,
//! and synthesizes. Synthesizers can be created freely and shared between threads (they are
//! `Send + Sync`), but only one synthesis runs at a time in the whole process, and the
//! recognizer's pronunciations of unknown words (see [`crate::pronounce`]) wait for the same
//! lock. An answer is a sentence or two, synthesized many times faster than real time, so the
//! queue is short; a server that must speak in parallel runs a remote synthesizer instead.
//!
//! Audio comes out at espeak-ng's own rate ([`Audio::sample_rate`], 22050 Hz for its voices),
//! mono, signed 16 bit; converting to hark's 16 kHz is the audio layer's job. With
//! [`Synthesizer::synthesize_chunks`] a caller gets the audio clause by clause while espeak-ng
//! works, so playback can start before the whole answer is synthesized.

mod ffi;

use crate::Error;
use ffi::Engine;

/// The slowest and fastest rates espeak-ng accepts, in words per minute.
pub const RATES: std::ops::RangeInclusive<u32> = 80..=450;

/// espeak-ng's default rate, in words per minute.
pub const DEFAULT_RATE: u32 = 175;

/// Synthesized speech: mono signed 16-bit samples at `sample_rate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audio {
    /// The samples.
    pub samples: Vec<i16>,
    /// Samples per second (espeak-ng's rate, 22050 for its own voices).
    pub sample_rate: u32,
}

impl Audio {
    /// The length in seconds.
    pub fn duration_secs(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.sample_rate)
    }
}

/// A voice that espeak-ng has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voice {
    /// Its name ("English_(America)"); [`Synthesizer::new`] also takes this.
    pub name: String,
    /// Its file within espeak-ng's data ("gmw/en-US").
    pub identifier: String,
    /// The languages it speaks, most preferred first ("en-us", "en").
    pub languages: Vec<String>,
    /// 0 unknown, 1 male, 2 female, as espeak-ng has it.
    pub gender: u8,
}

/// The voices espeak-ng has, in its order.
pub fn voices() -> Result<Vec<Voice>, Error> {
    let mut engine = Engine::lock().ok_or(Error::EspeakInit)?;
    Ok(engine
        .voices()
        .into_iter()
        .map(|v| Voice {
            name: v.name,
            identifier: v.identifier,
            languages: v.languages,
            gender: v.gender,
        })
        .collect())
}

/// A voice and a rate for espeak-ng. See the module documentation for why it is only that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synthesizer {
    voice: String,
    rate_wpm: u32,
}

impl Synthesizer {
    /// A synthesizer speaking with `voice` (a language such as "en-us" or "en", a voice name, or
    /// a file such as "gmw/en-US") at `rate_wpm` words per minute (see [`RATES`]).
    ///
    /// Checks both now: an unknown voice or a rate out of range is an error here, not at the
    /// first answer.
    pub fn new(voice: &str, rate_wpm: u32) -> Result<Synthesizer, Error> {
        if !RATES.contains(&rate_wpm) {
            return Err(Error::Rate(rate_wpm));
        }
        let mut engine = Engine::lock().ok_or(Error::EspeakInit)?;
        if !engine.set_voice(voice) {
            return Err(Error::Voice(voice.to_owned()));
        }
        Ok(Synthesizer {
            voice: voice.to_owned(),
            rate_wpm,
        })
    }

    /// The voice it speaks with.
    pub fn voice(&self) -> &str {
        &self.voice
    }

    /// Its rate in words per minute.
    pub fn rate_wpm(&self) -> u32 {
        self.rate_wpm
    }

    /// Synthesizes `text` whole.
    pub fn synthesize(&self, text: &str) -> Result<Audio, Error> {
        let mut samples = Vec::new();
        let sample_rate = self.synthesize_chunks(text, |chunk| samples.extend_from_slice(chunk))?;
        Ok(Audio {
            samples,
            sample_rate,
        })
    }

    /// Synthesizes `text`, handing the samples to `chunk` as espeak-ng produces them (a clause or
    /// about 100 ms at a time), and returns their sample rate. The process-wide lock is held
    /// until the end, so `chunk` should hand the samples on (a channel, a ring buffer) rather
    /// than wait for playback. A panic in `chunk` stops the synthesis and propagates.
    pub fn synthesize_chunks(
        &self,
        text: &str,
        mut chunk: impl FnMut(&[i16]),
    ) -> Result<u32, Error> {
        if text.contains('\0') {
            return Err(Error::Text("it contains a NUL character"));
        }
        let mut engine = Engine::lock().ok_or(Error::EspeakInit)?;
        if !engine.set_voice(&self.voice) {
            return Err(Error::Voice(self.voice.clone()));
        }
        if !engine.set_rate(self.rate_wpm) {
            return Err(Error::Rate(self.rate_wpm));
        }
        if !engine.synth(text, &mut chunk) {
            return Err(Error::Synthesis);
        }
        Ok(engine.sample_rate())
    }
}

/// The rate espeak-ng's audio comes out at, in Hz (22,050 for its voices).
pub fn sample_rate() -> Result<u32, Error> {
    Ok(Engine::lock().ok_or(Error::EspeakInit)?.sample_rate())
}

/// espeak-ng's phonemes for `text` read as American English, in its ASCII mnemonics.
pub(crate) fn phonemes_en_us(text: &str) -> Result<String, Error> {
    let mut engine = Engine::lock().ok_or(Error::EspeakInit)?;
    if !engine.set_voice("en-us") {
        return Err(Error::Voice("en-us".to_owned()));
    }
    engine
        .phonemes(text)
        .ok_or(Error::Text("it contains a NUL character"))
}
