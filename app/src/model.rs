//! What the app shows, computed from verified data: no I/O and no DOM here, so all of it is
//! tested natively and in the browser alike.

use serde::Deserialize;
use sharestate::ergo::{ChainBox, Id};
use sharestate::pool::walk::Walk;
use sharestate::posted::audit::{can_be_paid, describe_end, Audit, Finding};
use sharestate::posted::contracts::{share_state_contract, ShareStateContract};
use sharestate::trust::Network;
use sharestate::{hex, Key, ShareValue};

/// A pool the app knows (from `pools.json`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pool {
    pub name: String,
    /// Its identity token (hex), if it has one.
    #[serde(default)]
    pub token: Option<String>,
    /// The base of its proof service (absolute, or relative to the node URL).
    #[serde(default)]
    pub proof_service: Option<String>,
    /// Where a transaction id links to (the id is appended); the public explorer by default.
    #[serde(default)]
    pub explorer: Option<String>,
    /// Design 1 (`posted`, the default) or Design 2 (`persistent`).
    #[serde(default)]
    pub design: Design,
    #[serde(default)]
    pub epochs: Vec<EpochRef>,
    /// Design 2: the pool's NFT (hex), the state box its walk starts from (hex), and the
    /// minimum payout it states (nanoErg, its word: the contracts do not hold it).
    #[serde(default)]
    pub nft: Option<String>,
    #[serde(default)]
    pub start_box: Option<String>,
    #[serde(default)]
    pub minimum_payout: Option<String>,
}

/// Which of the two designs a pool runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Design {
    /// Design 1: one share state per payout epoch.
    #[default]
    Posted,
    /// Design 2: one long-lived tree of balances owed, checked by the app's second module
    /// (`crate::persistent`), loaded when such a pool is checked.
    Persistent,
}

/// Where an epoch starts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EpochRef {
    pub number: usize,
    /// The epoch's first share-state box (hex).
    pub start_box: String,
}

#[derive(Deserialize)]
struct PoolsFile {
    pools: Vec<Pool>,
}

/// The public explorer's transaction page, for links.
pub const EXPLORER: &str = "https://explorer.ergoplatform.com/en/transactions/";

/// `text` as a base for links if it is an http(s) URL or a path on this site; none otherwise
/// (empty, or another scheme such as `javascript:` that a link must never carry).
pub fn link_base(text: &str) -> Option<String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let ok =
        lower.starts_with("https://") || lower.starts_with("http://") || (t.starts_with('/') && !t.starts_with("//"));
    ok.then(|| t.to_string())
}

/// Reads `pools.json`: the pools of both designs.
pub fn parse_pools(json: &str) -> Result<Vec<Pool>, String> {
    serde_json::from_str::<PoolsFile>(json)
        .map(|f| f.pools)
        .map_err(|e| format!("the pools file is not valid: {e}"))
}

/// nanoErg as ERG with all nine decimals (the core's one formatting).
pub use sharestate::pool::erg;

/// `score / max` in millionths, computed in integers (none for a maxScore of 0 or less, or a
/// share beyond what an i64 holds).
pub fn share_ppm(score: i64, max: i32) -> Option<i64> {
    (max > 0)
        .then(|| i64::try_from(score as i128 * 1_000_000 / max as i128).ok())
        .flatten()
}

/// `score / max` as a percentage with four decimals, computed in integers.
pub fn share(score: i64, max: i32) -> String {
    match share_ppm(score, max) {
        Some(ppm) => format!("{}.{:04}%", ppm / 10_000, ppm % 10_000),
        None => "–".into(),
    }
}

/// Whether a miner's figure for an epoch was paid, and by what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paid {
    /// Paid by this transaction at this height.
    Yes { tx: Id, amount: i64, height: Option<u32> },
    /// Not yet: the share state at the tip says unpaid.
    No,
    /// Never: the epoch ended (closed by the operator, or spent otherwise) with this miner
    /// unpaid.
    Never,
    /// The miner is not in this epoch's share state.
    NotInPool,
    /// Nothing verified tells.
    Unknown,
}

impl Paid {
    /// nanoErg paid (0 unless paid).
    pub fn amount(&self) -> i64 {
        match self {
            Paid::Yes { amount, .. } => *amount,
            _ => 0,
        }
    }
}

/// How a key's value at an epoch's tip was proven by the pool's proof service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvenBy {
    /// A lookup proof of the key.
    LookupProof,
    /// The whole state, its digest recomputed (a static proof service has no file for a key
    /// that is not in the state).
    Snapshot,
}

/// A key's value at an epoch's tip, proven (`None`: proven absent) and how; or why not.
pub type Lookup = Result<(Option<Vec<u8>>, ProvenBy), String>;

/// How a row's figures were established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Replayed from the chain: the payout's proof against the digest of the box it spent.
    ByPayout { tx: Id, state_box: Id, height: Option<u32> },
    /// A lookup proof from the pool's proof service, or its snapshot, against the tip's
    /// on-chain digest (`created_by`: the transaction that made the box).
    ByLookup {
        state_box: Id,
        created_by: Id,
        height: Option<u32>,
        by: ProvenBy,
    },
    /// Nothing could be verified; why.
    Failed(String),
}

impl Verified {
    /// The sentence shown beside the mark.
    pub fn describe(&self) -> String {
        let at = |h: &Option<u32>| h.map(|h| format!(" at height {h}")).unwrap_or_default();
        match self {
            Verified::ByPayout { tx, state_box, height } => format!(
                "proof of payout {} replayed against the digest of box {}{}",
                short(tx),
                short(state_box),
                at(height)
            ),
            Verified::ByLookup {
                state_box, height, by, ..
            } => {
                format!(
                    "pool's {} checked against the digest of box {}{}",
                    match by {
                        ProvenBy::LookupProof => "lookup proof",
                        ProvenBy::Snapshot => "snapshot",
                    },
                    short(state_box),
                    at(height)
                )
            }
            Verified::Failed(why) => format!("not verified: {why}"),
        }
    }

    pub fn ok(&self) -> bool {
        !matches!(self, Verified::Failed(_))
    }

