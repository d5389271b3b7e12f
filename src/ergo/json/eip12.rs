//! Unsigned transactions in the EIP-12 JSON form that dApp connectors (Nautilus and others) sign
//! and that Fleet SDK produces (`toEIP12Object()`): inputs and data inputs as whole boxes (inputs
//! with their context extension), outputs as box candidates; amounts as decimal strings.

use crate::encoding::hex;
use crate::ergo::json::{decode_box, decode_candidate, JsonError};
use crate::ergo::{Candidate, ErgoBox, Id, Input, Token, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// An input: the box it spends and the context variables it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsignedInput {
    pub spent: ErgoBox,
    pub extension: Vec<(u8, Vec<u8>)>,
}

/// A transaction to sign, with everything a wallet or an interpreter needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsignedTransaction {
    pub inputs: Vec<UnsignedInput>,
    pub data_inputs: Vec<ErgoBox>,
    pub outputs: Vec<Candidate>,
}

fn registers_json(registers: &[Vec<u8>]) -> Value {
    let mut m = Map::new();
    for (i, r) in registers.iter().enumerate() {
        m.insert(format!("R{}", i + 4), Value::String(hex::encode(r)));
    }
    Value::Object(m)
}

fn assets_json(tokens: &[Token]) -> Value {
    tokens
        .iter()
        .map(|t| json!({ "tokenId": hex::encode(&t.id), "amount": t.amount.to_string() }))
        .collect()
}

fn box_json(b: &ErgoBox) -> Map<String, Value> {
    let v = json!({
        "boxId": b.id().to_hex(),
        "value": b.value.to_string(),
        "ergoTree": hex::encode(&b.ergo_tree),
        "creationHeight": b.creation_height,
        "assets": assets_json(&b.tokens),
        "additionalRegisters": registers_json(&b.registers),
        "transactionId": b.transaction_id.to_hex(),
        "index": b.index,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Why EIP-12 JSON could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Eip12Error {
    #[error("not the JSON of an EIP-12 transaction: {0}")]
    Json(String),
    #[error("{at}: {source}")]
    Box {
        at: String,
        #[source]
        source: JsonError,
    },
    #[error("{at}: {message}")]
    Field { at: String, message: String },
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct Eip12 {
    inputs: Vec<Value>,
    #[serde(default)]
    data_inputs: Vec<Value>,
    outputs: Vec<Value>,
}

impl UnsignedTransaction {
    /// The transaction's content (its id is the id it will have once signed).
    pub fn transaction(&self) -> Transaction {
        Transaction {
            inputs: self
                .inputs
                .iter()
                .map(|i| Input {
                    box_id: i.spent.id(),
                    extension: i.extension.clone(),
                })
                .collect(),
            data_inputs: self.data_inputs.iter().map(ErgoBox::id).collect(),
            outputs: self.outputs.clone(),
        }
    }

    /// The id the transaction will have.
    pub fn id(&self) -> Id {
        self.transaction().id()
    }

    /// The EIP-12 JSON object.
    pub fn to_eip12(&self) -> Value {
        let inputs: Vec<Value> = self
            .inputs
            .iter()
            .map(|i| {
                let mut m = box_json(&i.spent);
                let ext: Map<String, Value> = i
                    .extension
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::String(hex::encode(v))))
                    .collect();
                m.insert("extension".into(), Value::Object(ext));
                Value::Object(m)
            })
            .collect();
        let data_inputs: Vec<Value> = self.data_inputs.iter().map(|b| Value::Object(box_json(b))).collect();
        let outputs: Vec<Value> = self
            .outputs
            .iter()
            .map(|o| {
                json!({
                    "value": o.value.to_string(),
                    "ergoTree": hex::encode(&o.ergo_tree),
                    "creationHeight": o.creation_height,
                    "assets": assets_json(&o.tokens),
                    "additionalRegisters": registers_json(&o.registers),
                })
            })
            .collect();
        json!({ "inputs": inputs, "dataInputs": data_inputs, "outputs": outputs })
    }

    /// Reads EIP-12 JSON; every box's id is checked.
    pub fn from_eip12(json: &str) -> Result<UnsignedTransaction, Eip12Error> {
        let t: Eip12 = serde_json::from_str(json).map_err(|e| Eip12Error::Json(e.to_string()))?;
        let as_box = |at: String, v: &Value| -> Result<ErgoBox, Eip12Error> {
            decode_box(&v.to_string())
                .map(|b| b.ergo_box)
                .map_err(|source| Eip12Error::Box { at, source })
        };
        let mut inputs = Vec::new();
        for (i, v) in t.inputs.iter().enumerate() {
            let at = format!("inputs[{i}]");
            let spent = as_box(at.clone(), v)?;
            let mut extension = Vec::new();
            if let Some(Value::Object(ext)) = v.get("extension") {
                for (k, val) in ext {
                    let id: u8 = k.parse().map_err(|_| Eip12Error::Field {
                        at: at.clone(),
                        message: format!("extension key {k:?}"),
                    })?;
                    let bytes = val
                        .as_str()
                        .ok_or_else(|| Eip12Error::Field {
                            at: at.clone(),
                            message: format!("extension {k} is not a string"),
                        })
                        .and_then(|s| {
                            hex::decode(s).map_err(|e| Eip12Error::Field {
                                at: at.clone(),
                                message: e.to_string(),
                            })
                        })?;
                    extension.push((id, bytes));
                }
            }
            inputs.push(UnsignedInput { spent, extension });
        }
        let data_inputs = t
            .data_inputs
            .iter()
            .enumerate()
            .map(|(i, v)| as_box(format!("dataInputs[{i}]"), v))
            .collect::<Result<_, _>>()?;
        let outputs = t
            .outputs
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let at = format!("outputs[{i}]");
                decode_candidate(v, &at).map_err(|source| Eip12Error::Box { at, source })
            })
            .collect::<Result<_, _>>()?;
        Ok(UnsignedTransaction {
            inputs,
            data_inputs,
            outputs,
        })
    }
}
