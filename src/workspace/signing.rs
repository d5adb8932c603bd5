//! Who signed what: device keys, the person each key speaks for, and
//! signatures over approvals and confirmations that anyone can check.
//!
//! Every editor can write anything in the shared document, so a name typed
//! next to an approval proves nothing. Instead each browser holds a
//! [`DeviceKey`] (Ed25519; the private half stays in that browser and never
//! enters the document). The document records each key's public half with
//! the person it speaks for ([`KeyRecord`]), and a key counts only once it is
//! *confirmed*: signed over ([`binding_statement`]) by a key that is itself
//! confirmed and whose person holds the Top management role, or — to start
//! the chain — the workspace's founding key (`meta.founder`, written by the
//! browser that created the workspace) confirming itself.
//!
//! An approval carries an [`ActSignature`] over what it approves, the
//! document heads, the person, the role they hold and the time
//! ([`act_statement`]). [`Trust::verify`] calls it verified only when the
//! signature checks against a confirmed key of that very person, and that
//! person is recorded as holding Top management since before the signing;
//! anything else is [`Unverified`], with the reason in plain words.
//!
//! The founding key itself is trusted on first sight: each browser pins the
//! founder it first saw (`pinned` in [`Trust`]); a document whose founder was
//! later replaced verifies nothing in that browser.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use automerge::ROOT;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::workspace::roles::{Person, Role, RoleKind};
use crate::workspace::validate::{Field, MAX_SHORT, ValidationErrors, check_length};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// What every approval signature starts with.
const ACT_LABEL: &[u8] = b"charter/v1/signed-act";
/// What every key confirmation starts with.
const BINDING_LABEL: &[u8] = b"charter/v1/key-binding";

/// This browser's private signing key for one workspace. Kept in the
/// browser's own storage, never in the shared document.
pub struct DeviceKey(SigningKey);

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceKey({})", fingerprint(&self.public_hex()))
    }
}

impl DeviceKey {
    /// A fresh key from the platform's secure random number generator.
    pub fn generate() -> Result<DeviceKey, getrandom::Error> {
        let mut seed = [0; 32];
        getrandom::fill(&mut seed)?;
        Ok(DeviceKey::from_seed(seed))
    }

    /// The key made from a 32-byte seed (tests and generated workspaces).
    pub fn from_seed(seed: [u8; 32]) -> DeviceKey {
        DeviceKey(SigningKey::from_bytes(&seed))
    }

    /// The private seed as hex, for the browser's storage only.
    pub fn secret_hex(&self) -> String {
        hex(self.0.as_bytes())
    }

    /// The key stored by [`DeviceKey::secret_hex`]; `None` if damaged.
    pub fn from_secret_hex(text: &str) -> Option<DeviceKey> {
        Some(DeviceKey::from_seed(unhex(text)?))
    }

    /// The public half as 64 hex digits: how the document names the key.
    pub fn public_hex(&self) -> String {
        hex(self.0.verifying_key().as_bytes())
    }

    /// The signature over `statement`, hex.
    pub fn sign_hex(&self, statement: &[u8]) -> String {
        hex(&self.0.sign(statement).to_bytes())
    }
}

