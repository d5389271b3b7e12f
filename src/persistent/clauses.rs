//! **Design 2's clauses**: a command transaction evaluated clause by clause exactly as its
//! command contract and the state box's contract evaluate it — the deployed set's, and for the
//! hardened set its further clauses — with the deployed set's weaknesses the transaction uses.
//!
//! Clause names follow `contracts/persistent/`: per miner (`emptyInsert`, `credit`,
//! `paymentIsValid`, `balanceReset`, `boxIsCorrect`, `wasZero`; hardened `uniqueKey`,
//! `exactZero`, `deltaLength`), per transaction (`getMany`, the tree call, `nextState`,
//! `nextValue`, `poolNFT`; hardened `outputCount`), and the state box's (`nextStateDefined`,
//! `knownCommand`; hardened `scriptKept`, `tokensKept`) — with `ownCommands`, which is not a
//! clause of any contract but what makes the others mean anything: the state box's list of
//! commands is its pool's four. The operator's signature is the
//! chain's to check, not a clause here.

use crate::avl::{AvlTreeData, Digest};
use crate::encoding::hash::blake2b256;
use crate::encoding::hex;
use crate::encoding::text::{hex_bytes, i64_string, opt_hex_bytes, opt_i64_string};
use crate::persistent::contracts::{command_contract, state_contract, CommandContract, ContractSet, PoolContracts};
use crate::persistent::replay::{replay_command, Command, CommandReplay, CommandVars};
use crate::persistent::{CommandTransaction, PersistentError};
use crate::pool::{Clause, NamedClause, Output};
use serde::Serialize;

/// One entry of context variable 0: the key, what the tree held and what is written, and the
/// command's clauses about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinerLine {
    /// Position in context variable 0.
    pub index: usize,
    #[serde(serialize_with = "hex_bytes")]
    pub key: Vec<u8>,
    /// The value `getMany` returned at the key's first index (none for Insert, or when the
    /// lookup failed).
    #[serde(serialize_with = "opt_hex_bytes")]
    pub old: Option<Vec<u8>>,
    /// The value written: Insert's and Payout's from variable 0, Update's old + |delta|; none
    /// for Delete, or when it cannot be computed.
    #[serde(serialize_with = "opt_hex_bytes")]
    pub written: Option<Vec<u8>>,
    /// Update: the delta, as the signed Long the contract reads.
    #[serde(serialize_with = "opt_i64_string")]
    pub delta: Option<i64>,
    /// Payout: the output the contract checks for this key.
    pub output_index: Option<usize>,
    /// Payout: what that output pays.
    #[serde(serialize_with = "opt_i64_string")]
    pub paid: Option<i64>,
    pub clauses: Vec<NamedClause>,
}

impl MinerLine {
    pub fn holds(&self) -> bool {
        self.clauses.iter().all(|c| c.clause.holds())
    }
}

