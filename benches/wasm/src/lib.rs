//! The verification path of the core as a wasm module with plain exports (no JS glue), so that
//! Node can time it (`harness.mjs`) and its size can be measured without binding code.
//!
//! Inputs are prepared natively by `src/bin/prepare.rs` in the encoding of [`encoding`]; the
//! `load_*` exports decode them once, the `run_*` exports do the measured work.

pub mod encoding;

use sharestate::avl::{verify_lookups, Digest};
use sharestate::posted::{check_payout, PayoutTransaction};
use std::cell::RefCell;

/// A loaded lookup: digest, key, proof.
type Lookup = (Digest, [u8; 32], Vec<u8>);

thread_local! {
    static LOOKUP: RefCell<Option<Lookup>> = const { RefCell::new(None) };
    static PAYOUT: RefCell<Option<PayoutTransaction>> = const { RefCell::new(None) };
    static COMMAND: RefCell<Option<sharestate::persistent::CommandTransaction>> = const { RefCell::new(None) };
}

/// Memory for the host to write inputs into.
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len);
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    // SAFETY: the host wrote `len` bytes at `ptr`, which `alloc` returned.
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

/// Loads `digest(33) ‖ key(32) ‖ proof`; returns 0, or -1 if malformed.
#[no_mangle]
pub extern "C" fn load_lookup(ptr: *const u8, len: usize) -> i32 {
    match encoding::decode_lookup(input(ptr, len)) {
        Some(l) => {
            LOOKUP.with(|c| *c.borrow_mut() = Some(l));
            0
        }
        None => -1,
    }
}

/// Verifies the loaded lookup: 1 present, 0 absent, -1 error.
#[no_mangle]
pub extern "C" fn run_lookup() -> i32 {
    LOOKUP.with(|c| match &*c.borrow() {
        Some((d, k, p)) => match verify_lookups(d, p, &[*k], None) {
            Ok(v) => v[0].is_some() as i32,
            Err(_) => -1,
        },
        None => -1,
    })
}

/// Loads an encoded payout transaction; returns its number of miners, or -1.
#[no_mangle]
pub extern "C" fn load_payout(ptr: *const u8, len: usize) -> i32 {
    match encoding::decode_payout(input(ptr, len)) {
        Some(tx) => {
            let n = tx.state_updates.len() as i32;
            PAYOUT.with(|c| *c.borrow_mut() = Some(tx));
            n
        }
        None => -1,
    }
}

/// The full contract check of the loaded payout: 1 accepted, 0 rejected, -1 nothing loaded.
#[no_mangle]
pub extern "C" fn run_check() -> i32 {
    PAYOUT.with(|c| match &*c.borrow() {
        Some(tx) => check_payout(tx).accepted as i32,
        None => -1,
    })
}

/// blake2b-256 of a `size`-byte input (at most 128: one compression), `n` times chained: the
/// hash floor. Tree labels hash 66 (internal) and 74 (leaf) bytes.
#[no_mangle]
pub extern "C" fn run_hash(n: u32, size: u32) -> u32 {
    let mut buf = [0u8; 128];
    let size = (size as usize).min(128);
    for _ in 0..n {
        let h = sharestate::encoding::hash::blake2b256(&buf[..size]);
        buf[..32].copy_from_slice(&h);
    }
    buf[0] as u32
}

/// Loads an encoded Design 2 command transaction; returns its number of keys, or -1.
#[no_mangle]
pub extern "C" fn load_command(ptr: *const u8, len: usize) -> i32 {
    match encoding::decode_command(input(ptr, len)) {
        Some(tx) => {
            let n = match &tx.vars {
                sharestate::persistent::CommandVars::Pairs { pairs, .. } => pairs.len(),
                sharestate::persistent::CommandVars::Keys { keys, .. } => keys.len(),
            } as i32;
            COMMAND.with(|c| *c.borrow_mut() = Some(tx));
            n
        }
        None => -1,
    }
}

/// The clause check of the loaded command: 1 accepted, 0 rejected, -1 nothing loaded or unknown.
#[no_mangle]
pub extern "C" fn run_command() -> i32 {
    COMMAND.with(|c| match &*c.borrow() {
        Some(tx) => sharestate::persistent::check_command(tx).map_or(-1, |r| r.accepted as i32),
        None => -1,
    })
}
