//! The devnet's chain: every box and transaction ever made, which boxes are unspent, and a
//! header per block. Transactions are validated by sigma-rust exactly as a node's mempool would
//! (scripts and signatures, ERG and token preservation, dust, heights) before they are applied,
//! each in a block of its own. Every block's header is real: its transactions root is Ergo's
//! Merkle root over the block's transaction and witness ids, its state root the digest of the
//! UTXO set after it (an AVL+ tree of box ids to box bytes, as a node keeps it), and it is mined
//! (Autolykos v2) at the devnet's difficulty, so that its id recomputes and its work checks.

use ergo_lib::chain::transaction::Transaction as SignedTx;
use ergo_lib::ergotree_interpreter::sigma_protocol::prover::ProofBytes;
use ergo_lib::ergotree_ir::chain::ergo_box::ErgoBox as TheirBox;
use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
use ergo_lib::wallet::tx_context::TransactionContext;
use ergo_lib::wallet::Wallet;
use sharestate::avl::{Operation, ShareState};
use sharestate::ergo::interpreter::{to_ergo_lib, ChainContext};
use sharestate::ergo::json::decode_transaction;
use sharestate::ergo::json::UnsignedTransaction;
use sharestate::ergo::merkle::{block_leaves, witness_id, InclusionProof};
use sharestate::ergo::Header;
use sharestate::ergo::Transaction;
use sharestate::ergo::{ErgoBox, Id};
use sharestate::trust::{mine, DEVNET_N_BITS};
use std::collections::{BTreeMap, HashMap};
use thiserror::Error;

/// The secp256k1 generator, compressed: the devnet's blocks' miner key.
const GENERATOR: [u8; 33] = [
    2, 0x79, 0xbe, 0x66, 0x7e, 0xf9, 0xdc, 0xbb, 0xac, 0x55, 0xa0, 0x62, 0x95, 0xce, 0x87, 0x0b, 0x07, 0x02, 0x9b,
    0xfc, 0xdb, 0x2d, 0xce, 0x28, 0xd9, 0x59, 0xf2, 0x81, 0x5b, 0x16, 0xf8, 0x17, 0x98,
];

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
    /// The id of the block that holds it.
    pub block: Id,
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
    /// Each block's place in `headers` and its transactions (ids and witness ids), by block id.
    blocks: HashMap<Id, (usize, Block)>,
    by_token: BTreeMap<[u8; 32], Vec<Id>>,
    by_tree: HashMap<Vec<u8>, Vec<Id>>,
    /// The UTXO set as of the last block: box id → box bytes, authenticated (its digest is the
    /// last header's state root).
    utxo: ShareState,
}

fn box_id(id: &ergo_lib::ergotree_ir::chain::ergo_box::BoxId) -> Id {
    let mut b = [0u8; 32];
    b.copy_from_slice(id.as_ref());
    Id(b)
}

/// A block's transactions, as the Merkle tree of its header takes them.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub tx_ids: Vec<[u8; 32]>,
    pub witness_ids: Vec<[u8; 31]>,
}

