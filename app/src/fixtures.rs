//! Test fixtures, compiled only for tests (the unit tests, and through the `test-fixtures`
//! feature the browser tests in `tests/`): never part of the app.

use sharestate::ergo::{ChainBox, Constant, ErgoBox, Id};
use sharestate::pool::walk::Walk;
use sharestate::posted::ShareStateContract;
use sharestate::{AvlTreeData, Digest};

/// A walk of one share-state box (empty tree, maxScore 1000, at height 77) and no payouts.
pub fn test_walk(contract: ShareStateContract, reward: Option<i64>) -> Walk {
    let tree = AvlTreeData::share_state(Digest::EMPTY);
    let b = ErgoBox {
        value: 1,
        ergo_tree: vec![0x10],
        creation_height: 1,
        tokens: vec![],
        registers: vec![Constant::AvlTree(tree).to_bytes(), Constant::Int(1000).to_bytes()],
        transaction_id: Id([1; 32]),
        index: 0,
    };
    let cb = ChainBox {
        id: b.id(),
        ergo_box: b,
        spent_transaction_id: None,
        inclusion_height: Some(77),
        address: None,
    };
    Walk {
        start: cb.clone(),
        contract,
        max_score: 1000,
        reward,
        steps: vec![],
        tip: cb,
    }
}
