//! **An epoch's audit**: what the pool operator chose when opening the epoch — maxScore (R5),
//! the hardened contract's deadline (R6) and epoch token, the reward box — checked against the
//! epoch's whole share state and the walk's view of its reward box.
//!
//! The contract checks each payout, but it cannot see the whole tree: it trusts R5 and R6 as
//! the operator wrote them, and an epoch token minted as the opening chose. A deadline (R6)
//! soon after the opening lets the operator close the epoch (and take the reward box) before
//! miners could be paid; a maxScore other than the sum of the scores pays every miner the
//! wrong amount and leaves the last ones unpaid or the rest to the operator; an epoch token
//! that other boxes hold lets them spend the reward; a reward box that holds less than is owed,
//! runs another script, or was spent outside the epoch's payouts cannot pay what the tree
//! promises. The audit reads the share state from the pool's snapshot, which it checks against
//! the tip's on-chain digest first.
//!
//! A miner owed less than a box's minimum value cannot be paid on chain (no output may hold so
//! little): such "dust" miners stay unpaid; the audit counts as payable every miner whose
//! payment meets the floor as a payout's first payment (output 2), taking the shortest script
//! for a key whose script the snapshot does not give. [`audit_chain`] is what can be told
//! without the snapshot.

use crate::avl::{AvlTreeData, Digest, Key, ShareState};
use crate::encoding::hex;
use crate::ergo::{min_plain_box_value, ChainBox, Constant, Id};
use crate::pool::amount::{erg, payout_amount};
use crate::pool::walk::{EndKind, Walk};
use crate::pool::{ShareValue, ValueError};
use crate::posted::contracts::is_reward_box_of;
use crate::posted::prove::FIRST_PAYMENT;
use crate::posted::{hardened, ShareStateContract};
use thiserror::Error;

/// The fewest blocks between an epoch's opening and its deadline (R6) that the audit accepts:
/// a week of two-minute blocks, for miners to see they are owed and make the payout themselves
/// if the pool does not.
pub const MIN_CLAIM_WINDOW: u32 = 5_040;

/// Why an epoch could not be audited.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuditError {
    #[error("the share-state box {box_id} holds no tree digest")]
    NoDigest { box_id: String },
    #[error("the snapshot's digest is {found}, the share-state box's is {expected}: it is not this epoch's state")]
    NotTheState { expected: Digest, found: Digest },
    #[error("the share-state box runs an unknown contract: its rules cannot be audited")]
    UnknownContract,
}

/// What the audit found wrong, each with what it lets the operator (or anyone) do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Entries of the tree that are not share values (9 bytes, paid byte 0 or 1): the first
    /// of them and why.
    Malformed { count: usize, key: Key, error: ValueError },
    /// maxScore is not the sum of the scores.
    MaxScore { max_score: i32, sum: i128 },
    /// The hardened contract's deadline (R6, `None` when missing) comes fewer than
    /// [`MIN_CLAIM_WINDOW`] blocks after the epoch opened (at `opened`, when the source gives a
    /// height no earlier than the box's own creation height). `payable` and `owed` are known
    /// when the tree is (the chain alone tells the window).
    Deadline {
        deadline: Option<i32>,
        opened: Option<u32>,
        payable: Option<usize>,
        owed: Option<i128>,
    },
    /// The hardened epoch's own token is not as the contract assumes (minted by the opening in
    /// two units, one in the share-state box and one in the reward box): why.
    EpochToken { why: String },
    /// Miners whose payment overflows the contract's arithmetic: no payout can pay them.
    Overflowing { count: usize, key: Key },
    /// The epoch's reward (R4 of its reward box) is not positive: nobody is paid.
    RewardNotPositive { r4: i64 },
    /// A payout used `count` weaknesses of the draft contract (see its report).
    WeaknessUsed { tx: Id, count: usize },
    /// The walk cannot tell which box is the epoch's reward box (its opening not proven, no
    /// payout yet).
    RewardUnknown,
    /// The reward box does not run the reward script of this share state, or lacks the epoch's
    /// token.
    RewardScript { box_id: Id },
    /// The reward box holds less than the miners still unpaid are owed.
    RewardShort { box_id: Id, value: u64, owed: i128 },
    /// The reward box was spent by a transaction that is neither a payout of this epoch nor
    /// the spend that ended it.
    RewardSpent { box_id: Id, by: Option<Id> },
    /// A payout spent another reward box than the epoch's own (or the walk could not show that
    /// it is the epoch's own).
    ForeignReward { tx: Id, spent: Id },
    /// The epoch ended while miners were unpaid.
    EndedUnpaid {
        tx: Id,
        height: Option<u32>,
        unpaid: usize,
        owed: Option<i128>,
    },
}

