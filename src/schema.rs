//! Raw serde types spelled exactly as `tokenizer.json` spells them. No behaviour lives here: the
//! stages validate these into their own types, and an unknown `type` becomes an error there.
//!
//! Unknown fields are ignored (as the reference does), so options must be listed here to be
//! checked; an option that changes behaviour and is not implemented is rejected by its stage.

use rustc_hash::FxHashMap;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// The top level of `tokenizer.json`. The model stays raw until its `type` is known.
#[derive(Deserialize)]
pub(crate) struct RawTokenizer<'a> {
    #[serde(default)]
    pub truncation: Option<serde_json::Value>,
    #[serde(default)]
    pub padding: Option<serde_json::Value>,
    #[serde(default)]
    pub added_tokens: Vec<RawAddedToken>,
    #[serde(default)]
    pub normalizer: Option<RawNormalizer>,
    #[serde(default)]
    pub pre_tokenizer: Option<RawPreTokenizer>,
    #[serde(borrow)]
    pub model: &'a RawValue,
    #[serde(default)]
    pub post_processor: Option<RawPostProcessor>,
    #[serde(default)]
    pub decoder: Option<RawDecoder>,
}

/// Every part of [`RawTokenizer`] but the model: owned, so the file's text can go.
pub(crate) struct RawParts {
    pub truncation: Option<serde_json::Value>,
    pub padding: Option<serde_json::Value>,
    pub added_tokens: Vec<RawAddedToken>,
    pub normalizer: Option<RawNormalizer>,
    pub pre_tokenizer: Option<RawPreTokenizer>,
    pub post_processor: Option<RawPostProcessor>,
    pub decoder: Option<RawDecoder>,
}

impl RawTokenizer<'_> {
    pub fn into_parts(self) -> RawParts {
        let RawTokenizer { truncation, padding, added_tokens, normalizer, pre_tokenizer, model: _, post_processor, decoder } = self;
        RawParts { truncation, padding, added_tokens, normalizer, pre_tokenizer, post_processor, decoder }
    }
}

/// An entry of `added_tokens`.
#[derive(Deserialize, Debug, Clone)]
pub(crate) struct RawAddedToken {
    pub content: String,
    #[serde(default)]
    pub single_word: bool,
    #[serde(default)]
    pub lstrip: bool,
    #[serde(default)]
    pub rstrip: bool,
    /// Defaults to `!special`, as in the reference `AddedToken`.
    #[serde(default)]
    pub normalized: Option<bool>,
    #[serde(default)]
    pub special: bool,
}

/// A `normalizer` object. Fields are optional here; each `type` checks the ones it requires.
#[derive(Deserialize, Debug)]
pub(crate) struct RawNormalizer {
    #[serde(rename = "type")]
    pub kind: String,
    /// `Sequence`.
    #[serde(default)]
    pub normalizers: Option<Vec<RawNormalizer>>,
    /// `Strip`.
    #[serde(default)]
    pub strip_left: Option<bool>,
    #[serde(default)]
    pub strip_right: Option<bool>,
    /// `BertNormalizer` (`strip_accents: null` means "as `lowercase`").
    #[serde(default)]
    pub clean_text: Option<bool>,
    #[serde(default)]
    pub handle_chinese_chars: Option<bool>,
    #[serde(default)]
    pub strip_accents: Option<bool>,
    #[serde(default)]
    pub lowercase: Option<bool>,
    /// `Replace`.
    #[serde(default)]
    pub pattern: Option<RawPattern>,
    #[serde(default)]
    pub content: Option<String>,
    /// `Prepend`.
    #[serde(default)]
    pub prepend: Option<String>,
    /// `Precompiled`: base64 of SentencePiece's `precompiled_charsmap`.
    #[serde(default)]
    pub precompiled_charsmap: Option<String>,
}

/// `{"String": "..."}` or `{"Regex": "..."}`.
#[derive(Deserialize, Debug, Clone)]
pub(crate) enum RawPattern {
    String(String),
    Regex(String),
}

