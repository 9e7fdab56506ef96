//! What can go wrong in a turn once it is understood: reading what its skill needs to see
//! (timers, devices, the player, the library, lists) or applying the effects the skill returned.
//!
//! The key decision: the error keeps its cause's type (the scheduler's, the store's, a
//! player's) up to the one place that decides what the user hears and what the log gets
//! ([`Server::turn`](crate::Server::turn)), instead of being flattened into a scheduler error
//! with a string on the way. That is what lets a room's MPD that cannot be reached get a
//! sentence of its own ("I can't reach the music player for the kitchen right now.", so the user
//! knows what to check) while a failing database keeps the short apology; and what logs an MPD
//! that is switched off as a warning but a database that fails as an error.

use hark_mpd::MpdError;
use hark_scheduler::SchedulerError;
use hark_store::StoreError;

use crate::media::MediaError;

/// Why a turn's state could not be read or its effects applied.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// Timers, alarms, reminders or what rings.
    #[error(transparent)]
    Scheduler(#[from] SchedulerError),
    /// The store, read directly (the household's devices).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A device's player, a room's MPD, or the music library.
    #[error(transparent)]
    Media(#[from] MediaError),
    /// The household's lists.
    #[error("the household's lists: {0}")]
    Lists(StoreError),
    /// An effect that cannot be done as the skill gave it (an alarm with no time); nothing of
    /// it was done.
    #[error("{0}")]
    Invalid(String),
}

impl TurnError {
    /// Whether a room's MPD could not be reached: nothing listens at its address, the
    /// connection broke, or it did not answer within [`crate::media::MPD_TIMEOUT`]. An MPD
    /// that answered and refused a command was reached; that is not this.
    pub fn player_unreachable(&self) -> bool {
        matches!(
            self,
            TurnError::Media(MediaError::Mpd {
                error: MpdError::Io(_) | MpdError::Timeout(_),
                ..
            })
        )
    }

    /// Whether hark's own machinery failed (the database, the music library's files), rather
    /// than something outside it (a room's MPD) or a request that cannot be done as asked (an
    /// item gone since the turn read it).
    fn is_internal(&self) -> bool {
        let store = |error: &StoreError| {
            !matches!(
                error,
                StoreError::NotFound | StoreError::Conflict(_) | StoreError::Invalid(_)
            )
        };
        match self {
            TurnError::Scheduler(error) => !matches!(
                error,
                SchedulerError::NotFound | SchedulerError::Conflict(_) | SchedulerError::Invalid(_)
            ),
            TurnError::Store(error) | TurnError::Lists(error) => store(error),
            TurnError::Media(MediaError::Store(error))
            | TurnError::Media(MediaError::Music(hark_music::Error::Store(error))) => store(error),
            TurnError::Media(MediaError::Music(hark_music::Error::Invalid(_))) => false,
            TurnError::Media(MediaError::Music(_)) => true,
            TurnError::Media(MediaError::Mpd { .. } | MediaError::Invalid(_))
            | TurnError::Invalid(_) => false,
        }
    }

    /// Logs the cause while `doing` something: an error when hark's own machinery failed, a
    /// warning for the rest.
    pub fn log(&self, doing: &str) {
        if self.is_internal() {
            tracing::error!(error = %self, "{doing}");
        } else {
            tracing::warn!(error = %self, "{doing}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn mpd(error: MpdError) -> TurnError {
        TurnError::Media(MediaError::Mpd {
            address: "127.0.0.1:1".into(),
            error,
        })
    }

    #[test]
    fn only_an_mpd_that_does_not_answer_is_unreachable() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(mpd(MpdError::Io(refused)).player_unreachable());
        assert!(mpd(MpdError::Timeout(Duration::from_secs(2))).player_unreachable());
        let refused_command = MpdError::Ack {
            code: hark_mpd::ack::NO_EXIST,
            index: 0,
            command: "add".into(),
            message: "No such directory".into(),
        };
        assert!(!mpd(refused_command).player_unreachable());
        assert!(!TurnError::Store(StoreError::Database("gone".into())).player_unreachable());
        assert!(!TurnError::Invalid("an alarm needs a time".into()).player_unreachable());
    }

    #[test]
    fn the_database_failing_is_internal_and_the_world_is_not() {
        let database = || StoreError::Database("disk full".into());
        assert!(TurnError::Store(database()).is_internal());
        assert!(TurnError::Lists(database()).is_internal());
        assert!(TurnError::Scheduler(SchedulerError::Store(database())).is_internal());
        assert!(
            TurnError::Media(MediaError::Music(hark_music::Error::Store(database()))).is_internal()
        );
        assert!(!TurnError::Scheduler(SchedulerError::NotFound).is_internal());
        assert!(!TurnError::Lists(StoreError::NotFound).is_internal());
        assert!(!mpd(MpdError::Timeout(Duration::from_secs(2))).is_internal());
        assert!(!TurnError::Invalid("an alarm needs a time".into()).is_internal());
    }
}
