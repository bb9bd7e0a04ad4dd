//! Model stage: Unigram (SentencePiece) segmentation of one pre-tokenized piece.
//!
//! Reproduces the reference `Unigram` model as `tokenizer.json` loads it (models/unigram/model.rs:
//! `encode_optimized`, then `tokenize`):
//! - Viterbi over char boundaries: from each boundary, every vocab piece that prefixes the rest
//!   (shortest first) offers `score + best score so far` to the boundary where it ends; a
//!   candidate replaces the current best only if strictly greater, so ties keep the candidate
//!   seen first (the one starting earliest). A char no one-char piece covers gets an unknown
//!   node scored `min score - 10`.
//! - Backtracking from the end; consecutive unknown nodes (any node whose id is `unk_id`) are
//!   fused into one token (the reference always fuses for Unigram).
//! - A fused unknown run is looked up as a string; if absent, `byte_fallback` turns it into
//!   `<0xNN>` tokens when the vocab has all of them, each spanning the whole run; else `unk_id`.
//! - Token spans are cumulative byte lengths within the piece, i.e. exactly the segmentation.
//!
//! Duplicate pieces resolve as the reference's token → id map does: the last one wins, for ids
//! found in text and for its score.

use crate::error::{Error, ErrorKind, Result};
use crate::text::span::Symbol;
use crate::text::span::Piece;
use rustc_hash::FxHashMap;
use crate::format::model::RawUnigram;

/// Penalty subtracted from the lowest piece score to score an unknown char (reference
/// `K_UNK_PENALTY`).
const UNK_PENALTY: f64 = 10.0;

/// "No node" / "no id" marker in the trie and lattice.
const NONE: u32 = u32::MAX;

/// A validated Unigram model.
#[derive(Debug)]
pub(crate) struct Unigram {
    /// id → piece.
    pieces: Vec<Box<str>>,
    /// The pieces, each with the id and score (log probability) the reference's lookups give it.
    trie: PieceTrie,
    unk_id: Option<u32>,
    /// Score of an unknown char: lowest score minus [`UNK_PENALTY`].
    unk_score: f64,
    /// Id of `<0xNN>` for each byte when `byte_fallback` is on and the vocab has it.
    fallback_ids: [Option<u32>; 256],
    byte_fallback: bool,
}

/// Best path ending at one byte position of the piece.
#[derive(Clone, Copy)]
struct Best {
    /// Total score of the best path ending here.
    score: f64,
    /// Byte position where its last token starts; [`NONE`] while no path reaches here.
    start: u32,
    /// Id of its last token.
    id: u32,
}

impl Unigram {
    /// Validates a raw Unigram model.
    ///
    /// Errors as the reference's `Unigram::from`: no `vocab`, an `unk_id` with an empty vocab or
    /// past its end.
    pub fn from_raw(raw: RawUnigram) -> Result<Unigram> {
        let stage = "model";
        let vocab = raw.vocab.ok_or_else(|| Error::invalid(stage, "Unigram without `vocab`"))?;
        if vocab.len() >= NONE as usize {
            return Err(Error::invalid(stage, format!("Unigram vocab of {} pieces is too large", vocab.len())));
        }
        let unk_id = match raw.unk_id {
            Some(_) if vocab.is_empty() => return Err(Error::invalid(stage, "Unigram vocab is empty but `unk_id` is set")),
            Some(id) if id >= vocab.len() => {
                return Err(Error::invalid(stage, format!("Unigram `unk_id` {id} is past the vocab ({} pieces)", vocab.len())))
            }
            other => other.map(|id| id as u32),
        };
        let mut min_score = f64::INFINITY;
        let mut pieces = Vec::with_capacity(vocab.len());
        let mut scores = Vec::with_capacity(vocab.len());
        for (piece, score) in vocab {
            if score < min_score {
                min_score = score;
            }
            pieces.push(piece.into_boxed_str());
            scores.push(score);
        }
        let trie = PieceTrie::build(&pieces, &scores);
        let mut fallback_ids = [None; 256];
        if raw.byte_fallback {
            for (b, slot) in fallback_ids.iter_mut().enumerate() {
                *slot = trie.get(crate::text::byte_level::fallback_token(b as u8).as_bytes());
            }
        }
        Ok(Unigram {
            pieces,
            trie,
            unk_id,
            unk_score: min_score - UNK_PENALTY,
            fallback_ids,
            byte_fallback: raw.byte_fallback,
        })
    }

