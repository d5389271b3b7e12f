//! For tests: a tiny ledger of real (unsigned) Design 1 transactions, answered in the node's or
//! the explorer's JSON, and an epoch built on it step by step — opened with any parameters
//! (honest or not), paid out, closed.

use super::{Need, Walk, WalkError, Walker, Walking};
use crate::avl::{Key, ShareState};
use crate::encoding::hash::blake2b256;
use crate::ergo::json::{box_json, transaction_json, Flavor};
use crate::ergo::{ErgoBox, Id, Token, Transaction, UnsignedTransaction};
use crate::pool::ShareValue;
use crate::posted::epoch::{self, Contracts, Funding, Opening, Payout};
use std::collections::HashMap;

/// A tiny ledger: every box ever created, who spent it, and every transaction.
#[derive(Default)]
pub(crate) struct Ledger {
    pub boxes: HashMap<Id, (ErgoBox, Option<Id>, u32)>,
    pub txs: HashMap<Id, (Transaction, Vec<ErgoBox>, u32)>,
}

impl Ledger {
    pub fn apply(&mut self, tx: &UnsignedTransaction, height: u32) -> Id {
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
        id
    }

    pub fn answer(&self, need: Need, flavor: Flavor) -> String {
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

    /// Walks from `start` to the end, answering from the ledger.
    pub fn walk(&self, start: Id, flavor: Flavor, budget: usize) -> Result<Walk, WalkError> {
        let mut w = Walker::with_budget(start, budget);
        w.drive(|need| self.answer(need, flavor))?;
        w.into_walk().ok_or(WalkError::NotStarted)
    }
}

/// A P2PK-like script, one per number.
pub(crate) fn script(i: u32) -> Vec<u8> {
    [&[0x00, 0x08, 0xcd, 0x02][..], &blake2b256(&i.to_be_bytes())].concat()
}

/// The pool's own script (funding and change).
fn pool() -> Vec<u8> {
    script(9999)
}

pub(crate) const POOL_TOKEN: [u8; 32] = [5; 32];
pub(crate) const MINERS: u32 = 60;
pub(crate) const SCORE: i64 = 50_000;
pub(crate) const REWARD: u64 = 10_000_000_000;
/// The height the epoch opens at.
pub(crate) const OPENED: u32 = 100;
/// The hardened epoch's deadline (R6), the audit's shortest window after its opening.
pub(crate) const DEADLINE: u32 = OPENED + crate::posted::audit::MIN_CLAIM_WINDOW;

/// An epoch of 60 miners of score 50,000 and a reward of 10 ERG, on a ledger.
pub(crate) struct TestEpoch {
    pub ledger: Ledger,
    pub start: Id,
    pub keys: Vec<Key>,
    pub state: ShareState,
    pub state_box: ErgoBox,
    pub reward_box: ErgoBox,
    pub max_score: i32,
    scripts: HashMap<Key, Vec<u8>>,
    height: u32,
    paid: usize,
}

impl TestEpoch {
    /// Opens the epoch on the draft or the hardened pair, with maxScore as given (the honest
    /// one is 3,000,000).
    pub fn open(hardened: bool, max_score: i32) -> TestEpoch {
        TestEpoch::open_with_reward(hardened, max_score, REWARD)
    }

    /// The same with `reward` in the reward box's R4.
    pub fn open_with_reward(hardened: bool, max_score: i32, reward: u64) -> TestEpoch {
        TestEpoch::open_until(hardened, max_score, reward, DEADLINE)
    }

    /// The same with `deadline` in the hardened share-state box's R6.
    pub fn open_until(hardened: bool, max_score: i32, reward: u64, deadline: u32) -> TestEpoch {
        let scripts: HashMap<Key, Vec<u8>> = (0..MINERS).map(|i| (blake2b256(&script(i)), script(i))).collect();
        let mut state = ShareState::from_entries(
            scripts
                .keys()
                .map(|k| (*k, ShareValue::unpaid(SCORE).to_bytes().to_vec())),
        )
        .unwrap();
        let contracts = if hardened {
            let mut operator = [7u8; 33];
            operator[0] = 2;
            Contracts::hardened(&operator).unwrap()
        } else {
            Contracts::draft()
        };
        let mut ledger = Ledger::default();
        let open = epoch::open(
            &Opening {
                contracts: &contracts,
                max_score,
                deadline,
                reward,
                pool_token: hardened.then_some(POOL_TOKEN),
            },
            &mut state,
            &funding(1),
            OPENED - 1,
        )
        .unwrap();
        ledger.apply(&open, OPENED);
        let boxes = open.transaction().output_boxes();
        TestEpoch {
            ledger,
            start: boxes[0].id(),
            keys: state.keys(),
            state,
            state_box: boxes[0].clone(),
            reward_box: boxes[1].clone(),
            max_score,
            scripts,
            height: OPENED,
            paid: 0,
        }
    }

