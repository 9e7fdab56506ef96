//! The endpointer: where speech starts and ends, in a stream or in a whole buffer.
//!
//! # How a frame is judged
//!
//! Audio is cut into 20 ms frames (320 samples). Each frame gets two features: its RMS level in
//! dBFS and its zero-crossing rate (crossings per sample, about 0.5 for white noise, 0.05 to
//! 0.15 for voiced speech). Both are compared with an adaptive estimate of the background:
//!
//! - a frame is **speech** when it is louder than [`Config::min_level_dbfs`] and either stands
//!   [`Config::threshold_db`] above the noise floor, or stands [`Config::weak_threshold_db`]
//!   above it with a zero-crossing rate away from the background's by at least
//!   [`Config::zcr_difference`] and by four times the background's own frame-to-frame
//!   variation (pink noise's rate wanders far more than white noise's). The second rule
//!   catches quiet syllables in noise: a vowel 4 dB above white noise changes the crossing rate
//!   a lot more than it changes the level.
//! - the **noise floor** starts at the first frame's level (or a seed, see [`Endpointer::seeded`])
//!   and follows the frames that are neither speech nor inside an utterance (the pauses between
//!   words are not background): down by 10% of the gap per frame, up by 5%, so it settles a
//!   little below the background's average level. The background's crossing rate and its
//!   variation follow the same frames. Otherwise the floor creeps up by 0.02 dB per frame (1 dB
//!   a second), so a lasting rise of the background ends an utterance eventually instead of
//!   never; the maximum utterance length bounds that wait anyway.
//!
//! # Events
//!
//! [`Event::SpeechStarted`] comes when [`Config::min_speech`] of consecutive speech frames have
//! been seen (60 ms by default, so a click is not speech); it reports where that run began.
//! [`Event::SpeechEnded`] comes once [`Config::trailing_silence`] (700 ms) of non-speech frames
//! follow the last speech frame, reporting the end of that last speech frame; or when the
//! utterance reaches [`Config::max_utterance`] (15 s), reporting that point; or at
//! [`Endpointer::finish`]. Positions are sample offsets from the start of the stream.
//!
//! # Whole buffers
//!
//! [`segments`] runs the same endpointer over a buffer with the background seeded from the
//! quietest fifth of the frames of its first second (so a clip that opens with speech is
//! judged against the pauses between its first words, not against the words; and a clip whose
//! background changes, as RNNoise's output does while it learns the noise, against its start,
//! not its quietest moment), and [`trim`] keeps from the first start to the last end, widened by
//! [`Config::padding`] (200 ms) on each side. A buffer with no speech gives `None`: the caller
//! says "I didn't hear anything".
//!
//! A streaming endpointer assumes its first 20 ms are background; a device that streams from
//! its wake word has that.

use std::ops::Range;
use std::time::Duration;

use crate::levels::rms_dbfs;
use crate::samples_in;

/// Samples per analysis frame: 20 ms at 16 kHz.
pub const FRAME: usize = 320;

/// The endpointer's parameters; [`Config::default`] is what hark uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Non-speech after the last speech frame that ends an utterance. Default 700 ms.
    pub trailing_silence: Duration,
    /// Consecutive speech that starts an utterance. Default 60 ms.
    pub min_speech: Duration,
    /// Longest utterance; it is ended there. Default 15 s.
    pub max_utterance: Duration,
    /// Kept before the first start and after the last end by [`trim`]. Default 200 ms.
    pub padding: Duration,
    /// Level above the noise floor that makes a frame speech by itself, in dB. Default 9.
    pub threshold_db: f32,
    /// Level above the noise floor that makes a frame speech when its zero-crossing rate also
    /// differs from the background's, in dB. Default 4.
    pub weak_threshold_db: f32,
    /// How far the zero-crossing rate must be from the background's, in crossings per sample.
    /// Default 0.1.
    pub zcr_difference: f32,
    /// Frames quieter than this are never speech, in dBFS. Default -60.
    pub min_level_dbfs: f32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            trailing_silence: Duration::from_millis(700),
            min_speech: Duration::from_millis(60),
            max_utterance: Duration::from_secs(15),
            padding: Duration::from_millis(200),
            threshold_db: 9.0,
            weak_threshold_db: 4.0,
            zcr_difference: 0.1,
            min_level_dbfs: -60.0,
        }
    }
}

