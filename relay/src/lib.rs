//! Charter's local server. For now it serves the app that Trunk builds into `dist/`; the
//! end-to-end encrypted sync relay (`/sync`, WebSocket) joins the same router later.

mod app_shell;
mod cache;
mod csp;
mod store;

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use axum::Router;
use axum::http::header::X_CONTENT_TYPE_OPTIONS;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware;
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use app_shell::is_app_page;
pub use cache::{is_hashed_file_name, is_hashed_path};
pub use csp::{content_security_policy, inline_scripts, sha256_source};
pub use store::{
    Access, CatchUp, DATABASE_FILE, Entry, RoomId, SCHEMA_VERSION, Snapshot, Store, StoreError,
    TokenHash, hash_token,
};

/// How the relay is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The address the binary binds (`run` serves whatever listener it is given).
    pub bind: SocketAddr,
    /// The folder Trunk builds the app into, holding `index.html` and the hashed files.
    pub dist_dir: PathBuf,
}

impl Config {
    /// The default address, 127.0.0.1:8080, serving the app from `dist_dir`.
    pub fn new(dist_dir: impl Into<PathBuf>) -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            dist_dir: dist_dir.into(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new("dist")
    }
}

/// Why the relay could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The app has not been built into the dist folder.
    #[error("{} not found: build the app first with `trunk build --release`", path.display())]
    IndexMissing {
        /// Where `index.html` was expected.
        path: PathBuf,
    },
    /// `index.html` exists but could not be read.
    #[error("could not read {}: {source}", path.display())]
    ReadIndex {
        /// The file that could not be read.
        path: PathBuf,
        /// What the operating system reported.
        source: io::Error,
    },
    /// The headers derived from `index.html` (its policy, its ETag) were not valid headers.
    #[error("could not derive response headers from {}; rebuild the app", path.display())]
    IndexHeader {
        /// The `index.html` in question.
        path: PathBuf,
    },
    /// The address could not be bound.
    #[error(
        "could not listen on {address}: {source} (is another server using the port? \
         choose another with --port)"
    )]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// What the operating system reported.
        source: io::Error,
    },
    /// Serving failed after the server had started.
    #[error("the server stopped with an error: {0}")]
    Serve(#[source] io::Error),
}

/// Brotli's own default (quality 11) takes seconds per megabyte of wasm on every request;
/// 5 compresses a little less but keeps first load fast. Precompressed `.br`/`.gz` files in
/// dist, when present, are served instead and may use the best quality.
const ON_THE_FLY_COMPRESSION: CompressionLevel = CompressionLevel::Precise(5);

/// The whole HTTP surface: `/healthz`, then the app (files from dist, SPA fallback), wrapped in
/// caching, security headers, compression and request tracing.
///
/// Fails if `dist/index.html` is missing or unreadable.
pub fn router(config: &Config) -> Result<Router, RelayError> {
    let shell = app_shell::AppShell::load(&config.dist_dir)?;
    let policy = shell.content_security_policy();
    // The sync WebSocket route (`/sync`) is to be added here, next to `/healthz`.
    let routes = Router::new()
        .route("/healthz", get(healthz))
        .merge(shell.routes());
    Ok(routes
        .layer(middleware::from_fn(cache::set_cache_control))
        .layer(overriding(CONTENT_SECURITY_POLICY, policy))
        .layer(overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(CompressionLayer::new().quality(ON_THE_FLY_COMPRESSION))
        .layer(TraceLayer::new_for_http()))
}

/// Serves Charter on `listener` until `shutdown` completes, then lets open requests finish.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RelayError> {
    let app = router(&config)?;
    let address = listener.local_addr().map_err(RelayError::Serve)?;
    tracing::info!(
        %address,
        dist = %config.dist_dir.display(),
        "Charter is running at http://{address}/"
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(RelayError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

async fn healthz() -> ([(HeaderName, HeaderValue); 1], &'static str) {
    (
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        "ok",
    )
}

fn overriding(name: HeaderName, value: HeaderValue) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, value)
}
