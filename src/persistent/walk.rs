//! **Walking a Design 2 pool**: from a state box, follow the transaction that spent it to the
//! next state box (its OUTPUTS(0)), and so on to the unspent tip, checking every command on
//! the way clause by clause against the digest of the box it spends — which reveals the old
//! balance of every key it touches, and what it wrote. A miner's whole history (insert,
//! credits, payouts, removal) follows, and their balance now: the chain of replayed commands
//! proves that a key keeps the value its last command wrote until the tip.
//!
//! Sans-IO like Design 1's walk ([`crate::pool::walk`]): [`BalanceWalker::next`] says what it
//! needs, the caller fetches it and feeds the answer back; every answer is checked (box ids
//! recomputed; a command's transaction must come with the context extensions that recompute its
//! id). A budget bounds the commands one walk replays.

use crate::avl::Digest;
use crate::ergo::json::{decode_box, decode_transaction};
use crate::ergo::{Candidate, ChainBox, ChainTransaction, Constant, Id};
use crate::persistent::{check_command, state_contract, Command, CommandReport, CommandTransaction, Weakness};
use crate::pool::walk::{Need, WalkError};
use crate::pool::Balance;

/// One command of the walk.
#[derive(Debug, Clone)]
pub struct BalanceStep {
    pub tx_id: Id,
    /// Whether the transaction id was recomputed from its content.
    pub tx_id_verified: bool,
    pub height: Option<u32>,
    pub timestamp: Option<u64>,
    /// The state box it spent.
    pub from: Id,
    /// The command box it spent (INPUTS(1)).
    pub command_box: Id,
    /// Every clause of the command and the state box, evaluated.
    pub report: CommandReport,
    /// An Update's credits: where its command box's value came from (none for the other
    /// commands, or when the walk does not follow them), or why that is not known.
    pub credit_source: Option<Result<CreditSource, String>>,
}

/// The transaction that made an Update's command box, and the pool's holding boxes it spent —
/// holding boxes whose script sends their value to this Update command's tree (a block reward
/// reaching the miners, within the holding contract's 1%).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditSource {
    pub tx_id: Id,
    /// Whether its id was recomputed from its content (so its inputs are the chain's).
    pub tx_id_verified: bool,
    /// The holding boxes it spent: id, value.
    pub holding: Vec<(Id, u64)>,
}

/// How the chain of state boxes ended: a spend of the tip that is not a command of a known
/// contract, or an OUTPUTS(0) that is no state box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceEnd {
    pub tx_id: Id,
    pub why: String,
}

/// The walk so far.
#[derive(Debug, Clone)]
pub struct BalanceWalk {
    pub start: ChainBox,
    pub steps: Vec<BalanceStep>,
    /// The latest state box reached; the unspent tip once the walk is done and `end` is none.
    pub tip: ChainBox,
    pub end: Option<BalanceEnd>,
}

/// One event of a miner's history, as a command's replayed proof shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Index into [`BalanceWalk::steps`].
    pub step: usize,
    pub command: Command,
    /// The balance before (none for an Insert), as the proof against the spent digest shows it.
    pub before: Option<i64>,
    /// The balance after (none for a Delete).
    pub after: Option<i64>,
    /// Credited (Update: after − before) or paid (Payout: what its output pays).
    pub amount: i64,
    /// Every clause of the command holds.
    pub accepted: bool,
}

/// A tree value as a balance: exactly 8 bytes, non-negative.
fn balance(v: &[u8]) -> Option<i64> {
    Balance::from_bytes(v).ok().map(|b| b.0)
}

impl BalanceWalk {
    /// The tip's digest.
    pub fn tip_digest(&self) -> Option<Digest> {
        match self.tip.ergo_box.register(4) {
            Some(Ok(Constant::AvlTree(t))) => Some(t.digest),
            _ => None,
        }
    }

