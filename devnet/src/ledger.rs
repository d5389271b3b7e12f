//! The devnet's chain: every box and transaction ever made, which boxes are unspent, and a
//! header per block. Transactions are validated by sigma-rust exactly as a node's mempool would
//! (scripts and signatures, ERG and token preservation, dust, heights) before they are applied,
//! each in a block of its own.

use ergo_lib::chain::transaction::Transaction as SignedTx;
use ergo_lib::ergo_chain_types::{ec_point, ADDigest, AutolykosSolution, BlockId, Digest32, Header, Votes};
use ergo_lib::ergotree_interpreter::sigma_protocol::prover::ProofBytes;
use ergo_lib::ergotree_ir::chain::ergo_box::ErgoBox as TheirBox;
use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
use ergo_lib::wallet::tx_context::TransactionContext;
use ergo_lib::wallet::Wallet;
use sharestate::encoding::hash::blake2b256;
use sharestate::ergo::interpreter::{to_ergo_lib, ChainContext};
use sharestate::ergo::json::decode_transaction;
use sharestate::ergo::json::UnsignedTransaction;
use sharestate::ergo::Transaction;
use sharestate::ergo::{ErgoBox, Id};
use sigma_ser::ScorexSerializable;
use std::collections::{BTreeMap, HashMap};
use thiserror::Error;

/// Milliseconds between blocks.
pub const BLOCK_INTERVAL_MS: u64 = 120_000;

/// A box and what became of it.
#[derive(Debug, Clone)]
pub struct BoxRecord {
    pub ergo_box: ErgoBox,
    /// Height of the block that created it.
    pub height: u32,
    pub spent_by: Option<Id>,
    /// Its position among all boxes, as the node's `globalIndex`.
    pub global_index: u64,
}

/// A transaction and where it is.
#[derive(Debug, Clone)]
pub struct TxRecord {
    pub tx: Transaction,
    /// Each input's proof bytes.
    pub proofs: Vec<Vec<u8>>,
    /// The boxes it spent.
    pub spent: Vec<ErgoBox>,
    pub height: u32,
    pub timestamp: u64,
}

/// Why a transaction was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LedgerError {
    #[error("the transaction JSON does not parse: {0}")]
    Json(String),
    #[error("input {index} spends box {box_id}, which {why}")]
    Input {
        index: usize,
        box_id: String,
        why: &'static str,
    },
    #[error("data input {index} reads box {box_id}, which does not exist")]
    DataInput { index: usize, box_id: String },
    #[error("{0}")]
    Invalid(String),
    #[error("signing failed: {0}")]
    Signing(String),
}

/// The chain.
pub struct Ledger {
    boxes: HashMap<Id, BoxRecord>,
    txs: HashMap<Id, TxRecord>,
    /// Transaction ids in application order.
    order: Vec<Id>,
    headers: Vec<Header>,
    by_token: BTreeMap<[u8; 32], Vec<Id>>,
    by_tree: HashMap<Vec<u8>, Vec<Id>>,
}

fn box_id(id: &ergo_lib::ergotree_ir::chain::ergo_box::BoxId) -> Id {
    let mut b = [0u8; 32];
    b.copy_from_slice(id.as_ref());
    Id(b)
}

fn digest32(b: [u8; 32]) -> Digest32 {
    Digest32::from(b)
}

impl Ledger {
    /// A chain at `height` whose UTXO set is `genesis` (boxes that exist from the start), with
    /// ten headers before it so that scripts have a context.
    pub fn new(height: u32, timestamp: u64, genesis: Vec<ErgoBox>) -> Ledger {
        let mut l = Ledger {
            boxes: HashMap::new(),
            txs: HashMap::new(),
            order: vec![],
            headers: vec![],
            by_token: BTreeMap::new(),
            by_tree: HashMap::new(),
        };
        for i in 0..10 {
            l.push_header(height - 9 + i, timestamp - (9 - i as u64) * BLOCK_INTERVAL_MS, &[]);
        }
        for b in genesis {
            l.add_box(b, height);
        }
        l
    }

