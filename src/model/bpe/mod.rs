//! Model stage: byte-pair encoding of one pre-tokenized piece.
//!
//! Reproduces the reference `BPE` model (models/bpe/model.rs): initial symbols are the piece's
//! chars (bytes mapped to the GPT-2 alphabet when the pre-tokenizer is `ByteLevel`), each looked
//! up in the vocab with `continuing_subword_prefix` / `end_of_word_suffix`; a char missing from
//! the vocab becomes `<0xNN>` byte tokens (`byte_fallback`), else `unk_token` (fused when
//! `fuse_unk`), else is dropped. `ignore_merges` first looks the whole piece up in the vocab.

mod fast_path;
mod merge;
mod piece_cache;
mod word_cache;

use super::vocab::Vocab;
use crate::error::{Error, ErrorKind, Result};
use crate::format::model::{for_each_merge, RawBpe, RawMerges};
use crate::text::byte_level::{self, BYTE_TO_CHAR};
use crate::text::span::{Piece, Symbol};
use merge::{MergeTable, Merger};
use fast_path::{JoinTable, Superwords};
use piece_cache::PieceCache;
use word_cache::WordCache;

/// Symbols of room the merge buffers keep between calls (about 1 MB); a longer word's buffers are
/// freed when its call ends.
pub(crate) const KEEP_SYMBOLS: usize = 1 << 16;

/// What BPE reuses from piece to piece and from call to call: tokens of byte strings already
/// encoded (bounded caches), and the buffers of the merge loop.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Tokens of short pieces, whole (see [`PieceCache`]).
    pieces: PieceCache,
    /// Tokens of chunks (see [`JoinTable`]).
    cache: WordCache,
    /// Tokens of words after the merges below the transition point (see [`Superwords`]).
    words: WordCache,
    /// The same for words of at most 16 bytes and 3 tokens, looked up as the piece cache does
    /// (most words of prose: a hash of two words and one slot read instead of hashing bytes and
    /// `memcmp`, which were a fifth of the time of SuperBPE t180k on prose).
    short_words: PieceCache,
    merger: Merger,
    word: Vec<Symbol>,
    part: Vec<Symbol>,
    /// The piece in the model's alphabet, for the whole-piece lookup of `ignore_merges`.
    whole: String,
}

impl Scratch {
    /// At the end of a call: frees buffers a long word grew past [`KEEP_SYMBOLS`].
    pub fn end_call(&mut self) {
        self.merger.shrink(KEEP_SYMBOLS);
        for buffer in [&mut self.word, &mut self.part] {
            if buffer.capacity() > KEEP_SYMBOLS {
                *buffer = Vec::new();
            }
        }
        if self.whole.capacity() > KEEP_SYMBOLS {
            self.whole = String::new();
        }
    }
}

/// A validated BPE model.
#[derive(Debug)]
pub(crate) struct Bpe {
    vocab: Vocab,
    merges: MergeTable,
    /// Id of the one-char token of each byte in the GPT-2 alphabet, when the vocab has it.
    byte_char_ids: [Option<u32>; 256],
    /// Id of `<0xNN>` for each byte, when `byte_fallback` is on and the vocab has it.
    fallback_ids: [Option<u32>; 256],
    byte_fallback: bool,
    /// `unk_token` and its id; the reference loads a file whose `unk_token` is missing from the
    /// vocab and fails only when an unknown char needs it, so the id is checked when used.
    unk: Option<(String, Option<u32>)>,
    fuse_unk: bool,
    ignore_merges: bool,
    continuing_subword_prefix: Option<String>,
    end_of_word_suffix: Option<String>,
    /// Set when byte-level pieces can take the fast path: every byte of UTF-8 has its one-char
    /// token and no prefix/suffix decorates units.
    joins: Option<Box<JoinTable>>,
    /// Set for a SuperBPE-like merge list (see [`Superwords`]), on the fast path only.
    superwords: Option<Box<Superwords>>,
    /// The 1.0 form's `byte_level`: the model reads each piece's bytes in the GPT-2 alphabet.
    /// `Tokenizer` applies it as a last `ByteLevel` pre-tokenizer (see `format::canonical`).
    byte_level: bool,
}

