//! The compiled form of a `tokenizer.json`: the same tokenizer in fewer bytes, loaded without
//! parsing the vocab and merges as JSON text (issue 17). `tokenscope compile` writes it;
//! [`crate::Tokenizer::from_bytes`] reads it (and JSON); `tokenscope decompile` writes a
//! `tokenizer.json` back that the reference loads and encodes identically.
//!
//! Layout (integers little-endian; `varint` is LEB128, below 2^32):
//! ```text
//! magic     8 bytes  "tokscope"
//! version   u32      FORMAT_VERSION
//! checksum  u32      Adler-32 of every byte after this header (16 bytes)
//! pipeline  u32 length + JSON: the file with its model's `vocab` and `merges` left empty
//! vocab     u32 length + section: see `write_vocab` (Unigram: `write_unigram`)
//! merges    u32 length + section: see `write_merges` (empty for a model without merges)
//! ```
//! Sized to gzip small. A BPE token that a merge makes is not stored at all: it is the two tokens
//! of its merge joined, so the merge (two token numbers) is the whole cost of both. Only the
//! other tokens (o200k: the 256 bytes and its special tokens) are stored as bytes, a byte-level
//! vocab's `Ġthe` as the 4 bytes of " the". o200k: 9.7 MB of JSON (2.9 MB gzip) in 1.6 MB
//! (0.73 MB gzip); the tokens as bytes alone would gzip to 1.04 MB.
//!
//! The bytes are untrusted: every count is checked against the bytes left before anything is
//! allocated for it, tokens made by merges are capped at [`MADE_BYTES_PER_FILE_BYTE`] times the
//! file's size in all (a merge may join a token to itself, doubling it), and every merge is
//! checked to make the token it names, as loading the JSON checks it.

use crate::error::{Error, ErrorKind, Result};
use crate::format::model::{for_each_merge, CompiledMerge, RawMerges, RawModel};
use crate::format::vocab::{entry_text, RawVocab};
use crate::text::byte_level::{byte_utf8, char_to_byte};
use serde_json::Value;

/// First bytes of every compiled file.
pub const MAGIC: &[u8; 8] = b"tokscope";

/// The one version this build reads and writes; a file of another version is refused.
pub const FORMAT_VERSION: u32 = 2;

const HEADER_LEN: usize = 16;

/// Vocab flag: tokens are stored as the bytes the byte-level alphabet spells (`Ġ` as 0x20).
const BYTE_LEVEL: u8 = 1;

/// Bytes of tokens made by merges, at most, per byte of the compiled file. Real files: o200k
/// makes 2 MB of tokens from a 0.8 MB file (2.5); SuperBPE's superwords are longer, not 10×.
pub const MADE_BYTES_PER_FILE_BYTE: usize = 64;

/// True when `bytes` start as a compiled file does (whatever follows), or are a non-empty start of
/// its magic: a file cut that short is reported as a truncated compiled file, not as bad JSON.
pub fn is_compiled(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC) || (!bytes.is_empty() && MAGIC.starts_with(bytes))
}

