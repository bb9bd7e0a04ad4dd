// The differential golden of `Split` regexes in wasm (the full entry): the same pairs and the same
// list of known differences as tests/patterns.rs (see there). Golden offsets are UTF-8 bytes of
// the reference's splits; the package gives UTF-16 units, so each is converted through the text.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Tokenizer } from "tokenscope/full";
import { root } from "./golden.mjs";

const dir = join(root, "tests", "fixtures", "patterns");
const golden = JSON.parse(readFileSync(join(dir, "golden.json"), "utf8"));
const known = JSON.parse(readFileSync(join(dir, "known_differences.json"), "utf8"));

/** UTF-8 byte offset → UTF-16 offset in `text`. */
function utf16Of(text) {
  const map = new Map([[0, 0]]);
  let bytes = 0;
  let units = 0;
  for (const ch of text) {
    bytes += new TextEncoder().encode(ch).length;
    units += ch.length;
    map.set(bytes, units);
  }
  return (b) => map.get(b);
}

test("Split patterns split as the reference's Oniguruma does, in wasm", () => {
  const found = {};
  const tokenizers = new Map();
  for (const c of golden.cases) {
    const pattern = golden.patterns[c.pattern];
    if (!tokenizers.has(c.pattern)) {
      const json = JSON.stringify({
        model: { type: "WordLevel", vocab: { "[UNK]": 0 }, unk_token: "[UNK]" },
        pre_tokenizer: { type: "Split", pattern: { Regex: pattern }, behavior: "Isolated", invert: false },
      });
      try {
        tokenizers.set(c.pattern, Tokenizer.fromJSON(json));
      } catch (e) {
        tokenizers.set(c.pattern, e);
      }
    }
    const tok = tokenizers.get(c.pattern);
    if (c.error !== undefined) continue;
    if (tok instanceof Error) {
      found[pattern] = "refused";
      continue;
    }
    const text = golden.texts[c.text];
    const u16 = utf16Of(text);
    const want = c.offsets.flatMap(([a, b]) => [u16(a), u16(b)]);
    const got = [...tok.encode(text).offsets];
    if (JSON.stringify(got) !== JSON.stringify(want)) (found[pattern] ??= []).push(c.text);
  }
  for (const tok of tokenizers.values()) if (!(tok instanceof Error)) tok.free();
  // Same patterns and texts as the native list (its refusal messages are native's, so only
  // "refused" is compared for those).
  const expected = Object.fromEntries(Object.entries(known).map(([p, v]) => [p, typeof v === "string" ? "refused" : v]));
  assert.deepEqual(found, expected);
});
