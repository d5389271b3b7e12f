//! The trees and payout both benchmark harnesses measure (criterion natively, `benches/wasm`
//! under Node), so that their figures are of the same work. Included by `#[path]`.

use sharestate::hash::blake2b256;
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
