//! What a Design 2 check shows, computed from the walk of the pool's state boxes and what the
//! chain's blocks say of it (no I/O, no DOM): one row per command that touched the miner, the
//! balance owed now and what it rests on, the pool's warnings, totals, CSV.

use crate::model::{erg, thousands, Anchor, Current};
use sharestate::ergo::Id;
use sharestate::persistent::{BalanceStep, BalanceWalk, Command, ContractSet};

/// One command that touched the miner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRow {
    /// The pool's round, counted from the walk's start ([`BalanceWalk::rounds`]): a label.
    pub round: u32,
    pub command: Command,
    pub tx: Id,
    /// The height the source gives the transaction.
    pub height: Option<u32>,
    /// Credited (an Update) or paid (a Payout), nanoErg; 0 for an Insert or a Delete.
    pub amount: i64,
    /// The balance the tree holds for the miner after it (none once deleted, or not 8 bytes).
    pub after: Option<i64>,
    /// The contract sets of its command box and of the state box it spent (none: unknown).
    pub set: ContractSet,
    pub state_set: Option<ContractSet>,
    /// Why it cannot be relied on: the contracts refuse it (the clauses that fail), its id was
    /// not recomputed, or the pool is not the one the list names. None: replayed and accepted.
    pub refused: Option<String>,
    /// The deployed set's weaknesses it used, in words (the move to the hardened set is none).
    pub weaknesses: Vec<String>,
    /// Its transaction in a block of a mined chain, or why not (none: not asked).
    pub anchor: Option<Anchor>,
    /// What a ✓ would also need and was not done (a second source set but not asked).
    pub unasked: Option<String>,
}

impl BalanceRow {
    /// Replayed, accepted, no weakness used, in a block with the confirmations the rules ask,
    /// nothing left unasked.
    pub fn trusted(&self) -> bool {
        self.refused.is_none()
            && self.weaknesses.is_empty()
            && self.anchor.as_ref().is_some_and(Anchor::ok)
            && self.unasked.is_none()
    }

    /// What the row rests on, in words.
    pub fn trust(&self) -> String {
        let state = self
            .state_set
            .map_or("an unknown".to_string(), |s| format!("the {}", s.name()));
        let mut out = format!(
            "{} command's proof replayed against the state box's digest, every clause of the {} command contract and of {state} state box evaluated",
            self.command.name(),
            self.set.name()
        );
        if let Some(why) = &self.refused {
            out += &format!("; not relied on: {why}");
        }
        for w in &self.weaknesses {
            out += &format!("; it used a weakness of the deployed contracts: {w}");
        }
        match &self.anchor {
            Some(a) => out += &format!("; {}", a.describe()),
            None => out += "; not tied to a block",
        }
        if let Some(u) = &self.unasked {
            out += &format!("; {u}");
        }
        out
    }
}

/// How far a figure is verified: ✓, ? or ✗.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Verified,
    Partial,
    Refused,
}

/// The balance owed now: the amount (0 when deleted or never in the tree; none when the walk
/// cannot say), its mark, and what it rests on in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    pub amount: Option<i64>,
    /// Removed from the tree (`Some(true)`), never in it since the walk's start (`Some(false)`).
    pub gone: Option<bool>,
    pub mark: Mark,
    pub why: String,
}

impl Owed {
    pub fn proven(&self) -> bool {
        self.mark == Mark::Verified
    }
}

/// A Design 2 check of one miner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceReport {
    pub rows: Vec<BalanceRow>,
    pub owed: Owed,
    /// The NFT the pool's state box holds (hex), which the list of pools names the pool by.
    pub nft: Option<String>,
    /// The box the walk starts at.
    pub start: Id,
    /// Whether the walk starts at the pool's first state box (where its NFT was minted, its
    /// tree empty), or why that is not shown: the history is whole only from there.
    pub first_state: Result<(), String>,
    /// The last round a command ran on the deployed set, and how many commands used one of
    /// its weaknesses (the move to the hardened set is none).
    pub deployed_until: Option<u32>,
    pub weak_commands: usize,
    /// The pool's current state box, what a proof of the chain's state says of it (none: the
    /// source gave none), and the set it runs (none: no known state box).
    pub tip: Id,
    pub current: Option<Current>,
    pub set_now: Option<ContractSet>,
    /// Commands replayed, and the rounds they make.
    pub commands: usize,
    pub rounds: u32,
    /// Warnings about the pool as a whole: its contracts, and every command that used a
    /// weakness or was refused, each with its round and transaction.
    pub warnings: Vec<String>,
    /// How the walk ended before a state box (why), if it did.
    pub end: Option<String>,
}

