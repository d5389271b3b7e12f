//! Walking a pool's chain of share-state boxes: from one box, follow the transaction that spent
//! it to the next share-state box (its OUTPUTS(0)), and so on to the unspent tip. Each payout
//! on the way is replayed and checked clause by clause against the digest of the box it spends,
//! which reveals the old and new value and the payment of every key it touches.
//!
//! The walk does no I/O ("sans-IO"): it says what it needs next ([`Need`]), and the caller
//! fetches it from a node, an explorer or the devnet and feeds the response text back. Every
//! answer is checked — box ids recomputed, transaction ids recomputed where the interface gives
//! the context extensions — so the walk trusts nothing it is told.

use crate::avl::Digest;
use crate::ergo::json::{decode_box, decode_transaction, JsonError};
use crate::ergo::{Candidate, ChainBox, ChainTransaction, Constant, ErgoBox, Id};
use crate::pool::ShareValue;
use crate::posted::contracts::{draft_reward, hardened_reward};
use crate::posted::{
    check_payout, share_state_contract, PayoutReport, PayoutTransaction, PostedError, ShareStateContract,
};
use thiserror::Error;

/// What the walk needs fetched next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A box by id (node `/blockchain/box/byId/{id}`, explorer `/api/v1/boxes/{id}`).
    Box(Id),
    /// A transaction by id (node `/blockchain/transaction/byId/{id}`; the explorer's lacks the
    /// context extensions a replay needs).
    Transaction(Id),
}

/// Why the walk stopped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WalkError {
    #[error(transparent)]
    Decode(#[from] JsonError),
    #[error("asked for {expected}, the answer is {found}")]
    WrongAnswer { expected: String, found: String },
    #[error("box {box_id} is not a share-state box: {detail}")]
    NotShareState { box_id: String, detail: String },
    #[error("transaction {tx} does not spend box {box_id} as its first input")]
    NotAPayout { tx: String, box_id: String },
    #[error("transaction {tx}: the interface gives no context extension for its first input, so its proof cannot be replayed (use a node, not the explorer)")]
    NoExtension { tx: String },
    #[error("transaction {tx}: {source}")]
    Payout {
        tx: String,
        #[source]
        source: PostedError,
    },
    #[error("the walk has nothing to be fed now")]
    Unexpected,
    #[error("the walk has not started: feed the start box")]
    NotStarted,
}

/// One key touched by a payout, as the replayed proof shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    pub key: Vec<u8>,
    /// Score and paid flag before the payout (from the proof against the input digest).
    pub before: Option<ShareValue>,
    /// After (from context variable 0, committed to by the new digest).
    pub after: Option<ShareValue>,
    /// What the transaction's output for this key pays, nanoErg.
    pub paid: Option<i64>,
}

/// One payout transaction of the walk.
#[derive(Debug, Clone)]
pub struct Step {
    pub tx_id: Id,
    /// Whether the transaction id was recomputed from its content (node answers).
    pub tx_id_verified: bool,
    pub height: Option<u32>,
    /// The share-state box it spent.
    pub from: Id,
    /// The digest it started from.
    pub digest_before: Digest,
    /// Every clause of the contract, evaluated.
    pub report: PayoutReport,
    /// The keys it touched.
    pub touched: Vec<Touched>,
}

/// The walk so far: the starting box, each payout, and the current (eventually unspent) tip.
#[derive(Debug, Clone)]
pub struct Walk {
    pub start: ChainBox,
    pub contract: ShareStateContract,
    pub max_score: i32,
    /// The epoch's reward (R4 of its reward box): from the first payout's reward input, or, in
    /// an epoch without payouts, from the reward box its opening created.
    pub reward: Option<i64>,
    pub steps: Vec<Step>,
    /// The latest share-state box reached; the tip once [`Walker::next`] returns `None`.
    pub tip: ChainBox,
}

impl Walk {
    /// The tip's digest: untouched keys are verified against it (with a lookup proof).
    pub fn tip_digest(&self) -> Option<Digest> {
        match self.tip.ergo_box.register(4) {
            Some(Ok(Constant::AvlTree(t))) => Some(t.digest),
            _ => None,
        }
    }

