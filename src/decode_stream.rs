//! Decoding ids as they arrive (a model generating), without ever emitting half a character.

use crate::error::{quoted, Error, ErrorKind, Result};
use crate::tokenizer::Tokenizer;

/// The state of the reference's `DecodeStream`: feed it ids with [`DecodeStream::step`]; each
/// step returns the text the ids so far add, once it is whole (`None` while the last ids end in
/// the middle of a character: a byte-fallback or byte-level token holding part of its UTF-8, or
/// a decoder that writes U+FFFD for it).
///
/// Reproduces `tokenizers::DecodeStream` (0.23): it decodes the ids since a recent prefix, emits
/// what passes that prefix when the result does not end in U+FFFD, and keeps only the ids the
/// next step needs, so a step costs the decoding of a few ids whatever the length of the stream.
/// Holds no reference to the tokenizer: each step takes it, as the reference's Python `step`.
#[derive(Debug, Clone, Default)]
pub struct DecodeStream {
    skip_special_tokens: bool,
    ids: Vec<u32>,
    prefix: String,
    prefix_index: usize,
}

impl DecodeStream {
    /// A stream that decodes as `Tokenizer::decode(ids, skip_special_tokens)`.
    pub fn new(skip_special_tokens: bool) -> DecodeStream {
        DecodeStream { skip_special_tokens, ..Default::default() }
    }

    /// Adds `ids` (one or more) and returns the text they complete, or `None` when it is not
    /// whole yet (or empty).
    ///
    /// # Errors
    /// As [`Tokenizer::decode`]; [`ErrorKind::Input`] when the text decoded so far no longer
    /// starts with what was emitted (the reference's `InvalidPrefix`, which decoders that strip
    /// or rewrite their start can cause).
    pub fn step(&mut self, tokenizer: &Tokenizer, ids: &[u32]) -> Result<Option<String>> {
        let skip = self.skip_special_tokens;
        if self.prefix.is_empty() && !self.ids.is_empty() {
            let prefix = tokenizer.decode(&self.ids, skip)?;
            if !prefix.ends_with('\u{FFFD}') {
                self.prefix = prefix;
                self.prefix_index = self.ids.len();
            }
        }
        self.ids.extend_from_slice(ids);
        let string = tokenizer.decode(&self.ids, skip)?;
        if string.len() <= self.prefix.len() || string.ends_with('\u{FFFD}') {
            return Ok(None);
        }
        let Some(new_text) = string.strip_prefix(self.prefix.as_str()) else {
            let id = self.ids.last().copied().unwrap_or_default();
            return Err(Error::new(
                ErrorKind::Input,
                format!("decode stream: after id {id} the text {} no longer starts with {}, which was already emitted", quoted(&string), quoted(&self.prefix)),
            ));
        };
        let new_text = new_text.to_owned();
        let new_prefix_index = self.ids.len() - self.prefix_index;
        self.ids.drain(..self.prefix_index);
        self.prefix = tokenizer.decode(&self.ids, skip)?;
        self.prefix_index = new_prefix_index;
        Ok(Some(new_text))
    }
}

impl Tokenizer {
    /// A [`DecodeStream`] decoding with this tokenizer's settings, as the reference's
    /// `Tokenizer::decode_stream(skip_special_tokens)`.
    pub fn decode_stream(&self, skip_special_tokens: bool) -> DecodeStream {
        DecodeStream::new(skip_special_tokens)
    }
}
