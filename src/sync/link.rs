//! Share links. The keys travel only in the URL fragment, which browsers never
//! send to a server; the relay's address travels with them, so the app can be
//! served from anywhere.
//!
//! Editor: `<app>/join#k=<workspace secret>&relay=<relay address>`
//! Reader: `<app>/join#v=<writer key + content key>&relay=<relay address>`
//!
//! (Read-only links of earlier versions, `#r=<room id + content key>`, carry
//! no key to check signatures with; they are refused with a request for a new
//! link.)
//!
//! A link made after an editor stopped sharing through a room may go on with
//! `&from=<old room id>&move=<old writer key + proof>`: the proof is the old
//! room's signature, made with the old workspace secret, saying that the
//! room moved to this link's writer key ([`LinkWithMove`], [`plan_move`]).
//! Builds that do not know these parameters ignore them.

use crate::sync::crypto::{
    BlobSigner, ReadKeys, SIGNATURE_BYTES, WorkspaceSecret, WriterKey, decode_base64url,
    move_proves,
};
use crate::sync::protocol::RoomId;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Why a share link cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The fragment lacks the keys or the relay address.
    #[error(
        "This link is incomplete: it was probably cut off when copied. Ask for the link again."
    )]
    Incomplete,
    /// The keys in the link are damaged.
    #[error("This link is damaged: its keys cannot be read. Ask for the link again.")]
    Damaged,
    /// A read-only link made before changes were signed.
    #[error(
        "This read-only link was made by an earlier version of Charter and can no longer be \
         used. Ask for a new link."
    )]
    Outdated,
    /// The relay address is not a web address.
    #[error("This link names a relay address that is not valid ({0}). Ask for the link again.")]
    BadRelay(String),
    /// The link says it replaces an earlier link, and its proof of that is
    /// damaged or was not made with the earlier link's keys.
    #[error(
        "This link says it replaces an earlier link to the workspace, but its proof of that is \
         damaged or was not made with the earlier link's keys. Ask for the link again."
    )]
    MoveNotProven,
}

/// What a share link grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareLink {
    /// Can read and edit: carries the workspace secret.
    Editor {
        /// The workspace's root secret.
        secret: WorkspaceSecret,
        /// The relay's web address (http or https origin, optionally with a path).
        relay: String,
    },
    /// Can read only: carries the room id and content key, not the secret.
    Reader {
        /// The room and content key.
        keys: ReadKeys,
        /// The relay's web address.
        relay: String,
    },
}

impl ShareLink {
    /// The full link for an app served at `app_origin` (such as `http://127.0.0.1:8080`).
    pub fn to_url(&self, app_origin: &str) -> String {
        let (kind, key, relay) = match self {
            ShareLink::Editor { secret, relay } => ("k", secret.to_base64url(), relay),
            ShareLink::Reader { keys, relay } => ("v", keys.to_base64url(), relay),
        };
        format!(
            "{}/join#{kind}={key}&relay={}",
            app_origin.trim_end_matches('/'),
            encode(relay)
        )
    }

    /// Reads a link's fragment (with or without the leading `#`). A proof
    /// that the link replaces an earlier one must hold, and is then left
    /// out: [`LinkWithMove::parse_fragment`] keeps it.
    pub fn parse_fragment(fragment: &str) -> Result<ShareLink, LinkError> {
        LinkWithMove::parse_fragment(fragment).map(|parsed| parsed.link)
    }

    /// The key every change synced through this link is signed with.
    pub fn writer_key(&self) -> WriterKey {
        match self {
            ShareLink::Editor { secret, .. } => secret.writer_key(),
            ShareLink::Reader { keys, .. } => keys.writer,
        }
    }

    /// The room on the relay this link syncs through.
    pub fn room(&self) -> RoomId {
        match self {
            ShareLink::Editor { secret, .. } => secret.room_id(),
            ShareLink::Reader { keys, .. } => keys.room,
        }
    }

