//! The internal audit page (`/w/:id/audits`, clauses 9.2 and 10): the audit
//! programme with what it leaves unaudited, the audits with their findings
//! and reports, then the nonconformities and the improvement log
//! ([`crate::ui::audit_nonconformities`]).

use leptos::prelude::*;

use crate::ui::audit_nonconformities::{
    ImprovementOpener, ImprovementsPart, NcOpener, NonconformitiesPart,
};
use crate::ui::form::{
    AddButton, ChoiceList, EmptyState, FormActions, FormErrors, SelectField, TextField,
    cancel_on_escape, editable, focus_button_labelled, focus_later, focus_on_open, follow_links,
    id_prefix, people_options, scroll_to_fragment, scroll_to_record,
};
use crate::ui::{OpenWorkspace, Profile, counted, locale, today};
use crate::workspace::Field;
use crate::workspace::audits::{
    Audit, AuditDraft, AuditProgramme, CLAUSES, FindingDraft, FindingKind, and_list,
    audits_in_order, coverage, impartiality,
};
use crate::workspace::changes::Area;
use crate::workspace::nonconformities::{
    ImprovementDraft, NonconformityDraft, Source, logged_from_findings, raised_from_findings,
};

/// The audits, nonconformities and improvement page.
#[component]
pub fn AuditsSection() -> impl IntoView {
    let opener = NcOpener {
        adding: RwSignal::new(false),
        draft: RwSignal::new(NonconformityDraft::default()),
    };
    provide_context(opener);
    provide_context(ImprovementOpener {
        adding: RwSignal::new(false),
        draft: RwSignal::new(ImprovementDraft::default()),
    });
    scroll_to_fragment();
    view! {
        <div class="audits-page">
            <ProgrammePart/>
            <AuditsPart/>
            <NonconformitiesPart/>
            <ImprovementsPart/>
        </div>
    }
}

/// A text, or "Not set yet".
pub(crate) fn stated(text: &str) -> AnyView {
    if text.trim().is_empty() {
        view! { <dd class="unset">"Not set yet"</dd> }.into_any()
    } else {
        view! { <dd class="pre">{text.to_owned()}</dd> }.into_any()
    }
}

/// The audit programme (9.2.2) and what it leaves unaudited.
#[component]
fn ProgrammePart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let editing = RwSignal::new(false);
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let programme = Memo::new(move |_| {
        ws.state
            .read(&[Area::Meta], |s| s.meta.audit_programme.clone())
    });
    let gaps = Memo::new(move |_| {
        ws.state
            .read(&[Area::Audits, Area::Soa], |s| coverage(s, &today()))
    });
    let close = Callback::new(move |()| {
        editing.set(false);
        focus_later(edit_button);
    });
    let save = Callback::new(move |typed: AuditProgramme| {
        ws.run(&profile.author(), |doc, now| {
            doc.set_audit_programme(&typed, now)
        })
        .map(|()| {
            editing.set(false);
            focus_later(edit_button);
        })
    });
    view! {
        <section class="audit-programme" id="programme" aria-labelledby="programme-heading">
            <div class="section-head">
                <div>
                    <h2 id="programme-heading">"Audit programme"</h2>
                    <p class="muted">
                        "How often internal audits are held, how, by whom and how their results reach management (ISO/IEC 27001, clause 9.2)."
                    </p>
                </div>
                <Show when=move || editable(ws)>
                    <button type="button" node_ref=edit_button prop:disabled=editing on:click=move |_| editing.set(true)>
                        "Edit programme"
                    </button>
                </Show>
            </div>
            <Show
                when=move || editing.get()
                fallback=move || {
                    let p = programme.get();
                    view! {
                        <dl class="card change-facts">
                            <div class="fact"><dt>"Frequency"</dt>{stated(&p.frequency)}</div>
                            <div class="fact"><dt>"Methods"</dt>{stated(&p.methods)}</div>
                            <div class="fact"><dt>"Responsibilities"</dt>{stated(&p.responsibilities)}</div>
                            <div class="fact"><dt>"Reporting"</dt>{stated(&p.reporting)}</div>
                        </dl>
                    }
                }
            >
                <ProgrammeForm programme=programme.get_untracked() on_save=save on_cancel=close/>
            </Show>
            {move || {
                let gaps = gaps.get();
                let class = if gaps.is_complete() { "notice info coverage" } else { "notice warning coverage" };
                let controls = (!gaps.controls.is_empty()).then(|| {
                    let n = gaps.controls.len();
                    let summary = if n == 1 { "The control".to_owned() } else { format!("The {n} controls") };
                    let list = gaps.controls.join(", ");
                    // Folded on screen; on paper the list is printed whole.
                    view! {
                        <details class="coverage-controls">
                            <summary>{summary}</summary>
                            <p>{list.clone()}</p>
                        </details>
                        <p class="coverage-print">{list}</p>
                    }
                });
                view! {
                    <div class=class role="note">
                        <p>{gaps.headline()}</p>
                        {controls}
                    </div>
                }
            }}
        </section>
    }
}

