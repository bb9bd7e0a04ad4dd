// The page's wiring: start-up order and the page-wide controls. What each part does lives in
// its module: panes.js (the panes and their controls), pane-worker.js (each pane's encode worker
// and the text sent to it), render.js (drawing a result a slice per task), compare.js (the
// comparisons, the chart, the brackets), hover.js, url-state.js, train-panel.js. Workers and the
// messages they exchange with the page: workers/.

import { $ } from "./dom.js";
import { addPane, loadIntoPane, openPanes } from "./panes.js";
import { onTextInput, updateTextStats } from "./pane-worker.js";
import { renderPane } from "./render.js";
import { state } from "./state.js";
import { setupTrainPanel } from "./train-panel.js";
import { readUrlState } from "./url-state.js";

const SAMPLE = [
  "By the way, I am a fan of the Milky Way.",
  "SuperBPE learns tokens that cross spaces, such as \"in the middle of\" and \"as well as\",",
  "so the same text needs fewer tokens. Numbers like 1234567 split into groups of three;",
  "café, naïve, 東京 and 🙂 take several bytes each.",
].join("\n");

const input = $(document, "input");
const showWsEl = $(document, "show-ws");
const showIdsEl = $(document, "show-ids");
const pageErrorEl = $(document, "page-error");

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
  input.addEventListener("input", () => onTextInput(input.value));
  showWsEl.addEventListener("change", () => {
    state.showWhitespace = showWsEl.checked;
    document.body.classList.toggle("show-ws", state.showWhitespace);
    for (const pane of state.panes) renderPane(pane);
  });
  showIdsEl.addEventListener("change", () => {
    state.showIds = showIdsEl.checked;
    for (const pane of state.panes) renderPane(pane);
  });
  $(document, "add-pane").addEventListener("click", addPane);

  try {
    state.presets = await loadPresets();
  } catch (err) {
    // Without presets the page still works with "Choose file…".
    state.presets = [];
    pageErrorEl.textContent = `Could not read the list of preset tokenizers (${err.message}); use "Choose file…" to load a tokenizer.json.`;
    pageErrorEl.hidden = false;
  }
  openPanes(saved.sources);
}

start();
setupTrainPanel({ loadTrained: loadIntoPane, getText: () => state.text });
