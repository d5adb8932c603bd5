//! Policies (clause 5.2): the information security policy and topic-specific
//! policies, their lifecycle, approvals frozen at the document's heads, and
//! acknowledgements.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::markdown::{Block, Inline};
use crate::ui::form::{
    AddButton, EmptyState, FormActions, FormErrors, TextField, cancel_on_escape, editable,
    focus_later, focus_on_open, follow_links, id_prefix,
};
use crate::ui::live_text::LiveText;
use crate::ui::signatures::{SignatureNote, verdict};
use crate::ui::{OpenWorkspace, Profile, counted, today};
use crate::workspace::changes::Area;
use crate::workspace::model::sort_list;
use crate::workspace::policies::{
    CLAUSE_5_2, DiffLine, Policy, PolicyDraft, PolicyKind, PolicyStatus, policies_due_for_review,
    policy_diff,
};
use crate::workspace::signing::Act;
use crate::workspace::text::LongText;
use crate::workspace::{CommandError, Field, Workspace};

/// The lifecycle actions offered as buttons, with the status each leads to.
const ACTIONS: [(PolicyStatus, &str); 5] = [
    (PolicyStatus::InReview, "Send for review"),
    (PolicyStatus::Approved, "Approve"),
    (PolicyStatus::Published, "Publish"),
    (PolicyStatus::Retired, "Retire"),
    (PolicyStatus::Draft, "Back to draft"),
];

/// How long after a lifecycle step, or after its question appeared, a
/// further activation is ignored: the second click of a double click, a
/// held Enter key.
const GUARD_MS: u32 = 700;

/// The hint under every policy text field.
const MARKDOWN_HINT: &str = "Markdown: # heading, **bold**, *italic*, - list, [link](https://…)";
const LIVE_HINT: &str = "Markdown: # heading, **bold**, *italic*, - list, [link](https://…). Saved as you type and sent to the others while you are connected; Ctrl+Z undoes your own changes.";

