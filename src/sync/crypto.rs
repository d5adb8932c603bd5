//! End-to-end encryption of a synced workspace: keys from one secret, sealed
//! and signed blobs.
//!
//! A workspace has a random 256-bit [`WorkspaceSecret`]; an editor link carries
//! it. HKDF-SHA256 derives from it, under distinct labels, the Ed25519 key
//! editors sign changes with ([`BlobSigner`]), the [`ContentKey`] that seals
//! blobs and the [`WriteToken`] that lets the relay accept appends. The
//! signing key's public half is the [`WriterKey`], and the [`RoomId`] the
//! relay files blobs under is a hash of it. A read-only link carries only
//! [`ReadKeys`] (writer key and content key): a reader can open and check
//! every change but cannot sign one, so nothing a reader writes is accepted
//! by anyone. The relay stores [`write_token_hash`], never the token.
//!
//! Every change and snapshot blob is signed: 64 bytes of Ed25519 signature
//! over its associated data and the sealed bytes, in front of them
//! ([`sign_sealed`], [`verify_signed`]). Presence is sealed but not signed.
//!
//! When an editor stops sharing through a room and shares the workspace
//! again under a new secret, the old room's key signs that the room moved to
//! the new writer key ([`BlobSigner::sign_move`], [`move_proves`]), so a
//! member's browser can tell a link that replaces its room from a stranger's.
//!
//! Every blob is sealed with XChaCha20-Poly1305 under a fresh random 24-byte
//! nonce (long enough that random nonces never collide in practice), written
//! in front of the ciphertext. The associated data binds the room id and the
//! [`BlobKind`] (for a snapshot, with the last sequence number it covers), so
//! the relay cannot replay a blob into another room, pass a presence message
//! off as changes, or relabel an old snapshot as covering entries it lacks.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub use super::protocol::{ROOM_OF_WRITER_LABEL, WriterKey};
use super::protocol::{RoomId, WriteToken};

/// HKDF `info` label that derives the content key.
pub const CONTENT_KEY_LABEL: &[u8] = b"charter/v1/content-key";
/// What the write token signs, followed by the room id.
pub const WRITE_TOKEN_LABEL: &[u8] = b"charter/v2/write-token";
/// HKDF `info` label that derives the seed of the Ed25519 signing key.
pub const SIGNING_KEY_LABEL: &[u8] = b"charter/v1/signing-key";
/// Length of the Ed25519 signature in front of every signed blob.
pub const SIGNATURE_BYTES: usize = 64;
/// What a move proof signs, followed by a zero byte, the old room id and the new writer key.
pub const MOVED_LABEL: &[u8] = b"charter/v2/moved";

/// Length of the random nonce at the front of every sealed blob.
pub const NONCE_BYTES: usize = 24;
/// Length of the Poly1305 authentication tag at the end of every sealed blob.
pub const TAG_BYTES: usize = 16;
/// How many bytes sealing adds to a plaintext; also the shortest possible sealed blob.
pub const SEAL_OVERHEAD_BYTES: usize = NONCE_BYTES + TAG_BYTES;

/// Why a key could not be made or read, or a blob could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The platform's secure random number generator failed.
    #[error(
        "This browser did not provide secure random numbers ({0}), so nothing was encrypted. \
         Use a current browser, over HTTPS or on localhost."
    )]
    RandomUnavailable(getrandom::Error),
    /// A key in a link holds characters outside the base64url alphabet.
    #[error(
        "The {what} in this link contains characters that do not belong in it. Copy the whole \
         link again and make sure nothing was added to it."
    )]
    KeyNotBase64 {
        /// Which key: "workspace key" or "read-only key".
        what: &'static str,
    },
    /// A key in a link has the wrong number of characters.
    #[error(
        "The {what} in this link should be {expected} characters long but has {found}. Copy the \
         whole link again; it may have been cut off."
    )]
    KeyWrongLength {
        /// Which key: "workspace key" or "read-only key".
        what: &'static str,
        /// The number of characters a valid key has.
        expected: usize,
        /// The number of characters found.
        found: usize,
    },
    /// A key in a link has the right alphabet and length but is not a valid encoding.
    #[error("The {what} in this link is damaged. Copy the whole link again.")]
    KeyDamaged {
        /// Which key: "workspace key" or "read-only key".
        what: &'static str,
    },
    /// The blob is too large for the cipher.
    #[error("This change is too large to encrypt, so it was not sent.")]
    TooLarge,
    /// The blob is shorter than a nonce and a tag.
    #[error(
        "A received change of {len} bytes is too short to be a sealed Charter change \
         (at least {min} bytes); it was skipped."
    )]
    TooShort {
        /// Size of the blob.
        len: usize,
        /// [`SEAL_OVERHEAD_BYTES`].
        min: usize,
    },
    /// A change or snapshot without a valid signature of the workspace's editors.
    #[error(
        "A received change was not signed by an editor of this workspace (a reader, or someone \
         else, wrote it). It was skipped; your workspace is unchanged."
    )]
    NotSigned,
    /// A read-only link cannot sign, so it cannot send changes.
    #[error("This link can only read, so no change was sent.")]
    ReadOnly,
    /// Wrong key, another room, another kind, or tampered with.
    #[error(
        "A received change could not be decrypted: it was sealed with another key or for another \
         room, or it was altered on the way. It was skipped; your workspace is unchanged."
    )]
    DoesNotAuthenticate,
}

