// The page's side of the encode workers (workers/encode.js, messages in workers/protocol.js):
// one worker per pane, started, loaded and replaced here; the text box's edits sent to every
// pane (debounced, one request in flight per pane); the answers shown.

import { applyComparisons, updateChart, updateComparisons } from "./compare.js";
import { $, fmt } from "./dom.js";
import { clearHover } from "./hover.js";
import { appendWindow, clearResult, renderPane, setStatus, showTruncated } from "./render.js";
import { codePointLength, utf8Length } from "./segments.js";
import { RENDER_LIMIT, isCurrent, state } from "./state.js";
import { restorePrevious } from "./panes.js";
import { saveUrlState } from "./url-state.js";
import {
  ENCODE,
  ENCODE_ERROR,
  ENCODED,
  EXPORTED,
  FATAL,
  LAB_ANSWER,
  LOAD,
  LOAD_ERROR,
  LOAD_PROGRESS,
  LOADED,
  LOOKED_UP,
  STALE,
  WINDOW,
} from "./workers/protocol.js";

const DEBOUNCE_MS = 100;
/** An encode that has run this long while newer text or another tokenizer waits behind it gets
 * its worker replaced: a tokenizer.json may carry a quadratic regex (a digit-grouping lookahead
 * such as `(?=(?:\d{3})+(?!\d))` takes minutes on 60,000 digits, in the reference library too),
 * and a worker cannot be interrupted. */
const RESTART_AFTER_MS = 1_500;
/** How often a pane with an encode in flight updates its elapsed seconds and checks the above. */
const TICK_MS = 250;
/** Texts longer than this (UTF-16 units) get their character and byte counts from the first
 * worker result rather than from two passes on the main thread (~150 ms for 5 MB). */
const STATS_ON_MAIN_MAX = 256 * 1024;

/** A screen reader hears the counts once the panes have been ready this long after an edit:
 * not at every keystroke. */
const ANNOUNCE_AFTER_MS = 1_500;

const textStatsEl = $(document, "textstats");
const announcer = $(document, "announce");
let announceTimer = null;
/** What was announced last: the same counts (a window scrolled to, a toggle) are not said again. */
let announced = "";

/** Gives the pane a new encode worker; only the pane's current worker is heard. */
export function startWorker(pane) {
  const worker = new Worker(new URL("./workers/encode.js", import.meta.url), { type: "module" });
  pane.worker = worker;
  // A replaced worker may still have an answer queued.
  worker.onmessage = (e) => {
    if (pane.worker === worker) onWorkerMessage(pane, e.data);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    if (pane.worker !== worker) return;
    endEncode(pane); // no answer will come
    showPaneError(pane, `the tokenizer worker failed to start${e.message ? `: ${e.message}` : ""}`);
  };
}

/** Stops the pane's worker (the pane is removed, or the worker replaced): its questions in
 * flight are answered with an error. */
export function stopWorker(pane) {
  pane.worker.terminate();
  endEncode(pane);
  for (const resolve of pane.asks.values()) resolve({ error: "the pane's worker was replaced: try again" });
  pane.asks.clear();
}

let askSeq = 0;

/** Sends a question (EXPORT, LOOKUP) to the pane's worker; resolves with its answer (which
 * may carry `error`). */
export function ask(pane, msg) {
  const id = ++askSeq;
  return new Promise((resolve) => {
    pane.asks.set(id, resolve);
    pane.worker.postMessage({ ...msg, id });
  });
}

/** Sends the pane's current tokenizer to its worker. */
export function sendLoad(pane) {
  const src = pane.source;
  pane.loaded = false;
  if (src.kind === "file") {
    // Transfer a copy: the page keeps the bytes to load them into a replacement worker.
    const buffer = src.buffer.slice(0);
    /** @type {import("./workers/protocol.js").LoadRequest} */
    const request = { type: LOAD, seq: pane.loadSeq, buffer };
    pane.worker.postMessage(request, [buffer]);
  } else {
    /** @type {import("./workers/protocol.js").LoadRequest} */
    const request = { type: LOAD, seq: pane.loadSeq, url: src.url };
    pane.worker.postMessage(request);
  }
}

/**
 * Replaces the pane's worker when its encode has run for RESTART_AFTER_MS and is no longer
 * wanted (the text or the tokenizer changed): otherwise the newer request would wait for it.
 * The new worker loads the pane's current tokenizer, then pump() sends the newest text.
 * @returns {boolean} whether the worker was replaced
 */
export function replaceIfStuck(pane) {
  const job = pane.inFlight;
  if (!job || isCurrent(pane, job) || performance.now() - job.since < RESTART_AFTER_MS) return false;
  stopWorker(pane);
  startWorker(pane);
  sendLoad(pane);
  setStatus(pane, "loading", `loading ${pane.source.label}…`);
  return true;
}

