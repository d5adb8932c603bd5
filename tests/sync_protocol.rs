//! Native tests of the sync wire protocol and the end-to-end crypto.
#![cfg(not(target_arch = "wasm32"))]

use charter::sync::crypto::{
    BlobKind, ContentKey, CryptoError, ReadKeys, WorkspaceSecret, open, seal, sign_sealed,
    verify_signed, verify_write_token, write_token_hash,
};
use charter::sync::protocol::{
    ClientFrame, ErrorCode, MAX_BLOB_BYTES, MAX_FRAME_BYTES, PROTOCOL_VERSION, ProtocolError,
    RoomId, ServerFrame, WriteToken, WriterKey, decode_client, decode_server, encode,
};
use proptest::prelude::*;

// ---------------------------------------------------------------- protocol

fn room(byte: u8) -> RoomId {
    RoomId([byte; 32])
}

fn every_client_frame() -> Vec<ClientFrame> {
    vec![
        ClientFrame::Hello {
            version: PROTOCOL_VERSION,
            channel: 0,
            room: room(1),
            writer: WriterKey::from_bytes([1; 32]),
            write_token: None,
            cursor: 0,
            entries_only: false,
        },
        ClientFrame::Hello {
            version: PROTOCOL_VERSION,
            channel: u16::MAX,
            room: room(2),
            writer: WriterKey::from_bytes([2; 32]),
            write_token: Some(WriteToken::from_bytes([3; 64])),
            cursor: u64::MAX,
            entries_only: true,
        },
        ClientFrame::Append {
            channel: 1,
            request: u32::MAX,
            blob: vec![1, 2, 3],
        },
        ClientFrame::Append {
            channel: 1,
            request: 0,
            blob: Vec::new(),
        },
        ClientFrame::Snapshot {
            channel: 2,
            request: 7,
            covers: 1_000_000,
            blob: vec![9; 300],
        },
        ClientFrame::Ephemeral {
            channel: 3,
            blob: vec![0xFF; 17],
        },
        ClientFrame::Leave { channel: 4 },
        ClientFrame::Close {
            channel: 5,
            request: u32::MAX,
        },
    ]
}

fn every_server_frame() -> Vec<ServerFrame> {
    let mut frames = vec![
        ServerFrame::Welcome {
            channel: 0,
            head: 0,
            writable: false,
        },
        ServerFrame::Welcome {
            channel: 9,
            head: u64::MAX,
            writable: true,
        },
        ServerFrame::Ack {
            channel: 1,
            request: 5,
            seq: 6,
        },
        ServerFrame::Entry {
            channel: 1,
            seq: 1,
            blob: vec![4; 64],
        },
        ServerFrame::SnapshotEntry {
            channel: 2,
            covers: 40,
            blob: vec![5; 10],
        },
        ServerFrame::Ephemeral {
            channel: 3,
            blob: Vec::new(),
        },
        ServerFrame::Error {
            channel: None,
            request: None,
            code: ErrorCode::BadFrame,
            message: String::new(),
        },
        ServerFrame::Closed {
            channel: 4,
            at: u64::MAX,
        },
    ];
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
        ErrorCode::Unknown(4242),
    ];
    frames.extend(codes.into_iter().map(|code| ServerFrame::Error {
        channel: Some(3),
        request: Some(8),
        code,
        message: "Relay says: ünïcode is fine".into(),
    }));
    frames
}

#[test]
fn every_client_frame_round_trips() {
    for frame in every_client_frame() {
        let bytes = encode(&frame).unwrap();
        assert_eq!(decode_client(&bytes).unwrap(), frame);
    }
}

#[test]
fn every_server_frame_round_trips() {
    for frame in every_server_frame() {
        let bytes = encode(&frame).unwrap();
        assert_eq!(decode_server(&bytes).unwrap(), frame);
    }
}

#[test]
fn input_over_the_frame_limit_is_refused_before_decoding() {
    // A valid Leave followed by padding: only the size check can reject it as too large.
    let mut bytes = encode(&ClientFrame::Leave { channel: 1 }).unwrap();
    bytes.resize(MAX_FRAME_BYTES + 1, 0);
    let expected = ProtocolError::FrameTooLarge {
        len: MAX_FRAME_BYTES + 1,
        max: MAX_FRAME_BYTES,
    };
    assert_eq!(decode_client(&bytes), Err(expected.clone()));
    assert_eq!(decode_server(&bytes), Err(expected.clone()));
    assert_eq!(expected.code(), ErrorCode::FrameTooLarge);
}

