// Pure functions: text + encoding -> display spans and statistics. No DOM, no wasm.
//
// Units: every offset here is in UTF-16 code units (what String.prototype.slice takes),
// which is what the wasm binding reports in `Encoding.offsets`.

/**
 * Number of bytes `text` takes in UTF-8. A lone surrogate counts as 3 bytes, the size of
 * the U+FFFD that `TextEncoder` writes for it. O(n), no allocation.
 * @param {string} text
 * @returns {number}
 */
export function utf8Length(text) {
  return utf8Between(text, 0, text.length);
}

/** UTF-8 bytes of `text` from UTF-16 offset `from` up to `to` (a pair counted once, 4 bytes). */
function utf8Between(text, from, to) {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The UTF-8 offsets of an encoding's UTF-16 offsets (flat `[start0, end0, …]`), as
 * `utf8Length(text.slice(0, offset))` each, in one walk over the text: starts, and ends, never go
 * back, but for the post-processor's tokens at (0, 0) (0 bytes). O(n + tokens).
 * @param {string} text
 * @param {ArrayLike<number>} offsets
 * @returns {Uint32Array}
 */
export function utf8Offsets(text, offsets) {
  const out = new Uint32Array(offsets.length);
  // One walker for the starts, one for the ends: each moves forward only.
  const walkers = [{ at: 0, bytes: 0 }, { at: 0, bytes: 0 }];
  for (let i = 0; i < offsets.length; i++) {
    const to = offsets[i];
    const w = walkers[i & 1];
    if (to < w.at) {
      w.at = 0;
      w.bytes = 0;
    }
    w.bytes += utf8Between(text, w.at, to);
    w.at = to;
    out[i] = w.bytes;
  }
  return out;
}

/**
 * Number of Unicode code points in `text` (a surrogate pair counts once; a lone surrogate
 * counts once). O(n), no allocation.
 * @param {string} text
 * @returns {number}
 */
export function codePointLength(text) {
  let n = text.length;
  for (let i = 0; i + 1 < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

// Whitespace with at least one non-whitespace character on each side.
const SUPERWORD = /\S\s+\S/u;

/**
 * Whether a token's text crosses whitespace between other characters, as SuperBPE's
 * "superword" tokens do ("By the way", " of the"); a leading space alone (" the") does not count.
 * @param {string} piece the original text the token covers, `text.slice(start, end)`
 * @returns {boolean}
 */
export function isSuperword(piece) {
  return SUPERWORD.test(piece);
}

/**
 * @typedef {object} TokenSegment
 * @property {"token"} kind
 * @property {number} index   position of the token in the encoding
 * @property {number} start   the token's own span, UTF-16, as the encoder reported it
 * @property {number} end
 * @property {number} shownStart  the part of the text this segment displays, UTF-16;
 *   `[shownStart, shownEnd)` never overlaps a previous segment, so it may be empty when
 *   several tokens cover parts of one character (they share one span)
 * @property {number} shownEnd
 * @property {boolean} superword
 *
 * @typedef {object} GapSegment  text no token covers (e.g. removed by a normalizer)
 * @property {"gap"} kind
 * @property {number} shownStart
 * @property {number} shownEnd
 */

/**
 * Turns an encoding into segments whose shown ranges tile the text from 0 up to `coveredEnd`
 * without overlap, in order, so concatenating `text.slice(shownStart, shownEnd)` over the
 * segments gives back `text.slice(0, coveredEnd)` exactly.
 *
 * Tokens may share a span (a multi-byte character split over several byte tokens) or overlap
 * the previous one; the first token shows the shared text and later ones show the rest, if any.
 * Spans are clamped to `[0, text.length]`; a span that starts before the previous one ended is
 * treated as starting where the previous one ended (spans go back only for tokens a
 * post-processor adds, at (0, 0): [SEP], EOS, which then share the previous token's place).
 *
 * A token that ends inside a grapheme cluster (one byte token of an emoji ZWJ family, a flag's
 * first regional indicator, a letter without its combining accent) shows the whole cluster, and
 * the tokens after it that end inside that cluster show nothing of their own (they share it):
 * a cluster drawn across two elements falls apart (a family as separate people, a flag as two
 * letters, a skin tone as a swatch). `clusterEnd(pos)` says where the cluster at `pos` ends.
 *
 * O(limit) time; only the first `limit` tokens are turned into segments.
 *
 * @param {string} text
 * @param {ArrayLike<number>} offsets flat pairs `[start0, end0, start1, end1, ...]`, UTF-16
 * @param {{limit?: number, from?: number, cursor?: number, clusterEnd?: (pos: number) => number}} [options]
 *   render at most `limit` tokens (default: all), starting at token `from` whose shown text
 *   starts at `cursor` (the previous window's `coveredEnd`; both 0 by default); `clusterEnd`:
 *   the smallest grapheme boundary ≥ pos (default: every position is one)
 * @returns {{segments: Array<TokenSegment|GapSegment>, tokenCount: number, shownTokens: number,
 *   coveredEnd: number, truncated: boolean}}
 *   `coveredEnd` is where the shown text ends: `text.length` unless truncated.
 */
export function segment(text, offsets, { limit = Infinity, from = 0, cursor = 0, clusterEnd = (pos) => pos } = {}) {
  const tokenCount = offsets.length >> 1;
  const shownTokens = Math.min(tokenCount, from + Math.max(0, limit));
  const segments = /** @type {Array<TokenSegment|GapSegment>} */ ([]);
  for (let i = from; i < shownTokens; i++) {
    const start = Math.min(offsets[2 * i], text.length);
    const end = Math.max(start, Math.min(offsets[2 * i + 1], text.length));
    if (start > cursor) {
      segments.push({ kind: "gap", shownStart: cursor, shownEnd: start });
      cursor = start;
    }
    const shownStart = cursor;
    const shownEnd = end > cursor ? clusterEnd(end) : cursor;
    cursor = shownEnd;
    segments.push({
      kind: "token",
      index: i,
      start,
      end,
      shownStart,
      shownEnd,
      superword: isSuperword(text.slice(start, end)),
    });
  }
  const truncated = shownTokens < tokenCount;
  if (!truncated && cursor < text.length) {
    segments.push({ kind: "gap", shownStart: cursor, shownEnd: text.length });
    cursor = text.length;
  }
  return { segments, tokenCount, shownTokens, coveredEnd: cursor, truncated };
}

/**
 * `clusterEnd` for `segment`: the smallest grapheme-cluster boundary at or after `pos`, by
 * `Intl.Segmenter`, asked only where a cluster can continue (a character at or above U+0300 on
 * either side: combining marks, ZWJ, variation selectors, skin tones, regional indicators,
 * Hangul jamo); CR LF stays two (nothing to draw apart).
 * @param {string} text
 * @returns {(pos: number) => number}
 */
export function graphemeClusterEnd(text) {
  let segments = null;
  return (pos) => {
    if (pos <= 0 || pos >= text.length) return pos;
    if (text.charCodeAt(pos) < 0x300 && text.charCodeAt(pos - 1) < 0x300) return pos;
    segments ??= new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text);
    const cluster = segments.containing(pos);
    return cluster.index === pos ? pos : cluster.index + cluster.segment.length;
  };
}

/**
 * Whitespace classes the page can draw as glyphs. Ordinary spaces are grouped into runs so a
 * run of indentation costs one element; every other whitespace character stands alone.
 * @typedef {{text: string, ws: null | "space" | "tab" | "newline" | "cr" | "other"}} Run
 */

/**
 * Splits a string into runs of non-whitespace (`ws: null`) and whitespace, so the renderer can
 * mark whitespace without changing the text: concatenating `run.text` gives `str` back.
 * O(n).
 * @param {string} str
 * @returns {Run[]}
 */
export function whitespaceRuns(str) {
  const runs = /** @type {Run[]} */ ([]);
  const re = / +|\t|\r|\n|[^\S \t\r\n]/gu;
  let last = 0;
  for (const m of str.matchAll(re)) {
    if (m.index > last) runs.push({ text: str.slice(last, m.index), ws: null });
    const ch = m[0][0];
    const ws = ch === " " ? "space" : ch === "\t" ? "tab" : ch === "\n" ? "newline" : ch === "\r" ? "cr" : "other";
    runs.push({ text: m[0], ws });
    last = m.index + m[0].length;
  }
  if (last < str.length) runs.push({ text: str.slice(last), ws: null });
  return runs;
}

/**
 * How a pane's token count compares with a baseline's, as a short phrase.
 * @param {number} count
 * @param {number} baseline
 * @param {string} baselineLabel
 * @returns {string} e.g. "46% fewer tokens than OLMo2 BPE 200k"
 */
export function compareCounts(count, baseline, baselineLabel) {
  if (baseline === 0) return count === 0 ? `same token count as ${baselineLabel}` : `— (${baselineLabel} has no tokens)`;
  if (count === baseline) return `same token count as ${baselineLabel}`;
  const pct = Math.round((Math.abs(baseline - count) / baseline) * 100);
  // Keep a real difference visible even when it rounds to 0%.
  const shown = pct === 0 ? "<1" : String(pct);
  return count < baseline
    ? `${shown}% fewer tokens than ${baselineLabel}`
    : `${shown}% more tokens than ${baselineLabel}`;
}

/**
 * Index of the first segment whose shown range ends after `pos` (binary search, O(log n)).
 * Used to find the tokens of one pane that overlap a character range hovered in another.
 * @param {Array<{shownEnd: number}>} segments sorted by shownEnd
 * @param {number} pos UTF-16
 * @returns {number}
 */
export function firstSegmentEndingAfter(segments, pos) {
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].shownEnd > pos) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * How a token is shown on its own (ids view, info line): its bytes as text when they are whole
 * UTF-8, else as hex in angle brackets (`<E6 97>` for a token holding part of "旗"), never U+FFFD.
 * Valid UTF-8 followed by a partial character shows both: `a<E6>`.
 * @param {Uint8Array} bytes the token's bytes (`Tokenizer.tokenBytes`)
 * @returns {string}
 */
export function tokenLabel(bytes) {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    // Longest valid prefix, then the rest as hex.
    for (let cut = bytes.length - 1; cut > 0; cut--) {
      try {
        const head = STRICT_UTF8.decode(bytes.subarray(0, cut));
        return head + hexBytes(bytes.subarray(cut));
      } catch {
        // keep cutting
      }
    }
    return hexBytes(bytes);
  }
}

