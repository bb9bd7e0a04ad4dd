// The superword lab's questions, answered in a pane's encode worker (workers/encode.js hands
// them its tokenizer and last encoding): merge trees, the vocabulary, per-script figures, prompt
// cuts and a corpus. No tokenization logic here: the wasm binding's `transitionPoint`,
// `mergeTree`, `mergeRanks`, `preTokenize` and the pure www/lab/*.js.
//
// Units: offsets in UTF-16 code units of the text, bytes in UTF-8.

import { compareCut, tokenBoundaries } from "../lab/cut.js";
import { scriptStats } from "../lab/scripts.js";
import { codePointLength, isSuperword, tokenLabel, utf8Length, wordCount } from "../segments.js";

/** Most tokens a cut's answer lists on either side (the changed ones are a handful). */
const CUT_TOKENS = 24;
/** Text encoded again, at most, to mark the clean cuts of a window (prefixes of the text): ~0.3 s of a worker that also encodes the next edit. */
const CUT_MARK_BUDGET = 2_000_000;
/** Vocabulary rows per answer. */
const VOCAB_ROWS = 200;
/** Least time each corpus file is encoded for, to time it. */
const TIME_MS = 50;
/** A merge tree's nodes, at most (a token of 1,000 bytes has 1,999). */
const TREE_NODES = 4_000;

/**
 * What the lab keeps per tokenizer: the transition point (read once at load) and, when first
 * needed, the rank of the merge that makes each id and the vocabulary table.
 */
export class Lab {
  /** @param {any} tokenizer a wasm `Tokenizer` (full entry) */
  constructor(tokenizer) {
    this.tokenizer = tokenizer;
    /** @type {number | null} */
    this.transitionPoint = tokenizer.transitionPoint ?? null;
    /** @type {Uint32Array | null} */
    this.ranks = null;
    /** @type {Array<{id: number, token: string, text: string, bytes: number, words: number, rank: number}> | null} */
    this.vocab = null;
  }

  /** Merge rank of each id (0xFFFFFFFF: no merge makes it). */
  mergeRanks() {
    this.ranks ??= this.tokenizer.mergeRanks();
    return this.ranks;
  }

  /**
   * Per shown token: its stage, 0 unit (no merge makes it: a byte, an added token), 1 subword
   * merge (rank below t, or any merge when the file has no t), 2 superword merge (rank from t).
   * @param {Uint32Array} ids
   */
  stages(ids) {
    const ranks = this.mergeRanks();
    const t = this.transitionPoint;
    return Uint8Array.from(ids, (id) => {
      const r = ranks[id] ?? 0xffffffff;
      return r === 0xffffffff ? 0 : t !== null && r >= t ? 2 : 1;
    });
  }

  /**
   * How token `id` is built: the nodes of its merge tree with each node's text and stage.
   * @param {number} id
   * @param {(id: number) => Uint8Array} tokenBytes
   */
  tree(id, tokenBytes) {
    const tree = this.tokenizer.mergeTree(id);
    if (!tree) return { tree: null };
    if (tree.nodes.length > TREE_NODES) return { tree: null, error: `this token's tree has ${tree.nodes.length} nodes: too many to draw` };
    const t = this.transitionPoint;
    const nodes = tree.nodes.map((/** @type {any} */ n) => ({
      ...n,
      text: tokenLabel(tokenBytes(n.id)),
      superword: n.rank !== null && t !== null && n.rank >= t,
    }));
    return { tree: { nodes, roots: tree.roots }, transitionPoint: t };
  }

