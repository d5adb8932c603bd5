//! Charter: the workspace in which top management runs its ISO/IEC 27001 ISMS.
//!
//! `workspace` and `storage::chunks` are pure Rust and tested natively; the
//! browser shell (`storage::idb`, `ui`) only builds for wasm32.

#[cfg(all(feature = "bench-exports", target_arch = "wasm32"))]
pub mod bench_exports;
pub mod markdown;
#[cfg(target_arch = "wasm32")]
pub mod net;
pub mod storage;
pub mod sync;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod workspace;
