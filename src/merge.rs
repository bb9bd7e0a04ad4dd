//! The BPE merge loop alone: repeatedly merge the adjacent pair of lowest rank, the leftmost one
//! on ties, until no adjacent pair has a merge. This is the order the reference `Word::merge_all`
//! produces (a heap ordered by rank then position, with stale entries skipped).
//!
//! Two implementations of the same order, chosen by length:
//! - short words (the common case, a few symbols): a linear scan over a cached rank per pair,
//!   O(n²) in the symbols but with no allocation beyond one small vector;
//! - long words (SuperBPE pieces are whole sentences; a 100 KB line with no split point is one
//!   piece): a binary heap over a linked list, O(n log n), so no input is quadratic.

use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Up to this many symbols the scan variant is used: each step touches one small array on the
/// stack and pushes no heap entries. Above it the heap's O(log n) steps win.
const SHORT_WORD: usize = 16;

/// A token under construction: its id and the byte range of the normalized text it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Symbol {
    pub id: u32,
    pub start: u32,
    pub end: u32,
}

/// `(left id, right id)` → `(rank, merged id)`. Rank is the merge's index in `merges`.
#[derive(Debug, Default)]
pub(crate) struct MergeTable {
    map: FxHashMap<u64, (u32, u32)>,
}

impl MergeTable {
    pub fn with_capacity(n: usize) -> Self {
        MergeTable { map: FxHashMap::with_capacity_and_hasher(n, Default::default()) }
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

    /// `(rank, merged id)` of a pair, rank [`NONE`] when the pair has no merge.
    #[inline]
    fn rank(&self, left: u32, right: u32) -> (u32, u32) {
        self.get(left, right).unwrap_or((NONE, 0))
    }
}

#[inline]
fn key(left: u32, right: u32) -> u64 {
    (u64::from(left) << 32) | u64::from(right)
}

const NONE: u32 = u32::MAX;

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
    /// Merges `symbols` in place.
    pub fn merge(&mut self, symbols: &mut Vec<Symbol>, merges: &MergeTable) {
        if symbols.len() < 2 {
            return;
        }
        if symbols.len() <= SHORT_WORD {
            merge_scan(symbols, merges);
        } else {
            self.merge_heap(symbols, merges);
        }
    }

    /// O(n log n): a heap of candidate pairs over a linked list of symbols. A heap entry is
    /// current when its rank is still the rank of the pair at its position: a position's left
    /// symbol only grows, so a pair never comes back once it has changed, and ranks are unique
    /// per pair, so an equal rank is the same pair.
    fn merge_heap(&mut self, symbols: &mut Vec<Symbol>, merges: &MergeTable) {
        let n = symbols.len();
        let Merger { next, prev, pair, heap } = self;
        next.clear();
        next.extend(1..=n as u32);
        next[n - 1] = NONE;
        prev.clear();
        prev.extend((0..n as u32).map(|i| i.wrapping_sub(1)));
        pair.clear();
        heap.clear();
        for i in 0..n {
            let p = if i + 1 < n { merges.rank(symbols[i].id, symbols[i + 1].id) } else { (NONE, 0) };
            pair.push(p);
            if p.0 != NONE {
                heap.push(Reverse(u64::from(p.0) << 32 | i as u64));
            }
        }
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

/// O(n²) for tiny words, without allocation: the leftmost lowest-ranked pair by linear scan.
fn merge_scan(symbols: &mut Vec<Symbol>, merges: &MergeTable) {
    let mut ranks = [(NONE, 0); SHORT_WORD];
    let mut len = symbols.len();
    for i in 0..len - 1 {
        ranks[i] = merges.rank(symbols[i].id, symbols[i + 1].id);
    }
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
                merger.merge_heap(&mut heap, &merges);
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
