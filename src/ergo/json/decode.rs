//! Decoding chain data as the two public interfaces serve it, parsed in Rust from the response
//! text so that amounts above 2^53 stay exact:
//!
//! - the **Ergo node REST API** with `extraIndex` (`/blockchain/box/…`,
//!   `/blockchain/transaction/byId/…`): registers as hex strings; a transaction's inputs carry
//!   `spendingProof.extension`, the context variables;
//! - the **explorer API v1** (`/api/v1/boxes/…`, `/api/v1/transactions/…`): registers as
//!   `{serializedValue, sigmaType, renderedValue}`, boxes with `spentTransactionId`, and no
//!   context extension on inputs.
//!
//! Every box's id is recomputed from its content and a box whose id does not match is refused:
//! an answer is checked, not trusted.

use crate::encoding::hex;
use crate::encoding::text::clip;
use crate::ergo::{Candidate, ErgoBox, Id, Input, Token, Transaction};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use thiserror::Error;

/// Why a response could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JsonError {
    #[error("not the JSON of {what}: {message}")]
    Json { what: &'static str, message: String },
    #[error("{field}: {message}")]
    Field { field: String, message: String },
    #[error("box {claimed}: its content hashes to {computed}, so the answer is not that box")]
    BoxIdMismatch { claimed: String, computed: String },
    #[error("transaction {claimed}: its content hashes to {computed}, so the answer is not that transaction")]
    TxIdMismatch { claimed: String, computed: String },
    #[error("output {index} of transaction {tx}: the box belongs to transaction {box_tx} at index {box_index}")]
    OutputMismatch {
        tx: String,
        index: usize,
        box_tx: String,
        box_index: u16,
    },
    #[error("registers must run from R4 without gaps; {found} is out of place")]
    RegisterGap { found: String },
}

fn field(name: impl Into<String>, message: impl ToString) -> JsonError {
    JsonError::Field {
        field: clip(&name.into()),
        message: clip(&message.to_string()),
    }
}

/// A number either as JSON number or as a decimal string (both appear in the wild).
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum Amount {
    Number(u64),
    Text(String),
}

