//! Decoder stage: token strings back to text.
//!
//! Reproduces every decoder of the reference (decoders/*.rs, plus the decoding side of the
//! `ByteLevel` and `Metaspace` pre-tokenizers and of the `Replace` normalizer). As there, each
//! decoder maps the list of token strings to a new list (`decode_chain`), a `Sequence` feeds each
//! decoder's output to the next, and `decode` concatenates the final list. The list matters:
//! several decoders treat the first or the last element differently (`Metaspace`, `WordPiece`,
//! `BPEDecoder`), and `Strip` works per element, so `Fuse` before `Strip` changes the result.
//! Without a decoder the reference joins tokens with spaces (done by the tokenizer).

use crate::text::byte_level;
use crate::error::{Error, ErrorKind, Result};
use crate::format::read::{RawDecoder, RawPattern};
use crate::format::regex_dialect::Regex;

const STAGE: &str = "decoder";

/// One validated decoder; the variants are named after the `type` of `tokenizer.json`.
#[derive(Debug)]
pub(crate) enum Decoder {
    /// GPT-2 alphabet back to bytes over the whole list, then lossy UTF-8: one string.
    ByteLevel,
    /// `replacement` becomes a space, except in the first token where it is removed (every
    /// occurrence, not only a leading one) unless `prepend_scheme` is `never`.
    Metaspace { replacement: char, drop_in_first: bool },
    /// A token starting with `prefix` is glued to the previous one, any other gets a space in
    /// front (never the first token); `cleanup` then undoes BERT's spaces before punctuation.
    WordPiece { prefix: String, cleanup: bool },
    /// `BPEDecoder`: `suffix` becomes a space, or nothing in the last token.
    Bpe { suffix: String },
    /// Runs of `<0xNN>` tokens become the UTF-8 text they spell.
    ByteFallback,
    /// The whole list becomes one string.
    Fuse,
    /// Removes up to `start` leading and `stop` trailing `content` chars from each token.
    Strip { content: char, start: usize, stop: usize },
    /// Replaces each match of `pattern` in each token with `content`.
    Replace { pattern: ReplacePattern, content: String },
    /// Connectionist temporal classification output: repeats collapsed, padding removed.
    Ctc { pad_token: String, word_delimiter_token: String, cleanup: bool },
    /// Each decoder's output list is the next one's input.
    Sequence(Vec<Decoder>),
}

/// The `pattern` of a `Replace` decoder.
#[derive(Debug)]
pub(crate) enum ReplacePattern {
    /// `{"String": ...}`: the reference escapes it into a regex, which matches exactly what a
    /// literal search does (leftmost, non-overlapping; the empty string matches between chars).
    Literal(String),
    /// `{"Regex": ...}`, Oniguruma syntax in the reference: run on fancy-regex with `(?m)` as the
    /// pre-tokenizer does (Ruby's `^`/`$` are line anchors).
    Regex(Box<Regex>),
}

/// A required field, or a JSON error naming it: the reference has no default for most decoder
/// fields, and refuses the file when one is missing.
fn required<'a, T>(value: &'a Option<T>, kind: &str, field: &str) -> Result<&'a T> {
    value.as_ref().ok_or_else(|| Error::new(ErrorKind::Json, format!("{STAGE}: `{kind}` is missing field `{field}`")))
}

/// A field the reference types as `char`: a string of exactly one char.
fn one_char(value: &Option<String>, kind: &str, field: &str) -> Result<char> {
    let s = required(value, kind, field)?;
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(Error::new(ErrorKind::Json, format!("{STAGE}: `{kind}` field `{field}` must be one char, not {s:?}"))),
    }
}

/// The type of a decoder written without `type` (old files). The reference tries its types in a
/// fixed order and keeps the first that deserializes; `ByteLevel`, `Metaspace`, `Sequence`, `Fuse`
/// and `ByteFallback` need `type`, so only these five can match, on their required fields.
fn legacy_kind(raw: &RawDecoder) -> Option<&'static str> {
    Some(if raw.suffix.is_some() {
        "BPEDecoder"
    } else if raw.prefix.is_some() && raw.cleanup.is_some() {
        "WordPiece"
    } else if raw.pad_token.is_some() && raw.word_delimiter_token.is_some() && raw.cleanup.is_some() {
        "CTC"
    } else if raw.pattern.is_some() && raw.content.is_some() {
        "Replace"
    } else if raw.content.is_some() && raw.start.is_some() && raw.stop.is_some() {
        "Strip"
    } else {
        return None;
    })
}

