// The prose section in Chromium: Debian's /usr/bin/chromium through playwright-core, launched as
// the browser tests launch it (tests/browser/chromium.mjs) plus --expose-gc, on a page served from
// 127.0.0.1 here (browser/index.html, browser/page.mjs) that imports tokenscope's pkg/ and the
// peers' ES modules from node_modules and runs passes.mjs on the same texts as the Node children.
// One fresh browser context (own renderer, heap and HTTP cache) per implementation. Nothing is
// fetched from outside: the page's only origin is this server.

import http from "node:http";
import path from "node:path";
import { launchChromium } from "../../tests/browser/chromium.mjs";
import { inside, sendFile } from "../../tools/dev/serve.mjs";
import { REPO } from "./corpus.mjs";
import { PKG_DIR, TOKENIZERS } from "./peers.mjs";

/** The page's files: its own, the package, two peers' folders, the o200k file, the texts and ids. */
function serve({ workloads = [], refDir = REPO, tks }) {
  const json = JSON.stringify(workloads.map(({ name, texts, bytes }) => ({ name, texts, bytes })));
  const roots = {
    "/bench/js/": path.join(REPO, "bench/js"),
    "/pkg/": PKG_DIR,
    "/node_modules/gpt-tokenizer/": path.join(REPO, "node_modules/gpt-tokenizer"),
    "/node_modules/ai-tokenizer/": path.join(REPO, "node_modules/ai-tokenizer"),
    "/ref/": refDir,
  };
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    if (url === "/") return sendFile(req, res, path.join(REPO, "bench/js/browser/index.html"));
    if (url === "/tokenizer.json") return sendFile(req, res, TOKENIZERS.o200k.file());
    if (url === "/o200k.tks" && tks) {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      return res.end(tks);
    }
    if (url === "/workloads.json") {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(json);
    }
    const prefix = Object.keys(roots).find((p) => url.startsWith(p));
    const file = prefix && inside(roots[prefix], url.slice(prefix.length));
    if (!file) {
      res.writeHead(404);
      return res.end();
    }
    return sendFile(req, res, file);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** The first line of an error's message. */
const firstLine = (e) => String(e?.message ?? e).split("\n")[0];

/**
 * Serves the page (`serve`'s options), launches Chromium with `args`, and runs `body(browser, url)`,
 * which fills `out`; resolves to `{ browser: version, ...out }` or `{ error }` when the browser
 * could not run.
 */
async function inChromium(serveOptions, args, body) {
  const server = await serve(serveOptions);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const out = {};
  let browser;
  try {
    browser = await launchChromium(args);
    out.browser = `Chromium ${browser.version()}`;
    await body(browser, url, out);
  } catch (e) {
    out.error = firstLine(e);
  } finally {
    await browser?.close();
    server.close();
  }
  return out;
}

/**
 * The page in a fresh browser context (own renderer, no HTTP or code cache): once its
 * `window[entry]` is defined, `window[entry](...args)`'s result. Page errors are added to a thrown
 * error's message.
 */
async function inFreshPage(browser, url, entry, args) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForFunction((name) => typeof window[name] === "function", entry, { timeout: 30_000 });
    return await page.evaluate(([name, a]) => window[name](...a), [entry, args]);
  } catch (e) {
    throw new Error(`${firstLine(e)}${errors.length ? `; page: ${errors[0]}` : ""}`);
  } finally {
    await context.close();
  }
}

/**
 * Runs `peers` (ids of browser/page.mjs's adapters) on `workloads` (corpus.mjs's proseWorkloads),
 * against the reference ids in `refDir`; `runs` and `warmupMs` as passes.mjs takes them, one fresh
 * browser context per peer. Resolves to { browser, [peer]: result or { error } }.
 */
export function runInChromium({ peers, workloads, refDir, runs, warmupMs, log = () => {} }) {
  return inChromium({ workloads, refDir }, ["--js-flags=--expose-gc"], async (browser, url, out) => {
    for (const peer of peers) {
      const t = Date.now();
      try {
        out[peer] = await inFreshPage(browser, url, "bench", [peer, runs, warmupMs]);
      } catch (e) {
        out[peer] = { error: e.message };
      }
      log(`Chromium: ${peer}: ${out[peer].error ?? "done"} (${((Date.now() - t) / 1e3).toFixed(1)} s)`);
    }
  });
}

/**
 * Start in Chromium (issue 17): for each of `peers` ("tokenscope-compiled", "gpt-tokenizer"),
 * `runs` fresh browser contexts after an untimed one, each timing import → first count on o200k
 * from the data in memory (`tks`: the compiled o200k). Resolves to
 * { browser, [peer]: { totalMs: [..], count } or { error } }.
 */
export function startInChromium({ peers, tks, runs, log = () => {} }) {
  return inChromium({ tks }, [], async (browser, url, out) => {
    for (const peer of peers) {
      const totals = [];
      let count;
      try {
        // One run more than counted: the first context of a browser pays for its renderer's
        // first start (seconds here), which is not the page's load.
        for (let i = 0; i <= runs; i++) {
          const r = await inFreshPage(browser, url, "start", [peer]);
          if (i > 0) totals.push(r.totalMs);
          count = r.count;
        }
        out[peer] = { totalMs: totals, count };
      } catch (e) {
        out[peer] = { error: e.message };
      }
      log(`Chromium start: ${peer}: ${out[peer].error ?? totals.map((t) => t.toFixed(0)).join(", ") + " ms"}`);
    }
  });
}
