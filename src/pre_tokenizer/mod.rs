//! Pre-tokenizer stage: cuts normalized text into pieces that the model encodes independently.
//!
//! Pieces are byte ranges of the normalized text; nothing is copied, except by `Metaspace`, the one
//! pre-tokenizer that rewrites text (it then hands on a new [`NormalizedText`] holding just its
//! pieces). Split behaviours, `invert` and the dropping of empty pieces reproduce the reference
//! `NormalizedString::split`, `Pattern::find_matches` and `PreTokenizedString::split`. `Split`
//! regexes run on `fancy-regex` (backtracking, with look-around), the closest Rust engine to the
//! reference's Oniguruma; `Whitespace` uses the `regex` crate, as the reference does. Punctuation
//! and script tables reproduce the reference's older Unicode data (see [`tables`]).

mod tables;
mod word_patterns;

use crate::error::{Error, ErrorKind, Result};
use crate::text::offsets::NormalizedText;
use crate::text::span::Piece;
use crate::format::read::{RawPattern, RawPreTokenizer};
use fancy_regex::Regex;
use std::borrow::Cow;

/// GPT-2's word regex, used by `ByteLevel` when `use_regex` is true.
const GPT2_PATTERN: &str =
    r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

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

/// What a split looks for; each kind finds matches as the reference `Pattern` impl it names.
#[derive(Debug)]
pub(crate) enum Pattern {
    /// `SysRegex` (Oniguruma): `Split` regexes and escaped strings, `ByteLevel`'s GPT-2 regex.
    Regex(Box<SplitRegex>),
    /// `regex::Regex`: the `Whitespace` pre-tokenizer's `\w+|[^\w\s]+`.
    RustRegex(regex::Regex),
    /// A non-empty string matched as is: `Split`'s string patterns, a `char` delimiter.
    Literal(String),
    /// `Fn(char) -> bool`: every char it accepts is a one-char match.
    Chars(fn(char) -> bool),
}

/// `Metaspace`'s `prepend_scheme`: when to put the replacement char before a piece that does not
/// start with one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrependScheme {
    Always,
    /// Only before the piece that starts the original text (original offset 0).
    First,
    Never,
}

/// One validated pre-tokenizer component.
#[derive(Debug)]
pub(crate) enum PreTokenizer {
    /// Every splitting pre-tokenizer: `Split`, `Whitespace`, `WhitespaceSplit`, `Punctuation`,
    /// `CharDelimiterSplit`, `Digits`, and the two steps of `BertPreTokenizer` (as a `Sequence`).
    Split { pattern: Pattern, behavior: Behavior, invert: bool },
    ByteLevel { add_prefix_space: bool, regex: Option<Pattern> },
    /// ' ' becomes `replacement` (one char), prepended per `prepend`; then, when `split`, each
    /// piece is cut before every `replacement` (`MergedWithNext`), matched by `delimiter`.
    Metaspace { replacement: char, prepend: PrependScheme, split: bool, delimiter: Pattern },
    /// Cuts where the script changes, as the reference `UnicodeScripts`.
    UnicodeScripts,
    /// Cuts each piece into runs of this many chars (at least 1).
    FixedLength(usize),
    Sequence(Vec<PreTokenizer>),
}


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
    /// `Some` when the pattern (after any digit-group head) is one of the word patterns matched
    /// by hand; `regex` and `before_tail` are then not compiled.
    words: Option<word_patterns::WordPattern>,
}

fn build(stage: &str, pattern: &str) -> Result<Regex> {
    crate::format::regex_dialect::compile(stage, pattern)
}

/// `pattern` split as (alternatives before the whitespace tail) if it ends with that tail.
fn strip_whitespace_tail(pattern: &str) -> Option<&str> {
    let prefix = if pattern == &WHITESPACE_TAIL[1..] { "" } else { pattern.strip_suffix(WHITESPACE_TAIL)? };
    // `\|` before the tail would make its first `|` a literal.
    let escaped = prefix.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
    (!escaped).then_some(prefix)
}

fn compile(stage: &str, pattern: &str) -> Result<Box<SplitRegex>> {
    compile_with(stage, pattern, true)
}

