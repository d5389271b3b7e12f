//! sharestate's devnet: a local server that speaks the subsets of the Ergo node API, the
//! explorer API v1 and the explorer's GraphQL service that sharestate uses, plus the pool proof
//! service, over a deterministic demo
//! pool whose transactions are real Ergo transactions that the real contracts accept.
//!
//! | module | what |
//! |---|---|
//! | [`ledger`] | the chain: boxes, transactions, headers; validation by sigma-rust |
//! | [`pool`] | the demo pool (Design 1), generated from a seed, and its ground truth |
//! | [`balance_pool`] | the demo balance pool (Design 2), generated from the same seed, and its ground truth per miner |
//! | [`api`] | the HTTP interface: node, explorer, proof service, devnet info |
//! | [`graphql`] | the explorer's GraphQL service (ergo-graphql's schema, the part clients use) |

pub mod api;
pub mod balance_pool;
pub mod graphql;
pub mod ledger;
pub mod pool;

use ledger::{Ledger, LedgerError};
use pool::{DemoPool, PoolError, Scenario};
use sharestate::ergo::json::decode_transaction;
use sharestate::ergo::Constant;
use sharestate::ergo::Id;
use sharestate::pool::service::ProofService;
use sharestate::Operation;

/// A test mode in which the devnet lies, so that clients can be seen to catch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// Every lookup proof the proof service serves has one byte flipped.
    Proofs,
    /// Every payout transaction the node and explorer serve has one byte of its proof flipped
    /// (its id then no longer recomputes).
    Payouts,
    /// The proof service answers after 10 s, beyond a client's timeout.
    SlowProofs,
    /// Every box the node serves (by id, and the pages of a token's boxes) comes padded with
    /// 40 MiB of spaces, streamed without a Content-Length.
    Huge,
    /// Every inclusion proof is false: the node's `proofFor` with its first sibling changed,
    /// every source's transactions of a block (the node's blocks, ergo-graphql's, the explorer
    /// API's) with their proof bytes changed (so their witness ids, and the block's tree, are
    /// not the header's).
    Inclusion,
    /// The header of every block that holds a transaction is served with another nonce, one
    /// whose proof of work fails (its id recomputed from it: a block nobody mined).
    Pow,
    /// A payout nobody mined: the demo's last epoch's next payout, signed by the operator and
    /// valid under the contract, served as if in the last block (its inputs spent, its outputs
    /// there) — but no block holds it.
    Fabricated,
    /// A box nobody made: the demo's last epoch's first share-state box, copied as if it were
    /// output 9 of that epoch's real opening transaction (its id recomputes; that transaction
    /// is in a block, but made no such box), served as the epoch's first box, and the pool's
    /// proof service answers for it.
    MadeUpBox,
    /// A spend hidden: the demo's last epoch's last payout (mined, in a block; its state box
    /// gone from the UTXO set the headers commit to) served as if it never happened — its state
    /// box unspent, the payout and its outputs nowhere — so that the miners it paid read "not yet
    /// paid". The node's UTXO proof (`/utxo/getBoxesBinaryProof`) stays the chain's: it cannot
    /// be made to show a spent box. Likewise the balance pool's last command: its state box
    /// before it served unspent, so that the miners it touched read what they were owed before.
    HiddenSpend,
}

impl std::str::FromStr for Tamper {
    type Err = String;
    fn from_str(s: &str) -> Result<Tamper, String> {
        match s {
            "proofs" => Ok(Tamper::Proofs),
            "payouts" => Ok(Tamper::Payouts),
            "slow-proofs" => Ok(Tamper::SlowProofs),
            "huge" => Ok(Tamper::Huge),
            "inclusion" => Ok(Tamper::Inclusion),
            "pow" => Ok(Tamper::Pow),
            "fabricated" => Ok(Tamper::Fabricated),
            "made-up-box" => Ok(Tamper::MadeUpBox),
            "hidden-spend" => Ok(Tamper::HiddenSpend),
            other => Err(format!(
                "unknown tamper mode {other:?} (proofs, payouts, slow-proofs, huge, inclusion, pow, fabricated, made-up-box or hidden-spend)"
            )),
        }
    }
}

/// Everything the devnet serves.
pub struct Devnet {
    pub ledger: Ledger,
    pub pool: DemoPool,
    pub balance: balance_pool::BalancePool,
    pub service: ProofService,
    /// Off unless a test asks for it.
    pub tamper: Option<Tamper>,
    /// A directory of the pool's proof service as static files (`sharestate publish`), served
    /// at `/files` and named as the pool's proof service instead of `/pool`.
    pub proof_files: Option<std::path::PathBuf>,
}

impl Devnet {
    /// The devnet of `seed`: genesis, the pool token, the demo pool's four epochs, and the demo
    /// balance pool's rounds.
    pub fn generate(seed: u64) -> Result<Devnet, PoolError> {
        Devnet::generate_with(seed, &[], pool::REWARDS.len())
    }

    /// The devnet of `seed`: the demo's four epochs, small honest epochs up to `epochs` in all
    /// (a long history), then an epoch for each of `scenarios`.
    pub fn generate_with(seed: u64, scenarios: &[Scenario], epochs: usize) -> Result<Devnet, PoolError> {
        let (mut ledger, operator) = pool::genesis(seed);
        let mut service = ProofService::new();
        let pool = pool::generate(seed, &mut ledger, operator, &mut service, scenarios, epochs)?;
        let balance = balance_pool::generate(seed, &mut ledger, &mut service)?;
        Ok(Devnet {
            ledger,
            pool,
            balance,
            service,
            tamper: None,
            proof_files: None,
        })
    }