/// An amount as ERG, or in nanoErg beyond what an i64 holds.
fn nano(n: i128) -> String {
    i64::try_from(n).map_or_else(|_| format!("{n} nanoErg"), |v| format!("{} ERG", erg(v)))
}

fn short(id: &Id) -> String {
    let h = id.to_hex();
    format!("{}…", &h[..12])
}

fn owed_to(owed: Option<i128>, miners: usize) -> String {
    match owed {
        Some(o) => format!("{} owed to {miners} unpaid miners", nano(o)),
        None => format!("{miners} miners unpaid"),
    }
}

/// What unpaid miners are owed, as far as it is known (not at all without the tree).
fn owed_if_known(owed: Option<i128>, miners: Option<usize>) -> String {
    match miners {
        Some(m) => format!("{} — ", owed_to(owed, m)),
        None => String::new(),
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Malformed { count, key, error } => write!(
                f,
                "{count} entries of the tree are not share values (the first, key {}: {error})",
                hex::encode(key)
            ),
            Finding::MaxScore { max_score, sum } => write!(
                f,
                "maxScore (R5) is {max_score} but the scores sum to {sum}: every payment is computed wrong{}",
                if i128::from(*max_score) < *sum {
                    ", and the reward runs out before the last miners are paid"
                } else {
                    ", and the rest of the reward is left to the operator"
                }
            ),
            Finding::Deadline {
                deadline,
                opened,
                payable,
                owed,
            } => match (deadline, opened) {
                (None, _) => write!(
                    f,
                    "the share-state box has no deadline (R6): the hardened contract refuses every spend, the reward stays locked"
                ),
                (Some(d), Some(o)) => write!(
                    f,
                    "can close early: {}the operator may close the epoch from height {d}, {} blocks after it opened (the audit asks for at least {MIN_CLAIM_WINDOW}, a week)",
                    owed_if_known(*owed, *payable),
                    i64::from(*d) - i64::from(*o)
                ),
                (Some(d), None) => write!(
                    f,
                    "{}the operator may close the epoch from height {d}, and the source gives no credible height for its opening: how long miners have to be paid cannot be told",
                    owed_if_known(*owed, *payable)
                ),
            },
            Finding::EpochToken { why } => write!(
                f,
                "the epoch's own token is not shown to be as the contract needs it, so other boxes may spend the reward: {why}"
            ),
            Finding::Overflowing { count, key } => write!(
                f,
                "{count} miners are owed more than the contract's arithmetic can compute (the first, key {}): no payout can pay them",
                hex::encode(key)
            ),
            Finding::RewardNotPositive { r4 } => {
                write!(f, "the epoch's reward (R4) is {r4} nanoErg: nobody is paid")
            }
            Finding::WeaknessUsed { tx, count } => write!(
                f,
                "payout {} used {count} weaknesses of the draft contract: the boxes it left are not the ones audited",
                short(tx)
            ),
            Finding::RewardUnknown => write!(
                f,
                "the epoch's reward box is not known (its opening is not proven and no payout shows it)"
            ),
            Finding::RewardScript { box_id } => write!(
                f,
                "the reward box {} does not run this epoch's reward script with the epoch's token: it may be spent without paying miners",
                short(box_id)
            ),
            Finding::RewardShort { box_id, value, owed } => write!(
                f,
                "the reward box {} holds {}, less than the {} still owed",
                short(box_id),
                nano(*value as i128),
                nano(*owed)
            ),
            Finding::RewardSpent { box_id, by } => write!(
                f,
                "the reward box {} was spent {}outside this epoch's payouts",
                short(box_id),
                by.map(|t| format!("by {} ", short(&t))).unwrap_or_default()
            ),
            Finding::ForeignReward { tx, spent } => write!(
                f,
                "payout {} spent reward box {}, not one shown to be this epoch's",
                short(tx),
                short(spent)
            ),
            Finding::EndedUnpaid {
                tx,
                height,
                unpaid,
                owed,
            } => write!(
                f,
                "the epoch ended (transaction {}{}) with {}",
                short(tx),
                height.map(|h| format!(" at height {h}")).unwrap_or_default(),
                owed_to(*owed, *unpaid)
            ),
        }
    }
}

