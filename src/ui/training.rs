//! Training and awareness (clauses 7.2 and 7.3): programmes with their
//! audience and recurrence, sessions with the people who attended, completion
//! against each programme's target, per person and overall, and evidence of
//! competence.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::ui::form::{
    AddButton, ArchivedList, EmptyState, FormActions, FormErrors, ListState, TextField,
    archived_records, cancel_on_escape, editable, focus_first_invalid, focus_later, focus_on_open,
    id_prefix, problem_notice,
};
use crate::ui::{OpenWorkspace, Profile, locale, today};
use crate::workspace::changes::Area;
use crate::workspace::competence::{AwarenessPoint, awareness_coverage, awareness_of};
use crate::workspace::model::format_number;
use crate::workspace::model::sort_list;
use crate::workspace::training::{
    Audience, Programme, ProgrammeDraft, SessionDraft, audience_members, has_completed,
    overall_completion, person_completion, programme_completion,
};
use crate::workspace::{CommandError, Field, Workspace};

/// The training and awareness section of the open workspace.
#[component]
pub fn TrainingSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let list = ListState::new();
    let ListState {
        adding,
        editing,
        problem,
        add_button,
    } = list;
    let ids = Memo::new(move |_| ws.state.read(&[Area::Trainings], programmes_in_order));

    let add = Callback::new(move |draft: ProgrammeDraft| {
        ws.run(&profile.author(), |doc, now| doc.add_programme(&draft, now))
            .map(|_| list.close_add())
    });
    let cancel = Callback::new(move |()| list.close_add());
    let delete = Callback::new(move |id: String| {
        list.report(ws.run(&profile.author(), |doc, now| {
            doc.archive_programme(&id, now)
        }));
    });
    let restore = Callback::new(move |id: String| {
        list.report(ws.run(&profile.author(), |doc, now| {
            doc.restore_programme(&id, now)
        }));
    });
    let archived = Signal::derive(move || {
        ws.state.read(&[Area::Trainings], |s| {
            archived_records(
                s.trainings
                    .iter()
                    .map(|(id, p)| (id, p.topic.clone(), p.archived.as_ref())),
            )
        })
    });

    view! {
        <section class="training" aria-labelledby="training-heading">
            <div class="section-head">
                <div>
                    <h2 id="training-heading">"Training and awareness"</h2>
                    <p class="muted">
                        "Programmes, sessions and who has completed them, so people are competent and aware (ISO/IEC 27001, clauses 7.2 and 7.3)."
                    </p>
                </div>
                <AddButton
                    label="Add programme"
                    adding=adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| list.open_add())
                />
            </div>
            <OverallCompletion/>
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <ProgrammeForm
                    name="New programme"
                    initial=ProgrammeDraft {
                        mandatory: true,
                        ..ProgrammeDraft::default()
                    }
                    on_save=add
                    on_cancel=cancel
                />
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState title="No training programmes yet" hint="Add what people need to learn, such as a yearly security awareness course for everyone." hidden=adding/>
                    }
                }
            >
                <ul class="record-list programme-list" aria-label="Programmes">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| {
                            view! { <ProgrammeItem id=id editing=editing on_delete=delete/> }
                        }
                    />
                </ul>
            </Show>
            <ArchivedList what="programmes" records=archived on_restore=restore/>
            <PersonCompletion/>
            <AwarenessCoverage/>
        </section>
    }
}

/// The overall completion as the section and the dashboard show it.
fn overall_text(s: &Workspace, today: &str) -> String {
    overall_completion(s, today).map_or_else(|| "No one is due yet".to_owned(), locale::percent)
}

/// Ids of the current (not archived) programmes, oldest first.
fn programmes_in_order(s: &Workspace) -> Vec<String> {
    let mut list: Vec<_> = s
        .trainings
        .iter()
        .filter(|(_, p)| p.archived.is_none())
        .collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id))
    });
    list.into_iter().map(|(id, _)| id.clone()).collect()
}

/// (id, name) of every current (not archived) person, oldest first.
fn people_in_order(s: &Workspace) -> Vec<(String, String)> {
    let mut people: Vec<_> = s
        .people
        .iter()
        .filter(|(_, p)| p.archived.is_none())
        .collect();
    sort_list(&mut people, |(a_id, a), (b_id, b)| {
        a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id))
    });
    people
        .into_iter()
        .map(|(id, p)| (id.clone(), p.name.clone()))
        .collect()
}

/// (id, name) of a programme's audience, oldest person first.
fn audience_in_order(s: &Workspace, programme: &Programme) -> Vec<(String, String)> {
    let members = audience_members(s, programme);
    people_in_order(s)
        .into_iter()
        .filter(|(id, _)| members.contains(id))
        .collect()
}

/// (id, name) of every current (not archived) role, oldest first.
fn roles_in_order(s: &Workspace) -> Vec<(String, String)> {
    let mut roles: Vec<_> = s
        .roles
        .iter()
        .filter(|(_, r)| r.archived.is_none())
        .collect();
    sort_list(&mut roles, |(a_id, a), (b_id, b)| {
        a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id))
    });
    roles
        .into_iter()
        .map(|(id, r)| (id.clone(), r.kind.label().to_owned()))
        .collect()
}

