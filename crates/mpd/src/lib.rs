//! A client of the Music Player Daemon's protocol, so that a room can use MPD as its player:
//! hark queues songs, plays, pauses, skips, sets the volume and reads what is playing.
//!
//! MPD speaks lines over TCP: the server greets with `OK MPD 0.23.5`; each command is one line
//! with its arguments quoted; each answer is `key: value` lines ended by `OK`, or an
//! `ACK [code@index] {command} message` line when the command failed. Several commands can go
//! as one command list (`command_list_begin` ... `command_list_end`), answered once.
//!
//! ```no_run
//! # async fn room() -> hark_mpd::Result<()> {
//! use std::time::Duration;
//! use hark_mpd::{Client, State};
//!
//! let mut mpd = Client::new("127.0.0.1:6600", Duration::from_secs(2)).with_password("secret");
//! mpd.clear().await?;
//! mpd.add_many(&["Jazz/So What.flac", "Jazz/Freddie Freeloader.flac"]).await?;
//! mpd.play(None).await?;
//! let status = mpd.status().await?;
//! assert_eq!(status.state, State::Play);
//! if let Some(song) = mpd.current_song().await? {
//!     println!("{} by {:?}", song.file, song.artist);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Decisions:
//!
//! - **Written from the protocol's documentation**, with only tokio underneath: the protocol
//!   is small, and hark needs a dozen commands of it ([`Client`] lists them), each with a
//!   typed answer ([`Status`], [`Song`]).
//! - **Bounded.** Every call, connecting included, finishes within the client's timeout or
//!   fails with [`MpdError::Timeout`]; every answer is read within [`Limits`], so a broken
//!   server cannot make hark read forever.
//! - **Reconnects by itself, at most once a call.** MPD closes a connection that stays idle
//!   longer than its `connection_timeout` (a minute by default), and hark talks to a room's
//!   MPD now and then. A call that finds its connection closed (or that sees it close before
//!   a single byte of the answer) connects again, sends the password again, and sends the
//!   command once more: the server never ran it. A failure after the answer began is
//!   returned, since the command may have run. After any error but an ACK, the connection is
//!   dropped and the next call starts a new one; [`Client::reconnect`] does it at once.
//! - **Arguments are always quoted and escaped**; an argument with a newline is refused
//!   ([`MpdError::InvalidArgument`]) rather than sent, so a song title cannot smuggle a
//!   command in.

#![deny(missing_docs)]

mod client;
mod protocol;
mod types;

#[cfg(feature = "testing")]
pub mod testing;

pub use client::Client;
pub use protocol::{Limits, Pair};
pub use types::{Song, State, Status};

/// The codes of MPD's ACK errors (`ACK [code@index] ...`), from its protocol documentation.
pub mod ack {
    /// The command is not allowed in a command list.
    pub const NOT_LIST: u32 = 1;
    /// A wrong number or kind of arguments.
    pub const ARG: u32 = 2;
    /// A wrong password.
    pub const PASSWORD: u32 = 3;
    /// The client may not run this command (a password is needed).
    pub const PERMISSION: u32 = 4;
    /// An unknown command.
    pub const UNKNOWN: u32 = 5;
    /// No such song, directory, playlist or output.
    pub const NO_EXIST: u32 = 50;
    /// The playlist is full.
    pub const PLAYLIST_MAX: u32 = 51;
    /// A system error.
    pub const SYSTEM: u32 = 52;
    /// A playlist could not be loaded.
    pub const PLAYLIST_LOAD: u32 = 53;
    /// A database update is already running.
    pub const UPDATE_ALREADY: u32 = 54;
    /// The player is not in a state where this command works.
    pub const PLAYER_SYNC: u32 = 55;
    /// The thing to create exists already.
    pub const EXIST: u32 = 56;
}

/// What can go wrong talking to an MPD server.
#[derive(Debug, thiserror::Error)]
pub enum MpdError {
    /// The connection failed, was refused, or broke.
    #[error("talking to MPD: {0}")]
    Io(#[from] std::io::Error),
    /// The server did not answer in time.
    #[error("MPD did not answer within {0:?}")]
    Timeout(std::time::Duration),
    /// The server sent something that is not the protocol, or more than the limits allow.
    #[error("MPD broke the protocol: {0}")]
    Protocol(String),
    /// The server refused the command (see [`ack`] for the codes).
    #[error("MPD refused `{command}` (error {code}): {message}")]
    Ack {
        /// The error's code ([`ack::NO_EXIST`], ...).
        code: u32,
        /// Which command of a command list failed (0 for a single command).
        index: u32,
        /// The failed command's name, as the server reports it.
        command: String,
        /// The server's message, for people.
        message: String,
    },
    /// An argument that cannot be sent (a newline in a URI, a volume over 100); nothing was
    /// sent.
    #[error("cannot send to MPD: {0}")]
    InvalidArgument(String),
}

impl MpdError {
    /// The ACK code when the server refused the command.
    pub fn ack_code(&self) -> Option<u32> {
        match self {
            MpdError::Ack { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// This crate's results.
pub type Result<T> = std::result::Result<T, MpdError>;
