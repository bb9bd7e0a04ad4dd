// The prose section's measurement (English prose, documents, short texts; corpus.mjs's
// proseWorkloads), runtime-neutral: a Node child (child.mjs) and a Chromium page
// (browser/page.mjs) run this same code on the same texts, so their tables differ by the engine.
//
// For each workload, first the ids: every call's ids, flattened (SEP after each call), are
// compared with tokenscope's; an implementation whose ids differ is reported, not timed. Then each
// call (count, encodeIds, encode: whichever the adapter has) makes passes over all the texts:
//   warm  the same instance again and again (its caches filled by the passes before), as an app
//         that keeps one tokenizer runs;
//   cold  each timed pass the first on an emptied cache (`clearCache`: a fresh instance or the
//         peer's own clear), after the warm passes, so the JIT is warm: what the cache is worth.
// An implementation without a cache (no clearCache) has warm figures only.

import { clock, timeCalls } from "./timing.mjs";

/** Follows each call's ids in a flattened list; no token has this id. */
export const SEP = 0xffffffff;
export const CALLS = ["count", "encodeIds", "encode"];

export function flatIds(encode, texts) {
  const out = [];
  for (const t of texts) {
    for (const id of encode(t)) out.push(id);
    out.push(SEP);
  }
  return Uint32Array.from(out);
}

/** null when `ids` equals `ref`, else where they part. */
export function firstDifference(ref, ids) {
  const n = Math.min(ref.length, ids.length);
  let i = 0;
  while (i < n && ref[i] === ids[i]) i++;
  return i === n && ref.length === ids.length ? null : { firstDiff: i, refLen: ref.length, len: ids.length };
}

/**
 * Measures `inst` (an adapter, adapters.mjs) on `workloads` ([{ name, texts, bytes }]).
 * `ref(name)`: tokenscope's flattened ids for the workload. `warmupMs`: the least time of warm
 * passes before the warm samples. Returns { clock, [name]: { calls, bytes, tokens, ids, count?,
 * encodeIds?, encode? } }, each call { warm, cold } of { ms, wallMs, mbPerS, usPerCall, runs }.
 */
export function measurePasses(inst, workloads, { runs, warmupMs = 300, ref }) {
  const out = { clock };
  for (const w of workloads) {
    const ids = flatIds(inst.encode, w.texts);
    const diff = firstDifference(ref(w.name), ids);
    const r = (out[w.name] = { calls: w.texts.length, bytes: w.bytes, tokens: ids.length - w.texts.length, ids: diff ?? { equal: true } });
    if (diff) continue;
    for (const call of CALLS.filter((c) => inst[c])) {
      const fn = inst[call];
      let tokens = 0;
      const pass = () => {
        tokens = 0;
        for (const t of w.texts) {
          const x = fn(t);
          tokens += typeof x === "number" ? x : x.length;
        }
      };
      const per = (t) => ({ ms: t.median, wallMs: t.wallMedian, mbPerS: w.bytes / 1e3 / t.median, usPerCall: (t.median * 1e3) / w.texts.length, runs: t.samples.length });
      const warm = timeCalls(pass, { runs, warmupMinMs: warmupMs });
      const cold = inst.clearCache ? timeCalls(pass, { runs, before: inst.clearCache, estimateMs: warm.median }) : null;
      // A count that disagrees with the ids' length is shown beside the figures.
      r[call] = { warm: per(warm), cold: cold && per(cold), tokensAgree: tokens === r.tokens };
    }
  }
  return out;
}
