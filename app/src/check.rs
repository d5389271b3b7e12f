//! A miner's check of a pool, step by step: for each epoch, walk its chain of share-state boxes
//! through the node (every payout replayed in the browser), then take the miner's row from the
//! walk — or, for a miner no payout touched, from the pool's lookup proof checked against the
//! tip's on-chain digest.

use crate::model::{self, Pool, Row};
use crate::net::{FetchError, Fetcher};
use sharestate::ergo::json::decode_transaction;
use sharestate::ergo::Id;
use sharestate::pool::service::verify_proof_answer;
use sharestate::pool::walk::{Need, Walk, WalkError, Walker};
use sharestate::{hex, Key};

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

/// Why a check stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckError {
    Fetch(FetchError),
    /// The node's answer does not hold up (a box or transaction id that does not recompute, a
    /// box that is not a share state…).
    Chain(String),
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckError::Fetch(FetchError::NotFound { url }) => write!(f, "box or transaction not found: {url}"),
            CheckError::Fetch(e) => write!(f, "{e}"),
            CheckError::Chain(e) => write!(f, "the chain data does not verify: {e}"),
        }
    }
}

impl From<FetchError> for CheckError {
    fn from(e: FetchError) -> Self {
        CheckError::Fetch(e)
    }
}

impl From<WalkError> for CheckError {
    fn from(e: WalkError) -> Self {
        CheckError::Chain(e.to_string())
    }
}

/// `base` joined with `path` (an absolute URL stays as it is).
pub fn join(base: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
    }
}

/// Walks the epoch starting at `start`, reporting each replayed payout.
pub async fn walk(
    node: &str,
    start: Id,
    fetch: &Fetcher,
    mut on_step: impl FnMut(&Walker),
) -> Result<Walk, CheckError> {
    let mut w = Walker::new(start);
    while let Some(need) = w.next() {
        match need {
            Need::Box(id) => {
                let body = fetch
                    .get(&join(node, &format!("/blockchain/box/byId/{}", id.to_hex())))
                    .await?;
                w.feed_box(&body)?;
            }
            Need::Transaction(id) => {
                let body = fetch
                    .get(&join(node, &format!("/blockchain/transaction/byId/{}", id.to_hex())))
                    .await?;
                w.feed_transaction(&body)?;
                on_step(&w);
            }
        }
    }
    w.into_walk()
        .ok_or_else(|| CheckError::Chain("the walk ended before it began".into()))
}

/// The epoch's reward: from its payouts, or else from the reward box its opening made
/// (output 1 of the transaction that created the start box).
async fn reward(node: &str, walk: &Walk, fetch: &Fetcher) -> Result<Option<i64>, CheckError> {
    if walk.reward.is_some() {
        return Ok(walk.reward);
    }
    let tx = walk.start.ergo_box.transaction_id.to_hex();
    let body = fetch
        .get(&join(node, &format!("/blockchain/transaction/byId/{tx}")))
        .await?;
    let t = decode_transaction(&body).map_err(|e| CheckError::Chain(e.to_string()))?;
    Ok(t.outputs
        .get(1)
        .and_then(|o| model::reward_from_register(o.ergo_box.registers.first().map(Vec::as_slice))))
}

