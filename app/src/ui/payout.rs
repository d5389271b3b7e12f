//! "Pay out now": the payout prepared for a row, shown in a dialog for the miner to confirm,
//! then signed and submitted by the wallet; where it stands, in words.

use super::state::PayStatus;
use super::AppState;
use crate::model::{self, Row};
use crate::net::Fetcher;
use crate::pay::{self, Prepared};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Prepares the next payout of `row`'s epoch for the miner to confirm.
pub fn prepare(state: AppState, row: Row) {
    let Some(key) = state.key() else { return };
    let Some(pool) = state.current_pool() else { return };
    let setting = state.source_setting();
    state.prepared.set(None);
    state.pay_status.set(PayStatus::info(format!(
        "Preparing the next payout of epoch {}…",
        row.epoch
    )));
    spawn_local(async move {
        let fetch = Fetcher::new();
        match pay::prepare(&setting.chain(&fetch), &pool, &row, key).await {
            Ok(p) => {
                state.pay_status.set(None);
                state.prepared.set(Some(p));
            }
            Err(e) => state.pay_status.set(PayStatus::failed(e.to_string())),
        }
    });
}

/// The payout's status line and, once prepared, the dialog; `on_submitted` runs once the wallet
/// or the node took the transaction (to check the new state).
#[component]
pub fn PayoutDialog(state: AppState, on_submitted: Callback<()>) -> impl IntoView {
    let AppState {
        prepared, pay_status, ..
    } = state;
    let confirm = move |_| {
        let Some(p) = prepared.get_untracked() else { return };
        prepared.set(None);
        pay_status.set(PayStatus::info("Waiting for the wallet to sign…".into()));
        spawn_local(async move {
            match pay::sign_and_submit(&p).await {
                Ok(id) => {
                    pay_status.set(PayStatus::info(format!(
                        "Submitted: transaction {id}. Checking the new state…"
                    )));
                    on_submitted.run(());
                }
                Err(e) => pay_status.set(PayStatus::failed(e.to_string())),
            }
        });
    };
    let cancel = move |_| {
        prepared.set(None);
        pay_status.set(PayStatus::info("Payout cancelled: nothing was signed.".into()));
    };
    view! {
        {move || pay_status.get().map(|s| view! { <p class="pay-status" class:bad=s.bad role="status">{s.message}</p> })}
        {move || prepared.get().map(|p| view! {
            <section class="dialog" role="dialog" aria-modal="true" aria-labelledby="pay-title">
                <h2 id="pay-title">{format!("Pay out epoch {} now", p.epoch)}</h2>
                <p>{summary(&p)}</p>
                <Payments prepared=p.clone()/>
                <p class="help">{format!("Transaction id once signed: {}", pay::expected_id(&p))}</p>
                <div class="actions">
                    <button type="button" on:click=confirm autofocus>"Sign with wallet and submit"</button>
                    <button type="button" class="secondary" on:click=cancel>"Cancel"</button>
                </div>
            </section>
        })}
    }
}

/// What the payout does, in one sentence.
fn summary(p: &Prepared) -> String {
    format!(
        "This transaction pays {} miners {} ERG from the epoch's reward box{}. Your wallet pays the {} ERG fee. All {} clauses of the share-state contract were checked in your browser, and hold.",
        p.payments.len(),
        model::erg(p.total),
        if p.includes_you { ", you among them" } else { "" },
        model::erg(p.fee as i64),
        p.clauses
    )
}

/// The first payments, and how many more.
#[component]
fn Payments(prepared: Prepared) -> impl IntoView {
    const SHOWN: usize = 8;
    let more = prepared.payments.len().saturating_sub(SHOWN);
    let shown: Vec<(String, i64)> = prepared.payments.into_iter().take(SHOWN).collect();
    view! {
        <ul class="payments">
            {shown.into_iter().map(|(a, v)| view! { <li><code>{a}</code>" ← "{model::erg(v)}" ERG"</li> }).collect_view()}
            {(more > 0).then(|| view! { <li>{format!("… and {more} more")}</li> })}
        </ul>
    }
}
