//! Charter's local server: the app that Trunk builds into `dist/`, and on the same address the
//! end-to-end encrypted sync relay (`/sync`, WebSocket) with its SQLite log store.

mod app_shell;
mod cache;
mod csp;
mod delivery;
mod hub;
mod limits;
mod store;
mod sync;
mod tls;

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::http::header::X_CONTENT_TYPE_OPTIONS;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware;
use axum::routing::get;
use axum::serve::ListenerExt as _;
use tokio::net::TcpListener;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use app_shell::is_app_page;
pub use cache::{is_hashed_file_name, is_hashed_path};
pub use csp::{content_security_policy, inline_scripts, sha256_source};
pub use limits::Limits;
pub use store::{
    Access, CatchUp, Closure, DATABASE_FILE, DEFAULT_MAX_ROOM_BYTES, DEFAULT_RETENTION, Entry,
    RoomId, SCHEMA_VERSION, Snapshot, Store, StoreError, StoreOptions, TokenHash, hash_token,
};
pub use tls::{TlsError, TlsFiles};

/// How the relay is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The address the binary binds (`run` serves whatever listener it is given).
    pub bind: SocketAddr,
    /// The folder Trunk builds the app into, holding `index.html` and the hashed files.
    pub dist_dir: PathBuf,
    /// The folder holding the sync relay's database ([`DATABASE_FILE`]); created if missing.
    pub data_dir: PathBuf,
    /// What one sync connection may ask of the relay.
    pub limits: Limits,
    /// Pages on these origins (`https://charter.example.org`) may open `/sync`, besides
    /// the app this relay serves itself; a browser's WebSocket from any other page is refused
    /// with 403.
    pub allowed_origins: Vec<String>,
    /// The certificate and key to serve HTTPS and WSS with; plain HTTP without.
    pub tls: Option<TlsFiles>,
    /// Serve plain HTTP on an address other machines reach (refused otherwise): anyone on
    /// that network could then alter the app as it loads.
    pub insecure_lan: bool,
    /// How long entries stay after a snapshot covering them is stored, and how many bytes a
    /// room may hold ([`DEFAULT_RETENTION`] and [`DEFAULT_MAX_ROOM_BYTES`] unless set).
    pub store: StoreOptions,
}

/// The data directory when none is given: `data`, relative to the working directory.
pub const DEFAULT_DATA_DIR: &str = "data";

