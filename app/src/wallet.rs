//! EIP-12 dApp connector (Nautilus and others): connect, then read the wallet's addresses.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An EIP-12 error value: its code and info, or else its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: Option<i64>,
    pub info: String,
    pub message: Option<String>,
}

impl ApiError {
    /// Reads a wallet's error value.
    pub fn from_js(e: &JsValue) -> ApiError {
        let field = |name: &str| Reflect::get(e, &name.into()).ok();
        ApiError {
            code: field("code").and_then(|c| c.as_f64()).map(|c| c as i64),
            info: field("info").and_then(|i| i.as_string()).unwrap_or_default(),
            message: e.as_string().or_else(|| field("message").and_then(|m| m.as_string())),
        }
    }
}

/// Why the wallet did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalletError {
    NoWindow,
    /// No `window.ergoConnector`.
    NotInstalled,
    /// A connector without wallets.
    NoneRegistered,
    /// The miner said no to connecting.
    ConnectionDeclined,
    /// Connected, but no `window.ergo`.
    NoApi,
    /// The wallet lacks an EIP-12 method.
    NoMethod(String),
    /// A method gave something else than a promise.
    NotAPromise(String),
    /// A method failed (codes of the signing and reading methods).
    Failed(ApiError),
    /// `submit_tx` failed (its codes are the transaction-sending ones).
    Submit(ApiError),
}

impl std::fmt::Display for WalletError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WalletError::NoWindow => f.write_str("no window"),
            WalletError::NotInstalled => {
                f.write_str("No EIP-12 wallet found in this browser (install Nautilus, then reload).")
            }
            WalletError::NoneRegistered => f.write_str("No EIP-12 wallet is registered."),
            WalletError::ConnectionDeclined => f.write_str("The connection was declined in the wallet."),
            WalletError::NoApi => f.write_str("The wallet connected but gave no API (window.ergo)."),
            WalletError::NoMethod(m) => write!(f, "the wallet has no {m}()"),
            WalletError::NotAPromise(m) => write!(f, "{m}() did not return a promise"),
            WalletError::Submit(ApiError {
                code: Some(1), info, ..
            }) => {
                write!(f, "the wallet's node refused the transaction: {info}")
            }
            WalletError::Submit(ApiError {
                code: Some(2), info, ..
            }) => {
                write!(f, "the wallet failed to send the transaction: {info}")
            }
            WalletError::Failed(e) | WalletError::Submit(e) => match e.code {
                Some(-3) => {
                    f.write_str("The wallet refused the request (declined by you, or not allowed for this site).")
                }
                Some(-2) => write!(f, "The wallet had an internal error: {}", e.info),
                Some(-1) => write!(f, "The wallet found the request invalid: {}", e.info),
                Some(1) => write!(f, "The wallet could not produce the proof (signature): {}", e.info),
                Some(2) => f.write_str("You declined to sign in the wallet."),
                _ => f.write_str(e.message.as_deref().unwrap_or("the wallet failed")),
            },
        }
    }
}

/// Calls an EIP-12 method.
pub async fn call(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, WalletError> {
    call_js(target, method, args)
        .await
        .map_err(|e| e.unwrap_or_else(|e| WalletError::Failed(ApiError::from_js(&e))))
}

/// `submit_tx`, its errors read as the transaction-sending ones.
pub async fn submit(target: &JsValue, signed: &JsValue) -> Result<JsValue, WalletError> {
    call_js(target, "submit_tx", &Array::of1(signed))
        .await
        .map_err(|e| e.unwrap_or_else(|e| WalletError::Submit(ApiError::from_js(&e))))
}

/// The call's result; an error is either ours (the method is missing or did not return a
/// promise) or the wallet's own error value.
async fn call_js(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, Result<WalletError, JsValue>> {
    let f: Function = Reflect::get(target, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| Ok(WalletError::NoMethod(method.into())))?;
    let p: Promise = f
        .apply(target, args)
        .map_err(Err)?
        .dyn_into()
        .map_err(|_| Ok(WalletError::NotAPromise(method.into())))?;
    JsFuture::from(p).await.map_err(Err)
}

/// The connected wallet's API object (`window.ergo`), connecting first (Nautilus preferred).
pub async fn connect() -> Result<JsValue, WalletError> {
    let w: JsValue = web_sys::window().ok_or(WalletError::NoWindow)?.into();
    let connector = Reflect::get(&w, &"ergoConnector".into())
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
        .ok_or(WalletError::NotInstalled)?;
    let names: Vec<String> = js_sys::Object::keys(connector.unchecked_ref::<js_sys::Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    let name = names
        .iter()
        .find(|n| *n == "nautilus")
        .or(names.first())
        .ok_or(WalletError::NoneRegistered)?;
    let wallet = Reflect::get(&connector, &name.into()).map_err(|e| WalletError::Failed(ApiError::from_js(&e)))?;
    let granted = call(&wallet, "connect", &Array::new()).await?;
    if granted.as_bool() == Some(false) {
        return Err(WalletError::ConnectionDeclined);
    }
    Reflect::get(&w, &"ergo".into())
        .ok()
        .filter(|e| !e.is_undefined())
        .ok_or(WalletError::NoApi)
}

/// Connects and returns the wallet's used addresses (or its change address if none is used).
pub async fn connect_and_list() -> Result<Vec<String>, WalletError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: Option<i64>, info: &str) -> ApiError {
        ApiError {
            code,
            info: info.into(),
            message: None,
        }
    }

    #[test]
    fn eip12_codes_read_in_plain_words() {
        assert_eq!(
            WalletError::Failed(api(Some(2), "User rejected")).to_string(),
            "You declined to sign in the wallet."
        );
        assert_eq!(
            WalletError::Submit(api(Some(2), "offline")).to_string(),
            "the wallet failed to send the transaction: offline"
        );
        assert_eq!(
            WalletError::Submit(api(Some(-3), "")).to_string(),
            WalletError::Failed(api(Some(-3), "")).to_string()
        );
        assert_eq!(WalletError::Failed(api(None, "")).to_string(), "the wallet failed");
    }
}
