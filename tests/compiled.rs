//! The compiled form as untrusted input: a table of damaged and hostile files, each of which must
//! give a clear error (never a panic, never memory out of proportion to the file). The golden test
//! (tests/golden.rs) checks that honest compiled files encode as their `tokenizer.json`.
#![cfg(not(target_arch = "wasm32"))]

use tokenscope::{ErrorKind, Tokenizer};

/// A small real BPE file (byte-level, a post-processor), compiled.
fn real() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tokenizers/bpe-bytelevel-roberta.json");
    Tokenizer::compile(&std::fs::read_to_string(path).expect("fixture")).expect("compiles")
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A compiled file from its three sections, with a correct checksum.
fn file(pipeline: &str, vocab: &[u8], merges: &[u8]) -> Vec<u8> {
    file_raw(pipeline.as_bytes(), vocab, merges)
}

fn file_raw(pipeline: &[u8], vocab: &[u8], merges: &[u8]) -> Vec<u8> {
    let mut out = b"tokscope".to_vec();
    out.extend_from_slice(&2u32.to_le_bytes()); // the format version this build reads
    out.extend_from_slice(&[0; 4]);
    for s in [pipeline, vocab, merges] {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s);
    }
    reseal(out)
}

/// `bytes` with the checksum made right again (the hostile cases get past it).
fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
    let sum = adler2::adler32_slice(&bytes[16..]);
    bytes[12..16].copy_from_slice(&sum.to_le_bytes());
    bytes
}

const PIPELINE: &str = r#"{"model": {"type": "BPE", "vocab": {}, "merges": []}}"#;

/// Vocab section: `stored` tokens as bytes (ids in order), then `made` entries made by merges.
fn vocab(stored: &[&[u8]], made: usize, flags: u8) -> Vec<u8> {
    let n = stored.len() + made;
    let mut out = vec![flags];
    varint(&mut out, n as u64);
    out.extend(std::iter::repeat_n(0, n)); // ids 0, 1, 2, …
    let mut bits = vec![0u8; n.div_ceil(8)];
    for e in stored.len()..n {
        bits[e / 8] |= 1 << (e % 8);
    }
    out.extend_from_slice(&bits);
    for t in stored {
        varint(&mut out, t.len() as u64);
    }
    for t in stored {
        out.extend_from_slice(t);
    }
    out
}

/// Merges section from `[a, b, merged]` entry numbers, entries `width` bytes wide.
fn merges_wide(list: &[[u64; 3]], width: usize) -> Vec<u8> {
    let mut out = Vec::new();
    varint(&mut out, list.len() as u64);
    out.push(width as u8);
    for side in 0..2 {
        for plane in 0..width {
            out.extend(list.iter().map(|m| (m[side] >> (8 * plane)) as u8));
        }
    }
    let mut made = Vec::new();
    let mut previous: i64 = -1;
    for &[_, _, m] in list {
        let delta = m as i64 - (previous + 1);
        varint(&mut made, ((delta << 1) ^ (delta >> 63)) as u64);
        previous = m as i64;
    }
    varint(&mut out, made.len() as u64);
    out.extend_from_slice(&made);
    out
}

fn merges(list: &[[u64; 3]]) -> Vec<u8> {
    merges_wide(list, 1)
}

