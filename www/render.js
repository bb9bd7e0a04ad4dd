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
 * Renders a pane's tokens into `container` a slice at a time, so a 20,000-token result never
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
 * @param {{showWhitespace: boolean}} options
 * @returns {{elements: HTMLElement[], segmentOf: WeakMap<Element, number>,
 *   step: (maxTokens: number) => boolean}} `elements[k]` is the element of `result.segments[k]`
 *   once rendered; `segmentOf` maps a `.tok` element back to its segment index; `step` returns
 *   true when everything is rendered.
 */
export function createRenderer(container, text, result, { showWhitespace }) {
  const segments = result.segments;
  const elements = new Array(segments.length);
  const segmentOf = new WeakMap();
  let next = 0;
  let block = null;
  let inBlock = 0;
  container.replaceChildren();

  function step(maxTokens) {
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
      more.textContent = "…";
      (block ?? frag).append(more);
    }
    container.append(frag);
    return done;
  }

  return { elements, segmentOf, step };
}

/**
 * One-line description of a token for the pane's info line.
 * @param {object} result an "encoded" message
 * @param {object} seg the token's segment
 * @returns {string}
 */
export function describeToken(result, seg) {
  const index = seg.index;
  const bytes = result.byteLens[index];
  const parts = [
    `token ${fmt(index + 1)}`,
    `id ${result.ids[index]}`,
    // JSON quoting shows control characters and quotes in a token string unambiguously.
    JSON.stringify(result.tokens[index]),
    `${bytes} ${bytes === 1 ? "byte" : "bytes"}`,
    `text [${seg.start}, ${seg.end})`,
  ];
  return parts.join(" · ");
}