/// The workspace's 256-bit root secret; whoever holds it can read and edit.
#[derive(Clone)]
pub struct WorkspaceSecret([u8; 32]);

/// The key that seals and opens every blob of a workspace.
#[derive(Clone)]
pub struct ContentKey([u8; 32]);

/// The workspace's Ed25519 signing key, derived from its secret: only editors have it.
#[derive(Clone)]
pub struct BlobSigner(SigningKey);

impl BlobSigner {
    /// The public half, which readers and the relay check signatures with.
    pub fn writer_key(&self) -> WriterKey {
        WriterKey::from_bytes(self.0.verifying_key().to_bytes())
    }

    /// Signs that this key's room moved to the room of `new_writer`: what a
    /// link made after closing the room carries, checked with [`move_proves`].
    pub fn sign_move(&self, new_writer: &WriterKey) -> [u8; SIGNATURE_BYTES] {
        use ed25519_dalek::Signer as _;
        let old_writer = self.writer_key();
        let message = move_message(&old_writer.room(), new_writer);
        self.0.sign(&message).to_bytes()
    }
}

// Two signers are the same key when their public halves are.
impl PartialEq for BlobSigner {
    fn eq(&self, other: &Self) -> bool {
        self.writer_key() == other.writer_key()
    }
}

impl Eq for BlobSigner {}

impl fmt::Debug for BlobSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlobSigner(<redacted>)")
    }
}

/// What a read-only link carries: enough to find the room and read it, not to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadKeys {
    /// The room on the relay (derived from `writer`).
    pub room: RoomId,
    /// The key every change must be signed with.
    pub writer: WriterKey,
    /// The key that opens the room's blobs.
    pub content_key: ContentKey,
}

/// What a sealed blob holds; bound into its associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlobKind {
    /// Automerge changes, appended to the room's log. (Their sequence number
    /// is the relay's to give, after sealing, so it cannot be bound.)
    Changes,
    /// A whole-document snapshot covering the log up to and including `covers`.
    Snapshot {
        /// The last sequence number the snapshot includes.
        covers: u64,
    },
    /// A presence message, never stored.
    Presence,
}

impl BlobKind {
    /// The version and kind as the byte string bound into the associated data.
    pub fn label(self) -> &'static [u8] {
        match self {
            BlobKind::Changes => b"charter/v1/blob/changes",
            BlobKind::Snapshot { .. } => b"charter/v2/blob/snapshot",
            BlobKind::Presence => b"charter/v1/blob/presence",
        }
    }
}

const SECRET_NAME: &str = "workspace key";
const READ_KEYS_NAME: &str = "read-only key";

