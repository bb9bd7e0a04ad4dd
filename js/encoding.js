// Part of the wasm binding (imported by the generated glue through `#[wasm_bindgen(module)]`).
//
// `tokens` of an encoding is an array of strings, one per token: building hundreds of thousands of
// JS strings costs more than the encoding itself, and most callers read only ids and offsets. So
// the binding hands over the UTF-8 bytes of every token string joined plus their lengths, and the
// array is built (and the bytes decoded) on first read of `tokens` (then kept, and assignable like
// a plain property).

/**
 * The `Encoding` object of one `encode` call (n = number of tokens), from the 8n u32s at byte
 * `packed` of wasm memory: ids (n), UTF-16 offsets (2n), token lengths in UTF-16 units (n), type
 * ids (n), special tokens mask (n), attention mask (n), sequence ids (n, 0xFFFFFFFF for none);
 * and the `joinedLen` UTF-8 bytes of every token string joined, at byte `joined`. A plain object
 * whose every property is an array of its own, copied out at once (wasm memory is reused after
 * this call): a class over one shared buffer was faster to build, but broke under Vue's proxies
 * and lodash clones (private fields), made `ids.buffer` hold every field, and a transferred
 * buffer broke the rest of the result.
 * @param {WebAssembly.Memory} memory
 * @param {number} packed
 * @param {number} n
 * @param {number} joined
 * @param {number} joinedLen
 */
export function buildEncoding(memory, packed, n, joined, joinedLen) {
  const memory32 = memoryU32Of(memory);
  const at = packed >>> 2;
  const section = (from, to) => memory32.slice(at + from * n, at + to * n);
  const view = (from, to) => memory32.subarray(at + from * n, at + to * n);
  const result = { ids: section(0, 1) };
  defineLazyTokens(result, new Uint8Array(memory.buffer, joined, joinedLen).slice(), section(3, 4));
  result.offsets = section(1, 3);
  result.typeIds = section(4, 5);
  // `new Uint8Array(typedArray)` converts element by element in native code (`Uint8Array.from`
  // would go through the iterator protocol, 10× slower).
  result.specialTokensMask = new Uint8Array(view(5, 6));
  result.attentionMask = new Uint8Array(view(6, 7));
  // 0xFFFFFFFF becomes -1 (the conversion wraps modulo 2^8).
  result.sequenceIds = new Int8Array(view(7, 8));
  // The parts truncation cut off, set by the binding when there are any.
  result.overflowing = [];
  return result;
}

/**
 * Adds a lazy `tokens` property to `result`.
 * @param {object} result the encoding object being returned
 * @param {Uint8Array} joined UTF-8 bytes of every token string, concatenated in order
 * @param {Uint32Array} lengths length of each token string in UTF-16 code units
 */
function defineLazyTokens(result, joined, lengths) {
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

/** A view of all of wasm memory, made again only when memory grows (which detaches it). */
let memoryU32 = new Uint32Array(0);

/**
 * A copy of `len` u32s at byte `ptr` (4-aligned) of wasm memory: one typed array made per call,
 * where wasm-bindgen's `Uint32Array::from(&[u32])` makes a view and then a copy (each ~0.3–1 µs in
 * Node, a 10-word text counts in ~1.5 µs).
 * @param {WebAssembly.Memory} memory
 * @param {number} ptr
 * @param {number} len
 */
export function sliceU32(memory, ptr, len) {
  return memoryU32Of(memory).slice(ptr >>> 2, (ptr >>> 2) + len);
}

/** @param {WebAssembly.Memory} memory */
function memoryU32Of(memory) {
  if (memoryU32.buffer !== memory.buffer) memoryU32 = new Uint32Array(memory.buffer);
  return memoryU32;
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
