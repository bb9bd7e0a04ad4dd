//! Post-processor stage: what happens to the whole encoding after the model — special tokens
//! from a template (`add_special_tokens`) and the `ByteLevel` offset trimming.
//!
//! Reproduces the reference `TemplateProcessing` (single sequences), `ByteLevel`
//! (`trim_offsets`, `process_offsets`) and `Sequence` post-processors.

use crate::byte_level::BYTE_TO_CHAR;
use crate::encoding::Encoding;
use crate::error::{Error, Result};
use crate::schema::{RawPostProcessor, RawSpecialToken, RawTemplatePiece};

#[derive(Debug)]
pub(crate) enum TemplatePiece {
    /// The encoded sequence (`$A`).
    Sequence,
    /// Ids and token strings of a special token of the template.
    Special { ids: Vec<u32>, tokens: Vec<String> },
}

#[derive(Debug)]
pub(crate) enum PostProcessor {
    ByteLevel { trim_offsets: bool, add_prefix_space: bool },
    Template { single: Vec<TemplatePiece> },
    Sequence(Vec<PostProcessor>),
}

impl PostProcessor {
    pub fn from_raw(raw: &RawPostProcessor) -> Result<Self> {
        let stage = "post_processor";
        Ok(match raw.kind.as_str() {
            "ByteLevel" => PostProcessor::ByteLevel {
                trim_offsets: raw.trim_offsets.unwrap_or(true),
                add_prefix_space: raw.add_prefix_space.unwrap_or(true),
            },
            "TemplateProcessing" => {
                let specials = raw.special_tokens.clone().unwrap_or_default();
                let single = raw.single.as_deref().ok_or_else(|| Error::invalid(stage, "TemplateProcessing without `single`"))?;
                let single = single
                    .iter()
                    .map(|piece| match piece {
                        RawTemplatePiece::Sequence { id, .. } if id == "A" => Ok(TemplatePiece::Sequence),
                        RawTemplatePiece::Sequence { id, .. } => {
                            Err(Error::invalid(stage, format!("single template names sequence `{id}`; only `A` exists")))
                        }
                        RawTemplatePiece::SpecialToken { id, .. } => match specials.get(id) {
                            Some(RawSpecialToken { ids, tokens }) if ids.len() == tokens.len() => {
                                Ok(TemplatePiece::Special { ids: ids.clone(), tokens: tokens.clone() })
                            }
                            Some(_) => Err(Error::invalid(stage, format!("special token `{id}` has different numbers of ids and tokens"))),
                            None => Err(Error::invalid(stage, format!("template names special token `{id}`, missing from `special_tokens`"))),
                        },
                    })
                    .collect::<Result<Vec<_>>>()?;
                PostProcessor::Template { single }
            }
            "Sequence" => PostProcessor::Sequence(
                raw.processors
                    .as_deref()
                    .ok_or_else(|| Error::invalid(stage, "Sequence without `processors`"))?
                    .iter()
                    .map(PostProcessor::from_raw)
                    .collect::<Result<_>>()?,
            ),
            other => return Err(Error::unsupported(stage, format!("type `{other}`"))),
        })
    }

    /// Number of tokens `process` adds (for `count`, which builds no encoding).
    pub fn added_len(&self, add_special_tokens: bool) -> usize {
        match self {
            PostProcessor::ByteLevel { .. } => 0,
            PostProcessor::Template { .. } if !add_special_tokens => 0,
            PostProcessor::Template { single } => single
                .iter()
                .map(|p| match p {
                    TemplatePiece::Sequence => 0,
                    TemplatePiece::Special { ids, .. } => ids.len(),
                })
                .sum(),
            PostProcessor::Sequence(items) => items.iter().map(|p| p.added_len(add_special_tokens)).sum(),
        }
    }

    pub fn process(&self, encoding: Encoding, add_special_tokens: bool) -> Encoding {
        match self {
            PostProcessor::ByteLevel { trim_offsets, add_prefix_space } => {
                let mut encoding = encoding;
                if *trim_offsets {
                    trim_byte_level_offsets(&mut encoding, *add_prefix_space);
                }
                encoding
            }
            PostProcessor::Template { .. } if !add_special_tokens => encoding,
            PostProcessor::Template { single } => {
                let mut out = Encoding::with_capacity(encoding.len() + self.added_len(true));
                let mut sequence = Some(encoding);
                for piece in single {
                    match piece {
                        TemplatePiece::Sequence => {
                            if let Some(seq) = sequence.take() {
                                out.append(seq);
                            }
                        }
                        TemplatePiece::Special { ids, tokens } => {
                            for (id, token) in ids.iter().zip(tokens) {
                                out.push(*id, token.clone(), (0, 0));
                            }
                        }
                    }
                }
                out
            }
            PostProcessor::Sequence(items) => items.iter().fold(encoding, |enc, p| p.process(enc, add_special_tokens)),
        }
    }
}

/// The reference `process_offsets`: offsets no longer cover the leading/trailing spaces of a token
/// (except the one prefix space of the first token when `add_prefix_space`).
fn trim_byte_level_offsets(encoding: &mut Encoding, add_prefix_space: bool) {
    let space = BYTE_TO_CHAR[b' ' as usize];
    let is_space = |c: &char| *c == space || c.is_whitespace();
    for (i, (token, offsets)) in encoding.tokens.iter().zip(encoding.offsets.iter_mut()).enumerate() {
        let mut leading = token.chars().take_while(is_space).count();
        let trailing = token.chars().rev().take_while(is_space).count();
        if leading > 0 {
            let is_first = i == 0 || offsets.0 == 0;
            if is_first && add_prefix_space && leading == 1 {
                leading = 0;
            }
            offsets.0 = (offsets.0 + leading).min(offsets.1);
        }
        if trailing > 0 && offsets.1 >= trailing {
            offsets.1 = (offsets.1 - trailing).max(offsets.0);
        }
    }
}
