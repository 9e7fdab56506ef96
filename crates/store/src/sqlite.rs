//! The SQLite engine: one file in the data folder, the default for a single node.
//!
//! One connection behind a mutex, and every statement runs on tokio's blocking pool
//! (`spawn_blocking`), so a slow disk never stalls the async runtime. One connection means one
//! writer, which is all SQLite allows anyway, and reads queue behind writes; hark's load (a few
//! statements per utterance, tokens cached by the server) is far below what that serves. A pool
//! of read connections is the step to take if a profile ever says otherwise.
//!
//! Durability: write-ahead logging with `synchronous=FULL`, so a statement that returned has
//! reached the disk, and survives a power cut, not only a crash of hark. `foreign_keys=ON`
//! enforces the schema's references (SQLite leaves them off by default), and `busy_timeout`
//! lets a second process on the same file (`hark` CLI next to the server) wait its turn instead
//! of failing.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{ffi, Connection, TransactionBehavior};

use crate::db::{Row, Step, Value};
use crate::error::chain;
use crate::{migrate, Result, StoreError};

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct Db {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl Db {
    /// Opens (creating it and its folder if needed) and migrates the database at `path`.
    pub(crate) async fn open(path: &Path) -> Result<Db> {
        let owned = path.to_owned();
        let conn = tokio::task::spawn_blocking(move || open_blocking(&owned))
            .await
            .map_err(|e| StoreError::Database(format!("opening SQLite failed: {e}")))??;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
            path: path.to_owned(),
        })
    }

    /// The database file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) async fn query(&self, sql: &'static str, params: Vec<Value>) -> Result<Vec<Row>> {
        self.run(move |conn| {
            let mut statement = conn.prepare_cached(&placeholders(sql))?;
            let columns = statement.column_count();
            let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let values = (0..columns)
                    .map(|i| row.get_ref(i).map(value))
                    .collect::<rusqlite::Result<rusqlite::Result<Vec<_>>>>()??;
                out.push(Row(values));
            }
            Ok(out)
        })
        .await
    }

    pub(crate) async fn execute(&self, sql: &'static str, params: Vec<Value>) -> Result<u64> {
        self.run(move |conn| {
            let mut statement = conn.prepare_cached(&placeholders(sql))?;
            let changed = statement.execute(rusqlite::params_from_iter(params.iter()))?;
            Ok(changed as u64)
        })
        .await
    }

    pub(crate) async fn transaction(&self, steps: Vec<Step>) -> Result<bool> {
        self.run(move |conn| {
            // IMMEDIATE: take the write lock before the first read, so the steps see and
            // change the rows as one writer.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for step in &steps {
                let changed = tx
                    .prepare_cached(&placeholders(step.sql))?
                    .execute(rusqlite::params_from_iter(step.params.iter()))?;
                if step.required && changed == 0 {
                    tx.rollback()?;
                    return Ok(false);
                }
            }
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    /// Runs `work` with the connection on the blocking pool.
    async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic while the lock was held cannot leave a half-done write behind: every
            // call is one statement or one transaction, which SQLite commits or rolls back
            // whole (a transaction dropped by a panic rolls back).
            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut conn).map_err(error)
        })
        .await
        .map_err(|e| StoreError::Database(format!("SQLite task failed: {e}")))?
    }
}

fn open_blocking(path: &Path) -> Result<Connection> {
    let shown = path.display();
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| {
            StoreError::Database(format!(
                "cannot create the folder {}: {e}",
                folder.display()
            ))
        })?;
    }
    let opened =
        |e: rusqlite::Error| StoreError::Database(format!("cannot open {shown}: {}", chain(&e)));
    let mut conn = Connection::open(path).map_err(opened)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(opened)?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(opened)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Database(format!(
            "cannot use write-ahead logging on {shown} (journal mode stays {mode:?})"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(opened)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(opened)?;
    conn.set_prepared_statement_cache_capacity(64);
    migrate_blocking(&mut conn)?;
    Ok(conn)
}

fn migrate_blocking(conn: &mut Connection) -> Result<()> {
    let failed = |version: u32| {
        move |e: rusqlite::Error| StoreError::Migration {
            version,
            message: chain(&e),
        }
    };
    // IMMEDIATE takes the write lock at once: two processes opening a new file cannot both
    // decide to apply the same migration.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(failed(0))?;
    tx.execute_batch(migrate::CREATE_TABLE).map_err(failed(0))?;
    let current: i64 = tx
        .query_row(migrate::CURRENT_VERSION, [], |row| row.get(0))
        .map_err(failed(0))?;
    for migration in migrate::pending(current)? {
        let version = migration.version;
        tx.execute_batch(migration.sql).map_err(failed(version))?;
        tx.execute(
            &placeholders(migrate::RECORD),
            (i64::from(version), migrate::applied_at()),
        )
        .map_err(failed(version))?;
    }
    tx.commit().map_err(failed(0))
}

/// `$1` (PostgreSQL) to `?1` (SQLite); the statements contain no other `$`.
fn placeholders(sql: &str) -> String {
    sql.replace('$', "?")
}

fn value(value: ValueRef<'_>) -> rusqlite::Result<Value> {
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(number) => Value::Int(number),
        ValueRef::Real(number) => Value::Real(number),
        ValueRef::Text(bytes) => Value::Text(
            std::str::from_utf8(bytes)
                .map_err(rusqlite::Error::Utf8Error)?
                .to_owned(),
        ),
        ValueRef::Blob(_) => {
            return Err(rusqlite::Error::InvalidColumnType(
                0,
                "blob".into(),
                rusqlite::types::Type::Blob,
            ))
        }
    })
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(number) => ValueRef::Integer(*number),
            Value::Real(number) => ValueRef::Real(*number),
            Value::Text(text) => ValueRef::Text(text.as_bytes()),
        }))
    }
}

/// Constraint failures become the store's own errors; the caller words them for its case.
fn error(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(failure, _) = &e {
        match failure.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                return StoreError::Conflict("it already exists".into())
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => return StoreError::NotFound,
            _ => {}
        }
    }
    StoreError::Database(chain(&e))
}
