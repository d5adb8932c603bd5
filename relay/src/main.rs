//! `charter-relay`: serves the built app and the sync relay on http://127.0.0.1:8080/ until
//! Ctrl-C or SIGTERM.

// The relay catches a panic in the work after an append and goes on serving; built to abort,
// one bad request would end it for everyone (issue 9).
#[cfg(panic = "abort")]
compile_error!("build the relay with panic = \"unwind\" (see [profile.release] in Cargo.toml)");

use std::io::IsTerminal as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use charter_relay::{
    Config, DEFAULT_DATA_DIR, DEFAULT_MAX_ROOM_BYTES, DEFAULT_RETENTION, Limits, RelayError,
    StoreOptions, TlsFiles,
};
use clap::Parser;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// Serves Charter (the app built by `trunk build --release`) and its end-to-end encrypted sync
/// relay on your machine.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on; 0.0.0.0 makes it reachable from the room's network.
    #[arg(long, env = "CHARTER_BIND", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, env = "CHARTER_PORT", default_value_t = 8080)]
    port: u16,
    /// Folder holding the built app (index.html and its hashed files).
    #[arg(long, env = "CHARTER_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Folder for the sync relay's database (created if missing); it holds only ciphertext.
    #[arg(long, env = "CHARTER_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
    data_dir: PathBuf,
    /// Most rooms one sync connection may join at once.
    #[arg(long, env = "CHARTER_MAX_ROOMS_PER_CONNECTION",
          default_value_t = Limits::default().max_rooms_per_connection)]
    max_rooms_per_connection: usize,
    /// Most sync connections one network address may hold at once.
    #[arg(long, env = "CHARTER_MAX_CONNECTIONS_PER_ADDRESS",
          default_value_t = Limits::default().max_connections_per_address)]
    max_connections_per_address: usize,
    /// Sustained sync messages per second per connection (bursts of twice as many pass).
    #[arg(long, env = "CHARTER_MAX_MESSAGES_PER_SECOND",
          default_value_t = Limits::default().max_messages_per_second)]
    max_messages_per_second: u32,
    /// Origins (such as https://charter.example.org) whose pages may sync through this relay,
    /// besides the app it serves itself; comma-separated.
    #[arg(long, env = "CHARTER_ALLOW_ORIGINS", value_delimiter = ',')]
    allow_origin: Vec<String>,
    /// The relay's TLS certificate chain (PEM): with --tls-key it serves HTTPS and WSS.
    #[arg(long, env = "CHARTER_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, env = "CHARTER_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve plain HTTP on a network address anyway (refused without it): anyone on that
    /// network can then alter the app as it loads. Only for a network you trust.
    #[arg(long, env = "CHARTER_INSECURE_LAN")]
    insecure_lan: bool,
    /// Days the relay keeps the changes a snapshot covers after it is stored, so that a
    /// snapshot nobody can open (damaged, or junk) does not take the history with it.
    #[arg(long, env = "CHARTER_RETENTION_DAYS",
          default_value_t = DEFAULT_RETENTION.as_secs() / 86_400)]
    retention_days: u64,
    /// Megabytes (MiB) of changes and snapshots one workspace may keep on the relay; more is
    /// refused with a clear message to its members.
    #[arg(long, env = "CHARTER_MAX_ROOM_MB",
          default_value_t = DEFAULT_MAX_ROOM_BYTES / (1024 * 1024))]
    max_room_mb: u64,
    /// Seconds without a message after which a sync connection is closed.
    #[arg(long, env = "CHARTER_IDLE_TIMEOUT_SECS",
          default_value_t = Limits::default().idle_timeout.as_secs())]
    idle_timeout_secs: u64,
}

impl Args {
    fn config(self) -> Config {
        let limits = Limits {
            max_rooms_per_connection: self.max_rooms_per_connection,
            max_connections_per_address: self.max_connections_per_address,
            max_messages_per_second: self.max_messages_per_second,
            burst: self.max_messages_per_second.saturating_mul(2),
            idle_timeout: Duration::from_secs(self.idle_timeout_secs),
            ..Limits::default()
        };
        Config {
            bind: SocketAddr::new(self.bind, self.port),
            dist_dir: self.dist,
            data_dir: self.data_dir,
            limits,
            allowed_origins: self.allow_origin,
            tls: self
                .tls_cert
                .zip(self.tls_key)
                .map(|(certificate, key)| TlsFiles { certificate, key }),
            insecure_lan: self.insecure_lan,
            store: StoreOptions {
                retention: Duration::from_secs(self.retention_days.saturating_mul(86_400)),
                max_room_bytes: self.max_room_mb.saturating_mul(1024 * 1024),
            },
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    match serve(args.config()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("charter-relay: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), RelayError> {
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|source| RelayError::Bind {
            address: config.bind,
            source,
        })?;
    charter_relay::run(listener, config, shutdown_signal()).await
}

/// Completes on Ctrl-C, or on SIGTERM (how service managers and containers stop a process).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
