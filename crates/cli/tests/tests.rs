//! The `hark` binary, run as a user runs it; one test binary.

mod crash;
mod nlu;
mod server;
mod support;
mod voice;
