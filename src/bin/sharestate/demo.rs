//! `sharestate demo`: a Design 1 epoch end to end on this machine — build a share state of
//! seeded random miners and scores, prove the payout of the first keys in ascending order,
//! check it clause by clause as the contract would, and print what happened and how long it
//! took.

use crate::args::Args;
use crate::CliError;
use sharestate::ergo::{ErgoBox, Id};
use sharestate::pool::amount::{self, erg};
use sharestate::posted::epoch::{self, Contracts, Funding, Opening, Payout};
use sharestate::posted::{self, PayoutBatch, PayoutReport, PayoutTransaction};
use sharestate::{hex, Address, AddressKind, ErrorKind, Key, Network, ShareState};
use std::time::{Duration, Instant};

/// The block height assumed for box value floors when none is given (3-byte VLQ, like every
/// mainnet height from 2^14 to 2^21).
pub const DEFAULT_HEIGHT: u32 = 1_600_000;
/// The reward of the demo epoch: 67.5 ERG.
const REWARD: i64 = 67_500_000_000;
/// The miner fee of each transaction: 0.0011 ERG.
const FEE: u64 = 1_100_000;

/// splitmix64: a tiny seeded generator, enough for reproducible demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn short(k: &Key) -> String {
    format!("{}…", &hex::encode(k)[..16])
}

pub fn run(a: Args) -> Result<(), CliError> {
    a.only(&["miners", "pay", "seed"])?;
    let miners: usize = a.number("miners")?.unwrap_or(2239);
    let pay: usize = a.number("pay")?.unwrap_or(300);
    let seed: u64 = a.number("seed")?.unwrap_or(2239);
    if miners == 0 || pay == 0 || pay > miners {
        return Err(CliError::usage("need 0 < --pay <= --miners"));
    }
    println!("sharestate demo: one Design 1 payout epoch, built and checked on this machine (seed {seed})\n");
    let (mut state, max_score) = share_state(miners, seed)?;
    let (state_box, reward_box, funding) = open_epoch(&mut state, max_score, seed)?;
    let batch = prove_batch(&mut state, max_score, pay)?;
    let tx = epoch::payout(
        &Payout {
            state_box: &state_box,
            reward_box: &reward_box,
            batch: &batch,
            script_of: &|k| state.script(k).map(<[u8]>::to_vec),
        },
        &funding(2, 10 * FEE),
        DEFAULT_HEIGHT,
    )?;
    let report = check(&PayoutTransaction::from_unsigned(&tx)?);
    print_payouts(&batch);
    if !report.accepted {
        return Err(CliError::new(
            ErrorKind::Payout.name(),
            "the demo's own payout did not pass its check",
        ));
    }
    Ok(())
}

/// 1. Miners with seeded P2PK scripts and log-uniform scores, scaled to an Int maxScore.
fn share_state(miners: usize, seed: u64) -> Result<(ShareState, i32), CliError> {
    let mut rng = Rng(seed);
    let mut rows = Vec::with_capacity(miners);
    for _ in 0..miners {
        let mut pk = vec![2u8 | (rng.next() & 1) as u8];
        for _ in 0..4 {
            pk.extend_from_slice(&rng.next().to_be_bytes());
        }
        let addr = Address::new(Network::Mainnet, AddressKind::P2pk, pk)?;
        // log-uniform from 1,000 to about 4,000,000: a few large miners, many small ones
        let score = 10f64.powf(3.0 + 3.6 * rng.unit()) as i64;
        rows.push((addr.proposition_bytes(), score));
    }
    let raw: Vec<i64> = rows.iter().map(|(_, s)| *s).collect();
    let scores = amount::scale_scores(&raw)?;
    let max_score = amount::max_score(&scores)?;
    let t = Instant::now();
    let mut state = posted::scores_state(rows.iter().map(|(p, _)| p.as_slice()).zip(scores.iter().copied()))?;
    let digest = state.digest();
    let built = t.elapsed();
    println!("1. Share state: {miners} miners (seeded P2PK scripts), scores from 1,000 to ~4,000,000");
    println!("   maxScore (R5)   {max_score}");
    println!("   digest          {digest}");
    println!("   register (R4)   {}", hex::encode(&state.register().to_bytes()));
    println!("   built in        {}", ms(built));
    Ok((state, max_score))
}

