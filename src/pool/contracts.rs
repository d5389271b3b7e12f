//! The contracts sharestate knows, as the Fleet compiler made them (`contracts/contracts.json`,
//! sources beside it; `node scripts/compile-contracts.mjs`), for both designs.
//!
//! The trees segregate their constants, so a parametrized contract is compiled once with
//! placeholder constants (values that occur nowhere else in its tree), and a pool's tree is the
//! template with each placeholder replaced by the pool's own constant of the same length, byte
//! for byte. [`instantiate`] does that, and [`parameters`] undoes it: which values a tree holds
//! where the template holds its placeholders, if it is the template otherwise.

use crate::encoding::hex;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;
use thiserror::Error;

const CONTRACTS_JSON: &str = include_str!("../../contracts/contracts.json");

#[derive(Deserialize)]
struct File {
    placeholders: HashMap<String, Placeholder>,
    contracts: HashMap<String, Contract>,
}

#[derive(Deserialize)]
struct Placeholder {
    constant: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Contract {
    ergo_tree: String,
}

struct Compiled {
    trees: HashMap<String, Vec<u8>>,
    placeholders: HashMap<String, Vec<u8>>,
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        // the file is part of this crate, checked by its tests and by CI
        let f: File = serde_json::from_str(CONTRACTS_JSON).unwrap_or(File {
            placeholders: HashMap::new(),
            contracts: HashMap::new(),
        });
        Compiled {
            trees: f
                .contracts
                .into_iter()
                .map(|(k, c)| (k, hex::decode(&c.ergo_tree).unwrap_or_default()))
                .collect(),
            placeholders: f
                .placeholders
                .into_iter()
                .map(|(k, p)| (k, hex::decode(&p.constant).unwrap_or_default()))
                .collect(),
        }
    })
}

/// The compiled tree named `name` in `contracts.json` (its template, if parametrized).
pub fn tree(name: &str) -> Vec<u8> {
    compiled().trees.get(name).cloned().unwrap_or_default()
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

/// Where `placeholder` occurs in `template`, if exactly once.
fn position(template_name: &'static str, template: &[u8], placeholder: &'static str) -> Result<usize, ContractError> {
    let p = compiled().placeholders.get(placeholder).cloned().unwrap_or_default();
    let mut at = template
        .windows(p.len().max(1))
        .enumerate()
        .filter(|(_, w)| *w == p.as_slice())
        .map(|(i, _)| i);
    match (at.next(), at.next(), p.is_empty()) {
        (Some(i), None, false) => Ok(i),
        _ => Err(ContractError::Template {
            template: template_name,
            placeholder,
        }),
    }
}

/// The template `template_name` with each placeholder replaced by its value, which must be a
/// constant of the placeholder's length.
pub fn instantiate(template_name: &'static str, values: &[(&'static str, &[u8])]) -> Result<Vec<u8>, ContractError> {
    let mut t = tree(template_name);
    for (placeholder, value) in values {
        let at = position(template_name, &t, placeholder)?;
        let len = compiled().placeholders[*placeholder].len();
        if value.len() != len {
            return Err(ContractError::Template {
                template: template_name,
                placeholder,
            });
        }
        t[at..at + len].copy_from_slice(value);
    }
    Ok(t)
}

/// The constants `ergo_tree` holds where the template `template_name` holds `placeholders`, in
/// that order, when it is the template in every other byte; none otherwise.
pub fn parameters(
    template_name: &'static str,
    placeholders: &[&'static str],
    ergo_tree: &[u8],
) -> Option<Vec<Vec<u8>>> {
    let template = tree(template_name);
    if template.is_empty() || ergo_tree.len() != template.len() {
        return None;
    }
    let mut spans = placeholders
        .iter()
        .map(|p| {
            Some((
                position(template_name, &template, p).ok()?,
                compiled().placeholders[*p].len(),
            ))
        })
        .collect::<Option<Vec<(usize, usize)>>>()?;
    let values = spans
        .iter()
        .map(|(at, len)| ergo_tree[*at..at + len].to_vec())
        .collect();
    spans.sort_unstable();
    let mut from = 0;
    for (at, len) in spans.iter().copied().chain([(template.len(), 0)]) {
        if at < from || ergo_tree[from..at] != template[from..at] {
            return None;
        }
        from = at + len;
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn a_template_instantiated_gives_its_parameters_back_and_nothing_else_matches() {
        let nft = bytes32_constant(&[7; 32]);
        let t = instantiate("persistent/deployed/update", &[("_poolNFT", &nft)]).unwrap();
        assert_ne!(t, tree("persistent/deployed/update"));
        assert_eq!(
            parameters("persistent/deployed/update", &["_poolNFT"], &t),
            Some(vec![nft.clone()])
        );
        // the same constant in another template's tree, or one byte changed elsewhere
        assert_eq!(parameters("persistent/hardened/update", &["_poolNFT"], &t), None);
        let mut other = t.clone();
        let last = other.len() - 1;
        other[last] ^= 1;
        assert_eq!(parameters("persistent/deployed/update", &["_poolNFT"], &other), None);
        // a value of another length, or a placeholder the template lacks
        assert!(instantiate("persistent/deployed/update", &[("_poolNFT", &[0x0e, 0x01, 0])]).is_err());
        assert!(instantiate("persistent/deployed/update", &[("_operator", &nft)]).is_err());
        assert_eq!(operator_constant(&[4; 33]), Err(ContractError::OperatorKey));
    }
}
