// The encode worker, one per pane: holds that pane's tokenizer and encodes off the main thread,
// so a 15 MB tokenizer.json parse or a 1 MB encode never freezes the page. Messages: protocol.js.
// No tokenization logic here: it calls the wasm binding and the pure segments.js.

import { codePointLength, graphemeClusterEnd, isSuperword, segment, tokenLabel, utf8Length, utf8Offsets, wordCount } from "../segments.js";
import {
  ENCODE,
  ENCODE_ERROR,
  ENCODED,
  EXPORT,
  EXPORTED,
  FATAL,
  LAB,
  LAB_ANSWER,
  LOAD,
  LOAD_ERROR,
  LOAD_PROGRESS,
  LOADED,
  LOOKED_UP,
  LOOKUP,
  MORE,
  STALE,
  WINDOW,
} from "./protocol.js";
import { Lab, corpus, cutAt, scripts, superwordsByWords } from "./lab.js";
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
/** The superword lab's view of `tokenizer` (workers/lab.js). */
let lab = null;
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
  lab = null;
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
    let tok;
    try {
      tok = mod.Tokenizer.fromJSON(bytes);
    } catch (err) {
      throw new Error(explainLoadError(messageOf(err), bytes));
    }
    // A playground shows the whole text: a file's truncation (BERT: 128 or 512 tokens) and
    // padding are model-input settings, so they are turned off here (the npm API keeps them).
    tok.noTruncation();
    tok.noPadding();
    const ms = performance.now() - t0;
    if (msg.seq !== latestLoadSeq) {
      tok.free();
      return;
    }
    const tokLab = new Lab(tok);
    dropTokenizer();
    tokenizer = tok;
    lab = tokLab;
    tokenizerSeq = msg.seq;
    post({ type: LOADED, seq: msg.seq, vocabSize: tok.vocabSize, ms, transitionPoint: tokLab.transitionPoint });
  } catch (err) {
    if (msg.seq !== latestLoadSeq || controller.signal.aborted) return;
    // The tokenizer held so far stays: the page goes back to it.
    post({ type: LOAD_ERROR, seq: msg.seq, message: messageOf(err), kept: tokenizerSeq });
  } finally {
    if (inflightFetch === controller) inflightFetch = null;
  }
}

/**
 * A load error in a person's words, the library's own message kept after it. The library says
 * exactly what is wrong with a file ("missing field `model` at line 1 column 46"); what a person
 * needs first is what kind of file it is.
 * @param {string} message the library's message
 * @param {Uint8Array} bytes what was loaded
 */
function explainLoadError(message, bytes) {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09 || bytes[i] === 0xef || bytes[i] === 0xbb || bytes[i] === 0xbf)) i++;
  const first = bytes[i];
  if (bytes.length === 0) return "the file is empty.";
  if (first === 0x3c) return `this is an HTML or XML page, not a tokenizer.json (a model page's address? a Hugging Face file is at …/resolve/main/tokenizer.json). (${message})`;
  if (first !== 0x7b && first !== 0x5b && !/compiled|TKS/i.test(message)) return `this is not a tokenizer.json: a tokenizer.json is a JSON object. (${message})`;
  const field = /missing field `(\w+)`/.exec(message);
  if (field && field[1] === "model") {
    return `this JSON is not a tokenizer.json: it has no "model" (a tokenizer.json holds "model", "normalizer", "pre_tokenizer", …; tokenizer_config.json and config.json are other files). (${message})`;
  }
  if (field) return `this tokenizer.json lacks the field "${field[1]}" that its part needs. (${message})`;
  if (/^invalid |^unknown variant/.test(message)) return `this tokenizer.json is damaged or incomplete, or made by a tool this page does not know: ${message}`;
  if (/EOF while parsing/.test(message)) return `the file ends in the middle of its JSON (cut short?). (${message})`;
  return message.endsWith(".") ? message : `${message}.`;
}

/** An encode error in a person's words first, as `explainLoadError`: refused special-token
 * text named by the page's own option. */