/** An edit of the text box: every pane says "encoding…" at once; the text goes to the workers
 * once the typing pauses for DEBOUNCE_MS. */
export function onTextInput(text) {
  state.text = text;
  state.textSeq += 1;
  // Not "ready" from the moment the text changes until the new result is drawn.
  for (const pane of state.panes) {
    if (pane.loaded) setStatus(pane, "encoding", "encoding…");
    replaceIfStuck(pane); // at once, rather than after the debounce or the next tick
  }
  clearTimeout(state.debounce);
  state.debounce = setTimeout(() => {
    state.debounce = null;
    saveUrlState();
    // One task each: sending a 5 MB text to a worker copies it (~25 ms), and the text
    // statistics read it twice; together they would hold the main thread for too long.
    const seq = state.textSeq;
    for (const pane of state.panes) setTimeout(() => seq === state.textSeq && pump(pane), 0);
    setTimeout(() => seq === state.textSeq && updateTextStats(), 0);
  }, DEBOUNCE_MS);
}

/** The text box's character and byte counts (from the first result for a long text). */
export function updateTextStats() {
  if (state.text.length > STATS_ON_MAIN_MAX) {
    textStatsEl.textContent = "counting characters…";
    return;
  }
  showTextStats(codePointLength(state.text), utf8Length(state.text));
}

function showTextStats(chars, bytes) {
  textStatsEl.textContent = `${fmt(chars)} characters · ${fmt(bytes)} UTF-8 bytes`;
}

/** Sends the current text to the pane's worker unless it is busy or already has it. */
export function pump(pane) {
  if (!pane.loaded || pane.inFlight || state.debounce !== null) return;
  if (pane.result && isCurrent(pane, pane.result)) return;
  if (pane.failed && isCurrent(pane, pane.failed)) return;
  pane.inFlight = { seq: state.textSeq, loadSeq: pane.loadSeq, since: performance.now() };
  pane.ticker = setInterval(() => tick(pane), TICK_MS);
  setStatus(pane, "encoding", "encoding…");
  /** @type {import("./workers/protocol.js").EncodeRequest} */
  const request = {
    type: ENCODE,
    seq: state.textSeq,
    loadSeq: pane.loadSeq,
    text: state.text,
    limit: RENDER_LIMIT,
    addSpecialTokens: state.options.special,
    specialTokens: state.specialTokens,
    withPieces: state.options.pieces,
  };
  pane.worker.postMessage(request);
}

/** While an encode runs: shows its elapsed seconds, so a long one does not look frozen, and
 * replaces the worker once the encode is both long and superseded. */
function tick(pane) {
  const job = pane.inFlight;
  if (!job || replaceIfStuck(pane)) return;
  const seconds = Math.floor((performance.now() - job.since) / 1000);
  const label = `encoding… ${seconds} s`;
  // Written once a second, not every tick.
  if (isCurrent(pane, job) && seconds >= 1 && pane.status.textContent !== label) setStatus(pane, "encoding", label);
}

function endEncode(pane) {
  pane.inFlight = null;
  clearInterval(pane.ticker);
  pane.ticker = null;
}

/** @param {import("./workers/protocol.js").FromEncodeWorker} msg */
function onWorkerMessage(pane, msg) {
  switch (msg.type) {
    case LOAD_PROGRESS:
      if (msg.seq === pane.loadSeq && !pane.loaded) showProgress(pane, msg);
      return;
    case LOADED:
      if (msg.seq !== pane.loadSeq) return;
      pane.loaded = true;
      pane.previous = null;
      pane.loadError.hidden = true;
      pane.vocabSize = msg.vocabSize;
      pane.vocab.textContent = fmt(msg.vocabSize);
      pane.transitionPoint = msg.transitionPoint;
      showStageLine(pane);
      pump(pane);
      return;
    case LOAD_ERROR:
      if (msg.seq !== pane.loadSeq) return;
      if (pane.previous) restorePrevious(pane, `Could not load ${pane.source.label}: ${msg.message}`, msg.kept);
      else showPaneError(pane, `Could not load ${pane.source.label}: ${msg.message}`);
      return;
    case FATAL:
      showPaneError(pane, msg.message);
      return;
    case WINDOW:
      if (isCurrent(pane, msg) && pane.result && isCurrent(pane, pane.result)) appendWindow(pane, msg);
      return;
    case ENCODE_ERROR:
      endEncode(pane);
      if (isCurrent(pane, msg)) {
        // The tokenizer stays loaded: the next edit is encoded again.
        showPaneError(pane, `Could not encode this text with ${pane.source.label}: ${msg.message}`);
        pane.loaded = true;
        pane.vocab.textContent = fmt(pane.vocabSize);
        pane.failed = { seq: msg.seq, loadSeq: msg.loadSeq };
        return;
      }
      pump(pane); // a newer text or tokenizer may be waiting
      return;
    case ENCODED:
      endEncode(pane);
      if (isCurrent(pane, msg)) showResult(pane, msg);
      pump(pane); // a newer text or tokenizer may be waiting
      return;
    case EXPORTED:
    case LOOKED_UP:
    case LAB_ANSWER:
      pane.asks.get(msg.id)?.(msg);
      pane.asks.delete(msg.id);
      return;
    case STALE:
      endEncode(pane);
      pump(pane); // the text goes again once the pane's tokenizer is loaded
      return;
  }
}

