//! Participants: this browser's signing key and recording it for a person,
//! every key in the workspace with its fingerprint, who confirmed it and when
//! it was last heard, and who is connected now (issue 9, points 7 and 13).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::form::problem_notice;
use crate::ui::{OpenWorkspace, Profile, now};
use crate::workspace::Workspace;
use crate::workspace::changes::Area;
use crate::workspace::model::sort_list;
use crate::workspace::signing::{KeyStatus, Trust, fingerprint};

/// What the page reads of the workspace to judge keys.
const TRUST_AREAS: [Area; 4] = [Area::Meta, Area::Keys, Area::Roles, Area::People];

/// Runs `f` with the workspace's trust (the founder this browser pinned
/// included); reactive on [`TRUST_AREAS`].
fn with_trust<R>(ws: OpenWorkspace, f: impl FnOnce(&Trust<'_>, &Workspace) -> R) -> R {
    let id = ws.id();
    ws.state.read(&TRUST_AREAS, |s| {
        let pinned = crate::storage::keys::pinned_founder(&id, &s.meta.founder);
        let trust = Trust {
            founder: &s.meta.founder,
            pinned: pinned.as_deref(),
            keys: &s.keys,
            roles: &s.roles,
        };
        f(&trust, s)
    })
}

fn person_name(s: &Workspace, id: &str) -> String {
    s.people
        .get(id)
        .map_or_else(|| "Someone no longer listed".to_owned(), |p| p.name.clone())
}

/// A key's standing in words.
fn status_words(trust: &Trust<'_>, s: &Workspace, key: &str) -> (bool, String) {
    match trust.key_status(key) {
        KeyStatus::Founder => (true, "Founding key, confirmed by itself".to_owned()),
        KeyStatus::Confirmed { by, at } => {
            let by = s.keys.get(&by).map_or_else(
                || "an unknown key".to_owned(),
                |r| person_name(s, &r.person),
            );
            (
                true,
                format!("Confirmed by {by} on {}", crate::ui::locale::day_at(at)),
            )
        }
        KeyStatus::Waiting => (false, "Waiting for confirmation".to_owned()),
        KeyStatus::Invalid(why) => (false, format!("Does not count. {}", why.message())),
    }
}

/// The participants section of the open workspace.
#[component]
pub fn ParticipantsSection() -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    view! {
        <section class="participants" aria-labelledby="participants-heading">
            <div class="section-head">
                <div>
                    <h2 id="participants-heading">"Participants"</h2>
                    <p class="muted">
                        "Who can sign approvals and confirmations, and who is here. Each browser has its own signing key, kept only in that browser. A key counts once a member of top management confirms it, after comparing its fingerprint with its owner in person or by phone."
                    </p>
                </div>
            </div>
            {problem_notice(problem)}
            <YourKey problem/>
            <KeyTable problem/>
            <ConnectedNow/>
        </section>
    }
}

