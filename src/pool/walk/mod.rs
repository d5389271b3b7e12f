//! Walking a pool's chain of share-state boxes: from one box, follow the transaction that spent
//! it to the next share-state box (its OUTPUTS(0)), and so on to the unspent tip. Each payout
//! on the way is replayed and checked clause by clause against the digest of the box it spends,
//! which reveals the old and new value and the payment of every key it touches.
//!
//! An epoch's walk ends at an unspent tip, or at a spend that is not a payout: the hardened
//! contract's close by the operator (from the epoch's deadline, R6, on), or any other
//! final spend, which the walk records as the epoch's [`End`]. It follows the epoch's reward
//! box too (created with the epoch, then OUTPUTS(1) of each payout) and, at the end, asks for
//! it once more to learn whether it is spent and by what. A budget bounds the payouts one walk
//! replays, so that a flood of empty payouts cannot hang a check.
//!
//! The walk does no I/O ("sans-IO"): it says what it needs next ([`Need`]), and the caller
//! fetches it from a node, an explorer or the devnet and feeds the response text back. Every
//! answer is checked — box ids recomputed, transaction ids recomputed where the interface gives
//! the context extensions — so the walk trusts nothing it is told.

use crate::avl::Digest;
use crate::ergo::json::{decode_box, decode_transaction, JsonError};
use crate::ergo::{Candidate, ChainBox, ChainTransaction, Constant, ErgoBox, Id};
use crate::pool::{ShareValue, ValueError};
use crate::posted::contracts::is_reward_box_of;
use crate::posted::hardened;
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

/// A walk that says what it needs and takes the answers, doing no I/O: both designs' walkers
/// ([`Walker`], [`crate::persistent::BalanceWalker`]).
pub trait Walking {
    /// What to fetch next, or `None` when done.
    fn next(&self) -> Option<Need>;
    /// Feeds the answer to the last [`Need::Box`] (a node's or the explorer's JSON).
    fn feed_box(&mut self, json: &str) -> Result<(), WalkError>;
    /// Feeds the answer to the last [`Need::Transaction`].
    fn feed_transaction(&mut self, json: &str) -> Result<(), WalkError>;

    /// Feeds `answer(need)` for each need until the walk is done, or the first error.
    fn drive(&mut self, mut answer: impl FnMut(Need) -> String) -> Result<(), WalkError>
    where
        Self: Sized,
    {
        while let Some(need) = self.next() {
            let text = answer(need);
            match need {
                Need::Box(_) => self.feed_box(&text)?,
                Need::Transaction(_) => self.feed_transaction(&text)?,
            }
        }
        Ok(())
    }
}

impl Walking for Walker {
    fn next(&self) -> Option<Need> {
        Walker::next(self)
    }
    fn feed_box(&mut self, json: &str) -> Result<(), WalkError> {
        Walker::feed_box(self, json)
    }
    fn feed_transaction(&mut self, json: &str) -> Result<(), WalkError> {
        Walker::feed_transaction(self, json)
    }
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
    #[error("transaction {tx} does not spend box {box_id} as a payout would")]
    NotAPayout { tx: String, box_id: String },
    #[error("transaction {tx}: the interface gives no context extension for its first input, so its proof cannot be replayed (the explorer API gives none: read transactions from a node with extraIndex or the explorer's GraphQL)")]
    NoExtension { tx: String },
    #[error("transaction {tx}: {source}")]
    Payout {
        tx: String,
        #[source]
        source: PostedError,
    },
    #[error("transaction {tx}: the source does not give enough to recompute its id, so what it does is not proven")]
    Unproven { tx: String },
    #[error("the walk replayed {budget} payouts of this epoch, its budget, and stopped (the budget is a setting)")]
    StepBudget { budget: usize },
    #[error("the walk has nothing to be fed now")]
    Unexpected,
    #[error("the walk has not started: feed the start box")]
    NotStarted,
}

/// One key touched by a payout, as the replayed proof shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    pub key: Vec<u8>,
    /// Score and paid flag before the payout (from the proof against the input digest), or why
    /// the tree's value is not a share value; none when the proof gives no value.
    pub before: Option<Result<ShareValue, ValueError>>,
    /// After (from context variable 0, committed to by the new digest), or why it is not a
    /// share value.
    pub after: Result<ShareValue, ValueError>,
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
    /// The box it spent as INPUTS(1), the reward box.
    pub reward_input: Id,
    /// Whether that is the epoch's own reward box (the one its opening or its previous payout
    /// created); none when the walk does not know the epoch's reward box.
    pub reward_followed: Option<bool>,
}

