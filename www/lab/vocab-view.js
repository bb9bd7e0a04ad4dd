// The Vocabulary view: a pane's vocabulary searched and sorted by merge rank, words per token or
// length, with the stage that made each token; how many tokens have 1, 2, 3, 4, 5+ words; and
// the superwords of the text grouped by their number of words, with their counts.

import { $, fmt, quote } from "../dom.js";
import { ask } from "../pane-worker.js";
import { isCurrent, state } from "../state.js";
import { LAB } from "../workers/protocol.js";
import { table } from "../charts.js";

const out = $(document, "vocab-result");
const form = /** @type {HTMLFormElement} */ ($(document, "vocab-form"));
const paneSelect = /** @type {HTMLSelectElement} */ ($(document, "vocab-pane"));
const search = /** @type {HTMLInputElement} */ ($(document, "vocab-search"));
const words = /** @type {HTMLSelectElement} */ ($(document, "vocab-words"));
const sort = /** @type {HTMLSelectElement} */ ($(document, "vocab-sort"));
let seq = 0;

export function setupVocabView() {
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    showVocab();
  });
  for (const el of [paneSelect, words, sort]) el.addEventListener("change", () => showVocab());
  // Results as one types, once typing pauses.
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(showVocab, 250);
  });
}

/** The pane picker lists the panes as they are now; the chosen one stays chosen if it still is. */
function fillPanes() {
  const keep = paneSelect.value;
  paneSelect.replaceChildren(
    ...state.panes.map((p, i) => {
      const o = document.createElement("option");
      o.value = String(i);
      o.textContent = `${i + 1}: ${p.source?.label ?? "(none)"}`;
      return o;
    }),
  );
  // SuperBPE panes first when nothing was chosen: the view is about their superwords.
  const superbpe = state.panes.findIndex((p) => p.transitionPoint !== null);
  paneSelect.value = keep && Number(keep) < state.panes.length ? keep : String(Math.max(0, superbpe));
}

const STAGE = ["unit", "subword merge", "superword merge"];

export async function showVocab() {
  fillPanes();
  const pane = state.panes[Number(paneSelect.value)];
  if (!pane?.loaded) {
    out.textContent = "This pane has no tokenizer loaded.";
    return;
  }
  const mine = ++seq;
  const q = { search: search.value, minWords: Number(words.value), sort: sort.value };
  const textReady = pane.result && isCurrent(pane, pane.result);
  const [v, sw] = await Promise.all([
    ask(pane, { type: LAB, query: "vocab", seq: state.textSeq, loadSeq: pane.loadSeq, vocab: q }),
    textReady ? ask(pane, { type: LAB, query: "superwords", seq: state.textSeq, loadSeq: pane.loadSeq }) : Promise.resolve({ groups: [] }),
  ]);
  if (mine !== seq) return;
  if (v.error) {
    out.textContent = v.error;
    return;
  }
  const t = v.transitionPoint;
  const counts = document.createElement("p");
  counts.className = "vocab-counts";
  counts.textContent =
    `${fmt(v.total)} tokens; with words: ` +
    ["1 word", "2 words", "3 words", "4 words", "5 or more"].map((w, i) => `${fmt(v.byWords[i])} of ${w}`).join(", ") +
    `; ${fmt(v.blank)} of whitespace alone` +
    (t === null ? "; no transition point (no superword merges)." : `; superword merges from rank ${fmt(t)}.`);
  const rows = v.rows.map((r) => [
    quote(r.text),
    String(r.id),
    r.rank < 0 ? "–" : fmt(r.rank),
    r.rank < 0 ? STAGE[0] : t !== null && r.rank >= t ? STAGE[2] : STAGE[1],
    r.words,
    r.bytes,
  ]);
  const caption = `${fmt(v.matching)} matching tokens${v.matching > v.rows.length ? `, the first ${fmt(v.rows.length)} shown` : ""}`;
  const groups = document.createElement("div");
  groups.className = "vocab-groups";
  if (sw.groups?.length) {
    const h = document.createElement("h3");
    h.textContent = "Superwords of this text, by number of words";
    groups.append(h);
    for (const g of sw.groups) {
      const p = document.createElement("p");
      p.append(`${g.words === 5 ? "5 or more" : g.words} words (${fmt(g.tokens)} ${g.tokens === 1 ? "token" : "tokens"}): `);
      g.examples.forEach((e, i) => {
        const code = document.createElement("code");
        code.textContent = quote(e.text);
        code.title = `id ${e.id}`;
        p.append(i ? ", " : "", code, ` × ${fmt(e.count)}`);
      });
      groups.append(p);
    }
  } else if (textReady) {
    groups.textContent = "No superword in this pane's tokens of the text.";
  }
  out.replaceChildren(counts, table(caption, ["token", "id", "merge rank", "made by", "words", "bytes"], rows), groups);
}
