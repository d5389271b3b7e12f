//! What the app shows, computed from verified data: no I/O and no DOM here, so all of it is
//! tested natively and in the browser alike.

use serde::Deserialize;
use sharestate::ergo::Id;
use sharestate::pool::walk::Walk;
use sharestate::posted::contracts::ShareStateContract;
use sharestate::{hex, Key, ShareValue};

/// A pool the app knows (from `pools.json`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pool {
    pub name: String,
    /// Its identity token (hex), if it has one.
    #[serde(default)]
    pub token: Option<String>,
    /// The base of its proof service (absolute, or relative to the node URL).
    #[serde(default)]
    pub proof_service: Option<String>,
    /// Where a transaction id links to (the id is appended); the public explorer by default.
    #[serde(default)]
    pub explorer: Option<String>,
    pub epochs: Vec<EpochRef>,
}

/// Where an epoch starts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EpochRef {
    pub number: usize,
    /// The epoch's first share-state box (hex).
    pub start_box: String,
}

#[derive(Deserialize)]
struct PoolsFile {
    pools: Vec<Pool>,
}

/// The public explorer's transaction page, for links.
pub const EXPLORER: &str = "https://explorer.ergoplatform.com/en/transactions/";

/// Reads `pools.json`.
pub fn parse_pools(json: &str) -> Result<Vec<Pool>, String> {
    serde_json::from_str::<PoolsFile>(json)
        .map(|f| f.pools)
        .map_err(|e| format!("the pools file is not valid: {e}"))
}

/// nanoErg as ERG with all nine decimals (the core's one formatting).
pub use sharestate::pool::erg;

/// `score / max` in millionths, computed in integers (none for a maxScore of 0 or less).
pub fn share_ppm(score: i64, max: i32) -> Option<i64> {
    (max > 0).then(|| (score as i128 * 1_000_000 / max as i128) as i64)
}

/// `score / max` as a percentage with four decimals, computed in integers.
pub fn share(score: i64, max: i32) -> String {
    match share_ppm(score, max) {
        Some(ppm) => format!("{}.{:04}%", ppm / 10_000, ppm % 10_000),
        None => "–".into(),
    }
}

/// Whether a miner's figure for an epoch was paid, and by what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paid {
    /// Paid by this transaction at this height.
    Yes { tx: Id, amount: i64, height: Option<u32> },
    /// Not yet: the share state at the tip says unpaid.
    No,
    /// The miner is not in this epoch's share state.
    NotInPool,
    /// Nothing verified tells.
    Unknown,
}

impl Paid {
    /// nanoErg paid (0 unless paid).
    pub fn amount(&self) -> i64 {
        match self {
            Paid::Yes { amount, .. } => *amount,
            _ => 0,
        }
    }
}

/// How a row's figures were established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Replayed from the chain: the payout's proof against the digest of the box it spent.
    ByPayout { tx: Id, state_box: Id, height: Option<u32> },
    /// A lookup proof from the pool's proof service against the tip's on-chain digest.
    ByLookup { state_box: Id, height: Option<u32> },
    /// Nothing could be verified; why.
    Failed(String),
}

impl Verified {
    /// The sentence shown beside the mark.
    pub fn describe(&self) -> String {
        let at = |h: &Option<u32>| h.map(|h| format!(" at height {h}")).unwrap_or_default();
        match self {
            Verified::ByPayout { tx, state_box, height } => format!(
                "proof of payout {} replayed against the digest of box {}{}",
                short(tx),
                short(state_box),
                at(height)
            ),
            Verified::ByLookup { state_box, height } => {
                format!(
                    "pool's lookup proof checked against the digest of box {}{}",
                    short(state_box),
                    at(height)
                )
            }
            Verified::Failed(why) => format!("not verified: {why}"),
        }
    }

    pub fn ok(&self) -> bool {
        !matches!(self, Verified::Failed(_))
    }
}

fn short(id: &Id) -> String {
    let h = id.to_hex();
    format!("{}…{}", &h[..8], &h[56..])
}

/// One epoch as the miner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub epoch: usize,
    /// `draft`, `hardened` or `unknown`.
    pub contract: &'static str,
    pub score: Option<i64>,
    pub max_score: i32,
    /// The epoch's reward (the reward box's R4).
    pub reward: Option<i64>,
    /// score × reward / maxScore, the contract's arithmetic.
    pub expected: Option<i64>,
    pub paid: Paid,
    pub verified: Verified,
    /// Weaknesses of the draft contract used by a payout of this epoch, in words.
    pub warnings: Vec<String>,
    /// The epoch's unspent tip: its share-state box and digest (a next payout spends it).
    pub tip: Id,
    pub tip_digest: Option<sharestate::Digest>,
}

impl Row {
    /// The miner's share of the epoch's score, in millionths (none without a score).
    pub fn share_ppm(&self) -> Option<i64> {
        self.score.and_then(|s| share_ppm(s, self.max_score))
    }

    /// The miner's share of the epoch's score, as a percentage (none without a score).
    pub fn share(&self) -> Option<String> {
        self.score.map(|s| share(s, self.max_score))
    }

