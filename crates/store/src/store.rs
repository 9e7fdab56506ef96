//! [`Store`]: the API, written once over both engines (the scheduled items' part of it is in
//! `schedule.rs`).
//!
//! Every method is one SQL statement, and every statement that touches a household's devices or
//! tokens names the household in its `WHERE` clause (or, for inserts, in a reference the schema
//! checks), so asking with household B for something of household A finds nothing. The one
//! lookup that is not by household is [`Store::authenticate`]: it is how a request learns its
//! household in the first place.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use hark_core::weather::Units;
use hark_core::{Device, DeviceId, Household, HouseholdId, Location, TokenId};
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::db::{Backend, Row, Step, Value};
use crate::types::{Founded, HouseholdUpdate, NewHousehold, Scope, TokenInfo};
use crate::{postgres, sqlite, token, Result, StoreError};

/// hark's durable store: households, devices and API tokens, in SQLite or PostgreSQL.
///
/// Cheap to clone (the clones share the database connection or pool) and safe to use from
/// many tasks at once. Every write has been committed durably when its method returns.
#[derive(Clone)]
pub struct Store {
    pub(crate) inner: Arc<Backend>,
}

/// Names, labels: at most this many characters.
const MAX_NAME_CHARS: usize = 100;

macro_rules! household_columns {
    () => {
        "id, name, time_zone, location_name, latitude, longitude, created_at, units"
    };
}

macro_rules! device_columns {
    () => {
        "id, household_id, name, created_at"
    };
}

macro_rules! token_columns {
    () => {
        "id, household_id, label, scope, device_id, created_at, revoked_at"
    };
}

impl Store {
    /// Opens a store from a URL or a path: `postgres://...` or `postgresql://...` for
    /// PostgreSQL; `sqlite:PATH`, `sqlite://PATH` or a plain path for SQLite.
    pub async fn open(url_or_path: &str) -> Result<Store> {
        if url_or_path.starts_with("postgres://") || url_or_path.starts_with("postgresql://") {
            return Store::open_postgres(url_or_path).await;
        }
        let path = url_or_path
            .strip_prefix("sqlite://")
            .or_else(|| url_or_path.strip_prefix("sqlite:"))
            .unwrap_or(url_or_path);
        if let Some((scheme, _)) = path.split_once("://") {
            return Err(StoreError::Invalid(format!(
                "unsupported database URL scheme {scheme:?}: use postgres://..., sqlite:PATH or a file path"
            )));
        }
        if path.is_empty() {
            return Err(StoreError::Invalid("no database path given".into()));
        }
        Store::open_sqlite(Path::new(path)).await
    }

    /// Opens the SQLite database at `path`, creating the file and its folder if needed, and
    /// brings its schema up to date.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
        let db = sqlite::Db::open(path).await?;
        Ok(Store::from(Backend::Sqlite(db)))
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://user@host:port/db?...`,
    /// libpq's URL form) and brings its schema up to date. Connections are pooled, up to
    /// [`crate::POSTGRES_POOL_SIZE`]; the schema goes where the connection's `search_path`
    /// points (`options=-csearch_path=NAME` picks one).
    pub async fn open_postgres(url: &str) -> Result<Store> {
        let db = postgres::Db::open(url).await?;
        Ok(Store::from(Backend::Postgres(db)))
    }