impl Bpe {
    /// Validates a raw BPE model. Errors: `dropout` other than 0, null or 1 (random, so never
    /// exact), a merge naming a token missing from the vocab.
    pub fn from_raw(raw: RawBpe<'_>) -> Result<Self> {
        let stage = "model";
        // The reference skips each merge with probability `dropout` (a fresh random draw per
        // merge, per encode). 0 and null never skip, 1 always does (`rand < 1.0`): both are
        // deterministic. It then also bypasses `ignore_merges` (only its cached path reads it).
        let merges_off = match raw.dropout {
            None => false,
            Some(d) if !(0.0..=1.0).contains(&d) => return Err(Error::invalid(stage, format!("BPE `dropout` {d} is not between 0 and 1"))),
            Some(d) if d == 0.0 => false,
            Some(d) if d == 1.0 => true,
            Some(d) => return Err(Error::unsupported(stage, format!("BPE `dropout` {d} (random segmentation cannot be reproduced; 0, null and 1 can)"))),
        };
        let vocab = Vocab::from_raw(raw.vocab);
        let prefix = raw.continuing_subword_prefix.filter(|p| !p.is_empty());
        let suffix = raw.end_of_word_suffix.filter(|s| !s.is_empty());
        let prefix_len = prefix.as_ref().map_or(0, String::len);

        let mut byte_char_ids = [None; 256];
        let mut fallback_ids = [None; 256];
        let mut char_buf = [0u8; 4];
        for b in 0..256 {
            byte_char_ids[b] = vocab.id(BYTE_TO_CHAR[b].encode_utf8(&mut char_buf));
            if raw.byte_fallback {
                fallback_ids[b] = vocab.id(&byte_level::fallback_token(b as u8));
            }
        }
        // Bytes that never occur in UTF-8 (0xC0, 0xC1, 0xF5..) need no token: vocabs often lack them.
        let in_utf8 = |b: usize| !matches!(b, 0xC0 | 0xC1 | 0xF5..=0xFF);
        // The fast path's tables are dense by id: not for a vocab with sparse ids (see `MAX_DENSE_ID`).
        let fast = (0..256).all(|b| byte_char_ids[b].is_some() || !in_utf8(b)) && prefix.is_none() && suffix.is_none() && vocab.is_dense() && !merges_off;
        let mut merges = MergeTable::with_capacity(vocab.len());
        // A compiled file's merges are kept, in rank order, for `scan_merges`.
        let compiled = match raw.merges {
            RawMerges::Json(json) => {
                let mut buffer = String::new();
                for_each_merge(json, |rank, a, b| {
                    let id_of = |t: &str| {
                        vocab.id(t).ok_or_else(|| Error::invalid(stage, format!("merge {rank} names token {t:?}, which is not in the vocab")))
                    };
                    let (a_id, b_id) = (id_of(a)?, id_of(b)?);
                    buffer.clear();
                    buffer.push_str(a);
                    buffer.push_str(b.get(prefix_len..).unwrap_or(""));
                    let merged = id_of(&buffer)?;
                    if !merges_off {
                        merges.insert(a_id, b_id, rank, merged);
                    }
                    Ok(())
                })?;
                None
            }
            // Checked as they were read: no lookups by text.
            RawMerges::Compiled(list) => {
                for (rank, m) in list.iter().enumerate().filter(|_| !merges_off) {
                    merges.insert(m.a, m.b, rank as u32, m.merged);
                }
                Some(list)
            }
        };
        // The fast path's tables come from a compiled file's merges when each id is one token
        // (see `scan_merges`: decoding every token was a quarter of loading a compiled o200k). A
        // JSON file's merges are not kept in order for it: that list (2.4 MB for o200k) would
        // raise wasm memory's high-water mark.
        let scanned = match &compiled {
            _ if !fast => None,
            Some(list) if vocab.ids_unique() => Some(fast_path::scan_merges(&vocab, list)),
            _ => Some(fast_path::scan_vocab(&vocab)),
        };
        // Freed now: the byte-pair table below (512 KB) can reuse its memory.
        drop(compiled);
        if fast {
            // Bytes without a token never occur in the text (see `in_utf8`): any id will do.
            merges.index_byte_pairs(&byte_char_ids.map(Option::unwrap_or_default));
        }
        let superwords = scanned.as_ref().and_then(|(_, crosses)| Superwords::find(&vocab, &merges, crosses)).map(Box::new);
        let joins = scanned.map(|(joins, _)| Box::new(joins));
        let unk = raw.unk_token.map(|t| {
            let id = vocab.id(&t);
            (t, id)
        });
        Ok(Bpe {
            vocab,
            merges,
            byte_char_ids,
            fallback_ids,
            byte_fallback: raw.byte_fallback,
            unk,
            fuse_unk: raw.fuse_unk,
            ignore_merges: raw.ignore_merges && !merges_off,
            continuing_subword_prefix: prefix,
            end_of_word_suffix: suffix,
            joins,
            superwords,
            byte_level: raw.byte_level,
        })
    }

