//! "Pay out now": the next payout of an epoch, built in the browser, checked against every
//! clause of the share-state contract locally, shown to the miner, then signed by their EIP-12
//! wallet (which pays the fee) and submitted by the wallet, or by the node the payout was built
//! from if the wallet cannot. Nothing that fails the local check is signed, and nothing but the
//! transaction checked is submitted.

use crate::chain::{Chain, ChainError, ProofServiceError};
use crate::model::{erg, Pool, Row};
use crate::net::{FetchError, Fetcher};
use crate::wallet::{self, WalletError};
use js_sys::{Array, JSON};
use sharestate::ergo::json::{decode_box, decode_transaction, JsonError, UnsignedTransaction};
use sharestate::ergo::{ChainBox, ErgoBox, Id};
use sharestate::pool::service::ServiceError;
use sharestate::posted::{self, EpochError, Funding, NextPayout, PostedError};
use sharestate::{hex, Address, AddressError, Key, Network};
use wasm_bindgen::JsValue;

/// The miner fee this app pays: 0.0011 ERG.
pub const FEE: u64 = 1_100_000;

/// What the wallet's plain boxes must hold: the fee and a change box.
pub const NEEDED: u64 = FEE + 1_000_000;

/// Miners per payout transaction.
const BATCH: usize = 150;

/// A payout ready to sign.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub epoch: usize,
    /// The source it was built from (a node also takes it if the wallet cannot submit).
    pub node: String,
    pub source: sharestate::source::SourceKind,
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

/// Why a payout was not prepared, signed or submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayError {
    Wallet(WalletError),
    Chain(ChainError),
    NoTipDigest,
    /// The tip was spent since the check.
    Moved,
    NoRewardBox,
    UnknownReward,
    /// The tip or its reward box holds other parameters (maxScore, initialValue) than the epoch
    /// showed when it was checked: payments would differ from the figures shown.
    Parameters(PostedError),
    ParametersChanged {
        checked: (i32, i64),
        now: (i32, i64),
    },
    Snapshot(ServiceError),
    Plan(PostedError),
    AllPaid,
    WalletBox(JsonError),
    /// The wallet's plain boxes hold this much, less than [`NEEDED`].
    TooLittle(u64),
    NoChangeAddress,
    ChangeAddress(AddressError),
    /// The payout cannot be made (the contract would refuse it, a miner cannot be paid…).
    Payout(EpochError),
    NotJson,
    SignedNotJson,
    SignedUndecodable(JsonError),
    /// The signed transaction's id cannot be recomputed.
    SignedUnverifiable,
    SignedOther {
        signed: String,
        checked: String,
    },
    /// Neither the wallet nor the node took the signed transaction.
    /// (Boxed: the two errors together would make every `PayError` large.)
    NotSubmitted(Box<(WalletError, FetchError)>),
    WrongId {
        by: &'static str,
        id: String,
        expected: String,
    },
    NoId {
        by: &'static str,
    },
}

impl std::fmt::Display for PayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PayError::Wallet(e) => write!(f, "{e}"),
            PayError::Chain(e) => write!(f, "{e}"),
            PayError::NoTipDigest => f.write_str("the epoch's tip has no digest"),
            PayError::Moved => f.write_str("the epoch moved on since the check: check again, then pay out"),
            PayError::NoRewardBox => f.write_str("the tip's transaction has no reward box"),
            PayError::UnknownReward => f.write_str("the epoch's reward is unknown"),
            PayError::Parameters(e) => write!(f, "the epoch's boxes: {e}"),
            PayError::ParametersChanged { checked, now } => write!(
                f,
                "the epoch's boxes now say maxScore {} and reward {} ERG, the check showed {} and {} ERG: no payout is offered",
                now.0,
                erg(now.1),
                checked.0,
                erg(checked.1)
            ),
            PayError::Snapshot(e) => write!(f, "the pool's snapshot: {e}"),
            PayError::Plan(e) => write!(f, "{e}"),
            PayError::AllPaid => f.write_str("everyone payable in this epoch is paid"),
            PayError::WalletBox(e) => write!(f, "a wallet box: {e}"),
            PayError::TooLittle(held) => write!(
                f,
                "the wallet holds {} ERG in plain boxes; the fee and a change box need 0.0021 ERG",
                erg(*held as i64)
            ),
            PayError::NoChangeAddress => f.write_str("the wallet gave no change address"),
            PayError::ChangeAddress(e) => write!(f, "the wallet's change address: {e}"),
            PayError::Payout(e) => write!(f, "the payout cannot be made: {e}"),
            PayError::NotJson => f.write_str("the transaction does not convert to JSON"),
            PayError::SignedNotJson => f.write_str("the wallet's signed transaction is not JSON: not submitted"),
            PayError::SignedUndecodable(e) => {
                write!(f, "the wallet's signed transaction does not decode ({e}): not submitted")
            }
            PayError::SignedUnverifiable => f.write_str(
                "the wallet's signed transaction lacks its inputs' context extensions, so its id cannot be recomputed: not submitted",
            ),
            PayError::SignedOther { signed, checked } => write!(
                f,
                "the wallet signed another transaction ({signed}) than the one checked ({checked}): not submitted"
            ),
            PayError::NotSubmitted(both) => write!(
                f,
                "The wallet could not submit the transaction ({}), nor could the node: {}",
                both.0, both.1
            ),
            PayError::WrongId { by, id, expected } => write!(f, "{by} answered with transaction id {id}, not {expected}"),
            PayError::NoId { by } => write!(f, "{by} accepted the transaction but gave no id"),
        }
    }
}

