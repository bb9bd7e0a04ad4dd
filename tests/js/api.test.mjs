// The counting API through the built package (the full entry, which loads every file): special-token
// policies in every encode and count call, `decodeStream`, `countUpTo` / `isWithinTokenLimit`,
// `truncate` and `chunk`, against the reference values of tests/fixtures/api/*.json (written by
// tools/reference/gen_api_golden.py with PyPI `tokenizers` 0.23.3; see tests/api.rs for Rust).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Tokenizer } from "tokenscope/full";
import { goldenNames, loadGolden, locate, readTokenizerFile, root } from "./golden.mjs";

const dir = join(root, "tests", "fixtures", "api");
const files = readdirSync(dir).filter((n) => n.endsWith(".json")).sort().map((n) => JSON.parse(readFileSync(join(dir, n), "utf8")));

function load(golden) {
  const tok = Tokenizer.fromJSON(readFileSync(locate(golden.source), "utf8"));
  tok.noTruncation();
  tok.noPadding();
  return tok;
}

const utf16 = (offsets) => Array.from({ length: offsets.length / 2 }, (_, i) => [offsets[2 * i], offsets[2 * i + 1]]);

test("specialTokens: match, literal and refuse as the reference, in encode, encodeIds and count", () => {
  assert.ok(files.length >= 9);
  const failures = [];
  let cases = 0;
  for (const golden of files) {
    const tok = load(golden);
    for (const c of golden.special) {
      for (const policy of ["match", "literal"]) {
        const enc = tok.encode(c.text, { specialTokens: policy });
        const want = c[policy];
        if (JSON.stringify([[...enc.ids], utf16(enc.offsets)]) !== JSON.stringify([want.ids, want.offsets_utf16])) {
          failures.push(`${golden.tokenizer} ${policy} ${JSON.stringify(c.text)}: ${[...enc.ids]}, reference ${want.ids}`);
        }
        if ([...tok.encodeIds(c.text, { specialTokens: policy })].join() !== want.ids.join() || tok.count(c.text, { specialTokens: policy }) !== want.ids.length) {
          failures.push(`${golden.tokenizer} ${policy} ${JSON.stringify(c.text)}: encodeIds / count differ`);
        }
        cases++;
      }
      for (const call of ["encode", "encodeIds", "count"]) {
        let error;
        try {
          tok[call](c.text, { specialTokens: "refuse" });
        } catch (e) {
          error = e;
        }
        const want = c.refuse;
        const expected = want && `the text holds the special token ${JSON.stringify(want.token)} at UTF-16 offsets ${want.utf16[0]}..${want.utf16[1]}`;
        if (want === null ? error !== undefined : !(error instanceof Error && error.message.startsWith(expected))) {
          failures.push(`${golden.tokenizer} ${call} refuse ${JSON.stringify(c.text)}: ${error?.message}, reference ${JSON.stringify(want)}`);
        }
      }
      cases++;
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases} differ`);
});

test("specialTokens: a refused token in a pair's second text, and bad values", () => {
  const tok = load(files.find((g) => g.tokenizer === "qwen3"));
  assert.throws(() => tok.encode("é", { pair: "a 😀<|im_start|>", specialTokens: "refuse" }), /the pair text holds the special token "<\|im_start\|>" at UTF-16 offsets 4\.\.16/);
  assert.throws(() => tok.count("x", { specialTokens: "ignore" }), /option specialTokens must be "match", "literal" or "refuse"/);
  assert.throws(() => tok.countUpTo("x", 3, { special_tokens: "literal" }), /unknown option "special_tokens"/);
});

test("decodeStream: each step as the reference's DecodeStream, one id and three ids at a time", () => {
  const failures = [];
  let runs = 0;
  for (const golden of files) {
    const tok = load(golden);
    for (const c of golden.stream) {
      for (const run of c.runs) {
        const stream = tok.decodeStream({ skipSpecialTokens: run.skip_special_tokens });
        const steps = [];
        for (let k = 0; k < c.ids.length; k += run.by) {
          // One id as a number; three as an array (a Uint32Array every other time).
          const ids = c.ids.slice(k, k + run.by);
          const arg = run.by === 1 ? ids[0] : k % 2 ? Uint32Array.from(ids) : ids;
          steps.push(stream.step(arg) ?? null);
        }
        if (JSON.stringify(steps) !== JSON.stringify(run.steps)) failures.push(`${golden.tokenizer} ${c.text} ${JSON.stringify(run)}: ${JSON.stringify(steps)}`);
        runs++;
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${runs} differ`);
  const tok = load(files[0]);
  assert.throws(() => tok.decodeStream().step(-1), /a token id must be a non-negative integer/);
  assert.throws(() => tok.decodeStream({ skip: true }), /unknown option "skip"/);
});

