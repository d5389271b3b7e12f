//! A miner's check of a pool, step by step: for each epoch, walk its chain of share-state boxes
//! through the node (every payout replayed in the browser, the epoch's reward found on the way),
//! then take the miner's row from the walk — or, for a miner no payout touched, from the pool's
//! lookup proof checked against the tip's on-chain digest. And the discovery of a pool's epochs
//! from a box id, a token id or an address.

use crate::chain::{Chain, ChainError, ProofServiceError};
use crate::model::{self, EpochRef, NotAudited, Pool, ProvenBy, Row};
use crate::net::FetchError;
use futures::StreamExt;
use sharestate::encoding::hex::FixedHexError;
use sharestate::ergo::Id;
use sharestate::pool::walk::{self, epoch_starts, is_share_state, Walk};
use sharestate::posted::{self, Audit, ShareStateContract};
use sharestate::{hex, Address, AddressError, Digest, Key, ShareState};
use std::cell::RefCell;

/// Where the check stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    /// What is being done, in words.
    pub step: String,
    /// Payout transactions replayed so far.
    pub replayed: usize,
    /// Payout transactions known so far (grows as the walks discover them).
    pub known: usize,
    /// Epochs finished, of all.
    pub epochs_done: usize,
    pub epochs: usize,
}

/// Why a check (or a pool's discovery) stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckError {
    /// The node gave nothing usable, or nothing that holds up (a box or transaction id that does
    /// not recompute, a box that is not a share state, a payout that does not replay…).
    Chain(ChainError),
    /// An epoch's start box in the pool's list is not a box id.
    StartBox {
        epoch: usize,
        error: FixedHexError,
    },
    /// What was typed to find a pool is neither an id nor an address.
    NotAPoolReference(AddressError),
    /// No share-state box holds the token (hex).
    NoBoxWithToken(String),
    NoBoxAtAddress,
    /// The share-state boxes at an address hold this many different identity tokens.
    SeveralPools(usize),
}

impl CheckError {
    /// The request that failed, if that is why.
    pub fn fetch(&self) -> Option<&FetchError> {
        match self {
            CheckError::Chain(ChainError::Fetch(e)) => Some(e),
            _ => None,
        }
    }
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unverified = "the chain data does not verify";
        match self {
            CheckError::Chain(ChainError::Fetch(FetchError::NotFound { url })) => {
                write!(f, "box or transaction not found: {url}")
            }
            CheckError::Chain(ChainError::Fetch(e)) => write!(f, "{e}"),
            CheckError::Chain(e) => write!(f, "{unverified}: {e}"),
            CheckError::StartBox { epoch, error } => write!(f, "{unverified}: epoch {epoch} start box: {error}"),
            CheckError::NotAPoolReference(e) => write!(f, "{unverified}: not a box id, token id or address: {e}"),
            CheckError::NoBoxWithToken(token) => {
                write!(f, "{unverified}: no share-state box holds token {}", short(token))
            }
            CheckError::NoBoxAtAddress => write!(f, "{unverified}: no share-state box at that address"),
            CheckError::SeveralPools(n) => write!(
                f,
                "the share-state boxes at that address hold {n} different identity tokens (anyone can make a box there): add the pool by its token id"
            ),
        }
    }
}

impl From<ChainError> for CheckError {
    fn from(e: ChainError) -> Self {
        CheckError::Chain(e)
    }
}

impl From<FetchError> for CheckError {
    fn from(e: FetchError) -> Self {
        CheckError::Chain(ChainError::Fetch(e))
    }
}

/// The first characters of an id or address, for names and messages.
fn short(s: &str) -> String {
    format!("{}…", &s[..s.len().min(12)])
}

/// How many epochs are checked at once.
pub const EPOCHS_AT_ONCE: usize = 6;

/// Checks `key` in every epoch of `pool`, calling `on_row` as each epoch's row is known. An
/// epoch that cannot be checked (a source that errs or times out, data that does not verify)
/// becomes a failed row of its own; only a query replaced by a newer one stops the check. If
/// an epoch failed because the source was away or slow, the check ends with that error (after
/// every row), so that it can be retried.
pub async fn check(
    node: &Chain<'_>,
    pool: &Pool,
    key: Key,
    on_progress: impl Fn(Progress),
    on_row: impl Fn(Row),
) -> Result<(), CheckError> {
    let mut progress = Progress {
        epochs: pool.epochs.len(),
        ..Progress::default()
    };
    let mut retryable = None;
    // the source's height, for the hardened epochs' deadlines (rows say nothing of them without)
    let now = node.height().await.ok();
    // several epochs at once (a browser keeps six connections to a host), their rows in order
    let shared = RefCell::new(progress.clone());
    let report = |p: Progress| on_progress(p);
    let mut rows = futures::stream::iter(&pool.epochs)
        .map(|e| {
            let (shared, report) = (&shared, &report);
            async move { (e, check_epoch(node, pool, e, &key, shared, report).await) }
        })
        .buffered(EPOCHS_AT_ONCE);
    while let Some((e, checked)) = rows.next().await {
        let row = match checked {
            Ok(row) => row,
            Err(CheckError::Chain(ChainError::Fetch(FetchError::Cancelled))) => {
                return Err(FetchError::Cancelled.into())
            }
            Err(error) => {
                let row = Row::failed(e.number, error.to_string());
                if retryable.is_none() && error.fetch().is_some_and(FetchError::retryable) {
                    retryable = Some(error);
                }
                row
            }
        };
        on_row(row.at_height(now));
        let mut p = shared.borrow_mut();
        p.epochs_done += 1;
        on_progress(p.clone());
    }
    drop(rows);
    progress = shared.into_inner();
    progress.step = "done".into();
    on_progress(progress);
    retryable.map_or(Ok(()), Err)
}

