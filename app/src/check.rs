//! A miner's check of a pool, step by step: for each epoch, walk its chain of share-state boxes
//! through the source (every payout replayed in the browser, the epoch's reward found on the
//! way), then take the miner's row from the walk — or, for a miner no payout touched, from the
//! pool's lookup proof checked against the tip's on-chain digest; an epoch from whose first
//! state the miner is proven absent is not walked. Epochs are checked in groups, whose boxes,
//! transactions and lookup proofs are asked for together (many per request where the source has
//! lists). Each verified row is then tied to a block: the transaction it rests on, in a block
//! whose header and the headers after it are mined to the network's rules. And the discovery of
//! a pool's epochs from a box id, a token id or an address.

use crate::chain::{Chain, ChainError, ProofService, ProofServiceError};
use crate::model::{self, Anchor, Cross, Current, EpochRef, NotAudited, Paid, Pool, ProvenBy, Row, Verified};
use crate::net::{FetchError, MAX_IN_FLIGHT};
use futures::StreamExt;
use sharestate::encoding::hex::FixedHexError;
use sharestate::ergo::{ChainBox, Header, Id};
use sharestate::pool::walk::{self, epoch_starts, is_share_state, Walk};
use sharestate::posted::{self, Audit, ShareStateContract};
use sharestate::trust::{self, Network};
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
    /// A Design 2 pool's first state box in the pool's list is not a box id.
    BalanceStartBox(FixedHexError),
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
            CheckError::BalanceStartBox(e) => write!(f, "{unverified}: the pool's first state box: {e}"),
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

/// How many epochs are checked together: their first boxes, the pool's lookup proofs for them,
/// and their walks asked for at once (in one request per list where the source and the proof
/// service have lists), their rows shown when the group is done.
pub const EPOCHS_AT_ONCE: usize = 100;

/// How many first boxes a check must lack (neither cached nor asked yet) before a source
/// without lists reads the pool's boxes by its token instead.
pub const LISTING_WORTH: usize = 10;

/// How many groups of epochs are checked at once.
pub const GROUPS_AT_ONCE: usize = 2;

/// Checks `key` in every epoch of `pool`, calling `on_row` as each epoch's row is known. An
/// epoch that cannot be checked (a source that errs or times out, data that does not verify)
/// becomes a failed row of its own; only a query replaced by a newer one stops the check. If
/// an epoch failed because the source was away or slow, the check ends with that error (after
/// every row), so that it can be retried.
pub async fn check(
    node: &Chain<'_>,
    pool: &Pool,
    key: Key,
    network: &'static Network,
    on_progress: impl Fn(Progress),
    on_row: impl Fn(Row),
) -> Result<(), CheckError> {
    let mut progress = Progress {
        epochs: pool.epochs.len(),
        ..Progress::default()
    };
    let mut retryable = None;
    // the source's height, for the hardened epochs' deadlines (rows say nothing of them without)
    // and the confirmations it counts
    let now = node.height().await.ok();
    let trust = Trust { network, tip: now };
    let service = node.proof_service(pool.proof_service.as_deref());
    // a source without lists of ids reads the pool's boxes in a few pages instead of one
    // request per first box and tip — unless this browser keeps most first boxes already (a
    // second check then asks only about the unspent ones)
    let uncached = pool
        .epochs
        .iter()
        .filter_map(|e| hex::decode_array::<32>(&e.start_box).ok())
        .filter(|id| !node.has_cached_box(&Id(*id)))
        .count();
    if node.kind().max_batch() == 1 && uncached > LISTING_WORTH {
        if let Some(token) = pool.token.as_deref().and_then(|t| hex::decode_array::<32>(t).ok()) {
            progress.step = "reading the pool's boxes".into();
            on_progress(progress.clone());
            node.read_pool_boxes(Id(token)).await?;
        }
    }
    // two groups at once: one's requests are under way while the other's answers are checked
    let shared = RefCell::new(progress);
    let mut groups = futures::stream::iter(pool.epochs.chunks(EPOCHS_AT_ONCE))
        .map(|group| {
            let (service, shared, on_progress, trust) = (&service, &shared, &on_progress, &trust);
            async move {
                let mut rows = check_epochs(node, service, group, &key, shared, on_progress).await;
                anchor_rows(node, trust, &mut rows, shared, on_progress).await;
                prove_current(node, trust, &mut rows).await;
                cross_check(node, trust, &mut rows).await;
                (group, rows)
            }
        })
        .buffered(GROUPS_AT_ONCE);
    while let Some((group, rows)) = groups.next().await {
        for (e, checked) in group.iter().zip(rows) {
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
        }
        let mut p = shared.borrow_mut();
        p.epochs_done += group.len();
        on_progress(p.clone());
    }
    drop(groups);
    progress = shared.into_inner();
    progress.step = "done".into();
    on_progress(progress);
    retryable.map_or(Ok(()), Err)
}