impl WorkspaceSecret {
    /// A fresh secret from the platform's secure random number generator.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut bytes = [0; 32];
        getrandom::fill(&mut bytes).map_err(CryptoError::RandomUnavailable)?;
        Ok(WorkspaceSecret(bytes))
    }

    /// Wraps raw secret bytes, as kept in the browser's storage.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        WorkspaceSecret(bytes)
    }

    /// The raw 32 bytes of the secret; never log or display them.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The secret as 43 base64url characters (no padding), for an editor link's fragment.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// Reads a secret written by [`WorkspaceSecret::to_base64url`].
    pub fn from_base64url(text: &str) -> Result<Self, CryptoError> {
        decode_base64url::<32>(text, SECRET_NAME).map(WorkspaceSecret)
    }

    /// The room id the relay files this workspace's blobs under.
    pub fn room_id(&self) -> RoomId {
        self.writer_key().room()
    }

    /// The key editors sign changes with.
    pub fn signer(&self) -> BlobSigner {
        BlobSigner(SigningKey::from_bytes(&self.derive(SIGNING_KEY_LABEL)))
    }

    /// The public half of [`WorkspaceSecret::signer`].
    pub fn writer_key(&self) -> WriterKey {
        self.signer().writer_key()
    }

    /// The key that seals and opens this workspace's blobs.
    pub fn content_key(&self) -> ContentKey {
        ContentKey(self.derive(CONTENT_KEY_LABEL))
    }

    /// The token that lets a connection append to this workspace's room.
    /// (Ed25519 signatures are deterministic: every editor makes the same token.)
    pub fn write_token(&self) -> WriteToken {
        use ed25519_dalek::Signer as _;
        let signature = self.signer().0.sign(&token_message(&self.room_id()));
        WriteToken::from_bytes(signature.to_bytes())
    }

    /// The keys for a read-only link.
    pub fn read_keys(&self) -> ReadKeys {
        ReadKeys::new(self.writer_key(), self.content_key())
    }

    fn derive(&self, label: &[u8]) -> [u8; 32] {
        // The secret is already uniformly random, so HKDF needs no salt.
        let hkdf = Hkdf::<Sha256>::new(None, &self.0);
        let mut okm = [0; 32];
        hkdf.expand(label, &mut okm)
            .expect("32 bytes is far below HKDF-SHA256's output limit of 8160 bytes");
        okm
    }
}

// Constant time, so that comparing secrets never leaks how many bytes matched.
impl PartialEq for WorkspaceSecret {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for WorkspaceSecret {}

impl fmt::Debug for WorkspaceSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WorkspaceSecret(<redacted>)")
    }
}

impl ContentKey {
    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        ContentKey(bytes)
    }

    /// The raw 32 bytes of the key; never log or display them.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl PartialEq for ContentKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for ContentKey {}

impl fmt::Debug for ContentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContentKey(<redacted>)")
    }
}

impl ReadKeys {
    /// The keys of the room `writer` writes to.
    pub fn new(writer: WriterKey, content_key: ContentKey) -> Self {
        ReadKeys {
            room: writer.room(),
            writer,
            content_key,
        }
    }

