//! The authenticated AVL+ tree shared by the verifier ([`verifier`](super::verifier)) and the prover
//! ([`prover`](super::prover)): an arena of nodes, their labels, and the batch operations of
//! Reyzin, Leontiev, Meshkov, Reshetnikov (<https://eprint.iacr.org/2016/994>) as Ergo runs
//! them (Scala `scorex.crypto.authds.avltree.batch`, crate `ergo_avltree_rust`).
//!
//! One algorithm serves both sides. What differs — how to choose a direction at an internal
//! node, whether a leaf holds the key, how to replay comparisons for a deletion — is asked of
//! a [`Navigator`]: the prover compares keys and records direction bits, the verifier reads
//! them from the proof. Nothing here panics on any input: a tree reconstructed from a
//! malicious proof can hold label-only nodes, impossible shapes or exhausted directions, and
//! every such case is an [`OpError`].
//!
//! Nodes created since the last proof ("new" nodes, at or after the `new_*_from` indices) are
//! changed in place; older ones are copied on write, so the tree as of the last proof stays
//! intact for packing the next proof.

use crate::encoding::hash::blake2b256_parts;
use thiserror::Error;

/// Length of every key in a share state (blake2b-256 of a proposition).
pub const KEY_LENGTH: usize = 32;
/// A tree key.
pub type Key = [u8; KEY_LENGTH];
/// A node label: blake2b-256.
pub type Label = [u8; 32];

/// The key of the sentinel leaf every tree starts with; no real key may equal it.
pub const NEGATIVE_INFINITY: Key = [0u8; KEY_LENGTH];
/// The `next` key of the last leaf; no real key may equal it.
pub const POSITIVE_INFINITY: Key = [0xffu8; KEY_LENGTH];

/// An operation on the tree, as the contract's `getMany` / `insert` / `update` /
/// `insertOrUpdate` / `remove` perform them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Read the value of a key, or prove it absent.
    Lookup(Key),
    /// Add a key that must not exist.
    Insert(Key, Vec<u8>),
    /// Replace the value of a key that must exist.
    Update(Key, Vec<u8>),
    /// Insert or replace.
    InsertOrUpdate(Key, Vec<u8>),
    /// Delete a key that must exist.
    Remove(Key),
}

impl Operation {
    /// The key the operation is about.
    pub fn key(&self) -> &Key {
        match self {
            Operation::Lookup(k)
            | Operation::Insert(k, _)
            | Operation::Update(k, _)
            | Operation::InsertOrUpdate(k, _)
            | Operation::Remove(k) => k,
        }
    }

    /// What the operation does to a key whose current value is `present` (or absent).
    fn effect(&self, present: bool) -> Result<Effect<'_>, OpError> {
        match (self, present) {
            (Operation::Lookup(_), _) => Ok(Effect::Nothing),
            (Operation::Insert(_, v), false) => Ok(Effect::Set(v)),
            (Operation::Insert(..), true) => Err(OpError::KeyExists),
            (Operation::Update(_, v), true) => Ok(Effect::Set(v)),
            (Operation::Update(..), false) => Err(OpError::KeyNotFound),
            (Operation::InsertOrUpdate(_, v), _) => Ok(Effect::Set(v)),
            (Operation::Remove(_), true) => Ok(Effect::Delete),
            (Operation::Remove(_), false) => Err(OpError::KeyNotFound),
        }
    }
}

enum Effect<'a> {
    Nothing,
    Set(&'a [u8]),
    Delete,
}

/// Why one operation failed. The verifier turns these into [`ProofError`](super::ProofError).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OpError {
    #[error("the key is the all-zero or all-0xff key, which the tree reserves")]
    ReservedKey,
    #[error("the key already exists")]
    KeyExists,
    #[error("the key does not exist")]
    KeyNotFound,
    #[error("the value has {found} bytes but this tree's values have {expected}")]
    ValueLength { expected: usize, found: usize },
    #[error("the value is longer than 2^32 - 1 bytes")]
    ValueTooLong,
    #[error("the proof's directions end before the operation reached a leaf")]
    DirectionsExhausted,
    #[error("the path leads to a subtree that the proof gives only by its label")]
    MissingNode,
    #[error("the proof leads to a leaf that neither holds the key nor brackets it")]
    WrongLeaf,
    #[error("the proof's tree shape is impossible for an AVL tree ({0})")]
    Shape(&'static str),
    #[error("the tree grew too large for this implementation")]
    TooLarge,
}

