//! Normalizer stage: rewrites text before pre-tokenization while keeping the alignment to the
//! original text (see [`crate::text::offsets`]).
//!
//! Each normalizer reproduces the reference (`tokenizers/src/normalizers/*.rs` and the
//! `NormalizedString` methods they call) down to the `(char, change)` streams it hands to
//! `transform`, because those streams decide which original span each normalized char gets and
//! so the tokens' offsets. A normalizer that would not change the text returns early without
//! building an alignment table: the reference's result is then the identity too.
//!
//! Unicode forms use `unicode-normalization-alignments`, the crate the reference `tokenizers` uses:
//! it reports how each output char relates to the input chars, and its Unicode tables (9.0) are the
//! reference's, so ids and offsets agree with it even where newer Unicode versions differ. Likewise
//! `BertNormalizer` uses `unicode_categories` and `Precompiled` uses `unicode-segmentation` 1.13,
//! the reference's versions. `Lowercase` and whitespace tests use Rust's `char` methods, as the
//! reference does, so they follow the Unicode version of the compiler.

mod precompiled;
mod unicode_tables;

use crate::text::byte_level::BYTE_TO_CHAR;
use crate::error::{Error, ErrorKind, Result};
use crate::text::offsets::NormalizedText;
use precompiled::Precompiled;
use crate::format::read::{RawNormalizer, RawPattern};
use std::sync::Arc;
use unicode_tables::{is_combining_mark, is_mark_nonspacing, is_other, require, Form};

/// One validated normalizer component; variants are the `type`s of `tokenizer.json`.
#[derive(Debug, Clone)]
pub(crate) enum Normalizer {
    Nfc,
    Nfd,
    Nfkc,
    Nfkd,
    Lowercase,
    /// `Strip`: removes leading (`strip_left`) / trailing (`strip_right`) whitespace.
    Strip { left: bool, right: bool },
    StripAccents,
    /// `Nmt`: drops some control chars and maps other spaces to `' '`.
    Nmt,
    /// `Replace`: every match of `pattern` becomes `content`.
    Replace { pattern: Pattern, content: String },
    /// `Prepend`: `prepend` is put before non-empty text.
    Prepend(String),
    /// `BertNormalizer`; `strip_accents` already resolved (`null` follows `lowercase`).
    Bert { clean_text: bool, handle_chinese_chars: bool, strip_accents: bool, lowercase: bool },
    Precompiled(Arc<Precompiled>),
    /// `ByteLevel`: each byte becomes its GPT-2 alphabet char.
    ByteLevel,
    /// `MetaspaceNormalizer` (the 1.0 form of a `Metaspace` pre-tokenizer): each ' ' becomes
    /// `replacement`, which is also put first per `prepend`; with `drop_whitespace`, whitespace
    /// runs are dropped instead and each word gets the prefix.
    Metaspace { replacement: char, prepend: MetaspacePrepend, drop_whitespace: bool },
    Sequence(Vec<Normalizer>),
}

/// When `MetaspaceNormalizer` puts its replacement first: always, never, or only on text that
/// starts the input (`"first"`: not after an added token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetaspacePrepend {
    Always,
    First,
    Never,
}

/// What a `Replace` normalizer looks for.
#[derive(Debug, Clone)]
pub(crate) enum Pattern {
    /// `{"String": ..}`: the literal text (the reference escapes it into a regex; an empty string
    /// matches at every char boundary).
    Literal(String),
    /// `{"Regex": ..}`: Oniguruma in the reference, fancy-regex here.
    Regex(crate::format::regex_dialect::Regex),
}

