//! The devnet's **GraphQL endpoint** (`POST /graphql`): the part of ergo-graphql's schema that
//! clients of the explorer's GraphQL service use — `boxes` (by id, ids, token, address, tree or
//! transaction; spent or not; newest first; `skip`/`take` up to 200), `transactions` (by id or ids; inputs with
//! their context `extension`, `proofBytes` and spent `box`), `state` and `info` — with its names,
//! its types (amounts as decimal strings, registers and extensions as JSON objects of hex) and
//! its limits, served by async-graphql over the same ledger as the node and explorer APIs.

use crate::ledger::{BoxRecord, Ledger};
use crate::{Devnet, Tamper};
use async_graphql::{
    Context, EmptyMutation, EmptySubscription, Error, InputValueResult, Name, Object, Result, Scalar, ScalarType,
    Schema, Value,
};
use sharestate::ergo::{ErgoBox, Id};
use sharestate::{hex, Address, Network};
use std::sync::{Arc, Mutex};

/// The most items one list gives, as ergo-graphql's `MAX_TAKE`.
pub const MAX_TAKE: i32 = 200;

pub type DevnetSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// The schema over the shared devnet.
pub fn schema(devnet: Arc<Mutex<Devnet>>) -> DevnetSchema {
    Schema::build(QueryRoot, EmptyMutation, EmptySubscription)
        .data(devnet)
        // ergo-graphql refuses queries deeper than 5 levels
        .limit_depth(6)
        .finish()
}

fn devnet<'c>(ctx: &Context<'c>) -> Result<std::sync::MutexGuard<'c, Devnet>> {
    let shared = ctx.data::<Arc<Mutex<Devnet>>>()?;
    Ok(shared.lock().unwrap_or_else(|p| p.into_inner()))
}

/// A JSON object of strings in a given key order, as ergo-graphql's `JSONObject` scalar carries
/// registers (`{R4: hex}`) and context extensions (`{"0": hex}`).
pub struct JsonObject(Vec<(String, String)>);

#[Scalar(name = "JSONObject")]
impl ScalarType for JsonObject {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::Object(m) => Ok(JsonObject(
                m.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            )),
            other => Err(async_graphql::InputValueError::expected_type(other)),
        }
    }

    fn to_value(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(k, v)| (Name::new(k), Value::String(v.clone())))
                .collect(),
        )
    }
}

fn id_arg(name: &str, s: &str) -> Result<Id> {
    hex::decode_array::<32>(s)
        .map(Id)
        .map_err(|e| Error::new(format!("{name}: {e}")))
}

/// The paging arguments checked first, as ergo-graphql validates them before it queries.
fn check_page(skip: i32, take: i32) -> Result<()> {
    if !(1..=MAX_TAKE).contains(&take) {
        return Err(Error::new(format!("take must be between 1 and {MAX_TAKE}")));
    }
    if skip < 0 {
        return Err(Error::new("skip must not be negative"));
    }
    Ok(())
}

/// The most ids a `boxIds` or `transactionIds` list may hold (ergo-graphql's `@ArrayMaxSize`).
const MAX_IDS: usize = 20;

fn check_ids(name: &str, ids: &Option<Vec<String>>) -> Result<()> {
    match ids {
        Some(ids) if ids.len() > MAX_IDS => Err(Error::new(format!(
            "{name} holds {} ids: at most {MAX_IDS} are allowed",
            ids.len()
        ))),
        _ => Ok(()),
    }
}

fn page<T>(items: Vec<T>, skip: i32, take: i32) -> Vec<T> {
    items
        .into_iter()
        .skip(skip.max(0) as usize)
        .take(take.max(0) as usize)
        .collect()
}

/// A box of the ledger.
#[derive(Clone)]
pub struct GraphqlBox(BoxRecord);

