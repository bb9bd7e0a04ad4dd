// Deployment, outside the browser: the package installed from its `npm pack` tarball, with no
// bundler plugin, in Node as an ES module and through CommonJS `require`, in Bun and Deno (their
// npm packages), and in Cloudflare's `workerd` runtime (its npm package, run locally, no account)
// as a fetch handler. Each program
// counts and encodes a GPT-2 text from a compiled tokenizer and must give the reference's ids.
// The browser ones (an esbuild bundle, a module Web Worker, Vite) are in tests/browser/.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { build } from "esbuild";
import { compiledGpt2, freePort, gpt2Case, packedApp } from "../deploy/project.mjs";
import { root } from "./golden.mjs";

let app;
const { text, ids } = gpt2Case();

before(async () => {
  app = packedApp();
  writeFileSync(path.join(app.dir, "gpt2.tks"), await compiledGpt2(app.dir));
});
after(() => app?.remove());

/** Runs a Node program in the app folder; its stdout, parsed as JSON. */
function runNode(file, source) {
  writeFileSync(path.join(app.dir, file), source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: app.dir, encoding: "utf8", input: text }));
}

test("Node, ES module: import { Tokenizer } from 'tokenscope'", () => {
  const out = runNode(
    "esm.mjs",
    `import { readFileSync } from "node:fs";
import { Tokenizer } from "tokenscope";
const tok = Tokenizer.fromBytes(readFileSync("gpt2.tks"));
const text = readFileSync(0, "utf8");
console.log(JSON.stringify({ count: tok.count(text), ids: [...tok.encode(text).ids] }));
`,
  );
  assert.deepEqual(out, { count: ids.length, ids });
});

test("Node, CommonJS: require('tokenscope')", () => {
  const out = runNode(
    "cjs.cjs",
    `const { readFileSync } = require("node:fs");
const { Tokenizer } = require("tokenscope");
const tok = Tokenizer.fromBytes(readFileSync("gpt2.tks"));
const text = readFileSync(0, "utf8");
console.log(JSON.stringify({ count: tok.count(text), ids: [...tok.encodeIds(text)] }));
`,
  );
  assert.deepEqual(out, { count: ids.length, ids });
});

// The ES module program above, run by Bun and by Deno (their npm packages' binaries): each resolves
// `tokenscope` from the app's node_modules to the package's Node entry.
const ESM_PROGRAM = `import { readFileSync } from "node:fs";
import { Tokenizer } from "tokenscope";
import { Tokenizer as Full } from "tokenscope/full";
const tks = readFileSync("gpt2.tks");
const tok = Tokenizer.fromBytes(tks);
const text = readFileSync(0, "utf8");
console.log(JSON.stringify({ count: tok.count(text), ids: [...tok.encode(text).ids], full: [...Full.fromBytes(tks).encodeIds(text)] }));
`;

for (const [runtime, args] of [
  ["bun", ["run", "runtime.mjs"]],
  // No network: the npm packages come from the app's node_modules (package.json present).
  ["deno", ["run", "--allow-read", "--allow-env", "--no-remote", "runtime.mjs"]],
]) {
  const bin = path.join(root, "node_modules", ".bin", runtime);
  test(`${runtime[0].toUpperCase() + runtime.slice(1)}: import { Tokenizer } from 'tokenscope' (and tokenscope/full)`, { skip: !existsSync(bin) && `${runtime} is not installed (npm ci)`, timeout: 60_000 }, () => {
    writeFileSync(path.join(app.dir, "runtime.mjs"), ESM_PROGRAM);
    const out = JSON.parse(execFileSync(bin, args, { cwd: app.dir, encoding: "utf8", input: text, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } }));
    assert.deepEqual(out, { count: ids.length, ids, full: ids });
  });
}

const WORKERD = path.join(root, "node_modules", ".bin", "workerd");

test("Cloudflare workerd: a fetch handler counts tokens (wasm and tokenizer as module imports)", { skip: !existsSync(WORKERD) && "workerd is not installed (npm ci)", timeout: 60_000 }, async () => {
  // workerd forbids compiling wasm from bytes at run time: the wasm is a module binding, given to
  // `initSync`; the compiled tokenizer a data module. The worker is one esbuild bundle (the
  // package's browser entry, no plugin), as `wrangler deploy` would upload it.
  const pkg = path.join(app.dir, "node_modules", "tokenscope", "pkg");
  writeFileSync(
    path.join(app.dir, "worker-src.mjs"),
    `import { initSync, Tokenizer } from "tokenscope";
import wasm from "./tokenscope_bg.wasm";
import tks from "./gpt2.tks";
initSync({ module: wasm });
const tok = Tokenizer.fromBytes(new Uint8Array(tks));
export default {
  async fetch(request) {
    const text = await request.text();
    return Response.json({ count: tok.count(text), ids: [...tok.encode(text).ids] });
  },
};
`,
  );
  copyFileSync(path.join(pkg, "tokenscope_bg.wasm"), path.join(app.dir, "tokenscope_bg.wasm"));
  await build({
    entryPoints: [path.join(app.dir, "worker-src.mjs")],
    outfile: path.join(app.dir, "worker.mjs"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["./tokenscope_bg.wasm", "./gpt2.tks"],
    logLevel: "silent",
  });
  const port = await freePort();
  writeFileSync(
    path.join(app.dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "tokenscope_bg.wasm", wasm = embed "tokenscope_bg.wasm"),
    (name = "gpt2.tks", data = embed "gpt2.tks"),
  ],
  compatibilityDate = "2026-11-01",
);
`,
  );
  const server = spawn(WORKERD, ["serve", "config.capnp"], { cwd: app.dir, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  try {
    let res;
    for (let i = 0; i < 100 && !res; i++) {
      try {
        res = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: text });
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.ok(res, `workerd did not answer:\n${log}`);
    assert.equal(res.status, 200, log);
    assert.deepEqual(await res.json(), { count: ids.length, ids });
  } finally {
    server.kill();
  }
});
