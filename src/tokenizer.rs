//! The pipeline: added tokens → normalizer → pre-tokenizer → model → post-processor, and the
//! decoder back. The only module that sees both the raw `tokenizer.json` types and the stages.

use crate::added_tokens::{AddedVocabulary, Segment, Skip};
use crate::decoder::Decoder;
use crate::encoding::{Encoding, PartsBudget};
use crate::error::{quoted, Error, ErrorKind, Result};
use crate::format::compiled;
use crate::format::read::{RawParts, RawTokenizer};
use crate::model::{self, Model};
use crate::normalizer::Normalizer;
use crate::options::{EncodeOptions, SpecialTokens};
use crate::post::padding::Padding;
use crate::post::truncation::max_overflowing_tokens;
use crate::post::processor::PostProcessor;
use crate::post::truncation::Truncation;
use crate::pre_tokenizer::{PreTokenizer, WordLoop};
use crate::text::byte_level::{self, ByteLevelPiece};
use crate::text::offsets::NormalizedText;
use crate::text::span::{Piece, Symbol};
use std::borrow::Cow;

/// Texts longer than this are refused: offsets inside the merge loop are 32-bit, and normalized
/// text may be several times longer than the original.
const MAX_TEXT_BYTES: usize = 1 << 30;

/// A loaded `tokenizer.json`, ready to encode and decode. Encoding takes `&self` and the tokenizer
/// is `Send + Sync`; the only state calls share is BPE's bounded word cache (a few MB at most),
/// which a call running beside another on a second thread does without rather than wait for.
#[derive(Debug)]
pub struct Tokenizer {
    pub(crate) normalizer: Option<Normalizer>,
    pub(crate) pre_tokenizer: Option<PreTokenizer>,
    pub(crate) model: Model,
    pub(crate) added: AddedVocabulary,
    truncation: Option<Truncation>,
    post_processor: Option<PostProcessor>,
    padding: Option<Padding>,
    pub(crate) decoder: Option<Decoder>,
    /// How the pre-tokenizer cuts, when the pipeline is a word pattern, `ByteLevel` and BPE with
    /// no normalizer (GPT-2, o200k, cl100k, Llama 3, Qwen 2, OLMo 2 BPE and SuperBPE): encoding runs
    /// [`Tokenizer::tokenize_words`].
    words: Option<WordLoop>,
    /// What encoding keeps from call to call (BPE's word caches).
    scratch: model::SharedScratch,
}

/// What the caller of `tokenize` wants after a token: the rest, or nothing more. Encoding stops
/// at the end of the piece where it was told to stop (the piece's tokens are all emitted).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Stop,
}

impl Flow {
    fn and(self, next: Flow) -> Flow {
        if self == Flow::Stop { Flow::Stop } else { next }
    }

    /// `Ok` to go on; `Stop` as the error `tokenize` turns back into `Ok` (a `Cancelled` error
    /// never comes from encoding otherwise), which ends every loop between here and there.
    fn go_on(self) -> Result<()> {
        match self {
            Flow::Continue => Ok(()),
            Flow::Stop => Err(Error::new(ErrorKind::Cancelled, "stopped by the caller")),
        }
    }
}

/// Which added tokens are matched in the text: [`SpecialTokens`], and for chat templates none at
/// all.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Matching {
    /// Every added token (the reference's default).
    Match,
    /// The added tokens that are not special (the reference's `encode_special_tokens`).
    Literal,
    /// Every added token; a special one is an error.
    Refuse,
    /// None: the normalizer, pre-tokenizer and model alone (transformers'
    /// `_encode_without_added_tokens`, for special-token text in chat messages).
    #[cfg_attr(not(feature = "chat"), allow(dead_code))]
    NoAddedTokens,
}

impl From<SpecialTokens> for Matching {
    fn from(s: SpecialTokens) -> Matching {
        match s {
            SpecialTokens::Match => Matching::Match,
            SpecialTokens::Literal => Matching::Literal,
            SpecialTokens::Refuse => Matching::Refuse,
        }
    }
}

impl Matching {
    pub(crate) fn skip(self) -> Skip {
        match self {
            Matching::Match | Matching::Refuse => Skip::Nothing,
            Matching::Literal => Skip::Special,
            Matching::NoAddedTokens => Skip::All,
        }
    }
}

