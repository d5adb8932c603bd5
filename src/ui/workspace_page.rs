//! A workspace's page: its name and scope, whether it is saved, and its
//! security objectives.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_params_map;

use crate::ui::export::ExportPanel;
use crate::ui::form::{FormActions, FormErrors, TextField, cancel_on_escape, focus_on_open};
use crate::ui::live::Connection;
use crate::ui::session::OpenError;
use crate::ui::share::SharePanel;
use crate::ui::{OpenWorkspace, Profile, SaveState, Storage};
use crate::workspace::Field;
use crate::workspace::changes::Area;

/// Opens the workspace named in the address and shows it.
#[component]
pub fn WorkspacePage() -> impl IntoView {
    let params = use_params_map();
    let storage = expect_context::<Storage>();
    let profile = expect_context::<Profile>();
    let opened = RwSignal::new(None::<Result<OpenWorkspace, OpenError>>);
    let close = move || {
        if let Some(Some(Ok(ws))) = opened.try_get_untracked() {
            ws.close();
        }
    };
    on_cleanup(close);
    // Only the workspace's id opens it: the map also holds the nested
    // routes' parameters (a review's id), and reopening on those would
    // drop the open copy, with changes not saved yet, on every move to or
    // from a review.
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    Effect::new(move |_| {
        let id = id.get();
        close();
        opened.set(None);
        let db = storage.database();
        let author = profile.author();
        crate::ui::mark("charter:open-start");
        leptos::task::spawn_local(async move {
            let result = match db {
                Ok(db) => OpenWorkspace::open(db, &id, &author).await,
                Err(e) => Err(OpenError::Storage(e)),
            };
            opened.set(Some(result));
        });
    });
    move || match opened.get() {
        None => view! {
            <p class="muted" role="status">
                "Opening the workspace… Years of history take a few seconds."
            </p>
        }
        .into_any(),
        Some(Err(e)) => view! {
            <section class="empty-page">
                <h1>"This workspace cannot be opened"</h1>
                <p role="alert">{e.to_string()}</p>
                <A href="/">"Back to your workspaces"</A>
            </section>
        }
        .into_any(),
        Some(Ok(ws)) => {
            provide_context(ws);
            view! { <WorkspaceView ws=ws/> }.into_any()
        }
    }
}

#[component]
fn WorkspaceView(
    /// The open workspace.
    ws: OpenWorkspace,
) -> impl IntoView {
    let organisation = move || {
        ws.state
            .read(&[Area::Meta], |s| s.meta.organisation.clone())
    };
    let scope = move || ws.state.read(&[Area::Meta], |s| s.meta.scope.clone());
    let editing = RwSignal::new(false);
    let sharing = RwSignal::new(false);
    let exporting = RwSignal::new(false);
    // Announce what this participant is editing as soon as it changes.
    Effect::new(move |_| {
        ws.editing.track();
        ws.send_presence(false);
    });
    let can_edit = move || !ws.read_only.get();
    let online = window_event_listener(leptos::ev::online, move |_| ws.reconnect_now());
    let offline = window_event_listener(leptos::ev::offline, move |_| ws.go_offline());
    on_cleanup(move || {
        online.remove();
        offline.remove();
    });
    let edit_button = NodeRef::<leptos::html::Button>::new();
    let close_editor = Callback::new(move |()| {
        editing.set(false);
        request_animation_frame(move || {
            if let Some(button) = edit_button.get_untracked() {
                let _ = button.focus();
            }
        });
    });
    // Closing the tab while a change is not yet stored asks for confirmation.
    let guard = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if ws.save.get_untracked() != SaveState::Saved {
            ev.prevent_default();
        }
    });
    // A tab being hidden or closed stores what is pending at once, rather
    // than after the debounce it may not live to see.
    // The others see this participant leave at once, not when they fade.
    let hide = window_event_listener(leptos::ev::pagehide, move |_| {
        ws.save_now();
        ws.send_presence(true);
    });
    let hidden = window_event_listener(leptos::ev::visibilitychange, move |_| ws.save_now());
    on_cleanup(move || {
        guard.remove();
        hide.remove();
        hidden.remove();
    });
    Effect::new(move |_| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&format!("{} · Charter", organisation()));
        }
    });
    view! {
        <div class="workspace-header">
            <div>
                <p class="eyebrow">"Information security management system"</p>
                <h1>{organisation}</h1>
                {move || {
                    let scope = scope();
                    (!scope.is_empty())
                        .then(|| view! { <p class="scope"><span class="label">"Scope: "</span>{scope}</p> })
                }}
                <Show when=can_edit>
                    <button
                        type="button"
                        class="link-button edit-details"
                        node_ref=edit_button
                        on:click=move |_| editing.set(true)
                        class:hidden=editing
                    >
                        "Edit name and scope"
                    </button>
                </Show>
                <Show when=move || ws.read_only.get()>
                    <p class="badge read-only">"Read only"</p>
                </Show>
            </div>
            <div class="status-box">
                <SaveIndicator state=ws.save/>
                <ConnectionIndicator connection=ws.connection/>
                <HereNow/>
                <div class="header-actions">
                    <button type="button" on:click=move |_| exporting.update(|s| *s = !*s)>"Export"</button>
                    <button type="button" on:click=move |_| sharing.update(|s| *s = !*s)>"Share"</button>
                </div>
            </div>
        </div>
        <Show when=move || exporting.get()>
            <ExportPanel on_close=Callback::new(move |()| exporting.set(false))/>
        </Show>
        <Show when=move || sharing.get()>
            <SharePanel on_close=Callback::new(move |()| sharing.set(false))/>
        </Show>
        <Show when=move || editing.get()>
            <DetailsForm on_close=close_editor/>
        </Show>
        <Arrival/>
        {move || {
            ws.notices
                .get()
                .into_iter()
                .map(|(_, text)| view! { <p class="notice warning" role="alert">{text}</p> })
                .collect_view()
        }}
        {move || {
            ws.warnings
                .get()
                .into_iter()
                .map(|w| {
                    let message = w.clone();
                    view! {
                        <div class="notice warning lasting" role="alert">
                            <p>{w}</p>
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| ws.dismiss(&message)
                            >
                                "Dismiss"
                            </button>
                        </div>
                    }
                })
                .collect_view()
        }}
        <SectionNav/>
        <Outlet/>
    }
}

