// Part of the wasm binding (imported by the generated glue through `#[wasm_bindgen(module)]`).
//
// `tokens` of an encoding is an array of strings, one per token: building hundreds of thousands of
// JS strings costs more than the encoding itself, and most callers read only ids and offsets. So
// the binding hands over the UTF-8 bytes of every token string joined plus their lengths, and the
// array is built (and the bytes decoded) on first read of `tokens` (then kept, and assignable like
// a plain property).

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

/** The UTF-8 bytes of `text` (a well-formed string). */
export function utf8(text) {
  return encoder.encode(text);
}

/** Whether `text` has no lone surrogate (`String.prototype.isWellFormed`, ES2024, when present). */
export function isWellFormed(text) {
  return typeof text.isWellFormed === "function" ? text.isWellFormed() : !/\p{Surrogate}/u.test(text);
}
