//! Snapshots: a whole share state, to publish (anyone can recompute its digest and audit every
//! score) or to keep. Two forms of one content, both versioned:
//!
//! **JSON** (to read), format `sharestate-snapshot`, version 1:
//!
//! ```json
//! { "format": "sharestate-snapshot", "version": 1,
//!   "digest": "<33 bytes hex>", "keyLength": 32, "valueLength": null,
//!   "entries": [ { "key": "<hex>", "value": "<hex>", "script": "<hex, optional>" }, … ],
//!   "shape": "..0.+…" }
//! ```
//!
//! `entries` are in ascending key order. `script`, when present, is the miner's proposition
//! bytes (its hash must be the key): a pool needs it to pay the miner. `shape` fixes the tree's
//! form, which the same entries can take in many ways (a digest depends on the order of the
//! operations that built the tree): one character per node in post-order, `.` for a leaf (the
//! first is the sentinel leaf of key 0…0 and empty value, then the entries in order), and `-`,
//! `0`, `+` for an internal node of balance −1, 0, +1.
//!
//! **Binary** (to ship): `"SSNP"` ‖ version (1) ‖ digest (33) ‖ key length (1, = 32) ‖
//! value length (u32 big-endian, `0xffffffff` = variable) ‖ the whole tree packed as a proof
//! packs it (every node present, so every leaf after the first omits its key) ‖ script count
//! (u32) ‖ per script: key (32) ‖ length (u32) ‖ bytes. All integers big-endian.
//!
//! Importing either form rebuilds the tree, checks that it is a well-formed AVL+ tree (keys
//! ascending and chained, every balance equal to the difference of its subtrees' heights, the
//! root's height equal to the digest's) and recomputes the digest; a mismatch is refused.

use crate::avl::packed::{parse_packed, PackedTreeSink};
use crate::avl::tree::{Key, NodeRef, Tree, KEY_LENGTH, NEGATIVE_INFINITY, POSITIVE_INFINITY};
use crate::avl::{Digest, ProofError, ProverError, ShareState};
use crate::encoding::{hex, ReadError, Reader};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The JSON snapshot's `format`.
pub const FORMAT: &str = "sharestate-snapshot";
/// The version this code reads and writes.
pub const VERSION: u32 = 1;
const MAGIC: &[u8; 4] = b"SSNP";
const VARIABLE: u32 = u32::MAX;

