//! hark-music's integration tests, one binary. Every test in `both!` runs against SQLite and
//! against PostgreSQL (which must be running), on audio files the tests make with sox, lame
//! and opusenc (see `hark_music::generate`).

#[macro_use]
mod support;

mod playlists;
mod scan;
mod search;
