//! The BPE merge loop alone: repeatedly merge the adjacent pair of lowest rank, the leftmost one
//! on ties, until no adjacent pair has a merge. This is the order the reference `Word::merge_all`
//! produces (a heap ordered by rank then position, with stale entries skipped).
//!
//! Two implementations of the same order, chosen by length:
//! - short words (the common case, a few symbols): a linear scan over a cached rank per pair,
//!   O(n²) in the symbols but with no allocation beyond one small vector;
//! - long words (SuperBPE pieces are whole sentences; a 100 KB line with no split point is one
//!   piece): a binary heap over a linked list, O(n log n), so no input is quadratic.

use crate::text::span::Symbol;
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Up to this many symbols the scan variant is used: each step touches one small array on the
/// stack and pushes no heap entries. Above it the heap's O(log n) steps win.
const SHORT_WORD: usize = 16;

/// `(left id, right id)` → `(rank, merged id)`. Rank is the merge's index in `merges`.
#[derive(Debug, Default)]
pub(crate) struct MergeTable {
    map: FxHashMap<u64, (u32, u32)>,
    /// Byte-level BPE: `(rank, merged id)` of the pair of one-byte tokens `(a, b)` at
    /// `a << 8 | b`. Every piece starts as bytes, so its first ranks come from this 512 KB table
    /// instead of the large hash map, whose lookups are cache misses.
    byte_pairs: Vec<(u32, u32)>,
}

impl MergeTable {
    pub fn with_capacity(n: usize) -> Self {
        MergeTable { map: FxHashMap::with_capacity_and_hasher(n, Default::default()), byte_pairs: Vec::new() }
    }

    /// Inserts a merge; a later merge of the same pair replaces the earlier one, as the
    /// reference's `collect` into a hash map does.
    pub fn insert(&mut self, left: u32, right: u32, rank: u32, merged: u32) {
        self.map.insert(key(left, right), (rank, merged));
    }

    #[inline]
    pub fn get(&self, left: u32, right: u32) -> Option<(u32, u32)> {
        self.map.get(&key(left, right)).copied()
    }

    /// Fills the byte-pair table from the id of each byte's one-char token.
    pub fn index_byte_pairs(&mut self, byte_ids: &[u32; 256]) {
        self.byte_pairs = (0..1 << 16).map(|i| self.rank(byte_ids[i >> 8], byte_ids[i & 0xFF])).collect();
    }

    /// `(rank, merged id)` of the pair of bytes `(a, b)` (after [`MergeTable::index_byte_pairs`]).
    #[inline]
    fn byte_pair(&self, a: u8, b: u8) -> (u32, u32) {
        self.byte_pairs[usize::from(a) << 8 | usize::from(b)]
    }

    /// `(rank, merged id)` of a pair, rank [`NONE`] when the pair has no merge.
    #[inline]
    fn rank(&self, left: u32, right: u32) -> (u32, u32) {
        self.get(left, right).unwrap_or((NONE, 0))
    }

    /// Every merge as `(left id, right id, rank, merged id)`, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32, u32, u32)> + '_ {
        self.map.iter().map(|(&k, &(rank, merged))| ((k >> 32) as u32, k as u32, rank, merged))
    }
}

#[inline]
fn key(left: u32, right: u32) -> u64 {
    (u64::from(left) << 32) | u64::from(right)
}

const NONE: u32 = u32::MAX;

/// The merge table as one merge loop sees it: merges of rank `limit` and above do not exist.
#[derive(Clone, Copy)]
struct Limited<'m> {
    merges: &'m MergeTable,
    limit: u32,
}

impl Limited<'_> {
    #[inline]
    fn rank(&self, left: u32, right: u32) -> (u32, u32) {
        self.cap(self.merges.rank(left, right))
    }

    #[inline]
    fn cap(&self, pair: (u32, u32)) -> (u32, u32) {
        if pair.0 < self.limit { pair } else { (NONE, 0) }
    }
}

/// Buffers of the heap variant, kept between words so that merging allocates nothing once they
/// have grown to the longest word.
#[derive(Default)]
pub(crate) struct Merger {
    next: Vec<u32>,
    prev: Vec<u32>,
    /// `(rank, merged id)` of the pair starting at each live position ([`NONE`] rank: no merge).
    pair: Vec<(u32, u32)>,
    /// `rank << 32 | position`, smallest first: lowest rank, then leftmost.
    heap: BinaryHeap<Reverse<u64>>,
}

