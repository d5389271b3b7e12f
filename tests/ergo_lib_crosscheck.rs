//! Our codecs against sigma-rust (`ergo-lib`), an independent implementation of the chain's
//! serialization: registers byte for byte on random values, and addresses of every kind.

use ergo_lib::ergo_chain_types::ADDigest;
use ergo_lib::ergotree_ir::chain::address::{Address as TheirAddress, AddressEncoder, NetworkPrefix};
use ergo_lib::ergotree_ir::mir::avl_tree_data::{AvlTreeData as TheirTree, AvlTreeFlags};
use ergo_lib::ergotree_ir::mir::constant::{Constant as TheirConstant, Literal, TryExtractInto};
use ergo_lib::ergotree_ir::mir::value::CollKind;
use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
use ergo_lib::ergotree_ir::types::stuple::STuple;
use ergo_lib::ergotree_ir::types::stype::SType;
use ergo_lib::wallet::secret_key::SecretKey;
use proptest::prelude::*;
use sharestate::avl::Digest;
use sharestate::{Address, AddressKind, AvlFlags, AvlTreeData, Constant, MinerKey, Network};
use std::sync::Arc;

fn bytes_type() -> SType {
    SType::SColl(Arc::new(SType::SByte))
}

/// The same constant built with ergo-lib's own types.
fn theirs(c: &Constant) -> TheirConstant {
    match c {
        Constant::Int(v) => (*v).into(),
        Constant::Long(v) => (*v).into(),
        Constant::Bytes(b) => b.clone().into(),
        Constant::BytesColl(items) => {
            let items: Vec<Literal> = items.iter().map(|b| TheirConstant::from(b.clone()).v).collect();
            TheirConstant {
                tpe: SType::SColl(Arc::new(bytes_type())),
                v: Literal::Coll(CollKind::WrappedColl {
                    elem_tpe: bytes_type(),
                    items: items.into(),
                }),
            }
        }
        Constant::BytePairs(pairs) => {
            let pair = SType::STuple(STuple::pair(bytes_type(), bytes_type()));
            let items: Vec<Literal> = pairs
                .iter()
                .map(|(a, b)| {
                    let a = TheirConstant::from(a.clone()).v;
                    let b = TheirConstant::from(b.clone()).v;
                    Literal::Tup(vec![a, b].try_into().unwrap())
                })
                .collect();
            TheirConstant {
                tpe: SType::SColl(Arc::new(pair.clone())),
                v: Literal::Coll(CollKind::WrappedColl {
                    elem_tpe: pair,
                    items: items.into(),
                }),
            }
        }
        Constant::AvlTree(t) => TheirTree {
            digest: ADDigest::try_from(t.digest.0.to_vec()).unwrap(),
            tree_flags: AvlTreeFlags::parse(t.flags.0),
            key_length: t.key_length,
            value_length_opt: t.value_length.map(Box::new),
        }
        .into(),
    }
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

fn constant() -> impl Strategy<Value = Constant> {
    prop_oneof![
        any::<i32>().prop_map(Constant::Int),
        any::<i64>().prop_map(Constant::Long),
        bytes(300).prop_map(Constant::Bytes),
        proptest::collection::vec(bytes(40), 0..20).prop_map(Constant::BytesColl),
        proptest::collection::vec((bytes(40), bytes(12)), 0..20).prop_map(Constant::BytePairs),
        (
            any::<[u8; 32]>(),
            any::<u8>(),
            0u8..8,
            any::<u32>(),
            proptest::option::of(any::<u32>())
        )
            .prop_map(|(label, h, flags, key_length, value_length)| {
                let mut d = [0u8; 33];
                d[..32].copy_from_slice(&label);
                d[32] = h;
                Constant::AvlTree(AvlTreeData {
                    digest: Digest(d),
                    flags: AvlFlags(flags),
                    key_length,
                    value_length,
                })
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn constants_serialize_like_sigma_rust(c in constant()) {
        let ours = c.to_bytes();
        let theirs_bytes = theirs(&c).sigma_serialize_bytes().unwrap();
        prop_assert_eq!(&ours, &theirs_bytes);
        // each side parses the other's bytes back to the same value
        prop_assert_eq!(Constant::parse(&theirs_bytes).unwrap(), c.clone());
        let parsed = TheirConstant::sigma_parse_bytes(&ours).unwrap();
        prop_assert_eq!(parsed, theirs(&c));
    }

    #[test]
    fn whatever_sigma_rust_refuses_we_refuse(b in bytes(64)) {
        // any bytes: if we accept them, sigma-rust reads the same constant
        if let Ok(c) = Constant::parse(&b) {
            let t = TheirConstant::sigma_parse_bytes(&b);
            prop_assert!(t.is_ok(), "we accept {:?}, sigma-rust does not", c);
            prop_assert_eq!(t.unwrap(), theirs(&c));
        }
    }

    #[test]
    fn p2pk_addresses_match_sigma_rust(mainnet in any::<bool>()) {
        let prefix = if mainnet { NetworkPrefix::Mainnet } else { NetworkPrefix::Testnet };
        let addr = SecretKey::random_dlog().get_address_from_public_image();
        let s = AddressEncoder::new(prefix).address_to_str(&addr);
        let ours = Address::parse(&s).unwrap();
        prop_assert_eq!(ours.kind, AddressKind::P2pk);
        prop_assert_eq!(ours.network, if mainnet { Network::Mainnet } else { Network::Testnet });
        let tree = addr.script().unwrap().sigma_serialize_bytes().unwrap();
        prop_assert_eq!(&ours.proposition_bytes(), &tree);
        prop_assert_eq!(ours.miner_key(), MinerKey::from_proposition(&tree));
        prop_assert_eq!(ours.encode(), s);
    }

    #[test]
    fn p2sh_addresses_match_sigma_rust(hash in any::<[u8; 24]>()) {
        let addr = TheirAddress::P2SH(hash);
        let s = AddressEncoder::new(NetworkPrefix::Mainnet).address_to_str(&addr);
        let ours = Address::parse(&s).unwrap();
        prop_assert_eq!(ours.kind, AddressKind::P2sh);
        let tree = addr.script().unwrap().sigma_serialize_bytes().unwrap();
        prop_assert_eq!(&ours.proposition_bytes(), &tree);
        prop_assert_eq!(Address::from_ergo_tree(&tree, Network::Mainnet).unwrap(), ours);
    }
}

#[test]
fn the_mainnet_p2s_box_fixture_decodes() {
    let json: serde_json::Value = serde_json::from_str(include_str!("fixtures/box1.json")).unwrap();
    let tree = sharestate::hex::decode(json["ergoTree"].as_str().unwrap()).unwrap();
    let ours = Address::parse(json["address"].as_str().unwrap()).unwrap();
    assert_eq!((ours.network, ours.kind), (Network::Mainnet, AddressKind::P2s));
    assert_eq!(ours.proposition_bytes(), tree);
    let theirs = AddressEncoder::new(NetworkPrefix::Mainnet)
        .parse_address_from_str(json["address"].as_str().unwrap())
        .unwrap();
    assert_eq!(theirs.content_bytes(), tree);
    // its registers, parsed and serialized back byte for byte
    for r in ["R4", "R5"] {
        let hex = json["additionalRegisters"][r]["serializedValue"].as_str().unwrap();
        let c = Constant::parse_hex(hex).unwrap();
        assert_eq!(c.to_hex(), hex);
        assert_eq!(
            TheirConstant::sigma_parse_bytes(&c.to_bytes()).unwrap(),
            theirs_constant(hex)
        );
    }
    let r4 = Constant::parse_hex(json["additionalRegisters"]["R4"]["serializedValue"].as_str().unwrap()).unwrap();
    let items: Vec<Vec<u8>> = theirs_constant(&r4.to_hex())
        .try_extract_into::<Vec<Vec<u8>>>()
        .unwrap();
    assert_eq!(r4.as_bytes_coll().unwrap(), items.as_slice());
}

fn theirs_constant(hex: &str) -> TheirConstant {
    TheirConstant::sigma_parse_bytes(&sharestate::hex::decode(hex).unwrap()).unwrap()
}
