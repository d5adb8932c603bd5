//! Appends per second through the relay, and append-to-fan-out latency, over loopback.
//!
//! Starts the relay on 127.0.0.1:0 with a temporary data dir, connects writer clients and
//! read-only listeners spread over a few rooms, and has every writer append a fixed number of
//! keystroke-sized blobs (a window of appends in flight each, waiting for the Acks). Each blob
//! carries the time it was sent, so the listeners measure how long an append took to reach
//! them. Bounded in count and in time; stops by itself.
//!
//! ```text
//! cargo run --release -p charter-relay --example bench_appends [-- WRITERS LISTENERS ROOMS APPENDS WINDOW]
//! ```
//! Defaults: 50 writers, 10 listeners, 5 rooms, 400 appends per writer, window 1.

use std::io::Write as _;
use std::time::{Duration, Instant};

use charter::sync::crypto::{BlobKind, SIGNATURE_BYTES, WorkspaceSecret, sign_sealed};
use charter::sync::protocol::{ClientFrame, PROTOCOL_VERSION, ServerFrame, decode_server, encode};
use charter_relay::{Config, Limits, run};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async_with_config};

/// The whole run gives up after this long.
const DEADLINE: Duration = Duration::from_secs(120);
/// Size of each appended blob: about a sealed keystroke-sized Automerge change.
const BLOB_BYTES: usize = 120;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone, Copy)]
struct Plan {
    writers: usize,
    listeners: usize,
    rooms: usize,
    appends: usize,
    window: usize,
}

impl Plan {
    fn from_args() -> Result<Self, BoxError> {
        let numbers = std::env::args()
            .skip(1)
            .map(|arg| arg.parse::<usize>())
            .collect::<Result<Vec<_>, _>>()?;
        let get = |index: usize, default: usize| numbers.get(index).copied().unwrap_or(default);
        Ok(Self {
            writers: get(0, 50),
            listeners: get(1, 10),
            rooms: get(2, 5).max(1),
            appends: get(3, 400),
            window: get(4, 1).max(1),
        })
    }

    fn writers_in(&self, room: usize) -> usize {
        (0..self.writers).filter(|w| w % self.rooms == room).count()
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let plan = Plan::from_args()?;
    let dir = tempfile::tempdir()?;
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist)?;
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><html></html>\n")?;
    let config = Config {
        data_dir: dir.path().join("data"),
        // The rate limit would measure itself, not the relay.
        limits: Limits {
            max_messages_per_second: 1_000_000,
            burst: 1_000_000,
            ..Limits::default()
        },
        ..Config::new(&dist)
    };
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let relay = tokio::spawn(run(listener, config, async {
        let _ = stopped.await;
    }));
    let url = format!("ws://{address}/sync");

    let outcome = tokio::time::timeout(DEADLINE, measure(&url, plan)).await;
    let _ = stop.send(());
    relay.await??;
    let report = match outcome {
        Ok(report) => report?,
        Err(_) => return Err(format!("the benchmark did not finish within {DEADLINE:?}").into()),
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "relay bench: {} writers, {} listeners, {} rooms, {} appends of {BLOB_BYTES} bytes \
         (window {})",
        plan.writers,
        plan.listeners,
        plan.rooms,
        plan.writers * plan.appends,
        plan.window
    )?;
    writeln!(
        out,
        "  appends acknowledged: {:.0}/s ({} in {:.2} s)",
        report.acked as f64 / report.elapsed.as_secs_f64(),
        report.acked,
        report.elapsed.as_secs_f64()
    )?;
    writeln!(
        out,
        "  append -> ack:      p50 {:>7.2} ms  p99 {:>7.2} ms",
        percentile(&report.ack_latency, 0.50),
        percentile(&report.ack_latency, 0.99)
    )?;
    writeln!(
        out,
        "                      mean {:>6.2} ms  max {:>7.2} ms",
        report.ack_latency.iter().sum::<f64>() / report.ack_latency.len().max(1) as f64,
        report.ack_latency.last().copied().unwrap_or_default()
    )?;
    writeln!(
        out,
        "  append -> fan-out:  p50 {:>7.2} ms  p99 {:>7.2} ms  ({} deliveries to listeners, \
         {} to other writers)",
        percentile(&report.fan_out_latency, 0.50),
        percentile(&report.fan_out_latency, 0.99),
        report.fan_out_latency.len(),
        report.writer_deliveries
    )?;
    Ok(())
}

struct Report {
    acked: usize,
    elapsed: Duration,
    /// Milliseconds.
    ack_latency: Vec<f64>,
    /// Milliseconds, as seen by the listeners.
    fan_out_latency: Vec<f64>,
    writer_deliveries: usize,
}

fn workspace(room: usize) -> WorkspaceSecret {
    let mut bytes = [0; 32];
    bytes[..8].copy_from_slice(&(room as u64 + 1).to_le_bytes());
    WorkspaceSecret::from_bytes(bytes)
}

async fn join(url: &str, secret: &WorkspaceSecret, editor: bool) -> Result<Socket, BoxError> {
    // Browsers disable Nagle's algorithm on their sockets too. tungstenite zero-fills its whole
    // read buffer before every read; a small one keeps the clients' cost out of the figures.
    let config = WebSocketConfig::default().read_buffer_size(16 * 1024);
    let (mut socket, _) = connect_async_with_config(url, Some(config), true).await?;
    let hello = ClientFrame::Hello {
        version: PROTOCOL_VERSION,
        channel: 0,
        room: secret.room_id(),
        writer: secret.writer_key(),
        write_token: editor.then(|| secret.write_token()),
        cursor: 0,
        entries_only: false,
    };
    socket.send(Message::binary(encode(&hello)?)).await?;
    match next_frame(&mut socket).await? {
        ServerFrame::Welcome { .. } => Ok(socket),
        other => Err(format!("expected Welcome, got {other:?}").into()),
    }
}

