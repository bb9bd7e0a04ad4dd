//! The superword lab's analyses against values computed from the reference (PyPI `tokenizers`
//! 0.23.3) by tools/reference/gen_lab_golden.py: tests/fixtures/lab/<name>.json holds, per file,
//! its transition point, the merge trees of the tokens the reference encodes sample texts into,
//! and the reference pre-tokenizer's pieces of those texts.
#![cfg(feature = "lab")]

mod common;

use serde_json::Value;
use std::path::PathBuf;
use tokenscope::{SpecialTokens, Tokenizer};

fn fixtures() -> Vec<(String, Value)> {
    let dir = common::crate_root().join("tests").join("fixtures").join("lab");
    // scripts.json is the page's (tests/browser/lab-scripts.test.mjs).
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("tests/fixtures/lab").map(|e| e.unwrap().path()).filter(|p| !p.ends_with("scripts.json")).collect();
    files.sort();
    assert!(files.len() >= 15, "the lab fixtures: {} files", files.len());
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap())
        })
        .collect()
}

fn load(fixture: &Value) -> Tokenizer {
    let source = fixture["source"].as_str().unwrap();
    let path = match source.strip_prefix("trainer:") {
        Some(name) => common::shared_dir().join("trainer").join("reference").join(name).join("tokenizer.json"),
        None => common::Source::parse(source).unwrap().locate().unwrap_or_else(|e| panic!("{e}")),
    };
    Tokenizer::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn transition_point_is_the_first_merge_crossing_whitespace_where_the_file_would_cut() {
    let mut superbpe = 0;
    for (name, fixture) in fixtures() {
        let tok = load(&fixture);
        let expected = fixture["transition_point"].as_u64().map(|t| t as u32);
        assert_eq!(tok.transition_point(), expected, "{name}");
        superbpe += usize::from(name.contains("superbpe") && expected.is_some());
    }
    // The SuperBPE files all have one (the shared reference's is its first stage-2 merge, 11,806).
    assert_eq!(superbpe, 3);
}

#[test]
fn merge_trees_replay_the_reference_merges() {
    for (name, fixture) in fixtures() {
        let tok = load(&fixture);
        let ranks = tok.merge_ranks();
        let trees = fixture["trees"].as_array().unwrap();
        assert!(!trees.is_empty(), "{name}");
        for case in trees {
            let id = case["id"].as_u64().unwrap() as u32;
            let tree = tok.merge_tree(id).unwrap_or_else(|| panic!("{name}: no tree for {id}"));
            let nodes: Vec<Value> = tree
                .nodes
                .iter()
                .map(|n| serde_json::json!([n.id, n.rank, n.children.map(|c| c.0), n.children.map(|c| c.1)]))
                .collect();
            assert_eq!(Value::Array(nodes), case["nodes"], "{name}: tree of {id} {}", case["token"]);
            assert_eq!(serde_json::json!(tree.roots), case["roots"], "{name}: roots of {id}");
            let rank = ranks.get(id as usize).copied().filter(|&r| r != u32::MAX);
            assert_eq!(rank.map(u64::from), case["rank"].as_u64(), "{name}: rank of {id}");
        }
    }
}

#[test]
fn pre_tokenize_gives_the_reference_pieces_in_bytes_of_the_text() {
    let mut checked = 0;
    for (name, fixture) in fixtures() {
        let pieces = fixture["pieces"].as_array().unwrap();
        if pieces.is_empty() {
            continue;
        }
        let tok = load(&fixture);
        for (text, expected) in fixture["texts"].as_array().unwrap().iter().zip(pieces) {
            let got = tok.pre_tokenize(text.as_str().unwrap(), SpecialTokens::Match).unwrap();
            let got: Vec<Value> = got.iter().map(|&(s, e)| serde_json::json!([s, e])).collect();
            assert_eq!(&Value::Array(got), expected, "{name}: pieces of {text}");
            checked += 1;
        }
    }
    assert!(checked >= 50, "{checked} texts checked");
}

#[test]
fn pre_tokenize_refuses_a_special_token_when_asked() {
    let tok = Tokenizer::from_json(&std::fs::read_to_string(common::shared_tokenizers_dir().join("gpt2.json")).unwrap()).unwrap();
    let err = tok.pre_tokenize("Hello<|endoftext|>", SpecialTokens::Refuse).unwrap_err();
    assert!(err.to_string().contains("<|endoftext|>"), "{err}");
    // Literal: the token's text is cut like any other text (GPT-2: "<|", "endoftext", "|>").
    assert_eq!(tok.pre_tokenize("<|endoftext|>", SpecialTokens::Literal).unwrap(), vec![(0, 2), (2, 11), (11, 13)]);
    assert_eq!(tok.pre_tokenize("", SpecialTokens::Match).unwrap(), vec![]);
}

#[test]
fn models_other_than_bpe_have_no_lab_values() {
    let json = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,
        "pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":null,
        "model":{"type":"WordLevel","vocab":{"a":0,"b":1,"[UNK]":2},"unk_token":"[UNK]"}}"#;
    let tok = Tokenizer::from_json(json).unwrap();
    assert_eq!(tok.transition_point(), None);
    assert_eq!(tok.merge_tree(0), None);
    assert!(tok.merge_ranks().is_empty());
    assert_eq!(tok.pre_tokenize("a b", SpecialTokens::Match).unwrap(), vec![(0, 1), (2, 3)]);
}

#[test]
fn a_vocab_with_sparse_ids_has_no_merge_ranks_but_its_trees() {
    let json = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,
        "pre_tokenizer":null,"post_processor":null,"decoder":null,
        "model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":4000000000},"merges":["a b"]}}"#;
    let tok = Tokenizer::from_json(json).unwrap();
    assert!(tok.merge_ranks().is_empty());
    let tree = tok.merge_tree(4_000_000_000).unwrap();
    assert_eq!(tree.roots, vec![2]);
    assert_eq!(tree.nodes[2].rank, Some(0));
    assert_eq!(tok.transition_point(), None);
}
