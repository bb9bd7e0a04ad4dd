//! Chat templates: the Jinja template of a model's `tokenizer_config.json`, rendered as PyPI
//! `transformers` 5 renders it in `apply_chat_template`, and the rendered conversation encoded as
//! it encodes it (cargo feature `chat`).
//!
//! The reference: transformers compiles the template in a sandboxed Jinja2 environment with
//! `trim_blocks`, `lstrip_blocks` and the `loopcontrols` extension, adds `raise_exception`,
//! `strftime_now`, a `tojson` that is Python's `json.dumps(ensure_ascii=False)`, and renders it
//! with `messages` (keys whose value is null dropped, reasoning fields aliased), `tools`,
//! `documents`, `add_generation_prompt`, the tokenizer's named special tokens (`bos_token`, …)
//! and the caller's extra variables. Its ids are `encode(rendered, add_special_tokens=False)`
//! without truncation or padding. Here the engine is minijinja with its Python-compatibility
//! methods (`strip`, `split`, `startswith`, `items`, …), and values print as Python prints them.
//!
//! Templates are untrusted code: rendering is bounded in work ([`FUEL`]), output
//! ([`MAX_OUTPUT_BYTES`]) and recursion, and every failure is an error carrying the template's own
//! message.

mod python;

use crate::encoding::Encoding;
use crate::error::{quoted, Error, ErrorKind, Result};
use crate::options::SpecialTokens;
use crate::tokenizer::{Matching, Tokenizer};
use aho_corasick::{AhoCorasick, MatchKind};
use indexmap::IndexMap;
use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::Environment;

/// Work a render may do, in minijinja fuel (about one unit per loop step or call, one more per 64
/// bytes a method creates): [`FUEL`] plus [`FUEL_PER_BYTE`] per byte of the messages, tools,
/// documents and variables. The six templates of the npm packages take at most 330 for their
/// conversations (a tool schema included). The bound is low because a template can nest a list
/// in itself once per loop step (~8.5 fuel each), and minijinja's recursive walks of a value
/// nested 30,000 deep overflow a 2 MB stack (wasm's is 1 MB): 40,000 allows ~4,700 levels.
pub const FUEL: u64 = 40_000;
/// Fuel per byte of input (see [`FUEL`]): a 1 MB conversation may take 8 million steps.
pub const FUEL_PER_BYTE: u64 = 8;
/// Largest rendered conversation (UTF-8 bytes): what `encode` takes in wasm.
pub const MAX_OUTPUT_BYTES: usize = 32 << 20;
/// Longest `{{ … }}` or `{% … %}` tag of a template: the real templates' longest is under 400
/// characters; 8,000 unary minus signs overflowed wasm's stack while parsing.
const MAX_TAG_CHARS: usize = 2_000;
/// Largest `tojson(indent=…)`: more only makes a runaway template's output grow faster.
const MAX_INDENT: usize = 64;
/// Deepest nesting of macro calls, includes and recursive loops (Jinja2 allows Python's ~1000
/// frames; a wasm stack of 1 MB holds about a hundred of minijinja's).
const RECURSION_LIMIT: usize = 64;

/// The named special tokens transformers passes to templates (`special_tokens_map`).
const SPECIAL_TOKEN_NAMES: [&str; 7] = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

/// transformers' markers around special-token text found in user input
/// (`sanitize_control_tokens`): two code points of a private-use plane.
const MARK_START: char = '\u{F0000}';
const MARK_END: char = '\u{F0001}';

/// The chat template(s) of a `tokenizer_config.json`, ready to render.
pub struct ChatTemplate {
    env: Environment<'static>,
    /// Template names in the file's order; one template is named "default".
    names: Vec<String>,
    /// `bos_token` … `mask_token` as the config names them.
    special_tokens: Vec<(&'static str, String)>,
    /// Each template's control tokens (in `names`' order).
    control: Vec<ControlTokens>,
    /// Every added token, longest first: what a marked span may hold.
    added_tokens: Vec<String>,
    /// Id of `unk_token` (transformers' `convert_tokens_to_ids` of an unknown string).
    unk_id: Option<u32>,
}

impl std::fmt::Debug for ChatTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatTemplate").field("names", &self.names).finish_non_exhaustive()
    }
}

