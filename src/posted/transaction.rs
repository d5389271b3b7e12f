//! A payout transaction as the share-state contract reads it: the share-state box it spends
//! (`SELF`), the reward box, context variables 0 and 1, and the outputs — read from an unsigned
//! transaction or from chain data alike.

use crate::avl::AvlTreeData;
use crate::ergo::{BytePair, Candidate, Constant, ErgoBox, Token, UnsignedTransaction};
use crate::pool::Output;
use crate::posted::PostedError;

/// The share-state box being spent (`SELF`, INPUTS(0)).
#[derive(Debug, Clone)]
pub struct ShareStateInput {
    /// R4.
    pub tree: AvlTreeData,
    /// R5: maxScore.
    pub max_score: i32,
    /// Its script, when known (to see whether OUTPUTS(0) keeps it).
    pub script: Option<Vec<u8>>,
    /// Its tokens (the first is the pool's identity, if it has one).
    pub tokens: Vec<Token>,
    /// Its value, when known.
    pub value: Option<i64>,
    /// R6 of the hardened contract: the height from which the operator may close the epoch.
    pub deadline: Option<i32>,
}

impl ShareStateInput {
    /// The share-state box as the draft contract reads it: R4 and R5 only.
    pub fn new(tree: AvlTreeData, max_score: i32) -> ShareStateInput {
        ShareStateInput {
            tree,
            max_score,
            script: None,
            tokens: vec![],
            value: None,
            deadline: None,
        }
    }
}

/// The reward box (INPUTS(1)).
#[derive(Debug, Clone)]
pub struct RewardInput {
    pub value: i64,
    /// R4: the reward at the start of the epoch.
    pub initial_value: i64,
    pub script: Option<Vec<u8>>,
    pub tokens: Vec<Token>,
}

impl RewardInput {
    /// A reward box of `value` whose R4 is `initial_value`.
    pub fn new(value: i64, initial_value: i64) -> RewardInput {
        RewardInput {
            value,
            initial_value,
            script: None,
            tokens: vec![],
        }
    }
}

/// Everything the draft contract reads from a payout transaction.
#[derive(Debug, Clone)]
pub struct PayoutTransaction {
    pub share_state: ShareStateInput,
    pub reward: RewardInput,
    /// Context variable 0 on INPUTS(0): `(key, score ‖ paid)` per miner paid now.
    pub state_updates: Vec<BytePair>,
    /// Context variable 1 on INPUTS(0): the proof.
    pub proof: Vec<u8>,
    pub outputs: Vec<Output>,
}

impl PayoutTransaction {
    /// Reads a payout from an unsigned transaction: INPUTS(0) the share-state box with its
    /// context variables, INPUTS(1) the reward box.
    pub fn from_unsigned(tx: &UnsignedTransaction) -> Result<PayoutTransaction, PostedError> {
        let [state, reward, ..] = tx.inputs.as_slice() else {
            return Err(PostedError::Box {
                what: "payout",
                detail: "a payout spends the share-state box and the reward box".into(),
            });
        };
        PayoutTransaction::from_parts(&state.spent, &reward.spent, &state.extension, &tx.outputs)
    }

    /// Reads a payout from the boxes it spends, the share-state input's context variables and
    /// the outputs — from an unsigned transaction or from chain data alike.
    pub fn from_parts(
        state_box: &ErgoBox,
        reward_box: &ErgoBox,
        extension: &[(u8, Vec<u8>)],
        outputs: &[Candidate],
    ) -> Result<PayoutTransaction, PostedError> {
        let reg = |b: &ErgoBox, n: u8, what: &'static str| -> Result<Constant, PostedError> {
            match b.register(n) {
                Some(Ok(c)) => Ok(c),
                Some(Err(e)) => Err(PostedError::Box {
                    what,
                    detail: format!("R{n}: {e}"),
                }),
                None => Err(PostedError::Box {
                    what,
                    detail: format!("no R{n}"),
                }),
            }
        };
        let var = |id: u8| -> Result<Constant, PostedError> {
            let bytes = extension
                .iter()
                .find(|(k, _)| *k == id)
                .map(|(_, v)| v)
                .ok_or(PostedError::Box {
                    what: "share-state input",
                    detail: format!("no context variable {id}"),
                })?;
            Ok(Constant::parse(bytes)?)
        };
        let long = |v: u64| {
            i64::try_from(v).map_err(|_| PostedError::Box {
                what: "box",
                detail: format!("value {v} beyond a Long"),
            })
        };
        let outputs = outputs
            .iter()
            .map(|o| {
                Output::from_candidate(o).map_err(|v| PostedError::Box {
                    what: "output",
                    detail: format!("value {v} beyond a Long"),
                })
            })
            .collect::<Result<Vec<_>, PostedError>>()?;
        Ok(PayoutTransaction {
            share_state: ShareStateInput {
                tree: *reg(state_box, 4, "share-state")?.as_avl_tree()?,
                max_score: reg(state_box, 5, "share-state")?.as_int()?,
                script: Some(state_box.ergo_tree.clone()),
                tokens: state_box.tokens.clone(),
                value: Some(long(state_box.value)?),
                deadline: match state_box.register(6) {
                    Some(Ok(c)) => Some(c.as_int()?),
                    _ => None,
                },
            },
            reward: RewardInput {
                value: long(reward_box.value)?,
                initial_value: reg(reward_box, 4, "reward")?.as_long()?,
                script: Some(reward_box.ergo_tree.clone()),
                tokens: reward_box.tokens.clone(),
            },
            state_updates: var(0)?.as_byte_pairs()?.to_vec(),
            proof: var(1)?.as_bytes()?.to_vec(),
            outputs,
        })
    }
}
