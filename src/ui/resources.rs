//! Resources (clause 7.1): the ISMS budget — its lines, their approval by top
//! management, the totals per year and currency with what is left — and the
//! people time given to each ISMS role.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::ui::form::{
    AddButton, EmptyState, FormActions, FormErrors, ListState, TextField, UndoToast,
    cancel_on_escape, editable, focus_first_invalid, focus_later, focus_on_open, id_prefix,
    problem_notice,
};
use crate::ui::signatures::{SignatureNote, verdict};
use crate::ui::{OpenWorkspace, Profile, locale};
use crate::workspace::changes::Area;
use crate::workspace::model::sort_list;
use crate::workspace::resources::{
    BudgetApprovalDraft, BudgetLine, BudgetLineDraft, BudgetTotal, FteAllocation, FteDraft,
    budget_in_order, budget_totals, format_amount, format_fte, total_fte,
};
use crate::workspace::signing::Act;
use crate::workspace::{CommandError, Field, Workspace};

/// The currency a new budget line starts with when there is none yet.
const DEFAULT_CURRENCY: &str = "EUR";

/// The resources section of the open workspace.
#[component]
pub fn ResourcesSection() -> impl IntoView {
    view! {
        <section class="resources" aria-labelledby="resources-heading">
            <div class="section-head">
                <div>
                    <h2 id="resources-heading">"Resources"</h2>
                    <p class="muted">
                        "The budget and the people time top management gives the ISMS (ISO/IEC 27001, clause 7.1)."
                    </p>
                </div>
            </div>
            <BudgetPart/>
            <PeopleTimePart/>
        </section>
    }
}

// Budget

/// A budget line that was just deleted, kept so the deletion can be undone.
#[derive(Clone)]
struct Deleted {
    /// The line's id, under which it is put back.
    id: String,
    /// The line as it was.
    line: BudgetLine,
}

/// How a person names a budget line: "Tools and licences 2026".
fn line_name(line: &BudgetLine) -> String {
    format!("{} {}", line.category, line.year)
}

/// The starting values of the "New budget line" form: this year, and the
/// currency of the line added last.
fn new_line_draft(s: &Workspace) -> BudgetLineDraft {
    let currency = s
        .budget
        .values()
        .max_by_key(|l| l.created_at)
        .map_or_else(|| DEFAULT_CURRENCY.to_owned(), |l| l.currency.clone());
    BudgetLineDraft {
        year: crate::ui::today().chars().take(4).collect(),
        currency,
        ..Default::default()
    }
}

/// The form's starting values for an existing line.
fn line_draft(line: &BudgetLine) -> BudgetLineDraft {
    BudgetLineDraft {
        category: line.category.clone(),
        description: line.description.clone(),
        year: line.year.to_string(),
        currency: line.currency.clone(),
        requested: format_amount(line.requested),
        spent: if line.spent == 0 {
            String::new()
        } else {
            format_amount(line.spent)
        },
    }
}

/// What is left of the approved amount; an overspend is marked as such.
fn variance_view(minor: i64, currency: &str) -> impl IntoView + use<> {
    let label = locale::money(minor, currency);
    if minor < 0 {
        view! {
            <span class="overspent">
                {label} " " <span class="badge overspend">"Overspent"</span>
            </span>
        }
        .into_any()
    } else {
        label.into_any()
    }
}

