//! hark's voice pipeline, the glue between its audio, recognizer and grammar crates.
//!
//! Hearing ([`Voice::hear`]): a WAV of any common format is read as 16 kHz mono (hark-audio,
//! refused clearly if it is not audio, empty, or longer than [`Config::max_seconds`]), noise
//! is suppressed (RNNoise, [`Config::denoise`]), leading and trailing silence is cut by the
//! endpointer (the recognizer invents words in silence; see the voice measurements note), and
//! PocketSphinx decodes what is left against the grammar the skills understand: a trigram model
//! of its sentences ([`RecognizerGrammar::Ngram`], the default) or the grammar itself as JSGF
//! ([`RecognizerGrammar::Jsgf`]), both from hark-nlu. Pure silence is [`Heard::Nothing`], not an
//! error.
//!
//! Speaking ([`Voice::speak`]): espeak-ng's 22,050 Hz speech is resampled to hark's 16 kHz and
//! written as WAV.
//!
//! Either engine may be a remote one that speaks the Wyoming protocol instead
//! ([`Config::wyoming_asr`], [`Config::wyoming_tts`]: a faster-whisper or a Piper server, as
//! Home Assistant runs them): the trimmed utterance goes to the recognizer, the answer's text
//! to the synthesizer, and what comes back is converted to 16 kHz mono like any audio.
//!
//! A [`Voice`] decodes one utterance at a time (PocketSphinx's decoder is not reentrant); a
//! server that hears several devices at once keeps several, or queues.
//!
//! **The n-gram model by default.** PocketSphinx expands every JSGF rule reference into its own
//! copy, so the whole built-in English grammar as JSGF becomes about 412,000 states: 1.3 GB and 3
//! to 5 times real time to decode (docs/grammar.md). A trigram model of 100,000 sentences sampled
//! from the same grammar is built and loaded in about two seconds and decodes in about 0.05 of
//! real time. It may prefer a sentence the grammar does not have, so the recognizer's 20 best
//! sentences are searched for the best one the grammar has. JSGF is for a small set of intents
//! ([`Config::intents`]), where it is fast and a little more exact.

#![deny(missing_docs)]

mod listen;

pub use hark_audio::endpoint::EndReason;
pub use listen::{Event, Listener};

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use hark_audio::denoise::NoiseSuppression;
use hark_audio::{endpoint, resample, wav};
use hark_nlu::{jsgf, lm, Grammar};
use hark_speech::{Recognizer, RecognizerConfig, Synthesizer};

/// How the pipeline runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Noise suppression before the endpointer and the recognizer. Default RNNoise.
    pub denoise: NoiseSuppression,
    /// The longest audio accepted, in seconds; longer uploads are refused from their header.
    /// Default 30.
    pub max_seconds: u64,
    /// The espeak-ng voice. Default `en-us`.
    pub voice: String,
    /// Words per minute. Default espeak-ng's 175.
    pub rate_wpm: u32,
    /// Where the recognizer's model and dictionary are. Default Debian's `pocketsphinx-en-us`.
    pub recognizer: RecognizerConfig,
    /// Only these intents are recognized, when given (see the crate documentation).
    pub intents: Option<BTreeSet<String>>,
    /// A Wyoming speech-to-text server (`host:port`) to use instead of PocketSphinx.
    pub wyoming_asr: Option<String>,
    /// A Wyoming text-to-speech server (`host:port`) to use instead of espeak-ng.
    pub wyoming_tts: Option<String>,
    /// How long a Wyoming server may take for each step. Default 15 s.
    pub wyoming_timeout: Duration,
    /// What the recognizer decodes against. Default [`RecognizerGrammar::Ngram`].
    pub grammar: RecognizerGrammar,
    /// How the n-gram model is built, for [`RecognizerGrammar::Ngram`].
    pub language_model: lm::LmOptions,
}

/// What the recognizer decodes against, both made from the grammar (see the crate documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RecognizerGrammar {
    /// The grammar as JSGF: only its sentences, but slow beyond a few intents.
    Jsgf,
    /// A trigram model of sentences sampled from the grammar: fast for the whole grammar.
    #[default]
    Ngram,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            denoise: NoiseSuppression::Rnnoise,
            max_seconds: 30,
            voice: "en-us".into(),
            rate_wpm: hark_speech::espeak::DEFAULT_RATE,
            recognizer: RecognizerConfig {
                // Digital silence (exact zeros, as a synthesizer or a muted microphone gives)
                // has no log energy; a little dither keeps the features finite. A fixed seed
                // makes the dither, and so each result, the same from run to run: with
                // sphinxbase's own seed, the same audio was heard differently between runs.
                //
                // No second, flat-lexicon pass over the whole utterance once it has ended: on
                // a development set of 120 espeak-ng commands (other voices, rates and
                // sentences than the reported set) it cut the wait after the speech from 43 to
                // 6 ms at the median (98 to 13 ms p99) and the real-time factor from 0.045 to
                // 0.032, with as many commands understood (57 against 55 clean, 41 against
                // 42 at 12 dB).
                options: vec![
                    ("-dither".into(), "yes".into()),
                    ("-seed".into(), "1".into()),
                    ("-fwdflat".into(), "no".into()),
                ],
                ..RecognizerConfig::debian_en_us()
            },
            intents: None,
            wyoming_asr: None,
            wyoming_tts: None,
            wyoming_timeout: Duration::from_secs(15),
            grammar: RecognizerGrammar::default(),
            language_model: lm::LmOptions::default(),
        }
    }
}