/// What people compare out of band to know a key is the one they expect:
/// the first 80 bits of the key's SHA-256, as five groups of four hex digits
/// ("3F2A 9C01 77B0 E4D2 0A19").
pub fn fingerprint(public_hex: &str) -> String {
    let Some(bytes) = unhex::<32>(public_hex) else {
        return "(not a valid key)".to_owned();
    };
    let digest = Sha256::digest(bytes);
    digest[..10]
        .chunks(2)
        .map(|pair| format!("{:02X}{:02X}", pair[0], pair[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A device key as the shared document records it, under its public half.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct KeyRecord {
    /// The person (a People record id) the key speaks for.
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
    /// What the device is, as its owner called it ("Laptop").
    #[autosurgeon(missing = "Default::default")]
    pub device: String,
    /// When the key was put forward.
    #[autosurgeon(missing = "Default::default")]
    pub added_at: Millis,
    /// The confirmation that makes the key count; `None` while it waits.
    #[autosurgeon(missing = "Default::default")]
    pub binding: Option<KeyBinding>,
}

/// A confirmation that a key speaks for its person, signed by the confirming key.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct KeyBinding {
    /// The confirming key (public, hex); the key itself for the founding key.
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
    /// The Top management role the confirming person held (empty for the
    /// founding key's own confirmation).
    #[autosurgeon(missing = "Default::default")]
    pub role: String,
    /// When it was confirmed.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The Ed25519 signature over [`binding_statement`], hex.
    #[autosurgeon(missing = "Default::default")]
    pub sig: String,
}

/// A signature over one approval or confirmation.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ActSignature {
    /// The signing key (public, hex).
    #[autosurgeon(missing = "Default::default")]
    pub key: String,
    /// The person the signer signed as (a People record id; empty when the
    /// key was not recorded for anyone).
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
    /// The Top management role the signer held (empty when none).
    #[autosurgeon(missing = "Default::default")]
    pub role: String,
    /// The document heads when it was signed (hex change hashes).
    #[autosurgeon(missing = "Default::default")]
    pub heads: Vec<String>,
    /// When it was signed.
    #[autosurgeon(missing = "Default::default")]
    pub at: Millis,
    /// The Ed25519 signature over [`act_statement`], hex.
    #[autosurgeon(missing = "Default::default")]
    pub sig: String,
}

/// What a signature is given for. Its [`Act::text`] is part of what is
/// signed, so a signature moved to another record, version or amount no
/// longer checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act<'a> {
    /// Approval of version `version` (1-based) of a policy.
    PolicyApproval {
        /// The policy's record id.
        policy: &'a str,
        /// The approved version number.
        version: usize,
    },
    /// Approval of an amount of a budget line on a day.
    BudgetApproval {
        /// The budget line's record id.
        line: &'a str,
        /// The approved amount in minor units.
        amount: i64,
        /// The line's currency.
        currency: &'a str,
        /// The day of the decision (YYYY-MM-DD).
        date: &'a str,
    },
    /// Confirmation that a duty of clause 5.1 is met.
    DutyConfirmation {
        /// The duty's letter, "a" … "h".
        duty: &'a str,
    },
    /// Approval of a version of the risk criteria.
    CriteriaApproval {
        /// The version's record id.
        version: &'a str,
        /// Its number.
        number: u32,
        /// SHA-256 (hex) of its scales, threshold and authorities.
        digest: &'a str,
    },
    /// A risk owner's approval of the treatment plan and acceptance of the
    /// residual risk.
    RiskAcceptance {
        /// The risk's record id.
        risk: &'a str,
        /// SHA-256 (hex) of what was accepted.
        digest: &'a str,
    },
    /// Approval of a version of the Statement of Applicability.
    SoaApproval {
        /// The version's record id.
        version: &'a str,
        /// Its number.
        number: u32,
        /// SHA-256 (hex) of its rows.
        digest: &'a str,
    },
    /// Approval of a version of the ISMS scope.
    ScopeApproval {
        /// The version's record id.
        version: &'a str,
        /// Its number.
        number: u32,
        /// SHA-256 (hex) of its words.
        digest: &'a str,
    },
    /// Top management's approval of a planned change to the ISMS.
    ChangeApproval {
        /// The change's record id.
        change: &'a str,
        /// SHA-256 (hex) of what the change is ([`crate::workspace::planned_changes::change_digest`]).
        digest: &'a str,
    },
    /// The chair's sign-off of a management review's revision.
    ReviewSignOff {
        /// The review's record id.
        review: &'a str,
        /// The revision signed, from 1.
        revision: u32,
        /// SHA-256 (hex) of the signed content.
        digest: &'a str,
    },
}

impl Act<'_> {
    /// The act in canonical words.
    pub fn text(&self) -> String {
        match self {
            Act::PolicyApproval { policy, version } => {
                format!("approve policy {policy} version {version}")
            }
            Act::BudgetApproval {
                line,
                amount,
                currency,
                date,
            } => format!("approve budget line {line}: {amount} {currency} minor units on {date}"),
            Act::DutyConfirmation { duty } => format!("confirm clause 5.1 {duty}"),
            Act::CriteriaApproval {
                version,
                number,
                digest,
            } => format!("approve risk criteria {version} version {number} content {digest}"),
            Act::RiskAcceptance { risk, digest } => {
                format!("accept risk {risk} treatment and residual risk {digest}")
            }
            Act::SoaApproval {
                version,
                number,
                digest,
            } => format!(
                "approve statement of applicability {version} version {number} content {digest}"
            ),
            Act::ScopeApproval {
                version,
                number,
                digest,
            } => format!("approve ISMS scope {version} version {number} content {digest}"),
            Act::ChangeApproval { change, digest } => {
                format!("approve planned change {change} content {digest}")
            }
            Act::ReviewSignOff {
                review,
                revision,
                digest,
            } => {
                format!("sign off management review {review} revision {revision} content {digest}")
            }
        }
    }
}

