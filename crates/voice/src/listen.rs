//! Hearing a stream: a device's microphone, pushed in pieces as it arrives.
//!
//! [`Listener::push`] takes 16 kHz mono samples in pieces of any size. Each piece is denoised
//! (RNNoise keeps its state from piece to piece), the endpointer looks for the start and the end
//! of speech, and the recognizer searches the speech **while it arrives**: when the endpointer
//! says the speech ended, little decoding is left, so the answer can start soon after.
//!
//! Only speech reaches the recognizer, from [`endpoint::Config::padding`] before its start to
//! the same after its last speech frame: the trailing silence the endpointer waits for is held
//! back, and fed only if speech resumes (silence left in makes the recognizer invent words).
//!
//! One utterance is heard per listener: after [`Event::Heard`] it hears no more (a new turn
//! is a new listener). The recognizer is this utterance's from its start to its end; when
//! another stream holds it, the speech is kept and decoded whole at the end instead.

use std::time::{Duration, Instant};

use hark_audio::denoise::{Denoiser, NoiseSuppression};
use hark_audio::endpoint::{self, EndReason, Endpointer};
use hark_audio::samples_in;
use hark_speech::Utterance;

use crate::{Heard, Timings, Voice, VoiceError};

/// What a listener noticed.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Speech started, this long into the stream.
    SpeechStarted {
        /// From the stream's first sample.
        at: Duration,
    },
    /// Speech stopped, this long into the stream; [`Event::Heard`] follows.
    SpeechStopped {
        /// From the stream's first sample: the end of the last speech frame.
        at: Duration,
        /// Why the endpointer ended it.
        reason: EndReason,
    },
    /// What the utterance said. The last event of a listener.
    Heard {
        /// The words, or why there are none.
        heard: Heard,
        /// The stages' times; [`Timings::after_end`] is the time from the end of the speech
        /// being noticed to this event.
        timings: Timings,
    },
}

/// Hears one utterance in a stream ([`Voice::listen`]).
pub struct Listener<'v> {
    voice: &'v Voice,
    denoising: Denoising,
    endpointer: Endpointer,
    padding: usize,
    /// Denoised samples from stream offset `kept_from` on: the speech so far, or, before it
    /// starts, the last moments (enough for the padding before the start).
    kept: Vec<i16>,
    kept_from: usize,
    /// The stream's samples denoised so far (the denoiser hands them out a little late).
    denoised: usize,
    /// Stream offset up to which the recognizer has been fed.
    fed: usize,
    decoding: Decoding<'v>,
    timings: Timings,
    done: bool,
}

/// Noise suppression of the stream.
enum Denoising {
    Off,
    /// The stream's first [`PRIMING`] samples, gathered to teach RNNoise the background.
    Priming(Vec<i16>),
    On(Box<Denoiser>),
}

/// Samples RNNoise hears before the stream is denoised: half a second. Unprimed, it lets the
/// background through for a few seconds while it learns it; the endpointer then took pink
/// noise at 10 dB after a command for more speech and never ended the utterance. Priming
/// delays only the start: the half second is denoised at once when it is complete.
const PRIMING: usize = 8_000;

enum Decoding<'v> {
    /// No speech yet.
    Waiting,
    /// The recognizer searches the speech as it arrives.
    Streaming(Utterance<'v>),
    /// The recognizer is busy (or remote): the speech is decoded whole at its end.
    AtTheEnd,
}

impl std::fmt::Debug for Listener<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("kept_from", &self.kept_from)
            .field("kept", &self.kept.len())
            .field("fed", &self.fed)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Samples kept before speech starts: the padding, plus the minimum speech the endpointer needs
/// to notice a start, plus its frame; a second is plenty.
const KEPT_BEFORE_SPEECH: usize = 16_000;

impl Voice {
    /// A listener for a new stream.
    pub fn listen(&self) -> Listener<'_> {
        let config = endpoint::Config::default();
        Listener {
            voice: self,
            denoising: match self.config.denoise {
                NoiseSuppression::Rnnoise => Denoising::Priming(Vec::with_capacity(PRIMING)),
                NoiseSuppression::Off => Denoising::Off,
            },
            endpointer: Endpointer::new(config),
            padding: samples_in(config.padding),
            kept: Vec::new(),
            kept_from: 0,
            denoised: 0,
            fed: 0,
            decoding: Decoding::Waiting,
            timings: Timings::default(),
            done: false,
        }
    }
}

