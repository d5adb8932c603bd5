//! The sync relay over a real WebSocket on 127.0.0.1:0, with a temporary dist and data dir.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use charter::sync::crypto::{
    BlobKind, WorkspaceSecret, WriterKey, seal, sign_sealed, verify_signed, write_token_hash,
};
use charter::sync::protocol::{
    ClientFrame, ErrorCode, MAX_BLOB_BYTES, MAX_EPHEMERAL_BYTES, MAX_FRAME_BYTES, PROTOCOL_VERSION,
    RoomId, ServerFrame, WriteToken, decode_server, encode,
};
use charter_relay::{Config, Limits, RelayError, hash_token, run};
use futures_util::{SinkExt as _, StreamExt as _};
use tempfile::TempDir;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// How long a test waits for a frame that should come.
const PATIENCE: Duration = Duration::from_secs(10);
/// How long a test waits to be sure that a frame does not come.
const QUIET: Duration = Duration::from_millis(300);

/// A running relay on a temporary dist and data directory.
struct Relay {
    dir: TempDir,
    address: std::net::SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), RelayError>>,
}

impl Relay {
    async fn start(limits: Limits) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<!DOCTYPE html><html><head></head><body></body></html>\n",
        )
        .unwrap();
        Self::start_in(dir, limits).await
    }

    async fn start_in(dir: TempDir, limits: Limits) -> Self {
        let config = Config {
            data_dir: dir.path().join("data"),
            limits,
            ..Config::new(dir.path().join("dist"))
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(run(listener, config, async {
            let _ = stopped.await;
        }));
        Self {
            dir,
            address,
            stop,
            task,
        }
    }

    /// Stops the relay through its shutdown future and waits until `run` has returned.
    async fn stop(self) -> TempDir {
        self.stop.send(()).unwrap();
        tokio::time::timeout(PATIENCE, self.task)
            .await
            .expect("the relay stops in time")
            .unwrap()
            .unwrap();
        self.dir
    }

    async fn connect(&self) -> Client {
        let (ws, _) = connect_async(format!("ws://{}/sync", self.address))
            .await
            .unwrap();
        Client {
            ws,
            rooms: HashMap::new(),
        }
    }

    /// The HTTP status of a WebSocket request to `/sync` sent with `origin`.
    async fn status_with_origin(&self, origin: &str) -> u16 {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
        let mut request = format!("ws://{}/sync", self.address)
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        match connect_async(request).await {
            Ok((_, response)) => response.status().as_u16(),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                response.status().as_u16()
            }
            Err(other) => panic!("unexpected {other}"),
        }
    }

    fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }
}

/// The secret of each room a test made, so the test client signs and checks
/// as the app does without every call naming the workspace.
static SECRETS: Mutex<Option<HashMap<RoomId, [u8; 32]>>> = Mutex::new(None);

fn secret_of(room: RoomId) -> Option<WorkspaceSecret> {
    let secrets = SECRETS.lock().unwrap();
    let bytes = secrets.as_ref()?.get(&room)?;
    Some(WorkspaceSecret::from_bytes(*bytes))
}

/// A workspace as the app derives it.
struct Workspace {
    secret: WorkspaceSecret,
}

impl Workspace {
    fn new(seed: u8) -> Self {
        let secret = WorkspaceSecret::from_bytes([seed; 32]);
        SECRETS
            .lock()
            .unwrap()
            .get_or_insert_with(HashMap::new)
            .insert(secret.room_id(), *secret.as_bytes());
        Self { secret }
    }

    /// `bytes` signed as this workspace's editors sign a snapshot covering `covers`.
    fn snapshot(&self, covers: u64, bytes: &[u8]) -> Vec<u8> {
        let kind = BlobKind::Snapshot { covers };
        sign_sealed(&self.secret.signer(), &self.room(), kind, bytes)
    }

    fn room(&self) -> RoomId {
        self.secret.room_id()
    }

    fn token(&self) -> Option<WriteToken> {
        Some(self.secret.write_token())
    }
}

struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// The room each channel joined.
    rooms: HashMap<u16, RoomId>,
}

impl Client {
    async fn send(&mut self, frame: &ClientFrame) {
        self.send_raw(encode(frame).unwrap()).await;
    }

