// Part of the wasm binding (imported by the generated glue through `#[wasm_bindgen(module)]`).
//
// `tokens` of an encoding is an array of strings, one per token: building hundreds of thousands of
// JS strings costs more than the encoding itself, and most callers read only ids and offsets. So
// the binding hands over the UTF-8 bytes of every token string joined plus their lengths, and the
// array is built (and the bytes decoded) on first read of `tokens` (then kept, and assignable like
// a plain property).

/**
 * The `Encoding` object of one `encode` call, from the sections of `packed` (n = number of
 * tokens): ids (n), UTF-16 offsets (2n), token lengths in UTF-16 units (n), type ids (n), special
 * tokens mask (n), attention mask (n), sequence ids (n, 0xFFFFFFFF for none). Each property is an
 * array of its own (not a view of `packed`).
 * @param {Uint32Array} packed
 * @param {Uint8Array} joined UTF-8 bytes of every token string, concatenated in order
 */
export function buildEncoding(packed, joined) {
  const n = packed.length / 8;
  const section = (from, to) => packed.slice(from * n, to * n);
  const result = { ids: section(0, 1) };
  defineLazyTokens(result, joined, packed.subarray(3 * n, 4 * n));
  result.offsets = section(1, 3);
  result.typeIds = section(4, 5);
  // `new Uint8Array(typedArray)` converts element by element in native code (`Uint8Array.from`
  // would go through the iterator protocol, 10× slower).
  result.specialTokensMask = new Uint8Array(packed.subarray(5 * n, 6 * n));
  result.attentionMask = new Uint8Array(packed.subarray(6 * n, 7 * n));
  // 0xFFFFFFFF becomes -1 (the conversion wraps modulo 2^8).
  result.sequenceIds = new Int8Array(packed.subarray(7 * n, 8 * n));
  return result;
}

/**
 * Adds a lazy `tokens` property to `result`.
 * @param {object} result the encoding object being returned
 * @param {Uint8Array} joined UTF-8 bytes of every token string, concatenated in order
 * @param {Uint32Array} lengths length of each token string in UTF-16 code units
 */
export function defineLazyTokens(result, joined, lengths) {
  let tokens;
  Object.defineProperty(result, "tokens", {
    enumerable: true,
    configurable: true,
    get() {
      if (tokens === undefined) {
        const text = decoder.decode(joined);
        joined = undefined; // the bytes are not needed any more
        tokens = new Array(lengths.length);
        let at = 0;
        for (let i = 0; i < lengths.length; i++) {
          tokens[i] = text.slice(at, (at += lengths[i]));
        }
      }
      return tokens;
    },
    set(value) {
      tokens = value;
    },
  });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes the UTF-8 of `text` into `into` (a view of wasm memory with 3 bytes per UTF-16 unit of
 * `text`, enough for any string) and returns the number of bytes written.
 */
export function encodeInto(text, into) {
  return encoder.encodeInto(text, into).written;
}

/** The UTF-8 bytes of `text` (a well-formed string). */
export function utf8(text) {
  return encoder.encode(text);
}

/** Whether `text` has no lone surrogate (`String.prototype.isWellFormed`, ES2024, when present). */
export function isWellFormed(text) {
  return typeof text.isWellFormed === "function" ? text.isWellFormed() : !/\p{Surrogate}/u.test(text);
}
