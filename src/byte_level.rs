//! The GPT-2 byte ↔ char table used by byte-level BPE: every byte gets a printable char so that
//! vocab entries are plain strings (`Ġ` is the space byte 0x20, `Ċ` is 0x0A).
//!
//! Reproduces `bytes_char()` of the reference `tokenizers` (pre_tokenizers/byte_level.rs), itself
//! taken from OpenAI's GPT-2 `encoder.py`: printable Latin-1 bytes map to themselves, the other 68
//! bytes map to U+0100 onwards in byte order.

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
    out.extend(bytes.iter().map(|&b| BYTE_TO_CHAR[b as usize]));
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
