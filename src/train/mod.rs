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
//! Two options follow the authors' code of November 2025 (`PythonNut/superbpe` d731c76, dc6bbea):
//! a stage-2 split pattern of one's own ([`Trainer::with_stage2_pattern`]; their recommended one
//! is [`AUTHORS_STAGE2_PATTERN`]), and stage 2 started from an existing byte-level BPE's merges
//! rather than a stage-1 run ([`Trainer::extend`], their `extend_existing_tokenizer.sh`). Both run
//! the same fork trainer, so both are reproduced against it.
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

mod counts;
mod merge_state;
mod write;

use crate::error::{Error, ErrorKind, Result};
use crate::pre_tokenizer::PreTokenizer;
use counts::{count_pieces, pre_tokenizer};
use merge_state::{Filter, MergeState};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// Stage-1 split pattern of the shared reference job (`Split`, `Isolated`, after
/// `Digits(individual_digits=false)`): digit runs cut in threes from the right, words with their
/// leading space, punctuation runs, whitespace.
pub const SUBWORD_PATTERN: &str = r"(?=(\d{3})+(?!\d))| ?\p{L}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
/// Stage-2 split pattern (SuperBPE): only digit runs are cut, in threes from the right.
pub const SUPERWORD_PATTERN: &str = r"(?=(\d{3})+(?!\d))";
/// The stage-2 pattern the SuperBPE authors' scripts pass since November 2025
/// (`scripts/extend_tokenizer.sh`, `extend_existing_tokenizer.sh`: `--regex_string`), after
/// superwords such as `" applications.\n"` were reported (their issue #9): digits in groups of up
/// to three from the left, runs of two or more punctuation chars (with a leading space and
/// trailing line breaks or `/`), and runs of spaces before whitespace or the end are pieces of
/// their own. A single `.` or `,` and line breaks are not cut, so `. Ċ` can still be merged.
pub const AUTHORS_STAGE2_PATTERN: &str = r"\p{N}{1,3}| ?[^\s\p{L}\p{N}]{2,}[\r\n/]*| +(?!\S)";

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
    /// Stage 2's split pattern when it is not the paper's (then without `Digits`).
    stage2_pattern: Option<String>,
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
    /// Stage 2's split pattern when it is not the paper's (the trained file carries it).
    stage2_pattern: Option<String>,
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

impl Trainer {
    /// An empty trainer.
    pub fn new() -> Self {
        Trainer::default()
    }

    /// An empty trainer whose stage 2 cuts the text with `pattern` (`Split`, `Isolated`, then
    /// `ByteLevel`; no `Digits`), as the authors' `train_tokenizer.py --regex_string` does since
    /// November 2025, instead of the paper's digit groups: [`AUTHORS_STAGE2_PATTERN`] is theirs.
    /// The SuperBPE files it trains carry that pre-tokenizer. Stage 1 is unchanged. Errors
    /// ([`ErrorKind::Input`]) when the pattern is not a valid regex of `tokenizer.json`'s dialect.
    pub fn with_stage2_pattern(pattern: &str) -> Result<Self> {
        let stage2 = pre_tokenizer(pattern, false).map_err(|e| Error::new(ErrorKind::Input, format!("the stage-2 pattern {pattern:?} is not a valid regex: {e}")))?;
        let stages = (pre_tokenizer(SUBWORD_PATTERN, true)?, stage2);
        Ok(Trainer { pre_tokenizers: Some(Box::new(stages)), stage2_pattern: Some(pattern.to_owned()), ..Trainer::default() })
    }

