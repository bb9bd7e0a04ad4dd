// Browser (and bundler) entry `tokenscope/train`: the trainer in a wasm of its own, so that
// `import { Tokenizer } from "tokenscope"` never downloads it. Call `await init()` once before
// `new Trainer()`; it fetches `tokenscope_train_bg.wasm` next to this file (or takes a URL/bytes).
import init, { initSync, Trainer as RawTrainer, TrainedModel, compile as rawCompile, decompile as rawDecompile } from "./tokenscope_train.js";
import { initGuard } from "../init-guard.js";

const ensureInit = initGuard(
  initSync,
  "tokenscope/train is not initialised: call `await init()` (this entry's default export) once before new Trainer(), compile() or decompile()",
);

// A TrainedModel only comes from a Trainer, so guarding `new Trainer()` is enough.
const Trainer = new Proxy(RawTrainer, {
  construct(target, args, newTarget) {
    ensureInit();
    return Reflect.construct(target, args, newTarget);
  },
});

/** See `compile` in the wasm module's types: the compiled form of a `tokenizer.json`. */
const compile = (json) => (ensureInit(), rawCompile(json));
/** See `decompile` in the wasm module's types: a `tokenizer.json` back from a compiled tokenizer. */
const decompile = (bytes) => (ensureInit(), rawDecompile(bytes));

export { init as default, init, initSync, Trainer, TrainedModel, compile, decompile };
