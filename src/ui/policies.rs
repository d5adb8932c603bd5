//! Policies (clause 5.2): the information security policy and topic-specific
//! policies, their lifecycle, approvals frozen at the document's heads, and
//! acknowledgements.

use leptos::prelude::*;

use crate::ui::OpenWorkspace;

/// The policies section of the open workspace.
#[component]
pub fn PoliciesSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let count = move || ws.state.with(|s| s.policies.len());
    view! {
        <section aria-labelledby="policies-heading">
            <h2 id="policies-heading">"Policies"</h2>
            <p class="muted">{move || format!("{} policies", count())}</p>
        </section>
    }
}
