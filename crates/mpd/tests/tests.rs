//! hark-mpd against servers over real TCP: scripted fake servers that misbehave on purpose
//! (close mid-answer, never answer, answer forever), and a real `mpd` of each test's own,
//! started with a temporary configuration and a folder of tracks made with sox.

mod fake;
mod player;
mod server;