#[component]
fn ProgrammeForm(
    programme: AuditProgramme,
    on_save: Callback<AuditProgramme, Result<(), crate::workspace::CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let frequency = RwSignal::new(programme.frequency);
    let methods = RwSignal::new(programme.methods);
    let responsibilities = RwSignal::new(programme.responsibilities);
    let reporting = RwSignal::new(programme.reporting);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = AuditProgramme {
            frequency: frequency.get_untracked(),
            methods: methods.get_untracked(),
            responsibilities: responsibilities.get_untracked(),
            reporting: reporting.get_untracked(),
        };
        errors.show(on_save.run(typed), form_ref);
    };
    view! {
        <form
            class="card form record-form"
            aria-label="Audit programme"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField id="programme-frequency".into() label="Frequency" hint="For example: each clause every year, the controls over three years." value=frequency error=errors.field(Field::ProgrammeFrequency) node_ref=first/>
            <TextField id="programme-methods".into() label="Methods" optional=true hint="Interviews, sampling of records, observation." multiline=true value=methods error=errors.field(Field::ProgrammeMethods)/>
            <TextField id="programme-responsibilities".into() label="Responsibilities" hint="Who plans the audits, who audits and who follows up." multiline=true value=responsibilities error=errors.field(Field::ProgrammeResponsibilities)/>
            <TextField id="programme-reporting".into() label="Reporting" optional=true hint="How and to whom the results are reported." multiline=true value=reporting error=errors.field(Field::ProgrammeReporting)/>
            <FormActions errors=errors save="Save programme" on_cancel=on_cancel/>
        </form>
    }
}

/// One audit as the list shows it.
#[derive(Clone, PartialEq)]
struct AuditRow {
    id: String,
    audit: Audit,
    auditor: String,
    warnings: Vec<String>,
    /// Nonconformity id by finding id.
    raised: Vec<(String, String)>,
    /// Improvement id by finding id.
    logged: Vec<(String, String)>,
}

