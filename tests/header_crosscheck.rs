//! Block headers, their proof of work and a block's transactions root, against sigma-rust
//! (`ergo-chain-types`' header bytes, `ergo-nipopow`'s Autolykos v2 and compact difficulty):
//! real mainnet headers (two from sigma-rust's and the node's own test data: a block whose
//! transactions are given, so that its root is rebuilt with its witness id), sigma-rust's
//! Autolykos test vectors (a valid one where the table has just grown, an invalid one), and
//! random headers on which both must give the same id, hit and verdict.

use ergo_lib::ergo_chain_types::{
    ADDigest, AutolykosSolution, BlockId, Digest32, EcPoint, Header as TheirHeader, Votes,
};
use ergo_lib::ergo_nipopow::{decode_compact_bits, NipopowAlgos};
use ergo_lib::ergotree_ir::sigma_protocol::dlog_group::order;
use num_bigint::{BigInt, Sign};
use proptest::prelude::*;
use sharestate::ergo::header::{Header, HeaderError};
use sharestate::ergo::json::decode_transaction;
use sharestate::ergo::merkle::{block_leaves, root, witness_id};
use sharestate::ergo::pow;
use sharestate::hex;
use sigma_ser::ScorexSerializable;

/// sigma-rust's verdict on a header: its hit and whether it meets `nBits`.
fn their_verdict(h: &TheirHeader) -> (BigInt, bool) {
    let hit = NipopowAlgos::default().pow_scheme.pow_hit(h).unwrap();
    let ok = hit < order() / decode_compact_bits(h.n_bits);
    (hit, ok)
}

fn theirs(json: &str) -> TheirHeader {
    serde_json::from_str(json).unwrap()
}

#[test]
fn mainnet_headers_recompute_their_ids_and_their_work() {
    let block: serde_json::Value = serde_json::from_str(include_str!("fixtures/block_540000.json")).unwrap();
    for json in [
        include_str!("fixtures/header.json").to_string(),
        block["header"].to_string(),
    ] {
        let ours = Header::from_json(&json).unwrap();
        let them = theirs(&json);
        assert_eq!(ours.id().to_hex(), hex::encode(them.id.0.as_ref()));
        assert_eq!(ours.bytes(), them.scorex_serialize_bytes().unwrap());
        let (hit, ok) = their_verdict(&them);
        assert_eq!(BigInt::from_bytes_be(Sign::Plus, &ours.pow_hit()), hit);
        assert!(ok);
        ours.check_pow().unwrap();
    }
}

