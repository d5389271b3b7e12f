//! Miner keys: an Ergo address (or a raw ErgoTree) → its proposition bytes → the 32-byte key
//! `blake2b256(propositionBytes)` under which a share state keeps the miner.
//!
//! An address is base58 of `prefix(1) ‖ content ‖ checksum(4)`, where prefix = network
//! (0x00 mainnet, 0x10 testnet) + type (1 P2PK, 2 P2SH, 3 P2S) and checksum = the first four
//! bytes of blake2b256(prefix ‖ content). P2PK content is a 33-byte compressed public key,
//! P2SH content the first 24 bytes of blake2b256 of the script, P2S content the ErgoTree.

use crate::avl::Key;
use crate::encoding::hash::{blake2b256, blake2b256_parts};
use crate::encoding::hex::{FixedHexError, HexError};
use crate::encoding::{hex, Reader};
use std::fmt;
use thiserror::Error;

/// A miner's key in a share state.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MinerKey(pub Key);

impl MinerKey {
    /// The key of a proposition (serialized ErgoTree).
    pub fn from_proposition(proposition: &[u8]) -> MinerKey {
        MinerKey(blake2b256(proposition))
    }

    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Result<MinerKey, AddressError> {
        hex::decode_array::<32>(s).map(MinerKey).map_err(AddressError::KeyHex)
    }

    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }
}

impl fmt::Debug for MinerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MinerKey({})", self.to_hex())
    }
}

impl fmt::Display for MinerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// The longest address text parsed (a P2S address of a 3,000-byte script). Base58 decoding is
/// quadratic in the length, so longer text is refused before it is decoded: a 60,000-character
/// "address" would take a second natively, more in wasm, on every keystroke.
pub const MAX_ADDRESS_LEN: usize = 4_096;

/// An address or ErgoTree that cannot be a miner's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AddressError {
    #[error("the address is empty")]
    Empty,
    #[error("an address has at most {max} characters, this one {found}")]
    TooLong { found: usize, max: usize },
    #[error("not base58: {0}")]
    Base58(String),
    #[error("an address has at least 6 bytes, this one decodes to {found}")]
    TooShort { found: usize },
    #[error("checksum mismatch: the address says {found}, its content hashes to {expected} (a typo?)")]
    Checksum { expected: String, found: String },
    #[error("unknown network prefix {prefix:#04x} (0x00 mainnet, 0x10 testnet)")]
    UnknownNetwork { prefix: u8 },
    #[error("network \"{0}\": mainnet or testnet")]
    NetworkName(String),
    #[error("unknown address type {kind} (1 P2PK, 2 P2SH, 3 P2S)")]
    UnknownKind { kind: u8 },
    #[error("a {kind} address holds {expected} bytes of content, this one {found}")]
    WrongLength {
        kind: AddressKind,
        expected: usize,
        found: usize,
    },
    #[error("a P2PK key starts with 02 or 03, this one with {found:#04x}")]
    NotCompressedKey { found: u8 },
    #[error("the ErgoTree is empty")]
    EmptyTree,
    #[error("not an ErgoTree: {0}")]
    MalformedTree(String),
    #[error("the ErgoTree is not hex: {0}")]
    TreeHex(HexError),
    #[error("a miner key is 32 bytes of hex: {0}")]
    KeyHex(FixedHexError),
}

/// Mainnet or testnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Network {
    Mainnet,
    Testnet,
}

impl Network {
    fn prefix(self) -> u8 {
        match self {
            Network::Mainnet => 0x00,
            Network::Testnet => 0x10,
        }
    }
    /// `"mainnet"` or `"testnet"`.
    pub fn name(self) -> &'static str {
        match self {
            Network::Mainnet => "mainnet",
            Network::Testnet => "testnet",
        }
    }

    /// The network of that name (`""` is mainnet).
    pub fn from_name(name: &str) -> Result<Network, AddressError> {
        match name {
            "" | "mainnet" => Ok(Network::Mainnet),
            "testnet" => Ok(Network::Testnet),
            other => Err(AddressError::NetworkName(other.into())),
        }
    }
}

