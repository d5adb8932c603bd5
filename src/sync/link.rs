//! Share links. The keys travel only in the URL fragment, which browsers never
//! send to a server; the relay's address travels with them, so the app can be
//! served from anywhere.
//!
//! Editor: `<app>/join#k=<workspace secret>&relay=<relay address>`
//! Reader: `<app>/join#r=<room id + content key>&relay=<relay address>`

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
            ShareLink::Reader { keys, relay } => ("r", keys.to_base64url(), relay),
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
                Some(("r", v)) => reader = Some(v),
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
            ShareLink::parse_fragment("k=a&r=b&relay=http%3A%2F%2Fh"),
            Err(LinkError::Incomplete)
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
}
