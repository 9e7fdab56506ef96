//! hark's configuration: one struct, read from a file, the environment and
//! flags, in that order of precedence.
//!
//! The file is `hark.toml` (`--config`, else `$HARK_CONFIG`, else
//! `$XDG_CONFIG_HOME/hark/hark.toml` when it exists). Each field can be set
//! in the environment as `HARK_<FIELD>` (`HARK_LISTEN=0.0.0.0:8750`), and the
//! command line's flags override both. `hark config` prints the result.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Everything hark can be configured with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the server listens.
    pub listen: SocketAddr,
    /// The folder with hark's data: the SQLite database and the first
    /// household's credentials.
    pub data_dir: PathBuf,
    /// `postgres://...` to keep data in PostgreSQL instead of SQLite.
    pub database_url: Option<String>,
    /// The language of grammars and answers.
    pub language: String,
    /// Extra grammar folders or files, merged after the built-in grammar.
    pub grammar: Vec<PathBuf>,
    /// Models trained with `hark nlu train`, asked what a sentence means when no template
    /// matches (`HARK_NLU_MODELS`, paths separated like `PATH`).
    pub nlu_models: Vec<PathBuf>,
    /// Seconds a question waits for its answer.
    pub session_timeout_secs: u64,
    /// The server `hark ask` talks to.
    pub server: String,
    /// The token `hark ask` uses (else the one saved at first start).
    pub token: Option<String>,
    /// The device `hark ask` speaks as.
    pub device: String,
    /// Log filter, as in `RUST_LOG` (`info`, `hark=debug`).
    pub log: String,
    /// Milliseconds added to the system's clock for everything `hark serve`
    /// does with time (`HARK_CLOCK_OFFSET_MS`; negative moves it back). For
    /// rehearsals and tests only: with `604800000`, next week's alarms ring
    /// now, and a crash test makes thousands of items come due within seconds.
    /// Time still flows at its real pace. 0, the default, is the real time; any
    /// other value is logged as a warning at start.
    pub clock_offset_ms: i64,
    /// Whether `POST /v1/converse` takes spoken WAV (`HARK_VOICE=true`): PocketSphinx (with a
    /// trigram model of the grammar, about 2 s and 60 MB to build and load) and espeak-ng load
    /// at start. Off by default: a text-only server needs neither.
    pub voice: bool,
    /// The intents the recognizer listens for (`HARK_VOICE_INTENTS=HassGetCurrentTime,HarkStop`);
    /// empty is every intent of the grammar.
    pub voice_intents: Vec<String>,
    /// A Wyoming speech-to-text server (`host:port`, e.g. faster-whisper's `127.0.0.1:10300`)
    /// to use instead of PocketSphinx (`HARK_VOICE_WYOMING_ASR`).
    pub voice_wyoming_asr: Option<String>,
    /// A Wyoming text-to-speech server (`host:port`, e.g. Piper's `127.0.0.1:10200`) to use
    /// instead of espeak-ng (`HARK_VOICE_WYOMING_TTS`).
    pub voice_wyoming_tts: Option<String>,
    /// Rooms whose player is a Music Player Daemon: a device's name or id → MPD's
    /// `host:port` (`[mpd_players]` in the file; `HARK_MPD_PLAYERS=kitchen=127.0.0.1:6600,den=...`).
    pub mpd_players: BTreeMap<String, String>,
    /// MPD's `music_directory` as hark sees it: a track's path under it, made relative, is its
    /// URI in MPD (`HARK_MPD_MUSIC_DIR`). Unset: paths are sent as they are, for an MPD whose
    /// music folder is `/`.
    pub mpd_music_dir: Option<PathBuf>,
    /// Open-Meteo's forecast endpoint (`HARK_WEATHER_FORECAST_URL`); another
    /// server that speaks its API can stand in.
    pub weather_forecast_url: String,
    /// Open-Meteo's geocoding endpoint (`HARK_WEATHER_GEOCODING_URL`).
    pub weather_geocoding_url: String,
    /// The deadline of one request to the weather service, connecting
    /// included, in milliseconds (`HARK_WEATHER_TIMEOUT_MS`, 1 to 60000): past
    /// it, hark says it cannot reach the service rather than keep the user
    /// waiting.
    pub weather_timeout_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8750)),
            data_dir: default_data_dir(),
            database_url: None,
            language: "en".to_string(),
            grammar: Vec::new(),
            nlu_models: Vec::new(),
            session_timeout_secs: 60,
            server: "http://127.0.0.1:8750".to_string(),
            token: None,
            device: "default".to_string(),
            log: "info".to_string(),
            clock_offset_ms: 0,
            voice: false,
            voice_intents: Vec::new(),
            voice_wyoming_asr: None,
            voice_wyoming_tts: None,
            mpd_players: BTreeMap::new(),
            mpd_music_dir: None,
            weather_forecast_url: hark_weather::FORECAST_URL.to_string(),
            weather_geocoding_url: hark_weather::GEOCODING_URL.to_string(),
            weather_timeout_ms: 2000,
        }
    }
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        error: std::io::Error,
    },
    /// The file is not valid TOML, or has unknown keys.
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column.
        message: String,
    },
    /// An environment variable has a value of the wrong type.
    #[error("{name}={value:?}: {message}")]
    Environment {
        /// The variable.
        name: String,
        /// Its value.
        value: String,
        /// What is wrong.
        message: String,
    },
}

