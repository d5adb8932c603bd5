//! An objective's plan (clause 6.2 f–j): what will be done, with what
//! resources, which policy it serves and which way its measure should move.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::ui::form::{
    FormActions, FormErrors, TextField, cancel_on_escape, editable, focus_button_labelled,
    focus_first_invalid,
};
use crate::ui::{OpenWorkspace, Profile};
use crate::workspace::changes::Area;
use crate::workspace::measurements::{Direction, ObjectivePlanDraft};
use crate::workspace::model::sort_list;
use crate::workspace::{Field, Objective};

/// The plan block of one objective, with "Edit plan".
#[component]
pub fn ObjectivePlan(
    /// The objective's id.
    id: String,
    /// The objective, as the list reads it.
    objective: Memo<Option<Objective>>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let params = use_params_map();
    let open = RwSignal::new(false);
    let record_id = StoredValue::new(id);
    let title = move || objective.with(|o| o.as_ref().map(|o| o.title.clone()).unwrap_or_default());
    let close = Callback::new(move |()| {
        open.set(false);
        // Saving re-renders the objective, so find the new button by its name.
        focus_button_labelled(format!("Edit the plan of {}", title()));
    });
    let policy = move || {
        let policy_id = objective.with(|o| o.as_ref().and_then(|o| o.policy_id.clone()))?;
        let title = ws.state.record(Area::Policies, &policy_id, |s| {
            s.policies.get(&policy_id).map(|p| p.title.clone())
        });
        let href = format!(
            "/w/{}/policies",
            params.with(|p| p.get("id").unwrap_or_default())
        );
        Some(match title {
            Some(title) => view! { <A href=href>{title}</A> }.into_any(),
            None => view! { <span class="unset">"A policy that was deleted"</span> }.into_any(),
        })
    };
    let text = |value: String| {
        if value.is_empty() {
            view! { <dd class="unset">"Not set"</dd> }.into_any()
        } else {
            view! { <dd>{value}</dd> }.into_any()
        }
    };
    view! {
        <div class="plan">
            <Show
                when=move || open.get()
                fallback=move || {
                    let o = objective.get().unwrap_or_default();
                    view! {
                        <dl class="plan-facts" aria-label=format!("Plan of {}", o.title)>
                            <div class="fact">
                                <dt>"What will be done"</dt>
                                {text(o.plan.clone())}
                            </div>
                            <div class="fact">
                                <dt>"Resources"</dt>
                                {text(o.resources.clone())}
                            </div>
                            <div class="fact">
                                <dt>"Serves policy"</dt>
                                {move || match policy() {
                                    Some(link) => view! { <dd>{link}</dd> }.into_any(),
                                    None => view! { <dd class="unset">"Not set"</dd> }.into_any(),
                                }}
                            </div>
                            <div class="fact">
                                <dt>"Target met when the value is"</dt>
                                <dd>{o.direction.label()}</dd>
                            </div>
                        </dl>
                        <Show when=move || editable(ws)>
                            <button
                                type="button"
                                aria-label=move || format!("Edit the plan of {}", title())
                                on:click=move |_| open.set(true)
                            >
                                "Edit plan"
                            </button>
                        </Show>
                    }
                }
            >
                <PlanForm
                    id=record_id.get_value()
                    initial=objective.get_untracked().map(|o| plan_draft(&o)).unwrap_or_default()
                    on_close=close
                />
            </Show>
        </div>
    }
}

/// The form's starting values for an objective's plan.
fn plan_draft(o: &Objective) -> ObjectivePlanDraft {
    ObjectivePlanDraft {
        plan: o.plan.clone(),
        resources: o.resources.clone(),
        policy_id: o.policy_id.clone().unwrap_or_default(),
        direction: o.direction,
    }
}

/// Edits an objective's plan; Escape cancels.
#[component]
fn PlanForm(
    /// The objective's id.
    id: String,
    /// The values to start from.
    initial: ObjectivePlanDraft,
    /// Closes the form (after saving or on cancel).
    on_close: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let plan = RwSignal::new(initial.plan);
    let resources = RwSignal::new(initial.resources);
    let policy_id = RwSignal::new(initial.policy_id);
    let direction = RwSignal::new(initial.direction);
    let errors = FormErrors::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let prefix = format!("plan-{id}");
    let policies = move || {
        ws.state.read(&[Area::Policies], |s| {
            let mut list: Vec<_> = s
                .policies
                .iter()
                .map(|(id, p)| (id.clone(), p.title.clone()))
                .collect();
            sort_list(&mut list, |a, b| {
                a.1.to_lowercase().cmp(&b.1.to_lowercase())
            });
            list
        })
    };
    Effect::new(move |_| {
        if let Some(form) = form_ref.get() {
            use wasm_bindgen::JsCast;
            if let Ok(Some(field)) = form.query_selector("textarea")
                && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = field.focus();
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = ObjectivePlanDraft {
            plan: plan.get_untracked(),
            resources: resources.get_untracked(),
            policy_id: policy_id.get_untracked(),
            direction: direction.get_untracked(),
        };
        match ws.run(&profile.author(), |doc, now| {
            doc.edit_objective_plan(&id, &draft, now)
        }) {
            Ok(()) => on_close.run(()),
            Err(e) => {
                errors.set(Some(e));
                focus_first_invalid(form_ref);
            }
        }
    };
    let policy_field = format!("{prefix}-policy");
    let direction_field = format!("{prefix}-direction");
    let policy_message = format!("{policy_field}-message");
    view! {
        <form
            class="card form plan-form"
            aria-label="Edit plan"
            novalidate
            node_ref=form_ref
            on:submit=submit
            on:keydown=cancel_on_escape(on_close)
        >
            <TextField
                id=format!("{prefix}-what")
                label="What will be done"
                optional=true
                multiline=true
                value=plan
                error=errors.field(Field::ObjectivePlan)
            />
            <TextField
                id=format!("{prefix}-resources")
                label="Resources"
                optional=true
                multiline=true
                hint="People, time, budget or tools the objective needs."
                value=resources
                error=errors.field(Field::ObjectiveResources)
            />
            <div class="field-row">
                <div class="field" class:has-error=move || errors.field(Field::ObjectivePolicy).get().is_some()>
                    <label for=policy_field.clone()>
                        "Serves policy" <span class="optional">" (optional)"</span>
                    </label>
                    <select
                        id=policy_field
                        aria-describedby=policy_message.clone()
                        on:change=move |ev| policy_id.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || policy_id.with(String::is_empty)>"No policy"</option>
                        {move || {
                            policies()
                                .into_iter()
                                .map(|(id, title)| {
                                    let selected = policy_id.with(|p| *p == id);
                                    view! { <option value=id selected=selected>{title}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                    <p id=policy_message class="field-message error">
                        {move || errors.field(Field::ObjectivePolicy).get()}
                    </p>
                </div>
                <div class="field">
                    <label for=direction_field.clone()>"Target met when the value is"</label>
                    <select
                        id=direction_field
                        on:change=move |ev| {
                            if let Some(d) = Direction::from_slug(&event_target_value(&ev)) {
                                direction.set(d);
                            }
                        }
                    >
                        {Direction::ALL
                            .into_iter()
                            .map(|d| {
                                view! {
                                    <option value=d.slug() selected=move || direction.get() == d>
                                        {d.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <FormActions errors=errors save="Save plan" on_cancel=on_close/>
        </form>
    }
}
