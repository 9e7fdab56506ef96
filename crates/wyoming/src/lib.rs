//! A client of the Wyoming protocol, so that hark can use any speech recognizer or synthesizer
//! that speaks it (Home Assistant's faster-whisper and Piper servers, among others) instead of
//! its built-in engines.
//!
//! Wyoming is JSON lines plus binary payloads over TCP: each event is a one-line JSON header
//! (`type`, optional `data`, `data_length`, `payload_length`), then `data_length` bytes of more
//! JSON data merged over `data`, then `payload_length` bytes of payload (PCM audio). This crate
//! reads and writes events ([`Event`], [`read_event`], [`write_event`]) and runs the two
//! exchanges hark needs ([`Client::transcribe`], [`Client::synthesize`]), plus `describe`.
//!
//! Decisions:
//!
//! - **Bounded.** A header line, its extra data and its payload each have a limit
//!   ([`Limits`]); a peer that sends more gets a [`WyomingError::Protocol`] naming the limit,
//!   not an allocation of what it claimed. Every read waits at most [`Client`]'s timeout.
//! - **Audio is passed through as it comes.** [`Pcm`] keeps the rate, width and channels the
//!   server announced; turning it into hark's 16 kHz mono is the audio crate's job.
//! - **Tolerant of what it does not know.** Events hark does not wait for (a streaming
//!   server's `transcript-chunk`, an unknown type) are skipped; unknown fields are ignored.

#![deny(missing_docs)]

mod client;
mod event;

pub use client::{Client, Pcm};
pub use event::{read_event, write_event, Event, Limits};

/// What can go wrong talking to a Wyoming server.
#[derive(Debug, thiserror::Error)]
pub enum WyomingError {
    /// The connection failed or broke.
    #[error("talking to the Wyoming server: {0}")]
    Io(#[from] std::io::Error),
    /// The server did not answer in time.
    #[error("the Wyoming server did not answer within {0:?}")]
    Timeout(std::time::Duration),
    /// The server sent something that is not the protocol, or more than the limits allow.
    #[error("the Wyoming server broke the protocol: {0}")]
    Protocol(String),
    /// The server closed the connection before the answer was complete.
    #[error("the Wyoming server closed the connection before answering")]
    Closed,
}

/// This crate's results.
pub type Result<T> = std::result::Result<T, WyomingError>;
