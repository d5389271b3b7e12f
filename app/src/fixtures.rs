//! Test fixtures, compiled only for tests (the unit tests, and through the `test-fixtures`
//! feature the browser tests in `tests/`): never part of the app.

use sharestate::ergo::{ChainBox, Constant, ErgoBox, Id};
use sharestate::pool::walk::{Step, Touched, Walk};
use sharestate::posted::{Audit, ShareStateContract};
use sharestate::posted::{Clause, PayoutReport};
use sharestate::{AvlTreeData, Digest};

/// A walk of one share-state box (empty tree, maxScore 1000, at height 77) and no payouts, its
/// reward box unspent.
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
    let reward_box = ChainBox {
        id: Id([2; 32]),
        ..cb.clone()
    };
    Walk {
        start: cb.clone(),
        contract,
        max_score: 1000,
        reward,
        steps: vec![],
        tip: cb,
        end: None,
        reward_box: Some(reward_box),
        epoch_token: Some(Ok(())),
    }
}

/// An audit that found nothing wrong.
pub fn passed() -> Result<Audit, crate::model::NotAudited> {
    Ok(Audit {
        miners: 4,
        unpaid: 4,
        payable: 4,
        dust: 0,
        score_sum: 1000,
        owed: None,
        reward_left: None,
        findings: vec![],
    })
}

/// A payout step of an accepted transaction `tx` that touched `touched` (its report empty).
pub fn test_step(walk: &Walk, tx: Id, touched: Vec<Touched>) -> Step {
    Step {
        tx_id: tx,
        tx_id_verified: true,
        height: Some(78),
        from: walk.tip.id,
        digest_before: walk.tip_digest().unwrap_or(Digest::EMPTY),
        report: PayoutReport {
            accepted: true,
            contract: walk.contract.clone(),
            hardened: vec![],
            get_many: Clause::Holds,
            next_digest: None,
            update: Clause::Holds,
            miners: vec![],
            valid_state_transition: true,
            next_reward_valid: Clause::Holds,
            next_share_state_valid: Clause::Holds,
            total_paid: None,
            weaknesses: vec![],
        },
        touched,
        reward_input: Id([2; 32]),
        reward_followed: Some(true),
    }
}
