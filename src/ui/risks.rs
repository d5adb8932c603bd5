//! The risk register (`/risks`, clauses 6.1.2, 6.1.3, 8.2, 8.3): the heat
//! map of inherent or residual ratings whose cells filter the list, each
//! risk with its levels against the threshold, its treatment and controls,
//! and the owner's signed acceptance, flagged when what it accepted changed.

use leptos::prelude::*;

use crate::ui::form::{
    AddButton, ChoiceList, EmptyState, FormActions, FormErrors, SelectField, TextField,
    cancel_on_escape, editable, focus_later, people_options, problem_notice,
};
use crate::ui::signatures::SignatureNote;
use crate::ui::{OpenWorkspace, Profile};
use crate::workspace::changes::Area;
use crate::workspace::risks::{
    Band, Property, Risk, RiskDraft, TreatmentOption, Which, band, cell_of, criteria_or_default,
    heatmap, reapproval_reasons, risks_in_order, verify_acceptance,
};
use crate::workspace::signing::Trust;
use crate::workspace::{CommandError, Field};

/// What the register reads: the risks, the criteria, people for names,
/// the SoA (added controls) and the keys and roles for signatures.
const RISK_AREAS: [Area; 6] = [
    Area::Risks,
    Area::Criteria,
    Area::People,
    Area::Meta,
    Area::Keys,
    Area::Roles,
];

