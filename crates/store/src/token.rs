//! Random ids and API token text.
//!
//! Ids are random, never sequential, so that they say nothing about how many households or
//! devices exist and cannot be guessed: `hh_` or `dev_` and 12 characters of lower-case base32
//! (60 bits). A token's text is `hark_<id>_<secret>`: the id (10 base32 characters, 50 bits) is
//! public and finds the row; the secret (52 base32 characters, 260 random bits) is stored only as
//! the SHA-256 hash of the whole text, and compared in constant time. A fast hash is enough here:
//! the secret is random and long, so there is no dictionary to try.

use sha2::{Digest, Sha256};

use crate::{Result, StoreError};

/// RFC 4648 base32, lower case: no characters that need escaping in a URL or a shell.
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

const TOKEN_PREFIX: &str = "hark_";
const TOKEN_ID_LEN: usize = 10;
const SECRET_LEN: usize = 52;
const TOKEN_LEN: usize = TOKEN_PREFIX.len() + TOKEN_ID_LEN + 1 + SECRET_LEN;

/// `len` random base32 characters, 5 bits each.
pub(crate) fn random_base32(len: usize) -> Result<String> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Database(format!("no randomness from the system: {e}")))?;
    // 256 is a multiple of 32, so masking keeps every character equally likely.
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// A fresh household id.
pub(crate) fn household_id() -> Result<String> {
    Ok(format!("hh_{}", random_base32(12)?))
}

/// A fresh device id.
pub(crate) fn device_id() -> Result<String> {
    Ok(format!("dev_{}", random_base32(12)?))
}

/// A fresh token: its id and its whole text.
pub(crate) fn new_token() -> Result<(String, String)> {
    let id = random_base32(TOKEN_ID_LEN)?;
    let text = format!("{TOKEN_PREFIX}{id}_{}", random_base32(SECRET_LEN)?);
    Ok((id, text))
}

/// The token id inside a well-formed token text; `None` for anything else.
pub(crate) fn parse(text: &str) -> Option<&str> {
    if text.len() != TOKEN_LEN {
        return None;
    }
    let rest = text.strip_prefix(TOKEN_PREFIX)?;
    let (id, secret) = rest.split_at_checked(TOKEN_ID_LEN)?;
    let secret = secret.strip_prefix('_')?;
    let base32 = |s: &str| s.bytes().all(|b| ALPHABET.contains(&b));
    (base32(id) && base32(secret)).then_some(id)
}

/// The hash that is stored for a token text, as 64 lower-case hex digits.
pub(crate) fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    hex
}

/// Compares two hashes without stopping at the first difference, so the time taken says
/// nothing about how much of a guess was right.
pub(crate) fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_text_round_trips() {
        let (id, text) = new_token().unwrap();
        assert_eq!(text.len(), TOKEN_LEN);
        assert_eq!(parse(&text), Some(id.as_str()));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let (_, text) = new_token().unwrap();
        for bad in [
            "",
            "hark_",
            &text[..text.len() - 1],
            &format!("{text}a"),
            &text.replacen("hark_", "hork_", 1),
            &text.to_uppercase(),
            &format!("{}-{}", &text[..15], &text[16..]),
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        // A multi-byte character across the id's end must not panic the split.
        let odd = format!("hark_{}é{}", "a".repeat(9), "a".repeat(SECRET_LEN));
        assert_eq!(odd.len(), TOKEN_LEN);
        assert_eq!(parse(&odd), None);
    }

    #[test]
    fn ids_are_random() {
        let a = household_id().unwrap();
        let b = household_id().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("hh_") && a.len() == 15);
        assert!(device_id().unwrap().starts_with("dev_"));
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same_hash(&hash("x"), &hash("x")));
        assert!(!same_hash(&hash("x"), &hash("y")));
        assert!(!same_hash("ab", "abc"));
    }
}
