//! The page: pool picker, address (or wallet), progress, errors, the per-epoch table with its
//! verification marks, totals, a chart, CSV export and a shareable URL.

use crate::check::{self, CheckError, Progress};
use crate::model::{self, Paid, Pool, Row};
use crate::net::{FetchError, Fetcher};
use crate::pay;
use crate::wallet;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sharestate::ergo::parse_address_or_tree;
use sharestate::Network;
use std::rc::Rc;

const NODE_KEY: &str = "sharestate.node";
const EXPLORER_KEY: &str = "sharestate.explorer";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The node URL: saved in localStorage, else the page's own origin (the devnet serves both).
/// The explorer link base the miner chose, if any.
fn saved_explorer() -> String {
    storage()
        .and_then(|s| s.get_item(EXPLORER_KEY).ok().flatten())
        .unwrap_or_default()
}

fn saved_node() -> String {
    storage()
        .and_then(|s| s.get_item(NODE_KEY).ok().flatten())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| window().location().origin().unwrap_or_default())
}

/// What went wrong, for the alert.
#[derive(Clone, Debug, PartialEq)]
struct Failure {
    message: String,
    retryable: bool,
}

impl From<&CheckError> for Failure {
    fn from(e: &CheckError) -> Failure {
        let retryable = matches!(e, CheckError::Fetch(f) if f.retryable());
        let message = match e {
            CheckError::Fetch(FetchError::Unreachable { .. }) => {
                format!("The node is unreachable: {e}. Check the node URL in the settings, then retry.")
            }
            CheckError::Fetch(FetchError::Timeout { .. }) => format!("The node is not answering: {e}."),
            _ => e.to_string(),
        };
        Failure { message, retryable }
    }
}

/// Validates an address as the miner types it: `Ok(None)` while empty.
fn validate(address: &str) -> Result<Option<sharestate::Key>, String> {
    if address.trim().is_empty() {
        return Ok(None);
    }
    parse_address_or_tree(address, Network::Mainnet)
        .map(|a| Some(a.miner_key().0))
        .map_err(|e| format!("Invalid address: {e}"))
}

fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("text/csv");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&a) {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[component]
pub fn App() -> impl IntoView {
    let pools = RwSignal::new(Vec::<Pool>::new());
    let pool_name = RwSignal::new(String::new());
    let node = RwSignal::new(saved_node());
    let explorer_setting = RwSignal::new(saved_explorer());
    let address = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<Row>::new());
    let progress = RwSignal::new(None::<Progress>);
    let failure = RwSignal::new(None::<Failure>);
    let notice = RwSignal::new(None::<String>);
    let wallet_addresses = RwSignal::new(Vec::<String>::new());
    let running = RwSignal::new(false);
    let generation = StoredValue::new(0u64);
    let current = StoredValue::new_local(None::<Rc<Fetcher>>);
    let address_check = Memo::new(move |_| validate(&address.get()));
    // "pay out now": the row asked for, the payout prepared, where it stands
    let pay_request = RwSignal::new(None::<Row>);
    let prepared = RwSignal::new(None::<pay::Prepared>);
    let pay_status = RwSignal::new(None::<(String, bool)>);
    provide_context(pay_request);
    let current_pool = move || {
        pools
            .get_untracked()
            .into_iter()
            .find(|p| p.name == pool_name.get_untracked())
    };

    let run = move || {
        let Ok(Some(key)) = validate(&address.get_untracked()) else {
            return;
        };
        let Some(pool) = current_pool() else {
            failure.set(Some(Failure {
                message: "Choose a pool first.".into(),
                retryable: false,
            }));
            return;
        };
        // a new query replaces the old one
        if let Some(f) = current.get_value() {
            f.cancel();
        }
        let fetch = Rc::new(Fetcher::new());
        current.set_value(Some(fetch.clone()));
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let live = move || generation.get_value() == mine;
        let q = model::query(&pool.name, address.get_untracked().trim());
        let _ = window()
            .history()
            .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&q)));
        rows.set(vec![]);
        failure.set(None);
        running.set(true);
        progress.set(Some(Progress {
            step: "starting".into(),
            epochs: pool.epochs.len(),
            ..Progress::default()
        }));
        let node_url = node.get_untracked();
        spawn_local(async move {
            let result = check::check(
                &node_url,
                &pool,
                key,
                &fetch,
                |p| {
                    if live() {
                        progress.set(Some(p));
                    }
                },
                |r| {
                    if live() {
                        rows.update(|rs| rs.push(r));
                    }
                },
            )
            .await;
            if live() {
                running.set(false);
                match result {
                    Ok(()) => {}
                    Err(CheckError::Fetch(FetchError::Cancelled)) => {}
                    Err(e) => failure.set(Some(Failure::from(&e))),
                }
            }
        });
    };

    // load the pools, then restore a shared view
    spawn_local(async move {
        let fetch = Fetcher::new();
        match fetch.get("pools.json").await {
            Ok(body) => match model::parse_pools(&body) {
                Ok(ps) => {
                    let (q_pool, q_address) = model::parse_query(&window().location().search().unwrap_or_default());
                    let chosen = q_pool
                        .filter(|q| ps.iter().any(|p| &p.name == q))
                        .or_else(|| ps.first().map(|p| p.name.clone()));
                    pools.set(ps);
                    pool_name.set(chosen.unwrap_or_default());
                    if let Some(a) = q_address {
                        address.set(a);
                        run();
                    }
                }
                Err(e) => failure.set(Some(Failure {
                    message: e,
                    retryable: false,
                })),
            },
            Err(e) => failure.set(Some(Failure {
                message: format!("Could not load the list of pools: {e}"),
                retryable: false,
            })),
        }
    });

    Effect::new(move |_| {
        let Some(row) = pay_request.get() else { return };
        let Ok(Some(key)) = validate(&address.get_untracked()) else {
            return;
        };
        let Some(pool) = current_pool() else { return };
        let node_url = node.get_untracked();
        prepared.set(None);
        pay_status.set(Some((
            format!("Preparing the next payout of epoch {}…", row.epoch),
            false,
        )));
        spawn_local(async move {
            match pay::prepare(&node_url, &pool, &row, key, &Fetcher::new()).await {
                Ok(p) => {
                    pay_status.set(None);
                    prepared.set(Some(p));
                }
                Err(e) => pay_status.set(Some((e, true))),
            }
        });
    });
    let confirm = move |_| {
        let Some(p) = prepared.get_untracked() else { return };
        prepared.set(None);
        pay_status.set(Some(("Waiting for the wallet to sign…".into(), false)));
        spawn_local(async move {
            match pay::sign_and_submit(&p).await {
                Ok(id) => {
                    pay_status.set(Some((
                        format!("Submitted: transaction {id}. Checking the new state…"),
                        false,
                    )));
                    pay_request.set(None);
                    run();
                }
                Err(e) => pay_status.set(Some((e, true))),
            }
        });
    };
    let cancel = move |_| {
        prepared.set(None);
        pay_request.set(None);
        pay_status.set(Some(("Payout cancelled: nothing was signed.".into(), false)));
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run();
    };
    let connect = move |_| {
        notice.set(None);
        spawn_local(async move {
            match wallet::connect_and_list().await {
                Ok(list) if list.is_empty() => notice.set(Some("The wallet has no used addresses yet.".into())),
                Ok(list) => {
                    address.set(list[0].clone());
                    wallet_addresses.set(list);
                    run();
                }
                Err(e) => notice.set(Some(e)),
            }
        });
    };
    let add_pool_input = RwSignal::new(String::new());
    let add_pool = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = add_pool_input.get_untracked();
        let node_url = node.get_untracked();
        notice.set(Some("Looking for the pool's share-state boxes…".into()));
        spawn_local(async move {
            match check::discover(&node_url, &input, &Fetcher::new()).await {
                Ok(p) => {
                    notice.set(Some(format!("Added {} with {} epoch(s).", p.name, p.epochs.len())));
                    pool_name.set(p.name.clone());
                    pools.update(|ps| ps.push(p));
                }
                Err(e) => notice.set(Some(format!("Could not add the pool: {e}"))),
            }
        });
    };
    let save_node = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(s) = storage() {
            let _ = s.set_item(NODE_KEY, &node.get_untracked());
            let _ = s.set_item(EXPLORER_KEY, &explorer_setting.get_untracked());
        }
        notice.set(Some(format!("Settings saved: node {}", node.get_untracked())));
    };

    let explorer = Signal::derive(move || {
        let chosen = explorer_setting.get();
        if !chosen.trim().is_empty() {
            return chosen;
        }
        let name = pool_name.get();
        pools
            .with(|ps| ps.iter().find(|p| p.name == name).and_then(|p| p.explorer.clone()))
            .unwrap_or_else(|| model::EXPLORER.into())
    });
    let share_url = move || {
        let a = address.get();
        (!a.trim().is_empty() && address_check.get().is_ok()).then(|| {
            let origin = window().location().origin().unwrap_or_default();
            let path = window().location().pathname().unwrap_or_default();
            format!("{origin}{path}{}", model::query(&pool_name.get(), a.trim()))
        })
    };

    view! {
        <header>
            <h1>"sharestate"</h1>
            <p class="tagline">"Check your pool's payouts yourself: every figure below is verified in your browser, from the chain."</p>
        </header>
        <main>
            <form class="query" on:submit=on_submit aria-label="Check a miner">
                <div class="field">
                    <label for="pool">"Pool"</label>
                    <select id="pool" prop:value=move || pool_name.get() on:change=move |ev| pool_name.set(event_target_value(&ev))>
                        <For each=move || pools.get() key=|p| p.name.clone() let:p>
                            <option value=p.name.clone()>{p.name.clone()}</option>
                        </For>
                    </select>
                </div>
                <div class="field grow">
                    <label for="address">"Miner address"</label>
                    <input
                        id="address"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="9f… or an ErgoTree in hex"
                        prop:value=move || address.get()
                        on:input=move |ev| address.set(event_target_value(&ev))
                        aria-invalid=move || address_check.get().is_err().to_string()
                        aria-describedby="address-help"
                    />
                    <p id="address-help" class="help" class:error=move || address_check.get().is_err()>
                        {move || match address_check.get() {
                            Err(e) => e,
                            Ok(Some(k)) => format!("Miner key {}", sharestate::hex::encode(&k)),
                            Ok(None) => "Mainnet address (P2PK, P2SH or P2S) or ErgoTree hex.".into(),
                        }}
                    </p>
                    <Show when=move || { wallet_addresses.get().len() > 1 }>
                        <label for="wallet-addresses">"Wallet addresses"</label>
                        <select id="wallet-addresses" on:change=move |ev| { address.set(event_target_value(&ev)); run(); }>
                            <For each=move || wallet_addresses.get() key=|a| a.clone() let:a>
                                <option value=a.clone()>{a.clone()}</option>
                            </For>
                        </select>
                    </Show>
                </div>
                <div class="actions">
                    <button type="submit" disabled=move || { address_check.get().ok().flatten().is_none() }>"Check"</button>
                    <button type="button" class="secondary" on:click=connect>"Connect wallet"</button>
                </div>
            </form>

            <details class="settings">
                <summary>"Settings"</summary>
                <form on:submit=save_node>
                    <label for="node">"Ergo node URL (with extraIndex)"</label>
                    <input id="node" type="url" prop:value=move || node.get() on:input=move |ev| node.set(event_target_value(&ev))/>
                    <label for="explorer">"Explorer link for transactions (the id is appended; empty: the pool's or explorer.ergoplatform.com)"</label>
                    <input id="explorer" type="url" prop:value=move || explorer_setting.get() on:input=move |ev| explorer_setting.set(event_target_value(&ev))/>
                    <button type="submit">"Save"</button>
                </form>
                <form on:submit=add_pool>
                    <label for="add-pool">"Add a pool by share-state box id, pool token id or state address"</label>
                    <input id="add-pool" type="text" prop:value=move || add_pool_input.get() on:input=move |ev| add_pool_input.set(event_target_value(&ev))/>
                    <button type="submit">"Add pool"</button>
                </form>
            </details>

            <p class="notice" role="status">{move || notice.get()}</p>

            <div class="progress" role="status" aria-live="polite">
                {move || progress.get().filter(|_| running.get()).map(|p| view! {
                    <progress max=p.epochs.max(1) value=p.epochs_done></progress>
                    <span>{format!("{} — epoch {} of {}, {} of {} payouts replayed", p.step, (p.epochs_done + 1).min(p.epochs), p.epochs, p.replayed, p.known)}</span>
                })}
            </div>

            {move || failure.get().map(|f| view! {
                <div class="alert" role="alert">
                    <p>{f.message.clone()}</p>
                    <Show when=move || f.retryable>
                        <button type="button" on:click=move |_| run()>"Retry"</button>
                    </Show>
                </div>
            })}

            {move || pay_status.get().map(|(m, bad)| view! { <p class="pay-status" class:bad=bad role="status">{m}</p> })}
            {move || prepared.get().map(|p| {
                let shown: Vec<(String, i64)> = p.payments.iter().take(8).cloned().collect();
                let more = p.payments.len().saturating_sub(8);
                view! {
                    <section class="dialog" role="dialog" aria-modal="true" aria-labelledby="pay-title">
                        <h2 id="pay-title">{format!("Pay out epoch {} now", p.epoch)}</h2>
                        <p>{format!(
                            "This transaction pays {} miners {} ERG from the epoch's reward box{}. Your wallet pays the {} ERG fee. All {} clauses of the share-state contract were checked in your browser, and hold.",
                            p.payments.len(), model::erg(p.total), if p.includes_you { ", you among them" } else { "" }, model::erg(p.fee as i64), p.clauses
                        )}</p>
                        <ul class="payments">
                            {shown.into_iter().map(|(a, v)| view! { <li><code>{a}</code>" ← "{model::erg(v)}" ERG"</li> }).collect_view()}
                            {(more > 0).then(|| view! { <li>{format!("… and {more} more")}</li> })}
                        </ul>
                        <p class="help">{format!("Transaction id once signed: {}", pay::expected_id(&p))}</p>
                        <div class="actions">
                            <button type="button" on:click=confirm autofocus>"Sign with wallet and submit"</button>
                            <button type="button" class="secondary" on:click=cancel>"Cancel"</button>
                        </div>
                    </section>
                }
            })}

            <Results rows=rows address=address running=running explorer=explorer/>

            {move || share_url().map(|u| view! {
                <p class="share">"Shareable link: " <a href=u.clone()>{u.clone()}</a></p>
            })}
        </main>
        <footer>
            <p>"Proofs are replayed with the sharestate library compiled to WebAssembly. Figures marked verified come from proofs checked against digests on the chain; nothing else is marked so."</p>
        </footer>
    }
}

