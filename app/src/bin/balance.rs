//! The app's second module: Design 2 (`sharestate_app::persistent`), which the page imports
//! when a Design 2 pool is checked (`crate::ui::balance`). Built by `scripts/build-app.sh`.

use wasm_bindgen::prelude::wasm_bindgen;

/// Shows the check `request` (`persistent::view::Request`'s fields, strings in order) in
/// `host`, replacing any.
#[wasm_bindgen]
pub fn mount(host: web_sys::HtmlElement, request: js_sys::Array) {
    let fields: Vec<String> = request.iter().map(|f| f.as_string().unwrap_or_default()).collect();
    sharestate_app::persistent::view::mount(host, &fields);
}

/// Cancels the check under way and removes its view.
#[wasm_bindgen]
pub fn unmount() {
    sharestate_app::persistent::view::unmount();
}

fn main() {}
