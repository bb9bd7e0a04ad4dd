// Browser (and bundler) entry of the npm package: call `await init()` once before using
// `Tokenizer`; it fetches `tokenscope_bg.wasm` next to this file (or takes a URL/bytes).
import init, { initSync, Tokenizer, Trainer as RawTrainer, TrainedModel } from "./tokenscope.js";

const NOT_INITIALISED =
  "tokenscope is not initialised: call `await init()` (the package's default export) once before Tokenizer.fromJSON or new Trainer()";

/** Whether the wasm module is instantiated (wasm-bindgen's `initSync()` returns it at once then;
 * before, it has no module to compile and throws). */
function initialised() {
  try {
    initSync();
    return true;
  } catch {
    return false;
  }
}

// Without this, a call before `init()` fails inside the generated glue with "Cannot read
// properties of undefined". Every Tokenizer comes from fromJSON, so guarding it is enough.
const fromJSON = Tokenizer.fromJSON;
Tokenizer.fromJSON = function (json) {
  if (!initialised()) throw new Error(NOT_INITIALISED);
  return fromJSON.call(this, json);
};

// The other way in: `new Trainer()` (a TrainedModel only comes from a Trainer).
const Trainer = new Proxy(RawTrainer, {
  construct(target, args, newTarget) {
    if (!initialised()) throw new Error(NOT_INITIALISED);
    return Reflect.construct(target, args, newTarget);
  },
});

export { init as default, init, initSync, Tokenizer, Trainer, TrainedModel };
