// The panes: one per tokenizer, 2 to 4, the first the baseline. Each pane's elements and
// controls (picker, file, URL form, drag and drop, move and remove buttons), adding, removing
// and ordering panes, and loading a tokenizer into a pane.

import { applyComparisons, updateChart, updateComparisons } from "./compare.js";
import { $, disclosure } from "./dom.js";
import { watchExport } from "./export.js";
import { watchHover } from "./hover.js";
import { pump, replaceIfStuck, sendLoad, showPaneError, startWorker, stopWorker } from "./pane-worker.js";
import { clearResult, setStatus, watchScroll } from "./render.js";
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

/** Opens the first panes: the saved sources if any, else the defaults (2 to 4 panes). An entry
 * that names nothing loadable (a file, which a link cannot carry; a preset this server does not
 * have) leaves its pane empty with a message saying so, rather than showing another tokenizer. */
export function openPanes(saved) {
  const ids = state.presets.map((p) => p.id);
  const wanted = saved.length ? saved : DEFAULT_PANES;
  const paneCount = Math.max(MIN_PANES, Math.min(wanted.length, MAX_PANES));
  for (let i = 0; i < paneCount; i++) {
    const pane = createPane(i);
    state.panes.push(pane);
    panesEl.append(pane.el);
    const fallback = ids.includes(DEFAULT_PANES[i]) ? DEFAULT_PANES[i] : ids[i % Math.max(ids.length, 1)];
    const entry = i < wanted.length ? wanted[i] : fallback;
    const source = savedSource(entry);
    if (source?.kind === "missing") {
      pane.source = source;
      pane.el.dataset.tokenizer = sourceKey(source);
      syncPicker(pane);
      showPaneError(pane, source.why);
    } else if (source) loadSource(pane, source);
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
    stageLine: $(el, "stage-line"),
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
    loadError: $(el, "load-error"),
    pickHint: $(el, "pick-hint"),
    /** Segment index of the token the keyboard or the pointer points at, or -1. */
    active: -1,
    /** Segment index → the baseline's pieces this pane's token replaces (compare.js). */
    brackets: new Map(),
    /** Segment indices of tokens marked as differing from the other panes (compare.js). */
    diffs: [],
    /** Baseline only: segment index → the superword of another pane it is part of (compare.js). */
    partOf: new Map(),
    /** The tokenizer the worker holds and encodes with while another one loads: kept if that
     * load fails ({source, loadSeq}), null once the new one is loaded. */
    previous: null,
    /** A picker choice made with the keyboard, loaded on Enter or when the picker loses focus
     * (arrow keys change a closed <select> at every step). */
    pendingPick: null,
    keyedPick: false,
    /** Questions to the worker awaiting their answer, by id (pane-worker.js `ask`). */
    asks: new Map(),
    worker: null,
    /** @type {import("./sources.js").Source | null} */
    source: null,
    /** Counts the pane's tokenizers: the worker's answers name the one they are for. */
    loadSeq: 0,
    loaded: false,
    vocabSize: 0,
    /** The tokenizer's transition point (merge rank), null when it has no superwords. */
    /** @type {number | null} */
    transitionPoint: null,
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
    /** The result a window was last asked for (render.js watchScroll), and where to scroll once
     * it is drawn; the height of a token in px, measured once drawn. */
    moreAsked: null,
    scrollTarget: null,
    pxPerToken: null,
    onRendered: null,
  };
  pane.info.textContent = INFO_HINT;
  fillPicker(pane);
  watchPicker(pane);
  disclosure(pane.frequentTitle, pane.frequent);
  pane.fileInput.addEventListener("change", () => onFile(pane));
  pane.fileInput.addEventListener("cancel", () => syncPicker(pane));
  watchHover(pane);
  watchScroll(pane);
  watchExport(pane);
  $(el, "move-left").addEventListener("click", () => movePane(pane, -1));
  $(el, "move-right").addEventListener("click", () => movePane(pane, +1));
  $(el, "remove").addEventListener("click", () => removePane(pane));
  pane.remote.addEventListener("submit", (e) => {
    e.preventDefault();
    onRemote(pane, pane.remoteInput.value);
  });
  pane.remote.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    closeRemote(pane);
    pane.picker.focus();
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
    nameParts(pane);
  });
  addPaneEl.disabled = state.panes.length >= MAX_PANES;
  panesEl.dataset.count = String(state.panes.length);
  updateComparisons();
  applyComparisons();
  updateChart();
  saveUrlState();
  panesChanged();
}

/** Tells the page's tools (the Chat panel) that a pane was added, moved, removed or given
 * another tokenizer. */
export function panesChanged() {
  document.dispatchEvent(new Event("panes-changed"));
}

/** What a screen reader calls the pane, its picker and its tokens: by position and tokenizer
 * ("Tokenizer of pane 1, the baseline"), so that two pickers are never both just "Tokenizer". */
