//! The Unicode data of the normalizers that need more than Rust's `char` methods: the forms (NFC,
//! NFD, NFKC, NFKD) and their combining marks from `unicode-normalization-alignments`,
//! `BertNormalizer`'s categories from `unicode_categories`, `Precompiled`'s graphemes from
//! `unicode-segmentation`: the reference's crates and versions (see `super`).
//!
//! These tables are 88 KB of the wasm gzipped (a third of the lean build's size), so they come with the
//! `unicode-normalization` feature. Without it the normalizers that need them are refused when a
//! file loads ([`require`]), so the stand-ins below are never called.

use crate::error::{Error, Result};

/// A Unicode normalization form.
#[derive(Debug, Clone, Copy)]
pub(super) enum Form {
    C,
    D,
    KC,
    KD,
}

/// Refuses `what` (a normalizer type, named in the error) in a build without the tables.
///
/// # Errors
/// [`crate::ErrorKind::Unsupported`], naming the full build, without the `unicode-normalization`
/// feature.
pub(super) fn require(what: &str) -> Result<()> {
    if cfg!(feature = "unicode-normalization") {
        Ok(())
    } else {
        Err(Error::unsupported(
            "normalizer",
            format!("{what} needs the full build's Unicode tables (in JS import from \"tokenscope/full\"; in Rust the `unicode-normalization` feature)"),
        ))
    }
}

#[cfg(feature = "unicode-normalization")]
mod tables {
    use super::Form;
    use unicode_categories::UnicodeCategories;
    use unicode_normalization_alignments::{is_nfc, is_nfd, is_nfkc, is_nfkd, UnicodeNormalization};
    use unicode_segmentation::UnicodeSegmentation;

    /// `s` in `form` as `(char, change)` edits, or `None` when `s` is already in it.
    pub(in crate::normalizer) fn normalize(s: &str, form: Form) -> Option<Vec<(char, isize)>> {
        match form {
            Form::C => (!is_nfc(s)).then(|| s.nfc().collect()),
            Form::D => (!is_nfd(s)).then(|| s.nfd().collect()),
            Form::KC => (!is_nfkc(s)).then(|| s.nfkc().collect()),
            Form::KD => (!is_nfkd(s)).then(|| s.nfkd().collect()),
        }
    }

    pub(in crate::normalizer) fn is_combining_mark(c: char) -> bool {
        unicode_normalization_alignments::char::is_combining_mark(c)
    }

    /// `Cc`, `Cf`, `Co` (and `Cn`/`Cs` as `unicode_categories` counts them).
    pub(in crate::normalizer) fn is_other(c: char) -> bool {
        c.is_other()
    }

    pub(in crate::normalizer) fn is_mark_nonspacing(c: char) -> bool {
        c.is_mark_nonspacing()
    }

    /// Extended grapheme clusters with their byte offsets.
    pub(in crate::normalizer) fn grapheme_indices(s: &str) -> unicode_segmentation::GraphemeIndices<'_> {
        s.grapheme_indices(true)
    }
}

#[cfg(not(feature = "unicode-normalization"))]
mod tables {
    //! Never called: [`super::require`] refused the normalizers that would call them.
    use super::Form;

    const REFUSED: &str = "refused at load by normalizer::unicode_tables::require";

    pub(in crate::normalizer) fn normalize(_: &str, _: Form) -> Option<Vec<(char, isize)>> {
        unreachable!("{REFUSED}")
    }

    pub(in crate::normalizer) fn is_combining_mark(_: char) -> bool {
        unreachable!("{REFUSED}")
    }

    pub(in crate::normalizer) fn is_other(_: char) -> bool {
        unreachable!("{REFUSED}")
    }

    pub(in crate::normalizer) fn is_mark_nonspacing(_: char) -> bool {
        unreachable!("{REFUSED}")
    }

    pub(in crate::normalizer) fn grapheme_indices(_: &str) -> std::iter::Empty<(usize, &str)> {
        unreachable!("{REFUSED}")
    }
}

pub(super) use tables::*;
