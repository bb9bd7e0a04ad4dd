//! Trainer: byte-level BPE, and two-stage SuperBPE (Liu et al., 2025), reproducing the merges and
//! vocab of the reference trainers exactly, order included.
//!
//! - **BPE** is the reference `BpeTrainer::do_train` (PyPI `tokenizers`): count the pieces of the
//!   stage-1 pre-tokenizer ([`SUBWORD_PATTERN`], whitespace-delimited words), start from the bytes
//!   that occur (ids in code point order of their byte-level chars), then repeatedly merge the
//!   most frequent adjacent pair, a tie going to the smaller `(left id, right id)`, until the
//!   vocab holds `vocab_size` tokens or no pair occurs.
//! - **SuperBPE** is the paper's fork of that trainer (`do_train_extend`): the merges BPE learned
//!   before its vocab reached the transition point `t` are replayed in rank order on the pieces of
//!   the stage-2 pre-tokenizer (only digit runs are split, so a piece is a whole line); a merge
//!   whose pair never became adjacent in the replay is dropped. Then merging goes on, skipping any
//!   candidate whose token contains a forbidden substring (`:Ġ`) or has more than `max_words`
//!   words (`Ġ`-separated non-empty parts), until the vocab holds `vocab_size` tokens.
//!
//! The reference rescans every word that holds a merged pair; here each pair keeps the positions
//! where it was formed (validated when used), so a merge costs what it changes: stage 2, whose
//! pieces are sentence-long, stays linear. The reference's per-word bookkeeping and ours agree as
//! long as every merge makes a token that did not exist yet. When a merge makes an existing token
//! again (different pairs spelling the same bytes: never on the shared corpus), the reference
//! queues a second entry for each pair around that token, merges only in the words of the entry it
//! pops and lists the merge again when it pops the other; which of two entries of equal count it
//! pops first follows the order its hash map (randomly seeded per process) gave the pushes, so
//! its own result is not fixed there. We merge everywhere at once; [`Trained::repeated_tokens`]
//! counts such merges so that a caller can tell.

use crate::text::byte_level::{self, char_to_byte, BYTE_TO_CHAR};
use crate::error::{Error, ErrorKind, Result};
use crate::text::offsets::NormalizedText;
use crate::pre_tokenizer::PreTokenizer;
use crate::text::span::Piece;
use serde::Serialize;
use std::borrow::Cow;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BinaryHeap;

/// Stage-1 split pattern of the shared reference job (`Split`, `Isolated`, after
/// `Digits(individual_digits=false)`): digit runs cut in threes from the right, words with their
/// leading space, punctuation runs, whitespace.
pub const SUBWORD_PATTERN: &str = r"(?=(\d{3})+(?!\d))| ?\p{L}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
/// Stage-2 split pattern (SuperBPE): only digit runs are cut, in threes from the right.
pub const SUPERWORD_PATTERN: &str = r"(?=(\d{3})+(?!\d))";

const NONE: u32 = u32::MAX;
/// `sym` of a position merged into its left neighbour.
const DEAD: u32 = u32::MAX;

/// Settings of a training run. `Default` is the paper's released settings with a vocab of 8,000
/// and no transition point (plain BPE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainerConfig {
    /// Vocab size to reach (alphabet included): the trainer stops there, or earlier when no pair
    /// occurs at least `min_frequency` times.
    pub vocab_size: usize,
    /// SuperBPE's transition point `t`, a vocab size: subword merges are learned until the vocab
    /// holds `t` tokens, superword merges after. `None` trains plain BPE. Must be ≤ `vocab_size`.
    pub transition: Option<usize>,
    /// Stage 2 skips a merge whose token has more than this many words (`Ġ`-separated non-empty
    /// parts). The paper's setting: 4. `None`: no limit (0 is refused).
    pub max_words: Option<usize>,
    /// Stage 2 skips a merge whose token contains one of these substrings, spelled in byte-level
    /// chars as in `tokenizer.json`. The paper's setting: `[":Ġ"]` (colon then space).
    pub forbidden_substrings: Vec<String>,
    /// A pair seen fewer times is never merged (the reference's `min_frequency`; 0 means 1).
    pub min_frequency: u64,
}