/// A weakness of the deployed set that a transaction uses (PROTOCOL.md; each is closed by
/// the hardened set, `contracts/persistent/hardened/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Weakness {
    /// An Update's negative delta: the miner is credited |delta| while the state box's value
    /// falls by |delta|, the credit nowhere in it.
    #[serde(rename_all = "camelCase")]
    NegativeDelta {
        #[serde(serialize_with = "hex_bytes")]
        key: Vec<u8>,
        #[serde(serialize_with = "i64_string")]
        delta: i64,
    },
    /// OUTPUTS(0), the next state, has another script: whoever it lets may spend the balances
    /// — unless, as `to_hardened` says, it is the hardened state box of the same pool NFT and
    /// operator: the pool moving to the hardened set.
    #[serde(rename_all = "camelCase")]
    NextStateScriptChanged {
        #[serde(serialize_with = "hex_bytes")]
        script: Vec<u8>,
        to_hardened: bool,
    },
    /// OUTPUTS(0) does not hold the state box's tokens (the pool NFT first).
    #[serde(rename_all = "camelCase")]
    PoolTokenNotCarried {
        #[serde(serialize_with = "hex_bytes")]
        token: Vec<u8>,
    },
    /// OUTPUTS(0)'s tree keeps the digest but not the flags, key length or value length.
    #[serde(rename_all = "camelCase")]
    TreeParametersChanged {
        flags: u8,
        key_length: u32,
        value_length: Option<u32>,
    },
    /// A payout with outputs after its payments beyond the operator's change and the fee.
    #[serde(rename_all = "camelCase")]
    ExtraOutputs { payments: usize, outputs: usize },
    /// A key again in variable 0: every check uses its first index. On a payout its balance
    /// leaves the state box once per occurrence and is paid once; on an update it is credited
    /// its last delta while the box takes them all.
    #[serde(rename_all = "camelCase")]
    RepeatedKey {
        #[serde(serialize_with = "hex_bytes")]
        key: Vec<u8>,
        first: usize,
        again: usize,
    },
    /// A value read on its first 8 bytes only: an inserted or paid-out value, or a delta, of
    /// another length than 8.
    #[serde(rename_all = "camelCase")]
    ValueNotEightBytes {
        #[serde(serialize_with = "hex_bytes")]
        key: Vec<u8>,
        length: usize,
    },
}

impl std::fmt::Display for Weakness {
    /// What the transaction did and what it lets happen, in words for a miner.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = |k: &[u8]| crate::hex::encode(&k[..k.len().min(6)]);
        match self {
            Weakness::NegativeDelta { key: k, delta } => write!(
                f,
                "miner {}… credited {} nanoErg by a negative delta, which the box paid out instead of holding",
                key(k),
                delta.unsigned_abs()
            ),
            Weakness::NextStateScriptChanged { to_hardened: true, .. } => {
                write!(f, "the state moved to the hardened contracts of the same pool")
            }
            Weakness::NextStateScriptChanged { .. } => write!(
                f,
                "the state moved to a script that is not the pool's state box: whoever that script lets may spend every balance"
            ),
            Weakness::PoolTokenNotCarried { .. } => {
                write!(f, "the next state box does not carry the pool's NFT: the chain of states can be forked")
            }
            Weakness::TreeParametersChanged { flags, key_length, .. } => write!(
                f,
                "the next state's tree changed its parameters (flags {flags}, key length {key_length})"
            ),
            Weakness::ExtraOutputs { payments, outputs } => write!(
                f,
                "a payout with {outputs} outputs for {payments} payments: the extra outputs may take value"
            ),
            Weakness::RepeatedKey { key: k, first, again } => write!(
                f,
                "miner {}… twice in one command (entries {first} and {again}): its balance counted once, moved twice",
                key(k)
            ),
            Weakness::ValueNotEightBytes { key: k, length } => {
                write!(f, "miner {}…: a value of {length} bytes, read on its first 8 only", key(k))
            }
        }
    }
}

/// The verdict on a command transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandReport {
    /// The command box's contract: command, set, pool NFT.
    pub contract: CommandContract,
    /// The state box's contract set, if its script is a known state box: the pool is hardened
    /// only when this and the command's set both are (a hardened command under a deployed state
    /// box leaves OUTPUTS(0) unpinned).
    pub state_set: Option<ContractSet>,
    /// Whether the pool's contracts accept it: the state box's clauses (its script known) and
    /// the command's, the hardened set's included for a hardened command.
    pub accepted: bool,
    /// The state box's script's clauses.
    pub state: Vec<NamedClause>,
    /// The command's clauses on the whole transaction.
    pub clauses: Vec<NamedClause>,
    pub miners: Vec<MinerLine>,
    /// The digest the command's tree call yields.
    pub next_digest: Option<Digest>,
    pub weaknesses: Vec<Weakness>,
}

