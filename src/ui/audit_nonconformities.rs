//! The second half of the audits page: nonconformities with their
//! corrective action, effectiveness check and closure (clause 10.2), their
//! trend by quarter, and the improvement log (10.1).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::ui::audits::stated;
use crate::ui::form::{
    AddButton, EmptyState, FormActions, FormErrors, SelectField, TextField, cancel_on_escape,
    editable, focus_button_labelled, focus_later, focus_on_open, follow_links, id_prefix,
    people_options, problem_notice, scroll_to_record,
};
use crate::ui::{OpenWorkspace, Profile, locale, today};
use crate::workspace::Workspace;
use crate::workspace::audits::audits_in_order;
use crate::workspace::changes::Area;
use crate::workspace::nonconformities::{
    EffectivenessCheck, Improvement, ImprovementDraft, ImprovementStatus, Nonconformity,
    NonconformityDraft, Source, improvement_from, nonconformity_from, trend,
};
use crate::workspace::reviews::{DecisionKind, reviews_in_order};
use crate::workspace::validate::first_line_within;
use crate::workspace::{CommandError, Field};

/// Opens the nonconformity form, empty or prefilled from a finding; shared
/// by the audits and the nonconformities on the page.
#[derive(Clone, Copy)]
pub struct NcOpener {
    /// Whether the form is open.
    pub adding: RwSignal<bool>,
    /// What the form opens with.
    pub draft: RwSignal<NonconformityDraft>,
}

impl NcOpener {
    /// Opens the form with `draft` and brings it into view.
    pub fn open(self, draft: NonconformityDraft) {
        self.draft.set(draft);
        self.adding.set(true);
    }
}

/// Opens the improvement form, empty or prefilled from a finding or a
/// review; shared by the audits and the improvement log on the page.
#[derive(Clone, Copy)]
pub struct ImprovementOpener {
    /// Whether the form is open.
    pub adding: RwSignal<bool>,
    /// What the form opens with.
    pub draft: RwSignal<ImprovementDraft>,
}

impl ImprovementOpener {
    /// Opens the form with `draft`.
    pub fn open(self, draft: ImprovementDraft) {
        self.draft.set(draft);
        self.adding.set(true);
    }
}

/// Where a record comes from, as the page shows it.
#[derive(Clone, PartialEq)]
enum SourceShown {
    /// Nothing stated.
    None,
    /// A finding on this page: (finding id, the audit's title).
    Finding(String, String),
    /// A record on another page: (address, words).
    Page(String, String),
    /// Words only.
    Words(String),
}

/// A review as a source names it: "MR-2026-02 (3 May 2026)".
fn review_named(review: &crate::workspace::reviews::Review) -> String {
    format!("{} ({})", review.reference, locale::date(&review.date))
}

/// How the page shows `source`; links point into workspace `base`
/// ("/w/<id>").
fn source_shown(s: &Workspace, base: &str, source: &str) -> SourceShown {
    match Source::parse(source) {
        Source::None => SourceShown::None,
        Source::Finding { audit, finding } => match s.audits.get(audit) {
            Some(a) if a.findings.contains_key(finding) => {
                SourceShown::Finding(finding.to_owned(), a.title.clone())
            }
            _ => SourceShown::Words("A finding no longer recorded".to_owned()),
        },
        Source::Decision { review, decision } => match s.reviews.get(review) {
            Some(r) if r.decisions.contains_key(decision) => SourceShown::Page(
                format!("{base}/reviews/{review}#decision-{decision}"),
                format!("A decision of the management review {}", review_named(r)),
            ),
            _ => SourceShown::Words("A review decision no longer recorded".to_owned()),
        },
        Source::Review(review) => match s.reviews.get(review) {
            Some(r) => SourceShown::Page(
                format!("{base}/reviews/{review}"),
                format!("The management review {}", review_named(r)),
            ),
            None => SourceShown::Words("A management review no longer recorded".to_owned()),
        },
        Source::Incident("") => SourceShown::Words("An incident".to_owned()),
        Source::Incident(reference) => SourceShown::Words(format!("Incident: {reference}")),
        Source::Text(text) => SourceShown::Words(text.to_owned()),
    }
}

fn source_view(shown: SourceShown) -> AnyView {
    match shown {
        SourceShown::None => view! { <span class="unset">"Not stated"</span> }.into_any(),
        SourceShown::Finding(fid, audit) => view! {
            <a href=format!("#record-{fid}") on:click=move |_| scroll_to_finding(&fid)>
                {format!("A finding of the audit “{audit}”")}
            </a>
        }
        .into_any(),
        SourceShown::Page(href, text) => view! { <a href=href>{text}</a> }.into_any(),
        SourceShown::Words(text) => view! { <span>{text}</span> }.into_any(),
    }
}