impl Default for TrainerConfig {
    fn default() -> Self {
        TrainerConfig {
            vocab_size: 8000,
            transition: None,
            max_words: Some(4),
            forbidden_substrings: vec![":Ġ".to_owned()],
            min_frequency: 0,
        }
    }
}

/// Which part of training a [`Progress`] report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    /// Subword merges (stage 1, whitespace pre-tokenization): plain BPE, or SuperBPE before `t`.
    Subwords,
    /// SuperBPE: the subword merges replayed on whole lines.
    Replay,
    /// SuperBPE: superword merges (stage 2).
    Superwords,
}

/// A progress report, given to the callback of [`Trainer::train_bpe`] / [`Trainer::train_superbpe`]
/// about every 1% of the merges and at the end of each stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// The stage running.
    pub stage: Stage,
    /// Merges learned so far (replayed ones included).
    pub merges: usize,
    /// Vocab size so far (alphabet included).
    pub vocab_size: usize,
    /// Vocab size the run aims at.
    pub target: usize,
    /// Bytes of the training text per token, as the merges so far segment it (pieces of the
    /// stage's pre-tokenizer).
    pub bytes_per_token: f64,
}

/// Corpus statistics: the distinct pieces of both pre-tokenizers with their counts. Feed it text,
/// then train any number of times (a BPE, SuperBPE at several transition points) without reading
/// the text again.
#[derive(Default)]
pub struct Trainer {
    subword_pieces: HashMap<Box<[u8]>, u64>,
    superword_pieces: HashMap<Box<[u8]>, u64>,
    bytes: u64,
    /// Stage 1's and stage 2's pre-tokenizers, built on the first `feed`.
    pre_tokenizers: Option<Box<(PreTokenizer, PreTokenizer)>>,
}

impl std::fmt::Debug for Trainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trainer")
            .field("bytes", &self.bytes)
            .field("subword_pieces", &self.subword_pieces.len())
            .field("superword_pieces", &self.superword_pieces.len())
            .finish()
    }
}

/// A trained model: the vocab (token bytes by id) and the merges in rank order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trained {
    tokens: Vec<Vec<u8>>,
    merges: Vec<(u32, u32)>,
    /// The token id each merge made.
    made: Vec<u32>,
    /// Training stopped because no pair was left (before the vocab size asked for).
    exhausted: bool,
    superwords: bool,
    /// Number of merges that made an already existing token (see the module doc).
    repeated: usize,
    /// Bytes and distinct subword pieces of the trainer it came from: SuperBPE must build on a
    /// BPE of the same text.
    corpus: (u64, usize),
}

impl TrainerConfig {
    /// Checks the settings that do not depend on the text, so that a caller can refuse them
    /// before training: a transition point past the vocab size, `max_words` of 0, a forbidden
    /// substring not spelled in byte-level chars. Errors are [`ErrorKind::Input`].
    pub fn check(&self) -> Result<()> {
        self.filter().map(drop)
    }

    /// Stage 2's filter, once the settings are checked (see [`TrainerConfig::check`]).
    fn filter(&self) -> Result<Filter> {
        if let Some(t) = self.transition.filter(|&t| t > self.vocab_size) {
            return Err(Error::new(ErrorKind::Input, format!("the transition point {t} is past the vocab size {}", self.vocab_size)));
        }
        Filter::new(self)
    }
}

fn pre_tokenizer_spec(pattern: &'static str) -> PreTokenizerSpec {
    PreTokenizerSpec::Sequence {
        pretokenizers: vec![
            PreTokenizerSpec::Digits { individual_digits: false },
            PreTokenizerSpec::Split { pattern: PatternSpec::Regex(pattern), behavior: "Isolated", invert: false },
            PreTokenizerSpec::ByteLevel { add_prefix_space: false, trim_offsets: true, use_regex: false },
        ],
    }
}

