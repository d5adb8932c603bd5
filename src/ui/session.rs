//! An open workspace: the document, what has been stored of it, and the
//! reactive state the pages read. Commands go through [`OpenWorkspace::run`],
//! which refreshes the state and schedules a debounced save.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BroadcastChannel, MessageEvent};

use crate::storage::chunks::{Saver, load_chunks, merge_chunks};
use crate::storage::idb::{Database, StorageError, SyncSettings, WorkspaceEntry};
use crate::storage::journal;
use crate::sync::client::SyncCursor;
use crate::sync::crypto::WorkspaceSecret;
use crate::sync::link::{JoinPlan, LinkWithMove, MovePlan, ShareLink, plan_join, plan_move};
use crate::ui::live::{Connection, Live};
use crate::ui::now;
use crate::ui::state::WorkspaceState;
use crate::workspace::signing::DeviceKey;
use crate::workspace::{CommandError, Millis, WorkspaceDoc, id::new_id};

/// How long edits wait before being written, so a burst becomes one write.
const DEBOUNCE_MS: u32 = 100;
/// How long to wait before retrying a failed write.
const RETRY_MS: u32 = 3_000;
/// How long a tab waits for a sibling's save before reading missing changes
/// from storage.
const CATCH_UP_MS: u32 = 400;

/// Other tabs of this browser with the same workspace open: each change made
/// here is posted to them at once, so they show it without a reload.
struct Tabs {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// Whether the latest change is stored in this browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Everything is stored.
    Saved,
    /// A change is waiting to be written or being written.
    Saving,
    /// The last write failed; the change is kept in memory and retried.
    Failed(String),
}

struct Inner {
    doc: WorkspaceDoc,
    saver: Saver,
    /// A save is scheduled or under way.
    saving: bool,
    /// A flush is writing now.
    flushing: bool,
    /// `localStorage` copies of unsaved changes (see [`journal`]), removed
    /// once a flush has stored everything.
    journaled: Vec<String>,
    /// This browser's list entry for the workspace (name, sync settings).
    entry: WorkspaceEntry,
    /// The relay connection, once the workspace is shared or joined.
    live: Option<Live>,
}

/// A workspace opened in this tab.
#[derive(Clone, Copy)]
pub struct OpenWorkspace {
    id: StoredValue<String>,
    inner: StoredValue<Inner, LocalStorage>,
    db: StoredValue<Database, LocalStorage>,
    tabs: StoredValue<Option<Tabs>, LocalStorage>,
    /// The current state of the workspace, as the pages read it (by area and record).
    pub state: WorkspaceState,
    /// Whether the latest change is stored.
    pub save: RwSignal<SaveState>,
    /// Problems that stay until the person dismisses them (damaged stored
    /// data, a change that could not be opened).
    pub warnings: RwSignal<Vec<String>>,
    /// What the last change made here did, in words, for screen readers
    /// ("Recorded communication “…”"); typing in a long text is not announced.
    pub announcement: RwSignal<String>,
    /// Conditions with the relay that clear themselves when they end.
    pub notices: RwSignal<Vec<(Notice, String)>>,
    /// The connection to the relay, as the person sees it.
    pub connection: RwSignal<Connection>,
    /// Whether this participant may only read (opened through a read-only link).
    pub read_only: RwSignal<bool>,
    /// Where stopping sharing through the current links stands.
    pub sharing: RwSignal<crate::ui::live::Sharing>,
    /// The others here now, from their presence messages.
    pub peers: RwSignal<Vec<crate::sync::presence::Peer>>,
    /// The record this participant is editing, announced to the others.
    pub editing: RwSignal<Option<String>>,
    /// This participant's caret in a long text, announced to the others.
    pub caret: RwSignal<Option<crate::sync::presence::Caret>>,
    /// Who else is here, heard from the relay and from this browser's other tabs.
    pub(crate) roster: StoredValue<crate::sync::presence::Roster>,
    /// Repeats this tab's presence while the workspace is open.
    pub(crate) heartbeat: StoredValue<Option<gloo_timers::callback::Interval>, LocalStorage>,
    /// Whether a caret announcement is waiting for its throttle.
    pub(crate) presence_pending: StoredValue<bool>,
}

/// A passing condition with the relay, shown while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The relay refused a change (a limit, a rate); cleared once it is up to date again.
    Refused,
    /// The relay's answers could not be read; cleared by the next answer that can.
    Unreadable,
    /// The relay had less than this browser; cleared once it is up to date again.
    Behind,
    /// Someone announced changes this browser lacks although it is up to
    /// date; cleared once they arrive.
    Withheld,
}

