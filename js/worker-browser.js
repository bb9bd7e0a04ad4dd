// Part of the npm package: the module worker a browser `TokenizerWorker` starts (js/worker-serve.js).
// No top-level await: bundlers that emit workers as classic scripts (Vite's default) can bundle it.
import init, { Tokenizer } from "./browser.js";
import { serve } from "./worker-serve.js";

// Requests that arrive while the wasm loads wait for it.
const queue = [];
let handler = (data) => queue.push(data);
self.onmessage = (event) => handler(event.data);
init().then(
  () =>
    serve(
      Tokenizer,
      (listener) => {
        handler = listener;
        for (const data of queue.splice(0)) listener(data);
      },
      (data, transfer) => self.postMessage(data, transfer),
    ),
  (e) => {
    handler = ({ id }) => self.postMessage({ id, error: `tokenscope could not load its wasm in the worker: ${e?.message ?? e}` });
    for (const data of queue.splice(0)) handler(data);
  },
);