/// The budget: its totals, its lines, and the form that adds one.
#[component]
fn BudgetPart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let list = ListState::new();
    let ListState {
        adding,
        editing,
        problem,
        add_button,
    } = list;
    let approving = RwSignal::new(None::<String>);
    let deleted = RwSignal::new(None::<Deleted>);
    let ids = Memo::new(move |_| {
        ws.state.read(&[Area::Budget], |s| {
            budget_in_order(&s.budget)
                .into_iter()
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        })
    });

    let add = Callback::new(move |draft: BudgetLineDraft| {
        ws.run(&profile.author(), |doc, now| {
            doc.add_budget_line(&draft, now)
        })
        .map(|_| {
            deleted.set(None);
            list.close_add();
        })
    });
    let cancel = Callback::new(move |()| list.close_add());
    let delete = Callback::new(move |id: String| {
        let outcome = ws.run(&profile.author(), |doc, now| {
            doc.delete_budget_line(&id, now)
        });
        if let Some(line) = list.report(outcome) {
            deleted.set(Some(Deleted { id, line }));
        }
    });
    let undo = move |()| {
        if let Some(Deleted { id, line }) = deleted.get_untracked() {
            let outcome = ws.run(&profile.author(), |doc, now| {
                doc.restore_budget_line(&id, &line, now)
            });
            if list.report(outcome).is_some() {
                deleted.set(None);
            }
        }
    };

    view! {
        <section class="resources-part" aria-labelledby="budget-heading">
            <div class="section-head">
                <div>
                    <h3 id="budget-heading">"Budget"</h3>
                    <p class="muted">
                        "What the ISMS needs, what top management approved, and what has been spent."
                    </p>
                </div>
                <AddButton
                    label="Add budget line"
                    adding=adding
                    node_ref=add_button
                    on_click=Callback::new(move |()| {
                        editing.set(None);
                        approving.set(None);
                        adding.set(true);
                    })
                />
            </div>
            <UndoToast
                message=Signal::derive(move || deleted.with(|d| d.as_ref().map(|d| format!("Deleted budget line {}.", line_name(&d.line)))))
                on_undo=Callback::new(undo)
                on_dismiss=Callback::new(move |()| deleted.set(None))
            />
            {problem_notice(problem)}
            <Show when=move || adding.get()>
                <BudgetLineForm
                    name="New budget line"
                    initial=ws.state.untracked(new_line_draft)
                    on_save=add
                    on_cancel=cancel
                />
            </Show>
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <EmptyState title="No budget lines yet" hint="Add what the ISMS needs: staff, tools and licences, training, consulting, audits." hidden=adding/>
                    }
                }
            >
                <BudgetTotals/>
                <ul class="record-list" aria-label="Budget lines">
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| {
                            view! {
                                <BudgetLineItem
                                    id=id
                                    editing=editing
                                    approving=approving
                                    problem=problem
                                    on_delete=delete
                                />
                            }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// The sums per year and currency, never adding different currencies.
#[component]
fn BudgetTotals() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let totals = Memo::new(move |_| ws.state.read(&[Area::Budget], |s| budget_totals(&s.budget)));
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="budget-totals">
                <caption>"Budget totals"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Year · currency"</th>
                        <th scope="col">"Requested"</th>
                        <th scope="col">"Approved"</th>
                        <th scope="col">"Spent"</th>
                        <th scope="col">"Approved − spent"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || totals.get().into_iter().map(total_row).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One row of the totals table.
fn total_row(total: BudgetTotal) -> impl IntoView {
    let currency = total.currency.as_str();
    view! {
        <tr>
            <th scope="row">{format!("{} · {}", total.year, currency)}</th>
            <td>{locale::money(total.requested, currency)}</td>
            <td>{locale::money(total.approved, currency)}</td>
            <td>{locale::money(total.spent, currency)}</td>
            <td>{variance_view(total.approved_minus_spent(), currency)}</td>
        </tr>
    }
}

/// One budget line: its figures and approval, or its edit form.
#[component]
fn BudgetLineItem(
    /// The line's id.
    id: String,
    /// Which line is being edited, shared by the list.
    editing: RwSignal<Option<String>>,
    /// Which line's approval form is open, shared by the list.
    approving: RwSignal<Option<String>>,
    /// Where a failed change is reported.
    problem: RwSignal<Option<String>>,
    /// Deletes the line with the given id.
    on_delete: Callback<String>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let line = {
        let id = id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::Budget, &id, |s| s.budget.get(&id).cloned())
        })
    };
    let is_editing = {
        let id = id.clone();
        move || editing.with(|e| e.as_deref() == Some(id.as_str()))
    };
    let is_approving = {
        let id = id.clone();
        move || approving.with(|a| a.as_deref() == Some(id.as_str()))
    };
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let save = {
        let id = id.clone();
        Callback::new(move |draft: BudgetLineDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.edit_budget_line(&id, &draft, now)
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
    let approval_form = {
        let id = id.clone();
        move || {
            let l = line.get_untracked()?;
            Some(view! { <ApprovalForm id=id.clone() line=l approving=approving/> })
        }
    };
    let name = move || line.with(|l| l.as_ref().map(line_name).unwrap_or_default());
    let view_mode = move || {
        let Some(l) = line.get() else {
            return ().into_any();
        };
        let label = line_name(&l);
        let (edit_id, delete_id, approval_id) = (id.clone(), id.clone(), id.clone());
        let description = (!l.description.is_empty()).then(|| l.description.clone());
        view! {
            <div class="record-head">
                <div>
                    <p class="record-name">{l.category.clone()}</p>
                    {description.map(|d| view! { <p class="record-detail">{d}</p> })}
                    <p class="record-detail">{format!("{} · {}", l.year, l.currency)}</p>
                </div>
                <Show when=move || editable(ws)>
                    <div class="item-actions">
                        <button
                            type="button"
                            node_ref=edit_button
                            aria-label=format!("Edit {label}")
                            on:click={
                                let edit_id = edit_id.clone();
                                move |_| {
                                    approving.set(None);
                                    editing.set(Some(edit_id.clone()));
                                }
                            }
                        >
                            "Edit"
                        </button>
                        <button
                            type="button"
                            class="danger"
                            aria-label=format!("Delete {label}")
                            on:click={
                                let delete_id = delete_id.clone();
                                move |_| on_delete.run(delete_id.clone())
                            }
                        >
                            "Delete"
                        </button>
                    </div>
                </Show>
            </div>
            <LineFigures line=l.clone()/>
            <ApprovalStatus id=approval_id line=l approving=approving problem=problem/>
        }
        .into_any()
    };
    view! {
        <li class="record budget-line" aria-label=name>
            {move || {
                if is_editing() {
                    let initial = line.get_untracked().map(|l| line_draft(&l)).unwrap_or_default();
                    view! {
                        <BudgetLineForm name="Edit budget line" initial=initial on_save=save on_cancel=cancel/>
                    }
                    .into_any()
                } else {
                    view_mode().into_any()
                }
            }}
            <Show when=is_approving.clone()>{approval_form.clone()}</Show>
        </li>
    }
}

/// A line's four figures: requested, approved, spent and what is left.
#[component]
fn LineFigures(
    /// The line to show.
    line: BudgetLine,
) -> impl IntoView {
    let currency = line.currency.as_str();
    view! {
        <dl class="budget-figures">
            <div class="fact">
                <dt>"Requested"</dt>
                <dd>{locale::money(line.requested, currency)}</dd>
            </div>
            <div class="fact">
                <dt>"Approved"</dt>
                <dd>{locale::money(line.approved(), currency)}</dd>
            </div>
            <div class="fact">
                <dt>"Spent"</dt>
                <dd>{locale::money(line.spent, currency)}</dd>
            </div>
            <div class="fact">
                <dt>"Approved − spent"</dt>
                <dd>{variance_view(line.approved_minus_spent(), currency)}</dd>
            </div>
            {line.requested_by.as_ref().map(|r| view! {
                <div class="fact">
                    <dt>"Requested by"</dt>
                    <dd>{r.name.clone()}</dd>
                </div>
            })}
        </dl>
    }
}

/// Who approved the line and when, or that it awaits approval, with the
/// buttons to approve or withdraw.
#[component]
fn ApprovalStatus(
    /// The line's id.
    id: String,
    /// The line as the state has it.
    line: BudgetLine,
    /// Which line's approval form is open, shared by the list.
    approving: RwSignal<Option<String>>,
    /// Where a failed change is reported.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let label = line_name(&line);
    match line.approval {
        Some(approval) => {
            let (line_id, currency) = (id.clone(), line.currency.clone());
            let withdraw = Callback::new(move |()| {
                let outcome = ws.run(&profile.author(), |doc, now| {
                    doc.withdraw_budget_approval(&id, now)
                });
                problem.set(outcome.err().map(|e| e.to_string()));
            });
            let recorded = format!(
                "Approved {} by {} on {}",
                locale::money(approval.amount, &line.currency),
                approval.by_name,
                locale::date(&approval.date),
            );
            // Re-checked when a key is confirmed or a role changes.
            let note = move || {
                let act = Act::BudgetApproval {
                    line: &line_id,
                    amount: approval.amount,
                    currency: &currency,
                    date: &approval.date,
                };
                let verdict = verdict(ws, &act, approval.signature.as_ref());
                view! { <SignatureNote verdict recorded=recorded.clone()/> }
            };
            view! {
                <div class="approval-row">
                    <div class="approval-status approved">{note}</div>
                    <Show when=move || editable(ws)>
                        <button
                            type="button"
                            class="link-button"
                            aria-label=format!("Withdraw approval of {label}")
                            on:click=move |_| withdraw.run(())
                        >
                            "Withdraw approval"
                        </button>
                    </Show>
                </div>
            }
            .into_any()
        }
        None if ws.read_doc(|doc| doc.is_requester(&line)).unwrap_or(false) => view! {
            <div class="approval-row">
                <p class="approval-status pending">
                    "Awaiting approval · you asked for this money, so another member of top management approves it"
                </p>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="approval-row">
                <p class="approval-status pending">"Awaiting approval"</p>
                <Show when=move || editable(ws)>
                    <button
                        type="button"
                        aria-label=format!("Approve {label}")
                        prop:disabled={
                            let id = id.clone();
                            move || approving.with(|a| a.as_deref() == Some(id.as_str()))
                        }
                        on:click={
                            let id = id.clone();
                            move |_| approving.set(Some(id.clone()))
                        }
                    >
                        "Approve"
                    </button>
                </Show>
            </div>
        }
        .into_any(),
    }
}

/// Records top management's approval: the amount (the request to start
/// with) and the day (today to start with).
#[component]
fn ApprovalForm(
    /// The line's id.
    id: String,
    /// The line being approved.
    line: BudgetLine,
    /// Which line's approval form is open; cleared when this one closes.
    approving: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let prefix = id_prefix("approve", false);
    let amount = RwSignal::new(format_amount(line.requested));
    let date = RwSignal::new(crate::ui::today());
    let errors = FormErrors::new();
    let amount_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    focus_on_open(amount_ref);
    let close = Callback::new(move |()| approving.set(None));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = BudgetApprovalDraft {
            amount: amount.get_untracked(),
            date: date.get_untracked(),
        };
        match ws.run(&profile.author(), |doc, now| {
            doc.approve_budget_line(&id, &draft, now)
        }) {
            Ok(()) => {
                errors.set(None);
                approving.set(None);
            }
            Err(e) => {
                errors.set(Some(e));
                focus_first_invalid(form_ref);
            }
        }
    };
    view! {
        <form
            class="card form record-form approval-form"
            aria-label="Approve budget line"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(close)
        >
            <p class="form-title">
                {format!(
                    "Approve {}: {} requested",
                    line_name(&line),
                    locale::money(line.requested, &line.currency),
                )}
            </p>
            <p class="muted">
                {move || match profile.name() {
                    name if name.is_empty() => {
                        "Recorded as approved by you. Set your name under Profile so others see who decided."
                            .to_owned()
                    }
                    name => format!("Recorded as approved by {name}, as the member of top management who decides."),
                }}
            </p>
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-amount")
                    label="Amount approved"
                    hint="In the line’s currency; it may differ from the amount requested."
                    inputmode="decimal"
                    value=amount
                    error=errors.field(Field::BudgetApproved)
                    node_ref=amount_ref
                />
                <TextField
                    id=format!("{prefix}-date")
                    label="Date of approval"
                    hint="As YYYY-MM-DD."
                    placeholder="2026-01-31"
                    value=date
                    error=errors.field(Field::BudgetApprovalDate)
                />
            </div>
            <FormActions errors=errors save="Record approval" on_cancel=close/>
        </form>
    }
}

