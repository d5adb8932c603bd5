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
use crate::sync::link::{ShareLink, websocket_url};
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
    /// The relay cannot be reached; work goes on and syncs later.
    Offline {
        /// Why, in words for the person.
        reason: String,
        /// When the workspace was last up to date, if ever.
        last: Option<i64>,
    },
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

    /// Starts over from `cursor` (read afresh when this tab takes over from another).
    fn resume(&mut self, cursor: SyncCursor) {
        let keys = match ShareLink::parse_fragment(&self.settings.link) {
            Ok(ShareLink::Editor { secret, .. }) => SyncKeys::editor(&secret),
            Ok(ShareLink::Reader { keys, .. }) => SyncKeys::reader(&keys),
            Err(_) => return,
        };
        self.settings.cursor = cursor.clone();
        self.client = SyncClient::new(keys, cursor, CHANNEL);
    }

    /// The cursor as it stands now.
    pub fn cursor(&self) -> SyncCursor {
        self.client.cursor().clone()
    }

    /// The links this participant may hand on: both for an editor, the
    /// read-only one for a reader.
    pub fn share_links(&self, app_origin: &str) -> (Option<String>, String) {
        match ShareLink::parse_fragment(&self.settings.link) {
            Ok(ShareLink::Editor { secret, relay }) => {
                let reader = ShareLink::Reader {
                    keys: secret.read_keys(),
                    relay: relay.clone(),
                };
                let editor = ShareLink::Editor { secret, relay };
                (Some(editor.to_url(app_origin)), reader.to_url(app_origin))
            }
            Ok(reader @ ShareLink::Reader { .. }) => (None, reader.to_url(app_origin)),
            Err(_) => (None, String::new()),
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
                // Wired to the share page with "Stop sharing" (issue 9, point 11).
                SyncEvent::RoomClosed { .. } | SyncEvent::CloseRefused { .. } => {}
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
            (status, live.last_synced)
        });
        if let Some((status, last)) = status {
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
                this.with_live(|live, _| live.resume(sync.cursor));
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

    pub(crate) fn stop_live(&self) {
        if let Some(Some(socket)) = self.with_live(|live, _| live.socket.take()) {
            socket.stop();
        }
        if let Some(Some(lock)) = self.with_live(|live, _| live.lock.take()) {
            lock.release();
        }
    }
}
