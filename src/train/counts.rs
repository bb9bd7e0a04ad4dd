//! Counting the training text: the distinct pieces of a pre-tokenizer, with how often each occurs
//! (the reference's `words` map), and the two pre-tokenizers of the SuperBPE paper's job.

use crate::error::Result;
use crate::format::read::{RawPattern, RawPreTokenizer};
use crate::pre_tokenizer::PreTokenizer;
use crate::text::offsets::NormalizedText;
use crate::text::span::Piece;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// The trainer's pre-tokenizer around the split `pattern`, as `tokenizer.json` spells it (the
/// trained file carries it): `Digits` (not individual) when `digits`, `Split` (`Isolated`), then
/// `ByteLevel` without its regex. The paper's two stages have `Digits`; the authors' code since
/// November 2025 has none (`utils.train_or_extend_tokenizer`: `Split`, then `ByteLevel`).
pub(super) fn raw_pre_tokenizer(pattern: &str, digits: bool) -> RawPreTokenizer {
    let step = |kind: &str| RawPreTokenizer { kind: kind.to_owned(), ..RawPreTokenizer::default() };
    RawPreTokenizer {
        pretokenizers: Some(vec![
            digits.then(|| RawPreTokenizer { individual_digits: Some(false), ..step("Digits") }),
            Some(RawPreTokenizer {
                pattern: Some(RawPattern::Regex(pattern.to_owned())),
                behavior: Some("Isolated".to_owned()),
                invert: Some(false),
                ..step("Split")
            }),
            Some(RawPreTokenizer { add_prefix_space: Some(false), trim_offsets: Some(true), use_regex: Some(false), ..step("ByteLevel") }),
        ]
        .into_iter()
        .flatten()
        .collect()),
        ..step("Sequence")
    }
}

/// [`raw_pre_tokenizer`], validated.
pub(super) fn pre_tokenizer(pattern: &str, digits: bool) -> Result<PreTokenizer> {
    PreTokenizer::from_raw(&raw_pre_tokenizer(pattern, digits))
}

/// Adds the pieces of `line` under `pre` to `counts`.
pub(super) fn count_pieces(pre: &PreTokenizer, line: &str, counts: &mut HashMap<Box<[u8]>, u64>) -> Result<()> {
    let normalized = NormalizedText::identity(line, 0);
    let mut view = Cow::Borrowed(&normalized);
    let pieces = pre.pre_tokenize(&mut view, vec![Piece::new(0, line.len())])?;
    for piece in pieces {
        let bytes = &line.as_bytes()[piece.start..piece.end];
        match counts.get_mut(bytes) {
            Some(n) => *n += 1,
            None => {
                counts.insert(bytes.into(), 1);
            }
        }
    }
    Ok(())
}
