//! The executive dashboard: where the ISMS stands, in figures a chief
//! executive reads in ten seconds. Every figure links to the list behind it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::ui::locale;
use crate::ui::{OpenWorkspace, counted, today};
use crate::workspace::Health;
use crate::workspace::changes::Area;
use crate::workspace::commitment::Duty;
use crate::workspace::overview::{Overview, spent_percent};
use crate::workspace::policies::{PolicyInForce, PolicyStatus};

/// The overview section of the open workspace.
#[component]
pub fn DashboardSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let params = use_params_map();
    let base = move || format!("/w/{}", params.with(|p| p.get("id").unwrap_or_default()));
    let day = today();
    let overview = {
        let day = day.clone();
        Memo::new(move |_| {
            ws.state.read(
                &[
                    Area::Objectives,
                    Area::Policies,
                    Area::Raci,
                    Area::Roles,
                    Area::Budget,
                    Area::Trainings,
                    Area::People,
                    Area::Commitment,
                    Area::Competence,
                    Area::Meta,
                    Area::Reviews,
                    Area::Actions,
                    Area::Risks,
                    Area::Criteria,
                    Area::Soa,
                    Area::Certificates,
                    Area::Nonconformities,
                ],
                |s| Overview::of(s, &day),
            )
        })
    };
    // For the browser benchmarks: the overview's figures are built; the mark
    // is set in the next frame, once they are in the page.
    request_animation_frame(|| crate::ui::mark("charter:overview-ready"));
    view! {
        <section class="dashboard" aria-labelledby="dashboard-heading">
            <div class="section-head">
                <div>
                    <h2 id="dashboard-heading">"Overview"</h2>
                    <p class="muted">{format!("Where the ISMS stands today, {}.", locale::date(&day))}</p>
                </div>
            </div>
            <div class="tiles">
                <ObjectivesTile overview=overview base=Signal::derive(base)/>
                <AttentionTile overview=overview base=Signal::derive(base)/>
                <BudgetTile overview=overview base=Signal::derive(base)/>
                <PoliciesTile overview=overview base=Signal::derive(base)/>
                <TrainingTile overview=overview base=Signal::derive(base)/>
                <CommitmentTile overview=overview base=Signal::derive(base)/>
                <ReviewTile overview=overview base=Signal::derive(base)/>
                <RisksTile overview=overview base=Signal::derive(base)/>
                <ControlsTile overview=overview base=Signal::derive(base)/>
                <CertificationTile overview=overview base=Signal::derive(base)/>
            </div>
        </section>
    }
}

/// A dashboard tile: a titled card.
#[component]
fn Tile(
    /// The tile's heading, also its accessible name.
    title: &'static str,
    /// Its contents.
    children: Children,
) -> impl IntoView {
    view! {
        <section class="tile card" aria-label=title>
            <h3>{title}</h3>
            {children()}
        </section>
    }
}

