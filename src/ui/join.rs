//! Opening a share link: the keys are read from the address's fragment, which
//! is then removed from the address bar and the history at once.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::sync::link::{LinkWithMove, ShareLink};
use crate::ui::form::TextField;
use crate::ui::session::Joined;
use crate::ui::{OpenWorkspace, Profile, Storage};

/// Reads the link's fragment and removes it from the address bar and history.
fn take_fragment() -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let fragment = window.location().hash().unwrap_or_default();
    // Keeps the keys off a projected screen and out of a shared browser's history.
    if !fragment.is_empty()
        && let Ok(history) = window.history()
    {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/join"));
    }
    fragment.trim_start_matches('#').to_owned()
}

/// Joins the workspace a share link points at, asking only for a name.
#[component]
pub fn JoinPage() -> impl IntoView {
    let fragment = RwSignal::new(take_fragment());
    // A link pasted into this tab while the page is open only changes the fragment.
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let next = take_fragment();
        if !next.is_empty() {
            fragment.set(next);
        }
    });
    on_cleanup(move || listener.remove());
    move || view! { <JoinForm fragment=fragment.get()/> }
}

#[component]
fn JoinForm(
    /// The share link's fragment, as it was in the address.
    fragment: String,
) -> impl IntoView {
    let storage = expect_context::<Storage>();
    let profile = expect_context::<Profile>();
    let navigate = use_navigate();
    let link = LinkWithMove::parse_fragment(&fragment);
    let name = RwSignal::new(profile.name());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Set when this browser has the workspace on another relay: (current, proposed).
    let ask = RwSignal::new(None::<(String, String)>);
    // Set when the link replaces the stopped links of a workspace here: its name.
    let ask_move = RwSignal::new(None::<String>);
    let read_only = matches!(
        link,
        Ok(LinkWithMove {
            link: ShareLink::Reader { .. },
            ..
        })
    );
    let body = match link {
        Err(e) => view! {
            <p class="notice error" role="alert">{e.to_string()}</p>
            <A href="/">"Go to your workspaces"</A>
        }
        .into_any(),
        Ok(link) => {
            let relay = link.link.relay().to_owned();
            // Joins with the relay the person chose, if asked, moving a
            // workspace whose links this one replaces once they agreed.
            let join = {
                let (link, navigate) = (link.clone(), navigate.clone());
                move |chosen: Option<String>, allow_move: bool| {
                    let Some(db) = storage.database_or(error) else {
                        return;
                    };
                    busy.set(true);
                    let (link, navigate) = (link.clone(), navigate.clone());
                    leptos::task::spawn_local(async move {
                        match OpenWorkspace::join(db, &link, chosen.as_deref(), allow_move).await {
                            Ok(Joined::Open(id)) => {
                                navigate(&format!("/w/{id}"), Default::default())
                            }
                            Ok(Joined::AskRelay { current, proposed }) => {
                                ask.set(Some((current, proposed)));
                                busy.set(false);
                            }
                            Ok(Joined::AskMove { name }) => {
                                ask_move.set(Some(name));
                                busy.set(false);
                            }
                            Err(e) => {
                                error.set(Some(e.to_string()));
                                busy.set(false);
                            }
                        }
                    });
                }
            };
            let submit = {
                let join = join.clone();
                move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    if busy.get_untracked() {
                        return;
                    }
                    if let Err(e) = profile.save(&name.get_untracked()) {
                        error.set(Some(e));
                        return;
                    }
                    join(None, false);
                }
            };
            let confirm_move = {
                let join = join.clone();
                move || {
                    ask_move.get().map(|name| {
                        let join = join.clone();
                        view! {
                            <div class="card" role="group" aria-labelledby="join-move-title">
                                <h2 id="join-move-title">{format!("Move “{name}” to this link?")}</h2>
                                <p>
                                    "Sharing through the links this browser used for this workspace was stopped, and this link replaces them. It was made by someone who held the earlier editor link. Your copy carries over, with any changes that were not sent yet."
                                </p>
                                <p class="hint">
                                    "Move it only if you expected a new link from the person who shares the workspace."
                                </p>
                                {move || {
                                    error
                                        .get()
                                        .map(|e| view! { <p class="notice error" role="alert">{e}</p> })
                                }}
                                <div class="actions">
                                    <button type="button" class="primary" prop:disabled=busy
                                        on:click=move |_| join(None, true)>
                                        "Move it"
                                    </button>
                                    <A href="/">"Not now"</A>
                                </div>
                            </div>
                        }
                    })
                }
            };
            let choose = move || {
                ask.get().map(|(current, proposed)| {
                    let (keep, switch) = (join.clone(), join.clone());
                    let (kept, switched) = (current.clone(), proposed.clone());
                    view! {
                        <div class="card" role="group" aria-labelledby="join-relay-title">
                            <h2 id="join-relay-title">"This workspace already syncs elsewhere"</h2>
                            <p>
                                "In this browser, it syncs through " <strong>{current.clone()}</strong>
                                ". The link you opened syncs it through " <strong>{proposed.clone()}</strong>
                                ". Switch only if whoever sent the link told you the workspace has moved."
                            </p>
                            {move || {
                                error
                                    .get()
                                    .map(|e| view! { <p class="notice error" role="alert">{e}</p> })
                            }}
                            <div class="actions">
                                <button type="button" class="primary" prop:disabled=busy
                                    on:click=move |_| keep(Some(kept.clone()), false)>
                                    {format!("Keep {current}")}
                                </button>
                                <button type="button" prop:disabled=busy
                                    on:click=move |_| switch(Some(switched.clone()), false)>
                                    {format!("Switch to {proposed}")}
                                </button>
                            </div>
                        </div>
                    }
                })
            };
            view! {
                <p class="lead">
                    {if read_only {
                        "You have been given a read-only link: you will see everything in this workspace and change nothing."
                    } else {
                        "You have been invited to work on this workspace. Tell your colleagues who you are."
                    }}
                </p>
                <p class="hint">
                    "Its changes travel end-to-end encrypted through the relay at "
                    <strong>{relay}</strong> "."
                </p>
                {confirm_move}
                <Show
                    when=move || ask.with(Option::is_none) && ask_move.with(Option::is_none)
                    fallback=choose.clone()
                >
                    <form class="card form" aria-label="Join workspace" on:submit=submit.clone() novalidate>
                        <TextField
                            id="join-name".into()
                            label="Your name"
                            value=name
                            error=Signal::derive(move || error.get())
                        />
                        <div class="actions">
                            <button type="submit" class="primary" prop:disabled=busy>
                                "Join workspace"
                            </button>
                        </div>
                    </form>
                </Show>
            }
            .into_any()
        }
    };
    view! {
        <section class="narrow">
            <h1>"Join a shared workspace"</h1>
            {body}
        </section>
    }
}
