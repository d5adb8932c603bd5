//! Context and scope (`/context`, clauses 4.1–4.3): the internal and
//! external issues, the climate-change question, the interested parties and
//! their requirements, and the scope's versions with their approval.

use leptos::prelude::*;

use crate::ui::form::{
    AddButton, EmptyState, FormActions, FormErrors, SelectField, TextField, cancel_on_escape,
    editable, focus_later, focus_on_open, problem_notice,
};
use crate::ui::locale;
use crate::ui::signatures::{SignatureNote, verdict};
use crate::ui::{OpenWorkspace, Profile, today};
use crate::workspace::changes::Area;
use crate::workspace::context::{
    ContextIssue, IssueDraft, IssueKind, RequirementKind, ScopeDraft, current_issues, scope_digest,
    scope_in_force, scope_versions,
};
use crate::workspace::model::sort_list;
use crate::workspace::signing::Act;
use crate::workspace::{CommandError, Field};

/// The text, or "None stated" when it is empty.
fn or_none(text: &str) -> String {
    if text.trim().is_empty() {
        "None stated".to_owned()
    } else {
        text.to_owned()
    }
}

/// A requirement as listed: its text, kind, whether addressed, and where.
type RequirementRow = (String, String, bool, String);

/// The context section of the open workspace.
#[component]
pub fn ContextSection() -> impl IntoView {
    crate::ui::form::scroll_to_fragment();
    view! {
        <section class="context" aria-labelledby="context-heading">
            <div class="section-head">
                <div>
                    <h2 id="context-heading">"Context and scope"</h2>
                    <p class="muted">
                        "The issues that shape the ISMS, the interested parties and their requirements, and where the ISMS begins and ends (ISO/IEC 27001, clauses 4.1 to 4.3). Changes here since the last management review appear in its inputs (b) and (c)."
                    </p>
                </div>
            </div>
            <Issues/>
            <ClimateCard/>
            <Parties/>
            <Scope/>
        </section>
    }
}