    /// The 1.0 form's `byte_level` flag (false when absent).
    pub fn byte_level(&self) -> bool {
        self.byte_level
    }

    /// Every merge as `(left id, right id, rank, merged id)`, in no particular order (a pair
    /// listed twice keeps its later rank, as the reference's map does).
    #[cfg(any(feature = "lab", feature = "train"))]
    pub fn merge_list(&self) -> impl Iterator<Item = (u32, u32, u32, u32)> + '_ {
        self.merges.iter()
    }

    /// `(rank, merged id)` of the merge of `left` then `right`, if any.
    #[cfg(feature = "lab")]
    pub fn merge_of_pair(&self, left: u32, right: u32) -> Option<(u32, u32)> {
        self.merges.get(left, right)
    }

    /// Id of the one-char token of byte `b` in the GPT-2 alphabet, when the vocab has it.
    #[cfg(feature = "lab")]
    pub fn byte_char_id(&self, b: u8) -> Option<u32> {
        self.byte_char_ids[usize::from(b)]
    }

    /// Id of the `<0xNN>` token of byte `b` when `byte_fallback` is on and the vocab has it.
    #[cfg(feature = "lab")]
    pub fn fallback_id(&self, b: u8) -> Option<u32> {
        self.fallback_ids[usize::from(b)]
    }

    /// The model's vocab (token ↔ id).
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// Encodes `piece` of `text` into `out`, which is cleared first. Symbol ranges are bytes of `text`; a
    /// byte-level piece's virtual prefix space covers the piece's first char, as the reference's
    /// `prepend` aligns it.
    ///
    /// `scratch` carries what earlier pieces of the same call left (see [`Scratch`]).
    #[inline]
    pub fn tokenize(&self, text: &str, piece: Piece, out: &mut Vec<Symbol>, scratch: &mut Scratch) -> Result<()> {
        out.clear();
        let len = piece.end - piece.start;
        // A short byte-level piece's tokens depend on its bytes alone (every byte has its token
        // on the fast path): look the whole piece up first. Inlined into the caller's loop: in
        // prose nearly every piece ends here.
        if piece.byte_level && !piece.prefix_space && (1..=piece_cache::MAX_PIECE).contains(&len) && self.joins.is_some() {
            let key = piece_cache::key_of(text.as_bytes(), piece.start, len);
            if scratch.pieces.get(key, len, piece.start as u32, out) {
                return Ok(());
            }
            return self.tokenize_and_keep(text, piece, key, out, scratch);
        }
        self.tokenize_uncached(text, piece, out, scratch, true)
    }

    /// A short piece the piece cache did not have: encoded, then kept.
    #[inline(never)]
    fn tokenize_and_keep(&self, text: &str, piece: Piece, key: [u64; 2], out: &mut Vec<Symbol>, scratch: &mut Scratch) -> Result<()> {
        // Its chunks are not kept in the chunk cache too: a short piece is nearly always one
        // chunk, so that lookup missed and its insert was wasted (~500 of the ~2,300
        // instructions of a new o200k piece of prose, by callgrind).
        self.tokenize_uncached(text, piece, out, scratch, false)?;
        scratch.pieces.insert(key, piece.end - piece.start, out);
        Ok(())
    }

    /// `keep_chunks`: look the piece's chunks up in the chunk cache, and keep them there.
    #[inline(never)]
    fn tokenize_uncached(&self, text: &str, piece: Piece, out: &mut Vec<Symbol>, scratch: &mut Scratch, keep_chunks: bool) -> Result<()> {
        let sub = &text[piece.start..piece.end];
        // A piece of chars (not byte-level: Metaspace and WordPiece-style files such as Llama 2)
        // is cached whole, by its text, in the chunk cache: a tokenizer's pieces are all
        // byte-level or none, so the two kinds of key never meet. Without it every word was
        // merged again: Llama 2 counted 1.5 MB/s, against 185 for the reference 1.0 rc.
        if !piece.byte_level {
            if let Some(tokens) = scratch.cache.get(sub.as_bytes()) {
                fast_path::push_cached(tokens, piece.start as u32, out);
                return Ok(());
            }
            self.tokenize_chars(text, piece, out, &mut scratch.merger)?;
            // Kept only if the tokens tile the piece (a dropped unknown char does not).
            scratch.cache.insert(sub.as_bytes(), out);
            return Ok(());
        }
        let first_char_end = text[piece.start..].chars().next().map_or(piece.start, |c| piece.start + c.len_utf8());
        if self.ignore_merges {
            self.model_string(sub, piece, &mut scratch.whole);
            if let Some(id) = self.vocab.id(&scratch.whole) {
                let end = if piece.prefix_space { piece.end.max(first_char_end) } else { piece.end };
                out.push(Symbol { id, start: piece.start as u32, end: end as u32 });
                return Ok(());
            }
        }
        if let (true, Some(joins)) = (piece.byte_level, &self.joins) {
            return self.tokenize_bytes(text.as_bytes(), piece, first_char_end, joins, out, scratch, keep_chunks);
        }
        check_merge_len(piece.end - piece.start)?;
        self.tokenize_units(text, piece, first_char_end, out, &mut scratch.merger)
    }

    /// A piece of chars, uncached: the whole piece from the vocab under `ignore_merges`, else the
    /// merge loop over its chars.
    fn tokenize_chars(&self, text: &str, piece: Piece, out: &mut Vec<Symbol>, merger: &mut Merger) -> Result<()> {
        let sub = &text[piece.start..piece.end];
        if self.ignore_merges {
            if let Some(id) = self.vocab.id(sub) {
                out.push(Symbol { id, start: piece.start as u32, end: piece.end as u32 });
                return Ok(());
            }
        }
        check_merge_len(piece.end - piece.start)?;
        let first_char_end = sub.chars().next().map_or(piece.start, |c| piece.start + c.len_utf8());
        self.tokenize_units(text, piece, first_char_end, out, merger)
    }

    /// The general path: one symbol per unit (byte or char), then the merge loop over the piece.
    fn tokenize_units(&self, text: &str, piece: Piece, first_char_end: usize, out: &mut Vec<Symbol>, merger: &mut Merger) -> Result<()> {
        let sub = &text[piece.start..piece.end];
        let mut builder = WordBuilder { model: self, word: out, unk: None, skipped: 0 };
        if piece.byte_level {
            let fast = self.continuing_subword_prefix.is_none() && self.end_of_word_suffix.is_none();
            let units = piece.prefix_space as usize + sub.len();
            let known = |b: u8| if fast { self.byte_char_ids[b as usize] } else { None };
            let mut index = 0;
            if piece.prefix_space {
                builder.push_unit(BYTE_TO_CHAR[b' ' as usize], known(b' '), true, units == 1, piece.start, first_char_end)?;
                index += 1;
            }
            for (i, &b) in sub.as_bytes().iter().enumerate() {
                let at = piece.start + i;
                builder.push_unit(BYTE_TO_CHAR[b as usize], known(b), index == 0, index + 1 == units, at, at + 1)?;
                index += 1;
            }
        } else {
            let mut chars = sub.char_indices().peekable();
            let mut first = true;
            while let Some((i, c)) = chars.next() {
                let at = piece.start + i;
                builder.push_unit(c, None, first, chars.peek().is_none(), at, at + c.len_utf8())?;
                first = false;
            }
        }
        builder.finish();
        merger.merge(out, &self.merges);
        Ok(())
    }

    /// The piece as the reference model sees it: GPT-2 alphabet for byte-level, with the prefix.
    fn model_string(&self, sub: &str, piece: Piece, into: &mut String) {
        into.clear();
        if !piece.byte_level {
            into.push_str(sub);
            return;
        }
        if piece.prefix_space {
            into.push(BYTE_TO_CHAR[b' ' as usize]);
        }
        byte_level::push_mapped(sub.as_bytes(), into);
    }
}

