//! Table of malformed and unsupported `tokenizer.json` inputs: each must give a clear error of the
//! right kind that names the stage and the offending value, never a panic.
#![cfg(not(target_arch = "wasm32"))]

use tokenscope::{ErrorKind, Tokenizer};

const BPE: &str = r#"{"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}"#;

fn with(field: &str, value: &str) -> String {
    format!(r#"{{"{field}": {value}, "model": {BPE}}}"#)
}

#[test]
fn bad_files_give_named_errors() {
    let table: Vec<(String, ErrorKind, &str)> = vec![
        ("".into(), ErrorKind::Json, "EOF while parsing"),
        ("{".into(), ErrorKind::Json, "line 1 column 1"),
        ("[]".into(), ErrorKind::Json, "must be a JSON object"),
        ("{}".into(), ErrorKind::Json, "missing field `model`"),
        (r#"{"model": {"type": "WordPiece", "vocab": {}}}"#.into(), ErrorKind::Unsupported, "unsupported model: type `WordPiece`"),
        (r#"{"model": {"vocab": {}}}"#.into(), ErrorKind::InvalidComponent, "no `type` and no `merges`"),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}"#.into(), ErrorKind::InvalidComponent, "merge 0 names token \"b\""),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a a a"]}}"#.into(), ErrorKind::Json, "not two tokens separated by one space"),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}}"#.into(), ErrorKind::InvalidComponent, "token \"ab\", which is not in the vocab"),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "dropout": 0.1}}"#.into(), ErrorKind::Unsupported, "dropout"),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 4000000000}, "merges": []}}"#.into(), ErrorKind::InvalidComponent, "token id 4000000000"),
        (with("normalizer", r#"{"type": "Uppercase"}"#), ErrorKind::Unsupported, "unsupported normalizer: type `Uppercase`"),
        (with("normalizer", r#"{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Strip"}]}"#), ErrorKind::InvalidComponent, "Strip without `strip_left`"),
        (with("pre_tokenizer", r#"{"type": "Bytelevel"}"#), ErrorKind::Unsupported, "unsupported pre_tokenizer: type `Bytelevel`"),
        (with("pre_tokenizer", r#"{"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated", "invert": false}"#), ErrorKind::InvalidComponent, "regex \"(unclosed\""),
        (with("pre_tokenizer", r#"{"type": "Split", "pattern": {"Regex": "a"}, "behavior": "Sideways", "invert": false}"#), ErrorKind::Unsupported, "Split behavior `Sideways`"),
        (with("pre_tokenizer", r#"{"type": "Sequence", "pretokenizers": [{"type": "ByteLevel"}, {"type": "Digits"}]}"#), ErrorKind::Unsupported, "ByteLevel followed by"),
        (with("post_processor", r#"{"type": "BertProcessing", "sep": ["[SEP]", 1], "cls": ["[CLS]", 0]}"#), ErrorKind::Unsupported, "unsupported post_processor: type `BertProcessing`"),
        (with("post_processor", r#"{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}], "special_tokens": {}}"#), ErrorKind::InvalidComponent, "special token `<s>`"),
        (with("decoder", r#"{"type": "Unigram"}"#), ErrorKind::Unsupported, "unsupported decoder: type `Unigram`"),
        (with("truncation", r#"{"max_length": 8}"#), ErrorKind::Unsupported, "unsupported truncation"),
        (with("padding", r#"{"strategy": "BatchLongest"}"#), ErrorKind::Unsupported, "unsupported padding"),
    ];
    for (json, kind, needle) in table {
        let err = Tokenizer::from_json(&json).expect_err(&json);
        assert_eq!(err.kind(), kind, "{json}: {err}");
        assert!(err.to_string().contains(needle), "{json}: message {err:?} lacks {needle:?}");
    }
}

#[test]
fn missing_unk_token_fails_only_when_needed() {
    // As the reference: the file loads; encoding a char outside the vocab needs the unk token.
    let tok = Tokenizer::from_json(r#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "unk_token": "<unk>"}}"#).unwrap();
    assert_eq!(tok.encode("aa", false).unwrap().ids, vec![0, 0]);
    let err = tok.encode("ab", false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Input);
    assert!(err.to_string().contains("unk_token \"<unk>\" is not in the vocab"), "{err}");
}

#[test]
fn minimal_bpe_loads_and_merges() {
    let tok = Tokenizer::from_json(&format!(r#"{{"model": {BPE}}}"#)).unwrap();
    let enc = tok.encode("abab", false).unwrap();
    assert_eq!(enc.ids, vec![2, 2]);
    assert_eq!(enc.offsets, vec![(0, 2), (2, 4)]);
    assert_eq!(tok.count("abab", false).unwrap(), 2);
    // No decoder: the reference joins tokens with spaces.
    assert_eq!(tok.decode(&[2, 2, 99], false).unwrap(), "ab ab");
}