/// Checks `key` in every epoch of `pool`, calling `on_row` as each epoch's row is known.
pub async fn check(
    node: &str,
    pool: &Pool,
    key: Key,
    fetch: &Fetcher,
    on_progress: impl Fn(Progress),
    on_row: impl Fn(Row),
) -> Result<(), CheckError> {
    let proof_base = join(node, pool.proof_service.as_deref().unwrap_or("/pool"));
    let mut progress = Progress {
        epochs: pool.epochs.len(),
        ..Progress::default()
    };
    for e in &pool.epochs {
        let start = hex::decode_array::<32>(&e.start_box)
            .map(Id)
            .map_err(|err| CheckError::Chain(format!("epoch {} start box: {err}", e.number)))?;
        progress.step = format!("epoch {}: walking its share-state boxes", e.number);
        on_progress(progress.clone());
        let base_replayed = progress.replayed;
        let walk = walk(node, start, fetch, |w| {
            let n = w.walk().map_or(0, |w| w.steps.len());
            let p = Progress {
                step: format!("epoch {}: replaying payout {n}", e.number),
                replayed: base_replayed + n,
                known: base_replayed + n,
                ..progress.clone()
            };
            on_progress(p);
        })
        .await?;
        progress.replayed = base_replayed + walk.steps.len();
        progress.known = progress.replayed;
        let reward = reward(node, &walk, fetch).await?;
        let lookup = if walk.latest(&key).is_some() {
            None
        } else {
            progress.step = format!("epoch {}: checking the pool's lookup proof", e.number);
            on_progress(progress.clone());
            let url = join(
                &proof_base,
                &format!("/proof/{}/{}", walk.tip.id.to_hex(), hex::encode(&key)),
            );
            Some(match (fetch.get(&url).await, walk.tip_digest()) {
                (Ok(body), Some(d)) => {
                    verify_proof_answer(&body, &d, &key).map_err(|e| format!("the pool's lookup proof fails: {e}"))
                }
                (Ok(_), None) => Err("the tip box has no digest".into()),
                (Err(FetchError::Cancelled), _) => return Err(FetchError::Cancelled.into()),
                (Err(e), _) => Err(format!("the pool's proof service: {e}")),
            })
        };
        on_row(model::row(e.number, &walk, &key, reward, lookup));
        progress.epochs_done += 1;
        on_progress(progress.clone());
    }
    progress.step = "done".into();
    on_progress(progress);
    Ok(())
}

/// Finds a pool's epochs from what a user typed: a share-state box id (one epoch from there), a
/// pool token id, or the address of the pool's share-state contract. An epoch starts at a
/// share-state box that no share-state box's spending created.
pub async fn discover(node: &str, input: &str, fetch: &Fetcher) -> Result<Pool, CheckError> {
    use sharestate::ergo::json::{decode_box, decode_boxes};
    use sharestate::pool::walk::{epoch_starts, is_share_state};
    let input = input.trim();
    let pool = |name: String, token: Option<String>, starts: Vec<Id>| Pool {
        name,
        token,
        proof_service: None,
        explorer: None,
        epochs: starts
            .iter()
            .enumerate()
            .map(|(i, s)| model::EpochRef {
                number: i + 1,
                start_box: s.to_hex(),
            })
            .collect(),
    };
    let short = |s: &str| format!("{}…", &s[..s.len().min(12)]);
    if input.len() == 64 && input.bytes().all(|b| b.is_ascii_hexdigit()) {
        let id = input.to_ascii_lowercase();
        match fetch.get(&join(node, &format!("/blockchain/box/byId/{id}"))).await {
            Ok(body) => {
                let b = decode_box(&body).map_err(|e| CheckError::Chain(e.to_string()))?;
                if is_share_state(&b) {
                    return Ok(pool(format!("Pool from box {}", short(&id)), None, vec![b.id]));
                }
                // not a share state: the id may still be a token's (a token's id is the id of
                // the box its minting spent)
            }
            Err(FetchError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let body = fetch
            .get(&join(node, &format!("/blockchain/box/byTokenId/{id}?limit=500")))
            .await?;
        let found = epoch_starts(&decode_boxes(&body).map_err(|e| CheckError::Chain(e.to_string()))?);
        if found.is_empty() {
            return Err(CheckError::Chain(format!(
                "no share-state box holds token {}",
                short(&id)
            )));
        }
        return Ok(pool(format!("Pool of token {}", short(&id)), Some(id), found));
    }
    sharestate::Address::parse(input)
        .map_err(|e| CheckError::Chain(format!("not a box id, token id or address: {e}")))?;
    let body = fetch
        .post(&join(node, "/blockchain/box/byAddress?limit=500"), input)
        .await?;
    let found = epoch_starts(&decode_boxes(&body).map_err(|e| CheckError::Chain(e.to_string()))?);
    if found.is_empty() {
        return Err(CheckError::Chain("no share-state box at that address".into()));
    }
    Ok(pool(format!("Pool at {}", short(input)), None, found))
}
