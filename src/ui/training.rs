//! Training and awareness: Programmes, sessions and who has completed them (clauses 7.2 and 7.3).

use leptos::prelude::*;

/// The training and awareness section of the open workspace.
#[component]
pub fn TrainingSection() -> impl IntoView {
    view! {
        <section class="training" aria-labelledby="training-heading">
            <div class="section-head">
                <div>
                    <h2 id="training-heading">"Training and awareness"</h2>
                    <p class="muted">"Programmes, sessions and who has completed them (clauses 7.2 and 7.3)."</p>
                </div>
            </div>
        </section>
    }
}
