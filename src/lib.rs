//! tokenscope: exact Hugging Face `tokenizer.json` encoding (BPE and SuperBPE) for native Rust and
//! WebAssembly.
//!
//! ```no_run
//! let json = std::fs::read_to_string("tokenizer.json").unwrap();
//! let tokenizer = tokenscope::Tokenizer::from_json(&json).unwrap();
//! let encoding = tokenizer.encode("By the way, I am a fan of the Milky Way.", false).unwrap();
//! println!("{:?} {:?} {:?}", encoding.ids, encoding.tokens, encoding.offsets); // offsets in UTF-8 bytes
//! ```
//!
//! The pipeline follows the reference `tokenizers` library stage by stage; each stage is one
//! module and reproduces the reference behaviour it names in its docs.
#![deny(missing_docs)]

// Dependencies point one way: `wasm` and the CLI → `tokenizer` → the stages (`normalizer`,
// `pre_tokenizer`, `model`, `post`, `decoder`, `added_tokens`) → `text` and `format`. No stage
// imports another, no model imports a pre-tokenizer, and `train` uses stages but no stage uses it.
mod added_tokens;
#[cfg(feature = "chat")]
pub mod chat;
mod decode_stream;
mod decoder;
mod encoding;
mod error;
mod format;
#[cfg(feature = "lab")]
mod lab;
mod limits;
mod model;
mod normalizer;
mod options;
mod post;
mod pre_tokenizer;
mod text;
mod tokenizer;
#[cfg(feature = "train")]
pub mod train;

#[cfg(all(target_arch = "wasm32", any(feature = "wasm-tokenizer", feature = "train")))]
mod wasm;

pub use decode_stream::DecodeStream;
pub use encoding::{Encoding, Tokens};
#[cfg(feature = "lab")]
pub use lab::{MergeNode, MergeTree};
pub use limits::{Cut, Side};
pub use error::{Error, ErrorKind, Result};
pub use options::{EncodeOptions, SpecialTokens};
pub use text::utf16::utf8_to_utf16_offsets;
pub use tokenizer::Tokenizer;