/// [`compile`], with the hand-written word patterns only when `by_hand` (tests compare the two).
fn compile_with(stage: &str, pattern: &str, by_hand: bool) -> Result<Box<SplitRegex>> {
    let (digit_runs, rest) = match pattern.strip_prefix(DIGIT_GROUPS_HEAD) {
        Some("") => (Some(()), None),
        Some(rest) if rest.starts_with('|') => (Some(()), Some(&rest[1..])),
        _ => (None, Some(pattern)),
    };
    let digit_runs = match digit_runs {
        Some(()) => Some(regex::Regex::new(r"\d+").map_err(|e| Error::invalid(stage, e))?),
        None => None,
    };
    let words = rest.and_then(strip_whitespace_tail).filter(|_| by_hand).and_then(word_patterns::WordPattern::recognize);
    let (regex, before_tail) = match rest.map(|r| (r, strip_whitespace_tail(r))) {
        _ if words.is_some() => (None, None),
        None => (None, None),
        Some((_, Some(""))) => (Some(build(stage, r"\s+")?), Some(None)),
        Some((_, Some(prefix))) => {
            let before = build(stage, &format!("(?:{prefix})"))?;
            (Some(build(stage, &format!(r"(?:{prefix})|\s+"))?), Some(Some(before)))
        }
        Some((rest, None)) => (Some(build(stage, rest)?), None),
    };
    Ok(Box::new(SplitRegex { digit_runs, regex, before_tail, words }))
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
        if let Some(words) = &self.words {
            return Ok(words.find(s, pos));
        }
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

/// Reads a field the reference requires (its serde has no default for it).
fn required<T: Copy>(field: Option<T>, kind: &str, name: &str) -> Result<T> {
    field.ok_or_else(|| Error::invalid("pre_tokenizer", format!("{kind} without `{name}`")))
}

/// The reference `is_bert_punc` / `is_punc`: ASCII punctuation or a Unicode `P*` char of its
/// tables.
fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    let c = c as u32;
    tables::PUNCTUATION.binary_search_by(|&(first, last)| cmp_range(c, first, last)).is_ok()
}

/// The reference `fixed_script` as a class number (`None` for `Any`, which never causes a cut).
fn script_class(c: char) -> Option<u8> {
    let c = c as u32;
    let i = tables::SCRIPT_CLASSES.binary_search_by(|&(first, last, _)| cmp_range(c, first, last)).ok()?;
    Some(tables::SCRIPT_CLASSES[i].2)
}

/// How the inclusive range `first..=last` compares to `c`, for binary searches.
fn cmp_range(c: u32, first: u32, last: u32) -> std::cmp::Ordering {
    if last < c {
        std::cmp::Ordering::Less
    } else if first > c {
        std::cmp::Ordering::Greater
    } else {
        std::cmp::Ordering::Equal
    }
}

