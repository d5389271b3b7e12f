//! Fetching response text (bodies are parsed in Rust, so amounts stay exact), with a timeout and
//! cancellation: a new query aborts the requests of the old one.

use futures::future::{select, Either};
use gloo_net::http::Request;
use gloo_timers::future::TimeoutFuture;
use web_sys::{AbortController, AbortSignal};

/// How long one request may take.
pub const TIMEOUT_MS: u32 = 8_000;

/// Why a request gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The server could not be reached (down, wrong URL, CORS).
    Unreachable { url: String, detail: String },
    /// No answer within [`TIMEOUT_MS`].
    Timeout { url: String },
    /// 404: the thing asked for does not exist there.
    NotFound { url: String },
    /// Another error status, with the body's words.
    Status { url: String, status: u16, body: String },
    /// A newer query replaced this one.
    Cancelled,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Unreachable { url, detail } => write!(f, "cannot reach {url} ({detail})"),
            FetchError::Timeout { url } => write!(f, "{url} did not answer within {} s", TIMEOUT_MS / 1000),
            FetchError::NotFound { url } => write!(f, "not found: {url}"),
            FetchError::Status { url, status, body } => write!(f, "{url} answered {status}: {body}"),
            FetchError::Cancelled => write!(f, "replaced by a newer query"),
        }
    }
}

impl FetchError {
    /// Whether trying again may help (the server was away or slow).
    pub fn retryable(&self) -> bool {
        matches!(self, FetchError::Unreachable { .. } | FetchError::Timeout { .. })
    }
}

/// The requests of one query.
pub struct Fetcher {
    controller: AbortController,
}

impl Fetcher {
    pub fn new() -> Fetcher {
        Fetcher {
            controller: AbortController::new().expect("AbortController"),
        }
    }

    /// Aborts every request of this query.
    pub fn cancel(&self) {
        self.controller.abort();
    }

    fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    /// GET `url`'s body as text.
    pub async fn get(&self, url: &str) -> Result<String, FetchError> {
        let request = Request::get(url).abort_signal(Some(&self.signal())).build();
        self.send(request, url).await
    }

    /// POST `body` (JSON) to `url`, returning the answer's text.
    pub async fn post(&self, url: &str, body: &str) -> Result<String, FetchError> {
        let request = Request::post(url)
            .header("content-type", "application/json")
            .abort_signal(Some(&self.signal()))
            .body(body.to_string());
        self.send(request, url).await
    }

    async fn send(
        &self,
        request: Result<gloo_net::http::Request, gloo_net::Error>,
        url: &str,
    ) -> Result<String, FetchError> {
        match request {
            Ok(r) => self.send_request(r, url).await,
            Err(e) => Err(FetchError::Unreachable {
                url: url.into(),
                detail: e.to_string(),
            }),
        }
    }

    async fn send_request(&self, request: gloo_net::http::Request, url: &str) -> Result<String, FetchError> {
        if self.signal().aborted() {
            return Err(FetchError::Cancelled);
        }
        let fetch = Box::pin(async {
            let r = request.send().await.map_err(|e| FetchError::Unreachable {
                url: url.into(),
                detail: e.to_string(),
            })?;
            let status = r.status();
            let body = r.text().await.map_err(|e| FetchError::Unreachable {
                url: url.into(),
                detail: e.to_string(),
            })?;
            match status {
                200..=299 => Ok(body),
                404 => Err(FetchError::NotFound { url: url.into() }),
                _ => Err(FetchError::Status {
                    url: url.into(),
                    status,
                    body,
                }),
            }
        });
        match select(fetch, TimeoutFuture::new(TIMEOUT_MS)).await {
            Either::Left((r, _)) => {
                if self.signal().aborted() {
                    Err(FetchError::Cancelled)
                } else {
                    r
                }
            }
            Either::Right(_) => {
                self.cancel();
                Err(FetchError::Timeout { url: url.into() })
            }
        }
    }
}

impl Default for Fetcher {
    fn default() -> Self {
        Fetcher::new()
    }
}
