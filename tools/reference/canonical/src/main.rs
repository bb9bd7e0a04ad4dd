//! Writes the 1.0-format fixtures with the reference's 1.0 release candidate (crates.io
//! `tokenizers` 1.0.0-rc.3), the only producer of
//!
//! - `tests/fixtures/tokenizers-1.0/<name>.json`: `tokenizers::canonicalize_str` of each
//!   `tests/fixtures/tokenizers/<name>.json` (the form 1.0 saves files in: `"version": "2.0"`,
//!   merges as pairs, `byte_level` on the model, `MetaspaceNormalizer`, templates by id);
//! - `tests/fixtures/golden-1.0/<name>.json`: the rc's encoding of every case of
//!   `tests/fixtures/golden/<name>.json` (its text names, pairs and `add_special_tokens` only; the
//!   values come from here) with the canonical file: `ids`, `type_ids`, `attention_mask` (the file's
//!   truncation and padding apply, as in the golden set), `decode` and `decode_skip_special`.
//!   The rc's pipeline keeps no offsets or token strings; tests/canonical.rs takes those from the
//!   0.23 golden of the file the canonical one was converted from. Each case of a converted repo
//!   file also says whether the rc's values are 0.23's (`same_as_0_23`): where the two references
//!   disagree, tokenscope follows the released one.
//!
//! Two more files are made by editing a repo file before converting it (`DERIVED`), for shapes
//! 1.0 writes that no repo file converts into (GPT-2's, t5's); they have the rc golden only.
//!
//! A file the rc refuses to convert, or converts but cannot read back, or reads but cannot encode
//! with, is listed in `tests/fixtures/golden-1.0/refused.json` with the rc's message (the canonical
//! file of the last kind is written, with no rc golden). Deterministic: re-running with the same inputs changes nothing.
//!
//! Run from anywhere: `cargo run --release --manifest-path tools/reference/canonical/Cargo.toml`.
//! Crates.io is the only network access (once, for the crate).

use serde_json::{json, Map, Value};
use std::fs;
use std::path::{Path, PathBuf};
use tokenizers::pipeline::{EncodeOptions, PipelineTokenizer};

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let repo = repo.canonicalize().expect("repo root");
    let sources = repo.join("tests/fixtures/tokenizers");
    let out_files = repo.join("tests/fixtures/tokenizers-1.0");
    let out_golden = repo.join("tests/fixtures/golden-1.0");
    fs::create_dir_all(&out_files).unwrap();
    fs::create_dir_all(&out_golden).unwrap();
    let texts = read_texts(&repo.join("tests/fixtures/golden/texts.json"));

    let mut names: Vec<String> = fs::read_dir(&sources)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    names.sort();

    // (name, source file, edit): the repo's files as they are, then the shapes 1.0 converts that
    // none of them has, each made from one of them by a small edit before converting (so it has
    // the rc golden only, no 0.23 one).
    let mut jobs: Vec<(String, String, Option<Edit>)> = names.iter().map(|n| (n.clone(), n.clone(), None)).collect();
    jobs.extend(DERIVED.iter().map(|&(name, source, edit)| (name.to_string(), source.to_string(), Some(edit))));

    let mut refused = Map::new();
    for (name, source, edit) in &jobs {
        let mut json = fs::read_to_string(sources.join(format!("{source}.json"))).unwrap();
        if let Some(edit) = edit {
            let mut doc: Value = serde_json::from_str(&json).unwrap();
            edit(&mut doc);
            json = serde_json::to_string_pretty(&doc).unwrap();
        }
        let canonical = match tokenizers::canonicalize_str(&json) {
            Ok(c) => c,
            Err(e) => {
                println!("{name}: the rc does not convert it: {e}");
                refused.insert(name.clone(), Value::String(e.to_string()));
                continue;
            }
        };
        // A file 1.0 converts but then cannot read (a `Metaspace` inside a `Sequence` stays a
        // pre-tokenizer) is no file a 1.0 user has: listed, not written.
        let tok = match tokenizers::from_json(&canonical) {
            Ok(tok) => tok,
            Err(e) => {
                println!("{name}: the rc does not read its own canonical form: {e}");
                refused.insert(name.clone(), Value::String(format!("converted, then not read: {e}")));
                continue;
            }
        };
        fs::write(out_files.join(format!("{name}.json")), &canonical).unwrap();

        // The rc reads any `Split` regex but runs only the GPT-family ones it recognises natively
        // (even with `fancy-regex`): the others fail at encode. Such a file is written (1.0 saves
        // and loads it) with no rc golden; tests/canonical.rs checks it against the 0.23 golden.
        let golden_0_23 = read_json(&repo.join(format!("tests/fixtures/golden/{source}.json")));
        let cases = golden_cases(&golden_0_23);
        let lines: Result<Vec<Value>, String> =
            cases.iter().map(|case| encode_case(&tok, case, &texts)).collect();
        let mut lines = lines;
        // Where the rc and 0.23 (the released reference) give different encodings of the same
        // tokenizer, each case says so; the 0.23 values are those of the golden set.
        if let (Ok(lines), None) = (&mut lines, edit) {
            let mut differ = 0;
            for (line, theirs) in lines.iter_mut().zip(golden_0_23["cases"].as_array().unwrap()) {
                let same = ["ids", "type_ids", "attention_mask", "decode", "decode_skip_special"]
                    .iter()
                    .all(|f| line[*f] == theirs[*f]);
                differ += usize::from(!same);
                line.as_object_mut().unwrap().insert("same_as_0_23".into(), json!(same));
            }
            if differ > 0 {
                println!("{name}: the rc and 0.23 differ on {differ} of {} cases", cases.len());
            }
        }
        let lines = match lines {
            Ok(lines) => lines,
            Err(e) => {
                println!("{name}: the rc reads it but does not encode with it: {e}");
                refused.insert(name.clone(), Value::String(format!("read, then not encoded: {e}")));
                let _ = fs::remove_file(out_golden.join(format!("{name}.json")));
                continue;
            }
        };
        let header = json!({
            "tokenizer": name,
            "source": match edit {
                None => format!("canonicalize_str(tests/fixtures/tokenizers/{source}.json)"),
                Some(_) => format!("canonicalize_str(tests/fixtures/tokenizers/{source}.json, edited: see DERIVED in tools/reference/canonical/src/main.rs)"),
            },
            // The 0.23 golden of the same tokenizer, when there is one (tokens and offsets).
            "golden_0_23": if edit.is_none() { Value::String(source.clone()) } else { Value::Null },
            "tokenizers_version": "1.0.0-rc.3",
        });
        let mut text = serde_json::to_string(&header).unwrap();
        text.pop(); // the header's closing brace: the cases go inside, one per line
        text.push_str(",\"cases\":[\n");
        text.push_str(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(",\n"));
        text.push_str("\n]}\n");
        fs::write(out_golden.join(format!("{name}.json")), text).unwrap();
        println!("{name}: {} cases", cases.len());
    }
    let refused = serde_json::to_string_pretty(&Value::Object(refused)).unwrap() + "\n";
    fs::write(out_golden.join("refused.json"), refused).unwrap();
}

