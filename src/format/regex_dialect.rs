//! Regexes of `tokenizer.json` (`Split`, `Replace`) as the reference runs them: Oniguruma with Ruby
//! syntax. We run them on `fancy-regex` (backtracking, with look-around), adjusted where the two
//! engines are known to differ and the difference can be written as a pattern.
//!
//! Without the `regex` feature (the npm package's lean entry) there is no engine: [`compile`]
//! refuses every pattern, naming the full build. The word patterns of GPT-2 and its descendants
//! never get here (they are matched by hand), so the files of those families still load.

use crate::error::{Error, Result};
use std::fmt;

/// A compiled regex of a `tokenizer.json`. Without the `regex` feature it cannot exist.
#[derive(Debug, Clone)]
pub(crate) struct Regex {
    #[cfg(feature = "regex")]
    inner: fancy_regex::Regex,
    #[cfg(not(feature = "regex"))]
    never: std::convert::Infallible,
}

/// A search that stopped at the backtracking limit ([`BACKTRACK_LIMIT`]); shows fancy-regex's reason.
#[derive(Debug)]
pub(crate) struct GaveUp(String);

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(feature = "regex")]
impl Regex {
    /// The leftmost match starting at or after byte `pos`, as byte offsets `(start, end)` into
    /// `s` (look-behind sees the text before `pos`).
    pub(crate) fn find_from(&self, s: &str, pos: usize) -> std::result::Result<Option<(usize, usize)>, GaveUp> {
        match self.inner.find_from_pos(s, pos) {
            Ok(m) => Ok(m.map(|m| (m.start(), m.end()))),
            Err(e) => Err(GaveUp(e.to_string())),
        }
    }

    /// Every match in `s`, as fancy-regex's (and Oniguruma's) `find_iter`: leftmost-first, an
    /// empty match never right after a match. Byte offsets `(start, end)`.
    pub(crate) fn find_iter<'a>(&'a self, s: &'a str) -> impl Iterator<Item = std::result::Result<(usize, usize), GaveUp>> + 'a {
        self.inner.find_iter(s).map(|m| m.map(|m| (m.start(), m.end())).map_err(|e| GaveUp(e.to_string())))
    }
}

#[cfg(not(feature = "regex"))]
impl Regex {
    pub(crate) fn find_from(&self, _: &str, _: usize) -> std::result::Result<Option<(usize, usize)>, GaveUp> {
        match self.never {}
    }

    pub(crate) fn find_iter(&self, _: &str) -> std::iter::Empty<std::result::Result<(usize, usize), GaveUp>> {
        match self.never {}
    }
}

/// Backtracking steps one search may take: then the search gives up and the encode returns an
/// error ("regex gave up on this text"). fancy-regex counts them per search, and a search over a
/// long piece with no match (a lookahead-only pattern on a megabyte of letters) legitimately takes
/// a few steps per byte: the default of one million gave up on such text. This bound (16.8
/// million, well under a second) still lets those through to a few megabytes, and stops a
/// catastrophic pattern (`((a|a)*)\1c` on 26 letters takes ~2^26 steps) instead of hanging the page.
#[cfg(feature = "regex")]
const BACKTRACK_LIMIT: usize = 1 << 24;

/// Compiles `pattern` with Oniguruma's conventions. Ruby syntax makes `^` and `$` line anchors
/// (`(?m)`), and Oniguruma's `^` does not match at the very end of the text after a final `\n`
/// (checked against the reference), so a `^` outside a class becomes `(?:\A|^(?!\z))`; classes
/// whose Rust spelling means another set are spelled out ([`rewrite_classes`]).
///
/// # Errors
/// [`crate::ErrorKind::InvalidComponent`] for `stage`, naming the pattern, when it does not compile;
/// [`crate::ErrorKind::Unsupported`], naming the construct, for what only Oniguruma does (`(?i)`
/// over a multi-character case fold, `\X`, `\y`, block names), and, naming the full build, for any
/// pattern when built without the `regex` feature.
#[cfg(feature = "regex")]
pub(crate) fn compile(stage: &str, pattern: &str) -> Result<Regex> {
    if let Some(construct) = oniguruma_only(pattern) {
        return Err(Error::unsupported(stage, format!("regex {pattern:?}: {construct} is Oniguruma's and has no equivalent here")));
    }
    if let Some(fold) = multi_char_fold(pattern) {
        return Err(Error::unsupported(
            stage,
            format!("regex {pattern:?}: case-insensitive {fold}, which Oniguruma matches by multi-character case folding (`ss` and `ß`, `fi` and `ﬁ`) and this engine does not"),
        ));
    }
    let rewritten = rewrite_classes(pattern).ok_or_else(|| {
        Error::unsupported(stage, format!("regex of {} bytes: spelled out as Oniguruma's classes, it would be over {} MiB", pattern.len(), MAX_REWRITTEN >> 20))
    })?;
    fancy_regex::RegexBuilder::new(&format!("(?m){}", rewrite_caret(&rewritten)))
        .backtrack_limit(BACKTRACK_LIMIT)
        .build()
        .map(|inner| Regex { inner })
        .map_err(|e| Error::invalid(stage, format!("regex {pattern:?}: {e}")))
}

