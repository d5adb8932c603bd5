//! Resources: Budget and people time for the ISMS (clause 7.1).

use leptos::prelude::*;

/// The resources section of the open workspace.
#[component]
pub fn ResourcesSection() -> impl IntoView {
    view! {
        <section class="resources" aria-labelledby="resources-heading">
            <div class="section-head">
                <div>
                    <h2 id="resources-heading">"Resources"</h2>
                    <p class="muted">"Budget and people time for the ISMS (clause 7.1)."</p>
                </div>
            </div>
        </section>
    }
}
