//! A miner's check of a Design 2 pool: the pool's state boxes walked from its first, through
//! the source, every command replayed and its clauses evaluated in the browser
//! ([`BalanceWalker`]); the commands that touched the miner tied to blocks whose proof of work
//! is checked ([`anchor_transactions`]), and the pool's current state box proven unspent where
//! the source can ([`prove_unspent`]).

use super::model::{report, BalanceReport};
use crate::chain::{Chain, ChainError};
use crate::check::{anchor_transactions, current, prove_unspent, CheckError, Trust};
use crate::model::Pool;
use sharestate::ergo::{ChainBox, Id};
use sharestate::persistent::BalanceWalker;
use sharestate::pool::walk::Need;
use sharestate::trust::Network;
use sharestate::{hex, Key};

/// Walks `pool` and reports what `key` is owed and every command that touched it.
/// `on_progress` hears where the check stands, in words.
pub async fn check(
    node: &Chain<'_>,
    pool: &Pool,
    key: Key,
    network: &'static Network,
    on_progress: impl Fn(String),
) -> Result<BalanceReport, CheckError> {
    let start = hex::decode_array::<32>(pool.start_box.as_deref().unwrap_or_default())
        .map(Id)
        .map_err(CheckError::BalanceStartBox)?;
    let tip = node.height().await.ok();
    let trust = Trust { network, tip };
    let mut walker = BalanceWalker::new(start);
    // the boxes a transaction already showed, spent (a tip is asked again: it may be unspent)
    let mut shown: Vec<ChainBox> = vec![];
    let mut steps = 0;
    while let Some(need) = walker.next() {
        match need {
            Need::Box(id) => {
                let b = match shown.iter().position(|b| b.id == id) {
                    Some(at) => shown.swap_remove(at),
                    None => node.box_by_id(id).await?,
                };
                walker.feed_chain_box(b).map_err(ChainError::from)?;
            }
            Need::Transaction(id) => {
                let t = node.transaction_by_id(id).await?;
                // (the last two transactions': a command's, then the one that made its box)
                if shown.len() > 64 {
                    shown.drain(..32);
                }
                shown.extend(t.outputs.iter().filter(|o| o.spent_transaction_id.is_some()).cloned());
                shown.extend(t.inputs.iter().filter_map(|i| i.spent_box.clone()));
                walker.feed_chain_transaction(t).map_err(ChainError::from)?;
            }
        }
        let done = walker.walk().map_or(0, |w| w.steps.len());
        if done != steps && done % 10 == 0 {
            on_progress(format!("{done} commands replayed"));
        }
        steps = done;
    }
    let walk = walker.into_walk().ok_or(ChainError::EmptyWalk)?;
    let touched: Vec<(Id, Option<u32>)> = walk
        .history(&key)
        .iter()
        .map(|h| (walk.steps[h.step].tx_id, walk.steps[h.step].height))
        .collect();
    on_progress(format!(
        "{} commands replayed; checking the proof of work of the blocks of the {} that touched you",
        walk.steps.len(),
        touched.len()
    ));
    let proves_state = node.kind().unspent_request(&[]).is_some();
    let anchors = anchor_transactions(node, &trust, touched, proves_state).await;
    let tip_box = [walk.tip.id];
    let current = prove_unspent(node, &trust, &tip_box)
        .await
        .map(|proven| current(&proven, &tip_box, &walk.tip.id));
    let genesis = first_state(node, &walk.start).await;
    Ok(report(&walk, &key, &anchors, current, pool.nft.as_deref(), genesis))
}

/// Whether `start` is the pool's first state box: made by the transaction that minted the NFT
/// it holds first (a token's id is its minting transaction's first input's). Without it, a list
/// of pools naming a later box hides the commands before it — and "nothing owed" with them.
async fn first_state(node: &Chain<'_>, start: &ChainBox) -> Result<(), String> {
    let nft = start.ergo_box.tokens.first().ok_or("it holds no token, so no NFT")?;
    let tx = node
        .transaction_by_id(start.ergo_box.transaction_id)
        .await
        .map_err(|e| format!("the transaction that made it: {e}"))?;
    if !tx.id_verified {
        return Err("the source gives the transaction that made it without what its id is computed from".into());
    }
    match tx.inputs.first() {
        Some(i) if i.box_id.0 == nft.id => Ok(()),
        _ => Err(format!(
            "the transaction that made it did not mint the NFT it holds ({})",
            hex::encode(&nft.id)
        )),
    }
}
