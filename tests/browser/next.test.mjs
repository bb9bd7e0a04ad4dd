// Deployment in Next.js (App Router, Turbopack, no plugin, no config): examples/next-app with the
// package installed from its `npm pack` tarball, built with `next build` and served by
// `next start` on localhost. Its server route (app/api/count/route.js, the package's Node entry)
// and its client component (app/counter.js, the browser entry, in Chromium) must both give the
// reference's ids (PyPI tokenizers, tests/fixtures/golden/gpt2.json) for a GPT-2 text.
// The app's own packages (next, react) are installed by tools/dev/setup.sh.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { compiledGpt2, freePort, gpt2Case } from "../deploy/project.mjs";
import { launchChromium, REPO } from "./chromium.mjs";

const APP = path.join(REPO, "examples", "next-app");
const NEXT = path.join(APP, "node_modules", "next", "dist", "bin", "next");
const skip = !existsSync(NEXT) && "examples/next-app has no node_modules (tools/dev/setup.sh installs them)";
const { text, ids } = gpt2Case();
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

let server;
let origin;
let browser;
let log = "";

before(async () => {
  if (skip) return;
  // The tarball replaces the example's `file:../..` link for this build (not saved to its lock).
  const packDir = mkdtempSync(path.join(os.tmpdir(), "tokenscope-next-"));
  try {
    const tarball = execFileSync("npm", ["pack", "--pack-destination", packDir, "--silent"], { cwd: REPO, encoding: "utf8" }).trim().split("\n").pop();
    execFileSync("npm", ["install", "--no-save", "--offline", "--no-audit", "--no-fund", "--loglevel=error", path.join(packDir, tarball)], { cwd: APP, stdio: "pipe" });
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
  mkdirSync(path.join(APP, "public"), { recursive: true });
  writeFileSync(path.join(APP, "public", "tokenizer.tks"), await compiledGpt2(APP));
  rmSync(path.join(APP, ".next"), { recursive: true, force: true });
  execFileSync(process.execPath, [NEXT, "build"], { cwd: APP, env, stdio: "pipe", timeout: 300_000 });

  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [NEXT, "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: APP, env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(origin);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test("Next.js: the server route counts with the Node entry", { skip, timeout: 60_000 }, async () => {
  const res = await fetch(`${origin}/api/count`, { method: "POST", body: text });
  assert.equal(res.status, 200, log);
  assert.deepEqual(await res.json(), { count: ids.length, ids });
});

test("Next.js: the client component counts in the browser", { skip, timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  // Resource errors are checked by URL below (the app has no favicon: its 404 is expected).
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && problems.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && problems.push(`${r.status()} ${r.url()}`));
  try {
    await page.goto(origin);
    await page.waitForFunction(() => document.querySelector("[data-role=status]")?.textContent !== "loading", null, { timeout: 30_000 });
    assert.equal(await page.textContent("[data-role=status]"), "ready", problems.join("\n"));
    await page.fill("[data-role=text]", text);
    await page.waitForFunction((n) => document.querySelector("[data-role=count]").textContent === String(n), ids.length, { timeout: 10_000 });
    assert.equal(await page.textContent("[data-role=ids]"), ids.join(","));
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
