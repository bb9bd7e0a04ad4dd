//! Splitting: the matches of a [`Pattern`] turned into pieces by a split [`Behavior`], as the
//! reference's `Pattern::find_matches`, `NormalizedString::split` and `PreTokenizedString::split`
//! do. Streamed: a long text never holds its ranges all at once.

use super::split_regex::SplitRegex;
use crate::error::{Error, Result};
use crate::text::classes::{classes, SPACE, WORD};
use crate::text::span::Piece;

/// How a split treats the matched delimiters (`behavior` in `tokenizer.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Behavior {
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

impl Behavior {
    pub(super) fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "Removed" => Behavior::Removed,
            "Isolated" => Behavior::Isolated,
            "MergedWithPrevious" => Behavior::MergedWithPrevious,
            "MergedWithNext" => Behavior::MergedWithNext,
            "Contiguous" => Behavior::Contiguous,
            other => return Err(Error::unsupported("pre_tokenizer", format!("Split behavior `{other}`"))),
        })
    }
}

/// What a split looks for; each kind finds matches as the reference `Pattern` impl it names.
#[derive(Debug)]
pub(crate) enum Pattern {
    /// `SysRegex` (Oniguruma): `Split` regexes and escaped strings, `ByteLevel`'s GPT-2 regex.
    Regex(Box<SplitRegex>),
    /// The `Whitespace` pre-tokenizer's `\w+|[^\w\s]+` (the `regex` crate's in the reference):
    /// maximal runs of word chars and of chars neither word nor space, read from the class table.
    Words,
    /// A non-empty string matched as is: `Split`'s string patterns, a `char` delimiter.
    Literal(String),
    /// `Fn(char) -> bool`: every char it accepts is a one-char match.
    Chars(fn(char) -> bool),
    /// `Digits`'s `char::is_numeric`, as `Chars`; a variant of its own so that OLMo 2's
    /// pre-tokenizer (`Digits` first) is recognised ([`super::PreTokenizer::word_loop`]).
    Numeric,
}

/// The reference `Pattern::find_matches`: calls `range(start, end, is_match)` for consecutive
/// ranges covering `s`, in order; `invert` swaps which ranges count as matches. Streamed, so a
/// long text never holds its ranges all at once.
pub(super) fn for_each_range(pattern: &Pattern, s: &str, invert: bool, mut range: impl FnMut(usize, usize, bool)) -> Result<()> {
    if s.is_empty() {
        range(0, 0, invert);
        return Ok(());
    }
    let mut prev = 0;
    let mut push_match = |start: usize, end: usize| {
        if prev != start {
            range(prev, start, invert);
        }
        range(start, end, !invert);
        prev = end;
    };
    match pattern {
        Pattern::Regex(re) => re.for_each_match(s, &mut push_match)?,
        Pattern::Literal(lit) => {
            for (start, m) in s.match_indices(lit.as_str()) {
                push_match(start, start + m.len());
            }
        }
        Pattern::Words => {
            let classes = classes();
            // The kind of the run being read (WORD, or 0 for other non-space chars) and its start.
            let mut run: Option<(u8, usize)> = None;
            for (i, c) in s.char_indices() {
                let bits = classes.of_char(c);
                let kind = if bits & WORD != 0 { Some(WORD) } else if bits & SPACE == 0 { Some(0) } else { None };
                match (run, kind) {
                    (Some((k, _)), Some(kind)) if k == kind => {}
                    _ => {
                        if let Some((_, start)) = run {
                            push_match(start, i);
                        }
                        run = kind.map(|kind| (kind, i));
                    }
                }
            }
            if let Some((_, start)) = run {
                push_match(start, s.len());
            }
        }
        Pattern::Chars(_) | Pattern::Numeric => {
            let accepts = match pattern {
                Pattern::Chars(accepts) => *accepts,
                _ => char::is_numeric,
            };
            for (i, c) in s.char_indices() {
                if accepts(c) {
                    push_match(i, i + c.len_utf8());
                }
            }
        }
    }
    if prev != s.len() {
        range(prev, s.len(), invert);
    }
    Ok(())
}

/// The reference's split behaviours (`SplitDelimiterBehavior`), applied to `(start, end, is_match)`
/// ranges as they come: `push` each range in order, then `finish`; `keep(start, end)` receives
/// each kept range. At most one range is held back (to merge it with the next one).
struct Splitter<F: FnMut(usize, usize)> {
    behavior: Behavior,
    /// `(start, end, is_match of its last range)`: a range that may still grow.
    pending: Option<(usize, usize, bool)>,
    keep: F,
}

impl<F: FnMut(usize, usize)> Splitter<F> {
    fn new(behavior: Behavior, keep: F) -> Self {
        Splitter { behavior, pending: None, keep }
    }