    fn push_header(&mut self, height: u32, timestamp: u64, tx_ids: &[Id]) {
        let parent = self.headers.last().map(|h| h.id).unwrap_or(BlockId(digest32([0; 32])));
        // the transactions root here commits to the block's transaction ids in order; headers are
        // well formed but not mined (the devnet has no proof of work)
        let ids: Vec<u8> = tx_ids.iter().flat_map(|i| i.0).collect();
        let mut h = Header {
            version: 3,
            id: BlockId(digest32([0; 32])),
            parent_id: parent,
            ad_proofs_root: digest32([0; 32]),
            state_root: ADDigest::zero(),
            transaction_root: digest32(blake2b256(&ids)),
            timestamp,
            n_bits: 117_440_512,
            height,
            extension_root: digest32([0; 32]),
            autolykos_solution: AutolykosSolution {
                miner_pk: Box::new(ec_point::generator()),
                pow_onetime_pk: Some(Box::new(ec_point::generator())),
                nonce: height.to_be_bytes().repeat(2),
                pow_distance: Some(num_bigint::BigInt::from(0)),
            },
            votes: Votes([0, 0, 0]),
        };
        let bytes = h.scorex_serialize_bytes().unwrap_or_default();
        h.id = BlockId(digest32(blake2b256(&bytes)));
        self.headers.push(h);
    }

    fn add_box(&mut self, b: ErgoBox, height: u32) {
        let id = b.id();
        for t in &b.tokens {
            self.by_token.entry(t.id).or_default().push(id);
        }
        self.by_tree.entry(b.ergo_tree.clone()).or_default().push(id);
        let global_index = self.boxes.len() as u64;
        self.boxes.insert(
            id,
            BoxRecord {
                ergo_box: b,
                height,
                spent_by: None,
                global_index,
            },
        );
    }

    /// Adds empty blocks until the next transaction lands in block `height` (none if it would
    /// already).
    pub fn skip_to(&mut self, height: u32) {
        while self.height() + 1 < height {
            let timestamp = self.headers.last().map_or(0, |h| h.timestamp) + BLOCK_INTERVAL_MS;
            self.push_header(self.height() + 1, timestamp, &[]);
        }
    }

    /// Height of the last block.
    pub fn height(&self) -> u32 {
        self.headers.last().map_or(0, |h| h.height)
    }

    /// The last `n` headers, newest first.
    pub fn last_headers(&self, n: usize) -> Vec<&Header> {
        self.headers.iter().rev().take(n).collect()
    }

    /// The context a transaction in block `height + 1` was evaluated in: the ten headers up to
    /// `height` (None before the chain has ten).
    pub fn context_at(&self, height: u32) -> Option<ChainContext> {
        let last: Vec<Header> = self
            .headers
            .iter()
            .rev()
            .filter(|h| h.height <= height)
            .take(10)
            .cloned()
            .collect();
        ChainContext::from_headers(last).ok()
    }

    /// The context of the next block.
    pub fn context(&self) -> ChainContext {
        let last: Vec<Header> = self.headers.iter().rev().take(10).cloned().collect();
        // ten headers always exist (see `new`)
        ChainContext::from_headers(last).expect("ten headers")
    }

    pub fn get_box(&self, id: &Id) -> Option<&BoxRecord> {
        self.boxes.get(id)
    }

    /// How many boxes the chain ever held.
    pub fn boxes_count(&self) -> usize {
        self.boxes.len()
    }

    pub fn get_tx(&self, id: &Id) -> Option<&TxRecord> {
        self.txs.get(id)
    }

    /// Transactions in the order they were applied.
    pub fn transactions(&self) -> impl Iterator<Item = &TxRecord> {
        self.order.iter().filter_map(|id| self.txs.get(id))
    }

    /// Every box that ever held `token`, oldest first.
    pub fn boxes_by_token(&self, token: &[u8; 32]) -> Vec<&BoxRecord> {
        self.by_token
            .get(token)
            .map(|ids| ids.iter().filter_map(|i| self.boxes.get(i)).collect())
            .unwrap_or_default()
    }

