// The superword lab's analyses through the built package (the full entry): `transitionPoint`,
// `mergeTree`, `mergeRanks` and `preTokenize` against the reference values of
// tests/fixtures/lab/*.json (tools/reference/gen_lab_golden.py, PyPI `tokenizers` 0.23.3; see
// tests/lab.rs for Rust). Gemma 3 (33 MB) is left to the Rust test.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Tokenizer } from "tokenscope/full";
import { compareCut } from "../../www/lab/cut.js";
import { Lab } from "../../www/workers/lab.js";
import { locate, root, sharedDir } from "./golden.mjs";

const dir = join(root, "tests", "fixtures", "lab");
const fixtures = readdirSync(dir)
  .filter((n) => n.endsWith(".json") && n !== "gemma3.json")
  .sort()
  .map((n) => JSON.parse(readFileSync(join(dir, n), "utf8")))
  .filter((f) => f.source); // scripts.json is www/lab/scripts.js's (tests/browser/lab-scripts.test.mjs)

function load(fixture) {
  const trainer = fixture.source.match(/^trainer:(.*)$/);
  const path = trainer ? join(sharedDir(), "trainer", "reference", trainer[1], "tokenizer.json") : locate(fixture.source);
  return Tokenizer.fromJSON(readFileSync(path, "utf8"));
}

const pairs = (flat) => Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);

test("transitionPoint, mergeTree, mergeRanks and preTokenize as the reference", () => {
  assert.ok(fixtures.length >= 14);
  let pieces = 0;
  for (const f of fixtures) {
    const tok = load(f);
    assert.equal(tok.transitionPoint, f.transition_point, `${f.tokenizer}: transitionPoint`);
    // The page's vocabulary table (workers/lab.js): words per token as the generator counts them.
    if (f.vocab_by_words) {
      const v = new Lab(tok).vocabulary({ search: "", minWords: 0, sort: "id" }, (id) => tok.tokenBytes(id));
      assert.deepEqual(v.byWords, f.vocab_by_words, `${f.tokenizer}: tokens by words`);
    }
    const ranks = tok.mergeRanks();
    for (const c of f.trees) {
      const tree = tok.mergeTree(c.id);
      assert.deepEqual(tree.nodes.map((n) => [n.id, n.rank, n.left, n.right]), c.nodes, `${f.tokenizer}: tree of ${c.token}`);
      assert.deepEqual(tree.roots, c.roots);
      assert.equal(tree.nodes[tree.roots[0]].token.length > 0, true);
      assert.equal(ranks[c.id] === 0xffffffff ? null : ranks[c.id], c.rank, `${f.tokenizer}: rank of ${c.token}`);
    }
    f.texts.forEach((text, i) => {
      if (!f.pieces_utf16.length) return;
      assert.deepEqual(pairs(tok.preTokenize(text)), f.pieces_utf16[i], `${f.tokenizer}: pieces of ${JSON.stringify(text)}`);
      pieces++;
    });
    tok.free();
  }
  assert.ok(pieces >= 50);
});

test("a prompt cut: the tokens shared with the whole text, and clean cuts, as the reference", () => {
  let checked = 0;
  let clean = 0;
  for (const f of fixtures.filter((f) => f.cuts.length)) {
    const tok = load(f);
    f.cuts.forEach((cases, i) => {
      const text = f.texts[i];
      const full = tok.encode(text);
      for (const c of cases) {
        const prefix = tok.encode(text.slice(0, c.cut));
        const got = compareCut(full.ids, full.offsets, prefix.ids, prefix.offsets, c.cut);
        assert.deepEqual([got.same, got.clean], [c.same, c.clean], `${f.tokenizer}: cut at ${c.cut} of ${JSON.stringify(text)}`);
        checked++;
        clean += Number(c.clean);
      }
    });
    tok.free();
  }
  assert.ok(checked > 200 && clean > 50 && clean < checked, `${checked} cuts, ${clean} clean`);
});

test("the lab's calls refuse bad input with an Error", () => {
  const tok = Tokenizer.fromJSON(readFileSync(join(sharedDir(), "tokenizers", "gpt2.json"), "utf8"));
  assert.throws(() => tok.mergeTree(-1), /non-negative integer/);
  assert.equal(tok.mergeTree(10 ** 9), undefined);
  assert.throws(() => tok.preTokenize("a\ud800b"), /surrogate/);
  assert.throws(() => tok.preTokenize("x<|endoftext|>", { specialTokens: "refuse" }), /<\|endoftext\|>.*UTF-16 offsets 1\.\.14/);
  assert.throws(() => tok.preTokenize("x", { special: true }), /special/);
  assert.deepEqual(pairs(tok.preTokenize("")), []);
  tok.free();
});