impl Decoder {
    /// Validates a raw decoder. Errors: [`ErrorKind::Json`] for a missing required field or a
    /// `char` field that is not one char; `Unsupported` for an unknown `type` or
    /// `prepend_scheme`; `InvalidComponent` for a regex that does not compile, or a Metaspace
    /// whose legacy `add_prefix_space: false` contradicts its `prepend_scheme`.
    pub fn from_raw(raw: &RawDecoder) -> Result<Self> {
        let kind = match raw.kind.as_deref() {
            Some(kind) => kind,
            None => legacy_kind(raw)
                .ok_or_else(|| Error::new(ErrorKind::Json, format!("{STAGE}: no `type`, and the fields match no decoder")))?,
        };
        Ok(match kind {
            "ByteLevel" => {
                // Encoding options with no effect here, but the reference requires them.
                required(&raw.add_prefix_space, kind, "add_prefix_space")?;
                required(&raw.trim_offsets, kind, "trim_offsets")?;
                Decoder::ByteLevel
            }
            "Metaspace" => {
                let replacement = one_char(&raw.replacement, kind, "replacement")?;
                let scheme = raw.prepend_scheme.as_deref().unwrap_or("always");
                if !matches!(scheme, "always" | "first" | "never") {
                    return Err(Error::unsupported(STAGE, format!("Metaspace prepend_scheme `{scheme}`")));
                }
                if raw.add_prefix_space == Some(false) && scheme != "never" {
                    return Err(Error::invalid(STAGE, format!("Metaspace `add_prefix_space` false contradicts `prepend_scheme` {scheme:?}")));
                }
                Decoder::Metaspace { replacement, drop_in_first: scheme != "never" }
            }
            "WordPiece" => Decoder::WordPiece {
                prefix: required(&raw.prefix, kind, "prefix")?.clone(),
                cleanup: *required(&raw.cleanup, kind, "cleanup")?,
            },
            "BPEDecoder" => Decoder::Bpe { suffix: required(&raw.suffix, kind, "suffix")?.clone() },
            "ByteFallback" => Decoder::ByteFallback,
            "Fuse" => Decoder::Fuse,
            "Strip" => Decoder::Strip {
                content: one_char(&raw.content, kind, "content")?,
                start: *required(&raw.start, kind, "start")?,
                stop: *required(&raw.stop, kind, "stop")?,
            },
            "Replace" => {
                let pattern = match required(&raw.pattern, kind, "pattern")? {
                    RawPattern::String(s) => ReplacePattern::Literal(s.clone()),
                    RawPattern::Regex(r) => ReplacePattern::Regex(Box::new(crate::format::regex_dialect::compile(STAGE, r)?)),
                };
                Decoder::Replace { pattern, content: required(&raw.content, kind, "content")?.clone() }
            }
            "CTC" => Decoder::Ctc {
                pad_token: required(&raw.pad_token, kind, "pad_token")?.clone(),
                word_delimiter_token: required(&raw.word_delimiter_token, kind, "word_delimiter_token")?.clone(),
                cleanup: *required(&raw.cleanup, kind, "cleanup")?,
            },
            "Sequence" => Decoder::Sequence(
                required(&raw.decoders, kind, "decoders")?.iter().map(Decoder::from_raw).collect::<Result<_>>()?,
            ),
            other => return Err(Error::unsupported(STAGE, format!("type `{other}`"))),
        })
    }

    /// True when this decoder maps the GPT-2 byte alphabet back to bytes.
    pub fn is_byte_level(&self) -> bool {
        match self {
            Decoder::ByteLevel => true,
            Decoder::Sequence(items) => items.iter().any(Decoder::is_byte_level),
            _ => false,
        }
    }