impl Normalizer {
    /// Validates a raw `normalizer` object; unknown `type`s are [`crate::ErrorKind::Unsupported`],
    /// missing fields (the reference has no defaults for them) are invalid.
    pub fn from_raw(raw: &RawNormalizer) -> Result<Self> {
        let kind = raw.kind.as_str();
        let need = |value: Option<bool>, field: &str| {
            value.ok_or_else(|| Error::invalid("normalizer", format!("{kind} without `{field}`")))
        };
        Ok(match kind {
            "NFC" | "NFD" | "NFKC" | "NFKD" | "StripAccents" => {
                require(&format!("`{kind}`"))?;
                match kind {
                    "NFC" => Normalizer::Nfc,
                    "NFD" => Normalizer::Nfd,
                    "NFKC" => Normalizer::Nfkc,
                    "NFKD" => Normalizer::Nfkd,
                    _ => Normalizer::StripAccents,
                }
            }
            "Lowercase" => Normalizer::Lowercase,
            "Nmt" => Normalizer::Nmt,
            "ByteLevel" => Normalizer::ByteLevel,
            "Strip" => Normalizer::Strip { left: need(raw.strip_left, "strip_left")?, right: need(raw.strip_right, "strip_right")? },
            "BertNormalizer" => {
                let lowercase = need(raw.lowercase, "lowercase")?;
                let (clean_text, strip_accents) = (need(raw.clean_text, "clean_text")?, raw.strip_accents.unwrap_or(lowercase));
                if clean_text || strip_accents {
                    require("`BertNormalizer` with `clean_text` or `strip_accents`")?;
                }
                Normalizer::Bert {
                    clean_text,
                    handle_chinese_chars: need(raw.handle_chinese_chars, "handle_chinese_chars")?,
                    strip_accents,
                    lowercase,
                }
            }
            "Replace" => {
                let content = raw.content.clone().ok_or_else(|| Error::invalid("normalizer", "Replace without `content`"))?;
                let pattern = match &raw.pattern {
                    Some(RawPattern::String(s)) => Pattern::Literal(s.clone()),
                    Some(RawPattern::Regex(r)) => Pattern::Regex(crate::format::regex_dialect::compile("normalizer", r)?),
                    None => return Err(Error::invalid("normalizer", "Replace without `pattern`")),
                };
                Normalizer::Replace { pattern, content }
            }
            "Prepend" => Normalizer::Prepend(
                raw.prepend.clone().ok_or_else(|| Error::invalid("normalizer", "Prepend without `prepend`"))?,
            ),
            "Precompiled" => {
                let charsmap = raw
                    .precompiled_charsmap
                    .as_deref()
                    .ok_or_else(|| Error::invalid("normalizer", "Precompiled without `precompiled_charsmap`"))?;
                require("`Precompiled`")?;
                Normalizer::Precompiled(Arc::new(Precompiled::from_base64(charsmap)?))
            }
            "MetaspaceNormalizer" => {
                let mut chars = raw.replacement.as_deref().unwrap_or_default().chars();
                let replacement = match (chars.next(), chars.next()) {
                    (Some(c), None) => c,
                    _ => return Err(Error::invalid("normalizer", "MetaspaceNormalizer: `replacement` must be one char")),
                };
                let prepend = match raw.prepend.as_deref() {
                    Some("always") => MetaspacePrepend::Always,
                    Some("first") => MetaspacePrepend::First,
                    Some("never") => MetaspacePrepend::Never,
                    Some(other) => return Err(Error::invalid("normalizer", format!("MetaspaceNormalizer: `prepend` {other:?} is not always, first or never"))),
                    None => return Err(Error::invalid("normalizer", "MetaspaceNormalizer without `prepend`")),
                };
                Normalizer::Metaspace { replacement, prepend, drop_whitespace: need(raw.drop_whitespace, "drop_whitespace")? }
            }
            "Sequence" => Normalizer::Sequence(
                raw.normalizers
                    .as_deref()
                    .ok_or_else(|| Error::invalid("normalizer", "Sequence without `normalizers`"))?
                    .iter()
                    .map(Normalizer::from_raw)
                    .collect::<Result<_>>()?,
            ),
            other => return Err(Error::unsupported("normalizer", format!("type `{other}`"))),
        })
    }

    /// True when the normalizer can never change text (an empty `Sequence`).
    pub fn is_noop(&self) -> bool {
        match self {
            Normalizer::Sequence(items) => items.iter().all(Normalizer::is_noop),
            _ => false,
        }
    }

