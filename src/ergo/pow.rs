//! **Autolykos v2**, the proof of work of every Ergo block header since version 2 (height
//! 417,792 on mainnet): the header's message `msg = blake2b256(header without its solution)`
//! and its nonce pick 32 elements of a table of `N` (which grows 5% every 51,200 blocks from
//! height 614,400 to 4,198,400), each `blake2b256(index ‖ height ‖ M)` without its first byte;
//! the *hit* is `blake2b256` of their sum (32 bytes), and the work is valid when
//! `hit < q / target`, `q` the order of secp256k1 and `target` the header's `nBits` decoded
//! (the "difficulty"). A hit is about `1 / difficulty` likely to pass, so a valid header is
//! evidence of about `difficulty` hashes of work.
//!
//! The arithmetic is exact on 256-bit integers (no big-integer crate: the comparison is
//! `(hit + 1) · target ≤ q`, the same as `hit < ⌊q / target⌋`). Checked against sigma-rust's
//! `ergo-nipopow` on real mainnet headers and on random ones (see the tests).

use crate::encoding::hash::{blake2b256, blake2b256_parts};

/// Elements summed per solution (`k`).
const K: usize = 32;
/// The table's size before it starts growing: `2^26`.
const N_BASE: u32 = 1 << 26;
/// The height from which the table grows.
const N_INCREASE_START: u32 = 600 * 1024;
/// It grows 5% every this many blocks…
const N_INCREASE_PERIOD: u32 = 50 * 1024;
/// …up to this height.
const N_INCREASE_MAX: u32 = 4_198_400;

/// `M`: the numbers 0‥1023 as 8-byte big-endian integers, hashed into every element to make
/// it cost 8 KiB of hashing (built when needed: 8 KiB less in every wasm build).
fn big_m() -> Vec<u8> {
    (0u64..1024).flat_map(u64::to_be_bytes).collect()
}

/// The order of secp256k1's group, big-endian.
const Q: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc,
    0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// The table's size `N` at `height` (headers of version ≥ 2).
pub fn table_size(height: u32) -> u32 {
    let height = height.min(N_INCREASE_MAX);
    if height < N_INCREASE_START {
        return N_BASE;
    }
    let steps = (height - N_INCREASE_START) / N_INCREASE_PERIOD + 1;
    // as the reference does it: divide, then multiply (N stays below 2^31)
    (0..steps).fold(N_BASE, |n, _| n / 100 * 105)
}

/// The hit of a header whose message (`blake2b256` of the header without its solution) is
/// `msg`, at `height`, with `nonce`.
pub fn hit(msg: &[u8; 32], nonce: &[u8; 8], height: u32) -> [u8; 32] {
    let n = table_size(height);
    let h = height.to_be_bytes();
    let m = big_m();
    let pre = blake2b256_parts(&[msg, nonce]);
    let i = (u64::from_be_bytes(pre[24..].try_into().unwrap_or_default()) % u64::from(n)) as u32;
    let f = blake2b256_parts(&[&i.to_be_bytes(), &h, &m]);
    let seed = blake2b256_parts(&[&f[1..], msg, nonce]);
    let mut extended = [0u8; 35];
    extended[..32].copy_from_slice(&seed);
    extended[32..].copy_from_slice(&seed[..3]);
    let mut sum = U256::ZERO;
    for j in 0..K {
        let index = u32::from_be_bytes([extended[j], extended[j + 1], extended[j + 2], extended[j + 3]]) % n;
        let element = blake2b256_parts(&[&index.to_be_bytes(), &h, &m]);
        sum = sum.add(&U256::from_be(&element[1..]));
    }
    blake2b256(&sum.to_be())
}

/// A header's `nBits` decoded: its target ("difficulty"), or why it has none.
pub fn target(n_bits: u32) -> Result<U256, TargetError> {
    let size = (n_bits >> 24) as usize;
    let mantissa = [(n_bits >> 16) as u8, (n_bits >> 8) as u8, n_bits as u8];
    if mantissa[0] & 0x80 != 0 {
        return Err(TargetError::Negative);
    }
    let taken = &mantissa[..size.min(3)];
    if taken.iter().all(|b| *b == 0) {
        return Err(TargetError::Zero);
    }
    if size > 32 {
        return Err(TargetError::TooLarge);
    }
    let mut bytes = [0u8; 32];
    bytes[32 - size..32 - size + taken.len()].copy_from_slice(taken);
    Ok(U256::from_be(&bytes))
}

/// Why `nBits` gives no usable target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("nBits encodes a negative difficulty")]
    Negative,
    #[error("nBits encodes a difficulty of zero")]
    Zero,
    /// Above 2^256: no hit can meet it.
    #[error("nBits encodes a difficulty above 2^256")]
    TooLarge,
}

/// Whether `hit` meets the difficulty `target`: `hit < ⌊q / target⌋`.
pub fn meets(hit: &[u8; 32], target: &U256) -> bool {
    // hit < ⌊q/t⌋ ⇔ hit + 1 ≤ q/t ⇔ (hit + 1)·t ≤ q
    let product = U256::from_be(hit).mul_wide(target);
    let product = add_wide(product, target);
    let mut q = [0u64; 8];
    q[..4].copy_from_slice(&U256::from_be(&Q).0);
    cmp_wide(&product, &q) != std::cmp::Ordering::Greater
}

/// An unsigned 256-bit integer, four 64-bit limbs, least significant first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct U256(pub [u64; 4]);

impl U256 {
    pub const ZERO: U256 = U256([0; 4]);

