//! wasm-bindgen bindings of the sharestate core: the npm package in `www/`. This crate
//! translates — JS values in and out, errors as JS `Error`s whose `name` is the kind — and holds
//! no logic of its own; `www/api.js` with `www/index.d.ts` and `www/lite.d.ts` give it its
//! typed face.
//!
//! Two builds come from it. Without features it is the package's `sharestate/lite` entry: the
//! verify-and-prove API (miner keys, registers, lookups, payout replay and amounts, a share
//! state that proves lookups and payouts), free of JSON so that it stays small. The default
//! feature `full` adds snapshots, chain data, payout transactions, the clause check, the pool
//! walker and the proof service (module `full`).

use js_sys::{Array, Object, Reflect};
use sharestate::ergo::Constant;
use sharestate::pool::amount as payout;
use sharestate::posted;
use sharestate::{avl as proof, ergo as key};
use sharestate::{hex, Address, Digest, Key, Network, ShareValue};
use wasm_bindgen::prelude::*;

/// A JS `Error` whose `name` says the kind.
fn error(kind: &str, message: impl std::fmt::Display) -> JsValue {
    let e = js_sys::Error::new(&message.to_string());
    e.set_name(kind);
    e.into()
}

/// A JS `TypeError`: an argument of the wrong JS type.
fn type_error(message: impl std::fmt::Display) -> JsValue {
    js_sys::TypeError::new(&message.to_string()).into()
}

type Result<T> = std::result::Result<T, JsValue>;

macro_rules! kind {
    ($kind:literal) => {
        |e| crate::error($kind, e)
    };
}

// after `kind!`, which it uses
#[cfg(feature = "full")]
mod full;

/// A plain JS object of these fields.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        // setting a property of a fresh plain object cannot fail
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

fn array(items: impl IntoIterator<Item = JsValue>) -> JsValue {
    items.into_iter().collect::<Array>().into()
}

fn text(s: impl AsRef<str>) -> JsValue {
    JsValue::from_str(s.as_ref())
}

fn hex_text(bytes: &[u8]) -> JsValue {
    text(hex::encode(bytes))
}

fn hex_or_null(bytes: Option<&[u8]>) -> JsValue {
    bytes.map_or(JsValue::NULL, hex_text)
}

/// The elements of a JS array.
fn list(v: &JsValue, what: &str) -> Result<Vec<JsValue>> {
    if Array::is_array(v) {
        Ok(Array::from(v).to_vec())
    } else {
        Err(type_error(format!("{what}: an array")))
    }
}

/// A string property of a JS object.
fn field(v: &JsValue, name: &str, what: &str) -> Result<String> {
    Reflect::get(v, &text(name))
        .ok()
        .and_then(|f| f.as_string())
        .ok_or_else(|| type_error(format!("{what}.{name}: a string")))
}

fn key32(s: &str) -> Result<Key> {
    hex::decode_array::<32>(s).map_err(|e| error("KeyError", format!("a miner key is 32 bytes of hex: {e}")))
}

/// Miner keys from a JS array of hex strings.
fn keys(v: &JsValue) -> Result<Vec<Key>> {
    list(v, "keys")?
        .iter()
        .enumerate()
        .map(|(i, k)| {
            key32(
                &k.as_string()
                    .ok_or_else(|| type_error(format!("keys[{i}]: a string of hex")))?,
            )
        })
        .collect()
}

fn long(s: &str, what: &str) -> Result<i64> {
    s.parse().map_err(|_| {
        error(
            "AmountError",
            format!("{what} \"{s}\" is not a whole number of signed 64-bit range"),
        )
    })
}

fn network(n: &str) -> Result<Network> {
    match n {
        "" | "mainnet" => Ok(Network::Mainnet),
        "testnet" => Ok(Network::Testnet),
        other => Err(error(
            "AddressError",
            format!("network \"{other}\": mainnet or testnet"),
        )),
    }
}

fn payments(items: impl IntoIterator<Item = (Key, i64, i64)>) -> JsValue {
    array(items.into_iter().map(|(k, score, amount)| {
        object(&[
            ("key", hex_text(&k)),
            ("score", text(score.to_string())),
            ("amount", text(amount.to_string())),
        ])
    }))
}

