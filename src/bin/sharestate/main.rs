//! `sharestate`: the core library on the command line. JSON on stdout; errors as
//! `{"error": {"kind", "message"}}` on stderr with exit code 2. Hex is lower-case, values are
//! the hex of the stored bytes, amounts are decimal nanoErg in JSON strings.

mod args;
mod demo;

use args::Args;
use serde_json::{json, Value};
use sharestate::avl::snapshot;
use sharestate::avl::{self, Digest};
use sharestate::ergo::parse_address_or_tree;
use sharestate::pool::amount;
use sharestate::posted;
use sharestate::{hex, Constant, ErrorKind, HasKind, Key, MinerKey, Network, ProofError, ShareState, ShareValue};
use std::fmt::Display;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  sharestate key <address-or-ergotree-hex> [--network mainnet|testnet]
  sharestate state build --scores <csv: address,score per line> --out <snapshot> [--scale]
  sharestate state show <snapshot>
  sharestate prove lookup <snapshot> <key-or-address>...
  sharestate publish <snapshot> --box <share-state box id> --out <dir>
  sharestate prove payout <snapshot> --initial-value <nanoErg> --batch-size <n> [--batch <i>] [--height <h>]
  sharestate verify lookup --digest <hex> --proof <hex> <key>...
  sharestate verify payout --digest <hex> --max-score <n> --initial-value <n> --context0 <hex> --context1 <hex>
  sharestate demo [--miners <n>] [--pay <n>] [--seed <n>]
A snapshot written to a *.json path is JSON, any other path gets the compact binary form;
either form is read back. `publish` writes the pool proof service of one share-state box as
static files under <dir> (snapshot/<box>, proof/<box>/<key> for every miner, epochs): serve
<dir> from any static host and give its URL as the pool's proof service.";

/// An error with the kind a script can branch on: a core error's kind
/// (`sharestate::ErrorKind::name`, the names the npm package throws), or one of the command
/// line's own: `UsageError`, `IoError`, `CsvError`.
pub struct CliError {
    kind: &'static str,
    message: String,
}

impl CliError {
    pub fn new(kind: &'static str, message: impl Display) -> CliError {
        CliError {
            kind,
            message: message.to_string(),
        }
    }
    pub fn usage(message: impl Display) -> CliError {
        CliError::new("UsageError", format!("{message}\n{USAGE}"))
    }
    fn io(path: &str, e: std::io::Error) -> CliError {
        CliError::new("IoError", format!("{path}: {e}"))
    }
    fn csv(message: impl Display) -> CliError {
        CliError::new("CsvError", message)
    }
    /// A core error about `at` (a line, a key): its kind, its message after `at`.
    fn at<E: HasKind>(at: impl Display, e: E) -> CliError {
        CliError::new(e.kind().name(), format!("{at}: {e}"))
    }
}

impl<E: HasKind> From<E> for CliError {
    fn from(e: E) -> CliError {
        CliError::new(e.kind().name(), e)
    }
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    match run(&raw) {
        Ok(Some(v)) => {
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", json!({ "error": { "kind": e.kind, "message": e.message } }));
            ExitCode::from(2)
        }
    }
}

fn run(raw: &[String]) -> Result<Option<Value>, CliError> {
    let words: Vec<&str> = raw.iter().take(2).map(String::as_str).collect();
    match words.as_slice() {
        ["key", ..] => key(Args::parse(&raw[1..], &[])?).map(Some),
        ["state", "build", ..] => state_build(Args::parse(&raw[2..], &["scale"])?).map(Some),
        ["state", "show", ..] => state_show(Args::parse(&raw[2..], &[])?).map(Some),
        ["publish", ..] => publish(Args::parse(&raw[1..], &[])?).map(Some),
        ["prove", "lookup", ..] => prove_lookup(Args::parse(&raw[2..], &[])?).map(Some),
        ["prove", "payout", ..] => prove_payout(Args::parse(&raw[2..], &[])?).map(Some),
        ["verify", "lookup", ..] => verify_lookup(Args::parse(&raw[2..], &[])?).map(Some),
        ["verify", "payout", ..] => verify_payout(Args::parse(&raw[2..], &[])?).map(Some),
        ["demo", ..] => demo::run(Args::parse(&raw[1..], &[])?).map(|_| None),
        ["help" | "--help" | "-h", ..] => {
            println!("{USAGE}");
            Ok(None)
        }
        _ => Err(CliError::usage("unknown command")),
    }
}

