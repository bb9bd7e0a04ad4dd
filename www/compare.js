// What reads several panes at once: the comparison line under each pane, the chart of every
// pane's figures, and the marks on the tokens: which of the baseline's (first pane's) tokens a
// superword replaces, and which tokens differ between panes.

import { barGroups } from "./charts.js";
import { $, appendText, fmt } from "./dom.js";
import { compareCounts, firstSegmentEndingAfter, replacedPieces } from "./segments.js";
import { state } from "./state.js";

const chartEl = $(document, "chart");

/** Brackets set per task: marking thousands of tokens at once would relayout the pane in one go. */
const BRACKET_SLICE = 1_000;

/** The comparison line of every pane with the baseline, or why there is none yet. */
export function updateComparisons() {
  const [base, ...others] = state.panes;
  if (!base) return;
  // A pane showing an error compares nothing; "…" would read as work in progress.
  const failed = (pane) => !pane.error.hidden;
  base.compare.textContent = failed(base) ? "—" : state.panes.length > 1 ? "baseline for the comparisons" : "";
  base.compare.dataset.kind = failed(base) ? "none" : "baseline";
  const baseOk = base.result && base.result.seq === state.textSeq;
  for (const pane of others) {
    const ok = pane.result && pane.result.seq === state.textSeq;
    if (failed(pane)) {
      pane.compare.textContent = "—";
      pane.compare.dataset.kind = "none";
    } else if (baseOk && ok) {
      pane.compare.textContent = compareCounts(pane.result.count, base.result.count, base.source.label);
      pane.compare.dataset.kind =
        pane.result.count < base.result.count ? "fewer" : pane.result.count > base.result.count ? "more" : "same";
    } else if (failed(base)) {
      pane.compare.textContent = base.source ? `no comparison: ${base.source.label} is not loaded` : "";
      pane.compare.dataset.kind = "none";
    } else {
      pane.compare.textContent = base.source ? `compared with ${base.source.label}: …` : "";
      pane.compare.dataset.kind = "pending";
    }
  }
}

/** The chart of every pane's figures on the current text (hidden while no pane has any). */
export function updateChart() {
  const rows = state.panes
    .filter((p) => p.result && p.result.seq === state.textSeq && p.error.hidden)
    .map((p) => ({ pane: p.index, label: p.source.label, result: p.result }));
  chartEl.hidden = rows.length === 0;
  if (rows.length) renderChart(chartEl, rows);
}

/** The figures the chart compares, per pane result. */
const CHART_METRICS = [
  { key: "tokens", label: "tokens", value: (r) => r.count, format: (v) => fmt(v), better: "lower" },
  { key: "bpt", label: "bytes per token", value: (r) => (r.count ? r.bytes / r.count : 0), format: (v) => v.toFixed(2), better: "higher" },
  { key: "cpt", label: "characters per token", value: (r) => (r.count ? r.chars / r.count : 0), format: (v) => v.toFixed(2), better: "higher" },
  { key: "tpw", label: "tokens per word", value: (r) => (r.words ? r.count / r.words : 0), format: (v) => v.toFixed(2), better: "lower" },
  { key: "sw", label: "superword tokens", value: (r) => (r.count ? (100 * r.superwords) / r.count : 0), format: (v) => `${v.toFixed(1)}%`, better: null },
];

/**
 * Draws horizontal bars, one group per metric and one bar per pane, scaled to the largest value
 * of the metric, so the panes compare at a glance (charts.js).
 * @param {HTMLElement} container
 * @param {Array<{pane: number, label: string, result: object}>} rows
 */
function renderChart(container, rows) {
  const groups = CHART_METRICS.map((m) => ({
    title: m.label + (m.better ? ` (${m.better} is better)` : ""),
    key: m.key,
    rows: rows.map((r) => {
      const value = m.value(r.result);
      return { label: r.label, pane: r.pane, value, text: m.format(value) };
    }),
  }));
  container.replaceChildren(...barGroups(groups));
}

/** Bumped by every applyComparisons: a slice of an older one stops. */
let comparisonSeq = 0;

/**
 * Marks, in every pane whose tokens are drawn, how they differ from the others, a slice per task:
 * - in a pane after the first, a superword that stands for several of the baseline's (first
 *   pane's) tokens gets ticks where those tokens end (`.replaces`, its text cut into `.piece`
 *   spans: the text content stays the text, and the ticks wrap with it);
 * - in the baseline, the tokens such a superword joins (`.merged`);
 * - in every pane, the tokens whose span a compared pane does not have as a token (`.diff`): a
 *   pane after the first is compared with the baseline, the baseline with every other pane (a
 *   baseline token is marked when any of them lacks it).
 * Only the drawn window of each pane is marked.
 */
