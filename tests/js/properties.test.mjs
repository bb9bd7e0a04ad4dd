// Properties of UTF-16 offsets on random text, through the built package: for every token,
// `text.slice(start, end)` is the text it covers. Checked on OLMo2 SuperBPE t180k (byte-level,
// no offset trimming): offsets never split a surrogate pair, are in order and tile the text, and
// a token whose bytes are whole characters slices to exactly those characters.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PKG = path.resolve(REPO, process.env.TOKENSCOPE_PKG_DIR || "pkg");
const TOKENIZERS = process.env.TOKENSCOPE_SHARED_TOKENIZERS || path.resolve(REPO, "../shared/tokenizers");
const { Tokenizer } = await import(pathToFileURL(path.join(PKG, "node.js")).href);

const PIECES = [" ", "  ", "\n", "\r\n", "\t", "a", "By the way", " of the", "1234567", "東京", "🙂", "👩‍👩‍👧", "e\u0301", "\u05d0\u05d1", "\0", "é", "𝔘", "½"];
const STRICT = new TextDecoder("utf-8", { fatal: true });

/** Deterministic pseudo-random texts (xorshift), from the pieces and random code points. */
function* texts(n) {
  let seed = 0x9e3779b9;
  const next = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), seed >>> 0);
  for (let k = 0; k < n; k++) {
    let text = "";
    for (let i = next() % 16; i > 0; i--) {
      if (next() % 4) text += PIECES[next() % PIECES.length];
      else {
        let cp = next() % 0x30000;
        if (cp >= 0xd800 && cp < 0xe000) cp += 0x800; // no lone surrogates: those are refused
        text += String.fromCodePoint(cp);
      }
    }
    yield text;
  }
}

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;

test("UTF-16 offsets slice the JS string into each token's text (t180k, 3,000 random texts)", () => {
  const tok = Tokenizer.fromJSON(readFileSync(path.join(TOKENIZERS, "olmo2-superbpe-t180k.json")));
  let whole = 0;
  for (const text of texts(3_000)) {
    const { ids, offsets } = tok.encode(text);
    let prevEnd = 0;
    for (let i = 0; i < ids.length; i++) {
      const [s, e] = [offsets[2 * i], offsets[2 * i + 1]];
      assert.ok(s <= e && e <= text.length, `${JSON.stringify(text)}: (${s}, ${e})`);
      assert.ok(!isHigh(text.charCodeAt(s - 1)) || s === 0, `${JSON.stringify(text)}: ${s} splits a surrogate pair`);
      assert.ok(!isHigh(text.charCodeAt(e - 1)) || e === text.length || !(text.charCodeAt(e) >= 0xdc00 && text.charCodeAt(e) <= 0xdfff), `${JSON.stringify(text)}: ${e} splits a pair`);
      assert.ok(s <= prevEnd, `${JSON.stringify(text)}: gap before token ${i}`);
      prevEnd = Math.max(prevEnd, e);
      let own;
      try {
        own = STRICT.decode(tok.tokenBytes(ids[i]));
      } catch {
        continue; // part of a character: its span is the whole character, shared
      }
      const sharedWithNext = i + 1 < ids.length && offsets[2 * i + 2] < e;
      const sharedWithPrev = i > 0 && s < offsets[2 * i - 1];
      if (!sharedWithNext && !sharedWithPrev) {
        assert.equal(text.slice(s, e), own, `${JSON.stringify(text)}: token ${i}`);
        whole++;
      }
    }
    assert.equal(prevEnd, text.length, `${JSON.stringify(text)}: offsets tile the text`);
  }
  assert.ok(whole > 10_000, `${whole} whole-character tokens checked`);
  tok.free();
});
