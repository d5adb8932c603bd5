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

use crate::sync::crypto::{ReadKeys, WorkspaceSecret};

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

    /// Reads a link's fragment (with or without the leading `#`).
    pub fn parse_fragment(fragment: &str) -> Result<ShareLink, LinkError> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let (mut editor, mut reader, mut relay) = (None, None, None);
        for pair in fragment.split('&') {
            match pair.split_once('=') {
                Some(("k", v)) => editor = Some(v),
                Some(("v", v)) => reader = Some(v),
                Some(("r", _)) => return Err(LinkError::Outdated),
                Some(("relay", v)) => relay = Some(decode(v).ok_or(LinkError::Incomplete)?),
                _ => {}
            }
        }
        let relay = relay.ok_or(LinkError::Incomplete)?;
        websocket_url(&relay)?;
        match (editor, reader) {
            (Some(k), None) => Ok(ShareLink::Editor {
                secret: WorkspaceSecret::from_base64url(k).map_err(|_| LinkError::Damaged)?,
                relay,
            }),
            (None, Some(r)) => Ok(ShareLink::Reader {
                keys: ReadKeys::from_base64url(r).map_err(|_| LinkError::Damaged)?,
                relay,
            }),
            _ => Err(LinkError::Incomplete),
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
