// Node entry of the npm package: the wasm is loaded synchronously on import, so `Tokenizer` is
// ready at once; `init()` exists only for code shared with the browser entry.
import { readFileSync } from "node:fs";
import { initSync, Tokenizer } from "./tokenscope.js";

initSync({ module: readFileSync(new URL("./tokenscope_bg.wasm", import.meta.url)) });

export { Tokenizer, initSync };
export default async function init() {}
export { init };