/// The bytes an [`ActSignature`] signs: the founding key (so a signature
/// cannot be carried to another workspace), the act, the person, the role,
/// the heads in order and the time, each length-prefixed.
pub fn act_statement(founder: &str, act: &Act<'_>, signature: &ActSignature) -> Vec<u8> {
    let mut heads = signature.heads.clone();
    heads.sort();
    let mut out = Vec::new();
    for field in [
        founder,
        &act.text(),
        &signature.person,
        &signature.role,
        &heads.join(","),
        &signature.at.to_string(),
    ] {
        put_field(&mut out, ACT_LABEL, field);
    }
    out
}

/// The bytes a [`KeyBinding`] signs: the founding key, the key confirmed, its
/// person and device, the confirming key and role, and the time.
pub fn binding_statement(
    founder: &str,
    key: &str,
    record: &KeyRecord,
    binding: &KeyBinding,
) -> Vec<u8> {
    let mut out = Vec::new();
    for field in [
        founder,
        key,
        &record.person,
        &record.device,
        &binding.by,
        &binding.role,
        &binding.at.to_string(),
    ] {
        put_field(&mut out, BINDING_LABEL, field);
    }
    out
}

fn put_field(out: &mut Vec<u8>, label: &[u8], field: &str) {
    if out.is_empty() {
        out.extend_from_slice(label);
        out.push(0);
    }
    out.extend_from_slice(&(field.len() as u32).to_le_bytes());
    out.extend_from_slice(field.as_bytes());
}

/// Why a signature or a key does not count, in the words the UI shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unverified {
    /// Recorded without a signature (before signing existed, or in a
    /// browser without a key).
    NotSigned,
    /// The workspace has no founding key, so no key can be confirmed.
    NoFounder,
    /// The founding key differs from the one this browser first saw.
    FounderChanged,
    /// The signing key is not recorded in this workspace.
    UnknownKey,
    /// The key is recorded but nobody in top management confirmed it.
    KeyNotConfirmed,
    /// The key's confirmation does not check or leads nowhere.
    BadConfirmation,
    /// Signed as someone other than the person the key is recorded for.
    OtherPerson,
    /// The signature does not match what is recorded: changed after signing.
    Altered,
    /// The signer is not recorded as holding Top management when it was signed.
    NoRole,
}

impl Unverified {
    /// The reason as a sentence.
    pub fn message(self) -> &'static str {
        match self {
            Unverified::NotSigned => "It was recorded without a signature.",
            Unverified::NoFounder => {
                "This workspace has no founding key yet, so no signature can be checked."
            }
            Unverified::FounderChanged => {
                "The workspace's founding key is not the one this browser first saw, so no \
                 signature can be trusted here."
            }
            Unverified::UnknownKey => "It was signed with a key this workspace does not know.",
            Unverified::KeyNotConfirmed => {
                "It was signed with a key that no member of top management has confirmed."
            }
            Unverified::BadConfirmation => {
                "The confirmation of the signing key does not check out."
            }
            Unverified::OtherPerson => {
                "It was signed with a key that belongs to someone other than the person named."
            }
            Unverified::Altered => {
                "The record does not match its signature: it was changed after signing."
            }
            Unverified::NoRole => {
                "The signer is not recorded as holding the Top management role when it was signed."
            }
        }
    }
}

