//! Model stage helper: the tokens of short byte-level pieces, looked up before any other work.
//!
//! Of the 424,000 pieces o200k's pre-tokenizer cuts in 2 MB of English prose (" the", " way",
//! ","), all but ~750 are at most 16 bytes and encode to at most 3 tokens, and a few thousand
//! distinct ones make up most of any text. Such a piece is kept here whole, key and tokens inline
//! in one 32-byte slot: a lookup is one hash of two words, then (nearly always) one slot read and
//! two compares, where the general [`super::word_cache::WordCache`] hashes bytes, follows an index
//! and compares with `memcmp` (it was 27% of encoding o200k prose). Longer pieces and longer
//! results go there instead.
//!
//! Fixed size: 65,536 slots (2 MiB, allocated on first use), as the reference 1.0 rc's word cache.
//! A piece may sit in any of the 8 slots from its home slot on; a byte of its hash per slot (the
//! tag, as in Swiss tables) says which slots to compare. 2 MB of prose has ~45,000 distinct short
//! pieces: with 2 slots per home, 1 lookup in 28 missed on the second pass (each miss merges or
//! reads the word cache, ~1 µs); with 8, 1 in 400. A full window replaces one of its slots, chosen
//! by the hash. The cache changes speed only: a piece encodes the same whether it hits or not.

use crate::text::span::{tile, Symbol};

/// Longest piece kept, in bytes: a key is two little-endian words.
pub(crate) const MAX_PIECE: usize = 16;
/// Most tokens kept for one piece.
pub(crate) const MAX_TOKENS: usize = 3;
const SLOTS: usize = 1 << 16;
/// Slots a piece may take from its home slot on: one word of tags.
const WINDOW: usize = 8;

#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    /// The piece's bytes, zero after its end.
    key: [u64; 2],
    ids: [u32; MAX_TOKENS],
    /// Bits 0..5: the piece's length; 5..7: the token count; then 4 bits per token: its length
    /// in bytes less one.
    meta: u32,
}

/// Short pieces and their tokens (see the module docs).
#[derive(Default)]
pub(crate) struct PieceCache {
    /// One byte of hash per slot, high bit set; 0 for an empty slot. `WINDOW` more than `slots`
    /// so that a window starting at the last home slot reads no further than its end.
    tags: Vec<u8>,
    slots: Vec<Slot>,
}

/// The key of a piece of 1 to [`MAX_PIECE`] bytes: `text[start..start + len]`, zero-padded.
#[inline(always)]
pub(crate) fn key_of(text: &[u8], start: usize, len: usize) -> [u64; 2] {
    debug_assert!((1..=MAX_PIECE).contains(&len));
    let word = |bytes: &[u8], at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let raw = if start + MAX_PIECE <= text.len() {
        // One unaligned 16-byte read, masked: no copy loop for the common case.
        [word(text, start), word(text, start + 8)]
    } else {
        let mut buf = [0u8; MAX_PIECE];
        buf[..len].copy_from_slice(&text[start..start + len]);
        [word(&buf, 0), word(&buf, 8)]
    };
    let bits = len * 8;
    let mask = |shift: usize| if shift >= 64 { u64::MAX } else { (1u64 << shift) - 1 };
    [raw[0] & mask(bits), raw[1] & if bits <= 64 { 0 } else { mask(bits - 64) }]
}