/// What opening a share link came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined {
    /// The workspace, by its local id.
    Open(String),
    /// This browser has the workspace on another relay: the person chooses.
    AskRelay {
        /// The relay it syncs through now.
        current: String,
        /// The relay the link names.
        proposed: String,
    },
    /// The link replaces the links of a workspace this browser has (their
    /// sharing was stopped): the person agrees before it moves.
    AskMove {
        /// The workspace's name in this browser.
        name: String,
    },
}

/// Why a workspace could not be opened.
#[derive(Debug, Clone, thiserror::Error)]
pub enum OpenError {
    /// No workspace with that id is stored in this browser.
    #[error("This workspace is not stored in this browser.")]
    NotFound,
    /// The browser's storage failed.
    #[error("{0}")]
    Storage(#[from] StorageError),
    /// The stored data could be loaded but not read.
    #[error("{0}")]
    Unreadable(String),
}

impl OpenWorkspace {
    /// Creates a workspace, stores it, and lists it in this browser.
    pub async fn create(
        db: Database,
        organisation: &str,
        scope: &str,
        author: &str,
    ) -> Result<String, CommandError> {
        let created = now();
        let doc = WorkspaceDoc::create(organisation, scope, author, created)?;
        OpenWorkspace::store_new(db, doc, created).await
    }

    /// Makes this browser's key the new workspace's founding key, so every
    /// chain of key confirmations starts here; the key is kept once the
    /// workspace has its id.
    fn found(doc: &mut WorkspaceDoc, created: i64) -> Option<DeviceKey> {
        let key = DeviceKey::generate().ok()?;
        doc.set_device_key(Some(DeviceKey::from_secret_hex(&key.secret_hex())?));
        doc.claim_founder(created).ok()?;
        Some(key)
    }

    /// Creates the sample workspace ([`crate::workspace::sample`]) in this
    /// browser and returns its id. `progress` hears of each step as it
    /// starts, and the page paints it before the step runs whenever the last
    /// paint is more than [`PAINT_AFTER_MS`] old: on a slow computer every
    /// step shows; on a fast one the short steps do not wait for a frame.
    pub async fn create_sample(
        db: Database,
        author: &str,
        progress: impl Fn(SampleProgress),
    ) -> Result<String, CommandError> {
        use crate::workspace::sample::SampleBuild;
        let total = SampleBuild::STEPS.len() + 1;
        let mut painted = f64::NEG_INFINITY;
        let mut step = async |done: usize, what: &'static str| {
            progress(SampleProgress { done, total, what });
            if js_sys::Date::now() - painted > PAINT_AFTER_MS {
                after_next_paint().await;
                painted = js_sys::Date::now();
            }
        };
        crate::ui::mark("charter:sample-start");
        step(0, SampleBuild::STEPS[0]).await;
        let created = now();
        let mut build = SampleBuild::start(author, created)?;
        while let Some(what) = build.next_step() {
            step(build.steps_done(), what).await;
            build.advance()?;
        }
        crate::ui::mark("charter:sample-built");
        step(total - 1, SAVING_THE_SAMPLE).await;
        let id = OpenWorkspace::store_new(db, build.finish(), created).await?;
        crate::ui::mark("charter:sample-stored");
        Ok(id)
    }

    /// Adds a workspace published as a file next to the app (the three-year
    /// sample) to this browser: fetches it from `url`, checks that it is
    /// well-formed Automerge data, stores it as one snapshot and lists it as
    /// `name`. The document itself is read, and checked again, when it is opened.
    pub async fn create_from_file(db: Database, url: &str, name: &str) -> Result<String, String> {
        let bytes = fetch_bytes(url).await?;
        crate::storage::chunks::check_framing(&bytes).map_err(|why| {
            format!("The sample that came from the server cannot be used ({why}). Reload the page and try again.")
        })?;
        let created = now();
        let id = new_id(created);
        let chunk = crate::storage::chunks::StoredChunk {
            key: crate::storage::chunks::ChunkKey::of(
                crate::storage::chunks::ChunkKind::Snapshot,
                &bytes,
            ),
            bytes,
        };
        db.put_chunk(&id, &chunk).await.map_err(|e| e.to_string())?;
        let entry = WorkspaceEntry {
            id: id.clone(),
            name: name.to_owned(),
            created_at: created,
            sync: None,
        };
        db.put_workspace(&entry).await.map_err(|e| e.to_string())?;
        Ok(id)
    }

