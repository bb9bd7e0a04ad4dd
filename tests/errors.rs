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
        (r#"{"model": {"vocab": {}}}"#.into(), ErrorKind::InvalidComponent, "no `type` and no `merges`"),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}"#.into(), ErrorKind::InvalidComponent, "merge 0 names token \"b\""),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a a a"]}}"#.into(), ErrorKind::Json, "not two tokens separated by one space"),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}}"#.into(), ErrorKind::InvalidComponent, "token \"ab\", which is not in the vocab"),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "dropout": 0.1}}"#.into(), ErrorKind::Unsupported, "dropout"),
        (with("normalizer", r#"{"type": "Uppercase"}"#), ErrorKind::Unsupported, "unsupported normalizer: type `Uppercase`"),
        (with("normalizer", r#"{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Strip"}]}"#), ErrorKind::InvalidComponent, "Strip without `strip_left`"),
        (with("pre_tokenizer", r#"{"type": "Bytelevel"}"#), ErrorKind::Unsupported, "unsupported pre_tokenizer: type `Bytelevel`"),
        (with("pre_tokenizer", r#"{"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated", "invert": false}"#), ErrorKind::InvalidComponent, "regex \"(unclosed\""),
        (with("pre_tokenizer", r#"{"type": "Split", "pattern": {"Regex": "a"}, "behavior": "Sideways", "invert": false}"#), ErrorKind::Unsupported, "Split behavior `Sideways`"),
        (with("pre_tokenizer", r#"{"type": "Sequence", "pretokenizers": [{"type": "Sequence", "pretokenizers": [{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false}]}, {"type": "Digits", "individual_digits": true}]}"#), ErrorKind::Unsupported, "a Sequence ending in ByteLevel followed by"),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "dropout": 1.5}}"#.into(), ErrorKind::InvalidComponent, "dropout` 1.5 is not between 0 and 1"),
        (r#"{"version": "3.0", "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}"#.into(), ErrorKind::Unsupported, "`version` \"3.0\""),
        (r#"{"version": "2.0", "model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "byte_level": true}, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false}}"#.into(), ErrorKind::InvalidComponent, "mapped twice"),
        (r#"{"version": "2.0", "model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}, "post_processor": {"type": "TemplateProcessing", "single": [{"ids": [7]}, {"seq": "A"}], "pair": [{"seq": "A"}, {"seq": "B"}]}}"#.into(), ErrorKind::InvalidComponent, "names id 7, which is in no vocab"),
        (with("normalizer", r#"{"type": "MetaspaceNormalizer", "replacement": "▁", "prepend": "sometimes", "drop_whitespace": false}"#), ErrorKind::InvalidComponent, "`prepend` \"sometimes\""),
        (with("normalizer", r#"{"type": "MetaspaceNormalizer", "replacement": "▁▁", "prepend": "always", "drop_whitespace": false}"#), ErrorKind::InvalidComponent, "one char"),
        (with("post_processor", r#"{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}], "special_tokens": {}}"#), ErrorKind::InvalidComponent, "special token `<s>`"),
        (with("decoder", r#"{"type": "Unigram"}"#), ErrorKind::Unsupported, "unsupported decoder: type `Unigram`"),
        (r#"{"model": {"type": "Bigram", "vocab": {}}}"#.into(), ErrorKind::Unsupported, "unsupported model: type `Bigram`"),
        (r###"{"model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100}}"###.into(), ErrorKind::Json, "vocab"),
        (r#"{"model": {"type": "WordLevel", "vocab": {"a": "zero"}, "unk_token": "a"}}"#.into(), ErrorKind::Json, "model"),
        (r#"{"model": {"type": "Unigram", "vocab": [["a", -1.0]], "unk_id": 5}}"#.into(), ErrorKind::InvalidComponent, "past the vocab"),
        (r#"{"model": {"type": "Unigram", "vocab": {"a": 0}, "unk_id": null}}"#.into(), ErrorKind::Json, "model"),
        (with("normalizer", r#"{"type": "Replace", "pattern": {"Regex": "(a"}, "content": "b"}"#), ErrorKind::InvalidComponent, "(a"),
        (with("normalizer", r#"{"type": "Replace", "pattern": {"Glob": "a*"}, "content": "b"}"#), ErrorKind::Json, "unknown variant `Glob`"),
        (with("normalizer", r#"{"type": "Precompiled", "precompiled_charsmap": "not base64!"}"#), ErrorKind::InvalidComponent, "precompiled_charsmap"),
        (with("normalizer", r#"{"type": "Prepend"}"#), ErrorKind::InvalidComponent, "prepend"),
        (with("normalizer", r#"{"type": "BertNormalizer", "clean_text": "yes", "handle_chinese_chars": true, "strip_accents": null, "lowercase": true}"#), ErrorKind::Json, "expected a boolean at line 1"),
        (with("normalizer", r#"{"normalizers": []}"#), ErrorKind::Json, "type"),
        (with("pre_tokenizer", r#"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "sometimes", "split": true}"#), ErrorKind::Unsupported, "prepend_scheme `sometimes`"),
        (with("pre_tokenizer", r#"{"type": "Metaspace", "replacement": "▁", "add_prefix_space": false, "prepend_scheme": "first", "split": true}"#), ErrorKind::InvalidComponent, "add_prefix_space"),
        (with("pre_tokenizer", r#"{"type": "FixedLength", "length": 0}"#), ErrorKind::InvalidComponent, "length"),
        (with("pre_tokenizer", r#"{"type": "CharDelimiterSplit", "delimiter": "ab"}"#), ErrorKind::Json, "expected a character"),
        (with("pre_tokenizer", r#"{"type": "Digits"}"#), ErrorKind::InvalidComponent, "individual_digits"),
        (with("pre_tokenizer", r#"{"type": "Punctuation", "behavior": "Sideways"}"#), ErrorKind::Unsupported, "Sideways"),
        (with("post_processor", r#"{"type": "Postprocess"}"#), ErrorKind::Unsupported, "unsupported post_processor: type `Postprocess`"),
        (with("post_processor", r#"{"type": "BertProcessing", "cls": ["[CLS]", 0]}"#), ErrorKind::InvalidComponent, "BertProcessing without `sep`"),
        (with("post_processor", r#"{"type": "RobertaProcessing", "sep": ["</s>"], "cls": ["<s>", 0]}"#), ErrorKind::Json, "expected a tuple of size 2"),
        (with("post_processor", r#"{"type": "TemplateProcessing", "single": [{"Sequence": {"id": "B", "type_id": 0}}], "pair": [], "special_tokens": {}}"#), ErrorKind::InvalidComponent, "`single` template names sequence `B`"),
        (with("post_processor", r#"{"type": "TemplateProcessing", "single": [{"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {}}"#), ErrorKind::InvalidComponent, "without `pair`"),
        (with("decoder", r#"{"type": "Strip", "start": 1, "stop": 0}"#), ErrorKind::Json, "content"),
        (with("decoder", r#"{"type": "Replace", "pattern": {"Regex": "[z-a]"}, "content": ""}"#), ErrorKind::InvalidComponent, "[z-a]"),
        (with("decoder", r#"{"type": "Metaspace", "replacement": "▁", "add_prefix_space": false, "prepend_scheme": "always", "split": true}"#), ErrorKind::InvalidComponent, "add_prefix_space"),
        (with("truncation", r#"{"max_length": 8, "strategy": "Middle", "stride": 0}"#), ErrorKind::Json, "Middle"),
        (with("truncation", r#"{"strategy": "LongestFirst", "stride": 0}"#), ErrorKind::Json, "max_length"),
        (with("padding", r#"{"strategy": {"Fixed": "eight"}, "direction": "Right", "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"}"#), ErrorKind::Json, "padding"),
        (with("padding", r#"{"strategy": "BatchLongest", "direction": "Up", "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"}"#), ErrorKind::Json, "Up"),
    ];
    let mut failures = Vec::new();
    for (json, kind, needle) in &table {
        match Tokenizer::from_json(json) {
            Ok(_) => failures.push(format!("{json}\n  loaded, expected a {kind:?} error")),
            Err(err) if err.kind() != *kind || !err.to_string().contains(needle) => {
                failures.push(format!("{json}\n  got {:?}: {err}\n  expected {kind:?} containing {needle:?}", err.kind()))
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), table.len(), failures.join("\n"));
}

#[test]
fn encode_time_errors_name_the_setting() {
    // Truncation settings the reference itself fails on (an error or a panic there).
    let only_second = format!(r#"{{"truncation": {{"max_length": 3, "strategy": "OnlySecond", "stride": 0}}, "model": {BPE}}}"#);
    let tok = Tokenizer::from_json(&only_second).unwrap();
    let err = tok.encode("abababab", false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Input);
    assert!(err.to_string().contains("OnlySecond needs a second sequence"), "{err}");
    assert_eq!(tok.encode_pair("abab", "abab", false).unwrap().ids, vec![2, 2, 2]);
    let stride = format!(r#"{{"truncation": {{"max_length": 2, "strategy": "LongestFirst", "stride": 2}}, "model": {BPE}}}"#);
    let err = Tokenizer::from_json(&stride).unwrap().encode("ababab", false).unwrap_err();
    assert!(err.to_string().contains("stride 2 must be less than the kept length 2"), "{err}");
    // Overflowing parts: a pair of 3,000-token texts cut to 2 + 2 tokens, stride 1, would make
    // about 9 million parts (the reference's cross product): an error, not gigabytes.
    let parts = format!(r#"{{"truncation": {{"max_length": 4, "strategy": "LongestFirst", "stride": 1}}, "model": {BPE}}}"#);
    let tok = Tokenizer::from_json(&parts).unwrap();
    let long = "ab".repeat(3000);
    let err = tok.encode_pair(&long, &long, false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Input);
    assert!(err.to_string().contains("overflowing parts"), "{err}");
    // A few parts are fine: 6 tokens cut to 4 with stride 1 → [0..4], [3..6].
    assert_eq!(tok.encode(&"ab".repeat(6), false).unwrap().overflowing.len(), 1);
    // `encode_ids` and `count` build no parts, so they answer where `encode` gives up.
    assert_eq!(tok.encode_pair_ids(&long, &long, false).unwrap().len(), 4);
    assert_eq!(tok.count_pair(&long, &long, false).unwrap(), 4);
}

/// What multiplies overflowing parts beyond the input's size is bounded (see
/// `max_overflowing_tokens`); a long document cut without a stride is not.
#[test]
fn overflowing_parts_are_bounded_but_long_documents_fit() {
    let words = r#"{"type": "WordLevel", "vocab": {"a": 0, "b": 1, "[UNK]": 2}, "unk_token": "[UNK]"}"#;
    let file = |truncation: &str, extra: &str| {
        format!(r#"{{"truncation": {truncation}, "pre_tokenizer": {{"type": "WhitespaceSplit"}}, "model": {words}{extra}}}"#)
    };
    let cut = |max: usize, stride: usize| format!(r#"{{"max_length": {max}, "strategy": "LongestFirst", "stride": {stride}}}"#);
    // A template naming $A three times: the parts grow as their number cubed (40 words: 726,446
    // parts in the reference).
    let template = r#", "post_processor": {"type": "TemplateProcessing", "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}], "special_tokens": {}}"#;
    let tok = Tokenizer::from_json(&file(&cut(2, 1), template)).unwrap();
    let err = tok.encode(&"a ".repeat(40), false).unwrap_err();
    assert!(err.to_string().contains("overflowing parts would hold more than"), "{err}");
    // Padding each of 2,000 parts to 100,000 tokens.
    let padding = r#", "padding": {"strategy": {"Fixed": 100000}, "direction": "Right", "pad_to_multiple_of": null, "pad_id": 2, "pad_type_id": 0, "pad_token": "[UNK]"}"#;
    let tok = Tokenizer::from_json(&file(&cut(2, 1), padding)).unwrap();
    assert!(tok.encode(&"a ".repeat(2000), false).is_err());
    // 4.5 million tokens cut into 512s without a stride: parts as long as the text, returned.
    let tok = Tokenizer::from_json(&file(&cut(512, 0), "")).unwrap();
    let e = tok.encode(&"a b ".repeat(1 << 21), false).unwrap();
    assert_eq!((e.len(), e.overflowing.len()), (512, (1 << 22) / 512 - 1));
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

/// Hostile files: each fails with an error naming the problem (with line and column for JSON),
/// without a panic, a hang (each load here takes well under a second) or unbounded memory.
#[test]
fn hostile_files_fail_with_named_errors() {
    let gpt2 = std::fs::read_to_string(
        std::env::var_os("TOKENSCOPE_SHARED_TOKENIZERS")
            .map_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tokenizers"), Into::into)
            .join("gpt2.json"),
    )
    .expect("../shared/tokenizers/gpt2.json");
    // Sequences of Sequences 10,000 deep: read recursively, so serde_json's depth limit must stop
    // it before the stack overflows.
    let nested = format!("{}{{\"type\": \"NFC\"}}{}", r#"{"type": "Sequence", "normalizers": ["#.repeat(10_000), "]}".repeat(10_000));
    let deep = format!(r#"{{"model": {BPE}, "normalizer": {nested}}}"#);
    let table: Vec<(&str, String, ErrorKind, &str)> = vec![
        ("a real file cut in half", gpt2[..gpt2.len() / 2].to_owned(), ErrorKind::Json, "EOF while parsing"),
        ("a real file cut in half", gpt2[..gpt2.len() / 2].to_owned(), ErrorKind::Json, " column "),
        ("nesting 10,000 deep", deep, ErrorKind::Json, "recursion limit exceeded at line 1 column"),
        ("the model is a string", r#"{"model": "BPE"}"#.into(), ErrorKind::Json, "line 1 column"),
        ("merges name unknown tokens", r#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["x y"]}}"#.into(), ErrorKind::InvalidComponent, "merge 0 names token \"x\""),
        ("a negative id", r#"{"model": {"type": "BPE", "vocab": {"a": -1}, "merges": []}}"#.into(), ErrorKind::Json, "line 1 column"),
        ("an id of 2^32", r#"{"model": {"type": "BPE", "vocab": {"a": 4294967296}, "merges": []}}"#.into(), ErrorKind::Json, "line 1 column"),
        ("an invalid regex", with("pre_tokenizer", r#"{"type": "Split", "pattern": {"Regex": "+a"}, "behavior": "Isolated", "invert": false}"#), ErrorKind::InvalidComponent, "regex \"+a\""),
        ("a NUL in JSON text", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\u{0}\": 0}, \"merges\": []}}".into(), ErrorKind::Json, "control character"),
    ];
    for (what, json, kind, needle) in table {
        let started = std::time::Instant::now();
        let err = match Tokenizer::from_json(&json) {
            Ok(_) => panic!("{what}: loaded"),
            Err(e) => e,
        };
        assert_eq!(err.kind(), kind, "{what}: {err}");
        assert!(err.to_string().contains(needle), "{what}: {err:?} does not mention {needle:?}");
        // A hang guard, not a speed check: each of these is rejected at once.
        assert!(started.elapsed().as_secs() < 20, "{what}: took {:?}", started.elapsed());
    }
}

/// A catastrophic regex (exponential backtracking) gives up with an error on the text that
/// triggers it, instead of hanging; other texts still encode.
#[test]
fn a_catastrophic_regex_gives_up_with_an_error() {
    let tok = Tokenizer::from_json(&with("pre_tokenizer", r#"{"type": "Split", "pattern": {"Regex": "((a|a)*)\\1c"}, "behavior": "Isolated", "invert": false}"#)).unwrap();
    let started = std::time::Instant::now();
    let err = tok.encode(&format!("{}b", "a".repeat(26)), false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Input);
    assert!(err.to_string().contains("regex gave up on this text"), "{err}");
    assert!(started.elapsed().as_secs() < 60, "took {:?}", started.elapsed());
    // No match: "ab" is one piece, merged by "a b".
    assert_eq!(tok.encode("ab", false).unwrap().ids, [2]);
}

/// A run of more than 32 MiB that nothing splits (here 33 MiB of one letter, one piece for GPT-2)
/// is an error, not gigabytes of merge state; the same text with spaces in it encodes.
#[test]
fn a_huge_run_without_split_point_is_an_error() {
    let path = std::env::var_os("TOKENSCOPE_SHARED_TOKENIZERS")
        .map_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tokenizers"), Into::into)
        .join("gpt2.json");
    let tok = Tokenizer::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let run = "a".repeat(33 << 20);
    let err = tok.count(&run, false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Input);
    assert!(err.to_string().contains("a run of 34603008 bytes with no split point is over the 32 MiB"), "{err}");
    // PyPI tokenizers 0.23.3: "a", then " a" per further word, then the final " ".
    let words = "a ".repeat(1 << 20);
    assert_eq!(tok.count(&words, false).unwrap(), (1 << 20) + 1);
}

/// A 200 MB file (a valid start, then 200 MB of whitespace, never closed): an end-of-file error
/// with line and column, read once (the file's own memory and no copy of it).
#[test]
fn a_200_mb_file_fails_with_the_json_error() {
    let json = format!("{{\"model\": {BPE},{}", " ".repeat(200 << 20));
    let started = std::time::Instant::now();
    let err = match Tokenizer::from_json(&json) {
        Ok(_) => panic!("loaded"),
        Err(e) => e,
    };
    assert_eq!(err.kind(), ErrorKind::Json);
    assert!(err.to_string().contains("EOF while parsing a value at line 1 column 209715281"), "{err}");
    // A hang guard, not a speed check (about a second here).
    assert!(started.elapsed().as_secs() < 60, "took {:?}", started.elapsed());
}

/// Duplicate ids and duplicate keys are not errors in the reference: the last key wins in the
/// vocab, and an id held by two tokens decodes to the one the reference keeps. PyPI tokenizers
/// 0.23.3 on "ab a b": [1, 1] ("ab", "ab") for both files.
#[test]
fn duplicate_ids_and_keys_load_as_the_reference_loads_them() {
    let cases = [
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 0, "ab": 1}, "merges": ["a b"]}}"#, ["ab", "ab"]),
        (r#"{"model": {"type": "BPE", "vocab": {"a": 0, "a": 1}, "merges": []}}"#, ["a", "a"]),
    ];
    for (json, tokens) in cases {
        let enc = Tokenizer::from_json(json).unwrap().encode("ab a b", false).unwrap();
        assert_eq!(enc.ids, [1, 1], "{json}");
        assert_eq!(enc.tokens.to_vec(), tokens, "{json}");
    }
}
