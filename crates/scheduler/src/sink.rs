//! Where fired items go: the [`FiredSink`] seam.
//!
//! The run loop hands each firing to a sink and acknowledges it in the store once the sink
//! accepts it. The server's sink turns a firing into an event for its device (waiting for the
//! device if it is offline); tests' sinks record what they get.

use std::future::Future;
use std::pin::Pin;

use hark_store::Firing;

/// A boxed future, so that [`FiredSink`] can be used as a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Receives what fired (or was missed): the firing names its household, device and item.
///
/// A firing may be delivered more than once (after a crash between delivery and its
/// acknowledgement); its [`Firing::id`] is the same each time, so a sink that must act once
/// keeps the id and drops a repeat.
pub trait FiredSink: Send + Sync + 'static {
    /// Takes one firing. `Ok` once the sink has it durably (or has acted on it); `Err` leaves
    /// the firing undelivered, to be offered again on a later pass.
    fn deliver<'a>(&'a self, firing: &'a Firing) -> BoxFuture<'a, Result<(), DeliveryError>>;

    /// Hears that a ring ended ([`Firing::ended_by`] says why), so that the device stops
    /// sounding. Best effort, after the end is stored: a device that does not hear it stops by
    /// itself at [`Firing::ring_until`], which its firing carried.
    fn ring_ended(&self, firing: &Firing) {
        let _ = firing;
    }
}

/// Why a sink could not take a firing now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the sink refused the firing: {0}")]
pub struct DeliveryError(pub String);