/// The decisions of every review, newest review first, as choices of a
/// source: (field value, words).
fn decision_choices(s: &Workspace, kinds: &[DecisionKind]) -> Vec<(String, String)> {
    let mut choices = Vec::new();
    for (review_id, review) in reviews_in_order(s).into_iter().rev() {
        let mut decisions: Vec<_> = review
            .decisions
            .iter()
            .filter(|(_, d)| kinds.contains(&d.kind))
            .collect();
        decisions.sort_by(|(a_id, a), (b_id, b)| (a.created_at, a_id).cmp(&(b.created_at, b_id)));
        for (decision_id, d) in decisions {
            let source = Source::Decision {
                review: review_id,
                decision: decision_id,
            };
            choices.push((
                source.field(),
                format!(
                    "Decision of {}: {}",
                    review_named(review),
                    first_line_within(&d.text, 70)
                ),
            ));
        }
    }
    choices
}

/// One nonconformity as the list shows it.
#[derive(Clone, PartialEq)]
struct NcRow {
    id: String,
    nc: Nonconformity,
    owner: String,
    checker: String,
    /// Where it comes from.
    source: SourceShown,
}

/// Brings finding `id` into view and focuses it (a finding has no heading).
fn scroll_to_finding(id: &str) {
    let element_id = format!("record-{id}");
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(finding) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&element_id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            finding.scroll_into_view();
            let _ = finding.focus();
        }
    });
}

fn name_of(ws: &crate::workspace::Workspace, id: &str) -> String {
    ws.people.get(id).map_or_else(
        || "someone no longer in People".to_owned(),
        |p| p.name.clone(),
    )
}

