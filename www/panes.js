// The panes: one per tokenizer, 2 to 4, the first the baseline. Each pane's elements and
// controls (picker, file, URL form, drag and drop, move and remove buttons), adding, removing
// and ordering panes, and loading a tokenizer into a pane.

import { applyBrackets, updateChart, updateComparisons } from "./compare.js";
import { $ } from "./dom.js";
import { watchHover } from "./hover.js";
import { replaceIfStuck, sendLoad, showPaneError, startWorker, stopWorker } from "./pane-worker.js";
import { clearResult, setStatus } from "./render.js";
import { fileSource, presetSource, remoteSource, sourceKey } from "./sources.js";
import { INFO_HINT, MAX_PANES, MIN_PANES, state } from "./state.js";
import { saveUrlState, savedSource } from "./url-state.js";

/** The panes of a first visit, when their presets exist. */
const DEFAULT_PANES = ["olmo2-bpe-200k", "olmo2-superbpe-t180k"];
const FILE_OPTION = "__file__";
const REMOTE_OPTION = "__remote__";
const NO_PRESET = 'No preset tokenizer is available: use "Choose file…" to load a tokenizer.json.';

const panesEl = $(document, "panes");
const addPaneEl = $(document, "add-pane");
const template = /** @type {HTMLTemplateElement} */ (document.getElementById("pane-template"));

/** Opens the first panes: the saved sources if any, else the defaults (2 to 4 panes; an entry
 * that names nothing loadable falls back to a default or another preset). */
export function openPanes(saved) {
  const ids = state.presets.map((p) => p.id);
  const wanted = saved.length ? saved : DEFAULT_PANES;
  const paneCount = Math.max(MIN_PANES, Math.min(wanted.length, MAX_PANES));
  for (let i = 0; i < paneCount; i++) {
    const pane = createPane(i);
    state.panes.push(pane);
    panesEl.append(pane.el);
    const fallback = ids.includes(DEFAULT_PANES[i]) ? DEFAULT_PANES[i] : ids[i % Math.max(ids.length, 1)];
    const source = savedSource(wanted[i]) ?? savedSource(fallback);
    if (source) loadSource(pane, source);
    else showPaneError(pane, NO_PRESET);
  }
  layoutPanes();
}

function createPane(index) {
  const el = /** @type {HTMLElement} */ (template.content.firstElementChild.cloneNode(true));
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
    /** Segment index → the baseline's pieces this pane's token replaces (compare.js applyBrackets). */
    brackets: new Map(),
    worker: null,
    /** @type {import("./sources.js").Source | null} */
    source: null,
    /** Counts the pane's tokenizers: the worker's answers name the one they are for. */
    loadSeq: 0,
    loaded: false,
    vocabSize: 0,
    /** {seq, loadSeq, since} of the encode the worker is running, or null. */
    inFlight: null,
    /** Interval that runs the in-flight encode's tick (pane-worker.js), or null. */
    ticker: null,
    /** {seq, loadSeq} of an encode that failed, so the same text is not sent again. */
    failed: null,
    /** @type {import("./workers/protocol.js").Encoded | null} the shown result, windows appended */
    result: null,
    /** The text `result` was computed for. */
    resultText: "",
    /** Drawing of the result (render.js): the renderer, and the same while slices remain. */
    renderer: null,
    job: null,
    /** elements[k]: the element of result.segments[k], once drawn; segmentOf: the way back. */
    elements: [],
    segmentOf: new WeakMap(),
    /** Watches for the end of the shown tokens; the result a window was last asked for. */
    endObserver: null,
    moreAsked: null,
  };
  pane.info.textContent = INFO_HINT;
  fillPicker(pane);
  pane.picker.addEventListener("change", () => onPick(pane));
  pane.fileInput.addEventListener("change", () => onFile(pane));
  pane.fileInput.addEventListener("cancel", () => syncPicker(pane));
  watchHover(pane);
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
    if (!el.contains(/** @type {Node | null} */ (e.relatedTarget))) el.classList.remove("drop");
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

export function addPane() {
  if (state.panes.length >= MAX_PANES) return;
  const pane = createPane(state.panes.length);
  state.panes.push(pane);
  panesEl.append(pane.el);
  // A tokenizer no pane shows yet, else the first preset.
  const shown = new Set(state.panes.map((p) => p.source?.id));
  const preset = state.presets.find((p) => !shown.has(p.id)) ?? state.presets[0];
  if (preset) loadSource(pane, presetSource(preset));
  else showPaneError(pane, NO_PRESET);
  layoutPanes();
  pane.picker.focus();
}

function removePane(pane) {
  if (state.panes.length <= MIN_PANES) return;
  stopWorker(pane);
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

// ---------- the picker and the other ways to choose a tokenizer ----------

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
  loadSource(pane, fileSource(file.name, buffer));
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

/** Loads `source` into the pane at `index` (the Train panel's trained tokenizers). */
export function loadIntoPane(index, source) {
  const pane = state.panes[index];
  if (!pane) return;
  loadSource(pane, source);
  saveUrlState();
}

/** @param {import("./sources.js").Source} source */
function loadSource(pane, source) {
  pane.source = source;
  pane.loadSeq += 1;
  pane.loaded = false;
  pane.el.dataset.tokenizer = sourceKey(source);
  syncPicker(pane);
  clearResult(pane);
  pane.error.hidden = true;
  pane.vocab.textContent = "–";
  setStatus(pane, "loading", `loading ${source.label}…`);
  // A long encode would hold the load back: a replacement worker loads the new source instead.
  if (!replaceIfStuck(pane)) sendLoad(pane);
  updateComparisons();
}
