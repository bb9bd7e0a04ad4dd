// The prose section in a Chromium page: `window.bench(peer, runs)` loads one implementation (o200k)
// and runs passes.mjs on the workloads of /workloads.json, checked against tokenscope's ids from
// Node (/ref/NAME.u32), and resolves to the results; chromium.mjs calls it, one fresh browser
// context per implementation. The adapters are Node's (adapters.mjs): the same calls are timed.

import { aiTokenizerCalls, gptTokenizerCalls, tokenscopeCalls } from "../adapters.mjs";
import { measurePasses } from "../passes.mjs";

const bytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());

const ADAPTERS = {
  async tokenscope() {
    const { default: init, Tokenizer } = await import("tokenscope");
    await init();
    return tokenscopeCalls(Tokenizer, await bytes("/tokenizer.json"));
  },
  "gpt-tokenizer": async () => gptTokenizerCalls(await import("gpt-tokenizer/encoding/o200k_base")),
  "ai-tokenizer": async () => aiTokenizerCalls((await import("ai-tokenizer")).Tokenizer, await import("ai-tokenizer/encoding/o200k_base")),
};

window.bench = async (peer, runs, warmupMs) => {
  const workloads = await (await fetch("/workloads.json")).json();
  const refs = {};
  for (const w of workloads) refs[w.name] = new Uint32Array((await bytes(`/ref/${w.name}.u32`)).buffer);
  // Wall time from import to a ready instance, fetching its modules and data from localhost included.
  const t = performance.now();
  const inst = await ADAPTERS[peer]();
  const loadMs = performance.now() - t;
  return { loadMs, userAgent: navigator.userAgent, ...measurePasses(inst, workloads, { runs, warmupMs, ref: (name) => refs[name] }) };
};

// Start (issue 17): wall time from the data in memory to the first count returning, in a fresh
// browser context: the import (module and wasm fetched from localhost and compiled) included.
const START = {
  async "tokenscope-compiled"(data) {
    const { default: init, Tokenizer } = await import("tokenscope");
    await init();
    return Tokenizer.fromBytes(data).count("Hello, world!");
  },
  async "gpt-tokenizer"() {
    return (await import("gpt-tokenizer/encoding/o200k_base")).countTokens("Hello, world!");
  },
};

window.start = async (peer) => {
  const data = peer === "tokenscope-compiled" ? await bytes("/o200k.tks") : undefined;
  const t = performance.now();
  const count = await START[peer](data);
  return { totalMs: performance.now() - t, count };
};

