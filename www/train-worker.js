// The training worker: holds one corpus's statistics (a tokenscope Trainer) and the BPE trained
// on it, so that the page stays responsive while training and moving the transition point only
// reruns SuperBPE's stage 2. The page cancels by terminating the worker.
//
// Protocol (main -> worker):
//   {type: "train", texts, vocabSize, transition, maxWords, forbidden}   count the corpus (one
//        text per file), train BPE to vocabSize, then SuperBPE at transition with the filters
//   {type: "transition", transition, maxWords, forbidden}   SuperBPE again from the same BPE
// (worker -> main):
//   {type: "counted", bytes, ms}
//   {type: "progress", model: "bpe" | "superbpe", stage, merges, vocabSize, target, bytesPerToken}
//   {type: "trained", model, transition?, json, vocabSize, mergeCount, ms}
//   {type: "error", message} | {type: "fatal", message}
// One request at a time: the page sends a transition only once the last answer has come.
// No training logic here: it calls the wasm binding.

import { PKG_URL, messageOf, wasmReady } from "./wasm.js";

let trainer = null;
let bpe = null;
let vocabSize = 0;

function progress(model) {
  return (p) => void postMessage({ type: "progress", model, ...p });
}

function trainSuperBpe({ transition, maxWords, forbidden }) {
  const t0 = performance.now();
  const options = { vocabSize, transition, maxWords, forbiddenSubstrings: forbidden };
  const model = trainer.trainSuperBpe(bpe, options, progress("superbpe"));
  postMessage({
    type: "trained",
    model: "superbpe",
    transition,
    json: model.tokenizerJSON(),
    vocabSize: model.vocabSize,
    mergeCount: model.mergeCount,
    ms: performance.now() - t0,
  });
  model.free();
}

onmessage = async (e) => {
  const msg = e.data;
  let mod;
  try {
    mod = await wasmReady;
  } catch (err) {
    postMessage({ type: "fatal", message: `could not load the WebAssembly package (${PKG_URL.pathname}): ${messageOf(err)}` });
    return;
  }
  try {
    if (msg.type === "train") {
      trainer?.free();
      bpe?.free();
      bpe = null;
      vocabSize = msg.vocabSize;
      // Settings first: a bad filter must not wait for the whole BPE run.
      mod.Trainer.checkOptions({ vocabSize, transition: msg.transition, maxWords: msg.maxWords, forbiddenSubstrings: msg.forbidden });
      let t0 = performance.now();
      trainer = new mod.Trainer();
      for (const text of msg.texts) trainer.feed(text);
      postMessage({ type: "counted", bytes: trainer.bytes, ms: performance.now() - t0 });
      t0 = performance.now();
      bpe = trainer.trainBpe({ vocabSize }, progress("bpe"));
      postMessage({
        type: "trained",
        model: "bpe",
        json: bpe.tokenizerJSON(),
        vocabSize: bpe.vocabSize,
        mergeCount: bpe.mergeCount,
        ms: performance.now() - t0,
      });
      trainSuperBpe(msg);
    } else if (msg.type === "transition") {
      if (!bpe) throw new Error("train first");
      trainSuperBpe(msg);
    }
  } catch (err) {
    postMessage({ type: "error", message: messageOf(err) });
  }
};
