//! The person using this browser: a display name kept in local storage and
//! recorded against their changes.

use leptos::prelude::*;

use crate::workspace::validate::{Field, required_name};

const KEY: &str = "charter.displayName";

/// The display name of the person using this browser.
#[derive(Clone, Copy)]
pub struct Profile {
    name: RwSignal<String>,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Profile {
    /// Reads the saved name (empty when none was ever set).
    pub fn load() -> Profile {
        let name = local_storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .unwrap_or_default();
        Profile {
            name: RwSignal::new(name),
        }
    }

    /// The saved name, or empty.
    pub fn name(&self) -> String {
        self.name.get()
    }

    /// The name recorded against changes: the display name, or a neutral
    /// stand-in until the person sets one.
    pub fn author(&self) -> String {
        let name = self.name.get_untracked();
        if name.is_empty() {
            "Unnamed participant".to_owned()
        } else {
            name
        }
    }

    /// Up to two initials for the header badge.
    pub fn initials(&self) -> String {
        self.name.with(|n| {
            n.split_whitespace()
                .filter_map(|w| w.chars().next())
                .take(2)
                .collect()
        })
    }

    /// Validates and stores a new name.
    pub fn save(&self, input: &str) -> Result<(), String> {
        let name = required_name(
            Field::DisplayName,
            input,
            "Enter the name colleagues know you by.",
        )
        .map_err(|e| e.to_string())?;
        local_storage()
            .and_then(|s| s.set_item(KEY, &name).ok())
            .ok_or("This browser did not let Charter remember your name.")?;
        self.name.set(name);
        Ok(())
    }
}

/// The profile page: the person's display name.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let profile = expect_context::<Profile>();
    let (draft, set_draft) = signal(profile.name());
    let (message, set_message) = signal(None::<Result<(), String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_message.set(Some(profile.save(&draft.get_untracked())));
    };
    view! {
        <section class="narrow">
            <h1>"Your profile"</h1>
            <p class="lead">
                "Your name is shown to colleagues beside your changes. It is kept in this browser only."
            </p>
            <form class="card form" aria-label="Profile" on:submit=submit novalidate>
                <div class="field">
                    <label for="display-name">"Display name"</label>
                    <input
                        id="display-name"
                        type="text"
                        autocomplete="name"
                        prop:value=draft
                        on:input=move |ev| {
                            set_draft.set(event_target_value(&ev));
                            set_message.set(None);
                        }
                        aria-invalid=move || matches!(message.get(), Some(Err(_))).to_string()
                        aria-describedby="display-name-message"
                    />
                    <p id="display-name-message" class="field-message" aria-live="polite">
                        {move || match message.get() {
                            Some(Ok(())) => view! { <span class="ok">"Saved."</span> }.into_any(),
                            Some(Err(e)) => view! { <span class="error">{e}</span> }.into_any(),
                            None => ().into_any(),
                        }}
                    </p>
                </div>
                <div class="actions">
                    <button type="submit" class="primary">"Save"</button>
                </div>
            </form>
        </section>
    }
}
