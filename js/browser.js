// Browser (and bundler) entry of the npm package: encoding (the trainer is `tokenscope/train`).
// Call `await init()` once before using `Tokenizer`; it fetches `tokenscope_bg.wasm` next to this
// file (or takes a URL/bytes).
import init, { initSync, Tokenizer } from "./tokenscope.js";
import { initGuard } from "./init-guard.js";

const ensureInit = initGuard(
  initSync,
  "tokenscope is not initialised: call `await init()` (the package's default export) once before Tokenizer.fromJSON",
);

// Every Tokenizer comes from fromJSON, so guarding it is enough.
const fromJSON = Tokenizer.fromJSON;
Tokenizer.fromJSON = function (json) {
  ensureInit();
  return fromJSON.call(this, json);
};

export { init as default, init, initSync, Tokenizer };
