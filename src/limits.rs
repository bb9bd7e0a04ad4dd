//! Token budgets: count up to a limit (stopping early), the longest prefix or suffix that fits,
//! and a text cut into pieces that each fit. What an app needs to know whether a text fits a
//! model's context, and to cut a document for it.
//!
//! Every count here is the count of `encode` on the very string returned (the count the model
//! will see), not of the whole text's tokens up to a cut: cutting a text can change how its last
//! word tokenizes (a SuperBPE superword `" by the way"` cut after `" by the w"` becomes three
//! tokens). The file's truncation and padding do not apply (they would hide the count).

use crate::error::{quoted, Error, ErrorKind, Result};
use crate::options::EncodeOptions;
use crate::tokenizer::{Flow, Tokenizer};

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
    /// proportion to the part read (a normalizer, when the file has one, still reads the whole
    /// text first). The file's truncation and padding do not apply.
    ///
    /// # Errors
    /// As [`Tokenizer::encode`].
    pub fn count_up_to(&self, text: &str, limit: usize, options: impl Into<EncodeOptions>) -> Result<Option<usize>> {
        let options = options.into();
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
    /// and tries each char boundary from one token past the budget towards the text's start, the
    /// first that fits winning: a few encodings of the kept part, more when a long token (a
    /// superword) stands at the cut.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when `max_tokens` is below the special tokens the post-processor adds
    /// (nothing fits); as [`Tokenizer::encode`].
    pub fn truncate(&self, text: &str, max_tokens: usize, side: Side, options: impl Into<EncodeOptions>) -> Result<Cut> {
        let options = options.into();
        let added = self.added_tokens(false, options.add_special_tokens);
        let budget = max_tokens.checked_sub(added).ok_or_else(|| {
            Error::new(ErrorKind::Input, format!("a budget of {max_tokens} tokens is below the {added} special tokens the post-processor adds: nothing fits"))
        })?;
        let (start, end, n) = match side {
            Side::End => self.longest_prefix(text, budget, options)?,
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
        let options = options.into();
        if overlap >= max_tokens {
            return Err(Error::new(ErrorKind::Input, format!("an overlap of {overlap} tokens leaves nothing new in parts of {max_tokens} tokens: the overlap must be below the budget")));
        }
        let mut parts = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let cut = self.truncate(&text[start..], max_tokens, Side::End, options)?;
            if cut.end == 0 {
                let c = text[start..].chars().next().unwrap_or_default();
                return Err(Error::new(ErrorKind::Input, format!("the character {} at byte {start} needs more than {max_tokens} tokens: a budget that small cannot hold it", quoted(&c.to_string()))));
            }
            let end = start + cut.end;
            parts.push(Cut { start, end, count: cut.count });
            if end == text.len() {
                break;
            }
            let mut next = end;
            if overlap > 0 {
                let starts = self.token_starts(&text[start..end], options)?;
                if overlap < starts.len() {
                    next = start + starts[starts.len() - overlap];
                }
            }
            start = if next > start { next } else { end };
        }
        Ok(parts)
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

    /// Whether `text` has at most `budget` model tokens.
    fn fits(&self, text: &str, options: EncodeOptions, budget: usize) -> Result<bool> {
        Ok(self.count_model_tokens(text, options, budget)? <= budget)
    }

    /// The model tokens' start offsets in `text` (floored to char boundaries).
    fn token_starts(&self, text: &str, options: EncodeOptions) -> Result<Vec<usize>> {
        let mut starts = Vec::new();
        self.tokenize_dyn(text, options.special_tokens.into(), &mut |_, (s, _)| {
            starts.push(floor_char_boundary(text, s));
            Flow::Continue
        })?;
        Ok(starts)
    }

    /// `(0, end, count)` of the longest prefix with at most `budget` model tokens.
    fn longest_prefix(&self, text: &str, budget: usize, options: EncodeOptions) -> Result<(usize, usize, usize)> {
        // The text's tokens up to two past the budget (encoding stops at the end of that piece).
        let mut ends = Vec::new();
        self.tokenize_dyn(text, options.special_tokens.into(), &mut |_, (_, e)| {
            ends.push(e);
            if ends.len() > budget + 1 { Flow::Stop } else { Flow::Continue }
        })?;
        if ends.len() <= budget {
            return Ok((0, text.len(), ends.len()));
        }
        // From the end of the token after the budget's (a cut there can tokenize into fewer
        // tokens: " by the w" + "ay" → " by the way") down to the text's start.
        let upper = ceil_char_boundary(text, ends.get(budget + 1).or(ends.last()).copied().unwrap_or(0));
        let mut end = upper;
        loop {
            if self.fits(&text[..end], options, budget)? {
                let n = self.count_model_tokens(&text[..end], options, budget)?;
                return Ok((0, end, n));
            }
            match text[..end].char_indices().next_back() {
                Some((i, _)) => end = i,
                None => return Ok((0, 0, 0)),
            }
        }
    }

    /// `(start, len, count)` of the longest suffix with at most `budget` model tokens.
    fn longest_suffix(&self, text: &str, budget: usize, options: EncodeOptions) -> Result<(usize, usize, usize)> {
        let starts = self.token_starts(text, options)?;
        if starts.len() <= budget {
            return Ok((0, text.len(), starts.len()));
        }
        // From the start of the token before the budget's last, towards the text's end.
        let lower = starts[(starts.len() - budget).saturating_sub(2)];
        let mut start = lower;
        loop {
            if self.fits(&text[start..], options, budget)? {
                let n = self.count_model_tokens(&text[start..], options, budget)?;
                return Ok((start, text.len(), n));
            }
            match text[start..].chars().next() {
                Some(c) => start += c.len_utf8(),
                None => return Ok((text.len(), text.len(), 0)),
            }
        }
    }
}

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
