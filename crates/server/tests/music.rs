//! The music library through the server: a media request's turn sees what the library
//! matches, `/v1/media/{id}` streams a track with range requests over real HTTP, playlists
//! over the API, and the library's names reach the grammar after a scan.

use std::sync::Arc;

use hark_core::media::MediaMatch;
use hark_core::skill::{Needs, Outcome, Skill, SkillError, Turn};
use hark_core::{Intent, SystemClock};
use hark_music::generate::{tagged_copy, template};
use hark_music::{Format, Tags};
use hark_server::{Config, Server};
use hark_store::NewHousehold;
use serde_json::{json, Value};

/// Says what the turn's media matches were: "album:Abbey Road|track:Abbey Road", or "none".
struct Echo;

impl Skill for Echo {
    fn name(&self) -> &'static str {
        "echo"
    }

    fn intents(&self) -> &[&'static str] {
        &["HassMediaSearchAndPlay"]
    }

    fn needs(&self, _: &Intent) -> Needs {
        Needs {
            media: true,
            ..Needs::default()
        }
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        let said: Vec<String> = turn
            .media
            .iter()
            .map(|m: &MediaMatch| {
                format!(
                    "{}:{}",
                    serde_json::to_value(m.kind).unwrap().as_str().unwrap(),
                    m.name
                )
            })
            .collect();
        Ok(Outcome::say(if said.is_empty() {
            "none".to_string()
        } else {
            said.join("|")
        }))
    }
}