#[test]
fn a_blob_over_the_limit_is_refused_even_inside_the_frame_limit() {
    // Built with postcard directly, since `encode` refuses to make it.
    let frame = ClientFrame::Append {
        channel: 0,
        request: 0,
        blob: vec![0; MAX_BLOB_BYTES + 1],
    };
    let bytes = postcard::to_allocvec(&frame).unwrap();
    assert!(bytes.len() <= MAX_FRAME_BYTES);
    let err = decode_client(&bytes).unwrap_err();
    assert!(matches!(err, ProtocolError::BlobTooLarge { .. }), "{err:?}");
    assert_eq!(err.code(), ErrorCode::FrameTooLarge);
}

#[test]
fn a_declared_length_beyond_the_input_is_truncation() {
    // Append, channel 0, request 0, then a blob length of 1_000_000 with 3 bytes behind it.
    let mut bytes = vec![1, 0, 0];
    bytes.extend_from_slice(&[0xC0, 0x84, 0x3D]);
    bytes.extend_from_slice(&[1, 2, 3]);
    assert_eq!(decode_client(&bytes), Err(ProtocolError::Truncated));
}

#[test]
fn unknown_variants_and_bad_options_are_malformed() {
    // Tag 6 is past ClientFrame's last variant; tag 7 past ServerFrame's.
    let err = decode_client(&[6]).unwrap_err();
    assert!(matches!(err, ProtocolError::Malformed(_)), "{err:?}");
    assert_eq!(err.code(), ErrorCode::BadFrame);
    assert!(matches!(
        decode_server(&[7]),
        Err(ProtocolError::Malformed(_))
    ));
    // A Hello of this version whose write-token option tag is 2.
    let version = u8::try_from(PROTOCOL_VERSION).unwrap();
    assert!(version < 0x80, "one varint byte");
    let mut hello = vec![0, version, 0];
    hello.extend_from_slice(&[0; 32]); // room
    hello.extend_from_slice(&[0; 32]); // writer key
    hello.push(2);
    assert!(matches!(
        decode_client(&hello),
        Err(ProtocolError::Malformed(_))
    ));
}

#[test]
fn decoding_errors_read_as_sentences() {
    let errors = [
        ProtocolError::Truncated,
        ProtocolError::TrailingBytes { extra: 2 },
        ProtocolError::FrameTooLarge { len: 2, max: 1 },
        ProtocolError::UnsupportedVersion {
            found: 2,
            supported: 1,
        },
    ];
    for err in errors {
        let text = err.to_string();
        assert!(
            text.starts_with(char::is_uppercase) && text.ends_with('.'),
            "{text}"
        );
    }
}

fn arb_blob() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..200)
}

fn arb_room() -> impl Strategy<Value = RoomId> {
    any::<[u8; 32]>().prop_map(RoomId)
}

fn arb_client_frame() -> impl Strategy<Value = ClientFrame> {
    prop_oneof![
        (
            any::<u16>(),
            arb_room(),
            proptest::option::of(any::<[u8; 32]>()),
            any::<u64>(),
            (any::<bool>(), any::<[u8; 32]>())
        )
            .prop_map(|(channel, room, token, cursor, (entries_only, writer))| {
                ClientFrame::Hello {
                    version: PROTOCOL_VERSION,
                    channel,
                    room,
                    writer: WriterKey::from_bytes(writer),
                    // Both halves from one draw: any 64 bytes are a well-formed token.
                    write_token: token.map(|half| {
                        WriteToken::from_bytes([half, half].concat().try_into().unwrap())
                    }),
                    cursor,
                    entries_only,
                }
            }),
        (any::<u16>(), any::<u32>(), arb_blob()).prop_map(|(channel, request, blob)| {
            ClientFrame::Append {
                channel,
                request,
                blob,
            }
        }),
        (any::<u16>(), any::<u32>(), any::<u64>(), arb_blob()).prop_map(
            |(channel, request, covers, blob)| ClientFrame::Snapshot {
                channel,
                request,
                covers,
                blob
            }
        ),
        (any::<u16>(), arb_blob())
            .prop_map(|(channel, blob)| ClientFrame::Ephemeral { channel, blob }),
        any::<u16>().prop_map(|channel| ClientFrame::Leave { channel }),
        (any::<u16>(), any::<u32>())
            .prop_map(|(channel, request)| ClientFrame::Close { channel, request }),
    ]
}