/// The rules a check ties its rows to blocks by, and the source's tip.
pub struct Trust {
    pub network: &'static Network,
    pub tip: Option<u32>,
}

/// Proves the boxes the group's unpaid rows were checked against still unspent, where the
/// source can (a node): its UTXO set's proof replayed against the state root of its newest
/// header (read with the rows' runs by [`anchor_rows`]), that header mined to the network's
/// rules ([`Current`]). Elsewhere "not yet paid" stays on the source's word, and the row says so.
async fn prove_current(node: &Chain<'_>, trust: &Trust, rows: &mut [Result<Row, CheckError>]) {
    let unpaid = |r: &Row| unpaid_box(r).filter(|_| r.trusted());
    let mut boxes: Vec<Id> = rows.iter().flatten().filter_map(unpaid).collect();
    boxes.sort();
    boxes.dedup();
    let Some(proven) = prove_unspent(node, trust, &boxes).await else {
        return;
    };
    for row in rows.iter_mut().flatten() {
        let Some(b) = unpaid(row) else { continue };
        row.current = Some(current(&proven, &boxes, &b));
    }
}

/// What the proof of [`prove_unspent`] says of box `b`, one of `boxes`.
pub fn current(proven: &Result<(Header, Vec<bool>), String>, boxes: &[Id], b: &Id) -> Current {
    match proven {
        Ok((h, found)) => match boxes.iter().position(|x| x == b).map(|i| found[i]) {
            Some(true) => Current::Unspent {
                height: h.height,
                time: h.timestamp,
            },
            Some(false) => Current::Spent { height: h.height },
            None => Current::Unproven(format!("no proof about box {}", short(&b.to_hex()))),
        },
        Err(why) => Current::Unproven(why.clone()),
    }
}

/// Whether each of `boxes` is in the UTXO set, where the source can prove it (a node): its
/// proof replayed against the state root of its newest header (read beforehand by
/// [`anchor_transactions`] with `state_run`), that header mined to the rules and within the
/// network's time of this computer's clock (an older state is one the chain moved past). None
/// when there is nothing to prove or the source cannot.
pub async fn prove_unspent(
    node: &Chain<'_>,
    trust: &Trust,
    boxes: &[Id],
) -> Option<Result<(Header, Vec<bool>), String>> {
    let tip = trust.tip.filter(|_| !boxes.is_empty())?;
    let fetched = node.unspent(boxes).await?;
    let now = js_sys::Date::now() as u64;
    Some(fetched.map_err(|e| e.to_string()).and_then(|proof| {
        let mut why = format!("no header at height {tip}");
        for h in node.known_headers(tip, tip.saturating_add(2)).iter().rev() {
            let checked = trust::check_header(trust.network, h).and_then(|()| trust::fresh(trust.network, h, now));
            match checked.and_then(|()| trust::unspent(boxes, &proof, h)) {
                Ok(found) => return Ok((h.clone(), found)),
                Err(e) => why = e.to_string(),
            }
        }
        Err(why)
    }))
}

