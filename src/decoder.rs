//! Decoder stage: token strings back to text.
//!
//! Reproduces the reference `ByteLevel` decoder (GPT-2 alphabet back to bytes, a token with a
//! char outside the alphabet kept as its UTF-8, invalid UTF-8 replaced by U+FFFD) and `Sequence`.
//! Without a decoder the reference joins tokens with spaces.

use crate::byte_level::char_to_byte;
use crate::error::{Error, Result};
use crate::schema::RawDecoder;

#[derive(Debug)]
pub(crate) enum Decoder {
    ByteLevel,
    Sequence(Vec<Decoder>),
}

impl Decoder {
    pub fn from_raw(raw: &RawDecoder) -> Result<Self> {
        Ok(match raw.kind.as_str() {
            "ByteLevel" => Decoder::ByteLevel,
            "Sequence" => Decoder::Sequence(
                raw.decoders
                    .as_deref()
                    .ok_or_else(|| Error::invalid("decoder", "Sequence without `decoders`"))?
                    .iter()
                    .map(Decoder::from_raw)
                    .collect::<Result<_>>()?,
            ),
            other => return Err(Error::unsupported("decoder", format!("type `{other}`"))),
        })
    }

    /// True when this decoder maps the GPT-2 byte alphabet back to bytes.
    pub fn is_byte_level(&self) -> bool {
        match self {
            Decoder::ByteLevel => true,
            Decoder::Sequence(items) => items.iter().any(Decoder::is_byte_level),
        }
    }

    /// The reference `decode_chain`: tokens in, tokens out; `decode` joins the result.
    fn decode_chain(&self, tokens: Vec<String>) -> Vec<String> {
        match self {
            Decoder::ByteLevel => {
                let bytes: Vec<u8> = tokens.iter().flat_map(|t| byte_level_bytes(t)).collect();
                vec![String::from_utf8_lossy(&bytes).into_owned()]
            }
            Decoder::Sequence(items) => items.iter().fold(tokens, |t, d| d.decode_chain(t)),
        }
    }

    pub fn decode(&self, tokens: Vec<String>) -> String {
        self.decode_chain(tokens).concat()
    }
}

/// The bytes a byte-level token stands for; a token with any char outside the GPT-2 alphabet
/// (an added token such as `<|endoftext|>`) stands for its own UTF-8.
pub(crate) fn byte_level_bytes(token: &str) -> Vec<u8> {
    token.chars().map(char_to_byte).collect::<Option<Vec<u8>>>().unwrap_or_else(|| token.as_bytes().to_vec())
}

/// The raw bytes of a `<0xNN>` byte-fallback token, if `token` is one.
pub(crate) fn byte_fallback_byte(token: &str) -> Option<u8> {
    let hex = token.strip_prefix("<0x")?.strip_suffix('>')?;
    if hex.len() != 2 {
        return None;
    }
    u8::from_str_radix(hex, 16).ok()
}
