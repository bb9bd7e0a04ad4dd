//! Token budgets: count up to a limit (stopping early), the longest prefix or suffix that fits,
//! and a text cut into pieces that each fit. What an app needs to know whether a text fits a
//! model's context, and to cut a document for it.
//!
//! Every count here is the count of `encode` on the very string returned (the count the model
//! will see), not of the whole text's tokens up to a cut: cutting a text can change how its last
//! word tokenizes (a SuperBPE superword `" by the way"` cut after `" by the w"` becomes three
//! tokens). The file's truncation and padding do not apply (they would hide the count).

use crate::error::{quoted, Error, ErrorKind, Result};
use crate::options::{EncodeOptions, SpecialTokens};
use crate::tokenizer::{Flow, Matching, Tokenizer};

/// Which end of a text [`Tokenizer::truncate`] cuts off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Keep the beginning (the longest prefix that fits).
    End,
    /// Keep the end (the longest suffix that fits): a chat history keeps its latest turns.
    Start,
}

/// A part of a text and its token count: the result of [`Tokenizer::truncate`] and of each piece
/// of [`Tokenizer::chunk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    /// UTF-8 byte offsets of the part in the text (`text[start..end]`), at char boundaries.
    pub start: usize,
    /// End of the part, exclusive.
    pub end: usize,
    /// Tokens of `encode(&text[start..end], options)`, post-processor tokens included.
    pub count: usize,
}

impl Tokenizer {
    /// The number of tokens of `encode(text, options)` when it is at most `limit`, else `None`.
    /// Encoding stops at the first pre-tokenizer piece past the limit, so the time is in
    /// proportion to the part read when the pre-tokenizer cuts the text into words (GPT-2, o200k,
    /// cl100k, Llama 3, Qwen, OLMo 2, BERT); a file whose model sees the whole text as one piece
    /// (Llama 2, Gemma: SentencePiece without a word split) and a normalizer read all of it. Under
    /// [`SpecialTokens::Refuse`] the whole text is checked first. The file's truncation and
    /// padding do not apply.
    ///
    /// # Errors
    /// As [`Tokenizer::encode`].
    pub fn count_up_to(&self, text: &str, limit: usize, options: impl Into<EncodeOptions>) -> Result<Option<usize>> {
        let options = self.refuse_first(text, options.into())?;
        let added = self.added_tokens(false, options.add_special_tokens);
        let Some(budget) = limit.checked_sub(added) else { return Ok(None) };
        let n = self.count_model_tokens(text, options, budget)?;
        Ok((n <= budget).then_some(n + added))
    }

    /// The longest prefix (`side: End`) or suffix (`Start`) of `text`, cut at a char boundary,
    /// whose `encode(.., options)` has at most `max_tokens` tokens. A whole text that fits is
    /// returned whole. Each candidate cut is checked by encoding it: the count is the count of
    /// the part returned.
    ///
    /// The search starts from the whole text's tokens (read only as far as the budget for `End`)
    /// and tries, from one token past the budget towards the other end, each char boundary for
    /// 256 of them, then token boundaries only; the first that fits wins. In prose that is a
    /// handful of encodings of the kept part; at most 256 + 2 × budget + 2. Each tried cut is
    /// the longest one on the golden tests (a brute force over every boundary with the
    /// reference); a cut more than 256 chars inside one token is not tried.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when `max_tokens` is below the special tokens the post-processor adds
    /// (nothing fits); as [`Tokenizer::encode`].
    pub fn truncate(&self, text: &str, max_tokens: usize, side: Side, options: impl Into<EncodeOptions>) -> Result<Cut> {
        let options = self.refuse_first(text, options.into())?;
        let added = self.added_tokens(false, options.add_special_tokens);
        let budget = max_tokens.checked_sub(added).ok_or_else(|| {
            Error::new(ErrorKind::Input, format!("a budget of {max_tokens} tokens is below the {added} special tokens the post-processor adds: nothing fits"))
        })?;
        let (start, end, n) = match side {
            Side::End => self.longest_prefix(text, budget, options).map(|(end, spans)| (0, end, spans.len()))?,
            Side::Start => self.longest_suffix(text, budget, options)?,
        };
        Ok(Cut { start, end, count: n + added })
    }

