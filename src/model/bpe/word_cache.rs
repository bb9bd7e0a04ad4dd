//! Model stage helper: the tokens of byte strings already encoded.
//!
//! Natural text repeats its words, so most pieces (or chunks of pieces, see the join table of
//! `fast_path.rs`) handed to byte-level BPE were encoded a moment before, in this call or an
//! earlier one: the tokenizer keeps the cache between calls (`model::SharedScratch`). The
//! reference keeps a word cache for the same reason. Bounded: when full it starts over.
//!
//! Keys and values live in two arenas indexed by a hash table of entry numbers: one insertion
//! costs no allocation of its own.

use crate::text::span::{tile, Symbol};
use hashbrown::HashTable;
use std::hash::{BuildHasher, BuildHasherDefault};

/// Longest byte string kept: longer ones rarely repeat.
const MAX_KEY: usize = 64;

/// Entries kept (the reference 1.0 rc's cache has as many slots), and bytes of keys and tokens:
/// when one is reached, the cache starts over. Together they bound it to about 5 MB (65,536
/// entries of 16 bytes and their index, 1 MiB of keys, 2 MiB of tokens), however long it lives.
const MAX_ENTRIES: usize = 1 << 16;
const MAX_KEY_BYTES: usize = 1 << 20;
const MAX_TOKENS: usize = 1 << 18;

type Hasher = BuildHasherDefault<rustc_hash::FxHasher>;

/// One entry: `keys[key_start..key_end]` encodes to `tokens[tokens_start..tokens_end]`.
#[derive(Clone, Copy)]
struct Entry {
    key_start: u32,
    key_end: u32,
    tokens_start: u32,
    tokens_end: u32,
}

/// Byte strings and their tokens as `(id, length in bytes)`, in order.
#[derive(Default)]
pub(crate) struct WordCache {
    keys: Vec<u8>,
    tokens: Vec<(u32, u32)>,
    entries: Vec<Entry>,
    index: HashTable<u32>,
}

impl WordCache {
    /// The tokens of `key`, if it was inserted.
    #[inline]
    pub fn get(&self, key: &[u8]) -> Option<&[(u32, u32)]> {
        if key.len() > MAX_KEY || self.entries.is_empty() {
            return None;
        }
        let entry = self.index.find(hash(key), |&e| self.key(e) == key)?;
        let e = self.entries[*entry as usize];
        Some(&self.tokens[e.tokens_start as usize..e.tokens_end as usize])
    }

    /// Remembers that `key` encodes to `symbols`, if they tile it (kept as lengths, see
    /// [`tile`]); a full cache is emptied first (its buffers keep their capacity).
    pub fn insert(&mut self, key: &[u8], symbols: &[Symbol]) {
        if key.len() > MAX_KEY || !tile(symbols, key.len()) {
            return;
        }
        if self.entries.len() >= MAX_ENTRIES || self.keys.len() + key.len() > MAX_KEY_BYTES || self.tokens.len() + symbols.len() > MAX_TOKENS {
            self.keys.clear();
            self.tokens.clear();
            self.entries.clear();
            self.index.clear();
        }
        let entry = Entry {
            key_start: self.keys.len() as u32,
            key_end: (self.keys.len() + key.len()) as u32,
            tokens_start: self.tokens.len() as u32,
            tokens_end: (self.tokens.len() + symbols.len()) as u32,
        };
        self.keys.extend_from_slice(key);
        self.tokens.extend(symbols.iter().map(|s| (s.id, s.end - s.start)));
        let e = self.entries.len() as u32;
        self.entries.push(entry);
        let (keys, entries) = (&self.keys, &self.entries);
        self.index.insert_unique(hash(key), e, |&e| hash(entry_key(keys, entries, e)));
    }

    fn key(&self, e: u32) -> &[u8] {
        entry_key(&self.keys, &self.entries, e)
    }
}

fn entry_key<'a>(keys: &'a [u8], entries: &[Entry], e: u32) -> &'a [u8] {
    let e = entries[e as usize];
    &keys[e.key_start as usize..e.key_end as usize]
}

#[inline]
fn hash(key: &[u8]) -> u64 {
    Hasher::default().hash_one(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_what_was_inserted_and_starts_over_when_full() {
        let mut cache = WordCache::default();
        let symbols = [Symbol { id: 7, start: 10, end: 12 }, Symbol { id: 9, start: 12, end: 13 }];
        cache.insert(b"abc", &symbols);
        assert_eq!(cache.get(b"abc"), Some(&[(7, 2), (9, 1)][..]));
        assert_eq!(cache.get(b"ab"), None);
        let long = vec![b'x'; MAX_KEY + 1];
        cache.insert(&long, &[Symbol { id: 1, start: 0, end: long.len() as u32 }]);
        assert_eq!(cache.get(&long), None);
        let mut cache = WordCache::default();
        for i in 0..MAX_ENTRIES as u32 {
            cache.insert(&i.to_le_bytes(), &[Symbol { id: i, start: 0, end: 4 }]);
        }
        assert_eq!(cache.entries.len(), MAX_ENTRIES);
        assert_eq!(cache.get(&5u32.to_le_bytes()), Some(&[(5, 4)][..]));
        // Full: the next insertion starts over, keeping only itself.
        cache.insert(b"new", &[Symbol { id: 3, start: 0, end: 3 }]);
        assert_eq!(cache.entries.len(), 1);
        assert_eq!((cache.get(b"new"), cache.get(&5u32.to_le_bytes())), (Some(&[(3, 3)][..]), None));
        // 1 MiB of keys is the other bound: 16,384 keys of 64 bytes fill it.
        let mut cache = WordCache::default();
        for i in 0..=(MAX_KEY_BYTES / MAX_KEY) as u32 {
            let mut key = [b'k'; MAX_KEY];
            key[..4].copy_from_slice(&i.to_le_bytes());
            cache.insert(&key, &[Symbol { id: i, start: 0, end: MAX_KEY as u32 }]);
        }
        assert_eq!(cache.entries.len(), 1);
        assert!(cache.keys.len() <= MAX_KEY_BYTES);
    }
}
