//! UTF-8 byte offsets (Rust, the core) to UTF-16 code units (what JavaScript's `String.slice`
//! takes, the wasm package's offsets).

/// Converts UTF-8 byte offsets into `text` to UTF-16 code-unit offsets (JavaScript string indices).
///
/// `offsets` are `(start, end)` byte pairs on char boundaries of `text` (as [`crate::Encoding`]
/// gives them); a pair past the end is clamped. Linear in `text.len()` plus the number of pairs
/// when the offsets are in ascending order (as encodings are); any order is handled.
pub fn utf8_to_utf16_offsets(text: &str, offsets: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut cursor = Utf16Cursor::new(text);
    offsets.iter().map(|&(s, e)| (cursor.utf16_at(s), cursor.utf16_at(e))).collect()
}

/// Walks `text` forwards (or back) to turn byte offsets into UTF-16 offsets incrementally.
pub(crate) struct Utf16Cursor<'t> {
    text: &'t str,
    byte: usize,
    unit: usize,
}

impl<'t> Utf16Cursor<'t> {
    pub fn new(text: &'t str) -> Self {
        Utf16Cursor { text, byte: 0, unit: 0 }
    }

    /// UTF-16 offset of byte offset `target` (clamped to the text length).
    pub fn utf16_at(&mut self, target: usize) -> usize {
        let target = target.min(self.text.len());
        if target < self.byte {
            // (Not a char boundary: an offset into another text, as the reference gives the
            // overflowing parts of a pair encoded without a post-processor; walked from 0.)
            if target < self.byte / 2 || !self.text.is_char_boundary(target) {
                self.byte = 0;
                self.unit = 0;
            } else {
                for c in self.text[target..self.byte].chars() {
                    self.unit -= c.len_utf16();
                }
                self.byte = target;
                return self.unit;
            }
        }
        let bytes = self.text.as_bytes();
        while self.byte < target {
            let b = bytes[self.byte];
            let (len, units) = match b {
                0x00..=0x7F => (1, 1),
                0xC0..=0xDF => (2, 1),
                0xE0..=0xEF => (3, 1),
                _ => (4, 2),
            };
            self.byte += len;
            self.unit += units;
        }
        self.unit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = "a€😀b";
        // bytes: a=0..1, €=1..4, 😀=4..8, b=8..9; UTF-16: a=0, €=1, 😀=2..4, b=4
        let got = utf8_to_utf16_offsets(text, &[(0, 1), (1, 4), (4, 8), (8, 9), (0, 0), (4, 8)]);
        assert_eq!(got, vec![(0, 1), (1, 2), (2, 4), (4, 5), (0, 0), (2, 4)]);
    }
}
