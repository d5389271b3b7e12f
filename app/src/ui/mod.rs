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
//! | [`balance`] | where a Design 2 check is shown: the second module loaded and mounted |

pub mod balance;
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

/// Which network's proof-of-work rules the page applies, in words.
#[component]
fn Rules(state: AppState) -> impl IntoView {
    let n = state.network.get_value();
    let text = match n.name {
        "mainnet" => format!(
            "Blocks are checked against mainnet's rules: every header mined at a difficulty of at least {} (a chain mined at less is refused), and up to {} blocks after each.",
            n.min_difficulty, n.blocks_after
        ),
        name => format!(
            "Blocks are checked against the {name}'s rules, not mainnet's: a difficulty of at least {} — a test network, whose proof of work anyone can make. Remove network={name} from the address for mainnet's rules.",
            n.min_difficulty
        ),
    };
    view! { <p class="rules" class:test=n.name != "mainnet">{text}</p> }
}

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
            <p class="tagline">"Check your pool's payouts yourself: every figure marked ✓ is verified in your browser — the pool's proofs replayed, and the transactions they rest on found in blocks whose proof of work your browser checked."</p>
            <Rules state=state/>
        </header>
        <main>
            <QueryForm state=state on_check=check/>
            <Settings state=state/>
            <Notice state=state/>
            <ProgressView state=state/>
            <Alert state=state on_retry=check/>
            <PayoutDialog state=state on_submitted=check/>
            <div id=balance::HOST></div>
            <Results rows=state.rows address=state.address running=state.running explorer=state.explorer() on_pay=pay/>
            <ShareLink state=state/>
        </main>
        <footer>
            <p>"Proofs are replayed with the sharestate library compiled to WebAssembly. A ✓ means: the proof checked against a digest in a box, the transaction that made or spent that box in a block (its Merkle proof against the block's header), and that header and the ones after it mined to the network's rules. “Not yet paid” is proven by a node's state proof, or says it rests on the source's word; too few confirmations: ?."</p>
        </footer>
    }
}
