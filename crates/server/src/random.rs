//! Random identifiers from the operating system's generator.

/// `bytes` random bytes as lowercase hex.
pub fn token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system has a random number generator");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}