    /// Normalizes `text` in place. Text the normalizer leaves unchanged keeps its alignment (none
    /// at all on the fast path).
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when a `Replace` regex gives up on the text.
    pub fn normalize(&self, text: &mut NormalizedText<'_>) -> Result<()> {
        match self {
            Normalizer::Nfc => unicode_form(text, Form::C),
            Normalizer::Nfd => unicode_form(text, Form::D),
            Normalizer::Nfkc => unicode_form(text, Form::KC),
            Normalizer::Nfkd => unicode_form(text, Form::KD),
            Normalizer::Lowercase => lowercase(text),
            Normalizer::Strip { left, right } => strip(text, *left, *right),
            Normalizer::StripAccents => filter_map(text, |c| !is_combining_mark(c), |c| c),
            Normalizer::Nmt => filter_map(text, nmt_keeps, nmt_map),
            Normalizer::Replace { pattern, content } => replace(text, pattern, content)?,
            Normalizer::Prepend(prefix) => prepend(text, prefix),
            Normalizer::Bert { clean_text, handle_chinese_chars, strip_accents, lowercase: lower } => {
                if *clean_text {
                    filter_map(text, bert_keeps, |c| if bert_is_whitespace(c) { ' ' } else { c });
                }
                if *handle_chinese_chars {
                    pad_chinese_chars(text);
                }
                if *strip_accents {
                    unicode_form(text, Form::D);
                    filter_map(text, |c| c.is_ascii() || !is_mark_nonspacing(c), |c| c);
                }
                if *lower {
                    lowercase(text);
                }
            }
            Normalizer::Precompiled(charsmap) => precompiled(text, charsmap),
            Normalizer::ByteLevel => byte_level(text),
            Normalizer::Metaspace { replacement, prepend, drop_whitespace } => metaspace(text, *replacement, *prepend, *drop_whitespace),
            Normalizer::Sequence(items) => {
                for n in items {
                    n.normalize(text)?;
                }
            }
        }
        Ok(())
    }
}

/// A Unicode normalization form (NFD is also the first step of `BertNormalizer`'s accent
/// stripping), skipped when the text is already in that form (the reference's stream for such
/// text is then the identity).
fn unicode_form(text: &mut NormalizedText<'_>, form: Form) {
    if let Some(edits) = unicode_tables::normalize(&text.text, form) {
        text.transform(edits);
    }
}

/// Reference `NormalizedString::lowercase`: each char becomes its `to_lowercase()` chars, the
/// first replacing it and the others inserted after it (so `İ` → `i̇` keeps `İ`'s span for both).
fn lowercase(text: &mut NormalizedText<'_>) {
    let changes = |c: char| {
        if c.is_ascii() {
            return c.is_ascii_uppercase();
        }
        let mut lower = c.to_lowercase();
        lower.len() != 1 || lower.next() != Some(c)
    };
    if !text.text.chars().any(changes) {
        return;
    }
    let mut edits = Vec::with_capacity(text.text.len());
    for c in text.text.chars() {
        edits.extend(c.to_lowercase().enumerate().map(|(i, l)| (l, isize::from(i > 0))));
    }
    text.transform(edits);
}

/// Reference `NormalizedString::filter(keep)` followed by `map(map)` (one pass: a map keeps the
/// alignment). Each kept char carries the count of removed chars that follow it; removed chars
/// before the first kept one are the `initial_offset`.
fn filter_map(text: &mut NormalizedText<'_>, keep: impl Fn(char) -> bool, map: impl Fn(char) -> char) {
    if text.text.chars().all(|c| keep(c) && map(c) == c) {
        return;
    }
    // Slot 0 becomes the leading skip once the first kept char is found.
    let mut edits: Vec<(Option<char>, isize)> = vec![(None, 0)];
    let mut removed = 0isize;
    let mut last: Option<char> = None;
    for c in text.text.chars() {
        if !keep(c) {
            removed += 1;
            continue;
        }
        match last {
            Some(prev) => edits.push((Some(map(prev)), -removed)),
            None => edits[0].1 = removed,
        }
        last = Some(c);
        removed = 0;
    }
    if let Some(prev) = last {
        edits.push((Some(map(prev)), -removed));
    }
    text.transform_with_skips(edits);
}

