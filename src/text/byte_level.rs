//! Every byte ↔ char helper, in one place: the GPT-2 byte ↔ char table used by byte-level BPE
//! (every byte gets a printable char so that vocab entries are plain strings: `Ġ` is the space
//! byte 0x20, `Ċ` is 0x0A), and the `<0xNN>` tokens of byte fallback.
//!
//! The table reproduces `bytes_char()` of the reference `tokenizers` (pre_tokenizers/byte_level.rs),
//! itself taken from OpenAI's GPT-2 `encoder.py`: printable Latin-1 bytes map to themselves, the
//! other 68 bytes map to U+0100 onwards in byte order.

use crate::text::span::Piece;

/// `BYTE_TO_CHAR[b]` is the char that stands for byte `b`.
pub const BYTE_TO_CHAR: [char; 256] = build_table();

const fn is_self_mapped(b: u8) -> bool {
    matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF)
}

const fn build_table() -> [char; 256] {
    let mut table = ['\0'; 256];
    let mut next = 256u32;
    let mut b = 0usize;
    while b < 256 {
        if is_self_mapped(b as u8) {
            table[b] = b as u8 as char;
        } else {
            table[b] = match char::from_u32(next) {
                Some(c) => c,
                None => '\0',
            };
            next += 1;
        }
        b += 1;
    }
    table
}

/// `CHAR_TO_BYTE[c]` for the code points the table uses (all below U+0144); -1 elsewhere.
const CHAR_TO_BYTE: [i16; 0x144] = build_reverse();

const fn build_reverse() -> [i16; 0x144] {
    let mut rev = [-1i16; 0x144];
    let mut b = 0usize;
    while b < 256 {
        rev[BYTE_TO_CHAR[b] as usize] = b as i16;
        b += 1;
    }
    rev
}

/// The byte a char stands for, or `None` for a char outside the table (e.g. in an added token).
#[inline]
pub fn char_to_byte(c: char) -> Option<u8> {
    match CHAR_TO_BYTE.get(c as usize) {
        Some(&b) if b >= 0 => Some(b as u8),
        _ => None,
    }
}

/// Maps each byte of `bytes` to its char, appending to `out`.
pub fn push_mapped(bytes: &[u8], out: &mut String) {
    // SAFETY: the bytes written below are whole UTF-8 chars (`BYTE_UTF8`), and `set_len` covers
    // exactly those written. Pushing chars one by one encodes each again: loading a compiled
    // o200k maps 2 MB this way.
    let out = unsafe { out.as_mut_vec() };
    out.reserve(bytes.len() * 2);
    let start = out.len();
    let spare = out.spare_capacity_mut();
    let mut k = 0;
    for &b in bytes {
        // Two bytes written, one or two kept: the room for two was reserved.
        let (utf8, len) = BYTE_UTF8[b as usize];
        spare[k].write(utf8[0]);
        spare[k + 1].write(utf8[1]);
        k += len as usize;
    }
    unsafe { out.set_len(start + k) };
}

/// The UTF-8 of the char that stands for byte `b`, and its length (1 or 2).
#[inline]
pub fn byte_utf8(b: u8) -> ([u8; 2], usize) {
    let (utf8, len) = BYTE_UTF8[b as usize];
    (utf8, len as usize)
}

/// The UTF-8 of `BYTE_TO_CHAR[b]` (all below U+0144: one or two bytes) and its length.
const BYTE_UTF8: [([u8; 2], u8); 256] = {
    let mut table = [([0u8; 2], 0u8); 256];
    let mut b = 0;
    while b < 256 {
        let c = BYTE_TO_CHAR[b] as u32;
        table[b] = if c < 0x80 { ([c as u8, 0], 1) } else { ([0xC0 | (c >> 6) as u8, 0x80 | (c & 0x3F) as u8], 2) };
        b += 1;
    }
    table
};

/// Writes the bytes `token`'s chars stand for into `out` (cleared first), decoding the UTF-8
/// directly (the alphabet's chars are one or two bytes); false, with `out` partly written, when a
/// char is outside the alphabet. Used over every vocab entry at load, where
/// `chars().map(char_to_byte)` cost twice as much.
#[inline]
pub fn decode_into(token: &str, out: &mut Vec<u8>) -> bool {
    out.clear();
    let bytes = token.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        let c = if lead < 0x80 {
            i += 1;
            lead as usize
        } else if (0xC2..=0xC5).contains(&lead) {
            // A `str`: a two-byte lead is followed by its continuation byte.
            i += 2;
            ((lead as usize & 0x1F) << 6) | (bytes[i - 1] as usize & 0x3F)
        } else {
            return false;
        };
        match CHAR_TO_BYTE.get(c) {
            Some(&b) if b >= 0 => out.push(b as u8),
            _ => return false,
        }
    }
    true
}

