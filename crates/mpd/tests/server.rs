//! The client against a real mpd that asks for a password, crashes, restarts, or closes idle
//! connections.

use std::time::Duration;

use hark_mpd::testing::{wait_until_server_closes, Options, Tags, TestMpd};
use hark_mpd::{ack, Client, MpdError, State};

const TIMEOUT: Duration = Duration::from_secs(10);
const SONG: &str = "song.flac";

fn with_a_song(test: &str, options: Options) -> Option<TestMpd> {
    let mut mpd = TestMpd::new(test, options)?;
    mpd.add_track(
        SONG,
        60,
        &Tags {
            title: Some("A Song"),
            ..Tags::default()
        },
    );
    mpd.start();
    Some(mpd)
}

#[tokio::test]
async fn a_password_protected_server() {
    let password = "open sesame";
    let Some(mut mpd) = with_a_song(
        "a_password_protected_server",
        Options {
            password: Some(password.into()),
            ..Options::default()
        },
    ) else {
        return;
    };

    // Without the password: reading is allowed, changing is not.
    let mut client = Client::connect(mpd.address(), TIMEOUT).await.unwrap();
    assert_eq!(client.status().await.unwrap().state, State::Stop);
    let error = client.add(SONG).await.unwrap_err();
    assert!(
        matches!(&error, MpdError::Ack { code: ack::PERMISSION, command, .. } if command == "add"),
        "{error:?}"
    );
    let error = client.password("open sesame!").await.unwrap_err();
    assert_eq!(error.ack_code(), Some(ack::PASSWORD), "{error:?}");
    client.password(password).await.unwrap();
    client.add(SONG).await.unwrap();
    client.play(None).await.unwrap();
    assert_eq!(client.status().await.unwrap().state, State::Play);

    // A client given the password up front, across a restart of the server.
    let mut client = Client::new(mpd.address(), TIMEOUT).with_password(password);
    client.set_volume(20).await.unwrap();
    mpd.restart();
    client.clear().await.unwrap();
    client.add(SONG).await.unwrap();
    assert_eq!(client.queue().await.unwrap().len(), 1);

    // A wrong password up front fails every connection, with the server's reason.
    let mut wrong = Client::new(mpd.address(), TIMEOUT).with_password("nope");
    let error = wrong.status().await.unwrap_err();
    assert_eq!(error.ack_code(), Some(ack::PASSWORD), "{error:?}");
}

#[tokio::test]
async fn a_killed_server_is_an_io_error_until_it_is_back() {
    let Some(mut mpd) = with_a_song(
        "a_killed_server_is_an_io_error_until_it_is_back",
        Options::default(),
    ) else {
        return;
    };
    let mut client = Client::connect(mpd.address(), TIMEOUT).await.unwrap();
    client.update(None).await.unwrap();
    client.wait_for_update(TIMEOUT).await.unwrap();
    client.add(SONG).await.unwrap();
    client.play(None).await.unwrap();

    mpd.kill();
    let error = client.status().await.unwrap_err();
    assert!(matches!(error, MpdError::Io(_)), "{error:?}");
    assert!(!client.is_connected());
    let error = client.ping().await.unwrap_err();
    assert!(matches!(error, MpdError::Io(_)), "{error:?}");
    let error = client.reconnect().await.unwrap_err();
    assert!(matches!(error, MpdError::Io(_)), "{error:?}");

    mpd.start();
    // The next call connects again by itself.
    client.status().await.unwrap();
    assert!(client.is_connected());
    assert_eq!(
        client.server_version().map(|v| v.starts_with("0.")),
        Some(true)
    );
    client.clear().await.unwrap();
    client.add(SONG).await.unwrap();
    client.play(None).await.unwrap();
    assert_eq!(client.status().await.unwrap().state, State::Play);
    client.reconnect().await.unwrap();
    assert_eq!(client.status().await.unwrap().state, State::Play);
}

#[tokio::test]
async fn a_connection_closed_for_idleness_is_opened_again() {
    let Some(mpd) = with_a_song(
        "a_connection_closed_for_idleness_is_opened_again",
        Options {
            connection_timeout: Some(1),
            ..Options::default()
        },
    ) else {
        return;
    };
    let mut client = Client::connect(mpd.address(), TIMEOUT).await.unwrap();
    client.set_volume(0).await.ok();
    client.random(true).await.unwrap();
    // A connection opened after the client's last command is closed after it: once MPD
    // closes that one, it has closed the client's too.
    assert!(
        wait_until_server_closes(&mpd.address(), Duration::from_secs(30)),
        "MPD did not close an idle connection; its log:\n{}",
        mpd.log()
    );
    assert!(client.status().await.unwrap().random);
    client.random(false).await.unwrap();
    assert!(!client.status().await.unwrap().random);
}