fn one_positional<'a>(a: &'a Args, what: &str) -> Result<&'a str, CliError> {
    match a.positional.as_slice() {
        [one] => Ok(one),
        _ => Err(CliError::usage(format!("expected one {what}"))),
    }
}

fn network(a: &Args) -> Result<Network, CliError> {
    Network::from_name(a.opt("network").unwrap_or("mainnet")).map_err(|e| CliError::usage(format!("--network: {e}")))
}

fn key(a: Args) -> Result<Value, CliError> {
    a.only(&["network"])?;
    let addr = parse_address_or_tree(one_positional(&a, "address or ErgoTree")?, network(&a)?)?;
    Ok(json!({
        "address": addr.encode(),
        "network": addr.network.name(),
        "kind": addr.kind.name(),
        "propositionBytes": hex::encode(&addr.proposition_bytes()),
        "key": addr.miner_key().to_hex(),
    }))
}

/// Reads `address,score` lines; `#` comments, blank lines and an `address,score` header are
/// skipped. Errors name the line.
fn read_scores(text: &str) -> Result<Vec<(sharestate::Address, i64, usize)>, CliError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || (n == 1 && line.eq_ignore_ascii_case("address,score")) {
            continue;
        }
        let bad = |m: String| CliError::csv(format!("line {n}: {m}"));
        let (addr, score) = line
            .split_once(',')
            .ok_or_else(|| bad("expected address,score".into()))?;
        let addr = parse_address_or_tree(addr.trim(), Network::Mainnet).map_err(|e| bad(e.to_string()))?;
        let score: i64 = score.trim().parse().map_err(|_| {
            bad(format!(
                "score {:?} is not a whole number from 0 to 9223372036854775807",
                score.trim()
            ))
        })?;
        if score < 0 {
            return Err(bad(format!("score {score} is negative")));
        }
        out.push((addr, score, n));
    }
    if out.is_empty() {
        return Err(CliError::csv("no address,score lines"));
    }
    Ok(out)
}

fn read_snapshot(path: &str) -> Result<ShareState, CliError> {
    let bytes = std::fs::read(path).map_err(|e| CliError::io(path, e))?;
    if bytes.starts_with(b"SSNP") {
        Ok(snapshot::from_bytes(&bytes)?)
    } else {
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError::new(
                ErrorKind::Snapshot.name(),
                format!("{path}: neither binary nor UTF-8 JSON"),
            )
        })?;
        Ok(snapshot::from_json(&text)?)
    }
}

fn write_snapshot(path: &str, state: &mut ShareState) -> Result<(), CliError> {
    let bytes = if path.ends_with(".json") {
        snapshot::to_json(state).into_bytes()
    } else {
        snapshot::to_bytes(state)
    };
    std::fs::write(path, bytes).map_err(|e| CliError::io(path, e))
}

/// Every entry as a Design 1 share value.
fn share_values(state: &ShareState) -> Result<Vec<(Key, ShareValue)>, CliError> {
    state
        .entries()
        .into_iter()
        .map(|(k, v)| {
            ShareValue::from_bytes(v)
                .map(|sv| (k, sv))
                .map_err(|e| CliError::at(format_args!("key {}", hex::encode(&k)), e))
        })
        .collect()
}

fn summary(state: &mut ShareState) -> Result<Value, CliError> {
    let values = share_values(state)?;
    let scores: Vec<i64> = values.iter().map(|(_, v)| v.score).collect();
    let max_score = amount::max_score(&scores)?;
    Ok(json!({
        "digest": state.digest().to_hex(),
        "register": hex::encode(&state.register().to_bytes()),
        "maxScore": max_score,
        "miners": state.len(),
        "paid": values.iter().filter(|(_, v)| v.paid).count(),
    }))
}

