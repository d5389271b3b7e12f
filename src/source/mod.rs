//! **Where chain data comes from**: one set of questions a check asks ([`Query`]), asked of any
//! kind of source ([`SourceKind`]) — an Ergo node with `extraIndex`, the explorer's GraphQL
//! service (ergo-graphql, what Fleet SDK and Nautilus read in browsers), or the explorer API v1
//! (boxes and spends, but no context extensions). For each, the request
//! is built here and the answer decoded here, sans-IO: the caller sends the [`Request`] and hands
//! back the text. Every box's id is recomputed, and a transaction's id too wherever the source
//! gives its inputs' context extensions (a node and ergo-graphql do; the explorer API does not,
//! so payouts are replayed from a second source), so an answer is checked, not trusted.
//!
//! | module | what |
//! |---|---|
//! | [`node`] | the node's `/blockchain/…` paths; answers decoded by [`crate::ergo::json::decode`] |
//! | [`graphql`] | ergo-graphql's queries (JSON POSTs) and its answers → checked boxes and transactions |
//! | [`explorer`] | the explorer API v1's `/api/v1/…` paths; answers decoded by [`crate::ergo::json::decode`] |

pub mod blocks;
pub mod explorer;
pub mod graphql;
pub mod node;

use crate::ergo::json::{ChainBox, ChainTransaction, JsonError};
use crate::ergo::Id;
use thiserror::Error;

/// What a check asks a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// One box by id (spent or not, with who spent it).
    Box(Id),
    /// One transaction by id, with its inputs' context extensions.
    Transaction(Id),
    /// A page of the boxes that ever held a token (in the source's order: a node's oldest
    /// first, ergo-graphql's newest first).
    BoxesByToken { token: Id, offset: usize, limit: usize },
    /// A page of the boxes that were ever at an address (in the source's order).
    BoxesByAddress {
        address: String,
        offset: usize,
        limit: usize,
    },
    /// The height of the source's best block.
    Height,
    /// What the source says of itself: its version and what it can serve.
    Info,
}

/// Many boxes or many transactions in one request, where the source has lists of ids
/// (ergo-graphql's `boxIds` and `transactionIds`, at most [`SourceKind::max_batch`] each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    Boxes(Vec<Id>),
    Transactions(Vec<Id>),
}

/// One item of the answer to a [`Batch`]: what it decoded to (its id recomputed), the id it
/// claims to be, as given (which names an item that does not decode), and its text as the
/// answer to the one box or transaction ([`SourceKind::box_answer`] or
/// [`SourceKind::transaction_answer`] decodes it: what a cache keeps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<T> {
    pub claimed: String,
    pub value: Result<T, SourceError>,
    pub text: String,
}

/// The answers to a batch, one per id asked: the thing and its text as a single answer, or why
/// there is none.
pub type Answers<T> = Vec<Result<(T, String), SourceError>>;

/// The answer to each id of `asked`, in its order, from the items of a batch's answer: an item
/// that decoded answers the id it decoded to (`id_of`: what it is, not what it claims); an item
/// that did not decode answers the id it claims with its error, unless a good item answers it;
/// two different good items for one id are refused ([`SourceError::NotOne`]); an id nothing
/// answers was not found. Items about ids not asked are ignored.
pub fn answers_for<T: PartialEq + Clone>(
    asked: &[Id],
    items: Vec<Item<T>>,
    id_of: impl Fn(&T) -> Id,
    what: &'static str,
) -> Answers<T> {
    use std::collections::BTreeMap;
    // each id's first good item, and the other different ones
    let mut found: BTreeMap<Id, ((T, String), Vec<T>)> = BTreeMap::new();
    let mut failed: BTreeMap<String, SourceError> = BTreeMap::new();
    for item in items {
        match item.value {
            Ok(v) => match found.get_mut(&id_of(&v)) {
                Some(((kept, _), others)) => {
                    if *kept != v && !others.contains(&v) {
                        others.push(v);
                    }
                }
                None => {
                    found.insert(id_of(&v), ((v, item.text), Vec::new()));
                }
            },
            Err(e) => {
                failed.entry(item.claimed).or_insert(e);
            }
        }
    }
    asked
        .iter()
        .map(|a| match (found.get(a), failed.get(&a.to_hex())) {
            (Some((v, others)), _) if others.is_empty() => Ok(v.clone()),
            (Some((_, others)), _) => Err(SourceError::NotOne {
                what,
                count: 1 + others.len(),
            }),
            (None, Some(e)) => Err(e.clone()),
            (None, None) => Err(SourceError::NotFound { what: what.into() }),
        })
        .collect()
}

