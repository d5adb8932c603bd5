//! The browser's network shell: a WebSocket to the relay that reconnects by itself.

pub mod socket;
