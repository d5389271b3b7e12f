//! "Pay out now": the next payout of an epoch, built in the browser, checked against every
//! clause of the share-state contract locally, shown to the miner, then signed by their EIP-12
//! wallet (which pays the fee) and submitted by the wallet, or by the node the payout was built
//! from if the wallet cannot. Nothing that fails the local check is signed, and nothing but the
//! transaction checked is submitted.

use crate::check::join;
use crate::model::{Pool, Row};
use crate::net::Fetcher;
use crate::wallet;
use js_sys::{Array, JSON};
use sharestate::ergo::json::UnsignedTransaction;
use sharestate::ergo::json::{decode_box, decode_transaction};
use sharestate::ergo::ErgoBox;
use sharestate::pool::service::verify_snapshot_answer;
use sharestate::posted;
use sharestate::posted::epoch::{self, Funding};
use sharestate::{hex, Address, Key, Network};

/// The miner fee this app pays: 0.0011 ERG.
pub const FEE: u64 = 1_100_000;

/// A payout ready to sign.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub epoch: usize,
    /// The node it was built from, which also takes it if the wallet cannot submit.
    pub node: String,
    pub tx: UnsignedTransaction,
    /// Who gets what: (address, nanoErg), in output order.
    pub payments: Vec<(String, i64)>,
    pub total: i64,
    pub fee: u64,
    /// Whether the connected miner is in the batch.
    pub includes_you: bool,
    /// What the local contract check found: the clauses, all holding.
    pub clauses: usize,
}

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Builds the next payout of `row`'s epoch, with the miner `key` in the batch when possible.
pub async fn prepare(node: &str, pool: &Pool, row: &Row, key: Key, fetch: &Fetcher) -> Result<Prepared, String> {
    let ergo = wallet::connect().await?;
    let tip_digest = row.tip_digest.ok_or("the epoch's tip has no digest")?;
    let tip_json = fetch
        .get(&join(node, &format!("/blockchain/box/byId/{}", row.tip.to_hex())))
        .await
        .map_err(text)?;
    let tip = decode_box(&tip_json).map_err(text)?;
    if tip.spent_transaction_id.is_some() {
        return Err("the epoch moved on since the check: check again, then pay out".into());
    }
    // the reward box: OUTPUTS(1) of the transaction that made the tip
    let tx_json = fetch
        .get(&join(
            node,
            &format!("/blockchain/transaction/byId/{}", tip.ergo_box.transaction_id.to_hex()),
        ))
        .await
        .map_err(text)?;
    let reward = decode_transaction(&tx_json)
        .map_err(text)?
        .outputs
        .get(1)
        .ok_or("the tip's transaction has no reward box")?
        .clone();
    // the pool's state, checked against the tip's digest
    let proof_base = join(node, pool.proof_service.as_deref().unwrap_or("/pool"));
    let snap = fetch
        .get(&join(&proof_base, &format!("/snapshot/{}", row.tip.to_hex())))
        .await
        .map_err(text)?;
    let mut state = verify_snapshot_answer(&snap, &tip_digest).map_err(|e| format!("the pool's snapshot: {e}"))?;
    let initial = row.reward.ok_or("the epoch's reward is unknown")?;
    let height = current_height(node, fetch).await?;
    let plan = posted::plan(&state, initial, row.max_score, 150, height).map_err(text)?;
    let batch_keys = plan
        .batches
        .iter()
        .find(|b| b.contains(&key))
        .or(plan.batches.first())
        .ok_or("everyone payable in this epoch is paid")?
        .clone();
    let batch = posted::prove_payout(&mut state, &batch_keys, initial, row.max_score, false).map_err(text)?;

    // the fee from the wallet: its boxes until they cover the fee and a change box
    let utxos = wallet::call(&ergo, "get_utxos", &Array::new()).await?;
    let mut inputs: Vec<ErgoBox> = Vec::new();
    let mut sum = 0u64;
    for u in Array::from(&utxos).iter() {
        let json = JSON::stringify(&u).ok().and_then(|s| s.as_string()).unwrap_or_default();
        let b = decode_box(&json).map_err(|e| format!("a wallet box: {e}"))?.ergo_box;
        if !b.tokens.is_empty() {
            continue; // keep tokens out of a pool's transaction
        }
        sum += b.value;
        inputs.push(b);
        if sum >= FEE + 1_000_000 {
            break;
        }
    }
    if sum < FEE + 1_000_000 {
        return Err(format!(
            "the wallet holds {} ERG in plain boxes; the fee and a change box need 0.0021 ERG",
            crate::model::erg(sum as i64)
        ));
    }
    let change = wallet::call(&ergo, "get_change_address", &Array::new())
        .await?
        .as_string()
        .ok_or("the wallet gave no change address")?;
    let change_tree = Address::parse(&change)
        .map_err(|e| format!("the wallet's change address: {e}"))?
        .proposition_bytes();
    let funding = Funding {
        inputs,
        change_tree,
        fee: FEE,
    };
    // evaluated against the contract before anyone is asked to sign
    let (tx, report) = epoch::checked_payout(
        &tip.ergo_box,
        &reward.ergo_box,
        &batch,
        |k| state.script(k).map(<[u8]>::to_vec),
        &funding,
        height,
    )
    .map_err(|e| format!("the payout cannot be made: {e}"))?;
    let payments = batch
        .payments
        .iter()
        .map(|p| {
            let addr = state
                .script(&p.key)
                .and_then(|s| Address::from_ergo_tree(s, Network::Mainnet).ok())
                .map_or_else(|| hex::encode(&p.key), |a| a.encode());
            (addr, p.amount)
        })
        .collect();
    let clauses = report.clauses().len();
    Ok(Prepared {
        epoch: row.epoch,
        node: node.to_string(),
        total: batch.payments.iter().map(|p| p.amount).sum(),
        payments,
        fee: FEE,
        includes_you: batch_keys.contains(&key),
        clauses,
        tx,
    })
}

