//! Writes the payout conformance cases of the devnet's demo pool as JSON on stdout, after
//! checking each with sigma-rust and with our own clause check:
//! `cargo run --release --features interpreter --example conformance -- [--seed 2239]`.
//! `tests/js/conformance.test.mjs` then runs every case in sigmastate-js (Fleet's mock chain),
//! signing the operator's fee inputs with the devnet's (deterministic, devnet-only) key.
//!
//! Cases: every payout transaction of the demo pool as it was made (accepted), the next pending
//! payout of its last epoch (accepted), and, on an epoch of each contract (the seed's draft,
//! the hardened pair), the tamperings — a payment one nanoErg short, a payment to another
//! script, one proof byte flipped, a key paid twice, the next digest taken from another batch,
//! OUTPUTS(1) holding less than demanded — plus the draft's weaknesses (the rest of the reward
//! sent to another script; a payout that pays no one), which the draft accepts and the
//! hardened pair refuses. On the hardened epoch the operator closed, its deadline (R6): moved
//! by a payout (refused), the operator's close one block before it (refused) and at it
//! (the operator's signature decides), a payout at it (likewise). And a box of the hardened
//! script with the pool token and a deadline of 0, spent with the last epoch's reward box: the
//! reward box wants its own epoch's token beside it (refused).
//!
//! Design 2 (the Demo Balance Pool): every command it made (accepted); and on each contract set
//! (deployed, hardened) the tamperings of a Payout, an Update and a Delete — a payment one
//! nanoErg short, a payment to another script, a proof byte flipped, a balance still owed
//! deleted (refused by both) — and the deployed set's weaknesses — two extra outputs, the pool
//! NFT moved, the state moved to the operator's key, a negative delta, a key repeated on a
//! payout (accepted by the deployed set, our check naming the weakness; refused by the hardened
//! set, our check naming the clause).
//!
//! Each case is evaluated in the context of the block it was (or would be) in: `height` is
//! the newest header before it, so the contract's HEIGHT is `height + 1`.

use devnet::pool::EpochTruth;
use devnet::Devnet;
use serde_json::json;
use sharestate::ergo::interpreter::{evaluate, Reduced};
use sharestate::ergo::json::{UnsignedInput, UnsignedTransaction};
use sharestate::ergo::ErgoBox;
use sharestate::posted::epoch::{self, Payout};
use sharestate::posted::{self, check_payout, hardened, PayoutBatch, PayoutTransaction, ShareStateContract};
use sharestate::{hex, AvlTreeData, Constant, Key, Operation, ShareState, ShareValue};

/// What the contracts make of a spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Accept,
    Reject,
    /// The hardened contract's operator branch: valid with the operator's signature only.
    Operator,
}

impl Verdict {
    fn name(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Reject => "reject",
            Verdict::Operator => "operator",
        }
    }
}

struct Case {
    name: String,
    /// Design 1's `draft` or `hardened`; Design 2's `balance deployed` or `balance hardened`.
    contract: &'static str,
    expect: Verdict,
    height: u32,
    tx: UnsignedTransaction,
}

/// Our verdict on a spend of the share-state box in block `height + 1`, and the clauses that
/// fail: the hardened contract's branch first, then the payout's clauses.
fn our_check(tx: &UnsignedTransaction, height: u32) -> (Verdict, Vec<String>) {
    let state = &tx.inputs[0].spent;
    let contract = posted::share_state_contract(&state.ergo_tree);
    // the reward box's own script: the share state beside it must be its epoch's
    if !posted::contracts::is_reward_box_of(&contract, state, &tx.inputs[1].spent) {
        return (
            Verdict::Reject,
            vec!["INPUTS(1): not this share state's reward box".into()],
        );
    }
    if let ShareStateContract::Hardened { .. } = contract {
        if hardened::branch(state, height + 1) == Some(hardened::Branch::Operator) {
            return (Verdict::Operator, vec![]);
        }
    }
    match PayoutTransaction::from_unsigned(tx) {
        Ok(t) => {
            let report = check_payout(&t);
            let v = if report.accepted {
                Verdict::Accept
            } else {
                Verdict::Reject
            };
            (v, report.failing())
        }
        // no payout's context variables: the contract's getVar(..).get throws
        Err(e) => (Verdict::Reject, vec![format!("payout: {e}")]),
    }
}