/// Reference `lstrip` / `rstrip` / `strip` (`char::is_whitespace`). Leading whitespace is the
/// `initial_offset`; trailing whitespace is simply not emitted (nothing follows it to shift).
fn strip(text: &mut NormalizedText<'_>, left: bool, right: bool) {
    let leading = if left { text.text.chars().take_while(|c| c.is_whitespace()).count() } else { 0 };
    let trailing = if right { text.text.chars().rev().take_while(|c| c.is_whitespace()).count() } else { 0 };
    if leading == 0 && trailing == 0 {
        return;
    }
    let count = text.text.chars().count();
    let kept = count.saturating_sub(leading + trailing);
    let edits: Vec<_> = std::iter::once((None, leading as isize))
        .chain(text.text.chars().skip(leading).take(kept).map(|c| (Some(c), 0)))
        .collect();
    text.transform_with_skips(edits);
}

/// Reference `NormalizedString::replace`: text outside matches keeps its alignment; each match is
/// dropped and `content` inserted, every content char taking the span of the match's last char
/// (of the char before an empty match; the piece start for an empty match at 0).
fn replace(text: &mut NormalizedText<'_>, pattern: &Pattern, content: &str) -> Result<()> {
    if text.text.is_empty() {
        return Ok(());
    }
    let mut matches: Vec<(usize, usize)> = Vec::new();
    match pattern {
        Pattern::Literal(literal) => {
            matches.extend(text.text.match_indices(literal.as_str()).map(|(start, m)| (start, start + m.len())));
        }
        Pattern::Regex(regex) => {
            for m in regex.find_iter(&text.text) {
                matches.push(m.map_err(|e| Error::new(ErrorKind::Input, format!("Replace regex gave up on this text: {e}")))?);
            }
        }
    }
    if matches.is_empty() {
        return Ok(());
    }
    let s: &str = &text.text;
    let mut edits: Vec<(Option<char>, isize)> = Vec::with_capacity(s.len() + matches.len() * content.len());
    let mut last = 0;
    for (start, end) in matches {
        edits.extend(s[last..start].chars().map(|c| (Some(c), 0)));
        edits.push((None, s[start..end].chars().count() as isize));
        edits.extend(content.chars().map(|c| (Some(c), 1)));
        last = end;
    }
    edits.extend(s[last..].chars().map(|c| (Some(c), 0)));
    text.transform_with_skips(edits);
    Ok(())
}

/// Reference `NormalizedString::prepend`, which transforms only the first char's range: the
/// prefix's first char replaces the first char, the rest of the prefix and the first char itself
/// are inserted, so all share the first char's span. With an empty prefix the first char is
/// "inserted" at offset 0 and gets the empty span at the piece start.
fn prepend(text: &mut NormalizedText<'_>, prefix: &str) {
    let Some(first) = text.text.chars().next() else { return };
    let mut edits: Vec<(Option<char>, isize)> = Vec::with_capacity(text.text.len() + prefix.len() + 1);
    edits.extend(prefix.chars().enumerate().map(|(i, c)| (Some(c), isize::from(i > 0))));
    edits.push((Some(first), 1));
    if prefix.is_empty() {
        edits.push((None, 1));
    }
    edits.extend(text.text.chars().skip(1).map(|c| (Some(c), 0)));
    text.transform_with_skips(edits);
}

/// The 1.0 `MetaspaceNormalizer` (tk-encode `normalizers/metaspace.rs`), aligned as the
/// `Metaspace` pre-tokenizer it replaces: each ' ' becomes `replacement` with the space's span, and
/// a prefix shares the span of the char it precedes (`prepend`). `First` is text that starts the
/// input (origin 0), as 1.0 tests the segment's offset. With `drop_whitespace` (1.0's reading of
/// `Sequence[WhitespaceSplit, Metaspace]`) whitespace runs go and each word gets the prefix (per
/// `prepend`: `first` only the first word, and only if no whitespace precedes it).
fn metaspace(text: &mut NormalizedText<'_>, replacement: char, prepend: MetaspacePrepend, drop_whitespace: bool) {
    let Some(first) = text.text.chars().next() else { return };
    let starts_input = text.original_span(0, 0).0 == 0;
    let wants = |opens: bool| match prepend {
        MetaspacePrepend::Always => true,
        MetaspacePrepend::First => opens,
        MetaspacePrepend::Never => false,
    };
    let mut edits: Vec<(Option<char>, isize)> = Vec::with_capacity(text.text.len() + 1);
    if !drop_whitespace {
        let prefix = wants(starts_input) && first != ' ' && first != replacement;
        if !prefix && !text.text.contains(' ') {
            return;
        }
        let map = |c: char| if c == ' ' { replacement } else { c };
        for (i, c) in text.text.chars().enumerate() {
            if i == 0 && prefix {
                edits.extend([(Some(replacement), 0), (Some(c), 1)]);
            } else {
                edits.push((Some(map(c)), 0));
            }
        }
    } else {
        let mut opens = starts_input && !first.is_whitespace();
        let mut in_word = false;
        for c in text.text.chars() {
            if c.is_whitespace() {
                edits.push((None, 1));
                in_word = false;
            } else if !in_word {
                if wants(opens) && c != replacement {
                    edits.extend([(Some(replacement), 0), (Some(c), 1)]);
                } else {
                    edits.push((Some(c), 0));
                }
                (opens, in_word) = (false, true);
            } else {
                edits.push((Some(c), 0));
            }
        }
    }
    text.transform_with_skips(edits);
}

