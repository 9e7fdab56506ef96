//! Dialogue sessions: the turns of one conversation.
//!
//! A session exists only while a skill waits for an answer ("For how long?",
//! "Order 2 packs of coffee for $18.98?"). It remembers the pending intent and
//! what the answer should be, and belongs to one household and one device:
//! another device, or another household's token, never continues or replaces
//! it, even with the same session id. A
//! session nobody answers for [`Sessions::timeout`] is forgotten.
//!
//! Sessions are kept in memory on purpose: a half-asked question is not
//! something a user was told is saved, and keeping them out of the database
//! keeps a conversation turn free of disk writes.

use std::collections::HashMap;
use std::sync::Mutex;

use hark_core::skill::Expect;
use hark_core::{DeviceId, HouseholdId, Intent, SessionId};
use jiff::{SignedDuration, Timestamp};

/// A question waiting for its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Whose session it is.
    pub household: HouseholdId,
    /// The device the conversation happens on.
    pub device: DeviceId,
    /// The intent the answer completes.
    pub intent: Intent,
    /// What the answer should be.
    pub expect: Expect,
    /// How many times the question was asked again because the answer did not fit.
    pub retries: u8,
    /// When the session is forgotten unless answered.
    pub expires: Timestamp,
}

/// All open sessions.
#[derive(Debug)]
pub struct Sessions {
    /// Keyed by household and device too: session ids come from clients, and
    /// one household's or device's id must never reach another's question.
    open: Mutex<HashMap<Key, Pending>>,
    /// Insertions since expired sessions were last swept out.
    inserted: std::sync::atomic::AtomicUsize,
    timeout: SignedDuration,
}

type Key = (HouseholdId, DeviceId, SessionId);

/// Expired sessions are swept out every this many new questions.
const SWEEP_EVERY: usize = 1024;

/// Sessions beyond this many are dropped, oldest expiry first, so a client
/// that never answers cannot grow memory without bound.
const MAX_SESSIONS: usize = 100_000;

impl Sessions {
    /// No sessions; each lasts `timeout` after its last turn.
    pub fn new(timeout: SignedDuration) -> Self {
        Self {
            open: Mutex::new(HashMap::new()),
            inserted: Default::default(),
            timeout,
        }
    }

    /// How long a session waits for an answer.
    pub fn timeout(&self) -> SignedDuration {
        self.timeout
    }

    /// Takes the pending question of `id`, if it is open at `now` and belongs
    /// to this household and device. Taking it ends it; the caller puts it
    /// back (with [`Sessions::keep`]) if the conversation goes on.
    pub fn take(
        &self,
        id: &SessionId,
        household: &HouseholdId,
        device: &DeviceId,
        now: Timestamp,
    ) -> Option<Pending> {
        let mut open = self.lock();
        let pending = open.remove(&(household.clone(), device.clone(), id.clone()))?;
        (pending.expires > now).then_some(pending)
    }

    /// Keeps a session open until `now + timeout`.
    pub fn keep(&self, id: SessionId, mut pending: Pending, now: Timestamp) {
        pending.expires = now.saturating_add(self.timeout).unwrap_or(now);
        let mut open = self.lock();
        let sweep = self
            .inserted
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % SWEEP_EVERY
            == 0;
        if sweep || open.len() >= MAX_SESSIONS {
            open.retain(|_, p| p.expires > now);
            if open.len() >= MAX_SESSIONS {
                if let Some(oldest) = open
                    .iter()
                    .min_by_key(|(_, p)| p.expires)
                    .map(|(k, _)| k.clone())
                {
                    open.remove(&oldest);
                }
            }
        }
        open.insert(
            (pending.household.clone(), pending.device.clone(), id),
            pending,
        );
    }

    /// Whether the device's session `id` is open at `now`.
    pub fn is_open(
        &self,
        household: &HouseholdId,
        device: &DeviceId,
        id: &SessionId,
        now: Timestamp,
    ) -> bool {
        self.lock()
            .get(&(household.clone(), device.clone(), id.clone()))
            .is_some_and(|p| p.expires > now)
    }

    /// Forgets every session that expired by `now`; returns how many are left.
    pub fn sweep(&self, now: Timestamp) -> usize {
        let mut open = self.lock();
        open.retain(|_, p| p.expires > now);
        open.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Pending>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use hark_core::IntentName;

    use super::*;

    fn pending(household: &str, device: &str) -> Pending {
        Pending {
            household: HouseholdId::new(household),
            device: DeviceId::new(device),
            intent: Intent {
                name: IntentName::new("HassStartTimer"),
                slots: BTreeMap::new(),
                raw: BTreeMap::new(),
                confidence: 1.0,
                stage: Default::default(),
            },
            expect: Expect::Confirmation,
            retries: 0,
            expires: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_session_expires_after_a_quiet_minute() {
        let sessions = Sessions::new(SignedDuration::from_secs(60));
        let t0: Timestamp = "2026-11-25T08:00:00Z".parse().unwrap();
        let id = SessionId::new("s1");
        sessions.keep(id.clone(), pending("h", "d"), t0);
        assert!(sessions.is_open(
            &HouseholdId::new("h"),
            &DeviceId::new("d"),
            &id,
            t0 + SignedDuration::from_secs(59)
        ));
        assert!(!sessions.is_open(
            &HouseholdId::new("h"),
            &DeviceId::new("d"),
            &id,
            t0 + SignedDuration::from_secs(60)
        ));
        let late = t0 + SignedDuration::from_secs(61);
        assert!(sessions
            .take(&id, &HouseholdId::new("h"), &DeviceId::new("d"), late)
            .is_none());
        assert_eq!(sessions.sweep(late), 0);
    }

    #[test]
    fn only_the_same_household_and_device_continue_a_session() {
        let sessions = Sessions::new(SignedDuration::from_secs(60));
        let t0: Timestamp = "2026-11-25T08:00:00Z".parse().unwrap();
        let id = SessionId::new("s1");
        sessions.keep(id.clone(), pending("h", "d"), t0);
        assert!(sessions
            .take(&id, &HouseholdId::new("other"), &DeviceId::new("d"), t0)
            .is_none());
        assert!(sessions
            .take(&id, &HouseholdId::new("h"), &DeviceId::new("other"), t0)
            .is_none());
        assert!(
            sessions.is_open(&HouseholdId::new("h"), &DeviceId::new("d"), &id, t0),
            "a stranger's attempt leaves the session alone"
        );
        assert!(sessions
            .take(&id, &HouseholdId::new("h"), &DeviceId::new("d"), t0)
            .is_some());
        // Another household choosing the same id has a session of its own.
        sessions.keep(id.clone(), pending("h", "d"), t0);
        sessions.keep(id.clone(), pending("other", "d"), t0);
        assert!(sessions
            .take(&id, &HouseholdId::new("h"), &DeviceId::new("d"), t0)
            .is_some());
        assert!(sessions
            .take(&id, &HouseholdId::new("other"), &DeviceId::new("d"), t0)
            .is_some());
        assert!(
            !sessions.is_open(&HouseholdId::new("h"), &DeviceId::new("d"), &id, t0),
            "taking ends it"
        );
    }
}
