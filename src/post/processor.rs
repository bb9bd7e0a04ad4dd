//! Post-processor stage: what happens to the encodings of one text or a pair after the model —
//! special tokens (`add_special_tokens`), type ids, sequence ranges and `ByteLevel` offset trimming.
//!
//! Reproduces the reference `PostProcessor::process` (each sequence first gets its sequence id and
//! type id = its index, then `process_encodings`, then a merge), and the `process_encodings` of
//! `TemplateProcessing`, `BertProcessing`, `RobertaProcessing`, `ByteLevel` and `Sequence`.

use crate::text::byte_level::BYTE_TO_CHAR;
use crate::encoding::Encoding;
use crate::error::{Error, Result};
use crate::format::read::{RawPieceName, RawPostProcessor, RawSpecialToken, RawTemplatePiece};

const STAGE: &str = "post_processor";

#[derive(Debug)]
pub(crate) enum TemplatePiece {
    /// An input sequence: 0 for `$A`, 1 for `$B`, with the type id its tokens get.
    Sequence { index: usize, type_id: u32 },
    /// Ids and token strings of a special token of the template.
    Special { ids: Vec<u32>, tokens: Vec<String>, type_id: u32 },
}

#[derive(Debug)]
pub(crate) enum PostProcessor {
    ByteLevel { trim_offsets: bool, add_prefix_space: bool },
    Template { single: Vec<TemplatePiece>, pair: Vec<TemplatePiece> },
    /// `[CLS] A [SEP]` and `B [SEP]` with type id 1 for the pair.
    Bert { sep: (String, u32), cls: (String, u32) },
    /// `<s> A </s>` and `</s> B </s>`, all type ids 0, optional `ByteLevel` offset trimming.
    Roberta { sep: (String, u32), cls: (String, u32), trim_offsets: bool, add_prefix_space: bool },
    Sequence(Vec<PostProcessor>),
}

fn parse_template(
    pieces: Option<&[RawTemplatePiece]>,
    specials: &rustc_hash::FxHashMap<String, RawSpecialToken>,
    id_to_token: &dyn Fn(u32) -> Option<String>,
    which: &str,
    allows_b: bool,
) -> Result<Vec<TemplatePiece>> {
    let pieces = pieces.ok_or_else(|| Error::invalid(STAGE, format!("TemplateProcessing without `{which}`")))?;
    let sequence = |id: &str, type_id: u32| match id {
        "A" => Ok(TemplatePiece::Sequence { index: 0, type_id }),
        "B" if allows_b => Ok(TemplatePiece::Sequence { index: 1, type_id }),
        _ => Err(Error::invalid(STAGE, format!("`{which}` template names sequence `{id}`"))),
    };
    pieces
        .iter()
        .map(|piece| match piece {
            RawTemplatePiece { seq: Some(seq), sequence: None, special_token: None, ids: None, type_id } => sequence(seq, *type_id),
            // The 1.0 form names a special token by its ids; its strings are the vocab's (the
            // tokens the reference's 1.0 pipeline decodes them to).
            RawTemplatePiece { ids: Some(ids), seq: None, sequence: None, special_token: None, type_id } => {
                let tokens = ids
                    .iter()
                    .map(|&id| id_to_token(id).ok_or_else(|| Error::invalid(STAGE, format!("`{which}` template names id {id}, which is in no vocab"))))
                    .collect::<Result<_>>()?;
                Ok(TemplatePiece::Special { ids: ids.clone(), tokens, type_id: *type_id })
            }
            RawTemplatePiece { sequence: Some(RawPieceName { id, type_id }), seq: None, special_token: None, ids: None, .. } => sequence(id, *type_id),
            RawTemplatePiece { special_token: Some(RawPieceName { id, type_id }), seq: None, sequence: None, ids: None, .. } => match specials.get(id) {
                Some(RawSpecialToken { ids, tokens }) if ids.len() == tokens.len() => {
                    Ok(TemplatePiece::Special { ids: ids.clone(), tokens: tokens.clone(), type_id: *type_id })
                }
                Some(_) => Err(Error::invalid(STAGE, format!("special token `{id}` has different numbers of ids and tokens"))),
                None => Err(Error::invalid(STAGE, format!("template names special token `{id}`, missing from `special_tokens`"))),
            },
            _ => Err(Error::invalid(
                STAGE,
                format!("a `{which}` template piece must be one of {{\"SpecialToken\": ..}}, {{\"Sequence\": ..}}, {{\"ids\": [..]}}, {{\"seq\": \"A\"}}"),
            )),
        })
        .collect()
}