/// Objectives by health, as links and a bar.
#[component]
fn ObjectivesTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace\'s address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    let bar = move || {
        let o = overview.get();
        let total = o.objectives.max(1) as f64;
        let mut x = 0.0;
        let parts = Health::ALL
            .into_iter()
            .map(|h| {
                let width = o.with_health(h) as f64 * 100.0 / total;
                let part = view! {
                    <rect class=format!("bar-{}", h.slug()) x=x y="0" width=width height="10"/>
                };
                x += width;
                part
            })
            .collect_view();
        let label = Health::ALL
            .into_iter()
            .map(|h| format!("{} {}", o.with_health(h), h.label().to_lowercase()))
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=label>
                <rect class="bar-empty" x="0" y="0" width="100" height="10"/>
                {parts}
            </svg>
        }
    };
    view! {
        <Tile title="Objectives">
            <p class="headline">
                <A href=move || base.get()>
                    {move || counted(overview.with(|o| o.objectives), "objective", "objectives")}
                </A>
            </p>
            {bar}
            <ul class="figures">
                {Health::ALL
                    .into_iter()
                    .map(|h| {
                        view! {
                            <li class=format!("figure-{}", h.slug())>
                                <A href=move || format!("{}?health={}", base.get(), h.slug())>
                                    {move || {
                                        format!("{} {}", overview.with(|o| o.with_health(h)), h.label().to_lowercase())
                                    }}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Tile>
    }
}

/// What asks for top management's attention now.
#[component]
fn AttentionTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace\'s address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    let items = move || {
        let o = overview.get();
        let base = base.get();
        let policy = match &o.policy_in_force {
            PolicyInForce::None => Some("No information security policy is in force".to_owned()),
            PolicyInForce::Several(titles) => Some(format!(
                "{} information security policies are in force",
                titles.len()
            )),
            PolicyInForce::One {
                changed: Some(true),
                version,
                ..
            } => Some(format!(
                "The information security policy's text differs from version {version}, the one approved"
            )),
            PolicyInForce::One { .. } => None,
        };
        let policy = policy.map(|text| (1, text, format!("{base}/policies")));
        let review = o
            .review
            .due
            .as_ref()
            .filter(|_| o.review.overdue)
            .map(|due| {
                (
                    1,
                    format!(
                        "The management review is overdue (due {})",
                        locale::date(due)
                    ),
                    format!("{base}/reviews"),
                )
            });
        policy
            .into_iter()
            .chain(review)
            .chain([
                (
                    o.overdue,
                    counted(o.overdue, "overdue objective", "overdue objectives"),
                    format!("{base}?overdue=yes"),
                ),
                (
                    o.measurements_due,
                    counted(
                        o.measurements_due,
                        "objective due for measurement",
                        "objectives due for measurement",
                    ),
                    format!("{base}?measure=due"),
                ),
                (
                    o.policies_due,
                    counted(
                        o.policies_due,
                        "policy due for review",
                        "policies due for review",
                    ),
                    format!("{base}/policies?review=due"),
                ),
                (
                    o.raci_warnings,
                    counted(
                        o.raci_warnings,
                        "activity without one accountable role",
                        "activities without one accountable role",
                    ),
                    format!("{base}/roles#raci"),
                ),
                (
                    o.competence_gaps,
                    counted(
                        o.competence_gaps,
                        "role holder without evidence of the competence needed",
                        "role holders without evidence of the competence needed",
                    ),
                    format!("{base}/roles#competence"),
                ),
                (
                    o.awaiting_approval,
                    counted(
                        o.awaiting_approval,
                        "budget line awaiting approval",
                        "budget lines awaiting approval",
                    ),
                    format!("{base}/resources"),
                ),
                (
                    o.risks_above,
                    counted(
                        o.risks_above,
                        "risk above the acceptance threshold",
                        "risks above the acceptance threshold",
                    ),
                    format!("{base}/risks"),
                ),
                (
                    o.treatment_overdue,
                    counted(
                        o.treatment_overdue,
                        "risk treatment action overdue",
                        "risk treatment actions overdue",
                    ),
                    format!("{base}/risks"),
                ),
                (
                    o.corrective_overdue,
                    counted(
                        o.corrective_overdue,
                        "corrective action of a nonconformity overdue",
                        "corrective actions of nonconformities overdue",
                    ),
                    format!("{base}/audits#nonconformities"),
                ),
                (
                    o.actions_overdue,
                    counted(
                        o.actions_overdue,
                        "overdue action from management reviews",
                        "overdue actions from management reviews",
                    ),
                    format!("{base}/actions"),
                ),
            ])
            .filter(|(n, _, _)| *n > 0)
            .map(|(_, text, href)| view! { <li><A href=href>{text}</A></li> })
            .collect_view()
    };
    view! {
        <Tile title="Needs attention">
            <Show
                when=move || overview.with(Overview::needs_attention)
                fallback=|| view! { <p class="all-clear">"Nothing is overdue or waiting for a decision."</p> }
            >
                <ul class="figures attention">{items}</ul>
            </Show>
        </Tile>
    }
}

/// This year's budget: approved against spent, per currency.
#[component]
fn BudgetTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace\'s address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    let href = move || format!("{}/resources", base.get());
    let totals = move || {
        overview
            .get()
            .budget
            .into_iter()
            .map(|t| {
                let percent = spent_percent(&t);
                let width = percent.unwrap_or(0).clamp(0, 100);
                let overspent = t.spent > t.approved;
                let approved = locale::money(t.approved, &t.currency);
                let spent = locale::money(t.spent, &t.currency);
                let (approved_name, spent_name) =
                    (format!("Approved {approved}"), format!("Spent {spent}"));
                view! {
                    <dl class="money">
                        <div>
                            <dt>"Approved"</dt>
                            <dd><A href=href attr:aria-label=approved_name>{approved}</A></dd>
                        </div>
                        <div>
                            <dt>"Spent"</dt>
                            <dd><A href=href attr:aria-label=spent_name>{spent}</A></dd>
                        </div>
                    </dl>
                    <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                        <rect class="bar-empty" x="0" y="0" width="100" height="10"/>
                        <rect class=if overspent { "bar-off-track" } else { "bar-spent" } x="0" y="0" width=width height="10"/>
                    </svg>
                    <p class="muted">
                        {match percent {
                            Some(p) if overspent => {
                                format!("Overspent: {} of what was approved.", locale::percent(p as f64))
                            }
                            Some(p) => format!("{} of the approved budget is spent.", locale::percent(p as f64)),
                            None => "Nothing approved yet.".to_owned(),
                        }}
                    </p>
                }
            })
            .collect_view()
    };
    view! {
        <Tile title="Budget">
            <p class="muted">{move || format!("Budget year {}", overview.with(|o| o.year))}</p>
            <Show
                when=move || overview.with(|o| !o.budget.is_empty())
                fallback=move || view! {
                    <p class="muted">"No budget lines for this year yet. "<A href=href>"Plan the budget"</A></p>
                }
            >
                {totals}
            </Show>
        </Tile>
    }
}