impl Amount {
    pub(crate) fn get(&self, name: &str) -> Result<u64, JsonError> {
        match self {
            Amount::Number(n) => Ok(*n),
            Amount::Text(s) => s
                .parse()
                .map_err(|_| field(name, format!("{s:?} is not a whole number of u64 range"))),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum RegisterJson {
    /// The node: the serialized constant as hex.
    Hex(String),
    /// The explorer: an object with the serialized constant among rendered forms.
    Rendered {
        #[serde(rename = "serializedValue")]
        serialized_value: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenJson {
    token_id: String,
    amount: Amount,
}

/// What a box holds: the fields of an output before it is a box (EIP-12 outputs), and of a box.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CandidateJson {
    pub(crate) value: Amount,
    pub(crate) ergo_tree: String,
    pub(crate) creation_height: u32,
    #[serde(default)]
    pub(crate) assets: Vec<TokenJson>,
    #[serde(default)]
    pub(crate) additional_registers: BTreeMap<String, RegisterJson>,
}

impl CandidateJson {
    fn decode(&self, at: &str) -> Result<Candidate, JsonError> {
        let tokens = self
            .assets
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Ok(Token {
                    id: id32(&format!("{at}.assets[{i}].tokenId"), &t.token_id)?.0,
                    amount: t.amount.get(&format!("{at}.assets[{i}].amount"))?,
                })
            })
            .collect::<Result<Vec<_>, JsonError>>()?;
        let mut registers = Vec::new();
        for (expected, (name, r)) in (4u8..).zip(&self.additional_registers) {
            if *name != format!("R{expected}") {
                return Err(JsonError::RegisterGap { found: clip(name) });
            }
            let h = match r {
                RegisterJson::Hex(h) => h,
                RegisterJson::Rendered { serialized_value } => serialized_value,
            };
            registers.push(hex::decode(h).map_err(|e| field(format!("{at}.additionalRegisters.{name}"), e))?);
        }
        Ok(Candidate {
            value: self.value.get(&format!("{at}.value"))?,
            ergo_tree: hex::decode(&self.ergo_tree).map_err(|e| field(format!("{at}.ergoTree"), e))?,
            creation_height: self.creation_height,
            tokens,
            registers,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BoxJson {
    pub(crate) box_id: String,
    pub(crate) transaction_id: String,
    pub(crate) index: u16,
    #[serde(flatten)]
    pub(crate) content: CandidateJson,
    #[serde(default)]
    pub(crate) spent_transaction_id: Option<String>,
    /// node: inclusionHeight; explorer: settlementHeight
    #[serde(default, alias = "settlementHeight")]
    pub(crate) inclusion_height: Option<u32>,
    #[serde(default)]
    pub(crate) address: Option<String>,
}

/// A box as an interface reported it, checked against its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBox {
    pub id: Id,
    pub ergo_box: ErgoBox,
    /// The transaction that spent it, when the interface knows (and it is spent).
    pub spent_transaction_id: Option<Id>,
    /// Height of the block that holds the creating transaction, when given.
    pub inclusion_height: Option<u32>,
    /// The address the interface reports (not checked: the ErgoTree is what counts).
    pub address: Option<String>,
}

pub(crate) fn id32(name: &str, s: &str) -> Result<Id, JsonError> {
    hex::decode_array::<32>(s).map(Id).map_err(|e| field(name, e))
}

impl BoxJson {
    pub(crate) fn decode(self, at: &str) -> Result<ChainBox, JsonError> {
        let claimed = id32(&format!("{at}.boxId"), &self.box_id)?;
        let tx_id = id32(&format!("{at}.transactionId"), &self.transaction_id)?;
        let ergo_box = self.content.decode(at)?.to_box(tx_id, self.index);
        let computed = ergo_box.id();
        if computed != claimed {
            return Err(JsonError::BoxIdMismatch {
                claimed: claimed.to_hex(),
                computed: computed.to_hex(),
            });
        }
        let spent_transaction_id = match &self.spent_transaction_id {
            Some(s) => Some(id32(&format!("{at}.spentTransactionId"), s)?),
            None => None,
        };
        Ok(ChainBox {
            id: computed,
            ergo_box,
            spent_transaction_id,
            inclusion_height: self.inclusion_height,
            address: self.address,
        })
    }
}

/// Decodes a box candidate: an output not yet in a transaction (EIP-12 `outputs`).
pub fn decode_candidate(json: &serde_json::Value, at: &str) -> Result<Candidate, JsonError> {
    let c = CandidateJson::deserialize(json).map_err(|e| field(at, e))?;
    c.decode(at)
}

/// Decodes one box (node or explorer form) and checks its id.
pub fn decode_box(json: &str) -> Result<ChainBox, JsonError> {
    let b: BoxJson = serde_json::from_str(json).map_err(|e| JsonError::Json {
        what: "a box",
        message: clip(&e.to_string()),
    })?;
    b.decode("box")
}

#[derive(Deserialize)]
#[serde(untagged)]
enum BoxList {
    Plain(Vec<serde_json::Value>),
    Paged { items: Vec<serde_json::Value> },
}

/// Decodes a list of boxes: a JSON array (node) or `{items: [...], total}` (explorer).
pub fn decode_boxes(json: &str) -> Result<Vec<ChainBox>, JsonError> {
    Ok(decode_boxes_with_texts(json)?.into_iter().map(|(b, _)| b).collect())
}

/// [`decode_boxes`], each box with its own JSON text, the answer to that one box ([`decode_box`]
/// reads it: what a cache keeps; a box's JSON holds nothing whose order matters).
pub fn decode_boxes_with_texts(json: &str) -> Result<Vec<(ChainBox, String)>, JsonError> {
    let list: BoxList = serde_json::from_str(json).map_err(|e| JsonError::Json {
        what: "a list of boxes",
        message: clip(&e.to_string()),
    })?;
    let items = match list {
        BoxList::Plain(v) | BoxList::Paged { items: v } => v,
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let text = v.to_string();
            let b: BoxJson = serde_json::from_value(v).map_err(|e| field(format!("items[{i}]"), e))?;
            Ok((b.decode(&format!("items[{i}]"))?, text))
        })
        .collect()
}

/// A JSON object read as its entries in document order (a context extension's order is part of
/// the transaction's bytes).
pub(crate) struct Ordered(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ordered, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of hex strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Ordered, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry::<String, String>()? {
                    v.push(e);
                }
                Ok(Ordered(v))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SpendingProof {
    /// The node: proof bytes and the context extension.
    Node {
        #[serde(default)]
        extension: Option<Ordered>,
    },
    /// The explorer: the proof bytes only.
    ProofOnly(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InputJson {
    box_id: String,
    #[serde(default)]
    spending_proof: Option<SpendingProof>,
    /// The rest: the spent box's fields, when the interface includes them.
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DataInputJson {
    box_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransactionJson {
    id: String,
    inputs: Vec<InputJson>,
    #[serde(default)]
    data_inputs: Vec<DataInputJson>,
    outputs: Vec<BoxJson>,
    #[serde(default)]
    inclusion_height: Option<u32>,
    #[serde(default)]
    timestamp: Option<u64>,
}

/// An input as an interface reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainInput {
    pub box_id: Id,
    /// The context variables, if the interface gives them (the node does, the explorer does not).
    pub extension: Option<Vec<(u8, Vec<u8>)>>,
    /// The spent box, if the interface gives all its fields (checked against `box_id`).
    pub spent_box: Option<ChainBox>,
}

/// A transaction as an interface reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainTransaction {
    pub id: Id,
    /// Whether `id` was recomputed from the content, which needs every input's context
    /// extension: true for the node's answers, false for the explorer's.
    pub id_verified: bool,
    pub inputs: Vec<ChainInput>,
    pub data_inputs: Vec<Id>,
    /// The created boxes, each checked against its id.
    pub outputs: Vec<ChainBox>,
    pub inclusion_height: Option<u32>,
    pub timestamp: Option<u64>,
}

impl ChainTransaction {
    /// The transaction's content, when every input's extension is known.
    pub fn transaction(&self) -> Option<Transaction> {
        let inputs = self
            .inputs
            .iter()
            .map(|i| {
                Some(Input {
                    box_id: i.box_id,
                    extension: i.extension.clone()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Transaction {
            inputs,
            data_inputs: self.data_inputs.clone(),
            outputs: self.outputs.iter().map(|o| Candidate::from(&o.ergo_box)).collect(),
        })
    }
}

pub(crate) fn decode_extension(at: &str, e: &Ordered) -> Result<Vec<(u8, Vec<u8>)>, JsonError> {
    e.0.iter()
        .map(|(k, v)| {
            let id: u8 = k
                .parse()
                .map_err(|_| field(format!("{at}.extension"), format!("{k:?} is not a variable id 0..255")))?;
            Ok((
                id,
                hex::decode(v).map_err(|err| field(format!("{at}.extension.{k}"), err))?,
            ))
        })
        .collect()
}

/// Decodes a transaction (node or explorer form): checks every output box's id and, when the
/// context extensions are given, the transaction's own id.
pub fn decode_transaction(json: &str) -> Result<ChainTransaction, JsonError> {
    let t: TransactionJson = serde_json::from_str(json).map_err(|e| JsonError::Json {
        what: "a transaction",
        message: clip(&e.to_string()),
    })?;
    let id = id32("id", &t.id)?;
    let mut inputs = Vec::with_capacity(t.inputs.len());
    for (i, input) in t.inputs.into_iter().enumerate() {
        let at = format!("inputs[{i}]");
        let box_id = id32(&format!("{at}.boxId"), &input.box_id)?;
        let extension = match &input.spending_proof {
            Some(SpendingProof::Node { extension: Some(e) }) => Some(decode_extension(&at, e)?),
            Some(SpendingProof::Node { extension: None }) => Some(Vec::new()),
            _ => None,
        };
        // the node's indexed transactions give the spent boxes whole
        let spent_box = if input.rest.contains_key("ergoTree") && input.rest.contains_key("transactionId") {
            let mut fields = input.rest.clone();
            fields.insert("boxId".into(), serde_json::Value::String(input.box_id.clone()));
            let b: BoxJson = serde_json::from_value(serde_json::Value::Object(fields)).map_err(|e| field(&at, e))?;
            Some(b.decode(&at)?)
        } else {
            None
        };
        inputs.push(ChainInput {
            box_id,
            extension,
            spent_box,
        });
    }
    let data_inputs = data_input_ids(t.data_inputs.iter().map(|d| d.box_id.as_str()))?;
    checked_transaction(id, inputs, data_inputs, t.outputs, t.inclusion_height, t.timestamp)
}

/// The data inputs' box ids, in order.
pub(crate) fn data_input_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Result<Vec<Id>, JsonError> {
    ids.enumerate()
        .map(|(i, d)| id32(&format!("dataInputs[{i}].boxId"), d))
        .collect()
}

/// A transaction from its decoded inputs and data inputs and its outputs as JSON: every output
/// checked against its id and its place in the transaction, and the transaction's own id
/// recomputed when every input's context extension is known.
pub(crate) fn checked_transaction(
    id: Id,
    inputs: Vec<ChainInput>,
    data_inputs: Vec<Id>,
    outputs: Vec<BoxJson>,
    inclusion_height: Option<u32>,
    timestamp: Option<u64>,
) -> Result<ChainTransaction, JsonError> {
    let outputs = outputs
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let b = o.decode(&format!("outputs[{i}]"))?;
            if b.ergo_box.transaction_id != id || b.ergo_box.index as usize != i {
                return Err(JsonError::OutputMismatch {
                    tx: id.to_hex(),
                    index: i,
                    box_tx: b.ergo_box.transaction_id.to_hex(),
                    box_index: b.ergo_box.index,
                });
            }
            Ok(b)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut tx = ChainTransaction {
        id,
        id_verified: false,
        inputs,
        data_inputs,
        outputs,
        inclusion_height,
        timestamp,
    };
    if let Some(content) = tx.transaction() {
        let computed = content.id();
        if computed != id {
            return Err(JsonError::TxIdMismatch {
                claimed: id.to_hex(),
                computed: computed.to_hex(),
            });
        }
        tx.id_verified = true;
    }
    Ok(tx)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX1: &str = include_str!("../../../tests/fixtures/box1.json");

    #[crate::test]
    fn the_explorer_fixture_decodes_and_its_id_recomputes() {
        let b = decode_box(BOX1).unwrap();
        assert_eq!(
            b.id.to_hex(),
            "b56c1c51234dcaa9bfdc46db052dae1b0b53ea77b87fe9f4ed2c8a24994fb42c"
        );
        assert_eq!(b.ergo_box.value, 1_100_000);
        assert_eq!(b.ergo_box.registers.len(), 2);
        assert_eq!(b.ergo_box.tokens[0].amount, 1);
        assert_eq!(b.inclusion_height, Some(214339));
        assert!(b.spent_transaction_id.is_none());
    }

    #[crate::test]
    fn a_changed_box_is_refused() {
        let changed = BOX1.replace("\"value\": 1100000", "\"value\": 1100001");
        assert!(matches!(decode_box(&changed), Err(JsonError::BoxIdMismatch { .. })));
        let changed = BOX1.replace("\"R5\"", "\"R6\"");
        assert!(matches!(decode_box(&changed), Err(JsonError::RegisterGap { .. })));
        assert!(matches!(decode_box("[]"), Err(JsonError::Json { .. })));
    }

    #[crate::test]
    fn the_node_form_decodes_to_the_same_box_and_amounts_stay_exact() {
        let explorer = decode_box(BOX1).unwrap();
        let v: serde_json::Value = serde_json::from_str(BOX1).unwrap();
        let mut node = v.clone();
        for r in ["R4", "R5"] {
            node["additionalRegisters"][r] = v["additionalRegisters"][r]["serializedValue"].clone();
        }
        node["assets"] = serde_json::json!([{ "tokenId": v["assets"][0]["tokenId"], "amount": 1 }]);
        assert_eq!(decode_box(&node.to_string()).unwrap().ergo_box, explorer.ergo_box);

        // a value above 2^53, as a number and as a string, survives exactly (the id then differs)
        let big = BOX1.replace("\"value\": 1100000", "\"value\": 9007199254740993");
        match decode_box(&big) {
            Err(JsonError::BoxIdMismatch { .. }) => {}
            other => panic!("{other:?}"),
        }
        let mut b = explorer.ergo_box.clone();
        b.value = 9_007_199_254_740_993;
        let mut j = v.clone();
        j["value"] = serde_json::json!("9007199254740993");
        j["boxId"] = serde_json::json!(b.id().to_hex());
        assert_eq!(
            decode_box(&j.to_string()).unwrap().ergo_box.value,
            9_007_199_254_740_993
        );
    }

    #[crate::test]
    fn lists_come_plain_or_paged() {
        let one: serde_json::Value = serde_json::from_str(BOX1).unwrap();
        let plain = serde_json::json!([one.clone(), one.clone()]).to_string();
        assert_eq!(decode_boxes(&plain).unwrap().len(), 2);
        let paged = serde_json::json!({ "items": [one], "total": 1 }).to_string();
        assert_eq!(decode_boxes(&paged).unwrap().len(), 1);
        // each box's own text is the answer to that box (what a cache keeps of a listing)
        for (b, text) in decode_boxes_with_texts(&plain).unwrap() {
            assert_eq!(decode_box(&text).unwrap(), b);
        }
    }
}
