//! An objective's plan (clause 6.2 f–j): what will be done, with what
//! resources, which policy it serves (warning unless it is the information
//! security policy in force), and its monitoring plan (9.1): how often, who
//! measures, who analyses.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::ui::form::{
    FormActions, FormErrors, SelectField, TextField, cancel_on_escape, editable,
    focus_button_labelled, focus_first_invalid, people_options, person_name,
};
use crate::ui::{OpenWorkspace, Profile};
use crate::workspace::assessment::serves_policy_warning;
use crate::workspace::changes::Area;
use crate::workspace::measurements::ObjectivePlanDraft;
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
        focus_button_labelled(format!("Edit plan of {}", title()));
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
    let warning = move || {
        let policy_id = objective.with(|o| o.as_ref().and_then(|o| o.policy_id.clone()))?;
        let warning = ws.state.record(Area::Policies, &policy_id, |s| {
            serves_policy_warning(s, &policy_id)
        })?;
        Some(view! { <p class="field-warning">{warning}</p> })
    };
    let monitoring = move || {
        let o = objective.get()?;
        let name = |id: &Option<String>| {
            id.as_deref().map(|p| {
                person_name(ws, p).unwrap_or_else(|| "someone no longer in People".to_owned())
            })
        };
        let every = o.monitor_months.map(|m| {
            if m == 1 {
                "Every month".to_owned()
            } else {
                format!("Every {m} months")
            }
        });
        let parts: Vec<String> = [
            every,
            name(&o.measured_by).map(|n| format!("measured by {n}")),
            name(&o.analysed_by).map(|n| format!("analysed by {n}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
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
                                    Some(link) => view! { <dd>{link} {warning}</dd> }.into_any(),
                                    None => view! { <dd class="unset">"Not set"</dd> }.into_any(),
                                }}
                            </div>
                            <div class="fact">
                                <dt>"Monitoring"</dt>
                                {move || text(monitoring().unwrap_or_default())}
                            </div>
                        </dl>
                        <Show when=move || editable(ws)>
                            <button
                                type="button"
                                aria-label=move || format!("Edit plan of {}", title())
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
        monitor_months: o.monitor_months.map(|m| m.to_string()).unwrap_or_default(),
        measured_by: o.measured_by.clone().unwrap_or_default(),
        analysed_by: o.analysed_by.clone().unwrap_or_default(),
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
    let monitor_months = RwSignal::new(initial.monitor_months);
    let measured_by = RwSignal::new(initial.measured_by);
    let analysed_by = RwSignal::new(initial.analysed_by);
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
            monitor_months: monitor_months.get_untracked(),
            measured_by: measured_by.get_untracked(),
            analysed_by: analysed_by.get_untracked(),
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
            <SelectField
                id=policy_field
                label="Serves policy"
                optional=true
                value=policy_id
                options=Signal::derive(policies)
                empty="No policy"
                hint=Signal::derive(move || {
                    let chosen = policy_id.get();
                    if chosen.is_empty() {
                        return None;
                    }
                    ws.state.read(&[Area::Policies], |s| serves_policy_warning(s, &chosen))
                })
                error=errors.field(Field::ObjectivePolicy)
            />
            <fieldset class="monitoring">
                <legend>"Monitoring plan"</legend>
                <div class="field-row">
                    <TextField
                        id=format!("{prefix}-every")
                        label="Measured every (months)"
                        optional=true
                        inputmode="numeric"
                        value=monitor_months
                        error=errors.field(Field::MonitorEvery)
                    />
                    <SelectField
                        id=format!("{prefix}-measured-by")
                        label="Measured by"
                        optional=true
                        value=measured_by
                        options=people_options(ws)
                        empty="Not set"
                        error=errors.field(Field::MeasuredBy)
                    />
                    <SelectField
                        id=format!("{prefix}-analysed-by")
                        label="Analysed by"
                        optional=true
                        value=analysed_by
                        options=people_options(ws)
                        empty="Not set"
                        error=errors.field(Field::AnalysedBy)
                    />
                </div>
            </fieldset>
            <FormActions errors=errors save="Save plan" on_cancel=on_close/>
        </form>
    }
}