impl CommandReport {
    /// Every clause with its name (miners' as `miner i: name`), state box first.
    pub fn all(&self) -> Vec<(String, &Clause)> {
        let mut out: Vec<(String, &Clause)> = self.state.iter().map(|c| (c.name.to_string(), &c.clause)).collect();
        for m in &self.miners {
            out.extend(
                m.clauses
                    .iter()
                    .map(|c| (format!("miner {}: {}", m.index, c.name), &c.clause)),
            );
        }
        out.extend(self.clauses.iter().map(|c| (c.name.to_string(), &c.clause)));
        out
    }

    /// Whether a builder may hand this command out: the contracts accept it and it uses no
    /// weakness of the deployed set — but the pool's move to the hardened set, when `moving`.
    pub fn require_sound(&self, moving: bool) -> Result<(), PersistentError> {
        let command = self.contract.command.name();
        if !self.accepted {
            return Err(PersistentError::Refused {
                command,
                failing: self.failing(),
            });
        }
        let allowed = |w: &Weakness| moving && matches!(w, Weakness::NextStateScriptChanged { to_hardened: true, .. });
        match self.weaknesses.iter().find(|w| !allowed(w)) {
            None => Ok(()),
            Some(w) => Err(PersistentError::Weak {
                command,
                weakness: serde_json::to_string(w).unwrap_or_default(),
            }),
        }
    }

    /// The names of the clauses that fail or throw.
    pub fn failing(&self) -> Vec<String> {
        self.all()
            .into_iter()
            .filter(|(_, c)| !c.holds())
            .map(|(n, _)| n)
            .collect()
    }
}

/// Checks `tx` against the contract its command box runs.
pub fn check_command(tx: &CommandTransaction) -> Result<CommandReport, PersistentError> {
    let contract = command_contract(&tx.command_script).ok_or_else(|| PersistentError::UnknownCommand {
        hash: hex::encode(&blake2b256(&tx.command_script)),
    })?;
    Ok(check_command_as(tx, contract))
}

fn named(name: &'static str, clause: Clause) -> NamedClause {
    NamedClause { name, clause }
}

fn long8(b: &[u8]) -> Option<i64> {
    b.get(..8).and_then(|b| b.try_into().ok()).map(i64::from_be_bytes)
}

/// Checks `tx` as the command `contract` would (for a command box whose script is one the
/// caller recognized otherwise).
pub fn check_command_as(tx: &CommandTransaction, contract: CommandContract) -> CommandReport {
    let command = contract.command;
    let hardened = contract.set == ContractSet::Hardened;
    let replay = replay_command(command, &tx.state.tree, &tx.vars);
    let keys: Vec<Vec<u8>> = match &tx.vars {
        CommandVars::Pairs { pairs, .. } => pairs.iter().map(|(k, _)| k.clone()).collect(),
        CommandVars::Keys { keys, .. } => keys.clone(),
    };
    let values: Vec<Vec<u8>> = match &tx.vars {
        CommandVars::Pairs { pairs, .. } => pairs.iter().map(|(_, v)| v.clone()).collect(),
        CommandVars::Keys { .. } => vec![],
    };
    let first_index = crate::persistent::replay::first_indices(&keys);
    let first = |i: usize| first_index[i];
    let old_at = |i: usize| -> Result<Vec<u8>, String> {
        match &replay.old {
            None => Err("no lookup".into()),
            Some(Err(e)) => Err(e.clone()),
            Some(Ok(old)) => old.get(i).cloned().flatten().ok_or_else(|| {
                format!(
                    "key {} is not in the tree: getMany's Option is empty",
                    hex::encode(&keys[i])
                )
            }),
        }
    };
    let ctx = Ctx {
        tx,
        command,
        hardened,
        replay: &replay,
        keys: &keys,
        values: &values,
        old_at: &old_at,
    };
    let miners: Vec<MinerLine> = (0..keys.len()).map(|i| miner_line(ctx, i, first(i))).collect();
    let clauses = command_clauses(ctx, &contract);
    let state = state_clauses(tx);
    let accepted = state.iter().chain(&clauses).all(|c| c.clause.holds()) && miners.iter().all(MinerLine::holds);
    CommandReport {
        contract,
        state_set: state_contract(&tx.state.script).map(|s| s.set),
        accepted,
        state,
        clauses,
        weaknesses: weaknesses(tx, command, &keys, &values),
        next_digest: replay.next.as_ref().ok().copied(),
        miners,
    }
}

