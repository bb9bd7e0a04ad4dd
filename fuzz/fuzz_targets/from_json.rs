//! Any bytes as a tokenizer.json: an error or a tokenizer, never a panic or a hang; a tokenizer
//! that loads encodes, counts and decodes without panicking. Seeds: the repo's real files.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokenscope::Tokenizer;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else { return };
    let Ok(tok) = Tokenizer::from_json(json) else { return };
    for text in ["", "By the way, I am a fan of the Milky Way.", "東京 🙂 1234567\n\t  x"] {
        if let Ok(enc) = tok.encode(text, true) {
            assert_eq!(tok.count(text, true).ok(), Some(enc.ids.len()));
            let _ = tok.decode(&enc.ids, false);
        }
    }
});