  /**
   * The vocabulary, filtered and sorted: `search` in the token's text or its vocab string
   * (case-insensitive; `\n`, `\t`, `\r` typed as escapes stand for those chars), only
   * tokens of at least `minWords` words, sorted by "rank", "words" (most first), "length" (bytes,
   * longest first) or "id"; the first VOCAB_ROWS rows, and per number of words (1, 2, 3, 4, 5+,
   * `wordsOf`) how many tokens of the vocab have it (whitespace alone has none).
   * @param {{search: string, minWords: number, sort: string}} q
   * @param {(id: number) => Uint8Array} tokenBytes
   */
  vocabulary(q, tokenBytes) {
    this.vocab ??= this.buildVocab(tokenBytes);
    // The text a token stands for or its vocab spelling ("ĠofĠthe"); \n, \t, \r typed as escapes.
    const needle = q.search.replace(/\\([ntr])/g, (_, c) => ({ n: "\n", t: "\t", r: "\r" })[c]).toLowerCase();
    let rows = this.vocab.filter((r) => r.words >= q.minWords && (!needle || r.text.toLowerCase().includes(needle) || r.token.toLowerCase().includes(needle)));
    const by = {
      rank: (a, b) => a.rank - b.rank || a.id - b.id,
      words: (a, b) => b.words - a.words || a.rank - b.rank,
      length: (a, b) => b.bytes - a.bytes || a.rank - b.rank,
      id: (a, b) => a.id - b.id,
    }[q.sort] ?? ((a, b) => a.id - b.id);
    const matching = rows.length;
    rows = rows.sort(by).slice(0, VOCAB_ROWS);
    const byWords = [0, 0, 0, 0, 0];
    for (const r of this.vocab) if (r.words) byWords[Math.min(r.words, 5) - 1]++;
    const blank = this.vocab.length - byWords.reduce((a, b) => a + b, 0);
    return { rows, matching, total: this.vocab.length, byWords, blank, transitionPoint: this.transitionPoint };
  }

  /** @param {(id: number) => Uint8Array} tokenBytes */
  buildVocab(tokenBytes) {
    const ranks = this.mergeRanks();
    const rows = [];
    const size = Math.max(this.tokenizer.vocabSize, ranks.length);
    for (let id = 0; id < size; id++) {
      const token = this.tokenizer.idToToken(id);
      if (token === undefined) continue;
      const bytes = tokenBytes(id);
      const r = ranks[id] ?? 0xffffffff;
      rows.push({ id, token, text: tokenLabel(bytes), bytes: bytes.length, words: wordsOf(LOSSY.decode(bytes)), rank: r === 0xffffffff ? -1 : r });
    }
    return rows;
  }
}

/** Bytes as text, a partial character as U+FFFD (the words of `<E6 97>`, a label, are not 2). */
const LOSSY = new TextDecoder();

/**
 * Words of a token's text: its runs of non-whitespace when it crosses whitespace (a superword:
 * "By the way" 3), else 1 if it has any non-whitespace (" the", ".\n") and 0 for whitespace alone.
 * @param {string} text
 */
export function wordsOf(text) {
  const n = wordCount(text);
  return isSuperword(text) ? n : Math.min(n, 1);
}

/**
 * The superwords of an encoding grouped by their number of words (2, 3, 4, 5+), each group's
 * most frequent tokens with counts: examples from the text for the vocabulary view.
 * @param {{text: string, offsets: Uint32Array, ids: Uint32Array}} last
 */
export function superwordsByWords(last, top = 8) {
  const groups = new Map();
  const { text, offsets, ids } = last;
  for (let i = 0; i < ids.length; i++) {
    const piece = text.slice(offsets[2 * i], offsets[2 * i + 1]);
    if (!isSuperword(piece)) continue;
    const words = Math.min(wordsOf(piece), 5);
    let g = groups.get(words);
    if (!g) groups.set(words, (g = { tokens: 0, counts: new Map() }));
    g.tokens++;
    const key = `${ids[i]}\u0000${piece}`;
    g.counts.set(key, (g.counts.get(key) ?? 0) + 1);
  }
  return [...groups]
    .sort((a, b) => a[0] - b[0])
    .map(([words, g]) => ({
      words,
      tokens: g.tokens,
      examples: [...g.counts].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, n]) => ({ id: Number(key.split("\u0000")[0]), text: key.slice(key.indexOf("\u0000") + 1), count: n })),
    }));
}

/** Per-script figures of the last encoding (www/lab/scripts.js). */
export function scripts(last) {
  return scriptStats(last.text, last.offsets);
}

/**
 * A prompt cut at `cut` (UTF-16): the tokens of the whole text and of `text.slice(0, cut)` that
 * differ, with their texts; and, when `marks` is given as `[from, to)`, whether a cut at each
 * token boundary there is clean (each boundary's prefix encoded again, up to CUT_MARK_BUDGET
 * UTF-16 units in all: `marksComplete` false when the budget ran out).
 * @param {any} tokenizer
 * @param {any} last the worker's last encoding (`text`, `offsets`, `ids`, `options`); the text's
 *   encoding without special tokens is kept on it as `plain` when it was made with them
 * @param {{cut: number, marks?: [number, number], specialTokens: string}} q encoded without the
 *   post-processor's tokens, whatever the page's "add special tokens"
 * @param {(id: number) => Uint8Array} tokenBytes
 */
