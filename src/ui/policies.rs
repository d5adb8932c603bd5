//! Policies (clause 5.2): the information security policy and topic-specific
//! policies, their lifecycle, approvals frozen at the document's heads, and
//! acknowledgements.

use leptos::prelude::*;

use crate::ui::form::{EmptyState, FormErrors, TextField, cancel_on_escape, focus_first_invalid};
use crate::ui::{OpenWorkspace, Profile};
use crate::workspace::measurements::date_of;
use crate::workspace::policies::{
    DiffLine, Policy, PolicyDraft, PolicyKind, PolicyStatus, policy_diff,
};
use crate::workspace::{CommandError, Field};

/// The lifecycle actions offered as buttons, with the status each leads to.
const ACTIONS: [(PolicyStatus, &str); 5] = [
    (PolicyStatus::InReview, "Send for review"),
    (PolicyStatus::Approved, "Approve"),
    (PolicyStatus::Published, "Publish"),
    (PolicyStatus::Retired, "Retire"),
    (PolicyStatus::Draft, "Back to draft"),
];

/// The policies section of the open workspace.
#[component]
pub fn PoliciesSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let ids = Memo::new(move |_| {
        ws.state.with(|s| {
            let mut list: Vec<_> = s.policies.iter().collect();
            list.sort_by(|a, b| (a.1.created_at, a.0).cmp(&(b.1.created_at, b.0)));
            list.into_iter()
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        })
    });
    let add = Callback::new(move |(draft, body): (PolicyDraft, String)| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_policy(&draft, &body, now)
        })
        .map(|_| adding.set(false))
    });

    view! {
        <section class="policies" aria-labelledby="policies-heading">
            <div class="section-head">
                <div>
                    <h2 id="policies-heading">"Policies"</h2>
                    <p class="muted">
                        "The information security policy and topic-specific policies, approved by top management (ISO/IEC 27001, clause 5.2)."
                    </p>
                </div>
                <Show when=move || !ws.read_only.get()>
                    <button
                        type="button"
                        class="primary"
                        on:click=move |_| adding.set(true)
                        prop:disabled=adding
                    >
                        "Add policy"
                    </button>
                </Show>
            </div>
            <Show when=move || adding.get()>
                <PolicyForm on_save=add on_cancel=Callback::new(move |()| adding.set(false))/>
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState title="No policies yet" hint="Start with the information security policy, then add topic-specific ones." hidden=adding/>
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

/// The text split into paragraphs on blank lines.
fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Text shown as plain paragraphs; Leptos text nodes escape any markup.
fn paragraph_views(text: &str) -> impl IntoView + use<> {
    paragraphs(text)
        .into_iter()
        .map(|p| view! { <p>{p}</p> })
        .collect_view()
}

#[component]
fn PolicyItem(
    /// The policy's id.
    id: String,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let policy = {
        let id = id.clone();
        Memo::new(move |_| ws.state.with(|s| s.policies.get(&id).cloned()))
    };
    let open = RwSignal::new(false);
    let title = move || policy.with(|p| p.as_ref().map(|p| p.title.clone()).unwrap_or_default());
    let summary = move || {
        let Some(p) = policy.get() else {
            return ().into_any();
        };
        let today = date_of(crate::ui::now());
        let overdue = p.review_overdue(&today);
        let status = p.status;
        view! {
            <div class="policy-head">
                <div>
                    <h3>{p.title.clone()}</h3>
                    <p class="record-detail">
                        {p.kind.label()}
                        {(!p.owner.is_empty()).then(|| format!(" · Owner: {}", p.owner))}
                        {p.review_due.clone().map(|d| format!(" · Review due {d}"))}
                    </p>
                </div>
                <span>
                    {overdue.then(|| view! { <span class="badge overdue">"Review overdue"</span> })}
                    <span class=format!("badge policy-status status-{}", status_slug(status))>
                        {status.label()}
                    </span>
                </span>
            </div>
        }
        .into_any()
    };
    view! {
        <li class="policy card" aria-label=title>
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
    let title = move || policy.with(|p| p.as_ref().map(|p| p.title.clone()).unwrap_or_default());
    let body = Memo::new(move |_| {
        policy.with(|p| {
            p.as_ref()
                .map(|p| p.body.as_str().to_owned())
                .unwrap_or_default()
        })
    });
    let edit_button = NodeRef::<leptos::html::Button>::new();

    let save_text = {
        let id = id.clone();
        Callback::new(move |text: String| {
            ws.run(&profile.author(), |doc, now| {
                doc.set_policy_body(&id, &text, now)
            })
            .map(|()| {
                problem.set(None);
                editing.set(false);
            })
        })
    };
    let cancel_edit = Callback::new(move |()| {
        editing.set(false);
        if let Some(button) = edit_button.get_untracked() {
            let _ = button.focus();
        }
    });
    let transition = {
        let id = id.clone();
        move |to: PolicyStatus| {
            let result = ws.run(&profile.author(), |doc, now| {
                if to == PolicyStatus::Approved {
                    doc.approve_policy(&id, now).map(|_| ())
                } else {
                    doc.set_policy_status(&id, to, now)
                }
            });
            problem.set(result.err().map(|e| e.to_string()));
        }
    };
    let actions = move || {
        let status = policy.with(|p| p.as_ref().map(|p| p.status))?;
        let transition = transition.clone();
        Some(
            ACTIONS
                .into_iter()
                .filter(|(to, _)| status.can_become(*to))
                .map(|(to, label)| {
                    let transition = transition.clone();
                    view! {
                        <button type="button" on:click=move |_| transition(to)>
                            {label}
                        </button>
                    }
                })
                .collect_view(),
        )
    };
    let (form_id, list_id, ack_id) = (id.clone(), id.clone(), id);
    let approval_count =
        Memo::new(move |_| policy.with(|p| p.as_ref().map_or(0, |p| p.approvals.len())));

    view! {
        <div class="policy-detail">
            <div class="policy-body" role="region" aria-label=move || format!("Text of {}", title())>
                {move || {
                    let text = body.get();
                    if text.trim().is_empty() {
                        view! { <p class="muted">"No text yet."</p> }.into_any()
                    } else {
                        paragraph_views(&text).into_any()
                    }
                }}
            </div>
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            <div class="item-actions" class:hidden=move || ws.read_only.get()>
                <button
                    type="button"
                    node_ref=edit_button
                    on:click=move |_| editing.set(true)
                    prop:disabled=editing
                >
                    "Edit text"
                </button>
                {actions}
            </div>
            <Show when=move || editing.get()>
                <BodyForm
                    id=form_id.clone()
                    initial=body.get_untracked()
                    on_save=save_text
                    on_cancel=cancel_edit
                />
            </Show>
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
    let line = move || {
        policy.with(|p| {
            p.as_ref()
                .and_then(|p| p.approvals.get(index))
                .map(|a| format!("Approved by {} on {}", a.approver_name, date_of(a.at)))
                .unwrap_or_default()
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
                        class="approved-version"
                        role="region"
                        aria-label=format!("Approved version {version}")
                    >
                        {paragraph_views(&text)}
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
            <span>{line}</span>
            " "
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
        ws.state.with(|s| {
            let mut list: Vec<(String, String)> = s
                .people
                .iter()
                .map(|(id, p)| (id.clone(), p.name.clone()))
                .collect();
            list.sort_by(|a, b| a.1.cmp(&b.1));
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
            ws.state.with(|s| {
                approval
                    .acknowledgements
                    .keys()
                    .map(|pid| {
                        s.people
                            .get(pid)
                            .map_or_else(|| pid.clone(), |p| p.name.clone())
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

/// Edits a policy's text. Escape cancels.
#[component]
fn BodyForm(
    /// The policy's id, for unique element ids.
    id: String,
    /// The text the field starts with.
    initial: String,
    /// Saves the text; an error keeps the form open with its message.
    on_save: Callback<String, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let text = RwSignal::new(initial);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match on_save.run(text.get_untracked()) {
            Ok(()) => errors.set(None),
            Err(e) => {
                errors.set(Some(e));
                focus_first_invalid(form_ref);
            }
        }
    };
    view! {
        <form
            class="card form policy-text-form"
            aria-label="Edit text"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField
                id=format!("policy-text-{id}")
                label="Policy text"
                multiline=true
                hint="Separate paragraphs with a blank line."
                value=text
                error=errors.field(Field::Body)
            />
            {move || errors.other().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            <div class="actions">
                <button type="submit" class="primary">"Save text"</button>
                <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// Adds a policy. Escape cancels; errors appear beside their fields and the
/// first one gets the focus.
#[component]
fn PolicyForm(
    /// Saves the short fields and the text; an error keeps the form open.
    on_save: Callback<(PolicyDraft, String), Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new(PolicyKind::InformationSecurity);
    let owner = RwSignal::new(String::new());
    let review_due = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let title_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(input) = title_ref.get() {
            let _ = input.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = PolicyDraft {
            title: title.get_untracked(),
            kind: kind.get_untracked(),
            owner: owner.get_untracked(),
            review_due: review_due.get_untracked(),
        };
        match on_save.run((draft, body.get_untracked())) {
            Ok(()) => errors.set(None),
            Err(e) => {
                errors.set(Some(e));
                focus_first_invalid(form_ref);
            }
        }
    };
    let kind_slug = |k: PolicyKind| match k {
        PolicyKind::InformationSecurity => "information-security",
        PolicyKind::TopicSpecific => "topic-specific",
    };
    view! {
        <form
            class="card form policy-form"
            aria-label="New policy"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <h3 class="form-title">"New policy"</h3>
            <TextField
                id="new-policy-title".to_owned()
                label="Title"
                value=title
                error=errors.field(Field::Title)
                node_ref=title_ref
            />
            <div class="field-row">
                <div class="field">
                    <label for="new-policy-kind">"Kind"</label>
                    <select
                        id="new-policy-kind"
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
                    id="new-policy-owner".to_owned()
                    label="Owner"
                    optional=true
                    value=owner
                    error=errors.field(Field::Owner)
                />
                <TextField
                    id="new-policy-review-due".to_owned()
                    label="Review due"
                    optional=true
                    placeholder="YYYY-MM-DD"
                    inputmode="numeric"
                    value=review_due
                    error=errors.field(Field::ReviewDue)
                />
            </div>
            <TextField
                id="new-policy-text".to_owned()
                label="Policy text"
                optional=true
                multiline=true
                hint="Separate paragraphs with a blank line."
                value=body
                error=errors.field(Field::Body)
            />
            {move || errors.other().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            <div class="actions">
                <button type="submit" class="primary">"Save policy"</button>
                <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