fn stage_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Json, format!("compiled tokenizer: {}", message.into()))
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Compiles the text of a `tokenizer.json` whose tokenizer is known to load (the caller built
/// it first: a compiled file never holds what `from_json` would refuse).
///
/// # Errors
/// [`ErrorKind::Json`] as `Tokenizer::from_json`, should `json` not parse.
pub(crate) fn compile(json: &str) -> Result<Vec<u8>> {
    // The model is read from the file's own text: a `Value` would sort the vocab by token.
    let model_json = crate::format::read::RawTokenizer::parse(json)?.model;
    let raw = RawModel::parse(model_json.get())?;
    let (vocab_section, merges_section) = match &raw {
        RawModel::Bpe(bpe) => {
            let order = Canonical::new(&bpe.vocab);
            let mut merges = Vec::new();
            if let RawMerges::Json(json) = &bpe.merges {
                let prefix_len = bpe.continuing_subword_prefix.as_deref().map_or(0, str::len);
                let entry = |t: &str| {
                    let e = bpe.vocab.entry(t).ok_or_else(|| Error::invalid("model", format!("token {t:?} is not in the vocab")))?;
                    Ok(order.position[e as usize])
                };
                for_each_merge(json, |_, a, b| {
                    let merged = format!("{a}{}", b.get(prefix_len..).unwrap_or(""));
                    merges.push([entry(a)?, entry(b)?, entry(&merged)?]);
                    Ok(())
                })?;
            }
            // Joining two tokens' bytes makes the merged token's only without a prefix to drop.
            let can_make = bpe.continuing_subword_prefix.as_deref().is_none_or(str::is_empty);
            let made = if can_make { made_by_merges(bpe.vocab.entries.len(), &merges) } else { vec![false; bpe.vocab.entries.len()] };
            (write_vocab(&bpe.vocab, &order, &made), write_merges(&merges))
        }
        RawModel::WordPiece(m) => (write_vocab(&m.vocab, &Canonical::new(&m.vocab), &vec![false; m.vocab.entries.len()]), Vec::new()),
        RawModel::WordLevel(m) => (write_vocab(&m.vocab, &Canonical::new(&m.vocab), &vec![false; m.vocab.entries.len()]), Vec::new()),
        RawModel::Unigram(m) => (write_unigram(m.vocab.as_deref().unwrap_or(&[])), Vec::new()),
    };
    let mut file: Value = serde_json::from_str(json).map_err(|e| Error::json("tokenizer.json", e))?;
    // The pipeline keeps every other key of the model; empty placeholders keep it a model
    // object `RawModel::parse` reads.
    let unigram = matches!(raw, RawModel::Unigram(_));
    if let Some(Value::Object(model)) = file.get_mut("model") {
        if model.contains_key("vocab") || !unigram {
            model.insert("vocab".into(), if unigram { Value::Array(Vec::new()) } else { Value::Object(Default::default()) });
        }
        if model.contains_key("merges") {
            model.insert("merges".into(), Value::Array(Vec::new()));
        }
    }
    let pipeline = file.to_string();

    let mut out = Vec::with_capacity(HEADER_LEN + 12 + pipeline.len() + vocab_section.len() + merges_section.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    for section in [pipeline.as_bytes(), &vocab_section, &merges_section] {
        out.extend_from_slice(&(section.len() as u32).to_le_bytes());
        out.extend_from_slice(section);
    }
    let checksum = adler2::adler32_slice(&out[HEADER_LEN..]);
    out[12..16].copy_from_slice(&checksum.to_le_bytes());
    Ok(out)
}

/// The order entries are stored in: by id, entries of one id in the file's order (so that the
/// last of them is still the one `token(id)` gives). Files list their vocab by id already, and
/// then the ids are all the same small difference, which gzips to nothing.
struct Canonical {
    /// Raw entry numbers, in stored order.
    entries: Vec<u32>,
    /// Stored position of each raw entry.
    position: Vec<u32>,
}

impl Canonical {
    fn new(vocab: &RawVocab) -> Self {
        let mut entries: Vec<u32> = (0..vocab.entries.len() as u32).collect();
        entries.sort_by_key(|&e| vocab.entries[e as usize].1);
        let mut position = vec![0; entries.len()];
        for (p, &e) in entries.iter().enumerate() {
            position[e as usize] = p as u32;
        }
        Canonical { entries, position }
    }
}

/// Which entries a merge makes and so need no bytes stored: the first merge that makes an entry,
/// if both its parts are stored or made by an earlier merge (the loader builds tokens in rank
/// order). `merges` are `[a, b, merged]` entry numbers.
fn made_by_merges(entries: usize, merges: &[[u32; 3]]) -> Vec<bool> {
    let mut first = vec![u32::MAX; entries];
    for (rank, &[_, _, m]) in merges.iter().enumerate() {
        let slot = &mut first[m as usize];
        *slot = (*slot).min(rank as u32);
    }
    let mut made = vec![false; entries];
    for (rank, &[a, b, m]) in merges.iter().enumerate() {
        let rank = rank as u32;
        // Stored (no merge makes it) or already made: its bytes exist when this merge is read.
        let ready = |x: u32, made: &[bool]| first[x as usize] == u32::MAX || (made[x as usize] && first[x as usize] < rank);
        if first[m as usize] == rank && ready(a, &made) && ready(b, &made) {
            made[m as usize] = true;
        } else if first[m as usize] == rank {
            // Its bytes will be stored: it is ready for every later merge.
            first[m as usize] = u32::MAX;
        }
    }
    made
}

/// A signed difference as a varint: 0, -1, 1, -2, … as 0, 1, 2, 3, ….
fn push_zigzag(out: &mut Vec<u8>, delta: i64) {
    push_varint(out, ((delta << 1) ^ (delta >> 63)) as u32);
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Vocab section: `flags: u8, count: varint, count × id: varint (zigzag difference, modulo 2^32,
/// from one past the previous id: 0 for a vocab listed by id), made: count bits (LSB first), then for each
/// stored (not made) entry its length: varint, then their bytes`, entries in [`Canonical`] order.
fn write_vocab(vocab: &RawVocab, order: &Canonical, made: &[bool]) -> Vec<u8> {
    let n = vocab.entries.len();
    let tokens: Vec<&str> = order.entries.iter().map(|&e| entry_text(&vocab.arena, &vocab.entries, e)).collect();
    let byte_level = n > 0 && tokens.iter().all(|t| t.chars().all(|c| char_to_byte(c).is_some()));
    let stored = |t: &str| -> Vec<u8> { if byte_level { t.chars().filter_map(char_to_byte).collect() } else { t.as_bytes().to_vec() } };
    let mut out = vec![byte_level as u8 * BYTE_LEVEL];
    push_varint(&mut out, n as u32);
    // Differences modulo 2^32, read as signed: small either way, and exact for every u32 id (a
    // difference of 4,000,000,000 is -294,967,296).
    let mut previous = u32::MAX;
    for &e in &order.entries {
        let id = vocab.entries[e as usize].1;
        push_zigzag(&mut out, i64::from(id.wrapping_sub(previous.wrapping_add(1)) as i32));
        previous = id;
    }
    let mut bits = vec![0u8; n.div_ceil(8)];
    for (p, _) in made.iter().enumerate().filter(|(_, &m)| m) {
        bits[p / 8] |= 1 << (p % 8);
    }
    out.extend_from_slice(&bits);
    let kept: Vec<Vec<u8>> = tokens.iter().zip(made).filter(|(_, &m)| !m).map(|(t, _)| stored(t)).collect();
    for t in &kept {
        push_varint(&mut out, t.len() as u32);
    }
    for t in &kept {
        out.extend_from_slice(t);
    }
    out
}

/// Unigram section: `count: varint, count × length: varint, bytes, count × score: f64`.
fn write_unigram(pieces: &[(String, f64)]) -> Vec<u8> {
    let mut out = Vec::new();
    push_varint(&mut out, pieces.len() as u32);
    for (p, _) in pieces {
        push_varint(&mut out, p.len() as u32);
    }
    for (p, _) in pieces {
        out.extend_from_slice(p.as_bytes());
    }
    for (_, score) in pieces {
        out.extend_from_slice(&score.to_le_bytes());
    }
    out
}

/// Merges section, in rank order: `count: varint`, `width: u8` (bytes per entry number, 1 to
/// 4), the left entries then the right entries as byte planes (for each, the `count` lowest
/// bytes, then the `count` next bytes, …), then a stream (`length: varint` and varints) of the
/// entry each merge makes as a zigzag difference from one past the previous merge's (in a real
/// file nearly always 0). Entry numbers, not ids: the vocab's entries are unique tokens, ids
/// need not be.
///
/// Why planes: a plane of high bytes is a slowly rising run that gzip takes to little, where
/// LEB128 varints mix high and low bits in every byte. The same merges gzip 5–9% smaller: o200k
/// 770 → 729 KB, SuperBPE t180k 742 → 677 KB, GPT-2 174 → 165 KB.
fn write_merges(merges: &[[u32; 3]]) -> Vec<u8> {
    let largest = merges.iter().flat_map(|&[a, b, _]| [a, b]).max().unwrap_or(0);
    let width = (4 - largest.leading_zeros() as usize / 8).max(1);
    let mut out = Vec::new();
    push_varint(&mut out, merges.len() as u32);
    out.push(width as u8);
    for side in 0..2 {
        for plane in 0..width {
            out.extend(merges.iter().map(|m| (m[side] >> (8 * plane)) as u8));
        }
    }
    let mut made = Vec::new();
    let mut previous: i64 = -1;
    for &[_, _, m] in merges {
        push_zigzag(&mut made, i64::from(m) - (previous + 1));
        previous = i64::from(m);
    }
    push_varint(&mut out, made.len() as u32);
    out.extend_from_slice(&made);
    out
}

// ---------------------------------------------------------------------------------------------
// Reading

/// A compiled file, checked and cut into its sections.
pub(crate) struct Compiled<'a> {
    /// The pipeline: `tokenizer.json` with empty `vocab` and `merges`.
    pub pipeline: &'a str,
    vocab: &'a [u8],
    merges: &'a [u8],
    /// Bytes the merges may make in all (see [`MADE_BYTES_PER_FILE_BYTE`]).
    made_limit: usize,
}

impl<'a> Compiled<'a> {
    /// Checks the header (magic, version, checksum) and cuts the sections.
    ///
    /// # Errors
    /// [`ErrorKind::Json`] ("compiled tokenizer: …") for a wrong magic or version, a checksum
    /// that does not match, or a section running past the end.
    pub fn open(bytes: &'a [u8]) -> Result<Self> {
        if !is_compiled(bytes) {
            return Err(stage_error("not a compiled tokenizer (wrong magic)"));
        }
        if bytes.len() < HEADER_LEN {
            return Err(stage_error(format!("file of {} bytes is truncated (the header alone is {HEADER_LEN})", bytes.len())));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(stage_error(format!("format version {version}; this tokenscope reads version {FORMAT_VERSION} (compile the tokenizer.json again)")));
        }
        let stored = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes"));
        if adler2::adler32_slice(&bytes[HEADER_LEN..]) != stored {
            return Err(stage_error("checksum does not match: the file is damaged or truncated"));
        }
        let mut reader = Reader { bytes: &bytes[HEADER_LEN..], at: 0, what: "file" };
        let mut section = |name: &'static str| -> Result<&'a [u8]> {
            let len = reader.u32_le()? as usize;
            reader.take(len).map_err(|_| stage_error(format!("the {name} section ({len} bytes) runs past the end of the file")))
        };
        let pipeline = section("pipeline")?;
        let vocab = section("vocab")?;
        let merges = section("merges")?;
        if reader.at != reader.bytes.len() {
            return Err(stage_error(format!("{} bytes after the last section", reader.bytes.len() - reader.at)));
        }
        let pipeline = std::str::from_utf8(pipeline).map_err(|_| stage_error("the pipeline section is not UTF-8"))?;
        Ok(Compiled { pipeline, vocab, merges, made_limit: bytes.len().saturating_mul(MADE_BYTES_PER_FILE_BYTE) })
    }

    /// The model: the pipeline's `model` object (`model_json`, with empty `vocab` and `merges`)
    /// read as JSON is, then given the vocab and merges of the binary sections.
    ///
    /// # Errors
    /// As [`RawModel::parse`]; [`ErrorKind::Json`] for a malformed section or a merge that does
    /// not make the token it names.
    pub fn model<'m>(&self, model_json: &'m str) -> Result<RawModel<'m>> {
        let mut raw = RawModel::parse(model_json)?;
        let no_merges: &[[u32; 3]] = &[];
        match &mut raw {
            RawModel::Bpe(m) => {
                let merges = read_merges(self.merges)?;
                let (vocab, made_here) = read_vocab(self.vocab, &merges, self.made_limit)?;
                m.vocab = vocab;
                let prefix_len = m.continuing_subword_prefix.as_deref().map_or(0, str::len);
                m.merges = RawMerges::Compiled(check_merges(&m.vocab, merges, &made_here, prefix_len)?);
            }
            RawModel::WordPiece(m) => m.vocab = read_vocab(self.vocab, no_merges, 0)?.0,
            RawModel::WordLevel(m) => m.vocab = read_vocab(self.vocab, no_merges, 0)?.0,
            RawModel::Unigram(m) => m.vocab = Some(read_unigram(self.vocab)?),
        }
        Ok(raw)
    }
}

