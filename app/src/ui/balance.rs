//! Where a Design 2 pool's check goes: the app's second module (`src/bin/balance.rs`,
//! [`crate::persistent`]) imported the first time one is checked, and mounted into the page's
//! [`HOST`] element with the check to run. A Design 1 check never loads it.

use super::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function import_module(path) { return import(new URL(path, document.baseURI).href); }"
)]
extern "C" {
    fn import_module(path: &str) -> js_sys::Promise;
}

/// The second module's script, beside the page.
const MODULE: &str = "balance.js";

thread_local! {
    /// The second module once imported and started.
    static LOADED: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
    /// Which request is the latest: one still loading the module is dropped once another, or
    /// a Design 1 check, comes after it.
    static LATEST: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Calls the second module's export `name` with `args`.
fn call(module: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: js_sys::Function = js_sys::Reflect::get(module, &JsValue::from_str(name))?.dyn_into()?;
    f.apply(&JsValue::NULL, &args.iter().collect::<js_sys::Array>())
}

/// The second module, imported and started the first time.
async fn module() -> Result<JsValue, String> {
    if let Some(m) = LOADED.with(|l| l.borrow().clone()) {
        return Ok(m);
    }
    let why = |e: JsValue| format!("{e:?}");
    let m = wasm_bindgen_futures::JsFuture::from(import_module(MODULE))
        .await
        .map_err(why)?;
    let init = call(&m, "default", &[]).map_err(why)?;
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(init))
        .await
        .map_err(why)?;
    LOADED.with(|l| *l.borrow_mut() = Some(m.clone()));
    Ok(m)
}

/// Stops the second module's check, if it was loaded, and drops one waiting for it.
pub fn stop() {
    LATEST.with(|l| l.set(l.get() + 1));
    if let Some(m) = LOADED.with(|l| l.borrow().clone()) {
        let _ = call(&m, "unmount", &[]);
    }
}

/// The id of the element a Design 2 check is shown in (`ui::App` has it).
pub const HOST: &str = "balance-host";

/// Shows the Design 2 check `request` (`persistent::view::Request`'s fields) in the page's
/// [`HOST`] element, the second module imported first if need be.
pub fn show(state: AppState, request: Vec<String>) {
    let mine = LATEST.with(|l| {
        l.set(l.get() + 1);
        l.get()
    });
    spawn_local(async move {
        let failed = |why: String| state.failure.set(Some(super::Failure::plain(why)));
        let Some(host) = document().get_element_by_id(HOST) else {
            return failed(format!("The page has no element {HOST}."));
        };
        state.running.set(true);
        match module().await {
            // a newer check came while the module loaded
            Ok(_) if LATEST.with(|l| l.get()) != mine => {}
            Ok(m) => {
                let fields: js_sys::Array = request.iter().map(|f| JsValue::from_str(f)).collect();
                if let Err(e) = call(&m, "mount", &[host.into(), fields.into()]) {
                    failed(format!("The balance check failed to start: {e:?}"));
                }
            }
            Err(_) if LATEST.with(|l| l.get()) != mine => {}
            Err(e) => failed(format!("The balance check could not be loaded ({MODULE}): {e}")),
        }
        if LATEST.with(|l| l.get()) == mine {
            state.running.set(false);
        }
    });
}
