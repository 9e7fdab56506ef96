//! The schema's migrations, shared by both engines.
//!
//! Each migration is a numbered SQL file in `crates/store/migrations/`, embedded at build time
//! and written in the SQL that both SQLite and PostgreSQL accept. `schema_migrations` records
//! which have run. Opening a store applies the missing ones, in order, in one transaction that
//! also holds a lock (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: an advisory lock per schema), so
//! several nodes starting at once apply each migration exactly once. A database whose schema is
//! newer than this code is refused rather than used: old code could misread new data.

use crate::{Result, StoreError};

/// One migration.
pub(crate) struct Migration {
    pub(crate) version: u32,
    pub(crate) sql: &'static str,
}

/// Every migration, in order. Versions are 1, 2, 3, ... with no gaps; never edit one that has
/// been released, add the next.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("../migrations/0001_households_devices_tokens.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../migrations/0002_scheduled_items.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("../migrations/0003_first_household.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("../migrations/0004_ringing.sql"),
    },
    // Shopping, to-do and named lists.
    Migration {
        version: 5,
        sql: include_str!("../migrations/0005_lists.sql"),
    },
    // The music library.
    Migration {
        version: 6,
        sql: include_str!("../migrations/0006_music.sql"),
    },
    // Each device's player: queue, position, state, volume.
    Migration {
        version: 7,
        sql: include_str!("../migrations/0007_players.sql"),
    },
    // The household's weather units.
    Migration {
        version: 8,
        sql: include_str!("../migrations/0008_household_units.sql"),
    },
];

/// The schema version this code writes and reads.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// Creates the bookkeeping table; runs inside the migration transaction.
pub(crate) const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
     version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";

/// The database's current version.
pub(crate) const CURRENT_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

/// Records that a migration ran.
pub(crate) const RECORD: &str =
    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)";

/// The migrations a database at version `current` still needs.
pub(crate) fn pending(current: i64) -> Result<&'static [Migration]> {
    let version = u32::try_from(current).map_err(|_| StoreError::Migration {
        version: 0,
        message: format!("schema_migrations holds an impossible version {current}"),
    })?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::Migration {
            version,
            message: format!(
                "the database's schema is newer than this build of hark, which knows versions \
                 up to {SCHEMA_VERSION}; run the newer hark that upgraded it, or restore a backup"
            ),
        });
    }
    Ok(&MIGRATIONS[version as usize..])
}

/// When a migration ran, for people reading `schema_migrations`. This is bookkeeping, not
/// logic, so it reads the system clock instead of taking an injected one.
pub(crate) fn applied_at() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one() {
        for (i, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version as usize, i + 1);
        }
    }

    #[test]
    fn pending_skips_applied_and_refuses_newer() {
        assert_eq!(pending(0).unwrap().len(), MIGRATIONS.len());
        assert!(pending(i64::from(SCHEMA_VERSION)).unwrap().is_empty());
        let newer = i64::from(SCHEMA_VERSION) + 1;
        assert!(matches!(
            pending(newer),
            Err(StoreError::Migration { version, .. }) if i64::from(version) == newer
        ));
        assert!(pending(-1).is_err());
    }
}