    /// Number of entries in `vocab`, duplicates included (the reference's `get_vocab_size`).
    pub fn vocab_len(&self) -> usize {
        self.pieces.len()
    }

    /// Id of `token`; the last one for a piece listed twice.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.trie.get(token.as_bytes())
    }

    /// The piece at index `id` of `vocab`.
    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        self.pieces.get(id as usize).map(|p| &**p)
    }

    /// The unknown-token id. The reference's Unigram token string for it is the text it covers,
    /// not the vocab piece.
    pub fn unk_id(&self) -> Option<u32> {
        self.unk_id
    }

    /// Encodes bytes `piece.start..piece.end` of `text` into `out` (cleared first). Each symbol's
    /// `start..end` are byte offsets into `text`: the span of normalized text the token covers
    /// (all `<0xNN>` tokens of a fused unknown run get the run's span, as in the reference).
    /// `piece.prefix_space` only matters to byte-level BPE and is ignored.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when a char is in no piece and there is no `unk_id`.
    pub fn tokenize(&self, text: &str, piece: Piece, out: &mut Vec<Symbol>) -> Result<()> {
        out.clear();
        let Some(s) = text.get(piece.start..piece.end) else {
            return Err(Error::new(ErrorKind::Input, format!("piece {}..{} is not on char boundaries", piece.start, piece.end)));
        };
        if s.is_empty() {
            return Ok(());
        }
        let bytes = s.as_bytes();
        let n = bytes.len();
        let mut best = vec![Best { score: 0.0, start: NONE, id: 0 }; n + 1];
        let mut pos = 0;
        while pos < n {
            let here = best[pos].score;
            let char_len = utf8_len(bytes[pos]);
            let mut has_single = false;
            let mut node = 0;
            for (depth, &b) in bytes[pos..].iter().enumerate() {
                let Some(next) = self.trie.child(node, b) else { break };
                node = next;
                let (id, score) = self.trie.piece(node);
                if id == NONE {
                    continue;
                }
                let candidate = score + here;
                let target = &mut best[pos + depth + 1];
                if target.start == NONE || candidate > target.score {
                    *target = Best { score: candidate, start: pos as u32, id };
                }
                has_single |= depth + 1 == char_len;
            }
            if !has_single {
                let candidate = self.unk_score + here;
                let target = &mut best[pos + char_len];
                if target.start == NONE || candidate > target.score {
                    let Some(unk) = self.unk_id else {
                        let c = s[pos..].chars().next().unwrap_or_default();
                        return Err(Error::new(ErrorKind::Input, format!("{c:?} is in no Unigram piece and the model has no `unk_id`")));
                    };
                    *target = Best { score: candidate, start: pos as u32, id: unk };
                }
            }
            pos += char_len;
        }

        // Backtrack, pushing tokens last to first; an unknown run is emitted when it ends.
        let base = piece.start as u32;
        let mut end = n;
        let mut run_end: Option<usize> = None;
        while end > 0 {
            let Best { start, id, .. } = best[end];
            let start = start as usize;
            if Some(id) == self.unk_id {
                run_end.get_or_insert(end);
            } else {
                if let Some(run_end) = run_end.take() {
                    self.push_unknown_run(&s[end..run_end], base + end as u32, base + run_end as u32, out)?;
                }
                out.push(Symbol { id, start: base + start as u32, end: base + end as u32 });
            }
            end = start;
        }
        if let Some(run_end) = run_end {
            self.push_unknown_run(&s[..run_end], base, base + run_end as u32, out)?;
        }
        out.reverse();
        Ok(())
    }

    /// Pushes the token(s) of a fused unknown run spanning `start..end`, in reverse order (the
    /// caller reverses the whole output).
    fn push_unknown_run(&self, run: &str, start: u32, end: u32, out: &mut Vec<Symbol>) -> Result<()> {
        if let Some(id) = self.trie.get(run.as_bytes()) {
            out.push(Symbol { id, start, end });
            return Ok(());
        }
        if self.byte_fallback {
            let before = out.len();
            for &b in run.as_bytes().iter().rev() {
                match self.fallback_ids[b as usize] {
                    Some(id) => out.push(Symbol { id, start, end }),
                    None => {
                        out.truncate(before);
                        break;
                    }
                }
            }
            if out.len() > before {
                return Ok(());
            }
        }
        match self.unk_id {
            Some(id) => {
                out.push(Symbol { id, start, end });
                Ok(())
            }
            None => Err(Error::new(ErrorKind::Input, format!("{run:?} is in no Unigram piece and the model has no `unk_id`"))),
        }
    }
}