    /// Whether this miner can be paid now by a new payout of the epoch.
    pub fn payable(&self) -> bool {
        self.paid == Paid::No && self.verified.ok() && self.reward.is_some()
    }
}

/// The row of `key` from a walked epoch (at the reward the walk found). `lookup`, for a key no
/// payout touched, is the value a verified lookup proof at the tip returned (`Ok(None)`: proven
/// absent), or why it failed.
pub fn row(epoch: usize, walk: &Walk, key: &Key, lookup: Option<Result<Option<Vec<u8>>, String>>) -> Row {
    let contract = walk.contract.name();
    let mut warnings: Vec<String> = walk
        .steps
        .iter()
        .flat_map(|s| {
            s.report
                .weaknesses
                .iter()
                .map(move |w| format!("payout {}: {}", short(&s.tx_id), weakness(w)))
        })
        .collect();
    if walk.contract == ShareStateContract::Draft {
        warnings.insert(
            0,
            "this epoch runs the seed's draft contract, which does not check where the rest of the reward and the next share state go (PROTOCOL.md)".into(),
        );
    }
    let failed_step = walk.steps.iter().find(|s| !s.report.accepted);
    let reward = walk.reward;
    let expected = |score: i64| reward.and_then(|r| sharestate::pool::payout_amount(score, r, walk.max_score).ok());
    let base = Row {
        epoch,
        contract,
        score: None,
        max_score: walk.max_score,
        reward,
        expected: None,
        paid: Paid::Unknown,
        verified: Verified::Failed("not checked".into()),
        warnings,
        tip: walk.tip.id,
        tip_digest: walk.tip_digest(),
    };
    if let Some(s) = failed_step {
        return Row {
            verified: Verified::Failed(format!(
                "payout {} does not satisfy the contract: {}",
                short(&s.tx_id),
                s.report.failing().join(", ")
            )),
            ..base
        };
    }
    if let Some((step, t)) = walk.latest(key) {
        let before = t.before.unwrap_or(ShareValue::unpaid(0));
        return Row {
            score: Some(before.score),
            expected: expected(before.score),
            paid: Paid::Yes {
                tx: step.tx_id,
                amount: t.paid.unwrap_or(0),
                height: step.height,
            },
            verified: Verified::ByPayout {
                tx: step.tx_id,
                state_box: step.from,
                height: step.height,
            },
            ..base
        };
    }
    let tip = walk.tip.id;
    let height = walk.tip.inclusion_height;
    match lookup {
        None => base,
        Some(Err(why)) => Row {
            verified: Verified::Failed(why),
            ..base
        },
        Some(Ok(None)) => Row {
            paid: Paid::NotInPool,
            verified: Verified::ByLookup { state_box: tip, height },
            ..base
        },
        Some(Ok(Some(bytes))) => match ShareValue::from_bytes(&bytes) {
            // a key the tip's state says is paid must have been paid by a payout the walk saw
            Ok(v) if v.paid => Row {
                score: Some(v.score),
                verified: Verified::Failed(
                    "the share state says paid, but no payout on the chain paid this key".into(),
                ),
                ..base
            },
            Ok(v) => Row {
                score: Some(v.score),
                expected: expected(v.score),
                paid: Paid::No,
                verified: Verified::ByLookup { state_box: tip, height },
                ..base
            },
            Err(e) => Row {
                verified: Verified::Failed(format!("the proven value is not a share value: {e}")),
                ..base
            },
        },
    }
}

fn weakness(w: &sharestate::posted::Weakness) -> String {
    use sharestate::posted::Weakness::*;
    match w {
        NextStateScriptChanged { .. } => "the next share state went to another script".into(),
        NextRewardScriptChanged { .. } => "the rest of the reward went to another script".into(),
        RewardInitialValueNotKept { .. } => "the next reward box changed its initial value".into(),
        MaxScoreNotKept { .. } => "the next share state changed maxScore".into(),
        TreeParametersChanged { .. } => "the next share state changed the tree's parameters".into(),
        PoolTokenNotCarried { .. } => "the pool token did not move on".into(),
        ScoreNotFromTree {
            tree_score,
            claimed_score,
            ..
        } => format!("paid on score {claimed_score} where the tree holds {tree_score}"),
        RepeatedKeyUnchecked { unchecked_output, .. } => {
            format!("a repeated key left output {unchecked_output} unchecked")
        }
    }
}

/// Totals over rows: expected and paid nanoErg, over verified rows only.
pub fn totals(rows: &[Row]) -> (i64, i64) {
    rows.iter()
        .filter(|r| r.verified.ok())
        .fold((0, 0), |(e, p), r| (e + r.expected.unwrap_or(0), p + r.paid.amount()))
}