fn short(id: &Id) -> String {
    format!("{}…", &id.to_hex()[..12])
}

/// Why a step cannot be relied on, if it cannot: refused by the contracts, or its id not
/// recomputed.
fn refused(s: &BalanceStep) -> Option<String> {
    match (s.report.accepted, s.tx_id_verified) {
        (false, _) => Some(format!("the contracts refuse it ({})", s.report.failing().join(", "))),
        (true, false) => Some("its transaction id was not recomputed from its content".into()),
        (true, true) => None,
    }
}

/// The weaknesses a step used, in words; the pool's move to the hardened set is not one.
fn weaknesses(s: &BalanceStep) -> Vec<String> {
    use sharestate::persistent::Weakness;
    s.report
        .weaknesses
        .iter()
        .filter(|w| !matches!(w, Weakness::NextStateScriptChanged { to_hardened: true, .. }))
        .map(ToString::to_string)
        .collect()
}

/// The transaction that made the walk's tip: the last command's, or (no command) the one that
/// made the first state box; and the height the source gives it.
pub fn tip_maker(walk: &BalanceWalk) -> (Id, Option<u32>) {
    match walk.steps.last() {
        Some(s) => (s.tx_id, s.height),
        None => (walk.start.ergo_box.transaction_id, walk.start.inclusion_height),
    }
}

/// What a check found beyond the walk: the blocks of the transactions asked about, what a
/// proof of the chain's state says of the tip (none: the source gave none), the NFT the list
/// of pools names (hex), whether the walk starts at the pool's first state box, and what a ✓
/// would also need and was not done.
pub struct Found<'a> {
    pub anchors: &'a [(Id, Anchor)],
    pub current: Option<Current>,
    pub named_nft: Option<&'a str>,
    pub first_state: Result<(), String>,
    pub unasked: Option<String>,
}

/// Why `anchor` does not tie transaction `what` to the chain yet (none: it does), with the
/// mark that earns.
fn unanchored(anchor: Option<&Anchor>, what: &str) -> Option<(Mark, String)> {
    match anchor {
        Some(a) if a.ok() => None,
        Some(Anchor::Failed(why)) => Some((Mark::Refused, format!("{what} is not in a block of the chain: {why}"))),
        Some(a) => Some((Mark::Partial, format!("{what}: {}", a.describe()))),
        None => Some((Mark::Partial, format!("{what} is not tied to a block"))),
    }
}

