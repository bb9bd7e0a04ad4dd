// Drawing a pane's result: its token spans (and id chips), built a slice per task so that a
// window of thousands of tokens never holds the main thread for long; the next window asked of
// the worker when the end of the shown tokens scrolls into view; the pane's status line. Token
// strings and text only ever reach the DOM through textContent / text nodes (a token string can
// be "<script>"), never through innerHTML.

import { applyBrackets } from "./compare.js";
import { fmt } from "./dom.js";
import { clearHover } from "./hover.js";
import { whitespaceRuns } from "./segments.js";
import { INFO_HINT, RENDER_LIMIT, isCurrent, state } from "./state.js";
import { MORE } from "./workers/protocol.js";

/** Number of background colours cycled by token index (style.css defines .c0 … .c5). */
const PALETTE_SIZE = 6;
/** Spans built per task: about 10 ms of main-thread work on a slow machine, so input, hover and
 * scrolling stay responsive while a window of tokens is drawn. */
const RENDER_SLICE = 1_500;

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
 * @param {import("./workers/protocol.js").Encoded} result the pane's result (windows appended)
 * @param {{showWhitespace: boolean, ids?: HTMLElement | null}} options `ids`: a container that
 *   also receives one chip per token (its id, `data-k` = segment index), emptied at once
 * @returns {{elements: HTMLElement[], segmentOf: WeakMap<Element, number>,
 *   step: (maxTokens: number) => boolean}} `elements[k]` is the element of `result.segments[k]`
 *   once rendered; `segmentOf` maps a `.tok` element back to its segment index; `step` returns
 *   true when everything is rendered.
 */
function createRenderer(container, text, result, { showWhitespace, ids = null }) {
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
        el.setAttribute("data-id", String(result.ids[seg.index]));
        el.setAttribute("data-start", String(seg.start));
        el.setAttribute("data-end", String(seg.end));
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
 * The pane's status line (`data-state` for styling and tests); the load progress bar shows only
 * while loading.
 * @param {"loading" | "encoding" | "rendering" | "ready" | "error"} kind
 */
export function setStatus(pane, kind, label) {
  pane.status.dataset.state = kind;
  pane.status.textContent = label ?? kind;
  if (kind !== "loading") pane.progress.hidden = true;
}

/** Empties the pane's result: tokens, ids, figures, hover, brackets. */
export function clearResult(pane) {
  clearHover(pane);
  pane.endObserver?.disconnect();
  pane.renderer = null;
  pane.job = null;
  pane.result = null;
  pane.resultText = "";
  pane.elements = [];
  pane.segmentOf = new WeakMap();
  pane.tokens.replaceChildren();
  pane.truncated.hidden = true;
  pane.count.textContent = "–";
  delete pane.count.dataset.value;
  pane.chars.textContent = "–";
  pane.bpt.textContent = "–";
  pane.timing.textContent = "";
  pane.info.textContent = INFO_HINT;
  pane.ids.replaceChildren();
  pane.frequentBox.hidden = true;
  pane.active = -1;
  pane.brackets = new Map();
}

/** Draws the pane's result a slice per task (again from the start: a new result or a toggle);
 * the status reads "ready" once the last slice is in. */
export function renderPane(pane) {
  if (!pane.result) return;
  pane.endObserver?.disconnect();
  pane.renderer = createRenderer(pane.tokens, pane.resultText, pane.result, {
    showWhitespace: state.showWhitespace,
    ids: state.showIds ? pane.ids : null,
  });
  pane.ids.hidden = !state.showIds;
  pane.elements = pane.renderer.elements;
  pane.segmentOf = pane.renderer.segmentOf;
  continueRender(pane);
}

/** Runs the pane's renderer until every segment of its result is drawn (again after a window
 * of tokens is appended). */
function continueRender(pane) {
  const job = pane.renderer;
  pane.job = job;
  const run = () => {
    if (pane.job !== job) return; // superseded by a newer result, tokenizer or toggle
    const done = job.step(RENDER_SLICE);
    if (done) {
      pane.job = null;
      // Brackets need the baseline's spans: drawn once this pane is complete, and again in the
      // other panes when the baseline's result arrives.
      if (pane === state.panes[0]) for (const other of state.panes.slice(1)) if (!other.job) applyBrackets(other);
      applyBrackets(pane);
      watchEnd(pane);
    } else setTimeout(run, 0);
    // After an edit the status already says "encoding…" until the new result is drawn.
    if (isCurrent(pane, pane.result)) {
      if (done) setStatus(pane, "ready", "ready");
      else setStatus(pane, "rendering", "rendering…");
    }
  };
  run();
}

/** The "showing the first N of M tokens" notice. */
export function showTruncated(pane) {
  const r = pane.result;
  pane.truncated.hidden = !r.truncated;
  if (r.truncated) pane.truncated.textContent = `showing the first ${fmt(r.ids.length)} of ${fmt(r.count)} tokens; scroll to the end for more`;
}

/** Asks the pane's worker for the next window of tokens once the end of the shown ones
 * scrolls into view: only what a person scrolls to is ever built. */
function watchEnd(pane) {
  pane.endObserver?.disconnect();
  const marker = pane.tokens.querySelector(".more");
  if (!marker || !pane.result?.truncated) return;
  pane.endObserver = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting) || pane.moreAsked === pane.result) return;
    pane.moreAsked = pane.result;
    const r = pane.result;
    /** @type {import("./workers/protocol.js").MoreRequest} */
    const request = { type: MORE, seq: r.seq, loadSeq: r.loadSeq, from: r.ids.length, cursor: r.coveredEnd, limit: RENDER_LIMIT };
    pane.worker.postMessage(request);
  }, { root: pane.tokens, rootMargin: "400px" });
  pane.endObserver.observe(marker);
}

/**
 * Appends a window of tokens from the worker to the pane's result and draws it.
 * @param {import("./workers/protocol.js").Window} msg
 */
export function appendWindow(pane, msg) {
  const r = pane.result;
  if (msg.from !== r.ids.length) return; // not the window that follows
  const concat = (a, b) => {
    const out = new a.constructor(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  r.ids = concat(r.ids, msg.ids);
  r.byteLens = concat(r.byteLens, msg.byteLens);
  r.tokens = r.tokens.concat(msg.tokens);
  r.labels = r.labels.concat(msg.labels);
  for (const seg of msg.segments) r.segments.push(seg);
  r.truncated = msg.truncated;
  r.coveredEnd = msg.coveredEnd;
  pane.moreAsked = null;
  showTruncated(pane);
  continueRender(pane);
}