/// Who a programme is for, in words.
fn audience_label(s: &Workspace, audience: &Audience) -> String {
    match audience {
        Audience::Everyone => "Everyone".to_owned(),
        Audience::Roles(ids) => {
            let names: Vec<&str> = ids
                .iter()
                .filter_map(|id| s.roles.get(id).map(|r| r.kind.label()))
                .collect();
            if names.is_empty() {
                "No one: its roles were deleted".to_owned()
            } else {
                format!("Holders of: {}", names.join(", "))
            }
        }
    }
}

/// How often a programme is repeated, in words.
fn recurrence_label(months: Option<u32>) -> String {
    match months {
        None => "Once".to_owned(),
        Some(1) => "Every month".to_owned(),
        Some(n) => format!("Every {n} months"),
    }
}

/// The form's starting values for an existing programme.
fn programme_draft(p: &Programme) -> ProgrammeDraft {
    ProgrammeDraft {
        topic: p.topic.clone(),
        audience: p.audience.clone(),
        recurrence_months: p
            .recurrence_months
            .map(|m| m.to_string())
            .unwrap_or_default(),
        mandatory: p.mandatory,
        completion_target: p.completion_target.map(format_number).unwrap_or_default(),
        covers_policy: p.covers_policy,
        covers_contribution: p.covers_contribution,
        covers_consequences: p.covers_consequences,
        effectiveness_method: p.effectiveness_method.clone(),
        effectiveness_result: p.effectiveness_result.clone(),
        effectiveness_checked: p.effectiveness_checked.clone().unwrap_or_default(),
    }
}

/// The headline figure: the share of due (person, mandatory programme) pairs
/// that are completed.
#[component]
fn OverallCompletion() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let figure = move || {
        ws.state
            .read(&[Area::Trainings, Area::People, Area::Roles], |s| {
                overall_text(s, &today())
            })
    };
    view! {
        <div class="card training-overall">
            <p class="figure-label" aria-hidden="true">"Overall completion"</p>
            <output class="figure" aria-label="Overall completion">{figure}</output>
            <p class="muted">
                "Of everyone who must complete a mandatory programme, the share who have done so (for repeated programmes, within the current period)."
            </p>
        </div>
    }
}

#[component]
fn ProgrammeItem(
    /// The programme's id.
    id: String,
    /// Which programme is being edited, shared by the list.
    editing: RwSignal<Option<String>>,
    /// Deletes the programme with the given id.
    on_delete: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let programme = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::Trainings, &id, |s| s.trainings.get(&id).cloned())
        })
    };
    let open = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let is_editing = {
        let id = id.clone();
        Memo::new(move |_| editing.with(|e| e.as_deref() == Some(id.as_str())))
    };
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let keep_button = NodeRef::<leptos::html::Button>::new();
    let save = {
        let id = id.clone();
        Callback::new(move |draft: ProgrammeDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_programme(&id, &draft, now)
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
    let topic = move || programme.with(|p| p.as_ref().map(|p| p.topic.clone()).unwrap_or_default());
    // Who it is for and how far along they are also change with people and roles.
    let figures = Memo::new(move |_| {
        programme.with(|p| {
            p.as_ref().map(|p| {
                ws.state.read(&[Area::People, Area::Roles], |s| {
                    (
                        audience_label(s, &p.audience),
                        programme_completion(s, p, &today()),
                    )
                })
            })
        })
    });
    let summary = {
        let id = id.clone();
        move || {
            let Some(p) = programme.get() else {
                return ().into_any();
            };
            let (audience, completion) = figures.get().unwrap_or_default();
            let edit_id = id.clone();
            view! {
                <ProgrammeSummary programme=p.clone() audience=audience completion=completion/>
                <div class="item-actions" class:hidden=move || !editable(ws)>
                    <button
                        type="button"
                        node_ref=edit_button
                        aria-label=format!("Edit {}", p.topic)
                        on:click=move |_| {
                            confirming.set(false);
                            editing.set(Some(edit_id.clone()));
                        }
                    >
                        "Edit"
                    </button>
                    <button
                        type="button"
                        class="danger"
                        aria-label=format!("Archive {}", p.topic)
                        on:click=move |_| {
                            confirming.set(true);
                            focus_later(keep_button);
                        }
                        prop:disabled=confirming
                    >
                        "Archive"
                    </button>
                </div>
            }
            .into_any()
        }
    };
    let delete_id = id.clone();
    let view_mode = move || {
        let delete_id = delete_id.clone();
        view! {
            {summary.clone()}
            <Show when=move || confirming.get()>
                <div class="notice warning confirm-delete" role="group" aria-label="Confirm archiving">
                    <p>
                        {move || {
                            format!(
                                "Archive “{}”? Its sessions and evidence of competence stay as records; it leaves the current list and the completion figures. It can be restored.",
                                topic(),
                            )
                        }}
                    </p>
                    <div class="actions">
                        <button
                            type="button"
                            class="danger"
                            on:click={
                                let delete_id = delete_id.clone();
                                move |_| on_delete.run(delete_id.clone())
                            }
                        >
                            "Archive programme"
                        </button>
                        <button type="button" node_ref=keep_button on:click=move |_| confirming.set(false)>
                            "Keep it"
                        </button>
                    </div>
                </div>
            </Show>
            <button
                type="button"
                class="link-button"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if open.get() { "Hide sessions and people" } else { "Sessions and people" }}
            </button>
        }
    };
    let detail_id = id.clone();
    view! {
        <li class="record programme" aria-label=topic>
            {move || {
                if is_editing.get() {
                    let initial = programme
                        .get_untracked()
                        .map(|p| programme_draft(&p))
                        .unwrap_or_default();
                    view! {
                        <ProgrammeForm name="Edit programme" initial=initial on_save=save on_cancel=cancel/>
                    }
                    .into_any()
                } else {
                    view_mode().into_any()
                }
            }}
            <Show when=move || open.get() && !is_editing.get()>
                <ProgrammeDetail id=detail_id.clone() programme=programme/>
            </Show>
        </li>
    }
}

