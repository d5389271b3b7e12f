//! The miner's app: Leptos, client-side rendered, built by Trunk from the root `index.html`.
//!
//! | module | what |
//! |---|---|
//! | [`model`] | what is shown, computed from verified data (no I/O, no DOM) |
//! | [`check`] | a miner's check of a pool: walks, lookups, progress |
//! | [`net`] | fetching with timeouts and cancellation |
//! | [`pay`] | "pay out now": a payout built, checked locally, signed by the wallet |
//! | [`wallet`] | the EIP-12 connector |
//! | [`ui`] | the page |

pub mod check;
pub mod model;
pub mod net;
pub mod pay;
pub mod ui;
pub mod wallet;

/// Mounts the app on the page's body.
pub fn start() {
    leptos::mount::mount_to_body(ui::App);
}
