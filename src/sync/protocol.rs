//! The wire protocol between the app and the relay, defined once for both.
//!
//! A WebSocket connection carries binary messages, each one [`ClientFrame`] or
//! [`ServerFrame`] encoded with `postcard`. A connection may join several rooms:
//! the client names each with a small `channel` number it picks in its
//! [`ClientFrame::Hello`], and every later frame about that room carries it.
//! Blobs are sealed by [`crate::sync::crypto`] before they reach this layer;
//! the relay only ever sees room ids, sequence numbers and ciphertext.
//!
//! Compatibility rule for future versions: `Hello` stays the first variant of
//! [`ClientFrame`] and `version` its first field, so that a relay can always
//! read the version of a client it does not understand and answer
//! [`ErrorCode::UnsupportedVersion`] instead of [`ErrorCode::BadFrame`].
//! New frames are appended as last variants (postcard numbers variants by
//! position), and a relay keeps speaking the versions from
//! [`OLDEST_PROTOCOL_VERSION`] on, sending each connection only the frames
//! its version knows.

use std::fmt;

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// The protocol version this build speaks; sent first in every `Hello`.
///
/// Version 3 added closing a room: [`ClientFrame::Close`],
/// [`ServerFrame::Closed`] and [`ErrorCode::RoomClosed`].
pub const PROTOCOL_VERSION: u16 = 3;

/// The oldest version a relay of this build still accepts in a `Hello`.
/// Version 2 clients are never sent [`ServerFrame::Closed`]; appends to a
/// closed room reach them as an error code they do not know.
pub const OLDEST_PROTOCOL_VERSION: u16 = 2;

/// The first version that knows [`ClientFrame::Close`], [`ServerFrame::Closed`]
/// and [`ErrorCode::RoomClosed`].
pub const FIRST_VERSION_WITH_CLOSE: u16 = 3;

/// Whether a `Hello` of `version` is spoken by this build.
pub fn is_supported_version(version: u16) -> bool {
    (OLDEST_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&version)
}

/// Largest encoded frame, in bytes, that either side sends or accepts (1 MiB).
///
/// Checked on the raw input before any decoding, so an oversized message costs
/// the receiver nothing but its length.
pub const MAX_FRAME_BYTES: usize = 1024 * 1024;

/// Room reserved for a frame's fields around its blob: tag, channel, request
/// or sequence number, covers and the blob's length prefix, as varints.
pub const FRAME_OVERHEAD_BYTES: usize = 64;

/// Largest sealed blob a frame may carry.
///
/// Smaller than [`MAX_FRAME_BYTES`] by [`FRAME_OVERHEAD_BYTES`], so that a blob
/// accepted in an `Append` (small request number) still fits when the relay
/// sends it back out in an `Entry` (larger sequence number).
pub const MAX_BLOB_BYTES: usize = MAX_FRAME_BYTES - FRAME_OVERHEAD_BYTES;

/// Largest sealed blob an ephemeral (presence) frame may carry: a person's
/// presence is a name, a place and a caret, far below this. The relay drops
/// larger ones unread, and so do clients.
pub const MAX_EPHEMERAL_BYTES: usize = 4 * 1024;

/// Identifies a room on the relay; derived from the workspace secret, not secret itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoomId(pub [u8; 32]);

impl RoomId {
    /// The raw 32 bytes of the id.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The id as 64 lowercase hex digits, for logs and storage keys.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl fmt::Debug for RoomId {
    // Eight bytes tell rooms apart in logs without spelling the whole id out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix: String = self.0[..8]
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        write!(f, "RoomId({prefix}…)")
    }
}