/// Adds or edits a budget line. Escape cancels; problems appear beside their
/// fields and the first one gets the focus.
#[component]
fn BudgetLineForm(
    /// The form's accessible name ("New budget line" or "Edit budget line").
    name: &'static str,
    /// The values the fields start with.
    initial: BudgetLineDraft,
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<BudgetLineDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let prefix = id_prefix("new-budget-line", name == "New budget line");
    let category = RwSignal::new(initial.category);
    let description = RwSignal::new(initial.description);
    let year = RwSignal::new(initial.year);
    let currency = RwSignal::new(initial.currency);
    let requested = RwSignal::new(initial.requested);
    let spent = RwSignal::new(initial.spent);
    let errors = FormErrors::new();
    let category_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    focus_on_open(category_ref);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = BudgetLineDraft {
            category: category.get_untracked(),
            description: description.get_untracked(),
            year: year.get_untracked(),
            currency: currency.get_untracked(),
            requested: requested.get_untracked(),
            spent: spent.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
    };
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
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-category")
                    label="Category"
                    hint="Such as Staff, Tools and licences, Training and awareness, Consulting, or Audit and certification."
                    value=category
                    error=errors.field(Field::BudgetCategory)
                    node_ref=category_ref
                />
                <TextField
                    id=format!("{prefix}-description")
                    label="Description"
                    hint="Which tool, supplier or activity."
                    optional=true
                    value=description
                    error=errors.field(Field::BudgetDescription)
                />
            </div>
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-year")
                    label="Year"
                    inputmode="numeric"
                    placeholder="2026"
                    value=year
                    error=errors.field(Field::BudgetYear)
                />
                <TextField
                    id=format!("{prefix}-currency")
                    label="Currency"
                    placeholder="EUR"
                    value=currency
                    error=errors.field(Field::BudgetCurrency)
                />
                <TextField
                    id=format!("{prefix}-requested")
                    label="Amount requested"
                    inputmode="decimal"
                    placeholder="12,500.00"
                    value=requested
                    error=errors.field(Field::BudgetRequested)
                />
                <TextField
                    id=format!("{prefix}-spent")
                    label="Amount spent"
                    optional=true
                    inputmode="decimal"
                    placeholder="0.00"
                    value=spent
                    error=errors.field(Field::BudgetSpent)
                />
            </div>
            <FormActions errors=errors save="Save budget line" on_cancel=on_cancel/>
        </form>
    }
}

