// Drawing a pane's result: its token spans (and id chips), built a slice per task so that a
// window of thousands of tokens never holds the main thread for long; spacers above and below
// the window as tall as the tokens they stand for, so the scrollbar spans the whole text, and the
// window asked of the worker where scrolling (or dragging the scrollbar) lands; the pane's status line. Token
// strings and text only ever reach the DOM through textContent / text nodes (a token string can
// be "<script>"), never through innerHTML.

import { applyComparisons } from "./compare.js";
import { appendText, fmt } from "./dom.js";
import { announceCounts } from "./pane-worker.js";
import { clearHover } from "./hover.js";
import { INFO_HINT, RENDER_LIMIT, isCurrent, state } from "./state.js";
import { MORE } from "./workers/protocol.js";

/** Height a token takes, in px, until a pane has measured its own (14 px text at line-height 2.5
 * holds ~8 tokens of English per 35 px line across a pane). */
const DEFAULT_PX_PER_TOKEN = 4;
/** A scroll that rests this long inside a spacer fetches the window there. */
const SCROLL_SETTLE_MS = 120;

/** Number of background colours cycled by token index (style.css defines .c0 … .c5). */
const PALETTE_SIZE = 6;
/** Spans built per task: about 10 ms of main-thread work on a slow machine, so input, hover and
 * scrolling stay responsive while a window of tokens is drawn. */
const RENDER_SLICE = 1_500;

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
 * @param {import("./workers/protocol.js").Encoded} result the pane's result (windows appended;
 *   its arrays start at token `result.from`)
 * @param {{showWhitespace: boolean, ids?: HTMLElement | null, pxPerToken: number, stage?: boolean}} options `ids`: a
 *   container that also receives one chip per token (its id, `data-k` = segment index), emptied
 *   at once; `pxPerToken`: the height the spacers give each token not drawn; `stage`: colour
 *   tokens by the stage of the merge that made them (`result.stages`) rather than by index; the
 *   pre-tokenizer pieces are underlined when `result.pieceMarks` is set
 * @returns {{elements: HTMLElement[], segmentOf: WeakMap<Element, number>,
 *   step: (maxTokens: number) => boolean}} `elements[k]` is the element of `result.segments[k]`
 *   once rendered; `segmentOf` maps a `.tok` element back to its segment index; `step` returns
 *   true when everything is rendered.
 */
