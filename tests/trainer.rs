//! The trainer against the reference trainers: merges and vocab identical, order included.
//!
//! - `tests/fixtures/trainer/<case>/`: PyPI `tokenizers` 0.23.3's `BpeTrainer` on slices of the
//!   shared corpus and on `tests/fixtures/trainer/edge.txt`
//!   (`tools/reference/gen_trainer_golden.py`), with the ids its trained tokenizer gives a few
//!   texts; `superbpe-*`: stage 1 by PyPI's `BpeTrainer` to t, stage 2 by the SuperBPE paper's fork
//!   (`tools/reference/superbpe-fork/`), ids from PyPI on the result; `superbpe-authors-*`: the
//!   same with the authors' stage-2 pattern of November 2025; `extend-*`: the fork's stage 2 alone
//!   on the first merges of an existing tokenizer (their `extend_existing_tokenizer.sh`).
//! - `../shared/trainer/reference/`: the full-size job, BPE 16k (PyPI `tokenizers`) and SuperBPE
//!   16k with t = 12k (the SuperBPE paper's fork), `merges.txt`, `vocab.json` and
//!   `tokenizer.json`.

use std::path::PathBuf;
use tokenscope::train::{Progress, Trained, Trainer, TrainerConfig, AUTHORS_STAGE2_PATTERN};
use tokenscope::{ErrorKind, Tokenizer};

fn shared() -> PathBuf {
    std::env::var_os("TOKENSCOPE_SHARED").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"), Into::into)
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first `lines` lines of `text` (each with its `\n`), as the generator's slice files.
fn head(text: &str, lines: usize) -> String {
    text.split_inclusive('\n').take(lines).collect()
}

fn quiet(_: &Progress) -> bool {
    true
}

fn check_case(name: &str, texts: &[String], vocab_size: usize) {
    let mut trainer = Trainer::new();
    for text in texts {
        trainer.feed(text).unwrap();
    }
    let config = TrainerConfig { vocab_size, ..TrainerConfig::default() };
    let trained = trainer.train_bpe(&config, &mut quiet).unwrap();
    check_files(name, &trained);
}

/// SuperBPE at V with transition t, from a BPE trained to V (as the page does: its merges up to
/// t are inherited).
fn check_superbpe_case(name: &str, texts: &[String], vocab_size: usize, transition: usize) {
    check_superbpe_with(Trainer::new(), name, texts, vocab_size, transition);
}

fn check_superbpe_with(mut trainer: Trainer, name: &str, texts: &[String], vocab_size: usize, transition: usize) {
    for text in texts {
        trainer.feed(text).unwrap();
    }
    let bpe = trainer.train_bpe(&TrainerConfig { vocab_size, ..TrainerConfig::default() }, &mut quiet).unwrap();
    let config = TrainerConfig { vocab_size, transition: Some(transition), ..TrainerConfig::default() };
    let trained = trainer.train_superbpe(&bpe, &config, &mut quiet).unwrap();
    check_files(name, &trained);
}

fn check_files(name: &str, trained: &Trained) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trainer").join(name);
    assert_eq!(trained.merges_txt(), read(&dir.join("merges.txt")), "{name}: merges.txt");
    assert_eq!(trained.vocab_json(), read(&dir.join("vocab.json")), "{name}: vocab.json");
    // The trained tokenizer.json, loaded by our encoder, gives the ids the reference's trained
    // tokenizer gave.
    let tokenizer = Tokenizer::from_json(&trained.tokenizer_json()).unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&read(&dir.join("encodings.json"))).unwrap();
    for case in cases {
        let text = case["text"].as_str().unwrap();
        let ids: Vec<u32> = serde_json::from_value(case["ids"].clone()).unwrap();
        assert_eq!(tokenizer.encode_ids(text, false).unwrap(), ids, "{name}: {text:?}");
    }
}

#[test]
fn bpe_on_the_python_help_topics_is_the_reference() {
    check_case("pydoc-1k", &[read(&shared().join("trainer/corpus/pydoc_topics.txt"))], 1000);
}

#[test]
fn bpe_on_20k_lines_of_sentences_is_the_reference() {
    check_case("nlp-20k-lines-4k", &[head(&read(&shared().join("trainer/corpus/nlp_corpus.txt")), 20_000)], 4000);
}

/// The 1 MB slice the page's training test uses.
#[test]
fn bpe_on_1_mb_of_sentences_is_the_reference() {
    check_case("nlp-1mb-8k", &[head(&read(&shared().join("trainer/corpus/nlp_corpus.txt")), 13_231)], 8000);
}