/// A programme's facts and its completion against the target.
#[component]
fn ProgrammeSummary(
    /// The programme as the state has it.
    programme: Programme,
    /// Who it is for, in words.
    audience: String,
    /// The share of its audience that has completed it, in %.
    completion: Option<f64>,
) -> impl IntoView {
    let p = programme;
    let target = p.completion_target;
    let status = match (completion, target) {
        (Some(c), Some(t)) if c >= t => Some(("On target", "on-target")),
        (Some(_), Some(_)) => Some(("Below target", "below-target")),
        _ => None,
    };
    let completion_text =
        completion.map_or_else(|| "No one in its audience yet".to_owned(), locale::percent);
    let target_text = target.map_or_else(|| "None set".to_owned(), locale::percent_exact);
    view! {
        <div class="record-head">
            <div>
                <h3 class="record-name">{p.topic.clone()}</h3>
                <p class="record-detail">
                    {if p.mandatory { "Mandatory" } else { "Optional" }}
                    " · "
                    {recurrence_label(p.recurrence_months)}
                </p>
            </div>
            {status
                .map(|(label, class)| {
                    view! { <span class=format!("badge completion-{class}")>{label}</span> }
                })}
        </div>
        <dl class="facts">
            <div class="fact">
                <dt>"Audience"</dt>
                <dd>{audience}</dd>
            </div>
            <div class="fact">
                <dt>"Completed"</dt>
                <dd aria-label=format!("Completion of {}", p.topic)>{completion_text}</dd>
            </div>
            <div class="fact">
                <dt>"Target"</dt>
                <dd class:unset=target.is_none()>{target_text}</dd>
            </div>
            <div class="fact">
                <dt>"Sessions"</dt>
                <dd>{p.sessions.len()}</dd>
            </div>
            <div class="fact">
                <dt>"Awareness"</dt>
                {if p.is_awareness() {
                    let points: Vec<&str> = AwarenessPoint::ALL
                        .into_iter()
                        .filter(|point| point.covered_by(&p))
                        .map(|point| &point.label()[..5])
                        .collect();
                    view! { <dd>{format!("Covers {}", points.join(", "))}</dd> }.into_any()
                } else {
                    view! { <dd class="unset">"Not an awareness activity"</dd> }.into_any()
                }}
            </div>
        </dl>
        <dl class="role-facts">
            <div class="long-fact">
                <dt>"Effectiveness"</dt>
                {effectiveness(&p)}
            </div>
        </dl>
    }
}

/// How a programme's effectiveness is evaluated, and what the last evaluation found.
fn effectiveness(p: &Programme) -> impl IntoView + use<> {
    if p.effectiveness_method.is_empty() {
        return view! { <dd class="unset">"How it is evaluated is not recorded"</dd> }.into_any();
    }
    let result = match (&p.effectiveness_checked, p.effectiveness_result.is_empty()) {
        (Some(day), false) => format!(
            " Last evaluated on {}: {}",
            crate::ui::locale::date(day),
            p.effectiveness_result
        ),
        _ => " Not evaluated yet.".to_owned(),
    };
    view! { <dd>{p.effectiveness_method.clone()} {result}</dd> }.into_any()
}

/// A programme's sessions and the people in its audience.
#[component]
fn ProgrammeDetail(
    /// The programme's id.
    id: String,
    /// The programme as the state has it.
    programme: Memo<Option<Programme>>,
) -> impl IntoView {
    view! {
        <div class="programme-detail">
            <Sessions id=id.clone() programme=programme/>
            <Competence id=id programme=programme/>
        </div>
    }
}

/// The label of a session: its day or its days, as the person reads dates.
fn session_label(date: &str, end: Option<&str>) -> String {
    match end {
        Some(end) if end != date => format!(
            "Session from {} to {}",
            locale::date(date),
            locale::date(end)
        ),
        _ => format!("Session on {}", locale::date(date)),
    }
}

