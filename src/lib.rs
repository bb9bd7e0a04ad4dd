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

mod added_tokens;
mod bpe;
pub mod byte_level;
mod decoder;
mod encoding;
mod error;
mod merge;
mod model;
mod normalizer;
pub mod offsets;
mod padding;
mod post_processor;
mod pre_tokenizer;
mod regex_dialect;
mod precompiled;
mod schema;
mod tokenizer;
pub mod trainer;
mod truncation;
mod unigram;
mod vocab;
mod wordlevel;
mod word_cache;
mod wordpiece;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use encoding::{Encoding, Tokens};
pub use error::{Error, ErrorKind, Result};
pub use tokenizer::Tokenizer;