    async fn send_raw(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::binary(bytes)).await.unwrap();
    }

    /// The next frame from the relay.
    async fn recv(&mut self) -> ServerFrame {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .expect("a frame arrives in time")
                .expect("the connection is open")
                .unwrap();
            match message {
                Message::Binary(bytes) => return decode_server(&bytes).unwrap(),
                Message::Ping(_) | Message::Pong(_) => {}
                other => panic!("expected a binary frame, got {other:?}"),
            }
        }
    }

    /// Asserts that nothing arrives for a while.
    async fn expect_silence(&mut self) {
        if let Ok(message) = tokio::time::timeout(QUIET, self.ws.next()).await {
            panic!("expected nothing, got {message:?}");
        }
    }

    async fn hello(
        &mut self,
        channel: u16,
        room: RoomId,
        write_token: Option<WriteToken>,
        cursor: u64,
    ) -> (u64, bool) {
        self.hello_with(channel, room, write_token, cursor, false)
            .await
    }

    /// A `Hello` that may ask for entries only (no snapshot).
    async fn hello_with(
        &mut self,
        channel: u16,
        room: RoomId,
        write_token: Option<WriteToken>,
        cursor: u64,
        entries_only: bool,
    ) -> (u64, bool) {
        self.rooms.insert(channel, room);
        // A room no test workspace made gets a key that is not its own (and is refused).
        let writer = secret_of(room).map_or(WriterKey::from_bytes([0; 32]), |s| s.writer_key());
        self.send(&ClientFrame::Hello {
            version: PROTOCOL_VERSION,
            channel,
            room,
            writer,
            write_token,
            cursor,
            entries_only,
        })
        .await;
        match self.recv().await {
            ServerFrame::Welcome {
                channel: welcomed,
                head,
                writable,
            } => {
                assert_eq!(welcomed, channel);
                (head, writable)
            }
            other => panic!("expected Welcome, got {other:?}"),
        }
    }

    /// Sends `blob` signed with the channel's workspace key, as an editor's app does.
    async fn send_append(&mut self, channel: u16, request: u32, blob: &[u8]) {
        let signed = self
            .rooms
            .get(&channel)
            .and_then(|room| Some((secret_of(*room)?, *room)))
            .map(|(secret, room)| sign_sealed(&secret.signer(), &room, BlobKind::Changes, blob));
        self.send_unsigned_append(channel, request, &signed.unwrap_or_else(|| blob.to_vec()))
            .await;
    }

    /// Sends `blob` as it is, signed or not.
    async fn send_unsigned_append(&mut self, channel: u16, request: u32, blob: &[u8]) {
        self.send(&ClientFrame::Append {
            channel,
            request,
            blob: blob.to_vec(),
        })
        .await;
    }

    /// Appends and returns the acknowledged sequence number.
    async fn append(&mut self, channel: u16, request: u32, blob: &[u8]) -> u64 {
        self.send_append(channel, request, blob).await;
        self.ack(channel, request).await
    }

    async fn ack(&mut self, channel: u16, request: u32) -> u64 {
        match self.recv().await {
            ServerFrame::Ack {
                channel: acked,
                request: echoed,
                seq,
            } => {
                assert_eq!((acked, echoed), (channel, request));
                seq
            }
            other => panic!("expected Ack for request {request}, got {other:?}"),
        }
    }

    async fn entry(&mut self, channel: u16) -> (u64, Vec<u8>) {
        match self.recv().await {
            ServerFrame::Entry {
                channel: received,
                seq,
                blob,
            } => {
                assert_eq!(received, channel);
                // Checked and stripped as the app does, so tests compare what was sealed.
                let room = self.rooms[&channel];
                let secret = secret_of(room).expect("a test workspace's room");
                let sealed =
                    verify_signed(&secret.writer_key(), &room, BlobKind::Changes, &blob).unwrap();
                (seq, sealed.to_vec())
            }
            other => panic!("expected Entry, got {other:?}"),
        }
    }

    async fn error(&mut self) -> (Option<u16>, Option<u32>, ErrorCode) {
        match self.recv().await {
            ServerFrame::Error {
                channel,
                request,
                code,
                message,
            } => {
                assert!(!message.is_empty());
                (channel, request, code)
            }
            other => panic!("expected Error, got {other:?}"),
        }
    }

    /// Waits for the relay's close frame and returns its code.
    async fn closed(&mut self) -> CloseCode {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .expect("the relay closes in time");
            match message {
                Some(Ok(Message::Close(Some(frame)))) => return frame.code,
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                other => panic!("expected a close frame, got {other:?}"),
            }
        }
    }
}

fn blob(n: u64) -> Vec<u8> {
    format!("sealed blob number {n}").into_bytes()
}

#[test]
fn the_store_hashes_write_tokens_as_the_app_does() {
    let token = Workspace::new(1).secret.write_token();
    assert_eq!(hash_token(token.as_bytes()), write_token_hash(&token));
}

#[tokio::test]
async fn catch_up_starts_after_the_cursor() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(1);
    let mut writer = relay.connect().await;
    assert_eq!(
        writer
            .hello(0, workspace.room(), workspace.token(), 0)
            .await,
        (0, true),
        "the first writer creates the room"
    );
    for n in 1..=5 {
        assert_eq!(writer.append(0, n as u32, &blob(n)).await, n);
    }

    let mut reader = relay.connect().await;
    assert_eq!(reader.hello(7, workspace.room(), None, 2).await, (5, false));
    for n in 3..=5 {
        assert_eq!(reader.entry(7).await, (n, blob(n)));
    }
    reader.expect_silence().await;

    // A cursor at the head gets nothing; one past it (a relay that forgot) starts at the head.
    let mut current = relay.connect().await;
    assert_eq!(
        current.hello(0, workspace.room(), None, 5).await,
        (5, false)
    );
    let mut ahead = relay.connect().await;
    assert_eq!(ahead.hello(0, workspace.room(), None, 9).await, (5, false));
    current.expect_silence().await;
    ahead.expect_silence().await;
    writer.append(0, 6, &blob(6)).await;
    assert_eq!(current.entry(0).await, (6, blob(6)));
    assert_eq!(ahead.entry(0).await, (6, blob(6)));
    relay.stop().await;
}

