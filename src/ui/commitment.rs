//! Leadership commitment (clause 5.1 a–h): the eight duties of top management
//! as a checklist, each with links to the records that evidence it and who
//! confirmed it when.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::ui::form::{editable, problem_notice};
use crate::ui::signatures::{SignatureNote, verdict};
use crate::ui::{OpenWorkspace, Profile};
use crate::workspace::Workspace;
use crate::workspace::changes::Area;
use crate::workspace::commitment::{Duty, DutyRecord, DutyState, commitment_progress, duty_state};
use crate::workspace::model::sort_list;
use crate::workspace::signing::Act;

/// The leadership commitment section of the open workspace.
#[component]
pub fn CommitmentSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    // A duty's state depends on its evidence records and on the reviews signed since.
    let progress = Memo::new(move |_| ws.state.read(&Area::ALL, commitment_progress));
    view! {
        <section class="commitment" aria-labelledby="commitment-heading">
            <div class="section-head">
                <div>
                    <h2 id="commitment-heading">"Leadership commitment"</h2>
                    <p class="muted">
                        "How top management shows its leadership and commitment to the ISMS: each duty with the records that show it is met, and who confirmed it (ISO/IEC 27001, clause 5.1 a–h)."
                    </p>
                </div>
            </div>
            <div class="card commitment-summary">
                <p class="summary-line">
                    <output class="figure" aria-label="Duties confirmed">
                        {move || {
                            let p = progress.get();
                            format!("{} of {}", p.confirmed, p.total)
                        }}
                    </output>
                    <span class="summary-words">" duties confirmed"</span>
                </p>
                <p class="muted">
                    {move || {
                        let p = progress.get();
                        format!("{} of {} have evidence linked.", p.evidenced, p.total)
                    }}
                </p>
            </div>
            <ul class="duty-list" aria-label="Leadership duties">
                {Duty::ALL.into_iter().map(|duty| view! { <DutyItem duty=duty/> }).collect_view()}
            </ul>
        </section>
    }
}

/// The kinds of record that can evidence a duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Objective,
    Policy,
    BudgetLine,
    Programme,
    Role,
}

impl Kind {
    /// The kinds in the order the record select groups them.
    const ALL: [Kind; 5] = [
        Kind::Objective,
        Kind::Policy,
        Kind::BudgetLine,
        Kind::Programme,
        Kind::Role,
    ];

    /// The name of the group of records of this kind.
    fn group(self) -> &'static str {
        match self {
            Kind::Objective => "Objectives",
            Kind::Policy => "Policies",
            Kind::BudgetLine => "Budget lines",
            Kind::Programme => "Training programmes",
            Kind::Role => "Roles",
        }
    }

    /// One record of this kind, as a word before its name.
    fn singular(self) -> &'static str {
        match self {
            Kind::Objective => "Objective",
            Kind::Policy => "Policy",
            Kind::BudgetLine => "Budget line",
            Kind::Programme => "Training",
            Kind::Role => "Role",
        }
    }

    /// Where records of this kind live, below the workspace's address.
    fn section(self) -> &'static str {
        match self {
            Kind::Objective => "",
            Kind::Policy => "/policies",
            Kind::BudgetLine => "/resources",
            Kind::Programme => "/training",
            Kind::Role => "/roles",
        }
    }
}

/// A record that can be linked as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Record {
    id: String,
    name: String,
    kind: Kind,
}