    /// The latest record of `key`: its value after the last payout that touched it, and where.
    pub fn latest(&self, key: &[u8]) -> Option<(&Step, &Touched)> {
        self.steps
            .iter()
            .rev()
            .find_map(|s| s.touched.iter().find(|t| t.key == key).map(|t| (s, t)))
    }
}

enum State {
    /// Waiting for the starting box.
    Start(Id),
    /// Waiting for the transaction that spent the tip.
    Spender(Id),
    /// Waiting for the reward box the spender spent (when the interface did not include it).
    Reward(ChainTransaction),
    /// Waiting for the tip box again, to learn whether and by what it is spent.
    Tip(Id),
    /// Waiting for the transaction that opened the epoch (created the start box), whose
    /// OUTPUTS(1) is the reward box: the epoch's reward when no payout has shown it.
    Opening(Id),
    Done,
}

/// The walk as a state machine: call [`Walker::next`], fetch, feed, repeat.
pub struct Walker {
    state: State,
    walk: Option<Walk>,
}

fn share_state(b: &ChainBox) -> Result<(Digest, i32), WalkError> {
    let not = |detail: String| WalkError::NotShareState {
        box_id: b.id.to_hex(),
        detail,
    };
    let tree = match b.ergo_box.register(4) {
        Some(Ok(Constant::AvlTree(t))) => t,
        _ => return Err(not("R4 is not an AvlTree".into())),
    };
    let max = match b.ergo_box.register(5) {
        Some(Ok(Constant::Int(m))) => m,
        _ => return Err(not("R5 is not an Int".into())),
    };
    Ok((tree.digest, max))
}

/// Whether `b` is a share-state box: R4 an AvlTree, R5 an Int (maxScore).
pub fn is_share_state(b: &ChainBox) -> bool {
    share_state(b).is_ok()
}

/// The first boxes of a pool's epochs among `boxes` (for instance every box holding the pool's
/// token, or every box at its share-state address): the share-state boxes that no share-state
/// box among them was spent to create, oldest first.
pub fn epoch_starts(boxes: &[ChainBox]) -> Vec<Id> {
    let mut states: Vec<&ChainBox> = boxes.iter().filter(|b| is_share_state(b)).collect();
    states.sort_by_key(|b| (b.ergo_box.creation_height, b.inclusion_height));
    let spenders: Vec<Id> = states.iter().filter_map(|b| b.spent_transaction_id).collect();
    states
        .iter()
        .filter(|b| !spenders.contains(&b.ergo_box.transaction_id))
        .map(|b| b.id)
        .collect()
}

impl Walker {
    /// A walk from the share-state box `start`.
    pub fn new(start: Id) -> Walker {
        Walker {
            state: State::Start(start),
            walk: None,
        }
    }

    /// What to fetch next, or `None` when the tip is reached.
    pub fn next(&self) -> Option<Need> {
        match &self.state {
            State::Start(id) | State::Tip(id) => Some(Need::Box(*id)),
            State::Spender(tx) | State::Opening(tx) => Some(Need::Transaction(*tx)),
            State::Reward(tx) => tx.inputs.get(1).map(|i| Need::Box(i.box_id)),
            State::Done => None,
        }
    }

    /// The walk so far.
    pub fn walk(&self) -> Option<&Walk> {
        self.walk.as_ref()
    }

    /// The finished (or partial) walk.
    pub fn into_walk(self) -> Option<Walk> {
        self.walk
    }

