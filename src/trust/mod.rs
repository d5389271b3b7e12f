//! **What a verified figure rests on.** A proof replayed against a box only shows that the box
//! and the proof agree; this module ties the box's transaction to the chain's proof of work:
//! the transaction in a block (its Merkle inclusion proof against the header's
//! `transactionsRoot`), the header's id recomputed and its Autolykos v2 work checked, and the
//! headers after it, each the parent of the next, each with valid work — its confirmations.
//!
//! # Which chain is *the* chain
//!
//! A liar can mine headers too: a fabricated payout in a block of its own, at a difficulty it
//! chooses, followed by as many blocks as it likes. What makes that expensive here:
//!
//! 1. **A difficulty floor per network** ([`Network::min_difficulty`]): every header checked
//!    must ask for at least this difficulty and meet it. On mainnet the floor is 2^48
//!    (≈ 2.8·10^14 hashes a block, a fifth to a tenth of what the network has asked for
//!    since 2021), so each header a liar makes costs it about that much work. A chain mined
//!    at low difficulty is refused by name.
//! 2. **Confirmations checked** ([`Network::blocks_after`]): the block of inclusion and up to
//!    that many blocks after it are checked, linked by `parentId`. A fabricated transaction
//!    with its checked confirmations costs `(1 + blocks_after) × floor` hashes: 3·10^15 on
//!    mainnet (eleven blocks), the whole network's work for minutes, rented GPUs for days.
//!    The count shown is the count checked; a tip reported further away is shown as the
//!    source's word.
//! 3. **Two sources** (the app's cross-check): a liar must also be every source the miner
//!    configured.
//!
//! Not done, and why: Ergo's difficulty-adjustment rule needs the headers of several epochs
//! (1,024 on mainnet), and a chain linked back to a compiled-in checkpoint needs every header
//! since it (or a NiPoPoW proof, which no browser-reachable source serves): both cost more
//! headers than a miner's page should fetch. The floor is a setting: if mainnet's difficulty
//! ever falls below it, true headers are refused (loudly, never a false ✓) until it is lowered.

use crate::ergo::header::{Header, HeaderError};
use crate::ergo::merkle::InclusionProof;
use crate::ergo::Id;
use thiserror::Error;

/// What a network's headers must show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    pub name: &'static str,
    /// The least difficulty a header may ask for.
    pub min_difficulty: u128,
    /// How many blocks after the block of inclusion are checked.
    pub blocks_after: u32,
    /// How many confirmations (its block and those after it, all checked) a transaction needs
    /// before a figure resting on it is shown as verified; fewer: pending.
    pub min_confirmations: u32,
    /// How far from this computer's clock (ms) the block whose state proves a box unspent may
    /// have been mined ([`fresh`]): an older one is a state the chain has moved past, shown by a
    /// source that withholds the newer blocks. None: the network's times are not the clock's
    /// (the devnet generates its chain at start with the times of its seed).
    pub max_state_age: Option<u64>,
}

/// Ergo's testnet: its difficulty is low (about 10^9), so its proof of work shows little; no
/// floor but the work itself.
pub const TESTNET: Network = Network {
    name: "testnet",
    min_difficulty: 1,
    blocks_after: 10,
    min_confirmations: 11,
    max_state_age: Some(30 * 60_000),
};

/// Ergo's mainnet.
pub const MAINNET: Network = Network {
    name: "mainnet",
    min_difficulty: 1 << 48,
    blocks_after: 10,
    min_confirmations: 11,
    // fifteen blocks' time: a chain without a block for that long is all but unknown
    max_state_age: Some(30 * 60_000),
};

/// The devnet: its own difficulty (2: a nonce in two meets it, so that the devnet mines its
/// thousands of blocks in seconds; the work is still checked, and a nonce that does not meet
/// it is refused).
pub const DEVNET: Network = Network {
    name: "devnet",
    min_difficulty: 2,
    blocks_after: 10,
    // the devnet mines no block but its transactions': its last is final as it is
    min_confirmations: 1,
    max_state_age: None,
};

impl Network {
    /// The rules named `name` (`mainnet`, `testnet`, `devnet`).
    pub fn from_name(name: &str) -> Option<&'static Network> {
        [&MAINNET, &TESTNET, &DEVNET].into_iter().find(|n| n.name == name)
    }
}

/// The devnet's `nBits` (difficulty 2).
pub const DEVNET_N_BITS: u32 = 0x0102_0000;