/// The outcome of checking one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The signature checks, the key is confirmed for `person`, and
    /// `person` held Top management role `role` when signing.
    Verified {
        /// The signer's People record id.
        person: String,
        /// The Top management role held.
        role: String,
        /// The signing key (public, hex).
        key: String,
    },
    /// It does not: why.
    Unverified(Unverified),
}

/// Where a recorded key stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStatus {
    /// The founding key, confirmed by itself.
    Founder,
    /// Confirmed by the key `by` at `at`.
    Confirmed {
        /// The confirming key.
        by: String,
        /// When.
        at: Millis,
    },
    /// Put forward, waiting for a member of top management.
    Waiting,
    /// Not counted, for this reason.
    Invalid(Unverified),
}

/// What checking signatures reads from the workspace: its founding key, the
/// keys, the roles (who holds Top management since when) and, for names, the
/// people. The UI names these four areas.
#[derive(Debug, Clone, Copy)]
pub struct Trust<'a> {
    /// `meta.founder` as the document holds it.
    pub founder: &'a str,
    /// The founding key this browser first saw for the workspace, if any.
    pub pinned: Option<&'a str>,
    /// The keys area.
    pub keys: &'a BTreeMap<String, KeyRecord>,
    /// The roles area.
    pub roles: &'a BTreeMap<String, Role>,
}

impl<'a> Trust<'a> {
    /// Whether the founding key can be used at all.
    fn anchor(&self) -> Result<&'a str, Unverified> {
        if self.founder.is_empty() {
            return Err(Unverified::NoFounder);
        }
        if self.pinned.is_some_and(|pinned| pinned != self.founder) {
            return Err(Unverified::FounderChanged);
        }
        Ok(self.founder)
    }

    /// The Top management role `person` holds since `at` or earlier.
    pub fn top_management_role(&self, person: &str, at: Millis) -> Option<&'a str> {
        self.roles
            .iter()
            .filter(|(_, role)| role.kind == RoleKind::TopManagement)
            .find(|(_, role)| role.held_by_at(person, at))
            .map(|(id, _)| id.as_str())
    }

    /// The person key `key` speaks for, when its chain of confirmations
    /// leads back to the founding key through members of top management.
    pub fn key_owner(&self, key: &str) -> Result<&'a str, Unverified> {
        let founder = self.anchor()?;
        let mut seen = BTreeSet::new();
        let mut current = key;
        let owner = self.record(key)?.person.as_str();
        loop {
            if !seen.insert(current) {
                return Err(Unverified::BadConfirmation);
            }
            let record = self.record(current)?;
            let binding = record.binding.as_ref().ok_or(Unverified::KeyNotConfirmed)?;
            if !signature_checks(
                &binding.by,
                &binding_statement(founder, current, record, binding),
                &binding.sig,
            ) {
                return Err(Unverified::BadConfirmation);
            }
            if current == founder && binding.by == founder {
                return Ok(owner);
            }
            // Confirmed by another key: that key must count too, and its
            // person must hold Top management at the time of confirming.
            let by = self.record(&binding.by)?;
            if !self.holds(&by.person, &binding.role, binding.at) {
                return Err(Unverified::BadConfirmation);
            }
            current = self
                .keys
                .get_key_value(binding.by.as_str())
                .map(|(k, _)| k.as_str())
                .ok_or(Unverified::BadConfirmation)?;
        }
    }

    /// Whether `person` held Top management role `role` at `at` (now, or in
    /// the role's history).
    fn holds(&self, person: &str, role: &str, at: Millis) -> bool {
        self.roles
            .get(role)
            .is_some_and(|r| r.kind == RoleKind::TopManagement && r.held_by_at(person, at))
    }

    fn record(&self, key: &str) -> Result<&'a KeyRecord, Unverified> {
        self.keys.get(key).ok_or(Unverified::UnknownKey)
    }

    /// Where `key` stands.
    pub fn key_status(&self, key: &str) -> KeyStatus {
        let Some(record) = self.keys.get(key) else {
            return KeyStatus::Invalid(Unverified::UnknownKey);
        };
        let Some(binding) = &record.binding else {
            return KeyStatus::Waiting;
        };
        match self.key_owner(key) {
            Ok(_) if binding.by == key => KeyStatus::Founder,
            Ok(_) => KeyStatus::Confirmed {
                by: binding.by.clone(),
                at: binding.at,
            },
            Err(why) => KeyStatus::Invalid(why),
        }
    }

    /// Checks the signature `signature` given for `act`.
    pub fn verify(&self, act: &Act<'_>, signature: Option<&ActSignature>) -> Verdict {
        match self.check(act, signature) {
            Ok(()) => {
                let s = signature.expect("checked");
                Verdict::Verified {
                    person: s.person.clone(),
                    role: s.role.clone(),
                    key: s.key.clone(),
                }
            }
            Err(why) => Verdict::Unverified(why),
        }
    }

    fn check(&self, act: &Act<'_>, signature: Option<&ActSignature>) -> Result<(), Unverified> {
        let signature = signature.ok_or(Unverified::NotSigned)?;
        let founder = self.anchor()?;
        if !signature_checks(
            &signature.key,
            &act_statement(founder, act, signature),
            &signature.sig,
        ) {
            return Err(Unverified::Altered);
        }
        let owner = self.key_owner(&signature.key)?;
        if owner != signature.person {
            return Err(Unverified::OtherPerson);
        }
        if !self.holds(&signature.person, &signature.role, signature.at) {
            return Err(Unverified::NoRole);
        }
        Ok(())
    }
}

