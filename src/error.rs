//! One mapping of every error to its kind: the name a JavaScript caller sees as `Error.name`
//! (the npm package) and the CLI prints as `error.kind`. Each module keeps its own error type,
//! saying what went wrong and where; [`HasKind`] is how any of them tells its kind, and this
//! file is the one place that decides it.

use crate::avl::{ProofError, ProverError, SnapshotError};
use crate::encoding::hex::{FixedHexError, HexError};
use crate::encoding::ReadError;
use crate::ergo::json::{Eip12Error, JsonError};
use crate::ergo::{AddressError, RegisterError};
use crate::pool::amount::{AmountError, ArithmeticError, ScoreError};
use crate::pool::{ContractError, ServiceError, ValueError, WalkError};
use crate::posted::{AuditError, EpochError, PostedError};
use crate::source::SourceError;

/// What kind of input or operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An address or ErgoTree that cannot be a miner's.
    Address,
    /// A miner key that is not 32 bytes of hex.
    Key,
    /// A register or context-variable value that does not parse, or has another type.
    Register,
    /// A proof or digest that does not verify.
    Proof,
    /// A state the prover cannot build or prove.
    Prover,
    /// A payout that cannot be built, or is not an honest payout.
    Payout,
    /// The chain's arithmetic overflowed or divided by zero.
    Arithmetic,
    /// An amount that is not a whole number of the chain's range.
    Amount,
    /// Scores that do not make a maxScore.
    Score,
    /// Stored bytes that are not a share value or a balance.
    Value,
    /// A snapshot that does not decode or does not match its digest.
    Snapshot,
    /// Chain data (node or explorer JSON) that does not decode or does not check.
    Chain,
    /// A transaction that cannot be read or built.
    Transaction,
    /// A proof service's answer that does not check against the chain.
    Service,
    /// Bytes that are not hex, or end too early.
    Encoding,
}

impl ErrorKind {
    /// Every kind, for tests and for documentation.
    pub const ALL: [ErrorKind; 15] = [
        ErrorKind::Address,
        ErrorKind::Key,
        ErrorKind::Register,
        ErrorKind::Proof,
        ErrorKind::Prover,
        ErrorKind::Payout,
        ErrorKind::Arithmetic,
        ErrorKind::Amount,
        ErrorKind::Score,
        ErrorKind::Value,
        ErrorKind::Snapshot,
        ErrorKind::Chain,
        ErrorKind::Transaction,
        ErrorKind::Service,
        ErrorKind::Encoding,
    ];

    /// The name callers see: `AddressError`, `ProofError`, …
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Address => "AddressError",
            ErrorKind::Key => "KeyError",
            ErrorKind::Register => "RegisterError",
            ErrorKind::Proof => "ProofError",
            ErrorKind::Prover => "ProverError",
            ErrorKind::Payout => "PayoutError",
            ErrorKind::Arithmetic => "ArithmeticError",
            ErrorKind::Amount => "AmountError",
            ErrorKind::Score => "ScoreError",
            ErrorKind::Value => "ValueError",
            ErrorKind::Snapshot => "SnapshotError",
            ErrorKind::Chain => "ChainError",
            ErrorKind::Transaction => "TransactionError",
            ErrorKind::Service => "ServiceError",
            ErrorKind::Encoding => "EncodingError",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An error of this crate, which knows its kind.
pub trait HasKind: std::error::Error {
    fn kind(&self) -> ErrorKind;
}

macro_rules! kind {
    ($($t:ty => $kind:expr),* $(,)?) => {$(
        impl HasKind for $t {
            fn kind(&self) -> ErrorKind {
                $kind
            }
        }
    )*};
}

kind!(
    HexError => ErrorKind::Encoding,
    FixedHexError => ErrorKind::Encoding,
    ReadError => ErrorKind::Encoding,
    RegisterError => ErrorKind::Register,
    ProofError => ErrorKind::Proof,
    ProverError => ErrorKind::Prover,
    SnapshotError => ErrorKind::Snapshot,
    ValueError => ErrorKind::Value,
    ArithmeticError => ErrorKind::Arithmetic,
    AmountError => ErrorKind::Amount,
    ScoreError => ErrorKind::Score,
    ServiceError => ErrorKind::Service,
    JsonError => ErrorKind::Chain,
    WalkError => ErrorKind::Chain,
    SourceError => ErrorKind::Chain,
    crate::ergo::header::HeaderError => ErrorKind::Chain,
    crate::ergo::merkle::MerkleError => ErrorKind::Chain,
    crate::trust::TrustError => ErrorKind::Proof,
    Eip12Error => ErrorKind::Transaction,
    ContractError => ErrorKind::Transaction,
    crate::ergo::FundingError => ErrorKind::Transaction,
);

impl HasKind for PostedError {
    fn kind(&self) -> ErrorKind {
        match self {
            // building a state from scores: the scores' or the tree's own kind (a separate
            // variant from `ScoreError`'s, whose sums would bring u128 formatting into the
            // npm package's small module)
            PostedError::NegativeScore { .. } => ErrorKind::Score,
            PostedError::Prover(e) => e.kind(),
            _ => ErrorKind::Payout,
        }
    }
}

impl HasKind for AuditError {
    fn kind(&self) -> ErrorKind {
        match self {
            AuditError::NotTheState { .. } => ErrorKind::Snapshot,
            // the chain's share-state box cannot be audited
            AuditError::NoDigest { .. } | AuditError::UnknownContract => ErrorKind::Chain,
        }
    }
}

impl HasKind for AddressError {
    fn kind(&self) -> ErrorKind {
        match self {
            AddressError::KeyHex(_) => ErrorKind::Key,
            _ => ErrorKind::Address,
        }
    }
}

impl HasKind for EpochError {
    fn kind(&self) -> ErrorKind {
        match self {
            // the contract's clauses refuse the payout, or its batch cannot be made
            EpochError::Refused { .. }
            | EpochError::PastDeadline { .. }
            | EpochError::BeforeDeadline { .. }
            | EpochError::NoClose { .. } => ErrorKind::Payout,
            EpochError::Posted(e) => e.kind(),
            _ => ErrorKind::Transaction,
        }
    }
}

#[cfg(feature = "interpreter")]
kind!(
    crate::ergo::interpreter::InterpreterError => ErrorKind::Transaction,
    crate::posted::evaluated::BuildError => ErrorKind::Transaction,
    crate::persistent::evaluated::BuildError => ErrorKind::Transaction,
);

impl HasKind for crate::persistent::PersistentError {
    fn kind(&self) -> ErrorKind {
        use crate::persistent::PersistentError as E;
        match self {
            E::Prover(e) => e.kind(),
            E::UnknownKey { .. } | E::RepeatedKey { .. } | E::Balance { .. } => ErrorKind::Prover,
            E::Refused { .. } | E::Weak { .. } => ErrorKind::Payout,
            _ => ErrorKind::Transaction,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn names_are_distinct_and_end_in_error() {
        let names: std::collections::BTreeSet<&str> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), ErrorKind::ALL.len());
        assert!(names.iter().all(|n| n.ends_with("Error")));
    }

    #[crate::test]
    fn a_kind_follows_the_variant_where_the_type_is_not_enough() {
        assert_eq!(AddressError::Empty.kind(), ErrorKind::Address);
        assert_eq!(
            crate::ergo::MinerKey::from_hex("zz").unwrap_err().kind(),
            ErrorKind::Key
        );
        assert_eq!(EpochError::Refused { failing: vec![] }.kind(), ErrorKind::Payout);
        assert_eq!(EpochError::NoPoolToken.kind(), ErrorKind::Transaction);
    }
}
