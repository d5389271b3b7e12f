//! The devnet over HTTP, on a free loopback port, used the way the app and pool websites use a
//! node and an explorer: everything it serves decodes with ids rechecked, walking the demo pool
//! reproduces the generator's ground truth figure by figure, untouched miners verify through
//! the proof service, a valid payout is accepted and then visible in the walk, and a tampered
//! one is refused with the contract clause named.

use devnet::pool::{self, EpochTruth, Miner};
use devnet::Devnet;
use ergo_lib::chain::transaction::Transaction as SignedTx;
use ergo_lib::wallet::Wallet;
use serde_json::Value;
use sharestate::ergo::interpreter::{to_ergo_lib, ChainContext};
use sharestate::ergo::json::{decode_box, decode_boxes, decode_transaction, transaction_json, Flavor};
use sharestate::ergo::Id;
use sharestate::pool::service::{verify_proof_answer, verify_snapshot_answer};
use sharestate::pool::walk::{Need, Walk, Walker, Walking};
use sharestate::posted::epoch::{self, Payout};
use sharestate::{hex, posted, ShareValue};
use std::sync::OnceLock;

const SEED: u64 = 2239;

struct Server {
    base: String,
    epochs: Vec<EpochTruth>,
    miners: Vec<Miner>,
    token: [u8; 32],
    operator_address: String,
}

