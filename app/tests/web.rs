//! The app's components in a real browser (headless Chromium, wasm-bindgen-test): what a miner
//! sees for verified and unverified rows, and the figures the page derives.

use leptos::prelude::*;
use sharestate::ergo::Id;
use sharestate::posted::contracts::ShareStateContract;
use sharestate::ShareValue;
use sharestate_app::fixtures::{passed, test_walk};
use sharestate_app::model::{self, Paid, Row};
use sharestate_app::ui::Results;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A row of epoch `epoch` whose lookup proved 250 unpaid.
fn unpaid(epoch: usize, w: &sharestate::pool::walk::Walk) -> Row {
    model::row(
        epoch,
        w,
        &[9; 32],
        Some(Ok((
            Some(ShareValue::unpaid(250).to_bytes().to_vec()),
            model::ProvenBy::LookupProof,
        ))),
        &passed(),
    )
}

fn rows() -> Vec<Row> {
    let w = test_walk(ShareStateContract::Draft, Some(2_000_000_000));
    vec![
        Row {
            anchor: Some(model::Anchor::InBlock {
                height: 77,
                block: Id([7; 32]),
                confirmations: 11,
                needed: 11,
                tip: Some(200),
                network: "devnet",
            }),
            ..unpaid(1, &w)
        },
        model::row(
            2,
            &w,
            &[9; 32],
            Some(Err(
                "the pool's lookup proof fails: the proof is for another digest".into()
            )),
            &passed(),
        ),
    ]
}

fn mount(rows: Vec<Row>) -> web_sys::HtmlElement {
    mount_with(rows, None)
}

/// The results of `rows`, offering "Pay out now" through `on_pay` if given.
fn mount_with(rows: Vec<Row>, on_pay: Option<Callback<Row>>) -> web_sys::HtmlElement {
    let doc = document();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    let rows = RwSignal::new(rows);
    let address = RwSignal::new("9addr".to_string());
    let running = RwSignal::new(false);
    let explorer = Signal::derive(|| "https://example.org/tx/".to_string());
    leptos::mount::mount_to(host.clone(), move || match on_pay {
        Some(on_pay) => {
            view! { <Results rows=rows address=address running=running explorer=explorer on_pay=on_pay/> }.into_any()
        }
        None => view! { <Results rows=rows address=address running=running explorer=explorer/> }.into_any(),
    })
    .forget();
    host
}

#[wasm_bindgen_test]
fn a_verified_row_says_what_was_verified_and_a_failed_one_never_says_verified() {
    let host = mount(rows());
    let trs = host.query_selector_all("tbody tr").unwrap();
    assert_eq!(trs.length(), 2);
    let first = trs.item(0).unwrap().text_content().unwrap();
    assert!(first.contains("✓"), "{first}");
    assert!(
        first.contains("verified: pool's lookup proof checked against the digest of box"),
        "{first}"
    );
    assert!(
        first.contains("transaction in block 77 (proof of work checked, devnet), 11 confirmations checked, 124 by the source's tip"),
        "{first}"
    );
    assert!(first.contains("0.500000000"), "250 × 2 ERG / 1000 = 0.5 ERG: {first}");
    let second = trs.item(1).unwrap().text_content().unwrap();
    assert!(second.contains("✗"), "{second}");
    assert!(
        second.contains("not verified: the pool's lookup proof fails"),
        "{second}"
    );
    assert!(!second.contains("✓") && !second.contains("verified: pool"), "{second}");
    // each epoch on the draft contract gets its warning
    let warnings = host.query_selector_all("li.warning").unwrap();
    assert_eq!(warnings.length(), 2);
    let w = warnings.item(0).unwrap().text_content().unwrap();
    assert!(w.starts_with("Epoch 1: ") && w.contains("draft contract"), "{w}");
    // totals count verified rows only
    let foot = host.query_selector("tfoot").unwrap().unwrap().text_content().unwrap();
    assert!(foot.contains("0.500000000"), "{foot}");
}