fn state_build(a: Args) -> Result<Value, CliError> {
    a.only(&["scores", "out", "scale"])?;
    if !a.positional.is_empty() {
        return Err(CliError::usage("state build takes no positional arguments"));
    }
    let path = a.required("scores")?;
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
    let rows = read_scores(&text)?;
    let mut seen = std::collections::HashMap::new();
    for (addr, _, line) in &rows {
        if let Some(first) = seen.insert(addr.miner_key(), *line) {
            return Err(CliError::csv(format!(
                "line {line}: {addr} is listed already on line {first}"
            )));
        }
    }
    let raw: Vec<i64> = rows.iter().map(|(_, s, _)| *s).collect();
    let scores = match amount::max_score(&raw) {
        Ok(_) => raw,
        Err(amount::ScoreError::SumTooLarge { .. }) if a.switch("scale") => amount::scale_scores(&raw)?,
        Err(e) => return Err(e.into()),
    };
    let scripts: Vec<Vec<u8>> = rows.iter().map(|(addr, _, _)| addr.proposition_bytes()).collect();
    let mut state = posted::scores_state(scripts.iter().map(Vec::as_slice).zip(scores.iter().copied()))?;
    write_snapshot(a.required("out")?, &mut state)?;
    let mut out = summary(&mut state)?;
    out["scaled"] = json!(a.switch("scale") && scores != rows.iter().map(|(_, s, _)| *s).collect::<Vec<_>>());
    Ok(out)
}

/// The proof service of one box as static files; `epochs` lists every box published in `dir`.
fn publish(a: Args) -> Result<Value, CliError> {
    a.only(&["box", "out"])?;
    let started = std::time::Instant::now();
    let mut state = read_snapshot(one_positional(&a, "snapshot")?)?;
    let id = hex::decode_array::<32>(a.required("box")?)
        .map(sharestate::ergo::Id)
        .map_err(|e| CliError::usage(format!("--box: {e}")))?;
    let dir = std::path::PathBuf::from(a.required("out")?);
    for sub in ["snapshot".to_string(), format!("proof/{}", id.to_hex())] {
        let d = dir.join(sub);
        std::fs::create_dir_all(&d).map_err(|e| CliError::io(&d.display().to_string(), e))?;
    }
    let files = sharestate::pool::service::publish(id, &mut state, |path, body| std::fs::write(dir.join(path), body))
        .map_err(|e| match e {
        sharestate::pool::service::PublishError::Write { path, source } => CliError::io(&path, source),
        e @ sharestate::pool::service::PublishError::Prove { .. } => CliError::new(ErrorKind::Proof.name(), e),
    })?;
    // the listing of every box published here, this one replaced or added
    let listing = dir.join("epochs");
    let mut states: Vec<Value> = match std::fs::read_to_string(&listing) {
        Ok(text) => serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["states"].as_array().cloned())
            .ok_or_else(|| CliError::new("IoError", format!("{}: not a listing of epochs", listing.display())))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
        Err(e) => return Err(CliError::io(&listing.display().to_string(), e)),
    };
    states.retain(|s| s["boxId"] != id.to_hex().as_str());
    states.push(sharestate::pool::service::epochs_entry(id, &mut state));
    std::fs::write(&listing, json!({ "states": states }).to_string())
        .map_err(|e| CliError::io(&listing.display().to_string(), e))?;
    Ok(json!({
        "box": id.to_hex(),
        "digest": state.digest().to_hex(),
        "miners": state.len(),
        "files": files + 1,
        "seconds": started.elapsed().as_secs_f64(),
    }))
}

fn state_show(a: Args) -> Result<Value, CliError> {
    a.only(&[])?;
    let mut state = read_snapshot(one_positional(&a, "snapshot")?)?;
    summary(&mut state)
}

/// A miner key given as 64 hex digits, or an address.
fn key_arg(s: &str) -> Result<Key, CliError> {
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(MinerKey::from_hex(s)?.0)
    } else {
        Ok(sharestate::Address::parse(s)?.miner_key().0)
    }
}

fn results(keys: &[Key], values: &[Option<Vec<u8>>]) -> Value {
    keys.iter()
        .zip(values)
        .map(|(k, v)| json!({ "key": hex::encode(k), "value": v.as_ref().map(|v| hex::encode(v)) }))
        .collect()
}

