#!/usr/bin/env python3
"""Reference outputs of the BPE trainer on small corpora, for tests/trainer.rs.

Trains PyPI `tokenizers` 0.23.3's `BpeTrainer` with the stage-1 pre-tokenizer of the shared
reference job (../shared/trainer/README.md) on slices of the shared corpus and on
tests/fixtures/trainer/edge.txt, and writes, per case, `tests/fixtures/trainer/<case>/`:
`merges.txt` and `vocab.json` (the trainer's `model.save`), and `encodings.json` (ids of a few texts
encoded by the trained tokenizer). The Rust tests compare tokenscope's trainer and encoder with
them.

    .venv/bin/python tools/reference/gen_trainer_golden.py

SuperBPE cases (`superbpe-*`) need the SuperBPE paper's fork of `tokenizers` for stage 2, as the
shared reference was made: stage 1 is PyPI's `BpeTrainer` to a vocab of t (its `merges.txt`), then
the fork's `do_train_extend` to V (`tools/reference/superbpe-fork/`, built against a checkout of
the fork):

    SUPERBPE_FORK_BIN=$(FORK=/path/to/tokenizers-superbpe \
        bash tools/reference/superbpe-fork/build.sh) \
      .venv/bin/python tools/reference/gen_trainer_golden.py

`superbpe-authors-*` run stage 2 with the split pattern of the authors' code since November 2025
(`AUTHORS_STAGE2_PATTERN`, no `Digits`); `extend-*` run the fork's stage 2 alone on the first N
merges of an existing tokenizer (a `merges.txt` of a header and N lines, as the authors'
`extend_existing_tokenizer.sh` writes with `head -n`).

Without SUPERBPE_FORK_BIN the SuperBPE cases are left as they are. Their `encodings.json` come
from PyPI `tokenizers` loading the fork's vocab and merges with the stage-2 pre-tokenizer.

The full-size reference outputs (BPE 16k, SuperBPE 16k / t 12k) are in ../shared/trainer/reference
and are read in place.
"""
import json
import os
import subprocess
import sys
import tempfile

import tokenizers
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("TOKENSCOPE_SHARED", os.path.join(ROOT, "..", "shared"))
CORPUS = os.path.join(SHARED, "trainer", "corpus")
PATTERN = r"(?=(\d{3})+(?!\d))| ?\p{L}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
STAGE2_PATTERN = r"(?=(\d{3})+(?!\d))"
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
    "edge-300": ([(os.path.join(ROOT, "tests", "fixtures", "trainer", "edge.txt"), None)], 300),
}

# name -> (corpus files, vocab size V, transition point t)
# Stage 2 with the split pattern of the authors' code since November 2025 (`--regex_string`:
# Split(pattern, Isolated) then ByteLevel, no Digits): name -> (corpus files, V, t).
AUTHORS_STAGE2_PATTERN = r"\p{N}{1,3}| ?[^\s\p{L}\p{N}]{2,}[\r\n/]*| +(?!\S)"
AUTHORS_CASES = {
    "superbpe-authors-pydoc-1500-t1000": ([(os.path.join(CORPUS, "pydoc_topics.txt"), None)], 1500, 1000),
    "superbpe-authors-nlp-20k-lines-4k-t3k": ([(os.path.join(CORPUS, "nlp_corpus.txt"), 20000)], 4000, 3000),
}

# Stage 2 alone from an existing tokenizer's merges (the authors' extend_existing_tokenizer.sh):
# name -> (corpus files, V, base tokenizer file, merges inherited (None: all), authors' pattern?).
EXTEND_CASES = {
    "extend-gpt2-2000-pydoc-3000": ([(os.path.join(CORPUS, "pydoc_topics.txt"), None)], 3000, os.path.join(SHARED, "tokenizers", "gpt2.json"), 2000, False),
    "extend-gpt2-all-pydoc-authors": ([(os.path.join(CORPUS, "pydoc_topics.txt"), None)], 16000, os.path.join(SHARED, "tokenizers", "gpt2.json"), None, True),
    "extend-bpe16k-8000-nlp-20k-lines-9000-authors": ([(os.path.join(CORPUS, "nlp_corpus.txt"), 20000)], 9000, os.path.join(SHARED, "trainer", "reference", "bpe-16k", "tokenizer.json"), 8000, True),
}

