// Unit tests for the page's per-script figures (www/lab/scripts.js): no browser, no wasm. The
// expected rows are computed by tools/reference/gen_script_golden.py from the reference's tokens
// (PyPI `tokenizers` 0.23.3) with Python's `unicodedata` and the `regex` module
// (tests/fixtures/lab/scripts.json).
//
//   node --test tests/browser/lab-scripts.test.mjs   (also run by node --test tests/browser/)

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { SCRIPTS, scriptOf, scriptStats } from "../../www/lab/scripts.js";

const golden = JSON.parse(readFileSync(new URL("../fixtures/lab/scripts.json", import.meta.url), "utf8"));
const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

test("scriptStats gives the reference's rows on 3 texts × 4 tokenizers", () => {
  assert.equal(golden.cases.length, 12);
  for (const c of golden.cases) {
    const text = golden.texts[c.text];
    const { rows } = scriptStats(text, Uint32Array.from(c.offsets));
    const what = `${c.tokenizer} on ${c.text}`;
    assert.deepEqual(rows.map((r) => r.script), c.rows.map((r) => r.script), what);
    rows.forEach((r, i) => {
      const e = c.rows[i];
      const at = `${what}, ${r.script}`;
      assert.equal(r.chars, e.chars, `${at}: chars`);
      assert.equal(r.bytes, e.bytes, `${at}: bytes`);
      close(r.tokens, e.tokens, `${at}: tokens`);
      close(r.tokensPerChar, e.tokensPerChar, `${at}: tokens per char`);
      close(r.bytesPerToken, e.bytesPerToken, `${at}: bytes per token`);
      if (e.overLatin === null) assert.equal(r.overLatin, null);
      else close(r.overLatin, e.overLatin, `${at}: over Latin`);
      if (e.wholeWords !== null) assert.equal(r.wholeWords, e.wholeWords, `${at}: whole words`);
      assert.equal(r.splitChars, e.splitChars, `${at}: split chars`);
      assert.equal(r.counted, e.counted, `${at}: tokens counted`);
    });
  }
});

test("scriptOf: each class from its first code point", () => {
  const cases = { a: "Latin", é: "Latin", Ж: "Cyrillic", λ: "Greek", ب: "Arabic", ש: "Hebrew", न: "Devanagari", 東: "Han", に: "Kana", カ: "Kana", 한: "Hangul", ก: "Thai", "👍🏽": "Emoji", "🇯🇵": "Emoji", "7": "Digits", "٣": "Digits", " ": "Whitespace", "\u3000": "Whitespace", "{": "Code & punctuation", "€": "Code & punctuation", "\u0301": "Other" };
  for (const [c, want] of Object.entries(cases)) assert.equal(scriptOf(c), want, JSON.stringify(c));
  assert.ok(Object.values(cases).every((s) => SCRIPTS.includes(s)));
});

test("scriptStats on empty text and tokens with no text", () => {
  assert.deepEqual(scriptStats("", new Uint32Array()), { rows: [], total: { tokens: 0, wholeWordShare: 0, splitCharShare: 0 } });
  // A post-processor's [CLS] at (0, 0) counts nowhere.
  const { rows, total } = scriptStats("hi", Uint32Array.from([0, 0, 0, 2]));
  assert.equal(total.tokens, 1);
  assert.equal(rows[0].tokens, 1);
});