/// `(home slot, tag)` of a key.
#[inline(always)]
fn place(key: [u64; 2], len: usize) -> (usize, u8) {
    let h = (key[0] ^ key[1].rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((h >> 48) as usize, (h >> 40) as u8 | 0x80)
}

impl Slot {
    #[inline(always)]
    fn holds(&self, key: [u64; 2], len: usize) -> bool {
        self.key == key && (self.meta & 31) as usize == len
    }

    /// Appends the slot's tokens, the first starting at byte `at`.
    #[inline(always)]
    fn push_tokens(&self, at: u32, out: &mut Vec<Symbol>) {
        let n = (self.meta >> 5 & 3) as usize;
        let mut start = at;
        for (k, &id) in self.ids[..n].iter().enumerate() {
            let end = start + (self.meta >> (7 + 4 * k) & 15) + 1;
            out.push(Symbol { id, start, end });
            start = end;
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// High bit set in each byte of `w` that is zero (and, harmlessly, maybe in a byte after one).
#[inline(always)]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & (ONES << 7)
}

impl PieceCache {
    /// The 8 tags of the window at `home`.
    #[inline(always)]
    fn window(&self, home: usize) -> u64 {
        u64::from_le_bytes(self.tags[home..home + WINDOW].try_into().unwrap())
    }

    /// Appends the tokens of the piece `key` (`len` bytes, starting at byte `at`) to `out` and
    /// returns true, if it is kept.
    #[inline(always)]
    pub fn get(&self, key: [u64; 2], len: usize, at: u32, out: &mut Vec<Symbol>) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let (home, tag) = place(key, len);
        // The home slot first, without its tag: a piece is put there whenever it is free, and
        // reading the tags first made every lookup two dependent reads of a 2 MiB table.
        if self.slots[home].holds(key, len) {
            self.slots[home].push_tokens(at, out);
            return true;
        }
        let mut candidates = zero_bytes(self.window(home) ^ (ONES * u64::from(tag)));
        while candidates != 0 {
            let slot = &self.slots[home + (candidates.trailing_zeros() / 8) as usize];
            candidates &= candidates - 1;
            if slot.holds(key, len) {
                slot.push_tokens(at, out);
                return true;
            }
        }
        false
    }

    /// Keeps the tokens of the piece `key` (`len` bytes): `symbols`, consecutive and covering the
    /// piece, if there are at most three. Takes the first free slot of its window, else the one
    /// the hash picks.
    pub fn insert(&mut self, key: [u64; 2], len: usize, symbols: &[Symbol]) {
        if symbols.is_empty() || symbols.len() > MAX_TOKENS {
            return;
        }
        // Kept only as lengths, so the tokens must tile the piece (they always do on BPE's fast
        // path; this keeps a slot from ever describing anything else).
        if !tile(symbols, len) {
            return;
        }
        if self.slots.is_empty() {
            self.tags = vec![0; SLOTS + WINDOW];
            self.slots = vec![Slot::default(); SLOTS + WINDOW];
        }
        let mut slot = Slot { key, ids: [0; MAX_TOKENS], meta: len as u32 | (symbols.len() as u32) << 5 };
        for (k, s) in symbols.iter().enumerate() {
            slot.ids[k] = s.id;
            slot.meta |= (s.end - s.start - 1) << (7 + 4 * k);
        }
        let (home, tag) = place(key, len);
        let free = zero_bytes(self.window(home));
        let i = home + if free != 0 { (free.trailing_zeros() / 8) as usize } else { usize::from(tag) % WINDOW };
        self.tags[i] = tag;
        self.slots[i] = slot;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_short_pieces_by_their_bytes_alone() {
        let text = b"the way, by the way and the rest of the text";
        let mut cache = PieceCache::default();
        let mut out = Vec::new();
        assert!(!cache.get(key_of(text, 0, 3), 3, 0, &mut out));
        let the = [Symbol { id: 5, start: 0, end: 2 }, Symbol { id: 6, start: 2, end: 3 }];
        cache.insert(key_of(text, 0, 3), 3, &the);
        // "the" again at byte 12 (masked from a 16-byte read) and at byte 36 (the copy near the
        // end), tokens moved to where it is now.
        for at in [12, 36] {
            out.clear();
            assert!(cache.get(key_of(text, at, 3), 3, at as u32, &mut out));
            let at = at as u32;
            assert_eq!(out, [Symbol { id: 5, start: at, end: at + 2 }, Symbol { id: 6, start: at + 2, end: at + 3 }]);
        }
        // Same first bytes, other lengths: other keys.
        assert!(!cache.get(key_of(text, 0, 2), 2, 0, &mut out));
        assert!(!cache.get(key_of(text, 0, 4), 4, 0, &mut out));
        // 16 bytes and 3 tokens of up to 16 bytes are kept; a fourth token is not.
        let long = b"abcdefghijklmnopq";
        let three = [Symbol { id: 1, start: 0, end: 1 }, Symbol { id: 2, start: 1, end: 15 }, Symbol { id: 3, start: 15, end: 16 }];
        cache.insert(key_of(long, 0, 16), 16, &three);
        out.clear();
        assert!(cache.get(key_of(long, 0, 16), 16, 0, &mut out));
        assert_eq!(out, three);
        assert!(!cache.get(key_of(long, 1, 16), 16, 1, &mut out));
        let four = [three[0], three[1], Symbol { id: 3, start: 15, end: 16 }, Symbol { id: 4, start: 16, end: 17 }];
        cache.insert(key_of(long, 1, 16), 16, &four);
        assert!(!cache.get(key_of(long, 1, 16), 16, 1, &mut out));
    }

    #[test]
    fn a_window_keeps_eight_pieces_then_replaces_one() {
        let mut cache = PieceCache::default();
        let sym = |id| [Symbol { id, start: 0, end: 8 }];
        // Nine 8-byte keys of one home slot.
        let home = |k: &[u8; 8]| place(key_of(k, 0, 8), 8).0;
        let first = 0u64.to_le_bytes();
        let keys: Vec<[u8; 8]> = (0u64..).map(|i| i.to_le_bytes()).filter(|k| home(k) == home(&first)).take(9).collect();
        let mut out = Vec::new();
        for (id, k) in keys.iter().enumerate().take(8) {
            cache.insert(key_of(k, 0, 8), 8, &sym(id as u32));
        }
        assert!(keys[..8].iter().all(|k| cache.get(key_of(k, 0, 8), 8, 0, &mut out)));
        assert_eq!(out.iter().map(|s| s.id).collect::<Vec<_>>(), (0..8).collect::<Vec<_>>());
        cache.insert(key_of(&keys[8], 0, 8), 8, &sym(8));
        let hits = keys.iter().filter(|k| cache.get(key_of(*k, 0, 8), 8, 0, &mut out)).count();
        assert_eq!(hits, 8, "the ninth replaced one of the eight");
        assert!(cache.get(key_of(&keys[8], 0, 8), 8, 0, &mut out));
    }
}