#[test]
fn hostile_compiled_files_give_clear_errors() {
    let real = real();
    assert!(Tokenizer::from_bytes(&real).is_ok());
    let mut wrong_version = real.clone();
    wrong_version[8] = 1;
    let mut flipped = real.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let mut section_too_long = real.clone();
    section_too_long[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    let mut trailing = real.clone();
    trailing.push(0);
    // 2^32 - 1 tokens claimed by a few bytes: refused before anything is allocated for them.
    let huge_count = file(PIPELINE, &[0, 0xff, 0xff, 0xff, 0xff, 0x0f], &[]);
    // Each merge joins the previous token to itself: 2^60 bytes from 70 bytes of merges.
    let doubling: Vec<[u64; 3]> = (0..60).map(|e| [e, e, e + 1]).collect();
    let bomb = file(PIPELINE, &vocab(&[b"a"], 60, 0), &merges(&doubling));

    let table: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "EOF while parsing"),
        ("magic only", b"tokscope".to_vec(), "truncated"),
        ("a start of the magic", b"tok".to_vec(), "truncated"),
        ("neither UTF-8 nor compiled", vec![0xff, 0xfe, 0], "neither a tokenizer.json"),
        ("nothing after the header", reseal(real[..18].to_vec()), "truncated after its header"),
        ("header cut", real[..12].to_vec(), "truncated"),
        ("truncated", real[..real.len() / 2].to_vec(), "checksum does not match"),
        ("one byte short", real[..real.len() - 1].to_vec(), "checksum does not match"),
        ("wrong version", wrong_version, "format version 1"),
        ("a flipped bit", flipped, "checksum does not match"),
        ("section past the end", reseal(section_too_long), "runs past the end"),
        ("bytes after the sections", reseal(trailing), "after the last section"),
        ("huge count", huge_count, "counts 4294967295 tokens"),
        ("varint of 6 bytes", file(PIPELINE, &[0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], &[]), "over 5 bytes"),
        ("unknown flags", file(PIPELINE, &vocab(&[b"a"], 0, 0x80), &[]), "unknown vocab flags"),
        ("token not UTF-8", file(PIPELINE, &vocab(&[b"\xff"], 0, 0), &[]), "not UTF-8"),
        ("a repeated token", file(PIPELINE, &vocab(&[b"a", b"a"], 0, 0), &[]), "repeats the token"),
        ("made by no merge", file(PIPELINE, &vocab(&[b"a"], 1, 0), &merges(&[])), "no merge makes it"),
        ("merge past the vocab", file(PIPELINE, &vocab(&[b"a"], 1, 0), &merges(&[[0, 7, 1]])), "names entry 7"),
        ("merge of a token not made yet", file(PIPELINE, &vocab(&[b"a"], 2, 0), &merges(&[[0, 2, 1], [0, 0, 2]])), "not made yet"),
        ("merge that does not make its token", file(PIPELINE, &vocab(&[b"a", b"b", b"c"], 0, 0), &merges(&[[0, 1, 2]])), "does not make"),
        ("merge entries 0 bytes wide", file(PIPELINE, &vocab(&[b"a"], 1, 0), &merges_wide(&[[0, 0, 1]], 0)), "0 bytes wide (1 to 4)"),
        ("merge entries 5 bytes wide", file(PIPELINE, &vocab(&[b"a"], 1, 0), &merges_wide(&[[0, 0, 1]], 5)), "5 bytes wide (1 to 4)"),
        ("merge planes cut", file(PIPELINE, &vocab(&[b"a"], 2, 0), &merges_wide(&[[0, 0, 1], [1, 1, 2]], 2)[..8]), "merges section is truncated"),
        ("merge bomb", bomb, "bytes of tokens"),
        ("pipeline not JSON", file("{", &vocab(&[b"a"], 0, 0), &[]), "EOF while parsing"),
        ("pipeline not UTF-8", file_raw(b"\xff", &[], &[]), "pipeline section is not UTF-8"),
        ("unknown model", file(r#"{"model": {"type": "Bigram", "vocab": {}}}"#, &vocab(&[b"a"], 0, 0), &[]), "type `Bigram`"),
    ];
    let mut wrong = Vec::new();
    for (what, bytes, expected) in &table {
        match Tokenizer::from_bytes(bytes) {
            Ok(_) => wrong.push(format!("{what}: loaded")),
            Err(e) if e.to_string().contains(expected) => {
                assert!(matches!(e.kind(), ErrorKind::Json | ErrorKind::InvalidComponent | ErrorKind::Unsupported), "{what}: {e}");
            }
            Err(e) => wrong.push(format!("{what}: {e:?}, expected {expected:?}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every prefix and every single-byte change of a real file is refused or loads, without a panic
/// (a cheap fuzz over the loader's bounds checks, the checksum made right each time).
#[test]
fn every_cut_and_byte_change_is_an_error_not_a_panic() {
    let real = real();
    for len in (0..real.len()).step_by(7) {
        let _ = Tokenizer::from_bytes(&real[..len]);
        let mut cut = real[..len.max(16)].to_vec();
        if cut.len() >= 16 {
            cut = reseal(cut);
        }
        let _ = Tokenizer::from_bytes(&cut);
    }
    for at in (16..real.len()).step_by(3) {
        for delta in [1u8, 0x80] {
            let mut changed = real.clone();
            changed[at] = changed[at].wrapping_add(delta);
            let _ = Tokenizer::from_bytes(&reseal(changed));
        }
    }
}

#[test]
fn decompile_refuses_what_is_not_compiled() {
    let e = Tokenizer::decompile(b"{\"model\": {}}").unwrap_err();
    assert!(e.to_string().contains("wrong magic"), "{e}");
}