function createRenderer(container, text, result, { showWhitespace, ids = null, pxPerToken, stage = false }) {
  const segments = result.segments;
  const marks = result.pieceMarks;
  const elements = new Array(segments.length);
  const segmentOf = new WeakMap();
  const base = result.from;
  let next = 0;
  let block = null;
  let inBlock = 0;
  container.replaceChildren();
  ids?.replaceChildren();
  // The tokens before the window: a spacer as tall as they would be.
  if (base > 0) container.append(spacer("before", base, pxPerToken));

  function step(maxTokens) {
    const chips = ids ? document.createDocumentFragment() : null;
    // Resumed after more segments were appended: the spacer after the window goes, the spans continue.
    container.querySelector(":scope > .spacer.after")?.remove();
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
        const k = seg.index - base;
        let cls = stage ? `tok stage-${result.stages[k]}${seg.index & 1 ? " alt" : ""}` : `tok c${seg.index % PALETTE_SIZE}`;
        if (seg.superword) cls += " superword";
        if (marks) cls += ` pc${marks[k] & 1}${marks[k] & 2 ? " piece-start" : ""}`;
        if (shown === "") cls += " shared";
        // Only blanks and a line break: drawn as nothing but the break (zero width), so it gets
        // a faint ↵ the pointer can reach (show whitespace draws its own glyphs instead).
        else if (/^\s*\n\s*$/.test(shown)) cls += " blank-nl";
        // No text at all (a post-processor's [CLS], [SEP], BOS at (0, 0)): its vocab string is drawn.
        if (seg.end === seg.start) cls += " added";
        el.className = cls;
        el.setAttribute("data-id", String(result.ids[seg.index - base]));
        if (seg.end === seg.start) el.setAttribute("data-label", result.tokens[seg.index - base]);
        el.setAttribute("data-start", String(seg.start));
        el.setAttribute("data-end", String(seg.end));
        segmentOf.set(el, next);
        if (chips) {
          const chip = document.createElement("span");
          chip.className = `id c${seg.index % PALETTE_SIZE}`;
          chip.dataset.k = String(next);
          chip.textContent = String(result.ids[seg.index - base]);
          chip.title = result.labels[seg.index - base];
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
    container.append(frag);
    if (done && result.truncated) container.append(spacer("after", result.count - base - result.ids.length, pxPerToken));
    if (chips) ids.append(chips);
    return done;
  }

  return { elements, segmentOf, step };
}

/** A spacer for `tokens` tokens not drawn, `before` or `after` the window. */
function spacer(where, tokens, pxPerToken) {
  const el = document.createElement("div");
  el.className = `spacer ${where}`;
  el.dataset.tokens = String(tokens);
  el.style.height = `${Math.max(40, Math.round(tokens * pxPerToken))}px`;
  el.textContent = where === "before" ? `… ${fmt(tokens)} tokens above: scroll up for them` : `… ${fmt(tokens)} more tokens: scroll on for them`;
  return el;
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
  pane.diffs = [];
  pane.partOf = new Map();
}

/** Draws the pane's result a slice per task (again from the start: a new result or a toggle);
 * the status reads "ready" once the last slice is in. */
export function renderPane(pane) {
  if (!pane.result) return;
  // New elements: the hover and the marks of the old ones go (applyComparisons marks these).
  clearHover(pane);
  pane.brackets = new Map();
  pane.diffs = [];
  pane.partOf = new Map();
  pane.renderer = createRenderer(pane.tokens, pane.resultText, pane.result, {
    showWhitespace: state.options.ws,
    ids: state.options.ids ? pane.ids : null,
    pxPerToken: pane.pxPerToken ?? DEFAULT_PX_PER_TOKEN,
    stage: state.options.stage,
  });
  pane.ids.hidden = !state.options.ids;
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
      // Brackets and differences need the other panes' spans: drawn in every complete pane
      // once this one is complete.
      applyComparisons();
      measure(pane);
      // The lab (lab/panel.js) marks prompt cuts and refreshes its view on this.
      document.dispatchEvent(new CustomEvent("pane-rendered", { detail: { pane } }));
      pane.onRendered?.();
      pane.onRendered = null;
    } else setTimeout(run, 0);
    // After an edit the status already says "encoding…" until the new result is drawn.
    if (isCurrent(pane, pane.result)) {
      if (done) {
        setStatus(pane, "ready", "ready");
        announceCounts();
      } else setStatus(pane, "rendering", "rendering…");
    }
  };
  run();
}

/** The "showing tokens a to b of M" notice. */
export function showTruncated(pane) {
  const r = pane.result;
  const partial = r.truncated || r.from > 0;
  pane.truncated.hidden = !partial;
  if (!partial) return;
  pane.truncated.textContent =
    r.from === 0
      ? `showing the first ${fmt(r.ids.length)} of ${fmt(r.count)} tokens; scroll for more`
      : `showing tokens ${fmt(r.from + 1)} to ${fmt(r.from + r.ids.length)} of ${fmt(r.count)}; scroll for the others`;
}

/** Once a window is drawn: the height a token takes in this pane (from its first block of
 * tokens, which is laid out: later ones may not be yet), so the spacers, and the scrollbar,
 * stand for the tokens not drawn at their true scale. */
function measure(pane) {
  const r = pane.result;
  if (!(r.truncated || r.from > 0) || pane.pxPerToken) return;
  const block = pane.tokens.querySelector(":scope > .block");
  const n = block?.querySelectorAll(".tok").length;
  if (!n || block.offsetHeight < 20) return;
  pane.pxPerToken = block.offsetHeight / n;
  for (const el of pane.tokens.querySelectorAll(":scope > .spacer")) {
    el.style.height = `${Math.max(40, Math.round(Number(/** @type {HTMLElement} */ (el).dataset.tokens) * pane.pxPerToken))}px`;
  }
}

/**
 * Watches a pane's scrolling: once a scroll rests with a spacer in view, the window there is
 * asked of the worker: the tokens right after the window (appended) when the spacer's top is in
 * view, else the window at the place in the text the scroll position stands for (dragging the
 * scrollbar to the end shows the end of the text).
 */
export function watchScroll(pane) {
  let timer = null;
  pane.tokens.addEventListener("scroll", () => {
    clearTimeout(timer);
    timer = setTimeout(() => fetchAtScroll(pane), SCROLL_SETTLE_MS);
  });
}

