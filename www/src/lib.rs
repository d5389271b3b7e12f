//! wasm-bindgen bindings of the sharestate core: the npm package of this folder (`www/`). This crate
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
use sharestate::ergo::{parse_address_or_tree, Constant, MinerKey};
use sharestate::pool::{parse_amount, payout_amount as amount_of, ValueError};
use sharestate::posted::{self, scores_state};
use sharestate::{avl, hex, Address, Digest, ErrorKind, HasKind, Key, Network, ProofError};
use wasm_bindgen::prelude::*;

/// What a binding throws: a JS `Error` whose `name` is the core error's kind
/// (`sharestate::ErrorKind::name`), or a `TypeError` for an argument of the wrong JS type.
/// Every core error becomes one here, through the one `From` below.
pub struct Thrown(JsValue);

impl<E: HasKind> From<E> for Thrown {
    fn from(e: E) -> Thrown {
        Thrown::kind(e.kind(), &e)
    }
}

impl From<Thrown> for JsValue {
    fn from(t: Thrown) -> JsValue {
        t.0
    }
}

impl Thrown {
    /// (Not generic, so that each error type adds only a call here to the module.)
    fn kind(kind: ErrorKind, message: &dyn std::fmt::Display) -> Thrown {
        let e = js_sys::Error::new(&message.to_string());
        e.set_name(kind.name());
        Thrown(e.into())
    }

    /// A core error about the argument `at` (`scores[3]`): its kind, its message after `at`.
    fn at<E: HasKind>(at: &str, e: E) -> Thrown {
        Thrown::kind(e.kind(), &format_args!("{at}: {e}"))
    }

    /// A JS `TypeError`: an argument of the wrong JS type.
    fn type_error(message: impl std::fmt::Display) -> Thrown {
        Thrown(js_sys::TypeError::new(&message.to_string()).into())
    }
}

type Result<T> = std::result::Result<T, Thrown>;

#[cfg(feature = "full")]
mod balance;
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
        Err(Thrown::type_error(format!("{what}: an array")))
    }
}

/// A string property of a JS object.
fn field(v: &JsValue, name: &str, what: &str) -> Result<String> {
    Reflect::get(v, &text(name))
        .ok()
        .and_then(|f| f.as_string())
        .ok_or_else(|| Thrown::type_error(format!("{what}.{name}: a string")))
}

fn key32(s: &str) -> Result<Key> {
    Ok(MinerKey::from_hex(s)?.0)
}

/// Miner keys from a JS array of hex strings.
fn keys(v: &JsValue) -> Result<Vec<Key>> {
    list(v, "keys")?
        .iter()
        .enumerate()
        .map(|(i, k)| {
            key32(
                &k.as_string()
                    .ok_or_else(|| Thrown::type_error(format!("keys[{i}]: a string of hex")))?,
            )
        })
        .collect()
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
    let a = parse_address_or_tree(address_or_tree, Network::from_name(network_for_trees)?)?;
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
    let c = Constant::parse_hex(hex_str)?;
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
    let d = Digest::from_hex(digest)?;
    let p = hex::decode(proof_hex).map_err(ProofError::NotHex)?;
    let ks = keys(&keys_list)?;
    let values = avl::verify_lookups(&d, &p, &ks, None)?;
    Ok(lookup_results(&ks, values.iter().map(|v| v.as_deref())))
}

fn lookup_results<'a>(ks: &[Key], values: impl Iterator<Item = Option<&'a [u8]>>) -> JsValue {
    array(
        ks.iter()
            .zip(values)
            .map(|(k, v)| object(&[("key", hex_text(k)), ("value", hex_or_null(v))])),
    )
}

