// Browser (and bundler) entry of the npm package: encoding (the trainer is `tokenscope/train`).
// Call `await init()` once before using `Tokenizer`; it fetches `tokenscope_bg.wasm` next to this
// file (or takes a URL/bytes).
import init, { DecodeStreamState, initSync, Tokenizer } from "./tokenscope.js";
import { installApi } from "./api.js";
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

export { init as default, init, initSync, Tokenizer };
