// Timing primitives, runtime-neutral: Node (child.mjs) and a Chromium page (browser/page.mjs) time
// with the same code, so the two columns of the prose section differ by the engine alone. In Node
// samples are process CPU time; in a page, where no CPU clock exists, they are wall time.

// The child runs with --expose-gc (a page with --js-flags=--expose-gc); the parent does not need it.
const gc = globalThis.gc ?? (() => {});

export const now = () => performance.now();

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Process CPU time (user + system, all threads) in ms. Samples are timed on it as well as on the
// wall clock, and the medians reported are CPU time: this machine is shared (load average 5-6
// on 2 cores while others compile), and a 100 KiB encode measured 47-90 ms wall but 31-34 ms CPU
// in one run. CPU time counts V8's helper threads too (GC, tier-up compiles), which a wall clock
// on an idle machine would partly hide: JS peers that allocate much are charged for their GC.
// In a browser there is no process: wall time stands in (`clock` says which).
const cpuMs = globalThis.process?.cpuUsage
  ? () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e3;
    }
  : now;
export const clock = globalThis.process?.cpuUsage ? "cpu" : "wall";

/**
 * Times `fn`; returns milliseconds per call: `median`, `min`, `max`, `samples` (CPU time),
 * `wallMedian`, `wallSamples`, `warmupCalls`, `reps`.
 * - Warm-up: calls until `warmupMinMs` have passed (at least one). V8 first runs wasm through its
 *   baseline compiler and tiers hot functions up in the background: tokenscope's first 10 KiB
 *   calls took 20-60 ms, later ones 3 ms. `estimateMs` skips the warm-up (the caller made one
 *   call that long, e.g. the ids pass over the corpus).
 * - `minSampleMs`: a sample repeats `fn` until it lasts that long (a 10 KiB encode takes a few
 *   ms, near the noise of a shared machine); `reps` is calls per sample.
 * - `budgetMs` (CPU ms): the runs shrink to what fits (at least 1); a call slower than
 *   `budgetMs / 2` is itself the only sample, since quadratic peers take tens of seconds on 100 KiB.
 * - `before`: called untimed before each call of the warm-up and each sample (emptying caches).
 * GC runs before each sample so one sample's garbage is not collected during the next.
 */
export function timeCalls(fn, { runs = 5, minSampleMs = 0, budgetMs = Infinity, before = () => {}, estimateMs, warmupMinMs = 300 } = {}) {
  // Decisions (reps, runs, a lone sample) go by the CPU time of the last warm-up call: one call
  // of tokenscope on 1 MiB took 16 s wall for 3.4 s CPU while another engineer's build ran,
  // and on the wall clock it would have been the cell's only sample.
  let per = estimateMs;
  let warmupCalls = 0;
  if (per === undefined) {
    const start = now();
    do {
      before();
      gc();
      const c = cpuMs();
      const t = now();
      fn();
      const wall = now() - t;
      per = cpuMs() - c;
      warmupCalls++;
      if (per > budgetMs / 2) {
        return { median: per, min: per, max: per, samples: [per], wallMedian: wall, wallSamples: [wall], warmupCalls: 0, reps: 1 };
      }
    } while (now() - start < warmupMinMs);
  }
  const reps = Math.max(1, Math.ceil(minSampleMs / Math.max(per, 1e-3)));
  const n = Math.max(1, Math.min(runs, Math.floor(budgetMs / Math.max(per * reps, 1e-3))));
  const samples = [];
  const wallSamples = [];
  for (let i = 0; i < n; i++) {
    before();
    gc();
    const c = cpuMs();
    const t = now();
    for (let r = 0; r < reps; r++) fn();
    wallSamples.push((now() - t) / reps);
    samples.push((cpuMs() - c) / reps);
  }
  return {
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples,
    wallMedian: median(wallSamples),
    wallSamples,
    warmupCalls,
    reps,
  };
}