/// What every clause of one command is evaluated from.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    tx: &'a CommandTransaction,
    command: Command,
    /// The hardened set's clauses too.
    hardened: bool,
    replay: &'a CommandReplay,
    keys: &'a [Vec<u8>],
    values: &'a [Vec<u8>],
    /// `getMany`'s value at a position, or why there is none.
    old_at: &'a dyn Fn(usize) -> Result<Vec<u8>, String>,
}

/// The clauses about entry `i` of variable 0, whose key first appears at `first`.
fn miner_line(ctx: Ctx, i: usize, first: usize) -> MinerLine {
    let Ctx {
        tx,
        command,
        hardened,
        replay,
        keys,
        values,
        old_at,
    } = ctx;
    let key = &keys[i];
    let value = values.get(i);
    let zero8 = |v: &[u8], what: &str| {
        Clause::check(v == [0u8; 8], || {
            format!("the {what} is {} ({} bytes), not 8 zero bytes", hex::encode(v), v.len())
        })
    };
    let read = |v: &[u8], what: &str| {
        long8(v).ok_or_else(|| format!("the {what} has {} bytes: byteArrayToLong needs 8", v.len()))
    };
    let mut clauses = Vec::new();
    let mut output_index = None;
    let mut paid = None;
    // the hardened set locates each key at its own index and refuses a repeat
    let at = if hardened { i } else { first };
    let old = old_at(at);
    if hardened && matches!(command, Command::Update | Command::Payout) {
        clauses.push(named(
            "uniqueKey",
            Clause::check(first == i, || format!("the key appeared first at index {first}")),
        ));
    }
    match command {
        Command::Insert => {
            let v = value.map(Vec::as_slice).unwrap_or_default();
            clauses.push(named(
                "emptyInsert",
                match read(v.get(..8).unwrap_or(v), "value") {
                    Err(e) => Clause::Error(e),
                    Ok(b) => Clause::check(b == 0, || format!("the value's first 8 bytes hold {b}, not 0")),
                },
            ));
            if hardened {
                clauses.push(named("exactZero", zero8(v, "value")));
            }
        }
        Command::Update => {
            let v = value.map(Vec::as_slice).unwrap_or_default();
            if hardened {
                clauses.push(named(
                    "deltaLength",
                    Clause::check(v.len() == 8, || format!("the delta has {} bytes, not 8", v.len())),
                ));
            }
            clauses.push(named(
                "credit",
                match &replay.written {
                    Err(e) => Clause::Error(e.clone()),
                    Ok(_) => Clause::Holds,
                },
            ));
        }
        Command::Payout => {
            let v = value.map(Vec::as_slice).unwrap_or_default();
            let o: Option<&Output> = tx.outputs.get(1 + at);
            output_index = Some(1 + at);
            paid = o.map(|o| o.value);
            let owed = old.clone().and_then(|b| read(&b, "old balance"));
            clauses.push(named(
                "paymentIsValid",
                match (&owed, o) {
                    (Err(e), _) => Clause::Error(e.clone()),
                    (_, None) => Clause::Error(format!("OUTPUTS({}) does not exist", 1 + at)),
                    (Ok(b), Some(o)) => Clause::check(o.value == *b, || {
                        format!("OUTPUTS({}) pays {} nanoErg; the key was owed {b}", 1 + at, o.value)
                    }),
                },
            ));
            clauses.push(named(
                "balanceReset",
                match read(v, "new value") {
                    Err(e) => Clause::Error(e),
                    Ok(b) => Clause::check(b == 0, || format!("the new balance is {b}, not 0")),
                },
            ));
            if hardened {
                clauses.push(named("exactZero", zero8(v, "new value")));
            }
            clauses.push(named(
                "boxIsCorrect",
                match (&old, o) {
                    (Err(e), _) => Clause::Error(e.clone()),
                    (_, None) => Clause::Error(format!("OUTPUTS({}) does not exist", 1 + at)),
                    (_, Some(o)) => {
                        let h = blake2b256(&o.script);
                        Clause::check(h.as_slice() == key.as_slice(), || {
                            format!(
                                "OUTPUTS({}) pays a script whose hash is {}, not the key",
                                1 + at,
                                hex::encode(&h)
                            )
                        })
                    }
                },
            ));
        }
        Command::Delete => {
            clauses.push(named(
                "wasZero",
                match old.clone().and_then(|b| read(&b, "old balance")) {
                    Err(e) => Clause::Error(e),
                    Ok(b) => Clause::check(b == 0, || format!("the key is owed {b}: a balance deleted")),
                },
            ));
        }
    }
    MinerLine {
        index: i,
        key: key.clone(),
        old: old.ok(),
        written: replay.written.as_ref().ok().and_then(|w| w.get(i).cloned()),
        delta: (command == Command::Update)
            .then(|| value.and_then(|v| long8(v)))
            .flatten(),
        output_index,
        paid,
        clauses,
    }
}