    /// The relay's web address this link syncs through.
    pub fn relay(&self) -> &str {
        match self {
            ShareLink::Editor { relay, .. } | ShareLink::Reader { relay, .. } => relay,
        }
    }

    /// The link's fragment, as stored with a joined workspace (`k=…&relay=…`).
    pub fn fragment(&self) -> String {
        let url = self.to_url("");
        url.split_once('#')
            .map(|(_, fragment)| fragment.to_owned())
            .unwrap_or_default()
    }

    /// The same keys, syncing through `relay`.
    fn with_relay(&self, relay: &str) -> ShareLink {
        match self {
            ShareLink::Editor { secret, .. } => ShareLink::Editor {
                secret: secret.clone(),
                relay: relay.to_owned(),
            },
            ShareLink::Reader { keys, .. } => ShareLink::Reader {
                keys: keys.clone(),
                relay: relay.to_owned(),
            },
        }
    }
}

/// The proof, in a link, that it replaces an earlier room of the same
/// workspace: the earlier room and its writer key, and that key's signature
/// saying the room moved to the link's writer key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedFrom {
    /// The room sharing was stopped in.
    pub room: RoomId,
    /// That room's writer key: the room id is its hash, and it checks `proof`.
    pub old_writer: WriterKey,
    /// [`BlobSigner::sign_move`] of the old room's key over the link's writer key.
    pub proof: [u8; SIGNATURE_BYTES],
}

impl MovedFrom {
    /// The proof that `old`'s room moved to the room of `new_writer`; only
    /// the holder of the old secret can make it.
    pub fn prove(old: &BlobSigner, new_writer: &WriterKey) -> MovedFrom {
        let old_writer = old.writer_key();
        MovedFrom {
            room: old_writer.room(),
            old_writer,
            proof: old.sign_move(new_writer),
        }
    }

    /// The `from` and `move` parameters' values.
    fn to_params(&self) -> (String, String) {
        let mut moved = [0; 32 + SIGNATURE_BYTES];
        moved[..32].copy_from_slice(self.old_writer.as_bytes());
        moved[32..].copy_from_slice(&self.proof);
        (
            URL_SAFE_NO_PAD.encode(self.room.as_bytes()),
            URL_SAFE_NO_PAD.encode(moved),
        )
    }

    /// Reads what [`MovedFrom::to_params`] wrote; checks the form, not the proof.
    fn from_params(from: &str, moved: &str) -> Result<MovedFrom, LinkError> {
        const WHAT: &str = "proof of the earlier link";
        let room = decode_base64url::<32>(from, WHAT).map_err(|_| LinkError::MoveNotProven)?;
        let moved = decode_base64url::<{ 32 + SIGNATURE_BYTES }>(moved, WHAT)
            .map_err(|_| LinkError::MoveNotProven)?;
        let (old_writer, proof) = moved.split_at(32);
        Ok(MovedFrom {
            room: RoomId(room),
            old_writer: WriterKey::from_bytes(
                old_writer
                    .try_into()
                    .map_err(|_| LinkError::MoveNotProven)?,
            ),
            proof: proof.try_into().map_err(|_| LinkError::MoveNotProven)?,
        })
    }
}

/// A share link and, when it replaces a room whose sharing was stopped, the
/// proof of that: what an editor hands out after closing the old room, so
/// that members' browsers move their copy instead of making a second one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkWithMove {
    /// The keys and the relay.
    pub link: ShareLink,
    /// Present on a link that replaces an earlier room of the workspace.
    pub moved_from: Option<MovedFrom>,
}

impl From<ShareLink> for LinkWithMove {
    fn from(link: ShareLink) -> Self {
        LinkWithMove {
            link,
            moved_from: None,
        }
    }
}

