//! Naming another device by voice: what is set from one device rings on the
//! one the request names, and a name no device has sets nothing.

use std::time::Duration;

use serde_json::{json, Value};

use crate::timers::{start, Running};

fn say(r: &Running, device: &str, text: &str) -> Value {
    let (status, answer) = r.call(
        "POST",
        "/v1/converse",
        Some(json!({"text": text, "device": device})),
    );
    assert_eq!(status, 200, "{answer}");
    answer
}

#[test]
fn an_alarm_set_from_one_device_for_another_rings_only_on_the_other() {
    let r = start("device-named");
    let (status, bedroom) = r.call("POST", "/v1/devices", Some(json!({"name": "Bedroom"})));
    assert_eq!(status, 201, "{bedroom}");
    let heard = r.listen("default");
    let named = r.listen("bedroom");

    let set = say(&r, "default", "wake me up in 20 minutes in the bedroom");
    assert!(
        set["speech"]
            .as_str()
            .unwrap()
            .ends_with(" on the Bedroom speaker."),
        "{set}"
    );
    let (_, alarms) = r.call("GET", "/v1/alarms", None);
    assert_eq!(alarms.as_array().map(Vec::len), Some(1), "{alarms}");
    assert_eq!(alarms[0]["device"], bedroom["id"], "{alarms}");

    r.advance(20 * 60);
    let event = named
        .recv_timeout(Duration::from_secs(10))
        .expect("the bedroom rang");
    assert_eq!(event["kind"], "alarm");
    assert!(
        heard.recv_timeout(Duration::from_millis(300)).is_err(),
        "the device that heard it stays quiet"
    );
}

#[test]
fn the_device_named_before_a_question_is_kept_for_its_answer() {
    let r = start("device-asked");
    let (_, bedroom) = r.call("POST", "/v1/devices", Some(json!({"name": "bedroom"})));
    let asked = say(&r, "default", "set a pasta timer in the bedroom");
    assert_eq!(asked["speech"], "For how long?", "{asked}");
    let (status, set) = r.call(
        "POST",
        "/v1/converse",
        Some(json!({"text": "ten minutes", "device": "default", "session": asked["session"]})),
    );
    assert_eq!(status, 200);
    assert_eq!(
        set["speech"], "Pasta timer set for 10 minutes on the bedroom speaker.",
        "{set}"
    );
    let (_, timers) = r.call("GET", "/v1/timers", None);
    assert_eq!(timers[0]["device"], bedroom["id"], "{timers}");
}

#[test]
fn a_device_name_nobody_has_sets_nothing() {
    let r = start("device-unknown");
    for text in [
        "set a timer for 5 minutes on the garage speaker",
        "wake me up in 20 minutes in the garage",
        "remind me to call mum in an hour on the garage speaker",
    ] {
        let answer = say(&r, "default", text);
        assert_eq!(
            (
                answer["speech"].as_str(),
                answer["effects"].as_array().map(Vec::len)
            ),
            (Some("I don't know a device called garage."), Some(0)),
            "{text}: {answer}"
        );
    }
    for path in ["/v1/timers", "/v1/alarms", "/v1/reminders"] {
        assert_eq!(r.call("GET", path, None).1, json!([]), "{path}");
    }
}
