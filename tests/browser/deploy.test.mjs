// Deployment in the browser: the package installed from its `npm pack` tarball, bundled by
// esbuild with no plugin (an app's page and a module Web Worker, each one ES module; the wasm and
// the compiled tokenizer copied beside them as static files), served and run in Chromium. Both
// must give the reference's ids (PyPI tokenizers, tests/fixtures/golden/gpt2.json).
// Node and workerd: tests/js/deploy.test.mjs; Vite: tests/browser/example.test.mjs.

import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { build } from "esbuild";
import { compiledGpt2, gpt2Case, packedApp } from "../deploy/project.mjs";
import { launchChromium, serveStatic } from "./chromium.mjs";

const { text, ids } = gpt2Case();

let app;
let server;
let origin;
let browser;

// The app's code: the page counts on the main thread with the default `init()` (it finds the
// wasm next to the bundle), and asks a module worker, which passes the wasm's URL to `init`.
const PAGE = `import init, { Tokenizer } from "tokenscope";
const text = ${JSON.stringify(text)};
await init();
const bytes = new Uint8Array(await (await fetch("./gpt2.tks")).arrayBuffer());
const tok = Tokenizer.fromBytes(bytes);
const page = { count: tok.count(text), ids: [...tok.encode(text).ids] };
const worker = new Worker("./worker.js", { type: "module" });
worker.onerror = (e) => (window.result = { error: e.message ?? "worker failed" });
worker.onmessage = (e) => (window.result = { page, worker: e.data });
worker.postMessage({ text, bytes }, [bytes.buffer]);
`;
const WORKER = `import init, { Tokenizer } from "tokenscope";
onmessage = async ({ data: { text, bytes } }) => {
  await init({ module_or_path: new URL("./tokenscope_bg.wasm", self.location.href) });
  const tok = Tokenizer.fromBytes(bytes);
  postMessage({ count: tok.count(text), ids: [...tok.encodeIds(text)] });
};
`;

before(async () => {
  app = packedApp();
  const dist = path.join(app.dir, "dist");
  mkdirSync(dist);
  writeFileSync(path.join(app.dir, "page.mjs"), PAGE);
  writeFileSync(path.join(app.dir, "worker.mjs"), WORKER);
  await build({
    entryPoints: { app: path.join(app.dir, "page.mjs"), worker: path.join(app.dir, "worker.mjs") },
    outdir: dist,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    logLevel: "silent",
  });
  copyFileSync(path.join(app.dir, "node_modules", "tokenscope", "pkg", "tokenscope_bg.wasm"), path.join(dist, "tokenscope_bg.wasm"));
  writeFileSync(path.join(dist, "gpt2.tks"), await compiledGpt2(app.dir));
  writeFileSync(path.join(dist, "index.html"), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./app.js"></script>');

  server = await serveStatic(dist);
  origin = server.origin;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  app?.remove();
});

test("an esbuild bundle (no plugin) counts on the page and in a module worker", { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  try {
    await page.goto(origin);
    await page.waitForFunction(() => window.result, null, { timeout: 30_000 });
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(result, { page: { count: ids.length, ids }, worker: { count: ids.length, ids } }, problems.join("\n"));
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