/// The miner `key`'s report from the pool's `walk` and what the check `found`.
pub fn report(walk: &BalanceWalk, key: &[u8], found: Found<'_>) -> BalanceReport {
    let Found {
        anchors,
        current,
        named_nft,
        first_state,
        unasked,
    } = found;
    let anchor_of = |tx: &Id| anchors.iter().find(|a| a.0 == *tx).map(|a| &a.1);
    let rounds = walk.rounds();
    let nft = walk.tip.ergo_box.tokens.first().map(|t| sharestate::hex::encode(&t.id));
    // the list names the pool by its NFT: a state box without it is another pool's
    let foreign = named_nft.filter(|n| Some(n.to_ascii_lowercase()) != nft).map(|named| {
        format!(
            "the pool's state box holds {}, not the NFT {named} the list of pools names",
            nft.as_deref().map_or("no token".to_string(), |n| format!("NFT {n}"))
        )
    });
    let rows: Vec<BalanceRow> = walk
        .history(key)
        .into_iter()
        .map(|h| {
            let s = &walk.steps[h.step];
            BalanceRow {
                round: rounds[h.step],
                command: h.command,
                tx: s.tx_id,
                height: s.height,
                amount: h.amount,
                after: h.after,
                set: s.report.contract.set,
                state_set: s.report.state_set,
                refused: foreign.clone().or_else(|| refused(s)),
                weaknesses: weaknesses(s),
                anchor: anchor_of(&s.tx_id).cloned(),
                unasked: unasked.clone(),
            }
        })
        .collect();
    let owed = owed(
        walk,
        key,
        &rows,
        anchor_of(&tip_maker(walk).0),
        &current,
        &first_state,
        &foreign,
        &unasked,
    );
    let set_now = sharestate::persistent::state_contract(&walk.tip.ergo_box.ergo_tree).map(|c| c.set);
    let mut warnings = vec![];
    if let Some(f) = &foreign {
        warnings.push(format!("Not this pool: {f}. Nothing here is verified."));
    }
    if let Err(why) = &first_state {
        warnings.push(format!(
            "The walk starts at box {}, which is not shown to be the pool's first state box ({why}): commands before it, if any, are not shown.",
            short(&walk.start.id)
        ));
    }
    if set_now == Some(ContractSet::Deployed) {
        warnings.push(
            "The pool runs the deployed contracts, whose weaknesses let its operator take balances: a payout may add outputs, an update may drain the box by a negative delta, and the state may move to another script or leave its NFT behind. The hardened set closes them."
                .to_string(),
        );
    }
    for (i, s) in walk.steps.iter().enumerate() {
        let round = rounds[i];
        for w in weaknesses(s) {
            warnings.push(format!("Round {round}, transaction {}: {w}.", short(&s.tx_id)));
        }
        if let Some(why) = refused(s) {
            warnings.push(format!("Round {round}, transaction {}: {why}.", short(&s.tx_id)));
        }
        if s.report.weaknesses.iter().any(|w| {
            matches!(
                w,
                sharestate::persistent::Weakness::NextStateScriptChanged { to_hardened: true, .. }
            )
        }) {
            warnings.push(format!(
                "Round {round}, transaction {}: the pool moved from the deployed contracts to the hardened set.",
                short(&s.tx_id)
            ));
        }
    }
    let deployed_until = walk
        .steps
        .iter()
        .zip(&rounds)
        .filter(|(s, _)| s.report.contract.set == ContractSet::Deployed)
        .map(|(_, r)| *r)
        .next_back();
    let weak_commands = walk.steps.iter().filter(|s| !weaknesses(s).is_empty()).count();
    BalanceReport {
        rows,
        owed,
        nft,
        start: walk.start.id,
        first_state,
        deployed_until,
        weak_commands,
        tip: walk.tip.id,
        current,
        set_now,
        commands: walk.steps.len(),
        rounds: rounds.last().copied().unwrap_or(0),
        warnings,
        end: walk.end.as_ref().map(|e| e.why.clone()),
    }
}

