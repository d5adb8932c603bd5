//! Competence (clause 7.2) on the People and roles page: the role × person
//! view of who meets what their role needs, and the competence records
//! (education, training, experience, certifications) with their evidence,
//! date and who verified them.

use leptos::prelude::*;

use crate::ui::form::{
    AddButton, ArchivedList, ChoiceList, EmptyState, FormActions, FormErrors, ListState,
    SelectField, TextField, archived_records, cancel_on_escape, editable, focus_later, id_prefix,
    people_options, problem_notice, role_options, scroll_to_record,
};
use crate::ui::{OpenWorkspace, Profile};
use crate::workspace::changes::Area;
use crate::workspace::competence::{
    CompetenceDraft, CompetenceKind, CompetenceRecord, Standing, competence_gaps,
};
use crate::workspace::model::sort_list;
use crate::workspace::{CommandError, Field, Workspace};

/// The competence part of the People and roles page.
#[component]
pub fn CompetencePart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let list = ListState::new();
    let ListState {
        adding,
        editing,
        problem,
        add_button,
    } = list;
    let ids = Memo::new(move |_| {
        ws.state
            .read(&[Area::Competence, Area::People], records_in_order)
    });
    let add = Callback::new(move |draft: CompetenceDraft| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_competence(&draft, now)
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
            doc.archive_competence(&id, now)
        }));
    });
    let restore = Callback::new(move |id: String| {
        list.report(ws.run(&profile.author(), |doc, now| {
            doc.restore_competence(&id, now)
        }));
    });
    let archived = Signal::derive(move || {
        ws.state.read(&[Area::Competence], |s| {
            archived_records(
                s.competence
                    .iter()
                    .map(|(id, r)| (id, r.summary.clone(), r.archived.as_ref())),
            )
        })
    });
    view! {
        <section class="roles-part" aria-labelledby="competence-heading" id="competence">
            <div class="section-head">
                <div>
                    <h3 id="competence-heading">"Competence"</h3>
                    <p class="muted">
                        "What each role needs, and the evidence that the people holding it have it (clause 7.2)."
                    </p>
                </div>
                <AddButton
                    label="Record competence"
                    adding=adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| list.open_add())
                />
            </div>
            <GapView/>
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <CompetenceForm
                    name="New competence record"
                    initial=CompetenceDraft::default()
                    on_save=Callback::new(move |d| add.run(d).map(drop))
                    on_cancel=cancel
                />
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState
                            title="No competence records yet"
                            hint="Record the qualifications, training and experience that show people can do their roles, with where the evidence is."
                            hidden=adding
                        />
                    }
                }
            >
                <ul class="record-list" aria-label="Competence records">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| {
                            view! { <CompetenceItem id=id editing=editing on_archive=archive/> }
                        }
                    />
                </ul>
            </Show>
            <ArchivedList what="competence records" records=archived on_restore=restore/>
        </section>
    }
}

/// Ids of the current records, by person name then newest first.
fn records_in_order(s: &Workspace) -> Vec<String> {
    let name = |id: &str| {
        s.people
            .get(id)
            .map(|p| p.name.to_lowercase())
            .unwrap_or_default()
    };
    let mut list: Vec<_> = s
        .competence
        .iter()
        .filter(|(_, r)| r.archived.is_none())
        .map(|(id, r)| (name(&r.person), r.date.clone(), id.clone()))
        .collect();
    sort_list(&mut list, |a, b| {
        a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2))
    });
    list.into_iter().map(|(_, _, id)| id).collect()
}

/// One row of the gap view, in words.
#[derive(Clone, PartialEq)]
struct GapLine {
    role: String,
    person: String,
    standing: &'static str,
    class: &'static str,
    detail: String,
}

fn gap_lines(s: &Workspace) -> Vec<GapLine> {
    let name = |id: &str| s.people.get(id).map(|p| p.name.clone()).unwrap_or_default();
    let mut lines: Vec<GapLine> = competence_gaps(s)
        .into_iter()
        .map(|row| {
            let role = s
                .roles
                .get(&row.role)
                .map(|r| r.kind.label().to_owned())
                .unwrap_or_default();
            let (standing, class, detail) = match &row.standing {
                Standing::Verified { record } => {
                    let r = &s.competence[record];
                    (
                        "Verified",
                        "ok",
                        format!("{}, verified by {}", r.summary, name(&r.verified_by)),
                    )
                }
                Standing::NotVerified { record } => (
                    "Not verified yet",
                    "pending",
                    format!(
                        "{}: no one has checked the evidence",
                        s.competence[record].summary
                    ),
                ),
                Standing::Gap => (
                    "Gap",
                    "gap",
                    "No record shows the competence this role needs".to_owned(),
                ),
                Standing::NotStated => (
                    "Need not stated",
                    "unset",
                    "The role does not say what competence it needs".to_owned(),
                ),
            };
            GapLine {
                role,
                person: name(&row.person),
                standing,
                class,
                detail,
            }
        })
        .collect();
    sort_list(&mut lines, |a, b| {
        a.role.cmp(&b.role).then(a.person.cmp(&b.person))
    });
    lines
}

