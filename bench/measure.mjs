// Timing and memory primitives, and the runner that puts each measurement in a fresh process.
//
// Every (peer, tokenizer) pair is measured in its own child process (bench/child.mjs): load time
// and memory are then those of a cold start, and one peer's JIT state, heap and module cache
// (gpt-tokenizer's 100k-entry merge cache, hundreds of MB of JS ranks) cannot slow the next one.

import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

// The child runs with --expose-gc; the parent does not need it.
const gc = globalThis.gc ?? (() => {});

export const now = () => performance.now();

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times `fn`: one warm-up call (JIT, caches, wasm memory growth), then `runs` samples; returns
 * milliseconds per call as `{ median, min, max, samples, warmup, reps }`.
 * - `minSampleMs`: a sample repeats `fn` until it lasts that long (a 10 KB encode takes
 *   microseconds, under the timer's resolution and noise); `reps` is calls per sample.
 * - `budgetMs`: the runs shrink to what fits (at least 1); a warm-up slower than `budgetMs / 2`
 *   is itself the only sample, since quadratic peers take tens of seconds on 100 KB.
 * - `before`: called untimed before the warm-up and each sample (emptying a peer's cache).
 * GC runs before each sample so one sample's garbage is not collected during the next.
 */
export function timeCalls(fn, { runs = 5, minSampleMs = 0, budgetMs = Infinity, before = () => {} } = {}) {
  before();
  gc();
  let t = now();
  fn();
  const warmup = now() - t;
  if (warmup > budgetMs / 2) return { median: warmup, min: warmup, max: warmup, samples: [warmup], warmup, reps: 1 };
  const reps = Math.max(1, Math.ceil(minSampleMs / Math.max(warmup, 1e-3)));
  const n = Math.max(1, Math.min(runs, Math.floor(budgetMs / Math.max(warmup * reps, 1e-3))));
  const samples = [];
  for (let i = 0; i < n; i++) {
    before();
    gc();
    t = now();
    for (let r = 0; r < reps; r++) fn();
    samples.push((now() - t) / reps);
  }
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples, warmup, reps };
}

/** `process.memoryUsage()` after a full GC (bytes). */
export function memorySnapshot() {
  gc();
  gc();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

export function memoryDelta(before, after) {
  return Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]]));
}

/**
 * Runs one job in a fresh `node` (bench/child.mjs) and resolves to its JSON result, or to
 * `{ error }` when it fails or outlives `timeoutMs`; the bench reports that and goes on.
 * --max-semi-space-size gives the young generation room for the allocation probe (a 64 MB
 * semi-space is not filled by encoding 100 KB, so heapUsed deltas are not hidden by a scavenge).
 */
export function runChild(job, { timeoutMs = 15 * 60_000 } = {}) {
  const args = ["--expose-gc", "--max-semi-space-size=64", path.join(HERE, "child.mjs"), JSON.stringify(job)];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const last = stdout.trim().split("\n").pop();
      if (!err) {
        try {
          return resolve(JSON.parse(last));
        } catch {}
      }
      const why = err?.killed ? `timed out after ${timeoutMs / 1000} s` : (stderr.trim().split("\n").slice(-3).join(" ") || String(err));
      resolve({ error: why });
    });
  });
}
