//! The browser UI: Leptos components that read reactive state derived from
//! the workspace document and send commands to change it.

mod app_update;
mod audit_nonconformities;
mod audits;
mod certification;
mod commitment;
mod communication;
mod competence;
mod context;
mod dashboard;
mod dossier;
mod export;
mod form;
mod history;
mod join;
mod live;
mod live_text;
mod locale;
mod measurements;
mod objectives;
mod participants;
mod plan;
mod plan_print;
mod plan_stages;
mod planned_changes;
pub(crate) mod policies;
mod presence;
mod profile;
mod resources;
mod reviews;
mod risks;
mod risks_print;
mod roles;
mod session;
mod share;
mod signatures;
mod soa;
mod soa_print;
mod start_page;
mod state;
mod training;
mod workspace_page;

use leptos::prelude::*;
use leptos_router::components::{A, ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::storage::idb::{DEFAULT_DATABASE, Database, StorageError};
pub use profile::Profile;
pub use session::{OpenWorkspace, SampleProgress, SaveState};

/// This browser's database, or why it could not be opened; shared by every page.
#[derive(Clone, Copy)]
pub struct Storage(StoredValue<Result<Database, StorageError>, LocalStorage>);

impl Storage {
    /// The open database, or the error a page should show instead.
    pub fn database(&self) -> Result<Database, StorageError> {
        self.0.with_value(|db| db.clone())
    }

    /// The open database, or `None` with the reason put in `problem` for the
    /// page to show.
    pub fn database_or(&self, problem: RwSignal<Option<String>>) -> Option<Database> {
        self.database()
            .map_err(|e| problem.set(Some(e.to_string())))
            .ok()
    }
}

/// Milliseconds since the Unix epoch (`SystemTime` panics on wasm32).
pub fn now() -> i64 {
    js_sys::Date::now() as i64
}

/// Sets a User Timing mark (`performance.mark(name)`), which the browser
/// benchmarks read; does nothing where the browser has no Performance API.
pub fn mark(name: &str) {
    use js_sys::{Function, Reflect};
    use wasm_bindgen::JsCast;
    let Some(performance) = web_sys::window()
        .and_then(|w| Reflect::get(&w, &"performance".into()).ok())
        .filter(|p| !p.is_undefined())
    else {
        return;
    };
    if let Ok(mark) = Reflect::get(&performance, &"mark".into())
        && let Ok(mark) = mark.dyn_into::<Function>()
    {
        let _ = mark.call1(&performance, &name.into());
    }
}

/// Today as YYYY-MM-DD in the person's time zone.
pub fn today() -> String {
    let date = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

/// A number with its noun: "1 objective", "3 objectives".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Opens storage, then mounts the app on the page body.
pub fn start() {
    // Leptos's executor starts with the mount, so the first await uses wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(async {
        let db = Database::open(DEFAULT_DATABASE).await;
        if let Some(window) = web_sys::window() {
            // Ask the browser not to evict the workspace under storage pressure.
            let _ = window.navigator().storage().persist();
        }
        form::watch_form_changes();
        leptos::mount::mount_to_body(move || view! { <App db=db/> });
    });
}

/// The whole app: header, routes and shared context.
#[component]
pub fn App(
    /// This browser's database, or why it is unavailable.
    db: Result<Database, StorageError>,
) -> impl IntoView {
    provide_context(Storage(StoredValue::new_local(db)));
    provide_context(Profile::load());
    provide_context(app_update::AppUpdate::start());
    view! {
        <Router>
            <Header/>
            <main id="main" class="page">
                <app_update::UpdateBanner/>
                <InsecureNotice/>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=start_page::StartPage/>
                    <ParentRoute path=path!("/w/:id") view=workspace_page::WorkspacePage>
                        <Route path=path!("") view=objectives::ObjectivesSection/>
                        <Route path=path!("roles") view=roles::RolesSection/>
                        <Route path=path!("overview") view=dashboard::DashboardSection/>
                        <Route path=path!("resources") view=resources::ResourcesSection/>
                        <Route path=path!("policies") view=policies::PoliciesSection/>
                        <Route path=path!("training") view=training::TrainingSection/>
                        <Route path=path!("communication") view=communication::CommunicationSection/>
                        <Route path=path!("commitment") view=commitment::CommitmentSection/>
                        <Route path=path!("context") view=context::ContextSection/>
                        <Route path=path!("plan") view=plan_stages::PlanSection/>
                        <Route path=path!("plan/print") view=plan_print::PlanPrintPage/>
                        <Route path=path!("soa") view=soa::SoaSection/>
                        <Route path=path!("soa/print") view=soa_print::SoaPrintPage/>
                        <Route path=path!("risks") view=risks::RisksSection/>
                        <Route path=path!("risks/print") view=risks_print::RiskRegisterPrint/>
                        <Route path=path!("reviews") view=reviews::ReviewsSection/>
                        <Route path=path!("reviews/:review") view=reviews::ReviewPage/>
                        <Route path=path!("reviews/:review/pack") view=reviews::ReviewPackPage/>
                        <Route path=path!("actions") view=reviews::ActionsSection/>
                        <Route path=path!("audits") view=audits::AuditsSection/>
                        <Route path=path!("certification") view=certification::CertificationSection/>
                        <Route path=path!("dossier") view=dossier::DossierPage/>
                        <Route path=path!("participants") view=participants::ParticipantsSection/>
                        <Route path=path!("history") view=history::HistorySection/>
                    </ParentRoute>
                    <Route path=path!("/profile") view=profile::ProfilePage/>
                    <Route path=path!("/join") view=join::JoinPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// Says why some things may not work when the page came over plain HTTP from another
/// machine (a workshop relay run with `--insecure-lan`): browsers then withhold features
/// Charter relies on, and anyone on the network could have altered the page.
#[component]
fn InsecureNotice() -> impl IntoView {
    let secure = web_sys::window().is_none_or(|w| w.is_secure_context());
    (!secure).then(|| {
        view! {
            <p class="notice warning" role="note">
                "This page came over an unencrypted connection. Anyone on this network could \
                 have changed it, and the browser holds back some features (such as copying \
                 links). Ask whoever runs the relay for its https address."
            </p>
        }
    })
}

#[component]
fn Header() -> impl IntoView {
    let profile = expect_context::<Profile>();
    view! {
        <header class="app-header">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <A href="/" attr:class="brand">"Charter"</A>
            <nav class="app-nav" aria-label="Main">
                <span class="who" aria-hidden="true">{move || profile.initials()}</span>
                <A href="/profile">"Profile"</A>
            </nav>
        </header>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="empty-page">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <A href="/">"Back to your workspaces"</A>
        </section>
    }
}
