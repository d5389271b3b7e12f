//! The **explorer API v1** (`api.ergoplatform.com/api/v1`): `/boxes/{id}`,
//! `/boxes/byTokenId/{id}` and `/boxes/byAddress/{address}` (paged by `offset` and `limit`),
//! `/transactions/{id}` and `/info` (the height). Its boxes carry registers as
//! `{serializedValue, sigmaType, renderedValue}` and `spentTransactionId`; they are decoded by
//! [`crate::ergo::json::decode`], ids recomputed.
//!
//! Its transactions carry **no context extension**: from this source alone a walk finds a pool's
//! boxes and follows their spends, but cannot replay a payout nor recompute a transaction's id.
//! Payouts then need a second source for transactions (a node or ergo-graphql), and
//! [`super::Capabilities`] says so.

use super::{clip, Method, Query, Request, SourceError};

/// The most boxes the explorer lists at once.
pub const MAX_PAGE: usize = 500;

/// The request that asks the explorer API `query` (paths relative to the service's root,
/// `https://api.ergoplatform.com` on mainnet).
pub fn request(query: &Query) -> Request {
    let path = match query {
        Query::Box(id) => format!("/api/v1/boxes/{}", id.to_hex()),
        Query::Transaction(id) => format!("/api/v1/transactions/{}", id.to_hex()),
        Query::BoxesByToken { token, offset, limit } => format!(
            "/api/v1/boxes/byTokenId/{}?offset={offset}&limit={}",
            token.to_hex(),
            limit.min(&MAX_PAGE)
        ),
        Query::BoxesByAddress { address, offset, limit } => format!(
            // base58 needs no escaping in a path
            "/api/v1/boxes/byAddress/{address}?offset={offset}&limit={}",
            limit.min(&MAX_PAGE)
        ),
        Query::Height | Query::Info => "/api/v1/info".into(),
    };
    Request {
        method: Method::Get,
        path,
        body: None,
    }
}

fn info_json(text: &str) -> Result<serde_json::Value, SourceError> {
    serde_json::from_str(text).map_err(|e| SourceError::NoHeight {
        detail: format!("the explorer's /api/v1/info is not JSON: {}", clip(&e.to_string())),
    })
}

/// What the explorer is: indexed, without context extensions. Its `/api/v1/info` gives no
/// version; it must at least give a height to be taken for the explorer API.
pub fn info_answer(text: &str) -> Result<super::Capabilities, SourceError> {
    height_answer(text)?;
    let v = info_json(text)?;
    Ok(super::Capabilities {
        kind: super::SourceKind::Explorer,
        version: v["version"].as_str().map(super::version_text),
        indexed: Some(true),
        extensions: Some(false),
    })
}

/// `/api/v1/info`'s `height`.
pub fn height_answer(text: &str) -> Result<u32, SourceError> {
    info_json(text)?["height"]
        .as_u64()
        .and_then(|h| u32::try_from(h).ok())
        .ok_or_else(|| SourceError::NoHeight {
            detail: format!("the explorer's /api/v1/info has no height: {}", clip(text)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ergo::Id;
    use crate::source::SourceKind;

    #[crate::test]
    fn requests_are_the_explorer_api_paths_and_pages_are_capped() {
        let id = Id([0xab; 32]);
        assert_eq!(
            request(&Query::Box(id)).path,
            format!("/api/v1/boxes/{}", "ab".repeat(32))
        );
        assert_eq!(
            request(&Query::BoxesByToken {
                token: id,
                offset: 1000,
                limit: 9999
            })
            .path,
            format!("/api/v1/boxes/byTokenId/{}?offset=1000&limit=500", "ab".repeat(32))
        );
        assert_eq!(
            request(&Query::BoxesByAddress {
                address: "9f".into(),
                offset: 0,
                limit: 10
            })
            .path,
            "/api/v1/boxes/byAddress/9f?offset=0&limit=10"
        );
        assert_eq!(request(&Query::Height).method, Method::Get);
    }

    #[crate::test]
    fn info_says_payouts_need_a_second_source() {
        let info = r#"{"lastBlockId":"5b9b","height":1282261,"maxBoxGix":6197269,"maxTxGix":1167892}"#;
        assert_eq!(height_answer(info).unwrap(), 1_282_261);
        let c = info_answer(info).unwrap();
        assert_eq!(c.kind, SourceKind::Explorer);
        assert_eq!(c.extensions, Some(false));
        assert_eq!(
            c.describe(),
            "explorer API (version not given), indexed: yes, context extensions: no"
        );
        assert!(matches!(info_answer("{}"), Err(SourceError::NoHeight { .. })));
        assert!(matches!(height_answer("<html>"), Err(SourceError::NoHeight { .. })));
        assert!(height_answer(r#"{"height":-1}"#).is_err());
        assert!(height_answer(r#"{"height":4294967296}"#).is_err());
    }
}
