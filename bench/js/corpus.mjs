#!/usr/bin/env node
// The mixed benchmark corpus (prose, code, CJK, emoji, numbers). The Rust criterion bench builds
// the same text from the same recipe, so MB/s figures of the two benches are comparable; keep
// the two in step. The recipe, in order, parts joined by "\n":
//   1. prose: $TOKENSCOPE_SHARED/trainer/corpus/nlp_corpus.txt, its first 1,500,000 bytes cut
//      back to just after the last "\n";
//   2. $TOKENSCOPE_SHARED/trainer/corpus/pydoc_topics.txt, whole;
//   3. code: every src/**/*.rs and www/*.js of the repo, sorted by relative path (byte order),
//      joined by "\n";
//   4. multilingual: the `text` of every entry of tests/fixtures/golden/texts.json except names
//      starting with `special` or `long`, joined by "\n" into a block; the block repeated R times
//      joined by "\n", R the smallest integer with R × (block bytes) ≥ 500,000.
// Finally every `<|endoftext|>` is removed (tiktoken and gpt-tokenizer refuse special tokens).
// TOKENSCOPE_SHARED defaults to ../shared beside the repo.
//
// Also the English-prose workloads of the prose section (`proseWorkloads`): plain English, where
// the peers' piece caches help most, beside the mixed corpus, so that no single text decides.
//
//   node bench/js/corpus.mjs OUT   writes the corpus to OUT (UTF-8) and prints its composition

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { lcg } from "./inputs.mjs";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function sharedDir() {
  return process.env.TOKENSCOPE_SHARED ?? path.resolve(REPO, "../shared");
}

const PROSE_BYTES = 1_500_000;
const MULTILINGUAL_MIN_BYTES = 500_000;

const utf8Len = (s) => Buffer.byteLength(s, "utf8");

// Relative paths under `dir` (recursively), with "/" separators.
function walk(root, dir) {
  const out = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...walk(root, rel));
    else out.push(rel);
  }
  return out;
}

// Byte order of the UTF-8 paths (not localeCompare, not UTF-16 order), as Rust sorts a Vec<String>.
function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

const nlpCorpus = (shared) => path.join(shared, "trainer/corpus/nlp_corpus.txt");

function prose(shared, maxBytes = PROSE_BYTES) {
  const bytes = readFileSync(nlpCorpus(shared)).subarray(0, maxBytes);
  const end = bytes.lastIndexOf(0x0a) + 1; // keep the last "\n"; cutting there never splits a character
  return bytes.subarray(0, end).toString("utf8");
}

function code(repo) {
  const files = [
    ...walk(repo, "src").filter((f) => f.endsWith(".rs")),
    ...readdirSync(path.join(repo, "www")).filter((f) => f.endsWith(".js")).map((f) => `www/${f}`),
  ].sort(byteOrder);
  return { text: files.map((f) => readFileSync(path.join(repo, f), "utf8")).join("\n"), files };
}

function multilingual(repo) {
  const { texts } = JSON.parse(readFileSync(path.join(repo, "tests/fixtures/golden/texts.json"), "utf8"));
  const kept = texts.filter(({ name }) => !name.startsWith("special") && !name.startsWith("long"));
  const block = kept.map(({ text }) => text).join("\n");
  const repeats = Math.ceil(MULTILINGUAL_MIN_BYTES / utf8Len(block));
  return { text: Array(repeats).fill(block).join("\n"), texts: kept.length, repeats };
}

/**
 * Builds the corpus. Returns `{ text, parts }`, `parts` listing each part's name, UTF-8 bytes
 * and a short description (before the `<|endoftext|>` removal, which the total reflects).
 * `maxPartBytes` (for `--quick` smoke runs only; not the recipe) keeps roughly that many bytes
 * of each part, cut at a line end, so the mix stays the same.
 */
export function buildCorpus({ repo = REPO, shared = sharedDir(), maxPartBytes = Infinity } = {}) {
  const c = code(repo);
  const m = multilingual(repo);
  const parts = [
    { name: "prose", text: prose(shared), what: "nlp_corpus.txt, first 1.5 MB" },
    { name: "pydoc", text: readFileSync(path.join(shared, "trainer/corpus/pydoc_topics.txt"), "utf8"), what: "pydoc_topics.txt" },
    { name: "code", text: c.text, what: `${c.files.length} files of src/**/*.rs, www/*.js` },
    { name: "multilingual", text: m.text, what: `${m.texts} golden texts × ${m.repeats}` },
  ];
  if (Number.isFinite(maxPartBytes)) {
    for (const p of parts) {
      const buf = Buffer.from(p.text, "utf8");
      if (buf.length > maxPartBytes) {
        p.text = buf.subarray(0, buf.subarray(0, maxPartBytes).lastIndexOf(0x0a) + 1).toString("utf8");
        p.what += ` (quick: cut to ${(utf8Len(p.text) / 1e3).toFixed(0)} KB)`;
      }
    }
  }
  const text = parts.map((p) => p.text).join("\n").replaceAll("<|endoftext|>", "");
  return {
    text,
    bytes: utf8Len(text),
    parts: parts.map(({ name, text, what }) => ({ name, bytes: utf8Len(text), what })),
  };
}

/**
 * The prose section's workloads, each a list of texts timed one call per text:
 *   prose      nlp_corpus.txt (one document per line), its first 2,000,000 bytes cut back to just
 *              after the last "\n", in one call;
 *   docs       the same text, one call per document (line; empty lines dropped);
 *   words10    5,000 texts of 10 words drawn at random (inputs.mjs's LCG, seed 16) from all the
 *              words of nlp_corpus.txt (whitespace-separated, letters only: so many times as they
 *              occur), joined by " ";
 *   words1000  200 texts of 1,000 such words.
 * `quick` (smoke runs only): 100 KB of prose, 500 and 10 texts.
 */
export function proseWorkloads({ shared = sharedDir(), quick = false } = {}) {
  const text = prose(shared, quick ? 100_000 : 2_000_000);
  const words = readFileSync(nlpCorpus(shared), "utf8").split(/\s+/).filter((w) => /^[A-Za-z]+$/.test(w));
  const next = lcg(16);
  const draw = (count, n) =>
    Array.from({ length: count }, () => Array.from({ length: n }, () => words[Math.floor((next() / 2 ** 32) * words.length)]).join(" "));
  const workloads = [
    { name: "prose", what: "English prose, one call", texts: [text] },
    { name: "docs", what: "the same, one call per document", texts: text.split("\n").filter((l) => l.length > 0) },
    { name: "words10", what: "10 random words, one call each", texts: draw(quick ? 500 : 5_000, 10) },
    { name: "words1000", what: "1,000 random words, one call each", texts: draw(quick ? 10 : 200, 1_000) },
  ];
  for (const w of workloads) w.bytes = w.texts.reduce((n, t) => n + utf8Len(t), 0);
  return workloads;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: node bench/js/corpus.mjs OUT");
    process.exit(2);
  }
  const corpus = buildCorpus();
  writeFileSync(out, corpus.text);
  for (const p of corpus.parts) console.log(`${p.name.padEnd(13)} ${String(p.bytes).padStart(9)} bytes  ${p.what}`);
  console.log(`${"total".padEnd(13)} ${String(corpus.bytes).padStart(9)} bytes  -> ${out}`);
}
