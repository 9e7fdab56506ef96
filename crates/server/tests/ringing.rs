//! Ringing over the API and by voice: "stop" silences the device it is said
//! to and no other, "snooze" rings again later, an unanswered ring becomes
//! missed and is told once at the next interaction on its device.

use std::sync::mpsc::Receiver;
use std::time::Duration;

use serde_json::{json, Value};

use crate::timers::{say_on, start, Running};

/// The next event on a device's stream, skipping none.
fn next(events: &Receiver<Value>, what: &str) -> Value {
    events
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("expected {what}"))
}

fn quiet(events: &Receiver<Value>, what: &str) {
    assert!(
        events.recv_timeout(Duration::from_millis(300)).is_err(),
        "{what}"
    );
}

fn ringing(r: &Running, device: &str) -> Vec<Value> {
    let (status, rings) = r.call("GET", &format!("/v1/ringing?device={device}"), None);
    assert_eq!(status, 200, "{rings}");
    rings.as_array().cloned().unwrap_or_default()
}

fn two_rooms(name: &str) -> Running {
    let r = start(name);
    let (status, added) = r.call("POST", "/v1/devices", Some(json!({"name": "bedroom"})));
    assert_eq!(status, 201, "{added}");
    r
}

#[test]
fn stop_silences_the_device_it_is_said_to_and_no_other() {
    let r = two_rooms("stop");
    let kitchen = r.listen("default");
    let bedroom = r.listen("bedroom");
    for device in ["default", "bedroom"] {
        let body = json!({"seconds": 60, "name": "tea", "device": device});
        assert_eq!(r.call("POST", "/v1/timers", Some(body)).0, 201);
    }
    r.advance(60);
    let rang = next(&kitchen, "the kitchen's timer");
    assert_eq!(rang["type"], "fired");
    assert!(rang["ring_until"].is_string(), "{rang}");
    next(&bedroom, "the bedroom's timer");
    assert_eq!(ringing(&r, "default").len(), 1);

    let stopped = say_on(&r, "default", "stop", None);
    assert_eq!(stopped["speech"], "");
    let ended = next(&kitchen, "the kitchen's ring to end");
    assert_eq!(
        (ended["type"].as_str(), ended["reason"].as_str()),
        (Some("ring_ended"), Some("stopped"))
    );
    assert_eq!(ended["id"], rang["id"]);
    quiet(&bedroom, "the bedroom rings on");
    assert!(ringing(&r, "default").is_empty());
    assert_eq!(ringing(&r, "bedroom").len(), 1);
    let (_, timers) = r.call("GET", "/v1/timers", None);
    let mut states: Vec<&str> = timers
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["state"].as_str())
        .collect();
    states.sort_unstable();
    assert_eq!(states, ["fired", "ringing"], "{timers}");

    // "Stop the timer" in the bedroom means the ringing one there.
    assert_eq!(say_on(&r, "bedroom", "stop the timer", None)["speech"], "");
    assert_eq!(
        next(&bedroom, "the bedroom's ring to end")["reason"],
        "stopped"
    );
    assert_eq!(
        say_on(&r, "bedroom", "stop the alarm", None)["speech"],
        "Nothing is ringing right now."
    );
}

#[test]
fn snooze_rings_again_nine_minutes_later() {
    let r = start("snooze");
    let events = r.listen("default");
    let body = json!({"at": "2026-11-25T07:01:00Z", "label": "wake up", "device": "default"});
    let (status, alarm) = r.call("POST", "/v1/alarms", Some(body));
    assert_eq!(status, 201, "{alarm}");
    r.advance(60);
    let first = next(&events, "the alarm");

    let snoozed = say_on(&r, "default", "snooze", None);
    assert_eq!(snoozed["speech"], "Snoozed for 9 minutes.");
    assert_eq!(next(&events, "the ring to end")["reason"], "snoozed");
    let (_, listed) = r.call("GET", "/v1/alarms", None);
    assert_eq!(listed[0]["state"], "pending", "{listed}");
    r.advance(9 * 60 - 1);
    quiet(&events, "not a second early");
    r.advance(1);
    let again = next(&events, "the snoozed alarm");
    assert_eq!(again["item"], alarm["id"]);
    assert_ne!(again["id"], first["id"], "a new occurrence, a new id");

    // Through the API: a snooze of 5 minutes, then a stop of what no longer rings.
    let id = again["id"].as_str().unwrap();
    let (status, item) = r.call(
        "POST",
        &format!("/v1/ringing/{id}/snooze"),
        Some(json!({"seconds": 300})),
    );
    assert_eq!(
        (status, item["state"].as_str()),
        (200, Some("pending")),
        "{item}"
    );
    let (status, answer) = r.call("POST", &format!("/v1/ringing/{id}/stop"), None);
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
}