/// An epoch's audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// Miners in the tree, and how many are still unpaid: of these, how many a payout can pay,
    /// and how many are owed less than even a payout's first output may hold.
    pub miners: usize,
    pub unpaid: usize,
    pub payable: usize,
    pub dust: usize,
    /// The sum of the scores.
    pub score_sum: i128,
    /// What the unpaid miners a payout can pay are owed at the epoch's reward and maxScore,
    /// nanoErg (none when the reward is unknown).
    pub owed: Option<i128>,
    /// What the reward box holds now, if it is known and unspent.
    pub reward_left: Option<u64>,
    /// Empty when the epoch passes.
    pub findings: Vec<Finding>,
}

impl Audit {
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }
}

fn tree_of(b: &ChainBox) -> Option<AvlTreeData> {
    match b.ergo_box.register(4) {
        Some(Ok(Constant::AvlTree(t))) => Some(t),
        _ => None,
    }
}

/// The shortest script a miner's key could be the hash of (an ErgoTree has at least a header
/// byte): the floor of a key whose script the snapshot does not give is taken for it, so that
/// a miner is never counted as too small to pay because the pool left out their script.
const MIN_SCRIPT_LEN: usize = 1;

/// Whether a payout could pay `amount` nanoErg to a script of `script_len` bytes (the shortest
/// script when not known) at `height`: whether it meets the box floor as a payout's first
/// payment. The one rule of what a miner can be paid, for the audit and for the views.
pub fn can_be_paid(amount: i64, script_len: Option<usize>, height: u32) -> bool {
    amount >= min_plain_box_value(script_len.unwrap_or(MIN_SCRIPT_LEN), height, FIRST_PAYMENT)
}

/// What the audit can tell from the chain alone, without the tree: the reward (R4) positive,
/// the hardened epoch's deadline at least [`MIN_CLAIM_WINDOW`] blocks after its opening, its
/// token minted as the contract assumes, the reward box the epoch's own at
/// every payout, with its script and the epoch's token, unspent or spent by the epoch's end, and
/// no weakness of the draft used by a payout.
pub fn audit_chain(walk: &Walk) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(r4) = walk.reward.filter(|r| *r <= 0) {
        findings.push(Finding::RewardNotPositive { r4 });
    }
    for s in &walk.steps {
        if s.reward_followed != Some(true) {
            findings.push(Finding::ForeignReward {
                tx: s.tx_id,
                spent: s.reward_input,
            });
        }
        let used = s
            .report
            .weaknesses
            .iter()
            .filter(|w| !matches!(w, crate::posted::Weakness::EmptyPayout))
            .count();
        if used > 0 {
            findings.push(Finding::WeaknessUsed {
                tx: s.tx_id,
                count: used,
            });
        }
    }
    if let ShareStateContract::Hardened { .. } = walk.contract {
        match &walk.epoch_token {
            Some(Ok(())) => {}
            Some(Err(why)) => findings.push(Finding::EpochToken { why: why.clone() }),
            None => findings.push(Finding::EpochToken {
                why: "the epoch's opening was not read".into(),
            }),
        }
        // the window from the opening to the deadline: an inclusion height below the box's own
        // creation height is impossible on chain, so no height at all
        let deadline = hardened::deadline(&walk.tip.ergo_box);
        let opened = walk
            .start
            .inclusion_height
            .filter(|h| *h >= walk.start.ergo_box.creation_height);
        let window_ok = matches!(
            (deadline, opened),
            (Some(d), Some(o)) if i64::from(d) - i64::from(o) >= i64::from(MIN_CLAIM_WINDOW)
        );
        if !window_ok {
            findings.push(Finding::Deadline {
                deadline,
                opened,
                payable: None,
                owed: None,
            });
        }
    }
    match &walk.reward_box {
        None => findings.push(Finding::RewardUnknown),
        Some(r) => {
            if !is_reward_box_of(&walk.contract, &walk.start.ergo_box, &r.ergo_box) {
                findings.push(Finding::RewardScript { box_id: r.id });
            }
            // spent only by the spend that ended the epoch, and only if that spend took it
            let ended_by = walk.end.as_ref().filter(|e| e.reward_left.is_some()).map(|e| e.tx_id);
            match r.spent_transaction_id {
                None => {}
                Some(by) if Some(by) == ended_by => {}
                by => findings.push(Finding::RewardSpent { box_id: r.id, by }),
            }
        }
    }
    findings
}