impl LinkWithMove {
    /// `link`, carrying the proof that it replaces the room of `old` (the
    /// workspace secret of the room that was closed).
    pub fn replacing(link: ShareLink, old: &WorkspaceSecret) -> LinkWithMove {
        let moved_from = MovedFrom::prove(&old.signer(), &link.writer_key());
        LinkWithMove {
            link,
            moved_from: Some(moved_from),
        }
    }

    /// Reads a link's fragment (with or without the leading `#`). A move
    /// proof that is damaged, partial or does not hold is refused with
    /// [`LinkError::MoveNotProven`], never dropped.
    pub fn parse_fragment(fragment: &str) -> Result<LinkWithMove, LinkError> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let (mut editor, mut reader, mut relay) = (None, None, None);
        let (mut from, mut moved) = (None, None);
        for pair in fragment.split('&') {
            match pair.split_once('=') {
                Some(("k", v)) => editor = Some(v),
                Some(("v", v)) => reader = Some(v),
                Some(("r", _)) => return Err(LinkError::Outdated),
                Some(("relay", v)) => relay = Some(decode(v).ok_or(LinkError::Incomplete)?),
                Some(("from", v)) => from = Some(v),
                Some(("move", v)) => moved = Some(v),
                _ => {}
            }
        }
        let relay = relay.ok_or(LinkError::Incomplete)?;
        websocket_url(&relay)?;
        let link = match (editor, reader) {
            (Some(k), None) => ShareLink::Editor {
                secret: WorkspaceSecret::from_base64url(k).map_err(|_| LinkError::Damaged)?,
                relay,
            },
            (None, Some(r)) => ShareLink::Reader {
                keys: ReadKeys::from_base64url(r).map_err(|_| LinkError::Damaged)?,
                relay,
            },
            _ => return Err(LinkError::Incomplete),
        };
        let moved_from = match (from, moved) {
            (None, None) => None,
            (Some(from), Some(moved)) => Some(MovedFrom::from_params(from, moved)?),
            _ => return Err(LinkError::MoveNotProven),
        };
        let parsed = LinkWithMove { link, moved_from };
        if parsed.moved_from.is_some() && parsed.verify_move().is_none() {
            return Err(LinkError::MoveNotProven);
        }
        Ok(parsed)
    }

    /// The full link for an app served at `app_origin`, with its move proof.
    pub fn to_url(&self, app_origin: &str) -> String {
        let mut url = self.link.to_url(app_origin);
        if let Some(moved_from) = &self.moved_from {
            let (from, moved) = moved_from.to_params();
            url.push_str(&format!("&from={from}&move={moved}"));
        }
        url
    }

    /// The link's fragment, move proof included.
    pub fn fragment(&self) -> String {
        let url = self.to_url("");
        url.split_once('#')
            .map(|(_, fragment)| fragment.to_owned())
            .unwrap_or_default()
    }

    /// The room this link replaces, only if its proof holds: the old writer
    /// key hashes to that room, and signed that it moved to this link's
    /// writer key (a room never replaces itself).
    pub fn verify_move(&self) -> Option<RoomId> {
        let moved = self.moved_from.as_ref()?;
        let new_writer = self.link.writer_key();
        let holds = moved.old_writer.room() == moved.room
            && moved.room != new_writer.room()
            && move_proves(&moved.old_writer, &new_writer, &moved.proof);
        holds.then_some(moved.room)
    }
}

/// What opening a link does to a workspace of this browser in another room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MovePlan {
    /// The link does not replace this workspace's room: it carries no move
    /// proof, or one from another room.
    NotAMove,
    /// The link replaces this workspace's room, whose sharing was stopped.
    /// Ask the person first; if they agree, store `link` for this workspace
    /// (its copy, with every change made here, is kept) and sync it from the
    /// start of the new room (a default cursor), which sends it all there.
    Move {
        /// The room this workspace synced through until now.
        from: RoomId,
        /// What to store for the workspace from now on: the new room's keys
        /// (an editor's or a reader's, as the link grants) and the relay
        /// the link names, which may differ from the one used until now.
        link: ShareLink,
    },
}

