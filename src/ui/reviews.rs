//! Management reviews (clause 9.3): the schedule and the list of reviews
//! (`/reviews`), one review's workshop (`/reviews/:review`: the inputs with
//! their summaries and live notes, the agenda the chair leads, the minutes,
//! decisions, actions, conclusion and the chair's sign-off), its board pack
//! for printing (`/reviews/:review/pack`) and every action of every review
//! (`/actions`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::ui::form::{
    AddButton, ChoiceList, EmptyState, FormActions, FormErrors, SelectField, TextField,
    cancel_on_escape, editable, focus_later, focus_on_open, people_options, problem_notice,
};
use crate::ui::live_text::LiveText;
use crate::ui::locale;
use crate::ui::signatures::SignatureNote;
use crate::ui::{OpenWorkspace, Profile, now, today};
use crate::workspace::changes::Area;
use crate::workspace::model::sort_list;
use crate::workspace::reviews::{
    Action, ActionDraft, ActionStatus, ActionUpdateDraft, Conclusion, Decision, DecisionDraft,
    DecisionKind, Input, Review, ReviewDraft, SignOff, SignedReview, Summary, agenda_number,
    carried_actions, changed_after_signoff, changes_between, considered, current_content,
    period_of, raised_actions, review_markdown, reviews_in_order, role_problems, schedule,
    shared_references, signoff_blockers, summarise_inputs, verify_signoff,
};
use crate::workspace::signing::{Trust, Verdict};
use crate::workspace::text::LongText;
use crate::workspace::{CommandError, Field, Workspace};

/// Every area a review's page reads.
const REVIEW_AREAS: [Area; 3] = [Area::Reviews, Area::Actions, Area::People];

fn base_path() -> String {
    let params = use_params_map();
    params.with_untracked(|p| format!("/w/{}", p.get("id").unwrap_or_default()))
}

fn name_in(s: &Workspace, person: &str) -> String {
    s.people
        .get(person)
        .map_or_else(|| "Unknown person".to_owned(), |p| p.name.clone())
}

/// The notes field's label per input: the live editor takes static labels.
fn notes_label(input: Input) -> &'static str {
    match input {
        Input::A => "Notes on input (a)",
        Input::B => "Notes on input (b)",
        Input::C => "Notes on input (c)",
        Input::D => "Notes on input (d)",
        Input::E => "Notes on input (e)",
        Input::F => "Notes on input (f)",
        Input::G => "Notes on input (g)",
    }
}

/// Checks a sign-off against the founding key, keys and roles the state
/// holds (and the founder this browser pinned).
fn signoff_verdict(ws: OpenWorkspace, id: &str, signoff: &SignOff) -> Verdict {
    let workspace = ws.id();
    ws.state.read(&[Area::Meta, Area::Keys, Area::Roles], |s| {
        let pinned = crate::storage::keys::pinned_founder(&workspace, &s.meta.founder);
        verify_signoff(
            &Trust {
                founder: &s.meta.founder,
                pinned: pinned.as_deref(),
                keys: &s.keys,
                roles: &s.roles,
            },
            id,
            signoff,
        )
    })
}

/// The verdict in words, for the export and the pack.
fn verdict_words(ws: OpenWorkspace, verdict: &Verdict) -> String {
    match verdict {
        Verdict::Verified { person, key, .. } => {
            let name = ws.state.read(&[Area::People], |s| name_in(s, person));
            format!(
                "Signature verified: signed by {name} with key {}",
                crate::workspace::signing::fingerprint(key)
            )
        }
        Verdict::Unverified(why) => format!("Not verified: {}", why.message()),
    }
}

/// The person this browser's signing key is recorded for, if any.
fn my_person(ws: OpenWorkspace) -> Option<String> {
    let key = ws.device_public()?;
    ws.state
        .read(&[Area::Keys], |s| {
            s.keys.get(&key).map(|k| k.person.clone())
        })
        .filter(|p| !p.is_empty())
}

// ---------------------------------------------------------------------------
// The list and the schedule.

/// The management reviews of the open workspace.
#[component]
pub fn ReviewsSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let base = base_path();
    let navigate = leptos_router::hooks::use_navigate();
    let plan = {
        let base = base.clone();
        Callback::new(move |draft: ReviewDraft| {
            ws.run(&profile.author(), |doc, now| doc.plan_review(&draft, now))
                .map(|id| {
                    adding.set(false);
                    navigate(&format!("{base}/reviews/{id}"), Default::default());
                })
        })
    };
    let ids = Memo::new(move |_| {
        ws.state.read(&[Area::Reviews], |s| {
            let mut list: Vec<String> = reviews_in_order(s)
                .into_iter()
                .map(|(id, _)| id.clone())
                .collect();
            list.reverse();
            list
        })
    });
    let actions_href = format!("{base}/actions");
    view! {
        <section class="reviews" aria-labelledby="reviews-heading">
            <div class="section-head">
                <div>
                    <h2 id="reviews-heading">"Management reviews"</h2>
                    <p class="muted">
                        "Top management reviews the ISMS at planned intervals: the inputs of clause 9.3.2, the decisions and actions of 9.3.3, and whether the ISMS remains suitable, adequate and effective."
                    </p>
                </div>
                <div class="head-actions">
                    <A href=actions_href>"All actions"</A>
                    <AddButton
                        label="Plan a review"
                        adding=adding
                        node_ref=add_button
                        on_click=Callback::new(move |()| adding.set(true))
                    />
                </div>
            </div>
            <ScheduleCard/>
            <Show when=move || adding.get()>
                <ReviewForm
                    name="Plan a management review"
                    save="Plan review"
                    initial=ReviewDraft::default()
                    on_save=plan
                    on_cancel=Callback::new(move |()| {
                        adding.set(false);
                        focus_later(add_button);
                    })
                />
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState
                            title="No management reviews yet"
                            hint="Plan the first one: choose the day, the chair from top management and who attends. Charter prepares the inputs from the workspace."
                            hidden=adding
                        />
                    }
                }
            >
                <ul class="record-list review-list" aria-label="Management reviews">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| view! { <ReviewRow id=id/> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// Where a review stands, in a word for its badge.
/// "Signed" only when the signature verifies (`verified`).
fn standing(
    review: &Review,
    verified: bool,
    changed: bool,
    today: &str,
) -> (&'static str, &'static str) {
    match (&review.signoff, verified, changed) {
        (Some(_), false, _) => ("Signature not verified", "warn"),
        (Some(_), true, true) => ("Signed · changed since", "warn"),
        (Some(_), true, false) => ("Signed", "ok"),
        (None, ..) if review.date.as_str() >= today => ("Planned", "planned"),
        (None, ..) if !review.former.is_empty() => ("Revision open", "warn"),
        (None, ..) => ("Not signed", "warn"),
    }
}

#[component]
fn ReviewRow(id: String) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let base = base_path();
    let row = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state.read(&REVIEW_AREAS, |s| {
                s.reviews.get(&id).map(|r| {
                    let changed = !changed_after_signoff(s, &id, r).is_empty();
                    let verified = r.signoff.as_ref().is_some_and(|so| {
                        matches!(signoff_verdict(ws, &id, so), Verdict::Verified { .. })
                    });
                    let (label, class) = standing(r, verified, changed, &today());
                    (
                        r.reference.clone(),
                        r.date.clone(),
                        name_in(s, &r.chair),
                        label,
                        class,
                        r.decisions.len(),
                        raised_actions(s, &id).len(),
                    )
                })
            })
        })
    };
    let href = format!("{base}/reviews/{id}");
    move || {
        row.get().map(|(reference, date, chair, label, class, decisions, actions)| {
            view! {
                <li class="record review-row">
                    <div class="record-head">
                        <div>
                            <h3 class="record-name">
                                <a href=href.clone()>{format!("{reference} · {}", locale::date(&date))}</a>
                            </h3>
                            <p class="record-detail">
                                {format!(
                                    "Chaired by {chair} · {} · {}",
                                    crate::ui::counted(decisions, "decision", "decisions"),
                                    crate::ui::counted(actions, "action", "actions"),
                                )}
                            </p>
                        </div>
                        <span class=format!("badge {class}")>{label}</span>
                    </div>
                </li>
            }
        })
    }
}