// People time

/// The roles as (id, label), oldest first, as the roles section lists them.
fn roles_in_order(s: &Workspace) -> Vec<(String, String)> {
    let mut roles: Vec<_> = s.roles.iter().collect();
    sort_list(&mut roles, |(a_id, a), (b_id, b)| {
        a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id))
    });
    roles
        .into_iter()
        .map(|(id, r)| (id.clone(), r.kind.label().to_owned()))
        .collect()
}

/// The people time of the roles that still exist, in hundredths of an FTE;
/// a deleted role's time is left out.
fn total_for_roles(s: &Workspace) -> i64 {
    let current: BTreeMap<String, FteAllocation> = s
        .fte
        .iter()
        .filter(|(role_id, _)| s.roles.contains_key(*role_id))
        .map(|(role_id, a)| (role_id.clone(), a.clone()))
        .collect();
    total_fte(&current)
}

/// People time: each role with its FTE, and the total.
#[component]
fn PeopleTimePart() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let params = use_params_map();
    let roles_href = move || {
        format!(
            "/w/{}/roles",
            params.with(|p| p.get("id").unwrap_or_default())
        )
    };
    let editing = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let roles = Memo::new(move |_| ws.state.read(&[Area::Roles], roles_in_order));
    let total = Memo::new(move |_| ws.state.read(&[Area::Fte, Area::Roles], total_for_roles));

    view! {
        <section class="resources-part" aria-labelledby="people-time-heading">
            <div class="section-head">
                <div>
                    <h3 id="people-time-heading">"People time"</h3>
                    <p class="muted">
                        "The working time each ISMS role is given, in full-time equivalents (FTE): 1 is one person full time, 0.5 half of it."
                    </p>
                </div>
            </div>
            {problem_notice(problem)}
            <Show
                when=move || !roles.with(Vec::is_empty)
                fallback=move || {
                    view! {
                        <div class="empty-state">
                            <p class="empty-title">"No roles yet"</p>
                            <p class="muted">
                                "Add the ISMS roles under " <A href=roles_href>"People and roles"</A>
                                ", then give each its people time here."
                            </p>
                        </div>
                    }
                }
            >
                <ul class="record-list" aria-label="People time per role">
                    <For
                        each=move || roles.get()
                        key=|r| r.clone()
                        children=move |(role_id, role_name)| {
                            view! {
                                <FteItem
                                    role_id=role_id
                                    role_name=role_name
                                    editing=editing
                                    problem=problem
                                />
                            }
                        }
                    />
                </ul>
                <p class="fte-total">
                    "Total people time: " <strong>{move || format!("{} FTE", locale::fte(total.get()))}</strong>
                </p>
            </Show>
        </section>
    }
}

