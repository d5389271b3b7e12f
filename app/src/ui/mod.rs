//! The page, as components over one [`AppState`], wired by explicit callbacks:
//!
//! | module | what |
//! |---|---|
//! | [`state`] | the state (signals), address validation; loading the pools, checking the miner |
//! | [`query`] | pool, address, wallet addresses, Check / Connect wallet; the shareable link |
//! | [`settings`] | where chain data comes from (presets, fallback URLs, a second source for transactions) and the explorer link (saved), adding a pool found on the chain |
//! | [`status`] | notice, progress, the alert with Retry |
//! | [`payout`] | "pay out now": preparing a row's payout, the dialog, signing and submitting |
//! | [`results`] | warnings, the table and its rows, totals, chart, CSV |

pub mod payout;
pub mod query;
pub mod results;
pub mod settings;
pub mod state;
pub mod status;

pub use payout::PayoutDialog;
pub use query::{QueryForm, ShareLink};
pub use results::{Chart, Results, RowView};
pub use settings::Settings;
pub use state::{AppState, Failure};
pub use status::{Alert, Notice, ProgressView};

use crate::model::Row;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    state.load();
    // a check replaces the one under way: after Check, Retry, a wallet, or a payout submitted
    let check = Callback::new(move |()| state.check());
    let pay = Callback::new(move |row: Row| payout::prepare(state, row));
    view! {
        <header>
            <h1>"sharestate"</h1>
            <p class="tagline">"Check your pool's payouts yourself: every figure below is verified in your browser, from the chain."</p>
        </header>
        <main>
            <QueryForm state=state on_check=check/>
            <Settings state=state/>
            <Notice state=state/>
            <ProgressView state=state/>
            <Alert state=state on_retry=check/>
            <PayoutDialog state=state on_submitted=check/>
            <Results rows=state.rows address=state.address running=state.running explorer=state.explorer() on_pay=pay/>
            <ShareLink state=state/>
        </main>
        <footer>
            <p>"Proofs are replayed with the sharestate library compiled to WebAssembly. Figures marked verified come from proofs checked against digests on the chain; nothing else is marked so."</p>
        </footer>
    }
}