/// What the endpointer noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Speech began at this sample offset.
    SpeechStarted {
        /// Sample offset of the first speech frame.
        at: usize,
    },
    /// The utterance ended.
    SpeechEnded {
        /// Sample offset just past the last speech frame (or the cut, for
        /// [`EndReason::MaxLength`]).
        at: usize,
        /// Why it ended.
        reason: EndReason,
    },
}

/// Why an utterance ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The trailing silence was reached.
    Silence,
    /// The maximum utterance length was reached.
    MaxLength,
    /// [`Endpointer::finish`] was called during speech.
    EndOfStream,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Silence {
        run: usize,
        run_start: usize,
    },
    Speech {
        start: usize,
        last_speech_end: usize,
        silent_frames: usize,
    },
}

/// A streaming endpointer: feed it 16 kHz samples in pieces of any size.
#[derive(Debug, Clone)]
pub struct Endpointer {
    config: Config,
    pending: Vec<i16>,
    /// Samples consumed in whole frames.
    position: usize,
    floor: Option<f32>,
    noise_zcr: f32,
    /// Mean absolute deviation of the background's zero-crossing rate.
    noise_zcr_dev: f32,
    state: State,
}

impl Endpointer {
    /// An endpointer that learns the background from its first frame.
    pub fn new(config: Config) -> Endpointer {
        Endpointer {
            config,
            pending: Vec::with_capacity(FRAME),
            position: 0,
            floor: None,
            noise_zcr: 0.0,
            noise_zcr_dev: 0.0,
            state: State::Silence {
                run: 0,
                run_start: 0,
            },
        }
    }

    /// An endpointer whose background starts at `floor_dbfs`, with a zero-crossing rate of
    /// `zcr` that varies from frame to frame by `zcr_deviation` (mean absolute deviation).
    pub fn seeded(config: Config, floor_dbfs: f32, zcr: f32, zcr_deviation: f32) -> Endpointer {
        let mut e = Endpointer::new(config);
        e.floor = Some(floor_dbfs);
        e.noise_zcr = zcr;
        e.noise_zcr_dev = zcr_deviation;
        e
    }

