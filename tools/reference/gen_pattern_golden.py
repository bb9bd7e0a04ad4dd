#!/usr/bin/env python3
"""Differential golden of `Split` regexes: how PyPI `tokenizers` 0.23.3 (Oniguruma, Ruby syntax)
splits texts with the patterns users write. Writes tests/fixtures/patterns/golden.json, which
tests/patterns.rs (native) and tests/js/patterns.test.mjs (wasm) check tokenscope against.

Each pattern runs as the whole pre-tokenizer, `Split(pattern, "isolated")`, in front of a
WordLevel model whose only token is its unk token, so every piece comes back as one token with the
piece's offsets: the offsets of an encoding are the split. A pattern the reference refuses is
recorded with its error (tokenscope must refuse it too).

Setup and run (from the repo root):

    python3 -m venv .venv && .venv/bin/pip install tokenizers==0.23.3
    .venv/bin/python tools/reference/gen_pattern_golden.py

Offsets are written in UTF-8 bytes (the reference's char offsets converted), as the Rust API
gives them; the JS test converts them to UTF-16.
"""

import json
import os
import sys

import tokenizers
from tokenizers import Regex, Tokenizer, models, pre_tokenizers

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(REPO, "tests", "fixtures", "patterns", "golden.json")

# Classes and constructs of Oniguruma's Ruby syntax that `tokenizer.json` files use or that users
# write, each alone (as a run) and in the combinations real patterns make of them.
CLASSES = [
    r"\w", r"\W", r"\s", r"\S", r"\d", r"\D", r"\h", r"\H",
    r"\p{L}", r"\p{Lu}", r"\p{Ll}", r"\p{Lt}", r"\p{Lm}", r"\p{Lo}", r"\p{M}", r"\p{Mn}", r"\p{N}", r"\p{Nd}",
    r"\p{No}", r"\p{P}", r"\p{S}", r"\p{Z}", r"\p{C}", r"\p{Cf}",
    r"\p{Han}", r"\p{Hiragana}", r"\p{Katakana}", r"\p{Greek}", r"\p{Cyrillic}", r"\p{Arabic}", r"\p{Latin}",
    r"\p{Word}", r"\p{Alpha}", r"\p{Alnum}", r"\p{Punct}", r"\p{Space}", r"\p{Upper}", r"\p{Lower}",
    r"\p{Digit}", r"\p{XDigit}", r"\p{Graph}", r"\p{Print}", r"\p{Cntrl}", r"\p{Blank}",
    r"\p{^L}", r"\P{L}", r"\P{^L}", r"\p{In_CJK_Unified_Ideographs}", r"\p{Emoji}",
    r"[[:alpha:]]", r"[[:digit:]]", r"[[:alnum:]]", r"[[:upper:]]", r"[[:lower:]]", r"[[:space:]]",
    r"[[:punct:]]", r"[[:word:]]", r"[[:xdigit:]]", r"[[:cntrl:]]", r"[[:graph:]]", r"[[:print:]]",
    r"[[:^alpha:]]", r"[^[:alpha:]]", r"[^[:space:][:punct:]]",
    r"[a-z]", r"[A-Za-z0-9_]", r"[^a-z]", r"[\u4e00-\u9fff]", r"[一-龥]", r"[\x{1F600}-\x{1F64F}]",
    r".", r"\X", r"\R", r"[^\s\p{L}\p{N}]",
]
CONSTRUCTS = [
    r"\b", r"\B", r"\bword\b", r"^", r"$", r"^\s*", r"\s*$", r"\A\w+", r"\w+\z", r"\w+\Z",
    r"(?i)ss", r"(?i)ß", r"(?i)ﬁ", r"(?i)k", r"(?i)σ", r"(?i)[a-z]+", r"(?i:'s|'t|'re|'ve|'m|'ll|'d)",
    r"(?>a+)b", r"a++", r"a*+b", r"\Ga", r"(?<=a)b", r"(?<!a)b", r"(?<=\s)\S+", r"a\Kb", r"(?=\d)",
    r"(?=(\d{3})+(?!\d))", r"\d{1,3}", r"\p{N}{1,3}", r"(\w)\1", r"(?<x>\w)\k<x>",
    r" ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
    r"[\p{L}\p{M}]+|[^\p{L}\p{M}\s]+",
    r"\s+(?=\S)", r"\n+", r"\r\n|\n", r"[\r\n]+", r"\t", r" {2,}", r"\u00a0", r"\x{200D}",
    r"\p{Emoji_Presentation}", r"[\p{Extended_Pictographic}]",
]