/// The records of one kind, sorted by name.
fn records_of(s: &Workspace, kind: Kind) -> Vec<Record> {
    let named: Vec<(String, String)> = match kind {
        Kind::Objective => s
            .objectives
            .iter()
            .map(|(id, o)| (id.clone(), o.title.clone()))
            .collect(),
        Kind::Policy => s
            .policies
            .iter()
            .map(|(id, p)| (id.clone(), p.title.clone()))
            .collect(),
        Kind::BudgetLine => s
            .budget
            .iter()
            .map(|(id, b)| (id.clone(), format!("{} {}", b.category, b.year)))
            .collect(),
        Kind::Programme => s
            .trainings
            .iter()
            .map(|(id, t)| (id.clone(), t.topic.clone()))
            .collect(),
        Kind::Role => s
            .roles
            .iter()
            .map(|(id, r)| (id.clone(), r.kind.label().to_owned()))
            .collect(),
    };
    let mut records: Vec<Record> = named
        .into_iter()
        .map(|(id, name)| Record { id, name, kind })
        .collect();
    sort_list(&mut records, |a, b| {
        a.name.to_lowercase().cmp(&b.name.to_lowercase())
    });
    records
}

/// The record with this id, whatever its kind; `None` once it was deleted.
fn find_record(s: &Workspace, id: &str) -> Option<Record> {
    Kind::ALL
        .into_iter()
        .flat_map(|kind| records_of(s, kind))
        .find(|r| r.id == id)
}

/// A linked piece of evidence: the record's id, and the record if it still exists.
type Linked = (String, Option<Record>);

