//! Hand-written matchers for the word patterns of GPT-2 and its descendants (cl100k / Llama 3,
//! Qwen 2, o200k, OLMo 2), the `Split` regexes of most byte-level files.
//!
//! Why: on these files the regex was the largest single cost of `encode` (a lazy DFA searching
//! forward for each match's end and backward for its start, and building states for every new
//! Unicode byte sequence it meets). The patterns are fixed strings, so each is matched here by a
//! direct reading of its alternatives with the regex's own leftmost-first (backtracking) order.
//! Char classes (`\p{L}`, `\p{N}`, `\s`, the letter cases) come from [`crate::text::classes`],
//! generated from the tables the regex engine itself uses, so both paths see the same Unicode
//! data; a test compares every match against the regex on every code point and on random texts.

use crate::text::classes::{classes, Classes, LETTER, NUMBER, SPACE, UPPER, LOWER};

/// The alternatives before the whitespace tail `\s+(?!\S)|\s+` of each pattern we match by hand.
const GPT2: &str = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+";
const CL100K: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+";
const QWEN2: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+";
const O200K: &str = r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+";
/// OLMo 2's pattern after its digit-group head (which `SplitRegex` computes apart).
const OLMO2: &str = r" ?\p{L}+| ?[^\s\p{L}\p{N}]+";

/// One of the patterns above, with the whitespace tail after it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordPattern {
    kind: Kind,
    classes: &'static Classes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Gpt2,
    /// cl100k and Llama 3 (`max_digits` 3), Qwen 2 (1).
    Cl100k { max_digits: usize },
    O200k,
    Olmo2,
}

impl WordPattern {
    /// The matcher for `alternatives|\s+(?!\S)|\s+`, if `alternatives` is one of the known
    /// patterns spelled exactly as in their `tokenizer.json`.
    pub fn recognize(alternatives: &str) -> Option<WordPattern> {
        let kind = match alternatives {
            GPT2 => Kind::Gpt2,
            CL100K => Kind::Cl100k { max_digits: 3 },
            QWEN2 => Kind::Cl100k { max_digits: 1 },
            O200K => Kind::O200k,
            OLMO2 => Kind::Olmo2,
            _ => return None,
        };
        Some(WordPattern { kind, classes: classes() })
    }

    /// The leftmost match at or after byte `pos` (a char boundary of `s`), as `(start, end)`,
    /// as the regex's leftmost-first search finds it. None of these patterns matches empty.
    pub fn find(&self, s: &str, pos: usize) -> Option<(usize, usize)> {
        let text = Text { b: s.as_bytes(), classes: self.classes };
        let mut i = pos;
        while i < s.len() {
            if let Some(end) = self.match_at(&text, i) {
                return Some((i, end));
            }
            i += text.at(i).map_or(1, |(_, _, len)| len);
        }
        None
    }

    #[inline]
    fn match_at(&self, t: &Text<'_>, i: usize) -> Option<usize> {
        if let Some(decided) = self.match_ascii(t, i) {
            return decided;
        }
        self.match_general(t, i)
    }

