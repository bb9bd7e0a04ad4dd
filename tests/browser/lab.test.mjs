// The superword lab (issue 21) in Debian's Chromium: colour by stage with each pane's transition
// point, a token's merge tree, the pre-tokenizer overlay, prompt cuts (view and marks), the
// vocabulary browser, per-script figures and the corpus leaderboard, on the OLMo 2 BPE /
// SuperBPE t180k presets and on a text in ten scripts. Screenshots: tests/artifacts/lab-*.png.
//
// Expected values are the reference's, read from committed fixtures: tests/fixtures/lab/*.json
// (tools/reference/gen_lab_golden.py: PyPI tokenizers 0.23.3's merges, pieces and prefix
// encodings) and tests/fixtures/lab/scripts.json (gen_script_golden.py: unicodedata, regex).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ARTIFACTS, REPO, launchChromium } from "./chromium.mjs";
import { startServer } from "../../tools/dev/serve.mjs";

const lab = (name) => JSON.parse(readFileSync(path.join(REPO, "tests/fixtures/lab", `${name}.json`), "utf8"));
const BPE = lab("olmo2-bpe-200k");
const T180K = lab("olmo2-superbpe-t180k");
const SCRIPTS = lab("scripts");
const SENTENCE = T180K.texts[0]; // "By the way, I am a fan of the Milky Way."
const LOAD_TIMEOUT = 90_000;

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

async function openPage({ hash = "", viewport = { width: 1366, height: 900 }, colorScheme = "light" } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => msg.type() === "error" && !/Failed to load resource/.test(msg.text()) && problems.push(`console: ${msg.text()}`));
  await page.goto(`${server.url}${hash}`);
  await waitReady(page);
  return { page, problems, close: () => context.close() };
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
  await page.waitForTimeout(50);
}

async function setText(page, text) {
  await page.fill("[data-role=input]", text);
  await waitReady(page);
}

/** A screenshot of the page's panes (with the controls above them) or of the lab panel:
 * tests/artifacts/lab-<name>.png (the README shows copies: docs/screenshots/). */
const shot = async (page, name, part = "panes") => {
  const file = path.join(ARTIFACTS, `lab-${name}.png`);
  if (part === "lab") return page.locator("[data-role=lab]").screenshot({ path: file });
  const top = await page.$eval(".lab-controls", (el) => el.getBoundingClientRect().top + scrollY);
  const box = await page.$eval("[data-role=panes]", (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top + scrollY, width: r.width, bottom: r.bottom + scrollY };
  });
  await page.screenshot({ path: file, fullPage: true, clip: { x: box.x, y: top - 8, width: box.width, height: Math.min(box.bottom, top + 700) - top + 16 } });
};
/** The tokens of pane `i`: text, id and class list. */
const tokensOf = (page, i) =>
  page.$$eval(`[data-pane="${i}"] [data-role=tokens] .tok`, (els) => els.map((el) => ({ text: el.textContent, id: Number(el.dataset.id), end: Number(el.dataset.end), cls: el.className })));

