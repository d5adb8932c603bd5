//! The `/sync` WebSocket endpoint: one task per connection, speaking
//! [`charter::sync::protocol`] on top of the [`Store`] and the [`Hub`].
//!
//! A connection joins rooms with `Hello` (one channel number per room), appends and uploads
//! snapshots where it holds the write token, and passes presence messages around. Every refusal
//! is an `Error` frame about one frame; the connection and its other rooms go on. Only three
//! things end a connection from this side: the idle timeout, the relay shutting down, and a
//! client so slow to read that its outgoing queue stays full for [`Limits::send_timeout`].
//!
//! What a client can rely on:
//! - `Welcome` comes first, then (for an old cursor) the newest `SnapshotEntry`, then every
//!   `Entry` after the cursor up to the head, then live entries: each sequence number once, in
//!   increasing order. A cursor past the head is treated as the head.
//! - A client's own appends are never sent back to it: its `Ack` carries the sequence number,
//!   and the client's cursor should count those as received.
//! - An `Ack` is sent only after the append has committed; acks of one channel increase.
//! - `Ephemeral` messages go to the room's other connections that are live at that moment.
//! - The idle timeout counts only what the client sends: a client that wants to stay
//!   connected while nobody edits sends something (a presence message) now and then.
//! - A connection that joined with the write token may close the room (`Close`): from then
//!   on every append and snapshot is refused with `RoomClosed`, whatever the token. A `Hello`
//!   is still welcomed, followed at once by `Closed`, and members present when it closes are
//!   sent `Closed` too (clients of protocol version 2, which do not know it, only see the
//!   refusals). Nothing is deleted.
//!
//! Nothing here logs a blob, a token or a frame's contents: only sizes, sequence numbers,
//! channel numbers and the first bytes of room ids.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use axum::Extension;
use axum::Router;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{ConnectInfo, State};
use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use axum::routing::get;
use charter::sync::crypto::{
    BlobKind, WriterKey, verify_signed, write_token_hash, write_token_proves,
};
use charter::sync::protocol::{
    ClientFrame, ErrorCode, FIRST_VERSION_WITH_CLOSE, MAX_EPHEMERAL_BYTES, PROTOCOL_VERSION,
    ProtocolError, RoomId, ServerFrame, decode_client, encode, is_supported_version,
};
use futures_util::{Sink, SinkExt as _, Stream, StreamExt as _};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio_stream::StreamMap;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::delivery::{Delivery, Verdict};
use crate::hub::{Event, Held, Hub, Live, Membership, Origin, Publisher};
use crate::limits::{Limits, MAX_WEBSOCKET_MESSAGE_BYTES, TokenBucket};
use crate::store::{Store, StoreError, TokenHash};

/// Most outgoing messages the writer hands to the socket before flushing it.
const WRITE_BATCH: usize = 64;

/// How much the WebSocket reads from the socket at once. tungstenite zero-fills its whole
/// read buffer before every read, so its default (128 KiB) made that the relay's largest
/// cost for small frames; larger frames simply take several reads.
const READ_BUFFER_BYTES: usize = 16 * 1024;

/// What every connection shares: storage, the room registry, the limits, and the means to
/// stop them all and wait for them.
#[derive(Debug)]
pub(crate) struct SyncService {
    store: Store,
    hub: Hub,
    limits: Limits,
    shutdown: CancellationToken,
    connections: TaskTracker,
    next_connection: AtomicU64,
    /// Origins besides the relay's own whose pages may connect (lowercase, no trailing slash).
    allowed_origins: Vec<String>,
    /// Open sync connections per network address.
    per_address: Arc<std::sync::Mutex<HashMap<IpAddr, usize>>>,
    /// Bytes of frames queued for every connection together, not yet written to its socket.
    outgoing_held: Arc<std::sync::atomic::AtomicUsize>,
}

/// One connection counted against its address until dropped.
struct AddressSlot {
    counts: Arc<std::sync::Mutex<HashMap<IpAddr, usize>>>,
    address: IpAddr,
}

impl AddressSlot {
    /// A slot for `address`, or `None` when it already holds `max` connections.
    fn take(
        counts: &Arc<std::sync::Mutex<HashMap<IpAddr, usize>>>,
        address: IpAddr,
        max: usize,
    ) -> Option<Self> {
        let mut map = counts.lock().unwrap_or_else(PoisonError::into_inner);
        let count = map.entry(address).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Self {
            counts: Arc::clone(counts),
            address,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = map.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                map.remove(&self.address);
            }
        }
    }
}

impl SyncService {
    pub(crate) fn new(store: Store, limits: Limits) -> Self {
        Self {
            store,
            hub: Hub::new(limits.room_queue, limits.room_bytes),
            limits,
            shutdown: CancellationToken::new(),
            connections: TaskTracker::new(),
            next_connection: AtomicU64::new(1),
            allowed_origins: Vec::new(),
            per_address: Arc::default(),
            outgoing_held: Arc::default(),
        }
    }

    /// Bytes the relay holds for slow readers now: frames queued for connections and live
    /// messages rooms keep for their slowest member.
    pub(crate) fn queued_bytes(&self) -> usize {
        self.outgoing_held.load(Ordering::Relaxed) + self.hub.held_bytes()
    }

    /// Lets pages on `origins` connect too (the relay's own pages always may).
    pub(crate) fn with_origins(mut self, origins: &[String]) -> Self {
        self.allowed_origins = origins
            .iter()
            .map(|origin| origin.trim_end_matches('/').to_ascii_lowercase())
            .collect();
        self
    }

    /// Whether a WebSocket with these request headers may open. A browser always sends
    /// `Origin` with a WebSocket, so a page on another site cannot pass for this relay's own
    /// app (whose origin names the `Host` it was served from). Programs that send no `Origin`
    /// are let through: they hold no one's cookies or session, and prove nothing by it.
    fn origin_allowed(&self, headers: &HeaderMap) -> bool {
        let Some(origin) = headers.get(ORIGIN) else {
            return true;
        };
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        let origin = origin.to_ascii_lowercase();
        if self.allowed_origins.contains(&origin) {
            return true;
        }
        let host = headers.get(HOST).and_then(|host| host.to_str().ok());
        let own = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        matches!((own, host), (Some(own), Some(host)) if own == host.to_ascii_lowercase())
    }

    /// Tells every connection to close and refuses new ones.
    pub(crate) fn shut_down(&self) {
        self.shutdown.cancel();
    }

    /// Completes once every connection has ended; each finishes the frame it is handling
    /// first, so every append it acknowledged has committed.
    pub(crate) async fn closed(&self) {
        self.connections.close();
        self.connections.wait().await;
    }
}

