//! The server in this process, on a manual clock, over real HTTP on a free
//! port: timers fire on the device that set them (or the one it named), and
//! wait for an offline one.

mod alarms;
mod devices;
mod timers;
