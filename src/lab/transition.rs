//! SuperBPE's transition point t, found in any BPE file: the rank of the first merge whose result
//! crosses whitespace where the file's own pre-tokenizer would have cut.

use crate::model::Model;
use crate::normalizer::{self, Normalizer};
use crate::pre_tokenizer::PreTokenizer;
use crate::tokenizer::{Matching, Tokenizer};

impl Tokenizer {
    /// The transition point: the rank (index in `merges`) of the first merge whose result crosses
    /// whitespace and from which such merges are at least half of the next 1,000 (the superword
    /// stage; one stray merge is not one), or `None` when there is no such merge (the file has no
    /// superword stage) or the model is not BPE. Ranks below it are SuperBPE's subword stage,
    /// ranks from it its superword stage.
    ///
    /// A token *crosses whitespace* when its text holds a whitespace char right after a
    /// non-whitespace one, at a place the file's pre-tokenizer would cut:
    /// - the text is the token's bytes for a byte-level file (`Ġ` → space, `Ċ` → newline), its
    ///   string otherwise; whitespace is Unicode `White_Space`, except in a file that writes spaces
    ///   as `▁` (SentencePiece style: `Metaspace`, or a `Replace` of `" "`), where `▁` alone is a
    ///   word boundary (Mistral's vocab has `}\r` at rank 2,015: to SentencePiece a line break
    ///   is an ordinary char);
    /// - when the pre-tokenizer cuts `"a b"` in two, the place must also be a boundary of the
    ///   pieces it cuts the token's text into. o200k, cl100k and Llama 3 keep `;\n` and `//\n//`
    ///   as one piece (`[^\s\p{L}\p{N}]+[\r\n/]*`), so their merges of them cross nothing; a
    ///   SuperBPE file's pre-tokenizer splits only digit groups, and every such place counts.
    ///
    /// In the shared reference SuperBPE (vocab 16,000, t = 12,000) this is rank 11,806, `. Ċ`, the
    /// first merge of stage 2; OLMo 2 SuperBPE t180k gives 179,991 and t100k 99,999; GPT-2,
    /// o200k, cl100k, Llama 3, Qwen 3, OLMo 2 BPE and Gemma 3 give `None`.
    pub fn transition_point(&self) -> Option<u32> {
        let Model::Bpe(bpe) = &self.model else { return None };
        let mut merges: Vec<(u32, u32)> = bpe.merge_list().map(|(_, _, rank, merged)| (rank, merged)).collect();
        merges.sort_unstable();
        let space_marker = self.space_marker();
        let cuts_words = self.splits_at_spaces();
        let byte_level = self.token_is_byte_level();
        let mut text = String::new();
        let crosses: Vec<bool> = merges
            .iter()
            .map(|&(_, merged)| {
                let Some(token) = bpe.vocab().token(merged) else { return false };
                text.clear();
                match (byte_level, space_marker) {
                    (true, _) => text.push_str(&String::from_utf8_lossy(&self.token_bytes(merged).unwrap_or_default())),
                    (false, Some(marker)) => text.extend(token.chars().map(|c| if c == marker { ' ' } else { c })),
                    (false, None) => text.push_str(token),
                }
                let is_space = |c: char| if space_marker.is_some() { c == ' ' } else { c.is_whitespace() };
                let mut places = crossings(&text, is_space).peekable();
                if places.peek().is_none() {
                    return false;
                }
                if !cuts_words {
                    return true;
                }
                let Ok(pieces) = self.pieces_with(&text, Matching::NoAddedTokens) else { return false };
                places.any(|at| pieces.iter().any(|&(s, e)| s == at || e == at))
            })
            .collect();
        // The superword stage: crossing merges at least half of the next STAGE_WINDOW.
        let mut after = vec![0u32; crosses.len() + 1];
        for i in (0..crosses.len()).rev() {
            after[i] = after[i + 1] + u32::from(crosses[i]);
        }
        (0..crosses.len())
            .find(|&i| {
                let end = (i + STAGE_WINDOW).min(crosses.len());
                crosses[i] && 2 * (after[i] - after[end]) as usize >= end - i
            })
            .map(|i| merges[i].0)
    }

    /// The char a file writes spaces as, when it rewrites them (`▁` for `Metaspace` or a
    /// normalizer `Replace` of `" "` by one char): SentencePiece's word boundary.
    fn space_marker(&self) -> Option<char> {
        fn in_normalizer(n: &Normalizer) -> Option<char> {
            match n {
                Normalizer::Metaspace { replacement, .. } => Some(*replacement),
                Normalizer::Replace { pattern: normalizer::Pattern::Literal(from), content } if from == " " => {
                    let mut chars = content.chars();
                    chars.next().filter(|_| chars.next().is_none())
                }
                Normalizer::Sequence(items) => items.iter().find_map(in_normalizer),
                _ => None,
            }
        }
        fn in_pre_tokenizer(p: &PreTokenizer) -> Option<char> {
            match p {
                PreTokenizer::Metaspace { replacement, .. } => Some(*replacement),
                PreTokenizer::Sequence(items) => items.iter().find_map(in_pre_tokenizer),
                _ => None,
            }
        }
        self.normalizer.as_ref().and_then(in_normalizer).or_else(|| self.pre_tokenizer.as_ref().and_then(in_pre_tokenizer))
    }
}

/// Merges a superword stage is recognised over: from the transition point, at least half of the
/// next this many cross whitespace. In the SuperBPE files 87–89% of the merges from t on do; in a
/// byte-level BPE whose pre-tokenizer allows `;\n` (o200k) 1% of all merges would count, and
/// Gemma 3 has one such merge (`>▁</`, rank 257,238, of 514,906): neither is a superword stage.
const STAGE_WINDOW: usize = 1000;

/// Byte offsets in `text` of each whitespace char that follows a non-whitespace one.
fn crossings<'t>(text: &'t str, is_space: impl Fn(char) -> bool + 't) -> impl Iterator<Item = usize> + 't {
    let mut after_word = false;
    text.char_indices().filter_map(move |(i, c)| {
        let space = is_space(c);
        let found = space && after_word;
        after_word = !space;
        found.then_some(i)
    })
}
