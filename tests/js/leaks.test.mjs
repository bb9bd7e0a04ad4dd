// Memory across the wasm boundary: creating, using and freeing 10,000 tokenizers and 10,000
// encodings keeps wasm memory flat, whether freed explicitly (`free()`) or left to the garbage
// collector (wasm-bindgen's FinalizationRegistry frees the Rust side of a collected Tokenizer).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PKG = path.resolve(REPO, process.env.TOKENSCOPE_PKG_DIR || "pkg");
const { Tokenizer, initSync } = await import(pathToFileURL(path.join(PKG, "node.js")).href);
const memory = initSync().memory;
// A small BPE file (made by the reference's trainer, tests/fixtures/tokenizers), so 10,000 loads
// are quick.
const JSON_BYTES = readFileSync(path.join(REPO, "tests/fixtures/tokenizers/bpe-bytelevel-roberta.json"));
const TEXT = "By the way, I am a fan of the Milky Way. 東京 🙂 1234567\n".repeat(20);

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

/** Runs `round` n times; returns wasm memory (bytes) after a warm-up tenth and at the end. */
async function memoryAcross(n, round) {
  let warm = 0;
  for (let i = 0; i < n; i++) {
    round(i);
    if (i === n / 10) warm = memory.buffer.byteLength;
    // Let finalizers run now and then (they are scheduled between tasks).
    if (i % 500 === 0) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
  }
  return { warm, end: memory.buffer.byteLength };
}

test("10,000 tokenizers created, used and freed: wasm memory stays flat", async () => {
  const expected = (() => {
    const tok = Tokenizer.fromJSON(JSON_BYTES);
    const n = tok.count(TEXT);
    tok.free();
    return n;
  })();
  const { warm, end } = await memoryAcross(10_000, () => {
    const tok = Tokenizer.fromJSON(JSON_BYTES);
    assert.equal(tok.encodeIds(TEXT).length, expected);
    tok.free();
  });
  assert.equal(end, warm, `wasm memory grew from ${warm} to ${end} bytes`);
});

test("10,000 tokenizers left to the garbage collector: wasm memory stays bounded", async () => {
  const { warm, end } = await memoryAcross(10_000, () => {
    const tok = Tokenizer.fromJSON(JSON_BYTES);
    tok.count(TEXT);
  });
  // Finalizers run late, so a few hundred tokenizers may be alive at once; without them every
  // tokenizer (~0.5 MB here) would stay: 10,000 of them would need gigabytes.
  assert.ok(end <= warm + 64 * 2 ** 20, `wasm memory grew from ${warm} to ${end} bytes`);
});

test("10,000 encodings of one tokenizer: wasm memory stays flat", async () => {
  const tok = Tokenizer.fromJSON(JSON_BYTES);
  const { warm, end } = await memoryAcross(10_000, (i) => {
    const enc = tok.encode(TEXT + i);
    assert.equal(enc.offsets.length, 2 * enc.ids.length);
    tok.decode(enc.ids);
  });
  assert.equal(end, warm, `wasm memory grew from ${warm} to ${end} bytes`);
  tok.free();
});