fn required<T: Clone>(value: &Option<T>, kind: &str, field: &str) -> Result<T> {
    value.clone().ok_or_else(|| Error::invalid(STAGE, format!("{kind} without `{field}`")))
}

impl PostProcessor {
    /// Validates a raw `post_processor`. `id_to_token` reads the token strings of a 1.0-form
    /// template (which names its special tokens by id) from the vocab and added tokens.
    pub fn from_raw(raw: &RawPostProcessor, id_to_token: &dyn Fn(u32) -> Option<String>) -> Result<Self> {
        Ok(match raw.kind.as_str() {
            "ByteLevel" => PostProcessor::ByteLevel {
                trim_offsets: raw.trim_offsets.unwrap_or(true),
                add_prefix_space: raw.add_prefix_space.unwrap_or(true),
            },
            "TemplateProcessing" => {
                let specials = raw.special_tokens.clone().unwrap_or_default();
                PostProcessor::Template {
                    single: parse_template(raw.single.as_deref(), &specials, id_to_token, "single", false)?,
                    pair: parse_template(raw.pair.as_deref(), &specials, id_to_token, "pair", true)?,
                }
            }
            "BertProcessing" => PostProcessor::Bert {
                sep: required(&raw.sep, "BertProcessing", "sep")?,
                cls: required(&raw.cls, "BertProcessing", "cls")?,
            },
            "RobertaProcessing" => PostProcessor::Roberta {
                sep: required(&raw.sep, "RobertaProcessing", "sep")?,
                cls: required(&raw.cls, "RobertaProcessing", "cls")?,
                trim_offsets: raw.trim_offsets.unwrap_or(true),
                add_prefix_space: raw.add_prefix_space.unwrap_or(true),
            },
            "Sequence" => PostProcessor::Sequence(
                raw.processors
                    .as_deref()
                    .ok_or_else(|| Error::invalid(STAGE, "Sequence without `processors`"))?
                    .iter()
                    .map(|p| PostProcessor::from_raw(p, id_to_token))
                    .collect::<Result<_>>()?,
            ),
            other => return Err(Error::unsupported(STAGE, format!("type `{other}`"))),
        })
    }

    /// True when `process` changes no id of a single sequence: only offsets (`ByteLevel`).
    /// Templates can add or repeat tokens even without special ones, so they say false.
    pub fn keeps_ids(&self) -> bool {
        match self {
            PostProcessor::ByteLevel { .. } => true,
            PostProcessor::Sequence(items) => items.iter().all(PostProcessor::keeps_ids),
            PostProcessor::Template { .. } | PostProcessor::Bert { .. } | PostProcessor::Roberta { .. } => false,
        }
    }

    /// Number of tokens `process` adds with `add_special_tokens` (the reference's `added_tokens`),
    /// used by truncation and by `count`.
    pub fn added_tokens(&self, is_pair: bool) -> usize {
        let template_len = |t: &[TemplatePiece]| {
            t.iter().map(|p| if let TemplatePiece::Special { ids, .. } = p { ids.len() } else { 0 }).sum()
        };
        match self {
            PostProcessor::ByteLevel { .. } => 0,
            PostProcessor::Template { single, pair } => template_len(if is_pair { pair } else { single }),
            PostProcessor::Bert { .. } => 2 + is_pair as usize,
            PostProcessor::Roberta { .. } => 2 + 2 * is_pair as usize,
            PostProcessor::Sequence(items) => items.iter().map(|p| p.added_tokens(is_pair)).sum(),
        }
    }