    fn push(&mut self, start: usize, end: usize, is_match: bool) {
        match self.behavior {
            Behavior::Isolated => (self.keep)(start, end),
            Behavior::Removed => {
                if !is_match {
                    (self.keep)(start, end);
                }
            }
            // Runs of matches, and runs of non-matches, become one range each.
            Behavior::Contiguous => match &mut self.pending {
                Some(p) if p.2 == is_match => p.1 = end,
                _ => self.hold(start, end, is_match),
            },
            // A match joins the range before it, unless that one ends with a match.
            Behavior::MergedWithPrevious => match &mut self.pending {
                Some(p) if is_match && !p.2 => (p.1, p.2) = (end, true),
                _ => self.hold(start, end, is_match),
            },
            // A match joins the range after it when that one is not a match.
            Behavior::MergedWithNext => match self.pending.take() {
                Some((s, _, true)) if !is_match => (self.keep)(s, end),
                held => {
                    if let Some((s, e, _)) = held {
                        (self.keep)(s, e);
                    }
                    if is_match {
                        self.pending = Some((start, end, true));
                    } else {
                        (self.keep)(start, end);
                    }
                }
            },
        }
    }

    /// Replaces the pending range, keeping the one it replaces.
    fn hold(&mut self, start: usize, end: usize, is_match: bool) {
        if let Some((s, e, _)) = self.pending.replace((start, end, is_match)) {
            (self.keep)(s, e);
        }
    }

    fn finish(mut self) {
        if let Some((s, e, _)) = self.pending.take() {
            (self.keep)(s, e);
        }
    }
}

/// Splits `piece` by `pattern` (`invert`, `behavior` as the reference's `Split`), handing each
/// non-empty result to `f`: ranges stream from the matcher through the behaviour to `f`. Stops
/// calling `f` at its first error, which it returns.
pub(super) fn split_piece(text: &str, piece: Piece, pattern: &Pattern, invert: bool, behavior: Behavior, f: &mut dyn FnMut(Piece) -> Result<()>) -> Result<()> {
    let mut result = Ok(());
    let mut splitter = Splitter::new(behavior, |s, e| {
        if s < e && result.is_ok() {
            result = f(Piece::new(piece.start + s, piece.start + e));
        }
    });
    for_each_range(pattern, &text[piece.start..piece.end], invert, |s, e, m| splitter.push(s, e, m))?;
    splitter.finish();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(matches: &[(usize, usize, bool)], b: Behavior) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut splitter = Splitter::new(b, |s, e| out.push((s, e)));
        for &(s, e, m) in matches {
            splitter.push(s, e, m);
        }
        splitter.finish();
        out
    }

    #[test]
    fn behaviors_follow_reference_table() {
        // "the-final--countdown" split on '-' (reference normalizer.rs tests)
        let m = [(0, 3, false), (3, 4, true), (4, 9, false), (9, 10, true), (10, 11, true), (11, 20, false)];
        assert_eq!(ranges(&m, Behavior::Removed), vec![(0, 3), (4, 9), (11, 20)]);
        assert_eq!(ranges(&m, Behavior::Isolated), vec![(0, 3), (3, 4), (4, 9), (9, 10), (10, 11), (11, 20)]);
        assert_eq!(ranges(&m, Behavior::MergedWithPrevious), vec![(0, 4), (4, 10), (10, 11), (11, 20)]);
        assert_eq!(ranges(&m, Behavior::MergedWithNext), vec![(0, 3), (3, 9), (9, 10), (10, 20)]);
        assert_eq!(ranges(&m, Behavior::Contiguous), vec![(0, 3), (3, 4), (4, 9), (9, 11), (11, 20)]);
    }

    /// `Whitespace`'s runs read from the class table are the regex's matches (the `regex` crate
    /// and fancy-regex share regex-syntax's `\w` and `\s`), on every code point beside word,
    /// space and other chars.
    #[cfg(feature = "regex")]
    #[test]
    fn words_are_the_regex_matches() {
        let regex = fancy_regex::Regex::new(r"\w+|[^\w\s]+").unwrap();
        let chars: Vec<char> = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        for block in chars.chunks(32) {
            for context in ["{}", "a{} ", "{}.\u{300}_ 1{}"] {
                let text: String = block.iter().map(|c| context.replace("{}", &c.to_string())).collect();
                let expected: Vec<(usize, usize)> = regex.find_iter(&text).map(|m| m.map(|m| (m.start(), m.end())).unwrap()).collect();
                let mut got = Vec::new();
                for_each_range(&Pattern::Words, &text, false, |s, e, m| {
                    if m {
                        got.push((s, e));
                    }
                })
                .unwrap();
                assert_eq!(got, expected, "{text:?}");
            }
        }
    }
}