    fn from(backend: Backend) -> Store {
        Store {
            inner: Arc::new(backend),
        }
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        match *self.inner {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// The schema version of the database: [`crate::SCHEMA_VERSION`] once open.
    pub async fn schema_version(&self) -> Result<u32> {
        let rows = self
            .inner
            .query(crate::migrate::CURRENT_VERSION, Vec::new())
            .await?;
        let version = one(rows)?.int(0)?;
        u32::try_from(version)
            .map_err(|_| StoreError::Database(format!("impossible schema version {version}")))
    }

    // Households.

    /// Creates a household. `time_zone` must be an IANA name this system knows
    /// (`Europe/Paris`); the name is trimmed and must not be empty.
    pub async fn create_household(
        &self,
        name: &str,
        time_zone: &str,
        location: Option<Location>,
        now: Timestamp,
    ) -> Result<Household> {
        let household = Household {
            id: HouseholdId::new(token::household_id()?),
            name: clean_name("a household's name", name)?,
            time_zone: check_zone(time_zone)?,
            location: location.map(check_location).transpose()?,
            units: Units::default(),
            created_at: to_millisecond(now)?,
        };
        let (place, latitude, longitude) = location_values(household.location.as_ref());
        self.inner
            .execute(
                concat!(
                    "INSERT INTO households (",
                    household_columns!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                ),
                vec![
                    household.id.as_str().into(),
                    household.name.as_str().into(),
                    household.time_zone.as_str().into(),
                    place,
                    latitude,
                    longitude,
                    millis(household.created_at),
                    household.units.as_str().into(),
                ],
            )
            .await?;
        Ok(household)
    }

    /// Creates a household with its first device and an admin token, all in one transaction:
    /// either everything is written or nothing is.
    pub async fn create_household_with_admin(
        &self,
        household: NewHousehold<'_>,
        now: Timestamp,
    ) -> Result<Founded> {
        self.found(household, now, false).await?.ok_or_else(|| {
            StoreError::Database("the new household's transaction wrote nothing".into())
        })
    }

    /// Like [`Store::create_household_with_admin`], but only if this database never had a first
    /// household: of several processes starting on an empty database at once, exactly one gets
    /// `Some`, the others `None`.
    pub async fn create_first_household(
        &self,
        household: NewHousehold<'_>,
        now: Timestamp,
    ) -> Result<Option<Founded>> {
        self.found(household, now, true).await
    }

    async fn found(
        &self,
        new: NewHousehold<'_>,
        now: Timestamp,
        first: bool,
    ) -> Result<Option<Founded>> {
        let created_at = to_millisecond(now)?;
        let household = Household {
            id: HouseholdId::new(token::household_id()?),
            name: clean_name("a household's name", new.name)?,
            time_zone: check_zone(new.time_zone)?,
            location: new.location.cloned().map(check_location).transpose()?,
            units: Units::default(),
            created_at,
        };
        let device = Device {
            id: DeviceId::new(token::device_id()?),
            household: household.id.clone(),
            name: clean_name("a device's name", new.device)?,
            created_at,
        };
        let label = clean_label(new.token_label)?;
        let (token_id, text) = token::new_token()?;
        let info = TokenInfo {
            id: TokenId::new(token_id),
            household: household.id.clone(),
            label,
            scope: Scope::Admin,
            created_at,
            revoked_at: None,
        };
        let (place, latitude, longitude) = location_values(household.location.as_ref());
        let mut steps = vec![Step {
            sql: concat!(
                "INSERT INTO households (",
                household_columns!(),
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            ),
            params: vec![
                household.id.as_str().into(),
                household.name.as_str().into(),
                household.time_zone.as_str().into(),
                place,
                latitude,
                longitude,
                millis(household.created_at),
                household.units.as_str().into(),
            ],
            required: true,
        }];
        steps.push(Step {
            sql: concat!(
                "INSERT INTO devices (",
                device_columns!(),
                ", name_key) VALUES ($1, $2, $3, $4, $5)"
            ),
            params: vec![
                device.id.as_str().into(),
                household.id.as_str().into(),
                device.name.as_str().into(),
                millis(device.created_at),
                name_key(&device.name).into(),
            ],
            required: true,
        });
        steps.push(Step {
            sql: concat!(
                "INSERT INTO tokens (",
                token_columns!(),
                ", secret_sha256) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)"
            ),
            params: vec![
                info.id.as_str().into(),
                household.id.as_str().into(),
                info.label.as_str().into(),
                "admin".into(),
                Option::<&str>::None.into(),
                millis(info.created_at),
                token::hash(&text).into(),
            ],
            required: true,
        });
        if first {
            // Last, once the household it refers to exists; changing no row (another process
            // was first) rolls everything back.
            steps.push(Step {
                sql: "INSERT INTO first_household (id, household_id) VALUES (1, $1) ON CONFLICT DO NOTHING",
                params: vec![household.id.as_str().into()],
                required: true,
            });
        }
        if !self.inner.transaction(steps).await? {
            return Ok(None);
        }
        Ok(Some(Founded {
            household,
            device,
            token: info,
            secret: text,
        }))
    }

    /// The household with this id, if there is one.
    pub async fn household(&self, id: &HouseholdId) -> Result<Option<Household>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    household_columns!(),
                    " FROM households WHERE id = $1"
                ),
                vec![id.as_str().into()],
            )
            .await?;
        rows.first().map(household).transpose()
    }

    /// Every household, oldest first.
    pub async fn households(&self) -> Result<Vec<Household>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    household_columns!(),
                    " FROM households ORDER BY created_at, id"
                ),
                Vec::new(),
            )
            .await?;
        rows.iter().map(household).collect()
    }

    /// Changes a household's settings and returns it as stored; [`StoreError::NotFound`] if
    /// there is no such household.
    pub async fn update_household(
        &self,
        id: &HouseholdId,
        update: HouseholdUpdate,
    ) -> Result<Household> {
        let name = update
            .name
            .map(|name| clean_name("a household's name", &name))
            .transpose()?;
        let time_zone = update.time_zone.map(|zone| check_zone(&zone)).transpose()?;
        let location = update
            .location
            .map(|location| location.map(check_location).transpose())
            .transpose()?;
        let (place, latitude, longitude) =
            location_values(location.as_ref().and_then(Option::as_ref));
        let rows = self
            .inner
            .query(
                concat!(
                    "UPDATE households SET ",
                    "name = COALESCE($2, name), ",
                    "time_zone = COALESCE($3, time_zone), ",
                    "location_name = CASE WHEN CAST($4 AS BIGINT) = 1 THEN CAST($5 AS TEXT) ELSE location_name END, ",
                    "latitude = CASE WHEN CAST($4 AS BIGINT) = 1 THEN CAST($6 AS DOUBLE PRECISION) ELSE latitude END, ",
                    "longitude = CASE WHEN CAST($4 AS BIGINT) = 1 THEN CAST($7 AS DOUBLE PRECISION) ELSE longitude END, ",
                    "units = COALESCE(CAST($8 AS TEXT), units) ",
                    "WHERE id = $1 RETURNING ",
                    household_columns!()
                ),
                vec![
                    id.as_str().into(),
                    name.into(),
                    time_zone.into(),
                    Value::Int(location.is_some().into()),
                    place,
                    latitude,
                    longitude,
                    update.units.map(Units::as_str).into(),
                ],
            )
            .await?;
        rows.first()
            .map(household)
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    // Devices.

    /// Adds a device to a household. Its name is trimmed, must not be empty, and must differ
    /// from the household's other devices' names regardless of case
    /// ([`StoreError::Conflict`]); [`StoreError::NotFound`] if there is no such household.
    pub async fn add_device(
        &self,
        household: &HouseholdId,
        name: &str,
        now: Timestamp,
    ) -> Result<Device> {
        let device = Device {
            id: DeviceId::new(token::device_id()?),
            household: household.clone(),
            name: clean_name("a device's name", name)?,
            created_at: to_millisecond(now)?,
        };
        self.inner
            .execute(
                concat!(
                    "INSERT INTO devices (",
                    device_columns!(),
                    ", name_key) VALUES ($1, $2, $3, $4, $5)"
                ),
                vec![
                    device.id.as_str().into(),
                    household.as_str().into(),
                    device.name.as_str().into(),
                    millis(device.created_at),
                    name_key(&device.name).into(),
                ],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!(
                    "this household already has a device named {:?}",
                    device.name
                )),
                e => e,
            })?;
        Ok(device)
    }

    /// The device with this id, if it belongs to this household.
    pub async fn device(&self, household: &HouseholdId, id: &DeviceId) -> Result<Option<Device>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    device_columns!(),
                    " FROM devices WHERE household_id = $1 AND id = $2"
                ),
                vec![household.as_str().into(), id.as_str().into()],
            )
            .await?;
        rows.first().map(device).transpose()
    }

    /// The household's device with this name, compared as [`Store::add_device`] does.
    pub async fn device_by_name(
        &self,
        household: &HouseholdId,
        name: &str,
    ) -> Result<Option<Device>> {
        let Ok(name) = clean_name("a device's name", name) else {
            return Ok(None);
        };
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    device_columns!(),
                    " FROM devices WHERE household_id = $1 AND name_key = $2"
                ),
                vec![household.as_str().into(), name_key(&name).into()],
            )
            .await?;
        rows.first().map(device).transpose()
    }

    /// The household's devices, by name.
    pub async fn devices(&self, household: &HouseholdId) -> Result<Vec<Device>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    device_columns!(),
                    " FROM devices WHERE household_id = $1 ORDER BY name_key, id"
                ),
                vec![household.as_str().into()],
            )
            .await?;
        rows.iter().map(device).collect()
    }

    /// Removes a device of this household, and with it the tokens scoped to it; false if the
    /// household has no such device.
    pub async fn remove_device(&self, household: &HouseholdId, id: &DeviceId) -> Result<bool> {
        let removed = self
            .inner
            .execute(
                "DELETE FROM devices WHERE household_id = $1 AND id = $2",
                vec![household.as_str().into(), id.as_str().into()],
            )
            .await?;
        Ok(removed > 0)
    }

    // Tokens.

    /// Creates a token for a household and returns it with its text, `hark_<id>_<secret>`.
    /// The text is not stored (only its SHA-256 hash) and cannot be shown again.
    /// [`StoreError::NotFound`] if there is no such household, or a device scope names a
    /// device that is not the household's.
    pub async fn create_token(
        &self,
        household: &HouseholdId,
        label: &str,
        scope: Scope,
        now: Timestamp,
    ) -> Result<(TokenInfo, String)> {
        let label = clean_label(label)?;
        let (id, text) = token::new_token()?;
        let info = TokenInfo {
            id: TokenId::new(id),
            household: household.clone(),
            label,
            scope,
            created_at: to_millisecond(now)?,
            revoked_at: None,
        };
        let (scope_name, device_id) = match &info.scope {
            Scope::Admin => ("admin", None),
            Scope::Device(device) => ("device", Some(device.as_str())),
        };
        self.inner
            .execute(
                concat!(
                    "INSERT INTO tokens (",
                    token_columns!(),
                    ", secret_sha256) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)"
                ),
                vec![
                    info.id.as_str().into(),
                    household.as_str().into(),
                    info.label.as_str().into(),
                    scope_name.into(),
                    device_id.into(),
                    millis(info.created_at),
                    token::hash(&text).into(),
                ],
            )
            .await?;
        Ok((info, text))
    }

    /// The token whose text this is, if it is well formed, known and not revoked; `None`
    /// otherwise, whatever the reason, so a caller cannot tell a wrong secret from a wrong id.
    pub async fn authenticate(&self, text: &str) -> Result<Option<TokenInfo>> {
        let Some(id) = token::parse(text) else {
            return Ok(None);
        };
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    token_columns!(),
                    ", secret_sha256 FROM tokens WHERE id = $1"
                ),
                vec![id.into()],
            )
            .await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        if !token::same_hash(&row.text(7)?, &token::hash(text)) {
            return Ok(None);
        }
        let info = token_info(row)?;
        Ok(info.revoked_at.is_none().then_some(info))
    }

    /// The household's tokens, revoked ones included, oldest first.
    pub async fn tokens(&self, household: &HouseholdId) -> Result<Vec<TokenInfo>> {
        let rows = self
            .inner
            .query(
                concat!(
                    "SELECT ",
                    token_columns!(),
                    " FROM tokens WHERE household_id = $1 ORDER BY created_at, id"
                ),
                vec![household.as_str().into()],
            )
            .await?;
        rows.iter().map(token_info).collect()
    }

    /// Revokes a token of this household as of `now`; false if the household has no such
    /// token or it was already revoked (the first revocation's time is kept).
    pub async fn revoke_token(
        &self,
        household: &HouseholdId,
        id: &TokenId,
        now: Timestamp,
    ) -> Result<bool> {
        let revoked = self
            .inner
            .execute(
                "UPDATE tokens SET revoked_at = $3 \
                 WHERE household_id = $1 AND id = $2 AND revoked_at IS NULL",
                vec![
                    household.as_str().into(),
                    id.as_str().into(),
                    millis(to_millisecond(now)?),
                ],
            )
            .await?;
        Ok(revoked > 0)
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Store");
        match &*self.inner {
            Backend::Sqlite(db) => out.field("sqlite", &db.path()),
            Backend::Postgres(db) => out.field("postgres", &db.place()),
        };
        out.finish()
    }
}

