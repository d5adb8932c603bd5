//! The Statement of Applicability as a document (`/soa/print`): the
//! organisation, the version in force and whether its signature verifies
//! (or "Draft — not approved"), the day it is printed, then every control
//! per theme with its decision, reasons or justification, implementation,
//! owner and evidence. Each theme starts a page, and a table's header row
//! repeats on every printed page.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::ui::locale;
use crate::ui::signatures::SignatureNote;
use crate::ui::soa::{VERSION_AREAS, version_rows};
use crate::ui::{OpenWorkspace, counted, now};
use crate::workspace::changes::Area;
use crate::workspace::model::Workspace;
use crate::workspace::soa::{Applicability, Reason, Theme, soa_rows};

/// One control as printed.
#[derive(Debug, Clone, PartialEq)]
struct PrintedRow {
    id: String,
    theme: Theme,
    title: String,
    decision: Applicability,
    why: String,
    status: String,
    owner: String,
    evidence: String,
}

/// Every control as the document prints it, in the list's order.
fn printed_rows(s: &Workspace) -> Vec<PrintedRow> {
    soa_rows(s)
        .into_iter()
        .map(|row| {
            let e = &row.entry;
            let decision = Applicability::of(e);
            let why = match decision {
                Applicability::Applicable => {
                    let risks: Vec<&str> = row
                        .risks
                        .iter()
                        .filter_map(|r| s.risks.get(r).map(|r| r.title.as_str()))
                        .collect();
                    let mut reasons: Vec<String> = e
                        .reasons
                        .iter()
                        .map(|r| match r {
                            Reason::RiskTreatment if !risks.is_empty() => {
                                format!("{} ({})", r.label(), risks.join("; "))
                            }
                            _ => r.label().to_owned(),
                        })
                        .collect();
                    if !e.justification.trim().is_empty() {
                        reasons.push(e.justification.clone());
                    }
                    reasons.join(". ")
                }
                Applicability::Excluded => e.justification.clone(),
                Applicability::Undecided => String::new(),
            };
            PrintedRow {
                theme: row.theme,
                title: row.title.clone(),
                decision,
                why,
                status: match decision {
                    Applicability::Applicable => e.status.label().to_owned(),
                    _ => "—".to_owned(),
                },
                owner: s
                    .people
                    .get(&e.owner)
                    .map_or_else(String::new, |p| p.name.clone()),
                evidence: e.evidence.clone(),
                id: row.id,
            }
        })
        .collect()
}

/// The printable Statement of Applicability.
#[component]
pub fn SoaPrintPage() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let params = use_params_map();
    let base = params.with_untracked(|p| format!("/w/{}", p.get("id").unwrap_or_default()));
    let workspace = ws.id();
    let organisation = Memo::new(move |_| {
        ws.state
            .read(&[Area::Meta], |s| s.meta.organisation.clone())
    });
    let version = Memo::new(move |_| {
        ws.state.read(&VERSION_AREAS, |s| {
            version_rows(s, &workspace).into_iter().next()
        })
    });
    let rows = Memo::new(move |_| {
        ws.state
            .read(&[Area::Soa, Area::Risks, Area::People], printed_rows)
    });
    let printed = locale::moment(now());
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <article class="pack soa-print" aria-label=move || format!("Statement of Applicability of {}", organisation.get())>
            <p class="back no-print">
                <a href=format!("{base}/soa")>"Back to the Statement of Applicability"</a>
                " "
                <button type="button" on:click=print>"Print"</button>
            </p>
            <section class="pack-cover">
                <p class="eyebrow">{move || organisation.get()}</p>
                <h2>"Statement of Applicability"</h2>
                <p class="pack-subtitle">"ISO/IEC 27001:2022, clause 6.1.3 d, and the controls of Annex A"</p>
                <dl class="facts">
                    <div class="fact">
                        <dt>"Version in force"</dt>
                        <dd>{move || match version.get() {
                            Some(v) => format!("Version {}, approved by {} on {}", v.number, v.approver, locale::day_at(v.at)),
                            None => "Draft — not approved".to_owned(),
                        }}</dd>
                    </div>
                    <div class="fact"><dt>"Printed"</dt><dd>{printed}</dd></div>
                    <div class="fact"><dt>"Controls"</dt><dd>{move || rows.with(Vec::len)}</dd></div>
                </dl>
                {move || match version.get() {
                    Some(v) => {
                        let recorded = format!("Version {} approved by {} on {}", v.number, v.approver, locale::day_at(v.at));
                        let changed = (v.changed > 0).then(|| view! {
                            <p class="notice warning">{format!(
                                "{} since version {}: this is the Statement as it stands today, not exactly as approved.",
                                counted(v.changed, "control has changed", "controls have changed"),
                                v.number
                            )}</p>
                        });
                        view! { <SignatureNote verdict=v.verdict recorded=recorded/> {changed} }.into_any()
                    }
                    None => view! { <p class="notice warning">"Draft — not approved: no version of the Statement of Applicability has been approved yet."</p> }.into_any(),
                }}
            </section>
            {Theme::ALL
                .into_iter()
                .map(|theme| {
                    let theme_rows = move || {
                        rows.with(|rows| rows.iter().filter(|r| r.theme == theme).cloned().collect::<Vec<_>>())
                    };
                    let heading = format!("soa-print-{}", theme.key());
                    let labelled_by = heading.clone();
                    view! {
                        <section class="pack-page soa-print-theme" aria-labelledby=labelled_by>
                            <h3 id=heading>{theme.label()}</h3>
                            // Scrolls sideways on a phone, and takes the focus so a keyboard can scroll it.
                            <div class="table-scroll" role="region" aria-label=format!("{}, scrollable", theme.label()) tabindex="0">
                                <table class="pack-table soa-print-table" aria-label=theme.label()>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Control"</th>
                                            <th scope="col">"Title"</th>
                                            <th scope="col">"Applicability"</th>
                                            <th scope="col">"Reasons or justification"</th>
                                            <th scope="col">"Implementation"</th>
                                            <th scope="col">"Owner"</th>
                                            <th scope="col">"Evidence"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {move || theme_rows()
                                            .into_iter()
                                            .map(|r| view! {
                                                <tr class=format!("soa-print-{}", r.decision.slug())>
                                                    <th scope="row">{r.id}</th>
                                                    <td>{r.title}</td>
                                                    <td>{r.decision.label()}</td>
                                                    <td>{r.why}</td>
                                                    <td>{r.status}</td>
                                                    <td>{r.owner}</td>
                                                    <td>{r.evidence}</td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }
                })
                .collect_view()}
        </article>
    }
}
