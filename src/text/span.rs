//! What the pre-tokenizer hands the model and what every model hands back: the contract between
//! the stages, so that no model imports a pre-tokenizer and no model imports BPE.

use crate::error::{Error, ErrorKind, Result};

/// A piece of normalized text, a model's input: bytes `start..end` of the text.
///
/// The `ByteLevel` pre-tokenizer rewrites the reference's pieces into the GPT-2 alphabet (see
/// [`crate::text::byte_level`]) and may prepend a space; here it only marks them, and the model
/// maps bytes itself (BPE looks one-byte tokens up by byte, never building the mapped string).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    pub start: usize,
    pub end: usize,
    /// Preceded by a virtual space (`ByteLevel`'s `add_prefix_space`).
    pub prefix_space: bool,
    /// Its bytes stand for their GPT-2 chars (it came out of a `ByteLevel` pre-tokenizer).
    pub byte_level: bool,
}

impl Piece {
    /// Bytes `start..end`, as the text spells them (no prefix space, not byte-level).
    pub fn new(start: usize, end: usize) -> Self {
        Piece { start, end, prefix_space: false, byte_level: false }
    }

    /// The piece's text in `text`. Errors ([`ErrorKind::Input`]) when `start..end` is not a char
    /// range of `text`.
    pub fn text<'t>(&self, text: &'t str) -> Result<&'t str> {
        text.get(self.start..self.end)
            .ok_or_else(|| Error::new(ErrorKind::Input, format!("piece {}..{} is not a char range of the text", self.start, self.end)))
    }
}

/// A token under construction: its id and the byte range of the normalized text it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Symbol {
    pub id: u32,
    pub start: u32,
    pub end: u32,
}

/// True when `symbols` tile `len` bytes: each starts where the one before ends, none is empty,
/// and together they span exactly `len` bytes. Caches that keep tokens as lengths only hold such
/// tokens (a dropped unknown char, or byte-fallback tokens sharing their char's span, do not).
pub(crate) fn tile(symbols: &[Symbol], len: usize) -> bool {
    match (symbols.first(), symbols.last()) {
        (Some(first), Some(last)) => {
            symbols.windows(2).all(|w| w[0].end == w[1].start) && symbols.iter().all(|s| s.end > s.start) && (last.end - first.start) as usize == len
        }
        _ => false,
    }
}
