//! The `sharestate` command as a user runs it: JSON on stdout, `{"error": {kind, message}}` on
//! stderr with exit code 2 for any bad input, never a panic.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sharestate"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Runs a command that must fail; returns the error's kind and message.
fn fails(args: &[&str]) -> (String, String) {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{args:?}: stdout {}",
        String::from_utf8_lossy(&o.stdout)
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let v: Value = serde_json::from_str(stderr.trim()).unwrap_or_else(|_| panic!("stderr is not JSON: {stderr}"));
    (
        v["error"]["kind"].as_str().unwrap().to_string(),
        v["error"]["message"].as_str().unwrap().to_string(),
    )
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sharestate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A P2PK address for index i (keys need not be on the curve for address encoding).
fn address(i: u32) -> String {
    let mut pk = vec![2u8];
    pk.extend_from_slice(&sharestate::encoding::hash::blake2b256(&i.to_be_bytes()));
    sharestate::Address::new(sharestate::Network::Mainnet, sharestate::AddressKind::P2pk, pk)
        .unwrap()
        .encode()
}

fn scores_csv(n: u32) -> PathBuf {
    let mut csv = String::from("address,score\n");
    for i in 0..n {
        csv.push_str(&format!("{},{}\n", address(i), 1000 + i * 13));
    }
    let p = tmp(&format!("scores{n}.csv"));
    std::fs::write(&p, csv).unwrap();
    p
}

#[test]
fn key_of_an_address_and_of_its_tree() {
    let a = address(1);
    let v = ok(&["key", &a]);
    assert_eq!(v["address"], a.as_str());
    assert_eq!(v["network"], "mainnet");
    assert_eq!(v["kind"], "P2PK");
    let tree = v["propositionBytes"].as_str().unwrap();
    assert!(tree.starts_with("0008cd"));
    let key = sharestate::hex::encode(&sharestate::encoding::hash::blake2b256(
        &sharestate::hex::decode(tree).unwrap(),
    ));
    assert_eq!(v["key"], key.as_str());
    assert_eq!(ok(&["key", tree])["key"], key.as_str());
}

#[test]
fn a_whole_epoch_from_csv_to_verified_payout() {
    let csv = scores_csv(500);
    let snap = tmp("epoch.bin");
    let built = ok(&[
        "state",
        "build",
        "--scores",
        csv.to_str().unwrap(),
        "--out",
        snap.to_str().unwrap(),
    ]);
    assert_eq!(built["miners"], 500);
    let expected_max: u64 = (0..500u64).map(|i| 1000 + i * 13).sum();
    assert_eq!(built["maxScore"], expected_max);
    let digest = built["digest"].as_str().unwrap().to_string();
    assert_eq!(built["register"], format!("64{digest}072000").as_str());
    assert_eq!(ok(&["state", "show", snap.to_str().unwrap()]), {
        let mut b = built.clone();
        b.as_object_mut().unwrap().remove("scaled");
        b
    });

    // the JSON form holds the same state
    let snap_json = tmp("epoch.json");
    ok(&[
        "state",
        "build",
        "--scores",
        csv.to_str().unwrap(),
        "--out",
        snap_json.to_str().unwrap(),
    ]);
    assert_eq!(
        ok(&["state", "show", snap_json.to_str().unwrap()])["digest"],
        digest.as_str()
    );

    // a lookup proof, checked by the verifier
    let k = ok(&["key", &address(7)])["key"].as_str().unwrap().to_string();
    let absent = "11".repeat(32);
    let lookup = ok(&["prove", "lookup", snap.to_str().unwrap(), &k, &absent]);
    let proof = lookup["proof"].as_str().unwrap();
    let verified = ok(&["verify", "lookup", "--digest", &digest, "--proof", proof, &k, &absent]);
    assert_eq!(verified["results"], lookup["results"]);
    assert_eq!(
        verified["results"][0]["value"],
        format!("{:016x}00", 1000 + 7 * 13).as_str()
    );
    assert!(verified["results"][1]["value"].is_null());

    // batch 1 of 100 keys, then its replay
    let p = ok(&[
        "prove",
        "payout",
        snap.to_str().unwrap(),
        "--initial-value",
        "67500000000",
        "--batch-size",
        "100",
        "--batch",
        "1",
    ]);
    assert_eq!(p["digest"], digest.as_str());
    assert_eq!(p["payments"].as_array().unwrap().len(), 100);
    let v = ok(&[
        "verify",
        "payout",
        "--digest",
        &digest,
        "--max-score",
        &expected_max.to_string(),
        "--initial-value",
        "67500000000",
        "--context0",
        p["contextVars"]["0"].as_str().unwrap(),
        "--context1",
        p["contextVars"]["1"].as_str().unwrap(),
    ]);
    assert_eq!(v["nextDigest"], p["nextDigest"]);
    for (a, b) in v["payments"]
        .as_array()
        .unwrap()
        .iter()
        .zip(p["payments"].as_array().unwrap())
    {
        assert_eq!(a["key"], b["key"]);
        assert_eq!(a["amount"], b["amount"]);
        let score: i64 = a["score"].as_str().unwrap().parse().unwrap();
        let amount: i64 = a["amount"].as_str().unwrap().parse().unwrap();
        assert_eq!(amount, score * 67_500_000_000 / expected_max as i64);
    }
    // keys come in ascending order, batch 1 follows batch 0
    let b0 = ok(&[
        "prove",
        "payout",
        snap.to_str().unwrap(),
        "--initial-value",
        "67500000000",
        "--batch-size",
        "100",
    ]);
    let last0 = b0["payments"][99]["key"].as_str().unwrap().to_string();
    let first1 = p["payments"][0]["key"].as_str().unwrap().to_string();
    assert!(last0 < first1);

    // a flipped proof byte is caught
    let mut c1 = p["contextVars"]["1"].as_str().unwrap().to_string();
    let flipped = if &c1[100..101] == "0" { "1" } else { "0" };
    c1.replace_range(100..101, flipped);
    let (kind, _) = fails(&[
        "verify",
        "payout",
        "--digest",
        &digest,
        "--max-score",
        &expected_max.to_string(),
        "--initial-value",
        "67500000000",
        "--context0",
        p["contextVars"]["0"].as_str().unwrap(),
        "--context1",
        &c1,
    ]);
    assert_eq!(kind, "PayoutError");
}

#[test]
fn unpayable_miners_are_listed_not_paid() {
    let mut csv = String::new();
    csv.push_str(&format!("{},1\n", address(1)));
    csv.push_str(&format!("{},1000000000\n", address(2)));
    let p = tmp("tiny.csv");
    std::fs::write(&p, csv).unwrap();
    let snap = tmp("tiny.bin");
    ok(&[
        "state",
        "build",
        "--scores",
        p.to_str().unwrap(),
        "--out",
        snap.to_str().unwrap(),
    ]);
    let out = ok(&[
        "prove",
        "payout",
        snap.to_str().unwrap(),
        "--initial-value",
        "1000000000",
        "--batch-size",
        "10",
    ]);
    assert_eq!(out["payments"].as_array().unwrap().len(), 1);
    assert_eq!(out["unpayable"], serde_json::json!([ok(&["key", &address(1)])["key"]]));
}

#[test]
fn scores_that_overflow_an_int_need_scale() {
    let csv = format!("{},2000000000\n{},2000000000\n", address(1), address(2));
    let p = tmp("big.csv");
    std::fs::write(&p, csv).unwrap();
    let snap = tmp("big.bin");
    let (kind, message) = fails(&[
        "state",
        "build",
        "--scores",
        p.to_str().unwrap(),
        "--out",
        snap.to_str().unwrap(),
    ]);
    assert_eq!(kind, "ScoreError");
    assert!(message.contains("--scale"), "{message}");
    let v = ok(&[
        "state",
        "build",
        "--scores",
        p.to_str().unwrap(),
        "--out",
        snap.to_str().unwrap(),
        "--scale",
    ]);
    assert_eq!(v["scaled"], true);
    assert_eq!(v["maxScore"], 2147483646);
}

#[test]
fn bad_input_exits_2_with_a_named_problem() {
    let garbage = tmp("garbage.csv");
    std::fs::write(&garbage, "address,score\nnot-an-address,5\n").unwrap();
    let dup = tmp("dup.csv");
    std::fs::write(&dup, format!("{a},1\n{a},2\n", a = address(3))).unwrap();
    let neg = tmp("neg.csv");
    std::fs::write(&neg, format!("{},-5\n", address(3))).unwrap();
    let huge = tmp("huge.csv");
    std::fs::write(&huge, format!("{},99999999999999999999\n", address(3))).unwrap();
    let out = tmp("x.bin");
    let out = out.to_str().unwrap();
    let d = sharestate::Digest::EMPTY.to_hex();
    let k = "11".repeat(32);
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec!["key", "9notanaddress"], "AddressError", ""),
        (vec!["key", "00"], "AddressError", ""),
        (
            vec!["state", "build", "--scores", garbage.to_str().unwrap(), "--out", out],
            "CsvError",
            "line 2",
        ),
        (
            vec!["state", "build", "--scores", dup.to_str().unwrap(), "--out", out],
            "CsvError",
            "line 1",
        ),
        (
            vec!["state", "build", "--scores", neg.to_str().unwrap(), "--out", out],
            "CsvError",
            "negative",
        ),
        (
            vec!["state", "build", "--scores", huge.to_str().unwrap(), "--out", out],
            "CsvError",
            "whole number",
        ),
        (vec!["state", "show", "/nonexistent/snapshot"], "IoError", ""),
        (vec!["state", "show", garbage.to_str().unwrap()], "SnapshotError", ""),
        (
            vec!["verify", "lookup", "--digest", &d, "--proof", "02", &k],
            "ProofError",
            "ends",
        ),
        (
            vec!["verify", "lookup", "--digest", "abcd", "--proof", "04", &k],
            "ProofError",
            "33 bytes",
        ),
        (
            vec!["verify", "lookup", "--digest", &d, "--proof", "zz", &k],
            "ProofError",
            "hex",
        ),
        (
            vec![
                "verify",
                "payout",
                "--digest",
                &d,
                "--max-score",
                "5",
                "--initial-value",
                "5",
                "--context0",
                "0e00",
                "--context1",
                "0e00",
            ],
            "PayoutError",
            "context variable 0",
        ),
        (
            vec![
                "verify",
                "payout",
                "--digest",
                &d,
                "--max-score",
                "99999999999",
                "--initial-value",
                "5",
                "--context0",
                "0e00",
                "--context1",
                "0e00",
            ],
            "UsageError",
            "--max-score",
        ),
        (vec!["frobnicate"], "UsageError", "unknown command"),
        (vec!["prove", "payout"], "UsageError", ""),
    ];
    for (args, kind, contains) in cases {
        let (k, m) = fails(&args);
        assert_eq!(k, kind, "{args:?}: {m}");
        assert!(m.contains(contains), "{args:?}: {m:?} lacks {contains:?}");
    }
}