export function cutAt(tokenizer, last, q, tokenBytes) {
  const { text } = last;
  // The text's own tokens: a post-processor's (BOS, [SEP], EOS) would end every prefix.
  const options = { addSpecialTokens: false, specialTokens: q.specialTokens };
  if (last.options.addSpecialTokens) {
    const whole = (last.plain ??= tokenizer.encode(text, options));
    last = { text, ids: whole.ids, offsets: whole.offsets };
  }
  const { offsets, ids } = last;
  const cut = Math.max(0, Math.min(q.cut, text.length));
  const prefix = tokenizer.encode(text.slice(0, cut), options);
  const c = compareCut(ids, offsets, prefix.ids, prefix.offsets, cut);
  const from = Math.max(0, c.same - 3);
  const list = (encIds, encOffsets, a, b) =>
    Array.from({ length: Math.max(0, Math.min(b, a + CUT_TOKENS, encIds.length) - a) }, (_, k) => {
      const i = a + k;
      // A clean cut changes nothing: the whole text's next token is only the one after the cut.
      return { index: i, id: encIds[i], text: tokenLabel(tokenBytes(encIds[i])), start: encOffsets[2 * i], end: encOffsets[2 * i + 1], changed: i >= c.same && !c.clean };
    });
  const answer = {
    cut,
    same: c.same,
    clean: c.clean,
    full: list(ids, offsets, from, Math.max(c.fullTo, c.same + 1)),
    prefix: list(prefix.ids, prefix.offsets, from, c.prefixTo),
    fullCount: ids.length,
    prefixCount: prefix.ids.length,
    /** @type {Array<[number, boolean]>} */
    marks: [],
    marksComplete: true,
  };
  if (q.marks) {
    let spent = 0;
    for (const at of tokenBoundaries(offsets, q.marks[0], q.marks[1])) {
      spent += at;
      if (spent > CUT_MARK_BUDGET) {
        answer.marksComplete = false;
        break;
      }
      const p = tokenizer.encodeIds(text.slice(0, at), options);
      let same = 0;
      while (same < p.length && p[same] === ids[same]) same++;
      // Ids alone decide here: the prefix's tokens are the text's first tokens when their ids
      // are (the spans follow from the ids of a prefix of the same text).
      answer.marks.push([at, same === p.length && (same === ids.length || offsets[2 * same] >= at)]);
    }
  }
  return answer;
}

/**
 * A corpus through this pane's tokenizer: per file its bytes, characters, tokens and time to count
 * its tokens (`count`, caches warm: the mean of repeats over TIME_MS), and per script the figures of
 * www/lab/scripts.js summed over the files.
 * @param {any} tokenizer
 * @param {Array<{name: string, text: string}>} files
 * @param {object} options encode options
 */
export function corpus(tokenizer, files, options) {
  const rows = [];
  const perScript = new Map();
  for (const f of files) {
    const enc = tokenizer.encode(f.text, options);
    // Timed over repeats of at least TIME_MS in all: a worker's clock ticks in 0.1 ms steps (no
    // cross-origin isolation), longer than encoding a paragraph takes. The caches are warm, as
    // an app's are after its first call.
    let runs = 0;
    const t0 = performance.now();
    do {
      tokenizer.count(f.text, options);
      runs++;
    } while (performance.now() - t0 < TIME_MS && runs < 10_000);
    const ms = (performance.now() - t0) / runs;
    const bytes = utf8Length(f.text);
    rows.push({ name: f.name, bytes, chars: codePointLength(f.text), tokens: enc.ids.length, ms });
    for (const r of scriptStats(f.text, enc.offsets).rows) {
      const s = perScript.get(r.script) ?? { script: r.script, chars: 0, bytes: 0, tokens: 0 };
      s.chars += r.chars;
      s.bytes += r.bytes;
      s.tokens += r.tokens;
      perScript.set(r.script, s);
    }
  }
  return { rows, scripts: [...perScript.values()] };
}
