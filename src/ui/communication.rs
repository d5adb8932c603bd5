//! Communication (clause 7.4): what was, or will be, communicated about the
//! ISMS, when, to whom, how and by whom, linked to the policies, roles and
//! objectives it is about.

use leptos::prelude::*;

use crate::ui::form::{
    AddButton, ArchivedList, ChoiceList, EmptyState, FormActions, FormErrors, ListState,
    SelectField, TextField, archived_records, cancel_on_escape, editable, focus_later,
    focus_on_open, id_prefix, people_options, problem_notice, role_options, scroll_to_record,
};
use crate::ui::{OpenWorkspace, Profile, today};
use crate::workspace::changes::Area;
use crate::workspace::communication::{Channel, Communication, CommunicationDraft};
use crate::workspace::model::sort_list;
use crate::workspace::{CommandError, Field, Workspace};

/// The communication section of the open workspace.
#[component]
pub fn CommunicationSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let list = ListState::new();
    let ListState {
        adding,
        editing,
        problem,
        add_button,
    } = list;
    let ids = Memo::new(move |_| ws.state.read(&[Area::Communications], in_order));
    let add = Callback::new(move |draft: CommunicationDraft| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_communication(&draft, now)
        })
        .map(|id| {
            list.adding.set(false);
            list.problem.set(None);
            scroll_to_record(&id);
        })
    });
    let cancel = Callback::new(move |()| list.close_add());
    let archive = Callback::new(move |id: String| {
        list.report(ws.run(&profile.author(), |doc, now| {
            doc.archive_communication(&id, now)
        }));
    });
    let restore = Callback::new(move |id: String| {
        list.report(ws.run(&profile.author(), |doc, now| {
            doc.restore_communication(&id, now)
        }));
    });
    let archived = Signal::derive(move || {
        ws.state.read(&[Area::Communications], |s| {
            archived_records(
                s.communications
                    .iter()
                    .map(|(id, c)| (id, c.subject.clone(), c.archived.as_ref())),
            )
        })
    });
    view! {
        <section class="communication" aria-labelledby="communication-heading">
            <div class="section-head">
                <div>
                    <h2 id="communication-heading">"Communication"</h2>
                    <p class="muted">
                        "What is communicated about information security, when, to whom, how and by whom (ISO/IEC 27001, clause 7.4)."
                    </p>
                </div>
                <AddButton
                    label="Record communication"
                    adding=adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| list.open_add())
                />
            </div>
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <CommunicationForm
                    name="New communication"
                    initial=CommunicationDraft {
                        date: today(),
                        ..CommunicationDraft::default()
                    }
                    on_save=Callback::new(move |d| add.run(d).map(drop))
                    on_cancel=cancel
                />
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState
                            title="No communications yet"
                            hint="Record what you tell staff, suppliers and customers about security: a new policy, this year's objectives, how to report an incident."
                            hidden=adding
                        />
                    }
                }
            >
                <ul class="record-list" aria-label="Communications">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| {
                            view! { <CommunicationItem id=id editing=editing on_archive=archive/> }
                        }
                    />
                </ul>
            </Show>
            <ArchivedList what="communications" records=archived on_restore=restore/>
        </section>
    }
}

/// Ids of the current communications, newest first.
fn in_order(s: &Workspace) -> Vec<String> {
    let mut list: Vec<_> = s
        .communications
        .iter()
        .filter(|(_, c)| c.archived.is_none())
        .map(|(id, c)| (c.date.clone(), c.created_at, id.clone()))
        .collect();
    sort_list(&mut list, |a, b| b.cmp(a));
    list.into_iter().map(|(_, _, id)| id).collect()
}

fn draft_of(c: &Communication) -> CommunicationDraft {
    CommunicationDraft {
        subject: c.subject.clone(),
        message: c.message.clone(),
        date: c.date.clone(),
        audience: c.audience.clone(),
        channel: c.channel,
        by: c.by.clone(),
        policies: c.policies.clone(),
        roles: c.roles.clone(),
        objectives: c.objectives.clone(),
    }
}

/// The names of what a communication is about, with links to them.
#[derive(Clone, PartialEq, Default)]
struct Linked {
    by: String,
    /// (text, href) of each linked record.
    about: Vec<(String, String)>,
}

