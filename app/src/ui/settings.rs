//! The settings: where chain data comes from — an Ergo node, the explorer's GraphQL service or
//! the explorer API, at one URL or several in fallback order, with an optional second source
//! for transactions; from presets or any URL — and the explorer link (saved in localStorage),
//! and adding a pool found on the chain.

use super::AppState;
use crate::chain::Chain;
use crate::check;
use crate::net::Fetcher;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sharestate::source::SourceKind;

const NODE_KEY: &str = "sharestate.node";
const SOURCE_KEY: &str = "sharestate.source";
const SECOND_KEY: &str = "sharestate.second";
const SECOND_KIND_KEY: &str = "sharestate.secondKind";
const EXPLORER_KEY: &str = "sharestate.explorer";
const CROSS_KEY: &str = "sharestate.cross";
const CROSS_KIND_KEY: &str = "sharestate.crossKind";

/// A preset: its name, the source's kind and URLs (in fallback order; empty: this page's own
/// origin), and the second source for transactions, if any.
pub struct Preset {
    pub name: &'static str,
    pub kind: SourceKind,
    pub urls: &'static str,
    pub second: Option<(SourceKind, &'static str)>,
}

/// The public GraphQL services of the explorer on mainnet, in the order they are tried (the
/// list Nautilus's community services follow).
pub const MAINNET_GRAPHQL: &str =
    "https://gql.ergoplatform.com/ https://explore.sigmaspace.io/api/graphql https://graphql.erg.zelcore.io/";

/// Sources a miner can pick.
pub const PRESETS: [Preset; 6] = [
    Preset {
        name: "Mainnet: the explorer's GraphQL (public services, in fallback order)",
        kind: SourceKind::Graphql,
        urls: MAINNET_GRAPHQL,
        second: None,
    },
    Preset {
        name: "Mainnet: your own node with extraIndex (localhost:9053)",
        kind: SourceKind::Node,
        urls: "http://127.0.0.1:9053",
        second: None,
    },
    Preset {
        name: "Mainnet: the explorer API (api.ergoplatform.com), transactions from GraphQL",
        kind: SourceKind::Explorer,
        urls: "https://api.ergoplatform.com",
        second: Some((SourceKind::Graphql, MAINNET_GRAPHQL)),
    },
    Preset {
        name: "Testnet: the explorer's GraphQL (gql-testnet.ergoplatform.com)",
        kind: SourceKind::Graphql,
        urls: "https://gql-testnet.ergoplatform.com/",
        second: None,
    },
    Preset {
        name: "Devnet: this page's own node",
        kind: SourceKind::Node,
        urls: "",
        second: None,
    },
    Preset {
        name: "Devnet: this page's explorer API, transactions from its GraphQL",
        kind: SourceKind::Explorer,
        urls: "",
        second: Some((SourceKind::Graphql, "/graphql")),
    },
];

/// Where chain data comes from, as set: the source (its kind and URLs, in fallback order) and
/// the second source for transactions (no URL: none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSetting {
    pub kind: SourceKind,
    pub urls: String,
    pub second_kind: SourceKind,
    pub second_urls: String,
    /// A source every verified row is cross-checked with (no URL: none).
    pub cross_kind: SourceKind,
    pub cross_urls: String,
}

impl SourceSetting {
    /// The client over these sources, through `fetch`.
    pub fn chain<'f>(&self, fetch: &'f Fetcher) -> Chain<'f> {
        let second = absolute(&self.second_urls);
        let cross = absolute(&self.cross_urls);
        Chain::new(&self.urls, self.kind, fetch)
            .with_transactions_from(Some((&second, self.second_kind)))
            .with_cross(Some((&cross, self.cross_kind)))
    }

    /// The setting in words: "explorer API https://…, transactions from explorer GraphQL https://…".
    pub fn describe(&self) -> String {
        let mut out = format!("{} {}", describe(self.kind), self.urls.trim());
        if !self.second_urls.trim().is_empty() {
            out += &format!(
                ", transactions from {} {}",
                describe(self.second_kind),
                self.second_urls.trim()
            );
        }
        if !self.cross_urls.trim().is_empty() {
            out += &format!(
                ", cross-checked with {} {}",
                describe(self.cross_kind),
                self.cross_urls.trim()
            );
        }
        out
    }
}