/// `Nmt`'s filter: C0 controls other than tab, LF, FF and CR, plus DEL and two C1 controls.
fn nmt_keeps(c: char) -> bool {
    !matches!(c as u32, 0x0001..=0x0008 | 0x000B | 0x000E..=0x001F | 0x007F | 0x008F | 0x009F)
}

/// `Nmt`'s map of space-like chars to `' '`.
fn nmt_map(c: char) -> char {
    match c as u32 {
        0x0009 | 0x000A | 0x000C | 0x000D | 0x1680 | 0x200B..=0x200F | 0x2028 | 0x2029 | 0x2581 | 0xFEFF | 0xFFFD => ' ',
        _ => c,
    }
}

/// `BertNormalizer` whitespace: tab, LF, CR or `char::is_whitespace`.
fn bert_is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// `BertNormalizer`'s `clean_text` filter: drops NUL, U+FFFD and "other" chars (Cc, Cf, Co in
/// `unicode_categories`' tables) except tab, LF and CR.
fn bert_keeps(c: char) -> bool {
    if c.is_ascii() {
        // ASCII's "other" chars are the C0 controls and DEL (no Cf or Co): skip the table search.
        return !c.is_ascii_control() || matches!(c, '\t' | '\n' | '\r');
    }
    let control = !matches!(c, '\t' | '\n' | '\r') && is_other(c);
    !(c == '\0' || c == '\u{FFFD}' || control)
}

/// The CJK ranges `BertNormalizer` pads with spaces (the reference's `is_chinese_char`).
fn is_chinese_char(c: char) -> bool {
    matches!(
        c as u32,
        0x4E00..=0x9FFF
            | 0x3400..=0x4DBF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2B73F
            | 0x2B740..=0x2B81F
            | 0x2B920..=0x2CEAF
            | 0xF900..=0xFAFF
            | 0x2F800..=0x2FA1F
    )
}

/// `handle_chinese_chars`: `c` → `' ', c, ' '`, the first space replacing `c`, so all three share
/// its span.
fn pad_chinese_chars(text: &mut NormalizedText<'_>) {
    if !text.text.chars().any(is_chinese_char) {
        return;
    }
    let mut edits = Vec::with_capacity(text.text.len() + 16);
    for c in text.text.chars() {
        if is_chinese_char(c) {
            edits.extend([(' ', 0), (c, 1), (' ', 1)]);
        } else {
            edits.push((c, 0));
        }
    }
    text.transform(edits);
}