#[wasm_bindgen_test]
fn a_row_replayed_but_not_tied_to_a_block_gets_no_check_mark() {
    let w = test_walk(ShareStateContract::Draft, Some(2_000_000_000));
    let source_only = Row {
        anchor: None,
        ..unpaid(1, &w)
    };
    let in_no_block = Row {
        anchor: Some(model::Anchor::Failed(
            "header 00… at height 9: its proof of work does not meet its difficulty".into(),
        )),
        ..unpaid(2, &w)
    };
    let host = mount(vec![source_only, in_no_block]);
    let trs = host.query_selector_all("tbody tr").unwrap();
    let first = trs.item(0).unwrap().text_content().unwrap();
    assert!(!first.contains("✓"), "{first}");
    assert!(first.contains('?'), "{first}");
    assert!(first.contains("not yet tied to a block"), "{first}");
    let second = trs.item(1).unwrap().text_content().unwrap();
    assert!(second.contains("✗") && !second.contains("✓"), "{second}");
    assert!(second.contains("not proven: not yet"), "{second}");
    assert!(
        second.contains(
            "not in a block of the chain: header 00… at height 9: its proof of work does not meet its difficulty"
        ),
        "{second}"
    );
    // neither counts in the verified totals
    let foot = host.query_selector("tfoot").unwrap().unwrap().text_content().unwrap();
    assert!(foot.contains("0.000000000"), "{foot}");
}

#[wasm_bindgen_test]
fn the_chart_is_labelled_for_screen_readers_and_has_a_bar_pair_per_epoch() {
    let host = mount(rows());
    let svg = host.query_selector("figure.chart svg").unwrap().unwrap();
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert!(svg.get_attribute("aria-labelledby").is_some());
    assert_eq!(host.query_selector_all("rect.share").unwrap().length(), 2);
}

#[wasm_bindgen_test]
fn paid_rows_link_their_transaction() {
    let mut r = rows();
    r[0].paid = Paid::Yes {
        tx: Id([0xab; 32]),
        amount: 500_000_000,
        height: Some(5),
    };
    let host = mount(r);
    let a = host.query_selector("td.tx a").unwrap().unwrap();
    assert_eq!(
        a.get_attribute("href").unwrap(),
        format!("https://example.org/tx/{}", "ab".repeat(32))
    );
}

#[wasm_bindgen_test]
fn pay_out_now_is_offered_on_payable_rows_only_and_hands_the_row_to_the_callback() {
    let asked = RwSignal::new(None::<usize>);
    let host = mount_with(rows(), Some(Callback::new(move |r: Row| asked.set(Some(r.epoch)))));
    // the unpaid, verified row is payable; the failed one is not
    let buttons = host.query_selector_all("button.pay").unwrap();
    assert_eq!(buttons.length(), 1);
    buttons
        .item(0)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    assert_eq!(asked.get_untracked(), Some(1));
    // without a callback, nothing is offered
    assert_eq!(mount(rows()).query_selector_all("button.pay").unwrap().length(), 0);
}

/// A Design 2 row: a payout of 1.5 ERG in a block with `confirmations` of the 10 asked.
fn balance_row(confirmations: u32) -> sharestate_app::persistent::model::BalanceRow {
    sharestate_app::persistent::model::BalanceRow {
        round: 4,
        command: sharestate::persistent::Command::Payout,
        tx: Id([5; 32]),
        height: Some(90),
        amount: 1_500_000_000,
        after: Some(0),
        set: sharestate::persistent::ContractSet::Deployed,
        state_set: Some(sharestate::persistent::ContractSet::Deployed),
        refused: None,
        weaknesses: vec![],
        unasked: None,
        anchor: Some(model::Anchor::InBlock {
            height: 90,
            block: Id([6; 32]),
            confirmations,
            needed: 10,
            tip: Some(200),
            network: "devnet",
        }),
    }
}

fn mount_view(f: impl FnOnce() -> AnyView + 'static) -> web_sys::HtmlElement {
    let doc = document();
    let host: web_sys::HtmlElement = doc.create_element("table").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), f).forget();
    host
}

