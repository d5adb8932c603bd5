//! The second half of the audits page: nonconformities with their
//! corrective action, effectiveness check and closure (clause 10.2), their
//! trend by quarter, and the improvement log (10.1).

use leptos::prelude::*;

use crate::ui::audits::stated;
use crate::ui::form::{
    AddButton, EmptyState, FormActions, FormErrors, SelectField, TextField, cancel_on_escape,
    editable, focus_button_labelled, focus_later, focus_on_open, follow_links, id_prefix,
    people_options, problem_notice, scroll_to_record,
};
use crate::ui::{OpenWorkspace, Profile, locale, today};
use crate::workspace::changes::Area;
use crate::workspace::nonconformities::{
    EffectivenessCheck, Improvement, ImprovementStatus, Nonconformity, NonconformityDraft, trend,
};
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

/// One nonconformity as the list shows it.
#[derive(Clone, PartialEq)]
struct NcRow {
    id: String,
    nc: Nonconformity,
    owner: String,
    checker: String,
    /// The finding it comes from: (finding id, audit title).
    finding: Option<(String, String)>,
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
        ws.state
            .read(&[Area::Nonconformities, Area::People, Area::Audits], |s| {
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
                        finding: nc
                            .source
                            .strip_prefix("finding:")
                            .and_then(|l| l.split_once('/'))
                            .map(|(audit, finding)| {
                                let title = s
                                    .audits
                                    .get(audit)
                                    .map_or_else(String::new, |a| a.title.clone());
                                (finding.to_owned(), title)
                            }),
                    })
                    .collect::<Vec<_>>()
            })
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
                <NcForm draft=opener.draft.get() on_save=add on_cancel=close/>
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
        finding,
    } = row;
    follow_links(&id, || {});
    let problem = RwSignal::new(None::<String>);
    let checking = RwSignal::new(false);
    let title = nc.title.clone();
    let check_label = StoredValue::new(format!("Check effectiveness of “{title}”"));
    let close_label = format!("Close “{title}”");
    let open = nc.is_open();
    let overdue = nc.overdue(&today());
    let source = match finding {
        Some((fid, audit)) => view! {
            <a href=format!("#record-{fid}") on:click=move |_| scroll_to_finding(&fid)>
                {format!("Finding of the audit “{audit}”")}
            </a>
        }
        .into_any(),
        None if nc.source.trim().is_empty() => {
            view! { <span class="unset">"Not stated"</span> }.into_any()
        }
        None => view! { <span>{nc.source.clone()}</span> }.into_any(),
    };
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
    let close_now = {
        let id = id.clone();
        move |_| {
            let outcome = ws.run(&profile.author(), |doc, now| {
                doc.close_nonconformity(&id, &today(), &today(), now)
            });
            match outcome {
                Ok(()) => problem.set(None),
                Err(e) => problem.set(Some(e.to_string())),
            }
        }
    };
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
    let raised_on = nc.raised.clone();
    let form_title = StoredValue::new(title.clone());
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
                <div class="fact"><dt>"Source"</dt><dd>{source}</dd></div>
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
                    <button type="button" aria-label=check_label.get_value() prop:disabled=checking on:click=move |_| checking.set(true)>
                        "Check effectiveness"
                    </button>
                    <button type="button" aria-label=close_label.clone() on:click=close_now.clone()>
                        "Close"
                    </button>
                </div>
                <Show when=move || checking.get()>
                    <CheckForm title=form_title.get_value() on_save=save_check on_cancel=close_check/>
                </Show>
            </Show>
        </li>
    }
}

