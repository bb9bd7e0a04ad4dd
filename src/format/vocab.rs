//! The `vocab` object of a model, read straight from the JSON text into its compact form: every
//! token's text in one arena string, and a hash table of entry numbers (4 bytes a token, no
//! `String` per token: `tokenizer.json` files carry 200k tokens, and wasm memory never shrinks).
//! The model's `Vocab` adds the id → token table on top.

use hashbrown::HashTable;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher as _};

type Hasher = BuildHasherDefault<rustc_hash::FxHasher>;

/// The `vocab` object as read from JSON: entries in file order, a later duplicate of a token
/// replacing the earlier one's id (as the reference's `HashMap` collect does).
#[derive(Debug, Default)]
pub(crate) struct RawVocab {
    pub arena: String,
    /// Per entry: end of its text in `arena` (the start is the previous entry's end) and its id.
    pub entries: Vec<(u32, u32)>,
    /// Entry numbers hashed by their text.
    pub index: HashTable<u32>,
}

impl RawVocab {
    /// A vocab of whole entries: `arena` holds every token's text end to end, `entries` each one's
    /// end and id. Only the index is built. `Err(e)`: entry `e` repeats an earlier token.
    pub fn from_entries(arena: String, entries: Vec<(u32, u32)>) -> Result<Self, usize> {
        let mut index = HashTable::with_capacity(entries.len());
        for e in 0..entries.len() as u32 {
            let bytes = entry_bytes(&arena, &entries, e);
            match index.entry(hash_bytes(bytes), |&other| entry_bytes(&arena, &entries, other) == bytes, |&other| hash_bytes(entry_bytes(&arena, &entries, other))) {
                hashbrown::hash_table::Entry::Occupied(_) => return Err(e as usize),
                hashbrown::hash_table::Entry::Vacant(slot) => {
                    slot.insert(e);
                }
            }
        }
        Ok(RawVocab { arena, entries, index })
    }

    /// The entry number of `token`.
    #[inline]
    pub fn entry(&self, token: &str) -> Option<u32> {
        self.index.find(hash(token), |&e| entry_bytes(&self.arena, &self.entries, e) == token.as_bytes()).copied()
    }

    /// Adds `token` with `id`; a token already present gets the new id.
    pub fn insert(&mut self, token: &str, id: u32) {
        let token_hash = hash(token);
        let (arena, entries) = (&self.arena, &self.entries);
        // One probe for both the lookup and the insertion: a vocab has 200k tokens to index.
        let next = entries.len() as u32;
        match self.index.entry(token_hash, |&e| entry_bytes(arena, entries, e) == token.as_bytes(), |&e| hash_bytes(entry_bytes(arena, entries, e))) {
            hashbrown::hash_table::Entry::Occupied(e) => self.entries[*e.get() as usize].1 = id,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(next);
                self.arena.push_str(token);
                self.entries.push((self.arena.len() as u32, id));
            }
        }
    }
}

impl<'de> Deserialize<'de> for RawVocab {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct VocabVisitor;
        impl<'de> Visitor<'de> for VocabVisitor {
            type Value = RawVocab;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of token → id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<RawVocab, A::Error> {
                let mut vocab = RawVocab::default();
                if let Some(n) = map.size_hint() {
                    vocab.entries.reserve(n);
                }
                // Borrowed from the JSON text unless the token has escapes.
                while let Some((token, id)) = map.next_entry::<Cow<'de, str>, u32>()? {
                    vocab.insert(&token, id);
                }
                Ok(vocab)
            }
        }
        deserializer.deserialize_map(VocabVisitor)
    }
}

pub(crate) fn hash(token: &str) -> u64 {
    hash_bytes(token.as_bytes())
}

pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = Hasher::default().build_hasher();
    hasher.write(bytes);
    hasher.finish()
}

/// Bytes of entry `e` (lookups compare bytes: no char-boundary checks on the hot path).
#[inline]
pub(crate) fn entry_bytes<'a>(arena: &'a str, entries: &[(u32, u32)], e: u32) -> &'a [u8] {
    let e = e as usize;
    let start = if e == 0 { 0 } else { entries[e - 1].0 as usize };
    &arena.as_bytes()[start..entries[e].0 as usize]
}

/// Text of entry `e`.
#[inline]
pub(crate) fn entry_text<'a>(arena: &'a str, entries: &[(u32, u32)], e: u32) -> &'a str {
    let bytes = entry_bytes(arena, entries, e);
    // SAFETY: entries end where a whole `&str` was pushed onto `arena`, so each entry's bytes
    // are that string's. Slicing the `str` would check both char boundaries on every lookup
    // (`encode` looks up every token's text).
    unsafe { std::str::from_utf8_unchecked(bytes) }
}
