//! How a BPE token is built: the merges that make it from its bytes, replayed as the model
//! replays them on the token's own text.

use crate::model::Model;
use crate::tokenizer::Tokenizer;

/// One node of a [`MergeTree`]: a unit of the token's text (a byte in the GPT-2 alphabet, a
/// char, or a `<0xNN>` byte-fallback token, which is a unit of its own) or the result of a merge of two earlier nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeNode {
    /// The token id of this node.
    pub id: u32,
    /// The rank (index in `merges`) of the merge that made it; `None` for a unit.
    pub rank: Option<u32>,
    /// Indices in [`MergeTree::nodes`] of the left and right nodes merged; `None` for a unit.
    pub children: Option<(usize, usize)>,
}

/// The merges that build a token, as [`Tokenizer::merge_tree`] replays them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeTree {
    /// The units first (in text order), then each merge in the order it applied.
    pub nodes: Vec<MergeNode>,
    /// The nodes left when no merge applies, in text order: one (the token) when the merges
    /// build it from its own text; several for a token they never build (an inherited merge
    /// SuperBPE's second stage dropped, a vocab entry added by hand).
    pub roots: Vec<usize>,
}

impl Tokenizer {
    /// The merge tree of token `id`: its text cut into units (bytes for a byte-level BPE, chars
    /// otherwise, a char missing from the vocab as its `<0xNN>` byte-fallback tokens), then the
    /// reference's merge loop on them (the adjacent pair of lowest rank first, the leftmost on
    /// ties), each merge recorded. `None` when the model is not BPE, `id` is not in its vocab, is
    /// an added token, or a unit has no token (then no merge can make it either).
    ///
    /// The tree is the token's encoding alone: in a longer piece the same merges apply, since a
    /// merge only joins symbols inside the token's span once the token forms there.
    pub fn merge_tree(&self, id: u32) -> Option<MergeTree> {
        let Model::Bpe(bpe) = &self.model else { return None };
        if self.added.by_id(id).is_some() {
            return None;
        }
        let token = bpe.vocab().token(id)?;
        let mut nodes: Vec<MergeNode> = Vec::new();
        let unit = |id: u32| MergeNode { id, rank: None, children: None };
        if self.token_is_byte_level() {
            for b in self.token_bytes(id)? {
                nodes.push(unit(bpe.byte_char_id(b)?));
            }
        } else if crate::text::byte_level::fallback_byte(token).is_some() {
            nodes.push(unit(id)); // a `<0xNN>` byte-fallback token is a unit of its own
        } else {
            let mut buf = [0u8; 4];
            for c in token.chars() {
                match bpe.vocab().id(c.encode_utf8(&mut buf)) {
                    Some(id) => nodes.push(unit(id)),
                    None => {
                        for &b in c.encode_utf8(&mut buf).as_bytes() {
                            nodes.push(unit(bpe.fallback_id(b)?));
                        }
                    }
                }
            }
        }
        // Short (a token's units): the plain O(n²) scan is the clearest form of the loop.
        let mut live: Vec<usize> = (0..nodes.len()).collect();
        loop {
            let best = live
                .windows(2)
                .enumerate()
                .filter_map(|(i, w)| bpe.merge_of_pair(nodes[w[0]].id, nodes[w[1]].id).map(|(rank, merged)| (rank, i, merged)))
                .min_by_key(|&(rank, i, _)| (rank, i));
            let Some((rank, i, merged)) = best else { break };
            nodes.push(MergeNode { id: merged, rank: Some(rank), children: Some((live[i], live[i + 1])) });
            live[i] = nodes.len() - 1;
            live.remove(i + 1);
        }
        Some(MergeTree { nodes, roots: live })
    }

    /// For each id below the vocab's largest id + 1, the lowest rank of a merge whose result it
    /// is, `u32::MAX` for none (a unit, an added token, a token no merge makes). Empty unless the
    /// model is BPE with dense ids (every real file; ids from 2^24 on are stored sparsely). With [`Tokenizer::transition_point`] this tells the stage that made a token:
    /// SuperBPE's subword stage below it, its superword stage from it.
    pub fn merge_ranks(&self) -> Vec<u32> {
        let Model::Bpe(bpe) = &self.model else { return Vec::new() };
        // A vocab with sparse ids (one of 2^24 or more) would need a table as large as its
        // largest id (4 GB for an id near 2^32): none then.
        if !bpe.vocab().is_dense() {
            return Vec::new();
        }
        let mut ranks = vec![u32::MAX; bpe.vocab().max_id() as usize + 1];
        for (_, _, rank, merged) in bpe.merge_list() {
            if let Some(r) = ranks.get_mut(merged as usize) {
                *r = (*r).min(rank);
            }
        }
        ranks
    }
}
