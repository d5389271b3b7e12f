//! **This browser's cache of chain and proof-service answers** (IndexedDB), so that a second
//! check of a pool asks only for what is new since the last one.
//!
//! What is kept is only what cannot change: a transaction (by id), a box once it is spent (by
//! id: its content and the transaction that spent it are then fixed), and a proof service's
//! answers about a box (a snapshot or lookup proof is of that box's digest). A box not yet spent
//! is always asked again. Nothing in the cache is trusted: every answer taken from it is checked
//! again exactly as a fresh one (ids recomputed, proofs replayed against on-chain digests), so a
//! cache that was tampered with gives errors, never a false ✓. (What a cached answer rests on is
//! what it rested on when fetched: until the trust issue lands, the source's word that the
//! transaction is on the chain.)
//!
//! Entries are scoped by pool and source (`scope`), loaded in one read when a check starts and
//! written in one transaction when it ends. Settings has a button that clears them all.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// The largest answer kept (a snapshot of a very large epoch is fetched each time instead).
pub const MAX_ENTRY_BYTES: usize = 2 * 1024 * 1024;

/// The answers of one scope: those loaded, and those new in this check.
#[derive(Default)]
pub struct AnswerCache {
    scope: String,
    known: RefCell<HashMap<String, String>>,
    fresh: RefCell<Vec<(String, String)>>,
    hits: Cell<usize>,
}

impl AnswerCache {
    /// An empty cache that keeps nothing beyond this check (no IndexedDB, or a test).
    pub fn in_memory() -> AnswerCache {
        AnswerCache::default()
    }

    /// The cached answers of `scope`, loaded from IndexedDB (none if it cannot be read).
    pub async fn load(scope: &str) -> AnswerCache {
        let known = idb::load(scope).await.unwrap_or_default();
        AnswerCache {
            scope: scope.to_string(),
            known: RefCell::new(known),
            ..AnswerCache::default()
        }
    }

    /// The answer kept for `key`, if any (then counted as a hit).
    pub fn get(&self, key: &str) -> Option<String> {
        let found = self.known.borrow().get(key).cloned();
        if found.is_some() {
            self.hits.set(self.hits.get() + 1);
        }
        found
    }

    /// Whether an answer is kept for `key` (not counted as a hit: nothing is taken).
    pub fn contains(&self, key: &str) -> bool {
        self.known.borrow().contains_key(key)
    }

    /// Keeps `text` as the answer for `key` (only call it for what cannot change).
    pub fn put(&self, key: &str, text: &str) {
        if text.len() > MAX_ENTRY_BYTES || self.known.borrow().contains_key(key) {
            return;
        }
        self.known.borrow_mut().insert(key.to_string(), text.to_string());
        self.fresh.borrow_mut().push((key.to_string(), text.to_string()));
    }

    /// How many answers came from the cache in this check.
    pub fn hits(&self) -> usize {
        self.hits.get()
    }

    /// Writes this check's new answers to IndexedDB (nothing for an in-memory cache).
    pub async fn save(&self) {
        let fresh = std::mem::take(&mut *self.fresh.borrow_mut());
        if self.scope.is_empty() || fresh.is_empty() {
            return;
        }
        let _ = idb::save(&self.scope, &fresh).await;
    }
}

/// Clears every cached answer of every pool.
pub async fn clear_all() -> Result<(), String> {
    idb::clear().await
}

#[cfg(target_arch = "wasm32")]
mod idb {
    const DB: &str = "sharestate";
    const STORE: &str = "answers";
    use std::collections::HashMap;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{IdbDatabase, IdbKeyRange, IdbRequest, IdbTransactionMode};

    fn err(e: JsValue) -> String {
        e.as_string()
            .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
            .unwrap_or_else(|| "IndexedDB error".into())
    }