/// The box an unpaid row's lookup was checked against: what "not yet paid" rests on.
fn unpaid_box(r: &Row) -> Option<Id> {
    match (&r.paid, &r.verified) {
        (Paid::No, Verified::ByLookup { state_box, .. }) => Some(*state_box),
        _ => None,
    }
}

/// Transactions (and heights) sorted by id, each once.
fn distinct(mut wanted: Vec<(Id, Option<u32>)>) -> Vec<(Id, Option<u32>)> {
    wanted.sort_by_key(|w| w.0);
    wanted.dedup_by_key(|w| w.0);
    wanted
}

/// Ties each transaction of `wanted` (its id, and the height the source gave) to a block
/// ([`Anchor`]): its inclusion proof against the header's transactions root, that header and
/// up to [`Network::blocks_after`] after it read (all runs at once, each header once), each
/// mined to the network's rules and the parent of the next. With `state_too`, the newest
/// headers are read as well, for [`prove_unspent`].
pub async fn anchor_transactions(
    node: &Chain<'_>,
    trust: &Trust,
    wanted: Vec<(Id, Option<u32>)>,
    state_too: bool,
) -> Vec<(Id, Anchor)> {
    // (lists rather than maps throughout: less code in the app)
    let wanted = distinct(wanted);
    let run_of = |h: u32| {
        let to = h.saturating_add(trust.network.blocks_after);
        (h, trust.tip.map_or(to, |t| to.min(t.max(h))))
    };
    // the newest headers too, where the source can prove boxes unspent against their state
    // roots ([`prove_current`]: its state may be a block or two past the tip it said)
    let proves_state = node.kind().unspent_request(&[]).is_some();
    let state_run = trust
        .tip
        .filter(|_| proves_state && state_too)
        .map(|t| (t, t.saturating_add(2)));
    // every run's headers, read together (merged where they overlap)
    let merged = merged(
        wanted.iter().filter_map(|w| w.1).map(run_of).chain(state_run),
        node.kind().max_headers(),
    );
    let read: Vec<Result<Vec<Header>, ChainError>> = futures::stream::iter(merged)
        .map(|(a, b)| node.headers(trust.network.name, a, b))
        .buffer_unordered(MAX_IN_FLIGHT)
        .collect()
        .await;
    let unread: Option<String> = read.into_iter().find_map(|r| r.err()).map(|e| e.to_string());
    // each transaction's run of headers (read above), then the inclusion proofs, asked together
    let mut anchors: Vec<(Id, Anchor)> = Vec::new();
    let mut runs: Vec<(Id, Vec<Header>)> = Vec::new();
    for (tx, height) in wanted {
        let Some(h) = height else {
            anchors.push((
                tx,
                Anchor::Failed(format!(
                    "the source gave no height for transaction {}",
                    short(&tx.to_hex())
                )),
            ));
            continue;
        };
        let (from, to) = run_of(h);
        match node.headers(trust.network.name, from, to).await {
            Ok(run) if !run.is_empty() => runs.push((tx, run)),
            other => {
                let why = match (other, &unread) {
                    (Err(e), _) => format!("no header at height {from}: {e}"),
                    (_, Some(e)) => format!("no header at height {from}: {e}"),
                    _ => format!("the source has no header at height {from}"),
                };
                anchors.push((tx, Anchor::Failed(why)));
            }
        }
    }
    // each header's work checked once (runs overlap), then each run's links; only the
    // transactions whose runs hold are asked for their inclusion proofs
    let mut work: Vec<(u32, Result<(), sharestate::trust::TrustError>)> = Vec::new();
    runs.retain(|(tx, run)| {
        let checked = run
            .iter()
            .try_for_each(|h| match work.binary_search_by_key(&h.height, |w| w.0) {
                Ok(at) => work[at].1.clone(),
                Err(at) => {
                    let verdict = match node.kept_header(h.height) {
                        // its work checked when it was kept, on these rules; the floor again
                        // (a later release may raise it)
                        true => sharestate::trust::check_floor(trust.network, h),
                        false => sharestate::trust::check_header(trust.network, h),
                    };
                    work.insert(at, (h.height, verdict.clone()));
                    verdict
                }
            })
            .and_then(|()| sharestate::trust::check_links(run));
        match checked {
            Ok(()) => true,
            Err(e) => {
                anchors.push((*tx, Anchor::Failed(e.to_string())));
                false
            }
        }
    });
    let asked: Vec<(Header, Id)> = runs.iter().map(|(tx, run)| (run[0].clone(), *tx)).collect();
    for ((tx, run), proof) in runs.iter().zip(node.inclusions(&asked).await) {
        let included = proof
            .map_err(|e| {
                format!(
                    "no proof that transaction {} is in block {}: {e}",
                    short(&tx.to_hex()),
                    run[0].height
                )
            })
            .and_then(|p| sharestate::trust::included(tx, &p, &run[0]).map_err(|e| e.to_string()));
        // a run with all its confirmations checked is kept for the next check
        if included.is_ok() && run.len() as u32 > trust.network.blocks_after {
            node.keep_headers(trust.network.name, run);
        }
        let anchor = match included {
            Ok(()) => Anchor::InBlock {
                height: run[0].height,
                block: run[0].id(),
                confirmations: run.len() as u32,
                needed: trust.network.min_confirmations,
                tip: trust.tip,
                network: trust.network.name,
            },
            Err(why) => Anchor::Failed(why),
        };
        anchors.push((*tx, anchor));
    }
    anchors
}

