"""Writes tests/fixtures/components/normalizer_cases.json: normalized text and per-char original
spans from the reference tokenizers (PyPI tokenizers==0.23.3) for each normalizer and text below.

Spans come from encoding with a BPE model whose vocab is only the 256 `<0xNN>` byte-fallback
tokens: every byte of a normalized char becomes one token carrying that char's original span.
Python reports char offsets; they are converted to UTF-8 byte offsets here.

Usage: python tools/reference/reference_normalizer_cases.py  (run from the repository root, with
tokenizers==0.23.3 installed; the `@file` charsmaps are read from tests/fixtures/components/).
"""
import json
from tokenizers import Tokenizer

FIXTURES = "tests/fixtures/components/"
BASE = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "pre_tokenizer": None,
        "post_processor": None, "decoder": None}
BYTE_MODEL = {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
              "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": True, "ignore_merges": False,
              "vocab": {f"<0x{b:02X}>": b for b in range(256)}, "merges": []}


def resolve(value):
    """Replaces "@name" strings with the content of tests/fixtures/components/name."""
    if isinstance(value, dict):
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v) for v in value]
    if isinstance(value, str) and value.startswith("@"):
        return open(FIXTURES + value[1:]).read().strip()
    return value


def reference(normalizer, text):
    tok = Tokenizer.from_str(json.dumps(dict(BASE, normalizer=normalizer, model=BYTE_MODEL)))
    normalized = tok.normalizer.normalize_str(text)
    enc = tok.encode(text, add_special_tokens=False)
    char_to_byte = [0]
    for ch in text:
        char_to_byte.append(char_to_byte[-1] + len(ch.encode()))
    spans, i = [], 0
    for ch in normalized:
        n = len(ch.encode())
        assert len(set(enc.offsets[i:i + n])) == 1
        start, end = enc.offsets[i]
        spans.append([char_to_byte[start], char_to_byte[end]])
        i += n
    assert i == len(enc.ids)
    return [text, normalized, spans]


TEXTS = ["", "Hello World", "  H\u00e9llo  w\u00f6rld \t", "e\u0301 \ufb01 \uff26\uff55\uff4c\uff4c",
         "\ud55c\uad6d\uc5b4 \u1112\u119e\u11ab", "\U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f44d\U0001f3fd",
         "a\u00a0b", "x\u0000y\u0007z\u200bw\ufffd\u00ad\u0085", "\u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8",
         "\u0130stanbul \u03a3\u0391\u03a3 \u00df", "\u1e9b\u0323", "\r\n\t end ", "   ",
         "\u0301\u0302a\u0300", "\u0007\u0000\u00ad \u0001A\u0008\u0009"]
SPM_TEXTS = ["\u2460\u2461 \u3000full\uff01 \u2163 \u00bd \u1100\u1161\u11a8 \u0301a", "\u200b\u200bx\u200d",
             "\ufdfa \u33a1 \u2122", "a\u0301\u0302 e\u0301\u0302\u0303 \u0915\u094d\u0937\u093f",
             "\U0001f1ef\U0001f1f5 1\ufe0f\u20e3 \u0e01\u0e33", "\r\n \u00a0\u00a0x \ufb03\u0301"]
SMALL_TEXTS = ["axddx\ufb01e\u0301\U0001f44d", "e\u0301\u0301", "\ufb01x", "xa", "x\ufb01", "\ufb01xx", "e\u0301x\u0301"]
NMT = {"type": "Precompiled", "precompiled_charsmap": "@nmt_nfkc.b64"}
SMALL = {"type": "Precompiled", "precompiled_charsmap": "@small_charsmap.b64"}
CASES = [
    ("nfc", {"type": "NFC"}, []), ("nfd", {"type": "NFD"}, []), ("nfkc", {"type": "NFKC"}, []),
    ("nfkd", {"type": "NFKD"}, []), ("lowercase", {"type": "Lowercase"}, []),
    ("strip_both", {"type": "Strip", "strip_left": True, "strip_right": True}, []),
    ("strip_left", {"type": "Strip", "strip_left": True, "strip_right": False}, []),
    ("strip_right", {"type": "Strip", "strip_left": False, "strip_right": True}, []),
    ("strip_accents", {"type": "StripAccents"}, []), ("nmt", {"type": "Nmt"}, []),
    ("replace_space", {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}, []),
    ("replace_empty_literal", {"type": "Replace", "pattern": {"String": ""}, "content": "<>"}, []),
    ("replace_two_to_one", {"type": "Replace", "pattern": {"String": "ll"}, "content": "L"}, []),
    ("replace_delete", {"type": "Replace", "pattern": {"String": "l"}, "content": ""}, []),
    ("replace_regex_spaces", {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}, []),
    ("replace_regex_empty_matches", {"type": "Replace", "pattern": {"Regex": "l*"}, "content": "_"}, []),
    ("replace_regex_line_start", {"type": "Replace", "pattern": {"Regex": "^ *"}, "content": "^"}, ["a\nb\n  c"]),
    ("prepend", {"type": "Prepend", "prepend": "\u2581"}, []),
    ("prepend_two", {"type": "Prepend", "prepend": "<s>"}, []),
    ("prepend_empty", {"type": "Prepend", "prepend": ""}, []),
    ("bert_default", {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                      "strip_accents": None, "lowercase": True}, []),
    ("bert_cased", {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                    "strip_accents": None, "lowercase": False}, []),
    ("bert_strip_accents_only", {"type": "BertNormalizer", "clean_text": False, "handle_chinese_chars": False,
                                 "strip_accents": True, "lowercase": False}, []),
    ("byte_level", {"type": "ByteLevel"}, ["abc", "\u00e9", "caf\u00e9"]),
    ("precompiled_small", SMALL, SMALL_TEXTS),
    ("precompiled_nmt_nfkc", NMT, SPM_TEXTS),
    ("sequence_spm", {"type": "Sequence", "normalizers": [
        NMT, {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}, {"type": "Prepend", "prepend": "\u2581"}]},
     SPM_TEXTS),
    ("sequence_nfd_strip_lower", {"type": "Sequence", "normalizers": [
        {"type": "NFD"}, {"type": "StripAccents"}, {"type": "Lowercase"},
        {"type": "Strip", "strip_left": True, "strip_right": True}]}, []),
    ("sequence_empty", {"type": "Sequence", "normalizers": []}, []),
]

out = [{"name": name, "normalizer": normalizer,
        "cases": [reference(resolve(normalizer), t) for t in TEXTS + extra]}
       for name, normalizer, extra in CASES]
# One normalizer per line, so that a diff shows which one changed.
with open(FIXTURES + "normalizer_cases.json", "w") as f:
    f.write("[\n" + ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in out) + "\n]\n")
