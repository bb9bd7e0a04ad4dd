//! Model stage: byte-pair encoding of one pre-tokenized piece.
//!
//! Reproduces the reference `BPE` model (models/bpe/model.rs): initial symbols are the piece's
//! chars (bytes mapped to the GPT-2 alphabet when the pre-tokenizer is `ByteLevel`), each looked
//! up in the vocab with `continuing_subword_prefix` / `end_of_word_suffix`; a char missing from
//! the vocab becomes `<0xNN>` byte tokens (`byte_fallback`), else `unk_token` (fused when
//! `fuse_unk`), else is dropped. `ignore_merges` first looks the whole piece up in the vocab.

use crate::byte_level::BYTE_TO_CHAR;
use crate::error::{Error, ErrorKind, Result};
use crate::merge::{MergeTable, Merger, Symbol};
use crate::pre_tokenizer::Piece;
use crate::schema::RawBpe;
use crate::vocab::Vocab;
use crate::word_cache::WordCache;


/// What BPE reuses from piece to piece during one `encode`/`count` call: tokens of byte strings
/// already encoded, and the buffers of the merge loop.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Tokens of chunks (see [`JoinTable`]).
    cache: WordCache,
    /// Tokens of words after the merges below the transition point (see [`Superwords`]).
    words: WordCache,
    merger: Merger,
    word: Vec<Symbol>,
    part: Vec<Symbol>,
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
}

/// The two stages of a SuperBPE vocabulary, found in the merge list.
///
/// SuperBPE learns subword merges under whitespace pre-tokenization, then (from the transition
/// point on) superword merges that cross whitespace. When no merge below the transition point
/// takes a token that a merge from it on produces, BPE runs in two phases, exactly: while a
/// pair ranked below the point exists it is the lowest, and once none is left, each new merge
/// makes a token whose pairs all rank from the point on, so none comes back. The first phase never
/// crosses a place where no subword joins two bytes, so it runs word by word and its words
/// repeat (cached, as plain BPE's); the second phase runs on the few tokens of the first.
#[derive(Debug)]
pub(crate) struct Superwords {
    /// Rank of the first merge whose token holds a space after a non-space byte.
    from_rank: u32,
    /// Byte pairs inside the tokens made below `from_rank` (the words of the first phase).
    word_joins: JoinTable,
}

impl Superwords {
    /// The two stages of `merges`, if the merge list has them and they are separable.
    fn find(vocab: &Vocab, merges: &MergeTable) -> Option<Superwords> {
        // A space right after a printable ASCII byte: a word boundary inside the token. (Any rule
        // is exact once the stages are checked separable below; this one finds SuperBPE's point.)
        let crosses_space = |id: u32| {
            let token = vocab.token(id).unwrap_or_default();
            let mut bytes = token.chars().map(crate::byte_level::char_to_byte);
            let mut prev = None;
            bytes.any(|b| {
                let found = b == Some(b' ') && prev.is_some_and(|p: u8| p.is_ascii_graphic());
                prev = b;
                found
            })
        };
        let from_rank = merges.iter().filter(|m| crosses_space(m.3)).map(|m| m.2).min()?;
        let mut late = vec![false; vocab.max_id() as usize + 1];
        for (_, _, rank, merged) in merges.iter() {
            if rank >= from_rank {
                late[merged as usize] = true;
            }
        }
        let separable = merges.iter().all(|(a, b, rank, _)| rank >= from_rank || !(late[a as usize] || late[b as usize]));
        if !separable {
            return None;
        }
        let early = merges.iter().filter(|m| m.2 < from_rank).map(|m| m.3);
        let word_joins = JoinTable::from_tokens(early.filter_map(|id| vocab.token(id)));
        Some(Superwords { from_rank, word_joins })
    }
}

/// Which bytes may sit next to each other inside one token: `(a, b)` is allowed when some vocab
/// entry, read as bytes through the GPT-2 alphabet, has `a` right before `b`.
///
/// Where a piece has two neighbouring bytes no entry joins, no merge can ever cross between them
/// (every symbol, merged or not, is a vocab entry), and merges on either side never meet: BPE of
/// the piece is BPE of each side, exactly. Cutting there keeps the merge loop on short chunks and
/// lets chunks repeat, which matters most for SuperBPE, whose pieces run across spaces and whole
/// sentences: in English prose about one byte pair in fifteen is such a cut.
#[derive(Debug)]
pub(crate) struct JoinTable {
    bits: [u64; 1024],
}