    /// Why the commands from step `from` on, and the tip, cannot vouch for what the tree holds
    /// — the tree left its state boxes, the tip is no state box of a contract sharestate knows,
    /// or a command's id was not recomputed, was refused or used a weakness of the deployed set (the one move allowed
    /// being the pool's to the hardened set); none when they can. From step 0: whether the
    /// whole walk can say a key was never in the tree.
    pub fn unsound_since(&self, from: usize) -> Option<String> {
        if let Some(e) = &self.end {
            return Some(format!(
                "the pool's state left its state boxes in transaction {}: {}",
                e.tx_id.to_hex(),
                e.why
            ));
        }
        if state_contract(&self.tip.ergo_box.ergo_tree).is_none() {
            return Some(format!(
                "box {} is not a state box of a contract sharestate knows",
                self.tip.id.to_hex()
            ));
        }
        self.steps.get(from..).unwrap_or_default().iter().find_map(|s| {
            let tx = s.tx_id.to_hex();
            if !s.tx_id_verified {
                return Some(format!("command {tx}'s id was not recomputed from its content"));
            }
            if !s.report.accepted {
                return Some(format!(
                    "the contracts refuse command {tx} ({})",
                    s.report.failing().join(", ")
                ));
            }
            s.report
                .weaknesses
                .iter()
                .find(|w| !matches!(w, Weakness::NextStateScriptChanged { to_hardened: true, .. }))
                .map(|w| format!("command {tx} used a weakness of the deployed contracts: {w}"))
        })
    }

    /// The pool's round of each step, counted from 1 at the walk's start, as the chain shows
    /// rounds: the off-chain code makes each round's commands in the order Insert, Update,
    /// Payout, Delete ([`crate::persistent::prove::plan_round`]), and funds a round's Updates
    /// from one transaction (its holding box spent). A step starts a new round when its command
    /// comes before the last one's in that order, or when it is an Update funded by another
    /// transaction than the Update before it. A label, not a verified figure: the chain knows
    /// no rounds.
    pub fn rounds(&self) -> Vec<u32> {
        let rank = |c: Command| {
            crate::persistent::contracts::COMMANDS
                .iter()
                .position(|x| *x == c)
                .unwrap_or(0)
        };
        let funded_by = |s: &BalanceStep| match &s.credit_source {
            Some(Ok(c)) => Some(c.tx_id),
            _ => None,
        };
        let mut out = Vec::with_capacity(self.steps.len());
        let mut round = 0u32;
        let mut last: Option<&BalanceStep> = None;
        for s in &self.steps {
            let command = s.report.contract.command;
            let new = match last {
                None => true,
                Some(l) => {
                    let before = l.report.contract.command;
                    rank(command) < rank(before)
                        || (command == Command::Update
                            && before == Command::Update
                            && funded_by(s).is_some()
                            && funded_by(l).is_some()
                            && funded_by(s) != funded_by(l))
                }
            };
            round = round.saturating_add(u32::from(new));
            out.push(round);
            last = Some(s);
        }
        out
    }

    /// Every command that touched `key`, oldest first.
    pub fn history(&self, key: &[u8]) -> Vec<HistoryEntry> {
        let mut out = vec![];
        for (i, s) in self.steps.iter().enumerate() {
            let r = &s.report;
            // a repeated key: every check uses its first entry, and the tree keeps what its last
            // entry wrote (the deployed Update lets a key be credited twice, only the last stays)
            let Some(m) = r.miners.iter().find(|m| m.key == key) else {
                continue;
            };
            let last = r.miners.iter().rev().find(|m| m.key == key).unwrap_or(m);
            let before = m.old.as_deref().and_then(balance);
            let after = last.written.as_deref().and_then(balance);
            let amount = match r.contract.command {
                Command::Update => after.zip(before).and_then(|(a, b)| a.checked_sub(b)).unwrap_or(0),
                Command::Payout => m.paid.unwrap_or(0),
                _ => 0,
            };
            out.push(HistoryEntry {
                step: i,
                command: r.contract.command,
                before,
                after: (r.contract.command != Command::Delete).then_some(after).flatten(),
                amount,
                accepted: r.accepted,
            });
        }
        out
    }

