//! One error type for every stage: a matchable [`ErrorKind`] plus a lower-case message that
//! carries the offending value (the component `type`, the token, the JSON line/column).

use std::fmt;

/// What went wrong, for callers that branch on the cause rather than on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not JSON, or not shaped like a `tokenizer.json` (message has line/column).
    Json,
    /// A component `type` or option that tokenscope does not implement; the message names the
    /// stage (`normalizer`, `pre_tokenizer`, `model`, `post_processor`, `decoder`, …) and the value.
    Unsupported,
    /// A component whose settings are inconsistent: a merge naming an unknown token, a bad regex,
    /// a template naming an unknown special token, …
    InvalidComponent,
    /// Text or ids given to `encode`/`decode` that cannot be processed (e.g. a regex that gives up),
    /// or training settings that cannot be met (e.g. a transition point past the vocab size).
    Input,
    /// Training stopped because its progress callback asked it to.
    Cancelled,
    /// The text holds a special token and [`crate::SpecialTokens::Refuse`] was asked for;
    /// [`Error::span`] gives its UTF-8 byte span in the text.
    SpecialToken,
}

/// The error returned by every fallible function of tokenscope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    /// UTF-8 byte span in the input that the error is about, when there is one.
    span: Option<(usize, usize)>,
    /// The span is in the second text of a pair.
    in_pair: bool,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), span: None, in_pair: false }
    }

    pub(crate) fn unsupported(stage: &str, what: impl fmt::Display) -> Self {
        Error::new(ErrorKind::Unsupported, format!("unsupported {stage}: {what}"))
    }

    pub(crate) fn invalid(stage: &str, what: impl fmt::Display) -> Self {
        Error::new(ErrorKind::InvalidComponent, format!("invalid {stage}: {what}"))
    }

    pub(crate) fn json(context: &str, err: serde_json::Error) -> Self {
        Error::new(ErrorKind::Json, format!("{context}: {err}"))
    }

    pub(crate) fn with_span(mut self, start: usize, end: usize) -> Self {
        self.span = Some((start, end));
        self
    }

    /// Marks the error as about the second text of a pair (its span is in that text).
    pub(crate) fn in_pair(mut self) -> Self {
        self.in_pair = true;
        self.message = format!("in the pair's second text: {}", self.message);
        self
    }

    /// The UTF-8 byte span `(start, end)` of the input the error is about: for
    /// [`ErrorKind::SpecialToken`], the special token found in the text (for a pair, in the
    /// text [`Error::is_in_pair`] says).
    pub fn span(&self) -> Option<(usize, usize)> {
        self.span
    }

    /// True when [`Error::span`] is in the second text of a pair, false for the first (or only)
    /// text.
    pub fn is_in_pair(&self) -> bool {
        self.in_pair
    }

    /// The cause, to match on.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message (also what `Display` prints).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// `s` in double quotes, escaped as JSON escapes it (quotes, backslashes, controls below U+0020;
/// Python's `json.dumps(ensure_ascii=False)` writes the same), for messages that name a token or
/// a text, and for chat templates' `tojson`. Not `{:?}`: Rust's debug escaping brings in
/// Unicode tables (~6 KB of wasm) that nothing else of the lean build needs.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;