/// Proves the right to append to a room: the workspace's Ed25519 signature
/// over a fixed label and the room id, which only editors can make and
/// anyone with the writer key can check (see `crypto::write_token_proves`).
/// The relay keeps only its SHA-256 hash.
#[derive(Clone, Serialize, Deserialize)]
pub struct WriteToken(#[serde(with = "serde_bytes")] [u8; 64]);

// Constant time, so that comparing tokens never leaks how many bytes matched.
impl PartialEq for WriteToken {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for WriteToken {}

impl WriteToken {
    /// Wraps raw token bytes (as made by [`crate::sync::crypto`]).
    pub fn from_bytes(bytes: [u8; 64]) -> Self {
        WriteToken(bytes)
    }

    /// The raw 64 bytes of the token; never log or display them.
    pub fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }
}

/// The public half of the workspace's signing key: checks that a change was
/// written by an editor. Readers and the relay hold it; the room id is a hash
/// of it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WriterKey([u8; 32]);

/// Hashed in front of the writer key to give the room id.
pub const ROOM_OF_WRITER_LABEL: &[u8] = b"charter/v2/room-of-writer-key";

impl WriterKey {
    /// Wraps the 32 bytes of a public key (checked when it is used).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        WriterKey(bytes)
    }

    /// The 32 bytes of the key.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The room this key writes to: SHA-256 of [`ROOM_OF_WRITER_LABEL`] and the key.
    pub fn room(&self) -> RoomId {
        use sha2::{Digest as _, Sha256};
        let mut hash = Sha256::new();
        hash.update(ROOM_OF_WRITER_LABEL);
        hash.update(self.0);
        RoomId(hash.finalize().into())
    }
}

impl fmt::Debug for WriterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex: String = self.0[..8].iter().map(|b| format!("{b:02x}")).collect();
        write!(f, "WriterKey({hex}…)")
    }
}

impl fmt::Debug for WriteToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WriteToken(<redacted>)")
    }
}

/// A frame the app sends to the relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientFrame {
    /// Joins `room` on `channel`, asking for every entry after `cursor` (0 = from the start).
    Hello {
        /// Must stay the first field of the first variant: see the module docs.
        version: u16,
        /// The number this connection uses for the room from now on.
        channel: u16,
        /// The room to join.
        room: RoomId,
        /// The room's writer key: the room id must be its hash, and every
        /// append and snapshot must carry its signature.
        writer: WriterKey,
        /// Present for editors; without it the room is read-only for this connection.
        write_token: Option<WriteToken>,
        /// The last sequence number the client already has.
        cursor: u64,
        /// Send entries only, never a snapshot: the client could not open the
        /// room's snapshot and asks for the entries it claims to cover (those
        /// the relay still keeps).
        entries_only: bool,
    },
    /// Appends a sealed blob of changes; answered by `Ack` with the same `request`.
    Append {
        /// The room, as named in `Hello`.
        channel: u16,
        /// A client-chosen number echoed in the `Ack` or `Error`.
        request: u32,
        /// The sealed changes.
        #[serde(with = "serde_bytes")]
        blob: Vec<u8>,
    },
    /// Uploads a sealed snapshot covering every entry up to and including `covers`.
    Snapshot {
        /// The room, as named in `Hello`.
        channel: u16,
        /// A client-chosen number echoed in the `Ack` or `Error`.
        request: u32,
        /// The last sequence number the snapshot includes.
        covers: u64,
        /// The sealed snapshot.
        #[serde(with = "serde_bytes")]
        blob: Vec<u8>,
    },
    /// A sealed presence message, fanned out to the room and never stored.
    Ephemeral {
        /// The room, as named in `Hello`.
        channel: u16,
        /// The sealed presence message.
        #[serde(with = "serde_bytes")]
        blob: Vec<u8>,
    },
    /// Leaves the room on `channel`; the channel number may then be reused.
    Leave {
        /// The room, as named in `Hello`.
        channel: u16,
    },
    /// Closes the room for good (an editor stops sharing through it): the
    /// relay keeps what it holds, still lets members read it, and refuses
    /// every later append and snapshot with [`ErrorCode::RoomClosed`]. Only
    /// a connection that joined with the room's write token may close it;
    /// closing a closed room is fine. Answered by `Ack` with the same
    /// `request` (its `seq`: the room's last entry) or by `Error`.
    Close {
        /// The room, as named in `Hello`.
        channel: u16,
        /// A client-chosen number echoed in the `Ack` or `Error`.
        request: u32,
    },
}