    /// Pays the next `n` miners in one payout (n = 0: an empty payout).
    pub fn pay(&mut self, n: usize) -> Id {
        let keys: Vec<Key> = self.keys[self.paid..self.paid + n].to_vec();
        let batch = crate::posted::prove_payout(&mut self.state, &keys, REWARD as i64, self.max_score, true).unwrap();
        self.height += 1;
        let scripts = &self.scripts;
        let tx = epoch::payout(
            &Payout {
                state_box: &self.state_box,
                reward_box: &self.reward_box,
                batch: &batch,
                script_of: &|k| scripts.get(k).cloned(),
            },
            &funding(self.height as u8),
            self.height,
        )
        .unwrap();
        self.paid += n;
        self.apply(&tx)
    }

    /// The operator's close: the share-state and reward boxes spent to the pool's script, in
    /// the next block or at the deadline, whichever is later.
    pub fn close(&mut self) -> Id {
        let tx = self.close_transaction();
        self.height = (self.height + 1).max(crate::posted::hardened::deadline(&self.state_box).unwrap_or(0) as u32);
        self.apply(&tx)
    }

    /// The close as the operator builds it at the deadline, not applied; for the draft, which
    /// has no close, the same spend built by hand.
    pub fn close_transaction(&self) -> UnsignedTransaction {
        match crate::posted::hardened::deadline(&self.state_box) {
            Some(at) => epoch::close(
                &self.state_box,
                Some(&self.reward_box),
                &funding(7),
                (at as u32).max(self.height) - 1,
            )
            .unwrap(),
            None => {
                let f = funding(7);
                let spent = [&self.state_box, &self.reward_box, &f.inputs[0]];
                let value: u64 = spent.iter().map(|b| b.value).sum();
                let tokens = spent.iter().flat_map(|b| b.tokens.clone()).collect();
                let out = |value, ergo_tree, tokens| crate::ergo::Candidate {
                    value,
                    ergo_tree,
                    creation_height: self.height,
                    tokens,
                    registers: vec![],
                };
                let fee_tree = crate::encoding::hex::decode(crate::ergo::transaction::MINER_FEE_TREE).unwrap();
                UnsignedTransaction {
                    inputs: spent
                        .iter()
                        .map(|b| crate::ergo::UnsignedInput {
                            spent: (*b).clone(),
                            extension: vec![],
                        })
                        .collect(),
                    data_inputs: vec![],
                    outputs: vec![out(value - f.fee, pool(), tokens), out(f.fee, fee_tree, vec![])],
                }
            }
        }
    }

    /// Applies `tx` in the next block.
    pub fn apply_next(&mut self, tx: &UnsignedTransaction) -> Id {
        self.height += 1;
        self.apply(tx)
    }

    /// Applies `tx`, whose OUTPUTS(0) and (1) become the epoch's boxes if it is a payout.
    pub fn apply(&mut self, tx: &UnsignedTransaction) -> Id {
        let id = self.ledger.apply(tx, self.height);
        let out = tx.transaction().output_boxes();
        if out.len() > 1 && out[0].ergo_tree == self.state_box.ergo_tree {
            self.state_box = out[0].clone();
            self.reward_box = out[1].clone();
        }
        id
    }

    pub fn walk(&self) -> Result<Walk, WalkError> {
        self.ledger.walk(self.start, Flavor::Node, super::DEFAULT_STEP_BUDGET)
    }
}

/// 100 ERG and two pool tokens in a box of the pool's script.
pub(crate) fn funding(seed: u8) -> Funding {
    Funding {
        inputs: vec![ErgoBox {
            value: 100_000_000_000,
            ergo_tree: pool(),
            creation_height: 1,
            tokens: vec![Token {
                id: POOL_TOKEN,
                amount: 2,
            }],
            registers: vec![],
            transaction_id: Id([seed; 32]),
            index: 0,
        }],
        change_tree: pool(),
        fee: 1_000_000,
    }
}

/// An honest draft epoch with `payouts` payouts of 20 miners.
pub(crate) fn epoch_with_payouts(payouts: usize) -> (Ledger, Id, Vec<Key>) {
    let mut e = TestEpoch::open(false, 3_000_000);
    for _ in 0..payouts {
        e.pay(20);
    }
    (e.ledger, e.start, e.keys)
}