    /// The transaction the figures rest on, and the height the source says it is at: the
    /// payout replayed, or the transaction that made the box a lookup was checked against.
    pub fn rests_on(&self) -> Option<(Id, Option<u32>)> {
        match self {
            Verified::ByPayout { tx, height, .. } => Some((*tx, *height)),
            Verified::ByLookup { created_by, height, .. } => Some((*created_by, *height)),
            Verified::Failed(_) => None,
        }
    }
}

/// What a second source said of what a row relies on, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cross {
    /// It agrees: what was compared.
    Agrees(String),
    /// Where the two differ, both answers.
    Differs(String),
    /// What could not be compared (it did not answer): the row is not verified by it.
    Unasked(String),
}

/// How far a row's trust goes beyond the proofs replayed: whether the transaction they rest on
/// is in a block of a chain whose proof of work the browser checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// In block `block` at `height`, its header and `confirmations - 1` headers after it mined
    /// and linked (checked against `network`'s rules); the source's tip at `tip`.
    InBlock {
        height: u32,
        block: Id,
        confirmations: u32,
        /// The confirmations the network's rules ask before a figure is verified (fewer: pending).
        needed: u32,
        tip: Option<u32>,
        network: &'static str,
    },
    /// Refused: the transaction is not shown in a block of a mined chain (why).
    Failed(String),
}

impl Anchor {
    /// The words after the proof's: "transaction in block 1,600,012 (proof of work checked),
    /// 11 confirmations checked, 62 by the source's tip".
    pub fn describe(&self) -> String {
        match self {
            Anchor::InBlock {
                height,
                confirmations,
                needed,
                tip,
                network,
                ..
            } => {
                let counted = tip
                    .map(|t| t.saturating_sub(*height).saturating_add(1))
                    .filter(|c| c > confirmations);
                let pending = match confirmations < needed {
                    true => format!(" — fewer than the {needed} its rules ask: not final yet"),
                    false => String::new(),
                };
                format!(
                    "transaction in block {} (proof of work checked, {network}), {} {} checked{}{pending}",
                    thousands(*height),
                    confirmations,
                    if *confirmations == 1 {
                        "confirmation"
                    } else {
                        "confirmations"
                    },
                    counted
                        .map(|c| format!(", {} by the source's tip", thousands(c)))
                        .unwrap_or_default()
                )
            }
            Anchor::Failed(why) => format!("not in a block of the chain: {why}"),
        }
    }

    pub fn ok(&self) -> bool {
        matches!(self, Anchor::InBlock { confirmations, needed, .. } if confirmations >= needed)
    }
}

/// A block's timestamp (ms since 1970) as "2026-01-07 23:46 UTC" (the proleptic Gregorian
/// calendar, from days since 1970 by H. Hinnant's `civil_from_days`).
pub fn when(ms: u64) -> String {
    let (days, minute) = ((ms / 86_400_000) as i64, (ms % 86_400_000) / 60_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year}-{month:02}-{day:02} {:02}:{:02} UTC", minute / 60, minute % 60)
}

/// 1600012 → "1,600,012".
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the epoch's audit says: whether the parameters the operator chose (maxScore, R6, the
/// reward box) hold up against the whole tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audited {
    Passed,
    /// What is wrong, each saying what it lets the operator do.
    Failed(Vec<String>),
    /// Why the epoch could not be audited.
    Not(String),
    /// Not needed: the miner is proven absent from the epoch, so nothing in it is theirs.
    NotNeeded,
}

/// Why an epoch's tree was not audited, and what the chain alone shows wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAudited {
    pub why: String,
    pub chain: Vec<Finding>,
}

impl From<String> for NotAudited {
    fn from(why: String) -> NotAudited {
        NotAudited { why, chain: vec![] }
    }
}

impl From<&str> for NotAudited {
    fn from(why: &str) -> NotAudited {
        NotAudited::from(why.to_string())
    }
}

impl Audited {
    /// From the core's audit, or why there is none (a failure when even the chain alone shows
    /// something wrong).
    pub fn from_audit(audit: &Result<Audit, NotAudited>) -> Audited {
        match audit {
            Ok(a) if a.passed() => Audited::Passed,
            Ok(a) => Audited::Failed(a.findings.iter().map(|f| f.to_string()).collect()),
            Err(n) if n.chain.is_empty() => Audited::Not(n.why.clone()),
            Err(n) => {
                let mut found: Vec<String> = n.chain.iter().map(|f| f.to_string()).collect();
                found.push(format!("the tree itself is not audited: {}", n.why));
                Audited::Failed(found)
            }
        }
    }
}

fn short(id: &Id) -> String {
    let h = id.to_hex();
    format!("{}…{}", &h[..8], &h[56..])
}

/// One epoch as the miner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub epoch: usize,
    /// `draft`, `hardened` or `unknown`.
    pub contract: &'static str,
    pub score: Option<i64>,
    pub max_score: i32,
    /// The epoch's reward (the reward box's R4).
    pub reward: Option<i64>,
    /// score × reward / maxScore, the contract's arithmetic.
    pub expected: Option<i64>,
    pub paid: Paid,
    pub verified: Verified,
    /// Whether what `verified` rests on is in a mined block (none until checked, and for a row
    /// with nothing verified).
    pub anchor: Option<Anchor>,
    /// What the source to cross-check with said of the same transaction, tip box and block
    /// (none when there is no such source).
    pub cross: Option<Cross>,
    /// The source's word on the tip box: the transaction that spent it, if any.
    pub tip_spent: Option<Id>,
    /// For an unpaid row: whether the box its lookup was checked against is proven unspent
    /// (none where the source proves no such thing).
    pub current: Option<Current>,
    /// What to warn of in this epoch, in words: the contract (draft or unknown), weaknesses a
    /// payout used, empty payouts.
    pub warnings: Vec<String>,
    /// Alarms, in words: the audit's findings, an end with miners unpaid.
    pub alarms: Vec<String>,
    pub audit: Audited,
    /// How the epoch ended, if it did (in words).
    pub end: Option<String>,
    /// The epoch's latest share-state box and digest (a next payout spends it, if unspent).
    pub tip: Option<Id>,
    pub tip_digest: Option<sharestate::Digest>,
    /// R6 of a hardened epoch: the height from which the operator may close it.
    pub deadline: Option<i32>,
    /// Whether a transaction made now lands at or past the deadline (from the source's height,
    /// when known): then only the operator may spend the epoch.
    pub deadline_passed: bool,
    /// Whether the epoch's reward box is known and unspent.
    pub reward_unspent: bool,
}