/// Reference `Precompiled::normalize`: walks extended grapheme clusters; a cluster under 6 bytes
/// with a rule is replaced whole, otherwise each of its chars is looked up alone. Replacement
/// edits are built exactly as the reference's `replace` helper builds them, including its quirk:
/// a replacement shorter than what it replaces takes the difference out of the *last edit so
/// far*, which for an empty replacement is the previous cluster's last char (an inserted char
/// then becomes a replacing one and takes the removed char's span), and is lost at the start.
fn precompiled(text: &mut NormalizedText<'_>, charsmap: &Precompiled) {
    let s: &str = &text.text;
    // Built lazily: stays `None` (no allocation) until the first rule applies.
    let mut edits: Option<Vec<(char, isize)>> = None;
    let apply = |at: usize, old: &str, new: &str, edits: &mut Option<Vec<(char, isize)>>| {
        let edits = edits.get_or_insert_with(|| {
            let mut v = Vec::with_capacity(s.len() + 8);
            v.extend(s[..at].chars().map(|c| (c, 0)));
            v
        });
        let diff = new.chars().count() as isize - old.chars().count() as isize;
        edits.extend(new.chars().map(|c| (c, 0)));
        if diff > 0 {
            let n = edits.len();
            edits[n - diff as usize..].iter_mut().for_each(|e| e.1 = 1);
        } else if diff < 0 {
            if let Some(e) = edits.last_mut() {
                e.1 += diff;
            }
        }
    };
    for (at, grapheme) in unicode_tables::grapheme_indices(s) {
        if grapheme.len() < 6 {
            if let Some(new) = charsmap.lookup(grapheme) {
                apply(at, grapheme, new, &mut edits);
                continue;
            }
        }
        for (i, c) in grapheme.char_indices() {
            let part = &grapheme[i..i + c.len_utf8()];
            match charsmap.lookup(part) {
                Some(new) => apply(at + i, part, new, &mut edits),
                None => {
                    if let Some(e) = edits.as_mut() {
                        e.push((c, 0));
                    }
                }
            }
        }
    }
    if let Some(edits) = edits {
        text.transform(edits);
    }
}

