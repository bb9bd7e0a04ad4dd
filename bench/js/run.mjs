#!/usr/bin/env node
// `npm run bench`: our wasm package against its JS/wasm peers in Node, side by side in one run.
//
//   npm run bench [-- --quick] [--no-hf] [--only=LIST] [--write-docs]
//
//   --quick         a smoke test (under 2 minutes; its figures are not for quoting): o200k and t180k
//                   only (worst cases: o200k, 3 implementations), no @huggingface/tokenizers, 2 runs
//                   (prose section and worst cases: 1), ~50 KB of each corpus part, ~100 KB of
//                   prose, worst cases of 4 and 16 KiB
//   --no-hf         skip building the HF `tokenizers` crates to wasm (bench/hf-wasm, bench/hf-rc-wasm)
//   --only=LIST     comma-separated: tokenizers (o200k, cl100k, t180k, bpe200k, t100k, gpt2),
//                   sections (throughput, superbpe, prose, chromium, scaling) and/or peers (tiktoken,
//                   gpt-tokenizer, ai-tokenizer, js-tiktoken, hf-js, hf-wasm, hf-rc-wasm; tokenscope
//                   always runs, its ids are the reference); e.g. the Node prose table with the rc
//                   alone: --only=o200k,prose,hf-rc-wasm
//   --write-docs    put the tables between docs/benchmarks.md's bench markers
//
// Prints markdown tables as each section finishes (progress goes to stderr) and writes every
// number to target/bench/latest.json. Benchmarks are not tests: nothing here fails on a slow
// result; the last table says which targets are met.
//
// Modules: corpus.mjs (the corpus recipe, the prose workloads), inputs.mjs (worst-case inputs),
// peers.mjs (one adapter per implementation; adapters.mjs, the calls shared with the page),
// child.mjs (one measurement in a fresh process), passes.mjs (the prose section's measurement, in
// Node and in Chromium: chromium.mjs, browser/), timing.mjs and measure.mjs (timing, memory, child
// runner), report.mjs (tables, JSON, docs/benchmarks.md).

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { runInChromium, startInChromium } from "./chromium.mjs";
import { buildCorpus, proseWorkloads, REPO } from "./corpus.mjs";
import { KINDS } from "./inputs.mjs";
import { median, runChild } from "./measure.mjs";
import { flatIds } from "./passes.mjs";
import { HF_RC_WASM_PKG, HF_WASM_PKG, PEERS, PKG_DIR, TOKENIZERS } from "./peers.mjs";
import { kib, mark, mib, ms, num, ratio, signedMib, table, writeJson, writeBetweenMarkers } from "./report.mjs";
import { weightRows } from "./weight.mjs";

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-hf": { type: "boolean", default: false },
    only: { type: "string" },
    "write-docs": { type: "boolean", default: false },
  },
});

const QUICK = opts.quick;
const RUNS = QUICK ? 2 : 5;
// Cold starts per implementation × tokenizer (each a fresh process); the load columns are medians.
const LOAD_RUNS = QUICK ? 1 : 3;
const CORPUS = QUICK ? { maxPartBytes: 50_000 } : {};
const SIZES = QUICK ? [4 * 1024, 16 * 1024] : [10 * 1024, 100 * 1024, 1024 * 1024];
// A worst-case size is skipped when the previous size's CPU time, scaled linearly, exceeds this:
// tiktoken's merge loop is quadratic on one long piece (seconds at 64K chars).
const CALL_BUDGET_MS = QUICK ? 2_000 : 30_000;
// CPU time for all runs of one worst-case cell; runs shrink to fit (at least one).
const CELL_BUDGET_MS = QUICK ? 1_000 : 15_000;

// "prose" and "chromium": the prose section in Node and in Chromium.
const SECTIONS = ["throughput", "superbpe", "prose", "chromium", "scaling", "weight"];
const THROUGHPUT_TKS = QUICK ? ["o200k"] : ["o200k", "cl100k"];
const THROUGHPUT_PEERS = ["tokenscope", "tiktoken", "gpt-tokenizer", "ai-tokenizer", "js-tiktoken", "hf-js", "hf-wasm"];
// The prose section: o200k, the peers with a count or a piece cache (and tiktoken, the baseline
// of the tables above; in Node only), and the HF 1.0 release candidate, whose word table is kept
// across calls as theirs are. js-tiktoken and the 0.23 HF ones are in the mixed tables.
const PROSE_TK = "o200k";
const PROSE_PEERS = ["tokenscope", "tiktoken", "gpt-tokenizer", "ai-tokenizer", "hf-rc-wasm"];
const CHROMIUM_PEERS = ["tokenscope", "gpt-tokenizer", "ai-tokenizer"];
const PASS_RUNS = QUICK ? 1 : RUNS;
const PASS_WARMUP_MS = QUICK ? 100 : 300;
const SUPERBPE_TKS = QUICK ? ["t180k"] : ["t180k", "bpe200k", "t100k", "gpt2"];
const SUPERBPE_PEERS = ["tokenscope", "hf-wasm", "hf-js"];
const SCALING_RUNS = [
  ["tokenscope", "o200k"],
  ["tokenscope", "t180k"],
  ["tiktoken", "o200k"],
  ["gpt-tokenizer", "o200k"],
  ["ai-tokenizer", "o200k"],
  ["js-tiktoken", "o200k"],
  ["hf-wasm", "o200k"],
  ["hf-wasm", "t180k"],
  ["hf-js", "o200k"],
  ["hf-js", "t180k"],
];
// --quick: o200k, tokenscope and the two peers of the prose and CJK targets.
const scalingRun = (id, tk) => !QUICK || (tk === "o200k" && ["tokenscope", "gpt-tokenizer", "ai-tokenizer"].includes(id));

