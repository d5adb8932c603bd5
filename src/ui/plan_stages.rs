//! The implementation plan (`/plan`): the stages of the certification
//! project on a timeline with today's line, each with its owner, dates,
//! status, what it waits for and the record it produces; each can be
//! edited. The CSV export is here, the printable plan in
//! [`crate::ui::plan_print`].

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::ui::form::{
    AddButton, ChoiceList, EmptyState, FormActions, FormErrors, SelectField, TextField,
    cancel_on_escape, editable, focus_later, focus_on_open, people_options, problem_notice,
};
use crate::ui::locale;
use crate::ui::{OpenWorkspace, Profile, today};
use crate::workspace::changes::Area;
use crate::workspace::plan::{
    PRODUCES_KINDS, Produces, Stage, StageDraft, StageState, StageStatus, produced_name,
    produced_options, slippage, stages_in_order, state_of, timeline, waiting_for,
};
use crate::workspace::{CommandError, Field};

/// Every area the plan's states read: a stage is done once the record it
/// produces is approved.
pub(crate) const PLAN_AREAS: [Area; 8] = [
    Area::Stages,
    Area::People,
    Area::Policies,
    Area::Criteria,
    Area::SoaVersions,
    Area::Reviews,
    Area::Risks,
    Area::Scopes,
];

/// One stage as the list shows it.
#[derive(Clone, PartialEq)]
struct StageRow {
    id: String,
    stage: Stage,
    produces: Option<String>,
    title: String,
    owner: String,
    start: String,
    deadline: String,
    status: StageStatus,
    state: StageState,
    waits_for: Vec<String>,
    waiting: Option<String>,
    slipped: Option<i64>,
}

/// The implementation plan of the open workspace.
#[component]
pub fn PlanSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let problem = RwSignal::new(None::<String>);
    let rows = Memo::new(move |_| {
        let day = today();
        ws.state.read(&PLAN_AREAS, |s| {
            stages_in_order(&s.stages)
                .into_iter()
                .map(|(id, stage)| StageRow {
                    id: id.clone(),
                    stage: stage.clone(),
                    // A record still to be linked is said by `waiting` alone.
                    produces: match Produces::parse(&stage.produces) {
                        Produces::Nothing
                        | Produces::Policy("")
                        | Produces::Criteria("")
                        | Produces::Review("")
                        | Produces::Scope("") => None,
                        _ => Some(produced_name(s, &stage.produces)),
                    },
                    title: stage.title.clone(),
                    owner: s
                        .people
                        .get(&stage.owner)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    start: stage.start.clone(),
                    deadline: stage.deadline.clone(),
                    status: stage.status,
                    state: state_of(s, stage, &day),
                    waits_for: stage
                        .depends_on
                        .iter()
                        .filter_map(|d| s.stages.get(d).map(|d| d.title.clone()))
                        .collect(),
                    waiting: waiting_for(s, stage),
                    slipped: slippage(s, id),
                })
                .collect::<Vec<_>>()
        })
    });
    let add = Callback::new(move |draft: StageDraft| {
        ws.run(&profile.author(), |doc, now| doc.add_stage(&draft, now))
            .map(|_| {
                adding.set(false);
                focus_later(add_button);
            })
    });
    let set_status = move |id: String, status: StageStatus| {
        let outcome = ws.run(&profile.author(), |doc, now| {
            doc.set_stage_status(&id, status, now)
        });
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let delete = move |id: String| {
        let outcome = ws.run(&profile.author(), |doc, now| doc.delete_stage(&id, now));
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let editing = RwSignal::new(None::<String>);
    let download = move |_| {
        let text = ws.state.untracked(crate::workspace::csv::plan_csv);
        let outcome = crate::ui::export::download(text.as_bytes(), "plan.csv", "text/csv");
        problem.set(outcome.err());
    };
    let base =
        use_params_map().with_untracked(|p| format!("/w/{}", p.get("id").unwrap_or_default()));
    view! {
        <section class="plan" aria-labelledby="plan-heading">
            <div class="section-head">
                <div>
                    <h2 id="plan-heading">"Implementation plan"</h2>
                    <p class="muted">
                        "The stages of bringing the ISMS to certification. A stage counts as done once the record it produces is approved."
                    </p>
                </div>
                <div class="head-actions">
                    <a href=format!("{base}/plan/print")>"Print the plan"</a>
                    <button type="button" on:click=download>"Download CSV"</button>
                    <AddButton
                        label="Add stage"
                        adding=adding
                        node_ref=add_button
                        on_click=Callback::new(move |()| {
                            editing.set(None);
                            adding.set(true);
                        })
                    />
                </div>
            </div>
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <StageForm
                    initial=None
                    on_save=add
                    on_cancel=Callback::new(move |()| {
                        adding.set(false);
                        focus_later(add_button);
                    })
                />
            </Show>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! {
                    <EmptyState
                        title="No plan yet"
                        hint="Start from a typical ISO/IEC 27001 project and adapt it, or add the stages one by one."
                        hidden=adding
                    />
                    <TemplateForm/>
                }
            >
                <TimelineChart/>
                <ol class="record-list stage-list" aria-label="Stages">
                    {move || {
                        rows.get()
                            .into_iter()
                            .map(|row| view! { <StageItem row=row editing=editing on_status=set_status on_delete=delete/> })
                            .collect_view()
                    }}
                </ol>
            </Show>
        </section>
        <crate::ui::planned_changes::PlannedChangesSection/>
    }
}

/// Starts the plan from the template.
#[component]
fn TemplateForm() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let start = RwSignal::new(today());
    let owner = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (start, owner) = (start.get_untracked(), owner.get_untracked());
        let outcome = ws.run(&profile.author(), |doc, now| {
            doc.add_plan_template(&start, &owner, now)
        });
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    view! {
        <form class="card form" aria-label="Start from the template" novalidate on:submit=submit class:hidden=move || !editable(ws)>
            <p class="form-title">"Start from a typical ISO/IEC 27001 project"</p>
            <p class="muted">"Eleven stages, from the gap analysis to the stage 2 audit, about nine months. Each can be changed afterwards."</p>
            <div class="field-row">
                <TextField id="template-start".into() label="Start" placeholder="YYYY-MM-DD" value=start error=Signal::derive(|| None::<String>)/>
                <SelectField id="template-owner".into() label="Owner of every stage" value=owner options=people_options(ws) empty="Choose…" error=Signal::derive(|| None::<String>)/>
            </div>
            {problem_notice(problem)}
            <div class="form-actions"><button type="submit" class="primary">"Start from the template"</button></div>
        </form>
    }
}