    /// Adds an imported workspace (already checked by
    /// [`crate::storage::backup::read_workspace`]) to this browser as a new
    /// one; returns its id.
    pub async fn import_new(
        db: Database,
        doc: automerge::AutoCommit,
        author: &str,
    ) -> Result<String, CommandError> {
        OpenWorkspace::store_new(db, WorkspaceDoc::from_automerge(doc, author), now()).await
    }

    /// Merges an imported copy of the workspace `id` into it: stored beside
    /// its chunks, so its next opening holds both sides' edits (and a shared
    /// workspace sends what was new to the relay). Returns how many changes
    /// the file brought that this browser lacked.
    pub async fn import_merge(
        db: Database,
        id: &str,
        mut doc: automerge::AutoCommit,
    ) -> Result<usize, String> {
        let chunks = db.load_chunks(id).await.map_err(|e| e.to_string())?;
        let mut existing = load_chunks(chunks).doc;
        crate::storage::backup::same_workspace(&existing, &doc).map_err(|e| e.to_string())?;
        // Automerge's merge names every change it looked at, new or not: count
        // the ones this browser lacks first.
        let incoming: Vec<automerge::ChangeHash> =
            doc.get_changes(&[]).iter().map(|c| c.hash()).collect();
        let new = incoming
            .iter()
            .filter(|hash| existing.get_change_by_hash(hash).is_none())
            .count();
        existing.merge(&mut doc).map_err(|e| e.to_string())?;
        if new > 0 {
            let bytes = doc.save();
            let chunk = crate::storage::chunks::StoredChunk {
                key: crate::storage::chunks::ChunkKey::of(
                    crate::storage::chunks::ChunkKind::Snapshot,
                    &bytes,
                ),
                bytes,
            };
            db.put_chunk(id, &chunk).await.map_err(|e| e.to_string())?;
        }
        Ok(new)
    }

    /// Writes a workspace made in this browser and adds it to the start
    /// page's list; returns its new local id.
    async fn store_new(
        db: Database,
        mut doc: WorkspaceDoc,
        created: i64,
    ) -> Result<String, CommandError> {
        let id = new_id(created);
        if let Some(key) = OpenWorkspace::found(&mut doc, created) {
            crate::storage::keys::keep_device_key(&id, &key);
        }
        let mut saver = Saver::default();
        let storage_failed = |e: StorageError| CommandError::Document(e.to_string());
        if let Some(write) = saver.next_write(doc.automerge()) {
            db.write(&id, &write).await.map_err(storage_failed)?;
            saver.written(write);
        }
        let name = doc.meta()?.organisation;
        let entry = WorkspaceEntry {
            id: id.clone(),
            name,
            created_at: created,
            sync: None,
        };
        db.put_workspace(&entry).await.map_err(storage_failed)?;
        Ok(id)
    }

    /// Adds the workspace a share link points at to this browser (or finds it,
    /// if it was joined before) and returns its local id. Its contents arrive
    /// from the relay once it is opened. A link for a workspace this browser
    /// has on another relay changes nothing until the person chooses
    /// (`chosen_relay`): [`Joined::AskRelay`] says both addresses.
    pub async fn join(
        db: Database,
        moved: &LinkWithMove,
        chosen_relay: Option<&str>,
        allow_move: bool,
    ) -> Result<Joined, StorageError> {
        let link = &moved.link;
        let room = link_room(link);
        let entries = db.workspaces().await?;
        // A new link for a workspace whose earlier links were stopped: the
        // copy here (with whatever was not sent yet) carries over to it.
        for entry in &entries {
            let Some(stored) = entry
                .sync
                .as_ref()
                .and_then(|s| ShareLink::parse_fragment(&s.link).ok())
            else {
                continue;
            };
            if let MovePlan::Move { link: next, .. } = plan_move(&stored, moved) {
                if !allow_move {
                    return Ok(Joined::AskMove {
                        name: entry.name.clone(),
                    });
                }
                let mut entry = entry.clone();
                entry.sync = Some(SyncSettings {
                    link: next.fragment(),
                    cursor: SyncCursor::default(),
                });
                db.put_workspace(&entry).await?;
                return Ok(Joined::Open(entry.id));
            }
        }
        for entry in entries {
            let Some(stored) = entry
                .sync
                .as_ref()
                .and_then(|s| ShareLink::parse_fragment(&s.link).ok())
                .filter(|stored| link_room(stored) == room)
            else {
                continue;
            };
            match plan_join(&stored, link, chosen_relay) {
                JoinPlan::Open => {}
                JoinPlan::Store(next) => {
                    let mut entry = entry.clone();
                    if let Some(sync) = entry.sync.as_mut() {
                        sync.link = next.fragment();
                    }
                    db.put_workspace(&entry).await?;
                }
                JoinPlan::AskRelay { current, proposed } => {
                    return Ok(Joined::AskRelay { current, proposed });
                }
            }
            return Ok(Joined::Open(entry.id));
        }
        let created = now();
        let entry = WorkspaceEntry {
            id: new_id(created),
            name: "Shared workspace".to_owned(),
            created_at: created,
            sync: Some(SyncSettings {
                link: link.fragment(),
                cursor: SyncCursor::default(),
            }),
        };
        db.put_workspace(&entry).await?;
        Ok(Joined::Open(entry.id))
    }

