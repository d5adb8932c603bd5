//! Security objectives (clause 6.2): the open ones with their health,
//! monitoring plan and measurements; the form that adds or edits one, with a
//! message next to each field that needs attention; closing an objective with
//! its evaluation; and the closed ones, kept as evidence.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::ui::form::{
    AddButton, EmptyState, FormActions, FormErrors, SelectField, TextField, UndoToast,
    cancel_on_escape, focus_button_labelled, focus_on_open, people_options, person_name,
};
use crate::ui::measurements::Measurements;
use crate::ui::plan::ObjectivePlan;
use crate::ui::{OpenWorkspace, Profile, counted, locale};
use crate::workspace::assessment::{
    Basis, ClosingDraft, ObjectiveStatus, assessed_health, measurement_due, next_measurement_due,
};
use crate::workspace::changes::Area;
use crate::workspace::measurements::{Direction, day_of, is_overdue};
use crate::workspace::{CommandError, Field, Health, Objective, ObjectiveDraft};

/// An objective that was just closed, so the closing can be undone.
#[derive(Clone)]
struct JustClosed {
    id: String,
    title: String,
    status: ObjectiveStatus,
}

/// Which objectives the list shows, from the address (`?health=at-risk`,
/// `?overdue=yes`); the dashboard's figures link to these.
#[derive(Clone, Copy, PartialEq, Default)]
enum Filter {
    /// Every objective.
    #[default]
    All,
    /// Those with this health.
    Health(Health),
    /// Those past their due date without meeting the target.
    Overdue,
    /// Those whose monitoring plan wants a measurement now.
    MeasurementDue,
}

impl Filter {
    /// The filter the address asks for; anything unknown shows everything.
    fn from_query(query: &leptos_router::params::ParamsMap) -> Filter {
        if query.get("overdue").is_some() {
            Filter::Overdue
        } else if query.get("measure").is_some() {
            Filter::MeasurementDue
        } else if let Some(health) = query.get("health").as_deref().and_then(Health::from_slug) {
            Filter::Health(health)
        } else {
            Filter::All
        }
    }

    /// Whether the list shows `objective` on day `today`.
    fn admits(self, objective: &Objective, today: i64) -> bool {
        match self {
            Filter::All => true,
            Filter::Health(health) => assessed_health(objective, today).0 == health,
            Filter::Overdue => is_overdue(objective, today),
            Filter::MeasurementDue => measurement_due(objective, today),
        }
    }

    /// The line above a filtered list of `count` objectives.
    fn describe(self, count: usize) -> Option<String> {
        match self {
            Filter::All => None,
            Filter::Health(health) => Some(format!(
                "Showing {} {}",
                counted(count, "objective", "objectives"),
                health.label().to_lowercase()
            )),
            Filter::Overdue => Some(format!(
                "Showing {}",
                counted(count, "overdue objective", "overdue objectives")
            )),
            Filter::MeasurementDue => Some(format!(
                "Showing {}",
                counted(
                    count,
                    "objective due for measurement",
                    "objectives due for measurement"
                )
            )),
        }
    }
}

