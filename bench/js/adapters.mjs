// How each implementation is called and how its caches are emptied, runtime-neutral: peers.mjs
// (Node) and browser/page.mjs (Chromium) wrap the same library objects with these, so both
// runtimes time the same calls. Each returns { encode(text) -> ids, count?, encodeIds?,
// clearCache? } (the shape peers.mjs documents).
//
// clearCache empties what a peer keeps from call to call: "cold" in the tables. tokenscope and
// ai-tokenizer expose no way to empty their caches, so it builds a fresh instance from the data
// already in memory; gpt-tokenizer's encoding is a module singleton with a clearMergeCache().

/** tokenscope: `Tokenizer` of the package (either entry), `json` the tokenizer.json (text or bytes). */
export function tokenscopeCalls(Tokenizer, json) {
  let tok = Tokenizer.fromJSON(json);
  return {
    // `encode` builds ids, offsets and masks; its `tokens` are decoded only when read (not here).
    encode: (text) => tok.encode(text).ids,
    encodeIds: (text) => tok.encodeIds(text),
    count: (text) => tok.count(text),
    clearCache: () => {
      tok.free();
      tok = Tokenizer.fromJSON(json);
    },
  };
}

/** gpt-tokenizer: one of its `gpt-tokenizer/encoding/*` modules. */
export function gptTokenizerCalls(enc) {
  return {
    encode: (text) => enc.encode(text),
    count: (text) => enc.countTokens(text),
    clearCache: () => enc.clearMergeCache(),
  };
}

/** ai-tokenizer: its `Tokenizer` class and one of its `ai-tokenizer/encoding/*` modules. */
export function aiTokenizerCalls(Tokenizer, data) {
  let tok = new Tokenizer(data);
  return {
    encode: (text) => tok.encode(text),
    count: (text) => tok.count(text),
    clearCache: () => {
      tok = new Tokenizer(data);
    },
    // Its merge cache cannot be sized to nothing (a size of 0 still keeps the last piece, which is
    // the whole input of a worst-case call): the instance's insert is replaced by a no-op.
    disableCache: () => {
      tok.addToMergeCache = () => {};
    },
  };
}