    /// The match at `i` read byte by byte, when the bytes that decide it are ASCII (in English
    /// prose, nearly every piece): `Some(result)`, or `None` when a byte ≥ 0x80 is reached whose
    /// class would decide, for [`WordPattern::match_general`] to read again from `i`. Whitespace
    /// runs go to the general functions here too (they are exact on any text). Same result as the
    /// general path by construction, and checked against the regex by the tests of
    /// `split_regex.rs` (every code point, random texts).
    #[inline(always)]
    fn match_ascii(&self, t: &Text<'_>, i: usize) -> Option<Option<usize>> {
        let b = t.b;
        let b0 = ascii_class(t, i)?;
        // `[^\r\n\p{L}\p{N}]?` may take the char at `i`.
        let prefix_ok = b[i] != b'\r' && b[i] != b'\n' && b0 & (LETTER | NUMBER) == 0;
        let decided = match self.kind {
            Kind::Gpt2 => {
                if b[i] == b'\'' {
                    if let Some(end) = contraction(t, i, false) {
                        return Some(Some(end));
                    }
                }
                if let Some(end) = space_then::<LETTER>(t, i)? {
                    return Some(Some(end));
                }
                if let Some(end) = space_then::<NUMBER>(t, i)? {
                    return Some(Some(end));
                }
                if let Some(end) = space_then::<OTHER>(t, i)? {
                    return Some(Some(end));
                }
                whitespace_tail(t, i)
            }
            Kind::Olmo2 => {
                if let Some(end) = space_then::<LETTER>(t, i)? {
                    return Some(Some(end));
                }
                if let Some(end) = space_then::<OTHER>(t, i)? {
                    return Some(Some(end));
                }
                if b0 & SPACE == 0 {
                    // A digit: the general path finds the next match.
                    return None;
                }
                whitespace_tail(t, i)
            }
            Kind::Cl100k { max_digits } => {
                if b[i] == b'\'' {
                    if let Some(end) = contraction(t, i, true) {
                        return Some(Some(end));
                    }
                }
                if b0 & LETTER != 0 {
                    return Some(Some(ascii_run::<LETTER>(b, i + 1)?));
                }
                if prefix_ok && ascii_class(t, i + 1)? & LETTER != 0 {
                    return Some(Some(ascii_run::<LETTER>(b, i + 2)?));
                }
                if b0 & NUMBER != 0 {
                    return Some(Some(ascii_digits(b, i, max_digits)?));
                }
                if let Some(end) = space_then::<OTHER>(t, i)? {
                    return Some(Some(t.run_bytes(end, b"\r\n")));
                }
                spaces_to_newline(t, i).or_else(|| whitespace_tail(t, i))
            }
            Kind::O200k => {
                if b0 & LETTER != 0 {
                    return Some(Some(o200k_word(t, i)?));
                }
                if prefix_ok && ascii_class(t, i + 1)? & LETTER != 0 {
                    return Some(Some(o200k_word(t, i + 1)?));
                }
                if b0 & NUMBER != 0 {
                    return Some(Some(ascii_digits(b, i, 3)?));
                }
                if let Some(end) = space_then::<OTHER>(t, i)? {
                    return Some(Some(t.run_bytes(end, b"\r\n/")));
                }
                spaces_to_newline(t, i).or_else(|| whitespace_tail(t, i))
            }
        };
        Some(decided)
    }

    fn match_general(&self, t: &Text<'_>, i: usize) -> Option<usize> {
        match self.kind {
            Kind::Gpt2 => contraction(t, i, false)
                .or_else(|| t.space_then_run(i, LETTER))
                .or_else(|| t.space_then_run(i, NUMBER))
                .or_else(|| t.space_then_run(i, OTHER))
                .or_else(|| whitespace_tail(t, i)),
            Kind::Olmo2 => t.space_then_run(i, LETTER).or_else(|| t.space_then_run(i, OTHER)).or_else(|| whitespace_tail(t, i)),
            Kind::Cl100k { max_digits } => contraction(t, i, true)
                .or_else(|| with_prefix(t, i, |j| t.is(j, LETTER).then(|| t.run(j, LETTER))))
                .or_else(|| digits(t, i, max_digits))
                .or_else(|| t.space_then_run(i, OTHER).map(|e| t.run_bytes(e, b"\r\n")))
                .or_else(|| spaces_to_newline(t, i))
                .or_else(|| whitespace_tail(t, i)),
            Kind::O200k => with_prefix(t, i, |j| upper_then_lower(t, j))
                .or_else(|| with_prefix(t, i, |j| upper_run_then_lower(t, j)))
                .or_else(|| digits(t, i, 3))
                .or_else(|| t.space_then_run(i, OTHER).map(|e| t.run_bytes(e, b"\r\n/")))
                .or_else(|| spaces_to_newline(t, i))
                .or_else(|| whitespace_tail(t, i)),
        }
    }
}

/// `[^\s\p{L}\p{N}]`: a pseudo-class, tested as "none of these bits".
const OTHER: u8 = 0;
/// The class of the position past the end of the text, in [`WordPattern::match_ascii`]: in no
/// class, not even `OTHER`.
const END: u8 = 0x80;

struct Text<'a> {
    b: &'a [u8],
    classes: &'static Classes,
}