/// One role's people time, or the form that sets it.
#[component]
fn FteItem(
    /// The role's id.
    role_id: String,
    /// The role's name as people read it.
    role_name: String,
    /// Which role's people time is being set, shared by the list.
    editing: RwSignal<Option<String>>,
    /// Where a failed change is reported.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let allocation = {
        let role_id = role_id.clone();
        Memo::new(move |_| {
            ws.state
                .record(Area::Fte, &role_id, |s| s.fte.get(&role_id).cloned())
        })
    };
    let is_editing = {
        let role_id = role_id.clone();
        move || editing.with(|e| e.as_deref() == Some(role_id.as_str()))
    };
    let set_button = NodeRef::<leptos::html::Button>::new();
    let save = {
        let (role_id, role_name) = (role_id.clone(), role_name.clone());
        Callback::new(move |draft: FteDraft| {
            ws.run(&profile.author(), |doc, now| {
                doc.set_fte(&role_id, &role_name, &draft, now)
            })
            .map(|()| {
                editing.set(None);
                problem.set(None);
                focus_later(set_button);
            })
        })
    };
    let cancel = Callback::new(move |()| {
        editing.set(None);
        focus_later(set_button);
    });
    let remove = {
        let (role_id, role_name) = (role_id.clone(), role_name.clone());
        Callback::new(move |()| {
            let outcome = ws.run(&profile.author(), |doc, now| {
                doc.remove_fte(&role_id, &role_name, now)
            });
            problem.set(outcome.err().map(|e| e.to_string()));
        })
    };
    let form_name = format!("People time for {role_name}");
    let view_mode = {
        let role_name = role_name.clone();
        move || {
            let current = allocation.get();
            let (edit_id, name) = (role_id.clone(), role_name.clone());
            let is_set = current.is_some();
            view! {
                <div class="record-head">
                    <div>
                        <p class="record-name">{name.clone()}</p>
                        {allocation_view(current)}
                    </div>
                    <Show when=move || editable(ws)>
                        <div class="item-actions">
                            <button
                                type="button"
                                node_ref=set_button
                                aria-label=format!(
                                    "{} people time of {name}",
                                    if is_set { "Change" } else { "Set" },
                                )
                                on:click={
                                    let edit_id = edit_id.clone();
                                    move |_| editing.set(Some(edit_id.clone()))
                                }
                            >
                                {if is_set { "Change" } else { "Set people time" }}
                            </button>
                            {is_set
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="danger"
                                            aria-label=format!("Remove people time of {name}")
                                            on:click=move |_| remove.run(())
                                        >
                                            "Remove"
                                        </button>
                                    }
                                })}
                        </div>
                    </Show>
                </div>
            }
        }
    };
    view! {
        <li class="record fte-record" aria-label=role_name>
            {move || {
                if is_editing() {
                    let initial = allocation
                        .get_untracked()
                        .map(|a| FteDraft { fte: format_fte(a.hundredths), note: a.note })
                        .unwrap_or_default();
                    view! {
                        <FteForm name=form_name.clone() initial=initial on_save=save on_cancel=cancel/>
                    }
                    .into_any()
                } else {
                    view_mode().into_any()
                }
            }}
        </li>
    }
}