enum VarintError {
    Truncated,
    TooLong,
    TooLarge,
}

/// The LEB128 number at `*at` (at most 5 bytes, below 2^32), moving `at` past it.
#[inline(always)]
fn next_varint(bytes: &[u8], at: &mut usize) -> std::result::Result<u32, VarintError> {
    let mut v: u64 = 0;
    for shift in (0..35).step_by(7) {
        let &b = bytes.get(*at).ok_or(VarintError::Truncated)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return u32::try_from(v).map_err(|_| VarintError::TooLarge);
        }
    }
    Err(VarintError::TooLong)
}

/// A bounds-checked cursor over one section.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    fn truncated(&self) -> Error {
        match self.what {
            "file" => stage_error("the file is truncated after its header"),
            what => stage_error(format!("the {what} section is truncated")),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or_else(|| self.truncated())?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32_le(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    fn varint(&mut self) -> Result<u32> {
        let mut at = self.at;
        let v = next_varint(self.bytes, &mut at).map_err(|e| self.varint_error(e))?;
        self.at = at;
        Ok(v)
    }

    /// `n` varints, each given to `f` with its index: one loop over a local cursor (600,000 of
    /// them in o200k's merges; a `varint` call each was a fifth of loading).
    fn varints(&mut self, n: usize, mut f: impl FnMut(usize, u32)) -> Result<()> {
        let mut at = self.at;
        for i in 0..n {
            f(i, next_varint(self.bytes, &mut at).map_err(|e| self.varint_error(e))?);
        }
        self.at = at;
        Ok(())
    }

    fn varint_error(&self, e: VarintError) -> Error {
        match e {
            VarintError::Truncated => self.truncated(),
            VarintError::TooLong => stage_error(format!("a number of the {} section is over 5 bytes", self.what)),
            VarintError::TooLarge => stage_error(format!("a number of the {} section is 2^32 or more", self.what)),
        }
    }

    /// A signed difference written by `push_zigzag`.
    fn zigzag(&mut self) -> Result<i64> {
        let v = i64::from(self.varint()?);
        Ok((v >> 1) ^ -(v & 1))
    }

    /// A count of items that each take at least `min_bytes` of what is left: a count that cannot
    /// fit is refused before anything is allocated for it.
    fn count(&mut self, min_bytes: usize) -> Result<usize> {
        let n = self.varint()? as usize;
        let left = self.bytes.len() - self.at;
        if n.saturating_mul(min_bytes) > left {
            return Err(stage_error(format!("the {} section counts {n} items in {left} bytes", self.what)));
        }
        Ok(n)
    }

    /// A sub-stream: `length: varint`, then that many bytes.
    fn stream(&mut self) -> Result<Reader<'a>> {
        let len = self.varint()? as usize;
        Ok(Reader { bytes: self.take(len)?, at: 0, what: self.what })
    }

    fn finished(&self) -> Result<()> {
        match self.bytes.len() - self.at {
            0 => Ok(()),
            left => Err(stage_error(format!("{left} bytes left over in the {} section", self.what))),
        }
    }
}