impl Text<'_> {
    /// The char at byte `i`: `(code point, class bits, UTF-8 length)`.
    #[inline(always)]
    fn at(&self, i: usize) -> Option<(u32, u8, usize)> {
        let b = self.b;
        let b0 = *b.get(i)?;
        let (c, len) = match b0 {
            0x00..=0x7F => (u32::from(b0), 1),
            0xC0..=0xDF => ((u32::from(b0 & 0x1F) << 6) | u32::from(b[i + 1] & 0x3F), 2),
            0xE0..=0xEF => ((u32::from(b0 & 0x0F) << 12) | (u32::from(b[i + 1] & 0x3F) << 6) | u32::from(b[i + 2] & 0x3F), 3),
            _ => (
                (u32::from(b0 & 0x07) << 18)
                    | (u32::from(b[i + 1] & 0x3F) << 12)
                    | (u32::from(b[i + 2] & 0x3F) << 6)
                    | u32::from(b[i + 3] & 0x3F),
                4,
            ),
        };
        Some((c, self.classes.of(c), len))
    }

    /// True when the char at `i` is in `class` (`OTHER`: in none of letter, number, space).
    #[inline]
    fn is(&self, i: usize, class: u8) -> bool {
        self.at(i).is_some_and(|(_, bits, _)| in_class(bits, class))
    }

    /// End of the longest run of `class` chars from `i`.
    #[inline]
    fn run(&self, mut i: usize, class: u8) -> usize {
        while let Some((_, bits, len)) = self.at(i) {
            if !in_class(bits, class) {
                break;
            }
            i += len;
        }
        i
    }

    /// End of the longest run of the ASCII bytes `set` from `i` (`[\r\n]*`, `[\r\n/]*`).
    #[inline]
    fn run_bytes(&self, mut i: usize, set: &[u8]) -> usize {
        while self.b.get(i).is_some_and(|b| set.contains(b)) {
            i += 1;
        }
        i
    }

    /// ` ?X+` with `X` = `class`: an optional space, then a non-empty run.
    #[inline]
    fn space_then_run(&self, i: usize, class: u8) -> Option<usize> {
        let j = if self.b.get(i) == Some(&b' ') { i + 1 } else { i };
        // Without the space, `X+` would have to start at a space: no `X` here contains one.
        self.is(j, class).then(|| self.run(j, class))
    }
}

#[inline]
fn in_class(bits: u8, class: u8) -> bool {
    if class == OTHER {
        bits & (LETTER | NUMBER | SPACE) == 0
    } else {
        bits & class != 0
    }
}

/// `[^\r\n\p{L}\p{N}]?BODY`: BODY after the optional char if the char at `i` is one, else (or
/// if that fails) BODY at `i`, the order a backtracking `?` tries them.
#[inline]
fn with_prefix(t: &Text<'_>, i: usize, body: impl Fn(usize) -> Option<usize>) -> Option<usize> {
    let (c, bits, len) = t.at(i)?;
    let optional = c != u32::from(b'\r') && c != u32::from(b'\n') && bits & (LETTER | NUMBER) == 0;
    optional.then(|| body(i + len)).flatten().or_else(|| body(i))
}

/// `'s|'t|'re|'ve|'m|'ll|'d` at `i`, case-insensitively as `(?i:…)` (where `s` also matches
/// `ſ`, U+017F, by Unicode simple case folding) when `fold`.
#[inline]
fn contraction(t: &Text<'_>, i: usize, fold: bool) -> Option<usize> {
    if t.b.get(i) != Some(&b'\'') {
        return None;
    }
    let lower = |j: usize| -> Option<(u8, usize)> {
        let (c, _, len) = t.at(j)?;
        let c = match c {
            0x17F if fold => u32::from(b's'),
            0x41..=0x5A if fold => c + 0x20,
            _ => c,
        };
        u8::try_from(c).ok().map(|c| (c, j + len))
    };
    let (first, j) = lower(i + 1)?;
    match first {
        b's' | b't' | b'm' | b'd' => Some(j),
        b'r' | b'v' => lower(j).filter(|&(c, _)| c == b'e').map(|(_, k)| k),
        b'l' => lower(j).filter(|&(c, _)| c == b'l').map(|(_, k)| k),
        _ => None,
    }
}

/// `\p{N}{1,max}`: greedy.
#[inline]
fn digits(t: &Text<'_>, mut i: usize, max: usize) -> Option<usize> {
    let start = i;
    for _ in 0..max {
        match t.at(i) {
            Some((_, bits, len)) if bits & NUMBER != 0 => i += len,
            _ => break,
        }
    }
    (i > start).then_some(i)
}

