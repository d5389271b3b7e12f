//! Design 2's pool side and clause check on transactions built by [`super::command`]: a round
//! planned as the deployed code plans it, each command accepted by our check with what it did
//! per miner, and what is not a known pool named.

use super::*;
use crate::avl::{Key, ShareState};
use crate::encoding::hash::blake2b256;
use crate::ergo::{ErgoBox, Funding, Id, UnsignedTransaction};
use crate::pool::walk::Walking;
use crate::pool::Clause;

const FEE: u64 = 1_100_000;

fn script(i: u32) -> Vec<u8> {
    let mut s = vec![0x00, 0x08, 0xcd, 0x02];
    s.extend_from_slice(&blake2b256(&i.to_be_bytes()));
    s
}

fn a_box(value: u64, ergo_tree: Vec<u8>, seed: u8) -> ErgoBox {
    ErgoBox {
        value,
        ergo_tree,
        creation_height: 100,
        tokens: vec![],
        registers: vec![],
        transaction_id: Id([seed; 32]),
        index: 0,
    }
}

struct Pool {
    state: ShareState,
    state_box: ErgoBox,
    contracts: PoolContracts,
    seed: u8,
    /// Every transaction, as a node would answer for it.
    ledger: crate::pool::walk::testing::Ledger,
    height: u32,
}

fn pool(set: ContractSet) -> Pool {
    let operator = script(0);
    let first = a_box(1_000_000_000, operator.clone(), 1);
    let contracts = PoolContracts::new(set, first.id().0, &operator[3..]).unwrap();
    let mut state = ShareState::new();
    let funding = Funding {
        inputs: vec![first],
        change_tree: operator,
        fee: FEE,
    };
    let tx = command::genesis(&contracts, &mut state, 10_000_000, &funding, 100).unwrap();
    let mut ledger = crate::pool::walk::testing::Ledger::default();
    ledger.apply(&tx, 100);
    Pool {
        state,
        state_box: tx.transaction().output_boxes()[0].clone(),
        contracts,
        seed: 10,
        ledger,
        height: 100,
    }
}

fn key(i: u32) -> Key {
    blake2b256(&script(i))
}

impl Pool {
    fn run(&mut self, batch: &Batch) -> (UnsignedTransaction, CommandReport) {
        let proved = prove_command(&mut self.state, batch).unwrap();
        self.seed += 1;
        let value = 2 * FEE + u64::try_from(proved.value_change().max(0)).unwrap();
        let funding = Funding {
            inputs: vec![],
            change_tree: script(0),
            fee: FEE,
        };
        // the command box, made on the ledger: an Update's from a holding box of the round's
        // reward, the others' from the operator's box
        let wallet = Funding {
            inputs: vec![a_box(1_000_000_000_000, script(0), self.seed)],
            ..funding.clone()
        };
        let tree = self.contracts.command(batch.command()).to_vec();
        let command_box = if batch.command() == Command::Update {
            let made = command::boxes(&[(&self.contracts.holding, value)], &wallet, 100).unwrap();
            self.ledger.apply(&made, self.height);
            let holding = made.transaction().output_boxes()[0].clone();
            let spent = Funding {
                inputs: vec![a_box(1_000_000_000, script(0), self.seed.wrapping_add(100))],
                ..funding.clone()
            };
            let d = command::distribute(&self.contracts, &[holding], &[value], &spent, 100).unwrap();
            self.ledger.apply(&d, self.height);
            d.transaction().output_boxes()[0].clone()
        } else {
            let made = command::boxes(&[(&tree, value)], &wallet, 100).unwrap();
            self.ledger.apply(&made, self.height);
            made.transaction().output_boxes()[0].clone()
        };
        let scripts: std::collections::HashMap<Key, Vec<u8>> = (1..50).map(|i| (key(i), script(i))).collect();
        let tx = command::command(
            &proved,
            &self.state_box,
            &command_box,
            None,
            &|k| scripts.get(k).cloned(),
            &funding,
            101,
        )
        .unwrap();
        self.state_box = tx.transaction().output_boxes()[0].clone();
        self.height += 1;
        self.ledger.apply(&tx, self.height);
        let report = check_command(&CommandTransaction::from_unsigned(&tx).unwrap()).unwrap();
        (tx, report)
    }
}

