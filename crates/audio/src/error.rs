//! The crate's one error type. Every way audio can be refused has its own variant and a stable
//! snake_case [`Error::code`], so the server can answer with a code and the device can speak a
//! short apology while the log keeps the message.

use std::io;

/// Why audio was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes do not start with a RIFF/WAVE header.
    #[error("not a WAV file: {0}")]
    NotWav(&'static str),
    /// The input ended inside the header, before the first sample.
    #[error("truncated WAV header: {0}")]
    TruncatedHeader(&'static str),
    /// A header field is impossible (no channels, a rate of zero, sizes that disagree).
    #[error("malformed WAV header: {0}")]
    BadHeader(String),
    /// A well-formed WAV file in an encoding hark does not read (A-law, 12 channels, 4 kHz...).
    #[error("unsupported WAV audio: {0}")]
    Unsupported(String),
    /// The data chunk holds no complete sample frame.
    #[error("the audio is empty: the WAV file holds no samples")]
    Empty,
    /// The audio is longer than the caller's limit; nothing was decoded.
    #[error("the audio is too long: {}the limit is {limit:.1} s", Seconds(*seconds))]
    TooLong {
        /// Duration the header announces, in seconds; `None` when the header did not say
        /// (a streaming placeholder) and the data went past the limit.
        seconds: Option<f64>,
        /// The caller's limit, in seconds.
        limit: f64,
    },
    /// Noise cannot be mixed as asked (no noise, silent noise, silent speech, a NaN SNR).
    #[error("cannot mix noise: {0}")]
    Mix(&'static str),
    /// The reader failed for a reason other than ending early.
    #[error("could not read the audio")]
    Io(#[source] io::Error),
}

impl Error {
    /// A stable snake_case code for APIs and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotWav(_) => "not_wav",
            Error::TruncatedHeader(_) => "truncated_header",
            Error::BadHeader(_) => "bad_header",
            Error::Unsupported(_) => "unsupported_audio",
            Error::Empty => "empty_audio",
            Error::TooLong { .. } => "audio_too_long",
            Error::Mix(_) => "bad_mix",
            Error::Io(_) => "audio_io",
        }
    }
}

/// How long audio was, for [`Error::TooLong`]'s message.
struct Seconds(Option<f64>);

impl std::fmt::Display for Seconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(seconds) => write!(f, "{seconds:.1} s, "),
            None => Ok(()),
        }
    }
}