/// Class bits of the char at `j` when it is ASCII ([`END`] past the end of the text), `None` when
/// it is not (its class must be decoded).
#[inline(always)]
fn ascii_class(t: &Text<'_>, j: usize) -> Option<u8> {
    match t.b.get(j) {
        Some(&c) if c < 0x80 => Some(t.classes.of_byte(c)),
        Some(_) => None,
        None => Some(END),
    }
}

/// ` ?X+` at `i` for the class `C` on ASCII: `Some(Some(end))`, `Some(None)` when it does not match
/// (without the space, `X+` would start at a space, which no `X` here contains), `None` when a
/// non-ASCII byte decides.
#[inline(always)]
fn space_then<const C: u8>(t: &Text<'_>, i: usize) -> Option<Option<usize>> {
    let j = if t.b[i] == b' ' { i + 1 } else { i };
    let bits = ascii_class(t, j)?;
    if bits != END && in_class(bits, C) {
        Some(Some(ascii_run::<C>(t.b, j + 1)?))
    } else {
        Some(None)
    }
}

/// o200k's two word alternatives from `j` (an ASCII letter): on ASCII both amount to
/// `[A-Z]*[a-z]*` (the first needs a lower-case letter, the second takes an all-upper run), then
/// an optional contraction. `None` when a non-ASCII byte decides.
#[inline(always)]
fn o200k_word(t: &Text<'_>, j: usize) -> Option<usize> {
    let end = ascii_run::<LOWER>(t.b, ascii_run::<UPPER>(t.b, j)?)?;
    Some(contraction(t, end, true).unwrap_or(end))
}

/// Bytes of 8 ASCII chars whose high bit is set where the char is in `class` (`OTHER`: in none of
/// letter, number, space); `x` has every high bit clear. Each byte is compared by adding a
/// constant that carries into its high bit exactly from a bound up: bytes below 0x80 never carry
/// into their neighbour.
#[inline(always)]
fn ascii_class_bits(x: u64, class: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES << 7;
    let at_least = |k: u8| x.wrapping_add(ONES * u64::from(0x80 - k)) & HIGH;
    let within = |lo: u8, hi: u8| at_least(lo) & !at_least(hi + 1);
    let lower = || within(b'a', b'z');
    let upper = || within(b'A', b'Z');
    let digit = || within(b'0', b'9');
    match class {
        LOWER => lower(),
        UPPER => upper(),
        LETTER => lower() | upper(),
        NUMBER => digit(),
        OTHER => !(lower() | upper() | digit() | within(b'\t', b'\r') | within(b' ', b' ')) & HIGH,
        _ => 0,
    }
}

/// End of the run of `class` chars from `j` on ASCII text, 8 bytes at a time: `None` when the run
/// stops at a byte ≥ 0x80 (the general path must decode that char). Same classes as
/// [`Classes`] on ASCII (checked by a test on every byte).
#[inline(always)]
fn ascii_run<const CLASS: u8>(b: &[u8], mut j: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(j..j + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap());
        // A byte ≥ 0x80 is never "in class" here, so the run stops at it.
        let stops = !ascii_class_bits(w & !HIGH, CLASS) & HIGH | w & HIGH;
        if stops == 0 {
            j += 8;
            continue;
        }
        j += (stops.trailing_zeros() / 8) as usize;
        return (b[j] < 0x80).then_some(j);
    }
    while let Some(&byte) = b.get(j) {
        if byte >= 0x80 {
            return None;
        }
        if ascii_class_bits(u64::from(byte), CLASS) & 0x80 == 0 {
            break;
        }
        j += 1;
    }
    Some(j)
}

/// `\p{N}{1,max}` on ASCII digits from `i` (a digit): the end, or `None` when a non-ASCII byte
/// within reach could be a digit too.
#[inline(always)]
fn ascii_digits(b: &[u8], i: usize, max: usize) -> Option<usize> {
    let mut j = i;
    while j < i + max {
        match b.get(j) {
            Some(c) if c.is_ascii_digit() => j += 1,
            Some(&c) if c >= 0x80 => return None,
            _ => break,
        }
    }
    Some(j)
}

