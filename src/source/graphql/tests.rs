//! ergo-graphql's answers, made from a real epoch's node answers as the service shapes them:
//! decoded to the same boxes and transactions, and every lie refused.

use super::*;
use crate::ergo::json::{decode_box, decode_transaction, Flavor};
use crate::pool::walk::testing::TestEpoch;
use crate::pool::walk::Need;
use serde_json::{json, Value};

/// A node box as ergo-graphql serves it: amounts as strings, `settlementHeight`, `spentBy`.
fn graphql_box(node: &Value) -> Value {
    let mut b = node.clone();
    let o = b.as_object_mut().unwrap();
    o.insert("value".into(), json!(node["value"].as_u64().unwrap().to_string()));
    let assets: Vec<Value> = node["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| json!({ "tokenId": a["tokenId"], "amount": a["amount"].as_u64().unwrap().to_string() }))
        .collect();
    o.insert("assets".into(), json!(assets));
    if let Some(h) = o.remove("inclusionHeight") {
        o.insert("settlementHeight".into(), h);
    }
    let spent = o.remove("spentTransactionId").unwrap_or(Value::Null);
    o.insert(
        "spentBy".into(),
        if spent.is_null() {
            Value::Null
        } else {
            json!({ "transactionId": spent })
        },
    );
    b
}

/// A node transaction as ergo-graphql serves it.
fn graphql_transaction(node: &Value) -> Value {
    let inputs: Vec<Value> = node["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let mut spent = input.clone();
            let o = spent.as_object_mut().unwrap();
            let proof = o.remove("spendingProof").unwrap();
            json!({ "boxId": input["boxId"], "index": i, "extension": proof["extension"], "box": graphql_box(&spent) })
        })
        .collect();
    let outputs: Vec<Value> = node["outputs"].as_array().unwrap().iter().map(graphql_box).collect();
    json!({
        "transactionId": node["id"],
        "inclusionHeight": node["inclusionHeight"],
        "timestamp": "1767225600000",
        "inputs": inputs,
        "dataInputs": [],
        "outputs": outputs,
    })
}

fn data(field: &str, items: Vec<Value>) -> String {
    json!({ "data": { field: items } }).to_string()
}

/// An epoch with one payout: its node answers for the payout transaction and its first output.
fn payout() -> (Value, Value) {
    let mut e = TestEpoch::open(true, 3_000_000);
    let tx = e.pay(20);
    let node_tx: Value = serde_json::from_str(&e.ledger.answer(Need::Transaction(tx), Flavor::Node)).unwrap();
    let out = node_tx["outputs"][0]["boxId"].as_str().unwrap();
    let id = crate::ergo::Id(crate::hex::decode_array(out).unwrap());
    let node_box: Value = serde_json::from_str(&e.ledger.answer(Need::Box(id), Flavor::Node)).unwrap();
    (node_tx, node_box)
}

#[crate::test]
fn a_box_and_a_transaction_decode_as_the_nodes_do() {
    let (node_tx, node_box) = payout();
    let b = box_answer(&data("boxes", vec![graphql_box(&node_box)])).unwrap();
    assert_eq!(
        b,
        ChainBox {
            address: None,
            ..decode_box(&node_box.to_string()).unwrap()
        }
    );
    let t = transaction_answer(&data("transactions", vec![graphql_transaction(&node_tx)])).unwrap();
    let n = decode_transaction(&node_tx.to_string()).unwrap();
    assert!(t.id_verified, "the id is recomputed from the inputs' extensions");
    assert_eq!((t.id, &t.inputs, &t.outputs.len()), (n.id, &n.inputs, &n.outputs.len()));
    assert_eq!(t.timestamp, Some(1_767_225_600_000));
    // lists in another order are put back by their indices
    let mut shuffled = graphql_transaction(&node_tx);
    shuffled["inputs"].as_array_mut().unwrap().reverse();
    shuffled["outputs"].as_array_mut().unwrap().reverse();
    let s = transaction_answer(&data("transactions", vec![shuffled])).unwrap();
    assert_eq!((s.id, s.id_verified), (t.id, true));
    assert_eq!(s.outputs, t.outputs);
    // seen in an orphaned block too: every input and output listed twice
    let mut twice = graphql_transaction(&node_tx);
    for list in ["inputs", "outputs"] {
        let items = twice[list].as_array().unwrap().clone();
        twice[list].as_array_mut().unwrap().extend(items);
    }
    let d = transaction_answer(&data("transactions", vec![twice])).unwrap();
    assert_eq!((d.id, d.id_verified, d.inputs.len()), (t.id, true, t.inputs.len()));
}