fn linked(s: &Workspace, c: &Communication, base: &str) -> Linked {
    let mut about = Vec::new();
    for id in &c.policies {
        if let Some(p) = s.policies.get(id) {
            about.push((
                format!("Policy: {}", p.title),
                format!("{base}/policies#record-{id}"),
            ));
        }
    }
    for id in &c.roles {
        if let Some(r) = s.roles.get(id) {
            about.push((format!("Role: {}", r.kind.label()), format!("{base}/roles")));
        }
    }
    for id in &c.objectives {
        if let Some(o) = s.objectives.get(id) {
            about.push((
                format!("Objective: {}", o.title),
                format!("{base}/#record-{id}"),
            ));
        }
    }
    Linked {
        by: s
            .people
            .get(&c.by)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        about,
    }
}

#[component]
fn CommunicationItem(
    /// The communication's id.
    id: String,
    /// Which communication is being edited, shared by the list.
    editing: RwSignal<Option<String>>,
    /// Archives the communication with the given id.
    on_archive: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let record = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state.record(Area::Communications, &id, |s| {
                s.communications.get(&id).cloned()
            })
        })
    };
    let is_editing = {
        let id = id.clone();
        Memo::new(move |_| editing.with(|e| e.as_deref() == Some(id.as_str())))
    };
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let save = {
        let id = id.clone();
        Callback::new(move |draft: CommunicationDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_communication(&id, &draft, now)
            })
            .map(|()| {
                editing.set(None);
                focus_later(edit_button);
            })
        })
    };
    let cancel = Callback::new(move |()| {
        editing.set(None);
        focus_later(edit_button);
    });
    let params = leptos_router::hooks::use_params_map();
    let base = params.with_untracked(|p| format!("/w/{}", p.get("id").unwrap_or_default()));
    let links = Memo::new(move |_| {
        record.with(|c| {
            c.as_ref()
                .map(|c| {
                    ws.state.read(
                        &[Area::People, Area::Policies, Area::Roles, Area::Objectives],
                        |s| linked(s, c, &base),
                    )
                })
                .unwrap_or_default()
        })
    });
    let title = move || record.with(|c| c.as_ref().map(|c| c.subject.clone()).unwrap_or_default());
    let record_id = format!("record-{id}");
    crate::ui::form::follow_links(&id, || ());
    view! {
        <li class="record communication-record" id=record_id aria-label=title>
            {move || {
                if is_editing.get() {
                    let initial = record.get_untracked().map(|c| draft_of(&c)).unwrap_or_default();
                    return view! {
                        <CommunicationForm name="Edit communication" initial=initial on_save=save on_cancel=cancel/>
                    }
                    .into_any();
                }
                let Some(c) = record.get() else {
                    return ().into_any();
                };
                let Linked { by, about } = links.get();
                let (edit_id, archive_id) = (id.clone(), id.clone());
                let subject = c.subject.clone();
                let planned = c.planned(&today());
                view! {
                    <div class="record-head">
                        <div>
                            <h3 class="record-name">{c.subject.clone()}</h3>
                            <p class="record-detail">
                                {crate::ui::locale::date(&c.date)} " · " {c.channel.label()} " · to " {c.audience.clone()}
                            </p>
                        </div>
                        {planned.then(|| view! { <span class="badge planned">"Planned"</span> })}
                    </div>
                    <dl class="facts">
                        <div class="fact">
                            <dt>"Communicated by"</dt>
                            <dd>{by}</dd>
                        </div>
                        <div class="fact">
                            <dt>"To whom"</dt>
                            <dd>{c.audience.clone()}</dd>
                        </div>
                        <div class="fact">
                            <dt>"How"</dt>
                            <dd>{c.channel.label()}</dd>
                        </div>
                    </dl>
                    {(!c.message.is_empty()).then(|| view! { <p class="communication-message">{c.message.clone()}</p> })}
                    {(!about.is_empty())
                        .then(|| {
                            view! {
                                <p class="record-detail">
                                    "About: "
                                    {about
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, (text, href))| {
                                            view! {
                                                {(i > 0).then_some(", ")}
                                                <a href=href>{text}</a>
                                            }
                                        })
                                        .collect_view()}
                                </p>
                            }
                        })}
                    <div class="item-actions" class:hidden=move || !editable(ws)>
                        <button
                            type="button"
                            node_ref=edit_button
                            aria-label=format!("Edit {subject}")
                            on:click=move |_| editing.set(Some(edit_id.clone()))
                        >
                            "Edit"
                        </button>
                        <button
                            type="button"
                            class="danger"
                            aria-label=format!("Archive {subject}")
                            on:click=move |_| on_archive.run(archive_id.clone())
                        >
                            "Archive"
                        </button>
                    </div>
                }
                .into_any()
            }}
        </li>
    }
}