/// sigma-rust's verdict on the share-state and reward inputs in block `height + 1`.
fn sigma_rust(d: &Devnet, tx: &UnsignedTransaction, height: u32) -> (Verdict, String) {
    let ctx = d.ledger.context_at(height).unwrap();
    // an evaluation error (a proof that does not parse, say) rejects as a false script does
    let v = evaluate(tx, &ctx);
    let verdict = match &v {
        // no verdict at all: never counted as a rejection
        Err(e @ sharestate::ergo::interpreter::InterpreterError::Panicked { .. }) => panic!("{e}"),
        Ok(r) if r[..2].iter().all(|r| *r == Reduced::True) => Verdict::Accept,
        // the operator's own key: what their funding box (input 2, a P2PK box) reduces to
        Ok(r) if matches!(r[0], Reduced::Proposition(_)) && r.get(2) == Some(&r[0]) && r[1] == Reduced::True => {
            Verdict::Operator
        }
        _ => Verdict::Reject,
    };
    (verdict, format!("{v:?}"))
}

/// The latest share-state box of epoch `e` and its reward box.
fn tip_and_reward(d: &Devnet, e: &EpochTruth) -> (ErgoBox, ErgoBox) {
    let get = |id| d.ledger.get_box(id).unwrap().ergo_box.clone();
    (get(e.state_boxes.last().unwrap()), get(&e.reward_box))
}

/// The newest header before the block `tx_id` is in.
fn before(d: &Devnet, tx_id: &sharestate::ergo::Id) -> u32 {
    d.ledger.get_tx(tx_id).unwrap().height - 1
}

/// A devnet transaction as it was before signing.
fn unsigned(d: &Devnet, tx_id: &sharestate::ergo::Id) -> UnsignedTransaction {
    let r = d.ledger.get_tx(tx_id).unwrap();
    UnsignedTransaction {
        inputs: r
            .tx
            .inputs
            .iter()
            .zip(&r.spent)
            .map(|(i, b)| UnsignedInput {
                spent: b.clone(),
                extension: i.extension.clone(),
            })
            .collect(),
        data_inputs: vec![],
        outputs: r.tx.outputs.clone(),
    }
}

/// A batch built by hand (the prover refuses to pay a paid key): marks `keys` paid as they are.
fn forced_batch(state: &mut ShareState, keys: &[Key], reward: i64, max_score: i32) -> PayoutBatch {
    let mut pairs = Vec::new();
    let mut ops = Vec::new();
    let mut payments = Vec::new();
    for k in keys {
        let v = ShareValue::from_bytes(state.get(k).unwrap()).unwrap();
        let new = ShareValue { paid: true, ..v }.to_bytes().to_vec();
        ops.push(Operation::Update(*k, new.clone()));
        pairs.push((k.to_vec(), new));
        let amount = sharestate::pool::payout_amount(v.score, reward, max_score).unwrap();
        payments.push(posted::Payment {
            key: *k,
            score: v.score,
            amount,
        });
    }
    let p = state.prove_without_applying(&ops).unwrap();
    PayoutBatch {
        state_updates: Constant::BytePairs(pairs),
        proof: Constant::Bytes(p.proof),
        digest_before: p.digest_before,
        digest_after: p.digest_after,
        payments,
    }
}

