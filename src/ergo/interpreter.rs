//! Contract evaluation by sigma-rust's interpreter (`ergo-lib`, feature `interpreter`): reduce
//! each input of an unsigned transaction to the proposition its script leaves to prove — true,
//! false, or a signature — in a chain context of the last ten block headers.

use crate::ergo::{Constant, UnsignedTransaction};
use ergo_lib::chain::ergo_state_context::ErgoStateContext;
use ergo_lib::chain::parameters::Parameters;
use ergo_lib::chain::transaction::reduced::reduce_tx;
use ergo_lib::chain::transaction::unsigned::UnsignedTransaction as TheirUnsigned;
use ergo_lib::chain::transaction::{DataInput, UnsignedInput};
use ergo_lib::ergo_chain_types::{Header, PreHeader};
use ergo_lib::ergotree_interpreter::sigma_protocol::prover::ContextExtension;
use ergo_lib::ergotree_ir::chain::ergo_box::{ErgoBox, ErgoBoxCandidate};
use ergo_lib::ergotree_ir::mir::constant::Constant as TheirConstant;
use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
use ergo_lib::ergotree_ir::sigma_protocol::sigma_boolean::SigmaBoolean;
use ergo_lib::wallet::tx_context::TransactionContext;
use thiserror::Error;

/// The chain as a script sees it: the last ten headers, newest first; the next block is built
/// on the first.
#[derive(Debug, Clone)]
pub struct ChainContext {
    headers: Box<[Header; 10]>,
}

impl ChainContext {
    /// From the node's `/blocks/lastHeaders/10` JSON (in either order) or a single header
    /// (repeated ten times, for tests).
    pub fn from_headers_json(json: &str) -> Result<ChainContext, InterpreterError> {
        let v: serde_json::Value = serde_json::from_str(json).map_err(|e| InterpreterError::Headers(e.to_string()))?;
        let list = match v {
            serde_json::Value::Array(a) => a,
            one => vec![one; 10],
        };
        let headers: Vec<Header> = list
            .into_iter()
            .map(|h| serde_json::from_value(h).map_err(|e| InterpreterError::Headers(e.to_string())))
            .collect::<Result<_, _>>()?;
        ChainContext::from_headers(headers)
    }

    /// From ten headers, in either order.
    /// From our headers (newest first or last), through the node's JSON form.
    pub fn from_our_headers(headers: &[crate::ergo::Header]) -> Result<ChainContext, InterpreterError> {
        let theirs = headers
            .iter()
            .map(|h| serde_json::from_value(h.to_json()).map_err(|e| InterpreterError::Headers(e.to_string())))
            .collect::<Result<Vec<Header>, _>>()?;
        ChainContext::from_headers(theirs)
    }

    pub fn from_headers(mut headers: Vec<Header>) -> Result<ChainContext, InterpreterError> {
        headers.sort_by_key(|h| std::cmp::Reverse(h.height));
        let headers: [Header; 10] = headers
            .try_into()
            .map_err(|v: Vec<Header>| InterpreterError::Headers(format!("{} headers, 10 needed", v.len())))?;
        Ok(ChainContext {
            headers: Box::new(headers),
        })
    }

    /// Height of the newest header.
    pub fn height(&self) -> u32 {
        self.headers[0].height
    }

    /// The context a transaction in the next block is evaluated in.
    pub fn state(&self) -> ErgoStateContext {
        let mut pre = PreHeader::from(self.headers[0].clone());
        pre.height = self.headers[0].height + 1;
        pre.parent_id = self.headers[0].id;
        ErgoStateContext::new(pre, (*self.headers).clone(), Parameters::default())
    }
}

/// What an input's script requires, once evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reduced {
    /// The script holds: nothing to sign.
    True,
    /// The script fails: no signature can help.
    False,
    /// The script holds if this proposition is proven (a signature).
    Proposition(String),
}

/// Why evaluation could not be done.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InterpreterError {
    #[error("block headers: {0}")]
    Headers(String),
    #[error("{what} does not parse in sigma-rust: {message}")]
    Convert { what: String, message: String },
    #[error("the transaction is malformed: {0}")]
    Transaction(String),
    #[error("input {input}: its script is false for this transaction")]
    Rejected { input: usize },
    #[error("input {input}: the script does not evaluate: {message}")]
    Evaluation { input: usize, message: String },
    /// sigma-rust panicked: its AVL verifier does on some proofs of no operation.
    #[error("sigma-rust panicked while {what}: {message}")]
    Panicked { what: String, message: String },
}

