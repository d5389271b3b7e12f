//! Design 2 pools built by `persistent::command` and evaluated by sigma-rust's interpreter,
//! on the deployed and the hardened contracts: rounds of honest commands (inserts, credits,
//! payouts, deletes, miners joining and leaving) pass both and our clause check; each
//! tampering is refused by both where the contracts check it — our check naming the clause —
//! and, where the deployed set does not, accepted by it, reported as the weakness it uses, and
//! refused by the hardened set.

use sharestate::avl::{Operation, ShareState};
use sharestate::ergo::interpreter::{evaluate, Reduced};
use sharestate::ergo::json::UnsignedTransaction;
use sharestate::ergo::{Candidate, Constant, ErgoBox, Funding, Id};
use sharestate::persistent::{
    check_command, command, evaluated, plan_round, prove_command, Batch, Command, CommandReport, CommandTransaction,
    ContractSet, PoolContracts, Weakness,
};
use sharestate::Key;
use std::collections::HashMap;

const FEE: u64 = 1_100_000;
const RESERVE: u64 = 10_000_000;

mod interpreter;
use interpreter::{context, p2pk};

fn a_box(value: u64, ergo_tree: Vec<u8>, seed: u32) -> ErgoBox {
    let mut id = [0u8; 32];
    id[..4].copy_from_slice(&seed.to_be_bytes());
    ErgoBox {
        value,
        ergo_tree,
        creation_height: 471_000,
        tokens: vec![],
        registers: vec![],
        transaction_id: Id(id),
        index: 0,
    }
}

struct Pool {
    contracts: PoolContracts,
    state: ShareState,
    state_box: ErgoBox,
    scripts: HashMap<Key, Vec<u8>>,
    operator: Vec<u8>,
    seed: u32,
}

impl Pool {
    fn new(set: ContractSet) -> Pool {
        let operator = p2pk();
        let first = a_box(100 * RESERVE, operator.clone(), 1);
        let contracts = PoolContracts::new(set, first.id().0, &operator[3..]).unwrap();
        let mut state = ShareState::new();
        let funding = Funding {
            inputs: vec![first],
            change_tree: operator.clone(),
            fee: FEE,
        };
        let genesis = command::genesis(&contracts, &mut state, RESERVE, &funding, context().height()).unwrap();
        let state_box = genesis.transaction().output_boxes()[0].clone();
        Pool {
            contracts,
            state,
            state_box,
            scripts: HashMap::new(),
            operator,
            seed: 100,
        }
    }

    fn miners(&mut self, n: usize) -> Vec<Key> {
        (0..n)
            .map(|_| {
                let s = p2pk();
                let k = sharestate::encoding::hash::blake2b256(&s);
                self.scripts.insert(k, s);
                k
            })
            .collect()
    }

    /// The unsigned transaction of `batch`, not yet applied.
    fn build(&mut self, batch: &Batch) -> UnsignedTransaction {
        let mut state = self.state.clone();
        let proved = prove_command(&mut state, batch).unwrap();
        let credits: u64 = match batch {
            Batch::Update(c) => c.iter().map(|(_, v)| *v as u64).sum(),
            _ => 0,
        };
        self.seed += 1;
        let command_box = a_box(
            credits + FEE + 2_000_000,
            self.contracts.command(batch.command()).to_vec(),
            self.seed,
        );
        let funding = Funding {
            inputs: vec![],
            change_tree: self.operator.clone(),
            fee: FEE,
        };
        let scripts = self.scripts.clone();
        let (tx, report) = evaluated::command(
            &proved,
            &self.state_box,
            &command_box,
            None,
            &|k| scripts.get(k).cloned(),
            &funding,
            &context(),
        )
        .unwrap_or_else(|e| panic!("{:?} of {}: {e}", batch.command(), batch.len()));
        assert!(
            report.accepted && report.weaknesses.is_empty(),
            "{:?}",
            report.failing()
        );
        tx
    }

    /// Builds, checks and applies a round; returns its transactions.
    fn round(&mut self, credits: &[(Key, i64)], minimum: i64) -> Vec<UnsignedTransaction> {
        let plan = plan_round(&self.state, credits, &|_| minimum, 150).unwrap();
        let mut txs = vec![];
        for batch in &plan.batches {
            let tx = self.build(batch);
            let v = evaluate(&tx, &context()).unwrap();
            assert!(
                matches!(v[0], Reduced::Proposition(_)),
                "the state box asks the operator's signature"
            );
            assert_eq!(v[1], Reduced::True, "{:?}: the command's script holds", batch.command());
            prove_command(&mut self.state, batch).unwrap();
            self.state_box = tx.transaction().output_boxes()[0].clone();
            txs.push(tx);
        }
        txs
    }
}

