// A pane's tokens out of the page: ids copied as a JSON array, the token table downloaded as CSV
// or JSON (token, id, bytes, UTF-16 and UTF-8 offsets; tools of workers/encode.js `exportTokens`).
// Always the whole text, not only the window drawn.

import { $, fmt } from "./dom.js";
import { ask } from "./pane-worker.js";
import { isCurrent } from "./state.js";
import { EXPORT } from "./workers/protocol.js";

/** Wires the pane's export buttons. */
export function watchExport(pane) {
  const status = $(pane.el, "export-status");
  const say = (text) => {
    status.textContent = text;
  };
  const run = async (format) => {
    const r = pane.result;
    if (!r || !isCurrent(pane, r)) {
      say("nothing to export until the pane is ready");
      return;
    }
    say("exporting…");
    const answer = await ask(pane, { type: EXPORT, seq: r.seq, loadSeq: r.loadSeq, format });
    if (answer.error) {
      say(answer.error);
      return;
    }
    const base = fileName(pane.source.label);
    if (format === "ids") {
      try {
        await navigator.clipboard.writeText(answer.text);
        say(`copied ${fmt(r.count)} ids`);
      } catch {
        // No clipboard (an http page, or permission refused): the same JSON as a file.
        download(new Blob([answer.text], { type: "application/json" }), `${base}-ids.json`);
        say(`the clipboard is not available here: downloaded ${base}-ids.json`);
      }
      return;
    }
    download(answer.blob, `${base}-tokens.${format}`);
    say(`downloaded ${fmt(r.count)} tokens`);
  };
  $(pane.el, "copy-ids").addEventListener("click", () => run("ids"));
  $(pane.el, "export-csv").addEventListener("click", () => run("csv"));
  $(pane.el, "export-json").addEventListener("click", () => run("json"));
}

/** A file name from a tokenizer's label ("OLMo2 SuperBPE t=180k" → "olmo2-superbpe-t-180k"). */
function fileName(label) {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "tokens";
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