/// Why a transaction is not shown as in a block of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TrustError {
    #[error(transparent)]
    Header(#[from] HeaderError),
    #[error("no header for block {0}")]
    NoHeader(String),
    /// The header asks for less work than the network's floor.
    #[error("header {id} at height {height} asks for difficulty {difficulty}, below {network}'s floor of {floor}: a chain anyone can mine")]
    LowDifficulty {
        id: String,
        height: u32,
        difficulty: String,
        network: &'static str,
        floor: u128,
    },
    /// Two headers given as consecutive are not parent and child.
    #[error("header {child} at height {height} is not the child of {parent}: the headers are not one chain")]
    NotLinked { child: String, parent: String, height: u32 },
    #[error("the inclusion proof is for {leaf}, not transaction {tx}")]
    OtherLeaf { leaf: String, tx: String },
    /// A box names the transaction that made it; only that transaction says which it made.
    #[error("box {state_box} is not an output of transaction {tx}, the transaction it names")]
    NotMade { state_box: String, tx: String },
    /// The transaction's content was not given whole (no context extensions): its id, and so
    /// its outputs, are not proven.
    #[error("the source's transaction {0} does not recompute its id, so the boxes it made are not proven")]
    NotRecomputed(String),
    #[error("transaction {tx} is not in block {block} at height {height}: its inclusion proof does not lead to the block's transactions root")]
    NotInBlock { tx: String, block: String, height: u32 },
    /// A proof of unspent boxes that does not replay against the header's state root.
    #[error("the proof of unspent boxes does not replay against the state root of block {block} at height {height}: {reason}")]
    NotState { block: String, height: u32, reason: String },
    /// The block whose state would prove boxes unspent is not a current one.
    #[error("block {height} was mined {minutes} minutes {when} this computer's clock (over {limit} on {network}): not the current state")]
    Stale {
        height: u32,
        minutes: u64,
        when: &'static str,
        limit: u64,
        network: &'static str,
    },
    /// A box in the UTXO set under another box's id.
    #[error("the unspent set of block {block} holds other bytes under box {state_box}'s id")]
    OtherBox { block: String, state_box: String },
}

/// A transaction shown in a block of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchored {
    pub block: Id,
    pub height: u32,
    /// Its confirmations as far as checked: its own block and the blocks after it whose headers
    /// were checked (1 for a transaction in the last block).
    pub confirmations: u32,
}

/// Checks that `header` was mined close enough to `now` (ms since 1970, this computer's clock)
/// for its state to be the chain's current one, on `network`'s rules ([`Network::max_state_age`]).
pub fn fresh(network: &Network, header: &Header, now: u64) -> Result<(), TrustError> {
    let Some(limit) = network.max_state_age else {
        return Ok(());
    };
    let (gap, when) = match header.timestamp.checked_sub(now) {
        Some(ahead) => (ahead, "after"),
        None => (now - header.timestamp, "before"),
    };
    if gap <= limit {
        return Ok(());
    }
    Err(TrustError::Stale {
        height: header.height,
        minutes: gap / 60_000,
        when,
        limit: limit / 60_000,
        network: network.name,
    })
}

/// Which of `boxes` are unspent as of `header`'s block: a batch lookup proof (a node's
/// `/utxo/getBoxesBinaryProof`) replayed against the header's state root, the digest of the
/// UTXO set after that block (an AVL+ tree of box ids to box bytes, values of any length).
/// `true`: the box is in the set, its bytes hashing to its id; `false`: proven absent — spent,
/// or never made. The header's work is the caller's to check ([`check_header`]), and whether
/// the header is the chain's last is the source's word (a source can show an older one).
pub fn unspent(boxes: &[Id], proof: &[u8], header: &Header) -> Result<Vec<bool>, TrustError> {
    let not_state = |reason: String| TrustError::NotState {
        block: header.id().to_hex(),
        height: header.height,
        reason,
    };
    let digest = crate::avl::Digest(header.state_root);
    let keys: Vec<[u8; 32]> = boxes.iter().map(|b| b.0).collect();
    let found = crate::avl::verify_lookups(&digest, proof, &keys, None).map_err(|e| not_state(e.to_string()))?;
    // (a loop, not an iterator of results: less code in the app)
    let mut out = Vec::with_capacity(found.len());
    for (b, value) in boxes.iter().zip(found) {
        if value
            .as_ref()
            .is_some_and(|v| crate::encoding::hash::blake2b256(v) != b.0)
        {
            return Err(TrustError::OtherBox {
                block: header.id().to_hex(),
                state_box: b.to_hex(),
            });
        }
        out.push(value.is_some());
    }
    Ok(out)
}

