// Browser (and bundler) entry of the npm package: call `await init()` once before using
// `Tokenizer`; it fetches `tokenscope_bg.wasm` next to this file (or takes a URL/bytes).
export { default, default as init, initSync, Tokenizer } from "./tokenscope.js";
