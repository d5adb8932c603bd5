//! Workspace files: an encrypted backup (a passphrase stretched with
//! Argon2id seals the workspace with XChaCha20-Poly1305) and the plain,
//! standard Automerge file; and reading either back, with a clear message for
//! anything else. Two people can exchange work this way with no relay: an
//! imported copy of the same workspace merges into it.
//!
//! Encrypted file: `MAGIC` (16 bytes) · Argon2id memory in KiB, passes and
//! lanes (three little-endian u32) · salt (16) · nonce (24) · ciphertext with
//! its 16-byte tag. Everything before the nonce is the associated data, so the
//! parameters cannot be changed without the file failing to open.

use argon2::{Algorithm, Argon2, Params, Version};
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};

use crate::workspace::WorkspaceDoc;

/// The first bytes of an encrypted Charter backup (format 1).
pub const MAGIC: &[u8; 16] = b"CHARTER-BACKUP\x001";
/// The largest file Charter imports: a three-year workspace saves to about
/// 4 MB, so this leaves room for decades and refuses a file meant to exhaust
/// the tab's memory before anything is read.
pub const MAX_IMPORT_BYTES: usize = 64 << 20;
/// The shortest passphrase accepted for a backup.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// Argon2id as OWASP recommends for interactive use (19 MiB, two passes,
/// one lane): about a second in a browser tab.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;
/// The most a file may ask for, so a crafted file cannot make the tab
/// allocate gigabytes or spin for minutes before failing.
const MAX_MEMORY_KIB: u32 = 256 * 1024;
const MAX_PASSES: u32 = 10;
const MAX_LANES: u32 = 4;

const SALT_BYTES: usize = 16;
const NONCE_BYTES: usize = 24;
const HEADER_BYTES: usize = MAGIC.len() + 12 + SALT_BYTES;

/// Why a file could not be imported (or a backup made), in a person's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// More than [`MAX_IMPORT_BYTES`].
    #[error("This file is larger than Charter imports (64 MB), so it was not read.")]
    TooLarge,
    /// Neither an encrypted backup nor Automerge data.
    #[error(
        "This file is not a Charter workspace: it is neither an encrypted backup nor an \
         Automerge document."
    )]
    NotAWorkspace,
    /// Cut short or altered.
    #[error("This file is damaged or incomplete ({0}); it may have been cut off when copied.")]
    Damaged(String),
    /// The passphrase does not open it.
    #[error(
        "This passphrase does not open the file (or the file was changed after it was made). \
         Check the passphrase and try again."
    )]
    WrongPassphrase,
    /// An Automerge document that is not a Charter workspace.
    #[error(
        "This Automerge document is not a Charter workspace: it has no organisation, or its \
         records cannot be read ({0})."
    )]
    ForeignSchema(String),
    /// A copy of another workspace offered for merging.
    #[error(
        "This file holds another workspace, not a copy of this one, so it cannot be merged \
         into it. Import it as a new workspace instead."
    )]
    OtherWorkspace,
    /// Too short a passphrase for a new backup.
    #[error("Use a passphrase of at least 10 characters.")]
    WeakPassphrase,
    /// The two passphrases typed differ.
    #[error("The two passphrases differ.")]
    PassphrasesDiffer,
    /// The platform failed (randomness, memory for Argon2).
    #[error("The backup could not be made ({0}).")]
    Failed(String),
}

/// What kind of workspace file some bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An encrypted backup: ask for the passphrase.
    Encrypted,
    /// A plain Automerge document.
    Automerge,
}

/// Tells an encrypted backup from an Automerge document, refusing anything
/// too large or of another kind before it is read further.
pub fn kind_of(bytes: &[u8]) -> Result<FileKind, BackupError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(BackupError::TooLarge);
    }
    if bytes.starts_with(MAGIC) {
        return Ok(FileKind::Encrypted);
    }
    if bytes.starts_with(&[0x85, 0x6f, 0x4a, 0x83]) {
        return Ok(FileKind::Automerge);
    }
    Err(BackupError::NotAWorkspace)
}

fn key_from(
    passphrase: &str,
    salt: &[u8],
    memory: u32,
    passes: u32,
    lanes: u32,
) -> Result<[u8; 32], BackupError> {
    let params = Params::new(memory, passes, lanes, Some(32))
        .map_err(|e| BackupError::Damaged(e.to_string()))?;
    let mut key = [0; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|e| BackupError::Failed(e.to_string()))?;
    Ok(key)
}