/// `f()`, or the panic it raised as [`InterpreterError::Panicked`]: sigma-rust's AVL verifier
/// (ergo_avltree_rust 0.1.1) panics on some proofs of no operation, and a verdict must never
/// take its caller down.
pub fn unpanicked<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, InterpreterError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| InterpreterError::Panicked {
        what: what.to_string(),
        message: p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into()),
    })
}

fn convert<T: SigmaSerializable>(what: impl Into<String>, bytes: &[u8]) -> Result<T, InterpreterError> {
    T::sigma_parse_bytes(bytes).map_err(|e| InterpreterError::Convert {
        what: what.into(),
        message: e.to_string(),
    })
}

/// The transaction in sigma-rust's types, with the boxes it spends and reads: what its wallet
/// signs and its interpreter evaluates.
pub fn to_ergo_lib(tx: &UnsignedTransaction) -> Result<TransactionContext<TheirUnsigned>, InterpreterError> {
    let mut inputs = Vec::new();
    let mut spent = Vec::new();
    for (i, input) in tx.inputs.iter().enumerate() {
        let b: ErgoBox = convert(format!("input {i}"), &input.spent.bytes())?;
        let mut ext = ContextExtension::empty();
        for (k, v) in &input.extension {
            // our parser first: a clear error for what sharestate does not read
            Constant::parse(v).map_err(|e| InterpreterError::Convert {
                what: format!("input {i} variable {k}"),
                message: e.to_string(),
            })?;
            ext.values
                .insert(*k, convert::<TheirConstant>(format!("input {i} variable {k}"), v)?);
        }
        inputs.push(UnsignedInput::new(b.box_id(), ext));
        spent.push(b);
    }
    let data: Vec<ErgoBox> = tx
        .data_inputs
        .iter()
        .enumerate()
        .map(|(i, b)| convert(format!("data input {i}"), &b.bytes()))
        .collect::<Result<_, _>>()?;
    let outputs: Vec<ErgoBoxCandidate> = tx
        .outputs
        .iter()
        .enumerate()
        .map(|(i, o)| convert(format!("output {i}"), &o.bytes()))
        .collect::<Result<_, _>>()?;
    let data_inputs = data.iter().map(|b| DataInput { box_id: b.box_id() }).collect();
    let unsigned = TheirUnsigned::new_from_vec(inputs, data_inputs, outputs)
        .map_err(|e| InterpreterError::Transaction(e.to_string()))?;
    TransactionContext::new(unsigned, spent, data).map_err(|e| InterpreterError::Transaction(e.to_string()))
}

/// Reduces every input's script in `context`.
pub fn evaluate(tx: &UnsignedTransaction, context: &ChainContext) -> Result<Vec<Reduced>, InterpreterError> {
    let ctx = to_ergo_lib(tx)?;
    let state = context.state();
    let reduced = unpanicked("reducing the transaction", || reduce_tx(ctx, &state))?.map_err(|e| {
        let message = e.to_string();
        let input = match &e {
            ergo_lib::wallet::signing::TxSigningError::ProverError(_, i) => *i,
            _ => 0,
        };
        InterpreterError::Evaluation { input, message }
    })?;
    Ok(reduced
        .reduced_inputs()
        .iter()
        .map(|r| match &r.sigma_prop {
            SigmaBoolean::TrivialProp(true) => Reduced::True,
            SigmaBoolean::TrivialProp(false) => Reduced::False,
            other => Reduced::Proposition(format!("{other:?}")),
        })
        .collect())
}

/// `tx` if no input's script is false for it (inputs that need a signature are fine: the wallet
/// adds it); else the first input whose script rejects it.
pub fn checked(tx: UnsignedTransaction, context: &ChainContext) -> Result<UnsignedTransaction, InterpreterError> {
    match evaluate(&tx, context)?.iter().position(|r| *r == Reduced::False) {
        Some(input) => Err(InterpreterError::Rejected { input }),
        None => Ok(tx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_sigma_rust_is_an_error_that_names_it() {
        let quiet = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let caught = unpanicked("reducing", || -> u8 { panic!("index out of bounds") });
        let formatted = unpanicked("validating", || -> u8 { panic!("{} of {}", 3, 2) });
        std::panic::set_hook(quiet);
        assert_eq!(
            caught.unwrap_err().to_string(),
            "sigma-rust panicked while reducing: index out of bounds"
        );
        assert_eq!(
            formatted.unwrap_err().to_string(),
            "sigma-rust panicked while validating: 3 of 2"
        );
        assert_eq!(unpanicked("reducing", || 7), Ok(7));
    }
}
