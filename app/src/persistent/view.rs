//! The Design 2 view, mounted by the app's second module into the element the first gives it
//! ([`mount`]): where the check stands, the pool's warnings, the balance owed now and what it
//! rests on, whether it reaches the miner's minimum, the commands that touched the miner (each
//! with what was verified), totals, a chart of the balance, CSV.

use super::model::{parse_erg, BalanceReport, BalanceRow, Mark};
use crate::cache::AnswerCache;
use crate::model::{self, erg, thousands, Anchor};
use crate::net::Fetcher;
use crate::ui::settings::SourceSetting;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sharestate::source::SourceKind;
use std::cell::RefCell;
use std::rc::Rc;

/// The check the first module asks for: the pool (by name, from `pools.json`), the miner's
/// address, and where chain data comes from.
#[derive(Debug, Clone)]
pub struct Request {
    pub pool: String,
    pub address: String,
    pub kind: String,
    pub urls: String,
    pub second_kind: String,
    pub second_urls: String,
    pub cross_kind: String,
    pub cross_urls: String,
}

impl Request {
    /// The fields, in the order the first module gives them.
    pub const FIELDS: [&'static str; 8] = [
        "pool",
        "address",
        "kind",
        "urls",
        "secondKind",
        "secondUrls",
        "crossKind",
        "crossUrls",
    ];

    /// The request from its fields in [`Request::FIELDS`]' order.
    pub fn from_fields(f: &[String]) -> Result<Request, String> {
        let [pool, address, kind, urls, second_kind, second_urls, cross_kind, cross_urls] = f else {
            return Err(format!("{} fields, not {}", f.len(), Request::FIELDS.len()));
        };
        Ok(Request {
            pool: pool.clone(),
            address: address.clone(),
            kind: kind.clone(),
            urls: urls.clone(),
            second_kind: second_kind.clone(),
            second_urls: second_urls.clone(),
            cross_kind: cross_kind.clone(),
            cross_urls: cross_urls.clone(),
        })
    }

    fn setting(&self) -> SourceSetting {
        let kind = |k: &str| SourceKind::from_name(k).unwrap_or_default();
        SourceSetting {
            kind: kind(&self.kind),
            urls: self.urls.clone(),
            second_kind: kind(&self.second_kind),
            second_urls: self.second_urls.clone(),
            cross_kind: kind(&self.cross_kind),
            cross_urls: self.cross_urls.clone(),
        }
    }
}

/// A view mounted (its handle: dropped, it unmounts), and the requests of its check.
type Mounted = (Box<dyn std::any::Any>, Rc<Fetcher>);

thread_local! {
    /// What is mounted now: replaced (unmounted, cancelled) by the next.
    static MOUNTED: RefCell<Option<Mounted>> = const { RefCell::new(None) };
}

/// Replaces whatever this module shows with the check `request` (a [`Request`]'s fields) in
/// `host`.
pub fn mount(host: web_sys::HtmlElement, request: &[String]) {
    unmount();
    let fetch = Rc::new(Fetcher::new());
    let request = Request::from_fields(request);
    let f = fetch.clone();
    let handle = leptos::mount::mount_to(
        host,
        move || view! { <BalanceCheck request=request.clone() fetch=f.clone()/> },
    );
    MOUNTED.with(|m| *m.borrow_mut() = Some((Box::new(handle), fetch)));
}

/// Cancels the check under way and removes its view.
pub fn unmount() {
    if let Some((handle, fetch)) = MOUNTED.with(|m| m.borrow_mut().take()) {
        fetch.cancel();
        drop(handle);
    }
}

/// The miner's minimum as saved for `pool` in this browser, if any.
fn saved_minimum(pool: &str) -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(&format!("sharestate.minimum.{pool}"))
        .ok()
        .flatten()
}

fn save_minimum(pool: &str, text: &str) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = s.set_item(&format!("sharestate.minimum.{pool}"), text);
    }
}

