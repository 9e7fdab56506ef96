//! hark's assistant service: the conversation pipeline, its HTTP API, and the
//! households, devices and tokens behind it.
//!
//! [`Server::open`] opens the store (SQLite in the data folder, or
//! PostgreSQL), compiles the grammar, and on the very first start creates a
//! household with a device and an admin token ([`Bootstrap`]). [`http::app`]
//! is the router; [`serve`] runs it until a shutdown signal.

#![deny(missing_docs)]

pub mod assistant;
pub mod config;
pub mod dialogue;
mod error;
pub mod events;
pub mod http;
// Each device's player and a room's MPD (issue 7).
mod lists;
pub mod media;
pub mod metrics;
pub mod missed;
// The music library (issue 7).
pub mod music;
pub mod names;
mod phrases;
mod random;
// What a turn's state and effects fail with, and what the user hears then.
mod turn_error;
pub mod weather;

use std::path::PathBuf;
use std::sync::Arc;

use hark_core::skill::{Effect, RingingView, ScheduledView, Skill, TimerView};
use hark_core::{Clock, Device, DeviceId, Household, HouseholdId};
use hark_nlu::{builtin, Grammar, Matcher};
use hark_scheduler::Scheduler;
use hark_store::{NewHousehold, Store};
use jiff::SignedDuration;
use tokio::net::TcpListener;

pub use assistant::{Assistant, Reply, State};
pub use config::Config;
pub use error::{ApiError, CODES};
pub use turn_error::TurnError;

/// The OpenAPI description of the HTTP API, served at `/v1/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Everything a running server shares between requests.
pub struct Server {
    /// The durable store.
    pub store: Store,
    /// The conversation pipeline.
    pub assistant: Assistant,
    /// Counters and histograms for `/metrics`.
    pub metrics: metrics::Metrics,
    /// Tokens, households and devices recently looked up.
    pub caches: http::Caches,
    /// The injected clock.
    pub clock: Arc<dyn Clock>,
    /// Timers, alarms and reminders; its run loop is started by [`serve`].
    pub scheduler: Scheduler,
    /// The devices' live event connections, fed by the scheduler.
    pub events: Arc<events::DeviceEvents>,
    /// The voice pipeline, when `voice = true`; rebuilt with the grammar
    /// when learned names change (see [`Server::voice`]).
    voice: std::sync::RwLock<Option<Arc<hark_voice::Voice>>>,
    /// The grammar as configured, before any names learned at run time.
    grammar: Grammar,
    /// How the voice pipeline was built, to build it again.
    voice_config: Option<hark_voice::Config>,
    /// The households' music libraries (issue 7).
    pub music: hark_music::Library,
    /// Which library versions the grammar's names come from.
    learned_music: music::Learned,
    /// The rooms whose player is an MPD (issue 7).
    pub mpd: media::MpdPlayers,
    /// The weather service (Open-Meteo), for the weather skill.
    pub weather: weather::Weather,
}

