//! Small pipelines built with PyPI `tokenizers` 0.23.3 (`Tokenizer(...).to_str()`), for behaviours
//! no golden file exercises. Every expected value was printed by the reference for the same file
//! and text (its char offsets converted to UTF-8 bytes by hand).
#![cfg(not(target_arch = "wasm32"))]

use tokenscope::Tokenizer;

/// `ByteLevel` pre-tokenizer in front of `WordLevel`: the model sees the GPT-2 alphabet.
const WORDLEVEL_BYTE_LEVEL: &str = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,"pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true},"post_processor":null,"decoder":null,"model":{"type":"WordLevel","vocab":{"Ġa":0,"[UNK]":1,"b":2},"unk_token":"[UNK]"}}"#;
/// `ByteLevel` pre-tokenizer in front of `Unigram`.
const UNIGRAM_BYTE_LEVEL: &str = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,"pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true},"post_processor":null,"decoder":null,"model":{"type":"Unigram","unk_id":0,"vocab":[["[UNK]",0.0],["Ġa",-1.0],["b",-2.0],["Ġ",-3.0],["a",-3.0]],"byte_fallback":false}}"#;
/// A `normalized` added token (`HeLLo`) behind a `Lowercase` normalizer.
const NORMALIZED_ADDED: &str = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[{"id":2,"content":"HeLLo","single_word":false,"lstrip":false,"rstrip":false,"normalized":true,"special":false}],"normalizer":{"type":"Lowercase"},"pre_tokenizer":{"type":"WhitespaceSplit"},"post_processor":null,"decoder":null,"model":{"type":"WordLevel","vocab":{"[UNK]":0,"x":1},"unk_token":"[UNK]"}}"#;

fn encode(json: &str, text: &str) -> (Vec<u32>, Vec<String>, Vec<(usize, usize)>) {
    let enc = Tokenizer::from_json(json).unwrap().encode(text, false).unwrap();
    (enc.ids, enc.tokens.to_vec(), enc.offsets)
}

#[test]
fn byte_level_pre_tokenizer_feeds_mapped_text_to_other_models() {
    let (ids, tokens, offsets) = encode(WORDLEVEL_BYTE_LEVEL, " a b");
    assert_eq!((ids, tokens, offsets), (vec![0, 1], vec!["Ġa".into(), "[UNK]".into()], vec![(0, 2), (2, 4)]));
    // `é` is two bytes, two GPT-2 chars; the unknown word covers the whole char.
    assert_eq!(encode(WORDLEVEL_BYTE_LEVEL, "é a").2, vec![(0, 2), (2, 4)]);
    let (ids, tokens, offsets) = encode(UNIGRAM_BYTE_LEVEL, " a b");
    assert_eq!((ids, tokens, offsets), (vec![1, 3, 2], vec!["Ġa".into(), "Ġ".into(), "b".into()], vec![(0, 2), (2, 3), (3, 4)]));
    // Unigram's unknown token is spelled as the (mapped) text it covers.
    let (ids, tokens, offsets) = encode(UNIGRAM_BYTE_LEVEL, "é a");
    assert_eq!((ids, tokens, offsets), (vec![0, 1], vec!["Ã©".into(), "Ġa".into()], vec![(0, 2), (2, 4)]));
}

#[test]
fn normalized_added_token_is_spelled_normalized() {
    let tok = Tokenizer::from_json(NORMALIZED_ADDED).unwrap();
    let enc = tok.encode("hello x HeLLo", false).unwrap();
    assert_eq!(enc.ids, vec![2, 1, 2]);
    assert_eq!(enc.tokens, vec!["hello", "x", "hello"]);
    assert_eq!(tok.decode(&enc.ids, false).unwrap(), "hello x hello");
    assert_eq!(tok.id_to_token(2), Some("hello"));
    assert_eq!(tok.token_to_id("HeLLo"), Some(2));
    assert_eq!(tok.token_to_id("hello"), None);
}

/// Added tokens `x` (`rstrip`) and ` ` (`lstrip`): the space `x` swallowed is not matched again.
const RSTRIP_THEN_LSTRIP: &str = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[{"id":3,"content":"x","single_word":false,"lstrip":false,"rstrip":true,"normalized":true,"special":false},{"id":4,"content":"\n","single_word":false,"lstrip":false,"rstrip":false,"normalized":true,"special":false}],"normalizer":null,"pre_tokenizer":{"type":"WhitespaceSplit"},"post_processor":null,"decoder":null,"model":{"type":"WordLevel","vocab":{"[UNK]":0,"a":1,"b":2},"unk_token":"[UNK]"}}"#;
/// A `normalized` added token whose content the normalizer deletes: the text is cut into chars.
const EMPTY_ADDED: &str = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[{"id":3,"content":"\n","single_word":false,"lstrip":false,"rstrip":false,"normalized":true,"special":false}],"normalizer":{"type":"Strip","strip_left":true,"strip_right":true},"pre_tokenizer":{"type":"WhitespaceSplit"},"post_processor":null,"decoder":null,"model":{"type":"WordLevel","vocab":{"[UNK]":0,"a":1,"b":2},"unk_token":"[UNK]"}}"#;
/// A template naming `$A` twice (and `$A` around `$B` for pairs).
const SEQUENCE_TWICE: &str = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,"pre_tokenizer":null,"post_processor":{"type":"TemplateProcessing","single":[{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"A","type_id":3}}],"pair":[{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"B","type_id":1}},{"Sequence":{"id":"A","type_id":2}}],"special_tokens":{}},"decoder":null,"model":{"type":"WordLevel","vocab":{"[UNK]":0,"a":1},"unk_token":"[UNK]"}}"#;

#[test]
fn added_token_matches_inside_an_earlier_strip_are_dropped() {
    let tokens = |text: &str| encode(RSTRIP_THEN_LSTRIP, text).1;
    assert_eq!(tokens("x "), vec!["x "]);
    assert_eq!(tokens("ax a"), vec!["a", "x ", "a"]);
    // The reference panics ("AddedVocabulary bad split") on these; we keep the rstrip match.
    assert_eq!(tokens("x  "), vec!["x  "]);
    assert_eq!(tokens("x \t"), vec!["x \t"]);
}

#[test]
fn an_added_token_normalized_to_nothing_cuts_text_into_chars() {
    assert_eq!(encode(EMPTY_ADDED, "ab").1, vec!["a", "b"]);
    assert_eq!(encode(EMPTY_ADDED, "ax a").1, vec!["a", "[UNK]", "a"]);
    assert!(encode(EMPTY_ADDED, "\n\n").0.is_empty());
}

#[test]
fn a_template_may_repeat_a_sequence() {
    let tok = Tokenizer::from_json(SEQUENCE_TWICE).unwrap();
    let enc = tok.encode("a", true).unwrap();
    assert_eq!((enc.ids, enc.type_ids, enc.sequence_ids), (vec![1, 1], vec![0, 3], vec![None, Some(0)]));
    let enc = tok.encode_pair("a", "a a", true).unwrap();
    assert_eq!((enc.ids, enc.type_ids), (vec![1, 0, 1], vec![0, 1, 2]));
    assert_eq!((enc.sequence_ids, enc.offsets), (vec![None, Some(1), Some(0)], vec![(0, 1), (0, 3), (0, 1)]));
}
