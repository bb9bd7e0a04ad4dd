// The Train panel's chart: bytes per token of the corpus as the vocab grows, one line for BPE
// and one for SuperBPE, with t marked. Plain SVG elements, no library.

import { fmt } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Draws the curves into `target` (an `<svg viewBox="0 0 400 140">`).
 * @param {SVGElement} target
 * @param {{curves: {bpe: Array<[number, number]>, superbpe: Array<[number, number]>},
 *   vocabSize: number, reached: number | null, transition: number}} run the points as
 *   [vocab size, bytes per token]; V asked for, V the BPE reached (null while training), t
 * @returns {boolean} whether there was anything to draw
 */
export function drawCurve(target, { curves, vocabSize, reached, transition }) {
  const points = [...curves.bpe, ...curves.superbpe];
  if (!points.length) return false;
  // Width, height, then the margins left, bottom, top, right, in viewBox units.
  const [W, H, L, B, T, R] = [400, 140, 34, 18, 6, 8];
  // The V asked for, unless the corpus ran out of pairs before it.
  const maxX = reached !== null && reached < vocabSize ? Math.max(...points.map((p) => p[0])) : vocabSize;
  const maxY = Math.ceil(Math.max(2, ...points.map((p) => p[1])));
  const x = (v) => L + ((W - L - R) * v) / maxX;
  const y = (b) => H - B - ((H - B - T) * (b - 1)) / (maxY - 1);
  const nodes = [svg("path", { class: "axis", d: `M${L},${T} V${H - B} H${W - R}` })];
  for (const b of [1, maxY]) nodes.push(svg("text", { class: "tick", x: L - 4, y: y(b) + 3, "text-anchor": "end" }, String(b)));
  nodes.push(svg("text", { class: "tick", x: W - R, y: H - 4, "text-anchor": "end" }, `V ${fmt(maxX)}`));
  if (transition) {
    nodes.push(svg("line", { class: "mark", x1: x(transition), x2: x(transition), y1: T, y2: H - B }));
    nodes.push(svg("text", { class: "tick", x: x(transition), y: H - 4, "text-anchor": "middle" }, `t ${fmt(transition)}`));
  }
  for (const model of ["bpe", "superbpe"]) {
    const pts = curves[model];
    if (pts.length) nodes.push(svg("polyline", { class: `line ${model}`, points: pts.map(([v, b]) => `${x(v).toFixed(1)},${y(b).toFixed(1)}`).join(" ") }));
  }
  target.replaceChildren(...nodes);
  return true;
}
