//! Token ids past 2^24, up to 2^32 - 1: the reference takes any `u32` id, and so does tokenscope
//! (a vocab with such an id is looked up through a table sorted by id). Expected values from PyPI
//! `tokenizers` 0.23.3: tests/fixtures/large_ids.json, written by tools/reference/gen_large_ids.py.
//! Each file runs from its JSON, compiled and decompiled (the compiled vocab stores ids as
//! differences modulo 2^32).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use tokenscope::Tokenizer;

#[test]
fn ids_up_to_u32_max_encode_and_decode_as_the_reference() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/large_ids.json");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for file in fixture["files"].as_array().unwrap() {
        let name = file["name"].as_str().unwrap();
        let json = file["tokenizer"].to_string();
        let compiled = Tokenizer::compile(&json).unwrap();
        let forms = [
            ("json", Tokenizer::from_json(&json)),
            ("compiled", Tokenizer::from_bytes(&compiled)),
            ("decompiled", Tokenizer::from_json(&Tokenizer::decompile(&compiled).unwrap())),
        ];
        for (form, tok) in forms {
            let tok = tok.unwrap_or_else(|e| panic!("{name} ({form}): {e}"));
            let name = format!("{name} ({form})");
            check(&name, &tok, file);
        }
    }
}

fn check(name: &str, tok: &Tokenizer, file: &Value) {
    for case in file["cases"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        let enc = tok.encode(text, false).unwrap();
        let ids: Vec<u32> = serde_json::from_value(case["ids"].clone()).unwrap();
        let tokens: Vec<String> = serde_json::from_value(case["tokens"].clone()).unwrap();
        let offsets: Vec<(usize, usize)> = serde_json::from_value(case["offsets"].clone()).unwrap();
        assert_eq!(enc.ids, ids, "{name}: ids of {text:?}");
        assert_eq!(enc.tokens.iter().collect::<Vec<_>>(), tokens.iter().map(String::as_str).collect::<Vec<_>>(), "{name}: tokens of {text:?}");
        assert_eq!(enc.offsets, offsets, "{name}: offsets of {text:?}");
        assert_eq!(tok.decode(&ids, false).unwrap(), case["decode"].as_str().unwrap(), "{name}: decode of {text:?}");
    }
}