#[cfg(not(feature = "regex"))]
pub(crate) fn compile(stage: &str, pattern: &str) -> Result<Regex> {
    Err(Error::unsupported(
        stage,
        format!(
            "regex {pattern:?} needs the full build (in JS import from \"tokenscope/full\"; in Rust the `regex` feature): \
             this build runs only the word patterns of GPT-2, cl100k, o200k, Llama 3, Qwen 2 and OLMo 2"
        ),
    ))
}

/// Longest pattern [`rewrite_classes`] writes: each `\w` becomes ~14 KB of ranges and each `\b`
/// four of them, so a few kilobytes of escapes would otherwise make gigabytes of pattern (the
/// regex engine's own size limit comes only after).
#[cfg(feature = "regex")]
const MAX_REWRITTEN: usize = 4 << 20;

/// Longest property name looked for after `\p{`: the search for its `}` stops there, so a
/// pattern of many unclosed `\p{` is read in linear time.
#[cfg(feature = "regex")]
const MAX_PROPERTY_NAME: usize = 64;

/// The `}` closing the property name that starts at `chars[at]`, if within [`MAX_PROPERTY_NAME`].
#[cfg(feature = "regex")]
fn property_end(chars: &[char], at: usize) -> Option<usize> {
    chars.get(at..)?.iter().take(MAX_PROPERTY_NAME).position(|&c| c == '}').map(|n| at + n)
}

