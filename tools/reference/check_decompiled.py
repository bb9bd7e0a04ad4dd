#!/usr/bin/env python3
"""Check, with the reference PyPI `tokenizers`, that the `tokenizer.json` tokenscope decompiles
from its compiled form encodes as the original: every golden case of every golden file, every
field (ids, tokens, offsets, masks, sequence ids, decode). Writes what it checked to
tests/fixtures/decompiled/checked.json: per tokenizer, the length and Adler-32 of the exact
decompiled bytes the reference read. tests/compiled.rs decompiles again and requires the same
bytes, so a change to `compile` or `decompile` fails the test until this script (with the
reference) has checked the new output.

Run from the repo root after `cargo build --release` (same setup as gen_golden.py):

    .venv/bin/python tools/reference/check_decompiled.py
"""

import json
import os
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_golden  # noqa: E402  (locating files and encoding cases exactly as the goldens were)
from tokenizers import Tokenizer  # noqa: E402

REPO = gen_golden.REPO
CLI = os.path.join(REPO, "target", "release", "tokenscope")
OUT = os.path.join(REPO, "tests", "fixtures", "decompiled", "checked.json")


def main():
    with open(os.path.join(gen_golden.OUT_DIR, "texts.json"), encoding="utf-8") as f:
        texts = {t["name"]: t["text"] for t in json.load(f)["texts"]}
    names = sorted(f[:-5] for f in os.listdir(gen_golden.OUT_DIR) if f.endswith(".json") and f != "texts.json")
    checked = []
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            with open(os.path.join(gen_golden.OUT_DIR, name + ".json"), encoding="utf-8") as f:
                golden = json.load(f)
            path, _ = gen_golden.locate(name)
            compiled, decompiled = os.path.join(tmp, name + ".tks"), os.path.join(tmp, name + ".json")
            subprocess.run([CLI, "compile", path, "-o", compiled], check=True, capture_output=True)
            subprocess.run([CLI, "decompile", compiled, "-o", decompiled], check=True, capture_output=True)
            tok = Tokenizer.from_file(decompiled)
            differ = []
            for case in golden["cases"]:
                pair = texts[case["pair"]] if "pair" in case else None
                got = gen_golden.encode_case(tok, texts[case["text"]], case["add_special_tokens"], pair)
                fields = [k for k in gen_golden.CASE_FIELDS if got[k] != case[k]]
                if fields:
                    differ.append(f"{case['text']}/{case.get('pair')}/{case['add_special_tokens']}: {fields}")
            with open(decompiled, "rb") as f:
                data = f.read()
            print(f"  {name}: {len(golden['cases'])} cases, {'all equal' if not differ else f'{len(differ)} differ'}"
                  f" ({os.path.getsize(compiled)} bytes compiled, {len(data)} decompiled)")
            for d in differ[:5]:
                print(f"    {d}")
            failed += bool(differ)
            checked.append({"tokenizer": name, "cases": len(golden["cases"]), "decompiled_bytes": len(data),
                            "decompiled_adler32": zlib.adler32(data)})
    if failed:
        sys.exit(f"error: {failed} decompiled files encode differently in the reference; nothing written")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps({"tokenizers_version": gen_golden.tokenizers.__version__, "checked": checked}, indent=1) + "\n")
    print(f"wrote {os.path.relpath(OUT, REPO)}")


if __name__ == "__main__":
    main()
