//! The miner's app: Leptos, client-side rendered, built by Trunk from the root `index.html`.
//!
//! | module | what |
//! |---|---|
//! | [`model`] | what is shown, computed from verified data (no I/O, no DOM) |
//! | [`net`] | fetching with timeouts and cancellation |
//! | [`cache`] | this browser's cache of answers that cannot change (IndexedDB), checked again on every use |
//! | [`chain`] | the one client for chain data: the node's boxes and transactions (listings paged), its height, a pool's proof service; the walk of an epoch driven through it |
//! | [`check`] | a miner's check of a pool: walks, lookups, progress; a pool's epochs discovered |
//! | [`persistent`] | Design 2: a miner's balance owed and history, in the app's second module |
//! | [`pay`] | "pay out now": a payout built, checked locally, signed by the wallet |
//! | [`wallet`] | the EIP-12 connector |
//! | [`ui`] | the page: components over one state, wired by callbacks |
//! | `fixtures` | (tests only, feature `test-fixtures`) what the tests are built from |

pub mod cache;
pub mod chain;
pub mod check;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixtures;
pub mod model;
pub mod net;
pub mod pay;
pub mod persistent;
pub mod ui;
pub mod wallet;

/// Mounts the app on the page's body.
pub fn start() {
    leptos::mount::mount_to_body(ui::App);
}
