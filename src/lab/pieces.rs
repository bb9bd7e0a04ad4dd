//! The pieces the pre-tokenizer cuts, in the original text: what the page draws under the tokens
//! to tell a boundary the pre-tokenizer made from one the merges made.

use crate::added_tokens::Segment;
use crate::error::Result;
use crate::options::SpecialTokens;
use crate::text::offsets::NormalizedText;
use crate::text::span::Piece;
use crate::tokenizer::{Matching, Tokenizer};
use std::borrow::Cow;

impl Tokenizer {
    /// The pieces the model is given for `text`, as byte spans `(start, end)` of `text`, in order:
    /// each added token the text holds is a piece of its own (matched as `special` says), and the
    /// text between them is normalized and cut by the pre-tokenizer. This is the reference's
    /// `pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text))` with its offsets mapped
    /// back to `text` (so a `ByteLevel` prefix space or a `Metaspace` `▁` takes no bytes of its
    /// own). Without a pre-tokenizer each run of text is one piece.
    ///
    /// # Errors
    /// A special token in `text` under [`SpecialTokens::Refuse`]; a normalizer or pre-tokenizer
    /// failure (as `encode` would report it).
    pub fn pre_tokenize(&self, text: &str, special: SpecialTokens) -> Result<Vec<(usize, usize)>> {
        self.pieces_with(text, special.into())
    }

    pub(super) fn pieces_with(&self, text: &str, special: Matching) -> Result<Vec<(usize, usize)>> {
        let mut out = Vec::new();
        let skip = special.skip();
        let refuse = |index: usize| special == Matching::Refuse && self.added.get(index).special;
        for segment in self.added.split_original(text, 0, text.len(), skip) {
            let (start, end) = match segment {
                Segment::Added { index, start, end } => {
                    if refuse(index) {
                        return Err(self.refused(index, (start, end)));
                    }
                    out.push((start, end));
                    continue;
                }
                Segment::Text { start, end } => (start, end),
            };
            let mut normalized = NormalizedText::identity(&text[start..end], start);
            if let Some(n) = &self.normalizer {
                n.normalize(&mut normalized)?;
            }
            let ntext: &str = &normalized.text;
            for sub in self.added.split_normalized(ntext, 0, ntext.len(), skip) {
                let (s, e) = match sub {
                    Segment::Added { index, start, end } => {
                        let span = normalized.original_span(start, end);
                        if refuse(index) {
                            return Err(self.refused(index, span));
                        }
                        out.push(span);
                        continue;
                    }
                    Segment::Text { start, end } => (start, end),
                };
                let mut view = Cow::Borrowed(&normalized);
                let pieces = match &self.pre_tokenizer {
                    Some(p) => p.pre_tokenize(&mut view, vec![Piece::new(s, e)])?,
                    None if s < e => vec![Piece::new(s, e)],
                    None => Vec::new(),
                };
                out.extend(pieces.iter().map(|p| view.original_span(p.start, p.end)));
            }
        }
        Ok(out)
    }

    /// True when the pre-tokenizer cuts `"a b"` in two: the file's pieces end at whitespace (GPT-2,
    /// o200k, Metaspace with `split`, BERT), unlike SuperBPE's or a SentencePiece file's.
    pub(super) fn splits_at_spaces(&self) -> bool {
        self.pre_tokenizer.is_some() && self.pieces_with("a b", Matching::NoAddedTokens).is_ok_and(|p| p.len() >= 2)
    }
}