fn arb_error_code() -> impl Strategy<Value = ErrorCode> {
    // Numbers 1..=12 are the known codes; Unknown keeps only numbers no known code uses.
    prop_oneof![
        (1u16..=12).prop_map(ErrorCode::from),
        (13u16..).prop_map(ErrorCode::Unknown),
    ]
}

fn arb_server_frame() -> impl Strategy<Value = ServerFrame> {
    prop_oneof![
        (any::<u16>(), any::<u64>(), any::<bool>()).prop_map(|(channel, head, writable)| {
            ServerFrame::Welcome {
                channel,
                head,
                writable,
            }
        }),
        (any::<u16>(), any::<u32>(), any::<u64>()).prop_map(|(channel, request, seq)| {
            ServerFrame::Ack {
                channel,
                request,
                seq,
            }
        }),
        (any::<u16>(), any::<u64>(), arb_blob())
            .prop_map(|(channel, seq, blob)| ServerFrame::Entry { channel, seq, blob }),
        (any::<u16>(), any::<u64>(), arb_blob()).prop_map(|(channel, covers, blob)| {
            ServerFrame::SnapshotEntry {
                channel,
                covers,
                blob,
            }
        }),
        (any::<u16>(), arb_blob())
            .prop_map(|(channel, blob)| ServerFrame::Ephemeral { channel, blob }),
        (
            proptest::option::of(any::<u16>()),
            proptest::option::of(any::<u32>()),
            arb_error_code(),
            ".{0,40}"
        )
            .prop_map(|(channel, request, code, message)| ServerFrame::Error {
                channel,
                request,
                code,
                message
            }),
        (any::<u16>(), any::<u64>()).prop_map(|(channel, at)| ServerFrame::Closed { channel, at }),
    ]
}

