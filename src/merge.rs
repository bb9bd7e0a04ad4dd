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

/// Above this many symbols the heap variant is used. Below it the scan is faster: each step
/// touches a few cache lines and no heap entries are pushed.
const SHORT_WORD: usize = 48;

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
}

#[inline]
fn key(left: u32, right: u32) -> u64 {
    (u64::from(left) << 32) | u64::from(right)
}

/// Merges `symbols` in place.
pub(crate) fn merge(symbols: &mut Vec<Symbol>, merges: &MergeTable) {
    if symbols.len() < 2 {
        return;
    }
    if symbols.len() <= SHORT_WORD {
        merge_scan(symbols, merges);
    } else {
        merge_heap(symbols, merges);
    }
}

const NONE: u32 = u32::MAX;

fn merge_scan(symbols: &mut Vec<Symbol>, merges: &MergeTable) {
    let rank_at = |s: &[Symbol], i: usize| merges.get(s[i].id, s[i + 1].id).map_or((NONE, 0), |m| m);
    let mut ranks: Vec<(u32, u32)> = (0..symbols.len() - 1).map(|i| rank_at(symbols, i)).collect();
    loop {
        // Leftmost minimum: strict `<` keeps the first of equal ranks.
        let mut best = NONE;
        let mut at = 0;
        for (i, &(rank, _)) in ranks.iter().enumerate() {
            if rank < best {
                best = rank;
                at = i;
            }
        }
        if best == NONE {
            return;
        }
        let right = symbols.remove(at + 1);
        symbols[at].id = ranks[at].1;
        symbols[at].end = right.end;
        ranks.remove(at);
        if at < ranks.len() {
            ranks[at] = rank_at(symbols, at);
        }
        if at > 0 {
            ranks[at - 1] = rank_at(symbols, at - 1);
        }
    }
}

fn merge_heap(symbols: &mut Vec<Symbol>, merges: &MergeTable) {
    let n = symbols.len();
    // Linked list over positions; a merged-away symbol gets `end == start` as a tombstone.
    let mut next: Vec<u32> = (1..=n as u32).collect();
    let mut prev: Vec<u32> = (0..n as u32).map(|i| i.wrapping_sub(1)).collect();
    next[n - 1] = NONE;
    let mut alive = vec![true; n];
    let mut heap: BinaryHeap<Reverse<(u32, u32)>> = BinaryHeap::with_capacity(n);
    for i in 0..n - 1 {
        if let Some((rank, _)) = merges.get(symbols[i].id, symbols[i + 1].id) {
            heap.push(Reverse((rank, i as u32)));
        }
    }
    while let Some(Reverse((rank, pos))) = heap.pop() {
        let pos = pos as usize;
        if !alive[pos] || next[pos] == NONE {
            continue;
        }
        let right = next[pos] as usize;
        // Stale entry: the pair at `pos` changed since it was pushed. Ranks are unique per pair,
        // so an equal rank means the same pair.
        let Some((current, merged)) = merges.get(symbols[pos].id, symbols[right].id) else { continue };
        if current != rank {
            continue;
        }
        symbols[pos].id = merged;
        symbols[pos].end = symbols[right].end;
        alive[right] = false;
        next[pos] = next[right];
        if next[pos] != NONE {
            prev[next[pos] as usize] = pos as u32;
        }
        if prev[pos] != NONE {
            let p = prev[pos] as usize;
            if let Some((r, _)) = merges.get(symbols[p].id, symbols[pos].id) {
                heap.push(Reverse((r, p as u32)));
            }
        }
        if next[pos] != NONE {
            let q = next[pos] as usize;
            if let Some((r, _)) = merges.get(symbols[pos].id, symbols[q].id) {
                heap.push(Reverse((r, pos as u32)));
            }
        }
    }
    let mut i = 0;
    symbols.retain(|_| {
        i += 1;
        alive[i - 1]
    });
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

    #[test]
    fn scan_and_heap_agree() {
        let mut rng = Lcg(7);
        for round in 0..300 {
            // 4 base symbols, random merges creating new ids; ties and repeats are common.
            let mut merges = MergeTable::default();
            for rank in 0..(5 + round % 20) {
                // Merge `rank` creates id 4 + rank from two ids that exist by then.
                let new_id = 4 + rank;
                let (a, b) = (rng.next(new_id), rng.next(new_id));
                merges.insert(a, b, rank, new_id);
            }
            let len = 1 + rng.next(120) as usize;
            let word: Vec<Symbol> =
                (0..len as u32).map(|i| Symbol { id: rng.next(4), start: i, end: i + 1 }).collect();
            let mut a = word.clone();
            let mut b = word.clone();
            merge_scan(&mut a, &merges);
            if b.len() >= 2 {
                merge_heap(&mut b, &merges);
            }
            assert_eq!(a, b, "round {round}");
        }
    }

    #[test]
    fn leftmost_wins_on_ties() {
        let mut merges = MergeTable::default();
        merges.insert(0, 0, 0, 1);
        let mut w: Vec<Symbol> = (0..3).map(|i| Symbol { id: 0, start: i, end: i + 1 }).collect();
        merge(&mut w, &merges);
        assert_eq!(w, vec![Symbol { id: 1, start: 0, end: 2 }, Symbol { id: 0, start: 2, end: 3 }]);
    }
}