    /// Feeds the answer to the last [`Need::Box`].
    pub fn feed_box(&mut self, json: &str) -> Result<(), WalkError> {
        let b = decode_box(json)?;
        match std::mem::replace(&mut self.state, State::Done) {
            State::Start(id) => {
                expect(id, b.id)?;
                let (_, max_score) = share_state(&b)?;
                let contract = share_state_contract(&b.ergo_box.ergo_tree);
                self.walk = Some(Walk {
                    start: b.clone(),
                    contract,
                    max_score,
                    reward: None,
                    steps: vec![],
                    tip: b.clone(),
                });
                self.follow(b);
                Ok(())
            }
            State::Tip(id) => {
                expect(id, b.id)?;
                share_state(&b)?;
                if let Some(w) = &mut self.walk {
                    w.tip = b.clone();
                }
                self.follow(b);
                Ok(())
            }
            State::Reward(tx) => {
                let reward_id = tx.inputs.get(1).map(|i| i.box_id);
                if reward_id != Some(b.id) {
                    return Err(WalkError::WrongAnswer {
                        expected: reward_id.map(|i| i.to_hex()).unwrap_or_default(),
                        found: b.id.to_hex(),
                    });
                }
                self.step(tx, b.ergo_box)
            }
            other => {
                self.state = other;
                Err(WalkError::Unexpected)
            }
        }
    }

    /// Feeds the answer to the last [`Need::Transaction`].
    pub fn feed_transaction(&mut self, json: &str) -> Result<(), WalkError> {
        let tx = decode_transaction(json)?;
        match std::mem::replace(&mut self.state, State::Done) {
            State::Spender(id) => {
                expect(id, tx.id)?;
                match tx.inputs.get(1).and_then(|i| i.spent_box.clone()) {
                    Some(reward) => self.step(tx, reward.ergo_box),
                    None => {
                        self.state = State::Reward(tx);
                        Ok(())
                    }
                }
            }
            State::Opening(id) => {
                expect(id, tx.id)?;
                let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
                walk.reward = opening_reward(walk, &tx);
                Ok(())
            }
            other => {
                self.state = other;
                Err(WalkError::Unexpected)
            }
        }
    }

    /// Goes on from `b`, the latest share-state box: to its spender, or — at the tip of an epoch
    /// no payout has shown the reward of — to the transaction that opened it.
    fn follow(&mut self, b: ChainBox) {
        self.state = match (b.spent_transaction_id, &self.walk) {
            (Some(tx), _) => State::Spender(tx),
            (None, Some(w)) if w.reward.is_none() => State::Opening(w.start.ergo_box.transaction_id),
            (None, _) => State::Done,
        };
    }

    /// Replays the payout `tx` that spent the tip, with its reward input `reward`.
    fn step(&mut self, tx: ChainTransaction, reward: ErgoBox) -> Result<(), WalkError> {
        let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
        let from = walk.tip.clone();
        let txh = tx.id.to_hex();
        if tx.inputs.first().map(|i| i.box_id) != Some(from.id) {
            return Err(WalkError::NotAPayout {
                tx: txh,
                box_id: from.id.to_hex(),
            });
        }
        let extension = tx.inputs[0]
            .extension
            .clone()
            .ok_or(WalkError::NoExtension { tx: txh.clone() })?;
        let outputs: Vec<_> = tx.outputs.iter().map(|o| Candidate::from(&o.ergo_box)).collect();
        let payout =
            PayoutTransaction::from_parts(&from.ergo_box, &reward, &extension, &outputs).map_err(|source| {
                WalkError::Payout {
                    tx: txh.clone(),
                    source,
                }
            })?;
        let report = check_payout(&payout);
        walk.reward.get_or_insert(payout.reward.initial_value);
        let (digest_before, _) = share_state(&from)?;
        let touched = report
            .miners
            .iter()
            .map(|m| Touched {
                key: m.key.clone(),
                before: m.before(),
                after: m.after(),
                paid: m.paid,
            })
            .collect();
        walk.steps.push(Step {
            tx_id: tx.id,
            tx_id_verified: tx.id_verified,
            height: tx.inclusion_height,
            from: from.id,
            digest_before,
            report,
            touched,
        });
        // the next share state is OUTPUTS(0); ask for it to learn whether it is spent
        let next = tx.outputs.first().ok_or(WalkError::NotAPayout {
            tx: txh,
            box_id: from.id.to_hex(),
        })?;
        walk.tip = next.clone();
        self.state = State::Tip(next.id);
        Ok(())
    }
}