fn report(tx: &UnsignedTransaction) -> CommandReport {
    check_command(&CommandTransaction::from_unsigned(tx).unwrap()).unwrap()
}

/// Whether sigma-rust's interpreter refuses `tx`: a script false, or one that does not evaluate.
fn refused(tx: &UnsignedTransaction) -> bool {
    match evaluate(tx, &context()) {
        Ok(v) => v.contains(&Reduced::False),
        Err(_) => true,
    }
}

fn change(tx: &UnsignedTransaction) -> usize {
    tx.outputs.len() - 1
}

/// Variable 0 of the command box, as pairs.
fn pairs(tx: &UnsignedTransaction) -> Vec<(Vec<u8>, Vec<u8>)> {
    Constant::parse(&tx.inputs[1].extension[0].1)
        .unwrap()
        .as_byte_pairs()
        .unwrap()
        .to_vec()
}

fn set_pairs(tx: &mut UnsignedTransaction, pairs: Vec<(Vec<u8>, Vec<u8>)>) {
    tx.inputs[1].extension[0].1 = Constant::BytePairs(pairs).to_bytes();
}

#[test]
fn thirty_rounds_of_churn_pass_both_sets_and_our_check() {
    for set in [ContractSet::Deployed, ContractSet::Hardened] {
        let mut p = Pool::new(set);
        let mut all = p.miners(40);
        let mut counts: HashMap<Command, usize> = HashMap::new();
        let mut owed: HashMap<Key, i64> = HashMap::new();
        let mut paid = 0i64;
        for round in 0..30usize {
            // a fifth leave, a few join, each round
            if round % 3 == 2 {
                all.drain(..5);
                all.extend(p.miners(4));
            }
            let credits: Vec<(Key, i64)> = all
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    (
                        *k,
                        10_000_000 + (i as i64 * 7_919 + round as i64 * 104_729) % 20_000_000,
                    )
                })
                .collect();
            for tx in p.round(&credits, 60_000_000) {
                let r = report(&tx);
                *counts.entry(r.contract.command).or_default() += 1;
                for m in &r.miners {
                    let k: Key = m.key.clone().try_into().unwrap();
                    match r.contract.command {
                        Command::Update => *owed.entry(k).or_default() += m.delta.unwrap(),
                        Command::Payout => {
                            assert_eq!(m.paid, owed.insert(k, 0));
                            paid += m.paid.unwrap();
                        }
                        Command::Delete => assert_eq!(owed.remove(&k), Some(0)),
                        Command::Insert => assert_eq!(owed.insert(k, 0), None),
                    }
                }
            }
        }
        // every command ran, and the state is what the reports add up to
        assert!(
            COMMANDS_ALL.iter().all(|c| counts.get(c).copied().unwrap_or(0) > 0),
            "{counts:?}"
        );
        assert!(paid > 0);
        for (k, v) in &owed {
            assert_eq!(
                p.state.get(k).map(|b| i64::from_be_bytes(b.try_into().unwrap())),
                Some(*v)
            );
        }
        assert_eq!(p.state.len(), owed.len());
        let total: i64 = owed.values().sum();
        assert_eq!(
            p.state_box.value,
            RESERVE + total as u64,
            "the state box holds every balance owed"
        );
    }
}

const COMMANDS_ALL: [Command; 4] = [Command::Insert, Command::Update, Command::Payout, Command::Delete];

/// A pool after two rounds, with a payout and an update ready to tamper with.
fn fixtures(set: ContractSet) -> (Pool, UnsignedTransaction, UnsignedTransaction) {
    let mut p = Pool::new(set);
    let keys = p.miners(12);
    let credits: Vec<(Key, i64)> = keys.iter().map(|k| (*k, 40_000_000)).collect();
    p.round(&credits, i64::MAX);
    let update = p.build(&Batch::Update(credits.clone()));
    let payout = p.build(&Batch::Payout(keys[..5].to_vec()));
    (p, update, payout)
}

fn assert_refused_by_all(tx: &UnsignedTransaction, clause: &str) {
    assert!(refused(tx), "sigma-rust accepts what should fail {clause}");
    let r = report(tx);
    assert!(!r.accepted);
    assert!(
        r.failing().iter().any(|f| f.ends_with(clause)),
        "{clause} not in {:?}",
        r.failing()
    );
}