#[test]
fn the_demo_walks_through_and_meets_the_seeds_proof_size() {
    let o = run(&["demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("2239 miners"), "{text}");
    assert!(text.contains("300 of 300 pass"), "{text}");
    assert!(text.contains("the contract accepts this payout"), "{text}");
    let size: usize = text
        .lines()
        .find(|l| l.trim_start().starts_with("proof "))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!((13_000..16_000).contains(&size), "proof of {size} bytes");
}

#[test]
fn an_epoch_published_as_static_files_verifies_from_them() {
    let csv = scores_csv(300);
    let snap = tmp("published.bin");
    let built = ok(&[
        "state",
        "build",
        "--scores",
        csv.to_str().unwrap(),
        "--out",
        snap.to_str().unwrap(),
    ]);
    let digest = built["digest"].as_str().unwrap();
    let out = tmp("static");
    let (a, b) = ("aa".repeat(32), "bb".repeat(32));
    for id in [&a, &b] {
        let p = ok(&[
            "publish",
            snap.to_str().unwrap(),
            "--box",
            id,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!((p["miners"].as_u64(), p["files"].as_u64()), (Some(300), Some(302)));
    }
    // publishing again replaces the box's entry in the listing
    ok(&[
        "publish",
        snap.to_str().unwrap(),
        "--box",
        &a,
        "--out",
        out.to_str().unwrap(),
    ]);
    let epochs: Value = serde_json::from_str(&std::fs::read_to_string(out.join("epochs")).unwrap()).unwrap();
    assert_eq!(epochs["states"].as_array().unwrap().len(), 2);
    assert_eq!(epochs["states"][1]["boxId"], a.as_str());
    let d = sharestate::Digest::from_hex(digest).unwrap();
    // every miner's file verifies against the digest, with the miner's score
    let k = ok(&["key", &address(7)])["key"].as_str().unwrap().to_string();
    let proof = std::fs::read_to_string(out.join(format!("proof/{a}/{k}"))).unwrap();
    let key = sharestate::hex::decode_array::<32>(&k).unwrap();
    let value = sharestate::pool::service::verify_proof_answer(&proof, &d, &key)
        .unwrap()
        .unwrap();
    assert_eq!(sharestate::hex::encode(&value), format!("{:016x}00", 1000 + 7 * 13));
    assert_eq!(std::fs::read_dir(out.join(format!("proof/{a}"))).unwrap().count(), 300);
    let snapshot = std::fs::read_to_string(out.join(format!("snapshot/{b}"))).unwrap();
    assert_eq!(
        sharestate::pool::service::verify_snapshot_answer(&snapshot, &d)
            .unwrap()
            .len(),
        300
    );
    // bad input: named
    assert_eq!(
        fails(&[
            "publish",
            snap.to_str().unwrap(),
            "--box",
            "zz",
            "--out",
            out.to_str().unwrap()
        ])
        .0,
        "UsageError"
    );
    let (kind, message) = fails(&["publish", snap.to_str().unwrap(), "--box", &a, "--out", "/proc/nope"]);
    assert_eq!(kind, "IoError", "{message}");
}
