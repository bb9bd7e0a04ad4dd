// The train worker: holds one corpus's statistics (a tokenscope Trainer) and the BPE trained on
// it, so that the page stays responsive while training and moving the transition point only
// reruns SuperBPE's stage 2. The first is made when the Train panel is first opened; the page
// cancels by terminating it. Messages: protocol.js. No training logic here: it calls the wasm
// binding.

import { COUNTED, RETRAIN, TRAIN, TRAIN_ERROR, TRAIN_PROGRESS, TRAINED } from "./protocol.js";
import { loadPackage, messageOf } from "./wasm.js";

/** The package's training entry (`tokenscope/train`): its own wasm, so the page's encode workers
 * never download the trainer, and this one downloads it only once the Train panel is opened. */
const wasmReady = loadPackage(new URL("../pkg/train/browser.js", import.meta.url));

/**
 * postMessage, checked against the protocol's types (`npx tsc -p www/workers/jsconfig.json`).
 * @param {import("./protocol.js").FromTrainWorker} msg
 */
function post(msg) {
  postMessage(msg);
}

let trainer = null;
let bpe = null;
let vocabSize = 0;

function progress(model) {
  return (p) => void post({ type: TRAIN_PROGRESS, model, ...p });
}

/** @param {import("./protocol.js").SuperwordSettings} settings */
function trainSuperBpe({ transition, maxWords, forbidden }) {
  const t0 = performance.now();
  const options = { vocabSize, transition, maxWords, forbiddenSubstrings: forbidden };
  const model = trainer.trainSuperBpe(bpe, options, progress("superbpe"));
  post({
    type: TRAINED,
    model: "superbpe",
    transition,
    json: model.tokenizerJSON(),
    vocabSize: model.vocabSize,
    mergeCount: model.mergeCount,
    ms: performance.now() - t0,
  });
  model.free();
}

/** @param {object} mod the package entry @param {import("./protocol.js").TrainRequest} msg */
async function train(mod, msg) {
  trainer?.free();
  bpe?.free();
  bpe = null;
  vocabSize = msg.vocabSize;
  // Settings first: a bad filter must not wait for the whole BPE run.
  mod.Trainer.checkOptions({ vocabSize, transition: msg.transition, maxWords: msg.maxWords, forbiddenSubstrings: msg.forbidden });
  let t0 = performance.now();
  trainer = new mod.Trainer(msg.stage2Pattern === null ? undefined : { stage2Pattern: msg.stage2Pattern });
  for (const text of msg.texts) trainer.feed(text);
  post({ type: COUNTED, bytes: trainer.bytes, ms: performance.now() - t0 });
  t0 = performance.now();
  if (msg.extend) return extend(msg, t0);
  bpe = trainer.trainBpe({ vocabSize }, progress("bpe"));
  post({
    type: TRAINED,
    model: "bpe",
    json: bpe.tokenizerJSON(),
    vocabSize: bpe.vocabSize,
    mergeCount: bpe.mergeCount,
    ms: performance.now() - t0,
  });
  trainSuperBpe(msg);
}

/**
 * SuperBPE's stage 2 alone, from a pane's tokenizer's first merges (`Trainer.extend`).
 * @param {import("./protocol.js").TrainRequest} msg
 */
async function extend(msg, t0) {
  const { url, buffer, inherit, label } = msg.extend;
  let base = buffer;
  if (!base) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not fetch ${label}: HTTP ${res.status}`);
    base = await res.arrayBuffer();
  }
  const options = { vocabSize, maxWords: msg.maxWords, forbiddenSubstrings: msg.forbidden, ...(inherit === null ? {} : { inherit }) };
  const model = trainer.extend(new Uint8Array(base), options, progress("superbpe"));
  post({
    type: TRAINED,
    model: "superbpe",
    extended: { label, inherit },
    json: model.tokenizerJSON(),
    vocabSize: model.vocabSize,
    mergeCount: model.mergeCount,
    ms: performance.now() - t0,
  });
  model.free();
}

/** @param {import("./protocol.js").RetrainRequest} msg */
function retrain(msg) {
  if (!bpe) throw new Error("train first");
  trainSuperBpe(msg);
}

/** @param {MessageEvent<import("./protocol.js").ToTrainWorker>} event */
onmessage = async (event) => {
  const msg = event.data;
  try {
    const mod = await wasmReady;
    if (msg.type === TRAIN) await train(mod, msg);
    else if (msg.type === RETRAIN) retrain(msg);
    else throw new Error(`train worker: unknown message type ${JSON.stringify(/** @type {any} */ (msg).type)}`);
  } catch (err) {
    post({ type: TRAIN_ERROR, message: messageOf(err) });
  }
};
