//! The demo balance pool: "Demo Balance Pool", Design 2 — one long-lived tree of balances owed,
//! changed by command transactions — over [`ROUNDS`] rounds of [`MINERS`] miners who come and
//! go: each mines for a few rounds, is inserted when first credited, paid when their balance
//! reaches their own minimum, and deleted once at zero and gone. Each round's block reward
//! arrives in a holding box, which the operator spends into Update command boxes, one per batch
//! of 150 credits; the other commands' boxes are paid from the operator's wallet. The first
//! [`DEPLOYED_ROUNDS`] rounds run the deployed contracts (as Getblok ran them); then one command
//! moves the state to the hardened set, under the same pool NFT, and the rest run on it.
//! Everything is derived from the seed; every transaction is built by the core, checked by our
//! clauses and by sigma-rust, signed by the operator and validated before it is applied. What
//! was generated is kept as ground truth, per miner.

use crate::ledger::Ledger;
use crate::pool::{secret, Miner, PoolError, Rng, FEE};
use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
use ergo_lib::wallet::Wallet;
use sharestate::encoding::hash::blake2b256;
use sharestate::ergo::{ErgoBox, Funding, Id};
use sharestate::persistent::{
    self, command, evaluated, plan_round, prove_command, Batch, Command, ContractSet, PoolContracts,
};
use sharestate::pool::service::ProofService;
use sharestate::{Address, Key, Network, ShareState};
use std::collections::BTreeMap;

pub const NAME: &str = "Demo Balance Pool";
pub const MINERS: usize = 2000;
pub const ROUNDS: usize = 30;
/// The minimum payout the pool states (nanoErg); each miner chooses theirs, this or more.
pub const DEFAULT_MINIMUM: i64 = 500_000_000;
pub const DEPLOYED_ROUNDS: usize = 12;
/// A round's block reward, nanoErg.
pub const ROUND_REWARD: u64 = 67_500_000_000;
/// What the state box holds beyond the balances owed.
pub const RESERVE: u64 = 10_000_000;

/// Something that happened to a miner's balance: the ground truth of their history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// 1-based.
    pub round: usize,
    pub command: Command,
    pub transaction: Id,
    /// Credited (Update) or paid (Payout); 0 for Insert and Delete.
    pub amount: i64,
    /// The balance owed after it.
    pub balance: i64,
}

/// A miner of the balance pool and their minimum payout.
#[derive(Debug, Clone)]
pub struct BalanceMiner {
    pub miner: Miner,
    pub minimum: i64,
    /// Rounds (1-based) in which they had shares.
    pub rounds: Vec<usize>,
}

/// The balance pool as generated.
pub struct BalancePool {
    pub operator_address: String,
    pub contracts: [PoolContracts; 2],
    pub nft: [u8; 32],
    pub miners: Vec<BalanceMiner>,
    pub history: BTreeMap<Key, Vec<Event>>,
    /// Every state box, in order.
    pub state_boxes: Vec<Id>,
    /// The transaction that moved the state to the hardened set.
    pub migration: Option<Id>,
    /// The state at the tip.
    pub state: ShareState,
}

impl BalancePool {
    /// What a miner is owed now, by the ground truth.
    pub fn owed(&self, key: &Key) -> Option<i64> {
        self.history
            .get(key)
            .and_then(|h| h.last())
            .filter(|e| e.command != Command::Delete)
            .map(|e| e.balance)
    }
}

fn p2pk(k: &ergo_lib::wallet::secret_key::SecretKey) -> Vec<u8> {
    k.get_address_from_public_image()
        .script()
        .and_then(|t| t.sigma_serialize_bytes().map_err(Into::into))
        .unwrap_or_default()
}

struct Run<'a> {
    ledger: &'a mut Ledger,
    wallet: &'a Wallet,
    operator_tree: Vec<u8>,
}