/// The classes whose Rust spelling means another set than Oniguruma's, spelled out as the
/// code point ranges Oniguruma matches (measured through the reference, see
/// [`super::oniguruma_classes`]): POSIX brackets (`[:alpha:]`, `[:^alpha:]`: ASCII in the `regex`
/// crate), the word set (`\w`, `\W`, `\p{Word}`, and `\b`, `\B` as look-around on it),
/// `\p{Graph}`, `\p{Print}`, `\p{XDigit}` (property names in any case, as Oniguruma reads them);
/// and Oniguruma's negated properties `\p{^X}`, `\P{^X}` (which fancy-regex does not parse) as
/// `\P{X}`, `\p{X}`.
/// Each set is written as a nested class `[...]`, so a `-` before it cannot make a range of its
/// first code point. `None` when the result would be over [`MAX_REWRITTEN`].
#[cfg(feature = "regex")]
fn rewrite_classes(pattern: &str) -> Option<std::borrow::Cow<'_, str>> {
    use super::oniguruma_classes as sets;
    if !pattern.contains("\\") && !pattern.contains("[:") {
        return Some(pattern.into());
    }
    let posix = |name: &str| -> Option<&'static [(u32, u32)]> {
        Some(match name {
            "alpha" => sets::ALPHA,
            "digit" => sets::DIGIT,
            "alnum" => sets::ALNUM,
            "upper" => sets::UPPER,
            "lower" => sets::LOWER,
            "space" => sets::SPACE,
            "punct" => sets::PUNCT,
            "word" => sets::WORD,
            "xdigit" => sets::XDIGIT,
            "cntrl" => sets::CNTRL,
            "graph" => sets::GRAPH,
            "print" => sets::PRINT,
            "blank" => sets::BLANK,
            _ => return None,
        })
    };
    let property = |name: &str| -> Option<&'static [(u32, u32)]> {
        Some(match name.to_ascii_lowercase().as_str() {
            "word" => sets::BACKSLASH_W,
            "graph" => sets::GRAPH,
            "print" => sets::PRINT,
            "xdigit" => sets::XDIGIT,
            _ => return None,
        })
    };
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 64);
    let mut depth = 0usize;
    let mut i = 0;
    // Writes `set` (or its complement) as a class of ranges (nested when inside a class).
    let put = |out: &mut String, set: &[(u32, u32)], negated: bool| {
        let ranges = if negated { complement(set) } else { set.to_vec() };
        out.push('[');
        for (a, b) in ranges {
            if a == b {
                out.push_str(&format!("\\x{{{a:X}}}"));
            } else {
                out.push_str(&format!("\\x{{{a:X}}}-\\x{{{b:X}}}"));
            }
        }
        out.push(']');
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            let e = chars[i + 1];
            match e {
                'w' | 'W' => {
                    put(&mut out, sets::BACKSLASH_W, e == 'W');
                    i += 2;
                    continue;
                }
                'b' | 'B' if depth == 0 => {
                    let mut word = String::new();
                    put(&mut word, sets::BACKSLASH_W, false);
                    if e == 'b' {
                        out.push_str(&format!("(?:(?<={word})(?!{word})|(?<!{word})(?={word}))"));
                    } else {
                        out.push_str(&format!("(?:(?<={word})(?={word})|(?<!{word})(?!{word}))"));
                    }
                    i += 2;
                    continue;
                }
                'p' | 'P' if chars.get(i + 2) == Some(&'{') => {
                    if let Some(close) = property_end(&chars, i + 3) {
                        let body: String = chars[i + 3..close].iter().collect();
                        let (caret, name) = match body.strip_prefix('^') {
                            Some(name) => (true, name),
                            None => (false, body.as_str()),
                        };
                        let negated = (e == 'P') != caret;
                        if let Some(set) = property(name) {
                            put(&mut out, set, negated);
                            i = close + 1;
                            continue;
                        }
                        // Oniguruma's negation inside the braces, which fancy-regex does not parse.
                        if caret {
                            out.push_str(&format!("\\{}{{{name}}}", if negated { 'P' } else { 'p' }));
                            i = close + 1;
                            continue;
                        }
                    }
                }
                _ => {}
            }
            out.push(c);
            out.push(e);
            i += 2;
            continue;
        }
        if c == '[' {
            // A POSIX bracket inside a class: `[:name:]` or `[:^name:]`.
            if depth > 0 && chars.get(i + 1) == Some(&':') {
                let rest: String = chars[i + 2..].iter().take(12).collect();
                if let Some(end) = rest.find(":]") {
                    let (negated, name) = match rest[..end].strip_prefix('^') {
                        Some(name) => (true, name),
                        None => (false, &rest[..end]),
                    };
                    if let Some(set) = posix(name) {
                        put(&mut out, set, negated);
                        i += 2 + rest[..end].chars().count() + 2;
                        continue;
                    }
                }
            }
            depth += 1;
            out.push(c);
            // `[^` negates and `[]` / `[^]` start with a literal `]`.
            if chars.get(i + 1) == Some(&'^') {
                out.push('^');
                i += 1;
            }
            if chars.get(i + 1) == Some(&']') {
                out.push(']');
                i += 1;
            }
            i += 1;
            continue;
        }
        if c == ']' && depth > 0 {
            depth -= 1;
        }
        out.push(c);
        i += 1;
        if out.len() > MAX_REWRITTEN {
            return None;
        }
    }
    (out.len() <= MAX_REWRITTEN).then(|| out.into())
}

/// An escape only Oniguruma has, named for the error: `\X` (a grapheme cluster), `\y` / `\Y`
/// (grapheme boundaries), `\p{In_…}` (Unicode blocks).
#[cfg(feature = "regex")]
fn oniguruma_only(pattern: &str) -> Option<&'static str> {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            continue;
        }
        match chars.next() {
            Some('X') => return Some("`\\X` (an extended grapheme cluster)"),
            Some('y' | 'Y') => return Some("`\\y` / `\\Y` (grapheme cluster boundaries)"),
            Some('p' | 'P') if chars.peek() == Some(&'{') => {
                // At most the first characters of the name: linear over many unclosed `\p{`.
                let name: String = chars.clone().skip(1).take(MAX_PROPERTY_NAME).take_while(|&c| c != '}').collect();
                if name.trim_start_matches('^').get(..3).is_some_and(|p| p.eq_ignore_ascii_case("in_")) {
                    return Some("a Unicode block name (`\\p{In_…}`)");
                }
            }
            _ => {}
        }
    }
    None
}

