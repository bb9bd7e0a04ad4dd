// The Train panel: a corpus (pasted, uploaded or the text box), V and t, stage 2's split pattern
// (the paper's or the authors' newer one), training in a worker (workers/train.js, messages in
// workers/protocol.js) with progress and a bytes-per-token curve, cancel, downloads; the trained
// BPE and SuperBPE load into the first two panes through `loadTrained`. Moving t after training
// retrains only SuperBPE. Or superwords added to a pane's tokenizer (stage 2 alone from its
// merges), loaded beside it. No training logic here.

import { $, disclosure, fmt } from "./dom.js";
import { state } from "./state.js";
import { drawCurve } from "./train-curve.js";
import { COUNTED, RETRAIN, TRAIN, TRAIN_ERROR, TRAIN_PROGRESS, TRAINED } from "./workers/protocol.js";

const MIN_VOCAB = 256;
/** A transition point below the alphabet inherits no subword merge: allowed, down to 1. */
const MIN_TRANSITION = 1;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });
const MAX_VOCAB = 200_000;
const RETRAIN_DEBOUNCE_MS = 250;
/** The split pattern of the SuperBPE authors' scripts since November 2025 (`--regex_string`). */
const AUTHORS_STAGE2_PATTERN = String.raw`\p{N}{1,3}| ?[^\s\p{L}\p{N}]{2,}[\r\n/]*| +(?!\S)`;

/**
 * @param {object} hooks
 * @param {(list: Array<[number, object]>) => void} hooks.loadTrained loads trained tokenizers
 *   (`{kind: "file", trained: true, name, label, buffer}`) into panes, `[[index, source], …]`
 * @param {() => string} hooks.getText the text box's text
 */
