// What reads several panes at once: the comparison line under each pane, the chart of every
// pane's figures, and the brackets that show which of the baseline's (first pane's) tokens a
// pane's token replaces.

import { $, fmt } from "./dom.js";
import { compareCounts, replacedPieces } from "./segments.js";
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
 * of the metric, so the panes compare at a glance. Plain elements (no canvas): readable by screen
 * readers, and each bar carries its number.
 * @param {HTMLElement} container
 * @param {Array<{pane: number, label: string, result: object}>} rows
 */
function renderChart(container, rows) {
  const groups = CHART_METRICS.map((m) => {
    const values = rows.map((r) => m.value(r.result));
    const max = Math.max(...values, 1e-9);
    const group = document.createElement("div");
    group.className = "chart-group";
    group.dataset.metric = m.key;
    const title = document.createElement("h3");
    title.textContent = m.label + (m.better ? ` (${m.better} is better)` : "");
    group.append(title);
    rows.forEach((r, i) => {
      const row = document.createElement("div");
      row.className = "chart-row";
      const name = document.createElement("span");
      name.className = "chart-name";
      name.textContent = r.label;
      const track = document.createElement("span");
      track.className = "chart-track";
      const bar = document.createElement("span");
      bar.className = `chart-bar p${r.pane}`;
      bar.style.width = `${(100 * values[i]) / max}%`;
      track.append(bar);
      const value = document.createElement("span");
      value.className = "chart-value";
      value.textContent = m.format(values[i]);
      value.dataset.value = String(values[i]);
      row.append(name, track, value);
      group.append(row);
    });
    return group;
  });
  container.replaceChildren(...groups);
}

/** Marks, in `pane`, the tokens that stand for several tokens of the baseline (first) pane, with
 * the baseline's pieces drawn under them; a slice per task. */
export function applyBrackets(pane) {
  for (const k of pane.brackets.keys()) {
    const el = pane.elements[k];
    if (el) {
      el.classList.remove("replaces");
      delete el.dataset.pieces;
    }
  }
  pane.brackets = new Map();
  const base = state.panes[0];
  if (pane === base || !pane.result || !base?.result || pane.result.seq !== base.result.seq || pane.resultText !== base.resultText) return;
  const brackets = replacedPieces(pane.resultText, pane.result.segments, base.result.offsets);
  pane.brackets = brackets;
  const entries = [...brackets];
  let next = 0;
  const run = () => {
    if (pane.brackets !== brackets) return; // superseded
    for (const stop = Math.min(entries.length, next + BRACKET_SLICE); next < stop; next++) {
      const [k, pieces] = entries[next];
      const el = pane.elements[k];
      if (!el) continue;
      el.classList.add("replaces");
      // Drawn by CSS (::after) from the attribute: the pane's text content stays the text.
      el.dataset.pieces = pieces.join("│");
    }
    if (next < entries.length) setTimeout(run, 0);
  };
  run();
}
