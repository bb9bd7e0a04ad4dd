// Memory primitives and the runner that puts each measurement in a fresh process (the timing
// primitives live in timing.mjs, shared with the Chromium page, and are re-exported here).
//
// Every (peer, tokenizer) pair is measured in its own child process (bench/js/child.mjs): load
// time and memory are then those of a cold start, and one peer's JIT state, heap and module cache
// (gpt-tokenizer's 100k-entry merge cache, hundreds of MB of JS ranks) cannot slow the next one.

import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export { median, now, timeCalls } from "./timing.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
// The child runs with --expose-gc; the parent does not need it.
const gc = globalThis.gc ?? (() => {});

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
 * Runs one job in a fresh `node` (bench/js/child.mjs) and resolves to its JSON result, or to
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
