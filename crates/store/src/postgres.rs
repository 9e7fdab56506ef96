//! The PostgreSQL engine: one database shared by several hark nodes.
//!
//! A small pool of its own (no extra crate): up to [`POOL_SIZE`] connections, opened on demand
//! and kept while healthy. A call takes a connection for the length of one statement, so that
//! many concurrent calls share few connections and one node never holds more than
//! [`POOL_SIZE`] of the server's. Each connection caches its prepared statements, so a repeated
//! call is one round trip. A connection the server closed is dropped when next taken, and a new
//! one opened in its place.
//!
//! Connections are plain TCP or Unix sockets (`NoTls`): put the database on a private network
//! or a local socket; a URL that demands TLS (`sslmode=require`) fails to connect with a clear
//! error. Commits are PostgreSQL's normal, durable ones.

use std::collections::HashMap;
use std::error::Error;
use std::sync::{Mutex, PoisonError};

use bytes::BytesMut;
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio_postgres::config::Host;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{IsNull, ToSql, Type};
use tokio_postgres::{Client, Config, NoTls, Statement};

use crate::db::{Row, Step, Value};
use crate::error::chain;
use crate::{migrate, Result, StoreError};

/// The most connections one store opens at once.
pub const POOL_SIZE: usize = 8;

pub(crate) struct Db {
    config: Config,
    /// Where the database is, without the password: for messages.
    place: String,
    idle: Mutex<Vec<Conn>>,
    permits: Semaphore,
}

struct Conn {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

/// A connection taken from the pool; it goes back when dropped, if it is still open.
struct Lease<'a> {
    db: &'a Db,
    conn: Option<Conn>,
    _permit: SemaphorePermit<'a>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if !conn.client.is_closed() {
                self.db.idle().push(conn);
            }
        }
    }
}

impl Lease<'_> {
    fn conn(&mut self) -> &mut Conn {
        self.conn
            .as_mut()
            .expect("a lease holds its connection until dropped")
    }
}

impl Db {
    /// Connects to the database at `url` and migrates it.
    pub(crate) async fn open(url: &str) -> Result<Db> {
        let config: Config = url.parse().map_err(|e: tokio_postgres::Error| {
            StoreError::Invalid(format!("not a usable PostgreSQL URL: {}", chain(&e)))
        })?;
        let db = Db {
            place: place(&config),
            config,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(POOL_SIZE),
        };
        let mut lease = db.lease().await?;
        migrate(lease.conn()).await?;
        drop(lease);
        Ok(db)
    }

    /// Where the database is (hosts, port, database name), without credentials.
    pub(crate) fn place(&self) -> &str {
        &self.place
    }

    pub(crate) async fn query(&self, sql: &'static str, params: Vec<Value>) -> Result<Vec<Row>> {
        let mut lease = self.lease().await?;
        let conn = lease.conn();
        let statement = conn.statement(sql).await?;
        let rows = conn
            .client
            .query(&statement, &refs(&params))
            .await
            .map_err(error)?;
        rows.iter().map(row).collect()
    }

    pub(crate) async fn execute(&self, sql: &'static str, params: Vec<Value>) -> Result<u64> {
        let mut lease = self.lease().await?;
        let conn = lease.conn();
        let statement = conn.statement(sql).await?;
        conn.client
            .execute(&statement, &refs(&params))
            .await
            .map_err(error)
    }

    pub(crate) async fn transaction(&self, steps: Vec<Step>) -> Result<bool> {
        let mut lease = self.lease().await?;
        let conn = lease.conn();
        let mut statements = Vec::with_capacity(steps.len());
        for step in &steps {
            statements.push(conn.statement(step.sql).await?);
        }
        let tx = conn.client.transaction().await.map_err(error)?;
        for (step, statement) in steps.iter().zip(&statements) {
            let changed = match tx.execute(statement, &refs(&step.params)).await {
                Ok(changed) => changed,
                Err(e) => {
                    // Roll back now, not when the transaction drops (see `migrate`).
                    let _ = tx.rollback().await;
                    return Err(error(e));
                }
            };
            if step.required && changed == 0 {
                tx.rollback().await.map_err(error)?;
                return Ok(false);
            }
        }
        tx.commit().await.map_err(error)?;
        Ok(true)
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Conn>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn lease(&self) -> Result<Lease<'_>> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Database("the connection pool is closed".into()))?;
        let reused = loop {
            let conn = self.idle().pop();
            match conn {
                Some(conn) if conn.client.is_closed() => continue,
                other => break other,
            }
        };
        let conn = match reused {
            Some(conn) => conn,
            None => self.connect().await?,
        };
        Ok(Lease {
            db: self,
            conn: Some(conn),
            _permit: permit,
        })
    }