/// The stages over time, with today's line.
#[component]
pub(crate) fn TimelineChart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let chart = Memo::new(move |_| ws.state.read(&PLAN_AREAS, |s| timeline(s, &today())));
    move || {
        let t = chart.get();
        if t.rows.is_empty() {
            return None;
        }
        const ROW: f64 = 26.0;
        // Titles on the left, bars on the right: the drawing scales as a
        // whole, so its text keeps its proportions.
        const LEFT: f64 = 330.0;
        const SPAN: f64 = 660.0;
        let height = t.rows.len() as f64 * ROW + 8.0;
        let label = format!(
            "Timeline of the plan from {} to {}",
            locale::date(&t.from),
            locale::date(&t.to)
        );
        let within = (0.0..=1.0).contains(&t.today_x);
        let today_line = within.then(|| {
            let x = format!("{:.1}", LEFT + t.today_x * SPAN);
            view! { <line class="timeline-today" x1=x.clone() x2=x y1="0" y2=format!("{height:.0}")/> }
        });
        let today_words = if within {
            "The dashed line is today."
        } else if t.today_x > 1.0 {
            "Today is after the plan's last deadline."
        } else {
            "The plan starts after today."
        };
        Some(view! {
            <figure class="card timeline">
                <svg viewBox=format!("0 0 1000 {height:.0}") role="img" aria-label=label.clone()>
                    {t.rows
                        .into_iter()
                        .enumerate()
                        .map(|(i, row)| {
                            let y = i as f64 * ROW + 4.0;
                            let title: String = if row.title.chars().count() > 40 {
                                format!("{}…", row.title.chars().take(39).collect::<String>())
                            } else {
                                row.title.clone()
                            };
                            view! {
                                <text class="timeline-label" x="0" y=format!("{:.1}", y + 14.0)>{title}</text>
                                <rect
                                    class=format!("timeline-bar state-{}", row.state.slug())
                                    x=format!("{:.1}", LEFT + row.x * SPAN)
                                    y=format!("{y:.1}")
                                    width=format!("{:.1}", (row.width * SPAN).max(2.0))
                                    height="18"
                                    rx="3"
                                >
                                    <title>{format!("{}: {}", row.title, row.state.label())}</title>
                                </rect>
                            }
                        })
                        .collect_view()}
                    {today_line}
                </svg>
                <figcaption class="muted">{format!("{label}. {today_words} Red bars are overdue, green ones done.")}</figcaption>
            </figure>
        })
    }
}

