//! The demo pool: "Demo Pool", 2,239 miners with a realistic spread of scores, four epochs of
//! Design 1 — the first on the seed's draft contract, the others on the hardened pair, each
//! with a deadline a week of blocks after its opening — every epoch paid out but the last,
//! which has two payouts done and the rest pending; the second, once every miner a payout can
//! pay is paid, closed by the operator at its deadline (the chain skips empty blocks to it). Each
//! [`Scenario`] asked for adds an epoch in which the operator cheats, for tests. Everything is
//! derived from the seed; every transaction is built by the core, signed by the operator's key
//! and validated by sigma-rust before it is applied. What was generated is kept as ground truth.

use crate::ledger::{Ledger, LedgerError};
use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
use ergo_lib::wallet::secret_key::SecretKey;
use ergo_lib::wallet::Wallet;
use sharestate::encoding::hash::blake2b256;
use sharestate::ergo::json::{UnsignedInput, UnsignedTransaction};
use sharestate::ergo::transaction::MINER_FEE_TREE;
use sharestate::ergo::Candidate;
use sharestate::ergo::{ErgoBox, Id, Token};
use sharestate::pool::amount;
use sharestate::pool::service::ProofService;
use sharestate::posted;
use sharestate::posted::audit::MIN_CLAIM_WINDOW;
use sharestate::posted::epoch::{Contracts, Funding, Opening, Payout};
use sharestate::posted::evaluated;
use sharestate::{Address, Constant, Key, Network, ShareState};
use std::collections::BTreeMap;
use thiserror::Error;

pub const POOL_NAME: &str = "Demo Pool";
pub const MINERS: usize = 2239;
/// Miners paid per payout transaction.
pub const BATCH: usize = 150;
pub const FEE: u64 = 1_100_000;
/// The first block height of the devnet.
pub const GENESIS_HEIGHT: u32 = 1_600_000;
/// 2026-01-01T00:00:00Z, ms.
pub const GENESIS_TIME: u64 = 1_767_225_600_000;
/// Each epoch's reward (nanoErg): one to three blocks of 67.5 ERG.
pub const REWARDS: [u64; 4] = [135_000_000_000, 67_500_000_000, 202_500_000_000, 67_500_000_000];
/// Payouts done in the last epoch; the rest is pending.
pub const LAST_EPOCH_PAYOUTS: usize = 2;
/// The epoch (0-based) the operator closes after paying it in full.
pub const CLOSED_EPOCH: usize = 1;

/// The reward of each epoch of a long history (`--epochs`).
pub const HISTORY_REWARD: u64 = 6_750_000_000;

/// An epoch of a long history (`--epochs`, for measuring checks of a pool with years of
/// payouts): hardened and honest, a few percent of the miners, all paid in one or two payouts.
fn history_epoch() -> Rules {
    Rules {
        active: Some(0.04),
        ..Rules::default()
    }
}

/// A test mode: an epoch in which the operator cheats or floods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// Hardened, opened with a deadline 10 blocks away, then closed at it with every miner
    /// unpaid.
    EarlyClose,
    /// Hardened, opened with maxScore half the sum of the scores: the first miners are paid
    /// double and the reward runs out.
    HalfMaxScore,
    /// On the draft (the hardened contract refuses them): one payout, then 30 payouts that pay
    /// no one.
    EmptyPayouts,
    /// Not an epoch: a box at the pool's share-state address that looks like an epoch's but
    /// holds another token — anyone can make one (the devnet pays for it from the operator's
    /// box, for want of another funded key).
    ForgedBox,
}

impl std::str::FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Scenario, String> {
        match s {
            "early-close" => Ok(Scenario::EarlyClose),
            "half-max-score" => Ok(Scenario::HalfMaxScore),
            "empty-payouts" => Ok(Scenario::EmptyPayouts),
            "forged-box" => Ok(Scenario::ForgedBox),
            other => Err(format!(
                "unknown scenario {other:?} (early-close, half-max-score, empty-payouts or forged-box)"
            )),
        }
    }
}

/// How an epoch is generated: honest, or as a scenario demands.
#[derive(Debug, Clone, Copy, Default)]
struct Rules {
    /// On the draft contract (epoch 1 always is).
    draft: bool,
    /// Blocks from the opening to the deadline (R6), instead of [`MIN_CLAIM_WINDOW`].
    window: Option<u32>,
    /// maxScore divided by this.
    max_score_divisor: Option<i32>,
    /// Payouts made (all when none).
    payouts: Option<usize>,
    /// Empty payouts made after them.
    empty_payouts: usize,
    /// Closed by the operator at the end.
    close: bool,
    /// The share of the pool's miners who mined in the epoch (85 % when none).
    active: Option<f64>,
}

