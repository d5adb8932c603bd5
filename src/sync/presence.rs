//! Who is in a workspace right now and what each is editing. Presence travels
//! as sealed ephemeral messages the relay fans out and never stores; each
//! participant repeats theirs every few seconds, and a silent one fades out.

use std::collections::BTreeMap;

use crate::workspace::model::sort_list;
use serde::{Deserialize, Serialize};

/// How often a participant repeats its presence (ms).
pub const HEARTBEAT_MS: i64 = 10_000;
/// How long a participant stays listed without a heartbeat (ms).
pub const FADE_AFTER_MS: i64 = 30_000;
/// How many distinct colours participants are given.
pub const COLOURS: u8 = 8;

/// What one participant says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    /// The sender's session (its Automerge actor id, hex).
    pub session: String,
    /// The sender's display name.
    pub name: String,
    /// The record being edited (such as an objective's id), if any.
    pub editing: Option<String>,
    /// True when the sender is leaving.
    pub left: bool,
    /// Where the sender's caret is in a long text they are editing, if any.
    pub caret: Option<Caret>,
    /// The sender's document heads (hex): a peer whose heads this browser
    /// still lacks after catching up shows that the relay is holding
    /// something back.
    pub heads: Vec<String>,
    /// The sender's device signing key (public, hex; empty without one), so
    /// the participants page can say when each key was last heard. A claim,
    /// not a proof: any editor could name another's key here.
    pub key: String,
    /// Set by the receiver, never sent: the message carried the workspace
    /// key's signature, so an editor sent it.
    #[serde(skip)]
    pub editor: bool,
}

/// A participant's caret or selection in a long text, as Automerge cursors
/// (which name characters, so they stay put while others type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caret {
    /// Which text ([`crate::workspace::text::LongText::key`]).
    pub text: String,
    /// Where the selection starts (the caret, when nothing is selected).
    pub anchor: String,
    /// Where it ends.
    pub head: String,
}

/// The most participants shown at once; presence from more is ignored until
/// some fade or leave.
pub const MAX_PEERS: usize = 64;

/// The most heads a presence message may carry (concurrent edits leave a few;
/// more are dropped from the message, never from the check).
pub const MAX_HEADS: usize = 16;

/// How long a peer's announced heads may stay unknown here, while the relay
/// says this browser is up to date, before it is reported as held back.
pub const WITHHELD_AFTER_MS: i64 = 12_000;

/// The most unknown heads watched at once (a flood of invented ones stops here).
const MAX_WATCHED_HEADS: usize = 256;

/// The longest cursor or text name a presence message may carry.
const MAX_CARET_PART: usize = 96;

impl Presence {
    /// The bytes to seal and send.
    pub fn encode(&self) -> Vec<u8> {
        // Encoding a struct of strings into a Vec cannot fail.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Reads a presence message; `None` for anything malformed or oversized.
    pub fn decode(bytes: &[u8]) -> Option<Presence> {
        let presence: Presence = postcard::from_bytes(bytes).ok()?;
        let sane = presence.session.len() <= 64
            && presence.heads.len() <= MAX_HEADS
            && presence.heads.iter().all(|h| h.len() == 64)
            && (presence.key.is_empty() || presence.key.len() == 64)
            && presence.name.chars().count() <= 120
            && presence.editing.as_ref().is_none_or(|e| e.len() <= 64)
            && presence.caret.as_ref().is_none_or(|c| {
                [&c.text, &c.anchor, &c.head]
                    .iter()
                    .all(|part| part.len() <= MAX_CARET_PART)
            });
        sane.then_some(presence)
    }

    /// What a reader's presence may say: who is here, nothing more. A reader
    /// cannot sign, so its claims to be editing something, its caret and the
    /// heads that would raise a "held back" warning are dropped.
    pub fn as_reader(self) -> Presence {
        Presence {
            editing: None,
            caret: None,
            heads: Vec::new(),
            editor: false,
            ..self
        }
    }
}

/// A participant as the UI shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// Their session.
    pub session: String,
    /// Their display name.
    pub name: String,
    /// Up to two initials.
    pub initials: String,
    /// A colour index below [`COLOURS`], stable for the session.
    pub colour: u8,
    /// The record they are editing, if any.
    pub editing: Option<String>,
    /// Their caret in a long text, if they are in one.
    pub caret: Option<Caret>,
    /// Whether they can edit (their presence was signed with the workspace key).
    pub editor: bool,
    /// The device key they named (public, hex; empty when none).
    pub key: String,
}

/// The participants heard from recently.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    peers: BTreeMap<String, (Presence, i64)>,
    /// Announced heads unknown here: since when, and who announced them.
    unknown_since: BTreeMap<String, (i64, String)>,
}

impl Roster {
    /// Records a message received at `now`; returns whether what is shown changed.
    pub fn heard(&mut self, presence: Presence, now: i64) -> bool {
        if presence.left {
            return self.peers.remove(&presence.session).is_some();
        }
        if self.peers.len() >= MAX_PEERS && !self.peers.contains_key(&presence.session) {
            // A flood of invented sessions (anyone with the link can send
            // presence) stops here; real participants fade in within seconds
            // once the flood ends.
            return false;
        }
        let changed = self
            .peers
            .get(&presence.session)
            .is_none_or(|(old, _)| *old != presence);
        self.peers.insert(presence.session.clone(), (presence, now));
        changed
    }

