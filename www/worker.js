// One module worker per pane: holds that pane's tokenizer and encodes off the main thread, so a
// 15 MB tokenizer.json parse or a 1 MB encode never freezes the page.
//
// Protocol (main -> worker):
//   {type: "load", seq, url}            fetch a tokenizer.json and build a Tokenizer from it
//   {type: "load", seq, buffer, name}   same, from bytes the page read from a local file
//   {type: "encode", seq, loadSeq, text, limit}
//   {type: "more", seq, loadSeq, from, cursor, limit}   the next window of the last encoding
// (worker -> main):
//   {type: "progress", seq, phase: "download" | "parse", loaded, total}   while loading
//   {type: "loaded", seq, vocabSize, ms} | {type: "load-error", seq, message}
//   {type: "encoded", seq, loadSeq, ...} | {type: "encode-error", seq, loadSeq, message}
//   {type: "more", seq, loadSeq, from, segments, ids, tokens, labels, byteLens, truncated, coveredEnd}
//   {type: "fatal", message}            the wasm package itself could not be loaded
// `seq` numbers come from the page; the page drops any answer that is not for its latest request.
// This file holds no tokenization logic: it calls the wasm binding and the pure segments.js.

import { codePointLength, isSuperword, segment, tokenLabel, utf8Length, wordCount } from "./segments.js";
import { PKG_URL, messageOf, wasmReady } from "./wasm.js";

let tokenizer = null;
let tokenizerSeq = -1;
let latestLoadSeq = -1;
let inflightFetch = null;
/** Bytes per token id for the current tokenizer: a display needs at most ~20k lookups. */
const bytesCache = new Map();

function dropTokenizer() {
  tokenizer?.free?.();
  tokenizer = null;
  tokenizerSeq = -1;
  bytesCache.clear();
  last = null;
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
      bytes = await download(msg, controller.signal);
    }
    if (msg.seq !== latestLoadSeq) return;
    postMessage({ type: "progress", seq: msg.seq, phase: "parse", loaded: bytes.length, total: bytes.length });
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

/** Minimum time between two download progress messages. */
const PROGRESS_MS = 100;

/** Fetches `msg.url` as bytes, posting download progress (`total` 0 when the size is unknown). */
async function download(msg, signal) {
  let res;
  try {
    res = await fetch(msg.url, { signal });
  } catch (err) {
    // fetch says only "Failed to fetch": no server, no network, or a server without CORS.
    throw new Error(`could not fetch ${msg.url} (${messageOf(err)}: no network, or the server does not allow this page to read it)`);
  }
  if (!res.ok) throw new Error(`could not fetch ${msg.url}: HTTP ${res.status}${res.status === 404 ? " (not found: check the URL or hub id)" : ` ${res.statusText}`}`);
  const total = Number(res.headers.get("content-length")) || 0;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const chunks = [];
  let loaded = 0;
  let last = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (performance.now() - last > PROGRESS_MS) {
      last = performance.now();
      postMessage({ type: "progress", seq: msg.seq, phase: "download", loaded, total });
    }
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  postMessage({ type: "progress", seq: msg.seq, phase: "download", loaded, total: total || loaded });
  return bytes;
}

function tokenBytes(id) {
  let bytes = bytesCache.get(id);
  if (bytes === undefined) {
    bytes = tokenizer.tokenBytes(id) ?? new Uint8Array(0);
    bytesCache.set(id, bytes);
  }
  return bytes;
}

/** Superword tokens of the whole text: how many, and the most frequent ones with counts. */
function superwordStats(text, offsets, top = 10) {
  const counts = new Map();
  let n = 0;
  for (let i = 0; i < offsets.length; i += 2) {
    const piece = text.slice(offsets[i], offsets[i + 1]);
    if (!isSuperword(piece)) continue;
    n++;
    counts.set(piece, (counts.get(piece) ?? 0) + 1);
  }
  const frequent = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top);
  return { superwords: n, frequent };
}

/** The last encoding, kept so the page can ask for the tokens after the first window. */
let last = null;

/** Display data of tokens `[from, from + limit)` of the last encoding. */
function window_(from, cursor, limit) {
  const { text, offsets, ids, tokens } = last;
  const seg = segment(text, offsets, { limit, from, cursor });
  const n = seg.shownTokens - from;
  const shownIds = ids.slice(from, from + n);
  const byteLens = new Uint32Array(n);
  const labels = new Array(n);
  for (let i = 0; i < n; i++) {
    const bytes = tokenBytes(shownIds[i]);
    byteLens[i] = bytes.length;
    labels[i] = tokenLabel(bytes);
  }
  return {
    from,
    segments: seg.segments,
    truncated: seg.truncated,
    coveredEnd: seg.coveredEnd,
    ids: shownIds,
    tokens: Array.prototype.slice.call(tokens, from, from + n),
    labels,
    byteLens,
  };
}

function more(msg) {
  const { seq, loadSeq } = msg;
  if (!last || last.seq !== seq || last.loadSeq !== loadSeq || tokenizerSeq !== loadSeq) return;
  const w = window_(msg.from, msg.cursor, msg.limit);
  postMessage({ type: "more", seq, loadSeq, ...w }, [w.ids.buffer, w.byteLens.buffer]);
}

function encode(msg) {
  const { seq, loadSeq, text, limit } = msg;
  last = null;
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
    last = { seq, loadSeq, text, offsets: offsets.slice(), ids, tokens };
    const first = window_(0, 0, limit);
    const stats = superwordStats(text, offsets);
    postMessage(
      {
        type: "encoded",
        seq,
        loadSeq,
        count: ids.length,
        chars: codePointLength(text),
        bytes: utf8Length(text),
        words: wordCount(text),
        ms,
        superwords: stats.superwords,
        frequentSuperwords: stats.frequent,
        // All spans (UTF-16), for the comparison with another pane's tokens (a copy is kept).
        offsets,
        ...first,
      },
      [first.ids.buffer, first.byteLens.buffer, offsets.buffer],
    );
  } catch (err) {
    postMessage({ type: "encode-error", seq, loadSeq, message: messageOf(err) });
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "load") load(msg);
  else if (msg.type === "encode") encode(msg);
  else if (msg.type === "more") more(msg);
};
