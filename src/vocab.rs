//! A model vocabulary: token → id and id → token, as the reference models' `vocab` and
//! `vocab_r` maps. Shared by the `BPE`, `WordPiece` and `WordLevel` models.

use crate::error::{Error, Result};
use rustc_hash::FxHashMap;

/// Token ids from this value up are refused: the id → token table is a dense vector.
pub(crate) const MAX_ID: u32 = 1 << 24;

/// Both directions of a `vocab` object. Ids need not be contiguous; when two tokens share an
/// id, `token(id)` gives one of them (the reference's reverse map keeps an arbitrary one too).
#[derive(Debug)]
pub(crate) struct Vocab {
    ids: FxHashMap<String, u32>,
    tokens: Vec<Option<Box<str>>>,
    /// Length in bytes of the longest token: no longer string can be in the vocab.
    max_token_len: usize,
}

impl Vocab {
    /// Builds the reverse table. Errors (`InvalidComponent` for `stage`): an id of 2^24 or more.
    pub fn new(stage: &str, ids: FxHashMap<String, u32>) -> Result<Self> {
        let max_id = ids.values().copied().max().unwrap_or(0);
        if max_id >= MAX_ID {
            return Err(Error::invalid(stage, format!("token id {max_id} is too large (ids must be below {MAX_ID})")));
        }
        let mut tokens: Vec<Option<Box<str>>> = vec![None; if ids.is_empty() { 0 } else { max_id as usize + 1 }];
        for (token, &id) in &ids {
            tokens[id as usize] = Some(token.as_str().into());
        }
        let max_token_len = ids.keys().map(String::len).max().unwrap_or(0);
        Ok(Vocab { ids, tokens, max_token_len })
    }

    /// Number of tokens (entries of the `vocab` object).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// The id of `token`.
    pub fn id(&self, token: &str) -> Option<u32> {
        self.ids.get(token).copied()
    }

    /// The token of `id`.
    pub fn token(&self, id: u32) -> Option<&str> {
        self.tokens.get(id as usize).and_then(|t| t.as_deref())
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
    tokenize: impl Fn(&str, crate::pre_tokenizer::Piece, &mut Vec<crate::merge::Symbol>) -> Result<()>,
) -> Result<Encoded> {
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
fn whitespace_pieces(text: &str) -> Vec<crate::pre_tokenizer::Piece> {
    let mut pieces = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                pieces.push(crate::pre_tokenizer::Piece { start: s, end: i, prefix_space: false });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    pieces
}
