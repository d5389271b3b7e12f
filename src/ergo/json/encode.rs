//! Chain data written as the node and the explorer serve it: the devnet serves it, and tests
//! feed it back to the decoders.

use crate::encoding::hex;
use crate::ergo::{Constant, ErgoBox, Id, Transaction};
use serde_json::{json, Map, Value};

/// Which interface's JSON to write (the devnet serves both; tests feed both to the decoders).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// The node API with `extraIndex`: registers as hex.
    Node,
    /// The explorer API v1: registers as `{serializedValue, sigmaType, renderedValue}`.
    Explorer,
}

/// A box as `flavor` serves it; `spent_by` and `inclusion_height` as far as known.
pub fn box_json(b: &ErgoBox, flavor: Flavor, spent_by: Option<Id>, inclusion_height: Option<u32>) -> Value {
    let mut regs = Map::new();
    for (i, r) in b.registers.iter().enumerate() {
        let h = hex::encode(r);
        let v = match flavor {
            Flavor::Node => Value::String(h),
            Flavor::Explorer => {
                let parsed = Constant::parse(r).ok();
                json!({
                    "serializedValue": h,
                    "sigmaType": parsed.as_ref().map(|c| c.type_name()),
                    "renderedValue": parsed.as_ref().map(|c| format!("{c:?}")),
                })
            }
        };
        regs.insert(format!("R{}", i + 4), v);
    }
    let assets: Vec<Value> = b
        .tokens
        .iter()
        .map(|t| json!({ "tokenId": hex::encode(&t.id), "amount": t.amount }))
        .collect();
    let mut v = json!({
        "boxId": b.id().to_hex(),
        "transactionId": b.transaction_id.to_hex(),
        "index": b.index,
        "value": b.value,
        "ergoTree": hex::encode(&b.ergo_tree),
        "creationHeight": b.creation_height,
        "assets": assets,
        "additionalRegisters": regs,
        "spentTransactionId": spent_by.map(|i| i.to_hex()),
    });
    if let Some(h) = inclusion_height {
        let key = if flavor == Flavor::Node {
            "inclusionHeight"
        } else {
            "settlementHeight"
        };
        v[key] = json!(h);
    }
    v
}

/// A transaction as `flavor` serves it. The node gives every input's spent box and context
/// extension; the explorer gives the spent boxes' ids only (and no extension). `proofs` are the
/// inputs' proof bytes, when signed.
pub fn transaction_json(
    tx: &Transaction,
    spent: &[ErgoBox],
    proofs: &[Vec<u8>],
    flavor: Flavor,
    inclusion_height: Option<u32>,
    timestamp: Option<u64>,
) -> Value {
    let id = tx.id();
    let inputs: Vec<Value> = tx
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let mut m = match (flavor, spent.get(i)) {
                (Flavor::Node, Some(b)) => box_json(b, flavor, Some(id), None)
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
                _ => Map::new(),
            };
            m.insert("boxId".into(), Value::String(input.box_id.to_hex()));
            let proof_bytes = proofs.get(i).map(|p| hex::encode(p)).unwrap_or_default();
            let proof = match flavor {
                Flavor::Node => {
                    let ext: Map<String, Value> = input
                        .extension
                        .iter()
                        .map(|(k, v)| (k.to_string(), Value::String(hex::encode(v))))
                        .collect();
                    json!({ "proofBytes": proof_bytes, "extension": ext })
                }
                Flavor::Explorer => Value::String(proof_bytes),
            };
            m.insert("spendingProof".into(), proof);
            Value::Object(m)
        })
        .collect();
    let outputs: Vec<Value> = tx
        .output_boxes()
        .iter()
        .map(|b| box_json(b, flavor, None, inclusion_height))
        .collect();
    json!({
        "id": id.to_hex(),
        "inputs": inputs,
        "dataInputs": tx.data_inputs.iter().map(|d| json!({ "boxId": d.to_hex() })).collect::<Vec<_>>(),
        "outputs": outputs,
        "inclusionHeight": inclusion_height,
        "timestamp": timestamp,
    })
}