/// A reference to a node: two tag bits and a 30-bit index into its arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodeRef(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Leaf,
    Internal,
    LabelOnly,
}

const TAG_SHIFT: u32 = 30;
const INDEX_MASK: u32 = (1 << TAG_SHIFT) - 1;

impl NodeRef {
    fn new(kind: Kind, index: usize) -> Result<NodeRef, OpError> {
        let index = u32::try_from(index)
            .ok()
            .filter(|i| *i <= INDEX_MASK)
            .ok_or(OpError::TooLarge)?;
        let tag = match kind {
            Kind::Leaf => 0,
            Kind::Internal => 1,
            Kind::LabelOnly => 2,
        };
        Ok(NodeRef((tag << TAG_SHIFT) | index))
    }
    pub(crate) fn kind(self) -> Kind {
        match self.0 >> TAG_SHIFT {
            0 => Kind::Leaf,
            1 => Kind::Internal,
            _ => Kind::LabelOnly,
        }
    }
    pub(crate) fn index(self) -> usize {
        (self.0 & INDEX_MASK) as usize
    }
}

/// Where a value's bytes sit in [`Tree::values`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub(crate) key: Key,
    pub(crate) next: Key,
    pub(crate) value: Span,
    label: Option<Label>,
    visited: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Internal {
    /// The smallest key of the right subtree (the prover navigates by it; the verifier,
    /// which never sees it, leaves it zero).
    pub(crate) key: Key,
    pub(crate) left: NodeRef,
    pub(crate) right: NodeRef,
    pub(crate) balance: i8,
    label: Option<Label>,
    visited: bool,
}

/// Result of [`Tree::modify`] on a subtree.
struct Modified {
    node: NodeRef,
    changed: bool,
    height_increased: bool,
    to_delete: bool,
    old_value: Option<Span>,
}

/// What the prover and the verifier decide differently.
pub(crate) trait Navigator {
    /// At internal node `node`, searching for `key`: go left?
    fn next_direction_is_left(&mut self, tree: &Tree, key: &Key, node: &Internal) -> Result<bool, OpError>;
    /// Does `leaf` hold `key` (true), or bracket it (false)? Anything else is an error.
    fn key_matches_leaf(&mut self, key: &Key, leaf: &Leaf) -> Result<bool, OpError>;
    /// During a deletion's second descent: the next comparison of the key with the node's key.
    fn replay_comparison(&mut self) -> Result<i8, OpError>;
}

/// An AVL+ tree in arenas. See the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub(crate) leaves: Vec<Leaf>,
    pub(crate) internals: Vec<Internal>,
    pub(crate) label_only: Vec<Label>,
    pub(crate) values: Vec<u8>,
    pub(crate) root: NodeRef,
    pub(crate) height: usize,
    pub(crate) value_length: Option<usize>,
    new_leaves_from: usize,
    new_internals_from: usize,
}

impl Tree {
    /// A tree holding only the sentinel leaf (key −∞, empty value or zeros of the fixed length,
    /// next +∞): the empty tree, whose digest for variable-length values is
    /// `4ec61f48…160900`.
    pub(crate) fn empty(value_length: Option<usize>) -> Tree {
        let mut t = Tree::unrooted(value_length);
        let zeros = vec![0u8; value_length.unwrap_or(0)];
        // cannot fail: the arenas are empty
        t.root = t
            .push_leaf(NEGATIVE_INFINITY, &zeros, POSITIVE_INFINITY)
            .unwrap_or(NodeRef(0));
        t.commit();
        t
    }

    /// A tree with no nodes yet; the caller pushes nodes and sets `root`.
    pub(crate) fn unrooted(value_length: Option<usize>) -> Tree {
        Tree {
            leaves: Vec::new(),
            internals: Vec::new(),
            label_only: Vec::new(),
            values: Vec::new(),
            root: NodeRef(0),
            height: 0,
            value_length,
            new_leaves_from: 0,
            new_internals_from: 0,
        }
    }

    /// Declare every node old: from now on they are copied on write.
    pub(crate) fn commit(&mut self) {
        for l in &mut self.leaves[self.new_leaves_from..] {
            l.visited = false;
        }
        for n in &mut self.internals[self.new_internals_from..] {
            n.visited = false;
        }
        self.new_leaves_from = self.leaves.len();
        self.new_internals_from = self.internals.len();
    }

