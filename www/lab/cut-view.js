// The Prompt cut view: the text cut at the cursor (or after a clicked token) tokenizes
// differently from the whole text; per pane, the tokens that change. And the marks of the
// "prompt cuts" toggle: each token boundary in view, clean (the tokens before it stay) or not.
// The encodings are the panes' workers' (workers/lab.js `cutAt`, www/lab/cut.js).

import { $, fmt, quote } from "../dom.js";
import { ask } from "../pane-worker.js";
import { isCurrent, state } from "../state.js";
import { LAB } from "../workers/protocol.js";

const out = $(document, "cut-result");
const input = /** @type {HTMLTextAreaElement} */ ($(document, "input"));
/** Where the prompt is cut (UTF-16 offset of the text); null until the cursor or a click says. */
let cut = null;
let seq = 0;
let cursorTimer = null;
/** The cursor rests this long before its cut is computed. */
const CURSOR_SETTLE_MS = 150;

export function setupCutView() {
  out.textContent = "Put the text cursor somewhere in the text, or click a token.";
}

/** Whether the view is on screen (the lab panel open on Prompt cut). */
const visible = () => !$(document, "lab-body").hidden && !$(document, "lab-cut").hidden;

/** The text box's cursor moved: the cut follows it while the view is shown. */
export function cutFromCursor() {
  if (input.selectionEnd === cut) return;
  cut = input.selectionEnd;
  // Each cut encodes the text up to it in every pane: once the cursor rests, not at every key.
  clearTimeout(cursorTimer);
  cursorTimer = setTimeout(() => visible() && showCut(), CURSOR_SETTLE_MS);
}

/**
 * Shows the cut at `at` (or at the last one) in every pane with a result.
 * @param {number} [at]
 */
export async function showCut(at) {
  if (at !== undefined && Number.isFinite(at)) cut = at;
  if (!visible()) return;
  const mine = ++seq;
  const panes = state.panes.filter((p) => p.result && isCurrent(p, p.result));
  if (cut === null || !panes.length || !state.text) {
    out.textContent = !state.text ? "The text is empty: there is nothing to cut." : cut === null ? "Put the text cursor somewhere in the text, or click a token." : "No pane has tokens yet.";
    return;
  }
  const where = Math.min(cut, state.text.length);
  const answers = await Promise.all(panes.map((p) => ask(p, { type: LAB, query: "cut", seq: state.textSeq, loadSeq: p.loadSeq, cut: where })));
  if (mine !== seq) return;
  const head = document.createElement("p");
  const before = state.text.slice(Math.max(0, where - 30), where);
  const after = state.text.slice(where, where + 20);
  head.className = "cut-head";
  head.append(`Cut at character ${fmt(where)}: `);
  const code = document.createElement("code");
  code.append(quote(before).slice(0, -1), mark("|"), quote(after).slice(1));
  head.append(code);
  const list = document.createElement("div");
  list.className = "cut-panes";
  panes.forEach((pane, i) => list.append(paneCut(pane, answers[i])));
  out.replaceChildren(head, list);
}

function mark(text) {
  const m = document.createElement("mark");
  m.textContent = text;
  return m;
}

/** One pane's answer: clean, or the whole text's tokens and the prompt's from where they differ. */
function paneCut(pane, a) {
  const box = document.createElement("section");
  box.className = `cut-pane${a.clean ? " clean" : " changes"}`;
  const h = document.createElement("h3");
  h.textContent = pane.source.label;
  box.append(h);
  if (a.error) {
    box.append(a.error);
    return box;
  }
  const p = document.createElement("p");
  const changed = a.full.filter((t) => t.changed).length;
  const tokens = (n) => `${fmt(n)} ${n === 1 ? "token" : "tokens"}`;
  p.textContent = a.clean
    ? `clean: the prompt's ${tokens(a.prefixCount)} are the whole text's first ${fmt(a.prefixCount)}.`
    : `the cut changes the tokens from token ${fmt(a.same + 1)} on: ${tokens(changed)} of the whole text become ${tokens(a.prefixCount - a.same)} in the prompt.`;
  box.append(p, row("whole text", a.full), row("prompt", a.prefix));
  return box;
}

function row(label, tokens) {
  const p = document.createElement("p");
  p.className = "cut-row";
  const name = document.createElement("span");
  name.className = "cut-label";
  name.textContent = `${label}:`;
  p.append(name);
  for (const t of tokens) {
    const chip = document.createElement("code");
    chip.className = `cut-token${t.changed ? " changed" : ""}`;
    chip.textContent = quote(t.text);
    chip.title = `token ${fmt(t.index + 1)}, id ${fmt(t.id)}`;
    p.append(" ", chip);
  }
  return p;
}

/**
 * Marks each token boundary of the pane's drawn window: `cut-clean` or `cut-changes` on the
 * token before it (the worker encodes every prefix; a long text is marked up to its budget).
 */
export async function markCutsOf(pane) {
  const r = pane.result;
  if (!r || !isCurrent(pane, r) || pane.job) return;
  const first = r.segments.find((s) => s.kind === "token");
  const from = first ? first.start : 0;
  // The same window drawn again (a toggle) keeps its answer: the prefixes are not encoded again.
  const key = `${r.seq}:${r.loadSeq}:${from}:${r.coveredEnd}`;
  if (pane.cutMarks?.key !== key) {
    const asked = await ask(pane, { type: LAB, query: "cut", seq: r.seq, loadSeq: r.loadSeq, cut: r.coveredEnd, marks: [from, r.coveredEnd + 1] });
    if (asked.error || pane.result !== r) return;
    pane.cutMarks = { key, answer: asked };
  }
  const a = pane.cutMarks.answer;
  if (pane.result !== r || !state.options.cuts) return;
  // The last token ending at each boundary carries its mark.
  const byEnd = new Map();
  for (const el of pane.elements) if (el?.dataset.end) byEnd.set(Number(el.dataset.end), el);
  for (const [at, clean] of a.marks) {
    const el = byEnd.get(at);
    el?.classList.remove("cut-clean", "cut-changes");
    el?.classList.add(clean ? "cut-clean" : "cut-changes");
  }
  pane.tokens.dataset.cutsMarked = a.marksComplete ? "all" : "some";
}