/// Whether `sig` (hex) is `key`'s (hex) signature over `statement`.
fn signature_checks(key: &str, statement: &[u8], sig: &str) -> bool {
    let (Some(key), Some(sig)) = (unhex::<32>(key), unhex::<64>(sig)) else {
        return false;
    };
    VerifyingKey::from_bytes(&key).is_ok_and(|key| {
        key.verify_strict(statement, &Signature::from_bytes(&sig))
            .is_ok()
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 || !text.is_ascii() {
        return None;
    }
    let mut out = [0; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(out)
}

/// A device name as typed: trimmed, "This browser" when empty.
pub fn device_label(typed: &str) -> Result<String, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let label = typed.trim();
    check_length(&mut errors, Field::DeviceName, label, MAX_SHORT);
    let label = if label.is_empty() {
        "This browser"
    } else {
        label
    };
    errors.into_result(label.to_owned())
}

/// What signing reads of a workspace, read from the document: the founder
/// and the keys and roles areas (small, whatever the workspace's age).
#[derive(Debug, Clone, Default)]
pub struct TrustRecords {
    /// `meta.founder`.
    pub founder: String,
    /// The keys area.
    pub keys: BTreeMap<String, KeyRecord>,
    /// The roles area.
    pub roles: BTreeMap<String, Role>,
}

impl TrustRecords {
    /// A [`Trust`] over these records, with no pinned founder.
    pub fn trust(&self) -> Trust<'_> {
        Trust {
            founder: &self.founder,
            pinned: None,
            keys: &self.keys,
            roles: &self.roles,
        }
    }
}

impl WorkspaceDoc {
    /// Gives this session the browser's key for the workspace, used to sign
    /// approvals and to confirm others' keys.
    pub fn set_device_key(&mut self, key: Option<DeviceKey>) {
        self.device = key;
    }

    /// This session's key (public, hex), if it has one.
    pub fn device_public(&self) -> Option<String> {
        self.device.as_ref().map(DeviceKey::public_hex)
    }

    fn device(&self) -> Result<&DeviceKey, CommandError> {
        self.device.as_ref().ok_or_else(|| {
            CommandError::NotAllowed(
                "This browser has no signing key for this workspace. Reload the page and try again."
                    .to_owned(),
            )
        })
    }

    /// The founder and the keys and roles areas.
    pub fn trust_records(&self) -> Result<TrustRecords, CommandError> {
        let founder = self.meta()?.founder;
        let keys = match self.existing_map(ROOT, "keys") {
            Some(_) => autosurgeon::hydrate_prop(&self.doc, ROOT, "keys")?,
            None => BTreeMap::new(),
        };
        let roles = match self.existing_map(ROOT, "roles") {
            Some(_) => autosurgeon::hydrate_prop(&self.doc, ROOT, "roles")?,
            None => BTreeMap::new(),
        };
        Ok(TrustRecords {
            founder,
            keys,
            roles,
        })
    }

    /// Makes this session's key the workspace's founding key: what the
    /// browser that creates a workspace does at once, and what a workspace
    /// made before signing existed lets its first taker do.
    pub fn claim_founder(&mut self, now: Millis) -> Result<(), CommandError> {
        let key = self.device()?.public_hex();
        let mut meta = self.meta()?;
        if !meta.founder.is_empty() {
            return Err(CommandError::NotAllowed(
                "This workspace already has a founding key.".to_owned(),
            ));
        }
        meta.founder = key;
        self.guard(|ws| Ok(reconcile_prop(&mut ws.doc, ROOT, "meta", &meta)?))?;
        self.commit(
            "Recorded this browser's key as the workspace's founding key".to_owned(),
            now,
        )
    }

    /// Records this browser's key as speaking for `person`, on `device`.
    /// The founding key is confirmed at once, by itself; any other waits for
    /// a member of top management ([`WorkspaceDoc::confirm_key`]).
    pub fn put_forward_key(
        &mut self,
        person: &str,
        device: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let device = device_label(device)?;
        let key = self.device()?.public_hex();
        let people = self
            .existing_map(ROOT, "people")
            .ok_or(CommandError::NotFound("person"))?;
        let who: Person = self
            .hydrate_entry(&people, person)?
            .ok_or(CommandError::NotFound("person"))?;
        let records = self.trust_records()?;
        if let Some(existing) = records.keys.get(&key)
            && existing.binding.is_some()
        {
            return Err(CommandError::NotAllowed(
                "This browser's key is already confirmed. To speak for someone else, use \
                 another browser."
                    .to_owned(),
            ));
        }
        let mut record = KeyRecord {
            person: person.to_owned(),
            device,
            added_at: now,
            binding: None,
        };
        let founder = records.founder.as_str();
        if key == founder {
            let mut binding = KeyBinding {
                by: key.clone(),
                role: String::new(),
                at: now,
                sig: String::new(),
            };
            binding.sig = self
                .device()?
                .sign_hex(&binding_statement(founder, &key, &record, &binding));
            record.binding = Some(binding);
        }
        self.guard(|ws| {
            let keys = ws.map(ROOT, "keys")?;
            Ok(reconcile_prop(&mut ws.doc, &keys, key.as_str(), &record)?)
        })?;
        let message = if record.binding.is_some() {
            format!(
                "Recorded the founding key as {}’s ({}, {})",
                who.name,
                record.device,
                fingerprint(&key)
            )
        } else {
            format!(
                "Put forward a signing key for {} ({}, {})",
                who.name,
                record.device,
                fingerprint(&key)
            )
        };
        self.commit(message, now)
    }

    /// Confirms that key `key` speaks for the person it is recorded for,
    /// signed by this browser's key, whose person must hold Top management.
    pub fn confirm_key(&mut self, key: &str, now: Millis) -> Result<(), CommandError> {
        self.require_name("a confirmation")?;
        let mine = self.device()?.public_hex();
        let records = self.trust_records()?;
        let trust = records.trust();
        let me = trust.key_owner(&mine).map_err(|_| {
            CommandError::NotAllowed(
                "Only a member of top management whose own key is confirmed can confirm keys."
                    .to_owned(),
            )
        })?;
        let role = trust
            .top_management_role(me, now)
            .ok_or_else(|| {
                CommandError::NotAllowed(
                    "Only a member of top management can confirm keys; you do not hold that role."
                        .to_owned(),
                )
            })?
            .to_owned();
        let mut record = records
            .keys
            .get(key)
            .cloned()
            .ok_or(CommandError::NotFound("signing key"))?;
        if record.binding.is_some() {
            return Err(CommandError::NotAllowed(
                "This key is already confirmed.".to_owned(),
            ));
        }
        let mut binding = KeyBinding {
            by: mine,
            role,
            at: now,
            sig: String::new(),
        };
        binding.sig =
            self.device()?
                .sign_hex(&binding_statement(&records.founder, key, &record, &binding));
        record.binding = Some(binding);
        self.guard(|ws| {
            let obj = ws
                .existing_map(ROOT, "keys")
                .and_then(|keys| ws.existing_map(keys, key))
                .ok_or(CommandError::NotFound("signing key"))?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &obj,
                "binding",
                &record.binding,
            )?)
        })?;
        let name = self.person_name(&record.person)?;
        self.commit(
            format!(
                "Confirmed the signing key {} as {}’s ({})",
                fingerprint(key),
                name,
                record.device
            ),
            now,
        )
    }

    /// Removes a key that waits for confirmation (a mistaken request, a
    /// device given away before anyone confirmed it). A confirmed key stays
    /// on record, so what it signed can still be checked.
    pub fn withdraw_key(&mut self, key: &str, now: Millis) -> Result<(), CommandError> {
        let keys = self
            .existing_map(ROOT, "keys")
            .ok_or(CommandError::NotFound("signing key"))?;
        let record: KeyRecord = self
            .hydrate_entry(&keys, key)?
            .ok_or(CommandError::NotFound("signing key"))?;
        if record.binding.is_some() {
            return Err(CommandError::NotAllowed(
                "A confirmed key stays on record, so that what it signed can still be checked."
                    .to_owned(),
            ));
        }
        self.guard(|ws| {
            Ok(automerge::transaction::Transactable::delete(
                &mut ws.doc,
                &keys,
                key,
            )?)
        })?;
        let name = self.person_name(&record.person)?;
        self.commit(
            format!(
                "Withdrew the signing key {} of {} ({})",
                fingerprint(key),
                name,
                record.device
            ),
            now,
        )
    }

    fn person_name(&self, person: &str) -> Result<String, CommandError> {
        let Some(people) = self.existing_map(ROOT, "people") else {
            return Ok("an unknown person".to_owned());
        };
        Ok(self
            .hydrate_entry::<Person>(&people, person)?
            .map_or_else(|| "an unknown person".to_owned(), |p| p.name))
    }

    /// The People record this browser's key speaks for, if it has a key that
    /// was put forward (confirmed or not): who "I" am, beyond a display name.
    pub(crate) fn own_person(&self) -> Result<Option<String>, CommandError> {
        let Some(device) = &self.device else {
            return Ok(None);
        };
        let Some(keys) = self.existing_map(ROOT, "keys") else {
            return Ok(None);
        };
        let record: Option<KeyRecord> = self.hydrate_entry(&keys, &device.public_hex())?;
        Ok(record.map(|r| r.person).filter(|p| !p.is_empty()))
    }

    /// This session's signature over `act` at `heads`, or `None` without a
    /// key. The person is the one this browser's key is recorded for and the
    /// role the Top management role they hold; either may be empty, and the
    /// signature then shows as unverified, saying why.
    pub(crate) fn sign_act(
        &self,
        act: &Act<'_>,
        heads: Vec<String>,
        now: Millis,
    ) -> Result<Option<ActSignature>, CommandError> {
        let Some(device) = &self.device else {
            return Ok(None);
        };
        let records = self.trust_records()?;
        let key = device.public_hex();
        let person = records
            .keys
            .get(&key)
            .map(|r| r.person.clone())
            .unwrap_or_default();
        let role = records
            .trust()
            .top_management_role(&person, now)
            .unwrap_or_default()
            .to_owned();
        let mut signature = ActSignature {
            key,
            person,
            role,
            heads,
            at: now,
            sig: String::new(),
        };
        signature.sig = device.sign_hex(&act_statement(&records.founder, act, &signature));
        Ok(Some(signature))
    }

    /// The document heads as hex, for a signature.
    pub(crate) fn heads_hex(&mut self) -> Vec<String> {
        self.doc
            .get_heads()
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_five_groups_and_hex_round_trips() {
        let key = DeviceKey::from_seed([7; 32]);
        let fp = fingerprint(&key.public_hex());
        assert_eq!(fp.len(), 24);
        assert_eq!(fp.split(' ').count(), 5);
        assert!(fp.chars().all(|c| c == ' ' || c.is_ascii_hexdigit()));
        let again = DeviceKey::from_secret_hex(&key.secret_hex()).unwrap();
        assert_eq!(again.public_hex(), key.public_hex());
        assert!(DeviceKey::from_secret_hex("zz").is_none());
        assert_eq!(fingerprint("nope"), "(not a valid key)");
    }
}