/// The control tokens of a template: the tokenizer's added tokens that are special, or that the
/// template writes itself; found leftmost-longest (transformers' regex of them, longest first).
struct ControlTokens {
    tokens: Vec<String>,
    automaton: Option<AhoCorasick>,
}

impl ControlTokens {
    fn new(mut tokens: Vec<String>) -> Result<ControlTokens> {
        tokens.sort_by_key(|t| std::cmp::Reverse(t.len()));
        tokens.dedup();
        let automaton = (!tokens.is_empty())
            .then(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&tokens))
            .transpose()
            .map_err(|e| Error::invalid("added_tokens", e))?;
        Ok(ControlTokens { tokens, automaton })
    }

    /// `value` with special-token text in every string (not map keys) wrapped in markers, markers
    /// already there dropped (transformers' `mark_control_tokens`).
    fn mark(&self, value: &Value) -> Value {
        match value.kind() {
            ValueKind::String => {
                let s: String = value.as_str().unwrap_or_default().chars().filter(|&c| c != MARK_START && c != MARK_END).collect();
                let Some(control) = &self.automaton else { return Value::from(s) };
                let mut out = String::with_capacity(s.len() + 8);
                let mut last = 0;
                for m in control.find_iter(&s) {
                    out.push_str(&s[last..m.start()]);
                    out.push(MARK_START);
                    out.push_str(&s[m.start()..m.end()]);
                    out.push(MARK_END);
                    last = m.end();
                }
                out.push_str(&s[last..]);
                Value::from(out)
            }
            ValueKind::Seq => Value::from(value.try_iter().into_iter().flatten().map(|v| self.mark(&v)).collect::<Vec<_>>()),
            ValueKind::Map => {
                let entries: IndexMap<Value, Value> =
                    value.try_iter().into_iter().flatten().map(|k| (k.clone(), self.mark(&value.get_item(&k).unwrap_or_default()))).collect();
                map_value(entries)
            }
            _ => value.clone(),
        }
    }

    /// An error naming the first special-token text in `value` (a path such as
    /// `messages[2].content`), for [`SpecialTokens::Refuse`].
    fn refuse_in(&self, value: &Value, path: &str) -> Result<()> {
        let Some(control) = &self.automaton else { return Ok(()) };
        match value.kind() {
            ValueKind::String => {
                let s = value.as_str().unwrap_or_default();
                if let Some(m) = control.find(s) {
                    let token = &self.tokens[m.pattern().as_usize()];
                    return Err(Error::new(
                        ErrorKind::SpecialToken,
                        format!(
                            "{path} holds the special token {} at UTF-16 offset {}, and special tokens are refused in messages (encode them as literal text, or match them)",
                            quoted(token),
                            s[..m.start()].encode_utf16().count()
                        ),
                    ));
                }
            }
            ValueKind::Seq => {
                for (i, v) in value.try_iter().into_iter().flatten().enumerate() {
                    self.refuse_in(&v, &format!("{path}[{i}]"))?;
                }
            }
            ValueKind::Map => {
                for k in value.try_iter().into_iter().flatten() {
                    self.refuse_in(&value.get_item(&k).unwrap_or_default(), &format!("{path}.{k}"))?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// How a conversation is rendered and encoded (the keyword arguments of transformers'
/// `apply_chat_template`). JSON values are given as JSON text, keys in the order given.
#[derive(Debug, Clone, Default)]
pub struct ChatOptions<'a> {
    /// End with the header of the assistant's next turn.
    pub add_generation_prompt: bool,
    /// `tools`: a JSON array of tool definitions (JSON schemas), or `None`.
    pub tools: Option<&'a str>,
    /// `documents`: a JSON array of `{ "title", "text" }` objects, or `None`.
    pub documents: Option<&'a str>,
    /// Which of the file's templates (a name of [`ChatTemplate::names`]); `None` for the
    /// default (transformers: "tool_use" when tools are given and the file has it, else
    /// "default").
    pub template_name: Option<&'a str>,
    /// More template variables (`enable_thinking`, `date_string`, …): a JSON object, or `None`.
    /// They override the special tokens of the same name.
    pub extra: Option<&'a str>,
    /// What special-token text inside the messages (and tools, documents, extra variables)
    /// becomes when encoded: `Match` as transformers by default; `Literal` as its
    /// `sanitize_control_tokens=True`; `Refuse` an error naming where it is. Rendering alone
    /// ignores it but for `Refuse`.
    pub special_tokens: SpecialTokens,
    /// The time `strftime_now` formats, in seconds since 1970 (UTC); `None` for the system
    /// clock natively (an error in wasm, where there is none to read).
    pub now: Option<i64>,
}

/// Token counts of a conversation ([`ChatTemplate::count`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatCount {
    /// Tokens of the whole conversation as [`ChatTemplate::encode`] gives them.
    pub total: usize,
    /// What each message adds: the tokens of the conversation up to and including it, less
    /// those up to the one before (no generation prompt). The first also carries what the
    /// template writes before any message (a BOS, a default system prompt). `None` where the
    /// template refuses the conversation cut after that message (Gemma's roles must alternate):
    /// its tokens count with the next message's.
    pub per_message: Vec<Option<usize>>,
    /// Tokens of the generation prompt (0 without `add_generation_prompt`), `None` when the
    /// conversation without it does not render.
    pub generation_prompt: Option<usize>,
}

fn chat_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Input, message)
}