    /// The reference `decode_chain`: token strings in, strings out (not necessarily one per token).
    fn decode_chain(&self, tokens: Vec<String>) -> Result<Vec<String>> {
        Ok(match self {
            Decoder::ByteLevel => {
                let bytes: Vec<u8> = tokens.iter().flat_map(|t| byte_level::token_bytes(t)).collect();
                vec![String::from_utf8_lossy(&bytes).into_owned()]
            }
            Decoder::Metaspace { replacement, drop_in_first } => tokens
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    if i == 0 && *drop_in_first {
                        t.chars().filter(|c| c != replacement).collect()
                    } else {
                        t.replace(*replacement, " ")
                    }
                })
                .collect(),
            Decoder::WordPiece { prefix, cleanup } => tokens
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let t = if i == 0 {
                        t
                    } else if let Some(rest) = t.strip_prefix(prefix.as_str()) {
                        rest.to_owned()
                    } else {
                        format!(" {t}")
                    };
                    if *cleanup {
                        cleanup_spaces(&t)
                    } else {
                        t
                    }
                })
                .collect(),
            Decoder::Bpe { suffix } => {
                let last = tokens.len().saturating_sub(1);
                tokens.into_iter().enumerate().map(|(i, t)| t.replace(suffix.as_str(), if i == last { "" } else { " " })).collect()
            }
            Decoder::ByteFallback => {
                let mut out = Vec::with_capacity(tokens.len());
                let mut run = Vec::new();
                for token in tokens {
                    match byte_level::fallback_byte(&token) {
                        Some(b) => run.push(b),
                        None => {
                            flush_byte_run(&mut run, &mut out);
                            out.push(token);
                        }
                    }
                }
                flush_byte_run(&mut run, &mut out);
                out
            }
            Decoder::Fuse => vec![tokens.concat()],
            Decoder::Strip { content, start, stop } => tokens.iter().map(|t| strip(t, *content, *start, *stop)).collect(),
            Decoder::Replace { pattern, content } => {
                tokens.into_iter().map(|t| replace(t, pattern, content)).collect::<Result<_>>()?
            }
            Decoder::Ctc { pad_token, word_delimiter_token, cleanup } => {
                let mut out = Vec::with_capacity(tokens.len());
                for (i, token) in tokens.iter().enumerate() {
                    // Repeats are collapsed before the padding goes: `a <pad> a` keeps both `a`.
                    if i > 0 && tokens[i - 1] == *token {
                        continue;
                    }
                    let mut t = token.replace(pad_token.as_str(), "");
                    if *cleanup {
                        t = cleanup_spaces(&t).replace(word_delimiter_token.as_str(), " ");
                    }
                    if !t.is_empty() {
                        out.push(t);
                    }
                }
                out
            }
            Decoder::Sequence(items) => {
                let mut tokens = tokens;
                for item in items {
                    tokens = item.decode_chain(tokens)?;
                }
                tokens
            }
        })
    }

    /// The reference `Decoder::decode`: `decode_chain`, then the strings concatenated.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when a `Replace` regex gives up on a token (backtracking limit).
    pub fn decode(&self, tokens: Vec<String>) -> Result<String> {
        Ok(self.decode_chain(tokens)?.concat())
    }
}

/// The reference WordPiece `cleanup`: removes the space BERT's tokenization leaves before
/// punctuation and contractions. The replacements run in this order, each over the whole string.
fn cleanup_spaces(s: &str) -> String {
    const PAIRS: [(&str, &str); 11] = [
        (" .", "."),
        (" ?", "?"),
        (" !", "!"),
        (" ,", ","),
        (" ' ", "'"),
        (" n't", "n't"),
        (" 'm", "'m"),
        (" do not", " don't"),
        (" 's", "'s"),
        (" 've", "'ve"),
        (" 're", "'re"),
    ];
    PAIRS.iter().fold(s.to_owned(), |acc, (from, to)| acc.replace(from, to))
}

/// Ends a run of byte-fallback bytes: its text if the run is valid UTF-8, else one U+FFFD per
/// byte of the run (the reference does not salvage a valid part of an invalid run).
fn flush_byte_run(run: &mut Vec<u8>, out: &mut Vec<String>) {
    if run.is_empty() {
        return;
    }
    match String::from_utf8(std::mem::take(run)) {
        Ok(text) => out.push(text),
        Err(e) => out.extend((0..e.as_bytes().len()).map(|_| "\u{FFFD}".to_owned())),
    }
}