/// `{digest, proof, results: [{key, value|null}]}`: a tree's proof of the lookups of `keys_list`
/// (array of hex), for both designs' states.
fn prove_lookups(state: &mut sharestate::ShareState, keys_list: &JsValue) -> Result<JsValue> {
    let ks = keys(keys_list)?;
    let p = state.prove_lookups(&ks)?;
    Ok(object(&[
        ("digest", text(p.digest_before.to_hex())),
        ("proof", hex_text(&p.proof)),
        (
            "results",
            lookup_results(&ks, p.old_values.iter().map(|v| v.as_deref())),
        ),
    ]))
}

/// `{nextDigest, payments: [{key, score, amount}]}` as JSON text (one string across to
/// JavaScript, parsed there, costs a fraction of building each of hundreds of objects through
/// the boundary): a Design 1 payout's context variables replayed against the digest of the
/// share state it spends; only an honest payout passes.
#[wasm_bindgen(js_name = replayPayout)]
pub fn replay_payout(
    digest: &str,
    max_score: i32,
    initial_value: &str,
    context0: &str,
    context1: &str,
) -> Result<String> {
    use std::fmt::Write;
    let tree = sharestate::AvlTreeData::share_state(Digest::from_hex(digest)?);
    let c0 = Constant::parse_hex(context0)?;
    let c1 = Constant::parse_hex(context1)?;
    let r = posted::replay_payout(&tree, max_score, parse_amount(initial_value, "initialValue")?, &c0, &c1)?;
    // hex and decimal numbers only: nothing to escape
    let mut json = String::with_capacity(64 + r.payments.len() * 120);
    let _ = write!(json, r#"{{"nextDigest":"{}","payments":["#, r.next_digest.to_hex());
    for (i, p) in r.payments.iter().enumerate() {
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(
            json,
            r#"{comma}{{"key":"{}","score":"{}","amount":"{}"}}"#,
            hex::encode(&p.key),
            p.score,
            p.amount
        );
    }
    json.push_str("]}");
    Ok(json)
}

/// `score × initialValue / maxScore` with the chain's arithmetic, as a decimal string.
#[wasm_bindgen(js_name = payoutAmount)]
pub fn payout_amount(score: &str, initial_value: &str, max_score: i32) -> Result<String> {
    let a = amount_of(
        parse_amount(score, "score")?,
        parse_amount(initial_value, "initialValue")?,
        max_score,
    )?;
    Ok(a.to_string())
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
                let v = hex::decode(&field(e, "value", &what)?).map_err(|x| Thrown::at(&what, ValueError::Hex(x)))?;
                Ok((k, v))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ShareState {
            inner: sharestate::ShareState::from_entries(entries)?,
        })
    }

    /// From `[{address, score}]` (score a decimal string): Design 1 values, unpaid, each
    /// address's script recorded (a payout must pay it).
    #[wasm_bindgen(js_name = fromScores)]
    pub fn from_scores(scores: JsValue) -> Result<ShareState> {
        let mut rows = Vec::new();
        for (i, e) in list(&scores, "scores")?.iter().enumerate() {
            let what = format!("scores[{i}]");
            let a = Address::parse(&field(e, "address", &what)?).map_err(|e| Thrown::at(&what, e))?;
            let s = parse_amount(&field(e, "score", &what)?, &format!("{what}.score"))?;
            rows.push((a.proposition_bytes(), s));
        }
        Ok(ShareState {
            inner: scores_state(rows.iter().map(|(p, s)| (p.as_slice(), *s)))?,
        })
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
        prove_lookups(&mut self.inner, &keys_list)
    }

    /// `{batches: [[key]], unpayable: [key]}`: the unpaid keys in ascending order, in batches.
    pub fn plan(&self, initial_value: &str, max_score: i32, batch_size: usize, height: u32) -> Result<JsValue> {
        let p = posted::plan(
            &self.inner,
            parse_amount(initial_value, "initialValue")?,
            max_score,
            batch_size,
            height,
        )?;
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
            parse_amount(initial_value, "initialValue")?,
            max_score,
            apply,
        )?;
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
