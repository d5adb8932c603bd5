//! Keeping workspaces in the browser: content-addressed chunks (pure logic,
//! tested natively) and their IndexedDB shell.

pub mod backup;
pub mod chunks;
#[cfg(target_arch = "wasm32")]
pub mod idb;
#[cfg(target_arch = "wasm32")]
pub mod journal;
#[cfg(target_arch = "wasm32")]
pub mod keys;