/// In a pattern with case-insensitive matching (`(?i)`, `(?i:`, `(?mi)`, …), a literal that
/// Oniguruma also matches through a multi-character case fold ([`super::oniguruma_classes::MULTI_CHAR_FOLDS`]):
/// a char that folds to several (`ß`) anywhere, or their fold (`ss`, any case) within one run of
/// literal chars outside classes. Conservative: the flag's scope is not followed, so a `(?i)`
/// anywhere makes the whole pattern checked. `None` when there is none.
#[cfg(feature = "regex")]
fn multi_char_fold(pattern: &str) -> Option<String> {
    use super::oniguruma_classes::MULTI_CHAR_FOLDS;
    let flags_i = pattern.match_indices("(?").any(|(at, _)| {
        let flags: String = pattern[at + 2..].chars().take_while(|c| c.is_ascii_alphabetic() || *c == '-').collect();
        flags.split('-').next().is_some_and(|on| on.contains('i'))
    });
    if !flags_i {
        return None;
    }
    if let Some(&(c, _)) = MULTI_CHAR_FOLDS.iter().find(|(c, _)| pattern.contains(*c)) {
        return Some(format!("{c:?}"));
    }
    // Runs of literal chars outside classes (`\xHH`, `\x{H…}` and `\uHHHH` read as their char),
    // each char case-folded as upper then lower case (`ſ` → `s`, `ß` → `ss`).
    let fold = |run: &mut Vec<String>, c: char| run.last_mut().into_iter().for_each(|r| r.extend(c.to_uppercase().flat_map(char::to_lowercase)));
    let mut runs: Vec<String> = vec![String::new()];
    let mut depth = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('x' | 'u') if depth == 0 => {
                    let braced = chars.peek() == Some(&'{');
                    if braced {
                        chars.next();
                    }
                    let digits: String = std::iter::from_fn(|| chars.next_if(char::is_ascii_hexdigit)).take(if braced { 8 } else { 4 }).collect();
                    if braced {
                        chars.next_if_eq(&'}');
                    }
                    match u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32) {
                        Some(escaped) => fold(&mut runs, escaped),
                        None => runs.push(String::new()),
                    }
                }
                _ => runs.push(String::new()),
            },
            '[' => {
                depth += 1;
                runs.push(String::new());
            }
            ']' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            '(' | ')' | '|' | '*' | '+' | '?' | '{' | '}' | '.' | '^' | '$' => runs.push(String::new()),
            _ => fold(&mut runs, c),
        }
    }
    MULTI_CHAR_FOLDS.iter().find_map(|(_, fold)| runs.iter().any(|run| run.contains(fold)).then(|| format!("{fold:?}")))
}

/// The scalar values (surrogates excluded) not in `set` (sorted, disjoint inclusive ranges).
#[cfg(feature = "regex")]
fn complement(set: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut next = 0u32;
    for &(a, b) in set.iter().chain([(0xD800, 0xDFFF), (0x11_0000, 0x11_0000)].iter()).collect::<std::collections::BTreeSet<_>>() {
        if a > next {
            out.push((next, a - 1));
        }
        next = next.max(b + 1);
    }
    out
}

/// Replaces each `^` anchor (unescaped, outside a character class) by Oniguruma's meaning.
#[cfg(feature = "regex")]
fn rewrite_caret(pattern: &str) -> std::borrow::Cow<'_, str> {
    if !pattern.contains('^') {
        return pattern.into();
    }
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
                // `[^` negates and `[]` / `[^]` start with a literal `]`.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().unwrap_or(']'));
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            '^' if class_depth == 0 => out.push_str(r"(?:\A|^(?!\z))"),
            _ => out.push(c),
        }
    }
    out.into()
}

#[cfg(all(test, feature = "regex"))]
mod tests {
    use super::*;

