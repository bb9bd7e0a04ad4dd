// One module worker per pane: holds that pane's tokenizer and encodes off the main thread, so a
// 15 MB tokenizer.json parse or a 1 MB encode never freezes the page.
//
// Protocol (main -> worker):
//   {type: "load", seq, url}            fetch a tokenizer.json and build a Tokenizer from it
//   {type: "load", seq, buffer, name}   same, from bytes the page read from a local file
//   {type: "encode", seq, loadSeq, text, limit}
// (worker -> main):
//   {type: "loaded", seq, vocabSize, ms} | {type: "load-error", seq, message}
//   {type: "encoded", seq, loadSeq, ...} | {type: "encode-error", seq, loadSeq, message}
//   {type: "fatal", message}            the wasm package itself could not be loaded
// `seq` numbers come from the page; the page drops any answer that is not for its latest request.
// This file holds no tokenization logic: it calls the wasm binding and the pure segments.js.

import { segment, utf8Length, codePointLength } from "./segments.js";

const PKG_URL = new URL("./pkg/browser.js", import.meta.url);

const wasmReady = (async () => {
  const mod = await import(PKG_URL.href);
  await mod.default();
  return mod;
})();
// Reported by the first load; keep the rejection from also surfacing as "uncaught".
wasmReady.catch(() => {});

let tokenizer = null;
let tokenizerSeq = -1;
let latestLoadSeq = -1;
let inflightFetch = null;
/** Byte length per token id for the current tokenizer: a display needs at most ~20k lookups. */
const byteLenCache = new Map();

function messageOf(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}

function dropTokenizer() {
  tokenizer?.free?.();
  tokenizer = null;
  tokenizerSeq = -1;
  byteLenCache.clear();
}

async function load(msg) {
  latestLoadSeq = msg.seq;
  inflightFetch?.abort();
  const controller = new AbortController();
  inflightFetch = controller;
  let mod;
  try {
    mod = await wasmReady;
  } catch (err) {
    postMessage({
      type: "fatal",
      message: `could not load the WebAssembly package (${PKG_URL.pathname}): ${messageOf(err)}. Build it with "npm run build".`,
    });
    return;
  }
  try {
    let bytes;
    if (msg.buffer) {
      bytes = new Uint8Array(msg.buffer);
    } else {
      const res = await fetch(msg.url, { signal: controller.signal });
      if (!res.ok) throw new Error(`could not fetch ${msg.url}: HTTP ${res.status} ${res.statusText}`);
      bytes = new Uint8Array(await res.arrayBuffer());
    }
    if (msg.seq !== latestLoadSeq) return;
    const t0 = performance.now();
    const tok = mod.Tokenizer.fromJSON(bytes);
    // A playground shows the whole text: a file's truncation (BERT: 128 or 512 tokens) and
    // padding are model-input settings, so they are turned off here (the npm API keeps them).
    tok.noTruncation();
    tok.noPadding();
    const ms = performance.now() - t0;
    if (msg.seq !== latestLoadSeq) {
      tok.free?.();
      return;
    }
    dropTokenizer();
    tokenizer = tok;
    tokenizerSeq = msg.seq;
    postMessage({ type: "loaded", seq: msg.seq, vocabSize: tok.vocabSize, ms });
  } catch (err) {
    if (msg.seq !== latestLoadSeq || controller.signal.aborted) return;
    dropTokenizer();
    postMessage({ type: "load-error", seq: msg.seq, message: messageOf(err) });
  } finally {
    if (inflightFetch === controller) inflightFetch = null;
  }
}

function byteLength(id) {
  let n = byteLenCache.get(id);
  if (n === undefined) {
    const bytes = tokenizer.tokenBytes(id);
    n = bytes ? bytes.length : 0;
    byteLenCache.set(id, n);
  }
  return n;
}

function encode(msg) {
  const { seq, loadSeq, text, limit } = msg;
  if (!tokenizer || tokenizerSeq !== loadSeq) {
    postMessage({ type: "encoded", seq, loadSeq, stale: true });
    return;
  }
  try {
    const t0 = performance.now();
    const enc = tokenizer.encode(text, { addSpecialTokens: false });
    // Read each field once: wasm-bindgen getters copy on every access.
    const ids = enc.ids;
    const offsets = enc.offsets;
    const tokens = enc.tokens;
    enc.free?.();
    const ms = performance.now() - t0;
    if (offsets.length !== 2 * ids.length) {
      throw new Error(`encoding has ${ids.length} ids but ${offsets.length / 2} offset pairs`);
    }
    const seg = segment(text, offsets, { limit });
    const n = seg.shownTokens;
    const shownIds = Uint32Array.from(ids.subarray ? ids.subarray(0, n) : Array.prototype.slice.call(ids, 0, n));
    const shownTokens = Array.prototype.slice.call(tokens, 0, n);
    const byteLens = new Uint32Array(n);
    for (let i = 0; i < n; i++) byteLens[i] = byteLength(shownIds[i]);
    postMessage(
      {
        type: "encoded",
        seq,
        loadSeq,
        count: ids.length,
        chars: codePointLength(text),
        bytes: utf8Length(text),
        ms,
        segments: seg.segments,
        truncated: seg.truncated,
        coveredEnd: seg.coveredEnd,
        ids: shownIds,
        tokens: shownTokens,
        byteLens,
      },
      [shownIds.buffer, byteLens.buffer],
    );
  } catch (err) {
    postMessage({ type: "encode-error", seq, loadSeq, message: messageOf(err) });
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "load") load(msg);
  else if (msg.type === "encode") encode(msg);
};