pub(crate) fn one(rows: Vec<Row>) -> Result<Row> {
    rows.into_iter()
        .next()
        .ok_or_else(|| StoreError::Database("the statement returned no row".into()))
}

fn household(row: &Row) -> Result<Household> {
    let location = match (row.opt_text(3)?, row.opt_real(4)?, row.opt_real(5)?) {
        (Some(name), Some(latitude), Some(longitude)) => Some(Location {
            name,
            latitude,
            longitude,
        }),
        _ => None,
    };
    Ok(Household {
        id: HouseholdId::new(row.text(0)?),
        name: row.text(1)?,
        time_zone: row.text(2)?,
        location,
        created_at: timestamp(row.int(6)?)?,
        units: Units::parse(&row.text(7)?).ok_or_else(|| {
            StoreError::Database(
                "a stored household has units other than metric or imperial".into(),
            )
        })?,
    })
}

fn device(row: &Row) -> Result<Device> {
    Ok(Device {
        id: DeviceId::new(row.text(0)?),
        household: HouseholdId::new(row.text(1)?),
        name: row.text(2)?,
        created_at: timestamp(row.int(3)?)?,
    })
}

fn token_info(row: &Row) -> Result<TokenInfo> {
    let scope = match (row.text(3)?.as_str(), row.opt_text(4)?) {
        ("admin", None) => Scope::Admin,
        ("device", Some(device)) => Scope::Device(DeviceId::new(device)),
        (other, _) => {
            return Err(StoreError::Database(format!(
                "a stored token has an unknown scope {other:?}"
            )))
        }
    };
    Ok(TokenInfo {
        id: TokenId::new(row.text(0)?),
        household: HouseholdId::new(row.text(1)?),
        label: row.text(2)?,
        scope,
        created_at: timestamp(row.int(5)?)?,
        revoked_at: row.opt_int(6)?.map(timestamp).transpose()?,
    })
}