/// Reads the vocab section, making each token marked as made from the first merge that makes it.
/// Also says which merges made a token (and so make theirs by construction).
fn read_vocab(section: &[u8], merges: &[[u32; 3]], made_limit: usize) -> Result<(RawVocab, Vec<bool>)> {
    let mut r = Reader { bytes: section, at: 0, what: "vocab" };
    let flags = r.u8()?;
    if flags & !BYTE_LEVEL != 0 {
        return Err(stage_error(format!("unknown vocab flags {flags:#x}")));
    }
    // An entry takes at least one bit of the `made` bitmap.
    let n = r.count(0)?;
    if n > 8 * (section.len() - r.at) {
        return Err(stage_error(format!("the vocab section counts {n} tokens in {} bytes", section.len())));
    }
    let mut ids = Vec::with_capacity(n);
    let mut previous = u32::MAX;
    for _ in 0..n {
        // As written: a difference modulo 2^32 (see `write_vocab`).
        let id = previous.wrapping_add(1).wrapping_add(r.zigzag()? as u32);
        ids.push(id);
        previous = id;
    }
    let bits = r.take(n.div_ceil(8))?;
    let is_made = |e: usize| bits[e / 8] >> (e % 8) & 1 == 1;
    let stored: Vec<usize> = (0..n).filter(|&e| !is_made(e)).collect();
    let mut lens = Vec::with_capacity(stored.len());
    for _ in &stored {
        lens.push(r.varint()? as usize);
    }
    let total: usize = lens.iter().sum();
    let stored_bytes = r.take(total)?;
    r.finished()?;

    // The text of every token goes straight into the vocab's arena, in entry order: first each
    // token's length as text (a byte-level vocab spells some bytes with two chars; a made token's
    // is its parts'), which places it; then the stored tokens' text, then the made ones, each its
    // parts' text copied (o200k: 3 MB of text, from 40 KB of stored bytes).
    let byte_level = flags & BYTE_LEVEL != 0;
    const UNSET: u32 = u32::MAX;
    let mut text_lens = vec![UNSET; n];
    for (&e, &len) in stored.iter().zip(&lens) {
        text_lens[e] = len as u32;
    }
    if byte_level {
        let mut at = 0;
        for (&e, &len) in stored.iter().zip(&lens) {
            text_lens[e] = stored_bytes[at..at + len].iter().map(|&b| byte_utf8(b).1 as u32).sum();
            at += len;
        }
    }
    let mut made_here = vec![false; merges.len()];
    let mut made_total: usize = 0;
    for (rank, &[a, b, m]) in merges.iter().enumerate() {
        let (a, b, m) = (a as usize, b as usize, m as usize);
        if a >= n || b >= n || m >= n {
            return Err(stage_error(format!("merge {rank} names entry {} of a vocab of {n}", a.max(b).max(m))));
        }
        if !is_made(m) || text_lens[m] != UNSET {
            continue;
        }
        if text_lens[a] == UNSET || text_lens[b] == UNSET {
            return Err(stage_error(format!("merge {rank} makes entry {m} from a token not made yet")));
        }
        let len = text_lens[a] as usize + text_lens[b] as usize;
        made_total += len;
        if made_total > made_limit || len >= UNSET as usize {
            return Err(stage_error(format!("the merges make over {made_limit} bytes of tokens ({MADE_BYTES_PER_FILE_BYTE}× the file)")));
        }
        text_lens[m] = len as u32;
        made_here[rank] = true;
    }
    let mut entries = Vec::with_capacity(n);
    let mut end = 0u32;
    for (e, &len) in text_lens.iter().enumerate() {
        if len == UNSET {
            return Err(stage_error(format!("vocab entry {e} is marked as made by a merge, but no merge makes it")));
        }
        end = end.checked_add(len).ok_or_else(|| stage_error("the vocab's text is over 4 GiB"))?;
        entries.push((end, ids[e]));
    }
    let start_of = |e: usize| if e == 0 { 0 } else { entries[e - 1].0 as usize };
    let mut arena = vec![0u8; end as usize];
    let mut at = 0;
    for (&e, &len) in stored.iter().zip(&lens) {
        let (token, slot) = (&stored_bytes[at..at + len], start_of(e));
        if byte_level {
            let mut k = slot;
            for &b in token {
                let (utf8, n) = byte_utf8(b);
                arena[k..k + n].copy_from_slice(&utf8[..n]);
                k += n;
            }
        } else {
            std::str::from_utf8(token).map_err(|_| stage_error(format!("vocab entry {e} is not UTF-8")))?;
            arena[slot..slot + len].copy_from_slice(token);
        }
        at += len;
    }
    for (rank, &[a, b, m]) in merges.iter().enumerate() {
        if made_here[rank] {
            let (a, b, m) = (a as usize, b as usize, m as usize);
            let (sa, sb, sm) = (start_of(a), start_of(b), start_of(m));
            let la = entries[a].0 as usize - sa;
            arena.copy_within(sa..entries[a].0 as usize, sm);
            arena.copy_within(sb..entries[b].0 as usize, sm + la);
        }
    }
    // SAFETY: the arena is UTF-8. Its bytes are zeros (UTF-8) overwritten by whole chars: a
    // stored byte-level byte writes its char's whole UTF-8 (`byte_utf8`), another stored token is
    // checked above, and a made token is two whole earlier tokens (entry ranges) copied, which
    // were written before it (its parts' lengths were set at an earlier rank, or stored). Checking
    // 3 MB of two-byte chars again cost an eighth of loading o200k.
    let arena = unsafe { String::from_utf8_unchecked(arena) };
    let vocab = RawVocab::from_entries(arena, entries).map_err(|e| stage_error(format!("vocab entry {e} repeats the token of an earlier one")))?;
    Ok((vocab, made_here))
}

