//! The stage 1 dossier as a document (`/dossier`): every document and
//! record a certification body asks for at stage 1, each with its record,
//! how fresh it is, who approved it and what is missing. Printable.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::{OpenWorkspace, counted, locale, now};
use crate::workspace::changes::Area;
use crate::workspace::dossier::{DossierRow, dossier};

/// The areas the dossier reads.
const DOSSIER_AREAS: [Area; 14] = [
    Area::Meta,
    Area::People,
    Area::Scopes,
    Area::Policies,
    Area::Criteria,
    Area::Risks,
    Area::SoaVersions,
    Area::Objectives,
    Area::Competence,
    Area::Audits,
    Area::Reviews,
    Area::Nonconformities,
    Area::Roles,
    Area::Certificates,
];

/// The printable stage 1 dossier.
#[component]
pub fn DossierPage() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let base = format!("/w/{}", ws.id());
    let organisation = Memo::new(move |_| {
        ws.state
            .read(&[Area::Meta], |s| s.meta.organisation.clone())
    });
    let rows = Memo::new(move |_| ws.state.read(&DOSSIER_AREAS, dossier));
    let gaps = move || rows.with(|r| r.iter().filter(|r| r.has_gaps()).count());
    let printed = locale::moment(now());
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let back = format!("{base}/certification");
    view! {
        <article class="pack dossier" aria-label=move || format!("Stage 1 dossier of {}", organisation.get())>
            <p class="back no-print">
                <A href=back>"Back to certification"</A>
                " "
                <button type="button" on:click=print>"Print"</button>
            </p>
            <section class="pack-cover">
                <p class="eyebrow">{move || organisation.get()}</p>
                <h2>"Stage 1 dossier"</h2>
                <p class="pack-subtitle">"What a certification body asks for at the stage 1 audit of ISO/IEC 27001"</p>
                <dl class="facts">
                    <div class="fact"><dt>"Printed"</dt><dd>{printed}</dd></div>
                    <div class="fact">
                        <dt>"Items with gaps"</dt>
                        <dd>{move || format!("{} of {}", gaps(), rows.with(Vec::len))}</dd>
                    </div>
                </dl>
                {move || (gaps() == 0).then(|| view! {
                    <p class="notice success">"Every item has its record."</p>
                })}
            </section>
            <ol class="dossier-items" aria-label="Documents and records">
                {move || {
                    rows.get()
                        .into_iter()
                        .map(|row| view! { <DossierItemView row=row base=base.clone()/> })
                        .collect_view()
                }}
            </ol>
        </article>
    }
}

/// One item of the dossier.
#[component]
fn DossierItemView(
    /// The item with its record and gaps.
    row: DossierRow,
    /// The workspace's address, which the links extend.
    base: String,
) -> impl IntoView {
    let label = row.item.label();
    let heading = format!("{label} (clause {})", row.item.clause());
    let approvable = row.item.is_approved();
    let record = row.record.map(|r| {
        let title = if r.link.is_empty() {
            view! { <A href=base.clone()>{r.title.clone()}</A> }.into_any()
        } else {
            view! { <A href=format!("{base}/{}", r.link)>{r.title.clone()}</A> }.into_any()
        };
        view! {
            <dl class="facts dossier-facts">
                <div class="fact"><dt>"Record"</dt><dd>{title}</dd></div>
                <div class="fact">
                    <dt>"Last changed or approved"</dt>
                    <dd>{r.fresh.as_deref().map_or_else(|| "Not known".to_owned(), locale::date)}</dd>
                </div>
                {approvable.then(|| view! {
                    <div class="fact">
                        <dt>"Approved by"</dt>
                        <dd>{r.approved_by.clone().unwrap_or_else(|| "Not approved yet".to_owned())}</dd>
                    </div>
                })}
            </dl>
        }
    });
    let gap_count = row.gaps.len();
    let gaps = (gap_count > 0).then(|| {
        view! {
            <ul class="dossier-gaps" aria-label=format!("Gaps in {label}")>
                {row.gaps.into_iter().map(|g| view! { <li class="notice warning">{g}</li> }).collect_view()}
            </ul>
        }
    });
    let status = if gap_count > 0 {
        counted(gap_count, "gap", "gaps")
    } else {
        "Record present".to_owned()
    };
    view! {
        <li class="card dossier-item" class:has-gaps={gap_count > 0}>
            <h3>{heading}</h3>
            <p class="muted dossier-status">{status}</p>
            {record}
            {gaps}
        </li>
    }
}
