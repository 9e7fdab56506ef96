//! Alarms and reminders over the API, on a manual clock (which starts at
//! 2026-11-25T07:00:00Z, a Wednesday; the test household's zone is the
//! system's).

use std::time::Duration;

use serde_json::json;

use crate::timers::start;

#[test]
fn a_one_off_alarm_and_a_reminder_ring_on_time() {
    let r = start("alarm");
    let events = r.listen("default");
    let (status, alarm) = r.call(
        "POST",
        "/v1/alarms",
        Some(json!({"at": "2026-11-25T08:00:00Z", "label": "gym", "sound": "bells", "device": "default"})),
    );
    assert_eq!(status, 201, "{alarm}");
    let (status, reminder) = r.call(
        "POST",
        "/v1/reminders",
        Some(json!({"at": "2026-11-25T07:20:00Z", "text": "check the oven", "device": "default"})),
    );
    assert_eq!(status, 201, "{reminder}");
    let (_, alarms) = r.call("GET", "/v1/alarms", None);
    assert_eq!(alarms.as_array().map(Vec::len), Some(1));
    r.advance(20 * 60);
    let event = events
        .recv_timeout(Duration::from_secs(10))
        .expect("the reminder spoke");
    assert_eq!(
        (event["kind"].as_str(), event["text"].as_str()),
        (Some("reminder"), Some("check the oven"))
    );
    r.advance(40 * 60);
    // Nobody stopped the reminder: its ring ended at the limit, before the alarm.
    let event = events
        .recv_timeout(Duration::from_secs(10))
        .expect("the reminder's ring ended");
    assert_eq!(
        (event["type"].as_str(), event["reason"].as_str()),
        (Some("ring_ended"), Some("unanswered"))
    );
    let event = events
        .recv_timeout(Duration::from_secs(10))
        .expect("the alarm rang");
    assert_eq!(
        (
            event["kind"].as_str(),
            event["label"].as_str(),
            event["sound"].as_str()
        ),
        (Some("alarm"), Some("gym"), Some("bells"))
    );
}

#[test]
fn a_weekly_alarm_moves_on_to_its_next_day() {
    let r = start("weekly");
    let events = r.listen("default");
    let rule = json!({"weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday"], "time": "07:30"});
    let (status, alarm) = r.call(
        "POST",
        "/v1/alarms",
        Some(json!({"every": rule, "device": "default"})),
    );
    assert_eq!(status, 201, "{alarm}");
    r.advance(30 * 60);
    assert_eq!(
        events
            .recv_timeout(Duration::from_secs(10))
            .expect("Wednesday's")["kind"],
        "alarm"
    );
    let (_, alarms) = r.call("GET", "/v1/alarms", None);
    let next = alarms[0]["due_at"].as_str().unwrap().to_string();
    assert!(
        next.starts_with("2026-11-26T07:30"),
        "Thursday's next: {next}"
    );
}

