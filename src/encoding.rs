//! The result of encoding: ids, token strings, offsets and the per-token masks as parallel arrays.
//!
//! Also the reference `Encoding` operations the post-processing steps need (`merge_with`,
//! `truncate`, `pad`, sequence ranges), with the same rules, so that type ids, masks and sequence
//! ids come out as the reference gives them.

use std::cell::Cell;
use std::ops::Range;

thread_local! {
    /// Tokens the overflowing parts may still take while a [`PartsBudget`] lives (else unbounded),
    /// and whether a part was left out for want of them.
    static PARTS_LEFT: Cell<usize> = const { Cell::new(usize::MAX) };
    static PARTS_OVER: Cell<bool> = const { Cell::new(false) };
}

/// Bounds the tokens of the overflowing parts made while it lives: truncation, the pair's cross
/// product (`append`), a template that repeats a sequence, padding each part. The reference has no
/// bound (a `$A $A $A` template makes parts ~ pa^3); wasm's memory stops at 4 GiB. A part that would
/// pass the bound is not made, and [`PartsBudget::exceeded`] says so.
pub(crate) struct PartsBudget(());

impl PartsBudget {
    /// At most `tokens` tokens of parts from now on.
    pub fn start(tokens: usize) -> PartsBudget {
        PARTS_LEFT.set(tokens);
        PARTS_OVER.set(false);
        PartsBudget(())
    }

    /// True when a part was left out.
    pub fn exceeded(&self) -> bool {
        PARTS_OVER.get()
    }
}

impl Drop for PartsBudget {
    fn drop(&mut self) {
        PARTS_LEFT.set(usize::MAX);
    }
}

/// Takes `tokens` from the budget; false (and the budget marked exceeded) when there are not enough.
fn spend(tokens: usize) -> bool {
    let left = PARTS_LEFT.get();
    if tokens > left {
        PARTS_OVER.set(true);
        return false;
    }
    PARTS_LEFT.set(left - tokens);
    true
}

/// One encoded text (or pair of texts). All vectors have the same length, one entry per token.
///
/// `offsets[i]` is the `(start, end)` span of token `i` in the original text of its sequence
/// (`sequence_ids[i]`: 0 for the first text, 1 for the pair), in **UTF-8 bytes** (use
/// [`crate::text::offsets::utf8_to_utf16_offsets`] for JavaScript string indices). As in the reference,
/// a token that covers part of a multi-byte char (byte-level BPE, byte fallback) spans the whole
/// char, so neighbours may share a span; special tokens added by the post-processor and padding
/// have `(0, 0)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoding {
    /// Token ids.
    pub ids: Vec<u32>,
    /// Token strings as the vocab spells them (e.g. `Ġthe` for a byte-level " the").
    pub tokens: Tokens,
    /// UTF-8 byte spans into the original text of the token's sequence.
    pub offsets: Vec<(usize, usize)>,
    /// Type id of each token (segment ids: 0 for the first sequence, usually 1 for the pair),
    /// as the post-processor template sets them.
    pub type_ids: Vec<u32>,
    /// 1 for special tokens added by the post-processor and for padding, 0 otherwise.
    pub special_tokens_mask: Vec<u32>,
    /// 1 for real tokens, 0 for padding.
    pub attention_mask: Vec<u32>,
    /// Which input sequence each token comes from (`Some(0)`, `Some(1)`), `None` for tokens the
    /// post-processor added. Computed as the reference's `Encoding::sequence_ids`.
    pub sequence_ids: Vec<Option<u32>>,
    /// The reference's `overflowing`: the parts that truncation cut off (empty without
    /// truncation, or when the text fits), each post-processed and padded as the reference does
    /// (its template's special tokens, its own type ids and offsets), in the reference's order. A
    /// part overlaps the one before by the truncation's `stride` tokens. For a pair, the parts of
    /// the first text combine with the second and its parts as the reference's `merge_with` does,
    /// so a part may hold parts of its own.
    pub overflowing: Vec<Encoding>,
    /// The reference's `sequence_ranges` (sequence id → token range); `sequence_ids` is derived
    /// from it once the encoding is final.
    sequence_ranges: Vec<(u32, Range<usize>)>,
}