function explainEncodeError(message) {
  if (!/special tokens are refused/.test(message)) return message;
  return `the text holds special-token text, and "special-token text" is set to "is refused" ("is plain text" counts it as text). In the library's words: ${message}`;
}

/** Minimum time between two download progress messages. */
const PROGRESS_MS = 100;

/** Fetches `msg.url` as bytes, posting download progress (`total` 0 when the size is unknown). */
async function download(msg, signal) {
  let res;
  try {
    res = await fetch(msg.url, { signal });
  } catch (err) {
    if (signal.aborted) throw err;
    // fetch says only "Failed to fetch": no server, no network, or a server without CORS. A
    // no-cors request tells the last apart: it gets an (unreadable) answer from such a server.
    const host = new URL(msg.url).host;
    const answers = await fetch(msg.url, { mode: "no-cors", signal }).then(() => true, () => false);
    if (answers) {
      throw new Error(`${host} answered but does not let other sites read the file (it sends no CORS header, Access-Control-Allow-Origin): download it and choose the file, or use an address that allows it (Hugging Face's …/resolve/main/tokenizer.json does).`);
    }
    throw new Error(`could not reach ${host} (${messageOf(err)}): no network, or no server at that address.`);
  }
  if (!res.ok) {
    const why = { 401: "it needs a login: a gated or private model", 403: "access refused: a gated or private model?", 404: "not found: check the URL or the model id" }[res.status];
    throw new Error(`could not fetch ${msg.url}: HTTP ${res.status}${why ? ` (${why})` : ` ${res.statusText}`}.`);
  }
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
  const { text, offsets, ids, tokens, clusterEnd, pieces } = last;
  const seg = segment(text, offsets, { limit, from, cursor, clusterEnd });
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
    stages: lab.stages(shownIds),
    pieceMarks: pieces ? pieceMarks(pieces, offsets, from, n) : null,
  };
}

/**
 * Per token `[from, from + n)`: which pre-tokenizer piece holds it, as bit 0 the parity of the
 * piece's index (the page alternates two underlines) and bit 1 set on a piece's first token.
 * @param {Uint32Array} pieces flat `[start, end)` pairs of the pieces (`Tokenizer.preTokenize`)
 * @param {Uint32Array} offsets the tokens' pairs
 */
function pieceMarks(pieces, offsets, from, n) {
  const marks = new Uint8Array(n);
  const count = pieces.length >> 1;
  // From the token before the window (it decides whether the first one starts a piece): the
  // last piece starting at or before its start (binary search), then a walk.
  const first = Math.max(0, from - 1);
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pieces[2 * mid] <= (offsets[2 * first] ?? 0)) lo = mid + 1;
    else hi = mid;
  }
  let p = Math.max(0, lo - 1);
  const pieceOf = (t) => {
    const start = offsets[2 * t];
    const end = offsets[2 * t + 1];
    while (p + 1 < count && pieces[2 * (p + 1)] <= start && !(end === start && pieces[2 * p + 1] >= end)) p++;
    return p;
  };
  let prev = from > 0 ? pieceOf(from - 1) : -1;
  for (let i = 0; i < n; i++) {
    const q = pieceOf(from + i);
    marks[i] = (q & 1) | (q !== prev ? 2 : 0);
    prev = q;
  }
  return marks;
}

/** @param {import("./protocol.js").MoreRequest} msg */
function more(msg) {
  const { seq, loadSeq } = msg;
  if (!last || last.seq !== seq || last.loadSeq !== loadSeq || tokenizerSeq !== loadSeq) return;
  let { from, cursor } = msg;
  if (cursor === null) {
    // A window anywhere in the text (a jump): it starts with the first of the tokens that share
    // a character, at that character.
    const { offsets } = last;
    from = Math.max(0, Math.min(from, (offsets.length >> 1) - 1));
    while (from > 0 && offsets[2 * from - 1] > offsets[2 * from]) from--;
    cursor = offsets[2 * from];
  }
  const w = window_(from, cursor, msg.limit);
  post({ type: WINDOW, seq, loadSeq, ...w }, [w.ids.buffer, w.byteLens.buffer, w.stages.buffer]);
}

