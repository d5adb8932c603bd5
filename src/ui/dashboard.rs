//! Overview: Where the ISMS stands, at a glance.

use leptos::prelude::*;

/// The overview section of the open workspace.
#[component]
pub fn DashboardSection() -> impl IntoView {
    view! {
        <section class="dashboard" aria-labelledby="dashboard-heading">
            <div class="section-head">
                <div>
                    <h2 id="dashboard-heading">"Overview"</h2>
                    <p class="muted">"Where the ISMS stands, at a glance."</p>
                </div>
            </div>
        </section>
    }
}