/// How an epoch's chain of share-state boxes ended: a spend of the tip that is not a payout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct End {
    pub tx_id: Id,
    pub tx_id_verified: bool,
    pub height: Option<u32>,
    pub kind: EndKind,
    /// What the epoch's reward box held when this transaction spent it too, nanoErg.
    pub reward_left: Option<u64>,
}

/// Which spend ended an epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndKind {
    /// The hardened contract's close: in a block at or past the epoch's deadline (R6), where
    /// the operator may spend the box freely.
    Closed,
    /// Any other spend that is not a payout of this box; why it is not.
    Other(String),
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
    /// The spend that ended the epoch, if one did (else the tip is unspent).
    pub end: Option<End>,
    /// The epoch's reward box as last seen: OUTPUTS(1) of its opening (when the opening is
    /// proven) or of its latest payout, asked for again at the end to learn whether and by
    /// what it is spent. None when the walk cannot tell which box it is.
    pub reward_box: Option<ChainBox>,
    /// For a hardened epoch, whether its own token was minted as the contract assumes (by the
    /// opening, in two units: the share-state box's and the reward box's), or why not; None
    /// before the opening is read, and for the draft.
    pub epoch_token: Option<Result<(), String>>,
}

impl Walk {
    /// The tip's digest: untouched keys are verified against it (with a lookup proof).
    pub fn tip_digest(&self) -> Option<Digest> {
        match self.tip.ergo_box.register(4) {
            Some(Ok(Constant::AvlTree(t))) => Some(t.digest),
            _ => None,
        }
    }

    /// The payouts that paid no one.
    pub fn empty_payouts(&self) -> usize {
        self.steps.iter().filter(|s| s.report.miners.is_empty()).count()
    }

    /// The latest record of `key`: its value after the last payout that touched it, and where.
    pub fn latest(&self, key: &[u8]) -> Option<(&Step, &Touched)> {
        self.steps
            .iter()
            .rev()
            .find_map(|s| s.touched.iter().find(|t| t.key == key).map(|t| (s, t)))
    }
}

#[derive(Clone)]
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
    /// OUTPUTS(1) is the epoch's reward box.
    Opening(Id),
    /// Waiting for the epoch's reward box, at the end, to learn whether it is spent.
    RewardStatus(Id),
    Done,
}

/// How many payouts one walk replays at most, unless told otherwise.
pub const DEFAULT_STEP_BUDGET: usize = 10_000;

/// The walk as a state machine: call [`Walker::next`], fetch, feed, repeat.
pub struct Walker {
    state: State,
    walk: Option<Walk>,
    budget: usize,
}