#[component]
fn StageItem(
    row: StageRow,
    editing: RwSignal<Option<String>>,
    on_status: impl Fn(String, StageStatus) + Copy + Send + Sync + 'static,
    on_delete: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let status = RwSignal::new(row.status.slug().to_owned());
    let id = row.id.clone();
    Effect::new(move |previous: Option<String>| {
        let now = status.get();
        if previous.is_some_and(|p| p != now)
            && let Some(s) = StageStatus::from_slug(&now)
        {
            on_status(id.clone(), s);
        }
        now
    });
    let statuses = Signal::derive(|| {
        StageStatus::ALL
            .iter()
            .map(|s| (s.slug().to_owned(), s.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let badge = match row.state {
        StageState::Done => "ok",
        StageState::Overdue | StageState::WaitingForApproval => "warn",
        _ => "planned",
    };
    let delete_id = row.id.clone();
    let delete_label = format!("Delete the stage “{}”", row.title);
    let edit_label = format!("Edit the stage “{}”", row.title);
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let is_editing = {
        let id = row.id.clone();
        Memo::new(move |_| editing.with(|e| e.as_deref() == Some(id.as_str())))
    };
    let profile = expect_context::<Profile>();
    let save = {
        let id = row.id.clone();
        Callback::new(move |draft: StageDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_stage(&id, &draft, now)
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
    let open_id = row.id.clone();
    let initial = (row.id.clone(), row.stage.clone());
    view! {
        <li class="record" id=format!("record-{}", row.id) aria-label=row.title.clone()>
            <div class="record-head">
                <div>
                    <h3 class="record-name">{row.title.clone()}</h3>
                    <p class="record-detail">
                        {format!("{} · {} to {}", row.owner, locale::date(&row.start), locale::date(&row.deadline))}
                    </p>
                </div>
                <span class=format!("badge {badge}")>{row.state.label()}</span>
            </div>
            {(!row.waits_for.is_empty()).then(|| view! { <p class="record-detail">{format!("Waits for: {}", row.waits_for.join(", "))}</p> })}
            {row.slipped.map(|days| view! { <p class="notice warning">{format!("Slipping: a stage it waits for ends {days} days after this one starts.")}</p> })}
            {row.produces.map(|p| view! { <p class="record-detail">{format!("Produces: {p}")}</p> })}
            {row.waiting.map(|w| view! { <p class="record-detail">{w}</p> })}
            <div class="item-actions" class:hidden=move || !editable(ws) || is_editing.get()>
                <SelectField id=format!("stage-status-{}", row.id) label="Status" value=status options=statuses empty="Choose…" error=Signal::derive(|| None::<String>)/>
                <button type="button" node_ref=edit_button aria-label=edit_label on:click=move |_| editing.set(Some(open_id.clone()))>"Edit"</button>
                <button type="button" class="danger" aria-label=delete_label on:click=move |_| on_delete(delete_id.clone())>"Delete"</button>
            </div>
            <Show when=move || is_editing.get()>
                <StageForm initial=Some(initial.clone()) on_save=save on_cancel=cancel/>
            </Show>
        </li>
    }
}

/// The kind of record `produces` names (a [`PRODUCES_KINDS`] prefix) and
/// the id after it.
fn split_produces(produces: &str) -> (String, String) {
    match produces.trim().split_once(':') {
        Some((area, id)) => (format!("{area}:"), id.to_owned()),
        None => (produces.trim().to_owned(), String::new()),
    }
}

/// Adds a stage (`initial` is `None`) or edits one: its id and what it holds.
#[component]
fn StageForm(
    initial: Option<(String, Stage)>,
    on_save: Callback<StageDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let editing = initial.as_ref().map(|(id, _)| id.clone());
    let old = initial.map(|(_, stage)| stage).unwrap_or_else(|| Stage {
        start: today(),
        ..Default::default()
    });
    let prefix = match &editing {
        Some(id) => format!("stage-{id}"),
        None => "stage".to_owned(),
    };
    let title = RwSignal::new(old.title.clone());
    let owner = RwSignal::new(old.owner.clone());
    let start = RwSignal::new(old.start.clone());
    let deadline = RwSignal::new(old.deadline.clone());
    let depends_on = RwSignal::new(old.depends_on.clone());
    let (old_kind, old_record) = split_produces(&old.produces);
    let kind = RwSignal::new(old_kind.clone());
    let record = RwSignal::new(old_record.clone());
    let status = old.status;
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let current = editing.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let kind_now = kind.get_untracked();
        let id = match Produces::parse(&kind_now) {
            // One record, chosen from the list (or linked later).
            Produces::Policy(_)
            | Produces::Criteria(_)
            | Produces::Review(_)
            | Produces::Scope(_) => record.get_untracked(),
            // No record to choose: what it held stays.
            _ if kind_now == old_kind => old_record.clone(),
            _ => String::new(),
        };
        let draft = StageDraft {
            title: title.get_untracked(),
            owner: owner.get_untracked(),
            start: start.get_untracked(),
            deadline: deadline.get_untracked(),
            // The status has its own select: the form keeps what is stored now, so
            // it never undoes a change made while the form was open.
            status: current
                .as_deref()
                .and_then(|id| ws.state.untracked(|s| s.stages.get(id).map(|st| st.status)))
                .unwrap_or(status),
            depends_on: depends_on.get_untracked(),
            produces: if kind_now.is_empty() {
                String::new()
            } else {
                format!("{kind_now}{id}")
            },
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let this = editing.clone();
    let stage_options = Signal::derive(move || {
        ws.state.read(&[Area::Stages], |s| {
            stages_in_order(&s.stages)
                .into_iter()
                .filter(|(id, _)| this.as_deref() != Some(id.as_str()))
                .map(|(id, st)| (id.clone(), st.title.clone()))
                .collect::<Vec<_>>()
        })
    });
    let kinds = Signal::derive(|| {
        PRODUCES_KINDS
            .iter()
            .filter(|k| !k.is_empty())
            .map(|k| ((*k).to_owned(), Produces::parse(k).label().to_owned()))
            .collect::<Vec<_>>()
    });
    let records = Signal::derive(move || {
        let k = kind.get();
        ws.state.read(&PLAN_AREAS, |s| produced_options(s, &k))
    });
    let record_label = move || match kind.get().as_str() {
        "scopes:" => "Scope version",
        "policies:" => "Policy",
        "criteria:" => "Risk criteria version",
        "reviews:" => "Management review",
        _ => "",
    };
    let name = if editing.is_some() {
        format!("Edit stage “{}”", old.title)
    } else {
        "New stage".to_owned()
    };
    view! {
        <form class="card form record-form" aria-label=name novalidate node_ref=form_ref on:submit=submit on:keydown=cancel_on_escape(on_cancel)>
            <TextField id=format!("{prefix}-title") label="Stage" value=title error=errors.field(Field::StageTitle) node_ref=first/>
            <SelectField id=format!("{prefix}-owner") label="Owner" value=owner options=people_options(ws) empty="Choose…" error=errors.field(Field::StageOwner)/>
            <div class="field-row">
                <TextField id=format!("{prefix}-start") label="Start" placeholder="YYYY-MM-DD" value=start error=errors.field(Field::StageStart)/>
                <TextField id=format!("{prefix}-deadline") label="Deadline" placeholder="YYYY-MM-DD" value=deadline error=errors.field(Field::StageDeadline)/>
            </div>
            <ChoiceList legend="Waits for" options=stage_options chosen=depends_on empty="No other stages yet."/>
            <p class="field-message error" role="alert">{move || errors.field(Field::StageDependsOn).get()}</p>
            <div class="field-row">
                <SelectField id=format!("{prefix}-produces") label="Produces" value=kind options=kinds empty="Nothing to approve" error=errors.field(Field::StageProduces)/>
                <Show when=move || !record_label().is_empty()>
                    <div class="field">
                        <label for=format!("{prefix}-record")>{record_label}<span class="optional">" (optional)"</span></label>
                        <select
                            id=format!("{prefix}-record")
                            on:change=move |ev| record.set(event_target_value(&ev))
                        >
                            <option value="" selected=move || record.with(String::is_empty)>"Link later"</option>
                            {move || records
                                .get()
                                .into_iter()
                                .map(|(id, words)| {
                                    let selected = record.with(|r| *r == id);
                                    view! { <option value=id selected=selected>{words}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                </Show>
            </div>
            <FormActions errors=errors save="Save stage" on_cancel=on_cancel/>
        </form>
    }
}