impl Listener<'_> {
    /// Feeds the next piece of the stream (16 kHz mono); returns what it made happen. After
    /// [`Event::Heard`], further pieces are ignored.
    pub fn push(&mut self, samples: &[i16]) -> Result<Vec<Event>, VoiceError> {
        if self.done {
            return Ok(Vec::new());
        }
        let started = Instant::now();
        let clean = match &mut self.denoising {
            Denoising::Off => samples.to_vec(),
            Denoising::On(denoiser) => denoiser.push(samples),
            Denoising::Priming(first) => {
                first.extend_from_slice(samples);
                if first.len() < PRIMING {
                    return Ok(Vec::new());
                }
                let (denoiser, clean) = primed(first);
                self.denoising = Denoising::On(Box::new(denoiser));
                clean
            }
        };
        self.timings.denoise += started.elapsed();
        self.take(&clean, started)
    }

    /// Ends the stream (the device stopped sending): speech in progress ends here and is
    /// heard; with no speech, [`Heard::Nothing`].
    pub fn finish(&mut self) -> Result<Vec<Event>, VoiceError> {
        if self.done {
            return Ok(Vec::new());
        }
        let started = Instant::now();
        let rest = match std::mem::replace(&mut self.denoising, Denoising::Off) {
            Denoising::Off => Vec::new(),
            Denoising::On(denoiser) => denoiser.finish(),
            Denoising::Priming(first) => {
                let (denoiser, mut clean) = primed(&first);
                clean.extend(denoiser.finish());
                clean
            }
        };
        self.timings.denoise += started.elapsed();
        let mut events = self.take(&rest, started)?;
        if !self.done {
            let at = self.endpointer.finish();
            match at {
                Some(endpoint::Event::SpeechEnded { at, reason }) => {
                    events.extend(self.ended(at, reason, started)?);
                }
                _ => {
                    self.done = true;
                    events.push(Event::Heard {
                        heard: Heard::Nothing,
                        timings: self.timings,
                    });
                }
            }
        }
        Ok(events)
    }

    /// Takes denoised samples: endpoints them, keeps them, feeds the recognizer.
    fn take(&mut self, clean: &[i16], started: Instant) -> Result<Vec<Event>, VoiceError> {
        let from = self.denoised;
        self.denoised += clean.len();
        self.kept.extend_from_slice(clean);
        let endpointing = Instant::now();
        let noticed = self.endpointer.push(clean);
        self.timings.endpoint += endpointing.elapsed();
        let mut events = Vec::new();
        for event in noticed {
            match event {
                endpoint::Event::SpeechStarted { at } => {
                    events.push(Event::SpeechStarted { at: duration(at) });
                    self.started(at)?;
                }
                endpoint::Event::SpeechEnded { at, reason } => {
                    events.extend(self.ended(at, reason, started)?);
                    return Ok(events);
                }
            }
        }
        match self.endpointer.last_speech_end() {
            Some(last) => self.feed_to(last + self.padding)?,
            None => self.forget_before(from.saturating_sub(KEPT_BEFORE_SPEECH)),
        }
        Ok(events)
    }

    /// Speech started at stream offset `at`: the utterance begins `padding` before it.
    fn started(&mut self, at: usize) -> Result<(), VoiceError> {
        let begin = at.saturating_sub(self.padding).max(self.kept_from);
        self.forget_before(begin);
        self.fed = begin;
        self.decoding = match &self.voice.local {
            Some(local) => match local.recognizer.try_utterance()? {
                Some(utterance) => Decoding::Streaming(utterance),
                None => Decoding::AtTheEnd,
            },
            None => Decoding::AtTheEnd,
        };
        Ok(())
    }

    /// The speech ended at `at`: the rest is decoded and the utterance heard.
    fn ended(
        &mut self,
        at: usize,
        reason: EndReason,
        noticed: Instant,
    ) -> Result<Vec<Event>, VoiceError> {
        let end = (at + self.padding).min(self.kept_from + self.kept.len());
        self.feed_to(end)?;
        let decoding = Instant::now();
        // Since the speech started, nothing before it is kept: `kept` is the utterance.
        let speech = &self.kept[..end - self.kept_from];
        self.timings.audio = duration(speech.len());
        let text = match std::mem::replace(&mut self.decoding, Decoding::Waiting) {
            Decoding::Streaming(utterance) => {
                let local = self
                    .voice
                    .local
                    .as_ref()
                    .expect("streaming needs the recognizer");
                let accepts = |text: &str| local.accepts(text);
                utterance
                    .finish_first_of(crate::N_BEST, &accepts)?
                    .map(|t| t.text)
            }
            Decoding::AtTheEnd | Decoding::Waiting => self.voice.recognize(speech)?,
        };
        self.timings.decode += decoding.elapsed();
        self.timings.after_end = noticed.elapsed();
        self.done = true;
        Ok(vec![
            Event::SpeechStopped {
                at: duration(at),
                reason,
            },
            Event::Heard {
                heard: crate::heard(text),
                timings: self.timings,
            },
        ])
    }

    /// Feeds the recognizer the kept speech up to stream offset `end`.
    fn feed_to(&mut self, end: usize) -> Result<(), VoiceError> {
        let end = end.min(self.kept_from + self.kept.len());
        if end <= self.fed {
            return Ok(());
        }
        if let Decoding::Streaming(utterance) = &mut self.decoding {
            let started = Instant::now();
            utterance.push(&self.kept[self.fed - self.kept_from..end - self.kept_from])?;
            self.timings.decode += started.elapsed();
        }
        self.fed = end;
        Ok(())
    }

    /// Drops kept samples before stream offset `offset`.
    fn forget_before(&mut self, offset: usize) {
        if offset > self.kept_from {
            let drop = (offset - self.kept_from).min(self.kept.len());
            self.kept.drain(..drop);
            self.kept_from += drop;
        }
    }
}

/// A denoiser primed with (up to [`PRIMING`] of) the stream's first samples, and those samples
/// denoised.
fn primed(first: &[i16]) -> (Denoiser, Vec<i16>) {
    let mut denoiser = Denoiser::primed(&first[..first.len().min(PRIMING)]);
    let clean = denoiser.push(first);
    (denoiser, clean)
}

fn duration(samples: usize) -> Duration {
    Duration::from_secs_f64(samples as f64 / 16_000.0)
}
