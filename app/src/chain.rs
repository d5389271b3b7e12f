//! The chain data the app reads, from one typed client: a source of chain data — an Ergo node
//! (with extraIndex), the explorer's GraphQL service or the explorer API, at one URL or a
//! fallback list, with an optional second source for transactions — whose requests and answers the core's
//! [`sharestate::source`] builds and checks — and a pool's proof service. Answers are decoded
//! (box and transaction ids recomputed) or verified (proofs against an on-chain digest) before
//! they are returned; the walk of an epoch is the core's sans-IO [`Walker`] driven through this
//! client.

use crate::cache::AnswerCache;
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
            ChainError::NoHeight => f.write_str("the source gave no height"),
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

/// A source of chain data, through one query's [`Fetcher`]: an Ergo node with extraIndex, the
/// explorer's GraphQL service or the explorer API v1 (`kind`), at one URL or several tried in
/// order (a public service that is down, slow or failing hands over to the next, which then
/// answers the rest of the check: each answer is checked the same, whichever gave it); and
/// optionally a second source for transactions (needed with the explorer API, whose
/// transactions carry no context extensions).
pub struct Chain<'f> {
    bases: Vec<String>,
    kind: SourceKind,
    fetch: &'f Fetcher,
    /// Answers that cannot change, kept from earlier checks (each checked again when used).
    cache: Option<&'f AnswerCache>,
    /// Which of `bases` answers now.
    current: std::cell::Cell<usize>,
    transactions: Option<Box<Chain<'f>>>,
}