impl Config {
    /// The options the recognizer's n-gram model is built with: [`Config::language_model`],
    /// sampling at least [`WHOLE_GRAMMAR_SENTENCES`] when the whole grammar is recognized.
    pub fn language_model_options(&self) -> lm::LmOptions {
        let mut options = self.language_model.clone();
        if self.intents.is_none() {
            options.sentences = options.sentences.max(WHOLE_GRAMMAR_SENTENCES);
        }
        options
    }
}

/// Why a request could not be heard or spoken.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    /// The upload is not audio hark can read, or too long; [`VoiceError::code`] names it.
    #[error(transparent)]
    Audio(#[from] hark_audio::Error),
    /// The recognizer or the synthesizer failed.
    #[error(transparent)]
    Speech(#[from] hark_speech::Error),
    /// The grammar could not be made into a recognizer grammar.
    #[error("the grammar cannot be recognized: {0}")]
    Grammar(String),
    /// A Wyoming server failed or broke the protocol.
    #[error(transparent)]
    Wyoming(#[from] hark_wyoming::WyomingError),
}

impl VoiceError {
    /// A stable code for the API: the audio crate's (`not_wav`, `audio_too_long`, ...), or
    /// `speech_engine`.
    pub fn code(&self) -> &'static str {
        match self {
            VoiceError::Audio(e) => e.code(),
            VoiceError::Speech(_) | VoiceError::Grammar(_) | VoiceError::Wyoming(_) => {
                "speech_engine"
            }
        }
    }
}

/// What was heard in an utterance.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// No speech: silence, or noise the endpointer did not take for speech.
    Nothing,
    /// Speech, but no sentence of the grammar fits it.
    NotUnderstood,
    /// The words recognized, lower case, as the grammar spells them. With the n-gram model, not
    /// always a sentence of the grammar.
    Text(String),
}

/// The time each stage of hearing took, and how long the audio was.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// The audio's length.
    pub audio: Duration,
    /// Reading and converting the WAV.
    pub read: Duration,
    /// Noise suppression.
    pub denoise: Duration,
    /// Finding the speech.
    pub endpoint: Duration,
    /// Decoding.
    pub decode: Duration,
    /// From the moment all the audio was in (a file's end, or the end of speech noticed in a
    /// stream) until the words were known: what a speaker waits for before the answer.
    pub after_end: Duration,
}

impl Timings {
    /// All stages together.
    pub fn total(&self) -> Duration {
        self.read + self.denoise + self.endpoint + self.decode
    }

    /// Processing time over audio time.
    pub fn real_time_factor(&self) -> f64 {
        self.total().as_secs_f64() / self.audio.as_secs_f64().max(1e-9)
    }
}

/// A synthesizer that writes hark's 16 kHz WAV.
#[derive(Debug)]
pub struct Speaker {
    synthesizer: Synthesizer,
}

impl Speaker {
    /// espeak-ng's `voice` (such as `en-us`) at `rate_wpm` words per minute.
    pub fn new(voice: &str, rate_wpm: u32) -> Result<Speaker, VoiceError> {
        Ok(Speaker {
            synthesizer: Synthesizer::new(voice, rate_wpm)?,
        })
    }

    /// `text` spoken, as a 16 kHz mono WAV.
    pub fn speak(&self, text: &str) -> Result<Vec<u8>, VoiceError> {
        let audio = self.synthesizer.synthesize(text)?;
        Ok(wav::write(&to_16k(&audio.samples, audio.sample_rate)))
    }

