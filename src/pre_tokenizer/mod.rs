//! Pre-tokenizer stage: cuts normalized text into pieces that the model encodes independently.
//!
//! Pieces are byte ranges of the normalized text; nothing is copied, except by `Metaspace`, the one
//! pre-tokenizer that rewrites text (it then hands on a new [`NormalizedText`] holding just its
//! pieces). Split behaviours, `invert` and the dropping of empty pieces reproduce the reference
//! `NormalizedString::split`, `Pattern::find_matches` and `PreTokenizedString::split`. `Split`
//! regexes run on `fancy-regex` (backtracking, with look-around), the closest Rust engine to the
//! reference's Oniguruma, except the word patterns of GPT-2 and its descendants, matched by hand
//! ([`word_patterns`]); `Whitespace`'s `\w+|[^\w\s]+` is read from the class table. Punctuation
//! and script tables reproduce the reference's older Unicode data (see [`tables`]).

mod split;
mod split_regex;
mod tables;
mod word_patterns;

pub(crate) use word_patterns::WordPattern;

use crate::error::{Error, Result};
use crate::text::byte_level::BYTE_TO_CHAR;
use crate::text::offsets::NormalizedText;
use crate::text::span::Piece;
use crate::format::read::{RawPattern, RawPreTokenizer};
use split::{for_each_range, split_piece, Behavior, Pattern};
use split_regex::compile;
use std::borrow::Cow;

/// GPT-2's word regex, used by `ByteLevel` when `use_regex` is true.
const GPT2_PATTERN: &str =
    r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

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
    /// A `ByteLevel` that other pre-tokenizers follow: they cut its output, the text in the GPT-2
    /// alphabet, so it rewrites the text into that alphabet (as `Metaspace` rewrites) instead of
    /// leaving the mapping to the model.
    ByteLevelRewrite { add_prefix_space: bool, regex: Option<Pattern> },
    /// ' ' becomes `replacement` (one char), prepended per `prepend`; then, when `split`, each
    /// piece is cut before every `replacement` (`MergedWithNext`), matched by `delimiter`.
    Metaspace { replacement: char, prepend: PrependScheme, split: bool, delimiter: Pattern },
    /// Cuts where the script changes, as the reference `UnicodeScripts`.
    UnicodeScripts,
    /// Cuts each piece into runs of this many chars (at least 1).
    FixedLength(usize),
    Sequence(Vec<PreTokenizer>),
}

/// A pre-tokenizer that amounts to a word pattern ([`PreTokenizer::word_loop`]): its pieces are
/// every match of `words`, byte-level, and the gaps between matches when `keep_gaps`
/// (`Isolated`; `Removed` with `invert` drops them).
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordLoop {
    /// `None`: the pattern is a digit-group head alone (OLMo 2 SuperBPE), so the text between
    /// digit runs is one piece.
    pub words: Option<WordPattern>,
    pub keep_gaps: bool,
    /// `Digits` comes first (OLMo 2): each run of numeric chars goes through the whole
    /// pre-tokenizer (its digit groups), the text between runs through `words`.
    pub digits_first: bool,
}

impl WordLoop {
    /// Calls `f` with each piece of bytes `from..to` of `text` (as its own string) under `words`
    /// and `keep_gaps`, in order; stops at `f`'s first error.
    #[inline]
    pub fn for_each_piece(&self, text: &str, from: usize, to: usize, f: &mut impl FnMut(Piece) -> Result<()>) -> Result<()> {
        let segment = &text[from..to];
        let Some(words) = &self.words else {
            return if self.keep_gaps && from < to { f(Piece::new(from, to)) } else { Ok(()) };
        };
        let mut pos = 0;
        while let Some((a, b)) = words.find(segment, pos) {
            if pos < a && self.keep_gaps {
                f(Piece::new(from + pos, from + a))?;
            }
            f(Piece::new(from + a, from + b))?;
            pos = b;
        }
        if pos < segment.len() && self.keep_gaps {
            f(Piece::new(from + pos, to))?;
        }
        Ok(())
    }