/// How often reviews are held and when the next is due, with a warning
/// when it is overdue.
#[component]
fn ScheduleCard() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let plan = Memo::new(move |_| {
        ws.state
            .read(&[Area::Meta, Area::Reviews], |s| schedule(s, &today()))
    });
    let months = RwSignal::new(String::new());
    Effect::new(move |_| {
        months.set(
            plan.with(|p| p.every_months)
                .map(|m| m.to_string())
                .unwrap_or_default(),
        );
    });
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = months.get_untracked();
        let typed = typed.trim();
        let outcome = if typed.is_empty() {
            ws.run(&profile.author(), |doc, now| {
                doc.set_review_interval(None, now)
            })
        } else {
            match typed.parse::<u32>() {
                Ok(m) => ws.run(&profile.author(), |doc, now| {
                    doc.set_review_interval(Some(m), now)
                }),
                Err(_) => {
                    let mut e = crate::workspace::ValidationErrors::default();
                    e.0.push(crate::workspace::FieldError {
                        field: Field::ReviewInterval,
                        message: "Enter a number of months from 1 to 36.".to_owned(),
                    });
                    Err(CommandError::Invalid(e))
                }
            }
        };
        saved.set(outcome.is_ok());
        errors.show(outcome, form_ref);
    };
    view! {
        <div class="card schedule-card" role="region" aria-label="Review schedule">
            {move || {
                let p = plan.get();
                let due = p.due.clone().map(|d| locale::date(&d));
                let line = match (&due, p.overdue) {
                    (Some(d), true) => view! {
                        <p class="notice warning" role="alert">
                            {format!("The management review is overdue: it was due on {d}.")}
                        </p>
                    }
                    .into_any(),
                    (Some(d), false) => view! {
                        <p class="schedule-next">
                            <span class="label">"Next review due: "</span>
                            {d.clone()}
                        </p>
                    }
                    .into_any(),
                    (None, _) => view! {
                        <p class="muted">"Set how often reviews are held, or plan one, to see when the next is due."</p>
                    }
                    .into_any(),
                };
                let last = p
                    .last_held
                    .map(|d| format!("Last review held: {}.", locale::date(&d)));
                view! { {line} {last.map(|l| view! { <p class="muted">{l}</p> })} }
            }}
            <form
                class="inline-form"
                aria-label="Review interval"
                novalidate
                node_ref=form_ref
                on:submit=submit
                class:hidden=move || !editable(ws)
            >
                <TextField
                    id="review-interval".into()
                    label="Reviews every (months)"
                    hint="Usually 6 or 12. Leave empty for no planned interval."
                    inputmode="numeric"
                    value=months
                    error=errors.field(Field::ReviewInterval)
                />
                <button type="submit">"Save interval"</button>
                <p class="muted" role="status">{move || saved.get().then_some("Saved.")}</p>
            </form>
        </div>
    }
}

/// Plans a review or changes its meeting.
#[component]
fn ReviewForm(
    /// The form's accessible name.
    name: &'static str,
    /// The save button's text.
    save: &'static str,
    /// The values the fields start with.
    initial: ReviewDraft,
    /// Saves the draft.
    on_save: Callback<ReviewDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let prefix = if name.starts_with("Plan") {
        "new-review"
    } else {
        "review"
    };
    let date = RwSignal::new(initial.date);
    let chair = RwSignal::new(initial.chair);
    let attendees = RwSignal::new(initial.attendees);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = ReviewDraft {
            date: date.get_untracked(),
            chair: chair.get_untracked(),
            attendees: attendees.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    // Who holds Top management, to say so beside the chair.
    let chair_hint = Signal::derive(move || {
        let chosen = chair.get();
        if chosen.is_empty() {
            return Some("The chair must be a member of top management.".to_owned());
        }
        ws.state.read(&[Area::Roles, Area::People], |s| {
            let review = Review {
                chair: chosen.clone(),
                date: date.get_untracked(),
                attendees: attendees.get_untracked(),
                ..Default::default()
            };
            role_problems(s, &review).into_iter().next()
        })
    });
    view! {
        <form
            class="card form record-form"
            aria-label=name
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <p class="form-title">{name}</p>
            <TextField
                id=format!("{prefix}-date")
                label="Day of the meeting"
                placeholder="YYYY-MM-DD"
                value=date
                error=errors.field(Field::ReviewDate)
                node_ref=first
            />
            <SelectField
                id=format!("{prefix}-chair")
                label="Chair"
                value=chair
                options=people_options(ws)
                empty="Choose…"
                hint=chair_hint
                error=errors.field(Field::ReviewChair)
            />
            <ChoiceList legend="Attendees" options=people_options(ws) chosen=attendees empty="No people yet."/>
            <FormActions errors=errors save=save on_cancel=on_cancel/>
        </form>
    }
}

// ---------------------------------------------------------------------------
// One review.

/// One management review: the workshop, then the signed record.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let id = params.with(|p| p.get("review").unwrap_or_default());
        view! { <ReviewView id=id/> }
    }
}

#[component]
fn ReviewView(id: String) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let base = base_path();
    let review = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::Reviews, &id, |s| s.reviews.get(&id).cloned())
        })
    };
    // Tell the others this participant is in the meeting.
    {
        let id = id.clone();
        ws.editing.set(Some(id.clone()));
        on_cleanup(move || {
            if ws
                .editing
                .try_with_untracked(|e| e.as_deref() == Some(id.as_str()))
                == Some(true)
            {
                ws.editing.set(None);
            }
        });
    }
    let problem = RwSignal::new(None::<String>);
    let report = move |outcome: Result<(), CommandError>| {
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    let editing_meeting = RwSignal::new(false);
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let save_meeting = {
        let id = id.clone();
        Callback::new(move |draft: ReviewDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_review(&id, &draft, now)
            })
            .map(|()| {
                editing_meeting.set(false);
                focus_later(edit_button);
            })
        })
    };
    let signed = Memo::new(move |_| review.with(|r| r.as_ref().is_some_and(Review::is_signed)));
    let can_change = move || editable(ws) && !signed.get();
    // What is shown: the signed copy once signed, the record as it stands before.
    let shown = {
        let id = id.clone();
        Memo::new(move |_| {
            let r = review.get()?;
            Some(match &r.signoff {
                Some(s) => s.content.clone(),
                None => ws
                    .state
                    .read(&[Area::Actions], |s| current_content(s, &id, &r)),
            })
        })
    };
    let changed = {
        let id = id.clone();
        Memo::new(move |_| {
            review.with(|r| {
                r.as_ref().map_or_else(Vec::new, |r| {
                    ws.state
                        .read(&[Area::Actions], |s| changed_after_signoff(s, &id, r))
                })
            })
        })
    };
    let pack_href = format!("{base}/reviews/{id}/pack");
    let list_href = format!("{base}/reviews");
    let download = {
        let id = id.clone();
        move |_| {
            let Some(r) = review.get_untracked() else {
                return;
            };
            let signature = r
                .signoff
                .as_ref()
                .map(|s| verdict_words(ws, &signoff_verdict(ws, &id, s)))
                .unwrap_or_default();
            let text = ws
                .state
                .untracked(|s| review_markdown(s, &id, &signature, now()))
                .unwrap_or_default();
            if let Err(e) = crate::ui::export::download(
                text.as_bytes(),
                &format!("{}.md", r.reference),
                "text/markdown",
            ) {
                problem.set(Some(e));
            }
        }
    };
    let title = move || {
        review.with(|r| {
            r.as_ref()
                .map(|r| format!("Management review {}", r.reference))
                .unwrap_or_default()
        })
    };
    let id_for_view = id.clone();
    // The page is drawn once per review: its parts follow their own pieces
    // of the record, so a keystroke re-renders the field it is in, no more.
    let exists = Memo::new(move |_| review.with(Option::is_some));
    view! {
        <section class="review" aria-labelledby="review-heading">
            <p class="back"><A href=list_href>"All management reviews"</A></p>
            {move || {
                let id = id_for_view.clone();
                if !exists.get() {
                    return view! {
                        <EmptyState
                            title="This review does not exist"
                            hint="It may have been planned in another copy that has not arrived yet."
                            hidden=RwSignal::new(false)
                        />
                    }
                    .into_any();
                }
                view! {
                    <div class="section-head">
                        <div>
                            <h2 id="review-heading">{title}</h2>
                            <MeetingFacts id=id.clone()/>
                        </div>
                        <div class="head-actions">
                            <a href=pack_href.clone()>"Print the pack"</a>
                            <button type="button" on:click=download.clone()>"Download Markdown"</button>
                            <button
                                type="button"
                                node_ref=edit_button
                                class:hidden=move || !can_change()
                                on:click=move |_| editing_meeting.set(true)
                            >
                                "Edit meeting"
                            </button>
                        </div>
                    </div>
                    <Show when=move || editing_meeting.get()>
                        {
                            let initial = review
                                .get_untracked()
                                .map(|r| ReviewDraft {
                                    date: r.date,
                                    chair: r.chair,
                                    attendees: r.attendees,
                                })
                                .unwrap_or_default();
                            view! {
                                <ReviewForm
                                    name="Change the meeting"
                                    save="Save meeting"
                                    initial=initial
                                    on_save=save_meeting
                                    on_cancel=Callback::new(move |()| {
                                        editing_meeting.set(false);
                                        focus_later(edit_button);
                                    })
                                />
                            }
                        }
                    </Show>
                    {problem_notice(problem)}
                    <SharedReference id=id.clone() review=review report=report/>
                    <SignedBanner id=id.clone() review=review changed=changed report=report/>
                    <Agenda id=id.clone() review=review/>
                    <PrepareCard id=id.clone() review=review report=report/>
                    <div class="review-inputs">
                        {Input::ALL
                            .into_iter()
                            .map(|input| {
                                view! { <InputSection id=id.clone() input=input review=review shown=shown changed=changed/> }
                            })
                            .collect_view()}
                    </div>
                    <MinutesSection id=id.clone() review=review shown=shown changed=changed/>
                    <DecisionsSection id=id.clone() review=review shown=shown report=report/>
                    <ActionsRaised id=id.clone() review=review/>
                    <ConclusionSection id=id.clone() review=review shown=shown/>
                    <SignOffSection id=id.clone() review=review report=report/>
                }
                .into_any()
            }}
        </section>
    }
}

