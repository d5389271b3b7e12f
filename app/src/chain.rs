//! The chain data the app reads, from one typed client: a source of chain data — an Ergo node
//! (with extraIndex) or the explorer's GraphQL service, whose requests and answers the core's
//! [`sharestate::source`] builds and checks — and a pool's proof service. Answers are decoded
//! (box and transaction ids recomputed) or verified (proofs against an on-chain digest) before
//! they are returned; the walk of an epoch is the core's sans-IO [`Walker`] driven through this
//! client.

use crate::net::{FetchError, Fetcher};
use sharestate::ergo::json::JsonError;
use sharestate::ergo::{Address, ChainBox, ChainTransaction, Id};
use sharestate::pool::service::{verify_proof_answer, verify_snapshot_answer, ServiceError};
use sharestate::pool::walk::{Need, Walk, WalkError, Walker};
use sharestate::source::{Method, Query, Request, SourceError, SourceKind};
use sharestate::{hex, Digest, Key, ShareState};
use std::collections::BTreeSet;

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
    /// The GraphQL service answered with an error (its message, clipped).
    Refused(String),
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
                "the source lists more than {MAX_PAGES} pages of boxes: not a pool this app can list"
            ),
            ChainError::Refused(m) => write!(f, "the GraphQL service refused the query: {m}"),
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