#[crate::test]
fn scalas_signed_order_puts_high_first_bytes_first() {
    let k = |b: u8| {
        let mut k = [0u8; 32];
        k[0] = b;
        k[31] = 1;
        k
    };
    let mut keys = [k(0x00), k(0x7f), k(0x80), k(0xff), k(0x01)];
    keys.sort_by(prove::scala_order);
    assert_eq!(
        keys.iter().map(|k| k[0]).collect::<Vec<_>>(),
        vec![0x80, 0xff, 0x00, 0x01, 0x7f]
    );
}

#[crate::test]
fn a_round_inserts_new_miners_credits_everyone_pays_those_over_their_minimum_and_deletes_the_gone() {
    let state = balance_state([(key(1), 0), (key(2), 500), (key(3), 0), (key(4), 90)]).unwrap();
    // miner 1 gone at zero (deleted), 3 gone at zero but credited 0 (kept), 4 gone owed 90
    // (kept); 2 credited past the minimum of 1000; 5..=9 new
    let mut credits = vec![(key(2), 600), (key(3), 0)];
    credits.extend((5..10).map(|i| (key(i), 100 * i64::from(i))));
    let plan = plan_round(&state, &credits, &|k| if *k == key(9) { 900 } else { 1000 }, 2).unwrap();
    let sorted = |mut v: Vec<Key>| {
        v.sort_by(prove::scala_order);
        v
    };
    let inserted: Vec<Key> = plan
        .batches
        .iter()
        .filter_map(|b| match b {
            Batch::Insert(k) => Some(k.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(inserted, sorted((5..10).map(key).collect()));
    assert!(plan.batches.iter().all(|b| b.len() <= 2 && !b.is_empty()));
    let commands: Vec<Command> = plan.batches.iter().map(Batch::command).collect();
    let mut order = commands.clone();
    order.dedup();
    assert_eq!(
        order,
        vec![Command::Insert, Command::Update, Command::Payout, Command::Delete]
    );
    let payouts: Vec<Key> = plan
        .batches
        .iter()
        .filter_map(|b| match b {
            Batch::Payout(k) => Some(k.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(payouts, sorted(vec![key(2), key(9)]));
    assert_eq!(plan.batches.last(), Some(&Batch::Delete(vec![key(1)])));
    // a key credited twice, or a negative credit, is refused
    assert!(matches!(
        plan_round(&state, &[(key(2), 1), (key(2), 1)], &|_| 1, 150),
        Err(PersistentError::RepeatedKey { .. })
    ));
    assert!(matches!(
        plan_round(&state, &[(key(2), -1)], &|_| 1, 150),
        Err(PersistentError::Balance { .. })
    ));
}

#[crate::test]
fn each_command_is_accepted_with_what_it_did_per_miner() {
    for set in [ContractSet::Deployed, ContractSet::Hardened] {
        let mut p = pool(set);
        let keys: Vec<Key> = (1..6).map(key).collect();
        let (_, r) = p.run(&Batch::Insert(keys.clone()));
        assert!(r.accepted && r.weaknesses.is_empty(), "{:?}", r.failing());
        assert_eq!((r.contract.command, r.contract.set), (Command::Insert, set));
        assert_eq!(r.miners[0].written.as_deref(), Some(&[0u8; 8][..]));

        let credits: Vec<(Key, i64)> = keys.iter().zip(1..).map(|(k, i)| (*k, i * 1_000_000)).collect();
        let (tx, r) = p.run(&Batch::Update(credits.clone()));
        assert!(r.accepted, "{:?}", r.failing());
        assert_eq!(r.miners[2].delta, Some(3_000_000));
        assert_eq!(r.miners[2].written, Some(3_000_000i64.to_be_bytes().to_vec()));
        assert_eq!(tx.outputs[0].value, tx.inputs[0].spent.value + 15_000_000);

        let (tx, r) = p.run(&Batch::Payout(vec![keys[1], keys[3]]));
        assert!(r.accepted, "{:?}", r.failing());
        assert_eq!((r.miners[1].output_index, r.miners[1].paid), (Some(2), Some(4_000_000)));
        assert_eq!(r.miners[1].old, Some(4_000_000i64.to_be_bytes().to_vec()));
        assert_eq!(tx.outputs[2].ergo_tree, script(4));

        let (_, r) = p.run(&Batch::Delete(vec![keys[1]]));
        assert!(r.accepted, "{:?}", r.failing());
        assert_eq!(r.next_digest, Some(p.state.digest()));
        // deleting a balance still owed is refused by the prover
        assert!(matches!(
            prove_command(&mut p.state.clone(), &Batch::Delete(vec![keys[0]])),
            Err(PersistentError::Balance { .. })
        ));
    }
}

#[crate::test]
fn a_script_that_is_no_known_command_or_state_is_named() {
    let mut p = pool(ContractSet::Deployed);
    let (tx, _) = p.run(&Batch::Insert(vec![key(1)]));
    let mut t = CommandTransaction::from_unsigned(&tx).unwrap();
    t.command_script = script(7);
    assert!(matches!(check_command(&t), Err(PersistentError::UnknownCommand { .. })));
    let mut t = CommandTransaction::from_unsigned(&tx).unwrap();
    t.state.script = script(7);
    let r = check_command(&t).unwrap();
    assert!(!r.accepted);
    assert!(matches!(r.state[0].clause, Clause::Fails(_)));
    // a hardened command under a deployed state: not one of the state's four commands
    let hardened = PoolContracts::new(ContractSet::Hardened, p.contracts.pool_nft, &script(0)[3..]).unwrap();
    let mut t = CommandTransaction::from_unsigned(&tx).unwrap();
    t.command_script = hardened.command(Command::Insert).to_vec();
    assert_eq!(check_command(&t).unwrap().failing(), vec!["knownCommand".to_string()]);
}

#[crate::test]
fn a_walk_gives_each_miners_history_and_balance_now_as_the_commands_proved_them() {
    use crate::ergo::json::Flavor;
    use crate::pool::walk::WalkError;
    let mut p = pool(ContractSet::Hardened);
    let start = p.state_box.id();
    let keys: Vec<Key> = (1..8).map(key).collect();
    p.run(&Batch::Insert(keys.clone()));
    for round in 1..=3i64 {
        let credits: Vec<(Key, i64)> = keys.iter().zip(1..).map(|(k, i)| (*k, i * round * 1_000_000)).collect();
        p.run(&Batch::Update(credits));
    }
    p.run(&Batch::Payout(vec![keys[2], keys[5]]));
    p.run(&Batch::Delete(vec![keys[2]]));
    let walk_with = |flavor| {
        let mut w = BalanceWalker::new(start);
        w.drive(|need| p.ledger.answer(need, flavor))?;
        w.into_walk().ok_or(WalkError::NotStarted)
    };
    let walk = walk_with(Flavor::Node).unwrap();
    assert_eq!(walk.steps.len(), 6);
    // each Update's credits came from a holding box of the pool, by a transaction proven
    for st in &walk.steps {
        match (st.report.contract.command, &st.credit_source) {
            (Command::Update, Some(Ok(src))) => {
                assert!(src.tx_id_verified);
                assert_eq!(src.holding.len(), 1);
            }
            (Command::Update, other) => panic!("{other:?}"),
            (_, src) => assert!(src.is_none()),
        }
    }
    // without following them, one request less per Update
    let mut w = BalanceWalker::new(start).without_credit_sources();
    let mut asked = 0;
    w.drive(|need| {
        asked += 1;
        p.ledger.answer(need, Flavor::Node)
    })
    .unwrap();
    assert!(w.walk().unwrap().steps.iter().all(|s| s.credit_source.is_none()));
    assert_eq!(asked, 1 + 2 * 6);
    assert!(walk.end.is_none());
    assert_eq!(walk.tip.id, p.state_box.id());
    assert_eq!(walk.tip_digest(), Some(p.state.digest()));
    // miner 3: inserted, credited 3, 6 and 9 (millions), paid 18, deleted
    let h = walk.history(&keys[2]);
    let seen: Vec<(Command, Option<i64>, Option<i64>, i64)> =
        h.iter().map(|e| (e.command, e.before, e.after, e.amount)).collect();
    assert_eq!(
        seen,
        vec![
            (Command::Insert, None, Some(0), 0),
            (Command::Update, Some(0), Some(3_000_000), 3_000_000),
            (Command::Update, Some(3_000_000), Some(9_000_000), 6_000_000),
            (Command::Update, Some(9_000_000), Some(18_000_000), 9_000_000),
            (Command::Payout, Some(18_000_000), Some(0), 18_000_000),
            (Command::Delete, Some(0), None, 0),
        ]
    );
    assert_eq!(walk.owed(&keys[2]), Some(None), "deleted");
    assert_eq!(walk.owed(&keys[5]), Some(Some(0)), "paid");
    assert_eq!(walk.owed(&keys[0]), Some(Some(6_000_000)));
    assert_eq!(walk.owed(&key(40)), None, "never in the tree");
    // the explorer API gives no context extension: a command cannot be replayed from it
    assert!(matches!(
        walk_with(Flavor::Explorer),
        Err(WalkError::NoExtension { .. })
    ));
}

#[crate::test]
fn a_key_credited_twice_in_one_deployed_update_shows_what_the_tree_kept_and_no_balance_vouched_for() {
    use crate::avl::Operation;
    use crate::ergo::json::Flavor;
    let mut p = pool(ContractSet::Deployed);
    let start = p.state_box.id();
    let k = key(3);
    p.run(&Batch::Insert(vec![k]));
    // credits of 5 and then 7 for the same key: each entry reads the old balance 0, the tree
    // keeps the last (7), the box takes both (12): accepted by the deployed set
    let digest_before = p.state.digest();
    let proof = p
        .state
        .prove(&[
            Operation::Update(k, 5i64.to_be_bytes().to_vec()),
            Operation::Update(k, 7i64.to_be_bytes().to_vec()),
        ])
        .unwrap()
        .proof;
    let proved = ProvedCommand {
        command: Command::Update,
        vars: CommandVars::Pairs {
            pairs: vec![
                (k.to_vec(), 5i64.to_be_bytes().to_vec()),
                (k.to_vec(), 7i64.to_be_bytes().to_vec()),
            ],
            proof,
        },
        digest_before,
        digest_after: p.state.digest(),
        entries: vec![
            prove::Entry {
                key: k,
                before: Some(0),
                after: Some(5),
            },
            prove::Entry {
                key: k,
                before: Some(0),
                after: Some(7),
            },
        ],
    };
    let command_box = a_box(2 * FEE + 12, p.contracts.command(Command::Update).to_vec(), 99);
    let funding = Funding {
        inputs: vec![],
        change_tree: script(0),
        fee: FEE,
    };
    let tx = command::command(&proved, &p.state_box, &command_box, None, &|_| None, &funding, 101).unwrap();
    let r = check_command(&CommandTransaction::from_unsigned(&tx).unwrap()).unwrap();
    assert!(r.accepted && matches!(r.weaknesses.as_slice(), [Weakness::RepeatedKey { .. }]));
    // said to a miner by what it does: their key, both entries, the balance moved twice
    let said = r.weaknesses[0].to_string();
    assert!(
        said.contains(&crate::hex::encode(&k[..6])) && said.contains("twice"),
        "{said}"
    );
    p.height += 1;
    p.ledger.apply(&tx, p.height);
    let mut w = BalanceWalker::new(start).without_credit_sources();
    w.drive(|need| p.ledger.answer(need, Flavor::Node)).unwrap();
    let walk = w.into_walk().unwrap();
    let last = walk.history(&k).pop().unwrap();
    assert_eq!((last.before, last.after, last.amount), (Some(0), Some(7), 7));
    // the history shows what the tree kept; the balance owed is not vouched for: the command
    // used a weakness (the box took 12 for a credit of 7)
    assert_eq!(walk.owed(&k), None);
    assert_eq!(p.state.get(&k), Some(&7i64.to_be_bytes()[..]));
}

#[crate::test]
fn a_state_box_listing_a_command_not_its_pools_is_never_accepted() {
    use crate::pool::contracts::placeholders::{COMMANDHASHES, OPERATOR};
    use crate::pool::contracts::{instantiate, operator_constant, trees};
    let mut p = pool(ContractSet::Hardened);
    let (tx, r) = p.run(&Batch::Insert(vec![key(1)]));
    assert!(r.accepted);
    // the same state script but for one hash in its list: the operator's own key's
    let mut hashes = vec![0x1a, 0x04];
    for (i, h) in p.contracts.command_hashes().iter().enumerate() {
        hashes.push(0x20);
        hashes.extend(if i == 3 { blake2b256(&script(0)) } else { *h });
    }
    let backdoor = instantiate(
        &trees::PERSISTENT_HARDENED_BALANCE_STATE,
        &[
            (&COMMANDHASHES, &hashes),
            (&OPERATOR, &operator_constant(&script(0)[3..]).unwrap()),
        ],
    )
    .unwrap();
    assert_eq!(state_contract(&backdoor).map(|s| s.set), Some(ContractSet::Hardened));
    let mut t = CommandTransaction::from_unsigned(&tx).unwrap();
    t.state.script = backdoor.clone();
    t.outputs[0].script = backdoor;
    let r = check_command(&t).unwrap();
    assert!(!r.accepted);
    assert_eq!(r.failing(), vec!["ownCommands".to_string()]);
    // a command tree whose NFT constant is not a 32-byte Coll[Byte] is no known command
    let mut odd = p.contracts.command(Command::Update).to_vec();
    let at = odd.windows(2).position(|w| w == [0x0e, 0x20]).unwrap();
    odd[at + 1] = 0x1f;
    assert_eq!(command_contract(&odd), None);
    // nor a state whose operator constant is no compressed point
    let mut bad_key = p.contracts.state.clone();
    let k = bad_key.windows(3).position(|w| w[0] == 0x08 && w[1] == 0xcd).unwrap();
    bad_key[k + 2] = 0x04;
    assert_eq!(state_contract(&bad_key), None);
}

#[crate::test]
fn a_state_moved_elsewhere_and_swept_leaves_no_balance_known() {
    use crate::ergo::json::Flavor;
    let mut p = pool(ContractSet::Deployed);
    let start = p.state_box.id();
    let k = key(2);
    p.run(&Batch::Insert(vec![k]));
    p.run(&Batch::Update(vec![(k, 4_000_000)]));
    // a deployed command whose next state box is the operator's key (accepted: a weakness)
    let proved = prove_command(&mut p.state, &Batch::Update(vec![(k, 1_000_000)])).unwrap();
    let command_box = a_box(2 * FEE + 1_000_000, p.contracts.command(Command::Update).to_vec(), 77);
    let funding = Funding {
        inputs: vec![],
        change_tree: script(0),
        fee: FEE,
    };
    let moved = command::command(
        &proved,
        &p.state_box,
        &command_box,
        Some(&script(0)),
        &|_| None,
        &funding,
        101,
    )
    .unwrap();
    let r = check_command(&CommandTransaction::from_unsigned(&moved).unwrap()).unwrap();
    assert!(
        r.accepted
            && matches!(
                r.weaknesses.as_slice(),
                [Weakness::NextStateScriptChanged { to_hardened: false, .. }]
            )
    );
    assert!(r.require_sound(false).is_err(), "a builder never hands it out");
    assert!(r.weaknesses[0].to_string().contains("may spend every balance"));
    p.height += 1;
    p.ledger.apply(&moved, p.height);
    let walk_now = |p: &Pool| {
        let mut w = BalanceWalker::new(start).without_credit_sources();
        w.drive(|need| p.ledger.answer(need, Flavor::Node)).unwrap();
        w.into_walk().unwrap()
    };
    let walk = walk_now(&p);
    assert_eq!(walk.history(&k).last().and_then(|h| h.after), Some(5_000_000));
    assert_eq!(walk.owed(&k), None, "the tree sits in a box its operator may spend");
    // then swept in a transaction of one input: the walk ends there
    let moved_box = moved.transaction().output_boxes()[0].clone();
    let sweep = crate::ergo::UnsignedTransaction {
        inputs: vec![crate::ergo::UnsignedInput {
            spent: moved_box.clone(),
            extension: vec![],
        }],
        data_inputs: vec![],
        outputs: vec![crate::ergo::Candidate {
            value: moved_box.value,
            ergo_tree: script(0),
            creation_height: 102,
            tokens: moved_box.tokens.clone(),
            registers: vec![],
        }],
    };
    p.height += 1;
    p.ledger.apply(&sweep, p.height);
    let walk = walk_now(&p);
    assert!(walk.end.as_ref().is_some_and(|e| e.why.contains("no command box")));
    assert_eq!(walk.owed(&k), None);
    // a batch repeating a key is not proved
    assert!(matches!(
        prove_command(&mut p.state.clone(), &Batch::Payout(vec![k, k])),
        Err(PersistentError::RepeatedKey { .. })
    ));
}