    /// The reference `PostProcessor::process`: the first encoding is sequence 0 with type id 0, the
    /// pair sequence 1 with type id 1, then `process_encodings`, then a merge.
    ///
    /// `texts` are the original texts (the text, then the pair's), for the offset trimming.
    pub fn process(&self, encoding: Encoding, pair: Option<Encoding>, add_special_tokens: bool, texts: &[&str]) -> Encoding {
        let mut encodings: Vec<Encoding> = std::iter::once(encoding).chain(pair).collect();
        for (i, e) in encodings.iter_mut().enumerate() {
            e.set_sequence_id(i as u32);
            // The parts keep the type ids the model gave them (the reference sets only these).
            e.overflowing.iter_mut().for_each(|part| part.set_sequence_id(i as u32));
            e.type_ids = vec![i as u32; e.len()];
        }
        Encoding::merge(self.process_encodings(encodings, add_special_tokens, texts))
    }

    fn process_encodings(&self, mut encodings: Vec<Encoding>, add_special_tokens: bool, texts: &[&str]) -> Vec<Encoding> {
        match self {
            PostProcessor::ByteLevel { trim_offsets, add_prefix_space } => {
                if *trim_offsets {
                    for e in &mut encodings {
                        e.each_with_parts(|e| trim_byte_level_offsets(e, *add_prefix_space, texts));
                    }
                }
                // As the reference's: each encoding it is given (a template's pieces, when it
                // follows one in a `Sequence`) becomes sequence i.
                for (i, e) in encodings.iter_mut().enumerate() {
                    e.set_sequence_id(i as u32);
                }
                encodings
            }
            PostProcessor::Template { single, pair } => {
                let template = if encodings.len() > 1 { pair } else { single };
                let mut inputs: Vec<Option<Encoding>> = encodings.into_iter().map(Some).collect();
                // An input named twice (`$A $A`) is repeated, as the reference clones it; the
                // last use takes it.
                let last_use = |i: usize| template.iter().rposition(|p| matches!(p, TemplatePiece::Sequence { index, .. } if *index == i));
                template
                    .iter()
                    .enumerate()
                    .filter_map(|(at, piece)| match piece {
                        TemplatePiece::Sequence { index, type_id } => {
                            let slot = inputs.get_mut(*index);
                            let mut e = match slot {
                                Some(slot) if last_use(*index) == Some(at) => slot.take().unwrap_or_default(),
                                Some(slot) => slot.clone().unwrap_or_default(),
                                None => Encoding::default(),
                            };
                            e.type_ids = vec![*type_id; e.len()];
                            e.set_sequence_id(*index as u32);
                            Some(e)
                        }
                        TemplatePiece::Special { ids, tokens, type_id } => {
                            add_special_tokens.then(|| Encoding::special(ids, tokens, *type_id))
                        }
                    })
                    .collect()
            }
            PostProcessor::Bert { sep, cls } => {
                if !add_special_tokens {
                    return encodings;
                }
                // Each encoding wrapped, and each of its overflowing parts the same way.
                let bert = |i: usize, e: Encoding| match i {
                    0 => wrap(Some((cls, 0)), e, 0, (sep, 0)),
                    _ => wrap(None, e, 1, (sep, 1)),
                };
                let wrapped = encodings.into_iter().enumerate().map(|(i, mut e)| {
                    let parts: Vec<Encoding> = std::mem::take(&mut e.overflowing).into_iter().map(|p| bert(i, p)).collect();
                    let mut w = bert(i, e);
                    w.overflowing = parts;
                    w
                });
                vec![Encoding::merge(wrapped.collect())]
            }
            PostProcessor::Roberta { sep, cls, trim_offsets, add_prefix_space } => {
                for e in &mut encodings {
                    if *trim_offsets {
                        e.each_with_parts(|e| trim_byte_level_offsets(e, *add_prefix_space, texts));
                    }
                    // Only the encodings themselves: their parts keep the model's type ids here.
                    e.type_ids = vec![0; e.len()];
                }
                if !add_special_tokens {
                    return encodings;
                }
                let wrapped = encodings.into_iter().enumerate().map(|(i, mut e)| {
                    let first = if i == 0 { cls } else { sep };
                    let roberta = |mut e: Encoding| {
                        e.type_ids = vec![0; e.len()];
                        wrap(Some((first, 0)), e, i as u32, (sep, 0))
                    };
                    let parts: Vec<Encoding> = std::mem::take(&mut e.overflowing).into_iter().map(roberta).collect();
                    let mut w = roberta(e);
                    w.overflowing = parts;
                    w
                });
                vec![Encoding::merge(wrapped.collect())]
            }
            PostProcessor::Sequence(items) => {
                items.iter().fold(encodings, |encs, p| p.process_encodings(encs, add_special_tokens, texts))
            }
        }
    }
}

