//! The flags every command shares, laid over the configuration file and the
//! environment (see `hark_server::config`).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;
use hark_server::config::{config_file, Config};

/// Flags that override the configuration.
#[derive(Debug, Clone, Default, Args)]
pub struct Settings {
    /// The configuration file (default: $HARK_CONFIG, else ~/.config/hark/hark.toml if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The data folder (SQLite database, first-start credentials).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Keep data in PostgreSQL (postgres://...) instead of SQLite.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Where the server listens.
    #[arg(long, global = true, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// The server to talk to.
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,
    /// The token to talk with.
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The device that speaks.
    #[arg(long, global = true, value_name = "NAME")]
    pub device: Option<String>,
    /// Log filter (info, debug, hark_server=debug).
    #[arg(long, global = true, value_name = "FILTER")]
    pub log: Option<String>,
}

impl Settings {
    /// The effective configuration: file < environment < these flags.
    pub fn config(&self) -> Result<Config> {
        let file = config_file(self.config.as_deref());
        let mut config =
            Config::load(file.as_deref(), std::env::vars()).context("reading the configuration")?;
        if let Some(dir) = &self.data_dir {
            config.data_dir = dir.clone();
        }
        if let Some(url) = &self.database_url {
            config.database_url = Some(url.clone());
        }
        if let Some(listen) = self.listen {
            config.listen = listen;
        }
        if let Some(server) = &self.server {
            config.server = server.clone();
        }
        if let Some(token) = &self.token {
            config.token = Some(token.clone());
        }
        if let Some(device) = &self.device {
            config.device = device.clone();
        }
        if let Some(log) = &self.log {
            config.log = log.clone();
        }
        Ok(config)
    }
}