/// Ties each verified row of a group to a block ([`anchor_transactions`]): the transaction the
/// row rests on ([`model::Verified::rests_on`]); a lookup's box must also be an output of the
/// transaction the row says made it.
async fn anchor_rows(
    node: &Chain<'_>,
    trust: &Trust,
    rows: &mut [Result<Row, CheckError>],
    progress: &RefCell<Progress>,
    on_progress: &impl Fn(Progress),
) {
    let wanted = distinct(rows.iter().flatten().filter_map(|r| r.verified.rests_on()).collect());
    if wanted.is_empty() {
        return;
    }
    {
        let mut p = progress.borrow_mut();
        p.step = format!("checking the proof of work of {} blocks", wanted.len());
        on_progress(p.clone());
    }
    let unpaid = rows.iter().flatten().any(|r| unpaid_box(r).is_some());
    let anchors = anchor_transactions(node, trust, wanted, unpaid).await;
    // a lookup's box must be an output of the transaction it rests on: the box names it, but
    // only the transaction (its id recomputed) says which boxes it made
    let made: Vec<(Id, Id)> = rows
        .iter()
        .flatten()
        .filter_map(|r| match r.verified {
            Verified::ByLookup {
                state_box, created_by, ..
            } => Some((state_box, created_by)),
            _ => None,
        })
        .collect();
    let mut makers: Vec<Id> = made.iter().map(|m| m.1).collect();
    makers.sort();
    makers.dedup();
    let found = node.transactions_by_ids(&makers).await;
    let not_made = |state_box: &Id, by: &Id| -> Option<String> {
        match makers.binary_search(by).ok().and_then(|i| found.get(i)) {
            Some(Ok(t)) => sharestate::trust::made(t, state_box).err().map(|e| e.to_string()),
            Some(Err(e)) => Some(format!(
                "the transaction that made box {}: {e}",
                short(&state_box.to_hex())
            )),
            None => Some(format!("no answer about transaction {}", short(&by.to_hex()))),
        }
    };
    for row in rows.iter_mut().flatten() {
        if let Some((tx, _)) = row.verified.rests_on() {
            row.anchor = anchors.iter().find(|(t, _)| *t == tx).map(|(_, a)| a.clone());
        }
        if let Verified::ByLookup {
            state_box, created_by, ..
        } = &row.verified
        {
            if let Some(why) = not_made(state_box, created_by) {
                row.anchor = Some(Anchor::Failed(why));
            }
        }
    }
}

