// Node entry `tokenscope/train`: the trainer's wasm is loaded synchronously on import, so
// `Trainer` is ready at once; `init()` exists only for code shared with the browser entry.
import { readFileSync } from "node:fs";
import { initSync, Trainer, TrainedModel, compile, decompile } from "./tokenscope_train.js";

initSync({ module: readFileSync(new URL("./tokenscope_train_bg.wasm", import.meta.url)) });

export { Trainer, TrainedModel, compile, decompile, initSync };
export default async function init() {}
export { init };