#[component]
fn Sessions(
    /// The programme's id.
    id: String,
    /// The programme as the state has it.
    programme: Memo<Option<Programme>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let session_ids = Memo::new(move |_| {
        programme.with(|p| {
            let mut list: Vec<_> = p
                .iter()
                .flat_map(|p| p.sessions.iter())
                .map(|(id, s)| (s.date.clone(), id.clone()))
                .collect();
            sort_list(&mut list, |a, b| b.cmp(a));
            list.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        })
    });
    let audience = Memo::new(move |_| {
        programme.with(|p| {
            p.as_ref()
                .map(|p| {
                    ws.state
                        .read(&[Area::People, Area::Roles], |s| audience_in_order(s, p))
                })
                .unwrap_or_default()
        })
    });
    let add = {
        let id = id.clone();
        Callback::new(move |draft: SessionDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.add_session(&id, &draft, now)
            })
            .map(|_| {
                adding.set(false);
                problem.set(None);
                focus_later(add_button);
            })
        })
    };
    let cancel = Callback::new(move |()| {
        adding.set(false);
        focus_later(add_button);
    });
    let programme_id = StoredValue::new(id);
    view! {
        <div class="programme-part">
            <div class="part-head">
                <h4>"Sessions"</h4>
                <Show when=move || editable(ws)>
                    <button
                        type="button"
                        node_ref=add_button
                        on:click=move |_| adding.set(true)
                        prop:disabled=adding
                    >
                        "Record session"
                    </button>
                </Show>
            </div>
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <SessionForm audience=audience on_save=add on_cancel=cancel/>
            </Show>
            <Show
                when=move || !session_ids.with(Vec::is_empty)
                fallback=|| view! { <p class="muted">"No sessions recorded yet."</p> }
            >
                <ul class="session-list" aria-label="Sessions">
                    <For
                        each=move || session_ids.get()
                        key=|id| id.clone()
                        children=move |session_id| {
                            view! {
                                <SessionItem
                                    programme_id=programme_id.get_value()
                                    session_id=session_id
                                    programme=programme
                                    audience=audience
                                    problem=problem
                                />
                            }
                        }
                    />
                </ul>
            </Show>
        </div>
    }
}

#[component]
fn SessionItem(
    /// The programme's id.
    programme_id: String,
    /// The session's id.
    session_id: String,
    /// The programme as the state has it.
    programme: Memo<Option<Programme>>,
    /// (id, name) of the programme's audience.
    audience: Memo<Vec<(String, String)>>,
    /// Where a failed change is reported.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let session = {
        let session_id = session_id.clone();
        Memo::new(move |_| {
            programme.with(|p| {
                p.as_ref()
                    .and_then(|p| p.sessions.get(&session_id).cloned())
            })
        })
    };
    let label = move || {
        session.with(|s| {
            s.as_ref()
                .map(|s| session_label(&s.date, s.end.as_deref()))
                .unwrap_or_default()
        })
    };
    // The audience, and anyone else recorded as attending who still exists.
    let people = Memo::new(move |_| {
        let mut people = audience.get();
        ws.state.read(&[Area::People], |s| {
            session.with(|session| {
                for (id, name) in people_in_order(s) {
                    let attended = session
                        .as_ref()
                        .is_some_and(|x| x.attendees.get(&id) == Some(&true));
                    if attended && !people.iter().any(|(p, _)| *p == id) {
                        people.push((id, name));
                    }
                }
            })
        });
        people
    });
    let attended_names = move || {
        session.with(|s| {
            let names: Vec<String> = people.with(|people| {
                people
                    .iter()
                    .filter(|(id, _)| {
                        s.as_ref()
                            .is_some_and(|s| s.attendees.get(id) == Some(&true))
                    })
                    .map(|(_, name)| name.clone())
                    .collect()
            });
            if names.is_empty() {
                "No one recorded as attending.".to_owned()
            } else {
                format!("Attended: {}.", names.join(", "))
            }
        })
    };
    let set = Callback::new(move |(person_id, attended): (String, bool)| {
        ws.run(&profile.author(), |doc, now| {
            doc.set_attendance(&programme_id, &session_id, &person_id, attended, now)
        })
        .map_err(|e| e.to_string())
    });
    view! {
        <li class="session" aria-label=label>
            <p class="session-date">{label}</p>
            <p class="record-detail" class:hidden=move || editable(ws)>{attended_names}</p>
            <fieldset class="attendees" class:hidden=move || !editable(ws)>
                <legend>"Attended"</legend>
                <Show
                    when=move || !people.with(Vec::is_empty)
                    fallback=|| view! { <p class="muted">"No one is in this programme's audience."</p> }
                >
                    <For
                        each=move || people.get()
                        key=|p| p.clone()
                        children=move |(person_id, name)| {
                            let checked = {
                                let person_id = person_id.clone();
                                move || {
                                    session.with(|s| {
                                        s.as_ref()
                                            .is_some_and(|s| s.attendees.get(&person_id) == Some(&true))
                                    })
                                }
                            };
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=checked
                                        on:change=move |ev| {
                                            let attended = event_target_checked(&ev);
                                            match set.run((person_id.clone(), attended)) {
                                                Ok(()) => problem.set(None),
                                                Err(e) => {
                                                    event_target::<web_sys::HtmlInputElement>(&ev)
                                                        .set_checked(!attended);
                                                    problem.set(Some(e));
                                                }
                                            }
                                        }
                                    />
                                    {name}
                                </label>
                            }
                        }
                    />
                </Show>
            </fieldset>
        </li>
    }
}

