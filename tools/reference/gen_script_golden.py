#!/usr/bin/env python3
"""Reference values of the page's per-script figures (www/lab/scripts.js `scriptStats`), for
tests/browser/lab-scripts.test.mjs.

Tokens and offsets come from PyPI `tokenizers` 0.23.3; characters and their classes from this
script's own code on Python's `unicodedata` (names and categories) and the `regex` module
(grapheme clusters `\\X`, Unicode word boundaries `(?w)\\b`, and `Extended_Pictographic`, which
`unicodedata` lacks). Nothing here runs tokenscope.

A character is a grapheme cluster; its class is that of its first code point: Emoji
(Extended_Pictographic or Regional_Indicator), Digits (category Nd), Whitespace (White_Space), a
letter script for letters and marks (category L* or M*) by the first word(s) of the Unicode name
(LATIN, CYRILLIC, GREEK, ARABIC, HEBREW, DEVANAGARI, CJK … IDEOGRAPH as Han, HIRAGANA or KATAKANA
as Kana, HANGUL, THAI), Code & punctuation (P*, S*), else Other. The texts avoid the few chars
where a name and the Unicode Script property disagree (ー, Arabic comma, ฿).

    .venv/bin/pip install regex==2024.11.6      # besides tokenizers==0.23.3 (gen_golden.py)
    .venv/bin/python tools/reference/gen_script_golden.py

Writes tests/fixtures/lab/scripts.json: per text and tokenizer the UTF-16 offsets of the
reference's tokens and the expected rows (see `scriptStats`'s docstring for each figure). Whole
words are given only for classes whose words the page's `Intl.Segmenter` and Unicode's default
rules cut alike (not Han, Kana, Thai: ICU cuts those with dictionaries).
"""
import json
import os
import unicodedata

import regex
import tokenizers
from tokenizers import Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("TOKENSCOPE_SHARED", os.path.join(ROOT, "..", "shared"))
OUT = os.path.join(ROOT, "tests", "fixtures", "lab", "scripts.json")

TOKENIZERS = {
    "olmo2-bpe-200k": os.path.join(SHARED, "tokenizers", "olmo2-bpe-200k.json"),
    "olmo2-superbpe-t180k": os.path.join(SHARED, "tokenizers", "olmo2-superbpe-t180k.json"),
    "gpt2": os.path.join(SHARED, "tokenizers", "gpt2.json"),
    "gpt4o": os.path.join(ROOT, "node_modules", "@lenml", "tokenizer-gpt4o", "models", "tokenizer.json"),
}

TEXTS = {
    "mixed": (
        "By the way, the meeting is at 10:30 in Room 4B.\n"
        "Привет, как дела? Всё хорошо, спасибо.\n"
        "Καλημέρα σας, τι κάνετε;\n"
        "مرحبا بالعالم. كيف حالك اليوم؟\n"
        "שלום עולם, מה שלומך?\n"
        "नमस्ते दुनिया, आप कैसे हैं?\n"
        "東京都に住んでいます。今日は良い天気です。\n"
        "안녕하세요, 만나서 반갑습니다.\n"
        "สวัสดีครับ ยินดีที่ได้รู้จัก\n"
        "Emoji: 👍🏽 👨‍👩‍👧 🇯🇵 ❤️ done.\n"
        "Numbers ٣٤٥ and १२३ and 1,234,567.\n"
    ),
    "prose": (
        "On the other hand, the results of the study were, in the end, a matter of time. "
        "As a result, the committee decided that it would be better to wait until the end of the year. "
        "Don't worry: it's 3.14 times better than what we had at the beginning of the project.\n"
    ),
    "code": "def f(x):\n    return {\"key\": x ** 2}  # squares\n\nfor i in range(10):\n\tprint(f(i))\n",
}

SCRIPTS = ["Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Devanagari", "Han", "Kana", "Hangul", "Thai",
           "Emoji", "Digits", "Whitespace", "Code & punctuation", "Other"]
NAME_SCRIPTS = [("LATIN", "Latin"), ("CYRILLIC", "Cyrillic"), ("GREEK", "Greek"), ("ARABIC", "Arabic"),
                ("HEBREW", "Hebrew"), ("DEVANAGARI", "Devanagari"), ("CJK UNIFIED IDEOGRAPH", "Han"),
                ("CJK COMPATIBILITY IDEOGRAPH", "Han"), ("HIRAGANA", "Kana"), ("KATAKANA", "Kana"),
                ("HANGUL", "Hangul"), ("THAI", "Thai")]
