//! The packed tree: the serialized form of a proof's partial tree (Scala
//! `BatchAVLProver.generateProof`) and of a snapshot's whole tree. One parser reads it for
//! both, handing the nodes to a sink in post-order.
//!
//! | byte | node | followed by |
//! |---|---|---|
//! | `03` | a subtree given by its label | label (32) |
//! | `02` | a leaf | key (32, omitted when the previous node packed was a leaf: it is that leaf's next key), next key (32), value length (u32 big-endian, only for variable-length trees), value |
//! | `ff`, `00`, `01` | an internal node with balance −1, 0, +1 | — (its two children precede it) |
//! | `04` | end of the tree | in a proof: direction bits, least significant bit first: 1 = left |

use crate::avl::tree::Key;
use crate::avl::ProofError;
use crate::encoding::Reader;

pub(crate) const LEAF: u8 = 2;
pub(crate) const LABEL: u8 = 3;
pub(crate) const END_OF_TREE: u8 = 4;

/// Receives the nodes of a packed tree in post-order (see [`parse_packed`]).
pub(crate) trait PackedTreeSink {
    type Error: From<ProofError>;
    fn label(&mut self, offset: usize, label: [u8; 32]) -> Result<(), Self::Error>;
    fn leaf(&mut self, offset: usize, key: Key, value: &[u8], next: Key) -> Result<(), Self::Error>;
    fn internal(&mut self, offset: usize, balance: i8) -> Result<(), Self::Error>;
}

/// Reads the packed tree at the start of `bytes` (a proof's, or a snapshot's whole tree) and
/// hands its nodes to `sink`; returns the offset of the end-of-tree byte. The one parser of the
/// format.
pub(crate) fn parse_packed<S: PackedTreeSink>(
    bytes: &[u8],
    value_length: Option<usize>,
    sink: &mut S,
) -> Result<usize, S::Error> {
    if bytes.is_empty() {
        return Err(ProofError::Empty.into());
    }
    let mut previous_leaf_next: Option<Key> = None;
    let mut r = Reader::new(bytes);
    loop {
        let offset = r.position();
        let tag = r.byte("a node tag").map_err(ProofError::Read)?;
        match tag {
            END_OF_TREE => return Ok(offset),
            LABEL => {
                sink.label(offset, r.array("a label").map_err(ProofError::Read)?)?;
                previous_leaf_next = None;
            }
            LEAF => {
                let key = match previous_leaf_next {
                    Some(k) => k,
                    None => r.array("a leaf's key").map_err(ProofError::Read)?,
                };
                let next = r.array("a leaf's next key").map_err(ProofError::Read)?;
                let len = match value_length {
                    Some(l) => l,
                    None => r.u32_be("a value length").map_err(ProofError::Read)? as usize,
                };
                let at = r.position();
                let value = r.take(len, "a value").map_err(|_| ProofError::ValueOverrun {
                    offset: at,
                    length: len as u64,
                })?;
                sink.leaf(offset, key, value, next)?;
                previous_leaf_next = Some(next);
            }
            0x00 | 0x01 | 0xff => sink.internal(offset, tag as i8)?,
            byte => return Err(ProofError::InvalidBalance { offset, byte }.into()),
        }
    }
}

/// What a proof is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProofShape {
    /// Leaves given whole.
    pub leaves: usize,
    /// Internal nodes given by their balance.
    pub internal_nodes: usize,
    /// Subtrees given by their label only.
    pub labels: usize,
    /// Bytes of the packed tree, end byte included.
    pub tree_bytes: usize,
    /// Bytes of direction bits after it.
    pub direction_bytes: usize,
}

impl ProofShape {
    /// Hashes a verifier computes to check the starting digest: one per leaf and internal node.
    pub fn hashes_to_check(&self) -> usize {
        self.leaves + self.internal_nodes
    }
}

impl PackedTreeSink for ProofShape {
    type Error = ProofError;
    fn label(&mut self, _: usize, _: [u8; 32]) -> Result<(), ProofError> {
        self.labels += 1;
        Ok(())
    }
    fn leaf(&mut self, _: usize, _: Key, _: &[u8], _: Key) -> Result<(), ProofError> {
        self.leaves += 1;
        Ok(())
    }
    fn internal(&mut self, _: usize, _: i8) -> Result<(), ProofError> {
        self.internal_nodes += 1;
        Ok(())
    }
}

/// Counts the parts of a proof (for sizes and benchmarks); checks only that it parses.
pub fn shape(proof: &[u8], value_length: Option<usize>) -> Result<ProofShape, ProofError> {
    let mut s = ProofShape::default();
    let end = parse_packed(proof, value_length, &mut s)?;
    s.tree_bytes = end + 1;
    s.direction_bytes = proof.len() - end - 1;
    Ok(s)
}
