//! Any text as an address or ErgoTree: an error, or an address that encodes back to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sharestate::ergo::parse_address_or_tree;
use sharestate::{Address, Network};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(a) = Address::parse(s) {
        assert_eq!(Address::parse(&a.encode()), Ok(a.clone()));
        let _ = a.miner_key();
    }
    if let Ok(a) = parse_address_or_tree(s, Network::Testnet) {
        // the tree's own address may be of another kind (a P2S address can hold a P2PK tree)
        let back = Address::from_ergo_tree(&a.proposition_bytes(), a.network).expect("a checked tree");
        assert_eq!(back.proposition_bytes(), a.proposition_bytes());
    }
});