/// Where a token came from while encoding.
#[derive(Clone, Copy)]
pub(crate) enum Source<'t> {
    /// A token whose string is its vocab entry.
    Model,
    /// A token whose string is the text it matched: an added token (with `lstrip`/`rstrip` that
    /// includes the whitespace it swallowed) or Unigram's unknown token, as the reference gives.
    Text(&'t str),
}

impl Tokenizer {
    /// Parses a Hugging Face `tokenizer.json` (the text of the file).
    ///
    /// Covers the components listed in the README (every model type: BPE, WordPiece, WordLevel,
    /// Unigram).
    ///
    /// # Errors
    /// [`ErrorKind::Json`] for malformed JSON or a missing/mistyped field (the message has line and
    /// column); [`ErrorKind::Unsupported`] naming the stage and `type` of a component or option
    /// tokenscope does not implement (never a silent approximation);
    /// [`ErrorKind::InvalidComponent`] for inconsistent settings such as a merge naming a token
    /// missing from the vocab or a regex that does not compile.
    pub fn from_json(json: &str) -> Result<Tokenizer> {
        let raw = RawTokenizer::parse(json)?;
        let model = Model::from_json(raw.model.get())?;
        Tokenizer::build(raw.into_parts()?, model)
    }

    /// As [`Tokenizer::from_json`], taking the text and freeing it once the model is read, so the
    /// rest of loading reuses its memory (in wasm, memory once grown stays grown).
    ///
    /// # Errors
    /// As [`Tokenizer::from_json`].
    pub fn from_json_owned(json: String) -> Result<Tokenizer> {
        let raw = RawTokenizer::parse(&json)?;
        let model = Model::from_json(raw.model.get())?;
        let parts = raw.into_parts()?;
        drop(json);
        Tokenizer::build(parts, model)
    }

