//! Sync through an untrusted relay: the wire protocol and the end-to-end crypto.
//!
//! Both are pure Rust, shared by the app and the relay, and tested natively.

pub mod client;
pub mod crypto;
pub mod link;
pub mod presence;
pub mod protocol;