fn location_values(location: Option<&Location>) -> (Value, Value, Value) {
    match location {
        Some(location) => (
            location.name.as_str().into(),
            location.latitude.into(),
            location.longitude.into(),
        ),
        None => (Value::Null, Value::Null, Value::Null),
    }
}

/// Times are stored as milliseconds; the records returned carry the stored value, so what a
/// write returns equals what a later read finds.
pub(crate) fn to_millisecond(time: Timestamp) -> Result<Timestamp> {
    Timestamp::from_millisecond(time.as_millisecond())
        .map_err(|e| StoreError::Invalid(format!("time {time} cannot be stored: {e}")))
}

pub(crate) fn millis(time: Timestamp) -> Value {
    Value::Int(time.as_millisecond())
}

pub(crate) fn timestamp(millisecond: i64) -> Result<Timestamp> {
    Timestamp::from_millisecond(millisecond).map_err(|e| {
        StoreError::Database(format!(
            "a stored time ({millisecond} ms) is out of range: {e}"
        ))
    })
}

/// A name as stored: trimmed, inner runs of white space made one space, not empty, no control
/// characters, at most [`MAX_NAME_CHARS`] characters.
fn clean_name(what: &str, name: &str) -> Result<String> {
    let name = clean_text(what, name)?;
    if name.is_empty() {
        return Err(StoreError::Invalid(format!("{what} must not be empty")));
    }
    Ok(name)
}

