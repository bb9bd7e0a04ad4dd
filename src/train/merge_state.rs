//! The merge algorithm: every distinct piece laid end to end as linked symbols, each adjacent pair
//! with its count and the positions where it was formed (checked when used), so that a merge costs
//! what it changes. The order of merges is the reference trainer's (see the module above).

use super::{Progress, Stage, Trained, TrainerConfig};
use crate::error::{Error, ErrorKind, Result};
use crate::text::byte_level::{char_to_byte, BYTE_TO_CHAR};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BinaryHeap;

const NONE: u32 = u32::MAX;
/// `sym` of a position merged into its left neighbour.
const DEAD: u32 = u32::MAX;

fn concat(tokens: &[Vec<u8>], a: u32, b: u32) -> Vec<u8> {
    let mut t = tokens[a as usize].clone();
    t.extend_from_slice(&tokens[b as usize]);
    t
}

/// Stage-2 filters on a candidate token's bytes.
pub(super) struct Filter {
    max_words: Option<usize>,
    forbidden: Vec<Vec<u8>>,
}

impl Filter {
    pub fn none() -> Self {
        Filter { max_words: None, forbidden: vec![] }
    }

    pub fn new(config: &TrainerConfig) -> Result<Self> {
        if config.max_words == Some(0) {
            return Err(Error::new(
                ErrorKind::Input,
                "the word limit must be at least 1 (no limit: max_words None in Rust, maxWords null in JS, --max-words 0 on the CLI)",
            ));
        }
        let forbidden = config
            .forbidden_substrings
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.chars().map(char_to_byte).collect::<Option<Vec<u8>>>().ok_or_else(|| {
                    Error::new(ErrorKind::Input, format!("forbidden substring {s:?} is not spelled in byte-level chars (a space is `Ġ`)"))
                })
            })
            .collect::<Result<_>>()?;
        Ok(Filter { max_words: config.max_words, forbidden })
    }

    /// True when the reference fork would skip this merge.
    fn rejects(&self, token: &[u8]) -> bool {
        if self.forbidden.iter().any(|f| token.windows(f.len()).any(|w| w == f.as_slice())) {
            return true;
        }
        // The fork counts `token.split("Ġ").filter(|s| !s.is_empty())`; `Ġ` is byte 0x20.
        self.max_words.is_some_and(|max| token.split(|&b| b == b' ').filter(|w| !w.is_empty()).count() > max)
    }
}

