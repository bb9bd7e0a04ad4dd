// The page's wiring: start-up order and the page-wide controls. What each part does lives in
// its module: panes.js (the panes and their controls), pane-worker.js (each pane's encode worker
// and the text sent to it), render.js (drawing a result a slice per task), compare.js (the
// comparisons, the chart, the marks on tokens), hover.js (info line, tooltip), url-state.js
// (the address) and share.js (Copy link), export.js, lookup.js, lab/ (the superword lab),
// chat-panel.js, train-panel.js. Workers and the messages they exchange with the page: workers/.

import { setupChatPanel } from "./chat-panel.js";
import { $ } from "./dom.js";
import { markCuts, setupLab } from "./lab/panel.js";
import { setupLookup } from "./lookup.js";
import { encodeAgain, onTextInput, updateTextStats } from "./pane-worker.js";
import { addPane, loadIntoPanes, openPanes } from "./panes.js";
import { renderPane } from "./render.js";
import { setupShare } from "./share.js";
import { state } from "./state.js";
import { setupTrainPanel } from "./train-panel.js";
import { readUrlState, saveUrlState } from "./url-state.js";

const SAMPLE = [
  "By the way, I am a fan of the Milky Way.",
  "SuperBPE learns tokens that cross spaces, such as \"in the middle of\" and \"as well as\",",
  "so the same text needs fewer tokens. Numbers like 1234567 split into groups of three;",
  "café, naïve, 東京 and 🙂 take several bytes each.",
].join("\n");

const input = $(document, "input");
const pageErrorEl = $(document, "page-error");
/** The toggles, by their name in `state.options`. */
const TOGGLES = { ws: "show-ws", ids: "show-ids", diff: "diff-only", special: "add-special", stage: "show-stage", pieces: "show-pieces", cuts: "show-cuts" };
/** Toggles that set a class on the page (style.css draws what they show). */
const BODY_CLASSES = { ws: "show-ws", diff: "diff-only", stage: "show-stage", pieces: "show-pieces", cuts: "show-cuts" };
const policyEl = /** @type {HTMLSelectElement} */ ($(document, "special-policy"));

async function loadPresets() {
  const res = await fetch(new URL("./presets.json", document.baseURI));
  if (!res.ok) throw new Error(`HTTP ${res.status} for presets.json`);
  const list = await res.json();
  if (!Array.isArray(list)) throw new Error("presets.json is not a list");
  return list;
}

/** What a toggle changes once set: drawing (whitespace, ids, differences) or the encoding. */
function applyOption(name) {
  const on = state.options[name];
  if (BODY_CLASSES[name]) document.body.classList.toggle(BODY_CLASSES[name], on);
  if (name === "ws" || name === "ids" || name === "stage") {
    for (const pane of state.panes) {
      pane.pxPerToken = null; // glyphs and chips change the height of a token
      renderPane(pane);
    }
  }
  if (name === "special" || name === "pieces") encodeAgain();
  if (name === "cuts") markCuts();
}

async function start() {
  const saved = await readUrlState();
  input.value = saved.text ?? (saved.lost ? "" : SAMPLE);
  state.text = input.value;
  state.options = saved.options;
  const policy = saved.specialTokens;
  state.specialTokens = policy === "literal" || policy === "refuse" ? policy : "match";
  policyEl.value = state.specialTokens;
  for (const [name, cls] of Object.entries(BODY_CLASSES)) document.body.classList.toggle(cls, state.options[name]);
  updateTextStats();
  input.addEventListener("input", () => onTextInput(input.value));
  for (const [name, role] of Object.entries(TOGGLES)) {
    const box = /** @type {HTMLInputElement} */ ($(document, role));
    box.checked = state.options[name];
    box.addEventListener("change", () => {
      state.options[name] = box.checked;
      applyOption(name);
      saveUrlState();
    });
  }
  policyEl.addEventListener("change", () => {
    state.specialTokens = /** @type {"match" | "literal" | "refuse"} */ (policyEl.value);
    encodeAgain();
    saveUrlState();
  });
  $(document, "add-pane").addEventListener("click", addPane);
  setupShare(saved.lost);

  try {
    state.presets = await loadPresets();
  } catch (err) {
    // Without presets the page still works with "Choose file…".
    state.presets = [];
    pageErrorEl.textContent = `Could not read the list of preset tokenizers (${err.message}); use "Choose file…" to load a tokenizer.json.`;
    pageErrorEl.hidden = false;
  }
  openPanes(saved.sources);
  setupLookup();
  setupLab();
  setupChatPanel();
}

start();
setupTrainPanel({ loadTrained: loadIntoPanes, getText: () => state.text });