/// Asks the source to cross-check with (if any) about what each verified row relies on: the
/// transaction it rests on (which it must know), the tip box (spent or not, as this source
/// said) and, where the row is tied to a block and it gives headers, the block at that height
/// (the same id). A row where they differ says both answers and gets no ✓; one it could not ask
/// about says so. Everything is asked together: one list per kind where the source has lists.
async fn cross_check(node: &Chain<'_>, trust: &Trust, rows: &mut [Result<Row, CheckError>]) {
    let Some(other) = node.cross() else { return };
    let name = format!("the {} at {}", other.kind().name(), other.base());
    let verified = || rows.iter().flatten().filter(|r| r.verified.ok());
    let mut txs: Vec<Id> = verified()
        .filter_map(|r| r.verified.rests_on())
        .map(|(t, _)| t)
        .collect();
    let mut tips: Vec<Id> = verified().filter_map(|r| r.tip).collect();
    let mut heights: Vec<u32> = verified()
        .filter_map(|r| match r.anchor {
            Some(Anchor::InBlock { height, .. }) => Some(height),
            _ => None,
        })
        .collect();
    for v in [&mut txs, &mut tips] {
        v.sort();
        v.dedup();
    }
    heights.sort();
    heights.dedup();
    let (their_txs, their_boxes) = futures::join!(other.transactions_by_ids(&txs), other.boxes_by_ids(&tips));
    // (sorted lists, searched: no more maps' code in the app)
    let their_txs: Vec<(Id, Result<Id, ChainError>)> = txs
        .into_iter()
        .zip(their_txs.into_iter().map(|t| t.map(|t| t.id)))
        .collect();
    let their_boxes: Vec<(Id, Result<Option<Id>, ChainError>)> = tips
        .into_iter()
        .zip(their_boxes.into_iter().map(|b| b.map(|b| b.spent_transaction_id)))
        .collect();
    let mut their_blocks: Vec<(u32, Id)> = Vec::new();
    for (a, b) in merged(heights.iter().map(|h| (*h, *h)), other.kind().max_headers()) {
        if let Ok(hs) = other.headers(trust.network.name, a, b).await {
            their_blocks.extend(hs.iter().map(|h| (h.height, h.id())));
        }
    }
    fn find<'a, K: PartialEq, V>(list: &'a [(K, V)], k: &K) -> Option<&'a V> {
        list.iter().find(|(key, _)| key == k).map(|(_, v)| v)
    }
    let spent = |s: &Option<Id>| match s {
        Some(t) => format!("spent by {}", short(&t.to_hex())),
        None => "unspent".to_string(),
    };
    for row in rows.iter_mut().flatten().filter(|r| r.verified.ok()) {
        let mut agreed = Vec::new();
        let mut differ = Vec::new();
        let mut unasked = Vec::new();
        if let Some((tx, _)) = row.verified.rests_on() {
            match find(&their_txs, &tx) {
                Some(Ok(id)) if *id == tx => agreed.push("the transaction"),
                Some(Err(ChainError::Fetch(FetchError::NotFound { .. }))) | Some(Ok(_)) => {
                    differ.push(format!("{name} knows no transaction {}", short(&tx.to_hex())))
                }
                Some(Err(e)) => unasked.push(format!("transaction {}: {e}", short(&tx.to_hex()))),
                None => {}
            }
        }
        if let Some(tip) = row.tip {
            match find(&their_boxes, &tip) {
                Some(Ok(s)) if *s == row.tip_spent => agreed.push("the tip box"),
                Some(Err(ChainError::Fetch(FetchError::NotFound { .. }))) => {
                    differ.push(format!("{name} knows no box {}", short(&tip.to_hex())))
                }
                Some(Ok(s)) => differ.push(format!(
                    "box {}: this source says {}, {name} says {}",
                    short(&tip.to_hex()),
                    spent(&row.tip_spent),
                    spent(s)
                )),
                Some(Err(e)) => unasked.push(format!("box {}: {e}", short(&tip.to_hex()))),
                None => {}
            }
        }
        if let Some(Anchor::InBlock { height, block, .. }) = &row.anchor {
            match find(&their_blocks, height) {
                Some(id) if id == block => agreed.push("the block"),
                Some(id) => differ.push(format!(
                    "block {height}: this source's is {}, {name}'s is {}",
                    short(&block.to_hex()),
                    short(&id.to_hex())
                )),
                None => unasked.push(format!("no header at height {height}")),
            }
        }
        row.cross = Some(match (differ.is_empty(), unasked.is_empty(), agreed.is_empty()) {
            (false, _, _) => Cross::Differs(differ.join("; ")),
            (true, false, _) => Cross::Unasked(format!("{name} could not be asked: {}", unasked.join("; "))),
            (true, true, true) => Cross::Unasked(format!("nothing could be compared with {name}")),
            (true, true, false) => Cross::Agrees(format!("{name} agrees ({})", agreed.join(", "))),
        });
    }
}

