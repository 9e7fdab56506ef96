//! The store's error type.
//!
//! Callers branch on the variant (the server maps `NotFound` to 404, `Conflict` to 409,
//! `Invalid` to 400 and the rest to 500); the text is written for a person reading a log or an
//! API answer. No message ever contains a token's secret.

/// What went wrong in a store call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The household, device or token does not exist (in this household).
    #[error("not found")]
    NotFound,
    /// The change clashes with what is stored, such as a second device with the same name.
    #[error("{0}")]
    Conflict(String),
    /// The input is not acceptable, such as an unknown time zone or an empty name.
    #[error("{0}")]
    Invalid(String),
    /// The database failed or could not be reached; the text is the cause.
    #[error("database error: {0}")]
    Database(String),
    /// The schema could not be brought to the version this code needs.
    #[error("database schema version {version}: {message}")]
    Migration {
        /// The migration that failed, or the database's version when it is newer than the
        /// code.
        version: u32,
        /// What happened and what to do about it.
        message: String,
    },
}

/// The result of a store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Renders an error and its chain of causes on one line ("a: b: c").
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}
