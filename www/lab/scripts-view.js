// The Scripts view: per writing system of the text, each pane's tokens per character, bytes per
// token and over-segmentation against Latin (www/lab/scripts.js in the panes' workers), as a
// table and a chart; and each pane's share of whole-word tokens and of tokens that split a
// character.

import { $, fmt } from "../dom.js";
import { ask } from "../pane-worker.js";
import { isCurrent, state } from "../state.js";
import { LAB } from "../workers/protocol.js";
import { barChart, table } from "../charts.js";

const out = $(document, "scripts-result");
let seq = 0;

/** A text in ten scripts, for the button that puts it in the text box. */
const SAMPLE = [
  "By the way, the results of the study were published at the end of the year.",
  "Кстати, результаты исследования были опубликованы в конце года.",
  "Παρεμπιπτόντως, τα αποτελέσματα δημοσιεύθηκαν στο τέλος του έτους.",
  "بالمناسبة، نُشرت نتائج الدراسة في نهاية العام.",
  "वैसे, अध्ययन के परिणाम साल के अंत में प्रकाशित हुए।",
  "顺便说一下，研究结果在年底发表了。",
  "ところで、研究の結果は年末に発表されました。",
  "그런데 연구 결과는 연말에 발표되었습니다.",
  "อย่างไรก็ตาม ผลการศึกษาได้รับการตีพิมพ์ในช่วงปลายปี",
  "Emoji 👍🏽 🇯🇵 👨‍👩‍👧 and numbers 1,234,567 and code: if (x == 42) { return f(x); }",
].join("\n");

export function setupScriptsView() {
  $(document, "scripts-sample").addEventListener("click", () => {
    const input = /** @type {HTMLTextAreaElement} */ ($(document, "input"));
    // As an edit (Ctrl+Z brings the old text back), falling back to setting the value.
    input.focus({ preventScroll: true });
    input.select();
    if (!document.execCommand("insertText", false, SAMPLE)) {
      input.value = SAMPLE;
      input.dispatchEvent(new Event("input"));
    }
  });
}

const ratio = (v) => (v === null ? "–" : `${v.toFixed(2)}×`);

export async function showScripts() {
  const mine = ++seq;
  const panes = state.panes.filter((p) => p.result && isCurrent(p, p.result));
  if (!panes.length || !state.text) {
    out.textContent = state.text ? "No pane has tokens yet." : "The text is empty: type or paste some, or use a text in 10 scripts.";
    return;
  }
  const answers = await Promise.all(panes.map((p) => ask(p, { type: LAB, query: "scripts", seq: state.textSeq, loadSeq: p.loadSeq })));
  if (mine !== seq) return;
  const failed = answers.find((a) => a.error);
  if (failed) {
    out.textContent = failed.error;
    return;
  }
  // Rows: the scripts any pane saw, in the order of the first pane's answer (all see the same text).
  const scripts = answers[0].rows.map((r) => r.script);
  const head = ["script", "characters"];
  for (const p of panes) head.push(`${p.source.label}: tokens / char`, "bytes / token", "× Latin");
  const rows = scripts.map((s) => {
    const first = answers[0].rows.find((r) => r.script === s);
    const cells = [s, fmt(first.chars)];
    for (const a of answers) {
      const r = a.rows.find((x) => x.script === s);
      cells.push(r.tokensPerChar.toFixed(3), r.bytesPerToken.toFixed(2), ratio(r.overLatin));
    }
    return cells;
  });
  const summary = document.createElement("ul");
  summary.className = "scripts-summary";
  panes.forEach((p, i) => {
    const li = document.createElement("li");
    const t = answers[i].total;
    li.textContent = `${p.source.label}: ${(100 * t.wholeWordShare).toFixed(1)}% of its ${fmt(t.tokens)} tokens are whole words; ${(100 * t.splitCharShare).toFixed(1)}% split a character.`;
    summary.append(li);
  });
  // Over-segmentation against Latin (MAGNET's view): per pane, how many times more tokens a
  // character of each script takes.
  const compared = scripts.filter((s) => !["Latin", "Whitespace", "Code & punctuation", "Other"].includes(s));
  const chart = barChart(
    panes.map((p, i) => ({
      title: `${p.source.label}: tokens per character, × Latin`,
      rows: compared.flatMap((s) => {
        const r = answers[i].rows.find((x) => x.script === s);
        return r.overLatin === null ? [] : [{ label: s, pane: p.index, value: r.overLatin, text: ratio(r.overLatin) }];
      }),
    })).filter((g) => g.rows.length),
    { shared: true },
  );
  out.replaceChildren(table("Tokens by script (a character is a grapheme cluster; a token counts in each script by its share of bytes)", head, rows), summary, chart);
}