function hexBytes(bytes) {
  return `<${Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ")}>`;
}

/**
 * Number of words in `text`: runs of non-whitespace characters.
 * @param {string} text
 * @returns {number}
 */
export function wordCount(text) {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // ASCII whitespace plus the Unicode spaces JS's \s knows, tested only outside ASCII.
    const space = c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[i]));
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/**
 * Where one pane's tokens stand for several of a baseline's: for each token segment whose span
 * is exactly tiled by two or more baseline tokens (each starting where the previous one ended),
 * the texts of those baseline tokens (the BPE pieces a SuperBPE superword replaces). Tokens that
 * share a character with a neighbour (byte tokens of one character, in either pane) replace
 * nothing: their spans are the character's, not theirs. Both offset lists are in order (UTF-16
 * pairs). O(n + m).
 * @param {string} text
 * @param {Array<{kind: string, start?: number, end?: number, shownStart: number, shownEnd: number}>} segments
 *   the pane's segments
 * @param {ArrayLike<number>} baseOffsets the baseline's flat offset pairs
 * @returns {Map<number, string[]>} segment index → baseline pieces
 */
export function replacedPieces(text, segments, baseOffsets) {
  const out = new Map();
  const m = baseOffsets.length >> 1;
  let j = 0;
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k];
    if (seg.kind !== "token" || seg.end <= seg.start) continue;
    // Shares its span with the previous token (shown range cut) or the next one (starts inside).
    if (seg.shownStart !== seg.start || seg.shownEnd !== seg.end) continue;
    const next = segments[k + 1];
    if (next?.kind === "token" && next.start < seg.end) continue;
    // Baseline tokens with no text of their own (a post-processor's [CLS] or BOS at (0, 0)) stand for nothing.
    while (j < m && (baseOffsets[2 * j] < seg.start || baseOffsets[2 * j + 1] <= baseOffsets[2 * j])) j++;
    if (j >= m || baseOffsets[2 * j] !== seg.start) continue;
    const pieces = [];
    let i = j;
    let at = seg.start;
    while (i < m && baseOffsets[2 * i] === at && baseOffsets[2 * i + 1] > at && baseOffsets[2 * i + 1] <= seg.end) {
      pieces.push(text.slice(at, baseOffsets[2 * i + 1]));
      at = baseOffsets[2 * i + 1];
      i++;
    }
    if (pieces.length >= 2 && at === seg.end) out.set(k, pieces);
  }
  return out;
}