fn template_error(e: &minijinja::Error) -> Error {
    // `raise_exception` carries the template's own words; other errors name what failed and
    // where (line of the template).
    if let (minijinja::ErrorKind::InvalidOperation, Some(detail)) = (e.kind(), e.detail()) {
        if let Some(message) = detail.strip_prefix(RAISED) {
            return chat_error(format!("chat template error: {message}"));
        }
    }
    let line = e.line().map_or(String::new(), |l| format!(" (template line {l})"));
    chat_error(format!("chat template failed: {e}{line}"))
}

/// transformers' `apply_chat_template` keyword arguments that are not template variables and that
/// tokenscope does not implement: refused rather than silently passed to the template.
const NOT_TAKEN: [&str; 11] = [
    "continue_final_message",
    "chat_template",
    "tokenize",
    "padding",
    "truncation",
    "max_length",
    "return_tensors",
    "return_dict",
    "return_assistant_tokens_mask",
    "tokenizer_kwargs",
    "sanitize_control_tokens",
];

/// Prefix of the errors `raise_exception` makes, told apart from minijinja's own.
const RAISED: &str = "raised: ";

/// Length in chars of the longest `{{ … }}` / `{% … %}` tag of `template` (an unclosed tag runs to
/// the end), `None` without tags.
fn longest_tag(template: &str) -> Option<usize> {
    let mut longest = None;
    let mut rest = template;
    while let Some(open) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
        let close = if rest[open..].starts_with("{{") { "}}" } else { "%}" };
        let body = &rest[open + 2..];
        let end = body.find(close).unwrap_or(body.len());
        longest = longest.max(Some(body[..end].chars().count()));
        rest = &body[end..];
    }
    longest
}

/// A JSON value (text) as a template value, keys in the order written.
fn json_value(json: &str, what: &str) -> Result<Value> {
    serde_json::from_str(json).map_err(|e| {
        // `JSON.stringify` writes a lone surrogate as `\udXXX`, which is not Unicode text.
        if e.to_string().contains("surrogate") || e.to_string().contains("hex escape") {
            chat_error(format!("{what} hold a lone surrogate: not Unicode text ({e})"))
        } else {
            chat_error(format!("{what} is not valid JSON: {e}"))
        }
    })
}

