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
        Query::Height | Query::Info => get("/info".into()),
    }
}

/// Whether `version` ("6.0.1", "v5.0.27-RC1") is 5.0.27 or later, the first nodes whose indexed
/// transactions carry context extensions; None if it does not read as a version.
fn gives_extensions(version: &str) -> Option<bool> {
    let digits: Vec<u32> = version
        .trim_start_matches('v')
        .split(['.', '-'])
        .take(3)
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match digits.as_slice() {
        [a, b, c] => Some((*a, *b, *c) >= (5, 0, 27)),
        _ => None,
    }
}

/// What `/info` says: `appVersion`, and `isExplorer` (extraIndex on).
pub fn info_answer(text: &str) -> Result<super::Capabilities, SourceError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| SourceError::NoHeight {
        detail: format!("/info is not JSON: {e}"),
    })?;
    let version = v["appVersion"].as_str().map(super::version_text);
    let indexed = v["isExplorer"].as_bool();
    Ok(super::Capabilities {
        kind: super::SourceKind::Node,
        extensions: match (indexed, version.as_deref().and_then(gives_extensions)) {
            (Some(false), _) => Some(false),
            (_, e) => e,
        },
        version,
        indexed,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn info_says_whether_payouts_can_be_replayed() {
        let info = |v: &str, explorer: bool| {
            info_answer(&format!(
                r#"{{"appVersion":"{v}","isExplorer":{explorer},"fullHeight":1}}"#
            ))
            .unwrap()
        };
        assert_eq!(
            info("6.0.1", true).describe(),
            "node 6.0.1, indexed: yes, context extensions: yes"
        );
        assert_eq!(info("5.0.26", true).extensions, Some(false));
        assert_eq!(info("v5.0.27-RC1", true).extensions, Some(true));
        assert_eq!(
            info("6.0.1", false).describe(),
            "node 6.0.1, indexed: no, context extensions: no"
        );
        assert_eq!(info("nightly", true).extensions, None);
        assert!(info_answer("<html>").is_err());
    }
}