/// What the first start created, to show the user once.
#[derive(Debug, Clone)]
pub struct Bootstrap {
    /// The new household.
    pub household: Household,
    /// Its first device.
    pub device: Device,
    /// An admin token (its secret; stored only hashed).
    pub token: String,
    /// Where the token was saved for `hark ask`, if it was.
    pub saved_to: Option<PathBuf>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store could not be opened.
    #[error("opening the database")]
    Store(#[from] hark_store::StoreError),
    /// The grammar could not be loaded or compiled.
    #[error("loading the grammar")]
    Grammar(#[from] hark_nlu::Error),
    /// A trained model could not be read.
    #[error("loading a trained model")]
    Model(#[source] hark_nlu::Error),
    /// The voice pipeline could not be built.
    #[error("starting the voice pipeline")]
    Voice(#[from] hark_voice::VoiceError),
    /// A file or socket could not be used.
    #[error("{what}: {error}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        error: std::io::Error,
    },
}

/// The file in the data folder where the first admin token is kept for
/// `hark ask` on the same machine (readable by its owner only).
pub fn credentials_file(config: &Config) -> PathBuf {
    config.data_dir.join("credentials.toml")
}

impl Server {
    /// Opens the store, compiles the grammar, and creates the first
    /// household if there is none.
    pub async fn open(
        config: &Config,
        skills: Vec<Box<dyn Skill>>,
        clock: Arc<dyn Clock>,
    ) -> Result<(Arc<Server>, Option<Bootstrap>), StartError> {
        let store = open_store(config).await?;
        let mut grammar = builtin::grammar(&config.language)?;
        if !config.grammar.is_empty() {
            let extra = Grammar::load(&config.grammar)?;
            grammar.extend(extra)?;
        }
        let matcher = Matcher::new(&grammar)?;
        let voice_config = config.voice.then(|| {
            let intents = config.voice_intents.iter().cloned().collect();
            hark_voice::Config {
                intents: (!config.voice_intents.is_empty()).then_some(intents),
                wyoming_asr: config.voice_wyoming_asr.clone(),
                wyoming_tts: config.voice_wyoming_tts.clone(),
                ..hark_voice::Config::default()
            }
        });
        let voice = match &voice_config {
            None => None,
            Some(voice_config) => Some(Arc::new(hark_voice::Voice::new(
                &grammar,
                voice_config.clone(),
            )?)),
        };
        let timeout =
            SignedDuration::from_secs(config.session_timeout_secs.clamp(1, 24 * 3600) as i64);
        let trained = config
            .nlu_models
            .iter()
            .map(|path| hark_nlu::trained::Model::load(path).map_err(StartError::Model))
            .collect::<Result<Vec<_>, _>>()?;
        let assistant = Assistant::new(matcher, skills, clock.clone(), &config.language, timeout)
            .with_trained(trained);
        let bootstrap = bootstrap(config, &store, clock.as_ref()).await?;
        let events = Arc::new(events::DeviceEvents::default());
        let scheduler = Scheduler::new(
            store.clone(),
            clock.clone(),
            events.clone(),
            hark_scheduler::Config::default(),
        );
        let music = hark_music::Library::new(store.clone());
        let weather = weather::Weather::new(config, clock.clone());
        let server = Server {
            music,
            learned_music: Default::default(),
            mpd: media::MpdPlayers::from_config(config),
            store,
            assistant,
            metrics: Default::default(),
            caches: Default::default(),
            clock,
            scheduler,
            events,
            voice: std::sync::RwLock::new(voice),
            grammar,
            voice_config,
            weather,
        };
        Ok((Arc::new(server), bootstrap))
    }
}

/// The device of the household with this id, else with this name.
pub async fn find_device(
    store: &Store,
    household: &HouseholdId,
    key: &str,
) -> Result<Option<Device>, hark_store::StoreError> {
    match store.device(household, &DeviceId::new(key)).await? {
        Some(device) => Ok(Some(device)),
        None => store.device_by_name(household, key).await,
    }
}

impl Server {
    /// One whole turn: understand the words, read the household's timers,
    /// alarms or devices when the intent needs them, let the skill answer, and apply its effects
    /// durably before the answer is given. If an effect cannot be applied,
    /// the user hears an apology instead of a promise that was not kept
    /// (one that names the room's music player when that is what did not
    /// answer). What was missed on the device since the last turn there is
    /// told after the answer.
    pub async fn turn(
        &self,
        household: &Household,
        device: &Device,
        text: &str,
        session: Option<&hark_core::SessionId>,
    ) -> Reply {
        let understood = self.assistant.understand(household, device, text, session);
        let mut state = State::default();
        if let Err(error) = self
            .read_state(household, device, &understood, &mut state)
            .await
        {
            error.log("reading what the turn's skill needs");
            return self.assistant.failed(understood, &error, device);
        }
        let mut reply = self.assistant.answer(household, device, understood, &state);
        if let Err(error) = self.apply(household, device, &reply.effects).await {
            error.log("applying the skill's effects");
            reply.speech = self.assistant.apology(&error, device);
            reply.effects.clear();
            reply.expects_reply = false;
        }
        self.tell_missed(household, device, &mut reply).await;
        reply
    }

    /// What the understood intent's skill needs to see of the household.
    async fn read_state(
        &self,
        household: &Household,
        device: &Device,
        understood: &assistant::Understood,
        state: &mut State,
    ) -> Result<(), TurnError> {
        let needs = self.assistant.needs(understood);
        if needs.ringing {
            let ringing = self
                .scheduler
                .ringing(&household.id, Some(&device.id))
                .await?;
            state.ringing = ringing
                .into_iter()
                .map(|firing| RingingView {
                    id: firing.id.to_string(),
                    kind: firing.kind.to_string(),
                    name: firing.name,
                    label: firing.label,
                })
                .collect();
        }
        if needs.timers {
            state.timers = self.timer_views(household).await?;
        }
        if needs.scheduled {
            state.scheduled = self.scheduled_views(household).await?;
        }
        if needs.devices {
            state.devices = self.store.devices(&household.id).await?;
        }
        // Each device's player (issue 7).
        if needs.player {
            let intent = match understood {
                assistant::Understood::Ready { intent, .. } => Some(intent),
                _ => None,
            };
            self.read_media_state(household, device, intent, state)
                .await?;
        }
        // The music library (issue 7).
        if needs.media {
            if let assistant::Understood::Ready { intent, .. } = understood {
                state.media = self
                    .media_matches(&household.id, intent)
                    .await
                    .map_err(media::MediaError::from)?;
            }
        }
        // The household's lists (issue 7).
        if needs.lists {
            state.lists = lists::views(&self.store, &household.id)
                .await
                .map_err(TurnError::Lists)?;
        }
        // The weather never fails a turn: a service that does not answer is a report too.
        if let (true, assistant::Understood::Ready { intent, .. }) = (needs.weather, understood) {
            state.weather = Some(self.weather.report(household, intent).await);
        }
        Ok(())
    }

    /// The household's pending alarms and reminders, as skills see them.
    async fn scheduled_views(
        &self,
        household: &Household,
    ) -> Result<Vec<ScheduledView>, hark_scheduler::SchedulerError> {
        use hark_scheduler::{ItemKind, ItemState};
        let mut views = Vec::new();
        for kind in [ItemKind::Alarm, ItemKind::Reminder] {
            let items = self
                .scheduler
                .items(&household.id, Some(kind), Some(ItemState::Pending))
                .await?;
            views.extend(items.into_iter().map(|item| {
                ScheduledView {
                    id: item.id.to_string(),
                    reminder: kind == ItemKind::Reminder,
                    label: item.label.clone(),
                    text: item.text.clone(),
                    due: item.due_at,
                    weekly: item
                        .recurrence
                        .as_deref()
                        .and_then(|r| serde_json::from_str(r).ok()),
                }
            }));
        }
        views.sort_by_key(|v| v.due);
        Ok(views)
    }

    /// The household's running and paused timers, as skills see them.
    async fn timer_views(
        &self,
        household: &Household,
    ) -> Result<Vec<TimerView>, hark_scheduler::SchedulerError> {
        use hark_scheduler::{ItemKind, ItemState};
        let now = self.clock.now();
        let items = self
            .scheduler
            .items(&household.id, Some(ItemKind::Timer), None)
            .await?;
        Ok(items
            .into_iter()
            .filter(|item| matches!(item.state, ItemState::Pending | ItemState::Paused))
            .map(|item| {
                let paused = item.state == ItemState::Paused;
                let left = match (paused, item.remaining) {
                    (true, Some(remaining)) => remaining,
                    _ => item.due_at.duration_since(now),
                };
                TimerView {
                    id: item.id.to_string(),
                    name: item.name.clone(),
                    device: item.device.clone(),
                    remaining_secs: (left.as_secs_f64().ceil() as i64).max(0),
                    length_secs: item.duration.map_or(0, |d| d.as_secs()),
                    paused,
                }
            })
            .collect())
    }

    /// Applies a skill's effects, in order. What rings goes to the device
    /// the effect names, else to the one that heard the request.
    async fn apply(
        &self,
        household: &Household,
        device: &Device,
        effects: &[Effect],
    ) -> Result<(), TurnError> {
        use hark_scheduler::{FiringId, ItemId};
        let on = |named: &Option<DeviceId>| named.clone().unwrap_or_else(|| device.id.clone());
        for effect in effects {
            let h = &household.id;
            match effect {
                Effect::StartTimer {
                    seconds,
                    name,
                    device,
                } => {
                    let length = SignedDuration::from_secs(*seconds);
                    self.scheduler
                        .start_timer(h, &on(device), length, name.as_deref())
                        .await?;
                }
                Effect::CancelTimer { id } => {
                    self.scheduler.cancel(h, &ItemId::new(id)).await?;
                }
                Effect::PauseTimer { id } => {
                    self.scheduler.pause(h, &ItemId::new(id)).await?;
                }
                Effect::ResumeTimer { id } => {
                    self.scheduler.resume(h, &ItemId::new(id)).await?;
                }
                Effect::AdjustTimer { id, seconds } => {
                    self.scheduler
                        .adjust(h, &ItemId::new(id), SignedDuration::from_secs(*seconds))
                        .await?;
                }
                Effect::SetAlarm {
                    at,
                    every,
                    label,
                    device,
                    sound,
                } => {
                    let when = match (at, every) {
                        (Some(at), _) => hark_scheduler::AlarmTime::Once(*at),
                        (None, Some(rule)) => hark_scheduler::AlarmTime::Every(
                            hark_scheduler::Recurrence::from_json(rule)?,
                        ),
                        (None, None) => {
                            return Err(TurnError::Invalid("an alarm needs a time".into()))
                        }
                    };
                    self.scheduler
                        .set_alarm_with_sound(
                            h,
                            &on(device),
                            when,
                            label.as_deref(),
                            sound.as_deref(),
                        )
                        .await?;
                }
                Effect::AddReminder { at, text, device } => {
                    self.scheduler
                        .add_reminder(h, &on(device), *at, text)
                        .await?;
                }
                Effect::CancelScheduled { id } => {
                    self.scheduler.cancel(h, &ItemId::new(id)).await?;
                }
                Effect::StopRinging { id } => {
                    // A ring that ended meanwhile (its limit) is as good as stopped.
                    match self.scheduler.stop(h, &FiringId::new(id)).await {
                        Ok(_) | Err(hark_scheduler::SchedulerError::NotFound) => {}
                        Err(error) => return Err(error.into()),
                    }
                }
                Effect::SnoozeRinging { id, seconds } => {
                    let by = SignedDuration::from_secs(*seconds);
                    self.scheduler
                        .snooze_ringing(h, &FiringId::new(id), Some(by))
                        .await?;
                }
                // The device's player, or a playlist (issue 7).
                Effect::Media(effect) => {
                    self.apply_media(household, device, effect).await?;
                }
                Effect::List(change) => {
                    lists::apply(&self.store, h, change, self.clock.now())
                        .await
                        .map_err(TurnError::Lists)?;
                }
                // For the device itself.
                Effect::StopDevice => {}
                _ => {}
            }
        }
        Ok(())
    }
}

/// Opens the configured store, creating the data folder for SQLite.
pub async fn open_store(config: &Config) -> Result<Store, StartError> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir).map_err(|error| StartError::Io {
            what: format!("creating the data folder {}", config.data_dir.display()),
            error,
        })?;
    }
    Ok(Store::open(&config.database()).await?)
}