    /// Loads a workspace from this browser's storage.
    pub async fn open(db: Database, id: &str, author: &str) -> Result<OpenWorkspace, OpenError> {
        let entry = db.workspace(id).await?;
        let chunks = db.load_chunks(id).await?;
        // A joined workspace starts empty and fills from the relay.
        let joined = entry.as_ref().is_some_and(|e| e.sync.is_some());
        if chunks.is_empty() && !joined {
            return Err(OpenError::NotFound);
        }
        let entry = entry.unwrap_or_else(|| WorkspaceEntry {
            id: id.to_owned(),
            name: String::new(),
            created_at: now(),
            sync: None,
        });
        crate::ui::mark("charter:chunks-read");
        let mut loaded = load_chunks(chunks);
        // Changes a tab copied as it closed, which may not have reached IndexedDB.
        let mut journaled = Vec::new();
        for (key, changes) in journal::read(id) {
            match changes {
                Some(bytes) if loaded.doc.load_incremental(&bytes).is_ok() => journaled.push(key),
                _ => journal::remove(&key),
            }
        }
        let unsaved = loaded.saver.is_dirty(&mut loaded.doc);
        crate::ui::mark("charter:doc-loaded");
        let mut doc = WorkspaceDoc::from_automerge(loaded.doc, author);
        // Readers cannot write, so they have nothing to sign with.
        let reader = entry.sync.as_ref().is_some_and(|s| {
            matches!(
                ShareLink::parse_fragment(&s.link),
                Ok(ShareLink::Reader { .. })
            )
        });
        if !reader {
            doc.set_device_key(crate::storage::keys::device_key(id));
        }
        // The one whole read: from here on, only what patches name is read again.
        let mut state = crate::workspace::Workspace::default();
        doc.read_touched(
            &mut state,
            &crate::workspace::changes::Touched::everything(),
        )
        .map_err(|e| OpenError::Unreadable(e.to_string()))?;
        crate::ui::mark("charter:state-read");
        doc.track_changes();
        let warnings = if loaded.damaged.is_empty() {
            Vec::new()
        } else {
            vec![format!(
                "{} piece{} of this workspace's saved data {} damaged and could not be read. \
                 Everything else opened normally; the damaged data was left untouched.",
                loaded.damaged.len(),
                if loaded.damaged.len() == 1 { "" } else { "s" },
                if loaded.damaged.len() == 1 {
                    "is"
                } else {
                    "are"
                },
            )]
        };
        let this = OpenWorkspace {
            id: StoredValue::new(id.to_owned()),
            inner: StoredValue::new_local(Inner {
                doc,
                saver: loaded.saver,
                saving: false,
                flushing: false,
                journaled,
                entry: entry.clone(),
                live: None,
            }),
            db: StoredValue::new_local(db),
            tabs: StoredValue::new_local(None),
            state: WorkspaceState::new(state),
            save: RwSignal::new(SaveState::Saved),
            warnings: RwSignal::new(warnings),
            announcement: RwSignal::new(String::new()),
            notices: RwSignal::new(Vec::new()),
            connection: RwSignal::new(Connection::LocalOnly),
            read_only: RwSignal::new(false),
            sharing: RwSignal::new(Default::default()),
            peers: RwSignal::new(Vec::new()),
            editing: RwSignal::new(None),
            caret: RwSignal::new(None),
            roster: StoredValue::new(Default::default()),
            heartbeat: StoredValue::new_local(None),
            presence_pending: StoredValue::new(false),
        };
        this.join_tabs();
        this.start_presence();
        // Stores what the copies brought (and then removes them); copies of
        // changes already stored are removed by the same flush.
        if unsaved || this.inner.with_value(|inner| !inner.journaled.is_empty()) {
            this.schedule_save();
        }
        if let Some(settings) = entry.sync {
            match Live::new(settings) {
                Ok(live) => this.start_live(live),
                Err(e) => this.warn(e),
            }
        }
        Ok(this)
    }