/// `bytes` spelled in the GPT-2 alphabet, as `tokenizer.json`, `vocab.json` and `merges.txt`
/// spell byte-level tokens.
#[cfg_attr(not(feature = "train"), allow(dead_code))]
pub fn to_chars(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_mapped(bytes, &mut out);
    out
}

/// The bytes a byte-level token stands for; a token with any char outside the GPT-2 alphabet
/// (an added token such as `<|endoftext|>`) stands for its own UTF-8.
pub fn token_bytes(token: &str) -> Vec<u8> {
    token.chars().map(char_to_byte).collect::<Option<Vec<u8>>>().unwrap_or_else(|| token.as_bytes().to_vec())
}

/// The raw byte of a `<0xNN>` byte-fallback token, if `token` is one. As the reference, two hex
/// digits of either case, and Rust's `from_str_radix` also takes `+N` (so `<0x+A>` is 0x0A).
pub fn fallback_byte(token: &str) -> Option<u8> {
    let hex = token.strip_prefix("<0x")?.strip_suffix('>')?;
    if hex.len() != 2 {
        return None;
    }
    u8::from_str_radix(hex, 16).ok()
}

/// The `<0xNN>` byte-fallback token of byte `b`.
pub fn fallback_token(b: u8) -> String {
    format!("<0x{b:02X}>")
}

/// A pre-tokenized piece in the GPT-2 byte alphabet, for models other than BPE after a `ByteLevel`
/// pre-tokenizer (the reference rewrites the text; BPE does the mapping itself, faster).
pub(crate) struct ByteLevelPiece {
    pub text: String,
    /// For each byte of `text`, the byte range of the normalized text it stands for: one source
    /// byte, or the piece's first char for the virtual prefix space (the reference's `prepend`).
    source: Vec<(usize, usize)>,
}

impl ByteLevelPiece {
    pub fn new(text: &str, piece: Piece) -> Self {
        let bytes = text.as_bytes().get(piece.start..piece.end).unwrap_or_default();
        let mut mapped = ByteLevelPiece { text: String::with_capacity(bytes.len() * 2 + 2), source: Vec::new() };
        if piece.prefix_space {
            let first_end = text[piece.start..].chars().next().map_or(piece.start, |c| piece.start + c.len_utf8());
            mapped.push(b' ', (piece.start, first_end));
        }
        for (i, &b) in bytes.iter().enumerate() {
            mapped.push(b, (piece.start + i, piece.start + i + 1));
        }
        mapped
    }

    fn push(&mut self, byte: u8, source: (usize, usize)) {
        let c = BYTE_TO_CHAR[byte as usize];
        self.text.push(c);
        self.source.extend(std::iter::repeat_n(source, c.len_utf8()));
    }

    pub fn whole(&self) -> Piece {
        Piece::new(0, self.text.len())
    }

    /// Normalized-text span of mapped bytes `start..end`.
    pub fn source_span(&self, start: usize, end: usize) -> (usize, usize) {
        let first = self.source.get(start).map_or((0, 0), |s| *s);
        if end <= start {
            return (first.0, first.0);
        }
        (first.0, self.source.get(end - 1).map_or(first.1, |s| s.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_gpt2_landmarks() {
        assert_eq!(BYTE_TO_CHAR[b' ' as usize], 'Ġ');
        assert_eq!(BYTE_TO_CHAR[b'\n' as usize], 'Ċ');
        assert_eq!(BYTE_TO_CHAR[b'\t' as usize], 'ĉ');
        assert_eq!(BYTE_TO_CHAR[b'a' as usize], 'a');
        assert_eq!(BYTE_TO_CHAR[0xAD], 'Ń');
        for b in 0..=255u8 {
            assert_eq!(char_to_byte(BYTE_TO_CHAR[b as usize]), Some(b));
        }
        assert_eq!(char_to_byte('€'), None);
    }
}