export function nameParts(pane) {
  const n = pane.index + 1;
  const role = pane.index === 0 ? ", the baseline" : "";
  const label = pane.source?.label ?? "no tokenizer";
  pane.el.setAttribute("aria-label", `Pane ${n}${role}: ${label}`);
  pane.picker.setAttribute("aria-label", `Tokenizer of pane ${n}${role}`);
  pane.tokens.setAttribute("aria-label", `Tokens of ${label} (pane ${n}); arrow keys move from token to token, each one is read out`);
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
  if (src.kind === "missing") {
    // An entry of its own, so that every real tokenizer can be chosen (choosing the option
    // already shown fires no change).
    let opt = [...pane.picker.options].find((o) => o.value === "__missing__");
    if (!opt) {
      opt = document.createElement("option");
      opt.value = "__missing__";
      opt.disabled = true;
      pane.picker.prepend(opt);
    }
    opt.textContent = `${src.label} (not loaded)`;
    pane.picker.value = "__missing__";
    return;
  }
  pane.picker.querySelector('option[value="__missing__"]')?.remove();
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

/** Arrow keys, Home, End and letters change a closed <select> at every step, each firing
 * "change": a choice made that way is only shown ("press Enter to load") and loaded on Enter or
 * when the picker loses focus, so that passing over presets does not download each of them, and
 * "Choose file…" opens the file dialog only on Enter. A choice from the open list (pointer, or
 * Enter / Space / Alt+Down then Enter) is loaded at once. */
function watchPicker(pane) {
  const picker = pane.picker;
  picker.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      if (pane.pendingPick !== null) {
        e.preventDefault();
        commitPick(pane);
      }
      return;
    }
    if (e.key === "Escape" && pane.pendingPick !== null) {
      e.preventDefault();
      dropPick(pane);
      syncPicker(pane);
      return;
    }
    // A key that moves the selection of the closed picker (an open one takes the keys itself;
    // Space, Alt+Down and F4 open it).
    pane.keyedPick = !e.altKey && e.key !== " " && (/^(Arrow(Up|Down|Left|Right)|Home|End|PageUp|PageDown)$/.test(e.key) || e.key.length === 1);
  });
  picker.addEventListener("pointerdown", () => {
    pane.keyedPick = false;
  });
  picker.addEventListener("change", () => {
    if (!pane.keyedPick) {
      dropPick(pane);
      onPick(pane);
      return;
    }
    pane.keyedPick = false;
    pane.pendingPick = picker.value;
    pane.pickHint.textContent = `Enter loads ${picker.selectedOptions[0]?.textContent ?? "it"}; Escape keeps ${pane.source?.label ?? "the pane as it is"}`;
    pane.pickHint.hidden = false;
  });
  picker.addEventListener("blur", () => {
    if (pane.pendingPick === null) return;
    // Leaving the picker loads a preset chosen with the keys; a file dialog or the URL form needs Enter.
    if (pane.pendingPick === FILE_OPTION || pane.pendingPick === REMOTE_OPTION) {
      dropPick(pane);
      syncPicker(pane);
      return;
    }
    commitPick(pane);
  });
}

function commitPick(pane) {
  pane.picker.value = pane.pendingPick;
  dropPick(pane);
  onPick(pane);
}

/** Forgets a choice made with the keys (loaded, or let go). */
function dropPick(pane) {
  pane.pendingPick = null;
  pane.pickHint.hidden = true;
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
    pane.loadError.hidden = true; // one message at a time: this one is about what was just typed
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

/** Loads sources into panes at once, `[[index, source], …]` (the Train panel's trained BPE and
 * SuperBPE: the pair arrives together, so no pane compares a new tokenizer with an old one). */
export function loadIntoPanes(list) {
  for (const [index, source] of list) {
    const pane = state.panes[index];
    if (pane) loadSource(pane, source);
  }
  saveUrlState();
}

/** @param {import("./sources.js").Source} source */
function loadSource(pane, source) {
  // What the worker still holds, to go back to if this load fails.
  if (pane.loaded && pane.source) pane.previous = { source: pane.source, loadSeq: pane.loadSeq };
  pane.loadError.hidden = true;
  pane.pxPerToken = null; // another tokenizer, other token heights
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
  nameParts(pane);
  updateComparisons();
  updateChart();
  panesChanged();
}

/** A load that failed while the pane had a working tokenizer: the pane goes back to it, and
 * says what failed above its tokens. `kept`: the load number of the tokenizer the worker still
 * holds (it is sent again if that is not the one to go back to). */
export function restorePrevious(pane, message, kept) {
  const prev = pane.previous;
  pane.previous = null;
  pane.source = prev.source;
  pane.loadSeq = prev.loadSeq;
  pane.el.dataset.tokenizer = sourceKey(prev.source);
  syncPicker(pane);
  nameParts(pane);
  pane.loadError.textContent = `${message} The pane still shows ${prev.source.label}.`;
  pane.loadError.hidden = false;
  if (kept === prev.loadSeq) {
    pane.loaded = true;
    pane.failed = null; // encoded again: a text it refused shows its error again
    pump(pane);
  } else {
    setStatus(pane, "loading", `loading ${prev.source.label}…`);
    sendLoad(pane);
  }
  saveUrlState();
}