/// Checks one header on `network`: its work ([`Header::check_pow`]), and that it asks for at
/// least the floor ([`check_floor`]).
pub fn check_header(network: &Network, h: &Header) -> Result<(), TrustError> {
    check_floor(network, h)?;
    h.check_pow()?;
    Ok(())
}

/// Checks that a header asks for at least `network`'s floor (its work is not checked: see
/// [`check_header`]).
pub fn check_floor(network: &Network, h: &Header) -> Result<(), TrustError> {
    let target = h.target()?;
    let enough = match target.to_u128() {
        Some(d) => d >= network.min_difficulty,
        None => true,
    };
    if !enough {
        return Err(TrustError::LowDifficulty {
            id: h.id().to_hex(),
            height: h.height,
            difficulty: target.to_u128().unwrap_or_default().to_string(),
            network: network.name,
            floor: network.min_difficulty,
        });
    }
    Ok(())
}

/// Checks a run of consecutive headers, lowest first: each header (see [`check_header`]) and
/// each the parent of the next ([`check_links`]).
pub fn check_run(network: &Network, run: &[Header]) -> Result<(), TrustError> {
    for h in run {
        check_header(network, h)?;
    }
    check_links(run)
}

/// Checks that each header of a run is the parent of the next, one height apart (their work is
/// [`check_header`]'s: a caller that checks many overlapping runs checks each header once).
pub fn check_links(run: &[Header]) -> Result<(), TrustError> {
    for pair in run.windows(2) {
        if pair[1].parent_id != pair[0].id() || pair[1].height != pair[0].height.wrapping_add(1) {
            return Err(TrustError::NotLinked {
                child: pair[1].id().to_hex(),
                parent: pair[0].id().to_hex(),
                height: pair[1].height,
            });
        }
    }
    Ok(())
}

/// Checks that `proof` shows transaction `tx` in the block of `header`: its leaf is the
/// transaction's id and it leads to the header's transactions root.
pub fn included(tx: &Id, proof: &InclusionProof, header: &Header) -> Result<(), TrustError> {
    if proof.leaf != tx.0 {
        return Err(TrustError::OtherLeaf {
            leaf: crate::encoding::hex::encode(&proof.leaf),
            tx: tx.to_hex(),
        });
    }
    if !proof.proves(&header.transactions_root) {
        return Err(TrustError::NotInBlock {
            tx: tx.to_hex(),
            block: header.id().to_hex(),
            height: header.height,
        });
    }
    Ok(())
}

/// Checks that `tx` (its id recomputed from its content) made box `state_box`: a box's id
/// commits to the transaction id it names, but only the transaction's outputs say it made it —
/// a source could make up a box naming any real transaction and borrow its block.
pub fn made(tx: &crate::ergo::ChainTransaction, state_box: &Id) -> Result<(), TrustError> {
    if !tx.id_verified {
        return Err(TrustError::NotRecomputed(tx.id.to_hex()));
    }
    match tx.outputs.iter().any(|o| o.id == *state_box) {
        true => Ok(()),
        false => Err(TrustError::NotMade {
            state_box: state_box.to_hex(),
            tx: tx.id.to_hex(),
        }),
    }
}

/// Shows transaction `tx` in the block of `run[0]`: the run of headers from it checked by
/// [`check_run`] (its confirmations), then the inclusion proof ([`included`]). The caller asks
/// for the run by height; its first header must be the block the source said holds the
/// transaction.
pub fn anchor(network: &Network, tx: &Id, proof: &InclusionProof, run: &[Header]) -> Result<Anchored, TrustError> {
    let block = run.first().ok_or_else(|| TrustError::NoHeader(tx.to_hex()))?;
    check_run(network, run)?;
    included(tx, proof, block)?;
    Ok(Anchored {
        block: block.id(),
        height: block.height,
        confirmations: run.len() as u32,
    })
}