/// Length of the UTF-8 char starting with byte `b`.
#[inline]
fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// A byte trie of the vocab pieces, stored flat in breadth-first order so that the children of a
/// node are consecutive nodes: node `n`'s children are nodes `nodes[n].first .. nodes[n + 1].first`
/// (a sentinel ends the list), with their edge bytes, ascending, at the same indices of `labels`.
/// The root's children are also in a direct table (it has the most). Each node carries its
/// piece's score, saving a dependent load per match. Walking it from a position yields the
/// matching pieces shortest first, the order of the reference's `common_prefix_search`.
#[derive(Debug)]
struct PieceTrie {
    /// Root child per first byte, [`NONE`] if absent.
    root: Box<[u32; 256]>,
    /// One per node, plus a sentinel whose `first` ends the last node's children.
    nodes: Vec<TrieNode>,
    /// Byte on the edge into each node.
    labels: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
struct TrieNode {
    /// First child's index.
    first: u32,
    /// Id of the piece ending here (the last duplicate), or [`NONE`].
    id: u32,
    /// That piece's score.
    score: f64,
}

impl PieceTrie {
    fn build(pieces: &[Box<str>], scores: &[f64]) -> Self {
        // A first trie in a hash map of edges, then renumbered breadth-first.
        let mut edges: FxHashMap<(u32, u8), u32> = FxHashMap::default();
        let mut ids = vec![NONE];
        for (id, piece) in pieces.iter().enumerate() {
            let mut node = 0u32;
            for &b in piece.as_bytes() {
                let fresh = ids.len() as u32;
                node = *edges.entry((node, b)).or_insert(fresh);
                if node == fresh {
                    ids.push(NONE);
                }
            }
            ids[node as usize] = id as u32;
        }
        let mut list: Vec<(u32, u8, u32)> = edges.into_iter().map(|((parent, b), child)| (parent, b, child)).collect();
        list.sort_unstable();
        // Children of each old node: a range of `list`.
        let mut child_start = vec![0usize; ids.len() + 1];
        for &(parent, _, _) in &list {
            child_start[parent as usize + 1] += 1;
        }
        for i in 1..child_start.len() {
            child_start[i] += child_start[i - 1];
        }
        // `order[new] = old`; a node's children are appended together when it is visited.
        let mut order: Vec<u32> = Vec::with_capacity(ids.len());
        let mut labels: Vec<u8> = Vec::with_capacity(ids.len());
        let mut nodes: Vec<TrieNode> = Vec::with_capacity(ids.len());
        order.push(0);
        labels.push(0);
        let mut visit = 0;
        while visit < order.len() {
            let old = order[visit] as usize;
            let children = &list[child_start[old]..child_start[old + 1]];
            let id = ids[old];
            let score = if id == NONE { 0.0 } else { scores[id as usize] };
            nodes.push(TrieNode { first: order.len() as u32, id, score });
            for &(_, b, child) in children {
                order.push(child);
                labels.push(b);
            }
            visit += 1;
        }
        nodes.push(TrieNode { first: order.len() as u32, id: NONE, score: 0.0 });
        let mut root = Box::new([NONE; 256]);
        for i in nodes[0].first as usize..nodes[1].first as usize {
            root[labels[i] as usize] = i as u32;
        }
        PieceTrie { root, nodes, labels }
    }

    #[inline(always)]
    fn child(&self, node: u32, byte: u8) -> Option<u32> {
        if node == 0 {
            let c = self.root[byte as usize];
            return (c != NONE).then_some(c);
        }
        let first = self.nodes[node as usize].first;
        let labels = &self.labels[first as usize..self.nodes[node as usize + 1].first as usize];
        let i = if labels.len() <= 16 {
            labels.iter().position(|&l| l == byte)?
        } else {
            labels.binary_search(&byte).ok()?
        };
        Some(first + i as u32)
    }

    /// Id of the piece ending at `node` (or [`NONE`]) and its score.
    #[inline(always)]
    fn piece(&self, node: u32) -> (u32, f64) {
        let n = &self.nodes[node as usize];
        (n.id, n.score)
    }

