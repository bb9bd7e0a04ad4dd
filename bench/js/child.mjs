// One measurement job in a fresh process (started by measure.mjs's runChild, with --expose-gc):
//
//   node --expose-gc bench/js/child.mjs '{"task":"throughput", "peer":..., "tk":..., ...}'
//
// Prints one JSON line (the result) on stdout. Tasks:
//   load        cold load only (the parent runs it again for a median of cold starts)
//   throughput  cold load (import, construct, first encode; memory), then the corpus: ids written
//               to `idsOut` for the parent to compare, MB/s of encode (and count), line by line,
//               and the allocation probe.
//   scaling     the worst-case inputs at each size, per-byte time.
//   passes      the prose section (passes.mjs): English prose and short texts, caches warm and cold.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildCorpus, proseWorkloads } from "./corpus.mjs";
import { worstCase } from "./inputs.mjs";
import { memoryDelta, memorySnapshot, now, timeCalls } from "./measure.mjs";
import { measurePasses } from "./passes.mjs";
import { PEERS } from "./peers.mjs";

const SHORT = "Hello, world! Time to first encode.";
const utf8Len = (s) => Buffer.byteLength(s, "utf8");
const mbPerS = (bytes, ms) => bytes / 1e6 / (ms / 1e3);

const job = JSON.parse(process.argv[2]);
const peer = PEERS[job.peer];

// Cold load, from the data already in memory to the first short encode returning: the first
// thing a fresh process does. Wall-clock time (what a user waits), and CPU time beside it.
async function coldLoad() {
  const data = await peer.prepare(job.tk);
  const before = memorySnapshot();
  const c0 = process.cpuUsage();
  const t0 = now();
  const lib = await peer.import();
  const t1 = now();
  const inst = await peer.create(lib, job.tk, data);
  inst.encode(SHORT);
  const t2 = now();
  const cpu = process.cpuUsage(c0);
  const load = {
    importMs: t1 - t0,
    constructAndFirstEncodeMs: t2 - t1,
    totalMs: t2 - t0,
    totalCpuMs: (cpu.user + cpu.system) / 1e3,
    memory: memoryDelta(before, memorySnapshot()),
    wasmMemoryBytes: inst.wasmMemoryBytes?.() ?? null,
  };
  return { inst, load };
}

async function load() {
  return (await coldLoad()).load;
}

async function throughput() {
  const { inst, load } = await coldLoad();

  const corpus = buildCorpus(job.corpus).text;
  const bytes = utf8Len(corpus);

  // First pass: the ids (compared with tokenscope's in the parent), and the warm-up of the
  // timed runs (JIT; caches empty, as before each run).
  const clear = inst.clearCache ?? (() => {});
  let t = now();
  const ids = inst.encode(corpus);
  const firstPassMs = now() - t;
  writeFileSync(job.idsOut, Uint32Array.from(ids));
  const tokens = ids.length;

  const encode = timeCalls(() => inst.encode(corpus), { runs: job.runs, before: clear, estimateMs: firstPassMs });
  const encodeIds = inst.encodeIds ? timeCalls(() => inst.encodeIds(corpus), { runs: job.runs, before: clear }) : null;
  const idsOnly = inst.encodeIds ? inst.encodeIds(corpus) : null;
  const count = inst.count ? timeCalls(() => inst.count(corpus), { runs: job.runs, before: clear }) : null;
  const countValue = inst.count ? inst.count(corpus) : null;

  // Extras, for the o200k/cl100k tables only (they cost passes over the corpus, and the slowest
  // peer takes 10 s a pass). Cache kept: what a second pass over the same text costs the caching
  // peers (the cache is full from the runs above, so no warm-up). Line by line: the same bytes as
  // many short calls, where per-call overhead (crossing into wasm, result objects) shows.
  let encodeWarm = null;
  let byLines = null;
  let lines = [];
  let alloc = null;
  if (job.extras) {
    if (inst.clearCache) encodeWarm = timeCalls(() => inst.encode(corpus), { runs: 3, estimateMs: encode.wallMedian });
    lines = corpus.split("\n").filter((l) => l.length > 0);
    byLines = timeCalls(() => {
      for (const l of lines) inst.encode(l);
    }, { runs: 3, before: clear });
    alloc = inst.count ? allocationProbe(inst, corpus) : null;
  }

  return {
    bytes,
    tokens,
    load,
    firstPass: { ms: firstPassMs, mbPerS: mbPerS(bytes, firstPassMs) },
    encode: { ...encode, mbPerS: mbPerS(bytes, encode.median), wallMbPerS: mbPerS(bytes, encode.wallMedian) },
    encodeWarmCache: encodeWarm && { ...encodeWarm, mbPerS: mbPerS(bytes, encodeWarm.median) },
    encodeIds: encodeIds && {
      ...encodeIds,
      mbPerS: mbPerS(bytes, encodeIds.median),
      wallMbPerS: mbPerS(bytes, encodeIds.wallMedian),
      equal: idsOnly.length === ids.length && idsOnly.every((id, i) => id === ids[i]),
    },
    count: count && { ...count, mbPerS: mbPerS(bytes, count.median), wallMbPerS: mbPerS(bytes, count.wallMedian), value: countValue },
    lines: byLines && { ...byLines, count: lines.length, mbPerS: mbPerS(utf8Len(lines.join("")), byLines.median) },
    alloc,
    wasmMemoryAfterCorpusBytes: inst.wasmMemoryBytes?.() ?? null,
  };
}

