//! A model vocabulary: token → id and id → token, as the reference models' `vocab` and
//! `vocab_r` maps. Shared by the `BPE`, `WordPiece` and `WordLevel` models.
//!
//! Stored compactly, because `tokenizer.json` files carry 200k tokens and the page loads them in
//! wasm memory that never shrinks: every token's text lives in one arena string, ids in a dense
//! table, and the token → id index is a hash table of entry numbers (4 bytes a token). The
//! `vocab` object is read straight from the JSON text (no `String` per token on the way).

use crate::format::vocab::{entry_bytes, entry_text, hash_bytes, RawVocab};

/// Ids below this value, and below a few times the vocab's size, are found in a dense id → entry
/// table; a vocab with a larger id uses a table sorted by id instead (a dense one takes 4 bytes
/// per id up to the largest: 64 MiB for one token of id 2^24 - 1), and BPE then runs without its
/// fast path, whose tables are dense by id too.
pub(crate) const MAX_DENSE_ID: u32 = 1 << 24;

/// No entry: a hole in the id table.
const NONE: u32 = u32::MAX;

/// Both directions of a `vocab` object. Ids need not be contiguous; when two tokens share an
/// id, `token(id)` gives one of them (the reference's reverse map keeps an arbitrary one too).
#[derive(Debug)]
pub(crate) struct Vocab {
    raw: RawVocab,
    /// Entry of each id, [`NONE`] for an id no token has; empty when entry `e` has id `e` for
    /// every entry (files list their vocab by id), which saves `token` one dependent read of an
    /// 800 KB table per token (200k tokens): `encode` looks up every token's text.
    by_id: Vec<u32>,
    /// Instead of `by_id` when an id is [`MAX_DENSE_ID`] or more: `(id, entry)` sorted by id, the
    /// last entry of an id kept.
    sparse: Vec<(u32, u32)>,
    /// Length in bytes of the longest token: no longer string can be in the vocab.
    max_token_len: usize,
    /// No two tokens share an id.
    ids_unique: bool,
}

impl Vocab {
    /// Builds the reverse table. Never fails: any `u32` id is taken, as the reference takes it.
    pub fn from_raw(mut raw: RawVocab) -> Self {
        let max_id = raw.entries.iter().map(|&(_, id)| id).max().unwrap_or(0);
        // Real files number their tokens from 0 with few holes.
        let dense = max_id < MAX_DENSE_ID && max_id as usize <= 4 * raw.entries.len() + (1 << 16);
        let mut by_id = vec![NONE; if raw.entries.is_empty() || !dense { 0 } else { max_id as usize + 1 }];
        let mut sparse = Vec::new();
        let mut max_token_len = 0;
        let mut start = 0;
        for (e, &(end, id)) in raw.entries.iter().enumerate() {
            if dense {
                by_id[id as usize] = e as u32;
            } else {
                sparse.push((id, e as u32));
            }
            max_token_len = max_token_len.max(end as usize - start);
            start = end as usize;
        }
        let ids_unique = if dense {
            by_id.iter().filter(|&&e| e != NONE).count() == raw.entries.len()
        } else {
            // Stable: of the entries of one id, the last is kept, as in the dense table.
            sparse.sort_by_key(|&(id, _)| id);
            let before = sparse.len();
            sparse.reverse();
            sparse.dedup_by_key(|&mut (id, _)| id);
            sparse.reverse();
            sparse.len() == before
        };
        // Growth by doubling left up to half of each buffer unused; the page keeps wasm memory.
        raw.arena.shrink_to_fit();
        raw.entries.shrink_to_fit();
        raw.index.shrink_to(0, |&e| hash_bytes(entry_bytes(&raw.arena, &raw.entries, e)));
        if dense && raw.entries.iter().enumerate().all(|(e, &(_, id))| id as usize == e) {
            by_id = Vec::new();
        }
        Vocab { raw, by_id, sparse, max_token_len, ids_unique }
    }

    /// Number of tokens (entries of the `vocab` object).
    pub fn len(&self) -> usize {
        self.raw.entries.len()
    }

    /// The id of `token`.
    pub fn id(&self, token: &str) -> Option<u32> {
        self.raw.entry(token).map(|e| self.raw.entries[e as usize].1)
    }

    /// The token of `id`.
    pub fn token(&self, id: u32) -> Option<&str> {
        let e = if !self.sparse.is_empty() {
            match self.sparse.binary_search_by_key(&id, |&(id, _)| id) {
                Ok(i) => self.sparse[i].1,
                Err(_) => return None,
            }
        } else if self.by_id.is_empty() {
            id
        } else {
            match self.by_id.get(id as usize) {
                Some(&e) if e != NONE => e,
                _ => return None,
            }
        };
        ((e as usize) < self.raw.entries.len()).then(|| entry_text(&self.raw.arena, &self.raw.entries, e))
    }

