//! Alarms and reminders: one-off and weekly, snooze, and daylight-saving change days driven
//! through the loop.

use hark_core::{DeviceId, HouseholdId};
use hark_scheduler::{AlarmTime, ItemKind, ItemState, Recurrence, SchedulerError};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::support::{t, Harness};

fn daily(time: &str) -> Recurrence {
    Recurrence::from_json(&json!({
        "weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        "time": time,
    }))
    .unwrap()
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// Sets a daily alarm at `time` at `from`, then runs the loop at each occurrence `n` times;
/// returns when each rang, local time with offset.
async fn ring_daily(
    h: &Harness,
    hh: &HouseholdId,
    dev: &DeviceId,
    zone: &str,
    time: &str,
    from: &str,
    n: usize,
) -> Vec<String> {
    h.clock.set(at(from));
    let alarm = h
        .scheduler
        .set_alarm(hh, dev, AlarmTime::Every(daily(time)), Some("wake up"))
        .await
        .unwrap();
    assert_eq!(alarm.time_zone.as_deref(), Some(zone));
    let zone = TimeZone::get(zone).unwrap();
    let mut rang = Vec::new();
    for _ in 0..n {
        let due = h
            .scheduler
            .item(hh, &alarm.id)
            .await
            .unwrap()
            .unwrap()
            .due_at;
        // A minute before: nothing.
        assert!(h
            .at(due - SignedDuration::from_mins(1))
            .await
            .recorded
            .is_empty());
        let tick = h.at(due).await;
        assert_eq!(tick.recorded.len(), 1, "at {due}");
        rang.push(due.to_zoned(zone.clone()).strftime("%F %T%:z").to_string());
    }
    let item = h.scheduler.item(hh, &alarm.id).await.unwrap().unwrap();
    assert_eq!(
        (item.state, item.fire_count),
        (ItemState::Pending, n as i64)
    );
    h.scheduler.cancel(hh, &alarm.id).await.unwrap();
    rang
}

both! {
    async fn one_off_alarm_and_reminder(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("Europe/Paris").await;
        let s = &h.scheduler;
        let alarm = s.set_alarm(&hh, &dev, AlarmTime::Once(t(3600)), Some("train")).await.unwrap();
        let reminder = s.add_reminder(&hh, &dev, t(1800), "call mum").await.unwrap();
        assert_eq!((alarm.kind, alarm.recurrence.clone()), (ItemKind::Alarm, None));
        h.at(t(1800)).await;
        h.at(t(3600)).await;
        let got = h.sink.all();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].item.clone(), got[0].text.as_deref()), (reminder.id, Some("call mum")));
        assert_eq!((got[1].item.clone(), got[1].label.as_deref()), (alarm.id, Some("train")));
    }

    async fn snooze(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let s = &h.scheduler;
        let alarm = s.set_alarm(&hh, &dev, AlarmTime::Once(t(60)), None).await.unwrap();
        let error = s.snooze(&hh, &alarm.id, None).await.unwrap_err();
        assert_eq!(error, SchedulerError::Invalid("a pending alarm cannot be snoozed".into()));
        h.at(t(70)).await;
        let snoozed = s.snooze(&hh, &alarm.id, None).await.unwrap();
        assert_eq!((snoozed.state, snoozed.due_at), (ItemState::Pending, t(70 + 9 * 60)));
        assert!(h.at(t(70 + 9 * 60 - 1)).await.recorded.is_empty());
        h.at(t(70 + 9 * 60)).await;
        let ids = h.sink.ids();
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], ids[1], "a snoozed ring is a new occurrence");

        // A weekly alarm that rang gets a one-off copy; it keeps its own schedule.
        h.clock.set(at("2026-01-05T12:00:00Z"));
        let weekly = s.set_alarm(&hh, &dev, AlarmTime::Every(daily("07:00")), Some("up")).await.unwrap();
        assert!(matches!(s.snooze(&hh, &weekly.id, None).await, Err(SchedulerError::Invalid(_))));
        h.at(at("2026-01-06T07:00:00Z")).await;
        let copy = s.snooze(&hh, &weekly.id, Some(SignedDuration::from_mins(5))).await.unwrap();
        assert_ne!(copy.id, weekly.id);
        assert_eq!((copy.due_at, copy.label.as_deref(), copy.recurrence.clone()), (at("2026-01-06T07:05:00Z"), Some("up"), None));
        let weekly = s.item(&hh, &weekly.id).await.unwrap().unwrap();
        assert_eq!(weekly.due_at, at("2026-01-07T07:00:00Z"));
        h.at(at("2026-01-06T07:05:00Z")).await;
        assert_eq!(h.sink.all().last().unwrap().item, copy.id);
    }

    async fn berlin_change_days(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("Europe/Berlin").await;
        // Spring forward (2026-03-29, 02:00 -> 03:00): 02:30 does not exist; it rings at 03:30.
        assert_eq!(
            ring_daily(&h, &hh, &dev, "Europe/Berlin", "02:30", "2026-03-27T12:00:00Z", 4).await,
            [
                "2026-03-28 02:30:00+01:00",
                "2026-03-29 03:30:00+02:00",
                "2026-03-30 02:30:00+02:00",
                "2026-03-31 02:30:00+02:00",
            ]
        );
        // Fall back (2026-10-25, 03:00 -> 02:00): 02:30 happens twice; it rings once, at the
        // first. The loop passing at the second 02:30 finds nothing due.
        assert_eq!(
            ring_daily(&h, &hh, &dev, "Europe/Berlin", "02:30", "2026-10-23T12:00:00Z", 2).await,
            ["2026-10-24 02:30:00+02:00", "2026-10-25 02:30:00+02:00"]
        );
        let before = h.sink.all().len();
        h.clock.set(at("2026-10-24T12:00:00Z"));
        let alarm = h.scheduler.set_alarm(&hh, &dev, AlarmTime::Every(daily("02:30")), None).await.unwrap();
        assert_eq!(alarm.due_at, at("2026-10-25T00:30:00Z"));
        h.at(at("2026-10-25T00:30:00Z")).await;
        let second = h.at(at("2026-10-25T01:30:00Z")).await;
        assert!(second.recorded.is_empty());
        assert_eq!(second.next_wake, Some(at("2026-10-26T01:30:00Z")));
        assert_eq!(h.sink.all().len(), before + 1);
    }

    async fn new_york_change_days(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("America/New_York").await;
        assert_eq!(
            ring_daily(&h, &hh, &dev, "America/New_York", "02:30", "2026-03-07T12:00:00Z", 3).await,
            [
                "2026-03-08 03:30:00-04:00",
                "2026-03-09 02:30:00-04:00",
                "2026-03-10 02:30:00-04:00",
            ]
        );
        // In New York the repeated hour is 01:00-02:00.
        assert_eq!(
            ring_daily(&h, &hh, &dev, "America/New_York", "01:30", "2026-10-31T12:00:00Z", 3).await,
            [
                "2026-11-01 01:30:00-04:00",
                "2026-11-02 01:30:00-05:00",
                "2026-11-03 01:30:00-05:00",
            ]
        );
    }
}