/// Policies by status, and those due for review.
#[component]
fn PoliciesTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace\'s address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    let href = move || format!("{}/policies", base.get());
    view! {
        <Tile title="Policies">
            <p class="headline">
                <A href=href>
                    {move || {
                        let o = overview.get();
                        match o.policies_by_status.iter().sum::<usize>() {
                            0 => "No policies yet".to_owned(),
                            all => format!("{} of {all} published", o.in_status(PolicyStatus::Published)),
                        }
                    }}
                </A>
            </p>
            <p class="in-force">
                {move || match overview.with(|o| o.policy_in_force.clone()) {
                    PolicyInForce::One { title, version, .. } => format!("In force: {title}, version {version}"),
                    PolicyInForce::None => "No information security policy in force".to_owned(),
                    PolicyInForce::Several(titles) => format!("In force: {}", titles.join(" and ")),
                }}
            </p>
            <ul class="figures">
                {[PolicyStatus::Approved, PolicyStatus::InReview, PolicyStatus::Draft]
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li>
                                <A href=href>
                                    {move || format!("{} {}", overview.with(|o| o.in_status(s)), s.label().to_lowercase())}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>
                <A href=move || format!("{}?review=due", href())>
                    {move || counted(overview.with(|o| o.policies_due), "policy due for review", "policies due for review")}
                </A>
            </p>
        </Tile>
    }
}

/// Training completion over the mandatory programmes.
#[component]
fn TrainingTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace\'s address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    let href = move || format!("{}/training", base.get());
    view! {
        <Tile title="Training and awareness">
            <p class="headline">
                // The name starts with the figure shown, then says what it is (WCAG 2.5.3).
                <A
                    href=href
                    attr:aria-label=move || format!("{} training completion", training_figure(overview))
                >
                    {move || training_figure(overview)}
                </A>
            </p>
            <p class="muted">
                {move || {
                    format!(
                        "Completion of the mandatory programmes · {}",
                        counted(overview.with(|o| o.programmes), "programme", "programmes"),
                    )
                }}
            </p>
        </Tile>
    }
}

/// The training tile's figure: completion in %, or that no one is due.
fn training_figure(overview: Memo<Overview>) -> String {
    match overview.with(|o| o.training) {
        Some(p) => locale::percent(p),
        None => "No one is due yet".to_owned(),
    }
}

/// The commitment tile's figure: "5 of 8".
fn duties_figure(overview: Memo<Overview>) -> String {
    let c = overview.with(|o| o.commitment);
    format!("{} of {}", c.confirmed, c.total)
}

/// The 5.1 checklist's progress.
#[component]
fn CommitmentTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace\'s address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    let href = move || format!("{}/commitment", base.get());
    view! {
        <Tile title="Leadership commitment">
            <p class="headline">
                <A
                    href=href
                    attr:aria-label=move || format!("{} leadership duties confirmed", duties_figure(overview))
                >
                    {move || duties_figure(overview)}
                </A>
            </p>
            <p class="muted">
                {move || {
                    let c = overview.with(|o| o.commitment);
                    format!(
                        "duties of clause 5.1 confirmed by top management; {} of {} have evidence.",
                        c.evidenced,
                        Duty::ALL.len(),
                    )
                }}
            </p>
        </Tile>
    }
}