/// This browser's key: its fingerprint, where it stands, and the form that
/// records it for a person.
#[component]
fn YourKey(problem: RwSignal<Option<String>>) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let Some(mine) = ws.device_public() else {
        return view! {
            <div class="card your-key" role="region" aria-label="Your signing key">
                <h3>"Your signing key"</h3>
                <p class="muted">
                    {move || if ws.read_only.get() {
                        "You opened this workspace with a read-only link, so you sign nothing here."
                    } else {
                        "This browser could not make or keep a signing key (its storage may be blocked), so approvals you record here are not signed."
                    }}
                </p>
            </div>
        }
        .into_any();
    };
    let fp = fingerprint(&mine);
    let person = RwSignal::new(String::new());
    let device = RwSignal::new(String::new());
    let person_error = RwSignal::new(None::<String>);
    let key = mine.clone();
    let state = Memo::new(move |_| {
        with_trust(ws, |trust, s| {
            let record = s.keys.get(&key).cloned();
            let (counts, words) = status_words(trust, s, &key);
            let owner = record.as_ref().map(|r| person_name(s, &r.person));
            let changed = trust.pinned.is_some_and(|p| p != trust.founder);
            (
                s.meta.founder.clone(),
                record,
                counts,
                words,
                owner,
                changed,
            )
        })
    });
    let people = Memo::new(move |_| {
        ws.state.read(&[Area::People], |s| {
            let mut list: Vec<(String, String)> = s
                .people
                .iter()
                .map(|(id, p)| (id.clone(), p.name.clone()))
                .collect();
            sort_list(&mut list, |a, b| {
                a.1.to_lowercase().cmp(&b.1.to_lowercase())
            });
            list
        })
    });
    let claim = move |_| {
        let outcome = ws.run(&profile.author(), |doc, now| doc.claim_founder(now));
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = person.get_untracked();
        if chosen.is_empty() {
            person_error.set(Some("Choose who you are.".to_owned()));
            return;
        }
        person_error.set(None);
        let label = device.get_untracked();
        let outcome = ws.run(&profile.author(), |doc, now| {
            doc.put_forward_key(&chosen, &label, now)
        });
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let withdraw_key = mine.clone();
    let withdraw = move |_| {
        let outcome = ws.run(&profile.author(), |doc, now| {
            doc.withdraw_key(&withdraw_key, now)
        });
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let record_form = move || {
        let has_people = people.with(|p| !p.is_empty());
        if !has_people {
            let base = format!("/w/{}/roles", ws.id());
            return view! {
                <p class="muted">
                    "To sign, record your key for yourself. First add yourself under "
                    <A href=base>"People and roles"</A>
                    "."
                </p>
            }
            .into_any();
        }
        view! {
            <form class="form key-form" aria-label="Record your key" on:submit=submit novalidate>
                <p class="muted">
                    "Record your key for yourself. Until a member of top management confirms it, what you sign shows as not verified."
                </p>
                <div class="field" class:has-error=move || person_error.with(Option::is_some)>
                    <label for="key-person">"You are"</label>
                    <select
                        id="key-person"
                        on:change=move |ev| person.set(event_target_value(&ev))
                        aria-invalid=move || person_error.with(Option::is_some).to_string()
                        aria-describedby="key-person-message"
                    >
                        <option value="" selected=move || person.with(String::is_empty)>
                            "Choose yourself"
                        </option>
                        {move || {
                            people
                                .get()
                                .into_iter()
                                .map(|(id, name)| {
                                    let selected = id.clone();
                                    view! {
                                        <option
                                            value=id
                                            selected=move || person.with(|p| *p == selected)
                                        >
                                            {name}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                    <p id="key-person-message" class="field-message error">
                        {move || person_error.get()}
                    </p>
                </div>
                <div class="field">
                    <label for="key-device">
                        "This device" <span class="optional">" (optional)"</span>
                    </label>
                    <input
                        id="key-device"
                        type="text"
                        placeholder="Work laptop"
                        prop:value=move || device.get()
                        on:input=move |ev| device.set(event_target_value(&ev))
                    />
                </div>
                <div class="actions">
                    <button type="submit" class="primary">"Record my key"</button>
                </div>
            </form>
        }
        .into_any()
    };
    let body = move || {
        let (founder, record, counts, words, owner, changed) = state.get();
        let mut parts = Vec::new();
        if changed {
            parts.push(
                view! {
                    <p class="notice error" role="alert">
                        "The workspace's founding key is not the one this browser first saw. Someone changed it in the document, so no signature can be verified here. Tell the person who created the workspace."
                    </p>
                }
                .into_any(),
            );
        }
        if founder.is_empty() {
            parts.push(
                view! {
                    <div class="notice">
                        <p>
                            "This workspace has no founding key yet: it was made before signatures existed. The founding key starts every chain of confirmations, so it should belong to a member of top management."
                        </p>
                        <button type="button" class="secondary" on:click=claim>
                            "Make my key the founding key"
                        </button>
                    </div>
                }
                .into_any(),
            );
        }
        match (record, owner) {
            (Some(record), Some(owner)) if record.binding.is_some() => parts.push(
                view! {
                    <p class=("key-status", true) class:ok=counts>
                        {format!("Recorded for {owner} on “{}”. {words}.", record.device)}
                    </p>
                }
                .into_any(),
            ),
            (Some(record), Some(owner)) => parts.push(
                view! {
                    <p class="key-status">
                        {format!(
                            "Recorded for {owner} on “{}”, waiting for a member of top management to confirm it. Read them the fingerprint above.",
                            record.device,
                        )}
                    </p>
                    <button type="button" class="link-button" on:click=withdraw.clone()>
                        "Withdraw my key"
                    </button>
                }
                .into_any(),
            ),
            _ => parts.push(record_form().into_any()),
        }
        parts.collect_view()
    };
    view! {
        <div class="card your-key" role="region" aria-label="Your signing key">
            <h3>"Your signing key"</h3>
            <p>
                "Fingerprint of this browser's key: "
                <code class="fingerprint" aria-label="Your key's fingerprint">{fp}</code>
            </p>
            {body}
        </div>
    }
    .into_any()
}

/// A key as the table shows it.
#[derive(Debug, Clone, PartialEq)]
struct KeyRow {
    key: String,
    name: String,
    device: String,
    counts: bool,
    status: String,
    waiting: bool,
    heard: String,
}

/// Every key of the workspace, with the buttons to confirm or withdraw one.
#[component]
fn KeyTable(problem: RwSignal<Option<String>>) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let mine = ws.device_public().unwrap_or_default();
    let confirming = RwSignal::new(None::<KeyRow>);
    let mine_for_rows = mine.clone();
    let rows = Memo::new(move |_| {
        let here: Vec<String> = ws.peers.with(|peers| {
            peers
                .iter()
                .filter(|p| p.editor)
                .map(|p| p.key.clone())
                .collect()
        });
        let seen = crate::storage::keys::last_seen(&ws.id());
        with_trust(ws, |trust, s| {
            let mut rows: Vec<KeyRow> = s
                .keys
                .iter()
                .map(|(key, record)| {
                    let (counts, status) = status_words(trust, s, key);
                    let heard = if *key == mine_for_rows {
                        "This browser".to_owned()
                    } else if here.contains(key) {
                        "Here now".to_owned()
                    } else {
                        seen.get(key).map_or_else(
                            || "Not heard by this browser".to_owned(),
                            |at| crate::ui::locale::day_at(*at),
                        )
                    };
                    KeyRow {
                        key: key.clone(),
                        name: person_name(s, &record.person),
                        device: record.device.clone(),
                        counts,
                        status,
                        waiting: record.binding.is_none(),
                        heard,
                    }
                })
                .collect();
            sort_list(&mut rows, |a, b| {
                (a.name.to_lowercase(), &a.device).cmp(&(b.name.to_lowercase(), &b.device))
            });
            rows
        })
    });
    // Whether this browser's key may confirm others: confirmed, and its
    // person holds Top management now.
    let mine_for_check = mine.clone();
    let can_confirm = Memo::new(move |_| {
        !ws.read_only.get()
            && with_trust(ws, |trust, _| {
                trust
                    .key_owner(&mine_for_check)
                    .ok()
                    .and_then(|person| trust.top_management_role(person, now()))
                    .is_some()
            })
    });
    let withdraw = move |key: String| {
        let outcome = ws.run(&profile.author(), |doc, now| doc.withdraw_key(&key, now));
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let confirm = move |_| {
        let Some(row) = confirming.get_untracked() else {
            return;
        };
        let outcome = ws.run(&profile.author(), |doc, now| doc.confirm_key(&row.key, now));
        match outcome {
            Ok(()) => {
                confirming.set(None);
                problem.set(None);
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let dialog_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if confirming.with(Option::is_some) {
            crate::ui::form::focus_later(dialog_ref);
        }
    });
    let mine = StoredValue::new(mine);
    let row_view = move |row: KeyRow| {
        let mine = mine.with_value(|m| row.key == *m);
        let fp = fingerprint(&row.key);
        let label = format!("{} ({})", row.name, row.device);
        let confirm_label = format!("Confirm the key of {label}");
        let withdraw_label = format!("Withdraw the key of {label}");
        let for_confirm = row.clone();
        let for_withdraw = row.key.clone();
        let waiting = row.waiting;
        view! {
            <tr>
                <th scope="row">{row.name.clone()}</th>
                <td>{row.device.clone()}</td>
                <td><code class="fingerprint">{fp}</code></td>
                <td class:key-ok=row.counts class:key-waiting=!row.counts>{row.status.clone()}</td>
                <td>{row.heard.clone()}</td>
                <td class="key-actions">
                    <Show when=move || waiting && can_confirm.get() && !mine>
                        <button
                            type="button"
                            class="secondary"
                            aria-label=confirm_label.clone()
                            on:click={
                                let row = for_confirm.clone();
                                move |_| confirming.set(Some(row.clone()))
                            }
                        >
                            "Confirm…"
                        </button>
                    </Show>
                    <Show when=move || waiting && !ws.read_only.get()>
                        <button
                            type="button"
                            class="link-button"
                            aria-label=withdraw_label.clone()
                            on:click={
                                let key = for_withdraw.clone();
                                move |_| withdraw(key.clone())
                            }
                        >
                            "Withdraw"
                        </button>
                    </Show>
                </td>
            </tr>
        }
    };
    view! {
        <div class="card key-table" role="region" aria-labelledby="keys-heading">
            <h3 id="keys-heading">"Signing keys"</h3>
            {move || {
                confirming
                    .get()
                    .map(|row| {
                        view! {
                            <div
                                class="confirm-key notice"
                                role="group"
                                aria-labelledby="confirm-key-heading"
                                on:keydown=move |ev| {
                                    if ev.key() == "Escape" {
                                        confirming.set(None);
                                    }
                                }
                            >
                                <h4 id="confirm-key-heading">
                                    {format!("Confirm the key of {}?", row.name)}
                                </h4>
                                <p>
                                    {format!(
                                        "Ask {} to open Participants on “{}” and read out the fingerprint of their key. Confirm only if it is exactly:",
                                        row.name,
                                        row.device,
                                    )}
                                </p>
                                <p><code class="fingerprint large">{fingerprint(&row.key)}</code></p>
                                <p class="muted">
                                    "From then on, what they sign while holding a role shows as verified. Your confirmation is signed with your own key."
                                </p>
                                <div class="actions">
                                    <button type="button" class="primary" node_ref=dialog_ref on:click=confirm>
                                        "It matches: confirm"
                                    </button>
                                    <button type="button" class="secondary" on:click=move |_| confirming.set(None)>
                                        "Cancel"
                                    </button>
                                </div>
                            </div>
                        }
                    })
            }}
            <Show
                when=move || rows.with(|r| !r.is_empty())
                fallback=|| {
                    view! {
                        <div class="empty-state">
                            <p class="empty-title">"No signing keys yet"</p>
                            <p class="muted">
                                "Each participant records their browser's key above; a member of top management confirms it here."
                            </p>
                        </div>
                    }
                }
            >
                <div class="table-scroll" tabindex="0">
                    <table class="keys">
                        <caption class="visually-hidden">"Signing keys of this workspace"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Person"</th>
                                <th scope="col">"Device"</th>
                                <th scope="col">"Fingerprint"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Last heard"</th>
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr>
                        </thead>
                        <tbody>{move || rows.get().into_iter().map(row_view).collect_view()}</tbody>
                    </table>
                </div>
            </Show>
        </div>
    }
}

/// Who is connected now, editor or reader, with the key each names.
#[component]
fn ConnectedNow() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let list = move || {
        let peers = ws.peers.get();
        if peers.is_empty() {
            return view! { <p class="muted">"Nobody else has this workspace open right now."</p> }
                .into_any();
        }
        view! {
            <ul class="connected">
                {peers
                    .into_iter()
                    .map(|p| {
                        let access = if p.editor { "can edit" } else { "can read only" };
                        let key = if p.key.is_empty() {
                            String::new()
                        } else {
                            format!(", names key {}", fingerprint(&p.key))
                        };
                        view! { <li>{format!("{} — {access}{key}", p.name)}</li> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="card" role="region" aria-labelledby="connected-heading">
            <h3 id="connected-heading">"Connected now"</h3>
            {list}
        </div>
    }
}