/// The tamperings of payout `first` (the first of epoch `e`, spending its start box), with
/// `second` the epoch's second payout.
fn tamperings(d: &Devnet, e: &EpochTruth, cases: &mut Vec<Case>) {
    let first = d.ledger.get_box(&e.state_boxes[1]).unwrap().ergo_box.transaction_id;
    let second = d.ledger.get_box(&e.state_boxes[2]).unwrap().ergo_box.transaction_id;
    let honest = unsigned(d, &first);
    let height = before(d, &first);
    let change = honest.outputs.len() - 1;
    let mut push = |what: &str, expect_accept: bool, tx: UnsignedTransaction| {
        cases.push(Case {
            name: format!("epoch {} ({}): {what}", e.number, e.contract),
            contract: e.contract,
            expect: if expect_accept {
                Verdict::Accept
            } else {
                Verdict::Reject
            },
            height,
            tx,
        });
    };
    let mut t = honest.clone();
    t.outputs[5].value -= 1;
    t.outputs[change].value += 1;
    push("a payment one nanoErg short", false, t);
    let mut t = honest.clone();
    t.outputs[2].ergo_tree = d.pool.operator_tree.clone();
    push("a payment to another script", false, t);
    let mut t = honest.clone();
    let n = t.inputs[0].extension[1].1.len();
    t.inputs[0].extension[1].1[n / 2] ^= 0x10;
    push("one proof byte flipped", false, t);
    // batch 2, spending batch 1's outputs, with a key batch 1 paid
    let mut state = d.service.state(&e.state_boxes[1]).unwrap().clone();
    let second_tx = unsigned(d, &second);
    let paid_again: Vec<Key> = {
        let var0 = |t: &UnsignedTransaction| Constant::parse(&t.inputs[0].extension[0].1).unwrap();
        let first_key: Key = var0(&honest).as_byte_pairs().unwrap()[0]
            .0
            .as_slice()
            .try_into()
            .unwrap();
        let next: Vec<Key> = var0(&second_tx).as_byte_pairs().unwrap()[..2]
            .iter()
            .map(|(k, _)| k.as_slice().try_into().unwrap())
            .collect();
        [vec![first_key], next].concat()
    };
    let twice = forced_batch(&mut state, &paid_again, e.reward as i64, e.max_score);
    let boxes: Vec<ErgoBox> = second_tx.inputs.iter().map(|i| i.spent.clone()).collect();
    let funding = epoch::Funding {
        inputs: boxes[2..].to_vec(),
        change_tree: d.pool.operator_tree.clone(),
        fee: devnet::pool::FEE,
    };
    let t = epoch::payout(
        &Payout {
            state_box: &boxes[0],
            reward_box: &boxes[1],
            batch: &twice,
            script_of: &|k| state.script(k).map(<[u8]>::to_vec),
        },
        &funding,
        honest.outputs[0].creation_height,
    )
    .unwrap();
    push("a key paid twice", false, t);
    let mut t = honest.clone();
    let next_digest = match Constant::parse(&second_tx.outputs[0].registers[0]).unwrap() {
        Constant::AvlTree(tree) => tree.digest,
        _ => unreachable!(),
    };
    let tree = *Constant::parse(&t.outputs[0].registers[0])
        .unwrap()
        .as_avl_tree()
        .unwrap();
    t.outputs[0].registers[0] = Constant::AvlTree(AvlTreeData {
        digest: next_digest,
        ..tree
    })
    .to_bytes();
    push("the next digest taken from another batch", false, t);
    let mut t = honest.clone();
    t.outputs[1].value -= 1;
    t.outputs[change].value += 1;
    push("OUTPUTS(1) holding one nanoErg less than demanded", false, t);
    let mut t = honest.clone();
    t.outputs[1].ergo_tree = d.pool.operator_tree.clone();
    push(
        "the rest of the reward sent to another script",
        e.contract == "draft",
        t,
    );
    // a payout that pays no one, spending what the first payout spent
    let mut start = d.service.state(&e.state_boxes[0]).unwrap().clone();
    let none = posted::prove_payout(&mut start, &[], e.reward as i64, e.max_score, false).unwrap();
    let first_boxes: Vec<ErgoBox> = honest.inputs.iter().map(|i| i.spent.clone()).collect();
    let t = epoch::payout(
        &Payout {
            state_box: &first_boxes[0],
            reward_box: &first_boxes[1],
            batch: &none,
            script_of: &|_| None,
        },
        &epoch::Funding {
            inputs: first_boxes[2..].to_vec(),
            change_tree: d.pool.operator_tree.clone(),
            fee: devnet::pool::FEE,
        },
        honest.outputs[0].creation_height,
    )
    .unwrap();
    push("a payout that pays no one", e.contract == "draft", t);
}

/// The deadline's cases on the hardened epoch `e`, which the operator closed at its deadline.
fn deadline(d: &Devnet, e: &EpochTruth, cases: &mut Vec<Case>) {
    let closed = e.closed.unwrap();
    let close = unsigned(d, &closed);
    let at = before(d, &closed);
    let first = d.ledger.get_box(&e.state_boxes[1]).unwrap().ergo_box.transaction_id;
    let honest = unsigned(d, &first);
    let mut push = |what: &str, expect: Verdict, height: u32, tx: UnsignedTransaction| {
        cases.push(Case {
            name: format!("epoch {} ({}): {what}", e.number, e.contract),
            contract: e.contract,
            expect,
            height,
            tx,
        });
    };
    let mut t = honest.clone();
    let r6 = Constant::parse(&t.outputs[0].registers[2]).unwrap().as_int().unwrap();
    t.outputs[0].registers[2] = Constant::Int(r6 - 1).to_bytes();
    push(
        "a payout that moves the deadline one block earlier",
        Verdict::Reject,
        before(d, &first),
        t,
    );
    push(
        "the operator's close one block before the deadline",
        Verdict::Reject,
        at - 1,
        close.clone(),
    );
    push("the operator's close at the deadline", Verdict::Operator, at, close);
    push(
        "a payout at the deadline (the operator's word decides)",
        Verdict::Operator,
        at,
        honest,
    );
}