    /// Shares the workspace through the relay at `relay` (a web address):
    /// creates its keys, stores them in this browser and starts syncing.
    pub fn share(&self, relay: &str) -> Result<(), String> {
        if self.with_live(|_, _| ()).is_some() {
            return Ok(());
        }
        let secret = WorkspaceSecret::generate().map_err(|e| e.to_string())?;
        let link = ShareLink::Editor {
            secret,
            relay: relay.to_owned(),
        };
        let url = link.to_url("");
        let fragment = url
            .split_once('#')
            .map(|(_, f)| f.to_owned())
            .unwrap_or_default();
        let settings = SyncSettings {
            link: fragment,
            cursor: SyncCursor::default(),
        };
        let live = Live::new(settings.clone())?;
        self.inner
            .update_value(|inner| inner.entry.sync = Some(settings));
        self.persist_entry();
        self.start_live(live);
        Ok(())
    }

    /// The links this participant may hand on (editor, read-only), once shared.
    pub fn share_links(&self, app_origin: &str) -> Option<(Option<String>, String)> {
        self.with_live(|live, _| live.share_links(app_origin))
    }

    /// Runs `f` on the sync state and the document, if the workspace syncs.
    pub(crate) fn with_live<R>(
        &self,
        f: impl FnOnce(&mut Live, &mut automerge::AutoCommit) -> R,
    ) -> Option<R> {
        self.inner
            .try_update_value(|inner| {
                let Inner { doc, live, .. } = inner;
                live.as_mut().map(|live| f(live, doc.automerge()))
            })
            .flatten()
    }

    pub(crate) fn set_live(&self, live: Option<Live>) {
        self.inner.update_value(|inner| inner.live = live);
    }

    /// Shows a problem to the person (once per distinct message).
    pub(crate) fn warn(&self, message: String) {
        self.warnings.update(|w| {
            if !w.contains(&message) {
                w.push(message);
            }
        });
    }

    /// Shows a passing condition (replacing an earlier one of its kind).
    pub(crate) fn notice(&self, kind: Notice, message: String) {
        self.notices.update(|n| {
            n.retain(|(k, _)| *k != kind);
            n.push((kind, message));
        });
    }

    /// The condition `kind` has ended.
    pub(crate) fn clear_notice(&self, kind: Notice) {
        if self
            .notices
            .with_untracked(|n| n.iter().any(|(k, _)| *k == kind))
        {
            self.notices.update(|n| n.retain(|(k, _)| *k != kind));
        }
    }

    /// The person has read the warning `message` and put it away.
    pub fn dismiss(&self, message: &str) {
        self.warnings.update(|w| w.retain(|m| m != message));
    }

    /// Stores new sync settings for the workspace (its links were renewed).
    pub(crate) fn set_sync_settings(&self, settings: SyncSettings) {
        self.inner
            .update_value(|inner| inner.entry.sync = Some(settings));
        self.persist_entry();
    }

    fn persist_entry(&self) {
        let db = self.db.get_value();
        let entry = self.inner.with_value(|inner| inner.entry.clone());
        leptos::task::spawn_local(async move {
            // The entry is also rewritten after every save; a failure shows there.
            let _ = db.put_workspace(&entry).await;
        });
    }

    /// Stops syncing and listening to sibling tabs; called when the page closes the workspace.
    pub fn close(&self) {
        // What is not stored yet is written now, and copied to the journal
        // at once, which the next opening reads: a debounced write may not
        // outlive the page that scheduled it.
        self.save_now();
        self.send_presence(true);
        self.heartbeat.try_set_value(None);
        self.stop_live();
        if let Some(tabs) = self.tabs.try_update_value(Option::take).flatten() {
            tabs.channel.close();
        }
    }