    /// Every box guarded by `tree`, oldest first.
    pub fn boxes_by_tree(&self, tree: &[u8]) -> Vec<&BoxRecord> {
        self.by_tree
            .get(tree)
            .map(|ids| ids.iter().filter_map(|i| self.boxes.get(i)).collect())
            .unwrap_or_default()
    }

    /// Signs `tx` with `wallet` in the context of the next block, then submits it.
    pub fn sign_and_submit(&mut self, tx: &UnsignedTransaction, wallet: &Wallet) -> Result<Id, LedgerError> {
        let ctx = to_ergo_lib(tx).map_err(|e| LedgerError::Invalid(e.to_string()))?;
        let signed = wallet
            .sign_transaction(ctx, &self.context().state(), None)
            .map_err(|e| LedgerError::Signing(e.to_string()))?;
        self.submit(signed)
    }

    /// Submits a signed transaction as the node's `POST /transactions` takes it.
    pub fn submit_json(&mut self, json: &str) -> Result<Id, LedgerError> {
        let tx: SignedTx = serde_json::from_str(json).map_err(|e| LedgerError::Json(e.to_string()))?;
        self.submit(tx)
    }

    /// Validates `tx` against the UTXO set as a node would and applies it in a new block.
    pub fn submit(&mut self, tx: SignedTx) -> Result<Id, LedgerError> {
        let mut spent = Vec::new();
        for (index, input) in tx.inputs.iter().enumerate() {
            let id = box_id(&input.box_id);
            match self.boxes.get(&id) {
                None => {
                    return Err(LedgerError::Input {
                        index,
                        box_id: id.to_hex(),
                        why: "does not exist",
                    })
                }
                Some(r) if r.spent_by.is_some() => {
                    return Err(LedgerError::Input {
                        index,
                        box_id: id.to_hex(),
                        why: "is spent",
                    })
                }
                Some(r) => spent.push(r.ergo_box.clone()),
            }
        }
        let mut data = Vec::new();
        for (index, d) in tx.data_inputs.iter().flatten().enumerate() {
            let id = box_id(&d.box_id);
            let r = self.boxes.get(&id).ok_or(LedgerError::DataInput {
                index,
                box_id: id.to_hex(),
            })?;
            data.push(r.ergo_box.clone());
        }
        let theirs =
            |b: &ErgoBox| TheirBox::sigma_parse_bytes(&b.bytes()).map_err(|e| LedgerError::Invalid(e.to_string()));
        let ctx = TransactionContext::new(
            tx.clone(),
            spent.iter().map(theirs).collect::<Result<_, _>>()?,
            data.iter().map(theirs).collect::<Result<_, _>>()?,
        )
        .map_err(|e| LedgerError::Invalid(e.to_string()))?;
        ctx.validate(&self.context().state())
            .map_err(|e| LedgerError::Invalid(e.to_string()))?;

        // ours, from the node JSON sigma-rust writes: ids recomputed on the way
        let json = serde_json::to_string(&tx).map_err(|e| LedgerError::Json(e.to_string()))?;
        let decoded = decode_transaction(&json).map_err(|e| LedgerError::Invalid(e.to_string()))?;
        let content = decoded
            .transaction()
            .ok_or(LedgerError::Invalid("no extension".into()))?;
        let id = content.id();
        let proofs = tx
            .inputs
            .iter()
            .map(|i| match &i.spending_proof.proof {
                ProofBytes::Some(b) => b.clone(),
                ProofBytes::Empty => vec![],
            })
            .collect();

        let height = self.height() + 1;
        let timestamp = self.headers.last().map_or(0, |h| h.timestamp) + BLOCK_INTERVAL_MS;
        for b in &spent {
            if let Some(r) = self.boxes.get_mut(&b.id()) {
                r.spent_by = Some(id);
            }
        }
        for b in content.output_boxes() {
            self.add_box(b, height);
        }
        self.txs.insert(
            id,
            TxRecord {
                tx: content,
                proofs,
                spent,
                height,
                timestamp,
            },
        );
        self.order.push(id);
        self.push_header(height, timestamp, &[id]);
        Ok(id)
    }
}
