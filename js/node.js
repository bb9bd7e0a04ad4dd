// Node entry of the npm package: the wasm is loaded synchronously on import, so `Tokenizer` is
// ready at once; `init()` exists only for code shared with the browser entry.
import { readFileSync } from "node:fs";
import { initSync, Tokenizer, Trainer, TrainedModel } from "./tokenscope.js";

initSync({ module: readFileSync(new URL("./tokenscope_bg.wasm", import.meta.url)) });

export { Tokenizer, Trainer, TrainedModel, initSync };
export default async function init() {}
export { init };
