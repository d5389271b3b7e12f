//! The query: pool, miner address (validated as it is typed) or a connected wallet's addresses,
//! Check; and the view's shareable link.

use super::AppState;
use crate::model;
use crate::wallet;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The query form; `on_check` checks the miner (after Check, a wallet's connection, or another
/// of its addresses chosen).
#[component]
pub fn QueryForm(state: AppState, on_check: Callback<()>) -> impl IntoView {
    let AppState {
        pools,
        pool_name,
        address,
        address_check,
        wallet_addresses,
        notice,
        ..
    } = state;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_check.run(());
    };
    let connect = move |_| {
        notice.set(None);
        spawn_local(async move {
            match wallet::connect_and_list().await {
                Ok(list) if list.is_empty() => notice.set(Some("The wallet has no used addresses yet.".into())),
                Ok(list) => {
                    address.set(list[0].clone());
                    wallet_addresses.set(list);
                    on_check.run(());
                }
                Err(e) => notice.set(Some(e.to_string())),
            }
        });
    };
    let help = move || match address_check.get() {
        Err(e) => e,
        Ok(Some(k)) => format!("Miner key {}", sharestate::hex::encode(&k)),
        Ok(None) => "Mainnet address (P2PK, P2SH or P2S) or ErgoTree hex.".into(),
    };
    view! {
        <form class="query" on:submit=on_submit aria-label="Check a miner">
            <div class="field">
                <label for="pool">"Pool"</label>
                <select id="pool" prop:value=move || pool_name.get() on:change=move |ev| pool_name.set(event_target_value(&ev))>
                    <For each=move || pools.get() key=|p| p.name.clone() let:p>
                        <option value=p.name.clone()>{match p.design {
                            model::Design::Posted => p.name.clone(),
                            model::Design::Persistent => format!("{} (balances owed)", p.name),
                        }}</option>
                    </For>
                </select>
            </div>
            <div class="field grow">
                <label for="address">"Miner address"</label>
                <input
                    id="address"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="9f… or an ErgoTree in hex"
                    prop:value=move || address.get()
                    on:input=move |ev| address.set(event_target_value(&ev))
                    aria-invalid=move || address_check.get().is_err().to_string()
                    aria-describedby="address-help"
                />
                <p id="address-help" class="help" class:error=move || address_check.get().is_err()>{help}</p>
                <Show when=move || { wallet_addresses.get().len() > 1 }>
                    <label for="wallet-addresses">"Wallet addresses"</label>
                    <select id="wallet-addresses" on:change=move |ev| { address.set(event_target_value(&ev)); on_check.run(()); }>
                        <For each=move || wallet_addresses.get() key=|a| a.clone() let:a>
                            <option value=a.clone()>{a.clone()}</option>
                        </For>
                    </select>
                </Show>
            </div>
            <div class="actions">
                <button type="submit" disabled=move || { address_check.get().ok().flatten().is_none() }>"Check"</button>
                <button type="button" class="secondary" on:click=connect>"Connect wallet"</button>
            </div>
        </form>
    }
}

/// The link that restores this view, once the address is valid.
#[component]
pub fn ShareLink(state: AppState) -> impl IntoView {
    let AppState {
        address,
        address_check,
        pool_name,
        network,
        ..
    } = state;
    let share_url = move || {
        let a = address.get();
        (!a.trim().is_empty() && address_check.get().is_ok()).then(|| {
            let origin = window().location().origin().unwrap_or_default();
            let path = window().location().pathname().unwrap_or_default();
            format!(
                "{origin}{path}{}",
                model::query(&pool_name.get(), a.trim(), network.get_value())
            )
        })
    };
    move || {
        share_url().map(|u| {
            view! {
                <p class="share">"Shareable link: " <a href=u.clone()>{u.clone()}</a></p>
            }
        })
    }
}