async fn current_height(node: &str, fetch: &Fetcher) -> Result<u32, String> {
    let info = fetch.get(&join(node, "/info")).await.map_err(text)?;
    let v: serde_json::Value = serde_json::from_str(&info).map_err(text)?;
    v["fullHeight"]
        .as_u64()
        .map(|h| h as u32)
        .ok_or_else(|| "the node's /info has no fullHeight".into())
}

/// Asks the wallet to sign; checks that what it signed is the transaction checked (same id,
/// recomputed from the signed transaction's content); then submits it through the wallet
/// (`submit_tx`) or, if the wallet cannot, the node (`POST /transactions`). Returns the id.
pub async fn sign_and_submit(prepared: &Prepared) -> Result<String, String> {
    let ergo = wallet::connect().await?;
    let tx = JSON::parse(&prepared.tx.to_eip12().to_string())
        .map_err(|_| "the transaction does not convert to JSON".to_string())?;
    let signed = wallet::call(&ergo, "sign_tx", &Array::of1(&tx)).await?;
    let signed_json = JSON::stringify(&signed)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or("the wallet's signed transaction is not JSON: not submitted")?;
    let expected = expected_id(prepared);
    signed_is_checked(&signed_json, &expected)?;
    let via_wallet = match wallet::submit(&ergo, &signed).await {
        Ok(id) => return submitted_id(id.as_string(), &expected, "the wallet"),
        Err(e) => e,
    };
    let answer = Fetcher::new()
        .post(&join(&prepared.node, "/transactions"), &signed_json)
        .await
        .map_err(|e| format!("The wallet could not submit the transaction ({via_wallet}), nor could the node: {e}"))?;
    submitted_id(serde_json::from_str::<String>(&answer).ok(), &expected, "the node")
}

/// Whether the wallet's signed transaction (JSON) is the one checked, by its recomputed id.
pub fn signed_is_checked(signed_json: &str, expected: &str) -> Result<(), String> {
    let signed = decode_transaction(signed_json)
        .map_err(|e| format!("the wallet's signed transaction does not decode ({e}): not submitted"))?;
    if !signed.id_verified {
        return Err(
            "the wallet's signed transaction lacks its inputs' context extensions, so its id cannot be recomputed: not submitted"
                .into(),
        );
    }
    if signed.id.to_hex() != expected {
        return Err(format!(
            "the wallet signed another transaction ({}) than the one checked ({expected}): not submitted",
            signed.id.to_hex()
        ));
    }
    Ok(())
}

fn submitted_id(id: Option<String>, expected: &str, by: &str) -> Result<String, String> {
    match id {
        Some(id) if id == expected => Ok(id),
        Some(id) => Err(format!("{by} answered with transaction id {id}, not {expected}")),
        None => Err(format!("{by} accepted the transaction but gave no id")),
    }
}

/// The expected id of the prepared transaction (signatures are not part of it).
pub fn expected_id(prepared: &Prepared) -> String {
    prepared.tx.id().to_hex()
}

#[cfg(test)]
mod tests {
    use super::signed_is_checked;
    use sharestate::ergo::json::{transaction_json, Flavor};
    use sharestate::ergo::Id;
    use sharestate::ergo::{Candidate, Input, Transaction};

    fn tx(value: u64) -> Transaction {
        Transaction {
            inputs: vec![Input {
                box_id: Id([7; 32]),
                extension: vec![(0, vec![0x04, 0x02])],
            }],
            data_inputs: vec![],
            outputs: vec![Candidate {
                value,
                ergo_tree: vec![0x00, 0x08, 0xcd, 0x02, 0x01],
                creation_height: 1_600_000,
                tokens: vec![],
                registers: vec![],
            }],
        }
    }

    fn signed_json(t: &Transaction, flavor: Flavor) -> String {
        transaction_json(t, &[], &[vec![0xab; 56]], flavor, None, None).to_string()
    }

    #[test]
    fn only_the_transaction_checked_is_submitted() {
        let checked = tx(1_000_000);
        let id = checked.id().to_hex();
        assert_eq!(signed_is_checked(&signed_json(&checked, Flavor::Node), &id), Ok(()));
        // the same outputs but another value: another id, refused
        let other = signed_json(&tx(999_000), Flavor::Node);
        let e = signed_is_checked(&other, &id).unwrap_err();
        assert!(
            e.contains("signed another transaction") && e.contains("not submitted"),
            "{e}"
        );
        // without the inputs' extensions the id cannot be recomputed: refused, whatever it claims
        let e = signed_is_checked(&signed_json(&checked, Flavor::Explorer), &id).unwrap_err();
        assert!(e.contains("cannot be recomputed"), "{e}");
        // not a transaction at all
        assert!(signed_is_checked("{}", &id).unwrap_err().contains("does not decode"));
    }
}
