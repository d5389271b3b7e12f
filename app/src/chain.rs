//! The chain data the app reads, from one typed client: a source of chain data — an Ergo node
//! (with extraIndex), the explorer's GraphQL service or the explorer API, at one URL or a
//! fallback list, with an optional second source for transactions — whose requests and answers the core's
//! [`sharestate::source`] builds and checks — and a pool's proof service. Answers are decoded
//! (box and transaction ids recomputed) or verified (proofs against an on-chain digest) before
//! they are returned; the walk of an epoch is the core's sans-IO [`Walker`] driven through this
//! client.

use crate::cache::AnswerCache;
use crate::net::{FetchError, Fetcher, MAX_IN_FLIGHT};
use futures::StreamExt;
use sharestate::ergo::json::JsonError;
use sharestate::ergo::merkle::InclusionProof;
use sharestate::ergo::{Address, ChainBox, ChainTransaction, Header, Id};
use sharestate::pool::service::{
    proof_path, proofs_path, verify_proof_answer, verify_proofs_answer, verify_snapshot_answer, ServiceError, MAX_BOXES,
};
use sharestate::pool::walk::{Need, Walk, WalkError, Walker};
use sharestate::source::{Answers, Batch, Method, Query, Request, SourceError, SourceKind};
use sharestate::{Digest, Key, ShareState};
use std::collections::BTreeSet;

/// Pages of a listing read at most: a node that lists without end is not followed forever.
pub const MAX_PAGES: usize = 100;

/// Pages of a pool's boxes read ahead of a check ([`Chain::read_pool_boxes`]): a node's 500
/// boxes a page, so a pool of up to 4,000 boxes is read in at most eight requests.
pub const PREFETCH_PAGES: usize = 8;

/// Why the node gave no usable chain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    Fetch(FetchError),
    /// The answer is not the box or transaction asked for, or not one at all (the core's
    /// [`JsonError`], in words: the app only shows it, and a string clones in less code).
    Decode(String),
    /// The walk refused an answer (not a share state, a payout that does not replay…): the
    /// core's [`WalkError`], in words.
    Walk(String),
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
    /// No answer came for this id.
    NoAnswer(Id),
    /// A header the source gave is not one (its id does not recompute, a field is bad).
    Header(String),
    /// The source's inclusion proof cannot be read.
    Inclusion(String),
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
            ChainError::NoAnswer(id) => write!(f, "the source gave no answer about {id}"),
            ChainError::Header(e) => f.write_str(e),
            ChainError::Inclusion(e) => f.write_str(e),
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
        ChainError::Decode(e.to_string())
    }
}

impl ChainError {
    /// What a source's answer came to, `url` being where it was asked.
    fn of(e: SourceError, url: &str) -> ChainError {
        match e {
            SourceError::Json(j) => ChainError::Decode(j.to_string()),
            SourceError::Graphql { message } => ChainError::Refused(message),
            SourceError::NotFound { .. } => ChainError::Fetch(FetchError::NotFound { url: url.into() }),
            SourceError::NotOne { .. } => ChainError::Info(e.to_string()),
            SourceError::NoHeight { .. } => ChainError::NoHeight,
            SourceError::Header(h) => ChainError::Header(h.to_string()),
            SourceError::Inclusion { .. } => ChainError::Inclusion(e.to_string()),
        }
    }
}

