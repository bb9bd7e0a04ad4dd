//! Raw serde types spelled exactly as `tokenizer.json` spells them, for every part of the file but
//! the model (see [`super::model`]). No behaviour lives here: the stages validate these into
//! their own types (`from_raw`), and an unknown `type` becomes an error there.
//!
//! Unknown fields are ignored (as the reference does), so options must be listed here to be
//! checked; an option that changes behaviour and is not implemented is rejected by its stage.

use crate::error::{Error, ErrorKind, Result};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde_json::value::RawValue;

/// The top level of `tokenizer.json`. The model stays raw until its `type` is known.
#[derive(Deserialize)]
pub(crate) struct RawTokenizer<'a> {
    /// `"1.0"` (or absent) for files written before `tokenizers` 1.0, `"2.0"` for its canonical
    /// form (see [`super::canonical`]).
    #[serde(default)]
    pub version: Option<String>,
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
    pub version: Option<String>,
    pub truncation: Option<RawTruncation>,
    pub padding: Option<RawPadding>,
    pub added_tokens: Vec<RawAddedToken>,
    pub normalizer: Option<RawNormalizer>,
    pub pre_tokenizer: Option<RawPreTokenizer>,
    pub post_processor: Option<RawPostProcessor>,
    pub decoder: Option<RawDecoder>,
}

impl<'a> RawTokenizer<'a> {
    /// Reads the top level of `tokenizer.json` (the text of the file); the model stays raw text.
    ///
    /// # Errors
    /// [`ErrorKind::Json`] for malformed JSON, a value that is not an object, or a mistyped field.
    pub fn parse(json: &'a str) -> Result<Self> {
        // serde would accept a JSON array for a struct and then complain about its length.
        if let Some(first) = json.trim_start().chars().next().filter(|&c| c != '{') {
            return Err(Error::new(ErrorKind::Json, format!("tokenizer.json must be a JSON object, but it starts with {first:?}")));
        }
        serde_json::from_str(json).map_err(|e| Error::json("tokenizer.json", e))
    }

    /// Everything but the model. `truncation` and `padding` are read here, from their values, so
    /// that an error names them.
    ///
    /// # Errors
    /// [`ErrorKind::Json`] for malformed `truncation` or `padding` settings.
    pub fn into_parts(self) -> Result<RawParts> {
        let RawTokenizer { version, truncation, padding, added_tokens, normalizer, pre_tokenizer, model: _, post_processor, decoder } = self;
        fn read<T: serde::de::DeserializeOwned>(value: Option<serde_json::Value>, what: &str) -> Result<Option<T>> {
            value.filter(|v| !v.is_null()).map(|v| serde_json::from_value(v).map_err(|e| Error::json(what, e))).transpose()
        }
        let truncation = read(truncation, "truncation")?;
        let padding = read(padding, "padding")?;
        Ok(RawParts { version, truncation, padding, added_tokens, normalizer, pre_tokenizer, post_processor, decoder })
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
    /// `Prepend`: the text to put first; `MetaspaceNormalizer`: `"always"`, `"first"` or `"never"`.
    #[serde(default)]
    pub prepend: Option<String>,
    /// `MetaspaceNormalizer` (1.0 form): one char.
    #[serde(default)]
    pub replacement: Option<String>,
    #[serde(default)]
    pub drop_whitespace: Option<bool>,
    /// `Precompiled`: base64 of SentencePiece's `precompiled_charsmap`.
    #[serde(default)]
    pub precompiled_charsmap: Option<String>,
}

/// `{"String": "..."}` or `{"Regex": "..."}`.
#[derive(Deserialize, Debug, Clone)]
#[cfg_attr(feature = "train", derive(serde::Serialize))]
pub(crate) enum RawPattern {
    String(String),
    Regex(String),
}

/// A `pre_tokenizer` object: the union of the fields of every type, each `None` when absent.
/// Which are required, and their defaults, are the stage's business (as in the reference serde).
///
/// The trainer also writes it (feature `train`): absent fields are left out, and the field order
/// is the reference's, so a trained file's `pre_tokenizer` is spelled as the reference spells it.
#[derive(Deserialize, Debug, Default)]
#[cfg_attr(feature = "train", derive(serde::Serialize))]
pub(crate) struct RawPreTokenizer {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretokenizers: Option<Vec<RawPreTokenizer>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<RawPattern>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invert: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual_digits: Option<bool>,
    /// `ByteLevel` (required there), and `Metaspace`'s legacy spelling of `prepend_scheme`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_prefix_space: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trim_offsets: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_regex: Option<bool>,
    /// `Metaspace`: one char (serde rejects a string of any other length, as the reference does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<char>,
    /// `Metaspace`: `"always"`, `"first"` or `"never"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepend_scheme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<bool>,
    /// `CharDelimiterSplit`: one char.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    /// `FixedLength`: chars per piece (u64: a length past wasm32's `usize` still reads, and cuts
    /// nothing, as the reference's 64-bit `usize` does for any text wasm can hold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
}

/// A piece of a `TemplateProcessing` template, one of four shapes: `{"SpecialToken": {"id",
/// "type_id"}}` and `{"Sequence": {"id", "type_id"}}` as files before 1.0 spell them (the special
/// token's ids and strings are in `special_tokens`), or `{"ids": [..], "type_id"}` and
/// `{"seq": "A", "type_id"}` as the 1.0 canonical form does (no `special_tokens`: the strings are
/// the vocab's). One struct with every field rather than an untagged enum, whose buffering costs
/// ~10 KB of wasm; `post::processor` checks that exactly one shape is there.
#[derive(Deserialize, Debug, Clone)]
pub(crate) struct RawTemplatePiece {
    #[serde(default, rename = "SpecialToken")]
    pub special_token: Option<RawPieceName>,
    #[serde(default, rename = "Sequence")]
    pub sequence: Option<RawPieceName>,
    #[serde(default)]
    pub ids: Option<Vec<u32>>,
    #[serde(default)]
    pub seq: Option<String>,
    /// The 1.0 form's type id (inside the name in the older form).
    #[serde(default)]
    pub type_id: u32,
}

/// `{"id", "type_id"}` of an older-form template piece.
#[derive(Deserialize, Debug, Clone)]
pub(crate) struct RawPieceName {
    pub id: String,
    #[serde(default)]
    pub type_id: u32,
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

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TruncationStrategy {
    LongestFirst,
    OnlyFirst,
    OnlySecond,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum TruncationDirection {
    Left,
    #[default]
    Right,
}

/// The `truncation` object: field names and defaults as the reference `TruncationParams`.
#[derive(Deserialize, Debug)]
pub(crate) struct RawTruncation {
    #[serde(default)]
    pub direction: TruncationDirection,
    pub max_length: usize,
    pub strategy: TruncationStrategy,
    pub stride: usize,
}

#[derive(Deserialize, Debug, Clone, Copy)]
pub(crate) enum PaddingStrategy {
    BatchLongest,
    Fixed(usize),
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PaddingDirection {
    Left,
    Right,
}

/// The `padding` object: field names as the reference `PaddingParams`.
#[derive(Deserialize, Debug)]
pub(crate) struct RawPadding {
    pub strategy: PaddingStrategy,
    pub direction: PaddingDirection,
    pub pad_to_multiple_of: Option<usize>,
    pub pad_id: u32,
    pub pad_type_id: u32,
    pub pad_token: String,
}