/// Mines `h` for the devnet: the first nonce (counting up from `start`) whose work meets its
/// `nBits`. Expected tries: the difficulty.
pub fn mine(mut h: Header, start: u64) -> Header {
    let msg = h.pow_message();
    let target = match h.target() {
        Ok(t) => t,
        Err(_) => return h,
    };
    let mut n = start;
    loop {
        let nonce = n.to_be_bytes();
        if crate::ergo::pow::meets(&crate::ergo::pow::hit(&msg, &nonce, h.height), &target) {
            h.nonce = nonce;
            return h;
        }
        n = n.wrapping_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ergo::merkle::{block_leaves, root, witness_id};

    /// A devnet chain of `n` mined headers from `height`, each block holding one transaction
    /// whose id is the block's index repeated.
    fn chain(n: usize, height: u32, n_bits: u32) -> (Vec<Header>, Vec<(Id, InclusionProof)>) {
        let mut headers: Vec<Header> = vec![];
        let mut proofs = vec![];
        for i in 0..n {
            let tx = Id([i as u8; 32]);
            let leaves = block_leaves(3, &[tx.0], &[witness_id(&[[i as u8; 3]])]);
            let h = Header {
                version: 3,
                parent_id: headers.last().map(|p| p.id()).unwrap_or(Id([0; 32])),
                ad_proofs_root: [0; 32],
                transactions_root: root(&leaves),
                state_root: [0; 33],
                timestamp: 1_767_225_600_000 + i as u64 * 120_000,
                extension_root: [0; 32],
                n_bits,
                height: height + i as u32,
                votes: [0; 3],
                unparsed: vec![],
                miner_pk: [2; 33],
                nonce: [0; 8],
            };
            headers.push(mine(h, 0));
            proofs.push((tx, InclusionProof::of(&leaves, 0).unwrap()));
        }
        (headers, proofs)
    }

    #[crate::test]
    fn a_state_is_current_only_within_the_networks_time_of_the_clock() {
        let (headers, _) = chain(1, 1_600_000, DEVNET_N_BITS);
        let h = &headers[0];
        let t = h.timestamp;
        for now in [t, t + 30 * 60_000, t - 30 * 60_000] {
            assert_eq!(fresh(&MAINNET, h, now), Ok(()));
        }
        let e = fresh(&MAINNET, h, t + 31 * 60_000).unwrap_err();
        assert_eq!(
            e.to_string(),
            "block 1600000 was mined 31 minutes before this computer's clock (over 30 on mainnet): not the current state"
        );
        assert!(matches!(
            fresh(&TESTNET, h, t - 45 * 60_000),
            Err(TrustError::Stale {
                when: "after",
                minutes: 45,
                ..
            })
        ));
        // the devnet's times are its seed's
        assert_eq!(fresh(&DEVNET, h, u64::MAX), Ok(()));
        assert_eq!(fresh(&DEVNET, h, 0), Ok(()));
    }

    #[crate::test]
    fn boxes_in_the_utxo_set_of_a_header_are_unspent_and_others_proven_absent() {
        use crate::avl::ShareState;
        // a UTXO set of three "boxes" (their bytes hash to their ids), one spent since
        let bytes: Vec<Vec<u8>> = (0..3u8).map(|i| vec![i; 40 + i as usize]).collect();
        let ids: Vec<Id> = bytes.iter().map(|b| Id(crate::encoding::hash::blake2b256(b))).collect();
        let mut set = ShareState::from_entries(ids.iter().zip(&bytes).map(|(i, b)| (i.0, b.clone()))).unwrap();
        set.prove(&[crate::avl::Operation::Remove(ids[2].0)]).unwrap();
        let (mut headers, _) = chain(1, 1_600_000, DEVNET_N_BITS);
        let mut h = headers.remove(0);
        h.state_root = set.digest().0;
        let never = Id([7; 32]);
        let asked = [ids[0], ids[2], ids[1], never];
        let proof = set.prove_lookups(&asked.map(|i| i.0)).unwrap().proof;
        assert_eq!(unspent(&asked, &proof, &h).unwrap(), vec![true, false, true, false]);
        // the same proof against another block's state: refused, naming the block
        let mut other = h.clone();
        other.state_root[5] ^= 1;
        let e = unspent(&asked, &proof, &other).unwrap_err();
        assert!(matches!(e, TrustError::NotState { height: 1_600_000, .. }), "{e}");
        // a changed byte in the proof: refused, never a verdict
        for i in [0, proof.len() / 2, proof.len() - 1] {
            let mut bad = proof.clone();
            bad[i] ^= 0x20;
            assert!(unspent(&asked, &bad, &h).is_err(), "byte {i}");
        }
        // bytes under an id they do not hash to: not a box of that id
        let mut liar = ShareState::from_entries([(ids[0].0, b"other bytes".to_vec())]).unwrap();
        let mut lh = h.clone();
        lh.state_root = liar.digest().0;
        let p = liar.prove_lookups(&[ids[0].0]).unwrap().proof;
        assert!(matches!(unspent(&[ids[0]], &p, &lh), Err(TrustError::OtherBox { .. })));
    }

    #[crate::test]
    fn a_transaction_in_a_mined_chain_is_anchored_with_its_confirmations() {
        let (headers, proofs) = chain(12, 1_600_000, DEVNET_N_BITS);
        let a = anchor(&DEVNET, &proofs[1].0, &proofs[1].1, &headers[1..]).unwrap();
        assert_eq!((a.height, a.confirmations, a.block), (1_600_001, 11, headers[1].id()));
        // in the last block: one confirmation
        let a = anchor(&DEVNET, &proofs[11].0, &proofs[11].1, &headers[11..]).unwrap();
        assert_eq!(a.confirmations, 1);
    }

    #[crate::test]
    fn a_transaction_in_no_block_is_refused() {
        let (headers, proofs) = chain(3, 1_600_000, DEVNET_N_BITS);
        // the proof of block 0's transaction against block 1
        assert!(matches!(
            anchor(&DEVNET, &proofs[0].0, &proofs[0].1, &headers[1..]),
            Err(TrustError::NotInBlock { height: 1_600_001, .. })
        ));
        // a proof of another transaction
        assert!(matches!(
            anchor(&DEVNET, &proofs[0].0, &proofs[1].1, &headers[1..]),
            Err(TrustError::OtherLeaf { .. })
        ));
        // a proof whose sibling was changed
        let mut bad = proofs[0].1.clone();
        bad.levels[0].sibling = Some([9; 32]);
        assert!(matches!(
            anchor(&DEVNET, &proofs[0].0, &bad, &headers),
            Err(TrustError::NotInBlock { .. })
        ));
    }

    #[crate::test]
    fn headers_that_are_not_one_chain_or_not_mined_are_refused() {
        let (headers, proofs) = chain(4, 1_600_000, DEVNET_N_BITS);
        // a gap
        let gapped = [headers[0].clone(), headers[2].clone()];
        assert!(matches!(
            anchor(&DEVNET, &proofs[0].0, &proofs[0].1, &gapped),
            Err(TrustError::NotLinked { height: 1_600_002, .. })
        ));
        // a header whose nonce does not meet its difficulty
        let mut unmined = headers.clone();
        let mut n = 0u64;
        while unmined[2].check_pow().is_ok() {
            unmined[2].nonce = n.to_be_bytes();
            n += 1;
        }
        assert!(matches!(
            check_run(&DEVNET, &unmined),
            Err(TrustError::Header(HeaderError::Work { height: 1_600_002, .. }))
        ));
    }

    #[crate::test]
    fn a_chain_mined_below_the_floor_is_refused_by_name() {
        // mined at difficulty 1 (every nonce passes): fine work for its nBits, below both floors
        let (headers, proofs) = chain(2, 1_600_000, 0x0101_0000);
        headers[0].check_pow().unwrap();
        assert!(matches!(
            anchor(&DEVNET, &proofs[0].0, &proofs[0].1, &headers),
            Err(TrustError::LowDifficulty { network: "devnet", .. })
        ));
        // and the devnet's own chain is no chain on mainnet
        let (headers, proofs) = chain(2, 1_600_000, DEVNET_N_BITS);
        match anchor(&MAINNET, &proofs[0].0, &proofs[0].1, &headers) {
            Err(e @ TrustError::LowDifficulty { .. }) => {
                assert!(e
                    .to_string()
                    .contains("asks for difficulty 2, below mainnet's floor of 281474976710656"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[crate::test]
    fn a_box_is_made_only_by_a_transaction_whose_outputs_hold_it() {
        let block: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/block_540000.json")).unwrap();
        let t = &block["blockTransactions"]["transactions"][0];
        let tx = crate::ergo::json::decode_transaction(&t.to_string()).unwrap();
        let output = tx.outputs[1].id;
        made(&tx, &output).unwrap();
        // a box with another index (another id) naming the same transaction
        assert!(matches!(made(&tx, &Id([7; 32])), Err(TrustError::NotMade { .. })));
        // the same transaction whose id was not recomputed proves nothing it made
        let unproven = crate::ergo::ChainTransaction {
            id_verified: false,
            ..tx
        };
        assert!(matches!(made(&unproven, &output), Err(TrustError::NotRecomputed(_))));
    }

    #[crate::test]
    fn a_mainnet_header_meets_mainnets_floor() {
        let h = Header::from_json(include_str!("../../tests/fixtures/header.json")).unwrap();
        check_header(&MAINNET, &h).unwrap();
    }
}
