//! The `hark` binary, run as a user runs it; one test binary.

mod bench_music;
mod bench_voice;
mod crash;
mod household;
mod lists;
mod music;
mod nlu;
mod nlu_trained;
mod server;
mod support;
mod voice;
