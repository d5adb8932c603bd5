//! Live sync of an open workspace through its relay: the WebSocket, the pure
//! [`SyncClient`], and what the person sees of the connection.
//!
//! Flow: `opened` → Hello (with the persisted cursor) → Welcome and catch-up
//! entries → `Changed` events re-render, `CursorMoved` schedules a save, which
//! persists the cursor only once the changes it covers are stored.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use leptos::prelude::*;

use crate::net::socket::{Socket, SocketHandler};
use crate::storage::chunks::merge_chunks;
use crate::storage::idb::SyncSettings;
use crate::sync::client::{SyncClient, SyncCursor, SyncEvent, SyncKeys, SyncStatus};
use crate::sync::crypto::WorkspaceSecret;
use crate::sync::link::{LinkWithMove, ShareLink, websocket_url};
use crate::sync::protocol::{ClientFrame, decode_server, encode};
use crate::ui::now;
use crate::ui::presence::Heard;
use crate::ui::session::{Notice, OpenWorkspace};

/// The channel number this tab uses for its one room per connection.
const CHANNEL: u16 = 1;

/// What the person sees of the connection to the relay.
#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    /// Not shared: kept in this browser only.
    LocalOnly,
    /// Trying to reach the relay.
    Connecting,
    /// Another tab of this browser holds the connection and shares what it gets.
    OtherTab,
    /// Connected and exchanging what is new.
    Syncing,
    /// Everything is exchanged; `at` is when that was last true (ms since epoch).
    UpToDate {
        /// When the workspace was last known to be up to date.
        at: i64,
    },
    /// Sharing through this workspace's links was stopped: the relay takes
    /// no more changes for them, so what is changed here stays here until a
    /// new link is opened.
    Stopped,
    /// The relay cannot be reached; work goes on and syncs later.
    Offline {
        /// Why, in words for the person.
        reason: String,
        /// When the workspace was last up to date, if ever.
        last: Option<i64>,
    },
}

/// Where stopping sharing through the current links stands, for the share panel.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Sharing {
    /// Nothing asked.
    #[default]
    Idle,
    /// The relay was asked to close the room.
    Closing,
    /// The old room is closed and the workspace syncs through new links.
    Renewed,
    /// Someone else stopped sharing through the links this browser uses.
    StoppedByOther,
    /// Stopping did not happen, for this reason.
    Failed(String),
}

/// The sync half of an open workspace.
pub struct Live {
    client: SyncClient,
    socket: Option<Socket>,
    settings: SyncSettings,
    last_synced: Option<i64>,
    /// After the relay refused something, pushing waits until then (ms since epoch).
    hold_until: i64,
    /// This tab's claim to be the one that talks to the relay.
    lock: Option<TabLock>,
}

/// A Web Lock held while this tab syncs the workspace: one connection per
/// browser, so changes are pushed once; the next tab takes over when it closes.
struct TabLock {
    release: Rc<RefCell<Option<Function>>>,
    cancelled: Rc<Cell<bool>>,
    _grant: Closure<dyn FnMut(JsValue) -> Promise>,
}

