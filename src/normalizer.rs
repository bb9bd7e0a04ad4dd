//! Normalizer stage: rewrites text before pre-tokenization while keeping the alignment to the
//! original text (see [`crate::offsets`]).
//!
//! Unicode forms use `unicode-normalization-alignments`, the crate the reference `tokenizers` uses:
//! it reports how each output char relates to the input chars, and its Unicode tables (9.0) are the
//! reference's, so ids and offsets agree with it even where newer Unicode versions differ.

use crate::error::{Error, Result};
use crate::offsets::NormalizedText;
use crate::schema::RawNormalizer;
use unicode_normalization_alignments::{is_nfc, is_nfd, is_nfkc, is_nfkd, UnicodeNormalization};

/// One validated normalizer component.
#[derive(Debug, Clone)]
pub(crate) enum Normalizer {
    Nfc,
    Nfd,
    Nfkc,
    Nfkd,
    Sequence(Vec<Normalizer>),
}

impl Normalizer {
    /// Validates a raw `normalizer` object; unknown `type`s are [`crate::ErrorKind::Unsupported`].
    pub fn from_raw(raw: &RawNormalizer) -> Result<Self> {
        Ok(match raw.kind.as_str() {
            "NFC" => Normalizer::Nfc,
            "NFD" => Normalizer::Nfd,
            "NFKC" => Normalizer::Nfkc,
            "NFKD" => Normalizer::Nfkd,
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

    /// Normalizes `text` in place. Already-normalized text is left untouched (no alignment table).
    pub fn normalize(&self, text: &mut NormalizedText<'_>) {
        match self {
            Normalizer::Nfc => {
                if !is_nfc(&text.text) {
                    let out: Vec<_> = text.text.nfc().collect();
                    text.transform(out);
                }
            }
            Normalizer::Nfd => {
                if !is_nfd(&text.text) {
                    let out: Vec<_> = text.text.nfd().collect();
                    text.transform(out);
                }
            }
            Normalizer::Nfkc => {
                if !is_nfkc(&text.text) {
                    let out: Vec<_> = text.text.nfkc().collect();
                    text.transform(out);
                }
            }
            Normalizer::Nfkd => {
                if !is_nfkd(&text.text) {
                    let out: Vec<_> = text.text.nfkd().collect();
                    text.transform(out);
                }
            }
            Normalizer::Sequence(items) => items.iter().for_each(|n| n.normalize(text)),
        }
    }
}
