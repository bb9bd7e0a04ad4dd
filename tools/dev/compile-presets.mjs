#!/usr/bin/env node
// Compiles the page's preset tokenizers (tools/dev/serve.mjs's `findPresets`) into
// .cache/compiled/<id>.tks with `compile` of the built package's `tokenscope/train` entry, so the
// page downloads the compiled form (o200k: 0.77 MB gzipped instead of 2.9 MB of JSON).
// Idempotent: a preset is compiled again only when its tokenizer.json or the package's compiler
// changed (a stamp beside each file records both; the compiler by its content). tools/dev/setup.sh runs it; ~8 s cold.
//
//   node tools/dev/compile-presets.mjs

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
// A static import: a dynamic one would wait on serve.mjs, which imports this module back.
import { findPresets } from "./serve.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const COMPILED_DIR = path.join(REPO, ".cache", "compiled");

/** The compiler's content hash, per package folder: setup rebuilds pkg/ on every run, and an
 *  identical build must not compile the presets again. */
const compilerHashes = new Map();
function compilerHash(pkgDir) {
  if (!compilerHashes.has(pkgDir)) {
    const wasm = readFileSync(path.join(pkgDir, "train", "tokenscope_train_bg.wasm"));
    compilerHashes.set(pkgDir, createHash("sha256").update(wasm).digest("hex"));
  }
  return compilerHashes.get(pkgDir);
}

/** What a compiled preset was made from: the source file (by size and time) and the compiler. */
function stampOf(preset, pkgDir) {
  const source = statSync(preset.file);
  return JSON.stringify({ source: preset.file, size: source.size, mtime: source.mtimeMs, compiler: compilerHash(pkgDir) });
}

/**
 * The compiled file of `preset` if it is up to date with its tokenizer.json and the package in
 * `pkgDir`, else null (the page then gets the JSON).
 */
export function compiledFile(preset, pkgDir, dir = COMPILED_DIR) {
  const file = path.join(dir, `${preset.id}.tks`);
  try {
    return readFileSync(`${file}.stamp`, "utf8") === stampOf(preset, pkgDir) && statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** Compiles every preset that has no up-to-date compiled file; returns the ids compiled. */
export async function compilePresets(presets, pkgDir, dir = COMPILED_DIR) {
  const stale = presets.filter((p) => !compiledFile(p, pkgDir, dir));
  if (stale.length === 0) return [];
  const { compile } = await import(pathToFileURL(path.join(pkgDir, "train", "node.js")).href);
  mkdirSync(dir, { recursive: true });
  for (const preset of stale) {
    const file = path.join(dir, `${preset.id}.tks`);
    const bytes = compile(readFileSync(preset.file));
    // Written whole, then renamed: a server reading meanwhile never sees half a file.
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
    writeFileSync(`${file}.stamp`, stampOf(preset, pkgDir));
  }
  return stale.map((p) => p.id);
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const pkgDir = path.resolve(REPO, process.env.TOKENSCOPE_PKG_DIR || "pkg");
  const t0 = performance.now();
  const done = await compilePresets(findPresets(), pkgDir);
  if (done.length) console.error(`[setup] compiled ${done.length} preset tokenizers in ${((performance.now() - t0) / 1e3).toFixed(1)} s: ${done.join(", ")}`);
}
