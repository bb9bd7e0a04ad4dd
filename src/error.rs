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
}

/// The error returned by every fallible function of tokenscope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
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

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;