/// A `pre_tokenizer` object: the union of the fields of every type, each `None` when absent.
/// Which are required, and their defaults, are the stage's business (as in the reference serde).
#[derive(Deserialize, Debug)]
pub(crate) struct RawPreTokenizer {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub pretokenizers: Option<Vec<RawPreTokenizer>>,
    #[serde(default)]
    pub pattern: Option<RawPattern>,
    #[serde(default)]
    pub behavior: Option<String>,
    #[serde(default)]
    pub invert: Option<bool>,
    #[serde(default)]
    pub individual_digits: Option<bool>,
    /// `ByteLevel` (required there), and `Metaspace`'s legacy spelling of `prepend_scheme`.
    #[serde(default)]
    pub add_prefix_space: Option<bool>,
    #[serde(default)]
    pub trim_offsets: Option<bool>,
    #[serde(default)]
    pub use_regex: Option<bool>,
    /// `Metaspace`: one char (serde rejects a string of any other length, as the reference does).
    #[serde(default)]
    pub replacement: Option<char>,
    /// `Metaspace`: `"always"`, `"first"` or `"never"`.
    #[serde(default)]
    pub prepend_scheme: Option<String>,
    #[serde(default)]
    pub split: Option<bool>,
    /// `CharDelimiterSplit`: one char.
    #[serde(default)]
    pub delimiter: Option<char>,
    /// `FixedLength`: chars per piece.
    #[serde(default)]
    pub length: Option<usize>,
}

/// A piece of a `TemplateProcessing` template.
#[derive(Deserialize, Debug, Clone)]
pub(crate) enum RawTemplatePiece {
    SpecialToken {
        id: String,
        #[serde(default)]
        type_id: u32,
    },
    Sequence {
        id: String,
        #[serde(default)]
        type_id: u32,
    },
}

#[derive(Deserialize, Debug, Clone)]
pub(crate) struct RawSpecialToken {
    pub ids: Vec<u32>,
    pub tokens: Vec<String>,
}

#[derive(Deserialize, Debug)]
pub(crate) struct RawPostProcessor {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub processors: Option<Vec<RawPostProcessor>>,
    #[serde(default)]
    pub add_prefix_space: Option<bool>,
    #[serde(default)]
    pub trim_offsets: Option<bool>,
    #[serde(default)]
    pub single: Option<Vec<RawTemplatePiece>>,
    #[serde(default)]
    pub pair: Option<Vec<RawTemplatePiece>>,
    /// `BertProcessing` / `RobertaProcessing`: `[token, id]`.
    #[serde(default)]
    pub sep: Option<(String, u32)>,
    #[serde(default)]
    pub cls: Option<(String, u32)>,
    #[serde(default)]
    pub special_tokens: Option<FxHashMap<String, RawSpecialToken>>,
}

/// A decoder of any type: the fields of all types, each `None` when absent. Which ones a type
/// requires (the reference has no defaults for most of them) is checked by `Decoder::from_raw`.
/// `type` may be absent: the reference then infers the type from the fields (legacy files).
#[derive(Deserialize, Debug)]
pub(crate) struct RawDecoder {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// `Sequence`.
    #[serde(default)]
    pub decoders: Option<Vec<RawDecoder>>,
    /// `WordPiece`.
    #[serde(default)]
    pub prefix: Option<String>,
    /// `WordPiece`, `CTC`.
    #[serde(default)]
    pub cleanup: Option<bool>,
    /// `BPEDecoder`.
    #[serde(default)]
    pub suffix: Option<String>,
    /// `Strip` (one char) and `Replace` (any string).
    #[serde(default)]
    pub content: Option<String>,
    /// `Strip`: how many `content` chars to remove at the start / at the end of each token.
    #[serde(default)]
    pub start: Option<usize>,
    #[serde(default)]
    pub stop: Option<usize>,
    /// `Replace`.
    #[serde(default)]
    pub pattern: Option<RawPattern>,
    /// `CTC`.
    #[serde(default)]
    pub pad_token: Option<String>,
    #[serde(default)]
    pub word_delimiter_token: Option<String>,
    /// `Metaspace`: `replacement` (one char), `prepend_scheme` (`always` when absent), the legacy
    /// `add_prefix_space`. (`split` has no effect on decoding and is not read.)
    #[serde(default)]
    pub replacement: Option<String>,
    #[serde(default)]
    pub prepend_scheme: Option<String>,
    #[serde(default)]
    pub add_prefix_space: Option<bool>,
    /// `ByteLevel`: `trim_offsets` is required by the reference, though it has no effect on
    /// decoding (nor has `add_prefix_space`).
    #[serde(default)]
    pub trim_offsets: Option<bool>,
}

