"""Writes tests/fixtures/components/unigram_cases.json: ids and byte offsets from the reference
tokenizers (PyPI tokenizers==0.23.3) for Unigram models alone (no normalizer, no pre-tokenizer).

Each entry: {"name", "model": the tokenizer.json `model` object, "cases": [[text, ids, offsets]
or [text, null] when the reference raises]}. Offsets are UTF-8 byte spans (Python gives chars).

The "spm" model is a 400-piece SentencePiece 0.2.1 Unigram model with byte_fallback, trained on
the docstrings of Python's standard library (any English-like text would do: the vocab is stored
in the fixture). Needs `pip install tokenizers==0.23.3 sentencepiece protobuf`.

Usage: python tools/reference/reference_unigram_cases.py  (from the repository root)
"""
import ast, glob, json, os, random, sysconfig, tempfile
from tokenizers import Tokenizer

BASE = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "normalizer": None,
        "pre_tokenizer": None, "post_processor": None, "decoder": None}


def reference(model, text):
    tok = Tokenizer.from_str(json.dumps(dict(BASE, model=model)))
    try:
        enc = tok.encode(text, add_special_tokens=False)
    except Exception:
        return [text, None]
    c2b = [0]
    for ch in text:
        c2b.append(c2b[-1] + len(ch.encode()))
    return [text, enc.ids, [[c2b[s], c2b[e]] for s, e in enc.offsets]]


def unigram(vocab, unk_id=0, byte_fallback=False):
    return {"type": "Unigram", "unk_id": unk_id, "vocab": [list(v) for v in vocab], "byte_fallback": byte_fallback}


BYTES = [(f"<0x{b:02X}>", 0.0) for b in range(256)]
MODELS = [
    # The reference's doc example.
    ("doc_example", unigram([("<unk>", 0.0), ("a", 0.0), ("b", 0.0), ("c", 0.0), ("d", 0.0), ("cd", 1.0),
                             ("ab", 2.0), ("abc", 5.0), ("abcd", 10.0)]),
     ["abcdacdxx", "", "x", "dcba", "abcabcd\u00e9\u00e9a", "\U0001f600abc"]),
    # Exact ties keep the path seen first (the longest last token); float sums decide near-ties:
    # -0.7 + -0.2 = -0.8999999999999999 > -0.9.
    ("ties", unigram([("<unk>", -5.0), ("a", -1.0), ("b", -1.0), ("c", -1.0), ("ab", -2.0), ("bc", -2.0),
                      ("abc", -3.0), ("x", -0.7), ("y", -0.2), ("xy", -0.9), ("p", -0.1), ("q", -0.2), ("pq", -0.3)]),
     ["abc", "ab", "bc", "abcabc", "xy", "pq", "xyz", "cab"]),
    # Unknown chars are fused; byte fallback gives <0xNN> tokens spanning the whole run.
    ("byte_fallback", unigram([("<unk>", 0.0)] + BYTES + [("a", -1.0), ("\u00e9", -2.0), ("\u65e5", -3.0)],
                              byte_fallback=True),
     ["a\u00e0b", "xyz", "\u65e5\u672c", "a\U0001f468\u200d\U0001f469a", "\u00e9\u00e8"]),
    # Byte fallback needs every byte of the run; otherwise the run is unk.
    ("partial_bytes", unigram([("<unk>", 0.0), ("<0x61>", 0.0), ("<0xC3>", 0.0), ("<0xA9>", 0.0), ("b", -1.0)],
                              byte_fallback=True),
     ["a", "\u00e9", "\u00e8", "ab\u00e9", "\u00e9\u00e8b"]),
    # Duplicate pieces: the last id and its score win; the <unk> piece matches in text and fuses.
    ("duplicates", unigram([("<unk>", -1.0), ("a", -1.0), ("b", -3.0), ("a", -5.0), ("ab", -5.5), ("<unk>", -2.0),
                            ("<", -9.0)], unk_id=0),
     ["ab", "aab", "<unk>", "z<unk>z", "<unk>b", "bb"]),
    # An unknown run that is itself a piece: two unknown chars (2 x 90) beat "ab" (50).
    ("unk_run_is_piece", unigram([("<unk>", 100.0), ("ab", 50.0)]), ["ab", "abab", "ba"]),
    # No unk_id: unknown chars are errors.
    ("no_unk", unigram([("a", -1.0), ("b", -1.0)], unk_id=None), ["ab", "abc", ""]),
    ("multibyte", unigram([("<unk>", 0.0), ("\u65e5", -2.0), ("\u65e5\u672c", -3.0), ("\u672c\u8a9e", -3.5),
                           ("\u8a9e", -2.0), ("\u2581", -1.0), ("\u2581\u65e5", -2.5), ("\U0001f600", -4.0)]),
     ["\u65e5\u672c\u8a9e", "\u2581\u65e5\u672c\u8a9e\u2581", "\U0001f600\U0001f600\u65e5", "\u672c\u65e5"]),
]


def spm_model():
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb
    lines = []
    for path in sorted(glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "*.py")))[:150]:
        try:
            tree = ast.parse(open(path, encoding="utf-8").read())
        except Exception:
            continue
        for node in ast.walk(tree):
            doc = ast.get_docstring(node) if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module)) else None
            if doc:
                lines.extend(l.strip() for l in doc.splitlines() if l.strip())
    with tempfile.TemporaryDirectory() as d:
        corpus = os.path.join(d, "corpus.txt")
        open(corpus, "w").write("\n".join(lines))
        spm.SentencePieceTrainer.train(input=corpus, model_prefix=os.path.join(d, "m"), vocab_size=400,
                                       model_type="unigram", byte_fallback=True, character_coverage=0.9995)
        m = pb.ModelProto()
        m.ParseFromString(open(os.path.join(d, "m.model"), "rb").read())
    vocab = [(p.piece, p.score) for p in m.pieces]
    return lines, unigram(vocab, unk_id=m.trainer_spec.unk_id, byte_fallback=True)


lines, spm = spm_model()
rng = random.Random(4)
texts = []
for _ in range(120):
    words = " ".join(rng.sample(lines, rng.choice([1, 1, 2]))).replace(" ", "\u2581")
    if rng.random() < 0.3:
        i = rng.randrange(len(words) + 1)
        words = words[:i] + rng.choice(["\u00e9", "\u65e5\u672c", "\U0001f44d\U0001f3fd", "\u0301", "\u00a0"]) + words[i:]
    texts.append(words)
MODELS.append(("spm", spm, texts))

out = [{"name": name, "model": model, "cases": [reference(model, t) for t in texts]} for name, model, texts in MODELS]
with open("tests/fixtures/components/unigram_cases.json", "w") as f:
    f.write("[\n" + ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in out) + "\n]\n")
