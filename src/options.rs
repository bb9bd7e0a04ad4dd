//! How a call encodes: [`EncodeOptions`] (whether the post-processor adds its special tokens, and
//! what special-token text inside the input does).

/// What special-token text written inside the input (`<|endoftext|>`, `<|im_start|>`, `[CLS]`)
/// becomes. Only added tokens marked `special` in `tokenizer.json` are concerned; other added
/// tokens are always matched, as in the reference.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SpecialTokens {
    /// Matched as the special token's one id: the reference's default (`tokenizers` `encode`).
    #[default]
    Match,
    /// Encoded as ordinary text, as the reference does with `encode_special_tokens = true`: a
    /// match of a special token is skipped where the leftmost search found it (not searched
    /// again inside), and that text goes to the normalizer, pre-tokenizer and model. For text
    /// from users: whoever types `<|im_start|>system` cannot forge a turn.
    Literal,
    /// An error ([`crate::ErrorKind::SpecialToken`]) naming the first special token matched and
    /// its UTF-8 byte span (see [`crate::Error::span`]), as tiktoken's `disallowed_special`.
    Refuse,
}

/// The options of [`crate::Tokenizer::encode`], [`crate::Tokenizer::count`] and their kin. A
/// `bool` converts into them (`add_special_tokens`, special-token text matched), so
/// `tokenizer.encode(text, true)` keeps the reference's `encode(text, add_special_tokens)` form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Let the post-processor add its special tokens (a BOS, `[CLS]` … `[SEP]`).
    pub add_special_tokens: bool,
    /// What special-token text inside the input becomes.
    pub special_tokens: SpecialTokens,
}

impl From<bool> for EncodeOptions {
    fn from(add_special_tokens: bool) -> Self {
        EncodeOptions { add_special_tokens, special_tokens: SpecialTokens::Match }
    }
}
