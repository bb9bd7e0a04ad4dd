//! Model stage: one pre-tokenized piece to tokens. Dispatches on the `model.type` of
//! `tokenizer.json` to the model that reproduces the reference's.

pub(crate) mod bpe;
pub(crate) mod unigram;
pub(crate) mod vocab;
pub(crate) mod wordlevel;
pub(crate) mod wordpiece;

use crate::error::Result;
use crate::format::model::RawModel;
use crate::text::span::{Piece, Symbol};
use bpe::Bpe;
use std::sync::Mutex;
use unigram::Unigram;
use vocab::Vocab;
use wordlevel::WordLevel;
use wordpiece::WordPiece;

/// What a model reuses from piece to piece (BPE's word caches and merge buffers; the other models
/// keep nothing).
#[derive(Default)]
pub(crate) struct Scratch {
    bpe: bpe::Scratch,
    /// The symbols of the piece being encoded (the tokenizer's buffer, kept here between calls).
    pub symbols: Vec<Symbol>,
}

impl Scratch {
    /// BPE's part, for a caller that calls [`Bpe::tokenize`] itself.
    pub fn bpe(&mut self) -> &mut bpe::Scratch {
        &mut self.bpe
    }

    /// At the end of a call: frees buffers a long piece grew past `bpe::KEEP_SYMBOLS`.
    fn end_call(&mut self) {
        self.bpe.end_call();
        if self.symbols.capacity() > bpe::KEEP_SYMBOLS {
            self.symbols = Vec::new();
        }
    }
}

/// The [`Scratch`] a tokenizer keeps between calls, so that a word encoded by one call is a cache
/// hit in the next (the reference 1.0 rc keeps a word cache across calls for the same reason: with
/// one call per short text, every word was merged again). Bounded: BPE's two caches start over
/// when full (see `word_cache.rs`: about 5 MB each at most), and merge buffers a long word grew
/// are freed when its call ends.
///
/// A call that finds it taken (another thread is encoding with the same tokenizer) uses a fresh
/// one, so calls never wait for each other; a poisoned lock is treated the same way.
#[derive(Default)]
pub(crate) struct SharedScratch(Mutex<Scratch>);

impl SharedScratch {
    /// Runs `f` with the kept scratch, or with a fresh one when it is taken; then frees what a
    /// long word grew its buffers to.
    pub fn with<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> R {
        match self.0.try_lock() {
            Ok(mut kept) => {
                let result = f(&mut kept);
                kept.end_call();
                result
            }
            Err(_) => f(&mut Scratch::default()),
        }
    }
}

impl std::fmt::Debug for SharedScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedScratch")
    }
}

/// One validated model.
#[derive(Debug)]
pub(crate) enum Model {
    Bpe(Bpe),
    WordPiece(WordPiece),
    WordLevel(WordLevel),
    Unigram(Unigram),
}

impl Model {
    /// Reads and validates the `model` object (its JSON text): see [`RawModel::parse`].
    ///
    /// # Errors
    /// As [`RawModel::parse`], then as the model's own `from_raw`.
    pub fn from_json(model: &str) -> Result<Self> {
        Model::from_raw(RawModel::parse(model)?)
    }

    /// Validates a raw model.
    ///
    /// # Errors
    /// As the model's own `from_raw` ([`ErrorKind::InvalidComponent`](crate::ErrorKind) for a
    /// merge naming a missing token, …).
    pub fn from_raw(raw: RawModel<'_>) -> Result<Self> {
        Ok(match raw {
            RawModel::Bpe(raw) => Model::Bpe(Bpe::from_raw(raw)?),
            RawModel::WordPiece(raw) => Model::WordPiece(WordPiece::from_raw(raw)?),
            RawModel::WordLevel(raw) => Model::WordLevel(WordLevel::from_raw(raw)?),
            RawModel::Unigram(raw) => Model::Unigram(Unigram::from_raw(raw)?),
        })
    }

    /// The token ↔ id table: shared by BPE, WordPiece and WordLevel; Unigram keeps its own
    /// (an ordered list of scored pieces).
    fn vocab(&self) -> std::result::Result<&Vocab, &Unigram> {
        match self {
            Model::Bpe(m) => Ok(m.vocab()),
            Model::WordPiece(m) => Ok(m.vocab()),
            Model::WordLevel(m) => Ok(m.vocab()),
            Model::Unigram(m) => Err(m),
        }
    }

    /// The 1.0 form's `byte_level` flag of a BPE model (false for the other models).
    pub fn byte_level(&self) -> bool {
        matches!(self, Model::Bpe(m) if m.byte_level())
    }

    /// Number of entries in the model vocab (not counting added tokens).
    pub fn vocab_len(&self) -> usize {
        self.vocab().map_or_else(Unigram::vocab_len, Vocab::len)
    }

    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.vocab().map_or_else(|u| u.token_to_id(token), |v| v.id(token))
    }

    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        self.vocab().map_or_else(|u| u.id_to_token(id), |v| v.token(id))
    }

    /// True when the model maps a byte-level piece to the GPT-2 alphabet itself (BPE); other
    /// models are given the mapped text.
    pub fn maps_bytes(&self) -> bool {
        matches!(self, Model::Bpe(_))
    }

    /// True when the token string of `id` is the text it covers rather than the vocab entry:
    /// Unigram's unknown token (the reference returns the unknown text itself).
    pub fn token_is_text(&self, id: u32) -> bool {
        matches!(self, Model::Unigram(m) if m.unk_id() == Some(id))
    }

    /// Encodes `piece` of `text` into `out` (cleared first); symbol spans are bytes of `text`.
    /// A byte-level piece is taken in the GPT-2 alphabet by BPE only ([`Model::maps_bytes`]).
    /// `scratch` keeps what was encoded earlier in the same call.
    pub fn tokenize(&self, text: &str, piece: Piece, out: &mut Vec<Symbol>, scratch: &mut Scratch) -> Result<()> {
        match self {
            Model::Bpe(m) => m.tokenize(text, piece, out, &mut scratch.bpe),
            Model::WordPiece(m) => m.tokenize(text, piece, out),
            Model::WordLevel(m) => m.tokenize(text, piece, out),
            Model::Unigram(m) => m.tokenize(text, piece, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_in_use_is_not_waited_for() {
        let shared = SharedScratch::default();
        // Taken by the outer call: the inner one (as another thread would) runs with a fresh one.
        let inner = shared.with(|outer| {
            let outer_ptr: *const Scratch = outer;
            shared.with(|inner| std::ptr::eq(outer_ptr, inner))
        });
        assert!(!inner);
        // Free again: the kept one.
        let first: *const Scratch = shared.with(|s| s as *const Scratch);
        assert!(shared.with(|s| std::ptr::eq(first, s)));
    }
}
