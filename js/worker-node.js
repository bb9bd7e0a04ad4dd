// Part of the npm package: the worker thread a Node `TokenizerWorker` starts (js/worker-serve.js).
import { parentPort } from "node:worker_threads";
import { Tokenizer } from "./node.js";
import { serve } from "./worker-serve.js";

serve(
  Tokenizer,
  (listener) => parentPort.on("message", listener),
  (data, transfer) => parentPort.postMessage(data, transfer),
);