proptest! {
    #[test]
    fn arbitrary_client_frames_round_trip(frame in arb_client_frame()) {
        let bytes = encode(&frame).unwrap();
        prop_assert_eq!(decode_client(&bytes).unwrap(), frame);
    }

    #[test]
    fn arbitrary_server_frames_round_trip(frame in arb_server_frame()) {
        let bytes = encode(&frame).unwrap();
        prop_assert_eq!(decode_server(&bytes).unwrap(), frame);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoders(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_client(&bytes);
        let _ = decode_server(&bytes);
    }

    // Random bytes mostly fail at the first byte; a valid tag in front gets them deeper.
    #[test]
    fn arbitrary_bodies_behind_a_valid_tag_never_panic(
        tag in 0u8..8,
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = vec![tag];
        bytes.extend_from_slice(&body);
        let _ = decode_client(&bytes);
        let _ = decode_server(&bytes);
    }

    #[test]
    fn every_truncation_of_a_client_frame_is_an_error(frame in arb_client_frame()) {
        let bytes = encode(&frame).unwrap();
        for cut in 0..bytes.len() {
            prop_assert_eq!(decode_client(&bytes[..cut]), Err(ProtocolError::Truncated));
        }
    }

    #[test]
    fn every_truncation_of_a_server_frame_is_an_error(frame in arb_server_frame()) {
        let bytes = encode(&frame).unwrap();
        for cut in 0..bytes.len() {
            prop_assert_eq!(decode_server(&bytes[..cut]), Err(ProtocolError::Truncated));
        }
    }

    #[test]
    fn trailing_garbage_after_a_frame_is_an_error(
        frame in arb_client_frame(),
        extra in prop::collection::vec(any::<u8>(), 1..16),
    ) {
        let mut bytes = encode(&frame).unwrap();
        bytes.extend_from_slice(&extra);
        prop_assert_eq!(
            decode_client(&bytes),
            Err(ProtocolError::TrailingBytes { extra: extra.len() })
        );
    }

    #[test]
    fn oversized_input_is_rejected(
        excess in 1usize..4096,
        fill in any::<u8>(),
    ) {
        let bytes = vec![fill; MAX_FRAME_BYTES + excess];
        let too_large = ProtocolError::FrameTooLarge { len: bytes.len(), max: MAX_FRAME_BYTES };
        prop_assert_eq!(decode_client(&bytes), Err(too_large.clone()));
        prop_assert_eq!(decode_server(&bytes), Err(too_large));
    }
}

// ---------------------------------------------------------------- crypto

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn known_secret() -> WorkspaceSecret {
    WorkspaceSecret::from_bytes(*b"0123456789abcdef0123456789abcdef")
}

/// Expected values computed independently (Python's hmac and hashlib, RFC 5869
/// with an empty salt; the Ed25519 key with `cryptography`), so a change of
/// labels or construction cannot go unnoticed: it would orphan every existing room.
#[test]
fn derivation_matches_known_answers() {
    let secret = known_secret();
    assert_eq!(
        secret.writer_key().as_bytes().to_vec(),
        hex("3a03cca937f8cfb0c1b25e57730ea4cff18d21093aca2ce8c9bdbbda9c55e7ca")
    );
    // SHA-256 of "charter/v2/room-of-writer-key" and the writer key.
    assert_eq!(
        secret.room_id().as_bytes().to_vec(),
        hex("fa5202ac2897baf1854f18e935b5ffd5ffe609f658ac689cd1d363506fc7aab5")
    );
    assert_eq!(
        secret.content_key().as_bytes().to_vec(),
        hex("929273febc76355b67d34550757df651df0c6db428c5d627faec62fa06a67679")
    );
    // Ed25519 over "charter/v2/write-token", a zero byte and the room id.
    assert_eq!(
        secret.write_token().as_bytes().to_vec(),
        hex(concat!(
            "2c629a33e277c70644ec9da1aebf0f439e5b79abf3c30ab1b804af1113abfd1e",
            "bc543edef56f8126cefc74299ef351e4117442ec6be9c382053557f40b023a0a"
        ))
    );
    assert_eq!(
        write_token_hash(&secret.write_token()).to_vec(),
        hex("af9b3a83dee2852a84f94922b9aa21990895c948f701ddd1e5aa7ddfaf1a3da9")
    );
}

#[test]
fn derivation_is_deterministic_and_the_three_values_differ() {
    let secret = WorkspaceSecret::generate().unwrap();
    let again = WorkspaceSecret::from_bytes(*secret.as_bytes());
    assert_eq!(secret.room_id(), again.room_id());
    assert_eq!(secret.content_key(), again.content_key());
    assert_eq!(secret.write_token(), again.write_token());

    let room = *secret.room_id().as_bytes();
    let key = *secret.content_key().as_bytes();
    let token = *secret.write_token().as_bytes();
    assert!(room != key && room[..] != token[..32] && key[..] != token[..32]);

    let other = WorkspaceSecret::generate().unwrap();
    assert_ne!(secret, other);
    assert_ne!(secret.room_id(), other.room_id());
}

/// A blob sealed by an independent XChaCha20-Poly1305 (HChaCha20 written out in
/// Python over `cryptography`'s ChaCha20-Poly1305, checked against the
/// draft-irtf-cfrg-xchacha vectors) with nonce 00..17 and associated data
/// `"charter/v1/blob/changes" 0x00 room-id`: pins the sealed format.
#[test]
fn a_known_sealed_blob_opens() {
    let secret = known_secret();
    let sealed = hex(
        "000102030405060708090a0b0c0d0e0f1011121314151617442cc7187c51b25e3e5212b2e18fa2b382911f3be7b140",
    );
    let opened = open(
        &secret.content_key(),
        &secret.room_id(),
        BlobKind::Changes,
        &sealed,
    );
    assert_eq!(opened.unwrap(), b"charter");
}

/// The same blob signed by `cryptography`'s Ed25519 over the associated data
/// and the sealed bytes (Ed25519 signatures are deterministic): pins the
/// signed format.
#[test]
fn a_known_signed_blob_verifies_and_signing_gives_the_same_bytes() {
    let secret = known_secret();
    let signed = hex(concat!(
        "ed926269d282afcf704149267da0efd4b946807f5457f461b25e52e051aec21c",
        "f982bbe570027b3554fabeb2ecbf3b413194865b6746c3f377cd9805e60f890f",
        "000102030405060708090a0b0c0d0e0f1011121314151617442cc7187c51b25e3e5212b2e18fa2b382911f3be7b140",
    ));
    let (room, kind) = (secret.room_id(), BlobKind::Changes);
    let sealed = verify_signed(&secret.writer_key(), &room, kind, &signed).unwrap();
    assert_eq!(sign_sealed(&secret.signer(), &room, kind, sealed), signed);
}

fn sealed_changes(secret: &WorkspaceSecret, plaintext: &[u8]) -> Vec<u8> {
    seal(
        &secret.content_key(),
        &secret.room_id(),
        BlobKind::Changes,
        plaintext,
    )
    .unwrap()
}

#[test]
fn a_blob_for_another_room_is_rejected() {
    let secret = known_secret();
    let sealed = sealed_changes(&secret, b"objective: 99.9% uptime");
    let err = open(&secret.content_key(), &room(0), BlobKind::Changes, &sealed).unwrap_err();
    assert_eq!(err, CryptoError::DoesNotAuthenticate);
}

#[test]
fn a_blob_of_another_kind_is_rejected() {
    let secret = known_secret();
    let sealed = sealed_changes(&secret, b"objective: 99.9% uptime");
    for kind in [BlobKind::Snapshot { covers: 0 }, BlobKind::Presence] {
        let err = open(&secret.content_key(), &secret.room_id(), kind, &sealed).unwrap_err();
        assert_eq!(err, CryptoError::DoesNotAuthenticate);
    }
}

#[test]
fn a_blob_under_a_wrong_key_is_rejected() {
    let secret = known_secret();
    let sealed = sealed_changes(&secret, b"objective: 99.9% uptime");
    let wrong = ContentKey::from_bytes([0x42; 32]);
    let err = open(&wrong, &secret.room_id(), BlobKind::Changes, &sealed).unwrap_err();
    assert_eq!(err, CryptoError::DoesNotAuthenticate);
    assert!(err.to_string().contains("skipped"), "{err}");
}

#[test]
fn a_truncated_blob_is_too_short_not_inauthentic() {
    let secret = known_secret();
    let sealed = sealed_changes(&secret, b"");
    assert_eq!(sealed.len(), 40);
    let err = open(
        &secret.content_key(),
        &secret.room_id(),
        BlobKind::Changes,
        &sealed[..39],
    );
    assert_eq!(err, Err(CryptoError::TooShort { len: 39, min: 40 }));
}

#[test]
fn sealing_every_kind_round_trips() {
    let secret = known_secret();
    for kind in [
        BlobKind::Changes,
        BlobKind::Snapshot { covers: 7 },
        BlobKind::Presence,
    ] {
        let sealed = seal(&secret.content_key(), &secret.room_id(), kind, b"payload").unwrap();
        let opened = open(&secret.content_key(), &secret.room_id(), kind, &sealed).unwrap();
        assert_eq!(opened, b"payload");
    }
}

proptest! {
    #[test]
    fn any_tampered_byte_is_rejected(
        plaintext in prop::collection::vec(any::<u8>(), 0..64),
        position in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let secret = known_secret();
        let mut sealed = sealed_changes(&secret, &plaintext);
        let at = position.index(sealed.len());
        sealed[at] ^= flip;
        let opened = open(&secret.content_key(), &secret.room_id(), BlobKind::Changes, &sealed);
        prop_assert_eq!(opened, Err(CryptoError::DoesNotAuthenticate));
    }

    #[test]
    fn arbitrary_blobs_never_panic_open(blob in prop::collection::vec(any::<u8>(), 0..128)) {
        let secret = known_secret();
        prop_assert!(open(&secret.content_key(), &secret.room_id(), BlobKind::Changes, &blob).is_err());
    }
}

#[test]
fn the_relay_verifies_a_token_against_its_stored_hash() {
    let secret = known_secret();
    let stored = write_token_hash(&secret.write_token());
    assert!(verify_write_token(&stored, &secret.write_token()));
    let mut forged = *secret.write_token().as_bytes();
    forged[31] ^= 1;
    assert!(!verify_write_token(
        &stored,
        &WriteToken::from_bytes(forged)
    ));
    // The hash is not the token, so a leaked database does not grant write access.
    assert_ne!(stored[..], secret.write_token().as_bytes()[..32]);
}

#[test]
fn read_only_keys_round_trip_through_base64url() {
    let secret = WorkspaceSecret::generate().unwrap();
    let keys = secret.read_keys();
    let text = keys.to_base64url();
    assert_eq!(text.len(), 86);
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let back = ReadKeys::from_base64url(&text).unwrap();
    assert_eq!(back, keys);
    assert_eq!(back.room, secret.room_id());

    // What a read-only participant holds opens the editors' blobs.
    let sealed = sealed_changes(&secret, b"shared");
    let opened = open(&back.content_key, &back.room, BlobKind::Changes, &sealed).unwrap();
    assert_eq!(opened, b"shared");

    // And it does not contain the write token, nor the secret.
    let token = secret.write_token();
    let raw = [
        back.room.as_bytes().as_slice(),
        back.writer.as_bytes(),
        back.content_key.as_bytes(),
    ]
    .concat();
    assert!(
        !raw.windows(32)
            .any(|w| w == &token.as_bytes()[..32] || w == secret.as_bytes())
    );
}

#[test]
fn the_secret_round_trips_through_base64url() {
    let secret = WorkspaceSecret::generate().unwrap();
    let text = secret.to_base64url();
    assert_eq!(text.len(), 43);
    assert_eq!(WorkspaceSecret::from_base64url(&text).unwrap(), secret);
}

#[test]
fn a_malformed_secret_gives_a_clear_error() {
    let good = known_secret().to_base64url();

    let err = WorkspaceSecret::from_base64url(&good[..40]).unwrap_err();
    assert_eq!(
        err,
        CryptoError::KeyWrongLength {
            what: "workspace key",
            expected: 43,
            found: 40
        }
    );
    assert_eq!(
        err.to_string(),
        "The workspace key in this link should be 43 characters long but has 40. Copy the whole \
         link again; it may have been cut off."
    );

    let with_padding = format!("{good}=");
    let err = WorkspaceSecret::from_base64url(&with_padding).unwrap_err();
    assert_eq!(
        err,
        CryptoError::KeyNotBase64 {
            what: "workspace key"
        }
    );
    assert!(
        err.to_string().contains("characters that do not belong"),
        "{err}"
    );

    // Standard base64's '+' and '/' are not base64url.
    let standard = good.replace('-', "+").replace('_', "/");
    if standard != good {
        assert!(WorkspaceSecret::from_base64url(&standard).is_err());
    }
    assert_eq!(
        WorkspaceSecret::from_base64url("é".repeat(43).as_str()),
        Err(CryptoError::KeyNotBase64 {
            what: "workspace key"
        })
    );
    assert!(WorkspaceSecret::from_base64url("").is_err());

    // 43 characters encode 258 bits: a last character that sets the two spare bits is damaged.
    let mut damaged = good[..42].to_string();
    damaged.push('B');
    assert_eq!(
        WorkspaceSecret::from_base64url(&damaged),
        Err(CryptoError::KeyDamaged {
            what: "workspace key"
        })
    );

    // A read-only key is not a workspace key, and the other way round.
    let read_only = known_secret().read_keys().to_base64url();
    assert!(matches!(
        WorkspaceSecret::from_base64url(&read_only),
        Err(CryptoError::KeyWrongLength {
            expected: 43,
            found: 86,
            ..
        })
    ));
    assert!(matches!(
        ReadKeys::from_base64url(&good),
        Err(CryptoError::KeyWrongLength {
            what: "read-only key",
            expected: 86,
            found: 43
        })
    ));
}

#[test]
fn crypto_errors_read_as_sentences() {
    let errors = [
        CryptoError::KeyNotBase64 {
            what: "workspace key",
        },
        CryptoError::KeyWrongLength {
            what: "read-only key",
            expected: 86,
            found: 3,
        },
        CryptoError::KeyDamaged {
            what: "workspace key",
        },
        CryptoError::TooLarge,
        CryptoError::TooShort { len: 1, min: 40 },
        CryptoError::DoesNotAuthenticate,
    ];
    for err in errors {
        let text = err.to_string();
        assert!(
            text.starts_with(char::is_uppercase) && text.ends_with('.'),
            "{text}"
        );
    }
}