// JS heap and ArrayBuffer bytes left by one call on ~100 KB of the corpus, per token; min of 5
// (a stray allocation elsewhere only adds). The child's 64 MB young generation keeps a scavenge
// from freeing the call's garbage mid-measurement. "count allocates no per-token JS objects"
// shows as heap bytes per token near 0.
function allocationProbe(inst, corpus) {
  const cut = corpus.indexOf("\n", 100_000);
  const sample = corpus.slice(0, cut < 0 ? corpus.length : cut);
  const tokens = inst.count(sample);
  const probe = (fn) => {
    let heap = Infinity;
    let arrayBuffers = Infinity;
    for (let i = 0; i < 5; i++) {
      const m0 = memorySnapshot();
      const keep = fn(sample);
      const { heapUsed, arrayBuffers: ab } = process.memoryUsage();
      heap = Math.min(heap, heapUsed - m0.heapUsed);
      arrayBuffers = Math.min(arrayBuffers, ab - m0.arrayBuffers);
      if (keep === undefined) throw new Error("unreachable"); // keeps the result alive until measured
    }
    return { heapBytesPerToken: heap / tokens, arrayBufferBytesPerToken: arrayBuffers / tokens };
  };
  return { sampleBytes: utf8Len(sample), tokens, encode: probe(inst.encode), count: probe(inst.count) };
}

async function scaling() {
  const inst = await peer.create(await peer.import(), job.tk, await peer.prepare(job.tk));
  inst.disableCache?.();
  // tokenscope's cache cannot be turned off: each sample is then one call on a fresh instance,
  // after a warm-up of 1 MiB of each kind (other seeds) that tiers the merge loop up (timeCalls'
  // own warm-up would rebuild before each call, and calls on a kept instance only hit the cache).
  const fresh = inst.disableCache ? undefined : inst.clearCache;
  if (fresh) for (const kind of job.kinds) inst.encode(worstCase(kind, 1 << 20, 1));
  const out = {};
  for (const kind of job.kinds) {
    out[kind] = [];
    let prev = null;
    let failed = false;
    for (const size of job.sizes) {
      if (failed) {
        out[kind].push({ size, skipped: true, afterError: true });
        continue;
      }
      // Linear extrapolation of CPU time from the previous size; a quadratic peer would take
      // longer still.
      if (prev && prev.ms * (size / prev.size) > job.callBudgetMs) {
        out[kind].push({ size, skipped: true, estimatedMs: prev.ms * (size / prev.size) });
        continue;
      }
      const input = worstCase(kind, size);
      try {
        let tokens;
        const call = () => (tokens = inst.encode(input).length);
        const r = fresh
          ? timeCalls(call, { runs: job.runs, before: fresh, budgetMs: job.cellBudgetMs, warmupMinMs: 0 })
          : timeCalls(call, { runs: job.runs, minSampleMs: 50, budgetMs: job.cellBudgetMs });
        const kib = utf8Len(input) / 1024;
        out[kind].push({ size, bytes: utf8Len(input), ms: r.median, wallMs: r.wallMedian, usPerKB: (r.median * 1e3) / kib, wallUsPerKB: (r.wallMedian * 1e3) / kib, tokens, samples: r.samples.length, reps: r.reps });
        prev = { size, ms: r.median };
      } catch (e) {
        out[kind].push({ size, error: String(e?.message ?? e).slice(0, 200) });
        failed = true;
      }
    }
  }
  return out;
}

// The reference ids are tokenscope's, written by the parent (run.mjs) as `${refDir}/${name}.u32`.
async function passes() {
  const inst = await peer.create(await peer.import(), job.tk, await peer.prepare(job.tk));
  const ref = (name) => new Uint32Array(readFileSync(path.join(job.refDir, `${name}.u32`)).buffer.slice(0));
  return measurePasses(inst, proseWorkloads({ quick: job.quick }), { runs: job.runs, warmupMs: job.warmupMs, ref });
}

const tasks = { load, throughput, scaling, passes };
const result = await tasks[job.task]();
process.stdout.write(`${JSON.stringify(result)}\n`);
// Some libraries leave handles (workers, timers); the result is out, so do not wait for them.
process.exit(0);
