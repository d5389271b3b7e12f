//! Any bytes as a register value: an error or a constant that serializes back to a form that
//! parses to the same constant.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sharestate::Constant;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Constant::parse(data) {
        let again = Constant::parse(&c.to_bytes()).expect("our own serialization parses");
        assert_eq!(again, c);
    }
});