impl ClientFrame {
    /// The channel this frame is about.
    pub fn channel(&self) -> u16 {
        match self {
            ClientFrame::Hello { channel, .. }
            | ClientFrame::Append { channel, .. }
            | ClientFrame::Snapshot { channel, .. }
            | ClientFrame::Ephemeral { channel, .. }
            | ClientFrame::Leave { channel }
            | ClientFrame::Close { channel, .. } => *channel,
        }
    }

    /// The request number to echo in an answer, for frames that carry one.
    pub fn request(&self) -> Option<u32> {
        match self {
            ClientFrame::Append { request, .. }
            | ClientFrame::Snapshot { request, .. }
            | ClientFrame::Close { request, .. } => Some(*request),
            _ => None,
        }
    }

    fn blob(&self) -> Option<&[u8]> {
        match self {
            ClientFrame::Append { blob, .. }
            | ClientFrame::Snapshot { blob, .. }
            | ClientFrame::Ephemeral { blob, .. } => Some(blob),
            ClientFrame::Hello { .. } | ClientFrame::Leave { .. } | ClientFrame::Close { .. } => {
                None
            }
        }
    }
}

/// A frame the relay sends to the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerFrame {
    /// Confirms a `Hello`: the room's latest sequence number and whether appends are allowed.
    Welcome {
        /// The channel named in the `Hello`.
        channel: u16,
        /// The highest sequence number stored in the room (0 if none).
        head: u64,
        /// True when the `Hello` carried the room's write token.
        writable: bool,
    },
    /// Confirms that an `Append` or `Snapshot` is stored durably, under `seq`,
    /// or that a `Close` is.
    Ack {
        /// The channel of the acknowledged frame.
        channel: u16,
        /// The request number of the acknowledged frame.
        request: u32,
        /// The sequence number the relay assigned (for a snapshot: the entry it
        /// covers; for a close: the room's last entry).
        seq: u64,
    },
    /// One stored entry: catch-up after a `Hello`, or live fan-out of another client's append.
    Entry {
        /// The room's channel.
        channel: u16,
        /// The relay-assigned sequence number, increasing within a room.
        seq: u64,
        /// The sealed changes.
        #[serde(with = "serde_bytes")]
        blob: Vec<u8>,
    },
    /// The latest snapshot, sent before the entries after `covers` on catch-up.
    SnapshotEntry {
        /// The room's channel.
        channel: u16,
        /// The last sequence number the snapshot includes.
        covers: u64,
        /// The sealed snapshot.
        #[serde(with = "serde_bytes")]
        blob: Vec<u8>,
    },
    /// Another connection's sealed presence message.
    Ephemeral {
        /// The room's channel.
        channel: u16,
        /// The sealed presence message.
        #[serde(with = "serde_bytes")]
        blob: Vec<u8>,
    },
    /// A refusal; the connection and its other rooms go on.
    Error {
        /// The channel concerned, if the failing frame could be read that far.
        channel: Option<u16>,
        /// The request concerned, if the failing frame carried one.
        request: Option<u32>,
        /// What went wrong, for the program.
        code: ErrorCode,
        /// What went wrong, for a person.
        message: String,
    },
    /// The room was closed (an editor stopped sharing through it): it takes
    /// no more appends or snapshots, and what it holds can still be read.
    /// Sent right after the `Welcome` of a closed room, and to the room's
    /// other members when it is closed. Version 3 and later only.
    Closed {
        /// The room's channel.
        channel: u16,
        /// When it was closed, in Unix seconds by the relay's clock.
        at: u64,
    },
}