/// The `/sync` route.
pub(crate) fn routes(service: Arc<SyncService>) -> Router {
    Router::new()
        .route("/sync", get(upgrade))
        .with_state(service)
}

async fn upgrade(
    State(service): State<Arc<SyncService>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !service.origin_allowed(&headers) {
        tracing::debug!(origin = ?headers.get(ORIGIN), "refused a sync connection from another site");
        return (
            StatusCode::FORBIDDEN,
            "This relay does not accept sync connections from pages on other sites.",
        )
            .into_response();
    }
    if service.shutdown.is_cancelled() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "the relay is shutting down",
        )
            .into_response();
    }
    // Served without an address (a router called directly), nothing is counted.
    let slot = match peer {
        Some(Extension(ConnectInfo(peer))) => {
            let max = service.limits.max_connections_per_address;
            match AddressSlot::take(&service.per_address, peer.ip(), max) {
                Some(slot) => Some(slot),
                None => {
                    tracing::debug!(%peer, "refused a sync connection: too many from its address");
                    return (
                        StatusCode::TOO_MANY_REQUESTS,
                        "Too many sync connections from this address; close some tabs and retry.",
                    )
                        .into_response();
                }
            }
        }
        None => None,
    };
    // Counted from now, so shutdown also waits for a connection still being upgraded.
    let counted = service.connections.token();
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(MAX_WEBSOCKET_MESSAGE_BYTES)
        .max_frame_size(MAX_WEBSOCKET_MESSAGE_BYTES)
        .on_failed_upgrade(|error| tracing::debug!(%error, "WebSocket upgrade failed"))
        .on_upgrade(move |socket| async move {
            serve(socket, service).await;
            drop(counted);
            drop(slot);
        })
}

/// Why a connection ended.
#[derive(Debug)]
enum Stop {
    /// The client closed the WebSocket or the TCP connection.
    ClientClosed,
    /// The client sent nothing for the idle timeout.
    IdleTimeout,
    /// The relay is shutting down.
    Shutdown,
    /// The socket failed (reset, protocol violation, a message above the WebSocket limit).
    Socket(axum::Error),
    /// The client did not read its messages.
    Outgoing(Closed),
}

impl Stop {
    fn describe(&self) -> String {
        match self {
            Self::ClientClosed => "closed by the client".into(),
            Self::IdleTimeout => "idle timeout".into(),
            Self::Shutdown => "relay shutting down".into(),
            Self::Socket(error) => format!("socket error: {error}"),
            Self::Outgoing(closed) => closed.to_string(),
        }
    }
}

/// Why a message could not be queued for the client.
#[derive(Debug, thiserror::Error)]
enum Closed {
    /// The client left its messages unread for too long.
    #[error("the client did not read its messages for {0:?}")]
    TooSlow(Duration),
    /// The writer task ended (the socket failed).
    #[error("the connection's socket stopped accepting messages")]
    WriterGone,
}

/// The sending half as the connection sees it: a bounded queue to the writer task.
struct Outgoing {
    queue: mpsc::Sender<Queued>,
    timeout: Duration,
    /// Permits for the bytes this connection may have queued ([`Limits::outgoing_bytes`]).
    budget: Arc<Semaphore>,
    /// The largest number of permits one message takes: all of them.
    max_permits: u32,
    /// Every connection's queued bytes together.
    held: Arc<std::sync::atomic::AtomicUsize>,
}

impl Outgoing {
    /// The permits a message of `bytes` takes: its size, or the whole budget for a larger one.
    fn permits(&self, bytes: usize) -> u32 {
        u32::try_from(bytes).map_or(self.max_permits, |n| n.min(self.max_permits))
    }

    /// Queues `message` if there is room at once (a close frame); false otherwise.
    fn try_message(&self, message: Message) -> bool {
        let bytes = message_bytes(&message);
        let Ok(permit) = Arc::clone(&self.budget).try_acquire_many_owned(self.permits(bytes))
        else {
            return false;
        };
        self.queue
            .try_send(Queued {
                message,
                _permit: permit,
                _held: Held::new(&self.held, bytes),
            })
            .is_ok()
    }
}

/// The payload bytes of a WebSocket message (control frames count as nothing).
fn message_bytes(message: &Message) -> usize {
    match message {
        Message::Binary(bytes) => bytes.len(),
        Message::Text(text) => text.len(),
        _ => 0,
    }
}

/// A message on its way to the socket, with the bytes it holds of the connection's budget.
struct Queued {
    message: Message,
    _permit: OwnedSemaphorePermit,
    _held: Held,
}

impl Outgoing {
    async fn frame(&self, frame: &ServerFrame) -> Result<(), Closed> {
        match encode(frame) {
            Ok(bytes) => self.message(Message::Binary(bytes.into())).await,
            Err(error) => {
                // Only an entry whose blob was accepted can be sent back, so this is a bug.
                tracing::error!(%error, "could not encode a frame for the client");
                Ok(())
            }
        }
    }

    async fn message(&self, message: Message) -> Result<(), Closed> {
        let bytes = message_bytes(&message);
        let permit = tokio::time::timeout(
            self.timeout,
            Arc::clone(&self.budget).acquire_many_owned(self.permits(bytes)),
        )
        .await
        .map_err(|_| Closed::TooSlow(self.timeout))?
        .map_err(|_| Closed::WriterGone)?;
        let queued = Queued {
            message,
            _permit: permit,
            _held: Held::new(&self.held, bytes),
        };
        self.queue
            .send_timeout(queued, self.timeout)
            .await
            .map_err(|error| match error {
                mpsc::error::SendTimeoutError::Timeout(_) => Closed::TooSlow(self.timeout),
                mpsc::error::SendTimeoutError::Closed(_) => Closed::WriterGone,
            })
    }
}

/// A room as joined by one connection.
struct Channel {
    membership: Membership,
    /// Present when the connection holds the room's write token.
    token_hash: Option<TokenHash>,
    /// The key every append and snapshot must be signed with.
    writer: WriterKey,
    delivery: Delivery,
    /// The client asked for entries only: its catch-up never includes a snapshot.
    entries_only: bool,
    /// The protocol version of the client's `Hello`: which frames it may be sent.
    version: u16,
    /// The connection knows the room is closed (and has told a client that knows `Closed`).
    closed: bool,
}

impl Channel {
    fn room(&self) -> RoomId {
        self.membership.room()
    }
}

struct Connection {
    id: u64,
    service: Arc<SyncService>,
    out: Outgoing,
    channels: HashMap<u16, Channel>,
    live: StreamMap<u16, BroadcastStream<Arc<Live>>>,
    bucket: TokenBucket,
}

