// End-to-end test of the playground page: the in-process static server, the built wasm package
// (pkg/), and Debian's Chromium driven by playwright-core.
//
//   node --test tests/browser/
//
// Needs pkg/browser.js (npm run build) and /usr/bin/chromium (env CHROMIUM overrides).
// Expected token ids come from PyPI tokenizers 0.23.3 (the reference), not from our own output.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ARTIFACTS, REPO, launchChromium } from "./chromium.mjs";
import { startServer } from "../../tools/dev/serve.mjs";

const PKG = path.resolve(REPO, process.env.TOKENSCOPE_PKG_DIR || "pkg");

const SENTENCE = "By the way, I am a fan of the Milky Way.";
// Reference ids (tokenizers 0.23.3, add_special_tokens=False).
const REFERENCE = {
  "olmo2-bpe-200k": [3100, 248, 711, 11, 292, 651, 244, 4332, 274, 248, 32396, 7629, 13],
  "olmo2-superbpe-t180k": [189205, 181251, 244, 4332, 180235, 199785, 13],
  "olmo2-superbpe-t100k": null, // 5 tokens: "By the way", ", I am a", " fan of the", " Milky Way", "."
  gpt2: [3886, 262, 835, 11, 314, 716, 257, 4336, 286, 262, 34822, 6378, 13],
  gpt4o: null, // 14 tokens: " Milky" splits into " Mil" + "ky"
};
const T180K_PIECES = ["By the way", ", I am", " a", " fan", " of the", " Milky Way", "."];

const LOAD_TIMEOUT = 60_000; // two 15 MB tokenizer.json files parse in a few seconds

let server;
let browser;

