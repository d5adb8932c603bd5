//! How a signed act reads on screen: what the record says, and beside it
//! whether its signature verifies ([`crate::workspace::signing`]) — never
//! "signed" or "verified" beyond what [`Trust::verify`] proved.

use leptos::prelude::*;

use crate::ui::session::OpenWorkspace;
use crate::workspace::changes::Area;
use crate::workspace::signing::{Act, ActSignature, Trust, Verdict, fingerprint};

/// Checks `signature` for `act` against the workspace's founding key, keys
/// and roles as the state holds them (and the founder this browser pinned).
/// Reactive on those three areas only.
pub fn verdict(ws: OpenWorkspace, act: &Act<'_>, signature: Option<&ActSignature>) -> Verdict {
    let id = ws.id();
    ws.state.read(&[Area::Meta, Area::Keys, Area::Roles], |s| {
        let pinned = crate::storage::keys::pinned_founder(&id, &s.meta.founder);
        Trust {
            founder: &s.meta.founder,
            pinned: pinned.as_deref(),
            keys: &s.keys,
            roles: &s.roles,
        }
        .verify(act, signature)
    })
}

/// The line under an approval or confirmation: `recorded` is what the record
/// says ("Approved by Ada Lovelace on 2026-05-02"); a verified signature
/// adds who signed, in what role, with which key, from the records the
/// signature proves; anything else says plainly that it is not verified, and why.
#[component]
pub fn SignatureNote(
    /// The check's outcome.
    verdict: Verdict,
    /// The record's own words.
    recorded: String,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    match verdict {
        Verdict::Verified { person, role, key } => {
            let detail = ws.state.read(&[Area::People, Area::Roles], |s| {
                let name = s
                    .people
                    .get(&person)
                    .map_or("an unknown person", |p| p.name.as_str());
                // A role since removed from the workspace is not named.
                let role = s
                    .roles
                    .get(&role)
                    .map(|r| format!(" ({})", r.kind.label()))
                    .unwrap_or_default();
                format!("Signed by {name}{role} with key {}", fingerprint(&key))
            });
            view! {
                <p class="signature verified">
                    <span class="signature-recorded">{recorded}</span>
                    " "
                    <span class="badge signature-badge ok">"Signature verified"</span>
                    <span class="signature-detail">{detail}</span>
                </p>
            }
            .into_any()
        }
        Verdict::Unverified(why) => view! {
            <p class="signature unverified">
                <span class="signature-recorded">{recorded}</span>
                " "
                <span class="badge signature-badge warn">"Not verified"</span>
                <span class="signature-detail">{why.message()}</span>
            </p>
        }
        .into_any(),
    }
}