/// The command's clauses about the whole transaction.
fn command_clauses(ctx: Ctx, contract: &CommandContract) -> Vec<NamedClause> {
    let Ctx {
        tx,
        command,
        hardened,
        replay,
        keys,
        values,
        old_at,
    } = ctx;
    let mut out = Vec::new();
    if let Some(old) = &replay.old {
        out.push(named(
            "getMany",
            match old {
                Ok(_) => Clause::Holds,
                Err(e) => Clause::Error(e.clone()),
            },
        ));
    }
    let call = match command {
        Command::Insert => "insert",
        Command::Delete => "remove",
        _ => "update",
    };
    out.push(named(
        call,
        match &replay.next {
            Ok(_) => Clause::Holds,
            Err(e) => Clause::Error(e.clone()),
        },
    ));
    let next = tx.outputs.first();
    out.push(named("nextState", next_state(tx, next, &replay.next, hardened)));
    // the state box's value after the command
    let base = tx.state.value;
    let sum = |xs: &mut dyn Iterator<Item = Result<i64, String>>| -> Result<i64, String> {
        let mut z = 0i64;
        for x in xs {
            z = z
                .checked_add(x?)
                .ok_or_else(|| "the sum overflows a Long".to_string())?;
        }
        Ok(z)
    };
    let expected: Result<(i64, &str), String> = match command {
        Command::Insert | Command::Delete => Ok((base, "the state box's value, kept")),
        Command::Update => {
            let mut deltas = values.iter().map(|v| {
                let d = long8(v).ok_or_else(|| format!("a delta has {} bytes: byteArrayToLong needs 8", v.len()))?;
                if hardened {
                    d.checked_abs().ok_or_else(|| format!("|{d}| overflows a Long"))
                } else {
                    Ok(d)
                }
            });
            sum(&mut deltas).and_then(|d| {
                base.checked_add(d)
                    .map(|v| {
                        (
                            v,
                            if hardened {
                                "the state box's value plus the credits"
                            } else {
                                "the state box's value plus the deltas' signed sum"
                            },
                        )
                    })
                    .ok_or_else(|| "the value overflows a Long".into())
            })
        }
        Command::Payout => {
            let mut owed = (0..keys.len()).map(|i| {
                old_at(i).and_then(|b| long8(&b).ok_or_else(|| "an old balance has fewer than 8 bytes".into()))
            });
            sum(&mut owed).and_then(|t| {
                base.checked_sub(t)
                    .map(|v| (v, "the state box's value less the old balances"))
                    .ok_or_else(|| "the value overflows a Long".into())
            })
        }
    };
    out.push(named(
        "nextValue",
        match (expected, next) {
            (Err(e), _) => Clause::Error(e),
            (_, None) => Clause::Error("OUTPUTS(0) does not exist".into()),
            (Ok((v, what)), Some(o)) => Clause::check(o.value == v, || {
                format!("OUTPUTS(0) holds {} nanoErg; {what} is {v}", o.value)
            }),
        },
    ));
    out.push(named(
        "poolNFT",
        match tx.state.tokens.first() {
            None => Clause::Error("INPUTS(0) holds no token: tokens(0) throws".into()),
            Some(t) => Clause::check(t.id == contract.pool_nft, || {
                format!(
                    "INPUTS(0) holds token {} first, not the pool NFT {}",
                    hex::encode(&t.id),
                    hex::encode(&contract.pool_nft)
                )
            }),
        },
    ));
    if hardened && command == Command::Payout {
        let n = keys.len();
        out.push(named(
            "outputCount",
            Clause::check(tx.outputs.len() <= n + 3, || {
                format!(
                    "{} outputs: the state, {n} payments, change and fee allow {}",
                    tx.outputs.len(),
                    n + 3
                )
            }),
        ));
    }
    out
}