#[crate::test]
fn lies_and_refusals_are_errors_that_say_what() {
    let (node_tx, node_box) = payout();
    let b = graphql_box(&node_box);
    // a value one nanoErg off: not the box
    let mut off = b.clone();
    let v: u64 = off["value"].as_str().unwrap().parse().unwrap();
    off["value"] = json!((v + 1).to_string());
    assert!(matches!(
        box_answer(&data("boxes", vec![off])),
        Err(SourceError::Json(JsonError::BoxIdMismatch { .. }))
    ));
    assert_eq!(
        box_answer(&data("boxes", vec![])),
        Err(SourceError::NotFound { what: "box".into() })
    );
    assert_eq!(
        box_answer(&data("boxes", vec![b.clone(), b.clone()])),
        Err(SourceError::NotOne {
            what: "boxes",
            count: 2
        })
    );
    let refused = json!({ "errors": [{ "message": "x".repeat(1000) }], "data": null }).to_string();
    match box_answer(&refused) {
        Err(SourceError::Graphql { message }) => assert_eq!(message.chars().count(), 301),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        box_answer("<html>"),
        Err(SourceError::Json(JsonError::Json { .. }))
    ));
    // a source's text is quoted clipped, whatever it sends
    let long = format!(r#"{{"data":{{"boxes":[{{"index":"{}"}}]}}}}"#, "z".repeat(100_000));
    assert!(box_answer(&long).unwrap_err().to_string().chars().count() < 700);
    let version = format!(
        r#"{{"data":{{"info":{{"version":"1.2.3 <b>{}</b>"}}}}}}"#,
        "x".repeat(100)
    );
    assert_eq!(info_answer(&version).unwrap().version.unwrap().len(), 40);
    // an input whose box is another box
    let mut t = graphql_transaction(&node_tx);
    t["inputs"][0]["box"] = t["inputs"][1]["box"].clone();
    let err = transaction_answer(&data("transactions", vec![t])).unwrap_err();
    assert!(err.to_string().contains("inputs[0].box: the box given is"), "{err}");
    // a context variable changed: the transaction's id no longer recomputes
    let mut t = graphql_transaction(&node_tx);
    t["inputs"][0]["extension"]["1"] = json!("0e00");
    assert!(matches!(
        transaction_answer(&data("transactions", vec![t])),
        Err(SourceError::Json(JsonError::TxIdMismatch { .. }))
    ));
    // an output that belongs to another transaction
    let mut t = graphql_transaction(&node_tx);
    let outputs = t["outputs"].as_array_mut().unwrap();
    outputs[1] = b;
    assert!(transaction_answer(&data("transactions", vec![t])).is_err());
}

