//! Fetching response text (bodies are parsed in Rust, so amounts stay exact), with a timeout per
//! request, a cap on the body's size, and cancellation: a new query aborts the requests of the
//! old one. A request that times out is aborted alone; the query's other requests go on.

use futures::future::{select, Either};
use gloo_net::http::Request;
use gloo_timers::future::TimeoutFuture;
use std::cell::RefCell;
use web_sys::AbortController;

/// How long one request may take.
pub const TIMEOUT_MS: u32 = 8_000;

/// The largest response body read (a pool's whole snapshot is the largest answer: about 60 bytes
/// of JSON per miner, so this holds some 500,000 miners).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

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
    /// The answer is larger than [`MAX_BODY_BYTES`].
    TooLarge { url: String },
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
            FetchError::TooLarge { url } => {
                write!(
                    f,
                    "{url} answered with more than {} MiB",
                    MAX_BODY_BYTES / (1024 * 1024)
                )
            }
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

/// A response's `body` as text, read chunk by chunk and given up (the stream cancelled)
/// once it passes [`MAX_BODY_BYTES`], whether or not the server declared its length.
async fn read_capped(body: Option<web_sys::ReadableStream>, url: &str) -> Result<String, FetchError> {
    use wasm_bindgen::JsCast;
    let broken = |detail: String| FetchError::Unreachable {
        url: url.into(),
        detail,
    };
    let Some(stream) = body else {
        return Ok(String::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read())
            .await
            .map_err(|e| broken(format!("{e:?}")))?;
        let field = |name: &str| js_sys::Reflect::get(&chunk, &name.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
        if field("done").as_bool().unwrap_or(true) {
            break;
        }
        let part = js_sys::Uint8Array::new(&field("value"));
        let at = bytes.len();
        let len = part.length() as usize;
        if at + len > MAX_BODY_BYTES {
            let _ = reader.cancel();
            return Err(FetchError::TooLarge { url: url.into() });
        }
        bytes.resize(at + len, 0);
        part.copy_to(&mut bytes[at..]);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The most of a server's words an error shows (in the page and in CSV).
pub const MAX_SHOWN_CHARS: usize = 300;

/// `text` cut to [`MAX_SHOWN_CHARS`] characters, marked when cut.
pub fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        Some((at, _)) => format!("{}… ({} bytes in all)", &text[..at], text.len()),
        None => text.to_string(),
    }
}

/// The requests of one query: each with its own abort controller, so that a timeout aborts that
/// request alone and a cancelled query aborts them all.
#[derive(Default)]
pub struct Fetcher {
    cancelled: std::cell::Cell<bool>,
    next: std::cell::Cell<u64>,
    in_flight: RefCell<Vec<(u64, AbortController)>>,
    slots: Slots,
}

/// How many requests one query has under way at once: a browser keeps six connections to a
/// host, and a request queued in the browser beyond them would spend its timeout waiting.
pub const MAX_IN_FLIGHT: usize = 6;

/// The requests under way, and who waits for one to end.
#[derive(Default)]
struct Slots {
    taken: std::cell::Cell<usize>,
    waiting: RefCell<Vec<std::task::Waker>>,
}

/// A request's place among the [`MAX_IN_FLIGHT`]; given back when dropped.
struct Slot<'a>(&'a Slots);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.taken.set(self.0.taken.get() - 1);
        // every waiter tries again (one may have been dropped since it waited)
        for w in self.0.waiting.borrow_mut().drain(..) {
            w.wake();
        }
    }
}

impl Fetcher {
    pub fn new() -> Fetcher {
        Fetcher::default()
    }

