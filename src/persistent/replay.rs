//! **Where a command's proofs are replayed**: its context variables (on the command box,
//! INPUTS(1)) against the digest of the balance state it spends (INPUTS(0).R4), exactly as the
//! deployed command contracts call the tree:
//!
//! | command | context variables | the contract's tree calls |
//! |---|---|---|
//! | Insert | 0: (key, value) pairs, 1: proof | `insert(pairs, proof)` |
//! | Update | 0: (key, delta) pairs, 1: proof | `getMany(keys, proof)`, then `update(key → old + |delta|, proof)` with the same proof |
//! | Payout | 0: (key, value) pairs, 1: proof | `getMany(keys, proof)`, then `update(pairs, proof)` with the same proof |
//! | Delete | 0: keys, 1: lookup proof, 2: removal proof | `getMany(keys, 1)`, then `remove(keys, 2)` |
//!
//! A repeated key is located at its first index (`keys.indexOf(key, 0)`), so every occurrence
//! sees the first one's old balance; the tree operations themselves apply each occurrence in
//! turn. Balances are read as `byteArrayToLong` reads them: the first 8 bytes, fewer is an
//! error. What the command's other clauses (values, payments, the pool NFT) make of the result
//! is checked beside this, not here.

use crate::avl::{self, AvlTreeData, Digest, Key, Operation, KEY_LENGTH};
use crate::ergo::BytePair;

/// Design 2's four commands, as their scripts name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    Insert,
    Update,
    Payout,
    Delete,
}

/// A command box's context variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandVars {
    /// Insert, Update, Payout: variable 0, `Coll[(Coll[Byte], Coll[Byte])]`; variable 1, the proof.
    Pairs { pairs: Vec<BytePair>, proof: Vec<u8> },
    /// Delete: variable 0, `Coll[Coll[Byte]]`; 1, the lookup proof; 2, the removal proof.
    Keys {
        keys: Vec<Vec<u8>>,
        lookup_proof: Vec<u8>,
        removal_proof: Vec<u8>,
    },
}

/// A command's proofs replayed: what the contract's tree calls return, each call's failure in
/// words (a call that fails makes the contract fail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandReplay {
    /// `getMany`'s old balances, one per key of variable 0 in order (none for Insert, which
    /// looks nothing up).
    pub old: Option<Result<Vec<Option<Vec<u8>>>, String>>,
    /// The values written, one per key (Insert and Payout: variable 0's; Update: old + |delta|;
    /// Delete: none), or why they cannot be computed.
    pub written: Result<Vec<Vec<u8>>, String>,
    /// The digest after the command's insert, update or remove.
    pub next: Result<Digest, String>,
}

/// `byteArrayToLong`: the first 8 bytes, big-endian; fewer is an error.
fn long(bytes: &[u8], what: &str) -> Result<i64, String> {
    let first: [u8; 8] = bytes
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("{what}: byteArrayToLong of {} bytes (at least 8)", bytes.len()))?;
    Ok(i64::from_be_bytes(first))
}

/// For each position, the first position holding the same key (`keys.indexOf(key, 0)`).
pub(crate) fn first_indices<K: Ord>(keys: &[K]) -> Vec<usize> {
    let mut seen = std::collections::BTreeMap::new();
    keys.iter()
        .enumerate()
        .map(|(i, k)| *seen.entry(k).or_insert(i))
        .collect()
}

