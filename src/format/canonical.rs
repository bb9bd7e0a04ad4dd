//! The canonical form `tokenizers` 1.0 saves files in (`"version": "2.0"`), read by rewriting its
//! few new spellings into the components files before 1.0 spell, which the stages know.
//!
//! What 1.0's converter (`tokenizers::canonicalize_str`, rc.3) changes, and how each is read here:
//! - a `ByteLevel` pre-tokenizer becomes `"byte_level": true` on the BPE model (the byte map is
//!   the vocab's) plus, for `use_regex`, a `Split` on the GPT-2 pattern: the flag is read as a
//!   `ByteLevel` pre-tokenizer with `use_regex: false` after every other one (1.0 maps bytes
//!   after all splits);
//! - `Split` may leave out `behavior` and `invert`: 1.0 reads them as `Isolated` and `false`;
//! - a `Metaspace` pre-tokenizer becomes a `MetaspaceNormalizer` (the normalizer stage has it)
//!   plus a `Split` on the replacement;
//! - template pieces name special tokens by id (`post::processor` reads them);
//! - `RobertaProcessing`/`BertProcessing` become templates and a `ByteLevel` post-processor is
//!   dropped: 1.0 keeps no offsets, so such a file's offsets are not trimmed.
//!
//! Tested by tests/canonical.rs on the files 1.0 writes (tools/reference/canonical).

use crate::error::{Error, Result};
use crate::format::read::{RawParts, RawPreTokenizer};

/// The `version` of the 1.0 canonical form.
pub(crate) const VERSION: &str = "2.0";

/// Rewrites `parts` of a 1.0-form file into the spellings before 1.0; nothing for older files.
/// `byte_level` is the model's `byte_level` flag.
///
/// # Errors
/// [`crate::ErrorKind::Unsupported`] for a `version` other than absent, `"1.0"` and `"2.0"`;
/// [`crate::ErrorKind::InvalidComponent`] for a 1.0-form file that sets `byte_level` and also
/// has a `ByteLevel` pre-tokenizer (the bytes would be mapped twice).
pub(crate) fn lower(parts: &mut RawParts, byte_level: bool) -> Result<()> {
    match parts.version.as_deref() {
        None | Some("1.0") => return Ok(()),
        Some(VERSION) => {}
        Some(other) => {
            return Err(Error::unsupported("tokenizer.json", format!("`version` {other:?} (tokenscope reads \"1.0\" and 1.0's canonical \"2.0\")")))
        }
    }
    if let Some(pre) = &mut parts.pre_tokenizer {
        fill_split_defaults(pre);
    }
    if byte_level {
        let last = RawPreTokenizer {
            kind: "ByteLevel".into(),
            add_prefix_space: Some(false),
            trim_offsets: Some(false),
            use_regex: Some(false),
            ..Default::default()
        };
        parts.pre_tokenizer = Some(match parts.pre_tokenizer.take() {
            None => last,
            Some(pre) if has_byte_level(&pre) => {
                return Err(Error::invalid("pre_tokenizer", "a `ByteLevel` pre-tokenizer beside the model's `byte_level: true`: bytes would be mapped twice (a 2.0 file maps them in the model)"))
            }
            Some(RawPreTokenizer { kind, pretokenizers: Some(mut items), .. }) if kind == "Sequence" => {
                items.push(last);
                RawPreTokenizer { kind, pretokenizers: Some(items), ..Default::default() }
            }
            Some(pre) => RawPreTokenizer { kind: "Sequence".into(), pretokenizers: Some(vec![pre, last]), ..Default::default() },
        });
    }
    Ok(())
}

/// 1.0 reads a `Split` without `behavior` as `Isolated` and without `invert` as `false`.
fn fill_split_defaults(pre: &mut RawPreTokenizer) {
    if pre.kind == "Split" {
        pre.behavior.get_or_insert_with(|| "Isolated".into());
        pre.invert.get_or_insert(false);
    }
    for item in pre.pretokenizers.iter_mut().flatten() {
        fill_split_defaults(item);
    }
}

fn has_byte_level(pre: &RawPreTokenizer) -> bool {
    pre.kind == "ByteLevel" || pre.pretokenizers.iter().flatten().any(has_byte_level)
}