    /// `text` cut into consecutive parts that each have at most `max_tokens` tokens: each part
    /// is the longest prefix of the rest that fits ([`Tokenizer::truncate`]), and the next part
    /// starts where the last `overlap` tokens of this one (in its own encoding) start, so that
    /// consecutive parts share about `overlap` tokens of text (retrieval chunks). An empty text
    /// gives no parts.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when `overlap >= max_tokens`, or when one character needs more than
    /// `max_tokens` tokens (a budget too small to hold it); as [`Tokenizer::truncate`].
    pub fn chunk(&self, text: &str, max_tokens: usize, overlap: usize, options: impl Into<EncodeOptions>) -> Result<Vec<Cut>> {
        let options = self.refuse_first(text, options.into())?;
        let added = self.added_tokens(false, options.add_special_tokens);
        if max_tokens <= added {
            return Err(Error::new(ErrorKind::Input, format!("parts of {max_tokens} tokens hold nothing but the {added} special tokens the post-processor adds")));
        }
        if overlap >= max_tokens {
            return Err(Error::new(ErrorKind::Input, format!("an overlap of {overlap} tokens leaves nothing new in parts of {max_tokens} tokens: the overlap must be below the budget")));
        }
        let mut parts = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let (cut, spans) = self.longest_prefix(&text[start..], max_tokens - added, options)?;
            if cut == 0 {
                let c = text[start..].chars().next().unwrap_or_default();
                return Err(Error::new(ErrorKind::Input, format!("the character {} at byte {start} needs more than {max_tokens} tokens: a budget that small cannot hold it", quoted(&c.to_string()))));
            }
            let end = start + cut;
            parts.push(Cut { start, end, count: spans.len() + added });
            if end == text.len() {
                break;
            }
            let mut next = end;
            if overlap > 0 && overlap < spans.len() {
                next = start + floor_char_boundary(&text[start..end], spans[spans.len() - overlap].0);
            }
            start = if next > start { next } else { end };
        }
        Ok(parts)
    }

    /// Under [`SpecialTokens::Refuse`], the error for the first special token anywhere in `text`
    /// (the budget calls read only part of it, or parts of it: the error's span must be in the
    /// whole text, and a token past the cut refused as `count` refuses it). The options to go on
    /// with: `Match`, which encodes a text without special tokens as `Refuse` does.
    fn refuse_first(&self, text: &str, options: EncodeOptions) -> Result<EncodeOptions> {
        if options.special_tokens != SpecialTokens::Refuse {
            return Ok(options);
        }
        self.tokenize_dyn(text, Matching::Refuse, &mut |_, _| Flow::Continue)?;
        Ok(EncodeOptions { special_tokens: SpecialTokens::Match, ..options })
    }

    /// Tokens the model gives `text` (no post-processor), counting no further than `budget + 1`.
    fn count_model_tokens(&self, text: &str, options: EncodeOptions, budget: usize) -> Result<usize> {
        let mut n = 0;
        self.tokenize_dyn(text, options.special_tokens.into(), &mut |_, _| {
            n += 1;
            if n > budget { Flow::Stop } else { Flow::Continue }
        })?;
        Ok(n)
    }

    /// The end of the longest prefix with at most `budget` model tokens, and the spans of its
    /// tokens (what `chunk` needs for its overlap, without encoding the part again).
    fn longest_prefix(&self, text: &str, budget: usize, options: EncodeOptions) -> Result<(usize, Vec<(usize, usize)>)> {
        // The text's tokens up to two past the budget (encoding stops at the end of that piece),
        // read from a window of the text doubled until it holds them: a normalizer reads the
        // whole text it is given, so `chunk` would be quadratic on a long text without it.
        let mut window = budget.saturating_add(2).saturating_mul(16).max(1024);
        let spans = loop {
            let end = ceil_char_boundary(text, window);
            let spans = self.token_spans(&text[..end], options, budget.saturating_add(1))?;
            if spans.len() > budget.saturating_add(1) || end == text.len() {
                break spans;
            }
            window = window.saturating_mul(2);
        };
        if spans.len() <= budget {
            return Ok((text.len(), spans));
        }
        // Cuts tried from the longest down, the first that fits winning: each char boundary below
        // the end of the token after the budget's (a cut inside a token can tokenize into fewer
        // tokens: " by the w" + "ay" → " by the way"; one inside a run of spaces chunks the run
        // anew), up to WALK of them; below those, the token boundaries. Trying every char
        // boundary was quadratic where a long run of spaces or a long unknown word stands at the
        // cut; this makes at most WALK + 2 × budget encodings of the kept part, and in prose a
        // handful.
        let upper = ceil_char_boundary(text, spans[budget.saturating_add(1).min(spans.len() - 1)].1);
        let walked: Vec<usize> = std::iter::once(upper).chain(text[..upper].char_indices().rev().take(WALK).map(|(i, _)| i)).collect();
        let lowest = walked.last().copied().unwrap_or(0);
        // Token boundaries below the walk, longest first (spans are in order; the tokens of one
        // character share its span).
        let mut last = lowest;
        let boundaries = spans.iter().rev().flat_map(|&(s, e)| [ceil_char_boundary(text, e), floor_char_boundary(text, s)]).chain([0]).filter(move |&c| {
            let keep = c < last;
            last = last.min(c);
            keep
        });
        for end in walked.into_iter().chain(boundaries) {
            let kept = self.token_spans(&text[..end], options, budget)?;
            if kept.len() <= budget {
                return Ok((end, kept));
            }
        }
        Ok((0, Vec::new()))
    }

    /// `(start, len, count)` of the longest suffix with at most `budget` model tokens.
    fn longest_suffix(&self, text: &str, budget: usize, options: EncodeOptions) -> Result<(usize, usize, usize)> {
        let spans = self.token_spans(text, options, usize::MAX)?;
        if spans.len() <= budget {
            return Ok((0, text.len(), spans.len()));
        }
        // As `longest_prefix`, mirrored: from the start of the token before the budget's first.
        let lower = floor_char_boundary(text, spans[(spans.len() - budget).saturating_sub(2)].0);
        let walked: Vec<usize> = std::iter::once(lower).chain(text[lower..].char_indices().skip(1).take(WALK).map(|(i, _)| lower + i)).collect();
        let highest = walked.last().copied().unwrap_or(text.len());
        let mut last = highest;
        let boundaries = spans.iter().flat_map(|&(s, e)| [floor_char_boundary(text, s), ceil_char_boundary(text, e)]).chain([text.len()]).filter(move |&c| {
            let keep = c > last;
            last = last.max(c);
            keep
        });
        for start in walked.into_iter().chain(boundaries) {
            let n = self.count_model_tokens(&text[start..], options, budget)?;
            if n <= budget {
                return Ok((start, text.len(), n));
            }
        }
        Ok((text.len(), text.len(), 0))
    }

    /// The `(start, end)` byte spans of the model's first `limit + 1` tokens of `text` (all of
    /// them for `usize::MAX`); encoding stops at the end of the piece that passes the limit.
    fn token_spans(&self, text: &str, options: EncodeOptions, limit: usize) -> Result<Vec<(usize, usize)>> {
        let mut spans = Vec::new();
        self.tokenize_dyn(text, options.special_tokens.into(), &mut |_, span| {
            spans.push(span);
            if spans.len() > limit { Flow::Stop } else { Flow::Continue }
        })?;
        Ok(spans)
    }
}

/// Char boundaries tried one by one at the budget's edge before only token boundaries are: more
/// than a long space token (o200k's runs of up to 128 spaces chunk anew where they are cut) and a
/// SuperBPE superword.
const WALK: usize = 256;

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}