/** @param {import("./protocol.js").EncodeRequest} msg */
function encode(msg) {
  const { seq, loadSeq, text, limit, addSpecialTokens, specialTokens, withPieces } = msg;
  last = null;
  if (!tokenizer || tokenizerSeq !== loadSeq) {
    post({ type: STALE, seq, loadSeq });
    return;
  }
  try {
    const t0 = performance.now();
    // A plain object (nothing to free); reading `tokens` builds its strings, so `ms` counts them.
    const { ids, offsets, tokens } = tokenizer.encode(text, { addSpecialTokens, specialTokens });
    const ms = performance.now() - t0;
    if (offsets.length !== 2 * ids.length) {
      throw new Error(`encoding has ${ids.length} ids but ${offsets.length / 2} offset pairs`);
    }
    // The pre-tokenizer's pieces, for the overlay (a pass of the pre-tokenizer alone, ~a third of
    // an encode): only when the page shows them.
    const pieces = withPieces ? tokenizer.preTokenize(text, { specialTokens }) : null;
    last = { seq, loadSeq, text, offsets: offsets.slice(), ids, tokens, clusterEnd: graphemeClusterEnd(text), pieces, options: { addSpecialTokens, specialTokens } };
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
      [first.ids.buffer, first.byteLens.buffer, first.stages.buffer, offsets.buffer],
    );
  } catch (err) {
    post({ type: ENCODE_ERROR, seq, loadSeq, message: explainEncodeError(messageOf(err)) });
  }
}

/**
 * The whole encoding as a file: ids as a JSON array, or the token table (index, id, token,
 * bytes as text, byte length, UTF-16 and UTF-8 offsets) as CSV or JSON (UTF-8 offsets from the
 * UTF-16 ones: `utf8Offsets`).
 * @param {import("./protocol.js").ExportRequest} msg
 */
function exportTokens(msg) {
  const { id, seq, loadSeq, format } = msg;
  if (!last || last.seq !== seq || last.loadSeq !== loadSeq) {
    post({ type: EXPORTED, id, seq, loadSeq, format, error: "the text or the tokenizer changed: export again once the pane is ready" });
    return;
  }
  const { text, offsets, ids, tokens } = last;
  if (format === "ids") {
    post({ type: EXPORTED, id, seq, loadSeq, format, text: JSON.stringify(Array.from(ids)) });
    return;
  }
  const utf8 = utf8Offsets(text, offsets);
  // Written in parts of about a million characters into a Blob, never as one string nor one
  // object per row:
  // a 5 MB text has ~1.2 million tokens (a single JSON string of them is ~200 MB).
  const parts = [];
  let part = "";
  const csv = format === "csv";
  const cell = (v) => `"${v.replaceAll('"', '""')}"`;
  parts.push(csv ? "index,id,token,text,bytes,start_utf16,end_utf16,start_utf8,end_utf8\r\n" : "[\n");
  for (let i = 0; i < ids.length; i++) {
    const bytes = tokenBytes(ids[i]);
    const text = tokenLabel(bytes);
    const [start, end, start8, end8] = [offsets[2 * i], offsets[2 * i + 1], utf8[2 * i], utf8[2 * i + 1]];
    part += csv
      ? `${i},${ids[i]},${cell(tokens[i])},${cell(text)},${bytes.length},${start},${end},${start8},${end8}\r\n`
      : `${i ? ",\n" : ""}{"index":${i},"id":${ids[i]},"token":${JSON.stringify(tokens[i])},"text":${JSON.stringify(text)},"bytes":${bytes.length},"start":${start},"end":${end},"start_utf8":${start8},"end_utf8":${end8}}`;
    if (part.length > 1 << 20) {
      parts.push(part);
      part = "";
    }
  }
  parts.push(part, csv ? "" : "\n]\n");
  const blob = new Blob(parts, { type: csv ? "text/csv" : "application/json" });
  post({ type: EXPORTED, id, seq, loadSeq, format, blob });
}

/**
 * A lookup of the Lookup panel: a string (its tokens), an id (its token) or several ids (their
 * decoding), against this pane's tokenizer.
 * @param {import("./protocol.js").LookupRequest} msg
 */
