//! An Ergo node with `extraIndex`: `/blockchain/box/byId/{id}`, `/blockchain/transaction/byId/{id}`
//! (inputs with their context extensions), `/blockchain/box/byTokenId/{id}` and
//! `/blockchain/box/byAddress` (paged by `offset` and `limit`), and `/info` for the height.
//! Its JSON is decoded by [`crate::ergo::json::decode`].

use super::{clip, Method, Query, Request, SourceError};

/// The most boxes a node lists at once.
pub const MAX_PAGE: usize = 500;

/// The request that asks the node `query`.
pub fn request(query: &Query) -> Request {
    let get = |path: String| Request {
        method: Method::Get,
        path,
        body: None,
    };
    match query {
        Query::Box(id) => get(format!("/blockchain/box/byId/{}", id.to_hex())),
        Query::Transaction(id) => get(format!("/blockchain/transaction/byId/{}", id.to_hex())),
        Query::BoxesByToken { token, offset, limit } => get(format!(
            "/blockchain/box/byTokenId/{}?offset={offset}&limit={}",
            token.to_hex(),
            limit.min(&MAX_PAGE)
        )),
        Query::BoxesByAddress { address, offset, limit } => Request {
            method: Method::Post,
            path: format!(
                "/blockchain/box/byAddress?offset={offset}&limit={}",
                limit.min(&MAX_PAGE)
            ),
            body: Some((address.clone(), "application/json")),
        },
        Query::Height => get("/info".into()),
    }
}

/// `/info`'s `fullHeight`.
pub fn height_answer(text: &str) -> Result<u32, SourceError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| SourceError::NoHeight {
        detail: format!("/info is not JSON: {e}"),
    })?;
    v["fullHeight"]
        .as_u64()
        .and_then(|h| u32::try_from(h).ok())
        .ok_or_else(|| SourceError::NoHeight {
            detail: format!("/info has no fullHeight: {}", clip(text)),
        })
}
