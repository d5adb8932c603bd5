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

    /// The saved name, or empty, without tracking it.
    pub fn name_untracked(&self) -> String {
        self.name.get_untracked()
    }

    /// The name recorded against changes: the display name, or a neutral
    /// stand-in until the person sets one.
    pub fn author(&self) -> String {
        let name = self.name.get_untracked();
        if name.is_empty() {
            crate::workspace::commands::UNNAMED.to_owned()
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

/// The profile page: the person's display name, and this browser's storage.
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
            <StorageCard/>
        </section>
    }
}

/// What this browser's storage holds for Charter and whether it is kept.
#[derive(Debug, Clone, PartialEq)]
struct StorageFacts {
    /// Bytes used by this site, and the most the browser allows it.
    usage: Option<(f64, f64)>,
    /// Whether the browser promised not to clear it under storage pressure.
    persisted: Option<bool>,
}

async fn storage_facts() -> StorageFacts {
    use wasm_bindgen_futures::JsFuture;
    let Some(manager) = web_sys::window().map(|w| w.navigator().storage()) else {
        return StorageFacts {
            usage: None,
            persisted: None,
        };
    };
    let number = |value: &wasm_bindgen::JsValue, key: &str| {
        js_sys::Reflect::get(value, &key.into())
            .ok()
            .and_then(|v| v.as_f64())
    };
    let usage = match manager.estimate() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|e| Some((number(&e, "usage")?, number(&e, "quota")?))),
        Err(_) => None,
    };
    let persisted = match manager.persisted() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    StorageFacts { usage, persisted }
}

/// A size as a person reads it: "840 KB", "3.2 MB" ("3,2 MB" in German), "120 GB".
fn size_label(bytes: f64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut value = bytes.max(0.0);
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let shown = if unit == 0 || value >= 100.0 {
        value.round()
    } else {
        (value * 10.0).round() / 10.0
    };
    format!("{} {}", crate::ui::locale::number(shown), UNITS[unit])
}

/// "Storage in this browser": how much Charter uses, how much the browser
/// allows, and whether the browser keeps it under storage pressure, with the
/// button that asks it to.
#[component]
fn StorageCard() -> impl IntoView {
    let facts = RwSignal::new(None::<StorageFacts>);
    let refresh = move || {
        leptos::task::spawn_local(async move { facts.set(Some(storage_facts().await)) });
    };
    refresh();
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            if let Some(Ok(promise)) = web_sys::window().map(|w| w.navigator().storage().persist())
            {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            }
            facts.set(Some(storage_facts().await));
        });
    };
    let body = move || {
        let Some(facts) = facts.get() else {
            return view! { <p class="muted" role="status">"Measuring…"</p> }.into_any();
        };
        let usage = match facts.usage {
            Some((used, quota)) => format!(
                "Charter uses {} here, of {} this browser allows it.",
                size_label(used),
                size_label(quota)
            ),
            None => "This browser does not say how much space Charter uses.".to_owned(),
        };
        let (kept, words) = match facts.persisted {
            Some(true) => (
                true,
                "Kept: the browser will not clear Charter's data to make space.",
            ),
            Some(false) => (
                false,
                "Not guaranteed: when space runs low, the browser may clear Charter's data, including workspaces that exist nowhere else. Share them, or ask the browser to keep them.",
            ),
            None => (
                false,
                "This browser does not say whether it keeps Charter's data.",
            ),
        };
        view! {
            <p aria-label="Space used">{usage}</p>
            <p class:ok=kept aria-label="Kept by the browser">{words}</p>
            {(facts.persisted == Some(false)).then(|| view! {
                <button type="button" class="secondary" on:click=ask>
                    "Ask the browser to keep Charter's data"
                </button>
            })}
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="storage-heading">
            <h2 id="storage-heading">"Storage in this browser"</h2>
            {body}
        </section>
    }
}