impl Run<'_> {
    fn funding(&self, fee_only: bool) -> Result<Funding, PoolError> {
        let b = self
            .ledger
            .boxes_by_tree(&self.operator_tree)
            .into_iter()
            .filter(|r| r.spent_by.is_none())
            .max_by_key(|r| r.ergo_box.value)
            .map(|r| r.ergo_box.clone())
            .ok_or(PoolError::Other("the operator has no box left".into()))?;
        Ok(Funding {
            inputs: if fee_only { vec![] } else { vec![b] },
            change_tree: self.operator_tree.clone(),
            fee: FEE,
        })
    }

    fn submit(&mut self, tx: &sharestate::ergo::json::UnsignedTransaction) -> Result<(Id, Vec<ErgoBox>), PoolError> {
        let id = self.ledger.sign_and_submit(tx, self.wallet)?;
        let outs = self.ledger.get_tx(&id).map(|t| t.tx.output_boxes()).unwrap_or_default();
        Ok((id, outs))
    }
}

/// The balance pool's operator: another pool, another operator (its genesis box is the
/// ledger's second, [`crate::pool::genesis`]).
pub fn operator(seed: u64) -> ergo_lib::wallet::secret_key::SecretKey {
    secret(seed, "balance-operator", 0)
}

/// Generates the balance pool into `ledger` (its operator's wallet pays) and `service`.
pub fn generate(seed: u64, ledger: &mut Ledger, service: &mut ProofService) -> Result<BalancePool, PoolError> {
    let operator = operator(seed);
    let wallet = Wallet::from_secrets(vec![operator.clone()]);
    let operator_tree = p2pk(&operator);
    let mut run = Run {
        ledger,
        wallet: &wallet,
        operator_tree: operator_tree.clone(),
    };
    let mut rng = Rng(seed ^ 0x00ba_1a9c_e000);
    let miners: Vec<BalanceMiner> = (0..MINERS as u64)
        .map(|i| {
            let script = p2pk(&secret(seed, "balance-miner", i));
            let address = Address::from_ergo_tree(&script, Network::Mainnet)
                .map(|a| a.encode())
                .unwrap_or_default();
            // members for 2 to 8 rounds from a round of their own; a share in 4 of 5
            let join = 1 + (rng.next_u64() % ROUNDS as u64) as usize;
            let stay = 2 + (rng.next_u64() % 7) as usize;
            let rounds = (join..(join + stay).min(ROUNDS + 1))
                .filter(|_| rng.unit() < 0.8)
                .collect();
            let minimum = [DEFAULT_MINIMUM, 1_000_000_000, 2_000_000_000, 5_000_000_000][(rng.next_u64() % 4) as usize];
            BalanceMiner {
                miner: sharestate_miner(script, address),
                minimum,
                rounds,
            }
        })
        .collect();
    // the pool NFT is minted by the first state box's transaction: its id is the funding box's
    let first = run.funding(false)?;
    let nft = first.inputs[0].id().0;
    let contracts = [
        PoolContracts::new(ContractSet::Deployed, nft, &operator_tree[3..])?,
        PoolContracts::new(ContractSet::Hardened, nft, &operator_tree[3..])?,
    ];
    let mut state = ShareState::new();
    let genesis = command::genesis(&contracts[0], &mut state, RESERVE, &first, run.ledger.height())?;
    let (_, outs) = run.submit(&genesis)?;
    let mut state_box = outs[0].clone();
    let mut pool = BalancePool {
        operator_address: Address::from_ergo_tree(&operator_tree, Network::Mainnet)
            .map(|a| a.encode())
            .unwrap_or_default(),
        contracts,
        nft,
        miners,
        history: BTreeMap::new(),
        state_boxes: vec![state_box.id()],
        migration: None,
        state,
    };
    let minimum: BTreeMap<Key, i64> = pool.miners.iter().map(|m| (m.miner.key, m.minimum)).collect();
    for round in 1..=ROUNDS {
        let set = usize::from(round > DEPLOYED_ROUNDS);
        let c = pool.contracts[set].clone();
        // who mined, and their shares of the reward less the Update commands' fees
        let active: Vec<(Key, u64)> = pool
            .miners
            .iter()
            .filter(|m| m.rounds.contains(&round))
            .map(|m| (m.miner.key, 1 + rng.next_u64() % 1000))
            .collect();
        let updates = active.len().div_ceil(persistent::prove::BATCH) as u64;
        let to_share = ROUND_REWARD - updates * FEE;
        let weight: u64 = active.iter().map(|a| a.1).sum();
        let credits: Vec<(Key, i64)> = active
            .iter()
            .map(|(k, w)| {
                (
                    *k,
                    (u128::from(to_share) * u128::from(*w) / u128::from(weight.max(1))) as i64,
                )
            })
            .collect();
        let plan = plan_round(
            &pool.state,
            &credits,
            &|k| minimum.get(k).copied().unwrap_or(i64::MAX),
            persistent::prove::BATCH,
        )?;

        // the first command on the hardened set is the deployed set's last: it moves the state
        let migrating = set == 1 && pool.migration.is_none();
        // each batch's command box: its script, its value, whether the holding box pays it
        let specs: Vec<(Vec<u8>, u64, bool)> = plan
            .batches
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let moving = migrating && i == 0;
                let of = if moving { &pool.contracts[0] } else { &c };
                let value = match b {
                    Batch::Update(credits) => credits.iter().map(|(_, v)| *v as u64).sum::<u64>() + FEE,
                    _ => FEE,
                };
                (
                    of.command(b.command()).to_vec(),
                    value,
                    b.command() == Command::Update && !moving,
                )
            })
            .collect();
        // the round's reward arrives in a holding box (what its Update boxes need), made with the
        // wallet's command boxes; then the holding box is spent into its Update boxes
        let from_holding: Vec<u64> = specs.iter().filter(|s| s.2).map(|s| s.1).collect();
        let holding_value: u64 = from_holding.iter().sum();
        let mut made: Vec<(&[u8], u64)> = specs.iter().filter(|s| !s.2).map(|s| (s.0.as_slice(), s.1)).collect();
        if holding_value > 0 {
            made.push((c.holding.as_slice(), holding_value));
        }
        let tx = command::boxes(&made, &run.funding(false)?, run.ledger.height())?;
        let (_, outs) = run.submit(&tx)?;
        let holding = (holding_value > 0).then(|| outs[made.len() - 1].clone());
        let mut wallet_boxes = outs.into_iter().take(specs.iter().filter(|s| !s.2).count());
        let mut update_boxes = vec![];
        if let Some(holding) = holding {
            let d = command::distribute(&c, &[holding], &from_holding, &run.funding(false)?, run.ledger.height())?;
            let (_, outs) = run.submit(&d)?;
            update_boxes = outs.into_iter().take(from_holding.len()).collect();
        }
        let mut holding_boxes = update_boxes.into_iter();
        for (i, batch) in plan.batches.iter().enumerate() {
            let command_box = if specs[i].2 {
                holding_boxes.next()
            } else {
                wallet_boxes.next()
            }
            .ok_or(PoolError::Other("a command box is missing".into()))?;
            let migrate = migrating && i == 0;
            let proved = prove_command(&mut pool.state, batch)?;
            let contracts = &pool.contracts;
            let scripts: BTreeMap<Key, Vec<u8>> = proved
                .payments()
                .iter()
                .filter_map(|(k, _)| {
                    pool.miners
                        .iter()
                        .find(|m| m.miner.key == *k)
                        .map(|m| (*k, m.miner.script.clone()))
                })
                .collect();
            let next_script = if migrate {
                Some(contracts[1].state.as_slice())
            } else {
                None
            };
            let context = run.ledger.context();
            let (tx, _) = evaluated::command(
                &proved,
                &state_box,
                &command_box,
                next_script,
                &|k| scripts.get(k).cloned(),
                &run.funding(true)?,
                &context,
            )?;
            let (id, outs) = run.submit(&tx)?;
            if migrate {
                pool.migration = Some(id);
            }
            state_box = outs[0].clone();
            pool.state_boxes.push(state_box.id());
            for e in &proved.entries {
                pool.history.entry(e.key).or_default().push(Event {
                    round,
                    command: proved.command,
                    transaction: id,
                    amount: match proved.command {
                        Command::Update => e.after.unwrap_or(0) - e.before.unwrap_or(0),
                        Command::Payout => e.before.unwrap_or(0),
                        _ => 0,
                    },
                    balance: e.after.unwrap_or(0),
                });
            }
        }
    }
    // the proof service answers for the pool's current state box
    service.insert(state_box.id(), pool.state.clone());
    Ok(pool)
}

fn sharestate_miner(script: Vec<u8>, address: String) -> Miner {
    Miner {
        key: blake2b256(&script),
        script,
        address,
    }
}