/// The meeting's day, chair and attendees, who is in it now, and whether
/// the roles meet 9.3.
#[component]
fn MeetingFacts(id: String) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let facts = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .read(&[Area::Reviews, Area::People, Area::Roles], |s| {
                    s.reviews.get(&id).map(|r| {
                        let attendees: Vec<String> =
                            r.attendees.iter().map(|a| name_in(s, a)).collect();
                        (
                            r.date.clone(),
                            name_in(s, &r.chair),
                            attendees.join(", "),
                            role_problems(s, r),
                            r.revision(),
                        )
                    })
                })
        })
    };
    let here = {
        let id = id.clone();
        move || {
            ws.peers.with(|peers| {
                peers
                    .iter()
                    .filter(|p| p.editing.as_deref() == Some(id.as_str()))
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
            })
        }
    };
    move || {
        let (date, chair, attendees, problems, revision) = facts.get()?;
        let here = here();
        Some(view! {
            <dl class="facts">
                <div class="fact"><dt>"Meeting"</dt><dd>{locale::date(&date)}</dd></div>
                <div class="fact"><dt>"Chair"</dt><dd>{chair}</dd></div>
                <div class="fact">
                    <dt>"Attendees"</dt>
                    <dd>{if attendees.is_empty() { "None recorded".to_owned() } else { attendees }}</dd>
                </div>
                {(revision > 1).then(|| view! { <div class="fact"><dt>"Revision"</dt><dd>{revision}</dd></div> })}
            </dl>
            <p class="meeting-here" role="status">
                {if here.is_empty() {
                    "Nobody else has this review open.".to_owned()
                } else {
                    format!("In this meeting now: you, {}", here.join(", "))
                }}
            </p>
            {problems
                .into_iter()
                .map(|p| view! { <p class="notice warning">{p}</p> })
                .collect_view()}
        })
    }
}