fn build_pre_tokenizer(pattern: &'static str) -> Result<PreTokenizer> {
    let json = serde_json::to_string(&pre_tokenizer_spec(pattern)).map_err(|e| Error::json("pre_tokenizer", e))?;
    let raw = serde_json::from_str(&json).map_err(|e| Error::json("pre_tokenizer", e))?;
    PreTokenizer::from_raw(&raw)
}

impl Trainer {
    /// An empty trainer.
    pub fn new() -> Self {
        Trainer::default()
    }

    /// Counts the pieces of `text` under both pre-tokenizers. The text is read line by line, each
    /// line with its `\n`, as the reference `train_from_files` reads a file; call once per file
    /// (a file's last line does not run into the next file's first). Errors only if a
    /// pre-tokenizer fails on the text ([`ErrorKind::Input`]).
    pub fn feed(&mut self, text: &str) -> Result<()> {
        if self.pre_tokenizers.is_none() {
            self.pre_tokenizers = Some(Box::new((build_pre_tokenizer(SUBWORD_PATTERN)?, build_pre_tokenizer(SUPERWORD_PATTERN)?)));
        }
        let (subwords, superwords) = &**self.pre_tokenizers.as_ref().expect("built above");
        for line in text.split_inclusive('\n') {
            count_pieces(subwords, line, &mut self.subword_pieces)?;
            count_pieces(superwords, line, &mut self.superword_pieces)?;
            self.bytes += line.len() as u64;
        }
        Ok(())
    }

    /// UTF-8 bytes fed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Trains plain byte-level BPE to `config.vocab_size` (the reference `BpeTrainer`; the other
    /// settings are SuperBPE's and ignored). `progress` is called about every 1% of the merges;
    /// returning `false` stops training with [`ErrorKind::Cancelled`]. Errors
    /// ([`ErrorKind::Input`]) when nothing was fed.
    pub fn train_bpe(&self, config: &TrainerConfig, progress: &mut dyn FnMut(&Progress) -> bool) -> Result<Trained> {
        if self.subword_pieces.is_empty() {
            return Err(Error::new(ErrorKind::Input, "nothing to train on: the training text is empty"));
        }
        let mut state = MergeState::new(&self.subword_pieces, Stage::Subwords, config.vocab_size);
        state.learn(config.vocab_size, config.min_frequency, &Filter::none(), progress)?;
        Ok(state.finish(false, self.fingerprint()))
    }

    fn fingerprint(&self) -> (u64, usize) {
        (self.bytes, self.subword_pieces.len())
    }

    /// Trains SuperBPE: the merges of `subwords` (a [`Trainer::train_bpe`] result on this same
    /// text, with a vocab of at least `config.transition`) up to the transition point, replayed
    /// on whole lines, then superword merges to `config.vocab_size`. Errors
    /// ([`ErrorKind::Input`]) when `transition` is missing, larger than `vocab_size` or than the
    /// vocab of `subwords`, when `subwords` is not a BPE of this trainer's text, or when
    /// [`TrainerConfig::check`] refuses the settings; [`ErrorKind::Cancelled`] when `progress`
    /// returns `false`.
    pub fn train_superbpe(&self, subwords: &Trained, config: &TrainerConfig, progress: &mut dyn FnMut(&Progress) -> bool) -> Result<Trained> {
        let t = config
            .transition
            .ok_or_else(|| Error::new(ErrorKind::Input, "SuperBPE needs a transition point"))?;
        let filter = config.filter()?;
        if subwords.superwords {
            return Err(Error::new(ErrorKind::Input, "SuperBPE builds on a BPE: the subwords given are a SuperBPE result"));
        }
        if subwords.corpus != self.fingerprint() {
            return Err(Error::new(ErrorKind::Input, "SuperBPE builds on a BPE of the same text: the subwords given were trained on other text"));
        }
        // A subword run that ran out of pairs holds every merge stage 1 could make.
        if t > subwords.tokens.len() && !subwords.exhausted {
            return Err(Error::new(
                ErrorKind::Input,
                format!("the transition point {t} is past the vocab of the subword run ({} tokens): train BPE to at least {t}", subwords.tokens.len()),
            ));
        }
        // Stage 1 stops when its vocab reaches t: the merges up to the one that made token t - 1.
        // (None when t is at most the alphabet, all when the run ran out of pairs before t.)
        let inherited = match subwords.made.iter().position(|&id| id as usize + 1 == t) {
            Some(i) => &subwords.merges[..=i],
            None if subwords.made.first().is_some_and(|&id| id as usize >= t) => &[],
            None => &subwords.merges[..],
        };
        let mut state = MergeState::new(&self.superword_pieces, Stage::Replay, config.vocab_size);
        state.replay(subwords, inherited, progress)?;
        state.stage = Stage::Superwords;
        state.learn(config.vocab_size, config.min_frequency, &filter, progress)?;
        Ok(state.finish(true, self.fingerprint()))
    }
}