#[component]
fn DutyItem(
    /// The duty this item is for.
    duty: Duty,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let params = use_params_map();
    let base = move || format!("/w/{}", params.with(|p| p.get("id").unwrap_or_default()));
    let letter = duty.letter();
    let problem = RwSignal::new(None::<String>);
    let record = Memo::new(move |_| {
        ws.state.record(Area::Commitment, letter, |s| {
            s.commitment.get(letter).cloned().unwrap_or_default()
        })
    });
    let linked = Memo::new(move |_| {
        record.with(|r: &DutyRecord| {
            let mut list: Vec<_> = r.evidence.iter().collect();
            sort_list(&mut list, |a, b| (a.1, a.0).cmp(&(b.1, b.0)));
            ws.state.read(&Area::ALL, |s| {
                list.into_iter()
                    .map(|(id, _)| (id.clone(), find_record(s, id)))
                    .collect::<Vec<Linked>>()
            })
        })
    });
    let confirmed = move || record.with(|r| r.confirmation.is_some());
    // Derived: a confirmation whose evidence was deleted since shows as reopened.
    let state = Memo::new(move |_| ws.state.read(&Area::ALL, |s| duty_state(s, duty)));
    let justification = RwSignal::new(record.with_untracked(|r| r.justification.clone()));
    let justify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = justification.get_untracked();
        let result = ws.run(&profile.author(), |doc, now| {
            doc.set_duty_justification(duty, &text, now)
        });
        problem.set(result.err().map(|e| e.to_string()));
    };
    let justification_id = format!("justification-{letter}");
    let unlink = Callback::new(move |id: String| {
        let result = ws.run(&profile.author(), |doc, now| {
            doc.set_duty_evidence(duty, &id, false, now)
        });
        problem.set(result.err().map(|e| e.to_string()));
    });
    let lapsed_since = Memo::new(move |_| {
        let at = record.with(|r| r.confirmation.as_ref().map(|c| c.at))?;
        ws.state.read(&[Area::Reviews], |s| {
            crate::workspace::commitment::review_signed_since(s, at).map(str::to_owned)
        })
    });
    let toggle = move |_| {
        let confirm = !record.with_untracked(|r| r.confirmation.is_some())
            || lapsed_since.get_untracked().is_some();
        let result = ws.run(&profile.author(), |doc, now| {
            doc.confirm_duty(duty, confirm, now)
        });
        problem.set(result.err().map(|e| e.to_string()));
    };
    let confirmation = move || {
        record.with(|r| match &r.confirmation {
            Some(c) => {
                let act = Act::DutyConfirmation {
                    duty: duty.letter(),
                };
                let verdict = verdict(ws, &act, c.signature.as_ref());
                let recorded = format!(
                    "Confirmed by {} on {}",
                    c.name,
                    crate::ui::locale::day_at(c.at)
                );
                view! {
                    <div class="confirmation confirmed">
                        <SignatureNote verdict recorded/>
                    </div>
                }
                .into_any()
            }
            None => view! { <p class="confirmation muted">"Not confirmed yet."</p> }.into_any(),
        })
    };
    let heading_id = format!("duty-{letter}");
    let labelled_by = heading_id.clone();
    view! {
        <li class="card duty" class:is-confirmed=confirmed aria-labelledby=labelled_by>
            <div class="duty-head">
                <h3 id=heading_id>
                    <span class="duty-letter">{letter}</span>
                    " "
                    {duty.label()}
                </h3>
                <span
                    class="badge duty-status"
                    class:confirmed=move || state.get() == DutyState::Confirmed
                    class:reopened=move || matches!(state.get(), DutyState::Reopened | DutyState::Lapsed)
                >
                    {move || match state.get() {
                        DutyState::Open => "Open",
                        DutyState::Confirmed => "Confirmed",
                        DutyState::Reopened => "Reopened",
                        DutyState::Lapsed => "Confirm again",
                    }}
                </span>
            </div>
            <div class="duty-evidence" role="group" aria-label=format!("Evidence for 5.1 {letter}")>
                <p class="evidence-title">"Evidence"</p>
                <Show
                    when=move || !linked.with(Vec::is_empty)
                    fallback=|| view! { <p class="muted">"No evidence linked yet."</p> }
                >
                    <For
                        each=move || linked.get()
                        key=|l| l.clone()
                        children=move |(id, found)| {
                            view! { <EvidenceLink id=id found=found base=Signal::derive(base) on_remove=unlink/> }
                        }
                    />
                </Show>
            </div>
            <Show when=move || editable(ws)>
                <EvidenceForm duty=duty linked=linked problem=problem/>
            </Show>
            <form class="justification" aria-label=format!("Justify 5.1 {letter}") on:submit=justify>
                <label for=justification_id.clone()>
                    "Why it is met without a linked record" <span class="optional">" (optional)"</span>
                </label>
                <textarea
                    id=justification_id
                    rows="2"
                    prop:value=move || justification.get()
                    prop:readonly=move || !editable(ws)
                    on:input=move |ev| justification.set(event_target_value(&ev))
                ></textarea>
                <Show when=move || editable(ws)>
                    <button type="submit">"Save justification"</button>
                </Show>
            </form>
            <Show when=move || state.get() == DutyState::Reopened>
                <p class="notice warning">
                    "Reopened: the evidence this confirmation rested on has been deleted. Link a record, or write why none applies."
                </p>
            </Show>
            {move || lapsed_since.get().map(|day| view! {
                <p class="notice warning">
                    {format!("The management review of {} was signed since this confirmation. A confirmation holds until the next review: confirm it again for the period ahead.", crate::ui::locale::date(&day))}
                </p>
            })}
            {confirmation}
            {problem_notice(problem)}
            <Show when=move || editable(ws)>
                <div class="actions">
                    <button type="button" class:primary=move || !confirmed() || lapsed_since.with(Option::is_some) on:click=toggle>
                        {move || if lapsed_since.with(Option::is_some) { "Confirm again" } else if confirmed() { "Withdraw confirmation" } else { "Confirm" }}
                        <span class="visually-hidden">{format!(" duty 5.1 {letter}")}</span>
                    </button>
                </div>
            </Show>
        </li>
    }
}

