// `npm run bench:train`: the trainer on the reference job of ../shared/trainer (9.4 MB; BPE to
// t = 12k, then SuperBPE to 16k), side by side with PyPI `tokenizers`' BpeTrainer on one thread.
//
// - Stage 1 (whitespace pre-tokenization, BPE to a vocab of 12,000): `tokenscope train
//   --vocab-size 12000` (native CLI; its counting also counts the stage-2 pieces) against PyPI
//   `tokenizers` 0.23.3 `Tokenizer.train` with the same pre-tokenizer, one thread
//   (RAYON_NUM_THREADS=1), from `.venv/bin/python` (skipped if absent: see docs/benchmarks.md).
// - Stage 2 (replay and superword merges to 16,000): `tokenscope train --vocab-size 16000
//   --transition 12000`, its own breakdown; the reference fork took 154 s on 2 cores for this stage
//   (../shared/trainer/README.md; it cannot be built here side by side).
// - The same job in wasm (the built training entry pkg/train/, Node), for the page.
// Wall-clock medians of RUNS runs, each in a fresh process; outputs are checked against the
// reference files first.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SHARED = process.env.TOKENSCOPE_SHARED || path.resolve(REPO, "../shared");
const FILES = ["nlp_corpus.txt", "pydoc_topics.txt"].map((f) => path.join(SHARED, "trainer/corpus", f));
const REFERENCE = path.join(SHARED, "trainer/reference");
const CLI = path.join(REPO, "target/release/tokenscope");
const PYTHON = path.join(REPO, ".venv/bin/python");
const RUNS = Number(process.env.RUNS || 3);
const FORK_STAGE2_SECONDS = 154;
const tmp = mkdtempSync(path.join(tmpdir(), "tokenscope-bench-train-"));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cli(args) {
  const t0 = performance.now();
  const run = spawnSync(CLI, ["train", ...args, ...FILES], { encoding: "utf8" });
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) throw new Error(run.stderr);
  const m = /seconds: reading and counting ([\d.]+), subword merges ([\d.]+)(?:, stage 2 ([\d.]+))?/.exec(run.stderr);
  return { seconds, counting: Number(m[1]), subwords: Number(m[2]), stage2: m[3] ? Number(m[3]) : NaN };
}

const PYPI_STAGE1 = `
import sys, time, resource
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
t0 = time.perf_counter()
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.Sequence([
    pre_tokenizers.Digits(individual_digits=False),
    pre_tokenizers.Split(Regex(r"(?=(\\d{3})+(?!\\d))| ?\\p{L}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"), "isolated"),
    pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
])
tok.decoder = decoders.ByteLevel()
tok.train(sys.argv[2:], trainers.BpeTrainer(vocab_size=12000, show_progress=False))
wall = time.perf_counter() - t0
cpu = resource.getrusage(resource.RUSAGE_SELF)
tok.model.save(sys.argv[1])
print(wall, cpu.ru_utime + cpu.ru_stime)
`;

function pypi() {
  const out = execFileSync(PYTHON, ["-c", PYPI_STAGE1, tmp, ...FILES], {
    encoding: "utf8",
    env: { ...process.env, RAYON_NUM_THREADS: "1", RAYON_RS_NUM_CPUS: "1", TOKENIZERS_PARALLELISM: "false" },
  });
  const [wall, cpu] = out.trim().split(/\s+/).map(Number);
  return { seconds: wall, cpu };
}

function wasm() {
  const script = `
    import { Trainer } from ${JSON.stringify(path.join(REPO, "pkg/train/node.js"))};
    import { readFileSync } from "node:fs";
    const files = ${JSON.stringify(FILES)};
    let t = performance.now();
    const trainer = new Trainer();
    for (const f of files) trainer.feed(readFileSync(f, "utf8"));
    const counting = (performance.now() - t) / 1000; t = performance.now();
    const bpe = trainer.trainBpe({ vocabSize: 12000 });
    const subwords = (performance.now() - t) / 1000; t = performance.now();
    trainer.trainSuperBpe(bpe, { vocabSize: 16000, transition: 12000 });
    console.log(JSON.stringify({ counting, subwords, stage2: (performance.now() - t) / 1000 }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
}

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: cargo build --release`);
// Exactness first: the full job gives the reference files.
const out = path.join(tmp, "superbpe.json");
spawnSync(CLI, ["train", "--vocab-size", "16000", "--transition", "12000", ...FILES, "-o", out]);
if (readFileSync(out, "utf8") !== readFileSync(path.join(REFERENCE, "superbpe-16k-t12k/tokenizer.json"), "utf8")) {
  throw new Error("tokenscope's SuperBPE differs from the reference: not timing it");
}

const ours1 = Array.from({ length: RUNS }, () => cli(["--vocab-size", "12000", "-o", path.join(tmp, "bpe.json")]));
const ours2 = Array.from({ length: RUNS }, () => cli(["--vocab-size", "16000", "--transition", "12000", "-o", out]));
const hasPython = existsSync(PYTHON);
const theirs = hasPython ? Array.from({ length: RUNS }, pypi) : [];
if (hasPython) {
  const merges = readFileSync(path.join(tmp, "merges.txt"), "utf8");
  const ref = readFileSync(path.join(REFERENCE, "bpe-16k/merges.txt"), "utf8").split("\n").slice(0, 11_808).join("\n") + "\n";
  if (merges !== ref) throw new Error("PyPI's stage 1 differs from the reference's first 11,807 merges");
}
const inWasm = existsSync(path.join(REPO, "pkg/train/node.js")) ? Array.from({ length: RUNS }, wasm) : [];

const s = (x) => `${x.toFixed(2)} s`;
const rows = [];
const stage1 = median(ours1.map((r) => r.seconds));
rows.push(["stage 1: BPE to 12k (read, count, merge)", "tokenscope CLI", s(stage1), ""]);
if (hasPython) {
  const p = median(theirs.map((r) => r.seconds));
  rows.push(["", `PyPI tokenizers, 1 thread (CPU ${s(median(theirs.map((r) => r.cpu)))})`, s(p), `tokenscope ${(p / stage1).toFixed(1)}× faster`]);
} else {
  rows.push(["", "PyPI tokenizers: skipped (no .venv; see docs/benchmarks.md)", "", ""]);
}
const stage2 = median(ours2.map((r) => r.stage2));
rows.push(["stage 2: replay + superwords to 16k", "tokenscope CLI", s(stage2), `${(FORK_STAGE2_SECONDS / stage2).toFixed(0)}× faster than the fork's ${FORK_STAGE2_SECONDS} s`]);
rows.push(["whole job (SuperBPE 16k, t 12k)", "tokenscope CLI", s(median(ours2.map((r) => r.seconds))), ""]);
if (inWasm.length) {
  const w = (k) => median(inWasm.map((r) => r[k]));
  rows.push(["same job in wasm (Node)", "count / stage 1 / stage 2", `${s(w("counting"))} / ${s(w("subwords"))} / ${s(w("stage2"))}`, ""]);
}
console.log(`Trainer on ${FILES.length} files, 9.4 MB, medians of ${RUNS} runs (wall clock)\n`);
console.log("| what | implementation | time | ratio |\n| --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