fn concat(tokens: &[Vec<u8>], a: u32, b: u32) -> Vec<u8> {
    let mut t = tokens[a as usize].clone();
    t.extend_from_slice(&tokens[b as usize]);
    t
}

fn count_pieces(pre: &PreTokenizer, line: &str, counts: &mut HashMap<Box<[u8]>, u64>) -> Result<()> {
    let normalized = NormalizedText::identity(line, 0);
    let mut view = Cow::Borrowed(&normalized);
    let pieces = pre.pre_tokenize(&mut view, vec![Piece::new(0, line.len())])?;
    for piece in pieces {
        let bytes = &line.as_bytes()[piece.start..piece.end];
        match counts.get_mut(bytes) {
            Some(n) => *n += 1,
            None => {
                counts.insert(bytes.into(), 1);
            }
        }
    }
    Ok(())
}

/// Stage-2 filters on a candidate token's bytes.
struct Filter {
    max_words: Option<usize>,
    forbidden: Vec<Vec<u8>>,
}

impl Filter {
    fn none() -> Self {
        Filter { max_words: None, forbidden: vec![] }
    }

    fn new(config: &TrainerConfig) -> Result<Self> {
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
struct MergeState {
    stage: Stage,
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
    fn new(pieces: &HashMap<Box<[u8]>, u64>, stage: Stage, target: usize) -> Self {
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

    /// Stage 2's first step, the fork's replay: each inherited merge (given by `from`'s ids) is
    /// applied if both its tokens exist here and its pair has been queued (formed with a positive
    /// count) and not merged yet; otherwise it is dropped.
    fn replay(&mut self, from: &Trained, inherited: &[(u32, u32)], progress: &mut dyn FnMut(&Progress) -> bool) -> Result<()> {
        let mut formed = Vec::new();
        let every = (inherited.len() / 100).max(1);
        for (n, &(a, b)) in inherited.iter().enumerate() {
            let (Some(&a), Some(&b)) = (self.index.get(&from.tokens[a as usize]), self.index.get(&from.tokens[b as usize])) else {
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
    fn learn(&mut self, vocab_size: usize, min_frequency: u64, filter: &Filter, progress: &mut dyn FnMut(&Progress) -> bool) -> Result<()> {
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

    fn finish(self, superwords: bool, corpus: (u64, usize)) -> Trained {
        Trained { tokens: self.tokens, merges: self.merges, made: self.made, exhausted: self.exhausted, superwords, repeated: self.repeated, corpus }
    }
}

/// `tokenizer.json`'s `pre_tokenizer`, as the reference serializes the ones the trainer uses.
#[derive(Serialize)]
#[serde(tag = "type")]
enum PreTokenizerSpec {
    Sequence { pretokenizers: Vec<PreTokenizerSpec> },
    Digits { individual_digits: bool },
    Split { pattern: PatternSpec, behavior: &'static str, invert: bool },
    ByteLevel { add_prefix_space: bool, trim_offsets: bool, use_regex: bool },
}

#[derive(Serialize)]
enum PatternSpec {
    Regex(&'static str),
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum DecoderSpec {
    ByteLevel { add_prefix_space: bool, trim_offsets: bool, use_regex: bool },
}

/// The vocab in id order, keys in byte-level chars.
struct VocabSpec<'a>(&'a [Vec<u8>]);

impl Serialize for VocabSpec<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (id, token) in self.0.iter().enumerate() {
            map.serialize_entry(&byte_level::to_chars(token), &id)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct ModelSpec<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    dropout: Option<f32>,
    unk_token: Option<String>,
    continuing_subword_prefix: Option<String>,
    end_of_word_suffix: Option<String>,
    fuse_unk: bool,
    byte_fallback: bool,
    ignore_merges: bool,
    vocab: VocabSpec<'a>,
    merges: Vec<[String; 2]>,
}

#[derive(Serialize)]
struct TokenizerSpec<'a> {
    version: &'static str,
    truncation: Option<()>,
    padding: Option<()>,
    added_tokens: [(); 0],
    normalizer: Option<()>,
    pre_tokenizer: PreTokenizerSpec,
    post_processor: Option<()>,
    decoder: DecoderSpec,
    model: ModelSpec<'a>,
}

impl Trained {
    /// Vocab size (alphabet included).
    pub fn vocab_size(&self) -> usize {
        self.tokens.len()
    }

    /// Number of merges.
    pub fn merge_count(&self) -> usize {
        self.merges.len()
    }

    /// True when training stopped before the vocab size asked for because no pair was left
    /// (or none as frequent as `min_frequency`).
    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    /// True for a SuperBPE result (stage-2 pre-tokenizer).
    pub fn is_superbpe(&self) -> bool {
        self.superwords
    }

    /// Merges that made an already existing token (the reference then differs; see the module
    /// doc). 0 on the shared corpus.
    pub fn repeated_tokens(&self) -> usize {
        self.repeated
    }

    /// `vocab.json` as the reference's `BPE::save` writes it: one compact JSON object, token (in
    /// byte-level chars) → id, in id order.
    pub fn vocab_json(&self) -> String {
        serde_json::to_string(&VocabSpec(&self.tokens)).expect("strings serialize")
    }

    /// `merges.txt` as the reference's `BPE::save` writes it: `#version: 0.2`, then one
    /// `left right` line per merge in rank order.
    pub fn merges_txt(&self) -> String {
        let mut out = String::from("#version: 0.2\n");
        for &(a, b) in &self.merges {
            out.push_str(&byte_level::to_chars(&self.tokens[a as usize]));
            out.push(' ');
            out.push_str(&byte_level::to_chars(&self.tokens[b as usize]));
            out.push('\n');
        }
        out
    }

    /// A complete `tokenizer.json` (pretty-printed as the reference's `Tokenizer::save`): BPE with
    /// this vocab and merges, the stage's pre-tokenizer (stage 1 for BPE, stage 2 for SuperBPE:
    /// that is how SuperBPE encodes), a ByteLevel decoder.
    pub fn tokenizer_json(&self) -> String {
        let spec = TokenizerSpec {
            version: "1.0",
            truncation: None,
            padding: None,
            added_tokens: [],
            normalizer: None,
            pre_tokenizer: pre_tokenizer_spec(if self.superwords { SUPERWORD_PATTERN } else { SUBWORD_PATTERN }),
            post_processor: None,
            decoder: DecoderSpec::ByteLevel { add_prefix_space: true, trim_offsets: true, use_regex: true },
            model: ModelSpec {
                kind: "BPE",
                dropout: None,
                unk_token: None,
                continuing_subword_prefix: None,
                end_of_word_suffix: None,
                fuse_unk: false,
                byte_fallback: false,
                ignore_merges: false,
                vocab: VocabSpec(&self.tokens),
                merges: self
                    .merges
                    .iter()
                    .map(|&(a, b)| [byte_level::to_chars(&self.tokens[a as usize]), byte_level::to_chars(&self.tokens[b as usize])])
                    .collect(),
            },
        };
        serde_json::to_string_pretty(&spec).expect("strings serialize")
    }
}
