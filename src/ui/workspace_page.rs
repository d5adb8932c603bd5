//! A workspace's page: its name and scope, whether it is saved, and its
//! security objectives.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::ui::objectives::ObjectivesSection;
use crate::ui::session::OpenError;
use crate::ui::{OpenWorkspace, Profile, SaveState, Storage};

/// Opens the workspace named in the address and shows it.
#[component]
pub fn WorkspacePage() -> impl IntoView {
    let params = use_params_map();
    let storage = expect_context::<Storage>();
    let profile = expect_context::<Profile>();
    let opened = RwSignal::new(None::<Result<OpenWorkspace, OpenError>>);
    Effect::new(move |_| {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        opened.set(None);
        let db = storage.database();
        let author = profile.author();
        leptos::task::spawn_local(async move {
            let result = match db {
                Ok(db) => OpenWorkspace::open(db, &id, &author).await,
                Err(e) => Err(OpenError::Storage(e)),
            };
            opened.set(Some(result));
        });
    });
    move || match opened.get() {
        None => view! { <p class="muted" role="status">"Opening the workspace…"</p> }.into_any(),
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
    let organisation = move || ws.state.with(|s| s.meta.organisation.clone());
    let scope = move || ws.state.with(|s| s.meta.scope.clone());
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
            </div>
            <SaveIndicator state=ws.save/>
        </div>
        {move || {
            ws.warnings
                .get()
                .into_iter()
                .map(|w| view! { <p class="notice warning" role="alert">{w}</p> })
                .collect_view()
        }}
        <ObjectivesSection/>
    }
}

/// "Saved" / "Saving…" / a failure, announced politely to screen readers.
#[component]
fn SaveIndicator(
    /// The save state to show.
    state: RwSignal<SaveState>,
) -> impl IntoView {
    let class = move || match state.get() {
        SaveState::Saved => "save-state saved",
        SaveState::Saving => "save-state saving",
        SaveState::Failed(_) => "save-state failed",
    };
    view! {
        <div class="save-box">
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