/// Replays `vars` as `command`'s deployed contract does against `tree` (the spent state box's R4).
pub fn replay_command(command: Command, tree: &AvlTreeData, vars: &CommandVars) -> CommandReplay {
    let fail = |why: String| CommandReplay {
        old: None,
        written: Err(why.clone()),
        next: Err(why),
    };
    if tree.key_length as usize != KEY_LENGTH {
        return fail(format!("the tree's keys have {} bytes, not 32", tree.key_length));
    }
    let value_length = tree.value_length.map(|l| l as usize);
    let digest = &tree.digest;
    let (raw_keys, proof, removal): (Vec<&[u8]>, &[u8], Option<&[u8]>) = match (command, vars) {
        (
            Command::Delete,
            CommandVars::Keys {
                keys,
                lookup_proof,
                removal_proof,
            },
        ) => (
            keys.iter().map(Vec::as_slice).collect(),
            lookup_proof.as_slice(),
            Some(removal_proof.as_slice()),
        ),
        (Command::Delete, CommandVars::Pairs { .. }) => {
            return fail("Delete reads a list of keys and two proofs, not (key, value) pairs".into())
        }
        (_, CommandVars::Pairs { pairs, proof }) => (
            pairs.iter().map(|(k, _)| k.as_slice()).collect(),
            proof.as_slice(),
            None,
        ),
        (_, CommandVars::Keys { .. }) => {
            return fail(format!("{command:?} reads (key, value) pairs, not a list of keys"))
        }
    };
    let keys: Vec<Key> = match avl::keys_from_slices(&raw_keys) {
        Ok(k) => k,
        Err(e) => return fail(e.to_string()),
    };
    let flags = tree.flags;
    let values: Vec<Vec<u8>> = match vars {
        CommandVars::Pairs { pairs, .. } => pairs.iter().map(|(_, v)| v.clone()).collect(),
        CommandVars::Keys { .. } => vec![],
    };
    // each key's first index, as `keys.indexOf(key, 0)` finds it
    let first_index = first_indices(&keys);
    // the contract's one tree call that changes the state, on the given proof
    let change = |ops: Vec<Operation>, proof: &[u8], allowed: bool, what: &str| -> Result<Digest, String> {
        if !allowed {
            return Err(format!("the tree's flags ({:#04x}) do not allow {what}", flags.0));
        }
        avl::replay(digest, proof, &ops, value_length)
            .map(|r| r.digest)
            .map_err(|e| format!("{what} fails: {e}"))
    };
    if command == Command::Insert {
        let written = values.clone();
        let ops = keys
            .iter()
            .zip(&written)
            .map(|(k, v)| Operation::Insert(*k, v.clone()))
            .collect();
        return CommandReplay {
            old: None,
            next: change(ops, proof, flags.insert_allowed(), "insert"),
            written: Ok(written),
        };
    }
    let old = avl::verify_lookups(digest, proof, &keys, value_length).map_err(|e| format!("getMany fails: {e}"));
    // each key's old balance at its first index, as `indexOf(key, 0)` finds it
    let at_first = |old: &[Option<Vec<u8>>], i: usize| -> Result<Vec<u8>, String> {
        let first = first_index[i];
        old.get(first).cloned().flatten().ok_or_else(|| {
            format!(
                "key {} is not in the tree (getMany's Option is empty)",
                crate::hex::encode(&keys[i])
            )
        })
    };
    let (written, next) = match command {
        Command::Update => {
            let written = old.clone().and_then(|old| {
                (0..keys.len())
                    .map(|i| {
                        let last = long(&at_first(&old, i)?, "old balance")?;
                        let delta = long(&values[i], "delta")?;
                        let corrected = if delta < 0 { delta.checked_neg() } else { Some(delta) };
                        let next = corrected
                            .and_then(|c| c.checked_add(last))
                            .ok_or_else(|| format!("{last} + |{delta}| overflows a Long"))?;
                        Ok(next.to_be_bytes().to_vec())
                    })
                    .collect::<Result<Vec<_>, String>>()
            });
            let next = written.clone().and_then(|w| {
                let ops = keys.iter().zip(w).map(|(k, v)| Operation::Update(*k, v)).collect();
                change(ops, proof, flags.update_allowed(), "update")
            });
            (written, next)
        }
        Command::Payout => {
            let written = values.clone();
            let ops = keys
                .iter()
                .zip(&written)
                .map(|(k, v)| Operation::Update(*k, v.clone()))
                .collect();
            (Ok(written), change(ops, proof, flags.update_allowed(), "update"))
        }
        _ => {
            let ops = keys.iter().map(|k| Operation::Remove(*k)).collect();
            (
                Ok(vec![]),
                change(ops, removal.unwrap_or_default(), flags.remove_allowed(), "remove"),
            )
        }
    };
    CommandReplay {
        old: Some(old),
        written,
        next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avl::ShareState;
    use crate::pool::Balance;

    fn key(i: u8) -> Key {
        [i; 32]
    }

    /// A balance state of miners 1..=5, miner i owed i ERG.
    fn state() -> ShareState {
        ShareState::from_entries((1..=5u8).map(|i| (key(i), Balance(i64::from(i) * 1_000_000_000).to_bytes().to_vec())))
            .unwrap()
    }

    fn pairs(p: &[(u8, i64)]) -> Vec<BytePair> {
        p.iter()
            .map(|(k, v)| (key(*k).to_vec(), v.to_be_bytes().to_vec()))
            .collect()
    }

    #[crate::test]
    fn an_update_credits_each_key_and_yields_the_provers_digest() {
        let mut s = state();
        let tree = s.register();
        let credit = [(2u8, 500i64), (4, 7)];
        let new: Vec<Operation> = credit
            .iter()
            .map(|(k, d)| Operation::Update(key(*k), (i64::from(*k) * 1_000_000_000 + d).to_be_bytes().to_vec()))
            .collect();
        let proof = s.prove(&new).unwrap().proof;
        let vars = CommandVars::Pairs {
            pairs: pairs(&credit),
            proof,
        };
        let r = replay_command(Command::Update, &tree, &vars);
        assert_eq!(r.next, Ok(s.digest()));
        let old = r.old.unwrap().unwrap();
        assert_eq!(old[0].as_deref(), Some(&2_000_000_000i64.to_be_bytes()[..]));
        assert_eq!(r.written.unwrap()[1], 4_000_000_007i64.to_be_bytes().to_vec());
        // the deployed contract turns a negative delta positive: -500 credits 500, the same digest
        let vars_neg = CommandVars::Pairs {
            pairs: pairs(&[(2, -500), (4, 7)]),
            proof: match &vars {
                CommandVars::Pairs { proof, .. } => proof.clone(),
                _ => unreachable!(),
            },
        };
        assert_eq!(replay_command(Command::Update, &tree, &vars_neg).next, Ok(s.digest()));
    }

    #[crate::test]
    fn insert_payout_and_delete_replay_as_their_contracts_call_the_tree() {
        let mut s = state();
        // insert two new miners at zero
        let before = s.register();
        let ins = [(7u8, 0i64), (9, 0)];
        let ops: Vec<Operation> = ins
            .iter()
            .map(|(k, _)| Operation::Insert(key(*k), 0i64.to_be_bytes().to_vec()))
            .collect();
        let proof = s.prove(&ops).unwrap().proof;
        let r = replay_command(
            Command::Insert,
            &before,
            &CommandVars::Pairs {
                pairs: pairs(&ins),
                proof: proof.clone(),
            },
        );
        assert_eq!((r.old, r.next), (None, Ok(s.digest())));
        // inserting a key already there fails
        let again = replay_command(
            Command::Insert,
            &s.register(),
            &CommandVars::Pairs {
                pairs: pairs(&ins),
                proof,
            },
        );
        assert!(again.next.is_err());
        // pay miners 3 and 5: their balances to zero; getMany sees what they were owed
        let before = s.register();
        let pay = [(3u8, 0i64), (5, 0)];
        let ops: Vec<Operation> = pay
            .iter()
            .map(|(k, _)| Operation::Update(key(*k), vec![0; 8]))
            .collect();
        let proof = s.prove(&ops).unwrap().proof;
        let r = replay_command(
            Command::Payout,
            &before,
            &CommandVars::Pairs {
                pairs: pairs(&pay),
                proof,
            },
        );
        assert_eq!(r.next, Ok(s.digest()));
        let old = r.old.unwrap().unwrap();
        assert_eq!(long(old[1].as_deref().unwrap(), "x"), Ok(5_000_000_000));
        // delete the two paid miners: a lookup proof, then a removal proof
        let before = s.register();
        let gone = [key(3), key(5)];
        let lookup_proof = s.prove_lookups(&gone).unwrap().proof;
        let removal_proof = s.prove(&gone.map(Operation::Remove)).unwrap().proof;
        let vars = CommandVars::Keys {
            keys: gone.iter().map(|k| k.to_vec()).collect(),
            lookup_proof,
            removal_proof,
        };
        let r = replay_command(Command::Delete, &before, &vars);
        assert_eq!(r.next, Ok(s.digest()));
        assert_eq!(r.old.unwrap().unwrap(), vec![Some(vec![0; 8]), Some(vec![0; 8])]);
        // the variables of another command: refused by name, never replayed
        assert!(replay_command(Command::Update, &before, &vars)
            .next
            .unwrap_err()
            .contains("not a list of keys"));
    }

    #[crate::test]
    fn a_flipped_proof_byte_a_missing_key_or_a_short_balance_gives_no_digest() {
        let mut s = state();
        let tree = s.register();
        let ops = [Operation::Update(key(1), 1_000_000_001i64.to_be_bytes().to_vec())];
        let proof = s.prove(&ops).unwrap().proof;
        let mut bad = proof.clone();
        let mid = bad.len() / 2;
        bad[mid] ^= 0x10;
        let r = replay_command(
            Command::Update,
            &tree,
            &CommandVars::Pairs {
                pairs: pairs(&[(1, 1)]),
                proof: bad,
            },
        );
        assert!(r.next.is_err());
        // a key not in the tree: getMany's Option is empty, so the contract throws
        let r = replay_command(
            Command::Update,
            &tree,
            &CommandVars::Pairs {
                pairs: pairs(&[(8, 1)]),
                proof: proof.clone(),
            },
        );
        assert!(r.written.is_err() && r.next.is_err());
        // a delta of fewer than 8 bytes: byteArrayToLong throws
        let short = CommandVars::Pairs {
            pairs: vec![(key(1).to_vec(), vec![1, 2, 3])],
            proof,
        };
        let r = replay_command(Command::Update, &tree, &short);
        assert!(r.written.unwrap_err().contains("byteArrayToLong of 3 bytes"));
    }

    #[crate::test]
    fn a_credit_past_a_long_or_a_delta_of_minus_two_to_the_63_is_an_error_never_a_wrapped_balance() {
        let mut s = ShareState::from_entries([(key(1), (i64::MAX - 1).to_be_bytes().to_vec())]).unwrap();
        let tree = s.register();
        let proof = s.prove_lookups(&[key(1)]).unwrap().proof;
        for delta in [2, i64::MIN] {
            let vars = CommandVars::Pairs {
                pairs: pairs(&[(1, delta)]),
                proof: proof.clone(),
            };
            let r = replay_command(Command::Update, &tree, &vars);
            assert!(r.written.unwrap_err().contains("overflows a Long"), "{delta}");
            assert!(r.next.is_err());
        }
    }
}