/// Records a session: its first day, its last day if longer, and who came.
#[component]
fn SessionForm(
    /// (id, name) of the programme's audience, offered as attendees.
    audience: Memo<Vec<(String, String)>>,
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<SessionDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let prefix = id_prefix("new-session", false);
    let date = RwSignal::new(today());
    let end = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let errors = FormErrors::new();
    let date_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    focus_on_open(date_ref);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = SessionDraft {
            date: date.get_untracked(),
            end: end.get_untracked(),
            attendees: chosen.get_untracked().into_iter().collect(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    view! {
        <form
            class="card form record-form session-form"
            aria-label="New session"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <p class="form-title">"New session"</p>
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-date")
                    label="Date"
                    placeholder="YYYY-MM-DD"
                    value=date
                    error=errors.field(Field::SessionDate)
                    node_ref=date_ref
                />
                <TextField
                    id=format!("{prefix}-end")
                    label="End date"
                    optional=true
                    hint="For a session over several days."
                    placeholder="YYYY-MM-DD"
                    value=end
                    error=errors.field(Field::SessionEnd)
                />
            </div>
            <fieldset class="attendees">
                <legend>"Attendees"</legend>
                <Show
                    when=move || !audience.with(Vec::is_empty)
                    fallback=|| {
                        view! {
                            <p class="muted">
                                "No one is in this programme's audience yet. Add people, and give them roles, under People and roles."
                            </p>
                        }
                    }
                >
                    <For
                        each=move || audience.get()
                        key=|p| p.clone()
                        children=move |(person_id, name)| {
                            let checked = {
                                let person_id = person_id.clone();
                                move || chosen.with(|c| c.contains(&person_id))
                            };
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=checked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|c| {
                                                if on {
                                                    c.insert(person_id.clone());
                                                } else {
                                                    c.remove(&person_id);
                                                }
                                            });
                                        }
                                    />
                                    {name}
                                </label>
                            }
                        }
                    />
                </Show>
            </fieldset>
            <FormActions errors=errors save="Save session" on_cancel=on_cancel/>
        </form>
    }
}

/// One person of a programme's audience as the competence table shows them.
#[derive(Clone, PartialEq)]
struct AudienceRow {
    id: String,
    name: String,
    completed: bool,
    evidence: Option<String>,
}

/// Whether evidence text is a web address that can be shown as a link.
fn is_web_link(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
}

/// Evidence as text, or as a link when it is a web address; never as markup.
fn evidence_view(text: String) -> AnyView {
    if is_web_link(&text) {
        let href = text.clone();
        view! {
            <a href=href rel="noopener noreferrer" target="_blank">
                {text}
            </a>
        }
        .into_any()
    } else {
        view! { <span class="evidence-text">{text}</span> }.into_any()
    }
}

