// The Train panel in Chromium: training runs in a worker and is exact (the full-size job of
// ../shared/trainer gives the reference's tokenizer.json files, downloaded from the page); 1 MB to
// V = 8k keeps the main thread free and can be cancelled; moving t (or the superword filters)
// retrains SuperBPE only; the
// trained tokenizers encode the text box in the first two panes.
//
// References: ../shared/trainer/reference (PyPI tokenizers 0.23.3 for BPE, the SuperBPE paper's
// fork for SuperBPE); tests/fixtures/trainer/nlp-1mb-8k (PyPI tokenizers 0.23.3 on the first 13,231
// lines, tools/reference/gen_trainer_golden.py); token strings of the trained SuperBPE from PyPI
// tokenizers on the reference tokenizer.json; tests/fixtures/trainer/superbpe-nlp-1mb-8k-t{6,4}k
// (stage 1 by PyPI, stage 2 by the SuperBPE paper's fork).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ARTIFACTS, REPO, launchChromium } from "./chromium.mjs";
import { startServer } from "../../tools/dev/serve.mjs";

const SHARED = process.env.TOKENSCOPE_SHARED || path.resolve(REPO, "../shared");
const CORPUS = path.join(SHARED, "trainer/corpus");
const REFERENCE = path.join(SHARED, "trainer/reference");
const TRAIN_TIMEOUT = 180_000;

let server;
let browser;

before(async () => {
  server = await startServer({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const problems = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  await page.goto(server.url);
  await page.click("[data-role=train-toggle]");
  return { page, problems };
}

const status = (page) => page.textContent("[data-role=train-status]");
const waitStatus = (page, re) =>
  page.waitForFunction((src) => new RegExp(src).test(document.querySelector("[data-role=train-status]").textContent), re.source, {
    timeout: TRAIN_TIMEOUT,
    polling: 50,
  });
/** Clicks a download link and reads the file the browser saves. */
async function download(page, role) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(`[data-role=${role}]`)]);
  return readFileSync(await file.path(), "utf8");
}
const paneReady = (page, i, label) =>
  page.waitForFunction(
    ([i, label]) => {
      const pane = document.querySelector(`[data-pane="${i}"]`);
      const picker = pane.querySelector("[data-role=picker]");
      return pane.querySelector("[data-role=status]").textContent === "ready" && picker.selectedOptions[0]?.textContent === label;
    },
    [i, label],
    { timeout: TRAIN_TIMEOUT, polling: 50 },
  );

/** The panel and the panes, scrolled into view (off-screen token blocks are not painted:
 * `content-visibility: auto`). */
async function screenshot(page, name) {
  await page.setViewportSize({ width: 1400, height: 1700 });
  await page.$eval("[data-role=train]", (e) => e.scrollIntoView());
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

test("the training wasm is downloaded only once the Train panel is opened", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const requested = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  try {
    await page.goto(server.url);
    // Both preset panes loaded and encoded: everything the page needs without training.
    await page.waitForFunction(() => [...document.querySelectorAll("[data-role=status]")].filter((s) => s.textContent === "ready").length >= 2, null, {
      timeout: TRAIN_TIMEOUT,
    });
    const training = () => requested.filter((p) => p.startsWith("/pkg/train/") || p.endsWith("/workers/train.js"));
    assert.deepEqual(training(), [], "nothing of the trainer before the panel is opened");
    assert.ok(requested.includes("/pkg/full/tokenscope_bg.wasm"), "the encode workers load the full wasm");
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/pkg/train/tokenscope_train_bg.wasm"), { timeout: TRAIN_TIMEOUT }),
      page.click("[data-role=train-toggle]"),
    ]);
    assert.ok(training().includes("/pkg/train/tokenscope_train_bg.wasm"), `opened: ${training()}`);
  } finally {
    await page.close();
  }
});