impl Encoding {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Encoding {
            ids: Vec::with_capacity(n),
            tokens: Tokens::with_capacity(n),
            offsets: Vec::with_capacity(n),
            ..Encoding::default()
        }
    }

    /// Calls `f` on this encoding, then on each of its overflowing parts (one level, as the
    /// reference's post-processors visit them).
    pub(crate) fn each_with_parts(&mut self, mut f: impl FnMut(&mut Encoding)) {
        f(self);
        self.overflowing.iter_mut().for_each(f);
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds a token of the model or an added token (not special for the masks: the reference marks
    /// only post-processor tokens and padding in `special_tokens_mask`).
    pub(crate) fn push(&mut self, id: u32, token: &str, offsets: (usize, usize)) {
        self.ids.push(id);
        self.tokens.push(token);
        self.offsets.push(offsets);
    }

    /// Fills the per-token vectors after `push`es: every token gets `type_id`, mask 0, attention 1.
    pub(crate) fn fill_masks(&mut self, type_id: u32) {
        let n = self.ids.len();
        self.type_ids = vec![type_id; n];
        self.special_tokens_mask = vec![0; n];
        self.attention_mask = vec![1; n];
    }

    /// An encoding of special tokens only (a template's `[CLS]`), as the reference builds them.
    pub(crate) fn special(ids: &[u32], tokens: &[String], type_id: u32) -> Self {
        let n = ids.len();
        Encoding {
            ids: ids.to_vec(),
            tokens: tokens.iter().map(String::as_str).collect(),
            offsets: vec![(0, 0); n],
            type_ids: vec![type_id; n],
            special_tokens_mask: vec![1; n],
            attention_mask: vec![1; n],
            ..Encoding::default()
        }
    }

    /// The reference `set_sequence_id`: the whole encoding is sequence `id`.
    pub(crate) fn set_sequence_id(&mut self, id: u32) {
        let range = 0..self.len();
        self.set_range(id, range);
    }

    /// Forgets the sequence ranges (Bert/Roberta replace them with their own).
    pub(crate) fn clear_ranges(&mut self) {
        self.sequence_ranges.clear();
    }

    /// Sets the token range of sequence `id`, replacing an earlier one (a map, as the reference's).
    pub(crate) fn set_range(&mut self, id: u32, range: Range<usize>) {
        match self.sequence_ranges.iter_mut().find(|(i, _)| *i == id) {
            Some(entry) => entry.1 = range,
            None => self.sequence_ranges.push((id, range)),
        }
    }

    /// Sequence of token `i` as the reference's `token_to_sequence` (0 without sequence ranges).
    pub(crate) fn sequence_of(&self, i: usize) -> usize {
        self.sequence_ranges.iter().find(|(_, r)| r.contains(&i)).map_or(0, |(id, _)| *id as usize)
    }

    /// The reference `merge_with(other, growing_offsets = false)`: appends `other`, its sequence
    /// ranges shifted by our length. Overflowing parts combine as there: each of ours with
    /// `other` and with each of its parts, then we (with our parts) with each of its parts.
    pub(crate) fn append(&mut self, other: Encoding) {
        if !self.overflowing.is_empty() || !other.overflowing.is_empty() {
            let mut parts = Vec::new();
            let mut combine = |a: &Encoding, b: &Encoding| {
                if !spend(a.total_len().saturating_add(b.total_len())) {
                    return false;
                }
                let mut part = a.clone();
                part.append(b.clone());
                parts.push(part);
                true
            };
            'mine: for mine in &self.overflowing {
                for theirs in std::iter::once(&other).chain(&other.overflowing) {
                    if !combine(mine, theirs) {
                        break 'mine;
                    }
                }
            }
            for theirs in &other.overflowing {
                if !combine(self, theirs) {
                    break;
                }
            }
            self.overflowing = parts;
        }
        let shift = self.len();
        for (id, range) in other.sequence_ranges {
            self.set_range(id, range.start + shift..range.end + shift);
        }
        self.ids.extend(other.ids);
        self.tokens.extend(&other.tokens);
        self.offsets.extend(other.offsets);
        self.type_ids.extend(other.type_ids);
        self.special_tokens_mask.extend(other.special_tokens_mask);
        self.attention_mask.extend(other.attention_mask);
    }

    /// The reference `Encoding::merge(encodings, false)`.
    pub(crate) fn merge(encodings: Vec<Encoding>) -> Encoding {
        let mut out = Encoding::default();
        for e in encodings {
            out.append(e);
        }
        out
    }

    /// The reference `truncate(max_len, stride, direction)`: keeps the first `max_len` tokens
    /// (`left == false`) or the last ones, and puts the rest in [`Encoding::overflowing`] as parts of
    /// `max_len` tokens, each overlapping the one before by `stride` (the caller checks
    /// `stride < max_len`, which the reference asserts). With `max_len == 0` the whole encoding
    /// becomes the one part. The reference drops the sequence ranges when it truncates.
    ///
    /// `keep_parts: false` drops the parts (what `encode_ids` needs), and so does a
    /// [`PartsBudget`] that runs out.
    pub(crate) fn truncate(&mut self, max_len: usize, stride: usize, left: bool, keep_parts: bool) {
        let n = self.len();
        if max_len >= n {
            return;
        }
        if max_len == 0 {
            let all = std::mem::take(self);
            if keep_parts && spend(all.len()) {
                self.overflowing.push(all);
            }
            return;
        }
        self.sequence_ranges.clear();
        let parts = Encoding::part_ranges(n, max_len, stride, left);
        let slice = |r: &Range<usize>| Encoding {
            ids: self.ids[r.clone()].to_vec(),
            tokens: self.tokens.slice(r.clone()),
            offsets: self.offsets[r.clone()].to_vec(),
            type_ids: self.type_ids[r.clone()].to_vec(),
            special_tokens_mask: self.special_tokens_mask[r.clone()].to_vec(),
            attention_mask: self.attention_mask[r.clone()].to_vec(),
            ..Encoding::default()
        };
        let mut kept = slice(&parts[0]);
        if keep_parts {
            kept.overflowing = parts[1..].iter().take_while(|r| spend(r.len())).map(slice).collect();
        }
        *self = kept;
    }

    /// Tokens of this encoding and of all its parts, nested ones included.
    fn total_len(&self) -> usize {
        self.overflowing.iter().fold(self.len(), |n, part| n.saturating_add(part.total_len()))
    }

    /// The token ranges of the reference's `truncate` parts, the kept one first: from the start in
    /// steps of `max_len - stride` (from the end with `left`) until one reaches the other end.
    pub(crate) fn part_ranges(n: usize, max_len: usize, stride: usize, left: bool) -> Vec<Range<usize>> {
        let step = max_len.saturating_sub(stride).max(1);
        let mut parts = Vec::new();
        if left {
            let mut stop = n;
            loop {
                let start = stop.saturating_sub(max_len);
                parts.push(start..stop);
                if start == 0 || stop <= step {
                    break;
                }
                stop -= step;
            }
        } else {
            let mut start = 0;
            while start < n {
                let stop = (start + max_len).min(n);
                parts.push(start..stop);
                if stop == n {
                    break;
                }
                start += step;
            }
        }
        parts
    }

    /// The reference `pad`: up to `target` tokens of `pad_id`/`pad_token`, on the left or right;
    /// padding is special (mask 1), not attended (0), and has offsets `(0, 0)`.
    pub(crate) fn pad(&mut self, target: usize, pad_id: u32, pad_type_id: u32, pad_token: &str, left: bool) {
        // The reference pads the overflowing parts first, to the same length.
        for part in &mut self.overflowing {
            if !spend(target.saturating_sub(part.len())) {
                break;
            }
            part.pad(target, pad_id, pad_type_id, pad_token, left);
        }
        let n = self.len();
        if n >= target {
            return;
        }
        let k = target - n;
        fn grow<T: Clone>(v: &mut Vec<T>, k: usize, value: T, left: bool) {
            if left {
                v.splice(0..0, std::iter::repeat_n(value, k));
            } else {
                v.extend(std::iter::repeat_n(value, k));
            }
        }
        grow(&mut self.ids, k, pad_id, left);
        let pads = std::iter::repeat_n(pad_token, k);
        self.tokens = if left { pads.chain(self.tokens.iter()).collect() } else { self.tokens.iter().chain(pads).collect() };
        grow(&mut self.offsets, k, (0, 0), left);
        grow(&mut self.type_ids, k, pad_type_id, left);
        grow(&mut self.special_tokens_mask, k, 1, left);
        grow(&mut self.attention_mask, k, 0, left);
        if left {
            for (_, range) in &mut self.sequence_ranges {
                *range = range.start + k..range.end + k;
            }
        }
    }

    /// Computes `sequence_ids` from the sequence ranges, as the reference's `sequence_ids()`:
    /// with no ranges every token is sequence 0 (padding included); otherwise ids `0..n_ranges`
    /// each take their range, and a missing one means the whole encoding.
    pub(crate) fn finish(mut self) -> Encoding {
        let n = self.len();
        let mut ids = vec![None; n];
        let sequences = self.sequence_ranges.len().max(1) as u32;
        for id in 0..sequences {
            let range = self.sequence_ranges.iter().find(|(i, _)| *i == id).map_or(0..n, |(_, r)| r.clone());
            for slot in ids.get_mut(range.start.min(n)..range.end.min(n)).into_iter().flatten() {
                *slot = Some(id);
            }
        }
        self.sequence_ids = ids;
        self.overflowing = std::mem::take(&mut self.overflowing).into_iter().map(Encoding::finish).collect();
        self
    }
}

