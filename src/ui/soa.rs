//! The Statement of Applicability (`/soa`): the 93 controls of Annex A and
//! any added ones, with their applicability, reasons or justification,
//! implementation, the risks whose treatment cites them; progress per
//! theme; search and filters; the CSV export; controls added beyond Annex A;
//! the approved versions, and approving the next one. The printable
//! document is [`crate::ui::soa_print`].

use leptos::prelude::*;

use leptos_router::hooks::use_params_map;

use crate::ui::form::{
    ChoiceList, FormActions, FormErrors, SelectField, TextField, cancel_on_escape, editable,
    focus_later, focus_on_open, problem_notice,
};
use crate::ui::locale;
use crate::ui::signatures::SignatureNote;
use crate::ui::{OpenWorkspace, Profile, counted};
use crate::workspace::changes::Area;
use crate::workspace::model::Workspace;
use crate::workspace::signing::{Trust, Verdict};
use crate::workspace::soa::{
    Applicability, Implementation, Reason, SoaDraft, SoaFilter, SoaRow, SoaVersion, Theme,
    changed_since, matches, progress, soa_rows, verify_soa_version, versions_in_order,
};
use crate::workspace::{CommandError, Field};

/// The areas the approved versions and their signatures are read from.
pub(crate) const VERSION_AREAS: [Area; 7] = [
    Area::SoaVersions,
    Area::Soa,
    Area::Risks,
    Area::People,
    Area::Meta,
    Area::Keys,
    Area::Roles,
];

/// One approved version as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VersionRow {
    /// Its number.
    pub number: u32,
    /// When it was approved.
    pub at: i64,
    /// Who approved it, by name.
    pub approver: String,
    /// Whether its signature verifies.
    pub verdict: Verdict,
    /// How many controls changed since.
    pub changed: usize,
    /// How many controls were not decided when it was approved.
    pub undecided: usize,
}

/// The approved versions, newest first, each checked against the keys and
/// roles of `s` (and the founding key this browser pinned for `workspace`).
pub(crate) fn version_rows(s: &Workspace, workspace: &str) -> Vec<VersionRow> {
    let pinned = crate::storage::keys::pinned_founder(workspace, &s.meta.founder);
    let trust = Trust {
        founder: &s.meta.founder,
        pinned: pinned.as_deref(),
        keys: &s.keys,
        roles: &s.roles,
    };
    let row = |id: &String, v: &SoaVersion| VersionRow {
        number: v.number,
        at: v.at,
        approver: s
            .people
            .get(&v.person)
            .map_or_else(|| "an unknown person".to_owned(), |p| p.name.clone()),
        verdict: verify_soa_version(&trust, id, v),
        changed: changed_since(s, v).len(),
        undecided: v.undecided(),
    };
    versions_in_order(s)
        .into_iter()
        .rev()
        .map(|(id, v)| row(id, v))
        .collect()
}

/// The path of the open workspace ("/w/<id>").
fn base_path() -> String {
    let params = use_params_map();
    params.with_untracked(|p| format!("/w/{}", p.get("id").unwrap_or_default()))
}

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
                    <a href=format!("{}/soa/print", base_path())>"Print the Statement of Applicability"</a>
                    <button type="button" on:click=download>"Download CSV"</button>
                </div>
            </div>
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            <VersionsCard/>
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
            <AddControl/>
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