/// `$XDG_DATA_HOME/hark`, else `~/.local/share/hark`, else `./hark-data`.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("hark");
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => PathBuf::from(home).join(".local/share/hark"),
        None => PathBuf::from("hark-data"),
    }
}

/// The configuration file to read: the one named, else `$HARK_CONFIG`, else
/// the default location if a file is there.
pub fn config_file(named: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = named {
        return Some(path.to_owned());
    }
    if let Some(path) = std::env::var_os("HARK_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    let path = base.join("hark/hark.toml");
    path.exists().then_some(path)
}

impl Config {
    /// The file (if any), then the environment, over the defaults.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut table = toml::Table::new();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Io {
                path: path.to_owned(),
                error,
            })?;
            table = text.parse::<toml::Table>().map_err(|e| ConfigError::File {
                path: path.to_owned(),
                message: e.to_string(),
            })?;
            // Check the file alone first, so its errors name the file.
            toml::Value::Table(table.clone())
                .try_into::<Config>()
                .map_err(|e| ConfigError::File {
                    path: path.to_owned(),
                    message: e.to_string(),
                })?;
        }
        let fields = field_names();
        for (name, value) in env {
            let Some(field) = name.strip_prefix("HARK_").map(str::to_lowercase) else {
                continue;
            };
            // An empty variable is as good as unset (`HARK_TOKEN= hark ask ...`).
            if value.is_empty() {
                continue;
            }
            if field == "config" || !fields.contains(&field) {
                continue;
            }
            let parsed = match field.as_str() {
                "grammar" | "nlu_models" => toml::Value::Array(
                    std::env::split_paths(&value)
                        .map(|p| toml::Value::String(p.display().to_string()))
                        .collect(),
                ),
                "session_timeout_secs" => {
                    toml::Value::Integer(value.parse().map_err(|_| ConfigError::Environment {
                        name: name.clone(),
                        value: value.clone(),
                        message: "not a whole number of seconds".to_string(),
                    })?)
                }
                "weather_timeout_ms" => {
                    toml::Value::Integer(value.parse().map_err(|_| ConfigError::Environment {
                        name: name.clone(),
                        value: value.clone(),
                        message: "not a whole number of milliseconds".to_string(),
                    })?)
                }
                "clock_offset_ms" => {
                    toml::Value::Integer(value.parse().map_err(|_| ConfigError::Environment {
                        name: name.clone(),
                        value: value.clone(),
                        message: "not a whole number of milliseconds".to_string(),
                    })?)
                }
                "voice" => match value.as_str() {
                    "true" | "1" | "yes" | "on" => toml::Value::Boolean(true),
                    "false" | "0" | "no" | "off" => toml::Value::Boolean(false),
                    _ => {
                        return Err(ConfigError::Environment {
                            name: name.clone(),
                            value: value.clone(),
                            message: "not true or false".to_string(),
                        })
                    }
                },
                "voice_intents" => toml::Value::Array(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| toml::Value::String(s.to_string()))
                        .collect(),
                ),
                "mpd_players" => toml::Value::Table(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|pair| match pair.split_once('=') {
                            Some((device, address)) => Ok((
                                device.trim().to_string(),
                                toml::Value::String(address.trim().to_string()),
                            )),
                            None => Err(ConfigError::Environment {
                                name: name.clone(),
                                value: value.clone(),
                                message: "not device=host:port pairs separated by commas"
                                    .to_string(),
                            }),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                _ => toml::Value::String(value.clone()),
            };
            table.insert(field, parsed);
            toml::Value::Table(table.clone())
                .try_into::<Config>()
                .map_err(|e| ConfigError::Environment {
                    name: name.clone(),
                    value: value.clone(),
                    message: e.to_string(),
                })?;
        }
        let config: Config =
            toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError::File {
                    path: file.map(Path::to_owned).unwrap_or_default(),
                    message: e.to_string(),
                })?;
        if !(1..=86_400).contains(&config.session_timeout_secs) {
            return Err(ConfigError::File {
                path: file.map(Path::to_owned).unwrap_or_default(),
                message: "session_timeout_secs must be 1 to 86400".to_string(),
            });
        }
        if !(1..=60_000).contains(&config.weather_timeout_ms) {
            return Err(ConfigError::File {
                path: file.map(Path::to_owned).unwrap_or_default(),
                message: "weather_timeout_ms must be 1 to 60000".to_string(),
            });
        }
        Ok(config)
    }

    /// The configuration as TOML, with the token and any database password hidden.
    pub fn to_toml(&self) -> String {
        let mut shown = self.clone();
        if shown.token.is_some() {
            shown.token = Some("(set, hidden)".to_string());
        }
        if let Some(url) = &shown.database_url {
            shown.database_url = Some(hide_password(url));
        }
        toml::to_string_pretty(&shown).unwrap_or_default()
    }

    /// The database to open: `database_url`, or SQLite in the data folder.
    pub fn database(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite:{}", self.data_dir.join("hark.db").display()),
        }
    }
}