/// One devnet for all tests of this file (generating it takes a few seconds).
fn server() -> &'static Server {
    static S: OnceLock<Server> = OnceLock::new();
    S.get_or_init(|| {
        let d = Devnet::generate(SEED).unwrap();
        let truth = (
            d.pool.epochs.clone(),
            d.pool.miners.clone(),
            d.pool.token,
            d.pool.operator_address.clone(),
        );
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                devnet::serve(listener, d, None, None, std::future::pending())
                    .await
                    .unwrap();
            });
        });
        let addr = rx.recv().unwrap();
        Server {
            base: format!("http://{addr}"),
            epochs: truth.0,
            miners: truth.1,
            token: truth.2,
            operator_address: truth.3,
        }
    })
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn get(path: &str) -> (u16, String) {
    let mut r = agent().get(&format!("{}{path}", server().base)).call().unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

fn post(path: &str, body: &str) -> (u16, String) {
    let mut r = agent()
        .post(&format!("{}{path}", server().base))
        .header("content-type", "application/json")
        .send(body)
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

fn ok(path: &str) -> String {
    let (status, body) = get(path);
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The operator's largest unspent box, from every page of its boxes.
fn operator_funding_box(address: &str) -> sharestate::ergo::ChainBox {
    let mut all = vec![];
    for offset in (0..).step_by(500) {
        let page =
            decode_boxes(&post(&format!("/blockchain/box/byAddress?offset={offset}&limit=500"), address).1).unwrap();
        let done = page.len() < 500;
        all.extend(page);
        if done {
            break;
        }
    }
    all.into_iter()
        .filter(|b| b.spent_transaction_id.is_none())
        .max_by_key(|b| b.ergo_box.value)
        .unwrap()
}

/// The node's answer to what a walk needs.
fn node_answer(need: Need) -> String {
    match need {
        Need::Box(id) => ok(&format!("/blockchain/box/byId/{}", id.to_hex())),
        Need::Transaction(id) => ok(&format!("/blockchain/transaction/byId/{}", id.to_hex())),
    }
}

fn walk(start: Id) -> Walk {
    let mut w = Walker::new(start);
    w.drive(node_answer).unwrap();
    w.into_walk().unwrap()
}

#[test]
fn everything_served_decodes_with_ids_rechecked() {
    let s = server();
    let info: Value = serde_json::from_str(&ok("/info")).unwrap();
    let height = info["fullHeight"].as_u64().unwrap() as u32;
    let ctx = ChainContext::from_headers_json(&ok("/blocks/lastHeaders/10")).unwrap();
    assert_eq!(ctx.height(), height);
    let pools: Value = serde_json::from_str(&ok("/devnet/pools.json")).unwrap();
    assert_eq!(pools["pools"][0]["name"], "Demo Pool");
    assert_eq!(pools["pools"][0]["epochs"].as_array().unwrap().len(), 4);

    // every box that ever held the pool token, from both interfaces
    let token = hex::encode(&s.token);
    let node = decode_boxes(&ok(&format!("/blockchain/box/byTokenId/{token}?limit=500"))).unwrap();
    let explorer = decode_boxes(&ok(&format!("/api/v1/boxes/byTokenId/{token}?limit=500"))).unwrap();
    assert_eq!(node.len(), explorer.len());
    assert!(node.iter().zip(&explorer).all(|(a, b)| a.ergo_box == b.ergo_box));
    // each epoch's start box, and its creating transaction from both interfaces
    for e in &s.epochs {
        let id = e.state_boxes[0].to_hex();
        let b = decode_box(&ok(&format!("/api/v1/boxes/{id}"))).unwrap();
        assert_eq!(b.id, e.state_boxes[0]);
        let tx_id = b.ergo_box.transaction_id.to_hex();
        let from_node = decode_transaction(&ok(&format!("/blockchain/transaction/byId/{tx_id}"))).unwrap();
        assert!(
            from_node.id_verified,
            "the node's answer carries every extension: its id is recomputed"
        );
        let from_explorer = decode_transaction(&ok(&format!("/api/v1/transactions/{tx_id}"))).unwrap();
        let content = |t: &sharestate::ergo::json::ChainTransaction| {
            t.outputs
                .iter()
                .map(|o| (o.ergo_box.clone(), o.spent_transaction_id))
                .collect::<Vec<_>>()
        };
        assert_eq!(content(&from_explorer), content(&from_node));
    }
    // the operator's boxes by address, both interfaces
    let by_address = decode_boxes(&post("/blockchain/box/byAddress", &s.operator_address).1).unwrap();
    assert!(!by_address.is_empty());
    assert_eq!(
        decode_boxes(&ok(&format!("/api/v1/boxes/byAddress/{}", s.operator_address)))
            .unwrap()
            .len(),
        by_address.len()
    );
    // the real services' error shapes
    let (status, body) = get(&format!("/blockchain/box/byId/{}", "00".repeat(32)));
    assert_eq!(status, 404);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"], 404);
    let (status, body) = get(&format!("/api/v1/boxes/{}", "00".repeat(32)));
    assert_eq!(status, 404);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["status"], 404);
}

#[test]
fn walking_the_demo_pool_reproduces_the_ground_truth() {
    let s = server();
    for e in &s.epochs {
        let w = walk(e.state_boxes[0]);
        // the generated payouts, in order (another test may add one to the last epoch)
        let generated = e.state_boxes.len() - 1;
        assert!(w.steps.len() >= generated, "epoch {}", e.number);
        for (step, from) in w.steps.iter().zip(&e.state_boxes) {
            assert_eq!(step.from, *from);
        }
        if e.pending.is_empty() {
            assert_eq!(w.steps.len(), generated);
            assert_eq!(w.tip.id, *e.state_boxes.last().unwrap());
        }
        assert_eq!(w.max_score, e.max_score);
        for step in &w.steps {
            assert!(
                step.report.accepted,
                "epoch {} tx {}: {:?}",
                e.number,
                step.tx_id,
                step.report.failing()
            );
            assert!(step.tx_id_verified);
            assert_eq!(step.report.contract.name(), e.contract);
            assert!(step.report.weaknesses.is_empty());
        }
        // every paid miner: score, paid flag, amount and paying transaction, as generated
        let mut seen = 0;
        for (key, (tx, amount)) in &e.paid {
            let (step, t) = w.latest(key).unwrap();
            assert_eq!(step.tx_id, *tx);
            assert_eq!(t.before, Some(Ok(ShareValue::unpaid(e.scores[key]))));
            assert_eq!(
                t.after,
                Ok(ShareValue {
                    score: e.scores[key],
                    paid: true
                })
            );
            assert_eq!(t.paid, Some(*amount));
            assert_eq!(
                *amount,
                sharestate::pool::payout_amount(e.scores[key], e.reward as i64, e.max_score).unwrap()
            );
            seen += 1;
        }
        assert_eq!(seen, e.paid.len());
        assert!(seen > 0);
        // the closed epoch ends at the operator's close; the others at an unspent tip. Every
        // honest epoch passes its audit, from the pool's snapshot of its tip
        assert_eq!(w.end.as_ref().map(|end| end.tx_id), e.closed, "epoch {}", e.number);
        if let Some(end) = &w.end {
            assert_eq!(end.kind, sharestate::pool::walk::EndKind::Closed);
        }
        let digest = w.tip_digest().unwrap();
        let body = ok(&format!("/pool/snapshot/{}", w.tip.id.to_hex()));
        let mut state = sharestate::pool::service::verify_snapshot_answer(&body, &digest).unwrap();
        let audit = sharestate::posted::audit(&w, &mut state).unwrap();
        assert!(audit.passed(), "epoch {}: {:?}", e.number, audit.findings);
        // the miners the generator left unpaid (owed less than a box holds) are not payable
        assert_eq!(audit.dust, e.unpayable.len(), "epoch {}", e.number);
    }
}

#[test]
fn scenarios_in_which_the_operator_cheats_fail_their_audits() {
    use devnet::pool::Scenario;
    use sharestate::posted::Finding;
    let d = Devnet::generate_with(
        SEED,
        &[Scenario::EarlyClose, Scenario::HalfMaxScore, Scenario::EmptyPayouts],
        devnet::pool::REWARDS.len(),
    )
    .unwrap();
    let answer = |need: Need| match need {
        Need::Box(id) => {
            let r = d.ledger.get_box(&id).unwrap();
            devnet::api::box_value(r, sharestate::ergo::json::Flavor::Node).to_string()
        }
        Need::Transaction(id) => devnet::api::tx_value(&d.ledger, &id, sharestate::ergo::json::Flavor::Node, None)
            .unwrap()
            .to_string(),
    };
    let audit_of = |n: usize| {
        let e = &d.pool.epochs[n];
        let mut w = Walker::new(e.state_boxes[0]);
        while let Some(need) = w.next() {
            match need {
                Need::Box(_) => w.feed_box(&answer(need)).unwrap(),
                Need::Transaction(_) => w.feed_transaction(&answer(need)).unwrap(),
            }
        }
        let w = w.into_walk().unwrap();
        let mut state = d.service.state(&w.tip.id).unwrap().clone();
        (sharestate::posted::audit(&w, &mut state).unwrap(), w)
    };
    // a deadline 10 blocks after the opening: closed at it with every miner unpaid
    let (early, w) = audit_of(4);
    assert_eq!(w.end.unwrap().kind, sharestate::pool::walk::EndKind::Closed);
    assert!(early
        .findings
        .iter()
        .any(|f| matches!(f, Finding::Deadline { opened: Some(o), deadline: Some(d), .. } if *d as u32 == o + 10)));
    assert!(early.findings.iter().any(|f| matches!(f, Finding::EndedUnpaid { .. })));
    let (half, _) = audit_of(5);
    assert!(half.findings.iter().any(|f| matches!(f, Finding::MaxScore { .. })));
    // on the draft (the hardened contract refuses them), reported but not a finding of the audit
    let (empty, w) = audit_of(6);
    assert_eq!(w.contract, sharestate::posted::ShareStateContract::Draft);
    assert!(empty.passed(), "{:?}", empty.findings);
    assert_eq!(w.empty_payouts(), 30);
}

#[test]
fn untouched_miners_verify_through_the_proof_service() {
    let s = server();
    let last = s.epochs.last().unwrap();
    let w = walk(last.state_boxes[0]);
    let digest = w.tip_digest().unwrap();
    let tip = w.tip.id.to_hex();
    // from the last pending batch: another test pays the first
    let pending: Vec<_> = last.pending.iter().rev().flatten().take(5).collect();
    assert_eq!(pending.len(), 5);
    for key in pending {
        assert!(w.latest(key).is_none());
        let answer = ok(&format!("/pool/proof/{tip}/{}", hex::encode(key)));
        let value = verify_proof_answer(&answer, &digest, key).unwrap().unwrap();
        assert_eq!(
            ShareValue::from_bytes(&value).unwrap(),
            ShareValue::unpaid(last.scores[key])
        );
    }
    // a miner who did not mine this epoch is proven absent
    let absent = s.miners.iter().find(|m| !last.scores.contains_key(&m.key)).unwrap();
    let answer = ok(&format!("/pool/proof/{tip}/{}", hex::encode(&absent.key)));
    assert_eq!(verify_proof_answer(&answer, &digest, &absent.key).unwrap(), None);
}

#[test]
fn a_valid_payout_is_accepted_and_walked_and_a_tampered_one_is_refused_with_its_clause() {
    let s = server();
    let last = s.epochs.last().unwrap();
    let before = walk(last.state_boxes[0]);
    let digest = before.tip_digest().unwrap();
    let tip = before.tip.clone();
    let reward = decode_box(&ok(&format!("/blockchain/box/byId/{}", last.reward_box.to_hex()))).unwrap();
    // the pool's state, from its own snapshot, checked against the chain
    let mut state = verify_snapshot_answer(&ok(&format!("/pool/snapshot/{}", tip.id.to_hex())), &digest).unwrap();
    let keys = &last.pending[0];
    let batch = posted::prove_payout(&mut state, keys, last.reward as i64, last.max_score, false).unwrap();
    let funding_box = operator_funding_box(&s.operator_address);
    let ctx = ChainContext::from_headers_json(&ok("/blocks/lastHeaders/10")).unwrap();
    let funding = epoch::Funding {
        inputs: vec![funding_box.ergo_box.clone()],
        change_tree: funding_box.ergo_box.ergo_tree.clone(),
        fee: pool::FEE,
    };
    let tx = epoch::payout(
        &Payout {
            state_box: &tip.ergo_box,
            reward_box: &reward.ergo_box,
            batch: &batch,
            script_of: &|k| state.script(k).map(<[u8]>::to_vec),
        },
        &funding,
        ctx.height(),
    )
    .unwrap();

    // tampered: one payment a nanoErg short (to the change); the fee input's proof never matters
    let mut bad = tx.clone();
    let change = bad.outputs.len() - 1;
    bad.outputs[4].value -= 1;
    bad.outputs[change].value += 1;
    let spent: Vec<_> = bad.inputs.iter().map(|i| i.spent.clone()).collect();
    let json = transaction_json(&bad.transaction(), &spent, &[], Flavor::Node, None, None);
    let (status, body) = post("/transactions", &json.to_string());
    assert_eq!(status, 400, "{body}");
    let detail = serde_json::from_str::<Value>(&body).unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("miner 2: paymentIsValid"), "{detail}");

    // valid: signed by the operator's key and accepted
    let wallet = Wallet::from_secrets(vec![pool::secret(SEED, "operator", 0)]);
    let signed: SignedTx = wallet
        .sign_transaction(to_ergo_lib(&tx).unwrap(), &ctx.state(), None)
        .unwrap();
    let (status, body) = post("/transactions", &serde_json::to_string(&signed).unwrap());
    assert_eq!(status, 200, "{body}");
    let id: String = serde_json::from_str(&body).unwrap();
    assert_eq!(id, tx.id().to_hex());
    // submitting it again: its inputs are spent now
    let (status, _) = post(
        "/api/v1/mempool/transactions/submit",
        &serde_json::to_string(&signed).unwrap(),
    );
    assert_eq!(status, 400);

    // the walk now has one more payout, paying exactly this batch
    let after = walk(last.state_boxes[0]);
    assert_eq!(after.steps.len(), before.steps.len() + 1);
    let step = after.steps.last().unwrap();
    assert_eq!(step.tx_id.to_hex(), id);
    assert!(step.report.accepted);
    for (k, p) in keys.iter().zip(&batch.payments) {
        let (_, t) = after.latest(k).unwrap();
        assert_eq!(t.paid, Some(p.amount));
    }
    // and the hardened contract's deadline (R6) moved on unchanged
    assert_eq!(
        sharestate::posted::hardened::deadline(&after.tip.ergo_box),
        sharestate::posted::hardened::deadline(&tip.ergo_box)
    );
    assert!(sharestate::posted::hardened::deadline(&tip.ergo_box).is_some());

    // the pool's proof service follows: it serves the new state box, its proofs check against
    // the new on-chain digest (a paid miner's value marked paid, a pending one's unpaid)
    let digest = after.tip_digest().unwrap();
    let new_tip = after.tip.id.to_hex();
    let paid = &keys[0];
    let answer = ok(&format!("/pool/proof/{new_tip}/{}", hex::encode(paid)));
    let value = verify_proof_answer(&answer, &digest, paid).unwrap().unwrap();
    assert!(ShareValue::from_bytes(&value).unwrap().paid);
    let pending = &last.pending[1][0];
    let answer = ok(&format!("/pool/proof/{new_tip}/{}", hex::encode(pending)));
    let value = verify_proof_answer(&answer, &digest, pending).unwrap().unwrap();
    assert_eq!(
        ShareValue::from_bytes(&value).unwrap(),
        ShareValue::unpaid(last.scores[pending])
    );
}

/// The GraphQL endpoint, asked what the core asks ergo-graphql: the answer text of `query`.
fn graphql(query: &sharestate::source::Query) -> String {
    let r = sharestate::source::SourceKind::Graphql.request(query);
    assert_eq!(r.method, sharestate::source::Method::Post);
    let (body, kind) = r.body.unwrap();
    assert_eq!(kind, "application/json");
    let (status, text) = post(&format!("/graphql{}", r.path), &body);
    assert_eq!(status, 200, "{text}");
    text
}

#[test]
fn graphql_answers_what_the_node_answers_and_walks_the_same() {
    use sharestate::source::{Query, SourceError, SourceKind};
    let s = server();
    let gql = SourceKind::Graphql;
    let node_box = |id: &Id| decode_box(&ok(&format!("/blockchain/box/byId/{}", id.to_hex()))).unwrap();
    // every epoch but the last, whose tip another test may spend meanwhile
    for e in &s.epochs[..s.epochs.len() - 1] {
        for id in &e.state_boxes {
            let n = node_box(id);
            let g = gql.box_answer(&graphql(&Query::Box(*id))).unwrap();
            assert_eq!(g.ergo_box, n.ergo_box);
            assert_eq!(
                (g.spent_transaction_id, g.inclusion_height),
                (n.spent_transaction_id, n.inclusion_height)
            );
            let tx = n.ergo_box.transaction_id;
            let nt = decode_transaction(&ok(&format!("/blockchain/transaction/byId/{}", tx.to_hex()))).unwrap();
            let gt = gql.transaction_answer(&graphql(&Query::Transaction(tx))).unwrap();
            assert!(gt.id_verified, "GraphQL gives every extension: the id is recomputed");
            // (the node also says the spent boxes are spent by this transaction)
            let ins = |t: &sharestate::ergo::json::ChainTransaction| {
                t.inputs
                    .iter()
                    .map(|i| {
                        (
                            i.box_id,
                            i.extension.clone(),
                            i.spent_box.as_ref().map(|b| b.ergo_box.clone()),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(ins(&gt), ins(&nt));
            assert_eq!(gt.data_inputs, nt.data_inputs);
            let outs = |t: &sharestate::ergo::json::ChainTransaction| {
                t.outputs
                    .iter()
                    .map(|o| (o.ergo_box.clone(), o.spent_transaction_id, o.inclusion_height))
                    .collect::<Vec<_>>()
            };
            assert_eq!(outs(&gt), outs(&nt));
            assert_eq!((gt.inclusion_height, gt.timestamp), (nt.inclusion_height, nt.timestamp));
        }
        // an epoch walked through GraphQL is the epoch walked through the node
        let mut w = Walker::new(e.state_boxes[0]);
        while let Some(need) = w.next() {
            match need {
                Need::Box(id) => w.feed_chain_box(gql.box_answer(&graphql(&Query::Box(id))).unwrap()),
                Need::Transaction(id) => {
                    w.feed_chain_transaction(gql.transaction_answer(&graphql(&Query::Transaction(id))).unwrap())
                }
            }
            .unwrap();
        }
        let (g, n) = (w.into_walk().unwrap(), walk(e.state_boxes[0]));
        assert_eq!(
            (g.tip.id, &g.end, g.reward, g.steps.len()),
            (n.tip.id, &n.end, n.reward, n.steps.len())
        );
        assert_eq!(g.epoch_token, n.epoch_token);
    }
    // many boxes and transactions at once (ergo-graphql's id lists): each the node's
    let ids: Vec<Id> = s.epochs[..s.epochs.len() - 1]
        .iter()
        .flat_map(|e| e.state_boxes.iter().copied())
        .take(gql.max_batch())
        .collect();
    let asked = |batch: &sharestate::source::Batch| {
        let r = gql.batch_request(batch).unwrap();
        post(&format!("/graphql{}", r.path), &r.body.unwrap().0)
    };
    let (status, text) = asked(&sharestate::source::Batch::Boxes(ids.clone()));
    assert_eq!(status, 200, "{text}");
    let boxes = gql.batch_boxes_answer(&text, &ids).unwrap();
    let spenders: Vec<Id> = ids
        .iter()
        .zip(&boxes)
        .map(|(id, b)| {
            let (b, n) = (&b.as_ref().unwrap().0, node_box(id));
            assert_eq!(
                (&b.ergo_box, b.spent_transaction_id),
                (&n.ergo_box, n.spent_transaction_id)
            );
            n.ergo_box.transaction_id
        })
        .collect();
    let (status, text) = asked(&sharestate::source::Batch::Transactions(spenders.clone()));
    assert_eq!(status, 200, "{text}");
    for (id, t) in spenders
        .iter()
        .zip(gql.batch_transactions_answer(&text, &spenders).unwrap())
    {
        let (t, _) = t.unwrap();
        assert_eq!((t.id, t.id_verified), (*id, true));
    }
    // one id more than ergo-graphql allows in a list is refused, as it refuses it
    let too_many = vec![Id([1; 32]); gql.max_batch() + 1];
    let (_, text) = asked(&sharestate::source::Batch::Boxes(too_many.clone()));
    assert!(
        matches!(gql.batch_boxes_answer(&text, &too_many), Err(SourceError::Graphql { message }) if message.contains("at most 20")),
        "{text}"
    );
    // the pool token's boxes, paged by the service's limit, are the node's
    let mut listed = Vec::new();
    for page in 0.. {
        let query = Query::BoxesByToken {
            token: Id(s.token),
            offset: page * gql.max_page(),
            limit: gql.max_page(),
        };
        let boxes = gql.boxes_answer(&graphql(&query)).unwrap();
        let full = boxes.len() == gql.max_page();
        listed.extend(boxes.into_iter().map(|b| b.id));
        if !full {
            break;
        }
    }
    let token = hex::encode(&s.token);
    let mut node: Vec<Id> = decode_boxes(&ok(&format!("/blockchain/box/byTokenId/{token}?limit=500")))
        .unwrap()
        .into_iter()
        .map(|b| b.id)
        .collect();
    // (the node lists oldest first, ergo-graphql newest first)
    assert_eq!(listed.first(), node.last());
    listed.sort();
    node.sort();
    assert_eq!(listed, node);
    let by_address = Query::BoxesByAddress {
        address: s.operator_address.clone(),
        offset: 0,
        limit: 200,
    };
    assert!(!gql.boxes_answer(&graphql(&by_address)).unwrap().is_empty());
    let info: Value = serde_json::from_str(&ok("/info")).unwrap();
    assert_eq!(
        gql.height_answer(&graphql(&Query::Height)).unwrap() as u64,
        info["fullHeight"].as_u64().unwrap()
    );
    // what each says of itself
    assert!(gql
        .info_answer(&graphql(&Query::Info))
        .unwrap()
        .describe()
        .starts_with("ergo-graphql sharestate-devnet"));
    assert_eq!(
        SourceKind::Node.info_answer(&ok("/info")).unwrap().describe(),
        "node 6.0.1, indexed: yes, context extensions: yes"
    );
    // what is not there, and the service's limits, as ergo-graphql says them
    assert_eq!(
        gql.box_answer(&graphql(&Query::Box(Id([0; 32])))),
        Err(SourceError::NotFound { what: "box".into() })
    );
    let (status, text) = post(
        "/graphql",
        r#"{"query":"{ boxes(tokenId: \"00\", take: 500) { boxId } }"}"#,
    );
    assert_eq!(status, 200);
    assert!(
        matches!(gql.boxes_answer(&text), Err(SourceError::Graphql { message }) if message.contains("take must be between 1 and 200")),
        "{text}"
    );
    let (_, text) = post("/graphql", r#"{"query":"{ boxes { boxId } }"}"#);
    assert!(
        matches!(gql.boxes_answer(&text), Err(SourceError::Graphql { .. })),
        "{text}"
    );
}

fn explorer(query: &sharestate::source::Query) -> String {
    let r = sharestate::source::SourceKind::Explorer.request(query);
    assert_eq!(r.method, sharestate::source::Method::Get);
    ok(&r.path)
}

#[test]
fn the_explorer_api_finds_and_follows_but_replays_only_with_a_second_source() {
    use sharestate::pool::walk::WalkError;
    use sharestate::source::{Query, SourceKind};
    let s = server();
    let (exp, gql) = (SourceKind::Explorer, SourceKind::Graphql);
    for e in &s.epochs[..s.epochs.len() - 1] {
        // alone, the first payout cannot be replayed: the explorer gives no context extension
        let mut w = Walker::new(e.state_boxes[0]);
        let mut refused = None;
        while let Some(need) = w.next() {
            let fed = match need {
                Need::Box(id) => w.feed_chain_box(exp.box_answer(&explorer(&Query::Box(id))).unwrap()),
                Need::Transaction(id) => {
                    let t = exp.transaction_answer(&explorer(&Query::Transaction(id))).unwrap();
                    assert!(!t.id_verified && t.inputs.iter().all(|i| i.extension.is_none()));
                    w.feed_chain_transaction(t)
                }
            };
            if let Err(err) = fed {
                refused = Some(err);
                break;
            }
        }
        if e.state_boxes.len() > 1 {
            assert!(
                matches!(&refused, Some(WalkError::NoExtension { .. })),
                "epoch {}: {refused:?}",
                e.number
            );
            assert!(refused.unwrap().to_string().contains("the explorer API gives none"));
        }
        // with transactions from ergo-graphql, the walk is the node's
        let mut w = Walker::new(e.state_boxes[0]);
        while let Some(need) = w.next() {
            match need {
                Need::Box(id) => w.feed_chain_box(exp.box_answer(&explorer(&Query::Box(id))).unwrap()),
                Need::Transaction(id) => {
                    w.feed_chain_transaction(gql.transaction_answer(&graphql(&Query::Transaction(id))).unwrap())
                }
            }
            .unwrap();
        }
        let (x, n) = (w.into_walk().unwrap(), walk(e.state_boxes[0]));
        assert_eq!(
            (x.tip.id, &x.end, x.reward, x.steps.len(), x.epoch_token),
            (n.tip.id, &n.end, n.reward, n.steps.len(), n.epoch_token)
        );
    }
    // the pool token's boxes, in pages of 2, are the node's
    let mut listed = Vec::new();
    for page in 0.. {
        let query = Query::BoxesByToken {
            token: Id(s.token),
            offset: page * 2,
            limit: 2,
        };
        let boxes = exp.boxes_answer(&explorer(&query)).unwrap();
        listed.extend(boxes.iter().map(|b| b.id));
        if boxes.len() < 2 {
            break;
        }
    }
    let token = hex::encode(&s.token);
    let node: Vec<Id> = decode_boxes(&ok(&format!("/blockchain/box/byTokenId/{token}?limit=500")))
        .unwrap()
        .into_iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(listed, node);
    let by_address = Query::BoxesByAddress {
        address: s.operator_address.clone(),
        offset: 0,
        limit: 500,
    };
    assert!(!exp.boxes_answer(&explorer(&by_address)).unwrap().is_empty());
    let info: Value = serde_json::from_str(&ok("/info")).unwrap();
    assert_eq!(
        exp.height_answer(&explorer(&Query::Height)).unwrap() as u64,
        info["fullHeight"].as_u64().unwrap()
    );
    assert_eq!(
        exp.info_answer(&explorer(&Query::Info)).unwrap().extensions,
        Some(false)
    );
}

#[test]
fn a_long_history_adds_small_honest_epochs_each_paid_in_full() {
    let d = Devnet::generate_with(SEED, &[], 8).unwrap();
    assert_eq!(d.pool.epochs.len(), 8);
    for e in &d.pool.epochs[devnet::pool::REWARDS.len()..] {
        assert_eq!((e.contract, e.reward), ("hardened", devnet::pool::HISTORY_REWARD));
        // a few percent of the miners, every payable one paid, nothing pending or closed
        assert!(
            (20..300).contains(&e.scores.len()),
            "epoch {}: {} miners",
            e.number,
            e.scores.len()
        );
        assert!(e.pending.is_empty() && e.closed.is_none());
        assert_eq!(e.paid.len() + e.unpayable.len(), e.scores.len());
        assert!(e.paid.values().all(|(_, amount)| *amount > 0));
        assert!(e.deadline.unwrap() > d.ledger.height());
    }
    // the demo's epochs are the default devnet's, whatever comes after them
    let demo = &server().epochs;
    for (a, b) in demo.iter().zip(&d.pool.epochs) {
        assert_eq!(a.state_boxes, b.state_boxes);
    }
}

/// A request of the core's to the devnet, answered.
fn ask(kind: sharestate::source::SourceKind, r: sharestate::source::Request) -> String {
    match r.body {
        Some((body, _)) => {
            let (status, text) = post(&format!("/graphql{}", r.path), &body);
            assert_eq!(status, 200, "{text}");
            let _ = kind;
            text
        }
        None => ok(&r.path),
    }
}

#[test]
fn every_block_is_mined_and_every_paying_transaction_is_in_its_block_through_every_source() {
    use sharestate::source::SourceKind;
    use sharestate::trust::{anchor, check_run, TrustError, DEVNET, MAINNET};
    let s = server();
    let tip: u32 = serde_json::from_str::<Value>(&ok("/info")).unwrap()["fullHeight"]
        .as_u64()
        .unwrap() as u32;
    // the same headers through the node, GraphQL and the explorer API, ids recomputed, mined,
    // one chain
    let (node, gql, explorer) = (SourceKind::Node, SourceKind::Graphql, SourceKind::Explorer);
    let from = tip - 40;
    // each source's run from `from` to the tip, in as many requests as its pages take
    let read = |kind: SourceKind| {
        let (mut run, mut at, mut requests) = (vec![], from, 0);
        while at <= tip {
            let page = kind.headers_answer(&ask(kind, kind.headers_request(at, tip))).unwrap();
            assert_eq!(page.first().map(|h| h.height), Some(at), "{kind:?}");
            assert!(page.len() as u32 <= kind.max_headers());
            at = page.last().unwrap().height + 1;
            run.extend(page);
            requests += 1;
        }
        (run, requests)
    };
    let (run, requests) = read(node);
    assert_eq!(requests, 1, "41 headers in one slice");
    let (by_gql, requests) = read(gql);
    assert_eq!(requests, 2, "32 aliases a query");
    // (compared by id: a failure does not print eighty headers)
    let ids = |r: &[sharestate::ergo::Header]| r.iter().map(|h| h.id()).collect::<Vec<_>>();
    assert!(ids(&run) == ids(&by_gql) && by_gql == run);
    let (by_explorer, _) = read(explorer);
    assert!(ids(&run) == ids(&by_explorer) && by_explorer == run);
    assert_eq!(run.len() as u32, tip - from + 1);
    check_run(&DEVNET, &run).unwrap();
    // the lastHeaders the node gives are the same chain's
    let last = sharestate::ergo::Header::list_from_json(&ok("/blocks/lastHeaders/10")).unwrap();
    assert_eq!(last.last(), run.last());
    // the devnet's chain is no chain on mainnet: too little work
    assert!(matches!(
        check_run(&MAINNET, &run),
        Err(TrustError::LowDifficulty { .. })
    ));

    // every paying transaction of the demo pool, in its block with its confirmations, by each
    let mut anchored = 0;
    for e in &s.epochs {
        for (tx, _) in e.paid.values().take(2) {
            let t: Value = serde_json::from_str(&ok(&format!("/blockchain/transaction/byId/{}", tx.to_hex()))).unwrap();
            let height = t["inclusionHeight"].as_u64().unwrap() as u32;
            let headers = node
                .headers_answer(&ask(node, node.headers_request(height, height + 10)))
                .unwrap();
            let block = headers[0].id();
            assert_eq!(t["blockId"].as_str(), Some(block.to_hex().as_str()));
            for kind in [node, gql, explorer] {
                let proof = kind
                    .inclusion_answer(&ask(kind, kind.inclusion_request(&block, tx)), headers[0].version, tx)
                    .unwrap();
                let a = anchor(&DEVNET, tx, &proof, &headers).unwrap();
                assert_eq!((a.height, a.block), (height, block));
                // (other tests may mine blocks meanwhile: at least those to the tip read first)
                assert_eq!(a.confirmations, headers.len() as u32);
                assert!(a.confirmations >= (tip - height + 1).min(11) && a.confirmations <= 11);
                // the same proof against the block after it: not there
                assert!(matches!(
                    anchor(&DEVNET, tx, &proof, &headers[1..]),
                    Err(TrustError::NotInBlock { .. })
                ));
            }
            // many blocks at once, where the source has lists: the node's full blocks
            // (`POST /blocks/headerIds`, an unknown id left out) and ergo-graphql's aliases
            for kind in [node, gql] {
                let asked = [Id([7; 32]), block];
                let r = kind.blocks_request(&asked).unwrap();
                let text = match r.body {
                    Some((body, _)) if kind == node => {
                        let (status, text) = post(&r.path, &body);
                        assert_eq!(status, 200, "{text}");
                        text
                    }
                    _ => ask(kind, r),
                };
                let each = kind.blocks_answer(&text, &asked).unwrap();
                assert!(kind.inclusion_answer(&each[0], headers[0].version, tx).is_err());
                let proof = kind.inclusion_answer(&each[1], headers[0].version, tx).unwrap();
                assert_eq!(anchor(&DEVNET, tx, &proof, &headers).unwrap().block, block);
            }
            anchored += 1;
        }
    }
    assert!(anchored >= 6, "{anchored}");

    // the node proves boxes unspent against its last header's state root (the UTXO set's
    // digest), as its ledger has them: each epoch's tip, and its first box (spent long ago).
    // (Other tests may add blocks meanwhile: read again until the chain stood still.)
    let height = || {
        serde_json::from_str::<Value>(&ok("/info")).unwrap()["fullHeight"]
            .as_u64()
            .unwrap()
    };
    let (boxes, proof, last) = loop {
        let before = height();
        let mut boxes = vec![];
        for e in &s.epochs {
            for b in [*e.state_boxes.last().unwrap(), e.state_boxes[0]] {
                let v: Value = serde_json::from_str(&ok(&format!("/blockchain/box/byId/{}", b.to_hex()))).unwrap();
                boxes.push((b, v["spentTransactionId"].is_null()));
            }
        }
        let ids: Vec<Id> = boxes.iter().map(|b| b.0).collect();
        let r = node.unspent_request(&ids).unwrap();
        let (status, text) = post(&r.path, &r.body.unwrap().0);
        assert_eq!(status, 200, "{text}");
        let last = sharestate::ergo::Header::list_from_json(&ok("/blocks/lastHeaders/1")).unwrap();
        if height() == before {
            break (boxes, node.unspent_answer(&text).unwrap(), last[0].clone());
        }
    };
    assert!(boxes.iter().any(|b| b.1) && boxes.iter().any(|b| !b.1));
    let ids: Vec<Id> = boxes.iter().map(|b| b.0).collect();
    let found = sharestate::trust::unspent(&ids, &proof, &last).unwrap();
    assert_eq!(found, boxes.iter().map(|b| b.1).collect::<Vec<_>>());
    // against an older block's state: the proof does not replay
    let older = run.iter().rev().find(|h| h.state_root != last.state_root).unwrap();
    assert!(matches!(
        sharestate::trust::unspent(&ids, &proof, older),
        Err(TrustError::NotState { .. })
    ));
    // the explorer API and GraphQL prove no state
    assert!(gql.unspent_request(&ids).is_none() && explorer.unspent_request(&ids).is_none());
}

/// The demo balance pool's chain, walked through the node's API from its first state box.
fn balance_walk(start: Id) -> sharestate::persistent::BalanceWalk {
    let mut w = sharestate::persistent::BalanceWalker::new(start);
    w.drive(node_answer).unwrap();
    w.into_walk().unwrap()
}

#[test]
fn walking_the_demo_balance_pool_reproduces_every_miners_history_and_balance() {
    use sharestate::persistent::{Command, ContractSet, Weakness};
    let pools: Value = serde_json::from_str(&ok("/devnet/pools.json")).unwrap();
    let entry = &pools["pools"][1];
    assert_eq!(entry["design"], "persistent");
    assert_eq!(entry["name"], devnet::balance_pool::NAME);
    let start = Id(hex::decode_array(entry["startBox"].as_str().unwrap()).unwrap());
    let walk = balance_walk(start);
    assert!(walk.end.is_none(), "{:?}", walk.end);
    assert!(walk.steps.iter().all(|s| s.tx_id_verified && s.report.accepted));
    // the first rounds on the deployed set, one command moving the state, the rest hardened
    let sets: Vec<ContractSet> = walk.steps.iter().map(|s| s.report.contract.set).collect();
    let moved = sets.iter().position(|s| *s == ContractSet::Hardened).unwrap() - 1;
    assert!(sets[..=moved].iter().all(|s| *s == ContractSet::Deployed));
    assert!(matches!(
        walk.steps[moved].report.weaknesses.as_slice(),
        [Weakness::NextStateScriptChanged { to_hardened: true, .. }]
    ));
    assert!(walk
        .steps
        .iter()
        .enumerate()
        .all(|(i, s)| i == moved || s.report.weaknesses.is_empty()));
    for c in [Command::Insert, Command::Update, Command::Payout, Command::Delete] {
        assert!(walk.steps.iter().any(|s| s.report.contract.command == c), "{c:?}");
    }
    // each Update's credits came from the round's holding box (the command that moved the
    // state to the hardened set excepted: its box was the operator's)
    let updates: Vec<_> = walk
        .steps
        .iter()
        .filter(|s| s.report.contract.command == Command::Update)
        .map(|s| s.credit_source.clone().unwrap().unwrap())
        .collect();
    assert!(updates.iter().all(|u| u.tx_id_verified));
    assert!(updates.iter().filter(|u| u.holding.is_empty()).count() <= 1);
    assert!(updates.iter().filter(|u| u.holding.len() == 1).count() >= updates.len() - 1);

    // every miner, against the ground truth: each event (its round counted from the chain),
    // and what they are owed now
    let rounds = walk.rounds();
    assert_eq!(rounds.last().copied(), Some(devnet::balance_pool::ROUNDS as u32));
    let total = devnet::balance_pool::MINERS;
    let mut checked = 0;
    let (mut paid, mut deleted, mut owed_total) = (0, 0, 0i64);
    for offset in (0..total).step_by(500) {
        let page: Value =
            serde_json::from_str(&ok(&format!("/devnet/miners?pool=balance&limit=500&offset={offset}"))).unwrap();
        for m in page["items"].as_array().unwrap() {
            let key = hex::decode(m["key"].as_str().unwrap()).unwrap();
            let history = walk.history(&key);
            let events = m["events"].as_array().unwrap();
            assert_eq!(history.len(), events.len(), "{}", m["address"]);
            for (h, e) in history.iter().zip(events) {
                assert_eq!(walk.steps[h.step].tx_id.to_hex(), e["transaction"].as_str().unwrap());
                assert_eq!(Some(u64::from(rounds[h.step])), e["round"].as_u64());
                assert_eq!(h.command.name(), e["command"].as_str().unwrap());
                assert_eq!(h.amount.to_string(), e["amount"].as_str().unwrap());
                match h.command {
                    // a deleted key has no balance after; the ground truth writes 0
                    Command::Delete => assert_eq!((h.after, e["balance"].as_str()), (None, Some("0"))),
                    _ => assert_eq!(h.after.map(|a| a.to_string()).as_deref(), e["balance"].as_str()),
                }
                match h.command {
                    Command::Insert => assert_eq!(h.before, None),
                    _ => assert!(h.before.is_some()),
                }
                paid += usize::from(h.command == Command::Payout);
                deleted += usize::from(h.command == Command::Delete);
            }
            // owed now: a balance, deleted, or never in the tree — each as the ground truth says
            let owed = walk.owed(&key);
            match (owed, history.last().map(|h| h.command)) {
                (Some(Some(o)), Some(_)) => assert_eq!(Some(o.to_string().as_str()), m["owed"].as_str()),
                (Some(None), Some(Command::Delete)) | (None, None) => assert!(m["owed"].is_null()),
                other => panic!("{}: {other:?} against {}", m["address"], m["owed"]),
            }
            owed_total += owed.flatten().unwrap_or(0);
            checked += 1;
        }
    }
    assert_eq!(checked, total);
    assert!(paid > 100 && deleted > 50, "{paid} payouts, {deleted} deletions");
    // the state box holds every balance owed, and the pool's reserve
    assert_eq!(
        walk.tip.ergo_box.value,
        devnet::balance_pool::RESERVE + owed_total as u64
    );
}

#[test]
fn a_tampered_balance_command_is_refused_with_its_clause() {
    use sharestate::persistent::{command, prove_command, Batch, Command, PoolContracts};
    let pools: Value = serde_json::from_str(&ok("/devnet/pools.json")).unwrap();
    let entry = &pools["pools"][1];
    let start = Id(hex::decode_array(entry["startBox"].as_str().unwrap()).unwrap());
    let walk = balance_walk(start);
    let tip = walk.tip.clone();
    // the pool's state, from its proof service's snapshot, checked against the chain
    let mut state = verify_snapshot_answer(
        &ok(&format!("/pool/snapshot/{}", tip.id.to_hex())),
        &walk.tip_digest().unwrap(),
    )
    .unwrap();
    let (key, _) = state
        .entries()
        .into_iter()
        .find(|(_, v)| i64::from_be_bytes((*v).try_into().unwrap()) > 0)
        .map(|(k, v)| (k, v.to_vec()))
        .unwrap();
    // a Payout command box, paid by the operator
    let nft = hex::decode_array::<32>(entry["nft"].as_str().unwrap()).unwrap();
    let wallet = Wallet::from_secrets(vec![devnet::balance_pool::operator(SEED)]);
    let funding_box = operator_funding_box(entry["operator"].as_str().unwrap());
    let operator_tree = funding_box.ergo_box.ergo_tree.clone();
    let contracts =
        PoolContracts::new(sharestate::persistent::ContractSet::Hardened, nft, &operator_tree[3..]).unwrap();
    let ctx = ChainContext::from_headers_json(&ok("/blocks/lastHeaders/10")).unwrap();
    let funding = |inputs| sharestate::ergo::Funding {
        inputs,
        change_tree: operator_tree.clone(),
        fee: pool::FEE,
    };
    let made = command::boxes(
        &[(contracts.command(Command::Payout), 2 * pool::FEE)],
        &funding(vec![funding_box.ergo_box.clone()]),
        ctx.height(),
    )
    .unwrap();
    let signed: SignedTx = wallet
        .sign_transaction(to_ergo_lib(&made).unwrap(), &ctx.state(), None)
        .unwrap();
    let (status, body) = post("/transactions", &serde_json::to_string(&signed).unwrap());
    assert_eq!(status, 200, "{body}");
    let command_box = made.transaction().output_boxes()[0].clone();
    // the payout of `key`, its payment one nanoErg short (to the change)
    let proved = prove_command(&mut state, &Batch::Payout(vec![key])).unwrap();
    let miner_script = {
        let page: Value = serde_json::from_str(&ok("/devnet/miners?pool=balance&limit=2000")).unwrap();
        let m = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["key"].as_str() == Some(&hex::encode(&key)))
            .unwrap()
            .clone();
        sharestate::Address::parse(m["address"].as_str().unwrap())
            .unwrap()
            .proposition_bytes()
    };
    let ctx = ChainContext::from_headers_json(&ok("/blocks/lastHeaders/10")).unwrap();
    let mut tx = command::command(
        &proved,
        &tip.ergo_box,
        &command_box,
        None,
        &|_| Some(miner_script.clone()),
        &funding(vec![]),
        ctx.height(),
    )
    .unwrap();
    let change = tx.outputs.len() - 1;
    tx.outputs[1].value -= 1;
    tx.outputs[change].value += 1;
    let spent: Vec<_> = tx.inputs.iter().map(|i| i.spent.clone()).collect();
    let json = transaction_json(&tx.transaction(), &spent, &[], Flavor::Node, None, None);
    let (status, body) = post("/transactions", &json.to_string());
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("the payout command fails: miner 0: paymentIsValid"),
        "{body}"
    );
}