    /// Forget every node created since the last [`Tree::commit`] and restore `root`/`height`.
    pub(crate) fn rollback(&mut self, root: NodeRef, height: usize, values_len: usize) {
        self.leaves.truncate(self.new_leaves_from);
        self.internals.truncate(self.new_internals_from);
        self.values.truncate(values_len);
        self.root = root;
        self.height = height;
    }

    /// A copy holding only the nodes reachable from the root, labels kept. Every node must be
    /// committed.
    pub(crate) fn compacted(&self) -> Result<Tree, OpError> {
        let mut t = Tree::unrooted(self.value_length);
        t.values.reserve(self.values.len() / 2);
        t.root = self.copy_into(&mut t, self.root)?;
        t.height = self.height;
        t.commit();
        Ok(t)
    }

    fn copy_into(&self, t: &mut Tree, n: NodeRef) -> Result<NodeRef, OpError> {
        match n.kind() {
            Kind::Leaf => {
                let l = &self.leaves[n.index()];
                let r = t.push_leaf(l.key, self.value(l.value), l.next)?;
                t.leaves[r.index()].label = l.label;
                Ok(r)
            }
            Kind::Internal => {
                let node = &self.internals[n.index()];
                let left = self.copy_into(t, node.left)?;
                let right = self.copy_into(t, node.right)?;
                let r = t.push_internal(node.key, left, right, node.balance)?;
                t.internals[r.index()].label = node.label;
                Ok(r)
            }
            Kind::LabelOnly => t.push_label_only(self.label_only[n.index()]),
        }
    }

    // ---- node access -------------------------------------------------------------------

    pub(crate) fn leaf(&self, n: NodeRef) -> Result<&Leaf, OpError> {
        match n.kind() {
            Kind::Leaf => self.leaves.get(n.index()).ok_or(OpError::MissingNode),
            _ => Err(OpError::MissingNode),
        }
    }

    pub(crate) fn internal(&self, n: NodeRef) -> Result<&Internal, OpError> {
        match n.kind() {
            Kind::Internal => self.internals.get(n.index()).ok_or(OpError::MissingNode),
            _ => Err(OpError::MissingNode),
        }
    }

    pub(crate) fn value(&self, span: Span) -> &[u8] {
        let start = span.start as usize;
        self.values.get(start..start + span.len as usize).unwrap_or(&[])
    }

    fn is_new(&self, n: NodeRef) -> bool {
        match n.kind() {
            Kind::Leaf => n.index() >= self.new_leaves_from,
            Kind::Internal => n.index() >= self.new_internals_from,
            Kind::LabelOnly => false,
        }
    }

    fn is_leaf(&self, n: NodeRef) -> bool {
        n.kind() == Kind::Leaf
    }

    fn balance(&self, n: NodeRef) -> Result<i8, OpError> {
        Ok(self.internal(n)?.balance)
    }

    pub(crate) fn visited(&self, n: NodeRef) -> bool {
        match n.kind() {
            Kind::Leaf => self.leaves[n.index()].visited,
            Kind::Internal => self.internals[n.index()].visited,
            Kind::LabelOnly => false,
        }
    }

    pub(crate) fn set_visited(&mut self, n: NodeRef, v: bool) {
        match n.kind() {
            Kind::Leaf => self.leaves[n.index()].visited = v,
            Kind::Internal => self.internals[n.index()].visited = v,
            Kind::LabelOnly => {}
        }
    }

    // ---- node creation (copy on write) -------------------------------------------------

    fn store_value(&mut self, value: &[u8]) -> Result<Span, OpError> {
        let start = u32::try_from(self.values.len()).map_err(|_| OpError::TooLarge)?;
        let len = u32::try_from(value.len()).map_err(|_| OpError::ValueTooLong)?;
        start.checked_add(len).ok_or(OpError::TooLarge)?;
        self.values.extend_from_slice(value);
        Ok(Span { start, len })
    }

    pub(crate) fn push_leaf(&mut self, key: Key, value: &[u8], next: Key) -> Result<NodeRef, OpError> {
        let value = self.store_value(value)?;
        self.push_leaf_span(key, value, next)
    }

    pub(crate) fn push_leaf_span(&mut self, key: Key, value: Span, next: Key) -> Result<NodeRef, OpError> {
        let r = NodeRef::new(Kind::Leaf, self.leaves.len())?;
        self.leaves.push(Leaf {
            key,
            next,
            value,
            label: None,
            visited: false,
        });
        Ok(r)
    }