/// Whether the box an unpaid row's lookup was checked against is still unspent, by a node's
/// proof of its UTXO set against the state root of its last block (that header mined to the
/// network's rules): what "not yet paid" rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Current {
    /// In the UTXO set of block `height`, mined at `time` (ms since 1970).
    Unspent { height: u32, time: u64 },
    /// Proven absent from the UTXO set of block `height`: spent, though the source says not.
    Spent { height: u32 },
    /// The proof was asked for but not had, or did not replay (why).
    Unproven(String),
}

impl Row {
    /// Whether the row's figures are verified and tied to a mined block (and no source to
    /// cross-check with disagrees, nor a proof of the chain's state): what earns a ✓.
    pub fn trusted(&self) -> bool {
        self.verified.ok()
            && self.anchor.as_ref().is_some_and(Anchor::ok)
            && !matches!(self.cross, Some(Cross::Differs(_) | Cross::Unasked(_)))
            && !matches!(self.current, Some(Current::Spent { .. }))
    }

    /// Whether a second source said the same of the tip box (spent or not, and by what).
    pub fn tip_agreed(&self) -> bool {
        matches!(&self.cross, Some(Cross::Agrees(w)) if w.contains("the tip box"))
    }

    /// What the figures rest on, in words: the proof replayed and how far it is tied to the
    /// chain ("proof of payout … replayed …; transaction in block 1,600,012 (proof of work
    /// checked, mainnet), 11 confirmations checked").
    pub fn trust(&self) -> String {
        let cross = match &self.cross {
            Some(Cross::Agrees(words) | Cross::Unasked(words)) => format!("; {words}"),
            Some(Cross::Differs(differs)) => format!("; the sources disagree: {differs}"),
            None => String::new(),
        };
        // "not yet" rests on the tip being unspent: proven by a node, or the source's word (and
        // a second one's)
        let tip_agreed = self.tip_agreed();
        let cross = match (&self.paid, &self.verified, &self.current) {
            (Paid::No, Verified::ByLookup { state_box, .. }, Some(Current::Unspent { height, time })) => format!(
                "{cross}; box {} unspent in the state of block {} (its state root; proof of work checked), mined {}, so not yet paid",
                short(state_box),
                thousands(*height),
                when(*time)
            ),
            (Paid::No, Verified::ByLookup { state_box, .. }, Some(Current::Spent { height })) => format!(
                "{cross}; box {} is not in the state of block {} (its state root; proof of work checked), though the source says unspent: spent since, by a transaction it does not show, or never on this chain",
                short(state_box),
                thousands(*height)
            ),
            (Paid::No, Verified::ByLookup { state_box, .. }, _) if !tip_agreed => format!(
                "{cross}; box {} unspent, so not yet paid, on the source's word ({}a later payout would not show if it lied)",
                short(state_box),
                match &self.current {
                    Some(Current::Unproven(why)) => format!("its proof of the chain's state failed: {why}; "),
                    _ => String::new(),
                }
            ),
            _ => cross,
        };
        match (&self.verified, &self.anchor) {
            (v, Some(a)) if v.ok() => format!("{}; {}{cross}", v.describe(), a.describe()),
            (v, None) if v.ok() => format!("{}; not yet tied to a block{cross}", v.describe()),
            (v, _) => v.describe(),
        }
    }

    /// The miner's share of the epoch's score, in millionths (none without a score).
    pub fn share_ppm(&self) -> Option<i64> {
        self.score.and_then(|s| share_ppm(s, self.max_score))
    }

    /// The miner's share of the epoch's score, as a percentage (none without a score).
    pub fn share(&self) -> Option<String> {
        self.score.map(|s| share(s, self.max_score))
    }

    /// Whether this miner can be paid now by a new payout of the epoch: unpaid, verified and
    /// tied to a mined block (no source disagreeing), on a known contract, the epoch not ended,
    /// its reward box unspent, and (hardened) the deadline not reached.
    pub fn payable(&self) -> bool {
        self.paid == Paid::No
            && self.trusted()
            && self.reward.is_some()
            && self.contract != "unknown"
            && self.end.is_none()
            && self.reward_unspent
            && !self.deadline_passed
    }

    /// The row as of the source's height `now` (the newest block's): past a hardened epoch's
    /// deadline, a miner still unpaid is told that the operator may now take what they are owed,
    /// and no payout is offered.
    pub fn at_height(mut self, now: Option<u32>) -> Row {
        let (Some(d), Some(now)) = (self.deadline, now) else {
            return self;
        };
        // a transaction made now lands in the next block
        self.deadline_passed = i64::from(now) + 1 >= i64::from(d);
        if self.deadline_passed && self.end.is_none() && self.paid == Paid::No {
            let owed = self.expected.map(|e| format!(" ({} ERG)", erg(e))).unwrap_or_default();
            self.alarms.insert(
                0,
                format!("the epoch's deadline, height {d}, has come: the operator may now close it and take what you are owed{owed}"),
            );
        }
        self
    }

    /// A row for an epoch that could not be checked at all: why.
    pub fn failed(epoch: usize, why: String) -> Row {
        Row {
            epoch,
            contract: "–",
            score: None,
            max_score: 0,
            reward: None,
            expected: None,
            paid: Paid::Unknown,
            verified: Verified::Failed(why),
            anchor: None,
            cross: None,
            tip_spent: None,
            current: None,
            warnings: vec![],
            alarms: vec![],
            audit: Audited::Not("the epoch could not be walked".into()),
            end: None,
            tip: None,
            tip_digest: None,
            deadline: None,
            deadline_passed: false,
            reward_unspent: false,
        }
    }
}

/// What a row of an epoch on the seed's draft contract warns of.
const DRAFT_WARNING: &str = "this epoch runs the seed's draft contract, which does not check where the rest of the reward and the next share state go (PROTOCOL.md)";