/// The objectives of the open workspace.
#[component]
pub fn ObjectivesSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let editing = RwSignal::new(None::<String>);
    let closing = RwSignal::new(None::<String>);
    let closed = RwSignal::new(None::<JustClosed>);
    let problem = RwSignal::new(None::<String>);
    let query = use_query_map();
    let params = use_params_map();
    let filter = Memo::new(move |_| query.with(Filter::from_query));
    // `?view=table`: the compact table a board reads (and prints) at a glance.
    let table = Memo::new(move |_| query.with(|q| q.get("view").as_deref() == Some("table")));
    let view_href = move |as_table: bool| {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        if as_table {
            format!("/w/{id}?view=table")
        } else {
            format!("/w/{id}")
        }
    };
    let ids = Memo::new(move |_| {
        let filter = filter.get();
        let today = day_of(crate::ui::now());
        ws.state.read(&[Area::Objectives], |s| {
            s.open_objectives()
                .into_iter()
                .filter(|(_, o)| filter.admits(o, today))
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        })
    });
    let closed_ids = Memo::new(move |_| {
        ws.state.read(&[Area::Objectives], |s| {
            s.objectives_in_order()
                .into_iter()
                .filter(|(_, o)| !o.status.is_open())
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        })
    });
    let filter_line = move || {
        let filter = filter.get();
        let what = filter.describe(ids.with(Vec::len))?;
        let all = format!("/w/{}", params.with(|p| p.get("id").unwrap_or_default()));
        Some(view! {
            <p class="filter-line" role="status">
                {what}
                " · "
                <A href=all>"Show all objectives"</A>
            </p>
        })
    };

    let add = Callback::new(move |draft: ObjectiveDraft| {
        ws.run(&profile.author(), |doc, now| doc.add_objective(&draft, now))
            .map(|id| {
                adding.set(false);
                closed.set(None);
                crate::ui::form::scroll_to_record(&id);
            })
    });
    let close = Callback::new(move |(id, draft): (String, ClosingDraft)| {
        let title = ws
            .state
            .record(Area::Objectives, &id, |s| {
                s.objectives.get(&id).map(|o| o.title.clone())
            })
            .unwrap_or_default();
        ws.run(&profile.author(), |doc, now| {
            doc.close_objective(&id, &draft, now)
        })
        .map(|()| {
            closing.set(None);
            problem.set(None);
            closed.set(Some(JustClosed {
                id,
                title,
                status: draft.status.unwrap_or_default(),
            }));
        })
    });
    let undo = move |()| {
        if let Some(JustClosed { id, .. }) = closed.get_untracked() {
            match ws.run(&profile.author(), |doc, now| doc.reopen_objective(&id, now)) {
                Ok(()) => closed.set(None),
                Err(e) => problem.set(Some(e.to_string())),
            }
        }
    };

    view! {
        <section class="objectives" aria-labelledby="objectives-heading">
            <div class="section-head">
                <div>
                    <h2 id="objectives-heading">"Security objectives"</h2>
                    <p class="muted">
                        "Measurable objectives consistent with the security policy (ISO/IEC 27001, clause 6.2)."
                    </p>
                </div>
                <AddButton
                    label="Add objective"
                    adding=adding
                    on_click=Callback::new(move |()| {
                        editing.set(None);
                        adding.set(true);
                    })
                />
            </div>
            <UndoToast
                message=Signal::derive(move || closed.with(|c| c.as_ref().map(|c| format!("Closed “{}” as {}.", c.title, c.status.label().to_lowercase()))))
                on_undo=Callback::new(undo)
                on_dismiss=Callback::new(move |()| closed.set(None))
            />
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            {filter_line}
            <nav class="view-switch" aria-label="Show objectives as">
                <A href=move || view_href(false) attr:aria-current=move || (!table.get()).then_some("page")>
                    "Cards"
                </A>
                <A href=move || view_href(true) attr:aria-current=move || table.get().then_some("page")>
                    "Table"
                </A>
            </nav>
            <Show when=move || adding.get()>
                <ObjectiveForm
                    name="New objective"
                    initial=ObjectiveDraft::default()
                    on_save=add
                    on_cancel=Callback::new(move |()| adding.set(false))
                />
            </Show>
            <Show when=move || table.get() && !ids.with(Vec::is_empty)>
                <ObjectivesTable ids=ids/>
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState title="No open objectives" hint="Add one: what will be achieved, by when, and how it will be measured." hidden=adding/>
                    }
                }
            >
                <ul class="objective-list" aria-label="Objectives" class:hidden=move || table.get()>
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| {
                            view! { <ObjectiveItem id=id editing=editing closing=closing on_close=close/> }
                        }
                    />
                </ul>
            </Show>
            <Show when=move || !closed_ids.with(Vec::is_empty)>
                <section class="closed-objectives" aria-labelledby="closed-objectives-heading">
                    <h3 id="closed-objectives-heading">
                        {move || format!("Closed objectives ({})", closed_ids.with(Vec::len))}
                    </h3>
                    <ul class="objective-list closed" aria-label="Closed objectives">
                        <For
                            each=move || closed_ids.get()
                            key=|id| id.clone()
                            children=move |id| view! { <ClosedObjective id=id problem=problem/> }
                        />
                    </ul>
                </section>
            </Show>
        </section>
    }
}

