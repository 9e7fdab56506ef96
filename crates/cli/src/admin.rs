//! `hark device ...` and `hark token ...`: manage a household's devices and
//! tokens directly in its database (the data folder, or PostgreSQL), with or
//! without a server running.

use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use hark_core::weather::Units;
use hark_core::Location;
use hark_core::{Clock, HouseholdId, SystemClock, TokenId};
use hark_server::{bootstrap, open_store, Config};
use hark_store::{HouseholdUpdate, NewHousehold, Scope, Store};

use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Add a device to the household.
    Add {
        /// Its name, unique in the household ("kitchen").
        name: String,
        /// The household (default: the first one).
        #[arg(long)]
        household: Option<String>,
    },
    /// List the household's devices.
    List {
        /// The household (default: the first one).
        #[arg(long)]
        household: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (its secret is shown only now).
    Create {
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        label: String,
        /// Make a device token that speaks only for this device (id or name).
        #[arg(long = "for-device", value_name = "DEVICE")]
        device: Option<String>,
        /// The household (default: the first one).
        #[arg(long)]
        household: Option<String>,
    },
    /// List the household's tokens (never their secrets).
    List {
        /// The household (default: the first one).
        #[arg(long)]
        household: Option<String>,
    },
    /// Revoke a token by its id.
    Revoke {
        /// The token's id (from `hark token list`).
        id: String,
        /// The household (default: the first one).
        #[arg(long)]
        household: Option<String>,
    },
}

fn block_on<T>(future: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(future)
}

/// The store, with a first household created if it has none.
pub(crate) async fn open(config: &Config) -> Result<Store> {
    let store = open_store(config).await?;
    if let Some(first) = bootstrap(config, &store, &SystemClock).await? {
        eprintln!(
            "Created the household \"{}\" ({}) with the device \"{}\" and an admin token saved in the data folder.",
            first.household.name, first.household.id, first.device.name
        );
    }
    Ok(store)
}

pub(crate) async fn household(store: &Store, chosen: Option<&str>) -> Result<HouseholdId> {
    match chosen {
        Some(id) => {
            let id = HouseholdId::new(id);
            store
                .household(&id)
                .await?
                .map(|h| h.id)
                .ok_or_else(|| anyhow!("no household {id}"))
        }
        None => {
            let households = store.households().await?;
            match households.as_slice() {
                [] => bail!("the database has no household"),
                [only] => Ok(only.id.clone()),
                [first, ..] => {
                    eprintln!(
                        "Using the household {} (of {}); choose with --household.",
                        first.id,
                        households.len()
                    );
                    Ok(first.id.clone())
                }
            }
        }
    }
}

pub fn device(settings: &Settings, command: DeviceCommand) -> Result<()> {
    let config = settings.config()?;
    block_on(async {
        let store = open(&config).await?;
        match command {
            DeviceCommand::Add {
                name,
                household: chosen,
            } => {
                let household = household(&store, chosen.as_deref()).await?;
                let device = store
                    .add_device(&household, name.trim(), SystemClock.now())
                    .await?;
                println!("{}\t{}", device.id, device.name);
            }
            DeviceCommand::List { household: chosen } => {
                let household = household(&store, chosen.as_deref()).await?;
                for device in store.devices(&household).await? {
                    println!("{}\t{}", device.id, device.name);
                }
            }
        }
        Ok(())
    })
}

pub fn token(settings: &Settings, command: TokenCommand) -> Result<()> {
    let config = settings.config()?;
    block_on(async {
        let store = open(&config).await?;
        match command {
            TokenCommand::Create {
                label,
                device,
                household: chosen,
            } => {
                let household = household(&store, chosen.as_deref()).await?;
                let scope = match device {
                    None => Scope::Admin,
                    Some(key) => {
                        let found = hark_server::find_device(&store, &household, &key).await?;
                        Scope::Device(
                            found
                                .ok_or_else(|| anyhow!("no device '{key}' in the household"))?
                                .id,
                        )
                    }
                };
                let (_, secret) = store
                    .create_token(&household, &label, scope, SystemClock.now())
                    .await?;
                println!("{secret}");
            }
            TokenCommand::List { household: chosen } => {
                let household = household(&store, chosen.as_deref()).await?;
                for token in store.tokens(&household).await? {
                    let scope = match &token.scope {
                        Scope::Admin => "admin".to_string(),
                        Scope::Device(device) => format!("device {device}"),
                    };
                    let state = if token.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    println!(
                        "{}\t{}\t{scope}\t{state}\t{}",
                        token.id, token.label, token.created_at
                    );
                }
            }
            TokenCommand::Revoke {
                id,
                household: chosen,
            } => {
                let household = household(&store, chosen.as_deref()).await?;
                if !store
                    .revoke_token(&household, &TokenId::new(&id), SystemClock.now())
                    .await?
                {
                    bail!("the household has no token {id}");
                }
                println!("revoked {id}");
            }
        }
        Ok(())
    })
}

