//! Model stage: one pre-tokenized piece to tokens. Dispatches on the `model.type` of
//! `tokenizer.json` to the model that reproduces the reference's.

use crate::bpe::Bpe;
use crate::error::{Error, Result};
use crate::merge::Symbol;
use crate::pre_tokenizer::Piece;
use crate::schema::{RawBpe, RawModelHeader};
use crate::unigram::Unigram;
use crate::vocab::Vocab;
use crate::wordlevel::WordLevel;
use crate::wordpiece::WordPiece;

/// The value of `type` when it is the model object's first key and a plain string.
fn leading_type(model: &str) -> Option<&str> {
    let rest = model.trim_start().strip_prefix('{')?.trim_start().strip_prefix("\"type\"")?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let kind = &rest[..rest.find('"')?];
    (!kind.contains('\\')).then_some(kind)
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
    /// Validates the `model` object (its JSON text). The reference infers `BPE` when `type` is
    /// missing and `merges` is present; other models need their `type`.
    pub fn from_json(model: &str) -> Result<Self> {
        // Files written by the reference put `type` first: reading it there spares a pass over
        // the whole vocab and merges just to learn the type.
        let header = match leading_type(model) {
            Some(kind) => RawModelHeader { kind: Some(kind.to_owned()), merges: None },
            None => serde_json::from_str(model).map_err(|e| Error::json("model", e))?,
        };
        let bpe = || -> Result<Model> {
            let raw: RawBpe = serde_json::from_str(model).map_err(|e| Error::json("model (BPE)", e))?;
            Ok(Model::Bpe(Bpe::from_raw(raw)?))
        };
        match header.kind.as_deref() {
            Some("BPE") => bpe(),
            Some("WordPiece") => Ok(Model::WordPiece(WordPiece::from_json(model)?)),
            Some("WordLevel") => Ok(Model::WordLevel(WordLevel::from_json(model)?)),
            Some("Unigram") => Ok(Model::Unigram(Unigram::from_json(model)?)),
            None if header.merges.is_some() => bpe(),
            Some(other) => Err(Error::unsupported("model", format!("type `{other}`"))),
            None => Err(Error::invalid("model", "no `type` and no `merges`")),
        }
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
    /// `byte_level`: the pre-tokenizer ends with `ByteLevel`, so BPE works on the GPT-2 alphabet.
    /// `scratch` keeps what BPE encoded earlier in the same call.
    pub fn tokenize(&self, text: &str, piece: Piece, byte_level: bool, out: &mut Vec<Symbol>, scratch: &mut crate::bpe::Scratch) -> Result<()> {
        match self {
            Model::Bpe(m) => m.tokenize(text, piece, byte_level, out, scratch),
            Model::WordPiece(m) => m.tokenize(text, piece, out),
            Model::WordLevel(m) => m.tokenize(text, piece, out),
            Model::Unigram(m) => m.tokenize(text, piece, out),
        }
    }
}
