#!/usr/bin/env node
// The conformance table of docs/design.md (`npm run conformance`): one row per golden file in
// tests/fixtures/golden/, one column per checked field group, each cell `exact/total` cases in
// native Rust · in wasm.
//
//   native: `cargo test --test golden golden_vectors` writes target/conformance/native/<name>.json
//           (tallies per column; see tests/common/mod.rs);
//   wasm:   this script runs every golden through the built package pkg/full/node.js (after
//           `bash tools/dev/build-pkg.sh`), with the checks of tests/js/golden.mjs.
//
// Rewrites docs/design.md between `<!-- conformance:begin -->` and `<!-- conformance:end -->` only
// when every cell is all-exact; otherwise prints the table and the red cells and exits 1, so a red
// table is never published. Nothing in the output depends on the time of the run: the "when" is
// the date of the last commit touching tests/fixtures/golden/.
//
// Options: --check  compare the docs/design.md section with a fresh table, write nothing (exit 1 if it
//                   differs or anything is red);
//          --no-build  use the existing target/conformance/native results and pkg/ (no cargo runs).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkGolden, COLUMNS, goldenNames, loadGolden, loadTexts, locate, parseSource, readTokenizerFile, root } from "../../tests/js/golden.mjs";

const args = new Set(process.argv.slice(2));
for (const a of args) if (!["--check", "--no-build"].includes(a)) fail(`unknown option ${a} (use --check, --no-build)`);
const BEGIN = "<!-- conformance:begin -->";
const END = "<!-- conformance:end -->";
const HEADERS = {
  ids: "ids", tokens: "tokens", offsets_utf8: "UTF-8 offsets", offsets_utf16: "UTF-16 offsets", decode: "decode",
  type_ids_masks: "type ids & masks", pairs: "pairs",
};

function fail(message) {
  console.error(`conformance: ${message}`);
  process.exit(1);
}

/** Runs a command from the repo root, its output on our stderr; returns the exit status. */
function run(cmd, argv) {
  console.error(`conformance: ${cmd} ${argv.join(" ")}`);
  const r = spawnSync(cmd, argv, { cwd: root, stdio: ["ignore", 2, 2] });
  if (r.error) fail(`cannot run ${cmd}: ${r.error.message}`);
  return r.status;
}

