//! Leadership commitment: How top management shows its commitment to the ISMS (clause 5.1 a–h).

use leptos::prelude::*;

/// The leadership commitment section of the open workspace.
#[component]
pub fn CommitmentSection() -> impl IntoView {
    view! {
        <section class="commitment" aria-labelledby="commitment-heading">
            <div class="section-head">
                <div>
                    <h2 id="commitment-heading">"Leadership commitment"</h2>
                    <p class="muted">"How top management shows its commitment to the ISMS (clause 5.1 a–h)."</p>
                </div>
            </div>
        </section>
    }
}
