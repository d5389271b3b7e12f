//! Payout arithmetic exactly as the chain computes it: signed 64-bit, an overflow is an error
//! (never a wrap), division truncates toward zero; and the scores' sum, the contract's Int
//! maxScore. (The box value floor, which decides whether a payout can be made at all, is the
//! chain's rule: [`ergo::min_plain_box_value`](crate::ergo::min_plain_box_value).)

use thiserror::Error;

/// Text that is not an amount of the range asked for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{what} \"{text}\" is not a whole number {range}")]
pub struct AmountError {
    pub what: String,
    pub text: String,
    pub range: &'static str,
}

/// A signed 64-bit number (a Long: score, amount) given as decimal text, as JSON and command
/// lines carry them: exact, never through a float.
pub fn parse_amount(text: &str, what: &str) -> Result<i64, AmountError> {
    text.parse().map_err(|_| AmountError {
        what: what.into(),
        text: text.into(),
        range: "of signed 64-bit range",
    })
}

/// An amount of nanoErg that can be a box's value: a Long that is not negative.
pub fn parse_nanoerg(text: &str, what: &str) -> Result<u64, AmountError> {
    parse_amount(text, what)
        .ok()
        .and_then(|v| u64::try_from(v).ok())
        .ok_or_else(|| AmountError {
            what: what.into(),
            text: text.into(),
            range: "from 0 to 9223372036854775807",
        })
}

/// nanoErg as ERG with all nine decimals, exactly (`1.500000000`, `-0.000000001`).
pub fn erg(nano: i64) -> String {
    let sign = if nano < 0 { "-" } else { "" };
    let n = nano.unsigned_abs();
    format!("{sign}{}.{:09}", n / 1_000_000_000, n % 1_000_000_000)
}

/// The chain's arithmetic failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArithmeticError {
    #[error("{a} {op} {b} overflows a signed 64-bit Long")]
    Overflow { op: char, a: i64, b: i64 },
    #[error("division by zero (maxScore is 0)")]
    DivisionByZero,
}

/// A Design 1 payment: `score × initialValue / maxScore.toLong`.
pub fn payout_amount(score: i64, initial_value: i64, max_score: i32) -> Result<i64, ArithmeticError> {
    let product = score.checked_mul(initial_value).ok_or(ArithmeticError::Overflow {
        op: '*',
        a: score,
        b: initial_value,
    })?;
    if max_score == 0 {
        return Err(ArithmeticError::DivisionByZero);
    }
    // a forged maxScore of -1 makes i64::MIN / -1 overflow too
    product.checked_div(max_score as i64).ok_or(ArithmeticError::Overflow {
        op: '/',
        a: product,
        b: max_score as i64,
    })
}

/// `a + b` on the chain.
pub fn add(a: i64, b: i64) -> Result<i64, ArithmeticError> {
    a.checked_add(b).ok_or(ArithmeticError::Overflow { op: '+', a, b })
}

/// `a - b` on the chain.
pub fn sub(a: i64, b: i64) -> Result<i64, ArithmeticError> {
    a.checked_sub(b).ok_or(ArithmeticError::Overflow { op: '-', a, b })
}

/// The scores do not fit the contract's `Int` maxScore.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScoreError {
    #[error("the scores add up to {sum}, more than the contract's Int maxScore can hold (2147483647); scale them down proportionally (sharestate state build --scale)")]
    SumTooLarge { sum: u128 },
    #[error("score {score} of entry {index} is negative")]
    Negative { index: usize, score: i64 },
    #[error("the scores add up to 0: nobody can be paid")]
    Zero,
}

/// maxScore: the sum of the scores, which must fit a signed 32-bit Int (R5 of the share-state
/// box).
pub fn max_score(scores: &[i64]) -> Result<i32, ScoreError> {
    let mut sum: u128 = 0;
    for (index, &score) in scores.iter().enumerate() {
        if score < 0 {
            return Err(ScoreError::Negative { index, score });
        }
        sum += score as u128;
    }
    if sum == 0 {
        return Err(ScoreError::Zero);
    }
    i32::try_from(sum).map_err(|_| ScoreError::SumTooLarge { sum })
}

/// Proportional scaling of scores whose sum does not fit an Int: each score becomes
/// `floor(score × i32::MAX / sum)`, computed exactly in 128 bits. The new sum is at most
/// `i32::MAX`; every share changes by less than one part in 2^31 of the total, and the order
/// of the scores is kept. Scores that fit already are returned unchanged.
pub fn scale_scores(scores: &[i64]) -> Result<Vec<i64>, ScoreError> {
    match max_score(scores) {
        Ok(_) => Ok(scores.to_vec()),
        Err(ScoreError::SumTooLarge { sum }) => Ok(scores
            .iter()
            .map(|&s| ((s as u128) * (i32::MAX as u128) / sum) as i64)
            .collect()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn erg_keeps_every_nanoerg() {
        assert_eq!(erg(1_500_000_000), "1.500000000");
        assert_eq!(erg(-1), "-0.000000001");
        assert_eq!(erg(i64::MIN), "-9223372036.854775808");
    }

    #[crate::test]
    fn payments_truncate_like_the_chain() {
        assert_eq!(payout_amount(1, 10, 3), Ok(3));
        assert_eq!(payout_amount(2, 10, 3), Ok(6));
        assert_eq!(payout_amount(-1, 10, 3), Ok(-3), "truncation is toward zero");
        assert_eq!(payout_amount(7, 67_500_000_000, 2_000_000_000), Ok(236));
    }

    #[crate::test]
    fn overflow_and_division_by_zero_are_errors() {
        assert_eq!(
            payout_amount(i64::MAX / 2, 3, 1),
            Err(ArithmeticError::Overflow {
                op: '*',
                a: i64::MAX / 2,
                b: 3
            })
        );
        assert_eq!(payout_amount(1, 1, 0), Err(ArithmeticError::DivisionByZero));
        assert_eq!(
            payout_amount(i64::MIN, 1, -1),
            Err(ArithmeticError::Overflow {
                op: '/',
                a: i64::MIN,
                b: -1
            })
        );
        assert!(add(i64::MAX, 1).is_err());
        assert!(sub(i64::MIN, 1).is_err());
    }

    #[crate::test]
    fn max_score_must_fit_an_int() {
        assert_eq!(max_score(&[1, 2, 3]), Ok(6));
        assert_eq!(max_score(&[i32::MAX as i64]), Ok(i32::MAX));
        assert_eq!(
            max_score(&[i32::MAX as i64, 1]),
            Err(ScoreError::SumTooLarge { sum: 1 << 31 })
        );
        assert_eq!(max_score(&[0, 0]), Err(ScoreError::Zero));
        assert_eq!(max_score(&[1, -1]), Err(ScoreError::Negative { index: 1, score: -1 }));
    }

    #[crate::test]
    fn scaling_fits_the_sum_and_keeps_proportions() {
        let scores = vec![i64::MAX / 4, i64::MAX / 4, 1_000_000];
        let scaled = scale_scores(&scores).unwrap();
        let sum: i64 = scaled.iter().sum();
        assert!(sum <= i32::MAX as i64 && sum > i32::MAX as i64 - 3);
        assert_eq!(scaled[0], scaled[1]);
        assert_eq!(scaled[2], 0);
        assert_eq!(scale_scores(&[5, 6]).unwrap(), vec![5, 6]);
    }
}