/// The policies section of the open workspace. With `?review=due` it lists
/// only the policies whose review is due.
#[component]
pub fn PoliciesSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let query = use_query_map();
    let due_only = Memo::new(move |_| query.with(|q| q.get_str("review") == Some("due")));
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let due = Memo::new(move |_| {
        ws.state.read(&[Area::Policies], |s| {
            policies_due_for_review(&s.policies, &today())
                .into_iter()
                .map(|(id, _)| id.clone())
                .collect::<BTreeSet<_>>()
        })
    });
    let ids = Memo::new(move |_| {
        let all = ws.state.read(&[Area::Policies], policies_in_order);
        if due_only.get() {
            due.with(|due| all.into_iter().filter(|id| due.contains(id)).collect())
        } else {
            all
        }
    });
    let add = Callback::new(move |(draft, body): (PolicyDraft, String)| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_policy(&draft, &body, now)
        })
        .map(|_| {
            adding.set(false);
            focus_later(add_button);
        })
    });
    let cancel = Callback::new(move |()| {
        adding.set(false);
        focus_later(add_button);
    });

    view! {
        <section class="policies" aria-labelledby="policies-heading">
            <div class="section-head">
                <div>
                    <h2 id="policies-heading">"Policies"</h2>
                    <p class="muted">
                        "The information security policy, which top management establishes and approves (ISO/IEC 27001, clause 5.2), and the topic-specific policies of Annex A 5.1, which other relevant management may approve."
                    </p>
                </div>
                <AddButton
                    label="Add policy"
                    adding=adding
                    node_ref=add_button
                    hidden=due_only
                    on_click=Callback::new(move |()| adding.set(true))
                />
            </div>
            <DueLine due_only=due_only due_count=Signal::derive(move || due.with(BTreeSet::len))/>
            <Show when=move || adding.get()>
                <PolicyForm initial=None on_save=add on_cancel=cancel/>
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <Show when=move || !due_only.get()>
                            <EmptyState title="No policies yet" hint="Start with the information security policy, then add topic-specific ones." hidden=adding/>
                        </Show>
                    }
                }
            >
                <ul class="policy-list" aria-label="Policies">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| view! { <PolicyItem id=id/> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// Ids of the policies, oldest first.
fn policies_in_order(s: &Workspace) -> Vec<String> {
    let mut list: Vec<_> = s.policies.iter().collect();
    sort_list(&mut list, |a, b| {
        (a.1.created_at, a.0).cmp(&(b.1.created_at, b.0))
    });
    list.into_iter().map(|(id, _)| id.clone()).collect()
}

/// The line above the list that says how many policies are due for review,
/// with a link that switches between those and every policy. Plain links
/// (the router still handles them): `A` would mark "Show all policies" as
/// the current page, since the paths match.
#[component]
fn DueLine(
    /// Whether only the policies due for review are shown.
    due_only: Memo<bool>,
    /// How many policies are due for review.
    due_count: Signal<usize>,
) -> impl IntoView {
    let path = use_location().pathname;
    move || {
        let count = due_count.get();
        if due_only.get() {
            let text = if count == 0 {
                "No policy is due for review".to_owned()
            } else {
                format!(
                    "Showing the {} due for review",
                    counted(count, "policy", "policies")
                )
            };
            Some(
                view! {
                    <p class="policy-filter">
                        {text}
                        " · "
                        <a href=move || path.get()>"Show all policies"</a>
                    </p>
                }
                .into_any(),
            )
        } else if count > 0 {
            let verb = if count == 1 { "is" } else { "are" };
            Some(
                view! {
                    <p class="policy-filter">
                        {format!("{} {verb} due for review", counted(count, "policy", "policies"))}
                        " · "
                        <a href=move || format!("{}?review=due", path.get())>"Show only those"</a>
                    </p>
                }
                .into_any(),
            )
        } else {
            None
        }
    }
}

/// A policy text as headings, paragraphs, lists and quotes. Every piece of
/// text goes into a text node, so markup typed into a policy shows as typed.
pub(crate) fn markdown_view(text: &str) -> impl IntoView + use<> {
    crate::markdown::parse(text)
        .into_iter()
        .map(block_view)
        .collect_view()
}

/// One block; headings start at `h4`, below the policy's own `h3` title.
fn block_view(block: Block) -> AnyView {
    match block {
        Block::Heading { level: 1, content } => {
            view! { <h4>{inline_views(content)}</h4> }.into_any()
        }
        Block::Heading { level: 2, content } => {
            view! { <h5>{inline_views(content)}</h5> }.into_any()
        }
        Block::Heading { content, .. } => view! { <h6>{inline_views(content)}</h6> }.into_any(),
        Block::Paragraph(content) => view! { <p>{inline_views(content)}</p> }.into_any(),
        Block::BulletList(items) => view! { <ul>{item_views(items)}</ul> }.into_any(),
        Block::NumberedList { start, items } => {
            view! { <ol start=start.to_string()>{item_views(items)}</ol> }.into_any()
        }
        Block::Quote(blocks) => {
            view! { <blockquote>{blocks.into_iter().map(block_view).collect_view()}</blockquote> }
                .into_any()
        }
    }
}

/// The items of a list.
fn item_views(items: Vec<Vec<Inline>>) -> impl IntoView + use<> {
    items
        .into_iter()
        .map(|item| view! { <li>{inline_views(item)}</li> })
        .collect_view()
}

/// A run of inline spans.
fn inline_views(spans: Vec<Inline>) -> Vec<AnyView> {
    spans.into_iter().map(inline_view).collect()
}

/// One inline span.
fn inline_view(span: Inline) -> AnyView {
    match span {
        Inline::Text(text) => text.into_any(),
        Inline::Strong(content) => view! { <strong>{inline_views(content)}</strong> }.into_any(),
        Inline::Emphasis(content) => view! { <em>{inline_views(content)}</em> }.into_any(),
        Inline::Code(code) => view! { <code>{code}</code> }.into_any(),
        // `parse` only makes links of http, https and mailto addresses.
        Inline::Link { content, url } => view! {
            <a href=url target="_blank" rel="noopener noreferrer">{inline_views(content)}</a>
        }
        .into_any(),
    }
}

#[component]
fn PolicyItem(
    /// The policy's id.
    id: String,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let policy = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::Policies, &id, |s| s.policies.get(&id).cloned())
        })
    };
    let open = RwSignal::new(false);
    let record_id = format!("record-{id}");
    // A link to the policy (…/policies#record-<id>) opens it.
    follow_links(&id, move || open.set(true));
    let title = move || policy.with(|p| p.as_ref().map(|p| p.title.clone()).unwrap_or_default());
    let summary = move || {
        let Some(p) = policy.get() else {
            return ().into_any();
        };
        let overdue = p.review_overdue(&today());
        let status = p.status;
        view! {
            <div class="policy-head">
                <div>
                    <h3>{p.title.clone()}</h3>
                    <p class="record-detail">
                        {p.kind.label()}
                        {(!p.owner.is_empty()).then(|| format!(" · Owner: {}", p.owner))}
                        {p.review_due.as_deref().map(|d| format!(" · Next review {}", crate::ui::locale::date(d)))}
                    </p>
                </div>
                <span>
                    {overdue.then(|| view! { <span class="badge overdue">"Review due"</span> })}
                    <span class=format!("badge policy-status status-{}", status_slug(status))>
                        {status.label()}
                    </span>
                </span>
            </div>
        }
        .into_any()
    };
    view! {
        <li class="policy card" id=record_id aria-label=title>
            {summary}
            <button
                type="button"
                class="link-button"
                aria-expanded=move || open.get().to_string()
                aria-label=move || format!("{} {}", if open.get() { "Close" } else { "Open" }, title())
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if open.get() { "Close" } else { "Open" }}
            </button>
            <Show when=move || open.get()>
                <PolicyDetail id=id.clone() policy=policy/>
            </Show>
        </li>
    }
}

