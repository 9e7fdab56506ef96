//! API tokens: created once, kept as a hash, authenticated, listed, revoked.

use hark_core::{DeviceId, HouseholdId, TokenId};
use hark_store::{Scope, StoreError};

use crate::support::t;

both! {
    async fn create_authenticate_list(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let kitchen = store.add_device(&home.id, "kitchen", t(1)).await.unwrap();

        let (admin, admin_text) = store
            .create_token(&home.id, "Alice's phone", Scope::Admin, t(2))
            .await
            .unwrap();
        assert_eq!(admin.household, home.id);
        assert_eq!(admin.label, "Alice's phone");
        assert_eq!(admin.scope, Scope::Admin);
        assert_eq!(admin.revoked_at, None);
        assert_eq!(admin_text.len(), 68, "{}", admin.id);
        assert!(admin_text.starts_with(&format!("hark_{}_", admin.id)));

        let (speaker, speaker_text) = store
            .create_token(&home.id, "", Scope::Device(kitchen.id.clone()), t(3))
            .await
            .unwrap();
        assert_eq!(speaker.scope, Scope::Device(kitchen.id.clone()));
        assert_ne!(speaker.id, admin.id);

        assert_eq!(store.authenticate(&admin_text).await.unwrap(), Some(admin.clone()));
        assert_eq!(store.authenticate(&speaker_text).await.unwrap(), Some(speaker.clone()));
        assert_eq!(store.tokens(&home.id).await.unwrap(), vec![admin, speaker]);
    }

    async fn only_a_hash_of_the_secret_is_stored(fx: &Fixture) {
        let home = fx.store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let (_, text) = fx.store.create_token(&home.id, "", Scope::Admin, t(1)).await.unwrap();
        let secret = text.rsplit('_').next().unwrap();
        let stored = fx.raw("SELECT secret_sha256 FROM tokens").await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].len(), 64);
        assert!(!stored[0].contains(secret));
        let everything = fx.raw("SELECT id || label || scope || secret_sha256 FROM tokens").await;
        assert!(!everything[0].contains(secret));
    }

    async fn revoked_tokens_stop_working(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let (token, text) = store.create_token(&home.id, "old", Scope::Admin, t(1)).await.unwrap();
        let (kept, kept_text) = store.create_token(&home.id, "new", Scope::Admin, t(2)).await.unwrap();

        assert!(store.revoke_token(&home.id, &token.id, t(10)).await.unwrap());
        assert_eq!(store.authenticate(&text).await.unwrap(), None);
        assert_eq!(store.authenticate(&kept_text).await.unwrap(), Some(kept.clone()));
        // A second revocation changes nothing, and keeps the first time.
        assert!(!store.revoke_token(&home.id, &token.id, t(20)).await.unwrap());
        assert!(!store
            .revoke_token(&home.id, &TokenId::new("aaaaaaaaaa"), t(20))
            .await
            .unwrap());

        let listed = store.tokens(&home.id).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].id, token.id);
        assert_eq!(
            listed[0].revoked_at.map(|at| at.as_millisecond()),
            Some(t(10).as_millisecond())
        );
        assert_eq!(listed[1], kept);
    }

    async fn malformed_and_wrong_tokens_do_not_authenticate(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let (token, text) = store.create_token(&home.id, "", Scope::Admin, t(1)).await.unwrap();
        let (_, other_text) = store.create_token(&home.id, "", Scope::Admin, t(2)).await.unwrap();

        let wrong_secret = format!("hark_{}_{}", token.id, other_text.rsplit('_').next().unwrap());
        let last = text.chars().last().unwrap();
        let one_char_off = format!(
            "{}{}",
            &text[..text.len() - 1],
            if last == 'a' { 'b' } else { 'a' }
        );
        let garbage = "hark_".repeat(2048);
        for bad in [
            "",
            "hark_",
            "hark__",
            &garbage,
            &"\u{0}".repeat(68),
            &wrong_secret,
            &one_char_off,
            &text.to_uppercase(),
            &format!(" {text}"),
            &format!("{text}\n"),
            &text[..text.len() - 1],
            &format!("hark_{}_{}", token.id, "a".repeat(52)),
            &format!("hark_aaaaaaaaaa_{}", "a".repeat(52)),
        ] {
            assert_eq!(store.authenticate(bad).await.unwrap(), None, "{bad:?}");
        }
        assert_eq!(store.authenticate(&text).await.unwrap(), Some(token));
    }

    async fn device_scopes_follow_their_device(fx: &Fixture) {
        let store = &fx.store;
        let home = store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let error = store
            .create_token(&home.id, "", Scope::Device(DeviceId::new("dev_nosuchdevice")), t(1))
            .await
            .unwrap_err();
        assert_eq!(error, StoreError::NotFound);
        let error = store
            .create_token(&HouseholdId::new("hh_nosuchhousehold"), "", Scope::Admin, t(1))
            .await
            .unwrap_err();
        assert_eq!(error, StoreError::NotFound);

        let kitchen = store.add_device(&home.id, "kitchen", t(2)).await.unwrap();
        let (_, text) = store
            .create_token(&home.id, "", Scope::Device(kitchen.id.clone()), t(3))
            .await
            .unwrap();
        let (admin, admin_text) = store.create_token(&home.id, "", Scope::Admin, t(4)).await.unwrap();
        assert!(store.authenticate(&text).await.unwrap().is_some());
        // Removing the device removes its tokens, and only those.
        assert!(store.remove_device(&home.id, &kitchen.id).await.unwrap());
        assert_eq!(store.authenticate(&text).await.unwrap(), None);
        assert_eq!(store.tokens(&home.id).await.unwrap(), vec![admin.clone()]);
        assert_eq!(store.authenticate(&admin_text).await.unwrap(), Some(admin));
    }

    async fn labels_are_checked(fx: &Fixture) {
        let home = fx.store.create_household("Home", "UTC", None, t(0)).await.unwrap();
        let error = fx
            .store
            .create_token(&home.id, "bad\u{1b}[31m", Scope::Admin, t(1))
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
        assert!(fx.store.tokens(&home.id).await.unwrap().is_empty());
    }
}

#[test]
fn scopes_serialize_plainly() {
    assert_eq!(serde_json::to_string(&Scope::Admin).unwrap(), r#""admin""#);
    let device = Scope::Device(DeviceId::new("dev_abc"));
    let json = serde_json::to_string(&device).unwrap();
    assert_eq!(json, r#"{"device":"dev_abc"}"#);
    assert_eq!(serde_json::from_str::<Scope>(&json).unwrap(), device);
}
