// DOM building for one pane. Token strings and text only ever reach the DOM through
// textContent / text nodes (a token string can be "<script>"), never through innerHTML.

import { whitespaceRuns } from "./segments.js";

/** Number of background colours cycled by token index (style.css defines .c0 … .c5). */
export const PALETTE_SIZE = 6;

const NUMBER = new Intl.NumberFormat("en-US");
export const fmt = (n) => NUMBER.format(n);

// Glyph drawn for each whitespace run (style.css puts it in ::before and shrinks spaces, CRs and
// other blanks to zero width); the real characters stay in the DOM, so textContent is the text.
const GLYPH = { space: "·", tab: "→", newline: "↵", cr: "␍", other: "⍽" };

function appendText(parent, str, showWhitespace) {
  if (!showWhitespace) {
    if (str) parent.append(str);
    return;
  }
  for (const run of whitespaceRuns(str)) {
    if (run.ws === null) {
      parent.append(run.text);
      continue;
    }
    const ws = document.createElement("span");
    ws.className = `ws ws-${run.ws}`;
    ws.setAttribute("data-g", run.ws === "space" ? GLYPH.space.repeat(run.text.length) : GLYPH[run.ws]);
    ws.textContent = run.text;
    parent.append(ws);
  }
}

/** Tokens per block: text is cut into blocks at line ends so the browser can skip laying out
 * blocks that are scrolled out of view (`content-visibility: auto` in style.css). One block of
 * 20,000 spans costs ~0.5 s of layout on every hover or scroll; blocks of a few hundred, ~nothing. */
const BLOCK_TOKENS = 256;
/** A paragraph with no line break for this many tokens is cut after a token ending in
 * whitespace (and at twice this many, anywhere): the shown text then breaks its line early once
 * per ~1,000 tokens, which is the price of keeping a 1 MB single-line paste responsive. */
const BLOCK_TOKENS_MAX = 1_024;

/**
 * Renders a pane's tokens into `container` a slice at a time, so a window of thousands of tokens never
 * holds the main thread for long: each `step(n)` builds the next `n` tokens' spans (plain
 * createElement / text nodes, in a DocumentFragment) and appends them.
 *
 * Spans are grouped into `div.block`s that end after a token ending in a line break, so the
 * blocks stack exactly as the continuous text would wrap, and the browser can skip laying out
 * blocks that are scrolled out of view (`content-visibility: auto` in style.css).
 *
 * @param {HTMLElement} container emptied at once
 * @param {string} text the text that was encoded
 * @param {object} result an "encoded" message from worker.js
 * @param {{showWhitespace: boolean, ids?: HTMLElement | null}} options `ids`: a container that
 *   also receives one chip per token (its id, `data-k` = segment index), emptied at once
 * @returns {{elements: HTMLElement[], segmentOf: WeakMap<Element, number>,
 *   step: (maxTokens: number) => boolean}} `elements[k]` is the element of `result.segments[k]`
 *   once rendered; `segmentOf` maps a `.tok` element back to its segment index; `step` returns
 *   true when everything is rendered.
 */
export function createRenderer(container, text, result, { showWhitespace, ids = null }) {
  const segments = result.segments;
  const elements = new Array(segments.length);
  const segmentOf = new WeakMap();
  let next = 0;
  let block = null;
  let inBlock = 0;
  container.replaceChildren();
  ids?.replaceChildren();

  function step(maxTokens) {
    const chips = ids ? document.createDocumentFragment() : null;
    // Resumed after more segments were appended: the "more" marker goes, the spans continue.
    container.querySelector(":scope .more")?.remove();
    // New blocks are built in a fragment; the block left open by the previous step is already
    // the container's last child and simply receives more spans.
    const frag = document.createDocumentFragment();
    const stop = Math.min(segments.length, next + maxTokens);
    for (; next < stop; next++) {
      const seg = segments[next];
      if (!block) {
        block = document.createElement("div");
        block.className = "block";
        inBlock = 0;
        frag.append(block);
      }
      const shown = text.slice(seg.shownStart, seg.shownEnd);
      const el = document.createElement("span");
      if (seg.kind === "gap") {
        el.className = "gap";
      } else {
        let cls = `tok c${seg.index % PALETTE_SIZE}`;
        if (seg.superword) cls += " superword";
        if (shown === "") cls += " shared";
        el.className = cls;
        el.setAttribute("data-id", result.ids[seg.index]);
        el.setAttribute("data-start", seg.start);
        el.setAttribute("data-end", seg.end);
        segmentOf.set(el, next);
        if (chips) {
          const chip = document.createElement("span");
          chip.className = `id c${seg.index % PALETTE_SIZE}`;
          chip.dataset.k = String(next);
          chip.textContent = String(result.ids[seg.index]);
          chip.title = result.labels[seg.index];
          chips.append(chip, " ");
        }
      }
      appendText(el, shown, showWhitespace);
      block.append(el);
      elements[next] = el;
      inBlock++;
      if (
        (inBlock >= BLOCK_TOKENS && shown.endsWith("\n")) ||
        (inBlock >= BLOCK_TOKENS_MAX && /\s$/.test(shown)) ||
        inBlock >= 2 * BLOCK_TOKENS_MAX
      ) {
        block = null;
      }
    }
    const done = next >= segments.length;
    if (done && result.truncated) {
      const more = document.createElement("span");
      more.className = "more";
      more.textContent = " … (scroll on for more)";
      (block ?? frag).append(more);
    }
    container.append(frag);
    if (chips) ids.append(chips);
    return done;
  }

  return { elements, segmentOf, step };
}

/**
 * One-line description of a token for the pane's info line. The token's text is its bytes
 * decoded, with a partial UTF-8 character shown as hex (`<E6 97>`), never U+FFFD.
 * @param {object} result an "encoded" message
 * @param {object} seg the token's segment
 * @param {string[]} [pieces] the baseline's tokens this token replaces, if any
 * @returns {string}
 */
export function describeToken(result, seg, pieces) {
  const index = seg.index;
  const bytes = result.byteLens[index];
  const parts = [
    `token ${fmt(index + 1)}`,
    `id ${result.ids[index]}`,
    // JSON quoting shows control characters and quotes unambiguously; hex stays as it is.
    /^<[0-9A-F ]+>$/.test(result.labels[index]) ? result.labels[index] : JSON.stringify(result.labels[index]),
    `vocab ${JSON.stringify(result.tokens[index])}`,
    `${bytes} ${bytes === 1 ? "byte" : "bytes"}`,
    `text [${seg.start}, ${seg.end})`,
  ];
  if (pieces) parts.push(`replaces ${pieces.length} tokens of the first pane: ${pieces.map((p) => JSON.stringify(p)).join(" ")}`);
  return parts.join(" · ");
}

/** The figures the chart compares, per pane result. */
export const CHART_METRICS = [
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
export function renderChart(container, rows) {
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
