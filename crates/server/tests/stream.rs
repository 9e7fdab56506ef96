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

/// The next text frame, binary frames passed over.
pub(crate) async fn next(socket: &mut Socket) -> Value {
    loop {
        if let Frame::Text(message) = frame(socket).await {
            return message;
        }
    }
}

/// A frame from the server: JSON text, or bytes.
#[derive(Debug)]
enum Frame {
    Text(Value),
    Binary(Vec<u8>),
}

/// The next text or binary frame, within 10 s.
async fn frame(socket: &mut Socket) -> Frame {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("the socket stays open")
            .unwrap();
        match message {
            Message::Text(text) => {
                return Frame::Text(serde_json::from_str(text.as_str()).unwrap())
            }
            Message::Binary(bytes) => return Frame::Binary(bytes.to_vec()),
            _ => continue,
        }
    }
}

pub(crate) async fn say(socket: &mut Socket, request: Value) {
    socket
        .send(Message::Text(request.to_string().into()))
        .await
        .unwrap();
}

/// Sends `request` and takes the next text frame, its answer.
async fn ask(socket: &mut Socket, request: Value) -> Value {
    say(socket, request).await;
    next(socket).await
}

/// Sends a `converse` request whose answer comes with an event (`media`, `ring_ended`): the
/// two frames sorted by type, since either may come first.
async fn ask_with_event(socket: &mut Socket, request: Value) -> [Value; 2] {
    say(socket, request).await;
    let mut frames = [next(socket).await, next(socket).await];
    frames.sort_by_key(|f| f["type"].as_str().map(str::to_owned));
    frames
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
    let [answer, ended] = client.block_on(ask_with_event(
        &mut socket,
        json!({"type": "converse", "text": "stop"}),
    ));
    assert_eq!(
        (answer["type"].as_str(), ended["type"].as_str()),
        (Some("answer"), Some("ring_ended")),
        "{answer} {ended}"
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
    let answer = client.block_on(ask(
        &mut socket,
        json!({"type": "converse", "text": "what time is it"}),
    ));
    assert_eq!(answer["type"], "answer");
    let (_, timers) = r.call("GET", "/v1/timers", None);
    assert_eq!(timers, json!([]));
}

// Music over the socket (`media_read`), and the player's state told to every new connection.

/// The next frames must be a `media_data` header and the binary frame it announces.
async fn chunk(socket: &mut Socket) -> (Value, Vec<u8>) {
    let Frame::Text(header) = frame(socket).await else {
        panic!("a binary frame without its header");
    };
    assert_eq!(header["type"], "media_data", "{header}");
    let Frame::Binary(bytes) = frame(socket).await else {
        panic!("{header} is not followed by its bytes");
    };
    assert_eq!(
        header["length"].as_u64(),
        Some(bytes.len() as u64),
        "{header}"
    );
    (header, bytes)
}

/// A server whose first household has the media tests' library (tracks of `seconds`); the
/// folder it lives in, removed by the caller.
fn music_server(
    name: &str,
    seconds: f32,
    configure: impl FnOnce(&mut hark_server::Config),
) -> (Running, std::path::PathBuf) {
    let dir = crate::media::folder(name);
    let data = dir.join("data");
    let r = crate::timers::start_with(name, |c| {
        c.data_dir = data;
        configure(c);
    });
    crate::media::scan_into(&r, &dir.join("music"), seconds);
    (r, dir)
}

/// Plays "kind of blue" over the socket: the answer and the media event, which names the
/// first track, "So What" (m/1.flac).
async fn play_kind_of_blue(socket: &mut Socket) -> Value {
    let [answer, media] = ask_with_event(
        socket,
        json!({"type": "converse", "text": "play kind of blue"}),
    )
    .await;
    assert_eq!(answer["speech"], "Playing Kind of Blue by Miles Davis.");
    assert_eq!(media["type"], "media");
    assert_eq!(media["track"]["title"], "So What");
    media
}

/// The track's bytes over HTTP.
fn fetch(r: &Running, path: &str) -> Vec<u8> {
    ureq::get(format!("{}{path}", r.url()))
        .header("Authorization", format!("Bearer {}", r.token()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_vec()
        .unwrap()
}

/// A `media_read` request, without a `length` for the default one.
fn media_read(track: &str, offset: u64, length: Option<u64>) -> Value {
    let mut request = json!({"type": "media_read", "track": track, "offset": offset});
    if let Some(length) = length {
        request["length"] = json!(length);
    }
    request
}

#[test]
fn a_track_is_read_over_the_socket_in_chunks_with_a_conversation_between() {
    // 15 s of FLAC: more than one chunk of 64 KiB.
    let (r, dir) = music_server("stream-media-read", 15.0, |_| {});
    let file = std::fs::read(dir.join("music/m/1.flac")).unwrap();
    assert!(file.len() > 64 * 1024, "{} bytes", file.len());
    let client = client();
    let mut socket = client.block_on(connect(&r, Some(r.token()))).unwrap();
    let (id, read) = client.block_on(async {
        let media = play_kind_of_blue(&mut socket).await;
        let id = media["track"]["id"].as_str().unwrap().to_string();
        assert_eq!(media["track"]["url"], format!("/v1/media/{id}"));

        let mut read = Vec::new();
        // Bounded, so that a server that never says `end` fails the test instead of hanging it.
        for _ in 0..=file.len() / (64 * 1024) + 1 {
            let offset = read.len() as u64;
            let mut request = media_read(&id, offset, None);
            request["request_id"] = json!(offset);
            say(&mut socket, request).await;
            if offset == 0 {
                // Asked right behind the read, answered right after its bytes.
                say(
                    &mut socket,
                    json!({"type": "converse", "text": "what can you do", "request_id": "q"}),
                )
                .await;
            }
            let (header, bytes) = chunk(&mut socket).await;
            assert_eq!(header["track"], id.as_str());
            assert_eq!(header["offset"], offset);
            assert_eq!(header["request_id"], offset);
            assert_eq!(header["size"], file.len());
            assert_eq!(header["content_type"], "audio/flac");
            read.extend_from_slice(&bytes);
            if offset == 0 {
                assert_eq!(bytes.len(), 64 * 1024, "a whole chunk by default");
                let answer = next(&mut socket).await;
                assert_eq!(
                    (answer["type"].as_str(), answer["request_id"].as_str()),
                    (Some("answer"), Some("q"))
                );
                assert_eq!(answer["intent"]["name"], "HarkHelp");
            }
            if header["end"] == true {
                break;
            }
        }
        assert_eq!(read.len(), file.len(), "the whole file, then end");

        // Any piece, and the last byte.
        say(&mut socket, media_read(&id, 100, Some(10))).await;
        let (header, bytes) = chunk(&mut socket).await;
        assert_eq!(
            (bytes.as_slice(), &header["end"]),
            (&file[100..110], &json!(false))
        );
        let last = file.len() as u64 - 1;
        say(&mut socket, media_read(&id, last, Some(10))).await;
        let (header, bytes) = chunk(&mut socket).await;
        assert_eq!(
            (bytes.as_slice(), &header["end"]),
            (&file[file.len() - 1..], &json!(true))
        );
        (id, read)
    });
    assert!(read == file, "the bytes read are not the file's");
    assert!(
        read == fetch(&r, &format!("/v1/media/{id}")),
        "HTTP serves other bytes"
    );
    drop(r);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_media_reads_get_an_error_and_the_socket_stays_open() {
    let (r, dir) = music_server("stream-media-bad", 0.3, |_| {});
    let size = std::fs::metadata(dir.join("music/m/1.flac")).unwrap().len();
    let other = r.another_household("Next door");
    let client = client();
    let mut socket = client.block_on(connect(&r, Some(r.token()))).unwrap();
    let mut next_door = client.block_on(connect(&r, Some(&other))).unwrap();
    client.block_on(async {
        let media = play_kind_of_blue(&mut socket).await;
        let id = media["track"]["id"].as_str().unwrap().to_string();
        let refused = [
            (media_read(&id, size, None), "range_not_satisfiable"),
            (media_read(&id, u64::MAX, Some(1)), "range_not_satisfiable"),
            (media_read("trk_nosuchtrack", 0, None), "not_found"),
            (media_read(&id, 0, Some(0)), "invalid_request"),
            (media_read(&id, 0, Some(64 * 1024 + 1)), "invalid_request"),
            (media_read(&id, 0, Some(1 << 40)), "invalid_request"),
            (json!({"type": "media_read", "offset": 0}), "invalid_json"),
            (
                json!({"type": "media_read", "track": id, "offset": -1}),
                "invalid_json",
            ),
            (
                json!({"type": "media_read", "track": id, "offset": 0, "length": -5}),
                "invalid_json",
            ),
            (
                json!({"type": "media_read", "track": id, "offset": 0, "whence": 1}),
                "invalid_json",
            ),
        ];
        for (i, (mut request, code)) in refused.into_iter().enumerate() {
            request["request_id"] = json!(i);
            say(&mut socket, request.clone()).await;
            let Frame::Text(reply) = frame(&mut socket).await else {
                panic!("bytes for {request}");
            };
            assert_eq!(
                (reply["type"].as_str(), reply["error"]["code"].as_str()),
                (Some("error"), Some(code)),
                "{request}: {reply}"
            );
            assert_eq!(reply["request_id"], i, "{reply}");
        }
        let past = ask(&mut socket, media_read(&id, size, None)).await;
        assert!(
            past["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&size.to_string()),
            "the size is said: {past}"
        );

        // Another household's track is not found, as on HTTP.
        let refused = ask(&mut next_door, media_read(&id, 0, None)).await;
        assert_eq!(refused["error"]["code"], "not_found");

        // A file gone since the scan: not found; the other tracks still read.
        std::fs::remove_file(dir.join("music/m/1.flac")).unwrap();
        let gone = ask(&mut socket, media_read(&id, 0, None)).await;
        assert_eq!(gone["error"]["code"], "not_found");
        let [_, media] =
            ask_with_event(&mut socket, json!({"type": "converse", "text": "next"})).await;
        let second = media["track"]["id"].as_str().unwrap().to_string();
        say(&mut socket, media_read(&second, 0, Some(4))).await;
        let (_, bytes) = chunk(&mut socket).await;
        assert_eq!(bytes, b"fLaC");
    });
    drop(r);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_new_connection_is_first_told_the_players_state() {
    let (r, dir) = music_server("stream-media-replay", 0.3, |_| {});
    let client = client();

    // A device that never played is told nothing of a player: the first frame is the answer.
    let mut socket = client.block_on(connect(&r, Some(r.token()))).unwrap();
    let first = client.block_on(ask(
        &mut socket,
        json!({"type": "converse", "text": "what can you do"}),
    ));
    assert_eq!(first["type"], "answer", "{first}");
    drop(socket);
    let events = r.listen("default");
    crate::timers::say(&r, "set the volume to 7", None);
    assert_eq!(
        events.recv_timeout(Duration::from_secs(10)).unwrap(),
        json!({"type": "volume", "level": 70, "muted": false}),
        "the live event, with no replay before it"
    );
    drop(events);

    for said in [
        "play kind of blue",
        "next",
        "pause",
        "set a tea timer for 1 minute",
    ] {
        crate::timers::say(&r, said, None);
    }
    r.advance(60);
    let (status, player) = r.call("GET", "/v1/devices/default/player", None);
    assert_eq!(status, 200, "{player}");

    // The socket: what rings, then the player as stored, then the volume.
    let mut socket = client.block_on(connect(&r, Some(r.token()))).unwrap();
    let replayed = client.block_on(async {
        [
            next(&mut socket).await,
            next(&mut socket).await,
            next(&mut socket).await,
        ]
    });
    let [fired, media, volume] = &replayed;
    assert_eq!(
        (fired["type"].as_str(), fired["name"].as_str()),
        (Some("fired"), Some("tea"))
    );
    assert_eq!(
        (
            media["type"].as_str(),
            media["state"].as_str(),
            media["index"].as_u64(),
            media["queue_len"].as_u64(),
            media["output"].as_str()
        ),
        (
            Some("media"),
            Some("paused"),
            Some(1),
            Some(3),
            Some("device")
        )
    );
    assert_eq!(media["track"], player["current"]);
    assert_eq!(media["track"]["title"], "Freddie Freeloader");
    assert_eq!(
        *volume,
        json!({"type": "volume", "level": 70, "muted": false})
    );

    // Server-sent events: the same, in the same order.
    let events = r.listen("default");
    for expected in &replayed {
        let event = events.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(&event, expected);
    }
    drop(r);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_read_while_listening_and_speaking_keeps_every_binary_frame_attributable() {
    let (r, dir) = music_server("stream-media-voice", 0.3, |c| {
        c.voice = true;
        c.voice_intents = ["HassGetCurrentTime", "HarkStop", "HarkHelp"]
            .map(String::from)
            .to_vec();
    });
    let file = std::fs::read(dir.join("music/m/1.flac")).unwrap();
    let client = client();
    let mut socket = client.block_on(connect(&r, Some(r.token()))).unwrap();
    client.block_on(async {
        let media = play_kind_of_blue(&mut socket).await;
        let id = media["track"]["id"].as_str().unwrap().to_string();
        let listening = ask(&mut socket, json!({"type": "listen", "request_id": "turn"})).await;
        assert_eq!(listening["type"], "listening");
        // The microphone hears a quiet room; a chunk is read while the turn is open.
        let hiss = hark_audio::mix::noise(hark_audio::mix::Color::Pink, 5, 16_000, -50.0);
        let bytes: Vec<u8> = hiss.iter().flat_map(|s| s.to_le_bytes()).collect();
        socket.send(Message::Binary(bytes.into())).await.unwrap();
        say(&mut socket, media_read(&id, 0, Some(1000))).await;
        let (_, bytes) = chunk(&mut socket).await;
        assert_eq!(bytes, file[..1000]);

        // The device ends its audio and reads again at once: the read's bytes come either
        // before the spoken answer or after it, never inside it.
        say(&mut socket, json!({"type": "audio_end"})).await;
        say(&mut socket, media_read(&id, 1000, Some(1000))).await;
        let mut owner: Option<Value> = None;
        let mut media_bytes = Vec::new();
        let mut spoken = 0;
        let mut stopped = false;
        // Until both the spoken answer and the read are done.
        while !stopped || media_bytes.is_empty() {
            match frame(&mut socket).await {
                Frame::Text(message) => {
                    let kind = message["type"].as_str().unwrap_or_default().to_owned();
                    assert!(
                        owner.as_ref().is_none_or(|o| o["type"] != "media_data"),
                        "{message} came between a media_data header and its bytes"
                    );
                    if owner.as_ref().is_some_and(|o| o["type"] == "audio_start") {
                        assert_eq!(kind, "audio_stop", "inside the spoken answer: {message}");
                    }
                    stopped |= kind == "audio_stop";
                    owner =
                        matches!(kind.as_str(), "audio_start" | "media_data").then_some(message);
                }
                Frame::Binary(bytes) => match owner.as_ref().map(|o| o["type"].as_str()) {
                    Some(Some("media_data")) => {
                        assert!(media_bytes.is_empty(), "a second binary frame for one read");
                        media_bytes = bytes;
                        owner = None;
                    }
                    Some(Some("audio_start")) => spoken += bytes.len(),
                    other => panic!("a binary frame owned by {other:?}"),
                },
            }
        }
        assert_eq!(media_bytes, file[1000..2000]);
        assert!(spoken > 0, "the answer was spoken");
    });
    drop(r);
    let _ = std::fs::remove_dir_all(&dir);
}