/// The URLs of a setting: separated by spaces, commas or new lines, in order.
pub fn urls(setting: &str) -> Vec<String> {
    setting
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether another endpoint of the same kind may answer what this one could not.
fn try_next(e: &FetchError) -> bool {
    e.retryable() || matches!(e, FetchError::Status { status, .. } if *status >= 500 || *status == 429)
}

impl<'f> Chain<'f> {
    /// The source of `kind` at the URLs of `setting` ([`urls`]; none: this page's origin).
    pub fn new(setting: &str, kind: SourceKind, fetch: &'f Fetcher) -> Chain<'f> {
        let mut bases = urls(setting);
        if bases.is_empty() {
            bases.push(page_origin());
        }
        Chain {
            bases,
            kind,
            fetch,
            current: std::cell::Cell::new(0),
            transactions: None,
            cache: None,
        }
    }

    /// This source, taking what cannot change from `cache` (and keeping it there): spent boxes,
    /// transactions, the proof service's answers about a box.
    pub fn with_cache(mut self, cache: &'f AnswerCache) -> Chain<'f> {
        self.cache = Some(cache);
        if let Some(t) = self.transactions.take() {
            self.transactions = Some(Box::new(t.with_cache(cache)));
        }
        self
    }

    /// This source, with transactions read from `second` instead (when it names any URL).
    pub fn with_transactions_from(mut self, second: Option<(&str, SourceKind)>) -> Chain<'f> {
        self.transactions = second
            .filter(|(setting, _)| !urls(setting).is_empty())
            .map(|(setting, kind)| Box::new(Chain::new(setting, kind, self.fetch)));
        match self.cache {
            Some(c) => self.with_cache(c),
            None => self,
        }
    }

    /// Where the source is (the URL answering now).
    pub fn base(&self) -> &str {
        &self.bases[self.current.get().min(self.bases.len() - 1)]
    }

    /// What kind of source it is.
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// Where transactions come from, when not from this source: its kind and URL.
    pub fn transactions_source(&self) -> Option<(SourceKind, &str)> {
        self.transactions.as_ref().map(|t| (t.kind, t.base()))
    }

    /// Sends `query`'s request to the URL answering now, and on to the next ones while they are
    /// away, slow or failing; the answer's text, and the URL it came from.
    async fn ask(&self, query: &Query) -> Result<(String, String), FetchError> {
        let Request { method, path, body } = self.kind.request(query);
        let body = body.map(|(b, _)| b).unwrap_or_default();
        let mut n = self.current.get();
        loop {
            let url = if path.is_empty() {
                self.bases[n].clone()
            } else {
                join(&self.bases[n], &path)
            };
            let answer = match method {
                Method::Get => self.fetch.get(&url).await,
                Method::Post => self.fetch.post(&url, &body).await,
            };
            match answer {
                Ok(text) => {
                    self.current.set(n);
                    return Ok((text, url));
                }
                Err(e) if try_next(&e) && n + 1 < self.bases.len() => n += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// A box, its id recomputed: the one asked for. A spent box is taken from the cache if it
    /// is there (checked again), and kept there if it is not.
    pub async fn box_by_id(&self, id: Id) -> Result<ChainBox, ChainError> {
        let key = format!("{}:box:{}", self.kind.name(), id.to_hex());
        if let Some(text) = self.cache.and_then(|c| c.get(&key)) {
            match self.kind.box_answer(&text) {
                Ok(b) if b.id == id && b.spent_transaction_id.is_some() => return Ok(b),
                _ => {}
            }
        }
        let (text, url) = self.ask(&Query::Box(id)).await?;
        let b = self.kind.box_answer(&text).map_err(|e| ChainError::of(e, &url))?;
        asked(id, b.id)?;
        if let (Some(cache), Some(_)) = (self.cache, b.spent_transaction_id) {
            cache.put(&key, &text);
        }
        Ok(b)
    }

    /// A transaction, the one asked for; its id recomputed where the source gives the inputs'
    /// context extensions (`id_verified`).
    pub async fn transaction_by_id(&self, id: Id) -> Result<ChainTransaction, ChainError> {
        if let Some(second) = &self.transactions {
            return Box::pin(second.transaction_by_id(id)).await;
        }
        // a transaction never changes: the cache's copy is checked as the source's would be
        let key = format!("{}:tx:{}", self.kind.name(), id.to_hex());
        if let Some(text) = self.cache.and_then(|c| c.get(&key)) {
            match self.kind.transaction_answer(&text) {
                Ok(t) if t.id == id => return Ok(t),
                _ => {}
            }
        }
        let (text, url) = self.ask(&Query::Transaction(id)).await?;
        let t = self
            .kind
            .transaction_answer(&text)
            .map_err(|e| ChainError::of(e, &url))?;
        asked(id, t.id)?;
        if let Some(cache) = self.cache {
            cache.put(&key, &text);
        }
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

    /// Submits a signed transaction (JSON): to a node's `/transactions` or the explorer API's
    /// `/api/v1/mempool/transactions/submit`; the id it answers with, if it gives one. (A
    /// GraphQL source is asked for nothing here: its submission is a mutation this app does not
    /// make yet, so the wallet submits.)
    pub async fn submit(&self, signed_json: &str) -> Result<Option<String>, FetchError> {
        let path = match self.kind {
            SourceKind::Node => "/transactions",
            SourceKind::Explorer => "/api/v1/mempool/transactions/submit",
            SourceKind::Graphql => {
                return Err(FetchError::Unreachable {
                    url: self.base().to_string(),
                    detail: "the GraphQL source takes no submission from this app: only the wallet, a node or the explorer API can submit"
                        .into(),
                })
            }
        };
        let answer = self.fetch.post(&join(self.base(), path), signed_json).await?;
        // a node answers with the id as a JSON string, the explorer with {"id": …}
        let id = serde_json::from_str::<serde_json::Value>(&answer)
            .ok()
            .and_then(|v| v.as_str().or_else(|| v["id"].as_str()).map(str::to_string));
        Ok(id)
    }

    /// Walks the epoch starting at the share-state box `start` to its unspent tip: the walker
    /// says what it needs, this fetches it. `on_step` sees the walk after each payout replayed.
    pub async fn walk(&self, start: Id, on_step: impl FnMut(&Walk)) -> Result<Walk, ChainError> {
        self.walk_with(start, None, on_step).await
    }

    /// [`Chain::walk`] from the epoch's first box, already fetched.
    pub async fn walk_from(&self, first: ChainBox, on_step: impl FnMut(&Walk)) -> Result<Walk, ChainError> {
        self.walk_with(first.id, Some(first), on_step).await
    }

    async fn walk_with(
        &self,
        start: Id,
        mut first: Option<ChainBox>,
        mut on_step: impl FnMut(&Walk),
    ) -> Result<Walk, ChainError> {
        let mut walker = Walker::new(start);
        let mut replayed = 0;
        while let Some(need) = walker.next() {
            match need {
                Need::Box(id) => {
                    let b = match first.take() {
                        Some(b) if b.id == id => b,
                        _ => self.box_by_id(id).await?,
                    };
                    walker.feed_chain_box(b)?
                }
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
    /// to the node — or, with the explorer (GraphQL or API) as the source, to this page's
    /// origin, where the pool list came from: the explorer serves no proofs, and need not learn
    /// who checks which pool.
    pub fn proof_service(&self, path: Option<&str>) -> ProofService<'f> {
        let base = match self.kind {
            SourceKind::Node => self.base().to_string(),
            SourceKind::Graphql | SourceKind::Explorer => page_origin(),
        };
        ProofService {
            base: join(&base, path.unwrap_or("/pool")),
            fetch: self.fetch,
            cache: self.cache,
        }
    }
}

/// A pool's proof service: lookup proofs and snapshots of the share state at a box, each
/// verified against that box's digest.
pub struct ProofService<'f> {
    base: String,
    fetch: &'f Fetcher,
    cache: Option<&'f AnswerCache>,
}

impl ProofService<'_> {
    /// The answer at `path`, the cache's if it has one that `check` accepts, else the
    /// service's (kept in the cache once `check` accepts it: it is about one box's digest, which
    /// never changes).
    async fn answer<T>(
        &self,
        path: String,
        check: impl Fn(&str) -> Result<T, ServiceError>,
    ) -> Result<T, ProofServiceError> {
        let url = join(&self.base, &path);
        let key = format!("proof-service:{url}");
        if let Some(found) = self.cache.and_then(|c| c.get(&key)).and_then(|text| check(&text).ok()) {
            return Ok(found);
        }
        let body = self.fetch.get(&url).await.map_err(ProofServiceError::Fetch)?;
        let value = check(&body).map_err(ProofServiceError::Invalid)?;
        if let Some(c) = self.cache {
            c.put(&key, &body);
        }
        Ok(value)
    }

    /// The value of `key` in the share state of box `at` (`None`: proven absent).
    pub async fn lookup(&self, at: Id, digest: &Digest, key: &Key) -> Result<Option<Vec<u8>>, ProofServiceError> {
        self.answer(format!("/proof/{}/{}", at.to_hex(), hex::encode(key)), |body| {
            verify_proof_answer(body, digest, key)
        })
        .await
    }

    /// The whole share state of box `at`.
    pub async fn snapshot(&self, at: Id, digest: &Digest) -> Result<ShareState, ProofServiceError> {
        self.answer(format!("/snapshot/{}", at.to_hex()), |body| {
            verify_snapshot_answer(body, digest)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn a_setting_lists_urls_in_order() {
        assert_eq!(
            super::urls(" https://a.example/ , https://b.example\nhttps://c.example "),
            ["https://a.example/", "https://b.example", "https://c.example"]
        );
        assert!(super::urls("  ").is_empty());
    }

    #[test]
    fn another_endpoint_is_tried_only_when_this_one_is_away_or_failing() {
        use crate::net::FetchError;
        let url = String::from("u");
        assert!(super::try_next(&FetchError::Timeout { url: url.clone() }));
        assert!(super::try_next(&FetchError::Status {
            url: url.clone(),
            status: 502,
            body: String::new()
        }));
        // an answer that is there (or not there) is the answer: a 404 is not hidden by asking on
        assert!(!super::try_next(&FetchError::NotFound { url: url.clone() }));
        assert!(!super::try_next(&FetchError::Status {
            url,
            status: 400,
            body: String::new()
        }));
    }

    #[test]
    fn paths_join_the_base_and_absolute_urls_stay() {
        assert_eq!(join("http://n:9053/", "/info"), "http://n:9053/info");
        assert_eq!(join("http://n:9053", "pool"), "http://n:9053/pool");
        assert_eq!(join("http://n:9053", "https://p.example/api"), "https://p.example/api");
    }
}