async fn serve(socket: WebSocket, service: Arc<SyncService>) {
    let (sink, stream) = socket.split();
    serve_split(sink, stream, service).await;
}

/// Serves one connection given its two halves (a real socket's, or in-memory ones in tests).
async fn serve_split<W, R>(sink: W, mut stream: R, service: Arc<SyncService>)
where
    W: Sink<Message, Error = axum::Error> + Unpin + Send + 'static,
    R: Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    let id = service.next_connection.fetch_add(1, Ordering::Relaxed);
    let limits = service.limits;
    tracing::info!(connection = id, "connection opened");
    let (queue, outgoing) = mpsc::channel(limits.outgoing_queue.max(1));
    let mut writer = tokio::spawn(write_out(sink, outgoing, limits.send_timeout));
    let max_permits =
        u32::try_from(limits.outgoing_bytes.clamp(1, Semaphore::MAX_PERMITS)).unwrap_or(u32::MAX);
    let mut connection = Connection {
        id,
        out: Outgoing {
            queue,
            timeout: limits.send_timeout,
            budget: Arc::new(Semaphore::new(max_permits as usize)),
            max_permits,
            held: Arc::clone(&service.outgoing_held),
        },
        service,
        channels: HashMap::new(),
        live: StreamMap::new(),
        bucket: TokenBucket::new(limits.max_messages_per_second, limits.burst, Instant::now()),
    };
    let stop = connection.run(&mut stream).await;
    connection.farewell(&stop).await;
    let rooms = connection.channels.len();
    let queued_bytes = connection.service.queued_bytes();
    drop(connection);
    // The writer sends what is queued, the close frame last, then ends.
    if tokio::time::timeout(limits.send_timeout, &mut writer)
        .await
        .is_err()
    {
        writer.abort();
    }
    tracing::info!(
        connection = id,
        rooms,
        reason = %stop.describe(),
        queued_bytes,
        "connection closed"
    );
}

/// Hands queued messages to the socket, flushing after each batch, until the queue closes or
/// a close frame is sent.
async fn write_out<W>(mut sink: W, mut queue: mpsc::Receiver<Queued>, timeout: Duration)
where
    W: Sink<Message, Error = axum::Error> + Unpin,
{
    while let Some(first) = queue.recv().await {
        let batch = async {
            // Each message's bytes count against the budget until the batch is flushed.
            let mut written = Vec::with_capacity(WRITE_BATCH);
            let mut next = Some(first);
            let mut closing = false;
            while let Some(Queued {
                message,
                _permit: permit,
                _held: held,
            }) = next.take()
            {
                closing = matches!(message, Message::Close(_));
                sink.feed(message).await?;
                written.push((permit, held));
                if closing || written.len() >= WRITE_BATCH {
                    break;
                }
                next = queue.try_recv().ok();
            }
            sink.flush().await?;
            drop(written);
            Ok::<_, axum::Error>(closing)
        };
        match tokio::time::timeout(timeout, batch).await {
            Ok(Ok(false)) => {}
            Ok(Ok(true)) => break,
            Ok(Err(error)) => {
                tracing::debug!(%error, "could not write to the client");
                return;
            }
            Err(_) => {
                tracing::debug!(?timeout, "the client is not reading; giving up on it");
                return;
            }
        }
    }
    let _ = tokio::time::timeout(timeout, sink.close()).await;
}

impl Connection {
    /// Handles frames and live events until something ends the connection.
    async fn run<R>(&mut self, stream: &mut R) -> Stop
    where
        R: Stream<Item = Result<Message, axum::Error>> + Unpin,
    {
        let idle_timeout = self.service.limits.idle_timeout;
        let idle = tokio::time::sleep(idle_timeout);
        tokio::pin!(idle);
        let shutdown = self.service.shutdown.clone();
        loop {
            let step = tokio::select! {
                () = shutdown.cancelled() => return Stop::Shutdown,
                () = &mut idle => return Stop::IdleTimeout,
                message = stream.next() => {
                    idle.as_mut().reset(tokio::time::Instant::now() + idle_timeout);
                    match message {
                        None | Some(Ok(Message::Close(_))) => return Stop::ClientClosed,
                        Some(Err(error)) => return Stop::Socket(error),
                        Some(Ok(message)) => self.incoming(message).await,
                    }
                }
                Some((channel, live)) = self.live.next() => self.on_live(channel, live).await,
            };
            if let Err(closed) = step {
                return Stop::Outgoing(closed);
            }
        }
    }