/// A queue entry: the reference's `Merge` order (count, then the smaller pair first).
#[derive(PartialEq, Eq)]
struct Candidate {
    count: u64,
    pair: (u32, u32),
    index: u32,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.count.cmp(&other.count).then_with(|| other.pair.cmp(&self.pair))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Count and positions of one adjacent pair.
struct PairStat {
    pair: (u32, u32),
    /// Weighted occurrences (piece counts), as the reference's `pair_counts` (never reset when the
    /// pair is merged, as there).
    count: i64,
    /// Positions of the left symbol where the pair was formed; stale ones are skipped when used.
    positions: Vec<u32>,
    /// In the reference's replay queue (stage 2): formed with a positive count and not yet merged.
    queued: bool,
    /// Merge number that last touched this pair (to list each new pair once per merge).
    stamp: u32,
}

/// All distinct pieces laid end to end as linked symbols, with pair statistics.
pub(super) struct MergeState {
    pub stage: Stage,
    tokens: Vec<Vec<u8>>,
    index: HashMap<Vec<u8>, u32>,
    merges: Vec<(u32, u32)>,
    made: Vec<u32>,
    exhausted: bool,
    repeated: usize,
    sym: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    /// Piece count of the piece each position belongs to.
    weight: Vec<u64>,
    pairs: HashMap<(u32, u32), u32>,
    stats: Vec<PairStat>,
    heap: BinaryHeap<Candidate>,
    /// Weighted symbols: tokens of the training text under the merges so far.
    tokens_now: u64,
    bytes: u64,
    target: usize,
}

impl MergeState {
    /// The reference's steps 2–4: alphabet (chars that occur, in code point order), pieces as
    /// symbols, pair counts; every pair that occurs is queued.
    pub fn new(pieces: &HashMap<Box<[u8]>, u64>, stage: Stage, target: usize) -> Self {
        let mut seen = [false; 256];
        let mut total = 0usize;
        for piece in pieces.keys() {
            total += piece.len();
            for &b in piece.iter() {
                seen[b as usize] = true;
            }
        }
        let mut alphabet: Vec<u8> = (0..=255u8).filter(|&b| seen[b as usize]).collect();
        alphabet.sort_unstable_by_key(|&b| BYTE_TO_CHAR[b as usize] as u32);
        let mut byte_id = [NONE; 256];
        // The vocab can hold no more tokens than merges can make: a huge vocab size asked for
        // must not reserve memory for it.
        let reserve = target.min(256 + total);
        let mut state = MergeState {
            stage,
            tokens: Vec::with_capacity(reserve),
            index: HashMap::with_capacity_and_hasher(reserve, Default::default()),
            merges: Vec::with_capacity(reserve),
            made: Vec::with_capacity(reserve),
            exhausted: false,
            repeated: 0,
            sym: Vec::with_capacity(total),
            next: Vec::with_capacity(total),
            prev: Vec::with_capacity(total),
            weight: Vec::with_capacity(total),
            pairs: HashMap::default(),
            stats: Vec::new(),
            heap: BinaryHeap::new(),
            tokens_now: 0,
            bytes: 0,
            target,
        };
        for b in alphabet {
            byte_id[b as usize] = state.tokens.len() as u32;
            state.index.insert(vec![b], state.tokens.len() as u32);
            state.tokens.push(vec![b]);
        }
        // Pieces in a fixed order (by bytes) so that positions, and so runs, are reproducible.
        let mut sorted: Vec<(&[u8], u64)> = pieces.iter().map(|(k, &v)| (&**k, v)).collect();
        sorted.sort_unstable();
        for (piece, count) in sorted {
            let start = state.sym.len() as u32;
            for (i, &b) in piece.iter().enumerate() {
                let pos = start + i as u32;
                state.sym.push(byte_id[b as usize]);
                state.prev.push(if i == 0 { NONE } else { pos - 1 });
                state.next.push(if i + 1 == piece.len() { NONE } else { pos + 1 });
                state.weight.push(count);
                if i > 0 {
                    let pair = (state.sym[pos as usize - 1], state.sym[pos as usize]);
                    state.add(pair, count as i64, Some(pos - 1), u32::MAX);
                }
            }
            state.tokens_now += count * piece.len() as u64;
            state.bytes += count * piece.len() as u64;
        }
        for (i, stat) in state.stats.iter_mut().enumerate() {
            stat.stamp = NONE;
            if stat.count > 0 {
                stat.queued = true;
                state.heap.push(Candidate { count: stat.count as u64, pair: stat.pair, index: i as u32 });
            }
        }
        state
    }

    /// Adds `delta` to `pair`'s count, records `pos` as a place where it was formed, and stamps
    /// it with the current merge number; returns the pair's index.
    fn add(&mut self, pair: (u32, u32), delta: i64, pos: Option<u32>, stamp: u32) -> u32 {
        let index = match self.pairs.get(&pair) {
            Some(&i) => i,
            None => {
                let i = self.stats.len() as u32;
                self.pairs.insert(pair, i);
                self.stats.push(PairStat { pair, count: 0, positions: Vec::new(), queued: false, stamp: NONE });
                i
            }
        };
        let stat = &mut self.stats[index as usize];
        stat.count += delta;
        if let Some(p) = pos {
            stat.positions.push(p);
            stat.stamp = stamp;
        }
        index
    }