export function applyComparisons() {
  const seq = ++comparisonSeq;
  const base = state.panes[0];
  const drawn = state.panes.filter((p) => p.result && !p.job && p.elements.length);
  for (const pane of state.panes) unmark(pane);
  if (!base || !drawn.includes(base)) return;
  const others = drawn.filter((p) => p !== base && p.result.seq === base.result.seq && p.resultText === base.resultText);
  const work = [];
  const baseDiff = new Uint8Array(base.result.segments.length);
  for (const pane of others) {
    const brackets = new Map();
    for (const [k, pieces] of replacedPieces(pane.resultText, pane.result.segments, base.result.offsets)) {
      if (pane.result.segments[k].superword) brackets.set(k, pieces);
    }
    pane.brackets = brackets;
    for (const [k, pieces] of brackets) work.push(() => markPieces(pane, k, pieces));
    for (const [k, pieces] of brackets) markMerged(base, pane, pane.result.segments[k], pieces);
    const diff = unmatched(pane.result, base.result);
    pane.diffs = diff.indices;
    for (const k of diff.indices) work.push(() => pane.elements[k]?.classList.add("diff"));
    unmatched(base.result, pane.result).indices.forEach((k) => (baseDiff[k] = 1));
  }
  base.diffs = [];
  baseDiff.forEach((d, k) => d && base.diffs.push(k));
  for (const k of base.diffs) work.push(() => base.elements[k]?.classList.add("diff"));
  for (const [k] of base.partOf) {
    work.push(() => {
      const el = base.elements[k];
      if (!el) return;
      el.classList.add("merged");
      const prev = base.partOf.get(k - 1);
      const next = base.partOf.get(k + 1);
      const group = base.partOf.get(k);
      if (prev?.seg !== group.seg) el.classList.add("merged-first");
      if (next?.seg !== group.seg) el.classList.add("merged-last");
    });
  }
  let next = 0;
  const run = () => {
    if (seq !== comparisonSeq) return; // superseded
    for (const stop = Math.min(work.length, next + BRACKET_SLICE); next < stop; next++) work[next]();
    if (next < work.length) setTimeout(run, 0);
  };
  run();
}

/** Takes the marks of the last applyComparisons off the pane's drawn tokens. */
function unmark(pane) {
  for (const k of pane.brackets.keys()) {
    const el = pane.elements[k];
    if (!el) continue;
    el.classList.remove("replaces");
    const seg = pane.result.segments[k];
    el.replaceChildren();
    appendText(el, pane.resultText.slice(seg.shownStart, seg.shownEnd), state.options.ws);
  }
  for (const k of pane.diffs) pane.elements[k]?.classList.remove("diff");
  for (const k of pane.partOf.keys()) pane.elements[k]?.classList.remove("merged", "merged-first", "merged-last");
  pane.brackets = new Map();
  pane.diffs = [];
  pane.partOf = new Map();
}

/** Cuts a superword's text into the baseline's pieces (style.css draws a tick between them). */
function markPieces(pane, k, pieces) {
  const el = pane.elements[k];
  if (!el) return;
  el.classList.add("replaces");
  el.replaceChildren(
    ...pieces.map((piece) => {
      const span = document.createElement("span");
      span.className = "piece";
      appendText(span, piece, state.options.ws);
      return span;
    }),
  );
}

/** Notes, in the baseline, the tokens that `pane`'s superword `seg` joins. */
function markMerged(base, pane, seg, pieces) {
  const segs = base.result.segments;
  const text = pane.resultText.slice(seg.start, seg.end);
  for (let j = firstSegmentEndingAfter(segs, seg.start); j < segs.length && segs[j].shownStart < seg.end; j++) {
    if (segs[j].kind === "token") base.partOf.set(j, { seg, text, pieces: pieces.length, pane: pane.index, label: pane.source.label });
  }
}

/**
 * The drawn tokens of `result` whose [start, end) span no token of `other` has (a two-pointer
 * walk over both sorted span lists: O(window + the other's tokens up to the window's end)).
 * Tokens with no text of their own (a post-processor's [CLS], BOS, [SEP] at (0, 0)) are never
 * marked: they would break the order of the spans.
 * @returns {{indices: number[]}} segment indices
 */
function unmatched(result, other) {
  const indices = [];
  const theirs = other.offsets;
  const m = theirs.length >> 1;
  let j = 0;
  result.segments.forEach((seg, k) => {
    if (seg.kind !== "token") return;
    const start = result.offsets[2 * seg.index];
    const end = result.offsets[2 * seg.index + 1];
    if (end <= start) return;
    while (j < m && (theirs[2 * j] < start || theirs[2 * j + 1] <= theirs[2 * j] || (theirs[2 * j] === start && theirs[2 * j + 1] < end))) j++;
    if (j >= m || theirs[2 * j] !== start || theirs[2 * j + 1] !== end) indices.push(k);
  });
  return { indices };
}
