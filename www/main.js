// Page wiring: panes, pickers, the debounced input, workers (replaced when a slow encode holds
// newer requests back) and sequence numbers.
// Tokenization happens in workers/encode.js (wasm), messages in workers/protocol.js; segmentation
// is the pure segments.js; DOM in render.js.

import { compareCounts, codePointLength, firstSegmentEndingAfter, replacedPieces, utf8Length } from "./segments.js";
import { createRenderer, describeToken, fmt, renderChart } from "./render.js";
import { setupTrainPanel } from "./train.js";
import { ENCODE, ENCODE_ERROR, ENCODED, FATAL, LOAD, LOAD_ERROR, LOAD_PROGRESS, LOADED, MORE, WINDOW } from "./workers/protocol.js";

/** Tokens per window: a pane first shows this many, and the next window when its end is
 * scrolled to (the stats cover the whole text). Small enough that receiving and drawing a window
 * never holds the main thread for long. */
const RENDER_LIMIT = 5_000;
/** Spans built per task: about 10 ms of main-thread work on a slow machine, so input, hover and
 * scrolling stay responsive while a window of tokens is drawn. */
const RENDER_SLICE = 1_500;
const DEBOUNCE_MS = 100;
/** An encode that has run this long while newer text or another tokenizer waits behind it gets
 * its worker replaced: a tokenizer.json may carry a quadratic regex (a digit-grouping lookahead
 * such as `(?=(?:\d{3})+(?!\d))` takes minutes on 60,000 digits, in the reference library too),
 * and a worker cannot be interrupted. */
const RESTART_AFTER_MS = 1_500;
/** How often a pane with an encode in flight updates its elapsed seconds and checks the above. */
const TICK_MS = 250;
const DEFAULT_PANES = ["olmo2-bpe-200k", "olmo2-superbpe-t180k"];
/** Texts up to this length are kept in the URL so a view can be shared. */
const URL_TEXT_LIMIT = 2_000;
const FILE_OPTION = "__file__";
const REMOTE_OPTION = "__remote__";
const MIN_PANES = 2;
const MAX_PANES = 4;
/** Where a Hugging Face id is fetched from: `{HUB}/{id}/resolve/main/tokenizer.json`. The page's
 * `?hub=` parameter overrides it (tests point it at a local server with the same layout). */
const HUB = new URLSearchParams(location.search).get("hub") ?? "https://huggingface.co";
/** A Hugging Face model id: `name` or `owner/name`. */
const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;
const INFO_HINT = "Hover a token to see its id, vocab string and byte length.";

const SAMPLE = [
  "By the way, I am a fan of the Milky Way.",
  "SuperBPE learns tokens that cross spaces, such as \"in the middle of\" and \"as well as\",",
  "so the same text needs fewer tokens. Numbers like 1234567 split into groups of three;",
  "café, naïve, 東京 and 🙂 take several bytes each.",
].join("\n");

const $ = (root, role) => root.querySelector(`[data-role="${role}"]`);

const input = $(document, "input");
const panesEl = $(document, "panes");
const showWsEl = $(document, "show-ws");
const showIdsEl = $(document, "show-ids");
const chartEl = $(document, "chart");
const addPaneEl = $(document, "add-pane");
const textStatsEl = $(document, "textstats");
const pageErrorEl = $(document, "page-error");
const template = document.getElementById("pane-template");

const state = {
  text: "",
  /** Bumped on every edit; a result is shown only if it was computed for the current value. */
  textSeq: 0,
  debounce: null,
  presets: [],
  panes: [],
  showWhitespace: false,
  showIds: false,
  /** Elements of other panes lit up by the current hover. */
  echoes: [],
};

// ---------- panes ----------

