//! Integration tests of hark-nlu, compiled into one binary.

mod home_assistant;
mod support;