    /// Writer key then content key as 86 base64url characters, for a read-only link's fragment.
    pub fn to_base64url(&self) -> String {
        let mut bytes = [0; 64];
        bytes[..32].copy_from_slice(self.writer.as_bytes());
        bytes[32..].copy_from_slice(self.content_key.as_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Reads keys written by [`ReadKeys::to_base64url`].
    pub fn from_base64url(text: &str) -> Result<Self, CryptoError> {
        let bytes = decode_base64url::<64>(text, READ_KEYS_NAME)?;
        let mut writer = [0; 32];
        let mut content_key = [0; 32];
        writer.copy_from_slice(&bytes[..32]);
        content_key.copy_from_slice(&bytes[32..]);
        if VerifyingKey::from_bytes(&writer).is_err() {
            return Err(CryptoError::KeyDamaged {
                what: READ_KEYS_NAME,
            });
        }
        Ok(ReadKeys::new(
            WriterKey::from_bytes(writer),
            ContentKey(content_key),
        ))
    }
}

/// What the relay stores instead of the write token: its SHA-256 hash.
pub fn write_token_hash(token: &WriteToken) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Whether `token` was made with the signing key of `writer` for `room`: what
/// the relay checks before it lets a connection append.
pub fn write_token_proves(writer: &WriterKey, room: &RoomId, token: &WriteToken) -> bool {
    VerifyingKey::from_bytes(writer.as_bytes()).is_ok_and(|key| {
        key.verify_strict(
            &token_message(room),
            &Signature::from_bytes(token.as_bytes()),
        )
        .is_ok()
    })
}

fn token_message(room: &RoomId) -> Vec<u8> {
    [WRITE_TOKEN_LABEL, &[0], room.as_bytes()].concat()
}

/// Whether `proof` was made by [`BlobSigner::sign_move`] with the key of
/// `old_writer`, saying that its room moved to `new_writer`'s: only someone
/// who held the old workspace secret can make one.
pub fn move_proves(
    old_writer: &WriterKey,
    new_writer: &WriterKey,
    proof: &[u8; SIGNATURE_BYTES],
) -> bool {
    VerifyingKey::from_bytes(old_writer.as_bytes()).is_ok_and(|key| {
        key.verify_strict(
            &move_message(&old_writer.room(), new_writer),
            &Signature::from_bytes(proof),
        )
        .is_ok()
    })
}

/// The label, a zero byte, the old room id and the new writer key: fixed
/// lengths after a label no other signature uses.
fn move_message(old_room: &RoomId, new_writer: &WriterKey) -> Vec<u8> {
    [
        MOVED_LABEL,
        &[0],
        old_room.as_bytes(),
        new_writer.as_bytes(),
    ]
    .concat()
}

/// Whether `token` hashes to `hash`, compared in constant time.
pub fn verify_write_token(hash: &[u8; 32], token: &WriteToken) -> bool {
    write_token_hash(token).ct_eq(hash).into()
}

/// Encrypts `plaintext` for `room` as a `kind` blob: nonce, then ciphertext and tag.
pub fn seal(
    key: &ContentKey,
    room: &RoomId,
    kind: BlobKind,
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let mut nonce = [0; NONCE_BYTES];
    getrandom::fill(&mut nonce).map_err(CryptoError::RandomUnavailable)?;
    let aad = associated_data(room, kind);
    let ciphertext = cipher(key)
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .map_err(|_| CryptoError::TooLarge)?;
    let mut sealed = Vec::with_capacity(NONCE_BYTES + ciphertext.len());
    sealed.extend_from_slice(&nonce);
    sealed.extend_from_slice(&ciphertext);
    Ok(sealed)
}

/// Decrypts a blob made by [`seal`] with the same key, room and kind.
pub fn open(
    key: &ContentKey,
    room: &RoomId,
    kind: BlobKind,
    sealed: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let too_short = || CryptoError::TooShort {
        len: sealed.len(),
        min: SEAL_OVERHEAD_BYTES,
    };
    if sealed.len() < SEAL_OVERHEAD_BYTES {
        return Err(too_short());
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
    let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| too_short())?;
    let aad = associated_data(room, kind);
    cipher(key)
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| CryptoError::DoesNotAuthenticate)
}

/// Signs a sealed `kind` blob of `room`: the signature over its associated
/// data and bytes, then the bytes.
pub fn sign_sealed(signer: &BlobSigner, room: &RoomId, kind: BlobKind, sealed: &[u8]) -> Vec<u8> {
    use ed25519_dalek::Signer as _;
    let signature = signer.0.sign(&signed_message(room, kind, sealed));
    let mut signed = Vec::with_capacity(SIGNATURE_BYTES + sealed.len());
    signed.extend_from_slice(&signature.to_bytes());
    signed.extend_from_slice(sealed);
    signed
}

/// Checks the signature in front of a blob made by [`sign_sealed`] against
/// `writer`, and returns the sealed bytes behind it.
pub fn verify_signed<'a>(
    writer: &WriterKey,
    room: &RoomId,
    kind: BlobKind,
    signed: &'a [u8],
) -> Result<&'a [u8], CryptoError> {
    let Some((signature, sealed)) = signed.split_first_chunk::<SIGNATURE_BYTES>() else {
        return Err(CryptoError::NotSigned);
    };
    let key = VerifyingKey::from_bytes(writer.as_bytes()).map_err(|_| CryptoError::NotSigned)?;
    // Strict: no malleable signatures, no small-order keys.
    key.verify_strict(
        &signed_message(room, kind, sealed),
        &Signature::from_bytes(signature),
    )
    .map_err(|_| CryptoError::NotSigned)?;
    Ok(sealed)
}

/// What a blob's signature covers: its associated data, then its sealed bytes.
fn signed_message(room: &RoomId, kind: BlobKind, sealed: &[u8]) -> Vec<u8> {
    let mut message = associated_data(room, kind);
    message.extend_from_slice(sealed);
    message
}

fn cipher(key: &ContentKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&Key::from(key.0))
}

/// The kind's label, a zero byte, the room id, then for a snapshot the
/// sequence number it covers as 8 big-endian bytes: fixed labels and
/// fixed-length fields make the encoding unambiguous.
fn associated_data(room: &RoomId, kind: BlobKind) -> Vec<u8> {
    let label = kind.label();
    let mut aad = Vec::with_capacity(label.len() + 1 + 32 + 8);
    aad.extend_from_slice(label);
    aad.push(0);
    aad.extend_from_slice(room.as_bytes());
    if let BlobKind::Snapshot { covers } = kind {
        aad.extend_from_slice(&covers.to_be_bytes());
    }
    aad
}