/// `postgres://user:secret@host/db` shown as `postgres://user:(hidden)@host/db`.
fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:(hidden)@{host}"),
        None => url.to_string(),
    }
}

fn field_names() -> Vec<String> {
    match toml::Value::try_from(Config::default()) {
        Ok(toml::Value::Table(table)) => {
            let mut names: Vec<String> = table.keys().cloned().collect();
            // Optional fields are absent from a default's TOML.
            names.extend(["database_url".to_string(), "token".to_string()]);
            names.push("mpd_music_dir".to_string());
            names
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn file_then_environment_override_the_defaults() {
        let dir = std::env::temp_dir().join(format!("hark-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("hark.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\nlanguage = \"en\"\nsession_timeout_secs = 30\n",
        )
        .unwrap();
        let config = Config::load(
            Some(&file),
            env(&[("HARK_SESSION_TIMEOUT_SECS", "45"), ("PATH", "/bin")]),
        )
        .unwrap();
        assert_eq!(config.listen, "0.0.0.0:9000".parse().unwrap());
        assert_eq!(
            config.session_timeout_secs, 45,
            "the environment beats the file"
        );
        let shifted = Config::load(None, env(&[("HARK_CLOCK_OFFSET_MS", "-90000")])).unwrap();
        assert_eq!(shifted.clock_offset_ms, -90_000);
        assert_eq!(config.device, "default", "defaults fill the rest");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_values_name_their_source() {
        let err = Config::load(None, env(&[("HARK_LISTEN", "not an address")]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("HARK_LISTEN=\"not an address\""), "{err}");
        let err = Config::load(None, env(&[("HARK_SESSION_TIMEOUT_SECS", "soon")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a whole number"), "{err}");
        let err = Config::load(None, env(&[("HARK_CLOCK_OFFSET_MS", "1h")]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("HARK_CLOCK_OFFSET_MS=\"1h\""), "{err}");
        let dir = std::env::temp_dir().join(format!("hark-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("hark.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:1\"\nlisten_port = 5\n").unwrap();
        let err = Config::load(Some(&file), env(&[])).unwrap_err().to_string();
        assert!(
            err.contains("hark.toml") && err.contains("listen_port"),
            "{err}"
        );
        std::fs::write(&file, "listen = [").unwrap();
        assert!(Config::load(Some(&file), env(&[]))
            .unwrap_err()
            .to_string()
            .contains("hark.toml"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn empty_variables_are_unset_and_timeouts_are_bounded() {
        let config =
            Config::load(None, env(&[("HARK_TOKEN", ""), ("HARK_DATABASE_URL", "")])).unwrap();
        assert_eq!((config.token, config.database_url), (None, None));
        let err = Config::load(None, env(&[("HARK_SESSION_TIMEOUT_SECS", "0")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("1 to 86400"), "{err}");
        let shown = Config {
            database_url: Some("postgres://hark:s3cret@db.local/hark".into()),
            ..Config::default()
        };
        let text = shown.to_toml();
        assert!(
            !text.contains("s3cret") && text.contains("postgres://hark:(hidden)@db.local/hark"),
            "{text}"
        );
    }

    #[test]
    fn the_weather_service_is_configured_by_the_environment() {
        let config = Config::load(
            None,
            env(&[
                (
                    "HARK_WEATHER_FORECAST_URL",
                    "http://127.0.0.1:9/v1/forecast",
                ),
                ("HARK_WEATHER_GEOCODING_URL", "http://127.0.0.1:9/v1/search"),
                ("HARK_WEATHER_TIMEOUT_MS", "300"),
            ]),
        )
        .unwrap();
        assert_eq!(
            config.weather_forecast_url,
            "http://127.0.0.1:9/v1/forecast"
        );
        assert_eq!(config.weather_geocoding_url, "http://127.0.0.1:9/v1/search");
        assert_eq!(config.weather_timeout_ms, 300);
        let defaults = Config::default();
        assert_eq!(
            defaults.weather_forecast_url,
            "https://api.open-meteo.com/v1/forecast"
        );
        assert_eq!(defaults.weather_timeout_ms, 2000);
        for bad in ["0", "60001", "2s"] {
            let err = Config::load(None, env(&[("HARK_WEATHER_TIMEOUT_MS", bad)]))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("HARK_WEATHER_TIMEOUT_MS") || err.contains("1 to 60000"),
                "{err}"
            );
        }
    }

    #[test]
    fn printed_configuration_hides_the_token_and_reads_back() {
        let config = Config {
            token: Some("hark_secret".into()),
            ..Config::default()
        };
        let text = config.to_toml();
        assert!(!text.contains("hark_secret"));
        let back: Config = toml::from_str(&text).unwrap();
        assert_eq!(back.listen, config.listen);
    }

    #[test]
    fn mpd_players_come_from_the_environment_as_pairs() {
        let config = Config::load(
            None,
            env(&[
                (
                    "HARK_MPD_PLAYERS",
                    "kitchen=127.0.0.1:6600, den = 10.0.0.2:6601",
                ),
                ("HARK_MPD_MUSIC_DIR", "/srv/music"),
            ]),
        )
        .unwrap();
        assert_eq!(config.mpd_players["kitchen"], "127.0.0.1:6600");
        assert_eq!(config.mpd_players["den"], "10.0.0.2:6601");
        assert_eq!(config.mpd_music_dir, Some(PathBuf::from("/srv/music")));
        let err = Config::load(None, env(&[("HARK_MPD_PLAYERS", "kitchen")]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("HARK_MPD_PLAYERS=\"kitchen\""), "{err}");
    }
}
