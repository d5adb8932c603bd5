//! Security objectives (clause 6.2): the list, and the form that adds or
//! edits one, with a message next to each field that needs attention.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::ui::form::{
    AddButton, EmptyState, FormActions, FormErrors, TextField, UndoToast, cancel_on_escape,
    focus_on_open,
};
use crate::ui::measurements::Measurements;
use crate::ui::plan::ObjectivePlan;
use crate::ui::{OpenWorkspace, Profile, counted};
use crate::workspace::changes::Area;
use crate::workspace::measurements::{day_of, is_overdue};
use crate::workspace::{CommandError, Field, Health, Objective, ObjectiveDraft};

/// An objective that was just deleted, kept so the deletion can be undone.
#[derive(Clone)]
struct Deleted {
    id: String,
    objective: Objective,
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
}

impl Filter {
    /// The filter the address asks for; anything unknown shows everything.
    fn from_query(query: &leptos_router::params::ParamsMap) -> Filter {
        if query.get("overdue").is_some() {
            Filter::Overdue
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
            Filter::Health(health) => objective.health == health,
            Filter::Overdue => is_overdue(objective, today),
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
    let deleted = RwSignal::new(None::<Deleted>);
    let problem = RwSignal::new(None::<String>);
    let query = use_query_map();
    let params = use_params_map();
    let filter = Memo::new(move |_| query.with(Filter::from_query));
    let ids = Memo::new(move |_| {
        let filter = filter.get();
        let today = day_of(crate::ui::now());
        ws.state.read(&[Area::Objectives], |s| {
            s.objectives_in_order()
                .into_iter()
                .filter(|(_, o)| filter.admits(o, today))
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
            .map(|_| {
                adding.set(false);
                deleted.set(None);
            })
    });
    let delete = Callback::new(move |id: String| {
        match ws.run(&profile.author(), |doc, now| doc.delete_objective(&id, now)) {
            Ok(objective) => {
                problem.set(None);
                deleted.set(Some(Deleted { id, objective }));
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    });
    let undo = move |()| {
        if let Some(Deleted { id, objective }) = deleted.get_untracked() {
            match ws.run(&profile.author(), |doc, now| {
                doc.restore_objective(&id, &objective, now)
            }) {
                Ok(()) => deleted.set(None),
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
                message=Signal::derive(move || deleted.with(|d| d.as_ref().map(|d| format!("Deleted “{}”.", d.objective.title))))
                on_undo=Callback::new(undo)
                on_dismiss=Callback::new(move |()| deleted.set(None))
            />
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            {filter_line}
            <Show when=move || adding.get()>
                <ObjectiveForm
                    name="New objective"
                    initial=ObjectiveDraft::default()
                    on_save=add
                    on_cancel=Callback::new(move |()| adding.set(false))
                />
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState title="No objectives yet" hint="Add the first one: what will be achieved, by when, and how it will be measured." hidden=adding/>
                    }
                }
            >
                <ul class="objective-list" aria-label="Objectives">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| {
                            view! { <ObjectiveItem id=id editing=editing on_delete=delete/> }
                        }
                    />
                </ul>
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
    /// Deletes the objective with the given id.
    on_delete: Callback<String>,
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
            let (edit_id, delete_id) = (id.clone(), id.clone());
            let health = o.health;
            let description = o.description.as_str().to_owned();
            view! {
                <div class="objective-head">
                    <h3>{o.title.clone()}</h3>
                    <span>
                        {is_overdue(&o, day_of(crate::ui::now()))
                            .then(|| view! { <span class="badge overdue">"Overdue"</span> })}
                        <span class=format!("badge health-{}", health.slug())>{health.label()}</span>
                    </span>
                </div>
                {(!description.is_empty()).then(|| view! { <p class="description">{description}</p> })}
                <dl class="facts">
                    <Fact term="Target" value=o.target_label()/>
                    <Fact term="Due" value=o.due.clone()/>
                    <Fact term="Owner" value=(!o.owner.is_empty()).then(|| o.owner.clone())/>
                    <Fact
                        term="Evaluated by"
                        value=(!o.evaluation.is_empty()).then(|| o.evaluation.clone())
                    />
                </dl>
                <ObjectivePlan id=id.clone() objective=objective/>
                <Measurements id=id.clone() objective=objective/>
                <div class="item-actions" class:hidden=move || ws.read_only.get()>
                    <button
                        type="button"
                        node_ref=edit_button
                        aria-label=format!("Edit {}", o.title)
                        on:click=move |_| editing.set(Some(edit_id.clone()))
                    >
                        "Edit"
                    </button>
                    <button
                        type="button"
                        class="danger"
                        aria-label=format!("Delete {}", o.title)
                        on:click=move |_| on_delete.run(delete_id.clone())
                    >
                        "Delete"
                    </button>
                </div>
                <A
                    href=crate::ui::history::record_history(&ws.id(), &o.title)
                    attr:class="record-history"
                    attr:aria-label=format!("History of {}", o.title)
                >
                    "History"
                </A>
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
    view! {
        <li class="objective" aria-label=title>
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
                    view! {
                        <ObjectiveForm name="Edit objective" initial=initial on_save=save on_cancel=cancel/>
                    }
                    .into_any()
                } else {
                    view_mode().into_any()
                }
            }}
        </li>
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
        owner: o.owner.clone(),
        due: o.due.clone().unwrap_or_default(),
        health: o.health,
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
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<ObjectiveDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let prefix = if name == "New objective" {
        "new-objective".to_owned()
    } else {
        format!("edit-{}", crate::workspace::id::new_id(crate::ui::now()))
    };
    let title = RwSignal::new(initial.title);
    let description = RwSignal::new(initial.description);
    let target = RwSignal::new(initial.target);
    let unit = RwSignal::new(initial.unit);
    let owner = RwSignal::new(initial.owner);
    let due = RwSignal::new(initial.due);
    let health = RwSignal::new(initial.health);
    let evaluation = RwSignal::new(initial.evaluation);
    let errors = FormErrors::new();
    let title_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();

    focus_on_open(title_ref);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = ObjectiveDraft {
            title: title.get_untracked(),
            description: description.get_untracked(),
            target: target.get_untracked(),
            unit: unit.get_untracked(),
            owner: owner.get_untracked(),
            due: due.get_untracked(),
            health: health.get_untracked(),
            evaluation: evaluation.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let health_id = format!("{prefix}-health");
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
            </div>
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-owner")
                    label="Owner"
                    optional=true
                    value=owner
                    error=errors.field(Field::Owner)
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
                <div class="field">
                    <label for=health_id.clone()>"Health"</label>
                    <select
                        id=health_id
                        prop:value=move || health.get().slug()
                        on:change=move |ev| {
                            if let Some(h) = Health::from_slug(&event_target_value(&ev)) {
                                health.set(h);
                            }
                        }
                    >
                        {Health::ALL
                            .into_iter()
                            .map(|h| view! { <option value=h.slug()>{h.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
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
