//! Charter's entry point: opens the browser storage and mounts the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    charter::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // The app runs in the browser; natively only the library's tests run.
}
