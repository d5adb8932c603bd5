//! The installable, offline app: registers the service worker (`public/sw.js`,
//! which precaches the build so the app starts with no network) and says when a
//! new version is ready. It never reloads by itself: the person chooses when,
//! and a change not yet stored still asks before the page goes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

/// How often an open page asks whether a new version has been published.
const UPDATE_CHECK_MS: u32 = 30 * 60 * 1000;

/// The service worker's registration, once made.
#[derive(Clone, Copy)]
pub struct AppUpdate {
    /// A new version is installed and waits for the person to reload.
    pub ready: RwSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
}

/// Whether the browser offers service workers here (secure contexts only).
fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let window = web_sys::window()?;
    if !window.is_secure_context() {
        return None;
    }
    let navigator = window.navigator();
    js_sys::Reflect::get(&navigator, &"serviceWorker".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .map(|c| c.unchecked_into())
}

impl AppUpdate {
    /// Registers the service worker and watches for a new version.
    pub fn start() -> AppUpdate {
        let update = AppUpdate {
            ready: RwSignal::new(false),
            registration: StoredValue::new_local(None),
        };
        let Some(workers) = container() else {
            return update;
        };
        let registering = workers.register("/sw.js");
        leptos::task::spawn_local(async move {
            let Ok(registration) = JsFuture::from(registering).await else {
                return;
            };
            let registration: ServiceWorkerRegistration = registration.unchecked_into();
            // A new version may be installing already (the check that found it
            // ran with the page's navigation), or be found later.
            if let Some(worker) = registration.installing() {
                watch(worker, update);
            }
            // A worker that waits while another controls this page is a new version;
            // the very first one (no controller yet) is not.
            let controlled = container().is_some_and(|c| c.controller().is_some());
            if registration.waiting().is_some() && controlled {
                update.ready.set(true);
            }
            let watched = registration.clone();
            let on_update = Closure::<dyn FnMut()>::new(move || {
                if let Some(worker) = watched.installing() {
                    watch(worker, update);
                }
            });
            registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
            on_update.forget();
            // A tab left open for days still hears of a new version: the browser checks
            // on navigation only, so the page asks again now and then.
            let checked = registration.clone();
            gloo_timers::callback::Interval::new(UPDATE_CHECK_MS, move || {
                // Offline, the check fails; that is not worth a word.
                if let Ok(checking) = checked.update() {
                    leptos::task::spawn_local(async move {
                        let _ = JsFuture::from(checking).await;
                    });
                }
            })
            .forget();
            update.registration.set_value(Some(registration));
        });
        update
    }

    /// Switches to the waiting version and reloads once it controls the page.
    pub fn apply(&self) {
        let waiting: Option<ServiceWorker> = self
            .registration
            .with_value(|r| r.as_ref().and_then(ServiceWorkerRegistration::waiting));
        let (Some(waiting), Some(container)) = (waiting, container()) else {
            reload();
            return;
        };
        let on_change = Closure::<dyn FnMut()>::new(reload);
        container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
        on_change.forget();
        let _ = waiting.post_message(&"charter:activate".into());
    }
}

/// Says a new version is ready once `worker` has installed, if another
/// version controls the page (the very first install is not an update).
fn watch(worker: ServiceWorker, update: AppUpdate) {
    let installing = worker.clone();
    let on_state = Closure::<dyn FnMut()>::new(move || {
        let controlled = container().is_some_and(|c| c.controller().is_some());
        if installing.state() == ServiceWorkerState::Installed && controlled {
            update.ready.set(true);
        }
    });
    worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
    on_state.forget();
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// "A new version of Charter is available", with the button that reloads into it.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let update = expect_context::<AppUpdate>();
    view! {
        <Show when=move || update.ready.get()>
            <div class="update-banner" role="region" aria-label="New version">
                <p role="status">"A new version of Charter is available."</p>
                <button type="button" class="primary" on:click=move |_| update.apply()>
                    "Reload to update"
                </button>
            </div>
        </Show>
    }
}
