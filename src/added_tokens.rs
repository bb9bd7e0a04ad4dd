//! Added tokens (`added_tokens` in `tokenizer.json`): strings matched in the text before the
//! model runs, each becoming one token whatever the normalizer and pre-tokenizer would do.
//!
//! Reproduces the reference `AddedVocabulary`: ids are re-derived on load (an added token already
//! in the model vocab keeps the vocab id, others take ids from the vocab size upward); tokens with
//! `normalized: false` are found in the original text, the others in the normalized text; both
//! with leftmost-longest matching (here `aho-corasick`); `single_word`, `lstrip` and `rstrip` as
//! the reference's `find_matches` applies them.

use crate::error::{Error, Result};
use crate::model::Model;
use crate::normalizer::Normalizer;
use crate::format::read::RawAddedToken;
use crate::text::classes::{classes, SPACE, WORD};
use crate::text::offsets::NormalizedText;
use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone)]
pub(crate) struct AddedToken {
    pub id: u32,
    pub content: String,
    /// What is searched for: `content`, normalized when the token is `normalized`.
    pub pattern: String,
    pub special: bool,
    normalized: bool,
    single_word: bool,
    lstrip: bool,
    rstrip: bool,
}

/// A set of added tokens searched with one automaton.
#[derive(Debug)]
struct Matcher {
    /// `None` when the only tokens are empty ones.
    automaton: Option<AhoCorasick>,
    /// Automaton pattern index → index in `AddedVocabulary::tokens`.
    token_of_pattern: Vec<usize>,
    /// A token is empty (its content normalizes to ""): the reference's automaton then matches
    /// the empty string between every two bytes and drops the empty splits, so the text is cut
    /// into single chars (the reference panics where that cuts a multi-byte char; we cut chars).
    splits_chars: bool,
}

#[derive(Debug, Default)]
pub(crate) struct AddedVocabulary {
    tokens: Vec<AddedToken>,
    by_id: FxHashMap<u32, usize>,
    by_content: FxHashMap<String, u32>,
    original: Option<Matcher>,
    normalized: Option<Matcher>,
}

/// Which matches `split` leaves out (the text stays for the model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    Nothing,
    /// Special tokens (the reference's `encode_special_tokens`).
    Special,
    /// Every added token.
    All,
}

/// A segment of text: either an added token or text for the normalizer/pre-tokenizer/model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Segment {
    Added { index: usize, start: usize, end: usize },
    Text { start: usize, end: usize },
}

impl AddedVocabulary {
    /// Builds the added vocabulary as the reference's `add_tokens` does on load.
    pub fn from_raw(raw: &[RawAddedToken], model: &Model, normalizer: Option<&Normalizer>) -> Result<Self> {
        let mut added = AddedVocabulary::default();
        let mut next_id = model.vocab_len() as u32;
        for token in raw {
            if token.content.is_empty() {
                continue;
            }
            let id = match added.by_content.get(&token.content).copied().or_else(|| model.token_to_id(&token.content)) {
                Some(id) => id,
                None => {
                    next_id += 1;
                    next_id - 1
                }
            };
            let normalized = token.normalized.unwrap_or(!token.special);
            let pattern = match normalizer.filter(|_| normalized) {
                Some(n) => {
                    let mut text = NormalizedText::identity(&token.content, 0);
                    n.normalize(&mut text)?;
                    text.text.into_owned()
                }
                None => token.content.clone(),
            };
            let entry = AddedToken {
                id,
                content: token.content.clone(),
                pattern,
                special: token.special,
                normalized,
                single_word: token.single_word,
                lstrip: token.lstrip,
                rstrip: token.rstrip,
            };
            added.by_content.insert(token.content.clone(), id);
            match added.by_id.get(&id) {
                Some(&i) => added.tokens[i] = entry,
                None => {
                    added.by_id.insert(id, added.tokens.len());
                    added.tokens.push(entry);
                }
            }
        }
        added.original = Matcher::build(&added.tokens, |t| !t.normalized)?;
        added.normalized = Matcher::build(&added.tokens, |t| t.normalized)?;
        Ok(added)
    }

    pub fn get(&self, index: usize) -> &AddedToken {
        &self.tokens[index]
    }

    pub fn by_id(&self, id: u32) -> Option<&AddedToken> {
        self.by_id.get(&id).map(|&i| &self.tokens[i])
    }

    pub fn token_to_id(&self, content: &str) -> Option<u32> {
        self.by_content.get(content).copied()
    }

    /// True when `token` is the content of a special added token (the reference's
    /// `is_special_token`, which `decode(skip_special_tokens)` applies to token strings).
    pub fn is_special_content(&self, token: &str) -> bool {
        self.by_content.get(token).and_then(|&id| self.by_id(id)).is_some_and(|t| t.special && t.content == token)
    }

    pub fn iter(&self) -> impl Iterator<Item = &AddedToken> {
        self.tokens.iter()
    }

    /// Splits `text[start..end]` by the tokens matched in original text (`normalized: false`),
    /// but those `skip` leaves out.
    pub fn split_original(&self, text: &str, start: usize, end: usize, skip: Skip) -> Vec<Segment> {
        self.split(self.original.as_ref(), text, start, end, skip)
    }