    /// What `key` is owed at the tip, from the last command that touched it, when that command
    /// and every one since was accepted and used no weakness of the deployed set (so each kept
    /// the key's value, and the box its due), and the tip is a state box of a known contract:
    /// `Some(None)` when that command deleted it; none when no command touched it, the tree
    /// left the state boxes (`end`), or a command since cannot be relied on. What it rests on
    /// beyond the replayed proofs: that each step's transaction is in a block and the tip is
    /// unspent — the caller's to show (`crate::trust`).
    pub fn owed(&self, key: &[u8]) -> Option<Option<i64>> {
        let last = self.history(key).pop()?;
        if self.unsound_since(last.step).is_some() {
            return None;
        }
        match (last.command, last.after) {
            (Command::Delete, _) => Some(None),
            // a value that is no balance: unknown, never "deleted"
            (_, None) => None,
            (_, after) => Some(after),
        }
    }
}

/// Where an Update's command box's value came from, from the transaction that made it: the
/// holding boxes it spent whose script funds the Update command tree of hash `update_hash`.
fn credit_source(tx: &ChainTransaction, update_hash: &[u8; 32]) -> Result<CreditSource, String> {
    let mut holding = vec![];
    for (i, input) in tx.inputs.iter().enumerate() {
        let b = input
            .spent_box
            .as_ref()
            .ok_or_else(|| format!("the source does not show the box input {i} spent"))?;
        if let Some((hash, _)) = crate::persistent::holding_contract(&b.ergo_box.ergo_tree) {
            if hash == *update_hash {
                holding.push((b.id, b.ergo_box.value));
            }
        }
    }
    Ok(CreditSource {
        tx_id: tx.id,
        tx_id_verified: tx.id_verified,
        holding,
    })
}

enum State {
    Start(Id),
    Spender(Id),
    /// Waiting for the command box (INPUTS(1)) of this transaction.
    CommandBox(ChainTransaction),
    /// Waiting for the transaction that made the last step's command box (an Update's), then
    /// for the tip.
    Source {
        tx: Id,
        tip: Id,
        update_hash: [u8; 32],
    },
    Tip(Id),
    Done,
}

impl crate::pool::walk::Walking for BalanceWalker {
    fn next(&self) -> Option<Need> {
        BalanceWalker::next(self)
    }
    fn feed_box(&mut self, json: &str) -> Result<(), WalkError> {
        BalanceWalker::feed_box(self, json)
    }
    fn feed_transaction(&mut self, json: &str) -> Result<(), WalkError> {
        BalanceWalker::feed_transaction(self, json)
    }
}

/// How many commands one walk replays at most, unless told otherwise.
pub const DEFAULT_STEP_BUDGET: usize = 100_000;

/// The walk as a state machine: call [`BalanceWalker::next`], fetch, feed, repeat.
pub struct BalanceWalker {
    state: State,
    walk: Option<BalanceWalk>,
    budget: usize,
    /// Whether each Update's command box's making is asked for (one more request each).
    credit_sources: bool,
}

fn expect(expected: Id, found: Id) -> Result<(), WalkError> {
    if expected == found {
        Ok(())
    } else {
        Err(WalkError::WrongAnswer {
            expected: expected.to_hex(),
            found: found.to_hex(),
        })
    }
}

impl BalanceWalker {
    /// A walk from the state box `start`.
    pub fn new(start: Id) -> BalanceWalker {
        BalanceWalker::with_budget(start, DEFAULT_STEP_BUDGET)
    }

    /// A walk that stops with [`WalkError::StepBudget`] rather than replay more than `budget`
    /// commands.
    pub fn with_budget(start: Id, budget: usize) -> BalanceWalker {
        BalanceWalker {
            state: State::Start(start),
            walk: None,
            budget,
            credit_sources: true,
        }
    }

