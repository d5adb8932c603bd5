//! The certification page (`/certification`): the certificate as the
//! certification body issued it, what disagrees with the rules, every
//! window of the cycle and where it stands, how the cycle was renewed, and a
//! what-if that moves one audit without storing anything.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::form::{EmptyState, FormActions, FormErrors, SelectField, TextField, editable};
use crate::ui::{OpenWorkspace, Profile, locale, today};
use crate::workspace::certification::{
    Certificate, CertificateDraft, Cycle, Milestone, Renewal, Standing, Urgency,
    current_certificate, days_between, urgency, what_if,
};
use crate::workspace::changes::Area;
use crate::workspace::soa::versions_in_order;
use crate::workspace::validate::parse_date;
use crate::workspace::{CommandError, Field};

/// The address of the open workspace's pages ("/w/<id>").
fn base(ws: OpenWorkspace) -> String {
    format!("/w/{}", ws.id())
}

/// The certificate and its certification cycle.
#[component]
pub fn CertificationSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let editing = RwSignal::new(false);
    let current = Memo::new(move |_| {
        ws.state.read(&[Area::Certificates], |s| {
            current_certificate(s).map(|(id, c)| (id.clone(), c.clone()))
        })
    });
    let soa_names = Memo::new(move |_| {
        ws.state.read(&[Area::SoaVersions], |s| {
            versions_in_order(s)
                .into_iter()
                .map(|(id, v)| (id.clone(), format!("Version {}", v.number)))
                .collect::<Vec<_>>()
        })
    });
    let save = Callback::new(move |typed: CertificateDraft| {
        let id = current.get_untracked().map(|(id, _)| id);
        ws.run(&profile.author(), |doc, now| match &id {
            Some(id) => doc.edit_certificate(id, &typed, now),
            None => doc.add_certificate(&typed, now).map(|_| ()),
        })
        .map(|()| editing.set(false))
    });
    let cancel = Callback::new(move |()| editing.set(false));
    let day = today();
    view! {
        <section class="certification" aria-labelledby="certification-heading">
            <div class="section-head">
                <div>
                    <h2 id="certification-heading">"Certification"</h2>
                    <p class="muted">
                        "The certificate from the certification body, the audits of its three-year cycle and the windows each must fall in (ISO/IEC 17021-1 and ISO/IEC 27006-1)."
                    </p>
                </div>
                <p class="no-print">
                    <A href=move || format!("{}/dossier", base(ws))>"Stage 1 dossier"</A>
                </p>
            </div>
            {move || match current.get() {
                None => view! {
                    <EmptyState
                        title="No certificate yet"
                        hint="Once the certification body has decided, record the certificate here: its dates set the windows for the surveillance audits and the recertification. Before that, the stage 1 dossier shows what the body will ask for."
                    />
                    <Show when=move || editable(ws)>
                        <CertificateForm draft=CertificateDraft::default() soa_versions=soa_names on_save=save on_cancel=None/>
                    </Show>
                }
                .into_any(),
                Some((_, certificate)) => {
                    let draft = certificate.draft();
                    let cycle = certificate.cycle();
                    view! {
                        <CertificateDetails certificate=certificate.clone() soa_versions=soa_names/>
                        <Show when=move || editable(ws) && !editing.get()>
                            <p><button type="button" on:click=move |_| editing.set(true)>"Edit certificate"</button></p>
                        </Show>
                        <Show when=move || editing.get()>
                            <CertificateForm draft=draft.clone() soa_versions=soa_names on_save=save on_cancel=Some(cancel)/>
                        </Show>
                        <CycleView cycle=cycle.clone() today=day.clone()/>
                        <WhatIf cycle=cycle today=day.clone()/>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// What the certificate states.
#[component]
fn CertificateDetails(
    /// The certificate.
    certificate: Certificate,
    /// The SoA versions' names by id.
    soa_versions: Memo<Vec<(String, String)>>,
) -> impl IntoView {
    let day = |d: &str| {
        if d.is_empty() {
            "Not recorded".to_owned()
        } else {
            locale::date(d)
        }
    };
    let soa = {
        let id = certificate.soa_version.clone();
        move || {
            soa_versions.with(|v| {
                v.iter()
                    .find(|(k, _)| *k == id)
                    .map_or_else(|| "Not recorded".to_owned(), |(_, n)| n.clone())
            })
        }
    };
    let expiry = match certificate.cycle().expiry() {
        Some(e) if certificate.expiry.is_empty() => {
            format!(
                "{} (expected: the decision plus 3 years less a day)",
                locale::date(&e)
            )
        }
        Some(e) => locale::date(&e),
        None => "Not known".to_owned(),
    };
    let surveillance = if certificate.surveillance.is_empty() {
        "None recorded".to_owned()
    } else {
        certificate
            .surveillance
            .iter()
            .map(|d| locale::date(d))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let majors = if certificate.stage2_majors {
        format!("Yes; verified: {}", day(&certificate.majors_verified))
    } else {
        "No".to_owned()
    };
    view! {
        <section class="card certificate" aria-labelledby="certificate-heading">
            <h3 id="certificate-heading">{format!("Certificate {}", certificate.number)}</h3>
            <dl class="facts certificate-facts">
                <div class="fact"><dt>"Certification body"</dt><dd>{certificate.body.clone()}</dd></div>
                <div class="fact"><dt>"Scope"</dt><dd>{certificate.scope.clone()}</dd></div>
                <div class="fact"><dt>"Statement of Applicability"</dt><dd>{soa}</dd></div>
                <div class="fact"><dt>"Certification decision"</dt><dd>{day(&certificate.decision)}</dd></div>
                <div class="fact"><dt>"Issued"</dt><dd>{day(&certificate.issued)}</dd></div>
                <div class="fact"><dt>"Expires"</dt><dd>{expiry}</dd></div>
                <div class="fact"><dt>"Stage 1 audit"</dt><dd>{day(&certificate.stage1)}</dd></div>
                <div class="fact"><dt>"Stage 2 audit"</dt><dd>{day(&certificate.stage2)}</dd></div>
                <div class="fact"><dt>"Major nonconformities at stage 2"</dt><dd>{majors}</dd></div>
                <div class="fact"><dt>"Surveillance audits"</dt><dd>{surveillance}</dd></div>
                <div class="fact"><dt>"Recertification audit"</dt><dd>{day(&certificate.recert_audit)}</dd></div>
                <div class="fact"><dt>"Recertification decision"</dt><dd>{day(&certificate.recert_decision)}</dd></div>
            </dl>
        </section>
    }
}

/// Where a milestone stands, in words.
fn standing_text(milestone: &Milestone, today: &str) -> String {
    match &milestone.standing {
        Standing::Met(day) => format!("Held on {}", locale::date(day)),
        Standing::Planned(day) => format!("Planned on {}", locale::date(day)),
        Standing::Open => match days_between(today, &milestone.closes) {
            Some(1) => "Open, 1 day left".to_owned(),
            Some(left) => format!("Open, {left} days left"),
            None => "Open".to_owned(),
        },
        Standing::Missed(Some(day)) => {
            format!("Missed: {} is outside the window", locale::date(day))
        }
        Standing::Missed(None) => "Missed".to_owned(),
    }
}

/// The CSS class of a milestone's row.
fn standing_class(milestone: &Milestone, today: &str) -> &'static str {
    match (&milestone.standing, urgency(milestone, today)) {
        (Standing::Missed(_), _) | (_, Some(Urgency::Urgent)) => "milestone-urgent",
        (_, Some(Urgency::Soon)) => "milestone-soon",
        (Standing::Met(_) | Standing::Planned(_), _) => "milestone-covered",
        _ => "milestone-open",
    }
}

/// The cycle's warnings, windows and renewal.
#[component]
fn CycleView(
    /// The certificate's cycle.
    cycle: Cycle,
    /// Today (YYYY-MM-DD).
    today: String,
) -> impl IntoView {
    let warnings = cycle.warnings();
    let milestones = cycle.milestones(&today);
    let renewal = cycle.renewal().map(|r| match r {
        Renewal::InTime { next_expiry } => view! {
            <p class="notice success">{format!(
                "Renewed in time: the new cycle runs to {}.",
                locale::date(&next_expiry)
            )}</p>
        }
        .into_any(),
        Renewal::Restored { lapsed, restored, gap_days, next_expiry } => view! {
            <p class="notice warning">{format!(
                "The certificate lapsed on {} and was restored on {}: {} without a certificate. The new cycle keeps the old expiry and runs to {}.",
                locale::date(&lapsed),
                locale::date(&restored),
                crate::ui::counted(gap_days as usize, "day", "days"),
                locale::date(&next_expiry)
            )}</p>
        }
        .into_any(),
        Renewal::Lapsed { lapsed, restore_by, gap_days } => view! {
            <p class="notice error">{format!(
                "The certificate lapsed on {} and was not restored by {} ({} without a certificate until the late decision). A new certification needs at least a stage 2 audit.",
                locale::date(&lapsed),
                locale::date(&restore_by),
                crate::ui::counted(gap_days as usize, "day", "days")
            )}</p>
        }
        .into_any(),
    });
    let rows = milestones
        .iter()
        .map(|m| {
            view! {
                <tr class=standing_class(m, &today)>
                    <th scope="row">{m.what.clone()}</th>
                    <td>{format!("{} – {}", locale::date(&m.opens), locale::date(&m.closes))}</td>
                    <td>{standing_text(m, &today)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card cycle" aria-labelledby="cycle-heading">
            <h3 id="cycle-heading">"The certification cycle"</h3>
            {(!warnings.is_empty()).then(|| view! {
                <ul class="cycle-warnings" aria-label="Warnings">
                    {warnings.into_iter().map(|w| view! { <li class="notice warning">{w}</li> }).collect_view()}
                </ul>
            })}
            {renewal}
            <div class="table-scroll" role="region" aria-label="Milestones, scrollable" tabindex="0">
                <table class="milestones" aria-label="Milestones">
                    <thead>
                        <tr>
                            <th scope="col">"What"</th>
                            <th scope="col">"Window"</th>
                            <th scope="col">"Where it stands"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// Moves one audit to another day and names the windows that would break;
/// nothing is stored.
#[component]
fn WhatIf(
    /// The certificate's cycle.
    cycle: Cycle,
    /// Today (YYYY-MM-DD).
    today: String,
) -> impl IntoView {
    let mut options: Vec<(String, String)> = cycle
        .surveillance
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                format!("s{i}"),
                format!("Surveillance audit on {}", locale::date(d)),
            )
        })
        .collect();
    if !cycle.recert_audit.is_empty() {
        options.push((
            "recert".to_owned(),
            format!(
                "Recertification audit on {}",
                locale::date(&cycle.recert_audit)
            ),
        ));
    }
    options.push((
        "new".to_owned(),
        "A surveillance audit not planned yet".to_owned(),
    ));
    let chosen = RwSignal::new(String::new());
    let moved_to = RwSignal::new(String::new());
    let result = move || {
        let which = chosen.get();
        if which.is_empty() {
            return None;
        }
        let day = moved_to.get().trim().to_owned();
        if day.is_empty() {
            return None;
        }
        if parse_date(&day).is_none() {
            return Some(("error", vec!["Enter the day as YYYY-MM-DD.".to_owned()]));
        }
        let mut moved = cycle.clone();
        match which.as_str() {
            "recert" => moved.recert_audit = day,
            "new" => moved.surveillance.push(day),
            s => {
                let index = s.trim_start_matches('s').parse::<usize>().ok()?;
                *moved.surveillance.get_mut(index)? = day;
            }
        }
        let broken = what_if(&cycle, &moved, &today);
        if broken.is_empty() {
            Some(("success", vec!["No window would break.".to_owned()]))
        } else {
            Some((
                "warning",
                broken
                    .into_iter()
                    .map(|m| {
                        format!(
                            "Would break: {} ({} – {})",
                            m.what,
                            locale::date(&m.opens),
                            locale::date(&m.closes)
                        )
                    })
                    .collect(),
            ))
        }
    };
    view! {
        <section class="card what-if" aria-labelledby="what-if-heading">
            <h3 id="what-if-heading">"What if an audit moves?"</h3>
            <p class="muted">"Choose an audit and another day to see which windows would break. Nothing is stored."</p>
            <div class="what-if-fields">
                <SelectField id="what-if-audit".into() label="Audit to move" value=chosen options=Signal::derive(move || options.clone()) empty="Choose…" error=Signal::derive(|| None::<String>)/>
                <TextField id="what-if-day".into() label="Move it to" placeholder="YYYY-MM-DD" value=moved_to error=Signal::derive(|| None::<String>)/>
            </div>
            <div class="what-if-result" role="status" aria-live="polite" aria-label="What would break">
                {move || result().map(|(kind, lines)| view! {
                    <ul class=format!("notice {kind}")>
                        {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                    </ul>
                })}
            </div>
        </section>
    }
}

/// The form to record or change the certificate.
#[component]
fn CertificateForm(
    /// The values to start from.
    draft: CertificateDraft,
    /// The approved SoA versions, as (id, name).
    soa_versions: Memo<Vec<(String, String)>>,
    /// Saves the certificate.
    on_save: Callback<CertificateDraft, Result<(), CommandError>>,
    /// Closes the form without saving, when it can be closed.
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let body = RwSignal::new(draft.body);
    let number = RwSignal::new(draft.number);
    let scope = RwSignal::new(draft.scope);
    let soa_version = RwSignal::new(draft.soa_version);
    let decision = RwSignal::new(draft.decision);
    let issued = RwSignal::new(draft.issued);
    let expiry = RwSignal::new(draft.expiry);
    let stage1 = RwSignal::new(draft.stage1);
    let stage2 = RwSignal::new(draft.stage2);
    let majors = RwSignal::new(draft.stage2_majors);
    let majors_verified = RwSignal::new(draft.majors_verified);
    let next_key = StoredValue::new(draft.surveillance.len());
    let surveillance = RwSignal::new(
        draft
            .surveillance
            .into_iter()
            .enumerate()
            .map(|(i, d)| (i, RwSignal::new(d)))
            .collect::<Vec<_>>(),
    );
    let recert_audit = RwSignal::new(draft.recert_audit);
    let recert_decision = RwSignal::new(draft.recert_decision);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = CertificateDraft {
            body: body.get_untracked(),
            number: number.get_untracked(),
            scope: scope.get_untracked(),
            soa_version: soa_version.get_untracked(),
            decision: decision.get_untracked(),
            issued: issued.get_untracked(),
            expiry: expiry.get_untracked(),
            stage1: stage1.get_untracked(),
            stage2: stage2.get_untracked(),
            stage2_majors: majors.get_untracked(),
            majors_verified: majors_verified.get_untracked(),
            surveillance: surveillance
                .get_untracked()
                .iter()
                .map(|(_, d)| d.get_untracked())
                .collect(),
            recert_audit: recert_audit.get_untracked(),
            recert_decision: recert_decision.get_untracked(),
        };
        errors.show(on_save.run(typed), form_ref);
    };
    let add_audit = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        surveillance.update(|list| list.push((key, RwSignal::new(String::new()))));
    };
    let surveillance_error = errors.field(Field::CertSurveillance);
    let cancel = on_cancel.unwrap_or_else(|| Callback::new(|()| ()));
    view! {
        <form
            class="card form record-form certificate-form"
            aria-label="Certificate"
            novalidate
            node_ref=form_ref
            on:submit=submit
        >
            <TextField id="cert-body".into() label="Certification body" value=body error=errors.field(Field::CertBody)/>
            <TextField id="cert-number".into() label="Certificate number" value=number error=errors.field(Field::CertNumber)/>
            <TextField id="cert-scope".into() label="Scope on the certificate" multiline=true value=scope error=errors.field(Field::CertScope)/>
            <SelectField id="cert-soa".into() label="Statement of Applicability cited" optional=true value=soa_version options=Signal::derive(move || soa_versions.get()) empty="None chosen" error=errors.field(Field::CertSoaVersion)/>
            <TextField id="cert-decision".into() label="Certification decision" placeholder="YYYY-MM-DD" value=decision error=errors.field(Field::CertDecision)/>
            <TextField id="cert-issued".into() label="Issued on" optional=true placeholder="YYYY-MM-DD" value=issued error=errors.field(Field::CertIssued)/>
            <TextField id="cert-expiry".into() label="Expiry on the certificate" optional=true placeholder="YYYY-MM-DD" hint="Leave empty to use the decision plus 3 years less a day." value=expiry error=errors.field(Field::CertExpiry)/>
            <TextField id="cert-stage1".into() label="Stage 1 audit" optional=true placeholder="YYYY-MM-DD" value=stage1 error=errors.field(Field::CertStage1)/>
            <TextField id="cert-stage2".into() label="Stage 2 audit, last day" optional=true placeholder="YYYY-MM-DD" value=stage2 error=errors.field(Field::CertStage2)/>
            <div class="field">
                <label class="check">
                    <input type="checkbox" prop:checked=move || majors.get() on:change=move |ev| majors.set(event_target_checked(&ev))/>
                    " Stage 2 found major nonconformities"
                </label>
            </div>
            <TextField id="cert-majors-verified".into() label="Major nonconformities verified on" optional=true placeholder="YYYY-MM-DD" value=majors_verified error=errors.field(Field::CertMajorsVerified)/>
            <fieldset class="surveillance-days" aria-describedby="cert-surveillance-message">
                <legend>"Surveillance audits, held or planned"</legend>
                <For
                    each=move || surveillance.get().into_iter().enumerate()
                    key=|(_, (key, _))| *key
                    children=move |(_, (key, day))| {
                        let id = format!("cert-surveillance-{key}");
                        // Numbered by place, so the labels follow a removal.
                        let number = move || {
                            surveillance.with(|l| l.iter().position(|(k, _)| *k == key).map_or(0, |p| p + 1))
                        };
                        view! {
                            <div class="field surveillance-day">
                                <label for=id.clone()>{move || format!("Surveillance audit {}", number())}</label>
                                <div class="inline-field">
                                    <input id=id type="text" placeholder="YYYY-MM-DD" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                                    <button type="button" aria-label=move || format!("Remove surveillance audit {}", number()) on:click=move |_| surveillance.update(|list| list.retain(|(k, _)| *k != key))>"Remove"</button>
                                </div>
                            </div>
                        }
                    }
                />
                <p id="cert-surveillance-message" class="field-message error">{move || surveillance_error.get()}</p>
                <button type="button" on:click=add_audit>"Add a surveillance audit"</button>
            </fieldset>
            <TextField id="cert-recert-audit".into() label="Recertification audit" optional=true placeholder="YYYY-MM-DD" value=recert_audit error=errors.field(Field::CertRecertAudit)/>
            <TextField id="cert-recert-decision".into() label="Recertification decision" optional=true placeholder="YYYY-MM-DD" value=recert_decision error=errors.field(Field::CertRecertDecision)/>
            {match on_cancel {
                Some(_) => view! { <FormActions errors=errors save="Save certificate" on_cancel=cancel/> }.into_any(),
                None => view! {
                    {move || errors.other().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                    <div class="actions"><button type="submit" class="primary">"Save certificate"</button></div>
                }
                .into_any(),
            }}
        </form>
    }
}