impl Rules {
    fn of(scenario: Scenario) -> Rules {
        match scenario {
            Scenario::EarlyClose => Rules {
                window: Some(10),
                payouts: Some(0),
                close: true,
                ..Rules::default()
            },
            Scenario::HalfMaxScore => Rules {
                max_score_divisor: Some(2),
                payouts: Some(1),
                ..Rules::default()
            },
            Scenario::EmptyPayouts => Rules {
                draft: true,
                payouts: Some(1),
                empty_payouts: 30,
                ..Rules::default()
            },
            Scenario::ForgedBox => Rules::default(),
        }
    }
}

#[derive(Debug, Error)]
pub enum PoolError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Build(#[from] sharestate::posted::evaluated::BuildError),
    #[error(transparent)]
    Posted(#[from] sharestate::posted::PostedError),
    #[error(transparent)]
    Score(#[from] sharestate::pool::ScoreError),
    #[error(transparent)]
    Contract(#[from] sharestate::posted::ContractError),
    #[error(transparent)]
    Persistent(#[from] sharestate::persistent::PersistentError),
    #[error(transparent)]
    BalanceBuild(#[from] sharestate::persistent::evaluated::BuildError),
    #[error("{0}")]
    Other(String),
}

/// splitmix64: the devnet's only source of "randomness".
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A secret key derived from the seed and a label (deterministic; for a devnet only).
pub fn secret(seed: u64, label: &str, i: u64) -> SecretKey {
    let mut counter = 0u64;
    loop {
        let mut b = blake2b256(
            &[
                &seed.to_be_bytes()[..],
                label.as_bytes(),
                &i.to_be_bytes(),
                &counter.to_be_bytes(),
            ]
            .concat(),
        );
        b[0] &= 0x7f; // below the group order
        if let Some(k) = SecretKey::dlog_from_bytes(&b) {
            return k;
        }
        counter += 1;
    }
}

fn p2pk_tree(k: &SecretKey) -> Vec<u8> {
    k.get_address_from_public_image()
        .script()
        .and_then(|t| t.sigma_serialize_bytes().map_err(Into::into))
        .unwrap_or_default()
}

/// A miner of the demo pool.
#[derive(Debug, Clone)]
pub struct Miner {
    pub address: String,
    pub script: Vec<u8>,
    pub key: Key,
}

/// What the generator did in one epoch: the ground truth a walk must reproduce.
#[derive(Debug, Clone)]
pub struct EpochTruth {
    /// 1-based.
    pub number: usize,
    /// `draft` or `hardened`.
    pub contract: &'static str,
    pub reward: u64,
    pub max_score: i32,
    /// Every miner in this epoch's tree, with their score.
    pub scores: BTreeMap<Key, i64>,
    /// Paid so far: transaction and amount.
    pub paid: BTreeMap<Key, (Id, i64)>,
    /// Miners whose payment is below the box value floor.
    pub unpayable: Vec<Key>,
    /// The share-state boxes, from the epoch's first to its tip.
    pub state_boxes: Vec<Id>,
    /// The reward box at the tip.
    pub reward_box: Id,
    /// Batches not paid yet.
    pub pending: Vec<Vec<Key>>,
    /// The operator's close, if the epoch is closed.
    pub closed: Option<Id>,
    /// The hardened contract's deadline (R6): the height from which the operator may close.
    pub deadline: Option<u32>,
}

/// The demo pool as generated.
pub struct DemoPool {
    pub seed: u64,
    pub operator: SecretKey,
    pub operator_tree: Vec<u8>,
    pub operator_address: String,
    /// The pool's identity token (minted from the genesis box).
    pub token: [u8; 32],
    pub miners: Vec<Miner>,
    pub epochs: Vec<EpochTruth>,
    /// The last epoch's share state at its tip, for building its pending payouts.
    pub tip_state: ShareState,
}

impl DemoPool {
    pub fn wallet(&self) -> Wallet {
        Wallet::from_secrets(vec![self.operator.clone()])
    }

    /// The demo's last epoch's next payout (the epoch of [`DemoPool::tip_state`]), as the operator
    /// would make it: its first pending batch, proved from the tip's state, built and evaluated
    /// by sigma-rust, unsigned. None when no batch is pending.
    pub fn next_payout(&self, ledger: &Ledger) -> Result<Option<UnsignedTransaction>, PoolError> {
        let Some(last) = self.epochs.get(REWARDS.len() - 1) else {
            return Ok(None);
        };
        let (Some(keys), Some(tip)) = (last.pending.first(), last.state_boxes.last()) else {
            return Ok(None);
        };
        let missing = || PoolError::Other("the last epoch's boxes are not on the ledger".into());
        let state_box = ledger.get_box(tip).ok_or_else(missing)?.ergo_box.clone();
        let reward_box = ledger.get_box(&last.reward_box).ok_or_else(missing)?.ergo_box.clone();
        let mut state = self.tip_state.clone();
        let (tx, _) = self.payout(
            ledger,
            &mut state,
            (&state_box, &reward_box),
            keys,
            last.reward as i64,
            last.max_score,
        )?;
        Ok(Some(tx))
    }

    /// The payout of `keys` from `state` (which it updates) at `boxes` (share-state and reward),
    /// proved, built and evaluated by sigma-rust, unsigned; and the batch it pays.
    fn payout(
        &self,
        ledger: &Ledger,
        state: &mut ShareState,
        (state_box, reward_box): (&ErgoBox, &ErgoBox),
        keys: &[Key],
        initial: i64,
        max_score: i32,
    ) -> Result<(UnsignedTransaction, posted::PayoutBatch), PoolError> {
        let batch = posted::prove_payout(state, keys, initial, max_score, true)?;
        let tx = evaluated::payout(
            &Payout {
                state_box,
                reward_box,
                batch: &batch,
                script_of: &|k| state.script(k).map(<[u8]>::to_vec),
            },
            &self.funding(ledger)?,
            &ledger.context(),
        )?;
        Ok((tx, batch))
    }

    /// The operator's box that pays fees (its largest unspent box).
    pub fn funding_box(&self, ledger: &Ledger) -> Option<ErgoBox> {
        ledger
            .boxes_by_tree(&self.operator_tree)
            .into_iter()
            .filter(|r| r.spent_by.is_none())
            .max_by_key(|r| r.ergo_box.value)
            .map(|r| r.ergo_box.clone())
    }

    /// The pool's hardened share-state script.
    pub fn share_state_tree(&self) -> Result<Vec<u8>, PoolError> {
        Ok(Contracts::hardened(&self.operator_tree[3..])?.share_state)
    }

    /// [`Scenario::ForgedBox`]: a new token minted into a box of the pool's hardened
    /// share-state script, with an empty tree, maxScore 1 and a deadline (R6) 10 blocks away.
    fn forge_box(&self, ledger: &mut Ledger, wallet: &Wallet) -> Result<(), PoolError> {
        let input = self
            .funding_box(ledger)
            .ok_or(PoolError::Other("the operator has no box left".into()))?;
        let h = ledger.height();
        let value = 10_000_000;
        let forged = Candidate {
            value,
            ergo_tree: self.share_state_tree()?,
            creation_height: h,
            tokens: vec![Token {
                id: input.id().0,
                amount: 1,
            }],
            registers: vec![
                Constant::AvlTree(ShareState::new().register()).to_bytes(),
                Constant::Int(1).to_bytes(),
                Constant::Int(h as i32 + 10).to_bytes(),
            ],
        };
        let change = Candidate {
            value: input.value - value - FEE,
            ergo_tree: self.operator_tree.clone(),
            creation_height: h,
            tokens: input.tokens.clone(),
            registers: vec![],
        };
        let fee = Candidate {
            value: FEE,
            ergo_tree: sharestate::hex::decode(MINER_FEE_TREE).unwrap_or_default(),
            creation_height: h,
            tokens: vec![],
            registers: vec![],
        };
        let tx = UnsignedTransaction {
            inputs: vec![UnsignedInput {
                spent: input,
                extension: vec![],
            }],
            data_inputs: vec![],
            outputs: vec![forged, change, fee],
        };
        ledger.sign_and_submit(&tx, wallet)?;
        Ok(())
    }

    pub fn funding(&self, ledger: &Ledger) -> Result<Funding, PoolError> {
        let b = self
            .funding_box(ledger)
            .ok_or(PoolError::Other("the operator has no box left".into()))?;
        Ok(Funding {
            inputs: vec![b],
            change_tree: self.operator_tree.clone(),
            fee: FEE,
        })
    }
}

/// The ledger at genesis: the demo pool's operator's one box of 1,000,000 ERG, and the balance
/// pool's operator's (`crate::balance_pool`), of as much.
pub fn genesis(seed: u64) -> (Ledger, SecretKey) {
    let operator = secret(seed, "operator", 0);
    let boxes = [&operator, &secret(seed, "balance-operator", 0)]
        .into_iter()
        .enumerate()
        .map(|(index, k)| ErgoBox {
            value: 1_000_000_000_000_000,
            ergo_tree: p2pk_tree(k),
            creation_height: GENESIS_HEIGHT - 1,
            tokens: vec![],
            registers: vec![],
            transaction_id: Id(blake2b256(b"sharestate devnet genesis")),
            index: index as u16,
        })
        .collect();
    (Ledger::new(GENESIS_HEIGHT, GENESIS_TIME, boxes), operator)
}

/// Generates the demo pool into `ledger` and `service`: its token, its miners, and
/// [`REWARDS`]`.len()` epochs; then, up to `epochs` in all, small honest epochs of history
/// ([`history_epoch`]); then one epoch for each of `scenarios`.
pub fn generate(
    seed: u64,
    ledger: &mut Ledger,
    operator: SecretKey,
    service: &mut ProofService,
    scenarios: &[Scenario],
    epochs: usize,
) -> Result<DemoPool, PoolError> {
    let operator_tree = p2pk_tree(&operator);
    let operator_address = Address::from_ergo_tree(&operator_tree, Network::Mainnet)
        .map(|a| a.encode())
        .unwrap_or_default();
    let wallet = Wallet::from_secrets(vec![operator.clone()]);
    let token = mint_pool_token(ledger, &operator_tree, &wallet)?;
    let miners: Vec<Miner> = (0..MINERS as u64)
        .map(|i| {
            let script = p2pk_tree(&secret(seed, "miner", i));
            let address = Address::from_ergo_tree(&script, Network::Mainnet)
                .map(|a| a.encode())
                .unwrap_or_default();
            Miner {
                key: blake2b256(&script),
                script,
                address,
            }
        })
        .collect();
    let mut pool = DemoPool {
        seed,
        operator,
        operator_tree,
        operator_address,
        token,
        miners,
        epochs: vec![],
        tip_state: ShareState::new(),
    };
    let mut rng = Rng(seed);
    for (e, reward) in REWARDS.iter().enumerate() {
        let last = e == REWARDS.len() - 1;
        let rules = Rules {
            draft: e == 0,
            payouts: last.then_some(LAST_EPOCH_PAYOUTS),
            close: e == CLOSED_EPOCH,
            ..Rules::default()
        };
        let (truth, state) = pool.epoch(e, *reward, rules, &mut rng, ledger, &wallet, service)?;
        pool.epochs.push(truth);
        // the pending payouts the app may make are the last honest epoch's
        if last {
            pool.tip_state = state;
        }
    }
    for e in REWARDS.len()..epochs {
        let (truth, _) = pool.epoch(e, HISTORY_REWARD, history_epoch(), &mut rng, ledger, &wallet, service)?;
        pool.epochs.push(truth);
    }
    for scenario in scenarios {
        if *scenario == Scenario::ForgedBox {
            pool.forge_box(ledger, &wallet)?;
            continue;
        }
        let e = pool.epochs.len();
        let (truth, _) = pool.epoch(e, REWARDS[0], Rules::of(*scenario), &mut rng, ledger, &wallet, service)?;
        pool.epochs.push(truth);
    }
    Ok(pool)
}

/// The pool token, minted from the operator's genesis box (a new token's id is its first
/// input's id), with its EIP-4 name.
fn mint_pool_token(ledger: &mut Ledger, operator_tree: &[u8], wallet: &Wallet) -> Result<[u8; 32], PoolError> {
    let genesis_box = ledger
        .boxes_by_tree(operator_tree)
        .first()
        .map(|r| r.ergo_box.clone())
        .ok_or(PoolError::Other("no genesis box".into()))?;
    let token = genesis_box.id().0;
    let h = ledger.height();
    let eip4 = |s: &str| Constant::Bytes(s.as_bytes().to_vec()).to_bytes();
    let mint = UnsignedTransaction {
        inputs: vec![UnsignedInput {
            spent: genesis_box.clone(),
            extension: vec![],
        }],
        data_inputs: vec![],
        outputs: vec![
            Candidate {
                value: genesis_box.value - FEE,
                ergo_tree: operator_tree.to_vec(),
                creation_height: h,
                tokens: vec![Token {
                    id: token,
                    amount: 1000,
                }],
                registers: vec![
                    eip4(POOL_NAME),
                    eip4("identity token of the sharestate devnet's demo pool"),
                    eip4("0"),
                ],
            },
            Candidate {
                value: FEE,
                ergo_tree: sharestate::hex::decode(MINER_FEE_TREE).unwrap_or_default(),
                creation_height: h,
                tokens: vec![],
                registers: vec![],
            },
        ],
    };
    ledger.sign_and_submit(&mint, wallet)?;
    Ok(token)
}

impl DemoPool {
    /// Epoch `e` (0-based): who mined and how much, the epoch opened (the first on the draft
    /// contract, the others on the hardened pair), its payouts as `rules` say (the rest stay
    /// pending), and its close. Returns its ground truth and final state.
    #[allow(clippy::too_many_arguments)]
    fn epoch(
        &self,
        e: usize,
        reward: u64,
        rules: Rules,
        rng: &mut Rng,
        ledger: &mut Ledger,
        wallet: &Wallet,
        service: &mut ProofService,
    ) -> Result<(EpochTruth, ShareState), PoolError> {
        // most miners, scores spread over three decades
        let mut rows = Vec::new();
        for m in &self.miners {
            let active = rng.unit() < rules.active.unwrap_or(0.85);
            let score = 10f64.powf(3.0 + 3.6 * rng.unit()) as i64;
            if active {
                rows.push((m, score));
            }
        }
        let scores = amount::scale_scores(&rows.iter().map(|r| r.1).collect::<Vec<_>>())?;
        let max_score = amount::max_score(&scores)? / rules.max_score_divisor.unwrap_or(1);
        let mut state = posted::scores_state(rows.iter().zip(&scores).map(|((m, _), s)| (m.script.as_slice(), *s)))?;
        let initial = reward as i64;
        let plan = posted::plan(&state, initial, max_score, BATCH, ledger.height())?;
        let (contracts, contract, tok) = if rules.draft {
            (Contracts::draft(), "draft", None)
        } else {
            (
                Contracts::hardened(&self.operator_tree[3..])?,
                "hardened",
                Some(self.token),
            )
        };
        // the opening lands in the next block; the deadline counts from there
        let deadline = ledger.height() + 1 + rules.window.unwrap_or(MIN_CLAIM_WINDOW);
        let open = evaluated::open(
            &Opening {
                contracts: &contracts,
                max_score,
                deadline,
                reward,
                pool_token: tok,
            },
            &mut state,
            &self.funding(ledger)?,
            &ledger.context(),
        )?;
        let open_id = ledger.sign_and_submit(&open, wallet)?;
        let outs = ledger.get_tx(&open_id).map(|t| t.tx.output_boxes()).unwrap_or_default();
        let (mut state_box, mut reward_box) = (outs[0].clone(), outs[1].clone());
        service.insert(state_box.id(), state.clone());

        let mut truth = EpochTruth {
            number: e + 1,
            contract,
            reward,
            max_score,
            scores: rows.iter().zip(&scores).map(|((m, _), s)| (m.key, *s)).collect(),
            paid: BTreeMap::new(),
            unpayable: plan.unpayable.clone(),
            state_boxes: vec![state_box.id()],
            reward_box: reward_box.id(),
            pending: vec![],
            closed: None,
            deadline: (!rules.draft).then_some(deadline),
        };
        let empty: Vec<Vec<Key>> = vec![vec![]; rules.empty_payouts];
        let payouts = rules.payouts.unwrap_or(plan.batches.len());
        for (b, keys) in plan.batches.iter().chain(&empty).enumerate() {
            if b >= payouts && !keys.is_empty() {
                truth.pending.push(keys.clone());
                continue;
            }
            let (tx, batch) = self.payout(ledger, &mut state, (&state_box, &reward_box), keys, initial, max_score)?;
            let id = ledger.sign_and_submit(&tx, wallet)?;
            for p in &batch.payments {
                truth.paid.insert(p.key, (id, p.amount));
            }
            let outs = ledger.get_tx(&id).map(|t| t.tx.output_boxes()).unwrap_or_default();
            state_box = outs[0].clone();
            reward_box = outs[1].clone();
            service.insert(state_box.id(), state.clone());
            truth.state_boxes.push(state_box.id());
            truth.reward_box = reward_box.id();
        }
        if rules.close {
            // the hardened contract lets the operator close from the deadline on: the
            // share-state and reward boxes back to the operator
            ledger.skip_to(deadline);
            let close = posted::epoch::close(&state_box, Some(&reward_box), &self.funding(ledger)?, ledger.height())
                .map_err(|e| PoolError::Other(e.to_string()))?;
            truth.closed = Some(ledger.sign_and_submit(&close, wallet)?);
        }
        Ok((truth, state))
    }
}