    /// Counts the pieces of `text` under both pre-tokenizers. The text is read line by line, each
    /// line with its `\n`, as the reference `train_from_files` reads a file; call once per file
    /// (a file's last line does not run into the next file's first). Errors only if a
    /// pre-tokenizer fails on the text ([`ErrorKind::Input`]).
    pub fn feed(&mut self, text: &str) -> Result<()> {
        if self.pre_tokenizers.is_none() {
            self.pre_tokenizers = Some(Box::new((pre_tokenizer(SUBWORD_PATTERN, true)?, pre_tokenizer(SUPERWORD_PATTERN, true)?)));
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
        Ok(state.finish(false, self.fingerprint(), None))
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
        let inherited: Vec<(&[u8], &[u8])> = inherited.iter().map(|&(a, b)| (&*subwords.tokens[a as usize], &*subwords.tokens[b as usize])).collect();
        self.stage2(&inherited, config, &filter, progress)
    }

    /// SuperBPE's stage 2 from an existing byte-level BPE (the authors' `extend_existing_tokenizer.sh`):
    /// the first `inherit` merges of `base` (all of them for `None`) are replayed in rank order on
    /// this text's stage-2 pieces, as the fork replays a `merges.txt` it finds (a merge whose
    /// tokens do not occur here, or whose pair never becomes adjacent, is dropped), then superword
    /// merges go on to `config.vocab_size` with the stage-2 filters (`config.transition` is not
    /// read). As in the fork, the result has its own ids: the alphabet is the bytes of this text,
    /// and nothing of `base` but its merges is kept (not its pre-tokenizer, added tokens or ids).
    /// The fork reads a `merges.txt` whose first line is a header: `head -n N` keeps N - 1 merges,
    /// so the paper's "t = 180k" inherits 179,999 merges, `inherit` counts merges.
    ///
    /// Errors ([`ErrorKind::Input`]): `base` is not a byte-level BPE, nothing was fed, the settings
    /// are refused ([`TrainerConfig::check`]); [`ErrorKind::Cancelled`] when `progress` says stop.
    pub fn extend(&self, base: &crate::Tokenizer, inherit: Option<usize>, config: &TrainerConfig, progress: &mut dyn FnMut(&Progress) -> bool) -> Result<Trained> {
        let filter = config.filter()?;
        if self.superword_pieces.is_empty() {
            return Err(Error::new(ErrorKind::Input, "nothing to train on: the training text is empty"));
        }
        let merges = base.byte_level_merges()?;
        let merges = &merges[..inherit.unwrap_or(merges.len()).min(merges.len())];
        let inherited: Vec<(&[u8], &[u8])> = merges.iter().map(|(a, b)| (&**a, &**b)).collect();
        self.stage2(&inherited, config, &filter, progress)
    }

    /// Stage 2: the inherited merges (token bytes) replayed, then superword merges.
    fn stage2(&self, inherited: &[(&[u8], &[u8])], config: &TrainerConfig, filter: &Filter, progress: &mut dyn FnMut(&Progress) -> bool) -> Result<Trained> {
        let mut state = MergeState::new(&self.superword_pieces, Stage::Replay, config.vocab_size);
        state.replay(inherited, progress)?;
        state.stage = Stage::Superwords;
        state.learn(config.vocab_size, config.min_frequency, filter, progress)?;
        Ok(state.finish(true, self.fingerprint(), self.stage2_pattern.clone()))
    }
}

impl crate::Tokenizer {
    /// The merges of a byte-level BPE in rank order, as the bytes of their two tokens (what a
    /// `merges.txt` lists). Errors ([`ErrorKind::Input`]) for another model, or a BPE whose
    /// tokens are not spelled in the byte-level alphabet.
    fn byte_level_merges(&self) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let crate::model::Model::Bpe(bpe) = &self.model else {
            return Err(Error::new(ErrorKind::Input, "extending needs a BPE tokenizer: this one's model is not BPE"));
        };
        if !self.token_is_byte_level() {
            return Err(Error::new(ErrorKind::Input, "extending needs a byte-level BPE (a ByteLevel pre-tokenizer or decoder, as GPT-2, o200k, Llama 3, OLMo 2): this BPE spells its tokens otherwise"));
        }
        let mut merges: Vec<(u32, u32, u32)> = bpe.merge_list().map(|(a, b, rank, _)| (rank, a, b)).collect();
        merges.sort_unstable();
        let bytes = |id: u32| self.token_bytes(id).ok_or_else(|| Error::new(ErrorKind::Input, format!("merge token {id} is not in the vocab")));
        merges.into_iter().map(|(_, a, b)| Ok((bytes(a)?, bytes(b)?))).collect()
    }
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
}