/// A box the operator makes with the hardened script, the pool token and a deadline of 0 (the
/// operator's branch at once), spent with the last epoch's reward box, everything to the
/// operator: the attack a token shared by every epoch allowed.
fn foreign_state(d: &Devnet, cases: &mut Vec<Case>) {
    let last = d.pool.epochs.last().unwrap();
    let (tip, reward) = tip_and_reward(d, last);
    let mut fake = tip.clone();
    fake.transaction_id = sharestate::ergo::Id([0xfa; 32]);
    fake.index = 0;
    fake.registers[2] = Constant::Int(0).to_bytes();
    fake.tokens = vec![
        sharestate::ergo::Token {
            id: d.pool.token,
            amount: 1,
        },
        sharestate::ergo::Token {
            id: [0xfb; 32],
            amount: 1,
        },
    ];
    let ctx = d.ledger.context();
    let tx = epoch::close(&fake, Some(&reward), &d.pool.funding(&d.ledger).unwrap(), ctx.height()).unwrap();
    cases.push(Case {
        name: format!(
            "epoch {} ({}): another box of its script, with the pool token and a deadline of 0, takes its reward",
            last.number, last.contract
        ),
        contract: last.contract,
        expect: Verdict::Reject,
        height: ctx.height(),
        tx,
    });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .map_or(2239, |s| s.parse().expect("--seed <n>"));
    let d = Devnet::generate(seed).unwrap();
    let mut cases = Vec::new();

    // every payout the demo pool made (the opening transactions are not payouts), in its block
    for e in &d.pool.epochs {
        for (n, b) in e.state_boxes.iter().enumerate().skip(1) {
            let tx_id = d.ledger.get_box(b).unwrap().ergo_box.transaction_id;
            cases.push(Case {
                name: format!("epoch {} ({}): payout {n}", e.number, e.contract),
                contract: e.contract,
                expect: Verdict::Accept,
                height: before(&d, &tx_id),
                tx: unsigned(&d, &tx_id),
            });
        }
    }
    // the next pending payout of the last epoch, in the next block
    let ctx = d.ledger.context();
    let last = d.pool.epochs.last().unwrap();
    let mut state = d.pool.tip_state.clone();
    let batch = posted::prove_payout(&mut state, &last.pending[0], last.reward as i64, last.max_score, false).unwrap();
    let (tip, reward) = tip_and_reward(&d, last);
    let pending = epoch::payout(
        &Payout {
            state_box: &tip,
            reward_box: &reward,
            batch: &batch,
            script_of: &|k| state.script(k).map(<[u8]>::to_vec),
        },
        &d.pool.funding(&d.ledger).unwrap(),
        ctx.height(),
    )
    .unwrap();
    cases.push(Case {
        name: format!("epoch {} ({}): the next pending payout", last.number, last.contract),
        contract: last.contract,
        expect: Verdict::Accept,
        height: ctx.height(),
        tx: pending,
    });
    tamperings(&d, &d.pool.epochs[0], &mut cases);
    tamperings(&d, &d.pool.epochs[1], &mut cases);
    deadline(&d, &d.pool.epochs[devnet::pool::CLOSED_EPOCH], &mut cases);
    foreign_state(&d, &mut cases);
    balance::cases(&d, &mut cases);

    // sigma-rust and our check must agree with the expectation before anything is written
    let mut clauses = Vec::new();
    let mut weaknesses = Vec::new();
    for c in &cases {
        let design2 = c.contract.starts_with("balance");
        let (theirs, how) = if design2 {
            balance::sigma_rust(&d, &c.tx, c.height)
        } else {
            sigma_rust(&d, &c.tx, c.height)
        };
        assert_eq!(theirs, c.expect, "sigma-rust on {}: {how}", c.name);
        let (ours, failing) = if design2 {
            balance::our_check(&c.tx)
        } else {
            our_check(&c.tx, c.height)
        };
        // a tampering the deployed set accepts is a weakness our check names
        let used = if design2 { balance::weaknesses(&c.tx) } else { vec![] };
        if design2 && c.expect == Verdict::Accept && !c.name.contains(": command ") {
            assert!(!used.is_empty(), "{}: no weakness named", c.name);
        }
        weaknesses.push(used);
        assert_eq!(ours, c.expect, "our check on {}: {failing:?}", c.name);
        assert!(
            c.expect != Verdict::Reject || !failing.is_empty(),
            "{}: no clause named",
            c.name
        );
        clauses.push(failing);
    }
    let out = json!({
        "operatorSecret": hex::encode(&d.pool.operator.to_bytes()),
        "balanceOperatorSecret": hex::encode(&devnet::balance_pool::operator(seed).to_bytes()),
        "cases": cases.iter().zip(&clauses).zip(&weaknesses).map(|((c, failing), used)| json!({
            "name": c.name, "contract": c.contract, "expect": c.expect.name(), "height": c.height,
            "clauses": failing, "weaknesses": used, "tx": c.tx.to_eip12(),
        })).collect::<Vec<_>>(),
    });
    println!("{}", serde_json::to_string(&out).unwrap());
}