def patterns():
    out = []
    for c in CLASSES:
        out.append(c + "+")
    for c in CLASSES[:24]:
        out.append(c)
    out.extend(CONSTRUCTS)
    return out


TEXTS = [
    "", " ", "Hello, world! It's 2026.", "HELLO World hello wORLD", "don't STOP I'LL we've",
    "Straße STRASSE strasse ß ẞ", "ﬁle FILE ﬃ", "Kelvin K k ǅ ǈ", "ΣΑΣ σας ς", "İstanbul ıi",
    "日本語の文章です。カタカナ ひらがな", "中文，标点！", "한국어 문장", "Привет, мир!", "Γειά σου κόσμε",
    "مرحبا بالعالم ١٢٣", "שלום עולם", "हिन्दी पाठ", "ไทยภาษา", "Tiếng Việt có dấu",
    "e\u0301 a\u0308 n\u0303", "\u0301\u0301x", "👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️ 🏳️‍🌈", "a\u200db \u200c\ufeff",
    "½ ² ³ ① Ⅻ ٣ ၅ 𝟙", "1234567 12 1,234.56 0x1F", "tabs\tand\nnewlines\r\n\r\nend\n",
    "\u00a0nbsp\u2003em\u3000ideo\u2028line\u2029para\u0085nel", "  leading and trailing  ",
    "snake_case camelCase kebab-case", "user@example.com https://x.org/a?b=c#d", "C++ C# F# .NET",
    "$100 €50 ¥1000 £5", "«quotes» “curly” ‘single’ „low“", "— – ‐ ‑ ‒", "©®™ ° ± × ÷ §",
    "\x00\x01\x1f\x7f control", "a\u0000b", "𐍈𐌰𐌺 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "aaa aab abab ba", "word wordy sword words",
    "x" * 40, " " * 10 + "x", "\n\n\n", "a\nb\nc", "\ta\t\tb",
]


def build(pattern):
    tok = Tokenizer(models.WordLevel(vocab={"[UNK]": 0}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex(pattern), behavior="isolated")
    return tok


def byte_offsets(text, offsets):
    enc = [len(text[:i].encode("utf-8")) for i in range(len(text) + 1)]
    return [[enc[a], enc[b]] for a, b in offsets]


def main():
    pats = patterns()
    cases = []
    for p, pattern in enumerate(pats):
        try:
            tok = build(pattern)
        except Exception as e:  # the reference refuses the pattern
            cases.append({"pattern": p, "error": str(e).split("\n")[0]})
            continue
        for t, text in enumerate(TEXTS):
            enc = tok.encode(text)
            cases.append({"pattern": p, "text": t, "offsets": byte_offsets(text, enc.offsets)})
    data = {
        "reference": f"tokenizers {tokenizers.__version__} (PyPI)",
        "generator": "tools/reference/gen_pattern_golden.py",
        "patterns": pats,
        "texts": TEXTS,
        "cases": cases,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    pairs = sum(1 for c in cases if "text" in c)
    print(f"wrote {os.path.relpath(OUT, REPO)}: {len(pats)} patterns × {len(TEXTS)} texts = {pairs} pairs, {len(cases) - pairs} patterns refused", file=sys.stderr)


if __name__ == "__main__":
    main()