/// The digest (R4) and maxScore (R5) of a share-state box, or why it is not one.
pub fn share_state(b: &ChainBox) -> Result<(Digest, i32), WalkError> {
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

/// For the first box of an epoch, the digest against which a key proven absent is absent from
/// the whole epoch, and its maxScore: `first` must be a share-state box of a known contract (the
/// seed's draft or the hardened one). Both make each next state `SELF.R4.update(…)` of keys the
/// tree holds (`OUTPUTS(0).R4` is checked against it), so no payout inserts a key, and the walk
/// follows nothing but payouts: a miner absent from the first state is in none of the epoch's
/// states, and the epoch need not be walked for them. None for any other box.
pub fn absence_holds_for_epoch(first: &ChainBox) -> Option<(Digest, i32)> {
    match share_state_contract(&first.ergo_box.ergo_tree) {
        ShareStateContract::Unknown => None,
        _ => share_state(first).ok(),
    }
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
    /// A walk from the share-state box `start`, replaying at most [`DEFAULT_STEP_BUDGET`]
    /// payouts.
    pub fn new(start: Id) -> Walker {
        Walker::with_budget(start, DEFAULT_STEP_BUDGET)
    }

    /// A walk from `start` that stops with [`WalkError::StepBudget`] rather than replay more
    /// than `budget` payouts.
    pub fn with_budget(start: Id, budget: usize) -> Walker {
        Walker {
            state: State::Start(start),
            walk: None,
            budget,
        }
    }

    /// What to fetch next, or `None` when the tip is reached.
    pub fn next(&self) -> Option<Need> {
        match &self.state {
            State::Start(id) | State::Tip(id) | State::RewardStatus(id) => Some(Need::Box(*id)),
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
        self.feed_chain_box(decode_box(json)?)
    }

    /// [`Walker::feed_box`] with a box already decoded (its id recomputed) from any source.
    /// Another box than the one asked for, or one the walk cannot go on from, is an error and
    /// leaves the walk waiting for it.
    pub fn feed_chain_box(&mut self, b: ChainBox) -> Result<(), WalkError> {
        match self.next() {
            Some(Need::Box(asked)) => expect(asked, b.id)?,
            _ => return Err(WalkError::Unexpected),
        }
        let waiting = self.state.clone();
        self.take_box(b).inspect_err(|_| self.state = waiting)
    }

    /// The box asked for, taken: the walk goes on; an error leaves it as it was (the caller
    /// restores the state).
    fn take_box(&mut self, b: ChainBox) -> Result<(), WalkError> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Start(id) => {
                expect(id, b.id)?;
                let (_, max_score) = share_state(&b)?;
                let contract = share_state_contract(&b.ergo_box.ergo_tree);
                self.state = State::Opening(b.ergo_box.transaction_id);
                self.walk = Some(Walk {
                    start: b.clone(),
                    contract,
                    max_score,
                    reward: None,
                    steps: vec![],
                    tip: b,
                    end: None,
                    reward_box: None,
                    epoch_token: None,
                });
                Ok(())
            }
            State::Tip(id) => {
                expect(id, b.id)?;
                let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
                walk.tip = b;
                if let Err(WalkError::NotShareState { detail, .. }) = share_state(&walk.tip) {
                    // an accepted payout sent the state elsewhere (the draft allows it)
                    let last = walk.steps.last().ok_or(WalkError::Unexpected)?;
                    walk.end = Some(End {
                        tx_id: last.tx_id,
                        tx_id_verified: last.tx_id_verified,
                        height: last.height,
                        kind: EndKind::Other(format!("its OUTPUTS(0) is not a share-state box: {detail}")),
                        reward_left: None,
                    });
                }
                self.follow();
                Ok(())
            }
            State::RewardStatus(id) => {
                expect(id, b.id)?;
                let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
                walk.reward_box = Some(b);
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
        self.feed_chain_transaction(decode_transaction(json)?)
    }

    /// [`Walker::feed_transaction`] with a transaction already decoded from any source.
    /// Another transaction than the one asked for, or one that cannot be replayed (no context
    /// extension, not a payout, over the step budget), is an error and leaves the walk waiting
    /// for it.
    pub fn feed_chain_transaction(&mut self, tx: ChainTransaction) -> Result<(), WalkError> {
        match self.next() {
            Some(Need::Transaction(asked)) => expect(asked, tx.id)?,
            _ => return Err(WalkError::Unexpected),
        }
        let waiting = self.state.clone();
        self.take_transaction(tx).inspect_err(|_| self.state = waiting)
    }

    /// The transaction asked for, taken: the walk goes on; an error leaves it as it was (the
    /// caller restores the state).
    fn take_transaction(&mut self, tx: ChainTransaction) -> Result<(), WalkError> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Spender(id) => {
                expect(id, tx.id)?;
                let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
                if let Some(end) = final_spend(walk, &tx)? {
                    walk.end = Some(end);
                    self.follow();
                    return Ok(());
                }
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
                if let ShareStateContract::Hardened { .. } = walk.contract {
                    walk.epoch_token = Some(hardened::epoch_token_minted(&walk.start, &tx));
                }
                if let Some(reward_box) = opening_reward_box(walk, &tx) {
                    walk.reward = reward_box.ergo_box.register(4).and_then(|r| r.ok()?.as_long().ok());
                    walk.reward_box = Some(reward_box);
                }
                self.follow();
                Ok(())
            }
            other => {
                self.state = other;
                Err(WalkError::Unexpected)
            }
        }
    }

    /// Goes on from the tip: to its spender; or, once the epoch has ended or its tip is
    /// unspent, to the reward box's status; or done.
    fn follow(&mut self) {
        self.state = match &self.walk {
            None => State::Done,
            Some(w) => match (
                w.end.is_none().then_some(w.tip.spent_transaction_id).flatten(),
                &w.reward_box,
            ) {
                (Some(tx), _) => State::Spender(tx),
                (None, Some(r)) => State::RewardStatus(r.id),
                (None, None) => State::Done,
            },
        };
    }

    /// Replays the payout `tx` that spent the tip, with its reward input `reward`.
    fn step(&mut self, tx: ChainTransaction, reward: ErgoBox) -> Result<(), WalkError> {
        let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
        if walk.steps.len() >= self.budget {
            return Err(WalkError::StepBudget { budget: self.budget });
        }
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
        let reward_input = tx.inputs[1].box_id;
        let reward_followed = walk.reward_box.as_ref().map(|r| r.id == reward_input);
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
        // the next share state is OUTPUTS(0); ask for it to learn whether it is spent (found
        // before the walk changes: an error leaves it as it was)
        let next = tx
            .outputs
            .first()
            .ok_or(WalkError::NotAPayout {
                tx: txh,
                box_id: from.id.to_hex(),
            })?
            .clone();
        // the epoch's reward box is now OUTPUTS(1), whatever it is (the clauses say whether it
        // is a reward box; a later payout that spends another is flagged)
        walk.reward_box = tx.outputs.get(1).cloned();
        walk.steps.push(Step {
            tx_id: tx.id,
            tx_id_verified: tx.id_verified,
            height: tx.inclusion_height,
            from: from.id,
            digest_before,
            report,
            touched,
            reward_input,
            reward_followed,
        });
        self.state = State::Tip(next.id);
        walk.tip = next;
        Ok(())
    }
}