/// Design 2: every command of the devnet's Demo Balance Pool as it was made, and the tamperings
/// of a Payout, an Update and a Delete on each contract set — refused by both sets where the
/// deployed set checks, accepted by the deployed set (the weakness our check reports) and
/// refused by the hardened set where it does not.
mod balance {
    use super::{before, unsigned, Case, Verdict};
    use devnet::Devnet;
    use sharestate::ergo::interpreter::{evaluate, InterpreterError, Reduced};
    use sharestate::ergo::json::UnsignedTransaction;
    use sharestate::ergo::{Candidate, Id};
    use sharestate::persistent::{
        check_command, command_vars, prove_command, Batch, Command, CommandTransaction, CommandVars, ContractSet,
    };
    use sharestate::{Constant, Key, Operation, ShareState};

    /// sigma-rust's verdict: the state box asks the operator's signature, the command's script
    /// holds; anything false or failing to evaluate rejects.
    pub fn sigma_rust(d: &Devnet, tx: &UnsignedTransaction, height: u32) -> (Verdict, String) {
        let ctx = d.ledger.context_at(height).unwrap();
        let v = evaluate(tx, &ctx);
        let verdict = match &v {
            Ok(r)
                if matches!(r[0], Reduced::Proposition(_)) && r[1] == Reduced::True && !r.contains(&Reduced::False) =>
            {
                Verdict::Accept
            }
            Ok(_) | Err(InterpreterError::Evaluation { .. }) => Verdict::Reject,
            // a case sigma-rust cannot even read is a broken case, not a rejection
            Err(e) => panic!("not a transaction sigma-rust reads: {e}"),
        };
        (verdict, format!("{v:?}"))
    }

    /// Our clause check, and the clauses it finds failing.
    pub fn our_check(tx: &UnsignedTransaction) -> (Verdict, Vec<String>) {
        match CommandTransaction::from_unsigned(tx).map(|t| check_command(&t)) {
            Ok(Ok(r)) if r.accepted => (Verdict::Accept, vec![]),
            Ok(Ok(r)) => (Verdict::Reject, r.failing()),
            Ok(Err(e)) | Err(e) => (Verdict::Reject, vec![e.to_string()]),
        }
    }

    /// The deployed set's weaknesses our check finds the transaction using, by kind.
    pub fn weaknesses(tx: &UnsignedTransaction) -> Vec<String> {
        let Ok(Ok(r)) = CommandTransaction::from_unsigned(tx).map(|t| check_command(&t)) else {
            return vec![];
        };
        r.weaknesses
            .iter()
            .map(|w| serde_json::to_value(w).unwrap()["kind"].as_str().unwrap().to_string())
            .collect()
    }