async fn next_frame(socket: &mut Socket) -> Result<ServerFrame, BoxError> {
    loop {
        match socket.next().await {
            Some(Ok(Message::Binary(bytes))) => return Ok(decode_server(&bytes)?),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            Some(Ok(other)) => return Err(format!("unexpected message {other:?}").into()),
            Some(Err(error)) => return Err(error.into()),
            None => return Err("the relay closed the connection".into()),
        }
    }
}

async fn measure(url: &str, plan: Plan) -> Result<Report, BoxError> {
    let epoch = Instant::now();
    let mut listeners = Vec::new();
    for l in 0..plan.listeners {
        let room = l % plan.rooms;
        let socket = join(url, &workspace(room), false).await?;
        let expected = plan.writers_in(room) * plan.appends;
        listeners.push(tokio::spawn(listen(socket, expected, epoch)));
    }
    let mut writers = Vec::new();
    for w in 0..plan.writers {
        let secret = workspace(w % plan.rooms);
        let socket = join(url, &secret, true).await?;
        writers.push((socket, secret));
    }
    // Everyone is connected: start all writers together.
    let start = Instant::now();
    let tasks: Vec<_> = writers
        .into_iter()
        .map(|(socket, secret)| tokio::spawn(write(socket, secret, plan, epoch)))
        .collect();
    let mut ack_latency = Vec::new();
    let mut writer_deliveries = 0;
    let mut acked = 0;
    for task in tasks {
        let (latencies, deliveries) = task.await??;
        acked += latencies.len();
        ack_latency.extend(latencies);
        writer_deliveries += deliveries;
    }
    let elapsed = start.elapsed();
    let mut fan_out_latency = Vec::new();
    for task in listeners {
        fan_out_latency.extend(task.await??);
    }
    ack_latency.sort_by(f64::total_cmp);
    fan_out_latency.sort_by(f64::total_cmp);
    Ok(Report {
        acked,
        elapsed,
        ack_latency,
        fan_out_latency,
        writer_deliveries,
    })
}

/// A blob stamped with the time it is sent, signed as an editor's app signs it (the relay
/// checks the signature).
fn stamped_blob(secret: &WorkspaceSecret, epoch: Instant) -> Vec<u8> {
    let sent = epoch.elapsed().as_nanos() as u64;
    let mut blob = sent.to_le_bytes().to_vec();
    blob.resize(BLOB_BYTES - SIGNATURE_BYTES, 0xab);
    sign_sealed(
        &secret.signer(),
        &secret.room_id(),
        BlobKind::Changes,
        &blob,
    )
}

fn latency_ms(blob: &[u8], epoch: Instant) -> Option<f64> {
    let stamp = blob.get(SIGNATURE_BYTES..SIGNATURE_BYTES + 8)?;
    let sent = u64::from_le_bytes(stamp.try_into().ok()?);
    let now = epoch.elapsed().as_nanos() as u64;
    Some(now.saturating_sub(sent) as f64 / 1e6)
}

/// Appends `plan.appends` blobs with `plan.window` in flight; returns the append-to-ack
/// latencies and how many entries of other writers arrived meanwhile.
async fn write(
    mut socket: Socket,
    secret: WorkspaceSecret,
    plan: Plan,
    epoch: Instant,
) -> Result<(Vec<f64>, usize), BoxError> {
    let mut sent_at = Vec::with_capacity(plan.appends);
    let mut latencies = Vec::with_capacity(plan.appends);
    let mut deliveries = 0;
    while latencies.len() < plan.appends {
        while sent_at.len() < plan.appends && sent_at.len() - latencies.len() < plan.window {
            let request = sent_at.len() as u32;
            sent_at.push(Instant::now());
            let append = ClientFrame::Append {
                channel: 0,
                request,
                blob: stamped_blob(&secret, epoch),
            };
            socket.send(Message::binary(encode(&append)?)).await?;
        }
        match next_frame(&mut socket).await? {
            ServerFrame::Ack { request, .. } => {
                let sent = sent_at
                    .get(request as usize)
                    .ok_or("an Ack for a request never sent")?;
                latencies.push(sent.elapsed().as_secs_f64() * 1e3);
            }
            ServerFrame::Entry { .. } => deliveries += 1,
            other => return Err(format!("unexpected frame {other:?}").into()),
        }
    }
    socket.close(None).await?;
    Ok((latencies, deliveries))
}

/// Receives `expected` entries and returns their append-to-delivery latencies.
async fn listen(mut socket: Socket, expected: usize, epoch: Instant) -> Result<Vec<f64>, BoxError> {
    let mut latencies = Vec::with_capacity(expected);
    while latencies.len() < expected {
        if let ServerFrame::Entry { blob, .. } = next_frame(&mut socket).await? {
            latencies.push(latency_ms(&blob, epoch).ok_or("a blob without its time stamp")?);
        }
    }
    socket.close(None).await?;
    Ok(latencies)
}

/// The `q` quantile of sorted values, in their unit (0 when there are none).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}
