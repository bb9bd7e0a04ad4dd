//! SentencePiece's `precompiled_charsmap`: the normalization rules of a SentencePiece model
//! (`nmt_nfkc`, `nfkc_cf`, custom TSV rules) compiled into a Darts double-array trie.
//!
//! Reads the blob as the reference does through the `spm_precompiled` crate (0.1.4), including
//! its quirks: a lookup returns the replacement of the *shortest* key that prefixes the chunk,
//! and stops at a NUL byte. Malformed blobs never panic here: an index out of range just means
//! "no rule" (the reference would panic on those).
//!
//! Blob layout: `u32` little-endian byte length `n` of the trie, `n / 4` little-endian `u32`
//! units, then the replacement strings, each terminated by `\0`, which must be valid UTF-8.

use crate::error::{Error, Result};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// Base64 as the reference's `base64` 0.13 `decode` reads it: standard alphabet, padding optional,
/// non-zero trailing bits rejected.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A parsed `precompiled_charsmap`.
#[derive(Clone)]
pub(crate) struct Precompiled {
    /// Double-array units. Decoded as 64-bit, as the reference (`usize` on 64-bit hosts) does,
    /// so that offsets shifted by 8 bits do not wrap on wasm32.
    units: Vec<u64>,
    /// The replacement strings, each ended by `\0`; a trie value is a byte offset into it.
    replacements: String,
}

impl std::fmt::Debug for Precompiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Precompiled({} units, {} bytes of replacements)", self.units.len(), self.replacements.len())
    }
}

impl Precompiled {
    /// Parses the base64 text of `precompiled_charsmap` (as `tokenizer.json` stores it).
    pub fn from_base64(text: &str) -> Result<Self> {
        let blob = BASE64
            .decode(text)
            .map_err(|e| Error::invalid("normalizer", format!("Precompiled `precompiled_charsmap` is not base64: {e}")))?;
        Self::from_bytes(&blob)
    }

    /// Parses the binary charsmap (layout in the module docs).
    pub fn from_bytes(blob: &[u8]) -> Result<Self> {
        let bad = |what: &str| Error::invalid("normalizer", format!("cannot parse Precompiled `precompiled_charsmap`: {what}"));
        let le_u32 = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if blob.len() < 4 {
            return Err(bad("shorter than its header"));
        }
        let trie_units = le_u32(blob) as usize / 4;
        let trie_end = trie_units.checked_mul(4).and_then(|n| n.checked_add(4)).filter(|&end| end <= blob.len());
        let Some(trie_end) = trie_end else { return Err(bad("trie longer than the blob")) };
        let units = blob[4..trie_end].chunks_exact(4).map(|b| u64::from(le_u32(b))).collect();
        let replacements = String::from_utf8(blob[trie_end..].to_vec()).map_err(|_| bad("replacements are not UTF-8"))?;
        Ok(Precompiled { units, replacements })
    }

    /// The replacement for `chunk`: that of the shortest key prefixing `chunk`'s bytes (up to a
    /// NUL byte), as the reference's `Precompiled::transform` (`results[0]` of the double array's
    /// `common_prefix_search`). `None` when no key prefixes it.
    pub fn lookup(&self, chunk: &str) -> Option<&str> {
        let value = self.first_value(chunk.as_bytes())?;
        let rest = self.replacements.as_bytes().get(value..)?;
        let len = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        self.replacements.get(value..value + len)
    }

    /// Walks the double array along `key` and returns the value of the first leaf met.
    fn first_value(&self, key: &[u8]) -> Option<usize> {
        // Unit fields, as Darts lays them out.
        let has_leaf = |u: u64| (u >> 8) & 1 == 1;
        let value = |u: u64| (u & ((1 << 31) - 1)) as usize;
        let label = |u: u64| u & ((1 << 31) | 0xFF);
        let offset = |u: u64| (u >> 10) << ((u & (1 << 9)) >> 6);

        let mut pos = offset(*self.units.first()?);
        for &byte in key {
            if byte == 0 {
                break;
            }
            pos ^= u64::from(byte);
            let unit = *self.units.get(usize::try_from(pos).ok()?)?;
            if label(unit) != u64::from(byte) {
                return None;
            }
            pos ^= offset(unit);
            if has_leaf(unit) {
                return Some(value(*self.units.get(usize::try_from(pos).ok()?)?));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiled by SentencePiece 0.2.1 from the rules in tests/fixtures/components/README.md.
    const SMALL: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/components/small_charsmap.b64"));

    #[test]
    fn looks_up_the_shortest_matching_key() {
        let p = Precompiled::from_base64(SMALL.trim()).unwrap();
        // As PyPI tokenizers 0.23.3's Precompiled normalizes these single graphemes.
        assert_eq!(p.lookup("a"), Some("A"));
        assert_eq!(p.lookup("\u{fb01}"), Some("fi"));
        assert_eq!(p.lookup("x"), Some(""));
        assert_eq!(p.lookup("\u{1F44D}"), Some("+1"));
        assert_eq!(p.lookup("e\u{301}"), Some("\u{e9}"));
        // Only the shortest key counts: "e\u{301}\u{301}" normalizes to "é" in the reference.
        assert_eq!(p.lookup("e\u{301}\u{301}"), Some("\u{e9}"));
        assert_eq!(p.lookup("ab"), Some("A"));
        // `dd` is a rule but `d` is not.
        assert_eq!(p.lookup("d"), None);
        assert_eq!(p.lookup("dd"), Some("D"));
        assert_eq!(p.lookup("e"), None);
        assert_eq!(p.lookup("b"), None);
        assert_eq!(p.lookup(""), None);
        // The walk stops at NUL.
        assert_eq!(p.lookup("\0a"), None);
    }

    #[test]
    fn rejects_malformed_blobs() {
        assert!(Precompiled::from_bytes(&[]).is_err());
        assert!(Precompiled::from_bytes(&[8, 0, 0, 0, 1, 0, 0, 0]).is_err());
        assert!(Precompiled::from_bytes(&[4, 0, 0, 0, 1, 0, 0, 0, 0xFF]).is_err());
        assert!(Precompiled::from_base64("not base64!").is_err());
        // A trie whose units point anywhere: lookups find nothing instead of panicking.
        let p = Precompiled::from_bytes(&[8, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).unwrap();
        assert_eq!(p.lookup("abc"), None);
        assert_eq!(p.lookup(""), None);
    }
}