fn read_unigram(section: &[u8]) -> Result<Vec<(String, f64)>> {
    let mut r = Reader { bytes: section, at: 0, what: "vocab" };
    // A piece takes at least 9 bytes: its length and its score.
    let n = r.count(9)?;
    let mut lens = Vec::with_capacity(n);
    for _ in 0..n {
        lens.push(r.varint()? as usize);
    }
    let mut pieces = Vec::with_capacity(n);
    for (e, len) in lens.into_iter().enumerate() {
        let piece = std::str::from_utf8(r.take(len)?).map_err(|_| stage_error(format!("Unigram piece {e} is not UTF-8")))?;
        pieces.push(piece.to_owned());
    }
    let mut out = Vec::with_capacity(n);
    for piece in pieces {
        out.push((piece, f64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes"))));
    }
    r.finished()?;
    Ok(out)
}

/// The merges section as `[a, b, merged]` entry numbers.
fn read_merges(section: &[u8]) -> Result<Vec<[u32; 3]>> {
    if section.is_empty() {
        return Ok(Vec::new());
    }
    let mut r = Reader { bytes: section, at: 0, what: "merges" };
    // A merge takes at least three bytes: one in each plane of entries, one in the made stream.
    let n = r.count(3)?;
    let width = usize::from(r.u8()?);
    if !(1..=4).contains(&width) {
        return Err(stage_error(format!("the merges section's entry numbers are {width} bytes wide (1 to 4)")));
    }
    let mut merges = vec![[0u32; 3]; n];
    for side in 0..2 {
        for plane in 0..width {
            for (m, &byte) in merges.iter_mut().zip(r.take(n)?) {
                m[side] |= u32::from(byte) << (8 * plane);
            }
        }
    }
    let mut made = r.stream()?;
    r.finished()?;
    made.varints(n, |i, v| merges[i][2] = v)?;
    made.finished()?;
    let mut previous: i64 = -1;
    for (rank, m) in merges.iter_mut().enumerate() {
        let delta = i64::from(m[2]);
        let entry = previous + 1 + ((delta >> 1) ^ -(delta & 1));
        m[2] = u32::try_from(entry).map_err(|_| stage_error(format!("merge {rank} makes entry {entry}")))?;
        previous = entry;
    }
    Ok(merges)
}

/// Entry numbers to ids, each merge checked to make its token as loading the JSON checks it:
/// `merged` is `a` then `b` without the `continuing_subword_prefix`'s first `prefix_len` bytes.
/// A merge that made its token (`made_here`) is right by construction: no prefix then.
fn check_merges(vocab: &RawVocab, merges: Vec<[u32; 3]>, made_here: &[bool], prefix_len: usize) -> Result<Vec<CompiledMerge>> {
    let text = |e: u32| entry_text(&vocab.arena, &vocab.entries, e);
    let id = |e: u32| vocab.entries[e as usize].1;
    for (rank, &[a, b, m]) in merges.iter().enumerate() {
        if made_here[rank] && prefix_len == 0 {
            continue;
        }
        // `read_vocab` checked the entry numbers.
        let (ta, tb, tm) = (text(a), text(b), text(m));
        let tail = tb.get(prefix_len..).unwrap_or("");
        if tm.len() != ta.len() + tail.len() || !tm.starts_with(ta) || !tm.ends_with(tail) {
            return Err(stage_error(format!("merge {rank} joins {ta:?} and {tb:?}, which does not make {tm:?}")));
        }
    }
    // Same size and alignment: the vector is converted where it lies (2.4 MB for o200k, and wasm
    // memory keeps its high-water mark).
    Ok(merges.into_iter().map(|[a, b, m]| CompiledMerge { a: id(a), b: id(b), merged: id(m) }).collect())
}

// ---------------------------------------------------------------------------------------------
// Decompiling

/// The `tokenizer.json` text of a compiled file: its pipeline with the vocab and merges written
/// back (merges as `["a", "b"]` pairs, which the reference reads since 0.20). Not the original
/// bytes (key order and spacing differ), but the same tokenizer to the reference.
///
/// # Errors
/// As [`Compiled::open`] and [`Compiled::model`].
pub(crate) fn decompile(bytes: &[u8]) -> Result<String> {
    let compiled = Compiled::open(bytes)?;
    let mut file: Value = serde_json::from_str(compiled.pipeline).map_err(|e| Error::json("compiled tokenizer pipeline", e))?;
    let model_json = file.get("model").map(Value::to_string).unwrap_or_default();
    let raw = compiled.model(&model_json)?;
    let Some(Value::Object(model)) = file.get_mut("model") else {
        return Err(stage_error("the pipeline has no model object"));
    };
    let vocab_object = |vocab: &RawVocab| {
        let entry = |e: u32| (entry_text(&vocab.arena, &vocab.entries, e).to_owned(), Value::from(vocab.entries[e as usize].1));
        Value::Object((0..vocab.entries.len() as u32).map(entry).collect())
    };
    match raw {
        RawModel::Bpe(bpe) => {
            let merges = compiled_merge_texts(&bpe.vocab, compiled.merges)?;
            model.insert("vocab".into(), vocab_object(&bpe.vocab));
            model.insert("merges".into(), Value::Array(merges.into_iter().map(|(a, b)| Value::Array(vec![Value::String(a), Value::String(b)])).collect()));
        }
        RawModel::WordPiece(m) => {
            model.insert("vocab".into(), vocab_object(&m.vocab));
        }
        RawModel::WordLevel(m) => {
            model.insert("vocab".into(), vocab_object(&m.vocab));
        }
        RawModel::Unigram(m) => {
            let pieces = m.vocab.unwrap_or_default().into_iter().map(|(p, s)| Value::Array(vec![Value::String(p), Value::from(s)])).collect();
            model.insert("vocab".into(), Value::Array(pieces));
        }
    }
    serde_json::to_string(&file).map_err(|e| Error::json("tokenizer.json", e))
}

/// The merges of a compiled file as the texts of their two tokens (entries, so never ambiguous
/// where two tokens share an id).
fn compiled_merge_texts(vocab: &RawVocab, section: &[u8]) -> Result<Vec<(String, String)>> {
    let text = |e: u32| entry_text(&vocab.arena, &vocab.entries, e).to_owned();
    Ok(read_merges(section)?.into_iter().map(|[a, b, _]| (text(a), text(b))).collect())
}