    /// Sets the test mode; for [`Tamper::Fabricated`], makes the payout no block holds. The
    /// pool's proof service follows it, as it would a real one.
    pub fn tamper(&mut self, tamper: Option<Tamper>) -> Result<(), PoolError> {
        self.tamper = tamper;
        if tamper == Some(Tamper::Fabricated) {
            let tx = self
                .pool
                .next_payout(&self.ledger)?
                .ok_or_else(|| PoolError::Other("no pending payout to fabricate".into()))?;
            let signed = self.ledger.sign(&tx, &self.pool.wallet())?;
            let json = serde_json::to_string(&signed).map_err(|e| PoolError::Other(e.to_string()))?;
            self.ledger.submit_unmined(signed)?;
            self.follow_payout(&json);
        }
        if tamper == Some(Tamper::MadeUpBox) {
            let e = pool::REWARDS.len() - 1;
            let missing = || PoolError::Other("the demo's last epoch is not on the ledger".into());
            let first = *self
                .pool
                .epochs
                .get(e)
                .ok_or_else(missing)?
                .state_boxes
                .first()
                .ok_or_else(missing)?;
            let mut made_up = self.ledger.get_box(&first).ok_or_else(missing)?.ergo_box.clone();
            made_up.index = 9;
            let id = made_up.id();
            self.ledger.add_unmade_box(made_up);
            let state = self.service.state(&first).cloned().ok_or_else(missing)?;
            self.service.insert(id, state);
            self.pool.epochs[e].state_boxes[0] = id;
        }
        if tamper == Some(Tamper::HiddenSpend) {
            let missing = || PoolError::Other("the demo's last epoch has no payout to hide".into());
            let e = self.pool.epochs.get(pool::REWARDS.len() - 1).ok_or_else(missing)?;
            let before_last = e.state_boxes.len().checked_sub(2).ok_or_else(missing)?;
            let spent = self.ledger.get_box(&e.state_boxes[before_last]).ok_or_else(missing)?;
            let tx = spent.spent_by.ok_or_else(missing)?;
            self.ledger.hide_spend(&tx).ok_or_else(missing)?;
            let boxes = &self.balance.state_boxes;
            let before_last = boxes.len().checked_sub(2).ok_or_else(missing)?;
            let spent = self.ledger.get_box(&boxes[before_last]).ok_or_else(missing)?;
            let tx = spent.spent_by.ok_or_else(missing)?;
            self.ledger.hide_spend(&tx).ok_or_else(missing)?;
        }
        Ok(())
    }

    /// The header of `h` as served: in [`Tamper::Pow`], a block holding transactions gets a
    /// nonce whose work fails (its id changes with it).
    pub fn served_header(&self, h: &sharestate::ergo::Header) -> sharestate::ergo::Header {
        if self.tamper != Some(Tamper::Pow) || self.ledger.block_transactions(&h.id()).is_none_or(|t| t.is_empty()) {
            return h.clone();
        }
        let mut bad = h.clone();
        let mut n = u64::from_be_bytes(h.nonce).wrapping_add(1);
        loop {
            bad.nonce = n.to_be_bytes();
            if bad.check_pow().is_err() {
                return bad;
            }
            n = n.wrapping_add(1);
        }
    }

    /// Validates and applies a transaction (JSON); then, as the pool's operator does, the proof
    /// service follows a payout of a state it serves: it serves the next state box too.
    pub fn submit_json(&mut self, json: &str) -> Result<Id, LedgerError> {
        let id = self.ledger.submit_json(json)?;
        self.follow_payout(json);
        Ok(id)
    }

    /// The state after an accepted payout: the served state of INPUTS(0) with context variable
    /// 0's updates applied, kept when its digest is OUTPUTS(0)'s R4. Anything else is not a
    /// payout of a served state and is left alone.
    fn follow_payout(&mut self, json: &str) -> Option<()> {
        let tx = decode_transaction(json).ok()?;
        let input = tx.inputs.first()?;
        let mut next = self.service.state(&input.box_id)?.clone();
        let (_, updates) = input.extension.as_ref()?.iter().find(|(id, _)| *id == 0)?;
        let ops = Constant::parse(updates)
            .ok()?
            .as_byte_pairs()
            .ok()?
            .iter()
            .map(|(k, v)| Some(Operation::Update(k.as_slice().try_into().ok()?, v.clone())))
            .collect::<Option<Vec<_>>>()?;
        next.prove(&ops).ok()?;
        let out = &tx.outputs.first()?.ergo_box;
        match out.register(4) {
            Some(Ok(Constant::AvlTree(t))) if t.digest == next.digest() => {
                self.service.insert(out.id(), next);
                Some(())
            }
            _ => None,
        }
    }
}

/// Serves `devnet` on `listener` until `shutdown` completes, then finishes the requests under way.
pub async fn serve(
    listener: tokio::net::TcpListener,
    devnet: Devnet,
    static_dir: Option<std::path::PathBuf>,
    package_dir: Option<std::path::PathBuf>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shared = std::sync::Arc::new(std::sync::Mutex::new(devnet));
    axum::serve(listener, api::router(shared, static_dir, package_dir))
        .with_graceful_shutdown(shutdown)
        .await
}
