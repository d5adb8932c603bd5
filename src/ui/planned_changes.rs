//! Planning of changes (clause 6.3), at the end of the plan page
//! (`/plan#changes`): each change to the ISMS with its purpose and possible
//! consequences, its effect on the ISMS, the resources and who is
//! responsible; top management's signed approval; and the review once it is
//! made. A management review's decision about a change opens the form
//! prefilled (`/plan?from=<review>/<decision>#changes`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::ui::form::{
    AddButton, EmptyState, FormActions, FormErrors, SelectField, TextField, cancel_on_escape,
    editable, focus_button_labelled, focus_later, focus_on_open, follow_links, people_options,
    problem_notice, scroll_to_fragment, scroll_to_record,
};
use crate::ui::locale;
use crate::ui::signatures::{SignatureNote, verdict};
use crate::ui::{OpenWorkspace, Profile, today};
use crate::workspace::changes::Area;
use crate::workspace::planned_changes::{
    ChangeDraft, ChangeState, PlannedChange, change_digest, change_for_decision,
    changes_newest_first, decision_ref, draft_from_decision,
};
use crate::workspace::signing::Act;
use crate::workspace::{CommandError, Field};

/// One change as the list shows it.
#[derive(Clone, PartialEq)]
struct ChangeRow {
    id: String,
    change: PlannedChange,
    /// The responsible person's name.
    responsible: String,
}

/// The address of the open workspace's pages ("/w/<id>").
fn base(ws: OpenWorkspace) -> String {
    format!("/w/{}", ws.id())
}

/// The planned changes to the ISMS, with the form to plan one.
#[component]
pub fn PlannedChangesSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let query = use_query_map();
    let adding = RwSignal::new(false);
    let draft = RwSignal::new(ChangeDraft::default());
    let add_button = NodeRef::<leptos::html::Button>::new();
    scroll_to_fragment();
    let rows = Memo::new(move |_| {
        ws.state.read(&[Area::PlannedChanges, Area::People], |s| {
            changes_newest_first(s)
                .into_iter()
                .map(|(id, c)| ChangeRow {
                    id: id.clone(),
                    change: c.clone(),
                    responsible: s.people.get(&c.responsible).map_or_else(
                        || "someone no longer in People".to_owned(),
                        |p| p.name.clone(),
                    ),
                })
                .collect::<Vec<_>>()
        })
    });
    // A decision's "Plan this change" opens the form prefilled, once per
    // decision, and not when the change is planned already.
    let opened_for = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let Some(from) = query.with(|q| q.get("from")) else {
            return;
        };
        if opened_for.with_value(|f| f.as_deref() == Some(from.as_str())) || !editable(ws) {
            return;
        }
        let prefilled = ws.state.read(&[Area::Reviews, Area::PlannedChanges], |s| {
            let (review, decision) = from.split_once('/')?;
            if change_for_decision(s, review, decision).is_some() {
                return None;
            }
            draft_from_decision(s, &from)
        });
        if let Some(prefilled) = prefilled {
            opened_for.set_value(Some(from));
            draft.set(prefilled);
            adding.set(true);
        }
    });
    let close = Callback::new(move |()| {
        adding.set(false);
        draft.set(ChangeDraft::default());
        focus_later(add_button);
    });
    let add = Callback::new(move |typed: ChangeDraft| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_planned_change(&typed, now)
        })
        .map(|id| {
            adding.set(false);
            draft.set(ChangeDraft::default());
            scroll_to_record(&id);
        })
    });
    view! {
        <section class="planned-changes" id="changes" aria-labelledby="changes-heading">
            <div class="section-head">
                <div>
                    <h2 id="changes-heading">"Planned changes"</h2>
                    <p class="muted">
                        "A change to the ISMS is planned before it is made (ISO/IEC 27001, clause 6.3): why it is made and what it could affect, how the ISMS keeps working meanwhile, what it needs and who is responsible. Top management approves it, and it is reviewed once made."
                    </p>
                </div>
                <AddButton
                    label="Plan a change"
                    adding=adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| {
                        draft.set(ChangeDraft::default());
                        adding.set(true);
                    })
                />
            </div>
            <Show when=move || adding.get()>
                <ChangeForm draft=draft.get_untracked() on_save=add on_cancel=close/>
            </Show>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! {
                    <EmptyState
                        title="No changes planned yet"
                        hint="When the ISMS is to change (a new scope, a new supplier for a key service, a reorganised team), plan the change here. A management review's decision about a change can be planned from the review."
                        hidden=adding
                    />
                }
            >
                <ul class="record-list change-list" aria-label="Planned changes">
                    {move || {
                        rows.get()
                            .into_iter()
                            .map(|row| view! { <ChangeItem row=row/> })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </section>
    }
}

