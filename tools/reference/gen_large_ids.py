#!/usr/bin/env python3
"""Tokenizers whose ids reach past 2^24 (up to 2^32 - 1), and how PyPI `tokenizers` 0.23.3 encodes
and decodes with them: tests/fixtures/large_ids.json, checked by tests/large_ids.rs.

    .venv/bin/python tools/reference/gen_large_ids.py
"""

import json
import os

from tokenizers import Tokenizer

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(REPO, "tests", "fixtures", "large_ids.json")

FILES = {
    "wordlevel": {
        "model": {"type": "WordLevel", "vocab": {"[UNK]": 7, "hello": 4000000000, "world": 16777216, "big": 4294967295}, "unk_token": "[UNK]"},
        "pre_tokenizer": {"type": "WhitespaceSplit"},
    },
    "bpe": {
        "model": {
            "type": "BPE",
            "vocab": {"a": 0, "b": 3000000000, "c": 2, "ab": 20000000, "abc": 4294967294, "[UNK]": 5},
            "merges": [["a", "b"], ["ab", "c"]],
            "unk_token": "[UNK]",
        },
        "pre_tokenizer": {"type": "WhitespaceSplit"},
        "added_tokens": [{"id": 4294967293, "content": "<s>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}],
    },
    "wordpiece": {
        "model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "un": 99999999, "##aff": 3, "##able": 2000000000}, "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100},
        "pre_tokenizer": {"type": "WhitespaceSplit"},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
    },
}
TEXTS = ["hello world big x", "abc ab a b c cab <s> abcabc", "unaffable unable un", ""]


def main():
    out = []
    for name, spec in FILES.items():
        tok = Tokenizer.from_str(json.dumps(spec))
        cases = []
        for text in TEXTS:
            enc = tok.encode(text)
            cases.append({
                "text": text,
                "ids": enc.ids,
                "tokens": enc.tokens,
                "offsets": [[len(text[:a].encode()), len(text[:b].encode())] for a, b in enc.offsets],
                "decode": tok.decode(enc.ids, skip_special_tokens=False),
            })
        out.append({"name": name, "tokenizer": spec, "cases": cases})
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"reference": "tokenizers 0.23.3 (PyPI)", "generator": "tools/reference/gen_large_ids.py", "files": out}, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