    #[test]
    fn caret_is_rewritten_only_as_an_anchor() {
        assert_eq!(rewrite_caret(r"^a|[^b]|\^|[x^]|[]^]"), r"(?:\A|^(?!\z))a|[^b]|\^|[x^]|[]^]");
        assert_eq!(rewrite_caret("a+"), "a+");
    }

    #[test]
    fn classes_are_spelled_out_only_where_oniguruma_means_them() {
        // An escaped backslash before `w`, and a POSIX name outside a class, are literals.
        let rewrite = |p: &str| rewrite_classes(p).unwrap().into_owned();
        assert_eq!(rewrite(r"\\w [:alpha:]"), r"\\w [:alpha:]");
        // Other properties are fancy-regex's to read; Oniguruma's `\p{^X}` becomes `\P{X}`.
        assert_eq!(rewrite(r"\p{^L}\P{^N}\P{N}"), r"\P{L}\p{N}\P{N}");
        let alpha = rewrite("[[:alpha:]]");
        assert!(alpha.starts_with(r"[[\x{41}-\x{5A}\x{61}-\x{7A}") && alpha.ends_with("]]") && !alpha.contains(':'), "{alpha}");
        // A negated bracket is its complement over the scalar values, surrogates left out.
        let not_alpha = rewrite("[[:^alpha:]]");
        assert!(not_alpha.starts_with(r"[[\x{0}-\x{40}") && not_alpha.contains(r"-\x{D7FF}\x{E000}") && not_alpha.ends_with(r"-\x{10FFFF}]]"), "{not_alpha}");
        // A set inside a class is a nested class: a `-` before it stays a literal.
        assert!(rewrite(r"[!-\w]").starts_with(r"[!-[\x{30}-\x{39}"));
        assert_eq!(rewrite(r"\p{word}"), rewrite(r"\w"));
        // Thousands of `\b` would be gigabytes spelled out: refused instead.
        assert!(rewrite_classes(&r"\b".repeat(20_000)).is_none());
        assert_eq!(complement(&[(0, 0x40), (0x10_FFFF, 0x10_FFFF)]), vec![(0x41, 0xD7FF), (0xE000, 0x10_FFFE)]);
    }

    #[test]
    fn oniguruma_only_escapes_are_named() {
        assert!(oniguruma_only(r"\X+").is_some_and(|c| c.contains("grapheme")));
        assert!(oniguruma_only(r"\p{In_CJK_Unified_Ideographs}").is_some_and(|c| c.contains("block")));
        assert!(oniguruma_only(r"\p{^in_basic_latin}").is_some());
        for pattern in [r"\\X", r"\p{Inherited}", r"\p{Inscriptional_Pahlavi}", r"\p{Initial_Punctuation}", r"\p{L}\x{58}", "X"] {
            assert_eq!(oniguruma_only(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn multi_char_folds_are_refused_only_under_case_insensitivity() {
        // From the pattern golden: PyPI tokenizers matches `(?i)ss` on "ß" and `(?i)ﬁ` on "FI".
        for pattern in ["(?i)ss", "(?i)ß", "(?i)ﬁ", "(?mi)x|SS", "(?i:a)Fi", r"(?i)\x{73}\x{73}", r"(?i)s\x73", "(?i)ſs"] {
            assert!(multi_char_fold(pattern).is_some(), "{pattern}");
        }
        // No flag, the flag turned off, a fold split by an escape or only in a class, and the
        // contractions of cl100k-style patterns: compiled as they are.
        for pattern in ["ss", "(?-i)ss", r"(?i)s\s", "(?i)[st]", r"(?i:'s|'t|'re|'ve|'m|'ll|'d)"] {
            assert_eq!(multi_char_fold(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn caret_matches_as_oniguruma() {
        // Starts of `^` matches, as PyPI tokenizers 0.23.3 reports them through
        // `Split(Regex("^"), "isolated")`: none after the final newline.
        let re = compile("test", "^").unwrap();
        let starts = |t: &str| re.find_iter(t).map(|m| m.unwrap().0).collect::<Vec<_>>();
        assert_eq!(starts("a\nb\n"), vec![0, 2]);
        assert_eq!(starts("x\n\n"), vec![0, 2]);
        assert_eq!(starts("\n"), vec![0]);
    }
}
