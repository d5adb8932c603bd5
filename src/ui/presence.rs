//! Who is here, from every tab: each tab announces itself (its name, the
//! record it edits, its caret in a long text) to this browser's other tabs
//! over the BroadcastChannel, and the tab that holds the relay connection
//! passes announcements both ways between the relay and its siblings.

use js_sys::{Array, Uint8Array};
use leptos::prelude::*;

use crate::sync::presence::{HEARTBEAT_MS, MAX_HEADS, Presence};
use crate::ui::live::Connection;
use crate::ui::now;
use crate::ui::session::{Notice, OpenWorkspace};

/// A caret moving while someone types is announced at most this often (ms).
const CARET_THROTTLE_MS: u32 = 60;

/// The kinds of message on the tabs' channel besides changes (which travel
/// as bare bytes).
const PRESENCE: &str = "presence";

/// Where a presence message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heard {
    /// A sibling tab of this browser (its own, or one the tab holding the
    /// connection passed on after checking it), with whether an editor sent it.
    Tab {
        /// An editor's.
        editor: bool,
    },
    /// The relay; `editor` when it carried the workspace key's signature.
    Relay {
        /// Signed: an editor's.
        editor: bool,
    },
}
const ANNOUNCE: &str = "announce";

impl OpenWorkspace {
    /// Starts this tab's heartbeat: it repeats its presence and lets silent
    /// participants fade.
    pub(crate) fn start_presence(&self) {
        let this = *self;
        let heartbeat = gloo_timers::callback::Interval::new(HEARTBEAT_MS as u32, move || {
            this.send_presence(false);
            if this.roster.try_update_value(|r| r.fade(now())) == Some(true) {
                this.show_peers();
            }
            this.check_withheld();
        });
        self.heartbeat.set_value(Some(heartbeat));
        self.send_presence(false);
    }

    /// Tells the others who this participant is and what they are editing:
    /// this browser's other tabs directly, the relay through the tab that
    /// holds the connection.
    pub fn send_presence(&self, left: bool) {
        let Some(session) = self.session() else {
            return;
        };
        let presence = Presence {
            session,
            name: self.author_name(),
            editing: self.editing.try_get_untracked().flatten(),
            left,
            caret: self.caret.try_get_untracked().flatten(),
            heads: self
                .heads()
                .iter()
                .take(MAX_HEADS)
                .map(ToString::to_string)
                .collect(),
            key: self.device_public().unwrap_or_default(),
            editor: false,
        };
        let payload = presence.encode();
        // Siblings share this tab's keys: an editor's tabs are editors.
        let editor = !self.read_only.get_untracked();
        self.post_presence_to_tabs(&payload, editor);
        self.presence_to_relay(&payload);
    }

    /// Announces a moved caret soon, at most every [`CARET_THROTTLE_MS`].
    pub fn send_presence_soon(&self) {
        if self.presence_pending.get_value() {
            return;
        }
        self.presence_pending.set_value(true);
        let this = *self;
        gloo_timers::callback::Timeout::new(CARET_THROTTLE_MS, move || {
            if this.presence_pending.try_set_value(false).is_none() {
                this.send_presence(false);
            }
        })
        .forget();
    }

    /// Takes in a presence message, from the relay or from a sibling tab.
    pub(crate) fn heard_presence(&self, payload: &[u8], heard: Heard) {
        let Some(mut presence) = Presence::decode(payload) else {
            return;
        };
        if Some(&presence.session) == self.session().as_ref() {
            return;
        }
        let editor = match heard {
            Heard::Tab { editor } | Heard::Relay { editor } => editor,
        };
        // A reader's: only who is here counts, for siblings too.
        if !editor {
            presence = presence.as_reader();
        }
        presence.editor = editor;
        if editor && !presence.key.is_empty() {
            crate::storage::keys::saw(&self.id(), std::slice::from_ref(&presence.key), now());
        }
        match heard {
            // A sibling's own announcement (or one the tab holding the
            // connection checked): on to the relay, if this tab holds it.
            Heard::Tab { .. } => self.presence_to_relay(payload),
            // From the relay: the siblings hear it through this tab.
            Heard::Relay { .. } => self.post_presence_to_tabs(&presence.encode(), editor),
        }
        let session = presence.session.clone();
        let Some((changed, newcomer)) = self.roster.try_update_value(|roster| {
            let known = roster.knows(&session);
            let changed = roster.heard(presence, now());
            // A newcomer the roster took in (not one beyond its cap) is answered.
            (changed, !known && roster.knows(&session))
        }) else {
            return;
        };
        if changed {
            self.show_peers();
            self.check_withheld();
        }
        if newcomer {
            // Answer a newcomer at once rather than at the next heartbeat.
            self.send_presence(false);
        }
    }

    /// Asks this browser's other tabs to announce themselves now (this tab
    /// just connected to the relay, or lost it).
    pub(crate) fn ask_tabs_to_announce(&self) {
        self.post_to_tabs_value(&Array::of1(&ANNOUNCE.into()).into());
    }

    /// Forgets everyone heard so far (the connection to the relay closed).
    pub(crate) fn forget_peers(&self) {
        self.roster.update_value(|r| *r = Default::default());
        self.show_peers();
    }

    /// Handles a channel message that is not a change; returns whether it was one of ours.
    pub(crate) fn tab_message(&self, data: &wasm_bindgen::JsValue) -> bool {
        use wasm_bindgen::JsCast;
        let Some(array) = data.dyn_ref::<Array>() else {
            return false;
        };
        match array.get(0).as_string().as_deref() {
            Some(PRESENCE) => {
                if let Ok(bytes) = array.get(1).dyn_into::<Uint8Array>() {
                    // Without the flag (a tab of another version): as a reader's.
                    let editor = array.get(2).as_bool().unwrap_or(false);
                    self.heard_presence(&bytes.to_vec(), Heard::Tab { editor });
                }
                true
            }
            Some(ANNOUNCE) => {
                self.send_presence(false);
                true
            }
            _ => false,
        }
    }

    /// Passes a presence on to sibling tabs, with whether an editor sent it.
    fn post_presence_to_tabs(&self, payload: &[u8], editor: bool) {
        let message = Array::of3(&PRESENCE.into(), &Uint8Array::from(payload), &editor.into());
        self.post_to_tabs_value(&message.into());
    }

    /// Publishes the roster to the page.
    /// Warns while a peer's announced heads stay unknown here although the
    /// relay says this browser is up to date: the relay may be holding
    /// changes back (or have rolled back). Checked on each heartbeat.
    pub(crate) fn check_withheld(&self) {
        let up_to_date = matches!(
            self.connection.try_get_untracked(),
            Some(Connection::UpToDate { .. })
        );
        let this = *self;
        let known = move |head: &str| {
            head.parse::<automerge::ChangeHash>()
                .is_ok_and(|hash| this.has_change(&hash))
        };
        let names = self
            .roster
            .try_update_value(|r| r.withheld(known, up_to_date, now()))
            .unwrap_or_default();
        if names.is_empty() {
            self.clear_notice(Notice::Withheld);
        } else {
            self.notice(
                Notice::Withheld,
                format!(
                    "{} made changes that have not reached this browser, although the relay \
                     says it is up to date. The relay may be holding them back; what is shown \
                     here may be incomplete.",
                    names.join(", ")
                ),
            );
        }
    }

    fn show_peers(&self) {
        let peers = self
            .roster
            .try_with_value(|r| r.peers())
            .unwrap_or_default();
        self.peers.set(peers);
    }
}
