//! Any bytes as a snapshot, binary or JSON: an error or a state whose digest is the declared one.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sharestate::avl::snapshot;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut s) = snapshot::from_bytes(data) {
        let again = snapshot::from_bytes(&snapshot::to_bytes(&mut s)).expect("our own snapshot imports");
        assert_eq!(again.entries(), s.entries());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = snapshot::from_json(text);
    }
});
