//! `tokenscope`: the native command line, for scripting, conformance checks and benchmarks.
//!
//! ```text
//! tokenscope encode --tokenizer PATH [--special] [--jsonl]   < text
//! tokenscope count  --tokenizer PATH [--special] [FILE...]
//! ```
//! `encode` prints `{"ids": [...], "tokens": [...], "offsets": [[start, end], ...]}` with UTF-8
//! byte offsets; with `--jsonl` every stdin line is a JSON string and every output line one such
//! object. `count` prints the token count of stdin, or `COUNT<TAB>FILE` per file. `--special` adds
//! the post-processor's special tokens (`add_special_tokens=True` in the reference).
//! Errors: one line on stderr and exit code 2.

use std::io::{self, BufRead, Read, Write};
use std::process::ExitCode;
use tokenscope::Tokenizer;

const USAGE: &str = "usage: tokenscope encode --tokenizer PATH [--special] [--jsonl] < text\n       tokenscope count --tokenizer PATH [--special] [FILE...]";

#[derive(serde::Serialize)]
struct EncodeOutput<'a> {
    ids: &'a [u32],
    tokens: &'a [String],
    offsets: &'a [(usize, usize)],
}

struct Args {
    command: String,
    tokenizer: String,
    special: bool,
    jsonl: bool,
    files: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let command = args.next().ok_or_else(|| USAGE.to_owned())?;
    if command == "--help" || command == "-h" {
        return Err(USAGE.to_owned());
    }
    let mut parsed = Args { command, tokenizer: String::new(), special: false, jsonl: false, files: vec![] };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tokenizer" => parsed.tokenizer = args.next().ok_or("--tokenizer needs a path")?,
            "--special" => parsed.special = true,
            "--jsonl" => parsed.jsonl = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}\n{USAGE}")),
            file => parsed.files.push(file.to_owned()),
        }
    }
    if parsed.tokenizer.is_empty() {
        return Err(format!("missing --tokenizer PATH\n{USAGE}"));
    }
    Ok(parsed)
}

fn load(path: &str) -> Result<Tokenizer, String> {
    let json = std::fs::read_to_string(path).map_err(|e| format!("cannot read tokenizer {path}: {e}"))?;
    Tokenizer::from_json(&json).map_err(|e| format!("cannot load tokenizer {path}: {e}"))
}

fn read_stdin() -> Result<String, String> {
    let mut bytes = Vec::new();
    io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read stdin: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("stdin is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()))
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.command.as_str() {
        "encode" => {
            let tokenizer = load(&args.tokenizer)?;
            let write = |out: &mut dyn Write, text: &str| -> Result<(), String> {
                let enc = tokenizer.encode(text, args.special).map_err(|e| e.to_string())?;
                let json = EncodeOutput { ids: &enc.ids, tokens: &enc.tokens, offsets: &enc.offsets };
                serde_json::to_writer(&mut *out, &json).map_err(|e| e.to_string())?;
                writeln!(out).map_err(|e| e.to_string())
            };
            if args.jsonl {
                for (n, line) in io::stdin().lock().lines().enumerate() {
                    let line = line.map_err(|e| format!("stdin line {}: {e}", n + 1))?;
                    let text: String = serde_json::from_str(&line).map_err(|e| format!("stdin line {} is not a JSON string: {e}", n + 1))?;
                    write(&mut out, &text)?;
                }
            } else {
                write(&mut out, &read_stdin()?)?;
            }
        }
        "count" => {
            let tokenizer = load(&args.tokenizer)?;
            let count = |text: &str| tokenizer.count(text, args.special).map_err(|e| e.to_string());
            if args.files.is_empty() {
                writeln!(out, "{}", count(&read_stdin()?)?).map_err(|e| e.to_string())?;
            }
            for file in &args.files {
                let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
                writeln!(out, "{}\t{file}", count(&text)?).map_err(|e| e.to_string())?;
            }
        }
        other => return Err(format!("unknown command {other:?}\n{USAGE}")),
    }
    out.flush().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tokenscope: {}", message.lines().next().unwrap_or(""));
            if let Some(rest) = message.split_once('\n') {
                eprintln!("{}", rest.1);
            }
            ExitCode::from(2)
        }
    }
}
