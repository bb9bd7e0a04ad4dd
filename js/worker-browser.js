// Part of the npm package: the module worker a browser `TokenizerWorker` starts (js/worker-serve.js).
// It imports the wasm glue, not ./browser.js: that entry names this file (`new Worker(new URL(…))`),
// and bundlers that follow worker URLs (Next.js's Turbopack) never finish on a worker that names
// itself. No top-level await: bundlers that emit workers as classic scripts (Vite's default) can
// bundle it.
import init, { DecodeStreamState, Tokenizer } from "./tokenscope.js";
import { installApi } from "./api.js";
import { serve } from "./worker-serve.js";

installApi(Tokenizer, DecodeStreamState);
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
