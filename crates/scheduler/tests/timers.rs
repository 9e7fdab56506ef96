//! Timers: fire in order and on time; pause, resume, add time, cancel; one household's never
//! reach another's.

use hark_scheduler::{FiringOutcome, ItemKind, ItemState, SchedulerError};
use jiff::SignedDuration;

use crate::support::{t, Harness};

fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

both! {
    async fn fire_in_order_at_their_time(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("Europe/Berlin").await;
        let s = &h.scheduler;
        let c = s.start_timer(&hh, &dev, secs(30), Some("tea")).await.unwrap();
        let a = s.start_timer(&hh, &dev, secs(10), Some("pasta")).await.unwrap();
        let b = s.start_timer(&hh, &dev, secs(20), None).await.unwrap();
        assert_eq!(c.due_at, t(30));

        let tick = h.at(t(9)).await;
        assert!(tick.recorded.is_empty() && tick.delivered.is_empty());
        assert_eq!(tick.next_wake, Some(t(10)));

        let tick = h.at(t(10)).await;
        assert_eq!(tick.recorded.len(), 1);
        assert_eq!(tick.next_wake, Some(t(20)));
        let got = h.sink.all();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].item, a.id);
        assert_eq!(got[0].name.as_deref(), Some("pasta"));
        assert_eq!((got[0].household.clone(), got[0].device.clone()), (hh.clone(), dev.clone()));
        assert_eq!((got[0].due_at, got[0].fired_at), (t(10), t(10)));
        assert_eq!(got[0].outcome, FiringOutcome::Fired);

        // Both at once, in due order.
        let tick = h.at(t(31)).await;
        let ring_limit = s.config().ring_limit;
        assert_eq!(tick.next_wake, Some(t(10) + ring_limit), "the first ring's limit");
        let items: Vec<_> = h.sink.all().into_iter().map(|f| f.item).collect();
        assert_eq!(items, vec![a.id.clone(), b.id.clone(), c.id.clone()]);
        for item in s.items(&hh, Some(ItemKind::Timer), None).await.unwrap() {
            assert_eq!((item.state, item.fire_count), (ItemState::Ringing, 1));
        }
        assert_eq!(s.ringing(&hh, Some(&dev)).await.unwrap().len(), 3);

        // Nothing fires twice; nobody stopped them, so at their limit they count as missed.
        let tick = h.at(t(1000)).await;
        assert!(tick.recorded.is_empty() && tick.delivered.is_empty());
        assert_eq!(tick.unanswered.len(), 3);
        assert_eq!(tick.next_wake, None);
        assert_eq!(h.sink.all().len(), 3);
        assert_eq!(h.sink.ended.lock().unwrap().len(), 3);
        for item in s.items(&hh, Some(ItemKind::Timer), None).await.unwrap() {
            assert_eq!(item.state, ItemState::Missed);
        }
        assert_eq!(s.missed(&hh, 10).await.unwrap().len(), 3);
        assert!(s.ringing(&hh, None).await.unwrap().is_empty());
    }

    async fn pause_resume_and_add_time(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let s = &h.scheduler;
        let timer = s.start_timer(&hh, &dev, secs(60), None).await.unwrap();

        h.clock.set(t(20));
        let paused = s.pause(&hh, &timer.id).await.unwrap();
        assert_eq!((paused.state, paused.remaining), (ItemState::Paused, Some(secs(40))));
        let tick = h.at(t(100)).await;
        assert!(tick.recorded.is_empty());
        assert_eq!(tick.next_wake, None);
        assert!(matches!(s.pause(&hh, &timer.id).await, Err(SchedulerError::Invalid(_))));

        let more = s.adjust(&hh, &timer.id, secs(15)).await.unwrap();
        assert_eq!((more.remaining, more.duration), (Some(secs(55)), Some(secs(75))));
        let resumed = s.resume(&hh, &timer.id).await.unwrap();
        assert_eq!((resumed.state, resumed.due_at), (ItemState::Pending, t(155)));
        let less = s.adjust(&hh, &timer.id, secs(-5)).await.unwrap();
        assert_eq!(less.due_at, t(150));
        let error = s.adjust(&hh, &timer.id, secs(-60)).await.unwrap_err();
        assert_eq!(error, SchedulerError::Invalid("that would end the timer before now".into()));
        let error = s.adjust(&hh, &timer.id, SignedDuration::from_hours(24)).await.unwrap_err();
        assert!(matches!(error, SchedulerError::Invalid(_)), "{error:?}");

        assert!(h.at(t(149)).await.recorded.is_empty());
        assert_eq!(h.at(t(150)).await.recorded.len(), 1);
        assert_eq!(h.sink.all()[0].due_at, t(150));
        assert!(matches!(s.resume(&hh, &timer.id).await, Err(SchedulerError::Invalid(_))));
    }

    async fn cancel(fx: &Fixture) {
        let h = Harness::new(fx);
        let (hh, dev) = h.home("UTC").await;
        let s = &h.scheduler;
        let timer = s.start_timer(&hh, &dev, secs(60), Some("pasta")).await.unwrap();
        let other = s.start_timer(&hh, &dev, secs(90), None).await.unwrap();
        let cancelled = s.cancel(&hh, &timer.id).await.unwrap();
        assert_eq!(cancelled.state, ItemState::Cancelled);
        let tick = h.at(t(120)).await;
        assert_eq!(h.sink.all().iter().map(|f| &f.item).collect::<Vec<_>>(), vec![&other.id]);
        assert_eq!(tick.recorded.len(), 1);
        let error = s.cancel(&hh, &timer.id).await.unwrap_err();
        assert_eq!(error, SchedulerError::Invalid("a cancelled timer cannot be cancelled".into()));
        // A stopped one cannot be cancelled; a ringing one can, which ends its ring.
        let ring = s.ringing(&hh, None).await.unwrap().remove(0);
        s.stop(&hh, &ring.id).await.unwrap();
        let error = s.cancel(&hh, &other.id).await.unwrap_err();
        assert_eq!(error, SchedulerError::Invalid("a fired timer cannot be cancelled".into()));
        let third = s.start_timer(&hh, &dev, secs(10), None).await.unwrap();
        h.at(t(130)).await;
        assert_eq!(s.cancel(&hh, &third.id).await.unwrap().state, ItemState::Cancelled);
        assert!(s.ringing(&hh, None).await.unwrap().is_empty());
        let error = s.cancel(&hh, &"tmr_nosuchitem".into()).await.unwrap_err();
        assert_eq!(error, SchedulerError::NotFound);
        // Kept, as cancelled.
        assert_eq!(
            s.items(&hh, None, Some(ItemState::Cancelled)).await.unwrap(),
            vec![
                s.item(&hh, &timer.id).await.unwrap().unwrap(),
                s.item(&hh, &third.id).await.unwrap().unwrap()
            ]
        );
    }

    async fn households_are_kept_apart(fx: &Fixture) {
        let h = Harness::new(fx);
        let (a, a_dev) = h.home("UTC").await;
        let (b, b_dev) = h.home("Asia/Tokyo").await;
        let s = &h.scheduler;
        let mine = s.start_timer(&a, &a_dev, secs(10), None).await.unwrap();
        let theirs = s.start_timer(&b, &b_dev, secs(10), None).await.unwrap();
        // B can neither see nor change A's timer, nor set one on A's device.
        assert_eq!(s.item(&b, &mine.id).await.unwrap(), None);
        assert_eq!(s.items(&b, None, None).await.unwrap(), vec![theirs.clone()]);
        assert_eq!(s.cancel(&b, &mine.id).await.unwrap_err(), SchedulerError::NotFound);
        assert_eq!(s.pause(&b, &mine.id).await.unwrap_err(), SchedulerError::NotFound);
        assert_eq!(s.adjust(&b, &mine.id, secs(5)).await.unwrap_err(), SchedulerError::NotFound);
        assert_eq!(s.snooze(&b, &mine.id, None).await.unwrap_err(), SchedulerError::NotFound);
        assert_eq!(
            s.start_timer(&b, &a_dev, secs(5), None).await.unwrap_err(),
            SchedulerError::NotFound
        );
        // One loop serves both, each firing going to its own household's device.
        h.at(t(10)).await;
        let mut got: Vec<_> = h.sink.all().into_iter().map(|f| (f.household, f.device, f.item)).collect();
        got.sort();
        let mut expected = vec![(a, a_dev, mine.id), (b, b_dev, theirs.id)];
        expected.sort();
        assert_eq!(got, expected);
    }
}