/// Changes the organisation name and the ISMS scope statement.
#[component]
fn DetailsForm(
    /// Closes the form (after saving or on cancel).
    on_close: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let profile = expect_context::<Profile>();
    let meta = ws.state.untracked(|s| s.meta.clone());
    let organisation = RwSignal::new(meta.organisation);
    let scope = RwSignal::new(meta.scope);
    let errors = FormErrors::new();
    let name_ref = NodeRef::<leptos::html::Input>::new();
    focus_on_open(name_ref);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (name, scope) = (organisation.get_untracked(), scope.get_untracked());
        match ws.run(&profile.author(), |doc, now| {
            doc.edit_meta(&name, &scope, now)
        }) {
            Ok(()) => {
                ws.update_listing();
                on_close.run(());
            }
            Err(e) => errors.set(Some(e)),
        }
    };
    view! {
        <form
            class="card form details-form"
            aria-label="Workspace details"
            novalidate
            on:submit=submit
            on:keydown=cancel_on_escape(on_close)
        >
            <TextField
                id="details-organisation".into()
                label="Organisation name"
                value=organisation
                error=errors.field(Field::Organisation)
                node_ref=name_ref
            />
            <TextField
                id="details-scope".into()
                label="ISMS scope"
                optional=true
                multiline=true
                value=scope
                error=errors.field(Field::Scope)
            />
            <FormActions errors=errors save="Save details" on_cancel=on_close/>
        </form>
    }
}

/// Links to the workspace's sections.
#[component]
fn SectionNav() -> impl IntoView {
    let params = use_params_map();
    let base = move || format!("/w/{}", params.with(|p| p.get("id").unwrap_or_default()));
    view! {
        <nav class="section-nav" aria-label="Workspace sections">
            <A href=move || format!("{}/overview", base())>"Overview"</A>
            <A href=base exact=true>"Objectives"</A>
            <A href=move || format!("{}/context", base())>"Context"</A>
            <A href=move || format!("{}/plan", base())>"Plan"</A>
            <A href=move || format!("{}/risks", base())>"Risks"</A>
            <A href=move || format!("{}/soa", base())>"Applicability"</A>
            <A href=move || format!("{}/roles", base())>"People and roles"</A>
            <A href=move || format!("{}/resources", base())>"Resources"</A>
            <A href=move || format!("{}/policies", base())>"Policies"</A>
            <A href=move || format!("{}/training", base())>"Training"</A>
            <A href=move || format!("{}/communication", base())>"Communication"</A>
            <A href=move || format!("{}/commitment", base())>"Commitment"</A>
            <A href=move || format!("{}/reviews", base())>"Reviews"</A>
            <A href=move || format!("{}/audits", base())>"Audits"</A>
            <A href=move || format!("{}/certification", base())>"Certification"</A>
            <A href=move || format!("{}/participants", base())>"Participants"</A>
            <A href=move || format!("{}/history", base())>"History"</A>
        </nav>
    }
}