#[wasm_bindgen_test]
fn a_balance_row_is_marked_verified_only_when_sound_and_final_in_a_block() {
    use sharestate_app::persistent::view::RowView;
    let ex = "https://example.org/tx/".to_string();
    let ok = mount_view({
        let ex = ex.clone();
        move || view! { <RowView row=balance_row(11) explorer=ex/> }.into_any()
    });
    let text = ok.text_content().unwrap();
    assert!(
        text.contains("✓") && text.contains("verified: payout command's proof replayed"),
        "{text}"
    );
    assert!(
        text.contains("1.500000000") && text.contains("transaction in block 90"),
        "{text}"
    );
    let link = ok.query_selector("a").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href").unwrap(),
        format!("{ex}{}", Id([5; 32]).to_hex())
    );
    // each way a row falls short: never ✓, never "verified"
    let mut weak = balance_row(11);
    weak.weaknesses = vec!["a payout with 5 outputs for 1 payments: the extra outputs may take value".into()];
    let mut refused = balance_row(11);
    refused.refused = Some("the contracts refuse it (miner 0: paymentIsValid)".into());
    let mut unanchored = balance_row(11);
    unanchored.anchor = Some(model::Anchor::Failed(
        "no proof that transaction … is in block 90".into(),
    ));
    for (row, mark, says) in [
        (balance_row(3), "?", "fewer than the 10 its rules ask"),
        (
            weak,
            "✗",
            "it used a weakness of the deployed contracts: a payout with 5 outputs",
        ),
        (
            refused,
            "✗",
            "not relied on: the contracts refuse it (miner 0: paymentIsValid)",
        ),
        (unanchored, "✗", "not in a block of the chain"),
    ] {
        let ex = ex.clone();
        let host = mount_view(move || view! { <RowView row=row explorer=ex/> }.into_any());
        let text = host.text_content().unwrap();
        assert!(
            text.contains(mark) && !text.contains("✓") && !text.contains("verified:"),
            "{text}"
        );
        assert!(text.contains(says), "{text}");
    }
}

#[wasm_bindgen_test]
fn the_balance_owed_shows_its_mark_and_what_it_rests_on() {
    use sharestate_app::persistent::model::{BalanceReport, Mark, Owed};
    use sharestate_app::persistent::view::OwedView;
    let report = |amount, gone, mark| BalanceReport {
        rows: vec![balance_row(11)],
        owed: Owed {
            amount,
            gone,
            mark,
            why: "what it rests on".into(),
        },
        nft: None,
        start: Id([3; 32]),
        first_state: Ok(()),
        tip: Id([2; 32]),
        current: None,
        set_now: Some(sharestate::persistent::ContractSet::Hardened),
        commands: 9,
        rounds: 4,
        deployed_until: None,
        weak_commands: 0,
        warnings: vec![],
        end: None,
    };
    for (amount, gone, mark, shown) in [
        (Some(2_000_000_000), None, Mark::Verified, "✓ Owed now: 2.000000000 ERG"),
        (Some(2_000_000_000), None, Mark::Partial, "? Owed now: 2.000000000 ERG"),
        (Some(0), Some(true), Mark::Verified, "✓ Owed now: nothing"),
        (Some(0), Some(false), Mark::Partial, "? Owed now: nothing"),
        (None, None, Mark::Refused, "✗ Owed now: unknown"),
    ] {
        let r = report(amount, gone, mark);
        let host = mount_view(move || view! { <div><OwedView report=r/></div> }.into_any());
        let text = host.text_content().unwrap();
        assert!(text.starts_with(shown) && text.ends_with("what it rests on"), "{text}");
    }
}

#[wasm_bindgen_test]
fn a_balance_check_asked_for_wrongly_says_so_and_checks_nothing() {
    let doc = document();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    sharestate_app::persistent::view::mount(host.clone(), &["Demo Balance Pool".into(), "9f".into()]);
    let text = host.text_content().unwrap();
    assert!(
        text.contains("The check asked for is not valid: 2 fields, not 8"),
        "{text}"
    );
    assert!(!text.contains("Owed now"), "{text}");
    // a second mount replaces the first
    sharestate_app::persistent::view::mount(host.clone(), &[]);
    assert_eq!(host.query_selector_all("section.balance").unwrap().length(), 1);
    sharestate_app::persistent::view::unmount();
    assert_eq!(host.query_selector_all("section.balance").unwrap().length(), 0);
}