#[test]
fn an_unanswered_ring_is_missed_and_told_once_on_its_device() {
    let r = two_rooms("missed");
    let events = r.listen("default");
    let body = json!({"at": "2026-11-25T07:01:00Z", "label": "wake up", "device": "default"});
    assert_eq!(r.call("POST", "/v1/alarms", Some(body)).0, 201);
    r.advance(60);
    next(&events, "the alarm");
    // Nobody there: at the ring limit it ends, unanswered.
    r.advance(10 * 60);
    let ended = next(&events, "the ring to end");
    assert_eq!(ended["reason"], "unanswered");
    let (_, missed) = r.call("GET", "/v1/missed", None);
    assert_eq!(missed.as_array().map(Vec::len), Some(1), "{missed}");
    assert_eq!(missed[0]["ended_by"], "unanswered");
    let (_, alarms) = r.call("GET", "/v1/alarms", None);
    assert_eq!(alarms[0]["state"], "missed");

    // Another device is not told; a question waits; "stop" stays silent.
    let elsewhere = say_on(&r, "bedroom", "what time is it", None);
    assert!(!elsewhere["speech"].as_str().unwrap().contains("missed"));
    assert_eq!(say_on(&r, "default", "stop", None)["speech"], "");
    let asked = say_on(&r, "default", "set a timer", None);
    assert_eq!(asked["speech"], "For how long?");

    // The answer after the question is the first that can tell it.
    let told = say_on(&r, "default", "never mind", asked["session"].as_str());
    assert_eq!(
        told["speech"],
        "OK. You missed your wake up alarm at 7:01 AM today."
    );
    let again = say_on(&r, "default", "what time is it", None);
    assert!(
        !again["speech"].as_str().unwrap().contains("missed"),
        "told once"
    );
}

#[test]
fn timers_alarms_and_reminders_are_changed_through_the_api() {
    let r = start("change");
    let (_, timer) = r.call(
        "POST",
        "/v1/timers",
        Some(json!({"seconds": 300, "device": "default"})),
    );
    let path = format!("/v1/timers/{}", timer["id"].as_str().unwrap());
    r.advance(60);
    let (status, paused) = r.call(
        "PATCH",
        &path,
        Some(json!({"paused": true, "add_seconds": 60})),
    );
    assert_eq!(status, 200, "{paused}");
    assert_eq!(
        (paused["state"].as_str(), paused["remaining"].as_str()),
        (Some("paused"), Some("PT5M"))
    );
    let (_, resumed) = r.call("PATCH", &path, Some(json!({"paused": false})));
    assert_eq!(resumed["state"], "pending");
    assert_eq!(resumed["due_at"], "2026-11-25T07:06:00Z");

    let (_, reminder) = r.call(
        "POST",
        "/v1/reminders",
        Some(json!({"at": "2026-11-25T18:00:00Z", "text": "call mum", "device": "default"})),
    );
    let path = format!("/v1/reminders/{}", reminder["id"].as_str().unwrap());
    let (status, moved) = r.call("PATCH", &path, Some(json!({"at": "2026-11-25T19:00:00Z"})));
    assert_eq!(
        (status, moved["due_at"].as_str()),
        (200, Some("2026-11-25T19:00:00Z")),
        "{moved}"
    );

    // Bad changes are refused and change nothing.
    let timer_path = format!("/v1/timers/{}", timer["id"].as_str().unwrap());
    for (path, body, code) in [
        (timer_path.as_str(), json!({}), "invalid_request"),
        (
            timer_path.as_str(),
            json!({"add_seconds": -3600}),
            "invalid_request",
        ),
        (
            timer_path.as_str(),
            json!({"add_seconds": 100 * 3600}),
            "invalid_request",
        ),
        (
            timer_path.as_str(),
            json!({"paused": "yes"}),
            "invalid_json",
        ),
        (
            path.as_str(),
            json!({"at": "2020-01-01T00:00:00Z"}),
            "invalid_request",
        ),
        (
            path.as_str(),
            json!({"at": "February 30th"}),
            "invalid_request",
        ),
        (
            "/v1/alarms/alm_nosuchalarm",
            json!({"at": "2026-11-26T07:00:00Z"}),
            "not_found",
        ),
        // A reminder is not an alarm.
        (
            &path.replace("reminders", "alarms"),
            json!({"at": "2026-11-26T07:00:00Z"}),
            "not_found",
        ),
    ] {
        let (status, answer) = r.call("PATCH", path, Some(body.clone()));
        assert_eq!(
            answer["error"]["code"], code,
            "{path} {body} → {status} {answer}"
        );
    }
    let (_, timers) = r.call("GET", "/v1/timers", None);
    assert_eq!(timers[0]["due_at"], "2026-11-25T07:06:00Z");
    let (_, reminders) = r.call("GET", "/v1/reminders", None);
    assert_eq!(reminders[0]["due_at"], "2026-11-25T19:00:00Z");

    // Ringing ids that do not exist, and bad snoozes.
    let (status, _) = r.call("POST", "/v1/ringing/nonsense/stop", None);
    assert_eq!(status, 404);
    r.advance(5 * 60);
    let ring = ringing(&r, "default").remove(0);
    let snooze = format!("/v1/ringing/{}/snooze", ring["id"].as_str().unwrap());
    for body in [json!({"seconds": 0}), json!({"seconds": 3 * 86_400})] {
        let (_, answer) = r.call("POST", &snooze, Some(body));
        assert_eq!(answer["error"]["code"], "invalid_request", "{answer}");
    }
    let (_, answer) = r.call("POST", &snooze, Some(json!({"minutes": 5})));
    assert_eq!(answer["error"]["code"], "invalid_json", "{answer}");
    assert_eq!(ringing(&r, "default").len(), 1, "still ringing");
}