before(async () => {
  if (!existsSync(path.join(PKG, "browser.js"))) {
    throw new Error(`${path.join(PKG, "browser.js")} is missing: build the wasm package first (npm run build)`);
  }
  server = await startServer({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the page, collecting console errors and uncaught exceptions, and waits for both panes.
 * `setup(page)` runs before the page loads (to install routes, say). */
async function openPage(setup = null) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await setup?.(page);
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  await page.goto(server.url);
  await waitReady(page);
  return { page, problems };
}

/** Waits until every pane's status reads "ready" (the latest text is rendered). */
async function waitReady(page, { timeout = LOAD_TIMEOUT, panes = null } = {}) {
  await page.waitForFunction(
    (wanted) => {
      const all = [...document.querySelectorAll("[data-pane]")];
      const chosen = wanted ? all.filter((p) => wanted.includes(p.dataset.pane)) : all;
      const stuck = all.find((p) => p.querySelector("[data-role=status]").dataset.state === "error");
      if (stuck && (!wanted || wanted.includes(stuck.dataset.pane))) {
        throw new Error(`pane ${stuck.dataset.pane}: ${stuck.querySelector("[data-role=error]").textContent}`);
      }
      return chosen.length > 0 && chosen.every((p) => p.querySelector("[data-role=status]").textContent === "ready");
    },
    panes,
    { timeout, polling: 50 },
  );
}

/** What a pane shows, read back from the DOM. */
function paneState(page, index) {
  return page.evaluate((i) => {
    const pane = document.querySelector(`[data-pane="${i}"]`);
    const toks = [...pane.querySelectorAll(".tok")].map((el) => ({
      id: Number(el.dataset.id),
      start: Number(el.dataset.start),
      end: Number(el.dataset.end),
      text: el.textContent,
      superword: el.classList.contains("superword"),
    }));
    return {
      tokenizer: pane.dataset.tokenizer,
      status: pane.querySelector("[data-role=status]").textContent,
      count: Number(pane.querySelector("[data-role=count]").dataset.value),
      countText: pane.querySelector("[data-role=count]").textContent,
      compare: pane.querySelector("[data-role=compare]").textContent,
      error: pane.querySelector("[data-role=error]").hidden ? null : pane.querySelector("[data-role=error]").textContent,
      truncated: pane.querySelector("[data-role=truncated]").hidden ? null : pane.querySelector("[data-role=truncated]").textContent,
      toks,
      joined: toks.map((t) => t.text).join(""),
    };
  }, index);
}

async function typeText(page, text) {
  await page.fill("[data-role=input]", text);
  await waitReady(page);
}

test("both panes encode a sentence: SuperBPE 7 tokens with superwords, BPE 13", { timeout: 120_000 }, async () => {
  const downloads = [];
  const { page, problems } = await openPage((p) =>
    p.on("response", (r) => {
      if (r.url().includes("/tokenizers/")) downloads.push([new URL(r.url()).pathname, r.headers()["content-encoding"]]);
    }),
  );
  try {
    // The presets come compiled (tools/dev/compile-presets.mjs, run by setup) and compressed.
    assert.deepEqual(downloads.sort(), [
      ["/tokenizers/olmo2-bpe-200k.tks", "br"],
      ["/tokenizers/olmo2-superbpe-t180k.tks", "br"],
    ]);
    await typeText(page, SENTENCE);

    const left = await paneState(page, 0);
    assert.equal(left.tokenizer, "olmo2-bpe-200k");
    assert.equal(left.count, 13);
    assert.equal(left.toks.length, 13);
    assert.deepEqual(left.toks.map((t) => t.id), REFERENCE["olmo2-bpe-200k"]);
    assert.equal(left.joined, SENTENCE, "BPE spans must concatenate to the input");
    assert.equal(left.toks.filter((t) => t.superword).length, 0, "plain BPE has no superwords here");
    assert.match(left.compare, /baseline/);

    const right = await paneState(page, 1);
    assert.equal(right.tokenizer, "olmo2-superbpe-t180k");
    assert.equal(right.count, 7);
    assert.equal(right.toks.length, 7);
    assert.deepEqual(right.toks.map((t) => t.id), REFERENCE["olmo2-superbpe-t180k"]);
    assert.deepEqual(right.toks.map((t) => t.text), T180K_PIECES);
    assert.equal(right.joined, SENTENCE, "SuperBPE spans must concatenate to the input");
    assert.deepEqual(
      right.toks.filter((t) => t.superword).map((t) => t.text),
      ["By the way", ", I am", " of the", " Milky Way"],
    );
    for (const t of right.toks) assert.equal(SENTENCE.slice(t.start, t.end), t.text);
    assert.equal(right.compare, "46% fewer tokens than OLMo2 BPE 200k");

    // Hover: the info line names the token; the same characters light up in the other pane.
    await page.hover('[data-pane="1"] .tok.superword >> nth=0');
    const info = await page.textContent('[data-pane="1"] [data-role=info]');
    assert.match(info, /id 189205/);
    assert.match(info, /"ByĠtheĠway"/);
    assert.match(info, /10 bytes/);
    const echoed = await page.$$eval('[data-pane="0"] .tok.echo', (els) => els.map((e) => e.textContent));
    assert.deepEqual(echoed, ["By", " the", " way"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "page.png"), fullPage: true });

    // Whitespace glyphs are drawn by CSS only: the spans still hold the exact text.
    await page.check("[data-role=show-ws]");
    assert.ok((await page.$$('[data-pane="1"] .tok .ws-space')).length > 0, "spaces are marked");
    assert.equal((await paneState(page, 1)).joined, SENTENCE);
    assert.equal((await paneState(page, 0)).joined, SENTENCE);
    await page.fill("[data-role=input]", "line one\n\tindented  twice\nend");
    await waitReady(page);
    assert.equal((await paneState(page, 1)).joined, "line one\n\tindented  twice\nend");
    assert.ok((await page.$$('[data-pane="1"] .ws-newline')).length === 2);
    await page.screenshot({ path: path.join(ARTIFACTS, "page-whitespace.png") });

    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("changing the right pane's tokenizer re-encodes with it", { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage();
  try {
    await typeText(page, SENTENCE);
    assert.equal((await paneState(page, 1)).count, 7);

    await page.selectOption('[data-pane="1"] [data-role=picker]', "gpt2");
    await page.waitForSelector('[data-pane="1"][data-tokenizer="gpt2"]');
    await waitReady(page);
    const gpt2 = await paneState(page, 1);
    // The reference gives 13 tokens for GPT-2 (the same pieces as OLMo2 BPE, other ids).
    assert.equal(gpt2.count, 13);
    assert.equal(gpt2.toks.length, 13);
    assert.deepEqual(gpt2.toks.map((t) => t.id), REFERENCE.gpt2);
    assert.equal(gpt2.joined, SENTENCE);
    assert.equal(gpt2.compare, "same token count as OLMo2 BPE 200k");

    await page.selectOption('[data-pane="1"] [data-role=picker]', "olmo2-superbpe-t100k");
    await page.waitForSelector('[data-pane="1"][data-tokenizer="olmo2-superbpe-t100k"]');
    await waitReady(page);
    const t100k = await paneState(page, 1);
    assert.equal(t100k.count, 5);
    assert.deepEqual(t100k.toks.map((t) => t.text), ["By the way", ", I am a", " fan of the", " Milky Way", "."]);
    assert.equal(t100k.compare, "62% fewer tokens than OLMo2 BPE 200k");

    const hasGpt4o = server.presets.some((p) => p.id === "gpt4o");
    if (hasGpt4o) {
      await page.selectOption('[data-pane="1"] [data-role=picker]', "gpt4o");
      await page.waitForSelector('[data-pane="1"][data-tokenizer="gpt4o"]');
      await waitReady(page);
      const gpt4o = await paneState(page, 1);
      assert.equal(gpt4o.count, 14);
      assert.equal(gpt4o.joined, SENTENCE);
      assert.equal(gpt4o.compare, "8% more tokens than OLMo2 BPE 200k");
    }

    // The left pane was untouched.
    assert.equal((await paneState(page, 0)).count, 13);

    // The choice and the text live in the URL: a reload restores them.
    await page.reload();
    await waitReady(page);
    assert.equal(await page.inputValue("[data-role=input]"), SENTENCE);
    const restored = await paneState(page, 1);
    assert.equal(restored.tokenizer, hasGpt4o ? "gpt4o" : "olmo2-superbpe-t100k");
    assert.equal(restored.count, hasGpt4o ? 14 : 5);
    assert.equal((await paneState(page, 0)).tokenizer, "olmo2-bpe-200k");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("WordPiece and Metaspace-BPE presets: whole text shown, ids as the reference", { timeout: 120_000 }, async () => {
  // Ids from PyPI tokenizers 0.23.3 with no_truncation()/no_padding(), add_special_tokens=False.
  const expected = {
    "all-minilm-l6-v2": [2011, 1996, 2126, 1010, 1045, 2572, 1037, 5470, 1997, 1996, 21582, 2126, 1012],
    llama2: [2463, 272, 1069, 28725, 315, 837, 264, 7654, 302, 272, 5040, 4845, 9168, 28723],
  };
  const missing = Object.keys(expected).filter((id) => !server.presets.some((p) => p.id === id));
  assert.deepEqual(missing, [], "presets missing: run tools/dev/setup.sh (npm ci, tools/reference/fetch-pypi.sh)");
  const { page, problems } = await openPage();
  try {
    await typeText(page, SENTENCE);
    for (const [id, ids] of Object.entries(expected)) {
      await page.selectOption('[data-pane="1"] [data-role=picker]', id);
      await page.waitForSelector(`[data-pane="1"][data-tokenizer="${id}"]`);
      await waitReady(page);
      const state = await paneState(page, 1);
      assert.equal(state.count, ids.length, id);
      assert.deepEqual(state.toks.map((tok) => tok.id), ids, id);
    }
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("a bad tokenizer file or text shows an error in the pane; the page keeps working", { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage();
  try {
    // A pane with no tokenizer to go back to (a link naming a preset this page does not have;
    // a pane with a working tokenizer keeps it: tests/browser/ux.test.mjs).
    await page.goto(`${server.url}#p=olmo2-bpe-200k,no-such-preset`);
    await page.reload();
    await waitReady(page, { panes: ["0"] });
    await page.setInputFiles('[data-pane="1"] [data-role=file]', {
      name: "bad.json",
      mimeType: "application/json",
      buffer: Buffer.from('{"model": {"type": "Nope"}}'),
    });
    await page.waitForSelector('[data-pane="1"] [data-role=error]:not([hidden])', { timeout: LOAD_TIMEOUT });
    const bad = await paneState(page, 1);
    assert.equal(bad.tokenizer, "file:bad.json");
    assert.equal(bad.status, "error");
    assert.match(bad.error, /^Could not load bad\.json: ./);
    assert.match(bad.error, /Nope|model/i, "the message says what is wrong");
    assert.equal(bad.toks.length, 0);
    assert.equal(bad.compare, "—", "a pane with an error compares nothing");
    assert.ok(await page.isVisible('[data-pane="1"] [data-role=error]'));

    await page.fill("[data-role=input]", SENTENCE);
    await waitReady(page, { panes: ["0"] });
    const left = await paneState(page, 0);
    assert.equal(left.count, 13);
    assert.equal(left.joined, SENTENCE);
    assert.equal((await paneState(page, 1)).status, "error");

    // Picking a preset again recovers the pane.
    await page.selectOption('[data-pane="1"] [data-role=picker]', "gpt2");
    await waitReady(page);
    const right = await paneState(page, 1);
    assert.equal(right.error, null);
    assert.equal(right.count, 13);

    // Text the encoder refuses (a lone surrogate) is an error in the panes, and the next edit
    // encodes again without reloading anything.
    await page.evaluate(() => {
      const ta = document.querySelector("[data-role=input]");
      ta.value = "broken \ud800 text";
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await page.waitForFunction(
      () => [...document.querySelectorAll("[data-pane] [data-role=status]")].every((s) => s.dataset.state === "error"),
      null,
      { timeout: LOAD_TIMEOUT },
    );
    for (const i of [0, 1]) assert.match((await paneState(page, i)).error, /^Could not encode this text with .+: ./);
    await typeText(page, SENTENCE);
    assert.equal((await paneState(page, 0)).count, 13);
    assert.equal((await paneState(page, 1)).count, 13);

    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("a 5 MB paste is encoded in the workers; the page stays responsive and renders a bounded number of spans", { timeout: 300_000 }, async (t) => {
  const { page, problems } = await openPage();
  try {
    // Every frame that took over 50 ms (scripts, style, layout and paint) is reported as a
    // "long-animation-frame"; a frozen page shows up as one long frame.
    // Long tasks (over 50 ms of main-thread work at once) are what blocks input.
    await page.evaluate(() => {
      window.longFrames = [];
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longFrames.push([e.startTime, e.duration]);
      }).observe({ type: "long-animation-frame" });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longTasks.push([e.startTime, e.duration]);
      }).observe({ type: "longtask" });
    });
    const { length, settled } = await page.evaluate(async () => {
      const paragraph =
        "By the way, I am a fan of the Milky Way. In the middle of the night, as well as in the morning, " +
        "the 1234567 stars shine over café terraces, 東京 and 🙂 — naïve\tquestions\r\nget answers.\n";
      const size = 5 << 20;
      const text = paragraph.repeat(Math.ceil(size / paragraph.length)).slice(0, size);
      const ta = document.querySelector("[data-role=input]");
      ta.value = text;
      ta.dispatchEvent(new Event("input", { bubbles: true }));
      // The browser lays the 5 MB textarea out in the next frame, whoever handles the input;
      // the frames after that one are the page's.
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { length: text.length, settled: performance.now() };
    });
    assert.ok(length >= 5 << 20);

    // While the workers encode, the main thread answers quickly.
    const rounds = [];
    for (;;) {
      const t0 = performance.now();
      const ready = await page.evaluate(() =>
        [...document.querySelectorAll("[data-pane] [data-role=status]")].every((s) => s.textContent === "ready"),
      );
      rounds.push(performance.now() - t0);
      if (ready) break;
      assert.ok(rounds.length < 4_000, "encoding the 5 MB text did not finish");
      await new Promise((r) => setTimeout(r, 50));
    }
    const slowest = Math.max(...rounds);
    t.diagnostic(`${rounds.length} round-trips while encoding; slowest ${slowest.toFixed(0)} ms`);
    assert.ok(rounds.length >= 2, "the page answered while encoding was still running");
    assert.ok(slowest < 1_000, `a round-trip to the page took ${slowest.toFixed(0)} ms`);
    const frames = await page.evaluate(() => window.longFrames);
    const pasteFrame = Math.max(0, ...frames.filter(([start]) => start < settled).map(([, d]) => d));
    const longest = Math.max(0, ...frames.filter(([start]) => start >= settled).map(([, d]) => d));
    t.diagnostic(`textarea frame after the paste ${pasteFrame.toFixed(0)} ms; longest frame while encoding and rendering ${longest.toFixed(0)} ms`);
    const tasks = await page.evaluate(() => window.longTasks);
    const longestTask = Math.max(0, ...tasks.filter(([start]) => start >= settled).map(([, d]) => d));
    t.diagnostic(`longest main-thread task while encoding and rendering the 5 MB paste: ${longestTask.toFixed(0)} ms (${tasks.length} tasks over 50 ms)`);
    assert.ok(longestTask <= 200, `the main thread was blocked for ${longestTask.toFixed(0)} ms at once`);
    assert.ok(longest < 300, `the page was frozen for ${longest.toFixed(0)} ms at once`);

    for (const i of [0, 1]) {
      const check = await page.evaluate((i) => {
        const pane = document.querySelector(`[data-pane="${i}"]`);
        const text = document.querySelector("[data-role=input]").value;
        const toks = pane.querySelectorAll(".tok");
        let joined = "";
        for (const t of toks) joined += t.textContent;
        const last = toks[toks.length - 1];
        return {
          count: Number(pane.querySelector("[data-role=count]").dataset.value),
          countText: pane.querySelector("[data-role=count]").textContent,
          spans: toks.length,
          truncated: pane.querySelector("[data-role=truncated]").textContent,
          prefixOk: joined === text.slice(0, Number(last.dataset.end)),
        };
      }, i);
      assert.ok(check.count > 500_000, `pane ${i}: ${check.count} tokens`);
      t.diagnostic(`pane ${i}: ${check.count} tokens`);
      assert.equal(check.countText, check.count.toLocaleString("en-US"), "the count has thousands separators");
      assert.equal(check.spans, 5_000, `pane ${i} renders one window of 5,000 spans`);
      assert.equal(check.truncated, `showing the first 5,000 of ${check.count.toLocaleString("en-US")} tokens; scroll for more`);
      assert.ok(check.prefixOk, `pane ${i}: rendered spans concatenate to the start of the text`);
    }

    // Scrolling to the end of the shown tokens (the top of the spacer that stands for the rest)
    // brings the next 5,000 (built on demand by the worker: only what is scrolled to is
    // rendered), continuing the text exactly. (Blocks off screen are laid out lazily, so the end
    // moves as they render: scroll again.)
    await page.waitForFunction(
      () => {
        const el = document.querySelector("[data-pane='1'] [data-role=tokens]");
        const spacer = el.querySelector(":scope > .spacer.after");
        if (spacer) el.scrollTo(0, spacer.offsetTop - el.clientHeight / 2);
        return document.querySelectorAll("[data-pane='1'] .tok").length === 10_000;
      },
      null,
      { timeout: 60_000, polling: 250 },
    );
    await waitReady(page);
    const more = await page.evaluate(() => {
      const pane = document.querySelector("[data-pane='1']");
      const toks = pane.querySelectorAll(".tok");
      let joined = "";
      for (const t of toks) joined += t.textContent;
      const text = document.querySelector("[data-role=input]").value;
      return { prefixOk: joined === text.slice(0, Number(toks[toks.length - 1].dataset.end)), shown: toks.length, truncated: pane.querySelector("[data-role=truncated]").textContent };
    });
    assert.ok(more.prefixOk, "the second window continues the text exactly");
    // The poll above scrolls to the end each time, so a third window may have come in before
    // this read: at least two windows of 5,000, and the notice counts what is shown.
    const shown = Number(more.truncated.match(/^showing the first ([\d,]+) of /)?.[1].replaceAll(",", ""));
    assert.ok(shown >= 10_000 && shown % 5_000 === 0 && shown === more.shown, `${more.truncated} (${more.shown} spans)`);
    t.diagnostic((await page.$$eval("[data-role=timing]", (els) => els.map((e) => e.textContent))).join("; "));
    const [bpe, sbpe] = [(await paneState(page, 0)).count, (await paneState(page, 1)).count];
    assert.ok(sbpe < bpe, "SuperBPE needs fewer tokens than BPE on English prose");

    // Still interactive afterwards: a short text replaces the big one.
    await typeText(page, SENTENCE);
    assert.equal((await paneState(page, 1)).count, 7);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

/** An OLMo2 tokenizer.json whose digit-grouping lookahead has a non-capturing group: the same
 * splits, but tokenscope computes only the exact `(?=(\d{3})+(?!\d))` head without the regex, so
 * this one rescans the digit run at every digit (quadratic, like the reference: 10,000 digits
 * take seconds, 60,000 minutes). A file a person picks can hold such a regex. */
function slowDigitsTokenizer(id) {
  const json = readFileSync(server.presets.find((p) => p.id === id).file, "utf8");
  const slow = json.replace(String.raw`"(?=(\\d{3})+(?!\\d))`, String.raw`"(?=(?:\\d{3})+(?!\\d))`);
  assert.notEqual(slow, json, `${id}: the digit-group pattern was not found`);
  return Buffer.from(slow);
}

test("a slow encode does not wedge the panes: newer text replaces the worker", { timeout: 120_000 }, async () => {
  // Left: the OLMo2 BPE preset, served with the slow regex (a new worker fetches it again).
  // Right: a chosen file with the slow regex (a new worker gets the page's copy of its bytes).
  const bpe = slowDigitsTokenizer("olmo2-bpe-200k");
  const { page, problems } = await openPage((p) =>
    // The preset's URL is its compiled form (.tks) once tools/dev/compile-presets.mjs has run:
    // either is answered with the slow JSON, which the worker reads whatever the URL.
    p.route(/\/tokenizers\/olmo2-bpe-200k\.(json|tks)$/, (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: bpe }),
    ),
  );
  try {
    await page.setInputFiles('[data-pane="1"] [data-role=file]', {
      name: "slow-t180k.json",
      mimeType: "application/json",
      buffer: slowDigitsTokenizer("olmo2-superbpe-t180k"),
    });
    await page.waitForSelector('[data-pane="1"][data-tokenizer="file:slow-t180k.json"]');
    await waitReady(page);

    await page.evaluate(() => {
      const ta = document.querySelector("[data-role=input]");
      ta.value = "1234567890".repeat(6_000);
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await new Promise((r) => setTimeout(r, 2_000));
    for (const i of [0, 1]) {
      assert.match((await paneState(page, i)).status, /^encoding… \d+ s$/, `pane ${i} shows that it is still working`);
    }

    await page.fill("[data-role=input]", "hello world");
    await waitReady(page, { timeout: 10_000 });
    // Reference (tokenizers 0.23.3, with either regex): "hello" + "Ġworld" in both vocabularies.
    for (const i of [0, 1]) {
      const pane = await paneState(page, i);
      assert.equal(pane.count, 2, `pane ${i}`);
      assert.deepEqual(pane.toks.map((t) => t.id), [29402, 902]);
      assert.equal(pane.joined, "hello world");
    }
    assert.equal((await paneState(page, 1)).compare, "same token count as OLMo2 BPE 200k");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
