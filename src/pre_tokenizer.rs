//! Pre-tokenizer stage: cuts normalized text into pieces that the model encodes independently.
//!
//! Pieces are byte ranges of the normalized text; nothing is copied. Split behaviours, `invert`
//! and the handling of empty pieces reproduce the reference `NormalizedString::split` and
//! `Pattern::find_matches`. Regexes run on `fancy-regex` (backtracking, with look-around), the
//! closest Rust engine to the reference's Oniguruma; the golden vectors check the difference.

use crate::error::{Error, ErrorKind, Result};
use crate::schema::{RawPattern, RawPreTokenizer};
use fancy_regex::Regex;

/// GPT-2's word regex, used by `ByteLevel` when `use_regex` is true.
const GPT2_PATTERN: &str =
    r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

/// A piece of normalized text: bytes `start..end`, preceded by a virtual space when `ByteLevel`
/// (`add_prefix_space`) prepended one (the reference inserts it into the text; we keep a flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    pub start: usize,
    pub end: usize,
    pub prefix_space: bool,
}

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
    fn parse(s: &str) -> Result<Self> {
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

#[derive(Debug)]
pub(crate) enum Pattern {
    Regex(Box<SplitRegex>),
    Literal(String),
    /// `char::is_numeric`, as the reference `Digits` uses.
    Numeric,
}

/// One validated pre-tokenizer component.
#[derive(Debug)]
pub(crate) enum PreTokenizer {
    Split { pattern: Pattern, behavior: Behavior, invert: bool },
    ByteLevel { add_prefix_space: bool, regex: Option<Pattern> },
    Sequence(Vec<PreTokenizer>),
}

/// Backtracking steps one search may take. fancy-regex counts them per search, and a search
/// over a long piece with no match (a lookahead-only pattern on 1 MB of letters) legitimately
/// takes a few steps per byte; the default of one million gave up on such text. This bound still
/// stops a catastrophic pattern instead of hanging the page.
const BACKTRACK_LIMIT: usize = 1 << 31;

/// The tail shared by GPT-2's pattern and its descendants (cl100k, o200k, Llama 3, Qwen, OLMo 2).
const WHITESPACE_TAIL: &str = r"|\s+(?!\S)|\s+";

/// The head of OLMo 2's patterns (BPE and SuperBPE): an empty match before each group of three
/// digits counted from the end of a digit run, so `1234567` splits as `1|234|567`.
const DIGIT_GROUPS_HEAD: &str = r"(?=(\d{3})+(?!\d))";

/// A compiled `Split` regex, with the Oniguruma conventions the reference uses, and two idioms of
/// real files run without look-around (same matches, proven by the tests below):
///
/// - `\s+(?!\S)|\s+` at the end is run as `\s+` plus a trim: a run of two or more whitespace
///   chars followed by a non-space gives up its last char, unless an earlier alternative matched
///   at that position. fancy-regex then hands the regex whole to the `regex` crate: linear, and no
///   backtracking stack to overflow (its VM stops at one million entries: a 1 MB run of spaces).
/// - `(?=(\d{3})+(?!\d))` at the start is computed from the digit runs directly. As a regex it
///   rescans the rest of the run at every digit: quadratic (the reference too: 60,000 digits took
///   it seconds and fancy-regex minutes).
#[derive(Debug)]
pub(crate) struct SplitRegex {
    /// `Some(\d+)` when the pattern starts with [`DIGIT_GROUPS_HEAD`].
    digit_runs: Option<regex::Regex>,
    /// The pattern, or what follows the digit-group head (`None` if nothing does).
    regex: Option<Regex>,
    /// `Some` when the whitespace tail was rewritten: the regex of the alternatives before it.
    before_tail: Option<Option<Regex>>,
}

fn build(stage: &str, pattern: &str) -> Result<Regex> {
    // Oniguruma's Ruby syntax (the reference's) makes `^` and `$` line anchors: `(?m)`.
    fancy_regex::RegexBuilder::new(&format!("(?m){pattern}"))
        .backtrack_limit(BACKTRACK_LIMIT)
        .build()
        .map_err(|e| Error::invalid(stage, format!("regex {pattern:?}: {e}")))
}

/// `pattern` split as (alternatives before the whitespace tail) if it ends with that tail.
fn strip_whitespace_tail(pattern: &str) -> Option<&str> {
    let prefix = if pattern == &WHITESPACE_TAIL[1..] { "" } else { pattern.strip_suffix(WHITESPACE_TAIL)? };
    // `\|` before the tail would make its first `|` a literal.
    let escaped = prefix.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
    (!escaped).then_some(prefix)
}

fn compile(stage: &str, pattern: &str) -> Result<Box<SplitRegex>> {
    let (digit_runs, rest) = match pattern.strip_prefix(DIGIT_GROUPS_HEAD) {
        Some("") => (Some(()), None),
        Some(rest) if rest.starts_with('|') => (Some(()), Some(&rest[1..])),
        _ => (None, Some(pattern)),
    };
    let digit_runs = match digit_runs {
        Some(()) => Some(regex::Regex::new(r"\d+").map_err(|e| Error::invalid(stage, e))?),
        None => None,
    };
    let (regex, before_tail) = match rest.map(|r| (r, strip_whitespace_tail(r))) {
        None => (None, None),
        Some((_, Some(""))) => (Some(build(stage, r"\s+")?), Some(None)),
        Some((_, Some(prefix))) => {
            let before = build(stage, &format!("(?:{prefix})"))?;
            (Some(build(stage, &format!(r"(?:{prefix})|\s+"))?), Some(Some(before)))
        }
        Some((rest, None)) => (Some(build(stage, rest)?), None),
    };
    Ok(Box::new(SplitRegex { digit_runs, regex, before_tail }))
}

impl SplitRegex {
    /// Calls `found(start, end)` for each match, as fancy-regex's `find_iter` (and Oniguruma's)
    /// would for the original pattern: leftmost-first, an empty match never right after a match.
    fn for_each_match(&self, s: &str, mut found: impl FnMut(usize, usize)) -> Result<()> {
        let gave_up = |e: fancy_regex::Error| Error::new(ErrorKind::Input, format!("regex gave up on this text: {e}"));
        let groups = self.digit_group_starts(s);
        let mut next_group = 0;
        // The last match of `regex` and where its search began: still the leftmost match from
        // any later position up to its start, so digit groups do not cause rescans.
        let mut cached: Option<(usize, Option<(usize, usize)>)> = None;
        let mut pos = 0;
        let mut last_end = None;
        while pos <= s.len() {
            while groups.get(next_group).is_some_and(|&g| g < pos) {
                next_group += 1;
            }
            let rest = match cached {
                Some((from, found)) if from <= pos && found.is_none_or(|(start, _)| start >= pos) => found,
                _ => {
                    let found = self.find_rest(s, pos).map_err(gave_up)?;
                    cached = Some((pos, found));
                    found
                }
            };
            let (start, end) = match (groups.get(next_group), rest) {
                (Some(&g), Some((start, _))) if g <= start => (g, g),
                (Some(&g), None) => (g, g),
                (_, Some(m)) => m,
                (None, None) => break,
            };
            if start == end {
                pos = end + s[end..].chars().next().map_or(1, char::len_utf8);
                if last_end == Some(end) {
                    continue;
                }
            } else {
                pos = end;
            }
            last_end = Some(end);
            found(start, end);
        }
        Ok(())
    }

    /// Byte offsets where `(?=(\d{3})+(?!\d))` matches: in each run of n decimal digits, before
    /// the digits at indices n-3, n-6, …, 0 or 1 or 2. Empty unless the pattern has that head.
    fn digit_group_starts(&self, s: &str) -> Vec<usize> {
        let Some(runs) = &self.digit_runs else { return Vec::new() };
        let mut starts = Vec::new();
        for run in runs.find_iter(s) {
            let n = run.as_str().chars().count();
            starts.extend(run.as_str().char_indices().enumerate().filter(|&(i, _)| i + 3 <= n && (n - i) % 3 == 0).map(|(_, (b, _))| run.start() + b));
        }
        starts
    }

    /// The leftmost match of the pattern without its digit-group head, from `pos`.
    fn find_rest(&self, s: &str, pos: usize) -> fancy_regex::Result<Option<(usize, usize)>> {
        let Some(regex) = &self.regex else { return Ok(None) };
        let Some(m) = regex.find_from_pos(s, pos)? else { return Ok(None) };
        let end = match &self.before_tail {
            Some(before) if m.start() < m.end() => self.trim_whitespace_run(s, m.start(), m.end(), before.as_ref())?,
            _ => m.end(),
        };
        Ok(Some((m.start(), end)))
    }

    /// End of the match `start..end` under `\s+(?!\S)`: a whitespace run of 2+ chars that stops
    /// before a non-space keeps all but its last char, unless `before` matches at `start`.
    fn trim_whitespace_run(&self, s: &str, start: usize, end: usize, before: Option<&Regex>) -> fancy_regex::Result<usize> {
        let run = &s[start..end];
        let mut chars = run.chars();
        let Some(last) = chars.next_back() else { return Ok(end) };
        let followed_by_text = s[end..].chars().next().is_some_and(|c| !c.is_whitespace());
        if !followed_by_text || chars.next().is_none() || !run.chars().all(char::is_whitespace) {
            return Ok(end);
        }
        if let Some(before) = before {
            if before.find_from_pos(s, start)?.is_some_and(|m| m.start() == start) {
                return Ok(end);
            }
        }
        Ok(end - last.len_utf8())
    }
}

impl PreTokenizer {
    /// Validates a raw `pre_tokenizer`. `ByteLevel` must come last (the model then works on bytes).
    pub fn from_raw(raw: &RawPreTokenizer) -> Result<Self> {
        let stage = "pre_tokenizer";
        Ok(match raw.kind.as_str() {
            "Split" => {
                let pattern = match &raw.pattern {
                    Some(RawPattern::Regex(r)) => Pattern::Regex(compile(stage, r)?),
                    // The reference escapes the string into a regex; an empty one matches everywhere.
                    Some(RawPattern::String(s)) if s.is_empty() => Pattern::Regex(compile(stage, "")?),
                    Some(RawPattern::String(s)) => Pattern::Literal(s.clone()),
                    None => return Err(Error::invalid(stage, "Split without `pattern`")),
                };
                let behavior = Behavior::parse(raw.behavior.as_deref().ok_or_else(|| Error::invalid(stage, "Split without `behavior`"))?)?;
                PreTokenizer::Split { pattern, behavior, invert: raw.invert.unwrap_or(false) }
            }
            "Digits" => PreTokenizer::Split {
                pattern: Pattern::Numeric,
                behavior: if raw.individual_digits.unwrap_or(false) { Behavior::Isolated } else { Behavior::Contiguous },
                invert: false,
            },
            "ByteLevel" => PreTokenizer::ByteLevel {
                add_prefix_space: raw.add_prefix_space.unwrap_or(true),
                regex: if raw.use_regex.unwrap_or(true) { Some(Pattern::Regex(compile(stage, GPT2_PATTERN)?)) } else { None },
            },
            "Sequence" => {
                let items = raw
                    .pretokenizers
                    .as_deref()
                    .ok_or_else(|| Error::invalid(stage, "Sequence without `pretokenizers`"))?
                    .iter()
                    .map(PreTokenizer::from_raw)
                    .collect::<Result<Vec<_>>>()?;
                if let Some(pos) = items.iter().position(PreTokenizer::is_byte_level) {
                    if pos + 1 != items.len() {
                        return Err(Error::unsupported(stage, "ByteLevel followed by other pre-tokenizers in a Sequence"));
                    }
                }
                PreTokenizer::Sequence(items)
            }
            other => return Err(Error::unsupported(stage, format!("type `{other}`"))),
        })
    }

    /// True when this pre-tokenizer ends with `ByteLevel`: the model then sees bytes mapped to
    /// the GPT-2 alphabet.
    pub fn is_byte_level(&self) -> bool {
        match self {
            PreTokenizer::ByteLevel { .. } => true,
            PreTokenizer::Sequence(items) => items.last().is_some_and(PreTokenizer::is_byte_level),
            PreTokenizer::Split { .. } => false,
        }
    }

    /// Cuts `text` (one segment of normalized text between added tokens) into pieces.
    pub fn pre_tokenize(&self, text: &str, pieces: Vec<Piece>) -> Result<Vec<Piece>> {
        match self {
            PreTokenizer::Split { pattern, behavior, invert } => {
                split_pieces(text, pieces, |s| find_matches(pattern, s, *invert), *behavior)
            }
            PreTokenizer::Sequence(items) => {
                items.iter().try_fold(pieces, |pieces, item| item.pre_tokenize(text, pieces))
            }
            PreTokenizer::ByteLevel { add_prefix_space, regex } => {
                let mut out = Vec::with_capacity(pieces.len());
                for piece in pieces {
                    let sub = &text[piece.start..piece.end];
                    let prefix = *add_prefix_space && !piece.prefix_space && !sub.starts_with(' ');
                    let Some(regex) = regex else {
                        out.push(Piece { prefix_space: prefix || piece.prefix_space, ..piece });
                        continue;
                    };
                    let spaced;
                    let (haystack, shift) = if prefix {
                        spaced = format!(" {sub}");
                        (spaced.as_str(), 1)
                    } else {
                        (sub, 0)
                    };
                    let matches = find_matches(regex, haystack, false)?;
                    for (a, b) in apply_behavior(matches, Behavior::Isolated) {
                        if a == b {
                            continue;
                        }
                        let virtual_space = prefix && a == 0;
                        out.push(Piece {
                            start: piece.start + a.saturating_sub(shift),
                            end: piece.start + b - shift,
                            prefix_space: virtual_space,
                        });
                    }
                }
                Ok(out)
            }
        }
    }
}

/// The reference `Pattern::find_matches`: the text cut into consecutive `(start, end, is_match)`
/// ranges covering it; `invert` swaps which ranges count as matches.
fn find_matches(pattern: &Pattern, s: &str, invert: bool) -> Result<Vec<(usize, usize, bool)>> {
    if s.is_empty() {
        return Ok(vec![(0, 0, invert)]);
    }
    let mut out = Vec::new();
    let mut prev = 0;
    let mut push_match = |start: usize, end: usize, out: &mut Vec<(usize, usize, bool)>| {
        if prev != start {
            out.push((prev, start, invert));
        }
        out.push((start, end, !invert));
        prev = end;
    };
    match pattern {
        Pattern::Regex(re) => re.for_each_match(s, |start, end| push_match(start, end, &mut out))?,
        Pattern::Literal(lit) => {
            for (start, m) in s.match_indices(lit.as_str()) {
                push_match(start, start + m.len(), &mut out);
            }
        }
        Pattern::Numeric => {
            for (i, c) in s.char_indices() {
                if c.is_numeric() {
                    push_match(i, i + c.len_utf8(), &mut out);
                }
            }
        }
    }
    if prev != s.len() {
        out.push((prev, s.len(), invert));
    }
    Ok(out)
}

/// The reference's split behaviours, turning `(start, end, is_match)` ranges into kept ranges.
fn apply_behavior(matches: Vec<(usize, usize, bool)>, behavior: Behavior) -> Vec<(usize, usize)> {
    match behavior {
        Behavior::Isolated => matches.into_iter().map(|(s, e, _)| (s, e)).collect(),
        Behavior::Removed => matches.into_iter().filter(|m| !m.2).map(|(s, e, _)| (s, e)).collect(),
        Behavior::Contiguous => {
            let mut out: Vec<(usize, usize)> = Vec::with_capacity(matches.len());
            let mut previous_match = false;
            for (s, e, is_match) in matches {
                match out.last_mut() {
                    Some(last) if is_match == previous_match => last.1 = e,
                    _ => out.push((s, e)),
                }
                previous_match = is_match;
            }
            out
        }
        Behavior::MergedWithPrevious => {
            let mut out: Vec<(usize, usize)> = Vec::with_capacity(matches.len());
            let mut previous_match = false;
            for (s, e, is_match) in matches {
                match out.last_mut() {
                    Some(last) if is_match && !previous_match => last.1 = e,
                    _ => out.push((s, e)),
                }
                previous_match = is_match;
            }
            out
        }
        Behavior::MergedWithNext => {
            let mut out: Vec<(usize, usize)> = Vec::with_capacity(matches.len());
            let mut previous_match = false;
            for (s, e, is_match) in matches.into_iter().rev() {
                match out.last_mut() {
                    Some(last) if is_match && !previous_match => last.0 = s,
                    _ => out.push((s, e)),
                }
                previous_match = is_match;
            }
            out.reverse();
            out
        }
    }
}

fn split_pieces(
    text: &str,
    pieces: Vec<Piece>,
    find: impl Fn(&str) -> Result<Vec<(usize, usize, bool)>>,
    behavior: Behavior,
) -> Result<Vec<Piece>> {
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let matches = find(&text[piece.start..piece.end])?;
        out.extend(apply_behavior(matches, behavior).into_iter().filter(|(s, e)| s < e).map(|(s, e)| Piece {
            start: piece.start + s,
            end: piece.start + e,
            prefix_space: false,
        }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(matches: &[(usize, usize, bool)], b: Behavior) -> Vec<(usize, usize)> {
        apply_behavior(matches.to_vec(), b)
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
}

#[cfg(test)]
mod idiom_tests {
    use super::*;

    /// Patterns of real files with the idioms run without look-around.
    const PATTERNS: [&str; 5] = [
        DIGIT_GROUPS_HEAD,
        GPT2_PATTERN,
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        r"(?=(\d{3})+(?!\d))| ?\p{L}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
        r"\s+(?!\S)|\s+",
    ];

    #[test]
    fn rewritten_idioms_match_like_the_lookarounds() {
        let pieces = [
            " ", "  ", "\t", "\n", "\r\n", "a", "Bc", "12345", ".", "'s", "é", "\u{3000}", "\u{a0}", "x\n", "!!", "7", "00",
            "\u{663}", "½", "1,000",
        ];
        let mut seed = 12345u64;
        for pattern in PATTERNS {
            let ours = compile("test", pattern).unwrap();
            assert!(ours.before_tail.is_some() || ours.digit_runs.is_some(), "{pattern} was not rewritten");
            let original = Regex::new(pattern).unwrap();
            for _ in 0..4000 {
                let mut text = String::new();
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                for k in 0..(seed >> 60) * 3 {
                    text.push_str(pieces[((seed >> (k % 50)) % pieces.len() as u64) as usize]);
                }
                let expected: Vec<(usize, usize)> = original.find_iter(&text).map(|m| m.map(|m| (m.start(), m.end())).unwrap()).collect();
                let mut got = Vec::new();
                ours.for_each_match(&text, |s, e| got.push((s, e))).unwrap();
                assert_eq!(got, expected, "{pattern} on {text:?}");
            }
        }
    }

    #[test]
    fn a_megabyte_of_digits_is_linear() {
        let re = compile("test", r"(?=(\d{3})+(?!\d))| ?\p{L}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+").unwrap();
        let text = "1".repeat(1 << 20) + " x";
        let mut empty = 0;
        re.for_each_match(&text, |s, e| empty += usize::from(s == e)).unwrap();
        assert_eq!(empty, (1 << 20) / 3);
    }

    #[test]
    fn a_megabyte_of_spaces_is_one_match() {
        let re = compile("test", GPT2_PATTERN).unwrap();
        let text = " ".repeat(1 << 20) + "x";
        let mut got = Vec::new();
        re.for_each_match(&text, |s, e| got.push((s, e))).unwrap();
        assert_eq!(got, vec![(0, (1 << 20) - 1), ((1 << 20) - 1, (1 << 20) + 1)]);
    }
}
