//! The `model` object of `tokenizer.json`, raw: one serde type per model `type`, spelled as the
//! file spells it, and the one place that reads the model's JSON text. The models validate these
//! into their own types (`Model::from_raw`).
//!
//! The model stays raw text while the rest of the file is read: its `type` decides which type to
//! read it as, and the reference infers `BPE` when `type` is missing and `merges` is present.

use crate::error::{self, Error, ErrorKind};
use crate::format::vocab::RawVocab;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// The `model` object, read as the type its `type` names.
pub(crate) enum RawModel<'a> {
    Bpe(RawBpe<'a>),
    WordPiece(RawWordPiece),
    WordLevel(RawWordLevel),
    Unigram(RawUnigram),
}

impl<'a> RawModel<'a> {
    /// Reads the text of the `model` object.
    ///
    /// # Errors
    /// [`ErrorKind::Json`] for malformed JSON or a missing field (the message names the model
    /// type); [`ErrorKind::Unsupported`] for a `type` tokenscope has no model for;
    /// [`ErrorKind::InvalidComponent`] for no `type` and no `merges`.
    pub fn parse(model: &'a str) -> error::Result<Self> {
        // Files written by the reference put `type` first: reading it there spares a pass over
        // the whole vocab and merges just to learn the type.
        let header = match leading_type(model) {
            Some(kind) => RawModelHeader { kind: Some(kind.to_owned()), merges: None },
            None => serde_json::from_str(model).map_err(|e| Error::json("model", e))?,
        };
        Ok(match header.kind.as_deref() {
            Some("BPE") => RawModel::Bpe(RawBpe::parse(model)?),
            Some("WordPiece") => RawModel::WordPiece(RawWordPiece::parse(model)?),
            Some("WordLevel") => RawModel::WordLevel(RawWordLevel::parse(model)?),
            Some("Unigram") => RawModel::Unigram(RawUnigram::parse(model)?),
            None if header.merges.is_some() => RawModel::Bpe(RawBpe::parse(model)?),
            Some(other) => return Err(Error::unsupported("model", format!("type `{other}`"))),
            None => return Err(Error::invalid("model", "no `type` and no `merges`")),
        })
    }
}

/// The value of `type` when it is the model object's first key and a plain string.
fn leading_type(model: &str) -> Option<&str> {
    let rest = model.trim_start().strip_prefix('{')?.trim_start().strip_prefix("\"type\"")?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let kind = &rest[..rest.find('"')?];
    (!kind.contains('\\')).then_some(kind)
}

/// `json` read as `T`; `what` names the model in errors.
fn parse_as<'a, T: Deserialize<'a>>(json: &'a str, what: &str) -> error::Result<T> {
    serde_json::from_str(json).map_err(|e| Error::json(what, e))
}

/// `json` read as `T`, the model named `name`, whose `type` (`kind` of it) must be `name` when
/// given: it can name another model when it is not the first key.
fn parse_typed<'a, T: Deserialize<'a>>(json: &'a str, name: &str, kind: fn(&T) -> Option<&str>) -> error::Result<T> {
    let raw: T = parse_as(json, &format!("model ({name})"))?;
    match kind(&raw).filter(|&k| k != name) {
        Some(other) => Err(Error::new(ErrorKind::Json, format!("model ({name}): `type` is {other:?}"))),
        None => Ok(raw),
    }
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
    /// The 1.0 canonical form's flag for a byte-level vocab (its `ByteLevel` pre-tokenizer
    /// moved onto the model); read only in a `"version": "2.0"` file.
    #[serde(default)]
    pub byte_level: bool,
    pub vocab: RawVocab,
    /// Read once the vocab is known (see [`for_each_merge`]), whatever the field order.
    #[serde(borrow)]
    pub merges: RawMerges<'a>,
}

/// The merges of a BPE model, in rank order: the JSON array of a `tokenizer.json`, or the merges
/// of a compiled file (see [`crate::format::compiled`]) as ids, already checked to name tokens of
/// the vocab and to make the token that joining them makes.
pub(crate) enum RawMerges<'a> {
    Json(&'a RawValue),
    Compiled(Vec<CompiledMerge>),
}

/// One merge of a compiled file, by token ids: `a` and `b` make `merged`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CompiledMerge {
    pub a: u32,
    pub b: u32,
    pub merged: u32,
}

impl<'de: 'a, 'a> Deserialize<'de> for RawMerges<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'a RawValue>::deserialize(deserializer).map(RawMerges::Json)
    }
}

impl<'a> RawBpe<'a> {
    /// Reads a BPE `model` object (its JSON text).
    pub fn parse(model: &'a str) -> error::Result<Self> {
        parse_as(model, "model (BPE)")
    }
}

/// Calls `found(rank, a, b)` for each merge of a `merges` array, in order, without copying the
/// tokens out of the JSON text (unless they have escapes). A merge is spelled `"a b"` (split on the
/// one space, as the reference's legacy format) or `["a", "b"]` (needed when tokens contain
/// spaces, as SuperBPE's superwords do); a `#version` header line is skipped, as the reference does,
/// and does not count as a rank.
///
/// # Errors
/// The first error `found` returns; else [`ErrorKind::Json`] for a malformed array (position
/// counted from the start of `merges`).
pub(crate) fn for_each_merge(
    merges: &RawValue,
    found: impl FnMut(u32, &str, &str) -> error::Result<()>,
) -> error::Result<()> {
    struct MergesVisitor<F> {
        found: F,
        failed: Option<Error>,
    }
    impl<'de, F: FnMut(u32, &str, &str) -> error::Result<()>> Visitor<'de> for &mut MergesVisitor<F> {
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
        (None, Err(e)) => Err(Error::json("model (BPE) merges", e)),
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

/// The `model` object of a WordPiece `tokenizer.json`. Every field is required, as in the
/// reference (its defaults apply to the Python constructor, not to files).
#[derive(Deserialize)]
pub(crate) struct RawWordPiece {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub unk_token: String,
    pub continuing_subword_prefix: String,
    pub max_input_chars_per_word: usize,
    pub vocab: RawVocab,
}

impl RawWordPiece {
    /// Reads a WordPiece `model` object (its JSON text).
    pub fn parse(model: &str) -> error::Result<Self> {
        parse_typed(model, "WordPiece", |raw: &Self| raw.kind.as_deref())
    }
}

/// The `model` object of a WordLevel `tokenizer.json`; both fields are required, as in the
/// reference.
#[derive(Deserialize)]
pub(crate) struct RawWordLevel {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub vocab: RawVocab,
    pub unk_token: String,
}

impl RawWordLevel {
    /// Reads a WordLevel `model` object (its JSON text).
    pub fn parse(model: &str) -> error::Result<Self> {
        parse_typed(model, "WordLevel", |raw: &Self| raw.kind.as_deref())
    }
}

/// The `model` object of a Unigram tokenizer, as the reference's visitor reads it: `unk_id` may
/// be missing or `null`, `byte_fallback` defaults to false, other keys are ignored.
#[derive(Deserialize)]
pub(crate) struct RawUnigram {
    #[serde(default)]
    pub unk_id: Option<usize>,
    #[serde(default)]
    pub vocab: Option<Vec<(String, f64)>>,
    #[serde(default)]
    pub byte_fallback: bool,
}

impl RawUnigram {
    /// Reads a Unigram `model` object (its JSON text).
    pub fn parse(model: &str) -> error::Result<Self> {
        parse_as(model, "model")
    }
}