    pub(crate) fn push_internal(
        &mut self,
        key: Key,
        left: NodeRef,
        right: NodeRef,
        balance: i8,
    ) -> Result<NodeRef, OpError> {
        let r = NodeRef::new(Kind::Internal, self.internals.len())?;
        self.internals.push(Internal {
            key,
            left,
            right,
            balance,
            label: None,
            visited: false,
        });
        Ok(r)
    }

    pub(crate) fn push_label_only(&mut self, label: Label) -> Result<NodeRef, OpError> {
        let r = NodeRef::new(Kind::LabelOnly, self.label_only.len())?;
        self.label_only.push(label);
        Ok(r)
    }

    /// `n` with new children and balance: changed in place if new, else a copy.
    fn update_internal(&mut self, n: NodeRef, left: NodeRef, right: NodeRef, balance: i8) -> Result<NodeRef, OpError> {
        let key = self.internal(n)?.key;
        if self.is_new(n) {
            let node = &mut self.internals[n.index()];
            node.left = left;
            node.right = right;
            node.balance = balance;
            node.label = None;
            Ok(n)
        } else {
            self.push_internal(key, left, right, balance)
        }
    }

    /// `n` with another key (labels do not cover internal keys).
    fn update_internal_key(&mut self, n: NodeRef, key: Key) -> Result<NodeRef, OpError> {
        let node = self.internal(n)?.clone();
        if self.is_new(n) {
            self.internals[n.index()].key = key;
            Ok(n)
        } else {
            self.push_internal(key, node.left, node.right, node.balance)
        }
    }

    fn update_leaf(&mut self, n: NodeRef, key: Key, value: Span, next: Key) -> Result<NodeRef, OpError> {
        self.leaf(n)?;
        if self.is_new(n) {
            let leaf = &mut self.leaves[n.index()];
            leaf.key = key;
            leaf.value = value;
            leaf.next = next;
            leaf.label = None;
            Ok(n)
        } else {
            self.push_leaf_span(key, value, next)
        }
    }

    // ---- labels and digest -------------------------------------------------------------

    /// The label of `n`, computed once and cached.
    pub(crate) fn label(&mut self, n: NodeRef) -> Label {
        match n.kind() {
            Kind::LabelOnly => self.label_only[n.index()],
            Kind::Leaf => {
                let leaf = &self.leaves[n.index()];
                if let Some(l) = leaf.label {
                    return l;
                }
                let start = leaf.value.start as usize;
                let value = &self.values[start..start + leaf.value.len as usize];
                let l = blake2b256_parts(&[&[0u8], &leaf.key, value, &leaf.next]);
                self.leaves[n.index()].label = Some(l);
                l
            }
            Kind::Internal => {
                let node = &self.internals[n.index()];
                if let Some(l) = node.label {
                    return l;
                }
                let (left, right, balance) = (node.left, node.right, node.balance);
                let ll = self.label(left);
                let rl = self.label(right);
                let l = blake2b256_parts(&[&[1u8, balance as u8], &ll, &rl]);
                self.internals[n.index()].label = Some(l);
                l
            }
        }
    }

    /// Root label followed by the root height (one byte), or `None` if the height does not
    /// fit a byte (a tree of more than 2^177 leaves, or a forged proof).
    pub(crate) fn digest(&mut self) -> Option<[u8; 33]> {
        let height = u8::try_from(self.height).ok()?;
        let mut d = [0u8; 33];
        d[..32].copy_from_slice(&self.label(self.root));
        d[32] = height;
        Some(d)
    }
}

mod operations;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex;

    #[crate::test]
    fn empty_tree_digest_is_ergos() {
        let mut t = Tree::empty(None);
        assert_eq!(
            hex::encode(&t.digest().unwrap()),
            "4ec61f485b98eb87153f7c57db4f5ecd75556fddbc403b41acf8441fde8e160900"
        );
    }

    #[crate::test]
    fn node_refs_keep_kind_and_index() {
        for kind in [Kind::Leaf, Kind::Internal, Kind::LabelOnly] {
            let r = NodeRef::new(kind, 12345).unwrap();
            assert_eq!((r.kind(), r.index()), (kind, 12345));
        }
        assert_eq!(NodeRef::new(Kind::Leaf, 1 << 30), Err(OpError::TooLarge));
    }
}
