//! `Split` regexes: compiled in the reference's Oniguruma conventions (see
//! [`crate::format::regex_dialect`]), with the idioms of real files run without look-around, and
//! the word patterns of GPT-2, cl100k, o200k and their kin matched by hand (see
//! [`super::word_patterns`]).

use super::word_patterns;
use crate::error::{Error, ErrorKind, Result};
use crate::format::regex_dialect::{GaveUp, Regex};
use crate::text::classes::{classes, DIGIT};

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
    /// True when the pattern starts with [`DIGIT_GROUPS_HEAD`].
    digit_runs: bool,
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

pub(super) fn compile(stage: &str, pattern: &str) -> Result<Box<SplitRegex>> {
    compile_with(stage, pattern, true)
}

/// [`compile`], with the hand-written word patterns only when `by_hand` (tests compare the two).
fn compile_with(stage: &str, pattern: &str, by_hand: bool) -> Result<Box<SplitRegex>> {
    let (digit_runs, rest) = match pattern.strip_prefix(DIGIT_GROUPS_HEAD) {
        Some("") => (true, None),
        Some(rest) if rest.starts_with('|') => (true, Some(&rest[1..])),
        _ => (false, Some(pattern)),
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
    /// The hand-written matcher, when it alone is the whole pattern (no digit-group head).
    pub(super) fn word_pattern(&self) -> Option<word_patterns::WordPattern> {
        self.words.filter(|_| !self.digit_runs)
    }

    /// What the pattern is on text without a decimal digit: `Some(Some)` its hand-written
    /// matcher (after any digit-group head), `Some(None)` nothing (the head alone), `None`
    /// neither.
    pub(super) fn words_without_digits(&self) -> Option<Option<word_patterns::WordPattern>> {
        match (self.words, &self.regex, self.digit_runs) {
            (Some(words), _, _) => Some(Some(words)),
            (None, None, true) => Some(None),
            _ => None,
        }
    }

    /// Calls `found(start, end)` for each match, as fancy-regex's `find_iter` (and Oniguruma's)
    /// would for the original pattern: leftmost-first, an empty match never right after a match.
    pub(super) fn for_each_match(&self, s: &str, mut found: impl FnMut(usize, usize)) -> Result<()> {
        let gave_up = |e: GaveUp| Error::new(ErrorKind::Input, format!("regex gave up on this text: {e}"));
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
        let mut starts = Vec::new();
        if !self.digit_runs {
            return starts;
        }
        let classes = classes();
        // Byte offsets of the digits of the current run.
        let mut run: Vec<usize> = Vec::new();
        for (i, c) in s.char_indices().chain([(s.len(), ' ')]) {
            if classes.of_char(c) & DIGIT != 0 {
                run.push(i);
                continue;
            }
            let n = run.len();
            starts.extend(run.drain(..).enumerate().filter(|&(k, _)| k + 3 <= n && (n - k) % 3 == 0).map(|(_, b)| b));
        }
        starts
    }

    /// The leftmost match of the pattern without its digit-group head, from `pos`.
    fn find_rest(&self, s: &str, pos: usize) -> std::result::Result<Option<(usize, usize)>, GaveUp> {
        if let Some(words) = &self.words {
            return Ok(words.find(s, pos));
        }
        let Some(regex) = &self.regex else { return Ok(None) };
        let Some((start, end)) = regex.find_from(s, pos)? else { return Ok(None) };
        let end = match &self.before_tail {
            Some(before) if start < end => self.trim_whitespace_run(s, start, end, before.as_ref())?,
            _ => end,
        };
        Ok(Some((start, end)))
    }

    /// End of the match `start..end` under `\s+(?!\S)`: a whitespace run of 2+ chars that stops
    /// before a non-space keeps all but its last char, unless `before` matches at `start`.
    fn trim_whitespace_run(&self, s: &str, start: usize, end: usize, before: Option<&Regex>) -> std::result::Result<usize, GaveUp> {
        let run = &s[start..end];
        let mut chars = run.chars();
        let Some(last) = chars.next_back() else { return Ok(end) };
        let followed_by_text = s[end..].chars().next().is_some_and(|c| !c.is_whitespace());
        if !followed_by_text || chars.next().is_none() || !run.chars().all(char::is_whitespace) {
            return Ok(end);
        }
        if let Some(before) = before {
            if before.find_from(s, start)?.is_some_and(|(at, _)| at == start) {
                return Ok(end);
            }
        }
        Ok(end - last.len_utf8())
    }
}

#[cfg(all(test, feature = "regex"))]
mod tests {
    use super::*;
    use crate::pre_tokenizer::GPT2_PATTERN;

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
            assert!(ours.before_tail.is_some() || ours.digit_runs, "{pattern} was not rewritten");
            let original = fancy_regex::Regex::new(pattern).unwrap();
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
            "/", ".", "!!", "-", "_", "ABC", "hello", " world", "x2", "'S", "/\n", "...", "\u{200d}", "\u{feff}", "\0", "\u{85}", "\u{1680}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for pattern in WORD_PATTERNS {
            let by_hand = compile_with("test", pattern, true).unwrap();
            assert!(by_hand.words.is_some() && by_hand.regex.is_none(), "{pattern} is not matched by hand");
            let original = fancy_regex::Regex::new(pattern).unwrap();
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