impl JoinTable {
    fn from_tokens<'t>(tokens: impl Iterator<Item = &'t str>) -> Self {
        let mut table = JoinTable { bits: [0; 1024] };
        let mut pairs = Vec::new();
        for token in tokens {
            // A token with a char outside the alphabet can never be formed from byte units.
            pairs.clear();
            let mut prev = None;
            let complete = token.chars().all(|c| match crate::byte_level::char_to_byte(c) {
                Some(b) => {
                    pairs.extend(prev.map(|a: u8| usize::from(a) << 8 | usize::from(b)));
                    prev = Some(b);
                    true
                }
                None => false,
            });
            for &i in pairs.iter().filter(|_| complete) {
                table.bits[i >> 6] |= 1 << (i & 63);
            }
        }
        table
    }

    #[inline]
    fn joins(&self, a: u8, b: u8) -> bool {
        let i = usize::from(a) << 8 | usize::from(b);
        self.bits[i >> 6] & (1 << (i & 63)) != 0
    }
}

impl Bpe {
    /// Validates a raw BPE model. Errors: `dropout` (not deterministic, so never exact), an id
    /// over 2^24, a merge naming a token missing from the vocab.
    pub fn from_raw(raw: RawBpe<'_>) -> Result<Self> {
        let stage = "model";
        if raw.dropout.is_some_and(|d| d > 0.0) {
            return Err(Error::unsupported(stage, "BPE `dropout` (random segmentation cannot be reproduced)"));
        }
        let vocab = Vocab::new(stage, raw.vocab)?;
        let prefix = raw.continuing_subword_prefix.filter(|p| !p.is_empty());
        let suffix = raw.end_of_word_suffix.filter(|s| !s.is_empty());
        let prefix_len = prefix.as_ref().map_or(0, String::len);

        let mut merges = MergeTable::with_capacity(vocab.len());
        let mut buffer = String::new();
        crate::schema::for_each_merge(raw.merges, |rank, a, b| {
            let id_of = |t: &str| {
                vocab.id(t).ok_or_else(|| Error::invalid(stage, format!("merge {rank} names token {t:?}, which is not in the vocab")))
            };
            let (a_id, b_id) = (id_of(a)?, id_of(b)?);
            buffer.clear();
            buffer.push_str(a);
            buffer.push_str(b.get(prefix_len..).unwrap_or(""));
            let merged = id_of(&buffer)?;
            merges.insert(a_id, b_id, rank, merged);
            Ok(())
        })?;

        let mut byte_char_ids = [None; 256];
        let mut fallback_ids = [None; 256];
        let mut char_buf = [0u8; 4];
        for b in 0..256 {
            byte_char_ids[b] = vocab.id(BYTE_TO_CHAR[b].encode_utf8(&mut char_buf));
            if raw.byte_fallback {
                fallback_ids[b] = vocab.id(&format!("<0x{b:02X}>"));
            }
        }
        // Bytes that never occur in UTF-8 (0xC0, 0xC1, 0xF5..) need no token: vocabs often lack them.
        let in_utf8 = |b: usize| !matches!(b, 0xC0 | 0xC1 | 0xF5..=0xFF);
        let fast = (0..256).all(|b| byte_char_ids[b].is_some() || !in_utf8(b)) && prefix.is_none() && suffix.is_none();
        let joins = fast.then(|| Box::new(JoinTable::from_tokens(vocab.tokens())));
        if fast {
            // Bytes without a token never occur in the text (see `in_utf8`): any id will do.
            merges.index_byte_pairs(&byte_char_ids.map(Option::unwrap_or_default));
        }
        let superwords = if fast { Superwords::find(&vocab, &merges).map(Box::new) } else { None };
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
            ignore_merges: raw.ignore_merges,
            continuing_subword_prefix: prefix,
            end_of_word_suffix: suffix,
            joins,
            superwords,
        })
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
    pub fn tokenize(&self, text: &str, piece: Piece, byte_level: bool, out: &mut Vec<Symbol>, scratch: &mut Scratch) -> Result<()> {
        out.clear();
        let sub = &text[piece.start..piece.end];
        let first_char_end = text[piece.start..].chars().next().map_or(piece.start, |c| piece.start + c.len_utf8());
        if self.ignore_merges {
            let whole = self.model_string(sub, piece.prefix_space, byte_level);
            if let Some(id) = self.vocab.id(&whole) {
                let end = if piece.prefix_space { piece.end.max(first_char_end) } else { piece.end };
                out.push(Symbol { id, start: piece.start as u32, end: end as u32 });
                return Ok(());
            }
        }
        if let (true, Some(joins)) = (byte_level, &self.joins) {
            return self.tokenize_bytes(text.as_bytes(), piece, first_char_end, joins, out, scratch);
        }
        check_merge_len(piece.end - piece.start)?;
        self.tokenize_units(text, piece, byte_level, first_char_end, out, &mut scratch.merger)
    }

    /// The general path: one symbol per unit (byte or char), then the merge loop over the piece.
    fn tokenize_units(&self, text: &str, piece: Piece, byte_level: bool, first_char_end: usize, out: &mut Vec<Symbol>, merger: &mut Merger) -> Result<()> {
        let sub = &text[piece.start..piece.end];
        let mut builder = WordBuilder { model: self, word: out, unk: None, skipped: 0 };
        if byte_level {
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

    /// The byte-level fast path: the piece is cut where no token can cross (see [`JoinTable`]) and
    /// each chunk is taken from `cache` or merged on its own. Same symbols as the general path.
    fn tokenize_bytes(&self, text: &[u8], piece: Piece, first_char_end: usize, joins: &JoinTable, out: &mut Vec<Symbol>, scratch: &mut Scratch) -> Result<()> {
        let bytes = &text[piece.start..piece.end];
        let mut chunk_start = 0;
        if piece.prefix_space {
            let Scratch { merger, word, .. } = &mut *scratch;
            word.clear();
            // The virtual space covers the piece's first char. A chunk holding it is not cached
            // (its span differs from its length).
            let space = Symbol { id: self.byte_id(b' '), start: piece.start as u32, end: first_char_end as u32 };
            word.push(space);
            let mut end = 0;
            while end < bytes.len() && joins.joins(if end == 0 { b' ' } else { bytes[end - 1] }, bytes[end]) {
                let at = (piece.start + end) as u32;
                word.push(Symbol { id: self.byte_id(bytes[end]), start: at, end: at + 1 });
                end += 1;
            }
            check_merge_len(end)?;
            chunk_start = end;
            merger.merge(word, &self.merges);
            out.extend_from_slice(word);
        }
        while chunk_start < bytes.len() {
            let mut end = chunk_start + 1;
            while end < bytes.len() && joins.joins(bytes[end - 1], bytes[end]) {
                end += 1;
            }
            check_merge_len(end - chunk_start)?;
            self.encode_chunk(&bytes[chunk_start..end], (piece.start + chunk_start) as u32, out, scratch);
            chunk_start = end;
        }
        Ok(())
    }

    /// Appends the tokens of `chunk` (bytes with no barrier inside, starting at byte `at` of the
    /// text) to `out`: from the cache, else merged (in two phases for SuperBPE) and cached.
    fn encode_chunk(&self, chunk: &[u8], at: u32, out: &mut Vec<Symbol>, scratch: &mut Scratch) {
        let Scratch { cache, words, merger, word, part } = scratch;
        if let Some(tokens) = cache.get(chunk) {
            push_cached(tokens, at, out);
            return;
        }
        word.clear();
        match &self.superwords {
            None => {
                self.push_bytes(chunk, at, word);
                merger.merge_bytes(word, &self.merges, chunk, u32::MAX);
            }
            Some(sw) => {
                let mut start = 0;
                while start < chunk.len() {
                    let mut end = start + 1;
                    while end < chunk.len() && sw.word_joins.joins(chunk[end - 1], chunk[end]) {
                        end += 1;
                    }
                    let sub = &chunk[start..end];
                    let sub_at = at + start as u32;
                    if let Some(tokens) = words.get(sub) {
                        push_cached(tokens, sub_at, word);
                    } else {
                        part.clear();
                        self.push_bytes(sub, sub_at, part);
                        merger.merge_bytes(part, &self.merges, sub, sw.from_rank);
                        words.insert(sub, part);
                        word.extend_from_slice(part);
                    }
                    start = end;
                }
                merger.merge(word, &self.merges);
            }
        }
        cache.insert(chunk, word);
        out.extend_from_slice(word);
    }

    /// Pushes the one-byte symbols of `bytes`, the first at byte `at`.
    fn push_bytes(&self, bytes: &[u8], at: u32, out: &mut Vec<Symbol>) {
        out.extend(bytes.iter().enumerate().map(|(i, &b)| Symbol { id: self.byte_id(b), start: at + i as u32, end: at + i as u32 + 1 }));
    }

    /// Id of the one-char token of byte `b` (present for every byte of UTF-8 text whenever the
    /// fast path is taken).
    #[inline]
    fn byte_id(&self, b: u8) -> u32 {
        self.byte_char_ids[b as usize].unwrap_or_default()
    }

    /// The piece as the reference model sees it: GPT-2 alphabet for byte-level, with the prefix.
    fn model_string(&self, sub: &str, prefix_space: bool, byte_level: bool) -> String {
        if !byte_level {
            return sub.to_owned();
        }
        let mut s = String::with_capacity(sub.len() * 2 + 2);
        if prefix_space {
            s.push(BYTE_TO_CHAR[b' ' as usize]);
        }
        crate::byte_level::push_mapped(sub.as_bytes(), &mut s);
        s
    }
}

/// Appends cached `(id, length)` tokens as symbols from byte `at` on.
fn push_cached(tokens: &[(u32, u32)], mut at: u32, out: &mut Vec<Symbol>) {
    for &(id, len) in tokens {
        out.push(Symbol { id, start: at, end: at + len });
        at += len;
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

#[cfg(test)]
mod fast_path_tests {
    use super::*;
    use crate::model::Model;

    /// A tiny deterministic generator, so the test needs no dependency.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    /// The fast path (chunks cut at byte pairs no token joins, SuperBPE's two phases, both
    /// caches) gives the symbols of the plain merge loop over whole pieces, on the real files.
    #[test]
    fn fast_path_matches_the_plain_merge_loop() {
        let root = env!("CARGO_MANIFEST_DIR");
        let dir = std::env::var("TOKENSCOPE_SHARED_TOKENIZERS").unwrap_or_else(|_| format!("{root}/../shared/tokenizers"));
        let texts: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(format!("{root}/tests/fixtures/golden/texts.json")).unwrap()).unwrap();
        let mut inputs: Vec<String> = texts["texts"].as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap().to_owned()).collect();
        let alphabet: Vec<char> = "  the way of , . ! ? \n\t 0123456789 ab'sd 日本語 😀 é\u{301}".chars().collect();
        let mut rng = Lcg(1);
        for _ in 0..400 {
            let len = 1 + rng.next(300);
            inputs.push((0..len).map(|_| alphabet[rng.next(alphabet.len())]).collect());
        }
        let mut tested = 0;
        for file in ["olmo2-superbpe-t180k.json", "olmo2-superbpe-t100k.json", "olmo2-bpe-200k.json", "gpt2.json"] {
            let Ok(json) = std::fs::read_to_string(format!("{dir}/{file}")) else { continue };
            let model: serde_json::Value = serde_json::from_str(&json).unwrap();
            let Model::Bpe(bpe) = Model::from_json(&model["model"].to_string()).unwrap() else { panic!("{file} is BPE") };
            assert!(bpe.joins.is_some(), "{file} takes the fast path");
            let from_rank = bpe.superwords.as_ref().map(|s| s.from_rank);
            eprintln!("{file}: superword merges from rank {from_rank:?}");
            if file.contains("superbpe") {
                assert!(from_rank.is_some_and(|r| r > 90_000), "{file}: superword stage found");
            }
            let mut scratch = Scratch::default();
            let (mut fast, mut plain) = (Vec::new(), Vec::new());
            for text in &inputs {
                for prefix_space in [false, true] {
                    let piece = Piece { start: 0, end: text.len(), prefix_space };
                    bpe.tokenize(text, piece, true, &mut fast, &mut scratch).unwrap();
                    let first_char_end = text.chars().next().map_or(0, char::len_utf8);
                    plain.clear();
                    bpe.tokenize_units(text, piece, true, first_char_end, &mut plain, &mut Merger::default()).unwrap();
                    assert_eq!(fast, plain, "{file}: {text:?}");
                }
            }
            tested += 1;
        }
        // The golden tests need these files too: a missing one is a broken setup, not a pass.
        assert_eq!(tested, 4, "tokenizer files missing from {dir}");
        eprintln!("{tested} files compared on {} texts", inputs.len());
    }
}