test("each pane says its transition point; colour by stage marks superword merges", async () => {
  const { page, problems, close } = await openPage();
  try {
    await setText(page, SENTENCE);
    const lines = await page.$$eval("[data-role=stage-line]", (els) => els.map((el) => ({ t: el.dataset.t, text: el.textContent })));
    assert.equal(BPE.transition_point, null);
    assert.equal(lines[0].t, "");
    assert.match(lines[0].text, /no superword stage/);
    assert.equal(lines[1].t, String(T180K.transition_point)); // the reference's first merge ". Ċ"
    await page.check("[data-role=show-stage]");
    await page.waitForFunction(() => document.querySelector("[data-pane='1'] .tok.stage-2"));
    // The reference's lowest rank of each token's merges decides its stage.
    const rankOf = new Map(T180K.trees.map((c) => [c.id, c.rank]));
    const superbpe = await tokensOf(page, 1);
    // The reference's tokens of the sentence (tests/fixtures/golden).
    const golden = JSON.parse(readFileSync(path.join(REPO, "tests/fixtures/golden/olmo2-superbpe-t180k.json"), "utf8")).cases.find((c) => c.text === "prose_milky_way" && !c.pair && !c.add_special_tokens);
    assert.deepEqual(superbpe.map((t) => t.id), golden.ids);
    for (const tok of superbpe) {
      const rank = rankOf.get(tok.id);
      assert.ok(rank !== undefined, `id ${tok.id} in the fixture`);
      const stage = rank === null ? 0 : rank >= T180K.transition_point ? 2 : 1;
      assert.match(tok.cls, new RegExp(`\\bstage-${stage}\\b`), `${tok.text}: ${tok.cls}`);
    }
    assert.ok(superbpe.some((t) => /stage-2/.test(t.cls)) && superbpe.some((t) => /stage-1/.test(t.cls)));
    assert.ok((await tokensOf(page, 0)).every((t) => !/stage-2/.test(t.cls)), "BPE has no superword merges");
    assert.equal(await page.isVisible(".lab-legend .stage-key"), true);
    await shot(page, "stage");
    // Kept in the link.
    assert.match(await page.evaluate(() => location.hash), /o=[^&]*stage/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test("a clicked token's merge tree: its bytes, each merge's rank, superword merges marked", async () => {
  const { page, problems, close } = await openPage();
  try {
    await setText(page, SENTENCE);
    const byTheWay = T180K.trees.find((c) => c.token === "ByĠtheĠway");
    await page.click(`[data-pane="1"] .tok[data-id="${byTheWay.id}"]`);
    await page.waitForSelector("[data-role=tree-result] .merge-tree");
    const nodes = await page.$$eval("[data-role=tree-result] .tree-node", (els) => els.map((el) => ({ cls: el.className, text: el.querySelector("code").textContent, rank: el.querySelector(".rank")?.textContent ?? null })));
    // One element per node of the reference's tree (units and merges).
    assert.equal(nodes.length, byTheWay.nodes.length);
    const merges = byTheWay.nodes.filter((n) => n[1] !== null);
    const superMerges = merges.filter((n) => n[1] >= T180K.transition_point);
    assert.equal(nodes.filter((n) => /superword-merge/.test(n.cls)).length, superMerges.length);
    assert.equal(nodes.filter((n) => /unit/.test(n.cls)).length, byTheWay.nodes.length - merges.length);
    // The top node is the token, made by the last merge of the reference's replay.
    const last = byTheWay.nodes[byTheWay.roots[0]];
    assert.equal(nodes[0].text, JSON.stringify("By the way"));
    assert.equal(nodes[0].rank, `superword merge ${new Intl.NumberFormat("en-US").format(last[1])}`);
    const units = byTheWay.nodes.length - merges.length;
    assert.match(await page.textContent("[data-role=tree-result] .tree-head"), new RegExp(`${units} units, ${merges.length} merges, ${superMerges.length} of them superword merges`));
    await shot(page, "tree", "lab");
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test("the pre-tokenizer overlay underlines the reference's pieces", async () => {
  const { page, problems, close } = await openPage();
  try {
    await setText(page, SENTENCE);
    await page.check("[data-role=show-pieces]");
    await page.waitForFunction(() => document.querySelectorAll("[data-pane='0'] .tok.piece-start").length > 1);
    for (const [i, f] of [[0, BPE], [1, T180K]]) {
      const toks = await page.$$eval(`[data-pane="${i}"] [data-role=tokens] .tok`, (els) => els.map((el) => ({ start: Number(el.dataset.start), cls: el.className })));
      const starts = toks.filter((t) => /piece-start/.test(t.cls)).map((t) => t.start);
      // The reference's pieces: each starts where a token starts.
      assert.deepEqual(starts, f.pieces_utf16[0].map(([s]) => s), `pane ${i}`);
    }
    assert.equal((await page.$$("[data-pane='1'] .tok.piece-start")).length, 1, "SuperBPE: one piece");
    await shot(page, "pieces");
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test("prompt cuts: the view at the cursor and the marks, as the reference's prefix encodings", async () => {
  const { page, problems, close } = await openPage();
  try {
    await setText(page, SENTENCE);
    const cuts = (f) => new Map(f.cuts[0].map((c) => [c.cut, c.clean]));
    await page.click("[data-role=lab-toggle]");
    await page.click("#lab-tab-cut");
    for (const cut of [6, 10, 11, 21]) {
      await page.evaluate((at) => {
        const input = document.querySelector("[data-role=input]");
        input.focus();
        input.setSelectionRange(at, at);
        input.dispatchEvent(new KeyboardEvent("keyup", { key: "ArrowRight" }));
      }, cut);
      await page.waitForFunction((at) => document.querySelector("[data-role=cut-result] .cut-head")?.textContent.includes(`character ${at}:`), cut);
      const verdicts = await page.$$eval("[data-role=cut-result] .cut-pane", (els) => els.map((el) => el.classList.contains("clean")));
      assert.deepEqual(verdicts, [cuts(BPE).get(cut), cuts(T180K).get(cut)], `cut at ${cut}`);
    }
    await shot(page, "cut", "lab");
    await page.check("[data-role=show-cuts]");
    await page.waitForFunction(() => document.querySelectorAll("[data-pane='1'] .tok.cut-clean, [data-pane='1'] .tok.cut-changes").length > 3);
    for (const [i, f] of [[0, BPE], [1, T180K]]) {
      const expected = cuts(f);
      for (const t of await tokensOf(page, i)) {
        if (!expected.has(t.end)) continue; // the text's end
        assert.match(t.cls, expected.get(t.end) ? /cut-clean/ : /cut-changes/, `pane ${i}, cut after ${JSON.stringify(t.text)}`);
      }
    }
    await shot(page, "cut-marks");
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test("scripts: the reference's per-script figures, on a text in ten scripts", async () => {
  const { page, problems, close } = await openPage();
  try {
    await setText(page, SCRIPTS.texts.mixed);
    await page.click("[data-role=lab-toggle]");
    await page.click("#lab-tab-scripts");
    await page.waitForSelector("[data-role=scripts-result] table");
    const cells = await page.$$eval("[data-role=scripts-result] table tbody tr", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    const expect = (name) => SCRIPTS.cases.find((c) => c.tokenizer === name && c.text === "mixed").rows;
    const [bpe, sbpe] = [expect("olmo2-bpe-200k"), expect("olmo2-superbpe-t180k")];
    assert.deepEqual(cells.map((c) => c[0]), bpe.map((r) => r.script));
    cells.forEach((c, k) => {
      assert.equal(c[2], bpe[k].tokensPerChar.toFixed(3), `${c[0]}: BPE tokens per char`);
      assert.equal(c[3], bpe[k].bytesPerToken.toFixed(2));
      assert.equal(c[5], sbpe[k].tokensPerChar.toFixed(3), `${c[0]}: SuperBPE tokens per char`);
      assert.equal(c[7], sbpe[k].overLatin === null ? "–" : `${sbpe[k].overLatin.toFixed(2)}×`);
    });
    assert.ok(cells.find((c) => c[0] === "Thai"));
    await shot(page, "scripts", "lab");
    // The sample button puts a text in ten scripts in the box.
    await page.click("[data-role=scripts-sample]");
    await waitReady(page);
    await page.waitForFunction(() => document.querySelectorAll("[data-role=scripts-result] tbody tr").length >= 12);
    await page.check("[data-role=show-stage]");
    await shot(page, "non-latin");
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test("the vocabulary browser: superwords by words, searchable, with the text's examples", async () => {
  const { page, problems, close } = await openPage();
  try {
    await setText(page, SENTENCE);
    await page.click("[data-role=lab-toggle]");
    await page.click("#lab-tab-vocab");
    await page.waitForSelector("[data-role=vocab-result] table");
    // The SuperBPE pane is chosen first; its words per token as the reference's vocab has them.
    assert.equal(await page.inputValue("[data-role=vocab-pane]"), "1");
    const f = new Intl.NumberFormat("en-US").format;
    const [w1, w2, w3, w4, w5] = T180K.vocab_by_words;
    const blank = 200_000 - (w1 + w2 + w3 + w4 + w5);
    assert.equal(
      await page.textContent("[data-role=vocab-result] .vocab-counts"),
      `200,000 tokens; with words: ${f(w1)} of 1 word, ${f(w2)} of 2 words, ${f(w3)} of 3 words, ${f(w4)} of 4 words, ${f(w5)} of 5 or more; ${f(blank)} of whitespace alone; superword merges from rank ${f(T180K.transition_point)}.`,
    );
    await page.fill("[data-role=vocab-search]", "of the");
    await page.selectOption("[data-role=vocab-words]", "2");
    await page.click("[data-role=vocab-form] button[type=submit]");
    await page.waitForFunction(() => /matching/.test(document.querySelector("[data-role=vocab-result] caption")?.textContent ?? "") && document.querySelector("[data-role=vocab-result] tbody tr th")?.textContent.includes("of the"));
    const rows = await page.$$eval("[data-role=vocab-result] tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    const ofThe = T180K.trees.find((c) => c.token === "ĠofĠthe");
    const row = rows.find((r) => r[0] === JSON.stringify(" of the"));
    assert.ok(row, "the superword \" of the\" is listed");
    assert.equal(row[1], String(ofThe.id));
    assert.equal(row[2], new Intl.NumberFormat("en-US").format(ofThe.rank));
    assert.equal(row[3], "superword merge");
    assert.ok(rows.every((r) => Number(r[4]) >= 2 && r[0].toLowerCase().includes("of the")), rows.map((r) => r.join(" ")).join("\n"));
    // The text's superwords grouped by words: the reference's tokens of the sentence "ByĠtheĠway",
    // ",ĠIĠam", "ĠofĠthe", "ĠMilkyĠWay".
    const groups = await page.$$eval("[data-role=vocab-result] .vocab-groups p", (ps) => ps.map((p) => p.textContent));
    assert.deepEqual(groups, ['2 words (2 tokens): " of the" × 1, " Milky Way" × 1', '3 words (2 tokens): "By the way" × 1, ", I am" × 1']);
    await shot(page, "vocab", "lab");
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test("the corpus leaderboard: tokens per file and pane, per script, exportable", async () => {
  const { page, problems, close } = await openPage();
  try {
    await setText(page, SCRIPTS.texts.prose);
    await page.click("[data-role=lab-toggle]");
    await page.click("#lab-tab-corpus");
    await page.click("[data-role=corpus-use-text]");
    await page.click("[data-role=corpus-run]");
    await page.waitForSelector("[data-role=corpus-result] table");
    const rows = await page.$$eval("[data-role=corpus-result] table:first-of-type tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    const counts = await page.$$eval("[data-role=count]", (els) => els.map((el) => el.dataset.value));
    // The reference's token counts of this text (its offsets: one pair per token).
    const n = (name) => SCRIPTS.cases.find((c) => c.tokenizer === name && c.text === "prose").offsets.length / 2;
    assert.deepEqual(rows.map((r) => r[3]), [String(n("olmo2-bpe-200k")), String(n("olmo2-superbpe-t180k"))]);
    assert.deepEqual(counts, rows.map((r) => r[3]));
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-role=corpus-result] a[download$='.csv']")]);
    const csv = readFileSync(await download.path(), "utf8");
    assert.match(csv, /^tokenizer,file,bytes,chars,tokens,ms\r\n/);
    assert.ok(csv.includes(`,${n("olmo2-superbpe-t180k")},`));
    await shot(page, "corpus", "lab");
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

/** Merges of a trained tokenizer.json as `merges.txt` lines, to compare with the fork's file. */
const mergesTxt = (json) => `#version: 0.2\n${JSON.parse(json).model.merges.map((m) => (Array.isArray(m) ? m.join(" ") : m)).join("\n")}\n`;
const forkMerges = (name) => readFileSync(path.join(REPO, "tests/fixtures/trainer", name, "merges.txt"), "utf8");
const PYDOC = path.join(process.env.TOKENSCOPE_SHARED || path.resolve(REPO, "../shared"), "trainer/corpus/pydoc_topics.txt");

/** Two merges.txt texts equal, or the first line where they differ. */
function require_equal(got, want) {
  if (got === want) return;
  const [a, b] = [got.split("\n"), want.split("\n")];
  const i = a.findIndex((line, k) => line !== b[k]);
  assert.fail(`merges.txt line ${i}: ${a[i]} (page) vs ${b[i]} (the fork); ${a.length} vs ${b.length} lines`);
}

async function trainedDownload(page, status) {
  await page
    .waitForFunction((src) => new RegExp(src).test(document.querySelector("[data-role=train-status]").textContent) || !document.querySelector("[data-role=train-error]").hidden, status.source, { timeout: 120_000, polling: 100 })
    .catch(() => {});
  const error = await page.$eval("[data-role=train-error]", (el) => (el.hidden ? "" : el.textContent));
  assert.equal(error, "", await page.textContent("[data-role=train-status]"));
  const [file] = await Promise.all([page.waitForEvent("download"), page.click("[data-role=train-download-superbpe]")]);
  return readFileSync(await file.path(), "utf8");
}

test("the trainer as the authors' code now does: their stage-2 pattern, and superwords added to a pane's tokenizer", async () => {
  const { page, problems, close } = await openPage({ hash: "#p=gpt2,olmo2-superbpe-t180k" });
  try {
    await page.click("[data-role=train-toggle]");
    await page.setInputFiles("[data-role=train-files]", PYDOC);
    // Superwords added to pane 1's GPT-2: its first 2,000 merges, then stage 2 to 3,000.
    await page.fill("[data-role=train-vocab]", "3000");
    await page.dispatchEvent("[data-role=train-vocab]", "change");
    await page.selectOption("[data-role=train-base]", "0");
    assert.equal(await page.isDisabled("[data-role=train-transition-value]"), true);
    await page.fill("[data-role=train-inherit]", "2000");
    await page.click("[data-role=train-start]");
    const extended = await trainedDownload(page, /^superwords added to GPT-2/);
    require_equal(mergesTxt(extended), forkMerges("extend-gpt2-2000-pydoc-3000"));
    await page.waitForFunction(() => /GPT-2 \+ superwords/.test(document.querySelector("[data-pane='1'] [data-role=picker]").selectedOptions[0]?.textContent ?? ""));
    await waitReady(page);
    await page.locator("[data-role=train]").screenshot({ path: path.join(ARTIFACTS, "lab-train-extend.png") });
    // Two stages with the authors' stage-2 pattern: V 1,500, t 1,000.
    await page.selectOption("[data-role=train-base]", "bpe");
    await page.fill("[data-role=train-vocab]", "1500");
    await page.dispatchEvent("[data-role=train-vocab]", "change");
    await page.fill("[data-role=train-transition-value]", "1000");
    await page.dispatchEvent("[data-role=train-transition-value]", "change");
    await page.selectOption("[data-role=train-stage2]", "authors");
    await page.click("[data-role=train-start]");
    const authors = await trainedDownload(page, /^trained in/);
    require_equal(mergesTxt(authors), forkMerges("superbpe-authors-pydoc-1500-t1000"));
    assert.deepEqual(JSON.parse(authors).pre_tokenizer.pretokenizers.map((p) => p.type), ["Split", "ByteLevel"]);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
