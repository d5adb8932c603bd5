//! The start page: this browser's workspaces and "New workspace".

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::storage::chunks::{RemovalRisk, load_chunks, removal_risk};
use crate::storage::idb::WorkspaceEntry;
use crate::ui::form::{EmptyState, FormErrors, TextField};
use crate::ui::{OpenWorkspace, Profile, SampleProgress, Storage};
use crate::workspace::{CommandError, Field};

/// Lists this browser's workspaces and creates new ones.
#[component]
pub fn StartPage() -> impl IntoView {
    let storage = expect_context::<Storage>();
    let workspaces = RwSignal::new(None::<Result<Vec<WorkspaceEntry>, String>>);
    let gone = RwSignal::new(None::<String>);
    if let Ok(db) = storage.database() {
        leptos::task::spawn_local(async move {
            workspaces.set(Some(db.workspaces().await.map_err(|e| e.to_string())));
        });
    }
    // Once one is removed: out of the list, and said so.
    let removed = Callback::new(move |(id, name): (String, String)| {
        workspaces.update(|list| {
            if let Some(Ok(list)) = list {
                list.retain(|entry| entry.id != id);
            }
        });
        gone.set(Some(name));
    });
    let list = move || {
        match (storage.database().map_err(|e| e.to_string()), workspaces.get()) {
        (Err(e), _) | (_, Some(Err(e))) => {
            view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any()
        }
        (Ok(_), None) => view! { <p class="muted">"Loading…"</p> }.into_any(),
        (Ok(_), Some(Ok(list))) if list.is_empty() => view! {
            <EmptyState title="No workspaces yet" hint="Create one for your organisation to begin. It is stored in this browser; nothing is sent anywhere."/>
        }
        .into_any(),
        (Ok(_), Some(Ok(list))) => view! {
            <ul class="workspace-list" aria-label="Workspaces">
                {list
                    .into_iter()
                    .map(|entry| view! { <WorkspaceItem entry=entry removed=removed/> })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    view! {
        <section class="hero">
            <h1>"Charter"</h1>
            <p class="lead">
                "The workspace where top management runs its ISO/IEC 27001 information security management system."
            </p>
        </section>
        <div class="two-columns">
            <section aria-labelledby="workspaces-heading">
                <h2 id="workspaces-heading">"Your workspaces"</h2>
                <p class="muted" role="status">
                    {move || gone.get().map(|name| format!("“{name}” was removed from this browser."))}
                </p>
                {list}
            </section>
            <div class="start-actions">
                <NewWorkspaceForm/>
                <ImportCard workspaces/>
                <SampleCard/>
            </div>
        </div>
    }
}

/// One of this browser's workspaces, with a way to remove it from this browser
/// that says first what would be lost.
#[component]
fn WorkspaceItem(
    entry: WorkspaceEntry,
    /// Told (id, name) once the workspace is removed.
    removed: Callback<(String, String)>,
) -> impl IntoView {
    let storage = expect_context::<Storage>();
    // None: closed; Some(None): checking; Some(Some(risk)): asking.
    let asking = RwSignal::new(None::<Option<RemovalRisk>>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let (id, name) = (entry.id.clone(), entry.name.clone());
    let on_relay = entry.sync.map(|s| s.cursor.on_relay);
    let open = {
        let id = id.clone();
        move |_| {
            problem.set(None);
            asking.set(Some(None));
            let Some(on_relay) = on_relay.clone() else {
                asking.set(Some(Some(RemovalRisk::OnlyCopy)));
                return;
            };
            let Some(db) = storage.database_or(problem) else {
                return;
            };
            let id = id.clone();
            leptos::task::spawn_local(async move {
                // Lets "Checking…" show before a large workspace loads.
                gloo_timers::future::TimeoutFuture::new(30).await;
                match db.load_chunks(&id).await {
                    Ok(chunks) => {
                        let heads = load_chunks(chunks).doc.get_heads();
                        asking.set(Some(Some(removal_risk(&heads, Some(&on_relay)))));
                    }
                    Err(e) => problem.set(Some(e.to_string())),
                }
            });
        }
    };
    let remove = {
        let (id, name) = (id.clone(), name.clone());
        move |_| {
            let Some(db) = storage.database_or(problem) else {
                return;
            };
            busy.set(true);
            let (id, name) = (id.clone(), name.clone());
            leptos::task::spawn_local(async move {
                match db.remove_workspace(&id).await {
                    Ok(()) => removed.run((id, name)),
                    Err(e) => {
                        problem.set(Some(e.to_string()));
                        busy.set(false);
                    }
                }
            });
        }
    };
    let message = {
        let name = name.clone();
        move |risk: RemovalRisk| match risk {
            RemovalRisk::OnlyCopy => format!(
                "“{name}” is not shared: this browser holds its only copy. Removing it deletes \
                 everything in it for good."
            ),
            RemovalRisk::Unsent => format!(
                "“{name}” is shared, but Charter cannot confirm that every change made here has \
                 reached the relay. Open it and wait for “Up to date” first, or removing it may \
                 lose those changes."
            ),
            RemovalRisk::Safe => format!(
                "“{name}” is shared and every change made here is on the relay. Removing it \
                 deletes it, and the keys of its link, from this browser; the link lets you join \
                 again."
            ),
        }
    };
    let label = format!("Remove {name} from this browser");
    let group = format!("Remove {name}?");
    view! {
        <li>
            <div class="workspace-row">
                <A href=format!("/w/{id}/overview") attr:class="workspace-link">
                    {name.clone()}
                </A>
                <button type="button" class="link-button quiet" aria-label=label
                    prop:disabled=move || asking.with(Option::is_some) on:click=open>
                    "Remove"
                </button>
            </div>
            {move || {
                asking.get().map(|risk| {
                    let remove = remove.clone();
                    view! {
                        <div class="card removal" role="group" aria-label=group.clone()
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Escape" {
                                    asking.set(None);
                                }
                            }>
                            {move || problem.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                            {match risk {
                                None => view! { <p class="muted">"Checking what only this browser holds…"</p> }.into_any(),
                                Some(risk) => view! {
                                    <p>{message(risk)}</p>
                                    <div class="actions">
                                        <button type="button" class="danger" prop:disabled=busy on:click=remove>
                                            "Remove from this browser"
                                        </button>
                                        <button type="button" on:click=move |_| asking.set(None)>
                                            "Keep it"
                                        </button>
                                    </div>
                                }
                                .into_any(),
                            }}
                        </div>
                    }
                })
            }}
        </li>
    }
}

#[component]
fn NewWorkspaceForm() -> impl IntoView {
    let storage = expect_context::<Storage>();
    let profile = expect_context::<Profile>();
    let navigate = use_navigate();
    let organisation = RwSignal::new(String::new());
    let scope = RwSignal::new(String::new());
    // Asked here because approvals and confirmations name who gave them.
    let your_name = RwSignal::new(profile.name_untracked());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let name_ref = NodeRef::<leptos::html::Input>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // Every field's problem at once: the organisation's and the name's.
        let mut invalid = crate::workspace::validate::workspace_meta(
            &organisation.get_untracked(),
            &scope.get_untracked(),
        )
        .err()
        .unwrap_or_default();
        let named = crate::workspace::validate::required_name(
            Field::DisplayName,
            &your_name.get_untracked(),
            "Enter your name: approvals and confirmations name who gave them.",
        );
        if let Err(e) = &named {
            invalid.0.extend(e.0.iter().cloned());
        }
        if !invalid.is_empty() {
            errors.show(Err(CommandError::Invalid(invalid)), form_ref);
            return;
        }
        if let Err(problem) = profile.save(&your_name.get_untracked()) {
            errors.set(Some(CommandError::NotAllowed(problem)));
            return;
        }
        let db = match storage.database() {
            Ok(db) => db,
            Err(e) => {
                errors.set(Some(CommandError::Document(e.to_string())));
                return;
            }
        };
        let (org, scope_text) = (organisation.get_untracked(), scope.get_untracked());
        let author = profile.author();
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match OpenWorkspace::create(db, &org, &scope_text, &author).await {
                Ok(id) => navigate(&format!("/w/{id}"), Default::default()),
                Err(e) => {
                    if matches!(e, CommandError::Invalid(_))
                        && let Some(input) = name_ref.get_untracked()
                    {
                        let _ = input.focus();
                    }
                    errors.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="new-workspace-heading">
            <h2 id="new-workspace-heading">"New workspace"</h2>
            <form class="form" aria-label="New workspace" on:submit=submit novalidate node_ref=form_ref>
                <TextField
                    id="organisation".into()
                    label="Organisation name"
                    value=organisation
                    error=errors.field(Field::Organisation)
                    node_ref=name_ref
                />
                <TextField
                    id="founder-name".into()
                    label="Your name"
                    hint="Shown beside your changes, approvals and confirmations. Kept in this browser."
                    value=your_name
                    error=errors.field(Field::DisplayName)
                />
                <TextField
                    id="scope".into()
                    label="ISMS scope"
                    optional=true
                    multiline=true
                    hint="Which parts of the organisation the ISMS covers (clause 4.3). You can change it later."
                    value=scope
                    error=errors.field(Field::Scope)
                />
                {move || errors.other().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=busy>
                        {move || if busy.get() { "Creating…" } else { "Create workspace" }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// "Open a sample workspace": an example organisation to explore or demo.
/// Where the build publishes the three-year sample (scripts/sample.sh).
const THREE_YEAR_SAMPLE: &str = "/samples/three-year.automerge";

/// The two samples the start page offers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sample {
    /// A year of a small company, written by the ordinary commands here.
    Year,
    /// Three years of a mid-sized group, fetched from the build.
    ThreeYears,
}

#[component]
fn SampleCard() -> impl IntoView {
    let storage = expect_context::<Storage>();
    let profile = expect_context::<Profile>();
    let navigate = use_navigate();
    // The sample being prepared; one at a time.
    let opening = RwSignal::new(None::<Sample>);
    // How far the one-year sample has got, while it is prepared.
    let progress = RwSignal::new(None::<SampleProgress>);
    let problem = RwSignal::new(None::<String>);
    let open = move |sample: Sample| {
        if opening.get_untracked().is_some() {
            return;
        }
        let Some(db) = storage.database_or(problem) else {
            return;
        };
        let author = profile.author();
        let navigate = navigate.clone();
        opening.set(Some(sample));
        problem.set(None);
        leptos::task::spawn_local(async move {
            let created = match sample {
                Sample::Year => {
                    OpenWorkspace::create_sample(db, &author, move |step| progress.set(Some(step)))
                        .await
                        .map_err(|e| e.to_string())
                }
                Sample::ThreeYears => {
                    // Let the button show its progress before the download.
                    gloo_timers::future::TimeoutFuture::new(20).await;
                    let name = crate::workspace::generate::ORGANISATION;
                    OpenWorkspace::create_from_file(db, THREE_YEAR_SAMPLE, name).await
                }
            };
            match created {
                Ok(id) => navigate(&format!("/w/{id}/overview"), Default::default()),
                Err(e) => {
                    problem.set(Some(e));
                    opening.set(None);
                    progress.set(None);
                }
            }
        });
    };
    let (open_year, open_three_years) = (open.clone(), open);
    let busy = move |sample: Sample| opening.get() == Some(sample);
    view! {
        <section class="card sample-card" aria-labelledby="sample-heading">
            <h2 id="sample-heading">"See an example"</h2>
            <p class="muted">
                "A fictional logistics company with a year of objectives, people and roles, policies, training and budget. Explore it freely; it stays in this browser."
            </p>
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            <div class="actions">
                <button
                    type="button"
                    on:click=move |_| open_year(Sample::Year)
                    prop:disabled=move || opening.get().is_some()
                    aria-busy=move || busy(Sample::Year).to_string()
                >
                    {move || if busy(Sample::Year) { "Preparing the sample…" } else { "Open a sample workspace" }}
                </button>
            </div>
            {move || busy(Sample::Year).then(|| view! { <SampleSteps progress /> })}
            <p class="muted">
                "Or feel Charter at realistic size: three years of a mid-sized group, with 60 objectives measured monthly, 20 policies typed by four people and approved each year, budgets and training. It takes a few seconds to open."
            </p>
            <div class="actions">
                <button
                    type="button"
                    on:click=move |_| open_three_years(Sample::ThreeYears)
                    prop:disabled=move || opening.get().is_some()
                    aria-busy=move || busy(Sample::ThreeYears).to_string()
                >
                    {move || if busy(Sample::ThreeYears) { "Downloading the three-year sample…" } else { "Open a three-year sample" }}
                </button>
            </div>
        </section>
    }
}

/// The progress of preparing the one-year sample: a bar and the step now
/// running, in words (a status the screen reader reads as it changes).
#[component]
fn SampleSteps(
    /// How far it has got; nothing before the first step is announced.
    progress: RwSignal<Option<SampleProgress>>,
) -> impl IntoView {
    let step = move || {
        progress.get().unwrap_or(SampleProgress {
            done: 0,
            total: 1,
            what: "",
        })
    };
    view! {
        <div class="sample-progress">
            <progress
                aria-label="Preparing the sample"
                max=move || step().total.to_string()
                value=move || step().done.to_string()
            ></progress>
            <p class="muted" role="status">
                {move || {
                    let step = step();
                    (!step.what.is_empty())
                        .then(|| {
                            format!(
                                "Step {} of {}: {}",
                                step.done + 1,
                                step.total,
                                step.what.to_lowercase(),
                            )
                        })
                }}
            </p>
        </div>
    }
}

/// Where an import stands.
#[derive(Clone)]
enum Import {
    /// Nothing chosen yet.
    Idle,
    /// An encrypted backup waits for its passphrase.
    Locked(std::rc::Rc<Vec<u8>>),
    /// A workspace read from the file, ready to add or merge.
    Ready(std::rc::Rc<Vec<u8>>, String),
}

/// Reads a chosen file's bytes, refusing one too large before reading it.
async fn file_bytes(file: web_sys::File) -> Result<Vec<u8>, String> {
    if file.size() > crate::storage::backup::MAX_IMPORT_BYTES as f64 {
        return Err(crate::storage::backup::BackupError::TooLarge.to_string());
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "The browser could not read this file.".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The organisation in an Automerge file, once it reads as a workspace.
fn checked(bytes: &[u8]) -> Result<String, String> {
    let doc = crate::storage::backup::read_workspace(bytes).map_err(|e| e.to_string())?;
    Ok(crate::workspace::WorkspaceDoc::from_automerge(doc, "")
        .meta()
        .map(|m| m.organisation)
        .unwrap_or_default())
}

/// "Import a workspace file": an encrypted backup or an Automerge file, as a
/// new workspace or merged into the copy this browser has.
#[component]
fn ImportCard(
    /// This browser's workspaces, for merging into one.
    workspaces: RwSignal<Option<Result<Vec<WorkspaceEntry>, String>>>,
) -> impl IntoView {
    use crate::storage::backup::{FileKind, kind_of, open};
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    let storage = expect_context::<Storage>();
    let profile = expect_context::<Profile>();
    let navigate = use_navigate();
    let state = RwSignal::new_local(Import::Idle);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let passphrase = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let chosen = move |ev: leptos::ev::Event| {
        problem.set(None);
        done.set(None);
        state.set(Import::Idle);
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = file_bytes(file).await.and_then(|bytes| {
                match kind_of(&bytes).map_err(|e| e.to_string())? {
                    FileKind::Encrypted => Ok(Import::Locked(Rc::new(bytes))),
                    FileKind::Automerge => {
                        let name = checked(&bytes)?;
                        Ok(Import::Ready(Rc::new(bytes), name))
                    }
                }
            });
            busy.set(false);
            match outcome {
                Ok(next) => state.set(next),
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    let unlock = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Import::Locked(file) = state.get_untracked() else {
            return;
        };
        busy.set(true);
        problem.set(None);
        let typed = passphrase.get_untracked();
        // Let "Opening…" paint before the key is stretched (about a second).
        gloo_timers::callback::Timeout::new(30, move || {
            let outcome = open(&file, &typed)
                .map_err(|e| e.to_string())
                .and_then(|bytes| checked(&bytes).map(|name| (bytes, name)));
            busy.set(false);
            match outcome {
                Ok((bytes, name)) => {
                    passphrase.set(String::new());
                    state.set(Import::Ready(Rc::new(bytes), name));
                }
                Err(e) => problem.set(Some(e)),
            }
        })
        .forget();
    };
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Import::Ready(bytes, name) = state.get_untracked() else {
            return;
        };
        let Some(db) = storage.database_or(problem) else {
            return;
        };
        let Ok(doc) = crate::storage::backup::read_workspace(&bytes) else {
            return;
        };
        let into = target.get_untracked();
        let author = profile.author();
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            if into.is_empty() {
                match OpenWorkspace::import_new(db, doc, &author).await {
                    Ok(id) => navigate(&format!("/w/{id}/overview"), Default::default()),
                    Err(e) => problem.set(Some(e.to_string())),
                }
            } else {
                let into_name = workspaces.with_untracked(|list| {
                    list.as_ref()
                        .and_then(|l| l.as_ref().ok())
                        .and_then(|l| l.iter().find(|e| e.id == into).map(|e| e.name.clone()))
                        .unwrap_or_else(|| name.clone())
                });
                match OpenWorkspace::import_merge(db, &into, doc).await {
                    Ok(0) => {
                        state.set(Import::Idle);
                        done.set(Some(format!(
                            "“{into_name}” already had everything in this file."
                        )));
                    }
                    Ok(n) => {
                        state.set(Import::Idle);
                        done.set(Some(format!(
                            "Merged into “{into_name}”: {} from the file. Open it to see them.",
                            crate::ui::counted(n, "change", "changes")
                        )));
                    }
                    Err(e) => problem.set(Some(e)),
                }
            }
            busy.set(false);
        });
    };
    let step = move || match state.get() {
        Import::Idle => ().into_any(),
        Import::Locked(_) => view! {
            <form class="form" aria-label="Open encrypted backup" on:submit=unlock novalidate>
                <div class="field">
                    <label for="import-passphrase">"Passphrase of this backup"</label>
                    <input
                        id="import-passphrase"
                        type="password"
                        autocomplete="off"
                        prop:value=move || passphrase.get()
                        on:input=move |ev| passphrase.set(event_target_value(&ev))
                    />
                </div>
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=busy>
                        {move || if busy.get() { "Opening…" } else { "Open backup" }}
                    </button>
                </div>
            </form>
        }
        .into_any(),
        Import::Ready(_, name) => {
            let options = workspaces.with(|list| {
                list.as_ref()
                    .and_then(|l| l.as_ref().ok())
                    .cloned()
                    .unwrap_or_default()
            });
            view! {
                <form class="form" aria-label="Import workspace" on:submit=import.clone() novalidate>
                    <p>{format!("“{name}” is ready to import.")}</p>
                    <div class="field">
                        <label for="import-target">"Import as"</label>
                        <select id="import-target" on:change=move |ev| target.set(event_target_value(&ev))>
                            <option value="" selected=move || target.with(String::is_empty)>
                                "A new workspace"
                            </option>
                            {options
                                .into_iter()
                                .map(|entry| {
                                    let id = entry.id.clone();
                                    view! {
                                        <option value=entry.id selected=move || target.with(|t| *t == id)>
                                            {format!("Merged into “{}”", entry.name)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary" prop:disabled=busy>"Import"</button>
                    </div>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <section class="card import-card" aria-labelledby="import-heading">
            <h2 id="import-heading">"Import a workspace file"</h2>
            <p class="muted">
                "An encrypted backup or an Automerge file exported from Charter: as a new workspace, or merged into the copy you have."
            </p>
            <div class="field">
                <label for="import-file">"Workspace file"</label>
                <input id="import-file" type="file" accept=".charter,.automerge" on:change=chosen/>
            </div>
            {move || {
                (busy.get() && matches!(state.get(), Import::Idle))
                    .then(|| view! { <p class="muted" role="status">"Reading the file…"</p> })
            }}
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            {move || done.get().map(|d| view! { <p class="notice success" role="status">{d}</p> })}
            {step}
        </section>
    }
}