impl ServerFrame {
    fn blob(&self) -> Option<&[u8]> {
        match self {
            ServerFrame::Entry { blob, .. }
            | ServerFrame::SnapshotEntry { blob, .. }
            | ServerFrame::Ephemeral { blob, .. } => Some(blob),
            ServerFrame::Welcome { .. }
            | ServerFrame::Ack { .. }
            | ServerFrame::Error { .. }
            | ServerFrame::Closed { .. } => None,
        }
    }
}

/// Why the relay refused a frame; sent as a number so newer codes reach older clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "u16", into = "u16")]
pub enum ErrorCode {
    /// The frame could not be decoded.
    BadFrame,
    /// The client's protocol version is not spoken by this relay.
    UnsupportedVersion,
    /// An append or snapshot without the room's write token.
    Unauthorized,
    /// The frame exceeds [`MAX_FRAME_BYTES`] or its blob [`MAX_BLOB_BYTES`].
    FrameTooLarge,
    /// Too many frames per second on this connection.
    RateLimited,
    /// This connection has joined as many rooms as the relay allows.
    TooManyRooms,
    /// A frame names a channel that no `Hello` opened.
    UnknownChannel,
    /// A `Hello` names a channel that is already open.
    ChannelInUse,
    /// The connection was idle too long and is being closed.
    IdleTimeout,
    /// The relay failed (storage, for instance); the frame may be retried.
    Internal,
    /// The room holds as many bytes as the relay allows one room.
    RoomFull,
    /// The room was closed: an editor stopped sharing through it, so it
    /// takes no more appends or snapshots.
    RoomClosed,
    /// A code this build does not know, from a newer relay.
    Unknown(u16),
}

impl ErrorCode {
    /// What the refusal means, in Charter's own words: the relay's message is
    /// never shown, since a hostile relay could put anything in it.
    pub fn explanation(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "The relay did not accept this link as an editor's.",
            ErrorCode::FrameTooLarge => "A change was larger than the relay accepts.",
            ErrorCode::RateLimited => "Changes were sent faster than the relay accepts.",
            ErrorCode::TooManyRooms => "Too many workspaces are open on this connection.",
            ErrorCode::IdleTimeout => "The connection was idle for too long.",
            ErrorCode::UnsupportedVersion => "The relay runs a version Charter cannot talk to.",
            ErrorCode::Internal => "The relay had a problem storing the change.",
            ErrorCode::RoomFull => {
                "The relay's space for this workspace is full; whoever runs the relay can allow \
                 more."
            }
            ErrorCode::RoomClosed => {
                "Sharing through this link was stopped. Ask the person who shares the workspace \
                 for a new link."
            }
            ErrorCode::BadFrame
            | ErrorCode::UnknownChannel
            | ErrorCode::ChannelInUse
            | ErrorCode::Unknown(_) => "The relay could not handle a message.",
        }
    }
}

impl From<u16> for ErrorCode {
    fn from(code: u16) -> Self {
        match code {
            1 => ErrorCode::BadFrame,
            2 => ErrorCode::UnsupportedVersion,
            3 => ErrorCode::Unauthorized,
            4 => ErrorCode::FrameTooLarge,
            5 => ErrorCode::RateLimited,
            6 => ErrorCode::TooManyRooms,
            7 => ErrorCode::UnknownChannel,
            8 => ErrorCode::ChannelInUse,
            9 => ErrorCode::IdleTimeout,
            10 => ErrorCode::Internal,
            11 => ErrorCode::RoomFull,
            12 => ErrorCode::RoomClosed,
            other => ErrorCode::Unknown(other),
        }
    }
}

impl From<ErrorCode> for u16 {
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::BadFrame => 1,
            ErrorCode::UnsupportedVersion => 2,
            ErrorCode::Unauthorized => 3,
            ErrorCode::FrameTooLarge => 4,
            ErrorCode::RateLimited => 5,
            ErrorCode::TooManyRooms => 6,
            ErrorCode::UnknownChannel => 7,
            ErrorCode::ChannelInUse => 8,
            ErrorCode::IdleTimeout => 9,
            ErrorCode::Internal => 10,
            ErrorCode::RoomFull => 11,
            ErrorCode::RoomClosed => 12,
            ErrorCode::Unknown(other) => other,
        }
    }
}