#[component]
pub fn Results(
    rows: RwSignal<Vec<Row>>,
    address: RwSignal<String>,
    running: RwSignal<bool>,
    explorer: Signal<String>,
) -> impl IntoView {
    let warnings = move || {
        let mut w: Vec<String> = rows
            .get()
            .iter()
            .flat_map(|r| r.warnings.iter().map(move |x| format!("Epoch {}: {x}", r.epoch)))
            .collect();
        w.dedup();
        w
    };
    let totals = move || model::totals(&rows.get());
    let export = move |_| {
        let a = address.get_untracked();
        download("sharestate-payouts.csv", &model::csv(a.trim(), &rows.get_untracked()));
    };
    view! {
        <Show when=move || !rows.get().is_empty()>
            <section aria-labelledby="results-title">
                <h2 id="results-title">"Payouts"</h2>
                <ul class="warnings">
                    <For each=warnings key=|w| w.clone() let:w>
                        <li class="warning" role="note">{w}</li>
                    </For>
                </ul>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Payouts per epoch">
                    <table>
                        <caption>"Per epoch: your score and share, what the contract pays you, and whether it did."</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Epoch"</th>
                                <th scope="col">"Score"</th>
                                <th scope="col">"Share"</th>
                                <th scope="col">"Expected (ERG)"</th>
                                <th scope="col">"Paid"</th>
                                <th scope="col">"Transaction"</th>
                                <th scope="col">"Verified"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || rows.get() key=|r| r.epoch let:r>
                                <RowView row=r explorer=explorer/>
                            </For>
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row" colspan="3">"Total (verified rows)"</th>
                                <td class="num">{move || model::erg(totals().0)}</td>
                                <td class="num" colspan="3">{move || format!("{} ERG paid", model::erg(totals().1))}</td>
                            </tr>
                        </tfoot>
                    </table>
                </div>
                <Chart rows=rows/>
                <button type="button" on:click=export disabled=move || running.get()>"Export CSV"</button>
            </section>
        </Show>
    }
}