function createPane(index) {
  const el = template.content.firstElementChild.cloneNode(true);
  el.dataset.pane = String(index);
  const pane = {
    index,
    el,
    picker: $(el, "picker"),
    fileInput: $(el, "file"),
    status: $(el, "status"),
    count: $(el, "count"),
    chars: $(el, "chars"),
    bpt: $(el, "bpt"),
    vocab: $(el, "vocab"),
    compare: $(el, "compare"),
    info: $(el, "info"),
    error: $(el, "error"),
    truncated: $(el, "truncated"),
    tokens: $(el, "tokens"),
    ids: $(el, "ids"),
    timing: $(el, "timing"),
    remote: $(el, "remote"),
    remoteInput: $(el, "remote-input"),
    remoteError: $(el, "remote-error"),
    progress: $(el, "progress"),
    progressBar: $(el, "progress-bar"),
    progressText: $(el, "progress-text"),
    frequentBox: $(el, "frequent-box"),
    frequentTitle: $(el, "frequent-title"),
    frequent: $(el, "frequent"),
    /** Segment index of the token the keyboard or the pointer points at, or -1. */
    active: -1,
    /** Segment index → the baseline's pieces this pane's token replaces (see applyBrackets). */
    brackets: new Map(),
    worker: null,
    source: null,
    loadSeq: 0,
    loaded: false,
    /** {seq, loadSeq, since} of the encode the worker is running, or null. */
    inFlight: null,
    /** Interval that runs tick() while an encode is in flight. */
    ticker: null,
    /** The rendered "encoded" message, and the text it was computed for. */
    result: null,
    resultText: "",
    elements: [],
    segmentOf: new WeakMap(),
    /** {seq, loadSeq} of an encode that failed, so the same text is not sent again. */
    failed: null,
    vocabSize: 0,
    /** The render in progress, if any (see renderPane). */
    job: null,
  };
  pane.info.textContent = INFO_HINT;
  fillPicker(pane);
  pane.picker.addEventListener("change", () => onPick(pane));
  pane.fileInput.addEventListener("change", () => onFile(pane));
  pane.fileInput.addEventListener("cancel", () => syncPicker(pane));
  pane.tokens.addEventListener("mouseover", (e) => onHover(pane, e));
  pane.tokens.addEventListener("mouseleave", () => clearHover(pane));
  pane.tokens.addEventListener("keydown", (e) => onTokensKey(pane, e));
  pane.tokens.addEventListener("blur", () => clearHover(pane));
  pane.ids.addEventListener("mouseover", (e) => onIdHover(pane, e));
  pane.ids.addEventListener("mouseleave", () => clearHover(pane));
  $(el, "move-left").addEventListener("click", () => movePane(pane, -1));
  $(el, "move-right").addEventListener("click", () => movePane(pane, +1));
  $(el, "remove").addEventListener("click", () => removePane(pane));
  pane.remote.addEventListener("submit", (e) => {
    e.preventDefault();
    onRemote(pane, pane.remoteInput.value);
  });
  pane.remote.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closeRemote(pane);
  });
  // Drag and drop a tokenizer.json onto the pane.
  el.addEventListener("dragover", (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes("Files")) return;
    e.preventDefault();
    el.classList.add("drop");
  });
  el.addEventListener("dragleave", (e) => {
    if (!el.contains(e.relatedTarget)) el.classList.remove("drop");
  });
  el.addEventListener("drop", (e) => {
    e.preventDefault();
    el.classList.remove("drop");
    const file = e.dataTransfer?.files?.[0];
    if (file) loadFile(pane, file);
  });
  startWorker(pane);
  return pane;
}

// ---------- adding, removing and moving panes ----------

function addPane() {
  if (state.panes.length >= MAX_PANES) return;
  const pane = createPane(state.panes.length);
  state.panes.push(pane);
  panesEl.append(pane.el);
  // A tokenizer no pane shows yet, else the first preset.
  const shown = new Set(state.panes.map((p) => p.source?.id));
  const preset = state.presets.find((p) => !shown.has(p.id)) ?? state.presets[0];
  if (preset) loadSource(pane, presetSource(preset));
  else showPaneError(pane, 'No preset tokenizer is available: use "Choose file…" to load a tokenizer.json.');
  layoutPanes();
  pane.picker.focus();
}

function removePane(pane) {
  if (state.panes.length <= MIN_PANES) return;
  pane.worker.terminate();
  endEncode(pane);
  pane.el.remove();
  state.panes = state.panes.filter((p) => p !== pane);
  layoutPanes();
  addPaneEl.focus();
}

function movePane(pane, step) {
  const i = state.panes.indexOf(pane);
  const j = i + step;
  if (j < 0 || j >= state.panes.length) return;
  [state.panes[i], state.panes[j]] = [state.panes[j], state.panes[i]];
  layoutPanes();
  // Keep the keyboard on the pane's buttons (the one pressed may now be disabled).
  const pressed = $(pane.el, step < 0 ? "move-left" : "move-right");
  (pressed.disabled ? $(pane.el, step < 0 ? "move-right" : "move-left") : pressed).focus();
}

/** Puts the panes in `state.panes` order, numbers them, and refreshes what depends on order
 * (the baseline is the first pane). */