function lookup(msg) {
  const { id, query, loadSeq } = msg;
  if (!tokenizer || tokenizerSeq !== loadSeq) {
    post({ type: LOOKED_UP, id, loadSeq, error: "not loaded yet" });
    return;
  }
  try {
    // Ids: "5", "[1, 2]", "1 2": one comma or spaces between two ids. The two separators share
    // no text, so a near miss ("1  2  …  x") fails in linear time.
    const list = query.trim().replace(/^\[\s*/, "").replace(/\s*\]$/, "");
    if (/^\d+(?:(?:\s*,\s*|\s+)\d+)*$/.test(list)) {
      const digits = list.split(/\s*,\s*|\s+/);
      const tooBig = digits.find((d) => d.length > 10 || Number(d) > 0xffffffff);
      if (tooBig) throw new Error(`${tooBig} is not a token id: ids are below 4,294,967,296`);
      const ids = digits.map(Number);
      const unknown = ids.filter((i) => tokenizer.idToToken(i) === undefined);
      const pieces = ids.map((i) => (unknown.includes(i) ? null : { id: i, token: tokenizer.idToToken(i), text: tokenLabel(tokenBytes(i)) }));
      const known = ids.filter((i) => !unknown.includes(i));
      const decoded = tokenizer.decode(known);
      post({ type: LOOKED_UP, id, loadSeq, kind: ids.length === 1 ? "id" : "ids", pieces, unknown, decoded, superword: ids.length === 1 && !unknown.length && isSuperword(decoded) });
      return;
    }
    const enc = tokenizer.encode(query, { addSpecialTokens: false, specialTokens: msg.specialTokens });
    const pieces = Array.from(enc.ids, (i, k) => ({ id: i, token: enc.tokens[k], text: tokenLabel(tokenBytes(i)) }));
    post({ type: LOOKED_UP, id, loadSeq, kind: "text", pieces, unknown: [], decoded: query, superword: pieces.length === 1 && isSuperword(query) });
  } catch (err) {
    post({ type: LOOKED_UP, id, loadSeq, error: messageOf(err) });
  }
}

/**
 * A question of the superword lab (workers/lab.js): a token's merge tree, the vocabulary,
 * per-script figures or a prompt cut of the last encoding, or a corpus.
 * @param {import("./protocol.js").LabRequest} msg
 */
function labQuestion(msg) {
  const { id, loadSeq, query } = msg;
  const answer = (fields) => post({ type: LAB_ANSWER, id, loadSeq, query, ...fields });
  if (!tokenizer || tokenizerSeq !== loadSeq) return answer({ error: "not loaded yet" });
  const needsText = query === "scripts" || query === "cut" || query === "superwords";
  if (needsText && (!last || last.seq !== msg.seq || last.loadSeq !== loadSeq)) {
    return answer({ error: "the text or the tokenizer changed: ask again once the pane is ready" });
  }
  try {
    if (query === "tree") return answer(lab.tree(msg.tokenId, tokenBytes));
    if (query === "vocab") return answer(lab.vocabulary(msg.vocab, tokenBytes));
    // The whole text's figures, once per encoding (a view refreshed as windows are drawn asks again).
    if (query === "superwords") return answer((last.superwordGroups ??= { groups: superwordsByWords(last) }));
    if (query === "scripts") return answer((last.scripts ??= scripts(last)));
    if (query === "cut") return answer(cutAt(tokenizer, last, { cut: msg.cut, marks: msg.marks, specialTokens: last.options.specialTokens }, tokenBytes));
    if (query === "corpus") return answer(corpus(tokenizer, msg.files, { specialTokens: msg.specialTokens }));
    answer({ error: `unknown question ${query}` });
  } catch (err) {
    answer({ error: explainEncodeError(messageOf(err)) });
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
    case EXPORT:
      exportTokens(msg);
      return;
    case LOOKUP:
      lookup(msg);
      return;
    case LAB:
      labQuestion(msg);
      return;
    default:
      throw new Error(`encode worker: unknown message type ${JSON.stringify(/** @type {any} */ (msg).type)}`);
  }
};