/// Creates a household, a device and an admin token when the store has no
/// household yet.
pub async fn bootstrap(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
) -> Result<Option<Bootstrap>, StartError> {
    if !store.households().await?.is_empty() {
        return Ok(None);
    }
    let zone = jiff::tz::TimeZone::system()
        .iana_name()
        .unwrap_or("UTC")
        .to_string();
    let first = NewHousehold {
        name: "Home",
        time_zone: &zone,
        location: None,
        device: &config.device,
        token_label: "admin (first start)",
    };
    // Another process starting on the same empty database may win: then it
    // shows the token, and this one starts without one.
    let Some(founded) = store.create_first_household(first, clock.now()).await? else {
        return Ok(None);
    };
    let saved_to = save_credentials(config, &founded.secret).ok();
    Ok(Some(Bootstrap {
        household: founded.household,
        device: founded.device,
        token: founded.secret,
        saved_to,
    }))
}

fn save_credentials(config: &Config, token: &str) -> std::io::Result<PathBuf> {
    let path = credentials_file(config);
    std::fs::create_dir_all(&config.data_dir)?;
    let text = format!(
        "# Written by hark at its first start: the admin token, for `hark ask` on this machine.\ntoken = \"{token}\"\n"
    );
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    let mut file = options.open(&path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(path)
}

/// Serves the API on `listener`, and runs the scheduler's loop, until
/// `shutdown` completes.
pub async fn serve(
    server: Arc<Server>,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let scheduler = server.scheduler.clone();
    let run_loop = tokio::spawn(async move {
        let stopped = async {
            let _ = stopped.await;
        };
        if let Err(error) = scheduler.run(stopped).await {
            tracing::error!(%error, "the scheduler stopped");
        }
    });
    // The music library's names, learned now and after each change (issue 7).
    let watching = tokio::spawn(music::watch_library(server.clone()));
    let app = http::app(server);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|error| StartError::Io {
            what: "serving HTTP".to_string(),
            error,
        });
    let _ = stop.send(());
    let _ = run_loop.await;
    watching.abort();
    served
}
