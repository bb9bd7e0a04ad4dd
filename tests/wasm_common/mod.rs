//! Shared by the wasm-bindgen tests (`wasm_node.rs`, `wasm_browser.rs`): the golden vectors of
//! two real tokenizers (GPT-2 and the SuperBPE t=180k file), compiled into the test module since
//! wasm has no file system. Reads `../shared/tokenizers` at compile time (the documented default).

use serde_json::Value;
use tokenscope::utf8_to_utf16_offsets;
use tokenscope::Tokenizer;

pub const TEXTS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/golden/texts.json"));
pub const GPT2_JSON: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tokenizers/gpt2.json"));
pub const GPT2_GOLDEN: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/golden/gpt2.json"));
pub const T180K_JSON: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tokenizers/olmo2-superbpe-t180k.json"));
pub const T180K_GOLDEN: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/golden/olmo2-superbpe-t180k.json"));

fn pairs(v: &Value) -> Vec<(usize, usize)> {
    v.as_array()
        .expect("offsets array")
        .iter()
        .map(|p| (p[0].as_u64().expect("offset") as usize, p[1].as_u64().expect("offset") as usize))
        .collect()
}

/// Encodes every golden text (and pair) and compares ids, tokens, UTF-8 and UTF-16 offsets, type
/// ids and decode with the reference's values; panics with the first mismatches.
pub fn check_golden(tokenizer_json: &str, golden: &str) {
    let tokenizer = Tokenizer::from_json(tokenizer_json).expect("tokenizer loads");
    let texts: Value = serde_json::from_str(TEXTS).expect("texts.json");
    let golden: Value = serde_json::from_str(golden).expect("golden json");
    let text_of = |name: &str| -> String {
        texts["texts"].as_array().unwrap().iter().find(|t| t["name"] == name).expect("text exists")["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let cases = golden["cases"].as_array().expect("cases");
    assert!(cases.len() > 20, "too few golden cases");
    let mut failures = Vec::new();
    for case in cases {
        let text_name = case["text"].as_str().unwrap();
        let text = text_of(text_name);
        let pair = case["pair"].as_str().map(|p| (p, text_of(p)));
        let name = match &pair {
            Some((p, _)) => format!("{text_name} + {p}"),
            None => text_name.to_owned(),
        };
        let special = case["add_special_tokens"].as_bool().unwrap();
        let enc = match &pair {
            Some((_, b)) => tokenizer.encode_pair(&text, b, special),
            None => tokenizer.encode(&text, special),
        }
        .expect("encode");
        let ids: Vec<u32> = case["ids"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
        let tokens: Vec<String> = case["tokens"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        if enc.ids != ids {
            failures.push(format!("{name}: ids differ"));
        }
        if enc.tokens != tokens {
            failures.push(format!("{name}: tokens differ"));
        }
        if enc.offsets != pairs(&case["offsets_utf8"]) {
            failures.push(format!("{name}: UTF-8 offsets differ"));
        }
        // A pair's tokens have offsets into their own sequence's text.
        let second = pair.as_ref().map_or("", |(_, b)| b.as_str());
        let in_second: Vec<bool> = enc.sequence_ids.iter().map(|s| *s == Some(1)).collect();
        let convert = |t: &str, want: bool| {
            let picked: Vec<(usize, usize)> = enc.offsets.iter().zip(&in_second).filter(|(_, &s)| s == want).map(|(o, _)| *o).collect();
            utf8_to_utf16_offsets(t, &picked).into_iter()
        };
        let (mut first_units, mut second_units) = (convert(&text, false), convert(second, true));
        let utf16: Vec<(usize, usize)> =
            in_second.iter().map(|&s| if s { second_units.next() } else { first_units.next() }.unwrap_or_default()).collect();
        if utf16 != pairs(&case["offsets_utf16"]) {
            failures.push(format!("{name}: UTF-16 offsets differ"));
        }
        let type_ids: Vec<u32> = case["type_ids"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
        if enc.type_ids != type_ids {
            failures.push(format!("{name}: type ids differ"));
        }
        if tokenizer.decode(&ids, false).expect("decode") != case["decode"].as_str().unwrap() {
            failures.push(format!("{name}: decode differs"));
        }
    }
    assert!(failures.is_empty(), "{} mismatches: {:?}", failures.len(), &failures[..failures.len().min(10)]);
}

/// The superword example of the SuperBPE paper's tokenizer, with ids from the reference.
pub fn check_superword() {
    let tokenizer = Tokenizer::from_json(T180K_JSON).expect("tokenizer loads");
    let enc = tokenizer.encode("By the way, I am a fan of the Milky Way.", false).expect("encode");
    assert_eq!(enc.ids, vec![189205, 181251, 244, 4332, 180235, 199785, 13]);
    assert_eq!(&enc.tokens[0], "ByĠtheĠway");
}