/// A single answer, to the first of `ids`, as a batch's item (a source without lists).
fn item<T>(ids: &[Id], value: Result<T, SourceError>, text: &str) -> Item<T> {
    Item {
        claimed: ids.first().map(Id::to_hex).unwrap_or_default(),
        value,
        text: text.to_string(),
    }
}

/// How a request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// A request to a source: `path` is relative to the source's base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub path: String,
    /// The body of a POST, and its content type.
    pub body: Option<(String, &'static str)>,
}

/// Why a source's answer gives nothing usable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SourceError {
    #[error(transparent)]
    Json(#[from] JsonError),
    /// The GraphQL service answered with errors (the first one's message, clipped).
    #[error("the GraphQL service refused the query: {message}")]
    Graphql { message: String },
    /// The source knows no such box or transaction.
    #[error("{what} not found at the source")]
    NotFound { what: String },
    /// The source answered with more than the one box or transaction asked for.
    #[error("the source answered with {count} {what} where one was asked for")]
    NotOne { what: &'static str, count: usize },
    /// A header in the answer is not one (its id does not recompute, a field is bad).
    #[error(transparent)]
    Header(#[from] crate::ergo::header::HeaderError),
    /// No inclusion proof can be read from the answer.
    #[error("no inclusion proof: {detail}")]
    Inclusion { detail: String },
    /// The source's status has no height.
    #[error("the source's answer holds no height: {detail}")]
    NoHeight { detail: String },
}

/// The kinds of source sharestate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceKind {
    /// An Ergo node with `extraIndex` (5.0.27 or later, for context extensions).
    #[default]
    Node,
    /// The explorer's GraphQL service (ergo-graphql).
    Graphql,
    /// The explorer API v1: boxes and spends, no context extensions (payouts need a second
    /// source for transactions).
    Explorer,
}

impl SourceKind {
    /// `node` or `graphql`, as settings and links name it.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Node => "node",
            SourceKind::Graphql => "graphql",
            SourceKind::Explorer => "explorer",
        }
    }

    /// The kind named `name` ([`SourceKind::name`]).
    pub fn from_name(name: &str) -> Option<SourceKind> {
        match name {
            "node" => Some(SourceKind::Node),
            "graphql" => Some(SourceKind::Graphql),
            "explorer" => Some(SourceKind::Explorer),
            _ => None,
        }
    }

    /// The most boxes one page of a listing may ask for.
    pub fn max_page(self) -> usize {
        match self {
            SourceKind::Node => node::MAX_PAGE,
            SourceKind::Graphql => graphql::MAX_TAKE,
            SourceKind::Explorer => explorer::MAX_PAGE,
        }
    }

    /// How many ids one request may ask for ([`Batch`]): 1 where the source has no lists (a
    /// node's and the explorer API's boxes and transactions are asked one at a time).
    pub fn max_batch(self) -> usize {
        match self {
            SourceKind::Graphql => graphql::MAX_IDS,
            SourceKind::Node | SourceKind::Explorer => 1,
        }
    }

    /// The request that asks for all of `batch` at once; `None` where the source has no lists.
    pub fn batch_request(self, batch: &Batch) -> Option<Request> {
        match self {
            SourceKind::Graphql => Some(graphql::batch_request(batch)),
            SourceKind::Node | SourceKind::Explorer => None,
        }
    }

    /// The answer to [`Batch::Boxes`] `ids`: each id's box and its text, in order ([`answers_for`]).
    pub fn batch_boxes_answer(self, text: &str, ids: &[Id]) -> Result<Answers<ChainBox>, SourceError> {
        let items = match self {
            SourceKind::Graphql => graphql::batch_boxes_answer(text)?,
            SourceKind::Node | SourceKind::Explorer => vec![item(ids, self.box_answer(text), text)],
        };
        Ok(answers_for(ids, items, |b| b.id, "box"))
    }

    /// The answer to [`Batch::Transactions`] `ids`: each id's transaction, in order.
    pub fn batch_transactions_answer(self, text: &str, ids: &[Id]) -> Result<Answers<ChainTransaction>, SourceError> {
        let items = match self {
            SourceKind::Graphql => graphql::batch_transactions_answer(text)?,
            SourceKind::Node | SourceKind::Explorer => vec![item(ids, self.transaction_answer(text), text)],
        };
        Ok(answers_for(ids, items, |t| t.id, "transaction"))
    }

    /// The request that asks `query`.
    pub fn request(self, query: &Query) -> Request {
        match self {
            SourceKind::Node => node::request(query),
            SourceKind::Graphql => graphql::request(query),
            SourceKind::Explorer => explorer::request(query),
        }
    }

    /// The answer to [`Query::Box`]: the box, its id recomputed.
    pub fn box_answer(self, text: &str) -> Result<ChainBox, SourceError> {
        match self {
            SourceKind::Node | SourceKind::Explorer => Ok(crate::ergo::json::decode_box(text)?),
            SourceKind::Graphql => graphql::box_answer(text),
        }
    }

    /// The answer to [`Query::Transaction`]: the transaction, its outputs' ids recomputed and
    /// its own id where every input's context extension is given.
    pub fn transaction_answer(self, text: &str) -> Result<ChainTransaction, SourceError> {
        match self {
            SourceKind::Node | SourceKind::Explorer => Ok(crate::ergo::json::decode_transaction(text)?),
            SourceKind::Graphql => graphql::transaction_answer(text),
        }
    }

    /// The answer to a listing ([`Query::BoxesByToken`], [`Query::BoxesByAddress`]).
    pub fn boxes_answer(self, text: &str) -> Result<Vec<ChainBox>, SourceError> {
        match self {
            SourceKind::Node | SourceKind::Explorer => Ok(crate::ergo::json::decode_boxes(text)?),
            SourceKind::Graphql => graphql::boxes_answer(text),
        }
    }

    /// [`SourceKind::boxes_answer`], each box with its text as the answer to that one box
    /// (what [`SourceKind::box_answer`] decodes: what a cache keeps).
    pub fn boxes_answer_texts(self, text: &str) -> Result<Vec<(ChainBox, String)>, SourceError> {
        match self {
            SourceKind::Node | SourceKind::Explorer => Ok(crate::ergo::json::decode::decode_boxes_with_texts(text)?),
            SourceKind::Graphql => graphql::batch_boxes_answer(text)?
                .into_iter()
                .map(|i| i.value.map(|b| (b, i.text)))
                .collect(),
        }
    }

    /// The answer to [`Query::Info`]: what the source says it can serve.
    pub fn info_answer(self, text: &str) -> Result<Capabilities, SourceError> {
        match self {
            SourceKind::Node => node::info_answer(text),
            SourceKind::Graphql => graphql::info_answer(text),
            SourceKind::Explorer => explorer::info_answer(text),
        }
    }

    /// The answer to [`Query::Height`].
    pub fn height_answer(self, text: &str) -> Result<u32, SourceError> {
        match self {
            SourceKind::Node => node::height_answer(text),
            SourceKind::Graphql => graphql::height_answer(text),
            SourceKind::Explorer => explorer::height_answer(text),
        }
    }
}