/// URLs made absolute: a path ("/graphql") is on this page's origin.
fn absolute(setting: &str) -> String {
    crate::chain::urls(setting)
        .into_iter()
        .map(|u| {
            if u.starts_with('/') {
                format!("{}{u}", window().location().origin().unwrap_or_default())
            } else {
                u
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The node URL: saved in localStorage, else the page's own origin (the devnet serves both).
pub fn saved_node() -> String {
    storage()
        .and_then(|s| s.get_item(NODE_KEY).ok().flatten())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| window().location().origin().unwrap_or_default())
}

/// The kind of source saved, else a node.
pub fn saved_source() -> SourceKind {
    saved_kind(SOURCE_KEY).unwrap_or_default()
}

fn saved_kind(key: &str) -> Option<SourceKind> {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|k| SourceKind::from_name(&k))
}

/// The second source for transactions saved: its URLs (empty: none) and kind.
pub fn saved_second() -> (String, SourceKind) {
    (
        storage()
            .and_then(|s| s.get_item(SECOND_KEY).ok().flatten())
            .unwrap_or_default(),
        saved_kind(SECOND_KIND_KEY).unwrap_or(SourceKind::Graphql),
    )
}

/// The source to cross-check with, saved: its URLs (empty: none) and kind.
pub fn saved_cross() -> (String, SourceKind) {
    (
        storage()
            .and_then(|s| s.get_item(CROSS_KEY).ok().flatten())
            .unwrap_or_default(),
        saved_kind(CROSS_KIND_KEY).unwrap_or(SourceKind::Graphql),
    )
}

/// The explorer link base the miner chose, if any.
pub fn saved_explorer() -> String {
    storage()
        .and_then(|s| s.get_item(EXPLORER_KEY).ok().flatten())
        .unwrap_or_default()
}

#[component]
pub fn Settings(state: AppState) -> impl IntoView {
    let AppState {
        node,
        source,
        second,
        second_kind,
        cross,
        cross_kind,
        explorer_setting,
        notice,
        pools,
        pool_name,
        ..
    } = state;
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(s) = storage() {
            let _ = s.set_item(NODE_KEY, &node.get_untracked());
            let _ = s.set_item(SOURCE_KEY, source.get_untracked().name());
            let _ = s.set_item(SECOND_KEY, &second.get_untracked());
            let _ = s.set_item(SECOND_KIND_KEY, second_kind.get_untracked().name());
            let _ = s.set_item(CROSS_KEY, &cross.get_untracked());
            let _ = s.set_item(CROSS_KIND_KEY, cross_kind.get_untracked().name());
            let _ = s.set_item(EXPLORER_KEY, &explorer_setting.get_untracked());
        }
        let setting = state.source_setting();
        let saved = format!("Settings saved: {}", setting.describe());
        notice.set(Some(format!("{saved} — asking it what it serves…")));
        // what the sources say of themselves, shown (their answers are checked regardless)
        spawn_local(async move {
            let fetch = Fetcher::new();
            let chain = setting.chain(&fetch);
            let found = match chain.info().await {
                Ok(c) if (c.extensions == Some(false) || c.indexed == Some(false)) && chain.transactions_source().is_none() => format!(
                    "{}. Payouts cannot be replayed from it alone: choose an indexed node 5.0.27 or later or the explorer's GraphQL, or add one as the second source for transactions",
                    c.describe()
                ),
                Ok(c) => c.describe(),
                Err(e) => format!("it did not say what it serves: {e}"),
            };
            let second = match setting.second_urls.trim().is_empty() {
                true => String::new(),
                false => match Chain::new(&absolute(&setting.second_urls), setting.second_kind, &fetch)
                    .info()
                    .await
                {
                    Ok(c) if c.extensions == Some(false) => format!(
                        "; transactions from {}: payouts cannot be replayed from it",
                        c.describe()
                    ),
                    Ok(c) => format!("; transactions from {}", c.describe()),
                    Err(e) => format!("; the second source did not say what it serves: {e}"),
                },
            };
            notice.set(Some(format!("{saved} — {found}{second}")));
        });
    };
    let add_pool_input = RwSignal::new(String::new());
    let add_pool = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = add_pool_input.get_untracked();
        let setting = state.source_setting();
        notice.set(Some("Looking for the pool's share-state boxes…".into()));
        spawn_local(async move {
            let fetch = Fetcher::new();
            match check::discover(&setting.chain(&fetch), &input).await {
                Ok(p) => {
                    notice.set(Some(format!("Added {} with {} epoch(s).", p.name, p.epochs.len())));
                    pool_name.set(p.name.clone());
                    pools.update(|ps| ps.push(p));
                }
                Err(e) => notice.set(Some(format!("Could not add the pool: {e}"))),
            }
        });
    };
    view! {
        <details class="settings">
            <summary>"Settings"</summary>
            <form on:submit=save>
                <label for="preset">"Chain data from"</label>
                <select id="preset" on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(p) = PRESETS.iter().find(|p| p.name == chosen) {
                        source.set(p.kind);
                        node.set(if p.urls.is_empty() { window().location().origin().unwrap_or_default() } else { p.urls.to_string() });
                        let (kind, urls) = p.second.unwrap_or((SourceKind::Graphql, ""));
                        second_kind.set(kind);
                        second.set(urls.to_string());
                    }
                }>
                    <option value="" selected=true>"Choose a preset…"</option>
                    {PRESETS.iter().map(|p| view! { <option value=p.name>{p.name}</option> }).collect_view()}
                </select>
                <label for="source-kind">"Kind of source"</label>
                <select id="source-kind" on:change=move |ev| {
                    if let Some(k) = SourceKind::from_name(&event_target_value(&ev)) {
                        source.set(k);
                    }
                }>
                    <option value="node" selected=move || source.get() == SourceKind::Node>"Ergo node with extraIndex (5.0.27 or later)"</option>
                    <option value="graphql" selected=move || source.get() == SourceKind::Graphql>"Explorer GraphQL (ergo-graphql)"</option>
                    <option value="explorer" selected=move || source.get() == SourceKind::Explorer>"Explorer API v1 (no context extensions: add a second source)"</option>
                </select>
                <label for="node">"Source URL (several, separated by spaces: tried in order when one is down)"</label>
                <input id="node" type="text" prop:value=move || node.get() on:input=move |ev| node.set(event_target_value(&ev))/>
                <label for="second-kind">"Transactions from a second source (needed with the explorer API: its transactions carry no context extensions)"</label>
                <select id="second-kind" on:change=move |ev| {
                    if let Some(k) = SourceKind::from_name(&event_target_value(&ev)) {
                        second_kind.set(k);
                    }
                }>
                    <option value="graphql" selected=move || second_kind.get() == SourceKind::Graphql>"Explorer GraphQL (ergo-graphql)"</option>
                    <option value="node" selected=move || second_kind.get() == SourceKind::Node>"Ergo node with extraIndex (5.0.27 or later)"</option>
                </select>
                <label for="second">"URL of the second source (empty: none)"</label>
                <input id="second" type="text" prop:value=move || second.get() on:input=move |ev| second.set(event_target_value(&ev))/>
                <label for="cross-kind">"Cross-check every verified row with another source (a liar must then be both)"</label>
                <select id="cross-kind" on:change=move |ev| {
                    if let Some(k) = SourceKind::from_name(&event_target_value(&ev)) {
                        cross_kind.set(k);
                    }
                }>
                    <option value="graphql" selected=move || cross_kind.get() == SourceKind::Graphql>"Explorer GraphQL (ergo-graphql)"</option>
                    <option value="node" selected=move || cross_kind.get() == SourceKind::Node>"Ergo node with extraIndex (5.0.27 or later)"</option>
                    <option value="explorer" selected=move || cross_kind.get() == SourceKind::Explorer>"Explorer API v1"</option>
                </select>
                <label for="cross">"URL of the source to cross-check with (empty: none)"</label>
                <input id="cross" type="text" prop:value=move || cross.get() on:input=move |ev| cross.set(event_target_value(&ev))/>
                <label for="explorer">"Explorer link for transactions (the id is appended; empty: the pool's or explorer.ergoplatform.com)"</label>
                <input id="explorer" type="url" prop:value=move || explorer_setting.get() on:input=move |ev| explorer_setting.set(event_target_value(&ev))/>
                <button type="submit">"Save"</button>
            </form>
            <button type="button" on:click=move |_| {
                spawn_local(async move {
                    notice.set(Some(match crate::cache::clear_all().await {
                        Ok(()) => "This browser's cache of chain answers is cleared: the next check asks the sources for everything.".to_string(),
                        Err(e) => format!("The cache could not be cleared: {e}"),
                    }));
                });
            }>"Clear the cache"</button>
            <form on:submit=add_pool>
                <label for="add-pool">"Add a pool by share-state box id, pool token id or state address"</label>
                <input id="add-pool" type="text" prop:value=move || add_pool_input.get() on:input=move |ev| add_pool_input.set(event_target_value(&ev))/>
                <button type="submit">"Add pool"</button>
            </form>
        </details>
    }
}

/// A source kind in words.
pub fn describe(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Node => "node",
        SourceKind::Graphql => "explorer GraphQL",
        SourceKind::Explorer => "explorer API",
    }
}