/// Every role holder against what their role needs.
#[component]
fn GapView() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let lines = Memo::new(move |_| {
        ws.state
            .read(&[Area::Competence, Area::People, Area::Roles], gap_lines)
    });
    let summary = move || {
        lines.with(|lines| {
            let gaps = lines.iter().filter(|l| l.class == "gap").count();
            let pending = lines.iter().filter(|l| l.class == "pending").count();
            let verified = lines.iter().filter(|l| l.class == "ok").count();
            format!(
                "{verified} of {} role holders have verified competence; {gaps} gaps, {pending} not verified yet.",
                lines.len()
            )
        })
    };
    view! {
        <Show
            when=move || !lines.with(Vec::is_empty)
            fallback=|| view! { <p class="muted">"No one holds a role yet, so there is nothing to compare."</p> }
        >
            <p class="competence-summary" aria-label="Competence summary">{summary}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Competence by role and person">
                <table class="gap-table">
                    <caption class="visually-hidden">"Competence by role and person"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Person"</th>
                            <th scope="col">"Standing"</th>
                            <th scope="col">"Evidence"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || lines.get()
                            key=|line| (line.role.clone(), line.person.clone(), line.standing)
                            children=move |line| {
                                view! {
                                    <tr>
                                        <th scope="row">{line.role}</th>
                                        <td>{line.person}</td>
                                        <td>
                                            <span class=format!("badge competence-{}", line.class)>
                                                {line.standing}
                                            </span>
                                        </td>
                                        <td>{line.detail}</td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
            </div>
        </Show>
    }
}

fn draft_of(r: &CompetenceRecord) -> CompetenceDraft {
    CompetenceDraft {
        person: r.person.clone(),
        kind: r.kind,
        summary: r.summary.clone(),
        evidence: r.evidence.clone(),
        date: r.date.clone(),
        verified_by: r.verified_by.clone(),
        roles: r.roles.clone(),
    }
}

#[component]
fn CompetenceItem(
    /// The record's id.
    id: String,
    /// Which record is being edited, shared by the list.
    editing: RwSignal<Option<String>>,
    /// Archives the record with the given id.
    on_archive: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let record = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::Competence, &id, |s| s.competence.get(&id).cloned())
        })
    };
    let is_editing = {
        let id = id.clone();
        Memo::new(move |_| editing.with(|e| e.as_deref() == Some(id.as_str())))
    };
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let save = {
        let id = id.clone();
        Callback::new(move |draft: CompetenceDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_competence(&id, &draft, now)
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
    let names = Memo::new(move |_| {
        record.with(|r| {
            r.as_ref().map(|r| {
                ws.state.read(&[Area::People, Area::Roles], |s| {
                    let name = |id: &str| s.people.get(id).map(|p| p.name.clone());
                    let roles: Vec<String> = r
                        .roles
                        .iter()
                        .filter_map(|id| s.roles.get(id).map(|r| r.kind.label().to_owned()))
                        .collect();
                    (
                        name(&r.person).unwrap_or_default(),
                        name(&r.verified_by),
                        roles.join(", "),
                    )
                })
            })
        })
    });
    let title = move || record.with(|r| r.as_ref().map(|r| r.summary.clone()).unwrap_or_default());
    let record_id = format!("record-{id}");
    crate::ui::form::follow_links(&id, || ());
    view! {
        <li class="record competence-record" id=record_id aria-label=title>
            {move || {
                if is_editing.get() {
                    let initial = record.get_untracked().map(|r| draft_of(&r)).unwrap_or_default();
                    return view! {
                        <CompetenceForm name="Edit competence record" initial=initial on_save=save on_cancel=cancel/>
                    }
                    .into_any();
                }
                let Some(r) = record.get() else {
                    return ().into_any();
                };
                let (person, verifier, roles) = names.get().unwrap_or_default();
                let (edit_id, archive_id) = (id.clone(), id.clone());
                let summary = r.summary.clone();
                view! {
                    <div class="record-head">
                        <div>
                            <h4 class="record-name">{r.summary.clone()}</h4>
                            <p class="record-detail">
                                {person} " · " {r.kind.label()} " · " {crate::ui::locale::date(&r.date)}
                            </p>
                        </div>
                        {match &verifier {
                            Some(_) => view! { <span class="badge competence-ok">"Verified"</span> }.into_any(),
                            None => view! { <span class="badge competence-pending">"Not verified yet"</span> }.into_any(),
                        }}
                    </div>
                    <dl class="facts">
                        <div class="fact">
                            <dt>"Evidence"</dt>
                            <dd>{r.evidence.clone()}</dd>
                        </div>
                        <div class="fact">
                            <dt>"Verified by"</dt>
                            {match verifier {
                                Some(v) => view! { <dd>{v}</dd> }.into_any(),
                                None => view! { <dd class="unset">"No one yet"</dd> }.into_any(),
                            }}
                        </div>
                        <div class="fact">
                            <dt>"Meets the needs of"</dt>
                            {if roles.is_empty() {
                                view! { <dd class="unset">"No role named"</dd> }.into_any()
                            } else {
                                view! { <dd>{roles}</dd> }.into_any()
                            }}
                        </div>
                    </dl>
                    <div class="item-actions" class:hidden=move || !editable(ws)>
                        <button
                            type="button"
                            node_ref=edit_button
                            aria-label=format!("Edit {summary}")
                            on:click=move |_| editing.set(Some(edit_id.clone()))
                        >
                            "Edit"
                        </button>
                        <button
                            type="button"
                            class="danger"
                            aria-label=format!("Archive {summary}")
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

/// Adds or edits a competence record.
#[component]
fn CompetenceForm(
    /// The form's accessible name.
    name: &'static str,
    /// The values the fields start with.
    initial: CompetenceDraft,
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<CompetenceDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let prefix = id_prefix("new-competence", name.starts_with("New"));
    let person = RwSignal::new(initial.person);
    let kind = RwSignal::new(initial.kind.slug().to_owned());
    let summary = RwSignal::new(initial.summary);
    let evidence = RwSignal::new(initial.evidence);
    let date = RwSignal::new(initial.date);
    let verified_by = RwSignal::new(initial.verified_by);
    let roles = RwSignal::new(initial.roles);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    crate::ui::form::focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = CompetenceDraft {
            person: person.get_untracked(),
            kind: CompetenceKind::from_slug(&kind.get_untracked()).unwrap_or_default(),
            summary: summary.get_untracked(),
            evidence: evidence.get_untracked(),
            date: date.get_untracked(),
            verified_by: verified_by.get_untracked(),
            roles: roles.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let kinds = Signal::derive(|| {
        CompetenceKind::ALL
            .iter()
            .map(|k| (k.slug().to_owned(), k.label().to_owned()))
            .collect::<Vec<_>>()
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
                id=format!("{prefix}-summary")
                label="What it is"
                placeholder="A qualification, a course, or the experience"
                value=summary
                error=errors.field(Field::CompetenceSummary)
                node_ref=first
            />
            <div class="field-row">
                <SelectField
                    id=format!("{prefix}-person")
                    label="Person"
                    value=person
                    options=people_options(ws)
                    empty="Choose…"
                    error=errors.field(Field::CompetencePerson)
                />
                <SelectField
                    id=format!("{prefix}-kind")
                    label="Kind"
                    value=kind
                    options=kinds
                    empty="Choose…"
                    error=Signal::derive(|| None::<String>)
                />
            </div>
            <TextField
                id=format!("{prefix}-evidence")
                label="Evidence"
                hint="Where it is kept: a certificate, a file, a link."
                value=evidence
                error=errors.field(Field::Evidence)
            />
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-date")
                    label="Date"
                    hint="When it was obtained or last confirmed."
                    placeholder="YYYY-MM-DD"
                    value=date
                    error=errors.field(Field::CompetenceDate)
                />
                <SelectField
                    id=format!("{prefix}-verified")
                    label="Verified by"
                    value=verified_by
                    options=people_options(ws)
                    empty="No one yet"
                    optional=true
                    hint=Signal::derive(|| Some("The person who checked the evidence.".to_owned()))
                    error=errors.field(Field::VerifiedBy)
                />
            </div>
            <ChoiceList
                legend="Meets the competence needed for"
                options=role_options(ws)
                chosen=roles
                empty="No roles yet."
            />
            <FormActions errors=errors save="Save competence record" on_cancel=on_cancel/>
        </form>
    }
}