/// The balance owed now, and how far it is verified: the commands since the miner's last touch
/// (all of them, for a miner never in the tree) replayed and sound, the pool's state box proven
/// unspent by a node's proof of the chain's state, the transaction that made it in a block with
/// the confirmations the rules ask (box ids chain every command back to the walk's start, the
/// miner's last one included), "never in the tree" only from the pool's first state, and
/// nothing a ✓ also needs left undone.
#[allow(clippy::too_many_arguments)]
fn owed(
    walk: &BalanceWalk,
    key: &[u8],
    rows: &[BalanceRow],
    tip_anchor: Option<&Anchor>,
    current: &Option<Current>,
    first_state: &Result<(), String>,
    foreign: &Option<String>,
    unasked: &Option<String>,
) -> Owed {
    let refuse = |why: String| Owed {
        amount: None,
        gone: None,
        mark: Mark::Refused,
        why,
    };
    if let Some(f) = foreign {
        return refuse(format!("unknown: {f}"));
    }
    let last = rows.last();
    let touched = last
        .map(|l| {
            format!(
                "the last command that touched you ({} in round {}, transaction {}) and every one since replayed and sound",
                l.command.name(),
                l.round,
                short(&l.tx)
            )
        })
        .unwrap_or_default();
    let (amount, gone, said) = match (last, walk.owed(key)) {
        (None, _) => match walk.unsound_since(0) {
            None => (
                0,
                Some(false),
                format!("no command of the pool touched your address since box {}, where the walk starts, every command replayed and sound", short(&walk.start.id)),
            ),
            Some(why) => return refuse(format!("unknown: no command touched your address, but {why}")),
        },
        (Some(_), Some(None)) => (0, Some(true), format!("you were removed from the tree: {touched}")),
        (Some(_), Some(Some(a))) => (a, None, touched),
        (Some(l), None) => {
            let since = walk.history(key).last().map_or(0, |h| h.step);
            return refuse(format!(
                "unknown: since the last command that touched you (round {}), {}",
                l.round,
                walk.unsound_since(since)
                    .unwrap_or_else(|| "the tree holds a value for you that is not a balance of 8 bytes".into())
            ));
        }
    };
    let tip = short(&walk.tip.id);
    // the first reason it falls short of a ✓, with the mark that earns
    let short_of = match current {
        Some(Current::Spent { height }) => Some((Mark::Refused, format!(
            "but the node's proof of the chain's state at block {} shows the pool's state box {tip} spent, though the source showed it unspent: the source hides commands",
            thousands(*height)
        ))),
        Some(Current::Unproven(why)) => Some((Mark::Partial, format!(
            "but that box {tip} is the pool's current state is the source's word: its proof failed ({why})"
        ))),
        None => Some((Mark::Partial, format!(
            "but that box {tip} is the pool's current state is the source's word: it gave no proof of the chain's state"
        ))),
        Some(Current::Unspent { .. }) => None,
    }
    .or_else(|| unanchored(tip_anchor, &format!("the transaction that made the pool's state box {tip}")).map(|(m, w)| (m, format!("but {w}"))))
    .or_else(|| match (gone, first_state) {
        (Some(false), Err(why)) => Some((Mark::Partial, format!("but that box is the pool's first state box is the list of pools' word ({why})"))),
        _ => None,
    })
    .or_else(|| unasked.clone().map(|u| (Mark::Partial, format!("but {u}"))));
    let (mark, why) = match (short_of, current) {
        (Some((mark, why)), _) => (mark, format!("{said}; {why}")),
        (None, Some(Current::Unspent { height, time })) => (
            Mark::Verified,
            format!(
                "verified: {said}; the pool's state box {tip} proven unspent by the node's proof of the chain's state at block {} ({}), its header's proof of work checked; the transaction that made it in a block with its confirmations checked",
                thousands(*height),
                crate::model::when(*time)
            ),
        ),
        (None, _) => (Mark::Partial, said),
    };
    Owed {
        amount: Some(amount),
        gone,
        mark,
        why,
    }
}

impl BalanceReport {
    /// Credited and paid nanoErg over the rows with a ✓ (none where a sum would overflow).
    pub fn totals(&self) -> (Option<i64>, Option<i64>) {
        self.rows
            .iter()
            .filter(|r| r.trusted())
            .fold((Some(0i64), Some(0i64)), |(c, p), r| match r.command {
                Command::Update => (c.and_then(|c| c.checked_add(r.amount)), p),
                Command::Payout => (c, p.and_then(|p| p.checked_add(r.amount))),
                _ => (c, p),
            })
    }

    /// Whether what is owed reaches `minimum` nanoErg (none: the balance is unknown).
    pub fn reaches(&self, minimum: i64) -> Option<bool> {
        self.owed.amount.map(|a| a >= minimum)
    }

    /// The table as CSV (RFC 4180), amounts exact in ERG.
    pub fn csv(&self, address: &str) -> String {
        let mut out = String::from("address,round,command,height,amount_erg,balance_erg,transaction,verified\n");
        for r in &self.rows {
            let cells = [
                address.to_string(),
                r.round.to_string(),
                r.command.name().to_string(),
                r.height.map(|h| h.to_string()).unwrap_or_default(),
                erg(r.amount),
                r.after.map(erg).unwrap_or_default(),
                r.tx.to_hex(),
                format!("{}: {}", if r.trusted() { "yes" } else { "no" }, r.trust()),
            ];
            out += &crate::model::csv_line(&cells);
        }
        out
    }

