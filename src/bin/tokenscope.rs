//! `tokenscope`: the native command line, for scripting, conformance checks and benchmarks.
//!
//! ```text
//! tokenscope encode --tokenizer PATH [--special] [--jsonl]   < text
//! tokenscope count  --tokenizer PATH [--special] [FILE...]
//! tokenscope train  --vocab-size V [--transition T] [--max-words N] [--forbid S]...
//!                   [--min-frequency N] [--model-files DIR] [FILE...] -o OUT.json
//! ```
//! `encode` prints `{"ids": [...], "tokens": [...], "offsets": [[start, end], ...], "type_ids",
//! "special_tokens_mask", "attention_mask", "sequence_ids"}` with UTF-8 byte offsets; with
//! `--jsonl` every stdin line is a JSON string, or an array of two strings for a pair of
//! sequences, and every output line one such object. `count` prints the token count of stdin, or `COUNT<TAB>FILE` per file. `--special` adds
//! the post-processor's special tokens (`add_special_tokens=True` in the reference).
//! `train` learns a byte-level BPE (or, with `--transition`, SuperBPE) on the files (stdin when
//! none), as the reference trainers do (see `tokenscope::train`), writes its `tokenizer.json`
//! and, with `--model-files`, `vocab.json` and `merges.txt` as the reference's `model.save`;
//! progress goes to stderr.
//! `count -` (or no FILE) reads stdin. Errors: one line on stderr and exit code 2; a closed
//! stdout (`| head`) ends the program quietly.

use std::io::{self, BufRead, Read, Write};
use std::process::ExitCode;
use tokenscope::Tokenizer;

const USAGE: &str = "usage: tokenscope encode --tokenizer PATH [--special] [--jsonl] < text\n       tokenscope count --tokenizer PATH [--special] [FILE...]\n       tokenscope train --vocab-size V [--transition T] [--max-words N] [--forbid S]... [--min-frequency N] [--model-files DIR] [FILE...] -o OUT.json";

#[derive(serde::Serialize)]
struct EncodeOutput<'a> {
    ids: &'a [u32],
    tokens: &'a tokenscope::Tokens,
    offsets: &'a [(usize, usize)],
    type_ids: &'a [u32],
    special_tokens_mask: &'a [u32],
    attention_mask: &'a [u32],
    sequence_ids: &'a [Option<u32>],
}

/// A `--jsonl` input line: one text or a pair.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Input {
    Single(String),
    Pair(String, String),
}

#[derive(Clone, Copy, PartialEq)]
enum Command {
    Encode,
    Count,
}

struct Args {
    command: Command,
    tokenizer: String,
    special: bool,
    jsonl: bool,
    files: Vec<String>,
}

/// `Ok(None)` for `--help`.
fn parse_args() -> Result<Option<Args>, String> {
    let mut args = std::env::args().skip(1);
    let command = args.next().ok_or("missing command (see tokenscope --help)")?;
    if command == "--help" || command == "-h" {
        return Ok(None);
    }
    let command = match command.as_str() {
        "encode" => Command::Encode,
        "count" => Command::Count,
        other => return Err(format!("unknown command {other:?} (see tokenscope --help)")),
    };
    let mut parsed = Args { command, tokenizer: String::new(), special: false, jsonl: false, files: vec![] };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tokenizer" => parsed.tokenizer = args.next().ok_or("--tokenizer needs a path")?,
            "--special" => parsed.special = true,
            "--jsonl" if parsed.command == Command::Encode => parsed.jsonl = true,
            "--help" | "-h" => return Ok(None),
            flag if flag.starts_with("--tokenizer=") => parsed.tokenizer = flag["--tokenizer=".len()..].to_owned(),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag} (see tokenscope --help)"))
            }
            file if parsed.command == Command::Count => parsed.files.push(file.to_owned()),
            extra => return Err(format!("unexpected argument {extra:?}: encode reads its text from stdin")),
        }
    }
    if parsed.tokenizer.is_empty() {
        return Err("missing --tokenizer PATH (see tokenscope --help)".to_owned());
    }
    Ok(Some(parsed))
}

/// Refuses an output path that cannot be written, or that is one of the training files, without
/// touching an existing file (it is replaced only once training has succeeded).
fn check_output(output: &str, files: &[String]) -> Result<(), String> {
    let path = std::path::Path::new(output);
    if let Ok(out) = path.canonicalize() {
        if files.iter().any(|f| std::path::Path::new(f).canonicalize().is_ok_and(|f| f == out)) {
            return Err(format!("-o {output} is one of the training files"));
        }
        std::fs::OpenOptions::new().append(true).open(path).map_err(|e| format!("cannot write {output}: {e}"))?;
    } else {
        std::fs::File::create(path).map_err(|e| format!("cannot write {output}: {e}"))?;
        std::fs::remove_file(path).map_err(|e| format!("cannot write {output}: {e}"))?;
    }
    Ok(())
}