    /// Aborts every request of this query, and every later one.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        for (_, c) in self.in_flight.borrow_mut().drain(..) {
            c.abort();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.get()
    }

    /// A new request's controller, registered until [`Fetcher::done`].
    fn start(&self) -> Result<(u64, AbortController), FetchError> {
        if self.cancelled.get() {
            return Err(FetchError::Cancelled);
        }
        let c = AbortController::new().map_err(|_| FetchError::Unreachable {
            url: String::new(),
            detail: "the browser has no AbortController".into(),
        })?;
        let id = self.next.get();
        self.next.set(id + 1);
        self.in_flight.borrow_mut().push((id, c.clone()));
        Ok((id, c))
    }

    fn done(&self, id: u64) {
        self.in_flight.borrow_mut().retain(|(i, _)| *i != id);
    }

    /// GET `url`'s body as text.
    pub async fn get(&self, url: &str) -> Result<String, FetchError> {
        let _slot = self.slot().await;
        let (id, c) = self.start()?;
        let request = Request::get(url).abort_signal(Some(&c.signal())).build();
        let r = self.send(request, url, &c).await;
        self.done(id);
        r
    }

    /// POST `body` (JSON) to `url`, returning the answer's text.
    pub async fn post(&self, url: &str, body: &str) -> Result<String, FetchError> {
        let _slot = self.slot().await;
        let (id, c) = self.start()?;
        let request = Request::post(url)
            .header("content-type", "application/json")
            .abort_signal(Some(&c.signal()))
            .body(body.to_string());
        let r = self.send(request, url, &c).await;
        self.done(id);
        r
    }

    /// Waits until fewer than [`MAX_IN_FLIGHT`] requests are under way (the timeout of a
    /// request starts only once it is sent).
    async fn slot(&self) -> Slot<'_> {
        futures::future::poll_fn(|cx| {
            let taken = self.slots.taken.get();
            if taken < MAX_IN_FLIGHT {
                self.slots.taken.set(taken + 1);
                std::task::Poll::Ready(())
            } else {
                self.slots.waiting.borrow_mut().push(cx.waker().clone());
                std::task::Poll::Pending
            }
        })
        .await;
        Slot(&self.slots)
    }

    async fn send(
        &self,
        request: Result<gloo_net::http::Request, gloo_net::Error>,
        url: &str,
        own: &AbortController,
    ) -> Result<String, FetchError> {
        match request {
            Ok(r) => self.send_request(r, url, own).await,
            Err(e) => Err(FetchError::Unreachable {
                url: url.into(),
                detail: e.to_string(),
            }),
        }
    }

    async fn send_request(
        &self,
        request: gloo_net::http::Request,
        url: &str,
        own: &AbortController,
    ) -> Result<String, FetchError> {
        let fetch = Box::pin(async {
            let r = request.send().await.map_err(|e| FetchError::Unreachable {
                url: url.into(),
                detail: e.to_string(),
            })?;
            let declared = r.headers().get("content-length").and_then(|l| l.parse::<usize>().ok());
            if declared.is_some_and(|l| l > MAX_BODY_BYTES) {
                own.abort();
                return Err(FetchError::TooLarge { url: url.into() });
            }
            let status = r.status();
            let body = read_capped(r.body(), url).await?;
            match status {
                200..=299 => Ok(body),
                404 => Err(FetchError::NotFound { url: url.into() }),
                _ => Err(FetchError::Status {
                    url: url.into(),
                    status,
                    body: clip(&body),
                }),
            }
        });
        match select(fetch, TimeoutFuture::new(TIMEOUT_MS)).await {
            Either::Left(_) if self.cancelled.get() => Err(FetchError::Cancelled),
            Either::Left((r, _)) => r,
            Either::Right(_) => {
                // this request alone: the query's others go on
                own.abort();
                Err(FetchError::Timeout { url: url.into() })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_servers_words_are_clipped_before_they_are_shown() {
        assert_eq!(clip("short"), "short");
        let long = "é".repeat(1000);
        let c = clip(&long);
        assert!(c.starts_with(&"é".repeat(MAX_SHOWN_CHARS)));
        assert!(c.ends_with("… (2000 bytes in all)"), "{c}");
    }
}
