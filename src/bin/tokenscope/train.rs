//! `tokenscope train` (feature `train`): trains BPE or SuperBPE on files as the reference trainers
//! do, writes `tokenizer.json` (and, with `--model-files`, `vocab.json` and `merges.txt`).

use crate::{read_stdin, USAGE};
use tokenscope::train::{Progress, Stage, Trainer, TrainerConfig, AUTHORS_STAGE2_PATTERN};
use tokenscope::Tokenizer;

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
pub fn run(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let mut config = TrainerConfig { forbidden_substrings: vec![], ..TrainerConfig::default() };
    let (mut vocab_size, mut output, mut model_files, mut files, mut forbid) = (None, None, None, vec![], None::<Vec<String>>);
    let (mut stage2_pattern, mut extend, mut inherit) = (None::<String>, None::<String>, None::<usize>);
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
            "--stage2-pattern" => stage2_pattern = Some(args.next().ok_or("--stage2-pattern needs a regex (or `authors`)")?),
            "--extend" => extend = Some(args.next().ok_or("--extend needs a tokenizer file")?),
            "--inherit" => inherit = Some(number("--inherit", args.next())?),
            "-o" | "--output" => output = Some(args.next().ok_or("-o needs a path")?),
            flag if flag.starts_with('-') && flag != "-" => return Err(format!("unknown option {flag} (see tokenscope --help)")),
            file => files.push(file.to_owned()),
        }
    }
    config.vocab_size = vocab_size.ok_or("missing --vocab-size V (see tokenscope --help)")?;
    config.forbidden_substrings = forbid.unwrap_or_else(|| TrainerConfig::default().forbidden_substrings);
    let output = output.ok_or("missing -o OUT.json (see tokenscope --help)")?;
    if inherit.is_some() && extend.is_none() {
        return Err("--inherit N counts the merges taken from --extend FILE: give the file".to_owned());
    }
    if extend.is_some() && config.transition.is_some() {
        return Err("--extend starts stage 2 from the file's merges: --transition has no place there (--inherit N takes its first N)".to_owned());
    }
    let stage2_pattern = stage2_pattern.map(|p| if p == "authors" { AUTHORS_STAGE2_PATTERN.to_owned() } else { p });
    let base = extend
        .as_deref()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            Tokenizer::from_bytes(&bytes).map_err(|e| format!("{path}: {e}"))
        })
        .transpose()?;
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
    let mut trainer = match &stage2_pattern {
        Some(p) => Trainer::with_stage2_pattern(p).map_err(|e| format!("--stage2-pattern: {e}"))?,
        None => Trainer::new(),
    };
    for file in &files {
        let text = if file == "-" { read_stdin()? } else { std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))? };
        trainer.feed(&text).map_err(|e| format!("{file}: {e}"))?;
    }
    eprintln!("read {} bytes from {} file(s) in {:.2} s", trainer.bytes(), files.len(), started.elapsed().as_secs_f64());
    let counted = started.elapsed().as_secs_f64();
    let mut last = (None, 0usize);
    // Seconds since the start at the first report of each stage (replay, superwords).
    let mut stage_starts: Vec<(Stage, f64)> = vec![];
    let mut report = |p: &Progress| {
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
    let (trained, subwords_done) = match &base {
        // Stage 2 alone, from the file's merges.
        Some(base) => (trainer.extend(base, inherit, &config, &mut report).map_err(|e| e.to_string())?, counted),
        None => {
            let subword_size = config.transition.unwrap_or(config.vocab_size);
            let bpe = trainer
                .train_bpe(&TrainerConfig { vocab_size: subword_size, ..config.clone() }, &mut report)
                .map_err(|e| e.to_string())?;
            let subwords_done = started.elapsed().as_secs_f64();
            let trained = if config.transition.is_some() { trainer.train_superbpe(&bpe, &config, &mut report).map_err(|e| e.to_string())? } else { bpe };
            (trained, subwords_done)
        }
    };
    let done = started.elapsed().as_secs_f64();
    // The replay's first report comes after its setup (pieces laid out, pairs counted).
    let superwords_from = stage_starts.iter().find(|(s, _)| *s == Stage::Superwords).map_or(done, |&(_, t)| t);
    eprintln!(
        "seconds: reading and counting {counted:.2}, subword merges {:.2}{}",
        subwords_done - counted,
        if trained.is_superbpe() {
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
