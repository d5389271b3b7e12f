//! A miner's check of a Design 2 pool: the pool's state boxes walked from its first, through
//! the source, every command replayed and its clauses evaluated in the browser
//! ([`BalanceWalker`]); the commands that touched the miner tied to blocks whose proof of work
//! is checked ([`anchor_transactions`]), and the pool's current state box proven unspent where
//! the source can ([`prove_unspent`]).

use super::model::{report, tip_maker, BalanceReport, Found};
use crate::chain::{Chain, ChainError};
use crate::check::{anchor_transactions, current, prove_unspent, CheckError, Trust};
use crate::model::Pool;
use crate::net::FetchError;
use sharestate::ergo::{ChainBox, ChainTransaction, Constant, Id};
use sharestate::persistent::BalanceWalker;
use sharestate::persistent::Command;
use sharestate::pool::walk::Need;
use sharestate::trust::Network;
use sharestate::{hex, Digest, Key};
use std::collections::HashMap;

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
    let nft = pool
        .nft
        .as_deref()
        .and_then(|n| hex::decode_array::<32>(n).ok())
        .map(Id);
    on_progress("reading the pool's state boxes".into());
    let mut ahead = Ahead::list(node, nft).await?;
    let mut walker = BalanceWalker::new(start);
    let mut steps = 0;
    while let Some(need) = walker.next() {
        match need {
            Need::Box(id) => {
                let b = match ahead.boxes.remove(&id) {
                    Some(b) => b,
                    None => node.box_by_id(id).await?,
                };
                walker.feed_chain_box(b).map_err(ChainError::from)?;
            }
            Need::Transaction(id) => {
                let t = match ahead.take(node, id).await? {
                    Some(t) => t,
                    None => node.transaction_by_id(id).await?,
                };
                // its spent outputs (a tip is asked again: it may be unspent) and its command box
                for b in t.outputs.iter().filter(|o| o.spent_transaction_id.is_some()) {
                    ahead.boxes.insert(b.id, b.clone());
                }
                if let Some(b) = t.inputs.get(1).and_then(|i| i.spent_box.as_ref()) {
                    ahead.boxes.insert(b.id, b.clone());
                }
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
    // the transactions of the miner's commands, and the one that made the pool's state box
    let mut touched: Vec<(Id, Option<u32>)> = walk
        .history(&key)
        .iter()
        .map(|h| (walk.steps[h.step].tx_id, walk.steps[h.step].height))
        .collect();
    touched.push(tip_maker(&walk));
    on_progress(format!(
        "{} commands replayed; checking the proof of work of the blocks of the {} that touched you and of the last",
        walk.steps.len(),
        touched.len() - 1
    ));
    let proves_state = node.kind().unspent_request(&[]).is_some();
    let anchors = anchor_transactions(node, &trust, touched, proves_state).await;
    let tip_box = [walk.tip.id];
    let current = prove_unspent(node, &trust, &tip_box)
        .await
        .map(|proven| current(&proven, &tip_box, &walk.tip.id));
    let first_state = first_state(node, &walk.start).await;
    // a second source to cross-check with is not asked about Design 2 yet: no ✓ then
    let unasked = node.cross().map(|_| {
        "not cross-checked: the second source set in the settings is not asked about balance pools yet".to_string()
    });
    let found = Found {
        anchors: &anchors,
        current,
        named_nft: pool.nft.as_deref(),
        first_state,
        unasked,
    };
    Ok(report(&walk, &key, found))
}

/// How many of the pool's commands are read ahead at once.
const WINDOW: usize = 120;

/// What the walk will ask for, read ahead many at a time: the pool's spent state boxes, listed
/// by its NFT (in pages, as many as a listing may take), and, a window of [`WINDOW`] commands at a
/// time in the listing's order, the transactions that spent them, their command boxes where
/// those do not show them, and the transactions that made the Update command boxes (a round's
/// credits). The walk takes each from here as if it had asked for it alone, and checks it the
/// same way; what this leaves out (a listing too long, an answer missing) it asks for by id.
/// An unspent box is never taken from the listing: the tip is asked for when the walk gets
/// there. Only a cancelled check is an error.
struct Ahead {
    boxes: HashMap<Id, ChainBox>,
    /// The spending transactions, in the listing's order.
    order: Vec<Id>,
    /// The window read: taken once each; a round's makers, shared by its Updates, kept.
    spenders: HashMap<Id, ChainTransaction>,
    makers: HashMap<Id, ChainTransaction>,
}

fn cancelled(e: &ChainError) -> bool {
    matches!(e, ChainError::Fetch(FetchError::Cancelled))
}

fn is_update(b: &ChainBox) -> bool {
    sharestate::persistent::command_contract(&b.ergo_box.ergo_tree).is_some_and(|c| c.command == Command::Update)
}

impl Ahead {
    /// The pool's spent state boxes, listed by its NFT.
    async fn list(node: &Chain<'_>, nft: Option<Id>) -> Result<Ahead, ChainError> {
        let mut ahead = Ahead {
            boxes: HashMap::new(),
            order: vec![],
            spenders: HashMap::new(),
            makers: HashMap::new(),
        };
        let Some(nft) = nft else { return Ok(ahead) };
        let listed = match node.boxes_by_token_id(nft).await {
            Ok(listed) => listed,
            Err(e) if cancelled(&e) => return Err(e),
            Err(_) => return Ok(ahead),
        };
        for b in listed.into_iter().filter(|b| b.spent_transaction_id.is_some()) {
            ahead.order.extend(b.spent_transaction_id);
            ahead.boxes.insert(b.id, b);
        }
        Ok(ahead)
    }

    /// Transaction `id`, from the window read, reading the window from it first if it is a
    /// listed spender not read yet; none when this does not have it.
    async fn take(&mut self, node: &Chain<'_>, id: Id) -> Result<Option<ChainTransaction>, ChainError> {
        if let Some(t) = self.spenders.remove(&id) {
            return Ok(Some(t));
        }
        if let Some(t) = self.makers.get(&id) {
            return Ok(Some(t.clone()));
        }
        let Some(at) = self.order.iter().position(|x| *x == id) else {
            return Ok(None);
        };
        // (what comes before it in the listing is behind the walk, or not on its way)
        let end = (at + WINDOW).min(self.order.len());
        let window: Vec<Id> = self.order.drain(..end).skip(at).collect();
        self.read(node, &window).await?;
        Ok(self.spenders.remove(&id))
    }

    /// Reads `window`'s spending transactions, their command boxes, the Update boxes' makers.
    async fn read(&mut self, node: &Chain<'_>, window: &[Id]) -> Result<(), ChainError> {
        let mut command_boxes = vec![];
        let mut makers = vec![];
        for t in node.transactions_by_ids(window).await {
            let t = match t {
                Ok(t) => t,
                Err(e) if cancelled(&e) => return Err(e),
                Err(_) => continue,
            };
            match t.inputs.get(1).map(|i| (i.box_id, i.spent_box.as_ref())) {
                Some((_, Some(b))) if is_update(b) => makers.push(b.ergo_box.transaction_id),
                Some((id, None)) => command_boxes.push(id),
                _ => {}
            }
            self.spenders.insert(t.id, t);
        }
        for b in node.boxes_by_ids(&command_boxes).await {
            match b {
                Ok(b) => {
                    if is_update(&b) {
                        makers.push(b.ergo_box.transaction_id);
                    }
                    self.boxes.insert(b.id, b);
                }
                Err(e) if cancelled(&e) => return Err(e),
                Err(_) => {}
            }
        }
        makers.sort();
        makers.dedup();
        makers.retain(|m| !self.makers.contains_key(m));
        for t in node.transactions_by_ids(&makers).await {
            match t {
                Ok(t) => {
                    self.makers.insert(t.id, t);
                }
                Err(e) if cancelled(&e) => return Err(e),
                Err(_) => {}
            }
        }
        Ok(())
    }
}

/// Whether `start` is the pool's first state box: its tree empty, made by the transaction that
/// minted the NFT it holds first (a token's id is its minting transaction's first input's),
/// one unit of it, all in `start`. Without it, a list of pools naming a later box hides the
/// commands before it, and "never in the tree" with them.
async fn first_state(node: &Chain<'_>, start: &ChainBox) -> Result<(), String> {
    match start.ergo_box.register(4) {
        Some(Ok(Constant::AvlTree(t))) if t.digest == Digest::EMPTY => {}
        _ => return Err("its tree is not empty".into()),
    }
    let nft = start.ergo_box.tokens.first().ok_or("it holds no token, so no NFT")?;
    let tx = node
        .transaction_by_id(start.ergo_box.transaction_id)
        .await
        .map_err(|e| format!("the transaction that made it: {e}"))?;
    if !tx.id_verified {
        return Err("the source gives the transaction that made it without what its id is computed from".into());
    }
    if tx.inputs.first().map(|i| i.box_id.0) != Some(nft.id) {
        return Err(format!(
            "the transaction that made it did not mint the NFT it holds ({})",
            hex::encode(&nft.id)
        ));
    }
    let minted: u128 = tx
        .outputs
        .iter()
        .flat_map(|o| &o.ergo_box.tokens)
        .filter(|t| t.id == nft.id)
        .map(|t| u128::from(t.amount))
        .sum();
    match (tx.outputs.iter().any(|o| o.id == start.id), minted, nft.amount) {
        (true, 1, 1) => Ok(()),
        (false, ..) => Err("it is not among the outputs of the transaction that made it".into()),
        (_, minted, _) => Err(format!("its NFT was minted as {minted} units, not one in this box")),
    }
}