/// Accepted by the deployed set with `weakness` reported; refused by the hardened set by `clause`.
fn assert_weakness(set: ContractSet, tx: &UnsignedTransaction, weakness: fn(&Weakness) -> bool, clause: &str) {
    let r = report(tx);
    assert!(r.weaknesses.iter().any(weakness), "{:?}", r.weaknesses);
    match set {
        ContractSet::Deployed => {
            assert!(!refused(tx), "the deployed set accepts it");
            assert!(r.accepted, "{:?}", r.failing());
            assert!(r.require_sound(false).is_err(), "but no builder hands it out");
        }
        ContractSet::Hardened => assert_refused_by_all(tx, clause),
    }
}

#[test]
fn tamperings_are_refused_where_checked_and_the_deployed_weaknesses_are_reported_and_closed() {
    for set in [ContractSet::Deployed, ContractSet::Hardened] {
        let (p, update, payout) = fixtures(set);
        let c = change(&payout);

        // a payment 1 nanoErg short
        let mut short = payout.clone();
        short.outputs[3].value -= 1;
        short.outputs[c].value += 1;
        assert_refused_by_all(&short, "miner 2: paymentIsValid");

        // a payment to another script
        let mut other = payout.clone();
        other.outputs[1].ergo_tree = p2pk();
        assert_refused_by_all(&other, "miner 0: boxIsCorrect");

        // a flipped proof byte
        let mut flipped = payout.clone();
        let proof = &mut flipped.inputs[1].extension[1].1;
        let n = proof.len();
        proof[n / 2] ^= 0x01;
        assert!(refused(&flipped));
        assert!(!report(&flipped).accepted);

        // a negative delta: the miner credited, the box drained by twice the delta
        let mut negative = update.clone();
        let mut ps = pairs(&negative);
        let d = i64::from_be_bytes(ps[3].1.clone().try_into().unwrap());
        ps[3].1 = (-d).to_be_bytes().to_vec();
        set_pairs(&mut negative, ps);
        negative.outputs[0].value -= 2 * d as u64;
        let cu = change(&negative);
        negative.outputs[cu].value += 2 * d as u64;
        assert_weakness(
            set,
            &negative,
            |w| matches!(w, Weakness::NegativeDelta { .. }),
            "nextValue",
        );

        // an extra output on a payout
        let mut extra = payout.clone();
        let mut split = extra.outputs[c].clone();
        split.value /= 2;
        extra.outputs[c].value -= split.value;
        extra.outputs.push(split);
        assert_weakness(
            set,
            &extra,
            |w| matches!(w, Weakness::ExtraOutputs { .. }),
            "outputCount",
        );

        // the pool NFT moved out of the next state
        let mut nft = payout.clone();
        let token = nft.outputs[0].tokens.remove(0);
        nft.outputs[c].tokens.push(token);
        assert_weakness(
            set,
            &nft,
            |w| matches!(w, Weakness::PoolTokenNotCarried { .. }),
            "tokensKept",
        );

        // the state moved to another script
        let mut moved = payout.clone();
        moved.outputs[0].ergo_tree = p.operator.clone();
        assert_weakness(
            set,
            &moved,
            |w| matches!(w, Weakness::NextStateScriptChanged { to_hardened: false, .. }),
            "scriptKept",
        );

        // a repeated key on a payout: its balance leaves the state twice, is paid once, the
        // rest to the operator
        let keys: Vec<Key> = pairs(&payout)
            .iter()
            .map(|(k, _)| k.clone().try_into().unwrap())
            .collect();
        let mut state = p.state.clone();
        let mut ops: Vec<Operation> = keys.iter().map(|k| Operation::Update(*k, vec![0; 8])).collect();
        ops.push(Operation::Update(keys[0], vec![0; 8]));
        let proof = state.prove(&ops).unwrap().proof;
        let mut repeated = payout.clone();
        let mut ps = pairs(&repeated);
        ps.push(ps[0].clone());
        set_pairs(&mut repeated, ps);
        repeated.inputs[1].extension[1].1 = Constant::Bytes(proof).to_bytes();
        let owed = repeated.outputs[1].value;
        repeated.outputs[0].value -= owed;
        let cr = change(&repeated);
        repeated.outputs[cr].value += owed;
        assert_weakness(
            set,
            &repeated,
            |w| matches!(w, Weakness::RepeatedKey { .. }),
            "miner 5: uniqueKey",
        );

        // a balance still owed deleted
        let mut state = p.state.clone();
        let gone = [keys[0]];
        let lookup = state.prove_lookups(&gone).unwrap().proof;
        let removal = state.prove(&[Operation::Remove(keys[0])]).unwrap().proof;
        let mut delete = payout.clone();
        delete.inputs[1].spent.ergo_tree = p.contracts.command(Command::Delete).to_vec();
        delete.inputs[1].extension = vec![
            (0, Constant::BytesColl(vec![keys[0].to_vec()]).to_bytes()),
            (1, Constant::Bytes(lookup).to_bytes()),
            (2, Constant::Bytes(removal).to_bytes()),
        ];
        let mut next = Candidate {
            ..delete.outputs[0].clone()
        };
        next.value = delete.inputs[0].spent.value;
        let tree = Constant::parse(&next.registers[0]).unwrap();
        let mut tree = *tree.as_avl_tree().unwrap();
        tree.digest = state.digest();
        next.registers[0] = Constant::AvlTree(tree).to_bytes();
        let fee = delete.outputs[c - 1].clone();
        let rest: u64 = delete.inputs.iter().map(|i| i.spent.value).sum::<u64>() - next.value - fee.value;
        let mut change_box = delete.outputs[c].clone();
        change_box.value = rest;
        delete.outputs = vec![next, fee, change_box];
        assert_refused_by_all(&delete, "miner 0: wasZero");
    }
}

