//! A store in a place of its own for each test (as hark-store's tests do it), a manual clock,
//! and a sink that records what it is given.
//!
//! SQLite: a database file in a new folder under the system's temporary folder. PostgreSQL:
//! a new schema `hark_t_<random>` in the database at `HARK_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), reached with `options=-csearch_path=...`, so
//! tests run in parallel without seeing each other. Both are removed when the fixture drops,
//! whether the test passed or not.

use std::sync::{Arc, Mutex};

use hark_core::{DeviceId, HouseholdId, ManualClock};
use hark_scheduler::{BoxFuture, Config, DeliveryError, FiredSink, Firing, FiringId, Scheduler};
use hark_store::Store;
use jiff::Timestamp;

use hark_testkit::TestDatabase;
pub use hark_testkit::{random_suffix, Kind};

pub struct Fixture {
    /// The engine, for a test that must tell them apart.
    #[allow(dead_code)]
    pub kind: Kind,
    pub store: Store,
    database: TestDatabase,
}

/// Runs each test body once per engine: `mod name { fn sqlite(); fn postgres(); }`.
macro_rules! both {
    ($(async fn $name:ident($fx:ident: &Fixture) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                use $crate::support::{Fixture, Kind};

                async fn body($fx: &Fixture) $body

                #[tokio::test]
                async fn sqlite() {
                    let fixture = Fixture::new(Kind::Sqlite).await;
                    body(&fixture).await;
                }

                #[tokio::test]
                async fn postgres() {
                    let fixture = Fixture::new(Kind::Postgres).await;
                    body(&fixture).await;
                }
            }
        )*
    };
}

/// 2026-01-01T00:00:00Z plus `seconds`.
pub fn t(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_767_225_600 + seconds).unwrap()
}

/// Records every delivery, repeats included; can be told to refuse.
#[derive(Default)]
pub struct RecordingSink {
    pub got: Mutex<Vec<Firing>>,
    pub refuse: Mutex<bool>,
    /// Refuses only this device's firings (it is offline).
    pub offline: Mutex<Option<hark_core::DeviceId>>,
    /// Every ring that ended, as the sink heard of it.
    pub ended: Mutex<Vec<Firing>>,
    /// Signalled on every delivery, for the driver's test.
    pub delivered: tokio::sync::Notify,
}

impl RecordingSink {
    pub fn all(&self) -> Vec<Firing> {
        self.got.lock().unwrap().clone()
    }

    pub fn ids(&self) -> Vec<FiringId> {
        self.all().into_iter().map(|f| f.id).collect()
    }
}

impl FiredSink for RecordingSink {
    fn deliver<'a>(&'a self, firing: &'a Firing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async move {
            let offline = self.offline.lock().unwrap().as_ref() == Some(&firing.device);
            if *self.refuse.lock().unwrap() || offline {
                return Err(DeliveryError("refused by the test".into()));
            }
            self.got.lock().unwrap().push(firing.clone());
            self.delivered.notify_one();
            Ok(())
        })
    }

    fn ring_ended(&self, firing: &Firing) {
        self.ended.lock().unwrap().push(firing.clone());
    }
}

/// A scheduler, its clock and its sink, over a fixture's database.
pub struct Harness {
    pub scheduler: Scheduler,
    pub clock: Arc<ManualClock>,
    pub sink: Arc<RecordingSink>,
}

impl Harness {
    /// A scheduler on the fixture's own store, its clock at `t(0)`.
    pub fn new(fx: &Fixture) -> Harness {
        Harness::on(fx.store.clone(), Arc::new(ManualClock::new(t(0))))
    }

    /// A scheduler on `store`, reading `clock`, with a fresh sink: a restarted process.
    pub fn on(store: Store, clock: Arc<ManualClock>) -> Harness {
        let sink = Arc::new(RecordingSink::default());
        let scheduler = Scheduler::new(store, clock.clone(), sink.clone(), Config::default());
        Harness {
            scheduler,
            clock,
            sink,
        }
    }

    /// A new process on the same database and clock: a fresh store, scheduler and sink.
    pub async fn restart(&self, fx: &Fixture) -> Harness {
        Harness::on(fx.open_again().await.unwrap(), self.clock.clone())
    }

    /// Sets the clock and makes one pass.
    pub async fn at(&self, time: Timestamp) -> hark_scheduler::Tick {
        self.clock.set(time);
        self.scheduler.tick().await.unwrap()
    }

    /// A household in `zone` with one device.
    pub async fn home(&self, zone: &str) -> (HouseholdId, DeviceId) {
        let store = self.scheduler.store();
        let household = store
            .create_household("Home", zone, None, t(0))
            .await
            .unwrap();
        let device = store
            .add_device(&household.id, "kitchen", t(0))
            .await
            .unwrap();
        (household.id, device.id)
    }
}

impl Fixture {
    pub async fn new(kind: Kind) -> Fixture {
        let database = TestDatabase::new(kind, "hark-scheduler").await;
        let store = Store::open(&database.url())
            .await
            .unwrap_or_else(|e| panic!("opening {}: {e}", database.url()));
        Fixture {
            kind,
            store,
            database,
        }
    }

    /// Opens another store on the same database: a restart, or a second node.
    pub async fn open_again(&self) -> hark_store::Result<Store> {
        Store::open(&self.url()).await
    }

    /// What [`Store::open`] takes to reach this fixture's database.
    pub fn url(&self) -> String {
        self.database.url()
    }
}
