//! Model stage: the `WordPiece` model (BERT and its descendants).
//!
//! Reproduces the reference models/wordpiece/mod.rs: each pre-tokenized word is cut greedily from
//! the left into the longest vocab entries, every piece after the first looked up with
//! `continuing_subword_prefix` in front. A word with a part that matches nothing, or longer than
//! `max_input_chars_per_word` chars, becomes the single `unk_token` spanning the whole word.

use crate::error::{Error, ErrorKind, Result};
use crate::text::span::Symbol;
use crate::text::span::Piece;
use super::vocab::{excerpt, Vocab};
use crate::format::model::RawWordPiece;

/// A validated WordPiece model.
#[derive(Debug)]
pub(crate) struct WordPiece {
    vocab: Vocab,
    /// Looked up when needed: as the reference, a file whose `unk_token` is missing from the
    /// vocab loads, and encoding fails only on a word that needs it.
    unk_token: String,
    prefix: String,
    max_input_chars_per_word: usize,
}

impl WordPiece {
    /// A WordPiece model of a raw one (every `u32` id is taken, as the reference takes it).
    ///
    /// # Errors
    /// None today; `Result` as the other models' `from_raw`.
    pub fn from_raw(raw: RawWordPiece) -> Result<WordPiece> {
        Ok(WordPiece {
            vocab: Vocab::from_raw(raw.vocab),
            unk_token: raw.unk_token,
            prefix: raw.continuing_subword_prefix,
            max_input_chars_per_word: raw.max_input_chars_per_word,
        })
    }

    /// The model's vocab (token ↔ id).
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// Encodes bytes `piece.start..piece.end` of `text` (one word) into `out`, which is cleared
    /// first; symbol ranges are bytes of `text`. An empty piece gives no symbol.
    /// `piece.prefix_space` (byte-level BPE only) is ignored.
    ///
    /// Candidates longer than the longest vocab entry are skipped: they cannot match, and
    /// skipping them keeps a long word linear in its length instead of quadratic.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when the word needs `unk_token` and the vocab lacks it, or when the
    /// piece is not a char range of `text`.
    pub fn tokenize(&self, text: &str, piece: Piece, out: &mut Vec<Symbol>) -> Result<()> {
        out.clear();
        let word = piece.text(text)?;
        if word.chars().count() > self.max_input_chars_per_word {
            return self.unknown_word(word, piece, out);
        }
        let mut candidate = String::new();
        let mut start = 0;
        while start < word.len() {
            let prefix_len = if start > 0 { self.prefix.len() } else { 0 };
            let mut end = (start + self.vocab.max_token_len().saturating_sub(prefix_len)).min(word.len());
            while !word.is_char_boundary(end) {
                end -= 1;
            }
            let id = loop {
                if end <= start {
                    return self.unknown_word(word, piece, out);
                }
                let sub = &word[start..end];
                let found = if start > 0 {
                    candidate.clear();
                    candidate.push_str(&self.prefix);
                    candidate.push_str(sub);
                    self.vocab.id(&candidate)
                } else {
                    self.vocab.id(sub)
                };
                if let Some(id) = found {
                    break id;
                }
                end -= sub.chars().next_back().map_or(1, char::len_utf8);
            };
            out.push(Symbol { id, start: (piece.start + start) as u32, end: (piece.start + end) as u32 });
            start = end;
        }
        Ok(())
    }

    /// Replaces `out` with `unk_token` over the whole word.
    fn unknown_word(&self, word: &str, piece: Piece, out: &mut Vec<Symbol>) -> Result<()> {
        out.clear();
        let id = self.vocab.id(&self.unk_token).ok_or_else(|| {
            Error::new(ErrorKind::Input, format!("unk_token {:?} is not in the vocab (needed for {:?})", self.unk_token, excerpt(word)))
        })?;
        out.push(Symbol { id, start: piece.start as u32, end: piece.end as u32 });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(json: &str) -> Result<WordPiece> {
        WordPiece::from_raw(crate::format::model::RawWordPiece::parse(json)?)
    }
    use crate::model::vocab::{encode_words, Encoded};

    const VOCAB: &str = r###"{"[UNK]": 0, "un": 1, "una": 2, "##aff": 3, "##able": 4, "##ffa": 5, "##ble": 6, "a": 7,
        "##a": 8, "é": 9, "##é": 10, "##b": 11, "b": 12, "##": 13, "##x": 14, "ab": 20}"###;

    fn model(prefix: &str, max_chars: usize, unk: &str, vocab: &str) -> WordPiece {
        let json = format!(
            r#"{{"type": "WordPiece", "unk_token": "{unk}", "continuing_subword_prefix": "{prefix}", "max_input_chars_per_word": {max_chars}, "vocab": {vocab}}}"#
        );
        from_json(&json).unwrap()
    }

    /// Ids and byte offsets of `text` split on whitespace, as `Tokenizer.encode` with a
    /// `WhitespaceSplit` pre-tokenizer gives them.
    fn encode(model: &WordPiece, text: &str) -> Result<Encoded> {
        encode_words(text, |t, piece, out| model.tokenize(t, piece, out))
    }