#[component]
fn ObjectiveItem(
    /// The objective's id.
    id: String,
    /// Which objective is being edited, shared by the list.
    editing: RwSignal<Option<String>>,
    /// Which objective is being closed, shared by the list.
    closing: RwSignal<Option<String>>,
    /// Closes the objective with the given id as the draft says.
    on_close: Callback<(String, ClosingDraft), Result<(), CommandError>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let objective = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::Objectives, &id, |s| s.objectives.get(&id).cloned())
        })
    };
    let is_editing = {
        let id = id.clone();
        move || editing.with(|e| e.as_deref() == Some(id.as_str()))
    };
    let is_closing = {
        let id = id.clone();
        move || closing.with(|e| e.as_deref() == Some(id.as_str()))
    };
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let save = {
        let id = id.clone();
        Callback::new(move |draft: ObjectiveDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_objective(&id, &draft, now)
            })
            .map(|()| editing.set(None))
        })
    };
    let title = move || objective.with(|o| o.as_ref().map(|o| o.title.clone()).unwrap_or_default());
    // Tell the others which objective this participant has open, and show who else has it open.
    {
        let id = id.clone();
        Effect::new(move |_| {
            let mine = editing.with(|e| e.as_deref() == Some(id.as_str()));
            if mine {
                ws.editing.set(Some(id.clone()));
            } else if ws
                .editing
                .with_untracked(|e| e.as_deref() == Some(id.as_str()))
            {
                ws.editing.set(None);
            }
        });
    }
    let editors = {
        let id = id.clone();
        move || {
            ws.peers.with(|peers| {
                peers
                    .iter()
                    .filter(|p| p.editing.as_deref() == Some(id.as_str()))
                    .map(|p| (p.name.clone(), p.initials.clone(), p.colour))
                    .collect::<Vec<_>>()
            })
        }
    };
    let view_mode = {
        let id = id.clone();
        move || {
            let Some(o) = objective.get() else {
                return ().into_any();
            };
            let (edit_id, close_id) = (id.clone(), id.clone());
            let today = day_of(crate::ui::now());
            let (health, basis) = assessed_health(&o, today);
            let basis = match basis {
                Basis::Nothing => None,
                Basis::Measurements => Some("From the measurements.".to_owned()),
                Basis::Judgement(reason) => Some(format!("Assessed: {reason}")),
                Basis::Overdue => {
                    Some("The due date has passed without reaching the target.".to_owned())
                }
            };
            let description = o.description.as_str().to_owned();
            let owner = match &o.owner_id {
                Some(person) => Some(
                    person_name(ws, person)
                        .unwrap_or_else(|| "Someone no longer in People".to_owned()),
                ),
                None if !o.owner.is_empty() => {
                    Some(format!("{} (not chosen from People)", o.owner))
                }
                None => None,
            };
            let target = locale::target(&o).map(|t| match o.direction {
                Direction::AtLeast => format!("at least {t}"),
                Direction::AtMost => format!("at most {t}"),
            });
            let due_measure = measurement_due(&o, today);
            view! {
                <div class="objective-head">
                    <h3>{o.title.clone()}</h3>
                    <span class="badges">
                        {is_overdue(&o, today)
                            .then(|| view! { <span class="badge overdue">"Overdue"</span> })}
                        {due_measure.then(|| view! { <span class="badge measurement-due">"Measurement due"</span> })}
                        <span class=format!("badge health-{}", health.slug())>{health.label()}</span>
                    </span>
                </div>
                {basis.map(|b| view! { <p class="health-basis muted">{b}</p> })}
                <Conflicts id=id.clone()/>
                {(!description.is_empty()).then(|| view! { <p class="description">{description}</p> })}
                <dl class="facts">
                    <Fact term="Target" value=target/>
                    <Fact term="Due" value=o.due.as_deref().map(locale::date)/>
                    <Fact term="Owner" value=owner/>
                    <Fact term="Function or level" value=(!o.function.is_empty()).then(|| o.function.clone())/>
                    <Fact
                        term="Evaluated by"
                        value=(!o.evaluation.is_empty()).then(|| o.evaluation.clone())
                    />
                    {next_measurement_due(&o).map(|due| view! { <Fact term="Next measurement" value=Some(locale::date(&due))/> })}
                </dl>
                <ObjectivePlan id=id.clone() objective=objective/>
                <Measurements id=id.clone() objective=objective/>
                <div class="item-actions" class:hidden=move || ws.read_only.get()>
                    <button
                        type="button"
                        node_ref=edit_button
                        aria-label=format!("Edit {}", o.title)
                        on:click=move |_| {
                            closing.set(None);
                            editing.set(Some(edit_id.clone()));
                        }
                    >
                        "Edit"
                    </button>
                    <button
                        type="button"
                        aria-label=format!("Close {}…", o.title)
                        aria-expanded=move || is_closing_now(closing, &close_id).to_string()
                        on:click={
                            let close_id = id.clone();
                            move |_| {
                                editing.set(None);
                                closing.set(Some(close_id.clone()));
                            }
                        }
                    >
                        "Close…"
                    </button>
                </div>
                <HistoryLink title=o.title.clone() record=id.clone()/>
            }
            .into_any()
        }
    };
    let cancel = Callback::new(move |()| {
        editing.set(None);
        if let Some(button) = edit_button.get_untracked() {
            let _ = button.focus();
        }
    });
    let cancel_close = Callback::new(move |()| {
        closing.set(None);
        focus_button_labelled(format!("Close {}…", title()));
    });
    let close = {
        let id = id.clone();
        Callback::new(move |draft: ClosingDraft| on_close.run((id.clone(), draft)))
    };
    // A link to the objective (…#record-<id>) brings it into view.
    crate::ui::form::follow_links(&id, || ());
    view! {
        <li class="objective" id=format!("record-{id}") aria-label=title>
            {move || {
                let editors = editors();
                (!editors.is_empty()).then(|| {
                    let names: Vec<_> = editors.iter().map(|(n, _, _)| n.clone()).collect();
                    let verb = if names.len() == 1 { "is" } else { "are" };
                    view! {
                        <p class="editing-by">
                            {editors
                                .into_iter()
                                .map(|(_, initials, colour)| {
                                    view! {
                                        <span class=format!("peer small peer-{colour}") aria-hidden="true">
                                            {initials}
                                        </span>
                                    }
                                })
                                .collect_view()}
                            {format!("{} {verb} editing this", names.join(" and "))}
                        </p>
                    }
                })
            }}
            {move || {
                if is_editing() {
                    let initial = objective.get_untracked().map(|o| draft_of(&o)).unwrap_or_default();
                    let legacy_owner = objective
                        .get_untracked()
                        .filter(|o| o.owner_id.is_none() && !o.owner.is_empty())
                        .map(|o| o.owner);
                    view! {
                        <ObjectiveForm
                            name="Edit objective"
                            initial=initial
                            legacy_owner=legacy_owner
                            on_save=save
                            on_cancel=cancel
                        />
                    }
                    .into_any()
                } else {
                    view_mode().into_any()
                }
            }}
            {move || is_closing().then(|| view! { <CloseForm title=title() on_save=close on_cancel=cancel_close/> })}
        </li>
    }
}