    fn batch(vars: &CommandVars, command: Command) -> Batch {
        let key = |k: &Vec<u8>| -> Key { k.as_slice().try_into().unwrap() };
        match (vars, command) {
            (CommandVars::Keys { keys, .. }, _) => Batch::Delete(keys.iter().map(key).collect()),
            (CommandVars::Pairs { pairs, .. }, Command::Insert) => {
                Batch::Insert(pairs.iter().map(|p| key(&p.0)).collect())
            }
            (CommandVars::Pairs { pairs, .. }, Command::Payout) => {
                Batch::Payout(pairs.iter().map(|p| key(&p.0)).collect())
            }
            (CommandVars::Pairs { pairs, .. }, _) => Batch::Update(
                pairs
                    .iter()
                    .map(|p| (key(&p.0), i64::from_be_bytes(p.1.clone().try_into().unwrap())))
                    .collect(),
            ),
        }
    }

    /// Every command transaction of the pool, in order, with its command.
    fn commands(d: &Devnet) -> Vec<(Id, Command, ContractSet)> {
        d.balance.state_boxes[1..]
            .iter()
            .map(|b| {
                let tx_id = d.ledger.get_box(b).unwrap().ergo_box.transaction_id;
                let c =
                    sharestate::persistent::command_contract(&unsigned(d, &tx_id).inputs[1].spent.ergo_tree).unwrap();
                (tx_id, c.command, c.set)
            })
            .collect()
    }

    /// The balance state just before `tx_id`, rebuilt from the pool's first state by replaying
    /// every command before it.
    fn state_before(d: &Devnet, tx_id: &Id) -> ShareState {
        let mut state = ShareState::new();
        for (id, command, _) in commands(d) {
            if id == *tx_id {
                return state;
            }
            let vars = command_vars(&unsigned(d, &id).inputs[1].extension).unwrap();
            prove_command(&mut state, &batch(&vars, command)).unwrap();
        }
        panic!("not a command of the pool")
    }

    fn set_var(tx: &mut UnsignedTransaction, id: u8, c: Constant) {
        let e = &mut tx.inputs[1].extension;
        e.iter_mut().find(|(k, _)| *k == id).unwrap().1 = c.to_bytes();
    }

    pub fn cases(d: &Devnet, cases: &mut Vec<Case>) {
        let all = commands(d);
        for (n, (tx_id, command, set)) in all.iter().enumerate() {
            cases.push(Case {
                name: format!("balance pool ({}): command {} ({})", set.name(), n + 1, command.name()),
                contract: name(*set),
                expect: Verdict::Accept,
                height: before(d, tx_id),
                tx: unsigned(d, tx_id),
            });
        }
        for set in [ContractSet::Deployed, ContractSet::Hardened] {
            // the pool's last commands of each kind on this set (not the one that moved the state)
            let pick = |c: Command| {
                all.iter()
                    .rev()
                    .find(|(id, command, s)| {
                        *command == c
                            && *s == set
                            && unsigned(d, id).outputs[0].ergo_tree == unsigned(d, id).inputs[0].spent.ergo_tree
                    })
                    .unwrap()
                    .0
            };
            tamperings(
                d,
                set,
                pick(Command::Payout),
                pick(Command::Update),
                pick(Command::Delete),
                cases,
            );
        }
    }

