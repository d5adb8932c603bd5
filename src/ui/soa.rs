//! The Statement of Applicability (`/soa`): the 93 controls of Annex A and
//! any added ones, with their applicability, reasons or justification,
//! implementation, the risks whose treatment cites them; progress per
//! theme; search and filters; the CSV export. It prints as the document.

use leptos::prelude::*;

use crate::ui::form::{
    ChoiceList, FormActions, FormErrors, SelectField, TextField, cancel_on_escape, editable,
    focus_later,
};
use crate::ui::{OpenWorkspace, Profile};
use crate::workspace::changes::Area;
use crate::workspace::soa::{
    Applicability, Implementation, Reason, SoaDraft, SoaFilter, SoaRow, Theme, matches, progress,
    soa_rows,
};
use crate::workspace::{CommandError, Field};

/// The Statement of Applicability of the open workspace.
#[component]
pub fn SoaSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let query = RwSignal::new(String::new());
    let theme = RwSignal::new(String::new());
    let applicability = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let rows = Memo::new(move |_| ws.state.read(&[Area::Soa, Area::Risks], soa_rows));
    let shown = Memo::new(move |_| {
        let filter = SoaFilter {
            theme: Theme::ALL.into_iter().find(|t| t.key() == theme.get()),
            applicability: Applicability::ALL
                .into_iter()
                .find(|a| format!("{a:?}").to_lowercase() == applicability.get()),
            status: None,
        };
        let q = query.get();
        rows.with(|rows| {
            rows.iter()
                .filter(|r| matches(r, &q, &filter))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let summary = Memo::new(move |_| ws.state.read(&[Area::Soa, Area::Risks], progress));
    let download = move |_| {
        let text = ws.state.untracked(crate::workspace::csv::soa_csv);
        if let Err(e) = crate::ui::export::download(
            text.as_bytes(),
            "statement-of-applicability.csv",
            "text/csv",
        ) {
            problem.set(Some(e));
        }
    };
    let themes = Signal::derive(|| {
        Theme::ALL
            .iter()
            .map(|t| (t.key().to_owned(), t.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let applicabilities = Signal::derive(|| {
        Applicability::ALL
            .iter()
            .map(|a| (format!("{a:?}").to_lowercase(), a.label().to_owned()))
            .collect::<Vec<_>>()
    });
    view! {
        <section class="soa" aria-labelledby="soa-heading">
            <div class="section-head">
                <div>
                    <h2 id="soa-heading">"Statement of Applicability"</h2>
                    <p class="muted">
                        "The controls of ISO/IEC 27001:2022 Annex A and any added ones: whether each applies and why, or why not, and how far it is implemented (clause 6.1.3 d)."
                    </p>
                </div>
                <div class="head-actions">
                    <button type="button" on:click=download>"Download CSV"</button>
                </div>
            </div>
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            // Scrolls sideways on a phone, and takes the focus so a keyboard can scroll it.
            <div class="table-scroll" role="region" aria-label="Progress per theme, scrollable" tabindex="0">
            <table class="pack-table soa-progress" aria-label="Progress per theme">
                <thead>
                    <tr>
                        <th scope="col">"Theme"</th>
                        <th scope="col">"Controls"</th>
                        <th scope="col">"Applicable"</th>
                        <th scope="col">"Implemented"</th>
                        <th scope="col">"Excluded"</th>
                        <th scope="col">"Not decided"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        summary
                            .get()
                            .into_iter()
                            .map(|p| view! {
                                <tr>
                                    <th scope="row">{p.theme.label()}</th>
                                    <td>{p.total}</td>
                                    <td>{p.applicable}</td>
                                    <td>{p.implemented}</td>
                                    <td>{p.excluded}</td>
                                    <td>{p.undecided}</td>
                                </tr>
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            </div>
            <div class="field-row soa-filters no-print" role="search" aria-label="Find controls">
                <TextField id="soa-query".into() label="Find a control" placeholder="5.15 or access" value=query error=Signal::derive(|| None::<String>)/>
                <SelectField id="soa-theme".into() label="Theme" value=theme options=themes empty="All themes" error=Signal::derive(|| None::<String>)/>
                <SelectField id="soa-applicability".into() label="Applicability" value=applicability options=applicabilities empty="All" error=Signal::derive(|| None::<String>)/>
            </div>
            <p class="muted" role="status">{move || format!("{} of {} controls shown.", shown.with(Vec::len), rows.with(Vec::len))}</p>
            <ul class="record-list soa-list" aria-label="Controls">
                {move || {
                    shown
                        .get()
                        .into_iter()
                        .map(|row| view! { <ControlRow row=row editing=editing/> })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

#[component]
fn ControlRow(row: SoaRow, editing: RwSignal<Option<String>>) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let id = row.id.clone();
    let is_editing = {
        let id = id.clone();
        Memo::new(move |_| editing.with(|e| e.as_deref() == Some(id.as_str())))
    };
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let names = ws.state.read(&[Area::Risks, Area::People], |s| {
        let risks: Vec<String> = row
            .risks
            .iter()
            .filter_map(|r| s.risks.get(r).map(|r| r.title.clone()))
            .collect();
        let owner = s
            .people
            .get(&row.entry.owner)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        (risks, owner)
    });
    let (risks, owner) = names;
    let entry = row.entry.clone();
    let decision = match entry.applicable {
        Some(true) => {
            let reasons: Vec<&str> = entry.reasons.iter().map(|r| r.label()).collect();
            format!("Applicable: {}", reasons.join(", "))
        }
        Some(false) => format!("Excluded: {}", entry.justification),
        None => "Not decided yet".to_owned(),
    };
    let badge = match entry.applicable {
        Some(true) => ("ok", entry.status.label()),
        Some(false) => ("", "Excluded"),
        None => ("warn", "Not decided"),
    };
    let warnings = row.warnings();
    let label = format!("{} {}", row.id, row.title);
    let save = {
        let id = id.clone();
        Callback::new(move |draft: SoaDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.set_soa_entry(&id, &draft, now)
            })
            .map(|()| {
                editing.set(None);
                focus_later(edit_button);
            })
        })
    };
    let cancel = Callback::new(move |()| {
        editing.set(None);
        focus_later(edit_button);
    });
    let open_id = id.clone();
    view! {
        <li class="record soa-row" id=format!("record-{}", row.id) aria-label=label.clone()>
            <div class="record-head">
                <h3 class="record-name">{format!("{} {}", row.id, row.title)}</h3>
                <span class=format!("badge {}", badge.0)>{badge.1}</span>
            </div>
            <p>{decision}</p>
            {(!risks.is_empty()).then(|| view! { <p class="record-detail">{format!("Treats: {}", risks.join(", "))}</p> })}
            {(!owner.is_empty() || !entry.evidence.is_empty()).then(|| view! {
                <p class="record-detail">{format!("Owner: {} · Evidence: {}", if owner.is_empty() { "none" } else { owner.as_str() }, if entry.evidence.is_empty() { "none" } else { entry.evidence.as_str() })}</p>
            })}
            {warnings.into_iter().map(|w| view! { <p class="notice warning">{w}</p> }).collect_view()}
            <div class="item-actions" class:hidden=move || !editable(ws) || is_editing.get()>
                <button type="button" node_ref=edit_button aria-label=format!("Decide {label}") on:click=move |_| editing.set(Some(open_id.clone()))>
                    "Decide"
                </button>
            </div>
            <Show when=move || is_editing.get()>
                <ControlForm id=id.clone() initial=SoaDraft::of(&entry) on_save=save on_cancel=cancel/>
            </Show>
        </li>
    }
}

#[component]
fn ControlForm(
    id: String,
    initial: SoaDraft,
    on_save: Callback<SoaDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let applicable = RwSignal::new(
        match initial.applicable {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        }
        .to_owned(),
    );
    let reasons = RwSignal::new(
        initial
            .reasons
            .iter()
            .map(|r| r.slug().to_owned())
            .collect::<Vec<_>>(),
    );
    let justification = RwSignal::new(initial.justification);
    let status = RwSignal::new(initial.status.slug().to_owned());
    let evidence = RwSignal::new(initial.evidence);
    let owner = initial.owner;
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = SoaDraft {
            applicable: match applicable.get_untracked().as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            reasons: reasons
                .get_untracked()
                .iter()
                .filter_map(|r| Reason::from_slug(r))
                .collect(),
            justification: justification.get_untracked(),
            status: Implementation::from_slug(&status.get_untracked()).unwrap_or_default(),
            owner: owner.clone(),
            evidence: evidence.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let answers = Signal::derive(|| {
        vec![
            ("yes".to_owned(), "Applicable".to_owned()),
            ("no".to_owned(), "Excluded".to_owned()),
        ]
    });
    let reason_options = Signal::derive(|| {
        Reason::ALL
            .iter()
            .map(|r| (r.slug().to_owned(), r.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let statuses = Signal::derive(|| {
        Implementation::ALL
            .iter()
            .map(|s| (s.slug().to_owned(), s.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let prefix = format!("soa-{}", id.replace('.', "-"));
    view! {
        <form class="form" aria-label=format!("Decide control {id}") novalidate node_ref=form_ref on:submit=submit on:keydown=cancel_on_escape(on_cancel)>
            <SelectField id=format!("{prefix}-applicable") label="Applicability" value=applicable options=answers empty="Not decided" error=errors.field(Field::SoaApplicable)/>
            <ChoiceList legend="Why it applies" options=reason_options chosen=reasons empty=""/>
            <p class="field-message error" role="alert">{move || errors.field(Field::SoaReasons).get()}</p>
            <TextField id=format!("{prefix}-justification") label="Justification" hint="Required when the control is excluded." multiline=true value=justification error=errors.field(Field::SoaJustification)/>
            <div class="field-row">
                <SelectField id=format!("{prefix}-status") label="Implementation" value=status options=statuses empty="Choose…" error=Signal::derive(|| None::<String>)/>
                <TextField id=format!("{prefix}-evidence") label="Evidence" optional=true value=evidence error=errors.field(Field::SoaEvidence)/>
            </div>
            <FormActions errors=errors save="Save decision" on_cancel=on_cancel/>
        </form>
    }
}
