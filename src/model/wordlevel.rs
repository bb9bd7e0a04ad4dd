//! Model stage: the `WordLevel` model, one token per pre-tokenized word.
//!
//! Reproduces the reference models/wordlevel/mod.rs: the whole word is looked up in the vocab;
//! a word not in it becomes `unk_token`, and when `unk_token` is not in the vocab either, encoding
//! fails (the file still loads).

use crate::error::{Error, ErrorKind, Result};
use crate::text::span::Symbol;
use crate::text::span::Piece;
use super::vocab::{excerpt, Vocab};
use crate::format::model::RawWordLevel;

/// A validated WordLevel model.
#[derive(Debug)]
pub(crate) struct WordLevel {
    vocab: Vocab,
    unk_token: String,
}

impl WordLevel {
    /// A WordLevel model of a raw one (every `u32` id is taken, as the reference takes it).
    ///
    /// # Errors
    /// None today; `Result` as the other models' `from_raw`.
    pub fn from_raw(raw: RawWordLevel) -> Result<WordLevel> {
        Ok(WordLevel { vocab: Vocab::from_raw(raw.vocab), unk_token: raw.unk_token })
    }

    /// The model's vocab (token ↔ id).
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// Encodes bytes `piece.start..piece.end` of `text` (one word) into `out`, which is cleared
    /// first: one symbol spanning the piece. An empty piece gives no symbol (the reference never
    /// hands the model an empty word). `piece.prefix_space` (byte-level BPE only) is ignored.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when the word is not in the vocab and neither is `unk_token` (the
    /// reference's "Missing [UNK] token from the vocabulary"), or when the piece is not a char
    /// range of `text`.
    pub fn tokenize(&self, text: &str, piece: Piece, out: &mut Vec<Symbol>) -> Result<()> {
        out.clear();
        let word = piece.text(text)?;
        if word.is_empty() {
            return Ok(());
        }
        let id = match self.vocab.id(word).or_else(|| self.vocab.id(&self.unk_token)) {
            Some(id) => id,
            None => {
                return Err(Error::new(
                    ErrorKind::Input,
                    format!("unk_token {:?} is not in the vocab (needed for {:?})", self.unk_token, excerpt(word)),
                ))
            }
        };
        out.push(Symbol { id, start: piece.start as u32, end: piece.end as u32 });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(json: &str) -> Result<WordLevel> {
        WordLevel::from_raw(crate::format::model::RawWordLevel::parse(json)?)
    }
    use crate::model::vocab::{encode_words, Encoded};

    fn encode(model: &WordLevel, text: &str) -> Result<Encoded> {
        encode_words(text, |t, piece, out| model.tokenize(t, piece, out))
    }

    #[test]
    fn whole_words_or_unk() {
        let wl = from_json(r#"{"type": "WordLevel", "unk_token": "<unk>", "vocab": {"<unk>": 7, "hello": 3, "wörld": 100, "!": 5}}"#)
            .unwrap();
        // From PyPI tokenizers 0.23.3 with a WhitespaceSplit pre-tokenizer (offsets in bytes).
        assert_eq!(encode(&wl, "hello wörld !").unwrap(), (vec![3, 100, 5], vec![(0, 5), (6, 12), (13, 14)]));
        assert_eq!(encode(&wl, "hello there").unwrap(), (vec![3, 7], vec![(0, 5), (6, 11)]));
        assert_eq!(encode(&wl, "  hello\t!\n").unwrap(), (vec![3, 5], vec![(2, 7), (8, 9)]));
        assert_eq!(encode(&wl, "").unwrap(), (vec![], vec![]));
        assert_eq!((wl.vocab().len(), wl.vocab().id("!"), wl.vocab().token(100), wl.vocab().token(4)), (4, Some(5), Some("wörld"), None));
    }

    #[test]
    fn missing_unk_token_fails_at_encode_time() {
        // PyPI tokenizers 0.23.3: loads; "a a" encodes, "a b" raises "Missing [UNK] token".
        let wl = from_json(r#"{"type": "WordLevel", "unk_token": "<unk>", "vocab": {"a": 0}}"#).unwrap();
        assert_eq!(encode(&wl, "a a").unwrap(), (vec![0, 0], vec![(0, 1), (2, 3)]));
        let err = encode(&wl, "a b").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Input);
        assert!(err.message().contains("unk_token \"<unk>\" is not in the vocab (needed for \"b\")"), "{err}");
    }

    #[test]
    fn loading_errors() {
        // The reference requires `vocab` and `unk_token`.
        for json in [r#"{"type": "WordLevel", "vocab": {}}"#, r#"{"type": "WordLevel", "unk_token": "<unk>"}"#, r#"{"type": "BPE", "vocab": {}, "unk_token": "<unk>"}"#] {
            assert_eq!(from_json(json).unwrap_err().kind(), ErrorKind::Json, "{json}");
        }
        // Any u32 id loads, as in the reference (tests/large_ids.rs checks its encodes); 2^32 does not.
        assert!(from_json(r#"{"vocab": {"a": 4000000000}, "unk_token": "<unk>"}"#).is_ok());
        assert_eq!(from_json(r#"{"vocab": {"a": 4294967296}, "unk_token": "<unk>"}"#).unwrap_err().kind(), ErrorKind::Json);
    }
}
