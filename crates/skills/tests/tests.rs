//! Integration tests of hark-skills, compiled into one binary: sentences
//! parsed by hark's real grammar, answered by the built-in skills.

mod spoken;
mod weather;
