// Output: markdown tables (printed, and pasted into docs/benchmarks.md between the bench markers
// by --write-docs) and the raw results as JSON. Formatting only; no measuring here.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A markdown table; `align` is a string of "l"/"r" per column (default: first left, rest right). */
export function table(header, rows, align) {
  const al = align ?? "l" + "r".repeat(header.length - 1);
  const sep = [...al].map((a) => (a === "r" ? "---:" : "---"));
  return [header, sep, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

const dash = "—";

/** Significant figures that stay readable from 0.01 to 10,000. */
export function num(x, digits = 3) {
  if (x == null || !Number.isFinite(x)) return dash;
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 10 ** digits) return Math.round(x).toLocaleString("en-US");
  return Number(x.toPrecision(digits)).toString();
}

export const ratio = (x) => (x == null || !Number.isFinite(x) ? dash : `${num(x)}×`);
export const ms = (x) => (x == null ? dash : `${num(x)} ms`);
export const mib = (bytes) => (bytes == null ? dash : `${num(bytes / 2 ** 20)} MiB`);
export const kib = (bytes) => `${bytes % 1024 === 0 ? bytes / 1024 : num(bytes / 1024)} KiB`;
// Memory deltas: a tenth of a MiB is below what these deltas resolve.
export const signedMib = (bytes) => (bytes == null ? dash : `${bytes >= 0 ? "+" : "−"}${Math.abs(bytes / 2 ** 20).toFixed(1)} MiB`);
export const mark = (ok) => (ok == null ? "?" : ok ? "✓" : "✗");

/** Replaces what lies between `<!-- bench:start -->` and `<!-- bench:end -->` in a markdown file. */
export function writeBetweenMarkers(file, markdown) {
  const text = readFileSync(file, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} has no ${start} … ${end} pair`);
  writeFileSync(file, `${text.slice(0, i + start.length)}\n${markdown.trim()}\n${text.slice(j)}`);
}

export function writeJson(file, data) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 1)}\n`);
}
