//! People and roles (clause 5.3): who holds which role, and the RACI matrix of
//! ISMS activities with its warnings.

use leptos::prelude::*;

use crate::ui::OpenWorkspace;

/// The people-and-roles section of the open workspace.
#[component]
pub fn RolesSection() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let people = move || ws.state.with(|s| s.people.len());
    view! {
        <section aria-labelledby="roles-heading">
            <h2 id="roles-heading">"People and roles"</h2>
            <p class="muted">{move || format!("{} people", people())}</p>
        </section>
    }
}
