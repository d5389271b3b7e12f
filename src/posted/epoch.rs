//! A Design 1 epoch's transactions, built as the contracts demand: opening the epoch (the
//! share-state and reward boxes), and each payout. These are unsigned transactions; the
//! `interpreter` feature evaluates them against the contracts before anyone signs them
//! (`super::evaluated`).

use crate::avl::{AvlTreeData, Key, ShareState};
use crate::encoding::hex;
use crate::ergo::funding::finish;
pub use crate::ergo::funding::{Funding, FundingError};
use crate::ergo::{Candidate, Constant, ErgoBox, Token, UnsignedInput, UnsignedTransaction};
use crate::pool::amount::{self, ArithmeticError};
use crate::posted::contracts::{self, ContractError};
use crate::posted::hardened;
use crate::posted::{check_payout, prove_payout, PayoutBatch, PayoutReport, PayoutTransaction, PostedError};
use thiserror::Error;

/// What a reward box holds beyond the epoch's reward (R4), so that its last remainder — the
/// rounding dust — still meets the box value floor: 0.001 ERG.
pub const REWARD_RESERVE: u64 = 1_000_000;

/// The pair of contracts an epoch runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contracts {
    pub share_state: Vec<u8>,
    pub reward: Vec<u8>,
}

impl Contracts {
    /// The seed's draft share state and its reward box.
    pub fn draft() -> Contracts {
        Contracts {
            share_state: contracts::draft_share_state(),
            reward: contracts::draft_reward(),
        }
    }

    /// The hardened pair of the operator with `operator_key`.
    pub fn hardened(operator_key: &[u8]) -> Result<Contracts, ContractError> {
        let share_state = contracts::hardened_share_state(operator_key)?;
        let reward = contracts::hardened_reward(&share_state)?;
        Ok(Contracts { share_state, reward })
    }
}

