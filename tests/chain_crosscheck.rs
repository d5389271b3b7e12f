//! Box and transaction ids, and the node's JSON of them, against sigma-rust (ergo-lib): random
//! transactions built with ergo-lib, serialized by ergo-lib's JSON (the node's format), decoded
//! by us — every id must recompute to ergo-lib's.

use ergo_lib::chain::transaction::input::prover_result::ProverResult;
use ergo_lib::chain::transaction::{DataInput, Input, Transaction as TheirTx};
use ergo_lib::ergo_chain_types::Digest32;
use ergo_lib::ergotree_interpreter::sigma_protocol::prover::{ContextExtension, ProofBytes};
use ergo_lib::ergotree_ir::chain::ergo_box::box_value::BoxValue;
use ergo_lib::ergotree_ir::chain::ergo_box::{BoxId, ErgoBoxCandidate, NonMandatoryRegisters};
use ergo_lib::ergotree_ir::chain::token::{Token as TheirToken, TokenAmount, TokenId};
use ergo_lib::ergotree_ir::ergo_tree::ErgoTree;
use ergo_lib::ergotree_ir::mir::constant::Constant as TheirConstant;
use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
use ergo_lib::wallet::secret_key::SecretKey;
use proptest::prelude::*;
use sharestate::ergo::json::decode_transaction;
use sharestate::Constant;
use std::sync::OnceLock;

fn trees() -> &'static Vec<ErgoTree> {
    static TREES: OnceLock<Vec<ErgoTree>> = OnceLock::new();
    TREES.get_or_init(|| {
        let contracts: serde_json::Value = serde_json::from_str(include_str!("../contracts/contracts.json")).unwrap();
        let mut v: Vec<ErgoTree> = contracts["contracts"]
            .as_object()
            .unwrap()
            .values()
            .map(|c| {
                ErgoTree::sigma_parse_bytes(&sharestate::hex::decode(c["ergoTree"].as_str().unwrap()).unwrap()).unwrap()
            })
            .collect();
        for _ in 0..4 {
            v.push(
                SecretKey::random_dlog()
                    .get_address_from_public_image()
                    .script()
                    .unwrap(),
            );
        }
        v
    })
}

fn constant() -> impl Strategy<Value = Constant> {
    prop_oneof![
        any::<i32>().prop_map(Constant::Int),
        any::<i64>().prop_map(Constant::Long),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Constant::Bytes),
        proptest::collection::vec(
            (
                proptest::collection::vec(any::<u8>(), 32),
                proptest::collection::vec(any::<u8>(), 9)
            ),
            0..5
        )
        .prop_map(Constant::BytePairs),
    ]
}

fn theirs(c: &Constant) -> TheirConstant {
    TheirConstant::sigma_parse_bytes(&c.to_bytes()).unwrap()
}

#[derive(Debug, Clone)]
struct Out {
    value: u64,
    tree: usize,
    height: u32,
    tokens: Vec<(u8, u64)>,
    registers: Vec<Constant>,
}

fn output() -> impl Strategy<Value = Out> {
    (
        1u64..(1 << 62),
        0usize..8,
        any::<u32>().prop_map(|h| h % 5_000_000),
        proptest::collection::vec((0u8..4, 1u64..(1 << 62)), 0..3),
        proptest::collection::vec(constant(), 0..4),
    )
        .prop_map(|(value, tree, height, tokens, registers)| Out {
            value,
            tree,
            height,
            tokens,
            registers,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn node_json_of_random_transactions_decodes_with_every_id_recomputed(
        inputs in proptest::collection::vec((any::<[u8; 32]>(), proptest::collection::btree_map(any::<u8>(), constant(), 0..3)), 1..4),
        data_inputs in proptest::collection::vec(any::<[u8; 32]>(), 0..3),
        outputs in proptest::collection::vec(output(), 1..4),
    ) {
        let their_inputs: Vec<Input> = inputs
            .iter()
            .map(|(id, vars)| {
                let mut ext = ContextExtension::empty();
                for (k, c) in vars {
                    ext.values.insert(*k, theirs(c));
                }
                Input::new(BoxId::from(Digest32::from(*id)), ProverResult { proof: ProofBytes::Empty, extension: ext })
            })
            .collect();
        let their_data: Vec<DataInput> = data_inputs.iter().map(|id| DataInput { box_id: BoxId::from(Digest32::from(*id)) }).collect();
        let candidates: Vec<ErgoBoxCandidate> = outputs
            .iter()
            .map(|o| {
                // distinct token ids within one box
                let mut toks: Vec<TheirToken> = Vec::new();
                for (t, amount) in &o.tokens {
                    let id = TokenId::from(Digest32::from([*t; 32]));
                    if toks.iter().all(|x| x.token_id != id) {
                        toks.push(TheirToken { token_id: id, amount: TokenAmount::try_from(*amount).unwrap() });
                    }
                }
                ErgoBoxCandidate {
                    value: BoxValue::new(o.value).unwrap(),
                    ergo_tree: trees()[o.tree % trees().len()].clone(),
                    tokens: if toks.is_empty() { None } else { Some(toks.try_into().unwrap()) },
                    additional_registers: NonMandatoryRegisters::try_from(o.registers.iter().map(theirs).collect::<Vec<_>>()).unwrap(),
                    creation_height: o.height,
                }
            })
            .collect();
        let tx = TheirTx::new_from_vec(their_inputs, their_data, candidates).unwrap();
        let json = serde_json::to_string(&tx).unwrap();
        let ours = decode_transaction(&json).unwrap();
        prop_assert!(ours.id_verified);
        prop_assert_eq!(ours.id.0, <[u8; 32]>::from(tx.id().0));
        prop_assert_eq!(ours.transaction().unwrap().id(), ours.id);
        for (o, t) in ours.outputs.iter().zip(tx.outputs.iter()) {
            prop_assert_eq!(o.id.0, <[u8; 32]>::try_from(t.box_id().as_ref()).unwrap());
        }
        // a changed context variable changes the id: the claim no longer holds
        if let Some((k, _)) = inputs[0].1.iter().next() {
            let v: serde_json::Value = serde_json::from_str(&json).unwrap();
            let mut changed = v.clone();
            changed["inputs"][0]["spendingProof"]["extension"][k.to_string()] = serde_json::json!("0400");
            if changed != v {
                prop_assert!(decode_transaction(&changed.to_string()).is_err());
            }
        }
    }
}
