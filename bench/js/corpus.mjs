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
//   node bench/js/corpus.mjs OUT   writes the corpus to OUT (UTF-8) and prints its composition

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

function prose(shared) {
  const bytes = readFileSync(path.join(shared, "trainer/corpus/nlp_corpus.txt")).subarray(0, PROSE_BYTES);
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
