//! The page's state, one `Copy` struct of signals every component is given; and the two flows
//! the whole page starts: loading the pools (then a shared view), and checking the miner.

use super::settings::{saved_cross, saved_explorer, saved_node, saved_second, saved_source, SourceSetting};
use crate::cache::AnswerCache;
use crate::check::{self, CheckError, Progress};
use crate::model::{self, Pool, Row};
use crate::net::{FetchError, Fetcher};
use crate::pay::Prepared;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sharestate::ergo::parse_address_or_tree;
use sharestate::{Key, Network};
use std::rc::Rc;

/// What went wrong, for the alert.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub message: String,
    pub retryable: bool,
}

impl Failure {
    /// A failure that trying again does not mend.
    pub fn plain(message: String) -> Failure {
        Failure {
            message,
            retryable: false,
        }
    }
}

impl From<&CheckError> for Failure {
    fn from(e: &CheckError) -> Failure {
        let message = match e.fetch() {
            Some(FetchError::Unreachable { .. }) => {
                format!("The node is unreachable: {e}. Check the node URL in the settings, then retry.")
            }
            Some(FetchError::Timeout { .. }) => format!("The node is not answering: {e}."),
            _ => e.to_string(),
        };
        Failure {
            message,
            retryable: e.fetch().is_some_and(FetchError::retryable),
        }
    }
}

/// Where "pay out now" stands, in words; `bad` when it failed.
#[derive(Clone, Debug, PartialEq)]
pub struct PayStatus {
    pub message: String,
    pub bad: bool,
}

impl PayStatus {
    /// A step of the payout, for the signal.
    pub fn info(message: String) -> Option<PayStatus> {
        Some(PayStatus { message, bad: false })
    }

    /// Why the payout stopped, for the signal.
    pub fn failed(message: String) -> Option<PayStatus> {
        Some(PayStatus { message, bad: true })
    }
}

/// The proof-of-work rules this page applies: the address's `network=…` on a page served from
/// this machine (the devnet's), mainnet's anywhere else — a pool's website cannot link a miner
/// to rules under which anyone can mine.
pub fn rules() -> &'static sharestate::trust::Network {
    let local = matches!(
        window().location().hostname().unwrap_or_default().as_str(),
        "localhost" | "127.0.0.1" | "[::1]"
    );
    match local {
        true => model::parse_network(&window().location().search().unwrap_or_default()),
        false => &sharestate::trust::MAINNET,
    }
}

/// Validates an address as the miner types it: `Ok(None)` while empty.
pub fn validate(address: &str) -> Result<Option<Key>, String> {
    if address.trim().is_empty() {
        return Ok(None);
    }
    parse_address_or_tree(address, Network::Mainnet)
        .map(|a| Some(a.miner_key().0))
        .map_err(|e| format!("Invalid address: {e}"))
}

/// Everything the page shows and the components change.
#[derive(Clone, Copy)]
pub struct AppState {
    pub pools: RwSignal<Vec<Pool>>,
    /// The pool chosen (its name).
    pub pool_name: RwSignal<String>,
    /// The chain data source's URL and kind (settings).
    pub node: RwSignal<String>,
    pub source: RwSignal<sharestate::source::SourceKind>,
    /// The second source for transactions: its URLs (empty: none) and kind (settings).
    pub second: RwSignal<String>,
    pub second_kind: RwSignal<sharestate::source::SourceKind>,
    /// The source every verified row is cross-checked with: its URLs (empty: none) and kind.
    pub cross: RwSignal<String>,
    pub cross_kind: RwSignal<sharestate::source::SourceKind>,
    /// The explorer link base the miner set, empty for the pool's or the public one (settings).
    pub explorer_setting: RwSignal<String>,
    /// The miner's address as typed, and what it is.
    pub address: RwSignal<String>,
    pub address_check: Memo<Result<Option<Key>, String>>,
    /// The connected wallet's addresses.
    pub wallet_addresses: RwSignal<Vec<String>>,
    /// The check: its rows so far, where it stands, whether it runs, why it stopped.
    pub rows: RwSignal<Vec<Row>>,
    pub progress: RwSignal<Option<Progress>>,
    pub running: RwSignal<bool>,
    pub failure: RwSignal<Option<Failure>>,
    /// What the wallet, the settings or the pool discovery say.
    pub notice: RwSignal<Option<String>>,
    /// "Pay out now": the payout prepared, awaiting the miner's confirmation; where it stands.
    pub prepared: RwSignal<Option<Prepared>>,
    pub pay_status: RwSignal<Option<PayStatus>>,
    /// The proof-of-work rules the check applies (from the page's address: mainnet's unless
    /// it says `network=devnet` or `testnet`).
    pub network: StoredValue<&'static sharestate::trust::Network>,
    /// Which check is the latest (the results of older ones are dropped), and its requests.
    generation: StoredValue<u64>,
    current: StoredValue<Option<Rc<Fetcher>>, LocalStorage>,
}