#[component]
pub fn RowView(row: Row, explorer: Signal<String>) -> impl IntoView {
    let score = row.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into());
    let share = row
        .score
        .map(|s| model::share(s, row.max_score))
        .unwrap_or_else(|| "–".into());
    let expected = row.expected.map(model::erg).unwrap_or_else(|| "–".into());
    let (paid, tx) = match &row.paid {
        Paid::Yes { tx, amount, .. } => (format!("paid {} ERG", model::erg(*amount)), Some(tx.to_hex())),
        Paid::No => ("not yet".to_string(), None),
        Paid::NotInPool => ("not in this epoch".to_string(), None),
        Paid::Unknown => ("unknown".to_string(), None),
    };
    let ok = row.verified.ok();
    let describe = row.verified.describe();
    let pay_request = use_context::<RwSignal<Option<Row>>>();
    let payable = row.payable() && pay_request.is_some();
    let row_for_pay = row.clone();
    view! {
        <tr class:failed=!ok>
            <th scope="row">{row.epoch} <span class="contract">{row.contract}</span></th>
            <td class="num">{score}</td>
            <td class="num">{share}</td>
            <td class="num">{expected}</td>
            <td>
                {paid}
                {payable.then(|| view! {
                    <button type="button" class="pay" on:click=move |_| { if let Some(r) = pay_request { r.set(Some(row_for_pay.clone())); } }>"Pay out now"</button>
                })}
            </td>
            <td class="tx">
                {tx.map(|t| {
                    let label = format!("{}…", &t[..12]);
                    let title = t.clone();
                    view! { <a href=move || format!("{}{t}", explorer.get()) title=title>{label}</a> }
                })}
            </td>
            <td class="mark">
                <span class=if ok { "ok" } else { "bad" } aria-hidden="true">{if ok { "✓" } else { "✗" }}</span>
                <span class="why">{if ok { format!("verified: {describe}") } else { describe }}</span>
            </td>
        </tr>
    }
}

