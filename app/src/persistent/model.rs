//! What a Design 2 check shows, computed from the walk of the pool's state boxes and what the
//! chain's blocks say of it (no I/O, no DOM): one row per command that touched the miner, the
//! balance owed now and what it rests on, the pool's warnings, totals, CSV.

use crate::model::{erg, thousands, Anchor, Current};
use sharestate::ergo::Id;
use sharestate::persistent::{BalanceStep, BalanceWalk, Command, ContractSet};

/// One command that touched the miner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRow {
    /// The pool's round, counted from the chain ([`BalanceWalk::rounds`]): a label.
    pub round: u32,
    pub command: Command,
    pub tx: Id,
    /// The height the source gives the transaction.
    pub height: Option<u32>,
    /// Credited (an Update) or paid (a Payout), nanoErg; 0 for an Insert or a Delete.
    pub amount: i64,
    /// The balance the tree holds for the miner after it (none once deleted, or not 8 bytes).
    pub after: Option<i64>,
    /// The contract set its command box runs.
    pub set: ContractSet,
    /// Why its replay cannot be relied on: the contracts refuse it (the clauses that fail), or
    /// its id was not recomputed. None: replayed and accepted.
    pub refused: Option<String>,
    /// The deployed set's weaknesses it used, in words (the move to the hardened set is none).
    pub weaknesses: Vec<String>,
    /// Its transaction in a block of a mined chain, or why not (none: not asked).
    pub anchor: Option<Anchor>,
}

impl BalanceRow {
    /// Replayed, accepted, no weakness used, and in a block with the confirmations the rules ask.
    pub fn trusted(&self) -> bool {
        self.refused.is_none() && self.weaknesses.is_empty() && self.anchor.as_ref().is_some_and(Anchor::ok)
    }

    /// What the row rests on, in words.
    pub fn trust(&self) -> String {
        let mut out = format!(
            "{} command's proof replayed against the state box's digest, every clause of the {} contracts evaluated",
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
        out
    }
}

/// The balance owed now, and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owed {
    /// Owed `amount`, proven: the last command that touched the miner and every one since
    /// replayed and sound, and the pool's current state box proven unspent (`current`).
    Proven { amount: i64, current: Current },
    /// Owed `amount` by the replayed commands, but that the state box is the pool's current one
    /// rests on `why` (the source's word, or a proof that failed).
    Unproven { amount: i64, why: String },
    /// Deleted from the tree, or never in it: nothing owed (`deleted`: by which).
    Nothing { deleted: bool },
    /// The commands cannot say (why).
    Unknown(String),
}

impl Owed {
    /// The amount, if the walk says one.
    pub fn amount(&self) -> Option<i64> {
        match self {
            Owed::Proven { amount, .. } | Owed::Unproven { amount, .. } => Some(*amount),
            Owed::Nothing { .. } => Some(0),
            Owed::Unknown(_) => None,
        }
    }

    pub fn proven(&self) -> bool {
        matches!(
            self,
            Owed::Proven {
                current: Current::Unspent { .. },
                ..
            }
        )
    }
}

/// A Design 2 check of one miner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceReport {
    pub rows: Vec<BalanceRow>,
    pub owed: Owed,
    /// The pool's current state box, what a proof of the chain's state says of it (none: the
    /// source cannot prove it), and the set it runs (none: no known state box).
    pub tip: Id,
    pub current: Option<Current>,
    pub set_now: Option<ContractSet>,
    /// Commands replayed, and the rounds they make.
    pub commands: usize,
    pub rounds: u32,
    /// The NFT the pool's state box holds (hex): the pool's identity.
    pub nft: Option<String>,
    /// The box the walk starts at.
    pub start: Id,
    /// Whether the walk starts at the pool's first state box (where its NFT was minted), or
    /// why that is not shown: "no command touched you" is verified only from there.
    pub first_state: Result<(), String>,
    /// The last round a command ran on the deployed set, and how many commands used one of
    /// its weaknesses (the move to the hardened set is none).
    pub deployed_until: Option<u32>,
    pub weak_commands: usize,
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