    /// `text` spoken as 16 kHz mono samples, handed to `chunk` as espeak-ng makes them (a
    /// clause or about 100 ms at a time), so that playing can start before the end is made.
    /// `chunk` should hand them on, not wait for playback (the synthesizer is locked meanwhile).
    pub fn speak_chunks(
        &self,
        text: &str,
        mut chunk: impl FnMut(&[i16]),
    ) -> Result<(), VoiceError> {
        let rate = hark_speech::espeak::sample_rate()?;
        let mut resampler = resample::Resampler::new(rate, 16_000);
        let mut high = Vec::new();
        let mut low = Vec::new();
        let made = self.synthesizer.synthesize_chunks(text, |samples| {
            high.clear();
            high.extend(samples.iter().map(|&s| f32::from(s)));
            low.clear();
            resampler.push(&high, &mut low);
            if !low.is_empty() {
                chunk(&to_i16(&low));
            }
        })?;
        debug_assert_eq!(made, rate);
        low.clear();
        resampler.finish(&mut low);
        if !low.is_empty() {
            chunk(&to_i16(&low));
        }
        Ok(())
    }
}

/// Resampled values (on the `i16` scale) as samples.
fn to_i16(values: &[f32]) -> Vec<i16> {
    values
        .iter()
        .map(|v| v.round().clamp(-32768.0, 32767.0) as i16)
        .collect()
}

/// Sentences sampled at least for a model of the whole grammar. At 50,000 (enough for a few
/// intents), the grammar with music, weather, lists and volume sampled the timer and alarm
/// sentences too rarely: "cancel the timer" was heard as "cancel that on" (hark-voice's
/// whole-grammar test fell from 10 to 9 of 12; at 100,000 it is back).
pub const WHOLE_GRAMMAR_SENTENCES: usize = 100_000;

/// How many of the n-gram model's best sentences are searched for one of the grammar's.
const N_BEST: usize = 20;

/// The built-in recognizer, bound to the grammar.
struct Local {
    recognizer: Recognizer,
    /// The grammar's sentences, to choose among the n-gram model's alternatives.
    sentences: Option<jsgf::Jsgf>,
}

impl Local {
    fn recognize(&self, samples: &[i16]) -> Result<Option<String>, VoiceError> {
        let accepts = |text: &str| self.accepts(text);
        Ok(self
            .recognizer
            .recognize_first_of(samples, N_BEST, &accepts)?
            .map(|t| t.text))
    }

    /// Whether the grammar has the sentence. The n-gram model may prefer a sentence the grammar
    /// does not have ("how much time is it on the timer"): the best alternative the grammar has
    /// is taken instead, and the best of all when none is. Every sentence of a JSGF grammar is
    /// the grammar's.
    fn accepts(&self, text: &str) -> bool {
        self.sentences
            .as_ref()
            .is_none_or(|sentences| sentences.accepts(&text.split_whitespace().collect::<Vec<_>>()))
    }
}

/// A recognizer bound to a grammar (or a Wyoming one), and a synthesizer.
pub struct Voice {
    local: Option<Local>,
    speaker: Speaker,
    config: Config,
    words: usize,
}

impl std::fmt::Debug for Voice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Voice")
            .field("config", &self.config)
            .field("words", &self.words)
            .finish_non_exhaustive()
    }
}

impl Voice {
    /// A pipeline that recognizes what `grammar` understands (with PocketSphinx; a Wyoming
    /// recognizer is not told the grammar).
    pub fn new(grammar: &Grammar, config: Config) -> Result<Voice, VoiceError> {
        let (local, words) = match config.wyoming_asr {
            Some(_) => (None, 0),
            None => {
                let options = jsgf::Options {
                    intents: config.intents.clone(),
                    ..jsgf::Options::default()
                };
                let exported = jsgf::export(grammar, &options)
                    .map_err(|e| VoiceError::Grammar(e.to_string()))?;
                let recognizer = Recognizer::new(config.recognizer.clone())?;
                let words = exported.vocabulary.len();
                let sentences = match config.grammar {
                    RecognizerGrammar::Jsgf => {
                        recognizer.set_grammar(&exported.text)?;
                        None
                    }
                    RecognizerGrammar::Ngram => {
                        let model = lm::build(&exported, &config.language_model_options())
                            .map_err(|e| VoiceError::Grammar(e.to_string()))?;
                        recognizer.set_language_model(&model.text)?;
                        Some(exported)
                    }
                };
                (
                    Some(Local {
                        recognizer,
                        sentences,
                    }),
                    words,
                )
            }
        };
        let speaker = Speaker::new(&config.voice, config.rate_wpm)?;
        Ok(Voice {
            local,
            speaker,
            config,
            words,
        })
    }

    /// What is said in `wav` (any common WAV format).
    pub fn hear(&self, wav_bytes: &[u8]) -> Result<(Heard, Timings), VoiceError> {
        let started = Instant::now();
        let decoded = wav::read(wav_bytes, wav::Limits::seconds(self.config.max_seconds))?;
        let read = started.elapsed();
        let (heard, mut timings) = self.hear_samples(&decoded.samples)?;
        timings.read = read;
        Ok((heard, timings))
    }