/** The pane's transition point, in words: where its superword merges start, or that it has none. */
function showStageLine(pane) {
  const t = pane.transitionPoint;
  pane.stageLine.textContent =
    t === null
      ? "no superword stage: no run of merges that cross whitespace where its pre-tokenizer would cut"
      : `transition point t = merge ${fmt(t)}: superword merges from there on`;
  pane.stageLine.dataset.t = t === null ? "" : String(t);
}

/** Download and parse progress of a tokenizer. @param {import("./workers/protocol.js").LoadProgress} msg */
function showProgress(pane, msg) {
  pane.progress.hidden = false;
  const mb = (n) => (n / 1e6).toFixed(1);
  if (msg.phase === "download" && msg.total) {
    pane.progressBar.max = msg.total;
    pane.progressBar.value = msg.loaded;
    pane.progressText.textContent = `downloading ${mb(msg.loaded)} of ${mb(msg.total)} MB`;
  } else if (msg.phase === "download") {
    pane.progressBar.removeAttribute("value"); // size unknown: indeterminate
    pane.progressText.textContent = `downloading ${mb(msg.loaded)} MB`;
  } else {
    pane.progressBar.removeAttribute("value");
    pane.progressText.textContent = `reading ${mb(msg.total)} MB of tokenizer.json`;
  }
}

/** The pane shows `message` instead of a result (its tokenizer counts as not loaded). */
export function showPaneError(pane, message) {
  pane.loaded = false;
  clearResult(pane);
  pane.vocab.textContent = "–";
  pane.error.textContent = message;
  pane.error.hidden = false;
  setStatus(pane, "error", "error");
  updateComparisons();
  updateChart();
  applyComparisons();
}

/** Re-encodes every pane (the options of the encoding changed). */
export function encodeAgain() {
  onTextInput(state.text);
}

/** Tells a screen reader the counts once every pane is ready and the text has rested (the
 * statuses are not live regions: they change at every keystroke). */
export function announceCounts() {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    if (!state.panes.every((p) => p.status.dataset.state === "ready" || p.status.dataset.state === "error")) return;
    const parts = state.panes
      .filter((p) => p.result && p.error.hidden)
      .map((p) => `${p.source.label}: ${fmt(p.result.count)} tokens${p.compare.dataset.kind === "fewer" || p.compare.dataset.kind === "more" ? ` (${p.compare.textContent})` : ""}`);
    const text = parts.join("; ");
    if (text && text !== announced) {
      announced = text;
      announcer.textContent = text;
    }
  }, ANNOUNCE_AFTER_MS);
}

/** @param {import("./workers/protocol.js").Encoded} msg */
function showResult(pane, msg) {
  clearHover(pane);
  pane.result = msg;
  pane.resultText = state.text;
  pane.error.hidden = true;
  pane.count.textContent = fmt(msg.count);
  pane.count.dataset.value = String(msg.count); // the exact integer, for scripts and tests
  pane.chars.textContent = fmt(msg.chars);
  if (state.text.length > STATS_ON_MAIN_MAX) showTextStats(msg.chars, msg.bytes);
  showFrequent(pane, msg);
  pane.bpt.textContent = msg.count ? (msg.bytes / msg.count).toFixed(2) : "–";
  pane.timing.textContent = `encoded ${fmt(msg.bytes)} bytes in ${msg.ms < 10 ? msg.ms.toFixed(1) : fmt(Math.round(msg.ms))} ms`;
  showTruncated(pane);
  updateComparisons();
  updateChart();
  renderPane(pane);
}

/** The pane's most frequent superwords (whole text), hidden when it has none. */
function showFrequent(pane, msg) {
  const list = msg.frequentSuperwords ?? [];
  pane.frequentBox.hidden = list.length === 0;
  pane.frequentTitle.textContent = `Most frequent superwords (${fmt(msg.superwords)} superword tokens, ${((100 * msg.superwords) / Math.max(msg.count, 1)).toFixed(1)}% of all)`;
  pane.frequent.replaceChildren(
    ...list.map(([text, n]) => {
      const li = document.createElement("li");
      const code = document.createElement("code");
      code.textContent = JSON.stringify(text);
      li.append(code, ` × ${fmt(n)}`);
      return li;
    }),
  );
}
