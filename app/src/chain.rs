//! The chain data the app reads, from one typed client: an Ergo node (with extraIndex) and a
//! pool's proof service. The only place their URLs are spelled out. Answers are decoded (box and
//! transaction ids recomputed) or verified (proofs against an on-chain digest) before they are
//! returned; the walk of an epoch is the core's sans-IO [`Walker`] driven through this client.

use crate::net::{FetchError, Fetcher};
use sharestate::ergo::json::{decode_box, decode_boxes, decode_transaction, JsonError};
use sharestate::ergo::{Address, ChainBox, ChainTransaction, Id};
use sharestate::pool::service::{verify_proof_answer, verify_snapshot_answer, ServiceError};
use sharestate::pool::walk::{Need, Walk, WalkError, Walker};
use sharestate::{hex, Digest, Key, ShareState};
use std::collections::BTreeSet;

/// Boxes asked for per page of a listing (the most the node and the devnet give at once).
pub const PAGE: usize = 500;

/// Pages of a listing read at most: a node that lists without end is not followed forever.
pub const MAX_PAGES: usize = 100;

/// Why the node gave no usable chain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    Fetch(FetchError),
    /// The answer is not the box or transaction asked for, or not one at all.
    Decode(JsonError),
    /// The walk refused an answer (not a share state, a payout that does not replay…).
    Walk(WalkError),
    /// The walker asked for nothing, so there is no walk.
    EmptyWalk,
    /// The node answered about another box or transaction than the one asked for.
    WrongAnswer {
        asked: Id,
        got: Id,
    },
    /// A listing went on beyond [`MAX_PAGES`] pages.
    TooManyBoxes,
    /// `/info` is not JSON.
    Info(String),
    /// `/info` has no `fullHeight`.
    NoHeight,
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainError::Fetch(e) => write!(f, "{e}"),
            ChainError::Decode(e) => write!(f, "{e}"),
            ChainError::Walk(e) => write!(f, "{e}"),
            ChainError::EmptyWalk => f.write_str("the walk ended before it began"),
            ChainError::WrongAnswer { asked, got } => write!(f, "asked for {asked}, the node answered about {got}"),
            ChainError::TooManyBoxes => write!(
                f,
                "the node lists more than {} boxes: not a pool this app can list",
                MAX_PAGES * PAGE
            ),
            ChainError::Info(e) => f.write_str(e),
            ChainError::NoHeight => f.write_str("the node's /info has no fullHeight"),
        }
    }
}

impl From<FetchError> for ChainError {
    fn from(e: FetchError) -> Self {
        ChainError::Fetch(e)
    }
}

impl From<JsonError> for ChainError {
    fn from(e: JsonError) -> Self {
        ChainError::Decode(e)
    }
}

impl From<WalkError> for ChainError {
    fn from(e: WalkError) -> Self {
        ChainError::Walk(e)
    }
}

/// Why a proof service's answer gives nothing verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofServiceError {
    Fetch(FetchError),
    /// The answer does not verify against the digest on the chain.
    Invalid(ServiceError),
}

/// An answer about `got` where `asked` was asked for is refused.
fn asked(asked: Id, got: Id) -> Result<(), ChainError> {
    if asked == got {
        Ok(())
    } else {
        Err(ChainError::WrongAnswer { asked, got })
    }
}

/// `base` joined with `path` (an absolute URL stays as it is).
fn join(base: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
    }
}

/// A listing of boxes, read page by page.
enum Listing<'l> {
    Token(Id),
    Address(&'l Address),
}

/// An Ergo node with extraIndex, through one query's [`Fetcher`].
pub struct Node<'f> {
    base: String,
    fetch: &'f Fetcher,
}

impl<'f> Node<'f> {
    pub fn new(base: &str, fetch: &'f Fetcher) -> Node<'f> {
        Node {
            base: base.to_string(),
            fetch,
        }
    }

    /// Where the node is.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        join(&self.base, path)
    }

    async fn box_text(&self, id: Id) -> Result<String, FetchError> {
        self.fetch
            .get(&self.url(&format!("/blockchain/box/byId/{}", id.to_hex())))
            .await
    }

    async fn transaction_text(&self, id: Id) -> Result<String, FetchError> {
        self.fetch
            .get(&self.url(&format!("/blockchain/transaction/byId/{}", id.to_hex())))
            .await
    }

    /// A box, its id recomputed: the one asked for.
    pub async fn box_by_id(&self, id: Id) -> Result<ChainBox, ChainError> {
        let b = decode_box(&self.box_text(id).await?)?;
        asked(id, b.id)?;
        Ok(b)
    }

    /// A transaction, the one asked for; its id recomputed where the node gives the inputs'
    /// context extensions (`id_verified`).
    pub async fn transaction_by_id(&self, id: Id) -> Result<ChainTransaction, ChainError> {
        let t = decode_transaction(&self.transaction_text(id).await?)?;
        asked(id, t.id)?;
        Ok(t)
    }