    fn name(set: ContractSet) -> &'static str {
        match set {
            ContractSet::Deployed => "balance deployed",
            ContractSet::Hardened => "balance hardened",
        }
    }

    fn tamperings(d: &Devnet, set: ContractSet, payout: Id, update: Id, delete: Id, cases: &mut Vec<Case>) {
        let deployed = set == ContractSet::Deployed;
        let mut push = |what: &str, accept: bool, tx_id: &Id, tx: UnsignedTransaction| {
            cases.push(Case {
                name: format!("balance pool ({}): {what}", set.name()),
                contract: name(set),
                expect: if accept { Verdict::Accept } else { Verdict::Reject },
                height: before(d, tx_id),
                tx,
            });
        };
        let honest = unsigned(d, &payout);
        let fee = honest.outputs.len() - 1;
        let operator_tree = {
            let k = devnet::balance_pool::operator(d.pool.seed);
            use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
            k.get_address_from_public_image()
                .script()
                .unwrap()
                .sigma_serialize_bytes()
                .unwrap()
        };

        let mut t = honest.clone();
        t.outputs[1].value -= 1;
        t.outputs[fee].value += 1;
        push("a payment one nanoErg short", false, &payout, t);
        let mut t = honest.clone();
        t.outputs[1].ergo_tree = operator_tree.clone();
        push("a payment to another script", false, &payout, t);
        let mut t = honest.clone();
        let proof = &mut t.inputs[1].extension.iter_mut().find(|(k, _)| *k == 1).unwrap().1;
        let n = proof.len();
        proof[n / 2] ^= 0x10;
        push("one proof byte flipped", false, &payout, t);

        // what the deployed set lets through: the fee split to make room (out of no one's due)
        let carve = |t: &mut UnsignedTransaction, value: u64| {
            let fee = t.outputs.len() - 1;
            t.outputs[fee].value -= value;
            let h = t.outputs[fee].creation_height;
            t.outputs.insert(
                fee,
                Candidate {
                    value,
                    ergo_tree: operator_tree.clone(),
                    creation_height: h,
                    tokens: vec![],
                    registers: vec![],
                },
            );
        };
        let mut t = honest.clone();
        carve(&mut t, 100_000);
        carve(&mut t, 100_000);
        push("two extra outputs on a payout", deployed, &payout, t);
        let mut t = honest.clone();
        carve(&mut t, 100_000);
        let token = t.outputs[0].tokens.remove(0);
        t.outputs[fee].tokens.push(token); // the carved output, before the fee
        push("the pool NFT moved out of the state", deployed, &payout, t);
        let mut t = honest.clone();
        t.outputs[0].ergo_tree = operator_tree.clone();
        push("the state moved to the operator's key", deployed, &payout, t);

        // a negative delta: the miner credited all the same, the state box drained twice over
        let honest_update = unsigned(d, &update);
        let mut t = honest_update.clone();
        let vars = command_vars(&t.inputs[1].extension).unwrap();
        let CommandVars::Pairs { mut pairs, .. } = vars else {
            unreachable!()
        };
        let delta = i64::from_be_bytes(pairs[0].1.clone().try_into().unwrap());
        pairs[0].1 = (-delta).to_be_bytes().to_vec();
        set_var(&mut t, 0, Constant::BytePairs(pairs));
        t.outputs[0].value -= 2 * delta as u64;
        let last = t.outputs.len() - 1;
        t.outputs[last].value += 2 * delta as u64;
        push("a negative delta", deployed, &update, t);

        // a repeated key on the payout: its balance leaves the state twice, is paid once
        let mut state = state_before(d, &payout);
        let vars = command_vars(&honest.inputs[1].extension).unwrap();
        let CommandVars::Pairs { mut pairs, .. } = vars else {
            unreachable!()
        };
        let first: Key = pairs[0].0.as_slice().try_into().unwrap();
        let owed = honest.outputs[1].value;
        let mut ops: Vec<Operation> = pairs
            .iter()
            .map(|(k, v)| Operation::Update(k.as_slice().try_into().unwrap(), v.clone()))
            .collect();
        ops.push(Operation::Update(first, vec![0; 8]));
        let proof = state.prove_without_applying(&ops).unwrap().proof;
        pairs.push(pairs[0].clone());
        let mut t = honest.clone();
        set_var(&mut t, 0, Constant::BytePairs(pairs));
        set_var(&mut t, 1, Constant::Bytes(proof));
        // what left the state box a second time goes to the operator
        t.outputs[0].value -= owed;
        let h = t.outputs[0].creation_height;
        t.outputs.insert(
            t.outputs.len() - 1,
            Candidate {
                value: owed,
                ergo_tree: operator_tree.clone(),
                creation_height: h,
                tokens: vec![],
                registers: vec![],
            },
        );
        push("a key repeated on a payout", deployed, &payout, t);

        // a Delete of a key still owed
        let honest_delete = unsigned(d, &delete);
        let mut state = state_before(d, &delete);
        let owed_key = state
            .entries()
            .into_iter()
            .find(|(_, v)| v.iter().any(|b| *b != 0))
            .map(|(k, _)| k)
            .unwrap();
        let lookup = state.prove_lookups(&[owed_key]).unwrap().proof;
        let removal = state.prove_without_applying(&[Operation::Remove(owed_key)]).unwrap();
        let mut t = honest_delete.clone();
        set_var(&mut t, 0, Constant::BytesColl(vec![owed_key.to_vec()]));
        set_var(&mut t, 1, Constant::Bytes(lookup));
        set_var(&mut t, 2, Constant::Bytes(removal.proof));
        let mut tree = *Constant::parse(&t.outputs[0].registers[0])
            .unwrap()
            .as_avl_tree()
            .unwrap();
        tree.digest = removal.digest_after;
        t.outputs[0].registers[0] = Constant::AvlTree(tree).to_bytes();
        push("a balance still owed deleted", false, &delete, t);
    }
}
