// Worst-case inputs: long runs that a pre-tokenizer cannot cut, so the whole run reaches the BPE
// merge loop as one piece (letters, CJK, spaces), plus base64, whose pieces are cut only at
// digits and `+`/`/` (o200k's regex, the OLMo2 Digits step) and so stay long. Generated from a
// fixed-seed LCG: every run, and the Rust bench if it follows this file, sees the same bytes.
// Letters and ideographs are pseudo-random rather than one repeated character, so the merge loop
// has real merges to do at every position.

export const KINDS = ["letters", "cjk", "spaces", "base64"];

// Numerical Recipes' 32-bit LCG; the top bits are the usable ones. Also draws the prose section's
// random words (corpus.mjs).
export function lcg(seed) {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}

/** A string of `kind` whose UTF-8 length is `bytes` (CJK: rounded up to whole 3-byte chars). */
export function worstCase(kind, bytes, seed = 42) {
  const next = lcg(seed);
  switch (kind) {
    case "letters": {
      const codes = new Uint8Array(bytes);
      for (let i = 0; i < bytes; i++) codes[i] = 97 + ((next() >>> 16) % 26);
      return Buffer.from(codes).toString("latin1");
    }
    case "cjk": {
      // CJK Unified Ideographs U+4E00..U+9FFF: every one is 3 bytes in UTF-8 and one UTF-16 unit.
      const n = Math.ceil(bytes / 3);
      const units = new Uint16Array(n);
      for (let i = 0; i < n; i++) units[i] = 0x4e00 + ((next() >>> 16) % 0x5200);
      return Buffer.from(units.buffer).toString("utf16le");
    }
    case "spaces":
      return " ".repeat(bytes);
    case "base64": {
      const raw = Buffer.alloc(Math.ceil((bytes * 3) / 4) + 3);
      for (let i = 0; i < raw.length; i++) raw[i] = next() >>> 24;
      return raw.toString("base64").slice(0, bytes);
    }
    default:
      throw new Error(`unknown worst-case kind ${kind}`);
  }
}