/// Share of the epoch's score and payout per epoch, as two bar series.
#[component]
pub fn Chart(rows: RwSignal<Vec<Row>>) -> impl IntoView {
    let bars = move || {
        let rs = rows.get();
        let max_paid = rs.iter().map(|r| r.expected.unwrap_or(0)).max().unwrap_or(0).max(1);
        let max_share = rs.iter().map(share_ppm).max().unwrap_or(0).max(1);
        let n = rs.len().max(1) as i64;
        let w = 600 / n;
        rs.iter()
            .enumerate()
            .map(|(i, r)| {
                let x = i as i64 * w;
                let sh = 160 * share_ppm(r) / max_share;
                let pay = match r.paid {
                    Paid::Yes { amount, .. } => amount,
                    _ => 0,
                };
                let ph = 160 * r.expected.unwrap_or(0) / max_paid;
                let paid_h = 160 * pay / max_paid;
                view! {
                    <g>
                        <rect class="share" x=x + 8 y=180 - sh width=(w / 3).max(2) height=sh><title>{format!("epoch {}: share {}", r.epoch, r.score.map(|s| model::share(s, r.max_score)).unwrap_or_default())}</title></rect>
                        <rect class="expected" x=x + 8 + w / 3 y=180 - ph width=(w / 3).max(2) height=ph><title>{format!("epoch {}: expected {} ERG", r.epoch, r.expected.map(model::erg).unwrap_or_default())}</title></rect>
                        <rect class="paid" x=x + 8 + w / 3 y=180 - paid_h width=(w / 6).max(1) height=paid_h></rect>
                        <text x=x + w / 2 y=198 text-anchor="middle">{format!("epoch {}", r.epoch)}</text>
                    </g>
                }
            })
            .collect_view()
    };
    view! {
        <figure class="chart">
            <svg viewBox="0 0 600 200" role="img" aria-labelledby="chart-title">
                <title id="chart-title">"Share of score (left bar) and expected payout (right bar, paid part darker) per epoch"</title>
                {bars}
            </svg>
            <figcaption>"Left: your share of the epoch's score. Right: what the contract pays you; the darker part is paid."</figcaption>
        </figure>
    }
}

fn share_ppm(r: &Row) -> i64 {
    r.score.and_then(|s| model::share_ppm(s, r.max_score)).unwrap_or(0)
}