/// Bert/Roberta: `prefix? e suffix` as one encoding whose sequence `seq` is `e`'s tokens.
fn wrap(prefix: Option<(&(String, u32), u32)>, e: Encoding, seq: u32, suffix: (&(String, u32), u32)) -> Encoding {
    let mut wrapped = Encoding::default();
    if let Some(((token, id), type_id)) = prefix {
        wrapped.append(Encoding::special(&[*id], std::slice::from_ref(token), type_id));
    }
    let start = wrapped.len();
    let mut e = e;
    e.clear_ranges();
    wrapped.append(e);
    let end = wrapped.len();
    let ((token, id), type_id) = suffix;
    wrapped.append(Encoding::special(&[*id], std::slice::from_ref(token), type_id));
    wrapped.set_range(seq, start..end);
    wrapped
}

/// The reference `process_offsets`: offsets no longer cover the leading/trailing spaces of a token
/// (except the one prefix space of the first token when `add_prefix_space`).
///
/// The reference's Python `encode` (the golden vectors) runs this on offsets already converted to
/// chars, so the spaces are counted off in chars of the original text: a virtual prefix space
/// aligned to a 3-byte char takes the whole char. `texts` are the original texts by sequence id.
fn trim_byte_level_offsets(encoding: &mut Encoding, add_prefix_space: bool, texts: &[&str]) {
    let space = BYTE_TO_CHAR[b' ' as usize];
    let is_space = |c: &char| *c == space || c.is_whitespace();
    for i in 0..encoding.len() {
        let token = &encoding.tokens[i];
        let mut leading = token.chars().take_while(is_space).count();
        let trailing = token.chars().rev().take_while(is_space).count();
        if leading == 0 && trailing == 0 {
            continue;
        }
        let text = texts.get(encoding.sequence_of(i)).copied().unwrap_or("");
        let (start, end) = encoding.offsets[i];
        let (mut new_start, mut new_end) = (start, end);
        if leading > 0 {
            if (i == 0 || start == 0) && add_prefix_space && leading == 1 {
                leading = 0;
            }
            new_start = chars_forward(text, start, leading).min(end);
        }
        if trailing > 0 {
            if let Some(back) = chars_back(text, end, trailing) {
                new_end = back.max(new_start);
            }
        }
        encoding.offsets[i] = (new_start, new_end);
    }
}

/// Byte offset `n` chars after byte `at` of `text` (past the end counts one per step).
fn chars_forward(text: &str, at: usize, n: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    let mut chars = rest.char_indices().skip(n);
    match chars.next() {
        Some((i, _)) => at + i,
        None => at + rest.len() + n.saturating_sub(rest.chars().count()),
    }
}

/// Byte offset `n` chars before byte `at` of `text`, `None` when fewer than `n` chars precede it.
fn chars_back(text: &str, at: usize, n: usize) -> Option<usize> {
    let before = text.get(..at)?;
    if n == 0 {
        return Some(at);
    }
    before.char_indices().rev().nth(n - 1).map(|(i, _)| i)
}
