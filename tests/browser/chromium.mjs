// Shared by the browser tests: Debian's Chromium through playwright-core, and where screenshots go.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Screenshots and other outputs of the browser tests (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS = path.join(REPO, "tests", "artifacts");

/**
 * Headless Chromium (env CHROMIUM overrides /usr/bin/chromium), offline: no background traffic.
 * `extraArgs`: more flags (the bench adds --js-flags=--expose-gc).
 */
export async function launchChromium(extraArgs = []) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

/**
 * A static server of the built app in `dir` on 127.0.0.1 (`/` is its index.html), as a host serves
 * a build's output. @returns {Promise<{origin: string, close: () => Promise<void>}>}
 */
export async function serveStatic(dir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const file = path.join(dir, url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname));
    if (!file.startsWith(dir + path.sep) || !existsSync(file)) return res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}
