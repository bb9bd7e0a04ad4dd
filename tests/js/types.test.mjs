// The TypeScript types that ship in pkg/ describe the API: tests/types/usage.ts, which uses every
// method with its documented types, compiles under `tsc --strict` against the built package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

test("the published .d.ts type-checks a program using the whole API", () => {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", join(root, "tests", "types", "tsconfig.json")], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

// The worker messages are defined once (www/workers/protocol.js, JSDoc types) and both ends post
// through typed functions: a misspelt message type or field fails here.
for (const project of ["www/jsconfig.json", "www/workers/jsconfig.json"]) {
  test(`the page's JSDoc types check (${project}: the worker protocol on both ends)`, () => {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", join(root, project)], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });
}
