//! The server in this process, on a manual clock, over real HTTP on a free
//! port: timers fire on the device that set them (or the one it named), and
//! wait for an offline one; they ring until stopped there, and what nobody
//! stopped is told later.

mod alarms;
mod devices;
mod lists;
mod media;
mod music;
mod names;
mod ringing;
mod stream;
mod timers;
mod trained;
mod voice;
mod weather;
