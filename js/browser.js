// Browser (and bundler) entry of the npm package: encoding (the trainer is `tokenscope/train`).
// Call `await init()` once before using `Tokenizer`; it fetches `tokenscope_bg.wasm` next to this
// file (or takes a URL/bytes).
import init, { DecodeStreamState, initSync, Tokenizer } from "./tokenscope.js";
import { installApi } from "./api.js";
import { makeTokenizerWorker } from "./tokenizer-worker.js";
import { initGuard } from "./init-guard.js";

const ensureInit = initGuard(
  initSync,
  "tokenscope is not initialised: call `await init()` (the package's default export) once before Tokenizer.fromJSON or fromBytes",
);

// Every Tokenizer comes from fromJSON or fromBytes, so guarding them is enough.
for (const name of ["fromJSON", "fromBytes"]) {
  const create = Tokenizer[name];
  Tokenizer[name] = function (source, options) {
    ensureInit();
    return create.call(this, source, options);
  };
}

installApi(Tokenizer, DecodeStreamState);

/** `Tokenizer` in a module worker running this entry (`worker-browser.js`, found as bundlers find it). */
const TokenizerWorker = makeTokenizerWorker(async () => {
  const worker = new Worker(new URL("./worker-browser.js", import.meta.url), { type: "module" });
  return {
    post: (data) => worker.postMessage(data),
    onMessage: (f) => worker.addEventListener("message", (e) => f(e.data)),
    onError: (f) => worker.addEventListener("error", (e) => f(e)),
    terminate: () => worker.terminate(),
  };
});

export { DecodeStreamState, init as default, init, initSync, Tokenizer, TokenizerWorker };
