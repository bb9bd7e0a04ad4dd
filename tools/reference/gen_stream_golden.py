#!/usr/bin/env python3
"""The reference's `DecodeStream` on every golden encoding, fed one id at a time (issue 19).

For each tests/fixtures/golden/<name>.json (written by gen_golden.py), each case's `ids` (the
reference's own) go through `tokenizers.decoders.DecodeStream(skip_special_tokens)` of PyPI
`tokenizers` 0.23.3, one `step(tok, id)` per id, for skip false and true. Written to
tests/fixtures/stream/<name>.json, one line per case and setting, compactly:

    {"case": k, "skip_special_tokens": bool, "none_at": [i, ...], "joined": str?, "error": str?}

`none_at`: the steps that returned None; `joined`: the concatenation of what the others
returned, only when it differs from the case's `decode` / `decode_skip_special`; `error`: the
reference's error (InvalidPrefix) and the step it came at (`failed_at`), when it raised.

Setup as gen_golden.py (its `.venv`); run: `.venv/bin/python tools/reference/gen_stream_golden.py`.
Deterministic.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_golden  # noqa: E402

from tokenizers import Tokenizer  # noqa: E402
from tokenizers.decoders import DecodeStream  # noqa: E402

OUT_DIR = os.path.join(gen_golden.REPO, "tests", "fixtures", "stream")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    names = sorted(f[:-5] for f in os.listdir(gen_golden.OUT_DIR) if f.endswith(".json") and f != "texts.json")
    for name in names:
        with open(os.path.join(gen_golden.OUT_DIR, name + ".json"), encoding="utf-8") as f:
            golden = json.load(f)
        path, _ = gen_golden.locate(name)
        tok = Tokenizer.from_file(path)
        lines = []
        for k, case in enumerate(golden["cases"]):
            for skip, decoded in ((False, case["decode"]), (True, case["decode_skip_special"])):
                stream = DecodeStream(skip_special_tokens=skip)
                none_at, pieces, row = [], [], {"case": k, "skip_special_tokens": skip}
                for i, id_ in enumerate(case["ids"]):
                    try:
                        out = stream.step(tok, id_)
                    except Exception as e:
                        row["error"] = str(e)
                        row["failed_at"] = i
                        break
                    if out is None:
                        none_at.append(i)
                    else:
                        pieces.append(out)
                row["none_at"] = none_at
                joined = "".join(pieces)
                if joined != decoded:
                    row["joined"] = joined
                lines.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        with open(os.path.join(OUT_DIR, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
            f.write(f'{{"tokenizer":{json.dumps(name)},"tokenizers_version":{json.dumps(gen_golden.TOKENIZERS_VERSION)},"runs":[\n' + ",\n".join(lines) + "\n]}\n")
        errors = sum('"error"' in line for line in lines)
        print(f"{name}: {len(lines)} runs, {errors} errors")


if __name__ == "__main__":
    main()