/// The miner `key`'s report from the pool's `walk`: `anchors`, the blocks its rows'
/// transactions are in; `current`, what a proof of the chain's state says of the walk's tip
/// (none: the source cannot prove it).
///
/// `named_nft` is the NFT the list of pools names (hex): a state box without it is said to be
/// another pool's.
pub fn report(
    walk: &BalanceWalk,
    key: &[u8],
    anchors: &[(Id, Anchor)],
    current: Option<Current>,
    named_nft: Option<&str>,
    first_state: Result<(), String>,
) -> BalanceReport {
    let rounds = walk.rounds();
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
                refused: refused(s),
                weaknesses: weaknesses(s),
                anchor: anchors.iter().find(|a| a.0 == s.tx_id).map(|a| a.1.clone()),
            }
        })
        .collect();
    let set_now = sharestate::persistent::state_contract(&walk.tip.ergo_box.ergo_tree).map(|c| c.set);
    let tip_words = |c: &Option<Current>| {
        match c {
        Some(Current::Unspent { .. }) => None,
        Some(Current::Spent { height }) => Some(format!(
            "the node's proof of the chain's state at block {} shows the pool's state box {} spent, though the source showed it unspent",
            thousands(*height),
            short(&walk.tip.id)
        )),
        Some(Current::Unproven(why)) => Some(format!(
            "that box {} is the pool's current state is the source's word: its proof failed ({why})",
            short(&walk.tip.id)
        )),
        None => Some(format!(
            "that box {} is the pool's current state is the source's word (only a node proves it)",
            short(&walk.tip.id)
        )),
    }
    };
    let owed = match walk.owed(key) {
        _ if rows.is_empty() => Owed::Nothing { deleted: false },
        Some(None) => Owed::Nothing { deleted: true },
        Some(Some(amount)) => match (tip_words(&current), current.clone()) {
            (None, Some(current)) => Owed::Proven { amount, current },
            (why, _) => Owed::Unproven {
                amount,
                why: why.unwrap_or_default(),
            },
        },
        None => Owed::Unknown(match &walk.end {
            Some(e) => format!("the pool's state left its state boxes: {}", e.why),
            None => {
                "a command since the last that touched you was refused or used a weakness of the deployed contracts"
                    .into()
            }
        }),
    };
    let mut warnings = vec![];
    let nft = walk.tip.ergo_box.tokens.first().map(|t| sharestate::hex::encode(&t.id));
    if let Some(named) = named_nft.filter(|n| Some(n.to_ascii_lowercase()) != nft) {
        warnings.push(format!(
            "The pool's state box holds {}, not the NFT {named} the list of pools names: these may be another pool's balances.",
            nft.as_deref().map_or("no token".to_string(), |n| format!("NFT {n}"))
        ));
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
    let rounds_made = rounds.last().copied().unwrap_or(0);
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
        nft,
        start: walk.start.id,
        first_state,
        deployed_until,
        weak_commands,
        owed,
        tip: walk.tip.id,
        current,
        set_now,
        commands: walk.steps.len(),
        rounds: rounds_made,
        warnings,
        end: walk.end.as_ref().map(|e| e.why.clone()),
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
        self.owed.amount().map(|a| a >= minimum)
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

    fn row(command: Command, amount: i64, anchor: Option<Anchor>) -> BalanceRow {
        BalanceRow {
            round: 1,
            command,
            tx: Id([7; 32]),
            height: Some(100),
            amount,
            after: Some(amount),
            set: ContractSet::Hardened,
            refused: None,
            weaknesses: vec![],
            anchor,
        }
    }

    fn in_block(confirmations: u32) -> Option<Anchor> {
        Some(Anchor::InBlock {
            height: 100,
            block: Id([1; 32]),
            confirmations,
            needed: 10,
            tip: Some(200),
            network: "devnet",
        })
    }

    fn report(rows: Vec<BalanceRow>, owed: Owed) -> BalanceReport {
        BalanceReport {
            rows,
            owed,
            nft: None,
            start: Id([3; 32]),
            first_state: Ok(()),
            tip: Id([2; 32]),
            current: None,
            set_now: Some(ContractSet::Hardened),
            commands: 1,
            rounds: 1,
            deployed_until: None,
            weak_commands: 0,
            warnings: vec![],
            end: None,
        }
    }

    #[test]
    fn a_row_is_trusted_only_replayed_accepted_without_weakness_and_final_in_a_block() {
        assert!(row(Command::Update, 5, in_block(11)).trusted());
        assert!(!row(Command::Update, 5, in_block(3)).trusted(), "too few confirmations");
        assert!(!row(Command::Update, 5, None).trusted(), "not tied to a block");
        assert!(!row(Command::Update, 5, Some(Anchor::Failed("no".into()))).trusted());
        let mut refused = row(Command::Update, 5, in_block(11));
        refused.refused = Some("the contracts refuse it (miner 0: paymentIsValid)".into());
        assert!(!refused.trusted() && refused.trust().contains("not relied on: the contracts refuse it"));
        let mut weak = row(Command::Update, 5, in_block(11));
        weak.weaknesses = vec!["a negative delta".into()];
        assert!(
            !weak.trusted()
                && weak
                    .trust()
                    .contains("weakness of the deployed contracts: a negative delta")
        );
    }

    #[test]
    fn totals_count_verified_rows_only_and_never_wrap() {
        let rows = vec![
            row(Command::Update, 7, in_block(11)),
            row(Command::Update, 100, in_block(2)),
            row(Command::Payout, 5, in_block(11)),
            row(Command::Insert, 0, in_block(11)),
        ];
        assert_eq!(report(rows, Owed::Unknown(String::new())).totals(), (Some(7), Some(5)));
        let huge = vec![
            row(Command::Update, i64::MAX, in_block(11)),
            row(Command::Update, 1, in_block(11)),
        ];
        assert_eq!(report(huge, Owed::Unknown(String::new())).totals(), (None, Some(0)));
    }

    #[test]
    fn the_minimum_is_reached_by_what_is_owed() {
        let owed = |amount| {
            report(
                vec![],
                Owed::Unproven {
                    amount,
                    why: String::new(),
                },
            )
        };
        assert_eq!(owed(500).reaches(500), Some(true));
        assert_eq!(owed(499).reaches(500), Some(false));
        assert_eq!(report(vec![], Owed::Nothing { deleted: true }).reaches(1), Some(false));
        assert_eq!(report(vec![], Owed::Unknown("why".into())).reaches(0), None);
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
        let r = report(
            vec![row(Command::Payout, 1_500_000_000, in_block(11))],
            Owed::Nothing { deleted: true },
        );
        let csv = r.csv("9fAddr");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[1].starts_with(&format!(
                "9fAddr,1,payout,100,1.500000000,1.500000000,{},\"yes: ",
                Id([7; 32]).to_hex()
            )),
            "{}",
            lines[1]
        );
    }
}
