// The superword lab's panel: its tabs (Token, Vocabulary, Scripts, Prompt cut, Corpus), the
// clicks on tokens that feed the Token and Prompt cut views, and the prompt-cut marks on the
// panes' tokens. Each view lives in its module (tree-view.js, vocab-view.js, scripts-view.js,
// cut-view.js, corpus-view.js); their questions go to the panes' workers (workers/lab.js).

import { $, disclosure } from "../dom.js";
import { state } from "../state.js";
import { setupCorpusView } from "./corpus-view.js";
import { cutFromCursor, markCutsOf, setupCutView, showCut } from "./cut-view.js";
import { setupScriptsView, showScripts } from "./scripts-view.js";
import { showTree } from "./tree-view.js";
import { setupVocabView, showVocab } from "./vocab-view.js";

const root = $(document, "lab");
const tabs = /** @type {HTMLElement[]} */ ([...$(root, "lab-tabs").querySelectorAll("[role=tab]")]);
let open = false;
let current = "token";
/** The results the views were last brought up to date for (each pane's text and tokenizer). */
let lastShown = "";

/** What each view does when it is shown, or when the panes or the text change while it is. */
const REFRESH = { token: () => {}, vocab: showVocab, scripts: showScripts, cut: showCut, corpus: () => {} };

export function setupLab() {
  disclosure($(root, "lab-toggle"), $(root, "lab-body"), (now) => {
    open = now;
    if (open) REFRESH[current]();
  });
  for (const tab of tabs) tab.addEventListener("click", () => selectTab(tab.dataset.tab, true));
  // Arrow keys, Home and End move between tabs (the tab list pattern: one tab stop, arrows within).
  $(root, "lab-tabs").addEventListener("keydown", (e) => {
    const i = tabs.findIndex((t) => t.dataset.tab === current);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    selectTab(tabs[(to + tabs.length) % tabs.length].dataset.tab, true);
  });
  setupVocabView();
  setupScriptsView();
  setupCutView();
  setupCorpusView();
  // A token clicked (or Enter on the focused one): its merge tree, and a prompt cut after it.
  const panesEl = $(document, "panes");
  panesEl.addEventListener("click", (e) => {
    const el = /** @type {HTMLElement} */ (e.target).closest?.(".tok");
    if (el) onToken(/** @type {HTMLElement} */ (el));
  });
  panesEl.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    const pane = paneOf(/** @type {HTMLElement} */ (e.target));
    const el = pane && pane.active >= 0 ? pane.elements[pane.active] : null;
    if (el) onToken(el);
  });
  document.addEventListener("panes-changed", () => refresh());
  document.addEventListener("pane-rendered", (e) => {
    // A new text or tokenizer: the view again (not a window scrolled to, nor a toggle's redraw).
    const shown = state.panes.map((p) => `${p.result?.seq}:${p.result?.loadSeq}`).join(" ");
    if (shown !== lastShown) {
      lastShown = shown;
      refresh();
    }
    if (state.options.cuts) markCutsOf(/** @type {CustomEvent} */ (e).detail.pane);
  });
  $(document, "input").addEventListener("select", cutFromCursor);
  for (const type of ["click", "keyup"]) $(document, "input").addEventListener(type, cutFromCursor);
}

/** Shows view `name` (and opens the panel); `focus`: moves the focus to its tab. */
function selectTab(name, focus) {
  current = name;
  for (const tab of tabs) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(root, `lab-${tab.dataset.tab}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (!open) $(root, "lab-toggle").click();
  else REFRESH[name]();
}

/** The view shown is brought up to date (the panes or the text changed), when the panel is open. */
let refreshTimer = null;
function refresh() {
  if (!open) return;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => REFRESH[current](), 100);
}

function paneOf(el) {
  const paneEl = el.closest?.(".pane");
  return state.panes.find((p) => p.el === paneEl) ?? null;
}

/** A token clicked: its merge tree, and a prompt cut right after it. The panel opens (or
 * turns) to the Token view, unless it shows the Prompt cut view, and that view comes into sight. */
function onToken(el) {
  const pane = paneOf(el);
  if (!pane?.result) return;
  const view = open && current === "cut" ? "cut" : "token";
  showTree(pane, Number(el.dataset.id), el).then(() => view === "token" && bringIntoView());
  showCut(Number(el.dataset.end)).then(() => view === "cut" && bringIntoView());
  if (!open || current !== view) selectTab(view, false);
}

/** Scrolls the lab's shown view into sight when it is not (it sits under the panes). */
function bringIntoView() {
  const panel = $(root, `lab-${current}`);
  const box = panel.getBoundingClientRect();
  if (box.top >= 0 && box.top < innerHeight - 80) return;
  panel.scrollIntoView({ block: "start", behavior: "smooth" });
}

/** Marks the prompt cuts of every pane (the toggle was set), or takes them off. */
export function markCuts() {
  for (const pane of state.panes) {
    if (state.options.cuts) markCutsOf(pane);
    else for (const el of pane.tokens.querySelectorAll(".cut-clean, .cut-changes")) el.classList.remove("cut-clean", "cut-changes");
  }
}
