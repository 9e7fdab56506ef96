//! The scheduler's error type.
//!
//! `Invalid` carries a sentence a person can be shown ("a timer must run for at least one
//! second"); nothing was written when it is returned. The server maps the variants as the
//! store's: `NotFound` 404, `Conflict` 409, `Invalid` 400, the rest 500.

use hark_store::StoreError;

use crate::FailPoint;

/// What went wrong in a scheduler call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SchedulerError {
    /// The request makes no sense (a timer of 0 s, an alarm rule with no day); nothing changed.
    #[error("{0}")]
    Invalid(String),
    /// No such item, device or household (in this household).
    #[error("not found")]
    NotFound,
    /// The item changed since it was read.
    #[error("{0}")]
    Conflict(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// The run loop stopped at a failure point a test armed (only with the `failpoints`
    /// feature). The scheduler stays stopped: a test drops it and starts another, as after a
    /// crash.
    #[error("stopped at the failure point {0:?}")]
    Crashed(FailPoint),
}

impl From<StoreError> for SchedulerError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => SchedulerError::NotFound,
            StoreError::Invalid(message) => SchedulerError::Invalid(message),
            StoreError::Conflict(message) => SchedulerError::Conflict(message),
            other => SchedulerError::Store(other),
        }
    }
}

/// The result of a scheduler call.
pub type Result<T, E = SchedulerError> = std::result::Result<T, E>;
