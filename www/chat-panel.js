// The Chat panel: messages as an app sends them, rendered by a pane's tokenizer's own chat
// template (its tokenizer_config.json: presets and Hugging Face ids have one), special tokens
// marked, and counted per message, in a worker of its own (workers/chat.js).

import { $, disclosure, fmt } from "./dom.js";
import { sourceKey } from "./sources.js";
import { state } from "./state.js";
import { CHAT_ERROR, CHAT_LOAD, CHAT_LOADED, CHAT_RENDER, CHAT_RENDERED } from "./workers/protocol.js";

const ROLES = ["system", "user", "assistant", "tool"];
const FIRST_MESSAGES = [
  { role: "system", content: "You are a helpful assistant." },
  { role: "user", content: "By the way, what is a superword?" },
];
const RENDER_DEBOUNCE_MS = 200;

/** Where a source's tokenizer_config.json is: presets and hub ids say; a URL ending in
 * tokenizer.json has it beside; a file has none. */
function configOf(source) {
  if (!source) return null;
  if (source.config) return source.config;
  if (source.kind === "remote" && /\/tokenizer\.json$/.test(new URL(source.url).pathname)) return source.url.replace(/tokenizer\.json(\?.*)?$/, "tokenizer_config.json");
  return null;
}

export function setupChatPanel() {
  const root = $(document, "chat");
  const el = Object.fromEntries(["pane", "generation-prompt", "messages", "add", "status", "error", "counts", "rendered"].map((r) => [r, $(root, `chat-${r}`)]));
  /** `pane`: the pane chosen (an object: panes move and go; the select is refilled from it). */
  const chat = { worker: null, seq: 0, renderSeq: 0, loadedKey: null, ready: false, timer: null, pane: null };

  function say(text) {
    el.status.textContent = text;
  }
  function fail(message) {
    el.error.textContent = message;
    el.error.hidden = !message;
  }

  function fillPanes() {
    el.pane.replaceChildren(
      ...state.panes.map((pane, i) => {
        const opt = document.createElement("option");
        opt.value = String(i);
        const config = configOf(pane.source);
        opt.textContent = `pane ${i + 1}: ${pane.source?.label ?? "empty"}${config ? "" : " (no chat template)"}`;
        opt.disabled = !config;
        return opt;
      }),
    );
    if (!chat.pane || !state.panes.includes(chat.pane) || !configOf(chat.pane.source)) chat.pane = state.panes.find((p) => configOf(p.source)) ?? null;
    el.pane.value = String(state.panes.indexOf(chat.pane));
    if (!chat.pane) say("No pane has a chat template: pick a preset such as Qwen3 or Llama 3 in a pane, or a Hugging Face id.");
  }

  function addMessage({ role, content }) {
    const li = document.createElement("li");
    li.className = "chat-message";
    const select = document.createElement("select");
    for (const r of ROLES) select.append(new Option(r, r, false, r === role));
    const text = document.createElement("textarea");
    text.rows = 2;
    text.value = content;

    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "✕";

    const count = document.createElement("span");
    count.className = "chat-count";
    remove.addEventListener("click", () => {
      li.remove();
      nameMessages();
      schedule();
    });
    select.addEventListener("change", schedule);
    text.addEventListener("input", schedule);
    li.append(select, text, count, remove);
    el.messages.append(li);
    nameMessages();
  }

  /** Names each message's controls by its number, for screen readers ("Role of message 2"). */
  function nameMessages() {
    [...el.messages.children].forEach((li, i) => {
      li.querySelector("select").setAttribute("aria-label", `Role of message ${i + 1}`);
      li.querySelector("textarea").setAttribute("aria-label", `Message ${i + 1}`);
      li.querySelector("button").setAttribute("aria-label", `Remove message ${i + 1}`);
    });
  }

  const messages = () => [...el.messages.children].map((li) => ({ role: li.querySelector("select").value, content: li.querySelector("textarea").value }));

  function ensureWorker() {
    if (chat.worker) return;
    chat.worker = new Worker(new URL("./workers/chat.js", import.meta.url), { type: "module" });
    chat.worker.onmessage = (e) => onMessage(e.data);
    chat.worker.onerror = (e) => {
      e.preventDefault();
      fail(`the chat worker failed${e.message ? `: ${e.message}` : ""}`);
    };
  }

  /** Loads the chosen pane's tokenizer and config when they are not the ones loaded. */
  function ensureLoaded() {
    fillPanes(); // the panes may have moved, gone or changed tokenizer since
    const pane = chat.pane;
    const config = configOf(pane?.source);
    if (!pane || !config) return false;
    const key = sourceKey(pane.source);
    if (chat.loadedKey === key) return chat.ready;
    ensureWorker();
    chat.loadedKey = key;
    chat.ready = false;
    chat.seq += 1;
    say(`loading ${pane.source.label} and its chat template…`);
    fail("");
    const src = pane.source;
    /** @type {import("./workers/protocol.js").ChatLoadRequest} */
    const request = { type: CHAT_LOAD, seq: chat.seq, config };
    if (src.buffer) request.buffer = src.buffer.slice(0);
    else request.url = src.url;
    chat.worker.postMessage(request, request.buffer ? [request.buffer] : []);
    return false;
  }

  function schedule() {
    clearTimeout(chat.timer);
    chat.timer = setTimeout(render, RENDER_DEBOUNCE_MS);
  }

  function render() {
    if (!ensureLoaded()) {
      if (!chat.pane) clearRendered();
      return;
    }
    chat.renderSeq += 1;
    say("rendering…");
    /** @type {import("./workers/protocol.js").ChatRenderRequest} */
    const request = { type: CHAT_RENDER, seq: chat.seq, renderSeq: chat.renderSeq, messages: messages(), addGenerationPrompt: el["generation-prompt"].checked };
    chat.worker.postMessage(request);
  }

  /** @param {import("./workers/protocol.js").FromChatWorker} msg */
  function onMessage(msg) {
    if (msg.seq !== chat.seq) return;
    if (msg.type === CHAT_LOADED) {
      chat.ready = true;
      render();
      return;
    }
    if ("renderSeq" in msg && msg.renderSeq !== chat.renderSeq) return;
    if (msg.type === CHAT_ERROR) {
      if (msg.renderSeq === undefined) chat.loadedKey = null; // a failed load is tried again
      fail(msg.message);
      say("");
      el.counts.hidden = true;
      el.rendered.hidden = true;
      for (const c of el.messages.querySelectorAll(".chat-count")) c.textContent = "";
      return;
    }
    if (msg.type === CHAT_RENDERED) showRendered(msg);
  }

  /** No tokenizer with a chat template: nothing rendered is left on show. */
  function clearRendered() {
    chat.loadedKey = null;
    el.counts.hidden = true;
    el.rendered.hidden = true;
    for (const c of el.messages.querySelectorAll(".chat-count")) c.textContent = "";
  }

  /** @param {import("./workers/protocol.js").ChatRendered} msg */
  function showRendered(msg) {
    fail("");
    say(`${fmt(msg.total)} tokens in all`);
    /** @type {Array<[string, number | null]>} */
    const rows = messages().map((m, i) => [`${i + 1}. ${m.role}`, msg.perMessage[i]]);
    if (msg.generationPrompt !== null && el["generation-prompt"].checked) rows.push(["generation prompt", msg.generationPrompt]);
    rows.push(["total", msg.total]);
    const body = el.counts.tBodies[0];
    body.replaceChildren(
      ...rows.map(([label, n]) => {
        const tr = document.createElement("tr");
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = label;
        const td = document.createElement("td");
        td.textContent = n === null ? "—" : fmt(Number(n));
        tr.append(th, td);
        return tr;
      }),
    );
    [...el.messages.children].forEach((li, i) => {
      const n = msg.perMessage[i];
      li.querySelector(".chat-count").textContent = n === null || n === undefined ? "" : `${fmt(n)} tokens`;
    });
    el.counts.hidden = false;
    // The rendered text, special tokens marked (as text: a template's output is never HTML here).
    const parts = [];
    let at = 0;
    for (const [start, end] of msg.specials) {
      if (start < at) continue;
      if (start > at) parts.push(msg.text.slice(at, start));
      const mark = document.createElement("mark");
      mark.className = "special";
      mark.textContent = msg.text.slice(start, end);
      parts.push(mark);
      at = end;
    }
    parts.push(msg.text.slice(at));
    el.rendered.replaceChildren(...parts);
    el.rendered.hidden = false;
  }

  for (const m of FIRST_MESSAGES) addMessage(m);
  el.add.addEventListener("click", () => {
    const last = messages().at(-1)?.role;
    addMessage({ role: last === "user" ? "assistant" : "user", content: "" });
    el.messages.lastElementChild.querySelector("textarea").focus();
    schedule();
  });
  el.pane.addEventListener("change", () => {
    chat.pane = state.panes[Number(el.pane.value)] ?? null;
    schedule();
  });
  el.pane.addEventListener("focus", fillPanes);
  el["generation-prompt"].addEventListener("change", schedule);
  let open = false;
  disclosure($(root, "chat-toggle"), $(root, "chat-body"), (now) => {
    open = now;
    if (!open) return;
    fillPanes();
    schedule();
  });
  // A pane given another tokenizer (or moved, added, removed): the panel follows at once.
  document.addEventListener("panes-changed", () => {
    if (open) schedule();
  });
}