    /// The request's result, once it succeeds.
    async fn done(req: &IdbRequest) -> Result<JsValue, String> {
        let promise = js_sys::Promise::new(&mut |resolve: js_sys::Function, reject: js_sys::Function| {
            let r = req.clone();
            let ok = Closure::once_into_js(move |_: web_sys::Event| {
                let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
            });
            let fail = Closure::once_into_js(move |_: web_sys::Event| {
                let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("IndexedDB request failed"));
            });
            req.set_onsuccess(Some(ok.unchecked_ref()));
            req.set_onerror(Some(fail.unchecked_ref()));
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.map_err(err)
    }

    async fn open() -> Result<IdbDatabase, String> {
        let factory = web_sys::window()
            .ok_or("no window")?
            .indexed_db()
            .map_err(err)?
            .ok_or("this browser has no IndexedDB")?;
        let req = factory.open_with_u32(DB, 1).map_err(err)?;
        let upgrade = Closure::once_into_js(move |e: web_sys::Event| {
            let db = e
                .target()
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|d| d.dyn_into::<IdbDatabase>().ok());
            if let Some(db) = db {
                let _ = db.create_object_store(STORE);
            }
        });
        req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
        done(&req).await?.dyn_into::<IdbDatabase>().map_err(err)
    }

    /// The keys of `scope`: `scope` + '\u{1}' + key.
    fn range(scope: &str) -> Result<IdbKeyRange, String> {
        IdbKeyRange::bound(
            &JsValue::from_str(&format!("{scope}\u{1}")),
            &JsValue::from_str(&format!("{scope}\u{2}")),
        )
        .map_err(err)
    }

    pub async fn load(scope: &str) -> Result<HashMap<String, String>, String> {
        let db = open().await?;
        let tx = db.transaction_with_str(STORE).map_err(err)?;
        let store = tx.object_store(STORE).map_err(err)?;
        let keys = done(&store.get_all_keys_with_key(&range(scope)?.into()).map_err(err)?).await?;
        let values = done(&store.get_all_with_key(&range(scope)?.into()).map_err(err)?).await?;
        let (keys, values) = (js_sys::Array::from(&keys), js_sys::Array::from(&values));
        let skip = scope.len() + 1;
        Ok(keys
            .iter()
            .zip(values.iter())
            .filter_map(|(k, v)| Some((k.as_string()?.get(skip..)?.to_string(), v.as_string()?)))
            .collect())
    }

    pub async fn save(scope: &str, entries: &[(String, String)]) -> Result<(), String> {
        let db = open().await?;
        let tx = db
            .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
            .map_err(err)?;
        let store = tx.object_store(STORE).map_err(err)?;
        let mut last = None;
        for (k, v) in entries {
            last = Some(
                store
                    .put_with_key(&JsValue::from_str(v), &JsValue::from_str(&format!("{scope}\u{1}{k}")))
                    .map_err(err)?,
            );
        }
        if let Some(r) = last {
            done(&r).await?;
        }
        Ok(())
    }

    pub async fn clear() -> Result<(), String> {
        let db = open().await?;
        let tx = db
            .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
            .map_err(err)?;
        done(&tx.object_store(STORE).map_err(err)?.clear().map_err(err)?).await?;
        Ok(())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod idb {
    use std::collections::HashMap;
    pub async fn load(_: &str) -> Result<HashMap<String, String>, String> {
        Err("no IndexedDB outside a browser".into())
    }
    pub async fn save(_: &str, _: &[(String, String)]) -> Result<(), String> {
        Err("no IndexedDB outside a browser".into())
    }
    pub async fn clear() -> Result<(), String> {
        Err("no IndexedDB outside a browser".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_once_counted_when_found_and_bounded() {
        let c = AnswerCache::in_memory();
        assert_eq!(c.get("box:1"), None);
        c.put("box:1", "a");
        c.put("box:1", "b");
        assert_eq!(c.get("box:1").as_deref(), Some("a"));
        assert_eq!(c.hits(), 1);
        c.put("snapshot:2", &" ".repeat(MAX_ENTRY_BYTES + 1));
        assert_eq!(c.get("snapshot:2"), None);
        assert_eq!(c.fresh.borrow().len(), 1);
    }
}