impl AppState {
    /// The state of a fresh page: the node and explorer from the saved settings.
    pub fn new() -> AppState {
        let address = RwSignal::new(String::new());
        AppState {
            pools: RwSignal::new(vec![]),
            pool_name: RwSignal::new(String::new()),
            node: RwSignal::new(saved_node()),
            source: RwSignal::new(saved_source()),
            second: RwSignal::new(saved_second().0),
            second_kind: RwSignal::new(saved_second().1),
            cross: RwSignal::new(saved_cross().0),
            cross_kind: RwSignal::new(saved_cross().1),
            explorer_setting: RwSignal::new(saved_explorer()),
            address,
            address_check: Memo::new(move |_| validate(&address.get())),
            wallet_addresses: RwSignal::new(vec![]),
            rows: RwSignal::new(vec![]),
            progress: RwSignal::new(None),
            running: RwSignal::new(false),
            failure: RwSignal::new(None),
            notice: RwSignal::new(None),
            prepared: RwSignal::new(None),
            pay_status: RwSignal::new(None),
            network: StoredValue::new(rules()),
            generation: StoredValue::new(0),
            current: StoredValue::new_local(None),
        }
    }

    /// Where chain data comes from, as set now.
    pub fn source_setting(&self) -> SourceSetting {
        SourceSetting {
            kind: self.source.get_untracked(),
            urls: self.node.get_untracked(),
            second_kind: self.second_kind.get_untracked(),
            second_urls: self.second.get_untracked(),
            cross_kind: self.cross_kind.get_untracked(),
            cross_urls: self.cross.get_untracked(),
        }
    }

    /// The pool chosen, if the list has it.
    pub fn current_pool(&self) -> Option<Pool> {
        let name = self.pool_name.get_untracked();
        self.pools
            .with_untracked(|ps| ps.iter().find(|p| p.name == name).cloned())
    }

    /// The miner's key, if the address is valid.
    pub fn key(&self) -> Option<Key> {
        self.address_check.get_untracked().ok().flatten()
    }

    /// Where transaction ids link to: the miner's setting, else the pool's, else the public
    /// explorer — only an http(s) URL or a path on this site (never `javascript:` and the like).
    pub fn explorer(&self) -> Signal<String> {
        let (chosen, pools, name) = (self.explorer_setting, self.pools, self.pool_name);
        Signal::derive(move || {
            let chosen = chosen.get();
            if let Some(link) = model::link_base(&chosen) {
                return link;
            }
            let name = name.get();
            pools
                .with(|ps| {
                    ps.iter()
                        .find(|p| p.name == name)
                        .and_then(|p| p.explorer.as_deref().and_then(model::link_base))
                })
                .unwrap_or_else(|| model::EXPLORER.into())
        })
    }

    /// Loads the pools, then restores a shared view (`?pool=…&address=…`).
    pub fn load(self) {
        spawn_local(async move {
            let body = match Fetcher::new().get("pools.json").await {
                Ok(body) => body,
                Err(e) => {
                    let message = format!("Could not load the list of pools: {e}");
                    return self.failure.set(Some(Failure::plain(message)));
                }
            };
            let pools = match model::parse_pools(&body) {
                Ok(pools) => pools,
                Err(e) => return self.failure.set(Some(Failure::plain(e))),
            };
            let (q_pool, q_address) = model::parse_query(&window().location().search().unwrap_or_default());
            let chosen = q_pool
                .filter(|q| pools.iter().any(|p| &p.name == q))
                .or_else(|| pools.first().map(|p| p.name.clone()));
            self.pools.set(pools);
            self.pool_name.set(chosen.unwrap_or_default());
            if let Some(a) = q_address {
                self.address.set(a);
                self.check();
            }
        });
    }

