//! The native CLI contract: JSON output with UTF-8 byte offsets, `--jsonl`, `count`, and a
//! one-line error with exit code 2 on bad input.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Output, Stdio};

mod common;

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokenscope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tokenscope");
    // The CLI may exit before reading stdin (bad arguments): a broken pipe is expected then.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn t180k() -> String {
    common::tokenizer_path("olmo2-superbpe-t180k").display().to_string()
}

#[test]
fn encode_prints_ids_tokens_and_byte_offsets() {
    let out = run(&["encode", "--tokenizer", &t180k()], "By the way, I am a fan of the Milky Way.".as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ids"], serde_json::json!([189205, 181251, 244, 4332, 180235, 199785, 13]));
    assert_eq!(v["tokens"][0], "ByĠtheĠway");
    assert_eq!(v["offsets"][0], serde_json::json!([0, 10]));
}

#[test]
fn jsonl_encodes_each_line_and_count_counts() {
    let out = run(&["encode", "--tokenizer", &t180k(), "--jsonl"], b"\"caf\\u00e9\"\n\"\"\n");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["offsets"].as_array().unwrap().last().unwrap()[1], 5, "é is 2 bytes");
    assert_eq!(lines[1]["ids"], serde_json::json!([]));
    let out = run(&["count", "--tokenizer", &t180k()], "By the way, I am a fan of the Milky Way.".as_bytes());
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "7");
}

#[test]
fn help_dash_and_equals_forms() {
    let out = run(&["--help"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("usage: tokenscope encode"));
    let arg = format!("--tokenizer={}", t180k());
    let out = run(&["count", &arg, "-"], "By the way".as_bytes());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "1\t-\n");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("tokenscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"model": {"type": "Unigram", "vocab": []}}"#).unwrap();
    let cases: Vec<(Vec<String>, &[u8], &str)> = vec![
        (vec!["encode".into(), "--tokenizer".into(), bad.display().to_string()], b"x", "unsupported model: type `Unigram`"),
        (vec!["encode".into(), "--tokenizer".into(), dir.join("missing.json").display().to_string()], b"x", "cannot read tokenizer"),
        (vec!["encode".into(), "--tokenizer".into(), t180k()], b"\xff\xfe", "not valid UTF-8"),
        (vec!["encode".into(), "--tokenizer".into(), t180k(), "--jsonl".into()], b"not json\n", "line 1 is not a JSON string"),
        (vec!["frobnicate".into(), "--tokenizer".into(), t180k()], b"", "unknown command"),
        (vec!["encode".into()], b"", "missing --tokenizer"),
        (vec!["encode".into(), "--tokenizer".into(), t180k(), "extra".into()], b"", "encode reads its text from stdin"),
        (vec!["count".into(), "--tokenizer".into(), t180k(), "--jsonl".into()], b"", "unknown option --jsonl"),
        (vec![], b"", "missing command"),
    ];
    for (args, stdin, needle) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args, stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