/// The approved versions, newest first, and approving the next one (top
/// management; the command says why anyone else cannot).
#[component]
fn VersionsCard() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let workspace = ws.id();
    let versions = Memo::new(move |_| {
        ws.state
            .read(&VERSION_AREAS, |s| version_rows(s, &workspace))
    });
    let undecided = Memo::new(move |_| {
        ws.state.read(&[Area::Soa, Area::Risks], |s| {
            soa_rows(s)
                .iter()
                .filter(|r| r.entry.applicable.is_none())
                .count()
        })
    });
    let confirming = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let approve_button = NodeRef::<leptos::html::Button>::new();
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    let next = move || versions.with(|v| v.first().map_or(1, |v| v.number + 1));
    let open = move |_| {
        problem.set(None);
        done.set(None);
        confirming.set(true);
        focus_later(confirm_button);
    };
    let cancel = move |_| {
        confirming.set(false);
        focus_later(approve_button);
    };
    let approve = move |_| {
        let number = next();
        let outcome = ws.run(&profile.author(), |doc, now| doc.approve_soa(now));
        match outcome {
            Ok(_) => {
                problem.set(None);
                done.set(Some(format!("Version {number} approved.")));
                confirming.set(false);
                focus_later(approve_button);
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let pending = move || {
        let n = undecided.get();
        (n > 0).then(|| {
            view! {
                <p class="notice warning">
                    {format!(
                        "{} not decided yet: an approved version keeps them as not decided.",
                        if n == 1 { "1 control is".to_owned() } else { format!("{n} controls are") }
                    )}
                </p>
            }
        })
    };
    view! {
        <section class="card soa-versions" aria-labelledby="soa-versions-heading">
            <div class="section-head">
                <div>
                    <h3 id="soa-versions-heading">"Versions"</h3>
                    <p class="muted">"Top management approves the Statement of Applicability; each approved version is kept as it was."</p>
                </div>
                <button
                    type="button"
                    class="primary"
                    node_ref=approve_button
                    class:hidden=move || confirming.get() || !editable(ws)
                    on:click=open
                >
                    "Approve this version"
                </button>
            </div>
            <p role="status" class="notice success" class:hidden=move || done.with(Option::is_none)>{move || done.get()}</p>
            {problem_notice(problem)}
            <Show when=move || confirming.get()>
                <div class="confirm" role="group" aria-label=move || format!("Approve version {} of the Statement of Applicability", next()) on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        confirming.set(false);
                        focus_later(approve_button);
                    }
                }>
                    <p>{move || format!(
                        "Approve the Statement of Applicability as it stands now as version {}? It is signed with this browser's key and kept unchanged.",
                        next()
                    )}</p>
                    {pending}
                    <div class="actions">
                        <button type="button" class="primary" node_ref=confirm_button on:click=approve>
                            {move || format!("Approve version {}", next())}
                        </button>
                        <button type="button" on:click=cancel>"Cancel"</button>
                    </div>
                </div>
            </Show>
            <Show when=move || !confirming.get()>{pending}</Show>
            <Show
                when=move || !versions.with(Vec::is_empty)
                fallback=|| view! { <p class="muted">"No version approved yet: the Statement of Applicability is a draft."</p> }
            >
                <ol class="record-list soa-version-list" aria-label="Approved versions">
                    {move || {
                        versions
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| {
                                let recorded = format!("Approved by {} on {}", v.approver, locale::day_at(v.at));
                                let changed = match v.changed {
                                    0 => "No control has changed since.".to_owned(),
                                    n => format!("{} since.", counted(n, "control has changed", "controls have changed")),
                                };
                                view! {
                                    <li class="record" aria-label=format!("Version {}", v.number)>
                                        <div class="record-head">
                                            <h4 class="record-name">{format!("Version {}", v.number)}</h4>
                                            {(i == 0).then(|| view! { <span class="badge ok">"In force"</span> })}
                                        </div>
                                        <SignatureNote verdict=v.verdict.clone() recorded=recorded/>
                                        <p class="record-detail">{changed}</p>
                                        {(v.undecided > 0).then(|| view! {
                                            <p class="record-detail">{format!("{} not decided when it was approved.", counted(v.undecided, "control was", "controls were"))}</p>
                                        })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
            </Show>
        </section>
    }
}

/// Adds a control beyond Annex A (a sector's, a customer's); it is listed
/// as, … and decided like the others.
#[component]
fn AddControl() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let theme = RwSignal::new(String::new());
    let added = RwSignal::new(None::<String>);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    let open_button = NodeRef::<leptos::html::Button>::new();
    let close = Callback::new(move |()| {
        adding.set(false);
        errors.set(None);
        focus_later(open_button);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (t, th) = (title.get_untracked(), theme.get_untracked());
        let outcome = ws.run(&profile.author(), |doc, now| doc.add_control(&t, &th, now));
        match outcome {
            Ok(id) => {
                added.set(Some(format!(
                    "Added {id} “{}”: decide it in the list below.",
                    t.trim()
                )));
                title.set(String::new());
                theme.set(String::new());
                errors.set(None);
                adding.set(false);
                focus_later(open_button);
            }
            Err(e) => errors.show(Err(e), form_ref),
        }
    };
    let themes = Signal::derive(|| {
        Theme::ALL
            .iter()
            .map(|t| (t.key().to_owned(), t.label().to_owned()))
            .collect::<Vec<_>>()
    });
    view! {
        <div class="soa-add no-print">
            <button
                type="button"
                node_ref=open_button
                class:hidden=move || adding.get() || !editable(ws)
                on:click=move |_| {
                    added.set(None);
                    adding.set(true);
                }
            >
                "Add a control"
            </button>
            <p role="status" class="muted" class:hidden=move || added.with(Option::is_none)>{move || added.get()}</p>
            <Show when=move || adding.get()>
                {
                    focus_on_open(first);
                    view! {
                        <form class="card form record-form" aria-label="New control" novalidate node_ref=form_ref on:submit=submit on:keydown=cancel_on_escape(close)>
                            <p class="form-title">"Add a control beyond Annex A"</p>
                            <p class="muted">"Such as one your sector or a customer requires. It is numbered A-1, A-2, … and decided like the others."</p>
                            <TextField id="soa-added-title".into() label="Control" value=title error=errors.field(Field::SoaControlTitle) node_ref=first/>
                            <SelectField id="soa-added-theme".into() label="Theme" value=theme options=themes empty="Choose…" error=errors.field(Field::SoaControlTheme)/>
                            <FormActions errors=errors save="Add control" on_cancel=close/>
                        </form>
                    }
                }
            </Show>
        </div>
    }
}
