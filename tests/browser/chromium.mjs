// Shared by the browser tests: Debian's Chromium through playwright-core, and where screenshots go.

import { mkdirSync } from "node:fs";
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
