// Pointing at a token (pointer over a token or its id, or arrow keys in a focused pane): the
// pane's info line describes it, and the same text lights up in the other panes and in the ids
// view.

import { fmt } from "./dom.js";
import { firstSegmentEndingAfter } from "./segments.js";
import { INFO_HINT, state } from "./state.js";

/** Elements of any pane lit up by the current hover. */
let echoes = [];

/** Listens for the pointer and the keyboard on a new pane's tokens and ids. */
export function watchHover(pane) {
  pane.tokens.addEventListener("mouseover", (e) => onHover(pane, e));
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
  if (k !== undefined) pointAt(pane, k);
}

/** Hover on an id of the ids view: the same as hovering its token. */
function onIdHover(pane, event) {
  const chip = event.target.closest?.(".id");
  if (!chip || !pane.result) return;
  pointAt(pane, Number(chip.dataset.k));
}

/** Arrow keys move from token to token in a focused pane; Escape lets go. */
function onTokensKey(pane, event) {
  if (!pane.result) return;
  const segs = pane.result.segments;
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
  if (event.key === "Escape") {
    clearHover(pane);
    return;
  }
  if (!step) return;
  event.preventDefault();
  let k = pane.active < 0 ? (step > 0 ? -1 : segs.length) : pane.active;
  do k += step;
  while (k >= 0 && k < segs.length && segs[k].kind !== "token");
  if (k < 0 || k >= segs.length || !pane.elements[k]) return;
  pointAt(pane, k);
  pane.elements[k].scrollIntoView({ block: "nearest" });
}

/** Shows token segment `k` of `pane`: info line, its id, and the same text in the other panes. */
function pointAt(pane, k) {
  const seg = pane.result.segments[k];
  if (!seg || seg.kind !== "token") return;
  clearEchoes();
  pane.active = k;
  pane.info.textContent = describeToken(pane.result, seg, pane.brackets.get(k));
  pane.info.dataset.active = "";
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

/** Lets go of the pane's token: no echoes, the info line back to its hint. */
export function clearHover(pane) {
  clearEchoes();
  pane.active = -1;
  pane.info.textContent = INFO_HINT;
  delete pane.info.dataset.active;
}

/**
 * One-line description of a token for the pane's info line. The token's text is its bytes
 * decoded, with a partial UTF-8 character shown as hex (`<E6 97>`), never U+FFFD.
 * @param {import("./workers/protocol.js").Encoded} result the pane's result
 * @param {object} seg the token's segment
 * @param {string[]} [pieces] the baseline's tokens this token replaces, if any
 * @returns {string}
 */
function describeToken(result, seg, pieces) {
  const index = seg.index;
  const bytes = result.byteLens[index];
  const parts = [
    `token ${fmt(index + 1)}`,
    `id ${result.ids[index]}`,
    // JSON quoting shows control characters and quotes unambiguously; hex stays as it is.
    /^<[0-9A-F ]+>$/.test(result.labels[index]) ? result.labels[index] : JSON.stringify(result.labels[index]),
    `vocab ${JSON.stringify(result.tokens[index])}`,
    `${bytes} ${bytes === 1 ? "byte" : "bytes"}`,
    `text [${seg.start}, ${seg.end})`,
  ];
  if (pieces) parts.push(`replaces ${pieces.length} tokens of the first pane: ${pieces.map((p) => JSON.stringify(p)).join(" ")}`);
  return parts.join(" · ");
}
