//! A store in a place of its own for each test.
//!
//! SQLite: a database file in a new folder under the system's temporary folder. PostgreSQL:
//! a new schema `hark_t_<random>` in the database at `HARK_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), reached with `options=-csearch_path=...`, so
//! tests run in parallel without seeing each other. Both are removed when the fixture drops,
//! whether the test passed or not.

use hark_store::Store;
use jiff::Timestamp;

use hark_testkit::TestDatabase;
pub use hark_testkit::{random_suffix, Kind, DEFAULT_POSTGRES_URL};

pub struct Fixture {
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

/// A fixed instant with a sub-millisecond part, to check that times come back as stored.
pub fn t(seconds: i64) -> Timestamp {
    Timestamp::new(1_767_225_600 + seconds, 123_456_789).unwrap()
}

impl Fixture {
    pub async fn new(kind: Kind) -> Fixture {
        let database = TestDatabase::new(kind, "hark-store").await;
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

    /// Runs SQL on the database behind the store's back, and returns the first column of
    /// each row as text.
    pub async fn raw(&self, sql: &str) -> Vec<String> {
        self.database.raw(sql).await
    }
}
