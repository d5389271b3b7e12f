//! The explorer's GraphQL service, **ergo-graphql**: the queries sharestate asks (JSON POSTs to
//! the service's one URL) and their answers decoded into checked boxes and transactions.
//!
//! Its boxes carry registers as hex (`additionalRegisters: {R4: "…"}`), amounts as decimal
//! strings, `settlementHeight` and `spentBy { transactionId }`; its transactions carry each
//! input's context `extension` (so a payout replays from it, and the transaction's id is
//! recomputed) and the spent `box`. The answers are mapped onto the node's form and checked by
//! the same code ([`crate::ergo::json::decode`]): one box id check, one transaction id check.
//!
//! The explorer keeps a context extension as the JSON object it was given; its keys are read in
//! the order served. Should that order differ from the transaction's, the id does not recompute
//! and the answer is refused (never taken on trust). A transaction the explorer also saw in an
//! orphaned block may come with its inputs and outputs twice: one of each index is kept, and the
//! recomputed id says whether what is kept is the transaction.

use super::{clip, Batch, Item, Method, Query, Request, SourceError};
use crate::ergo::json::decode::{
    checked_transaction, data_input_ids, decode_extension, id32, Amount, BoxJson, CandidateJson, Ordered, RegisterJson,
    TokenJson,
};
use crate::ergo::json::{ChainBox, ChainInput, ChainTransaction, JsonError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The most items ergo-graphql gives in one list (`take`).
pub const MAX_TAKE: usize = 200;

/// The most ids one `boxIds` or `transactionIds` list may hold (ergo-graphql's `ArrayMaxSize`).
pub const MAX_IDS: usize = 20;

/// A box's fields as sharestate reads them (spent status included).
const BOX_FIELDS: &str = "boxId transactionId index value creationHeight settlementHeight ergoTree \
     additionalRegisters assets { tokenId amount } spentBy { transactionId }";

/// A spent box's fields, inside a transaction's input (ergo-graphql limits a query's depth).
const SPENT_BOX_FIELDS: &str =
    "boxId transactionId index value creationHeight ergoTree additionalRegisters assets { tokenId amount }";

/// A transaction's fields: each input's context extension and spent box, the outputs with
/// their spent status.
fn transaction_fields() -> String {
    format!(
        "transactionId inclusionHeight timestamp inputs {{ boxId index extension box {{ {SPENT_BOX_FIELDS} }} }} \
         dataInputs {{ boxId index }} outputs {{ {BOX_FIELDS} }}"
    )
}

/// A query to the service's one URL, JSON-posted.
pub(crate) fn post(query: String, variables: serde_json::Value) -> Request {
    let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
    Request {
        method: Method::Post,
        path: String::new(),
        body: Some((body, "application/json")),
    }
}

/// The request that asks ergo-graphql `query`.
pub fn request(query: &Query) -> Request {
    use serde_json::json;
    match query {
        Query::Box(id) => post(
            format!("query Box($id: String) {{ boxes(boxId: $id) {{ {BOX_FIELDS} }} }}"),
            json!({ "id": id.to_hex() }),
        ),
        Query::Transaction(id) => post(
            format!("query Transaction($id: String) {{ transactions(transactionId: $id) {{ {} }} }}", transaction_fields()),
            json!({ "id": id.to_hex() }),
        ),
        Query::BoxesByToken { token, offset, limit } => post(
            format!(
                "query BoxesByToken($token: String, $skip: Int, $take: Int) {{ boxes(tokenId: $token, skip: $skip, take: $take) {{ {BOX_FIELDS} }} }}"
            ),
            json!({ "token": token.to_hex(), "skip": offset, "take": limit.clamp(&1, &MAX_TAKE) }),
        ),
        Query::BoxesByAddress { address, offset, limit } => post(
            format!(
                "query BoxesByAddress($address: String, $skip: Int, $take: Int) {{ boxes(address: $address, skip: $skip, take: $take) {{ {BOX_FIELDS} }} }}"
            ),
            json!({ "address": address, "skip": offset, "take": limit.clamp(&1, &MAX_TAKE) }),
        ),
        Query::Height => post("query Height { state { height } }".into(), json!({})),
        Query::Info => post("query Info { info { version } }".into(), json!({})),
    }
}

/// The request that asks ergo-graphql for every id of `batch` at once (at most [`MAX_IDS`]; a
/// longer list is the caller's to split, see [`super::SourceKind::max_batch`]). The page is the
/// service's largest: a transaction listed once per block it was seen in must not push another
/// id's answer off it.
pub fn batch_request(batch: &Batch) -> Request {
    use serde_json::json;
    let hex = |ids: &[crate::ergo::Id]| ids.iter().map(|i| i.to_hex()).collect::<Vec<_>>();
    match batch {
        Batch::Boxes(ids) => post(
            format!("query Boxes($ids: [String!], $take: Int) {{ boxes(boxIds: $ids, take: $take) {{ {BOX_FIELDS} }} }}"),
            json!({ "ids": hex(ids), "take": MAX_TAKE }),
        ),
        Batch::Transactions(ids) => post(
            format!(
                "query Transactions($ids: [String!], $take: Int) {{ transactions(transactionIds: $ids, take: $take) {{ {} }} }}",
                transaction_fields()
            ),
            json!({ "ids": hex(ids), "take": MAX_TAKE }),
        ),
    }
}

#[derive(Deserialize)]
struct GraphqlError {
    #[serde(default)]
    message: String,
}

/// A GraphQL response: data, or errors.
#[derive(Deserialize)]
struct Envelope<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Vec<GraphqlError>,
}