/// The form to raise a nonconformity, empty or prefilled from a finding.
#[component]
fn NcForm(
    draft: NonconformityDraft,
    on_save: Callback<NonconformityDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let title = RwSignal::new(draft.title);
    let raised = RwSignal::new(draft.raised);
    let major = RwSignal::new(draft.major);
    let source = draft.source;
    let what_happened = RwSignal::new(draft.what_happened);
    let correction = RwSignal::new(draft.correction);
    let consequences = RwSignal::new(draft.consequences);
    let root_cause = RwSignal::new(draft.root_cause);
    let similar = RwSignal::new(draft.similar);
    let action = RwSignal::new(draft.action);
    let owner = RwSignal::new(draft.owner);
    let due = RwSignal::new(draft.due);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let from_note = (!source.is_empty()).then(|| {
        view! { <p class="notice info">"Raised from an audit finding; the finding is linked from the nonconformity."</p> }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = NonconformityDraft {
            title: title.get_untracked(),
            raised: raised.get_untracked(),
            major: major.get_untracked(),
            source: source.clone(),
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
            aria-label="New nonconformity"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            {from_note}
            <TextField id="nc-title".into() label="Nonconformity" hint="A short name." value=title error=errors.field(Field::NcTitle) node_ref=first/>
            <TextField id="nc-raised".into() label="Day raised" placeholder="YYYY-MM-DD" value=raised error=errors.field(Field::NcRaised)/>
            <label class="check">
                <input type="checkbox" prop:checked=major on:change=move |ev| major.set(event_target_checked(&ev))/>
                "Major: it puts the ISMS's results in doubt"
            </label>
            <TextField id="nc-what".into() label="What happened" multiline=true value=what_happened error=errors.field(Field::NcWhatHappened)/>
            <TextField id="nc-correction".into() label="Correction" hint="What was done at once to control and correct it." multiline=true value=correction error=errors.field(Field::NcCorrection)/>
            <TextField id="nc-consequences".into() label="Consequences" hint="How its consequences were dealt with." multiline=true value=consequences error=errors.field(Field::NcConsequences)/>
            <TextField id="nc-root-cause".into() label="Root cause" multiline=true value=root_cause error=errors.field(Field::NcRootCause)/>
            <TextField id="nc-similar".into() label="Similar nonconformities" hint="Whether similar ones exist or could occur." multiline=true value=similar error=errors.field(Field::NcSimilar)/>
            <TextField id="nc-action".into() label="Corrective action" hint="What is done to remove the cause, so it does not happen again." multiline=true value=action error=errors.field(Field::NcAction)/>
            <div class="field-row">
                <SelectField id="nc-owner".into() label="Action owner" value=owner options=people_options(ws) empty="Choose…" error=errors.field(Field::NcOwner)/>
                <TextField id="nc-due".into() label="Action due" placeholder="YYYY-MM-DD" value=due error=errors.field(Field::NcDue)/>
            </div>
            <FormActions errors=errors save="Save nonconformity" on_cancel=on_cancel/>
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
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let rows = Memo::new(move |_| {
        ws.state.read(&[Area::Improvements], |s| {
            let mut list: Vec<(String, Improvement)> = s
                .improvements
                .iter()
                .map(|(id, i)| (id.clone(), i.clone()))
                .collect();
            list.sort_by(|(a_id, a), (b_id, b)| {
                (b.status.is_open(), b.created_at, b_id).cmp(&(
                    a.status.is_open(),
                    a.created_at,
                    a_id,
                ))
            });
            list
        })
    });
    let close = Callback::new(move |()| {
        adding.set(false);
        focus_later(add_button);
    });
    let add = Callback::new(move |(text, source): (String, String)| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_improvement(&text, &source, now)
        })
        .map(|id| {
            adding.set(false);
            scroll_to_record(&id);
        })
    });
    view! {
        <section class="improvements" id="improvements" aria-labelledby="improvements-heading">
            <div class="section-head">
                <div>
                    <h2 id="improvements-heading">"Improvement log"</h2>
                    <p class="muted">
                        "Ideas to make the ISMS more suitable, adequate or effective, from anyone, and what came of them (clause 10.1)."
                    </p>
                </div>
                <AddButton label="Add an improvement" adding=adding node_ref=add_button on_click=Callback::new(move |()| adding.set(true))/>
            </div>
            <Show when=move || adding.get()>
                <ImprovementForm on_save=add on_cancel=close/>
            </Show>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! {
                    <EmptyState
                        title="No improvements logged yet"
                        hint="Write down anything that could work better, however small; mark it done with what came of it."
                        hidden=adding
                    />
                }
            >
                <ul class="record-list improvement-list" aria-label="Improvements">
                    {move || rows.get().into_iter().map(|(id, i)| view! { <ImprovementItem id=id improvement=i/> }).collect_view()}
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
fn ImprovementItem(id: String, improvement: Improvement) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    follow_links(&id, || {});
    let changing = RwSignal::new(false);
    let line: String = improvement
        .text
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect();
    let change_label = StoredValue::new(format!("Change status: {line}"));
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
    let detail = {
        let mut d = format!("Proposed on {}", locale::day_at(improvement.created_at));
        if !improvement.by.is_empty() {
            d.push_str(&format!(" by {}", improvement.by));
        }
        if !improvement.source.is_empty() {
            d.push_str(&format!(" · from {}", improvement.source));
        }
        d
    };
    let outcome_view = (!improvement.outcome.is_empty()).then(|| {
        view! { <p class="pre improvement-outcome"><strong>"Outcome: "</strong>{improvement.outcome.clone()}</p> }
    });
    view! {
        <li class="record improvement" id=format!("record-{id}") aria-label=line.clone()>
            <div class="record-head">
                <div>
                    <h3 class="record-name pre" tabindex="-1">{improvement.text.clone()}</h3>
                    <p class="record-detail">{detail}</p>
                </div>
                <span class=status_class(status)>{status.label()}</span>
            </div>
            {outcome_view}
            <Show when=move || editable(ws)>
                <div class="item-actions">
                    <button type="button" aria-label=change_label.get_value() prop:disabled=changing on:click=move |_| changing.set(true)>
                        "Change status"
                    </button>
                </div>
            </Show>
            <Show when=move || changing.get()>
                <StatusForm title=form_title.get_value() status=status outcome=outcome.clone() on_save=save on_cancel=cancel/>
            </Show>
        </li>
    }
}

#[component]
fn ImprovementForm(
    on_save: Callback<(String, String), Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.show(
            on_save.run((text.get_untracked(), source.get_untracked())),
            form_ref,
        );
    };
    view! {
        <form
            class="card form record-form"
            aria-label="New improvement"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField id="improvement-text".into() label="What could be better" hint="And how, if you have an idea." multiline=true value=text error=errors.field(Field::ImprovementText) node_ref=first/>
            <TextField id="improvement-source".into() label="Where it comes from" optional=true hint="An audit, a review, a conversation, an incident." value=source error=Signal::derive(|| None::<String>)/>
            <FormActions errors=errors save="Save improvement" on_cancel=on_cancel/>
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