/// Audits the epoch `walk` walked, from `snapshot`, the share state at its tip: what
/// [`audit_chain`] finds, and the tree against maxScore, R6 and the reward box's value.
pub fn audit(walk: &Walk, snapshot: &mut ShareState) -> Result<Audit, AuditError> {
    if walk.contract == ShareStateContract::Unknown {
        return Err(AuditError::UnknownContract);
    }
    let tip = tree_of(&walk.tip).ok_or_else(|| AuditError::NoDigest {
        box_id: walk.tip.id.to_hex(),
    })?;
    let found = snapshot.digest();
    if found != tip.digest {
        return Err(AuditError::NotTheState {
            expected: tip.digest,
            found,
        });
    }
    let mut findings = Vec::new();

    // the tree: scores summed, unpaid miners counted (payable, or owed less than even a
    // payout's first output may hold) and what the payable ones are owed
    let height = walk.tip.ergo_box.creation_height;
    let mut malformed: Option<(usize, Key, ValueError)> = None;
    let mut overflowing: Option<(usize, Key)> = None;
    let (mut miners, mut unpaid, mut score_sum, mut owed) = (0usize, 0usize, 0i128, Some(0i128));
    let (mut payable, mut dust) = (0usize, 0usize);
    for (key, bytes) in snapshot.entries() {
        miners += 1;
        let v = match ShareValue::from_bytes(bytes) {
            Ok(v) => v,
            Err(error) => {
                match &mut malformed {
                    Some((n, ..)) => *n += 1,
                    None => malformed = Some((1, key, error)),
                }
                continue;
            }
        };
        score_sum += i128::from(v.score);
        if v.paid {
            continue;
        }
        unpaid += 1;
        let Some(reward) = walk.reward else {
            owed = None;
            payable += 1;
            continue;
        };
        match payout_amount(v.score, reward, walk.max_score) {
            Ok(a) => {
                if can_be_paid(a, snapshot.script(&key).map(<[u8]>::len), height) {
                    payable += 1;
                    owed = owed.map(|o| o + i128::from(a));
                } else {
                    dust += 1;
                }
            }
            // the contract throws for this miner: no payout can ever pay them
            Err(_) => match &mut overflowing {
                Some((n, _)) => *n += 1,
                None => overflowing = Some((1, key)),
            },
        }
    }
    if let Some((count, key, error)) = malformed {
        findings.push(Finding::Malformed { count, key, error });
    }
    if let Some((count, key)) = overflowing {
        findings.push(Finding::Overflowing { count, key });
    }
    if i128::from(walk.max_score) != score_sum {
        findings.push(Finding::MaxScore {
            max_score: walk.max_score,
            sum: score_sum,
        });
    }
    // the chain's findings, the deadline's now with what the tree says is owed
    findings.extend(audit_chain(walk).into_iter().map(|f| match f {
        Finding::Deadline { deadline, opened, .. } => Finding::Deadline {
            deadline,
            opened,
            payable: Some(payable),
            owed,
        },
        other => other,
    }));
    let reward_left = walk
        .reward_box
        .as_ref()
        .filter(|r| r.spent_transaction_id.is_none())
        .map(|r| r.ergo_box.value);
    if let (Some(r), Some(value), Some(o)) = (&walk.reward_box, reward_left, owed) {
        if i128::from(value) < o {
            findings.push(Finding::RewardShort {
                box_id: r.id,
                value,
                owed: o,
            });
        }
    }
    if let Some(end) = &walk.end {
        if payable > 0 {
            findings.push(Finding::EndedUnpaid {
                tx: end.tx_id,
                height: end.height,
                unpaid: payable,
                owed,
            });
        }
    }
    Ok(Audit {
        miners,
        unpaid,
        payable,
        dust,
        score_sum,
        owed,
        reward_left,
        findings,
    })
}

/// The sentence for how an epoch ended, if it did: "closed by the operator at height H; R ERG
/// left; N miners were unpaid" (N from the audit, when there is one).
pub fn describe_end(walk: &Walk, audit: Option<&Audit>) -> Option<String> {
    let end = walk.end.as_ref()?;
    let at = end.height.map(|h| format!(" at height {h}")).unwrap_or_default();
    let how = match &end.kind {
        EndKind::Closed => format!("closed by the operator{at}"),
        EndKind::Other(why) => format!("ended{at} by a spend that is not a payout ({why})"),
    };
    let left = end
        .reward_left
        .map(|l| format!("; {} left in the reward box", nano(l as i128)))
        .unwrap_or_default();
    let unpaid = match audit.map(|a| (a.payable, a.dust)) {
        Some((n, 0)) => format!("; {n} miners were unpaid"),
        Some((n, small)) => {
            format!("; {n} miners were unpaid (and {small} owed less than a box may hold)")
        }
        None => String::new(),
    };
    Some(format!("{how}{left}{unpaid}"))
}

#[cfg(test)]
mod tests;