    /// The last frames, when the relay is the one ending the connection.
    async fn farewell(&self, stop: &Stop) {
        let (code, reason) = match stop {
            Stop::IdleTimeout => {
                let seconds = self.service.limits.idle_timeout.as_secs();
                let message = format!(
                    "The connection was closed after {seconds} seconds without a message; \
                     the app reconnects when it has something to sync."
                );
                let _ = self
                    .error(None, None, ErrorCode::IdleTimeout, message)
                    .await;
                (close_code::NORMAL, "idle timeout")
            }
            Stop::Shutdown => (close_code::AWAY, "the relay is shutting down"),
            Stop::Outgoing(_) => (close_code::POLICY, "messages were not read in time"),
            // The client closed or the socket is gone: tungstenite answers a close itself.
            Stop::ClientClosed | Stop::Socket(_) => return,
        };
        let close = Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        }));
        // A full queue gets no close frame; the socket is dropped all the same.
        let _ = self.out.try_message(close);
    }

    async fn incoming(&mut self, message: Message) -> Result<(), Closed> {
        if !self.bucket.try_take(Instant::now()) {
            let (channel, request) = match &message {
                Message::Binary(bytes) => peek(bytes),
                _ => (None, None),
            };
            let per_second = self.service.limits.max_messages_per_second;
            let message = format!(
                "More than {per_second} sync messages per second were sent on one connection, \
                 so this one was refused; send it again a little later."
            );
            return self
                .error(channel, request, ErrorCode::RateLimited, message)
                .await;
        }
        match message {
            Message::Binary(bytes) => self.frame(&bytes).await,
            Message::Text(_) => {
                let message = "A text message is not part of the sync protocol; the relay only \
                               reads binary frames.";
                self.error(None, None, ErrorCode::BadFrame, message.into())
                    .await
            }
            // Activity only: tungstenite answers pings by itself.
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => Ok(()),
        }
    }

    async fn frame(&mut self, bytes: &[u8]) -> Result<(), Closed> {
        let frame = match decode_client(bytes) {
            Ok(frame) => frame,
            Err(error) => {
                let (channel, request) = peek(bytes);
                tracing::debug!(connection = self.id, len = bytes.len(), %error, "bad frame");
                let code = error.code();
                let message = match error {
                    // The protocol's own wording is the app's point of view.
                    ProtocolError::UnsupportedVersion { found, supported } => {
                        unsupported_version_message(found, supported)
                    }
                    other => other.to_string(),
                };
                return self.error(channel, request, code, message).await;
            }
        };
        match frame {
            hello @ ClientFrame::Hello { .. } => self.hello(hello).await,
            ClientFrame::Append {
                channel,
                request,
                blob,
            } => self.append(channel, request, blob).await,
            ClientFrame::Snapshot {
                channel,
                request,
                covers,
                blob,
            } => self.snapshot(channel, request, covers, blob).await,
            ClientFrame::Ephemeral { channel, blob } => self.ephemeral(channel, blob).await,
            ClientFrame::Leave { channel } => self.leave(channel).await,
            ClientFrame::Close { channel, request } => self.close(channel, request).await,
        }
    }

    /// Joins the room a `Hello` names (any other frame is ignored).
    async fn hello(&mut self, hello: ClientFrame) -> Result<(), Closed> {
        let ClientFrame::Hello {
            version,
            channel,
            room,
            writer,
            write_token,
            cursor,
            entries_only,
        } = hello
        else {
            return Ok(());
        };
        // `decode_client` already refuses other versions; this keeps the rule next to its use.
        if !is_supported_version(version) {
            let message = unsupported_version_message(version, PROTOCOL_VERSION);
            return self
                .error(Some(channel), None, ErrorCode::UnsupportedVersion, message)
                .await;
        }
        if self.channels.contains_key(&channel) {
            let message = format!(
                "Channel {channel} is already open on this connection; leave it first or pick \
                 another number."
            );
            return self
                .error(Some(channel), None, ErrorCode::ChannelInUse, message)
                .await;
        }
        let max_rooms = self.service.limits.max_rooms_per_connection;
        if self.channels.len() >= max_rooms {
            let message = format!(
                "One connection may join at most {max_rooms} rooms at once; leave one first or \
                 open another connection."
            );
            return self
                .error(Some(channel), None, ErrorCode::TooManyRooms, message)
                .await;
        }
        if writer.room() != room {
            let message = "This room does not belong to the writer key given with it.".to_owned();
            return self
                .error(Some(channel), None, ErrorCode::BadFrame, message)
                .await;
        }
        if let Some(token) = &write_token
            && !write_token_proves(&writer, &room, token)
        {
            tracing::info!(
                connection = self.id,
                channel,
                ?room,
                "hello refused: forged token"
            );
            let message = "This write token was not made with the room's key.".to_owned();
            return self
                .error(Some(channel), None, ErrorCode::Unauthorized, message)
                .await;
        }
        let token_hash = write_token.as_ref().map(write_token_hash);
        // Subscribe before reading the store: an entry committed meanwhile then arrives live
        // or in the catch-up (or both, and `Delivery` keeps one).
        let (membership, receiver) = self.service.hub.join(room);
        let access = match self.service.store.authorize(room.0, token_hash).await {
            Ok(access) => access,
            Err(error) => {
                tracing::error!(connection = self.id, ?room, %error, "could not authorize");
                return self.internal(Some(channel), None).await;
            }
        };
        let head = access.head();
        let writable = access.can_write();
        if token_hash.is_some() && !writable {
            // A proven token the room does not know: it was claimed with another one (data
            // from before tokens were proven). Said plainly, never a silent downgrade.
            let message = "This room was registered with another write token.".to_owned();
            return self
                .error(Some(channel), None, ErrorCode::Unauthorized, message)
                .await;
        }
        tracing::info!(
            connection = self.id,
            channel,
            ?room,
            writable,
            cursor,
            entries_only,
            head,
            "room joined"
        );
        self.out
            .frame(&ServerFrame::Welcome {
                channel,
                head,
                writable,
            })
            .await?;
        // A cursor past the head (a relay that lost its data, another relay) starts from the
        // head: the client learns from `head` in the Welcome, and gets every later entry.
        self.channels.insert(
            channel,
            Channel {
                membership,
                token_hash: token_hash.filter(|_| writable),
                writer,
                delivery: Delivery::new(cursor.min(head)),
                entries_only,
                version,
                // Learnt with the first page of the catch-up, in the same read as the entries.
                closed: false,
            },
        );
        self.live.insert(channel, BroadcastStream::new(receiver));
        self.fill(channel).await
    }

    async fn append(&mut self, channel: u16, request: u32, blob: Vec<u8>) -> Result<(), Closed> {
        let (room, token_hash, publisher) =
            match self.writer(channel, request, BlobKind::Changes, &blob) {
                Ok(writer) => writer,
                Err((code, message)) => {
                    return self
                        .error(Some(channel), Some(request), code, message)
                        .await;
                }
            };
        // Published on the storage thread right after the commit, so that the room sees its
        // entries in sequence order.
        let shared: Arc<[u8]> = Arc::from(blob.as_slice());
        let publish = move |seq| publisher.publish(Event::Entry { seq, blob: shared });
        let appended = self
            .service
            .store
            .append_then(room.0, token_hash, blob, publish)
            .await;
        match appended {
            Ok(seq) => {
                if let Some(joined) = self.channels.get_mut(&channel) {
                    joined.delivery.own(seq);
                }
                self.out
                    .frame(&ServerFrame::Ack {
                        channel,
                        request,
                        seq,
                    })
                    .await
            }
            Err(StoreError::Unauthorized) => {
                self.error(
                    Some(channel),
                    Some(request),
                    ErrorCode::Unauthorized,
                    read_only_message(),
                )
                .await
            }
            Err(StoreError::RoomFull { limit }) => self.room_full(channel, request, limit).await,
            Err(StoreError::RoomClosed { .. }) => self.room_closed(channel, request).await,
            Err(error) => {
                tracing::error!(connection = self.id, ?room, %error, "could not append");
                self.internal(Some(channel), Some(request)).await
            }
        }
    }

    async fn snapshot(
        &mut self,
        channel: u16,
        request: u32,
        covers: u64,
        blob: Vec<u8>,
    ) -> Result<(), Closed> {
        let kind = BlobKind::Snapshot { covers };
        let (room, token_hash, _) = match self.writer(channel, request, kind, &blob) {
            Ok(writer) => writer,
            Err((code, message)) => {
                return self
                    .error(Some(channel), Some(request), code, message)
                    .await;
            }
        };
        let stored = self
            .service
            .store
            .put_snapshot(room.0, token_hash, covers, blob)
            .await;
        match stored {
            Ok(()) => {
                tracing::debug!(connection = self.id, ?room, covers, "snapshot stored");
                self.out
                    .frame(&ServerFrame::Ack {
                        channel,
                        request,
                        seq: covers,
                    })
                    .await
            }
            Err(StoreError::Unauthorized) => {
                self.error(
                    Some(channel),
                    Some(request),
                    ErrorCode::Unauthorized,
                    read_only_message(),
                )
                .await
            }
            Err(StoreError::RoomFull { limit }) => self.room_full(channel, request, limit).await,
            Err(StoreError::RoomClosed { .. }) => self.room_closed(channel, request).await,
            Err(StoreError::SnapshotAhead { covers, head }) => {
                let message = format!(
                    "A snapshot covering entry {covers} was refused: the room has only {head} \
                     entries."
                );
                self.error(Some(channel), Some(request), ErrorCode::BadFrame, message)
                    .await
            }
            Err(error) => {
                tracing::error!(connection = self.id, ?room, %error, "could not store a snapshot");
                self.internal(Some(channel), Some(request)).await
            }
        }
    }

    async fn room_closed(&mut self, channel: u16, request: u32) -> Result<(), Closed> {
        tracing::debug!(
            connection = self.id,
            channel,
            request,
            "refused: room closed"
        );
        self.error(
            Some(channel),
            Some(request),
            ErrorCode::RoomClosed,
            room_closed_message(),
        )
        .await
    }

    /// Closes the room of `channel` for good, as an editor; closing a closed room is
    /// acknowledged again. The room's other members are told at once.
    async fn close(&mut self, channel: u16, request: u32) -> Result<(), Closed> {
        let origin = self.origin(channel);
        let Some(joined) = self.channels.get(&channel) else {
            return self.unknown_channel(channel, Some(request)).await;
        };
        let Some(token_hash) = joined.token_hash else {
            tracing::debug!(
                connection = self.id,
                channel,
                request,
                "close refused: reader"
            );
            let message = "Only an editor can stop sharing through this room; this connection \
                           can only read it."
                .to_owned();
            return self
                .error(
                    Some(channel),
                    Some(request),
                    ErrorCode::Unauthorized,
                    message,
                )
                .await;
        };
        let room = joined.room();
        let publisher = joined.membership.publisher(origin);
        let closure = match self.service.store.close(room.0, token_hash).await {
            Ok(closure) => closure,
            Err(StoreError::Unauthorized) => {
                return self
                    .error(
                        Some(channel),
                        Some(request),
                        ErrorCode::Unauthorized,
                        read_only_message(),
                    )
                    .await;
            }
            Err(error) => {
                tracing::error!(connection = self.id, ?room, %error, "could not close a room");
                return self.internal(Some(channel), Some(request)).await;
            }
        };
        if let Some(joined) = self.channels.get_mut(&channel) {
            joined.closed = true;
        }
        if closure.newly {
            publisher.publish(Event::Closed { at: closure.at });
        }
        tracing::info!(
            connection = self.id,
            channel,
            ?room,
            head = closure.head,
            newly = closure.newly,
            "room closed"
        );
        self.out
            .frame(&ServerFrame::Ack {
                channel,
                request,
                seq: closure.head,
            })
            .await
    }

    async fn room_full(&mut self, channel: u16, request: u32, limit: u64) -> Result<(), Closed> {
        tracing::warn!(connection = self.id, channel, limit, "a room is full");
        let message = format!(
            "This room holds the {limit} bytes this relay allows one room; nothing more is \
             stored until it is allowed more."
        );
        self.error(Some(channel), Some(request), ErrorCode::RoomFull, message)
            .await
    }

    async fn ephemeral(&mut self, channel: u16, blob: Vec<u8>) -> Result<(), Closed> {
        if blob.len() > MAX_EPHEMERAL_BYTES {
            // Dropped, not answered: an error without a request would read as one about the
            // client's append.
            tracing::debug!(
                connection = self.id,
                len = blob.len(),
                "dropped a large ephemeral"
            );
            return Ok(());
        }
        let origin = self.origin(channel);
        let Some(joined) = self.channels.get(&channel) else {
            return self.unknown_channel(channel, None).await;
        };
        joined.membership.publish(
            origin,
            Event::Ephemeral {
                blob: Arc::from(blob),
            },
        );
        Ok(())
    }

    async fn leave(&mut self, channel: u16) -> Result<(), Closed> {
        let Some(left) = self.channels.remove(&channel) else {
            return self.unknown_channel(channel, None).await;
        };
        self.live.remove(&channel);
        tracing::info!(connection = self.id, channel, room = ?left.room(), "room left");
        Ok(())
    }

    /// A live event from one of the connection's rooms.
    async fn on_live(
        &mut self,
        channel: u16,
        live: Result<Arc<Live>, BroadcastStreamRecvError>,
    ) -> Result<(), Closed> {
        let live = match live {
            Ok(live) => live,
            Err(BroadcastStreamRecvError::Lagged(missed)) => {
                tracing::debug!(
                    connection = self.id,
                    channel,
                    missed,
                    "fell behind the room; catching up from the store"
                );
                return self.fill(channel).await;
            }
        };
        if live.origin == self.origin(channel) {
            return Ok(());
        }
        let Some(joined) = self.channels.get_mut(&channel) else {
            return Ok(());
        };
        match &live.event {
            Event::Ephemeral { blob } => {
                self.out
                    .frame(&ServerFrame::Ephemeral {
                        channel,
                        blob: blob.to_vec(),
                    })
                    .await
            }
            Event::Committed { seq } => {
                // Passed without its blob (the room held its byte limit): read from the store.
                if *seq > joined.delivery.last() {
                    return self.fill(channel).await;
                }
                Ok(())
            }
            Event::Closed { at } => {
                if std::mem::replace(&mut joined.closed, true)
                    || joined.version < FIRST_VERSION_WITH_CLOSE
                {
                    return Ok(());
                }
                self.out
                    .frame(&ServerFrame::Closed { channel, at: *at })
                    .await
            }
            Event::Entry { seq, blob } => {
                let seq = *seq;
                let mut verdict = joined.delivery.live(seq);
                if verdict == Verdict::Gap {
                    self.fill(channel).await?;
                    verdict = self
                        .channels
                        .get_mut(&channel)
                        .map_or(Verdict::Skip, |joined| joined.delivery.live(seq));
                }
                if verdict != Verdict::Deliver {
                    return Ok(());
                }
                self.out
                    .frame(&ServerFrame::Entry {
                        channel,
                        seq,
                        blob: blob.to_vec(),
                    })
                    .await
            }
        }
    }

    /// Sends the channel what the store holds after what it was last given, page by page,
    /// up to the room's head.
    async fn fill(&mut self, channel: u16) -> Result<(), Closed> {
        let limits = self.service.limits;
        loop {
            // The client catches up from its cursor when it reconnects; shutdown need not wait.
            if self.service.shutdown.is_cancelled() {
                return Ok(());
            }
            let Some(joined) = self.channels.get(&channel) else {
                return Ok(());
            };
            let room = joined.room();
            let page = self
                .service
                .store
                .catch_up(
                    room.0,
                    joined.delivery.last(),
                    joined.entries_only,
                    limits.catch_up_page_entries,
                    limits.catch_up_page_bytes,
                )
                .await;
            let page = match page {
                Ok(page) => page,
                Err(error) => {
                    tracing::error!(connection = self.id, ?room, %error, "could not catch up");
                    return self.internal(Some(channel), None).await;
                }
            };
            let Some(joined) = self.channels.get_mut(&channel) else {
                return Ok(());
            };
            let progressed = page.snapshot.is_some() || !page.entries.is_empty();
            let mut frames = Vec::with_capacity(page.entries.len() + 2);
            // Said before what the room holds: right after the Welcome on a Hello, and to a
            // member that fell behind and missed the live news.
            if let Some(at) = page.closed_at
                && !std::mem::replace(&mut joined.closed, true)
                && joined.version >= FIRST_VERSION_WITH_CLOSE
            {
                frames.push(ServerFrame::Closed { channel, at });
            }
            if let Some((covers, blob)) = page.snapshot
                && covers > joined.delivery.last()
            {
                joined.delivery.snapshot(covers);
                frames.push(ServerFrame::SnapshotEntry {
                    channel,
                    covers,
                    blob,
                });
            }
            for (seq, blob) in page.entries {
                if joined.delivery.stored(seq) {
                    frames.push(ServerFrame::Entry { channel, seq, blob });
                }
            }
            let done = !progressed || joined.delivery.last() >= page.head;
            for frame in &frames {
                self.out.frame(frame).await?;
            }
            if done {
                return Ok(());
            }
        }
    }

    /// The room, token hash and publisher of a channel that may append, or the error to
    /// answer.
    ///
    /// The blob must carry the signature of the room's writer key: without it a member would
    /// skip it anyway, so it is not stored.
    fn writer(
        &self,
        channel: u16,
        request: u32,
        kind: BlobKind,
        blob: &[u8],
    ) -> Result<(RoomId, TokenHash, Publisher), (ErrorCode, String)> {
        let Some(joined) = self.channels.get(&channel) else {
            return Err((ErrorCode::UnknownChannel, unknown_channel_message(channel)));
        };
        if joined.closed {
            tracing::debug!(
                connection = self.id,
                channel,
                request,
                "refused: room closed"
            );
            return Err((ErrorCode::RoomClosed, room_closed_message()));
        }
        match joined.token_hash {
            Some(_) if verify_signed(&joined.writer, &joined.room(), kind, blob).is_err() => {
                tracing::info!(
                    connection = self.id,
                    channel,
                    request,
                    "append refused: unsigned"
                );
                let message = "This change is not signed with the room's key.".to_owned();
                Err((ErrorCode::Unauthorized, message))
            }
            Some(token_hash) => {
                let publisher = joined.membership.publisher(self.origin(channel));
                Ok((joined.room(), token_hash, publisher))
            }
            None => {
                tracing::debug!(
                    connection = self.id,
                    channel,
                    request,
                    "append refused: reader"
                );
                Err((ErrorCode::Unauthorized, read_only_message()))
            }
        }
    }

    fn origin(&self, channel: u16) -> Origin {
        Origin {
            connection: self.id,
            channel,
        }
    }

    async fn unknown_channel(&self, channel: u16, request: Option<u32>) -> Result<(), Closed> {
        self.error(
            Some(channel),
            request,
            ErrorCode::UnknownChannel,
            unknown_channel_message(channel),
        )
        .await
    }

    async fn internal(&self, channel: Option<u16>, request: Option<u32>) -> Result<(), Closed> {
        let message = "The relay could not read or write its storage; nothing was changed. Try \
                       again in a moment.";
        self.error(channel, request, ErrorCode::Internal, message.into())
            .await
    }

    async fn error(
        &self,
        channel: Option<u16>,
        request: Option<u32>,
        code: ErrorCode,
        message: String,
    ) -> Result<(), Closed> {
        tracing::debug!(
            connection = self.id,
            ?channel,
            ?request,
            ?code,
            "refused a frame"
        );
        self.out
            .frame(&ServerFrame::Error {
                channel,
                request,
                code,
                message,
            })
            .await
    }
}