/// The nonconformities (open first), their trend and the form to raise one.
#[component]
pub fn NonconformitiesPart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let opener = expect_context::<NcOpener>();
    let add_button = NodeRef::<leptos::html::Button>::new();
    let rows = Memo::new(move |_| {
        let base = format!("/w/{}", ws.id());
        ws.state.read(
            &[
                Area::Nonconformities,
                Area::People,
                Area::Audits,
                Area::Reviews,
            ],
            |s| {
                let mut list: Vec<_> = s.nonconformities.iter().collect();
                list.sort_by(|(a_id, a), (b_id, b)| {
                    (b.is_open(), &b.raised, b_id).cmp(&(a.is_open(), &a.raised, a_id))
                });
                list.into_iter()
                    .map(|(id, nc)| NcRow {
                        id: id.clone(),
                        nc: nc.clone(),
                        owner: name_of(s, &nc.action.owner),
                        checker: nc
                            .effectiveness
                            .as_ref()
                            .map(|c| name_of(s, &c.by))
                            .unwrap_or_default(),
                        source: source_shown(s, &base, &nc.source),
                    })
                    .collect::<Vec<_>>()
            },
        )
    });
    // A review decision's "Raise a nonconformity" opens the form prefilled
    // (`?raise=<review>/<decision>`), once, and not when one is raised.
    let query = use_query_map();
    let opened_for = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let Some(from) = query.with(|q| q.get("raise")) else {
            return;
        };
        if opened_for.with_value(|f| f.as_deref() == Some(from.as_str())) || !editable(ws) {
            return;
        }
        let prefilled = ws.state.read(&[Area::Reviews, Area::Nonconformities], |s| {
            let (review, decision) = from.split_once('/')?;
            let source = Source::Decision { review, decision }.field();
            if nonconformity_from(s, &source).is_some() {
                return None;
            }
            NonconformityDraft::from_decision(s, review, decision, &today())
        });
        if let Some(prefilled) = prefilled {
            opened_for.set_value(Some(from));
            opener.open(prefilled);
        }
    });
    let periods = Memo::new(move |_| {
        ws.state
            .read(&[Area::Nonconformities], |s| trend(s, 4, &today()))
    });
    let close = Callback::new(move |()| {
        opener.adding.set(false);
        opener.draft.set(NonconformityDraft::default());
        focus_later(add_button);
    });
    let add = Callback::new(move |typed: NonconformityDraft| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_nonconformity(&typed, &today(), now)
        })
        .map(|id| {
            opener.adding.set(false);
            opener.draft.set(NonconformityDraft::default());
            scroll_to_record(&id);
        })
    });
    view! {
        <section class="nonconformities" id="nonconformities" aria-labelledby="nc-heading">
            <div class="section-head">
                <div>
                    <h2 id="nc-heading">"Nonconformities"</h2>
                    <p class="muted">
                        "What did not meet a requirement, from an audit, an incident or anywhere: the correction, the root cause, the corrective action and whether it worked (clause 10.2)."
                    </p>
                </div>
                <AddButton
                    label="Raise a nonconformity"
                    adding=opener.adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| opener.open(NonconformityDraft {
                        raised: today(),
                        ..NonconformityDraft::default()
                    }))
                />
            </div>
            {move || opener.adding.get().then(|| view! {
                <NcForm draft=opener.draft.get() is_new=true checked=false on_save=add on_cancel=close/>
            })}
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! {
                    <EmptyState
                        title="No nonconformities yet"
                        hint="When something does not meet a requirement, raise it here, or from an audit's finding, and follow it until its corrective action has proved effective."
                        hidden=opener.adding
                    />
                }
            >
                <ul class="record-list nc-list" aria-label="Nonconformities">
                    {move || rows.get().into_iter().map(|row| view! { <NcItem row=row/> }).collect_view()}
                </ul>
            </Show>
            <table class="nc-trend">
                <caption>"Nonconformities by quarter"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Quarter"</th>
                        <th scope="col">"Raised"</th>
                        <th scope="col">"Closed"</th>
                        <th scope="col">"Open at the end"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || periods.get().into_iter().map(|p| view! {
                        <tr>
                            <th scope="row">{p.label}</th>
                            <td>{p.raised}</td>
                            <td>{p.closed}</td>
                            <td>{p.open_at_end}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn NcItem(row: NcRow) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let NcRow {
        id,
        nc,
        owner,
        checker,
        source,
    } = row;
    follow_links(&id, || {});
    let problem = RwSignal::new(None::<String>);
    let checking = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let closing = RwSignal::new(false);
    let title = nc.title.clone();
    let check_label = StoredValue::new(format!("Check effectiveness of “{title}”"));
    let edit_label = StoredValue::new(format!("Edit “{title}”"));
    let close_label = StoredValue::new(format!("Close “{title}”"));
    let open = nc.is_open();
    let overdue = nc.overdue(&today());
    let check = nc.effectiveness.clone().map(|c| {
        let verdict = if c.effective {
            "effective"
        } else {
            "not effective"
        };
        view! {
            <div class="nc-check">
                <p class="record-detail">
                    {format!("Checked on {} by {checker}: {verdict}.", locale::date(&c.date))}
                </p>
                <p class="pre">{c.evidence}</p>
            </div>
        }
    });
    let closed = nc.closed.clone().map(|c| {
        view! { <p class="record-detail">{format!("Closed on {} by {}.", locale::date(&c.date), c.by)}</p> }
    });
    let due = if nc.action.due.is_empty() {
        String::new()
    } else {
        format!(", due {}", locale::date(&nc.action.due))
    };
    // Closing asks for the day, once the action is checked and effective;
    // before that the command's refusal says what is missing.
    let may_close = nc.effectiveness.as_ref().is_some_and(|c| c.effective);
    let start_closing = {
        let id = id.clone();
        move |_| {
            if may_close {
                problem.set(None);
                closing.set(true);
                return;
            }
            let outcome = ws.run(&profile.author(), |doc, now| {
                doc.close_nonconformity(&id, &today(), &today(), now)
            });
            match outcome {
                Ok(()) => problem.set(None),
                Err(e) => problem.set(Some(e.to_string())),
            }
        }
    };
    let save_close = {
        let id = id.clone();
        Callback::new(move |day: String| {
            let id = id.clone();
            ws.run(&profile.author(), |doc, now| {
                doc.close_nonconformity(&id, &day, &today(), now)
            })
            .map(|()| {
                closing.set(false);
                problem.set(None);
                scroll_to_record(&id);
            })
        })
    };
    let cancel_close = Callback::new(move |()| {
        closing.set(false);
        focus_button_labelled(close_label.get_value());
    });
    let save_check = {
        let id = id.clone();
        Callback::new(move |check: EffectivenessCheck| {
            let id = id.clone();
            ws.run(&profile.author(), |doc, now| {
                doc.check_effectiveness(&id, &check, &today(), now)
            })
            .map(|()| {
                checking.set(false);
                problem.set(None);
                focus_button_labelled(check_label.get_value());
            })
        })
    };
    let close_check = Callback::new(move |()| {
        checking.set(false);
        focus_button_labelled(check_label.get_value());
    });
    let save_edit = {
        let id = id.clone();
        Callback::new(move |typed: NonconformityDraft| {
            let id = id.clone();
            ws.run(&profile.author(), |doc, now| {
                doc.update_nonconformity(&id, &typed, &today(), now)
            })
            .map(|()| {
                editing.set(false);
                problem.set(None);
                focus_button_labelled(edit_label.get_value());
            })
        })
    };
    let cancel_edit = Callback::new(move |()| {
        editing.set(false);
        focus_button_labelled(edit_label.get_value());
    });
    let raised_on = nc.raised.clone();
    let form_title = StoredValue::new(title.clone());
    let edit_draft = StoredValue::new(NonconformityDraft::of(&nc));
    let checked = nc.effectiveness.is_some();
    view! {
        <li class="record nc" id=format!("record-{id}") aria-label=title.clone()>
            <div class="record-head">
                <div>
                    <h3 class="record-name" tabindex="-1">{title.clone()}</h3>
                    <p class="record-detail">{format!("Raised on {}", locale::date(&raised_on))}</p>
                </div>
                <span class="badges">
                    {nc.major.then(|| view! { <span class="badge overdue">"Major"</span> })}
                    {(open && overdue).then(|| view! { <span class="badge measurement-due">"Corrective action overdue"</span> })}
                    {if open {
                        view! { <span class="badge open">"Open"</span> }.into_any()
                    } else {
                        view! { <span class="badge status-achieved">"Closed"</span> }.into_any()
                    }}
                </span>
            </div>
            <dl class="change-facts">
                <div class="fact"><dt>"Source"</dt><dd>{source_view(source)}</dd></div>
                <div class="fact"><dt>"What happened"</dt>{stated(&nc.what_happened)}</div>
                <div class="fact"><dt>"Correction"</dt>{stated(&nc.correction)}</div>
                <div class="fact"><dt>"Consequences"</dt>{stated(&nc.consequences)}</div>
                <div class="fact"><dt>"Root cause"</dt>{stated(&nc.root_cause)}</div>
                <div class="fact"><dt>"Similar nonconformities"</dt>{stated(&nc.similar)}</div>
                <div class="fact"><dt>"Corrective action"</dt>{stated(&nc.action.text)}</div>
                <div class="fact"><dt>"Owner"</dt><dd>{format!("{owner}{due}")}</dd></div>
            </dl>
            {check}
            {closed}
            {problem_notice(problem)}
            <Show when=move || open && editable(ws)>
                <div class="item-actions">
                    <button type="button" aria-label=edit_label.get_value() prop:disabled=editing on:click=move |_| editing.set(true)>
                        "Edit"
                    </button>
                    <button type="button" aria-label=check_label.get_value() prop:disabled=checking on:click=move |_| checking.set(true)>
                        "Check effectiveness"
                    </button>
                    <button type="button" aria-label=close_label.get_value() prop:disabled=closing on:click=start_closing.clone()>
                        "Close"
                    </button>
                </div>
                <Show when=move || editing.get()>
                    <NcForm draft=edit_draft.get_value() is_new=false checked=checked on_save=save_edit on_cancel=cancel_edit/>
                </Show>
                <Show when=move || checking.get()>
                    <CheckForm title=form_title.get_value() on_save=save_check on_cancel=close_check/>
                </Show>
                <Show when=move || closing.get()>
                    <CloseForm title=form_title.get_value() on_save=save_close on_cancel=cancel_close/>
                </Show>
            </Show>
        </li>
    }
}

/// The form to raise a nonconformity (empty, or prefilled from a finding
/// or a review decision) or to change one; `checked` says its corrective
/// action was checked already.
#[component]
fn NcForm(
    draft: NonconformityDraft,
    /// Whether it raises a new one (or changes one).
    is_new: bool,
    checked: bool,
    on_save: Callback<NonconformityDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let p = id_prefix("nc", is_new);
    let (label, save) = if is_new {
        ("New nonconformity".to_owned(), "Save nonconformity")
    } else {
        (format!("Edit “{}”", draft.title), "Save changes")
    };
    let title = RwSignal::new(draft.title);
    let raised = RwSignal::new(draft.raised);
    let major = RwSignal::new(draft.major);
    let what_happened = RwSignal::new(draft.what_happened);
    let correction = RwSignal::new(draft.correction);
    let consequences = RwSignal::new(draft.consequences);
    let root_cause = RwSignal::new(draft.root_cause);
    let similar = RwSignal::new(draft.similar);
    let action = RwSignal::new(draft.action);
    let owner = RwSignal::new(draft.owner);
    let due = RwSignal::new(draft.due);
    // Where it comes from: a finding stays as it is; otherwise nothing, an
    // incident (with its reference) or a review's decision.
    let parsed = Source::parse(&draft.source);
    let fixed = matches!(parsed, Source::Finding { .. }).then(|| draft.source.clone());
    let (chosen, reference) = match parsed {
        Source::Incident(reference) => ("incident".to_owned(), reference.to_owned()),
        Source::Finding { .. } => (String::new(), String::new()),
        _ => (draft.source.clone(), String::new()),
    };
    let legacy = matches!(parsed, Source::Text(_)).then(|| draft.source.clone());
    let chosen = RwSignal::new(chosen);
    let reference = RwSignal::new(reference);
    // The choices follow the reviews as they change, without redrawing the
    // form and losing what is typed.
    let choices = Signal::derive(move || {
        let mut choices = Vec::new();
        if let Some(text) = &legacy {
            choices.push((text.clone(), text.clone()));
        }
        choices.push(("incident".to_owned(), "An incident".to_owned()));
        ws.state.read(&[Area::Reviews], |s| {
            choices.extend(decision_choices(s, &DecisionKind::ALL));
        });
        choices
    });
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let notes = {
        let from = fixed.is_some().then(|| {
            view! { <p class="notice info">"Raised from an audit finding; the finding is linked from the nonconformity."</p> }
        });
        let recheck = checked.then(|| {
            view! { <p class="notice info">"Its corrective action was checked already: if you change the action, its owner or its due day, the new action needs a check of its own."</p> }
        });
        (from, recheck)
    };
    let source_picker = fixed.is_none().then(|| {
        let p = p.clone();
        view! {
            <SelectField
                id=format!("{p}-source")
                label="Where it comes from"
                value=chosen
                options=choices
                empty="Not linked to a record"
                optional=true
                error=errors.field(Field::NcSource)
            />
            <Show when=move || chosen.with(|c| c == "incident")>
                <TextField
                    id=format!("{p}-incident")
                    label="Incident"
                    hint="Its reference in the incident log, or what happened and when."
                    value=reference
                    error=errors.field(Field::NcIncident)
                />
            </Show>
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let source = match &fixed {
            Some(finding) => finding.clone(),
            None if chosen.with_untracked(|c| c == "incident") => {
                reference.with_untracked(|r| Source::Incident(r.trim()).field())
            }
            None => chosen.get_untracked(),
        };
        let typed = NonconformityDraft {
            title: title.get_untracked(),
            raised: raised.get_untracked(),
            major: major.get_untracked(),
            source,
            what_happened: what_happened.get_untracked(),
            correction: correction.get_untracked(),
            consequences: consequences.get_untracked(),
            root_cause: root_cause.get_untracked(),
            similar: similar.get_untracked(),
            action: action.get_untracked(),
            owner: owner.get_untracked(),
            due: due.get_untracked(),
        };
        errors.show(on_save.run(typed), form_ref);
    };
    view! {
        <form
            class="card form record-form"
            aria-label=label
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            {notes}
            <TextField id=format!("{p}-title") label="Nonconformity" hint="A short name." value=title error=errors.field(Field::NcTitle) node_ref=first/>
            <TextField id=format!("{p}-raised") label="Day raised" placeholder="YYYY-MM-DD" value=raised error=errors.field(Field::NcRaised)/>
            <label class="check">
                <input type="checkbox" prop:checked=major on:change=move |ev| major.set(event_target_checked(&ev))/>
                "Major: it puts the ISMS's results in doubt"
            </label>
            {source_picker}
            <TextField id=format!("{p}-what") label="What happened" multiline=true value=what_happened error=errors.field(Field::NcWhatHappened)/>
            <TextField id=format!("{p}-correction") label="Correction" hint="What was done at once to control and correct it." multiline=true value=correction error=errors.field(Field::NcCorrection)/>
            <TextField id=format!("{p}-consequences") label="Consequences" hint="How its consequences were dealt with." multiline=true optional=true value=consequences error=errors.field(Field::NcConsequences)/>
            <TextField id=format!("{p}-root-cause") label="Root cause" multiline=true value=root_cause error=errors.field(Field::NcRootCause)/>
            <TextField id=format!("{p}-similar") label="Similar nonconformities" hint="Whether similar ones exist or could occur." multiline=true value=similar error=errors.field(Field::NcSimilar)/>
            <TextField id=format!("{p}-action") label="Corrective action" hint="What is done to remove the cause, so it does not happen again." multiline=true value=action error=errors.field(Field::NcAction)/>
            <div class="field-row">
                <SelectField id=format!("{p}-owner") label="Action owner" value=owner options=people_options(ws) empty="Choose…" error=errors.field(Field::NcOwner)/>
                <TextField id=format!("{p}-due") label="Action due" placeholder="YYYY-MM-DD" value=due error=errors.field(Field::NcDue)/>
            </div>
            <FormActions errors=errors save=save on_cancel=on_cancel/>
        </form>
    }
}

/// The form that closes a nonconformity on a chosen day.
#[component]
fn CloseForm(
    title: String,
    on_save: Callback<String, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let day = RwSignal::new(today());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let p = id_prefix("close", false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.show(on_save.run(day.get_untracked()), form_ref);
    };
    view! {
        <form
            class="form record-form"
            aria-label=format!("Closing of “{title}”")
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField id=format!("{p}-day") label="Day closed" placeholder="YYYY-MM-DD" value=day error=errors.field(Field::NcClosed) node_ref=first/>
            <FormActions errors=errors save="Close nonconformity" on_cancel=on_cancel/>
        </form>
    }
}

/// The form for the check of a corrective action's effectiveness.
#[component]
fn CheckForm(
    title: String,
    on_save: Callback<EffectivenessCheck, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let date = RwSignal::new(today());
    let by = RwSignal::new(String::new());
    let effective = RwSignal::new("yes".to_owned());
    let evidence = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let check = EffectivenessCheck {
            date: date.get_untracked(),
            by: by.get_untracked(),
            effective: effective.get_untracked() == "yes",
            evidence: evidence.get_untracked(),
        };
        errors.show(on_save.run(check), form_ref);
    };
    let p = id_prefix("check", false);
    let verdicts = vec![
        ("yes".to_owned(), "Yes, effective".to_owned()),
        ("no".to_owned(), "No, not effective".to_owned()),
    ];
    view! {
        <form
            class="form record-form"
            aria-label=format!("Effectiveness check of “{title}”")
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField id=format!("{p}-date") label="Day of the check" placeholder="YYYY-MM-DD" value=date error=errors.field(Field::NcCheckDate) node_ref=first/>
            <SelectField id=format!("{p}-by") label="Checked by" value=by options=people_options(ws) empty="Choose…" error=errors.field(Field::NcCheckBy)/>
            <SelectField id=format!("{p}-effective") label="Effective" value=effective options=verdicts empty="Choose…" error=Signal::derive(|| None::<String>)/>
            <TextField id=format!("{p}-evidence") label="Evidence" hint="What the check looked at and what it showed." multiline=true value=evidence error=errors.field(Field::NcCheckEvidence)/>
            <FormActions errors=errors save="Save check" on_cancel=on_cancel/>
        </form>
    }
}

/// The improvement log (10.1).
#[component]
pub fn ImprovementsPart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let opener = expect_context::<ImprovementOpener>();
    let add_button = NodeRef::<leptos::html::Button>::new();
    let rows = Memo::new(move |_| {
        let base = format!("/w/{}", ws.id());
        ws.state
            .read(&[Area::Improvements, Area::Audits, Area::Reviews], |s| {
                let mut list: Vec<(String, Improvement, SourceShown)> = s
                    .improvements
                    .iter()
                    .map(|(id, i)| (id.clone(), i.clone(), source_shown(s, &base, &i.source)))
                    .collect();
                list.sort_by(|(a_id, a, _), (b_id, b, _)| {
                    (b.status.is_open(), b.created_at, b_id).cmp(&(
                        a.status.is_open(),
                        a.created_at,
                        a_id,
                    ))
                });
                list
            })
    });
    // A review decision's "Add to the improvement log" opens the form
    // prefilled (`?improve=<review>/<decision>`), once, and not when the
    // decision is in the log already.
    let query = use_query_map();
    let opened_for = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let Some(from) = query.with(|q| q.get("improve")) else {
            return;
        };
        if opened_for.with_value(|f| f.as_deref() == Some(from.as_str())) || !editable(ws) {
            return;
        }
        let prefilled = ws.state.read(&[Area::Reviews, Area::Improvements], |s| {
            let (review, decision) = from.split_once('/')?;
            let source = Source::Decision { review, decision }.field();
            if improvement_from(s, &source).is_some() {
                return None;
            }
            let text = &s.reviews.get(review)?.decisions.get(decision)?.text;
            Some(ImprovementDraft {
                text: text.trim().to_owned(),
                source,
                suggested_by: String::new(),
            })
        });
        if let Some(prefilled) = prefilled {
            opened_for.set_value(Some(from));
            opener.open(prefilled);
        }
    });
    let close = Callback::new(move |()| {
        opener.adding.set(false);
        focus_later(add_button);
    });
    let add = Callback::new(move |typed: ImprovementDraft| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_improvement(&typed, now)
        })
        .map(|id| {
            opener.adding.set(false);
            scroll_to_record(&id);
        })
    });
    view! {
        <section class="improvements" id="improvements" aria-labelledby="improvements-heading">
            <div class="section-head">
                <div>
                    <h2 id="improvements-heading">"Improvement log"</h2>
                    <p class="muted">
                        "Ideas to make the ISMS more suitable, adequate or effective, from audits, reviews or anyone, and what came of them (clause 10.1)."
                    </p>
                </div>
                <AddButton
                    label="Add an improvement"
                    adding=opener.adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| opener.open(ImprovementDraft::default()))
                />
            </div>
            {move || opener.adding.get().then(|| view! {
                <ImprovementForm draft=opener.draft.get() is_new=true on_save=add on_cancel=close/>
            })}
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! {
                    <EmptyState
                        title="No improvements logged yet"
                        hint="Write down anything that could work better, however small, from an audit, a review or anyone; mark it done with what came of it."
                        hidden=opener.adding
                    />
                }
            >
                <ul class="record-list improvement-list" aria-label="Improvements">
                    {move || rows.get().into_iter().map(|(id, i, source)| view! { <ImprovementItem id=id improvement=i source=source/> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

fn status_class(status: ImprovementStatus) -> &'static str {
    match status {
        ImprovementStatus::Done => "badge status-achieved",
        s if s.is_open() => "badge open",
        _ => "badge status-withdrawn",
    }
}

#[component]
fn ImprovementItem(id: String, improvement: Improvement, source: SourceShown) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    follow_links(&id, || {});
    let changing = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let line: String = improvement
        .text
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect();
    let change_label = StoredValue::new(format!("Change status: {line}"));
    let edit_label = StoredValue::new(format!("Edit improvement: {line}"));
    let form_title = StoredValue::new(line.clone());
    let status = improvement.status;
    let outcome = improvement.outcome.clone();
    let save = {
        let id = id.clone();
        Callback::new(move |(status, outcome): (ImprovementStatus, String)| {
            let id = id.clone();
            ws.run(&profile.author(), |doc, now| {
                doc.set_improvement_status(&id, status, &outcome, now)
            })
            .map(|()| {
                changing.set(false);
                focus_button_labelled(change_label.get_value());
            })
        })
    };
    let cancel = Callback::new(move |()| {
        changing.set(false);
        focus_button_labelled(change_label.get_value());
    });
    let save_edit = {
        let id = id.clone();
        Callback::new(move |typed: ImprovementDraft| {
            let id = id.clone();
            ws.run(&profile.author(), |doc, now| {
                doc.update_improvement(&id, &typed, now)
            })
            .map(|()| {
                editing.set(false);
                focus_button_labelled(edit_label.get_value());
            })
        })
    };
    let cancel_edit = Callback::new(move |()| {
        editing.set(false);
        focus_button_labelled(edit_label.get_value());
    });
    let detail = {
        let mut d = format!("Proposed on {}", locale::day_at(improvement.created_at));
        if !improvement.by.is_empty() {
            d.push_str(&format!(" by {}", improvement.by));
        }
        if !improvement.suggested_by.is_empty() {
            d.push_str(&format!(" · suggested by {}", improvement.suggested_by));
        }
        d
    };
    let from = (source != SourceShown::None).then(|| {
        view! { <p class="record-detail improvement-source">"From "{source_view(source)}</p> }
    });
    let outcome_view = (!improvement.outcome.is_empty()).then(|| {
        view! { <p class="pre improvement-outcome"><strong>"Outcome: "</strong>{improvement.outcome.clone()}</p> }
    });
    let edit_draft = StoredValue::new(ImprovementDraft::of(&improvement));
    view! {
        <li class="record improvement" id=format!("record-{id}") aria-label=line.clone()>
            <div class="record-head">
                <div>
                    <h3 class="record-name pre" tabindex="-1">{improvement.text.clone()}</h3>
                    <p class="record-detail">{detail}</p>
                    {from}
                </div>
                <span class=status_class(status)>{status.label()}</span>
            </div>
            {outcome_view}
            <Show when=move || editable(ws)>
                <div class="item-actions">
                    <button type="button" aria-label=edit_label.get_value() prop:disabled=editing on:click=move |_| editing.set(true)>
                        "Edit"
                    </button>
                    <button type="button" aria-label=change_label.get_value() prop:disabled=changing on:click=move |_| changing.set(true)>
                        "Change status"
                    </button>
                </div>
            </Show>
            <Show when=move || editing.get()>
                <ImprovementForm draft=edit_draft.get_value() is_new=false on_save=save_edit on_cancel=cancel_edit/>
            </Show>
            <Show when=move || changing.get()>
                <StatusForm title=form_title.get_value() status=status outcome=outcome.clone() on_save=save on_cancel=cancel/>
            </Show>
        </li>
    }
}

/// The findings of every audit, newest audit first, as choices of an
/// improvement's source.
fn finding_choices(s: &Workspace) -> Vec<(String, String)> {
    let mut choices = Vec::new();
    for (audit_id, audit) in audits_in_order(s) {
        let mut findings: Vec<_> = audit.findings.iter().collect();
        findings.sort_by(|(a_id, a), (b_id, b)| (a.created_at, a_id).cmp(&(b.created_at, b_id)));
        for (finding_id, f) in findings {
            let source = Source::Finding {
                audit: audit_id,
                finding: finding_id,
            };
            choices.push((
                source.field(),
                format!(
                    "{} of “{}”: {}",
                    f.kind.label(),
                    first_line_within(&audit.title, 50),
                    first_line_within(&f.text, 60)
                ),
            ));
        }
    }
    choices
}

#[component]
fn ImprovementForm(
    draft: ImprovementDraft,
    /// Whether it adds one (or changes one).
    is_new: bool,
    on_save: Callback<ImprovementDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let p = id_prefix("improvement", is_new);
    let (label, save) = if is_new {
        ("New improvement".to_owned(), "Save improvement")
    } else {
        (
            format!("Edit improvement: {}", first_line_within(&draft.text, 80)),
            "Save changes",
        )
    };
    let kept = match Source::parse(&draft.source) {
        Source::Text(text) | Source::Incident(text) => {
            Some((draft.source.clone(), text.to_owned()))
        }
        _ => None,
    };
    // The choices follow the reviews and audits as they change, without
    // redrawing the form and losing what is typed.
    let choices = Signal::derive(move || {
        let mut choices: Vec<(String, String)> = kept.iter().cloned().collect();
        ws.state.read(&[Area::Reviews, Area::Audits], |s| {
            for (id, review) in reviews_in_order(s).into_iter().rev() {
                choices.push((
                    Source::Review(id).field(),
                    format!("The management review {}", review_named(review)),
                ));
            }
            choices.extend(decision_choices(s, &DecisionKind::ALL));
            choices.extend(finding_choices(s));
        });
        choices
    });
    let text = RwSignal::new(draft.text);
    let source = RwSignal::new(draft.source);
    let suggested_by = RwSignal::new(draft.suggested_by);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = ImprovementDraft {
            text: text.get_untracked(),
            source: source.get_untracked(),
            suggested_by: suggested_by.get_untracked(),
        };
        errors.show(on_save.run(typed), form_ref);
    };
    view! {
        <form
            class="card form record-form"
            aria-label=label
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField id=format!("{p}-text") label="What could be better" hint="And how, if you have an idea." multiline=true value=text error=errors.field(Field::ImprovementText) node_ref=first/>
            <SelectField id=format!("{p}-source") label="Where it comes from" value=source options=choices empty="Anyone: no record" optional=true error=errors.field(Field::ImprovementSource)/>
            <TextField id=format!("{p}-suggested-by") label="Suggested by" hint="Whose idea it is, if not yours: a person or a team." optional=true value=suggested_by error=errors.field(Field::ImprovementSuggestedBy)/>
            <FormActions errors=errors save=save on_cancel=on_cancel/>
        </form>
    }
}

