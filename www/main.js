// Page wiring: panes, pickers, the debounced input, workers (replaced when a slow encode holds
// newer requests back) and sequence numbers.
// Tokenization happens in worker.js (wasm); segmentation is the pure segments.js; DOM in render.js.

import { compareCounts, codePointLength, firstSegmentEndingAfter, utf8Length } from "./segments.js";
import { createRenderer, describeToken, fmt } from "./render.js";

/** Tokens put into the DOM per pane: the stats cover the whole text, the spans only this many. */
const RENDER_LIMIT = 20_000;
/** Spans built per task: about 10 ms of main-thread work on a slow machine, so input, hover and
 * scrolling stay responsive while a 20,000-token result is drawn. */
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
    timing: $(el, "timing"),
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
  startWorker(pane);
  return pane;
}

function startWorker(pane) {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
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
  const msg = { type: "load", seq: pane.loadSeq };
  if (src.kind === "preset") {
    pane.worker.postMessage({ ...msg, url: src.url });
  } else {
    // Transfer a copy: the page keeps the bytes to load them into a replacement worker.
    const copy = src.buffer.slice(0);
    pane.worker.postMessage({ ...msg, buffer: copy, name: src.name }, [copy]);
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
  other.append(choose);
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
  const value = `file:${src.name}`;
  // Only the current file has an entry; earlier ones cannot be reloaded without picking again.
  for (const o of [...pane.picker.options]) {
    if (o.value.startsWith("file:") && o.value !== value) o.remove();
  }
  let opt = [...pane.picker.options].find((o) => o.value === value);
  if (!opt) {
    opt = document.createElement("option");
    opt.value = value;
    opt.textContent = `File: ${src.name}`;
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
  let buffer;
  try {
    buffer = await file.arrayBuffer();
  } catch (err) {
    showPaneError(pane, `could not read ${file.name}: ${err.message ?? err}`);
    return;
  }
  loadSource(pane, { kind: "file", name: file.name, label: file.name, buffer });
}

function presetSource(preset) {
  return { kind: "preset", id: preset.id, label: preset.label, url: new URL(preset.url, document.baseURI).href };
}

function loadSource(pane, source) {
  pane.source = source;
  pane.loadSeq += 1;
  pane.loaded = false;
  pane.el.dataset.tokenizer = source.kind === "preset" ? source.id : `file:${source.name}`;
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
}

function setStatus(pane, kind, label) {
  pane.status.dataset.state = kind;
  pane.status.textContent = label ?? kind;
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
  pane.worker.postMessage({
    type: "encode",
    seq: state.textSeq,
    loadSeq: pane.loadSeq,
    text: state.text,
    limit: RENDER_LIMIT,
  });
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

function onWorkerMessage(pane, msg) {
  switch (msg.type) {
    case "loaded":
      if (msg.seq !== pane.loadSeq) return;
      pane.loaded = true;
      pane.vocabSize = msg.vocabSize;
      pane.vocab.textContent = fmt(msg.vocabSize);
      pump(pane);
      return;
    case "load-error":
      if (msg.seq !== pane.loadSeq) return;
      showPaneError(pane, `Could not load ${pane.source.label}: ${msg.message}`);
      return;
    case "fatal":
      showPaneError(pane, msg.message);
      return;
    case "encoded":
    case "encode-error": {
      endEncode(pane);
      const current = isCurrent(pane, msg);
      if (current && msg.type === "encode-error") {
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
  pane.bpt.textContent = msg.count ? (msg.bytes / msg.count).toFixed(2) : "–";
  pane.timing.textContent = `encoded ${fmt(msg.bytes)} bytes in ${msg.ms < 10 ? msg.ms.toFixed(1) : fmt(Math.round(msg.ms))} ms`;
  if (msg.truncated) {
    pane.truncated.textContent = `showing the first ${fmt(msg.ids.length)} of ${fmt(msg.count)} tokens`;
    pane.truncated.hidden = false;
  } else {
    pane.truncated.hidden = true;
  }
  updateComparisons();
  renderPane(pane);
}

/** Draws the pane's result a slice per task; the status reads "ready" once the last is in. */
function renderPane(pane) {
  if (!pane.result) return;
  const job = createRenderer(pane.tokens, pane.resultText, pane.result, {
    showWhitespace: state.showWhitespace,
  });
  pane.job = job;
  pane.elements = job.elements;
  pane.segmentOf = job.segmentOf;
  const run = () => {
    if (pane.job !== job) return; // superseded by a newer result, tokenizer or toggle
    const done = job.step(RENDER_SLICE);
    if (done) pane.job = null;
    else setTimeout(run, 0);
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
    updateTextStats();
    saveUrlState();
    for (const pane of state.panes) pump(pane);
  }, DEBOUNCE_MS);
}

function updateTextStats() {
  const chars = codePointLength(state.text);
  const bytes = utf8Length(state.text);
  textStatsEl.textContent = `${fmt(chars)} characters · ${fmt(bytes)} UTF-8 bytes`;
}

// ---------- hover: info line and the same text in the other panes ----------

function onHover(pane, event) {
  const el = event.target.closest?.(".tok");
  if (!el || !pane.result) return;
  const k = pane.segmentOf.get(el);
  if (k === undefined) return;
  const seg = pane.result.segments[k];
  pane.info.textContent = describeToken(pane.result, seg);
  pane.info.dataset.active = "";
  clearEchoes();
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
  pane.info.textContent = INFO_HINT;
  delete pane.info.dataset.active;
}

// ---------- URL state: #p=<preset>,<preset>&t=<text> ----------

function readUrlState() {
  const params = new URLSearchParams(location.hash.slice(1));
  return {
    presets: params.get("p")?.split(",").filter(Boolean) ?? [],
    text: params.get("t"),
  };
}

function saveUrlState() {
  const params = new URLSearchParams();
  params.set("p", state.panes.map((p) => (p.source?.kind === "preset" ? p.source.id : "")).join(","));
  if (state.text.length <= URL_TEXT_LIMIT) params.set("t", state.text);
  history.replaceState(null, "", `#${params}`);
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

  try {
    state.presets = await loadPresets();
  } catch (err) {
    // Without presets the page still works with "Choose file…".
    state.presets = [];
    pageErrorEl.textContent = `Could not read the list of preset tokenizers (${err.message}); use "Choose file…" to load a tokenizer.json.`;
    pageErrorEl.hidden = false;
  }

  const ids = state.presets.map((p) => p.id);
  const wanted = saved.presets.length ? saved.presets : DEFAULT_PANES;
  const paneCount = Math.max(2, Math.min(wanted.length, 4));
  for (let i = 0; i < paneCount; i++) {
    const pane = createPane(i);
    state.panes.push(pane);
    panesEl.append(pane.el);
    const id = ids.includes(wanted[i]) ? wanted[i] : ids.includes(DEFAULT_PANES[i]) ? DEFAULT_PANES[i] : ids[i % Math.max(ids.length, 1)];
    const preset = state.presets.find((p) => p.id === id);
    if (preset) loadSource(pane, presetSource(preset));
    else showPaneError(pane, 'No preset tokenizer is available: use "Choose file…" to load a tokenizer.json.');
  }
  updateComparisons();
}

start();