/// What a source says of itself (its word, not proof: the answers are checked regardless).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    pub kind: SourceKind,
    pub version: Option<String>,
    /// Whether it serves boxes and transactions by id, token and address (a node's
    /// `extraIndex`; always, for ergo-graphql).
    pub indexed: Option<bool>,
    /// Whether its transactions carry the inputs' context extensions, without which no payout
    /// can be replayed (nodes from 5.0.27; always, for ergo-graphql).
    pub extensions: Option<bool>,
}

impl Capabilities {
    /// "node 6.0.1, indexed, context extensions: yes".
    pub fn describe(&self) -> String {
        let yes_no = |b: Option<bool>| match b {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not known",
        };
        let name = match self.kind {
            SourceKind::Node => "node",
            SourceKind::Graphql => "ergo-graphql",
            SourceKind::Explorer => "explorer API",
        };
        format!(
            "{name} {}, indexed: {}, context extensions: {}",
            self.version.as_deref().unwrap_or("(version not given)"),
            yes_no(self.indexed),
            yes_no(self.extensions)
        )
    }
}

pub(crate) use crate::encoding::text::clip;

/// A version a source reports, as it may be shown: at most 40 characters of letters, digits and
/// `.+-_` (a source's text is not the app's to display as it likes).
pub(crate) fn version_text(v: &str) -> String {
    v.chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".+-_".contains(*c))
        .take(40)
        .collect()
}