/// One epoch's row: its walk, the miner's value (from a payout or a lookup proof), its audit.
/// `progress` is shared by the epochs checked at once.
async fn check_epoch(
    node: &Chain<'_>,
    pool: &Pool,
    e: &EpochRef,
    key: &Key,
    progress: &RefCell<Progress>,
    on_progress: &impl Fn(Progress),
) -> Result<Row, CheckError> {
    let step = |what: String| {
        let mut p = progress.borrow_mut();
        p.step = what;
        on_progress(p.clone());
    };
    let start = hex::decode_array::<32>(&e.start_box)
        .map(Id)
        .map_err(|error| CheckError::StartBox { epoch: e.number, error })?;
    // a key proven absent from the epoch's first state is absent from all of it (the core's
    // `absence_holds_for_epoch`): the epoch needs no walk
    step(format!("epoch {}: looking for you in its first state", e.number));
    let first = node.box_by_id(start).await?;
    let mut snapshot = None;
    let mut at_first = None;
    if let Some((digest, max_score)) = walk::absence_holds_for_epoch(&first) {
        match lookup(node, pool, first.id, digest, key, &mut snapshot).await? {
            Ok((None, by)) => return Ok(model::absent_row(e.number, &first, max_score, by)),
            found => at_first = Some(found),
        }
    }
    step(format!("epoch {}: walking its share-state boxes", e.number));
    let mut counted = 0;
    let walk = node
        .walk_from(first, |w| {
            let n = w.steps.len();
            let mut p = progress.borrow_mut();
            p.replayed += n - counted;
            p.known += n - counted;
            counted = n;
            p.step = format!("epoch {}: replaying payout {n}", e.number);
            on_progress(p.clone());
        })
        .await?;
    // (a snapshot of the first state is of no use beyond it)
    if walk.tip.id != walk.start.id {
        snapshot = None;
    }
    let lookup = if walk.latest(key).is_some() {
        None
    } else {
        step(format!("epoch {}: checking the pool's lookup proof", e.number));
        match (walk.tip_digest(), at_first) {
            // no payout moved the epoch: the first state's answer is the tip's
            (_, Some(found)) if walk.tip.id == walk.start.id => Some(found),
            (Some(digest), _) => Some(lookup(node, pool, walk.tip.id, digest, key, &mut snapshot).await?),
            (None, _) => Some(Err("the tip box has no digest".into())),
        }
    };
    step(format!("epoch {}: auditing its parameters", e.number));
    let audit = audit(node, pool, &walk, snapshot).await?;
    Ok(model::row(e.number, &walk, key, lookup, &audit))
}

/// The epoch's audit from the pool's snapshot at the tip (checked against the tip's digest;
/// `fetched` if the lookup fetched it already), or why there is none. Only a cancelled query
/// stops the check.
async fn audit(
    node: &Chain<'_>,
    pool: &Pool,
    walk: &Walk,
    fetched: Option<ShareState>,
) -> Result<Result<Audit, NotAudited>, CheckError> {
    if walk.contract == ShareStateContract::Unknown {
        return Ok(Err("the contract is unknown, so its rules cannot be audited".into()));
    }
    let Some(digest) = walk.tip_digest() else {
        return Ok(Err("the tip box has no digest".into()));
    };
    let service = node.proof_service(pool.proof_service.as_deref());
    let answer = match fetched {
        Some(state) => Ok(state),
        None => service.snapshot(walk.tip.id, &digest).await,
    };
    let why = match answer {
        Ok(mut state) => return Ok(posted::audit(walk, &mut state).map_err(|e| NotAudited::from(e.to_string()))),
        Err(ProofServiceError::Fetch(FetchError::Cancelled)) => return Err(FetchError::Cancelled.into()),
        Err(ProofServiceError::Fetch(e)) => format!("no snapshot from the pool's proof service: {e}"),
        Err(ProofServiceError::Invalid(e)) => format!("the pool's snapshot does not check: {e}"),
    };
    // without the tree, what the chain alone shows is still audited: a pool cannot hide those
    // findings by serving no snapshot
    Ok(Err(NotAudited {
        why,
        chain: posted::audit::audit_chain(walk),
    }))
}