/// Why an epoch transaction cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EpochError {
    #[error(transparent)]
    Funding(#[from] FundingError),
    #[error("the hardened contract needs a pool token (an id held in at least 2 units: share-state and reward box)")]
    NoPoolToken,
    #[error("{0}")]
    Arithmetic(#[from] ArithmeticError),
    #[error("the script of key {key} is not known, so it cannot be paid")]
    UnknownScript { key: String },
    #[error(transparent)]
    Posted(#[from] PostedError),
    #[error("the contract would refuse this payout: {}", failing.join(", "))]
    Refused { failing: Vec<String> },
    #[error("the epoch's deadline is height {deadline}: built at height {height}, this lands in a later block, where only the operator may spend the epoch")]
    PastDeadline { deadline: i64, height: u32 },
    #[error("the epoch may be closed from height {deadline} on: built at height {height}, this could land before")]
    BeforeDeadline { deadline: i64, height: u32 },
    #[error("the {contract} contract has no close: only payouts spend its boxes")]
    NoClose { contract: &'static str },
}

/// An epoch to open: its contracts and parameters.
#[derive(Debug, Clone, Copy)]
pub struct Opening<'a> {
    pub contracts: &'a Contracts,
    /// R5: the sum of the scores.
    pub max_score: i32,
    /// R6 of the hardened contract: the height from which the operator may close the epoch
    /// (payouts until then). Not used by the draft.
    pub deadline: u32,
    /// R4 of the reward box: the reward, nanoErg.
    pub reward: u64,
    /// The pool's identity token (the hardened contract needs one).
    pub pool_token: Option<[u8; 32]>,
}

/// A payout to build: the epoch's boxes it spends, its batch, and the script each paid key is
/// the hash of.
#[derive(Clone, Copy)]
pub struct Payout<'a> {
    pub state_box: &'a ErgoBox,
    pub reward_box: &'a ErgoBox,
    pub batch: &'a PayoutBatch,
    pub script_of: &'a dyn Fn(&Key) -> Option<Vec<u8>>,
}

/// Opens an epoch: OUTPUTS(0) the share-state box (R4 the tree, R5 maxScore; for the hardened
/// contract R6 the deadline, and the pool token then the epoch's own token), OUTPUTS(1) the
/// reward box (R4 the reward, value the reward plus [`REWARD_RESERVE`]; for the hardened
/// contract the epoch's token), then fee and change. The epoch's token is minted here, in two
/// units: its id is the id of the first funding input.
pub fn open(
    opening: &Opening,
    state: &mut ShareState,
    funding: &Funding,
    height: u32,
) -> Result<UnsignedTransaction, EpochError> {
    let Opening {
        contracts,
        max_score,
        deadline,
        reward,
        pool_token,
    } = *opening;
    let hardened = contracts.share_state != contracts::draft_share_state();
    let mut state_registers = vec![
        Constant::AvlTree(state.register()).to_bytes(),
        Constant::Int(max_score).to_bytes(),
    ];
    let mut epoch_token = None;
    let (state_tokens, reward_tokens) = match (hardened, pool_token) {
        (true, None) => return Err(EpochError::NoPoolToken),
        (true, Some(id)) => {
            // an epoch closable at once pays no one: refused here, and raised by the audit
            let past = EpochError::PastDeadline {
                deadline: i64::from(deadline),
                height,
            };
            let deadline = i32::try_from(deadline).map_err(|_| past.clone())?;
            if i64::from(deadline) <= i64::from(height) + 1 {
                return Err(past);
            }
            state_registers.push(Constant::Int(deadline).to_bytes());
            let first = funding.inputs.first().ok_or(FundingError::InsufficientFunds {
                available: 0,
                needed: REWARD_RESERVE,
            })?;
            let minted = first.id().0;
            epoch_token = Some(Token { id: minted, amount: 2 });
            (
                vec![Token { id, amount: 1 }, Token { id: minted, amount: 1 }],
                vec![Token { id: minted, amount: 1 }],
            )
        }
        (false, _) => (vec![], vec![]),
    };
    let reward_value = reward.checked_add(REWARD_RESERVE).ok_or(ArithmeticError::Overflow {
        op: '+',
        a: reward as i64,
        b: REWARD_RESERVE as i64,
    })?;
    let initial = i64::try_from(reward).map_err(|_| ArithmeticError::Overflow {
        op: '+',
        a: i64::MAX,
        b: 1,
    })?;
    let state_box = Candidate {
        value: REWARD_RESERVE,
        ergo_tree: contracts.share_state.clone(),
        creation_height: height,
        tokens: state_tokens,
        registers: state_registers,
    };
    let reward_box = Candidate {
        value: reward_value,
        ergo_tree: contracts.reward.clone(),
        creation_height: height,
        tokens: reward_tokens,
        registers: vec![Constant::Long(initial).to_bytes()],
    };
    let outputs = finish(
        &funding.inputs,
        vec![state_box, reward_box],
        funding,
        height,
        epoch_token.as_ref(),
    )?;
    Ok(UnsignedTransaction {
        inputs: funding
            .inputs
            .iter()
            .map(|b| UnsignedInput {
                spent: b.clone(),
                extension: vec![],
            })
            .collect(),
        data_inputs: vec![],
        outputs,
    })
}

/// The operator's close of an epoch: spends the share-state box (no context variables) and,
/// when given, the reward box, everything to the funding's change script. The hardened
/// contract allows it from its deadline height (R6) on: built at `height` (the newest block's)
/// it goes in a later block, which must be at the deadline or past it. The operator signs it. The draft has no close.
pub fn close(
    state_box: &ErgoBox,
    reward_box: Option<&ErgoBox>,
    funding: &Funding,
    height: u32,
) -> Result<UnsignedTransaction, EpochError> {
    let contract = contracts::share_state_contract(&state_box.ergo_tree);
    if !matches!(contract, contracts::ShareStateContract::Hardened { .. }) {
        return Err(EpochError::NoClose {
            contract: contract.name(),
        });
    }
    match hardened::branch(state_box, height.saturating_add(1)) {
        Some(hardened::Branch::Operator) => {}
        _ => {
            return Err(EpochError::BeforeDeadline {
                deadline: hardened::deadline(state_box).map_or(i64::MAX, i64::from),
                height,
            })
        }
    }
    let inputs: Vec<ErgoBox> = [state_box]
        .into_iter()
        .chain(reward_box)
        .chain(&funding.inputs)
        .cloned()
        .collect();
    let outputs = finish(&inputs, vec![], funding, height, None)?;
    Ok(UnsignedTransaction {
        inputs: inputs
            .into_iter()
            .map(|spent| UnsignedInput {
                spent,
                extension: vec![],
            })
            .collect(),
        data_inputs: vec![],
        outputs,
    })
}

/// A payout of `batch`, built at `height` (the newest block's; the payout goes in a later one,
/// so one that would reach the hardened contract's deadline is refused here):
/// INPUTS(0) the share-state box with context variables 0 and 1,
/// INPUTS(1) the reward box, then the fee inputs; OUTPUTS(0) the next share state, OUTPUTS(1)
/// the next reward box, OUTPUTS(2 + i) the payments, then fee and change.
pub fn payout(p: &Payout, funding: &Funding, height: u32) -> Result<UnsignedTransaction, EpochError> {
    let Payout {
        state_box,
        reward_box,
        batch,
        script_of,
    } = *p;
    let tree = match state_box.register(4) {
        Some(Ok(Constant::AvlTree(t))) => t,
        _ => {
            return Err(PostedError::Box {
                what: "share-state",
                detail: "R4 is not an AvlTree".into(),
            }
            .into())
        }
    };
    // from the deadline on the hardened contract takes only the operator's word
    let is_hardened = matches!(
        contracts::share_state_contract(&state_box.ergo_tree),
        contracts::ShareStateContract::Hardened { .. }
    );
    if is_hardened && hardened::branch(state_box, height.saturating_add(1)) == Some(hardened::Branch::Operator) {
        return Err(EpochError::PastDeadline {
            deadline: hardened::deadline(state_box).map_or(0, i64::from),
            height,
        });
    }
    let mut registers = state_box.registers.clone();
    // R4, the tree, is the one register a payout changes
    registers[0] = Constant::AvlTree(AvlTreeData {
        digest: batch.digest_after,
        ..tree
    })
    .to_bytes();
    let total = batch.payments.iter().try_fold(0i64, |z, p| amount::add(z, p.amount))?;
    let total = u64::try_from(total).map_err(|_| ArithmeticError::Overflow {
        op: '+',
        a: total,
        b: 0,
    })?;
    let rest = reward_box
        .value
        .checked_sub(total)
        .ok_or(FundingError::InsufficientFunds {
            available: reward_box.value,
            needed: total,
        })?;
    let mut outputs = vec![
        Candidate {
            value: state_box.value,
            ergo_tree: state_box.ergo_tree.clone(),
            creation_height: height,
            tokens: state_box.tokens.clone(),
            registers,
        },
        Candidate {
            value: rest,
            ergo_tree: reward_box.ergo_tree.clone(),
            creation_height: height,
            tokens: reward_box.tokens.clone(),
            registers: reward_box.registers.clone(),
        },
    ];
    for p in &batch.payments {
        let script = script_of(&p.key).ok_or_else(|| EpochError::UnknownScript {
            key: hex::encode(&p.key),
        })?;
        let value = u64::try_from(p.amount).map_err(|_| ArithmeticError::Overflow {
            op: '*',
            a: p.amount,
            b: 1,
        })?;
        outputs.push(Candidate {
            value,
            ergo_tree: script,
            creation_height: height,
            tokens: vec![],
            registers: vec![],
        });
    }
    let mut spent = vec![state_box.clone(), reward_box.clone()];
    spent.extend(funding.inputs.iter().cloned());
    // the contract boxes' own value and tokens are placed above; only the funding pays the rest
    let outputs = finish(&spent, outputs, funding, height, None)?;
    let mut inputs = vec![
        UnsignedInput {
            spent: state_box.clone(),
            extension: vec![(0, batch.state_updates.to_bytes()), (1, batch.proof.to_bytes())],
        },
        UnsignedInput {
            spent: reward_box.clone(),
            extension: vec![],
        },
    ];
    inputs.extend(funding.inputs.iter().map(|b| UnsignedInput {
        spent: b.clone(),
        extension: vec![],
    }));
    Ok(UnsignedTransaction {
        inputs,
        data_inputs: vec![],
        outputs,
    })
}

/// A payout ready to sign, and what it is made of.
#[derive(Debug, Clone)]
pub struct NextPayout {
    pub transaction: UnsignedTransaction,
    pub batch: PayoutBatch,
    /// Every clause of the contract, checked: all hold.
    pub report: PayoutReport,
}

/// An epoch's parameters as its boxes hold them now: maxScore (the share-state box's R5) and
/// initialValue (the reward box's R4), from which the contract computes every payment.
pub fn parameters(state_box: &ErgoBox, reward_box: &ErgoBox) -> Result<(i32, i64), PostedError> {
    let max_score = match state_box.register(5) {
        Some(Ok(Constant::Int(m))) => m,
        _ => {
            return Err(PostedError::Box {
                what: "share-state",
                detail: "R5 (maxScore) is not an Int".into(),
            })
        }
    };
    let initial = match reward_box.register(4) {
        Some(Ok(Constant::Long(v))) => v,
        _ => {
            return Err(PostedError::Box {
                what: "reward",
                detail: "R4 (initialValue) is not a Long".into(),
            })
        }
    };
    Ok((max_score, initial))
}

/// The payout of `keys` from `state` (the share state of `state_box`, unchanged): proved with
/// the epoch's own maxScore (the state box's R5) and initialValue (the reward box's R4), built,
/// and checked by [`checked_payout`].
pub fn next_payout(
    state: &mut ShareState,
    state_box: &ErgoBox,
    reward_box: &ErgoBox,
    keys: &[Key],
    funding: &Funding,
    height: u32,
) -> Result<NextPayout, EpochError> {
    let (max_score, initial) = parameters(state_box, reward_box)?;
    let batch = prove_payout(state, keys, initial, max_score, false)?;
    let script_of = |k: &Key| state.script(k).map(<[u8]>::to_vec);
    let p = Payout {
        state_box,
        reward_box,
        batch: &batch,
        script_of: &script_of,
    };
    let (transaction, report) = checked_payout(&p, funding, height)?;
    Ok(NextPayout {
        transaction,
        batch,
        report,
    })
}

/// [`payout`], then every clause of the share-state contract checked on it
/// ([`check_payout`], which also knows the hardened contract's own clauses): a
/// payout the contract would refuse is an error, never a transaction to sign. For sigma-rust's
/// evaluation instead, see `evaluated::payout`.
pub fn checked_payout(
    p: &Payout,
    funding: &Funding,
    height: u32,
) -> Result<(UnsignedTransaction, PayoutReport), EpochError> {
    let tx = payout(p, funding, height)?;
    let report = check_payout(&PayoutTransaction::from_unsigned(&tx)?);
    if !report.accepted {
        return Err(EpochError::Refused {
            failing: report.failing(),
        });
    }
    Ok((tx, report))
}