/// When another review has this one's reference (both were planned apart,
/// offline or in copies merged later): says so, and offers the next free
/// number of its year unless it is signed (the signature covers the reference).
#[component]
fn SharedReference(
    id: String,
    review: Memo<Option<Review>>,
    report: impl Fn(Result<(), CommandError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let shared = Memo::new(move |_| {
        let reference = review.with(|r| r.as_ref().map(|r| r.reference.clone()))?;
        ws.state
            .read(&[Area::Reviews], |s| {
                shared_references(s).contains(&reference)
            })
            .then_some(reference)
    });
    let signed = move || review.with(|r| r.as_ref().is_some_and(Review::is_signed));
    let renumber = move |_| {
        report(
            ws.run(&profile.author(), |doc, now| doc.renumber_review(&id, now))
                .map(|_| ()),
        );
    };
    move || {
        let reference = shared.get()?;
        let signed = signed();
        let renumber = renumber.clone();
        Some(view! {
            <div class="notice warning shared-reference" role="status">
                <p>
                    {format!(
                        "Another management review also has the reference {reference}: the two were planned apart and their copies merged."
                    )}
                    {signed.then_some(" This one is signed, so it keeps its reference: give the other one the next free reference.")}
                </p>
                {(editable(ws) && !signed).then(|| view! {
                    <button type="button" on:click=renumber>"Give this review the next free reference"</button>
                })}
            </div>
        })
    }
}

/// Once signed: whose signature, whether it verifies, what changed since,
/// and opening a new revision.
#[component]
fn SignedBanner(
    id: String,
    review: Memo<Option<Review>>,
    changed: Memo<Vec<String>>,
    report: impl Fn(Result<(), CommandError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let asking = RwSignal::new(false);
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if asking.get() {
            focus_later(confirm_ref);
        }
    });
    let signed = Memo::new(move |_| {
        review.with(|r| {
            r.as_ref()
                .and_then(|r| r.signoff.clone().map(|s| (s, r.reference.clone())))
        })
    });
    move || {
        let (signoff, reference) = signed.get()?;
        let verdict = signoff_verdict(ws, &id, &signoff);
        let recorded = ws.state.read(&[Area::People], |s| {
            format!(
                "Signed off by the chair, {}, on {} (revision {})",
                name_in(s, &signoff.content.chair),
                locale::moment(signoff.at),
                signoff.revision
            )
        });
        let changed_parts = changed.get();
        let id = id.clone();
        Some(view! {
            <div class="card signed-banner" role="region" aria-label="Sign-off">
                <p class="signed-lead">
                    "This is the signed version. What is shown and exported is what the chair signed."
                </p>
                <SignatureNote verdict=verdict recorded=recorded/>
                {(!changed_parts.is_empty())
                    .then(|| {
                        view! {
                            <div class="notice warning" role="alert">
                                <p>"Changed after sign-off, not part of the signed version:"</p>
                                <ul aria-label="Changed after sign-off">
                                    {changed_parts.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                            </div>
                        }
                    })}
                <div class="item-actions" class:hidden=move || !editable(ws)>
                    <button
                        type="button"
                        class:hidden=move || asking.get()
                        on:click=move |_| asking.set(true)
                    >
                        "Open a new revision"
                    </button>
                </div>
                <Show when=move || asking.get()>
                    {
                        let id = id.clone();
                        let label = format!("Open a new revision of {reference}?");
                        let group = label.clone();
                        view! {
                            <div class="confirm" role="group" aria-label=group>
                                <p>{label}" The signed revision is kept with its signature; the new one needs signing again."</p>
                                <button
                                    type="button"
                                    class="primary"
                                    node_ref=confirm_ref
                                    on:click=move |_| {
                                        asking.set(false);
                                        report(ws.run(&profile.author(), |doc, now| doc.open_revision(&id, now)));
                                    }
                                >
                                    "Open revision"
                                </button>
                                <button type="button" on:click=move |_| asking.set(false)>"Keep it signed"</button>
                            </div>
                        }
                    }
                </Show>
            </div>
        })
    }
}

/// The agenda: the seven inputs, then the minutes and outcomes. The chair
/// moves the meeting along; everyone sees what is being discussed and, when
/// following, is brought to it.
#[component]
fn Agenda(id: String, review: Memo<Option<Review>>) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let discussing = Memo::new(move |_| {
        review.with(|r| r.as_ref().map(|r| r.discussing.clone()).unwrap_or_default())
    });
    let follow = RwSignal::new(true);
    let leads = Memo::new(move |_| {
        let Some(chair) = review.with(|r| r.as_ref().map(|r| r.chair.clone())) else {
            return false;
        };
        if my_person(ws).as_deref() == Some(chair.as_str()) {
            return true;
        }
        let name = profile.author();
        ws.state
            .record(Area::People, &chair, |s| {
                s.people.get(&chair).map(|p| p.name == name)
            })
            .unwrap_or(false)
    });
    // Follow the chair: when the input being discussed changes, bring it
    // into view (unless this person is typing somewhere).
    Effect::new(move |previous: Option<String>| {
        let now = discussing.get();
        if previous.is_some_and(|p| p != now) && follow.get_untracked() && !now.is_empty() {
            let typing = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|e| matches!(e.tag_name().as_str(), "TEXTAREA" | "INPUT"));
            if !typing
                && let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&format!("input-{now}")))
            {
                el.scroll_into_view();
            }
        }
        now
    });
    let problem = RwSignal::new(None::<String>);
    let lead = move |letter: &'static str| {
        let id = id.clone();
        move |_| {
            let outcome = ws.run(&profile.author(), |doc, now| {
                doc.set_discussing(&id, letter, now)
            });
            problem.set(outcome.err().map(|e| e.to_string()));
        }
    };
    let now_line = move || {
        let letter = discussing.get();
        Input::from_letter(&letter)
            .map(|i| format!("Now discussing: ({}) {}", i.letter(), i.title()))
    };
    view! {
        <nav class="card agenda" aria-label="Agenda">
            <h3>"Agenda"</h3>
            <p class="agenda-now" role="status" aria-live="polite">{now_line}</p>
            <ol>
                {Input::ALL
                    .into_iter()
                    .map(|input| {
                        let letter = input.letter();
                        let current = move || discussing.with(|d| d == letter);
                        let lead = lead.clone();
                        view! {
                            <li class:current=current aria-current=move || current().then_some("step")>
                                <a href=format!("#input-{letter}")>{format!("({letter}) {}", input.title())}</a>
                                {move || current().then(|| view! { <span class="badge planned">"Being discussed"</span> })}
                                <button
                                    type="button"
                                    class="link-button"
                                    class:hidden=move || !leads.get() || current() || !editable(ws) || review.with(|r| r.as_ref().is_some_and(Review::is_signed))
                                    on:click=lead(letter)
                                >
                                    <span class="visually-hidden">{format!("Input ({letter}): ")}</span>
                                    "Discuss now"
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
                <li><a href="#minutes">"Minutes"</a></li>
                <li><a href="#decisions">"Decisions, actions and conclusion"</a></li>
            </ol>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || follow.get()
                    on:change=move |ev| follow.set(event_target_checked(&ev))
                />
                "Follow the chair through the agenda"
            </label>
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
        </nav>
    }
}

/// Preparing the pack: the inputs' summaries frozen from the workspace.
#[component]
fn PrepareCard(
    id: String,
    review: Memo<Option<Review>>,
    report: impl Fn(Result<(), CommandError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let prepared = Memo::new(move |_| {
        review.with(|r| {
            r.as_ref()
                .and_then(|r| r.prepared.as_ref().map(|p| (p.at, p.by.clone())))
        })
    });
    let signed = Memo::new(move |_| review.with(|r| r.as_ref().is_some_and(Review::is_signed)));
    let prepare = move |_| {
        // Reading every area once is the point: the summaries are a
        // snapshot of the workspace as it stands, asked for on purpose.
        let summaries = ws.state.untracked(|s| summarise_inputs(s, &id, &today()));
        report(ws.run(&profile.author(), |doc, now| {
            doc.prepare_review(&id, summaries, now)
        }));
    };
    view! {
        <div class="card prepare-card" role="region" aria-label="The pack">
            {move || match prepared.get() {
                Some((at, by)) => view! {
                    <p>{format!("The inputs' summaries were prepared on {} by {by}, from the workspace as it stood then.", locale::moment(at))}</p>
                }
                .into_any(),
                None => view! {
                    <p>"The inputs' summaries are not prepared yet. Preparing freezes what the workspace says about each input now, with links to the live records."</p>
                }
                .into_any(),
            }}
            <button
                type="button"
                class:hidden=move || signed.get() || !editable(ws)
                on:click=prepare
            >
                {move || if prepared.with(Option::is_some) { "Prepare the pack again" } else { "Prepare the pack" }}
            </button>
        </div>
    }
}

/// One input of 9.3.2: its summary, its notes, whether it was considered.
#[component]
fn InputSection(
    id: String,
    input: Input,
    review: Memo<Option<Review>>,
    shown: Memo<Option<SignedReview>>,
    changed: Memo<Vec<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let letter = input.letter();
    let base = base_path();
    let summary = Memo::new(move |_| {
        shown.with(|c| {
            c.as_ref()
                .and_then(|c| c.prepared.as_ref())
                .and_then(|p| p.summaries.get(letter).cloned())
        })
    });
    let is_considered =
        Memo::new(move |_| review.with(|r| r.as_ref().is_some_and(|r| considered(r, input))));
    let signed = Memo::new(move |_| review.with(|r| r.as_ref().is_some_and(Review::is_signed)));
    let notes_value = Signal::derive(move || {
        review.with(|r| {
            r.as_ref()
                .map(|r| r.notes(input).to_owned())
                .unwrap_or_default()
        })
    });
    let signed_notes = move || {
        shown.with(|c| {
            c.as_ref()
                .and_then(|c| c.notes.get(letter).cloned())
                .unwrap_or_default()
        })
    };
    let late = Memo::new(move |_| {
        changed.with(|c| c.iter().any(|p| *p == format!("Notes on input ({letter})")))
    });
    let heading = format!("input-{letter}-heading");
    let labelled_by = heading.clone();
    let anchor = format!("input-{letter}");
    view! {
        <section class="card review-input" id=anchor aria-labelledby=labelled_by>
            <div class="record-head">
                <h3 id=heading>{format!("{}. ({letter}) {}", agenda_number(input), input.title())}</h3>
                {move || if is_considered.get() {
                    view! { <span class="badge ok">"Considered"</span> }.into_any()
                } else {
                    view! { <span class="badge warn">"Not considered yet"</span> }.into_any()
                }}
            </div>
            {move || summary.get().map(|s| view! { <SummaryView summary=s base=base.clone()/> })}
            {(input == Input::A).then(|| view! { <CarriedActions id=id.clone()/> })}
            {move || {
                if signed.get() {
                    let text = signed_notes();
                    view! {
                        <div class="signed-text">
                            <p class="label">{notes_label(input)}</p>
                            {if text.trim().is_empty() {
                                view! { <p class="muted">"No notes."</p> }.into_any()
                            } else {
                                view! { <p class="pre">{text}</p> }.into_any()
                            }}
                            {move || late.get().then(|| view! {
                                <div class="late-change">
                                    <span class="badge warn">"Changed after sign-off"</span>
                                    <p class="pre">{notes_value.get()}</p>
                                </div>
                            })}
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <LiveText
                            text=LongText::ReviewText(id.clone(), input.notes_field())
                            id=format!("review-notes-{letter}")
                            label=notes_label(input)
                            hint="What the review considered. Everyone in the meeting can write here at once."
                            value=notes_value
                            locked=Signal::derive(move || (!editable(ws)).then(|| "You can read this review but not change it.".to_owned()))
                        />
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// A frozen summary, a line each, linked to the live records.
#[component]
fn SummaryView(summary: Summary, base: String) -> impl IntoView {
    view! {
        <div class="summary" class:unknown=!summary.known>
            <p class="label">"From the workspace"</p>
            <ul>
                {summary
                    .lines
                    .into_iter()
                    .map(|l| {
                        if l.link.is_empty() {
                            view! { <li>{l.text}</li> }.into_any()
                        } else {
                            let href = format!("{base}/{}", l.link);
                            view! { <li><a href=href>{l.text}</a></li> }.into_any()
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// Input (a) as it stands: the actions carried forward, with their history.
#[component]
fn CarriedActions(id: String) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let base = base_path();
    let carried = Memo::new(move |_| {
        ws.state.read(&REVIEW_AREAS, |s| {
            carried_actions(s, &id)
                .into_iter()
                .map(|c| {
                    (
                        c.id.to_owned(),
                        c.action.clone(),
                        c.raised_in.to_owned(),
                        name_in(s, &c.action.owner),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    move || {
        let list = carried.get();
        let base = base.clone();
        view! {
            <div class="carried">
                <p class="label">"Actions from earlier reviews, as they stand now"</p>
                {if list.is_empty() {
                    view! { <p class="muted">"No actions from earlier reviews are open or were closed since the last review."</p> }.into_any()
                } else {
                    view! {
                        <ul class="carried-list" aria-label="Actions from earlier reviews">
                            {list
                                .into_iter()
                                .map(|(action_id, a, raised, owner)| {
                                    view! { <ActionSummary id=action_id action=a raised=raised owner=owner base=base.clone()/> }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </div>
        }
    }
}

/// One action in a list: status, owner, due date, where it was raised and
/// its history.
#[component]
fn ActionSummary(
    id: String,
    action: Action,
    raised: String,
    owner: String,
    base: String,
) -> impl IntoView {
    let today = today();
    let overdue = action.overdue(&today);
    let href = format!("{base}/actions#record-{id}");
    let history = action.updates_in_order();
    let history: Vec<(String, String)> = history
        .into_iter()
        .map(|u| {
            let note = if u.note.is_empty() {
                String::new()
            } else {
                format!(": {}", u.note)
            };
            (
                locale::date(&u.date),
                format!("{} ({}){note}", u.status.label(), u.by),
            )
        })
        .collect();
    view! {
        <li class="action-summary">
            <p>
                <span class=format!("badge action-{}", action.status.slug())>{action.status.label()}</span>
                {overdue.then(|| view! { " " <span class="badge warn">"Overdue"</span> })}
                " "
                <a href=href>{action.title.clone()}</a>
            </p>
            <p class="record-detail">
                {format!("{owner} · due {} · raised in {raised}", locale::date(&action.due))}
            </p>
            {(!history.is_empty()).then(|| view! {
                <ol class="action-history" aria-label=format!("History of {}", action.title)>
                    {history.into_iter().map(|(day, text)| view! { <li>{day}" · "{text}</li> }).collect_view()}
                </ol>
            })}
        </li>
    }
}

/// The minutes: written live by everyone, or the signed text.
#[component]
fn MinutesSection(
    id: String,
    review: Memo<Option<Review>>,
    shown: Memo<Option<SignedReview>>,
    changed: Memo<Vec<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let signed = Memo::new(move |_| review.with(|r| r.as_ref().is_some_and(Review::is_signed)));
    let value = Signal::derive(move || {
        review.with(|r| {
            r.as_ref()
                .map(|r| r.minutes.as_str().to_owned())
                .unwrap_or_default()
        })
    });
    let late = Memo::new(move |_| changed.with(|c| c.iter().any(|p| p == "The minutes")));
    view! {
        <section class="card review-minutes" id="minutes" aria-labelledby="minutes-heading">
            <h3 id="minutes-heading">"Minutes"</h3>
            {move || {
                if signed.get() {
                    let text = shown.with(|c| c.as_ref().map(|c| c.minutes.clone()).unwrap_or_default());
                    view! {
                        {if text.trim().is_empty() {
                            view! { <p class="muted">"No minutes recorded."</p> }.into_any()
                        } else {
                            view! { <p class="pre" aria-label="Signed minutes">{text}</p> }.into_any()
                        }}
                        {move || late.get().then(|| view! {
                            <div class="late-change">
                                <span class="badge warn">"Changed after sign-off"</span>
                                <p class="pre">{value.get()}</p>
                            </div>
                        })}
                    }
                    .into_any()
                } else {
                    view! {
                        <LiveText
                            text=LongText::ReviewText(id.clone(), "minutes")
                            id="review-minutes".to_owned()
                            label="Minutes"
                            hint="Everyone in the meeting can write here at once; each person's caret shows with their name."
                            value=value
                            locked=Signal::derive(move || (!editable(ws)).then(|| "You can read this review but not change it.".to_owned()))
                        />
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// Decisions (9.3.3): the list and, before sign-off, the form.
#[component]
fn DecisionsSection(
    id: String,
    review: Memo<Option<Review>>,
    shown: Memo<Option<SignedReview>>,
    report: impl Fn(Result<(), CommandError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let signed = Memo::new(move |_| review.with(|r| r.as_ref().is_some_and(Review::is_signed)));
    let decisions = Memo::new(move |_| {
        shown.with(|c| {
            let mut list: Vec<(String, Decision)> = c
                .as_ref()
                .map(|c| c.decisions.clone().into_iter().collect())
                .unwrap_or_default();
            sort_list(&mut list, |a, b| a.1.created_at.cmp(&b.1.created_at));
            list
        })
    });
    let add = {
        let id = id.clone();
        Callback::new(move |draft: DecisionDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.add_decision(&id, &draft, now)
            })
            .map(|_| {
                adding.set(false);
                focus_later(add_button);
            })
        })
    };
    let remove_id = id.clone();
    // A link to one decision (`#decision-<id>`, from a nonconformity or an
    // improvement) lands on it.
    crate::ui::form::scroll_to_fragment();
    view! {
        <section class="card review-decisions" id="decisions" aria-labelledby="decisions-heading">
            <div class="section-head">
                <h3 id="decisions-heading">"Decisions"</h3>
                <button
                    type="button"
                    node_ref=add_button
                    class:hidden=move || adding.get() || signed.get() || !editable(ws)
                    on:click=move |_| adding.set(true)
                >
                    "Record decision"
                </button>
            </div>
            <Show when=move || adding.get()>
                <DecisionForm on_save=add on_cancel=Callback::new(move |()| {
                    adding.set(false);
                    focus_later(add_button);
                })/>
            </Show>
            {move || {
                let list = decisions.get();
                if list.is_empty() {
                    return view! { <p class="muted">"No decisions recorded yet."</p> }.into_any();
                }
                let remove_id = remove_id.clone();
                view! {
                    <ul class="decision-list" aria-label="Decisions">
                        {list
                            .into_iter()
                            .map(|(decision_id, d)| {
                                let cites: Vec<String> = d.inputs.iter().map(|l| format!("({l})")).collect();
                                let review_id = remove_id.clone();
                                let plan_change = (d.kind == DecisionKind::Change).then(|| view! {
                                    <crate::ui::planned_changes::PlanChangeLink review=review_id.clone() decision=decision_id.clone()/>
                                });
                                let follow_up = view! {
                                    <crate::ui::audit_nonconformities::DecisionFollowUp review=review_id.clone() decision=decision_id.clone() kind=d.kind/>
                                };
                                let anchor = format!("decision-{decision_id}");
                                let label = format!("Remove the decision “{}”", d.text);
                                view! {
                                    <li class="decision" id=anchor tabindex="-1">
                                        <p><span class="badge">{d.kind.label()}</span>" "{d.text.clone()}</p>
                                        <p class="record-detail">
                                            {if cites.is_empty() { "Cites no input".to_owned() } else { format!("Considers input {}", cites.join(", ")) }}
                                            {format!(" · recorded by {}", d.by)}
                                        </p>
                                        <div class="decision-links">{plan_change}{follow_up}</div>
                                        <button
                                            type="button"
                                            class="link-button danger"
                                            aria-label=label
                                            class:hidden=move || signed.get() || !editable(ws)
                                            on:click=move |_| report(ws.run(&profile.author(), |doc, now| doc.remove_decision(&review_id, &decision_id, now)))
                                        >
                                            "Remove"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn DecisionForm(
    on_save: Callback<DecisionDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let kind = RwSignal::new(DecisionKind::Improvement.slug().to_owned());
    let inputs = RwSignal::new(Vec::<String>::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = DecisionDraft {
            text: text.get_untracked(),
            kind: DecisionKind::from_slug(&kind.get_untracked()).unwrap_or_default(),
            inputs: inputs.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let kinds = Signal::derive(|| {
        DecisionKind::ALL
            .iter()
            .map(|k| (k.slug().to_owned(), k.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let input_options = Signal::derive(|| {
        Input::ALL
            .iter()
            .map(|i| {
                (
                    i.letter().to_owned(),
                    format!("({}) {}", i.letter(), i.title()),
                )
            })
            .collect::<Vec<_>>()
    });
    // The text area takes the focus when the form opens.
    Effect::new(move |_| {
        request_animation_frame(move || {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("decision-text"))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = el.focus();
            }
        });
    });
    view! {
        <form
            class="form decision-form"
            aria-label="New decision"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField
                id="decision-text".into()
                label="What was decided"
                multiline=true
                value=text
                error=errors.field(Field::DecisionText)
            />
            <SelectField
                id="decision-kind".into()
                label="About"
                value=kind
                options=kinds
                empty="Choose…"
                error=Signal::derive(|| None::<String>)
            />
            <ChoiceList legend="Inputs it considers" options=input_options chosen=inputs empty=""/>
            <FormActions errors=errors save="Save decision" on_cancel=on_cancel/>
        </form>
    }
}

/// The actions this review raised, and the form to raise one.
#[component]
fn ActionsRaised(id: String, review: Memo<Option<Review>>) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let base = base_path();
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let signed = Memo::new(move |_| review.with(|r| r.as_ref().is_some_and(Review::is_signed)));
    let list = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state.read(&REVIEW_AREAS, |s| {
                let reference = s
                    .reviews
                    .get(&id)
                    .map(|r| r.reference.clone())
                    .unwrap_or_default();
                raised_actions(s, &id)
                    .into_iter()
                    .map(|(action_id, a)| {
                        (
                            action_id.clone(),
                            a.clone(),
                            reference.clone(),
                            name_in(s, &a.owner),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let decision_options = Signal::derive(move || {
        review.with(|r| {
            let mut list: Vec<(String, String, i64)> = r
                .as_ref()
                .map(|r| {
                    r.decisions
                        .iter()
                        .map(|(id, d)| (id.clone(), d.text.clone(), d.created_at))
                        .collect()
                })
                .unwrap_or_default();
            sort_list(&mut list, |a, b| a.2.cmp(&b.2));
            list.into_iter()
                .map(|(id, text, _)| (id, text))
                .collect::<Vec<_>>()
        })
    });
    let add = Callback::new(move |draft: ActionDraft| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_action(&id, &draft, now)
        })
        .map(|_| {
            adding.set(false);
            focus_later(add_button);
        })
    });
    view! {
        <section class="card review-actions" aria-labelledby="raised-heading">
            <div class="section-head">
                <h3 id="raised-heading">"Actions"</h3>
                <button
                    type="button"
                    node_ref=add_button
                    class:hidden=move || adding.get() || signed.get() || !editable(ws)
                    on:click=move |_| adding.set(true)
                >
                    "Raise action"
                </button>
            </div>
            <Show when=move || adding.get()>
                <ActionForm
                    decisions=decision_options
                    on_save=add
                    on_cancel=Callback::new(move |()| {
                        adding.set(false);
                        focus_later(add_button);
                    })
                />
            </Show>
            {move || {
                let list = list.get();
                let base = base.clone();
                if list.is_empty() {
                    return view! { <p class="muted">"No actions raised yet."</p> }.into_any();
                }
                view! {
                    <ul class="carried-list" aria-label="Actions raised">
                        {list
                            .into_iter()
                            .map(|(action_id, a, raised, owner)| view! {
                                <ActionSummary id=action_id action=a raised=raised owner=owner base=base.clone()/>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn ActionForm(
    decisions: Signal<Vec<(String, String)>>,
    on_save: Callback<ActionDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let title = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let decision = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = ActionDraft {
            title: title.get_untracked(),
            owner: owner.get_untracked(),
            due: due.get_untracked(),
            decision: decision.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    view! {
        <form
            class="form action-form"
            aria-label="New action"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField
                id="action-title".into()
                label="Action"
                placeholder="Run a phishing simulation for all staff"
                value=title
                error=errors.field(Field::ActionTitle)
                node_ref=first
            />
            <div class="field-row">
                <SelectField
                    id="action-owner".into()
                    label="Owner"
                    value=owner
                    options=people_options(ws)
                    empty="Choose…"
                    error=errors.field(Field::ActionOwner)
                />
                <TextField
                    id="action-due".into()
                    label="Due"
                    placeholder="YYYY-MM-DD"
                    value=due
                    error=errors.field(Field::ActionDue)
                />
            </div>
            <SelectField
                id="action-decision".into()
                label="Carries out the decision"
                value=decision
                options=decisions
                empty="None"
                optional=true
                error=Signal::derive(|| None::<String>)
            />
            <FormActions errors=errors save="Save action" on_cancel=on_cancel/>
        </form>
    }
}

/// The conclusion: suitable, adequate, effective, and in words.
#[component]
fn ConclusionSection(
    id: String,
    review: Memo<Option<Review>>,
    shown: Memo<Option<SignedReview>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let signed = Memo::new(move |_| review.with(|r| r.as_ref().is_some_and(Review::is_signed)));
    let current = Memo::new(move |_| shown.with(|c| c.as_ref().map(|c| c.conclusion.clone())));
    let answer = |a: Option<bool>| match a {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    let suitable = RwSignal::new(String::new());
    let adequate = RwSignal::new(String::new());
    let effective = RwSignal::new(String::new());
    let statement = RwSignal::new(String::new());
    // The fields start from the record and follow others' saves.
    Effect::new(move |_| {
        if let Some(c) = current.get() {
            suitable.set(answer(c.suitable).to_owned());
            adequate.set(answer(c.adequate).to_owned());
            effective.set(answer(c.effective).to_owned());
            statement.set(c.statement);
        }
    });
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let saved = RwSignal::new(false);
    let parse = |v: String| match v.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let conclusion = Conclusion {
            suitable: parse(suitable.get_untracked()),
            adequate: parse(adequate.get_untracked()),
            effective: parse(effective.get_untracked()),
            statement: statement.get_untracked(),
        };
        let outcome = ws.run(&profile.author(), |doc, now| {
            doc.set_conclusion(&id, &conclusion, now)
        });
        saved.set(outcome.is_ok());
        errors.show(outcome, form_ref);
    };
    let options = Signal::derive(|| {
        vec![
            ("yes".to_owned(), "Yes".to_owned()),
            ("no".to_owned(), "No".to_owned()),
        ]
    });
    let words = |a: Option<bool>| match a {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not answered",
    };
    view! {
        <section class="card review-conclusion" aria-labelledby="conclusion-heading">
            <h3 id="conclusion-heading">"Conclusion"</h3>
            {move || {
                if signed.get() {
                    let c = current.get().unwrap_or_default();
                    return view! {
                        <dl class="facts">
                            <div class="fact"><dt>"Suitable"</dt><dd>{words(c.suitable)}</dd></div>
                            <div class="fact"><dt>"Adequate"</dt><dd>{words(c.adequate)}</dd></div>
                            <div class="fact"><dt>"Effective"</dt><dd>{words(c.effective)}</dd></div>
                        </dl>
                        <p class="pre">{c.statement}</p>
                    }
                    .into_any();
                }
                view! {
                    <form
                        class="form"
                        aria-label="Conclusion"
                        novalidate
                        node_ref=form_ref
                        on:submit=submit.clone()
                    >
                        <div class="field-row">
                            <SelectField id="conclusion-suitable".into() label="The ISMS remains suitable" value=suitable options=options empty="Not answered" error=Signal::derive(|| None::<String>)/>
                            <SelectField id="conclusion-adequate".into() label="The ISMS remains adequate" value=adequate options=options empty="Not answered" error=Signal::derive(|| None::<String>)/>
                            <SelectField id="conclusion-effective".into() label="The ISMS remains effective" value=effective options=options empty="Not answered" error=Signal::derive(|| None::<String>)/>
                        </div>
                        <TextField
                            id="conclusion-statement".into()
                            label="Conclusion in words"
                            multiline=true
                            value=statement
                            error=errors.field(Field::ConclusionStatement)
                        />
                        <div class="form-actions" class:hidden=move || !editable(ws)>
                            <button type="submit" class="primary">"Save conclusion"</button>
                            <p class="muted" role="status">{move || saved.get().then_some("Saved.")}</p>
                        </div>
                        <p class="notice error" role="alert" class:hidden=move || errors.other().is_none()>{move || errors.other()}</p>
                    </form>
                }
                .into_any()
            }}
        </section>
    }
}

/// What still stops the sign-off, and the chair's signature.
#[component]
fn SignOffSection(
    id: String,
    review: Memo<Option<Review>>,
    report: impl Fn(Result<(), CommandError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let blockers = Memo::new(move |_| {
        review.with(|r| {
            r.as_ref().map_or_else(Vec::new, |r| {
                ws.state
                    .read(&[Area::Roles, Area::People], |s| signoff_blockers(s, r))
            })
        })
    });
    let signed = Memo::new(move |_| review.with(|r| r.as_ref().is_some_and(Review::is_signed)));
    let asking = RwSignal::new(false);
    let sign_button = NodeRef::<leptos::html::Button>::new();
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if asking.get() {
            focus_later(confirm_ref);
        }
    });
    let chair_name = Memo::new(move |_| {
        review.with(|r| {
            r.as_ref()
                .map(|r| ws.state.read(&[Area::People], |s| name_in(s, &r.chair)))
                .unwrap_or_default()
        })
    });
    let reference = Memo::new(move |_| {
        review.with(|r| r.as_ref().map(|r| r.reference.clone()).unwrap_or_default())
    });
    let sign = move |_| {
        asking.set(false);
        let outcome = ws.run(&profile.author(), |doc, now| doc.sign_off_review(&id, now));
        if outcome.is_err() {
            focus_later(sign_button);
        }
        report(outcome);
    };
    view! {
        <section class="card review-signoff" aria-labelledby="signoff-heading" class:hidden=move || signed.get()>
            <h3 id="signoff-heading">"Sign-off"</h3>
            <p class="muted">
                {move || format!("The chair, {}, signs the review once every input was considered and the conclusion is recorded. The signature covers the record as it is then; later changes are shown as made after sign-off.", chair_name.get())}
            </p>
            {move || {
                let list = blockers.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="blockers" aria-label="Before it can be signed">
                        {list.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}
                    </ul>
                })
            }}
            <button
                type="button"
                class="primary"
                node_ref=sign_button
                class:hidden=move || asking.get() || !editable(ws)
                disabled=move || !blockers.with(Vec::is_empty)
                on:click=move |_| asking.set(true)
            >
                "Sign as chair"
            </button>
            <Show when=move || asking.get()>
                {
                    let label = format!("Sign {} as the chair?", reference.get_untracked());
                    let group = label.clone();
                    let sign = sign.clone();
                    view! {
                        <div class="confirm" role="group" aria-label=group>
                            <p>{label}" The signed version is what will be shown and exported."</p>
                            <button type="button" class="primary" node_ref=confirm_ref on:click=sign>"Sign the review"</button>
                            <button
                                type="button"
                                on:click=move |_| {
                                    asking.set(false);
                                    focus_later(sign_button);
                                }
                            >
                                "Not now"
                            </button>
                        </div>
                    }
                }
            </Show>
        </section>
    }
}

// ---------------------------------------------------------------------------
// The pack.

/// The board pack of one review, for printing: a cover, the agenda, every
/// input with its summary and notes, the minutes, decisions, actions,
/// conclusion, the signature and whether it verifies, and what changed
/// since the last review.
#[component]
pub fn ReviewPackPage() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let params = use_params_map();
    let base = base_path();
    let id = params.with_untracked(|p| p.get("review").unwrap_or_default());
    let pack = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state.read(
                &[
                    Area::Meta,
                    Area::Reviews,
                    Area::Actions,
                    Area::People,
                    Area::Roles,
                    Area::Objectives,
                    Area::Policies,
                    Area::Budget,
                ],
                |s| {
                    let r = s.reviews.get(&id)?.clone();
                    let content = match &r.signoff {
                        Some(so) => so.content.clone(),
                        None => current_content(s, &id, &r),
                    };
                    let (since, until) = period_of(s, &id, &r, now());
                    Some((
                        s.meta.organisation.clone(),
                        r.clone(),
                        content.clone(),
                        name_in(s, &content.chair),
                        content
                            .attendees
                            .iter()
                            .map(|a| name_in(s, a))
                            .collect::<Vec<_>>(),
                        changes_between(s, since, until),
                        changed_after_signoff(s, &id, &r),
                        content
                            .actions
                            .iter()
                            .map(|(aid, a)| {
                                (
                                    a.clone(),
                                    name_in(s, &a.owner),
                                    s.actions
                                        .get(aid)
                                        .map_or("Removed", |live| live.status.label()),
                                )
                            })
                            .collect::<Vec<_>>(),
                    ))
                },
            )
        })
    };
    let back = format!("{base}/reviews/{id}");
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    move || {
        let Some((organisation, review, content, chair, attendees, changes, late, actions)) =
            pack.get()
        else {
            return view! { <p class="muted">"This review does not exist."</p> }.into_any();
        };
        let signature = review.signoff.as_ref().map(|so| {
            let verdict = signoff_verdict(ws, &id, so);
            let recorded = format!(
                "Signed off by the chair, {chair}, on {} (revision {})",
                locale::moment(so.at),
                so.revision
            );
            view! { <SignatureNote verdict=verdict recorded=recorded/> }
        });
        let mut decisions: Vec<Decision> = content.decisions.values().cloned().collect();
        sort_list(&mut decisions, |a, b| a.created_at.cmp(&b.created_at));
        let words = |a: Option<bool>| match a {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "Not answered",
        };
        let conclusion = content.conclusion.clone();
        view! {
            <article class="pack" aria-label=format!("Management review pack {}", content.reference)>
                <p class="back no-print">
                    <a href=back.clone()>"Back to the review"</a>
                    " "
                    <button type="button" on:click=print>"Print"</button>
                </p>
                <section class="pack-page pack-cover">
                    <p class="eyebrow">{organisation}</p>
                    <h2>{format!("Management review {}", content.reference)}</h2>
                    <p class="pack-subtitle">"ISO/IEC 27001, clause 9.3"</p>
                    <dl class="facts">
                        <div class="fact"><dt>"Meeting"</dt><dd>{locale::date(&content.date)}</dd></div>
                        <div class="fact"><dt>"Chair"</dt><dd>{chair.clone()}</dd></div>
                        <div class="fact"><dt>"Attendees"</dt><dd>{attendees.join(", ")}</dd></div>
                        <div class="fact"><dt>"Revision"</dt><dd>{review.revision()}</dd></div>
                    </dl>
                    {match signature {
                        Some(s) => s.into_any(),
                        None => view! { <p class="notice warning">"Not signed: this is the record as it stands, not a signed version."</p> }.into_any(),
                    }}
                    {(!late.is_empty()).then(|| view! {
                        <div class="notice warning">
                            <p>"Changed after sign-off, not part of the signed version:"</p>
                            <ul>{late.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        </div>
                    })}
                    <h3>"Agenda"</h3>
                    <ol class="pack-agenda">
                        {Input::ALL.into_iter().map(|i| view! { <li>{format!("({}) {}", i.letter(), i.title())}</li> }).collect_view()}
                        <li>"Decisions, actions and conclusion"</li>
                    </ol>
                </section>
                <section class="pack-page">
                    <h3>"Inputs (clause 9.3.2)"</h3>
                    {Input::ALL
                        .into_iter()
                        .map(|input| {
                            let summary = content
                                .prepared
                                .as_ref()
                                .and_then(|p| p.summaries.get(input.letter()).cloned());
                            let notes = content.notes.get(input.letter()).cloned().unwrap_or_default();
                            view! {
                                <div class="pack-input">
                                    <h4>{format!("({}) {}", input.letter(), input.title())}</h4>
                                    {summary.map(|s| view! {
                                        <ul class="summary">{s.lines.into_iter().map(|l| view! { <li>{l.text}</li> }).collect_view()}</ul>
                                    })}
                                    {if notes.trim().is_empty() {
                                        view! { <p class="muted">"No notes."</p> }.into_any()
                                    } else {
                                        view! { <p class="pre">{notes}</p> }.into_any()
                                    }}
                                </div>
                            }
                        })
                        .collect_view()}
                </section>
                <section class="pack-page">
                    <h3>"Minutes"</h3>
                    {if content.minutes.trim().is_empty() {
                        view! { <p class="muted">"No minutes recorded."</p> }.into_any()
                    } else {
                        view! { <p class="pre">{content.minutes.clone()}</p> }.into_any()
                    }}
                    <h3>"Decisions (clause 9.3.3)"</h3>
                    {if decisions.is_empty() {
                        view! { <p class="muted">"No decisions recorded."</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {decisions.into_iter().map(|d| {
                                    let cites: Vec<String> = d.inputs.iter().map(|l| format!("({l})")).collect();
                                    view! { <li><strong>{d.kind.label()}</strong>": "{d.text}{(!cites.is_empty()).then(|| format!(" — considers input {}", cites.join(", ")))}</li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <h3>"Actions"</h3>
                    {if actions.is_empty() {
                        view! { <p class="muted">"No actions raised."</p> }.into_any()
                    } else {
                        view! {
                            <table class="pack-table">
                                <thead><tr><th scope="col">"Action"</th><th scope="col">"Owner"</th><th scope="col">"Due"</th><th scope="col">"Status now"</th></tr></thead>
                                <tbody>
                                    {actions.into_iter().map(|(a, owner, status)| view! {
                                        <tr><td>{a.title}</td><td>{owner}</td><td>{locale::date(&a.due)}</td><td>{status}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                    <h3>"Conclusion"</h3>
                    <dl class="facts">
                        <div class="fact"><dt>"The ISMS remains suitable"</dt><dd>{words(conclusion.suitable)}</dd></div>
                        <div class="fact"><dt>"The ISMS remains adequate"</dt><dd>{words(conclusion.adequate)}</dd></div>
                        <div class="fact"><dt>"The ISMS remains effective"</dt><dd>{words(conclusion.effective)}</dd></div>
                    </dl>
                    <p class="pre">{conclusion.statement}</p>
                </section>
                <section class="pack-page" aria-labelledby="changes-heading">
                    <h3 id="changes-heading">"What changed since the last review"</h3>
                    {changes
                        .into_iter()
                        .map(|g| view! {
                            <h4>{g.title}</h4>
                            {if g.lines.is_empty() {
                                view! { <p class="muted">"No changes."</p> }.into_any()
                            } else {
                                view! { <ul>{g.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any()
                            }}
                        })
                        .collect_view()}
                </section>
            </article>
        }
        .into_any()
    }
}

// ---------------------------------------------------------------------------
// Every action.

/// Every action of every review: open ones first, with their progress.
#[component]
pub fn ActionsSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let show_closed = RwSignal::new(false);
    let ids = Memo::new(move |_| {
        ws.state.read(&[Area::Actions], |s| {
            let mut list: Vec<(bool, String, String)> = s
                .actions
                .iter()
                .filter(|(_, a)| show_closed.get() || a.status.is_open())
                .map(|(id, a)| (!a.status.is_open(), a.due.clone(), id.clone()))
                .collect();
            sort_list(&mut list, |a, b| a.cmp(b));
            list.into_iter().map(|(_, _, id)| id).collect::<Vec<_>>()
        })
    });
    let counts = Memo::new(move |_| {
        ws.state.read(&[Area::Actions], |s| {
            let today = today();
            (
                s.actions.values().filter(|a| a.status.is_open()).count(),
                s.actions.values().filter(|a| a.overdue(&today)).count(),
                s.actions.len(),
            )
        })
    });
    let reviews_href = format!("{}/reviews", base_path());
    crate::ui::form::scroll_to_fragment();
    view! {
        <section class="actions-page" aria-labelledby="actions-heading">
            <p class="back"><A href=reviews_href>"Management reviews"</A></p>
            <div class="section-head">
                <div>
                    <h2 id="actions-heading">"Actions from management reviews"</h2>
                    <p class="muted">
                        {move || {
                            let (open, overdue, all) = counts.get();
                            format!(
                                "{} open, {} overdue, {} in all. Open actions are carried into the next review's input (a).",
                                open, overdue, all
                            )
                        }}
                    </p>
                </div>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || show_closed.get()
                        on:change=move |ev| show_closed.set(event_target_checked(&ev))
                    />
                    "Show done and dropped actions"
                </label>
            </div>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || view! {
                    <EmptyState
                        title="No open actions"
                        hint="Actions are raised in a management review, with an owner and a due date."
                        hidden=RwSignal::new(false)
                    />
                }
            >
                <ul class="record-list" aria-label="Actions">
                    <For each=move || ids.get() key=|id| id.clone() children=move |id| view! { <ActionItem id=id/> }/>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn ActionItem(id: String) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let base = base_path();
    let record = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state.read(&REVIEW_AREAS, |s| {
                s.actions.get(&id).map(|a| {
                    let reference = s
                        .reviews
                        .get(&a.review)
                        .map(|r| r.reference.clone())
                        .unwrap_or_default();
                    (a.clone(), name_in(s, &a.owner), reference)
                })
            })
        })
    };
    let updating = RwSignal::new(false);
    let update_button = NodeRef::<leptos::html::Button>::new();
    let save = {
        let id = id.clone();
        Callback::new(move |draft: ActionUpdateDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.update_action(&id, &draft, &today(), now)
            })
            .map(|()| {
                updating.set(false);
                focus_later(update_button);
            })
        })
    };
    let record_id = format!("record-{id}");
    crate::ui::form::follow_links(&id, || ());
    move || {
        let (action, owner, reference) = record.get()?;
        let review_href = format!("{base}/reviews/{}", action.review);
        let title = action.title.clone();
        let status = action.status;
        let history: Vec<_> = action
            .updates_in_order()
            .into_iter()
            .map(|u| {
                (
                    locale::date(&u.date),
                    u.status.label(),
                    u.by.clone(),
                    u.note.clone(),
                )
            })
            .collect();
        Some(view! {
            <li class="record action-record" id=record_id.clone() aria-label=title.clone()>
                <div class="record-head">
                    <div>
                        <h3 class="record-name" tabindex="-1">{title.clone()}</h3>
                        <p class="record-detail">
                            {format!("{owner} · due {} · raised in ", locale::date(&action.due))}
                            <a href=review_href>{reference}</a>
                        </p>
                    </div>
                    <span class=format!("badge action-{}", status.slug())>{status.label()}</span>
                    {action.overdue(&today()).then(|| view! { <span class="badge warn">"Overdue"</span> })}
                </div>
                {(!history.is_empty()).then(|| view! {
                    <ol class="action-history" aria-label=format!("History of {title}")>
                        {history.into_iter().map(|(day, status, by, note)| view! {
                            <li>{day}" · "{status}{format!(" ({by})")}{(!note.is_empty()).then(|| format!(": {note}"))}</li>
                        }).collect_view()}
                    </ol>
                })}
                <div class="item-actions" class:hidden=move || updating.get() || !editable(ws)>
                    <button
                        type="button"
                        node_ref=update_button
                        aria-label=format!("Record progress on {title}")
                        on:click=move |_| updating.set(true)
                    >
                        "Record progress"
                    </button>
                </div>
                <Show when=move || updating.get()>
                    <ProgressForm
                        status=status
                        on_save=save
                        on_cancel=Callback::new(move |()| {
                            updating.set(false);
                            focus_later(update_button);
                        })
                    />
                </Show>
            </li>
        })
    }
}

#[component]
fn ProgressForm(
    status: ActionStatus,
    on_save: Callback<ActionUpdateDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let chosen = RwSignal::new(status.slug().to_owned());
    let note = RwSignal::new(String::new());
    let date = RwSignal::new(today());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = ActionUpdateDraft {
            status: ActionStatus::from_slug(&chosen.get_untracked()).unwrap_or_default(),
            note: note.get_untracked(),
            date: date.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let statuses = Signal::derive(|| {
        ActionStatus::ALL
            .iter()
            .map(|s| (s.slug().to_owned(), s.label().to_owned()))
            .collect::<Vec<_>>()
    });
    view! {
        <form
            class="form progress-form"
            aria-label="Record progress"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <div class="field-row">
                <SelectField id="progress-status".into() label="Status" value=chosen options=statuses empty="Choose…" error=Signal::derive(|| None::<String>)/>
                <TextField id="progress-date".into() label="Day" placeholder="YYYY-MM-DD" value=date error=errors.field(Field::ActionUpdateDate)/>
            </div>
            <TextField id="progress-note".into() label="What was done, or why" multiline=true value=note error=errors.field(Field::ActionNote)/>
            <FormActions errors=errors save="Save progress" on_cancel=on_cancel/>
        </form>
    }
}