/// Why a snapshot was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SnapshotError {
    #[error("not JSON of a snapshot: {0}")]
    Json(String),
    #[error("format \"{found}\" is not \"{FORMAT}\"")]
    Format { found: String },
    #[error("version {found} is not supported (this is version {VERSION})")]
    Version { found: u32 },
    #[error("not a binary snapshot (it does not start with SSNP)")]
    Magic,
    #[error("only {KEY_LENGTH}-byte keys are supported, the snapshot has {found}")]
    KeyLength { found: usize },
    #[error("{field}: {message}")]
    Field { field: String, message: String },
    #[error("the snapshot {0}")]
    Read(#[from] ReadError),
    #[error("{count} bytes follow the snapshot's end")]
    Trailing { count: usize },
    #[error("the tree: {0}")]
    Tree(#[from] ProofError),
    #[error("the tree is malformed at node {node}: {problem}")]
    Malformed { node: usize, problem: String },
    #[error("the snapshot says digest {declared}, its tree has {computed}")]
    DigestMismatch { declared: String, computed: String },
    #[error(transparent)]
    Script(#[from] ProverError),
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsonSnapshot {
    format: String,
    version: u32,
    digest: String,
    key_length: usize,
    value_length: Option<u32>,
    entries: Vec<JsonEntry>,
    shape: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonEntry {
    key: String,
    value: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    script: Option<String>,
}

/// Builds a complete tree node by node in post-order, checking it as it goes: no recursion,
/// whatever the input.
struct Builder {
    tree: Tree,
    /// Per finished subtree: its root, smallest key, the next key of its last leaf, height.
    stack: Vec<(NodeRef, Key, Key, u8)>,
    nodes: usize,
}

impl Builder {
    fn new(value_length: Option<usize>) -> Builder {
        Builder {
            tree: Tree::unrooted(value_length),
            stack: Vec::new(),
            nodes: 0,
        }
    }

    fn malformed(&self, problem: impl Into<String>) -> SnapshotError {
        SnapshotError::Malformed {
            node: self.nodes,
            problem: problem.into(),
        }
    }

    fn leaf(&mut self, key: Key, value: &[u8], next: Key) -> Result<(), SnapshotError> {
        if key >= next {
            return Err(self.malformed("a leaf's key is not below its next key"));
        }
        if let Some(l) = self.tree.value_length {
            if value.len() != l {
                return Err(self.malformed(format!("a value of {} bytes in a tree of {l}-byte values", value.len())));
            }
        }
        let r = self
            .tree
            .push_leaf(key, value, next)
            .map_err(|e| self.malformed(e.to_string()))?;
        self.stack.push((r, key, next, 0));
        self.nodes += 1;
        Ok(())
    }

    fn internal(&mut self, balance: i8) -> Result<(), SnapshotError> {
        let (Some(right), Some(left)) = (self.stack.pop(), self.stack.pop()) else {
            return Err(self.malformed("an internal node without two children"));
        };
        if left.2 != right.1 {
            return Err(self.malformed("the left subtree's last next key is not the right subtree's first key"));
        }
        if balance as i16 != right.3 as i16 - left.3 as i16 {
            return Err(self.malformed(format!(
                "balance {balance} but the subtrees' heights are {} and {}",
                left.3, right.3
            )));
        }
        let r = self
            .tree
            .push_internal(right.1, left.0, right.0, balance)
            .map_err(|e| self.malformed(e.to_string()))?;
        self.stack.push((r, left.1, right.2, left.3.max(right.3) + 1));
        self.nodes += 1;
        Ok(())
    }

    fn finish(mut self, declared: &Digest, scripts: BTreeMap<Key, Vec<u8>>) -> Result<ShareState, SnapshotError> {
        let [(root, min, next, height)] = self.stack[..] else {
            return Err(self.malformed(format!("{} subtrees remain instead of one", self.stack.len())));
        };
        if min != NEGATIVE_INFINITY || next != POSITIVE_INFINITY {
            return Err(self.malformed("the tree does not run from the sentinel key 0…0 to ff…ff"));
        }
        if self.tree.leaves[0].value.len != 0 && self.tree.value_length.is_none() {
            return Err(self.malformed("the sentinel leaf's value is not empty"));
        }
        self.tree.root = root;
        self.tree.height = height as usize;
        let computed = Digest(self.tree.digest().unwrap_or([0; 33]));
        if computed != *declared {
            return Err(SnapshotError::DigestMismatch {
                declared: declared.to_hex(),
                computed: computed.to_hex(),
            });
        }
        let mut state = ShareState::from_tree(self.tree, BTreeMap::new());
        for (key, script) in scripts {
            state.set_script(key, script)?;
        }
        Ok(state)
    }
}

impl PackedTreeSink for Builder {
    type Error = SnapshotError;
    fn label(&mut self, offset: usize, _: [u8; 32]) -> Result<(), SnapshotError> {
        Err(SnapshotError::Malformed {
            node: self.nodes,
            problem: format!("byte {offset} gives a subtree by its label; a snapshot holds every node"),
        })
    }
    fn leaf(&mut self, _: usize, key: Key, value: &[u8], next: Key) -> Result<(), SnapshotError> {
        Builder::leaf(self, key, value, next)
    }
    fn internal(&mut self, _: usize, balance: i8) -> Result<(), SnapshotError> {
        Builder::internal(self, balance)
    }
}

/// Visits the tree in post-order without recursion.
fn post_order(tree: &Tree, mut visit: impl FnMut(NodeRef)) {
    let mut stack = vec![(tree.root, false)];
    while let Some((n, expanded)) = stack.pop() {
        match tree.internal(n) {
            Ok(node) if !expanded => {
                stack.push((n, true));
                stack.push((node.right, false));
                stack.push((node.left, false));
            }
            _ => visit(n),
        }
    }
}

fn field(name: &str, e: impl std::fmt::Display) -> SnapshotError {
    SnapshotError::Field {
        field: name.to_string(),
        message: e.to_string(),
    }
}

/// The JSON form.
pub fn to_json(state: &mut ShareState) -> String {
    let digest = state.digest().to_hex();
    let tree = state.tree();
    let mut shape = String::with_capacity(2 * state.len() + 1);
    post_order(tree, |n| {
        shape.push(match tree.internal(n) {
            Ok(node) => match node.balance {
                -1 => '-',
                0 => '0',
                _ => '+',
            },
            Err(_) => '.',
        })
    });
    let entries = state
        .entries()
        .into_iter()
        .map(|(key, value)| JsonEntry {
            key: hex::encode(&key),
            value: hex::encode(value),
            script: state.script(&key).map(hex::encode),
        })
        .collect();
    let s = JsonSnapshot {
        format: FORMAT.into(),
        version: VERSION,
        digest,
        key_length: KEY_LENGTH,
        value_length: tree.value_length.map(|l| l as u32),
        entries,
        shape,
    };
    serde_json::to_string_pretty(&s).unwrap_or_default()
}

/// Reads the JSON form; see the module documentation for what is checked.
pub fn from_json(text: &str) -> Result<ShareState, SnapshotError> {
    let s: JsonSnapshot = serde_json::from_str(text).map_err(|e| SnapshotError::Json(e.to_string()))?;
    if s.format != FORMAT {
        return Err(SnapshotError::Format { found: s.format });
    }
    if s.version != VERSION {
        return Err(SnapshotError::Version { found: s.version });
    }
    if s.key_length != KEY_LENGTH {
        return Err(SnapshotError::KeyLength { found: s.key_length });
    }
    let declared = Digest::from_hex(&s.digest).map_err(|e| field("digest", e))?;
    let mut keys = Vec::with_capacity(s.entries.len());
    let mut values = Vec::with_capacity(s.entries.len());
    let mut scripts = BTreeMap::new();
    for (i, e) in s.entries.iter().enumerate() {
        let key = hex::decode_array::<KEY_LENGTH>(&e.key).map_err(|err| field(&format!("entries[{i}].key"), err))?;
        values.push(hex::decode(&e.value).map_err(|err| field(&format!("entries[{i}].value"), err))?);
        if let Some(script) = &e.script {
            scripts.insert(
                key,
                hex::decode(script).map_err(|err| field(&format!("entries[{i}].script"), err))?,
            );
        }
        keys.push(key);
    }
    let mut b = Builder::new(s.value_length.map(|l| l as usize));
    let mut next_leaf = 0usize; // 0 is the sentinel, then entry i is leaf i + 1
    let key_of = |i: usize| if i == 0 { NEGATIVE_INFINITY } else { keys[i - 1] };
    for (position, c) in s.shape.chars().enumerate() {
        match c {
            '.' => {
                if next_leaf > keys.len() {
                    return Err(field(
                        "shape",
                        format!("more leaves than entries at position {position}"),
                    ));
                }
                let next = if next_leaf == keys.len() {
                    POSITIVE_INFINITY
                } else {
                    keys[next_leaf]
                };
                let sentinel_value = vec![0u8; b.tree.value_length.unwrap_or(0)];
                let value = if next_leaf == 0 {
                    &sentinel_value
                } else {
                    &values[next_leaf - 1]
                };
                b.leaf(key_of(next_leaf), value, next)?;
                next_leaf += 1;
            }
            '-' => b.internal(-1)?,
            '0' => b.internal(0)?,
            '+' => b.internal(1)?,
            other => {
                return Err(field(
                    "shape",
                    format!(
                        "'{}' at position {position} is not one of . - 0 +",
                        other.escape_default()
                    ),
                ))
            }
        }
    }
    if next_leaf != keys.len() + 1 {
        return Err(field(
            "shape",
            format!("{next_leaf} leaves for {} entries and the sentinel", keys.len()),
        ));
    }
    b.finish(&declared, scripts)
}

/// The binary form.
pub fn to_bytes(state: &mut ShareState) -> Vec<u8> {
    let digest = state.digest();
    let tree = state.tree();
    let mut out = Vec::with_capacity(64 + 48 * state.len());
    out.extend_from_slice(MAGIC);
    out.push(VERSION as u8);
    out.extend_from_slice(&digest.0);
    out.push(KEY_LENGTH as u8);
    out.extend_from_slice(&tree.value_length.map(|l| l as u32).unwrap_or(VARIABLE).to_be_bytes());
    let mut first = true;
    post_order(tree, |n| match (tree.leaf(n), tree.internal(n)) {
        (Ok(leaf), _) => {
            out.push(2);
            if first {
                out.extend_from_slice(&leaf.key);
                first = false;
            }
            out.extend_from_slice(&leaf.next);
            if tree.value_length.is_none() {
                out.extend_from_slice(&leaf.value.len.to_be_bytes());
            }
            out.extend_from_slice(tree.value(leaf.value));
        }
        (_, Ok(node)) => out.push(node.balance as u8),
        _ => {}
    });
    out.push(4);
    out.extend_from_slice(&(state.scripts().len() as u32).to_be_bytes());
    for (key, script) in state.scripts() {
        out.extend_from_slice(key);
        out.extend_from_slice(&(script.len() as u32).to_be_bytes());
        out.extend_from_slice(script);
    }
    out
}

/// Reads the binary form; see the module documentation for what is checked.
pub fn from_bytes(bytes: &[u8]) -> Result<ShareState, SnapshotError> {
    let mut r = Reader::new(bytes);
    if r.take(4, "the magic")? != MAGIC {
        return Err(SnapshotError::Magic);
    }
    let version = r.byte("the version")? as u32;
    if version != VERSION {
        return Err(SnapshotError::Version { found: version });
    }
    let declared = Digest(r.array("the digest")?);
    let key_length = r.byte("the key length")? as usize;
    if key_length != KEY_LENGTH {
        return Err(SnapshotError::KeyLength { found: key_length });
    }
    let value_length = match r.u32_be("the value length")? {
        VARIABLE => None,
        l => Some(l as usize),
    };
    let mut b = Builder::new(value_length);
    let end_of_tree = parse_packed(r.rest(), value_length, &mut b)?;
    r.skip(end_of_tree + 1, "the tree")?;
    let count = r.u32_be("the script count")?;
    let mut scripts = BTreeMap::new();
    for _ in 0..count {
        let key = r.array("a script's key")?;
        let len = r.u32_be("a script's length")? as usize;
        scripts.insert(key, r.take(len, "a script")?.to_vec());
    }
    if r.remaining() != 0 {
        return Err(SnapshotError::Trailing { count: r.remaining() });
    }
    b.finish(&declared, scripts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avl::Operation;

    fn state() -> ShareState {
        let mut s = ShareState::from_entries(
            (1..=50u32).map(|i| (crate::encoding::hash::blake2b256(&i.to_be_bytes()), vec![i as u8; 9])),
        )
        .unwrap();
        // a shape that sorted inserts alone would not give
        let ops: Vec<Operation> = (1..=10u32)
            .map(|i| Operation::Remove(crate::encoding::hash::blake2b256(&(i * 3).to_be_bytes())))
            .collect();
        s.prove(&ops).unwrap();
        let script = vec![0x00, 0x08, 0xcd, 0x02, 0x01];
        let key = crate::encoding::hash::blake2b256(&script);
        s.prove(&[Operation::Insert(key, vec![7; 9])]).unwrap();
        s.set_script(key, script).unwrap();
        s
    }

    #[crate::test]
    fn json_round_trip_keeps_digest_entries_and_scripts() {
        let mut s = state();
        let json = to_json(&mut s);
        let mut back = from_json(&json).unwrap();
        assert_eq!(back.digest(), s.digest());
        assert_eq!(back.entries(), s.entries());
        assert_eq!(back.scripts(), s.scripts());
        // and the imported state proves like the original
        let k = s.keys()[5];
        assert_eq!(back.prove_lookups(&[k]).unwrap(), s.prove_lookups(&[k]).unwrap());
    }

    #[crate::test]
    fn binary_round_trip_keeps_everything_and_is_compact() {
        let mut s = state();
        let bytes = to_bytes(&mut s);
        let mut back = from_bytes(&bytes).unwrap();
        assert_eq!(back.digest(), s.digest());
        assert_eq!(back.entries(), s.entries());
        assert_eq!(back.scripts(), s.scripts());
        // 41 entries: key 32 + next 32… no: next 32 + length 4 + value 9 + tag 1 per leaf, 1 per internal node
        assert!(bytes.len() < 64 + 42 * 47 + 41 + 50, "{}", bytes.len());
    }

    #[crate::test]
    fn a_tampered_snapshot_is_refused() {
        let mut s = state();
        let json = to_json(&mut s);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let first_value = v["entries"][0]["value"].as_str().unwrap().to_string();
        let changed = json.replacen(&first_value, &"00".repeat(9), 1);
        assert!(matches!(from_json(&changed), Err(SnapshotError::DigestMismatch { .. })));

        let mut bytes = to_bytes(&mut s);
        let n = bytes.len();
        bytes[n / 2] ^= 0x40;
        assert!(from_bytes(&bytes).is_err());
        assert!(matches!(
            from_bytes(&bytes[..n - 3]),
            Err(SnapshotError::Read(ReadError::Truncated { .. }))
        ));
        assert!(matches!(from_bytes(b"XXXX"), Err(SnapshotError::Magic)));
    }

    #[crate::test]
    fn an_unbalanced_shape_is_refused_even_with_its_own_digest() {
        // a left-leaning chain: three leaves, two internal nodes, balances claiming 0
        let mut t = Tree::unrooted(None);
        let k1 = [1u8; 32];
        let k2 = [2u8; 32];
        let a = t.push_leaf(NEGATIVE_INFINITY, &[], k1).unwrap();
        let b = t.push_leaf(k1, &[1], k2).unwrap();
        let c = t.push_leaf(k2, &[2], POSITIVE_INFINITY).unwrap();
        let ab = t.push_internal(k1, a, b, 0).unwrap();
        t.root = t.push_internal(k2, ab, c, 0).unwrap();
        t.height = 2;
        let digest = Digest(t.digest().unwrap());
        let json = serde_json::json!({
            "format": FORMAT, "version": 1, "digest": digest.to_hex(), "keyLength": 32, "valueLength": null,
            "entries": [{"key": hex::encode(&k1), "value": "01"}, {"key": hex::encode(&k2), "value": "02"}],
            "shape": "..0.0"
        });
        let e = from_json(&json.to_string()).unwrap_err();
        assert!(matches!(e, SnapshotError::Malformed { node: 4, .. }), "{e}");
    }

    #[crate::test]
    fn wrong_format_version_and_fields_are_named() {
        let mut s = state();
        let json = to_json(&mut s);
        assert!(matches!(
            from_json(&json.replace(FORMAT, "other")),
            Err(SnapshotError::Format { .. })
        ));
        assert!(matches!(
            from_json(&json.replace("\"version\": 1", "\"version\": 2")),
            Err(SnapshotError::Version { found: 2 })
        ));
        assert!(matches!(from_json("{"), Err(SnapshotError::Json(_))));
    }
}
