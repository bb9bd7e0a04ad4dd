//! Random ids (known, unknown, special) through every decoder of the real tokenizers: text or an
//! error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((tok, skip_special, rest)) = common::pick(data) else { return };
    // Ids mostly inside the vocab, some past it.
    let bound = tok.vocab_size() as u32 + 16;
    let ids: Vec<u32> = rest.chunks(3).map(|c| c.iter().fold(0u32, |a, &b| a << 8 | u32::from(b)) % bound).collect();
    let _ = tok.decode(&ids, skip_special);
});