fn nonce_of(bytes: &[u8]) -> Result<XNonce, BackupError> {
    let bytes: [u8; NONCE_BYTES] = bytes
        .try_into()
        .map_err(|_| BackupError::Damaged("its nonce is cut short".to_owned()))?;
    Ok(XNonce::from(bytes))
}

/// Checks a passphrase chosen for a new backup, typed twice.
pub fn check_passphrase(passphrase: &str, again: &str) -> Result<(), BackupError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(BackupError::WeakPassphrase);
    }
    if passphrase != again {
        return Err(BackupError::PassphrasesDiffer);
    }
    Ok(())
}

/// Seals `document` (Automerge bytes) under `passphrase`, with fresh salt and nonce.
pub fn seal(document: &[u8], passphrase: &str) -> Result<Vec<u8>, BackupError> {
    let mut random = [0; SALT_BYTES + NONCE_BYTES];
    getrandom::fill(&mut random).map_err(|e| BackupError::Failed(e.to_string()))?;
    let (salt, nonce) = random.split_at(SALT_BYTES);
    seal_with(
        document,
        passphrase,
        salt,
        nonce,
        (MEMORY_KIB, PASSES, LANES),
    )
}

fn seal_with(
    document: &[u8],
    passphrase: &str,
    salt: &[u8],
    nonce: &[u8],
    (memory, passes, lanes): (u32, u32, u32),
) -> Result<Vec<u8>, BackupError> {
    let key = key_from(passphrase, salt, memory, passes, lanes)?;
    let mut out = Vec::with_capacity(HEADER_BYTES + NONCE_BYTES + document.len() + 16);
    out.extend_from_slice(MAGIC);
    for value in [memory, passes, lanes] {
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(salt);
    let sealed = XChaCha20Poly1305::new(&Key::from(key))
        .encrypt(
            &nonce_of(nonce)?,
            Payload {
                msg: document,
                aad: &out,
            },
        )
        .map_err(|_| BackupError::Failed("encryption failed".to_owned()))?;
    out.extend_from_slice(nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens an encrypted backup with `passphrase`; the Automerge bytes inside.
pub fn open(file: &[u8], passphrase: &str) -> Result<Vec<u8>, BackupError> {
    if kind_of(file)? != FileKind::Encrypted {
        return Err(BackupError::NotAWorkspace);
    }
    if file.len() < HEADER_BYTES + NONCE_BYTES + 16 {
        return Err(BackupError::Damaged(
            "it ends before its contents".to_owned(),
        ));
    }
    let number = |at: usize| u32::from_le_bytes(file[at..at + 4].try_into().unwrap_or_default());
    let (memory, passes, lanes) = (
        number(MAGIC.len()),
        number(MAGIC.len() + 4),
        number(MAGIC.len() + 8),
    );
    if memory > MAX_MEMORY_KIB || passes > MAX_PASSES || lanes > MAX_LANES || lanes == 0 {
        return Err(BackupError::Damaged(
            "its key settings are beyond what Charter uses".to_owned(),
        ));
    }
    let (header, rest) = file.split_at(HEADER_BYTES);
    let salt = &header[MAGIC.len() + 12..];
    let (nonce, sealed) = rest.split_at(NONCE_BYTES);
    let key = key_from(passphrase, salt, memory, passes, lanes)?;
    XChaCha20Poly1305::new(&Key::from(key))
        .decrypt(
            &nonce_of(nonce)?,
            Payload {
                msg: sealed,
                aad: header,
            },
        )
        .map_err(|_| BackupError::WrongPassphrase)
}

/// Reads Automerge bytes from a file as a Charter workspace: checked like a
/// snapshot from the relay (bounded inflation), loaded, and read with the
/// workspace schema, which must find an organisation.
pub fn read_workspace(bytes: &[u8]) -> Result<AutoCommit, BackupError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(BackupError::TooLarge);
    }
    crate::sync::client::check_automerge_file(bytes).map_err(BackupError::Damaged)?;
    let doc = AutoCommit::load(bytes).map_err(|e| BackupError::Damaged(e.to_string()))?;
    let wrapped = WorkspaceDoc::from_automerge(doc, "");
    let meta = wrapped
        .read()
        .map_err(|e| BackupError::ForeignSchema(e.to_string()))?
        .meta;
    if meta.organisation.trim().is_empty() {
        return Err(BackupError::ForeignSchema(
            "no organisation name".to_owned(),
        ));
    }
    Ok(wrapped.into_automerge())
}

/// Whether `imported` is a copy of the same workspace as `existing` (so
/// merging them unites their edits): both hold the very same `meta` record,
/// created once when the workspace was.
pub fn same_workspace(existing: &AutoCommit, imported: &AutoCommit) -> Result<(), BackupError> {
    let meta = |doc: &AutoCommit| doc.get(ROOT, "meta").ok().flatten().map(|(_, id)| id);
    match (meta(existing), meta(imported)) {
        (Some(a), Some(b)) if a == b => Ok(()),
        _ => Err(BackupError::OtherWorkspace),
    }
}

/// The whole workspace as JSON (docs/EXPORT.md describes it): the document
/// as it stands, maps as objects, lists as arrays, texts as strings, times as
/// milliseconds since the epoch. Written by hand, without serde_json, which
/// would add to every download of the app for this one button.
pub fn to_json(doc: &AutoCommit) -> String {
    let mut out = String::new();
    write_object(doc, &ROOT, ObjType::Map, &mut out);
    out
}

fn write_object(doc: &AutoCommit, obj: &ObjId, kind: ObjType, out: &mut String) {
    match kind {
        ObjType::Map | ObjType::Table => {
            out.push('{');
            for (i, key) in doc.keys(obj).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(&key, out);
                out.push(':');
                match doc.get(obj, key.as_str()) {
                    Ok(Some((value, id))) => write_value(doc, value, &id, out),
                    _ => out.push_str("null"),
                }
            }
            out.push('}');
        }
        ObjType::List => {
            out.push('[');
            for i in 0..doc.length(obj) {
                if i > 0 {
                    out.push(',');
                }
                match doc.get(obj, i) {
                    Ok(Some((value, id))) => write_value(doc, value, &id, out),
                    _ => out.push_str("null"),
                }
            }
            out.push(']');
        }
        ObjType::Text => write_string(&doc.text(obj).unwrap_or_default(), out),
    }
}