    /// Splits `text[start..end]` (normalized text) by the tokens with `normalized: true`.
    pub fn split_normalized(&self, text: &str, start: usize, end: usize, skip: Skip) -> Vec<Segment> {
        self.split(self.normalized.as_ref(), text, start, end, skip)
    }

    fn split(&self, matcher: Option<&Matcher>, text: &str, start: usize, end: usize, skip: Skip) -> Vec<Segment> {
        let matcher = matcher.filter(|_| skip != Skip::All);
        let Some(matcher) = matcher else { return vec![Segment::Text { start, end }] };
        let sentence = &text[start..end];
        let mut out = Vec::new();
        let mut last = 0;
        let text = |out: &mut Vec<Segment>, s: usize, e: usize| {
            if matcher.splits_chars {
                out.extend(sentence[s..e].char_indices().map(|(i, c)| Segment::Text { start: start + s + i, end: start + s + i + c.len_utf8() }));
            } else {
                out.push(Segment::Text { start: start + s, end: start + e });
            }
        };
        for m in matcher.automaton.iter().flat_map(|a| a.find_iter(sentence)) {
            let index = matcher.token_of_pattern[m.pattern().as_usize()];
            let token = &self.tokens[index];
            // As the reference: skipped where the leftmost search found it, not searched again
            // inside (`<|a|>` skipped inside `x<|a|>y` leaves no shorter token matched there).
            if skip == Skip::Special && token.special {
                continue;
            }
            let (mut s, mut e) = (m.start(), m.end());
            if token.single_word {
                let start_space = s == 0 || !ends_with_word(&sentence[..s]);
                let stop_space = e == sentence.len() || !starts_with_word(&sentence[e..]);
                if !start_space || !stop_space {
                    continue;
                }
            }
            if token.lstrip {
                s = trailing_space_start(&sentence[..s]).max(last);
            }
            if token.rstrip {
                e += leading_space_len(&sentence[e..]);
            }
            // A match whose span an earlier `rstrip` already took is empty (or inverted, where
            // the reference panics); the reference drops empty splits, so we drop it.
            if s >= e {
                continue;
            }
            if last < s {
                text(&mut out, last, s);
            }
            out.push(Segment::Added { index, start: start + s, end: start + e });
            last = e;
        }
        if last < sentence.len() {
            text(&mut out, last, sentence.len());
        }
        out
    }
}

impl Matcher {
    fn build(tokens: &[AddedToken], keep: impl Fn(&AddedToken) -> bool) -> Result<Option<Matcher>> {
        let kept: Vec<usize> = (0..tokens.len()).filter(|&i| keep(&tokens[i])).collect();
        if kept.is_empty() {
            return Ok(None);
        }
        let splits_chars = kept.iter().any(|&i| tokens[i].pattern.is_empty());
        let token_of_pattern: Vec<usize> = kept.into_iter().filter(|&i| !tokens[i].pattern.is_empty()).collect();
        let automaton = if token_of_pattern.is_empty() {
            None
        } else {
            let built = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(token_of_pattern.iter().map(|&i| tokens[i].pattern.as_bytes()))
                .map_err(|e| Error::invalid("added_tokens", e))?;
            Some(built)
        };
        Ok(Some(Matcher { automaton, token_of_pattern, splits_chars }))
    }
}

// `single_word`, `lstrip` and `rstrip` as the reference reads them with the `regex` crate: `\w$`,
// `^\w`, `\s*$`, `^\s*` (Unicode classes), here from the class table.

fn ends_with_word(s: &str) -> bool {
    s.chars().next_back().is_some_and(|c| classes().of_char(c) & WORD != 0)
}

fn starts_with_word(s: &str) -> bool {
    s.chars().next().is_some_and(|c| classes().of_char(c) & WORD != 0)
}

fn trailing_space_start(s: &str) -> usize {
    s.char_indices().rev().take_while(|&(_, c)| classes().of_char(c) & SPACE != 0).last().map_or(s.len(), |(i, _)| i)
}

fn leading_space_len(s: &str) -> usize {
    s.char_indices().find(|&(_, c)| classes().of_char(c) & SPACE == 0).map_or(s.len(), |(i, _)| i)
}

#[cfg(all(test, feature = "regex"))]
mod tests {
    use super::*;

    /// The four word tests read from the class table give what the reference's `regex` crate
    /// patterns give (`\w$`, `^\w`, `\s*$`, `^\s*`; fancy-regex shares their classes), on every
    /// code point at either end of a text.
    #[test]
    fn word_tests_are_the_regexes() {
        let regexes: Vec<fancy_regex::Regex> = [r"\w$", r"^\w", r"\s*$", r"^\s*"].iter().map(|p| fancy_regex::Regex::new(p).unwrap()).collect();
        let find = |k: usize, s: &str| regexes[k].find(s).unwrap().map(|m| (m.start(), m.end()));
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for s in [format!("{c}"), format!("x {c}"), format!("{c} x"), format!("{c}{c}x{c}{c}")] {
                assert_eq!(ends_with_word(&s), find(0, &s).is_some(), "{s:?}");
                assert_eq!(starts_with_word(&s), find(1, &s).is_some(), "{s:?}");
                assert_eq!(trailing_space_start(&s), find(2, &s).unwrap().0, "{s:?}");
                assert_eq!(leading_space_len(&s), find(3, &s).unwrap().1, "{s:?}");
            }
        }
    }
}