/// Overlapping runs (`aaaa`, `abab`), digit groups, CJK, emoji, tabs; the vocab runs out of
/// pairs at 291 of the 300 asked.
#[test]
fn bpe_on_edge_cases_is_the_reference() {
    check_case("edge-300", &[read(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trainer/edge.txt"))], 300);
}

fn edge() -> String {
    read(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trainer/edge.txt"))
}

#[test]
fn superbpe_on_the_python_help_topics_is_the_reference() {
    check_superbpe_case("superbpe-pydoc-1500-t1000", &[read(&shared().join("trainer/corpus/pydoc_topics.txt"))], 1500, 1000);
}

/// The page's training test: 1 MB, V 8k, t 6k (the page's default) and 4k.
#[test]
fn superbpe_on_1_mb_of_sentences_is_the_reference() {
    let slice = [head(&read(&shared().join("trainer/corpus/nlp_corpus.txt")), 13_231)];
    check_superbpe_case("superbpe-nlp-1mb-8k-t6k", &slice, 8000, 6000);
    check_superbpe_case("superbpe-nlp-1mb-8k-t4k", &slice, 8000, 4000);
}

/// Superwords of more than 4 words and with `: ` skipped, the pairs running out (347 of 400);
/// t below the alphabet: no subword merge inherited.
#[test]
fn superbpe_on_edge_cases_is_the_reference() {
    check_superbpe_case("superbpe-edge-400-t250", &[edge()], 400, 250);
    check_superbpe_case("superbpe-edge-300-t100", &[edge()], 300, 100);
}

/// Stage 2 with the authors' split pattern of November 2025 (no `Digits`); stage 1 as before.
#[test]
fn superbpe_with_the_authors_stage2_pattern_is_the_reference() {
    let authors = || Trainer::with_stage2_pattern(AUTHORS_STAGE2_PATTERN).unwrap();
    check_superbpe_with(authors(), "superbpe-authors-pydoc-1500-t1000", &[read(&shared().join("trainer/corpus/pydoc_topics.txt"))], 1500, 1000);
    let slice = [head(&read(&shared().join("trainer/corpus/nlp_corpus.txt")), 20_000)];
    check_superbpe_with(authors(), "superbpe-authors-nlp-20k-lines-4k-t3k", &slice, 4000, 3000);
    // The file carries the pattern: Split then ByteLevel, no Digits (as the authors' code saves it).
    let mut trainer = authors();
    trainer.feed("one two three, one two three.\n").unwrap();
    let bpe = trainer.train_bpe(&TrainerConfig { vocab_size: 300, ..TrainerConfig::default() }, &mut quiet).unwrap();
    let json = trainer.train_superbpe(&bpe, &TrainerConfig { vocab_size: 300, transition: Some(280), ..TrainerConfig::default() }, &mut quiet).unwrap().tokenizer_json();
    let pre: serde_json::Value = serde_json::from_str::<serde_json::Value>(&json).unwrap()["pre_tokenizer"].clone();
    let steps: Vec<&str> = pre["pretokenizers"].as_array().unwrap().iter().map(|p| p["type"].as_str().unwrap()).collect();
    assert_eq!(steps, ["Split", "ByteLevel"]);
    assert_eq!(pre["pretokenizers"][0]["pattern"]["Regex"], AUTHORS_STAGE2_PATTERN);
    assert_eq!(Trainer::with_stage2_pattern("(unclosed").unwrap_err().kind(), ErrorKind::Input);
}

/// Stage 2 from an existing tokenizer's merges: GPT-2's first 2,000 (paper's stage 2), all of
/// them (authors' pattern), and the first 8,000 of the shared BPE 16k (authors' pattern).
#[test]
fn extending_an_existing_tokenizer_is_the_reference() {
    let pydoc = read(&shared().join("trainer/corpus/pydoc_topics.txt"));
    let nlp = head(&read(&shared().join("trainer/corpus/nlp_corpus.txt")), 20_000);
    let gpt2 = Tokenizer::from_json(&read(&shared().join("tokenizers/gpt2.json"))).unwrap();
    let bpe16k = Tokenizer::from_json(&read(&shared().join("trainer/reference/bpe-16k/tokenizer.json"))).unwrap();
    let cases: [(&str, &Tokenizer, Option<usize>, &str, usize, bool); 3] = [
        ("extend-gpt2-2000-pydoc-3000", &gpt2, Some(2000), &pydoc, 3000, false),
        ("extend-gpt2-all-pydoc-authors", &gpt2, None, &pydoc, 16_000, true),
        ("extend-bpe16k-8000-nlp-20k-lines-9000-authors", &bpe16k, Some(8000), &nlp, 9000, true),
    ];
    for (name, base, inherit, text, vocab_size, authors) in cases {
        let mut trainer = if authors { Trainer::with_stage2_pattern(AUTHORS_STAGE2_PATTERN).unwrap() } else { Trainer::new() };
        trainer.feed(text).unwrap();
        let config = TrainerConfig { vocab_size, ..TrainerConfig::default() };
        let trained = trainer.extend(base, inherit, &config, &mut quiet).unwrap();
        assert!(trained.is_superbpe());
        check_files(name, &trained);
    }
    // Not a byte-level BPE: refused, naming why.
    let wordpiece = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,"pre_tokenizer":null,
        "post_processor":null,"decoder":null,"model":{"type":"WordLevel","vocab":{"a":0},"unk_token":"a"}}"#;
    let mut trainer = Trainer::new();
    trainer.feed("a b").unwrap();
    let err = trainer.extend(&Tokenizer::from_json(wordpiece).unwrap(), None, &TrainerConfig::default(), &mut quiet).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Input);
    assert!(err.to_string().contains("not BPE"), "{err}");
}

fn full_corpus() -> Trainer {
    let corpus = shared().join("trainer/corpus");
    let mut trainer = Trainer::new();
    for file in ["nlp_corpus.txt", "pydoc_topics.txt"] {
        trainer.feed(&read(&corpus.join(file))).unwrap();
    }
    trainer
}

fn check_reference(trained: &Trained, name: &str) {
    let dir = shared().join("trainer/reference").join(name);
    assert_eq!(trained.merges_txt(), read(&dir.join("merges.txt")), "{name}: merges.txt");
    assert_eq!(trained.vocab_json(), read(&dir.join("vocab.json")), "{name}: vocab.json");
    assert_eq!(trained.tokenizer_json(), read(&dir.join("tokenizer.json")), "{name}: tokenizer.json");
}

/// The full-size job of ../shared/trainer: BPE 16k, then SuperBPE 16k with t = 12k from the
/// same subword run (its first 11,806 merges), byte for byte.
#[test]
fn full_size_bpe_and_superbpe_are_the_reference() {
    let trainer = full_corpus();
    let mut reports = vec![];
    let mut record = |p: &Progress| {
        reports.push(*p);
        true
    };
    let bpe = trainer.train_bpe(&TrainerConfig { vocab_size: 16_000, ..TrainerConfig::default() }, &mut record).unwrap();
    check_reference(&bpe, "bpe-16k");
    let config = TrainerConfig { vocab_size: 16_000, transition: Some(12_000), ..TrainerConfig::default() };
    let superbpe = trainer.train_superbpe(&bpe, &config, &mut record).unwrap();
    check_reference(&superbpe, "superbpe-16k-t12k");
    assert_eq!(superbpe.repeated_tokens(), 0);
    // Progress: stages in order, merges never going back, bytes per token growing, the last
    // report at the vocab size.
    let stages: Vec<_> = reports.iter().map(|p| p.stage).collect();
    assert!(stages.windows(2).all(|w| w[0] as u8 <= w[1] as u8), "{stages:?}");
    let last = reports.last().unwrap();
    assert_eq!((last.merges, last.vocab_size), (15_807, 16_000));
    assert!(last.bytes_per_token > 4.9 && last.bytes_per_token < 5.0, "{last:?}");
}

#[test]
fn bad_settings_and_cancelling_are_errors() {
    let empty = Trainer::new();
    let err = empty.train_bpe(&TrainerConfig::default(), &mut quiet).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Input);
    assert!(err.to_string().contains("training text is empty"), "{err}");

    let mut trainer = Trainer::new();
    trainer.feed(&read(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trainer/edge.txt"))).unwrap();
    let bpe = trainer.train_bpe(&TrainerConfig { vocab_size: 280, ..TrainerConfig::default() }, &mut quiet).unwrap();
    let superbpe = |transition: Option<usize>, forbidden: &str| {
        let config = TrainerConfig { vocab_size: 290, transition, forbidden_substrings: vec![forbidden.to_owned()], ..TrainerConfig::default() };
        trainer.train_superbpe(&bpe, &config, &mut quiet)
    };
    for (transition, forbidden, needle) in [
        (None, ":Ġ", "needs a transition point"),
        (Some(300), ":Ġ", "past the vocab size 290"),
        (Some(285), ":Ġ", "past the vocab of the subword run (280 tokens)"),
        (Some(250), "東", "is not spelled in byte-level chars"),
    ] {
        let err = superbpe(transition, forbidden).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Input);
        assert!(err.to_string().contains(needle), "{err}");
    }
    assert_eq!(superbpe(Some(250), ":Ġ").unwrap().vocab_size(), 290);
    let zero_words = TrainerConfig { vocab_size: 290, transition: Some(250), max_words: Some(0), ..TrainerConfig::default() };
    assert!(zero_words.check().unwrap_err().to_string().contains("the word limit must be at least 1"));
    // A vocab size past anything the text can make reserves nothing for it: the pairs run out at
    // 291 tokens, as in PyPI tokenizers 0.23.3 (vocab_size=100000).
    let huge = trainer.train_bpe(&TrainerConfig { vocab_size: usize::MAX, ..TrainerConfig::default() }, &mut quiet).unwrap();
    assert!(huge.exhausted() && huge.vocab_size() == 291, "{}", huge.vocab_size());

    let mut calls = 0;
    let err = trainer
        .train_bpe(&TrainerConfig { vocab_size: 280, ..TrainerConfig::default() }, &mut |_| {
            calls += 1;
            calls < 3
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled);
    assert_eq!(calls, 3);
}