/// Whether interested parties can see the policy (5.2 g), and where; with
/// a small form to say so.
#[component]
fn AvailabilityPart(
    /// The policy's id.
    id: String,
    /// The policy as the state has it.
    policy: Memo<Option<Policy>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let open = RwSignal::new(false);
    let available = RwSignal::new(true);
    let note = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let change_button = NodeRef::<leptos::html::Button>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    let start = move || {
        let current = policy.with_untracked(|p| p.as_ref().and_then(|p| p.availability.clone()));
        available.set(current.as_ref().is_none_or(|a| a.available));
        note.set(current.map(|a| a.note).unwrap_or_default());
        errors.set(None);
        open.set(true);
        request_animation_frame(move || {
            if let Some(input) = first.get_untracked() {
                let _ = input.focus();
            }
        });
    };
    let close = Callback::new(move |()| {
        open.set(false);
        focus_later(change_button);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let outcome = ws.run(&profile.author(), |doc, now| {
            doc.set_policy_availability(&id, available.get_untracked(), &note.get_untracked(), now)
        });
        let saved = outcome.is_ok();
        errors.show(outcome, form_ref);
        if saved {
            close.run(());
        }
    };
    let text = move || {
        policy.with(|p| match p.as_ref().and_then(|p| p.availability.as_ref()) {
            Some(a) if a.available => (false, format!("Available: {}", a.note)),
            Some(a) => (false, format!("Kept internal: {}", a.note)),
            None => (true, "Not decided yet".to_owned()),
        })
    };
    let radio_name = format!(
        "availability-{}",
        crate::workspace::id::new_id(crate::ui::now())
    );
    view! {
        <dl class="role-facts">
            <div class="long-fact">
                <dt>"To interested parties (clause 5.2 g)"</dt>
                {move || {
                    let (unset, text) = text();
                    view! { <dd class:unset=unset>{text}</dd> }
                }}
            </div>
        </dl>
        <Show when=move || editable(ws) && !open.get()>
            <button type="button" node_ref=change_button on:click=move |_| start()>
                "Change availability"
            </button>
        </Show>
        <Show when=move || open.get()>
            <form
                class="card form record-form"
                aria-label="Availability to interested parties"
                novalidate
                node_ref=form_ref
                on:submit=submit.clone()
                on:keydown=cancel_on_escape(close)
            >
                <fieldset class="choices">
                    <legend>"Can interested parties see this policy?"</legend>
                    <label class="check">
                        <input
                            type="radio"
                            name=radio_name.clone()
                            prop:checked=available
                            on:change=move |_| available.set(true)
                        />
                        "Yes, it is available to them"
                    </label>
                    <label class="check">
                        <input
                            type="radio"
                            name=radio_name.clone()
                            prop:checked=move || !available.get()
                            on:change=move |_| available.set(false)
                        />
                        "No, it is kept internal"
                    </label>
                </fieldset>
                <TextField
                    id=format!("{}-note", radio_name)
                    label="Where, or why not"
                    placeholder="On our website; to customers on request"
                    value=note
                    error=errors.field(Field::AvailabilityNote)
                    node_ref=first
                />
                <FormActions errors=errors save="Save availability" on_cancel=close/>
            </form>
        </Show>
    }
}

/// The class suffix of a status badge.
fn status_slug(status: PolicyStatus) -> &'static str {
    match status {
        PolicyStatus::Draft => "draft",
        PolicyStatus::InReview => "in-review",
        PolicyStatus::Approved => "approved",
        PolicyStatus::Published => "published",
        PolicyStatus::Retired => "retired",
    }
}

