//! An open workspace: the document, what has been stored of it, and the
//! reactive state the pages read. Commands go through [`OpenWorkspace::run`],
//! which refreshes the state and schedules a debounced save.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;

use crate::storage::chunks::{Saver, load_chunks};
use crate::storage::idb::{Database, StorageError, WorkspaceEntry};
use crate::ui::now;
use crate::workspace::{CommandError, Millis, Workspace, WorkspaceDoc, id::new_id};

/// How long edits wait before being written, so a burst becomes one write.
const DEBOUNCE_MS: u32 = 100;
/// How long to wait before retrying a failed write.
const RETRY_MS: u32 = 3_000;

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
    saving: bool,
}

/// A workspace opened in this tab.
#[derive(Clone, Copy)]
pub struct OpenWorkspace {
    id: StoredValue<String>,
    inner: StoredValue<Inner, LocalStorage>,
    db: StoredValue<Database, LocalStorage>,
    /// The current state of the workspace, as the pages read it.
    pub state: RwSignal<Workspace>,
    /// Whether the latest change is stored.
    pub save: RwSignal<SaveState>,
    /// Problems found while opening (damaged stored data), for the person to see.
    pub warnings: RwSignal<Vec<String>>,
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
        let mut doc = WorkspaceDoc::create(organisation, scope, author, created)?;
        let id = new_id(created);
        let mut saver = Saver::default();
        let storage_failed = |e: StorageError| CommandError::Document(e.to_string());
        if let Some(write) = saver.next_write(doc.automerge()) {
            db.write(&id, &write).await.map_err(storage_failed)?;
            saver.written(write);
        }
        let name = doc.read()?.meta.organisation;
        let entry = WorkspaceEntry {
            id: id.clone(),
            name,
            created_at: created,
        };
        db.put_workspace(&entry).await.map_err(storage_failed)?;
        Ok(id)
    }

    /// Loads a workspace from this browser's storage.
    pub async fn open(db: Database, id: &str, author: &str) -> Result<OpenWorkspace, OpenError> {
        let chunks = db.load_chunks(id).await?;
        if chunks.is_empty() {
            return Err(OpenError::NotFound);
        }
        let loaded = load_chunks(chunks);
        let doc = WorkspaceDoc::from_automerge(loaded.doc, author);
        let state = doc
            .read()
            .map_err(|e| OpenError::Unreadable(e.to_string()))?;
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
        Ok(OpenWorkspace {
            id: StoredValue::new(id.to_owned()),
            inner: StoredValue::new_local(Inner {
                doc,
                saver: loaded.saver,
                saving: false,
            }),
            db: StoredValue::new_local(db),
            state: RwSignal::new(state),
            save: RwSignal::new(SaveState::Saved),
            warnings: RwSignal::new(warnings),
        })
    }

    /// Runs a command as `author`; on success refreshes the state and
    /// schedules a save. A failed command changes nothing.
    pub fn run<T>(
        &self,
        author: &str,
        command: impl FnOnce(&mut WorkspaceDoc, Millis) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let mut outcome = None;
        self.inner.update_value(|inner| {
            inner.doc.set_author(author);
            let result = command(&mut inner.doc, now());
            let state = result.as_ref().ok().map(|_| inner.doc.read());
            outcome = Some((result, state));
        });
        let Some((result, state)) = outcome else {
            return Err(CommandError::Document("the workspace is closed".into()));
        };
        match state {
            Some(Ok(state)) => {
                self.state.set(state);
                self.schedule_save();
            }
            Some(Err(e)) => self.warnings.update(|w| w.push(e.to_string())),
            None => {}
        }
        result
    }

    /// Keeps this browser's workspace list in step with the organisation name.
    pub fn update_listing(&self) {
        let db = self.db.get_value();
        let id = self.id.get_value();
        let state = self.state.get_untracked();
        leptos::task::spawn_local(async move {
            let entry = WorkspaceEntry {
                id,
                name: state.meta.organisation.clone(),
                created_at: state.meta.created_at,
            };
            // The listing is a convenience; the workspace itself is already stored.
            let _ = db.put_workspace(&entry).await;
        });
    }

    fn schedule_save(&self) {
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
        let db = self.db.get_value();
        let id = self.id.get_value();
        loop {
            let mut write = None;
            self.inner
                .update_value(|inner| write = inner.saver.next_write(inner.doc.automerge()));
            let Some(write) = write else { break };
            match db.write(&id, &write).await {
                Ok(()) => self.inner.update_value(|inner| inner.saver.written(write)),
                Err(e) => {
                    self.save.set(SaveState::Failed(e.to_string()));
                    TimeoutFuture::new(RETRY_MS).await;
                }
            }
        }
        self.inner.update_value(|inner| inner.saving = false);
        self.save.set(SaveState::Saved);
    }
}