#[component]
fn StatusForm(
    title: String,
    status: ImprovementStatus,
    outcome: String,
    on_save: Callback<(ImprovementStatus, String), Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let slug = |s: ImprovementStatus| {
        ImprovementStatus::ALL
            .iter()
            .position(|x| *x == s)
            .unwrap_or_default()
            .to_string()
    };
    let chosen = RwSignal::new(slug(status));
    let outcome = RwSignal::new(outcome);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let status = chosen
            .get_untracked()
            .parse::<usize>()
            .ok()
            .and_then(|i| ImprovementStatus::ALL.get(i).copied())
            .unwrap_or_default();
        errors.show(on_save.run((status, outcome.get_untracked())), form_ref);
    };
    let options: Vec<(String, String)> = ImprovementStatus::ALL
        .iter()
        .map(|s| (slug(*s), s.label().to_owned()))
        .collect();
    let p = id_prefix("improvement-status", false);
    view! {
        <form
            class="form record-form"
            aria-label=format!("Status of “{title}”")
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <SelectField id=format!("{p}-status") label="Status" value=chosen options=options empty="Choose…" error=Signal::derive(|| None::<String>)/>
            <TextField id=format!("{p}-outcome") label="Outcome" hint="What came of it, or why it is not taken up; needed once it is done or not taken up." multiline=true value=outcome error=errors.field(Field::ImprovementOutcome)/>
            <FormActions errors=errors save="Save status" on_cancel=on_cancel/>
        </form>
    }
}

