// The trainer through the built package (wasm in Node): the full-size job of ../shared/trainer
// gives the reference's merges.txt, vocab.json and tokenizer.json (BPE 16k from PyPI
// `tokenizers`, SuperBPE 16k / t 12k from the SuperBPE paper's fork), the trained tokenizer
// encodes, progress is reported, and bad use throws a clear Error.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PKG = path.resolve(REPO, process.env.TOKENSCOPE_PKG_DIR || "pkg");
const SHARED = process.env.TOKENSCOPE_SHARED || path.resolve(REPO, "../shared");
// The trainer is its own entry of the package (`tokenscope/train`, pkg/train/).
const { Tokenizer } = await import(pathToFileURL(path.join(PKG, "node.js")).href);
const { Trainer } = await import(pathToFileURL(path.join(PKG, "train", "node.js")).href);

const corpus = (f) => readFileSync(path.join(SHARED, "trainer/corpus", f), "utf8");
const reference = (dir, f) => readFileSync(path.join(SHARED, "trainer/reference", dir, f), "utf8");

test("the full-size job gives the reference BPE and SuperBPE, byte for byte", () => {
  const trainer = new Trainer();
  trainer.feed(corpus("nlp_corpus.txt"));
  trainer.feed(corpus("pydoc_topics.txt"));
  assert.equal(trainer.bytes, 9_383_912);
  const reports = [];
  const bpe = trainer.trainBpe({ vocabSize: 16_000 }, (p) => void reports.push(p));
  for (const [got, file] of [[bpe.mergesTxt(), "merges.txt"], [bpe.vocabJSON(), "vocab.json"], [bpe.tokenizerJSON(), "tokenizer.json"]]) {
    assert.ok(got === reference("bpe-16k", file), `bpe-16k/${file} differs`);
  }
  const superbpe = trainer.trainSuperBpe(bpe, { vocabSize: 16_000, transition: 12_000 }, (p) => void reports.push(p));
  for (const [got, file] of [[superbpe.mergesTxt(), "merges.txt"], [superbpe.vocabJSON(), "vocab.json"], [superbpe.tokenizerJSON(), "tokenizer.json"]]) {
    assert.ok(got === reference("superbpe-16k-t12k", file), `superbpe-16k-t12k/${file} differs`);
  }
  assert.deepEqual([superbpe.vocabSize, superbpe.mergeCount, superbpe.isSuperBpe, bpe.isSuperBpe], [16_000, 15_807, true, false]);
  assert.deepEqual([...new Set(reports.map((p) => p.stage))], ["subwords", "replay", "superwords"]);
  assert.deepEqual(Object.keys(reports[0]).sort(), ["bytesPerToken", "merges", "stage", "target", "vocabSize"]);
  assert.ok(reports.length > 200, `${reports.length} reports`);
  // Reference ids (PyPI tokenizers 0.23.3 on the reference tokenizer.json): a superword.
  const tok = Tokenizer.fromJSON(superbpe.tokenizerJSON());
  const text = "By the way, it is in the end.";
  assert.deepEqual(tok.encode(text).tokens, ["By", "ĠtheĠway", ",ĠitĠis", "ĠinĠthe", "Ġend", "."]);
});