fn prove_lookup(a: Args) -> Result<Value, CliError> {
    a.only(&[])?;
    let (path, keys) = a
        .positional
        .split_first()
        .ok_or_else(|| CliError::usage("prove lookup needs a snapshot and keys"))?;
    if keys.is_empty() {
        return Err(CliError::usage("prove lookup needs at least one key"));
    }
    let mut state = read_snapshot(path)?;
    let keys = keys.iter().map(|k| key_arg(k)).collect::<Result<Vec<_>, _>>()?;
    let p = state.prove_lookups(&keys)?;
    Ok(json!({
        "digest": p.digest_before.to_hex(),
        "proof": hex::encode(&p.proof),
        "results": results(&keys, &p.old_values),
    }))
}

fn prove_payout(a: Args) -> Result<Value, CliError> {
    a.only(&["initial-value", "batch-size", "batch", "height"])?;
    let mut state = read_snapshot(one_positional(&a, "snapshot")?)?;
    let initial_value: i64 = a
        .number("initial-value")?
        .ok_or_else(|| CliError::usage("--initial-value is required"))?;
    let batch_size: usize = a
        .number("batch-size")?
        .ok_or_else(|| CliError::usage("--batch-size is required"))?;
    let batch: usize = a.number("batch")?.unwrap_or(0);
    let height: u32 = a.number("height")?.unwrap_or(demo::DEFAULT_HEIGHT);
    if batch_size == 0 || batch_size > 65533 {
        return Err(CliError::usage("--batch-size must be from 1 to 65533"));
    }
    let values = share_values(&state)?;
    let max_score = amount::max_score(&values.iter().map(|(_, v)| v.score).collect::<Vec<_>>())?;
    let plan = posted::plan(&state, initial_value, max_score, batch_size, height)?;
    let keys = plan.batches.get(batch).ok_or_else(|| {
        CliError::new(
            ErrorKind::Payout.name(),
            format!(
                "batch {batch} does not exist: {} unpaid payable keys make {} batches of {batch_size}",
                plan.payable(),
                plan.batches.len()
            ),
        )
    })?;
    let b = posted::prove_payout(&mut state, keys, initial_value, max_score, false)?;
    Ok(json!({
        "digest": b.digest_before.to_hex(),
        "nextDigest": b.digest_after.to_hex(),
        "contextVars": { "0": b.state_updates.to_hex(), "1": b.proof.to_hex() },
        "payments": b.payments.iter().map(|p| json!({ "key": hex::encode(&p.key), "amount": p.amount.to_string() })).collect::<Vec<_>>(),
        "unpayable": plan.unpayable.iter().map(|k| hex::encode(k)).collect::<Vec<_>>(),
    }))
}

fn verify_lookup(a: Args) -> Result<Value, CliError> {
    a.only(&["digest", "proof"])?;
    let digest = Digest::from_hex(a.required("digest")?)?;
    let proof_bytes = hex::decode(a.required("proof")?).map_err(|e| CliError::at("--proof", ProofError::NotHex(e)))?;
    if a.positional.is_empty() {
        return Err(CliError::usage("verify lookup needs at least one key"));
    }
    let keys = a.positional.iter().map(|k| key_arg(k)).collect::<Result<Vec<_>, _>>()?;
    let values = avl::verify_lookups(&digest, &proof_bytes, &keys, None)?;
    Ok(json!({ "results": results(&keys, &values) }))
}

fn verify_payout(a: Args) -> Result<Value, CliError> {
    a.only(&["digest", "max-score", "initial-value", "context0", "context1"])?;
    let digest = Digest::from_hex(a.required("digest")?)?;
    let max_score: i32 = a
        .number("max-score")?
        .ok_or_else(|| CliError::usage("--max-score is required"))?;
    let initial_value: i64 = a
        .number("initial-value")?
        .ok_or_else(|| CliError::usage("--initial-value is required"))?;
    let c0 = Constant::parse_hex(a.required("context0")?)?;
    let c1 = Constant::parse_hex(a.required("context1")?)?;
    let tree = sharestate::AvlTreeData::share_state(digest);
    let r = posted::replay_payout(&tree, max_score, initial_value, &c0, &c1)?;
    Ok(json!({
        "nextDigest": r.next_digest.to_hex(),
        "payments": r.payments.iter().map(|p| json!({
            "key": hex::encode(&p.key), "score": p.score.to_string(), "amount": p.amount.to_string()
        })).collect::<Vec<_>>(),
    }))
}
