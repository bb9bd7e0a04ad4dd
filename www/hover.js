// Pointing at a token (pointer over a token or its id, or arrow keys in a focused pane): the
// pane's info line and a tooltip beside the token describe it (id, bytes, vocab string, the
// baseline's pieces it replaces), a screen reader hears the same when the keys moved, and the
// same text lights up in the other panes and in the ids view.

import { $, fmt, quote } from "./dom.js";
import { firstSegmentEndingAfter } from "./segments.js";
import { INFO_HINT, state } from "./state.js";

/** Elements of any pane lit up by the current hover. */
let echoes = [];
const tooltip = $(document, "tooltip");
const announcer = $(document, "announce");
// The tooltip is fixed to the viewport: it goes when the page scrolls, or a tap lands elsewhere.
addEventListener("scroll", () => (tooltip.hidden = true), { passive: true });
document.addEventListener("pointerdown", (e) => {
  if (!(/** @type {Element} */ (e.target).closest?.(".tokens, .ids"))) tooltip.hidden = true;
});

/** Listens for the pointer and the keyboard on a new pane's tokens and ids. */
export function watchHover(pane) {
  pane.tokens.addEventListener("mouseover", (e) => onHover(pane, e));
  // A tap (a phone has no hover) points at the token too.
  pane.tokens.addEventListener("click", (e) => onHover(pane, e));
  pane.tokens.addEventListener("mouseleave", () => clearHover(pane));
  pane.tokens.addEventListener("keydown", (e) => onTokensKey(pane, e));
  pane.tokens.addEventListener("blur", () => clearHover(pane));
  pane.ids.addEventListener("mouseover", (e) => onIdHover(pane, e));
  pane.ids.addEventListener("mouseleave", () => clearHover(pane));
}

function onHover(pane, event) {
  const el = event.target.closest?.(".tok");
  if (!el || !pane.result) return;
  const k = pane.segmentOf.get(el);
  if (k !== undefined) pointAt(pane, k, { x: event.clientX, y: event.clientY });
}

/** Hover on an id of the ids view: the same as hovering its token. */
function onIdHover(pane, event) {
  const chip = event.target.closest?.(".id");
  if (!chip || !pane.result) return;
  pointAt(pane, Number(chip.dataset.k));
}

/** Arrow keys move from token to token in a focused pane, Home and End to the first and last
 * drawn; Escape lets go. */
function onTokensKey(pane, event) {
  if (!pane.result) return;
  const segs = pane.result.segments;
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: 1, End: -1 }[event.key];
  if (event.key === "Escape") {
    clearHover(pane);
    return;
  }
  if (!step) return;
  event.preventDefault();
  // Home and End: the first and the last token drawn.
  let k = event.key === "Home" ? -1 : event.key === "End" ? segs.length : pane.active < 0 ? (step > 0 ? -1 : segs.length) : pane.active;
  do k += step;
  while (k >= 0 && k < segs.length && segs[k].kind !== "token");
  if (k < 0 || k >= segs.length || !pane.elements[k]) return;
  pane.elements[k].scrollIntoView({ block: "nearest" });
  pointAt(pane, k, null);
  // Read out what the keys reached (the pointer's hovers are not: they would chatter).
  announcer.textContent = pane.info.textContent;
}

/** Shows token segment `k` of `pane`: info line, tooltip (at the pointer `at`, else under the
 * token), its id, and the same text in the other panes. */
function pointAt(pane, k, at) {
  const seg = pane.result.segments[k];
  if (!seg || seg.kind !== "token") return;
  clearEchoes();
  pane.active = k;
  const lines = describeToken(pane.result, seg, pane.brackets.get(k), pane.partOf.get(k));
  pane.info.textContent = lines.join(" · ");
  pane.info.dataset.active = "";
  showTooltip(pane, k, lines, at);
  const own = [pane.elements[k], pane.ids.querySelector(`[data-k="${k}"]`)];
  for (const el of own) {
    if (!el) continue;
    el.classList.add("echo");
    echoes.push(el);
  }
  if (seg.end <= seg.start) return;
  for (const other of state.panes) {
    if (other === pane || !other.result || other.result.seq !== pane.result.seq) continue;
    const segs = other.result.segments;
    for (let j = firstSegmentEndingAfter(segs, seg.start); j < segs.length && segs[j].shownStart < seg.end; j++) {
      const target = other.elements[j];
      if (segs[j].kind !== "token" || !target) continue;
      target.classList.add("echo");
      echoes.push(target);
    }
  }
}

