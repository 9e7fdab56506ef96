//! The `hark` command line.

fn main() {}
