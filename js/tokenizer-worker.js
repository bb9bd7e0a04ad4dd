// Part of the npm package: `TokenizerWorker`, a `Tokenizer` in a worker (a Web Worker in
// browsers, Deno and Bun; a worker thread in Node), so that encoding a long text never blocks the
// page. Same methods as `Tokenizer`, each returning a Promise; the typed arrays of results are
// transferred from the worker, not copied.

/** The methods forwarded as they are (arguments and results structured-cloned). */
const FORWARDED = [
  "encode", "encodeIds", "count", "countUpTo", "isWithinTokenLimit", "truncate", "chunk", "decode",
  "tokenToId", "idToToken", "tokenBytes", "applyChatTemplate", "encodeChat", "countChat", "noTruncation", "noPadding",
];

/**
 * The `TokenizerWorker` class of an entry.
 * @param {() => Promise<{ post(data: any): void, onMessage(f: (data: any) => void): void, onError(f: (e: any) => void): void, terminate(): void }>} start
 *   starts a worker running the entry's worker script
 */
export function makeTokenizerWorker(start) {
  class TokenizerWorker {
    #port;
    #pending = new Map();
    #next = 0;
    #streams = 0;
    #error;
    /** Number of distinct tokens (as `Tokenizer.vocabSize`). */
    vocabSize = 0;
    /** Names of the chat templates loaded with `config` (as `Tokenizer.chatTemplates`). */
    chatTemplates = [];

    constructor(port) {
      this.#port = port;
      port.onMessage(({ id, result, error }) => {
        const pending = this.#pending.get(id);
        this.#pending.delete(id);
        if (error === undefined) pending?.resolve(result);
        else pending?.reject(new Error(error));
      });
      port.onError((e) => {
        this.#error = new Error(`the tokenizer worker failed: ${e?.message ?? e}`);
        for (const { reject } of this.#pending.values()) reject(this.#error);
        this.#pending.clear();
      });
    }

    /**
     * Starts a worker and loads a `tokenizer.json` (text or bytes) or a compiled tokenizer in it,
     * as `Tokenizer.fromJSON(source, options)`. Rejects with the same `Error`s.
     */
    static async fromJSON(source, options) {
      const worker = new TokenizerWorker(await start());
      try {
        Object.assign(worker, await worker.#call("load", [source, options]));
      } catch (e) {
        worker.terminate();
        throw e;
      }
      return worker;
    }

    /** As `fromJSON` (bytes of a compiled tokenizer or of a `tokenizer.json`). */
    static fromBytes(bytes, options) {
      return TokenizerWorker.fromJSON(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes, options);
    }

    #call(method, args) {
      if (this.#error) return Promise.reject(this.#error);
      const id = this.#next++;
      return new Promise((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        try {
          this.#port.post({ id, method, args });
        } catch (e) {
          // Arguments that cannot be sent (a function, a DOM node): the call fails here.
          this.#pending.delete(id);
          reject(e);
        }
      });
    }

    /**
     * A decode stream in the worker (as `Tokenizer.decodeStream`): `await step(ids)` returns the
     * text the ids complete, or `undefined`; `close()` frees it.
     */
    decodeStream(options) {
      const streamId = this.#streams++;
      const opened = this.#call("decodeStream", [streamId, options]);
      // Bad options or a terminated worker reject at the first `step` / `close`, not as an
      // unhandled rejection (which ends a Node process).
      opened.catch(() => {});
      return {
        step: (ids) => opened.then(() => this.#call("step", [streamId, ids])),
        close: () => opened.then(() => this.#call("closeStream", [streamId])),
      };
    }

    /** Stops the worker; pending and later calls reject. */
    terminate() {
      this.#port.terminate();
      this.#error ??= new Error("the tokenizer worker was terminated");
      for (const { reject } of this.#pending.values()) reject(this.#error);
      this.#pending.clear();
    }

    // Inside the class body: the forwarded methods reach the private `#call`.
    static {
      for (const name of FORWARDED) {
        TokenizerWorker.prototype[name] = function (...args) {
          return this.#call(name, args);
        };
      }
    }
  }
  return TokenizerWorker;
}