/// What an address pays to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressKind {
    /// Pay to a public key.
    P2pk,
    /// Pay to a script hash.
    P2sh,
    /// Pay to a script.
    P2s,
}

impl AddressKind {
    fn code(self) -> u8 {
        match self {
            AddressKind::P2pk => 1,
            AddressKind::P2sh => 2,
            AddressKind::P2s => 3,
        }
    }
    /// `"P2PK"`, `"P2SH"` or `"P2S"`.
    pub fn name(self) -> &'static str {
        match self {
            AddressKind::P2pk => "P2PK",
            AddressKind::P2sh => "P2SH",
            AddressKind::P2s => "P2S",
        }
    }
}

impl fmt::Display for AddressKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// ErgoTree of a P2PK address: `00 08 cd` ‖ public key.
const P2PK_PREFIX: [u8; 3] = [0x00, 0x08, 0xcd];
/// ErgoTree of a P2SH address around its 24-byte hash:
/// `sigmaProp(blake2b256(getVar[Coll[Byte]](1).get).slice(0, 24) == hash) && deserializeContext(1)`.
const P2SH_PREFIX: [u8; 16] = [
    0x00, 0xea, 0x02, 0xd1, 0x93, 0xb4, 0xcb, 0xe3, 0x01, 0x0e, 0x04, 0x00, 0x04, 0x30, 0x0e, 0x18,
];
const P2SH_SUFFIX: [u8; 3] = [0xd4, 0x08, 0x01];

/// A decoded Ergo address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    pub network: Network,
    pub kind: AddressKind,
    /// The public key (P2PK), script hash (P2SH) or ErgoTree (P2S).
    pub content: Vec<u8>,
}