#[test]
fn bad_alarms_and_reminders_are_refused_and_change_nothing() {
    let r = start("bad-alarms");
    let cases = [
        (
            "/v1/alarms",
            json!({"at": "2026-02-30T07:00:00Z", "device": "default"}),
        ),
        (
            "/v1/alarms",
            json!({"at": "2026-11-25T06:00:00Z", "device": "default"}),
        ),
        ("/v1/alarms", json!({"device": "default"})),
        (
            "/v1/alarms",
            json!({"at": "2026-11-26T07:00:00Z", "sound": "trumpets", "device": "default"}),
        ),
        (
            "/v1/alarms",
            json!({"at": "2026-11-26T07:00:00Z", "every": {"weekdays": ["monday"], "time": "07:00"}, "device": "default"}),
        ),
        (
            "/v1/alarms",
            json!({"every": {"weekdays": [], "time": "07:00"}, "device": "default"}),
        ),
        (
            "/v1/alarms",
            json!({"every": {"weekdays": ["funday"], "time": "07:00"}, "device": "default"}),
        ),
        (
            "/v1/alarms",
            json!({"every": {"weekdays": ["monday"], "time": "25:00"}, "device": "default"}),
        ),
        (
            "/v1/reminders",
            json!({"at": "2027-12-31T07:00:00Z", "text": "far too far", "device": "default"}),
        ),
        (
            "/v1/reminders",
            json!({"at": "2026-11-25T08:00:00Z", "text": "", "device": "default"}),
        ),
    ];
    for (path, body) in cases {
        let (status, answer) = r.call("POST", path, Some(body.clone()));
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (400, Some("invalid_request")),
            "{path} {body}: {answer}"
        );
    }
    let (_, reminder) = r.call(
        "POST",
        "/v1/reminders",
        Some(json!({"at": "2026-11-25T08:00:00Z", "text": "tea", "device": "default"})),
    );
    let id = reminder["id"].as_str().unwrap();
    let (status, _) = r.call("DELETE", &format!("/v1/alarms/{id}"), None);
    assert_eq!(status, 404, "a reminder is not an alarm");
    let (status, cancelled) = r.call("DELETE", &format!("/v1/reminders/{id}"), None);
    assert_eq!(
        (status, cancelled["state"].as_str()),
        (200, Some("cancelled"))
    );
    let (_, alarms) = r.call("GET", "/v1/alarms", None);
    assert_eq!(alarms, json!([]));
}

fn say(r: &crate::timers::Running, text: &str) -> serde_json::Value {
    let (status, answer) = r.call(
        "POST",
        "/v1/converse",
        Some(json!({"text": text, "device": "default"})),
    );
    assert_eq!(status, 200, "{answer}");
    answer
}

#[test]
fn spoken_alarms_and_reminders_are_kept_and_ring() {
    let r = start("spoken-alarms");
    let events = r.listen("default");
    // Bad dates and lengths get a clear answer and set nothing.
    for (said, answer) in [
        (
            "set an alarm for February 30th",
            "There is no February 30th, so I can't do that.",
        ),
        (
            "wake me up on the 31st of april at 7",
            "There is no 31st of April, so I can't do that.",
        ),
        (
            "set a timer for 0 seconds",
            "A timer needs at least one second.",
        ),
        (
            "set a timer for 400 days",
            "A timer can run for at most 24 hours. For longer, set an alarm or a reminder.",
        ),
    ] {
        assert_eq!(say(&r, said)["speech"], answer, "{said}");
    }
    for kind in ["alarms", "timers", "reminders"] {
        let (_, listed) = r.call("GET", &format!("/v1/{kind}"), None);
        assert_eq!(listed, serde_json::json!([]), "{kind}");
    }
    // The test household's zone is the system's; the manual clock says 07:00 UTC.
    let set = say(&r, "remind me in 20 minutes to check the oven");
    assert!(
        set["speech"]
            .as_str()
            .unwrap()
            .starts_with("OK, I'll remind you to check the oven at "),
        "{set}"
    );
    let (_, reminders) = r.call("GET", "/v1/reminders", None);
    assert_eq!(reminders.as_array().map(Vec::len), Some(1), "{reminders}");
    let listed = say(&r, "what reminders do I have");
    assert!(
        listed["speech"]
            .as_str()
            .unwrap()
            .starts_with("You have one reminder: check the oven at "),
        "{listed}"
    );
    r.advance(20 * 60);
    let event = events
        .recv_timeout(Duration::from_secs(10))
        .expect("the reminder spoke");
    assert_eq!(
        (event["kind"].as_str(), event["text"].as_str()),
        (Some("reminder"), Some("check the oven"))
    );

    let set = say(&r, "set an alarm called gym for 6 am every weekday");
    assert_eq!(
        set["speech"], "Gym alarm set for 6 AM every weekday.",
        "{set}"
    );
    let (_, alarms) = r.call("GET", "/v1/alarms", None);
    assert_eq!(alarms.as_array().map(Vec::len), Some(1), "{alarms}");
    assert_eq!(
        say(&r, "cancel the gym alarm")["speech"],
        "Gym alarm for 6 AM every weekday cancelled."
    );
    assert_eq!(
        say(&r, "what alarms do I have")["speech"],
        "You don't have any alarms."
    );
}