#[Object(name = "Box")]
impl GraphqlBox {
    async fn box_id(&self) -> String {
        self.0.ergo_box.id().to_hex()
    }
    async fn transaction_id(&self) -> String {
        self.0.ergo_box.transaction_id.to_hex()
    }
    async fn index(&self) -> i32 {
        i32::from(self.0.ergo_box.index)
    }
    async fn value(&self) -> String {
        self.0.ergo_box.value.to_string()
    }
    async fn creation_height(&self) -> u32 {
        self.0.ergo_box.creation_height
    }
    async fn settlement_height(&self) -> u32 {
        self.0.height
    }
    async fn global_index(&self) -> String {
        self.0.global_index.to_string()
    }
    async fn ergo_tree(&self) -> String {
        hex::encode(&self.0.ergo_box.ergo_tree)
    }
    async fn address(&self) -> String {
        Address::from_ergo_tree(&self.0.ergo_box.ergo_tree, Network::Mainnet)
            .map(|a| a.encode())
            .unwrap_or_default()
    }
    async fn main_chain(&self) -> bool {
        true
    }
    async fn additional_registers(&self) -> JsonObject {
        JsonObject(
            self.0
                .ergo_box
                .registers
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("R{}", i + 4), hex::encode(r)))
                .collect(),
        )
    }
    async fn assets(&self) -> Vec<Asset> {
        let id = self.0.ergo_box.id();
        self.0
            .ergo_box
            .tokens
            .iter()
            .enumerate()
            .map(|(index, t)| Asset {
                token_id: hex::encode(&t.id),
                amount: t.amount.to_string(),
                index: index as i32,
                box_id: id.to_hex(),
            })
            .collect()
    }
    /// The input that spent it, if it is spent.
    async fn spent_by(&self, ctx: &Context<'_>) -> Result<Option<Input>> {
        let Some(tx) = self.0.spent_by else { return Ok(None) };
        let d = devnet(ctx)?;
        let id = self.0.ergo_box.id();
        Ok(inputs_of(&d, &tx).into_iter().find(|i| i.box_id == id))
    }
}

#[derive(async_graphql::SimpleObject)]
pub struct Asset {
    token_id: String,
    amount: String,
    index: i32,
    box_id: String,
}

/// An input of a transaction: the box it spends, its context extension and proof.
#[derive(Clone)]
pub struct Input {
    box_id: Id,
    transaction_id: Id,
    index: usize,
    extension: Vec<(u8, Vec<u8>)>,
    proof: Vec<u8>,
    spent: Option<BoxRecord>,
}

#[Object]
impl Input {
    async fn box_id(&self) -> String {
        self.box_id.to_hex()
    }
    async fn transaction_id(&self) -> String {
        self.transaction_id.to_hex()
    }
    async fn index(&self) -> i32 {
        self.index as i32
    }
    /// The context variables, in the transaction's order (the explorer keeps the JSON it got).
    async fn extension(&self) -> JsonObject {
        JsonObject(
            self.extension
                .iter()
                .map(|(k, v)| (k.to_string(), hex::encode(v)))
                .collect(),
        )
    }
    async fn proof_bytes(&self) -> Option<String> {
        Some(hex::encode(&self.proof))
    }
    #[graphql(name = "box")]
    async fn spent_box(&self) -> Option<GraphqlBox> {
        self.spent.clone().map(GraphqlBox)
    }
    async fn main_chain(&self) -> bool {
        true
    }
}

/// A data input of a transaction.
#[derive(async_graphql::SimpleObject)]
pub struct DataInput {
    box_id: String,
    transaction_id: String,
    index: i32,
}

/// The inputs of transaction `tx`, as served (a devnet lying about payouts lies here too).
fn inputs_of(d: &Devnet, tx: &Id) -> Vec<Input> {
    let Some(t) = d.ledger.get_tx(tx) else { return vec![] };
    t.tx.inputs
        .iter()
        .enumerate()
        .map(|(index, i)| {
            let mut extension = i.extension.clone();
            if d.tamper == Some(Tamper::Payouts) && index == 0 {
                if let Some((_, v)) = extension.iter_mut().find(|(k, _)| *k == 1) {
                    let middle = v.len() / 2;
                    if let Some(b) = v.get_mut(middle) {
                        *b ^= 0x01;
                    }
                }
            }
            Input {
                box_id: i.box_id,
                transaction_id: *tx,
                index,
                extension,
                proof: t.proofs.get(index).cloned().unwrap_or_default(),
                spent: d.ledger.get_box(&i.box_id).cloned(),
            }
        })
        .collect()
}

/// A transaction of the ledger.
pub struct Transaction {
    id: Id,
    block: Id,
    inclusion_height: u32,
    timestamp: u64,
    inputs: Vec<Input>,
    data_inputs: Vec<Id>,
    outputs: Vec<BoxRecord>,
}

impl Transaction {
    fn of(d: &Devnet, id: &Id) -> Option<Transaction> {
        let t = d.ledger.get_tx(id)?;
        Some(Transaction {
            id: *id,
            block: t.block,
            inclusion_height: t.height,
            timestamp: t.timestamp,
            inputs: inputs_of(d, id),
            data_inputs: t.tx.data_inputs.clone(),
            outputs: t
                .tx
                .output_boxes()
                .iter()
                .filter_map(|b: &ErgoBox| d.ledger.get_box(&b.id()).cloned())
                .collect(),
        })
    }
}

