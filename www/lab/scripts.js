// Scripts and languages: how a pane's tokens fall on the writing systems of a text. Pure
// functions (no DOM, no wasm), run in the encode worker; unit-tested against Python's
// `unicodedata` and the `regex` module's grapheme and word segmentation
// (tests/browser/lab-scripts.test.mjs, tools/reference/gen_script_golden.py).
//
// Units: offsets are UTF-16 code units of the text; a "character" is a grapheme cluster (what a
// reader counts as one: 👍🏽 and नि are one each), bytes are UTF-8.

/** The classes a character falls in, in the order tables list them. */
export const SCRIPTS = [
  "Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Devanagari", "Han", "Kana", "Hangul", "Thai",
  "Emoji", "Digits", "Whitespace", "Code & punctuation", "Other",
];

/** @type {Array<[string, RegExp]>} */
const LETTER_SCRIPTS = [
  ["Latin", /\p{Script=Latin}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Arabic", /\p{Script=Arabic}/u],
  ["Hebrew", /\p{Script=Hebrew}/u],
  ["Devanagari", /\p{Script=Devanagari}/u],
  ["Han", /\p{Script=Han}/u],
  ["Kana", /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ["Hangul", /\p{Script=Hangul}/u],
  ["Thai", /\p{Script=Thai}/u],
];

/**
 * The class of a character, from its first code point: Emoji (Extended_Pictographic or a
 * regional indicator, so a flag or a ZWJ family is one emoji), Digits (decimal digits, Nd),
 * Whitespace (White_Space), one of the letter scripts (Unicode Script; Hiragana and Katakana as
 * Kana), Code & punctuation (punctuation P and symbols S), else Other.
 * @param {string} cluster one grapheme cluster (or any string: its first code point decides)
 * @returns {string} one of SCRIPTS
 */
export function scriptOf(cluster) {
  const c = String.fromCodePoint(cluster.codePointAt(0) ?? 0);
  if (c < "\x80") {
    // ASCII, the common case, without a regex.
    if (/[A-Za-z]/.test(c)) return "Latin";
    if (c >= "0" && c <= "9") return "Digits";
    if (c === " " || (c >= "\t" && c <= "\r")) return "Whitespace";
    return c >= "!" ? "Code & punctuation" : "Other";
  }
  if (/[\p{Extended_Pictographic}\p{Regional_Indicator}]/u.test(c)) return "Emoji";
  if (/\p{Nd}/u.test(c)) return "Digits";
  if (/\p{White_Space}/u.test(c)) return "Whitespace";
  for (const [name, re] of LETTER_SCRIPTS) if (re.test(c)) return name;
  if (/[\p{P}\p{S}]/u.test(c)) return "Code & punctuation";
  return "Other";
}

/**
 * Per-script figures of one pane's tokens on `text`.
 *
 * - `chars`, `bytes`: the characters of each class and their UTF-8 bytes.
 * - `tokens`: each token counts 1, shared among the classes of the bytes it covers in proportion
 *   (" the" gives Latin 3/4 and Whitespace 1/4); tokens with an empty span (a post-processor's
 *   [CLS]) count nowhere. Byte tokens of one character each cover the whole character (the
 *   reference's offsets), so a character cut in 3 counts 3 tokens.
 * - `tokensPerChar`, `bytesPerToken`, and `overLatin`: tokens per character over Latin's (how
 *   many times more tokens a character of this class takes; null without Latin text).
 * - `wholeWords` / `wholeWordShare`: tokens whose text, without leading and trailing whitespace,
 *   is exactly one word (`Intl.Segmenter` words, word-like segments), by the class of the token's
 *   first non-whitespace character, and their share of the tokens counted there.
 * - `splitChars` / `splitCharShare`: tokens that split a character: they start or end inside a
 *   grapheme cluster, or share a character with the token before or after (byte tokens).
 *
 * O(text + tokens), with one pass of `Intl.Segmenter` for characters and one for words.
 * @param {string} text
 * @param {ArrayLike<number>} offsets flat `[start, end)` pairs in UTF-16 units, in order
 * @returns {{rows: Array<{script: string, chars: number, bytes: number, tokens: number,
 *   tokensPerChar: number, bytesPerToken: number, overLatin: number | null, wholeWords: number,
 *   wholeWordShare: number, splitChars: number, splitCharShare: number, counted: number}>,
 *   total: {tokens: number, wholeWordShare: number, splitCharShare: number}}}
 */
export function scriptStats(text, offsets) {
  const n = text.length;
  // Per UTF-16 unit: class index of its character, UTF-8 bytes of its code point (0 for a low
  // surrogate: the pair's 4 bytes sit on the high one), start of its grapheme cluster.
  const cls = new Uint8Array(n);
  const bytes = new Uint8Array(n);
  const clusterStart = new Uint8Array(n + 1);
  clusterStart[n] = 1;
  const chars = new Float64Array(SCRIPTS.length);
  const byteSums = new Float64Array(SCRIPTS.length);
  for (const { segment, index } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) {
    const k = SCRIPTS.indexOf(scriptOf(segment));
    clusterStart[index] = 1;
    chars[k]++;
    for (let i = index; i < index + segment.length; ) {
      const cp = /** @type {number} */ (text.codePointAt(i));
      cls[i] = k;
      // A lone surrogate is 3 bytes: TextEncoder writes U+FFFD for it.
      bytes[i] = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      byteSums[k] += bytes[i];
      if (cp > 0xffff) cls[++i] = k; // the low surrogate: its bytes are on the high one
      i++;
    }
  }
  // Word spans: for each UTF-16 start of a word-like segment, its end.
  const wordEnd = new Map();
  for (const { segment, index, isWordLike } of new Intl.Segmenter(undefined, { granularity: "word" }).segment(text)) {
    if (isWordLike) wordEnd.set(index, index + segment.length);
  }
  const tokens = new Float64Array(SCRIPTS.length);
  const counted = new Float64Array(SCRIPTS.length);
  const whole = new Float64Array(SCRIPTS.length);
  const split = new Float64Array(SCRIPTS.length);
  const isSpace = (i) => cls[i] === WHITESPACE;
  let all = 0;
  let allWhole = 0;
  let allSplit = 0;
  const m = offsets.length >> 1;
  for (let t = 0; t < m; t++) {
    const start = offsets[2 * t];
    const end = offsets[2 * t + 1];
    if (end <= start) continue;
    let total = 0;
    for (let i = start; i < end; i++) total += bytes[i];
    for (let i = start; i < end; i++) if (bytes[i]) tokens[cls[i]] += bytes[i] / total;
    // The token's class for its word and split counts: its first non-whitespace character's.
    let a = start;
    while (a < end && isSpace(a)) a++;
    let b = end;
    while (b > a && isSpace(b - 1)) b--;
    const k = a < end ? cls[a] : cls[start];
    counted[k]++;
    all++;
    if (a < b && wordEnd.get(a) === b) {
      whole[k]++;
      allWhole++;
    }
    const sharesBefore = t > 0 && offsets[2 * t - 1] > start;
    const sharesAfter = t + 1 < m && offsets[2 * t + 2] < end && offsets[2 * t + 3] > offsets[2 * t + 2];
    if (!clusterStart[start] || !clusterStart[end] || sharesBefore || sharesAfter) {
      split[k]++;
      allSplit++;
    }
  }
  const latin = chars[0] ? tokens[0] / chars[0] : null;
  const rows = [];
  SCRIPTS.forEach((script, k) => {
    if (!chars[k] && !counted[k]) return;
    const tokensPerChar = chars[k] ? tokens[k] / chars[k] : 0;
    rows.push({
      script,
      chars: chars[k],
      bytes: byteSums[k],
      tokens: tokens[k],
      tokensPerChar,
      bytesPerToken: tokens[k] ? byteSums[k] / tokens[k] : 0,
      overLatin: latin && chars[k] ? tokensPerChar / latin : null,
      wholeWords: whole[k],
      wholeWordShare: counted[k] ? whole[k] / counted[k] : 0,
      splitChars: split[k],
      splitCharShare: counted[k] ? split[k] / counted[k] : 0,
      counted: counted[k],
    });
  });
  return { rows, total: { tokens: all, wholeWordShare: all ? allWhole / all : 0, splitCharShare: all ? allSplit / all : 0 } };
}

const WHITESPACE = SCRIPTS.indexOf("Whitespace");
