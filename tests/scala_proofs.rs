//! Byte-exactness with Scala scrypto: regenerate the two proofs in `tests/fixtures/*.dmp`
//! (copied from `shared/fixtures`) from the operations that produced them.

use sharestate::avl::{replay, Digest};
use sharestate::{Operation, ShareState};

fn ops(text: &str) -> Vec<Operation> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let key = sharestate::hex::decode_array::<32>(f[1]).unwrap();
            match f[0] {
                "insert" => Operation::Insert(key, sharestate::hex::decode(f[2]).unwrap()),
                "remove" => Operation::Remove(key),
                other => panic!("unknown operation {other}"),
            }
        })
        .collect()
}

#[test]
fn our_prover_regenerates_both_scala_proofs_byte_for_byte() {
    let ops1 = ops(include_str!("fixtures/scala_proof1.ops"));
    let ops2 = ops(include_str!("fixtures/scala_proof2.ops"));
    assert_eq!((ops1.len(), ops2.len()), (100, 90));

    let mut state = ShareState::new();
    let p1 = state.prove(&ops1).unwrap();
    assert_eq!(p1.digest_before, Digest::EMPTY);
    assert_eq!(p1.proof, include_bytes!("fixtures/scala_proof1.dmp"));
    let p2 = state.prove(&ops2).unwrap();
    assert_eq!(p2.proof, include_bytes!("fixtures/scala_proof2.dmp"));

    // and our verifier replays Scala's proofs to the same digests
    let r1 = replay(&Digest::EMPTY, include_bytes!("fixtures/scala_proof1.dmp"), &ops1, None).unwrap();
    assert_eq!(r1.digest, p1.digest_after);
    let r2 = replay(&r1.digest, include_bytes!("fixtures/scala_proof2.dmp"), &ops2, None).unwrap();
    assert_eq!(r2.digest, p2.digest_after);
    assert_eq!(r2.old_values, p2.old_values);
}

#[test]
fn the_fixtures_are_the_shared_ones() {
    // when the steering repository's shared/ sits beside this checkout, the copies must match
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    if !shared.exists() {
        return;
    }
    for name in ["scala_proof1.dmp", "scala_proof2.dmp", "box1.json", "header.json"] {
        let ours = std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(ours, std::fs::read(shared.join(name)).unwrap(), "{name}");
    }
}
