//! The risk register (`/risks`, clauses 6.1.2, 6.1.3, 8.2, 8.3): the risk
//! criteria in force with their approval and the drafts of the next
//! version; the heat map of inherent or residual ratings whose cells filter
//! the list; each risk with its levels against the threshold, its
//! treatment, controls and treatment actions, and the owner's signed
//! acceptance, flagged when what it accepted changed. Risks are added,
//! edited and deleted (with undo) here; the printable register is in
//! [`crate::ui::risks_print`].

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::ui::form::{
    AddButton, ChoiceList, EmptyState, FormActions, FormErrors, ListState, SelectField, TextField,
    UndoToast, cancel_on_escape, editable, focus_later, id_prefix, people_options, problem_notice,
    role_options,
};
use crate::ui::signatures::SignatureNote;
use crate::ui::{OpenWorkspace, Profile, locale};
use crate::workspace::changes::Area;
use crate::workspace::model::{Workspace, sort_list};
use crate::workspace::risks::{
    Acceptance, Band, CriteriaDraft, CriteriaVersion, Property, Risk, RiskDraft, TreatmentAction,
    TreatmentActionDraft, TreatmentOption, Which, band, cell_of, criteria_in_force,
    criteria_in_order, criteria_or_default, heatmap, reapproval_reasons, reassessment_overdue,
    risks_in_order, verify_acceptance, verify_criteria_approval,
};
use crate::workspace::signing::{Trust, Verdict};
use crate::workspace::{CommandError, Field};

/// What a risk's item reads: the risks, the criteria, people for names,
/// and the founder, keys and roles for signatures.
pub(crate) const RISK_AREAS: [Area; 6] = [
    Area::Risks,
    Area::Criteria,
    Area::People,
    Area::Meta,
    Area::Keys,
    Area::Roles,
];

/// A risk just deleted, kept so the deletion can be undone.
#[derive(Clone)]
struct Deleted {
    id: String,
    risk: Risk,
}

/// Checks a risk's acceptance against the workspace's founder, keys and
/// roles (and the founder this browser pinned for workspace `workspace`).
pub(crate) fn acceptance_verdict(
    s: &Workspace,
    workspace: &str,
    risk: &str,
    acceptance: &Acceptance,
) -> Verdict {
    let pinned = crate::storage::keys::pinned_founder(workspace, &s.meta.founder);
    let trust = Trust {
        founder: &s.meta.founder,
        pinned: pinned.as_deref(),
        keys: &s.keys,
        roles: &s.roles,
    };
    verify_acceptance(&trust, risk, acceptance)
}

/// Checks a criteria version's approval, as [`acceptance_verdict`] does.
pub(crate) fn criteria_verdict(
    s: &Workspace,
    workspace: &str,
    id: &str,
    criteria: &CriteriaVersion,
) -> Verdict {
    let pinned = crate::storage::keys::pinned_founder(workspace, &s.meta.founder);
    let trust = Trust {
        founder: &s.meta.founder,
        pinned: pinned.as_deref(),
        keys: &s.keys,
        roles: &s.roles,
    };
    verify_criteria_approval(&trust, id, criteria)
}

/// The criteria a risk was assessed under, in words: "criteria version 2",
/// or "the default criteria" before any version was approved.
pub(crate) fn assessed_under(s: &Workspace, criteria: &str) -> String {
    if criteria.is_empty() {
        return "the default criteria".to_owned();
    }
    match s.criteria.get(criteria) {
        Some(c) => format!("criteria version {}", c.number),
        None => "criteria no longer on record".to_owned(),
    }
}

/// The name of person `id`, or a calm placeholder.
pub(crate) fn name_of(s: &Workspace, id: &str) -> String {
    s.people.get(id).map_or_else(
        || "someone no longer in People".to_owned(),
        |p| p.name.clone(),
    )
}

/// "4 × 5 = 20".
pub(crate) fn rating_text(rating: crate::workspace::risks::Rating) -> String {
    format!(
        "{} × {} = {}",
        rating.likelihood,
        rating.consequence,
        rating.level()
    )
}

/// A risk's treatment actions, soonest due first.
pub(crate) fn actions_in_order(risk: &Risk) -> Vec<(&String, &TreatmentAction)> {
    let mut list: Vec<_> = risk.actions.iter().collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.done, &a.due, &a.title, *a_id).cmp(&(b.done, &b.due, &b.title, *b_id))
    });
    list
}