/// The risk register of the open workspace.
#[component]
pub fn RisksSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let residual = RwSignal::new(false);
    let cell = RwSignal::new(None::<(usize, usize)>);
    let problem = RwSignal::new(None::<String>);
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
                adding.set(false);
                focus_later(add_button);
            })
    });
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
                <AddButton label="Add risk" adding=adding node_ref=add_button on_click=Callback::new(move |()| adding.set(true))/>
            </div>
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <RiskForm on_save=add on_cancel=Callback::new(move |()| { adding.set(false); focus_later(add_button); })/>
            </Show>
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
                    {move || ids.get().into_iter().map(|id| view! { <RiskItem id=id problem=problem/> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn RiskItem(id: String, problem: RwSignal<Option<String>>) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let workspace = ws.id();
    let view_of = {
        let id = id.clone();
        move || {
            ws.state.read(&RISK_AREAS, |s| {
                let risk: Risk = s.risks.get(&id)?.clone();
                let (_, criteria) = criteria_or_default(s);
                let owner = s
                    .people
                    .get(&risk.owner)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let reasons = reapproval_reasons(s, &risk);
                let pinned = crate::storage::keys::pinned_founder(&workspace, &s.meta.founder);
                let verdict = risk.acceptance.as_ref().map(|a| {
                    let trust = Trust {
                        founder: &s.meta.founder,
                        pinned: pinned.as_deref(),
                        keys: &s.keys,
                        roles: &s.roles,
                    };
                    (verify_acceptance(&trust, &id, a), a.at)
                });
                Some((risk, owner, criteria.threshold, reasons, verdict))
            })
        }
    };
    let accept = {
        let id = id.clone();
        move |_| {
            let outcome = ws.run(&profile.author(), |doc, now| doc.accept_risk(&id, now));
            problem.set(outcome.err().map(|e| e.to_string()));
        }
    };
    let record_id = format!("record-{id}");
    move || {
        let (risk, owner, threshold, reasons, verdict) = view_of()?;
        let inherent = risk.inherent.level();
        let residual = risk.residual.level();
        let above = band(residual, threshold) == Band::AboveThreshold;
        let properties: Vec<&str> = risk.properties.iter().map(|p| p.label()).collect();
        let title = risk.title.clone();
        let accept_label = format!("Accept the risk “{title}” as its owner");
        let acceptance = verdict.map(|(verdict, at)| {
            let recorded = format!("Accepted by {owner} on {}", crate::ui::locale::day_at(at));
            view! { <SignatureNote verdict recorded/> }
        });
        let flagged = risk.acceptance.is_some() && !reasons.is_empty();
        let accept = accept.clone();
        Some(view! {
            <li class="record" id=record_id.clone() aria-label=title.clone()>
                <div class="record-head">
                    <div>
                        <h3 class="record-name">{title.clone()}</h3>
                        <p class="record-detail">{format!("{} · owner {owner} · {}", risk.asset, properties.join(", "))}</p>
                    </div>
                    <span class=if above { "badge warn" } else { "badge ok" }>
                        {format!("Residual {residual}{}", if above { ", above the threshold" } else { "" })}
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
                {acceptance}
                {flagged.then(|| view! {
                    <p class="notice warning">{format!("Needs accepting again: {}.", reasons.join(", "))}</p>
                })}
                <div class="item-actions" class:hidden=move || !editable(ws)>
                    <button type="button" aria-label=accept_label on:click=accept>
                        {if flagged { "Accept again" } else { "Accept" }}
                    </button>
                </div>
            </li>
        })
    }
}

#[component]
fn RiskForm(
    on_save: Callback<RiskDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let title = RwSignal::new(String::new());
    let asset = RwSignal::new(String::new());
    let threat = RwSignal::new(String::new());
    let vulnerability = RwSignal::new(String::new());
    let properties = RwSignal::new(Vec::<String>::new());
    let owner = RwSignal::new(String::new());
    let il = RwSignal::new(String::new());
    let ic = RwSignal::new(String::new());
    let rl = RwSignal::new(String::new());
    let rc = RwSignal::new(String::new());
    let treatment = RwSignal::new(String::new());
    let controls = RwSignal::new(String::new());
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
            reassess_by: String::new(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let scale = |labels: fn(&crate::workspace::risks::CriteriaVersion) -> &Vec<String>| {
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
        <form class="card form record-form" aria-label="New risk" novalidate node_ref=form_ref on:submit=submit on:keydown=cancel_on_escape(on_cancel)>
            <TextField id="risk-title".into() label="Risk" value=title error=errors.field(Field::RiskTitle)/>
            <div class="field-row">
                <TextField id="risk-asset".into() label="Asset or scenario" value=asset error=errors.field(Field::RiskAsset)/>
                <TextField id="risk-threat".into() label="Threat" value=threat error=errors.field(Field::RiskThreat)/>
            </div>
            <TextField id="risk-vulnerability".into() label="Vulnerability" optional=true value=vulnerability error=errors.field(Field::RiskVulnerability)/>
            <ChoiceList legend="What it threatens" options=property_options chosen=properties empty=""/>
            <p class="field-message error" role="alert">{move || errors.field(Field::RiskProperties).get()}</p>
            <SelectField id="risk-owner".into() label="Risk owner" value=owner options=people_options(ws) empty="Choose…" error=errors.field(Field::RiskOwner)/>
            <div class="field-row">
                <SelectField id="risk-il".into() label="Inherent likelihood" value=il options=likelihoods empty="Choose…" error=errors.field(Field::RiskInherentLikelihood)/>
                <SelectField id="risk-ic".into() label="Inherent consequence" value=ic options=consequences empty="Choose…" error=errors.field(Field::RiskInherentConsequence)/>
            </div>
            <div class="field-row">
                <SelectField id="risk-rl".into() label="Residual likelihood" value=rl options=likelihoods empty="Choose…" error=errors.field(Field::RiskResidualLikelihood)/>
                <SelectField id="risk-rc".into() label="Residual consequence" value=rc options=consequences empty="Choose…" error=errors.field(Field::RiskResidualConsequence)/>
            </div>
            <SelectField id="risk-treatment".into() label="Treatment" value=treatment options=treatments empty="Choose…" error=Signal::derive(|| None::<String>)/>
            <TextField id="risk-controls".into() label="Controls" optional=true hint="Annex A numbers, separated by commas: 5.15, 8.7." value=controls error=errors.field(Field::RiskControls)/>
            <FormActions errors=errors save="Save risk" on_cancel=on_cancel/>
        </form>
    }
}