function fetchAtScroll(pane) {
  const r = pane.result;
  if (!r || pane.job || pane.moreAsked === r || !isCurrent(pane, r)) return;
  const box = pane.tokens;
  const top = box.scrollTop;
  const bottom = top + box.clientHeight;
  const before = box.querySelector(":scope > .spacer.before");
  const after = box.querySelector(":scope > .spacer.after");
  const end = r.from + r.ids.length;
  /** The window's first token, and where the view goes once it is drawn. */
  let from = null;
  /** @type {"start" | "end" | null | {token: number}} */
  let target = "start";
  if (after && bottom > after.offsetTop) {
    // How far into the spacer the view reaches, as a share of the tokens it stands for.
    const into = (bottom - after.offsetTop) / after.offsetHeight;
    if (top < after.offsetTop) {
      from = end; // the drawn tokens' end in view: the next window, appended
      target = null;
    } else if (into > 0.98) {
      from = Math.max(end, r.count - RENDER_LIMIT);
      target = "end";
    } else from = Math.max(end, Math.min(r.count - RENDER_LIMIT, end + Math.round(into * (r.count - end)) - RENDER_LIMIT / 2));
  } else if (before && top < before.offsetTop + before.offsetHeight) {
    if (bottom > before.offsetTop + before.offsetHeight) {
      // The drawn tokens' start in view: the window before, drawn so that the view stays
      // where it is in the text (the old first token at the bottom of the view).
      // (A tenth of the window overlaps the one shown, so that token and those after it stay.)
      from = Math.max(0, r.from - Math.round(RENDER_LIMIT * 0.9));
      target = { token: r.from };
    } else {
      const into = (top - before.offsetTop) / before.offsetHeight;
      from = into < 0.02 ? 0 : Math.max(0, Math.round(into * r.from) - RENDER_LIMIT / 2);
    }
  }
  if (from === null) return;
  pane.moreAsked = r;
  pane.scrollTarget = target;
  /** @type {import("./workers/protocol.js").MoreRequest} */
  const request = { type: MORE, seq: r.seq, loadSeq: r.loadSeq, from, cursor: from === end ? r.coveredEnd : null, limit: RENDER_LIMIT };
  pane.worker.postMessage(request);
}

/**
 * A window of tokens from the worker: appended to the pane's result when it follows the shown
 * one, else shown instead of it (a jump), and drawn.
 * @param {import("./workers/protocol.js").Window} msg
 */
export function appendWindow(pane, msg) {
  const r = pane.result;
  pane.moreAsked = null;
  if (msg.from !== r.from + r.ids.length) {
    Object.assign(r, { from: msg.from, ids: msg.ids, byteLens: msg.byteLens, tokens: msg.tokens, labels: msg.labels, stages: msg.stages, pieceMarks: msg.pieceMarks, segments: msg.segments, truncated: msg.truncated, coveredEnd: msg.coveredEnd });
    showTruncated(pane);
    const target = pane.scrollTarget;
    pane.onRendered = () => {
      const box = pane.tokens;
      const place = () => {
        const first = box.querySelector(":scope > .spacer.before");
        if (target === "end") box.scrollTop = box.scrollHeight;
        else if (target?.token !== undefined) {
          const k = r.segments.findIndex((seg) => seg.kind === "token" && seg.index === target.token);
          const el = pane.elements[k];
          if (el) box.scrollTop = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - box.clientHeight + 40;
        } else box.scrollTop = first ? first.offsetTop + first.offsetHeight : 0;
      };
      // Blocks scrolled into view are laid out only then (content-visibility), which moves what
      // is in view: placed again on the next frames (about 0.1 s) as they are.
      let frames = 6;
      const settle = () => {
        place();
        if (--frames > 0) requestAnimationFrame(settle);
      };
      settle();
    };
    renderPane(pane);
    return;
  }
  const concat = (a, b) => {
    const out = new a.constructor(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  r.ids = concat(r.ids, msg.ids);
  r.byteLens = concat(r.byteLens, msg.byteLens);
  r.stages = concat(r.stages, msg.stages);
  if (r.pieceMarks && msg.pieceMarks) r.pieceMarks = concat(r.pieceMarks, msg.pieceMarks);
  r.tokens = r.tokens.concat(msg.tokens);
  r.labels = r.labels.concat(msg.labels);
  for (const seg of msg.segments) r.segments.push(seg);
  r.truncated = msg.truncated;
  r.coveredEnd = msg.coveredEnd;
  showTruncated(pane);
  continueRender(pane);
}