    fn join_tabs(&self) {
        let Ok(channel) = BroadcastChannel::new(&format!("charter:{}", self.id.get_value())) else {
            // Without BroadcastChannel, tabs still converge through storage on reload.
            return;
        };
        let this = *self;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if this.tab_message(&data) {
                return;
            }
            if let Ok(bytes) = data.dyn_into::<Uint8Array>() {
                this.receive_from_tab(&bytes.to_vec());
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        self.tabs.set_value(Some(Tabs {
            channel,
            _on_message: on_message,
        }));
    }

    /// Applies a change posted by a sibling tab. If it builds on changes this
    /// tab has not seen yet, they are read from storage once the sibling has
    /// saved them.
    fn receive_from_tab(&self, bytes: &[u8]) {
        if crate::storage::chunks::check_framing(bytes).is_err() {
            return;
        }
        let (mut missing, mut changed) = (false, false);
        self.inner.update_value(|inner| {
            let doc = inner.doc.automerge();
            let before = doc.get_heads();
            if doc.load_incremental(bytes).is_ok() {
                missing = !doc.get_missing_deps(&[]).is_empty();
                changed = doc.get_heads() != before;
            }
        });
        self.refresh();
        if changed {
            // The sibling saves it too; storing it here as well means a tab
            // closed within the debounce cannot lose it.
            self.schedule_save();
            // If this tab is the one connected to the relay, it pushes for its siblings.
            self.push_if_connected();
        }
        if missing {
            let this = *self;
            leptos::task::spawn_local(async move {
                TimeoutFuture::new(CATCH_UP_MS).await;
                let db = this.db.get_value();
                let Ok(chunks) = db.load_chunks(&this.id.get_value()).await else {
                    return;
                };
                this.inner.update_value(|inner| {
                    merge_chunks(inner.doc.automerge(), chunks);
                });
                this.refresh();
            });
        }
    }

    /// Whether the workspace's contents are here (always, unless it was just
    /// joined and nothing has come from the relay yet).
    pub fn has_arrived(&self) -> bool {
        self.state
            .untracked(|s| s.meta.created_at != 0 || !s.meta.organisation.is_empty())
    }

    /// The display name this session records and announces.
    pub(crate) fn author_name(&self) -> String {
        self.inner.with_value(|inner| inner.doc.author().to_owned())
    }

    /// This browser's signing key for the workspace (public, hex), if it has one.
    pub fn device_public(&self) -> Option<String> {
        self.inner
            .try_with_value(|inner| inner.doc.device_public())
            .flatten()
    }

    /// This workspace's local id.
    pub(crate) fn id(&self) -> String {
        self.id.get_value()
    }

    /// This browser's database.
    pub(crate) fn database(&self) -> Database {
        self.db.get_value()
    }

    /// Posts changes (Automerge bytes) to sibling tabs.
    pub(crate) fn post_to_tabs(&self, bytes: &[u8]) {
        self.post_to_tabs_value(&Uint8Array::from(bytes).into());
    }

    /// Posts a message to sibling tabs.
    pub(crate) fn post_to_tabs_value(&self, message: &wasm_bindgen::JsValue) {
        self.tabs.try_with_value(|tabs| {
            if let Some(tabs) = tabs {
                // A tab that cannot post still saves; siblings then see it on reload.
                let _ = tabs.channel.post_message(message);
            }
        });
    }

    /// This tab's session: its Automerge actor id, in hex.
    pub(crate) fn session(&self) -> Option<String> {
        self.inner.try_with_value(|inner| inner.doc.actor())
    }

    /// Posts this session's latest change to sibling tabs.
    fn tell_tabs(&self) {
        let mut change = None;
        self.inner.update_value(|inner| {
            change = inner
                .doc
                .automerge()
                .get_last_local_change()
                .map(|c| c.raw_bytes().to_vec());
        });
        if let Some(change) = change {
            self.post_to_tabs(&change);
        }
    }

    /// Brings the state up to date after the document changed (a command, a
    /// sibling tab, the relay): reads again only the records the patches name,
    /// and tells only their readers.
    pub(crate) fn refresh(&self) {
        let state = self.state;
        let mut outcome = None;
        self.inner.update_value(|inner| {
            let touched = inner.doc.take_changes();
            if !touched.is_empty() {
                let read = state.update(|data| inner.doc.read_touched(data, &touched));
                outcome = Some((touched, read));
            }
        });
        match outcome {
            Some((touched, Some(Ok(())))) => self.state.notify(&touched),
            Some((touched, Some(Err(e)))) => {
                // What could be read is shown; the rest stays as it was.
                self.state.notify(&touched);
                self.warn(e.to_string());
            }
            _ => {}
        }
    }

    /// Whether the document holds the change `hash` (true once the workspace
    /// is closed: nothing is missing from a closed workspace).
    pub(crate) fn has_change(&self, hash: &automerge::ChangeHash) -> bool {
        self.inner
            .try_update_value(|inner| inner.doc.automerge().get_change_by_hash(hash).is_some())
            .unwrap_or(true)
    }

    /// The document's heads now (what the state shows).
    pub fn heads(&self) -> Vec<automerge::ChangeHash> {
        self.inner
            .try_update_value(|inner| inner.doc.heads())
            .unwrap_or_default()
    }

    /// Starts writing what is not stored yet at once, without waiting for the
    /// debounce (the page is being hidden or closed), and copies it to
    /// `localStorage` synchronously in case the page goes before the write
    /// ends.
    pub fn save_now(&self) {
        // Also called while the page is being taken down: a value already
        // gone means there is nothing left to save.
        let Some(id) = self.id.try_get_value() else {
            return;
        };
        let urgent = self.inner.try_update_value(|inner| {
            if inner.saver.is_dirty(inner.doc.automerge()) {
                let key = journal::key(&id, &inner.doc.actor());
                let changes = inner.saver.unsaved(inner.doc.automerge());
                if journal::put(&key, &changes) && !inner.journaled.contains(&key) {
                    inner.journaled.push(key);
                }
            }
            if !inner.saving {
                None
            } else if inner.flushing {
                // A flush is waiting on the database and may not get to the
                // newest changes before the page goes: write them beside it.
                inner.saver.urgent_write(inner.doc.automerge()).map(Some)
            } else {
                Some(None)
            }
        });
        let this = *self;
        match urgent.flatten() {
            Some(Some(write)) => leptos::task::spawn_local(async move {
                let db = this.db.get_value();
                // On failure the running flush still writes these changes.
                if db.write(&this.id.get_value(), &write).await.is_ok() {
                    this.inner.update_value(|inner| inner.saver.written(write));
                }
            }),
            Some(None) => leptos::task::spawn_local(async move { this.flush().await }),
            None => {}
        }
    }

    /// Reads from the document without changing it (allowed for readers too),
    /// such as a policy's text at the heads of an approval.
    pub fn read_doc<T>(
        &self,
        read: impl FnOnce(&WorkspaceDoc) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        self.inner
            .try_with_value(|inner| read(&inner.doc))
            .unwrap_or_else(|| Err(CommandError::Document("the workspace is closed".into())))
    }

    /// Runs `f` on the document itself, for what reads its history (the
    /// history page, the workspace as of a change); nothing is committed.
    pub fn with_doc_mut<R>(&self, f: impl FnOnce(&mut WorkspaceDoc) -> R) -> Option<R> {
        self.inner.try_update_value(|inner| f(&mut inner.doc))
    }

    /// The whole workspace as one standard Automerge document (for export).
    pub fn export_bytes(&self) -> Vec<u8> {
        self.inner
            .try_update_value(|inner| inner.doc.automerge().save())
            .unwrap_or_default()
    }

    /// Runs a command as `author`; on success refreshes the state and
    /// schedules a save. A failed command changes nothing.
    pub fn run<T>(
        &self,
        author: &str,
        command: impl FnOnce(&mut WorkspaceDoc, Millis) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        self.run_with(author, true, command)
    }

    /// [`OpenWorkspace::run`] without announcing the change: for typing in
    /// a long text, where every keystroke is a change.
    pub fn run_quietly<T>(
        &self,
        author: &str,
        command: impl FnOnce(&mut WorkspaceDoc, Millis) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        self.run_with(author, false, command)
    }

    fn run_with<T>(
        &self,
        author: &str,
        announce: bool,
        command: impl FnOnce(&mut WorkspaceDoc, Millis) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        if self.read_only.get_untracked() {
            return Err(CommandError::ReadOnly);
        }
        if !self.has_arrived() {
            return Err(CommandError::NotArrived);
        }
        let mut outcome = None;
        self.inner.update_value(|inner| {
            inner.doc.set_author(author);
            let before = inner.doc.automerge().get_heads();
            let result = command(&mut inner.doc, now());
            let changed = inner.doc.automerge().get_heads() != before;
            let said = (changed && announce)
                .then(|| inner.doc.automerge().get_last_local_change())
                .flatten()
                .and_then(|change| change.message().map(str::to_owned));
            outcome = Some((result, changed, said));
        });
        let Some((result, changed, said)) = outcome else {
            return Err(CommandError::Document("the workspace is closed".into()));
        };
        if let Some(said) = said {
            // The same words twice in a row would not be read again: the
            // second time they end with a no-break space.
            let said = format!("{said}.");
            self.announcement.update(|last| {
                *last = if *last == said {
                    format!("{said}\u{a0}")
                } else {
                    said
                };
            });
        }
        if changed {
            self.refresh();
            self.tell_tabs();
            self.schedule_save();
            self.push_if_connected();
        }
        result
    }

    /// Keeps this browser's workspace list in step with the organisation name.
    pub fn update_listing(&self) {
        let name = self.state.untracked(|s| s.meta.organisation.clone());
        if name.is_empty() {
            return;
        }
        let mut changed = false;
        self.inner.update_value(|inner| {
            changed = inner.entry.name != name;
            inner.entry.name = name;
        });
        if changed {
            self.persist_entry();
        }
    }

    pub(crate) fn schedule_save(&self) {
        self.save.set(SaveState::Saving);
        let mut already_saving = false;
        self.inner.update_value(|inner| {
            already_saving = inner.saving;
            inner.saving = true;
        });
        if already_saving {
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            TimeoutFuture::new(DEBOUNCE_MS).await;
            this.flush().await;
        });
    }

