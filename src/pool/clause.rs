//! What a contract's clauses are made of, for both designs: how one clause evaluates, its name,
//! and an output as a contract reads it.

use crate::ergo::{Candidate, Constant, Token};
use serde::Serialize;

/// How one clause of the contract evaluates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "detail", rename_all = "lowercase")]
pub enum Clause {
    /// True.
    Holds,
    /// False; the text says why.
    Fails(String),
    /// The contract would throw here (a missing output, a short value, an overflow…), which
    /// rejects the transaction just as a false clause does.
    Error(String),
}

impl Clause {
    pub fn holds(&self) -> bool {
        matches!(self, Clause::Holds)
    }
    pub(crate) fn check(ok: bool, why: impl FnOnce() -> String) -> Clause {
        if ok {
            Clause::Holds
        } else {
            Clause::Fails(why())
        }
    }
}

/// A clause with its name in the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedClause {
    pub name: &'static str,
    pub clause: Clause,
}

/// An output of a transaction, as a contract reads it: value, script, registers R4–R6 (each
/// when present and a constant), tokens.
#[derive(Debug, Clone)]
pub struct Output {
    pub value: i64,
    /// Proposition bytes (serialized ErgoTree).
    pub script: Vec<u8>,
    pub r4: Option<Constant>,
    pub r5: Option<Constant>,
    pub r6: Option<Constant>,
    pub tokens: Vec<Token>,
}

impl Output {
    /// Reads a candidate box; a value beyond a Long is returned as the error.
    pub fn from_candidate(o: &Candidate) -> Result<Output, u64> {
        Ok(Output {
            value: i64::try_from(o.value).map_err(|_| o.value)?,
            script: o.ergo_tree.clone(),
            r4: o.registers.first().and_then(|r| Constant::parse(r).ok()),
            r5: o.registers.get(1).and_then(|r| Constant::parse(r).ok()),
            r6: o.registers.get(2).and_then(|r| Constant::parse(r).ok()),
            tokens: o.tokens.clone(),
        })
    }
}