/// The reward an epoch opened with, when `tx` — the transaction that created its start box —
/// shows it beyond doubt: its id recomputed from its content (which the start box's id commits
/// to), the start box as OUTPUTS(0), and as OUTPUTS(1) the reward box of the start box's own
/// contract (the hardened one also holding the pool token), whose R4 is the reward. Otherwise
/// the reward stays unknown: an epoch opened another way is not an error, and a source that
/// cannot prove the transaction's content decides nothing.
fn opening_reward(walk: &Walk, tx: &ChainTransaction) -> Option<i64> {
    let start = &walk.start.ergo_box;
    let reward = tx.outputs.get(1)?;
    if !tx.id_verified || tx.outputs.first().map(|o| o.id) != Some(walk.start.id) {
        return None;
    }
    let reward_script = match walk.contract {
        ShareStateContract::Draft => Some(draft_reward()),
        ShareStateContract::Hardened { .. } => hardened_reward(&start.ergo_tree).ok(),
        ShareStateContract::Unknown => None,
    }?;
    let holds_pool_token = match (&walk.contract, start.tokens.first()) {
        (ShareStateContract::Hardened { .. }, Some(t)) => reward.ergo_box.tokens.iter().any(|r| r.id == t.id),
        (ShareStateContract::Hardened { .. }, None) => false,
        _ => true,
    };
    if reward.ergo_box.ergo_tree != reward_script || !holds_pool_token {
        return None;
    }
    reward.ergo_box.register(4)?.ok()?.as_long().ok()
}

