// Shared by the deployment tests (tests/js/deploy.test.mjs, tests/browser/deploy.test.mjs): a
// throw-away app with the package installed from its `npm pack` tarball, as users get it (not a
// `file:` link to the repo), and the reference values its programs are checked against.
//
// The package has no dependencies, so `npm install` of the tarball runs offline.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { loadGolden, loadTexts, root } from "../js/golden.mjs";

/**
 * A fresh app folder with `tokenscope` installed from `npm pack` of the built package, and
 * `gpt2.tks` (the GPT-2 preset compiled with the package's own `compile`) beside it.
 * @returns {{ dir: string, remove: () => void }}
 */
export function packedApp() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tokenscope-deploy-"));
  const tarball = execFileSync("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: root, encoding: "utf8" }).trim().split("\n").pop();
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "deploy-app", private: true, version: "0.0.0" }));
  execFileSync("npm", ["install", path.join(dir, tarball), "--offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "pipe" });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The reference's ids (PyPI tokenizers, tests/fixtures/golden/gpt2.json) of one GPT-2 text. */
export function gpt2Case() {
  const texts = loadTexts();
  const golden = loadGolden("gpt2");
  // A text with letters, digits, punctuation and multi-byte characters.
  const c = golden.cases.find((c) => !c.pair && !c.add_special_tokens && /\d/.test(texts.get(c.text)) && /[^\x00-\x7f]/.test(texts.get(c.text)) && texts.get(c.text).length < 400);
  return { text: texts.get(c.text), ids: c.ids };
}

/** GPT-2's tokenizer.json (the golden file's source), compiled by the package under test. */
export async function compiledGpt2(appDir) {
  const { compile } = await import(path.join(appDir, "node_modules", "tokenscope", "pkg", "train", "node.js"));
  const { readTokenizerFile } = await import("../js/golden.mjs");
  return compile(readTokenizerFile(loadGolden("gpt2")));
}

/** A free TCP port on 127.0.0.1 (for servers the tests start: workerd, next start). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export { readFileSync };