test("the full-size job trains in the page to the reference BPE and SuperBPE, byte for byte", { timeout: 600_000 }, async (t) => {
  const { page, problems } = await openPage();
  try {
    await page.setInputFiles("[data-role=train-files]", [path.join(CORPUS, "nlp_corpus.txt"), path.join(CORPUS, "pydoc_topics.txt")]);
    await page.waitForFunction(() => /2 files .*9\.38 MB/.test(document.querySelector("[data-role=train-corpus-info]").textContent));
    await page.fill("[data-role=train-vocab]", "16000");
    await page.dispatchEvent("[data-role=train-vocab]", "change");
    await page.fill("[data-role=train-transition-value]", "12000");
    await page.dispatchEvent("[data-role=train-transition-value]", "change");
    await page.click("[data-role=train-start]");
    await waitStatus(page, /^trained in/);
    t.diagnostic(await status(page));
    assert.ok((await download(page, "train-download-bpe")) === readFileSync(path.join(REFERENCE, "bpe-16k/tokenizer.json"), "utf8"), "BPE tokenizer.json differs");
    assert.ok(
      (await download(page, "train-download-superbpe")) === readFileSync(path.join(REFERENCE, "superbpe-16k-t12k/tokenizer.json"), "utf8"),
      "SuperBPE tokenizer.json differs",
    );
    assert.equal(await page.getAttribute("[data-role=train-download-superbpe]", "download"), "superbpe-16000-t12000.json");
    // The panes encode the text box with the trained tokenizers.
    await paneReady(page, 0, "Trained BPE · V 16,000");
    await paneReady(page, 1, "Trained SuperBPE · V 16,000, t 12,000");
    await page.fill("[data-role=input]", "By the way, it is in the end.");
    await page.waitForFunction(() => document.querySelectorAll("[data-pane='1'] .tok").length === 6, null, { timeout: 60_000 });
    const texts = await page.$$eval("[data-pane='1'] .tok", (els) => els.map((e) => e.dataset.text ?? e.textContent));
    assert.deepEqual(texts, ["By", " the way", ", it is", " in the", " end", "."]);
    assert.equal(await page.$$eval("[data-pane='0'] .tok", (els) => els.length), 10);
    await screenshot(page, "train-full-size.png");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("1 MB to V 8k: the main thread stays free, Cancel stops it, moving t retrains SuperBPE", { timeout: 600_000 }, async (t) => {
  const { page, problems } = await openPage();
  try {
    // A file that is not UTF-8 is refused, not trained on as U+FFFD.
    await page.setInputFiles("[data-role=train-files]", { name: "latin1.txt", mimeType: "text/plain", buffer: Buffer.from("caf\xe9\n", "latin1") });
    await page.waitForFunction(() => !document.querySelector("[data-role=train-error]").hidden);
    assert.match(await page.textContent("[data-role=train-error]"), /latin1\.txt is not UTF-8 text/);
    const lines = readFileSync(path.join(CORPUS, "nlp_corpus.txt"), "utf8").split(/(?<=\n)/).slice(0, 13_231).join("");
    await page.evaluate((text) => {
      const box = document.querySelector("[data-role=train-corpus]");
      box.value = text;
      box.dispatchEvent(new Event("input"));
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longTasks.push([e.startTime, e.duration]);
      }).observe({ type: "longtask" });
    }, lines);
    assert.match(await page.textContent("[data-role=train-corpus-info]"), /1\.00 MB of pasted text/);
    assert.equal(await page.$eval("[data-role=train-error]", (e) => e.hidden), true, "a new corpus clears the old error");
    // A bad filter is refused before anything trains.
    await page.fill("[data-role=train-forbidden]", "東");
    await page.click("[data-role=train-start]");
    await page.waitForFunction(() => !document.querySelector("[data-role=train-error]").hidden);
    assert.match(await page.textContent("[data-role=train-error]"), /forbidden substring "東" is not spelled in byte-level chars/);
    assert.equal(await page.$eval("[data-role=train-download-bpe]", (e) => e.hidden), true, "no BPE was trained");
    await page.fill("[data-role=train-forbidden]", ":Ġ");
    // Cancel at the first progress report (from the page itself: 1 MB trains in about a second).
    await page.evaluate(() => {
      const el = document.querySelector("[data-role=train-status]");
      const observer = new MutationObserver(() => {
        if (!/merges/.test(el.textContent)) return;
        observer.disconnect();
        window.cancelledAt = el.textContent;
        document.querySelector("[data-role=train-cancel]").click();
      });
      observer.observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.click("[data-role=train-start]");
    await waitStatus(page, /^cancelled/);
    t.diagnostic(`cancelled at: ${await page.evaluate(() => window.cancelledAt)}`);
    assert.equal(await page.isDisabled("[data-role=train-start]"), false);
    assert.equal(await page.isDisabled("[data-role=train-cancel]"), true);
    await page.waitForTimeout(300);
    assert.match(await status(page), /^cancelled: press Train/, "no progress arrives after Cancel");

    const since = await page.evaluate(() => performance.now());
    await page.click("[data-role=train-start]");
    await waitStatus(page, /^trained in/);
    t.diagnostic(await status(page));
    assert.equal(await page.$eval("[data-role=train-error]", (e) => e.hidden), true, "success clears the error");
    const tasks = await page.evaluate((since) => window.longTasks.filter(([start]) => start >= since), since);
    const longest = Math.max(0, ...tasks.map(([, d]) => d));
    t.diagnostic(`longest main-thread task while training 1 MB to V 8k: ${longest.toFixed(0)} ms (${tasks.length} over 50 ms)`);
    assert.ok(longest <= 200, `the main thread was blocked for ${longest.toFixed(0)} ms at once`);
    // BPE as PyPI tokenizers trains it on the same lines.
    const bpe = JSON.parse(await download(page, "train-download-bpe"));
    const merges = (name) => readFileSync(path.join(REPO, "tests/fixtures/trainer", name, "merges.txt"), "utf8").split("\n").slice(1, -1);
    assert.deepEqual(bpe.model.merges.map((m) => m.join(" ")), merges("nlp-1mb-8k"));
    assert.equal(await page.$eval("[data-role=train-curve-box]", (e) => e.hidden), false);
    assert.equal(await page.$$eval("[data-role=train-curve] polyline", (els) => els.length), 2);

    // Move t: only SuperBPE is retrained, and it takes more superword merges at a lower t.
    const before = JSON.parse(await download(page, "train-download-superbpe"));
    // SuperBPE as the SuperBPE paper's fork trains it on the same lines (stage 1 by PyPI).
    assert.deepEqual(before.model.merges.map((m) => m.join(" ")), merges("superbpe-nlp-1mb-8k-t6k"));
    await page.fill("[data-role=train-transition-value]", "4000");
    await page.dispatchEvent("[data-role=train-transition-value]", "change");
    await waitStatus(page, /^SuperBPE retrained in [\d.]+ s \(V 8,000, t 4,000\) from the same BPE/);
    await paneReady(page, 1, "Trained SuperBPE · V 8,000, t 4,000");
    const after = JSON.parse(await download(page, "train-download-superbpe"));
    assert.equal(await page.getAttribute("[data-role=train-download-superbpe]", "download"), "superbpe-8000-t4000.json");
    assert.deepEqual(after.model.merges.map((m) => m.join(" ")), merges("superbpe-nlp-1mb-8k-t4k"));
    const superwords = (m) => m.model.merges.filter(([a, b]) => `${a}${b}`.slice(1).includes("Ġ")).length;
    t.diagnostic(`superword merges: ${superwords(before)} at t 6,000, ${superwords(after)} at t 4,000`);
    assert.ok(superwords(after) > superwords(before));
    assert.deepEqual(after.model.merges.slice(0, 100), bpe.model.merges.slice(0, 100), "the subword merges come first");

    // The superword filters: by default (the paper's) no token of more than 4 words or with ":Ġ";
    // with no word limit, longer superwords appear.
    const words = (token) => token.split("Ġ").filter(Boolean).length;
    const tokens = (m) => Object.keys(m.model.vocab);
    assert.equal(tokens(after).filter((tok) => words(tok) > 4 || tok.includes(":Ġ")).length, 0);
    await page.fill("[data-role=train-max-words]", "0");
    await page.dispatchEvent("[data-role=train-max-words]", "change");
    await waitStatus(page, /^retraining SuperBPE/);
    await waitStatus(page, /^SuperBPE retrained in/);
    const unlimited = JSON.parse(await download(page, "train-download-superbpe"));
    const long = tokens(unlimited).filter((tok) => words(tok) > 4);
    t.diagnostic(`with no word limit: ${long.length} tokens of more than 4 words, e.g. ${JSON.stringify(long[0])}`);
    assert.ok(long.length > 0);
    await screenshot(page, "train-1mb.png");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
