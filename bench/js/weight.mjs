// What a web app ships to count tokens, per implementation and tokenizer: its code bundled for the
// browser as an app would bundle it (esbuild, minified, one ES module), plus the files it fetches
// (wasm, tokenizer data), each compressed as a static host serves it (gzip -9, brotli 11).
//
// The entry of each is the smallest program that counts the tokens of a string, written from the
// peer's README; the bytes are what that program's bundle and fetched files weigh. Run by
// `npm run bench -- --only=weight` (also part of the full bench).

import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { REPO } from "./corpus.mjs";
import { PKG_DIR, TOKENIZERS } from "./peers.mjs";

const require = createRequire(import.meta.url);

/** GNU gzip -9 (the figures), or zlib's level 9 where the command is missing (3% larger). */
function gzipSize(bytes) {
  try {
    return execFileSync("gzip", ["-9c"], { input: bytes, maxBuffer: 1 << 30 }).length;
  } catch {
    return zlib.gzipSync(bytes, { level: 9 }).length;
  }
}

/** Sizes of `bytes`: raw, gzip -9, brotli 11. */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSize(bytes),
    brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}

/** `code` (an ES module importing packages) bundled for the browser, minified. */
async function bundle(code, alias = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tokenscope-weight-"));
  try {
    const entry = path.join(dir, "entry.mjs");
    writeFileSync(entry, code);
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      outdir: path.join(dir, "out"),
      nodePaths: [path.join(REPO, "node_modules")],
      alias,
      // Files the code fetches at run time (wasm) are counted apart, as assets.
      loader: { ".wasm": "file", ".tks": "file" },
      logLevel: "silent",
    });
    return Buffer.concat(out.outputFiles.filter((f) => f.path.endsWith(".js")).map((f) => Buffer.from(f.contents)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What each implementation ships for tokenizer `tk`: `{ label, parts: [[what, bytes]] }`.
 * `compiled(tk)` gives the compiled form of the tokenizer's file.
 */
async function shipments(tk, compiled) {
  const out = [];
  const tsAlias = { tokenscope: path.join(PKG_DIR, "browser.js") };
  const tsCode = (file) =>
    `import init, { Tokenizer } from "tokenscope";\n` +
    `await init();\nconst tok = Tokenizer.fromBytes(new Uint8Array(await (await fetch("${file}")).arrayBuffer()));\nconsole.log(tok.count("hello world"));\n`;
  const wasm = readFileSync(path.join(PKG_DIR, "tokenscope_bg.wasm"));
  out.push({
    label: "tokenscope, compiled tokenizer",
    parts: [["JS", await bundle(tsCode("tokenizer.tks"), tsAlias)], ["wasm", wasm], ["tokenizer (compiled)", compiled(tk)]],
  });
  out.push({
    label: "tokenscope, tokenizer.json",
    parts: [["JS", await bundle(tsCode("tokenizer.json"), tsAlias)], ["wasm", wasm], ["tokenizer.json", readFileSync(TOKENIZERS[tk].file())]],
  });
  const enc = TOKENIZERS[tk].tiktoken;
  if (enc) {
    out.push({
      label: "gpt-tokenizer",
      parts: [["JS with ranks", await bundle(`import { countTokens } from "gpt-tokenizer/encoding/${enc}";\nconsole.log(countTokens("hello world"));\n`)]],
    });
    out.push({
      label: "ai-tokenizer",
      parts: [["JS with ranks", await bundle(`import { Tokenizer } from "ai-tokenizer";\nimport * as e from "ai-tokenizer/encoding/${enc}";\nconsole.log(new Tokenizer(e).count("hello world"));\n`)]],
    });
    // tiktoken's lite build with the encoder's ranks from its own package (its README's way for
    // bundlers without wasm plugins: init with the wasm bytes).
    out.push({
      label: "tiktoken (lite)",
      parts: [
        ["JS with ranks", await bundle(`import { init, Tiktoken } from "tiktoken/lite/init";\nimport e from "tiktoken/encoders/${enc}.json";\nawait init((imports) => WebAssembly.instantiate(fetch("tiktoken_bg.wasm"), imports));\nconsole.log(new Tiktoken(e.bpe_ranks, e.special_tokens, e.pat_str).encode("hello world").length);\n`)],
        ["wasm", readFileSync(require.resolve("tiktoken/lite/tiktoken_bg.wasm"))],
      ],
    });
  }
  out.push({
    label: "@huggingface/tokenizers",
    parts: [
      ["JS", await bundle(`import { Tokenizer } from "@huggingface/tokenizers";\nconst j = await (await fetch("tokenizer.json")).json();\nconsole.log(new Tokenizer(j, {}).encode("hello world").ids.length);\n`)],
      ["tokenizer.json", readFileSync(TOKENIZERS[tk].file())],
    ],
  });
  return out;
}

/**
 * The weight table: per tokenizer and implementation, the bytes shipped (raw, gzip, brotli) and
 * what they are made of.
 */
export async function weightRows(tks, compiled) {
  const rows = [];
  for (const tk of tks) {
    for (const { label, parts } of await shipments(tk, compiled)) {
      const each = parts.map(([what, bytes]) => ({ what, ...sizes(bytes) }));
      const total = (k) => each.reduce((n, p) => n + p[k], 0);
      rows.push({ tk, label, raw: total("raw"), gzip: total("gzip"), brotli: total("brotli"), parts: each });
    }
  }
  return rows;
}