impl Merger {
    /// Frees the buffers if they hold room for more than `symbols` symbols: what one long word
    /// grew them to (up to 32 MiB with no split point) is not kept for the calls after it.
    pub fn shrink(&mut self, symbols: usize) {
        if self.next.capacity() > symbols {
            *self = Merger::default();
        }
    }

    /// Symbols of room the buffers hold.
    #[cfg(test)]
    pub fn capacity(&self) -> usize {
        self.next.capacity()
    }

    /// Merges `symbols` in place.
    pub fn merge(&mut self, symbols: &mut Vec<Symbol>, merges: &MergeTable) {
        self.merge_from(symbols, Limited { merges, limit: NONE }, None);
    }

    /// Merges `symbols`, the one-byte tokens of `bytes`, in place, applying only the merges of
    /// rank below `limit` (`u32::MAX`: all). First ranks come from the byte-pair table (see
    /// [`MergeTable::index_byte_pairs`]).
    pub fn merge_bytes(&mut self, symbols: &mut Vec<Symbol>, merges: &MergeTable, bytes: &[u8], limit: u32) {
        self.merge_from(symbols, Limited { merges, limit }, Some(bytes));
    }

    fn merge_from(&mut self, symbols: &mut Vec<Symbol>, merges: Limited<'_>, bytes: Option<&[u8]>) {
        if symbols.len() < 2 {
            return;
        }
        let first_rank = |i: usize| match bytes {
            Some(b) => merges.cap(merges.merges.byte_pair(b[i], b[i + 1])),
            None => merges.rank(symbols[i].id, symbols[i + 1].id),
        };
        if symbols.len() <= SHORT_WORD {
            let mut ranks = [(NONE, 0); SHORT_WORD];
            for (i, r) in ranks.iter_mut().enumerate().take(symbols.len() - 1) {
                *r = first_rank(i);
            }
            merge_scan(symbols, merges, ranks);
        } else {
            self.pair.clear();
            self.pair.extend((0..symbols.len() - 1).map(first_rank));
            self.merge_heap(symbols, merges);
        }
    }

    /// O(n log n): a heap of candidate pairs over a linked list of symbols, starting from the
    /// first ranks in `self.pair` (one per adjacent pair). A heap entry is current when its rank
    /// is still the rank of the pair at its position: a position's left symbol only grows, so a
    /// pair never comes back once it has changed, and ranks are unique per pair, so an equal
    /// rank is the same pair.
    fn merge_heap(&mut self, symbols: &mut Vec<Symbol>, merges: Limited<'_>) {
        let n = symbols.len();
        let Merger { next, prev, pair, heap } = self;
        next.clear();
        next.extend(1..=n as u32);
        next[n - 1] = NONE;
        prev.clear();
        prev.extend((0..n as u32).map(|i| i.wrapping_sub(1)));
        pair.push((NONE, 0));
        heap.clear();
        heap.extend(pair.iter().enumerate().filter(|(_, p)| p.0 != NONE).map(|(i, p)| Reverse(u64::from(p.0) << 32 | i as u64)));
        while let Some(Reverse(entry)) = heap.pop() {
            let (rank, pos) = ((entry >> 32) as u32, entry as u32 as usize);
            if pair[pos].0 != rank {
                continue;
            }
            let right = next[pos] as usize;
            symbols[pos].id = pair[pos].1;
            symbols[pos].end = symbols[right].end;
            // Unlink `right`; its pair is gone with it.
            pair[right].0 = NONE;
            next[pos] = next[right];
            if next[pos] != NONE {
                prev[next[pos] as usize] = pos as u32;
            }
            if prev[pos] != NONE {
                let p = prev[pos] as usize;
                pair[p] = merges.rank(symbols[p].id, symbols[pos].id);
                if pair[p].0 != NONE {
                    heap.push(Reverse(u64::from(pair[p].0) << 32 | p as u64));
                }
            }
            pair[pos] = if next[pos] != NONE { merges.rank(symbols[pos].id, symbols[next[pos] as usize].id) } else { (NONE, 0) };
            if pair[pos].0 != NONE {
                heap.push(Reverse(u64::from(pair[pos].0) << 32 | pos as u64));
            }
        }
        // Keep the live symbols, in order.
        let mut kept = 0;
        let mut i = 0;
        while i != NONE as usize {
            symbols[kept] = symbols[i];
            kept += 1;
            i = next[i] as usize;
        }
        symbols.truncate(kept);
    }
}

