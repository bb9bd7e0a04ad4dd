//! The result of encoding: ids, token strings and offsets as parallel arrays.

/// One encoded text. All three vectors have the same length.
///
/// `offsets[i]` is the `(start, end)` span of token `i` in the original text, in **UTF-8 bytes**
/// (use [`crate::offsets::utf8_to_utf16_offsets`] for JavaScript string indices). As in the
/// reference, a token that covers part of a multi-byte char (byte-level BPE, byte fallback) spans
/// the whole char, so neighbours may share a span; special tokens added by the post-processor
/// have `(0, 0)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoding {
    /// Token ids.
    pub ids: Vec<u32>,
    /// Token strings as the vocab spells them (e.g. `Ġthe` for a byte-level " the").
    pub tokens: Vec<String>,
    /// UTF-8 byte spans into the original text.
    pub offsets: Vec<(usize, usize)>,
}

impl Encoding {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Encoding { ids: Vec::with_capacity(n), tokens: Vec::with_capacity(n), offsets: Vec::with_capacity(n) }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub(crate) fn push(&mut self, id: u32, token: String, offsets: (usize, usize)) {
        self.ids.push(id);
        self.tokens.push(token);
        self.offsets.push(offsets);
    }

    pub(crate) fn append(&mut self, other: Encoding) {
        self.ids.extend(other.ids);
        self.tokens.extend(other.tokens);
        self.offsets.extend(other.offsets);
    }
}