/// Adds or edits a communication.
#[component]
fn CommunicationForm(
    /// The form's accessible name.
    name: &'static str,
    /// The values the fields start with.
    initial: CommunicationDraft,
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<CommunicationDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let prefix = id_prefix("new-communication", name.starts_with("New"));
    let subject = RwSignal::new(initial.subject);
    let message = RwSignal::new(initial.message);
    let date = RwSignal::new(initial.date);
    let audience = RwSignal::new(initial.audience);
    let channel = RwSignal::new(initial.channel.slug().to_owned());
    let by = RwSignal::new(initial.by);
    let policies = RwSignal::new(initial.policies);
    let roles = RwSignal::new(initial.roles);
    let objectives = RwSignal::new(initial.objectives);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = CommunicationDraft {
            subject: subject.get_untracked(),
            message: message.get_untracked(),
            date: date.get_untracked(),
            audience: audience.get_untracked(),
            channel: Channel::from_slug(&channel.get_untracked()).unwrap_or_default(),
            by: by.get_untracked(),
            policies: policies.get_untracked(),
            roles: roles.get_untracked(),
            objectives: objectives.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let channels = Signal::derive(|| {
        Channel::ALL
            .iter()
            .map(|c| (c.slug().to_owned(), c.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let policy_options = Signal::derive(move || {
        ws.state.read(&[Area::Policies], |s| {
            let mut list: Vec<(String, String)> = s
                .policies
                .iter()
                .map(|(id, p)| (id.clone(), p.title.clone()))
                .collect();
            sort_list(&mut list, |a, b| a.1.cmp(&b.1));
            list
        })
    });
    let objective_options = Signal::derive(move || {
        ws.state.read(&[Area::Objectives], |s| {
            let mut list: Vec<(String, String)> = s
                .objectives
                .iter()
                .filter(|(_, o)| o.closing.is_none())
                .map(|(id, o)| (id.clone(), o.title.clone()))
                .collect();
            sort_list(&mut list, |a, b| a.1.cmp(&b.1));
            list
        })
    });
    view! {
        <form
            class="card form record-form"
            aria-label=name
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <p class="form-title">{name}</p>
            <TextField
                id=format!("{prefix}-subject")
                label="Subject"
                placeholder="The new information security policy"
                value=subject
                error=errors.field(Field::Subject)
                node_ref=first
            />
            <TextField
                id=format!("{prefix}-message")
                label="What is said"
                optional=true
                hint="The message in short, or where it can be read."
                multiline=true
                value=message
                error=errors.field(Field::Message)
            />
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-date")
                    label="Date"
                    hint="A date ahead plans it."
                    placeholder="YYYY-MM-DD"
                    value=date
                    error=errors.field(Field::CommunicationDate)
                />
                <TextField
                    id=format!("{prefix}-audience")
                    label="To whom"
                    placeholder="All staff"
                    value=audience
                    error=errors.field(Field::CommunicationAudience)
                />
            </div>
            <div class="field-row">
                <SelectField
                    id=format!("{prefix}-channel")
                    label="How"
                    value=channel
                    options=channels
                    empty="Choose…"
                    error=Signal::derive(|| None::<String>)
                />
                <SelectField
                    id=format!("{prefix}-by")
                    label="Communicated by"
                    value=by
                    options=people_options(ws)
                    empty="Choose…"
                    error=errors.field(Field::CommunicatedBy)
                />
            </div>
            <ChoiceList legend="About these policies" options=policy_options chosen=policies empty="No policies yet."/>
            <ChoiceList legend="About these roles" options=role_options(ws) chosen=roles empty="No roles yet."/>
            <ChoiceList
                legend="About these objectives"
                options=objective_options
                chosen=objectives
                empty="No open objectives."
            />
            <FormActions errors=errors save="Save communication" on_cancel=on_cancel/>
        </form>
    }
}