test("cancelling, a throwing callback, bad options and bad text are Errors", () => {
  const trainer = new Trainer();
  assert.throws(() => trainer.trainBpe({ vocabSize: 300 }), /nothing to train on: the training text is empty/);
  trainer.feed(corpus("pydoc_topics.txt"));
  let calls = 0;
  assert.throws(() => trainer.trainBpe({ vocabSize: 2000 }, () => ++calls < 3), /training was cancelled/);
  assert.equal(calls, 3);
  assert.throws(() => trainer.trainBpe({ vocabSize: 2000 }, () => { throw new Error("stop!"); }), /progress callback threw: stop!/);
  assert.throws(() => trainer.trainBpe({ vocab_size: 2000 }), /unknown option "vocab_size"; the options are vocabSize, transition/);
  assert.throws(() => trainer.trainBpe({}), /^Error: train options: missing field `vocabSize`$/);
  assert.throws(() => trainer.trainBpe(8000), /train options must be an object/);
  assert.throws(() => trainer.trainBpe({ vocabSize: 2000 }, 7), /progress callback must be a function/);
  const bpe = trainer.trainBpe({ vocabSize: 2000 });
  assert.throws(() => trainer.trainSuperBpe(bpe, { vocabSize: 3000, transition: 2500 }), /past the vocab of the subword run \(2000 tokens\)/);
  assert.throws(() => trainer.trainSuperBpe(bpe, { vocabSize: 3000 }), /needs a transition point/);
  assert.equal(trainer.trainSuperBpe(bpe, { vocabSize: 2500, transition: 1500, maxWords: null }).vocabSize, 2500);
  assert.throws(() => trainer.feed("a\ud800b"), /training text has a lone surrogate at UTF-16 index 1/);
  // The settings alone, checked before any training (the page does this first).
  Trainer.checkOptions({ vocabSize: 300, transition: 200 });
  assert.throws(() => Trainer.checkOptions({ vocabSize: 300, transition: 400 }), /the transition point 400 is past the vocab size 300/);
  assert.throws(() => Trainer.checkOptions({ vocabSize: 300, forbiddenSubstrings: ["東"] }), /is not spelled in byte-level chars/);
  // Past 64 MiB in all, feeding throws (training would outgrow wasm's 4 GiB and trap).
  const big = new Trainer();
  big.feed("x".repeat(60 << 20));
  assert.throws(() => big.feed("y\n".repeat(3 << 20)), /would be 69206016 bytes, over the 64 MiB that training in WebAssembly/);
  big.free();
  assert.throws(() => trainer.trainBpe({ vocabSize: 2000 }, () => { throw "a string"; }), /progress callback threw: a string$/);
  assert.throws(() => trainer.trainSuperBpe(bpe, { vocabSize: 2500, transition: 1500, maxWords: 0 }), /the word limit must be at least 1 \(no limit: .*maxWords null in JS/);
  // maxWords undefined is the paper's 4, null is no limit.
  const longest = (m) => Math.max(...Object.keys(JSON.parse(m.tokenizerJSON()).model.vocab).map((tok) => tok.split("Ġ").filter(Boolean).length));
  assert.equal(longest(trainer.trainSuperBpe(bpe, { vocabSize: 3000, transition: 1500, maxWords: undefined })), 4);
  assert.ok(longest(trainer.trainSuperBpe(bpe, { vocabSize: 3000, transition: 1500, maxWords: null })) > 4);
  assert.throws(() => trainer.trainSuperBpe(bpe, { vocabSize: 2500, transition: 1500, forbiddenSubstrings: ":Ġ" }), /forbiddenSubstrings must be an array/);
  // A huge vocab size is not reserved up front: the text runs out of pairs first, at 8,922 tokens
  // (as PyPI tokenizers 0.23.3 does with vocab_size=100000).
  assert.equal(trainer.trainBpe({ vocabSize: 4294967295 }).vocabSize, 8922);
  // SuperBPE builds on a BPE of the same trainer's text, never on a SuperBPE.
  const other = new Trainer();
  other.feed("some other text\n");
  assert.throws(() => other.trainSuperBpe(bpe, { vocabSize: 2500, transition: 1500 }), /trained on other text/);
  const superbpe = trainer.trainSuperBpe(bpe, { vocabSize: 2500, transition: 1500 });
  assert.throws(() => trainer.trainSuperBpe(superbpe, { vocabSize: 2500, transition: 1500 }), /the subwords given are a SuperBPE result/);
});

test("the authors' options of November 2025: a stage-2 pattern, extending a tokenizer (the fork's files)", () => {
  const fixture = (name) => readFileSync(path.join(REPO, "tests/fixtures/trainer", name, "merges.txt"), "utf8");
  const authors = "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]{2,}[\\r\\n/]*| +(?!\\S)";
  const trainer = new Trainer({ stage2Pattern: authors });
  trainer.feed(corpus("pydoc_topics.txt"));
  const bpe = trainer.trainBpe({ vocabSize: 1500 });
  const superbpe = trainer.trainSuperBpe(bpe, { vocabSize: 1500, transition: 1000 });
  assert.ok(superbpe.mergesTxt() === fixture("superbpe-authors-pydoc-1500-t1000"), "superbpe-authors-pydoc-1500-t1000 differs");
  assert.deepEqual(JSON.parse(superbpe.tokenizerJSON()).pre_tokenizer.pretokenizers.map((p) => p.type), ["Split", "ByteLevel"]);
  // GPT-2's first 2,000 merges, as a tokenizer.json and as its bytes.
  const plain = new Trainer();
  plain.feed(corpus("pydoc_topics.txt"));
  const gpt2 = readFileSync(path.join(SHARED, "tokenizers/gpt2.json"));
  const reports = [];
  const extended = plain.extend(gpt2, { vocabSize: 3000, inherit: 2000 }, (p) => void reports.push(p.stage));
  assert.ok(extended.mergesTxt() === fixture("extend-gpt2-2000-pydoc-3000"), "extend-gpt2-2000-pydoc-3000 differs");
  assert.deepEqual([...new Set(reports)], ["replay", "superwords"]);
  assert.ok(plain.extend(gpt2.toString("utf8"), { vocabSize: 3000, inherit: 2000 }).mergesTxt() === extended.mergesTxt());
  assert.throws(() => new Trainer({ stage2Pattern: "(" }), /stage-2 pattern "\(" is not a valid regex/);
  assert.throws(() => new Trainer({ pattern: "x" }), /unknown option "pattern"/);
  assert.throws(() => plain.extend(gpt2, { vocabSize: 3000, transition: 10 }), /transition has no place/);
  assert.throws(() => plain.extend(gpt2, { vocabSize: 3000, inherit: -1 }), /inherit must be a non-negative integer/);
  assert.throws(() => plain.extend("{}", { vocabSize: 3000 }), /the base tokenizer: /);
});