/// The token strings of an encoding, stored end to end in one string (no allocation per token:
/// an encoding of a long text has hundreds of thousands of them). Indexing gives `&str`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    text: String,
    /// End of each token in `text`; a token starts where the previous one ends.
    ends: Vec<usize>,
}

impl Tokens {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Tokens { text: String::with_capacity(n * 4), ends: Vec::with_capacity(n) }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string of token `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..end])
    }

    /// The token strings in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// Every token string concatenated, in order (the text of token `i` ends at `ends()[i]`).
    pub fn joined(&self) -> &str {
        &self.text
    }

    /// End of each token in [`Tokens::joined`], in bytes.
    pub fn ends(&self) -> &[usize] {
        &self.ends
    }

    /// The token strings as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }

    pub(crate) fn push(&mut self, token: &str) {
        self.text.push_str(token);
        self.ends.push(self.text.len());
    }

    /// Tokens `range` (in bounds), copied in one pass over their bytes.
    pub(crate) fn slice(&self, range: Range<usize>) -> Tokens {
        let start = if range.start == 0 { 0 } else { self.ends[range.start - 1] };
        let end = if range.end == 0 { 0 } else { self.ends[range.end - 1] };
        Tokens { text: self.text[start..end].to_owned(), ends: self.ends[range].iter().map(|e| e - start).collect() }
    }

    pub(crate) fn extend(&mut self, other: &Tokens) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + base));
    }
}

impl std::ops::Index<usize> for Tokens {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(t) => t,
            None => panic!("token index {i} out of range for {} tokens", self.len()),
        }
    }
}

impl<'a> FromIterator<&'a str> for Tokens {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut tokens = Tokens::default();
        for t in iter {
            tokens.push(t);
        }
        tokens
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Tokens {
    fn eq(&self, other: &Vec<S>) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl serde::Serialize for Tokens {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}