#[test]
fn a_mainnet_blocks_transactions_root_is_rebuilt_with_its_witness_ids() {
    let block: serde_json::Value = serde_json::from_str(include_str!("fixtures/block_540000.json")).unwrap();
    let header = Header::from_value(&block["header"]).unwrap();
    let txs = block["blockTransactions"]["transactions"].as_array().unwrap();
    let mut ids = vec![];
    let mut witnesses = vec![];
    for t in txs {
        let tx = decode_transaction(&t.to_string()).unwrap();
        assert!(tx.id_verified);
        ids.push(tx.id.0);
        let proofs: Vec<Vec<u8>> = t["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| hex::decode(i["spendingProof"]["proofBytes"].as_str().unwrap()).unwrap())
            .collect();
        witnesses.push(witness_id(&proofs));
    }
    assert_eq!(
        root(&block_leaves(header.version, &ids, &witnesses)),
        header.transactions_root
    );
    // without the witness ids (version 1's rule) it is another root
    assert_ne!(root(&block_leaves(1, &ids, &witnesses)), header.transactions_root);
}

#[test]
fn sigma_rusts_autolykos_vectors() {
    // valid, at height 614,400 where the table first grows
    let json = r#"{"extensionId":"00cce45975d87414e8bdd8146bc88815be59cd9fe37a125b5021101e05675a18","difficulty":"16384","votes":"000000","timestamp":4928911477310178288,"size":223,"stateRoot":"5c8c00b8403d3701557181c8df800001b6d5009e2201c6ff807d71808c00019780","height":614400,"nBits":37748736,"version":2,"id":"5603a937ec1988220fc44fb5022fb82d5565b961f005ebb55d85bd5a9e6f801f","adProofsRoot":"5d3f80dcff7f5e7f59007294c180808d0158d1ff6ba10000f901c7f0ef87dcff","transactionsRoot":"f17fffacb6ff7f7f1180d2ff7f1e24ffffe1ff937f807f0797b9ff6ebdae007e","extensionHash":"1480887f80007f4b01cf7f013ff1ffff564a0000b9a54f00770e807f41ff88c0","powSolutions":{"pk":"03bedaee069ff4829500b3c07c4d5fe6b3ea3d3bf76c5c28c1d4dcdb1bed0ade0c","w":"0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798","n":"0000000000003105","d":0},"adProofsId":"dec129290a763f4de41f04e87e2b661dd59758af6bdd00dd51f5d97c3a8cb9b5","transactionsId":"eba1dd82cf51147232e09c1f72b37c554c30f63274d5093bff36849a83472a42","parentId":"ac2101807f0000ca01ff0119db227f202201007f62000177a080005d440896d0"}"#;
    let ours = Header::from_json(json).unwrap();
    assert_eq!(pow::table_size(614_400), 70_464_240);
    assert_eq!(
        hex::encode(&ours.pow_hit()),
        "0002fcb113fe65e5754959872dfdbffea0489bf830beb4961ddc0e9e66a1412a"
    );
    ours.check_pow().unwrap();
    assert!(their_verdict(&theirs(json)).1);

    // invalid (testnet, height 2,870)
    let json = r#"{"extensionId":"277907e4e5e42f27e928e6101cc4fec173bee5d7728794b73d7448c339c380e5","difficulty":"1325481984","votes":"000000","timestamp":1611225263165,"size":219,"stateRoot":"c0d0b5eafd07b22487dac66628669c42a242b90bef3e1fcdc76d83140d58b6bc0e","height":2870,"nBits":72286528,"version":2,"id":"5b0ce6711de6b926f60b67040cc4512804517785df375d063f1bf1d75588af3a","adProofsRoot":"49453875a43035c7640dee2f905efe06128b00d41acd2c8df13691576d4fd85c","transactionsRoot":"770cbb6e18673ed025d386487f15d3252115d9a6f6c9b947cf3d04731dd6ab75","extensionHash":"9bc7d54583c5d44bb62a7be0473cd78d601822a626afc13b636f2cbff0d87faf","powSolutions":{"pk":"0288114b0586efea9f86e4587f2071bc1c85fb77e15eba96b2769733e0daf57903","w":"0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798","n":"000100000580a91b","d":0},"adProofsId":"4fc36d59bf26a672e01fbfde1445bd66f50e0f540f24102e1e27d0be1a99dfbf","transactionsId":"d196ef8a7ef582ab1fdab4ef807715183705301c6ae2ff0dcbe8f1d577ba081f","parentId":"ab19e6c7a4062979dddb534df83f236d1b949c7cef18bcf434a67e87c593eef9"}"#;
    let ours = Header::from_json(json).unwrap();
    assert!(matches!(ours.check_pow(), Err(HeaderError::Work { height: 2870, .. })));
    assert!(!their_verdict(&theirs(json)).1);
}

prop_compose! {
    /// A header with random fields; its difficulty small (1..2^16) or mainnet-like, so that
    /// both verdicts occur.
    fn header()(
        parent in any::<[u8; 32]>(), roots in any::<[[u8; 32]; 3]>(), state in any::<[u8; 32]>(),
        timestamp in any::<u64>(), height in prop_oneof![0u32..2_000_000, any::<u32>()],
        n_bits in prop_oneof![(1u32..=0x7f, 0u32..=0xffff).prop_map(|(m, r)| 0x0300_0000 | m << 16 | r),
                              (1u32..=0x7f).prop_map(|m| 0x0100_0000 | m << 16),
                              Just(117_586_360u32)],
        votes in any::<[u8; 3]>(), nonce in any::<[u8; 8]>(), version in 2u8..=4,
    ) -> Header {
        let mut state_root = [2u8; 33];
        state_root[1..].copy_from_slice(&state);
        Header {
            version, parent_id: sharestate::ergo::Id(parent), ad_proofs_root: roots[0], transactions_root: roots[1],
            state_root, timestamp, extension_root: roots[2], n_bits, height, votes, unparsed: vec![],
            // the generator point, as a key both sides parse
            miner_pk: hex::decode_array("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798").unwrap(),
            nonce,
        }
    }
}

fn to_theirs(h: &Header) -> TheirHeader {
    let d = |b: [u8; 32]| Digest32::from(b);
    let mut t = TheirHeader {
        version: h.version,
        id: BlockId(d([0; 32])),
        parent_id: BlockId(d(h.parent_id.0)),
        ad_proofs_root: d(h.ad_proofs_root),
        state_root: ADDigest::try_from(h.state_root.to_vec()).unwrap(),
        transaction_root: d(h.transactions_root),
        timestamp: h.timestamp,
        n_bits: u64::from(h.n_bits),
        height: h.height,
        extension_root: d(h.extension_root),
        autolykos_solution: AutolykosSolution {
            miner_pk: Box::new(EcPoint::scorex_parse_bytes(&h.miner_pk).unwrap()),
            pow_onetime_pk: None,
            nonce: h.nonce.to_vec(),
            pow_distance: None,
        },
        votes: Votes(h.votes),
    };
    t.id = BlockId(d(sharestate::encoding::hash::blake2b256(
        &t.scorex_serialize_bytes().unwrap(),
    )));
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_headers_give_sigma_rusts_ids_hits_and_verdicts(h in header()) {
        let t = to_theirs(&h);
        prop_assert_eq!(h.bytes(), t.scorex_serialize_bytes().unwrap());
        prop_assert_eq!(h.id().to_hex(), hex::encode(t.id.0.as_ref()));
        let (hit, ok) = their_verdict(&t);
        prop_assert_eq!(BigInt::from_bytes_be(Sign::Plus, &h.pow_hit()), hit);
        prop_assert_eq!(h.check_pow().is_ok(), ok);
        // and the node's JSON of it reads back with its id recomputed, and its bytes
        prop_assert_eq!(Header::from_json(&h.to_json().to_string()).unwrap(), h.clone());
        prop_assert_eq!(Header::from_bytes(&t.scorex_serialize_bytes().unwrap()).unwrap(), h);
    }

    #[test]
    fn the_verdict_on_any_hit_and_difficulty_is_sigma_rusts(hit in any::<[u8; 32]>(), small in any::<bool>(),
                                                           m in 1u32..=0x7f_ffff, size in 1u32..=32) {
        // hits near q's magnitude against difficulties from 1 to 2^256
        let n_bits = if small { 0x0100_0000 | (m & 0x7f) << 16 } else { size << 24 | m };
        let target = match pow::target(n_bits) { Ok(t) => t, Err(_) => return Ok(()) };
        let theirs = BigInt::from_bytes_be(Sign::Plus, &hit) < order() / decode_compact_bits(u64::from(n_bits));
        prop_assert_eq!(pow::meets(&hit, &target), theirs);
    }
}