/// Fields that two people changed at the same time, each value with who
/// wrote it and a button to keep it (Automerge keeps them all; one shows).
#[component]
fn Conflicts(
    /// The objective's id.
    id: String,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let problem = RwSignal::new(None::<String>);
    let record = StoredValue::new(id);
    // Tracks the record itself, not its value: a merge that leaves the value
    // shown unchanged can still bring a second value.
    // Bumped after a choice here: keeping the value already shown changes
    // nothing visible, so no patch may name the record.
    let chosen = RwSignal::new(0_u32);
    let conflicts = Memo::new(move |_| {
        chosen.track();
        let id = record.get_value();
        ws.state.record(Area::Objectives, &id, |_| ());
        ws.read_doc(|doc| doc.objective_conflicts(&id))
            .unwrap_or_default()
    });
    let shown = move |field: &str, value: &Option<String>| -> String {
        let Some(value) = value else {
            return "not set".to_owned();
        };
        match field {
            "health" => Health::ALL
                .into_iter()
                .find(|h| format!("{h:?}") == *value)
                .map_or_else(|| value.clone(), |h| h.label().to_owned()),
            "direction" => Direction::ALL
                .into_iter()
                .find(|d| format!("{d:?}") == *value)
                .map_or_else(|| value.clone(), |d| d.label().to_owned()),
            "owner_id" => {
                person_name(ws, value).unwrap_or_else(|| "someone no longer in People".to_owned())
            }
            "due" => locale::date(value),
            _ => value.clone(),
        }
    };
    let who = move |actor: &str| {
        ws.state.read(&[Area::Meta], |s| {
            s.members
                .get(actor)
                .map_or_else(|| "someone".to_owned(), |m| m.name.clone())
        })
    };
    move || {
        let list = conflicts.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|c| {
                    let names: Vec<String> = c.values.iter().map(|v| who(&v.actor)).collect();
                    let buttons = c
                        .values
                        .iter()
                        .enumerate()
                        .map(|(index, v)| {
                            let text = format!("Keep “{}” ({})", shown(c.field, &v.value), who(&v.actor));
                            let field = c.field;
                            let keep = move |_| {
                                let id = record.get_value();
                                let result = ws.run(&profile.author(), |doc, now| {
                                    doc.resolve_objective_conflict(&id, field, index, now)
                                });
                                chosen.update(|n| *n += 1);
                                problem.set(result.err().map(|e| e.to_string()));
                            };
                            view! {
                                <button type="button" class:hidden=move || ws.read_only.get() on:click=keep>
                                    {text}
                                </button>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="conflict" role="group" aria-label=format!("Changed at the same time: {}", c.label)>
                            <p>
                                {format!(
                                    "The {} was changed at the same time by {}. Shown: “{}”.",
                                    c.label,
                                    names.join(" and "),
                                    shown(c.field, &c.values[0].value),
                                )}
                            </p>
                            <div class="actions">{buttons}</div>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <div class="notice warning conflicts">
                    {items}
                    {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                </div>
            }
        })
    }
}

/// The open objectives as one compact table: what, who, target, latest
/// value, due, health and next measurement.
#[component]
fn ObjectivesTable(
    /// The objectives shown, in order.
    ids: Memo<Vec<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let rows = move || {
        let today = day_of(crate::ui::now());
        let ids = ids.get();
        ws.state.read(&[Area::Objectives, Area::People], |s| {
            ids.iter()
                .filter_map(|id| s.objectives.get(id))
                .map(|o| {
                    let (health, _) = assessed_health(o, today);
                    let owner = o
                        .owner_id
                        .as_ref()
                        .and_then(|p| s.people.get(p))
                        .map(|p| p.name.clone())
                        .unwrap_or_else(|| o.owner.clone());
                    let target = locale::target(o).map(|t| match o.direction {
                        Direction::AtLeast => format!("≥ {t}"),
                        Direction::AtMost => format!("≤ {t}"),
                    });
                    let latest = crate::workspace::measurements::latest(o).map(|m| {
                        format!(
                            "{} ({})",
                            locale::measured(o, m.value),
                            locale::date(&m.date)
                        )
                    });
                    let overdue = is_overdue(o, today);
                    view! {
                        <tr>
                            <th scope="row">{o.title.clone()}</th>
                            <td>{owner}</td>
                            <td>{o.function.clone()}</td>
                            <td>{target.unwrap_or_default()}</td>
                            <td>{latest.unwrap_or_default()}</td>
                            <td>
                                {o.due.as_deref().map(locale::date).unwrap_or_default()}
                                {overdue.then(|| view! { " " <span class="badge overdue">"Overdue"</span> })}
                            </td>
                            <td><span class=format!("badge health-{}", health.slug())>{health.label()}</span></td>
                            <td>{next_measurement_due(o).map(|d| locale::date(&d)).unwrap_or_default()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="objectives-table" aria-label="Objectives at a glance">
                <thead>
                    <tr>
                        <th scope="col">"Objective"</th>
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Function or level"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"Latest"</th>
                        <th scope="col">"Due"</th>
                        <th scope="col">"Health"</th>
                        <th scope="col">"Next measurement"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// "Link", the objective's own address, and "History": every change that
/// names the objective.
#[component]
fn HistoryLink(
    /// The objective's title, which its history is filtered by.
    title: String,
    /// The objective's id, which its link names.
    record: String,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    view! {
        <a class="record-history" href=format!("#record-{record}") aria-label=format!("Link to {title}")>
            "Link"
        </a>
        <A
            href=crate::ui::history::record_history(&ws.id(), &title)
            attr:class="record-history"
            attr:aria-label=format!("History of {title}")
        >
            "History"
        </A>
    }
}

/// Whether `id` is the objective being closed.
fn is_closing_now(closing: RwSignal<Option<String>>, id: &str) -> bool {
    closing.with(|c| c.as_deref() == Some(id))
}

/// Closes an objective: how it ends, and the evaluation. Escape cancels.
#[component]
fn CloseForm(
    /// The objective's title.
    title: String,
    /// Closes it; an error keeps the form open with its messages.
    on_save: Callback<ClosingDraft, Result<(), CommandError>>,
    /// Closes the form without closing the objective.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let evaluation = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let prefix = format!("close-{}", crate::workspace::id::new_id(crate::ui::now()));
    let options = Signal::derive(|| {
        ObjectiveStatus::CLOSED
            .into_iter()
            .map(|s| (s.slug().to_owned(), s.label().to_owned()))
            .collect::<Vec<_>>()
    });
    Effect::new(move |_| {
        if let Some(form) = form_ref.get() {
            use wasm_bindgen::JsCast;
            if let Ok(Some(field)) = form.query_selector("select")
                && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = field.focus();
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = ClosingDraft {
            status: ObjectiveStatus::from_slug(&status.get_untracked()),
            evaluation: evaluation.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    view! {
        <form
            class="card form close-form"
            aria-label=format!("Close {title}")
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <p class="form-title">{format!("Close “{title}”")}</p>
            <p class="muted">
                "A closed objective stays in the workspace with its measurements and this evaluation, for the management review and the auditors."
            </p>
            <SelectField
                id=format!("{prefix}-status")
                label="Outcome"
                value=status
                options=options
                empty="Choose…"
                error=errors.field(Field::ClosingStatus)
            />
            <TextField
                id=format!("{prefix}-evaluation")
                label="Closing evaluation"
                multiline=true
                hint="What was reached, what was not, and what was learnt."
                value=evaluation
                error=errors.field(Field::ClosingEvaluation)
            />
            <FormActions errors=errors save="Close objective" on_cancel=on_cancel/>
        </form>
    }
}

/// A closed objective: its outcome and evaluation, with "Reopen".
#[component]
fn ClosedObjective(
    /// The objective's id.
    id: String,
    /// Where a failure to reopen is reported.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let objective = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::Objectives, &id, |s| s.objectives.get(&id).cloned())
        })
    };
    let record = id.clone();
    move || {
        let o = objective.get()?;
        let reopen_id = record.clone();
        let reopen = move |_| {
            if let Err(e) = ws.run(&profile.author(), |doc, now| {
                doc.reopen_objective(&reopen_id, now)
            }) {
                problem.set(Some(e.to_string()));
            }
        };
        let closing = o.closing.clone().unwrap_or_default();
        let when = locale::day_at(closing.at);
        Some(view! {
            <li class="objective closed" id=format!("record-{record}") aria-label=o.title.clone()>
                <div class="objective-head">
                    <h4>{o.title.clone()}</h4>
                    <span class=format!("badge status-{}", o.status.slug())>{o.status.label()}</span>
                </div>
                <p class="description">{closing.evaluation.clone()}</p>
                <p class="muted">{format!("Closed by {} on {when}", closing.by)}</p>
                <div class="item-actions" class:hidden=move || ws.read_only.get()>
                    <button type="button" aria-label=format!("Reopen {}", o.title) on:click=reopen>
                        "Reopen"
                    </button>
                </div>
                <HistoryLink title=o.title.clone() record=record.clone()/>
            </li>
        })
    }
}

#[component]
fn Fact(
    /// What the value is.
    term: &'static str,
    /// The value, or nothing to show "Not set".
    value: Option<String>,
) -> impl IntoView {
    view! {
        <div class="fact">
            <dt>{term}</dt>
            {match value {
                Some(v) => view! { <dd>{v}</dd> }.into_any(),
                None => view! { <dd class="unset">"Not set"</dd> }.into_any(),
            }}
        </div>
    }
}

/// The form's starting values for an existing objective.
fn draft_of(o: &Objective) -> ObjectiveDraft {
    ObjectiveDraft {
        title: o.title.clone(),
        description: o.description.as_str().to_owned(),
        target: o
            .target
            .map(crate::workspace::model::format_number)
            .unwrap_or_default(),
        unit: o.unit.clone(),
        direction: o.target.map(|_| o.direction),
        owner_id: o.owner_id.clone().unwrap_or_default(),
        function: o.function.clone(),
        due: o.due.clone().unwrap_or_default(),
        health: o.health,
        health_reason: o.health_reason.clone(),
        evaluation: o.evaluation.clone(),
    }
}

/// Adds or edits an objective. Escape cancels; errors appear beside their
/// fields and the first one gets the focus.
#[component]
fn ObjectiveForm(
    /// The form's accessible name ("New objective" or "Edit objective").
    name: &'static str,
    /// The values the fields start with.
    initial: ObjectiveDraft,
    /// An owner typed in before owners were People, to show while none is chosen.
    #[prop(default = None)]
    legacy_owner: Option<String>,
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<ObjectiveDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let prefix = if name == "New objective" {
        "new-objective".to_owned()
    } else {
        format!("edit-{}", crate::workspace::id::new_id(crate::ui::now()))
    };
    let title = RwSignal::new(initial.title);
    let description = RwSignal::new(initial.description);
    let target = RwSignal::new(initial.target);
    let unit = RwSignal::new(initial.unit);
    let direction = RwSignal::new(
        initial
            .direction
            .map(|d| d.slug().to_owned())
            .unwrap_or_default(),
    );
    let owner = RwSignal::new(initial.owner_id);
    let function = RwSignal::new(initial.function);
    let due = RwSignal::new(initial.due);
    let health = RwSignal::new(if initial.health == Health::NotAssessed {
        String::new()
    } else {
        initial.health.slug().to_owned()
    });
    let health_reason = RwSignal::new(initial.health_reason);
    let evaluation = RwSignal::new(initial.evaluation);
    let errors = FormErrors::new();
    let title_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let directions = Signal::derive(|| {
        Direction::ALL
            .into_iter()
            .map(|d| (d.slug().to_owned(), d.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let healths = Signal::derive(|| {
        Health::ALL
            .into_iter()
            .filter(|h| *h != Health::NotAssessed)
            .map(|h| (h.slug().to_owned(), h.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let owner_hint = Signal::derive(move || {
        let legacy = legacy_owner.clone()?;
        owner
            .with(String::is_empty)
            .then(|| format!("Recorded earlier as “{legacy}”. Choose them from People."))
    });
    let health_hint = Signal::derive(|| {
        Some(
            "Leave it to the measurements, or give your own assessment with its reason.".to_owned(),
        )
    });

    let reason_id = format!("{prefix}-health-reason");
    focus_on_open(title_ref);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = ObjectiveDraft {
            title: title.get_untracked(),
            description: description.get_untracked(),
            target: target.get_untracked(),
            unit: unit.get_untracked(),
            direction: Direction::from_slug(&direction.get_untracked()),
            owner_id: owner.get_untracked(),
            function: function.get_untracked(),
            due: due.get_untracked(),
            health: Health::from_slug(&health.get_untracked()).unwrap_or_default(),
            health_reason: health_reason.get_untracked(),
            evaluation: evaluation.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    view! {
        <form
            class="card form objective-form"
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
            <TextField
                id=format!("{prefix}-description")
                label="Description"
                optional=true
                multiline=true
                value=description
                error=errors.field(Field::Description)
            />
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-target")
                    label="Target value"
                    optional=true
                    inputmode="decimal"
                    value=target
                    error=errors.field(Field::Target)
                />
                <TextField
                    id=format!("{prefix}-unit")
                    label="Unit"
                    optional=true
                    placeholder="%"
                    value=unit
                    error=errors.field(Field::Unit)
                />
                <SelectField
                    id=format!("{prefix}-direction")
                    label="Target met when the value is"
                    value=direction
                    options=directions
                    empty="Choose… (needed with a target)"
                    error=errors.field(Field::Direction)
                />
            </div>
            <div class="field-row">
                <SelectField
                    id=format!("{prefix}-owner")
                    label="Owner"
                    optional=true
                    value=owner
                    options=people_options(ws)
                    empty="Not set"
                    hint=owner_hint
                    error=errors.field(Field::Owner)
                />
                <TextField
                    id=format!("{prefix}-function")
                    label="Function or level"
                    optional=true
                    placeholder="Organisation-wide"
                    value=function
                    error=errors.field(Field::Function)
                />
                <TextField
                    id=format!("{prefix}-due")
                    label="Due date"
                    optional=true
                    placeholder="YYYY-MM-DD"
                    inputmode="numeric"
                    value=due
                    error=errors.field(Field::Due)
                />
            </div>
            <div class="field-row">
                <SelectField
                    id=format!("{prefix}-health")
                    label="Health"
                    value=health
                    options=healths
                    empty="Not assessed: follow the measurements"
                    hint=health_hint
                    error=Signal::derive(|| None::<String>)
                />
                <Show when=move || !health.with(String::is_empty)>
                    <TextField
                        id=reason_id.clone()
                        label="Reason for this assessment"
                        multiline=true
                        value=health_reason
                        error=errors.field(Field::HealthReason)
                    />
                </Show>
            </div>
            <TextField
                id=format!("{prefix}-evaluation")
                label="How results are evaluated"
                optional=true
                multiline=true
                value=evaluation
                error=errors.field(Field::Evaluation)
            />
            <FormActions errors=errors save="Save objective" on_cancel=on_cancel/>
        </form>
    }
}