#[component]
fn PolicyDetail(
    /// The policy's id.
    id: String,
    /// The policy as the state has it.
    policy: Memo<Option<Policy>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let problem = RwSignal::new(None::<String>);
    let editing = RwSignal::new(false);
    let editing_details = RwSignal::new(false);
    let details_button = NodeRef::<leptos::html::Button>::new();
    let title = move || policy.with(|p| p.as_ref().map(|p| p.title.clone()).unwrap_or_default());
    let body = Memo::new(move |_| {
        policy.with(|p| {
            p.as_ref()
                .map(|p| p.body.as_str().to_owned())
                .unwrap_or_default()
        })
    });
    let edit_button = NodeRef::<leptos::html::Button>::new();

    let close_editor = move || {
        editing.set(false);
        focus_later(edit_button);
    };
    let save_details = {
        let id = id.clone();
        Callback::new(move |(draft, _): (PolicyDraft, String)| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_policy(&id, &draft, now)
            })
            .map(|()| {
                editing_details.set(false);
                focus_later(details_button);
            })
        })
    };
    let cancel_details = Callback::new(move |()| {
        editing_details.set(false);
        focus_later(details_button);
    });
    // A lifecycle step is deliberate: Approve, Publish and Retire ask first,
    // and any activation right after a step or a question appeared is
    // ignored, so a double click or a held Enter key never walks the policy
    // on to the next status under the pointer.
    let asking = RwSignal::new(None::<PolicyStatus>);
    // While a step settles, the buttons say they are unavailable
    // (aria-disabled, so they keep focus) and ignore activation.
    let guarded = RwSignal::new(false);
    let generation = StoredValue::new(0_u32);
    let too_soon = move || guarded.get_untracked();
    let mark = move || {
        generation.update_value(|g| *g = g.wrapping_add(1));
        let current = generation.get_value();
        guarded.set(true);
        gloo_timers::callback::Timeout::new(GUARD_MS, move || {
            if generation.try_get_value() == Some(current) {
                guarded.set(false);
            }
        })
        .forget();
    };
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    // The letters of 5.2 a–d ticked in the approval question.
    let attested = RwSignal::new(Vec::<&'static str>::new());
    let transition = {
        let id = id.clone();
        move |from: PolicyStatus, to: PolicyStatus| {
            // Only from the status the button was offered for.
            if policy.with_untracked(|p| p.as_ref().map(|p| p.status)) != Some(from) {
                return;
            }
            mark();
            let result = ws.run(&profile.author(), |doc, now| {
                if to == PolicyStatus::Approved {
                    let letters = attested.get_untracked();
                    doc.approve_policy(&id, &letters, now).map(|_| ())
                } else {
                    doc.set_policy_status(&id, to, now)
                }
            });
            problem.set(result.err().map(|e| e.to_string()));
        }
    };
    let actions = {
        let transition = transition.clone();
        move || {
            let status = policy.with(|p| p.as_ref().map(|p| p.status))?;
            let transition = transition.clone();
            Some(
                ACTIONS
                    .into_iter()
                    .filter(|(to, _)| status.can_become(*to))
                    .map(|(to, label)| {
                        let transition = transition.clone();
                        let asks = matches!(
                            to,
                            PolicyStatus::Approved
                                | PolicyStatus::Published
                                | PolicyStatus::Retired
                        );
                        view! {
                            <button
                                type="button"
                                aria-disabled=move || guarded.get().to_string()
                                on:click=move |_| {
                                    if too_soon() {
                                        return;
                                    }
                                    if asks {
                                        mark();
                                        attested.set(Vec::new());
                                        asking.set(Some(to));
                                        focus_later(confirm_ref);
                                    } else {
                                        transition(status, to);
                                    }
                                }
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view(),
            )
        }
    };
    let question = move || {
        let to = asking.get()?;
        let (status, version, title, kind) = policy.with(|p| {
            p.as_ref()
                .map(|p| (p.status, p.approvals.len() + 1, p.title.clone(), p.kind))
        })?;
        // Approving the information security policy attests clause 5.2 a–d.
        let attestations = (to == PolicyStatus::Approved
            && kind == PolicyKind::InformationSecurity)
            .then(|| {
                view! {
                    <fieldset class="attestations">
                        <legend>"This text meets clause 5.2:"</legend>
                        {CLAUSE_5_2
                            .into_iter()
                            .map(|(letter, text)| {
                                view! {
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || attested.with(|a| a.contains(&letter))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                attested.update(|a| {
                                                    a.retain(|l| *l != letter);
                                                    if on {
                                                        a.push(letter);
                                                    }
                                                });
                                            }
                                        />
                                        {format!("5.2 {letter}: {text}")}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                }
            });
        let (heading, text, button) = match to {
            PolicyStatus::Approved => (
                format!("Approve version {version} of “{title}”?"),
                "You approve the text exactly as it reads now. The approval records your name and the time, is signed with this browser's key, and keeps this text for later comparison.".to_owned(),
                format!("Approve version {version}"),
            ),
            PolicyStatus::Published => (
                format!("Publish “{title}”?"),
                "Publishing says this approved version is in force and communicated.".to_owned(),
                "Publish".to_owned(),
            ),
            _ => (
                format!("Retire “{title}”?"),
                "Retiring takes the policy out of force; it stays in the history.".to_owned(),
                "Retire".to_owned(),
            ),
        };
        let transition = transition.clone();
        let label = heading.clone();
        Some(view! {
            <div
                class="confirm-key notice"
                role="group"
                aria-label=label
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        ev.stop_propagation();
                        asking.set(None);
                    }
                }
            >
                <h4>{heading}</h4>
                <p>{text}</p>
                {attestations}
                <div class="actions">
                    <button
                        type="button"
                        class="primary"
                        node_ref=confirm_ref
                        aria-disabled=move || guarded.get().to_string()
                        on:click=move |_| {
                            if too_soon() {
                                return;
                            }
                            transition(status, to);
                            // A refused approval (5.2 a–d not all attested)
                            // keeps the question open beside its message.
                            if problem.get_untracked().is_none() {
                                asking.set(None);
                            }
                        }
                    >
                        {button}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| asking.set(None)>
                        "Cancel"
                    </button>
                </div>
            </div>
        })
    };
    let (form_id, list_id, ack_id, availability_id, link_id) =
        (id.clone(), id.clone(), id.clone(), id.clone(), id);
    let approval_count =
        Memo::new(move |_| policy.with(|p| p.as_ref().map_or(0, |p| p.approvals.len())));

    view! {
        <div class="policy-detail">
            <Show
                when=move || editing.get()
                fallback=move || view! {
                    <div class="policy-body md-text" role="region" aria-label=move || format!("Text of {}", title())>
                        {move || {
                            let text = body.get();
                            if text.trim().is_empty() {
                                view! { <p class="muted">"No text yet."</p> }.into_any()
                            } else {
                                markdown_view(&text).into_any()
                            }
                        }}
                    </div>
                }
            >
                <div
                    class="card form policy-text-form"
                    role="group"
                    aria-label="Edit text"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            ev.prevent_default();
                            close_editor();
                        }
                    }
                >
                    {move || {
                        policy
                            .with(|p| {
                                p.as_ref()
                                    .filter(|p| matches!(p.status, PolicyStatus::Approved | PolicyStatus::Published))
                                    .map(|p| p.status.label().to_lowercase())
                            })
                            .map(|status| view! {
                                <p class="notice warning">
                                    {format!("This policy is {status}. Your first change returns it to draft, and it will need approving again.")}
                                </p>
                            })
                    }}
                    <LiveText
                        text=LongText::PolicyBody(form_id.clone())
                        id=format!("policy-text-{form_id}")
                        label="Policy text"
                        hint=LIVE_HINT
                        value=body
                        locked=Signal::derive(move || {
                            policy
                                .with(|p| p.as_ref().map(|p| p.status))
                                .filter(|s| *s == PolicyStatus::Retired)
                                .map(|_| "This policy is retired; move it back to draft to edit its text.".to_owned())
                        })
                    />
                    <div class="form-actions">
                        <button type="button" class="primary" on:click=move |_| close_editor()>"Done"</button>
                    </div>
                </div>
            </Show>
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            <div class="item-actions" class:hidden=move || !editable(ws)>
                <button
                    type="button"
                    node_ref=edit_button
                    on:click=move |_| editing.set(true)
                    prop:disabled=editing
                >
                    "Edit text"
                </button>
                <button
                    type="button"
                    node_ref=details_button
                    on:click=move |_| editing_details.set(true)
                    prop:disabled=editing_details
                >
                    "Edit details"
                </button>
                {actions}
            </div>
            {question}
            <a
                class="record-history"
                href=format!("#record-{link_id}")
                aria-label=move || format!("Link to {}", title())
            >
                "Link"
            </a>
            <a
                class="record-history"
                href=move || crate::ui::history::record_history(&ws.id(), &title())
                aria-label=move || format!("History of {}", title())
            >
                "History"
            </a>
            <Show when=move || editing_details.get()>
                <PolicyForm
                    initial=policy.get_untracked().as_ref().map(policy_draft)
                    on_save=save_details
                    on_cancel=cancel_details
                />
            </Show>
            <AvailabilityPart id=availability_id policy=policy/>
            <h4>"Approvals"</h4>
            <Show
                when=move || { approval_count.get() > 0 }
                fallback=|| view! { <p class="muted">"Not approved yet."</p> }
            >
                <ul class="approvals" aria-label="Approvals">
                    {
                        let id = list_id.clone();
                        move || {
                            (0..approval_count.get())
                                .map(|index| {
                                    view! {
                                        <ApprovalItem id=id.clone() index=index policy=policy body=body/>
                                    }
                                })
                                .collect_view()
                        }
                    }
                </ul>
                <Acknowledgements id=ack_id.clone() policy=policy/>
            </Show>
        </div>
    }
}

#[component]
fn ApprovalItem(
    /// The policy's id.
    id: String,
    /// The approval's index (version number minus one).
    index: usize,
    /// The policy as the state has it.
    policy: Memo<Option<Policy>>,
    /// The current text.
    body: Memo<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let version = index + 1;
    let shown = RwSignal::new(false);
    let approved = RwSignal::new(None::<Result<String, CommandError>>);
    let policy_id = id.clone();
    let line = move || {
        policy.with(|p| {
            let approval = p.as_ref()?.approvals.get(index)?;
            let act = Act::PolicyApproval {
                policy: &policy_id,
                version,
            };
            let verdict = verdict(ws, &act, approval.signature.as_ref());
            let recorded = format!(
                "Approved by {} on {}",
                approval.approver_name,
                crate::ui::locale::day_at(approval.at)
            );
            let attested = (!approval.attested.is_empty()).then(|| {
                view! {
                    <p class="muted attested">
                        {format!("Attested clause 5.2 {}", approval.attested.join(", "))}
                    </p>
                }
            });
            Some(view! { <SignatureNote verdict recorded/> {attested} })
        })
    };
    let toggle = move |_| {
        if !shown.get_untracked() && !approved.with_untracked(|a| matches!(a, Some(Ok(_)))) {
            // The approved text is frozen, so reading it once is enough.
            let id = id.clone();
            approved.set(Some(ws.read_doc(|doc| doc.approved_version(&id, index))));
        }
        shown.update(|s| *s = !*s);
    };
    let revealed = move || {
        if !shown.get() {
            return None;
        }
        Some(match approved.get() {
            Some(Ok(text)) => {
                let diff = policy_diff(&text, &body.get());
                let unchanged = diff.iter().all(|d| matches!(d, DiffLine::Same(_)));
                view! {
                    <div
                        class="approved-version md-text"
                        role="region"
                        aria-label=format!("Approved version {version}")
                    >
                        {markdown_view(&text)}
                    </div>
                    <div
                        class="policy-diff"
                        role="region"
                        aria-label=format!("Changes since approval {version}")
                    >
                        {if unchanged {
                            view! { <p class="muted">"No changes since this approval."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="diff-lines">
                                    {diff
                                        .into_iter()
                                        .map(|d| match d {
                                            DiffLine::Same(l) => {
                                                view! { <li class="diff-same">{format!("  {l}")}</li> }
                                            }
                                            DiffLine::Removed(l) => {
                                                view! { <li class="diff-removed">{format!("− {l}")}</li> }
                                            }
                                            DiffLine::Added(l) => {
                                                view! { <li class="diff-added">{format!("+ {l}")}</li> }
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any()
                        }}
                    </div>
                }
                .into_any()
            }
            Some(Err(e)) => {
                view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any()
            }
            None => ().into_any(),
        })
    };
    view! {
        <li class="approval">
            {line}
            <button type="button" class="link-button" aria-expanded=move || shown.get().to_string() on:click=toggle>
                {move || {
                    if shown.get() {
                        format!("Hide approved version {version}")
                    } else {
                        format!("Show approved version {version}")
                    }
                }}
            </button>
            {revealed}
        </li>
    }
}

#[component]
fn Acknowledgements(
    /// The policy's id.
    id: String,
    /// The policy as the state has it.
    policy: Memo<Option<Policy>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let person = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let select_id = format!("ack-{id}");
    let people = Memo::new(move |_| {
        ws.state.read(&[Area::People], |s| {
            let mut list: Vec<(String, String)> = s
                .people
                .iter()
                .map(|(id, p)| (id.clone(), p.name.clone()))
                .collect();
            sort_list(&mut list, |a, b| a.1.cmp(&b.1));
            list
        })
    });
    let latest = move || policy.with(|p| p.as_ref().and_then(Policy::latest_approval));
    let read_by = move || {
        let names = policy.with(|p| {
            let Some(p) = p else { return Vec::new() };
            let Some(approval) = p.latest_approval().and_then(|i| p.approvals.get(i)) else {
                return Vec::new();
            };
            ws.state.read(&[Area::People], |s| {
                approval
                    .acknowledgements
                    .keys()
                    .map(|pid| {
                        let name = s
                            .people
                            .get(pid)
                            .map_or_else(|| pid.clone(), |p| p.name.clone());
                        match approval.recorded_by.get(pid) {
                            Some(by) => format!("{name} (recorded by {by})"),
                            None => name,
                        }
                    })
                    .collect::<Vec<_>>()
            })
        });
        let version = latest().map_or(0, |i| i + 1);
        if names.is_empty() {
            format!("No one has recorded reading version {version} yet.")
        } else {
            format!("Read by {}", names.join(", "))
        }
    };
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(index) = latest() else { return };
        let chosen = person.get_untracked();
        let chosen = if chosen.is_empty() {
            people.with_untracked(|p| p.first().map(|(id, _)| id.clone()).unwrap_or_default())
        } else {
            chosen
        };
        let result = ws.run(&profile.author(), |doc, now| {
            doc.acknowledge_policy(&id, index, &chosen, now)
        });
        problem.set(result.err().map(|e| e.to_string()));
    };
    view! {
        <div class="acknowledgements">
            <h4>"Mark as read"</h4>
            <p class="read-by">{read_by}</p>
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            <Show
                when=move || !people.with(Vec::is_empty)
                fallback=|| {
                    view! {
                        <p class="muted">"Add people under People and roles to record who has read it."</p>
                    }
                }
            >
                <form
                    class="ack-form"
                    aria-label="Mark as read"
                    class:hidden=move || ws.read_only.get()
                    on:submit=record.clone()
                >
                    <div class="field">
                        <label for=select_id.clone()>"Person"</label>
                        <select
                            id=select_id.clone()
                            prop:value=move || person.get()
                            on:change=move |ev| person.set(event_target_value(&ev))
                        >
                            {move || {
                                people
                                    .get()
                                    .into_iter()
                                    .map(|(pid, name)| view! { <option value=pid>{name}</option> })
                                    .collect_view()
                            }}
                        </select>
                    </div>
                    <button type="submit">"Record acknowledgement"</button>
                </form>
            </Show>
        </div>
    }
}

/// The details form's starting values for an existing policy.
fn policy_draft(p: &Policy) -> PolicyDraft {
    PolicyDraft {
        title: p.title.clone(),
        kind: p.kind,
        owner: p.owner.clone(),
        review_due: p.review_due.clone().unwrap_or_default(),
    }
}

/// The select's value for a kind.
fn kind_slug(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::InformationSecurity => "information-security",
        PolicyKind::TopicSpecific => "topic-specific",
    }
}

/// Adds a policy (with its text), or edits an existing policy's details:
/// title, kind, owner and review date. Escape cancels; errors appear beside
/// their fields and the first one gets the focus.
#[component]
fn PolicyForm(
    /// The details of the policy being edited; `None` for a new policy.
    initial: Option<PolicyDraft>,
    /// Saves the details and, for a new policy, the text (empty when
    /// editing); an error keeps the form open.
    on_save: Callback<(PolicyDraft, String), Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let is_new = initial.is_none();
    let (name, save_label) = if is_new {
        ("New policy", "Save policy")
    } else {
        ("Edit details", "Save details")
    };
    let prefix = id_prefix("new-policy", is_new);
    let initial = initial.unwrap_or_default();
    let title = RwSignal::new(initial.title);
    let kind = RwSignal::new(initial.kind);
    let owner = RwSignal::new(initial.owner);
    let review_due = RwSignal::new(initial.review_due);
    let body = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let title_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    focus_on_open(title_ref);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = PolicyDraft {
            title: title.get_untracked(),
            kind: kind.get_untracked(),
            owner: owner.get_untracked(),
            review_due: review_due.get_untracked(),
        };
        errors.show(on_save.run((draft, body.get_untracked())), form_ref);
    };
    let kind_id = format!("{prefix}-kind");
    view! {
        <form
            class="card form policy-form"
            aria-label=name
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <h3 class="form-title">{name}</h3>
            <TextField
                id=format!("{prefix}-title")
                label="Title"
                value=title
                error=errors.field(Field::Title)
                node_ref=title_ref
            />
            <div class="field-row">
                <div class="field">
                    <label for=kind_id.clone()>"Kind"</label>
                    <select
                        id=kind_id
                        prop:value=move || kind_slug(kind.get())
                        on:change=move |ev| {
                            kind.set(
                                if event_target_value(&ev) == "topic-specific" {
                                    PolicyKind::TopicSpecific
                                } else {
                                    PolicyKind::InformationSecurity
                                },
                            )
                        }
                    >
                        {[PolicyKind::InformationSecurity, PolicyKind::TopicSpecific]
                            .into_iter()
                            .map(|k| view! { <option value=kind_slug(k)>{k.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <TextField
                    id=format!("{prefix}-owner")
                    label="Owner"
                    optional=true
                    value=owner
                    error=errors.field(Field::Owner)
                />
                <TextField
                    id=format!("{prefix}-review-due")
                    label="Review due"
                    optional=true
                    placeholder="YYYY-MM-DD"
                    inputmode="numeric"
                    value=review_due
                    error=errors.field(Field::ReviewDue)
                />
            </div>
            {is_new
                .then(|| {
                    view! {
                        <TextField
                            id=format!("{prefix}-text")
                            label="Policy text"
                            optional=true
                            multiline=true
                            hint=MARKDOWN_HINT
                            value=body
                            error=errors.field(Field::Body)
                        />
                    }
                })}
            <FormActions errors=errors save=save_label on_cancel=on_cancel/>
        </form>
    }
}