#[derive(Debug, Subcommand)]
pub enum HouseholdCommand {
    /// Create another household, with a first device and an admin token.
    Create {
        /// Its name.
        name: String,
        /// Its IANA time zone (default: this system's).
        #[arg(long)]
        time_zone: Option<String>,
    },
    /// List the households.
    List,
    /// Change a household's settings: its name, time zone, location (for the weather) or the
    /// units the weather is told in.
    Set {
        /// Which household (default: the only one).
        #[arg(long)]
        household: Option<String>,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new IANA time zone.
        #[arg(long)]
        time_zone: Option<String>,
        /// The place's name, as it is said ("Paris"); with --latitude and --longitude.
        #[arg(long, requires_all = ["latitude", "longitude"], conflicts_with = "no_location")]
        location: Option<String>,
        /// Degrees north, -90 to 90.
        #[arg(long, requires = "location", allow_hyphen_values = true)]
        latitude: Option<f64>,
        /// Degrees east, -180 to 180.
        #[arg(long, requires = "location", allow_hyphen_values = true)]
        longitude: Option<f64>,
        /// Forget the location.
        #[arg(long)]
        no_location: bool,
        /// `metric` (degrees Celsius, km/h) or `imperial` (degrees Fahrenheit, mph).
        #[arg(long, value_parser = parse_units)]
        units: Option<Units>,
    },
}

fn parse_units(text: &str) -> std::result::Result<Units, String> {
    Units::parse(text).ok_or_else(|| format!("{text:?} is not metric or imperial"))
}

pub fn household_command(settings: &Settings, command: HouseholdCommand) -> Result<()> {
    let config = settings.config()?;
    block_on(async {
        let store = open_store(&config).await?;
        match command {
            HouseholdCommand::Create { name, time_zone } => {
                let zone = time_zone.unwrap_or_else(|| {
                    jiff::tz::TimeZone::system()
                        .iana_name()
                        .unwrap_or("UTC")
                        .to_string()
                });
                let new = NewHousehold {
                    name: &name,
                    time_zone: &zone,
                    location: None,
                    device: &config.device,
                    token_label: "admin",
                };
                let founded = store
                    .create_household_with_admin(new, SystemClock.now())
                    .await?;
                println!("household\t{}", founded.household.id);
                println!("device\t{}\t{}", founded.device.id, founded.device.name);
                println!("token\t{}", founded.secret);
            }
            HouseholdCommand::Set {
                household: chosen,
                name,
                time_zone,
                location,
                latitude,
                longitude,
                no_location,
                units,
            } => {
                let id = household(&store, chosen.as_deref()).await?;
                let location = match (location, latitude, longitude, no_location) {
                    (Some(name), Some(latitude), Some(longitude), _) => Some(Some(Location {
                        name,
                        latitude,
                        longitude,
                    })),
                    (_, _, _, true) => Some(None),
                    _ => None,
                };
                let update = HouseholdUpdate {
                    name,
                    time_zone,
                    location,
                    units,
                };
                let changed = store.update_household(&id, update).await?;
                let place = changed.location.as_ref().map_or_else(
                    || "(no location)".to_string(),
                    |l| format!("{} ({}, {})", l.name, l.latitude, l.longitude),
                );
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    changed.id, changed.name, changed.time_zone, place, changed.units
                );
            }
            HouseholdCommand::List => {
                for household in store.households().await? {
                    println!(
                        "{}\t{}\t{}",
                        household.id, household.name, household.time_zone
                    );
                }
            }
        }
        Ok(())
    })
}