/// One linked record: its kind, its name as a link to its section, and a
/// way to remove it.
#[component]
fn EvidenceLink(
    /// The linked record's id.
    id: String,
    /// The record, or `None` if it was deleted since.
    found: Option<Record>,
    /// The workspace's address.
    base: Signal<String>,
    /// Unlinks the record with the given id.
    on_remove: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let (shown, name) = match found {
        Some(record) => {
            let name = record.name.clone();
            let section = record.kind.section();
            (
                view! {
                    <span class="evidence-kind">{record.kind.singular()}</span>
                    <a href=move || format!("{}{section}", base.get())>{record.name}</a>
                }
                .into_any(),
                name,
            )
        }
        None => (
            view! { <span class="muted">"A record that has since been deleted"</span> }.into_any(),
            "the deleted record".to_owned(),
        ),
    };
    view! {
        <span class="evidence-link">
            {shown}
            <button
                type="button"
                class="link-button quiet"
                class:hidden=move || !editable(ws)
                aria-label=format!("Remove {name} from the evidence")
                on:click=move |_| on_remove.run(id.clone())
            >
                "Remove"
            </button>
        </span>
    }
}

/// Links a record as evidence: a select grouped by kind, and a button.
#[component]
fn EvidenceForm(
    /// The duty to link evidence to.
    duty: Duty,
    /// The records linked already, left out of the choice.
    linked: Memo<Vec<Linked>>,
    /// Where a failed change is reported.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let letter = duty.letter();
    let choice = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let select_ref = NodeRef::<leptos::html::Select>::new();
    let groups = Memo::new(move |_| {
        linked.with(|linked| {
            ws.state.read(&Area::ALL, |s| {
                Kind::ALL
                    .into_iter()
                    .map(|kind| {
                        let records: Vec<Record> = records_of(s, kind)
                            .into_iter()
                            .filter(|r| !linked.iter().any(|(id, _)| *id == r.id))
                            .collect();
                        (kind, records)
                    })
                    .filter(|(_, records)| !records.is_empty())
                    .collect::<Vec<_>>()
            })
        })
    });
    let anything_at_all = Memo::new(move |_| {
        ws.state.read(&Area::ALL, |s| {
            Kind::ALL
                .into_iter()
                .any(|kind| !records_of(s, kind).is_empty())
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = choice.get_untracked();
        if id.is_empty() {
            message.set(Some("Choose a record to link.".to_owned()));
            if let Some(select) = select_ref.get_untracked() {
                let _ = select.focus();
            }
            return;
        }
        match ws.run(&profile.author(), |doc, now| {
            doc.set_duty_evidence(duty, &id, true, now)
        }) {
            Ok(()) => {
                message.set(None);
                problem.set(None);
                choice.set(String::new());
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let select_id = format!("duty-{letter}-record");
    let message_id = format!("duty-{letter}-record-message");
    view! {
        <Show
            when=move || anything_at_all.get()
            fallback=|| {
                view! {
                    <p class="muted evidence-hint">
                        "To link evidence, first add objectives, policies, budget lines, training programmes or roles in their sections."
                    </p>
                }
            }
        >
            <form
                class="evidence-form"
                aria-label=format!("Link evidence to 5.1 {letter}")
                novalidate
                on:submit=submit
            >
                <div class="field" class:has-error=move || message.with(Option::is_some)>
                    <label for=select_id.clone()>"Record to link"</label>
                    <select
                        id=select_id.clone()
                        node_ref=select_ref
                        aria-invalid=move || message.with(Option::is_some).to_string()
                        aria-describedby=message_id.clone()
                        on:change=move |ev| {
                            choice.set(event_target_value(&ev));
                            message.set(None);
                        }
                    >
                        <option value="" prop:selected=move || choice.with(String::is_empty)>
                            "Choose a record…"
                        </option>
                        {move || {
                            groups
                                .get()
                                .into_iter()
                                .map(|(kind, records)| {
                                    view! {
                                        <optgroup label=kind.group()>
                                            {records
                                                .into_iter()
                                                .map(|r| {
                                                    let value = r.id.clone();
                                                    let selected = move || choice.with(|c| *c == value);
                                                    view! {
                                                        <option value=r.id prop:selected=selected>
                                                            {r.name}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </optgroup>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                    <p id=message_id.clone() class="field-message error">{move || message.get()}</p>
                </div>
                <button type="submit">"Link"</button>
            </form>
        </Show>
    }
}