// --only: each word narrows sections, tokenizers or peers.
const only = new Set((opts.only ?? "").split(",").map((s) => s.trim()).filter(Boolean));
for (const w of only) {
  if (!SECTIONS.includes(w) && !TOKENIZERS[w] && !PEERS[w]) {
    console.error(`--only: unknown word ${w} (sections ${SECTIONS}, tokenizers ${Object.keys(TOKENIZERS)}, peers ${Object.keys(PEERS)})`);
    process.exit(2);
  }
}
const narrowed = (all) => {
  const picked = all.filter((x) => only.has(x));
  return picked.length ? picked : all;
};
const sections = narrowed(SECTIONS);
const tkPicked = Object.keys(TOKENIZERS).filter((k) => only.has(k));
const tkWanted = (tk) => tkPicked.length === 0 || tkPicked.includes(tk);
const peerPicked = Object.keys(PEERS).filter((k) => only.has(k));
// --quick leaves out @huggingface/tokenizers, the slowest peer by far (about 0.5 MB/s).
const peerWanted = (p) => p === "tokenscope" || (peerPicked.length === 0 ? !(QUICK && p === "hf-js") : peerPicked.includes(p));

const log = (...a) => console.error("[bench]", ...a);
// Ids of each corpus encode, for the comparison with tokenscope's; emptied so none is stale.
const TMP = path.join(REPO, "target/bench/tmp");
rmSync(TMP, { recursive: true, force: true });
mkdirSync(TMP, { recursive: true });
const started = Date.now();
const results = { meta: {}, throughput: {}, superbpe: {}, prose: {}, scaling: {}, weight: [], targets: [] };
const printed = [];
const out = (md) => {
  console.log(`${md}\n`);
  printed.push(md);
};

// ---------------------------------------------------------------------------------------------
// Setup: our package, the HF wasm builds (0.23.2 and the 1.0 release candidate).

if (!existsSync(path.join(PKG_DIR, "node.js"))) {
  console.error(`no package at ${PKG_DIR}: run \`npm run build\` first`);
  process.exit(1);
}

// Builds bench/<dir> (its build.sh) unless its pkg/ is there. `id`: its peer, turned off when it
// has no package; `pkgJs`: the package's entry; a build is skipped when its peer is not wanted.
function hfWasm(id, dir, pkgJs) {
  const info = { built: false, buildS: null, wasmBytes: null, status: "" };
  const wasmFile = pkgJs.replace(/\.js$/, "_bg.wasm");
  if (opts["no-hf"]) {
    info.status = "skipped (--no-hf)";
  } else if (existsSync(pkgJs)) {
    info.status = `bench/${dir}/pkg (prebuilt; delete it to rebuild)`;
  } else if (!peerWanted(id)) {
    info.status = "not built (not in --only)";
  } else {
    log(`building ${PEERS[id].label} (bench/${dir}/build.sh); this takes minutes on 2 cores…`);
    const t = Date.now();
    const r = spawnSync("bash", [path.join(REPO, `bench/${dir}/build.sh`)], { stdio: ["ignore", 2, 2] });
    info.buildS = (Date.now() - t) / 1e3;
    info.built = r.status === 0;
    info.status = r.status === 0 ? `built in ${num(info.buildS)} s` : `build FAILED (exit ${r.status}) after ${num(info.buildS)} s: its rows are missing`;
    log(`${PEERS[id].label}: ${info.status}`);
  }
  if (!opts["no-hf"] && existsSync(wasmFile)) info.wasmBytes = statSync(wasmFile).size;
  if (opts["no-hf"] || !existsSync(pkgJs)) PEERS[id].supports = () => false;
  return info;
}

const hf = hfWasm("hf-wasm", "hf-wasm", HF_WASM_PKG);
const hfRc = hfWasm("hf-rc-wasm", "hf-rc-wasm", HF_RC_WASM_PKG);

// ---------------------------------------------------------------------------------------------
// Header.

