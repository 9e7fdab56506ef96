//! A database of its own for each test, on either engine hark supports.
//!
//! SQLite: a database file in a new folder under the system's temporary
//! folder. PostgreSQL: a new schema `hark_t_<random>` in the database at
//! `HARK_TEST_POSTGRES_URL` (default [`DEFAULT_POSTGRES_URL`]), reached with
//! `options=-csearch_path=...`, so tests run in parallel without seeing each
//! other. Both are removed when the [`TestDatabase`] drops, whether the test
//! passed or not. A PostgreSQL that is not running fails the test with the
//! command that starts it: tests never skip silently.
//!
//! [`SplitMix`] is the seeded generator of the crash tests' random choices, so
//! that a failure can be replayed from its seed.

#![deny(missing_docs)]

use std::path::PathBuf;

/// Where the tests find PostgreSQL unless `HARK_TEST_POSTGRES_URL` says otherwise.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The engine a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL schema.
    Postgres,
}

/// A test's own, empty database; removed on drop.
pub struct TestDatabase {
    /// Its engine.
    pub kind: Kind,
    place: Place,
}

enum Place {
    Sqlite {
        folder: PathBuf,
    },
    Postgres {
        base_url: String,
        schema: String,
        admin: tokio_postgres::Client,
    },
}

/// A random lower-case name part.
pub fn random_suffix() -> String {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).expect("the system has a random number generator");
    bytes
        .iter()
        .map(|b| char::from(b"abcdefghijklmnopqrstuvwxyz234567"[usize::from(b & 31)]))
        .collect()
}

impl TestDatabase {
    /// A new empty database of `kind`; `prefix` names the SQLite folder.
    pub async fn new(kind: Kind, prefix: &str) -> TestDatabase {
        let place = match kind {
            Kind::Sqlite => Place::Sqlite {
                folder: std::env::temp_dir().join(format!("{prefix}-{}", random_suffix())),
            },
            Kind::Postgres => {
                let base_url = std::env::var("HARK_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
                let admin = connect(&base_url).await;
                let schema = format!("hark_t_{}", random_suffix());
                admin
                    .batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .await
                    .unwrap_or_else(|e| panic!("creating schema {schema}: {e:?}"));
                Place::Postgres {
                    base_url,
                    schema,
                    admin,
                }
            }
        };
        TestDatabase { kind, place }
    }

    /// What `hark_store::Store::open` takes to reach this database.
    pub fn url(&self) -> String {
        match &self.place {
            Place::Sqlite { folder } => format!("sqlite:{}", folder.join("hark.db").display()),
            Place::Postgres {
                base_url, schema, ..
            } => {
                let glue = if base_url.contains('?') { '&' } else { '?' };
                format!("{base_url}{glue}options=-csearch_path%3D{schema}")
            }
        }
    }

    /// Runs SQL on the database behind the store's back, and returns the
    /// first column of each row as text.
    pub async fn raw(&self, sql: &str) -> Vec<String> {
        match &self.place {
            Place::Sqlite { folder } => {
                let conn = rusqlite::Connection::open(folder.join("hark.db")).unwrap();
                let mut statement = conn.prepare(sql).unwrap();
                let columns = statement.column_count();
                let mut rows = statement.query([]).unwrap();
                let mut out = Vec::new();
                while let Some(row) = rows.next().unwrap() {
                    if columns > 0 {
                        let value: rusqlite::types::Value = row.get(0).unwrap();
                        out.push(match value {
                            rusqlite::types::Value::Integer(n) => n.to_string(),
                            rusqlite::types::Value::Text(text) => text,
                            other => format!("{other:?}"),
                        });
                    }
                }
                out
            }
            Place::Postgres { schema, admin, .. } => admin
                .simple_query(&format!("SET search_path TO {schema}; {sql}"))
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
                .iter()
                .filter_map(|message| match message {
                    tokio_postgres::SimpleQueryMessage::Row(row) => {
                        Some(row.get(0).unwrap_or("NULL").to_owned())
                    }
                    _ => None,
                })
                .collect(),
        }
    }
}

impl Drop for TestDatabase {
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
                    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
                        let admin = connect(&url).await;
                        // A session left holding a lock would otherwise hang the test.
                        admin
                            .batch_execute(&format!("SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {schema} CASCADE"))
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

/// A plain connection for a test's own bookkeeping; fails the test, saying
/// how to start PostgreSQL, when it is not running.
pub async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = match tokio_postgres::connect(url, tokio_postgres::NoTls).await {
        Ok(pair) => pair,
        Err(e) => panic!(
            "PostgreSQL is not reachable at {url} ({e}{}). hark's tests need it: start it \
             with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` \
             (scripts/setup.sh does), or point HARK_TEST_POSTGRES_URL at a running server \
             (trust auth, database exists)",
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

/// A small seeded generator (splitmix64): a test's random choices are the same
/// on every run with the same seed.
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next number below `bound` (which must not be 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % bound
    }
}
