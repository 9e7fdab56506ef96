//! The real client against local servers that speak the protocol as its documentation
//! describes it (header line, extra data, payload), written here byte by byte rather than with
//! the crate's own codec, so that the two sides cannot share a mistake.

use std::time::Duration;

use hark_wyoming::{read_event, Client, Limits, Pcm, WyomingError};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_secs(5);

/// One event as the test server reads it: the header, and the payload.
async fn receive(reader: &mut BufReader<TcpStream>) -> Option<(Value, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let header: Value = serde_json::from_str(&line).unwrap();
    let mut payload = vec![0; header["payload_length"].as_u64().unwrap_or(0) as usize];
    reader.read_exact(&mut payload).await.unwrap();
    Some((header, payload))
}

async fn send(stream: &mut BufReader<TcpStream>, header: Value, payload: &[u8]) {
    let mut bytes = header.to_string().into_bytes();
    bytes.push(b'\n');
    bytes.extend_from_slice(payload);
    stream.get_mut().write_all(&bytes).await.unwrap();
}

/// Serves one connection with `serve`, on a free port; returns the address.
async fn server<F, Fut>(serve: F) -> String
where
    F: FnOnce(BufReader<TcpStream>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        serve(BufReader::new(stream)).await;
    });
    address
}

#[tokio::test]
async fn transcribe_sends_the_audio_and_reads_the_transcript() {
    let samples: Vec<i16> = (0..16_000).map(|i| (i % 100) as i16).collect();
    let expected: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let address = server(move |mut s| async move {
        let (request, _) = receive(&mut s).await.unwrap();
        assert_eq!(request["type"], "transcribe");
        assert_eq!(request["data"]["language"], "en");
        let (start, _) = receive(&mut s).await.unwrap();
        assert_eq!(start["type"], "audio-start");
        assert_eq!((start["data"]["rate"].as_u64(), start["data"]["width"].as_u64(), start["data"]["channels"].as_u64()), (Some(16_000), Some(2), Some(1)));
        let mut audio = Vec::new();
        loop {
            let (event, payload) = receive(&mut s).await.unwrap();
            match event["type"].as_str() {
                Some("audio-chunk") => audio.extend(payload),
                Some("audio-stop") => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(audio, expected, "every sample, in order");
        // A streaming server's partial results come first; the client skips them. The text
        // comes as extra data after the header, which the protocol merges over `data`.
        send(&mut s, json!({"type": "transcript-start", "data": {}}), &[]).await;
        send(&mut s, json!({"type": "transcript-chunk", "data": {"text": "what"}}), &[]).await;
        let extra = json!({"text": "what time is it"}).to_string();
        send(
            &mut s,
            json!({"type": "transcript", "data": {"text": "overwritten"}, "data_length": extra.len()}),
            extra.as_bytes(),
        )
        .await;
    })
    .await;
    let client = Client::new(&address, TIMEOUT);
    let text = client
        .transcribe(&Pcm::mono16(16_000, &samples), Some("en"))
        .await
        .unwrap();
    assert_eq!(text, "what time is it");
}

#[tokio::test]
async fn synthesize_collects_every_chunk_in_the_servers_format() {
    let address = server(|mut s| async move {
        let (request, _) = receive(&mut s).await.unwrap();
        assert_eq!(request["type"], "synthesize");
        assert_eq!(request["data"]["text"], "It's 7 AM.");
        assert_eq!(request["data"]["voice"]["name"], "en_US-lessac-medium");
        let format = json!({"rate": 22_050, "width": 2, "channels": 1});
        send(&mut s, json!({"type": "audio-start", "data": format}), &[]).await;
        for chunk in [[1u8, 0, 2, 0], [3, 0, 4, 0]] {
            send(
                &mut s,
                json!({"type": "audio-chunk", "data": format, "payload_length": 4}),
                &chunk,
            )
            .await;
        }
        send(&mut s, json!({"type": "audio-stop"}), &[]).await;
    })
    .await;
    let audio = Client::new(&address, TIMEOUT)
        .synthesize("It's 7 AM.", Some("en_US-lessac-medium"))
        .await
        .unwrap();
    assert_eq!((audio.rate, audio.width, audio.channels), (22_050, 2, 1));
    assert_eq!(audio.bytes, [1, 0, 2, 0, 3, 0, 4, 0]);
}

#[tokio::test]
async fn describe_returns_the_info() {
    let address = server(|mut s| async move {
        let (request, _) = receive(&mut s).await.unwrap();
        assert_eq!(request["type"], "describe");
        let info = json!({"asr": [{"name": "faster-whisper", "models": []}]});
        send(&mut s, json!({"type": "info", "data": info}), &[]).await;
    })
    .await;
    let info = Client::new(&address, TIMEOUT).describe().await.unwrap();
    assert_eq!(info["asr"][0]["name"], "faster-whisper");
}

#[tokio::test]
async fn a_server_that_breaks_off_or_lies_is_an_error_not_a_hang() {
    // Closes in the middle of a payload.
    let address = server(|mut s| async move {
        receive(&mut s).await.unwrap();
        let format = json!({"rate": 16_000, "width": 2, "channels": 1});
        send(&mut s, json!({"type": "audio-start", "data": format}), &[]).await;
        send(
            &mut s,
            json!({"type": "audio-chunk", "data": format, "payload_length": 100}),
            &[0; 10],
        )
        .await;
    })
    .await;
    let error = Client::new(&address, TIMEOUT)
        .synthesize("hi", None)
        .await
        .unwrap_err();
    assert!(matches!(error, WyomingError::Closed), "{error:?}");

    // Announces a payload over the limit: refused before reading it.
    let address = server(|mut s| async move {
        receive(&mut s).await.unwrap();
        send(&mut s, json!({"type": "audio-start", "data": {"rate": 16_000, "width": 2, "channels": 1}, "payload_length": 1u64 << 40}), &[]).await;
    })
    .await;
    let error = Client::new(&address, TIMEOUT)
        .synthesize("hi", None)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, WyomingError::Protocol(m) if m.contains("over the limit")),
        "{error:?}"
    );

    // Says nothing: the client gives up after its timeout.
    let address = server(|mut s| async move {
        receive(&mut s).await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let short = Duration::from_millis(200);
    let error = Client::new(&address, short).describe().await.unwrap_err();
    assert!(matches!(error, WyomingError::Timeout(_)), "{error:?}");

    // Sends an error event.
    let address = server(|mut s| async move {
        receive(&mut s).await.unwrap();
        send(
            &mut s,
            json!({"type": "error", "data": {"text": "no model loaded"}}),
            &[],
        )
        .await;
    })
    .await;
    let error = Client::new(&address, TIMEOUT).describe().await.unwrap_err();
    assert!(
        matches!(&error, WyomingError::Protocol(m) if m.contains("no model loaded")),
        "{error:?}"
    );

    // Nobody listens.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    drop(listener);
    let error = Client::new(&address, TIMEOUT).describe().await.unwrap_err();
    assert!(matches!(error, WyomingError::Io(_)), "{error:?}");
}

#[tokio::test]
async fn malformed_headers_are_refused() {
    let limits = Limits {
        header_bytes: 64,
        ..Limits::default()
    };
    for (bytes, expected) in [
        (&b"not json\n"[..], "not JSON"),
        (b"[1, 2]\n", "not a JSON object"),
        (b"{\"data\": {}}\n", "without a type"),
        (b"{\"type\": \"x\", \"data\": 3}\n", "not an object"),
        (
            b"{\"type\": \"x\", \"payload_length\": -1}\n",
            "not a length",
        ),
        (
            b"{\"type\": \"x\", \"data_length\": 2}\n[]",
            "not a JSON object",
        ),
        (&[b'{'; 100][..], "longer than 64 bytes"),
    ] {
        let mut reader = BufReader::new(bytes);
        let error = read_event(&mut reader, &limits).await.unwrap_err();
        assert!(
            matches!(&error, WyomingError::Protocol(m) if m.contains(expected)),
            "{:?}: {error:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    // A clean end between events is no event; an end inside a header is a broken stream.
    assert!(read_event(&mut BufReader::new(&b""[..]), &limits)
        .await
        .unwrap()
        .is_none());
    let error = read_event(&mut BufReader::new(&b"{\"type\""[..]), &limits)
        .await
        .unwrap_err();
    assert!(matches!(error, WyomingError::Closed), "{error:?}");
}
