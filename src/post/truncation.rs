//! Truncation settings of `tokenizer.json` (`truncation`), applied as the reference
//! `truncate_encodings` does before post-processing: how many tokens each sequence keeps.

use crate::encoding::Encoding;
use crate::error::{Error, ErrorKind, Result};
use crate::format::read::{RawTruncation, TruncationDirection, TruncationStrategy as Strategy};

/// Validated truncation settings.
#[derive(Debug)]
pub(crate) struct Truncation {
    max_length: usize,
    strategy: Strategy,
    stride: usize,
    left: bool,
}

impl Truncation {
    /// The `truncation` object's settings (every combination is accepted when loading, as in the
    /// reference; what cannot be met fails when encoding).
    pub fn from_raw(raw: &RawTruncation) -> Self {
        Truncation { max_length: raw.max_length, strategy: raw.strategy, stride: raw.stride, left: raw.direction == TruncationDirection::Left }
    }

    /// Lengths the sequences keep, from their lengths `n1`, `n2` and the `added` special tokens
    /// the post-processor will add (the reference lowers `max_length` by them).
    ///
    /// # Errors
    /// [`ErrorKind::Input`] where the reference fails: `OnlySecond` without a pair, a sequence too
    /// short to remove enough tokens, a `stride` not below the kept length, a `max_length` below
    /// (where the reference wraps
    /// around and truncates nothing, so do we).
    pub fn lengths(&self, n1: usize, n2: Option<usize>, added: usize) -> Result<(usize, Option<usize>)> {
        // The reference computes `max_length - added` in wrapping arithmetic: when the special
        // tokens alone exceed max_length, the limit becomes huge and nothing is truncated.
        let Some(max) = self.max_length.checked_sub(added) else {
            return Ok((n1, n2));
        };
        let total = n1 + n2.unwrap_or(0);
        let (k1, k2) = if max == 0 {
            (0, n2.map(|_| 0))
        } else if total <= max {
            (n1, n2)
        } else {
            let remove = total - max;
            match (self.strategy, n2) {
                (Strategy::LongestFirst, None) => (max, None),
                (Strategy::LongestFirst, Some(n2)) => {
                    // Shorter one first: it keeps its length if the longer one can take the cut.
                    let (mut short, mut long) = (n1.min(n2), n1.max(n2));
                    long = if short > max { short } else { long.min((max - short).max(short)) };
                    if short + long > max {
                        short = max / 2;
                        long = short + max % 2;
                    }
                    if n1 > n2 { (long, Some(short)) } else { (short, Some(long)) }
                }
                (Strategy::OnlyFirst, _) if n1 > remove => (n1 - remove, n2),
                (Strategy::OnlySecond, Some(n2)) if n2 > remove => (n1, Some(n2 - remove)),
                (Strategy::OnlySecond, None) => {
                    return Err(Error::new(ErrorKind::Input, "truncation strategy OnlySecond needs a second sequence"));
                }
                _ => {
                    return Err(Error::new(ErrorKind::Input, "truncation: the sequence to truncate is too short for max_length"));
                }
            }
        };
        for (n, k) in [(n1, k1), (n2.unwrap_or(0), k2.unwrap_or(0))] {
            if k > 0 && k < n && self.stride >= k {
                return Err(Error::new(ErrorKind::Input, format!("truncation stride {} must be less than the kept length {k}", self.stride)));
            }
        }
        Ok((k1, k2))
    }

    /// Truncates the encodings as [`Truncation::lengths`] says, the parts cut off going to their
    /// `overflowing` (as the reference's `truncate_encodings`) when `keep_parts`.
    ///
    /// # Errors
    /// As [`Truncation::lengths`].
    pub fn apply(&self, mut a: Encoding, mut b: Option<Encoding>, added: usize, keep_parts: bool) -> Result<(Encoding, Option<Encoding>)> {
        let (k1, k2) = self.lengths(a.len(), b.as_ref().map(Encoding::len), added)?;
        a.truncate(k1, self.stride, self.left, keep_parts);
        if let (Some(b), Some(k2)) = (b.as_mut(), k2) {
            b.truncate(k2, self.stride, self.left, keep_parts);
        }
        Ok((a, b))
    }
}

/// Tokens the overflowing parts of one encoding may hold in all: twice the tokens of its text(s),
/// at least 2^22 and at most 2^24 (~800 MB of parts). A long document cut without a stride makes
/// parts as long as itself; a stride, a pair's cross product, a template naming a sequence twice
/// and padding each part multiply them (the reference has no bound; wasm stops at 4 GiB).
pub fn max_overflowing_tokens(input_tokens: usize) -> usize {
    input_tokens.saturating_mul(2).clamp(1 << 22, 1 << 24)
}
