//! One statement, two engines.
//!
//! Almost every store call is a single SQL statement (an insert, a select, an update with
//! `RETURNING`), so the call is atomic on its own and the code above this module is written
//! once for both engines. The few that must change two tables at once (marking a scheduled item
//! fired and recording the firing) run a fixed list of [`Step`]s in one transaction. Statements use PostgreSQL's `$1` placeholders; the SQLite side rewrites
//! them to `?1`, which SQLite binds by the same number. Values cross this seam as [`Value`]: the
//! three column types the schema uses (BIGINT, DOUBLE PRECISION, TEXT) and NULL.

use crate::{postgres, sqlite, Result, StoreError};

/// A parameter or a column value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Text(text)
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Self {
        Value::Int(number)
    }
}

impl From<f64> for Value {
    fn from(number: f64) -> Self {
        Value::Real(number)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

/// The values of one result row, in the order the statement selects them.
#[derive(Debug)]
pub(crate) struct Row(pub(crate) Vec<Value>);

impl Row {
    fn get(&self, column: usize) -> Result<&Value> {
        self.0
            .get(column)
            .ok_or_else(|| StoreError::Database(format!("result has no column {column}")))
    }

    pub(crate) fn text(&self, column: usize) -> Result<String> {
        self.opt_text(column)?
            .ok_or_else(|| unexpected(column, "text, found NULL"))
    }

    pub(crate) fn opt_text(&self, column: usize) -> Result<Option<String>> {
        match self.get(column)? {
            Value::Null => Ok(None),
            Value::Text(text) => Ok(Some(text.clone())),
            other => Err(unexpected(column, &format!("text, found {other:?}"))),
        }
    }

    pub(crate) fn int(&self, column: usize) -> Result<i64> {
        self.opt_int(column)?
            .ok_or_else(|| unexpected(column, "an integer, found NULL"))
    }

    pub(crate) fn opt_int(&self, column: usize) -> Result<Option<i64>> {
        match self.get(column)? {
            Value::Null => Ok(None),
            Value::Int(number) => Ok(Some(*number)),
            other => Err(unexpected(column, &format!("an integer, found {other:?}"))),
        }
    }

    pub(crate) fn opt_real(&self, column: usize) -> Result<Option<f64>> {
        match self.get(column)? {
            Value::Null => Ok(None),
            Value::Real(number) => Ok(Some(*number)),
            // SQLite may hand back a whole REAL as an integer.
            Value::Int(number) => Ok(Some(*number as f64)),
            other => Err(unexpected(column, &format!("a number, found {other:?}"))),
        }
    }
}

fn unexpected(column: usize, what: &str) -> StoreError {
    StoreError::Database(format!("column {column} of a stored row: expected {what}"))
}

/// One statement of a transaction.
#[derive(Debug)]
pub(crate) struct Step {
    pub(crate) sql: &'static str,
    pub(crate) params: Vec<Value>,
    /// If this statement changes no row, the whole transaction is rolled back: that is how a
    /// step says "only if the row is still as I read it".
    pub(crate) required: bool,
}

/// The engine behind a [`crate::Store`].
// One per store, behind an `Arc`: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Backend {
    Sqlite(sqlite::Db),
    Postgres(postgres::Db),
}

impl Backend {
    /// Runs a statement and returns its rows.
    pub(crate) async fn query(&self, sql: &'static str, params: Vec<Value>) -> Result<Vec<Row>> {
        match self {
            Backend::Sqlite(db) => db.query(sql, params).await,
            Backend::Postgres(db) => db.query(sql, params).await,
        }
    }

    /// Runs a statement and returns how many rows it changed.
    pub(crate) async fn execute(&self, sql: &'static str, params: Vec<Value>) -> Result<u64> {
        match self {
            Backend::Sqlite(db) => db.execute(sql, params).await,
            Backend::Postgres(db) => db.execute(sql, params).await,
        }
    }

    /// Runs the steps in one transaction. `Ok(false)`: a required step changed no row, and
    /// nothing was written. `Ok(true)`: every step ran and the transaction committed.
    pub(crate) async fn transaction(&self, steps: Vec<Step>) -> Result<bool> {
        match self {
            Backend::Sqlite(db) => db.transaction(steps).await,
            Backend::Postgres(db) => db.transaction(steps).await,
        }
    }
}