/// O(n²) for tiny words, without allocation: the leftmost lowest-ranked pair by linear scan,
/// from the first ranks of the adjacent pairs.
fn merge_scan(symbols: &mut Vec<Symbol>, merges: Limited<'_>, mut ranks: [(u32, u32); SHORT_WORD]) {
    let mut len = symbols.len();
    loop {
        // Leftmost minimum: strict `<` keeps the first of equal ranks.
        let mut best = NONE;
        let mut at = 0;
        for (i, &(rank, _)) in ranks[..len - 1].iter().enumerate() {
            if rank < best {
                best = rank;
                at = i;
            }
        }
        if best == NONE {
            symbols.truncate(len);
            return;
        }
        symbols[at].id = ranks[at].1;
        symbols[at].end = symbols[at + 1].end;
        symbols.copy_within(at + 2..len, at + 1);
        ranks.copy_within(at + 1..len - 1, at);
        len -= 1;
        if at + 1 < len {
            ranks[at] = merges.rank(symbols[at].id, symbols[at + 1].id);
        }
        if at > 0 {
            ranks[at - 1] = merges.rank(symbols[at - 1].id, symbols[at].id);
        }
        if len == 1 {
            symbols.truncate(1);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic generator, so the test needs no dependency.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u32) -> u32 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % u64::from(n)) as u32
        }
    }

    /// The merge order spelled out: the leftmost lowest-ranked pair, one at a time.
    fn naive(symbols: &mut Vec<Symbol>, merges: &MergeTable) {
        loop {
            let best = (0..symbols.len().saturating_sub(1))
                .filter_map(|i| merges.get(symbols[i].id, symbols[i + 1].id).map(|(r, m)| (r, i, m)))
                .min();
            let Some((_, i, merged)) = best else { return };
            let right = symbols.remove(i + 1);
            symbols[i].id = merged;
            symbols[i].end = right.end;
        }
    }

    #[test]
    fn scan_and_heap_merge_as_the_naive_order() {
        let mut rng = Lcg(7);
        let mut merger = Merger::default();
        for round in 0..600 {
            // 4 base symbols, random merges creating new ids; ties and repeats are common.
            let mut merges = MergeTable::default();
            for rank in 0..(5 + round % 20) {
                // Merge `rank` creates id 4 + rank from two ids that exist by then.
                let new_id = 4 + rank;
                let (a, b) = (rng.next(new_id), rng.next(new_id));
                merges.insert(a, b, rank, new_id);
            }
            let len = 1 + rng.next(if round % 2 == 0 { SHORT_WORD as u32 } else { 120 }) as usize;
            let word: Vec<Symbol> =
                (0..len as u32).map(|i| Symbol { id: rng.next(4), start: i, end: i + 1 }).collect();
            let mut expected = word.clone();
            naive(&mut expected, &merges);
            let mut got = word.clone();
            merger.merge(&mut got, &merges);
            assert_eq!(got, expected, "round {round}");
            if len >= 2 {
                let mut heap = word.clone();
                merger.pair.clear();
                merger.pair.extend((0..len - 1).map(|i| merges.rank(word[i].id, word[i + 1].id)));
                merger.merge_heap(&mut heap, Limited { merges: &merges, limit: NONE });
                assert_eq!(heap, expected, "heap, round {round}");
            }
        }
    }

    #[test]
    fn leftmost_wins_on_ties() {
        let mut merges = MergeTable::default();
        merges.insert(0, 0, 0, 1);
        for len in [3, SHORT_WORD as u32 + 3] {
            let mut w: Vec<Symbol> = (0..len).map(|i| Symbol { id: 0, start: i, end: i + 1 }).collect();
            Merger::default().merge(&mut w, &merges);
            assert_eq!(w[..2], [Symbol { id: 1, start: 0, end: 2 }, Symbol { id: if len == 3 { 0 } else { 1 }, start: 2, end: if len == 3 { 3 } else { 4 } }]);
        }
    }
}
