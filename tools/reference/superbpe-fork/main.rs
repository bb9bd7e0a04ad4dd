//! Stage 2 of SuperBPE with the SuperBPE paper's fork of `tokenizers` (its `do_train_extend`), for
//! `tools/reference/gen_trainer_golden.py`: reads the inherited `merges.txt` from the current
//! directory (as the fork does: a stage-1 run's, or an existing tokenizer's first merges), trains
//! with the stage-2 pre-tokenizer to VOCAB_SIZE on FILES, and saves `vocab.json` and `merges.txt`
//! into OUT_DIR.
//!
//!     superbpe-fork VOCAB_SIZE OUT_DIR [--pattern REGEX] FILE...
//!
//! The stage-2 pre-tokenizer is the paper's (`Digits`, `Split` of the digit-group look-ahead,
//! `ByteLevel`), or with `--pattern` the authors' since November 2025 (`train_tokenizer.py
//! --regex_string`, `utils.train_or_extend_tokenizer`: `Split(REGEX, Isolated)`, `ByteLevel`; no
//! `Digits`).
//!
//! Built by `tools/reference/superbpe-fork/build.sh` against a checkout of the fork; not part of
//! the project's build or tests.

use tokenizers::models::bpe::{BpeTrainerBuilder, BPE};
use tokenizers::normalizers::NormalizerWrapper;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::digits::Digits;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::processors::PostProcessorWrapper;
use tokenizers::decoders::DecoderWrapper;
use tokenizers::{Model, SplitDelimiterBehavior, TokenizerImpl};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let vocab_size: usize = args[0].parse().expect("VOCAB_SIZE");
    let out = &args[1];
    let (pattern, files): (Option<String>, Vec<String>) = match args.get(2).map(String::as_str) {
        Some("--pattern") => (Some(args[3].clone()), args[4..].to_vec()),
        _ => (None, args[2..].to_vec()),
    };
    let split = |p: &str| PreTokenizerWrapper::Split(Split::new(SplitPattern::Regex(p.into()), SplitDelimiterBehavior::Isolated, false).unwrap());
    let byte_level = PreTokenizerWrapper::ByteLevel(ByteLevel::new(false, true, false));
    let pre = match &pattern {
        Some(p) => Sequence::new(vec![split(p), byte_level]),
        None => Sequence::new(vec![PreTokenizerWrapper::Digits(Digits::new(false)), split(r"(?=(\d{3})+(?!\d))"), byte_level]),
    };
    let mut tokenizer: TokenizerImpl<BPE, NormalizerWrapper, Sequence, PostProcessorWrapper, DecoderWrapper> = TokenizerImpl::new(BPE::default());
    tokenizer.with_pre_tokenizer(Some(pre));
    let mut trainer = BpeTrainerBuilder::new().vocab_size(vocab_size).show_progress(false).build();
    tokenizer.train_from_files(&mut trainer, files).unwrap();
    tokenizer.get_model().save(std::path::Path::new(out), None).unwrap();
}
