//! What outlives a store: reopening, migrations, several stores on one database.

use hark_store::{Scope, Store, StoreError, SCHEMA_VERSION};

use crate::support::{t, DEFAULT_POSTGRES_URL};

both! {
    async fn reopening_keeps_everything(fx: &Fixture) {
        let home = fx.store.create_household("Home", "Europe/Paris", None, t(0)).await.unwrap();
        let kitchen = fx.store.add_device(&home.id, "kitchen", t(1)).await.unwrap();
        let (token, text) = fx.store.create_token(&home.id, "", Scope::Admin, t(2)).await.unwrap();
        let (old, old_text) = fx.store.create_token(&home.id, "", Scope::Admin, t(3)).await.unwrap();
        assert!(fx.store.revoke_token(&home.id, &old.id, t(4)).await.unwrap());

        let reopened = fx.open_again().await.unwrap();
        assert_eq!(reopened.households().await.unwrap(), vec![home.clone()]);
        assert_eq!(reopened.devices(&home.id).await.unwrap(), vec![kitchen]);
        assert_eq!(reopened.authenticate(&text).await.unwrap(), Some(token));
        assert_eq!(reopened.authenticate(&old_text).await.unwrap(), None);
        assert_eq!(reopened.tokens(&home.id).await.unwrap().len(), 2);
    }

    async fn migrations_run_once(fx: &Fixture) {
        assert_eq!(fx.store.schema_version().await.unwrap(), SCHEMA_VERSION);
        fx.store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        for _ in 0..3 {
            let again = fx.open_again().await.unwrap();
            assert_eq!(again.schema_version().await.unwrap(), SCHEMA_VERSION);
            assert_eq!(again.households().await.unwrap().len(), 1);
        }
        let versions = fx.raw("SELECT version FROM schema_migrations ORDER BY version").await;
        let expected: Vec<String> = (1..=SCHEMA_VERSION).map(|v| v.to_string()).collect();
        assert_eq!(versions, expected);
    }

    async fn nodes_starting_together_migrate_once(fx: &Fixture) {
        // Back to an empty database, then several stores open it at the same moment.
        fx.raw("DROP TABLE players").await;
        // The music library (0006).
        fx.raw("DROP TABLE music_playlist_entries").await;
        fx.raw("DROP TABLE music_playlists").await;
        fx.raw("DROP TABLE music_tracks").await;
        fx.raw("DROP TABLE music_libraries").await;
        fx.raw("DROP TABLE music_skipped").await;
        fx.raw("DROP TABLE list_items").await;
        fx.raw("DROP TABLE lists").await;
        fx.raw("DROP TABLE first_household").await;
        fx.raw("DROP TABLE scheduled_firings").await;
        fx.raw("DROP TABLE scheduled_items").await;
        fx.raw("DROP TABLE tokens").await;
        fx.raw("DROP TABLE devices").await;
        fx.raw("DROP TABLE households").await;
        fx.raw("DROP TABLE schema_migrations").await;
        let opening: Vec<_> = (0..4)
            .map(|_| {
                let url = fx.url();
                tokio::spawn(async move { Store::open(&url).await })
            })
            .collect();
        let mut stores = Vec::new();
        for task in opening {
            stores.push(task.await.unwrap().unwrap());
        }
        let versions = fx.raw("SELECT version FROM schema_migrations ORDER BY version").await;
        let expected: Vec<String> = (1..=SCHEMA_VERSION).map(|v| v.to_string()).collect();
        assert_eq!(versions, expected);
        let home = stores[0].create_household("Home", "UTC", None, t(0)).await.unwrap();
        assert_eq!(stores[3].household(&home.id).await.unwrap(), Some(home));
    }

    async fn a_newer_schema_is_refused(fx: &Fixture) {
        let newer = SCHEMA_VERSION + 1;
        fx.raw(&format!(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ({newer}, 0)"
        ))
        .await;
        let error = fx.open_again().await.unwrap_err();
        match &error {
            StoreError::Migration { version, message } => {
                assert_eq!(*version, newer);
                assert!(message.contains("newer than this build"), "{message}");
            }
            other => panic!("expected a migration error, got {other:?}"),
        }
        assert!(error.to_string().contains(&newer.to_string()), "{error}");
    }

    async fn a_second_store_sees_the_first_ones_writes(fx: &Fixture) {
        // Two nodes on one database (or two processes on one SQLite file).
        let node_a = &fx.store;
        let node_b = fx.open_again().await.unwrap();
        let home = node_a.create_household("Home", "UTC", None, t(0)).await.unwrap();
        assert_eq!(node_b.household(&home.id).await.unwrap(), Some(home.clone()));
        let kitchen = node_b.add_device(&home.id, "kitchen", t(1)).await.unwrap();
        assert_eq!(node_a.device(&home.id, &kitchen.id).await.unwrap(), Some(kitchen));
        let error = node_a.add_device(&home.id, "Kitchen", t(2)).await.unwrap_err();
        assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");
        let (token, text) = node_a.create_token(&home.id, "", Scope::Admin, t(3)).await.unwrap();
        assert_eq!(node_b.authenticate(&text).await.unwrap(), Some(token.clone()));
        assert!(node_b.revoke_token(&home.id, &token.id, t(4)).await.unwrap());
        assert_eq!(node_a.authenticate(&text).await.unwrap(), None);
    }

    async fn open_picks_the_engine(fx: &Fixture) {
        let expected = match fx.kind {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        };
        assert_eq!(fx.store.backend_name(), expected);
        assert_eq!(fx.store.clone().backend_name(), expected);
        let debug = format!("{:?}", fx.store);
        assert!(debug.starts_with(&format!("Store {{ {expected}")), "{debug}");
    }
}

#[tokio::test]
async fn sqlite_creates_its_folder_and_uses_the_write_ahead_log() {
    let folder =
        std::env::temp_dir().join(format!("hark-store-{}", crate::support::random_suffix()));
    let path = folder.join("a").join("b").join("hark.db");
    for open in [
        path.display().to_string(),
        format!("sqlite:{}", path.display()),
    ] {
        let store = Store::open(&open).await.unwrap();
        assert_eq!(store.backend_name(), "sqlite");
        store
            .create_household("Home", "UTC", None, t(0))
            .await
            .unwrap();
    }
    let store = Store::open_sqlite(&path).await.unwrap();
    assert_eq!(store.households().await.unwrap().len(), 2);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop((store, conn));
    std::fs::remove_dir_all(&folder).unwrap();
}

#[tokio::test]
async fn open_refuses_what_it_cannot_use() {
    for url in ["", "sqlite:", "mysql://localhost/hark"] {
        let error = Store::open(url).await.unwrap_err();
        assert!(
            matches!(error, StoreError::Invalid(_)),
            "{url:?}: {error:?}"
        );
    }
    let error = Store::open("postgres://postgres@127.0.0.1:1/test")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Database(message) if message.contains("cannot connect to PostgreSQL at 127.0.0.1:1/test")),
        "{error:?}"
    );
    let error = Store::open("postgres://user:hunter2@127.0.0.1:1/test")
        .await
        .unwrap_err();
    assert!(!error.to_string().contains("hunter2"), "{error}");
    // Keep the default URL in one place: the fixture's.
    assert!(DEFAULT_POSTGRES_URL.starts_with("postgres://"));
}