/// Under a review's decision: the nonconformity and the improvement logged
/// from it, or the links that raise them on the audits page (an
/// improvement only for a decision about continual improvement).
#[component]
pub fn DecisionFollowUp(review: String, decision: String, kind: DecisionKind) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let source = Source::Decision {
        review: &review,
        decision: &decision,
    }
    .field();
    let logged = Memo::new({
        let source = source.clone();
        move |_| {
            ws.state
                .read(&[Area::Nonconformities, Area::Improvements], |s| {
                    (
                        nonconformity_from(s, &source).cloned(),
                        improvement_from(s, &source).cloned(),
                    )
                })
        }
    });
    let base = format!("/w/{}/audits", ws.id());
    let from = format!("{review}/{decision}");
    let nc = {
        let (base, from) = (base.clone(), from.clone());
        move || {
            match logged.get().0 {
            Some(id) => Some(
                view! { <A href=format!("{base}#record-{id}") attr:class="decision-change">"Nonconformity raised"</A> }
                    .into_any(),
            ),
            None => editable(ws).then(|| {
                view! { <A href=format!("{base}?raise={from}#nonconformities") attr:class="decision-change">"Raise a nonconformity"</A> }
                    .into_any()
            }),
        }
        }
    };
    let improvement = (kind == DecisionKind::Improvement).then_some(move || {
        match logged.get().1 {
            Some(id) => Some(
                view! { <A href=format!("{base}#record-{id}") attr:class="decision-change">"In the improvement log"</A> }
                    .into_any(),
            ),
            None => editable(ws).then(|| {
                view! { <A href=format!("{base}?improve={from}#improvements") attr:class="decision-change">"Add to the improvement log"</A> }
                    .into_any()
            }),
        }
    });
    view! { {improvement}{nc} }
}
