//! The settings: the node URL and the explorer link (saved in localStorage), and adding a pool
//! found on the chain.

use super::AppState;
use crate::chain::Node;
use crate::check;
use crate::net::Fetcher;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

const NODE_KEY: &str = "sharestate.node";
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
            let _ = s.set_item(EXPLORER_KEY, &explorer_setting.get_untracked());
        }
        notice.set(Some(format!("Settings saved: node {}", node.get_untracked())));
    };
    let add_pool_input = RwSignal::new(String::new());
    let add_pool = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = add_pool_input.get_untracked();
        let node_url = node.get_untracked();
        notice.set(Some("Looking for the pool's share-state boxes…".into()));
        spawn_local(async move {
            let fetch = Fetcher::new();
            match check::discover(&Node::new(&node_url, &fetch), &input).await {
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
                <label for="node">"Ergo node URL (with extraIndex)"</label>
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
