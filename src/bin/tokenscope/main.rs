//! `tokenscope`: the native command line, for scripting, conformance checks and benchmarks.
//!
//! ```text
//! tokenscope encode --tokenizer PATH [--special] [--special-tokens P] [--jsonl]   < text
//! tokenscope count  --tokenizer PATH [--special] [--special-tokens P] [FILE...]
//! tokenscope chat   --tokenizer PATH --config tokenizer_config.json [--generation-prompt]
//!                   [--special-tokens P] [--count]   < messages.json
//! tokenscope compile   tokenizer.json -o OUT
//! tokenscope decompile COMPILED -o OUT.json
//! tokenscope train  --vocab-size V [--transition T] [--max-words N] [--forbid S]...
//!                   [--min-frequency N] [--stage2-pattern REGEX|authors]
//!                   [--extend TOKENIZER [--inherit N]] [--model-files DIR] [FILE...] -o OUT.json
//! ```
//! `encode` prints `{"ids": [...], "tokens": [...], "offsets": [[start, end], ...], "type_ids",
//! "special_tokens_mask", "attention_mask", "sequence_ids"}` with UTF-8 byte offsets; with
//! `--jsonl` every stdin line is a JSON string, or an array of two strings for a pair of
//! sequences, and every output line one such object. `count` prints the token count of stdin, or `COUNT<TAB>FILE` per file. `--special` adds
//! the post-processor's special tokens (`add_special_tokens=True` in the reference).
//! `--special-tokens match|literal|refuse`: what special-token text in the input becomes (see
//! `tokenscope::SpecialTokens`; default `match`, the reference's).
//! `chat` renders the JSON array of messages on stdin with the config's chat template, as
//! transformers' `apply_chat_template(tokenize=False)`; with `--count`, prints
//! `{"total", "per_message", "generation_prompt"}` instead (see `tokenscope::chat::ChatCount`).
//! `train` learns a byte-level BPE (or, with `--transition`, SuperBPE) on the files (stdin when
//! none), as the reference trainers do (see `tokenscope::train`), writes its `tokenizer.json`
//! and, with `--model-files`, `vocab.json` and `merges.txt` as the reference's `model.save`;
//! progress goes to stderr. `--stage2-pattern` cuts stage 2's text with a regex of one's own
//! (`authors`: the SuperBPE authors' of November 2025) instead of the paper's digit groups;
//! `--extend` runs stage 2 alone from an existing byte-level BPE's merges (its first N with
//! `--inherit N`), as the authors' `extend_existing_tokenizer.sh`.
//! `compile` writes the compiled form of a `tokenizer.json` (smaller, faster to load; see
//! `Tokenizer::compile`), `decompile` a `tokenizer.json` back from one; `--tokenizer` takes either.
//! `count -` (or no FILE) reads stdin. Errors: one line on stderr and exit code 2; a closed
//! stdout (`| head`) ends the program quietly.

use std::io::{self, BufRead, Read, Write};
use std::process::ExitCode;
use tokenscope::{EncodeOptions, SpecialTokens, Tokenizer};

/// The commands every build has; `train` only with the feature.
macro_rules! usage_encode {
    () => {
        "usage: tokenscope encode --tokenizer PATH [--special] [--special-tokens match|literal|refuse] [--jsonl] < text\n       tokenscope count --tokenizer PATH [--special] [--special-tokens P] [FILE...]\n       tokenscope chat --tokenizer PATH --config tokenizer_config.json [--generation-prompt] [--special-tokens P] [--count] < messages.json\n       tokenscope compile tokenizer.json -o OUT\n       tokenscope decompile COMPILED -o OUT.json"
    };
}
#[cfg(feature = "train")]
const USAGE: &str = concat!(
    usage_encode!(),
    "\n       tokenscope train --vocab-size V [--transition T] [--max-words N] [--forbid S]... [--min-frequency N] [--stage2-pattern REGEX|authors] [--extend TOKENIZER [--inherit N]] [--model-files DIR] [FILE...] -o OUT.json"
);
#[cfg(not(feature = "train"))]
const USAGE: &str = usage_encode!();

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
    Chat,
}

struct Args {
    command: Command,
    tokenizer: String,
    special: bool,
    special_tokens: SpecialTokens,
    jsonl: bool,
    files: Vec<String>,
    config: String,
    generation_prompt: bool,
    count: bool,
}

impl Args {
    fn options(&self) -> EncodeOptions {
        EncodeOptions { add_special_tokens: self.special, special_tokens: self.special_tokens }
    }
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
        "chat" => Command::Chat,
        other => return Err(format!("unknown command {other:?} (see tokenscope --help)")),
    };
    let mut parsed = Args {
        command,
        tokenizer: String::new(),
        special: false,
        special_tokens: SpecialTokens::Match,
        jsonl: false,
        files: vec![],
        config: String::new(),
        generation_prompt: false,
        count: false,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tokenizer" => parsed.tokenizer = args.next().ok_or("--tokenizer needs a path")?,
            "--special" if parsed.command != Command::Chat => parsed.special = true,
            "--special-tokens" => {
                parsed.special_tokens = match args.next().as_deref() {
                    Some("match") => SpecialTokens::Match,
                    Some("literal") => SpecialTokens::Literal,
                    Some("refuse") => SpecialTokens::Refuse,
                    _ => return Err("--special-tokens takes match, literal or refuse".to_owned()),
                }
            }
            "--config" if parsed.command == Command::Chat => parsed.config = args.next().ok_or("--config needs a path")?,
            "--generation-prompt" if parsed.command == Command::Chat => parsed.generation_prompt = true,
            "--count" if parsed.command == Command::Chat => parsed.count = true,
            "--jsonl" if parsed.command == Command::Encode => parsed.jsonl = true,
            "--help" | "-h" => return Ok(None),
            flag if flag.starts_with("--tokenizer=") => parsed.tokenizer = flag["--tokenizer=".len()..].to_owned(),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag} (see tokenscope --help)"))
            }
            file if parsed.command == Command::Count => parsed.files.push(file.to_owned()),
            extra if parsed.command == Command::Chat => return Err(format!("unexpected argument {extra:?}: chat reads its messages from stdin")),
            extra => return Err(format!("unexpected argument {extra:?}: encode reads its text from stdin")),
        }
    }
    if parsed.tokenizer.is_empty() {
        return Err("missing --tokenizer PATH (see tokenscope --help)".to_owned());
    }
    if parsed.command == Command::Chat && parsed.config.is_empty() {
        return Err("missing --config tokenizer_config.json (see tokenscope --help)".to_owned());
    }
    Ok(Some(parsed))
}

