//! hark-audio's integration tests, one binary: each module tests one part through the public
//! API.

mod support;

mod denoise;
mod endpoint;
mod wav;