    /// What is said in 16 kHz mono samples.
    pub fn hear_samples(&self, samples: &[i16]) -> Result<(Heard, Timings), VoiceError> {
        let mut timings = Timings {
            audio: Duration::from_secs_f64(samples.len() as f64 / 16_000.0),
            ..Timings::default()
        };
        let started = Instant::now();
        let clean = self.config.denoise.apply(samples);
        timings.denoise = started.elapsed();
        let started = Instant::now();
        let speech = endpoint::trim(&clean, endpoint::Config::default());
        timings.endpoint = started.elapsed();
        let Some(range) = speech else {
            return Ok((Heard::Nothing, timings));
        };
        let started = Instant::now();
        let text = self.recognize(&clean[range])?;
        timings.decode = started.elapsed();
        timings.after_end = timings.denoise + timings.endpoint + timings.decode;
        Ok((heard(text), timings))
    }

    /// The words of an utterance (16 kHz mono, silence trimmed), by whichever recognizer this
    /// voice has.
    fn recognize(&self, speech: &[i16]) -> Result<Option<String>, VoiceError> {
        match (&self.local, &self.config.wyoming_asr) {
            (Some(local), _) => local.recognize(speech),
            (None, Some(address)) => {
                let client = hark_wyoming::Client::new(address, self.config.wyoming_timeout);
                let audio = hark_wyoming::Pcm::mono16(16_000, speech);
                Ok(Some(wyoming(client.transcribe(&audio, None))?))
            }
            (None, None) => unreachable!("Voice::new builds one or the other"),
        }
    }

    /// `text` spoken, as a 16 kHz mono WAV.
    pub fn speak(&self, text: &str) -> Result<Vec<u8>, VoiceError> {
        let Some(address) = &self.config.wyoming_tts else {
            return self.speaker.speak(text);
        };
        let client = hark_wyoming::Client::new(address, self.config.wyoming_timeout);
        let audio = wyoming(client.synthesize(text, None))?;
        Ok(wav::write(&pcm_to_16k(&audio)?))
    }

    /// `text` spoken as 16 kHz mono samples, handed to `chunk` piece by piece as they are made
    /// ([`Speaker::speak_chunks`]); a Wyoming synthesizer's audio comes as one piece.
    pub fn speak_chunks(
        &self,
        text: &str,
        mut chunk: impl FnMut(&[i16]),
    ) -> Result<(), VoiceError> {
        let Some(address) = &self.config.wyoming_tts else {
            return self.speaker.speak_chunks(text, chunk);
        };
        let client = hark_wyoming::Client::new(address, self.config.wyoming_timeout);
        let audio = wyoming(client.synthesize(text, None))?;
        chunk(&pcm_to_16k(&audio)?);
        Ok(())
    }
}

/// Words recognized, or not.
fn heard(text: Option<String>) -> Heard {
    match text {
        Some(text) if !text.trim().is_empty() => Heard::Text(text),
        _ => Heard::NotUnderstood,
    }
}

/// Runs a Wyoming exchange to its end on a runtime of its own: the pipeline is synchronous
/// (its callers run it on a blocking thread).
fn wyoming<T>(
    exchange: impl std::future::Future<Output = hark_wyoming::Result<T>>,
) -> Result<T, VoiceError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(hark_wyoming::WyomingError::Io)?;
    Ok(runtime.block_on(exchange)?)
}

/// A Wyoming server's 16-bit PCM, any rate and channel count, as 16 kHz mono.
fn pcm_to_16k(audio: &hark_wyoming::Pcm) -> Result<Vec<i16>, VoiceError> {
    if audio.width != 2 {
        return Err(hark_wyoming::WyomingError::Protocol(format!(
            "{}-byte samples; hark takes 16-bit audio",
            audio.width
        ))
        .into());
    }
    let channels = usize::from(audio.channels.max(1));
    let frames: Vec<i16> = audio
        .bytes
        .chunks_exact(2 * channels)
        .map(|frame| {
            let sum: i32 = frame
                .chunks_exact(2)
                .map(|s| i32::from(i16::from_le_bytes([s[0], s[1]])))
                .sum();
            (sum / channels as i32) as i16
        })
        .collect();
    Ok(to_16k(&frames, audio.rate))
}

/// 16 kHz mono samples as a WAV file.
pub fn wav_bytes(samples: &[i16]) -> Vec<u8> {
    wav::write(samples)
}

/// Samples at `rate` as 16 kHz.
fn to_16k(samples: &[i16], rate: u32) -> Vec<i16> {
    let input: Vec<f32> = samples.iter().map(|s| f32::from(*s) / 32768.0).collect();
    resample::resample(&input, rate, 16_000)
        .into_iter()
        .map(|s| (s * 32768.0).round().clamp(-32768.0, 32767.0) as i16)
        .collect()
}