impl Block {
    fn leaves(&self, version: u8) -> Vec<Vec<u8>> {
        block_leaves(version, &self.tx_ids, &self.witness_ids)
    }
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
            blocks: HashMap::new(),
            by_token: BTreeMap::new(),
            by_tree: HashMap::new(),
            utxo: ShareState::new(),
        };
        let inserts: Vec<Operation> = genesis.iter().map(|b| Operation::Insert(b.id().0, b.bytes())).collect();
        // (genesis boxes have distinct ids: the insertions cannot fail)
        let _ = l.utxo.prove(&inserts);
        for b in genesis {
            l.add_box(b, height);
        }
        for i in 0..10 {
            l.push_header(
                height - 9 + i,
                timestamp - (9 - i as u64) * BLOCK_INTERVAL_MS,
                Block::default(),
            );
        }
        l
    }

    /// Mines the next block's header over `block`'s transactions and the UTXO set as it is now.
    fn push_header(&mut self, height: u32, timestamp: u64, block: Block) -> Id {
        let state_root = self.utxo.digest().0;
        let parent = self.headers.last().map(|h| h.id()).unwrap_or(Id([0; 32]));
        let version = 3;
        let h = Header {
            version,
            parent_id: parent,
            ad_proofs_root: [0; 32],
            transactions_root: sharestate::ergo::merkle::root(&block.leaves(version)),
            state_root,
            timestamp,
            extension_root: [0; 32],
            n_bits: DEVNET_N_BITS,
            height,
            votes: [0; 3],
            unparsed: vec![],
            // the generator point: a valid key for a miner nobody is
            miner_pk: GENERATOR,
            nonce: [0; 8],
        };
        let h = mine(h, 0);
        let id = h.id();
        self.blocks.insert(id, (self.headers.len(), block));
        self.headers.push(h);
        id
    }

    /// The header at `height`.
    pub fn header_at(&self, height: u32) -> Option<&Header> {
        let first = self.headers.first()?.height;
        self.headers.get(height.checked_sub(first)? as usize)
    }

    /// A batch proof of `boxes` in the UTXO set of the last block (the node's
    /// `POST /utxo/getBoxesBinaryProof`): each is there (unspent) or proven absent, against the
    /// last header's state root.
    pub fn utxo_proof(&mut self, boxes: &[Id]) -> Vec<u8> {
        let keys: Vec<[u8; 32]> = boxes.iter().map(|b| b.0).collect();
        // lookups never fail on a whole tree
        self.utxo.prove_lookups(&keys).map(|p| p.proof).unwrap_or_default()
    }

    /// The header with id `id`.
    pub fn header(&self, id: &Id) -> Option<&Header> {
        self.headers.get(self.blocks.get(id)?.0)
    }

    /// The inclusion proof of transaction `tx` in block `block` (the node's `proofFor`).
    pub fn proof_for(&self, block: &Id, tx: &Id) -> Option<InclusionProof> {
        let (_, b) = self.blocks.get(block)?;
        let index = b.tx_ids.iter().position(|t| *t == tx.0)?;
        let version = self.header(block)?.version;
        InclusionProof::of(&b.leaves(version), index)
    }

    /// The transactions of block `id`, in order.
    pub fn block_transactions(&self, id: &Id) -> Option<Vec<&TxRecord>> {
        let (_, b) = self.blocks.get(id)?;
        Some(b.tx_ids.iter().filter_map(|t| self.txs.get(&Id(*t))).collect())
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

    /// A lie, for a test mode: a box in the set of boxes that no transaction made (it names the
    /// transaction and output index its id was computed with; neither holds it).
    pub fn add_unmade_box(&mut self, b: ErgoBox) {
        self.add_box(b, self.height());
    }

    /// A lie, for a test mode: transaction `tx` (in a block, its inputs gone from the UTXO set
    /// that the headers' state roots commit to) hidden from every listing — its inputs shown
    /// unspent, it and its outputs nowhere — as a source that hides a spend would.
    pub fn hide_spend(&mut self, tx: &Id) -> Option<()> {
        let record = self.txs.remove(tx)?;
        for b in &record.spent {
            if let Some(r) = self.boxes.get_mut(&b.id()) {
                r.spent_by = None;
            }
        }
        let outputs: Vec<Id> = record.tx.output_boxes().iter().map(|b| b.id()).collect();
        for id in &outputs {
            self.boxes.remove(id);
        }
        for list in self.by_token.values_mut().chain(self.by_tree.values_mut()) {
            list.retain(|id| !outputs.contains(id));
        }
        Some(())
    }

    /// Adds empty blocks until the next transaction lands in block `height` (none if it would
    /// already).
    pub fn skip_to(&mut self, height: u32) {
        while self.height() + 1 < height {
            let timestamp = self.headers.last().map_or(0, |h| h.timestamp) + BLOCK_INTERVAL_MS;
            self.push_header(self.height() + 1, timestamp, Block::default());
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
        ChainContext::from_our_headers(&last).ok()
    }

    /// The context of the next block.
    pub fn context(&self) -> ChainContext {
        let last: Vec<Header> = self.headers.iter().rev().take(10).cloned().collect();
        // ten headers always exist (see `new`), each in the node's form
        ChainContext::from_our_headers(&last).expect("ten headers")
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
        let signed = self.sign(tx, wallet)?;
        self.submit(signed)
    }

    /// `tx` signed with `wallet` in the context of the next block.
    pub fn sign(&self, tx: &UnsignedTransaction, wallet: &Wallet) -> Result<SignedTx, LedgerError> {
        let ctx = to_ergo_lib(tx).map_err(|e| LedgerError::Invalid(e.to_string()))?;
        wallet
            .sign_transaction(ctx, &self.context().state(), None)
            .map_err(|e| LedgerError::Signing(e.to_string()))
    }

    /// Submits a signed transaction as the node's `POST /transactions` takes it.
    pub fn submit_json(&mut self, json: &str) -> Result<Id, LedgerError> {
        let tx: SignedTx = serde_json::from_str(json).map_err(|e| LedgerError::Json(e.to_string()))?;
        self.submit(tx)
    }

    /// Validates `tx` against the UTXO set as a node would and applies it in a new block.
    pub fn submit(&mut self, tx: SignedTx) -> Result<Id, LedgerError> {
        self.apply(tx, true)
    }

    /// A lie, for a test mode: validates `tx` as [`Ledger::submit`] does and applies it to the
    /// boxes (its inputs spent, its outputs there, the transaction served) as if it were in the
    /// last block — which it is not: no block's transactions, root or inclusion proof hold it.
    pub fn submit_unmined(&mut self, tx: SignedTx) -> Result<Id, LedgerError> {
        self.apply(tx, false)
    }

    fn apply(&mut self, tx: SignedTx, mined: bool) -> Result<Id, LedgerError> {
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
        let state = self.context().state();
        sharestate::ergo::interpreter::unpanicked("validating the transaction", || ctx.validate(&state))
            .map_err(|e| LedgerError::Invalid(e.to_string()))?
            .map_err(|e| LedgerError::Invalid(e.to_string()))?;

        // ours, from the node JSON sigma-rust writes: ids recomputed on the way
        let json = serde_json::to_string(&tx).map_err(|e| LedgerError::Json(e.to_string()))?;
        let decoded = decode_transaction(&json).map_err(|e| LedgerError::Invalid(e.to_string()))?;
        let content = decoded
            .transaction()
            .ok_or(LedgerError::Invalid("no extension".into()))?;
        let id = content.id();
        let proofs: Vec<Vec<u8>> = tx
            .inputs
            .iter()
            .map(|i| match &i.spending_proof.proof {
                ProofBytes::Some(b) => b.clone(),
                ProofBytes::Empty => vec![],
            })
            .collect();

        let (height, timestamp, block) = match (mined, self.headers.last()) {
            (false, Some(tip)) => (tip.height, tip.timestamp, tip.id()),
            _ => {
                // the block's change to the UTXO set: its inputs out, its outputs in
                let ops: Vec<Operation> = spent
                    .iter()
                    .map(|b| Operation::Remove(b.id().0))
                    .chain(
                        content
                            .output_boxes()
                            .iter()
                            .map(|b| Operation::Insert(b.id().0, b.bytes())),
                    )
                    .collect();
                self.utxo
                    .prove(&ops)
                    .map_err(|e| LedgerError::Invalid(format!("the UTXO set refuses the block: {e}")))?;
                let height = self.height() + 1;
                let timestamp = self.headers.last().map_or(0, |h| h.timestamp) + BLOCK_INTERVAL_MS;
                let block = self.push_header(
                    height,
                    timestamp,
                    Block {
                        tx_ids: vec![id.0],
                        witness_ids: vec![witness_id(&proofs)],
                    },
                );
                (height, timestamp, block)
            }
        };
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
                block,
            },
        );
        self.order.push(id);
        Ok(id)
    }
}
