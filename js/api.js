// Part of the npm package: the `Tokenizer` methods written in JS over the wasm exports (both
// entries install them). Their types are declared in the wasm's TypeScript (src/wasm/budget.rs).

/**
 * Adds `decodeStream` and `isWithinTokenLimit` to `Tokenizer.prototype`.
 * @param {any} Tokenizer the wasm-bindgen class
 * @param {any} DecodeStreamState the wasm-bindgen class holding a stream's ids and emitted prefix
 */
export function installApi(Tokenizer, DecodeStreamState) {
  /**
   * A stream decoding ids as a model generates them: `step(id | ids)` returns the text they
   * complete, or `undefined` while the ids end inside a character (never half a character), as
   * the reference's `DecodeStream`.
   */
  Tokenizer.prototype.decodeStream = function decodeStream(options) {
    if (options !== undefined && (options === null || typeof options !== "object")) throw new Error("options must be an object");
    for (const key of Object.keys(options ?? {})) {
      if (key !== "skipSpecialTokens") throw new Error(`unknown option ${JSON.stringify(key)}; the options are skipSpecialTokens`);
    }
    const skip = options?.skipSpecialTokens ?? false;
    if (typeof skip !== "boolean") throw new Error("option skipSpecialTokens must be a boolean");
    const state = new DecodeStreamState(skip);
    const tokenizer = this;
    return {
      step(ids) {
        return state.step(tokenizer, ids);
      },
    };
  };

  /**
   * The token count of `text` when it is at most `limit`, else `false` (gpt-tokenizer's
   * `isWithinTokenLimit`): encoding stops once past the limit.
   */
  Tokenizer.prototype.isWithinTokenLimit = function isWithinTokenLimit(text, limit, options) {
    const n = this.countUpTo(text, limit, options);
    return n <= limit ? n : false;
  };
}