impl From<WalkError> for ChainError {
    fn from(e: WalkError) -> Self {
        ChainError::Walk(e.to_string())
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

/// How [`Chain::by_ids`] asks for one kind of thing (boxes or transactions) and decodes it.
struct Wanted<T> {
    /// Its name in cache keys (`box`, `tx`).
    what: &'static str,
    one: fn(SourceKind, &str) -> Result<T, SourceError>,
    many: ManyAnswers<T>,
    batch: fn(Vec<Id>) -> Batch,
    query: fn(Id) -> Query,
    id_of: fn(&T) -> Id,
    /// Whether an answer is kept in the cache (cannot change).
    keep: fn(&T) -> bool,
}

/// How a batch's answer is decoded ([`SourceKind::batch_boxes_answer`] and the like).
type ManyAnswers<T> = fn(SourceKind, &str, &[Id]) -> Result<Answers<T>, SourceError>;

/// The boxes of a listing, without their texts.
fn boxes_only(listed: Vec<(ChainBox, String)>) -> Vec<ChainBox> {
    listed.into_iter().map(|(b, _)| b).collect()
}

/// An answer's text and the URL it came from, or why there is none.
type Texted = Result<(String, String), ChainError>;

/// The blocks one request asked about, each one's part of the answer (or why none), and where
/// it came from.
type BlocksAnswer = (Vec<Id>, Result<Vec<String>, ChainError>, String);

/// What the source answered about one id: the thing and the text it came as (for the cache).
type Answered<T> = Result<(T, String), ChainError>;

/// Calls `on_step` if `walk` replayed a payout since `replayed` payouts (not every answer is
/// a payout: the tip asked for again, the opening of the epoch).
fn report_step(n: usize, walk: Option<&Walk>, replayed: &mut usize, on_step: &mut impl FnMut(usize, &Walk)) {
    if let Some(w) = walk.filter(|w| w.steps.len() > *replayed) {
        *replayed = w.steps.len();
        on_step(n, w);
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
    /// Set once a list of ids was refused: ids are then asked one by one.
    no_lists: std::cell::Cell<bool>,
    /// Boxes read from a listing in this check ([`Chain::read_pool_boxes`]), by id.
    listed: std::cell::RefCell<std::collections::BTreeMap<Id, ChainBox>>,
    /// Headers read in this check, by height (ids recomputed; their work is checked where they
    /// are used: [`sharestate::trust`]).
    /// (sorted by height; each with whether it came from the cache, [`Chain::kept_header`])
    headers: std::cell::RefCell<Vec<(Header, bool)>>,
    transactions: Option<Box<Chain<'f>>>,
    /// The source every verified row is cross-checked with, if any (asked afresh: no cache).
    cross: Option<Box<Chain<'f>>>,
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
            no_lists: std::cell::Cell::new(false),
            listed: Default::default(),
            headers: Default::default(),
            transactions: None,
            cross: None,
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

    /// This source, with every verified row cross-checked with `other` (when it names any URL).
    pub fn with_cross(mut self, other: Option<(&str, SourceKind)>) -> Chain<'f> {
        self.cross = other
            .filter(|(setting, _)| !urls(setting).is_empty())
            .map(|(setting, kind)| Box::new(Chain::new(setting, kind, self.fetch)));
        self
    }

    /// The source to cross-check with, if any.
    pub fn cross(&self) -> Option<&Chain<'f>> {
        self.cross.as_deref()
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

    /// Sends `query`'s request ([`Chain::send`]).
    async fn ask(&self, query: &Query) -> Result<(String, String), FetchError> {
        self.send(&self.kind.request(query)).await
    }

    /// Sends `request` to the URL answering now, and on to the next ones while they are away,
    /// slow or failing; the answer's text, and the URL it came from.
    async fn send(&self, request: &Request) -> Result<(String, String), FetchError> {
        let Request { method, path, body } = request;
        let body = body.as_ref().map(|(b, _)| b.as_str()).unwrap_or_default();
        let mut n = self.current.get();
        loop {
            let url = if path.is_empty() {
                self.bases[n].clone()
            } else {
                join(&self.bases[n], path)
            };
            let answer = match method {
                Method::Get => self.fetch.get(&url).await,
                Method::Post => self.fetch.post(&url, body).await,
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

    /// A box, its id recomputed: the one asked for ([`Chain::boxes_by_ids`]).
    pub async fn box_by_id(&self, id: Id) -> Result<ChainBox, ChainError> {
        self.boxes_by_ids(&[id]).await.remove(0)
    }

    /// A transaction, the one asked for ([`Chain::transactions_by_ids`]).
    pub async fn transaction_by_id(&self, id: Id) -> Result<ChainTransaction, ChainError> {
        self.transactions_by_ids(&[id]).await.remove(0)
    }

    /// Boxes by id, in the order asked, each id recomputed. A spent box is taken from the cache
    /// if it is there (checked again), and kept there if it is not; the others are asked of the
    /// source, many in one request where it has lists (ergo-graphql), else one by one.
    pub async fn boxes_by_ids(&self, ids: &[Id]) -> Vec<Result<ChainBox, ChainError>> {
        // (boxes read from the pool's listing in this check first: see `read_pool_boxes`)
        let listed: Vec<Option<ChainBox>> = {
            let listed = self.listed.borrow();
            ids.iter().map(|id| listed.get(id).cloned()).collect()
        };
        if listed.iter().any(Option::is_some) {
            let rest: Vec<Id> = ids
                .iter()
                .zip(&listed)
                .filter(|(_, l)| l.is_none())
                .map(|(id, _)| *id)
                .collect();
            let mut fetched = Box::pin(self.boxes_by_ids_asked(&rest)).await.into_iter();
            return listed
                .into_iter()
                .zip(ids)
                .map(|(l, id)| match l {
                    Some(b) => Ok(b),
                    None => fetched.next().unwrap_or(Err(ChainError::NoAnswer(*id))),
                })
                .collect();
        }
        self.boxes_by_ids_asked(ids).await
    }

    /// Whether the cache keeps box `id` (spent, so fixed).
    pub fn has_cached_box(&self, id: &Id) -> bool {
        self.cache
            .is_some_and(|c| c.contains(&format!("{}:box:{}", self.kind.name(), id.to_hex())))
    }

    /// [`Chain::boxes_by_ids`], from the cache and the source.
    async fn boxes_by_ids_asked(&self, ids: &[Id]) -> Vec<Result<ChainBox, ChainError>> {
        self.by_ids(
            ids,
            Wanted::<ChainBox> {
                what: "box",
                one: SourceKind::box_answer,
                many: SourceKind::batch_boxes_answer,
                batch: Batch::Boxes,
                query: Query::Box,
                id_of: |b| b.id,
                // an unspent box may be spent by the next check
                keep: |b| b.spent_transaction_id.is_some(),
            },
        )
        .await
    }

    /// Transactions by id, in the order asked (from the second source, if there is one), each
    /// id recomputed where the source gives the inputs' context extensions (`id_verified`). A
    /// transaction never changes: the cache's copy is checked as the source's would be.
    pub async fn transactions_by_ids(&self, ids: &[Id]) -> Vec<Result<ChainTransaction, ChainError>> {
        if let Some(second) = &self.transactions {
            return Box::pin(second.transactions_by_ids(ids)).await;
        }
        self.by_ids(
            ids,
            Wanted::<ChainTransaction> {
                what: "tx",
                one: SourceKind::transaction_answer,
                many: SourceKind::batch_transactions_answer,
                batch: Batch::Transactions,
                query: Query::Transaction,
                id_of: |t| t.id,
                keep: |_| true,
            },
        )
        .await
    }

    async fn by_ids<T: Clone>(&self, ids: &[Id], w: Wanted<T>) -> Vec<Result<T, ChainError>> {
        let key = |id: &Id| format!("{}:{}:{}", self.kind.name(), w.what, id.to_hex());
        let cached: Vec<Option<T>> = ids
            .iter()
            .map(|id| {
                let text = self.cache.and_then(|c| c.get(&key(id)))?;
                (w.one)(self.kind, &text)
                    .ok()
                    .filter(|v| (w.id_of)(v) == *id && (w.keep)(v))
            })
            .collect();
        let mut missing: Vec<Id> = ids
            .iter()
            .zip(&cached)
            .filter(|(_, c)| c.is_none())
            .map(|(id, _)| *id)
            .collect();
        missing.sort();
        missing.dedup();
        let ask_chunk = |chunk: &[Id]| {
            let chunk = chunk.to_vec();
            let w = &w;
            async move {
                let request = match self.no_lists.get() {
                    true => None,
                    false => self.kind.batch_request(&(w.batch)(chunk.clone())),
                };
                let listed: Option<Vec<Answered<T>>> = match request {
                    Some(request) => match self.send(&request).await {
                        Ok((text, url)) => match (w.many)(self.kind, &text, &chunk) {
                            Ok(each) => Some(
                                each.into_iter()
                                    .map(|r| r.map_err(|e| ChainError::of(e, &url)))
                                    .collect(),
                            ),
                            // refused as a whole (a service without these lists, or a lower
                            // limit): asked one by one from now on
                            Err(_) => None,
                        },
                        Err(e) if e.retryable() || matches!(e, FetchError::Cancelled) => {
                            Some(vec![Err(ChainError::Fetch(e)); chunk.len()])
                        }
                        Err(_) => None,
                    },
                    None => None,
                };
                if listed.is_none() && chunk.len() > 1 {
                    self.no_lists.set(true);
                }
                let each: Vec<Answered<T>> = match listed {
                    Some(each) => each,
                    // a source without lists: one request per id
                    None => {
                        let mut each = Vec::with_capacity(chunk.len());
                        for id in &chunk {
                            each.push(match self.ask(&(w.query)(*id)).await {
                                Ok((text, url)) => (w.one)(self.kind, &text)
                                    .map_err(|e| ChainError::of(e, &url))
                                    .and_then(|v| asked(*id, (w.id_of)(&v)).map(|()| (v, text))),
                                Err(e) => Err(e.into()),
                            });
                        }
                        each
                    }
                };
                chunk.into_iter().zip(each).collect::<Vec<_>>()
            }
        };
        // several requests at once (a browser keeps six connections to a host)
        let answered: Vec<Vec<(Id, Answered<T>)>> = futures::stream::iter(missing.chunks(self.kind.max_batch()))
            .map(ask_chunk)
            .buffered(MAX_IN_FLIGHT)
            .collect()
            .await;
        let mut found = std::collections::BTreeMap::new();
        for (id, answer) in answered.into_iter().flatten() {
            if let (Ok((v, text)), Some(cache)) = (&answer, self.cache) {
                if (w.keep)(v) {
                    cache.put(&key(&id), text);
                }
            }
            found.insert(id, answer.map(|(v, _)| v));
        }
        ids.iter()
            .zip(cached)
            .map(|(id, c)| match c {
                Some(v) => Ok(v),
                None => found.get(id).cloned().unwrap_or(Err(ChainError::NoAnswer(*id))),
            })
            .collect()
    }

    /// Every box that ever held token `token` (spent or not).
    pub async fn boxes_by_token_id(&self, token: Id) -> Result<Vec<ChainBox>, ChainError> {
        self.listing(|offset, limit| Query::BoxesByToken { token, offset, limit }, MAX_PAGES)
            .await?
            .map(boxes_only)
            .ok_or(ChainError::TooManyBoxes)
    }

    /// Reads the boxes that ever held a pool's `token` — at most [`PREFETCH_PAGES`] pages of
    /// them, in a few requests — and answers later requests for any of them by id from this
    /// reading, as fresh as it is: for a source without lists of ids (a node, the explorer
    /// API), a pool's first boxes and unspent tips then cost no request each. Whatever the
    /// listing leaves out is asked for by id as before. Only a cancelled query is an error.
    pub async fn read_pool_boxes(&self, token: Id) -> Result<(), FetchError> {
        let pages = self
            .listing(
                |offset, limit| Query::BoxesByToken { token, offset, limit },
                PREFETCH_PAGES,
            )
            .await;
        match pages {
            Ok(Some(boxes)) => {
                let mut listed = self.listed.borrow_mut();
                for (b, text) in boxes {
                    // a spent box is kept as if asked for by id: the next check need not list
                    if let (Some(cache), Some(_)) = (self.cache, b.spent_transaction_id) {
                        cache.put(&format!("{}:box:{}", self.kind.name(), b.id.to_hex()), &text);
                    }
                    listed.insert(b.id, b);
                }
                Ok(())
            }
            Err(ChainError::Fetch(FetchError::Cancelled)) => Err(FetchError::Cancelled),
            // more than a few pages, or a listing that fails: each box is asked for by id
            _ => Ok(()),
        }
    }

    /// Every box that was ever at `address` (spent or not).
    pub async fn boxes_by_address(&self, address: &Address) -> Result<Vec<ChainBox>, ChainError> {
        let address = address.encode();
        self.listing(
            |offset, limit| Query::BoxesByAddress {
                address: address.clone(),
                offset,
                limit,
            },
            MAX_PAGES,
        )
        .await?
        .map(boxes_only)
        .ok_or(ChainError::TooManyBoxes)
    }

    /// All pages of a listing, until a short page (or one that adds nothing new: a source that
    /// ignores the offset is not asked forever); a box listed twice is kept once. `None` if it
    /// goes on beyond `max_pages`.
    async fn listing(
        &self,
        page: impl Fn(usize, usize) -> Query,
        max_pages: usize,
    ) -> Result<Option<Vec<(ChainBox, String)>>, ChainError> {
        let limit = self.kind.max_page();
        let mut seen = BTreeSet::new();
        let mut all = Vec::new();
        for n in 0..max_pages {
            let (text, url) = self.ask(&page(n * limit, limit)).await?;
            let boxes = self
                .kind
                .boxes_answer_texts(&text)
                .map_err(|e| ChainError::of(e, &url))?;
            let full = boxes.len() >= limit;
            let before = all.len();
            all.extend(boxes.into_iter().filter(|(b, _)| seen.insert(b.id)));
            if !full || all.len() == before {
                return Ok(Some(all));
            }
        }
        Ok(None)
    }

    /// Where a header of `network`'s chain kept by [`Chain::keep_headers`] is in the cache.
    fn header_key(&self, network: &str, height: u32) -> String {
        format!("{}:header:{network}:{height}", self.kind.name())
    }

    /// The headers at heights `from..=to` of `network`'s chain, lowest first, each id
    /// recomputed: those read in this check already, those kept from an earlier one
    /// ([`Chain::keep_headers`]; see [`Chain::kept_header`]), the others asked for in runs of
    /// the source's [`SourceKind::max_headers`], several at once. Ends before the first height the source has no header
    /// for (past its tip).
    pub async fn headers(&self, network: &str, from: u32, to: u32) -> Result<Vec<Header>, ChainError> {
        let src = self;
        // (a list sorted by height: less code in the app than a map)
        fn at(known: &[(Header, bool)], height: u32) -> Result<usize, usize> {
            known.binary_search_by_key(&height, |(h, _)| h.height)
        }
        if let Some(c) = src.cache {
            let mut known = src.headers.borrow_mut();
            for height in from..=to {
                let Err(i) = at(&known, height) else { continue };
                let text = c.get(&src.header_key(network, height));
                let bytes = text.and_then(|t| sharestate::hex::decode(&t).ok());
                if let Some(h) = bytes
                    .and_then(|b| Header::from_bytes(&b).ok())
                    .filter(|h| h.height == height)
                {
                    known.insert(i, (h, true));
                }
            }
        }
        let missing: Vec<u32> = {
            let known = src.headers.borrow();
            (from..=to).filter(|h| at(&known, *h).is_err()).collect()
        };
        // runs of consecutive missing heights, each at most a request's worth
        let max = src.kind.max_headers();
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for h in missing {
            match runs.last_mut() {
                Some((a, b)) if *b + 1 == h && h - *a < max => *b = h,
                _ => runs.push((h, h)),
            }
        }
        let answers: Vec<Result<Vec<Header>, ChainError>> = futures::stream::iter(runs)
            .map(|(a, b)| async move {
                let (text, url) = src.send(&src.kind.headers_request(a, b)).await?;
                src.kind.headers_answer(&text).map_err(|e| ChainError::of(e, &url))
            })
            .buffer_unordered(MAX_IN_FLIGHT)
            .collect()
            .await;
        {
            let mut known = src.headers.borrow_mut();
            for answer in answers {
                for h in answer? {
                    if let (true, Err(i)) = ((from..=to).contains(&h.height), at(&known, h.height)) {
                        known.insert(i, (h, false));
                    }
                }
            }
        }
        let known = src.headers.borrow();
        Ok((from..=to)
            .map_while(|h| at(&known, h).ok().map(|i| known[i].0.clone()))
            .collect())
    }

    /// The source's proof that `boxes` are in the UTXO set of its last block (or absent from
    /// it); none where the source proves no such thing (ergo-graphql, the explorer API). Never
    /// cached: it changes with every block. What it shows, against which header's state root,
    /// is [`sharestate::trust::unspent`]'s to say.
    pub async fn unspent(&self, boxes: &[Id]) -> Option<Result<Vec<u8>, ChainError>> {
        let request = self.kind.unspent_request(boxes)?;
        let fetched = async {
            let (text, url) = self.send(&request).await?;
            self.kind.unspent_answer(&text).map_err(|e| ChainError::of(e, &url))
        };
        Some(fetched.await)
    }

    /// The headers at `from..=to` read in this check already ([`Chain::headers`]), lowest first.
    pub fn known_headers(&self, from: u32, to: u32) -> Vec<Header> {
        let known = self.headers.borrow();
        known
            .iter()
            .filter(|(h, _)| (from..=to).contains(&h.height))
            .map(|(h, _)| h.clone())
            .collect()
    }

    /// Whether the header at `height` was kept by an earlier check ([`Chain::keep_headers`]): its
    /// work was checked then, against the same network's rules; its id and links are checked
    /// again.
    pub fn kept_header(&self, height: u32) -> bool {
        self.headers
            .borrow()
            .iter()
            .any(|(h, kept)| *kept && h.height == height)
    }

    /// Keeps `run` for later checks: the block of a transaction and the blocks after it, each
    /// mined to `network`'s rules and the parent of the next, its confirmations all checked —
    /// deep enough that a later check need not ask for or check them again.
    pub fn keep_headers(&self, network: &str, run: &[Header]) {
        if let Some(c) = self.cache {
            for h in run.iter().filter(|h| !self.kept_header(h.height)) {
                c.put(
                    &self.header_key(network, h.height),
                    &sharestate::hex::encode(&h.bytes()),
                );
            }
        }
    }

    /// The source's proofs that each transaction is in the block of its header (a node's
    /// `proofFor`, one request each; from ergo-graphql, each block's transactions, many blocks a
    /// request, rebuilt into its tree). Kept in the cache: a proof cannot change, and it proves
    /// nothing unless it leads to the header's root (checked by the caller, through
    /// [`sharestate::trust::anchor`]).
    pub async fn inclusions(&self, wanted: &[(Header, Id)]) -> Vec<Result<InclusionProof, ChainError>> {
        let src = self;
        let kind = src.kind;
        let key = |h: &Header, tx: &Id| format!("{}:inclusion:{}:{}", kind.name(), h.id().to_hex(), tx.to_hex());
        let mut out: Vec<Option<Result<InclusionProof, ChainError>>> = wanted
            .iter()
            .map(|(h, tx)| {
                let text = src.cache.and_then(|c| c.get(&key(h, tx)))?;
                // kept as the proof itself (a node's form), not the answer (a whole block, from
                // the explorer API)
                let p = InclusionProof::from_json(&text).ok()?;
                p.proves(&h.transactions_root).then_some(Ok(p))
            })
            .collect();
        let missing: Vec<usize> = (0..wanted.len()).filter(|i| out[*i].is_none()).collect();
        // each missing proof's answer text (and where it came from), or why there is none
        let mut texts: Vec<(usize, Texted)> = Vec::new();
        let mut blocks: Vec<Id> = missing.iter().map(|i| wanted[*i].0.id()).collect();
        blocks.sort();
        blocks.dedup();
        if kind.blocks_request(&blocks).is_some() && !src.no_lists.get() {
            let requests = blocks
                .chunks(sharestate::source::blocks::MAX_BLOCKS)
                .filter_map(|c| Some((c.to_vec(), kind.blocks_request(c)?)));
            let answers: Vec<BlocksAnswer> = futures::stream::iter(requests)
                .map(|(chunk, request)| async move {
                    match src.send(&request).await {
                        Ok((text, url)) => {
                            let each = kind.blocks_answer(&text, &chunk).map_err(|e| ChainError::of(e, &url));
                            (chunk, each, url)
                        }
                        Err(e) => (chunk, Err(e.into()), String::new()),
                    }
                })
                .buffer_unordered(MAX_IN_FLIGHT)
                .collect()
                .await;
            let mut by_block: Vec<(Id, Texted)> = Vec::new();
            for (chunk, each, url) in answers {
                match each {
                    Ok(texts) => {
                        for (b, t) in chunk.into_iter().zip(texts) {
                            by_block.push((b, Ok((t, url.clone()))));
                        }
                    }
                    Err(e) => {
                        for b in chunk {
                            by_block.push((b, Err(e.clone())));
                        }
                    }
                }
            }
            for i in &missing {
                let b = wanted[*i].0.id();
                let answer = by_block.iter().find(|(k, _)| *k == b).map(|(_, t)| t.clone());
                texts.push((*i, answer.unwrap_or(Err(ChainError::NoAnswer(b)))));
            }
        } else {
            let asked: Vec<(usize, Texted)> = futures::stream::iter(missing.iter().copied())
                .map(|i| async move {
                    let (h, tx) = &wanted[i];
                    let answer = src
                        .send(&kind.inclusion_request(&h.id(), tx))
                        .await
                        .map_err(ChainError::from);
                    (i, answer)
                })
                .buffer_unordered(MAX_IN_FLIGHT)
                .collect()
                .await;
            texts.extend(asked);
        }
        for (i, answer) in texts {
            let (h, tx) = &wanted[i];
            out[i] = Some(answer.and_then(|(text, url)| {
                let proof = kind
                    .inclusion_answer(&text, h.version, tx)
                    .map_err(|e| ChainError::of(e, &url))?;
                if let Some(c) = src.cache.filter(|_| proof.proves(&h.transactions_root)) {
                    c.put(&key(h, tx), &proof.to_json().to_string());
                }
                Ok(proof)
            }));
        }
        // (every proof was taken from the cache or asked for: none is left without an answer)
        out.into_iter()
            .zip(wanted)
            .map(|(o, (_, tx))| o.unwrap_or(Err(ChainError::NoAnswer(*tx))))
            .collect()
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

    /// Walks each epoch from its first box (already fetched) to its unspent tip, all together:
    /// each walker says what it needs, this fetches what they all need at once (in one request
    /// per list where the source has lists) and feeds it, until every walk is done. A box a
    /// transaction listed as spent among its outputs is not asked again (its id is recomputed
    /// with the transaction's; a spent box stays spent). `on_step(n, walk)` sees walk `n`
    /// after each payout replayed. One walk's error is that walk's.
    pub async fn walk_many(
        &self,
        firsts: Vec<ChainBox>,
        mut on_step: impl FnMut(usize, &Walk),
    ) -> Vec<Result<Walk, ChainError>> {
        struct Walking {
            walker: Walker,
            first: Option<ChainBox>,
            replayed: usize,
            failed: Option<ChainError>,
        }
        let mut walks: Vec<Walking> = firsts
            .into_iter()
            .map(|first| Walking {
                walker: Walker::new(first.id),
                first: Some(first),
                replayed: 0,
                failed: None,
            })
            .collect();
        let mut spent_outputs: std::collections::HashMap<Id, ChainBox> = std::collections::HashMap::new();
        loop {
            // each walk goes as far as what is at hand takes it; then its need is asked
            let mut needs = Vec::new();
            for (n, w) in walks.iter_mut().enumerate() {
                while w.failed.is_none() {
                    let Some(need) = w.walker.next() else { break };
                    let at_hand = match need {
                        Need::Box(id) => match w.first.take() {
                            Some(b) if b.id == id => Some(b),
                            _ => spent_outputs.get(&id).cloned(),
                        },
                        Need::Transaction(_) => None,
                    };
                    match at_hand {
                        Some(b) => {
                            if let Err(e) = w.walker.feed_chain_box(b) {
                                w.failed = Some(e.into());
                            }
                            report_step(n, w.walker.walk(), &mut w.replayed, &mut on_step);
                        }
                        None => {
                            needs.push((n, need));
                            break;
                        }
                    }
                }
            }
            if needs.is_empty() {
                break;
            }
            let (mut box_ids, mut tx_ids) = (Vec::new(), Vec::new());
            for (_, need) in &needs {
                match need {
                    Need::Box(id) => box_ids.push(*id),
                    Need::Transaction(id) => tx_ids.push(*id),
                }
            }
            let (mut boxes, mut txs) = futures::join!(self.boxes_by_ids(&box_ids), self.transactions_by_ids(&tx_ids));
            // (answers in the order asked: taken from the front as the needs are gone through)
            boxes.reverse();
            txs.reverse();
            for (n, need) in needs {
                let w = &mut walks[n];
                let fed = match need {
                    Need::Box(id) => boxes
                        .pop()
                        .unwrap_or(Err(ChainError::NoAnswer(id)))
                        .and_then(|b| w.walker.feed_chain_box(b).map_err(ChainError::from)),
                    Need::Transaction(id) => txs.pop().unwrap_or(Err(ChainError::NoAnswer(id))).and_then(|t| {
                        // (a walk asks for a transaction's OUTPUTS(0), the next state, and
                        // OUTPUTS(1), the reward box: only those are kept)
                        for o in t.outputs.iter().take(2).filter(|o| o.spent_transaction_id.is_some()) {
                            spent_outputs.insert(o.id, o.clone());
                        }
                        w.walker.feed_chain_transaction(t).map_err(ChainError::from)
                    }),
                };
                if let Err(e) = fed {
                    w.failed = Some(e);
                }
                report_step(n, w.walker.walk(), &mut w.replayed, &mut on_step);
            }
        }
        walks
            .into_iter()
            .map(|w| match w.failed {
                Some(e) => Err(e),
                None => w.walker.into_walk().ok_or(ChainError::EmptyWalk),
            })
            .collect()
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
            no_lists: std::cell::Cell::new(false),
        }
    }
}

/// A pool's proof service: lookup proofs and snapshots of the share state at a box, each
/// verified against that box's digest.
pub struct ProofService<'f> {
    base: String,
    fetch: &'f Fetcher,
    cache: Option<&'f AnswerCache>,
    /// Set once the service showed it has no `/proofs/{key}` (a static host): boxes are then
    /// asked one by one.
    no_lists: std::cell::Cell<bool>,
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
        let key = self.cache_key(&path);
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
        self.answer(proof_path(&at, key), |body| verify_proof_answer(body, digest, key))
            .await
    }

    /// Where the cache keeps the answer at `path` (a path of this service).
    fn cache_key(&self, path: &str) -> String {
        format!("proof-service:{}", join(&self.base, path))
    }

    /// `key`'s value in each box of `at` (its id, and its digest as read from the chain), in
    /// order. Asked all at once (`/proofs/{key}?boxes=…`, [`MAX_BOXES`] a request), each entry
    /// checked against the digest of the box it says it is about and kept in the cache as that
    /// box's `/proof` answer; a box the answer leaves out, or every box with a service that has
    /// no such list (a static host), is asked alone ([`ProofService::lookup`]).
    pub async fn lookups(&self, key: &Key, at: &[(Id, Digest)]) -> Vec<Result<Option<Vec<u8>>, ProofServiceError>> {
        let mut out: Vec<Option<Result<Option<Vec<u8>>, ProofServiceError>>> = at
            .iter()
            .map(|(id, digest)| {
                let text = self.cache.and_then(|c| c.get(&self.cache_key(&proof_path(id, key))))?;
                verify_proof_answer(&text, digest, key).ok().map(Ok)
            })
            .collect();
        let missing: Vec<usize> = (0..at.len()).filter(|i| out[*i].is_none()).collect();
        if missing.len() > 1 {
            for chunk in missing.chunks(MAX_BOXES) {
                if self.no_lists.get() {
                    break;
                }
                let asked: Vec<(Id, Digest)> = chunk.iter().map(|i| at[*i]).collect();
                let ids: Vec<Id> = asked.iter().map(|(id, _)| *id).collect();
                let checked = match self.fetch.get(&join(&self.base, &proofs_path(key, &ids))).await {
                    Ok(body) => verify_proofs_answer(&body, key, &asked),
                    Err(FetchError::Cancelled) => {
                        return at
                            .iter()
                            .map(|_| Err(ProofServiceError::Fetch(FetchError::Cancelled)))
                            .collect()
                    }
                    // away or slow: so it is for each of these boxes
                    Err(e) if e.retryable() => {
                        for &i in chunk {
                            out[i] = Some(Err(ProofServiceError::Fetch(e.clone())));
                        }
                        continue;
                    }
                    // the list may be what failed (a static host has none): ask one by one
                    Err(e) => Err(ServiceError::Json(e.to_string())),
                };
                let Ok(checked) = checked else {
                    self.no_lists.set(true);
                    break;
                };
                // (a box the answer says nothing of is asked alone below)
                for (&i, entry) in chunk.iter().zip(checked) {
                    out[i] = entry.map(|proven| match proven {
                        Ok((value, text)) => {
                            if let Some(c) = self.cache {
                                c.put(&self.cache_key(&proof_path(&at[i].0, key)), &text);
                            }
                            Ok(value)
                        }
                        Err(e) => Err(ProofServiceError::Invalid(e)),
                    });
                }
            }
        }
        let alone: Vec<usize> = (0..at.len()).filter(|i| out[*i].is_none()).collect();
        let answers: Vec<_> = futures::stream::iter(&alone)
            .map(|&i| self.lookup(at[i].0, &at[i].1, key))
            .buffered(MAX_IN_FLIGHT)
            .collect()
            .await;
        for (i, a) in alone.into_iter().zip(answers) {
            out[i] = Some(a);
        }
        out.into_iter()
            .map(|a| a.unwrap_or(Err(ProofServiceError::Fetch(FetchError::Cancelled))))
            .collect()
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