/// The table as CSV (RFC 4180), amounts exact in ERG.
pub fn csv(address: &str, rows: &[Row]) -> String {
    let mut out = String::from(
        "address,epoch,contract,score,max_score,share,expected_erg,paid,paid_erg,transaction,height,verified\n",
    );
    for r in rows {
        let (paid, amount, tx, height) = match &r.paid {
            Paid::Yes { tx, amount, height } => (
                "yes",
                erg(*amount),
                tx.to_hex(),
                height.map(|h| h.to_string()).unwrap_or_default(),
            ),
            Paid::No => ("no", String::new(), String::new(), String::new()),
            Paid::NotInPool => ("not in pool", String::new(), String::new(), String::new()),
            Paid::Unknown => ("unknown", String::new(), String::new(), String::new()),
        };
        let cells = [
            address.to_string(),
            r.epoch.to_string(),
            r.contract.to_string(),
            r.score.map(|s| s.to_string()).unwrap_or_default(),
            r.max_score.to_string(),
            r.share().unwrap_or_default(),
            r.expected.map(erg).unwrap_or_default(),
            paid.to_string(),
            amount,
            tx,
            height,
            r.verified.describe(),
        ];
        let line: Vec<String> = cells
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// `?pool=…&address=…` from the page's query string.
pub fn parse_query(search: &str) -> (Option<String>, Option<String>) {
    let mut pool = None;
    let mut address = None;
    for pair in search.trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match k {
            "pool" if !v.is_empty() => pool = Some(v),
            "address" if !v.is_empty() => address = Some(v),
            _ => {}
        }
    }
    (pool, address)
}

/// The query string for a pool and an address.
pub fn query(pool: &str, address: &str) -> String {
    format!("?pool={}&address={}", percent_encode(pool), percent_encode(address))
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match hex::decode(&s[i + 1..i + 3]) {
                Ok(v) => {
                    out.extend(v);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::test_walk;

    #[test]
    fn amounts_and_shares_are_exact() {
        assert_eq!(erg(1), "0.000000001");
        assert_eq!(erg(67_500_000_000), "67.500000000");
        assert_eq!(erg(-5), "-0.000000005");
        assert_eq!(erg(i64::MAX), "9223372036.854775807");
        assert_eq!(share(1, 3), "33.3333%");
        assert_eq!(share(2_147_483_647, 2_147_483_647), "100.0000%");
        assert_eq!(share(1, 0), "–");
    }

    #[test]
    fn the_query_string_round_trips() {
        let q = query("Demo Pool & Co", "9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA");
        assert_eq!(
            parse_query(&q),
            (
                Some("Demo Pool & Co".into()),
                Some("9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA".into())
            )
        );
        assert_eq!(parse_query("?pool=&address="), (None, None));
        assert_eq!(parse_query("?pool=%zz"), (Some("%zz".into()), None));
    }

    #[test]
    fn rows_from_lookups_say_what_was_verified_and_never_verify_a_failure() {
        let w = test_walk(ShareStateContract::Unknown, Some(1_000_000_000));
        let key = [9u8; 32];
        let unpaid = row(1, &w, &key, Some(Ok(Some(ShareValue::unpaid(250).to_bytes().to_vec()))));
        assert_eq!(unpaid.score, Some(250));
        assert_eq!(unpaid.expected, Some(250_000_000));
        assert_eq!(unpaid.paid, Paid::No);
        assert!(unpaid.verified.ok());
        assert!(unpaid.verified.describe().contains("at height 77"));

        let absent = row(1, &w, &key, Some(Ok(None)));
        assert_eq!(absent.paid, Paid::NotInPool);
        assert!(absent.verified.ok());

        let bad = row(
            1,
            &w,
            &key,
            Some(Err("the pool's lookup proof fails: digest mismatch".into())),
        );
        assert!(!bad.verified.ok());
        assert!(bad.verified.describe().starts_with("not verified"));
        assert_eq!(bad.score, None);

        // the tip says paid, but no payout the walk saw paid it: not verified
        let odd = row(
            1,
            &w,
            &key,
            Some(Ok(Some(ShareValue { score: 5, paid: true }.to_bytes().to_vec()))),
        );
        assert!(!odd.verified.ok());
        assert_eq!(totals(&[unpaid.clone(), bad.clone(), odd]), (250_000_000, 0));
    }

    #[test]
    fn csv_has_a_line_per_row_and_quotes_what_needs_it() {
        let w = test_walk(ShareStateContract::Unknown, Some(1_000_000_000));
        let r = row(
            3,
            &w,
            &[9; 32],
            Some(Ok(Some(ShareValue::unpaid(250).to_bytes().to_vec()))),
        );
        let text = csv("9addr", &[r]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("address,epoch,contract,score"));
        assert!(
            lines[1].starts_with("9addr,3,unknown,250,1000,25.0000%,0.250000000,no,,,,"),
            "{}",
            lines[1]
        );
        assert!(lines[1].ends_with("at height 77"), "{}", lines[1]);
        let failed = row(4, &w, &[9; 32], Some(Err("no answer, then \"timeout\"".into())));
        let text = csv("9addr", &[failed]);
        assert!(
            text.lines()
                .nth(1)
                .unwrap()
                .ends_with(",\"not verified: no answer, then \"\"timeout\"\"\""),
            "{text}"
        );
    }
}
