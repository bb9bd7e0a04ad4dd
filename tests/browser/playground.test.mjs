// The playground's comparison features in Chromium: panes added, moved and removed; tokenizers
// loaded from a Hugging Face-style URL (a local server with the hub's layout), a URL and a
// dropped file, with progress and clear errors; superword brackets, the frequent-superword
// summary, the chart, the ids view with cross-highlight and byte labels, keyboard use, state in
// the address, dark mode. Screenshots go to tests/artifacts/.
//
// Expected ids and offsets come from PyPI tokenizers 0.23.3 (add_special_tokens=False).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { after, before, test } from "node:test";
import { ARTIFACTS, launchChromium } from "./chromium.mjs";
import { startServer } from "../../tools/dev/serve.mjs";

const SHARED_TOKENIZERS = process.env.TOKENSCOPE_SHARED_TOKENIZERS || path.resolve(import.meta.dirname, "../../../shared/tokenizers");
const SENTENCE = "By the way, I am a fan of the Milky Way.";
const GPT2_IDS = [3886, 262, 835, 11, 314, 716, 257, 4336, 286, 262, 34822, 6378, 13];
const T180K_IDS = [189205, 181251, 244, 4332, 180235, 199785, 13];
// OLMo2 BPE 200k tokens of SENTENCE, as text (its offsets tile the sentence).
const BPE_PIECES = ["By", " the", " way", ",", " I", " am", " a", " fan", " of", " the", " Milky", " Way", "."];
const LOAD_TIMEOUT = 60_000;

let server;
let hub;
let hubUrl;
let browser;
const hubRequests = [];