/// `Strip` on one token. Where the reference panics (a token made only of `content` with `stop`
/// over its length, or start and stop cuts that cross), the result here is the empty string.
fn strip(token: &str, content: char, start: usize, stop: usize) -> String {
    let width = content.len_utf8();
    let from = token.chars().take(start).take_while(|&c| c == content).count() * width;
    let to = token.len() - token.chars().rev().take(stop).take_while(|&c| c == content).count() * width;
    token.get(from..to.max(from)).unwrap_or_default().to_owned()
}

/// `Replace` on one token.
fn replace(token: String, pattern: &ReplacePattern, content: &str) -> Result<String> {
    // The reference's matcher returns an empty input as one non-match, whatever the pattern.
    if token.is_empty() {
        return Ok(token);
    }
    let re = match pattern {
        ReplacePattern::Literal(s) => return Ok(token.replace(s.as_str(), content)),
        ReplacePattern::Regex(re) => re,
    };
    let mut out = String::with_capacity(token.len());
    let mut last = 0;
    for m in re.find_iter(&token) {
        let (start, end) = m.map_err(|e| Error::new(ErrorKind::Input, format!("{STAGE}: Replace regex gave up on {token:?}: {e}")))?;
        out.push_str(&token[last..start]);
        out.push_str(content);
        last = end;
    }
    out.push_str(&token[last..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LLAMA: &str = r#"{"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
        {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}"#;
    const GEMMA: &str = r#"{"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
        {"type": "ByteFallback"}, {"type": "Fuse"}]}"#;
    const METASPACE: &str = r#"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}"#;
    const WORDPIECE: &str = r###"{"type": "WordPiece", "prefix": "##", "cleanup": true}"###;
    const CTC: &str = r#"{"type": "CTC", "pad_token": "<pad>", "word_delimiter_token": "|", "cleanup": true}"#;
    const BYTE_LEVEL: &str = r#"{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}"#;

    fn parse(json: &str) -> Result<Decoder> {
        Decoder::from_raw(&serde_json::from_str::<RawDecoder>(json).map_err(|e| Error::json(STAGE, e))?)
    }

    fn decode(json: &str, tokens: &[&str]) -> String {
        let decoder = parse(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        decoder.decode(tokens.iter().map(|t| t.to_string()).collect()).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    fn strip(content: char, start: usize, stop: usize) -> String {
        format!(r#"{{"type": "Strip", "content": "{content}", "start": {start}, "stop": {stop}}}"#)
    }

    fn replace(pattern: &str, content: &str) -> String {
        serde_json::json!({"type": "Replace", "pattern": serde_json::from_str::<serde_json::Value>(pattern).unwrap(), "content": content})
            .to_string()
    }

    /// (decoder, tokens, text). Every text is `decoders.X(...).decode(tokens)` of PyPI tokenizers
    /// 0.23.3 for the same settings.
    fn check(cases: &[(&str, &[&str], &str)]) {
        for (json, tokens, expected) in cases {
            assert_eq!(decode(json, tokens), *expected, "{json} on {tokens:?}");
        }
    }

    #[test]
    fn metaspace_first_token_loses_every_replacement() {
        let first = r#"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first"}"#;
        let never = r#"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never"}"#;
        let underscore = r#"{"type": "Metaspace", "replacement": "_"}"#;
        // From PyPI tokenizers 0.23.3.
        check(&[
            (METASPACE, &[], ""),
            (METASPACE, &["▁Hello", "▁wor", "ld"], "Hello world"),
            (METASPACE, &["▁a▁b", "▁c", "d▁"], "ab cd "),
            (METASPACE, &["Hey", "▁▁there"], "Hey  there"),
            (first, &["▁a▁b", "▁c"], "ab c"),
            (never, &["▁a▁b", "▁c"], " a b c"),
            (underscore, &["_a", "_b▁c"], "a b▁c"),
        ]);
    }

    #[test]
    fn wordpiece_prefix_and_cleanup() {
        let raw = r###"{"type": "WordPiece", "prefix": "##", "cleanup": false}"###;
        let at = r#"{"type": "WordPiece", "prefix": "@@", "cleanup": true}"#;
        let empty = r#"{"type": "WordPiece", "prefix": "", "cleanup": false}"#;
        // From PyPI tokenizers 0.23.3.
        check(&[
            (WORDPIECE, &[], ""),
            (WORDPIECE, &["##uelo", "Ara", "##új", "##o", "No", "##guera"], "##uelo Araújo Noguera"),
            (
                WORDPIECE,
                &["I", "do", "not", "like", "it", ".", "He", "'", "s", "n", "'", "t", "?", "!", ","],
                "I do not like it. He ' s n ' t?!,",
            ),
            (
                WORDPIECE,
                &["don", "'", "t", "we", "'", "re", "you", "'", "ve", "i", "'", "m", "it", "'", "s"],
                "don ' t we ' re you ' ve i ' m it ' s",
            ),
            (WORDPIECE, &["x do not", "y"], "x don't y"),
            (raw, &["##a", "b", ".", "##c"], "##a b .c"),
            (at, &["a", "@@b", "##c", "?"], "ab ##c?"),
            (empty, &["a", "b"], "ab"),
        ]);
    }

    #[test]
    fn bpe_suffix_is_a_space_except_in_the_last_token() {
        let bpe = r#"{"type": "BPEDecoder", "suffix": "</w>"}"#;
        let empty = r#"{"type": "BPEDecoder", "suffix": ""}"#;
        // From PyPI tokenizers 0.23.3.
        check(&[
            (bpe, &[], ""),
            (bpe, &["hel", "lo</w>", "wor", "ld</w>"], "hello world"),
            (bpe, &["a</w>b</w>", "c</w>"], "a b c"),
            (empty, &["a", "b"], " a b"),
        ]);
    }

    #[test]
    fn byte_fallback_runs_and_invalid_bytes() {
        let bf = r#"{"type": "ByteFallback"}"#;
        // From PyPI tokenizers 0.23.3: an invalid run gives one U+FFFD per byte, including the
        // bytes of a valid character inside it; `<0x+A>` is 0x0A (Rust's from_str_radix).
        check(&[
            (bf, &[], ""),
            (bf, &["Hey", "<0x61>", "<0xE5>", "<0x8f>", "<0xab>", "a"], "Heya叫a"),
            (bf, &["<0xE5>", "<0x8f>", "a", "<0xE5>"], "\u{FFFD}\u{FFFD}a\u{FFFD}"),
            (bf, &["<0xE5>", "<0x8F>", "<0xAB>", "<0xE5>"], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
            (bf, &["<0x+A>", "<0x0g>", "<0x4>", "<0x41>", "<0x4142>", "<0XAB>"], "\n<0x0g><0x4>A<0x4142><0XAB>"),
            (bf, &["<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "<0xF0>", "<0x9F>"], &"\u{FFFD}".repeat(6)),
        ]);
    }

    #[test]
    fn fuse_and_strip() {
        let fuse = r#"{"type": "Fuse"}"#;
        let strip_then_fuse = format!(r#"{{"type": "Sequence", "decoders": [{}, {fuse}]}}"#, strip(' ', 1, 0));
        let fuse_then_strip = format!(r#"{{"type": "Sequence", "decoders": [{fuse}, {}]}}"#, strip(' ', 1, 0));
        // From PyPI tokenizers 0.23.3.
        check(&[
            (fuse, &[], ""),
            (fuse, &["Hey", " friend!", ""], "Hey friend!"),
            (&strip(' ', 1, 0), &[], ""),
            (&strip(' ', 1, 0), &[" Hey", "  two", "none", " ", ""], "Hey twonone"),
            (&strip('H', 1, 0), &["Hey", " friend!", "HHH"], "ey friend!HH"),
            (&strip('y', 0, 1), &["Hey", " friend!"], "He friend!"),
            (&strip(' ', 5, 5), &["  a  ", " b", "c "], "abc"),
            (&strip('é', 2, 1), &["ééxéé", "éaé"], "xéa"),
            (&strip_then_fuse, &[" a", " b"], "ab"),
            (&fuse_then_strip, &[" a", " b"], "a b"),
        ]);
    }

    #[test]
    fn strip_where_the_reference_panics_gives_empty() {
        // PyPI tokenizers 0.23.3 raises PanicException on these three (index out of bounds,
        // slice 2..1); we return the empty string, the text with every stripped char removed.
        assert_eq!(decode(&strip(' ', 0, 3), &["  "]), "");
        assert_eq!(decode(&strip(' ', 0, 1), &[""]), "");
        assert_eq!(decode(&strip(' ', 2, 2), &["   ", "x"]), "x");
    }

    #[test]
    fn replace_string_and_regex() {
        // From PyPI tokenizers 0.23.3 (`Regex` patterns via tokenizers.Regex).
        check(&[
            (&replace(r#"{"String": "▁"}"#, " "), &[], ""),
            (&replace(r#"{"String": "▁"}"#, " "), &["▁Hello", "▁▁", "", "x"], " Hello  x"),
            (&replace(r#"{"String": "a.c"}"#, "X"), &["abc a.c"], "abc X"),
            (&replace(r#"{"String": "~#-&"}"#, "!"), &["~#-&~#-&"], "!!"),
            (&replace(r#"{"String": ""}"#, "X"), &["ab", ""], "XaXbX"),
            (&replace(r#"{"Regex": "\\s+"}"#, " "), &["a \t b", "  "], "a b "),
            (&replace(r#"{"Regex": "a*"}"#, "-"), &["baac", ""], "-b-c-"),
            (&replace(r#"{"Regex": "^x"}"#, "Y"), &["xax\nxb"], "Yax\nYb"),
            (&replace(r#"{"Regex": "b$"}"#, "Y"), &["ab\nab"], "aY\naY"),
        ]);
    }

    #[test]
    fn ctc_collapses_repeats_then_drops_padding() {
        let raw = r#"{"type": "CTC", "pad_token": "<pad>", "word_delimiter_token": "|", "cleanup": false}"#;
        let hello: Vec<&str> =
            "<pad> <pad> h e e l l <pad> l o o o <pad> <pad> | <pad> w o o o r <pad> <pad> l l d <pad> <pad> <pad> <pad>".split(' ').collect();
        // From PyPI tokenizers 0.23.3.
        check(&[
            (CTC, &[], ""),
            (CTC, &hello, "hello world"),
            (CTC, &["a", "<pad>", "a", "|", "|", "b", "'", "s", "x<pad>y"], "aa b'sxy"),
            (raw, &["a", "a", "|", "<pad>", "b", " ."], "a|b ."),
            (CTC, &["a", " .", " 's", "q|q"], "a.'sq q"),
        ]);
    }

    #[test]
    fn byte_level() {
        // From PyPI tokenizers 0.23.3: a token outside the alphabet is its own UTF-8; the bytes of
        // the whole list are decoded at once, lossily.
        check(&[
            (BYTE_LEVEL, &[], ""),
            (BYTE_LEVEL, &["Hello", "Ġworld", "<|endoftext|>", "Ċ", "Ã©", "é"], "Hello world<|endoftext|>\né\u{FFFD}"),
            (BYTE_LEVEL, &["ðŁ", "ĺ"], "\u{FFFD}"),
        ]);
    }

    #[test]
    fn sequences_keep_the_token_list() {
        let seq = |items: &[&str]| format!(r#"{{"type": "Sequence", "decoders": [{}]}}"#, items.join(", "));
        let bf = r#"{"type": "ByteFallback"}"#;
        let fuse = r#"{"type": "Fuse"}"#;
        let bpe = r#"{"type": "BPEDecoder", "suffix": "</w>"}"#;
        let wp_raw = r###"{"type": "WordPiece", "prefix": "##", "cleanup": false}"###;
        // From PyPI tokenizers 0.23.3.
        check(&[
            (LLAMA, &[], ""),
            (LLAMA, &["▁Hello", "▁world", "<0xE5>", "<0x8F>", "<0xAB>", "!"], "Hello world叫!"),
            (LLAMA, &["▁▁two", "<0xE5>", "<0x8F>", "▁x"], " two\u{FFFD}\u{FFFD} x"),
            (LLAMA, &["<s>", "▁Hi"], "<s> Hi"),
            (GEMMA, &["▁Hello", "<0xF0>", "<0x9F>", "▁x"], " Hello\u{FFFD}\u{FFFD} x"),
            (&seq(&[CTC, METASPACE]), &["▁", "▁", "H", "H", "i", "i", "▁", "y", "o", "u"], "Hi you"),
            (&seq(&[bf, METASPACE]), &["<0xE5>", "▁a", "▁b"], "\u{FFFD} a b"),
            (&seq(&[bf, METASPACE]), &["<0x61>", "<0x62>", "▁c"], "ab c"),
            (&seq(&[fuse, METASPACE]), &["▁a", "▁b"], "ab"),
            (&seq(&[fuse, bpe]), &["a</w>", "b</w>"], "ab"),
            (&seq(&[CTC, WORDPIECE]), &["##a", "##a", "<pad>", "##b", "c"], "##ab c"),
            (&seq(&[bf, wp_raw]), &["<0xE5>", "<0x8F>", "##x", "y"], "\u{FFFD} \u{FFFD}x y"),
            (&seq(&[]), &["a", "b"], "ab"),
        ]);
    }

    #[test]
    fn fields_required_as_in_the_reference() {
        // Accepted / refused by `Tokenizer.from_str` of PyPI tokenizers 0.23.3.
        let accepted = [
            r#"{"type": "ByteFallback"}"#,
            r#"{"type": "Fuse", "x": 1}"#,
            r#"{"type": "Metaspace", "replacement": "▁"}"#,
            r#"{"type": "Metaspace", "replacement": "▁", "add_prefix_space": true}"#,
            r#"{"type": "Metaspace", "replacement": "▁", "add_prefix_space": false, "prepend_scheme": "never"}"#,
            r#"{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true}"#,
            r#"{"type": "Sequence", "decoders": []}"#,
            r#"{"suffix": "</w>"}"#,
            r###"{"prefix": "##", "cleanup": true}"###,
        ];
        for json in accepted {
            assert!(parse(json).is_ok(), "{json}: {:?}", parse(json));
        }
        let refused = [
            (r#"{"type": "WordPiece"}"#, ErrorKind::Json),
            (r###"{"type": "WordPiece", "prefix": "##"}"###, ErrorKind::Json),
            (r#"{"type": "BPEDecoder"}"#, ErrorKind::Json),
            (r#"{"type": "Strip"}"#, ErrorKind::Json),
            (r#"{"type": "Strip", "content": "ab", "start": 1, "stop": 0}"#, ErrorKind::Json),
            (r#"{"type": "Strip", "content": " ", "start": 1}"#, ErrorKind::Json),
            (r#"{"type": "CTC"}"#, ErrorKind::Json),
            (r#"{"type": "Metaspace"}"#, ErrorKind::Json),
            (r#"{"type": "Metaspace", "replacement": "ab"}"#, ErrorKind::Json),
            (r#"{"type": "Metaspace", "replacement": "▁", "add_prefix_space": false}"#, ErrorKind::InvalidComponent),
            (r#"{"type": "Metaspace", "replacement": "▁", "add_prefix_space": false, "prepend_scheme": "first"}"#, ErrorKind::InvalidComponent),
            (r#"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "First"}"#, ErrorKind::Unsupported),
            (r#"{"type": "ByteLevel"}"#, ErrorKind::Json),
            (r#"{"type": "Replace", "pattern": {"Regex": "("}, "content": " "}"#, ErrorKind::InvalidComponent),
            (r#"{"type": "Replace", "pattern": {"String": "▁"}}"#, ErrorKind::Json),
            (r#"{"type": "Replace", "content": " "}"#, ErrorKind::Json),
            (r#"{"type": "Sequence"}"#, ErrorKind::Json),
            (r#"{"type": "Bogus"}"#, ErrorKind::Unsupported),
            (r#"{"replacement": "▁", "prepend_scheme": "always"}"#, ErrorKind::Json),
            (r#"{}"#, ErrorKind::Json),
        ];
        for (json, kind) in refused {
            let err = parse(json).expect_err(json);
            assert_eq!(err.kind(), kind, "{json}: {err}");
        }
        // Legacy decoders without `type` decode as the type the reference infers.
        // From PyPI tokenizers 0.23.3.
        assert_eq!(decode(r#"{"suffix": "</w>"}"#, &["hel", "lo</w>", "x</w>"]), "hello x");
        assert_eq!(decode(r###"{"prefix": "##", "cleanup": true}"###, &["a", "##b", "."]), "ab.");
    }

    #[test]
    fn byte_level_detection() {
        assert!(parse(BYTE_LEVEL).unwrap().is_byte_level());
        assert!(parse(&format!(r#"{{"type": "Sequence", "decoders": [{{"type": "Fuse"}}, {BYTE_LEVEL}]}}"#)).unwrap().is_byte_level());
        assert!(!parse(LLAMA).unwrap().is_byte_level());
    }
}