    async fn connect(&self) -> Result<Conn> {
        let (client, connection) = self.config.connect(NoTls).await.map_err(|e| {
            StoreError::Database(format!(
                "cannot connect to PostgreSQL at {}: {}",
                self.place,
                chain(&e)
            ))
        })?;
        // The connection task ends when the client is dropped or the server goes away; either
        // way the client reports `is_closed` and the pool lets it go.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(Conn {
            client,
            statements: HashMap::new(),
        })
    }
}

impl Conn {
    async fn statement(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql).await.map_err(error)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }
}

async fn migrate(conn: &mut Conn) -> Result<()> {
    let tx = conn.client.transaction().await.map_err(failed(0))?;
    match apply_migrations(&tx).await {
        Ok(()) => tx.commit().await.map_err(failed(0)),
        Err(e) => {
            // Roll back now rather than when the transaction drops: dropping only queues the
            // rollback, and a failed open drops the whole pool, so the session could sit idle
            // in the transaction, holding its locks, until its connection task next runs.
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn apply_migrations(tx: &tokio_postgres::Transaction<'_>) -> Result<()> {
    // Nodes starting together queue here; the lock is per schema, so stores in different
    // schemas (tests) do not wait for each other. It ends with the transaction.
    tx.batch_execute(
        "SELECT pg_advisory_xact_lock(hashtext('hark-store migrations ' || current_schema()))",
    )
    .await
    .map_err(failed(0))?;
    tx.batch_execute(migrate::CREATE_TABLE)
        .await
        .map_err(failed(0))?;
    let current: i64 = tx
        .query_one(migrate::CURRENT_VERSION, &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(failed(0))?;
    for migration in migrate::pending(current)? {
        let version = migration.version;
        tx.batch_execute(migration.sql)
            .await
            .map_err(failed(version))?;
        tx.execute(
            migrate::RECORD,
            &[&i64::from(version), &migrate::applied_at()],
        )
        .await
        .map_err(failed(version))?;
    }
    Ok(())
}

/// A migration step failed: the error names the migration (0 for the bookkeeping around them).
fn failed(version: u32) -> impl Fn(tokio_postgres::Error) -> StoreError {
    move |e| StoreError::Migration {
        version,
        message: chain(&e),
    }
}

fn place(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|host| match host {
            Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    format!(
        "{}:{}/{}",
        if hosts.is_empty() {
            "localhost".to_owned()
        } else {
            hosts.join(",")
        },
        if ports.is_empty() {
            "5432".to_owned()
        } else {
            ports.join(",")
        },
        config.get_dbname().or(config.get_user()).unwrap_or("")
    )
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

fn row(row: &tokio_postgres::Row) -> Result<Row> {
    let columns = row.columns();
    let mut values = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let ty = column.type_();
        let value = match *ty {
            Type::INT8 => row.try_get::<_, Option<i64>>(i).map(|v| v.map(Value::Int)),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)
                .map(|v| v.map(|n| Value::Int(n.into()))),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map(|v| v.map(Value::Real)),
            Type::TEXT | Type::VARCHAR => row
                .try_get::<_, Option<String>>(i)
                .map(|v| v.map(Value::Text)),
            _ => {
                return Err(StoreError::Database(format!(
                    "column {} has type {ty}, which the store does not read",
                    column.name()
                )))
            }
        };
        values.push(value.map_err(error)?.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(number) => match *ty {
                Type::INT8 => number.to_sql(ty, out),
                Type::INT4 => i32::try_from(*number)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*number)?.to_sql(ty, out),
                _ => Err(format!("an integer cannot go in a {ty} parameter").into()),
            },
            Value::Real(number) => match *ty {
                Type::FLOAT8 => number.to_sql(ty, out),
                _ => Err(format!("a number cannot go in a {ty} parameter").into()),
            },
            Value::Text(text) if <&str as ToSql>::accepts(ty) => text.as_str().to_sql(ty, out),
            Value::Text(_) => Err(format!("text cannot go in a {ty} parameter").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked value by value in `to_sql`, which knows both the value and the type.
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// Constraint failures become the store's own errors; the caller words them for its case.
fn error(e: tokio_postgres::Error) -> StoreError {
    match e.code() {
        Some(&SqlState::UNIQUE_VIOLATION) => StoreError::Conflict("it already exists".into()),
        Some(&SqlState::FOREIGN_KEY_VIOLATION) => StoreError::NotFound,
        _ => StoreError::Database(chain(&e)),
    }
}
