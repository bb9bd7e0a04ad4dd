//! Padding settings of `tokenizer.json` (`padding`), applied as the reference `pad_encodings`
//! does after post-processing (for one encoding, `BatchLongest` pads to its own length).

use crate::encoding::Encoding;
use crate::format::read::{PaddingDirection, PaddingStrategy, RawPadding};

/// Validated padding settings.
#[derive(Debug)]
pub(crate) struct Padding {
    fixed: Option<usize>,
    multiple: Option<usize>,
    pad_id: u32,
    pad_type_id: u32,
    pad_token: String,
    left: bool,
}

impl Padding {
    /// The `padding` object's settings.
    pub fn from_raw(raw: &RawPadding) -> Self {
        Padding {
            fixed: match raw.strategy {
                PaddingStrategy::Fixed(n) => Some(n),
                PaddingStrategy::BatchLongest => None,
            },
            multiple: raw.pad_to_multiple_of.filter(|&m| m > 0),
            pad_id: raw.pad_id,
            pad_type_id: raw.pad_type_id,
            pad_token: raw.pad_token.clone(),
            left: raw.direction == PaddingDirection::Left,
        }
    }

    /// Length of an encoding of `n` tokens after padding.
    pub fn padded_len(&self, n: usize) -> usize {
        self.target(n).max(n)
    }

    /// The reference's `pad_encodings` length for a batch of one encoding of `n` tokens: the fixed
    /// length or `n`, rounded up to `pad_to_multiple_of`. An encoding already longer keeps its
    /// length; its overflowing parts are padded to this one (which may be below `n`).
    fn target(&self, n: usize) -> usize {
        let target = self.fixed.unwrap_or(n);
        match self.multiple {
            Some(m) if target % m > 0 => target + (m - target % m),
            _ => target,
        }
    }

    /// Pads `encoding` and its overflowing parts to [`Padding::target`].
    pub fn apply(&self, encoding: &mut Encoding) {
        let target = self.target(encoding.len());
        encoding.pad(target, self.pad_id, self.pad_type_id, &self.pad_token, self.left);
    }
}
