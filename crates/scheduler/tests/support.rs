//! A store in a place of its own for each test (as hark-store's tests do it), a manual clock,
//! and a sink that records what it is given.
//!
//! SQLite: a database file in a new folder under the system's temporary folder. PostgreSQL:
//! a new schema `hark_t_<random>` in the database at `HARK_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), reached with `options=-csearch_path=...`, so
//! tests run in parallel without seeing each other. Both are removed when the fixture drops,
//! whether the test passed or not.

use std::path::PathBuf;

use std::sync::{Arc, Mutex};

use hark_core::{DeviceId, HouseholdId, ManualClock};
use hark_scheduler::{BoxFuture, Config, DeliveryError, FiredSink, Firing, FiringId, Scheduler};
use hark_store::Store;
use jiff::Timestamp;

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The engine a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// Where a test's database lives.
enum Place {
    Sqlite { folder: PathBuf },
    Postgres { base_url: String, schema: String },
}

pub struct Fixture {
    /// The engine, for a test that must tell them apart.
    #[allow(dead_code)]
    pub kind: Kind,
    pub store: Store,
    place: Place,
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

/// A random lower-case name part.
pub fn random_suffix() -> String {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).unwrap();
    bytes
        .iter()
        .map(|b| char::from(b"abcdefghijklmnopqrstuvwxyz234567"[usize::from(b & 31)]))
        .collect()
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
            if *self.refuse.lock().unwrap() {
                return Err(DeliveryError("refused by the test".into()));
            }
            self.got.lock().unwrap().push(firing.clone());
            self.delivered.notify_one();
            Ok(())
        })
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
        let place = match kind {
            Kind::Sqlite => {
                let folder = std::env::temp_dir().join(format!("hark-store-{}", random_suffix()));
                Place::Sqlite { folder }
            }
            Kind::Postgres => {
                let base_url = std::env::var("HARK_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
                let admin = connect(&base_url).await;
                let schema = format!("hark_t_{}", random_suffix());
                admin
                    .batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .await
                    .unwrap_or_else(|e| panic!("creating schema {schema}: {e:?}"));
                Place::Postgres { base_url, schema }
            }
        };
        let store = Store::open(&place.url())
            .await
            .unwrap_or_else(|e| panic!("opening {}: {e}", place.url()));
        Fixture { kind, store, place }
    }

    /// Opens another store on the same database: a restart, or a second node.
    pub async fn open_again(&self) -> hark_store::Result<Store> {
        Store::open(&self.url()).await
    }

    /// What [`Store::open`] takes to reach this fixture's database.
    pub fn url(&self) -> String {
        self.place.url()
    }
}

impl Place {
    fn url(&self) -> String {
        match self {
            Place::Sqlite { folder } => format!("sqlite:{}", folder.join("hark.db").display()),
            Place::Postgres {
                base_url, schema, ..
            } => {
                let glue = if base_url.contains('?') { '&' } else { '?' };
                format!("{base_url}{glue}options=-csearch_path%3D{schema}")
            }
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        match &self.place {
            Place::Sqlite { folder } => {
                let _ = std::fs::remove_dir_all(folder);
            }
            Place::Postgres {
                base_url, schema, ..
            } => {
                // Drop cannot await: drop the schema from a thread with a runtime of its own.
                let (url, schema) = (base_url.clone(), schema.clone());
                let dropped = std::thread::spawn(move || {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap()
                        .block_on(async {
                            let admin = connect(&url).await;
                            // A session left holding a lock would otherwise hang the test.
                            admin
                                .batch_execute(&format!(
                                    "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {schema} CASCADE"
                                ))
                                .await
                        })
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    eprintln!("could not drop test schema: {dropped:?}");
                }
            }
        }
    }
}

/// A plain connection for the test's own bookkeeping; fails the test, saying how to start
/// PostgreSQL, when it is not running.
async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = match tokio_postgres::connect(url, tokio_postgres::NoTls).await {
        Ok(pair) => pair,
        Err(e) => panic!(
            "PostgreSQL is not reachable at {url} ({e}{}). The store's tests need it: start it \
             with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, \
             or point HARK_TEST_POSTGRES_URL at a running server (trust auth, database exists)",
            std::error::Error::source(&e)
                .map(|cause| format!(": {cause}"))
                .unwrap_or_default()
        ),
    };
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
}
