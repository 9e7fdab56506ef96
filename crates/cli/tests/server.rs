//! `hark serve` as a user runs it: a real process, real HTTP on a free port,
//! a real database in a fresh data folder; and the CLI against it.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::support::{agent, call, data_dir, hark, serve, serve_on, Database, Running};

fn converse(server: &Running, token: &str, body: Value) -> (u16, Value) {
    call(
        "POST",
        &format!("{}/v1/converse", server.url),
        Some(token),
        Some(&body.to_string()),
    )
}

/// A second household in the same data folder, made with the CLI.
fn second_household(dir: &Path, db: &Database) -> (String, String) {
    let out = hark()
        .args([
            "household",
            "create",
            "Neighbours",
            "--time-zone",
            "Asia/Tokyo",
            "--data-dir",
        ])
        .arg(dir)
        .args(db.args())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}\t")))
            .map(|v| v.split('\t').next().unwrap().to_string())
    };
    (
        field("household").expect("household id"),
        field("token").expect("token"),
    )
}

#[test]
fn conversation_over_http() {
    let dir = data_dir("converse");
    let server = serve(&dir);
    let token = server.token.clone().expect("first start prints a token");
    let (status, health) = call("GET", &format!("{}/v1/health", server.url), None, None);
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));

    let (status, answer) = converse(
        &server,
        &token,
        json!({"text": "what time is it", "device": "default"}),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["intent"]["name"], "HassGetCurrentTime");
    assert!(
        answer["speech"].as_str().unwrap().starts_with("It's"),
        "{answer}"
    );
    assert_eq!(answer["expects_reply"], false);
    assert!(answer["session"].as_str().is_some_and(|s| !s.is_empty()));

    let (status, answer) = converse(
        &server,
        &token,
        json!({"text": "how tall is mount everest", "device": "default"}),
    );
    assert_eq!(status, 200);
    assert!(answer["intent"].is_null());
    assert!(
        !answer["speech"].as_str().unwrap().is_empty(),
        "a polite answer, never silence"
    );

    let (status, metrics) = {
        let mut response = agent()
            .get(&format!("{}/metrics", server.url))
            .call()
            .unwrap();
        (
            response.status().as_u16(),
            response.body_mut().read_to_string().unwrap(),
        )
    };
    assert_eq!(status, 200);
    assert!(
        metrics.contains("hark_http_requests_total{route=\"/v1/converse\",status=\"200\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("hark_stage_seconds_count{stage=\"parse\"} 2"),
        "{metrics}"
    );

    let (status, document) = call(
        "GET",
        &format!("{}/v1/openapi.json", server.url),
        None,
        None,
    );
    assert_eq!(status, 200);
    for path in [
        "/v1/converse",
        "/v1/devices",
        "/v1/tokens",
        "/v1/household",
        "/v1/health",
        "/metrics",
    ] {
        assert!(
            document["paths"].get(path).is_some(),
            "the OpenAPI document describes {path}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cancel_ends_a_session_and_unknown_sessions_are_harmless() {
    let dir = data_dir("session");
    let server = serve(&dir);
    let token = server.token.clone().unwrap();
    let (status, answer) = converse(
        &server,
        &token,
        json!({"text": "never mind", "device": "default", "session": "ses_not_open"}),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["expects_reply"], false);
    let (status, answer) = converse(
        &server,
        &token,
        json!({"text": "what time is it", "device": "default", "session": ""}),
    );
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("invalid_request"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_requests_get_a_stable_code_and_change_nothing() {
    let dir = data_dir("bad");
    let server = serve(&dir);
    let token = server.token.clone().unwrap();
    let url = format!("{}/v1/converse", server.url);
    let devices_url = format!("{}/v1/devices", server.url);
    // (what, token, body, status, code)
    type Case<'a> = (&'a str, Option<&'a str>, String, u16, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            "malformed JSON",
            Some(&token),
            "{\"text\": ".to_string(),
            400,
            "invalid_json",
        ),
        (
            "wrong field type",
            Some(&token),
            json!({"text": 5, "device": "default"}).to_string(),
            400,
            "invalid_json",
        ),
        (
            "unknown field",
            Some(&token),
            json!({"text": "hi", "device": "default", "x": 1}).to_string(),
            400,
            "invalid_json",
        ),
        (
            "over 64 KiB",
            Some(&token),
            json!({"text": "a".repeat(70_000), "device": "default"}).to_string(),
            413,
            "body_too_large",
        ),
        (
            "unknown device",
            Some(&token),
            json!({"text": "hi", "device": "attic"}).to_string(),
            404,
            "unknown_device",
        ),
        (
            "no token",
            None,
            json!({"text": "hi", "device": "default"}).to_string(),
            401,
            "unauthorized",
        ),
        (
            "wrong token",
            Some("hark_nope_0000"),
            json!({"text": "hi", "device": "default"}).to_string(),
            401,
            "unauthorized",
        ),
    ];
    for (what, auth, body, status, code) in &cases {
        let (got, answer) = call("POST", &url, *auth, Some(body));
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (*status, Some(*code)),
            "{what}: {answer}"
        );
    }
    let (status, answer) = call("POST", &devices_url, Some(&token), Some("not json"));
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("invalid_json"))
    );
    let (status, answer) = call(
        "POST",
        &devices_url,
        Some(&token),
        Some(&json!({"name": " "}).to_string()),
    );
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, answer) = call(
        "POST",
        &devices_url,
        Some(&token),
        Some(&json!({"name": "default"}).to_string()),
    );
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    let (status, answer) = call(
        "GET",
        &format!("{}/v1/nowhere", server.url),
        Some(&token),
        None,
    );
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, answer) = call("GET", &url, Some(&token), None);
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (405, Some("method_not_allowed"))
    );
    let padded =
        json!({"text": "what time is it", "device": format!("  default{}", " ".repeat(1000))});
    let (status, _) = call("POST", &url, Some(&token), Some(&padded.to_string()));
    assert_eq!(
        status, 200,
        "a name is its words, whatever the spaces around them"
    );
    let long = json!({"text": "hi", "device": "d".repeat(101)});
    let (status, answer) = call("POST", &url, Some(&token), Some(&long.to_string()));
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _) = call("GET", &devices_url, Some(&format!("x {token}")), None);
    assert_eq!(status, 401, "only the Bearer scheme");
    // Nothing changed: still the one device of the first start.
    let (_, devices) = call("GET", &devices_url, Some(&token), None);
    assert_eq!(devices.as_array().map(Vec::len), Some(1), "{devices}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_household_reads_or_changes_another_households_data_sqlite() {
    isolation(Database::sqlite());
}