#[component]
fn Issues() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let problem = RwSignal::new(None::<String>);
    let issues = Memo::new(move |_| {
        ws.state.read(&[Area::Issues], |s| {
            current_issues(s)
                .into_iter()
                .map(|(id, i)| (id.clone(), i.clone()))
                .collect::<Vec<_>>()
        })
    });
    let add = Callback::new(move |draft: IssueDraft| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_issue(&draft, &today(), now)
        })
        .map(|_| {
            adding.set(false);
            focus_later(add_button);
        })
    });
    let archive = move |id: String| {
        let outcome = ws.run(&profile.author(), |doc, now| doc.archive_issue(&id, now));
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    view! {
        <section class="card" aria-labelledby="issues-heading" id="issues">
            <div class="section-head">
                <h3 id="issues-heading">"Internal and external issues (4.1)"</h3>
                <AddButton
                    label="Record issue"
                    adding=adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| adding.set(true))
                />
            </div>
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <IssueForm
                    on_save=add
                    on_cancel=Callback::new(move |()| {
                        adding.set(false);
                        focus_later(add_button);
                    })
                />
            </Show>
            <Show
                when=move || !issues.with(Vec::is_empty)
                fallback=move || view! {
                    <EmptyState
                        title="No issues recorded yet"
                        hint="Record what inside and outside the organisation affects its information security: new laws, the market, a move to the cloud, staff turnover."
                        hidden=adding
                    />
                }
            >
                <ul class="record-list" aria-label="Issues">
                    {move || {
                        issues
                            .get()
                            .into_iter()
                            .map(|(id, issue)| view! { <IssueItem id=id issue=issue on_archive=archive/> })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn IssueItem(
    id: String,
    issue: ContextIssue,
    on_archive: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let record_id = format!("record-{id}");
    let label = format!("Archive the issue “{}”", issue.text);
    view! {
        <li class="record" id=record_id aria-label=issue.text.clone()>
            <div class="record-head">
                <div>
                    <h4 class="record-name" tabindex="-1">{issue.text.clone()}</h4>
                    <p class="record-detail">
                        {format!("{} · reviewed {}", issue.kind.label(), locale::date(&issue.reviewed))}
                    </p>
                </div>
            </div>
            <p>{format!("Effect: {}", issue.effect)}</p>
            <div class="item-actions" class:hidden=move || !editable(ws)>
                <button type="button" class="danger" aria-label=label on:click=move |_| on_archive(id.clone())>
                    "Archive"
                </button>
            </div>
        </li>
    }
}

#[component]
fn IssueForm(
    on_save: Callback<IssueDraft, Result<(), CommandError>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let kind = RwSignal::new("external".to_owned());
    let text = RwSignal::new(String::new());
    let effect = RwSignal::new(String::new());
    let reviewed = RwSignal::new(today());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = IssueDraft {
            kind: if kind.get_untracked() == "internal" {
                IssueKind::Internal
            } else {
                IssueKind::External
            },
            text: text.get_untracked(),
            effect: effect.get_untracked(),
            reviewed: reviewed.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
    let kinds = Signal::derive(|| {
        vec![
            ("external".to_owned(), "External".to_owned()),
            ("internal".to_owned(), "Internal".to_owned()),
        ]
    });
    view! {
        <form
            class="form record-form"
            aria-label="New issue"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_cancel)
        >
            <SelectField id="issue-kind".into() label="Kind" value=kind options=kinds empty="Choose…" error=Signal::derive(|| None::<String>)/>
            <TextField id="issue-text".into() label="Issue" multiline=true value=text error=errors.field(Field::IssueText)/>
            <TextField id="issue-effect".into() label="Effect on the ISMS" multiline=true value=effect error=errors.field(Field::IssueEffect)/>
            <TextField id="issue-reviewed".into() label="Last reviewed" placeholder="YYYY-MM-DD" value=reviewed error=errors.field(Field::IssueReviewed)/>
            <FormActions errors=errors save="Save issue" on_cancel=on_cancel/>
        </form>
    }
}

/// Whether climate change is a relevant issue (Amd 1:2024), and why.
#[component]
fn ClimateCard() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let climate = Memo::new(move |_| ws.state.read(&[Area::Meta], |s| s.meta.climate.clone()));
    let answer = RwSignal::new(String::new());
    let rationale = RwSignal::new(String::new());
    Effect::new(move |_| {
        let c = climate.get();
        answer.set(match c.relevant {
            Some(true) => "yes".to_owned(),
            Some(false) => "no".to_owned(),
            None => String::new(),
        });
        rationale.set(c.rationale);
    });
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let relevant = match answer.get_untracked().as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                let mut e = crate::workspace::ValidationErrors::default();
                e.0.push(crate::workspace::FieldError {
                    field: Field::ClimateRelevant,
                    message: "Answer yes or no.".to_owned(),
                });
                errors.show(Err(CommandError::Invalid(e)), form_ref);
                return;
            }
        };
        let text = rationale.get_untracked();
        let outcome = ws.run(&profile.author(), |doc, now| {
            doc.set_climate(relevant, &text, now)
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
    view! {
        <section class="card" aria-labelledby="climate-heading">
            <h3 id="climate-heading">"Is climate change a relevant issue?"</h3>
            <p class="muted">"ISO/IEC 27001:2022/Amd 1:2024 asks every organisation to decide, and say why."</p>
            <form class="form" aria-label="Climate change" novalidate node_ref=form_ref on:submit=submit>
                <SelectField id="climate-relevant".into() label="Climate change is a relevant issue" value=answer options=options empty="Not answered" error=errors.field(Field::ClimateRelevant)/>
                <TextField id="climate-rationale".into() label="Why" multiline=true value=rationale error=errors.field(Field::ClimateRationale)/>
                <div class="form-actions" class:hidden=move || !editable(ws)>
                    <button type="submit" class="primary">"Save answer"</button>
                    <p class="muted" role="status">{move || saved.get().then_some("Saved.")}</p>
                </div>
            </form>
        </section>
    }
}

#[component]
fn Parties() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let name = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let parties = Memo::new(move |_| {
        ws.state.read(&[Area::Parties], |s| {
            let mut list: Vec<(String, String, Vec<RequirementRow>)> = s
                .parties
                .iter()
                .filter(|(_, p)| p.archived.is_none())
                .map(|(id, p)| {
                    let mut requirements: Vec<_> = p
                        .requirements
                        .values()
                        .map(|r| {
                            (
                                r.text.clone(),
                                r.kind.label().to_owned(),
                                r.addressed,
                                r.addressed_in.clone(),
                            )
                        })
                        .collect();
                    sort_list(&mut requirements, |a, b| a.0.cmp(&b.0));
                    (id.clone(), p.name.clone(), requirements)
                })
                .collect();
            sort_list(&mut list, |a, b| a.1.cmp(&b.1));
            list
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked();
        let outcome = ws
            .run(&profile.author(), |doc, now| doc.add_party(&typed, now))
            .map(|_| name.set(String::new()));
        errors.show(outcome, form_ref);
    };
    view! {
        <section class="card" aria-labelledby="parties-heading" id="parties">
            <h3 id="parties-heading">"Interested parties and their requirements (4.2)"</h3>
            <ul class="record-list" aria-label="Interested parties">
                {move || {
                    parties
                        .get()
                        .into_iter()
                        .map(|(id, name, requirements)| view! { <PartyItem id=id name=name requirements=requirements/> })
                        .collect_view()
                }}
            </ul>
            <form class="inline-form" aria-label="New interested party" novalidate node_ref=form_ref on:submit=submit class:hidden=move || !editable(ws)>
                <TextField id="party-name".into() label="Interested party" placeholder="Customers" value=name error=errors.field(Field::PartyName)/>
                <button type="submit">"Add party"</button>
            </form>
        </section>
    }
}

#[component]
fn PartyItem(id: String, name: String, requirements: Vec<RequirementRow>) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let text = RwSignal::new(String::new());
    let kind = RwSignal::new("legal".to_owned());
    let addressed_in = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let prefix = format!("requirement-{id}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let kind = RequirementKind::ALL
            .into_iter()
            .find(|k| k.slug() == kind.get_untracked())
            .unwrap_or_default();
        let typed = text.get_untracked();
        let place = addressed_in.get_untracked();
        let place = (!place.trim().is_empty()).then_some(place);
        let outcome = ws
            .run(&profile.author(), |doc, now| {
                doc.add_requirement(&id, &typed, kind, place.as_deref(), now)
            })
            .map(|_| {
                text.set(String::new());
                addressed_in.set(String::new());
            });
        errors.show(outcome, form_ref);
    };
    let kinds = Signal::derive(|| {
        RequirementKind::ALL
            .iter()
            .map(|k| (k.slug().to_owned(), k.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let form_label = format!("New requirement of {name}");
    view! {
        <li class="record" aria-label=name.clone()>
            <h4 class="record-name">{name.clone()}</h4>
            {if requirements.is_empty() {
                view! { <p class="muted">"No requirements recorded yet."</p> }.into_any()
            } else {
                view! {
                    <ul aria-label=format!("Requirements of {name}")>
                        {requirements
                            .into_iter()
                            .map(|(text, kind, addressed, place)| view! {
                                <li>
                                    <span class="badge">{kind}</span>" "{text}" — "
                                    {if addressed { format!("addressed in {place}") } else { "not addressed by the ISMS".to_owned() }}
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <form class="form" aria-label=form_label novalidate node_ref=form_ref on:submit=submit class:hidden=move || !editable(ws)>
                <div class="field-row">
                    <TextField id=format!("{prefix}-text") label="Requirement" value=text error=errors.field(Field::RequirementText)/>
                    <SelectField id=format!("{prefix}-kind") label="Kind" value=kind options=kinds empty="Choose…" error=Signal::derive(|| None::<String>)/>
                </div>
                <TextField
                    id=format!("{prefix}-where")
                    label="Where the ISMS addresses it"
                    optional=true
                    hint="A policy, a control, a procedure. Leave empty when the ISMS does not address it."
                    value=addressed_in
                    error=errors.field(Field::RequirementWhere)
                />
                <div class="form-actions"><button type="submit">"Add requirement"</button></div>
            </form>
        </li>
    }
}

/// The scope's versions: write a new one, approve it (signed).
#[component]
fn Scope() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let writing = RwSignal::new(false);
    let write_button = NodeRef::<leptos::html::Button>::new();
    let problem = RwSignal::new(None::<String>);
    let versions = Memo::new(move |_| {
        ws.state.read(&[Area::Scopes], |s| {
            let in_force = scope_in_force(s).map(|(id, _)| id.clone());
            scope_versions(s)
                .into_iter()
                .rev()
                .map(|(id, v)| {
                    (
                        id.clone(),
                        v.clone(),
                        in_force.as_deref() == Some(id.as_str()),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let statement = RwSignal::new(String::new());
    let boundaries = RwSignal::new(String::new());
    let interfaces = RwSignal::new(String::new());
    let dependencies = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let first = NodeRef::<leptos::html::Input>::new();
    let open = move || {
        let current = ws
            .state
            .untracked(|s| scope_in_force(s).map(|(_, v)| v.clone()));
        let current = current.unwrap_or_else(|| crate::workspace::context::ScopeVersion {
            statement: ws.state.untracked(|s| s.meta.scope.clone()),
            ..Default::default()
        });
        statement.set(current.statement);
        boundaries.set(current.boundaries);
        interfaces.set(current.interfaces);
        dependencies.set(current.dependencies);
        writing.set(true);
    };
    let close = Callback::new(move |()| {
        writing.set(false);
        focus_later(write_button);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = ScopeDraft {
            statement: statement.get_untracked(),
            boundaries: boundaries.get_untracked(),
            interfaces: interfaces.get_untracked(),
            dependencies: dependencies.get_untracked(),
        };
        let outcome = ws
            .run(&profile.author(), |doc, now| {
                doc.add_scope_version(&draft, now)
            })
            .map(|_| close.run(()));
        errors.show(outcome, form_ref);
    };
    let approve = move |id: String| {
        let outcome = ws.run(&profile.author(), |doc, now| doc.approve_scope(&id, now));
        problem.set(outcome.err().map(|e| e.to_string()));
    };
    view! {
        <section class="card" aria-labelledby="scope-heading" id="scope">
            <div class="section-head">
                <h3 id="scope-heading">"Scope (4.3)"</h3>
                <button
                    type="button"
                    node_ref=write_button
                    class:hidden=move || writing.get() || !editable(ws)
                    on:click=move |_| open()
                >
                    "Write a new version"
                </button>
            </div>
            {problem_notice(problem)}
            <Show when=move || writing.get()>
                {
                    focus_on_open(first);
                    view! {
                        <form class="form record-form" aria-label="New scope version" novalidate node_ref=form_ref on:submit=submit on:keydown=cancel_on_escape(close)>
                            <TextField id="scope-statement".into() label="Scope statement" multiline=true value=statement error=errors.field(Field::ScopeStatement)/>
                            <TextField id="scope-boundaries".into() label="Boundaries: what is in and what is out" multiline=true value=boundaries error=errors.field(Field::ScopeBoundaries)/>
                            <TextField id="scope-interfaces".into() label="Interfaces" optional=true multiline=true value=interfaces error=errors.field(Field::ScopeInterfaces)/>
                            <TextField id="scope-dependencies".into() label="Dependencies" optional=true multiline=true value=dependencies error=errors.field(Field::ScopeDependencies)/>
                            <FormActions errors=errors save="Save version" on_cancel=close/>
                        </form>
                    }
                }
            </Show>
            {move || {
                let list = versions.get();
                if list.is_empty() {
                    return view! { <p class="muted">"No scope version written yet. The scope on the workspace's details is used until one is approved."</p> }.into_any();
                }
                view! {
                    <ul class="record-list" aria-label="Scope versions">
                        {list
                            .into_iter()
                            .map(|(id, v, in_force)| {
                                let approval = v.approval.clone();
                                let digest = scope_digest(&v);
                                let note = approval.map(|a| {
                                    let act = Act::ScopeApproval { version: &id, number: v.number, digest: &digest };
                                    let verdict = verdict(ws, &act, a.signature.as_ref());
                                    let name = ws.state.read(&[Area::People], |s| {
                                        s.people.get(&a.person).map(|p| p.name.clone()).unwrap_or_default()
                                    });
                                    let recorded = format!("Approved by {name} on {}", locale::day_at(a.at));
                                    view! { <SignatureNote verdict recorded/> }
                                });
                                let approve_id = id.clone();
                                let approvable = v.approval.is_none();
                                let label = format!("Approve version {}", v.number);
                                view! {
                                    <li class="record" aria-label=format!("Scope version {}", v.number)>
                                        <div class="record-head">
                                            <h4 class="record-name">{format!("Version {}", v.number)}</h4>
                                            {in_force.then(|| view! { <span class="badge ok">"In force"</span> })}
                                            {approvable.then(|| view! { <span class="badge warn">"Not approved"</span> })}
                                        </div>
                                        <p class="pre">{v.statement.clone()}</p>
                                        <dl class="facts">
                                            <div class="fact"><dt>"Boundaries"</dt><dd class="pre">{v.boundaries.clone()}</dd></div>
                                            <div class="fact"><dt>"Interfaces"</dt><dd class="pre">{or_none(&v.interfaces)}</dd></div>
                                            <div class="fact"><dt>"Dependencies"</dt><dd class="pre">{or_none(&v.dependencies)}</dd></div>
                                        </dl>
                                        {note}
                                        <div class="item-actions" class:hidden=move || !approvable || !editable(ws)>
                                            <button type="button" class="primary" on:click=move |_| approve(approve_id.clone())>{label}</button>
                                        </div>
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
