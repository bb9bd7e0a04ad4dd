// Part of the npm package: the worker side of `TokenizerWorker` (js/tokenizer-worker.js). Each
// request `{ id, method, args }` runs the method of the one `Tokenizer` the worker holds and
// answers `{ id, result }` or `{ id, error }`; the typed arrays of a result are transferred, not
// copied.

/**
 * Answers the requests of one `TokenizerWorker`.
 * @param {any} Tokenizer the entry's `Tokenizer` class (initialised)
 * @param {(listener: (data: any) => void) => void} listen receives each request
 * @param {(data: any, transfer: ArrayBuffer[]) => void} post sends an answer
 */
export function serve(Tokenizer, listen, post) {
  let tok;
  const streams = new Map();
  const methods = {
    load: (source, options) => {
      tok = source instanceof Uint8Array || source instanceof ArrayBuffer ? Tokenizer.fromBytes(source, options) : Tokenizer.fromJSON(source, options);
      return { vocabSize: tok.vocabSize, chatTemplates: tok.chatTemplates ?? [] };
    },
    decodeStream: (streamId, options) => void streams.set(streamId, tok.decodeStream(options)),
    step: (streamId, ids) => {
      const stream = streams.get(streamId);
      if (stream === undefined) throw new Error("this decode stream was closed");
      return stream.step(ids);
    },
    closeStream: (streamId) => void streams.delete(streamId),
    noTruncation: () => tok.noTruncation(),
    noPadding: () => tok.noPadding(),
  };
  listen(({ id, method, args }) => {
    try {
      const run = methods[method] ?? ((...a) => {
        if (typeof tok[method] !== "function") {
          const hint = /Chat/.test(method) ? ': chat templates are in the chat build, import from "tokenscope/chat"' : "";
          throw new Error(`${method} is not in this build${hint}`);
        }
        return tok[method](...a);
      });
      const result = run(...args);
      post({ id, result }, transferables(result));
    } catch (e) {
      post({ id, error: e instanceof Error ? e.message : String(e) }, []);
    }
  });
}

/** The buffers of the typed arrays in `value` (an encoding, its overflowing parts, an array). */
function transferables(value, into = []) {
  if (ArrayBuffer.isView(value)) {
    if (!into.includes(value.buffer)) into.push(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, into);
  } else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) transferables(v, into);
  }
  return into;
}