#[component]
fn BalanceCheck(request: Result<Request, String>, fetch: Rc<Fetcher>) -> impl IntoView {
    let progress = RwSignal::new(Some("starting".to_string()));
    let failure = RwSignal::new(None::<String>);
    let report = RwSignal::new(None::<BalanceReport>);
    let minimum = RwSignal::new(String::new());
    let explorer = RwSignal::new(String::new());
    let (address, pool_name) = match &request {
        Ok(r) => (r.address.clone(), r.pool.clone()),
        Err(_) => Default::default(),
    };
    match request {
        Err(e) => {
            progress.set(None);
            failure.set(Some(format!("The check asked for is not valid: {e}")));
        }
        Ok(r) => spawn_local(async move {
            let result = run(&r, &fetch, minimum, explorer, |p| progress.set(Some(p))).await;
            progress.set(None);
            match result {
                Ok(done) => report.set(Some(done)),
                Err(e) if fetch.is_cancelled() => drop(e),
                Err(e) => failure.set(Some(e)),
            }
        }),
    }
    let pool_for_save = pool_name.clone();
    let on_minimum = move |ev| {
        let text = event_target_value(&ev);
        save_minimum(&pool_for_save, &text);
        minimum.set(text);
    };
    let address_csv = address.clone();
    let export = move |_| {
        if let Some(r) = report.get_untracked() {
            crate::ui::results::download("sharestate-balance.csv", &r.csv(address_csv.trim()));
        }
    };
    view! {
        <section class="balance" aria-labelledby="balance-title">
            <h2 id="balance-title">{format!("Balance owed by {pool_name}")}</h2>
            {move || progress.get().map(|p| view! { <p class="progress" role="status">{p}</p> })}
            {move || failure.get().map(|f| view! { <p class="alert" role="alert">{f}</p> })}
            {move || report.get().map(|r| {
                let explorer = explorer.get_untracked();
                view! {
                    <Warnings report=r.clone()/>
                    <OwedView report=r.clone()/>
                    <p class="minimum">
                        <label for="minimum">"Your minimum payout (ERG) "</label>
                        <input id="minimum" type="text" inputmode="decimal" prop:value=move || minimum.get() on:input=on_minimum.clone()/>
                        " "
                        <span class="reached">{
                            let r = r.clone();
                            move || reached(&r, &minimum.get())
                        }</span>
                    </p>
                    <Table report=r.clone() explorer=explorer/>
                    <BalanceChart report=r.clone()/>
                    <button type="button" on:click=export.clone()>"Export CSV"</button>
                }
            })}
        </section>
    }
}

/// Loads the pool, walks it, and gives the report (or why not, in words).
async fn run(
    r: &Request,
    fetch: &Fetcher,
    minimum: RwSignal<String>,
    explorer: RwSignal<String>,
    on_progress: impl Fn(String),
) -> Result<BalanceReport, String> {
    let pools = fetch
        .get("pools.json")
        .await
        .map_err(|e| format!("Could not load the list of pools: {e}"))?;
    let pool = model::parse_pools(&pools)?
        .into_iter()
        .find(|p| p.name == r.pool && p.design == model::Design::Persistent)
        .ok_or_else(|| format!("No balance pool named {} in the list of pools.", r.pool))?;
    // where transaction ids link to: the miner's setting, else the pool's, else the public
    // explorer (only an http(s) URL or a path on this site)
    explorer.set(
        model::link_base(&crate::ui::settings::saved_explorer())
            .or_else(|| pool.explorer.as_deref().and_then(model::link_base))
            .unwrap_or_else(|| model::EXPLORER.into()),
    );
    minimum.set(
        saved_minimum(&pool.name)
            .or_else(|| {
                pool.minimum_payout
                    .as_deref()
                    .and_then(|m| m.parse::<i64>().ok())
                    .map(erg)
            })
            .unwrap_or_default(),
    );
    let key = crate::ui::state::validate(&r.address)?.ok_or("No address to check.")?;
    let setting = r.setting();
    let cache = AnswerCache::load(&format!("{}|{}", pool.name, setting.describe())).await;
    let node = setting.chain(fetch).with_cache(&cache);
    let checked = super::check::check(&node, &pool, key, crate::ui::state::rules(), on_progress).await;
    cache.save().await;
    checked.map_err(|e| crate::ui::Failure::from(&e).message)
}

/// Whether the balance reaches the minimum typed, in words.
fn reached(r: &BalanceReport, minimum: &str) -> String {
    let Some(m) = parse_erg(minimum) else {
        return "Type an amount in ERG (at most 9 decimals).".into();
    };
    let whose = "the minimum is the pool's setting, which the contracts do not hold; the pool says it pays balances at or above it";
    let unproven = match r.owed.mark {
        Mark::Verified => "",
        _ => ", for a balance not verified (see above)",
    };
    match (r.reaches(m), r.owed.amount) {
        (Some(true), _) => format!("Reached ({whose}){unproven}."),
        (Some(false), Some(owed)) => format!("Not reached: {} ERG to go ({whose}){unproven}.", erg(m - owed)),
        _ => "Unknown: the balance owed is not known.".into(),
    }
}

#[component]
fn Warnings(report: BalanceReport) -> impl IntoView {
    let moved = report.set_now == Some(sharestate::persistent::ContractSet::Hardened);
    let set = report.set_now.map_or("no contract sharestate knows", |s| s.name());
    view! {
        <p class="contracts">{format!(
            "Pool NFT {} (the list of pools names the pool by it): {} commands replayed over {} rounds; the pool's state box now runs the {set} contracts{}.",
            report.nft.as_deref().unwrap_or("none"),
            report.commands,
            report.rounds,
            if moved { " (every weakness of the deployed set closed)" } else { "" }
        )}</p>
        {report.deployed_until.map(|r| view! { <p class="contracts">{format!(
            "Rounds 1–{r} ran the deployed contracts: {}.",
            match report.weak_commands {
                0 => "no command used one of their weaknesses".to_string(),
                1 => "1 command used one of their weaknesses (below)".to_string(),
                n => format!("{n} commands used one of their weaknesses (below)"),
            }
        )}</p> })}
        {report.end.clone().map(|e| view! { <p class="alarm" role="note">{format!("The pool's state left its state boxes: {e}")}</p> })}
        <ul class="warnings">
            {report.warnings.iter().map(|w| view! { <li class="warning" role="note">{w.clone()}</li> }).collect_view()}
        </ul>
    }
}