/// A map value with keys in the given order.
fn map_value(entries: IndexMap<Value, Value>) -> Value {
    Value::from_object(entries)
}

impl ChatTemplate {
    /// Reads the chat template(s) and named special tokens of a `tokenizer_config.json` (its
    /// text), for `tokenizer` (the tokenizer.json of the same model: its added tokens decide which
    /// text is special). `chat_template` may be a string or a list of `{ "name", "template" }`.
    ///
    /// # Errors
    /// [`ErrorKind::Json`] for malformed JSON; [`ErrorKind::InvalidComponent`] when the config has
    /// no `chat_template` or a template does not compile (the message has minijinja's reason and
    /// line).
    pub fn from_config(config_json: &str, tokenizer: &Tokenizer) -> Result<ChatTemplate> {
        let config: serde_json::Value = serde_json::from_str(config_json).map_err(|e| Error::json("tokenizer_config.json", e))?;
        let templates: Vec<(String, String)> = match config.get("chat_template") {
            Some(serde_json::Value::String(t)) => vec![("default".to_owned(), t.clone())],
            Some(serde_json::Value::Array(list)) => list
                .iter()
                .map(|t| match (t.get("name").and_then(|n| n.as_str()), t.get("template").and_then(|t| t.as_str())) {
                    (Some(name), Some(template)) => Ok((name.to_owned(), template.to_owned())),
                    _ => Err(Error::invalid("chat_template", "each entry of a chat_template list needs a string name and template")),
                })
                .collect::<Result<_>>()?,
            // transformers loads such a tokenizer and fails at `apply_chat_template`: so here.
            None | Some(serde_json::Value::Null) => Vec::new(),
            _ => return Err(Error::invalid("chat_template", "chat_template must be a string or a list of named templates")),
        };
        // minijinja's parser recurses once per operator of an expression: a tag of thousands of
        // operators (`{{ - - - … 1 }}`) overflows the stack (in wasm, the instance is lost).
        for (name, template) in &templates {
            if let Some(len) = longest_tag(template).filter(|&len| len > MAX_TAG_CHARS) {
                return Err(Error::invalid("chat_template", format!("template {} has a tag of {len} characters (at most {MAX_TAG_CHARS}): refused, as a runaway expression", quoted(name))));
            }
        }
        let special_tokens = SPECIAL_TOKEN_NAMES
            .iter()
            .filter_map(|&name| {
                let value = config.get(name)?;
                // A string, or an AddedToken written as `{"__type": "AddedToken", "content": …}`.
                let content = value.as_str().or_else(|| value.get("content")?.as_str())?;
                Some((name, content.to_owned()))
            })
            .collect::<Vec<_>>();
        let mut env = Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .map_err(|e| Error::invalid("chat_template", e))?,
        );
        env.set_recursion_limit(RECURSION_LIMIT);
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        env.set_formatter(|out, _state, value| {
            let mut text = String::new();
            python::str_of(value, &mut text);
            out.write_str(&text).map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "output"))
        });
        env.add_function("raise_exception", |message: String| -> std::result::Result<Value, minijinja::Error> {
            Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("{RAISED}{message}")))
        });
        env.add_filter("tojson", tojson);
        for (name, template) in &templates {
            env.add_template_owned(name.clone(), template.clone())
                .map_err(|e| Error::invalid("chat_template", format!("template {name:?} does not compile: {e}")))?;
        }
        // Control tokens as transformers finds them, per template: the special added tokens, and
        // the others the config lists in `chat_control_tokens`, or else whose text the template
        // holds (not whitespace). transformers looks in the template's literal strings only; the
        // whole source here (a token name in a comment counts too).
        let listed: Option<Vec<&str>> = config.get("chat_control_tokens").and_then(|l| l.as_array()).map(|l| l.iter().filter_map(|t| t.as_str()).collect());
        let control = templates
            .iter()
            .map(|(_, source)| {
                let is_control = |content: &str, special: bool| match &listed {
                    _ if special => true,
                    Some(listed) => listed.contains(&content),
                    None => source.contains(content) && !content.trim().is_empty(),
                };
                ControlTokens::new(tokenizer.added_tokens_for_chat().filter(|&(c, special)| is_control(c, special)).map(|(c, _)| c.to_owned()).collect())
            })
            .collect::<Result<Vec<_>>>()?;
        let mut added_tokens: Vec<String> = tokenizer.added_tokens_for_chat().map(|(c, _)| c.to_owned()).collect();
        added_tokens.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let unk_id = special_tokens.iter().find(|(n, _)| *n == "unk_token").and_then(|(_, t)| tokenizer.token_to_id(t));
        Ok(ChatTemplate { env, names: templates.into_iter().map(|(n, _)| n).collect(), special_tokens, control, added_tokens, unk_id })
    }

    /// The names of the file's templates ("default" for a single one).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The rendered conversation, as transformers' `apply_chat_template(messages,
    /// tokenize=False, …)`. `messages` is a JSON array of message objects (`role`, `content`
    /// as a string or a list of parts, `tool_calls`, …).
    ///
    /// # Errors
    /// [`ErrorKind::Input`]: malformed JSON; a conversation that is not a non-empty list of
    /// objects; the template's own error (`raise_exception`'s message) or a template failure
    /// (minijinja's reason and line); a template past [`FUEL`] or [`MAX_OUTPUT_BYTES`];
    /// [`ErrorKind::SpecialToken`] under [`SpecialTokens::Refuse`].
    pub fn render(&self, messages: &str, options: &ChatOptions<'_>) -> Result<String> {
        let bytes = messages.len();
        let messages = self.messages(messages)?;
        self.render_values((&messages, bytes), options, false)
    }

    /// The conversation encoded as transformers' `apply_chat_template(messages, tokenize=True,
    /// …)` encodes it (its `sanitize_control_tokens=True` for [`SpecialTokens::Literal`]), and the
    /// text the offsets are in (the rendered conversation).
    ///
    /// # Errors
    /// As [`ChatTemplate::render`]; as [`Tokenizer::encode`]; for `Literal`, a special token the
    /// tokenizer makes from its own text (it cannot be told apart, as transformers says).
    pub fn encode(&self, tokenizer: &Tokenizer, messages: &str, options: &ChatOptions<'_>) -> Result<(Encoding, String)> {
        let bytes = messages.len();
        let messages = self.messages(messages)?;
        self.encode_values(tokenizer, (&messages, bytes), options)
    }

    /// Token counts of the conversation: the total (as [`ChatTemplate::encode`]) and what each
    /// message adds (see [`ChatCount`]). Renders and counts each leading part of the
    /// conversation: time grows with the square of the number of messages.
    ///
    /// # Errors
    /// As [`ChatTemplate::encode`] for the whole conversation.
    pub fn count(&self, tokenizer: &Tokenizer, messages: &str, options: &ChatOptions<'_>) -> Result<ChatCount> {
        let bytes = messages.len();
        let messages = self.messages(messages)?;
        let total = self.encode_values(tokenizer, (&messages, bytes), options)?.0.len();
        let without_prompt = ChatOptions { add_generation_prompt: false, ..options.clone() };
        let mut per_message = Vec::with_capacity(messages.len());
        let mut before = 0;
        let mut last = None;
        for k in 1..=messages.len() {
            let n = self.encode_values(tokenizer, (&messages[..k], bytes), &without_prompt).ok().map(|(e, _)| e.len());
            per_message.push(n.map(|n| n.saturating_sub(before)));
            if let Some(n) = n {
                before = n;
            }
            last = n;
        }
        Ok(ChatCount { total, per_message, generation_prompt: last.map(|n| total.saturating_sub(n)) })
    }

    /// The messages as template values: a non-empty list of objects, keys whose value is null
    /// dropped and the reasoning fields aliased, as transformers prepares them.
    fn messages(&self, json: &str) -> Result<Vec<Value>> {
        let value = json_value(json, "the messages")?;
        if value.kind() != ValueKind::Seq {
            return Err(chat_error("the messages must be a list of message objects"));
        }
        let messages: Vec<Value> = value.try_iter().map_err(|e| chat_error(e.to_string()))?.collect();
        if messages.is_empty() {
            return Err(chat_error("cannot apply a chat template to an empty conversation: give at least one message"));
        }
        messages
            .iter()
            .enumerate()
            .map(|(i, m)| {
                if m.kind() != ValueKind::Map {
                    return Err(chat_error(format!("messages[{i}] is not an object")));
                }
                let mut entries: IndexMap<Value, Value> = IndexMap::new();
                let reasoning = ["reasoning_content", "thinking", "reasoning"].iter().find_map(|k| m.get_attr(k).ok().filter(|v| !v.is_none() && !v.is_undefined()));
                if let Some(r) = &reasoning {
                    entries.insert(Value::from("thinking"), r.clone());
                }
                for key in m.try_iter().map_err(|e| chat_error(e.to_string()))? {
                    let value = m.get_item(&key).unwrap_or_default();
                    if !value.is_none() {
                        entries.insert(key, value);
                    }
                }
                if let Some(r) = reasoning {
                    entries.insert(Value::from("reasoning_content"), r);
                }
                Ok(map_value(entries))
            })
            .collect()
    }

    /// Index in `names` of the template `options` ask for.
    fn template_index(&self, options: &ChatOptions<'_>) -> Result<usize> {
        if self.names.is_empty() {
            return Err(chat_error("this tokenizer_config.json has no chat_template: the model has no chat format to apply"));
        }
        let find = |name: &str| self.names.iter().position(|n| n == name);
        if let Some(name) = options.template_name {
            return find(name).ok_or_else(|| chat_error(format!("no chat template named {}: the file has {}", quoted(name), self.names.join(", "))));
        }
        if let Some(i) = options.tools.and_then(|_| find("tool_use")) {
            return Ok(i);
        }
        find("default").ok_or_else(|| chat_error(format!("the file has several chat templates and none named default: choose one of {}", self.names.join(", "))))
    }

    /// Renders `messages`; with `mark`, special-token text in the caller's strings is wrapped in
    /// transformers' markers (for [`SpecialTokens::Literal`]).
    fn render_values(&self, (messages, messages_bytes): (&[Value], usize), options: &ChatOptions<'_>, mark: bool) -> Result<String> {
        let tools = options.tools.map(|t| json_value(t, "tools")).transpose()?;
        let documents = options.documents.map(|d| json_value(d, "documents")).transpose()?;
        let extra = options.extra.map(|e| json_value(e, "the extra template variables")).transpose()?;
        if extra.as_ref().is_some_and(|e| e.kind() != ValueKind::Map) {
            return Err(chat_error("the extra template variables must be a JSON object"));
        }
        // As transformers: tools are JSON schemas (objects), documents objects.
        for (value, what) in [(&tools, "tools"), (&documents, "documents")] {
            let Some(list) = value else { continue };
            let objects = list.kind() == ValueKind::Seq && list.try_iter().is_ok_and(|mut items| items.all(|v| v.kind() == ValueKind::Map));
            if !objects {
                return Err(chat_error(format!("{what} must be a list of objects ({})", if what == "tools" { "JSON schemas" } else { "{ title, text }" })));
            }
        }
        let index = self.template_index(options)?;
        let control = &self.control[index];
        if options.special_tokens == SpecialTokens::Refuse {
            control.refuse_in(&Value::from(messages.to_vec()), "messages")?;
            for (value, what) in [(&tools, "tools"), (&documents, "documents"), (&extra, "extra")] {
                if let Some(v) = value {
                    control.refuse_in(v, what)?;
                }
            }
        }
        let prepare = |v: Value| if mark { control.mark(&v) } else { v };
        let mut context: IndexMap<Value, Value> = IndexMap::new();
        context.insert(Value::from("messages"), prepare(Value::from(messages.to_vec())));
        context.insert(Value::from("tools"), tools.map(prepare).unwrap_or(Value::from(())));
        context.insert(Value::from("documents"), documents.map(prepare).unwrap_or(Value::from(())));
        context.insert(Value::from("add_generation_prompt"), Value::from(options.add_generation_prompt));
        for (name, token) in &self.special_tokens {
            context.insert(Value::from(*name), Value::from(token.as_str()));
        }
        if let Some(extra) = extra.map(prepare) {
            for key in extra.try_iter().map_err(|e| chat_error(e.to_string()))? {
                // Python refuses them too (a keyword argument given twice).
                if let Some(name) = key.as_str().filter(|k| ["messages", "tools", "documents", "add_generation_prompt"].contains(k)) {
                    return Err(chat_error(format!("{name} is an option of its own, not a template variable")));
                }
                if let Some(name) = key.as_str().filter(|k| NOT_TAKEN.contains(k)) {
                    return Err(chat_error(format!("{name} is an apply_chat_template option tokenscope does not take (it would be passed to the template as a variable and do nothing)")));
                }
                let value = extra.get_item(&key).unwrap_or_default();
                context.insert(key, value);
            }
        }
        let now = match options.now {
            Some(now) => Some(now),
            #[cfg(not(target_arch = "wasm32"))]
            None => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs() as i64),
            #[cfg(target_arch = "wasm32")]
            None => None,
        };
        let mut env = self.env.clone();
        let input_bytes = [options.tools, options.documents, options.extra].iter().flatten().map(|t| t.len()).sum::<usize>() + messages_bytes;
        let fuel = FUEL.saturating_add(FUEL_PER_BYTE.saturating_mul(input_bytes as u64));
        env.set_fuel(Some(fuel));
        env.add_function("strftime_now", move |format: String| -> std::result::Result<String, minijinja::Error> {
            let now = now.ok_or_else(|| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "strftime_now: no clock (give the time in the options)"))?;
            python::strftime(now, &format)
        });
        let template = env.get_template(&self.names[index]).map_err(|e| template_error(&e))?;
        let mut out = BoundedOutput { bytes: Vec::new(), over: false };
        let rendered = template.render_captured_to(map_value(context), &mut out);
        if out.over {
            return Err(chat_error(format!("the chat template wrote more than {} MiB: stopped (a runaway template?)", MAX_OUTPUT_BYTES >> 20)));
        }
        if let Err(e) = rendered {
            if e.kind() == minijinja::ErrorKind::OutOfFuel {
                return Err(chat_error(format!("the chat template did more than {fuel} steps of work: stopped (a runaway template?)")));
            }
            return Err(template_error(&e));
        }
        String::from_utf8(out.bytes).map_err(|_| chat_error("the chat template wrote text that is not UTF-8"))
    }

    fn encode_values(&self, tokenizer: &Tokenizer, messages: (&[Value], usize), options: &ChatOptions<'_>) -> Result<(Encoding, String)> {
        let literal = options.special_tokens == SpecialTokens::Literal;
        let rendered = self.render_values(messages, options, literal)?;
        if !literal {
            let encoding = tokenizer.encode_whole(&rendered, Matching::Match)?;
            return Ok((encoding, rendered));
        }
        self.encode_marked(tokenizer, &rendered)
    }

    /// transformers' `encode_marked_chat`: the rendered text cut at marked spans (special-token
    /// text from the caller, encoded as plain text) and lone markers (dropped, but still cutting
    /// the text); each piece after the first encoded after a "\n" that is then taken off again,
    /// so that SentencePiece does not add its prefix space.
    fn encode_marked(&self, tokenizer: &Tokenizer, rendered: &str) -> Result<(Encoding, String)> {
        // As Python's `re.split` with one group: text, marked token (or "" for a lone marker),
        // text, …
        let mut pieces: Vec<(&str, bool)> = Vec::new();
        let mut rest = rendered;
        while let Some(i) = rest.find([MARK_START, MARK_END]) {
            pieces.push((&rest[..i], false));
            let marker = rest[i..].chars().next().unwrap_or(MARK_END);
            let after = &rest[i + marker.len_utf8()..];
            let token = (marker == MARK_START)
                .then(|| self.added_tokens.iter().find(|t| after.strip_prefix(t.as_str()).is_some_and(|r| r.starts_with(MARK_END))))
                .flatten();
            match token {
                Some(t) => {
                    pieces.push((&after[..t.len()], true));
                    rest = &after[t.len() + MARK_END.len_utf8()..];
                }
                None => {
                    pieces.push(("", true));
                    rest = after;
                }
            }
        }
        pieces.push((rest, false));
        let plain = Matching::Match;
        let as_text = Matching::NoAddedTokens;
        let newline = tokenizer.encode_whole("\n", plain)?.ids;
        let mut out = Encoding::with_capacity(rendered.len() / 3 + 1);
        let mut text = String::with_capacity(rendered.len());
        for (k, &(piece, marked)) in pieces.iter().enumerate() {
            if piece.is_empty() {
                continue;
            }
            let options = if marked { as_text } else { plain };
            let base = text.len();
            text.push_str(piece);
            let (encoding, shift, prefixed) = if k == 0 {
                (tokenizer.encode_whole(piece, options)?, 0, false)
            } else {
                let with_newline = tokenizer.encode_whole(&format!("\n{piece}"), options)?;
                if with_newline.ids.starts_with(&newline) {
                    (with_newline, newline.len(), true)
                } else {
                    (tokenizer.encode_whole(piece, options)?, 0, false)
                }
            };
            if marked {
                let id = tokenizer.token_to_id(piece).or(self.unk_id);
                if id.is_some_and(|id| encoding.ids[shift..].contains(&id)) {
                    return Err(chat_error(format!("cannot encode {} as plain text: the tokenizer makes that special token from its own text", quoted(piece))));
                }
            }
            // Offsets of the "\n"-prefixed encoding are one byte past the piece's (also when "\n"
            // alone gives no token, as in BERT's pipeline).
            let back = usize::from(k > 0 && prefixed);
            for i in shift..encoding.len() {
                let (s, e) = encoding.offsets[i];
                out.push(encoding.ids[i], encoding.tokens.get(i).unwrap_or_default(), (base + s.saturating_sub(back), base + e.saturating_sub(back)));
            }
        }
        out.fill_masks(0);
        Ok((out.finish(), text))
    }

}

/// transformers' `tojson`: `json.dumps(value, ensure_ascii=False, indent=None, separators=None,
/// sort_keys=False)`, the keyword arguments honoured (`ensure_ascii` only as false).
fn tojson(value: &Value, kwargs: Kwargs) -> std::result::Result<Value, minijinja::Error> {
    let indent: Option<usize> = kwargs.get("indent")?;
    if indent.is_some_and(|n| n > MAX_INDENT) {
        return Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("tojson: an indent over {MAX_INDENT}")));
    }
    let sort_keys: Option<bool> = kwargs.get("sort_keys")?;
    if kwargs.get::<Option<bool>>("ensure_ascii")?.unwrap_or(false) {
        return Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "tojson: ensure_ascii=true is not supported"));
    }
    kwargs.assert_all_used()?;
    // Safe: JSON text is printed as it is (no HTML escaping in chat templates).
    Ok(Value::from_safe_string(python::json_dumps(value, indent, sort_keys.unwrap_or(false))?))
}

/// The render's output, refused past [`MAX_OUTPUT_BYTES`].
struct BoundedOutput {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for BoundedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            self.over = true;
            return Err(std::io::Error::other("output limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
