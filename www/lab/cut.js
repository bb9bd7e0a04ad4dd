// The boundary view: a prompt cut at a position of the text tokenizes differently from the whole
// text ("Exact Byte-Level Probabilities", tokenization bias at prompt boundaries). Pure functions
// (no DOM, no wasm): the encode worker runs the encodings and hands them here.
//
// Units: UTF-16 code units of the text.

/**
 * How the tokens of `text.slice(0, cut)` differ from those of the whole text.
 *
 * `same` is the number of leading tokens both encodings share (same id and span); the full
 * text's tokens `[same, fullTo)` (those that start before the cut) and the prefix's tokens
 * `[same, prefix length)` are the ones that change. The cut is `clean` when the prefix's tokens
 * are exactly the whole text's tokens that end at or before the cut: a model given the prefix
 * sees the tokens it would see in the whole text.
 *
 * @param {ArrayLike<number>} fullIds
 * @param {ArrayLike<number>} fullOffsets flat `[start, end)` pairs, in order
 * @param {ArrayLike<number>} prefixIds
 * @param {ArrayLike<number>} prefixOffsets
 * @param {number} cut
 * @returns {{same: number, fullTo: number, prefixTo: number, clean: boolean}}
 */
export function compareCut(fullIds, fullOffsets, prefixIds, prefixOffsets, cut) {
  const n = fullIds.length;
  const m = prefixIds.length;
  let same = 0;
  while (
    same < n &&
    same < m &&
    fullIds[same] === prefixIds[same] &&
    fullOffsets[2 * same] === prefixOffsets[2 * same] &&
    fullOffsets[2 * same + 1] === prefixOffsets[2 * same + 1]
  ) {
    same++;
  }
  // The whole text's tokens that start before the cut (a token with an empty span at the cut,
  // such as a special token, belongs after it).
  let fullTo = same;
  while (fullTo < n && fullOffsets[2 * fullTo] < cut) fullTo++;
  // Every prefix token is the whole text's: they cover the text up to the cut, so the whole
  // text's next token starts at or after it.
  const clean = same === m;
  return { same, fullTo, prefixTo: m, clean };
}

/**
 * The token boundaries of an encoding in `[from, to)` of the text where a cut could fall: each
 * distinct end of a token that is the start of the next one (byte tokens of one character share
 * their span, so there is no boundary between them).
 * @param {ArrayLike<number>} offsets flat pairs, in order
 * @param {number} from
 * @param {number} to
 * @returns {number[]}
 */
export function tokenBoundaries(offsets, from, to) {
  const out = [];
  const n = offsets.length >> 1;
  for (let i = 0; i + 1 < n; i++) {
    const end = offsets[2 * i + 1];
    if (end <= from || end >= to) continue;
    if (offsets[2 * i + 2] >= end && out[out.length - 1] !== end) out.push(end);
  }
  return out;
}