    /// The `Digits` piece (contiguous) that starts at byte `pos` of `text`, within `..end`: where
    /// it ends, and whether it is a run of numeric chars (`char::is_numeric`, as the reference)
    /// or the text up to the next one. ASCII is read by bytes.
    pub fn numeric_run(text: &str, pos: usize, end: usize) -> (usize, bool) {
        let is_numeric_at = |i: usize| -> (bool, usize) {
            let b = text.as_bytes()[i];
            if b < 0x80 {
                return (b.is_ascii_digit(), 1);
            }
            let c = text[i..].chars().next().unwrap_or_default();
            (c.is_numeric(), c.len_utf8())
        };
        let (numeric, len) = is_numeric_at(pos);
        let mut i = pos + len;
        while i < end {
            let (here, len) = is_numeric_at(i);
            if here != numeric {
                break;
            }
            i += len;
        }
        (i.min(end), numeric)
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
            "Whitespace" => PreTokenizer::Split { pattern: Pattern::Words, behavior: Behavior::Removed, invert: true },
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
                Pattern::Numeric,
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
                n => PreTokenizer::FixedLength(usize::try_from(n).unwrap_or(usize::MAX)),
            },
            "Sequence" => {
                let raws = raw.pretokenizers.as_deref().ok_or_else(|| Error::invalid(stage, "Sequence without `pretokenizers`"))?;
                let mut items = raws.iter().map(PreTokenizer::from_raw).collect::<Result<Vec<_>>>()?;
                let last = items.len().saturating_sub(1);
                for item in &mut items[..last] {
                    match item {
                        // The ones after it cut the byte-level text: it rewrites the text.
                        PreTokenizer::ByteLevel { add_prefix_space, regex } => {
                            *item = PreTokenizer::ByteLevelRewrite { add_prefix_space: *add_prefix_space, regex: regex.take() };
                        }
                        PreTokenizer::Sequence(_) if item.is_byte_level() => {
                            return Err(Error::unsupported(stage, "a Sequence ending in ByteLevel followed by other pre-tokenizers"));
                        }
                        _ => {}
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

    /// The word loop this pre-tokenizer amounts to, when it is one of the GPT-2-style patterns
    /// matched by hand followed by plain `ByteLevel` (no prefix space): GPT-2's own `ByteLevel`
    /// with its regex, a `Split` by the pattern then `ByteLevel` without one (o200k, cl100k,
    /// Llama 3, Qwen 2), or OLMo 2's `Digits` before that `Split`. The tokenizer then cuts and
    /// encodes its pieces in one loop ([`WordLoop`]).
    pub fn word_loop(&self) -> Option<WordLoop> {
        let words = |p: &Pattern| match p {
            Pattern::Regex(r) => r.word_pattern(),
            _ => None,
        };
        let keep_gaps = |behavior: &Behavior, invert: &bool| match (behavior, invert) {
            (Behavior::Isolated, false) => Some(true),
            (Behavior::Removed, true) => Some(false),
            _ => None,
        };
        let byte_level = |p: &PreTokenizer| matches!(p, PreTokenizer::ByteLevel { add_prefix_space: false, regex: None });
        match self {
            PreTokenizer::ByteLevel { add_prefix_space: false, regex: Some(p) } => Some(WordLoop { words: Some(words(p)?), keep_gaps: true, digits_first: false }),
            PreTokenizer::Sequence(items) => match items.as_slice() {
                [PreTokenizer::Split { pattern, behavior, invert }, last] if byte_level(last) => {
                    Some(WordLoop { words: Some(words(pattern)?), keep_gaps: keep_gaps(behavior, invert)?, digits_first: false })
                }
                // OLMo 2: `Digits` (runs of digits, contiguous), then a word pattern that may start
                // with the digit-group head (BPE), or that head alone (SuperBPE). Text between
                // digit runs has no decimal digit, so the pattern there is its word part alone.
                [PreTokenizer::Split { pattern: Pattern::Numeric, behavior: Behavior::Contiguous, invert: false }, PreTokenizer::Split { pattern: Pattern::Regex(r), behavior, invert }, last]
                    if byte_level(last) =>
                {
                    Some(WordLoop { words: r.words_without_digits()?, keep_gaps: keep_gaps(behavior, invert)?, digits_first: true })
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// True unless a `Metaspace` rewrites the text: pieces can then stream to the model one by
    /// one ([`PreTokenizer::for_each_piece`]) instead of being collected first.
    pub fn streams(&self) -> bool {
        match self {
            PreTokenizer::Metaspace { .. } | PreTokenizer::ByteLevelRewrite { .. } => false,
            PreTokenizer::Sequence(items) => items.iter().all(PreTokenizer::streams),
            _ => true,
        }
    }

    /// Cuts `piece` of `text` and hands each resulting non-empty piece to `f`, in order: the
    /// pieces [`PreTokenizer::pre_tokenize`] returns, without collecting them (a 2 MB text has
    /// ~400,000 pieces: 10 MB written and read back). Stops at `f`'s first
    /// error. Only for a pre-tokenizer that [`PreTokenizer::streams`].
    pub fn for_each_piece(&self, text: &str, piece: Piece, f: &mut dyn FnMut(Piece) -> Result<()>) -> Result<()> {
        match self {
            PreTokenizer::Split { pattern, behavior, invert } => split_piece(text, piece, pattern, *invert, *behavior, f),
            PreTokenizer::Sequence(items) => stream_sequence(items, text, piece, f),
            PreTokenizer::ByteLevel { add_prefix_space, regex } => byte_level(text, piece, *add_prefix_space, regex.as_ref(), f),
            PreTokenizer::UnicodeScripts => split_scripts(text, piece, f),
            PreTokenizer::FixedLength(n) => split_fixed(text, piece, *n, f),
            // Callers check `streams` first; `pre_tokenize` handles the two that rewrite the text.
            PreTokenizer::Metaspace { .. } | PreTokenizer::ByteLevelRewrite { .. } => {
                Err(Error::unsupported("pre_tokenizer", "streaming the pieces of a pre-tokenizer that rewrites the text"))
            }
        }
    }

    /// Cuts `pieces` (byte ranges of `text`, usually one segment of normalized text between added
    /// tokens) into smaller pieces, in order. `text` is borrowed unless `Metaspace` rewrote it: it
    /// then owns a new text made of just the rewritten pieces, which the returned pieces index.
    /// Empty pieces never come out, as the reference drops empty splits.
    pub fn pre_tokenize<'t>(&self, text: &mut Cow<'_, NormalizedText<'t>>, pieces: Vec<Piece>) -> Result<Vec<Piece>> {
        match self {
            PreTokenizer::Sequence(items) => items.iter().try_fold(pieces, |pieces, item| item.pre_tokenize(text, pieces)),
            PreTokenizer::Metaspace { replacement, prepend, split, delimiter } => {
                let (rewritten, pieces) = metaspace(text, pieces, *replacement, *prepend);
                *text = Cow::Owned(rewritten);
                if !*split {
                    return Ok(pieces);
                }
                collect(&text.text, pieces, |text, piece, f| split_piece(text, piece, delimiter, false, Behavior::MergedWithNext, f))
            }
            PreTokenizer::ByteLevelRewrite { add_prefix_space, regex } => {
                let pieces = collect(&text.text, pieces, |t, piece, f| byte_level(t, piece, *add_prefix_space, regex.as_ref(), f))?;
                let (rewritten, pieces) = byte_level_rewrite(text, pieces);
                *text = Cow::Owned(rewritten);
                Ok(pieces)
            }
            _ => collect(&text.text, pieces, |text, piece, f| self.for_each_piece(text, piece, f)),
        }
    }
}

/// The reference `ByteLevel` pre-tokenizer's rewrite of each piece (what the model does itself
/// when `ByteLevel` comes last): each byte becomes its GPT-2 alphabet char with the span of the
/// char it is a byte of, and a piece's virtual prefix space becomes `Ġ` with the span of the
/// piece's first char (the reference's `prepend`). Returns a text made of the rewritten pieces
/// end to end and their places in it, plain (not byte-level) pieces of that text.
fn byte_level_rewrite(text: &NormalizedText<'_>, pieces: Vec<Piece>) -> (NormalizedText<'static>, Vec<Piece>) {
    let mut out = Vec::with_capacity(pieces.len());
    let mut len = 0;
    let char_len = |b: u8| BYTE_TO_CHAR[b as usize].len_utf8();
    for piece in &pieces {
        let bytes = &text.text.as_bytes()[piece.start..piece.end];
        let n = bytes.iter().map(|&b| char_len(b)).sum::<usize>() + if piece.prefix_space { char_len(b' ') } else { 0 };
        out.push(Piece::new(len, len + n));
        len += n;
    }
    let chars = pieces.iter().flat_map(|piece| {
        let sub = &text.text[piece.start..piece.end];
        let first = sub.chars().next().map_or(0, char::len_utf8);
        let prefix = piece.prefix_space.then(|| (BYTE_TO_CHAR[b' ' as usize], text.original_span(piece.start, piece.start + first)));
        let rest = sub.char_indices().flat_map(move |(i, c)| {
            let (at, end) = (piece.start + i, piece.start + i + c.len_utf8());
            let span = text.original_span(at, end);
            text.text.as_bytes()[at..end].iter().map(move |&b| (BYTE_TO_CHAR[b as usize], span))
        });
        prefix.into_iter().chain(rest)
    });
    let rewritten = NormalizedText::from_char_spans(chars, text.original_span(0, 0).0);
    debug_assert_eq!(rewritten.text.len(), len);
    (rewritten, out)
}

/// The pieces `stream` makes of each of `pieces`, collected.
fn collect(text: &str, pieces: Vec<Piece>, stream: impl Fn(&str, Piece, &mut dyn FnMut(Piece) -> Result<()>) -> Result<()>) -> Result<Vec<Piece>> {
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        stream(text, piece, &mut |p| {
            out.push(p);
            Ok(())
        })?;
    }
    Ok(out)
}

/// A `Sequence`: each piece of the first item goes through the rest.
fn stream_sequence(items: &[PreTokenizer], text: &str, piece: Piece, f: &mut dyn FnMut(Piece) -> Result<()>) -> Result<()> {
    match items.split_first() {
        None => f(piece),
        Some((first, rest)) => first.for_each_piece(text, piece, &mut |p| stream_sequence(rest, text, p, f)),
    }
}

/// The reference `ByteLevel` pre-tokenizer: the optional prefix space stays virtual (a flag on
/// the first piece of each input piece), then the GPT-2 regex isolates words.
fn byte_level(text: &str, piece: Piece, add_prefix_space: bool, regex: Option<&Pattern>, f: &mut dyn FnMut(Piece) -> Result<()>) -> Result<()> {
    // The reference prepends nothing to an empty piece and drops it.
    if piece.start >= piece.end {
        return Ok(());
    }
    let sub = &text[piece.start..piece.end];
    let prefix = add_prefix_space && !piece.prefix_space && !sub.starts_with(' ');
    let Some(regex) = regex else {
        // Without the regex, the piece only gains the flags.
        return f(Piece { prefix_space: prefix || piece.prefix_space, byte_level: true, ..piece });
    };
    let spaced;
    let (haystack, shift) = if prefix {
        spaced = format!(" {sub}");
        (spaced.as_str(), 1)
    } else {
        (sub, 0)
    };
    // Isolated: every range is a piece.
    let mut result = Ok(());
    for_each_range(regex, haystack, false, |a, b, _| {
        if a < b && result.is_ok() {
            let virtual_space = prefix && a == 0;
            result = f(Piece { start: piece.start + a.saturating_sub(shift), end: piece.start + b - shift, prefix_space: virtual_space, byte_level: true });
        }
    })?;
    result
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
fn split_scripts(text: &str, piece: Piece, f: &mut dyn FnMut(Piece) -> Result<()>) -> Result<()> {
    let mut last = None;
    let mut start = None;
    for (i, c) in text[piece.start..piece.end].char_indices() {
        let Some(class) = script_class(c) else { continue };
        if last != Some(class) {
            if let Some(s) = start {
                f(Piece::new(s, piece.start + i))?;
            }
            start = Some(piece.start + i);
            last = Some(class);
        }
    }
    match start {
        Some(s) => f(Piece::new(s, piece.end)),
        None => Ok(()),
    }
}

/// The reference `FixedLength`: each piece cut into runs of `length` chars, the last one shorter.
fn split_fixed(text: &str, piece: Piece, length: usize, f: &mut dyn FnMut(Piece) -> Result<()>) -> Result<()> {
    let sub = &text[piece.start..piece.end];
    let mut start = piece.start;
    for (n, (i, _)) in sub.char_indices().enumerate() {
        if n > 0 && n % length == 0 {
            f(Piece::new(start, piece.start + i))?;
            start = piece.start + i;
        }
    }
    if start < piece.end {
        f(Piece::new(start, piece.end))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_disjoint() {
        // Binary search relies on it.
        assert!(tables::PUNCTUATION.windows(2).all(|w| w[0].0 <= w[0].1 && w[0].1 < w[1].0));
        assert!(tables::SCRIPT_CLASSES.windows(2).all(|w| w[0].0 <= w[0].1 && w[0].1 < w[1].0));
    }

    #[test]
    fn word_loops_of_the_real_pre_tokenizers() {
        let olmo_pattern = r#"(?=(\\d{3})+(?!\\d))| ?\\p{L}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"#;
        let byte_level = r#"{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}"#;
        let olmo_bpe = format!(
            r#"{{"type": "Sequence", "pretokenizers": [{{"type": "Digits", "individual_digits": false}}, {{"type": "Split", "pattern": {{"Regex": "{olmo_pattern}"}}, "behavior": "Isolated", "invert": false}}, {byte_level}]}}"#
        );
        // SuperBPE t180k splits digit groups only: the text between digit runs is one piece.
        let olmo_t180k = format!(
            r#"{{"type": "Sequence", "pretokenizers": [{{"type": "Digits", "individual_digits": false}}, {{"type": "Split", "pattern": {{"Regex": "(?=(\\d{{3}})+(?!\\d))"}}, "behavior": "Isolated", "invert": false}}, {byte_level}]}}"#
        );
        let individual_digits = olmo_bpe.replace(r#""individual_digits": false"#, r#""individual_digits": true"#);
        let gpt2 = r#"{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}"#;
        let prefix_space = gpt2.replace(r#""add_prefix_space": false"#, r#""add_prefix_space": true"#);
        let loop_of = |json: &str| {
            let raw: RawPreTokenizer = serde_json::from_str(json).unwrap();
            PreTokenizer::from_raw(&raw).unwrap().word_loop().map(|w| (w.keep_gaps, w.digits_first))
        };
        assert_eq!(loop_of(gpt2), Some((true, false)));
        assert_eq!(loop_of(&olmo_bpe), Some((true, true)));
        assert_eq!(loop_of(&olmo_t180k), Some((true, true)));
        assert_eq!(loop_of(&individual_digits), None);
        assert_eq!(loop_of(&prefix_space), None);
    }

    #[test]
    fn numeric_runs_are_digits_pieces() {
        // `char::is_numeric` (the reference `Digits`): ASCII digits, Arabic-Indic '٣', '½', 'Ⅻ'.
        let text = "ab 12٣½Ⅻ-x 7";
        let mut runs = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let (end, numeric) = WordLoop::numeric_run(text, pos, text.len());
            runs.push((&text[pos..end], numeric));
            pos = end;
        }
        assert_eq!(runs, [("ab ", false), ("12٣½Ⅻ", true), ("-x ", false), ("7", true)]);
        // Bounded by `end`.
        assert_eq!(WordLoop::numeric_run(text, 3, 4), (4, true));
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