impl PreTokenizer {
    /// Validates a raw `pre_tokenizer`, with the reference's required fields and defaults.
    /// `ByteLevel` must come last (the model then works on bytes).
    pub fn from_raw(raw: &RawPreTokenizer) -> Result<Self> {
        let stage = "pre_tokenizer";
        let kind = raw.kind.as_str();
        let split = |pattern, behavior| PreTokenizer::Split { pattern, behavior, invert: false };
        Ok(match kind {
            "Split" => {
                let pattern = match &raw.pattern {
                    Some(RawPattern::Regex(r)) => Pattern::Regex(compile(stage, r)?),
                    // The reference escapes the string into a regex; an empty one matches everywhere.
                    Some(RawPattern::String(s)) if s.is_empty() => Pattern::Regex(compile(stage, "")?),
                    Some(RawPattern::String(s)) => Pattern::Literal(s.clone()),
                    None => return Err(Error::invalid(stage, "Split without `pattern`")),
                };
                let behavior = Behavior::parse(raw.behavior.as_deref().ok_or_else(|| Error::invalid(stage, "Split without `behavior`"))?)?;
                PreTokenizer::Split { pattern, behavior, invert: required(raw.invert, kind, "invert")? }
            }
            "Whitespace" => {
                let words = regex::Regex::new(r"\w+|[^\w\s]+").map_err(|e| Error::invalid(stage, e))?;
                PreTokenizer::Split { pattern: Pattern::RustRegex(words), behavior: Behavior::Removed, invert: true }
            }
            "WhitespaceSplit" => split(Pattern::Chars(char::is_whitespace), Behavior::Removed),
            "BertPreTokenizer" => PreTokenizer::Sequence(vec![
                split(Pattern::Chars(char::is_whitespace), Behavior::Removed),
                split(Pattern::Chars(is_punctuation), Behavior::Isolated),
            ]),
            "Punctuation" => {
                let behavior = raw.behavior.as_deref().map_or(Ok(Behavior::Isolated), Behavior::parse)?;
                split(Pattern::Chars(is_punctuation), behavior)
            }
            "CharDelimiterSplit" => split(Pattern::Literal(required(raw.delimiter, kind, "delimiter")?.to_string()), Behavior::Removed),
            "Digits" => split(
                Pattern::Chars(char::is_numeric),
                if required(raw.individual_digits, kind, "individual_digits")? { Behavior::Isolated } else { Behavior::Contiguous },
            ),
            "ByteLevel" => {
                required(raw.trim_offsets, kind, "trim_offsets")?;
                PreTokenizer::ByteLevel {
                    add_prefix_space: required(raw.add_prefix_space, kind, "add_prefix_space")?,
                    regex: if raw.use_regex.unwrap_or(true) { Some(Pattern::Regex(compile(stage, GPT2_PATTERN)?)) } else { None },
                }
            }
            "Metaspace" => {
                let replacement = required(raw.replacement, kind, "replacement")?;
                let prepend = match raw.prepend_scheme.as_deref() {
                    None | Some("always") => PrependScheme::Always,
                    Some("first") => PrependScheme::First,
                    Some("never") => PrependScheme::Never,
                    Some(other) => return Err(Error::unsupported(stage, format!("Metaspace prepend_scheme `{other}`"))),
                };
                // The legacy `add_prefix_space: false` means `never`, and the reference refuses it
                // beside any other scheme, including the default `always` of a missing one.
                if raw.add_prefix_space == Some(false) && prepend != PrependScheme::Never {
                    return Err(Error::invalid(stage, "Metaspace: add_prefix_space does not match declared prepend_scheme"));
                }
                let delimiter = Pattern::Literal(replacement.to_string());
                PreTokenizer::Metaspace { replacement, prepend, split: raw.split.unwrap_or(true), delimiter }
            }
            "UnicodeScripts" => PreTokenizer::UnicodeScripts,
            "FixedLength" => match raw.length.unwrap_or(5) {
                // The reference panics on the first non-empty text (`chunks(0)`).
                0 => return Err(Error::invalid(stage, "FixedLength with `length` 0")),
                n => PreTokenizer::FixedLength(n),
            },
            "Sequence" => {
                let raws = raw.pretokenizers.as_deref().ok_or_else(|| Error::invalid(stage, "Sequence without `pretokenizers`"))?;
                // Checked on the raw types first, so that this limitation is what gets reported.
                if raws.iter().rev().skip(1).any(|r| r.kind == "ByteLevel") {
                    return Err(Error::unsupported(stage, "ByteLevel followed by other pre-tokenizers in a Sequence"));
                }
                let items = raws.iter().map(PreTokenizer::from_raw).collect::<Result<Vec<_>>>()?;
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
            _ => false,
        }
    }

    /// Cuts `pieces` (byte ranges of `text`, usually one segment of normalized text between added
    /// tokens) into smaller pieces, in order. `text` is borrowed unless `Metaspace` rewrote it: it
    /// then owns a new text made of just the rewritten pieces, which the returned pieces index.
    /// Empty pieces never come out, as the reference drops empty splits.
    pub fn pre_tokenize<'t>(&self, text: &mut Cow<'_, NormalizedText<'t>>, pieces: Vec<Piece>) -> Result<Vec<Piece>> {
        match self {
            PreTokenizer::Split { pattern, behavior, invert } => {
                split_pieces(&text.text, pieces, pattern, *invert, *behavior)
            }
            PreTokenizer::Sequence(items) => items.iter().try_fold(pieces, |pieces, item| item.pre_tokenize(text, pieces)),
            PreTokenizer::ByteLevel { add_prefix_space, regex } => byte_level(&text.text, pieces, *add_prefix_space, regex.as_ref()),
            PreTokenizer::Metaspace { replacement, prepend, split, delimiter } => {
                let (rewritten, pieces) = metaspace(text, pieces, *replacement, *prepend);
                *text = Cow::Owned(rewritten);
                if *split {
                    split_pieces(&text.text, pieces, delimiter, false, Behavior::MergedWithNext)
                } else {
                    Ok(pieces)
                }
            }
            PreTokenizer::UnicodeScripts => Ok(split_scripts(&text.text, pieces)),
            PreTokenizer::FixedLength(n) => Ok(split_fixed(&text.text, pieces, *n)),
        }
    }
}

/// The reference `ByteLevel` pre-tokenizer: the optional prefix space stays virtual (a flag on
/// the first piece of each input piece), then the GPT-2 regex isolates words.
fn byte_level(text: &str, pieces: Vec<Piece>, add_prefix_space: bool, regex: Option<&Pattern>) -> Result<Vec<Piece>> {
    let prefix = |piece: &Piece| add_prefix_space && !piece.prefix_space && !text[piece.start..piece.end].starts_with(' ');
    // The reference prepends nothing to an empty piece and drops it.
    let Some(regex) = regex else {
        // Without the regex, pieces only gain the flag: mapped in place (no second vector).
        return Ok(pieces.into_iter().filter(|p| p.start < p.end).map(|p| Piece { prefix_space: prefix(&p) || p.prefix_space, byte_level: true, ..p }).collect());
    };
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces.into_iter().filter(|p| p.start < p.end) {
        let sub = &text[piece.start..piece.end];
        let prefix = prefix(&piece);
        let spaced;
        let (haystack, shift) = if prefix {
            spaced = format!(" {sub}");
            (spaced.as_str(), 1)
        } else {
            (sub, 0)
        };
        // Isolated: every range is a piece.
        for_each_range(regex, haystack, false, |a, b, _| {
            if a < b {
                let virtual_space = prefix && a == 0;
                out.push(Piece { start: piece.start + a.saturating_sub(shift), end: piece.start + b - shift, prefix_space: virtual_space, byte_level: true });
            }
        })?;
    }
    Ok(out)
}

/// The reference `Metaspace` rewrite of each piece: every ' ' becomes `replacement` with the
/// space's original span (`NormalizedString::replace`), and `replacement` is put in front of a
/// piece not starting with one, per `scheme`, sharing the first char's span (`prepend`). `First`
/// prepends only to a piece whose original span starts at byte 0 of the input, as the reference
/// tests `offsets_original().0 == 0`. Returns a text made of the rewritten pieces end to end
/// (what lay between pieces is gone: no later stage reads it) and the pieces' places in it.
fn metaspace(text: &NormalizedText<'_>, pieces: Vec<Piece>, replacement: char, scheme: PrependScheme) -> (NormalizedText<'static>, Vec<Piece>) {
    let grows = replacement.len_utf8() - 1;
    // Plan first (where each piece lands, whether it gets the prefix), then stream the chars.
    let mut plan = Vec::with_capacity(pieces.len());
    let mut len = 0;
    for piece in pieces {
        let sub = &text.text[piece.start..piece.end];
        let Some(first) = sub.chars().next() else { continue };
        let prepend = first != ' '
            && first != replacement
            && match scheme {
                PrependScheme::Always => true,
                PrependScheme::First => text.original_span(piece.start, piece.end).0 == 0,
                PrependScheme::Never => false,
            };
        let spaces = sub.bytes().filter(|&b| b == b' ').count();
        let new_len = sub.len() + spaces * grows + if prepend { replacement.len_utf8() } else { 0 };
        plan.push((piece, first, prepend, Piece::new(len, len + new_len)));
        len += new_len;
    }
    let chars = plan.iter().flat_map(|&(piece, first, prepend, _)| {
        let first_span = text.original_span(piece.start, piece.start + first.len_utf8());
        let prefix = prepend.then_some((replacement, first_span));
        let rest = text.text[piece.start..piece.end].char_indices().map(move |(i, c)| {
            let at = piece.start + i;
            (if c == ' ' { replacement } else { c }, text.original_span(at, at + c.len_utf8()))
        });
        prefix.into_iter().chain(rest)
    });
    // `original_span(0, 0)` is the text's origin, kept for the (unused) empty-range answers.
    let rewritten = NormalizedText::from_char_spans(chars, text.original_span(0, 0).0);
    debug_assert_eq!(rewritten.text.len(), len);
    (rewritten, plan.into_iter().map(|(.., new)| new).collect())
}

/// The reference `UnicodeScripts`: a piece starts at each char whose script (per
/// [`script_class`]) differs from that of the last char that had one. Chars without a script
/// (`Any`: ' ', unassigned) never start a piece, so leading ones are dropped, and a piece of
/// nothing else vanishes, as in the reference.
fn split_scripts(text: &str, pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let mut last = None;
        let mut start = None;
        for (i, c) in text[piece.start..piece.end].char_indices() {
            let Some(class) = script_class(c) else { continue };
            if last != Some(class) {
                if let Some(s) = start {
                    out.push(Piece::new(s, piece.start + i));
                }
                start = Some(piece.start + i);
                last = Some(class);
            }
        }
        if let Some(s) = start {
            out.push(Piece::new(s, piece.end));
        }
    }
    out
}