/// `ByteLevel` normalizer: each UTF-8 byte becomes its GPT-2 char; a char's first byte replaces
/// it and its other bytes are inserted (same span).
fn byte_level(text: &mut NormalizedText<'_>) {
    // Unchanged only if every byte is an ASCII byte standing for itself (`!`..=`~`): a byte
    // over 0x7F that maps to its own code point still becomes a 2-byte char.
    if text.text.bytes().all(|b| b.is_ascii() && BYTE_TO_CHAR[b as usize] as u32 == u32::from(b)) {
        return;
    }
    let mut edits = Vec::with_capacity(text.text.len());
    for c in text.text.chars() {
        let mut buf = [0u8; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        edits.extend(bytes.iter().enumerate().map(|(i, &b)| (BYTE_TO_CHAR[b as usize], isize::from(i > 0))));
    }
    text.transform(edits);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use std::borrow::Cow;

    /// A file of tests/fixtures/components/, by its path from the crate root (not from this file).
    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/components/", $name))
        };
    }

    /// Normalized text and per-char original byte spans computed by PyPI tokenizers 0.23.3, written
    /// by tools/reference/reference_normalizer_cases.py (`"@file"` strings name a charsmap
    /// fixture).
    const CASES: &str = fixture!("normalizer_cases.json");

    fn resolve(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) if s.starts_with('@') => {
                *s = match &s[1..] {
                    "nmt_nfkc.b64" => fixture!("nmt_nfkc.b64"),
                    "small_charsmap.b64" => fixture!("small_charsmap.b64"),
                    other => panic!("unknown fixture {other}"),
                }
                .trim()
                .to_owned();
            }
            serde_json::Value::Object(map) => map.values_mut().for_each(resolve),
            serde_json::Value::Array(items) => items.iter_mut().for_each(resolve),
            _ => {}
        }
    }

    fn build(json: serde_json::Value) -> Result<Normalizer> {
        let raw: RawNormalizer = serde_json::from_value(json).map_err(|e| Error::json("normalizer", e))?;
        Normalizer::from_raw(&raw)
    }

    /// Original span of each normalized char.
    fn char_spans(t: &NormalizedText<'_>) -> Vec<(usize, usize)> {
        t.text.char_indices().map(|(i, c)| t.original_span(i, i + c.len_utf8())).collect()
    }

    #[test]
    fn matches_reference_texts_and_alignments() {
        let entries: Vec<serde_json::Value> = serde_json::from_str(CASES).unwrap();
        let mut checked = 0;
        let mut failures = Vec::new();
        for entry in entries {
            let name = entry["name"].as_str().unwrap();
            let mut json = entry["normalizer"].clone();
            resolve(&mut json);
            let normalizer = build(json).unwrap();
            for case in entry["cases"].as_array().unwrap() {
                let text = case[0].as_str().unwrap();
                let expected_text = case[1].as_str().unwrap();
                let expected: Vec<(usize, usize)> = serde_json::from_value(case[2].clone()).unwrap();
                // Also as a piece that starts at byte 3 of a larger text: spans shift by 3,
                // including the reference's (0, 0) for chars inserted before everything.
                let shifted: Vec<(usize, usize)> = expected.iter().map(|&(s, e)| (s + 3, e + 3)).collect();
                let whole = format!("abc{text}");
                for (input, origin, want) in [(text, 0, &expected), (&whole[3..], 3, &shifted)] {
                    let mut t = NormalizedText::identity(input, origin);
                    normalizer.normalize(&mut t).unwrap();
                    let got = char_spans(&t);
                    if t.text != expected_text || &got != want {
                        failures.push(format!("{name} {text:?} (origin {origin}): got {:?} {got:?}, want {expected_text:?} {want:?}", t.text));
                    }
                    // Fast path: unchanged text with identity spans builds no table.
                    let identity = text.char_indices().map(|(i, c)| (origin + i, origin + i + c.len_utf8())).collect::<Vec<_>>();
                    if expected_text == text && *want == identity && !matches!(t.text, Cow::Borrowed(_)) {
                        failures.push(format!("{name} {text:?}: unchanged text was rebuilt"));
                    }
                }
                checked += 1;
            }
        }
        assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
        assert!(checked > 350, "only {checked} cases");
    }

    #[test]
    fn turkish_dotted_capital_lowercases_to_two_chars_with_one_span() {
        // PyPI tokenizers 0.23.3: Lowercase on "İa" gives "i̇a", both i and U+0307 from bytes 0..2.
        let n = build(serde_json::json!({"type": "Lowercase"})).unwrap();
        let mut t = NormalizedText::identity("İa", 0);
        n.normalize(&mut t).unwrap();
        assert_eq!(t.text, "i\u{307}a");
        assert_eq!(char_spans(&t), vec![(0, 2), (0, 2), (2, 3)]);
    }

    #[test]
    fn replace_with_empty_literal_inserts_at_every_boundary() {
        // PyPI tokenizers 0.23.3: Replace("", "x").normalize_str("ab") == "xaxbx".
        let n = build(serde_json::json!({"type": "Replace", "pattern": {"String": ""}, "content": "x"})).unwrap();
        let mut t = NormalizedText::identity("ab", 0);
        n.normalize(&mut t).unwrap();
        assert_eq!(t.text, "xaxbx");
    }

    #[test]
    fn rejects_missing_fields_and_unknown_types() {
        let kind = |v: serde_json::Value| build(v).unwrap_err().kind();
        // The reference requires these fields (no serde defaults).
        assert_eq!(kind(serde_json::json!({"type": "Strip", "strip_left": true})), ErrorKind::InvalidComponent);
        assert_eq!(kind(serde_json::json!({"type": "BertNormalizer", "lowercase": true})), ErrorKind::InvalidComponent);
        assert_eq!(kind(serde_json::json!({"type": "Replace", "pattern": {"String": "a"}})), ErrorKind::InvalidComponent);
        assert_eq!(kind(serde_json::json!({"type": "Replace", "pattern": {"Regex": "("}, "content": ""})), ErrorKind::InvalidComponent);
        assert_eq!(kind(serde_json::json!({"type": "Prepend"})), ErrorKind::InvalidComponent);
        assert_eq!(kind(serde_json::json!({"type": "Precompiled"})), ErrorKind::InvalidComponent);
        assert_eq!(kind(serde_json::json!({"type": "Precompiled", "precompiled_charsmap": ""})), ErrorKind::InvalidComponent);
        assert_eq!(kind(serde_json::json!({"type": "Sequence"})), ErrorKind::InvalidComponent);
        assert_eq!(kind(serde_json::json!({"type": "Strip", "strip_left": 1, "strip_right": true})), ErrorKind::Json);
        assert_eq!(kind(serde_json::json!({"type": "Uppercase"})), ErrorKind::Unsupported);
        // `strip_accents` may be missing or null: it then follows `lowercase`.
        let bert = build(serde_json::json!({"type": "BertNormalizer", "clean_text": false, "handle_chinese_chars": false, "lowercase": true}));
        assert!(matches!(bert, Ok(Normalizer::Bert { strip_accents: true, .. })));
    }
}