/// Builds the initial symbols of a word, one unit (char) at a time.
struct WordBuilder<'m, 'w> {
    model: &'m Bpe,
    word: &'w mut Vec<Symbol>,
    /// A pending unknown run: (unk id, start, end).
    unk: Option<(u32, u32, u32)>,
    /// Bytes of dropped units so far: the reference's offsets are cumulative lengths, so every
    /// later symbol shifts left by what was dropped.
    skipped: u32,
}

impl WordBuilder<'_, '_> {
    fn push_unit(&mut self, c: char, known_id: Option<u32>, is_first: bool, is_last: bool, start: usize, end: usize) -> Result<()> {
        let (start, end) = (start as u32 - self.skipped, end as u32 - self.skipped);
        let model = self.model;
        let prefix = model.continuing_subword_prefix.as_deref().filter(|_| !is_first);
        let suffix = model.end_of_word_suffix.as_deref().filter(|_| is_last);
        let mut buf = [0u8; 4];
        let unit: std::borrow::Cow<str> = if prefix.is_none() && suffix.is_none() {
            std::borrow::Cow::Borrowed(c.encode_utf8(&mut buf))
        } else {
            std::borrow::Cow::Owned(format!("{}{c}{}", prefix.unwrap_or(""), suffix.unwrap_or("")))
        };
        if let Some(id) = known_id.or_else(|| model.vocab.id(&unit)) {
            self.flush_unk();
            self.word.push(Symbol { id, start, end });
            return Ok(());
        }
        if model.byte_fallback {
            let ids: Option<Vec<u32>> = unit.bytes().map(|b| model.fallback_ids[b as usize]).collect();
            if let Some(ids) = ids {
                // The reference emits the bytes without flushing a pending unknown run first.
                self.word.extend(ids.into_iter().map(|id| Symbol { id, start, end }));
                return Ok(());
            }
        }
        match (&model.unk, self.unk) {
            (Some(_), Some((id, s, _))) if model.fuse_unk => self.unk = Some((id, s, end)),
            (Some((_, Some(unk))), _) => {
                self.flush_unk();
                self.unk = Some((*unk, start, end));
            }
            (Some((token, None)), _) => {
                return Err(Error::new(ErrorKind::Input, format!("unk_token {token:?} is not in the vocab (needed for {c:?})")));
            }
            (None, _) => self.skipped += end - start,
        }
        Ok(())
    }