#[tokio::test]
async fn appends_fan_out_to_the_other_connections_only() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(2);
    let elsewhere = Workspace::new(3);
    let mut alice = relay.connect().await;
    let mut bob = relay.connect().await;
    let mut stranger = relay.connect().await;
    alice.hello(1, workspace.room(), workspace.token(), 0).await;
    bob.hello(2, workspace.room(), workspace.token(), 0).await;
    stranger
        .hello(1, elsewhere.room(), elsewhere.token(), 0)
        .await;

    assert_eq!(alice.append(1, 10, b"from alice").await, 1);
    assert_eq!(bob.entry(2).await, (1, b"from alice".to_vec()));
    assert_eq!(bob.append(2, 20, b"from bob").await, 2);
    assert_eq!(alice.entry(1).await, (2, b"from bob".to_vec()));
    alice.expect_silence().await;
    bob.expect_silence().await;
    stranger.expect_silence().await;
    relay.stop().await;
}

#[tokio::test]
async fn acks_are_monotonic_and_every_other_entry_arrives_once_in_order() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(4);
    const WRITERS: usize = 4;
    const APPENDS: u32 = 25;
    let total = WRITERS as u64 * u64::from(APPENDS);

    let mut listener = relay.connect().await;
    listener.hello(0, workspace.room(), None, 0).await;
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let mut client = relay.connect().await;
        client
            .hello(0, workspace.room(), workspace.token(), 0)
            .await;
        writers.push(client);
    }
    // Every writer pipelines its appends, all at once.
    let tasks: Vec<_> = writers
        .into_iter()
        .enumerate()
        .map(|(w, mut client)| {
            tokio::spawn(async move {
                for request in 0..APPENDS {
                    client
                        .send_append(0, request, format!("w{w} r{request}").as_bytes())
                        .await;
                }
                let mut acks = Vec::new();
                let mut seen = Vec::new();
                while acks.len() < APPENDS as usize || (acks.len() + seen.len()) < total as usize {
                    match client.recv().await {
                        ServerFrame::Ack { request, seq, .. } => {
                            assert_eq!(request as usize, acks.len(), "acks in request order");
                            acks.push(seq);
                        }
                        ServerFrame::Entry { seq, blob, .. } => {
                            assert!(!blob.starts_with(format!("w{w} ").as_bytes()), "echoed");
                            seen.push(seq);
                        }
                        other => panic!("unexpected {other:?}"),
                    }
                }
                (acks, seen)
            })
        })
        .collect();

    let mut everything = Vec::new();
    for _ in 0..total {
        everything.push(listener.entry(0).await.0);
    }
    assert_eq!(everything, (1..=total).collect::<Vec<_>>());
    for task in tasks {
        let (acks, seen) = task.await.unwrap();
        assert!(acks.windows(2).all(|pair| pair[0] < pair[1]), "{acks:?}");
        assert!(seen.windows(2).all(|pair| pair[0] < pair[1]), "{seen:?}");
        let all: BTreeSet<u64> = acks.iter().chain(&seen).copied().collect();
        assert_eq!(all.len() as u64, total, "nothing lost or duplicated");
    }
    relay.stop().await;
}

#[tokio::test]
async fn readers_cannot_append_or_snapshot_and_a_forged_token_is_refused() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(5);
    let impostor = Workspace::new(6);
    let mut owner = relay.connect().await;
    owner.hello(0, workspace.room(), workspace.token(), 0).await;
    owner.append(0, 1, b"mine").await;

    // A token made with another key is refused at once, not taken for a reader's hello.
    let mut wrong = relay.connect().await;
    wrong
        .send(&ClientFrame::Hello {
            version: PROTOCOL_VERSION,
            channel: 0,
            room: workspace.room(),
            writer: workspace.secret.writer_key(),
            write_token: impostor.token(),
            cursor: 0,
            entries_only: false,
        })
        .await;
    assert_eq!(
        wrong.error().await,
        (Some(0), None, ErrorCode::Unauthorized)
    );
    wrong.expect_silence().await;

    // A reader (no token) can neither append, signed or not, nor upload a snapshot.
    let mut reader = relay.connect().await;
    assert_eq!(reader.hello(3, workspace.room(), None, 1).await, (1, false));
    reader
        .send_unsigned_append(3, 43, b"sealed, unsigned")
        .await;
    assert_eq!(
        reader.error().await,
        (Some(3), Some(43), ErrorCode::Unauthorized)
    );
    reader.send_append(3, 44, b"signed").await;
    assert_eq!(
        reader.error().await,
        (Some(3), Some(44), ErrorCode::Unauthorized)
    );
    reader
        .send(&ClientFrame::Snapshot {
            channel: 3,
            request: 45,
            covers: 1,
            blob: workspace.snapshot(1, b"forged snapshot"),
        })
        .await;
    assert_eq!(
        reader.error().await,
        (Some(3), Some(45), ErrorCode::Unauthorized)
    );

    // An editor's connection that sends what it did not sign is refused too.
    owner.send_unsigned_append(0, 46, b"sealed, unsigned").await;
    assert_eq!(
        owner.error().await,
        (Some(0), Some(46), ErrorCode::Unauthorized)
    );

    // Nothing was stored, and the room is still the owner's.
    assert_eq!(owner.append(0, 2, b"still mine").await, 2);
    assert_eq!(reader.entry(3).await, (2, b"still mine".to_vec()));
    owner.expect_silence().await;
    relay.stop().await;
}