impl Config {
    /// The default address, 127.0.0.1:8080, serving the app from `dist_dir`, keeping sync data
    /// in [`DEFAULT_DATA_DIR`], with the default [`Limits`].
    pub fn new(dist_dir: impl Into<PathBuf>) -> Self {
        Self {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            dist_dir: dist_dir.into(),
            data_dir: PathBuf::from(DEFAULT_DATA_DIR),
            limits: Limits::default(),
            allowed_origins: Vec::new(),
            tls: None,
            insecure_lan: false,
            store: StoreOptions::default(),
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
    /// A network address without TLS, and no `--insecure-lan`.
    #[error(
        "refusing to serve plain HTTP on {address}: anyone on that network could read and alter \
         the app as it loads. Give a certificate with --tls-cert and --tls-key, or accept the \
         risk on a network you trust with --insecure-lan"
    )]
    InsecureBind {
        /// The address bound.
        address: SocketAddr,
    },
    /// The TLS certificate or key could not be used.
    #[error(transparent)]
    Tls(#[from] TlsError),
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
    /// The sync relay's database could not be opened.
    #[error("could not open the sync database in {}: {source}", path.display())]
    Store {
        /// The data directory.
        path: PathBuf,
        /// What the store reported.
        source: StoreError,
    },
    /// Serving failed after the server had started.
    #[error("the server stopped with an error: {0}")]
    Serve(#[source] io::Error),
}

/// Brotli's own default (quality 11) takes seconds per megabyte of wasm on every request;
/// 5 compresses a little less but keeps first load fast. Precompressed `.br`/`.gz` files in
/// dist, when present, are served instead and may use the best quality.
const ON_THE_FLY_COMPRESSION: CompressionLevel = CompressionLevel::Precise(5);

/// The browser features the app may use: none of these.
pub const PERMISSIONS_POLICY: &str =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()";

/// The whole HTTP surface: `/healthz`, the sync WebSocket `/sync`, then the app (files from
/// dist, SPA fallback), wrapped in caching, security headers, compression and request tracing.
///
/// Fails if `dist/index.html` is missing or unreadable, or the database in `data_dir` cannot
/// be opened (it is created when missing). Blocks while it opens the database.
pub fn router(config: &Config) -> Result<Router, RelayError> {
    build(config).map(|(router, _)| router)
}

fn build(config: &Config) -> Result<(Router, Arc<sync::SyncService>), RelayError> {
    let shell = app_shell::AppShell::load(&config.dist_dir)?;
    let store =
        Store::open_with(&config.data_dir, config.store).map_err(|source| RelayError::Store {
            path: config.data_dir.clone(),
            source,
        })?;
    let service = Arc::new(
        sync::SyncService::new(store, config.limits).with_origins(&config.allowed_origins),
    );
    let policy = shell.content_security_policy();
    let routes = Router::new()
        .route("/healthz", get(healthz))
        .merge(sync::routes(Arc::clone(&service)))
        .merge(shell.routes());
    let router = routes
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
        // No other site's window shares a browsing context group with Charter's.
        .layer(overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        // Features Charter never uses stay off, even for code injected into the page.
        .layer(overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        ))
        .layer(CompressionLayer::new().quality(ON_THE_FLY_COMPRESSION))
        .layer(TraceLayer::new_for_http());
    Ok((router, service))
}

/// Serves Charter on `listener` until `shutdown` completes.
///
/// Then it stops accepting, closes every sync WebSocket with a close frame once the frame it
/// is handling is done, lets open HTTP requests finish, and returns only when every connection
/// has ended: every append it acknowledged has committed.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RelayError> {
    let address = listener.local_addr().map_err(RelayError::Serve)?;
    let tls = config
        .tls
        .as_ref()
        .map(TlsFiles::server_config)
        .transpose()?;
    if tls.is_none() && !address.ip().is_loopback() {
        if !config.insecure_lan {
            return Err(RelayError::InsecureBind { address });
        }
        tracing::warn!(
            %address,
            "serving plain HTTP to the network (--insecure-lan): anyone on it can read and alter \
             the app as it loads, and browsers treat the page as not secure"
        );
    }
    let (app, service) = build(&config)?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(
        %address,
        dist = %config.dist_dir.display(),
        data = %config.data_dir.display(),
        "Charter is running at {scheme}://{address}/"
    );
    let on_shutdown = {
        let service = Arc::clone(&service);
        async move {
            shutdown.await;
            service.shut_down();
        }
    };
    let served = match tls {
        Some(tls) => {
            // tap_io: axum knows the peer's address through it (for the per-address limit).
            let listener = tls::TlsListener::new(listener, tls)
                .map_err(RelayError::Serve)?
                .tap_io(|_| {});
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(on_shutdown)
            .await
        }
        None => {
            // Sync frames are small and latency-bound: without TCP_NODELAY, Nagle's algorithm
            // holds an Ack or an Entry back until the client's delayed ACK (tens of ms).
            let listener = listener.tap_io(|stream| {
                if let Err(error) = stream.set_nodelay(true) {
                    tracing::debug!(%error, "could not set TCP_NODELAY");
                }
            });
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(on_shutdown)
            .await
        }
    }
    .map_err(RelayError::Serve);
    // Upgraded WebSockets are no longer HTTP requests, so axum does not wait for them.
    service.shut_down();
    service.closed().await;
    served?;
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