/// `key`'s value in share-state box `at` from the pool's proof service, verified against the
/// box's `digest`; or why not (for the row). A service that has no proof for the key (a static one
/// publishes a file for each miner in the state only) is asked for the snapshot, verified
/// against the same digest, which proves the key's value or its absence; it is kept in
/// `snapshot` for the audit. Only a cancelled query stops the check.
async fn lookup(
    node: &Chain<'_>,
    pool: &Pool,
    at: Id,
    digest: Digest,
    key: &Key,
    snapshot: &mut Option<ShareState>,
) -> Result<model::Lookup, CheckError> {
    let service = node.proof_service(pool.proof_service.as_deref());
    match service.lookup(at, &digest, key).await {
        Ok(value) => Ok(Ok((value, ProvenBy::LookupProof))),
        Err(ProofServiceError::Fetch(FetchError::NotFound { url })) => match service.snapshot(at, &digest).await {
            Ok(state) => {
                let value = state.get(key).map(<[u8]>::to_vec);
                *snapshot = Some(state);
                Ok(Ok((value, ProvenBy::Snapshot)))
            }
            Err(ProofServiceError::Fetch(FetchError::Cancelled)) => Err(FetchError::Cancelled.into()),
            Err(e) => Ok(Err(format!(
                "the pool's proof service has no proof at {url}, nor a snapshot that checks: {}",
                match e {
                    ProofServiceError::Fetch(f) => f.to_string(),
                    ProofServiceError::Invalid(i) => i.to_string(),
                }
            ))),
        },
        Err(ProofServiceError::Fetch(FetchError::Cancelled)) => Err(FetchError::Cancelled.into()),
        Err(ProofServiceError::Fetch(e)) => Ok(Err(format!("the pool's proof service: {e}"))),
        Err(ProofServiceError::Invalid(e)) => Ok(Err(format!("the pool's lookup proof fails: {e}"))),
    }
}

/// A pool found on the chain: its epochs from their start boxes, oldest first.
fn found_pool(name: String, token: Option<String>, starts: &[Id]) -> Pool {
    Pool {
        name,
        token,
        proof_service: None,
        explorer: None,
        epochs: starts
            .iter()
            .enumerate()
            .map(|(i, s)| EpochRef {
                number: i + 1,
                start_box: s.to_hex(),
            })
            .collect(),
    }
}

/// Finds a pool's epochs from what a user typed: a share-state box id (one epoch from there), a
/// pool token id, or the address of the pool's share-state contract. An epoch starts at a
/// share-state box that no share-state box's spending created.
pub async fn discover(node: &Chain<'_>, input: &str) -> Result<Pool, CheckError> {
    let input = input.trim();
    if let Ok(bytes) = hex::decode_array::<32>(input) {
        let id = Id(bytes);
        let hex = id.to_hex();
        match node.box_by_id(id).await {
            Ok(b) if is_share_state(&b) => {
                return Ok(found_pool(format!("Pool from box {}", short(&hex)), None, &[b.id]));
            }
            // not a share state: the id may still be a token's (a token's id is the id of the
            // box its minting spent)
            Ok(_) | Err(ChainError::Fetch(FetchError::NotFound { .. })) => {}
            Err(e) => return Err(e.into()),
        }
        let found = epoch_starts(&node.boxes_by_token_id(id).await?);
        if found.is_empty() {
            return Err(CheckError::NoBoxWithToken(hex));
        }
        return Ok(found_pool(format!("Pool of token {}", short(&hex)), Some(hex), &found));
    }
    let address = Address::parse(input).map_err(CheckError::NotAPoolReference)?;
    let boxes = node.boxes_by_address(&address).await?;
    // anyone can make a box at a contract's address: the share states there may be several
    // pools' (or a forger's), told apart by the token that is each pool's identity
    let mut tokens: Vec<Option<[u8; 32]>> = boxes
        .iter()
        .filter(|b| is_share_state(b))
        .map(|b| b.ergo_box.tokens.first().map(|t| t.id))
        .collect();
    tokens.sort();
    tokens.dedup();
    if tokens.len() > 1 {
        return Err(CheckError::SeveralPools(tokens.len()));
    }
    let found = epoch_starts(&boxes);
    if found.is_empty() {
        return Err(CheckError::NoBoxAtAddress);
    }
    let token = tokens.first().copied().flatten().map(|t| hex::encode(&t));
    Ok(found_pool(format!("Pool at {}", short(input)), token, &found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_before() {
        let not_found = CheckError::from(FetchError::NotFound { url: "u".into() });
        assert_eq!(not_found.to_string(), "box or transaction not found: u");
        assert_eq!(
            CheckError::NoBoxWithToken("ab".repeat(32)).to_string(),
            "the chain data does not verify: no share-state box holds token abababababab…"
        );
        assert_eq!(
            CheckError::from(ChainError::EmptyWalk).to_string(),
            "the chain data does not verify: the walk ended before it began"
        );
        assert_eq!(not_found.fetch(), Some(&FetchError::NotFound { url: "u".into() }));
    }
}