/// Whether `link` is a verified move of the workspace joined with `stored`:
/// its proof holds and names `stored`'s room. A move of a move (the stored
/// room was replaced twice since) is not recognised. For a link to the same
/// room, see [`plan_join`].
pub fn plan_move(stored: &ShareLink, link: &LinkWithMove) -> MovePlan {
    match link.verify_move() {
        Some(from) if from == stored.room() => MovePlan::Move {
            from,
            link: link.link.clone(),
        },
        _ => MovePlan::NotAMove,
    }
}

/// What opening a link for a workspace this browser already has does to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinPlan {
    /// Nothing changes: open it.
    Open,
    /// Store this link instead (an editor link for a workspace joined read-only).
    Store(ShareLink),
    /// The link names another relay: the person chooses, seeing both addresses.
    AskRelay {
        /// The relay the workspace syncs through now.
        current: String,
        /// The relay the link names.
        proposed: String,
    },
}

/// What opening `link` does to a workspace of the same room joined with
/// `stored`, the relay being `chosen` when the person has picked one. The
/// stronger keys are kept (an editor link upgrades a read-only join; a
/// read-only link never downgrades an editor's), and the relay changes only
/// when the person chose it.
pub fn plan_join(stored: &ShareLink, link: &ShareLink, chosen: Option<&str>) -> JoinPlan {
    let same = |a: &str, b: &str| a.trim_end_matches('/') == b.trim_end_matches('/');
    let relay = match chosen {
        Some(chosen) => chosen,
        None if same(stored.relay(), link.relay()) => stored.relay(),
        None => {
            return JoinPlan::AskRelay {
                current: stored.relay().to_owned(),
                proposed: link.relay().to_owned(),
            };
        }
    };
    let keys = match (stored, link) {
        (ShareLink::Reader { .. }, ShareLink::Editor { .. }) => link,
        _ => stored,
    };
    let next = keys.with_relay(relay);
    if next == *stored {
        JoinPlan::Open
    } else {
        JoinPlan::Store(next)
    }
}