type Edit = fn(&mut Value);

/// Files 1.0 converts into shapes none of the repo's files converts into, made by editing one.
const DERIVED: &[(&str, &str, Edit)] = &[
    // GPT-2's shape: a lone `ByteLevel` pre-tokenizer without the prefix space becomes a `Split`
    // with neither `behavior` nor `invert` plus `byte_level` on the model; `RobertaProcessing`
    // becomes a template by ids.
    ("bpe-bytelevel-gpt2-shape", "bpe-bytelevel-roberta", |doc| {
        doc["pre_tokenizer"]["add_prefix_space"] = json!(false);
    }),
    // t5's and albert's shape: `Sequence[WhitespaceSplit, Metaspace]` becomes a
    // `MetaspaceNormalizer` with `drop_whitespace`.
    ("unigram-whitespacesplit-metaspace", "unigram-precompiled-metaspace", |doc| {
        let metaspace = doc["pre_tokenizer"].clone();
        doc["pre_tokenizer"] = json!({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, metaspace]});
    }),
];

/// Text name -> text, from the golden set's texts.json.
fn read_texts(path: &Path) -> Map<String, Value> {
    let doc: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let mut texts = Map::new();
    for t in doc["texts"].as_array().unwrap() {
        texts.insert(t["name"].as_str().unwrap().to_string(), t["text"].clone());
    }
    texts
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The (text, pair, add_special_tokens) of each case of a 0.23 golden file, in its order.
fn golden_cases(doc: &Value) -> Vec<(String, Option<String>, bool)> {
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["text"].as_str().unwrap().to_string(),
                c.get("pair").and_then(Value::as_str).map(str::to_string),
                c["add_special_tokens"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn encode_case(
    tok: &PipelineTokenizer,
    (text, pair, add_special_tokens): &(String, Option<String>, bool),
    texts: &Map<String, Value>,
) -> Result<Value, String> {
    let a = texts[text].as_str().unwrap();
    let options = EncodeOptions { add_special_tokens: *add_special_tokens, ..Default::default() };
    let handle = match pair {
        None => tok.encode(a, &options),
        Some(b) => tok.encode((a, texts[b].as_str().unwrap()), &options),
    };
    let encoding = handle.wait().map_err(|e| format!("{text}: {e}"))?.remove(0);
    let ids: Vec<u32> = encoding.ids().iter().map(|t| t.id()).collect();
    let n = ids.len();
    let type_ids = encoding.type_ids().map(<[u8]>::to_vec).unwrap_or_else(|| vec![0; n]);
    let attention_mask = encoding.attention_mask().map(<[u8]>::to_vec).unwrap_or_else(|| vec![1; n]);
    let mut case = Map::new();
    case.insert("text".into(), json!(text));
    if let Some(b) = pair {
        case.insert("pair".into(), json!(b));
    }
    case.insert("add_special_tokens".into(), json!(add_special_tokens));
    case.insert("ids".into(), json!(ids));
    case.insert("type_ids".into(), json!(type_ids));
    case.insert("attention_mask".into(), json!(attention_mask));
    let decode = |skip| tok.decode(&ids, skip).map_err(|e| format!("{text}: decode: {e}"));
    case.insert("decode".into(), json!(decode(false)?));
    case.insert("decode_skip_special".into(), json!(decode(true)?));
    Ok(Value::Object(case))
}
