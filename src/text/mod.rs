//! The foundation every stage stands on: spans (what models take and return), the alignment of
//! normalized text to the original, UTF-8 → UTF-16 offsets, and the byte-level alphabet.

pub(crate) mod byte_level;
pub(crate) mod classes;
pub(crate) mod offsets;
pub(crate) mod span;
pub mod utf16;