impl From<WalletError> for PayError {
    fn from(e: WalletError) -> Self {
        PayError::Wallet(e)
    }
}

impl From<ChainError> for PayError {
    fn from(e: ChainError) -> Self {
        PayError::Chain(e)
    }
}

impl From<FetchError> for PayError {
    fn from(e: FetchError) -> Self {
        PayError::Chain(ChainError::Fetch(e))
    }
}

/// Builds the next payout of `row`'s epoch, with the miner `key` in the batch when possible.
pub async fn prepare(node: &Chain<'_>, pool: &Pool, row: &Row, key: Key) -> Result<Prepared, PayError> {
    let ergo = wallet::connect().await?;
    let tip_digest = row.tip_digest.ok_or(PayError::NoTipDigest)?;
    let tip_id = row.tip.ok_or(PayError::NoTipDigest)?;
    let (tip, reward) = tip_and_reward(node, tip_id).await?;
    // the pool's state, checked against the tip's digest
    let mut state = node
        .proof_service(pool.proof_service.as_deref())
        .snapshot(tip_id, &tip_digest)
        .await
        .map_err(|e| match e {
            ProofServiceError::Fetch(e) => PayError::from(e),
            ProofServiceError::Invalid(e) => PayError::Snapshot(e),
        })?;
    let initial = row.reward.ok_or(PayError::UnknownReward)?;
    // the payments are computed from the boxes' own parameters: they must be the ones shown
    let now = posted::parameters(&tip.ergo_box, &reward.ergo_box).map_err(PayError::Parameters)?;
    if now != (row.max_score, initial) {
        return Err(PayError::ParametersChanged {
            checked: (row.max_score, initial),
            now,
        });
    }
    let height = node.height().await?;
    let plan = posted::plan(&state, initial, row.max_score, BATCH, height).map_err(PayError::Plan)?;
    let batch_keys = plan
        .batches
        .iter()
        .find(|b| b.contains(&key))
        .or(plan.batches.first())
        .ok_or(PayError::AllPaid)?
        .clone();
    let funding = funding(&ergo).await?;
    // proved, built and evaluated against the contract before anyone is asked to sign
    let NextPayout {
        transaction,
        batch,
        report,
    } = posted::next_payout(
        &mut state,
        &tip.ergo_box,
        &reward.ergo_box,
        &batch_keys,
        &funding,
        height,
    )
    .map_err(PayError::Payout)?;
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
    Ok(Prepared {
        epoch: row.epoch,
        node: node.base().to_string(),
        source: node.kind(),
        total: batch
            .payments
            .iter()
            .try_fold(0i64, |z, p| sharestate::pool::amount::add(z, p.amount))
            .map_err(|e| PayError::Payout(EpochError::Arithmetic(e)))?,
        payments,
        fee: FEE,
        includes_you: batch_keys.contains(&key),
        clauses: report.clauses().len(),
        tx: transaction,
    })
}

/// The epoch's unspent tip and the reward box beside it: OUTPUTS(1) of the transaction that
/// made the tip.
async fn tip_and_reward(node: &Chain<'_>, tip: Id) -> Result<(ChainBox, ChainBox), PayError> {
    let tip = node.box_by_id(tip).await?;
    if tip.spent_transaction_id.is_some() {
        return Err(PayError::Moved);
    }
    let made = node.transaction_by_id(tip.ergo_box.transaction_id).await?;
    // its content, and so its OUTPUTS(1), is bound to the tip's id only if its id recomputes
    if !made.id_verified || made.outputs.first().map(|o| o.id) != Some(tip.id) {
        return Err(PayError::NoRewardBox);
    }
    let reward = made.outputs.get(1).ok_or(PayError::NoRewardBox)?.clone();
    Ok((tip, reward))
}