    /// The largest id (0 for an empty vocab).
    pub fn max_id(&self) -> u32 {
        if let Some(&(id, _)) = self.sparse.last() {
            return id;
        }
        if self.by_id.is_empty() { self.raw.entries.len() } else { self.by_id.len() }.saturating_sub(1) as u32
    }

    /// True when ids are looked up in a dense table (see [`MAX_DENSE_ID`]): every real file.
    pub fn is_dense(&self) -> bool {
        self.sparse.is_empty()
    }

    /// True when no two tokens share an id (every real file).
    pub fn ids_unique(&self) -> bool {
        self.ids_unique
    }

    /// Every entry as `(id, token)`, in the file's order.
    pub fn entries(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.raw.entries.len() as u32).map(|e| (self.raw.entries[e as usize].1, entry_text(&self.raw.arena, &self.raw.entries, e)))
    }

    /// Length in bytes of the longest token.
    pub fn max_token_len(&self) -> usize {
        self.max_token_len
    }
}

/// `word` shortened to at most 40 chars, for error messages.
pub(crate) fn excerpt(word: &str) -> String {
    match word.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &word[..at]),
        None => word.to_owned(),
    }
}

/// Test helper: ids and byte offsets of a model's tokens for `text`, cut into words as the
/// reference `WhitespaceSplit` pre-tokenizer does, as `Tokenizer.encode` would give them.
#[cfg(test)]
pub(crate) type Encoded = (Vec<u32>, Vec<(u32, u32)>);

#[cfg(test)]
pub(crate) fn encode_words(
    text: &str,
    tokenize: impl Fn(&str, crate::text::span::Piece, &mut Vec<crate::text::span::Symbol>) -> crate::Result<()>,
) -> crate::Result<Encoded> {
    let (mut ids, mut offsets, mut out) = (vec![], vec![], vec![]);
    for piece in whitespace_pieces(text) {
        tokenize(text, piece, &mut out)?;
        ids.extend(out.iter().map(|s| s.id));
        offsets.extend(out.iter().map(|s| (s.start, s.end)));
    }
    Ok((ids, offsets))
}

/// The pieces of `WhitespaceSplit`: runs of chars that are not `char::is_whitespace`.
#[cfg(test)]
fn whitespace_pieces(text: &str) -> Vec<crate::text::span::Piece> {
    let mut pieces = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                pieces.push(crate::text::span::Piece::new(s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(entries: &[(&str, u32)]) -> Vocab {
        let mut raw = RawVocab::default();
        for &(token, id) in entries {
            raw.insert(token, id);
        }
        Vocab::from_raw(raw)
    }

    #[test]
    fn ids_in_file_order_and_not_give_the_same_tokens() {
        // In id order (no id table kept), then shuffled with a hole at 3 and a duplicate id.
        let in_order = vocab(&[("a", 0), ("b", 1), ("c", 2)]);
        assert!(in_order.by_id.is_empty());
        assert_eq!([0, 1, 2, 3].map(|id| in_order.token(id)), [Some("a"), Some("b"), Some("c"), None]);
        assert_eq!(in_order.max_id(), 2);
        let shuffled = vocab(&[("c", 2), ("a", 0), ("e", 4), ("b", 1), ("f", 4)]);
        assert!(!shuffled.by_id.is_empty());
        assert_eq!([0, 1, 2, 3, 5].map(|id| shuffled.token(id)), [Some("a"), Some("b"), Some("c"), None, None]);
        assert!(matches!(shuffled.token(4), Some("e" | "f")));
        assert_eq!(shuffled.max_id(), 4);
        // A later duplicate of a token replaces its id, as the reference's map does.
        let replaced = vocab(&[("a", 0), ("b", 1), ("a", 2)]);
        assert_eq!([0, 1, 2].map(|id| replaced.token(id)), [None, Some("b"), Some("a")]);
        assert!(vocab(&[]).token(0).is_none());
    }

    #[test]
    fn sparse_ids_look_up_as_dense_ones() {
        // Ids far past the vocab's size: the sorted table, with the same answers as the dense
        // one would give (a shared id: the last entry; holes: none; the largest id).
        let sparse = vocab(&[("c", 4_000_000_000), ("a", 7), ("e", 300_000), ("f", 300_000), ("b", u32::MAX)]);
        assert!(!sparse.is_dense() && !sparse.ids_unique());
        assert_eq!([7, 300_000, 4_000_000_000, u32::MAX, 8].map(|id| sparse.token(id)), [Some("a"), Some("f"), Some("c"), Some("b"), None]);
        assert_eq!(sparse.max_id(), u32::MAX);
        assert_eq!(sparse.id("e"), Some(300_000));
        // One token of id 2^24 - 1 is sparse too (a dense table would be 64 MiB).
        assert!(!vocab(&[("a", (1 << 24) - 1)]).is_dense());
        assert!(vocab(&[("a", 0), ("b", 60_000)]).is_dense());
    }
}