function clearEchoes() {
  for (const el of echoes) el.classList.remove("echo");
  echoes = [];
}

/** Lets go of the pane's token: no echoes, no tooltip, the info line back to its hint. */
export function clearHover(pane) {
  clearEchoes();
  pane.active = -1;
  pane.info.textContent = INFO_HINT;
  delete pane.info.dataset.active;
  pane.tokens.removeAttribute("aria-describedby");
  if (tooltip.dataset.forPane === String(pane.index)) tooltip.hidden = true;
}

/** The tooltip, one line per fact, beside the pointer or under the token; kept inside the
 * viewport (a phone's 390 px too). */
function showTooltip(pane, k, lines, at) {
  tooltip.replaceChildren(
    ...lines.map((line) => {
      const div = document.createElement("div");
      div.textContent = line;
      return div;
    }),
  );
  tooltip.dataset.forPane = String(pane.index);
  tooltip.hidden = false;
  pane.tokens.setAttribute("aria-describedby", tooltip.id);
  const box = pane.elements[k].getBoundingClientRect();
  const x = at ? at.x : box.left;
  const y = at ? at.y : box.bottom;
  const gap = 12;
  const { width, height } = tooltip.getBoundingClientRect();
  const left = Math.max(4, Math.min(x + (at ? gap : 0), innerWidth - width - 4));
  // Below the pointer or the token; above it when there is no room below.
  const below = at ? y + gap : y + 4;
  const top = below + height <= innerHeight - 4 ? below : Math.max(4, (at ? y - gap : box.top - 4) - height);
  tooltip.style.left = `${left}px`;
  tooltip.style.top = `${top}px`;
}

/**
 * What the info line, the tooltip and a screen reader say of a token, as lines. The token's text
 * is its bytes decoded, with a partial UTF-8 character shown as hex (`<E6 97>`), never U+FFFD.
 * @param {import("./workers/protocol.js").Encoded} result the pane's result
 * @param {object} seg the token's segment
 * @param {string[]} [pieces] the baseline's tokens this token replaces, if any
 * @param {{text: string, pieces: number, label: string, pane: number}} [partOf] baseline: the
 *   superword of another pane this token is part of
 * @returns {string[]}
 */
function describeToken(result, seg, pieces, partOf) {
  const index = seg.index;
  const i = index - result.from; // the window's arrays start at its first token
  const bytes = result.byteLens[i];
  const lines = [
    `token ${fmt(index + 1)}`,
    `id ${result.ids[i]}`,
    // JSON quoting shows control characters and quotes unambiguously; hex stays as it is.
    /^<[0-9A-F ]+>$/.test(result.labels[i]) ? result.labels[i] : quote(result.labels[i]),
    `vocab ${quote(result.tokens[i])}`,
    `${bytes} ${bytes === 1 ? "byte" : "bytes"}`,
    `text [${seg.start}, ${seg.end})`,
  ];
  if (seg.superword) lines.push("a superword: one token across spaces");
  // The lab's marks in words too (colour alone tells nothing to a screen reader).
  const stage = result.stages?.[i];
  if (stage !== undefined) lines.push(["made by no merge", "made by a subword merge", "made by a superword merge (rank ≥ t)"][stage]);
  if (result.pieceMarks?.[i] & 2) lines.push("starts a pre-tokenizer piece");
  lines.push("click: how it was built");
  if (pieces) lines.push(`replaces ${pieces.length} tokens of the first pane: ${pieces.map(quote).join(" ")}`);
  if (partOf) lines.push(`part of ${quote(partOf.text)}, one token of pane ${partOf.pane + 1} (${partOf.label}) for ${partOf.pieces} here`);
  return lines;
}