    fn flush_unk(&mut self) {
        if let Some((id, start, end)) = self.unk.take() {
            self.word.push(Symbol { id, start, end });
        }
    }

    fn finish(&mut self) {
        self.flush_unk();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_a_long_word_grew_are_freed_at_the_end_of_the_call() {
        let mut scratch = Scratch::default();
        scratch.word.reserve(KEEP_SYMBOLS + 1);
        scratch.part.reserve(10);
        let mut symbols: Vec<Symbol> = (0..KEEP_SYMBOLS as u32 + 2).map(|i| Symbol { id: 0, start: i, end: i + 1 }).collect();
        scratch.merger.merge(&mut symbols, &merge::MergeTable::default());
        assert!(scratch.merger.capacity() > KEEP_SYMBOLS);
        scratch.end_call();
        assert_eq!((scratch.word.capacity(), scratch.merger.capacity()), (0, 0));
        assert!(scratch.part.capacity() >= 10, "small buffers are kept");
        let mut again: Vec<Symbol> = (0..20).map(|i| Symbol { id: 0, start: i, end: i + 1 }).collect();
        scratch.merger.merge(&mut again, &merge::MergeTable::default());
        scratch.end_call();
        assert_eq!(again.len(), 20);
    }
}

/// Longest run of bytes the merge loop takes at once: a run no split point or byte-pair cut
/// shortens (100 MB of one letter is one such run). Merging holds ~50 bytes per byte of it, so
/// this bounds memory at about 1.6 GiB, inside wasm's 4 GiB, where a longer run would fail to
/// allocate and trap; above it, encoding is an error.
pub(crate) const MAX_MERGE_BYTES: usize = 32 << 20;

fn check_merge_len(len: usize) -> Result<()> {
    if len > MAX_MERGE_BYTES {
        return Err(Error::new(
            ErrorKind::Input,
            format!("a run of {len} bytes with no split point is over the {} MiB one merge may take", MAX_MERGE_BYTES >> 20),
        ));
    }
    Ok(())
}