    /// Cancels the check under way, if any; the requests of a new one, which is now the latest.
    fn new_query(&self) -> (Rc<Fetcher>, u64) {
        if let Some(f) = self.current.get_value() {
            f.cancel();
        }
        let fetch = Rc::new(Fetcher::new());
        self.current.set_value(Some(fetch.clone()));
        self.generation.update_value(|g| *g += 1);
        (fetch, self.generation.get_value())
    }

    /// A Design 2 check of `pool` for the second module: the address and the sources as set,
    /// in the order of `persistent::view::Request::FIELDS`.
    fn balance_request(&self, pool: &str) -> Vec<String> {
        let s = self.source_setting();
        vec![
            pool.to_string(),
            self.address.get_untracked().trim().to_string(),
            s.kind.name().to_string(),
            s.urls,
            s.second_kind.name().to_string(),
            s.second_urls,
            s.cross_kind.name().to_string(),
            s.cross_urls,
        ]
    }

    /// Checks the miner in every epoch of the pool chosen, replacing any check under way; the
    /// address bar becomes the view's shareable URL.
    pub fn check(self) {
        let Some(key) = self.key() else { return };
        let Some(pool) = self.current_pool() else {
            self.failure.set(Some(Failure::plain("Choose a pool first.".into())));
            return;
        };
        let (fetch, mine) = self.new_query();
        let live = move || self.generation.get_value() == mine;
        let q = model::query(
            &pool.name,
            self.address.get_untracked().trim(),
            self.network.get_value(),
        );
        let _ = window()
            .history()
            .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&q)));
        self.rows.set(vec![]);
        self.failure.set(None);
        if pool.design == model::Design::Persistent {
            // the second module checks it; this one's check is cancelled above
            self.progress.set(None);
            super::balance::show(self, self.balance_request(&pool.name));
            return;
        }
        super::balance::stop();
        self.running.set(true);
        self.progress.set(Some(Progress {
            step: "starting".into(),
            epochs: pool.epochs.len(),
            ..Progress::default()
        }));
        let setting = self.source_setting();
        spawn_local(async move {
            // what earlier checks of this pool through these sources kept (checked again on use)
            let cache = AnswerCache::load(&format!("{}|{}", pool.name, setting.describe())).await;
            let node = setting.chain(&fetch).with_cache(&cache);
            let (pending, shown) = (std::cell::RefCell::new(Vec::new()), std::cell::Cell::new(0.0));
            let result = check::check(
                &node,
                &pool,
                key,
                self.network.get_value(),
                |p| {
                    if live() {
                        self.progress.set(Some(p));
                    }
                },
                |r| {
                    // rows shown at most every 100 ms: a long history's rows, replayed from
                    // the cache, come faster than a table and a chart redrawn for each
                    if live() {
                        pending.borrow_mut().push(r);
                        let now = js_sys::Date::now();
                        if now - shown.get() > 100.0 {
                            shown.set(now);
                            let batch = std::mem::take(&mut *pending.borrow_mut());
                            self.rows.update(|rs| rs.extend(batch));
                        }
                    }
                },
            )
            .await;
            let batch = std::mem::take(&mut *pending.borrow_mut());
            if live() && !batch.is_empty() {
                self.rows.update(|rs| rs.extend(batch));
            }
            cache.save().await;
            if live() && cache.hits() > 0 {
                self.notice.set(Some(format!(
                    "{} answers came from this browser's cache of what cannot change (spent boxes, transactions, proofs about a box), each checked again; Settings can clear it.",
                    cache.hits()
                )));
            }
            if live() {
                self.running.set(false);
                match result {
                    Err(e) if e.fetch() != Some(&FetchError::Cancelled) => self.failure.set(Some(Failure::from(&e))),
                    _ => {}
                }
            }
        });
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}