    /// The names of those who announced a head that `known` has still lacked
    /// [`WITHHELD_AFTER_MS`] after it was first announced, by `now`;
    /// `up_to_date` is whether the relay says this browser has everything (the
    /// clocks run only then). Each head has its own clock, so someone typing
    /// (whose newest head is always a few milliseconds ahead) is never taken
    /// for held back, and a held-back head is not hidden by newer ones.
    pub fn withheld(
        &mut self,
        known: impl Fn(&str) -> bool,
        up_to_date: bool,
        now: i64,
    ) -> Vec<String> {
        if !up_to_date {
            self.unknown_since.clear();
            return Vec::new();
        }
        for (session, (presence, _)) in &self.peers {
            for head in &presence.heads {
                if self.unknown_since.len() < MAX_WATCHED_HEADS
                    && !self.unknown_since.contains_key(head)
                    && !known(head)
                {
                    self.unknown_since
                        .insert(head.clone(), (now, session.clone()));
                }
            }
        }
        let peers = &self.peers;
        self.unknown_since
            .retain(|head, (_, session)| peers.contains_key(session) && !known(head));
        let mut names: Vec<String> = Vec::new();
        for (since, session) in self.unknown_since.values() {
            if now - since >= WITHHELD_AFTER_MS
                && let Some((presence, _)) = peers.get(session)
                && !names.contains(&presence.name)
            {
                names.push(presence.name.clone());
            }
        }
        sort_list(&mut names, Ord::cmp);
        names
    }

    /// Whether `session` has been heard from (and not faded or left).
    pub fn knows(&self, session: &str) -> bool {
        self.peers.contains_key(session)
    }

    /// Forgets participants silent for longer than [`FADE_AFTER_MS`]; returns whether any went.
    pub fn fade(&mut self, now: i64) -> bool {
        let before = self.peers.len();
        self.peers
            .retain(|_, (_, seen)| now - *seen <= FADE_AFTER_MS);
        self.peers.len() != before
    }

    /// Everyone present, by name.
    pub fn peers(&self) -> Vec<Peer> {
        let mut peers: Vec<Peer> = self.peers.values().map(|(p, _)| peer(p)).collect();
        sort_list(&mut peers, |a, b| {
            a.name.cmp(&b.name).then(a.session.cmp(&b.session))
        });
        peers
    }
}

fn peer(presence: &Presence) -> Peer {
    Peer {
        session: presence.session.clone(),
        name: presence.name.clone(),
        initials: initials(&presence.name),
        colour: colour(&presence.session),
        editing: presence.editing.clone(),
        caret: presence.caret.clone(),
        editor: presence.editor,
        key: presence.key.clone(),
    }
}

/// Up to two initials of a name ("Ada Lovelace" → "AL").
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_owned()
    } else {
        letters
    }
}

