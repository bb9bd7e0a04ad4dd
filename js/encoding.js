// Part of the wasm binding (imported by the generated glue through `#[wasm_bindgen(module)]`).
//
// `tokens` of an encoding is an array of strings, one per token: building hundreds of thousands of
// JS strings costs more than the encoding itself, and most callers read only ids and offsets. So
// the binding hands over the UTF-8 bytes of every token string joined plus their lengths, and the
// array is built (and the bytes decoded) on first read of `tokens` (then kept, and assignable like
// a plain property). The masks are made on first read too.

/**
 * The result of one `encode` call, over one `Uint32Array` copied out of wasm memory (n = number of
 * tokens): ids (n), UTF-16 offsets (2n), token lengths in UTF-16 units (n), type ids (n), special
 * tokens mask (n), attention mask (n), sequence ids (n, 0xFFFFFFFF for none), then the UTF-8
 * bytes of every token string joined (padded to 4 bytes).
 *
 * `ids` and `offsets` are views of that array, set at once; the rest is made on first read and
 * kept. Each typed array or accessor made per call cost about 0.3–1 µs in Node, where a 10-word
 * text counts in ~2 µs: an object of seven arrays and a lazy `tokens` took 4–5 µs to build, this
 * one ~0.2 µs. Its accessors are on the prototype, so `structuredClone` and `postMessage` copy
 * `ids` and `offsets` only: send `encoding.toJSON()` (a plain object of all seven) instead.
 */
export class Encoding {
  #packed;
  #n;
  #joinedBytes;
  #tokens;
  #typeIds;
  #specialTokensMask;
  #attentionMask;
  #sequenceIds;

  /**
   * @param {Uint32Array} packed the packed result (this object's own copy)
   * @param {number} n number of tokens
   * @param {number} joinedBytes length in bytes of the joined token strings
   */
  constructor(packed, n, joinedBytes) {
    this.#packed = packed;
    this.#n = n;
    this.#joinedBytes = joinedBytes;
    /** @type {Uint32Array} */
    this.ids = packed.subarray(0, n);
    /** @type {Uint32Array} */
    this.offsets = packed.subarray(n, 3 * n);
  }

  #section(from, to) {
    return this.#packed.slice(from * this.#n, to * this.#n);
  }

  /** @type {string[]} */
  get tokens() {
    if (this.#tokens === undefined) {
      const n = this.#n;
      const packed = this.#packed;
      const text = decoder.decode(new Uint8Array(packed.buffer, packed.byteOffset + 32 * n, this.#joinedBytes));
      const tokens = new Array(n);
      let at = 0;
      for (let i = 0; i < n; i++) {
        tokens[i] = text.slice(at, (at += packed[3 * n + i]));
      }
      this.#tokens = tokens;
    }
    return this.#tokens;
  }

  set tokens(value) {
    this.#tokens = value;
  }

  /** @type {Uint32Array} */
  get typeIds() {
    return (this.#typeIds ??= this.#section(4, 5));
  }

  set typeIds(value) {
    this.#typeIds = value;
  }

  /** @type {Uint8Array} */
  get specialTokensMask() {
    // `new Uint8Array(typedArray)` converts element by element in native code (`Uint8Array.from`
    // would go through the iterator protocol, 10× slower).
    return (this.#specialTokensMask ??= new Uint8Array(this.#packed.subarray(5 * this.#n, 6 * this.#n)));
  }

  set specialTokensMask(value) {
    this.#specialTokensMask = value;
  }

  /** @type {Uint8Array} */
  get attentionMask() {
    return (this.#attentionMask ??= new Uint8Array(this.#packed.subarray(6 * this.#n, 7 * this.#n)));
  }

  set attentionMask(value) {
    this.#attentionMask = value;
  }

  /** @type {Int8Array} */
  get sequenceIds() {
    // 0xFFFFFFFF becomes -1 (the conversion wraps modulo 2^8).
    return (this.#sequenceIds ??= new Int8Array(this.#packed.subarray(7 * this.#n, 8 * this.#n)));
  }

  set sequenceIds(value) {
    this.#sequenceIds = value;
  }

  /** A plain object of all seven fields (what `JSON.stringify` and `postMessage` should get). */
  toJSON() {
    const { ids, tokens, offsets, typeIds, specialTokensMask, attentionMask, sequenceIds } = this;
    return { ids, tokens, offsets, typeIds, specialTokensMask, attentionMask, sequenceIds };
  }

  /** Node's `console.log` and `util.inspect` show all seven fields, not only the own two. */
  [Symbol.for("nodejs.util.inspect.custom")](depth, options, inspect) {
    return `Encoding ${inspect(this.toJSON(), options)}`;
  }
}

/** Called from Rust: the packed result is `words` u32s at byte `ptr` of wasm memory. */
export function buildEncoding(memory, ptr, words, n, joinedBytes) {
  return new Encoding(sliceU32(memory, ptr, words), n, joinedBytes);
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
  if (memoryU32.buffer !== memory.buffer) memoryU32 = new Uint32Array(memory.buffer);
  return memoryU32.slice(ptr >>> 2, (ptr >>> 2) + len);
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