/// The audits, newest first, with the form to record one.
#[component]
fn AuditsPart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let rows = Memo::new(move |_| {
        ws.state.read(
            &[
                Area::Audits,
                Area::People,
                Area::Roles,
                Area::Raci,
                Area::Soa,
                Area::Nonconformities,
                Area::Improvements,
            ],
            |s| {
                audits_in_order(s)
                    .into_iter()
                    .map(|(id, a)| AuditRow {
                        id: id.clone(),
                        audit: a.clone(),
                        auditor: s.people.get(&a.auditor).map_or_else(
                            || "someone no longer in People".to_owned(),
                            |p| p.name.clone(),
                        ),
                        warnings: impartiality(s, a),
                        raised: raised_from_findings(s, id)
                            .into_iter()
                            .map(|(f, nc)| (f.to_owned(), nc.clone()))
                            .collect(),
                        logged: logged_from_findings(s, id)
                            .into_iter()
                            .map(|(f, i)| (f.to_owned(), i.clone()))
                            .collect(),
                    })
                    .collect::<Vec<_>>()
            },
        )
    });
    let close = Callback::new(move |()| {
        adding.set(false);
        focus_later(add_button);
    });
    let add = Callback::new(move |typed: AuditDraft| {
        ws.run(&profile.author(), |doc, now| doc.add_audit(&typed, now))
            .map(|id| {
                adding.set(false);
                scroll_to_record(&id);
            })
    });
    view! {
        <section class="audits" id="audits" aria-labelledby="audits-heading">
            <div class="section-head">
                <div>
                    <h2 id="audits-heading">"Audits"</h2>
                    <p class="muted">
                        "Each internal audit with its criteria and scope, who audits, which clauses and controls it covers, what it found and when its results were reported."
                    </p>
                </div>
                <AddButton label="Record an audit" adding=adding node_ref=add_button on_click=Callback::new(move |()| adding.set(true))/>
            </div>
            <Show when=move || adding.get()>
                <AuditForm audit=None on_save=add on_cancel=close/>
            </Show>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! {
                    <EmptyState
                        title="No audits recorded yet"
                        hint="Record each internal audit as it is planned; add its findings once it is held, then report the results to management."
                        hidden=adding
                    />
                }
            >
                <ul class="record-list audit-list" aria-label="Audits">
                    {move || rows.get().into_iter().map(|row| view! { <AuditItem row=row/> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

/// The draft that edits `audit`.
fn draft_of(audit: &Audit) -> AuditDraft {
    AuditDraft {
        title: audit.title.clone(),
        criteria: audit.criteria.clone(),
        scope: audit.scope.clone(),
        auditor: audit.auditor.clone(),
        start: audit.start.clone(),
        end: audit.end.clone(),
        clauses: audit.clauses.clone(),
        controls: audit.controls.join(", "),
    }
}

#[component]
fn AuditItem(row: AuditRow) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let opener = expect_context::<NcOpener>();
    let improver = expect_context::<ImprovementOpener>();
    let AuditRow {
        id,
        audit,
        auditor,
        warnings,
        raised,
        logged,
    } = row;
    follow_links(&id, || {});
    let editing = RwSignal::new(false);
    let finding_open = RwSignal::new(false);
    let reporting = RwSignal::new(false);
    let title = audit.title.clone();
    let edit_label = StoredValue::new(format!("Edit audit “{title}”"));
    let finding_label = StoredValue::new(format!("Add finding to “{title}”"));
    let report_label = StoredValue::new(format!("Report the results of “{title}”"));
    let dates = if audit.start == audit.end {
        locale::date(&audit.start)
    } else {
        format!(
            "{} to {}",
            locale::date(&audit.start),
            locale::date(&audit.end)
        )
    };
    let clauses = if audit.clauses.is_empty() {
        "None".to_owned()
    } else {
        and_list(&audit.clauses)
    };
    let controls = if audit.controls.is_empty() {
        "None".to_owned()
    } else {
        audit.controls.join(", ")
    };
    let mut counts = Vec::new();
    for kind in FindingKind::ALL {
        let n = audit.findings.values().filter(|f| f.kind == kind).count();
        if n > 0 {
            let (one, many) = match kind {
                FindingKind::Major => ("major nonconformity", "major nonconformities"),
                FindingKind::Minor => ("minor nonconformity", "minor nonconformities"),
                FindingKind::Observation => ("observation", "observations"),
                FindingKind::Opportunity => (
                    "opportunity for improvement",
                    "opportunities for improvement",
                ),
            };
            counts.push(counted(n, one, many));
        }
    }
    let counts = if counts.is_empty() {
        "No findings yet".to_owned()
    } else {
        counts.join(", ")
    };
    let (badge, badge_class) = match &audit.reported {
        Some(_) => ("Reported", "badge status-achieved"),
        None => ("Not reported yet", "badge open"),
    };
    let reported = audit.reported.clone().map(|r| {
        view! {
            <p class="record-detail">
                {format!("Results reported to {} on {}.", r.to, locale::date(&r.date))}
            </p>
        }
    });
    let warnings = (!warnings.is_empty()).then(|| {
        view! {
            <div class="notice warning impartiality" role="note">
                {warnings.into_iter().map(|w| view! { <p>{w}</p> }).collect_view()}
            </div>
        }
    });
    let mut findings: Vec<_> = audit.findings.clone().into_iter().collect();
    findings.sort_by(|(a_id, a), (b_id, b)| (a.created_at, a_id).cmp(&(b.created_at, b_id)));
    let audit_id = id.clone();
    let findings_view = if findings.is_empty() {
        None
    } else {
        Some(view! {
            <ul class="finding-list" aria-label=format!("Findings of “{title}”")>
                {findings.into_iter().map(|(fid, f)| {
                    let against = match (f.clause.as_str(), f.control.as_str()) {
                        ("", "") => String::new(),
                        ("", c) => format!("Control {c}"),
                        (cl, "") => format!("Clause {cl}"),
                        (cl, c) => format!("Clause {cl}, control {c}"),
                    };
                    let nc = raised.iter().find(|(f_id, _)| *f_id == fid).map(|(_, nc)| nc.clone());
                    let kind_class = match f.kind {
                        FindingKind::Major => "badge overdue",
                        FindingKind::Minor => "badge measurement-due",
                        _ => "badge open",
                    };
                    let raise = f.kind.is_nonconformity().then(|| match nc {
                        Some(nc) => view! {
                            <a
                                        class="finding-nc"
                                        href=format!("#record-{nc}")
                                        on:click=move |_| scroll_to_record(&nc)
                                    >
                                        "Nonconformity raised"
                                    </a>
                        }.into_any(),
                        None => {
                            let source = Source::Finding { audit: &audit_id, finding: &fid }.field();
                            let text = f.text.clone();
                            let major = f.kind == FindingKind::Major;
                            let first_line = text.lines().next().unwrap_or_default();
                            let short: String = first_line.chars().take(80).collect();
                            let nc_title = format!("{}: {short}", audit.title);
                            let nc_title: String = nc_title.chars().take(120).collect();
                            view! {
                                <Show when=move || editable(ws)>
                                    <button
                                        type="button"
                                        aria-label=format!("Raise a nonconformity: {short}")
                                        on:click={
                                            let (source, text, nc_title) = (source.clone(), text.clone(), nc_title.clone());
                                            move |_| opener.open(NonconformityDraft {
                                                title: nc_title.clone(),
                                                raised: today(),
                                                major,
                                                source: source.clone(),
                                                what_happened: text.clone(),
                                                ..NonconformityDraft::default()
                                            })
                                        }
                                    >
                                        "Raise a nonconformity"
                                    </button>
                                </Show>
                            }.into_any()
                        }
                    });
                    let improve = (!f.kind.is_nonconformity()).then(|| {
                        match logged.iter().find(|(f_id, _)| *f_id == fid).map(|(_, i)| i.clone()) {
                            Some(logged) => view! {
                                <a
                                    class="finding-nc"
                                    href=format!("#record-{logged}")
                                    on:click=move |_| scroll_to_record(&logged)
                                >
                                    "In the improvement log"
                                </a>
                            }
                            .into_any(),
                            None => {
                                let source = Source::Finding { audit: &audit_id, finding: &fid }.field();
                                let text = f.text.clone();
                                let short: String = text.lines().next().unwrap_or_default().chars().take(80).collect();
                                view! {
                                    <Show when=move || editable(ws)>
                                        <button
                                            type="button"
                                            aria-label=format!("Add to the improvement log: {short}")
                                            on:click={
                                                let (source, text) = (source.clone(), text.clone());
                                                move |_| improver.open(ImprovementDraft {
                                                    text: text.clone(),
                                                    source: source.clone(),
                                                    suggested_by: String::new(),
                                                })
                                            }
                                        >
                                            "Add to the improvement log"
                                        </button>
                                    </Show>
                                }
                                .into_any()
                            }
                        }
                    });
                    view! {
                        <li class="finding" id=format!("record-{fid}") tabindex="-1">
                            <div class="finding-head">
                                <span class=kind_class>{f.kind.label()}</span>
                                {(!against.is_empty()).then(|| view! { <span class="record-detail">{against}</span> })}
                            </div>
                            <p class="pre">{f.text.clone()}</p>
                            {raise}
                            {improve}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
    };
    let draft = StoredValue::new(draft_of(&audit));
    let save_edit = {
        let id = id.clone();
        Callback::new(move |typed: AuditDraft| {
            let id = id.clone();
            ws.run(&profile.author(), |doc, now| {
                doc.edit_audit(&id, &typed, now)
            })
            .map(|()| {
                editing.set(false);
                focus_button_labelled(edit_label.get_value());
            })
        })
    };
    let close_edit = Callback::new(move |()| {
        editing.set(false);
        focus_button_labelled(edit_label.get_value());
    });
    let save_finding = {
        let id = id.clone();
        Callback::new(move |typed: FindingDraft| {
            let id = id.clone();
            ws.run(&profile.author(), |doc, now| {
                doc.add_finding(&id, &typed, now)
            })
            .map(|fid| {
                finding_open.set(false);
                scroll_to_record(&fid);
            })
        })
    };
    let close_finding = Callback::new(move |()| {
        finding_open.set(false);
        focus_button_labelled(finding_label.get_value());
    });
    let save_report = {
        let id = id.clone();
        Callback::new(move |(date, to): (String, String)| {
            let id = id.clone();
            ws.run(&profile.author(), |doc, now| {
                doc.report_audit(&id, &date, &to, &today(), now)
            })
            .map(|()| reporting.set(false))
        })
    };
    let close_report = Callback::new(move |()| {
        reporting.set(false);
        focus_button_labelled(report_label.get_value());
    });
    let not_reported = audit.reported.is_none();
    let form_title = StoredValue::new(title.clone());
    view! {
        <li class="record audit" id=format!("record-{id}") aria-label=title.clone()>
            <div class="record-head">
                <div>
                    <h3 class="record-name" tabindex="-1">{title.clone()}</h3>
                    <p class="record-detail">{format!("{dates} · audited by {auditor}")}</p>
                </div>
                <span class=badge_class>{badge}</span>
            </div>
            <Show
                when=move || editing.get()
                fallback={
                    let audit = audit.clone();
                    let clauses = clauses.clone();
                    let controls = controls.clone();
                    let counts = counts.clone();
                    move || view! {
                        <dl class="change-facts">
                            <div class="fact"><dt>"Criteria"</dt>{stated(&audit.criteria)}</div>
                            <div class="fact"><dt>"Scope"</dt>{stated(&audit.scope)}</div>
                            <div class="fact"><dt>"Clauses covered"</dt><dd>{clauses.clone()}</dd></div>
                            <div class="fact"><dt>"Controls covered"</dt><dd>{controls.clone()}</dd></div>
                            <div class="fact"><dt>"Findings"</dt><dd>{counts.clone()}</dd></div>
                        </dl>
                    }
                }
            >
                <AuditForm audit=Some(draft.get_value()) on_save=save_edit on_cancel=close_edit/>
            </Show>
            {warnings}
            {reported}
            {findings_view}
            <Show when=move || editable(ws)>
                <div class="item-actions">
                    <button type="button" aria-label=edit_label.get_value() prop:disabled=editing on:click=move |_| editing.set(true)>
                        "Edit"
                    </button>
                    <button type="button" aria-label=finding_label.get_value() prop:disabled=finding_open on:click=move |_| finding_open.set(true)>
                        "Add finding"
                    </button>
                    {not_reported.then(|| view! {
                        <button type="button" aria-label=report_label.get_value() prop:disabled=reporting on:click=move |_| reporting.set(true)>
                            "Report the results"
                        </button>
                    })}
                </div>
            </Show>
            <Show when=move || finding_open.get()>
                <FindingForm title=form_title.get_value() on_save=save_finding on_cancel=close_finding/>
            </Show>
            <Show when=move || reporting.get()>
                <ReportForm title=form_title.get_value() on_save=save_report on_cancel=close_report/>
            </Show>
        </li>
    }
}

/// The form for a new audit, or to edit one.
#[component]
fn AuditForm(
    audit: Option<AuditDraft>,
    on_save: Callback<AuditDraft, Result<(), crate::workspace::CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let is_new = audit.is_none();
    let draft = audit.unwrap_or_default();
    let title = RwSignal::new(draft.title);
    let criteria = RwSignal::new(draft.criteria);
    let scope = RwSignal::new(draft.scope);
    let auditor = RwSignal::new(draft.auditor);
    let start = RwSignal::new(draft.start);
    let end = RwSignal::new(draft.end);
    let clauses = RwSignal::new(draft.clauses);
    let controls = RwSignal::new(draft.controls);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut chosen = clauses.get_untracked();
        chosen.sort_by_key(|c| c.parse::<u32>().unwrap_or_default());
        let typed = AuditDraft {
            title: title.get_untracked(),
            criteria: criteria.get_untracked(),
            scope: scope.get_untracked(),
            auditor: auditor.get_untracked(),
            start: start.get_untracked(),
            end: end.get_untracked(),
            clauses: chosen,
            controls: controls.get_untracked(),
        };
        errors.show(on_save.run(typed), form_ref);
    };
    let p = id_prefix("audit", is_new);
    let clause_options: Vec<(String, String)> = CLAUSES
        .iter()
        .map(|(c, name)| ((*c).to_owned(), format!("{c} {name}")))
        .collect();
    let clause_error = errors.field(Field::AuditClauses);
    view! {
        <form
            class="card form record-form"
            aria-label=if is_new { "New audit" } else { "Edit audit" }
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField id=format!("{p}-title") label="Audit" hint="A short name, for example “Access control, spring”." value=title error=errors.field(Field::AuditTitle) node_ref=first/>
            <TextField id=format!("{p}-criteria") label="Criteria" hint="What the audit checks against: the standard's clauses, a policy, a contract." multiline=true value=criteria error=errors.field(Field::AuditCriteria)/>
            <TextField id=format!("{p}-scope") label="Scope" optional=true hint="Which teams, sites, processes or systems." multiline=true value=scope error=errors.field(Field::AuditScope)/>
            <SelectField id=format!("{p}-auditor") label="Auditor" value=auditor options=people_options(ws) empty="Choose…" error=errors.field(Field::AuditAuditor)/>
            <div class="field-row">
                <TextField id=format!("{p}-start") label="First day" placeholder="YYYY-MM-DD" value=start error=errors.field(Field::AuditStart)/>
                <TextField id=format!("{p}-end") label="Last day" placeholder="YYYY-MM-DD" value=end error=errors.field(Field::AuditEnd)/>
            </div>
            <ChoiceList legend="Clauses covered" options=clause_options chosen=clauses empty="No clauses."/>
            {move || clause_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <TextField id=format!("{p}-controls") label="Controls covered" optional=true hint="Annex A controls, separated by commas, for example 5.15, 8.13." value=controls error=errors.field(Field::AuditControls)/>
            <FormActions errors=errors save="Save audit" on_cancel=on_cancel/>
        </form>
    }
}

/// The form for a finding of an audit.
#[component]
fn FindingForm(
    title: String,
    on_save: Callback<FindingDraft, Result<(), crate::workspace::CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let kind = RwSignal::new(FindingKind::Major.slug().to_owned());
    let text = RwSignal::new(String::new());
    let clause = RwSignal::new(String::new());
    let control = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = FindingDraft {
            kind: FindingKind::from_slug(&kind.get_untracked()).unwrap_or_default(),
            text: text.get_untracked(),
            clause: clause.get_untracked(),
            control: control.get_untracked(),
        };
        errors.show(on_save.run(typed), form_ref);
    };
    let p = id_prefix("finding", false);
    let kinds: Vec<(String, String)> = FindingKind::ALL
        .iter()
        .map(|k| (k.slug().to_owned(), k.label().to_owned()))
        .collect();
    view! {
        <form
            class="form record-form"
            aria-label=format!("New finding of “{title}”")
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField id=format!("{p}-text") label="What was found" hint="With the evidence: what was seen, asked or sampled." multiline=true value=text error=errors.field(Field::FindingText) node_ref=first/>
            <SelectField id=format!("{p}-kind") label="Kind" value=kind options=kinds empty="Choose…" error=Signal::derive(|| None::<String>)/>
            <div class="field-row">
                <TextField id=format!("{p}-clause") label="Clause" optional=true placeholder="9.2" value=clause error=errors.field(Field::FindingClause)/>
                <TextField id=format!("{p}-control") label="Control" optional=true placeholder="5.15" value=control error=errors.field(Field::FindingControl)/>
            </div>
            <FormActions errors=errors save="Save finding" on_cancel=on_cancel/>
        </form>
    }
}

/// The form to record that an audit's results were reported.
#[component]
fn ReportForm(
    title: String,
    on_save: Callback<(String, String), Result<(), crate::workspace::CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let date = RwSignal::new(today());
    let to = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    focus_on_open(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.show(
            on_save.run((date.get_untracked(), to.get_untracked())),
            form_ref,
        );
    };
    let p = id_prefix("report", false);
    view! {
        <form
            class="form record-form"
            aria-label=format!("Report of “{title}”")
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <TextField id=format!("{p}-date") label="Day reported" placeholder="YYYY-MM-DD" value=date error=errors.field(Field::AuditReportDate) node_ref=first/>
            <TextField id=format!("{p}-to") label="Reported to" hint="For example: the management team, at its monthly meeting." value=to error=errors.field(Field::AuditReportTo)/>
            <FormActions errors=errors save="Save report" on_cancel=on_cancel/>
        </form>
    }
}