fn write_value(doc: &AutoCommit, value: Value<'_>, id: &ObjId, out: &mut String) {
    match value {
        Value::Object(kind) => write_object(doc, id, kind, out),
        Value::Scalar(scalar) => match scalar.as_ref() {
            ScalarValue::Str(s) => write_string(s, out),
            ScalarValue::Int(n) | ScalarValue::Timestamp(n) => out.push_str(&n.to_string()),
            ScalarValue::Uint(n) => out.push_str(&n.to_string()),
            ScalarValue::F64(f) if f.is_finite() => out.push_str(&f.to_string()),
            ScalarValue::Counter(c) => out.push_str(&i64::from(c).to_string()),
            ScalarValue::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
            _ => out.push_str("null"),
        },
    }
}

fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cheap key settings, so the tests stay fast.
    const FAST: (u32, u32, u32) = (64, 1, 1);

    #[test]
    fn a_backup_opens_with_its_passphrase_and_nothing_else() {
        let document = b"some automerge bytes".to_vec();
        let file = seal_with(&document, "correct horse", &[7; 16], &[9; 24], FAST).unwrap();
        assert_eq!(kind_of(&file), Ok(FileKind::Encrypted));
        assert_eq!(open(&file, "correct horse").unwrap(), document);
        assert_eq!(
            open(&file, "wrong horse!"),
            Err(BackupError::WrongPassphrase)
        );
        // A flipped bit anywhere, the key settings included, fails.
        for at in [
            MAGIC.len(),
            HEADER_BYTES - 1,
            HEADER_BYTES + 3,
            file.len() - 1,
        ] {
            let mut altered = file.clone();
            altered[at] ^= 1;
            assert!(open(&altered, "correct horse").is_err(), "bit at {at}");
        }
        // Cut short: damaged, said as such.
        assert!(matches!(
            open(&file[..HEADER_BYTES + 10], "correct horse"),
            Err(BackupError::Damaged(_))
        ));
        // Settings beyond the bounds are refused before any work.
        let mut greedy = file.clone();
        greedy[MAGIC.len()..MAGIC.len() + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            open(&greedy, "correct horse"),
            Err(BackupError::Damaged(_))
        ));
    }

    #[test]
    fn anything_else_is_told_apart_before_it_is_read() {
        assert_eq!(
            kind_of(b"PK\x03\x04 a zip"),
            Err(BackupError::NotAWorkspace)
        );
        assert_eq!(kind_of(&[]), Err(BackupError::NotAWorkspace));
        assert_eq!(
            kind_of(&vec![0; MAX_IMPORT_BYTES + 1]),
            Err(BackupError::TooLarge)
        );
        assert_eq!(
            check_passphrase("short", "short"),
            Err(BackupError::WeakPassphrase)
        );
        assert_eq!(
            check_passphrase("long enough one", "long enough two"),
            Err(BackupError::PassphrasesDiffer)
        );
        assert_eq!(check_passphrase("long enough", "long enough"), Ok(()));
    }
}
