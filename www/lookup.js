// The Lookup panel: a string, an id or a list of ids, answered by every pane's tokenizer (its
// worker: workers/encode.js `lookup`). A string shows its tokens, and its id where it is one
// token; an id shows its token; ids show the text they decode to.

import { $, disclosure, fmt, quote } from "./dom.js";
import { ask } from "./pane-worker.js";
import { state } from "./state.js";
import { LOOKUP } from "./workers/protocol.js";

export function setupLookup() {
  const root = $(document, "lookup");
  const form = $(root, "lookup-form");
  const input = /** @type {HTMLInputElement} */ ($(root, "lookup-input"));
  const result = $(root, "lookup-result");
  disclosure($(root, "lookup-toggle"), $(root, "lookup-body"), (open) => open && input.focus());
  let seq = 0;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const query = input.value;
    const mine = ++seq;
    if (!query) {
      result.replaceChildren();
      return;
    }
    const panes = state.panes.filter((p) => p.loaded);
    const answers = await Promise.all(panes.map((p) => ask(p, { type: LOOKUP, loadSeq: p.loadSeq, query, specialTokens: state.specialTokens })));
    if (mine !== seq) return;
    const table = document.createElement("table");
    table.className = "lookup-table";
    const head = table.createTHead().insertRow();
    for (const h of ["tokenizer", "answer"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      head.append(th);
    }
    const body = table.createTBody();
    panes.forEach((pane, i) => {
      const row = body.insertRow();
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = pane.source.label;
      row.append(name);
      row.insertCell().append(...describe(answers[i]));
    });
    result.replaceChildren(panes.length ? table : "No pane has a tokenizer loaded yet.");
  });
}

/** A pane's answer as nodes: text and token chips (`code`, id in the title). */
function describe(a) {
  if (a.error) return [`error: ${a.error}`];
  const chips = (pieces) =>
    pieces.flatMap((p, i) => {
      const code = document.createElement("code");
      code.className = "lookup-token";
      code.textContent = p ? `${quote(p.text)} ${p.id}` : "unknown";
      if (p) code.title = `vocab ${quote(p.token)}`;
      return i ? [" ", code] : [code];
    });
  const sw = a.superword ? " — a superword (one token across spaces)" : "";
  if (a.kind === "id") {
    if (a.unknown.length) return [`id ${a.unknown[0]} is not in this vocab`];
    const p = a.pieces[0];
    return [`id ${p.id} is `, ...chips(a.pieces), ` (vocab ${quote(p.token)})${sw}`];
  }
  if (a.kind === "ids") {
    const unknown = a.unknown.length ? ` (${a.unknown.length === 1 ? "id" : "ids"} ${a.unknown.join(", ")} not in this vocab: skipped, as the reference does)` : "";
    const decoded = document.createElement("code");
    decoded.textContent = quote(a.decoded);
    return [`decode to `, decoded, `${unknown}: `, ...chips(a.pieces)];
  }
  const n = a.pieces.length;
  if (n === 1) return [`one token, id ${a.pieces[0].id}${sw}: `, ...chips(a.pieces)];
  return [`${fmt(n)} tokens: `, ...chips(a.pieces)];
}