/// Ranges `(from, to)` sorted and merged where they overlap or touch, or where one request of
/// `reach` heights covers both (the headers between are read, not checked: fewer requests).
fn merged(ranges: impl Iterator<Item = (u32, u32)>, reach: u32) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = ranges.collect();
    runs.sort();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (a, b) in runs {
        match out.last_mut() {
            Some((start, end)) if a <= end.saturating_add(1) || b - *start < reach => *end = (*end).max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// What is known of one epoch of a group as its check goes on.
#[derive(Default)]
struct Epoch {
    row: Option<Result<Row, CheckError>>,
    first: Option<ChainBox>,
    /// The miner's value in the first state, when it was looked up there and found.
    at_first: Option<model::Lookup>,
    /// A snapshot the proof service gave (the lookup fell back to it), for the audit.
    snapshot: Option<ShareState>,
    walk: Option<Walk>,
    lookup: Option<model::Lookup>,
}

/// The rows of a group of epochs, in order: their first boxes all at once; the epochs from
/// whose first state the miner is proven absent (the core's `absence_holds_for_epoch`) need no
/// walk; the others are walked together; then each gets its lookup (at its tip, for a miner no
/// payout touched) and its audit.
async fn check_epochs(
    node: &Chain<'_>,
    service: &ProofService<'_>,
    group: &[EpochRef],
    key: &Key,
    progress: &RefCell<Progress>,
    on_progress: &impl Fn(Progress),
) -> Vec<Result<Row, CheckError>> {
    let names = match group {
        [one] => format!("epoch {}", one.number),
        [first, .., last] => format!("epochs {}–{}", first.number, last.number),
        [] => return vec![],
    };
    let step = |what: &str| {
        let mut p = progress.borrow_mut();
        p.step = format!("{names}: {what}");
        on_progress(p.clone());
    };
    let mut epochs: Vec<Epoch> = group.iter().map(|_| Epoch::default()).collect();
    step("reading their first states");
    let mut starts = Vec::new();
    for (i, e) in group.iter().enumerate() {
        match hex::decode_array::<32>(&e.start_box) {
            Ok(id) => starts.push((i, Id(id))),
            Err(error) => epochs[i].row = Some(Err(CheckError::StartBox { epoch: e.number, error })),
        }
    }
    let ids: Vec<Id> = starts.iter().map(|(_, id)| *id).collect();
    for ((i, _), first) in starts.into_iter().zip(node.boxes_by_ids(&ids).await) {
        match first {
            Ok(b) => epochs[i].first = Some(b),
            Err(e) => epochs[i].row = Some(Err(e.into())),
        }
    }
    // a key proven absent from an epoch's first state is absent from all of it
    step("looking for you in their first states");
    let at: Vec<(usize, Id, Digest)> = epochs
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let first = e.first.as_ref()?;
            walk::absence_holds_for_epoch(first).map(|(digest, _)| (i, first.id, digest))
        })
        .collect();
    for ((i, _, _), (found, snapshot)) in at.iter().zip(lookups(service, key, &at).await) {
        let e = &mut epochs[*i];
        e.snapshot = snapshot;
        match found {
            Ok(Ok((None, by))) => {
                let first = e.first.as_ref().expect("looked up at its first box");
                let max_score = walk::share_state(first).map_or(0, |(_, m)| m);
                e.row = Some(Ok(model::absent_row(group[*i].number, first, max_score, by)));
            }
            Ok(found) => e.at_first = Some(found),
            Err(cancelled) => e.row = Some(Err(cancelled)),
        }
    }
    // the others, walked together
    let to_walk: Vec<usize> = (0..group.len())
        .filter(|i| epochs[*i].row.is_none() && epochs[*i].first.is_some())
        .collect();
    step(&format!("walking {} of them", to_walk.len()));
    let firsts = to_walk
        .iter()
        .map(|i| epochs[*i].first.clone().expect("kept"))
        .collect();
    let mut counted = vec![0; to_walk.len()];
    let walks = node
        .walk_many(firsts, |n, w| {
            let new = w.steps.len() - counted[n];
            counted[n] = w.steps.len();
            let mut p = progress.borrow_mut();
            p.replayed += new;
            p.known += new;
            p.step = format!("epoch {}: replaying payout {}", group[to_walk[n]].number, w.steps.len());
            on_progress(p.clone());
        })
        .await;
    for (i, w) in to_walk.iter().zip(walks) {
        match w {
            Ok(w) => {
                // (a snapshot of the first state is of no use beyond it)
                if w.tip.id != w.start.id {
                    epochs[*i].snapshot = None;
                }
                epochs[*i].walk = Some(w);
            }
            Err(e) => epochs[*i].row = Some(Err(e.into())),
        }
    }
    // the miner's value at each tip, for a miner no payout touched
    step("checking the pool's lookup proofs");
    let mut at = Vec::new();
    for (i, e) in epochs.iter_mut().enumerate() {
        let Some(w) = &e.walk else { continue };
        if w.latest(key).is_some() {
            continue;
        }
        match (w.tip_digest(), e.at_first.take()) {
            // no payout moved the epoch: the first state's answer is the tip's
            (_, Some(found)) if w.tip.id == w.start.id => e.lookup = Some(found),
            (Some(digest), _) => at.push((i, w.tip.id, digest)),
            (None, _) => e.lookup = Some(Err("the tip box has no digest".into())),
        }
    }
    for ((i, _, _), (found, snapshot)) in at.iter().zip(lookups(service, key, &at).await) {
        let e = &mut epochs[*i];
        match found {
            Ok(found) => {
                e.lookup = Some(found);
                if snapshot.is_some() {
                    e.snapshot = snapshot;
                }
            }
            Err(cancelled) => e.row = Some(Err(cancelled)),
        }
    }
    step("auditing their parameters");
    let audits: Vec<_> = futures::stream::iter(
        epochs
            .iter_mut()
            .enumerate()
            .filter(|(_, e)| e.row.is_none() && e.walk.is_some()),
    )
    .map(|(i, e)| async move {
        let audit = match &e.walk {
            Some(walk) => audit(service, walk, e.snapshot.take()).await,
            None => Err(ChainError::EmptyWalk.into()),
        };
        (i, e, audit)
    })
    .buffered(MAX_IN_FLIGHT)
    .collect()
    .await;
    for (i, e, audit) in audits {
        if let Some(walk) = &e.walk {
            e.row = Some(audit.map(|audit| model::row(group[i].number, walk, key, e.lookup.take(), &audit)));
        }
    }
    epochs
        .into_iter()
        .map(|e| e.row.unwrap_or(Err(ChainError::EmptyWalk.into())))
        .collect()
}