/// `\s*[\r\n]+`: the whitespace run from `i` up to and including its last `\r` or `\n` (greedy
/// `\s*` gives chars back until `[\r\n]+` can match, and that run then has only the one).
#[inline]
fn spaces_to_newline(t: &Text<'_>, i: usize) -> Option<usize> {
    let end = t.run(i, SPACE);
    // `\r` and `\n` never occur inside a multi-byte char: a byte search is a char search.
    t.b[i..end].iter().rposition(|&b| b == b'\r' || b == b'\n').map(|k| i + k + 1)
}

/// `\s+(?!\S)|\s+`: a whitespace run, less its last char when it has two or more and text
/// follows (so that char goes with the next word).
#[inline]
fn whitespace_tail(t: &Text<'_>, i: usize) -> Option<usize> {
    let (_, bits, first_len) = t.at(i)?;
    if bits & SPACE == 0 {
        return None;
    }
    let end = t.run(i, SPACE);
    if end == t.b.len() || end == i + first_len {
        return Some(end);
    }
    let last_start = (i..end).rev().find(|&k| t.b[k] & 0xC0 != 0x80).unwrap_or(i);
    Some(last_start)
}

/// o200k's first word alternative from `j`: `[UPPER]*[LOWER]+` then an optional contraction.
/// The greedy upper run gives chars back until a lower-class char can start `[LOWER]+`: the
/// last char of the run that is in both classes, or the char just after the run.
#[inline]
fn upper_then_lower(t: &Text<'_>, j: usize) -> Option<usize> {
    let mut i = j;
    let mut last_lower = None;
    while let Some((_, bits, len)) = t.at(i) {
        if bits & UPPER == 0 {
            break;
        }
        if bits & LOWER != 0 {
            last_lower = Some(i);
        }
        i += len;
    }
    let k = if t.is(i, LOWER) { i } else { last_lower? };
    let end = t.run(k, LOWER);
    Some(contraction(t, end, true).unwrap_or(end))
}

/// o200k's second word alternative from `j`: `[UPPER]+[LOWER]*` then an optional contraction.
#[inline]
fn upper_run_then_lower(t: &Text<'_>, j: usize) -> Option<usize> {
    if !t.is(j, UPPER) {
        return None;
    }
    let end = t.run(t.run(j, UPPER), LOWER);
    Some(contraction(t, end, true).unwrap_or(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 8-bytes-at-a-time classes are the tables' on every ASCII byte, at every position of
    /// the word, beside any other byte; runs end where a byte-by-byte reading of the tables ends.
    #[test]
    fn ascii_classes_read_in_words_are_the_tables() {
        let classes = classes();
        let in_table = |byte: u8, class: u8| in_class(classes.of(u32::from(byte)), class);
        for class in [LETTER, NUMBER, UPPER, LOWER, OTHER] {
            for byte in 0..0x80u8 {
                for at in 0..8 {
                    for other in [0u8, b'a', b' ', b'0', 0x7F] {
                        let mut word = [other; 8];
                        word[at] = byte;
                        let bits = ascii_class_bits(u64::from_le_bytes(word), class);
                        for (k, &w) in word.iter().enumerate() {
                            assert_eq!(bits >> (8 * k + 7) & 1 == 1, in_table(w, class), "class {class}, byte {w:#x} at {k}");
                        }
                    }
                }
            }
        }
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let alphabet = b"aZ0 \t\n.'/_~\x7f\xc3\xa9";
        for _ in 0..20_000 {
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let text: Vec<u8> = (0..next() % 24).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            for class in [LETTER, NUMBER, UPPER, LOWER, OTHER] {
                for j in 0..text.len() {
                    let end = (j..text.len()).find(|&k| text[k] >= 0x80 || !in_table(text[k], class)).unwrap_or(text.len());
                    let expected = if text.get(end).is_some_and(|&b| b >= 0x80) { None } else { Some(end) };
                    let run = match class {
                        LETTER => ascii_run::<LETTER>(&text, j),
                        NUMBER => ascii_run::<NUMBER>(&text, j),
                        UPPER => ascii_run::<UPPER>(&text, j),
                        LOWER => ascii_run::<LOWER>(&text, j),
                        _ => ascii_run::<OTHER>(&text, j),
                    };
                    assert_eq!(run, expected, "class {class} from {j} of {text:?}");
                }
            }
        }
    }
}
