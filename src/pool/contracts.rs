//! The contracts sharestate knows, as the Fleet compiler made them (`contracts/contracts.json`,
//! sources beside it; `node scripts/compile-contracts.mjs`), for both designs: one constant per
//! tree in [`trees`] and per placeholder in [`placeholders`], made by `build.rs` (so a build
//! keeps only the trees its code names).
//!
//! The trees segregate their constants, so a parametrized contract is compiled once with
//! placeholder constants (values that occur nowhere else in its tree), and a pool's tree is the
//! template with each placeholder replaced by the pool's own constant of the same length, byte
//! for byte. [`instantiate`] does that, and [`parameters`] undoes it: which values a tree holds
//! where the template holds its placeholders, if it is the template otherwise.

use thiserror::Error;

include!(concat!(env!("OUT_DIR"), "/contracts.rs"));

/// A compiled tree, named as in `contracts.json` (a template, if parametrized).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub name: &'static str,
    pub tree: &'static [u8],
}

/// A placeholder constant: what a template holds where a pool's own constant goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub name: &'static str,
    pub constant: &'static [u8],
}

/// A contract parameter that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContractError {
    #[error("the operator key must be a compressed secp256k1 point (33 bytes, 02 or 03 first)")]
    OperatorKey,
    #[error("template {template} does not hold placeholder {placeholder} exactly once")]
    Template {
        template: &'static str,
        placeholder: &'static str,
    },
}

/// A SigmaProp constant `ProveDlog(key)`, checking the key's form.
pub(crate) fn operator_constant(operator_key: &[u8]) -> Result<Vec<u8>, ContractError> {
    if operator_key.len() != 33 || !matches!(operator_key[0], 2 | 3) {
        return Err(ContractError::OperatorKey);
    }
    Ok([&[0x08, 0xcd][..], operator_key].concat())
}

/// A `Coll[Byte]` constant of 32 bytes.
pub(crate) fn bytes32_constant(bytes: &[u8; 32]) -> Vec<u8> {
    [&[0x0e, 0x20][..], bytes].concat()
}

/// Where `placeholder` occurs in `tree`, if exactly once.
fn position(template: &Template, tree: &[u8], placeholder: &Placeholder) -> Result<usize, ContractError> {
    let p = placeholder.constant;
    let mut at = tree
        .windows(p.len().max(1))
        .enumerate()
        .filter(|(_, w)| *w == p)
        .map(|(i, _)| i);
    match (at.next(), at.next(), p.is_empty()) {
        (Some(i), None, false) => Ok(i),
        _ => Err(ContractError::Template {
            template: template.name,
            placeholder: placeholder.name,
        }),
    }
}

/// `template` with each placeholder replaced by its value, which must be a constant of the
/// placeholder's length.
pub fn instantiate(template: &Template, values: &[(&Placeholder, &[u8])]) -> Result<Vec<u8>, ContractError> {
    let mut t = template.tree.to_vec();
    for (placeholder, value) in values {
        let at = position(template, &t, placeholder)?;
        let len = placeholder.constant.len();
        if value.len() != len {
            return Err(ContractError::Template {
                template: template.name,
                placeholder: placeholder.name,
            });
        }
        t[at..at + len].copy_from_slice(value);
    }
    Ok(t)
}

/// The constants `ergo_tree` holds where `template` holds `placeholders`, in that order, when
/// it is the template in every other byte; none otherwise.
pub fn parameters(template: &Template, placeholders: &[&Placeholder], ergo_tree: &[u8]) -> Option<Vec<Vec<u8>>> {
    let t = template.tree;
    if t.is_empty() || ergo_tree.len() != t.len() {
        return None;
    }
    let mut spans = placeholders
        .iter()
        .map(|p| Some((position(template, t, p).ok()?, p.constant.len())))
        .collect::<Option<Vec<(usize, usize)>>>()?;
    let values = spans
        .iter()
        .map(|(at, len)| ergo_tree[*at..at + len].to_vec())
        .collect();
    spans.sort_unstable();
    let mut from = 0;
    for (at, len) in spans.iter().copied().chain([(t.len(), 0)]) {
        if at < from || ergo_tree[from..at] != t[from..at] {
            return None;
        }
        from = at + len;
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::placeholders::{OPERATOR, POOLNFT};
    use super::trees::{PERSISTENT_DEPLOYED_UPDATE as DEPLOYED, PERSISTENT_HARDENED_UPDATE as HARDENED};
    use super::*;

    #[crate::test]
    fn a_template_instantiated_gives_its_parameters_back_and_nothing_else_matches() {
        let nft = bytes32_constant(&[7; 32]);
        let t = instantiate(&DEPLOYED, &[(&POOLNFT, &nft)]).unwrap();
        assert_ne!(t, DEPLOYED.tree);
        assert_eq!(parameters(&DEPLOYED, &[&POOLNFT], &t), Some(vec![nft.clone()]));
        // the same constant in another template's tree, or one byte changed elsewhere
        assert_eq!(parameters(&HARDENED, &[&POOLNFT], &t), None);
        let mut other = t.clone();
        let last = other.len() - 1;
        other[last] ^= 1;
        assert_eq!(parameters(&DEPLOYED, &[&POOLNFT], &other), None);
        // a value of another length, or a placeholder the template lacks
        assert!(instantiate(&DEPLOYED, &[(&POOLNFT, &[0x0e, 0x01, 0])]).is_err());
        assert!(instantiate(&DEPLOYED, &[(&OPERATOR, &nft)]).is_err());
        assert_eq!(operator_constant(&[4; 33]), Err(ContractError::OperatorKey));
    }
}