    /// From at most 32 big-endian bytes.
    pub fn from_be(bytes: &[u8]) -> U256 {
        let mut padded = [0u8; 32];
        let n = bytes.len().min(32);
        padded[32 - n..].copy_from_slice(&bytes[bytes.len() - n..]);
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let at = 32 - 8 * (i + 1);
            *limb = u64::from_be_bytes(padded[at..at + 8].try_into().unwrap_or_default());
        }
        U256(limbs)
    }

    /// 32 big-endian bytes.
    pub fn to_be(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, limb) in self.0.iter().enumerate() {
            let at = 32 - 8 * (i + 1);
            out[at..at + 8].copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    /// The value when it fits 128 bits (a difficulty always does on a real network).
    pub fn to_u128(&self) -> Option<u128> {
        match self.0 {
            [lo, hi, 0, 0] => Some(u128::from(hi) << 64 | u128::from(lo)),
            _ => None,
        }
    }

    /// `self + other`, modulo 2^256 (sums of 32 elements of 248 bits never reach it).
    fn add(&self, other: &U256) -> U256 {
        let mut out = [0u64; 4];
        let mut carry = 0u64;
        for (o, (a, b)) in out.iter_mut().zip(self.0.iter().zip(&other.0)) {
            let (s, c1) = a.overflowing_add(*b);
            let (s, c2) = s.overflowing_add(carry);
            *o = s;
            carry = u64::from(c1) + u64::from(c2);
        }
        U256(out)
    }

    /// The full 512-bit product, eight limbs least significant first.
    fn mul_wide(&self, other: &U256) -> [u64; 8] {
        let mut out = [0u64; 8];
        for i in 0..4 {
            let mut carry = 0u128;
            for j in 0..4 {
                let t = u128::from(self.0[i]) * u128::from(other.0[j]) + u128::from(out[i + j]) + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
            out[i + 4] = carry as u64;
        }
        out
    }
}

impl PartialOrd for U256 {
    fn partial_cmp(&self, other: &U256) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for U256 {
    fn cmp(&self, other: &U256) -> std::cmp::Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

/// `a + b` on 512 bits (never overflows here: `a < 2^512 - 2^256`).
fn add_wide(mut a: [u64; 8], b: &U256) -> [u64; 8] {
    let mut carry = 0u64;
    for (i, limb) in a.iter_mut().enumerate() {
        let add = b.0.get(i).copied().unwrap_or(0);
        let (s, c1) = limb.overflowing_add(add);
        let (s, c2) = s.overflowing_add(carry);
        *limb = s;
        carry = u64::from(c1) + u64::from(c2);
    }
    a
}

fn cmp_wide(a: &[u64; 8], b: &[u64; 8]) -> std::cmp::Ordering {
    a.iter().rev().cmp(b.iter().rev())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex;

    #[crate::test]
    fn the_table_grows_as_the_reference_says() {
        // the values sigma-rust's own tests give
        assert_eq!(table_size(500_000), 67_108_864);
        assert_eq!(table_size(600 * 1024), 70_464_240);
        assert_eq!(table_size(600 * 1024 + 50 * 1024), 73_987_410);
        assert_eq!(table_size(1_051_200), 104_107_290);
        assert_eq!(table_size(4_198_400), 2_143_944_600);
        assert_eq!(table_size(u32::MAX), 2_143_944_600);
    }

    #[crate::test]
    fn nbits_decode_as_bitcoin_compact_numbers() {
        // the fixture header's nBits, and the difficulty the node gives beside it
        assert_eq!(target(117_586_360).unwrap().to_u128(), Some(0x0239b8 << 32));
        assert_eq!(target(117_586_360).unwrap().to_u128(), Some(626_412_390_187_008));
        assert_eq!(target(0x0110_0000).unwrap().to_u128(), Some(16));
        assert_eq!(target(0x0212_3400).unwrap().to_u128(), Some(0x1234));
        assert_eq!(target(0x2001_0000).unwrap().to_be()[0], 1);
        assert_eq!(target(0x2101_0000), Err(TargetError::TooLarge));
        assert_eq!(target(0x0380_0001), Err(TargetError::Negative));
        assert_eq!(target(0x0000_1234), Err(TargetError::Zero));
        assert_eq!(target(0x0100_1234), Err(TargetError::Zero));
    }

    #[crate::test]
    fn the_comparison_is_hit_below_q_over_target() {
        let q = U256::from_be(&Q);
        let one = U256::from_be(&[1]);
        // difficulty 1: every hit below q passes, q itself does not
        let below_q = {
            let mut b = Q;
            b[31] -= 1;
            b
        };
        assert!(meets(&below_q, &one));
        assert!(!meets(&Q, &one));
        assert!(!meets(&[0xff; 32], &one));
        // difficulty 2: ⌊q/2⌋ = q >> 1 (q is odd)
        let two = U256::from_be(&[2]);
        let half = {
            let mut limbs = q.0;
            for i in 0..4 {
                limbs[i] = (limbs[i] >> 1) | if i < 3 { limbs[i + 1] << 63 } else { 0 };
            }
            U256(limbs)
        };
        let half_minus_one = {
            let mut b = half.to_be();
            b[31] -= 1; // q >> 1 ends in 0xa0
            b
        };
        assert!(meets(&half_minus_one, &two));
        assert!(!meets(&half.to_be(), &two));
        assert!(meets(&[0; 32], &U256::from_be(&Q)));
        assert!(!meets(
            &[0; 31]
                .iter()
                .chain(&[1])
                .copied()
                .collect::<Vec<_>>()
                .try_into()
                .unwrap(),
            &q
        ));
    }

    #[crate::test]
    fn m_is_the_numbers_0_to_1023() {
        let mut expected = Vec::new();
        for i in 0u64..1024 {
            expected.extend_from_slice(&i.to_be_bytes());
        }
        assert_eq!(big_m(), expected);
        assert_eq!(hex::encode(&blake2b256(&big_m())), hex::encode(&blake2b256(&expected)));
    }
}