fn unsupported_version_message(found: u16, supported: u16) -> String {
    format!(
        "This relay speaks sync protocol version {supported} but the app uses version {found}; \
         update the older of the two."
    )
}

fn read_only_message() -> String {
    "This room is read-only for you: your link does not carry the room's write token, so the \
     change was not stored."
        .into()
}

fn room_closed_message() -> String {
    "Sharing through this room was stopped: it keeps what it holds for its members to read, \
     but takes no more changes."
        .into()
}

fn unknown_channel_message(channel: u16) -> String {
    format!("Channel {channel} is not open on this connection; send a Hello for it first.")
}

/// The channel and request number of a frame that could not be decoded whole, read from its
/// first fields, so that an error can say which frame it refuses. Mirrors the field order of
/// [`ClientFrame`]; a test checks it against the real encoding.
fn peek(bytes: &[u8]) -> (Option<u16>, Option<u32>) {
    const HELLO: u32 = 0;
    const APPEND: u32 = 1;
    const SNAPSHOT: u32 = 2;
    const EPHEMERAL: u32 = 3;
    const LEAVE: u32 = 4;
    const CLOSE: u32 = 5;
    let Ok((tag, rest)) = postcard::take_from_bytes::<u32>(bytes) else {
        return (None, None);
    };
    let rest = match tag {
        HELLO => match postcard::take_from_bytes::<u16>(rest) {
            Ok((_version, rest)) => rest,
            Err(_) => return (None, None),
        },
        APPEND | SNAPSHOT | EPHEMERAL | LEAVE | CLOSE => rest,
        _ => return (None, None),
    };
    let Ok((channel, rest)) = postcard::take_from_bytes::<u16>(rest) else {
        return (None, None);
    };
    let request = match tag {
        APPEND | SNAPSHOT | CLOSE => postcard::take_from_bytes::<u32>(rest)
            .ok()
            .map(|(request, _)| request),
        _ => None,
    };
    (Some(channel), request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use charter::sync::crypto::{WorkspaceSecret, sign_sealed};
    use tokio_stream::wrappers::ReceiverStream;
    use tokio_util::sync::PollSender;

    #[test]
    fn origins_on_the_allow_list_or_the_relays_own_host_may_connect() {
        let dir = tempfile::tempdir().unwrap();
        let service = SyncService::new(Store::open(dir.path()).unwrap(), Limits::default())
            .with_origins(&["https://Charter.Example.org/".to_owned()]);
        let headers = |origin: Option<&str>| {
            let mut headers = HeaderMap::new();
            headers.insert(HOST, "relay.example.org:8443".parse().unwrap());
            if let Some(origin) = origin {
                headers.insert(ORIGIN, origin.parse().unwrap());
            }
            headers
        };
        assert!(
            service.origin_allowed(&headers(None)),
            "no Origin: not a browser"
        );
        assert!(service.origin_allowed(&headers(Some("https://relay.example.org:8443"))));
        assert!(service.origin_allowed(&headers(Some("https://charter.example.org"))));
        assert!(!service.origin_allowed(&headers(Some("https://charter.example.org.evil.io"))));
        assert!(!service.origin_allowed(&headers(Some("https://relay.example.org"))));
        assert!(!service.origin_allowed(&headers(Some("null"))));
    }

    /// A connection served over in-memory channels instead of a socket.
    struct Pipe {
        to_relay: mpsc::Sender<Result<Message, axum::Error>>,
        from_relay: mpsc::Receiver<Message>,
    }

    impl Pipe {
        fn open(service: &Arc<SyncService>) -> Self {
            let (to_relay, incoming) = mpsc::channel(16);
            let (outgoing, from_relay) = mpsc::channel(16);
            let sink = PollSender::new(outgoing).sink_map_err(axum::Error::new);
            let stream = ReceiverStream::new(incoming);
            // Counted as `upgrade` counts a connection.
            let counted = service.connections.token();
            let service = Arc::clone(service);
            tokio::spawn(async move {
                serve_split(sink, stream, service).await;
                drop(counted);
            });
            Self {
                to_relay,
                from_relay,
            }
        }

        async fn send(&self, frame: &ClientFrame) {
            let bytes = encode(frame).unwrap();
            self.to_relay
                .send(Ok(Message::Binary(bytes.into())))
                .await
                .unwrap();
        }

        async fn recv(&mut self) -> Message {
            tokio::time::timeout(Duration::from_secs(10), self.from_relay.recv())
                .await
                .unwrap()
                .unwrap()
        }

        async fn frame(&mut self) -> ServerFrame {
            match self.recv().await {
                Message::Binary(bytes) => charter::sync::protocol::decode_server(&bytes).unwrap(),
                other => panic!("expected a frame, got {other:?}"),
            }
        }
    }

    fn service(dir: &tempfile::TempDir, limits: Limits) -> Arc<SyncService> {
        Arc::new(SyncService::new(Store::open(dir.path()).unwrap(), limits))
    }

    fn workspace(seed: u8) -> WorkspaceSecret {
        WorkspaceSecret::from_bytes([seed; 32])
    }

    /// A `Hello` for the workspace's room, as an editor or a reader.
    fn hello(secret: &WorkspaceSecret, editor: bool) -> ClientFrame {
        ClientFrame::Hello {
            version: PROTOCOL_VERSION,
            channel: 0,
            room: secret.room_id(),
            writer: secret.writer_key(),
            write_token: editor.then(|| secret.write_token()),
            cursor: 0,
            entries_only: false,
        }
    }

    /// `bytes` signed as the workspace's editors sign a change (the relay reads no further).
    fn signed(secret: &WorkspaceSecret, bytes: &[u8]) -> Vec<u8> {
        let room = secret.room_id();
        sign_sealed(&secret.signer(), &room, BlobKind::Changes, bytes)
    }

    #[tokio::test]
    async fn foreign_keys_forged_tokens_and_unsigned_changes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let service = service(&dir, Limits::default());
        let (secret, other) = (workspace(4), workspace(8));
        let mut pipe = Pipe::open(&service);
        let refused = |frame: ServerFrame| match frame {
            ServerFrame::Error { request, code, .. } => (request, code),
            other => panic!("expected an error, got {other:?}"),
        };
        // A writer key whose hash is not the room.
        let mut frame = hello(&secret, false);
        if let ClientFrame::Hello { writer, .. } = &mut frame {
            *writer = other.writer_key();
        }
        pipe.send(&frame).await;
        assert_eq!(refused(pipe.frame().await), (None, ErrorCode::BadFrame));
        // A token made with another workspace's key: refused, not taken for a reader.
        let mut frame = hello(&secret, true);
        if let ClientFrame::Hello { write_token, .. } = &mut frame {
            *write_token = Some(other.write_token());
        }
        pipe.send(&frame).await;
        assert_eq!(refused(pipe.frame().await), (None, ErrorCode::Unauthorized));
        assert_eq!(service.store.head(secret.room_id().0).await.unwrap(), 0);

        // The editor joins; a sealed but unsigned change (all a reader could make), or one
        // signed with another key, is refused and not stored.
        pipe.send(&hello(&secret, true)).await;
        assert!(matches!(
            pipe.frame().await,
            ServerFrame::Welcome { writable: true, .. }
        ));
        let appends = [
            (1, b"sealed, unsigned".to_vec()),
            (2, signed(&other, b"sealed")),
            (3, signed(&secret, b"sealed")),
        ];
        for (request, blob) in appends {
            pipe.send(&ClientFrame::Append {
                channel: 0,
                request,
                blob,
            })
            .await;
        }
        assert_eq!(
            refused(pipe.frame().await),
            (Some(1), ErrorCode::Unauthorized)
        );
        assert_eq!(
            refused(pipe.frame().await),
            (Some(2), ErrorCode::Unauthorized)
        );
        assert!(matches!(
            pipe.frame().await,
            ServerFrame::Ack {
                request: 3,
                seq: 1,
                ..
            }
        ));
        // A snapshot signed for other coverage than it claims is refused too.
        let room = secret.room_id();
        let kind = BlobKind::Snapshot { covers: 0 };
        pipe.send(&ClientFrame::Snapshot {
            channel: 0,
            request: 4,
            covers: 1,
            blob: sign_sealed(&secret.signer(), &room, kind, b"snapshot"),
        })
        .await;
        assert_eq!(
            refused(pipe.frame().await),
            (Some(4), ErrorCode::Unauthorized)
        );
    }

    #[tokio::test]
    async fn an_append_past_the_room_quota_is_refused_with_its_own_code() {
        let dir = tempfile::tempdir().unwrap();
        let options = crate::store::StoreOptions {
            max_room_bytes: 100,
            ..Default::default()
        };
        let store = Store::open_with(dir.path(), options).unwrap();
        let service = Arc::new(SyncService::new(store, Limits::default()));
        let mut writer = Pipe::open(&service);
        let secret = workspace(9);
        writer.send(&hello(&secret, true)).await;
        assert!(matches!(writer.frame().await, ServerFrame::Welcome { .. }));
        for request in 0..2 {
            writer
                .send(&ClientFrame::Append {
                    channel: 0,
                    request,
                    blob: signed(&secret, &[7; 16]),
                })
                .await;
        }
        assert!(matches!(
            writer.frame().await,
            ServerFrame::Ack {
                request: 0,
                seq: 1,
                ..
            }
        ));
        assert!(matches!(
            writer.frame().await,
            ServerFrame::Error {
                channel: Some(0),
                request: Some(1),
                code: ErrorCode::RoomFull,
                ..
            }
        ));
    }

    #[tokio::test]
    async fn twenty_stalled_readers_hold_bounded_bytes_and_miss_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits {
            send_timeout: Duration::from_secs(120),
            ..Limits::default()
        };
        let service = service(&dir, limits);
        let secret = workspace(5);
        let mut writer = Pipe::open(&service);
        writer.send(&hello(&secret, true)).await;
        assert!(matches!(writer.frame().await, ServerFrame::Welcome { .. }));
        let mut readers = Vec::new();
        for _ in 0..21 {
            let mut reader = Pipe::open(&service);
            reader.send(&hello(&secret, false)).await;
            assert!(matches!(reader.frame().await, ServerFrame::Welcome { .. }));
            readers.push(reader);
        }
        // One reader keeps reading; the other twenty never read again.
        let mut live = readers.pop().unwrap();
        let blob = signed(&secret, &vec![0xA5; 256 * 1024]);
        let appends: u32 = 64;
        let mut peak = 0;
        for request in 0..appends {
            writer
                .send(&ClientFrame::Append {
                    channel: 0,
                    request,
                    blob: blob.clone(),
                })
                .await;
            assert!(
                matches!(writer.frame().await, ServerFrame::Ack { request: r, .. } if r == request)
            );
            match live.frame().await {
                ServerFrame::Entry { seq, .. } => assert_eq!(seq, u64::from(request) + 1),
                other => panic!("expected an entry, got {other:?}"),
            }
            peak = peak.max(service.queued_bytes());
        }
        // Without byte limits each stalled reader would hold all 16 MiB it was sent.
        let cap = 22 * limits.outgoing_bytes + limits.room_bytes;
        // Measured: about 45 MB here, against 252 MB before queues were counted in bytes.
        assert!(peak <= cap, "held {peak} bytes, cap {cap}");
        // A stalled reader that reads again gets every entry, in order, from the store.
        let mut late = readers.pop().unwrap();
        let mut seen = Vec::new();
        while seen.len() < appends as usize {
            if let ServerFrame::Entry { seq, .. } = late.frame().await {
                seen.push(seq);
            }
        }
        assert_eq!(seen, (1..=u64::from(appends)).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn the_handler_welcomes_acknowledges_and_fans_out_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let service = service(&dir, Limits::default());
        let secret = workspace(3);
        let room = secret.room_id();
        let mut writer = Pipe::open(&service);
        let mut reader = Pipe::open(&service);
        writer.send(&hello(&secret, true)).await;
        let welcome = ServerFrame::Welcome {
            channel: 0,
            head: 0,
            writable: true,
        };
        assert_eq!(writer.frame().await, welcome);
        reader.send(&hello(&secret, false)).await;
        assert!(matches!(
            reader.frame().await,
            ServerFrame::Welcome {
                writable: false,
                ..
            }
        ));
        assert_eq!(service.hub.members(&room), 2);

        let append = ClientFrame::Append {
            channel: 0,
            request: 1,
            blob: signed(&secret, b"sealed"),
        };
        writer.send(&append).await;
        let ack = ServerFrame::Ack {
            channel: 0,
            request: 1,
            seq: 1,
        };
        assert_eq!(writer.frame().await, ack);
        let entry = ServerFrame::Entry {
            channel: 0,
            seq: 1,
            blob: signed(&secret, b"sealed"),
        };
        assert_eq!(reader.frame().await, entry);

        // Leaving the room, then closing the connection, empties the registry.
        reader.send(&ClientFrame::Leave { channel: 0 }).await;
        writer
            .to_relay
            .send(Ok(Message::Close(None)))
            .await
            .unwrap();
        drop(writer);
        tokio::time::timeout(Duration::from_secs(10), async {
            while service.hub.rooms() > 0 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn shutting_down_closes_connections_and_waits_for_them() {
        let dir = tempfile::tempdir().unwrap();
        let service = service(&dir, Limits::default());
        let mut pipe = Pipe::open(&service);
        pipe.send(&hello(&workspace(5), false)).await;
        assert!(matches!(pipe.frame().await, ServerFrame::Welcome { .. }));
        service.shut_down();
        match pipe.recv().await {
            Message::Close(Some(frame)) => assert_eq!(frame.code, close_code::AWAY),
            other => panic!("expected a close frame, got {other:?}"),
        }
        tokio::time::timeout(Duration::from_secs(10), service.closed())
            .await
            .expect("every connection ended");
        assert_eq!(service.hub.rooms(), 0);
    }

    #[test]
    fn peek_reads_channel_and_request_of_every_frame_kind() {
        let frames = [
            ClientFrame::Hello {
                version: PROTOCOL_VERSION,
                channel: 300,
                room: RoomId([1; 32]),
                writer: workspace(1).writer_key(),
                write_token: None,
                cursor: 5,
                entries_only: false,
            },
            ClientFrame::Append {
                channel: 300,
                request: 70_000,
                blob: vec![1, 2, 3],
            },
            ClientFrame::Snapshot {
                channel: 300,
                request: 70_000,
                covers: 9,
                blob: vec![4],
            },
            ClientFrame::Ephemeral {
                channel: 300,
                blob: vec![5],
            },
            ClientFrame::Leave { channel: 300 },
            ClientFrame::Close {
                channel: 300,
                request: 70_000,
            },
        ];
        for frame in frames {
            let bytes = encode(&frame).unwrap();
            assert_eq!(peek(&bytes), (Some(300), frame.request()), "{frame:?}");
            // Only the first fields are read, so a frame cut after them still names itself.
            if !matches!(frame, ClientFrame::Leave { .. }) {
                assert_eq!(peek(&bytes[..bytes.len() - 1]).0, Some(300));
            }
        }
    }

    #[test]
    fn peek_gives_up_on_garbage() {
        assert_eq!(peek(&[]), (None, None));
        assert_eq!(peek(&[0xff; 8]), (None, None));
        assert_eq!(peek(&[9, 1, 2]), (None, None));
    }
}