/// The risk register of the open workspace.
#[component]
pub fn RisksSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let params = use_params_map();
    let list = ListState::new();
    let ListState {
        adding,
        editing,
        problem,
        add_button,
    } = list;
    let deleted = RwSignal::new(None::<Deleted>);
    let residual = RwSignal::new(false);
    let cell = RwSignal::new(None::<(usize, usize)>);
    let which = move || {
        if residual.get() {
            Which::Residual
        } else {
            Which::Inherent
        }
    };
    let grid = Memo::new(move |_| {
        let w = which();
        ws.state.read(&[Area::Risks, Area::Criteria], |s| {
            let (_, c) = criteria_or_default(s);
            (
                heatmap(s, w),
                c.likelihood.clone(),
                c.consequence.clone(),
                c.threshold,
            )
        })
    });
    let ids = Memo::new(move |_| {
        let w = which();
        let chosen = cell.get();
        ws.state.read(&[Area::Risks], |s| {
            risks_in_order(s)
                .into_iter()
                .filter(|(_, r)| chosen.is_none_or(|c| cell_of(w.of(r)) == Some(c)))
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        })
    });
    let add = Callback::new(move |draft: RiskDraft| {
        ws.run(&profile.author(), |doc, now| doc.add_risk(&draft, now))
            .map(|_| {
                deleted.set(None);
                list.close_add();
            })
    });
    let delete = Callback::new(move |id: String| {
        let outcome = ws.run(&profile.author(), |doc, now| doc.delete_risk(&id, now));
        if let Some(risk) = list.report(outcome) {
            editing.set(None);
            deleted.set(Some(Deleted { id, risk }));
        }
    });
    let undo = move |()| {
        if let Some(Deleted { id, risk }) = deleted.get_untracked() {
            let outcome = ws.run(&profile.author(), |doc, now| {
                doc.restore_risk(&id, &risk, now)
            });
            if list.report(outcome).is_some() {
                deleted.set(None);
            }
        }
    };
    let download = move |_| {
        let text = ws.state.untracked(crate::workspace::csv::risks_csv);
        if let Err(e) =
            crate::ui::export::download(text.as_bytes(), "risk-register.csv", "text/csv")
        {
            problem.set(Some(e));
        }
    };
    let print_href = move || {
        format!(
            "/w/{}/risks/print",
            params.with(|p| p.get("id").unwrap_or_default())
        )
    };
    view! {
        <section class="risks" aria-labelledby="risks-heading">
            <div class="section-head">
                <div>
                    <h2 id="risks-heading">"Risk register"</h2>
                    <p class="muted">
                        {move || grid.with(|(_, _, _, threshold)| format!(
                            "Each risk's level is its likelihood × consequence; above {threshold} it must be treated or accepted by someone with the authority (ISO/IEC 27001, clauses 6.1.2 and 6.1.3)."
                        ))}
                    </p>
                </div>
                <div class="head-actions">
                    <a href=print_href>"Print the register"</a>
                    <button type="button" on:click=download>"Download CSV"</button>
                    <AddButton
                        label="Add risk"
                        adding=adding
                        node_ref=add_button
                        on_click=Callback::new(move |()| list.open_add())
                    />
                </div>
            </div>
            <UndoToast
                message=Signal::derive(move || deleted.with(|d| d.as_ref().map(|d| format!("Deleted the risk “{}”.", d.risk.title))))
                on_undo=Callback::new(undo)
                on_dismiss=Callback::new(move |()| deleted.set(None))
            />
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <RiskForm
                    name="New risk".to_owned()
                    initial=RiskDraft::default()
                    on_save=add
                    on_cancel=Callback::new(move |()| list.close_add())
                />
            </Show>
            <CriteriaCard/>
            <div class="card heatmap-card">
                <label class="check">
                    <input type="checkbox" prop:checked=move || residual.get() on:change=move |ev| { residual.set(event_target_checked(&ev)); cell.set(None); }/>
                    "Show the residual ratings (after treatment)"
                </label>
                <table class="heatmap" aria-label=move || if residual.get() { "Heat map of residual ratings" } else { "Heat map of inherent ratings" }>
                    <thead>
                        <tr>
                            <th scope="col">"Likelihood ↓ · Consequence →"</th>
                            {move || grid.with(|(_, _, consequence, _)| consequence.iter().enumerate().map(|(i, c)| view! { <th scope="col">{format!("{} {c}", i + 1)}</th> }).collect_view())}
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let (cells, likelihood, _, threshold) = grid.get();
                            // The highest likelihood on top, as a heat map reads.
                            (0..likelihood.len())
                                .rev()
                                .map(|row| {
                                    let label = format!("{} {}", row + 1, likelihood[row]);
                                    let tds = cells[row]
                                        .iter()
                                        .enumerate()
                                        .map(|(column, ids)| {
                                            let level = ((row + 1) * (column + 1)) as u32;
                                            let hot = band(level, threshold) == Band::AboveThreshold;
                                            let count = ids.len();
                                            let name = format!(
                                                "Likelihood {}, consequence {}: {count} risks, level {level}",
                                                row + 1,
                                                column + 1
                                            );
                                            view! {
                                                <td class:hot=hot>
                                                    <button
                                                        type="button"
                                                        class="heat-cell"
                                                        aria-label=name
                                                        aria-pressed=move || (cell.get() == Some((row, column))).to_string()
                                                        on:click=move |_| cell.update(|c| *c = if *c == Some((row, column)) { None } else { Some((row, column)) })
                                                    >
                                                        {count}
                                                    </button>
                                                </td>
                                            }
                                        })
                                        .collect_view();
                                    view! { <tr><th scope="row">{label}</th>{tds}</tr> }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
                <p class="muted" role="status">
                    {move || match cell.get() {
                        Some((row, column)) => format!("Showing the risks of likelihood {}, consequence {}.", row + 1, column + 1),
                        None => "Choose a cell to show only its risks.".to_owned(),
                    }}
                </p>
                <button type="button" class:hidden=move || cell.get().is_none() on:click=move |_| cell.set(None)>"Show every risk"</button>
            </div>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || view! { <EmptyState title="No risks here" hint="Add the risks to the information the ISMS covers: what could happen, to what, and how likely and how bad it would be." hidden=adding/> }
            >
                <ul class="record-list" aria-label="Risks">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| view! { <RiskItem id=id editing=editing problem=problem on_delete=delete/> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// One risk: its assessment, acceptance and treatment actions, or its edit form.
#[component]
fn RiskItem(
    /// The risk's id.
    id: String,
    /// Which risk is being edited, shared by the list.
    editing: RwSignal<Option<String>>,
    /// Where a failed change is reported.
    problem: RwSignal<Option<String>>,
    /// Deletes the risk with the given id.
    on_delete: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let workspace = ws.id();
    // A link to the risk (from the overview's top risks) brings it into view.
    crate::ui::form::follow_links(&id, || ());
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let shown = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state.read(&RISK_AREAS, |s| {
                let risk: Risk = s.risks.get(&id)?.clone();
                let (_, criteria) = criteria_or_default(s);
                let owner = name_of(s, &risk.owner);
                let reasons = reapproval_reasons(s, &risk);
                let under = assessed_under(s, &risk.criteria);
                let verdict = risk.acceptance.as_ref().map(|a| {
                    (
                        acceptance_verdict(s, &workspace, &id, a),
                        name_of(s, &a.person),
                        a.at,
                    )
                });
                Some((risk, owner, criteria.threshold, reasons, verdict, under))
            })
        })
    };
    let title = Signal::derive(move || {
        shown.with(|s| s.as_ref().map(|s| s.0.title.clone()).unwrap_or_default())
    });
    let is_editing = {
        let id = id.clone();
        move || editing.with(|e| e.as_deref() == Some(id.as_str()))
    };
    let save = {
        let id = id.clone();
        Callback::new(move |draft: RiskDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_risk(&id, &draft, now)
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
    let accept = {
        let id = id.clone();
        move || {
            let outcome = ws.run(&profile.author(), |doc, now| doc.accept_risk(&id, now));
            problem.set(outcome.err().map(|e| e.to_string()));
        }
    };
    let view_mode = {
        let id = id.clone();
        move || {
            let (risk, owner, threshold, reasons, verdict, under) = shown.get()?;
            let inherent = risk.inherent.level();
            let residual = risk.residual.level();
            let above = band(residual, threshold) == Band::AboveThreshold;
            let properties: Vec<&str> = risk.properties.iter().map(|p| p.label()).collect();
            let title = risk.title.clone();
            let acceptance = verdict.map(|(verdict, by, at)| {
                let recorded = format!("Accepted by {by} on {}", locale::day_at(at));
                view! { <AcceptanceNote verdict recorded/> }
            });
            let flagged = risk.acceptance.is_some() && !reasons.is_empty();
            let overdue = reassessment_overdue(&risk, &crate::ui::today());
            let reassess = if risk.reassess_by.is_empty() {
                "No reassessment date set".to_owned()
            } else {
                format!("Reassess by {}", locale::date(&risk.reassess_by))
            };
            let accept = accept.clone();
            let (edit_id, delete_id) = (id.clone(), id.clone());
            Some(view! {
                <div class="record-head">
                    <div>
                        <h3 class="record-name">{title.clone()}</h3>
                        <p class="record-detail">{format!("{} · owner {owner} · {}", risk.asset, properties.join(", "))}</p>
                    </div>
                    <span class="badges">
                        {overdue.then(|| view! { <span class="badge overdue">"Reassessment overdue"</span> })}
                        <span class=if above { "badge warn" } else { "badge ok" }>
                            {format!("Residual {residual}{}", if above { ", above the threshold" } else { "" })}
                        </span>
                    </span>
                </div>
                <p>{format!("Threat: {} · Vulnerability: {}", risk.threat, if risk.vulnerability.is_empty() { "not stated" } else { risk.vulnerability.as_str() })}</p>
                <p class="record-detail">
                    {format!(
                        "Inherent {} × {} = {inherent}; residual {} × {} = {residual}; treatment: {}; controls: {}",
                        risk.inherent.likelihood, risk.inherent.consequence,
                        risk.residual.likelihood, risk.residual.consequence,
                        risk.treatment.label().to_lowercase(),
                        if risk.controls.is_empty() { "none".to_owned() } else { risk.controls.join(", ") }
                    )}
                </p>
                <p class="record-detail">{format!("{reassess} · assessed under {under}")}</p>
                {acceptance}
                {flagged.then(|| view! {
                    <p class="notice warning">{format!("Needs accepting again: {}.", reasons.join(", "))}</p>
                })}
                <Show when=move || editable(ws)>
                    <div class="item-actions">
                        <button
                            type="button"
                            aria-label=if flagged {
                                format!("Accept again: the risk “{title}”, as its owner")
                            } else {
                                format!("Accept the risk “{title}” as its owner")
                            }
                            on:click={
                                let accept = accept.clone();
                                move |_| accept()
                            }
                        >
                            {if flagged { "Accept again" } else { "Accept" }}
                        </button>
                        <button
                            type="button"
                            node_ref=edit_button
                            aria-label=format!("Edit the risk “{title}”")
                            on:click={
                                let edit_id = edit_id.clone();
                                move |_| editing.set(Some(edit_id.clone()))
                            }
                        >
                            "Edit"
                        </button>
                        <button
                            type="button"
                            class="danger"
                            aria-label=format!("Delete the risk “{title}”")
                            on:click={
                                let delete_id = delete_id.clone();
                                move |_| on_delete.run(delete_id.clone())
                            }
                        >
                            "Delete"
                        </button>
                    </div>
                </Show>
            })
        }
    };
    let edit_form = move || {
        let initial = shown
            .get_untracked()
            .map(|s| RiskDraft::from_risk(&s.0))
            .unwrap_or_default();
        view! { <RiskForm name="Edit risk".to_owned() initial=initial on_save=save on_cancel=cancel/> }
    };
    let record_id = format!("record-{id}");
    view! {
        <li class="record risk" id=record_id aria-label=move || title.get()>
            <Show when=is_editing.clone() fallback={
                let view_mode = view_mode.clone();
                move || view_mode.clone()
            }>
                {edit_form}
            </Show>
            <TreatmentActions risk=id.clone() title=title/>
        </li>
    }
}

/// The line under an acceptance: as [`SignatureNote`] writes it, except
/// that a risk owner need hold no role, so a verified signature given
/// without one names none.
#[component]
fn AcceptanceNote(
    /// The check's outcome.
    verdict: Verdict,
    /// The record's own words ("Accepted by … on …").
    recorded: String,
) -> impl IntoView {
    match verdict {
        Verdict::Verified { person, role, key } if role.is_empty() => {
            let ws = expect_context::<OpenWorkspace>();
            let name = ws.state.read(&[Area::People], |s| name_of(s, &person));
            let detail = format!(
                "Signed by {name} with key {}",
                crate::workspace::signing::fingerprint(&key)
            );
            view! {
                <p class="signature verified">
                    <span class="signature-recorded">{recorded}</span>
                    " "
                    <span class="badge signature-badge ok">"Signature verified"</span>
                    <span class="signature-detail">{detail}</span>
                </p>
            }
            .into_any()
        }
        verdict => view! { <SignatureNote verdict recorded/> }.into_any(),
    }
}

/// The form that adds or edits a risk.
#[component]
fn RiskForm(
    /// The form's accessible name ("New risk", "Edit risk").
    name: String,
    /// The values it opens with.
    initial: RiskDraft,
    /// Saves the draft; a refusal shows at the fields.
    on_save: Callback<RiskDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let prefix = id_prefix("risk", name == "New risk");
    let field_id = |what: &str| format!("{prefix}-{what}");
    let number = |n: String| RwSignal::new(n);
    let is_blank = initial == RiskDraft::default();
    let title = RwSignal::new(initial.title);
    let asset = RwSignal::new(initial.asset);
    let threat = RwSignal::new(initial.threat);
    let vulnerability = RwSignal::new(initial.vulnerability);
    let properties = RwSignal::new(
        initial
            .properties
            .iter()
            .map(|p| p.slug().to_owned())
            .collect::<Vec<_>>(),
    );
    let owner = RwSignal::new(initial.owner);
    let il = number(initial.inherent_likelihood);
    let ic = number(initial.inherent_consequence);
    let rl = number(initial.residual_likelihood);
    let rc = number(initial.residual_consequence);
    let treatment = RwSignal::new(if is_blank {
        String::new()
    } else {
        initial.treatment.slug().to_owned()
    });
    let controls = RwSignal::new(initial.controls.join(", "));
    let reassess_by = RwSignal::new(initial.reassess_by);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = RiskDraft {
            title: title.get_untracked(),
            asset: asset.get_untracked(),
            threat: threat.get_untracked(),
            vulnerability: vulnerability.get_untracked(),
            properties: properties
                .get_untracked()
                .iter()
                .filter_map(|p| Property::from_slug(p))
                .collect(),
            owner: owner.get_untracked(),
            inherent_likelihood: il.get_untracked(),
            inherent_consequence: ic.get_untracked(),
            residual_likelihood: rl.get_untracked(),
            residual_consequence: rc.get_untracked(),
            treatment: TreatmentOption::from_slug(&treatment.get_untracked()).unwrap_or_default(),
            controls: controls
                .get_untracked()
                .split([',', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            reassess_by: reassess_by.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let scale = |labels: fn(&CriteriaVersion) -> &Vec<String>| {
        Signal::derive(move || {
            ws.state.read(&[Area::Criteria], |s| {
                let (_, c) = criteria_or_default(s);
                labels(&c)
                    .iter()
                    .enumerate()
                    .map(|(i, l)| ((i + 1).to_string(), format!("{} {l}", i + 1)))
                    .collect::<Vec<_>>()
            })
        })
    };
    let likelihoods = scale(|c| &c.likelihood);
    let consequences = scale(|c| &c.consequence);
    let property_options = Signal::derive(|| {
        Property::ALL
            .iter()
            .map(|p| (p.slug().to_owned(), p.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let treatments = Signal::derive(|| {
        TreatmentOption::ALL
            .iter()
            .map(|t| (t.slug().to_owned(), t.label().to_owned()))
            .collect::<Vec<_>>()
    });
    view! {
        <form class="card form record-form" aria-label=name novalidate node_ref=form_ref on:submit=submit on:keydown=cancel_on_escape(on_cancel)>
            <TextField id=field_id("title") label="Risk" value=title error=errors.field(Field::RiskTitle)/>
            <div class="field-row">
                <TextField id=field_id("asset") label="Asset or scenario" value=asset error=errors.field(Field::RiskAsset)/>
                <TextField id=field_id("threat") label="Threat" value=threat error=errors.field(Field::RiskThreat)/>
            </div>
            <TextField id=field_id("vulnerability") label="Vulnerability" optional=true value=vulnerability error=errors.field(Field::RiskVulnerability)/>
            <ChoiceList legend="What it threatens" options=property_options chosen=properties empty="" required=true/>
            <p class="field-message error" role="alert">{move || errors.field(Field::RiskProperties).get()}</p>
            <SelectField id=field_id("owner") label="Risk owner" value=owner options=people_options(ws) empty="Choose…" error=errors.field(Field::RiskOwner)/>
            <div class="field-row">
                <SelectField id=field_id("il") label="Inherent likelihood" value=il options=likelihoods empty="Choose…" error=errors.field(Field::RiskInherentLikelihood)/>
                <SelectField id=field_id("ic") label="Inherent consequence" value=ic options=consequences empty="Choose…" error=errors.field(Field::RiskInherentConsequence)/>
            </div>
            <div class="field-row">
                <SelectField id=field_id("rl") label="Residual likelihood" value=rl options=likelihoods empty="Choose…" error=errors.field(Field::RiskResidualLikelihood)/>
                <SelectField id=field_id("rc") label="Residual consequence" value=rc options=consequences empty="Choose…" error=errors.field(Field::RiskResidualConsequence)/>
            </div>
            <p class="field-message error" role="alert">{move || errors.field(Field::RiskResidual).get()}</p>
            <SelectField id=field_id("treatment") label="Treatment" value=treatment options=treatments empty="Choose…" error=Signal::derive(|| None::<String>)/>
            <TextField id=field_id("controls") label="Controls" optional=true hint="Annex A numbers, separated by commas: 5.15, 8.7." value=controls error=errors.field(Field::RiskControls)/>
            <TextField id=field_id("reassess") label="Reassess by" optional=true placeholder="YYYY-MM-DD" hint="When the risk is to be assessed again, as YYYY-MM-DD." value=reassess_by error=errors.field(Field::RiskReassessBy)/>
            <FormActions errors=errors save="Save risk" on_cancel=on_cancel/>
        </form>
    }
}

// ---------------------------------------------------------------------------
// Treatment actions (6.1.3 e, 8.3).

/// A risk's treatment actions, marked done one by one, and the form that adds one.
#[component]
fn TreatmentActions(
    /// The risk's id.
    risk: String,
    /// The risk's title, for the names of the controls.
    title: Signal<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let actions = {
        let risk = risk.clone();
        Memo::new(move |_| {
            let today = crate::ui::today();
            ws.state.read(&[Area::Risks, Area::People], |s| {
                s.risks
                    .get(&risk)
                    .map(|r| {
                        actions_in_order(r)
                            .into_iter()
                            .map(|(id, a)| {
                                (
                                    id.clone(),
                                    a.clone(),
                                    name_of(s, &a.owner),
                                    a.overdue(&today),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        })
    };
    let set_done = {
        let risk = risk.clone();
        move |action: String, done: bool| {
            let outcome = ws.run(&profile.author(), |doc, now| {
                doc.set_treatment_action_done(&risk, &action, done, now)
            });
            problem.set(outcome.err().map(|e| e.to_string()));
        }
    };
    let add = {
        let risk = risk.clone();
        Callback::new(move |draft: TreatmentActionDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.add_treatment_action(&risk, &draft, now)
            })
            .map(|_| {
                adding.set(false);
                focus_later(add_button);
            })
        })
    };
    let close = Callback::new(move |()| {
        adding.set(false);
        focus_later(add_button);
    });
    let list = move || {
        let set_done = set_done.clone();
        actions
            .get()
            .into_iter()
            .map(|(id, action, owner, overdue)| {
                let set_done = set_done.clone();
                let badge = if action.done {
                    view! { <span class="badge ok">"Done"</span> }.into_any()
                } else if overdue {
                    view! { <span class="badge overdue">"Overdue"</span> }.into_any()
                } else {
                    view! { <span class="badge open">"Open"</span> }.into_any()
                };
                let resources = if action.resources.is_empty() {
                    String::new()
                } else {
                    format!(" · needs {}", action.resources)
                };
                let done = action.done;
                let label = if done {
                    format!("Mark not done: “{}”", action.title)
                } else {
                    format!("Mark done: “{}”", action.title)
                };
                view! {
                    <li class="treatment-action" aria-label=action.title.clone()>
                        <div class="record-head">
                            <span class="action-title">{action.title.clone()}</span>
                            {badge}
                        </div>
                        <p class="record-detail">
                            {format!("{owner} · due {}{resources}", locale::date(&action.due))}
                        </p>
                        <Show when=move || editable(ws)>
                            <button
                                type="button"
                                class="link-button"
                                aria-label=label.clone()
                                on:click={
                                    let set_done = set_done.clone();
                                    let id = id.clone();
                                    move |_| set_done(id.clone(), !done)
                                }
                            >
                                {if done { "Mark not done" } else { "Mark done" }}
                            </button>
                        </Show>
                    </li>
                }
            })
            .collect_view()
    };
    let risk_for_form = risk.clone();
    view! {
        <div class="treatment-actions">
            <h4>"Treatment actions"</h4>
            {problem_notice(problem)}
            <Show
                when=move || !actions.with(Vec::is_empty)
                fallback=|| view! { <p class="muted">"No treatment actions yet."</p> }
            >
                <ul class="treatment-list" aria-label=move || format!("Treatment actions of “{}”", title.get())>
                    {list.clone()}
                </ul>
            </Show>
            <Show when=move || adding.get()>
                <TreatmentActionForm risk=risk_for_form.clone() on_save=add on_cancel=close/>
            </Show>
            <Show when=move || editable(ws) && !adding.get()>
                <button
                    type="button"
                    node_ref=add_button
                    aria-label=move || format!("Add treatment action to “{}”", title.get())
                    on:click=move |_| adding.set(true)
                >
                    "Add treatment action"
                </button>
            </Show>
        </div>
    }
}

/// The form that adds a treatment action to a risk.
#[component]
fn TreatmentActionForm(
    /// The risk's id (for unique element ids).
    risk: String,
    /// Saves the draft; a refusal shows at the fields.
    on_save: Callback<TreatmentActionDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let title = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let resources = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    crate::ui::form::focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = TreatmentActionDraft {
            title: title.get_untracked(),
            owner: owner.get_untracked(),
            resources: resources.get_untracked(),
            due: due.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let field_id = |what: &str| format!("action-{risk}-{what}");
    view! {
        <form class="card form record-form treatment-form" aria-label="New treatment action" novalidate node_ref=form_ref on:submit=submit on:keydown=cancel_on_escape(on_cancel)>
            <TextField id=field_id("title") label="What is to be done" value=title node_ref=first error=errors.field(Field::TreatmentTitle)/>
            <div class="field-row">
                <SelectField id=field_id("owner") label="Who does it" value=owner options=people_options(ws) empty="Choose…" error=errors.field(Field::TreatmentOwner)/>
                <TextField id=field_id("due") label="Due date" placeholder="YYYY-MM-DD" value=due error=errors.field(Field::TreatmentDue)/>
            </div>
            <TextField id=field_id("resources") label="Resources needed" optional=true hint="Money, time or tools it needs." value=resources error=errors.field(Field::TreatmentResources)/>
            <FormActions errors=errors save="Save treatment action" on_cancel=on_cancel/>
        </form>
    }
}

// ---------------------------------------------------------------------------
// The risk criteria (6.1.2 a).

/// The criteria in force with their approval (or the defaults), the drafts
/// of a next version, and the form that drafts or changes one.
#[component]
fn CriteriaCard() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let drafting = RwSignal::new(false);
    let editing = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let draft_button = NodeRef::<leptos::html::Button>::new();
    let drafts = Memo::new(move |_| {
        ws.state.read(&[Area::Criteria], |s| {
            criteria_in_order(s)
                .into_iter()
                .filter(|(_, c)| !c.is_approved())
                .map(|(id, c)| (id.clone(), c.clone()))
                .collect::<Vec<_>>()
        })
    });
    let add = Callback::new(move |draft: CriteriaDraft| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_criteria_version(&draft, now)
        })
        .map(|_| {
            drafting.set(false);
            problem.set(None);
        })
    });
    let close = Callback::new(move |()| {
        drafting.set(false);
        focus_later(draft_button);
    });
    let approve = move |id: String| {
        let outcome = ws.run(&profile.author(), |doc, now| doc.approve_criteria(&id, now));
        if outcome.is_ok() {
            // The draft's buttons are gone: the focus goes back to the card's own.
            focus_later(draft_button);
        }
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let discard = move |id: String| {
        let outcome = ws.run(&profile.author(), |doc, now| {
            doc.delete_criteria_version(&id, now)
        });
        if outcome.is_ok() {
            focus_later(draft_button);
        }
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let start_from = move || {
        ws.state.untracked(|s| match criteria_in_force(s) {
            Some((_, c)) => CriteriaDraft::from_version(c),
            None => CriteriaDraft::defaults(),
        })
    };
    let draft_list = move || {
        drafts
            .get()
            .into_iter()
            .map(|(id, version)| {
                let number = version.number;
                let (edit_id, approve_id, discard_id) = (id.clone(), id.clone(), id.clone());
                let is_editing = {
                    let id = id.clone();
                    move || editing.with(|e| e.as_deref() == Some(id.as_str()))
                };
                let save = {
                    let id = id.clone();
                    Callback::new(move |draft: CriteriaDraft| {
                        ws.run(&profile.author(), |doc, now| {
                            doc.edit_criteria_version(&id, &draft, now)
                        })
                        .map(|()| editing.set(None))
                    })
                };
                let initial = CriteriaDraft::from_version(&version);
                let summary = version.clone();
                view! {
                    <li class="record criteria-draft" aria-label=format!("Draft version {number}")>
                        <Show
                            when=is_editing.clone()
                            fallback=move || {
                                let (edit_id, approve_id, discard_id) = (edit_id.clone(), approve_id.clone(), discard_id.clone());
                                view! {
                                    <h4>{format!("Draft version {number}")}" "<span class="badge open">"Not approved yet"</span></h4>
                                    <CriteriaSummary criteria=summary.clone()/>
                                    <Show when=move || editable(ws)>
                                        <div class="item-actions">
                                            <button type="button" class="primary" on:click={
                                                let approve_id = approve_id.clone();
                                                move |_| approve(approve_id.clone())
                                            }>{format!("Approve version {number}")}</button>
                                            <button type="button" aria-label=format!("Edit draft version {number}") on:click={
                                                let edit_id = edit_id.clone();
                                                move |_| editing.set(Some(edit_id.clone()))
                                            }>"Edit"</button>
                                            <button type="button" class="danger" aria-label=format!("Discard draft version {number}") on:click={
                                                let discard_id = discard_id.clone();
                                                move |_| discard(discard_id.clone())
                                            }>"Discard"</button>
                                        </div>
                                    </Show>
                                }
                            }
                        >
                            <CriteriaForm
                                name=format!("Edit draft version {number}")
                                initial=initial.clone()
                                on_save=save
                                on_cancel=Callback::new(move |()| editing.set(None))
                            />
                        </Show>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card criteria-card" aria-labelledby="criteria-heading">
            <div class="record-head">
                <div>
                    <h3 id="criteria-heading">"Risk criteria"</h3>
                    <p class="muted">"How likelihood and consequence are rated, which level is acceptable, and who may accept a higher one (clause 6.1.2 a). Top management approves each version."</p>
                </div>
                <Show when=move || editable(ws) && !drafting.get()>
                    <button type="button" node_ref=draft_button on:click=move |_| { editing.set(None); drafting.set(true); }>
                        "Draft a new version"
                    </button>
                </Show>
            </div>
            {problem_notice(problem)}
            <CriteriaInForce/>
            <Show when=move || drafting.get()>
                <CriteriaForm name="New version of the risk criteria".to_owned() initial=start_from() on_save=add on_cancel=close/>
            </Show>
            <Show when=move || !drafts.with(Vec::is_empty)>
                <ul class="record-list" aria-label="Drafts of the risk criteria">
                    {draft_list}
                </ul>
            </Show>
        </section>
    }
}

/// The criteria in force (or the defaults, said plainly) with their approval.
#[component]
pub(crate) fn CriteriaInForce() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let workspace = ws.id();
    let in_force = Memo::new(move |_| {
        ws.state.read(
            &[
                Area::Criteria,
                Area::People,
                Area::Meta,
                Area::Keys,
                Area::Roles,
            ],
            |s| {
                criteria_in_force(s).map(|(id, c)| {
                    let approval = c.approval.as_ref().map(|a| {
                        (
                            criteria_verdict(s, &workspace, id, c),
                            name_of(s, &a.person),
                            a.at,
                        )
                    });
                    (c.clone(), approval)
                })
            },
        )
    });
    move || {
        match in_force.get() {
        Some((criteria, approval)) => {
            let note = approval.map(|(verdict, by, at)| {
                let recorded = format!("Approved by {by} on {}", locale::day_at(at));
                view! { <SignatureNote verdict recorded/> }
            });
            view! {
                <div class="criteria-in-force">
                    <p class="criteria-title"><strong>{format!("Version {} in force", criteria.number)}</strong></p>
                    {note}
                    <CriteriaSummary criteria=criteria/>
                </div>
            }
            .into_any()
        }
        None => view! {
            <div class="criteria-in-force">
                <p class="criteria-title"><strong>"No version approved yet"</strong></p>
                <p class="muted">"Until top management approves a version, risks are rated on these default scales."</p>
                <CriteriaSummary criteria=crate::workspace::risks::default_criteria()/>
            </div>
        }
        .into_any(),
    }
    }
}

/// A version's scales, threshold and acceptance authorities, in words.
#[component]
pub(crate) fn CriteriaSummary(
    /// The version to show.
    criteria: CriteriaVersion,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let max = criteria.max_level();
    let threshold = criteria.threshold;
    let authorities = ws.state.read(&[Area::Roles], |s| {
        criteria
            .authority
            .iter()
            .map(|a| {
                let role = s
                    .roles
                    .get(&a.role)
                    .map_or("A role no longer on record", |r| r.kind.label());
                format!("{role} may accept residual levels up to {}.", a.up_to)
            })
            .collect::<Vec<_>>()
    });
    let scale = |labels: &[String]| {
        labels
            .iter()
            .map(|l| view! { <li>{l.clone()}</li> })
            .collect_view()
    };
    view! {
        <div class="criteria-scales">
            <div>
                <p class="scale-name">"Likelihood"</p>
                <ol aria-label="Likelihood scale">{scale(&criteria.likelihood)}</ol>
            </div>
            <div>
                <p class="scale-name">"Consequence"</p>
                <ol aria-label="Consequence scale">{scale(&criteria.consequence)}</ol>
            </div>
        </div>
        <p>
            {format!(
                "A risk's level is its likelihood × consequence, from 1 to {max}. Levels up to {threshold} are acceptable without treatment; above {threshold} a risk must be treated, or accepted by someone with the authority."
            )}
        </p>
        {if authorities.is_empty() {
            view! { <p>"No role may accept a residual level above the threshold."</p> }.into_any()
        } else {
            view! { <ul class="authorities">{authorities.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul> }.into_any()
        }}
    }
}

/// The form that drafts or changes a version of the risk criteria: the
/// scales one level per line, the threshold, and the highest level each
/// role may accept.
#[component]
fn CriteriaForm(
    /// The form's accessible name.
    name: String,
    /// The values it opens with.
    initial: CriteriaDraft,
    /// Saves the draft; a refusal shows at the fields.
    on_save: Callback<CriteriaDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let prefix = id_prefix("criteria", name.starts_with("New"));
    let likelihood = RwSignal::new(initial.likelihood.join("\n"));
    let consequence = RwSignal::new(initial.consequence.join("\n"));
    let threshold = RwSignal::new(initial.threshold.clone());
    let authority = RwSignal::new(initial.authority.clone());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let lines = |text: String| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = CriteriaDraft {
            likelihood: lines(likelihood.get_untracked()),
            consequence: lines(consequence.get_untracked()),
            threshold: threshold.get_untracked(),
            authority: authority
                .get_untracked()
                .into_iter()
                .filter(|(_, up_to)| !up_to.trim().is_empty())
                .collect(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let roles = role_options(ws);
    let authority_error = errors.field(Field::CriteriaAuthority);
    let authority_message = format!("{prefix}-authority-message");
    let authority_rows = {
        let prefix = prefix.clone();
        let authority_message = authority_message.clone();
        move || {
            roles
                .get()
                .into_iter()
                .map(|(role, label)| {
                    let input_id = format!("{prefix}-authority-{role}");
                    let value = {
                        let role = role.clone();
                        move || {
                            authority.with(|a| {
                                a.iter()
                                    .find(|(r, _)| *r == role)
                                    .map(|(_, n)| n.clone())
                                    .unwrap_or_default()
                            })
                        }
                    };
                    let set = {
                        let role = role.clone();
                        move |ev| {
                            let typed = event_target_value(&ev);
                            authority.update(|a| {
                                a.retain(|(r, _)| *r != role);
                                if !typed.trim().is_empty() {
                                    a.push((role.clone(), typed));
                                }
                            });
                        }
                    };
                    view! {
                        <div class="field authority-field">
                            <label for=input_id.clone()>{format!("{label}: highest level it may accept")}</label>
                            <input
                                id=input_id
                                type="text"
                                inputmode="numeric"
                                prop:value=value
                                on:input=set
                                aria-invalid=move || authority_error.with(Option::is_some).to_string()
                                aria-describedby=authority_message.clone()
                            />
                        </div>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <form class="card form record-form criteria-form" aria-label=name novalidate node_ref=form_ref on:submit=submit on:keydown=cancel_on_escape(on_cancel)>
            <div class="field-row">
                <TextField id=format!("{prefix}-likelihood") label="Likelihood levels" multiline=true hint="One per line, lowest first: 3 to 7 levels." value=likelihood error=errors.field(Field::CriteriaLikelihood)/>
                <TextField id=format!("{prefix}-consequence") label="Consequence levels" multiline=true hint="One per line, lowest first: 3 to 7 levels." value=consequence error=errors.field(Field::CriteriaConsequence)/>
            </div>
            <TextField id=format!("{prefix}-threshold") label="Acceptance threshold" inputmode="numeric" hint="The highest level acceptable without treatment." value=threshold error=errors.field(Field::CriteriaThreshold)/>
            <fieldset class="authorities-field">
                <legend>"Who may accept a level above the threshold" <span class="optional">" (optional)"</span></legend>
                <p class="hint">"Leave a role empty if it may not accept risks above the threshold."</p>
                <Show when=move || !roles.with(Vec::is_empty) fallback=|| view! { <p class="muted">"Add roles on People and roles first."</p> }>
                    {authority_rows.clone()}
                </Show>
                <p id=authority_message.clone() class="field-message error">{move || authority_error.get()}</p>
            </fieldset>
            <FormActions errors=errors save="Save draft" on_cancel=on_cancel/>
        </form>
    }
}
