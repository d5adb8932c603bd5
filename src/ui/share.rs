//! "Share": turns a workspace kept in this browser into one that syncs through
//! a relay, and shows the editor and read-only links.

use leptos::prelude::*;

use crate::ui::OpenWorkspace;
use crate::ui::live::Sharing;

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The share panel of an open workspace.
#[component]
pub fn SharePanel(
    /// Closes the panel.
    on_close: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let relay = RwSignal::new(origin());
    let problem = RwSignal::new(None::<String>);
    // Re-read when sharing starts: the links exist only from then on.
    let links = move || {
        ws.connection.track();
        ws.sharing.track();
        ws.share_links(&origin())
    };
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let address = relay.get_untracked();
        if let Err(e) = crate::sync::link::websocket_url(&address) {
            problem.set(Some(
                e.to_string().replace("This link names a", "This is a"),
            ));
            return;
        }
        match ws.share(address.trim()) {
            Ok(()) => problem.set(None),
            Err(e) => problem.set(Some(e)),
        }
    };
    view! {
        <section
            class="card share-panel"
            aria-labelledby="share-heading"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            <div class="section-head">
                <h2 id="share-heading">"Share this workspace"</h2>
                <button type="button" class="link-button quiet" on:click=move |_| on_close.run(())>
                    "Close"
                </button>
            </div>
            {move || match links() {
                None => view! {
                    <form class="form" aria-label="Start sharing" on:submit=start novalidate>
                        <p class="muted">
                            "Colleagues you share with edit together with you, live or offline. "
                            "Everything is encrypted in this browser before it leaves; the relay that passes it on cannot read it."
                        </p>
                        <div class="field">
                            <label for="relay-address">"Relay address"</label>
                            <input
                                id="relay-address"
                                type="url"
                                prop:value=move || relay.get()
                                on:input=move |ev| relay.set(event_target_value(&ev))
                                aria-invalid=move || problem.with(Option::is_some).to_string()
                                aria-describedby="relay-address-message"
                            />
                            <p id="relay-address-message" class="field-message error">
                                {move || problem.get()}
                            </p>
                        </div>
                        <div class="actions">
                            <button type="submit" class="primary">"Start sharing"</button>
                        </div>
                    </form>
                }
                .into_any(),
                Some((editor, reader)) => view! {
                    {move || (ws.sharing.get() == Sharing::Renewed).then(|| view! {
                        <p class="notice success" role="status">
                            "Sharing through the old links has stopped. Send these new links to the people you still trust: their browsers carry their copy over when they open them."
                        </p>
                    })}
                    <div class="share-links">
                        {editor.clone().map(|editor| view! {
                            <LinkField
                                id="editor-link"
                                label="Editor link"
                                hint="Anyone with this link can change the workspace. Send it only to the people who run the ISMS with you."
                                link=editor
                            />
                        })}
                        <LinkField
                            id="reader-link"
                            label="Read-only link"
                            hint="For auditors and observers: they see everything and can change nothing."
                            link=reader
                        />
                    </div>
                    {editor.is_some().then(|| view! { <StopSharing/> })}
                }
                .into_any(),
            }}
        </section>
    }
}

/// "Stop sharing these links": the relay closes the current room for good,
/// and the workspace carries on through new links.
#[component]
fn StopSharing() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let asking = RwSignal::new(false);
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    let open = move |_| {
        asking.set(true);
        crate::ui::form::focus_later(confirm_ref);
    };
    let stop = move |_| {
        asking.set(false);
        if let Err(e) = ws.stop_sharing() {
            ws.sharing.set(Sharing::Failed(e));
        }
    };
    view! {
        <div class="stop-sharing" role="group" aria-labelledby="stop-sharing-heading">
            <h3 id="stop-sharing-heading">"Stop sharing these links"</h3>
            <p class="muted">
                "If a link reached someone it should not have, or someone leaves: the relay stops taking changes through the current links, and you get new ones to send to the people you still trust."
            </p>
            {move || match ws.sharing.get() {
                Sharing::Closing => Some(view! {
                    <p class="notice" role="status">"Stopping the current links…"</p>
                }.into_any()),
                Sharing::Failed(why) => Some(view! {
                    <p class="notice error" role="alert">{why}</p>
                }.into_any()),
                _ => None,
            }}
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button type="button" class="secondary" on:click=open
                        prop:disabled=move || ws.sharing.get() == Sharing::Closing>
                        "Stop sharing and make new links…"
                    </button>
                }
            >
                <div
                    class="confirm-key notice"
                    role="group"
                    aria-labelledby="stop-confirm-heading"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            ev.stop_propagation();
                            asking.set(false);
                        }
                    }
                >
                    <h4 id="stop-confirm-heading">"Stop sharing through the current links?"</h4>
                    <p>
                        "Nobody can send changes through the current links any more, you included, until they open a new link. What people already have stays with them: stopping cannot take back what was shared."
                    </p>
                    <div class="actions">
                        <button type="button" class="primary" node_ref=confirm_ref on:click=stop>
                            "Stop sharing and make new links"
                        </button>
                        <button type="button" class="secondary" on:click=move |_| asking.set(false)>
                            "Cancel"
                        </button>
                    </div>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn LinkField(
    /// Element id.
    id: &'static str,
    /// Visible label.
    label: &'static str,
    /// Who the link is for.
    hint: &'static str,
    /// The link itself.
    link: String,
) -> impl IntoView {
    // None: not yet; Some(true): copied; Some(false): selected for the person to copy.
    let copied = RwSignal::new(None::<bool>);
    let input = NodeRef::<leptos::html::Input>::new();
    let text = link.clone();
    let copy = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let navigator = window.navigator();
        // The clipboard API exists only in secure contexts (https or this
        // machine); on a workshop's plain-http address the link is selected instead.
        let has_clipboard =
            js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined());
        if has_clipboard {
            let _ = navigator.clipboard().write_text(&text);
            copied.set(Some(true));
        } else if let Some(input) = input.get_untracked() {
            input.select();
            copied.set(Some(false));
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <p class="hint" id=format!("{id}-hint")>{hint}</p>
            <div class="copy-row">
                <input
                    id=id
                    type="text"
                    readonly
                    node_ref=input
                    prop:value=link
                    aria-describedby=format!("{id}-hint")
                />
                <button type="button" on:click=copy aria-label=format!("Copy {}", label.to_lowercase())>
                    {move || if copied.get() == Some(true) { "Copied" } else { "Copy" }}
                </button>
            </div>
            {move || {
                (copied.get() == Some(false))
                    .then(|| view! { <p class="hint">"Selected: press Ctrl+C (⌘C on a Mac) to copy it."</p> })
            }}
        </div>
    }
}