/// Strict base64url without padding: checks the alphabet, then the length, then
/// decodes (which also refuses non-canonical final characters).
pub(crate) fn decode_base64url<const N: usize>(
    text: &str,
    what: &'static str,
) -> Result<[u8; N], CryptoError> {
    let is_base64url = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_';
    if !text.bytes().all(is_base64url) {
        return Err(CryptoError::KeyNotBase64 { what });
    }
    let expected = base64::encoded_len(N, false).unwrap_or(usize::MAX);
    if text.len() != expected {
        return Err(CryptoError::KeyWrongLength {
            what,
            expected,
            found: text.chars().count(),
        });
    }
    let mut bytes = [0; N];
    match URL_SAFE_NO_PAD.decode_slice(text, &mut bytes) {
        Ok(len) if len == N => Ok(bytes),
        _ => Err(CryptoError::KeyDamaged { what }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> WorkspaceSecret {
        WorkspaceSecret::from_bytes(*b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn derived_values_are_deterministic_and_distinct() {
        let s = secret();
        assert_eq!(s.room_id(), secret().room_id());
        assert_eq!(s.content_key(), secret().content_key());
        assert_eq!(s.write_token(), secret().write_token());
        let room = *s.room_id().as_bytes();
        let key = *s.content_key().as_bytes();
        let token = *s.write_token().as_bytes();
        assert_ne!(room, key);
        assert_ne!(room[..], token[..32]);
        assert_ne!(key[..], token[..32]);
        assert_ne!(&room, s.as_bytes());
        assert!(write_token_proves(
            &s.writer_key(),
            &s.room_id(),
            &s.write_token()
        ));
        let other = WorkspaceSecret::from_bytes([7; 32]);
        assert!(!write_token_proves(
            &s.writer_key(),
            &s.room_id(),
            &other.write_token()
        ));
        assert!(!write_token_proves(
            &other.writer_key(),
            &other.room_id(),
            &s.write_token()
        ));
    }

    #[test]
    fn seal_then_open_returns_the_plaintext() {
        let s = secret();
        let sealed = seal(&s.content_key(), &s.room_id(), BlobKind::Changes, b"hello").unwrap();
        assert_eq!(sealed.len(), 5 + SEAL_OVERHEAD_BYTES);
        let opened = open(&s.content_key(), &s.room_id(), BlobKind::Changes, &sealed).unwrap();
        assert_eq!(opened, b"hello");
    }

    #[test]
    fn a_signed_blob_verifies_only_for_its_writer_room_and_kind() {
        let s = secret();
        let (room, kind) = (s.room_id(), BlobKind::Changes);
        let sealed = seal(&s.content_key(), &room, kind, b"change").unwrap();
        let signed = sign_sealed(&s.signer(), &room, kind, &sealed);
        assert_eq!(signed.len(), sealed.len() + SIGNATURE_BYTES);
        assert_eq!(
            verify_signed(&s.writer_key(), &room, kind, &signed),
            Ok(&sealed[..])
        );

        let other = WorkspaceSecret::from_bytes([9; 32]);
        let signed_by_other = sign_sealed(&other.signer(), &room, kind, &sealed);
        let refused = [
            verify_signed(&other.writer_key(), &room, kind, &signed),
            verify_signed(&s.writer_key(), &other.room_id(), kind, &signed),
            verify_signed(
                &s.writer_key(),
                &room,
                BlobKind::Snapshot { covers: 0 },
                &signed,
            ),
            // Unsigned, as a reader's client would have sent it.
            verify_signed(&s.writer_key(), &room, kind, &sealed),
            // Signed by another workspace's key.
            verify_signed(&s.writer_key(), &room, kind, &signed_by_other),
            verify_signed(&s.writer_key(), &room, kind, &signed[..10]),
        ];
        for result in refused {
            assert_eq!(result, Err(CryptoError::NotSigned));
        }
        let mut flipped = signed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(
            verify_signed(&s.writer_key(), &room, kind, &flipped),
            Err(CryptoError::NotSigned)
        );
    }

    #[test]
    fn the_room_is_the_hash_of_the_writer_key_and_read_keys_carry_it() {
        let s = secret();
        assert_eq!(s.room_id(), s.writer_key().room());
        let keys = ReadKeys::from_base64url(&s.read_keys().to_base64url()).unwrap();
        assert_eq!(keys.writer, s.writer_key());
        assert_eq!(keys.room, s.room_id());
        // A key that is no point on the curve is refused as damaged.
        let not_a_point = (2u8..=255)
            .map(|y| {
                let mut key = [0u8; 32];
                key[0] = y;
                key
            })
            .find(|key| VerifyingKey::from_bytes(key).is_err())
            .expect("some small y is not on the curve");
        let mut bytes = [0u8; 64];
        bytes[..32].copy_from_slice(&not_a_point);
        let text = URL_SAFE_NO_PAD.encode(bytes);
        assert!(matches!(
            ReadKeys::from_base64url(&text),
            Err(CryptoError::KeyDamaged { .. })
        ));
    }

    #[test]
    fn a_snapshot_relabelled_with_other_coverage_does_not_open() {
        let s = secret();
        let (key, room) = (s.content_key(), s.room_id());
        let sealed = seal(&key, &room, BlobKind::Snapshot { covers: 40 }, b"doc").unwrap();
        assert_eq!(
            open(&key, &room, BlobKind::Snapshot { covers: 40 }, &sealed).unwrap(),
            b"doc"
        );
        for covers in [0, 39, 41, 4_000] {
            assert_eq!(
                open(&key, &room, BlobKind::Snapshot { covers }, &sealed),
                Err(CryptoError::DoesNotAuthenticate),
                "claimed to cover {covers}"
            );
        }
    }

    #[test]
    fn two_seals_of_the_same_plaintext_differ() {
        let s = secret();
        let a = seal(&s.content_key(), &s.room_id(), BlobKind::Changes, b"same").unwrap();
        let b = seal(&s.content_key(), &s.room_id(), BlobKind::Changes, b"same").unwrap();
        assert_ne!(a[..NONCE_BYTES], b[..NONCE_BYTES]);
    }

    #[test]
    fn a_short_blob_is_reported_as_too_short() {
        let s = secret();
        let err = open(&s.content_key(), &s.room_id(), BlobKind::Changes, &[0; 39]).unwrap_err();
        assert_eq!(err, CryptoError::TooShort { len: 39, min: 40 });
    }

    #[test]
    fn secrets_and_keys_are_redacted_in_debug() {
        let s = secret();
        let text = format!("{s:?} {:?} {:?}", s.read_keys(), s.write_token());
        assert!(!text.contains("0123"), "{text}");
        assert!(!text.contains("48, 49"), "{text}");
    }

    #[test]
    fn a_move_proof_holds_only_for_its_old_key_and_new_key() {
        let (old, new, stranger) = (
            secret(),
            WorkspaceSecret::from_bytes([1; 32]),
            WorkspaceSecret::from_bytes([2; 32]),
        );
        let proof = old.signer().sign_move(&new.writer_key());
        assert!(move_proves(&old.writer_key(), &new.writer_key(), &proof));
        // Another new room, another old key, a key that signed for itself, a flipped bit.
        assert!(!move_proves(
            &old.writer_key(),
            &stranger.writer_key(),
            &proof
        ));
        assert!(!move_proves(
            &stranger.writer_key(),
            &new.writer_key(),
            &proof
        ));
        let forged = stranger.signer().sign_move(&new.writer_key());
        assert!(!move_proves(&old.writer_key(), &new.writer_key(), &forged));
        let mut flipped = proof;
        flipped[10] ^= 1;
        assert!(!move_proves(&old.writer_key(), &new.writer_key(), &flipped));
        // Not interchangeable with the write token, which signs under another label.
        let token = old.write_token();
        assert!(!move_proves(
            &old.writer_key(),
            &new.writer_key(),
            token.as_bytes()
        ));
        // The statement signed, byte for byte (Ed25519 is deterministic).
        use ed25519_dalek::Signer as _;
        let mut statement = b"charter/v2/moved\0".to_vec();
        statement.extend_from_slice(old.room_id().as_bytes());
        statement.extend_from_slice(new.writer_key().as_bytes());
        assert_eq!(old.signer().0.sign(&statement).to_bytes(), proof);
    }

    #[test]
    fn the_secret_round_trips_through_base64url() {
        let text = secret().to_base64url();
        assert_eq!(text.len(), 43);
        assert_eq!(WorkspaceSecret::from_base64url(&text).unwrap(), secret());
    }
}