/// `{address, network, kind, propositionBytes, key}` of an address or ErgoTree hex.
#[wasm_bindgen(js_name = minerKey)]
pub fn miner_key(address_or_tree: &str, network_for_trees: &str) -> Result<JsValue> {
    let a = key::parse_address_or_tree(address_or_tree, network(network_for_trees)?).map_err(kind!("AddressError"))?;
    Ok(object(&[
        ("address", text(a.encode())),
        ("network", text(a.network.name())),
        ("kind", text(a.kind.name())),
        ("propositionBytes", hex_text(&a.proposition_bytes())),
        ("key", text(a.miner_key().to_hex())),
    ]))
}

/// A register or context variable decoded: `{type, value}`.
#[wasm_bindgen(js_name = decodeRegister)]
pub fn decode_register(hex_str: &str) -> Result<JsValue> {
    let c = Constant::parse_hex(hex_str).map_err(kind!("RegisterError"))?;
    let value = match &c {
        Constant::Int(v) => JsValue::from(*v),
        Constant::Long(v) => text(v.to_string()),
        Constant::Bytes(b) => hex_text(b),
        Constant::BytesColl(items) => array(items.iter().map(|b| hex_text(b))),
        Constant::BytePairs(pairs) => array(pairs.iter().map(|(a, b)| array([hex_text(a), hex_text(b)]))),
        Constant::AvlTree(t) => object(&[
            ("digest", text(t.digest.to_hex())),
            ("insertAllowed", t.flags.insert_allowed().into()),
            ("updateAllowed", t.flags.update_allowed().into()),
            ("removeAllowed", t.flags.remove_allowed().into()),
            ("keyLength", t.key_length.into()),
            ("valueLength", t.value_length.map_or(JsValue::NULL, JsValue::from)),
        ]),
    };
    Ok(object(&[("type", text(c.type_name())), ("value", value)]))
}

/// `[{key, value|null}]`: lookups of `keys` (array of hex) verified against `digest`.
#[wasm_bindgen(js_name = verifyLookups)]
pub fn verify_lookups(digest: &str, proof_hex: &str, keys_list: JsValue) -> Result<JsValue> {
    let d = Digest::from_hex(digest).map_err(kind!("ProofError"))?;
    let p = hex::decode(proof_hex).map_err(|e| error("ProofError", format!("the proof is not hex: {e}")))?;
    let ks = keys(&keys_list)?;
    let values = proof::verify_lookups(&d, &p, &ks, None).map_err(kind!("ProofError"))?;
    Ok(lookup_results(&ks, values.iter().map(|v| v.as_deref())))
}

fn lookup_results<'a>(ks: &[Key], values: impl Iterator<Item = Option<&'a [u8]>>) -> JsValue {
    array(
        ks.iter()
            .zip(values)
            .map(|(k, v)| object(&[("key", hex_text(k)), ("value", hex_or_null(v))])),
    )
}

/// `{nextDigest, payments: [{key, score, amount}]}`: a Design 1 payout's context variables
/// replayed against the digest of the share state it spends; only an honest payout passes.
#[wasm_bindgen(js_name = replayPayout)]
pub fn replay_payout(
    digest: &str,
    max_score: i32,
    initial_value: &str,
    context0: &str,
    context1: &str,
) -> Result<JsValue> {
    let tree = sharestate::AvlTreeData::share_state(Digest::from_hex(digest).map_err(kind!("ProofError"))?);
    let c0 = Constant::parse_hex(context0).map_err(kind!("RegisterError"))?;
    let c1 = Constant::parse_hex(context1).map_err(kind!("RegisterError"))?;
    let r = posted::replay_payout(&tree, max_score, long(initial_value, "initialValue")?, &c0, &c1)
        .map_err(kind!("PayoutError"))?;
    Ok(object(&[
        ("nextDigest", text(r.next_digest.to_hex())),
        (
            "payments",
            payments(r.payments.iter().map(|p| (p.key, p.score, p.amount))),
        ),
    ]))
}

/// `score × initialValue / maxScore` with the chain's arithmetic, as a decimal string.
#[wasm_bindgen(js_name = payoutAmount)]
pub fn payout_amount(score: &str, initial_value: &str, max_score: i32) -> Result<String> {
    payout::payout_amount(long(score, "score")?, long(initial_value, "initialValue")?, max_score)
        .map(|a| a.to_string())
        .map_err(kind!("ArithmeticError"))
}

/// A share state: the pool's side (build, prove lookups and payouts; with `full` also
/// snapshots and payout transactions).
#[wasm_bindgen]
pub struct ShareState {
    inner: sharestate::ShareState,
}

