//! Design 1's contracts, as ErgoTrees (compiled by the Fleet compiler into
//! `contracts/contracts.json`, sources beside it; read by [`crate::pool::contracts`]), and which
//! one a share-state box runs.
//!
//! The hardened pair is parametrized: the share state by the pool operator's key, the reward
//! box by the hash of the share-state tree. The trees segregate their constants, so a pool's
//! trees are the templates with the placeholder constants replaced, byte for byte.

use crate::encoding::hash::blake2b256;
use crate::ergo::ErgoBox;
use crate::pool::contracts::placeholders::{OPERATOR, SHARESTATEHASH};
use crate::pool::contracts::trees::{REWARD, REWARD_DRAFT, SHARE_STATE, SHARE_STATE_DRAFT};
pub use crate::pool::contracts::ContractError;
use crate::pool::contracts::{bytes32_constant, instantiate, operator_constant, parameters};

/// The seed's draft share-state contract, verbatim.
pub fn draft_share_state() -> Vec<u8> {
    SHARE_STATE_DRAFT.tree.to_vec()
}

/// The reward box paired with the draft share state.
pub fn draft_reward() -> Vec<u8> {
    REWARD_DRAFT.tree.to_vec()
}

/// The hardened share state of a pool whose operator holds `operator_key`.
pub fn hardened_share_state(operator_key: &[u8]) -> Result<Vec<u8>, ContractError> {
    instantiate(&SHARE_STATE, &[(&OPERATOR, &operator_constant(operator_key)?)])
}

/// The hardened reward box paired with the share-state tree `share_state`.
pub fn hardened_reward(share_state: &[u8]) -> Result<Vec<u8>, ContractError> {
    instantiate(
        &REWARD,
        &[(&SHARESTATEHASH, &bytes32_constant(&blake2b256(share_state)))],
    )
}

/// Which contract a share-state box runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareStateContract {
    /// The seed's draft, with its weaknesses (PROTOCOL.md).
    Draft,
    /// The hardened contract of the operator with this key.
    Hardened { operator_key: [u8; 33] },
    /// Another script: sharestate can check the payout clauses but not what the script adds.
    Unknown,
}

impl ShareStateContract {
    /// `draft`, `hardened` or `unknown`, as reports and views name it.
    pub fn name(&self) -> &'static str {
        match self {
            ShareStateContract::Draft => "draft",
            ShareStateContract::Hardened { .. } => "hardened",
            ShareStateContract::Unknown => "unknown",
        }
    }
}

/// In JSON: its name.
impl serde::Serialize for ShareStateContract {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Whether `reward` is a reward box of the share-state box `state` running `contract`: the
/// contract's reward script (for the hardened pair, the one bound to `state`'s script) and, for
/// the hardened pair, holding first the epoch's token that `state` holds second — what the
/// hardened reward script demands of the state box spent with it. Never for an unknown contract.
pub fn is_reward_box_of(contract: &ShareStateContract, state: &ErgoBox, reward: &ErgoBox) -> bool {
    let script = match contract {
        ShareStateContract::Draft => Some(draft_reward()),
        ShareStateContract::Hardened { .. } => hardened_reward(&state.ergo_tree).ok(),
        ShareStateContract::Unknown => None,
    };
    let holds_epoch_token = match (contract, state.tokens.get(1)) {
        (ShareStateContract::Hardened { .. }, Some(t)) => reward.tokens.first().map(|r| r.id) == Some(t.id),
        (ShareStateContract::Hardened { .. }, None) => false,
        _ => true,
    };
    script.as_deref() == Some(reward.ergo_tree.as_slice()) && holds_epoch_token
}

/// Recognizes the contract of a share-state box from its ErgoTree.
pub fn share_state_contract(ergo_tree: &[u8]) -> ShareStateContract {
    if ergo_tree == draft_share_state().as_slice() {
        return ShareStateContract::Draft;
    }
    if let Some([operator]) = parameters(&SHARE_STATE, &[&OPERATOR], ergo_tree).as_deref() {
        if let Ok(operator_key) = <[u8; 33]>::try_from(&operator[2..]) {
            if hardened_share_state(&operator_key).as_deref() == Ok(ergo_tree) {
                return ShareStateContract::Hardened { operator_key };
            }
        }
    }
    ShareStateContract::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn the_draft_is_the_281_byte_tree_and_its_reward_box_pins_it() {
        let d = draft_share_state();
        assert_eq!(d.len(), 281);
        let r = draft_reward();
        let hash = blake2b256(&d);
        assert!(r.windows(32).any(|w| w == hash));
        assert_eq!(share_state_contract(&d), ShareStateContract::Draft);
    }

    #[crate::test]
    fn hardened_trees_take_the_operator_and_are_recognized() {
        let key = {
            let mut k = [3u8; 33];
            k[0] = 2;
            k
        };
        let s = hardened_share_state(&key).unwrap();
        assert_ne!(s, SHARE_STATE.tree);
        assert_eq!(
            share_state_contract(&s),
            ShareStateContract::Hardened { operator_key: key }
        );
        let r = hardened_reward(&s).unwrap();
        assert!(r.windows(32).any(|w| w == blake2b256(&s)));
        assert_eq!(hardened_share_state(&[4; 33]), Err(ContractError::OperatorKey));
        assert_eq!(share_state_contract(&[0x10, 0x01, 0x01]), ShareStateContract::Unknown);
    }
}