#[test]
fn no_household_reads_or_changes_another_households_data_postgres() {
    isolation(Database::postgres());
}

fn isolation(db: Database) {
    let dir = data_dir("isolation");
    let server = serve_on(&dir, &db);
    let token_a = server.token.clone().unwrap();
    let (household_b, token_b) = second_household(&dir, &db);
    let base = &server.url;

    let (_, devices_b) = call("GET", &format!("{base}/v1/devices"), Some(&token_b), None);
    let device_b = devices_b[0]["id"].as_str().unwrap().to_string();
    let (_, tokens_b) = call("GET", &format!("{base}/v1/tokens"), Some(&token_b), None);
    let token_b_id = tokens_b[0]["id"].as_str().unwrap().to_string();
    let (_, household_b_before) =
        call("GET", &format!("{base}/v1/household"), Some(&token_b), None);
    assert_eq!(household_b_before["id"], household_b);

    // A sees only its own household, devices and tokens.
    let (_, household_a) = call("GET", &format!("{base}/v1/household"), Some(&token_a), None);
    assert_ne!(household_a["id"], household_b);
    let (_, devices_a) = call("GET", &format!("{base}/v1/devices"), Some(&token_a), None);
    assert!(devices_a
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["id"] != device_b.as_str()));
    let (_, tokens_a) = call("GET", &format!("{base}/v1/tokens"), Some(&token_a), None);
    assert!(tokens_a
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["id"] != token_b_id.as_str()));

    // A cannot speak as, remove, or make tokens for B's device, nor revoke B's token.
    let (status, answer) = converse(
        &server,
        &token_a,
        json!({"text": "what time is it", "device": device_b}),
    );
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (404, Some("unknown_device"))
    );
    let (status, _) = call(
        "DELETE",
        &format!("{base}/v1/devices/{device_b}"),
        Some(&token_a),
        None,
    );
    assert_eq!(status, 404);
    let body = json!({"label": "sneaky", "device": device_b}).to_string();
    let (status, _) = call(
        "POST",
        &format!("{base}/v1/tokens"),
        Some(&token_a),
        Some(&body),
    );
    assert_eq!(status, 404);
    let (status, _) = call(
        "DELETE",
        &format!("{base}/v1/tokens/{token_b_id}"),
        Some(&token_a),
        None,
    );
    assert_eq!(status, 404);
    // A changing its household changes only its own.
    let (status, _) = call(
        "PATCH",
        &format!("{base}/v1/household"),
        Some(&token_a),
        Some(&json!({"time_zone": "Europe/Paris"}).to_string()),
    );
    assert_eq!(status, 200);

    // B is untouched and still works.
    let (_, household_b_after) = call("GET", &format!("{base}/v1/household"), Some(&token_b), None);
    assert_eq!(household_b_after, household_b_before);
    let (status, answer) = converse(
        &server,
        &token_b,
        json!({"text": "what time is it", "device": device_b}),
    );
    assert_eq!(status, 200, "{answer}");
    let (_, devices_b_after) = call("GET", &format!("{base}/v1/devices"), Some(&token_b), None);
    assert_eq!(devices_b_after, devices_b);
    let (_, tokens_b_after) = call("GET", &format!("{base}/v1/tokens"), Some(&token_b), None);
    assert_eq!(tokens_b_after, tokens_b);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn device_tokens_speak_only_for_their_device_and_revoked_tokens_stop_working() {
    let dir = data_dir("tokens");
    let server = serve(&dir);
    let admin = server.token.clone().unwrap();
    let base = &server.url;
    let (status, kitchen) = call(
        "POST",
        &format!("{base}/v1/devices"),
        Some(&admin),
        Some(&json!({"name": "kitchen"}).to_string()),
    );
    assert_eq!(status, 201, "{kitchen}");
    let (status, created) = call(
        "POST",
        &format!("{base}/v1/tokens"),
        Some(&admin),
        Some(&json!({"label": "kitchen speaker", "device": "kitchen"}).to_string()),
    );
    assert_eq!(status, 201, "{created}");
    let device_token = created["token"].as_str().unwrap().to_string();
    let (status, _) = converse(&server, &device_token, json!({"text": "what time is it"}));
    assert_eq!(status, 200);
    let (status, answer) = converse(
        &server,
        &device_token,
        json!({"text": "what time is it", "device": "default"}),
    );
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let (status, answer) = call(
        "GET",
        &format!("{base}/v1/tokens"),
        Some(&device_token),
        None,
    );
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    // The scheme name is case-insensitive, as HTTP says.
    let response = agent()
        .get(&format!("{base}/v1/household"))
        .header("Authorization", &format!("bearer {device_token}"))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    // Removing a device stops its tokens at once, cache or not.
    let new_device = json!({"name": "hall"}).to_string();
    let (status, hall) = call(
        "POST",
        &format!("{base}/v1/devices"),
        Some(&admin),
        Some(&new_device),
    );
    assert_eq!(status, 201);
    let new_token = json!({"label": "hall", "device": "hall"}).to_string();
    let (_, hall_token) = call(
        "POST",
        &format!("{base}/v1/tokens"),
        Some(&admin),
        Some(&new_token),
    );
    let hall_token = hall_token["token"].as_str().unwrap().to_string();
    assert_eq!(
        converse(&server, &hall_token, json!({"text": "what time is it"})).0,
        200
    );
    let hall_id = hall["id"].as_str().unwrap();
    assert_eq!(
        call(
            "DELETE",
            &format!("{base}/v1/devices/{hall_id}"),
            Some(&admin),
            None
        )
        .0,
        204
    );
    assert_eq!(
        converse(&server, &hall_token, json!({"text": "what time is it"})).0,
        401
    );
    let id = created["info"]["id"].as_str().unwrap();
    let (status, _) = call(
        "DELETE",
        &format!("{base}/v1/tokens/{id}"),
        Some(&admin),
        None,
    );
    assert_eq!(status, 204);
    let (status, answer) = converse(&server, &device_token, json!({"text": "what time is it"}));
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ask_answers_in_the_households_zone_remotely_and_locally() {
    let dir = data_dir("ask");
    let server = serve(&dir);
    let token = server.token.clone().unwrap();
    let zone = "Pacific/Chatham"; // UTC+13:45 in November: no other zone shares its minutes.
    let (status, _) = call(
        "PATCH",
        &format!("{}/v1/household", server.url),
        Some(&token),
        Some(&json!({"time_zone": zone}).to_string()),
    );
    assert_eq!(status, 200);
    // The admin token cached by the server keeps the old household for a few
    // seconds; PATCH through the API forgets it at once.
    let expected = |speech: &str| {
        let now = jiff::Timestamp::now();
        [now, now - jiff::SignedDuration::from_secs(60)]
            .iter()
            .any(|t| {
                let local = t.to_zoned(jiff::tz::TimeZone::get(zone).unwrap());
                let hour = match local.hour() % 12 {
                    0 => 12,
                    h => h,
                };
                let half = if local.hour() < 12 { "AM" } else { "PM" };
                // On the hour the clock skill says "It's 5 AM.", or noon or midnight.
                speech.contains(&format!("{hour}:{:02} {half}", local.minute()))
                    || (local.minute() == 0
                        && (speech.contains(&format!("It's {hour} {half}."))
                            || speech.contains("noon")
                            || speech.contains("midnight")))
            })
    };
    let out = hark()
        .args([
            "ask",
            "--server",
            &server.url,
            "--token",
            &token,
            "what time is it",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let speech = String::from_utf8(out.stdout).unwrap();
    assert!(expected(&speech), "remote: {speech}");
    // Without --token, ask uses the token saved at the first start.
    let out = hark()
        .args(["ask", "--server", &server.url, "--data-dir"])
        .arg(&dir)
        .args(["--json", "what time is it"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["intent"]["name"], "HassGetCurrentTime");
    drop(server);
    let out = hark()
        .args(["ask", "--local", "--data-dir"])
        .arg(&dir)
        .arg("what time is it")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let speech = String::from_utf8(out.stdout).unwrap();
    assert!(expected(&speech), "local: {speech}");
    let out = hark()
        .args([
            "ask",
            "--server",
            "http://127.0.0.1:9",
            "--token",
            "x",
            "hi",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot reach hark"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigkill_mid_burst_loses_no_acknowledged_write_sqlite() {
    sigkill_mid_burst(Database::sqlite());
}

#[test]
fn sigkill_mid_burst_loses_no_acknowledged_write_postgres() {
    sigkill_mid_burst(Database::postgres());
}

fn sigkill_mid_burst(db: Database) {
    let dir = data_dir("sigkill");
    let mut server = serve_on(&dir, &db);
    let token = server.token.clone().unwrap();
    let url = format!("{}/v1/devices", server.url);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let next = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for _ in 0..4 {
        let (url, token, acknowledged, next) = (
            url.clone(),
            token.clone(),
            acknowledged.clone(),
            next.clone(),
        );
        writers.push(std::thread::spawn(move || {
            let agent = agent();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= 2_000 {
                    break;
                }
                let name = format!("speaker {n}");
                let sent = agent
                    .post(&url)
                    .header("Authorization", &format!("Bearer {token}"))
                    .header("Content-Type", "application/json")
                    .send(json!({"name": name}).to_string());
                match sent {
                    Ok(response) if response.status().as_u16() == 201 => {
                        acknowledged.lock().unwrap().push(name)
                    }
                    Ok(_) => {}
                    // The server is gone: stop writing.
                    Err(_) => break,
                }
            }
        }));
    }
    // Kill it once some writes are acknowledged, while others are in flight.
    while acknowledged.lock().unwrap().len() < 100 {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for writer in writers {
        writer.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 100 && acknowledged.len() < 2_000,
        "{} writes acknowledged",
        acknowledged.len()
    );

    let restarted = serve_on(&dir, &db);
    assert!(restarted.token.is_none(), "the data folder is not new");
    let (status, devices) = call(
        "GET",
        &format!("{}/v1/devices", restarted.url),
        Some(&token),
        None,
    );
    assert_eq!(status, 200);
    let names: std::collections::HashSet<&str> = devices
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|n| !names.contains(n.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged devices lost: {lost:?}",
        lost.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn offline_admin_commands_work_on_a_fresh_data_folder() {
    let dir = data_dir("admin");
    let run = |args: &[&str]| {
        let out = hark()
            .args(args)
            .arg("--data-dir")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // A token on a data folder nobody has served yet: the household is made first.
    let token = run(&["token", "create", "--label", "phone"])
        .trim()
        .to_string();
    assert!(token.starts_with("hark_"), "{token}");
    let added = run(&["device", "add", "kitchen"]);
    assert!(added.contains("kitchen"), "{added}");
    assert!(run(&["device", "list"])
        .lines()
        .any(|l| l.ends_with("\tkitchen")));
    let listed = run(&["token", "list"]);
    let phone = listed
        .lines()
        .find(|l| l.contains("\tphone\t"))
        .expect("the new token is listed");
    assert!(
        phone.contains("\tadmin\t") && phone.contains("\tactive\t"),
        "{phone}"
    );
    assert!(!listed.contains(&token), "secrets are never listed");
    // The token works for a local conversation as the new device.
    let out = hark()
        .args([
            "ask",
            "--local",
            "--token",
            &token,
            "--device",
            "kitchen",
            "what's the date today",
        ])
        .arg("--data-dir")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("Today is"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = phone.split('\t').next().unwrap();
    run(&["token", "revoke", id]);
    assert!(run(&["token", "list"])
        .lines()
        .any(|l| l.starts_with(id) && l.contains("\trevoked\t")));
    let out = hark()
        .args(["token", "revoke", "tok_nope", "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = hark()
        .args(["device", "add", "KITCHEN", "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "device names are unique whatever their case"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_is_file_then_environment_then_flags() {
    let dir = data_dir("config");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hark.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9001\"\ndevice = \"from-file\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let out = hark()
        .args(["config", "--config"])
        .arg(&file)
        .args(["--device", "from-flag"])
        .env("HARK_LISTEN", "127.0.0.1:9002")
        .env("HARK_DEVICE", "from-environment")
        .env("HARK_TOKEN", "hark_secret_value")
        .env("HARK_CLOCK_OFFSET_MS", "-86400000")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: toml::Table = String::from_utf8(out.stdout).unwrap().parse().unwrap();
    assert_eq!(
        printed["listen"].as_str(),
        Some("127.0.0.1:9002"),
        "the environment beats the file"
    );
    assert_eq!(
        printed["device"].as_str(),
        Some("from-flag"),
        "flags beat both"
    );
    assert_eq!(printed["language"].as_str(), Some("en"));
    assert_eq!(printed["token"].as_str(), Some("(set, hidden)"));
    assert_eq!(printed["clock_offset_ms"].as_integer(), Some(-86_400_000));
    let out = hark()
        .args(["config"])
        .env("HARK_LISTEN", "nowhere")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HARK_LISTEN"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn timers_from_the_command_line() {
    let dir = data_dir("timers");
    let server = serve(&dir);
    let run = |args: &[&str]| server.client(&dir, &[&["timers"], args].concat());
    let (ok, started, err) = run(&["start", "480", "--name", "pasta"]);
    assert!(ok, "{err}");
    assert!(started.contains("\tpasta\tpending\t"), "{started}");
    let id = started.split('\t').next().unwrap().to_string();
    let (ok, listed, _) = run(&["list"]);
    assert!(ok && listed.contains(&id), "{listed}");
    let (ok, paused, err) = run(&["pause", &id]);
    assert!(ok && paused.contains("\tpaused\t"), "{paused}{err}");
    let (ok, resumed, err) = run(&["add", &id, "-30"]);
    assert!(ok && resumed.contains("\tpaused\t"), "{resumed}{err}");
    let (ok, resumed, err) = run(&["resume", &id]);
    assert!(ok && resumed.contains("\tpending\t"), "{resumed}{err}");
    for (command, args) in [("ringing", vec!["list"]), ("missed", vec![])] {
        let (ok, out, err) = server.client(&dir, &[&[command], &args[..]].concat());
        assert!(ok, "{command}: {err}");
        assert!(out.is_empty(), "nothing rings, nothing was missed");
    }
    let (ok, cancelled, _) = run(&["cancel", &id]);
    assert!(ok && cancelled.contains("\tcancelled\t"), "{cancelled}");
    let (ok, _, err) = run(&["start", "0"]);
    assert!(!ok && err.contains("invalid_request"), "{err}");
    let (ok, _, err) = run(&["cancel", "itm_nope"]);
    assert!(!ok && err.contains("not_found"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn alarms_and_reminders_from_the_command_line() {
    let dir = data_dir("alarms-cli");
    let server = serve(&dir);
    let run = |args: &[&str]| server.client(&dir, args);
    let at = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2)).to_string();
    let (ok, set, err) = run(&["alarms", "set", &at, "--label", "gym"]);
    assert!(ok && set.contains("\tgym\tpending\t"), "{set}{err}");
    let (ok, added, err) = run(&["reminders", "add", &at, "call mum"]);
    assert!(
        ok && added.contains("\tcall mum\tpending\t"),
        "{added}{err}"
    );
    let (_, listed, _) = run(&["alarms"]);
    assert_eq!(listed.lines().count(), 1, "{listed}");
    let id = added.split('\t').next().unwrap().to_string();
    let (ok, cancelled, _) = run(&["reminders", "cancel", &id]);
    assert!(ok && cancelled.contains("\tcancelled\t"), "{cancelled}");
    let (ok, _, err) = run(&["alarms", "set", "2026-02-30T07:00:00Z"]);
    assert!(!ok && err.contains("invalid_request"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
