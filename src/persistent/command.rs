//! Design 2's transactions, built as the contracts demand: the pool's first state box (its NFT
//! minted), command boxes, a holding box's rewards sent to Update command boxes, and each
//! command's transaction — INPUTS(0) the state box, INPUTS(1) the command box carrying the
//! context variables, OUTPUTS(0) the next state box, a Payout's payments from OUTPUTS(1), then
//! the fee and the change. These are unsigned; the `interpreter` feature evaluates them before
//! anyone signs them (`super::evaluated`).

use crate::avl::{AvlTreeData, Key, ShareState};
use crate::encoding::hex;
use crate::ergo::funding::finish;
use crate::ergo::{Candidate, Constant, ErgoBox, Funding, Token, UnsignedInput, UnsignedTransaction};
use crate::persistent::{Command, PersistentError, PoolContracts, ProvedCommand};

fn inputs(boxes: impl IntoIterator<Item = ErgoBox>) -> Vec<UnsignedInput> {
    boxes
        .into_iter()
        .map(|spent| UnsignedInput {
            spent,
            extension: vec![],
        })
        .collect()
}

fn plain(value: u64, ergo_tree: Vec<u8>, height: u32) -> Candidate {
    Candidate {
        value,
        ergo_tree,
        creation_height: height,
        tokens: vec![],
        registers: vec![],
    }
}

/// The pool's first state box: `contracts.state`, R4 the tree of `state`, the pool NFT minted
/// in one unit (its id is the first funding input's, as `contracts` must have been made with),
/// value `reserve` (what pays for the state box's own floor and the deployed set's fee margin).
pub fn genesis(
    contracts: &PoolContracts,
    state: &mut ShareState,
    reserve: u64,
    funding: &Funding,
    height: u32,
) -> Result<UnsignedTransaction, PersistentError> {
    let first = funding.inputs.first().ok_or(PersistentError::Box {
        what: "funding",
        detail: "no input, so no id to mint the pool NFT with".into(),
    })?;
    if first.id().0 != contracts.pool_nft {
        return Err(PersistentError::Box {
            what: "funding",
            detail: format!(
                "the first input's id {} is not the contracts' pool NFT {}",
                first.id(),
                hex::encode(&contracts.pool_nft)
            ),
        });
    }
    let nft = Token {
        id: contracts.pool_nft,
        amount: 1,
    };
    let state_box = Candidate {
        value: reserve,
        ergo_tree: contracts.state.clone(),
        creation_height: height,
        tokens: vec![nft.clone()],
        registers: vec![Constant::AvlTree(state.register()).to_bytes()],
    };
    let outputs = finish(&funding.inputs, vec![state_box], funding, height, Some(&nft))?;
    Ok(UnsignedTransaction {
        inputs: inputs(funding.inputs.iter().cloned()),
        data_inputs: vec![],
        outputs,
    })
}

/// Boxes of these scripts and values, no registers, paid by `funding`: the pool's command
/// boxes (a contract's `command` tree) and holding boxes (its `holding` tree).
pub fn boxes(boxes: &[(&[u8], u64)], funding: &Funding, height: u32) -> Result<UnsignedTransaction, PersistentError> {
    let outputs = boxes.iter().map(|(t, v)| plain(*v, t.to_vec(), height)).collect();
    let outputs = finish(&funding.inputs, outputs, funding, height, None)?;
    Ok(UnsignedTransaction {
        inputs: inputs(funding.inputs.iter().cloned()),
        data_inputs: vec![],
        outputs,
    })
}

/// Spends holding boxes into Update command boxes of `values` (in ERG; the holding contract
/// lets their sum differ from the holding boxes' by under 1%), `funding` paying the fee.
pub fn distribute(
    contracts: &PoolContracts,
    holding: &[ErgoBox],
    values: &[u64],
    funding: &Funding,
    height: u32,
) -> Result<UnsignedTransaction, PersistentError> {
    let update = contracts.command(Command::Update).to_vec();
    let outputs = values.iter().map(|v| plain(*v, update.clone(), height)).collect();
    let spent: Vec<ErgoBox> = holding.iter().chain(&funding.inputs).cloned().collect();
    let outputs = finish(&spent, outputs, funding, height, None)?;
    Ok(UnsignedTransaction {
        inputs: inputs(spent),
        data_inputs: vec![],
        outputs,
    })
}

/// A command's transaction: spends `state_box` and `command_box` (with `proved`'s context
/// variables), makes the next state box (R4's digest moved on, value changed by the credits or
/// the payments), a Payout's payments to the scripts `script_of` gives, then `funding`'s fee and
/// change; the command box's value pays towards them (and an Update's credits). The next state
/// box keeps the state's script, or takes `next_script`: a pool moving from the deployed set,
/// which lets a command move the state anywhere, to the hardened set (same pool NFT).
pub fn command(
    proved: &ProvedCommand,
    state_box: &ErgoBox,
    command_box: &ErgoBox,
    next_script: Option<&[u8]>,
    script_of: &dyn Fn(&Key) -> Option<Vec<u8>>,
    funding: &Funding,
    height: u32,
) -> Result<UnsignedTransaction, PersistentError> {
    let tree = match state_box.register(4) {
        Some(Ok(Constant::AvlTree(t))) => t,
        _ => {
            return Err(PersistentError::Box {
                what: "state",
                detail: "R4 is not an AvlTree".into(),
            })
        }
    };
    if tree.digest != proved.digest_before {
        return Err(PersistentError::Box {
            what: "state",
            detail: format!(
                "R4 has digest {}, the command was proved from {}",
                tree.digest, proved.digest_before
            ),
        });
    }
    let value =
        u64::try_from(i128::from(state_box.value) + proved.value_change()).map_err(|_| PersistentError::Box {
            what: "state",
            detail: format!(
                "its value {} cannot change by {}",
                state_box.value,
                proved.value_change()
            ),
        })?;
    let mut registers = state_box.registers.clone();
    registers[0] = Constant::AvlTree(AvlTreeData {
        digest: proved.digest_after,
        ..tree
    })
    .to_bytes();
    let mut outputs = vec![Candidate {
        value,
        ergo_tree: next_script.map_or_else(|| state_box.ergo_tree.clone(), <[u8]>::to_vec),
        creation_height: height,
        tokens: state_box.tokens.clone(),
        registers,
    }];
    for (key, owed) in proved.payments() {
        let script = script_of(&key).ok_or_else(|| PersistentError::UnknownScript { key: hex::encode(&key) })?;
        // a balance proved from the tree is never negative
        outputs.push(plain(owed.unsigned_abs(), script, height));
    }
    let mut spent = vec![state_box.clone(), command_box.clone()];
    spent.extend(funding.inputs.iter().cloned());
    let outputs = finish(&spent, outputs, funding, height, None)?;
    let mut ins = inputs(spent);
    ins[1].extension = proved.extension();
    Ok(UnsignedTransaction {
        inputs: ins,
        data_inputs: vec![],
        outputs,
    })
}