    /// The id of exactly `bytes` (the empty piece is the root's).
    fn get(&self, bytes: &[u8]) -> Option<u32> {
        let mut node = 0;
        for &b in bytes {
            node = self.child(node, b)?;
        }
        let (id, _) = self.piece(node);
        (id != NONE).then_some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(json: &str) -> Result<Unigram> {
        Unigram::from_raw(crate::format::model::RawUnigram::parse(json)?)
    }

    /// Ids and byte offsets computed by PyPI tokenizers 0.23.3 for Unigram models alone (no
    /// normalizer or pre-tokenizer), written by tools/reference/reference_unigram_cases.py. A case
    /// whose ids are `null` is one the reference raises on.
    const CASES: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/components/unigram_cases.json"));

    /// Ids and byte offsets of an encoding.
    type Encoded = (Vec<u32>, Vec<(usize, usize)>);

    fn encode(model: &Unigram, text: &str) -> Result<Encoded> {
        let mut out = Vec::new();
        model.tokenize(text, Piece::new(0, text.len()), &mut out)?;
        Ok((out.iter().map(|s| s.id).collect(), out.iter().map(|s| (s.start as usize, s.end as usize)).collect()))
    }

    #[test]
    fn matches_reference_ids_and_offsets() {
        let entries: Vec<serde_json::Value> = serde_json::from_str(CASES).unwrap();
        let mut checked = 0;
        let mut failures = Vec::new();
        for entry in entries {
            let name = entry["name"].as_str().unwrap();
            let model = from_json(&entry["model"].to_string()).unwrap();
            for case in entry["cases"].as_array().unwrap() {
                let text = case[0].as_str().unwrap();
                let want: Option<Encoded> = if case[1].is_null() {
                    None
                } else {
                    Some((serde_json::from_value(case[1].clone()).unwrap(), serde_json::from_value(case[2].clone()).unwrap()))
                };
                let got = encode(&model, text).ok();
                if got != want {
                    failures.push(format!("{name} {text:?}: got {got:?}, want {want:?}"));
                }
                // The same piece inside a larger text: offsets shift, ids do not.
                let whole = format!("zz{text}zz");
                let mut out = Vec::new();
                let shifted: Option<Encoded> =
                    model.tokenize(&whole, Piece::new(2, 2 + text.len()), &mut out).ok().map(|_| {
                        (out.iter().map(|s| s.id).collect(), out.iter().map(|s| (s.start as usize - 2, s.end as usize - 2)).collect())
                    });
                if shifted != want {
                    failures.push(format!("{name} {text:?} at offset 2: got {shifted:?}, want {want:?}"));
                }
                checked += 1;
            }
        }
        assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
        assert!(checked > 150, "only {checked} cases");
    }

    #[test]
    fn vocab_lookups_follow_the_reference() {
        let model = from_json(r#"{"type":"Unigram","unk_id":0,"vocab":[["<unk>",0],["a",-1],["",-2],["a",-3]]}"#).unwrap();
        assert_eq!(model.vocab_len(), 4);
        // The reference's token → id map keeps the last duplicate; id → token is by index.
        assert_eq!(model.token_to_id("a"), Some(3));
        assert_eq!(model.token_to_id(""), Some(2));
        assert_eq!(model.token_to_id("b"), None);
        assert_eq!(model.id_to_token(1), Some("a"));
        assert_eq!(model.id_to_token(4), None);
    }

    #[test]
    fn rejects_what_the_reference_rejects() {
        let err = |json: &str| from_json(json).unwrap_err().kind();
        assert_eq!(err(r#"{"type":"Unigram","unk_id":0}"#), ErrorKind::InvalidComponent);
        assert_eq!(err(r#"{"type":"Unigram","unk_id":0,"vocab":[]}"#), ErrorKind::InvalidComponent);
        assert_eq!(err(r#"{"type":"Unigram","unk_id":2,"vocab":[["a",0],["b",0]]}"#), ErrorKind::InvalidComponent);
        assert_eq!(err(r#"{"type":"Unigram","vocab":[["a"]]}"#), ErrorKind::Json);
        assert_eq!(err(r#"{"type":"Unigram","unk_id":-1,"vocab":[["a",0]]}"#), ErrorKind::Json);
        // Accepted: unk_id missing or null, empty vocab without unk_id, byte_fallback missing.
        assert!(from_json(r#"{"type":"Unigram","unk_id":null,"vocab":[["a",0]]}"#).is_ok());
        let empty = from_json(r#"{"vocab":[]}"#).unwrap();
        assert_eq!(encode(&empty, "").unwrap(), (vec![], vec![]));
        assert_eq!(encode(&empty, "a").unwrap_err().kind(), ErrorKind::Input);
    }
}
