//! Events for devices: what fired goes to the device it belongs to.
//!
//! A device listens on `GET /v1/events` (server-sent events). The scheduler's
//! run loop hands every firing to [`DeviceEvents`] (its [`FiredSink`]); the
//! firing is acknowledged in the store only once a live connection of that
//! device took it. A device that is offline refuses nothing and loses nothing:
//! its firings stay in the store's outbox and are offered again on the next
//! passes of the loop, so they arrive as soon as the device listens again.
//!
//! A firing may arrive twice (the loop delivers at least once: after a crash
//! between delivery and acknowledgement it delivers again); each event carries
//! the firing's stable `id`, and a device drops an id it has already rung.
//!
//! Two kinds of event, as JSON in the `data` of an SSE message:
//!
//! - `fired`: ring (outcome `fired`) until `ring_until`, or tell that it was
//!   missed (outcome `missed`).
//! - `ring_ended`: stop ringing the firing `id`; `reason` is `stopped`,
//!   `snoozed`, `cancelled` or `unanswered`. Sent once, to the connections
//!   open at that moment: a device that was away stops by itself at the
//!   `ring_until` its `fired` event carried.

use std::collections::HashMap;
use std::sync::Mutex;

use hark_core::DeviceId;
use hark_scheduler::{BoxFuture, DeliveryError, FiredSink};
use hark_store::{Firing, FiringOutcome};

use crate::missed::Untold;
use serde_json::{json, Value};
use tokio::sync::mpsc;

/// How many events may wait in one connection before it counts as stalled.
const QUEUE: usize = 64;
/// The most connections one device may hold open at once.
const MAX_CONNECTIONS_PER_DEVICE: usize = 8;

/// The live connections of every device, and the sink that feeds them.
#[derive(Debug, Default)]
pub struct DeviceEvents {
    listeners: Mutex<HashMap<DeviceId, Vec<mpsc::Sender<Value>>>>,
    /// Told here of every occurrence missed on this node, so that the next
    /// answer on its device asks the store.
    untold: Untold,
}

impl DeviceEvents {
    /// Which devices may have missed occurrences to tell.
    pub fn untold(&self) -> &Untold {
        &self.untold
    }

    /// A new connection of `device`; events arrive on the receiver until it
    /// is dropped. `None` when the device already has too many open.
    pub fn listen(&self, device: &DeviceId) -> Option<mpsc::Receiver<Value>> {
        let mut listeners = self.lock();
        let open = listeners.entry(device.clone()).or_default();
        open.retain(|sender| !sender.is_closed());
        if open.len() >= MAX_CONNECTIONS_PER_DEVICE {
            return None;
        }
        let (sender, receiver) = mpsc::channel(QUEUE);
        open.push(sender);
        Some(receiver)
    }

    /// Sends `event` to every live connection of `device`; how many took it.
    pub fn send(&self, device: &DeviceId, event: &Value) -> usize {
        let mut listeners = self.lock();
        let Some(open) = listeners.get_mut(device) else {
            return 0;
        };
        open.retain(|sender| !sender.is_closed());
        open.iter()
            .filter(|sender| sender.try_send(event.clone()).is_ok())
            .count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<DeviceId, Vec<mpsc::Sender<Value>>>> {
        self.listeners.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The event a device gets for a firing.
pub fn firing_event(firing: &Firing) -> Value {
    json!({
        "type": "fired",
        "id": firing.id,
        "item": firing.item,
        "kind": firing.kind,
        "outcome": firing.outcome,
        "name": firing.name,
        "label": firing.label,
        "sound": firing.sound,
        "text": firing.text,
        "due_at": firing.due_at,
        "ring_until": firing.ring_until,
    })
}

/// The event a device gets when a ring ends.
pub fn ring_ended_event(firing: &Firing) -> Value {
    json!({
        "type": "ring_ended",
        "id": firing.id,
        "item": firing.item,
        "kind": firing.kind,
        "reason": firing.ended_by,
    })
}

impl FiredSink for DeviceEvents {
    fn deliver<'a>(&'a self, firing: &'a Firing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async move {
            if firing.outcome == FiringOutcome::Missed {
                self.untold.missed(&firing.household, &firing.device);
            }
            match self.send(&firing.device, &firing_event(firing)) {
                0 => Err(DeliveryError(format!(
                    "device {} is not listening",
                    firing.device
                ))),
                _ => Ok(()),
            }
        })
    }

    fn ring_ended(&self, firing: &Firing) {
        if firing.outcome == FiringOutcome::Missed {
            self.untold.missed(&firing.household, &firing.device);
        }
        self.send(&firing.device, &ring_ended_event(firing));
    }
}
