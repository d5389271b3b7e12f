//! The bench's input encoding (big-endian integers, u32 length prefixes).

use sharestate::avl::Digest;
use sharestate::encoding::Reader;
use sharestate::posted::{Output, PayoutTransaction, RewardInput, ShareStateInput};
use sharestate::Constant;

/// The input reader: the core's bounds-checked one, with this encoding's fields.
struct R<'a>(Reader<'a>);

impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        self.0.take(n, "bench input").ok()
    }
    fn u32(&mut self) -> Option<u32> {
        self.0.u32_be("a length").ok()
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_be_bytes(self.0.array("a number").ok()?))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    fn constant(&mut self) -> Option<Option<Constant>> {
        let b = self.bytes()?;
        if b.is_empty() {
            Some(None)
        } else {
            Constant::parse(b).ok().map(Some)
        }
    }
}

fn put(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_be_bytes());
    out.extend_from_slice(b);
}

fn put_constant(out: &mut Vec<u8>, c: &Option<Constant>) {
    put(out, &c.as_ref().map(Constant::to_bytes).unwrap_or_default());
}

pub fn encode_lookup(digest: &Digest, key: &[u8; 32], proof: &[u8]) -> Vec<u8> {
    [&digest.0[..], key, proof].concat()
}

pub fn decode_lookup(b: &[u8]) -> Option<(Digest, [u8; 32], Vec<u8>)> {
    let mut r = R(Reader::new(b));
    let d = Digest(r.take(33)?.try_into().ok()?);
    let k = r.take(32)?.try_into().ok()?;
    Some((d, k, r.0.rest().to_vec()))
}

pub fn encode_payout(tx: &PayoutTransaction) -> Vec<u8> {
    let mut o = Vec::new();
    put(&mut o, &tx.share_state.tree.to_bytes());
    o.extend_from_slice(&(tx.share_state.max_score as i64).to_be_bytes());
    o.extend_from_slice(&tx.reward.value.to_be_bytes());
    o.extend_from_slice(&tx.reward.initial_value.to_be_bytes());
    put(&mut o, &Constant::BytePairs(tx.state_updates.clone()).to_bytes());
    put(&mut o, &tx.proof);
    put(&mut o, tx.share_state.script.as_deref().unwrap_or_default());
    put(&mut o, tx.reward.script.as_deref().unwrap_or_default());
    o.extend_from_slice(&(tx.outputs.len() as u32).to_be_bytes());
    for out in &tx.outputs {
        o.extend_from_slice(&out.value.to_be_bytes());
        put(&mut o, &out.script);
        put_constant(&mut o, &out.r4);
        put_constant(&mut o, &out.r5);
        put_constant(&mut o, &out.r6);
    }
    o
}

pub fn decode_payout(b: &[u8]) -> Option<PayoutTransaction> {
    let mut r = R(Reader::new(b));
    let tree = *Constant::parse(r.bytes()?).ok()?.as_avl_tree().ok()?;
    let max_score = r.i64()? as i32;
    let value = r.i64()?;
    let initial_value = r.i64()?;
    let state_updates = Constant::parse(r.bytes()?).ok()?.as_byte_pairs().ok()?.to_vec();
    let proof = r.bytes()?.to_vec();
    let state_script = r.bytes()?.to_vec();
    let reward_script = r.bytes()?.to_vec();
    let n = r.u32()?;
    let mut outputs = Vec::new();
    for _ in 0..n {
        let value = r.i64()?;
        let script = r.bytes()?.to_vec();
        let r4 = r.constant()?;
        let r5 = r.constant()?;
        let r6 = r.constant()?;
        outputs.push(Output {
            value,
            script,
            r4,
            r5,
            r6,
            tokens: vec![],
        });
    }
    Some(PayoutTransaction {
        share_state: ShareStateInput {
            script: Some(state_script),
            ..ShareStateInput::new(tree, max_score)
        },
        reward: RewardInput {
            script: Some(reward_script),
            ..RewardInput::new(value, initial_value)
        },
        state_updates,
        proof,
        outputs,
    })
}

fn put_tokens(out: &mut Vec<u8>, tokens: &[sharestate::ergo::Token]) {
    out.extend_from_slice(&(tokens.len() as u32).to_be_bytes());
    for t in tokens {
        out.extend_from_slice(&t.id);
        out.extend_from_slice(&t.amount.to_be_bytes());
    }
}

fn tokens(r: &mut R) -> Option<Vec<sharestate::ergo::Token>> {
    let n = r.u32()?;
    (0..n)
        .map(|_| {
            Some(sharestate::ergo::Token {
                id: r.take(32)?.try_into().ok()?,
                amount: r.i64()? as u64,
            })
        })
        .collect()
}

/// A Design 2 command transaction: the state box's tree, script, value and tokens, the command
/// box's script and value, its context variables (0, 1, 2 as constants), the outputs.
pub fn encode_command(tx: &sharestate::persistent::CommandTransaction) -> Vec<u8> {
    use sharestate::persistent::CommandVars;
    let mut o = Vec::new();
    put(&mut o, &tx.state.tree.to_bytes());
    put(&mut o, &tx.state.script);
    o.extend_from_slice(&tx.state.value.to_be_bytes());
    put_tokens(&mut o, &tx.state.tokens);
    put(&mut o, &tx.command_script);
    o.extend_from_slice(&tx.command_value.to_be_bytes());
    let vars: Vec<Constant> = match &tx.vars {
        CommandVars::Pairs { pairs, proof } => vec![Constant::BytePairs(pairs.clone()), Constant::Bytes(proof.clone())],
        CommandVars::Keys {
            keys,
            lookup_proof,
            removal_proof,
        } => vec![
            Constant::BytesColl(keys.clone()),
            Constant::Bytes(lookup_proof.clone()),
            Constant::Bytes(removal_proof.clone()),
        ],
    };
    o.extend_from_slice(&(vars.len() as u32).to_be_bytes());
    for v in &vars {
        put(&mut o, &v.to_bytes());
    }
    o.extend_from_slice(&(tx.outputs.len() as u32).to_be_bytes());
    for out in &tx.outputs {
        o.extend_from_slice(&out.value.to_be_bytes());
        put(&mut o, &out.script);
        put_constant(&mut o, &out.r4);
        put_tokens(&mut o, &out.tokens);
    }
    o
}

pub fn decode_command(b: &[u8]) -> Option<sharestate::persistent::CommandTransaction> {
    use sharestate::persistent::{command_vars, CommandTransaction, StateInput};
    let mut r = R(Reader::new(b));
    let tree = *Constant::parse(r.bytes()?).ok()?.as_avl_tree().ok()?;
    let script = r.bytes()?.to_vec();
    let value = r.i64()?;
    let state_tokens = tokens(&mut r)?;
    let command_script = r.bytes()?.to_vec();
    let command_value = r.i64()?;
    let n = r.u32()? as u8;
    let mut extension = vec![];
    for id in 0..n {
        extension.push((id, r.bytes()?.to_vec()));
    }
    let n = r.u32()?;
    let mut outputs = Vec::new();
    for _ in 0..n {
        let value = r.i64()?;
        let script = r.bytes()?.to_vec();
        let r4 = r.constant()?;
        outputs.push(Output {
            value,
            script,
            r4,
            r5: None,
            r6: None,
            tokens: tokens(&mut r)?,
        });
    }
    Some(CommandTransaction {
        state: StateInput {
            tree,
            script,
            tokens: state_tokens,
            value,
        },
        command_script,
        command_value,
        vars: command_vars(&extension).ok()?,
        outputs,
    })
}
