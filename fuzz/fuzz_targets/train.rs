//! Training on random text: BPE, then SuperBPE at a random transition point, with random vocab
//! sizes. Never a panic; each result is a `tokenizer.json` our encoder loads, and it encodes the
//! training text back to itself (byte-level: every byte of it is in the alphabet).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokenscope::train::{Trainer, TrainerConfig};
use tokenscope::Tokenizer;

fuzz_target!(|data: &[u8]| {
    let [v, t, split, rest @ ..] = data else { return };
    let text = String::from_utf8_lossy(rest);
    // Up to two "files", cut at a char boundary.
    let mut cut = (usize::from(*split) * text.len() / 255).min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut trainer = Trainer::new();
    for file in [&text[..cut], &text[cut..]] {
        trainer.feed(file).unwrap();
    }
    let vocab_size = 200 + usize::from(*v) * 4;
    let transition = 150 + usize::from(*t) * vocab_size / 255;
    let config = TrainerConfig { vocab_size, transition: Some(transition.min(vocab_size)), ..TrainerConfig::default() };
    let bpe = match trainer.train_bpe(&config, &mut |_| true) {
        Ok(bpe) => bpe,
        Err(e) => {
            assert!(text.is_empty(), "{e}");
            return;
        }
    };
    let superbpe = trainer.train_superbpe(&bpe, &config, &mut |_| true).unwrap();
    for trained in [&bpe, &superbpe] {
        let tok = Tokenizer::from_json(&trained.tokenizer_json()).unwrap();
        for file in [&text[..cut], &text[cut..]] {
            let ids = tok.encode_ids(file, false).unwrap();
            assert_eq!(tok.decode(&ids, false).unwrap(), file);
            assert_eq!(tok.count(file, false).unwrap(), ids.len());
        }
    }
});