function layoutPanes() {
  state.panes.forEach((pane, i) => {
    pane.index = i;
    pane.el.dataset.pane = String(i);
    panesEl.append(pane.el); // moves it to the end: the loop restores the order
    $(pane.el, "move-left").disabled = i === 0;
    $(pane.el, "move-right").disabled = i === state.panes.length - 1;
    $(pane.el, "remove").disabled = state.panes.length <= MIN_PANES;
  });
  addPaneEl.disabled = state.panes.length >= MAX_PANES;
  panesEl.dataset.count = String(state.panes.length);
  updateComparisons();
  for (const pane of state.panes) applyBrackets(pane);
  updateChart();
  saveUrlState();
}

function startWorker(pane) {
  const worker = new Worker(new URL("./workers/encode.js", import.meta.url), { type: "module" });
  pane.worker = worker;
  // A replaced worker may still have an answer queued; only the pane's current worker is heard.
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

/** Sends the pane's current tokenizer to its worker. */
function sendLoad(pane) {
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
function replaceIfStuck(pane) {
  const job = pane.inFlight;
  if (!job || isCurrent(pane, job) || performance.now() - job.since < RESTART_AFTER_MS) return false;
  pane.worker.terminate();
  endEncode(pane);
  startWorker(pane);
  sendLoad(pane);
  setStatus(pane, "loading", `loading ${pane.source.label}…`);
  return true;
}

function fillPicker(pane) {
  const groups = new Map();
  for (const p of state.presets) {
    if (!groups.has(p.group)) {
      const og = document.createElement("optgroup");
      og.label = p.group;
      groups.set(p.group, og);
    }
    const opt = document.createElement("option");
    opt.value = p.id;
    opt.textContent = p.label;
    groups.get(p.group).append(opt);
  }
  const other = document.createElement("optgroup");
  other.label = "Your own";
  const choose = document.createElement("option");
  choose.value = FILE_OPTION;
  choose.textContent = "Choose file…";
  const remote = document.createElement("option");
  remote.value = REMOTE_OPTION;
  remote.textContent = "From a URL or Hugging Face id…";
  other.append(choose, remote);
  pane.picker.replaceChildren(...groups.values(), other);
}

/** Makes the picker show the pane's current source (after a cancelled file dialog, say). */
function syncPicker(pane) {
  const src = pane.source;
  if (!src) return;
  if (src.kind === "preset") {
    for (const o of [...pane.picker.options]) if (o.value.startsWith("file:")) o.remove();
    pane.picker.value = src.id;
    return;
  }
  const value = `file:${src.kind === "remote" ? src.url : src.name}`;
  // Only the current file has an entry; earlier ones cannot be reloaded without picking again.
  for (const o of [...pane.picker.options]) {
    if (o.value.startsWith("file:") && o.value !== value) o.remove();
  }
  let opt = [...pane.picker.options].find((o) => o.value === value);
  if (!opt) {
    opt = document.createElement("option");
    opt.value = value;
    opt.textContent = src.kind === "remote" || src.trained ? src.label : `File: ${src.name}`;
    const own = pane.picker.querySelector("optgroup:last-of-type");
    own.insertBefore(opt, own.firstChild);
  }
  pane.picker.value = value;
}

function onPick(pane) {
  const value = pane.picker.value;
  if (value === FILE_OPTION) {
    syncPicker(pane);
    pane.fileInput.click();
    return;
  }
  if (value === REMOTE_OPTION) {
    syncPicker(pane);
    pane.remote.hidden = false;
    pane.remoteInput.focus();
    return;
  }
  closeRemote(pane);
  const preset = state.presets.find((p) => p.id === value);
  if (preset) {
    loadSource(pane, presetSource(preset));
    saveUrlState();
  }
}

async function onFile(pane) {
  const file = pane.fileInput.files?.[0];
  if (!file) return;
  pane.fileInput.value = "";
  await loadFile(pane, file);
}

async function loadFile(pane, file) {
  let buffer;
  try {
    buffer = await file.arrayBuffer();
  } catch (err) {
    showPaneError(pane, `could not read ${file.name}: ${err.message ?? err}`);
    return;
  }
  loadSource(pane, { kind: "file", name: file.name, label: file.name, buffer });
  saveUrlState();
}

/** A URL (http/https) or a Hugging Face id typed into the pane's form. A typo is reported by
 * the form; the pane keeps its tokenizer. */
function onRemote(pane, value) {
  const source = remoteSource(value.trim());
  if (!source) {
    pane.remoteError.textContent = `"${value.trim()}" is neither an http(s) URL nor a Hugging Face id such as openai-community/gpt2`;
    pane.remoteError.hidden = false;
    return;
  }
  closeRemote(pane);
  loadSource(pane, source);
  saveUrlState();
}

function closeRemote(pane) {
  pane.remote.hidden = true;
  pane.remoteError.hidden = true;
}

/** A short name for a tokenizer URL: the model id of a hub-style `…/{id}/resolve/{rev}/tokenizer.json`,
 * else the host and the file name. */
function urlLabel(url) {
  const hub = /^\/(.+?)\/resolve\/[^/]+\/tokenizer\.json$/.exec(url.pathname);
  if (hub) return decodeURIComponent(hub[1]);
  const file = url.pathname.split("/").filter(Boolean).pop();
  return file ? `${url.host}/…/${decodeURIComponent(file)}` : url.host;
}

/** The source for a URL or a hub id, or null. */
function remoteSource(value) {
  if (/^https?:\/\//i.test(value)) {
    let url;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    return { kind: "remote", url: url.href, label: urlLabel(url), saved: `url:${url.href}` };
  }
  if (HUB_ID.test(value)) {
    return { kind: "remote", url: `${HUB}/${value}/resolve/main/tokenizer.json`, label: value, saved: `hub:${value}` };
  }
  return null;
}

function presetSource(preset) {
  return { kind: "preset", id: preset.id, label: preset.label, url: new URL(preset.url, document.baseURI).href };
}

function loadSource(pane, source) {
  pane.source = source;
  pane.loadSeq += 1;
  pane.loaded = false;
  pane.el.dataset.tokenizer = source.kind === "preset" ? source.id : source.kind === "remote" ? source.saved : `file:${source.name}`;
  syncPicker(pane);
  clearResult(pane);
  pane.error.hidden = true;
  pane.vocab.textContent = "–";
  setStatus(pane, "loading", `loading ${source.label}…`);
  // A long encode would hold the load back: a replacement worker loads the new source instead.
  if (!replaceIfStuck(pane)) sendLoad(pane);
  updateComparisons();
}

function clearResult(pane) {
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

function setStatus(pane, kind, label) {
  pane.status.dataset.state = kind;
  pane.status.textContent = label ?? kind;
  if (kind !== "loading") pane.progress.hidden = true;
}

/** Download and parse progress of a tokenizer (worker "progress" messages). */
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

function showPaneError(pane, message) {
  pane.loaded = false;
  clearResult(pane);
  pane.vocab.textContent = "–";
  pane.error.textContent = message;
  pane.error.hidden = false;
  setStatus(pane, "error", "error");
  updateComparisons();
}

// ---------- encoding ----------

/** Sends the current text to the pane's worker unless it is busy or already has it. */
function pump(pane) {
  if (!pane.loaded || pane.inFlight || state.debounce !== null) return;
  if (pane.result && isCurrent(pane, pane.result)) return;
  if (pane.failed && isCurrent(pane, pane.failed)) return;
  pane.inFlight = { seq: state.textSeq, loadSeq: pane.loadSeq, since: performance.now() };
  pane.ticker = setInterval(() => tick(pane), TICK_MS);
  setStatus(pane, "encoding", "encoding…");
  /** @type {import("./workers/protocol.js").EncodeRequest} */
  const request = { type: ENCODE, seq: state.textSeq, loadSeq: pane.loadSeq, text: state.text, limit: RENDER_LIMIT };
  pane.worker.postMessage(request);
}

/** While an encode runs: shows its elapsed seconds, so a long one does not look frozen, and
 * replaces the worker once the encode is both long and superseded. */
function tick(pane) {
  const job = pane.inFlight;
  if (!job || replaceIfStuck(pane)) return;
  const seconds = Math.floor((performance.now() - job.since) / 1000);
  const label = `encoding… ${seconds} s`;
  // Written once a second, not every tick: the status is an aria-live region.
  if (isCurrent(pane, job) && seconds >= 1 && pane.status.textContent !== label) setStatus(pane, "encoding", label);
}

function endEncode(pane) {
  pane.inFlight = null;
  clearInterval(pane.ticker);
  pane.ticker = null;
}

/** Whether an "encoded" message is for the current text and the pane's current tokenizer. */
function isCurrent(pane, msg) {
  return msg.seq === state.textSeq && msg.loadSeq === pane.loadSeq;
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
      pane.vocabSize = msg.vocabSize;
      pane.vocab.textContent = fmt(msg.vocabSize);
      pump(pane);
      return;
    case LOAD_ERROR:
      if (msg.seq !== pane.loadSeq) return;
      showPaneError(pane, `Could not load ${pane.source.label}: ${msg.message}`);
      return;
    case FATAL:
      showPaneError(pane, msg.message);
      return;
    case WINDOW:
      if (isCurrent(pane, msg) && pane.result && isCurrent(pane, pane.result)) appendWindow(pane, msg);
      return;
    case ENCODED:
    case ENCODE_ERROR: {
      endEncode(pane);
      const current = isCurrent(pane, msg);
      if (current && msg.type === ENCODE_ERROR) {
        // The tokenizer stays loaded: the next edit is encoded again.
        showPaneError(pane, `Could not encode this text with ${pane.source.label}: ${msg.message}`);
        pane.loaded = true;
        pane.vocab.textContent = fmt(pane.vocabSize);
        pane.failed = { seq: msg.seq, loadSeq: msg.loadSeq };
        return;
      }
      if (current && !msg.stale) showResult(pane, msg);
      pump(pane); // a newer text or tokenizer may be waiting
      return;
    }
  }
}

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

function showTruncated(pane) {
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

/** Appends a window of tokens from the worker to the pane's result and renders it. */
function appendWindow(pane, msg) {
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

/** The chart of every pane's figures on the current text. */
function updateChart() {
  const rows = state.panes
    .filter((p) => p.result && p.result.seq === state.textSeq && p.error.hidden)
    .map((p) => ({ pane: p.index, label: p.source.label, result: p.result }));
  chartEl.hidden = rows.length === 0;
  if (rows.length) renderChart(chartEl, rows);
}

/** Brackets set per task: marking thousands of tokens at once would relayout the pane in one go. */
const BRACKET_SLICE = 1_000;

/** Marks, in `pane`, the tokens that stand for several tokens of the baseline (first) pane, with
 * the baseline's pieces drawn under them; a slice per task. */
function applyBrackets(pane) {
  for (const k of pane.brackets?.keys() ?? []) {
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

/** Draws the pane's result a slice per task; the status reads "ready" once the last is in. */
function renderPane(pane) {
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

function updateComparisons() {
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

// ---------- input ----------

function onInput() {
  state.text = input.value;
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

/** Texts longer than this (UTF-16 units) get their character and byte counts from the first
 * worker result rather than from two passes on the main thread (~150 ms for 5 MB). */
const STATS_ON_MAIN_MAX = 256 * 1024;

function updateTextStats() {
  if (state.text.length > STATS_ON_MAIN_MAX) {
    textStatsEl.textContent = "counting characters…";
    return;
  }
  showTextStats(codePointLength(state.text), utf8Length(state.text));
}

function showTextStats(chars, bytes) {
  textStatsEl.textContent = `${fmt(chars)} characters · ${fmt(bytes)} UTF-8 bytes`;
}

// ---------- hover: info line and the same text in the other panes ----------

function onHover(pane, event) {
  const el = event.target.closest?.(".tok");
  if (!el || !pane.result) return;
  const k = pane.segmentOf.get(el);
  if (k !== undefined) pointAt(pane, k);
}

/** Hover on an id of the ids view: the same as hovering its token. */
function onIdHover(pane, event) {
  const chip = event.target.closest?.(".id");
  if (!chip || !pane.result) return;
  pointAt(pane, Number(chip.dataset.k));
}

/** Arrow keys move from token to token in a focused pane; Escape lets go. */
function onTokensKey(pane, event) {
  if (!pane.result) return;
  const segs = pane.result.segments;
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
  if (event.key === "Escape") {
    clearHover(pane);
    return;
  }
  if (!step) return;
  event.preventDefault();
  let k = pane.active < 0 ? (step > 0 ? -1 : segs.length) : pane.active;
  do k += step;
  while (k >= 0 && k < segs.length && segs[k].kind !== "token");
  if (k < 0 || k >= segs.length || !pane.elements[k]) return;
  pointAt(pane, k);
  pane.elements[k].scrollIntoView({ block: "nearest" });
}

/** Shows token segment `k` of `pane`: info line, its id, and the same text in the other panes. */
function pointAt(pane, k) {
  const seg = pane.result.segments[k];
  if (!seg || seg.kind !== "token") return;
  clearEchoes();
  pane.active = k;
  pane.info.textContent = describeToken(pane.result, seg, pane.brackets?.get(k));
  pane.info.dataset.active = "";
  const own = [pane.elements[k], pane.ids.querySelector(`[data-k="${k}"]`)];
  for (const el of own) {
    if (!el) continue;
    el.classList.add("echo");
    state.echoes.push(el);
  }
  if (seg.end <= seg.start) return;
  for (const other of state.panes) {
    if (other === pane || !other.result || other.result.seq !== pane.result.seq) continue;
    const segs = other.result.segments;
    for (let j = firstSegmentEndingAfter(segs, seg.start); j < segs.length && segs[j].shownStart < seg.end; j++) {
      const target = other.elements[j];
      if (segs[j].kind !== "token" || !target) continue;
      target.classList.add("echo");
      state.echoes.push(target);
    }
  }
}

function clearEchoes() {
  for (const el of state.echoes) el.classList.remove("echo");
  state.echoes = [];
}

function clearHover(pane) {
  clearEchoes();
  pane.active = -1;
  pane.info.textContent = INFO_HINT;
  delete pane.info.dataset.active;
}

// ---------- URL state: #p=<source>,<source>&t=<text> ----------
// A source is a preset id, `url:<url>` or `hub:<id>`; a local file cannot be shared (empty).

function readUrlState() {
  const params = new URLSearchParams(location.hash.slice(1));
  return {
    sources: params.get("p")?.split(",") ?? [],
    text: params.get("t"),
  };
}

function saveUrlState() {
  const params = new URLSearchParams();
  const saved = (p) => (p.source?.kind === "preset" ? p.source.id : p.source?.kind === "remote" ? p.source.saved : "");
  params.set("p", state.panes.map((p) => encodeURIComponent(saved(p))).join(","));
  if (state.text.length <= URL_TEXT_LIMIT) params.set("t", state.text);
  history.replaceState(null, "", `#${params}`);
}

/** The source a saved URL entry names, or null (unknown preset, empty entry). */
function savedSource(entry) {
  const value = decodeURIComponent(entry ?? "");
  if (value.startsWith("url:")) return remoteSource(value.slice(4));
  if (value.startsWith("hub:")) return remoteSource(value.slice(4));
  const preset = state.presets.find((p) => p.id === value);
  return preset ? presetSource(preset) : null;
}

// ---------- start ----------

async function loadPresets() {
  const res = await fetch(new URL("./presets.json", document.baseURI));
  if (!res.ok) throw new Error(`HTTP ${res.status} for presets.json`);
  const list = await res.json();
  if (!Array.isArray(list)) throw new Error("presets.json is not a list");
  return list;
}

async function start() {
  const saved = readUrlState();
  input.value = saved.text ?? SAMPLE;
  state.text = input.value;
  updateTextStats();
  input.addEventListener("input", onInput);
  showWsEl.addEventListener("change", () => {
    state.showWhitespace = showWsEl.checked;
    document.body.classList.toggle("show-ws", state.showWhitespace);
    for (const pane of state.panes) renderPane(pane);
  });
  showIdsEl.addEventListener("change", () => {
    state.showIds = showIdsEl.checked;
    for (const pane of state.panes) renderPane(pane);
  });
  addPaneEl.addEventListener("click", addPane);

  try {
    state.presets = await loadPresets();
  } catch (err) {
    // Without presets the page still works with "Choose file…".
    state.presets = [];
    pageErrorEl.textContent = `Could not read the list of preset tokenizers (${err.message}); use "Choose file…" to load a tokenizer.json.`;
    pageErrorEl.hidden = false;
  }

  const ids = state.presets.map((p) => p.id);
  const wanted = saved.sources.length ? saved.sources : DEFAULT_PANES;
  const paneCount = Math.max(MIN_PANES, Math.min(wanted.length, MAX_PANES));
  for (let i = 0; i < paneCount; i++) {
    const pane = createPane(i);
    state.panes.push(pane);
    panesEl.append(pane.el);
    const fallback = ids.includes(DEFAULT_PANES[i]) ? DEFAULT_PANES[i] : ids[i % Math.max(ids.length, 1)];
    const source = savedSource(wanted[i]) ?? savedSource(fallback);
    if (source) loadSource(pane, source);
    else showPaneError(pane, 'No preset tokenizer is available: use "Choose file…" to load a tokenizer.json.');
  }
  layoutPanes();
}

start();
setupTrainPanel({
  loadTrained(index, source) {
    const pane = state.panes[index];
    if (!pane) return;
    loadSource(pane, source);
    saveUrlState();
  },
  getText: () => state.text,
});