    /// Feeds samples; returns what happened in the whole frames they completed.
    pub fn push(&mut self, samples: &[i16]) -> Vec<Event> {
        let mut events = Vec::new();
        let mut rest = samples;
        while !rest.is_empty() {
            let take = (FRAME - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() == FRAME {
                let frame = std::mem::take(&mut self.pending);
                self.frame(&frame, &mut events);
                self.pending = frame;
                self.pending.clear();
            }
        }
        events
    }

    /// Ends the stream: an utterance in progress ends at its last speech frame.
    pub fn finish(&mut self) -> Option<Event> {
        match self.state {
            State::Speech {
                last_speech_end, ..
            } => {
                self.state = State::Silence {
                    run: 0,
                    run_start: self.position,
                };
                Some(Event::SpeechEnded {
                    at: last_speech_end,
                    reason: EndReason::EndOfStream,
                })
            }
            State::Silence { .. } => None,
        }
    }

    /// Whether an utterance is in progress.
    pub fn in_speech(&self) -> bool {
        matches!(self.state, State::Speech { .. })
    }

    /// During an utterance, the sample offset just past its last speech frame so far: what
    /// follows may yet turn out to be the trailing silence.
    pub fn last_speech_end(&self) -> Option<usize> {
        match self.state {
            State::Speech {
                last_speech_end, ..
            } => Some(last_speech_end),
            State::Silence { .. } => None,
        }
    }

    /// The current noise floor estimate in dBFS, once a frame has been seen.
    pub fn noise_floor_dbfs(&self) -> Option<f32> {
        self.floor
    }

    fn frame(&mut self, frame: &[i16], events: &mut Vec<Event>) {
        let level = rms_dbfs(frame);
        let zcr = zero_crossing_rate(frame);
        let start = self.position;
        self.position += frame.len();
        let end = self.position;
        let Some(floor) = self.floor else {
            self.floor = Some(level);
            self.noise_zcr = zcr;
            return;
        };
        let c = &self.config;
        let margin = level - floor;
        let zcr_needed = c.zcr_difference.max(4.0 * self.noise_zcr_dev);

        let speech = level > c.min_level_dbfs
            && (margin >= c.threshold_db
                || (margin >= c.weak_threshold_db && (zcr - self.noise_zcr).abs() >= zcr_needed));
        // Inside an utterance, the pauses between words are not background: learning from them
        // would raise the floor until the words themselves fall below it.
        let in_utterance = matches!(self.state, State::Speech { .. });
        self.floor = Some(if speech || in_utterance {
            floor + 0.02
        } else {
            self.noise_zcr_dev += 0.05 * ((zcr - self.noise_zcr).abs() - self.noise_zcr_dev);
            self.noise_zcr += 0.05 * (zcr - self.noise_zcr);
            floor + if level < floor { 0.1 } else { 0.05 } * (level - floor)
        });

        let min_frames = samples_in(c.min_speech).div_ceil(FRAME).max(1);
        let trailing_frames = samples_in(c.trailing_silence).div_ceil(FRAME).max(1);
        let max_samples = samples_in(c.max_utterance).max(FRAME);
        self.state = match self.state {
            State::Silence { run, run_start } => {
                if !speech {
                    State::Silence {
                        run: 0,
                        run_start: end,
                    }
                } else {
                    let run_start = if run == 0 { start } else { run_start };
                    if run + 1 >= min_frames {
                        events.push(Event::SpeechStarted { at: run_start });
                        State::Speech {
                            start: run_start,
                            last_speech_end: end,
                            silent_frames: 0,
                        }
                    } else {
                        State::Silence {
                            run: run + 1,
                            run_start,
                        }
                    }
                }
            }
            State::Speech {
                start: utterance,
                last_speech_end,
                silent_frames,
            } => {
                let (last_speech_end, silent_frames) = if speech {
                    (end, 0)
                } else {
                    (last_speech_end, silent_frames + 1)
                };
                if end - utterance >= max_samples {
                    events.push(Event::SpeechEnded {
                        at: end,
                        reason: EndReason::MaxLength,
                    });
                    State::Silence {
                        run: 0,
                        run_start: end,
                    }
                } else if silent_frames >= trailing_frames {
                    events.push(Event::SpeechEnded {
                        at: last_speech_end,
                        reason: EndReason::Silence,
                    });
                    State::Silence {
                        run: 0,
                        run_start: end,
                    }
                } else {
                    State::Speech {
                        start: utterance,
                        last_speech_end,
                        silent_frames,
                    }
                }
            }
        };
    }
}

/// Sign changes per sample pair; zeros count with the positive side.
fn zero_crossing_rate(frame: &[i16]) -> f32 {
    if frame.len() < 2 {
        return 0.0;
    }
    let crossings = frame
        .windows(2)
        .filter(|w| (w[0] < 0) != (w[1] < 0))
        .count();
    crossings as f32 / (frame.len() - 1) as f32
}

/// Frames of a whole buffer its background is first learnt from: one second.
const SEED_FRAMES: usize = 50;

/// The utterances in a whole buffer, as sample ranges (without padding).
pub fn segments(samples: &[i16], config: Config) -> Vec<Range<usize>> {
    // The background as it is in the first second: a clip whose background changes (as
    // RNNoise's output does while it learns the noise) is judged against its start, not
    // against its quietest moment.
    let mut frames: Vec<(f32, f32)> = samples
        .chunks_exact(FRAME)
        .take(SEED_FRAMES)
        .map(|f| (rms_dbfs(f), zero_crossing_rate(f)))
        .collect();
    if frames.is_empty() {
        return Vec::new();
    }
    frames.sort_by(|a, b| a.0.total_cmp(&b.0));
    let quiet = &frames[..frames.len().div_ceil(5)];
    let mean =
        |f: &dyn Fn(&(f32, f32)) -> f32| quiet.iter().map(f).sum::<f32>() / quiet.len() as f32;
    let floor = mean(&|f| f.0);
    let zcr = mean(&|f| f.1);
    let zcr_deviation = mean(&|f| (f.1 - zcr).abs());
    let mut endpointer = Endpointer::seeded(config, floor, zcr, zcr_deviation);
    let mut events = endpointer.push(samples);
    events.extend(endpointer.finish());
    let mut out = Vec::new();
    let mut open = None;
    for event in events {
        match event {
            Event::SpeechStarted { at } => open = Some(at),
            Event::SpeechEnded { at, .. } => {
                if let Some(start) = open.take() {
                    out.push(start..at);
                }
            }
        }
    }
    out
}

/// The part of a whole buffer to keep: from the first speech to the last, with
/// [`Config::padding`] each side; `None` when there is no speech.
pub fn trim(samples: &[i16], config: Config) -> Option<Range<usize>> {
    let found = segments(samples, config);
    let (first, last) = (found.first()?, found.last()?);
    let pad = samples_in(config.padding);
    Some(first.start.saturating_sub(pad)..(last.end + pad).min(samples.len()))
}