#[Object]
impl Transaction {
    async fn transaction_id(&self) -> String {
        self.id.to_hex()
    }
    async fn inclusion_height(&self) -> u32 {
        self.inclusion_height
    }
    async fn header_id(&self) -> String {
        self.block.to_hex()
    }
    /// Its place in its block (one transaction a block here).
    async fn index(&self) -> i32 {
        0
    }
    async fn timestamp(&self) -> String {
        self.timestamp.to_string()
    }
    async fn main_chain(&self) -> bool {
        true
    }
    async fn inputs(&self) -> Vec<Input> {
        self.inputs.clone()
    }
    async fn data_inputs(&self) -> Vec<DataInput> {
        self.data_inputs
            .iter()
            .enumerate()
            .map(|(index, b)| DataInput {
                box_id: b.to_hex(),
                transaction_id: self.id.to_hex(),
                index: index as i32,
            })
            .collect()
    }
    async fn outputs(&self) -> Vec<GraphqlBox> {
        self.outputs.iter().cloned().map(GraphqlBox).collect()
    }
}

/// A block header, as ergo-graphql's `Header`.
pub struct BlockHeader(sharestate::ergo::Header);

#[Object(name = "Header")]
impl BlockHeader {
    async fn header_id(&self) -> String {
        self.0.id().to_hex()
    }
    async fn parent_id(&self) -> String {
        self.0.parent_id.to_hex()
    }
    async fn version(&self) -> u8 {
        self.0.version
    }
    async fn height(&self) -> u32 {
        self.0.height
    }
    #[graphql(name = "nBits")]
    async fn n_bits(&self) -> String {
        self.0.n_bits.to_string()
    }
    async fn difficulty(&self) -> String {
        self.0.to_json()["difficulty"].as_str().unwrap_or("0").to_string()
    }
    async fn timestamp(&self) -> String {
        self.0.timestamp.to_string()
    }
    async fn state_root(&self) -> String {
        hex::encode(&self.0.state_root)
    }
    async fn ad_proofs_root(&self) -> String {
        hex::encode(&self.0.ad_proofs_root)
    }
    async fn transactions_root(&self) -> String {
        hex::encode(&self.0.transactions_root)
    }
    async fn extension_hash(&self) -> String {
        hex::encode(&self.0.extension_root)
    }
    async fn pow_solutions(&self) -> async_graphql::Json<serde_json::Value> {
        async_graphql::Json(self.0.to_json()["powSolutions"].clone())
    }
    async fn votes(&self) -> Vec<u8> {
        self.0.votes.to_vec()
    }
    async fn main_chain(&self) -> bool {
        true
    }
}

/// The chain's state.
#[derive(async_graphql::SimpleObject)]
pub struct State {
    height: u32,
    block_id: String,
    network: String,
}

#[derive(async_graphql::SimpleObject)]
pub struct Info {
    version: String,
}

pub struct QueryRoot;

/// Every box the filters select, newest first (ergo-graphql orders by global index, descending).
fn select_boxes(l: &Ledger, f: &BoxFilter) -> Result<Vec<BoxRecord>> {
    let mut ids: Option<Vec<Id>> = None;
    let mut narrow = |found: Vec<Id>| {
        ids = Some(match ids.take() {
            None => found,
            Some(prev) => prev.into_iter().filter(|i| found.contains(i)).collect(),
        })
    };
    if let Some(b) = &f.box_id {
        narrow(vec![id_arg("boxId", b)?]);
    }
    if let Some(bs) = &f.box_ids {
        narrow(bs.iter().map(|b| id_arg("boxIds", b)).collect::<Result<_>>()?);
    }
    if let Some(t) = &f.token_id {
        let t = id_arg("tokenId", t)?;
        narrow(l.boxes_by_token(&t.0).iter().map(|r| r.ergo_box.id()).collect());
    }
    if let Some(a) = &f.address {
        let tree = Address::parse(a)
            .map_err(|e| Error::new(format!("address: {e}")))?
            .proposition_bytes();
        narrow(l.boxes_by_tree(&tree).iter().map(|r| r.ergo_box.id()).collect());
    }
    if let Some(t) = &f.ergo_tree {
        let tree = hex::decode(t).map_err(|e| Error::new(format!("ergoTree: {e}")))?;
        narrow(l.boxes_by_tree(&tree).iter().map(|r| r.ergo_box.id()).collect());
    }
    if let Some(t) = &f.transaction_id {
        let t = id_arg("transactionId", t)?;
        narrow(
            l.get_tx(&t)
                .map(|r| r.tx.output_boxes().iter().map(ErgoBox::id).collect())
                .unwrap_or_default(),
        );
    }
    let ids = ids.ok_or_else(|| {
        Error::new("boxes needs a filter (boxId, boxIds, tokenId, address, ergoTree or transactionId)")
    })?;
    let mut records: Vec<BoxRecord> = ids.iter().filter_map(|i| l.get_box(i).cloned()).collect();
    records.sort_by_key(|r| std::cmp::Reverse(r.global_index));
    records.dedup_by_key(|r| r.global_index);
    if let Some(spent) = f.spent {
        records.retain(|r| r.spent_by.is_some() == spent);
    }
    Ok(records)
}

