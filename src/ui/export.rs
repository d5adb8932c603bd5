//! "Export": the workspace as an encrypted backup (a passphrase typed twice)
//! or as a standard Automerge file, downloaded by the browser. Importing
//! either back is on the start page.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::storage::backup::{check_passphrase, seal, to_json};
use crate::ui::OpenWorkspace;
use crate::workspace::changes::Area;

/// Has the browser save `bytes` as `name`.
pub fn download(bytes: &[u8], name: &str, mime: &str) -> Result<(), String> {
    let failed = |_| "The browser did not let Charter save the file.".to_owned();
    let window = web_sys::window().ok_or("The browser did not let Charter save the file.")?;
    let document = window
        .document()
        .ok_or("The browser did not let Charter save the file.")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has started; the address can go once the click is handled.
    gloo_timers::callback::Timeout::new(1_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// A file name from the organisation's name and today's date.
fn file_name(organisation: &str, extension: &str) -> String {
    let clean: String = organisation
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean.trim();
    let clean = if clean.is_empty() { "Workspace" } else { clean };
    format!("{clean} {}.{extension}", crate::ui::today())
}

/// The export panel of an open workspace.
#[component]
pub fn ExportPanel(
    /// Closes the panel.
    on_close: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let passphrase = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let organisation = move || {
        ws.state
            .read(&[Area::Meta], |s| s.meta.organisation.clone())
    };
    let encrypted = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (typed, repeated) = (passphrase.get_untracked(), again.get_untracked());
        if let Err(e) = check_passphrase(&typed, &repeated) {
            message.set(Some(Err(e.to_string())));
            return;
        }
        busy.set(true);
        message.set(Some(Ok("Encrypting…".to_owned())));
        // Let "Encrypting…" paint before the key is stretched (about a second).
        gloo_timers::callback::Timeout::new(30, move || {
            let name = file_name(&organisation(), "charter");
            let outcome = seal(&ws.export_bytes(), &typed)
                .map_err(|e| e.to_string())
                .and_then(|file| download(&file, &name, "application/octet-stream"));
            busy.set(false);
            match outcome {
                Ok(()) => {
                    passphrase.set(String::new());
                    again.set(String::new());
                    message.set(Some(Ok(format!(
                        "Saved “{name}”. Keep the passphrase apart from the file: without it, nobody can open it, you included."
                    ))));
                }
                Err(e) => message.set(Some(Err(e))),
            }
        })
        .forget();
    };
    let plain = move |_| {
        let name = file_name(&organisation(), "automerge");
        match download(&ws.export_bytes(), &name, "application/octet-stream") {
            Ok(()) => message.set(Some(Ok(format!("Saved “{name}”.")))),
            Err(e) => message.set(Some(Err(e))),
        }
    };
    let json = move |_| {
        let name = file_name(&organisation(), "json");
        let text = ws
            .with_doc_mut(|doc| to_json(doc.automerge()))
            .unwrap_or_default();
        match download(text.as_bytes(), &name, "application/json") {
            Ok(()) => message.set(Some(Ok(format!("Saved “{name}”.")))),
            Err(e) => message.set(Some(Err(e))),
        }
    };
    view! {
        <section
            class="card export-panel"
            aria-labelledby="export-heading"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            <div class="section-head">
                <h2 id="export-heading">"Export this workspace"</h2>
                <button type="button" class="link-button quiet" on:click=move |_| on_close.run(())>
                    "Close"
                </button>
            </div>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="notice success" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="notice error" role="alert">{text}</p> }.into_any(),
            })}
            <form class="form" aria-label="Encrypted backup" on:submit=encrypted novalidate>
                <h3>"Encrypted backup"</h3>
                <p class="muted">
                    "The whole workspace with its history, locked with a passphrase. Keep it as a backup, or hand it over on a USB stick: importing it into a copy of this workspace merges the two."
                </p>
                <div class="field">
                    <label for="backup-passphrase">"Passphrase"</label>
                    <p class="hint" id="backup-passphrase-hint">"At least 10 characters. It cannot be recovered."</p>
                    <input
                        id="backup-passphrase"
                        type="password"
                        autocomplete="new-password"
                        aria-describedby="backup-passphrase-hint"
                        prop:value=move || passphrase.get()
                        on:input=move |ev| passphrase.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="backup-again">"Passphrase again"</label>
                    <input
                        id="backup-again"
                        type="password"
                        autocomplete="new-password"
                        prop:value=move || again.get()
                        on:input=move |ev| again.set(event_target_value(&ev))
                    />
                </div>
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=busy>
                        "Download encrypted backup"
                    </button>
                </div>
            </form>
            <div class="plain-export" role="group" aria-labelledby="plain-export-heading">
                <h3 id="plain-export-heading">"Automerge file"</h3>
                <p class="muted">
                    "A standard Automerge document that other tools can open. It is not encrypted: anyone who gets the file can read everything in it."
                </p>
                <button type="button" class="secondary" on:click=plain>
                    "Download Automerge file"
                </button>
            </div>
            <div class="plain-export" role="group" aria-labelledby="json-export-heading">
                <h3 id="json-export-heading">"JSON file"</h3>
                <p class="muted">
                    "Every record as it stands now, for spreadsheets and other tools (the history stays in the Automerge file). Not encrypted."
                </p>
                <button type="button" class="secondary" on:click=json>"Download JSON file"</button>
            </div>
        </section>
    }
}
