//! The settings: where chain data comes from — an Ergo node or the explorer's GraphQL service,
//! from presets or any URL — and the explorer link (saved in localStorage), and adding a pool
//! found on the chain.

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

/// Sources a miner can pick: a name, the kind, the URL (empty: this page's own origin).
pub const PRESETS: [(&str, SourceKind, &str); 3] = [
    ("This page's own node (the devnet)", SourceKind::Node, ""),
    (
        "Mainnet: the explorer's GraphQL (gql.ergoplatform.com)",
        SourceKind::Graphql,
        "https://gql.ergoplatform.com/",
    ),
    (
        "Mainnet: your own node with extraIndex (localhost:9053)",
        SourceKind::Node,
        "http://127.0.0.1:9053",
    ),
];
const EXPLORER_KEY: &str = "sharestate.explorer";

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
    storage()
        .and_then(|s| s.get_item(SOURCE_KEY).ok().flatten())
        .and_then(|k| SourceKind::from_name(&k))
        .unwrap_or_default()
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
            let _ = s.set_item(EXPLORER_KEY, &explorer_setting.get_untracked());
        }
        let (kind, url) = (source.get_untracked(), node.get_untracked());
        let saved = format!("Settings saved: {} {url}", describe(kind));
        notice.set(Some(format!("{saved} — asking it what it serves…")));
        // what the source says of itself, shown (its answers are checked regardless)
        spawn_local(async move {
            let fetch = Fetcher::new();
            let found = match Chain::new(&url, kind, &fetch).info().await {
                Ok(c) if c.extensions == Some(false) || c.indexed == Some(false) => format!(
                    "{}. Payouts cannot be replayed from it: choose an indexed node 5.0.27 or later, or the explorer's GraphQL",
                    c.describe()
                ),
                Ok(c) => c.describe(),
                Err(e) => format!("it did not say what it serves: {e}"),
            };
            notice.set(Some(format!("{saved} — {found}")));
        });
    };
    let add_pool_input = RwSignal::new(String::new());
    let add_pool = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = add_pool_input.get_untracked();
        let node_url = node.get_untracked();
        let kind = source.get_untracked();
        notice.set(Some("Looking for the pool's share-state boxes…".into()));
        spawn_local(async move {
            let fetch = Fetcher::new();
            match check::discover(&Chain::new(&node_url, kind, &fetch), &input).await {
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
                    if let Some((_, kind, url)) = PRESETS.iter().find(|(name, ..)| *name == chosen) {
                        source.set(*kind);
                        node.set(if url.is_empty() { window().location().origin().unwrap_or_default() } else { url.to_string() });
                    }
                }>
                    <option value="" selected=true>"Choose a preset…"</option>
                    {PRESETS.iter().map(|(name, ..)| view! { <option value=*name>{*name}</option> }).collect_view()}
                </select>
                <label for="source-kind">"Kind of source"</label>
                <select id="source-kind" on:change=move |ev| {
                    if let Some(k) = SourceKind::from_name(&event_target_value(&ev)) {
                        source.set(k);
                    }
                }>
                    <option value="node" selected=move || source.get() == SourceKind::Node>"Ergo node with extraIndex (5.0.27 or later)"</option>
                    <option value="graphql" selected=move || source.get() == SourceKind::Graphql>"Explorer GraphQL (ergo-graphql)"</option>
                </select>
                <label for="node">"Source URL"</label>
                <input id="node" type="url" prop:value=move || node.get() on:input=move |ev| node.set(event_target_value(&ev))/>
                <label for="explorer">"Explorer link for transactions (the id is appended; empty: the pool's or explorer.ergoplatform.com)"</label>
                <input id="explorer" type="url" prop:value=move || explorer_setting.get() on:input=move |ev| explorer_setting.set(event_target_value(&ev))/>
                <button type="submit">"Save"</button>
            </form>
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
    }
}