impl Address {
    /// Decodes and checks a base58 address.
    pub fn parse(s: &str) -> Result<Address, AddressError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(AddressError::Empty);
        }
        // base58 decoding takes time quadratic in the length: bound it before decoding
        if s.len() > MAX_ADDRESS_LEN {
            return Err(AddressError::TooLong {
                found: s.len(),
                max: MAX_ADDRESS_LEN,
            });
        }
        let bytes = bs58::decode(s)
            .into_vec()
            .map_err(|e| AddressError::Base58(e.to_string()))?;
        if bytes.len() < 6 {
            return Err(AddressError::TooShort { found: bytes.len() });
        }
        let (body, checksum) = bytes.split_at(bytes.len() - 4);
        let expected = &blake2b256(body)[..4];
        if expected != checksum {
            return Err(AddressError::Checksum {
                expected: hex::encode(expected),
                found: hex::encode(checksum),
            });
        }
        let prefix = body[0];
        let network = match prefix & 0xf0 {
            0x00 => Network::Mainnet,
            0x10 => Network::Testnet,
            _ => return Err(AddressError::UnknownNetwork { prefix: prefix & 0xf0 }),
        };
        let kind = match prefix & 0x0f {
            1 => AddressKind::P2pk,
            2 => AddressKind::P2sh,
            3 => AddressKind::P2s,
            kind => return Err(AddressError::UnknownKind { kind }),
        };
        Address::new(network, kind, body[1..].to_vec())
    }

    /// An address from its parts, checked.
    pub fn new(network: Network, kind: AddressKind, content: Vec<u8>) -> Result<Address, AddressError> {
        let expected = match kind {
            AddressKind::P2pk => Some(33),
            AddressKind::P2sh => Some(24),
            AddressKind::P2s => None,
        };
        match expected {
            Some(expected) if content.len() != expected => {
                return Err(AddressError::WrongLength {
                    kind,
                    expected,
                    found: content.len(),
                })
            }
            None => check_ergo_tree(&content)?,
            _ => {}
        }
        if kind == AddressKind::P2pk && !matches!(content[0], 2 | 3) {
            return Err(AddressError::NotCompressedKey { found: content[0] });
        }
        Ok(Address { network, kind, content })
    }

    /// The address that pays to `ergo_tree`: P2PK when the tree is one, else P2S.
    pub fn from_ergo_tree(ergo_tree: &[u8], network: Network) -> Result<Address, AddressError> {
        if ergo_tree.len() == 36 && ergo_tree[..3] == P2PK_PREFIX && matches!(ergo_tree[3], 2 | 3) {
            return Address::new(network, AddressKind::P2pk, ergo_tree[3..].to_vec());
        }
        if ergo_tree.len() == P2SH_PREFIX.len() + 24 + P2SH_SUFFIX.len()
            && ergo_tree.starts_with(&P2SH_PREFIX)
            && ergo_tree.ends_with(&P2SH_SUFFIX)
        {
            let hash = ergo_tree[P2SH_PREFIX.len()..P2SH_PREFIX.len() + 24].to_vec();
            return Address::new(network, AddressKind::P2sh, hash);
        }
        Address::new(network, AddressKind::P2s, ergo_tree.to_vec())
    }

    /// The address of an ErgoTree given as hex.
    pub fn from_ergo_tree_hex(s: &str, network: Network) -> Result<Address, AddressError> {
        let bytes = hex::decode(s.trim()).map_err(AddressError::TreeHex)?;
        Address::from_ergo_tree(&bytes, network)
    }

    /// The base58 form.
    pub fn encode(&self) -> String {
        let mut body = Vec::with_capacity(self.content.len() + 5);
        body.push(self.network.prefix() + self.kind.code());
        body.extend_from_slice(&self.content);
        let checksum = blake2b256(&body);
        body.extend_from_slice(&checksum[..4]);
        bs58::encode(body).into_string()
    }

    /// The serialized ErgoTree a box paying to this address carries.
    pub fn proposition_bytes(&self) -> Vec<u8> {
        match self.kind {
            AddressKind::P2pk => [&P2PK_PREFIX[..], &self.content].concat(),
            AddressKind::P2sh => [&P2SH_PREFIX[..], &self.content, &P2SH_SUFFIX[..]].concat(),
            AddressKind::P2s => self.content.clone(),
        }
    }

    /// The miner key: blake2b256 of the proposition bytes.
    pub fn miner_key(&self) -> MinerKey {
        match self.kind {
            AddressKind::P2pk => MinerKey(blake2b256_parts(&[&P2PK_PREFIX, &self.content])),
            _ => MinerKey::from_proposition(&self.proposition_bytes()),
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

/// The structural checks an ErgoTree passes before we hash it: a header with no unknown bits,
/// a body, and — when the header says the size is given — a size that matches. (Evaluating the
/// tree is the interpreter's business; a key is just the hash of these bytes.)
fn check_ergo_tree(tree: &[u8]) -> Result<(), AddressError> {
    let (&header, body) = tree.split_first().ok_or(AddressError::EmptyTree)?;
    if header & 0xe0 != 0 {
        return Err(AddressError::MalformedTree(format!(
            "header {header:#04x} sets reserved bits"
        )));
    }
    if body.is_empty() {
        return Err(AddressError::MalformedTree(
            "the header is not followed by a body".into(),
        ));
    }
    if header & 0x08 != 0 {
        let mut r = Reader::new(body);
        let size = r
            .vlq("the size")
            .map_err(|e| AddressError::MalformedTree(format!("the header says a size follows: {e}")))?;
        if size != r.remaining() as u64 {
            return Err(AddressError::MalformedTree(format!(
                "the header gives a size of {size}, {} bytes follow",
                r.remaining()
            )));
        }
    }
    Ok(())
}

/// Reads what a user typed: an address, or an ErgoTree in hex (a string of hex digits only,
/// which no base58 address of real length is).
pub fn parse_address_or_tree(s: &str, network_for_trees: Network) -> Result<Address, AddressError> {
    let t = s.trim();
    let looks_hex = !t.is_empty() && t.len() % 2 == 0 && t.bytes().all(|b| b.is_ascii_hexdigit());
    if looks_hex {
        Address::from_ergo_tree_hex(t, network_for_trees)
    } else {
        Address::parse(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn text_too_long_to_be_an_address_is_refused_before_it_is_decoded() {
        let long = "9".repeat(120_000);
        assert_eq!(
            Address::parse(&long),
            Err(AddressError::TooLong {
                found: 120_000,
                max: MAX_ADDRESS_LEN
            })
        );
        // at the bound, it is decoded (and fails as base58 text of no address would)
        let at = "9".repeat(MAX_ADDRESS_LEN);
        assert!(!matches!(Address::parse(&at), Err(AddressError::TooLong { .. })));
    }

    // The address of the public key 02 + 32 × 0x11, built and checked by hand below.
    fn p2pk() -> Address {
        let mut pk = vec![2u8];
        pk.extend_from_slice(&[0x11; 32]);
        Address::new(Network::Mainnet, AddressKind::P2pk, pk).unwrap()
    }

    #[crate::test]
    fn encode_and_parse_round_trip_for_every_kind_and_network() {
        let cases = [
            p2pk(),
            Address::new(Network::Testnet, AddressKind::P2sh, vec![7; 24]).unwrap(),
            Address::new(
                Network::Mainnet,
                AddressKind::P2s,
                vec![0x10, 0x01, 0x04, 0x02, 0xd1, 0x93],
            )
            .unwrap(),
        ];
        for a in cases {
            assert_eq!(Address::parse(&a.encode()), Ok(a.clone()));
            assert_eq!(
                Address::from_ergo_tree(&a.proposition_bytes(), a.network),
                Ok(a.clone())
            );
        }
    }

    #[crate::test]
    fn mainnet_p2pk_addresses_start_with_9_and_hash_their_tree() {
        let a = p2pk();
        assert!(a.encode().starts_with('9'));
        let tree = a.proposition_bytes();
        assert_eq!(&tree[..3], &[0x00, 0x08, 0xcd]);
        assert_eq!(a.miner_key(), MinerKey::from_proposition(&tree));
    }

    #[crate::test]
    fn a_real_mainnet_address_parses() {
        // a P2PK address from the Ergo documentation's examples
        let a = Address::parse("9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA").unwrap();
        assert_eq!((a.network, a.kind), (Network::Mainnet, AddressKind::P2pk));
        assert_eq!(a.encode(), "9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA");
    }

    #[crate::test]
    fn bad_addresses_say_what_is_wrong() {
        let good = p2pk().encode();
        assert_eq!(Address::parse(""), Err(AddressError::Empty));
        assert!(matches!(Address::parse("0OIl"), Err(AddressError::Base58(_))));
        assert!(matches!(Address::parse("11"), Err(AddressError::TooShort { .. })));
        // change one character: the checksum catches it
        let mut typo: Vec<char> = good.chars().collect();
        typo[10] = if typo[10] == 'a' { 'b' } else { 'a' };
        let typo: String = typo.into_iter().collect();
        assert!(matches!(Address::parse(&typo), Err(AddressError::Checksum { .. })));
        // a well-formed address of an unknown type
        let mut body = vec![0x05u8];
        body.extend_from_slice(&[1; 10]);
        let sum = blake2b256(&body);
        body.extend_from_slice(&sum[..4]);
        assert_eq!(
            Address::parse(&bs58::encode(&body).into_string()),
            Err(AddressError::UnknownKind { kind: 5 })
        );
        let mut body = vec![0x21u8];
        body.extend_from_slice(&[1; 10]);
        let sum = blake2b256(&body);
        body.extend_from_slice(&sum[..4]);
        assert_eq!(
            Address::parse(&bs58::encode(&body).into_string()),
            Err(AddressError::UnknownNetwork { prefix: 0x20 })
        );
        assert_eq!(
            Address::new(Network::Mainnet, AddressKind::P2pk, vec![2; 32]),
            Err(AddressError::WrongLength {
                kind: AddressKind::P2pk,
                expected: 33,
                found: 32
            })
        );
        assert_eq!(
            Address::new(Network::Mainnet, AddressKind::P2pk, vec![4; 33]),
            Err(AddressError::NotCompressedKey { found: 4 })
        );
    }

    #[crate::test]
    fn hex_input_is_read_as_an_ergo_tree() {
        let a = p2pk();
        let tree_hex = hex::encode(&a.proposition_bytes());
        assert_eq!(parse_address_or_tree(&tree_hex, Network::Mainnet), Ok(a.clone()));
        assert_eq!(parse_address_or_tree(&a.encode(), Network::Testnet), Ok(a));
        assert!(MinerKey::from_hex("abcd").is_err());
    }
}