/// The people a programme is for: whether each has completed it, and their
/// evidence of competence.
#[component]
fn Competence(
    /// The programme's id.
    id: String,
    /// The programme as the state has it.
    programme: Memo<Option<Programme>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let editing = RwSignal::new(None::<String>);
    let rows = Memo::new(move |_| {
        let today = today();
        programme.with(|p| {
            let Some(p) = p else {
                return Vec::new();
            };
            ws.state.read(&[Area::People, Area::Roles], |s| {
                audience_in_order(s, p)
                    .into_iter()
                    .map(|(id, name)| AudienceRow {
                        completed: has_completed(p, &id, &today),
                        evidence: p.evidence.get(&id).cloned(),
                        id,
                        name,
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let programme_id = StoredValue::new(id);
    view! {
        <div class="programme-part">
            <h4>"People and evidence of competence"</h4>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=|| {
                    view! {
                        <p class="muted">
                            "No one is in this programme's audience yet. Add people, and give them roles, under People and roles."
                        </p>
                    }
                }
            >
                <div class="table-scroll" tabindex="0">
                    <table class="training-table">
                        <caption class="visually-hidden">"People and evidence of competence"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Person"</th>
                                <th scope="col">"Completed"</th>
                                <th scope="col">"Evidence of competence"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|r| (r.id.clone(), r.name.clone(), r.completed, r.evidence.clone())
                                children=move |row| {
                                    view! {
                                        <CompetenceRow
                                            programme_id=programme_id.get_value()
                                            row=row
                                            editing=editing
                                        />
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn CompetenceRow(
    /// The programme's id.
    programme_id: String,
    /// The person and what is known about them.
    row: AudienceRow,
    /// Whose evidence is being edited, shared by the table.
    editing: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let AudienceRow {
        id,
        name,
        completed,
        evidence,
    } = row;
    let is_editing = {
        let id = id.clone();
        move || editing.with(|e| e.as_deref() == Some(id.as_str()))
    };
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let text = RwSignal::new(evidence.clone().unwrap_or_default());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let input_ref = NodeRef::<leptos::html::Input>::new();
    focus_on_open(input_ref);
    let person_id = id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = text.get_untracked();
        match ws.run(&profile.author(), |doc, now| {
            doc.set_competence_evidence(&programme_id, &person_id, &value, now)
        }) {
            Ok(()) => {
                errors.set(None);
                editing.set(None);
            }
            Err(e) => {
                errors.set(Some(e));
                focus_first_invalid(form_ref);
            }
        }
    };
    let cancel = Callback::new(move |()| {
        editing.set(None);
        focus_later(edit_button);
    });
    let edit_id = id.clone();
    let form_label = format!("Evidence of competence for {name}");
    let button_label = format!(
        "{} evidence for {name}",
        if evidence.is_some() { "Edit" } else { "Add" }
    );
    view! {
        <tr>
            <th scope="row">{name.clone()}</th>
            <td>
                {if completed {
                    view! { <span class="badge completion-on-target">"Completed"</span> }.into_any()
                } else {
                    view! { <span class="muted">"Not yet"</span> }.into_any()
                }}
            </td>
            <td>
                <Show
                    when=is_editing
                    fallback=move || {
                        let edit_id = edit_id.clone();
                        let current = evidence.clone();
                        let has_evidence = current.is_some();
                        view! {
                            <div class="evidence-cell">
                                {match evidence.clone() {
                                    Some(text) => evidence_view(text),
                                    None => view! { <span class="muted">"None recorded"</span> }.into_any(),
                                }}
                                <button
                                    type="button"
                                    class="link-button"
                                    class:hidden=move || !editable(ws)
                                    node_ref=edit_button
                                    aria-label=button_label.clone()
                                    on:click=move |_| {
                                        text.set(current.clone().unwrap_or_default());
                                        errors.set(None);
                                        editing.set(Some(edit_id.clone()));
                                    }
                                >
                                    {if has_evidence { "Edit" } else { "Add" }}
                                </button>
                            </div>
                        }
                    }
                >
                    <form
                        class="evidence-form"
                        aria-label=form_label.clone()
                        novalidate
                        node_ref=form_ref
                        on:submit=submit.clone()
                        on:keydown=cancel_on_escape(cancel)
                    >
                        <TextField
                            id=format!("evidence-{}", id_prefix("", false))
                            label="Evidence of competence"
                            hint="A certificate, an assessment result, or a link to it. Leave empty to remove."
                            value=text
                            error=errors.field(Field::Evidence)
                            node_ref=input_ref
                        />
                        <FormActions errors=errors save="Save evidence" on_cancel=cancel/>
                    </form>
                </Show>
            </td>
        </tr>
    }
}

/// What the person × programme table shows in one cell.
#[derive(Clone, Copy, PartialEq)]
enum Cell {
    /// The person is not in the programme's audience.
    NotDue,
    /// In the audience and completed.
    Done,
    /// In the audience, not completed.
    Due,
}

/// One row of the person × programme table.
#[derive(Clone, PartialEq)]
struct PersonRow {
    name: String,
    cells: Vec<Cell>,
    completion: Option<f64>,
}

/// Awareness (7.3 a–c) by person: what shows each person is aware of the
/// policy, their contribution and the consequences of not conforming.
#[component]
fn AwarenessCoverage() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let table = Memo::new(move |_| {
        let today = today();
        ws.state.read(
            &[Area::Trainings, Area::People, Area::Roles, Area::Policies],
            |s| {
                let rows: Vec<(String, Vec<Option<String>>)> = people_in_order(s)
                    .into_iter()
                    .map(|(id, name)| {
                        let cells = awareness_of(s, &id, &today)
                            .into_iter()
                            .map(|e| e.map(|e| e.label()))
                            .collect();
                        (name, cells)
                    })
                    .collect();
                (awareness_coverage(s, &today), rows)
            },
        )
    });
    view! {
        <section class="training-people" aria-labelledby="awareness-heading" id="awareness">
            <h3 id="awareness-heading">"Awareness by person"</h3>
            <p class="muted">
                "Clause 7.3: people are aware of the information security policy, their contribution to the ISMS and the implications of not conforming. A completed programme that covers a point counts, and so does an acknowledgement of the policy in force."
            </p>
            {move || {
                let (([policy, contribution, consequences], people), rows) = table.get();
                if rows.is_empty() {
                    return view! { <p class="muted">"Once there are people, this shows who is aware of what."</p> }
                        .into_any();
                }
                let figure = |n: usize| format!("{n} of {people}");
                view! {
                    <dl class="facts awareness-figures">
                        <div class="fact">
                            <dt>"Aware of the policy"</dt>
                            <dd>{figure(policy)}</dd>
                        </div>
                        <div class="fact">
                            <dt>"Aware of their contribution"</dt>
                            <dd>{figure(contribution)}</dd>
                        </div>
                        <div class="fact">
                            <dt>"Aware of the consequences"</dt>
                            <dd>{figure(consequences)}</dd>
                        </div>
                    </dl>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Awareness by person">
                        <table class="training-table awareness-table">
                            <caption class="visually-hidden">"Awareness by person"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Person"</th>
                                    {AwarenessPoint::ALL
                                        .into_iter()
                                        .map(|p| view! { <th scope="col">{p.short()}</th> })
                                        .collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|(name, cells)| {
                                        view! {
                                            <tr>
                                                <th scope="row">{name}</th>
                                                {cells
                                                    .into_iter()
                                                    .map(|cell| match cell {
                                                        Some(text) => view! { <td class="cell-done">{text}</td> }.into_any(),
                                                        None => view! { <td class="cell-due">"No evidence"</td> }.into_any(),
                                                    })
                                                    .collect_view()}
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

/// The completion table: each person against each programme, with their
/// share of mandatory programmes completed.
#[component]
fn PersonCompletion() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let table = Memo::new(move |_| {
        let today = today();
        ws.state
            .read(&[Area::Trainings, Area::People, Area::Roles], |s| {
                let programmes: Vec<&Programme> = programmes_in_order(s)
                    .iter()
                    .filter_map(|id| s.trainings.get(id))
                    .collect();
                let audiences: Vec<BTreeSet<String>> =
                    programmes.iter().map(|p| audience_members(s, p)).collect();
                let columns: Vec<(String, bool)> = programmes
                    .iter()
                    .map(|p| (p.topic.clone(), p.mandatory))
                    .collect();
                let rows: Vec<PersonRow> = people_in_order(s)
                    .into_iter()
                    .map(|(id, name)| PersonRow {
                        cells: programmes
                            .iter()
                            .zip(&audiences)
                            .map(|(p, audience)| {
                                if !audience.contains(&id) {
                                    Cell::NotDue
                                } else if has_completed(p, &id, &today) {
                                    Cell::Done
                                } else {
                                    Cell::Due
                                }
                            })
                            .collect(),
                        completion: person_completion(s, &id, &today),
                        name,
                    })
                    .collect();
                (columns, rows)
            })
    });
    view! {
        <section class="training-people" aria-labelledby="training-people-heading">
            <h3 id="training-people-heading">"Completion by person"</h3>
            {move || {
                let (columns, rows) = table.get();
                if columns.is_empty() || rows.is_empty() {
                    return view! {
                        <p class="muted">
                            "Once there are people and programmes, this shows who has completed what."
                        </p>
                    }
                    .into_any();
                }
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="training-table">
                            <caption class="visually-hidden">"Completion by person"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Person"</th>
                                    {columns
                                        .into_iter()
                                        .map(|(topic, mandatory)| {
                                            view! {
                                                <th scope="col">
                                                    {topic}
                                                    {(!mandatory).then(|| view! { <span class="optional">" (optional)"</span> })}
                                                </th>
                                            }
                                        })
                                        .collect_view()}
                                    <th scope="col">"Mandatory completed"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(person_row).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

/// One person's row of the completion table.
fn person_row(row: PersonRow) -> impl IntoView {
    let completion = row
        .completion
        .map_or_else(|| "None due".to_owned(), locale::percent);
    view! {
        <tr>
            <th scope="row">{row.name}</th>
            {row
                .cells
                .into_iter()
                .map(|cell| match cell {
                    Cell::Done => view! { <td class="cell-done">"Completed"</td> }.into_any(),
                    Cell::Due => view! { <td class="cell-due">"Not yet"</td> }.into_any(),
                    Cell::NotDue => {
                        view! {
                            <td class="cell-not-due">
                                <span aria-hidden="true">"—"</span>
                                <span class="visually-hidden">"Not in its audience"</span>
                            </td>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
            <td class="person-completion">{completion}</td>
        </tr>
    }
}

/// The fields of a programme. Escape cancels; errors appear beside their
/// fields and the first one gets the focus.
#[component]
fn ProgrammeForm(
    /// The form's accessible name ("New programme" or "Edit programme").
    name: &'static str,
    /// The values the fields start with.
    initial: ProgrammeDraft,
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<ProgrammeDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let prefix = id_prefix("new-programme", name == "New programme");
    let topic = RwSignal::new(initial.topic);
    let everyone = RwSignal::new(initial.audience == Audience::Everyone);
    let chosen = RwSignal::new(match initial.audience {
        Audience::Roles(roles) => roles,
        Audience::Everyone => Vec::new(),
    });
    let recurrence = RwSignal::new(initial.recurrence_months);
    let mandatory = RwSignal::new(initial.mandatory);
    let target = RwSignal::new(initial.completion_target);
    let covers = [
        RwSignal::new(initial.covers_policy),
        RwSignal::new(initial.covers_contribution),
        RwSignal::new(initial.covers_consequences),
    ];
    let method = RwSignal::new(initial.effectiveness_method);
    let result = RwSignal::new(initial.effectiveness_result);
    let checked = RwSignal::new(initial.effectiveness_checked);
    let errors = FormErrors::new();
    let audience_error = RwSignal::new(None::<String>);
    let roles = Memo::new(move |_| ws.state.read(&[Area::Roles], roles_in_order));
    let topic_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    focus_on_open(topic_ref);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let all = everyone.get_untracked();
        // Only roles that still exist count as a choice.
        let picked: Vec<String> = roles.with_untracked(|roles| {
            chosen.with_untracked(|c| {
                c.iter()
                    .filter(|id| roles.iter().any(|(r, _)| r == *id))
                    .cloned()
                    .collect()
            })
        });
        let draft = ProgrammeDraft {
            topic: topic.get_untracked(),
            audience: if all {
                Audience::Everyone
            } else {
                Audience::Roles(picked.clone())
            },
            recurrence_months: recurrence.get_untracked(),
            mandatory: mandatory.get_untracked(),
            completion_target: target.get_untracked(),
            covers_policy: covers[0].get_untracked(),
            covers_contribution: covers[1].get_untracked(),
            covers_consequences: covers[2].get_untracked(),
            effectiveness_method: method.get_untracked(),
            effectiveness_result: result.get_untracked(),
            effectiveness_checked: checked.get_untracked(),
        };
        let no_roles = !all && picked.is_empty();
        audience_error
            .set(no_roles.then(|| "Choose at least one role, or choose everyone.".to_owned()));
        let outcome = if no_roles {
            draft.validate().map(|_| ()).map_err(CommandError::Invalid)
        } else {
            on_save.run(draft)
        };
        let failed = outcome.is_err();
        errors.set(outcome.err());
        if failed || no_roles {
            focus_first_invalid(form_ref);
        }
    };
    let audience_name = format!("{prefix}-audience");
    let audience_message = format!("{prefix}-audience-message");
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
                id=format!("{prefix}-topic")
                label="Topic"
                placeholder="Security awareness"
                value=topic
                error=errors.field(Field::Topic)
                node_ref=topic_ref
            />
            <fieldset class="audience-choice">
                <legend>"Audience"</legend>
                <label class="check">
                    <input
                        type="radio"
                        name=audience_name.clone()
                        prop:checked=everyone
                        on:change=move |_| everyone.set(true)
                    />
                    "Everyone"
                </label>
                <label class="check">
                    <input
                        type="radio"
                        name=audience_name
                        prop:checked=move || !everyone.get()
                        on:change=move |_| everyone.set(false)
                    />
                    "Holders of chosen roles"
                </label>
                <Show when=move || !everyone.get()>
                    <div class="role-choices" role="group" aria-label="Roles" aria-describedby=audience_message.clone()>
                        <Show
                            when=move || !roles.with(Vec::is_empty)
                            fallback=|| view! { <p class="muted">"No roles yet. Add them under People and roles."</p> }
                        >
                            <For
                                each=move || roles.get()
                                key=|r| r.clone()
                                children=move |(role_id, label)| {
                                    let checked = {
                                        let role_id = role_id.clone();
                                        move || chosen.with(|c| c.contains(&role_id))
                                    };
                                    view! {
                                        <label class="check">
                                            <input
                                                type="checkbox"
                                                prop:checked=checked
                                                aria-invalid=move || audience_error.with(Option::is_some).to_string()
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    chosen.update(|c| {
                                                        c.retain(|r| *r != role_id);
                                                        if on {
                                                            c.push(role_id.clone());
                                                        }
                                                    });
                                                }
                                            />
                                            {label}
                                        </label>
                                    }
                                }
                            />
                        </Show>
                    </div>
                    <p id=audience_message.clone() class="field-message error">{move || audience_error.get()}</p>
                </Show>
            </fieldset>
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-recurrence")
                    label="Repeat every (months)"
                    optional=true
                    hint="Leave empty if it is done once."
                    inputmode="numeric"
                    value=recurrence
                    error=errors.field(Field::Recurrence)
                />
                <TextField
                    id=format!("{prefix}-target")
                    label="Completion target (%)"
                    optional=true
                    hint="The share of its audience to have completed it."
                    inputmode="decimal"
                    placeholder="90"
                    value=target
                    error=errors.field(Field::CompletionTarget)
                />
            </div>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=mandatory
                    on:change=move |ev| mandatory.set(event_target_checked(&ev))
                />
                "Mandatory for its audience"
            </label>
            <fieldset class="choices">
                <legend>"Makes people aware of (clause 7.3)"</legend>
                {AwarenessPoint::ALL
                    .into_iter()
                    .zip(covers)
                    .map(|(point, covered)| {
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=covered
                                    on:change=move |ev| covered.set(event_target_checked(&ev))
                                />
                                {point.label()}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <TextField
                id=format!("{prefix}-method")
                label="How effectiveness is evaluated"
                optional=true
                hint="A test, an observation, a phishing simulation… (clause 7.2 c)."
                multiline=true
                value=method
                error=errors.field(Field::EffectivenessMethod)
            />
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-result")
                    label="Result of the last evaluation"
                    optional=true
                    value=result
                    error=errors.field(Field::EffectivenessResult)
                />
                <TextField
                    id=format!("{prefix}-checked")
                    label="Evaluated on"
                    optional=true
                    placeholder="YYYY-MM-DD"
                    value=checked
                    error=errors.field(Field::EffectivenessDate)
                />
            </div>
            <FormActions errors=errors save="Save programme" on_cancel=on_cancel/>
        </form>
    }
}
