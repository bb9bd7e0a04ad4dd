//! Reading `tokenizer.json`: raw serde types spelled exactly as the file spells them (the stages
//! validate them into their own types with `from_raw`), and the regex dialect of its `Split` /
//! `Replace` patterns; and the compiled form of the file. Nothing here depends on a stage.

pub(crate) mod canonical;
pub(crate) mod compiled;
pub(crate) mod model;
pub(crate) mod read;
#[cfg(feature = "regex")]
mod oniguruma_classes;
pub(crate) mod regex_dialect;
pub(crate) mod vocab;