/// The fee from the wallet: its plain boxes until they cover the fee and a change box, the
/// change to its change address.
async fn funding(ergo: &JsValue) -> Result<Funding, PayError> {
    let utxos = wallet::call(ergo, "get_utxos", &Array::new()).await?;
    let mut inputs: Vec<ErgoBox> = Vec::new();
    let mut sum = 0u64;
    for u in Array::from(&utxos).iter() {
        let json = json_text(&u).unwrap_or_default();
        let b = decode_box(&json).map_err(PayError::WalletBox)?.ergo_box;
        if !b.tokens.is_empty() {
            continue; // keep tokens out of a pool's transaction
        }
        // a hostile wallet's values cannot wrap the sum: it stops at the first that suffices
        sum = sum.saturating_add(b.value);
        inputs.push(b);
        if sum >= NEEDED {
            break;
        }
    }
    if sum < NEEDED {
        return Err(PayError::TooLittle(sum));
    }
    let change = wallet::call(ergo, "get_change_address", &Array::new())
        .await?
        .as_string()
        .ok_or(PayError::NoChangeAddress)?;
    let change_tree = Address::parse(&change)
        .map_err(PayError::ChangeAddress)?
        .proposition_bytes();
    Ok(Funding {
        inputs,
        change_tree,
        fee: FEE,
    })
}

/// A wallet's value as JSON text.
fn json_text(v: &JsValue) -> Option<String> {
    JSON::stringify(v).ok().and_then(|s| s.as_string())
}

/// Asks the wallet to sign; checks that what it signed is the transaction checked (same id,
/// recomputed from the signed transaction's content); then submits it through the wallet
/// (`submit_tx`) or, if the wallet cannot, the node (`POST /transactions`). Returns the id.
pub async fn sign_and_submit(prepared: &Prepared) -> Result<String, PayError> {
    let ergo = wallet::connect().await?;
    let tx = JSON::parse(&prepared.tx.to_eip12().to_string()).map_err(|_| PayError::NotJson)?;
    let signed = wallet::call(&ergo, "sign_tx", &Array::of1(&tx)).await?;
    let signed_json = json_text(&signed).ok_or(PayError::SignedNotJson)?;
    let expected = expected_id(prepared);
    signed_is_checked(&signed_json, &expected)?;
    let via_wallet = match wallet::submit(&ergo, &signed).await {
        Ok(id) => return submitted_id(id.as_string(), &expected, "the wallet"),
        Err(e) => e,
    };
    let fetch = Fetcher::new();
    let id = Chain::new(&prepared.node, prepared.source, &fetch)
        .submit(&signed_json)
        .await
        .map_err(|node| PayError::NotSubmitted(Box::new((via_wallet, node))))?;
    submitted_id(id, &expected, "the node")
}

/// Whether the wallet's signed transaction (JSON) is the one checked, by its recomputed id.
pub fn signed_is_checked(signed_json: &str, expected: &str) -> Result<(), PayError> {
    let signed = decode_transaction(signed_json).map_err(PayError::SignedUndecodable)?;
    if !signed.id_verified {
        return Err(PayError::SignedUnverifiable);
    }
    if signed.id.to_hex() != expected {
        return Err(PayError::SignedOther {
            signed: signed.id.to_hex(),
            checked: expected.to_string(),
        });
    }
    Ok(())
}

fn submitted_id(id: Option<String>, expected: &str, by: &'static str) -> Result<String, PayError> {
    match id {
        Some(id) if id == expected => Ok(id),
        Some(id) => Err(PayError::WrongId {
            by,
            id,
            expected: expected.to_string(),
        }),
        None => Err(PayError::NoId { by }),
    }
}

/// The expected id of the prepared transaction (signatures are not part of it).
pub fn expected_id(prepared: &Prepared) -> String {
    prepared.tx.id().to_hex()
}

#[cfg(test)]
mod tests {
    use super::{signed_is_checked, PayError};
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
        let e = signed_is_checked(&other, &id).unwrap_err().to_string();
        assert!(
            e.contains("signed another transaction") && e.contains("not submitted"),
            "{e}"
        );
        // without the inputs' extensions the id cannot be recomputed: refused, whatever it claims
        let e = signed_is_checked(&signed_json(&checked, Flavor::Explorer), &id).unwrap_err();
        assert!(e.to_string().contains("cannot be recomputed"), "{e}");
        // not a transaction at all
        let e = signed_is_checked("{}", &id).unwrap_err();
        assert!(matches!(e, PayError::SignedUndecodable(_)), "{e}");
        assert!(e.to_string().contains("does not decode"));
    }

    #[test]
    fn a_wallet_too_poor_is_told_what_is_needed() {
        assert_eq!(
            PayError::TooLittle(1_500_000).to_string(),
            "the wallet holds 0.001500000 ERG in plain boxes; the fee and a change box need 0.0021 ERG"
        );
    }
}
