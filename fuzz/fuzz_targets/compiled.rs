//! The compiled-file loader on arbitrary bytes: an error or a tokenizer, never a panic or memory
//! out of proportion to the input. Inputs are also resealed (checksum made right) so that the
//! fuzzer gets past the checksum into the sections; a tokenizer that loads must encode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenscope::Tokenizer;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"tokscope\x01\0\0\0\0\0\0\0".to_vec();
    bytes.extend_from_slice(data);
    let sum = adler2::adler32_slice(&bytes[16..]);
    bytes[12..16].copy_from_slice(&sum.to_le_bytes());
    for input in [data, &bytes[..]] {
        if let Ok(tok) = Tokenizer::from_bytes(input) {
            let _ = tok.encode("Hello, fuzzed world: ünïcödé 日本語 12345", true);
            let _ = Tokenizer::decompile(input);
        }
    }
});