/// The reward box an epoch opened with, when `tx` — the transaction that created its start box
/// — shows it beyond doubt: the start box as OUTPUTS(0), and as OUTPUTS(1) (its id committing
/// to the same transaction and index 1) the reward box of the start
/// box's own contract (the hardened one also holding the pool token) with a Long in R4, the
/// reward. Otherwise none: an epoch opened another way is not an error, and a source that
/// cannot prove the transaction's content decides nothing.
fn opening_reward_box(walk: &Walk, tx: &ChainTransaction) -> Option<ChainBox> {
    let start = &walk.start.ergo_box;
    let reward = tx.outputs.get(1)?;
    // a box's id commits to its transaction's id and its index: OUTPUTS(1) of the transaction
    // that made the start box is proven by its own id, whether or not the source gives enough
    // to recompute the transaction's
    let made_with_start = reward.ergo_box.transaction_id == start.transaction_id && reward.ergo_box.index == 1;
    if !made_with_start || tx.outputs.first().map(|o| o.id) != Some(walk.start.id) {
        return None;
    }
    let has_reward = matches!(reward.ergo_box.register(4), Some(Ok(Constant::Long(_))));
    (is_reward_box_of(&walk.contract, start, &reward.ergo_box) && has_reward).then(|| reward.clone())
}

/// Whether `tx`, the spender of the walk's tip, ends the epoch rather than pays out: the
/// hardened contract's close (from the deadline height in R6 on, the operator spends the box
/// freely), a spend with the box at another input than the first, or without the payout's
/// context variables 0 and 1.
/// A transaction that does not spend the tip at all is a lie, and an answer without context
/// extensions cannot tell.
fn final_spend(walk: &Walk, tx: &ChainTransaction) -> Result<Option<End>, WalkError> {
    let tip = &walk.tip;
    // what ends an epoch must be proven: a source must not hide later payouts behind an
    // invented spend
    if !tx.id_verified {
        let missing = tx.inputs.iter().any(|i| i.extension.is_none());
        let tx = tx.id.to_hex();
        return Err(if missing {
            WalkError::NoExtension { tx }
        } else {
            WalkError::Unproven { tx }
        });
    }
    let Some(position) = tx.inputs.iter().position(|i| i.box_id == tip.id) else {
        return Err(WalkError::NotAPayout {
            tx: tx.id.to_hex(),
            box_id: tip.id.to_hex(),
        });
    };
    // the hardened contract's operator branch: a block at or past the deadline (R6), at the
    // height the source gives (issue 13 ties it to a header). A spend shaped like a payout is
    // still replayed as one: if every clause holds the miners it pays were paid as the tree
    // says, whoever signed it; if not, its row says which clause fails
    let deadline = match walk.contract {
        ShareStateContract::Hardened { .. } => hardened::deadline(&tip.ergo_box),
        _ => None,
    };
    let closing = matches!(
        (deadline, tx.inclusion_height),
        (Some(d), Some(h)) if i64::from(h) >= i64::from(d)
    );
    if position == 0 {
        match tx.inputs[0].extension.as_ref() {
            Some(e) => {
                let has = |id: u8| e.iter().any(|(k, _)| *k == id);
                if has(0) && has(1) && tx.inputs.len() >= 2 {
                    return Ok(None);
                }
            }
            None if !closing => return Err(WalkError::NoExtension { tx: tx.id.to_hex() }),
            None => {}
        }
    }
    let kind = if closing {
        EndKind::Closed
    } else if position > 0 {
        EndKind::Other(format!(
            "it spends the share-state box as input {position}, where a payout spends it first"
        ))
    } else {
        EndKind::Other(match deadline {
            Some(d) => format!(
                "it has no payout's context variables 0 and 1 and reward input, before the deadline (height {d}) from which the operator may close"
            ),
            None => "it has no payout's context variables 0 and 1 and reward input".into(),
        })
    };
    let reward_left = walk
        .reward_box
        .as_ref()
        .filter(|r| tx.inputs.iter().any(|i| i.box_id == r.id))
        .map(|r| r.ergo_box.value);
    Ok(Some(End {
        tx_id: tx.id,
        tx_id_verified: tx.id_verified,
        height: tx.inclusion_height,
        kind,
        reward_left,
    }))
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
pub(crate) mod testing;
#[cfg(test)]
mod tests;