    /// Every box that ever held token `token` (spent or not).
    pub async fn boxes_by_token_id(&self, token: Id) -> Result<Vec<ChainBox>, ChainError> {
        self.listing(Listing::Token(token)).await
    }

    /// Every box that was ever at `address` (spent or not).
    pub async fn boxes_by_address(&self, address: &Address) -> Result<Vec<ChainBox>, ChainError> {
        self.listing(Listing::Address(address)).await
    }

    /// All pages of a listing, until a short page (or one that adds nothing new: a node that
    /// ignores the offset is not asked forever); a box listed twice is kept once.
    async fn listing(&self, listing: Listing<'_>) -> Result<Vec<ChainBox>, ChainError> {
        let mut seen = BTreeSet::new();
        let mut all = Vec::new();
        for n in 0..MAX_PAGES {
            let offset = n * PAGE;
            let page = format!("offset={offset}&limit={PAGE}");
            let body = match &listing {
                Listing::Token(id) => {
                    let url = self.url(&format!("/blockchain/box/byTokenId/{}?{page}", id.to_hex()));
                    self.fetch.get(&url).await?
                }
                Listing::Address(a) => {
                    let url = self.url(&format!("/blockchain/box/byAddress?{page}"));
                    self.fetch.post(&url, &a.encode()).await?
                }
            };
            let boxes = decode_boxes(&body)?;
            let full = boxes.len() >= PAGE;
            let before = all.len();
            all.extend(boxes.into_iter().filter(|b| seen.insert(b.id)));
            if !full || all.len() == before {
                return Ok(all);
            }
        }
        Err(ChainError::TooManyBoxes)
    }

    /// The node's height (`/info`'s `fullHeight`).
    pub async fn height(&self) -> Result<u32, ChainError> {
        let info = self.fetch.get(&self.url("/info")).await?;
        let v: serde_json::Value = serde_json::from_str(&info).map_err(|e| ChainError::Info(e.to_string()))?;
        v["fullHeight"].as_u64().map(|h| h as u32).ok_or(ChainError::NoHeight)
    }

    /// Submits a signed transaction (JSON); the id the node answers with, if it gives one.
    pub async fn submit(&self, signed_json: &str) -> Result<Option<String>, FetchError> {
        let answer = self.fetch.post(&self.url("/transactions"), signed_json).await?;
        Ok(serde_json::from_str::<String>(&answer).ok())
    }

    /// Walks the epoch starting at the share-state box `start` to its unspent tip: the walker
    /// says what it needs, this fetches it. `on_step` sees the walk after each payout replayed.
    pub async fn walk(&self, start: Id, mut on_step: impl FnMut(&Walk)) -> Result<Walk, ChainError> {
        let mut walker = Walker::new(start);
        let mut replayed = 0;
        while let Some(need) = walker.next() {
            match need {
                Need::Box(id) => walker.feed_box(&self.box_text(id).await?)?,
                Need::Transaction(id) => walker.feed_transaction(&self.transaction_text(id).await?)?,
            }
            // not every answer is a payout (the tip asked for again, the opening of the epoch)
            if let Some(w) = walker.walk().filter(|w| w.steps.len() > replayed) {
                replayed = w.steps.len();
                on_step(w);
            }
        }
        walker.into_walk().ok_or(ChainError::EmptyWalk)
    }

    /// The proof service of a pool: at `path` (absolute, or relative to the node), else the
    /// node's `/pool`.
    pub fn proof_service(&self, path: Option<&str>) -> ProofService<'f> {
        ProofService {
            base: join(&self.base, path.unwrap_or("/pool")),
            fetch: self.fetch,
        }
    }
}

/// A pool's proof service: lookup proofs and snapshots of the share state at a box, each
/// verified against that box's digest.
pub struct ProofService<'f> {
    base: String,
    fetch: &'f Fetcher,
}

impl ProofService<'_> {
    /// The value of `key` in the share state of box `at` (`None`: proven absent).
    pub async fn lookup(&self, at: Id, digest: &Digest, key: &Key) -> Result<Option<Vec<u8>>, ProofServiceError> {
        let url = join(&self.base, &format!("/proof/{}/{}", at.to_hex(), hex::encode(key)));
        let body = self.fetch.get(&url).await.map_err(ProofServiceError::Fetch)?;
        verify_proof_answer(&body, digest, key).map_err(ProofServiceError::Invalid)
    }

    /// The whole share state of box `at`.
    pub async fn snapshot(&self, at: Id, digest: &Digest) -> Result<ShareState, ProofServiceError> {
        let url = join(&self.base, &format!("/snapshot/{}", at.to_hex()));
        let body = self.fetch.get(&url).await.map_err(ProofServiceError::Fetch)?;
        verify_snapshot_answer(&body, digest).map_err(ProofServiceError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn paths_join_the_base_and_absolute_urls_stay() {
        assert_eq!(join("http://n:9053/", "/info"), "http://n:9053/info");
        assert_eq!(join("http://n:9053", "pool"), "http://n:9053/pool");
        assert_eq!(join("http://n:9053", "https://p.example/api"), "https://p.example/api");
    }
}