function git(...argv) {
  const r = spawnSync("git", argv, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function targetDir() {
  const r = spawnSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status === 0) return JSON.parse(r.stdout).target_directory;
  return process.env.CARGO_TARGET_DIR ?? join(root, "target");
}

if (!args.has("--no-build")) {
  // The golden test fails on any mismatch; its tallies are written either way.
  run("cargo", ["test", "--test", "golden", "golden_vectors"]);
  if (run("bash", ["tools/dev/build-pkg.sh"]) !== 0) fail("building pkg/ failed");
}

const names = goldenNames();
const texts = loadTexts();
const goldens = new Map(names.map((n) => [n, loadGolden(n)]));

// Native: the tallies the Rust test wrote, checked to belong to the current golden files.
const nativeDir = join(targetDir(), "conformance", "native");
const native = new Map();
for (const [name, golden] of goldens) {
  const path = join(nativeDir, `${name}.json`);
  if (!existsSync(path)) {
    native.set(name, { error: `no native result (${path}); run cargo test --test golden` });
    continue;
  }
  const r = JSON.parse(readFileSync(path, "utf8"));
  const stale = r.sha256 !== golden.sha256 || r.source !== golden.source || r.cases !== golden.cases.length;
  native.set(name, stale ? { error: `stale native result ${path}; rerun cargo test --test golden` } : r);
}

// Wasm: every golden through the package, one tokenizer at a time (freed after use).
const wasm = new Map();
const models = new Map();
const pkg = join(root, "pkg", "full", "node.js");
const { Tokenizer } = existsSync(pkg) ? await import(pathToFileURL(pkg).href) : {};
for (const [name, golden] of goldens) {
  try {
    // The model type even when the file is not the golden's one (the length check comes next).
    const model = JSON.parse(readFileSync(locate(golden.source), "utf8")).model ?? {};
    models.set(name, model.type ?? (model.merges ? "BPE" : "?"));
    const bytes = readTokenizerFile(golden);
    if (!Tokenizer) throw new Error("pkg/full/node.js is not built; run npm run build");
    const tok = Tokenizer.fromJSON(bytes);
    try {
      const result = checkGolden(tok, golden, texts);
      wasm.set(name, result);
      if (result.lines.length) console.error(result.lines.join("\n"));
    } finally {
      tok.free();
    }
  } catch (e) {
    wasm.set(name, { error: e.message });
  }
}

/** One engine's text for a column, and whether it is all-exact. */
function engineCell(result, column) {
  if (!result || result.error) return { text: "error", ok: false };
  const t = result.columns[column];
  if (t.total === 0 && t.missing === 0) return { text: "–", ok: column === "pairs" };
  const text = `${t.exact}/${t.total}` + (t.missing ? `, ${t.missing} lack data` : "");
  return { text, ok: t.exact === t.total && t.missing === 0 };
}

/** The source, short: the file's path only when its name is not `<tokenizer>.json`. */
function shortSource(name, source) {
  try {
    const s = parseSource(source);
    const file = s.path.split("/").pop() === `${name}.json` ? "" : ` ${s.path}`;
    if (s.kind === "npm") return `npm ${s.package}@${s.version}`;
    if (s.kind === "pypi") return `PyPI ${s.spec}`;
    return `${s.kind}${file}`;
  } catch {
    return source;
  }
}

const red = [];
const rows = [];
for (const [name, golden] of goldens) {
  const cells = COLUMNS.map((col) => {
    const [n, w] = [engineCell(native.get(name), col), engineCell(wasm.get(name), col)];
    const text = `${n.text} · ${w.text}`;
    if (n.ok && w.ok) return text;
    red.push(`${name} / ${HEADERS[col]}: native ${n.text}, wasm ${w.text}`);
    return `**${text}**`;
  });
  rows.push(`| ${name} | \`${shortSource(name, golden.source)}\` | ${models.get(name) ?? "?"} | ${cells.join(" | ")} |`);
}
for (const [engine, results] of [["native", native], ["wasm", wasm]]) {
  for (const [name, r] of results) if (r.error) console.error(`conformance: ${engine} ${name}: ${r.error}`);
}

// When and with what the goldens were made: the reference version from their headers, the date of
// the last commit touching tests/fixtures/golden/, and a hash of their content (so the line changes
// exactly when the goldens do).
const versions = [...new Set([...goldens.values()].map((g) => g.tokenizers_version))].join(", ");
const goldenDir = join(root, "tests", "fixtures", "golden");
const hash = createHash("sha256");
for (const f of readdirSync(goldenDir).sort()) hash.update(`${f}\0`).update(readFileSync(join(goldenDir, f)));
const dirty = git("status", "--porcelain", "--", "tests/fixtures/golden");
const date = dirty === "" ? git("log", "-1", "--format=%cs", "--", "tests/fixtures/golden") : undefined;
if (!date) console.error("conformance: tests/fixtures/golden/ has uncommitted changes: commit them and rerun for the date line");
const cases = [...goldens.values()].reduce((n, g) => n + g.cases.length, 0);

const section = [
  BEGIN,
  `Generated by \`npm run conformance\` (\`tools/dev/conformance.mjs\`; do not edit by hand). Golden vectors:`,
  `\`tests/fixtures/golden/\` (${names.length} tokenizer files, ${cases} cases; content sha256 \`${hash.digest("hex").slice(0, 12)}\`),`,
  `made by \`tools/reference/gen_golden.py\` with PyPI \`tokenizers\` ${versions}` +
    (date ? `, last changed ${date}.` : ", not yet committed."),
  "",
  "Each cell counts the cases whose fields equal the reference's exactly: native Rust",
  "(`cargo test --test golden`) · wasm (the built `pkg/` in Node). Single texts (with and without",
  "special tokens) count in the first six columns, pairs in the last (every field). `ids` includes",
  "`count`; `decode` is with and without `skip_special_tokens`; type ids & masks are `type_ids`,",
  "`special_tokens_mask`, `attention_mask`, `sequence_ids`. The wasm API returns UTF-16 offsets; its",
  "UTF-8 column converts them in the test. Offsets of a pair's tokens refer to their own text. Where",
  "the file's truncation cuts a case, its overflowing parts (their number, and the first three with",
  "every field) count in each of the first five columns.",
  "",
  `| tokenizer | source | model | ${COLUMNS.map((c) => HEADERS[c]).join(" | ")} |`,
  `|${" --- |".repeat(3 + COLUMNS.length)}`,
  ...rows,
  END,
].join("\n");

console.log(section);
const docPath = join(root, "docs", "design.md");
const doc = readFileSync(docPath, "utf8");
const [b, e] = [doc.indexOf(BEGIN), doc.indexOf(END)];
if (b < 0 || e < b) fail(`docs/design.md lacks the ${BEGIN} … ${END} markers`);
const updated = doc.slice(0, b) + section + doc.slice(e + END.length);

if (red.length) {
  console.error(`conformance: ${red.length} cells are not all-exact; docs/design.md not written:\n  ${red.join("\n  ")}`);
  process.exit(1);
}
if (args.has("--check")) {
  if (updated !== doc) fail("docs/design.md's conformance section is out of date; run npm run conformance");
  console.error("conformance: docs/design.md is up to date, every cell all-exact");
} else if (updated !== doc) {
  writeFileSync(docPath, updated);
  console.error("conformance: docs/design.md updated, every cell all-exact");
} else {
  console.error("conformance: docs/design.md already up to date, every cell all-exact");
}