#[test]
fn a_deployed_pool_moves_to_the_hardened_set_in_one_command_and_goes_on_there() {
    let mut p = Pool::new(ContractSet::Deployed);
    let keys = p.miners(6);
    let credits: Vec<(Key, i64)> = keys.iter().map(|k| (*k, 30_000_000)).collect();
    p.round(&credits, i64::MAX);
    let hardened = PoolContracts::new(ContractSet::Hardened, p.contracts.pool_nft, &p.operator[3..]).unwrap();
    // a deployed Update whose next state box is the hardened state of the same NFT and operator
    let batch = Batch::Update(credits.clone());
    let proved = prove_command(&mut p.state, &batch).unwrap();
    let command_box = a_box(180_000_000 + FEE, p.contracts.command(Command::Update).to_vec(), 9_999);
    let funding = Funding {
        inputs: vec![],
        change_tree: p.operator.clone(),
        fee: FEE,
    };
    let (tx, r) = evaluated::command(
        &proved,
        &p.state_box,
        &command_box,
        Some(&hardened.state),
        &|_| None,
        &funding,
        &context(),
    )
    .unwrap();
    assert!(r.accepted);
    assert!(matches!(
        r.weaknesses.as_slice(),
        [Weakness::NextStateScriptChanged { to_hardened: true, .. }]
    ));
    assert!(!refused(&tx));
    // from there on the pool runs the hardened commands
    p.state_box = tx.transaction().output_boxes()[0].clone();
    p.contracts = hardened;
    let txs = p.round(&credits, 80_000_000);
    assert!(txs.iter().all(|t| report(t).contract.set == ContractSet::Hardened));
    assert!(txs.iter().any(|t| report(t).contract.command == Command::Payout));
}

/// sigma-rust's AVL verifier (ergo_avltree_rust 0.1.1) panics on some proofs of no operation;
/// `evaluate` turns such a panic into an error naming it, so that a command of no keys gets a
/// verdict — ours, and sigma-rust's or the reason it has none — and never takes a process down.
#[test]
fn a_command_of_no_keys_gets_a_verdict_never_a_panic() {
    let mut verdicts = 0;
    for set in [ContractSet::Deployed, ContractSet::Hardened] {
        let mut p = Pool::new(set);
        let all = p.miners(12);
        let credits: Vec<(Key, i64)> = all.iter().map(|k| (*k, 20_000_000)).collect();
        p.round(&credits, 60_000_000);
        for batch in [
            Batch::Insert(vec![]),
            Batch::Update(vec![]),
            Batch::Payout(vec![]),
            Batch::Delete(vec![]),
        ] {
            let mut state = p.state.clone();
            let proved = prove_command(&mut state, &batch).unwrap();
            p.seed += 1;
            let command_box = a_box(FEE + 2_000_000, p.contracts.command(batch.command()).to_vec(), p.seed);
            let funding = Funding {
                inputs: vec![],
                change_tree: p.operator.clone(),
                fee: FEE,
            };
            let tx = command::command(&proved, &p.state_box, &command_box, None, &|_| None, &funding, 471_100).unwrap();
            let ours = report(&tx).accepted;
            match evaluate(&tx, &context()) {
                Ok(v) => assert_eq!(!v.contains(&Reduced::False), ours, "{set:?} {:?}", batch.command()),
                Err(e) => eprintln!("{set:?} {:?} of no keys: ours {ours}, sigma-rust: {e}", batch.command()),
            }
            verdicts += 1;
        }
    }
    assert_eq!(verdicts, 8, "every command of no keys, on both sets, got a verdict");
}