WHITE_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}
NO_WORD_CHECK = {"Han", "Kana", "Thai"}


def class_of(cluster):
    c = cluster[0]
    if regex.match(r"[\p{Extended_Pictographic}\p{Regional_Indicator}]", c):
        return "Emoji"
    cat = unicodedata.category(c)
    if cat == "Nd":
        return "Digits"
    if c in WHITE_SPACE:
        return "Whitespace"
    if cat[0] in "LM":
        name = unicodedata.name(c, "")
        for prefix, script in NAME_SCRIPTS:
            if name.startswith(prefix):
                return script
        return "Other"
    if cat[0] in "PS":
        return "Code & punctuation"
    return "Other"


def stats(text, spans):
    """spans: the reference's token offsets in chars."""
    n = len(text)
    cls = [None] * n
    nbytes = [len(c.encode("utf-8")) for c in text]
    cluster_start = [False] * (n + 1)
    cluster_start[n] = True
    chars = {s: 0 for s in SCRIPTS}
    byte_sums = {s: 0 for s in SCRIPTS}
    for m in regex.finditer(r"\X", text):
        k = class_of(m.group())
        cluster_start[m.start()] = True
        chars[k] += 1
        for i in range(m.start(), m.end()):
            cls[i] = k
            byte_sums[k] += nbytes[i]
    words = {}
    at = 0
    for part in regex.split(r"(?w)\b", text, flags=regex.V1):
        if regex.search(r"[\p{L}\p{N}]", part):
            words[at] = at + len(part)
        at += len(part)
    tokens = {s: 0.0 for s in SCRIPTS}
    counted = {s: 0 for s in SCRIPTS}
    whole = {s: 0 for s in SCRIPTS}
    split = {s: 0 for s in SCRIPTS}
    real = [(s, e) for s, e in spans]
    for t, (s, e) in enumerate(real):
        if e <= s:
            continue
        total = sum(nbytes[s:e])
        for i in range(s, e):
            tokens[cls[i]] += nbytes[i] / total
        a = s
        while a < e and cls[a] == "Whitespace":
            a += 1
        b = e
        while b > a and cls[b - 1] == "Whitespace":
            b -= 1
        k = cls[a] if a < e else cls[s]
        counted[k] += 1
        if a < b and words.get(a) == b:
            whole[k] += 1
        before = t > 0 and real[t - 1][1] > s
        after = t + 1 < len(real) and real[t + 1][0] < e and real[t + 1][1] > real[t + 1][0]
        if not cluster_start[s] or not cluster_start[e] or before or after:
            split[k] += 1
    latin = tokens["Latin"] / chars["Latin"] if chars["Latin"] else None
    rows = []
    for k in SCRIPTS:
        if not chars[k] and not counted[k]:
            continue
        tpc = tokens[k] / chars[k] if chars[k] else 0
        rows.append({
            "script": k,
            "chars": chars[k],
            "bytes": byte_sums[k],
            "tokens": tokens[k],
            "tokensPerChar": tpc,
            "bytesPerToken": byte_sums[k] / tokens[k] if tokens[k] else 0,
            "overLatin": tpc / latin if latin and chars[k] else None,
            "wholeWords": None if k in NO_WORD_CHECK else whole[k],
            "splitChars": split[k],
            "counted": counted[k],
        })
    return rows


def utf16(text, spans):
    before = [0]
    for c in text:
        before.append(before[-1] + len(c.encode("utf-16-le")) // 2)
    return [x for s, e in spans for x in (before[s], before[e])]


def main():
    cases = []
    for tname, path in TOKENIZERS.items():
        tok = Tokenizer.from_file(path)
        for name, text in TEXTS.items():
            spans = tok.encode(text, add_special_tokens=False).offsets
            cases.append({"tokenizer": tname, "text": name, "offsets": utf16(text, spans), "rows": stats(text, spans)})
    out = {"tokenizers_version": tokenizers.__version__, "regex_version": regex.__version__,
           "unicodedata_version": unicodedata.unidata_version, "texts": TEXTS, "cases": cases}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