    type Case<'a> = (&'a str, &'a [u32], &'a [(u32, u32)]);

    fn check(model: &WordPiece, cases: &[Case]) {
        for (text, ids, offsets) in cases {
            assert_eq!(encode(model, text).unwrap(), (ids.to_vec(), offsets.to_vec()), "{text:?}");
        }
    }

    #[test]
    fn greedy_longest_match_and_unknown_words() {
        // From PyPI tokenizers 0.23.3 (offsets converted from chars to bytes).
        check(
            &model("##", 100, "[UNK]", VOCAB),
            &[
                ("unaffable", &[2, 5, 6], &[(0, 3), (3, 6), (6, 9)]),
                ("unaffablex", &[2, 5, 6, 14], &[(0, 3), (3, 6), (6, 9), (9, 10)]),
                ("unable", &[2, 6], &[(0, 3), (3, 6)]),
            ],
        );
        check(
            &model("##", 6, "[UNK]", VOCAB),
            &[
                // 9 chars: over max_input_chars_per_word.
                ("unaffable", &[0], &[(0, 9)]),
                ("una ffa", &[2, 0], &[(0, 3), (4, 7)]),
                ("éé aéé", &[9, 10, 7, 10, 10], &[(0, 2), (2, 4), (5, 6), (6, 8), (8, 10)]),
                // The limit counts chars, not bytes: 7 chars is over, 3 is not.
                ("ééé ééééééé", &[9, 10, 10, 0], &[(0, 2), (2, 4), (4, 6), (7, 21)]),
                // The first piece is looked up without the prefix, even if it starts with `##`.
                ("##x ## ###x", &[14, 13, 0], &[(0, 3), (4, 6), (7, 11)]),
                ("abab a", &[20, 8, 11, 7], &[(0, 2), (2, 3), (3, 4), (5, 6)]),
                ("bbbbbb bbbbbbb", &[12, 11, 11, 11, 11, 11, 0], &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (7, 14)]),
                ("aé\u{3000}b", &[7, 10, 12], &[(0, 1), (1, 3), (6, 7)]),
            ],
        );
        let at = model("@@", 100, "[UNK]", r#"{"[UNK]": 5, "a": 1, "@@a": 2, "@@bc": 3, "bc": 4}"#);
        check(
            &at,
            &[
                ("aa abc bca", &[1, 2, 1, 3, 4, 2], &[(0, 1), (1, 2), (3, 4), (4, 6), (7, 9), (9, 10)]),
                ("aabc", &[1, 2, 3], &[(0, 1), (1, 2), (2, 4)]),
            ],
        );
    }

    #[test]
    fn long_words_stay_linear() {
        // From PyPI tokenizers 0.23.3 on 3,000 `b` then `x`: `b`, 2,999 × `##b`, `##x`. The same
        // pattern on a million chars must take milliseconds, not the reference's quadratic time.
        let wp = model("##", 10_000_000, "[UNK]", VOCAB);
        for n in [3000, 1_000_000] {
            let text = format!("{}x", "b".repeat(n));
            let (ids, offsets) = encode(&wp, &text).unwrap();
            assert_eq!(ids.len(), n + 1);
            assert_eq!((ids[0], ids[1], ids[n - 1], ids[n]), (12, 11, 11, 14));
            assert!(ids[1..n].iter().all(|&id| id == 11));
            assert_eq!(offsets[n], (n as u32, n as u32 + 1));
        }
    }

    #[test]
    fn missing_unk_token_fails_at_encode_time() {
        // PyPI tokenizers 0.23.3: loads; "aa" encodes, "ab" raises "Missing [UNK] token".
        let wp = model("##", 6, "<missing>", r###"{"a": 0, "##a": 1}"###);
        assert_eq!(encode(&wp, "aa").unwrap(), (vec![0, 1], vec![(0, 1), (1, 2)]));
        let err = encode(&wp, "ab").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Input);
        assert!(err.message().contains("unk_token \"<missing>\" is not in the vocab"), "{err}");
    }

    #[test]
    fn loading() {
        let wp = model("##", 100, "[UNK]", r###"{"[UNK]": 0, "a": 7, "##b": 3}"###);
        assert_eq!((wp.vocab().len(), wp.vocab().id("##b"), wp.vocab().token(7), wp.vocab().token(1)), (3, Some(3), Some("a"), None));
        // The reference requires every field (`missing field` errors).
        for json in [
            r###"{"type": "WordPiece", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {}}"###,
            r#"{"type": "WordPiece", "unk_token": "[UNK]", "max_input_chars_per_word": 100, "vocab": {}}"#,
            r###"{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "vocab": {}}"###,
            r###"{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100}"###,
            r###"{"type": "WordLevel", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {}}"###,
        ] {
            assert_eq!(from_json(json).unwrap_err().kind(), ErrorKind::Json, "{json}");
        }
        // Any u32 id loads, as in the reference (tests/large_ids.rs checks its encodes).
        let big = r###"{"unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {"a": 16777216}}"###;
        assert!(from_json(big).is_ok());
    }
}
