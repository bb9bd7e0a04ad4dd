#!/usr/bin/env python3
"""Reference outputs of the BPE trainer on small corpora, for tests/trainer.rs.

Trains PyPI `tokenizers` 0.23.3's `BpeTrainer` with the stage-1 pre-tokenizer of the shared
reference job (../shared/trainer/README.md) on slices of the shared corpus and on
tests/trainer/edge.txt, and writes, per case, `tests/trainer/<case>/`: `merges.txt` and
`vocab.json` (the trainer's `model.save`), and `encodings.json` (ids of a few texts encoded by
the trained tokenizer). The Rust tests compare tokenscope's trainer and encoder with them.

    .venv/bin/python scripts/gen_trainer_golden.py

The full-size reference outputs (BPE 16k, SuperBPE 16k / t 12k, the latter from the SuperBPE
paper's fork) are in ../shared/trainer/reference and are read in place.
"""
import json
import os
import sys
import tempfile

import tokenizers
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("TOKENSCOPE_SHARED", os.path.join(ROOT, "..", "shared"))
CORPUS = os.path.join(SHARED, "trainer", "corpus")
PATTERN = r"(?=(\d{3})+(?!\d))| ?\p{L}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
TEXTS = [
    "By the way, the end of the day is near.",
    "aaaaaaa bbbbbbb abababab 1234567 東京都 👍👍 café",
    "def f(x):\n    return x ** 2  # squares\n",
    "",
]

# name -> (corpus files as (path, first N lines or None), vocab size)
CASES = {
    "pydoc-1k": ([(os.path.join(CORPUS, "pydoc_topics.txt"), None)], 1000),
    "nlp-20k-lines-4k": ([(os.path.join(CORPUS, "nlp_corpus.txt"), 20000)], 4000),
    # The first 13,231 lines: 1,000,061 bytes, the page's training test (tests/browser/train.test.mjs).
    "nlp-1mb-8k": ([(os.path.join(CORPUS, "nlp_corpus.txt"), 13231)], 8000),
    "edge-300": ([(os.path.join(ROOT, "tests", "trainer", "edge.txt"), None)], 300),
}


def main():
    assert tokenizers.__version__ == "0.23.3", tokenizers.__version__
    for name, (files, vocab_size) in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, (path, lines) in enumerate(files):
                if lines is not None:
                    with open(path, encoding="utf-8", newline="") as f:
                        head = [line for _, line in zip(range(lines), f)]
                    path = os.path.join(tmp, f"slice{i}.txt")
                    with open(path, "w", encoding="utf-8", newline="") as f:
                        f.write("".join(head))
                paths.append(path)
            tok = Tokenizer(models.BPE())
            tok.pre_tokenizer = pre_tokenizers.Sequence([
                pre_tokenizers.Digits(individual_digits=False),
                pre_tokenizers.Split(Regex(PATTERN), "isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ])
            tok.decoder = decoders.ByteLevel()
            tok.train(paths, trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False))
            out = os.path.join(ROOT, "tests", "trainer", name)
            os.makedirs(out, exist_ok=True)
            tok.model.save(out)
            encodings = [{"text": t, "ids": tok.encode(t).ids} for t in TEXTS]
            with open(os.path.join(out, "encodings.json"), "w", encoding="utf-8") as f:
                json.dump(encodings, f, ensure_ascii=False, indent=1)
            print(name, tok.get_vocab_size(), file=sys.stderr)


if __name__ == "__main__":
    main()
