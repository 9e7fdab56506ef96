//! Timers over the API, and their events: no test sleeps for a timer; the
//! clock is moved by hand and the scheduler's loop stepped with `tick`.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use hark_core::{Clock, ManualClock};
use hark_server::{Config, Server};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};

pub(crate) struct Running {
    server: Arc<Server>,
    clock: Arc<ManualClock>,
    url: String,
    token: String,
    runtime: tokio::runtime::Runtime,
    dir: std::path::PathBuf,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub(crate) fn start(name: &str) -> Running {
    start_with(name, |_| {})
}

/// As [`start`], with the configuration changed by `configure`.
pub(crate) fn start_with(name: &str, configure: impl FnOnce(&mut Config)) -> Running {
    let dir =
        std::env::temp_dir().join(format!("hark-server-timers-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = Config {
        data_dir: dir.clone(),
        ..Config::default()
    };
    configure(&mut config);
    let clock = Arc::new(ManualClock::new(
        "2026-11-25T07:00:00Z".parse::<Timestamp>().unwrap(),
    ));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (server, first) = runtime
        .block_on(Server::open(
            &config,
            hark_skills::builtin().unwrap(),
            clock.clone(),
        ))
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // The API alone, without the scheduler's loop: the test steps it.
    let app = hark_server::http::app(server.clone());
    runtime.spawn(async move { axum::serve(listener, app).await });
    Running {
        server,
        clock,
        url,
        token: first.expect("a fresh folder").token,
        runtime,
        dir,
    }
}

impl Running {
    /// The server itself.
    pub(crate) fn server(&self) -> &Arc<Server> {
        &self.server
    }

    /// Runs `future` on the server's runtime.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The server's address, `http://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The first-start admin token.
    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    pub(crate) fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.call_as(&self.token, method, path, body)
    }

    /// As [`Running::call`], with another token.
    pub(crate) fn call_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let url = format!("{}{path}", self.url);
        let auth = format!("Bearer {token}");
        let response = match (method, body) {
            ("GET", _) => agent.get(&url).header("Authorization", &auth).call(),
            ("DELETE", _) => agent.delete(&url).header("Authorization", &auth).call(),
            ("PATCH", body) => agent
                .patch(&url)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or(Value::Null).to_string()),
            (_, body) => agent
                .post(&url)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or(Value::Null).to_string()),
        };
        let mut response = response.unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Listens to a device's events; each event's JSON arrives on the channel.
    pub(crate) fn listen(&self, device: &str) -> mpsc::Receiver<Value> {
        let (sender, receiver) = mpsc::channel();
        let url = format!("{}/v1/events?device={device}", self.url);
        let auth = format!("Bearer {}", self.token);
        let (ready, connected) = mpsc::channel();
        std::thread::spawn(move || {
            let response = ureq::get(&url)
                .header("Authorization", &auth)
                .call()
                .unwrap();
            let _ = ready.send(());
            let reader = BufReader::new(response.into_body().into_reader());
            for line in reader.lines() {
                let Ok(line) = line else { break };
                if let Some(data) = line.strip_prefix("data:") {
                    if sender
                        .send(serde_json::from_str(data.trim()).unwrap())
                        .is_err()
                    {
                        break;
                    }
                }
            }
        });
        connected
            .recv_timeout(Duration::from_secs(10))
            .expect("the event stream opens");
        receiver
    }

    /// A second household, made in the store (the API has no call for it),
    /// with a device named `default`; its admin token.
    pub(crate) fn another_household(&self, name: &str) -> String {
        let household = hark_store::NewHousehold {
            name,
            time_zone: "UTC",
            location: None,
            device: "default",
            token_label: "admin",
        };
        let store = &self.server.store;
        self.runtime
            .block_on(store.create_household_with_admin(household, self.clock.now()))
            .unwrap()
            .secret
    }

    /// Moves the clock and lets the scheduler make one pass.
    pub(crate) fn advance(&self, seconds: i64) {
        self.clock.advance(SignedDuration::from_secs(seconds));
        self.runtime.block_on(self.server.scheduler.tick()).unwrap();
    }
}

#[test]
fn a_timer_rings_on_its_device_when_its_time_comes() {
    let r = start("rings");
    let events = r.listen("default");
    let (status, timer) = r.call(
        "POST",
        "/v1/timers",
        Some(json!({"seconds": 480, "name": "pasta", "device": "default"})),
    );
    assert_eq!(status, 201, "{timer}");
    let (_, listed) = r.call("GET", "/v1/timers", None);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    r.advance(479);
    assert!(
        events.recv_timeout(Duration::from_millis(300)).is_err(),
        "not a second early"
    );
    r.advance(1);
    let event = events
        .recv_timeout(Duration::from_secs(10))
        .expect("the timer rang");
    assert_eq!(event["type"], "fired");
    assert_eq!(event["kind"], "timer");
    assert_eq!(event["name"], "pasta");
    assert_eq!(event["item"], timer["id"]);
    r.advance(60);
    assert!(
        events.recv_timeout(Duration::from_millis(300)).is_err(),
        "it rings once"
    );
}

