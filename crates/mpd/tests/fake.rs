//! Scripted servers that speak the protocol by hand (not with the crate's own code), one
//! script per accepted connection, recording every line they read.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hark_mpd::{Client, Limits, MpdError, State};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_secs(5);

/// One accepted connection, greeted; records what it reads in the shared log.
struct Peer {
    stream: BufReader<TcpStream>,
    log: Arc<Mutex<Vec<String>>>,
    connection: usize,
}

impl Peer {
    /// The next line the client sent (without its newline); `None` once it closed.
    async fn line(&mut self) -> Option<String> {
        let mut line = String::new();
        if self.stream.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches('\n').to_owned();
        self.log
            .lock()
            .unwrap()
            .push(format!("{}: {line}", self.connection));
        Some(line)
    }

    async fn write(&mut self, text: &str) {
        let _ = self.stream.get_mut().write_all(text.as_bytes()).await;
    }

    /// Reads one command and answers `answer`.
    async fn answer(&mut self, answer: &str) {
        self.line().await.expect("a command");
        self.write(answer).await;
    }
}

/// A server on a free port that greets each connection, then runs `script` on it with the
/// connection's number (0 for the first). Returns the address and the log of lines read.
async fn serve<F, Fut>(script: F) -> (String, Arc<Mutex<Vec<String>>>)
where
    F: Fn(Peer) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let log = Arc::new(Mutex::new(Vec::new()));
    let shared = log.clone();
    tokio::spawn(async move {
        let mut connection = 0;
        while let Ok((stream, _)) = listener.accept().await {
            let mut peer = Peer {
                stream: BufReader::new(stream),
                log: shared.clone(),
                connection,
            };
            peer.write("OK MPD 0.23.5\n").await;
            tokio::spawn(script(peer));
            connection += 1;
        }
    });
    (address, log)
}

fn lines(log: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    log.lock().unwrap().clone()
}