/// The balance owed now, its mark, and what it rests on.
#[component]
pub fn OwedView(report: BalanceReport) -> impl IntoView {
    let o = &report.owed;
    let (mark, class) = mark(o.mark);
    let amount = match (o.amount, o.gone) {
        (None, _) => "unknown".to_string(),
        (Some(_), Some(_)) => "nothing".to_string(),
        (Some(a), None) => format!("{} ERG", erg(a)),
    };
    view! {
        <div class="owed">
            <p><span class=class aria-hidden="true">{mark}</span> " Owed now: " <strong class="owed-amount">{amount}</strong></p>
            <p class="why">{o.why.clone()}</p>
        </div>
    }
}

/// A mark and its class.
fn mark(m: Mark) -> (&'static str, &'static str) {
    match m {
        Mark::Verified => ("✓", "ok"),
        Mark::Partial => ("?", "partial"),
        Mark::Refused => ("✗", "bad"),
    }
}

#[component]
fn Table(report: BalanceReport, explorer: String) -> impl IntoView {
    let (credited, paid) = report.totals();
    let rows = report.rows.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Commands that touched you">
            <table class="balance-history">
                <caption>{match &report.first_state {
                    Ok(()) => "Every command that touched you: credits, payouts, insertion and removal.".to_string(),
                    Err(_) => format!("Every command that touched you since box {}, where the walk starts: credits, payouts, insertion and removal.", &report.start.to_hex()[..12]),
                }}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Round"</th>
                        <th scope="col">"Command"</th>
                        <th scope="col">"Height"</th>
                        <th scope="col">"Amount (ERG)"</th>
                        <th scope="col">"Balance after (ERG)"</th>
                        <th scope="col">"Transaction"</th>
                        <th scope="col">"Verified"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! { <RowView row=r explorer=explorer.clone()/> }).collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="3">"Total (verified rows)"</th>
                        <td class="num" colspan="4">{format!(
                            "{} ERG credited, {} ERG paid",
                            model::total_erg(credited),
                            model::total_erg(paid)
                        )}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

/// One command that touched the miner, its mark and what it rests on.
#[component]
pub fn RowView(row: BalanceRow, explorer: String) -> impl IntoView {
    let (mark, class) = match (&row.anchor, row.trusted()) {
        (_, true) => ("✓", "ok"),
        _ if row.refused.is_some() || !row.weaknesses.is_empty() => ("✗", "bad"),
        (Some(Anchor::Failed(_)), _) => ("✗", "bad"),
        _ => ("?", "partial"),
    };
    let why = match row.trusted() {
        true => format!("verified: {}", row.trust()),
        false => row.trust(),
    };
    let tx = row.tx.to_hex();
    let amount = match row.command {
        sharestate::persistent::Command::Update | sharestate::persistent::Command::Payout => erg(row.amount),
        _ => "–".into(),
    };
    view! {
        <tr class:failed=!row.trusted() data-tx=tx.clone()>
            <th scope="row">{row.round}</th>
            <td class="command">{row.command.name()}</td>
            <td class="num">{row.height.map(thousands).unwrap_or_else(|| "–".into())}</td>
            <td class="num amount">{amount}</td>
            <td class="num after">{row.after.map(erg).unwrap_or_else(|| "–".into())}</td>
            <td class="tx"><a href=format!("{explorer}{tx}") title=tx.clone()>{format!("{}…", &tx[..12])}</a></td>
            <td class="mark"><span class=class aria-hidden="true">{mark}</span> <span class="why">{why}</span></td>
        </tr>
    }
}

/// The balance after each command that touched the miner, as a line.
#[component]
fn BalanceChart(report: BalanceReport) -> impl IntoView {
    let points = report.balances();
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let n = points.len().max(2) as i64 - 1;
    // heights in i128, clamped to the chart: no product of amounts can wrap
    let y = |v: i64| 180 - (160 * i128::from(v.max(0)) / i128::from(max)).clamp(0, 160) as i64;
    let line: Vec<String> = points
        .iter()
        .map(|(i, v)| format!("{},{}", 10 + 580 * *i as i64 / n, y(*v)))
        .collect();
    view! {
        <figure class="chart">
            <svg viewBox="0 0 600 200" role="img" aria-labelledby="balance-chart-title">
                <title id="balance-chart-title">{format!("Balance owed after each command, up to {} ERG", erg(max))}</title>
                <polyline class="balance-line" points=line.join(" ") fill="none"/>
                {points.iter().zip(&report.rows).map(|((i, v), r)| view! {
                    <circle class="balance-point" cx=10 + 580 * *i as i64 / n cy=y(*v) r=3>
                        <title>{format!("round {}, {}: {} ERG", r.round, r.command.name(), erg(*v))}</title>
                    </circle>
                }).collect_view()}
            </svg>
            <figcaption>{format!("Your balance after each command that touched you (top: {} ERG).", erg(max))}</figcaption>
        </figure>
    }
}