#[wasm_bindgen]
impl ShareState {
    /// From `[{key, value}]` (hex), inserted in ascending key order.
    #[wasm_bindgen(js_name = fromEntries)]
    pub fn from_entries(entries: JsValue) -> Result<ShareState> {
        let entries = list(&entries, "entries")?
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let what = format!("entries[{i}]");
                let k = key32(&field(e, "key", &what)?)?;
                let v =
                    hex::decode(&field(e, "value", &what)?).map_err(|x| error("ValueError", format!("{what}: {x}")))?;
                Ok((k, v))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ShareState {
            inner: sharestate::ShareState::from_entries(entries).map_err(kind!("ProverError"))?,
        })
    }

    /// From `[{address, score}]` (score a decimal string): Design 1 values, unpaid, each
    /// address's script recorded (a payout must pay it).
    #[wasm_bindgen(js_name = fromScores)]
    pub fn from_scores(scores: JsValue) -> Result<ShareState> {
        let mut rows = Vec::new();
        for (i, e) in list(&scores, "scores")?.iter().enumerate() {
            let what = format!("scores[{i}]");
            let a = Address::parse(&field(e, "address", &what)?)
                .map_err(|x| error("AddressError", format!("{what}: {x}")))?;
            let s = long(&field(e, "score", &what)?, &format!("{what}.score"))?;
            if s < 0 {
                return Err(error("ScoreError", format!("{what}: negative score {s}")));
            }
            rows.push((a, s));
        }
        let mut inner = sharestate::ShareState::from_entries(
            rows.iter()
                .map(|(a, s)| (a.miner_key().0, ShareValue::unpaid(*s).to_bytes().to_vec())),
        )
        .map_err(kind!("ProverError"))?;
        for (a, _) in &rows {
            inner
                .set_script(a.miner_key().0, a.proposition_bytes())
                .map_err(kind!("ProverError"))?;
        }
        Ok(ShareState { inner })
    }

    pub fn digest(&mut self) -> String {
        self.inner.digest().to_hex()
    }

    /// The R4 register (AvlTree constant) as hex.
    pub fn register(&mut self) -> String {
        hex::encode(&self.inner.register().to_bytes())
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }

    /// A key's value (hex), or undefined.
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.inner.get(&key32(key)?).map(hex::encode))
    }

    /// `{digest, proof, results: [{key, value|null}]}` for `keys` (array of hex).
    #[wasm_bindgen(js_name = proveLookups)]
    pub fn prove_lookups(&mut self, keys_list: JsValue) -> Result<JsValue> {
        let ks = keys(&keys_list)?;
        let p = self.inner.prove_lookups(&ks).map_err(kind!("ProverError"))?;
        Ok(object(&[
            ("digest", text(p.digest_before.to_hex())),
            ("proof", hex_text(&p.proof)),
            (
                "results",
                lookup_results(&ks, p.old_values.iter().map(|v| v.as_deref())),
            ),
        ]))
    }

    /// `{batches: [[key]], unpayable: [key]}`: the unpaid keys in ascending order, in batches.
    pub fn plan(&self, initial_value: &str, max_score: i32, batch_size: usize, height: u32) -> Result<JsValue> {
        let p = posted::plan(
            &self.inner,
            long(initial_value, "initialValue")?,
            max_score,
            batch_size,
            height,
        )
        .map_err(kind!("PayoutError"))?;
        let hexes = |ks: &[Key]| array(ks.iter().map(|k| hex_text(k)));
        Ok(object(&[
            ("batches", array(p.batches.iter().map(|b| hexes(b)))),
            ("unpayable", hexes(&p.unpayable)),
        ]))
    }

    /// `{digest, nextDigest, contextVars: {"0", "1"}, payments: [{key, score, amount}]}` for a
    /// payout of `keys`; with `apply` the state moves on.
    #[wasm_bindgen(js_name = provePayout)]
    pub fn prove_payout(
        &mut self,
        keys_list: JsValue,
        initial_value: &str,
        max_score: i32,
        apply: bool,
    ) -> Result<JsValue> {
        let b = posted::prove_payout(
            &mut self.inner,
            &keys(&keys_list)?,
            long(initial_value, "initialValue")?,
            max_score,
            apply,
        )
        .map_err(kind!("PayoutError"))?;
        Ok(object(&[
            ("digest", text(b.digest_before.to_hex())),
            ("nextDigest", text(b.digest_after.to_hex())),
            (
                "contextVars",
                object(&[("0", text(b.state_updates.to_hex())), ("1", text(b.proof.to_hex()))]),
            ),
            (
                "payments",
                payments(b.payments.iter().map(|p| (p.key, p.score, p.amount))),
            ),
        ]))
    }
}
