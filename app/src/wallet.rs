//! EIP-12 dApp connector (Nautilus and others): connect, then read the wallet's addresses.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An EIP-12 error, in plain words.
pub fn describe(e: &JsValue) -> String {
    let code = Reflect::get(e, &"code".into())
        .ok()
        .and_then(|c| c.as_f64())
        .map(|c| c as i64);
    let info = Reflect::get(e, &"info".into())
        .ok()
        .and_then(|i| i.as_string())
        .unwrap_or_default();
    match code {
        Some(-3) => "The wallet refused the request (declined by you, or not allowed for this site).".into(),
        Some(-2) => format!("The wallet had an internal error: {info}"),
        Some(-1) => format!("The wallet found the request invalid: {info}"),
        Some(1) => format!("The wallet could not produce the proof (signature): {info}"),
        Some(2) => "You declined to sign in the wallet.".into(),
        _ => e
            .as_string()
            .or_else(|| Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()))
            .unwrap_or_else(|| "the wallet failed".into()),
    }
}

/// Calls an EIP-12 method, its errors described for signing and reading (see [`describe`]).
pub async fn call(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, String> {
    call_js(target, method, args)
        .await
        .map_err(|e| e.unwrap_or_else(|e| describe(&e)))
}

/// `submit_tx`: its error codes are the transaction-sending ones (1 refused by the node, 2
/// failed to send).
pub async fn submit(target: &JsValue, signed: &JsValue) -> Result<JsValue, String> {
    call_js(target, "submit_tx", &Array::of1(signed)).await.map_err(|e| {
        e.unwrap_or_else(|e| {
            let code = Reflect::get(&e, &"code".into())
                .ok()
                .and_then(|c| c.as_f64())
                .map(|c| c as i64);
            let info = Reflect::get(&e, &"info".into())
                .ok()
                .and_then(|i| i.as_string())
                .unwrap_or_default();
            match code {
                Some(1) => format!("the wallet's node refused the transaction: {info}"),
                Some(2) => format!("the wallet failed to send the transaction: {info}"),
                _ => describe(&e),
            }
        })
    })
}

/// The call's result; an error is either already in words (the method is missing or did not
/// return a promise) or the wallet's own error value.
async fn call_js(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, Result<String, JsValue>> {
    let f: Function = Reflect::get(target, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(Ok(format!("the wallet has no {method}()")))?;
    let p: Promise = f
        .apply(target, args)
        .map_err(Err)?
        .dyn_into()
        .map_err(|_| Ok(format!("{method}() did not return a promise")))?;
    JsFuture::from(p).await.map_err(Err)
}

/// The connected wallet's API object (`window.ergo`), connecting first (Nautilus preferred).
pub async fn connect() -> Result<JsValue, String> {
    let w: JsValue = web_sys::window().ok_or("no window")?.into();
    let connector = Reflect::get(&w, &"ergoConnector".into())
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null());
    let connector = connector.ok_or("No EIP-12 wallet found in this browser (install Nautilus, then reload).")?;
    let names: Vec<String> = js_sys::Object::keys(connector.unchecked_ref::<js_sys::Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    let name = names
        .iter()
        .find(|n| *n == "nautilus")
        .or(names.first())
        .ok_or("No EIP-12 wallet is registered.")?;
    let wallet = Reflect::get(&connector, &name.into()).map_err(|e| describe(&e))?;
    let granted = call(&wallet, "connect", &Array::new()).await?;
    if granted.as_bool() == Some(false) {
        return Err("The connection was declined in the wallet.".into());
    }
    let ergo = Reflect::get(&w, &"ergo".into())
        .ok()
        .filter(|e| !e.is_undefined())
        .ok_or("The wallet connected but gave no API (window.ergo).")?;
    Ok(ergo)
}

/// Connects and returns the wallet's used addresses (or its change address if none is used).
pub async fn connect_and_list() -> Result<Vec<String>, String> {
    let ergo = connect().await?;
    let used = call(&ergo, "get_used_addresses", &Array::new()).await?;
    let mut list: Vec<String> = Array::from(&used).iter().filter_map(|a| a.as_string()).collect();
    if list.is_empty() {
        if let Ok(change) = call(&ergo, "get_change_address", &Array::new()).await {
            list.extend(change.as_string());
        }
    }
    Ok(list)
}