/// `tokenscope train`: parses its options, trains, writes the files.
fn train(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    use tokenscope::train::{Trainer, TrainerConfig};
    let mut config = TrainerConfig { forbidden_substrings: vec![], ..TrainerConfig::default() };
    let (mut vocab_size, mut output, mut model_files, mut files, mut forbid) = (None, None, None, vec![], None::<Vec<String>>);
    let number = |flag: &str, value: Option<String>| -> Result<usize, String> {
        let value = value.ok_or(format!("{flag} needs a number"))?;
        value.parse().map_err(|_| format!("{flag} needs a number, not {value:?}"))
    };
    while let Some(mut arg) = args.next() {
        // `--flag=value` as well as `--flag value`.
        let mut inline = None;
        if let Some((flag, value)) = arg.split_once('=').filter(|(f, _)| f.starts_with("--")) {
            inline = Some(value.to_owned());
            arg = flag.to_owned();
        }
        let mut args = inline.into_iter().chain(&mut args);
        match arg.as_str() {
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(());
            }
            "--vocab-size" => vocab_size = Some(number("--vocab-size", args.next())?),
            "--transition" => config.transition = Some(number("--transition", args.next())?),
            "--max-words" => config.max_words = Some(number("--max-words", args.next())?).filter(|&n| n > 0),
            "--forbid" => forbid.get_or_insert_with(Vec::new).push(args.next().ok_or("--forbid needs a substring")?),
            "--min-frequency" => config.min_frequency = number("--min-frequency", args.next())? as u64,
            "--model-files" => model_files = Some(args.next().ok_or("--model-files needs a directory")?),
            "-o" | "--output" => output = Some(args.next().ok_or("-o needs a path")?),
            flag if flag.starts_with('-') && flag != "-" => return Err(format!("unknown option {flag} (see tokenscope --help)")),
            file => files.push(file.to_owned()),
        }
    }
    config.vocab_size = vocab_size.ok_or("missing --vocab-size V (see tokenscope --help)")?;
    config.forbidden_substrings = forbid.unwrap_or_else(|| TrainerConfig::default().forbidden_substrings);
    let output = output.ok_or("missing -o OUT.json (see tokenscope --help)")?;
    // Refuse what can be refused before minutes of training: settings, and where results go.
    config.check().map_err(|e| e.to_string())?;
    check_output(&output, &files)?;
    if let Some(dir) = &model_files {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {dir}: {e}"))?;
    }
    if files.is_empty() {
        files.push("-".to_owned());
    }
    let started = std::time::Instant::now();
    let mut trainer = Trainer::new();
    for file in &files {
        let text = if file == "-" { read_stdin()? } else { std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))? };
        trainer.feed(&text).map_err(|e| format!("{file}: {e}"))?;
    }
    eprintln!("read {} bytes from {} file(s) in {:.2} s", trainer.bytes(), files.len(), started.elapsed().as_secs_f64());
    let counted = started.elapsed().as_secs_f64();
    let mut last = (None, 0usize);
    // Seconds since the start at the first report of each stage (replay, superwords).
    let mut stage_starts: Vec<(tokenscope::train::Stage, f64)> = vec![];
    let mut report = |p: &tokenscope::train::Progress| {
        if stage_starts.last().is_none_or(|&(s, _)| s != p.stage) {
            stage_starts.push((p.stage, started.elapsed().as_secs_f64()));
        }
        // One line per stage and about every 10% of it.
        let step = (p.target / 10).max(1);
        if last.0 != Some(p.stage) || p.vocab_size / step != last.1 / step || p.vocab_size >= p.target {
            eprintln!(
                "[{:7.2} s] {:?}: {} merges, vocab {}/{}, {:.3} bytes per token",
                started.elapsed().as_secs_f64(),
                p.stage,
                p.merges,
                p.vocab_size,
                p.target,
                p.bytes_per_token
            );
            last = (Some(p.stage), p.vocab_size);
        }
        true
    };
    let subword_size = config.transition.unwrap_or(config.vocab_size);
    let bpe = trainer
        .train_bpe(&TrainerConfig { vocab_size: subword_size, ..config.clone() }, &mut report)
        .map_err(|e| e.to_string())?;
    let subwords_done = started.elapsed().as_secs_f64();
    let trained = if config.transition.is_some() {
        trainer.train_superbpe(&bpe, &config, &mut report).map_err(|e| e.to_string())?
    } else {
        bpe
    };
    let done = started.elapsed().as_secs_f64();
    // The replay's first report comes after its setup (pieces laid out, pairs counted).
    let superwords_from = stage_starts.iter().find(|(s, _)| *s == tokenscope::train::Stage::Superwords).map_or(done, |&(_, t)| t);
    eprintln!(
        "seconds: reading and counting {counted:.2}, subword merges {:.2}{}",
        subwords_done - counted,
        if config.transition.is_some() {
            format!(", stage 2 {:.2} (replay {:.2}, superword merges {:.2})", done - subwords_done, superwords_from - subwords_done, done - superwords_from)
        } else {
            String::new()
        }
    );
    if let Some(dir) = model_files {
        let dir = std::path::Path::new(&dir);
        for (name, text) in [("vocab.json", trained.vocab_json()), ("merges.txt", trained.merges_txt())] {
            std::fs::write(dir.join(name), text).map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))?;
        }
    }
    std::fs::write(&output, trained.tokenizer_json()).map_err(|e| format!("cannot write {output}: {e}"))?;
    if trained.vocab_size() > config.vocab_size {
        eprintln!("the alphabet alone has {} tokens, more than the {} asked for: no merge was learned", trained.vocab_size(), config.vocab_size);
    }
    if trained.exhausted() {
        eprintln!(
            "no pair was left to merge{} at a vocab of {} (of the {} asked for)",
            if config.min_frequency > 1 { format!(" (seen at least {} times)", config.min_frequency) } else { String::new() },
            trained.vocab_size(),
            config.vocab_size
        );
    }
    eprintln!(
        "wrote {output}: vocab {}, {} merges{} in {:.2} s",
        trained.vocab_size(),
        trained.merge_count(),
        if trained.repeated_tokens() > 0 { format!(" ({} made an existing token)", trained.repeated_tokens()) } else { String::new() },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn load(path: &str) -> Result<Tokenizer, String> {
    let json = std::fs::read_to_string(path).map_err(|e| format!("cannot read tokenizer {path}: {e}"))?;
    Tokenizer::from_json_owned(json).map_err(|e| format!("cannot load tokenizer {path}: {e}"))
}

fn read_stdin() -> Result<String, String> {
    let mut bytes = Vec::new();
    io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read stdin: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("stdin is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()))
}

fn run() -> Result<(), String> {
    if std::env::args().nth(1).as_deref() == Some("train") {
        return train(std::env::args().skip(2));
    }
    let Some(args) = parse_args()? else {
        println!("{USAGE}");
        return Ok(());
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.command {
        Command::Encode => {
            let tokenizer = load(&args.tokenizer)?;
            let write = |out: &mut dyn Write, input: Input| -> Result<(), String> {
                let enc = match input {
                    Input::Single(text) => tokenizer.encode(&text, args.special),
                    Input::Pair(a, b) => tokenizer.encode_pair(&a, &b, args.special),
                }
                .map_err(|e| e.to_string())?;
                let json = EncodeOutput {
                    ids: &enc.ids,
                    tokens: &enc.tokens,
                    offsets: &enc.offsets,
                    type_ids: &enc.type_ids,
                    special_tokens_mask: &enc.special_tokens_mask,
                    attention_mask: &enc.attention_mask,
                    sequence_ids: &enc.sequence_ids,
                };
                serde_json::to_writer(&mut *out, &json).map_err(|e| write_error(e.into()))?;
                writeln!(out).map_err(write_error)
            };
            if args.jsonl {
                for (n, line) in io::stdin().lock().lines().enumerate() {
                    let line = line.map_err(|e| format!("stdin line {}: {e}", n + 1))?;
                    let input: Input = serde_json::from_str(&line)
                        .map_err(|e| format!("stdin line {} is not a JSON string or a pair [a, b] of strings: {e}", n + 1))?;
                    write(&mut out, input)?;
                }
            } else {
                write(&mut out, Input::Single(read_stdin()?))?;
            }
        }
        Command::Count => {
            let tokenizer = load(&args.tokenizer)?;
            let count = |text: &str| tokenizer.count(text, args.special).map_err(|e| e.to_string());
            if args.files.is_empty() {
                writeln!(out, "{}", count(&read_stdin()?)?).map_err(write_error)?;
            }
            for file in &args.files {
                let text = if file == "-" {
                    read_stdin()?
                } else {
                    std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?
                };
                writeln!(out, "{}\t{file}", count(&text)?).map_err(write_error)?;
            }
        }
    }
    out.flush().map_err(write_error)
}

/// Message of a failed write to stdout; a closed pipe (`tokenscope … | head`) is not an error.
const CLOSED_STDOUT: &str = "stdout closed";

fn write_error(e: io::Error) -> String {
    if e.kind() == io::ErrorKind::BrokenPipe { CLOSED_STDOUT.to_owned() } else { format!("cannot write output: {e}") }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) if message == CLOSED_STDOUT => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tokenscope: {}", message.replace('\n', " "));
            ExitCode::from(2)
        }
    }
}