impl ChainError {
    /// What a source's answer came to, `url` being where it was asked.
    fn of(e: SourceError, url: &str) -> ChainError {
        match e {
            SourceError::Json(j) => ChainError::Decode(j),
            SourceError::Graphql { message } => ChainError::Refused(message),
            SourceError::NotFound { .. } => ChainError::Fetch(FetchError::NotFound { url: url.into() }),
            SourceError::NotOne { .. } => ChainError::Info(e.to_string()),
            SourceError::NoHeight { .. } => ChainError::NoHeight,
        }
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

/// This page's origin (where the app and its pool list came from).
fn page_origin() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        String::new()
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

/// A source of chain data, through one query's [`Fetcher`]: an Ergo node with extraIndex, or
/// the explorer's GraphQL service (`kind`), at `base`.
pub struct Chain<'f> {
    base: String,
    kind: SourceKind,
    fetch: &'f Fetcher,
}

impl<'f> Chain<'f> {
    pub fn new(base: &str, kind: SourceKind, fetch: &'f Fetcher) -> Chain<'f> {
        Chain {
            base: base.to_string(),
            kind,
            fetch,
        }
    }

    /// Where the source is.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// What kind of source it is.
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    fn url(&self, path: &str) -> String {
        if path.is_empty() {
            self.base.clone()
        } else {
            join(&self.base, path)
        }
    }

    /// Sends `query`'s request; the answer's text, and the URL it came from.
    async fn ask(&self, query: &Query) -> Result<(String, String), FetchError> {
        let Request { method, path, body } = self.kind.request(query);
        let url = self.url(&path);
        let text = match (method, body) {
            (Method::Get, _) => self.fetch.get(&url).await?,
            (Method::Post, body) => self.fetch.post(&url, &body.map(|(b, _)| b).unwrap_or_default()).await?,
        };
        Ok((text, url))
    }

    /// A box, its id recomputed: the one asked for.
    pub async fn box_by_id(&self, id: Id) -> Result<ChainBox, ChainError> {
        let (text, url) = self.ask(&Query::Box(id)).await?;
        let b = self.kind.box_answer(&text).map_err(|e| ChainError::of(e, &url))?;
        asked(id, b.id)?;
        Ok(b)
    }

    /// A transaction, the one asked for; its id recomputed where the source gives the inputs'
    /// context extensions (`id_verified`).
    pub async fn transaction_by_id(&self, id: Id) -> Result<ChainTransaction, ChainError> {
        let (text, url) = self.ask(&Query::Transaction(id)).await?;
        let t = self
            .kind
            .transaction_answer(&text)
            .map_err(|e| ChainError::of(e, &url))?;
        asked(id, t.id)?;
        Ok(t)
    }

    /// Every box that ever held token `token` (spent or not).
    pub async fn boxes_by_token_id(&self, token: Id) -> Result<Vec<ChainBox>, ChainError> {
        self.listing(|offset, limit| Query::BoxesByToken { token, offset, limit })
            .await
    }

    /// Every box that was ever at `address` (spent or not).
    pub async fn boxes_by_address(&self, address: &Address) -> Result<Vec<ChainBox>, ChainError> {
        let address = address.encode();
        self.listing(|offset, limit| Query::BoxesByAddress {
            address: address.clone(),
            offset,
            limit,
        })
        .await
    }

    /// All pages of a listing, until a short page (or one that adds nothing new: a source that
    /// ignores the offset is not asked forever); a box listed twice is kept once.
    async fn listing(&self, page: impl Fn(usize, usize) -> Query) -> Result<Vec<ChainBox>, ChainError> {
        let limit = self.kind.max_page();
        let mut seen = BTreeSet::new();
        let mut all = Vec::new();
        for n in 0..MAX_PAGES {
            let (text, url) = self.ask(&page(n * limit, limit)).await?;
            let boxes = self.kind.boxes_answer(&text).map_err(|e| ChainError::of(e, &url))?;
            let full = boxes.len() >= limit;
            let before = all.len();
            all.extend(boxes.into_iter().filter(|b| seen.insert(b.id)));
            if !full || all.len() == before {
                return Ok(all);
            }
        }
        Err(ChainError::TooManyBoxes)
    }

    /// What the source says of itself (its version, whether it is indexed and gives context
    /// extensions).
    pub async fn info(&self) -> Result<sharestate::source::Capabilities, ChainError> {
        let (text, url) = self.ask(&Query::Info).await?;
        self.kind.info_answer(&text).map_err(|e| ChainError::of(e, &url))
    }

    /// The height of the source's best block.
    pub async fn height(&self) -> Result<u32, ChainError> {
        let (text, url) = self.ask(&Query::Height).await?;
        self.kind.height_answer(&text).map_err(|e| ChainError::of(e, &url))
    }

    /// Submits a signed transaction (JSON) to the node's `/transactions`; the id the node
    /// answers with, if it gives one. (A GraphQL source is asked for nothing here: its
    /// submission is a mutation this app does not make yet, so the wallet submits.)
    pub async fn submit(&self, signed_json: &str) -> Result<Option<String>, FetchError> {
        if self.kind != SourceKind::Node {
            return Err(FetchError::Unreachable {
                url: self.base.clone(),
                detail: "the GraphQL source takes no submission from this app: only the wallet or a node can submit"
                    .into(),
            });
        }
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
                Need::Box(id) => walker.feed_chain_box(self.box_by_id(id).await?)?,
                Need::Transaction(id) => walker.feed_chain_transaction(self.transaction_by_id(id).await?)?,
            }
            // not every answer is a payout (the tip asked for again, the opening of the epoch)
            if let Some(w) = walker.walk().filter(|w| w.steps.len() > replayed) {
                replayed = w.steps.len();
                on_step(w);
            }
        }
        walker.into_walk().ok_or(ChainError::EmptyWalk)
    }

    /// The proof service of a pool: at `path` if absolute, else `path` (or `/pool`) relative
    /// to the node — or, with the explorer's GraphQL as the source, to this page's origin, where
    /// the pool list came from: the explorer serves no proofs, and need not learn who checks
    /// which pool.
    pub fn proof_service(&self, path: Option<&str>) -> ProofService<'f> {
        let base = match self.kind {
            SourceKind::Node => self.base.clone(),
            SourceKind::Graphql => page_origin(),
        };
        ProofService {
            base: join(&base, path.unwrap_or("/pool")),
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
