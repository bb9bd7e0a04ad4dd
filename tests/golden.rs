//! Golden vectors: every test text through every tokenizer, compared with PyPI `tokenizers`
//! 0.23.3 (ids, tokens, UTF-8 and UTF-16 offsets, decode).
//!
//! The expected values live in `tests/golden/<tokenizer>.json` and `tests/golden/texts.json`,
//! written by `scripts/gen_golden.py` with the reference library. Each test loads its tokenizer
//! once, runs all cases and reports every mismatch before failing.
//!
//! The golden file records the tokenizer file's sha256 and length; this test checks the length
//! only (no hashing dependency), which is enough to catch a different package version.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{HashMap, HashSet};

use common::{load_golden, load_texts, load_tokenizer, Report, NPM_TOKENIZERS, SHARED_TOKENIZERS};

fn run_golden(name: &str) {
    let golden = load_golden(name);
    assert_eq!(
        golden.tokenizer, name,
        "tests/golden/{name}.json names another tokenizer"
    );
    let texts: HashMap<String, String> =
        load_texts().into_iter().map(|t| (t.name, t.text)).collect();
    let tok = load_tokenizer(name, Some(golden.bytes));

    let mut report = Report::default();
    for case in &golden.cases {
        let text = texts.get(&case.text).unwrap_or_else(|| {
            panic!(
                "tests/golden/{name}.json refers to text {:?}, missing from texts.json; regenerate",
                case.text
            )
        });
        report.check(
            &tok,
            &format!("text `{}`", case.text),
            text,
            case.add_special_tokens,
            &case.expected,
        );
    }
    report.finish(&format!(
        "{name} ({}, sha256 {}, reference tokenizers {})",
        golden.source, golden.sha256, golden.tokenizers_version
    ));
}

#[test]
fn golden_olmo2_bpe_200k() {
    run_golden("olmo2-bpe-200k");
}

#[test]
fn golden_olmo2_superbpe_t180k() {
    run_golden("olmo2-superbpe-t180k");
}

#[test]
fn golden_olmo2_superbpe_t100k() {
    run_golden("olmo2-superbpe-t100k");
}

#[test]
fn golden_gpt2() {
    run_golden("gpt2");
}

#[test]
fn golden_gpt4o() {
    run_golden("gpt4o");
}

#[test]
fn golden_gpt35turbo() {
    run_golden("gpt35turbo");
}

#[test]
fn golden_llama3() {
    run_golden("llama3");
}

#[test]
fn golden_qwen3() {
    run_golden("qwen3");
}

#[test]
fn golden_deepseek_v3() {
    run_golden("deepseek_v3");
}

/// The golden data itself is complete: every tokenizer has a file, every text is encoded without
/// special tokens by every tokenizer, and the 100 KB line is intact. Needs no tokenizer file.
#[test]
fn golden_files_cover_every_text() {
    let texts = load_texts();
    assert!(
        texts.len() >= 40,
        "texts.json has only {} texts",
        texts.len()
    );
    let long = texts
        .iter()
        .find(|t| t.name == "long_line_100k_no_whitespace")
        .expect("texts.json lacks long_line_100k_no_whitespace");
    assert_eq!(
        long.text.len(),
        100 * 1024,
        "the long line must be exactly 102400 bytes"
    );
    assert!(long.text.is_ascii() && !long.text.chars().any(char::is_whitespace));

    let names: HashSet<&str> = texts.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names.len(),
        texts.len(),
        "duplicate text names in texts.json"
    );
    for name in SHARED_TOKENIZERS.iter().chain(NPM_TOKENIZERS.iter()) {
        let golden = load_golden(name);
        let plain: HashSet<&str> = golden
            .cases
            .iter()
            .filter(|c| !c.add_special_tokens)
            .map(|c| c.text.as_str())
            .collect();
        let missing: Vec<&&str> = names.iter().filter(|n| !plain.contains(**n)).collect();
        assert!(
            missing.is_empty(),
            "tests/golden/{name}.json lacks texts {missing:?}; regenerate"
        );
        for c in &golden.cases {
            let e = &c.expected;
            assert!(
                e.ids.len() == e.tokens.len()
                    && e.ids.len() == e.offsets_utf8.len()
                    && e.ids.len() == e.offsets_utf16.len(),
                "tests/golden/{name}.json, text {}: arrays of different lengths",
                c.text
            );
        }
    }
}
