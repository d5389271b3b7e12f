//! Design 2's contracts, as ErgoTrees (`contracts/persistent/`, compiled into
//! `contracts/contracts.json`): the **deployed set**, restating what Getblok ran on mainnet,
//! and the **hardened set**, which closes its weaknesses with the same context variables,
//! proofs and payments. A pool's trees are the templates with its constants: the pool NFT in
//! each command, the operator's key and the four commands' hashes in the state box, the
//! Update command's hash and the operator's key in a holding box.
//!
//! The deployed trees here are the Fleet compiler's, not byte for byte the ones Getblok's older
//! compiler produced on mainnet; checking a mainnet pool by contract needs its trees recorded.

use crate::encoding::hash::blake2b256;
use crate::persistent::Command;
use crate::pool::contracts::placeholders::{COMMANDHASHES, OPERATOR, POOLNFT, UPDATEHASH};
use crate::pool::contracts::{bytes32_constant, instantiate, operator_constant, parameters, trees, Template};
use crate::pool::ContractError;
use serde::Serialize;

/// Which of Design 2's contract sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContractSet {
    /// As Getblok deployed it, with its weaknesses (`../shared/PROTOCOL.md`).
    Deployed,
    /// sharestate's, closing them.
    Hardened,
}

impl ContractSet {
    /// `deployed` or `hardened`, as the contracts' folders and reports name it.
    pub fn name(self) -> &'static str {
        match self {
            ContractSet::Deployed => "deployed",
            ContractSet::Hardened => "hardened",
        }
    }
}

/// The commands in the order of the state box's list of their hashes.
pub const COMMANDS: [Command; 4] = [Command::Insert, Command::Update, Command::Payout, Command::Delete];

/// The template of the state box (`None`) or of a command, in `set`.
fn template(set: ContractSet, command: Option<Command>) -> &'static Template {
    use trees::*;
    match (set, command) {
        (ContractSet::Deployed, None) => &PERSISTENT_DEPLOYED_BALANCE_STATE,
        (ContractSet::Deployed, Some(Command::Insert)) => &PERSISTENT_DEPLOYED_INSERT,
        (ContractSet::Deployed, Some(Command::Update)) => &PERSISTENT_DEPLOYED_UPDATE,
        (ContractSet::Deployed, Some(Command::Payout)) => &PERSISTENT_DEPLOYED_PAYOUT,
        (ContractSet::Deployed, Some(Command::Delete)) => &PERSISTENT_DEPLOYED_DELETE,
        (ContractSet::Hardened, None) => &PERSISTENT_HARDENED_BALANCE_STATE,
        (ContractSet::Hardened, Some(Command::Insert)) => &PERSISTENT_HARDENED_INSERT,
        (ContractSet::Hardened, Some(Command::Update)) => &PERSISTENT_HARDENED_UPDATE,
        (ContractSet::Hardened, Some(Command::Payout)) => &PERSISTENT_HARDENED_PAYOUT,
        (ContractSet::Hardened, Some(Command::Delete)) => &PERSISTENT_HARDENED_DELETE,
    }
}

impl Command {
    /// Its name, as the contracts' files and reports name it.
    pub fn name(self) -> &'static str {
        match self {
            Command::Insert => "insert",
            Command::Update => "update",
            Command::Payout => "payout",
            Command::Delete => "delete",
        }
    }
}

/// A pool's Design 2 contracts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolContracts {
    pub set: ContractSet,
    pub pool_nft: [u8; 32],
    pub operator_key: [u8; 33],
    /// The state box's tree.
    pub state: Vec<u8>,
    /// The command trees, in [`COMMANDS`]' order.
    pub commands: [Vec<u8>; 4],
    /// A holding box's tree (funds go to this pool's Update command boxes).
    pub holding: Vec<u8>,
}

impl PoolContracts {
    /// The hashes of the command trees, in [`COMMANDS`]' order: what the state box lists.
    pub fn command_hashes(&self) -> [[u8; 32]; 4] {
        self.commands.each_ref().map(|c| blake2b256(c))
    }

    /// The trees of the pool with this NFT and operator, in `set`.
    pub fn new(set: ContractSet, pool_nft: [u8; 32], operator_key: &[u8]) -> Result<PoolContracts, ContractError> {
        let operator = operator_constant(operator_key)?;
        let nft = bytes32_constant(&pool_nft);
        let mut commands: [Vec<u8>; 4] = Default::default();
        for (tree, c) in commands.iter_mut().zip(COMMANDS) {
            *tree = instantiate(template(set, Some(c)), &[(&POOLNFT, &nft)])?;
        }
        let mut hashes = vec![0x1a, 0x04];
        for t in &commands {
            hashes.push(0x20);
            hashes.extend(blake2b256(t));
        }
        let state = instantiate(
            template(set, None),
            &[(&COMMANDHASHES, &hashes), (&OPERATOR, &operator)],
        )?;
        let holding = instantiate(
            &trees::PERSISTENT_HOLDING,
            &[
                (&UPDATEHASH, &bytes32_constant(&blake2b256(&commands[1]))),
                (&OPERATOR, &operator),
            ],
        )?;
        let mut key = [0u8; 33];
        key.copy_from_slice(operator_key);
        Ok(PoolContracts {
            set,
            pool_nft,
            operator_key: key,
            state,
            commands,
            holding,
        })
    }

