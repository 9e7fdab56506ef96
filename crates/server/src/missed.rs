//! Telling what was missed on a device, at the next answer there.
//!
//! The store keeps missed occurrences not told yet (`Store::missed_untold`).
//! Asking it on every turn would put a database read on the hot path of every
//! conversation, so [`Untold`] remembers, per device, that it was asked and
//! found nothing, for a few seconds; the scheduler's sink on this node forgets
//! that for a device the moment one of its occurrences is missed here. A
//! missed occurrence recorded by another node is told within those seconds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hark_core::skill::MissedView;
use hark_core::{Device, DeviceId, Household, HouseholdId};

use crate::assistant::Reply;
use crate::Server;

/// How long "nothing untold here" is believed without asking the store.
const FRESH: Duration = Duration::from_secs(5);
/// Entries beyond this many make the map start over.
const MAX_DEVICES: usize = 10_000;
/// The most missed occurrences told at once.
const MAX_TOLD: u32 = 100;

/// Which devices were recently found to have nothing untold.
#[derive(Debug, Default)]
pub struct Untold {
    nothing_since: Mutex<HashMap<(HouseholdId, DeviceId), Instant>>,
}

impl Untold {
    /// Whether the store must be asked about this device.
    fn must_ask(&self, household: &HouseholdId, device: &DeviceId) -> bool {
        let key = (household.clone(), device.clone());
        self.lock()
            .get(&key)
            .is_none_or(|since| since.elapsed() >= FRESH)
    }

    /// The device has nothing untold now.
    fn nothing(&self, household: &HouseholdId, device: &DeviceId) {
        let mut map = self.lock();
        if map.len() >= MAX_DEVICES {
            map.clear();
        }
        map.insert((household.clone(), device.clone()), Instant::now());
    }

    /// An occurrence of the device was just missed: ask the store next time.
    pub fn missed(&self, household: &HouseholdId, device: &DeviceId) {
        self.lock().remove(&(household.clone(), device.clone()));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(HouseholdId, DeviceId), Instant>> {
        self.nothing_since
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Server {
    /// Adds to `reply` what was missed on `device` and not told yet, and
    /// records it as told. Not after "stop" (which wants silence) or a
    /// question (whose answer is awaited): those leave it for the next turn.
    /// A failure here costs the notice, never the answer.
    pub(crate) async fn tell_missed(
        &self,
        household: &Household,
        device: &Device,
        reply: &mut Reply,
    ) {
        let untold = self.events.untold();
        if reply.speech.is_empty()
            || reply.expects_reply
            || !untold.must_ask(&household.id, &device.id)
        {
            return;
        }
        let store = &self.store;
        let missed = match store
            .missed_untold(&household.id, &device.id, MAX_TOLD)
            .await
        {
            Ok(missed) if missed.is_empty() => {
                untold.nothing(&household.id, &device.id);
                return;
            }
            Ok(missed) => missed,
            Err(error) => {
                tracing::warn!(%error, "reading what was missed");
                return;
            }
        };
        let views: Vec<MissedView> = missed
            .iter()
            .map(|firing| MissedView {
                kind: firing.kind.to_string(),
                name: firing.name.clone(),
                label: firing.label.clone(),
                text: firing.text.clone(),
                due: firing.due_at,
            })
            .collect();
        let Some(notice) = self.assistant.missed_notice(household, device, &views) else {
            return;
        };
        let ids: Vec<_> = missed.into_iter().map(|firing| firing.id).collect();
        match store.mark_told(&household.id, &ids, self.clock.now()).await {
            // More than one call's worth may wait: only a short list is sure to be all.
            Ok(()) if ids.len() < MAX_TOLD as usize => untold.nothing(&household.id, &device.id),
            Ok(()) => {}
            // Told again next time rather than never.
            Err(error) => tracing::warn!(%error, "recording what was missed as told"),
        }
        reply.speech = format!("{} {notice}", reply.speech);
    }
}