test("countUpTo, isWithinTokenLimit, truncate and chunk: the reference's counts of what they return", () => {
  const failures = [];
  let cases = 0;
  for (const golden of files) {
    const tok = load(golden);
    for (const c of golden.cuts) {
      const label = `${golden.tokenizer} ${c.name}`;
      for (const b of c.budgets) {
        const m = b.max_tokens;
        if (tok.countUpTo(c.text, m) !== Math.min(c.count, m + 1)) failures.push(`${label} countUpTo(${m})`);
        if (tok.isWithinTokenLimit(c.text, m) !== (c.count <= m ? c.count : false)) failures.push(`${label} isWithinTokenLimit(${m})`);
        for (const side of ["end", "start"]) {
          const cut = tok.truncate(c.text, m, { side });
          const want = b[`truncate_${side}`];
          const edge = side === "end" ? cut.start === 0 : cut.end === c.text.length;
          if (cut.text !== c.text.slice(cut.start, cut.end) || !edge || cut.end - cut.start !== want.len_utf16 || cut.count !== want.count) {
            failures.push(`${label} truncate(${m}, ${side}): ${JSON.stringify(cut)}, reference ${JSON.stringify(want)}`);
          }
          cases++;
        }
      }
      for (const ch of c.chunkings) {
        let got;
        try {
          got = tok.chunk(c.text, { maxTokens: ch.max_tokens, overlap: ch.overlap });
          if (got.some((p) => p.text !== c.text.slice(p.start, p.end))) failures.push(`${label} chunk: text is not the slice`);
          got = got.map((p) => ({ utf16: [p.start, p.end], count: p.count }));
        } catch (e) {
          got = /needs more than/.test(e.message) ? "too_small" : e.message;
        }
        if (JSON.stringify(got) !== JSON.stringify(ch.chunks)) failures.push(`${label} chunk(${ch.max_tokens}, ${ch.overlap}): ${JSON.stringify(got)}`);
        cases++;
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases} differ`);
});

test("budget calls: clear errors for bad budgets", () => {
  // Gemma 3 adds a BOS (`<bos>`) with addSpecialTokens.
  const tok = load(files.find((g) => g.tokenizer === "gemma3"));
  assert.throws(() => tok.truncate("hello", 0, { addSpecialTokens: true }), /below the 1 special tokens the post-processor adds/);
  assert.throws(() => tok.truncate("hello", 3, { side: "middle" }), /option side must be "end" or "start"/);
  assert.throws(() => tok.chunk("hello", { maxTokens: 4, overlap: 4 }), /overlap must be below the budget/);
  assert.throws(() => tok.chunk("hello", {}), /chunk needs the option maxTokens/);
  assert.throws(() => tok.countUpTo("hello", -1), /limit must be a non-negative integer/);
  assert.throws(() => tok.countUpTo("a\uD800", 5), /lone surrogate at UTF-16 index 1/);
  assert.deepEqual(tok.chunk("", { maxTokens: 4 }), []);
  assert.deepEqual(tok.truncate("", 0), { text: "", start: 0, end: 0, count: 0 });
  // With the BOS counted: the budget holds it.
  assert.equal(tok.countUpTo("hello world", 3, { addSpecialTokens: true }), 3);
  assert.equal(tok.truncate("hello world", 2, { addSpecialTokens: true }).text, "hello");
});

// The decode stream on every golden encoding, one id at a time, against the reference's
// DecodeStream (tests/fixtures/stream/, tools/reference/gen_stream_golden.py): which steps give
// nothing, and what the others give, joined.
test("decodeStream on every golden encoding, as the reference's DecodeStream", () => {
  const failures = [];
  let runs = 0;
  for (const name of goldenNames()) {
    const golden = loadGolden(name);
    const expected = JSON.parse(readFileSync(join(root, "tests", "fixtures", "stream", `${name}.json`), "utf8"));
    const tok = Tokenizer.fromJSON(readTokenizerFile(golden));
    try {
      for (const run of expected.runs) {
        const c = golden.cases[run.case];
        const stream = tok.decodeStream({ skipSpecialTokens: run.skip_special_tokens });
        const noneAt = [];
        let joined = "";
        c.ids.forEach((id, i) => {
          const text = stream.step(id);
          if (text === undefined) noneAt.push(i);
          else joined += text;
        });
        const want = run.joined ?? (run.skip_special_tokens ? c.decode_skip_special : c.decode);
        if (noneAt.join() !== run.none_at.join() || joined !== want) failures.push(`${name} case ${run.case} skip=${run.skip_special_tokens}`);
        runs++;
      }
    } finally {
      tok.free();
    }
  }
  assert.ok(runs > 4000, `only ${runs} runs`);
  assert.deepEqual(failures, [], `${failures.length} of ${runs} differ`);
});