    /// Writes until everything is stored, retrying failed writes, so an edit
    /// is never dropped silently.
    async fn flush(self) {
        let started = self
            .inner
            .try_update_value(|inner| !std::mem::replace(&mut inner.flushing, true));
        if started != Some(true) {
            // Another flush is writing; it goes on until everything is stored.
            return;
        }
        let db = self.db.get_value();
        let id = self.id.get_value();
        let mut cursor = None;
        loop {
            let mut write = None;
            self.inner.update_value(|inner| {
                write = inner.saver.next_write(inner.doc.automerge());
                // Captured with the write: this cursor covers only what it stores.
                cursor = inner.live.as_ref().map(Live::cursor);
                if write.is_none() {
                    // Everything is stored: the last-moment copies are not needed.
                    for key in inner.journaled.drain(..) {
                        journal::remove(&key);
                    }
                }
            });
            let Some(write) = write else { break };
            match db.write(&id, &write).await {
                Ok(()) => self.inner.update_value(|inner| inner.saver.written(write)),
                Err(e) => {
                    self.save.set(SaveState::Failed(e.to_string()));
                    TimeoutFuture::new(RETRY_MS).await;
                }
            }
        }
        self.inner.update_value(|inner| {
            inner.saving = false;
            inner.flushing = false;
        });
        self.save.set(SaveState::Saved);
        if let Some(cursor) = cursor {
            self.store_cursor(cursor).await;
        }
    }

