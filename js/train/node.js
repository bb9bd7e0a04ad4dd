// Node entry `tokenscope/train`: the trainer's wasm is loaded synchronously on import, so
// `Trainer` is ready at once; `init()` exists only for code shared with the browser entry.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { initSync, Trainer, TrainedModel, compile, decompile } from "./tokenscope_train.js";

// By its href: a bundler's own URL object (Next.js's Turbopack) is refused by `readFileSync`.
initSync({ module: readFileSync(fileURLToPath(new URL("./tokenscope_train_bg.wasm", import.meta.url).href)) });

export { Trainer, TrainedModel, compile, decompile, initSync };
export default async function init() {}
export { init };