    /// Loads a tokenizer from a file's bytes: a compiled tokenizer (see [`Tokenizer::compile`];
    /// recognised by its magic) or the UTF-8 text of a `tokenizer.json`.
    ///
    /// A compiled file loads the same tokenizer as the `tokenizer.json` it was compiled from:
    /// the same ids, tokens, offsets and decode, and the same errors for what it holds.
    ///
    /// # Errors
    /// As [`Tokenizer::from_json`]; for a compiled file, [`ErrorKind::Json`] ("compiled
    /// tokenizer: …") for a wrong version, a checksum that does not match, or a section that is
    /// truncated or counts more than it holds. Memory stays in proportion to `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tokenizer> {
        if !compiled::is_compiled(bytes) {
            let json = std::str::from_utf8(bytes).map_err(|e| {
                let at = e.valid_up_to();
                Error::new(ErrorKind::Json, format!("neither a tokenizer.json (not valid UTF-8 at byte {at}) nor a compiled tokenizer (which starts with `tokscope`)"))
            })?;
            return Tokenizer::from_json(json);
        }
        let file = compiled::Compiled::open(bytes)?;
        let raw = RawTokenizer::parse(file.pipeline)?;
        let model = Model::from_raw(file.model(raw.model.get())?)?;
        Tokenizer::build(raw.into_parts()?, model)
    }

    /// True when `bytes` are (or begin) a compiled tokenizer, as [`Tokenizer::compile`] writes
    /// them; [`Tokenizer::from_bytes`] tells the two forms apart the same way.
    pub fn is_compiled(bytes: &[u8]) -> bool {
        compiled::is_compiled(bytes)
    }

    /// The compiled form of a `tokenizer.json` (its text): the whole pipeline, its vocab and
    /// merges stored as bytes (o200k: 9.7 MB of JSON in 1.26 MB; gzip 2.94 MB → 0.77 MB).
    /// [`Tokenizer::from_bytes`] loads it; [`Tokenizer::decompile`] writes the JSON back.
    ///
    /// # Errors
    /// As [`Tokenizer::from_json`]: a file that does not load does not compile.
    pub fn compile(json: &str) -> Result<Vec<u8>> {
        Tokenizer::from_json(json)?;
        compiled::compile(json)
    }

    /// A `tokenizer.json` (its text) for a compiled file, which the reference loads and encodes
    /// as the original. Key order and spacing are not the original's; merges are written as
    /// `["a", "b"]` pairs.
    ///
    /// # Errors
    /// As [`Tokenizer::from_bytes`] for a compiled file; [`ErrorKind::Json`] when `bytes` are
    /// not one.
    pub fn decompile(bytes: &[u8]) -> Result<String> {
        compiled::decompile(bytes)
    }

    fn build(mut raw: RawParts, model: Model) -> Result<Tokenizer> {
        crate::format::canonical::lower(&mut raw, model.byte_level())?;
        let truncation = raw.truncation.as_ref().map(Truncation::from_raw);
        let padding = raw.padding.as_ref().map(Padding::from_raw);
        let normalizer = raw.normalizer.as_ref().map(Normalizer::from_raw).transpose()?.filter(|n| !n.is_noop());
        let pre_tokenizer = raw.pre_tokenizer.as_ref().map(PreTokenizer::from_raw).transpose()?;
        let added = AddedVocabulary::from_raw(&raw.added_tokens, &model, normalizer.as_ref())?;
        let id_to_token = |id| added.by_id(id).map(|t| t.pattern.clone()).or_else(|| model.id_to_token(id).map(str::to_owned));
        let post_processor = raw.post_processor.as_ref().map(|p| PostProcessor::from_raw(p, &id_to_token)).transpose()?;
        let decoder = raw.decoder.as_ref().map(Decoder::from_raw).transpose()?;
        let words = match (&normalizer, &pre_tokenizer, &model) {
            (None, Some(p), Model::Bpe(_)) => p.word_loop(),
            _ => None,
        };
        Ok(Tokenizer { normalizer, pre_tokenizer, model, added, truncation, post_processor, padding, decoder, words, scratch: Default::default() })
    }

    /// Encodes `text` as the reference `Tokenizer::encode(text, add_special_tokens)` does.
    ///
    /// Offsets are UTF-8 byte spans into `text`. `options` is `add_special_tokens` (a `bool`: let
    /// the post-processor add its special tokens, e.g. a BOS) or an [`EncodeOptions`], which also
    /// says what special-token text inside `text` becomes (matched by default, as the reference).
    /// Truncation and padding set in the file apply, as in the reference; the parts truncation
    /// cuts off are in [`Encoding::overflowing`]. Linear in the text length apart from the merge
    /// loop, which is O(n log n) per piece.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] for a text over 1 GiB, one a regex cannot process, or truncation
    /// settings the reference also fails on (see the README); [`ErrorKind::SpecialToken`] for
    /// special-token text under [`SpecialTokens::Refuse`].
    pub fn encode(&self, text: &str, options: impl Into<EncodeOptions>) -> Result<Encoding> {
        let options = options.into();
        let first = self.encode_sequence(text, 0, options.special_tokens.into())?;
        self.post_process(first, None, options.add_special_tokens, &[text], true)
    }

    /// Encodes a pair of sequences as the reference `Tokenizer::encode((a, b), add_special_tokens)`:
    /// each is encoded on its own (type id 0 and 1), then truncation, the post-processor's pair
    /// template and padding apply. Each token's offsets are UTF-8 byte spans into its own text
    /// (`sequence_ids` says which).
    ///
    /// # Errors
    /// As [`Tokenizer::encode`].
    pub fn encode_pair(&self, a: &str, b: &str, options: impl Into<EncodeOptions>) -> Result<Encoding> {
        let options = options.into();
        let first = self.encode_sequence(a, 0, options.special_tokens.into())?;
        let second = self.encode_sequence(b, 1, options.special_tokens.into()).map_err(Error::in_pair)?;
        self.post_process(first, Some(second), options.add_special_tokens, &[a, b], true)
    }

    fn encode_sequence(&self, text: &str, type_id: u32, special: Matching) -> Result<Encoding> {
        let mut encoding = Encoding::with_capacity(text.len() / 3 + 1);
        self.tokenize(text, special, |id, span, source| {
            let token = match source {
                Source::Text(matched) => matched,
                Source::Model => self.model.id_to_token(id).unwrap_or_default(),
            };
            encoding.push(id, token, span);
            Flow::Continue
        })?;
        encoding.fill_masks(type_id);
        Ok(encoding)
    }

    /// The reference `post_process`: truncate, run the post-processor (or merge a pair), pad.
    ///
    /// `keep_parts: false` drops truncation's overflowing parts (for `encode_ids`).
    ///
    /// # Errors
    /// As `Truncation::lengths`; [`ErrorKind::Input`] when the parts would pass
    /// [`max_overflowing_tokens`].
    fn post_process(&self, a: Encoding, b: Option<Encoding>, add_special_tokens: bool, texts: &[&str], keep_parts: bool) -> Result<Encoding> {
        let is_pair = b.is_some();
        // Parts exist only with truncation: no budget to set on the common path.
        let limit = max_overflowing_tokens(a.len() + b.as_ref().map_or(0, Encoding::len));
        let budget = self.truncation.as_ref().map(|_| PartsBudget::start(limit));
        let (mut a, b) = match &self.truncation {
            Some(t) => t.apply(a, b, self.added_tokens(is_pair, add_special_tokens), keep_parts)?,
            None => (a, b),
        };
        let mut encoding = match (&self.post_processor, b) {
            (Some(p), b) => p.process(a, b, add_special_tokens, texts),
            (None, None) => a,
            // The reference's default: sequence ids 0 and 1, type ids as the model gave them.
            (None, Some(mut b)) => {
                a.set_sequence_id(0);
                b.set_sequence_id(1);
                Encoding::merge(vec![a, b])
            }
        };
        if let Some(p) = &self.padding {
            p.apply(&mut encoding);
        }
        if budget.is_some_and(|b| b.exceeded()) {
            return Err(Error::new(
                ErrorKind::Input,
                format!("truncation's overflowing parts would hold more than {limit} tokens (the stride, a pair or the template multiply them): a larger stride, or a shorter text"),
            ));
        }
        Ok(encoding.finish())
    }

    /// The ids of `encode(text, add_special_tokens)`, without token strings, offsets or masks
    /// (what tiktoken's `encode` returns).
    ///
    /// When no post-processor template, truncation or padding can change them, the model's ids
    /// are collected as they come; otherwise this is `encode(..).ids`.
    ///
    /// # Errors
    /// As [`Tokenizer::encode`].
    pub fn encode_ids(&self, text: &str, options: impl Into<EncodeOptions>) -> Result<Vec<u32>> {
        let options = options.into();
        let keeps_ids = self.post_processor.as_ref().is_none_or(PostProcessor::keeps_ids);
        if !keeps_ids || self.truncation.is_some() || self.padding.is_some() {
            let first = self.encode_sequence(text, 0, options.special_tokens.into())?;
            return Ok(self.post_process(first, None, options.add_special_tokens, &[text], false)?.ids);
        }
        let mut ids = Vec::with_capacity(text.len() / 4 + 1);
        self.tokenize_dyn(text, options.special_tokens.into(), &mut |id, _| {
            ids.push(id);
            Flow::Continue
        })?;
        Ok(ids)
    }

    /// The ids of `encode_pair(a, b, add_special_tokens)`, without building truncation's
    /// overflowing parts.
    ///
    /// # Errors
    /// As [`Tokenizer::encode_pair`].
    pub fn encode_pair_ids(&self, a: &str, b: &str, options: impl Into<EncodeOptions>) -> Result<Vec<u32>> {
        let options = options.into();
        let first = self.encode_sequence(a, 0, options.special_tokens.into())?;
        let second = self.encode_sequence(b, 1, options.special_tokens.into()).map_err(Error::in_pair)?;
        Ok(self.post_process(first, Some(second), options.add_special_tokens, &[a, b], false)?.ids)
    }

    /// `encode(text, false)` without the file's truncation and padding (what transformers'
    /// tokenizer call gives by default: `truncation=False`, `padding=False`), matching the added
    /// tokens `matching` says, for chat templates.
    #[cfg(feature = "chat")]
    pub(crate) fn encode_whole(&self, text: &str, matching: Matching) -> Result<Encoding> {
        let encoding = self.encode_sequence(text, 0, matching)?;
        Ok(match &self.post_processor {
            Some(p) => p.process(encoding, None, false, &[text]),
            None => encoding,
        }
        .finish())
    }

    /// Each added token's content and whether it is special, in the file's order.
    #[cfg(feature = "chat")]
    pub(crate) fn added_tokens_for_chat(&self) -> impl Iterator<Item = (&str, bool)> {
        self.added.iter().map(|t| (t.content.as_str(), t.special))
    }

    /// Turns off the file's `truncation`, as the reference's `no_truncation()`: `encode` and
    /// `count` then keep every token (the playground shows whole texts).
    pub fn no_truncation(&mut self) {
        self.truncation = None;
    }

    /// Turns off the file's `padding`, as the reference's `no_padding()`.
    pub fn no_padding(&mut self) {
        self.padding = None;
    }

    /// Special tokens the post-processor adds (0 without `add_special_tokens`).
    pub(crate) fn added_tokens(&self, is_pair: bool, add_special_tokens: bool) -> usize {
        match &self.post_processor {
            Some(p) if add_special_tokens => p.added_tokens(is_pair),
            _ => 0,
        }
    }

    /// Number of tokens `encode(text, add_special_tokens)` would return (truncation and padding
    /// included), without building token strings or offsets.
    ///
    /// # Errors
    /// As [`Tokenizer::encode`].
    pub fn count(&self, text: &str, options: impl Into<EncodeOptions>) -> Result<usize> {
        let options = options.into();
        let n = self.count_sequence(text, options.special_tokens.into())?;
        self.count_after(n, None, options.add_special_tokens)
    }

    /// Number of tokens `encode_pair(a, b, add_special_tokens)` would return.
    ///
    /// # Errors
    /// As [`Tokenizer::encode`].
    pub fn count_pair(&self, a: &str, b: &str, options: impl Into<EncodeOptions>) -> Result<usize> {
        let options = options.into();
        let (n1, n2) = (self.count_sequence(a, options.special_tokens.into())?, self.count_sequence(b, options.special_tokens.into()).map_err(Error::in_pair)?);
        self.count_after(n1, Some(n2), options.add_special_tokens)
    }

    fn count_sequence(&self, text: &str, special: Matching) -> Result<usize> {
        let mut n = 0;
        // Statically dispatched: the call apps make on every keystroke (1–3% faster than through
        // `tokenize_dyn` counting 20 MB natively, for ~3.5 KB of wasm gzipped).
        self.tokenize(text, special, |_, _, _| {
            n += 1;
            Flow::Continue
        })?;
        Ok(n)
    }

    fn count_after(&self, n1: usize, n2: Option<usize>, add_special_tokens: bool) -> Result<usize> {
        let added = self.added_tokens(n2.is_some(), add_special_tokens);
        let (k1, k2) = match &self.truncation {
            Some(t) => t.lengths(n1, n2, added)?,
            None => (n1, n2),
        };
        let n = k1 + k2.unwrap_or(0) + added;
        Ok(self.padding.as_ref().map_or(n, |p| p.padded_len(n)))
    }

    /// [`Tokenizer::tokenize`] through a `dyn` callback: one copy of the pipeline's loops for
    /// every caller but `encode` (each closure type given to `tokenize` compiles the whole
    /// pipeline again: 3–4 KB of wasm gzipped each). `encode_ids` and the budget calls use it.
    pub(crate) fn tokenize_dyn(&self, text: &str, special: Matching, emit: &mut dyn FnMut(u32, (usize, usize)) -> Flow) -> Result<()> {
        self.tokenize(text, special, |id, span, _| emit(id, span))
    }

    pub(crate) fn tokenize(&self, text: &str, special: Matching, emit: impl FnMut(u32, (usize, usize), Source<'_>) -> Flow) -> Result<()> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(Error::new(ErrorKind::Input, format!("text of {} bytes is over the 1 GiB limit", text.len())));
        }
        match self.scratch.with(|scratch| self.tokenize_with(text, special, emit, scratch)) {
            Err(e) if e.kind() == ErrorKind::Cancelled => Ok(()),
            result => result,
        }
    }

    fn tokenize_with(&self, text: &str, special: Matching, mut emit: impl FnMut(u32, (usize, usize), Source<'_>) -> Flow, scratch: &mut model::Scratch) -> Result<()> {
        // The model's symbols for one piece at a time; kept with the scratch, so that a call
        // allocates nothing once the scratch has grown.
        let mut symbols = std::mem::take(&mut scratch.symbols);
        let result = self.tokenize_segments(text, special, &mut emit, &mut symbols, scratch);
        scratch.symbols = symbols;
        result
    }

    /// The error of [`SpecialTokens::Refuse`] for special token `index` found at bytes
    /// `start..end` of the text.
    pub(crate) fn refused(&self, index: usize, (start, end): (usize, usize)) -> Error {
        let token = &self.added.get(index).content;
        Error::new(ErrorKind::SpecialToken, format!("the text holds the special token {} at bytes {start}..{end}, and special tokens are refused in it (encode it as literal text, or match it)", quoted(token)))
            .with_span(start, end)
    }

    fn tokenize_segments(
        &self,
        text: &str,
        special: Matching,
        emit: &mut impl FnMut(u32, (usize, usize), Source<'_>) -> Flow,
        symbols: &mut Vec<Symbol>,
        scratch: &mut model::Scratch,
    ) -> Result<()> {
        let skip = special.skip();
        let refuse = |index: usize| special == Matching::Refuse && self.added.get(index).special;
        for segment in self.added.split_original(text, 0, text.len(), skip) {
            let (start, end) = match segment {
                Segment::Added { index, start, end } => {
                    if refuse(index) {
                        return Err(self.refused(index, (start, end)));
                    }
                    emit(self.added.get(index).id, (start, end), Source::Text(&text[start..end])).go_on()?;
                    continue;
                }
                Segment::Text { start, end } => (start, end),
            };
            let mut normalized = NormalizedText::identity(&text[start..end], start);
            if let Some(n) = &self.normalizer {
                n.normalize(&mut normalized)?;
            }
            let ntext: &str = &normalized.text;
            for sub in self.added.split_normalized(ntext, 0, ntext.len(), skip) {
                let (s, e) = match sub {
                    Segment::Added { index, start, end } => {
                        if refuse(index) {
                            return Err(self.refused(index, normalized.original_span(start, end)));
                        }
                        emit(self.added.get(index).id, normalized.original_span(start, end), Source::Text(&ntext[start..end])).go_on()?;
                        continue;
                    }
                    Segment::Text { start, end } => (start, end),
                };
                if let Some(words) = &self.words {
                    self.tokenize_words(words, &normalized, (s, e), symbols, scratch, emit)?;
                    continue;
                }
                // Pieces stream from the pre-tokenizer to the model unless Metaspace rewrites the
                // text (the view then owns the rewritten text, and its pieces are collected).
                let mut view = Cow::Borrowed(&normalized);
                let collected = match &self.pre_tokenizer {
                    Some(p) if !p.streams() => Some(p.pre_tokenize(&mut view, vec![Piece::new(s, e)])?),
                    _ => None,
                };
                let view: &NormalizedText<'_> = &view;
                let mut encode_piece = |piece: Piece| -> Result<()> {
                    // BPE maps bytes to the GPT-2 alphabet itself; other models after a ByteLevel
                    // pre-tokenizer see the mapped text, as the reference's rewritten string.
                    let mapped = (piece.byte_level && !self.model.maps_bytes()).then(|| ByteLevelPiece::new(&view.text, piece));
                    match &mapped {
                        Some(m) => self.model.tokenize(&m.text, m.whole(), symbols, scratch)?,
                        None => self.model.tokenize(&view.text, piece, symbols, scratch)?,
                    }
                    let model_text: &str = mapped.as_ref().map_or(&view.text, |m| &m.text);
                    let mut flow = Flow::Continue;
                    for sym in symbols.iter() {
                        let (start, end) = (sym.start as usize, sym.end as usize);
                        let (s, e) = mapped.as_ref().map_or((start, end), |m| m.source_span(start, end));
                        let span = view.original_span(s, e);
                        let source = if self.model.token_is_text(sym.id) {
                            Source::Text(model_text.get(start..end).unwrap_or_default())
                        } else {
                            Source::Model
                        };
                        flow = flow.and(emit(sym.id, span, source));
                    }
                    flow.go_on()
                };
                match (collected, &self.pre_tokenizer) {
                    (Some(pieces), _) => pieces.into_iter().try_for_each(&mut encode_piece)?,
                    (None, Some(p)) => p.for_each_piece(&view.text, Piece::new(s, e), &mut encode_piece)?,
                    (None, None) => encode_piece(Piece::new(s, e))?,
                }
            }
        }
        Ok(())
    }

    /// Encodes bytes `start..end` of `normalized` (which is the text itself: no normalizer) for a
    /// word-pattern pipeline ([`PreTokenizer::word_loop`]): each match of the pattern (and each
    /// gap between matches, when `keep_gaps`) is a byte-level piece, encoded as soon as it is
    /// found. The general loop gives the same tokens (pre-tokenizer → `ByteLevel` → model); this
    /// one skips its layers, which took a third of the time of encoding prose (and two thirds
    /// for OLMo 2 BPE, whose `Digits` step added one more).
    fn tokenize_words(
        &self,
        words: &WordLoop,
        normalized: &NormalizedText<'_>,
        (start, end): (usize, usize),
        symbols: &mut Vec<Symbol>,
        scratch: &mut model::Scratch,
        emit: &mut impl FnMut(u32, (usize, usize), Source<'_>) -> Flow,
    ) -> Result<()> {
        let Model::Bpe(bpe) = &self.model else {
            return Err(Error::new(ErrorKind::Input, "the word-pattern loop was set for a model other than BPE"));
        };
        let scratch = scratch.bpe();
        let text: &str = &normalized.text;
        let mut encode = |piece: Piece, scratch: &mut model::bpe::Scratch| -> Result<()> {
            bpe.tokenize(text, Piece { byte_level: true, ..piece }, symbols, scratch)?;
            let mut flow = Flow::Continue;
            for sym in symbols.iter() {
                flow = flow.and(emit(sym.id, normalized.original_span(sym.start as usize, sym.end as usize), Source::Model));
            }
            flow.go_on()
        };
        if !words.digits_first {
            return words.for_each_piece(text, start, end, &mut |piece| encode(piece, scratch));
        }
        let Some(pre_tokenizer) = &self.pre_tokenizer else {
            return Err(Error::new(ErrorKind::Input, "the word-pattern loop was set without a pre-tokenizer"));
        };
        // `Digits` pieces: runs of numeric chars and the text between them, each its own string
        // for the steps after it (a pattern's look-ahead stops at its end).
        let mut pos = start;
        while pos < end {
            let (run_end, numeric) = WordLoop::numeric_run(text, pos, end);
            if numeric {
                // Rare in prose: the whole pre-tokenizer (digit groups) on the run.
                pre_tokenizer.for_each_piece(text, Piece::new(pos, run_end), &mut |piece| encode(piece, scratch))?;
            } else {
                words.for_each_piece(text, pos, run_end, &mut |piece| encode(piece, scratch))?;
            }
            pos = run_end;
        }
        Ok(())
    }

    /// Decodes ids back to text as the reference `Tokenizer::decode(ids, skip_special_tokens)`:
    /// unknown ids are skipped, special tokens are dropped when `skip_special_tokens`, and the
    /// decoder (or, without one, a space between tokens) makes the text.
    pub fn decode(&self, ids: &[u32], skip_special_tokens: bool) -> Result<String> {
        let tokens: Vec<String> = ids
            .iter()
            .filter_map(|&id| self.id_to_token(id))
            .filter(|t| !skip_special_tokens || !self.added.is_special_content(t))
            .map(str::to_owned)
            .collect();
        Ok(match &self.decoder {
            Some(d) => d.decode(tokens)?,
            None => tokens.join(" "),
        })
    }

    /// Id of a token string (added tokens first, then the model vocab).
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.added.token_to_id(token).or_else(|| self.model.token_to_id(token))
    }

    /// Token string of an id (added tokens first, then the model vocab). As in the reference, a
    /// `normalized` added token is spelled as the normalizer writes it (`HeLLo` → `hello` after
    /// `Lowercase`); `token_to_id` takes its content as written in the file.
    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        self.added.by_id(id).map(|t| t.pattern.as_str()).or_else(|| self.model.id_to_token(id))
    }

    /// The raw bytes a token stands for: a byte-level token's bytes (`Ġ` → 0x20), a `<0xNN>`
    /// byte-fallback token's byte, otherwise the UTF-8 of its string. `None` for an unknown id.
    pub fn token_bytes(&self, id: u32) -> Option<Vec<u8>> {
        if let Some(t) = self.added.by_id(id) {
            return Some(t.content.as_bytes().to_vec());
        }
        let token = self.model.id_to_token(id)?;
        if let Some(b) = byte_level::fallback_byte(token) {
            return Some(vec![b]);
        }
        Some(if self.token_is_byte_level() { byte_level::token_bytes(token) } else { token.as_bytes().to_vec() })
    }

    /// True when vocab entries are spelled in the GPT-2 alphabet: either end of the pipeline is
    /// `ByteLevel` (as the reference's byte-level files always have it).
    pub(crate) fn token_is_byte_level(&self) -> bool {
        self.pre_tokenizer.as_ref().is_some_and(PreTokenizer::is_byte_level) || self.decoder.as_ref().is_some_and(Decoder::is_byte_level)
    }

    /// Number of distinct tokens: the model vocab plus added tokens not in it.
    pub fn vocab_size(&self) -> usize {
        self.model.vocab_len() + self.added.iter().filter(|t| self.model.id_to_token(t.id).is_none()).count()
    }
}

// A tokenizer is shared across threads (a server's handlers): keep it `Send + Sync`, checked at
// compile time.
const _: () = {
    const fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Tokenizer>();
};