#[tokio::test]
async fn ephemeral_messages_fan_out_and_are_never_stored() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(7);
    let mut alice = relay.connect().await;
    let mut bob = relay.connect().await;
    alice.hello(0, workspace.room(), workspace.token(), 0).await;
    // A read-only participant's presence is shown too.
    bob.hello(5, workspace.room(), None, 0).await;
    alice
        .send(&ClientFrame::Ephemeral {
            channel: 0,
            blob: b"alice is here".to_vec(),
        })
        .await;
    assert_eq!(
        bob.recv().await,
        ServerFrame::Ephemeral {
            channel: 5,
            blob: b"alice is here".to_vec()
        }
    );
    bob.send(&ClientFrame::Ephemeral {
        channel: 5,
        blob: b"bob too".to_vec(),
    })
    .await;
    assert_eq!(
        alice.recv().await,
        ServerFrame::Ephemeral {
            channel: 0,
            blob: b"bob too".to_vec()
        }
    );
    alice.expect_silence().await;

    let mut late = relay.connect().await;
    assert_eq!(late.hello(0, workspace.room(), None, 0).await, (0, false));
    late.expect_silence().await;
    relay.stop().await;
}

#[tokio::test]
async fn pages_on_other_sites_cannot_open_a_sync_connection() {
    let relay = Relay::start(Limits::default()).await;
    let own = format!("http://{}", relay.address);
    assert_eq!(
        relay.status_with_origin(&own).await,
        101,
        "the relay's own app"
    );
    assert_eq!(relay.status_with_origin("https://evil.example").await, 403);
    assert_eq!(relay.status_with_origin("null").await, 403);
    // Same host name, another port: another origin.
    let other_port = format!("http://127.0.0.1:{}", relay.address.port().wrapping_add(1));
    assert_eq!(relay.status_with_origin(&other_port).await, 403);
    relay.stop().await;
}

#[tokio::test]
async fn one_address_holds_a_bounded_number_of_connections() {
    let relay = Relay::start(Limits {
        max_connections_per_address: 2,
        ..Limits::default()
    })
    .await;
    let own = format!("http://{}", relay.address);
    let first = relay.connect().await;
    let _second = relay.connect().await;
    assert_eq!(relay.status_with_origin(&own).await, 429);
    // Once one closes, its place is free again.
    drop(first);
    let freed = async {
        while relay.status_with_origin(&own).await != 101 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(PATIENCE, freed)
        .await
        .expect("a closed connection frees its place");
    relay.stop().await;
}

#[tokio::test]
async fn a_large_ephemeral_message_is_dropped_unanswered() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(8);
    let mut alice = relay.connect().await;
    let mut bob = relay.connect().await;
    alice.hello(0, workspace.room(), workspace.token(), 0).await;
    bob.hello(1, workspace.room(), None, 0).await;
    // Nearly a whole frame of "presence": neither relayed nor answered with an error (which
    // the sender would take as about its append).
    alice
        .send(&ClientFrame::Ephemeral {
            channel: 0,
            blob: vec![7; MAX_BLOB_BYTES],
        })
        .await;
    alice
        .send(&ClientFrame::Ephemeral {
            channel: 0,
            blob: vec![7; MAX_EPHEMERAL_BYTES + 1],
        })
        .await;
    bob.expect_silence().await;
    alice.expect_silence().await;
    // One at the cap still goes through.
    alice
        .send(&ClientFrame::Ephemeral {
            channel: 0,
            blob: vec![7; MAX_EPHEMERAL_BYTES],
        })
        .await;
    assert!(
        matches!(bob.recv().await, ServerFrame::Ephemeral { channel: 1, blob } if blob.len() == MAX_EPHEMERAL_BYTES)
    );
    relay.stop().await;
}

#[tokio::test]
async fn an_oversized_frame_is_refused_and_the_other_room_goes_on() {
    let relay = Relay::start(Limits::default()).await;
    let first = Workspace::new(8);
    let second = Workspace::new(9);
    let mut client = relay.connect().await;
    client.hello(1, first.room(), first.token(), 0).await;
    client.hello(2, second.room(), second.token(), 0).await;

    // `encode` refuses to make such a frame, so it is put together by hand.
    let oversized = postcard::to_allocvec(&ClientFrame::Append {
        channel: 1,
        request: 5,
        blob: vec![0; MAX_FRAME_BYTES],
    })
    .unwrap();
    assert!(oversized.len() > MAX_FRAME_BYTES);
    client.send_raw(oversized).await;
    assert_eq!(
        client.error().await,
        (Some(1), Some(5), ErrorCode::FrameTooLarge),
        "the channel and request are read from the frame's first bytes"
    );
    // A frame within the limit whose blob is not: refused, naming its request.
    let too_big = postcard::to_allocvec(&ClientFrame::Append {
        channel: 1,
        request: 77,
        blob: vec![0; MAX_BLOB_BYTES + 1],
    })
    .unwrap();
    assert!(too_big.len() <= MAX_FRAME_BYTES);
    client.send_raw(too_big).await;
    assert_eq!(
        client.error().await,
        (Some(1), Some(77), ErrorCode::FrameTooLarge)
    );

    assert_eq!(client.append(2, 1, b"small").await, 1);
    assert_eq!(client.append(1, 2, b"small too").await, 1);
    relay.stop().await;
}

