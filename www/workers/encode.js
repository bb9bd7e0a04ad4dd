// The encode worker, one per pane: holds that pane's tokenizer and encodes off the main thread,
// so a 15 MB tokenizer.json parse or a 1 MB encode never freezes the page. Messages: protocol.js.
// No tokenization logic here: it calls the wasm binding and the pure segments.js.

import { codePointLength, isSuperword, segment, tokenLabel, utf8Length, wordCount } from "../segments.js";
import {
  ENCODE,
  ENCODE_ERROR,
  ENCODED,
  FATAL,
  LOAD,
  LOAD_ERROR,
  LOAD_PROGRESS,
  LOADED,
  MORE,
  STALE,
  WINDOW,
} from "./protocol.js";
import { loadPackage, messageOf } from "./wasm.js";

/**
 * postMessage, checked against the protocol's types (`npx tsc -p www/workers/jsconfig.json`).
 * @param {import("./protocol.js").FromEncodeWorker} msg
 * @param {Transferable[]} [transfer] buffers moved to the page rather than copied
 */
function post(msg, transfer = []) {
  postMessage(msg, transfer);
}

/** The npm package's full browser entry (every component: the page loads any file), as tools/dev/serve.mjs serves pkg/ at /pkg/. */
const wasmReady = loadPackage(new URL("../pkg/full/browser.js", import.meta.url));

let tokenizer = null;
let tokenizerSeq = -1;
let latestLoadSeq = -1;
let inflightFetch = null;
/** The last encoding, kept so the page can ask for the tokens after the first window. */
let last = null;
/** Bytes per token id for the current tokenizer: a display needs at most ~20k lookups. */
const bytesCache = new Map();

function dropTokenizer() {
  tokenizer?.free();
  tokenizer = null;
  tokenizerSeq = -1;
  bytesCache.clear();
  last = null;
}

/** @param {import("./protocol.js").LoadRequest} msg */
async function load(msg) {
  latestLoadSeq = msg.seq;
  inflightFetch?.abort();
  const controller = new AbortController();
  inflightFetch = controller;
  let mod;
  try {
    mod = await wasmReady;
  } catch (err) {
    post({ type: FATAL, message: `${messageOf(err)}. Build it with "npm run build".` });
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
    post({ type: LOAD_PROGRESS, seq: msg.seq, phase: "parse", loaded: bytes.length, total: bytes.length });
    const t0 = performance.now();
    const tok = mod.Tokenizer.fromJSON(bytes);
    // A playground shows the whole text: a file's truncation (BERT: 128 or 512 tokens) and
    // padding are model-input settings, so they are turned off here (the npm API keeps them).
    tok.noTruncation();
    tok.noPadding();
    const ms = performance.now() - t0;
    if (msg.seq !== latestLoadSeq) {
      tok.free();
      return;
    }
    dropTokenizer();
    tokenizer = tok;
    tokenizerSeq = msg.seq;
    post({ type: LOADED, seq: msg.seq, vocabSize: tok.vocabSize, ms });
  } catch (err) {
    if (msg.seq !== latestLoadSeq || controller.signal.aborted) return;
    dropTokenizer();
    post({ type: LOAD_ERROR, seq: msg.seq, message: messageOf(err) });
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
  // A compressed response's length is not the length of the bytes read: total unknown then.
  const total = res.headers.get("content-encoding") ? 0 : Number(res.headers.get("content-length")) || 0;
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
      post({ type: LOAD_PROGRESS, seq: msg.seq, phase: "download", loaded, total });
    }
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  post({ type: LOAD_PROGRESS, seq: msg.seq, phase: "download", loaded, total: total || loaded });
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

/**
 * Display data of tokens `[from, from + limit)` of the last encoding.
 * @returns {import("./protocol.js").TokenWindow}
 */
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

/** @param {import("./protocol.js").MoreRequest} msg */
function more(msg) {
  const { seq, loadSeq } = msg;
  if (!last || last.seq !== seq || last.loadSeq !== loadSeq || tokenizerSeq !== loadSeq) return;
  const w = window_(msg.from, msg.cursor, msg.limit);
  post({ type: WINDOW, seq, loadSeq, ...w }, [w.ids.buffer, w.byteLens.buffer]);
}

/** @param {import("./protocol.js").EncodeRequest} msg */
function encode(msg) {
  const { seq, loadSeq, text, limit } = msg;
  last = null;
  if (!tokenizer || tokenizerSeq !== loadSeq) {
    post({ type: STALE, seq, loadSeq });
    return;
  }
  try {
    const t0 = performance.now();
    // A plain object (nothing to free); reading `tokens` builds its strings, so `ms` counts them.
    const { ids, offsets, tokens } = tokenizer.encode(text, { addSpecialTokens: false });
    const ms = performance.now() - t0;
    if (offsets.length !== 2 * ids.length) {
      throw new Error(`encoding has ${ids.length} ids but ${offsets.length / 2} offset pairs`);
    }
    last = { seq, loadSeq, text, offsets: offsets.slice(), ids, tokens };
    const first = window_(0, 0, limit);
    const stats = superwordStats(text, offsets);
    post(
      {
        type: ENCODED,
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
    post({ type: ENCODE_ERROR, seq, loadSeq, message: messageOf(err) });
  }
}

/** @param {MessageEvent<import("./protocol.js").ToEncodeWorker>} event */
self.onmessage = (event) => {
  const msg = event.data;
  switch (msg.type) {
    case LOAD:
      load(msg);
      return;
    case ENCODE:
      encode(msg);
      return;
    case MORE:
      more(msg);
      return;
    default:
      throw new Error(`encode worker: unknown message type ${JSON.stringify(/** @type {any} */ (msg).type)}`);
  }
};