function header() {
  const cpu = (readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? os.cpus()[0]?.model;
  const git = (args) => {
    try {
      return execFileSync("git", args, { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "?";
    }
  };
  const wasm = path.join(PKG_DIR, "tokenscope_bg.wasm");
  const corpus = buildCorpus(CORPUS);
  const meta = {
    date: new Date().toISOString(),
    cpu,
    cores: os.cpus().length,
    node: process.version,
    loadAverage: os.loadavg(),
    commit: `${git(["rev-parse", "--short", "HEAD"])}${git(["status", "--porcelain", "--", "src"]) ? " (src modified)" : ""}`,
    pkg: { dir: realpathSync(PKG_DIR), wasmBytes: statSync(wasm).size, builtAt: statSync(wasm).mtime.toISOString() },
    hfWasm: hf,
    hfRcWasm: hfRc,
    corpus: { bytes: corpus.bytes, parts: corpus.parts },
    quick: QUICK,
    runs: RUNS,
  };
  results.meta = meta;
  const parts = corpus.parts.map((p) => `${p.name} ${num(p.bytes / 1e6)} MB (${p.what})`).join(", ");
  out(
    [
      `### tokenscope benchmark, ${meta.date.slice(0, 16).replace("T", " ")} UTC${QUICK ? " (--quick: not for quoting)" : ""}`,
      "",
      `- Machine: ${cpu}, ${meta.cores} cores, Node ${meta.node}; load average at start ${meta.loadAverage.map((x) => x.toFixed(1)).join(" ")} (shared machine: compare ratios within one run, not absolute times across runs)`,
      `- tokenscope: \`pkg/\` built ${meta.pkg.builtAt.slice(0, 16).replace("T", " ")} UTC (${num(meta.pkg.wasmBytes / 1e6)} MB wasm), repo at ${meta.commit}`,
      `- HF \`tokenizers\` 0.23.2 crate to wasm: ${hf.status}${hf.wasmBytes ? ` (${num(hf.wasmBytes / 1e6)} MB wasm)` : ""}`,
      `- HF \`tokenizers\` 1.0.0-rc.3 crate to wasm: ${hfRc.status}${hfRc.wasmBytes ? ` (${num(hfRc.wasmBytes / 1e6)} MB wasm)` : ""}`,
      `- Corpus: ${num(corpus.bytes / 1e6)} MB = ${parts}; \`<|endoftext|>\` removed`,
      `- Throughput: median of ${RUNS} runs after a warm-up, the whole corpus in one call, timed in process CPU time (user + system); each implementation × tokenizer in a fresh Node process`,
    ].join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------
// Throughput (sections 2 and 3): one child per implementation × tokenizer.

function compareIds(refFile, file) {
  if (!existsSync(refFile) || !existsSync(file)) return null;
  const a = new Uint32Array(readFileSync(refFile).buffer.slice(0));
  const b = new Uint32Array(readFileSync(file).buffer.slice(0));
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return { equal: false, firstDiff: i, refLen: a.length, len: b.length };
  return a.length === b.length ? { equal: true } : { equal: false, firstDiff: n, refLen: a.length, len: b.length };
}

async function measureTokenizer(tk, peerIds, { extras }) {
  const res = {};
  for (const id of peerIds) {
    const peer = PEERS[id];
    if (!peerWanted(id)) continue;
    if (!peer.supports(tk)) {
      res[id] = { unsupported: true };
      continue;
    }
    const idsOut = path.join(TMP, `${tk}.${id}.u32`);
    const t = Date.now();
    log(`${tk}: ${peer.label}…`);
    res[id] = await runChild({ task: "throughput", peer: id, tk, corpus: CORPUS, runs: RUNS, idsOut, extras });
    res[id].wallS = (Date.now() - t) / 1e3;
    if (res[id].error) log(`${tk}: ${peer.label} failed: ${res[id].error}`);
    else log(`${tk}: ${peer.label}: ${num(res[id].encode.mbPerS)} MB/s (${num(res[id].wallS)} s)`);
    if (id !== "tokenscope" && !res[id].error) res[id].ids = compareIds(path.join(TMP, `${tk}.tokenscope.u32`), idsOut);
    if (!res[id].error) {
      const loads = [res[id].load];
      for (let i = 1; i < LOAD_RUNS; i++) {
        const l = await runChild({ task: "load", peer: id, tk });
        if (!l.error) loads.push(l);
      }
      res[id].loadSamples = loads;
      res[id].load = medianLoad(loads);
    }
  }
  return res;
}

// Median of each time over the cold starts; memory from the start of median total time.
function medianLoad(loads) {
  const byTotal = [...loads].sort((a, b) => a.totalMs - b.totalMs);
  const out = { ...byTotal[(byTotal.length - 1) >> 1] };
  for (const k of ["importMs", "constructAndFirstEncodeMs", "totalMs", "totalCpuMs"]) out[k] = median(loads.map((l) => l[k]));
  return out;
}

function idsCell(id, r) {
  if (r.error) return `failed: ${r.error.slice(0, 80)}`;
  if (id === "tokenscope") return "reference";
  if (!r.ids) return "?";
  return r.ids.equal ? "✓" : `✗ first differs at #${r.ids.firstDiff} (${r.ids.len} vs ${r.ids.refLen} ids)`;
}

function throughputTable(tk, res) {
  const base = res.tiktoken?.encode?.mbPerS;
  const rows = [];
  for (const [id, r] of Object.entries(res)) {
    const label = PEERS[id].label;
    if (r.unsupported) continue;
    if (r.error) {
      rows.push([label, idsCell(id, r), ...Array(10).fill("—")]);
      continue;
    }
    const m = r.load.memory;
    rows.push([
      `${label} \`encode\``,
      idsCell(id, r),
      num(r.encode.mbPerS),
      ratio(base && r.encode.mbPerS / base),
      num(r.encode.wallMbPerS),
      r.encodeWarmCache ? num(r.encodeWarmCache.mbPerS) : "no cache",
      num(r.lines?.mbPerS),
      `${ms(r.load.totalMs)} (${num(r.load.importMs)} + ${num(r.load.constructAndFirstEncodeMs)})`,
      mib(r.load.wasmMemoryBytes),
      signedMib(m.rss),
      signedMib(m.heapUsed),
      signedMib(m.arrayBuffers),
    ]);
    if (r.encodeIds) {
      rows.push([`${label} \`encodeIds\``, r.encodeIds.equal ? "✓ = encode ids" : "✗ ≠ encode ids", num(r.encodeIds.mbPerS), ratio(base && r.encodeIds.mbPerS / base), num(r.encodeIds.wallMbPerS), "", "", "", "", "", "", ""]);
    }
    if (r.count) {
      const countName = { "gpt-tokenizer": "countTokens", "hf-wasm": "count (encode_fast)" }[id] ?? "count";
      rows.push([`${label} \`${countName}\``, r.count.value === r.tokens ? "✓ = encode length" : `✗ ${r.count.value} vs ${r.tokens}`, num(r.count.mbPerS), ratio(base && r.count.mbPerS / base), num(r.count.wallMbPerS), "", "", "", "", "", "", ""]);
    }
  }
  const ts = res.tokenscope;
  const notes = [];
  if (ts && !ts.error) notes.push(`${ts.tokens.toLocaleString("en-US")} tokens on ${num(ts.bytes / 1e6)} MB; tokenscope wasm memory after the corpus: ${mib(ts.wasmMemoryAfterCorpusBytes)}.`);
  for (const [id, r] of Object.entries(res)) {
    if (r.alloc) {
      const a = r.alloc;
      notes.push(
        `Allocation, ${PEERS[id].label}, ${num(a.sampleBytes / 1e3)} KB sample (${a.tokens.toLocaleString("en-US")} tokens), bytes per token: ` +
          `encode ${num(a.encode.heapBytesPerToken)} JS heap + ${num(a.encode.arrayBufferBytesPerToken)} ArrayBuffer; ` +
          `count ${num(a.count.heapBytesPerToken)} JS heap + ${num(a.count.arrayBufferBytesPerToken)} ArrayBuffer.`,
      );
    }
  }
  return [
    `#### ${TOKENIZERS[tk].label}`,
    "",
    table(
      ["implementation", "ids", "MB/s", "× tiktoken", "wall MB/s", "MB/s, cache kept", "line by line MB/s", "load → 1st encode (import + construct)", "wasm memory", "RSS Δ", "JS heap Δ", "ArrayBuffers Δ"],
      rows,
      "llrrrrrrrrrr",
    ),
    "",
    ...notes.map((n) => `- ${n}`),
  ].join("\n");
}

async function throughputSection() {
  out(
    [
      "#### Throughput: o200k and cl100k",
      "",
      "MB/s: UTF-8 MB of the corpus per second of process CPU time, median, the piece caches emptied before each run",
      "(tokenscope's, gpt-tokenizer's, ai-tokenizer's, the HF ones'; see `bench/js/peers.mjs`); × tiktoken: against tiktoken's wasm in the same run; wall: the",
      "same runs on the wall clock (other processes' load shows there); cache kept: the same corpus again with the cache",
      "full, which real text does not get; line by line: the corpus as one call per line, where per-call overhead shows.",
      `Load: wall-clock median of ${LOAD_RUNS} fresh process${LOAD_RUNS > 1 ? "es" : ""}, the file already in memory as a string (tiktoken: its wasm`,
      "bytes), to the first short encode returning. Memory columns: wasm linear memory after that first encode, and",
      "`process.memoryUsage()` deltas over the load (after GC).",
    ].join("\n"),
  );
  for (const tk of THROUGHPUT_TKS.filter(tkWanted)) {
    const res = await measureTokenizer(tk, THROUGHPUT_PEERS, { extras: true });
    results.throughput[tk] = res;
    out(throughputTable(tk, res));
  }
}

async function superbpeSection() {
  const rows = [];
  for (const tk of SUPERBPE_TKS.filter(tkWanted)) {
    const res = await measureTokenizer(tk, SUPERBPE_PEERS, { extras: false });
    results.superbpe[tk] = res;
    const ok = (r) => r && !r.error && !r.unsupported;
    const ts = ok(res.tokenscope) ? res.tokenscope : null;
    const hw = ok(res["hf-wasm"]) ? res["hf-wasm"] : null;
    const hj = ok(res["hf-js"]) ? res["hf-js"] : null;
    const state = (id) => (res[id]?.error ? `failed: ${res[id].error.slice(0, 60)}` : res[id]?.unsupported ? "not run" : "—");
    rows.push([
      TOKENIZERS[tk].label,
      ts ? num(ts.encode.mbPerS) : state("tokenscope"),
      ts ? num(ts.count.mbPerS) : "—",
      hw ? num(hw.encode.mbPerS) : state("hf-wasm"),
      ts && hw ? ratio(ts.encode.mbPerS / hw.encode.mbPerS) : "—",
      hw ? num(hw.count.mbPerS) : "—",
      hj ? num(hj.encode.mbPerS) : state("hf-js"),
      [hw, hj].map((r, i) => (r ? idsCell(i ? "hf-js" : "hf-wasm", r) : "—")).join(" / "),
      `${ts ? ms(ts.load.constructAndFirstEncodeMs) : "—"} / ${hw ? ms(hw.load.constructAndFirstEncodeMs) : "—"}`,
      `${ts ? mib(ts.load.wasmMemoryBytes) : "—"} / ${hw ? mib(hw.load.wasmMemoryBytes) : "—"}`,
    ]);
  }
  const lines = [
    "#### Throughput: SuperBPE and OLMo2 BPE",
    "",
    "Same corpus and method. HF wasm: the reference `tokenizers` crate compiled to wasm by `bench/hf-wasm` (its `encode`,",
    "and `encode_fast`, which skips offsets, standing in for a count). Construct: `fromJSON` to the first short encode.",
    "",
    table(
      ["tokenizer", "tokenscope encode MB/s", "tokenscope count MB/s", "HF wasm encode MB/s", "tokenscope ÷ HF wasm", "HF wasm encode_fast MB/s", "@huggingface/tokenizers MB/s", "ids: HF wasm / HF js", "construct: tokenscope / HF wasm", "wasm memory: tokenscope / HF wasm"],
      rows,
    ),
  ];
  const a = results.superbpe.t180k?.tokenscope;
  const b = results.superbpe.bpe200k?.tokenscope;
  if (a?.encode && b?.encode) {
    lines.push(
      "",
      `t180k / OLMo2 BPE per-byte cost ratio: ${num(b.encode.mbPerS / a.encode.mbPerS)} (encode), ${num(b.count.mbPerS / a.count.mbPerS)} (count).`,
    );
  }
  out(lines.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The prose section: English prose and short texts, Node and Chromium (passes.mjs measures).

const CALL_NAMES = { "gpt-tokenizer": { count: "countTokens" } };
const callLabel = (id, call) => `${PEERS[id].label} \`${CALL_NAMES[id]?.[call] ?? call}\``;
// A peer's call that counts: its count, else the length of its encode (tiktoken).
const countCall = (r, w) => (r[w].count ? "count" : "encode");

async function proseSection() {
  const workloads = proseWorkloads({ quick: QUICK });
  // The reference ids, tokenscope's `encode` in this process; children and page compare with them.
  const refDir = path.join(TMP, "prose");
  mkdirSync(refDir, { recursive: true });
  const ts = PEERS.tokenscope;
  const ref = await ts.create(await ts.import(), PROSE_TK, await ts.prepare(PROSE_TK));
  for (const w of workloads) writeFileSync(path.join(refDir, `${w.name}.u32`), flatIds(ref.encode, w.texts));

  const p = (results.prose = { tk: PROSE_TK, runs: PASS_RUNS, workloads: workloads.map(({ name, what, bytes, texts }) => ({ name, what, bytes, calls: texts.length })) });
  const sizes = p.workloads.map((w) => `${w.name}: ${w.what}, ${num(w.bytes / 1e6)} MB in ${w.calls.toLocaleString("en-US")} call${w.calls > 1 ? "s" : ""} (${num(w.bytes / w.calls)} B each)`);
  out(
    [
      `#### English prose and short texts: ${TOKENIZERS[PROSE_TK].label}, Node and Chromium`,
      "",
      "Texts from `../shared/trainer/corpus/nlp_corpus.txt` (`proseWorkloads` in `bench/js/corpus.mjs`), each call one text:",
      "",
      ...sizes.map((s) => `- ${s}`),
      "",
      `Warm: one instance called again and again (its caches filled by the passes before, as an app runs it); cold: each timed`,
      "pass the first on an emptied cache (a fresh instance, or gpt-tokenizer's `clearMergeCache`), the JIT already warm.",
      `Median of ${PASS_RUNS} pass${PASS_RUNS > 1 ? "es" : ""}; Node: process CPU time, each implementation in a fresh process; Chromium (headless Debian`,
      "`chromium`, playwright-core, the packages as ES modules from `pkg/` and `node_modules`): wall time, each in a fresh",
      "browser context. Ids of every call are checked against tokenscope's first (✓); a peer whose ids differ is not timed.",
      "tokenscope `encode` returns ids, offsets and masks, its `tokens` built when read (not read here). Ratios: tokenscope's",
      "speed ÷ the peer's, same workload and cache state; `count` against the peer's count (tiktoken: its `encode`),",
      "`encodeIds` and `encode` against the peer's `encode`.",
    ].join("\n"),
  );
  if (sections.includes("prose")) {
    p.node = {};
    for (const id of PROSE_PEERS.filter(peerWanted)) {
      log(`prose (Node): ${PEERS[id].label}…`);
      const t = Date.now();
      p.node[id] = await runChild({ task: "passes", peer: id, tk: PROSE_TK, quick: QUICK, runs: PASS_RUNS, warmupMs: PASS_WARMUP_MS, refDir });
      log(`prose (Node): ${PEERS[id].label}: ${p.node[id].error ?? "done"} (${num((Date.now() - t) / 1e3)} s)`);
    }
    out(passesTables("Node", p.node, p.workloads));
  }
  if (sections.includes("chromium")) {
    log("prose (Chromium)…");
    p.chromium = await runInChromium({ peers: CHROMIUM_PEERS.filter(peerWanted), workloads, refDir, runs: PASS_RUNS, warmupMs: PASS_WARMUP_MS, log });
    results.meta.chromium = p.chromium.browser ?? null;
    out(passesTables(`Chromium${p.chromium.browser ? ` (${p.chromium.browser})` : ""}`, p.chromium, p.workloads));
  }
}

function passesTables(runtime, res, workloads) {
  if (res.error) return `##### ${runtime}\n\nfailed: ${res.error}`;
  const ids = (r) => (r.ids.equal ? "✓" : `✗ first differs at #${r.ids.firstDiff} (${r.ids.len} vs ${r.ids.refLen} ids, with one separator per call)`);
  const speeds = [];
  const ratios = [];
  const ts = res.tokenscope && !res.tokenscope.error ? res.tokenscope : null;
  const rate = (r, w, call, mode) => r?.[w]?.[call]?.[mode]?.mbPerS;
  for (const w of workloads) {
    for (const [id, r] of Object.entries(res)) {
      if (!PEERS[id]) continue; // "browser"
      if (r.error) {
        speeds.push([w.name, PEERS[id].label, `failed: ${r.error.slice(0, 80)}`, "—", "—", "—", "—"]);
        continue;
      }
      const x = r[w.name];
      if (!x.ids.equal) speeds.push([w.name, PEERS[id].label, ids(x), "not timed", "", "", ""]);
      for (const call of ["count", "encodeIds", "encode"].filter((c) => x[c])) {
        const { warm, cold } = x[call];
        const agree = x[call].tokensAgree ? "" : " ⚠ count ≠ ids";
        speeds.push([w.name, callLabel(id, call), ids(x) + agree, num(warm.mbPerS), num(warm.usPerCall), cold ? num(cold.mbPerS) : "no cache", cold ? num(cold.usPerCall) : ""]);
      }
      if (id === "tokenscope" || !ts) continue;
      const both = (ours, theirs) => ["warm", "cold"].map((m) => ratio(rate(ts, w.name, ours, m) / rate(r, w.name, theirs, m))).join(" / ");
      ratios.push([w.name, PEERS[id].label, both("count", countCall(r, w.name)), both("encodeIds", "encode"), both("encode", "encode")]);
    }
  }
  const countVsEncode = ts ? workloads.map((w) => `${w.name} ${ratio(rate(ts, w.name, "count", "warm") / rate(ts, w.name, "encode", "warm"))}`).join(", ") : "—";
  return [
    `##### ${runtime}`,
    "",
    table(["workload", "implementation", "ids", "MB/s warm", "µs/call warm", "MB/s cold", "µs/call cold"], speeds, "lllrrrr"),
    "",
    table(["workload", "peer", "tokenscope `count` ÷ peer's count, warm / cold", "`encodeIds` ÷ peer's `encode`", "`encode` ÷ peer's `encode`"], ratios, "llrrr"),
    "",
    `- tokenscope \`count\` ÷ \`encode\` speed, warm: ${countVsEncode}.`,
    ...Object.entries(res)
      .filter(([id, r]) => PEERS[id] && r.loadMs != null)
      .map(([id, r]) => `- ${PEERS[id].label}: ${ms(r.loadMs)} from import to a ready instance (wall).`),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Worst cases (section 4).

async function scalingSection() {
  const rows = [];
  for (const [id, tk] of SCALING_RUNS) {
    if (!scalingRun(id, tk) || !tkWanted(tk) || !peerWanted(id)) continue;
    const peer = PEERS[id];
    if (!peer.supports(tk)) continue;
    log(`worst cases: ${peer.label} on ${tk}…`);
    const t = Date.now();
    const r = await runChild({ task: "scaling", peer: id, tk, kinds: KINDS, sizes: SIZES, runs: QUICK ? 1 : RUNS, callBudgetMs: CALL_BUDGET_MS, cellBudgetMs: CELL_BUDGET_MS });
    log(`worst cases: ${peer.label} on ${tk}: ${num((Date.now() - t) / 1e3)} s`);
    results.scaling[`${id}@${tk}`] = r;
  }
  // A peer whose token count differs from tokenscope's on the same input is flagged and left out
  // of the ratios: the reference crate returns 0 tokens for 1 MiB of spaces on o200k (its regex
  // iterator stops at fancy-regex's backtracking limit without an error), which would otherwise
  // read as the fastest cell of the table.
  const refTokens = (tk, kind, size) => results.scaling[`tokenscope@${tk}`]?.[kind]?.find((c) => c.size === size)?.tokens;
  const wrong = (tk, kind, c) => {
    const ref = refTokens(tk, kind, c.size);
    return c.tokens != null && ref != null && c.tokens !== ref ? ref : null;
  };
  const cell = (tk, kind, c) => {
    if (!c) return "—";
    if (c.error) return `error: ${c.error.slice(0, 50)}`;
    if (c.afterError) return "skipped (error)";
    if (c.skipped) return `skipped (>${num(CALL_BUDGET_MS / 1e3)} s est.)`;
    const ref = wrong(tk, kind, c);
    return ref == null ? num(c.usPerKB) : `${num(c.usPerKB)} ⚠ ${c.tokens.toLocaleString("en-US")} tokens, tokenscope ${ref.toLocaleString("en-US")}`;
  };
  const first = SIZES[0];
  const last = SIZES[SIZES.length - 1];
  for (const kind of KINDS) {
    for (const [key, r] of Object.entries(results.scaling)) {
      const [id, tk] = key.split("@");
      const name = `${PEERS[id].label} · ${tk}`;
      if (r.error) {
        rows.push([kind, name, `failed: ${r.error.slice(0, 60)}`, ...Array(SIZES.length - 1 + (SIZES.length > 2 ? 2 : 1)).fill("—")]);
        continue;
      }
      const cells = r[kind];
      const per = (size) => {
        const c = cells.find((x) => x.size === size && x.usPerKB != null);
        return c && wrong(tk, kind, c) == null ? c.usPerKB : undefined;
      };
      const growth = per(last) && per(first) ? per(last) / per(first) : null;
      const mid = SIZES.length > 2 ? [ratio(per(SIZES[1]) && per(first) ? per(SIZES[1]) / per(first) : null)] : [];
      rows.push([kind, name, ...cells.map((c) => cell(tk, kind, c)), ratio(growth), ...mid]);
    }
  }
  out(
    [
      "#### Worst cases: one long piece",
      "",
      "Inputs with no split point (pseudo-random lowercase letters; pseudo-random CJK ideographs; spaces) and base64 (cut only at",
      "digits and `+`/`/`), from a fixed-seed LCG (`bench/js/inputs.mjs`). CPU µs per KiB of UTF-8 input, median; a size is skipped",
      `when the previous size's CPU time × the size ratio exceeds ${num(CALL_BUDGET_MS / 1e3)} s. The peers' piece caches are off (each`,
      "call would otherwise look the same piece up); tokenscope's cannot be turned off, so each of its samples is one call on a",
      "fresh instance. Each output's token count is checked against tokenscope's (⚠ when it differs). Linear time shows as a",
      "ratio near 1.",
      "",
      table(
        ["input", "implementation", ...SIZES.map((s) => `µs/KiB at ${kib(s)}`), `${kib(last)} ÷ ${kib(first)}`, ...(SIZES.length > 2 ? [`${kib(SIZES[1])} ÷ ${kib(first)}`] : [])],
        rows,
        "ll" + "r".repeat(SIZES.length + (SIZES.length > 2 ? 2 : 1)),
      ),
    ].join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------
// Targets (section 5): each a ratio measured in this run.

function targets() {
  const t = [];
  const add = (what, measured, ok, note = "") => t.push({ what, measured, ok, note });
  for (const tk of THROUGHPUT_TKS) {
    const res = results.throughput[tk];
    if (!res?.tokenscope?.encode) continue;
    const ts = res.tokenscope;
    // Two of our calls against the peers' `encode`: `encodeIds` returns what theirs returns (ids),
    // `encode` also builds offsets, token strings and masks.
    for (const [id, want] of [["tiktoken", 5], ["gpt-tokenizer", 2]]) {
      const r = res[id];
      if (!r?.encode) continue;
      const x = ts.encode.mbPerS / r.encode.mbPerS;
      if (ts.encodeIds) {
        const y = ts.encodeIds.mbPerS / r.encode.mbPerS;
        const ok = y >= want && r.ids?.equal === true && ts.encodeIds.equal;
        add(`${tk}: encodeIds (ids only) ≥ ${want}× ${PEERS[id].label}'s encode, ids equal`, `${num(y)}×, ids ${mark(r.ids?.equal && ts.encodeIds.equal)}`, ok);
      }
      add(`${tk}: encode (ids, offsets, tokens) ≥ ${want}× ${PEERS[id].label}'s encode, ids equal`, `${num(x)}×, ids ${mark(r.ids?.equal)}`, x >= want && r.ids?.equal === true);
    }
    add(`${tk}: count at least as fast as encode`, `${num(ts.count.mbPerS / ts.encode.mbPerS)}×`, ts.count.mbPerS >= ts.encode.mbPerS);
    const al = ts.alloc;
    if (al) {
      add(`${tk}: count allocates no per-token JS objects`, `${num(al.count.heapBytesPerToken)} heap B/token (encode: ${num(al.encode.heapBytesPerToken)})`, al.count.heapBytesPerToken < 1);
    }
  }
  const o = results.throughput.o200k;
  if (o?.tokenscope?.load) {
    const ts = o.tokenscope.load;
    const hw = o["hf-wasm"]?.load;
    if (hw) {
      const x = ts.constructAndFirstEncodeMs / hw.constructAndFirstEncodeMs;
      add("o200k: fromJSON → first encode ≤ 0.25× HF wasm's", `${num(x)}× (${ms(ts.constructAndFirstEncodeMs)} vs ${ms(hw.constructAndFirstEncodeMs)})`, x <= 0.25);
    }
    add("o200k: wasm memory after load ≤ 25 MiB", `${mib(ts.wasmMemoryBytes)}${hw ? ` (HF wasm ${mib(hw.wasmMemoryBytes)})` : ""}`, ts.wasmMemoryBytes <= 25 * 2 ** 20);
  }
  const a = results.superbpe.t180k?.tokenscope;
  const b = results.superbpe.bpe200k?.tokenscope;
  if (a?.encode && b?.encode) {
    const x = b.encode.mbPerS / a.encode.mbPerS;
    add("t180k and OLMo2 BPE within 1.5× of each other (per-byte cost)", `${num(x)} (t180k / BPE)`, Math.max(x, 1 / x) <= 1.5);
  }
  for (const tk of ["t180k", "bpe200k"]) {
    const r = results.superbpe[tk];
    if (r?.tokenscope?.encode && r["hf-wasm"]?.encode) {
      const x = r.tokenscope.encode.mbPerS / r["hf-wasm"].encode.mbPerS;
      add(`${TOKENIZERS[tk].label}: encode ≥ 5× HF wasm, ids equal`, `${num(x)}×, ids ${mark(r["hf-wasm"].ids?.equal)}`, x >= 5 && r["hf-wasm"].ids?.equal === true);
    }
  }
  const first = SIZES[0];
  const last = SIZES[SIZES.length - 1];
  for (const tk of ["o200k", "t180k"]) {
    const r = results.scaling[`tokenscope@${tk}`];
    if (!r || r.error) continue;
    for (const kind of KINDS) {
      const per = (size) => r[kind].find((c) => c.size === size)?.usPerKB;
      const x = per(last) && per(first) ? per(last) / per(first) : null;
      add(`${tk}, ${kind}: time per byte at ${kib(last)} ≤ 2× at ${kib(first)}`, x == null ? "not measured" : `${num(x)}×`, x != null && x <= 2);
    }
  }
  // Issue 16's: the prose section, each runtime; CJK from the worst cases.
  const rate = (r, w, call) => r?.[w]?.[call]?.warm?.mbPerS;
  for (const [runtime, res] of [["Node", results.prose.node], ["Chromium", results.prose.chromium]]) {
    const ts = res?.tokenscope;
    if (!ts || ts.error) continue;
    for (const id of ["gpt-tokenizer", "ai-tokenizer"]) {
      const r = res[id];
      if (!r || r.error) continue;
      for (const [ours, theirs] of [["count", "count"], ["encodeIds", "encode"]]) {
        const xs = ["prose", "docs"].map((w) => rate(ts, w, ours) / rate(r, w, theirs));
        add(`${runtime}, English prose (one call / per document): ${ours} ≥ 6× ${PEERS[id].label}'s ${theirs}, caches warm, ids equal`, xs.map(ratio).join(" / "), xs.every((x) => x >= 6));
      }
    }
    const g = res["gpt-tokenizer"];
    if (g && !g.error) {
      for (const [ours, theirs] of [["count", "count"], ["encodeIds", "encode"]]) {
        const x = rate(ts, "words10", ours) / rate(g, "words10", theirs);
        add(`${runtime}, 10-word texts, one call each: ${ours} ≥ 3× gpt-tokenizer's ${theirs}, caches warm, ids equal`, ratio(x), x >= 3);
      }
    }
    const xs = results.prose.workloads.map((w) => rate(ts, w.name, "count") / rate(ts, w.name, "encode"));
    add(`${runtime}: encode (ids, offsets) within 1.6× of count at every size (${results.prose.workloads.map((w) => w.name).join(" / ")})`, xs.map(ratio).join(" / "), xs.every((x) => x <= 1.6));
  }
  const ours = results.scaling["tokenscope@o200k"]?.cjk;
  const gpt = results.scaling["gpt-tokenizer@o200k"]?.cjk;
  if (ours && gpt) {
    const xs = SIZES.map((size) => gpt.find((c) => c.size === size)?.usPerKB / ours.find((c) => c.size === size)?.usPerKB).filter(Number.isFinite);
    add(`o200k, CJK (one piece of ideographs, worst cases): ≥ 20× gpt-tokenizer (caches off) at each size it ran`, xs.map(ratio).join(" / "), xs.length > 0 && xs.every((x) => x >= 20));
  }
  // Issue 17's: bytes shipped, compiled tokenizer against gpt-tokenizer's JS ranks.
  const shipped = (tk, label) => results.weight.find((r) => r.tk === tk && r.label === label)?.gzip;
  for (const [tk, limit] of [["o200k", 0.9e6], ["gpt2", 0.25e6], ["t180k", 1.0e6]]) {
    const ours = shipped(tk, "tokenscope, compiled tokenizer");
    if (ours == null) continue;
    const gpt = shipped(tk, "gpt-tokenizer");
    add(`${TOKENIZERS[tk].label}: all bytes shipped to count tokens ≤ ${num(limit / 1e6)} MB gzip${gpt ? " (gpt-tokenizer's in the same run)" : ""}`, `${num(ours / 1e6)} MB${gpt ? ` (gpt-tokenizer ${num(gpt / 1e6)} MB)` : ""}`, ours <= limit);
  }
  const start = (tk, id) => results.start?.find((r) => r.tk === tk && r.id === id);
  const [compiledStart, gptStart] = [start("o200k", "tokenscope-compiled"), start("o200k", "gpt-tokenizer")];
  if (compiledStart) {
    const c = compiledStart;
    add("o200k, Node: compiled bytes in memory → first count ≤ 25 ms", ms(c.constructAndFirstEncodeMs), c.constructAndFirstEncodeMs <= 25);
    if (gptStart) add("o200k, Node: import → first count ≤ 0.25× gpt-tokenizer's", `${num(c.totalMs / gptStart.totalMs)}× (${ms(c.totalMs)} vs ${ms(gptStart.totalMs)})`, c.totalMs <= 0.25 * gptStart.totalMs);
    add("o200k: wasm memory after loading ≤ 12 MiB", mib(c.wasmMemoryBytes), c.wasmMemoryBytes <= 12 * 2 ** 20);
  }
  const [chromiumOurs, chromiumGpt] = ["tokenscope-compiled", "gpt-tokenizer"].map((id) => results.startChromium?.[id]);
  if (chromiumOurs?.totalMs && chromiumGpt?.totalMs) {
    const [a, b] = [median(chromiumOurs.totalMs), median(chromiumGpt.totalMs)];
    const same = chromiumOurs.count === chromiumGpt.count;
    add("o200k, Chromium: import → first count ≤ 0.25× gpt-tokenizer's", `${num(a / b)}× (${ms(a)} vs ${ms(b)})${same ? "" : ", counts differ"}`, same && a <= 0.25 * b);
  }
  const json = start("o200k", "tokenscope");
  if (json) add("o200k, Node: tokenizer.json → first count ≤ 0.6× 2026-12's 160–200 ms", ms(json.totalMs), json.totalMs <= 0.6 * 160);
  results.targets = t;
  out(
    [
      "#### Targets",
      "",
      table(["target", "measured", ""], t.map((x) => [x.what, x.measured, mark(x.ok)]), "lrl"),
      "",
      `${t.filter((x) => x.ok).length} of ${t.length} met. Whole run: ${num((Date.now() - started) / 60e3)} min.`,
    ].join("\n"),
  );
}

// Weight (section 5): the bytes a web app ships to count tokens (issue 17).
const WEIGHT_TKS = ["o200k", "gpt2", "t180k"];
async function weightSection() {
  const { compile } = await import(pathToFileURL(path.join(PKG_DIR, "train", "node.js")).href);
  const compiled = (tk) => compile(readFileSync(TOKENIZERS[tk].file()));
  results.weight = await weightRows(WEIGHT_TKS.filter(tkWanted), compiled);
  // Start: a fresh Node process from the data in memory to the first count returning.
  const START_PEERS = ["tokenscope-compiled", "tokenscope", "gpt-tokenizer", "ai-tokenizer", "tiktoken", "hf-js"];
  results.start = [];
  for (const tk of WEIGHT_TKS.filter(tkWanted)) {
    for (const id of START_PEERS.filter((p) => PEERS[p].supports(tk))) {
      const loads = [];
      for (let i = 0; i < LOAD_RUNS; i++) {
        const l = await runChild({ task: "load", peer: id, tk });
        if (!l.error) loads.push(l);
      }
      if (loads.length) results.start.push({ tk, id, ...medianLoad(loads) });
    }
  }
  // The same in Chromium, o200k: tokenscope from the compiled bytes against gpt-tokenizer.
  if (tkWanted("o200k")) {
    log("start (Chromium)…");
    const chromium = await startInChromium({ peers: ["tokenscope-compiled", "gpt-tokenizer"], tks: compiled("o200k"), runs: LOAD_RUNS, log });
    results.startChromium = chromium;
  }
  const chromiumRows = ["tokenscope-compiled", "gpt-tokenizer"]
    .filter((id) => results.startChromium?.[id])
    .map((id) => {
      const r = results.startChromium[id];
      return [PEERS[id].label, r.error ? `error: ${r.error}` : ms(median(r.totalMs)), r.error ? "" : r.totalMs.map((t) => t.toFixed(0)).join(", "), r.count ?? ""];
    });
  const kb = (n) => `${(n / 1e3).toFixed(0)} KB`;
  out(
    [
      "### What a web app ships to count tokens",
      "",
      "Code bundled for the browser as an app bundles it (esbuild, minified), plus the files it fetches (wasm, tokenizer data); gzip -9 (GNU gzip) and brotli 11 as a static host serves them. `bench/js/weight.mjs` holds each program.",
      "",
      table(
        ["tokenizer", "implementation", "gzip", "brotli", "raw", "made of (gzip)"],
        results.weight.map((r) => [TOKENIZERS[r.tk].label, r.label, kb(r.gzip), kb(r.brotli), kb(r.raw), r.parts.map((p) => `${p.what} ${kb(p.gzip)}`).join(" + ")]),
        "llrrrl",
      ),
      "",
      `### Start: import → construct → first count, Node (median of ${LOAD_RUNS} fresh processes)`,
      "",
      "From the data already in memory (as the issue measures it); wall time, and the wasm memory after it for the wasm builds.",
      "",
      table(
        ["tokenizer", "implementation", "import → first count", "import", "construct + first count", "wasm memory"],
        results.start.map((r) => [TOKENIZERS[r.tk].label, PEERS[r.id].label, ms(r.totalMs), ms(r.importMs), ms(r.constructAndFirstEncodeMs), r.wasmMemoryBytes ? mib(r.wasmMemoryBytes) : "—"]),
        "llrrrr",
      ),
      ...(chromiumRows.length
        ? [
            "",
            `### Start in Chromium, o200k (${results.startChromium.browser ?? "Chromium"}; median of ${LOAD_RUNS} fresh browser contexts)`,
            "",
            "Import (the package's modules and wasm, or gpt-tokenizer's, fetched from localhost and compiled) → construct → first count, from the data in memory.",
            "",
            table(["implementation", "import → first count", "each run (ms)", "count of \"Hello, world!\""], chromiumRows, "lrlr"),
          ]
        : []),
    ].join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------

header();
if (sections.includes("throughput")) await throughputSection();
if (sections.includes("superbpe") && SUPERBPE_TKS.some(tkWanted)) await superbpeSection();
if ((sections.includes("prose") || sections.includes("chromium")) && tkWanted(PROSE_TK)) await proseSection();
if (sections.includes("scaling")) await scalingSection();
if (sections.includes("weight")) await weightSection();
targets();
results.meta.wallS = (Date.now() - started) / 1e3;

const jsonFile = path.join(REPO, "target/bench/latest.json");
writeJson(jsonFile, results);
log(`wrote ${path.relative(REPO, jsonFile)}`);
if (opts["write-docs"]) {
  writeBetweenMarkers(path.join(REPO, "docs", "benchmarks.md"), printed.join("\n\n"));
  log("replaced the tables between docs/benchmarks.md's bench markers");
}