/// Just enough of `model` to dispatch on its type (the reference infers BPE from `merges`).
#[derive(Deserialize)]
pub(crate) struct RawModelHeader {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub merges: Option<IgnoredAny>,
}

/// The `model` object of a BPE tokenizer.
#[derive(Deserialize)]
pub(crate) struct RawBpe<'a> {
    #[serde(default)]
    pub dropout: Option<f32>,
    #[serde(default)]
    pub unk_token: Option<String>,
    #[serde(default)]
    pub continuing_subword_prefix: Option<String>,
    #[serde(default)]
    pub end_of_word_suffix: Option<String>,
    #[serde(default)]
    pub fuse_unk: bool,
    #[serde(default)]
    pub byte_fallback: bool,
    #[serde(default)]
    pub ignore_merges: bool,
    pub vocab: crate::vocab::RawVocab,
    /// Read once the vocab is known (see [`for_each_merge`]), whatever the field order.
    #[serde(borrow)]
    pub merges: &'a RawValue,
}

/// Calls `found(rank, a, b)` for each merge of a `merges` array, in order, without copying the
/// tokens out of the JSON text (unless they have escapes). A merge is spelled `"a b"` (split on the
/// one space, as the reference's legacy format) or `["a", "b"]` (needed when tokens contain
/// spaces, as SuperBPE's superwords do); a `#version` header line is skipped, as the reference does,
/// and does not count as a rank.
///
/// # Errors
/// The first error `found` returns; else [`crate::ErrorKind::Json`] for a malformed array (position
/// counted from the start of `merges`).
pub(crate) fn for_each_merge(
    merges: &RawValue,
    found: impl FnMut(u32, &str, &str) -> crate::Result<()>,
) -> crate::Result<()> {
    struct MergesVisitor<F> {
        found: F,
        failed: Option<crate::Error>,
    }
    impl<'de, F: FnMut(u32, &str, &str) -> crate::Result<()>> Visitor<'de> for &mut MergesVisitor<F> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of merges")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut rank = 0;
            while let Some(merge) = seq.next_element::<RawMerge<'de>>()? {
                let Some((a, b)) = merge.0 else { continue };
                if let Err(e) = (self.found)(rank, &a, &b) {
                    self.failed = Some(e);
                    return Err(de::Error::custom("stopped"));
                }
                rank += 1;
            }
            Ok(())
        }
    }
    let mut visitor = MergesVisitor { found, failed: None };
    let mut deserializer = serde_json::Deserializer::from_str(merges.get());
    let parsed = deserializer.deserialize_seq(&mut visitor);
    match (visitor.failed, parsed) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(crate::Error::json("model (BPE) merges", e)),
        (None, Ok(())) => Ok(()),
    }
}

/// One merge as written; `None` for a `#version` line.
struct RawMerge<'a>(Option<(Cow<'a, str>, Cow<'a, str>)>);

impl<'de> Deserialize<'de> for RawMerge<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MergeVisitor;
        impl<'de> Visitor<'de> for MergeVisitor {
            type Value = RawMerge<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a merge as \"a b\" or [\"a\", \"b\"]")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<RawMerge<'de>, E> {
                split_merge(v).map(|m| RawMerge(m.map(|(a, b)| (Cow::Borrowed(a), Cow::Borrowed(b)))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawMerge<'de>, E> {
                split_merge(v).map(|m| RawMerge(m.map(|(a, b)| (Cow::Owned(a.to_owned()), Cow::Owned(b.to_owned())))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawMerge<'de>, A::Error> {
                let a: Cow<'de, str> = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let b: Cow<'de, str> = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(3, &self));
                }
                Ok(RawMerge(Some((a, b))))
            }
        }
        deserializer.deserialize_any(MergeVisitor)
    }
}

/// `"a b"` as `(a, b)`; `None` for a `#version` line.
fn split_merge<E: de::Error>(v: &str) -> Result<Option<(&str, &str)>, E> {
    if v.starts_with("#version") {
        return Ok(None);
    }
    match v.split_once(' ') {
        Some((a, b)) if !b.contains(' ') => Ok(Some((a, b))),
        _ => Err(E::custom(format!(
            "merge {v:?} is not two tokens separated by one space (use the [\"a\", \"b\"] form for tokens with spaces)"
        ))),
    }
}
