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
use unigram::Unigram;
use vocab::Vocab;
use wordlevel::WordLevel;
use wordpiece::WordPiece;

/// What a model reuses from piece to piece during one `encode`/`count` call (BPE's word caches
/// and merge buffers; the other models keep nothing). Nothing is kept between calls, so the
/// tokenizer stays immutable.
#[derive(Default)]
pub(crate) struct Scratch {
    bpe: bpe::Scratch,
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
    /// merge naming a missing token, an id of 2^24 or more, …).
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