/// `nextState`: OUTPUTS(0).R4's digest is the one the tree call yields (deployed); the whole
/// tree is, its flags, key and value lengths as the spent one's (hardened).
fn next_state(tx: &CommandTransaction, next: Option<&Output>, yields: &Result<Digest, String>, whole: bool) -> Clause {
    let tree = match next.map(|o| o.r4.as_ref().map(|c| c.as_avl_tree())) {
        None => return Clause::Error("OUTPUTS(0) does not exist".into()),
        Some(None) => return Clause::Error("OUTPUTS(0) has no R4".into()),
        Some(Some(Err(e))) => return Clause::Error(format!("OUTPUTS(0).R4: {e}")),
        Some(Some(Ok(t))) => *t,
    };
    let d = match yields {
        Err(e) => return Clause::Error(e.clone()),
        Ok(d) => *d,
    };
    let expected = AvlTreeData {
        digest: d,
        ..tx.state.tree
    };
    // the chain reads a tree's flags as three booleans: other bits are not part of it
    let meaningful = |t: &AvlTreeData| (t.digest, t.flags.0 & 0x07, t.key_length, t.value_length);
    if whole {
        Clause::check(meaningful(&tree) == meaningful(&expected), || {
            format!("OUTPUTS(0).R4 is {tree:?}; the command yields {expected:?}")
        })
    } else {
        Clause::check(tree.digest == d, || {
            format!("OUTPUTS(0).R4 has digest {}, the command yields {d}", tree.digest)
        })
    }
}