fn expect(asked: Id, got: Id) -> Result<(), WalkError> {
    if asked == got {
        Ok(())
    } else {
        Err(WalkError::WrongAnswer {
            expected: asked.to_hex(),
            found: got.to_hex(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avl::{Key, ShareState};
    use crate::encoding::hash::blake2b256;
    use crate::ergo::json::{box_json, transaction_json, Flavor};
    use crate::ergo::{Token, Transaction, UnsignedTransaction};
    use crate::posted::epoch::{self, Contracts, Funding};
    use std::collections::HashMap;

    /// A tiny ledger: every box ever created, who spent it, and every transaction.
    #[derive(Default)]
    struct Ledger {
        boxes: HashMap<Id, (ErgoBox, Option<Id>, u32)>,
        txs: HashMap<Id, (Transaction, Vec<ErgoBox>, u32)>,
    }

    impl Ledger {
        fn apply(&mut self, tx: &UnsignedTransaction, height: u32) {
            let t = tx.transaction();
            let id = t.id();
            for i in &tx.inputs {
                self.boxes
                    .entry(i.spent.id())
                    .or_insert((i.spent.clone(), None, height))
                    .1 = Some(id);
            }
            for b in t.output_boxes() {
                self.boxes.insert(b.id(), (b, None, height));
            }
            self.txs
                .insert(id, (t, tx.inputs.iter().map(|i| i.spent.clone()).collect(), height));
        }
        fn answer(&self, need: Need, flavor: Flavor) -> String {
            match need {
                Need::Box(id) => {
                    let (b, spent, h) = &self.boxes[&id];
                    box_json(b, flavor, *spent, Some(*h)).to_string()
                }
                Need::Transaction(id) => {
                    let (t, spent, h) = &self.txs[&id];
                    let mut v = transaction_json(t, spent, &[], flavor, Some(*h), None);
                    // outputs carry their spent status, as both interfaces report it
                    for (i, b) in t.output_boxes().iter().enumerate() {
                        v["outputs"][i]["spentTransactionId"] =
                            serde_json::json!(self.boxes[&b.id()].1.map(|s| s.to_hex()));
                    }
                    v.to_string()
                }
            }
        }
    }

    fn script(i: u32) -> Vec<u8> {
        [&[0x00, 0x08, 0xcd, 0x02][..], &blake2b256(&i.to_be_bytes())].concat()
    }

    fn epoch_with_payouts(payouts: usize) -> (Ledger, Id, Vec<Key>) {
        let scripts: HashMap<Key, Vec<u8>> = (0..60).map(|i| (blake2b256(&script(i)), script(i))).collect();
        let mut state = ShareState::from_entries(
            scripts
                .keys()
                .map(|k| (*k, ShareValue::unpaid(50_000).to_bytes().to_vec())),
        )
        .unwrap();
        let pool = script(9999);
        let funding = |seed: u8| Funding {
            inputs: vec![ErgoBox {
                value: 100_000_000_000,
                ergo_tree: pool.clone(),
                creation_height: 1,
                tokens: vec![Token { id: [5; 32], amount: 2 }],
                registers: vec![],
                transaction_id: Id([seed; 32]),
                index: 0,
            }],
            change_tree: pool.clone(),
            fee: 1_000_000,
        };
        let mut ledger = Ledger::default();
        let open = epoch::open(
            &Contracts::draft(),
            &mut state,
            3_000_000,
            60,
            10_000_000_000,
            None,
            &funding(1),
            100,
        )
        .unwrap();
        ledger.apply(&open, 100);
        let mut boxes = open.transaction().output_boxes();
        let start = boxes[0].id();
        let keys = state.keys();
        for (n, chunk) in keys.chunks(20).take(payouts).enumerate() {
            let batch = crate::posted::prove_payout(&mut state, chunk, 10_000_000_000, 3_000_000, true).unwrap();
            let tx = epoch::payout(
                &boxes[0],
                &boxes[1],
                &batch,
                |k| scripts.get(k).cloned(),
                &funding(2 + n as u8),
                101 + n as u32,
            )
            .unwrap();
            ledger.apply(&tx, 101 + n as u32);
            boxes = tx.transaction().output_boxes();
        }
        (ledger, start, keys)
    }

    fn run(ledger: &Ledger, start: Id, flavor: Flavor) -> Result<Walk, WalkError> {
        let mut w = Walker::new(start);
        while let Some(need) = w.next() {
            let answer = ledger.answer(need, flavor);
            match need {
                Need::Box(_) => w.feed_box(&answer)?,
                Need::Transaction(_) => w.feed_transaction(&answer)?,
            }
        }
        Ok(w.into_walk().unwrap())
    }

    #[crate::test]
    fn an_epoch_starts_at_the_share_state_box_no_payout_created() {
        let (ledger, start, _) = epoch_with_payouts(2);
        // every box of the ledger, as an interface lists them: three share states, reward
        // boxes, payments, fee and change boxes
        let boxes: Vec<ChainBox> = ledger
            .boxes
            .keys()
            .map(|id| decode_box(&ledger.answer(Need::Box(*id), Flavor::Node)).unwrap())
            .collect();
        assert_eq!(boxes.iter().filter(|b| is_share_state(b)).count(), 3);
        assert_eq!(epoch_starts(&boxes), vec![start]);
        // without the first box, the walk can only begin at the next one
        let later: Vec<ChainBox> = boxes.into_iter().filter(|b| b.id != start).collect();
        assert_eq!(epoch_starts(&later).len(), 1);
        assert_ne!(epoch_starts(&later), vec![start]);
    }

    #[crate::test]
    fn a_node_walk_replays_every_payout_to_the_tip() {
        let (ledger, start, keys) = epoch_with_payouts(2);
        let walk = run(&ledger, start, Flavor::Node).unwrap();
        assert_eq!(walk.contract, ShareStateContract::Draft);
        assert_eq!(walk.steps.len(), 2);
        assert!(walk.steps.iter().all(|s| s.report.accepted && s.tx_id_verified));
        assert!(walk.tip.spent_transaction_id.is_none());
        // a key of batch 2: unpaid before, paid after, 50,000 × 10 ERG / 3,000,000
        let (step, t) = walk.latest(&keys[25]).unwrap();
        assert_eq!(step.height, Some(102));
        assert_eq!(t.before, Some(ShareValue::unpaid(50_000)));
        assert_eq!(
            t.after,
            Some(ShareValue {
                score: 50_000,
                paid: true
            })
        );
        assert_eq!(t.paid, Some(166_666_666));
        // untouched keys: the tip's digest is the state after both batches
        assert!(walk.latest(&keys[45]).is_none());
        assert_eq!(walk.tip_digest(), Some(walk.steps[1].report.next_digest.unwrap()));
    }

    #[crate::test]
    fn an_epoch_without_payouts_finds_its_reward_in_its_opening() {
        let (ledger, start, _) = epoch_with_payouts(0);
        let mut w = Walker::new(start);
        w.feed_box(&ledger.answer(Need::Box(start), Flavor::Node)).unwrap();
        let start_box = &ledger.boxes[&start].0;
        assert_eq!(w.next(), Some(Need::Transaction(start_box.transaction_id)));
        // another transaction than the opening is refused
        let (other_ledger, other_start, _) = epoch_with_payouts(1);
        let other = other_ledger.boxes[&other_start].1.unwrap();
        assert!(matches!(
            w.feed_transaction(&other_ledger.answer(Need::Transaction(other), Flavor::Node)),
            Err(WalkError::WrongAnswer { .. })
        ));
        let walk = run(&ledger, start, Flavor::Node).unwrap();
        assert!(walk.steps.is_empty());
        assert_eq!(walk.reward, Some(10_000_000_000));
    }

    #[crate::test]
    fn an_opening_that_cannot_be_proven_leaves_the_reward_unknown() {
        let (ledger, start, _) = epoch_with_payouts(0);
        let opening = ledger.boxes[&start].0.transaction_id;
        let feed = |answer: String| {
            let mut w = Walker::new(start);
            w.feed_box(&ledger.answer(Need::Box(start), Flavor::Node)).unwrap();
            w.feed_transaction(&answer).unwrap();
            assert_eq!(w.next(), None);
            w.into_walk().unwrap().reward
        };
        // the explorer's form: no context extensions, so the id is not recomputed and the
        // outputs could be anything: a reward written into R4 of OUTPUTS(1) is not taken
        let explorer = ledger.answer(Need::Transaction(opening), Flavor::Explorer);
        assert_eq!(feed(explorer.clone()), None);
        let v: serde_json::Value = serde_json::from_str(&explorer).unwrap();
        assert!(v["outputs"][1]["additionalRegisters"]["R4"].is_object());
        // an opening whose OUTPUTS(1) is not the contract's reward box (here the pool's own
        // script with a Long in R4): its id checks, the reward stays unknown
        let (t, spent, _) = &ledger.txs[&opening];
        let mut forged = UnsignedTransaction {
            inputs: spent
                .iter()
                .map(|b| crate::ergo::UnsignedInput {
                    spent: b.clone(),
                    extension: vec![],
                })
                .collect(),
            data_inputs: vec![],
            outputs: t.outputs.clone(),
        };
        forged.outputs[1].ergo_tree = script(9999);
        forged.outputs[1].registers = vec![crate::ergo::Constant::Long(1).to_bytes()];
        let mut other = Ledger::default();
        other.apply(&forged, 100);
        let forged_start = forged.transaction().output_boxes()[0].id();
        let walk = run(&other, forged_start, Flavor::Node).unwrap();
        assert_eq!(walk.reward, None);
    }

    #[crate::test]
    fn the_explorer_cannot_replay_and_says_so() {
        let (ledger, start, _) = epoch_with_payouts(2);
        assert!(matches!(
            run(&ledger, start, Flavor::Explorer),
            Err(WalkError::NoExtension { .. })
        ));
    }

    #[crate::test]
    fn a_lying_answer_stops_the_walk() {
        let (ledger, start, _) = epoch_with_payouts(2);
        let mut w = Walker::new(start);
        let other = ledger.boxes.keys().find(|k| **k != start).copied().unwrap();
        let answer = ledger.answer(Need::Box(other), Flavor::Node);
        assert!(matches!(
            w.feed_box(&answer),
            Err(WalkError::WrongAnswer { .. }) | Err(WalkError::NotShareState { .. })
        ));
    }
}
