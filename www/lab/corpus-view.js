// The Corpus view: files of one's own (or the text box) through every pane's tokenizer, in the
// panes' workers at once: per file and pane the tokens, bytes per token and time to count per MB,
// per script the tokens per character; a table, a chart, and the figures as CSV or JSON.

import { $, fmt } from "../dom.js";
import { ask } from "../pane-worker.js";
import { state } from "../state.js";
import { LAB } from "../workers/protocol.js";
import { barChart, table } from "../charts.js";

const out = $(document, "corpus-result");
const info = $(document, "corpus-info");
const errorEl = $(document, "corpus-error");
const runButton = /** @type {HTMLButtonElement} */ ($(document, "corpus-run"));
/** Texts of a corpus: 32 MiB is the most `encode` takes at once (the wasm package's limit). */
const MAX_FILE = 32 << 20;
/** @type {Array<{name: string, text: string}>} */
let files = [];
let seq = 0;

export function setupCorpusView() {
  const input = /** @type {HTMLInputElement} */ ($(document, "corpus-files"));
  input.addEventListener("change", async () => {
    const chosen = [...(input.files ?? [])];
    const big = chosen.find((f) => f.size > MAX_FILE);
    if (big) return fail(`${big.name} is over 32 MiB, the most one encode takes: split it.`);
    try {
      files = await Promise.all(chosen.map(async (f) => ({ name: f.name, text: utf8(f.name, await f.arrayBuffer()) })));
    } catch (err) {
      files = [];
      ready();
      return fail(err.message);
    }
    ready();
  });
  $(document, "corpus-use-text").addEventListener("click", () => {
    files = state.text ? [{ name: "the text above", text: state.text }] : [];
    ready();
    if (!state.text) fail("The text box is empty.");
  });
  runButton.addEventListener("click", run);
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A file's text; one that is not UTF-8 is refused (decoded, its bytes would be U+FFFD). */
function utf8(name, bytes) {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new Error(`${name} is not UTF-8 text: only UTF-8 text files can be counted`);
  }
}

function fail(message) {
  errorEl.textContent = message;
  errorEl.hidden = false;
}

function ready() {
  errorEl.hidden = true;
  const bytes = files.reduce((n, f) => n + new Blob([f.text]).size, 0);
  const size = bytes < 1e6 ? `${fmt(Math.ceil(bytes / 1e3))} KB` : `${(bytes / 1e6).toFixed(2)} MB`;
  info.textContent = `${files.length} ${files.length === 1 ? "text" : "texts"}, ${size}`;
  runButton.disabled = files.every((f) => !f.text);
}

async function run() {
  const mine = ++seq;
  const panes = state.panes.filter((p) => p.loaded);
  if (!panes.length) return fail("No pane has a tokenizer loaded.");
  errorEl.hidden = true;
  runButton.disabled = true;
  out.textContent = `encoding in ${panes.length} workers…`;
  const answers = await Promise.all(panes.map((p) => ask(p, { type: LAB, query: "corpus", seq: state.textSeq, loadSeq: p.loadSeq, files, specialTokens: state.specialTokens })));
  runButton.disabled = false;
  if (mine !== seq) return;
  const failed = answers.findIndex((a) => a.error);
  if (failed >= 0) return fail(`${panes[failed].source.label}: ${answers[failed].error}`);
  const results = panes.map((p, i) => ({ tokenizer: p.source.label, pane: p.index, files: answers[i].rows, scripts: answers[i].scripts }));
  const total = (r) => r.files.reduce((s, f) => ({ bytes: s.bytes + f.bytes, tokens: s.tokens + f.tokens, ms: s.ms + f.ms }), { bytes: 0, tokens: 0, ms: 0 });
  const perMb = (ms, bytes) => (bytes ? ms / (bytes / 1e6) : 0);
  const fileRows = [];
  for (const r of results) {
    for (const f of r.files) fileRows.push([r.tokenizer, f.name, fmt(f.bytes), fmt(f.tokens), (f.bytes / Math.max(f.tokens, 1)).toFixed(2), perMb(f.ms, f.bytes).toFixed(1)]);
    const t = total(r);
    if (r.files.length > 1) fileRows.push([r.tokenizer, "all files", fmt(t.bytes), fmt(t.tokens), (t.bytes / Math.max(t.tokens, 1)).toFixed(2), perMb(t.ms, t.bytes).toFixed(1)]);
  }
  const scripts = [...new Set(results.flatMap((r) => r.scripts.map((s) => s.script)))];
  const scriptRows = scripts.map((s) => [
    s,
    ...results.flatMap((r) => {
      const x = r.scripts.find((y) => y.script === s);
      return x ? [(x.tokens / Math.max(x.chars, 1)).toFixed(3), (x.bytes / Math.max(x.tokens, 1e-9)).toFixed(2)] : ["–", "–"];
    }),
  ]);
  const chart = barChart([
    { title: "bytes per token (higher is fewer tokens)", rows: results.map((r) => ({ label: r.tokenizer, pane: r.pane, value: total(r).bytes / Math.max(total(r).tokens, 1), text: (total(r).bytes / Math.max(total(r).tokens, 1)).toFixed(2) })) },
    { title: "time to count, ms per MB (this browser, one worker each, caches warm)", rows: results.map((r) => ({ label: r.tokenizer, pane: r.pane, value: perMb(total(r).ms, total(r).bytes), text: perMb(total(r).ms, total(r).bytes).toFixed(0) })) },
  ]);
  const exports = document.createElement("p");
  exports.className = "corpus-export";
  exports.append(download("Download CSV", "tokenscope-corpus.csv", "text/csv", toCsv(results)), " ", download("Download JSON", "tokenscope-corpus.json", "application/json", JSON.stringify({ files: files.map((f) => f.name), results }, null, 1)));
  out.replaceChildren(
    table("Per file", ["tokenizer", "file", "bytes", "tokens", "bytes / token", "ms per MB (count)"], fileRows),
    table("Per script, all files", ["script", ...results.flatMap((r) => [`${r.tokenizer}: tokens / char`, "bytes / token"])], scriptRows),
    chart,
    exports,
  );
}

/** A link that downloads `text` as a file. */
function download(label, name, type, text) {
  const a = document.createElement("a");
  a.textContent = label;
  a.download = name;
  a.href = URL.createObjectURL(new Blob([text], { type }));
  return a;
}

function toCsv(results) {
  const cell = (v) => `"${String(v).replaceAll('"', '""')}"`;
  const lines = ["tokenizer,file,bytes,chars,tokens,ms"];
  for (const r of results) for (const f of r.files) lines.push([cell(r.tokenizer), cell(f.name), f.bytes, f.chars, f.tokens, f.ms.toFixed(3)].join(","));
  lines.push("", "tokenizer,script,chars,bytes,tokens");
  for (const r of results) for (const s of r.scripts) lines.push([cell(r.tokenizer), cell(s.script), s.chars, s.bytes, s.tokens.toFixed(6)].join(","));
  return `${lines.join("\r\n")}\r\n`;
}