/// A token's label: as a name, but it may be empty.
fn clean_label(label: &str) -> Result<String> {
    clean_text("a token's label", label)
}

pub(crate) fn clean_text(what: &str, text: &str) -> Result<String> {
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(StoreError::Invalid(format!(
            "{what} must not contain control characters"
        )));
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::Invalid(format!(
            "{what} must be at most {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(text)
}

/// What device names are compared by: "Kitchen" and "kitchen" are the same device.
fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// The zone's name as the zone database spells it; [`StoreError::Invalid`] if unknown.
fn check_zone(name: &str) -> Result<String> {
    let zone = TimeZone::get(name).map_err(|_| {
        StoreError::Invalid(format!(
            "unknown time zone {name:?}: use an IANA name such as \"Europe/Paris\""
        ))
    })?;
    Ok(zone.iana_name().unwrap_or(name).to_owned())
}

fn check_location(location: Location) -> Result<Location> {
    let name = clean_name("a location's name", &location.name)?;
    if !(-90.0..=90.0).contains(&location.latitude) {
        return Err(StoreError::Invalid(format!(
            "latitude {} is not between -90 and 90",
            location.latitude
        )));
    }
    if !(-180.0..=180.0).contains(&location.longitude) {
        return Err(StoreError::Invalid(format!(
            "longitude {} is not between -180 and 180",
            location.longitude
        )));
    }
    Ok(Location { name, ..location })
}
