//! The superword lab's analyses of a loaded file (feature `lab`): where SuperBPE's superword
//! stage starts ([`Tokenizer::transition_point`](crate::Tokenizer::transition_point)), how a
//! token is built ([`Tokenizer::merge_tree`](crate::Tokenizer::merge_tree)), the stage of each
//! token ([`Tokenizer::merge_ranks`](crate::Tokenizer::merge_ranks)) and the pieces the
//! pre-tokenizer cuts ([`Tokenizer::pre_tokenize`](crate::Tokenizer::pre_tokenize)). None of
//! them is on the encoding path.

mod merges;
mod pieces;
mod transition;

pub use merges::{MergeNode, MergeTree};