#[test]
fn an_offline_device_gets_what_fired_when_it_listens_again() {
    let r = start("offline");
    let (status, _) = r.call("POST", "/v1/devices", Some(json!({"name": "bedroom"})));
    assert_eq!(status, 201);
    let (status, _) = r.call(
        "POST",
        "/v1/timers",
        Some(json!({"seconds": 60, "device": "bedroom"})),
    );
    assert_eq!(status, 201);
    r.advance(120);
    let events = r.listen("bedroom");
    r.advance(1);
    let event = events
        .recv_timeout(Duration::from_secs(10))
        .expect("the waiting firing arrives");
    assert_eq!(
        (event["kind"].as_str(), event["outcome"].as_str()),
        (Some("timer"), Some("fired"))
    );
}

#[test]
fn bad_timers_are_refused_and_change_nothing() {
    let r = start("bad");
    for (body, code) in [
        (
            json!({"seconds": 0, "device": "default"}),
            "invalid_request",
        ),
        (
            json!({"seconds": 400 * 86_400, "device": "default"}),
            "invalid_request",
        ),
        (json!({"seconds": 60, "device": "attic"}), "unknown_device"),
        (json!({"seconds": 60}), "invalid_request"),
        (json!({"seconds": -5, "device": "default"}), "invalid_json"),
    ] {
        let (status, answer) = r.call("POST", "/v1/timers", Some(body.clone()));
        assert_eq!(answer["error"]["code"], code, "{body} → {status} {answer}");
    }
    let (status, answer) = r.call("DELETE", "/v1/timers/itm_nosuchtimer", None);
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (_, listed) = r.call("GET", "/v1/timers", None);
    assert_eq!(listed, json!([]));
}

#[test]
fn a_cancelled_timer_never_rings() {
    let r = start("cancel");
    let events = r.listen("default");
    let (_, timer) = r.call(
        "POST",
        "/v1/timers",
        Some(json!({"seconds": 60, "device": "default"})),
    );
    let id = timer["id"].as_str().unwrap();
    let (status, cancelled) = r.call("DELETE", &format!("/v1/timers/{id}"), None);
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["state"], "cancelled");
    r.advance(120);
    assert!(events.recv_timeout(Duration::from_millis(300)).is_err());
}

pub(crate) fn say(r: &Running, text: &str, session: Option<&str>) -> Value {
    say_on(r, "default", text, session)
}

/// What hark answers to `text` said to `device`.
pub(crate) fn say_on(r: &Running, device: &str, text: &str, session: Option<&str>) -> Value {
    let mut body = json!({"text": text, "device": device});
    if let Some(session) = session {
        body["session"] = json!(session);
    }
    let (status, answer) = r.call("POST", "/v1/converse", Some(body));
    assert_eq!(status, 200, "{answer}");
    answer
}

#[test]
fn a_spoken_timer_asks_how_long_is_kept_and_rings() {
    let r = start("spoken");
    let events = r.listen("default");
    let asked = say(&r, "set a timer", None);
    assert_eq!(
        (asked["speech"].as_str(), asked["expects_reply"].as_bool()),
        (Some("For how long?"), Some(true))
    );
    let set = say(&r, "ten minutes", asked["session"].as_str());
    assert_eq!(set["speech"], "Timer set for 10 minutes.");
    let named = say(&r, "set a pasta timer for 8 minutes", None);
    assert_eq!(named["speech"], "Pasta timer set for 8 minutes.");
    let (_, listed) = r.call("GET", "/v1/timers", None);
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(2),
        "both are stored: {listed}"
    );
    r.advance(100);
    let left = say(&r, "how long is left on the pasta timer", None);
    assert_eq!(
        left["speech"],
        "6 minutes and 20 seconds left on the pasta timer."
    );
    let missing = say(&r, "cancel the eggs timer", None);
    assert_eq!(missing["speech"], "You don't have an eggs timer.");
    let cancelled = say(&r, "cancel the pasta timer", None);
    assert_eq!(cancelled["speech"], "Pasta timer cancelled.");
    r.advance(500);
    let event = events
        .recv_timeout(Duration::from_secs(10))
        .expect("the ten-minute timer rang");
    assert_eq!(
        (event["kind"].as_str(), event["name"].as_str()),
        (Some("timer"), None)
    );
    assert!(
        events.recv_timeout(Duration::from_millis(300)).is_err(),
        "the cancelled one never rings"
    );
    assert_eq!(
        say(&r, "how much time is left", None)["speech"],
        "You don't have any timers."
    );
}