#[tokio::test]
async fn garbage_and_text_are_bad_frames_and_the_connection_goes_on() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(10);
    let mut client = relay.connect().await;
    client
        .hello(0, workspace.room(), workspace.token(), 0)
        .await;

    client.send_raw(vec![0xff, 0xfe, 0xfd, 0xfc, 0xfb]).await;
    assert_eq!(client.error().await, (None, None, ErrorCode::BadFrame));
    client.send_raw(Vec::new()).await;
    assert_eq!(client.error().await.2, ErrorCode::BadFrame);
    client
        .ws
        .send(Message::text("{\"hello\": true}"))
        .await
        .unwrap();
    assert_eq!(client.error().await, (None, None, ErrorCode::BadFrame));
    let mut trailing = encode(&ClientFrame::Leave { channel: 0 }).unwrap();
    trailing.push(0);
    client.send_raw(trailing).await;
    assert_eq!(client.error().await, (Some(0), None, ErrorCode::BadFrame));

    assert_eq!(client.append(0, 1, b"after the garbage").await, 1);
    relay.stop().await;
}

#[tokio::test]
async fn channel_mistakes_are_reported() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(11);
    let mut client = relay.connect().await;
    client.send_append(4, 9, b"nowhere").await;
    assert_eq!(
        client.error().await,
        (Some(4), Some(9), ErrorCode::UnknownChannel)
    );
    client
        .hello(4, workspace.room(), workspace.token(), 0)
        .await;
    client
        .send(&ClientFrame::Hello {
            version: PROTOCOL_VERSION,
            channel: 4,
            room: workspace.room(),
            writer: workspace.secret.writer_key(),
            write_token: None,
            cursor: 0,
            entries_only: false,
        })
        .await;
    assert_eq!(
        client.error().await,
        (Some(4), None, ErrorCode::ChannelInUse)
    );
    let mut future = encode(&ClientFrame::Hello {
        version: PROTOCOL_VERSION + 1,
        channel: 6,
        room: workspace.room(),
        writer: workspace.secret.writer_key(),
        write_token: None,
        cursor: 0,
        entries_only: false,
    })
    .unwrap();
    future.truncate(5);
    client.send_raw(future).await;
    assert_eq!(
        client.error().await,
        (Some(6), None, ErrorCode::UnsupportedVersion)
    );
    client.send(&ClientFrame::Leave { channel: 4 }).await;
    client.send(&ClientFrame::Leave { channel: 4 }).await;
    assert_eq!(
        client.error().await,
        (Some(4), None, ErrorCode::UnknownChannel)
    );
    // The channel number may be reused once left.
    assert_eq!(
        client
            .hello(4, workspace.room(), workspace.token(), 0)
            .await,
        (0, true)
    );
    relay.stop().await;
}

#[tokio::test]
async fn too_many_rooms_is_refused_and_the_joined_ones_go_on() {
    let limits = Limits {
        max_rooms_per_connection: 2,
        ..Limits::default()
    };
    let relay = Relay::start(limits).await;
    let rooms: Vec<Workspace> = (20..23).map(Workspace::new).collect();
    let mut client = relay.connect().await;
    client.hello(0, rooms[0].room(), rooms[0].token(), 0).await;
    client.hello(1, rooms[1].room(), rooms[1].token(), 0).await;
    client
        .send(&ClientFrame::Hello {
            version: PROTOCOL_VERSION,
            channel: 2,
            room: rooms[2].room(),
            writer: rooms[2].secret.writer_key(),
            write_token: rooms[2].token(),
            cursor: 0,
            entries_only: false,
        })
        .await;
    assert_eq!(
        client.error().await,
        (Some(2), None, ErrorCode::TooManyRooms)
    );
    assert_eq!(client.append(0, 1, b"a").await, 1);
    assert_eq!(client.append(1, 2, b"b").await, 1);
    // Leaving makes room for another.
    client.send(&ClientFrame::Leave { channel: 0 }).await;
    assert_eq!(
        client.hello(2, rooms[2].room(), rooms[2].token(), 0).await,
        (0, true)
    );
    relay.stop().await;
}