/// The row of an epoch in which the miner is proven absent from the first state (`start`, of
/// maxScore `max_score`), by a lookup proof or the snapshot (`by`): absent from every later
/// state too, as a payout only updates the keys the tree holds. Nothing of the epoch is the
/// miner's: it is neither walked nor audited.
pub fn absent_row(epoch: usize, start: &ChainBox, max_score: i32, by: ProvenBy) -> Row {
    let contract = share_state_contract(&start.ergo_box.ergo_tree);
    Row {
        contract: contract.name(),
        max_score,
        paid: Paid::NotInPool,
        verified: Verified::ByLookup {
            state_box: start.id,
            created_by: start.ergo_box.transaction_id,
            height: start.inclusion_height,
            by,
        },
        warnings: match contract {
            ShareStateContract::Draft => vec![DRAFT_WARNING.into()],
            _ => vec![],
        },
        audit: Audited::NotNeeded,
        ..Row::failed(epoch, String::new())
    }
}

/// The row of `key` from a walked epoch (at the reward the walk found). `lookup`, for a key no
/// payout touched, is the value a verified lookup proof at the tip returned (`Ok(None)`: proven
/// absent), or why it failed; `audit`, the epoch's audit or why there is none.
pub fn row(epoch: usize, walk: &Walk, key: &Key, lookup: Option<Lookup>, audit: &Result<Audit, NotAudited>) -> Row {
    let contract = walk.contract.name();
    let mut warnings: Vec<String> = walk
        .steps
        .iter()
        .flat_map(|s| {
            s.report
                .weaknesses
                .iter()
                .filter(|w| !matches!(w, sharestate::posted::Weakness::EmptyPayout))
                .map(move |w| format!("payout {}: {}", short(&s.tx_id), weakness(w)))
        })
        .collect();
    match walk.empty_payouts() {
        0 => {}
        n => warnings.push(format!(
            "{n} payouts paid no one: they only moved the share-state box, which anyone can do"
        )),
    }
    match walk.contract {
        ShareStateContract::Draft => warnings.insert(0, DRAFT_WARNING.into()),
        ShareStateContract::Unknown => warnings.insert(
            0,
            "this epoch's share-state box runs an unknown contract, neither the seed's draft nor the hardened one: its rules are not known, so what it pays is not verified and no payout is offered".into(),
        ),
        ShareStateContract::Hardened { .. } => {}
    }
    let audited = Audited::from_audit(audit);
    let mut alarms = match &audited {
        Audited::Failed(findings) => findings.clone(),
        _ => vec![],
    };
    let end = describe_end(walk, audit.as_ref().ok());
    let failed_step = walk.steps.iter().find(|s| !s.report.accepted);
    let unverified_step = walk.steps.iter().find(|s| !s.tx_id_verified);
    let reward = walk.reward;
    // what the contract pays depends on its rules: only for contracts sharestate knows
    let known = walk.contract != ShareStateContract::Unknown;
    let expected = |score: i64| {
        reward
            .filter(|_| known)
            .and_then(|r| sharestate::pool::payout_amount(score, r, walk.max_score).ok())
    };
    let base = Row {
        epoch,
        contract,
        score: None,
        max_score: walk.max_score,
        reward,
        expected: None,
        paid: Paid::Unknown,
        verified: Verified::Failed("not checked".into()),
        anchor: None,
        cross: None,
        tip_spent: walk.tip.spent_transaction_id,
        current: None,
        warnings,
        alarms: vec![],
        audit: audited,
        end: end.clone(),
        tip: Some(walk.tip.id),
        tip_digest: walk.tip_digest(),
        deadline_passed: false,
        deadline: match walk.contract {
            ShareStateContract::Hardened { .. } => sharestate::posted::hardened::deadline(&walk.tip.ergo_box),
            _ => None,
        },
        reward_unspent: walk
            .reward_box
            .as_ref()
            .is_some_and(|r| r.spent_transaction_id.is_none()),
    };
    let failed = |why: String, alarms: Vec<String>| Row {
        verified: Verified::Failed(why),
        alarms,
        ..base.clone()
    };
    if let Some(s) = failed_step {
        return failed(
            format!(
                "payout {} does not satisfy the contract: {}",
                short(&s.tx_id),
                s.report.failing().join(", ")
            ),
            alarms,
        );
    }
    if let Some(s) = unverified_step {
        return failed(
            format!(
                "the source's transaction {} does not recompute its id, so its content is not proven",
                short(&s.tx_id)
            ),
            alarms,
        );
    }
    if let Some((step, t)) = walk.latest(key) {
        let before = match &t.before {
            Some(Ok(v)) => *v,
            Some(Err(e)) => {
                return failed(
                    format!(
                        "the tree's value for your key before payout {} is not a share value: {e}",
                        short(&step.tx_id)
                    ),
                    alarms,
                )
            }
            None => {
                return failed(
                    format!("the proof of payout {} gives no value for your key", short(&step.tx_id)),
                    alarms,
                )
            }
        };
        return Row {
            score: Some(before.score),
            expected: expected(before.score),
            paid: Paid::Yes {
                tx: step.tx_id,
                amount: t.paid.unwrap_or(0),
                height: step.height,
            },
            verified: Verified::ByPayout {
                tx: step.tx_id,
                state_box: step.from,
                height: step.height,
            },
            alarms,
            ..base
        };
    }
    let tip = walk.tip.id;
    let created_by = walk.tip.ergo_box.transaction_id;
    let height = walk.tip.inclusion_height;
    match lookup {
        None => Row { alarms, ..base },
        Some(Err(why)) => failed(why, alarms),
        Some(Ok((None, by))) => Row {
            paid: Paid::NotInPool,
            verified: Verified::ByLookup {
                state_box: tip,
                created_by,
                height,
                by,
            },
            alarms,
            ..base
        },
        Some(Ok((Some(bytes), by))) => match ShareValue::from_bytes(&bytes) {
            // a key the tip's state says is paid must have been paid by a payout the walk saw
            Ok(v) if v.paid => Row {
                score: Some(v.score),
                ..failed(
                    "the share state says paid, but no payout on the chain paid this key".into(),
                    alarms,
                )
            },
            Ok(v) => {
                let mut warnings = base.warnings.clone();
                let paid = if let Some(end) = &end {
                    // owed less than any payout could pay (the core's one rule)
                    let height = walk.tip.ergo_box.creation_height;
                    match expected(v.score) {
                        Some(owed) if !can_be_paid(owed, None, height) => warnings.push(format!(
                            "your payment of {} ERG is below a box's minimum value, so no payout could pay it before the epoch ended",
                            erg(owed)
                        )),
                        _ => alarms.insert(0, format!("you were never paid: the epoch {end}")),
                    }
                    Paid::Never
                } else {
                    Paid::No
                };
                Row {
                    warnings,
                    score: Some(v.score),
                    expected: expected(v.score),
                    paid,
                    verified: Verified::ByLookup {
                        state_box: tip,
                        created_by,
                        height,
                        by,
                    },
                    alarms,
                    ..base
                }
            }
            Err(e) => failed(format!("the proven value is not a share value: {e}"), alarms),
        },
    }
}

