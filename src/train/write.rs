//! The files a training run writes, byte for byte as the reference writes them: `tokenizer.json`
//! (`Tokenizer::save`, pretty-printed), `vocab.json` and `merges.txt` (`BPE::save`).

use super::counts::raw_pre_tokenizer;
use super::{Trained, SUBWORD_PATTERN, SUPERWORD_PATTERN};
use crate::format::read::RawPreTokenizer;
use crate::text::byte_level;
use serde::Serialize;

#[derive(Serialize)]
#[serde(tag = "type")]
enum DecoderSpec {
    ByteLevel { add_prefix_space: bool, trim_offsets: bool, use_regex: bool },
}

/// The vocab in id order, keys in byte-level chars.
struct VocabSpec<'a>(&'a [Vec<u8>]);

impl Serialize for VocabSpec<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (id, token) in self.0.iter().enumerate() {
            map.serialize_entry(&byte_level::to_chars(token), &id)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct ModelSpec<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    dropout: Option<f32>,
    unk_token: Option<String>,
    continuing_subword_prefix: Option<String>,
    end_of_word_suffix: Option<String>,
    fuse_unk: bool,
    byte_fallback: bool,
    ignore_merges: bool,
    vocab: VocabSpec<'a>,
    merges: Vec<[String; 2]>,
}

#[derive(Serialize)]
struct TokenizerSpec<'a> {
    version: &'static str,
    truncation: Option<()>,
    padding: Option<()>,
    added_tokens: [(); 0],
    normalizer: Option<()>,
    pre_tokenizer: RawPreTokenizer,
    post_processor: Option<()>,
    decoder: DecoderSpec,
    model: ModelSpec<'a>,
}

impl Trained {
    /// `vocab.json` as the reference's `BPE::save` writes it: one compact JSON object, token (in
    /// byte-level chars) → id, in id order.
    pub fn vocab_json(&self) -> String {
        serde_json::to_string(&VocabSpec(&self.tokens)).expect("strings serialize")
    }

    /// `merges.txt` as the reference's `BPE::save` writes it: `#version: 0.2`, then one
    /// `left right` line per merge in rank order.
    pub fn merges_txt(&self) -> String {
        let mut out = String::from("#version: 0.2\n");
        for &(a, b) in &self.merges {
            out.push_str(&byte_level::to_chars(&self.tokens[a as usize]));
            out.push(' ');
            out.push_str(&byte_level::to_chars(&self.tokens[b as usize]));
            out.push('\n');
        }
        out
    }

    /// A complete `tokenizer.json` (pretty-printed as the reference's `Tokenizer::save`): BPE with
    /// this vocab and merges, the stage's pre-tokenizer (stage 1 for BPE, stage 2 for SuperBPE:
    /// that is how SuperBPE encodes; a stage-2 pattern of the authors' newer code is `Split` then
    /// `ByteLevel`, as their `train_tokenizer.py` saves it), a ByteLevel decoder.
    pub fn tokenizer_json(&self) -> String {
        let spec = TokenizerSpec {
            version: "1.0",
            truncation: None,
            padding: None,
            added_tokens: [],
            normalizer: None,
            pre_tokenizer: match (&self.superwords, &self.stage2_pattern) {
                (false, _) => raw_pre_tokenizer(SUBWORD_PATTERN, true),
                (true, None) => raw_pre_tokenizer(SUPERWORD_PATTERN, true),
                (true, Some(pattern)) => raw_pre_tokenizer(pattern, false),
            },
            post_processor: None,
            decoder: DecoderSpec::ByteLevel { add_prefix_space: true, trim_offsets: true, use_regex: true },
            model: ModelSpec {
                kind: "BPE",
                dropout: None,
                unk_token: None,
                continuing_subword_prefix: None,
                end_of_word_suffix: None,
                fuse_unk: false,
                byte_fallback: false,
                ignore_merges: false,
                vocab: VocabSpec(&self.tokens),
                merges: self
                    .merges
                    .iter()
                    .map(|&(a, b)| [byte_level::to_chars(&self.tokens[a as usize]), byte_level::to_chars(&self.tokens[b as usize])])
                    .collect(),
            },
        };
        serde_json::to_string_pretty(&spec).expect("strings serialize")
    }
}
