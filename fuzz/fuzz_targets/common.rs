// Shared by the encode and decode targets: real tokenizer files, loaded once per process.
use std::path::PathBuf;
use std::sync::OnceLock;
use tokenscope::Tokenizer;

/// ../shared/tokenizers (or $TOKENSCOPE_SHARED_TOKENIZERS) and the repo's small test files: BPE
/// and SuperBPE byte-level, WordPiece, Unigram, WordLevel, with most normalizers and
/// pre-tokenizers between them.
pub fn tokenizers() -> &'static [Tokenizer] {
    static ALL: OnceLock<Vec<Tokenizer>> = OnceLock::new();
    ALL.get_or_init(|| {
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let shared = std::env::var_os("TOKENSCOPE_SHARED_TOKENIZERS").map_or_else(|| repo.join("../shared/tokenizers"), PathBuf::from);
        let mut files: Vec<PathBuf> = ["gpt2.json", "olmo2-bpe-200k.json", "olmo2-superbpe-t180k.json"].iter().map(|f| shared.join(f)).collect();
        let mut small: Vec<PathBuf> = std::fs::read_dir(repo.join("tests/fixtures/tokenizers")).expect("tests/fixtures/tokenizers").map(|e| e.expect("entry").path()).collect();
        small.sort();
        files.extend(small);
        files
            .iter()
            .map(|f| {
                let json = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                let mut tok = Tokenizer::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                tok.no_truncation();
                tok.no_padding();
                tok
            })
            .collect()
    })
}

/// The tokenizer the first byte names (its top bit: the `special` flag) and the rest of the input.
pub fn pick(data: &[u8]) -> Option<(&'static Tokenizer, bool, &[u8])> {
    let (&which, rest) = data.split_first()?;
    let all = tokenizers();
    Some((&all[which as usize % all.len()], which & 0x80 != 0, rest))
}