#[tokio::test]
async fn commands_go_out_quoted_and_answers_come_back_typed() {
    let (address, log) = serve(|mut peer| async move {
        peer.answer("volume: 40\nstate: pause\nsong: 1\nsongid: 7\nplaylistlength: 3\nOK\n")
            .await;
        peer.answer("OK\n").await;
        peer.answer("OK\n").await;
        peer.answer("OK\n").await;
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    assert_eq!(client.server_version(), Some("0.23.5"));
    let status = client.status().await.unwrap();
    assert_eq!(status.state, State::Pause);
    assert_eq!(status.volume, Some(40));
    assert_eq!((status.song, status.song_id), (Some(1), Some(7)));
    client.add(r#"Rock/AC\DC "Live".flac"#).await.unwrap();
    client
        .seek_current(Duration::from_millis(1500))
        .await
        .unwrap();
    client.play(Some(2)).await.unwrap();
    assert_eq!(
        lines(&log),
        [
            "0: status",
            r#"0: add "Rock/AC\\DC \"Live\".flac""#,
            r#"0: seekcur "1.500""#,
            r#"0: play "2""#,
        ]
    );
}

#[tokio::test]
async fn add_many_is_one_command_list_split_only_when_long() {
    let (address, log) = serve(|mut peer| async move {
        while let Some(line) = peer.line().await {
            if line == "command_list_end" {
                peer.write("OK\n").await;
            }
        }
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    client.add_many(&["a.flac", "b c.ogg"]).await.unwrap();
    assert_eq!(
        lines(&log),
        [
            "0: command_list_begin",
            r#"0: add "a.flac""#,
            r#"0: add "b c.ogg""#,
            "0: command_list_end",
        ]
    );
    client.add_many::<&str>(&[]).await.unwrap();
    assert_eq!(lines(&log).len(), 4, "an empty list sends nothing");

    // 30,000 adds of about 70 bytes each: more than MPD takes in one list by default (2 MiB).
    log.lock().unwrap().clear();
    let uris: Vec<String> = (0..30_000)
        .map(|i| format!("Artist {i}/Album {i}/{i:05} A title long enough.flac"))
        .collect();
    client.add_many(&uris).await.unwrap();
    let sent = lines(&log);
    let lists: Vec<&[String]> = sent
        .split(|line| line == "0: command_list_end")
        .filter(|list| !list.is_empty())
        .collect();
    assert!(lists.len() > 1, "one list of {} lines", sent.len());
    for list in &lists {
        assert_eq!(list[0], "0: command_list_begin");
        let bytes: usize = list.iter().map(|line| line.len() - 3 + 1).sum();
        assert!(bytes < 2 * 1024 * 1024, "a list of {bytes} bytes");
    }
    let added: Vec<String> = sent
        .iter()
        .filter_map(|line| line.strip_prefix("0: add \""))
        .map(|uri| uri.trim_end_matches('"').to_owned())
        .collect();
    assert_eq!(added, uris, "every song, once, in order");
}

#[tokio::test]
async fn an_ack_in_a_command_list_names_the_failed_command_and_keeps_the_connection() {
    let (address, _log) = serve(|mut peer| async move {
        while let Some(line) = peer.line().await {
            match line.as_str() {
                "command_list_end" => peer.write("ACK [50@1] {add} No such song\n").await,
                "ping" => peer.write("OK\n").await,
                _ => {}
            }
        }
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    let error = client.add_many(&["a", "b", "c"]).await.unwrap_err();
    assert!(
        matches!(
            &error,
            MpdError::Ack { code: 50, index: 1, command, message }
                if command == "add" && message == "No such song"
        ),
        "{error:?}"
    );
    assert_eq!(error.ack_code(), Some(hark_mpd::ack::NO_EXIST));
    assert!(client.is_connected());
    client.ping().await.unwrap();
}

#[tokio::test]
async fn a_connection_the_server_closed_while_idle_is_opened_again() {
    // The first connection answers one command and closes, as MPD does after its
    // connection_timeout; the next call must go out on a new one, once.
    let (address, log) = serve(|mut peer| async move {
        if peer.connection == 0 {
            peer.answer("state: stop\nOK\n").await;
        } else {
            peer.answer("state: play\nOK\n").await;
        }
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    assert_eq!(client.status().await.unwrap().state, State::Stop);
    assert_eq!(client.status().await.unwrap().state, State::Play);
    assert_eq!(lines(&log), ["0: status", "1: status"]);
}

#[tokio::test]
async fn a_command_read_but_never_answered_is_sent_again_on_a_new_connection() {
    let (address, log) = serve(|mut peer| async move {
        if peer.connection == 0 {
            peer.answer("OK\n").await;
            // Reads the next command and closes without a byte of answer.
            peer.line().await;
        } else {
            peer.answer("OK\n").await;
        }
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    client.ping().await.unwrap();
    client.next().await.unwrap();
    assert_eq!(lines(&log), ["0: ping", "0: next", "1: next"]);
}

#[tokio::test]
async fn a_second_close_is_returned_not_retried_again() {
    let (address, log) = serve(|mut peer| async move {
        if peer.connection == 0 {
            peer.answer("OK\n").await;
        }
        peer.line().await;
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    client.ping().await.unwrap();
    let error = client.next().await.unwrap_err();
    assert!(matches!(error, MpdError::Io(_)), "{error:?}");
    assert_eq!(lines(&log), ["0: ping", "0: next", "1: next"]);
}

#[tokio::test]
async fn an_answer_cut_short_is_an_error_and_is_not_sent_again() {
    let (address, log) = serve(|mut peer| async move {
        if peer.connection == 0 {
            // Half an answer: the command ran, so sending it again could run it twice.
            peer.answer("file: a.flac\nPos: 0\n").await;
        } else {
            peer.answer("OK\n").await;
        }
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    let error = client.queue().await.unwrap_err();
    assert!(matches!(error, MpdError::Io(_)), "{error:?}");
    assert!(!client.is_connected());
    assert_eq!(lines(&log), ["0: playlistinfo"]);
    // The next call opens a new connection.
    client.ping().await.unwrap();
    assert_eq!(lines(&log), ["0: playlistinfo", "1: ping"]);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let (address, _log) = serve(|mut peer| async move {
        peer.line().await;
        // Holds the connection open without answering.
        std::future::pending::<()>().await;
    })
    .await;
    let timeout = Duration::from_millis(200);
    let mut client = Client::connect(&address, timeout).await.unwrap();
    let error = client.status().await.unwrap_err();
    assert!(
        matches!(error, MpdError::Timeout(t) if t == timeout),
        "{error:?}"
    );
    assert!(
        !client.is_connected(),
        "a timed-out connection is not reused"
    );
}

#[tokio::test]
async fn a_server_that_never_greets_times_out_on_connect() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let _held = tokio::spawn(async move {
        let (_stream, _) = listener.accept().await.unwrap();
        std::future::pending::<()>().await;
    });
    let timeout = Duration::from_millis(200);
    let error = Client::connect(&address, timeout).await.unwrap_err();
    assert!(matches!(error, MpdError::Timeout(_)), "{error:?}");
}

#[tokio::test]
async fn an_endless_answer_stops_at_the_limit() {
    let (address, _log) = serve(|mut peer| async move {
        peer.line().await;
        let chunk = "file: song.flac\n".repeat(1000);
        loop {
            if peer
                .stream
                .get_mut()
                .write_all(chunk.as_bytes())
                .await
                .is_err()
            {
                return;
            }
        }
    })
    .await;
    let limits = Limits {
        line_bytes: 1024,
        response_bytes: 1024 * 1024,
    };
    let mut client = Client::connect(&address, TIMEOUT)
        .await
        .unwrap()
        .with_limits(limits);
    let error = client.list_all(None).await.unwrap_err();
    assert!(
        matches!(&error, MpdError::Protocol(m) if m.contains("1048576 bytes")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_server_that_is_not_mpd_is_a_protocol_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.2\r\n").await;
        std::future::pending::<()>().await;
    });
    let error = Client::connect(&address, TIMEOUT).await.unwrap_err();
    assert!(matches!(error, MpdError::Protocol(_)), "{error:?}");
}

#[tokio::test]
async fn nobody_listening_is_an_io_error() {
    let address = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let error = Client::connect(&address, TIMEOUT).await.unwrap_err();
    assert!(matches!(error, MpdError::Io(_)), "{error:?}");
}

#[tokio::test]
async fn the_password_goes_out_again_on_every_new_connection() {
    let (address, log) = serve(|mut peer| async move {
        peer.answer("OK\n").await;
        peer.answer("OK\n").await;
    })
    .await;
    let mut client = Client::new(&address, TIMEOUT).with_password("open \"sesame\"");
    client.ping().await.unwrap();
    client.disconnect();
    client.ping().await.unwrap();
    assert_eq!(
        lines(&log),
        [
            r#"0: password "open \"sesame\"""#,
            "0: ping",
            r#"1: password "open \"sesame\"""#,
            "1: ping",
        ]
    );
}

#[tokio::test]
async fn an_argument_with_a_newline_is_refused_before_anything_is_sent() {
    let (address, log) = serve(|mut peer| async move {
        while peer.line().await.is_some() {
            peer.write("OK\n").await;
        }
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    let error = client.add("a.flac\nclear").await.unwrap_err();
    assert!(matches!(error, MpdError::InvalidArgument(_)), "{error:?}");
    let error = client.add_many(&["a.flac", "b\n.flac"]).await.unwrap_err();
    assert!(matches!(error, MpdError::InvalidArgument(_)), "{error:?}");
    let error = client.set_volume(101).await.unwrap_err();
    assert!(matches!(error, MpdError::InvalidArgument(_)), "{error:?}");
    client.ping().await.unwrap();
    assert_eq!(lines(&log), ["0: ping"]);
}

#[tokio::test]
async fn an_ack_in_a_later_command_list_counts_from_the_first_song() {
    let (address, _log) = serve(|mut peer| async move {
        let mut lists = 0;
        while let Some(line) = peer.line().await {
            if line == "command_list_end" {
                lists += 1;
                if lists == 2 {
                    peer.write("ACK [50@2] {add} No such song\n").await;
                } else {
                    peer.write("OK\n").await;
                }
            }
        }
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    let uris: Vec<String> = (0..20_000)
        .map(|i| format!("{i:05} a title long enough to need several lists.flac"))
        .collect();
    let error = client.add_many(&uris).await.unwrap_err();
    let MpdError::Ack { index, .. } = error else {
        panic!("{error:?}");
    };
    // The second list starts where the first one's bytes ran out.
    let first_list = 512 * 1024 / (uris[0].len() + 7);
    assert!(
        (first_list..first_list + 2).contains(&(index as usize - 2)),
        "index {index}, first list about {first_list} songs"
    );
}

#[tokio::test]
async fn waiting_for_an_update_idles_until_it_ends() {
    let (address, log) = serve(|mut peer| async move {
        peer.answer("updating_db: 3\nOK\n").await;
        peer.answer("state: stop\nupdating_db: 3\nOK\n").await;
        peer.answer("changed: update\nOK\n").await;
        peer.answer("state: stop\nOK\n").await;
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    assert_eq!(client.update(Some("New Music")).await.unwrap(), 3);
    client.wait_for_update(TIMEOUT).await.unwrap();
    assert_eq!(
        lines(&log),
        [
            r#"0: update "New Music""#,
            "0: status",
            r#"0: idle "update""#,
            "0: status"
        ]
    );
}

#[tokio::test]
async fn an_update_that_never_ends_times_out_after_the_given_wait() {
    let (address, _log) = serve(|mut peer| async move {
        peer.answer("state: stop\nupdating_db: 3\nOK\n").await;
        peer.line().await;
        std::future::pending::<()>().await;
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    let within = Duration::from_millis(300);
    let error = client.wait_for_update(within).await.unwrap_err();
    assert!(
        matches!(error, MpdError::Timeout(t) if t == within),
        "{error:?}"
    );
    assert!(!client.is_connected(), "an idle connection is not reused");
}

#[tokio::test]
async fn commands_that_would_desynchronize_the_connection_are_refused() {
    let (address, log) = serve(|mut peer| async move {
        peer.answer("OK\n").await;
    })
    .await;
    let mut client = Client::connect(&address, TIMEOUT).await.unwrap();
    for name in ["idle", "close", "command_list_begin", "albumart"] {
        let error = client.command(name, &[]).await.unwrap_err();
        assert!(matches!(error, MpdError::InvalidArgument(_)), "{error:?}");
    }
    client.command("ping", &[]).await.unwrap();
    assert_eq!(lines(&log), ["0: ping"]);
}