/// The reference `FixedLength`: each piece cut into runs of `length` chars, the last one shorter.
fn split_fixed(text: &str, pieces: Vec<Piece>, length: usize) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let sub = &text[piece.start..piece.end];
        let mut start = piece.start;
        for (n, (i, _)) in sub.char_indices().enumerate() {
            if n > 0 && n % length == 0 {
                out.push(Piece::new(start, piece.start + i));
                start = piece.start + i;
            }
        }
        if start < piece.end {
            out.push(Piece::new(start, piece.end));
        }
    }
    out
}

/// The reference `Pattern::find_matches`: calls `range(start, end, is_match)` for consecutive
/// ranges covering `s`, in order; `invert` swaps which ranges count as matches. Streamed, so a
/// long text never holds its ranges all at once.
fn for_each_range(pattern: &Pattern, s: &str, invert: bool, mut range: impl FnMut(usize, usize, bool)) -> Result<()> {
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
        Pattern::RustRegex(re) => {
            for m in re.find_iter(s) {
                push_match(m.start(), m.end());
            }
        }
        Pattern::Chars(accepts) => {
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

/// Splits each piece by `pattern` (`invert`, `behavior` as the reference's `Split`); empty
/// pieces are dropped. Ranges stream from the matcher through the behaviour into the output.
fn split_pieces(text: &str, pieces: Vec<Piece>, pattern: &Pattern, invert: bool, behavior: Behavior) -> Result<Vec<Piece>> {
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let mut splitter = Splitter::new(behavior, |s, e| {
            if s < e {
                out.push(Piece::new(piece.start + s, piece.start + e));
            }
        });
        for_each_range(pattern, &text[piece.start..piece.end], invert, |s, e, m| splitter.push(s, e, m))?;
        splitter.finish();
    }
    Ok(out)
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

    #[test]
    fn tables_are_sorted_and_disjoint() {
        // Binary search relies on it.
        assert!(tables::PUNCTUATION.windows(2).all(|w| w[0].0 <= w[0].1 && w[0].1 < w[1].0));
        assert!(tables::SCRIPT_CLASSES.windows(2).all(|w| w[0].0 <= w[0].1 && w[0].1 < w[1].0));
    }

    #[test]
    fn required_fields_and_legacy_forms_as_the_reference() {
        // Whether PyPI tokenizers 0.23.3 loads a tokenizer.json with this pre_tokenizer.
        let verdicts = [
        ("{\"type\": \"ByteLevel\"}", false),
        ("{\"type\": \"ByteLevel\", \"add_prefix_space\": false}", false),
        ("{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true}", true),
        ("{\"type\": \"Digits\"}", false),
        ("{\"type\": \"Split\", \"pattern\": {\"String\": \"a\"}, \"behavior\": \"Removed\"}", false),
        ("{\"type\": \"Metaspace\"}", false),
        ("{\"type\": \"Metaspace\", \"replacement\": \"_\", \"add_prefix_space\": false}", false),
        ("{\"type\": \"Metaspace\", \"replacement\": \"_\", \"add_prefix_space\": false, \"prepend_scheme\": \"first\"}", false),
        ("{\"type\": \"Metaspace\", \"replacement\": \"_\", \"add_prefix_space\": false, \"prepend_scheme\": \"never\"}", true),
        ("{\"type\": \"Metaspace\", \"replacement\": \"_\", \"add_prefix_space\": true, \"prepend_scheme\": \"never\"}", true),
        ("{\"type\": \"Metaspace\", \"replacement\": \"_\", \"prepend_scheme\": \"First\"}", false),
        ("{\"type\": \"Metaspace\", \"replacement\": \"ab\"}", false),
        ("{\"type\": \"Metaspace\", \"replacement\": \"_\", \"split\": null, \"str_rep\": \"_\"}", true),
        ("{\"type\": \"CharDelimiterSplit\"}", false),
        ("{\"type\": \"Delimiter\", \"delimiter\": \"-\"}", false),
        ("{\"type\": \"CharDelimiterSplit\", \"delimiter\": \"--\"}", false),
        ("{\"type\": \"Punctuation\", \"behavior\": \"Sideways\"}", false),
        ("{\"type\": \"FixedLength\", \"length\": 7}", true),
        ("{\"type\": \"Whitespace\", \"foo\": 1}", true),
        ("{\"type\": \"Sequence\"}", false),
        ("{\"type\": \"Sequence\", \"pretokenizers\": []}", true),
        ("{\"type\": \"UnicodeScripts\"}", true),
        ("{\"type\": \"BertPreTokenizer\"}", true),
        ("{\"type\": \"WhitespaceSplit\"}", true),
        ];
        for (json, loads) in verdicts {
            let ours = serde_json::from_str::<RawPreTokenizer>(json).ok().map(|raw| PreTokenizer::from_raw(&raw));
            assert_eq!(ours.as_ref().is_some_and(|r| r.is_ok()), loads, "{json}: {ours:?}");
        }
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
            let ours = compile_with("test", pattern, false).unwrap();
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

    /// The five word patterns matched by hand, whole, as their files spell them.
    const WORD_PATTERNS: [&str; 5] = [
        GPT2_PATTERN,
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        r"(?=(\d{3})+(?!\d))| ?\p{L}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
    ];

    fn matches(re: &SplitRegex, text: &str) -> Vec<(usize, usize)> {
        let mut got = Vec::new();
        re.for_each_match(text, |s, e| got.push((s, e))).unwrap();
        got
    }

    #[test]
    fn word_patterns_by_hand_match_as_the_regex_on_random_texts() {
        // Chars of every class the patterns tell apart, and the case folds of the contractions.
        let pieces = [
            " ", "  ", "\t", "\n", "\r", "\r\n", "\u{a0}", "\u{3000}", "\u{2028}", "a", "s", "S", "\u{17f}", "t", "T", "re", "RE", "vE",
            "m", "M", "ll", "lL", "d", "D", "k", "\u{212a}", "'", "'s", "'T", "'ll", "'Re", "A", "Bc", "\u{1c5}", "\u{2b0}", "\u{5d0}", "\u{6f22}",
            "\u{301}", "\u{903}", "\u{20dd}", "1", "12345", "\u{663}", "\u{bd}", "\u{216b}", "\u{1d7ce}", "\u{10400}", "\u{10428}", "\u{1f600}",
            "/", ".", "!!", "-", "_", "\u{200d}", "\u{feff}", "\0", "\u{85}", "\u{1680}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for pattern in WORD_PATTERNS {
            let by_hand = compile_with("test", pattern, true).unwrap();
            assert!(by_hand.words.is_some() && by_hand.regex.is_none(), "{pattern} is not matched by hand");
            let original = Regex::new(pattern).unwrap();
            for _ in 0..100_000 {
                let mut text = String::new();
                let mut next = || {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed
                };
                for _ in 0..next() % 12 {
                    text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
                }
                let expected: Vec<(usize, usize)> = original.find_iter(&text).map(|m| m.map(|m| (m.start(), m.end())).unwrap()).collect();
                assert_eq!(matches(&by_hand, &text), expected, "{pattern} on {text:?}");
            }
        }
    }

    #[test]
    fn word_patterns_by_hand_match_as_the_regex_on_every_code_point() {
        // Each code point alone and beside chars of each class the patterns tell apart.
        let contexts = ["{}", "'{}A1"];
        let chars: Vec<char> = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        for pattern in WORD_PATTERNS {
            let by_hand = compile_with("test", pattern, true).unwrap();
            let by_regex = compile_with("test", pattern, false).unwrap();
            for block in chars.chunks(64) {
                for context in contexts {
                    let text: String = block.iter().map(|c| context.replace("{}", &c.to_string())).collect();
                    assert_eq!(matches(&by_hand, &text), matches(&by_regex, &text), "{pattern} on {text:?}");
                }
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

#[cfg(test)]
mod reference_tests;

/// Runs the cases of `reference_tests` (values from the reference library) through our code.
#[cfg(test)]
mod test_support {
    use super::*;
    use crate::text::byte_level::BYTE_TO_CHAR;
    use crate::Tokenizer;

    /// `(tokenizer.json pre_tokenizer, text, [(piece, original start, original end)])`, offsets in
    /// UTF-8 bytes.
    pub type PieceCase = (&'static str, &'static str, &'static [(&'static str, usize, usize)]);
    /// `(name, tokenizer.json, [(text, ids, original byte offsets)])`.
    pub type EncodingCase = (&'static str, &'static str, &'static [(&'static str, &'static [u32], &'static [(usize, usize)])]);

    /// Pieces as the reference's `pre_tokenize_str` shows them: the text of each piece (byte-level
    /// mapped, virtual space included, for `ByteLevel`) and its original span in UTF-8 bytes.
    fn pieces_of(pre: &PreTokenizer, text: &str) -> Vec<(String, usize, usize)> {
        let normalized = NormalizedText::identity(text, 0);
        let mut view = Cow::Borrowed(&normalized);
        let whole = vec![Piece::new(0, text.len())];
        let pieces = pre.pre_tokenize(&mut view, whole).unwrap();
        pieces
            .into_iter()
            .map(|p| {
                let sub = &view.text[p.start..p.end];
                let (start, mut end) = view.original_span(p.start, p.end);
                let shown = if pre.is_byte_level() {
                    let spaced = if p.prefix_space { format!(" {sub}") } else { sub.to_owned() };
                    spaced.bytes().map(|b| BYTE_TO_CHAR[b as usize]).collect()
                } else {
                    sub.to_owned()
                };
                // A virtual space on its own covers the next char, as the reference aligns it.
                if p.prefix_space && p.start == p.end {
                    end = start + view.text[p.start..].chars().next().map_or(0, char::len_utf8);
                }
                (shown, start, end)
            })
            .collect()
    }

    pub fn check_pieces(cases: &[PieceCase]) {
        let mut failures = Vec::new();
        for &(json, text, expected) in cases {
            let raw: RawPreTokenizer = serde_json::from_str(json).unwrap();
            let pre = PreTokenizer::from_raw(&raw).unwrap();
            let got = pieces_of(&pre, text);
            let expected: Vec<(String, usize, usize)> = expected.iter().map(|&(s, a, b)| (s.to_owned(), a, b)).collect();
            if got != expected {
                failures.push(format!("{json} on {text:?}:\n  got      {got:?}\n  expected {expected:?}"));
            }
        }
        assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
    }

    pub fn check_encoding(cases: &[EncodingCase]) {
        let mut failures = Vec::new();
        let mut count = 0;
        for &(name, json, texts) in cases {
            let tokenizer = Tokenizer::from_json(json).unwrap();
            for &(text, ids, offsets) in texts {
                count += 1;
                let enc = tokenizer.encode(text, false).unwrap();
                if enc.ids != ids || enc.offsets != offsets {
                    failures.push(format!("{name} on {text:?}:\n  got      {:?} {:?}\n  expected {ids:?} {offsets:?}", enc.ids, enc.offsets));
                }
            }
        }
        assert!(failures.is_empty(), "{} of {count} encodings differ:\n{}", failures.len(), failures.join("\n"));
    }
}
