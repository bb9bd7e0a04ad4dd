//! The alignment between normalized text and the original text: every normalized byte knows the
//! original byte span it came from, so token offsets survive normalization.

use std::borrow::Cow;

/// A piece of text after normalization, with the original span of every normalized byte.
///
/// Reproduces the reference `NormalizedString` alignment rules: each byte of a normalized char
/// carries the original byte span of the char it came from, and a token covering normalized bytes
/// `a..b` maps back to `align[a].0 .. align[b-1].1`.
#[derive(Debug, Clone)]
pub(crate) struct NormalizedText<'a> {
    /// The normalized text.
    pub text: Cow<'a, str>,
    /// `None` while the text is still `original[origin..origin + text.len()]` unchanged: then a
    /// byte's span is that of its char, computed on demand (no per-byte table on the fast path).
    align: Option<Vec<(usize, usize)>>,
    /// Original byte offset of the start of this piece.
    origin: usize,
}

impl<'a> NormalizedText<'a> {
    /// `original[origin..]` unchanged; `text` must be that slice.
    pub fn identity(text: &'a str, origin: usize) -> Self {
        NormalizedText { text: Cow::Borrowed(text), align: None, origin }
    }

    /// Original span (absolute UTF-8 bytes) of normalized bytes `a..b`. For `a == b` it returns
    /// the normalized offsets shifted by the piece origin, as the reference does.
    pub fn original_span(&self, a: usize, b: usize) -> (usize, usize) {
        if a >= b {
            return (self.origin + a, self.origin + b);
        }
        match &self.align {
            Some(align) => {
                let start = align.get(a).map_or(self.origin, |s| s.0);
                let end = align.get(b - 1).map_or(start, |s| s.1);
                (start, end)
            }
            None => {
                let text = self.text.as_bytes();
                let mut start = a;
                while start > 0 && !is_char_start(text[start]) {
                    start -= 1;
                }
                let mut end = b;
                while end < text.len() && !is_char_start(text[end]) {
                    end += 1;
                }
                (self.origin + start, self.origin + end)
            }
        }
    }

    /// Takes the per-byte alignment table, built from the identity mapping when there is none yet.
    fn take_alignments(&mut self) -> Vec<(usize, usize)> {
        if let Some(align) = self.align.take() {
            return align;
        }
        let mut align = Vec::with_capacity(self.text.len());
        for (i, c) in self.text.char_indices() {
            let span = (self.origin + i, self.origin + i + c.len_utf8());
            align.extend(std::iter::repeat_n(span, c.len_utf8()));
        }
        align
    }

    /// Replaces the whole text by `dest`, a stream of `(char, change)` as produced by
    /// `unicode-normalization-alignments`: `change == 0` replaces the next original char, `> 0`
    /// inserts a char sharing the previous char's span, `< 0` replaces the next char and removes
    /// `-change` more. Same rules as the reference `NormalizedString::transform_range`.
    pub fn transform(&mut self, dest: impl IntoIterator<Item = (char, isize)>) {
        self.transform_with_skips(dest.into_iter().map(|(c, change)| (Some(c), change)));
    }

    /// A new text built char by char, each char with its original span (absolute UTF-8 bytes, as
    /// [`NormalizedText::original_span`] gives them). Pre-tokenizers that rewrite text (`Metaspace`)
    /// build their output this way; `origin` only serves empty ranges.
    pub fn from_char_spans(chars: impl IntoIterator<Item = (char, (usize, usize))>, origin: usize) -> NormalizedText<'static> {
        let chars = chars.into_iter();
        let mut text = String::with_capacity(chars.size_hint().0);
        let mut align = Vec::with_capacity(chars.size_hint().0);
        for (c, span) in chars {
            text.push(c);
            align.extend(std::iter::repeat_n(span, c.len_utf8()));
        }
        NormalizedText { text: Cow::Owned(text), align: Some(align), origin }
    }

    /// [`Self::transform`] with one more kind of item: `(None, n)` drops the next `n` chars of the
    /// current text without emitting anything; `(Some(c), change)` is `(c, change)` there.
    ///
    /// A leading `(None, n)` is the reference's `initial_offset` (chars `filter` or `lstrip`
    /// remove before the first kept char). Mid-stream it is how the reference's `replace` works:
    /// the match is dropped, then the content is inserted with `(c, 1)` items, which share the
    /// span of the match's last char (or the piece start when nothing precedes).
    pub fn transform_with_skips(&mut self, dest: impl IntoIterator<Item = (Option<char>, isize)>) {
        let old_align = self.take_alignments();
        let old_text = std::mem::take(&mut self.text);
        let mut old_chars = old_text.chars();
        let fallback = (self.origin, self.origin);
        let mut offset = 0usize;
        let mut text = String::with_capacity(old_text.len());
        let mut align = Vec::with_capacity(old_align.len());
        for (c, change) in dest {
            let Some(c) = c else {
                for _ in 0..change.max(0) {
                    offset += old_chars.next().map_or(0, char::len_utf8);
                }
                continue;
            };
            let span = if change > 0 {
                if offset == 0 { fallback } else { old_align.get(offset - 1).copied().unwrap_or(fallback) }
            } else {
                old_align.get(offset).or(old_align.last()).copied().unwrap_or(fallback)
            };
            if change <= 0 {
                offset += old_chars.next().map_or(0, char::len_utf8);
            }
            for _ in 0..(-change).max(0) {
                offset += old_chars.next().map_or(0, char::len_utf8);
            }
            text.push(c);
            align.extend(std::iter::repeat_n(span, c.len_utf8()));
        }
        self.text = Cow::Owned(text);
        self.align = Some(align);
    }
}

#[inline]
fn is_char_start(b: u8) -> bool {
    (b as i8) >= -0x40
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_span_expands_to_chars() {
        let n = NormalizedText::identity("aé", 10);
        assert_eq!(n.original_span(1, 2), (11, 13));
        assert_eq!(n.original_span(2, 3), (11, 13));
        assert_eq!(n.original_span(0, 1), (10, 11));
    }

    #[test]
    fn transform_composes_like_reference() {
        // e + U+0301 composes to é, which keeps only the span of the e.
        let mut n = NormalizedText::identity("e\u{301}x", 0);
        n.transform(vec![('é', -1), ('x', 0)]);
        assert_eq!(n.text, "éx");
        assert_eq!(n.original_span(0, 2), (0, 1));
        assert_eq!(n.original_span(2, 3), (3, 4));
    }
}