/// The epoch opened on the seed's draft contract, funded by the pool's box: its share-state
/// and reward boxes, and how the pool funds its transactions.
#[allow(clippy::type_complexity)]
fn open_epoch(
    state: &mut ShareState,
    max_score: i32,
    seed: u64,
) -> Result<(ErgoBox, ErgoBox, impl Fn(u8, u64) -> Funding), CliError> {
    let pool_tree = Address::new(Network::Mainnet, AddressKind::P2pk, {
        let mut pk = vec![3u8];
        pk.extend_from_slice(&sharestate::encoding::hash::blake2b256(&seed.to_be_bytes()));
        pk
    })?
    .proposition_bytes();
    let funding = move |seed: u8, value: u64| Funding {
        inputs: vec![ErgoBox {
            value,
            ergo_tree: pool_tree.clone(),
            creation_height: DEFAULT_HEIGHT - 10,
            tokens: vec![],
            registers: vec![],
            transaction_id: Id([seed; 32]),
            index: 0,
        }],
        change_tree: pool_tree.clone(),
        fee: FEE,
    };
    let open = epoch::open(
        &Opening {
            contracts: &Contracts::draft(),
            max_score,
            deadline: 0, // the draft has no deadline
            reward: REWARD as u64,
            pool_token: None,
        },
        state,
        &funding(1, 2 * REWARD as u64),
        DEFAULT_HEIGHT - 5,
    )?;
    let opened = open.transaction();
    let mut boxes = opened.output_boxes().into_iter();
    let (Some(state_box), Some(reward_box)) = (boxes.next(), boxes.next()) else {
        return Err(CliError::new(
            ErrorKind::Transaction.name(),
            "the opening made no boxes",
        ));
    };
    println!(
        "   epoch opened    share-state box {} and reward box {}",
        state_box.id(),
        reward_box.id()
    );
    println!(
        "                   on the seed's draft contract ({} bytes), by transaction {}\n",
        state_box.ergo_tree.len(),
        opened.id()
    );
    Ok((state_box, reward_box, funding))
}

/// 2. The payout batch: the first `pay` payable keys in ascending order, proved.
fn prove_batch(state: &mut ShareState, max_score: i32, pay: usize) -> Result<PayoutBatch, CliError> {
    let plan = posted::plan(state, REWARD, max_score, pay, DEFAULT_HEIGHT)?;
    let keys = plan.batches.first().cloned().unwrap_or_default();
    let t = Instant::now();
    let batch = posted::prove_payout(state, &keys, REWARD, max_score, false)?;
    let proved = t.elapsed();
    let proof_len = batch.proof_bytes().len();
    println!(
        "2. Payout batch: the first {} keys in ascending order, epoch reward {} ERG",
        keys.len(),
        erg(REWARD)
    );
    println!(
        "   proof           {proof_len} bytes ({:.1} per miner; the seed measured ~15,000 for 300 of 2,239)",
        proof_len as f64 / keys.len().max(1) as f64
    );
    println!("   context var 0   {} bytes", batch.state_updates.to_bytes().len());
    println!("   next digest     {}", batch.digest_after);
    println!("   proved in       {}", ms(proved));
    if !plan.unpayable.is_empty() {
        println!(
            "   left out        {} miners whose payment is below the box value floor",
            plan.unpayable.len()
        );
    }
    println!();
    Ok(batch)
}

/// 3. The payout transaction checked as the contract would check it.
fn check(tx: &PayoutTransaction) -> PayoutReport {
    let t = Instant::now();
    let report = posted::check_payout(tx);
    let checked = t.elapsed();
    let holds = |ok: bool, yes: &'static str, no: &'static str| if ok { yes } else { no };
    let clauses = report.miners.iter().filter(|m| m.holds()).count();
    println!("3. Verification of the payout transaction: the proof replayed against the digest, every clause of the seed's contract evaluated");
    println!(
        "   getMany/update  {}",
        holds(
            report.get_many.holds() && report.update.holds(),
            "proof verifies; update yields the next digest",
            "FAILED"
        )
    );
    println!(
        "   per miner       {clauses} of {} pass paymentIsValid, wasNotPaid, isNowPaid, scoresAreEqual, boxIsCorrect",
        report.miners.len()
    );
    println!(
        "   nextReward      {}",
        holds(report.next_reward_valid.holds(), "holds", "FAILS")
    );
    println!(
        "   nextShareState  {}",
        holds(report.next_share_state_valid.holds(), "holds", "FAILS")
    );
    println!(
        "   verdict         {}",
        holds(report.accepted, "the contract accepts this payout", "REJECTED")
    );
    println!(
        "   weaknesses      {} used by this payout; the draft contract leaves OUTPUTS(0) and OUTPUTS(1) unchecked (PROTOCOL.md)",
        report.weaknesses.len()
    );
    println!("   checked in      {}\n", ms(checked));
    report
}

/// 4. What the batch pays.
fn print_payouts(batch: &PayoutBatch) {
    let total: i64 = batch.payments.iter().map(|p| p.amount).sum();
    println!(
        "4. Payouts: {} ERG to {} miners, {} ERG stays in the reward box",
        erg(total),
        batch.payments.len(),
        erg(REWARD - total)
    );
    let min = batch.payments.iter().min_by_key(|p| p.amount);
    let max = batch.payments.iter().max_by_key(|p| p.amount);
    if let (Some(min), Some(max)) = (min, max) {
        println!("   smallest        {} ERG (score {})", erg(min.amount), min.score);
        println!("   largest         {} ERG (score {})", erg(max.amount), max.score);
    }
    for p in batch.payments.iter().take(3) {
        println!("   {}  score {:>9} → {} ERG", short(&p.key), p.score, erg(p.amount));
    }
}