    /// The same walk without asking where each Update's credits came from (one request less
    /// per Update).
    pub fn without_credit_sources(mut self) -> BalanceWalker {
        self.credit_sources = false;
        self
    }

    /// What to fetch next, or `None` when done.
    pub fn next(&self) -> Option<Need> {
        match &self.state {
            State::Start(id) | State::Tip(id) => Some(Need::Box(*id)),
            State::Spender(tx) | State::Source { tx, .. } => Some(Need::Transaction(*tx)),
            State::CommandBox(tx) => tx.inputs.get(1).map(|i| Need::Box(i.box_id)),
            State::Done => None,
        }
    }

    pub fn walk(&self) -> Option<&BalanceWalk> {
        self.walk.as_ref()
    }

    pub fn into_walk(self) -> Option<BalanceWalk> {
        self.walk
    }

    /// Feeds the answer to the last [`Need::Box`].
    pub fn feed_box(&mut self, json: &str) -> Result<(), WalkError> {
        self.feed_chain_box(decode_box(json)?)
    }

    /// [`BalanceWalker::feed_box`] with a box already decoded (its id recomputed). A wrong
    /// answer is an error and leaves the walk waiting for the right one.
    pub fn feed_chain_box(&mut self, b: ChainBox) -> Result<(), WalkError> {
        match &self.state {
            State::Start(id) => {
                expect(*id, b.id)?;
                if !matches!(b.ergo_box.register(4), Some(Ok(Constant::AvlTree(_)))) {
                    return Err(WalkError::NotShareState {
                        box_id: b.id.to_hex(),
                        detail: "R4 is not an AvlTree: not a balance state box".into(),
                    });
                }
                self.walk = Some(BalanceWalk {
                    start: b.clone(),
                    steps: vec![],
                    tip: b,
                    end: None,
                });
                self.follow();
                Ok(())
            }
            State::Tip(id) => {
                expect(*id, b.id)?;
                let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
                walk.tip = b;
                self.follow();
                Ok(())
            }
            State::CommandBox(tx) => {
                let want = tx.inputs.get(1).map(|i| i.box_id);
                if want != Some(b.id) {
                    return Err(WalkError::WrongAnswer {
                        expected: want.map(|i| i.to_hex()).unwrap_or_default(),
                        found: b.id.to_hex(),
                    });
                }
                let State::CommandBox(tx) = std::mem::replace(&mut self.state, State::Done) else {
                    return Err(WalkError::Unexpected);
                };
                self.step(tx, b)
            }
            _ => Err(WalkError::Unexpected),
        }
    }

    /// Feeds the answer to the last [`Need::Transaction`].
    pub fn feed_transaction(&mut self, json: &str) -> Result<(), WalkError> {
        self.feed_chain_transaction(decode_transaction(json)?)
    }

    /// [`BalanceWalker::feed_transaction`] with a transaction already decoded. A wrong or
    /// unproven answer is an error and leaves the walk waiting for a proven one.
    pub fn feed_chain_transaction(&mut self, tx: ChainTransaction) -> Result<(), WalkError> {
        if let State::Source {
            tx: id,
            tip,
            update_hash,
        } = self.state
        {
            expect(id, tx.id)?;
            let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
            let step = walk.steps.last_mut().ok_or(WalkError::Unexpected)?;
            // the command box is among its outputs, its id recomputed: this is its making
            if !tx.outputs.iter().any(|o| o.id == step.command_box) {
                return Err(WalkError::WrongAnswer {
                    expected: format!("the transaction that made box {}", step.command_box.to_hex()),
                    found: tx.id.to_hex(),
                });
            }
            step.credit_source = Some(credit_source(&tx, &update_hash));
            self.state = State::Tip(tip);
            return Ok(());
        }
        let State::Spender(id) = self.state else {
            return Err(WalkError::Unexpected);
        };
        expect(id, tx.id)?;
        // what a command did, and that it is the one that spent the tip, must be proven
        if !tx.id_verified {
            let missing = tx.inputs.iter().any(|i| i.extension.is_none());
            let t = tx.id.to_hex();
            return Err(if missing {
                WalkError::NoExtension { tx: t }
            } else {
                WalkError::Unproven { tx: t }
            });
        }
        if tx.inputs.len() < 2 {
            // the state box spent with no command box: the tree is gone from the chain of
            // state boxes (possible only where the state box was moved to another script)
            let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
            walk.end = Some(BalanceEnd {
                tx_id: tx.id,
                why: "it spends the state box with no command box beside it".into(),
            });
            self.state = State::Done;
            return Ok(());
        }
        self.state = State::Done;
        match tx.inputs.get(1).and_then(|i| i.spent_box.clone()) {
            Some(command_box) => self.step(tx, command_box),
            None => {
                self.state = State::CommandBox(tx);
                Ok(())
            }
        }
    }

