//! The results: warnings, the per-epoch table with its verification marks, totals, a chart and
//! the CSV export.

use crate::model::{self, Anchor, Audited, Cross, Current, Paid, Row};
use leptos::prelude::*;

/// Offers `text` for download as the CSV file `name`.
pub fn download(name: &str, text: &str) {
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

/// The check's results; `on_pay`, if given, is offered on each payable row ("Pay out now").
#[component]
pub fn Results(
    rows: RwSignal<Vec<Row>>,
    address: RwSignal<String>,
    running: RwSignal<bool>,
    explorer: Signal<String>,
    #[prop(optional)] on_pay: Option<Callback<Row>>,
) -> impl IntoView {
    let warnings = move || {
        let mut w: Vec<String> = rows.with(|rs| {
            rs.iter()
                .flat_map(|r| r.warnings.iter().map(move |x| format!("Epoch {}: {x}", r.epoch)))
                .collect()
        });
        w.dedup();
        w
    };
    // what the operator can take, an epoch ended with miners unpaid: in red, above all
    let alarms = move || {
        let mut a: Vec<String> = rows.with(|rs| {
            rs.iter()
                .flat_map(|r| r.alarms.iter().map(move |x| format!("Epoch {}: {x}", r.epoch)))
                .collect()
        });
        a.dedup();
        a
    };
    let totals = move || rows.with(|rs| model::totals(rs));
    let export = move |_| {
        let a = address.get_untracked();
        download("sharestate-payouts.csv", &model::csv(a.trim(), &rows.get_untracked()));
    };
    view! {
        <Show when=move || rows.with(|rs| !rs.is_empty())>
            <section aria-labelledby="results-title">
                <h2 id="results-title">"Payouts"</h2>
                <ul class="alarms">
                    <For each=alarms key=|a| a.clone() let:a>
                        <li class="alarm" role="note">{a}</li>
                    </For>
                </ul>
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
                                <RowView row=r explorer=explorer on_pay=on_pay/>
                            </For>
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row" colspan="3">"Total (verified rows)"</th>
                                <td class="num">{move || model::total_erg(totals().0)}</td>
                                <td class="num" colspan="3">{move || format!("{} ERG paid", model::total_erg(totals().1))}</td>
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

/// One epoch's row.
#[component]
pub fn RowView(row: Row, explorer: Signal<String>, on_pay: Option<Callback<Row>>) -> impl IntoView {
    let score = row.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into());
    let share = row.share().unwrap_or_else(|| "–".into());
    let expected = row.expected.map(model::erg).unwrap_or_else(|| "–".into());
    let (paid, tx) = match &row.paid {
        Paid::Yes { tx, amount, .. } => (format!("paid {} ERG", model::erg(*amount)), Some(tx.to_hex())),
        Paid::No => ("not yet".to_string(), None),
        Paid::Never => ("never: the epoch ended".to_string(), None),
        Paid::NotInPool => ("not in this epoch".to_string(), None),
        Paid::Unknown => ("unknown".to_string(), None),
    };
    // replayed, but what it rests on is in no block (or only the source's word): said in the cell
    // "not yet" rests on the box being unspent: proven (a node's proof of the chain's state),
    // disproven, or the source's word (and the second source's, if it agreed)
    let spent = matches!(row.current, Some(Current::Spent { .. }));
    let proven = matches!(row.current, Some(Current::Unspent { .. })) || row.tip_agreed();
    let paid = match (&row.anchor, row.verified.ok(), &row.paid) {
        (Some(Anchor::Failed(_)), true, _) => format!("not proven: {paid}"),
        (_, true, _) if spent => format!("not proven: {paid}"),
        (_, true, Paid::No) if !proven => format!("{paid} (the source's word)"),
        _ => paid,
    };
    let ok = row.verified.ok()
        && !matches!(row.anchor, Some(Anchor::Failed(_)))
        && !matches!(row.cross, Some(Cross::Differs(_)))
        && !spent;
    let describe = row.trust();
    // a plain ✓ only when the figures are verified, tied to a mined block, and the epoch's
    // audit passed
    let (mark, class, why) = match (&row.verified, &row.anchor, &row.audit) {
        (v, _, _) if !v.ok() => ("✗", "bad", describe),
        (_, Some(Anchor::Failed(_)), _) => ("✗", "bad", describe),
        _ if matches!(row.cross, Some(Cross::Differs(_))) || spent => ("✗", "bad", describe),
        // not final yet, or a second source that could not be asked: no ✓
        (_, Some(a), _) if !a.ok() => ("?", "partial", describe),
        _ if matches!(row.cross, Some(Cross::Unasked(_))) => ("?", "partial", describe),
        (_, None, _) => ("?", "partial", describe),
        (_, _, Audited::Passed) => ("✓", "ok", format!("verified: {describe}; epoch audited")),
        (_, _, Audited::NotNeeded) => (
            "✓",
            "ok",
            format!("verified: {describe}; proven absent from the epoch's first state, so from all of it: nothing in it is yours, so its payouts need no replay nor its parameters an audit"),
        ),
        (_, _, Audited::Failed(_)) => (
            "⚠",
            "bad",
            format!("verified: {describe}; but the epoch fails its audit (see the alarms above)"),
        ),
        (_, _, Audited::Not(why)) => (
            "✓?",
            "partial",
            format!("verified: {describe}; the epoch is not audited: {why}"),
        ),
    };
    let pay = on_pay.filter(|_| row.payable()).map(|on_pay| {
        let row = row.clone();
        view! { <button type="button" class="pay" on:click=move |_| on_pay.run(row.clone())>"Pay out now"</button> }
    });
    view! {
        <tr class:failed=!ok>
            <th scope="row">{row.epoch} <span class="contract">{row.contract}</span></th>
            <td class="num">{score}</td>
            <td class="num">{share}</td>
            <td class="num">{expected}</td>
            <td>
                {paid}
                {pay}
            </td>
            <td class="tx">
                {tx.map(|t| {
                    let label = format!("{}…", &t[..12]);
                    let title = t.clone();
                    view! { <a href=move || format!("{}{t}", explorer.get()) title=title>{label}</a> }
                })}
            </td>
            <td class="mark">
                <span class=class aria-hidden="true">{mark}</span>
                <span class="why">{why}</span>
                {row.end.clone().map(|e| view! { <span class="end">{format!(" The epoch {e}.")}</span> })}
                {row.deadline.filter(|_| row.end.is_none()).map(|d| view! {
                    <span class="deadline">{format!(" The operator may close the epoch from height {d}: payouts until then.")}</span>
                })}
            </td>
        </tr>
    }
}

/// Share of the epoch's score and payout per epoch, as two bar series.
#[component]
pub fn Chart(rows: RwSignal<Vec<Row>>) -> impl IntoView {
    let bars = move || {
        rows.with(|rs| {
        let max_paid = rs.iter().map(|r| r.expected.unwrap_or(0)).max().unwrap_or(0).max(1);
        let max_share = rs.iter().filter_map(Row::share_ppm).max().unwrap_or(0).max(1);
        let n = rs.len().max(1) as i64;
        let w = 600 / n;
        // bar heights in i128, clamped to the chart: no product of amounts can wrap
        let height = |v: i64, max: i64| (160 * i128::from(v.max(0)) / i128::from(max)).clamp(0, 160) as i64;
        rs.iter()
            .enumerate()
            .map(|(i, r)| {
                let x = i as i64 * w;
                let sh = height(r.share_ppm().unwrap_or(0), max_share);
                let pay = r.paid.amount();
                let ph = height(r.expected.unwrap_or(0), max_paid);
                let paid_h = height(pay, max_paid);
                view! {
                    <g>
                        <rect class="share" x=x + 8 y=180 - sh width=(w / 3).max(2) height=sh><title>{format!("epoch {}: share {}", r.epoch, r.share().unwrap_or_default())}</title></rect>
                        <rect class="expected" x=x + 8 + w / 3 y=180 - ph width=(w / 3).max(2) height=ph><title>{format!("epoch {}: expected {} ERG", r.epoch, r.expected.map(model::erg).unwrap_or_default())}</title></rect>
                        <rect class="paid" x=x + 8 + w / 3 y=180 - paid_h width=(w / 6).max(1) height=paid_h></rect>
                        <text x=x + w / 2 y=198 text-anchor="middle">{format!("epoch {}", r.epoch)}</text>
                    </g>
                }
            })
            .collect_view()
        })
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
