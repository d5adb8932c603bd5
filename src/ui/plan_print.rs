//! The implementation plan as a document (`/plan/print`): every stage with
//! its owner, dates, status, where it stands (done, or how many days
//! overdue or slipping), what it waits for and the record it produces
//! with whether that is approved; then the timeline.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::ui::plan_stages::{PLAN_AREAS, TimelineChart};
use crate::ui::{OpenWorkspace, counted, locale, now, today};
use crate::workspace::changes::Area;
use crate::workspace::measurements::day_number;
use crate::workspace::model::Workspace;
use crate::workspace::plan::{
    Produces, StageState, produced_name, record_approved, slippage, stages_in_order, state_of,
};

/// One stage as printed.
#[derive(Debug, Clone, PartialEq)]
struct PrintedStage {
    title: String,
    owner: String,
    start: String,
    deadline: String,
    status: &'static str,
    standing: String,
    waits_for: String,
    produces: String,
    approved: &'static str,
}

/// Every stage in the plan's order, as on `today`.
fn printed_stages(s: &Workspace, today: &str) -> Vec<PrintedStage> {
    stages_in_order(&s.stages)
        .into_iter()
        .map(|(id, stage)| {
            let state = state_of(s, stage, today);
            let mut standing = state.label().to_owned();
            if state == StageState::Overdue
                && let (Some(due), Some(now)) = (day_number(&stage.deadline), day_number(today))
            {
                standing = format!(
                    "Overdue by {}",
                    counted((now - due) as usize, "day", "days")
                );
            }
            if state != StageState::Done
                && let Some(days) = slippage(s, id)
            {
                standing.push_str(&format!(
                    "; slipping {}",
                    counted(days as usize, "day", "days")
                ));
            }
            let waits: Vec<&str> = stage
                .depends_on
                .iter()
                .filter_map(|d| s.stages.get(d).map(|d| d.title.as_str()))
                .collect();
            let nothing = Produces::parse(&stage.produces) == Produces::Nothing;
            PrintedStage {
                title: stage.title.clone(),
                owner: s
                    .people
                    .get(&stage.owner)
                    .map_or_else(String::new, |p| p.name.clone()),
                start: locale::date(&stage.start),
                deadline: locale::date(&stage.deadline),
                status: stage.status.label(),
                standing,
                waits_for: waits.join(", "),
                produces: if nothing {
                    "—".to_owned()
                } else {
                    produced_name(s, &stage.produces)
                },
                approved: match (nothing, record_approved(s, &stage.produces)) {
                    (true, _) => "—",
                    (false, true) => "Yes",
                    (false, false) => "No",
                },
            }
        })
        .collect()
}

/// The printable implementation plan.
#[component]
pub fn PlanPrintPage() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let base =
        use_params_map().with_untracked(|p| format!("/w/{}", p.get("id").unwrap_or_default()));
    let organisation = Memo::new(move |_| {
        ws.state
            .read(&[Area::Meta], |s| s.meta.organisation.clone())
    });
    let stages = Memo::new(move |_| {
        let day = today();
        ws.state.read(&PLAN_AREAS, |s| printed_stages(s, &day))
    });
    let printed = locale::moment(now());
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <article class="pack plan-print" aria-label=move || format!("Implementation plan of {}", organisation.get())>
            <p class="back no-print">
                <a href=format!("{base}/plan")>"Back to the plan"</a>
                " "
                <button type="button" on:click=print>"Print"</button>
            </p>
            <section class="pack-cover">
                <p class="eyebrow">{move || organisation.get()}</p>
                <h2>"Implementation plan"</h2>
                <p class="pack-subtitle">"The stages of bringing the ISMS to ISO/IEC 27001 certification. A stage counts as done once the record it produces is approved."</p>
                <dl class="facts">
                    <div class="fact"><dt>"Printed"</dt><dd>{printed}</dd></div>
                    <div class="fact"><dt>"Stages"</dt><dd>{move || stages.with(Vec::len)}</dd></div>
                </dl>
            </section>
            <section class="pack-page" aria-labelledby="plan-print-stages">
                <h3 id="plan-print-stages">"Stages"</h3>
                <Show
                    when=move || !stages.with(Vec::is_empty)
                    fallback=|| view! { <p class="muted">"The plan has no stages yet."</p> }
                >
                    // Scrolls sideways on a phone, and takes the focus so a keyboard can scroll it.
                    <div class="table-scroll" role="region" aria-label="Stages, scrollable" tabindex="0">
                        <table class="pack-table plan-print-table" aria-label="Stages">
                            <thead>
                                <tr>
                                    <th scope="col">"Stage"</th>
                                    <th scope="col">"Owner"</th>
                                    <th scope="col">"Start"</th>
                                    <th scope="col">"Deadline"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Where it stands"</th>
                                    <th scope="col">"Waits for"</th>
                                    <th scope="col">"Produces"</th>
                                    <th scope="col">"Approved"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || stages
                                    .get()
                                    .into_iter()
                                    .map(|st| view! {
                                        <tr>
                                            <th scope="row">{st.title}</th>
                                            <td>{st.owner}</td>
                                            <td>{st.start}</td>
                                            <td>{st.deadline}</td>
                                            <td>{st.status}</td>
                                            <td>{st.standing}</td>
                                            <td>{st.waits_for}</td>
                                            <td>{st.produces}</td>
                                            <td>{st.approved}</td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                </Show>
            </section>
            <section class="pack-page" aria-labelledby="plan-print-timeline">
                <h3 id="plan-print-timeline">"Timeline"</h3>
                <TimelineChart/>
            </section>
        </article>
    }
}