#[tokio::test]
async fn too_many_messages_per_second_are_refused() {
    let limits = Limits {
        max_messages_per_second: 5,
        burst: 5,
        ..Limits::default()
    };
    let relay = Relay::start(limits).await;
    let workspace = Workspace::new(12);
    let mut client = relay.connect().await;
    let mut listener = relay.connect().await;
    client
        .hello(0, workspace.room(), workspace.token(), 0)
        .await;
    listener.hello(0, workspace.room(), None, 0).await;

    for request in 0..20 {
        client
            .send_append(0, request, &blob(u64::from(request)))
            .await;
    }
    let mut acked = Vec::new();
    let mut limited = Vec::new();
    for _ in 0..20 {
        match client.recv().await {
            ServerFrame::Ack { request, .. } => acked.push(request),
            ServerFrame::Error {
                channel,
                request,
                code: ErrorCode::RateLimited,
                ..
            } => {
                assert_eq!(channel, Some(0));
                limited.push(request.unwrap());
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(!limited.is_empty(), "the limit bit");
    assert!(acked.len() >= 4, "the burst passed: {acked:?}");
    // Only acknowledged appends were stored and fanned out.
    for seq in 1..=acked.len() as u64 {
        assert_eq!(listener.entry(0).await.0, seq);
    }
    listener.expect_silence().await;

    // The bucket refills.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        client.append(0, 100, b"later").await,
        acked.len() as u64 + 1
    );
    relay.stop().await;
}

#[tokio::test]
async fn an_idle_connection_is_told_and_closed() {
    let limits = Limits {
        idle_timeout: Duration::from_millis(700),
        ..Limits::default()
    };
    let relay = Relay::start(limits).await;
    let workspace = Workspace::new(13);
    let mut idle = relay.connect().await;
    let mut busy = relay.connect().await;
    idle.hello(0, workspace.room(), None, 0).await;
    busy.hello(0, workspace.room(), workspace.token(), 0).await;
    // Activity on one connection does not keep another alive.
    for request in 0..4 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        busy.append(0, request, b"keep alive").await;
    }
    // Entries fanned out to it meanwhile are not activity of its own.
    let timed_out = loop {
        match idle.recv().await {
            ServerFrame::Entry { .. } => {}
            ServerFrame::Error { code, channel, .. } => break (channel, code),
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(timed_out, (None, ErrorCode::IdleTimeout));
    assert_eq!(idle.closed().await, CloseCode::Normal);
    assert_eq!(busy.append(0, 9, b"still here").await, 5);
    relay.stop().await;
}

#[tokio::test]
async fn a_restart_keeps_every_acknowledged_entry() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(14);
    let mut client = relay.connect().await;
    client
        .hello(0, workspace.room(), workspace.token(), 0)
        .await;
    for n in 1..=10 {
        assert_eq!(client.append(0, n as u32, &blob(n)).await, n);
    }
    // More appends in flight while the relay is told to stop.
    for n in 11..=60 {
        client.send_append(0, n as u32, &blob(n)).await;
    }
    let data_dir = relay.data_dir();
    relay.stop.send(()).unwrap();
    let mut acked = (1..=10).collect::<Vec<u64>>();
    let close = loop {
        match tokio::time::timeout(PATIENCE, client.ws.next())
            .await
            .unwrap()
        {
            Some(Ok(Message::Binary(bytes))) => match decode_server(&bytes).unwrap() {
                ServerFrame::Ack { seq, .. } => acked.push(seq),
                other => panic!("unexpected {other:?}"),
            },
            Some(Ok(Message::Close(frame))) => break frame,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(close.unwrap().code, CloseCode::Away);
    tokio::time::timeout(PATIENCE, relay.task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(data_dir.join(charter_relay::DATABASE_FILE).exists());

    let relay = Relay::start_in(relay.dir, Limits::default()).await;
    let mut again = relay.connect().await;
    let (head, writable) = again.hello(0, workspace.room(), workspace.token(), 0).await;
    assert!(writable);
    assert!(head >= *acked.last().unwrap());
    for n in 1..=head {
        assert_eq!(again.entry(0).await, (n, blob(n)));
    }
    relay.stop().await;
}

#[tokio::test]
async fn new_connections_are_refused_while_shutting_down() {
    let relay = Relay::start(Limits::default()).await;
    let address = relay.address;
    let mut client = relay.connect().await;
    let dir = relay.stop().await;
    assert_eq!(client.closed().await, CloseCode::Away);
    assert!(connect_async(format!("ws://{address}/sync")).await.is_err());
    drop(dir);
}

#[tokio::test]
async fn the_database_never_holds_a_plaintext_or_a_token() {
    const MARKER: &str = "MARKER-risk-register-weakness-7f3a";
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(15);
    let key = workspace.secret.content_key();
    let room = workspace.room();
    let mut client = relay.connect().await;
    let mut other = relay.connect().await;
    client.hello(0, room, workspace.token(), 0).await;
    other.hello(0, room, None, 0).await;
    let mut sealed_blobs = Vec::new();
    for n in 0..20 {
        let text = format!("{MARKER} record {n}: budget line, weakness, owner");
        let sealed = seal(&key, &room, BlobKind::Changes, text.as_bytes()).unwrap();
        client.append(0, n, &sealed).await;
        sealed_blobs.push(sealed);
    }
    let snapshot = seal(
        &key,
        &room,
        BlobKind::Snapshot { covers: 20 },
        MARKER.as_bytes(),
    )
    .unwrap();
    let snapshot = workspace.snapshot(20, &snapshot);
    client
        .send(&ClientFrame::Snapshot {
            channel: 0,
            request: 99,
            covers: 20,
            blob: snapshot,
        })
        .await;
    assert_eq!(client.ack(0, 99).await, 20);
    let presence = seal(&key, &room, BlobKind::Presence, MARKER.as_bytes()).unwrap();
    client
        .send(&ClientFrame::Ephemeral {
            channel: 0,
            blob: presence,
        })
        .await;
    for _ in 0..20 {
        other.entry(0).await;
    }
    assert!(matches!(other.recv().await, ServerFrame::Ephemeral { .. }));

    // Read the files while the relay runs (WAL not checkpointed) and after it stopped.
    let data_dir = relay.data_dir();
    let token = workspace.secret.write_token();
    let check = |dir: &Path| {
        let mut all = Vec::new();
        for file in std::fs::read_dir(dir).unwrap() {
            // SQLite may remove a temporary file between the listing and the read.
            match std::fs::read(file.unwrap().path()) {
                Ok(bytes) => all.extend(bytes),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => panic!("{error}"),
            }
        }
        assert!(!contains(&all, MARKER.as_bytes()), "plaintext on disk");
        assert!(!contains(&all, token.as_bytes()), "write token on disk");
        // The scan does see what is stored: the ciphertext is there.
        assert!(contains(&all, &sealed_blobs[19]), "the scan reads the data");
    };
    check(&data_dir);
    let dir = relay.stop().await;
    check(&dir.path().join("data"));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[tokio::test]
async fn an_old_cursor_gets_the_newest_snapshot_then_the_tail_or_every_kept_entry() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(16);
    let mut writer = relay.connect().await;
    writer
        .hello(0, workspace.room(), workspace.token(), 0)
        .await;
    for n in 1..=10 {
        writer.append(0, n as u32, &blob(n)).await;
    }
    for (request, covers) in [(100, 4), (101, 7)] {
        writer
            .send(&ClientFrame::Snapshot {
                channel: 0,
                request,
                covers,
                blob: workspace.snapshot(covers, format!("snapshot to {covers}").as_bytes()),
            })
            .await;
        assert_eq!(writer.ack(0, request).await, covers);
    }
    writer
        .send(&ClientFrame::Snapshot {
            channel: 0,
            request: 102,
            covers: 11,
            blob: workspace.snapshot(11, b"ahead"),
        })
        .await;
    assert_eq!(
        writer.error().await,
        (Some(0), Some(102), ErrorCode::BadFrame)
    );
    for n in 11..=12 {
        writer.append(0, n as u32, &blob(n)).await;
    }

    // Entries up to 4 were dropped: cursor 2 needs the newest snapshot and what follows it.
    let mut old = relay.connect().await;
    assert_eq!(old.hello(0, workspace.room(), None, 2).await, (12, false));
    assert_eq!(
        old.recv().await,
        ServerFrame::SnapshotEntry {
            channel: 0,
            covers: 7,
            blob: workspace.snapshot(7, b"snapshot to 7")
        }
    );
    for n in 8..=12 {
        assert_eq!(old.entry(0).await, (n, blob(n)));
    }
    old.expect_silence().await;

    // Cursor 5 is past the pruned entries: a plain tail.
    let mut recent = relay.connect().await;
    recent.hello(0, workspace.room(), None, 5).await;
    for n in 6..=12 {
        assert_eq!(recent.entry(0).await, (n, blob(n)));
    }
    recent.expect_silence().await;

    // These snapshots are junk to a client (they do not open). Asking for entries only, it
    // gets every entry after its cursor: pruned entries are kept for the retention period.
    let mut doubting = relay.connect().await;
    assert_eq!(
        doubting
            .hello_with(0, workspace.room(), None, 2, true)
            .await,
        (12, false)
    );
    for n in 3..=12 {
        assert_eq!(doubting.entry(0).await, (n, blob(n)));
    }
    doubting.expect_silence().await;
    relay.stop().await;
}

#[tokio::test]
async fn a_listener_that_stops_reading_holds_nobody_up_and_misses_nothing() {
    let limits = Limits {
        room_queue: 4,
        outgoing_queue: 2,
        send_timeout: Duration::from_secs(60),
        ..Limits::default()
    };
    let relay = Relay::start(limits).await;
    let workspace = Workspace::new(17);
    let mut writer = relay.connect().await;
    let mut stalled = relay.connect().await;
    writer
        .hello(0, workspace.room(), workspace.token(), 0)
        .await;
    stalled.hello(0, workspace.room(), None, 0).await;
    // Large enough to fill the stalled client's socket buffers long before the end.
    let big = |n: u64| {
        let mut bytes = blob(n);
        bytes.resize(64 * 1024, n as u8);
        bytes
    };
    const APPENDS: u64 = 250;
    for n in 1..=APPENDS {
        let started = std::time::Instant::now();
        assert_eq!(writer.append(0, n as u32, &big(n)).await, n);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the writer was held up"
        );
    }
    for n in 1..=APPENDS {
        assert_eq!(stalled.entry(0).await, (n, big(n)));
    }
    stalled.expect_silence().await;
    relay.stop().await;
}

/// The `Closed` frame a client is sent about `channel`, with its time.
async fn closed_frame(client: &mut Client, channel: u16) -> u64 {
    match client.recv().await {
        ServerFrame::Closed { channel: told, at } => {
            assert_eq!(told, channel);
            at
        }
        other => panic!("expected Closed, got {other:?}"),
    }
}

#[tokio::test]
async fn a_closed_room_refuses_the_old_editors_signed_appends_and_says_so_to_everyone() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(40);
    let room = workspace.room();
    let mut owner = relay.connect().await;
    owner.hello(0, room, workspace.token(), 0).await;
    owner.append(0, 1, &blob(1)).await;
    owner.append(0, 2, &blob(2)).await;
    let mut editor = relay.connect().await;
    assert_eq!(editor.hello(5, room, workspace.token(), 2).await, (2, true));
    let mut reader = relay.connect().await;
    assert_eq!(reader.hello(3, room, None, 2).await, (2, false));

    // A reader cannot close it.
    reader
        .send(&ClientFrame::Close {
            channel: 3,
            request: 7,
        })
        .await;
    assert_eq!(
        reader.error().await,
        (Some(3), Some(7), ErrorCode::Unauthorized)
    );
    editor.expect_silence().await;

    // The owner closes it: acknowledged with the last entry, and every member is told.
    owner
        .send(&ClientFrame::Close {
            channel: 0,
            request: 9,
        })
        .await;
    assert_eq!(owner.ack(0, 9).await, 2);
    let at = closed_frame(&mut reader, 3).await;
    assert_eq!(closed_frame(&mut editor, 5).await, at);
    owner.expect_silence().await;

    // The other editor's token is valid and its change correctly signed: refused all the same.
    editor.send_append(5, 11, &blob(3)).await;
    assert_eq!(
        editor.error().await,
        (Some(5), Some(11), ErrorCode::RoomClosed)
    );
    editor
        .send(&ClientFrame::Snapshot {
            channel: 5,
            request: 12,
            covers: 2,
            blob: workspace.snapshot(2, b"snapshot"),
        })
        .await;
    assert_eq!(
        editor.error().await,
        (Some(5), Some(12), ErrorCode::RoomClosed)
    );
    reader.expect_silence().await;

    // Closing again is fine, and tells nobody anything new.
    editor
        .send(&ClientFrame::Close {
            channel: 5,
            request: 13,
        })
        .await;
    assert_eq!(editor.ack(5, 13).await, 2);
    reader.expect_silence().await;
    owner.expect_silence().await;

    // A new connection is welcomed, learns it at once, and reads what the room holds; its
    // appends are refused too, with the old token and a good signature.
    let mut late = relay.connect().await;
    assert_eq!(late.hello(1, room, workspace.token(), 0).await, (2, true));
    assert_eq!(closed_frame(&mut late, 1).await, at);
    assert_eq!(late.entry(1).await, (1, blob(1)));
    assert_eq!(late.entry(1).await, (2, blob(2)));
    late.send_append(1, 1, &blob(3)).await;
    assert_eq!(
        late.error().await,
        (Some(1), Some(1), ErrorCode::RoomClosed)
    );
    let mut late_reader = relay.connect().await;
    assert_eq!(late_reader.hello(2, room, None, 2).await, (2, false));
    assert_eq!(closed_frame(&mut late_reader, 2).await, at);
    late_reader.expect_silence().await;

    // Another room on the same relay is untouched.
    let elsewhere = Workspace::new(41);
    late.hello(2, elsewhere.room(), elsewhere.token(), 0).await;
    assert_eq!(late.append(2, 2, &blob(1)).await, 1);

    // After a restart the room is still closed and still holds everything.
    let dir = relay.stop().await;
    let relay = Relay::start_in(dir, Limits::default()).await;
    let mut again = relay.connect().await;
    assert_eq!(again.hello(0, room, workspace.token(), 0).await, (2, true));
    assert_eq!(closed_frame(&mut again, 0).await, at);
    assert_eq!(again.entry(0).await, (1, blob(1)));
    assert_eq!(again.entry(0).await, (2, blob(2)));
    again.send_append(0, 3, &blob(3)).await;
    assert_eq!(
        again.error().await,
        (Some(0), Some(3), ErrorCode::RoomClosed)
    );
    relay.stop().await;
}

#[tokio::test]
async fn a_close_on_an_unknown_channel_is_reported() {
    let relay = Relay::start(Limits::default()).await;
    let mut client = relay.connect().await;
    client
        .send(&ClientFrame::Close {
            channel: 4,
            request: 2,
        })
        .await;
    assert_eq!(
        client.error().await,
        (Some(4), Some(2), ErrorCode::UnknownChannel)
    );
    relay.stop().await;
}

#[tokio::test]
async fn a_version_2_client_is_never_sent_closed_but_is_refused_all_the_same() {
    let relay = Relay::start(Limits::default()).await;
    let workspace = Workspace::new(42);
    let room = workspace.room();
    let mut owner = relay.connect().await;
    owner.hello(0, room, workspace.token(), 0).await;
    owner.append(0, 1, &blob(1)).await;

    // An older app, joined before the close and after it.
    let old_hello = |channel| ClientFrame::Hello {
        version: 2,
        channel,
        room,
        writer: workspace.secret.writer_key(),
        write_token: workspace.token(),
        cursor: 1,
        entries_only: false,
    };
    let mut before = relay.connect().await;
    before.rooms.insert(0, room);
    before.send(&old_hello(0)).await;
    assert!(matches!(
        before.recv().await,
        ServerFrame::Welcome { writable: true, .. }
    ));
    owner
        .send(&ClientFrame::Close {
            channel: 0,
            request: 2,
        })
        .await;
    owner.ack(0, 2).await;
    before.expect_silence().await;
    before.send_append(0, 3, &blob(2)).await;
    // Code 12: an old app reads it as a code it does not know, and keeps the change.
    assert_eq!(
        before.error().await,
        (Some(0), Some(3), ErrorCode::RoomClosed)
    );
    let mut after = relay.connect().await;
    after.rooms.insert(0, room);
    after.send(&old_hello(0)).await;
    assert!(matches!(after.recv().await, ServerFrame::Welcome { .. }));
    after.expect_silence().await;
    relay.stop().await;
}