pub(crate) fn open<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> Result<T, SourceError> {
    let e: Envelope<T> = serde_json::from_str(text).map_err(|e| JsonError::Json {
        what,
        message: clip(&e.to_string()),
    })?;
    if let Some(first) = e.errors.first() {
        return Err(SourceError::Graphql {
            message: clip(&first.message),
        });
    }
    e.data.ok_or_else(|| {
        JsonError::Json {
            what,
            message: "neither data nor errors".into(),
        }
        .into()
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spender {
    transaction_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GraphqlBox {
    box_id: String,
    transaction_id: String,
    index: u16,
    value: Amount,
    creation_height: u32,
    ergo_tree: String,
    #[serde(default)]
    additional_registers: BTreeMap<String, RegisterJson>,
    #[serde(default)]
    assets: Vec<TokenJson>,
    #[serde(default)]
    settlement_height: Option<u32>,
    #[serde(default)]
    spent_by: Option<Spender>,
}

impl GraphqlBox {
    fn decode(self, at: &str) -> Result<ChainBox, JsonError> {
        self.node_form().decode(at)
    }

    /// The box in the node's form, to be checked as the node's are.
    fn node_form(self) -> BoxJson {
        BoxJson {
            box_id: self.box_id,
            transaction_id: self.transaction_id,
            index: self.index,
            content: CandidateJson {
                value: self.value,
                ergo_tree: self.ergo_tree,
                creation_height: self.creation_height,
                assets: self.assets,
                additional_registers: self.additional_registers,
            },
            spent_transaction_id: self.spent_by.map(|s| s.transaction_id),
            inclusion_height: self.settlement_height,
            address: None,
        }
    }
}

#[derive(Deserialize)]
struct Boxes {
    boxes: Vec<GraphqlBox>,
}

/// The answer to a box by id: exactly one box, its id recomputed.
pub fn box_answer(text: &str) -> Result<ChainBox, SourceError> {
    let Boxes { boxes } = open(text, "a GraphQL answer of boxes")?;
    match <[GraphqlBox; 1]>::try_from(boxes) {
        Ok([b]) => Ok(b.decode("boxes[0]")?),
        Err(v) if v.is_empty() => Err(SourceError::NotFound { what: "box".into() }),
        Err(v) => Err(SourceError::NotOne {
            what: "boxes",
            count: v.len(),
        }),
    }
}

/// The answer to a listing: every box, each id recomputed.
pub fn boxes_answer(text: &str) -> Result<Vec<ChainBox>, SourceError> {
    let Boxes { boxes } = open(text, "a GraphQL answer of boxes")?;
    Ok(boxes
        .into_iter()
        .enumerate()
        .map(|(i, b)| b.decode(&format!("boxes[{i}]")))
        .collect::<Result<_, _>>()?)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GraphqlInput {
    box_id: String,
    #[serde(default)]
    index: Option<u32>,
    extension: Option<Ordered>,
    #[serde(default, rename = "box")]
    spent: Option<GraphqlBox>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GraphqlDataInput {
    box_id: String,
    #[serde(default)]
    index: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GraphqlTransaction {
    transaction_id: String,
    inputs: Vec<GraphqlInput>,
    #[serde(default)]
    data_inputs: Vec<GraphqlDataInput>,
    outputs: Vec<GraphqlBox>,
    #[serde(default)]
    inclusion_height: Option<u32>,
    #[serde(default)]
    timestamp: Option<Amount>,
}

#[derive(Deserialize)]
struct Transactions {
    transactions: Vec<GraphqlTransaction>,
}

/// The answer to a transaction by id: exactly one, its inputs in their order, its outputs
/// checked against their ids and places, and its own id recomputed from the inputs' context
/// extensions.
pub fn transaction_answer(text: &str) -> Result<ChainTransaction, SourceError> {
    let Transactions { transactions } = open(text, "a GraphQL answer of transactions")?;
    match <[GraphqlTransaction; 1]>::try_from(transactions) {
        Ok([t]) => t.decode(),
        Err(v) if v.is_empty() => Err(SourceError::NotFound {
            what: "transaction".into(),
        }),
        Err(v) => Err(SourceError::NotOne {
            what: "transactions",
            count: v.len(),
        }),
    }
}

/// A list item kept as its text (a context extension's key order is part of a transaction's
/// bytes: a parsed JSON value would not keep it).
type Raw = Box<serde_json::value::RawValue>;

#[derive(Deserialize)]
struct ListedBoxes {
    boxes: Vec<Raw>,
}

#[derive(Deserialize)]
struct ListedTransactions {
    transactions: Vec<Raw>,
}

/// The id a list item claims to be: a box's `boxId`, a transaction's `transactionId` (a box
/// also names the transaction that made it).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Claim {
    #[serde(default)]
    box_id: Option<String>,
    #[serde(default)]
    transaction_id: Option<String>,
}

/// Each item of a list decoded on its own, under the id it claims: one item that does not
/// decode is that item's error, not the whole answer's.
fn items<G: serde::de::DeserializeOwned, T>(
    list: Vec<Raw>,
    field: &str,
    decode: impl Fn(usize, G) -> Result<T, SourceError>,
) -> Vec<Item<T>> {
    list.into_iter()
        .enumerate()
        .map(|(i, raw)| Item {
            text: format!(r#"{{"data":{{"{field}":[{}]}}}}"#, raw.get()),
            claimed: serde_json::from_str::<Claim>(raw.get())
                .ok()
                .and_then(|c| if field == "boxes" { c.box_id } else { c.transaction_id })
                .unwrap_or_default()
                .to_ascii_lowercase(),
            value: serde_json::from_str::<G>(raw.get())
                .map_err(|e| {
                    SourceError::from(JsonError::Json {
                        what: "a GraphQL list item",
                        message: clip(&format!("[{i}]: {e}")),
                    })
                })
                .and_then(|g| decode(i, g)),
        })
        .collect()
}

/// The answer to [`Batch::Boxes`]: every box listed, each decoded and its id recomputed on its
/// own ([`super::answers_for`] matches them to the ids asked).
pub fn batch_boxes_answer(text: &str) -> Result<Vec<Item<ChainBox>>, SourceError> {
    let ListedBoxes { boxes } = open(text, "a GraphQL answer of boxes")?;
    Ok(items(boxes, "boxes", |i, b: GraphqlBox| {
        Ok(b.decode(&format!("boxes[{i}]"))?)
    }))
}

/// The answer to [`Batch::Transactions`]: every transaction listed, each decoded and checked
/// as [`transaction_answer`] checks one.
pub fn batch_transactions_answer(text: &str) -> Result<Vec<Item<ChainTransaction>>, SourceError> {
    let ListedTransactions { transactions } = open(text, "a GraphQL answer of transactions")?;
    Ok(items(transactions, "transactions", |_, t: GraphqlTransaction| {
        t.decode()
    }))
}

impl GraphqlTransaction {
    /// The transaction, its inputs in their order, its outputs checked against their ids and
    /// places, and its own id recomputed from the inputs' context extensions.
    fn decode(mut self) -> Result<ChainTransaction, SourceError> {
        let t = &mut self;
        let id = id32("transactionId", &t.transaction_id)?;
        // lists come in the order the service chose: inputs and data inputs by their index,
        // outputs by theirs (each output's index is part of its id, checked below)
        t.inputs.sort_by_key(|i| i.index);
        t.data_inputs.sort_by_key(|d| d.index);
        t.outputs.sort_by_key(|o| o.index);
        // the same transaction in another block lists them again: one of each index
        if t.inputs.iter().all(|i| i.index.is_some()) {
            t.inputs.dedup_by_key(|i| i.index);
        }
        if t.data_inputs.iter().all(|d| d.index.is_some()) {
            t.data_inputs.dedup_by_key(|d| d.index);
        }
        t.outputs.dedup_by_key(|o| o.index);
        let mut inputs = Vec::with_capacity(self.inputs.len());
        for (i, input) in self.inputs.into_iter().enumerate() {
            let at = format!("inputs[{i}]");
            let box_id = id32(&format!("{at}.boxId"), &input.box_id)?;
            let extension = match &input.extension {
                Some(e) => Some(decode_extension(&at, e)?),
                None => None,
            };
            let spent_box = match input.spent {
                Some(b) => {
                    let b = b.decode(&format!("{at}.box"))?;
                    if b.id != box_id {
                        return Err(JsonError::Field {
                            field: format!("{at}.box"),
                            message: format!("the box given is {}, not the input's {}", b.id, box_id),
                        }
                        .into());
                    }
                    Some(b)
                }
                None => None,
            };
            inputs.push(ChainInput {
                box_id,
                extension,
                spent_box,
            });
        }
        let data_inputs = data_input_ids(self.data_inputs.iter().map(|d| d.box_id.as_str()))?;
        let timestamp = self.timestamp.map(|s| s.get("timestamp")).transpose()?;
        let outputs = self.outputs.into_iter().map(GraphqlBox::node_form).collect();
        Ok(checked_transaction(
            id,
            inputs,
            data_inputs,
            outputs,
            self.inclusion_height,
            timestamp,
        )?)
    }
}

#[derive(Deserialize)]
struct State {
    state: Height,
}

#[derive(Deserialize)]
struct Height {
    height: u32,
}

#[derive(Deserialize)]
struct InfoData {
    info: Version,
}

#[derive(Deserialize)]
struct Version {
    version: String,
}

/// The answer to `info { version }`: ergo-graphql serves every index and every extension.
pub fn info_answer(text: &str) -> Result<super::Capabilities, SourceError> {
    let InfoData { info } = open(text, "a GraphQL answer of the info")?;
    Ok(super::Capabilities {
        kind: super::SourceKind::Graphql,
        version: Some(super::version_text(&info.version)),
        indexed: Some(true),
        extensions: Some(true),
    })
}

/// The answer to the height: `state { height }`.
pub fn height_answer(text: &str) -> Result<u32, SourceError> {
    let State { state } = open(text, "a GraphQL answer of the state").map_err(|e| match e {
        SourceError::Json(j) => SourceError::NoHeight { detail: j.to_string() },
        other => other,
    })?;
    Ok(state.height)
}

#[cfg(test)]
mod tests;
