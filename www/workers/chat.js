// The chat worker: the chat builder's tokenizer with its chat template (the package's
// `tokenscope/chat` entry, loaded only once the Chat panel is opened: minijinja makes it
// 240 KB larger than the encode workers' entry). It renders the messages with the file's own
// template, encodes and counts them per message. Messages: protocol.js. No template logic here.

import { CHAT_ERROR, CHAT_LOAD, CHAT_LOADED, CHAT_RENDER, CHAT_RENDERED } from "./protocol.js";
import { loadPackage, messageOf } from "./wasm.js";

const wasmReady = loadPackage(new URL("../pkg/chat/browser.js", import.meta.url));

/** @param {import("./protocol.js").FromChatWorker} msg */
function post(msg) {
  postMessage(msg);
}

let tokenizer = null;
let loadedSeq = -1;
/** The newest load asked for: an older one that finishes later is dropped. */
let latestSeq = -1;
/** Ids of the special tokens (tokenizer_config.json's `added_tokens_decoder`), marked in the text. */
let specialIds = new Set();

async function fetchBytes(url, what) {
  let res;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`could not fetch the ${what} (${messageOf(err)})`);
  }
  if (res.status === 404) throw new Error(`this tokenizer has no ${what} (${url} is not found), so no chat template`);
  if (!res.ok) throw new Error(`could not fetch the ${what}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** @param {import("./protocol.js").ChatLoadRequest} msg */
async function load(msg) {
  latestSeq = msg.seq;
  try {
    const mod = await wasmReady;
    const [bytes, configBytes] = await Promise.all([msg.buffer ? new Uint8Array(msg.buffer) : fetchBytes(msg.url, "tokenizer"), fetchBytes(msg.config, "tokenizer_config.json")]);
    const config = new TextDecoder().decode(configBytes);
    if (msg.seq !== latestSeq) return;
    const tok = mod.Tokenizer.fromJSON(bytes, { config });
    tok.noTruncation();
    tok.noPadding();
    let parsed = {};
    try {
      parsed = JSON.parse(config);
    } catch {
      // fromJSON has said what is wrong if it matters
    }
    tokenizer?.free();
    tokenizer = tok;
    loadedSeq = msg.seq;
    specialIds = new Set(Object.entries(parsed.added_tokens_decoder ?? {}).filter(([, t]) => t?.special).map(([id]) => Number(id)));
    post({ type: CHAT_LOADED, seq: msg.seq, templates: tok.chatTemplates });
  } catch (err) {
    if (msg.seq === latestSeq) post({ type: CHAT_ERROR, seq: msg.seq, message: messageOf(err) });
  }
}

/** @param {import("./protocol.js").ChatRenderRequest} msg */
function render(msg) {
  const { seq, renderSeq, messages, addGenerationPrompt } = msg;
  if (!tokenizer || loadedSeq !== seq) return;
  try {
    const options = { addGenerationPrompt };
    const enc = tokenizer.encodeChat(messages, options);
    const count = tokenizer.countChat(messages, options);
    const specials = [];
    enc.ids.forEach((id, i) => {
      if (specialIds.has(id)) specials.push([enc.offsets[2 * i], enc.offsets[2 * i + 1]]);
    });
    post({ type: CHAT_RENDERED, seq, renderSeq, text: enc.text, total: count.total, perMessage: count.perMessage, generationPrompt: count.generationPrompt, specials });
  } catch (err) {
    post({ type: CHAT_ERROR, seq, renderSeq, message: messageOf(err) });
  }
}

/** @param {MessageEvent<import("./protocol.js").ToChatWorker>} event */
self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === CHAT_LOAD) load(msg);
  else if (msg.type === CHAT_RENDER) render(msg);
};
