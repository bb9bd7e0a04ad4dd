//! The differential golden of `Split` regexes (tests/fixtures/patterns/golden.json, written by
//! tools/reference/gen_pattern_golden.py with PyPI `tokenizers` 0.23.3): each pattern, as the whole
//! pre-tokenizer in front of a WordLevel model that makes every piece one unk token, must split
//! each text where the reference splits it (token offsets, UTF-8 bytes), or be refused where the
//! reference refuses it.
//!
//! Where tokenscope differs (issue 18: the Oniguruma dialect), the patterns are listed in
//! tests/fixtures/patterns/known_differences.json: the test fails on any pair that differs and is
//! not listed (a regression), on any listed pair that no longer differs (a fix: shorten the list),
//! and on any listed pattern that is not refused with an `Unsupported` error naming its construct
//! (no silent difference). `TOKENSCOPE_WRITE_KNOWN=1 cargo test --test patterns` rewrites the list.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use tokenscope::Tokenizer;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/patterns").join(name)
}

/// The tokenizer.json the generator builds for `pattern`.
fn tokenizer_json(pattern: &str) -> String {
    json!({
        "model": {"type": "WordLevel", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"},
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": false},
    })
    .to_string()
}

/// Per pattern: `"refused: …"` when we refuse a pattern the reference compiles, or the indices
/// of the texts we split differently.
fn differences(golden: &Value) -> BTreeMap<String, Value> {
    let patterns: Vec<&str> = golden["patterns"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let texts: Vec<&str> = golden["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    let mut loaded: BTreeMap<usize, Result<Tokenizer, String>> = BTreeMap::new();
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    for case in golden["cases"].as_array().unwrap() {
        let p = case["pattern"].as_u64().unwrap() as usize;
        let tok = loaded.entry(p).or_insert_with(|| Tokenizer::from_json(&tokenizer_json(patterns[p])).map_err(|e| e.to_string()));
        if let Some(error) = case.get("error") {
            if tok.is_ok() {
                out.insert(patterns[p].to_string(), json!(format!("loaded; the reference refuses it: {error}")));
            }
            continue;
        }
        let tok = match tok {
            Ok(tok) => tok,
            Err(e) => {
                out.insert(patterns[p].to_string(), json!(format!("refused: {e}")));
                continue;
            }
        };
        let t = case["text"].as_u64().unwrap() as usize;
        let want: Vec<(usize, usize)> = case["offsets"].as_array().unwrap().iter().map(|o| (o[0].as_u64().unwrap() as usize, o[1].as_u64().unwrap() as usize)).collect();
        let got = tok.encode(texts[t], false).map(|e| e.offsets);
        if got.as_ref().ok() != Some(&want) {
            let entry = out.entry(patterns[p].to_string()).or_insert_with(|| json!([]));
            if let Some(list) = entry.as_array_mut() {
                list.push(json!(t));
            }
        }
    }
    out
}

#[test]
fn split_patterns_match_the_reference() {
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(fixture("golden.json")).unwrap()).unwrap();
    let pairs = golden["cases"].as_array().unwrap().iter().filter(|c| c.get("text").is_some()).count();
    assert!(pairs >= 5000, "only {pairs} (pattern, text) pairs");
    let found = differences(&golden);
    let known_file = fixture("known_differences.json");
    if std::env::var_os("TOKENSCOPE_WRITE_KNOWN").is_some() {
        std::fs::write(&known_file, serde_json::to_string_pretty(&found).unwrap() + "\n").unwrap();
    }
    let known: BTreeMap<String, Value> = serde_json::from_str(&std::fs::read_to_string(&known_file).unwrap()).unwrap();
    let mut wrong = Vec::new();
    for (pattern, what) in &found {
        match known.get(pattern) {
            Some(k) if k == what => {}
            Some(k) => wrong.push(format!("{pattern:?}: now {what}, listed as {k}")),
            None => wrong.push(format!("{pattern:?}: differs from the reference and is not listed: {what}")),
        }
    }
    for pattern in known.keys().filter(|p| !found.contains_key(*p)) {
        wrong.push(format!("{pattern:?}: listed as different but now matches the reference: remove it from the list"));
    }
    assert!(wrong.is_empty(), "{}\n(TOKENSCOPE_WRITE_KNOWN=1 rewrites tests/fixtures/patterns/known_differences.json)", wrong.join("\n"));
    // Nothing differs silently: each pattern left is refused with an error naming its construct.
    let silent: Vec<&String> = found.iter().filter(|(_, v)| !v.as_str().is_some_and(|v| v.starts_with("refused: unsupported"))).map(|(p, _)| p).collect();
    assert!(silent.is_empty(), "patterns splitting differently from the reference without an error: {silent:?}");
}