/// `tokenscope train` in a build without the trainer.
#[cfg(not(feature = "train"))]
mod train {
    pub fn run(_args: impl Iterator<Item = String>) -> Result<(), String> {
        Err("this tokenscope was built without the trainer: build it with `--features train`".to_owned())
    }
}
#[cfg(feature = "train")]
mod train;

/// A `tokenizer.json` or a compiled tokenizer.
fn load(path: &str) -> Result<Tokenizer, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read tokenizer {path}: {e}"))?;
    let loaded = match String::from_utf8(bytes) {
        Ok(json) => Tokenizer::from_json_owned(json),
        Err(e) => Tokenizer::from_bytes(e.as_bytes()),
    };
    loaded.map_err(|e| format!("cannot load tokenizer {path}: {e}"))
}

/// `tokenscope compile IN -o OUT` and `tokenscope decompile IN -o OUT`.
fn convert(command: &str, mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let (mut input, mut output) = (None, None);
    let usage = format!("usage: tokenscope {command} IN -o OUT");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--help" | "-h" => {
                println!("{usage}");
                return Ok(());
            }
            "-o" | "--output" if output.is_some() => return Err("-o given twice".to_owned()),
            "-o" | "--output" => output = Some(args.next().ok_or("-o needs a path")?),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag} for {command} (see tokenscope --help)")),
            path if input.is_none() => input = Some(path.to_owned()),
            extra => return Err(format!("unexpected argument {extra:?}: {command} takes one file")),
        }
    }
    let (Some(input), Some(output)) = (input, output) else {
        return Err(usage);
    };
    let bytes = std::fs::read(&input).map_err(|e| format!("cannot read {input}: {e}"))?;
    let written = if command == "compile" {
        if Tokenizer::is_compiled(&bytes) {
            return Err(format!("{input} is already a compiled tokenizer"));
        }
        let json = std::str::from_utf8(&bytes).map_err(|e| format!("{input} is not UTF-8 (byte {})", e.valid_up_to()))?;
        Tokenizer::compile(json)
    } else {
        Tokenizer::decompile(&bytes).map(String::into_bytes)
    };
    let written = written.map_err(|e| format!("cannot {command} {input}: {e}"))?;
    std::fs::write(&output, &written).map_err(|e| format!("cannot write {output}: {e}"))?;
    eprintln!("{command}: {input} ({} bytes) -> {output} ({} bytes)", bytes.len(), written.len());
    Ok(())
}

fn read_stdin() -> Result<String, String> {
    let mut bytes = Vec::new();
    io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read stdin: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("stdin is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()))
}

fn run() -> Result<(), String> {
    match std::env::args().nth(1).as_deref() {
        Some("train") => return train::run(std::env::args().skip(2)),
        Some(command @ ("compile" | "decompile")) => return convert(command, std::env::args().skip(2)),
        _ => {}
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
                    Input::Single(text) => tokenizer.encode(&text, args.options()),
                    Input::Pair(a, b) => tokenizer.encode_pair(&a, &b, args.options()),
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
            let count = |text: &str| tokenizer.count(text, args.options()).map_err(|e| e.to_string());
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
        Command::Chat => chat(&args, &mut out)?,
    }
    out.flush().map_err(write_error)
}

/// `tokenscope chat`: the messages on stdin rendered (or counted) with the config's template.
#[cfg(feature = "chat")]
fn chat(args: &Args, out: &mut dyn Write) -> Result<(), String> {
    use tokenscope::chat::{ChatOptions, ChatTemplate};
    let tokenizer = load(&args.tokenizer)?;
    let config = std::fs::read_to_string(&args.config).map_err(|e| format!("cannot read {}: {e}", args.config))?;
    let template = ChatTemplate::from_config(&config, &tokenizer).map_err(|e| format!("{}: {e}", args.config))?;
    let messages = read_stdin()?;
    let options = ChatOptions { add_generation_prompt: args.generation_prompt, special_tokens: args.special_tokens, ..Default::default() };
    if args.count {
        let c = template.count(&tokenizer, &messages, &options).map_err(|e| e.to_string())?;
        let json = serde_json::json!({ "total": c.total, "per_message": c.per_message, "generation_prompt": c.generation_prompt });
        writeln!(out, "{json}").map_err(write_error)
    } else {
        let text = template.render(&messages, &options).map_err(|e| e.to_string())?;
        out.write_all(text.as_bytes()).map_err(write_error)
    }
}

#[cfg(not(feature = "chat"))]
fn chat(_args: &Args, _out: &mut dyn Write) -> Result<(), String> {
    Err("this tokenscope was built without chat templates: build it with `--features chat`".to_owned())
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