/// A stable colour index for a session (FNV-1a of its id).
pub fn colour(session: &str) -> u8 {
    let hash = session.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (hash % u32::from(COLOURS)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readers_presence_keeps_only_who_is_here() {
        let claimed = Presence {
            session: "ab".into(),
            name: "Eve".into(),
            editing: Some("objective 7".into()),
            left: false,
            caret: Some(Caret {
                text: "policy".into(),
                anchor: "1@ab".into(),
                head: "2@ab".into(),
            }),
            heads: vec!["0".repeat(64)],
            key: String::new(),
            editor: true,
        };
        let reader = claimed.clone().as_reader();
        assert_eq!(
            (reader.session.as_str(), reader.name.as_str()),
            ("ab", "Eve")
        );
        assert_eq!((reader.editing, reader.caret), (None, None));
        assert!(reader.heads.is_empty());
        assert!(!reader.editor);
        // The flag is the receiver's to set: it never travels.
        assert!(!Presence::decode(&claimed.encode()).unwrap().editor);
        let mut roster = Roster::default();
        roster.heard(claimed, 0);
        roster.heard(reader_of("cd"), 0);
        let peers = roster.peers();
        assert_eq!(
            peers
                .iter()
                .map(|p| (p.name.as_str(), p.editor))
                .collect::<Vec<_>>(),
            [("Eve", true), ("Rita", false)]
        );
    }

    fn presence(session: &str, name: &str, editing: Option<&str>) -> Presence {
        Presence {
            session: session.into(),
            name: name.into(),
            editing: editing.map(str::to_owned),
            left: false,
            caret: None,
            heads: Vec::new(),
            key: String::new(),
            editor: false,
        }
    }

    /// A reader's presence, as the receiver keeps it.
    fn reader_of(session: &str) -> Presence {
        presence(session, "Rita", None).as_reader()
    }

    #[test]
    fn heads_unknown_past_the_grace_while_up_to_date_are_reported() {
        let (known, unknown) = ("a".repeat(64), "b".repeat(64));
        let is_known = |head: &str| head == known;
        let mut roster = Roster::default();
        roster.heard(
            Presence {
                heads: vec![known.clone()],
                ..presence("s1", "Ada", None)
            },
            0,
        );
        roster.heard(
            Presence {
                heads: vec![known.clone(), unknown.clone()],
                ..presence("s2", "Bob", None)
            },
            0,
        );
        assert!(
            roster.withheld(is_known, true, 1_000).is_empty(),
            "within the grace"
        );
        assert_eq!(
            roster.withheld(is_known, true, 1_000 + WITHHELD_AFTER_MS),
            ["Bob"]
        );
        // Someone typing announces a new head each time, known a moment later:
        // never reported, however long they type.
        for step in 1..40 {
            let fresh = format!("{step:064}");
            roster.heard(
                Presence {
                    heads: vec![fresh.clone()],
                    ..presence("s1", "Ada", None)
                },
                step * 1_000,
            );
            let at = 20_000 + step * 1_000;
            let names = roster.withheld(|h| h != fresh && h != unknown, true, at);
            assert_eq!(names, ["Bob"]);
            assert_eq!(roster.withheld(|h| h != unknown, true, at + 5), ["Bob"]);
        }
        assert_eq!(
            roster.withheld(is_known, true, 1_000 + WITHHELD_AFTER_MS),
            ["Bob"]
        );
        // Catching up again restarts the clock; arriving clears it.
        assert!(
            roster
                .withheld(is_known, false, 2 * WITHHELD_AFTER_MS)
                .is_empty()
        );
        assert!(
            roster
                .withheld(is_known, true, 2 * WITHHELD_AFTER_MS + 1)
                .is_empty()
        );
        assert!(
            roster
                .withheld(|_| true, true, 9 * WITHHELD_AFTER_MS)
                .is_empty()
        );
        // Heads are bounded and must be hashes.
        let many = Presence {
            heads: vec![known.clone(); MAX_HEADS + 1],
            ..presence("s3", "Cy", None)
        };
        assert_eq!(Presence::decode(&many.encode()), None);
        let odd = Presence {
            heads: vec!["xyz".into()],
            ..presence("s3", "Cy", None)
        };
        assert_eq!(Presence::decode(&odd.encode()), None);
    }

    #[test]
    fn the_roster_holds_at_most_max_peers() {
        let mut roster = Roster::default();
        for n in 0..MAX_PEERS * 3 {
            roster.heard(presence(&format!("s{n}"), "Flood", None), 1);
        }
        assert_eq!(roster.peers().len(), MAX_PEERS);
        // Those already shown still update.
        assert!(roster.heard(presence("s0", "Ada", None), 2));
        assert!(roster.peers().iter().any(|p| p.name == "Ada"));
    }

    #[test]
    fn presence_round_trips_and_rejects_garbage() {
        let p = presence("a1", "Ada Lovelace", Some("01OBJ"));
        assert_eq!(Presence::decode(&p.encode()), Some(p));
        assert_eq!(Presence::decode(b"\xff\xff garbage"), None);
        let huge = presence(&"x".repeat(500), "A", None);
        assert_eq!(Presence::decode(&huge.encode()), None);
        let with_caret = Presence {
            caret: Some(Caret {
                text: "policy:01ABC".into(),
                anchor: "17@0a0b".into(),
                head: "e".into(),
            }),
            ..presence("a1", "Ada", None)
        };
        assert_eq!(
            Presence::decode(&with_caret.encode()),
            Some(with_caret.clone())
        );
        let long_caret = Presence {
            caret: Some(Caret {
                anchor: "9".repeat(200),
                ..with_caret.caret.clone().unwrap()
            }),
            ..with_caret
        };
        assert_eq!(Presence::decode(&long_caret.encode()), None);
    }

    #[test]
    fn the_roster_lists_fades_and_forgets_those_who_leave() {
        let mut roster = Roster::default();
        assert!(roster.heard(presence("b", "Bob Builder", None), 0));
        assert!(
            !roster.heard(presence("b", "Bob Builder", None), 5_000),
            "a heartbeat changes nothing"
        );
        assert!(roster.heard(presence("a", "Ada", Some("01OBJ")), 6_000));
        let peers = roster.peers();
        assert_eq!(
            peers
                .iter()
                .map(|p| p.initials.as_str())
                .collect::<Vec<_>>(),
            ["A", "BB"]
        );
        assert_eq!(peers[0].editing.as_deref(), Some("01OBJ"));
        assert!(roster.fade(35_001), "Bob was last heard at 5 s");
        assert_eq!(roster.peers().len(), 1);
        let leaving = Presence {
            left: true,
            ..presence("a", "Ada", None)
        };
        assert!(roster.heard(leaving, 36_000));
        assert!(roster.peers().is_empty());
    }

    #[test]
    fn colours_are_stable_and_in_range() {
        assert_eq!(colour("session-1"), colour("session-1"));
        assert!((0..200).all(|i| colour(&format!("s{i}")) < COLOURS));
        assert_eq!(initials("  "), "?");
        assert_eq!(initials("ada de lovelace"), "AD");
    }
}
