//! `/v1/stream`: one WebSocket for a device's conversation and its events, over real
//! WebSocket on a free port, the clock moved by hand.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::timers::{start, Running};

pub(crate) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(crate) fn client() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub(crate) async fn connect(r: &Running, token: Option<&str>) -> Result<Socket, String> {
    let url = format!(
        "{}/v1/stream?device=default",
        r.url().replace("http://", "ws://")
    );
    let mut request = url.into_client_request().unwrap();
    if let Some(token) = token {
        let value = format!("Bearer {token}").parse().unwrap();
        request.headers_mut().insert("Authorization", value);
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(format!("HTTP {}", response.status().as_u16()))
        }
        Err(e) => Err(e.to_string()),
    }
}

pub(crate) async fn next(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("the socket stays open")
            .unwrap();
        if let Message::Text(text) = message {
            return serde_json::from_str(text.as_str()).unwrap();
        }
    }
}

pub(crate) async fn say(socket: &mut Socket, request: Value) {
    socket
        .send(Message::Text(request.to_string().into()))
        .await
        .unwrap();
}

#[test]
fn one_socket_carries_the_conversation_and_the_devices_events() {
    let r = start("stream");
    let client = client();
    let mut socket = client.block_on(connect(&r, Some(r.token()))).unwrap();

    let answer = client.block_on(async {
        say(
            &mut socket,
            json!({"type": "converse", "text": "set a tea timer for 1 minute", "request_id": 7}),
        )
        .await;
        next(&mut socket).await
    });
    assert_eq!(answer["type"], "answer");
    assert_eq!(answer["speech"], "Tea timer set for 1 minute.");
    assert_eq!(answer["request_id"], 7);

    r.advance(60);
    let fired = client.block_on(next(&mut socket));
    assert_eq!(
        (fired["type"].as_str(), fired["name"].as_str()),
        (Some("fired"), Some("tea"))
    );

    // A second connection of the same device is first told what rings there.
    let mut second = client.block_on(connect(&r, Some(r.token()))).unwrap();
    let replayed = client.block_on(next(&mut second));
    assert_eq!(
        (replayed["type"].as_str(), &replayed["id"]),
        (Some("fired"), &fired["id"])
    );

    // "Stop" over the socket: the answer, and the ring's end, on both connections.
    let (first, then) = client.block_on(async {
        say(&mut socket, json!({"type": "converse", "text": "stop"})).await;
        (next(&mut socket).await, next(&mut socket).await)
    });
    let mut kinds = [first["type"].as_str(), then["type"].as_str()];
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        [Some("answer"), Some("ring_ended")],
        "{first} {then}"
    );
    let ended = client.block_on(next(&mut second));
    assert_eq!(
        (ended["type"].as_str(), ended["reason"].as_str()),
        (Some("ring_ended"), Some("stopped"))
    );
}

#[test]
fn bad_requests_get_an_error_and_the_socket_stays_open() {
    let r = start("stream-bad");
    let client = client();
    assert_eq!(client.block_on(connect(&r, None)).unwrap_err(), "HTTP 401");
    assert_eq!(
        client
            .block_on(connect(&r, Some("hark_nope_nope")))
            .unwrap_err(),
        "HTTP 401"
    );
    let mut socket = client.block_on(connect(&r, Some(r.token()))).unwrap();
    let errors = client.block_on(async {
        let mut errors = Vec::new();
        for request in [
            Message::Text("not json".into()),
            Message::Text(json!({"type": "dance"}).to_string().into()),
            Message::Text(
                json!({"type": "converse", "text": "hi", "session": "", "request_id": "a"})
                    .to_string()
                    .into(),
            ),
            Message::Binary(vec![0u8; 320].into()),
        ] {
            socket.send(request).await.unwrap();
            errors.push(next(&mut socket).await);
        }
        errors
    });
    let codes: Vec<&str> = errors
        .iter()
        .filter_map(|e| e["error"]["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "invalid_json",
            "invalid_json",
            "invalid_request",
            "unsupported_media_type"
        ]
    );
    assert_eq!(errors[2]["request_id"], "a");
    // Still answering.
    let answer = client.block_on(async {
        say(
            &mut socket,
            json!({"type": "converse", "text": "what time is it"}),
        )
        .await;
        next(&mut socket).await
    });
    assert_eq!(answer["type"], "answer");
    let (_, timers) = r.call("GET", "/v1/timers", None);
    assert_eq!(timers, json!([]));
}