impl TabLock {
    /// Asks for the lock `name`; `on_grant` runs once it is this tab's. Without
    /// Web Locks, the tab simply leads.
    fn request(name: &str, on_grant: impl FnOnce() + 'static) -> Option<TabLock> {
        let navigator = web_sys::window()?.navigator();
        let locks = Reflect::get(&navigator, &"locks".into())
            .ok()
            .filter(|l| !l.is_undefined());
        let request = locks
            .as_ref()
            .and_then(|l| Reflect::get(l, &"request".into()).ok());
        let (Some(locks), Some(request)) =
            (locks, request.and_then(|r| r.dyn_into::<Function>().ok()))
        else {
            on_grant();
            return None;
        };
        let release = Rc::new(RefCell::new(None::<Function>));
        let cancelled = Rc::new(Cell::new(false));
        let mut on_grant = Some(on_grant);
        let (slot, stop) = (release.clone(), cancelled.clone());
        let grant = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_lock: JsValue| {
            if stop.get() {
                return Promise::resolve(&JsValue::UNDEFINED);
            }
            if let Some(start) = on_grant.take() {
                start();
            }
            // Held until `release` resolves it: the lock lives as long as this tab leads.
            Promise::new(&mut |resolve, _reject| *slot.borrow_mut() = Some(resolve))
        });
        request.call2(&locks, &name.into(), grant.as_ref()).ok()?;
        Some(TabLock {
            release,
            cancelled,
            _grant: grant,
        })
    }

    fn release(&self) {
        self.cancelled.set(true);
        if let Some(resolve) = self.release.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

/// How long to wait before pushing again after the relay refused an append.
const REFUSED_BACKOFF_MS: i64 = 2_000;

impl Live {
    /// Starts from stored settings; fails with a message when the stored link is unusable.
    pub fn new(settings: SyncSettings) -> Result<Live, String> {
        let link = ShareLink::parse_fragment(&settings.link).map_err(|e| e.to_string())?;
        let keys = match &link {
            ShareLink::Editor { secret, .. } => SyncKeys::editor(secret),
            ShareLink::Reader { keys, .. } => SyncKeys::reader(keys),
        };
        Ok(Live {
            client: SyncClient::new(keys, settings.cursor.clone(), CHANNEL),
            socket: None,
            settings,
            last_synced: None,
            hold_until: 0,
            lock: None,
        })
    }

    /// Whether this participant holds the write token.
    pub fn can_write(&self) -> bool {
        ShareLink::parse_fragment(&self.settings.link)
            .map(|l| matches!(l, ShareLink::Editor { .. }))
            .unwrap_or(false)
    }

    /// The settings to store, with the given cursor.
    pub fn settings_with(&self, cursor: SyncCursor) -> SyncSettings {
        SyncSettings {
            cursor,
            ..self.settings.clone()
        }
    }

    /// Starts over from stored `settings` (read afresh when this tab takes
    /// over from another, which may have moved the workspace to new links).
    fn resume(&mut self, settings: SyncSettings) {
        let keys = match ShareLink::parse_fragment(&settings.link) {
            Ok(ShareLink::Editor { secret, .. }) => SyncKeys::editor(&secret),
            Ok(ShareLink::Reader { keys, .. }) => SyncKeys::reader(&keys),
            Err(_) => return,
        };
        self.client = SyncClient::new(keys, settings.cursor.clone(), CHANNEL);
        self.settings = settings;
    }

    /// The cursor as it stands now.
    pub fn cursor(&self) -> SyncCursor {
        self.client.cursor().clone()
    }

    /// The links this participant may hand on: both for an editor, the
    /// read-only one for a reader; after sharing was stopped and renewed,
    /// with the proof that they replace the earlier links.
    pub fn share_links(&self, app_origin: &str) -> (Option<String>, String) {
        let Ok(LinkWithMove { link, moved_from }) =
            LinkWithMove::parse_fragment(&self.settings.link)
        else {
            return (None, String::new());
        };
        let url = |link: ShareLink| {
            LinkWithMove {
                link,
                moved_from: moved_from.clone(),
            }
            .to_url(app_origin)
        };
        match link {
            ShareLink::Editor { secret, relay } => {
                let reader = ShareLink::Reader {
                    keys: secret.read_keys(),
                    relay: relay.clone(),
                };
                let editor = ShareLink::Editor { secret, relay };
                (Some(url(editor)), url(reader))
            }
            reader @ ShareLink::Reader { .. } => (None, url(reader)),
        }
    }
}

struct Handler(OpenWorkspace);

impl SocketHandler for Handler {
    fn opened(&self, socket: &Socket) {
        let ws = self.0;
        let hello = ws.with_live(|live, _| live.client.connected());
        if let Some(Ok(bytes)) = hello.map(|frame| encode(&frame)) {
            socket.send(&bytes);
        }
        ws.send_presence(false);
        // The other tabs of this browser announce themselves through this one.
        ws.ask_tabs_to_announce();
        ws.connection.set(Connection::Syncing);
    }

    fn message(&self, socket: &Socket, bytes: Vec<u8>) {
        let ws = self.0;
        let frame = match decode_server(&bytes) {
            Ok(frame) => frame,
            Err(_) => {
                ws.notice(
                    Notice::Unreadable,
                    "The relay sent data Charter cannot read; it was ignored. Your work is \
                     safe in this browser. Check the relay address in the share link."
                        .to_owned(),
                );
                let last = ws.with_live(|live, _| live.last_synced).flatten();
                ws.connection.set(Connection::Offline {
                    reason: "The relay's answers cannot be read.".to_owned(),
                    last,
                });
                return;
            }
        };
        ws.clear_notice(Notice::Unreadable);
        let before = ws.with_live(|_, doc| doc.get_heads()).unwrap_or_default();
        let events = ws
            .with_live(|live, doc| live.client.receive(doc, frame))
            .unwrap_or_default();
        let (mut changed, mut cursor_moved, mut reset) = (false, false, false);
        // An unreadable snapshot is told by the rejoin's own notice.
        let rejoin = events.contains(&SyncEvent::Rejoin);
        for event in events {
            match event {
                SyncEvent::Changed => changed = true,
                SyncEvent::CursorMoved => cursor_moved = true,
                SyncEvent::Unreadable { .. } if rejoin => {}
                SyncEvent::Unreadable { .. } => ws.warn(
                    "A change from the relay could not be opened (it is damaged or belongs to \
                     another workspace) and was skipped."
                        .to_owned(),
                ),
                SyncEvent::Refused { code } => {
                    ws.with_live(|live, _| live.hold_until = now() + REFUSED_BACKOFF_MS);
                    ws.notice(
                        Notice::Refused,
                        format!(
                            "The relay refused a change. {} Charter will retry.",
                            code.explanation()
                        ),
                    );
                    let (socket, ws) = (socket.clone(), ws);
                    let wait = REFUSED_BACKOFF_MS as u32 + 50;
                    gloo_timers::callback::Timeout::new(wait, move || ws.push(&socket)).forget();
                }
                SyncEvent::NotAdmitted { code } => ws.notice(
                    Notice::Refused,
                    format!(
                        "The relay did not let this browser join the workspace. {} Changes stay \
                         in this browser.",
                        code.explanation()
                    ),
                ),
                SyncEvent::ReadOnly => ws.read_only.set(true),
                SyncEvent::RelayReset => {
                    reset = true;
                    ws.notice(
                        Notice::Behind,
                        "The relay has less of this workspace than this browser (it may have been \
                     reset). Everything here is being sent to it again."
                            .to_owned(),
                    )
                }
                SyncEvent::Rejoin => {
                    reset = true;
                    ws.notice(
                        Notice::Behind,
                        "The relay's summary of this workspace could not be opened (it is damaged \
                         or was not written by a member). Charter is fetching the changes it \
                         stands for one by one instead."
                            .to_owned(),
                    )
                }
                SyncEvent::Presence { payload, editor } => {
                    ws.heard_presence(&payload, Heard::Relay { editor });
                }
                SyncEvent::RoomClosed { by_us } => {
                    if by_us || ws.sharing.get_untracked() == Sharing::Closing {
                        // Once this event is handled: the socket is replaced.
                        gloo_timers::callback::Timeout::new(0, move || ws.renew_links()).forget();
                    } else {
                        ws.sharing.set(Sharing::StoppedByOther);
                        ws.warn(
                            "Sharing through this workspace's links was stopped. Everything \
                             here stays in this browser, but changes made here no longer reach \
                             the others. To carry on together, open the new link you are sent."
                                .to_owned(),
                        );
                    }
                }
                SyncEvent::CloseRefused { code } => {
                    ws.sharing.set(Sharing::Failed(format!(
                        "The relay did not stop sharing. {}",
                        code.explanation()
                    )));
                }
            }
        }
        if reset {
            // The relay only sends what follows the Hello's cursor: leave and say hello again.
            let frames = ws.with_live(|live, _| {
                let channel = live.client.channel();
                [ClientFrame::Leave { channel }, live.client.connected()]
            });
            for frame in frames.into_iter().flatten() {
                if let Ok(bytes) = encode(&frame) {
                    socket.send(&bytes);
                }
            }
        }
        if changed {
            // Sibling tabs do not connect themselves: pass on what arrived.
            if let Some(arrived) = ws.with_live(|_, doc| doc.save_after(&before)) {
                ws.post_to_tabs(&arrived);
            }
            ws.refresh();
            ws.update_listing();
        }
        if changed || cursor_moved {
            ws.schedule_save();
        }
        self.update_status();
        ws.push(socket);
        // Now and then an editor leaves a snapshot for late joiners.
        if let Some(Ok(Some(frame))) = ws.with_live(|live, doc| live.client.snapshot_due(doc))
            && let Ok(bytes) = encode(&frame)
        {
            socket.send(&bytes);
        }
    }

    fn closed(&self, reason: String) {
        let ws = self.0;
        let last = ws
            .with_live(|live, _| {
                live.client.disconnected();
                live.last_synced
            })
            .flatten();
        // Those heard through the relay are no longer reachable; this
        // browser's other tabs announce themselves again at once.
        ws.forget_peers();
        ws.ask_tabs_to_announce();
        ws.connection.set(Connection::Offline { reason, last });
    }
}

impl Handler {
    fn update_status(&self) {
        let ws = self.0;
        let status = ws.with_live(|live, _| {
            let status = live.client.status();
            if matches!(status, SyncStatus::UpToDate) {
                live.last_synced = Some(now());
            }
            (status, live.last_synced, live.client.is_closed())
        });
        if let Some((_, _, true)) = status {
            // Nothing more goes to this room: never "up to date".
            ws.connection.set(Connection::Stopped);
            return;
        }
        if let Some((status, last, _)) = status {
            if status == SyncStatus::UpToDate {
                // What the relay refused or lacked has gone through since.
                ws.clear_notice(Notice::Refused);
                ws.clear_notice(Notice::Behind);
            }
            ws.connection.set(match status {
                SyncStatus::UpToDate => Connection::UpToDate {
                    at: last.unwrap_or_else(now),
                },
                SyncStatus::Offline => Connection::Offline {
                    reason: String::new(),
                    last,
                },
                SyncStatus::Connecting => Connection::Connecting,
                SyncStatus::CatchingUp => Connection::Syncing,
            });
        }
    }
}

impl OpenWorkspace {
    /// Starts syncing: the keys are known at once (links, read-only mode); the
    /// connection is made by whichever tab of this browser holds the sync lock.
    pub(crate) fn start_live(&self, live: Live) {
        let can_write = live.can_write();
        self.set_live(Some(live));
        self.read_only.set(!can_write);
        self.connection.set(Connection::OtherTab);
        let this = *self;
        let lock = TabLock::request(&format!("charter-sync:{}", self.id()), move || this.lead());
        self.with_live(|live, _| live.lock = lock);
    }

    /// This tab now talks to the relay: resume from the stored cursor (another
    /// tab may have moved it) and connect.
    fn lead(&self) {
        let this = *self;
        leptos::task::spawn_local(async move {
            let db = this.database();
            if let Ok(Some(entry)) = db.workspace(&this.id()).await
                && let Some(sync) = entry.sync
            {
                // The stored cursor covers only stored changes; make sure this
                // tab has them all (a sibling's post may have been missed)
                // before resuming from it, or they would never be pulled again.
                if let Ok(chunks) = db.load_chunks(&this.id()).await {
                    this.with_live(|_, doc| merge_chunks(doc, chunks));
                    this.refresh();
                }
                this.with_live(|live, _| live.resume(sync));
            }
            let url = this
                .with_live(|live, _| ShareLink::parse_fragment(&live.settings.link).ok())
                .flatten()
                .and_then(|l| {
                    let relay = match l {
                        ShareLink::Editor { relay, .. } | ShareLink::Reader { relay, .. } => relay,
                    };
                    websocket_url(&relay).ok()
                });
            let Some(url) = url else {
                this.warn("This workspace's relay address is not valid, so it cannot sync.".into());
                return;
            };
            this.connection.set(Connection::Connecting);
            let socket = Socket::connect(&url, Rc::new(Handler(this)));
            this.with_live(|live, _| live.socket = Some(socket));
        });
    }

    /// Sends local changes the relay does not have yet (one batch at a time).
    pub(crate) fn push(&self, socket: &Socket) {
        let frame = self.with_live(|live, doc| {
            if now() < live.hold_until {
                return Ok(None);
            }
            live.client.outgoing(doc)
        });
        match frame {
            Some(Ok(Some(frame))) => {
                if let Ok(bytes) = encode(&frame) {
                    socket.send(&bytes);
                }
            }
            Some(Err(e)) => self.warn(e.to_string()),
            _ => {}
        }
    }

    /// Pushes after a local change, when connected.
    pub(crate) fn push_if_connected(&self) {
        let socket = self.with_live(|live, _| live.socket.clone()).flatten();
        if let Some(socket) = socket {
            self.push(&socket);
        }
    }

    /// Reconnects at once (the browser says it is back online).
    pub fn reconnect_now(&self) {
        if let Some(Some(socket)) = self.with_live(|live, _| live.socket.clone()) {
            socket.retry_now();
        }
    }

    /// Disconnects while the browser is offline; edits go on and are pushed on reconnect.
    pub fn go_offline(&self) {
        if let Some(Some(socket)) = self.with_live(|live, _| live.socket.clone()) {
            socket.pause();
        }
    }

    /// Sends a presence message (sealed) to the relay, when this tab holds
    /// the connection.
    pub(crate) fn presence_to_relay(&self, payload: &[u8]) {
        let sent = self.with_live(|live, _| {
            let frame = live.client.presence(payload).ok()?;
            let socket = live.socket.clone()?;
            Some((socket, encode(&frame).ok()?))
        });
        if let Some(Some((socket, bytes))) = sent {
            socket.send(&bytes);
        }
    }

    /// Stops sharing through the current links: asks the relay to close the
    /// room; once it confirms, [`OpenWorkspace::renew_links`] moves the
    /// workspace to a new secret and room.
    pub fn stop_sharing(&self) -> Result<(), String> {
        if matches!(self.connection.get_untracked(), Connection::OtherTab) {
            return Err(
                "Another tab of this browser is connected to the relay for this \
                        workspace. Stop sharing from that tab, or close it and try again."
                    .to_owned(),
            );
        }
        let sent = self.with_live(|live, _| {
            if !live.can_write() {
                return Err(
                    "You opened this workspace with a read-only link: only editors can stop sharing."
                        .to_owned(),
                );
            }
            let frame = live.client.close_room().ok_or_else(|| {
                "Charter must be connected to the relay to stop sharing. Try again once it says \
                 “Up to date”."
                    .to_owned()
            })?;
            let bytes = encode(&frame).map_err(|e| e.to_string())?;
            let socket = live.socket.as_ref().ok_or_else(|| {
                "Charter must be connected to the relay to stop sharing.".to_owned()
            })?;
            socket.send(&bytes);
            Ok(())
        });
        match sent {
            None => Err("This workspace is not shared.".to_owned()),
            Some(Err(e)) => Err(e),
            Some(Ok(())) => {
                self.sharing.set(Sharing::Closing);
                Ok(())
            }
        }
    }

    /// The relay closed the old room: a new secret and room, links that
    /// carry the proof that they replace the old ones, and everything here
    /// sent to the new room.
    pub(crate) fn renew_links(&self) {
        let old = self
            .with_live(|live, _| ShareLink::parse_fragment(&live.settings.link).ok())
            .flatten();
        let Some(ShareLink::Editor { secret: old, relay }) = old else {
            return;
        };
        let secret = match WorkspaceSecret::generate() {
            Ok(secret) => secret,
            Err(e) => {
                self.sharing.set(Sharing::Failed(e.to_string()));
                return;
            }
        };
        let link = LinkWithMove::replacing(ShareLink::Editor { secret, relay }, &old);
        let settings = SyncSettings {
            link: link.fragment(),
            cursor: SyncCursor::default(),
        };
        self.stop_live();
        // Whoever was heard in the old room is not in the new one.
        self.forget_peers();
        match Live::new(settings.clone()) {
            Ok(live) => {
                self.set_sync_settings(settings);
                self.start_live(live);
                self.sharing.set(Sharing::Renewed);
            }
            Err(e) => self.sharing.set(Sharing::Failed(e)),
        }
    }

    pub(crate) fn stop_live(&self) {
        if let Some(Some(socket)) = self.with_live(|live, _| live.socket.take()) {
            socket.stop();
        }
        if let Some(Some(lock)) = self.with_live(|live, _| live.lock.take()) {
            lock.release();
        }
    }
}