struct BoxFilter {
    box_id: Option<String>,
    box_ids: Option<Vec<String>>,
    token_id: Option<String>,
    address: Option<String>,
    ergo_tree: Option<String>,
    transaction_id: Option<String>,
    spent: Option<bool>,
}

#[Object]
impl QueryRoot {
    /// Boxes, newest first, selected by every filter given.
    #[allow(clippy::too_many_arguments)]
    async fn boxes(
        &self,
        ctx: &Context<'_>,
        box_id: Option<String>,
        box_ids: Option<Vec<String>>,
        token_id: Option<String>,
        address: Option<String>,
        ergo_tree: Option<String>,
        transaction_id: Option<String>,
        spent: Option<bool>,
        #[graphql(default = 0)] skip: i32,
        #[graphql(default = 50)] take: i32,
    ) -> Result<Vec<GraphqlBox>> {
        check_page(skip, take)?;
        check_ids("boxIds", &box_ids)?;
        let d = devnet(ctx)?;
        let f = BoxFilter {
            box_id,
            box_ids,
            token_id,
            address,
            ergo_tree,
            transaction_id,
            spent,
        };
        let records = select_boxes(&d.ledger, &f)?;
        Ok(page(records, skip, take).into_iter().map(GraphqlBox).collect())
    }

    /// Transactions by id, in the order asked.
    async fn transactions(
        &self,
        ctx: &Context<'_>,
        transaction_id: Option<String>,
        transaction_ids: Option<Vec<String>>,
        header_id: Option<String>,
        #[graphql(default = 0)] skip: i32,
        #[graphql(default = 50)] take: i32,
    ) -> Result<Vec<Transaction>> {
        check_page(skip, take)?;
        check_ids("transactionIds", &transaction_ids)?;
        let d = devnet(ctx)?;
        if let Some(h) = &header_id {
            let block = id_arg("headerId", h)?;
            let txs = d.ledger.block_transactions(&block).unwrap_or_default();
            let ids: Vec<Id> = txs.iter().map(|t| t.tx.id()).collect();
            let mut found: Vec<Transaction> = ids.iter().filter_map(|i| Transaction::of(&d, i)).collect();
            // a lie, in a test mode: other proof bytes, so other witness ids and another tree
            if d.tamper == Some(Tamper::Inclusion) {
                for t in &mut found {
                    for i in &mut t.inputs {
                        i.proof.push(0);
                    }
                }
            }
            return Ok(page(found, skip, take));
        }
        let mut ids = Vec::new();
        if let Some(t) = &transaction_id {
            ids.push(id_arg("transactionId", t)?);
        }
        for t in transaction_ids.iter().flatten() {
            ids.push(id_arg("transactionIds", t)?);
        }
        if ids.is_empty() {
            return Err(Error::new("transactions needs transactionId or transactionIds"));
        }
        let found: Vec<Transaction> = ids.iter().filter_map(|i| Transaction::of(&d, i)).collect();
        Ok(page(found, skip, take))
    }

    /// Block headers of the main chain, highest first, selected by height or parent.
    async fn block_headers(
        &self,
        ctx: &Context<'_>,
        height: Option<u32>,
        parent_id: Option<String>,
        #[graphql(default = 0)] skip: i32,
        #[graphql(default = 10)] take: i32,
    ) -> Result<Vec<BlockHeader>> {
        check_page(skip, take)?;
        let d = devnet(ctx)?;
        let parent = parent_id.as_deref().map(|p| id_arg("parentId", p)).transpose()?;
        let all = d.ledger.last_headers(usize::MAX);
        let found: Vec<BlockHeader> = all
            .into_iter()
            .filter(|h| height.is_none_or(|x| h.height == x) && parent.is_none_or(|p| h.parent_id == p))
            .map(|h| BlockHeader(d.served_header(h)))
            .collect();
        Ok(page(found, skip, take))
    }

    async fn state(&self, ctx: &Context<'_>) -> Result<State> {
        let d = devnet(ctx)?;
        Ok(State {
            height: d.ledger.height(),
            block_id: d
                .ledger
                .last_headers(1)
                .first()
                .map(|h| h.id().to_hex())
                .unwrap_or_default(),
            network: "mainnet".into(),
        })
    }

    async fn info(&self) -> Info {
        Info {
            version: format!("sharestate-devnet-{}", env!("CARGO_PKG_VERSION")),
        }
    }
}