before(async () => {
  server = await startServer({ port: 0 });
  // The hub's layout: /{owner}/{name}/resolve/main/tokenizer.json, sent in slow chunks with a
  // content-length so that download progress shows; CORS as the hub sends it.
  hub = createServer(async (req, res) => {
    hubRequests.push(req.url);
    const m = /^\/([\w.-]+)\/([\w.-]+)\/resolve\/main\/tokenizer\.json$/.exec(req.url);
    const file = m && { "openai-community/gpt2": "gpt2.json" }[`${m[1]}/${m[2]}`];
    if (!file) {
      res.writeHead(404, { "access-control-allow-origin": "*" }).end("Entry not found");
      return;
    }
    const body = readFileSync(path.join(SHARED_TOKENIZERS, file));
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length, "access-control-allow-origin": "*" });
    const parts = 5;
    for (let i = 0; i < parts; i++) {
      res.write(body.subarray(Math.floor((i * body.length) / parts), Math.floor(((i + 1) * body.length) / parts)));
      await new Promise((r) => setTimeout(r, 150));
    }
    res.end();
  });
  await new Promise((r) => hub.listen(0, "127.0.0.1", r));
  hubUrl = `http://127.0.0.1:${hub.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((r) => (hub ? hub.close(r) : r()));
});

async function openPage({ hash = "", colorScheme = "light" } = {}) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, colorScheme });
  const problems = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  await page.goto(`${server.url}?hub=${encodeURIComponent(hubUrl)}${hash}`);
  await waitReady(page);
  return { page, problems };
}

async function waitReady(page) {
  await page.waitForFunction(
    () => {
      const statuses = [...document.querySelectorAll("[data-pane] [data-role=status]")];
      return statuses.length >= 2 && statuses.every((s) => s.textContent === "ready");
    },
    null,
    { timeout: LOAD_TIMEOUT, polling: 50 },
  );
}

async function typeText(page, text) {
  await page.fill("[data-role=input]", text);
  await waitReady(page);
}

const paneTokenizers = (page) => page.$$eval("[data-pane]", (panes) => panes.map((p) => `${p.dataset.pane}:${p.dataset.tokenizer}`));
const paneIds = (page, i) => page.$$eval(`[data-pane="${i}"] .tok`, (els) => els.map((e) => Number(e.dataset.id)));

test("panes are added (up to 4), moved and removed (down to 2); the address follows", { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage();
  try {
    assert.deepEqual(await paneTokenizers(page), ["0:olmo2-bpe-200k", "1:olmo2-superbpe-t180k"]);
    assert.equal(await page.isDisabled("[data-pane='0'] [data-role=remove]"), true, "two panes is the minimum");
    await page.click("[data-role=add-pane]");
    await page.click("[data-role=add-pane]");
    await waitReady(page);
    assert.equal((await paneTokenizers(page)).length, 4);
    assert.equal(await page.isDisabled("[data-role=add-pane]"), true, "four panes is the maximum");
    const third = (await paneTokenizers(page))[2].slice(2);
    await page.click("[data-pane='2'] [data-role=move-left]");
    assert.equal((await paneTokenizers(page))[1], `1:${third}`);
    await page.click("[data-pane='1'] [data-role=move-left]");
    assert.equal((await paneTokenizers(page))[0], `0:${third}`, "moved to the front: the new baseline");
    await waitReady(page);
    assert.match(await page.textContent("[data-pane='0'] [data-role=compare]"), /baseline/);
    assert.match(await page.evaluate(() => location.hash), new RegExp(`^#p=${third}%2Colmo2-bpe-200k`));
    await page.screenshot({ path: path.join(ARTIFACTS, "playground-four-panes.png"), fullPage: true });
    await page.click("[data-pane='3'] [data-role=remove]");
    await page.click("[data-pane='0'] [data-role=remove]");
    assert.deepEqual(await paneTokenizers(page), ["0:olmo2-bpe-200k", "1:olmo2-superbpe-t180k"]);
    assert.equal(await page.isDisabled("[data-pane='0'] [data-role=remove]"), true);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("a Hugging Face id loads from the hub layout with a progress bar; a bad id says why", { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage();
  try {
    await page.evaluate(() => {
      window.progressSeen = [];
      const el = document.querySelector("[data-pane='1'] [data-role=progress-text]");
      new MutationObserver(() => window.progressSeen.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.selectOption("[data-pane='1'] [data-role=picker]", "__remote__");
    await page.fill("[data-pane='1'] [data-role=remote-input]", "openai-community/gpt2");
    await page.press("[data-pane='1'] [data-role=remote-input]", "Enter");
    await page.waitForFunction(() => window.progressSeen.some((t) => /^downloading [\d.]+ of [\d.]+ MB$/.test(t)), null, { timeout: LOAD_TIMEOUT });
    await page.screenshot({ path: path.join(ARTIFACTS, "playground-hub-progress.png") });
    await typeText(page, SENTENCE);
    assert.deepEqual(await paneIds(page, 1), GPT2_IDS);
    assert.equal(await page.getAttribute("[data-pane='1']", "data-tokenizer"), "hub:openai-community/gpt2");
    assert.ok(hubRequests.includes("/openai-community/gpt2/resolve/main/tokenizer.json"));
    const seen = await page.evaluate(() => window.progressSeen);
    assert.ok(seen.some((t) => /^reading [\d.]+ MB of tokenizer.json$/.test(t)), `parse phase shown: ${seen.join(" | ")}`);
    assert.match(await page.evaluate(() => location.hash), /^#p=olmo2-bpe-200k%2Chub%253Aopenai-community%252Fgpt2&/);

    // A missing id: the pane says so and keeps the tokenizer it had; the other pane keeps working.
    await page.selectOption("[data-pane='1'] [data-role=picker]", "__remote__");
    await page.fill("[data-pane='1'] [data-role=remote-input]", "nobody/nothing");
    await page.click("[data-pane='1'] .remote button");
    await page.waitForSelector("[data-pane='1'] [data-role=load-error]:not([hidden])", { timeout: LOAD_TIMEOUT });
    assert.match(await page.textContent("[data-pane='1'] [data-role=load-error]"), /nobody\/nothing\/resolve\/main\/tokenizer\.json: HTTP 404 \(not found.*The pane still shows openai-community\/gpt2\.$/);
    await waitReady(page);
    assert.deepEqual(await paneIds(page, 1), GPT2_IDS);
    // Not a URL nor an id: the form says so, and the pane keeps the tokenizer it has.
    await page.selectOption("[data-pane='0'] [data-role=picker]", "__remote__");
    await page.fill("[data-pane='0'] [data-role=remote-input]", "not an id!");
    await page.click("[data-pane='0'] .remote button");
    assert.match(await page.textContent("[data-pane='0'] [data-role=remote-error]"), /neither an http\(s\) URL nor a Hugging Face id/);
    assert.equal(await page.getAttribute("[data-pane='0']", "data-tokenizer"), "olmo2-bpe-200k");
    await page.press("[data-pane='0'] [data-role=remote-input]", "Escape");
    assert.equal(await page.isHidden("[data-pane='0'] [data-role=remote]"), true);
    assert.equal(await page.getAttribute("[data-pane='0'] [data-role=status]", "data-state"), "ready");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("a full URL loads, and the address brings the same view back", { timeout: 180_000 }, async () => {
  const url = `${hubUrl}/openai-community/gpt2/resolve/main/tokenizer.json`;
  const { page, problems } = await openPage();
  try {
    await page.selectOption("[data-pane='0'] [data-role=picker]", "__remote__");
    await page.fill("[data-pane='0'] [data-role=remote-input]", url);
    await page.press("[data-pane='0'] [data-role=remote-input]", "Enter");
    await typeText(page, SENTENCE);
    assert.deepEqual(await paneIds(page, 0), GPT2_IDS);
    const hash = await page.evaluate(() => location.hash);
    const again = await openPage({ hash });
    try {
      assert.deepEqual(await paneTokenizers(again.page), [`0:url:${url}`, "1:olmo2-superbpe-t180k"]);
      assert.equal(await again.page.inputValue("[data-role=input]"), SENTENCE);
      assert.deepEqual(await paneIds(again.page, 0), GPT2_IDS);
      assert.deepEqual(await paneIds(again.page, 1), T180K_IDS);
      assert.deepEqual(again.problems, []);
    } finally {
      await again.page.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("a tokenizer.json dropped on a pane loads there", { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage();
  try {
    const json = readFileSync(path.join(SHARED_TOKENIZERS, "gpt2.json"), "utf8");
    const data = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "my-gpt2.json", { type: "application/json" }));
      return dt;
    }, json);
    await page.dispatchEvent("[data-pane='1']", "dragover", { dataTransfer: data });
    assert.equal(await page.evaluate(() => document.querySelector("[data-pane='1']").classList.contains("drop")), true);
    await page.dispatchEvent("[data-pane='1']", "drop", { dataTransfer: data });
    await typeText(page, SENTENCE);
    assert.equal(await page.getAttribute("[data-pane='1']", "data-tokenizer"), "file:my-gpt2.json");
    assert.deepEqual(await paneIds(page, 1), GPT2_IDS);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("superwords: ticks at the baseline's pieces, frequent superwords, the chart", { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage();
  try {
    const text = `${SENTENCE}\n${SENTENCE}`;
    await typeText(page, text);
    // Marks are set a slice per task once the last pane is drawn.
    await page.waitForSelector("[data-pane='1'] .tok.replaces");
    const brackets = await page.$$eval("[data-pane='1'] .tok", (els) =>
      els.map((e) => [e.textContent, e.classList.contains("replaces") ? [...e.querySelectorAll(".piece")].map((p) => p.textContent).join("│") : null]),
    );
    // "By the way" (t180k) = "By" " the" " way" (BPE): exact spans of the reference.
    assert.deepEqual(brackets[0], ["By the way", BPE_PIECES.slice(0, 3).join("│")]);
    assert.deepEqual(brackets[1], [", I am", BPE_PIECES.slice(3, 6).join("│")]);
    assert.deepEqual(brackets[2], [" a", null], "one BPE token for one: no bracket");
    assert.equal(await page.$$eval("[data-pane='0'] .tok.replaces", (els) => els.length), 0, "the baseline has none");
    // The reference's t180k tokens: "By the way", ", I am", " a", " fan", " of the", " Milky Way",
    // ".\n", then the same again without the newline; four of them cross spaces, twice each.
    const frequent = await page.$$eval("[data-pane='1'] [data-role=frequent] li", (els) => els.map((e) => e.textContent));
    assert.deepEqual(frequent.sort(), ['"By the way" × 2', '", I am" × 2', '" of the" × 2', '" Milky Way" × 2'].sort());
    assert.match(await page.textContent("[data-pane='1'] [data-role=frequent-title]"), /\(8 superword tokens, 57\.1% of all\)/);
    assert.equal(await page.isHidden("[data-pane='0'] [data-role=frequent-box]"), true, "BPE has no superwords");
    await page.click("[data-pane='1'] [data-role=frequent-title]");
    assert.equal(await page.getAttribute("[data-pane='1'] [data-role=frequent-title]", "aria-expanded"), "true");
    assert.equal(await page.isVisible("[data-pane='1'] [data-role=frequent]"), true);
    const chart = await page.$$eval("[data-role=chart] .chart-group", (groups) =>
      Object.fromEntries(groups.map((g) => [g.dataset.metric, [...g.querySelectorAll(".chart-value")].map((v) => v.textContent)])),
    );
    const bytes = new TextEncoder().encode(text).length;
    assert.deepEqual(chart.tokens, ["27", "14"]);
    assert.deepEqual(chart.bpt, [(bytes / 27).toFixed(2), (bytes / 14).toFixed(2)]);
    assert.deepEqual(chart.cpt, [(text.length / 27).toFixed(2), (text.length / 14).toFixed(2)]);
    assert.deepEqual(chart.tpw, [(27 / 22).toFixed(2), (14 / 22).toFixed(2)], "22 words: 11 per sentence");
    assert.deepEqual(chart.sw, ["0.0%", "57.1%"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "playground-superwords.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("ids view: ids of the reference, hover an id or a token lights up the other; split characters show bytes", { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage({ hash: "#p=olmo2-bpe-200k,gpt2" });
  try {
    await page.check("[data-role=show-ids]");
    await typeText(page, `${SENTENCE} 旗`);
    const chips = await page.$$eval("[data-pane='1'] [data-role=ids] .id", (els) => els.map((e) => [Number(e.textContent), e.title]));
    // GPT-2 splits " 旗" (20 E6 97 97) into "Ġæ" (20 E6), "Ĺ" (97), "Ĺ" (97): ids 10545, 245, 245.
    assert.deepEqual(chips.map((c) => c[0]), [...GPT2_IDS, 10545, 245, 245]);
    assert.deepEqual(chips.slice(-3).map((c) => c[1]), [" <E6>", "<97>", "<97>"]);
    assert.ok(!(await page.textContent("[data-pane='1']")).includes("\uFFFD"), "no U+FFFD anywhere in the pane");
    await page.hover("[data-pane='1'] [data-role=ids] .id[data-k='2']");
    assert.equal(await page.$eval("[data-pane='1'] .tok.echo", (e) => e.textContent), " way");
    assert.match(await page.textContent("[data-pane='1'] [data-role=info]"), /^token 3 · id 835 · " way"/);
    await page.hover("[data-pane='1'] .tok[data-id='10545']");
    assert.equal(await page.$eval("[data-pane='1'] [data-role=ids] .id.echo", (e) => e.textContent), "10545");
    assert.match(await page.textContent("[data-pane='1'] [data-role=info]"), /id 10545 · " <E6>" · vocab "Ġæ" · 2 bytes/);
    await page.screenshot({ path: path.join(ARTIFACTS, "playground-ids.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("keyboard: tab to the controls and the tokens; arrow keys walk the tokens", { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage();
  try {
    await typeText(page, SENTENCE);
    await page.focus("[data-pane='1'] [data-role=tokens]");
    await page.keyboard.press("ArrowRight");
    assert.match(await page.textContent("[data-pane='1'] [data-role=info]"), /^token 1 · id 189205 · "By the way"/);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.match(await page.textContent("[data-pane='1'] [data-role=info]"), /^token 3 · id 244 · " a"/);
    // The same text lights up in the baseline pane.
    assert.deepEqual(await page.$$eval("[data-pane='0'] .tok.echo", (els) => els.map((e) => e.textContent)), [" a"]);
    await page.keyboard.press("ArrowLeft");
    assert.match(await page.textContent("[data-pane='1'] [data-role=info]"), /^token 2 /);
    await page.keyboard.press("Escape");
    assert.match(await page.textContent("[data-pane='1'] [data-role=info]"), /^Hover a token/);
    // Every control is reachable with Tab: buttons, pickers, toggles.
    const focusable = await page.$$eval("button, select, input, textarea, [tabindex='0']", (els) =>
      els.filter((e) => !e.closest("[hidden]") && e.tabIndex >= 0).length,
    );
    assert.ok(focusable >= 14, `${focusable} focusable controls`);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("dark mode follows prefers-color-scheme", { timeout: 180_000 }, async () => {
  const colours = {};
  for (const scheme of ["light", "dark"]) {
    const { page, problems } = await openPage({ colorScheme: scheme });
    try {
      colours[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.screenshot({ path: path.join(ARTIFACTS, `playground-${scheme}.png`) });
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  }
  assert.equal(colours.light, "rgb(247, 247, 245)");
  assert.notEqual(colours.dark, colours.light);
});

test("HTML in a tokenizer.json and in the text renders as text only, under a Content-Security-Policy", { timeout: 180_000 }, async () => {
  // A WordLevel file whose tokens are markup; ids from PyPI tokenizers 0.23.3: [0, 2, 3, 1].
  const json = JSON.stringify({
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [{ id: 3, content: "<b onmouseover=window.pwned=3>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: "WhitespaceSplit" },
    post_processor: null,
    decoder: null,
    model: { type: "WordLevel", vocab: { "<img/src=x/onerror=window.pwned=1>": 0, "[UNK]": 1, "<script>window.pwned=2</script>": 2 }, unk_token: "[UNK]" },
  });
  const text = "<img/src=x/onerror=window.pwned=1> <script>window.pwned=2</script> <b onmouseover=window.pwned=3> hi";
  const { page, problems } = await openPage();
  const violations = [];
  page.on("console", (m) => m.type() === "error" && violations.push(m.text()));
  try {
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'/);
    const data = await page.evaluateHandle((body) => {
      const dt = new DataTransfer();
      dt.items.add(new File([body], "markup.json", { type: "application/json" }));
      return dt;
    }, json);
    await page.dispatchEvent("[data-pane='1']", "drop", { dataTransfer: data });
    await page.check("[data-role=show-ids]");
    await typeText(page, text);
    assert.deepEqual(await paneIds(page, 1), [0, 2, 3, 1]);
    for (const el of await page.$$("[data-pane='1'] .tok")) await el.hover();
    await page.focus("[data-pane='1'] [data-role=tokens]");
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => window.pwned), undefined, "no markup ran");
    assert.equal(await page.$$eval("[data-pane] img, [data-pane] script, [data-pane] b", (els) => els.length), 0, "no element came from a token");
    // The markup shows as the characters it is (reference offsets (0, 34), (35, 66), (67, 97), (98, 100)).
    assert.deepEqual(await page.$$eval("[data-pane='1'] .tok", (els) => els.map((e) => e.textContent)), [
      text.slice(0, 34),
      text.slice(35, 66),
      text.slice(67, 97),
      text.slice(98, 100),
    ]);
    assert.match(await page.textContent("[data-pane='1'] [data-role=info]"), /vocab "\[UNK\]"/);
    assert.deepEqual(violations.filter((v) => /Content Security Policy/.test(v)), []);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