/// The WebSocket address of a relay's sync endpoint: `http://h:p` → `ws://h:p/sync`.
pub fn websocket_url(relay: &str) -> Result<String, LinkError> {
    let relay = relay.trim().trim_end_matches('/');
    let (scheme, rest) = relay
        .split_once("://")
        .ok_or_else(|| LinkError::BadRelay(relay.to_owned()))?;
    let ws_scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        _ => return Err(LinkError::BadRelay(relay.to_owned())),
    };
    let host = rest.split('/').next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]_".contains(c));
    if !host_ok {
        return Err(LinkError::BadRelay(relay.to_owned()));
    }
    Ok(format!("{ws_scheme}://{rest}/sync"))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> WorkspaceSecret {
        WorkspaceSecret::from_bytes([7; 32])
    }

    #[test]
    fn editor_and_reader_links_round_trip() {
        let relay = "http://192.0.2.10:8080".to_owned();
        let editor = ShareLink::Editor {
            secret: secret(),
            relay: relay.clone(),
        };
        let url = editor.to_url("http://127.0.0.1:8080/");
        assert!(url.starts_with("http://127.0.0.1:8080/join#k="));
        let fragment = url.split_once('#').unwrap().1;
        assert_eq!(ShareLink::parse_fragment(fragment).unwrap(), editor);

        let reader = ShareLink::Reader {
            keys: secret().read_keys(),
            relay,
        };
        let url = reader.to_url("https://charter.example");
        let fragment = url.split_once('#').unwrap().1;
        assert_eq!(ShareLink::parse_fragment(fragment).unwrap(), reader);
        assert!(
            !url.contains(&secret().to_base64url()),
            "a reader link never holds the secret"
        );
    }

    #[test]
    fn malformed_links_are_explained() {
        let good = ShareLink::Editor {
            secret: secret(),
            relay: "http://h:1".into(),
        }
        .to_url("x");
        let fragment = good.split_once('#').unwrap().1;
        assert_eq!(ShareLink::parse_fragment(""), Err(LinkError::Incomplete));
        assert_eq!(
            ShareLink::parse_fragment("k=abc"),
            Err(LinkError::Incomplete)
        );
        let cut = &fragment[..20];
        assert!(ShareLink::parse_fragment(cut).is_err());
        let damaged = fragment.replacen("k=", "k=!!", 1);
        assert_eq!(ShareLink::parse_fragment(&damaged), Err(LinkError::Damaged));
        let bad_relay = fragment
            .replace("relay=", "relay=ftp%3A%2F%2Fh")
            .replace("http%3A%2F%2Fh%3A1", "");
        assert!(matches!(
            ShareLink::parse_fragment(&bad_relay),
            Err(LinkError::BadRelay(_))
        ));
        assert_eq!(
            ShareLink::parse_fragment("k=a&v=b&relay=http%3A%2F%2Fh"),
            Err(LinkError::Incomplete)
        );
        // A read-only link of an earlier version names a room, not a key to check changes with.
        let earlier = format!("r={}&relay=http%3A%2F%2Fh", "A".repeat(86));
        assert_eq!(
            ShareLink::parse_fragment(&earlier),
            Err(LinkError::Outdated)
        );
    }

    fn old_secret() -> WorkspaceSecret {
        WorkspaceSecret::from_bytes([3; 32])
    }

    fn editor_on(secret: WorkspaceSecret) -> ShareLink {
        ShareLink::Editor {
            secret,
            relay: "https://relay.example.org".into(),
        }
    }

    fn reader_on(secret: &WorkspaceSecret) -> ShareLink {
        ShareLink::Reader {
            keys: secret.read_keys(),
            relay: "https://relay.example.org".into(),
        }
    }

    fn fragment_of(url: &str) -> &str {
        url.split_once('#').unwrap().1
    }

    #[test]
    fn editor_and_reader_links_with_a_move_proof_round_trip() {
        for link in [editor_on(secret()), reader_on(&secret())] {
            let moved = LinkWithMove::replacing(link.clone(), &old_secret());
            let url = moved.to_url("https://charter.example");
            assert!(url.contains("&from=") && url.contains("&move="), "{url}");
            assert!(
                !url.contains(&old_secret().to_base64url()),
                "never the old secret"
            );
            let parsed = LinkWithMove::parse_fragment(fragment_of(&url)).unwrap();
            assert_eq!(parsed, moved);
            assert_eq!(parsed.verify_move(), Some(old_secret().room_id()));
            assert_eq!(
                LinkWithMove::parse_fragment(&moved.fragment()).unwrap(),
                moved
            );
            // Read as a plain link, the keys are the same and the proof is left out.
            assert_eq!(ShareLink::parse_fragment(fragment_of(&url)).unwrap(), link);
        }
    }

    #[test]
    fn a_move_proof_signed_with_another_secret_is_refused() {
        let stranger = WorkspaceSecret::from_bytes([9; 32]);
        let link = editor_on(secret());
        // Claims the old room, with its key, but signed by someone else.
        let forged = LinkWithMove {
            moved_from: Some(MovedFrom {
                room: old_secret().room_id(),
                old_writer: old_secret().writer_key(),
                proof: stranger.signer().sign_move(&link.writer_key()),
            }),
            link: link.clone(),
        };
        assert_eq!(forged.verify_move(), None);
        let url = forged.to_url("x");
        assert_eq!(
            LinkWithMove::parse_fragment(fragment_of(&url)),
            Err(LinkError::MoveNotProven)
        );
        assert_eq!(
            ShareLink::parse_fragment(fragment_of(&url)),
            Err(LinkError::MoveNotProven),
            "not silently dropped"
        );
        // A genuine proof for another new room does not hold for this one.
        let elsewhere = LinkWithMove::replacing(editor_on(stranger), &old_secret());
        let stolen = LinkWithMove {
            link,
            moved_from: elsewhere.moved_from,
        };
        assert_eq!(stolen.verify_move(), None);
    }

    #[test]
    fn a_move_whose_old_key_is_not_the_claimed_rooms_is_refused() {
        let stranger = WorkspaceSecret::from_bytes([9; 32]);
        let mut moved = LinkWithMove::replacing(reader_on(&secret()), &old_secret());
        // The stranger's room, with the old key's genuine proof.
        if let Some(from) = moved.moved_from.as_mut() {
            from.room = stranger.room_id();
        }
        assert_eq!(moved.verify_move(), None);
        let url = moved.to_url("x");
        assert_eq!(
            LinkWithMove::parse_fragment(fragment_of(&url)),
            Err(LinkError::MoveNotProven)
        );
        // A room never replaces itself.
        let itself = LinkWithMove::replacing(editor_on(secret()), &secret());
        assert_eq!(itself.verify_move(), None);
    }

    #[test]
    fn a_damaged_or_partial_move_proof_is_refused() {
        let moved = LinkWithMove::replacing(editor_on(secret()), &old_secret());
        let fragment = moved.fragment();
        let (before, proof) = fragment.split_once("&move=").unwrap();
        let cases = [
            // Cut short, a character changed, a character outside base64url.
            format!("{before}&move={}", &proof[..proof.len() - 4]),
            format!(
                "{before}&move={}{}",
                &proof[..100],
                if &proof[100..101] == "A" { "B" } else { "A" }
            ) + &proof[101..],
            format!("{before}&move=!{}", &proof[1..]),
            // One of the two parameters alone.
            before.to_owned(),
            format!("{}&move={proof}", before.split_once("&from=").unwrap().0),
        ];
        for damaged in cases {
            assert_eq!(
                LinkWithMove::parse_fragment(&damaged),
                Err(LinkError::MoveNotProven),
                "{damaged}"
            );
        }
    }

    #[test]
    fn links_without_a_move_read_and_write_as_before() {
        let editor = editor_on(secret());
        let plain = LinkWithMove::from(editor.clone());
        assert_eq!(
            plain.to_url("https://a.example"),
            editor.to_url("https://a.example")
        );
        assert_eq!(plain.verify_move(), None);
        assert_eq!(
            editor.fragment(),
            "k=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc&relay=https%3A%2F%2Frelay.example.org"
        );
        let parsed = LinkWithMove::parse_fragment(&editor.fragment()).unwrap();
        assert_eq!(parsed, plain);
        // Unknown parameters are still ignored.
        let extra = format!("{}&later=1", reader_on(&secret()).fragment());
        assert_eq!(
            ShareLink::parse_fragment(&extra).unwrap(),
            reader_on(&secret())
        );
        assert_eq!(editor.room(), secret().room_id());
        assert_eq!(reader_on(&secret()).room(), secret().room_id());
        assert_eq!(reader_on(&secret()).writer_key(), secret().writer_key());
    }

    #[test]
    fn only_a_proven_move_of_the_stored_room_is_a_move() {
        let third = WorkspaceSecret::from_bytes([5; 32]);
        let new_editor = editor_on(secret());
        let moved = LinkWithMove::replacing(new_editor.clone(), &old_secret());
        // An editor's or a reader's copy of the old room moves, to the keys the link grants.
        for stored in [editor_on(old_secret()), reader_on(&old_secret())] {
            assert_eq!(
                plan_move(&stored, &moved),
                MovePlan::Move {
                    from: old_secret().room_id(),
                    link: new_editor.clone()
                }
            );
        }
        let to_reader = LinkWithMove::replacing(reader_on(&secret()), &old_secret());
        assert_eq!(
            plan_move(&editor_on(old_secret()), &to_reader),
            MovePlan::Move {
                from: old_secret().room_id(),
                link: reader_on(&secret())
            }
        );
        // Another workspace, the new room itself, a link without a proof, a move of a move.
        assert_eq!(
            plan_move(&editor_on(third.clone()), &moved),
            MovePlan::NotAMove
        );
        assert_eq!(plan_move(&new_editor, &moved), MovePlan::NotAMove);
        assert_eq!(
            plan_move(&editor_on(old_secret()), &new_editor.clone().into()),
            MovePlan::NotAMove
        );
        let twice = LinkWithMove::replacing(editor_on(third), &secret());
        assert_eq!(
            plan_move(&editor_on(old_secret()), &twice),
            MovePlan::NotAMove
        );
        // A forged proof is never a move, even when built without parsing.
        let forged = LinkWithMove {
            link: new_editor,
            moved_from: Some(MovedFrom {
                proof: [0; 64],
                ..MovedFrom::prove(&old_secret().signer(), &secret().writer_key())
            }),
        };
        assert_eq!(
            plan_move(&editor_on(old_secret()), &forged),
            MovePlan::NotAMove
        );
    }

    #[test]
    fn relay_addresses_become_sync_endpoints() {
        assert_eq!(
            websocket_url("http://127.0.0.1:8080").unwrap(),
            "ws://127.0.0.1:8080/sync"
        );
        assert_eq!(
            websocket_url("https://relay.example/").unwrap(),
            "wss://relay.example/sync"
        );
        assert_eq!(
            websocket_url("https://h.example/room").unwrap(),
            "wss://h.example/room/sync"
        );
        assert!(websocket_url("javascript:alert(1)").is_err());
        assert!(websocket_url("http://").is_err());
        assert!(websocket_url("http://bad host").is_err());
    }

    #[test]
    fn a_link_to_another_relay_asks_and_keys_are_never_downgraded() {
        let here = "http://127.0.0.1:8080".to_owned();
        let there = "https://relay.example.org".to_owned();
        let editor = |relay: &str| ShareLink::Editor {
            secret: secret(),
            relay: relay.to_owned(),
        };
        let reader = |relay: &str| ShareLink::Reader {
            keys: secret().read_keys(),
            relay: relay.to_owned(),
        };
        // Same relay: nothing to ask; an editor link upgrades a read-only join.
        assert_eq!(
            plan_join(&editor(&here), &editor(&format!("{here}/")), None),
            JoinPlan::Open
        );
        assert_eq!(
            plan_join(&editor(&here), &reader(&here), None),
            JoinPlan::Open
        );
        assert_eq!(
            plan_join(&reader(&here), &editor(&here), None),
            JoinPlan::Store(editor(&here))
        );
        // Another relay: asked, whatever the keys.
        for link in [editor(&there), reader(&there)] {
            assert_eq!(
                plan_join(&editor(&here), &link, None),
                JoinPlan::AskRelay {
                    current: here.clone(),
                    proposed: there.clone()
                }
            );
        }
        // Kept: the upgrade still happens on the relay in use.
        assert_eq!(
            plan_join(&reader(&here), &editor(&there), Some(&here)),
            JoinPlan::Store(editor(&here))
        );
        assert_eq!(
            plan_join(&editor(&here), &reader(&there), Some(&here)),
            JoinPlan::Open
        );
        // Moved: an editor keeps the editor's keys on the new relay.
        assert_eq!(
            plan_join(&editor(&here), &reader(&there), Some(&there)),
            JoinPlan::Store(editor(&there))
        );
        assert_eq!(editor(&there).fragment().split('&').count(), 2);
        assert_eq!(
            ShareLink::parse_fragment(&editor(&there).fragment()).unwrap(),
            editor(&there)
        );
    }
}