    /// Remembers how far the relay's log has been read and stored, so a
    /// reload resumes from there.
    async fn store_cursor(&self, cursor: SyncCursor) {
        let mut entry = None;
        self.inner.update_value(|inner| {
            if let (Some(sync), Some(live)) = (inner.entry.sync.as_mut(), inner.live.as_ref())
                && sync.cursor != cursor
            {
                *sync = live.settings_with(cursor);
                entry = Some(inner.entry.clone());
            }
        });
        if let Some(entry) = entry
            && let Err(e) = self.db.get_value().put_workspace(&entry).await
        {
            self.save.set(SaveState::Failed(e.to_string()));
        }
    }
}

/// The body of a GET of `url` on this origin, or a message for the person.
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen_futures::JsFuture;
    let unreachable =
        || "The sample could not be downloaded. Check the connection and try again.".to_owned();
    let window = web_sys::window().ok_or_else(unreachable)?;
    let fetch: Function = Reflect::get(&window, &"fetch".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(unreachable)?;
    let promise: Promise = fetch
        .call1(&window, &url.into())
        .ok()
        .and_then(|p| p.dyn_into().ok())
        .ok_or_else(unreachable)?;
    let response = JsFuture::from(promise).await.map_err(|_| unreachable())?;
    let ok = Reflect::get(&response, &"ok".into())
        .ok()
        .and_then(|v| v.as_bool());
    if ok != Some(true) {
        return Err(
            "The sample is not available from this server (it is made by the build).".to_owned(),
        );
    }
    let read: Function = Reflect::get(&response, &"arrayBuffer".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(unreachable)?;
    let buffer = read
        .call0(&response)
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())
        .ok_or_else(unreachable)?;
    let buffer = JsFuture::from(buffer).await.map_err(|_| unreachable())?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn link_room(link: &ShareLink) -> crate::sync::protocol::RoomId {
    match link {
        ShareLink::Editor { secret, .. } => secret.room_id(),
        ShareLink::Reader { keys, .. } => keys.room,
    }
}

/// How old the last paint may be before a step of preparing the sample
/// waits for a new one: about three frames.
const PAINT_AFTER_MS: f64 = 50.0;

/// The last step of preparing the sample, after [`crate::workspace::sample::SampleBuild::STEPS`].
const SAVING_THE_SAMPLE: &str = "Saving it in this browser";

/// How far preparing the sample workspace has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleProgress {
    /// Steps finished.
    pub done: usize,
    /// Steps in all.
    pub total: usize,
    /// What the step now running does, in plain words.
    pub what: &'static str,
}

/// Resolves once the browser has painted what changed, so a long job split
/// in steps shows its progress: the next animation frame, then a timer, which
/// runs after that frame's paint (a bare timer does not: Chromium ran the
/// steps back to back and painted only at the end). In a tab the browser does
/// not paint, a 100 ms timer stands in for the frame, so the job never stalls.
async fn after_next_paint() {
    let frame = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(&resolve);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
    TimeoutFuture::new(0).await;
}
