//! The contracts sharestate knows, as ErgoTrees (compiled by the Fleet compiler into
//! `contracts/contracts.json`; sources beside it), and which one a share-state box runs.
//!
//! The hardened pair is parametrized: the share state by the pool operator's key, the reward
//! box by the hash of the share-state tree. The trees segregate their constants, so a pool's
//! trees are the templates with the placeholder constants replaced, byte for byte.

use crate::encoding::hash::blake2b256;
use crate::encoding::hex;
use crate::ergo::ErgoBox;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;
use thiserror::Error;

const CONTRACTS_JSON: &str = include_str!("../../contracts/contracts.json");

#[derive(Deserialize)]
struct File {
    placeholders: HashMap<String, Placeholder>,
    contracts: HashMap<String, Contract>,
}

#[derive(Deserialize)]
struct Placeholder {
    constant: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Contract {
    ergo_tree: String,
}

struct Compiled {
    trees: HashMap<String, Vec<u8>>,
    placeholders: HashMap<String, Vec<u8>>,
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        // the file is part of this crate, checked by its tests and by CI
        let f: File = serde_json::from_str(CONTRACTS_JSON).unwrap_or(File {
            placeholders: HashMap::new(),
            contracts: HashMap::new(),
        });
        Compiled {
            trees: f
                .contracts
                .into_iter()
                .map(|(k, c)| (k, hex::decode(&c.ergo_tree).unwrap_or_default()))
                .collect(),
            placeholders: f
                .placeholders
                .into_iter()
                .map(|(k, p)| (k, hex::decode(&p.constant).unwrap_or_default()))
                .collect(),
        }
    })
}

fn tree(name: &str) -> Vec<u8> {
    compiled().trees.get(name).cloned().unwrap_or_default()
}

/// A contract parameter that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContractError {
    #[error("the operator key must be a compressed secp256k1 point (33 bytes, 02 or 03 first)")]
    OperatorKey,
    #[error("template {template} does not hold placeholder {placeholder} exactly once")]
    Template {
        template: &'static str,
        placeholder: &'static str,
    },
}

/// Replaces the one occurrence of `placeholder`'s bytes in `template` by `value` (same length).
fn substitute(template_name: &'static str, placeholder: &'static str, value: &[u8]) -> Result<Vec<u8>, ContractError> {
    let template = tree(template_name);
    let p = compiled().placeholders.get(placeholder).cloned().unwrap_or_default();
    let at: Vec<usize> = template
        .windows(p.len().max(1))
        .enumerate()
        .filter(|(_, w)| *w == p.as_slice())
        .map(|(i, _)| i)
        .collect();
    match at.as_slice() {
        [i] if value.len() == p.len() => {
            let mut t = template.clone();
            t[*i..*i + p.len()].copy_from_slice(value);
            Ok(t)
        }
        _ => Err(ContractError::Template {
            template: template_name,
            placeholder,
        }),
    }
}

/// The seed's draft share-state contract, verbatim.
pub fn draft_share_state() -> Vec<u8> {
    tree("share_state_draft")
}

/// The reward box paired with the draft share state.
pub fn draft_reward() -> Vec<u8> {
    tree("reward_draft")
}

/// The hardened share state of a pool whose operator holds `operator_key`.
pub fn hardened_share_state(operator_key: &[u8]) -> Result<Vec<u8>, ContractError> {
    if operator_key.len() != 33 || !matches!(operator_key[0], 2 | 3) {
        return Err(ContractError::OperatorKey);
    }
    let constant = [&[0x08, 0xcd][..], operator_key].concat();
    substitute("share_state", "_operator", &constant)
}

/// The hardened reward box paired with the share-state tree `share_state`.
pub fn hardened_reward(share_state: &[u8]) -> Result<Vec<u8>, ContractError> {
    let constant = [&[0x0e, 0x20][..], &blake2b256(share_state)].concat();
    substitute("reward", "_shareStateHash", &constant)
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
    let template = tree("share_state");
    let p = compiled().placeholders.get("_operator").cloned().unwrap_or_default();
    if let Some(at) = template.windows(p.len().max(1)).position(|w| w == p.as_slice()) {
        let key = at + 2..at + p.len();
        let same_elsewhere = ergo_tree.len() == template.len()
            && ergo_tree[..key.start] == template[..key.start]
            && ergo_tree[key.end..] == template[key.end..];
        if same_elsewhere {
            if let Ok(k) = <[u8; 33]>::try_from(&ergo_tree[key]) {
                if hardened_share_state(&k).as_deref() == Ok(ergo_tree) {
                    return ShareStateContract::Hardened { operator_key: k };
                }
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
        assert_ne!(s, tree("share_state"));
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
