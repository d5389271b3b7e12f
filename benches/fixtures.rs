//! The trees and payout both benchmark harnesses measure (criterion natively, `benches/wasm`
//! under Node), so that their figures are of the same work. Included by `#[path]`.

use sharestate::encoding::hash::blake2b256;
use sharestate::{ShareState, ShareValue};

/// The epoch reward: 67.5 ERG.
pub const REWARD: i64 = 67_500_000_000;

/// Miner i's script: a P2PK ErgoTree around a seeded 33-byte key.
pub fn script(i: u64) -> Vec<u8> {
    let mut s = vec![0x00, 0x08, 0xcd, 0x02];
    s.extend_from_slice(&blake2b256(&i.to_be_bytes()));
    s
}

/// `n` miners with scores 1,000 + 37·(i mod 50,000), keyed by their scripts' hashes, the
/// scripts of the first 10,000 recorded; and maxScore (the sum, capped to an Int).
pub fn state(n: u64) -> (ShareState, i32) {
    let mut s = ShareState::from_entries((0..n).map(|i| {
        (
            blake2b256(&script(i)),
            ShareValue::unpaid(1000 + (i as i64 % 50_000) * 37).to_bytes().to_vec(),
        )
    }))
    .unwrap();
    for i in 0..n.min(10_000) {
        s.set_script(blake2b256(&script(i)), script(i)).unwrap();
    }
    let max = s
        .entries()
        .iter()
        .map(|(_, v)| ShareValue::from_bytes(v).unwrap().score)
        .sum::<i64>();
    (s, max.min(i32::MAX as i64) as i32)
}

/// A draft epoch of `miners` opened, and the payout of its first `paid` keys (ascending) as the
/// chain sees it: the transaction both harnesses check, and the batch it carries.
pub fn payout(miners: u64, paid: usize) -> (sharestate::posted::PayoutTransaction, sharestate::posted::PayoutBatch) {
    use sharestate::ergo::{ErgoBox, Id};
    use sharestate::posted::epoch::{self, Contracts, Funding, Opening, Payout};
    use sharestate::posted::{self, PayoutTransaction};
    let (mut s, max_score) = state(miners);
    let pool = script(u64::MAX);
    let funding = |seed: u8, value: u64| Funding {
        inputs: vec![ErgoBox {
            value,
            ergo_tree: pool.clone(),
            creation_height: 1_000_000,
            tokens: vec![],
            registers: vec![],
            transaction_id: Id([seed; 32]),
            index: 0,
        }],
        change_tree: pool.clone(),
        fee: 1_100_000,
    };
    let open = epoch::open(
        &Opening {
            contracts: &Contracts::draft(),
            max_score,
            deadline: 0, // the draft has no deadline
            reward: REWARD as u64,
            pool_token: None,
        },
        &mut s,
        &funding(1, 2 * REWARD as u64),
        1_000_001,
    )
    .unwrap();
    let boxes = open.transaction().output_boxes();
    let keys: Vec<[u8; 32]> = s.keys().into_iter().take(paid).collect();
    let batch = posted::prove_payout(&mut s, &keys, REWARD, max_score, false).unwrap();
    let by_key: std::collections::HashMap<[u8; 32], Vec<u8>> =
        (0..miners).map(|i| (blake2b256(&script(i)), script(i))).collect();
    let tx = epoch::payout(
        &Payout {
            state_box: &boxes[0],
            reward_box: &boxes[1],
            batch: &batch,
            script_of: &|k| by_key.get(k).cloned(),
        },
        &funding(2, 10_000_000),
        1_000_002,
    )
    .unwrap();
    let tx = PayoutTransaction::from_unsigned(&tx).unwrap();
    assert!(posted::check_payout(&tx).accepted);
    (tx, batch)
}

/// A Design 2 pool of `miners` (the hardened set), each owed 0.1 ERG + i nanoErg, and the
/// commands of one round crediting all of them: returns the state before the round, the
/// round's credits, and the first Update and first Payout of the round as the chain sees them
/// (with each command's proof sizes, for the record).
pub fn balance_round(
    miners: u64,
) -> (
    ShareState,
    Vec<([u8; 32], i64)>,
    sharestate::persistent::CommandTransaction,
    sharestate::persistent::CommandTransaction,
) {
    use sharestate::ergo::{ErgoBox, Funding, Id, Token};
    use sharestate::persistent::{
        balance_state, command, plan_round, prove_command, Batch, CommandTransaction, ContractSet, PoolContracts,
    };
    let pool = script(u64::MAX);
    let s = balance_state((0..miners).map(|i| (blake2b256(&script(i)), 100_000_000 + i as i64))).unwrap();
    let credits: Vec<([u8; 32], i64)> = (0..miners)
        .map(|i| (blake2b256(&script(i)), 6_750_000 + (i as i64 % 1000)))
        .collect();
    let contracts = PoolContracts::new(ContractSet::Hardened, [7; 32], &pool[3..]).unwrap();
    let state = s.clone();
    let state_box = ErgoBox {
        value: 1_000_000_000_000_000,
        ergo_tree: contracts.state.clone(),
        creation_height: 1_000_000,
        tokens: vec![Token { id: [7; 32], amount: 1 }],
        registers: vec![sharestate::Constant::AvlTree(state.clone().register()).to_bytes()],
        transaction_id: Id([3; 32]),
        index: 0,
    };
    let plan = plan_round(&state, &credits, &|_| 100_500_000, 150).unwrap();
    let by_key: std::collections::HashMap<[u8; 32], Vec<u8>> =
        (0..miners).map(|i| (blake2b256(&script(i)), script(i))).collect();
    let first = |kind: fn(&Batch) -> bool| -> CommandTransaction {
        let mut st = state.clone();
        // the round up to the first batch of this kind, then that batch
        for b in &plan.batches {
            let proved = prove_command(&mut st, b).unwrap();
            if kind(b) {
                let mut sb = state_box.clone();
                sb.registers[0] = sharestate::Constant::AvlTree(sharestate::AvlTreeData {
                    digest: proved.digest_before,
                    ..sharestate::AvlTreeData::share_state(proved.digest_before)
                })
                .to_bytes();
                let command_box = ErgoBox {
                    value: 2_000_000_000_000,
                    ergo_tree: contracts.command(b.command()).to_vec(),
                    creation_height: 1_000_000,
                    tokens: vec![],
                    registers: vec![],
                    transaction_id: Id([4; 32]),
                    index: 0,
                };
                let funding = Funding {
                    inputs: vec![],
                    change_tree: pool.clone(),
                    fee: 1_100_000,
                };
                let tx = command::command(
                    &proved,
                    &sb,
                    &command_box,
                    None,
                    &|k| by_key.get(k).cloned(),
                    &funding,
                    1_000_001,
                )
                .unwrap();
                return CommandTransaction::from_unsigned(&tx).unwrap();
            }
        }
        panic!("no such batch")
    };
    let update = first(|b| matches!(b, Batch::Update(_)));
    let payout = first(|b| matches!(b, Batch::Payout(_)));
    (s, credits, update, payout)
}