fn weakness(w: &sharestate::posted::Weakness) -> String {
    use sharestate::posted::Weakness::*;
    match w {
        EmptyPayout => "it paid no one".into(),
        NextStateScriptChanged { .. } => "the next share state went to another script".into(),
        NextRewardScriptChanged { .. } => "the rest of the reward went to another script".into(),
        RewardInitialValueNotKept { .. } => "the next reward box changed its initial value".into(),
        MaxScoreNotKept { .. } => "the next share state changed maxScore".into(),
        TreeParametersChanged { .. } => "the next share state changed the tree's parameters".into(),
        PoolTokenNotCarried { .. } => "the pool token did not move on".into(),
        ScoreNotFromTree {
            tree_score,
            claimed_score,
            ..
        } => format!("paid on score {claimed_score} where the tree holds {tree_score}"),
        RepeatedKeyUnchecked { unchecked_output, .. } => {
            format!("a repeated key left output {unchecked_output} unchecked")
        }
    }
}

/// Totals over rows: expected and paid nanoErg, over verified rows only (none where a sum
/// would overflow).
pub fn totals(rows: &[Row]) -> (Option<i64>, Option<i64>) {
    rows.iter()
        .filter(|r| r.trusted())
        .fold((Some(0), Some(0)), |(e, p), r| {
            (
                e.and_then(|e| e.checked_add(r.expected.unwrap_or(0))),
                p.and_then(|p| p.checked_add(r.paid.amount())),
            )
        })
}

/// A total in ERG, or why there is none.
pub fn total_erg(total: Option<i64>) -> String {
    total.map_or_else(|| "too large to add up".into(), erg)
}

/// The table as CSV (RFC 4180), amounts exact in ERG.
pub fn csv(address: &str, rows: &[Row]) -> String {
    let mut out = String::from(
        "address,epoch,contract,score,max_score,share,expected_erg,paid,paid_erg,transaction,height,verified\n",
    );
    for r in rows {
        let (paid, amount, tx, height) = match &r.paid {
            Paid::Yes { tx, amount, height } => (
                "yes",
                erg(*amount),
                tx.to_hex(),
                height.map(|h| h.to_string()).unwrap_or_default(),
            ),
            Paid::No => ("no", String::new(), String::new(), String::new()),
            Paid::Never => ("never (epoch ended)", String::new(), String::new(), String::new()),
            Paid::NotInPool => ("not in pool", String::new(), String::new(), String::new()),
            Paid::Unknown => ("unknown", String::new(), String::new(), String::new()),
        };
        let cells = [
            address.to_string(),
            r.epoch.to_string(),
            r.contract.to_string(),
            r.score.map(|s| s.to_string()).unwrap_or_default(),
            r.max_score.to_string(),
            r.share().unwrap_or_default(),
            r.expected.map(erg).unwrap_or_default(),
            paid.to_string(),
            amount,
            tx,
            height,
            r.trust(),
        ];
        out += &csv_line(&cells);
    }
    out
}

/// One CSV line (RFC 4180): cells quoted where they hold a comma, a quote or a line break.
pub fn csv_line(cells: &[String]) -> String {
    let line: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    line.join(",") + "\n"
}

/// `?pool=…&address=…` from the page's query string.
pub fn parse_query(search: &str) -> (Option<String>, Option<String>) {
    let mut pool = None;
    let mut address = None;
    for pair in search.trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match k {
            "pool" if !v.is_empty() => pool = Some(v),
            "address" if !v.is_empty() => address = Some(v),
            _ => {}
        }
    }
    (pool, address)
}

/// The query string for a pool and an address, and the network's rules when not mainnet's.
pub fn query(pool: &str, address: &str, network: &Network) -> String {
    let rules = match network.name {
        "mainnet" => String::new(),
        name => format!("&network={name}"),
    };
    format!(
        "?pool={}&address={}{rules}",
        percent_encode(pool),
        percent_encode(address)
    )
}