    fn progress(&self, progress: &mut dyn FnMut(&Progress) -> bool) -> Result<()> {
        let report = Progress {
            stage: self.stage,
            merges: self.merges.len(),
            vocab_size: self.tokens.len(),
            target: self.target,
            bytes_per_token: self.bytes as f64 / self.tokens_now.max(1) as f64,
        };
        if progress(&report) {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::Cancelled, "training was cancelled"))
        }
    }

    /// Makes the token `bytes` of pair `index` (or finds it), records the merge and applies it at
    /// every position where the pair stands, as the reference's `Word::merge` does word by word
    /// (left to right, so `a a a` becomes `aa a`). Returns the pairs formed, each once.
    fn merge(&mut self, index: u32, bytes: Vec<u8>, formed: &mut Vec<u32>) {
        let (a, b) = self.stats[index as usize].pair;
        let id = match self.index.get(&bytes) {
            Some(&id) => {
                self.repeated += 1;
                id
            }
            None => {
                let id = self.tokens.len() as u32;
                self.index.insert(bytes.clone(), id);
                self.tokens.push(bytes);
                id
            }
        };
        self.merges.push((a, b));
        self.made.push(id);
        let stamp = self.merges.len() as u32;
        let mut positions = std::mem::take(&mut self.stats[index as usize].positions);
        // Left to right: overlapping occurrences (`a a a`) resolve as in the reference.
        positions.sort_unstable();
        formed.clear();
        let note = |state: &mut Self, pair: (u32, u32), delta: i64, pos: Option<u32>, formed: &mut Vec<u32>| {
            let fresh = pos.is_some() && {
                let i = state.pairs.get(&pair).copied();
                i.is_none_or(|i| state.stats[i as usize].stamp != stamp)
            };
            let i = state.add(pair, delta, pos, stamp);
            if fresh {
                formed.push(i);
            }
        };
        for p in positions {
            let pu = p as usize;
            if self.sym[pu] != a {
                continue;
            }
            let q = self.next[pu];
            if q == NONE || self.sym[q as usize] != b {
                continue;
            }
            let w = self.weight[pu] as i64;
            let before = self.prev[pu];
            if before != NONE {
                let s = self.sym[before as usize];
                note(self, (s, a), -w, None, formed);
                note(self, (s, id), w, Some(before), formed);
            }
            let after = self.next[q as usize];
            self.sym[pu] = id;
            self.sym[q as usize] = DEAD;
            self.next[pu] = after;
            if after != NONE {
                self.prev[after as usize] = p;
                let s = self.sym[after as usize];
                note(self, (b, s), -w, None, formed);
                note(self, (id, s), w, Some(p), formed);
            }
            self.tokens_now -= w as u64;
        }
    }

    /// Stage 2's first step, the fork's replay: each inherited merge (its two tokens' bytes) is
    /// applied if both its tokens exist here and its pair has been queued (formed with a positive
    /// count) and not merged yet; otherwise it is dropped.
    pub fn replay(&mut self, inherited: &[(&[u8], &[u8])], progress: &mut dyn FnMut(&Progress) -> bool) -> Result<()> {
        let mut formed = Vec::new();
        let every = (inherited.len() / 100).max(1);
        for (n, &(a, b)) in inherited.iter().enumerate() {
            let (Some(&a), Some(&b)) = (self.index.get(a), self.index.get(b)) else {
                continue;
            };
            let Some(&index) = self.pairs.get(&(a, b)) else { continue };
            if !self.stats[index as usize].queued {
                continue;
            }
            self.stats[index as usize].queued = false;
            self.merge(index, concat(&self.tokens, a, b), &mut formed);
            for &i in &formed {
                let stat = &mut self.stats[i as usize];
                if stat.count > 0 {
                    stat.queued = true;
                }
            }
            if n % every == 0 {
                self.progress(progress)?;
            }
        }
        // The fork turns what is left of its replay queue into the heap of stage 2.
        self.heap.clear();
        for (i, stat) in self.stats.iter().enumerate() {
            if stat.queued && stat.count > 0 {
                self.heap.push(Candidate { count: stat.count as u64, pair: stat.pair, index: i as u32 });
            }
        }
        self.progress(progress)
    }

    /// The reference's merge loop: pop the best candidate; if its count is stale, requeue it with
    /// the current one; stop when the vocab is full or the best count is below 1 / `min_frequency`;
    /// skip (drop) candidates the filter rejects; merge the rest.
    pub fn learn(&mut self, vocab_size: usize, min_frequency: u64, filter: &Filter, progress: &mut dyn FnMut(&Progress) -> bool) -> Result<()> {
        let mut formed = Vec::new();
        let every = (vocab_size.saturating_sub(self.tokens.len()) / 100).max(1);
        while self.tokens.len() < vocab_size {
            let Some(mut top) = self.heap.pop() else {
                self.exhausted = true;
                break;
            };
            let current = self.stats[top.index as usize].count.max(0) as u64;
            if top.count != current {
                top.count = current;
                self.heap.push(top);
                continue;
            }
            if top.count < 1 || min_frequency > top.count {
                self.exhausted = true;
                break;
            }
            let bytes = concat(&self.tokens, top.pair.0, top.pair.1);
            if filter.rejects(&bytes) {
                continue;
            }
            self.merge(top.index, bytes, &mut formed);
            for &i in &formed {
                let stat = &self.stats[i as usize];
                if stat.count > 0 {
                    self.heap.push(Candidate { count: stat.count as u64, pair: stat.pair, index: i });
                }
            }
            if self.merges.len() % every == 0 {
                self.progress(progress)?;
            }
        }
        self.progress(progress)
    }

    pub fn finish(self, superwords: bool, corpus: (u64, usize), stage2_pattern: Option<String>) -> Trained {
        Trained { tokens: self.tokens, merges: self.merges, made: self.made, exhausted: self.exhausted, superwords, repeated: self.repeated, corpus, stage2_pattern }
    }
}