/// Why a frame could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// The whole message is larger than [`MAX_FRAME_BYTES`].
    #[error(
        "A sync message of {len} bytes is larger than the limit of {max} bytes, so it was not \
         read or sent. Large changes sync once a snapshot replaces them."
    )]
    FrameTooLarge {
        /// Size of the message.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A blob is larger than [`MAX_BLOB_BYTES`].
    #[error(
        "A sync message carries {len} bytes of data, more than the limit of {max} bytes, so it \
         was not read or sent."
    )]
    BlobTooLarge {
        /// Size of the blob.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The message ended before the frame did.
    #[error(
        "A sync message was cut short and could not be read; the connection may be unreliable."
    )]
    Truncated,
    /// Bytes left over after a complete frame.
    #[error(
        "A sync message had {extra} unexpected bytes after its end and was not read; the other \
         side may run a different version of Charter."
    )]
    TrailingBytes {
        /// How many bytes were left over.
        extra: usize,
    },
    /// The bytes are not a frame of this protocol.
    #[error(
        "A sync message could not be read ({0}); the other side may run a different version of \
         Charter or not be a Charter relay."
    )]
    Malformed(postcard::Error),
    /// A `Hello` with a protocol version this build does not speak.
    #[error(
        "The app speaks sync protocol version {supported} but the other side uses version \
         {found}; update the older of the two."
    )]
    UnsupportedVersion {
        /// The version in the `Hello`.
        found: u16,
        /// [`PROTOCOL_VERSION`].
        supported: u16,
    },
}

impl ProtocolError {
    /// The code a relay answers this error with.
    pub fn code(&self) -> ErrorCode {
        match self {
            ProtocolError::FrameTooLarge { .. } | ProtocolError::BlobTooLarge { .. } => {
                ErrorCode::FrameTooLarge
            }
            ProtocolError::UnsupportedVersion { .. } => ErrorCode::UnsupportedVersion,
            ProtocolError::Truncated
            | ProtocolError::TrailingBytes { .. }
            | ProtocolError::Malformed(_) => ErrorCode::BadFrame,
        }
    }
}

/// A frame that [`encode`] can put on the wire: [`ClientFrame`] or [`ServerFrame`].
pub trait Frame: Serialize {
    /// The sealed blob the frame carries, if any, so its size can be checked.
    fn blob_bytes(&self) -> Option<&[u8]>;
}

impl Frame for ClientFrame {
    fn blob_bytes(&self) -> Option<&[u8]> {
        self.blob()
    }
}

impl Frame for ServerFrame {
    fn blob_bytes(&self) -> Option<&[u8]> {
        self.blob()
    }
}

/// Encodes a frame, refusing one the other side would reject as too large.
pub fn encode<F: Frame>(frame: &F) -> Result<Vec<u8>, ProtocolError> {
    check_blob(frame.blob_bytes())?;
    let bytes = postcard::to_allocvec(frame).map_err(ProtocolError::Malformed)?;
    check_frame_len(&bytes)?;
    Ok(bytes)
}

/// Decodes a frame from the app; every kind of bad input is an error, never a panic.
pub fn decode_client(bytes: &[u8]) -> Result<ClientFrame, ProtocolError> {
    check_frame_len(bytes)?;
    check_hello_version(bytes)?;
    let frame: ClientFrame = decode_exact(bytes)?;
    check_blob(frame.blob())?;
    Ok(frame)
}

/// Decodes a frame from the relay; every kind of bad input is an error, never a panic.
pub fn decode_server(bytes: &[u8]) -> Result<ServerFrame, ProtocolError> {
    check_frame_len(bytes)?;
    let frame: ServerFrame = decode_exact(bytes)?;
    check_blob(frame.blob())?;
    Ok(frame)
}