#[crate::test]
fn requests_are_json_posts_within_the_services_limits() {
    let id = crate::ergo::Id([7; 32]);
    let r = request(&Query::BoxesByToken {
        token: id,
        offset: 400,
        limit: 500,
    });
    assert_eq!(r.method, Method::Post);
    let (body, kind) = r.body.unwrap();
    assert_eq!(kind, "application/json");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["variables"],
        json!({ "token": id.to_hex(), "skip": 400, "take": MAX_TAKE })
    );
    assert!(v["query"]
        .as_str()
        .unwrap()
        .contains("boxes(tokenId: $token, skip: $skip, take: $take)"));
    assert_eq!(height_answer(r#"{"data":{"state":{"height":1605073}}}"#), Ok(1_605_073));
    assert!(matches!(
        height_answer(r#"{"data":{}}"#),
        Err(SourceError::NoHeight { .. })
    ));
}

#[crate::test]
fn a_batch_answers_each_id_asked_from_what_its_items_are() {
    use crate::source::{answers_for, Batch, SourceKind};
    let (node_tx, node_box) = payout();
    let b = graphql_box(&node_box);
    let the_box = box_answer(&data("boxes", vec![b.clone()])).unwrap();
    let other = crate::ergo::Id([9; 32]);
    // an item that claims the box's id but is not the box (a value one nanoErg off)
    let mut off = b.clone();
    let v: u64 = off["value"].as_str().unwrap().parse().unwrap();
    off["value"] = json!((v + 1).to_string());
    let items = batch_boxes_answer(&data("boxes", vec![off.clone(), b.clone()])).unwrap();
    let got = answers_for(&[other, the_box.id], items, |b| b.id, "box");
    assert_eq!(got[0], Err(SourceError::NotFound { what: "box".into() }));
    let (found, text) = got[1].clone().unwrap();
    assert_eq!(found, the_box, "the box itself answers, whatever else claims its id");
    // its text is the answer to the one box: what a cache keeps decodes as the box
    assert_eq!(box_answer(&text), Ok(the_box.clone()));
    // alone, the false item is that id's error, and says why
    let got = SourceKind::Graphql
        .batch_boxes_answer(&data("boxes", vec![off]), &[the_box.id])
        .unwrap();
    assert!(
        matches!(got[0], Err(SourceError::Json(JsonError::BoxIdMismatch { .. }))),
        "{got:?}"
    );
    // the same box twice is the box; twice with different spent status is refused
    let twice = SourceKind::Graphql
        .batch_boxes_answer(&data("boxes", vec![b.clone(), b.clone()]), &[the_box.id])
        .unwrap();
    assert_eq!(twice[0].as_ref().map(|(b, _)| b), Ok(&the_box));
    let mut spent = b.clone();
    spent["spentBy"] = json!({ "transactionId": "ab".repeat(32) });
    let differ = SourceKind::Graphql
        .batch_boxes_answer(&data("boxes", vec![b, spent.clone(), spent]), &[the_box.id])
        .unwrap();
    assert_eq!(differ[0], Err(SourceError::NotOne { what: "box", count: 2 }));
    // transactions decode as one by one, their ids recomputed from the extensions kept in order
    let one = transaction_answer(&data("transactions", vec![graphql_transaction(&node_tx)])).unwrap();
    let got = SourceKind::Graphql
        .batch_transactions_answer(
            &data("transactions", vec![graphql_transaction(&node_tx)]),
            &[other, one.id],
        )
        .unwrap();
    assert_eq!(
        got[0],
        Err(SourceError::NotFound {
            what: "transaction".into()
        })
    );
    let (t, text) = got[1].clone().unwrap();
    assert_eq!((&t, one.id_verified), (&one, true));
    assert_eq!(transaction_answer(&text), Ok(one.clone()));
    // a changed context variable: that transaction's error, under the id it claims
    let mut t = graphql_transaction(&node_tx);
    t["inputs"][0]["extension"]["1"] = json!("0e00");
    let got = SourceKind::Graphql
        .batch_transactions_answer(&data("transactions", vec![t]), &[one.id])
        .unwrap();
    assert!(
        matches!(got[0], Err(SourceError::Json(JsonError::TxIdMismatch { .. }))),
        "{got:?}"
    );
    // a refusal is the whole answer's
    let refused = json!({ "errors": [{ "message": "too many ids" }], "data": null }).to_string();
    assert!(matches!(
        SourceKind::Graphql.batch_boxes_answer(&refused, &[other]),
        Err(SourceError::Graphql { .. })
    ));
    // the request lists the ids, within the service's limit
    let r = SourceKind::Graphql
        .batch_request(&Batch::Boxes(vec![other, the_box.id]))
        .unwrap();
    let v: Value = serde_json::from_str(&r.body.unwrap().0).unwrap();
    assert_eq!(
        v["variables"],
        json!({ "ids": [other.to_hex(), the_box.id.to_hex()], "take": MAX_TAKE })
    );
    assert!(v["query"]
        .as_str()
        .unwrap()
        .contains("boxes(boxIds: $ids, take: $take)"));
    assert_eq!(SourceKind::Graphql.max_batch(), MAX_IDS);
    assert_eq!(SourceKind::Node.batch_request(&Batch::Transactions(vec![other])), None);
}