/// A role's people time, its note and who set it; or that none is set.
fn allocation_view(allocation: Option<FteAllocation>) -> impl IntoView {
    match allocation {
        Some(a) => {
            let note = (!a.note.is_empty()).then(|| a.note.clone());
            view! {
                <p class="fte-amount">{format!("{} FTE", locale::fte(a.hundredths))}</p>
                {note.map(|n| view! { <p class="record-detail">{n}</p> })}
                <p class="record-detail muted">
                    {format!(
                        "Set by {} on {}",
                        a.updated_by,
                        locale::day_at(a.updated_at),
                    )}
                </p>
            }
            .into_any()
        }
        None => view! { <p class="record-detail unset">"No people time set yet"</p> }.into_any(),
    }
}

/// Sets a role's people time and its note.
#[component]
fn FteForm(
    /// The form's accessible name ("People time for CISO").
    name: String,
    /// The values the fields start with.
    initial: FteDraft,
    /// Saves the draft; an error keeps the form open with its messages.
    on_save: Callback<FteDraft, Result<(), CommandError>>,
    /// Closes the form without saving.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let prefix = id_prefix("fte", false);
    let label = name.clone();
    let fte = RwSignal::new(initial.fte);
    let note = RwSignal::new(initial.note);
    let errors = FormErrors::new();
    let fte_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    focus_on_open(fte_ref);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = FteDraft {
            fte: fte.get_untracked(),
            note: note.get_untracked(),
        };
        errors.show(on_save.run(draft), form_ref);
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
            <p class="form-title">{name}</p>
            <div class="field-row">
                <TextField
                    id=format!("{prefix}-fte")
                    label="FTE"
                    hint="From 0 to 10, such as 0.5 for half a person's time."
                    inputmode="decimal"
                    placeholder="0.5"
                    value=fte
                    error=errors.field(Field::Fte)
                    node_ref=fte_ref
                />
                <TextField
                    id=format!("{prefix}-note")
                    label="Note"
                    hint="Such as who covers it."
                    optional=true
                    value=note
                    error=errors.field(Field::FteNote)
                />
            </div>
            <FormActions errors=errors save="Save people time" on_cancel=on_cancel/>
        </form>
    }
}