    fn follow(&mut self) {
        self.state = match &self.walk {
            Some(w) if w.end.is_none() => match w.tip.spent_transaction_id {
                Some(tx) => State::Spender(tx),
                None => State::Done,
            },
            _ => State::Done,
        };
    }

    /// Checks the command `tx` that spent the tip, with its command box.
    fn step(&mut self, tx: ChainTransaction, command_box: ChainBox) -> Result<(), WalkError> {
        let walk = self.walk.as_mut().ok_or(WalkError::Unexpected)?;
        if walk.steps.len() >= self.budget {
            let budget = self.budget;
            self.state = State::CommandBox(tx);
            return Err(WalkError::StepBudget { budget });
        }
        let from = walk.tip.clone();
        let end = |why: String| BalanceEnd { tx_id: tx.id, why };
        if tx.inputs.first().map(|i| i.box_id) != Some(from.id) {
            let Some(at) = tx.inputs.iter().position(|i| i.box_id == from.id) else {
                self.state = State::Spender(tx.id);
                return Err(WalkError::NotAPayout {
                    tx: tx.id.to_hex(),
                    box_id: from.id.to_hex(),
                });
            };
            walk.end = Some(end(format!(
                "it spends the state box as input {at}, where a command spends it first"
            )));
            self.state = State::Done;
            return Ok(());
        }
        let extension = tx.inputs.get(1).and_then(|i| i.extension.clone()).unwrap_or_default();
        let outputs: Vec<Candidate> = tx.outputs.iter().map(|o| Candidate::from(&o.ergo_box)).collect();
        let report = CommandTransaction::from_parts(&from.ergo_box, &command_box.ergo_box, &extension, &outputs)
            .map_err(|e| e.to_string())
            .and_then(|c| check_command(&c).map_err(|e| e.to_string()));
        let report = match report {
            Ok(r) => r,
            Err(why) => {
                walk.end = Some(end(format!("it is not a command of Design 2's contracts: {why}")));
                self.state = State::Done;
                return Ok(());
            }
        };
        let update = report.contract.command == Command::Update;
        walk.steps.push(BalanceStep {
            tx_id: tx.id,
            tx_id_verified: tx.id_verified,
            height: tx.inclusion_height,
            timestamp: tx.timestamp,
            from: from.id,
            command_box: command_box.id,
            report,
            credit_source: None,
        });
        match tx.outputs.first() {
            Some(next) if matches!(next.ergo_box.register(4), Some(Ok(Constant::AvlTree(_)))) => {
                walk.tip = next.clone();
                self.state = if update && self.credit_sources {
                    State::Source {
                        tx: command_box.ergo_box.transaction_id,
                        tip: next.id,
                        update_hash: crate::encoding::hash::blake2b256(&command_box.ergo_box.ergo_tree),
                    }
                } else {
                    State::Tip(next.id)
                };
            }
            _ => {
                walk.end = Some(end("its OUTPUTS(0) is not a state box (R4 is not an AvlTree)".into()));
                self.state = State::Done;
            }
        }
        Ok(())
    }
}