fn check_frame_len(bytes: &[u8]) -> Result<(), ProtocolError> {
    if bytes.len() > MAX_FRAME_BYTES {
        return Err(ProtocolError::FrameTooLarge {
            len: bytes.len(),
            max: MAX_FRAME_BYTES,
        });
    }
    Ok(())
}

fn check_blob(blob: Option<&[u8]>) -> Result<(), ProtocolError> {
    match blob {
        Some(blob) if blob.len() > MAX_BLOB_BYTES => Err(ProtocolError::BlobTooLarge {
            len: blob.len(),
            max: MAX_BLOB_BYTES,
        }),
        _ => Ok(()),
    }
}

/// Reads only the tag and version of a `Hello`, which every version keeps in place.
fn check_hello_version(bytes: &[u8]) -> Result<(), ProtocolError> {
    const HELLO_TAG: u8 = 0;
    if let Some((&HELLO_TAG, rest)) = bytes.split_first()
        && let Ok((found, _)) = postcard::take_from_bytes::<u16>(rest)
        && !is_supported_version(found)
    {
        return Err(ProtocolError::UnsupportedVersion {
            found,
            supported: PROTOCOL_VERSION,
        });
    }
    Ok(())
}

fn decode_exact<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, ProtocolError> {
    match postcard::take_from_bytes(bytes) {
        Ok((frame, [])) => Ok(frame),
        Ok((_, rest)) => Err(ProtocolError::TrailingBytes { extra: rest.len() }),
        Err(postcard::Error::DeserializeUnexpectedEnd) => Err(ProtocolError::Truncated),
        Err(other) => Err(ProtocolError::Malformed(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello(version: u16) -> ClientFrame {
        ClientFrame::Hello {
            version,
            channel: 3,
            room: RoomId([7; 32]),
            writer: WriterKey::from_bytes([8; 32]),
            write_token: Some(WriteToken::from_bytes([9; 64])),
            cursor: 42,
            entries_only: false,
        }
    }

    #[test]
    fn hello_round_trips() {
        let bytes = encode(&hello(PROTOCOL_VERSION)).unwrap();
        assert_eq!(decode_client(&bytes).unwrap(), hello(PROTOCOL_VERSION));
    }

    #[test]
    fn blobs_are_length_prefixed_raw_bytes() {
        let frame = ClientFrame::Ephemeral {
            channel: 1,
            blob: vec![0xAB; 3],
        };
        // Tag 3 (Ephemeral), channel 1, length 3, then the bytes themselves.
        assert_eq!(encode(&frame).unwrap(), [3, 1, 3, 0xAB, 0xAB, 0xAB]);
    }

    #[test]
    fn a_hello_of_another_version_is_reported_as_such() {
        let bytes = encode(&hello(PROTOCOL_VERSION + 1)).unwrap();
        let err = decode_client(&bytes).unwrap_err();
        assert_eq!(
            err,
            ProtocolError::UnsupportedVersion {
                found: PROTOCOL_VERSION + 1,
                supported: PROTOCOL_VERSION
            }
        );
        assert_eq!(err.code(), ErrorCode::UnsupportedVersion);

        // A future Hello whose later fields changed shape is still recognised.
        let mut future = encode(&hello(PROTOCOL_VERSION + 1)).unwrap();
        future.truncate(4);
        let err = decode_client(&future).unwrap_err();
        assert!(matches!(
            err,
            ProtocolError::UnsupportedVersion { found, .. } if found == PROTOCOL_VERSION + 1
        ));
    }

    #[test]
    fn trailing_bytes_are_rejected() {
        let mut bytes = encode(&ClientFrame::Leave { channel: 5 }).unwrap();
        bytes.push(0);
        assert_eq!(
            decode_client(&bytes),
            Err(ProtocolError::TrailingBytes { extra: 1 })
        );
    }

    #[test]
    fn empty_input_is_truncated() {
        assert_eq!(decode_client(&[]), Err(ProtocolError::Truncated));
        assert_eq!(decode_server(&[]), Err(ProtocolError::Truncated));
    }

    #[test]
    fn an_unknown_error_code_survives_the_trip() {
        let frame = ServerFrame::Error {
            channel: None,
            request: Some(1),
            code: ErrorCode::Unknown(999),
            message: "newer relay".into(),
        };
        assert_eq!(decode_server(&encode(&frame).unwrap()).unwrap(), frame);
    }

    #[test]
    fn every_known_error_code_maps_to_a_distinct_number() {
        let codes = [
            ErrorCode::BadFrame,
            ErrorCode::UnsupportedVersion,
            ErrorCode::Unauthorized,
            ErrorCode::FrameTooLarge,
            ErrorCode::RateLimited,
            ErrorCode::TooManyRooms,
            ErrorCode::UnknownChannel,
            ErrorCode::ChannelInUse,
            ErrorCode::IdleTimeout,
            ErrorCode::Internal,
            ErrorCode::RoomFull,
            ErrorCode::RoomClosed,
        ];
        for code in codes {
            let number = u16::from(code);
            assert_eq!(ErrorCode::from(number), code);
        }
        assert_eq!(u16::from(ErrorCode::RoomClosed), 12);
        // A relay newer still sends codes past it; they stay what they were.
        assert_eq!(ErrorCode::from(13), ErrorCode::Unknown(13));
        assert_eq!(u16::from(ErrorCode::Unknown(13)), 13);
    }

    #[test]
    fn closing_frames_come_after_every_earlier_variant() {
        // Postcard numbers variants by position: Close and Closed must be
        // appended, never inserted, or every older frame would change meaning.
        let close = ClientFrame::Close {
            channel: 2,
            request: 9,
        };
        assert_eq!(encode(&close).unwrap(), [5, 2, 9]);
        assert_eq!(decode_client(&[5, 2, 9]).unwrap(), close);
        assert_eq!(close.request(), Some(9));
        assert_eq!(close.channel(), 2);
        let closed = ServerFrame::Closed {
            channel: 2,
            at: 300,
        };
        assert_eq!(encode(&closed).unwrap(), [6, 2, 0xAC, 0x02]);
        assert_eq!(decode_server(&[6, 2, 0xAC, 0x02]).unwrap(), closed);
        let error = ServerFrame::Error {
            channel: Some(2),
            request: Some(9),
            code: ErrorCode::RoomClosed,
            message: String::new(),
        };
        assert_eq!(decode_server(&encode(&error).unwrap()).unwrap(), error);
        assert!(ErrorCode::RoomClosed.explanation().contains("new link"));
    }

    #[test]
    fn a_hello_of_the_previous_version_is_still_read() {
        let bytes = encode(&hello(OLDEST_PROTOCOL_VERSION)).unwrap();
        assert_eq!(
            decode_client(&bytes).unwrap(),
            hello(OLDEST_PROTOCOL_VERSION)
        );
        let older = encode(&hello(OLDEST_PROTOCOL_VERSION - 1)).unwrap();
        assert!(matches!(
            decode_client(&older),
            Err(ProtocolError::UnsupportedVersion { .. })
        ));
    }

    #[test]
    fn an_oversized_blob_is_refused_when_encoding() {
        let frame = ClientFrame::Append {
            channel: 0,
            request: 0,
            blob: vec![0; MAX_BLOB_BYTES + 1],
        };
        assert!(matches!(
            encode(&frame),
            Err(ProtocolError::BlobTooLarge { .. })
        ));
    }

    #[test]
    fn the_largest_blob_still_fits_in_an_entry() {
        let blob = vec![0; MAX_BLOB_BYTES];
        let entry = ServerFrame::Entry {
            channel: u16::MAX,
            seq: u64::MAX,
            blob,
        };
        let bytes = encode(&entry).unwrap();
        assert_eq!(decode_server(&bytes).unwrap(), entry);
    }

    #[test]
    fn debug_never_shows_a_write_token() {
        let text = format!("{:?}", hello(1));
        assert!(text.contains("<redacted>"));
        assert!(!text.contains("9, 9"));
    }
}