/// The review decision a change comes from, as a link to the review.
fn decision_link(ws: OpenWorkspace, from: &str) -> Option<AnyView> {
    let (review, decision) = from.split_once('/')?;
    let (reference, text) = ws.state.record(Area::Reviews, review, |s| {
        let r = s.reviews.get(review)?;
        Some((r.reference.clone(), r.decisions.get(decision)?.text.clone()))
    })?;
    let href = format!("{}/reviews/{review}#decisions", base(ws));
    Some(view! { <A href=href>{format!("Management review {reference}: “{text}”")}</A> }.into_any())
}

/// A text, or "None stated".
fn stated(text: &str) -> AnyView {
    if text.trim().is_empty() {
        view! { <dd class="unset">"None stated"</dd> }.into_any()
    } else {
        view! { <dd class="pre">{text.to_owned()}</dd> }.into_any()
    }
}

#[component]
fn ChangeItem(row: ChangeRow) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let ChangeRow {
        id,
        change,
        responsible,
    } = row;
    follow_links(&id, || {});
    let problem = RwSignal::new(None::<String>);
    let asking = RwSignal::new(false);
    let reviewing = RwSignal::new(false);
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_ref.get() {
            let _ = button.focus();
        }
    });
    let title = change.title.clone();
    let state = change.state();
    let (badge, badge_class) = match state {
        ChangeState::Proposed => ("Awaiting approval", "badge warn"),
        ChangeState::Approved => ("Approved", "badge ok"),
        ChangeState::Reviewed => ("Reviewed", "badge ok"),
    };
    let approval = change.approval.clone().map(|a| {
        let digest = change_digest(&change);
        let act = Act::ChangeApproval {
            change: &id,
            digest: &digest,
        };
        let verdict = verdict(ws, &act, a.signature.as_ref());
        let name = crate::ui::form::person_name(ws, &a.person)
            .unwrap_or_else(|| "someone no longer in People".to_owned());
        let recorded = format!("Approved by {name} on {}", locale::day_at(a.at));
        view! { <SignatureNote verdict recorded/> }
    });
    let review = change.review.clone().map(|r| {
        view! {
            <div class="change-review">
                <p class="record-detail">{format!("Reviewed on {} by {}", locale::date(&r.date), r.by)}</p>
                <p class="pre">{r.outcome}</p>
            </div>
        }
    });
    let from = decision_link(ws, &change.from_decision).map(|link| {
        view! { <div class="fact"><dt>"Decided at"</dt><dd>{link}</dd></div> }
    });
    let approve_label = format!("Approve the change “{title}”");
    let question = format!("Approve the change “{title}”?");
    let review_label = format!("Record the review afterwards: {title}");
    let approve = {
        let id = id.clone();
        let review_label = review_label.clone();
        move || {
            asking.set(false);
            let outcome = ws.run(&profile.author(), |doc, now| {
                doc.approve_planned_change(&id, now)
            });
            match outcome {
                Ok(()) => {
                    problem.set(None);
                    focus_button_labelled(review_label.clone());
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
        }
    };
    let approve = StoredValue::new(approve);
    let save_review = {
        let id = id.clone();
        Callback::new(move |(date, outcome): (String, String)| {
            let id = id.clone();
            ws.run(&profile.author(), |doc, now| {
                doc.review_planned_change(&id, &date, &outcome, &today(), now)
            })
            .map(|()| scroll_to_record(&id))
        })
    };
    let close_review = {
        let review_label = review_label.clone();
        Callback::new(move |()| {
            reviewing.set(false);
            focus_button_labelled(review_label.clone());
        })
    };
    let form_title = StoredValue::new(title.clone());
    let question = StoredValue::new(question);
    let approve_label = StoredValue::new(approve_label);
    // "Not yet" (or Escape) puts the focus back on Approve.
    let not_yet = move || {
        asking.set(false);
        focus_button_labelled(approve_label.get_value());
    };
    let review_label = StoredValue::new(review_label);
    view! {
        <li class="record change" id=format!("record-{id}") aria-label=title.clone()>
            <div class="record-head">
                <div>
                    <h3 class="record-name">{title.clone()}</h3>
                    <p class="record-detail">
                        {format!("Planned on {}", locale::day_at(change.created_at))}
                    </p>
                </div>
                <span class=badge_class>{badge}</span>
            </div>
            <dl class="change-facts">
                <div class="fact"><dt>"Purpose"</dt>{stated(&change.purpose)}</div>
                <div class="fact"><dt>"Possible consequences"</dt>{stated(&change.consequences)}</div>
                <div class="fact"><dt>"Effect on the ISMS"</dt>{stated(&change.integrity)}</div>
                <div class="fact"><dt>"Resources"</dt>{stated(&change.resources)}</div>
                <div class="fact"><dt>"Responsible"</dt><dd>{responsible.clone()}</dd></div>
                {from}
            </dl>
            {approval}
            {(state == ChangeState::Proposed).then(|| view! {
                <p class="muted">"Waiting for top management's approval before it is made."</p>
            })}
            {review}
            {problem_notice(problem)}
            <Show when=move || state == ChangeState::Proposed && editable(ws)>
                <div class="item-actions" class:hidden=move || asking.get()>
                    <button type="button" aria-label=approve_label.get_value() on:click=move |_| asking.set(true)>
                        "Approve"
                    </button>
                </div>
                <Show when=move || asking.get()>
                    <div
                        class="confirm"
                        role="group"
                        aria-label=question.get_value()
                        on:keydown=move |ev| {
                            if ev.key() == "Escape" {
                                ev.prevent_default();
                                not_yet();
                            }
                        }
                    >
                        <p>{question.get_value()}" Top management approves a change before it is made; the approval is signed with this browser's key."</p>
                        <div class="actions">
                            <button
                                type="button"
                                class="primary"
                                node_ref=confirm_ref
                                on:click=move |_| approve.with_value(|a| a())
                            >
                                "Approve change"
                            </button>
                            <button type="button" on:click=move |_| not_yet()>"Not yet"</button>
                        </div>
                    </div>
                </Show>
            </Show>
            <Show when=move || state == ChangeState::Approved && editable(ws)>
                <div class="item-actions" class:hidden=move || reviewing.get()>
                    <button type="button" aria-label=review_label.get_value() on:click=move |_| reviewing.set(true)>
                        "Record the review afterwards"
                    </button>
                </div>
                <Show when=move || reviewing.get()>
                    <ReviewForm title=form_title.get_value() on_save=save_review on_cancel=close_review/>
                </Show>
            </Show>
        </li>
    }
}

/// The form for a new change, opened empty or prefilled from a decision.
#[component]
fn ChangeForm(
    draft: ChangeDraft,
    on_save: Callback<ChangeDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let title = RwSignal::new(draft.title);
    let purpose = RwSignal::new(draft.purpose);
    let consequences = RwSignal::new(draft.consequences);
    let integrity = RwSignal::new(draft.integrity);
    let resources = RwSignal::new(draft.resources);
    let responsible = RwSignal::new(draft.responsible);
    let from_decision = draft.from_decision;
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let from_note = decision_link(ws, &from_decision).map(|link| {
        view! { <p class="notice info from-decision">"Planned from the decision of "{link}</p> }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = ChangeDraft {
            title: title.get_untracked(),
            purpose: purpose.get_untracked(),
            consequences: consequences.get_untracked(),
            integrity: integrity.get_untracked(),
            resources: resources.get_untracked(),
            responsible: responsible.get_untracked(),
            from_decision: from_decision.clone(),
        };
        errors.show(on_save.run(typed), form_ref);
    };
    view! {
        <form
            class="card form record-form"
            aria-label="New planned change"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            {from_note}
            <TextField id="change-title".into() label="What changes" value=title error=errors.field(Field::ChangeTitle) node_ref=first/>
            <TextField id="change-purpose".into() label="Purpose" hint="Why the change is made." multiline=true value=purpose error=errors.field(Field::ChangePurpose)/>
            <TextField id="change-consequences".into() label="Possible consequences" hint="What the change could affect or break." multiline=true value=consequences error=errors.field(Field::ChangeConsequences)/>
            <TextField id="change-integrity".into() label="Effect on the ISMS" hint="How the ISMS keeps working and protecting information while it changes." multiline=true value=integrity error=errors.field(Field::ChangeIntegrity)/>
            <TextField id="change-resources".into() label="Resources" optional=true hint="Budget, people, time, tools." multiline=true value=resources error=errors.field(Field::ChangeResources)/>
            <SelectField id="change-responsible".into() label="Responsible" value=responsible options=people_options(ws) empty="Choose…" error=errors.field(Field::ChangeResponsible)/>
            <FormActions errors=errors save="Save change" on_cancel=on_cancel/>
        </form>
    }
}

/// The review of a change once made: the day and what it found.
#[component]
fn ReviewForm(
    title: String,
    on_save: Callback<(String, String), Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let date = RwSignal::new(today());
    let outcome = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.show(
            on_save.run((date.get_untracked(), outcome.get_untracked())),
            form_ref,
        );
    };
    let prefix = crate::ui::form::id_prefix("change-review", false);
    view! {
        <form
            class="form record-form"
            aria-label=format!("Review of “{title}”")
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField id=format!("{prefix}-date") label="Day of the review" placeholder="YYYY-MM-DD" value=date error=errors.field(Field::ChangeReviewDate) node_ref=first/>
            <TextField id=format!("{prefix}-outcome") label="What the review found" hint="Did the change achieve its purpose? Did it affect anything else?" multiline=true value=outcome error=errors.field(Field::ChangeOutcome)/>
            <FormActions errors=errors save="Save review" on_cancel=on_cancel/>
        </form>
    }
}

/// Under a management review's decision about a change to the ISMS: "Plan
/// this change" (the plan page's form, prefilled), or "Change planned"
/// linking to it once it exists.
#[component]
pub fn PlanChangeLink(
    /// The review's id.
    review: String,
    /// The decision's id.
    decision: String,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let planned = Memo::new({
        let (review, decision) = (review.clone(), decision.clone());
        move |_| {
            ws.state.read(&[Area::PlannedChanges], |s| {
                change_for_decision(s, &review, &decision).cloned()
            })
        }
    });
    let from = decision_ref(&review, &decision);
    move || match planned.get() {
        Some(id) => {
            let href = format!("{}/plan#record-{id}", base(ws));
            Some(
                view! { <A href=href attr:class="decision-change">"Change planned"</A> }.into_any(),
            )
        }
        None => editable(ws).then(|| {
            let href = format!("{}/plan?from={from}#changes", base(ws));
            view! { <A href=href attr:class="decision-change">"Plan this change"</A> }.into_any()
        }),
    }
}