struct Running {
    server: Arc<Server>,
    runtime: tokio::runtime::Runtime,
    url: String,
    token: String,
    household: hark_core::HouseholdId,
    device: String,
    dir: std::path::PathBuf,
    /// Track ids by title.
    tracks: Vec<(String, String)>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start(name: &str) -> Running {
    let dir = std::env::temp_dir().join(format!("hark-server-music-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = Config {
        data_dir: dir.join("data"),
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (server, first) = runtime
        .block_on(Server::open(
            &config,
            vec![Box::new(Echo)],
            Arc::new(SystemClock),
        ))
        .unwrap();
    let first = first.unwrap();
    // A small library: FLAC, MP3 and Ogg Vorbis files.
    let music = dir.join("music");
    let flac = template(Format::Flac, &dir.join("templates"), 0.3).unwrap();
    let mp3 = template(Format::Mp3, &dir.join("templates"), 0.3).unwrap();
    let ogg = template(Format::Vorbis, &dir.join("templates"), 0.3).unwrap();
    let tags = |title: &str, artist: &str, album: &str, genre: &str, n: u32| Tags {
        title: Some(title.into()),
        artist: Some(artist.into()),
        album: Some(album.into()),
        genre: Some(genre.into()),
        track_no: Some(n),
        ..Tags::default()
    };
    tagged_copy(
        &flac,
        &music.join("b/1.flac"),
        &tags("Come Together", "The Beatles", "Abbey Road", "Rock", 1),
    )
    .unwrap();
    tagged_copy(
        &mp3,
        &music.join("b/2.mp3"),
        &tags("Something", "The Beatles", "Abbey Road", "Rock", 2),
    )
    .unwrap();
    tagged_copy(
        &ogg,
        &music.join("m/1.ogg"),
        &tags("So What", "Miles Davis", "Kind of Blue", "Jazz", 1),
    )
    .unwrap();
    runtime
        .block_on(hark_music::scan(
            &server.store,
            &first.household.id,
            &music,
            |_| {},
        ))
        .unwrap();
    let tracks = runtime
        .block_on(server.music.tracks(
            &first.household.id,
            hark_core::media::MediaKind::Library,
            "",
        ))
        .unwrap()
        .into_iter()
        .map(|t| (t.view.title, t.view.id))
        .collect();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = hark_server::http::app(server.clone());
    runtime.spawn(async move { axum::serve(listener, app).await });
    Running {
        server,
        runtime,
        url,
        token: first.token,
        household: first.household.id,
        device: first.device.name,
        dir,
        tracks,
    }
}

impl Running {
    fn track(&self, title: &str) -> &str {
        &self.tracks.iter().find(|(t, _)| t == title).unwrap().1
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into()
    }

    /// GET with an optional Range: status, headers we check, body bytes.
    fn get(
        &self,
        path: &str,
        token: &str,
        range: Option<&str>,
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut request = Self::agent()
            .get(&format!("{}{path}", self.url))
            .header("Authorization", &format!("Bearer {token}"));
        if let Some(range) = range {
            request = request.header("Range", range);
        }
        let mut response = request.call().unwrap();
        let status = response.status().as_u16();
        let headers = [
            "content-type",
            "content-length",
            "accept-ranges",
            "content-range",
        ]
        .iter()
        .filter_map(|name| {
            response
                .headers()
                .get(*name)
                .map(|v| (name.to_string(), v.to_str().unwrap().to_string()))
        })
        .collect();
        let body = response.body_mut().read_to_vec().unwrap();
        (status, headers, body)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.url);
        let auth = format!("Bearer {}", self.token);
        let response = match method {
            "GET" => Self::agent()
                .get(&url)
                .header("Authorization", &auth)
                .call(),
            _ => Self::agent()
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

    fn say(&self, text: &str) -> String {
        let (status, reply) = self.call(
            "POST",
            "/v1/converse",
            Some(json!({"text": text, "device": self.device})),
        );
        assert_eq!(status, 200, "{reply}");
        reply["speech"].as_str().unwrap().to_string()
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn media_streams_whole_files_and_ranges() {
    let r = start("ranges");
    let id = r.track("Come Together").to_string();
    let path = r.dir.join("music/b/1.flac");
    let file = std::fs::read(&path).unwrap();
    let size = file.len();
    let at = format!("/v1/media/{id}");

    let (status, headers, body) = r.get(&at, &r.token, None);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("audio/flac"));
    assert_eq!(
        header(&headers, "content-length"),
        Some(size.to_string().as_str())
    );
    assert_eq!(header(&headers, "accept-ranges"), Some("bytes"));
    assert_eq!(body, file);

    let (status, headers, body) = r.get(&at, &r.token, Some("bytes=0-9"));
    assert_eq!(status, 206);
    assert_eq!(body, file[..10]);
    assert_eq!(
        header(&headers, "content-range"),
        Some(format!("bytes 0-9/{size}").as_str())
    );
    assert_eq!(header(&headers, "content-length"), Some("10"));

    let (status, headers, body) = r.get(&at, &r.token, Some("bytes=100-"));
    assert_eq!(status, 206);
    assert_eq!(body, file[100..]);
    assert_eq!(
        header(&headers, "content-range"),
        Some(format!("bytes 100-{}/{size}", size - 1).as_str())
    );

    let (status, _, body) = r.get(&at, &r.token, Some("bytes=-16"));
    assert_eq!(status, 206);
    assert_eq!(body, file[size - 16..]);

    // Past the end: 416, and the size.
    let (status, headers, _) = r.get(&at, &r.token, Some(&format!("bytes={size}-")));
    assert_eq!(status, 416);
    assert_eq!(
        header(&headers, "content-range"),
        Some(format!("bytes */{size}").as_str())
    );

    // A Range hark cannot use is ignored: the whole file.
    for ignored in ["bytes=9-2", "bytes=0-1,4-5", "pages=1-2"] {
        let (status, _, body) = r.get(&at, &r.token, Some(ignored));
        assert_eq!((status, body.len()), (200, size), "{ignored}");
    }

    // MP3 and Ogg say their types.
    let (_, headers, _) = r.get(
        &format!("/v1/media/{}", r.track("Something")),
        &r.token,
        Some("bytes=0-0"),
    );
    assert_eq!(header(&headers, "content-type"), Some("audio/mpeg"));
    let (_, headers, _) = r.get(
        &format!("/v1/media/{}", r.track("So What")),
        &r.token,
        Some("bytes=0-0"),
    );
    assert_eq!(header(&headers, "content-type"), Some("audio/ogg"));
}

#[test]
fn media_is_scoped_to_the_household() {
    let r = start("scoped");
    let id = r.track("Come Together").to_string();
    let (status, _, _) = r.get(&format!("/v1/media/{id}"), "not-a-token", None);
    assert_eq!(status, 401);
    let (status, _, _) = r.get("/v1/media/trk_nosuchtrack", &r.token, None);
    assert_eq!(status, 404);
    let other = r
        .runtime
        .block_on(r.server.store.create_household_with_admin(
            NewHousehold {
                name: "Next door",
                time_zone: "UTC",
                location: None,
                device: "speaker",
                token_label: "test",
            },
            jiff::Timestamp::now(),
        ))
        .unwrap();
    let (status, _, body) = r.get(&format!("/v1/media/{id}"), &other.secret, None);
    assert_eq!(status, 404);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    // A file gone since the scan: 404, not a crash.
    std::fs::remove_file(r.dir.join("music/b/1.flac")).unwrap();
    let (status, _, _) = r.get(&format!("/v1/media/{id}"), &r.token, None);
    assert_eq!(status, 404);
}

#[test]
fn playlists_over_the_api() {
    let r = start("playlists");
    let (status, created) = r.call("POST", "/v1/playlists", Some(json!({"name": "Road Trip"})));
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["name"], "Road Trip");
    let (status, again) = r.call("POST", "/v1/playlists", Some(json!({"name": "road trip"})));
    assert_eq!(
        (status, again["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    let (status, _) = r.call("POST", "/v1/playlists", Some(json!({"name": ""})));
    assert_eq!(status, 400);

    for title in ["So What", "Come Together"] {
        let (status, playlist) = r.call(
            "POST",
            "/v1/playlists/Road%20Trip/tracks",
            Some(json!({"track": r.track(title)})),
        );
        assert_eq!(status, 200, "{playlist}");
    }
    let (status, missing) = r.call(
        "POST",
        "/v1/playlists/Road%20Trip/tracks",
        Some(json!({"track": "trk_nosuchtrack"})),
    );
    assert_eq!(
        (status, missing["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    // Adding to a playlist that does not exist creates it.
    let (status, made) = r.call(
        "POST",
        "/v1/playlists/Chill/tracks",
        Some(json!({"track": r.track("So What")})),
    );
    assert_eq!((status, made["tracks"].as_array().unwrap().len()), (200, 1));

    let (status, list) = r.call("GET", "/v1/playlists", None);
    assert_eq!(status, 200);
    let names: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Chill", "Road Trip"]);
    assert_eq!(
        list[1]["tracks"],
        json!([r.track("So What"), r.track("Come Together")])
    );

    // By voice, the playlist is found.
    assert_eq!(r.say("play my road trip playlist"), "playlist:Road Trip");
}

#[test]
fn a_media_request_sees_what_the_library_matches() {
    let r = start("turn");
    assert!(
        r.say("play abbey rode").starts_with("album:Abbey Road"),
        "{}",
        r.say("play abbey rode")
    );
    assert!(r.say("play some jazz").starts_with("genre:Jazz"));
    assert!(r
        .say("play the album kind of blue")
        .starts_with("album:Kind of Blue"));
    let by = r.say("play come together by the beatles");
    assert!(by.starts_with("track:Come Together"), "{by}");
    assert!(!by.contains("Miles"), "{by}");
    assert_eq!(
        r.say("play something by miles davis").split('|').next(),
        Some("artist:Miles Davis")
    );
    // Not what a music library holds.
    assert_eq!(r.say("play the podcast kind of blue"), "none");
    assert_eq!(r.say("play xylophone quartet"), "none");
}

#[test]
fn the_grammar_learns_the_library_names_once_per_change() {
    let r = start("learn");
    let first = r.runtime.block_on(r.server.learn_library_names()).unwrap();
    assert!(first.is_some(), "the scan's names are learned");
    assert_eq!(
        r.runtime.block_on(r.server.learn_library_names()).unwrap(),
        None
    );
    r.runtime
        .block_on(
            r.server
                .music
                .create_playlist(&r.household, "Sunday Morning"),
        )
        .unwrap();
    assert!(r
        .runtime
        .block_on(r.server.learn_library_names())
        .unwrap()
        .is_some());
    assert_eq!(
        r.runtime.block_on(r.server.learn_library_names()).unwrap(),
        None
    );
    // A learned name is a whole search query: "play Sunday Morning playlist".
    assert_eq!(r.say("play sunday morning"), "playlist:Sunday Morning");
}
