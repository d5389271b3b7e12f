//! The authenticated AVL+ tree (Scala scrypto's `BatchAVLProver`/`BatchAVLVerifier`, byte for
//! byte): one tree shared by the prover and the verifier, the packed format of proofs and
//! snapshots, proof verification that never panics, and the prover that makes the proofs a
//! pool publishes.
//!
//! | module | what |
//! |---|---|
//! | [`digest`] | a tree's 33-byte digest and the AvlTree value (flags, key and value lengths) |
//! | `tree` | the tree in arenas, labels, and the operations both sides run |
//! | [`packed`] | the packed tree of proofs and snapshots: its one parser |
//! | [`verifier`] | **proofs replayed**: lookups and operation batches against a digest |
//! | [`prover`] | a tree in memory ([`ShareState`]) and the proofs of its operations |
//! | [`snapshot`] | a whole tree as JSON or binary, its digest rechecked on import |

pub mod digest;
pub mod packed;
pub mod prover;
pub mod snapshot;
pub(crate) mod tree;
pub mod verifier;

pub use digest::{AvlFlags, AvlTreeData, Digest};
pub use packed::{shape, ProofShape};
pub use prover::{BatchProof, ProverError, ShareState};
pub use snapshot::SnapshotError;
pub use tree::{Key, Label, OpError, Operation, KEY_LENGTH};
pub use verifier::{keys_from_slices, replay, verify_lookups, ProofError, Replay, Verifier};
