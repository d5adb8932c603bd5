//! The risk register on paper (`/risks/print`): the organisation, the day
//! printed, the risk criteria in force with their approval, and one table
//! of every risk with its ratings, treatment, controls, treatment actions,
//! acceptance and reassessment date. The header row repeats on each page.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::ui::risks::{
    CriteriaInForce, RISK_AREAS, acceptance_verdict, actions_in_order, assessed_under, name_of,
    rating_text,
};
use crate::ui::{OpenWorkspace, locale};
use crate::workspace::risks::{
    Band, band, criteria_or_default, reapproval_reasons, risks_in_order,
};
use crate::workspace::signing::Verdict;

/// One treatment action as the table shows it.
#[derive(Clone, PartialEq)]
struct ActionLine {
    title: String,
    owner: String,
    due: String,
    state: &'static str,
}

/// One risk as the table shows it.
#[derive(Clone, PartialEq)]
struct Row {
    title: String,
    asset: String,
    threat: String,
    vulnerability: String,
    properties: String,
    owner: String,
    inherent: String,
    residual: String,
    above: bool,
    treatment: String,
    under: String,
    actions: Vec<ActionLine>,
    controls: String,
    acceptance: String,
    reassess_by: String,
}

/// The printable risk register of the open workspace.
#[component]
pub fn RiskRegisterPrint() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let params = use_params_map();
    let workspace = ws.id();
    let back = params.with_untracked(|p| format!("/w/{}/risks", p.get("id").unwrap_or_default()));
    let register = Memo::new(move |_| {
        let today = crate::ui::today();
        ws.state.read(&RISK_AREAS, |s| {
            let (_, criteria) = criteria_or_default(s);
            let threshold = criteria.threshold;
            let rows = risks_in_order(s)
                .into_iter()
                .map(|(id, r)| {
                    let reasons = reapproval_reasons(s, r);
                    let acceptance = match &r.acceptance {
                        None => "Not accepted".to_owned(),
                        Some(a) => {
                            let check = match acceptance_verdict(s, &workspace, id, a) {
                                Verdict::Verified { .. } => "signature verified",
                                Verdict::Unverified(_) => "signature not verified",
                            };
                            let mut text = format!(
                                "Accepted by {} on {}, {check}",
                                name_of(s, &a.person),
                                locale::day_at(a.at)
                            );
                            if !reasons.is_empty() {
                                text.push_str(&format!(
                                    ". Needs accepting again: {}",
                                    reasons.join(", ")
                                ));
                            }
                            text
                        }
                    };
                    let properties: Vec<&str> = r.properties.iter().map(|p| p.letter()).collect();
                    Row {
                        title: r.title.clone(),
                        asset: r.asset.clone(),
                        threat: r.threat.clone(),
                        vulnerability: r.vulnerability.clone(),
                        properties: properties.join(" "),
                        owner: name_of(s, &r.owner),
                        inherent: rating_text(r.inherent),
                        residual: rating_text(r.residual),
                        above: band(r.residual.level(), threshold) == Band::AboveThreshold,
                        treatment: r.treatment.label().to_owned(),
                        under: format!("Assessed under {}.", assessed_under(s, &r.criteria)),
                        actions: actions_in_order(r)
                            .into_iter()
                            .map(|(_, a)| ActionLine {
                                title: a.title.clone(),
                                owner: name_of(s, &a.owner),
                                due: locale::date(&a.due),
                                state: if a.done {
                                    "done"
                                } else if a.overdue(&today) {
                                    "overdue"
                                } else {
                                    "open"
                                },
                            })
                            .collect(),
                        controls: if r.controls.is_empty() {
                            "None".to_owned()
                        } else {
                            r.controls.join(", ")
                        },
                        acceptance,
                        reassess_by: if r.reassess_by.is_empty() {
                            "Not set".to_owned()
                        } else {
                            locale::date(&r.reassess_by)
                        },
                    }
                })
                .collect::<Vec<_>>();
            (s.meta.organisation.clone(), rows)
        })
    });
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let printed = locale::day_at(crate::ui::now());
    move || {
        let (organisation, rows) = register.get();
        let count = rows.len();
        view! {
            <article class="pack risk-print" aria-label="Risk register for printing">
                <p class="back no-print">
                    <a href=back.clone()>"Back to the risk register"</a>
                    " "
                    <button type="button" on:click=print>"Print"</button>
                </p>
                <p class="eyebrow">{organisation}</p>
                <h2>"Risk register"</h2>
                <p class="pack-subtitle">
                    {format!("ISO/IEC 27001, clauses 6.1.2, 6.1.3 and 8.2 · printed on {printed} · {}", crate::ui::counted(count, "risk", "risks"))}
                </p>
                <section class="risk-print-criteria" aria-labelledby="print-criteria-heading">
                    <h3 id="print-criteria-heading">"Risk criteria"</h3>
                    <CriteriaInForce/>
                </section>
                <h3 id="print-register-heading">"Risks"</h3>
                {if rows.is_empty() {
                    view! { <p class="muted">"No risks recorded yet."</p> }.into_any()
                } else {
                    view! {
                        // Scrolls sideways on a phone, and takes the focus so a keyboard can scroll it.
                        <div class="table-scroll" role="region" aria-label="Risk register table, scrollable" tabindex="0">
                            <table class="pack-table risk-table" aria-labelledby="print-register-heading">
                                <thead>
                                    <tr>
                                        <th scope="col">"Ref"</th>
                                        <th scope="col">"Risk"</th>
                                        <th scope="col">"Asset"</th>
                                        <th scope="col">"Threat"</th>
                                        <th scope="col">"Vulnerability"</th>
                                        <th scope="col"><abbr title="Confidentiality, integrity, availability">"C/I/A"</abbr></th>
                                        <th scope="col">"Owner"</th>
                                        <th scope="col">"Inherent L × C"</th>
                                        <th scope="col">"Treatment and actions"</th>
                                        <th scope="col">"Controls"</th>
                                        <th scope="col">"Residual L × C"</th>
                                        <th scope="col">"Acceptance"</th>
                                        <th scope="col">"Reassess by"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, row)| view! {
                                            <tr>
                                                <td>{format!("R{}", i + 1)}</td>
                                                <th scope="row">{row.title}</th>
                                                <td>{row.asset}</td>
                                                <td>{row.threat}</td>
                                                <td>{row.vulnerability}</td>
                                                <td>{row.properties}</td>
                                                <td>{row.owner}</td>
                                                <td>{row.inherent}</td>
                                                <td>
                                                    {row.treatment}
                                                    <span class="print-under">{row.under}</span>
                                                    {(!row.actions.is_empty()).then(|| view! {
                                                        <ul class="print-actions">
                                                            {row.actions.into_iter().map(|a| view! {
                                                                <li>{format!("{} — {}, due {}, {}", a.title, a.owner, a.due, a.state)}</li>
                                                            }).collect_view()}
                                                        </ul>
                                                    })}
                                                </td>
                                                <td>{row.controls}</td>
                                                <td>
                                                    {row.residual}
                                                    {row.above.then_some(" (above the threshold)")}
                                                </td>
                                                <td>{row.acceptance}</td>
                                                <td>{row.reassess_by}</td>
                                            </tr>
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }}
            </article>
        }
    }
}