    /// The tree of `command`.
    pub fn command(&self, command: Command) -> &[u8] {
        &self.commands[COMMANDS.iter().position(|c| *c == command).unwrap_or(0)]
    }
}

/// What a command box's script is: which command, of which set, for which pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandContract {
    pub set: ContractSet,
    pub command: Command,
    #[serde(serialize_with = "crate::encoding::text::hex_bytes")]
    pub pool_nft: [u8; 32],
}

/// Recognizes a command box's script, if it is one of the known commands for some pool NFT.
pub fn command_contract(ergo_tree: &[u8]) -> Option<CommandContract> {
    for set in [ContractSet::Deployed, ContractSet::Hardened] {
        for command in COMMANDS {
            if let Some([nft]) = parameters(template(set, Some(command)), &[&POOLNFT], ergo_tree).as_deref() {
                // a Coll[Byte] of 32 bytes, nothing else in its place
                let pool_nft = <[u8; 32]>::try_from(nft.strip_prefix(&[0x0e, 0x20][..])?).ok()?;
                return Some(CommandContract { set, command, pool_nft });
            }
        }
    }
    None
}

/// A holding box's script's parameters: the hash of the Update command tree it funds, and
/// its operator's key — when the tree is the holding contract's.
pub fn holding_contract(ergo_tree: &[u8]) -> Option<([u8; 32], [u8; 33])> {
    let found = parameters(&trees::PERSISTENT_HOLDING, &[&UPDATEHASH, &OPERATOR], ergo_tree)?;
    let [update, operator] = found.as_slice() else {
        return None;
    };
    let update_hash = <[u8; 32]>::try_from(update.strip_prefix(&[0x0e, 0x20][..])?).ok()?;
    let operator_key = <[u8; 33]>::try_from(operator.get(2..)?).ok()?;
    (operator_constant(&operator_key).ok()? == *operator).then_some((update_hash, operator_key))
}

/// What a state box's script is: which set, its operator and the hashes of the four command
/// trees it accepts (in [`COMMANDS`]' order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateContract {
    pub set: ContractSet,
    pub operator_key: [u8; 33],
    pub command_hashes: [[u8; 32]; 4],
}

/// Recognizes a state box's script.
pub fn state_contract(ergo_tree: &[u8]) -> Option<StateContract> {
    for set in [ContractSet::Deployed, ContractSet::Hardened] {
        let found = parameters(template(set, None), &[&COMMANDHASHES, &OPERATOR], ergo_tree);
        let Some([hashes, operator]) = found.as_deref() else {
            continue;
        };
        // a Coll[Coll[Byte]] of four 32-byte hashes, nothing else in its place
        if hashes.get(..2) != Some(&[0x1a, 0x04][..]) {
            return None;
        }
        let mut command_hashes = [[0u8; 32]; 4];
        for (i, h) in command_hashes.iter_mut().enumerate() {
            let at = 2 + i * 33;
            if hashes.get(at) != Some(&0x20) {
                return None;
            }
            h.copy_from_slice(hashes.get(at + 1..at + 33)?);
        }
        // a ProveDlog of a compressed point's encoding
        let operator_key = <[u8; 33]>::try_from(operator.get(2..)?).ok()?;
        if operator_constant(&operator_key).ok()? != *operator {
            return None;
        }
        return Some(StateContract {
            set,
            operator_key,
            command_hashes,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> [u8; 33] {
        let mut k = [5u8; 33];
        k[0] = 3;
        k
    }

    #[crate::test]
    fn a_pools_trees_are_recognized_with_their_pool_and_set() {
        for set in [ContractSet::Deployed, ContractSet::Hardened] {
            let p = PoolContracts::new(set, [9; 32], &key()).unwrap();
            for c in COMMANDS {
                assert_eq!(
                    command_contract(p.command(c)),
                    Some(CommandContract {
                        set,
                        command: c,
                        pool_nft: [9; 32]
                    })
                );
            }
            let s = state_contract(&p.state).unwrap();
            assert_eq!((s.set, s.operator_key), (set, key()));
            assert_eq!(s.command_hashes[2], blake2b256(p.command(Command::Payout)));
            assert!(p
                .holding
                .windows(32)
                .any(|w| w == blake2b256(p.command(Command::Update))));
            assert_eq!(command_contract(&p.state), None);
            assert_eq!(state_contract(&p.holding), None);
        }
        let d = PoolContracts::new(ContractSet::Deployed, [9; 32], &key()).unwrap();
        let h = PoolContracts::new(ContractSet::Hardened, [9; 32], &key()).unwrap();
        assert_ne!(d.state, h.state);
        assert_eq!(d.holding.len(), h.holding.len());
        assert_ne!(d.holding, h.holding, "each holds its own Update's hash");
        assert_eq!(
            PoolContracts::new(ContractSet::Deployed, [9; 32], &[1; 33]),
            Err(ContractError::OperatorKey)
        );
    }
}