/// The state box's script's clauses, for either set.
fn state_clauses(tx: &CommandTransaction) -> Vec<NamedClause> {
    let Some(sc) = state_contract(&tx.state.script) else {
        return vec![named(
            "stateContract",
            Clause::Fails("the state box's script is neither set's balance state: whoever it lets may spend it".into()),
        )];
    };
    let next = tx.outputs.first();
    let hash = blake2b256(&tx.command_script);
    let mut out = vec![
        named(
            "nextStateDefined",
            match next.map(|o| o.r4.as_ref().map(|c| c.as_avl_tree().is_ok())) {
                None => Clause::Error("OUTPUTS(0) does not exist".into()),
                Some(Some(true)) => Clause::Holds,
                Some(_) => Clause::Fails("OUTPUTS(0).R4 is not a tree".into()),
            },
        ),
        named(
            "knownCommand",
            Clause::check(sc.command_hashes.contains(&hash), || {
                format!(
                    "the command box's script (hash {}) is not one of the state's four",
                    hex::encode(&hash)
                )
            }),
        ),
    ];
    // the four hashes are this pool's own commands (its NFT, its set): a list naming another
    // script would let that script change the tree in a way no command checks
    let own = tx.state.tokens.first().map(|nft| {
        PoolContracts::new(sc.set, nft.id, &sc.operator_key).map(|p| p.command_hashes() == sc.command_hashes)
    });
    out.push(named(
        "ownCommands",
        match own {
            None => Clause::Error("INPUTS(0) holds no token: no pool NFT to name its commands".into()),
            Some(Ok(true)) => Clause::Holds,
            Some(Ok(false)) => Clause::Fails(
                "the state box's list of commands is not its pool's four (its NFT's, its set's): another script may change the tree"
                    .into(),
            ),
            Some(Err(e)) => Clause::Error(e.to_string()),
        },
    ));
    if sc.set == ContractSet::Hardened {
        let same = |f: &dyn Fn(&Output) -> bool, what: &str| match next {
            None => Clause::Error("OUTPUTS(0) does not exist".into()),
            Some(o) => Clause::check(f(o), || format!("OUTPUTS(0) does not keep the state box's {what}")),
        };
        out.push(named("scriptKept", same(&|o| o.script == tx.state.script, "script")));
        out.push(named("tokensKept", same(&|o| o.tokens == tx.state.tokens, "tokens")));
    }
    out
}

/// The deployed set's weaknesses `tx` uses.
fn weaknesses(tx: &CommandTransaction, command: Command, keys: &[Vec<u8>], values: &[Vec<u8>]) -> Vec<Weakness> {
    let mut found = Vec::new();
    let first_index = crate::persistent::replay::first_indices(keys);
    for (i, k) in keys.iter().enumerate() {
        let first = first_index[i];
        if first != i {
            found.push(Weakness::RepeatedKey {
                key: k.clone(),
                first,
                again: i,
            });
        }
    }
    for (k, v) in keys.iter().zip(values) {
        if command != Command::Delete && v.len() != 8 {
            found.push(Weakness::ValueNotEightBytes {
                key: k.clone(),
                length: v.len(),
            });
        }
        if command == Command::Update {
            if let Some(d) = long8(v).filter(|d| *d < 0) {
                found.push(Weakness::NegativeDelta {
                    key: k.clone(),
                    delta: d,
                });
            }
        }
    }
    if let Some(o) = tx.outputs.first() {
        if o.script != tx.state.script {
            let to_hardened = match (state_contract(&tx.state.script), command_contract(&tx.command_script)) {
                (Some(s), Some(c)) => PoolContracts::new(ContractSet::Hardened, c.pool_nft, &s.operator_key)
                    .is_ok_and(|h| h.state == o.script),
                _ => false,
            };
            found.push(Weakness::NextStateScriptChanged {
                script: o.script.clone(),
                to_hardened,
            });
        }
        if let Some(nft) = tx.state.tokens.first() {
            if o.tokens.first() != Some(nft) {
                found.push(Weakness::PoolTokenNotCarried { token: nft.id.to_vec() });
            }
        }
        if let Some(Ok(t)) = o.r4.as_ref().map(|c| c.as_avl_tree()) {
            let s = &tx.state.tree;
            if (t.flags.0 & 0x07, t.key_length, t.value_length) != (s.flags.0 & 0x07, s.key_length, s.value_length) {
                found.push(Weakness::TreeParametersChanged {
                    flags: t.flags.0,
                    key_length: t.key_length,
                    value_length: t.value_length,
                });
            }
        }
    }
    if command == Command::Payout && tx.outputs.len() > keys.len() + 3 {
        found.push(Weakness::ExtraOutputs {
            payments: keys.len(),
            outputs: tx.outputs.len(),
        });
    }
    found
}
