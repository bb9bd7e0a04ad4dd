// The browser entry used before its wasm is initialised: a clear error, then normal use after
// `init()`. A process of its own (node --test runs each file apart), so nothing initialised the
// wasm before this test.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PKG = path.resolve(REPO, process.env.TOKENSCOPE_PKG_DIR || "pkg");
const SHARED = process.env.TOKENSCOPE_SHARED || path.resolve(REPO, "../shared");

test("Tokenizer.fromJSON and fromBytes before init() throw an Error that says to call init()", async () => {
  const { default: init, Tokenizer } = await import(pathToFileURL(path.join(PKG, "browser.js")).href);
  const json = readFileSync(path.join(SHARED, "tokenizers/gpt2.json"));
  for (const create of [() => Tokenizer.fromJSON(json), () => Tokenizer.fromBytes(json)]) {
    assert.throws(create, {
      name: "Error",
      message: /tokenscope is not initialised: call `await init\(\)`/,
    });
  }
  await init({ module_or_path: readFileSync(path.join(PKG, "tokenscope_bg.wasm")) });
  const tok = Tokenizer.fromJSON(json);
  assert.ok(tok instanceof Tokenizer);
  // GPT-2 ids of "Hello world" (PyPI tokenizers 0.23.3).
  assert.deepEqual([...tok.encodeIds("Hello world")], [15496, 995]);
  tok.free();
});