export function setupTrainPanel({ loadTrained, getText }) {
  const root = $(document, "train");
  const toggle = $(root, "train-toggle");
  const el = Object.fromEntries(
    ["corpus", "files", "use-text", "corpus-info", "vocab", "transition", "transition-value", "max-words", "forbidden", "start", "cancel", "progress", "status",
      "download-bpe", "download-superbpe", "error", "curve-box", "curve", "stage2", "stage2-pattern", "base", "inherit", "inherit-box"].map((r) => [r, $(root, `train-${r}`)]),
  );
  const run = {
    worker: null,
    /** Whether the worker has been sent a job: a new training gets a fresh worker, so the wasm
     * memory of the last one (about 50 bytes per corpus byte) is given back. */
    used: false,
    /** Uploaded files as {name, text}; used instead of the textarea while set. */
    files: [],
    /** A BPE is trained and kept by the worker: moving t retrains SuperBPE only. */
    ready: false,
    vocabSize: 0,
    transition: 0,
    /** The superword settings of the SuperBPE trained last, of the one being trained (null when
     * idle) and the ones asked for since. */
    trainedWith: null,
    busyWith: null,
    wanted: null,
    started: 0,
    debounce: null,
    curves: { bpe: [], superbpe: [] },
    urls: {},
    drawQueued: false,
    /** Vocab size the BPE reached (null until trained). */
    reached: null,
    /** The trained BPE's source, loaded together with its SuperBPE (null once loaded). */
    bpeSource: null,
    /** Whether the SuperBPE being trained is a retrain (only t or the filters moved). */
    retraining: false,
    /** The t asked for was past the vocab BPE reached: the SuperBPE trained with it is not
     * shown, and the one retrained at the lowered t loads with the BPE. */
    capped: false,
  };

  const mb = (bytes) => (bytes >= 100_000 ? `${(bytes / 1e6).toFixed(2)} MB` : `${fmt(bytes)} bytes`);

  function corpusTexts() {
    if (run.files.length) return run.files.map((f) => f.text);
    return el.corpus.value ? [el.corpus.value] : [];
  }

  function showCorpusInfo() {
    const bytes = corpusTexts().reduce((n, t) => n + new TextEncoder().encode(t).length, 0);
    el["corpus-info"].textContent = run.files.length
      ? `${run.files.length} file${run.files.length > 1 ? "s" : ""} (${run.files.map((f) => f.name).join(", ")}): ${mb(bytes)}`
      : bytes
        ? `${mb(bytes)} of pasted text`
        : "";
  }

  function showError(message) {
    el.error.textContent = message;
    el.error.hidden = !message;
  }

  function setRunning(running) {
    el.start.disabled = running;
    el.cancel.disabled = !running;
  }

  /** V and t from the inputs, clamped; t ≤ V. */
  function settings() {
    const vocabSize = Math.round(Number(el.vocab.value));
    if (!Number.isFinite(vocabSize) || vocabSize < MIN_VOCAB || vocabSize > MAX_VOCAB) {
      throw new Error(`the vocab size must be a whole number from ${fmt(MIN_VOCAB)} to ${fmt(MAX_VOCAB)}`);
    }
    const transition = clampTransition(el["transition-value"].value, vocabSize);
    setTransition(transition);
    return { vocabSize, ...superwordSettings(transition), stage2Pattern: stage2Pattern(), extend: extendBase() };
  }

  /** Stage 2's split pattern: null for the paper's digit groups. */
  function stage2Pattern() {
    const choice = el.stage2.value;
    if (choice === "paper") return null;
    if (choice === "authors") return AUTHORS_STAGE2_PATTERN;
    const own = el["stage2-pattern"].value;
    if (!own) throw new Error("type the stage-2 split regex, or choose one of the two given");
    return own;
  }

  /** The pane tokenizer superwords are added to, or null for the BPE trained here. */
  function extendBase() {
    if (el.base.value === "bpe") return null;
    const pane = state.panes[Number(el.base.value)];
    const src = pane?.source;
    if (!src || (src.kind !== "file" && !src.url)) throw new Error("that pane has no tokenizer to extend");
    const n = Math.round(Number(el.inherit.value));
    if (!Number.isFinite(n) || n < 0) throw new Error("the merges kept must be a whole number, 0 or more");
    // A file's bytes are copied: the pane keeps its own.
    return { url: src.kind === "file" ? undefined : src.url, buffer: src.kind === "file" ? src.buffer.slice(0) : undefined, inherit: n, label: src.label, pane: pane.index };
  }

  /** The base picker lists the panes as they are; t has no place when a pane is extended. */
  function fillBase() {
    const keep = el.base.value;
    const first = el.base.options[0];
    el.base.replaceChildren(
      first,
      ...state.panes.map((p, i) => {
        const o = document.createElement("option");
        o.value = String(i);
        o.textContent = `pane ${i + 1}'s tokenizer: ${p.source?.label ?? "(none)"}`;
        return o;
      }),
    );
    el.base.value = keep === "bpe" || Number(keep) < state.panes.length ? keep : "bpe";
    syncBase();
  }

  function syncBase() {
    const extending = el.base.value !== "bpe";
    el["inherit-box"].hidden = !extending;
    for (const input of [el.transition, el["transition-value"]]) input.disabled = extending;
  }

  /** What SuperBPE is trained with beyond V: t and the two filters (a change retrains it). */
  function superwordSettings(transition) {
    const words = Math.round(Number(el["max-words"].value));
    return {
      transition,
      maxWords: Number.isFinite(words) && words > 0 ? words : null,
      forbidden: el.forbidden.value.split(/\s+/).filter(Boolean),
    };
  }

  const sameSettings = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function clampTransition(value, vocabSize) {
    const t = Math.round(Number(value));
    return Math.min(vocabSize, Math.max(MIN_TRANSITION, Number.isFinite(t) ? t : Math.round(vocabSize * 0.75)));
  }

  /** The t controls range over the trained V once trained (moving t retrains at that V), else
   * over the V typed. */
  function syncTransitionRange() {
    const typed = Math.round(Number(el.vocab.value));
    if (run.ready && typed !== run.vocabSize) {
      el.status.textContent = `V changed to ${fmt(typed)}: press Train to retrain both; moving t now retrains SuperBPE at the trained V ${fmt(run.vocabSize)}`;
      return;
    }
    const v = run.ready ? Math.min(run.vocabSize, run.reached ?? run.vocabSize) : typed;
    if (!Number.isFinite(v) || v < MIN_VOCAB) return;
    setTransitionRange(v);
  }

  function setTransitionRange(v) {
    for (const input of [el.transition, el["transition-value"]]) input.max = String(v);
    if (Number(el["transition-value"].value) > v) setTransition(Math.round(v * 0.75));
  }

  function setTransition(t) {
    el.transition.value = String(t);
    el["transition-value"].value = String(t);
  }

  /** A new worker: it starts loading the wasm package at once, before it is sent a job. */
  function startWorker() {
    const worker = new Worker(new URL("./workers/train.js", import.meta.url), { type: "module" });
    worker.onmessage = (e) => {
      if (run.worker === worker) onMessage(e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      if (run.worker !== worker) return;
      fail(`the training worker failed${e.message ? `: ${e.message}` : ""}`);
    };
    run.worker = worker;
    run.used = false;
  }

  /** The worker to send a training to: the one made when the panel opened if it is still
   * unused, else a new one. */
  function freshWorker() {
    if (!run.worker || run.used) {
      stopWorker();
      startWorker();
    }
    run.used = true;
    return run.worker;
  }

  function stopWorker() {
    run.worker?.terminate();
    run.worker = null;
    run.ready = false;
    run.busyWith = null;
  }

  function fail(message) {
    showError(message);
    setRunning(false);
    if (run.busyWith !== null && run.ready) {
      run.busyWith = null; // a failed retrain leaves the BPE usable
    } else {
      stopWorker();
    }
    el.status.textContent = "stopped";
  }

  function train() {
    showError("");
    let s;
    try {
      s = settings();
    } catch (err) {
      showError(err.message);
      return;
    }
    const texts = corpusTexts();
    if (!texts.length) {
      showError("Paste a corpus, upload text files or use the text above first.");
      return;
    }
    const worker = freshWorker();
    setTransitionRange(s.vocabSize);
    const superword = { transition: s.transition, maxWords: s.maxWords, forbidden: s.forbidden };
    Object.assign(run, { vocabSize: s.vocabSize, transition: s.transition, trainedWith: superword, busyWith: superword, wanted: superword, started: performance.now(), retraining: false, bpeSource: null, capped: false, extending: s.extend, kept: null });
    run.curves = { bpe: [], superbpe: [] };
    run.reached = null;
    for (const a of [el["download-bpe"], el["download-superbpe"]]) a.hidden = true;
    setRunning(true);
    el.progress.value = 0;
    el.status.textContent = "counting the corpus…";
    /** @type {import("./workers/protocol.js").TrainRequest} */
    const request = { type: TRAIN, texts, vocabSize: s.vocabSize, ...superword, stage2Pattern: s.stage2Pattern, extend: s.extend && { url: s.extend.url, buffer: s.extend.buffer, inherit: s.extend.inherit, label: s.extend.label } };
    worker.postMessage(request, s.extend?.buffer ? [s.extend.buffer] : []);
  }

  function cancel() {
    stopWorker();
    setRunning(false);
    el.progress.value = 0;
    el.status.textContent = "cancelled: press Train to train again (moving t needs a trained BPE)";
  }

  function retrain() {
    // An extended tokenizer has no BPE of its own to retrain from: Train again.
    if (!run.ready || run.extending || run.busyWith !== null || sameSettings(run.wanted, run.trainedWith)) return;
    run.trainedWith = run.wanted;
    run.transition = run.wanted.transition;
    run.busyWith = run.wanted;
    run.retraining = true;
    run.curves.superbpe = [];
    run.started = performance.now();
    setRunning(true);
    el.status.textContent = `retraining SuperBPE at t = ${fmt(run.transition)}…`;
    /** @type {import("./workers/protocol.js").RetrainRequest} */
    const request = { type: RETRAIN, ...run.wanted };
    run.worker.postMessage(request);
  }

  /** @param {import("./workers/protocol.js").FromTrainWorker} msg */
  function onMessage(msg) {
    switch (msg.type) {
      case TRAIN_ERROR:
        fail(msg.message);
        return;
      case COUNTED:
        el.status.textContent = `counted ${mb(msg.bytes)} in ${(msg.ms / 1000).toFixed(1)} s; training BPE…`;
        return;
      case TRAIN_PROGRESS:
        onProgress(msg);
        return;
      case TRAINED:
        onTrained(msg);
        return;
    }
  }

  /** @param {import("./workers/protocol.js").TrainProgress} p */
  function onProgress(p) {
    const curve = run.curves[p.model];
    curve.push([p.vocabSize, p.bytesPerToken]);
    let fraction;
    // Extending, the transition point is where the replay ends (the curve marks it there).
    if (run.extending && p.stage === "replay") {
      run.transition = p.vocabSize;
      run.kept = p.merges;
    }
    if (run.extending) fraction = p.vocabSize / p.target;
    else if (p.model === "bpe") fraction = 0.3 * (p.vocabSize / p.target);
    else if (p.stage === "replay") fraction = 0.3 + 0.4 * Math.min(1, p.vocabSize / run.transition);
    else fraction = 0.7 + 0.3 * ((p.vocabSize - run.transition) / Math.max(1, p.target - run.transition));
    el.progress.value = Math.max(0, Math.min(1, fraction));
    const what = p.model === "bpe"
      ? "BPE"
      : p.stage === "replay"
        ? run.extending ? `replaying the merges of ${run.extending.label}` : `SuperBPE, replaying subwords to t = ${fmt(run.transition)}`
        : "SuperBPE, superwords";
    el.status.textContent = `${what}: ${fmt(p.merges)} merges, vocab ${fmt(p.vocabSize)} / ${fmt(p.target)}, ${p.bytesPerToken.toFixed(2)} bytes per token`;
    queueDraw();
  }

  /** @param {import("./workers/protocol.js").Trained} msg */
  function onTrained(msg) {
    if (msg.extended) return onExtended(msg);
    const buffer = new TextEncoder().encode(msg.json).buffer;
    const isBpe = msg.model === "bpe";
    // The vocab reached: less than V when the corpus ran out of pairs.
    if (isBpe) run.reached = msg.vocabSize;
    const V = fmt(msg.vocabSize);
    const name = isBpe ? `bpe-${msg.vocabSize}.json` : `superbpe-${msg.vocabSize}-t${msg.transition}.json`;
    const label = isBpe ? `Trained BPE · V ${V}` : `Trained SuperBPE · V ${V}, t ${fmt(msg.transition)}`;
    const source = { kind: "file", trained: true, name, label, buffer };
    // The BPE waits for its SuperBPE: both panes change together (a Cancel in between changes
    // none). A SuperBPE trained with a t past the vocab BPE reached waits for its retrain.
    const superseded = !isBpe && run.capped && !run.retraining;
    if (isBpe) run.bpeSource = source;
    else if (!superseded) {
      loadTrained(run.bpeSource ? [[0, run.bpeSource], [1, source]] : [[1, source]]);
      run.bpeSource = null;
    }
    showDownload(msg, name);
    if (isBpe) {
      // A corpus too small for V: the subword stage stopped early, so t can be at most that.
      if (run.reached < run.vocabSize) {
        for (const input of [el.transition, el["transition-value"]]) input.max = String(run.reached);
        // A t past the vocab BPE reached has no superword stage: SuperBPE is retrained at 3/4
        // of it once this one is done.
        if (run.transition > run.reached) {
          const t = Math.max(MIN_TRANSITION, Math.round(run.reached * 0.75));
          setTransition(t);
          run.wanted = superwordSettings(t);
          run.capped = true;
        }
      }
      el.status.textContent = `BPE trained (${fmt(msg.vocabSize)} tokens); SuperBPE…`;
      return;
    }
    run.ready = true;
    run.busyWith = null;
    setRunning(false);
    showError("");
    el.progress.value = 1;
    const secs = ((performance.now() - run.started) / 1000).toFixed(1);
    const short = run.reached < run.vocabSize ? `; the corpus ran out of pairs: BPE stopped at ${fmt(run.reached)} tokens of the ${fmt(run.vocabSize)} asked for, so t goes up to ${fmt(run.reached)}` : "";
    el.status.textContent = run.capped
      ? `trained in ${secs} s: BPE and SuperBPE (V ${V}, t ${fmt(msg.transition)}: t lowered to 3/4 of the vocab BPE reached); move t to retrain SuperBPE${short}`
      : run.retraining
        ? `SuperBPE retrained in ${secs} s (V ${V}, t ${fmt(msg.transition)}) from the same BPE; move t again to retrain it${short}`
        : `trained in ${secs} s: BPE and SuperBPE (V ${V}, t ${fmt(msg.transition)}); move t to retrain SuperBPE${short}`;
    if (superseded) {
      // Its links are replaced when the retrain is done; the retrain starts below.
      el.status.textContent = `BPE trained; the corpus ran out of pairs at ${fmt(run.reached)} tokens: retraining SuperBPE at t = ${fmt(run.wanted.transition)}…`;
    } else run.capped = false;
    queueDraw();
    retrain(); // t moved while this one trained
  }

  /** The download link of a trained model's tokenizer.json (its old address freed). */
  function showDownload(msg, name) {
    const isBpe = msg.model === "bpe";
    if (run.urls[msg.model]) URL.revokeObjectURL(run.urls[msg.model]);
    run.urls[msg.model] = URL.createObjectURL(new Blob([msg.json], { type: "application/json" }));
    const link = el[isBpe ? "download-bpe" : "download-superbpe"];
    link.href = run.urls[msg.model];
    link.download = name;
    link.textContent = `Download ${isBpe ? "BPE" : "SuperBPE"} tokenizer.json (${fmt(msg.mergeCount)} merges)`;
    link.hidden = false;
  }

  /** Superwords added to a pane's tokenizer: the result loads in the pane after that one (or
   * before it, for the last pane). */
  function onExtended(msg) {
    const { label, inherit } = msg.extended;
    const V = fmt(msg.vocabSize);
    const asked = inherit === null ? "all its merges" : `its first ${fmt(inherit)} merges`;
    // The replay's last report says how many it kept: the others never occur in this corpus.
    const kept = `${fmt(run.kept ?? 0)} of ${asked} kept (the others never become adjacent in this corpus)`;
    const base = run.extending.pane;
    const target = base + 1 < state.panes.length ? base + 1 : base - 1;
    const replaced = state.panes[target]?.source?.label;
    const name = `superbpe-${msg.vocabSize}-from-${label.replace(/[^\w.-]+/g, "-")}.json`;
    const source = { kind: "file", trained: true, name, label: `${label} + superwords · V ${V}`, buffer: new TextEncoder().encode(msg.json).buffer };
    loadTrained([[target, source]]);
    showDownload(msg, name);
    run.ready = true;
    run.busyWith = null;
    setRunning(false);
    showError("");
    el.progress.value = 1;
    const secs = ((performance.now() - run.started) / 1000).toFixed(1);
    const short = msg.vocabSize < run.vocabSize ? `; the corpus ran out of pairs at V ${V} of the ${fmt(run.vocabSize)} asked for` : "";
    el.status.textContent = `superwords added to ${label} in ${secs} s: ${kept}, then superword merges to V ${V} (${fmt(msg.mergeCount)} merges; new ids, as the authors' code gives)${short}; loaded in pane ${target + 1}${replaced ? ` in place of ${replaced}` : ""}`;
    queueDraw();
  }

  function queueDraw() {
    if (run.drawQueued) return;
    run.drawQueued = true;
    requestAnimationFrame(() => {
      run.drawQueued = false;
      el["curve-box"].hidden = !drawCurve(el.curve, run);
    });
  }

  /** A file's text; a file that is not UTF-8 is refused (decoding it would train on U+FFFD). */
  async function readText(file) {
    let bytes;
    try {
      bytes = await file.arrayBuffer();
    } catch (err) {
      throw new Error(`could not read ${file.name}: ${err.message ?? err}`);
    }
    try {
      return STRICT_UTF8.decode(bytes);
    } catch {
      throw new Error(`${file.name} is not UTF-8 text: only UTF-8 text files can be trained on`);
    }
  }

  el.corpus.addEventListener("input", () => {
    run.files = [];
    showError("");
    showCorpusInfo();
  });
  el.files.addEventListener("change", async () => {
    const files = [...(el.files.files ?? [])];
    el.files.value = "";
    if (!files.length) return;
    try {
      run.files = await Promise.all(files.map(async (f) => ({ name: f.name, text: await readText(f) })));
    } catch (err) {
      showError(err.message ?? String(err));
      return;
    }
    showError("");
    el.corpus.value = "";
    showCorpusInfo();
  });
  el["use-text"].addEventListener("click", () => {
    run.files = [];
    showError("");
    el.corpus.value = getText();
    showCorpusInfo();
  });
  el.vocab.addEventListener("change", syncTransitionRange);
  const onTransition = (value) => {
    const limit = run.ready ? Math.min(run.vocabSize, run.reached ?? run.vocabSize) : Math.round(Number(el.vocab.value)) || MAX_VOCAB;
    const t = clampTransition(value, limit);
    setTransition(t);
    run.wanted = superwordSettings(t);
    clearTimeout(run.debounce);
    run.debounce = setTimeout(retrain, RETRAIN_DEBOUNCE_MS);
  };
  const onFilters = () => onTransition(el["transition-value"].value);
  el["max-words"].addEventListener("change", onFilters);
  el.forbidden.addEventListener("change", onFilters);
  el.transition.addEventListener("input", () => onTransition(el.transition.value));
  el["transition-value"].addEventListener("change", () => onTransition(el["transition-value"].value));
  el.stage2.addEventListener("change", () => {
    el["stage2-pattern"].hidden = el.stage2.value !== "own";
    if (el.stage2.value === "own" && !el["stage2-pattern"].value) el["stage2-pattern"].value = AUTHORS_STAGE2_PATTERN;
    // Stage 2's pieces are counted when the corpus is read: a new pattern needs a new run.
    if (run.ready) el.status.textContent = "the stage-2 pattern changed: press Train to train with it";
  });
  el.base.addEventListener("change", syncBase);
  el.base.addEventListener("focus", fillBase);
  document.addEventListener("panes-changed", fillBase);
  el.start.addEventListener("click", train);
  el.cancel.addEventListener("click", cancel);
  // The worker, and so the download and compile of the training code, only once the panel is
  // first opened: most visits never train.
  let opened = false;
  disclosure(toggle, $(root, "train-body"), (open) => {
    if (!open || opened) return;
    opened = true;
    fillBase();
    if (!run.worker) startWorker();
  });
  syncTransitionRange();
}
