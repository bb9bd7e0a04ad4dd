// Runs the README's JavaScript example against the built package and checks every value its
// comments state. A line `EXPR; // VALUE …` where VALUE is a JSON string, a number, or a typed
// array written `Uint32Array [1, 2]` becomes a check that EXPR equals VALUE; other lines run as
// they are. The values in the README come from PyPI tokenizers 0.23.3 on the same file.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PKG = path.resolve(REPO, process.env.TOKENSCOPE_PKG_DIR || "pkg");
const TOKENIZERS = process.env.TOKENSCOPE_SHARED_TOKENIZERS || path.resolve(REPO, "../shared/tokenizers");

/** The ```js blocks of the README. */
function jsBlocks(markdown) {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

const VALUE = /^\s*(?:(?<typed>[A-Z][A-Za-z0-9]*Array) (?<array>\[[^\]]*\])|(?<json>"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?))/;

/** The block with each `EXPR; // VALUE` line turned into a check; returns [code, checks]. */
function withChecks(block) {
  let checks = 0;
  const lines = block.split("\n").map((line, i) => {
    const m = /^(?<expr>[^/].*?);\s*\/\/(?<comment>.*)$/.exec(line);
    if (!m || /^(const|let|var|import|await init)\b/.test(m.groups.expr)) return line;
    const v = VALUE.exec(m.groups.comment);
    if (!v) return line;
    checks++;
    const expected = v.groups.typed ? `${v.groups.typed}.from(${v.groups.array})` : v.groups.json;
    return `__check(${m.groups.expr}, ${expected}, ${JSON.stringify(`README line ${i + 1}: ${line.trim()}`)});`;
  });
  return [lines.join("\n"), checks];
}

test("the README's JavaScript example runs and gives the values it states", async () => {
  const blocks = jsBlocks(readFileSync(path.join(REPO, "README.md"), "utf8")).filter((b) => /from "tokenscope(\/train|\/chat)?"/.test(b));
  assert.ok(blocks.length >= 1, "no ```js block importing tokenscope in the README");
  // fetch: the README's file names are read from ../shared/tokenizers, the package's wasm from pkg/.
  globalThis.fetch = async (url) => {
    const href = String(url);
    const file = href.startsWith("file:") ? fileURLToPath(href) : href.startsWith("node_modules/") ? path.join(REPO, href) : path.join(TOKENIZERS, href);
    return new Response(readFileSync(file), { headers: { "content-type": href.endsWith(".wasm") ? "application/wasm" : "application/json" } });
  };
  const results = [];
  globalThis.__check = (actual, expected, where) => {
    const got = ArrayBuffer.isView(actual) ? actual.constructor.from(actual) : actual;
    results.push(where);
    assert.deepEqual(got, expected, where);
  };
  const dir = mkdtempSync(path.join(tmpdir(), "tokenscope-readme-"));
  let total = 0;
  for (const [k, block] of blocks.entries()) {
    const [code, checks] = withChecks(block);
    total += checks;
    const file = path.join(dir, `example-${k}.mjs`);
    const entry = (...parts) => `from ${JSON.stringify(pathToFileURL(path.join(PKG, ...parts)).href)}`;
    // Blocks run on the browser entries (fetch served from disk), but TokenizerWorker's: Node has no
    // Web Worker, so it runs on the Node entry (worker threads), as a Node user's would.
    const js = /TokenizerWorker/.test(block) ? "node.js" : "browser.js";
    writeFileSync(file, code.replaceAll('from "tokenscope/train"', entry("train", "browser.js")).replaceAll('from "tokenscope/chat"', entry("chat", js)).replaceAll('from "tokenscope"', entry(js)));
    await import(pathToFileURL(file).href);
  }
  assert.equal(results.length, total, "every check ran");
  assert.ok(total >= 8, `only ${total} checked values in the README example`);
});