/// The management review: when the next is due, and the open actions.
#[component]
fn ReviewTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace's address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    let line = move || {
        let o = overview.get();
        match (&o.review.due, o.review.overdue) {
            (Some(due), true) => format!("Overdue: it was due on {}", locale::date(due)),
            (Some(due), false) => format!("Next review due {}", locale::date(due)),
            (None, _) => "No review planned and no interval set".to_owned(),
        }
    };
    let actions = move || {
        let o = overview.get();
        format!(
            "{}, {} overdue",
            counted(o.actions_open, "open action", "open actions"),
            o.actions_overdue
        )
    };
    view! {
        <Tile title="Management review">
            <p class="figure-line" class:warning-text=move || overview.with(|o| o.review.overdue)>{line}</p>
            <p><A href=move || format!("{}/actions", base.get())>{actions}</A></p>
            <p><A href=move || format!("{}/reviews", base.get())>"Reviews and schedule"</A></p>
        </Tile>
    }
}

/// The highest risks above the acceptance threshold, each linked to its
/// record in the register.
#[component]
fn RisksTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace's address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    let summary = move || {
        overview.with(|o| match (o.risks, o.risks_above) {
            (0, _) => "No risks in the register yet.".to_owned(),
            (n, 0) => format!("All {n} risks are within the acceptance threshold."),
            (n, 1) => format!("1 of {n} risks is above the acceptance threshold."),
            (n, above) => format!("{above} of {n} risks are above the acceptance threshold."),
        })
    };
    let more = move || {
        overview.with(|o| {
            let more = o.risks_above.saturating_sub(o.top_risks.len());
            (more > 0).then(|| format!("and {more} more"))
        })
    };
    view! {
        <Tile title="Top risks">
            <p>{summary}</p>
            {move || {
                let top = overview.with(|o| o.top_risks.clone());
                (!top.is_empty()).then(|| {
                let items = top.into_iter().map(|r| {
                    let href = format!("{}/risks#record-{}", base.get_untracked(), r.id);
                    let detail = if r.owner.is_empty() {
                        format!("residual {}", r.level)
                    } else {
                        format!("residual {} · {}", r.level, r.owner)
                    };
                    view! {
                        <li>
                            <A href=href>{r.title}</A>
                            <span class="muted">{format!(" — {detail}")}</span>
                        </li>
                    }
                }).collect_view();
                view! { <ol class="top-risks" aria-label="Risks above the acceptance threshold">{items}</ol> }
            })
            }}
            {move || more().map(|m| view! { <p class="muted">{m}</p> })}
            <p><A href=move || format!("{}/risks", base.get())>"Risk register"</A></p>
        </Tile>
    }
}

/// The Statement of Applicability's progress.
#[component]
fn ControlsTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace's address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    let decided = move || {
        overview.with(|o| format!("{} of {} controls decided", o.controls_decided, o.controls))
    };
    let implemented = move || overview.with(|o| format!("{} implemented", o.controls_implemented));
    view! {
        <Tile title="Statement of Applicability">
            <p><A href=move || format!("{}/soa", base.get())>{decided}</A></p>
            <p class="figure-line">{implemented}</p>
        </Tile>
    }
}

/// The certification cycle's next milestone, warned of at 90 days and
/// urgent at 30.
#[component]
fn CertificationTile(
    /// The figures to show.
    overview: Memo<Overview>,
    /// The workspace's address, which the links extend.
    base: Signal<String>,
) -> impl IntoView {
    use crate::workspace::certification::Urgency;
    let figure = move || overview.with(|o| o.certification.clone());
    let line = move || match figure() {
        None => "No certificate recorded".to_owned(),
        Some(f) => match f.next {
            Some(m) => format!("Next: {}, closes on {}", m.what, locale::date(&m.closes)),
            None => "Every window of the cycle has an audit held or planned.".to_owned(),
        },
    };
    let urgency = move || figure().and_then(|f| f.urgency);
    view! {
        <Tile title="Certification">
            <p
                class="figure-line"
                class:warning-text=move || urgency() == Some(Urgency::Soon)
                class:urgent-text=move || urgency() == Some(Urgency::Urgent)
            >
                <A href=move || format!("{}/certification", base.get())>{line}</A>
            </p>
            {move || (urgency() == Some(Urgency::Urgent)).then(|| view! { <p class="urgent-text">"Urgent: 30 days or fewer left."</p> })}
            {move || (urgency() == Some(Urgency::Soon)).then(|| view! { <p class="warning-text">"Soon: 90 days or fewer left."</p> })}
        </Tile>
    }
}
