// Node entry of the npm package (Node, Bun, Deno, server bundles): the wasm is read and
// instantiated synchronously on first use (`Tokenizer.fromJSON` / `fromBytes`, or `initSync()`),
// so `Tokenizer` needs no `await init()`; `init()` exists only for code shared with the browser
// entry. Not at import: a bundler's server render of a client component (Next.js) imports this
// entry without using it, and its rewritten wasm URL may point at the client's copy.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DecodeStreamState, initSync as instantiate, Tokenizer } from "./tokenscope.js";
import { installApi } from "./api.js";
import { makeTokenizerWorker } from "./tokenizer-worker.js";

let wasmExports;

function ready() {
  if (wasmExports === undefined) {
    // Bundlers rewrite `new URL("…", import.meta.url)` to the file they emit; some (Next.js's
    // Turbopack) hand back a URL object of their own, which `readFileSync` refuses: read its href.
    const wasm = new URL("./tokenscope_bg.wasm", import.meta.url);
    let bytes;
    try {
      bytes = readFileSync(fileURLToPath(wasm.href));
    } catch (e) {
      throw new Error(`tokenscope could not read its wasm at ${wasm.href} (${e.message}): pass its bytes to initSync({ module: bytes }) first`);
    }
    wasmExports = instantiate({ module: bytes });
  }
  return wasmExports;
}

/**
 * Instantiates the wasm now: from `options.module` (bytes or a `WebAssembly.Module`) when given,
 * else from the file next to this entry. Returns the wasm exports; later calls return them again.
 */
export function initSync(options) {
  if (options !== undefined && wasmExports === undefined) wasmExports = instantiate(options);
  return ready();
}

for (const name of ["fromJSON", "fromBytes"]) {
  const create = Tokenizer[name];
  Tokenizer[name] = function (source, options) {
    ready();
    return create.call(this, source, options);
  };
}

installApi(Tokenizer, DecodeStreamState);

/** `Tokenizer` in a worker thread running this entry (`worker-node.js`). */
const TokenizerWorker = makeTokenizerWorker(async () => {
  const { Worker } = await import("node:worker_threads");
  const worker = new Worker(new URL("./worker-node.js", import.meta.url));
  // An idle worker does not keep the process alive; one with calls pending does.
  let pending = 0;
  worker.unref();
  return {
    post: (data) => {
      worker.postMessage(data); // throws (DataCloneError) before anything is counted
      if (pending++ === 0) worker.ref();
    },
    onMessage: (f) =>
      worker.on("message", (data) => {
        if (--pending === 0) worker.unref();
        f(data);
      }),
    onError: (f) => worker.on("error", f),
    terminate: () => void worker.terminate(),
  };
});

export { DecodeStreamState, Tokenizer, TokenizerWorker };
export default async function init() {}
export { init };