/// The epoch's audit from the pool's snapshot at the tip (checked against the tip's digest;
/// `fetched` if the lookup fetched it already), or why there is none. Only a cancelled query
/// stops the check.
async fn audit(
    service: &ProofService<'_>,
    walk: &Walk,
    fetched: Option<ShareState>,
) -> Result<Result<Audit, NotAudited>, CheckError> {
    if walk.contract == ShareStateContract::Unknown {
        return Ok(Err("the contract is unknown, so its rules cannot be audited".into()));
    }
    let Some(digest) = walk.tip_digest() else {
        return Ok(Err("the tip box has no digest".into()));
    };
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

/// `key`'s value in each share-state box of `at` (`(_, box id, its digest)`) from the pool's
/// proof service ([`ProofService::lookups`], all at once where it can), verified against the
/// box's digest; or why not (for the row). A service that has no proof for the key (a static
/// one publishes a file for each miner in the state only) is asked for the snapshot, verified
/// against the same digest, which proves the key's value or its absence; it is given back for
/// the audit. Only a cancelled query is an error.
async fn lookups(
    service: &ProofService<'_>,
    key: &Key,
    at: &[(usize, Id, Digest)],
) -> Vec<(Result<model::Lookup, CheckError>, Option<ShareState>)> {
    let boxes: Vec<(Id, Digest)> = at.iter().map(|(_, id, digest)| (*id, *digest)).collect();
    let answers = service.lookups(key, &boxes).await;
    futures::stream::iter(boxes.into_iter().zip(answers))
        .map(|((id, digest), answer)| async move {
            match answer {
                Ok(value) => (Ok(Ok((value, ProvenBy::LookupProof))), None),
                Err(ProofServiceError::Fetch(FetchError::NotFound { url })) => {
                    match service.snapshot(id, &digest).await {
                        Ok(state) => {
                            let value = state.get(key).map(<[u8]>::to_vec);
                            (Ok(Ok((value, ProvenBy::Snapshot))), Some(state))
                        }
                        Err(ProofServiceError::Fetch(FetchError::Cancelled)) => {
                            (Err(FetchError::Cancelled.into()), None)
                        }
                        Err(e) => (
                            Ok(Err(format!(
                                "the pool's proof service has no proof at {url}, nor a snapshot that checks: {}",
                                match e {
                                    ProofServiceError::Fetch(f) => f.to_string(),
                                    ProofServiceError::Invalid(i) => i.to_string(),
                                }
                            ))),
                            None,
                        ),
                    }
                }
                Err(ProofServiceError::Fetch(FetchError::Cancelled)) => (Err(FetchError::Cancelled.into()), None),
                Err(ProofServiceError::Fetch(e)) => (Ok(Err(format!("the pool's proof service: {e}"))), None),
                Err(ProofServiceError::Invalid(e)) => (Ok(Err(format!("the pool's lookup proof fails: {e}"))), None),
            }
        })
        .buffered(MAX_IN_FLIGHT)
        .collect()
        .await
}

/// A pool found on the chain: its epochs from their start boxes, oldest first.
fn found_pool(name: String, token: Option<String>, starts: &[Id]) -> Pool {
    Pool {
        name,
        token,
        proof_service: None,
        explorer: None,
        design: crate::model::Design::Posted,
        epochs: starts
            .iter()
            .enumerate()
            .map(|(i, s)| EpochRef {
                number: i + 1,
                start_box: s.to_hex(),
            })
            .collect(),
        nft: None,
        start_box: None,
        minimum_payout: None,
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

    #[test]
    fn runs_of_headers_merge_where_they_touch_or_one_request_reaches_both() {
        let runs = [(120, 130), (100, 110), (105, 115), (116, 116), (400, 410)];
        // overlapping and touching only
        assert_eq!(merged(runs.into_iter(), 1), vec![(100, 116), (120, 130), (400, 410)]);
        // one request of 32 headers reaches from 100 to 130, not to 410
        assert_eq!(merged(runs.into_iter(), 32), vec![(100, 130), (400, 410)]);
        assert_eq!(merged(runs.into_iter(), 512), vec![(100, 410)]);
        assert_eq!(merged(std::iter::empty(), 32), vec![]);
    }
}
