//! Bad input gets a clear answer and writes nothing.

use hark_core::HouseholdId;
use hark_scheduler::{AlarmTime, Recurrence, SchedulerError};
use jiff::civil::Time;
use jiff::SignedDuration;
use serde_json::json;

use crate::support::{t, Harness};

fn invalid(result: hark_scheduler::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(SchedulerError::Invalid(message)) => message,
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}

both! {
    async fn refused_and_nothing_written(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("Europe/Berlin").await;
        let s = &h.scheduler;

        let zero = invalid(s.start_timer(&hh, &dev, SignedDuration::ZERO, None).await);
        assert_eq!(zero, "a timer must run for at least one second");
        let negative = invalid(s.start_timer(&hh, &dev, SignedDuration::from_secs(-5), None).await);
        assert_eq!(negative, zero);
        let long = invalid(s.start_timer(&hh, &dev, SignedDuration::from_hours(400 * 24), None).await);
        assert_eq!(long, "a timer can run for at most 24 hours; for longer, set an alarm or a reminder");
        let named = invalid(s.start_timer(&hh, &dev, SignedDuration::from_secs(60), Some(&"x".repeat(200))).await);
        assert!(named.contains("at most 100 characters"), "{named}");

        // A rule with no weekday cannot even be made.
        let empty = Recurrence::from_json(&json!({"weekdays": [], "time": "07:00"})).unwrap_err();
        assert_eq!(empty, SchedulerError::Invalid("an alarm rule needs at least one day of the week".into()));
        let empty = Recurrence::new(&[], Time::constant(7, 0, 0, 0)).unwrap_err();
        assert!(matches!(empty, SchedulerError::Invalid(_)));

        let past = invalid(s.set_alarm(&hh, &dev, AlarmTime::Once(t(-60)), None).await);
        assert_eq!(past, "that time has already passed");
        let now = invalid(s.add_reminder(&hh, &dev, t(0), "now").await);
        assert_eq!(now, past);
        let far = invalid(s.add_reminder(&hh, &dev, t(400 * 86_400), "next year").await);
        assert_eq!(far, "that is too far ahead: at most 366 days");
        let blank = invalid(s.add_reminder(&hh, &dev, t(60), "   ").await);
        assert_eq!(blank, "a reminder needs something to remind of");
        let snooze = invalid(s.snooze(&hh, &"alm_nosuchitem".into(), Some(SignedDuration::ZERO)).await);
        assert!(snooze.contains("between one second and one day"), "{snooze}");

        // Unknown things are not found.
        let nobody = HouseholdId::new("hh_nosuchhousehold");
        let rule = Recurrence::new(&[jiff::civil::Weekday::Monday], Time::constant(7, 0, 0, 0)).unwrap();
        assert_eq!(s.set_alarm(&nobody, &dev, AlarmTime::Every(rule), None).await.unwrap_err(), SchedulerError::NotFound);
        assert_eq!(s.cancel(&hh, &"tmr_nosuchitem".into()).await.unwrap_err(), SchedulerError::NotFound);
        assert_eq!(s.pause(&hh, &"tmr_nosuchitem".into()).await.unwrap_err(), SchedulerError::NotFound);
        assert_eq!(
            s.start_timer(&hh, &"dev_nosuchdevice".into(), SignedDuration::from_secs(60), None).await.unwrap_err(),
            SchedulerError::NotFound
        );

        assert!(s.items(&hh, None, None).await.unwrap().is_empty());
        assert_eq!(h.at(t(1_000_000)).await.next_wake, None);
    }
}
