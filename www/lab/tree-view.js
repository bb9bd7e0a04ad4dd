// The Token view: how a clicked token was built, as a tree of merges from its bytes (the
// pane's worker replays them: `Tokenizer.mergeTree`), each merge with its rank, superword merges
// (rank at or past the transition point) marked.

import { $, fmt, quote } from "../dom.js";
import { ask } from "../pane-worker.js";
import { state } from "../state.js";
import { LAB } from "../workers/protocol.js";

const out = $(document, "tree-result");
let seq = 0;

/**
 * Asks `pane`'s worker for the merge tree of token `id` and draws it.
 * @param {HTMLElement} [el] the token element clicked (its text names the token)
 */
export async function showTree(pane, id, el) {
  const mine = ++seq;
  const answer = await ask(pane, { type: LAB, query: "tree", seq: state.textSeq, loadSeq: pane.loadSeq, tokenId: id });
  if (mine !== seq) return;
  const head = document.createElement("p");
  head.className = "tree-head";
  const where = `${pane.source.label}, token ${id}`;
  if (answer.error || !answer.tree) {
    head.textContent = answer.error ? `${where}: ${answer.error}` : `${where} is not made by merges (not a BPE token, or an added token).`;
    out.replaceChildren(head);
    return;
  }
  const { nodes, roots } = answer.tree;
  const top = nodes[roots[0]];
  const merges = nodes.filter((n) => n.rank !== null);
  const superMerges = merges.filter((n) => n.superword).length;
  const t = answer.transitionPoint;
  head.textContent =
    `${where} ${quote(roots.length === 1 ? top.text : el?.textContent ?? "")}: ` +
    (roots.length === 1
      ? `${fmt(nodes.length - merges.length)} ${nodes.length - merges.length === 1 ? "unit" : "units"}, ${fmt(merges.length)} ${merges.length === 1 ? "merge" : "merges"}` +
        (t === null ? " (this file has no superword merges)" : `, ${fmt(superMerges)} of them superword merges (rank ≥ t = ${fmt(t)})`)
      : `its own text encodes as ${roots.length} tokens: no chain of merges builds it from its bytes (an entry the merges never reach)`);
  const tree = document.createElement("ul");
  tree.className = "merge-tree";
  tree.setAttribute("aria-label", `Merge tree of token ${id}`);
  for (const r of roots) tree.append(nodeItem(nodes, r));
  out.replaceChildren(head, tree);
}

/** One node and, below it, the two it merges (depth first: the last merge on top). */
function nodeItem(nodes, i) {
  const n = nodes[i];
  const li = document.createElement("li");
  const chip = document.createElement("span");
  chip.className = `tree-node${n.rank === null ? " unit" : n.superword ? " superword-merge" : " subword-merge"}`;
  const text = document.createElement("code");
  text.textContent = quote(n.text);
  chip.append(text, ` id ${n.id}`);
  if (n.rank !== null) {
    const rank = document.createElement("span");
    rank.className = "rank";
    rank.textContent = n.superword ? `superword merge ${fmt(n.rank)}` : `merge ${fmt(n.rank)}`;
    chip.append(" ", rank);
  }
  li.append(chip);
  if (n.left !== null) {
    const ul = document.createElement("ul");
    ul.append(nodeItem(nodes, n.left), nodeItem(nodes, n.right));
    li.append(ul);
  }
  return li;
}
