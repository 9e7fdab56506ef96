//! The real client against a local server that replays Open-Meteo's
//! documented answers (`hark_weather::testing`).

mod client;