/// The others in the workspace right now, as coloured initials.
#[component]
fn HereNow() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    move || {
        let peers = ws.peers.get();
        (!peers.is_empty()).then(|| {
            view! {
                <ul class="peers" aria-label="Here now">
                    {peers
                        .into_iter()
                        .map(|p| {
                            // A reader's presence is unsigned: they can look, not edit.
                            let (label, class) = if p.editor {
                                (p.name, format!("peer peer-{}", p.colour))
                            } else {
                                (
                                    format!("{} (can read only)", p.name),
                                    format!("peer peer-{} reader", p.colour),
                                )
                            };
                            let title = label.clone();
                            view! {
                                <li class=class title=title>
                                    <span aria-hidden="true">{p.initials}</span>
                                    <span class="visually-hidden">{label}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}

/// How long a joined workspace waits for its first contents before it gives up.
const ARRIVAL_TIMEOUT_MS: u32 = 20_000;

/// Until a joined workspace's first contents arrive: a waiting line, then a
/// clear ending if the relay has nothing for the link (it says it is up to
/// date with nothing, or it does not deliver within [`ARRIVAL_TIMEOUT_MS`]).
/// The empty entry then leaves this browser: nothing was written to it, and
/// the link still joins once there is something to receive.
#[component]
fn Arrival() -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let storage = expect_context::<Storage>();
    let waiting = move || {
        ws.state.read(&[Area::Meta], |s| {
            s.meta.created_at == 0 && s.meta.organisation.is_empty()
        })
    };
    let timed_out = RwSignal::new(false);
    let timer = gloo_timers::callback::Timeout::new(ARRIVAL_TIMEOUT_MS, move || {
        timed_out.try_set(true);
    });
    let timer = StoredValue::new_local(Some(timer));
    on_cleanup(move || {
        timer.try_update_value(Option::take);
    });
    let gave_up = Memo::new(move |_| {
        let shared = !matches!(ws.connection.get(), Connection::LocalOnly);
        let empty_room = matches!(ws.connection.get(), Connection::UpToDate { .. });
        shared && waiting() && (empty_room || timed_out.get())
    });
    // Why the empty entry could not be removed, if it could not.
    let left_behind = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if !gave_up.get() {
            return;
        }
        let Some(db) = storage.database_or(left_behind) else {
            return;
        };
        let id = ws.id();
        leptos::task::spawn_local(async move {
            if let Err(e) = db.remove_workspace(&id).await {
                left_behind.try_set(Some(e.to_string()));
            }
        });
    });
    move || {
        if gave_up.get() {
            Some(
                view! {
                    <div class="notice warning" role="alert">
                        <p>
                            "Nothing has arrived from the relay for this link. The workspace may not \
                             have been shared through this relay yet, or the link is old or \
                             mistyped. Open the link again once whoever sent it has shared the \
                             workspace, or ask them for a new one."
                        </p>
                        <p>
                            {move || match left_behind.get() {
                                None => "Nothing was kept in this browser.".to_owned(),
                                Some(e) => format!(
                                    "Its empty entry could not be removed from this browser ({e}); \
                                     remove it from the start page."
                                ),
                            }}
                        </p>
                        <A href="/">"Go to your workspaces"</A>
                    </div>
                }
                .into_any(),
            )
        } else if waiting() {
            Some(
                view! {
                    <p class="muted" role="status">
                        "Waiting for the workspace to arrive from the relay…"
                    </p>
                }
                .into_any(),
            )
        } else {
            None
        }
    }
}

/// Where the workspace stands with the relay, for a shared workspace.
#[component]
fn ConnectionIndicator(
    /// The connection to show.
    connection: RwSignal<Connection>,
) -> impl IntoView {
    let time = crate::ui::locale::time;
    let text = move || match connection.get() {
        Connection::LocalOnly => None,
        Connection::Connecting => Some(("syncing", "Connecting…".to_owned())),
        Connection::OtherTab => Some(("synced", "Syncing in another tab".to_owned())),
        Connection::Syncing => Some(("syncing", "Syncing…".to_owned())),
        Connection::UpToDate { at } => Some(("synced", format!("Up to date · {}", time(at)))),
        Connection::Stopped => Some(("offline", "Sharing stopped · changes stay here".to_owned())),
        Connection::Offline { last, .. } => Some((
            "offline",
            match last {
                Some(at) => format!("Offline · last synced {}", time(at)),
                None => "Offline · changes are kept here".to_owned(),
            },
        )),
    };
    move || {
        text().map(|(class, text)| {
            view! {
                <p role="status" aria-label="Sync state" class=format!("sync-state {class}")>{text}</p>
            }
        })
    }
}

/// "Saved" / "Saving…" / a failure, announced politely to screen readers.
#[component]
fn SaveIndicator(
    /// The save state to show.
    state: RwSignal<SaveState>,
) -> impl IntoView {
    let ws = expect_context::<OpenWorkspace>();
    let class = move || match state.get() {
        SaveState::Saved => "save-state saved",
        SaveState::Saving => "save-state saving",
        SaveState::Failed(_) => "save-state failed",
    };
    view! {
        <div class="save-box">
            <p class="visually-hidden" role="status" aria-label="Last change">
                {move || ws.announcement.get()}
            </p>
            <p role="status" aria-label="Save state" class=class>
                {move || match state.get() {
                    SaveState::Saved => "Saved".to_owned(),
                    SaveState::Saving => "Saving…".to_owned(),
                    SaveState::Failed(_) => "Not saved yet".to_owned(),
                }}
            </p>
            {move || match state.get() {
                SaveState::Failed(reason) => {
                    Some(view! { <p class="notice error save-error" role="alert">{reason}</p> })
                }
                _ => None,
            }}
        </div>
    }
}