/// The proof-of-work rules a query string asks for (`network=devnet|testnet`), else mainnet's.
/// The rules are the page's, never a source's: a source that could choose them could lower the
/// difficulty it must meet; the page says which it applies, and takes others than mainnet's
/// only when served from this machine (`ui::state`).
pub fn parse_network(search: &str) -> &'static Network {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.strip_prefix("network="))
        .find_map(Network::from_name)
        .unwrap_or(&sharestate::trust::MAINNET)
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match hex::decode(&s[i + 1..i + 3]) {
                Ok(v) => {
                    out.extend(v);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{passed, test_step, test_walk};

    #[test]
    fn the_pools_file_lists_the_pools_of_both_designs() {
        let json = r#"{"pools": [
            {"name": "Demo Pool", "design": "posted", "epochs": [{"number": 1, "startBox": "aa"}]},
            {"name": "Old Pool", "epochs": []},
            {"name": "Demo Balance Pool", "design": "persistent", "nft": "bb", "startBox": "cc", "minimumPayout": "500"}
        ]}"#;
        let pools = parse_pools(json).unwrap();
        let designs: Vec<_> = pools.iter().map(|p| (p.name.as_str(), p.design)).collect();
        assert_eq!(
            designs,
            [
                ("Demo Pool", Design::Posted),
                ("Old Pool", Design::Posted),
                ("Demo Balance Pool", Design::Persistent)
            ]
        );
        assert_eq!(
            (pools[2].start_box.as_deref(), pools[2].minimum_payout.as_deref()),
            (Some("cc"), Some("500"))
        );
        assert!(parse_pools(r#"{"pools": [{"name": "X", "design": "other"}]}"#).is_err());
    }

    #[test]
    fn amounts_and_shares_are_exact() {
        assert_eq!(erg(1), "0.000000001");
        assert_eq!(erg(67_500_000_000), "67.500000000");
        assert_eq!(erg(-5), "-0.000000005");
        assert_eq!(erg(i64::MAX), "9223372036.854775807");
        assert_eq!(share(1, 3), "33.3333%");
        assert_eq!(share(2_147_483_647, 2_147_483_647), "100.0000%");
        assert_eq!(share(1, 0), "–");
    }

    #[test]
    fn the_query_string_round_trips() {
        let q = query(
            "Demo Pool & Co",
            "9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA",
            &sharestate::trust::MAINNET,
        );
        assert_eq!(parse_network(&q).name, "mainnet");
        assert_eq!(
            parse_query(&q),
            (
                Some("Demo Pool & Co".into()),
                Some("9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA".into())
            )
        );
        assert_eq!(parse_query("?pool=&address="), (None, None));
        assert_eq!(parse_query("?pool=%zz"), (Some("%zz".into()), None));
        // the rules stay in the link when they are not mainnet's; anything else is mainnet's
        let q = query("p", "a", &sharestate::trust::DEVNET);
        assert!(q.ends_with("&network=devnet"));
        assert_eq!(parse_network(&q).name, "devnet");
        assert_eq!(parse_network("?network=devnet&pool=p").name, "devnet");
        assert_eq!(parse_network("?network=easy").name, "mainnet");
        assert_eq!(parse_network("?pool=p&xnetwork=devnet").name, "mainnet");
    }

    #[test]
    fn block_times_are_dates_in_utc() {
        assert_eq!(when(0), "1970-01-01 00:00 UTC");
        assert_eq!(when(1_767_829_560_000), "2026-01-07 23:46 UTC");
        // a leap day, and the last minute of a century's leap year
        assert_eq!(when(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(when(978_307_199_999), "2000-12-31 23:59 UTC");
        // a source's absurd timestamp neither wraps nor panics
        // (2^64 ms is 584,554,049.25 mean Gregorian years after 1970)
        assert_eq!(when(u64::MAX), "584556019-04-03 14:25 UTC");
    }

    #[test]
    fn a_row_is_trusted_only_when_tied_to_a_mined_block() {
        let w = test_walk(hardened(), Some(1_000_000_000));
        let mut r = row(1, &w, &[9; 32], unpaid_250(), &passed());
        assert!(r.verified.ok());
        assert!(!r.trusted(), "not tied to a block yet");
        assert!(r.trust().contains("; not yet tied to a block"));
        assert_eq!(totals(std::slice::from_ref(&r)), (Some(0), Some(0)));
        r.anchor = Some(Anchor::Failed("its proof of work does not meet its difficulty".into()));
        assert!(!r.trusted());
        r.anchor = Some(Anchor::InBlock {
            height: 1_600_012,
            block: Id([1; 32]),
            confirmations: 11,
            needed: 11,
            tip: Some(1_600_073),
            network: "mainnet",
        });
        assert!(r.trusted());
        assert!(r.trust().contains(
            "transaction in block 1,600,012 (proof of work checked, mainnet), 11 confirmations checked, 62 by the source's tip"
        ));
        // fewer confirmations than the rules ask: pending, not verified
        let mut shallow = r.clone();
        if let Some(Anchor::InBlock { confirmations, .. }) = &mut shallow.anchor {
            *confirmations = 3;
        }
        assert!(!shallow.trusted());
        assert!(shallow.trust().contains(
            "3 confirmations checked, 62 by the source's tip — fewer than the 11 its rules ask: not final yet"
        ));
        // a second source: agreeing keeps the ✓; differing or unasked takes it
        for (cross, trusted) in [
            (Cross::Agrees("the node at x agrees (the block)".into()), true),
            (
                Cross::Differs("box …: this source says unspent, the node at x says spent".into()),
                false,
            ),
            (
                Cross::Unasked("nothing could be compared with the node at x".into()),
                false,
            ),
        ] {
            let c = Row {
                cross: Some(cross),
                ..r.clone()
            };
            assert_eq!(c.trusted(), trusted, "{:?}", c.cross);
        }
        // "not yet" says what it rests on, unless a second source agreed on the tip box
        let unpaid = in_block(row(1, &w, &[9; 32], unpaid_250(), &passed()));
        assert_eq!(unpaid.paid, Paid::No);
        assert!(
            unpaid
                .trust()
                .contains("unspent, so not yet paid, on the source's word"),
            "{}",
            unpaid.trust()
        );
        let agreed = Row {
            cross: Some(Cross::Agrees(
                "the node at x agrees (the transaction, the tip box, the block)".into(),
            )),
            ..unpaid
        };
        assert!(!agreed.trust().contains("on the source's word"), "{}", agreed.trust());
        // … or a node proved the box in the state of its last block
        let proven = Row {
            current: Some(Current::Unspent {
                height: 1_605_073,
                time: 1_767_829_560_000,
            }),
            ..agreed.clone()
        };
        assert!(proven.trusted());
        assert!(
            proven.trust().contains(
                "unspent in the state of block 1,605,073 (its state root; proof of work checked), mined 2026-01-07 23:46 UTC, so not yet paid"
            ),
            "{}",
            proven.trust()
        );
        // proven spent while the source says unspent: no ✓, and the row says the source hides it
        let hidden = Row {
            current: Some(Current::Spent { height: 1_605_073 }),
            ..agreed.clone()
        };
        assert!(!hidden.trusted() && !hidden.payable());
        assert!(
            hidden
                .trust()
                .contains("is not in the state of block 1,605,073 (its state root; proof of work checked), though the source says unspent"),
            "{}",
            hidden.trust()
        );
        let unproven = Row {
            current: Some(Current::Unproven("the node answered 503".into())),
            cross: None,
            ..agreed
        };
        assert!(
            unproven.trust().contains(
                "on the source's word (its proof of the chain's state failed: the node answered 503; a later"
            ),
            "{}",
            unproven.trust()
        );
        // the source's count of confirmations never wraps
        r.anchor = Some(Anchor::InBlock {
            height: 0,
            block: Id([1; 32]),
            confirmations: 11,
            needed: 11,
            tip: Some(u32::MAX),
            network: "mainnet",
        });
        assert!(r.trust().contains("4,294,967,295 by the source's tip"), "{}", r.trust());
        assert_ne!(totals(std::slice::from_ref(&r)).0, Some(0));
    }

    #[test]
    fn rows_from_lookups_say_what_was_verified_and_never_verify_a_failure() {
        let w = test_walk(hardened(), Some(1_000_000_000));
        let key = [9u8; 32];
        let unpaid = row(1, &w, &key, unpaid_250(), &passed());
        assert_eq!(unpaid.score, Some(250));
        assert_eq!(unpaid.expected, Some(250_000_000));
        assert_eq!(unpaid.paid, Paid::No);
        assert!(unpaid.verified.ok());
        assert!(unpaid.verified.describe().contains("at height 77"));

        let absent = row(1, &w, &key, Some(Ok((None, ProvenBy::LookupProof))), &passed());
        assert_eq!(absent.paid, Paid::NotInPool);
        assert!(absent.verified.ok());
        assert!(absent.verified.describe().starts_with("pool's lookup proof checked"));
        // proven by the snapshot (a static proof service has no file for an absent key): said so
        let by_snapshot = row(1, &w, &key, Some(Ok((None, ProvenBy::Snapshot))), &passed());
        assert_eq!(by_snapshot.paid, Paid::NotInPool);
        assert!(by_snapshot
            .verified
            .describe()
            .starts_with("pool's snapshot checked against the digest of box"));

        let bad = row(
            1,
            &w,
            &key,
            Some(Err("the pool's lookup proof fails: digest mismatch".into())),
            &passed(),
        );
        assert!(!bad.verified.ok());
        assert!(bad.verified.describe().starts_with("not verified"));
        assert_eq!(bad.score, None);

        // the tip says paid, but no payout the walk saw paid it: not verified
        let odd = row(
            1,
            &w,
            &key,
            Some(Ok((
                Some(ShareValue { score: 5, paid: true }.to_bytes().to_vec()),
                ProvenBy::LookupProof,
            ))),
            &passed(),
        );
        assert!(!odd.verified.ok());
        assert_eq!(
            totals(&[in_block(unpaid.clone()), bad.clone(), odd]),
            (Some(250_000_000), Some(0))
        );
    }

    #[test]
    fn csv_has_a_line_per_row_and_quotes_what_needs_it() {
        let w = test_walk(hardened(), Some(1_000_000_000));
        let r = row(3, &w, &[9; 32], unpaid_250(), &passed());
        let text = csv("9addr", &[r]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("address,epoch,contract,score"));
        assert!(
            lines[1].starts_with("9addr,3,hardened,250,1000,25.0000%,0.250000000,no,,,,"),
            "{}",
            lines[1]
        );
        assert!(
            lines[1].contains("at height 77; not yet tied to a block; box "),
            "{}",
            lines[1]
        );
        let failed = row(
            4,
            &w,
            &[9; 32],
            Some(Err("no answer, then \"timeout\"".into())),
            &passed(),
        );
        let text = csv("9addr", &[failed]);
        assert!(
            text.lines()
                .nth(1)
                .unwrap()
                .ends_with(",\"not verified: no answer, then \"\"timeout\"\"\""),
            "{text}"
        );
    }

    fn hardened() -> ShareStateContract {
        ShareStateContract::Hardened { operator_key: [2; 33] }
    }

    /// `r` tied to a mined block.
    fn in_block(r: Row) -> Row {
        Row {
            anchor: Some(Anchor::InBlock {
                height: 77,
                block: Id([7; 32]),
                confirmations: 11,
                needed: 11,
                tip: None,
                network: "devnet",
            }),
            ..r
        }
    }

    fn unpaid_250() -> Option<Lookup> {
        Some(Ok((
            Some(ShareValue::unpaid(250).to_bytes().to_vec()),
            ProvenBy::LookupProof,
        )))
    }

    #[test]
    fn a_miner_proven_absent_from_the_first_state_is_not_in_the_epoch_and_needs_no_audit() {
        let w = test_walk(ShareStateContract::Draft, Some(2_000_000_000));
        let r = absent_row(3, &w.start, 700, ProvenBy::LookupProof);
        assert_eq!((r.epoch, r.max_score, r.paid.clone()), (3, 700, Paid::NotInPool));
        assert_eq!(r.audit, Audited::NotNeeded);
        assert!(r.verified.ok() && !r.payable());
        assert!(r
            .verified
            .describe()
            .starts_with("pool's lookup proof checked against the digest of box"));
        // nothing said of how the epoch ended or when it may be closed: it was not walked
        assert_eq!((r.end.clone(), r.deadline, r.tip), (None, None, None));
    }

    #[test]
    fn an_unknown_contract_is_named_its_payment_not_computed_and_never_offered() {
        let w = test_walk(ShareStateContract::Unknown, Some(1_000_000_000));
        let r = row(1, &w, &[9; 32], unpaid_250(), &Err("unknown contract".into()));
        assert_eq!(r.score, Some(250), "the score is proven against the digest");
        assert_eq!(r.expected, None, "what an unknown contract pays is not known");
        assert!(r.warnings[0].contains("unknown contract"), "{:?}", r.warnings);
        assert!(!r.payable());
        assert_eq!(r.audit, Audited::Not("unknown contract".into()));
        // the same row on the hardened contract is payable
        let w = test_walk(hardened(), Some(1_000_000_000));
        let r = row(1, &w, &[9; 32], unpaid_250(), &passed());
        assert!(!r.payable(), "not before it is tied to a block");
        let r = in_block(r);
        assert!(r.payable());
        // nor when a second source disagrees
        assert!(!Row {
            cross: Some(Cross::Differs(
                "box …: this source says unspent, the node says spent".into()
            )),
            ..r
        }
        .payable());
    }

    #[test]
    fn a_malformed_old_value_or_an_unproven_transaction_fails_the_row() {
        use sharestate::pool::walk::Touched;
        let mut w = test_walk(hardened(), Some(1_000_000_000));
        let key = [9u8; 32];
        let twenty = vec![0u8; 20];
        w.steps.push(test_step(
            &w,
            Id([0xaa; 32]),
            vec![Touched {
                key: key.to_vec(),
                before: Some(ShareValue::from_bytes(&twenty)),
                after: Ok(ShareValue { score: 0, paid: true }),
                paid: Some(0),
            }],
        ));
        let r = row(1, &w, &key, None, &passed());
        assert!(!r.verified.ok());
        assert!(
            r.verified.describe().contains("is not a share value"),
            "{}",
            r.verified.describe()
        );
        assert_eq!((r.score, r.expected), (None, None));
        // a paid byte of 2 in the tree
        let mut two = ShareValue::unpaid(5).to_bytes();
        two[8] = 2;
        w.steps[0].touched[0].before = Some(ShareValue::from_bytes(&two));
        assert!(!row(1, &w, &key, None, &passed()).verified.ok());
        // an honest value, but the transaction's id did not recompute
        w.steps[0].touched[0].before = Some(Ok(ShareValue::unpaid(5)));
        assert!(row(1, &w, &key, None, &passed()).verified.ok());
        w.steps[0].tx_id_verified = false;
        let r = row(1, &w, &key, None, &passed());
        assert!(
            r.verified.describe().contains("does not recompute its id"),
            "{}",
            r.verified.describe()
        );
    }

    #[test]
    fn an_epoch_closed_with_the_miner_unpaid_is_an_alarm_and_never_payable() {
        use sharestate::pool::walk::{End, EndKind};
        let mut w = test_walk(hardened(), Some(1_000_000_000));
        w.end = Some(End {
            tx_id: Id([0xcc; 32]),
            tx_id_verified: true,
            height: Some(90),
            kind: EndKind::Closed,
            reward_left: Some(250_000_000),
        });
        let r = row(1, &w, &[9; 32], unpaid_250(), &passed());
        assert_eq!(r.paid, Paid::Never);
        assert!(!r.payable());
        assert!(r.verified.ok(), "the score is still proven");
        assert_eq!(
            r.alarms[0],
            "you were never paid: the epoch closed by the operator at height 90; 0.250000000 ERG left in the reward box; 4 miners were unpaid"
        );
    }

    #[test]
    fn past_the_deadline_an_unpaid_miner_is_warned_and_offered_no_payout() {
        let w = test_walk(hardened(), Some(1_000_000_000));
        let mut r = in_block(row(1, &w, &[9; 32], unpaid_250(), &passed()));
        assert!(r.payable());
        r.deadline = Some(100);
        // built at 98 a payout lands at 99, before the deadline
        let before = r.clone().at_height(Some(98));
        assert!(before.payable() && before.alarms.is_empty());
        let after = r.clone().at_height(Some(99));
        assert!(!after.payable());
        assert_eq!(
            after.alarms,
            vec!["the epoch's deadline, height 100, has come: the operator may now close it and take what you are owed (0.250000000 ERG)".to_string()]
        );
        // without the source's height nothing is said either way
        assert!(r.at_height(None).payable());
    }

    #[test]
    fn a_failed_audit_is_an_alarm_and_no_audit_is_said() {
        let w = test_walk(hardened(), Some(1_000_000_000));
        let mut audit = passed().unwrap();
        audit.findings.push(sharestate::posted::Finding::Deadline {
            deadline: Some(1_000_010),
            opened: Some(1_000_000),
            payable: Some(1811),
            owed: Some(123_400_000_000),
        });
        let r = row(1, &w, &[9; 32], unpaid_250(), &Ok(audit));
        assert_eq!(
            r.alarms,
            vec!["can close early: 123.400000000 ERG owed to 1811 unpaid miners — the operator may close the epoch from height 1000010, 10 blocks after it opened (the audit asks for at least 5040, a week)".to_string()]
        );
        assert!(matches!(r.audit, Audited::Failed(_)));
        let r = row(
            1,
            &w,
            &[9; 32],
            unpaid_250(),
            &Err("the pool serves no snapshot".into()),
        );
        assert_eq!(r.audit, Audited::Not("the pool serves no snapshot".into()));
        assert!(r.alarms.is_empty());
    }

    #[test]
    fn links_carry_only_http_urls_or_paths_of_this_site() {
        assert_eq!(link_base(" https://x.org/tx/ "), Some("https://x.org/tx/".into()));
        assert_eq!(link_base("HTTP://x/"), Some("HTTP://x/".into()));
        assert_eq!(link_base("/api/v1/transactions/"), Some("/api/v1/transactions/".into()));
        for bad in [
            "",
            "javascript:alert(1)//",
            "JavaScript:x",
            "data:text/html,x",
            "//evil.org/",
            "ftp://x/",
        ] {
            assert_eq!(link_base(bad), None, "{bad}");
        }
    }

    #[test]
    fn no_snapshot_does_not_hide_what_the_chain_alone_shows() {
        let w = test_walk(hardened(), Some(1_000_000_000));
        let hidden = NotAudited {
            why: "no snapshot from the pool's proof service: not found".into(),
            chain: vec![Finding::RewardNotPositive { r4: 0 }],
        };
        let r = row(1, &w, &[9; 32], unpaid_250(), &Err(hidden));
        let Audited::Failed(found) = &r.audit else {
            panic!("{:?}", r.audit)
        };
        assert!(found[0].contains("nobody is paid"), "{found:?}");
        assert!(
            found[1].starts_with("the tree itself is not audited: no snapshot"),
            "{found:?}"
        );
        assert_eq!(&r.alarms, found);
    }

    #[test]
    fn totals_and_shares_never_wrap() {
        let w = test_walk(hardened(), Some(1_000_000_000));
        let mut a = in_block(row(1, &w, &[9; 32], unpaid_250(), &passed()));
        a.expected = Some(i64::MAX);
        let b = a.clone();
        assert_eq!(totals(&[a, b]).0, None);
        assert_eq!(total_erg(None), "too large to add up");
        assert_eq!(share_ppm(i64::MAX, 1), None);
        assert_eq!(share_ppm(1, 1), Some(1_000_000));
    }
}
