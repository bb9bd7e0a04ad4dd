// Files saved by `tokenizers` 1.0 (its canonical form, "version": "2.0") in wasm (the full entry):
// the same files and reference values as tests/canonical.rs (see there). A converted repo file is
// checked against PyPI `tokenizers` 0.23.3 on the file it came from (every field; offsets only where
// the conversion kept the offset trimming, which 1.0 drops), a file made by an edit (no 0.23
// golden) against the 1.0 rc's ids, type ids, attention mask and decode.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Tokenizer } from "tokenscope/full";
import { checkGolden, loadGolden, loadTexts, root } from "./golden.mjs";

const fixtures = join(root, "tests", "fixtures");
const names = readdirSync(join(fixtures, "tokenizers-1.0")).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5)).sort();
const texts = loadTexts();
const read = (...path) => JSON.parse(readFileSync(join(fixtures, ...path), "utf8"));

/** Whether the file before conversion trimmed offsets in its post-processor. */
function trimmedOffsets(pp) {
  if (pp?.type === "ByteLevel" || pp?.type === "RobertaProcessing") return pp.trim_offsets !== false;
  return pp?.type === "Sequence" && pp.processors.some(trimmedOffsets);
}

test("files saved by tokenizers 1.0 load and encode as the reference, in wasm", () => {
  assert.ok(names.length >= 10, `only ${names.length} converted files`);
  const failures = [];
  let cases = 0;
  for (const name of names) {
    const tok = Tokenizer.fromJSON(readFileSync(join(fixtures, "tokenizers-1.0", `${name}.json`), "utf8"));
    try {
      let rc;
      try {
        rc = read("golden-1.0", `${name}.json`);
      } catch {
        rc = undefined; // read by the rc but not encoded (see golden-1.0/refused.json)
      }
      const original = rc === undefined ? name : rc.golden_0_23;
      if (original) {
        const { lines } = checkGolden(tok, loadGolden(original), texts);
        const skipOffsets = trimmedOffsets(read("tokenizers", `${original}.json`).post_processor);
        // (And the overflowing parts' sequence ids: a ByteLevel post-processor sets them, a file
        // without one leaves them unset.)
        const dropped = /\boffsets_utf(8|16):|overflowing\[\d+\]\.sequence_ids:/;
        failures.push(...lines.filter((l) => !(skipOffsets && dropped.test(l))));
        cases += loadGolden(original).cases.length;
        continue;
      }
      for (const c of rc.cases) {
        const options = { addSpecialTokens: c.add_special_tokens, ...("pair" in c ? { pair: texts.get(c.pair) } : {}) };
        const e = tok.encode(texts.get(c.text), options);
        const got = {
          ids: [...e.ids], type_ids: [...e.typeIds], attention_mask: [...e.attentionMask],
          decode: tok.decode(Uint32Array.from(c.ids)),
          decode_skip_special: tok.decode(Uint32Array.from(c.ids), { skipSpecialTokens: true }),
        };
        for (const [field, value] of Object.entries(got)) {
          if (JSON.stringify(value) !== JSON.stringify(c[field])) failures.push(`${name}: ${c.text}${c.pair ? ` + ${c.pair}` : ""}: ${field}`);
        }
        cases++;
      }
    } finally {
      tok.free();
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(cases > 800, `${cases} cases`);
});