SUPERBPE_CASES = {
    "superbpe-pydoc-1500-t1000": ([(os.path.join(CORPUS, "pydoc_topics.txt"), None)], 1500, 1000),
    # The page's training test: 1 MB, V 8k, t 6k (the page's default) and t 4k.
    "superbpe-nlp-1mb-8k-t6k": ([(os.path.join(CORPUS, "nlp_corpus.txt"), 13231)], 8000, 6000),
    "superbpe-nlp-1mb-8k-t4k": ([(os.path.join(CORPUS, "nlp_corpus.txt"), 13231)], 8000, 4000),
    # Superwords of more than 4 words and with ": " to skip; t below the alphabet (no merge inherited).
    "superbpe-edge-400-t250": ([(os.path.join(ROOT, "tests", "fixtures", "trainer", "edge.txt"), None)], 400, 250),
    "superbpe-edge-300-t100": ([(os.path.join(ROOT, "tests", "fixtures", "trainer", "edge.txt"), None)], 300, 100),
}


def slice_files(files, tmp):
    paths = []
    for i, (path, lines) in enumerate(files):
        if lines is not None:
            with open(path, encoding="utf-8", newline="") as f:
                head = [line for _, line in zip(range(lines), f)]
            path = os.path.join(tmp, f"slice{i}.txt")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write("".join(head))
        paths.append(path)
    return paths


def pre_tokenizer(pattern, digits=True):
    return pre_tokenizers.Sequence(([pre_tokenizers.Digits(individual_digits=False)] if digits else []) + [
        pre_tokenizers.Split(Regex(pattern), "isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])


def write_encodings(tok, out):
    encodings = [{"text": t, "ids": tok.encode(t).ids} for t in TEXTS]
    with open(os.path.join(out, "encodings.json"), "w", encoding="utf-8") as f:
        json.dump(encodings, f, ensure_ascii=False, indent=1)


def run_fork(fork_bin, name, tmp, paths, vocab_size, authors):
    """The fork's stage 2 on `paths`, inheriting the merges.txt in `tmp`; writes the case."""
    out = os.path.join(ROOT, "tests", "fixtures", "trainer", name)
    os.makedirs(out, exist_ok=True)
    pattern = ["--pattern", AUTHORS_STAGE2_PATTERN] if authors else []
    subprocess.run([fork_bin, str(vocab_size), out, *pattern, *paths], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tok = Tokenizer(models.BPE.from_file(os.path.join(out, "vocab.json"), os.path.join(out, "merges.txt")))
    tok.pre_tokenizer = pre_tokenizer(AUTHORS_STAGE2_PATTERN, digits=False) if authors else pre_tokenizer(STAGE2_PATTERN)
    tok.decoder = decoders.ByteLevel()
    write_encodings(tok, out)
    print(name, tok.get_vocab_size(), file=sys.stderr)


def superbpe_cases(fork_bin):
    cases = [(n, c, False) for n, c in SUPERBPE_CASES.items()] + [(n, c, True) for n, c in AUTHORS_CASES.items()]
    for name, (files, vocab_size, transition), authors in cases:
        with tempfile.TemporaryDirectory() as tmp:
            paths = slice_files(files, tmp)
            stage1 = Tokenizer(models.BPE())
            stage1.pre_tokenizer = pre_tokenizer(PATTERN)
            stage1.train(paths, trainers.BpeTrainer(vocab_size=transition, show_progress=False))
            stage1.model.save(tmp)  # merges.txt, read by the fork from its working directory
            run_fork(fork_bin, name, tmp, paths, vocab_size, authors)
    for name, (files, vocab_size, base, inherit, authors) in EXTEND_CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            paths = slice_files(files, tmp)
            merges = json.loads(Tokenizer.from_file(base).to_str())["model"]["merges"]
            merges = [m if isinstance(m, str) else " ".join(m) for m in merges][:inherit]
            # The header line the fork skips, then the merges: `head -n inherit+1` of a merges.txt.
            with open(os.path.join(tmp, "merges.txt"), "w", encoding="utf-8") as f:
                f.write("#version: 0.2\n" + "".join(m + "\n" for m in merges))
            run_fork(fork_bin, name, tmp, paths, vocab_size, authors)


def main():
    assert tokenizers.__version__ == "0.23.3", tokenizers.__version__
    for name, (files, vocab_size) in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            paths = slice_files(files, tmp)
            tok = Tokenizer(models.BPE())
            tok.pre_tokenizer = pre_tokenizer(PATTERN)
            tok.decoder = decoders.ByteLevel()
            tok.train(paths, trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False))
            out = os.path.join(ROOT, "tests", "fixtures", "trainer", name)
            os.makedirs(out, exist_ok=True)
            tok.model.save(out)
            write_encodings(tok, out)
            print(name, tok.get_vocab_size(), file=sys.stderr)
    fork_bin = os.environ.get("SUPERBPE_FORK_BIN")
    if fork_bin:
        superbpe_cases(fork_bin)
    else:
        print("SUPERBPE_FORK_BIN not set: SuperBPE cases left as they are", file=sys.stderr)


if __name__ == "__main__":
    main()