    /// The balance after each row, for the chart: (row, nanoErg), 0 once deleted.
    pub fn balances(&self) -> Vec<(usize, i64)> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i, r.after.unwrap_or(0)))
            .collect()
    }
}

/// A minimum typed in ERG ("0.5", "2") as nanoErg: none unless it is a plain non-negative
/// amount with at most 9 decimals that fits a Long.
pub fn parse_erg(text: &str) -> Option<i64> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 9
        || !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse().ok()?
    };
    whole.checked_mul(1_000_000_000)?.checked_add(frac)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sharestate::ergo::{ChainBox, Constant, ErgoBox, Token};
    use sharestate::persistent::clauses::MinerLine;
    use sharestate::persistent::contracts::CommandContract;
    use sharestate::persistent::{balance_state, BalanceEnd, BalanceStep, CommandReport, PoolContracts, Weakness};

    const NFT: [u8; 32] = [0xee; 32];
    const MINER: [u8; 32] = [9; 32];

    fn in_block(confirmations: u32) -> Anchor {
        Anchor::InBlock {
            height: 100,
            block: Id([1; 32]),
            confirmations,
            needed: 10,
            tip: Some(200),
            network: "devnet",
        }
    }

    /// A hardened pool's state box holding `balances`, made by transaction `by`.
    fn state_box(balances: &[([u8; 32], i64)], by: u8) -> ChainBox {
        let g = sharestate::hex::decode("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798").unwrap();
        let c = PoolContracts::new(ContractSet::Hardened, NFT, &g).unwrap();
        let tree = balance_state(balances.iter().copied()).unwrap().register();
        let b = ErgoBox {
            value: 1_000_000,
            ergo_tree: c.state,
            creation_height: 1,
            tokens: vec![Token { id: NFT, amount: 1 }],
            registers: vec![Constant::AvlTree(tree).to_bytes()],
            transaction_id: Id([by; 32]),
            index: 0,
        };
        ChainBox {
            id: b.id(),
            ergo_box: b,
            spent_transaction_id: None,
            inclusion_height: Some(90),
            address: None,
        }
    }

    /// A walk of one Update crediting MINER 500, made by transaction [2; 32].
    fn walk() -> BalanceWalk {
        let start = state_box(&[(MINER, 0)], 1);
        let tip = state_box(&[(MINER, 500)], 2);
        let line = MinerLine {
            index: 0,
            key: MINER.to_vec(),
            old: Some(0i64.to_be_bytes().to_vec()),
            written: Some(500i64.to_be_bytes().to_vec()),
            delta: Some(500),
            output_index: None,
            paid: None,
            clauses: vec![],
        };
        let step = BalanceStep {
            tx_id: Id([2; 32]),
            tx_id_verified: true,
            height: Some(100),
            timestamp: None,
            from: start.id,
            command_box: Id([3; 32]),
            report: CommandReport {
                contract: CommandContract {
                    set: ContractSet::Hardened,
                    command: Command::Update,
                    pool_nft: NFT,
                },
                state_set: Some(ContractSet::Hardened),
                accepted: true,
                state: vec![],
                clauses: vec![],
                miners: vec![line],
                next_digest: None,
                weaknesses: vec![],
            },
            credit_source: None,
        };
        BalanceWalk {
            start,
            steps: vec![step],
            tip,
            end: None,
        }
    }

    fn unspent() -> Option<Current> {
        Some(Current::Unspent { height: 200, time: 0 })
    }

    /// What a check that found everything sound would give.
    fn found(anchors: &[(Id, Anchor)]) -> Found<'_> {
        Found {
            anchors,
            current: unspent(),
            named_nft: Some("EE".repeat(32).leak()),
            first_state: Ok(()),
            unasked: None,
        }
    }

    #[test]
    fn the_balance_owed_is_verified_with_the_tip_proven_unspent_and_its_commands_final_in_blocks() {
        let w = walk();
        let anchors = [(Id([2; 32]), in_block(11))];
        let r = report(&w, &MINER, found(&anchors));
        assert_eq!(
            (r.owed.amount, r.owed.mark),
            (Some(500), Mark::Verified),
            "{}",
            r.owed.why
        );
        assert!(r
            .owed
            .why
            .starts_with("verified: the last command that touched you (update in round 1"));
        assert!(r.rows[0].trusted() && r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(r.totals(), (Some(500), Some(0)));
    }

    #[test]
    fn each_thing_a_balance_rests_on_that_fails_takes_its_check_mark() {
        let w = walk();
        let ok = [(Id([2; 32]), in_block(11))];
        let failed = [(Id([2; 32]), Anchor::Failed("no proof".into()))];
        let pending = [(Id([2; 32]), in_block(3))];
        let cases: Vec<(Found, Mark, &str)> = vec![
            (
                Found {
                    current: Some(Current::Spent { height: 201 }),
                    ..found(&ok)
                },
                Mark::Refused,
                "the source hides commands",
            ),
            (
                Found {
                    current: None,
                    ..found(&ok)
                },
                Mark::Partial,
                "it gave no proof of the chain's state",
            ),
            (
                Found {
                    current: Some(Current::Unproven("no header".into())),
                    ..found(&ok)
                },
                Mark::Partial,
                "its proof failed (no header)",
            ),
            (found(&[]), Mark::Partial, "is not tied to a block"),
            (
                found(&failed),
                Mark::Refused,
                "is not in a block of the chain: no proof",
            ),
            (found(&pending), Mark::Partial, "not final yet"),
            (
                Found {
                    unasked: Some("not cross-checked".into()),
                    ..found(&ok)
                },
                Mark::Partial,
                "but not cross-checked",
            ),
        ];
        for (f, mark, says) in cases {
            let r = report(&w, &MINER, f);
            assert_eq!(r.owed.mark, mark, "{}", r.owed.why);
            assert!(
                r.owed.why.contains(says) && !r.owed.why.starts_with("verified"),
                "{}",
                r.owed.why
            );
        }
    }

    #[test]
    fn never_in_the_tree_is_verified_only_over_a_sound_walk_from_the_pool_s_first_state() {
        let outsider = [4u8; 32];
        let ok = [(Id([2; 32]), in_block(11))];
        let r = report(&walk(), &outsider, found(&ok));
        assert_eq!(
            (r.owed.amount, r.owed.gone, r.owed.mark),
            (Some(0), Some(false), Mark::Verified),
            "{}",
            r.owed.why
        );
        assert!(r.rows.is_empty());
        // from a box the list of pools says is the first: its word
        let later = report(
            &walk(),
            &outsider,
            Found {
                first_state: Err("not minted there".into()),
                ..found(&ok)
            },
        );
        assert_eq!(later.owed.mark, Mark::Partial);
        assert!(later.owed.why.contains("is the list of pools' word (not minted there)"));
        // a command that used a weakness: the walk cannot say who was never in the tree
        let mut weak = walk();
        weak.steps[0].report.weaknesses = vec![Weakness::PoolTokenNotCarried { token: NFT.to_vec() }];
        let r = report(&weak, &outsider, found(&ok));
        assert_eq!((r.owed.amount, r.owed.mark), (None, Mark::Refused));
        assert!(
            r.owed.why.contains(
                "used a weakness of the deployed contracts: the next state box does not carry the pool's NFT"
            ),
            "{}",
            r.owed.why
        );
        // nor over a command whose id the source did not let us recompute: nor the balance
        let mut unproven = walk();
        unproven.steps[0].tx_id_verified = false;
        for key in [outsider, MINER] {
            let r = report(&unproven, &key, found(&ok));
            assert_eq!((r.owed.amount, r.owed.mark), (None, Mark::Refused), "{}", r.owed.why);
            assert!(r.owed.why.contains("id was not recomputed"), "{}", r.owed.why);
        }
        // nor once the state left its state boxes, nor the miner's balance
        let mut ended = walk();
        ended.end = Some(BalanceEnd {
            tx_id: Id([5; 32]),
            why: "spent by one input".into(),
        });
        for key in [outsider, MINER] {
            let r = report(&ended, &key, found(&ok));
            assert_eq!((r.owed.amount, r.owed.mark), (None, Mark::Refused), "{}", r.owed.why);
            assert!(r.owed.why.contains("left its state boxes"), "{}", r.owed.why);
        }
    }

    #[test]
    fn a_pool_that_is_not_the_one_the_list_names_gets_no_check_mark_anywhere() {
        let ok = [(Id([2; 32]), in_block(11))];
        let other = "ab".repeat(32);
        let r = report(
            &walk(),
            &MINER,
            Found {
                named_nft: Some(&other),
                ..found(&ok)
            },
        );
        assert_eq!((r.owed.amount, r.owed.mark), (None, Mark::Refused));
        assert!(r.rows.iter().all(|row| !row.trusted()));
        assert!(
            r.warnings[0].starts_with("Not this pool: the pool's state box holds NFT eeee"),
            "{:?}",
            r.warnings
        );
        assert_eq!(r.totals(), (Some(0), Some(0)));
    }

    #[test]
    fn a_second_source_set_but_not_asked_keeps_every_row_from_a_check_mark() {
        let ok = [(Id([2; 32]), in_block(11))];
        let r = report(
            &walk(),
            &MINER,
            Found {
                unasked: Some("not cross-checked".into()),
                ..found(&ok)
            },
        );
        assert!(!r.rows[0].trusted() && r.rows[0].trust().ends_with("; not cross-checked"));
    }

    #[test]
    fn a_row_is_trusted_only_replayed_accepted_without_weakness_and_final_in_a_block() {
        let ok = [(Id([2; 32]), in_block(11))];
        let row = || report(&walk(), &MINER, found(&ok)).rows[0].clone();
        assert!(row().trusted());
        let mut refused = row();
        refused.refused = Some("the contracts refuse it (miner 0: paymentIsValid)".into());
        assert!(!refused.trusted() && refused.trust().contains("not relied on: the contracts refuse it"));
        let mut weak = row();
        weak.weaknesses = vec!["a negative delta".into()];
        assert!(
            !weak.trusted()
                && weak
                    .trust()
                    .contains("weakness of the deployed contracts: a negative delta")
        );
        let mut pending = row();
        pending.anchor = Some(in_block(3));
        assert!(!pending.trusted());
    }

    #[test]
    fn the_minimum_is_reached_by_what_is_owed() {
        let ok = [(Id([2; 32]), in_block(11))];
        let r = report(&walk(), &MINER, found(&ok));
        assert_eq!((r.reaches(500), r.reaches(501)), (Some(true), Some(false)));
        let other = "ab".repeat(32);
        let unknown = report(
            &walk(),
            &MINER,
            Found {
                named_nft: Some(&other),
                ..found(&ok)
            },
        );
        assert_eq!(unknown.reaches(0), None);
    }

    #[test]
    fn a_minimum_is_read_in_erg_exactly_or_refused() {
        assert_eq!(parse_erg("0.5"), Some(500_000_000));
        assert_eq!(parse_erg(" 2 "), Some(2_000_000_000));
        assert_eq!(parse_erg(".000000001"), Some(1));
        assert_eq!(parse_erg("9223372036.854775807"), Some(i64::MAX));
        for bad in [
            "",
            ".",
            "-1",
            "1e3",
            "1.0000000001",
            "9223372036.854775808",
            "1,5",
            "0x10",
        ] {
            assert_eq!(parse_erg(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_csv_has_a_line_per_row_with_what_it_rests_on_quoted() {
        let ok = [(Id([2; 32]), in_block(11))];
        let csv = report(&walk(), &MINER, found(&ok)).csv("9fAddr");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        let start = format!(
            "9fAddr,1,update,100,0.000000500,0.000000500,{},\"yes: ",
            Id([2; 32]).to_hex()
        );
        assert!(lines[1].starts_with(&start), "{}", lines[1]);
    }
}
