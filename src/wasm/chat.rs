//! The chat calls of `Tokenizer` for JavaScript (full build, feature `chat`): `applyChatTemplate`,
//! `encodeChat`, `countChat` and `chatTemplates`, over [`crate::chat::ChatTemplate`]. Messages,
//! tools and documents cross as JSON text (`JSON.stringify`, keys in the order the object has
//! them, as Python dicts keep theirs).

use super::tokenizer::{encode_error, encoding_to_js, flag, option, special_tokens_option, WasmTokenizer};
use super::{error, text_of};
use crate::chat::{ChatOptions, ChatTemplate};
use js_sys::{Array, JsString, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A chat message as chat templates read it (OpenAI / transformers shape); more keys pass through. */
export interface ChatMessage {
  role: string;
  /** Text, or a list of parts such as `{ type: "text", text }`. */
  content?: string | Array<Record<string, unknown>>;
  [key: string]: unknown;
}
/**
 * The options of `applyChatTemplate`, `encodeChat` and `countChat`: transformers'
 * `apply_chat_template` keyword arguments. Any other key (`enable_thinking`, `date_string`, …) is a
 * template variable, as Python's `**kwargs`.
 */
export interface ChatOptions {
  /** End with the header of the assistant's next turn (default false). */
  addGenerationPrompt?: boolean;
  /** Tool definitions (JSON schemas) for templates that describe tools. */
  tools?: object[];
  /** Documents (`{ title, text }`) for templates that cite them. */
  documents?: object[];
  /** Which of the file's templates (`chatTemplates`); default: "tool_use" with tools if any, else "default". */
  templateName?: string;
  /**
   * What special-token text inside the messages (and tools, documents, variables) becomes when
   * encoded: `"match"` (default, as transformers), `"literal"` plain text (transformers'
   * `sanitize_control_tokens=True`: nobody forges a turn by typing `<|im_start|>`), `"refuse"` an
   * `Error` naming the message and the token.
   */
  specialTokens?: "match" | "literal" | "refuse";
  /** The time `strftime_now` formats, in the local time zone as Python's `datetime.now()` (default: now). */
  now?: Date | number;
  [variable: string]: unknown;
}
/** `encodeChat`'s result: the encoding, its offsets in UTF-16 units of `text`, the rendered conversation. */
export interface ChatEncoding extends Encoding {
  text: string;
}
/** `countChat`'s result. */
export interface ChatCount {
  /** Tokens of the whole conversation (as `encodeChat`). */
  total: number;
  /**
   * What each message adds: tokens of the conversation up to it, less up to the one before (the
   * first also carries what the template writes first, a BOS or a default system prompt); `null`
   * where the template refuses the conversation cut there (its tokens count with the next).
   */
  perMessage: Array<number | null>;
  /** Tokens of the generation prompt (0 without `addGenerationPrompt`), `null` if unknown. */
  generationPrompt: number | null;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `ChatMessage[]`.
    #[wasm_bindgen(typescript_type = "ChatMessage[]")]
    pub type JsMessages;
    /// `ChatOptions`.
    #[wasm_bindgen(typescript_type = "ChatOptions")]
    pub type JsChatOptions;
    /// `ChatEncoding`.
    #[wasm_bindgen(typescript_type = "ChatEncoding")]
    pub type JsChatEncoding;
    /// `ChatCount`.
    #[wasm_bindgen(typescript_type = "ChatCount")]
    pub type JsChatCount;
}

/// The chat template of a `config` option: a `tokenizer_config.json` as text or as an object.
pub(super) fn template_of(config: &JsValue, tokenizer: &crate::Tokenizer) -> Result<ChatTemplate, JsError> {
    let text = if config.is_string() {
        text_of(config, "config")?.to_string()
    } else if config.is_instance_of::<js_sys::Uint8Array>() || config.is_instance_of::<js_sys::ArrayBuffer>() {
        String::from_utf8(super::bytes_of(config, "config")?).map_err(|e| error(format!("config is not UTF-8 text (at byte {})", e.utf8_error().valid_up_to())))?
    } else if config.is_object() && !Array::is_array(config) {
        json_text(config, "config")?
    } else {
        return Err(error("config must be a tokenizer_config.json: its text, its bytes or the parsed object"));
    };
    ChatTemplate::from_config(&text, tokenizer).map_err(error)
}

/// `JSON.stringify(value)`, an error naming `what` when it throws (a cycle, a BigInt).
fn json_text(value: &JsValue, what: &str) -> Result<String, JsError> {
    let text = JSON::stringify(value).map_err(|e| {
        let reason = e.dyn_ref::<js_sys::Error>().map_or_else(|| "not JSON".to_owned(), |e| String::from(e.message()));
        error(format!("{what} cannot be written as JSON: {reason}"))
    })?;
    // `JSON.stringify(undefined)` is undefined.
    text.as_string().ok_or_else(|| error(format!("{what} cannot be written as JSON")))
}

/// The options' named keys; every other key is a template variable.
const NAMED: [&str; 6] = ["addGenerationPrompt", "tools", "documents", "templateName", "specialTokens", "now"];

/// transformers' options in this API's spelling that tokenscope does not implement: refused, not
/// passed to the template as variables.
const NOT_TAKEN: [&str; 4] = ["continueFinalMessage", "chatTemplate", "returnAssistantTokensMask", "sanitizeControlTokens"];

/// JSON texts of the options, kept alive while `ChatOptions` borrows them.
struct Owned {
    add_generation_prompt: bool,
    tools: Option<String>,
    documents: Option<String>,
    template_name: Option<String>,
    extra: Option<String>,
    special_tokens: crate::SpecialTokens,
    now: i64,
}

impl Owned {
    fn read(options: Option<&JsValue>) -> Result<Owned, JsError> {
        if let Some(o) = options {
            if !o.is_object() {
                return Err(error("options must be an object"));
            }
        }
        let json = |name: &str| option(options, name)?.map(|v| json_text(&v, &format!("option {name}"))).transpose();
        let template_name = option(options, "templateName")?
            .map(|v| v.as_string().ok_or_else(|| error("option templateName must be a string")))
            .transpose()?;
        let now_ms = match option(options, "now")? {
            None => js_sys::Date::now(),
            Some(v) if v.is_instance_of::<js_sys::Date>() => v.unchecked_into::<js_sys::Date>().get_time(),
            Some(v) => v.as_f64().filter(|f| f.is_finite()).ok_or_else(|| error("option now must be a Date or a number of milliseconds"))?,
        };
        let extra = match options {
            Some(o) => {
                let vars = Object::new();
                for key in Object::keys(o.unchecked_ref::<Object>()).iter() {
                    if let Some(k) = key.as_string().filter(|k| NOT_TAKEN.contains(&k.as_str())) {
                        return Err(error(format!("{k} is not supported by tokenscope's chat templates (it would reach the template as a variable and do nothing)")));
                    }
                    if !key.as_string().is_some_and(|k| NAMED.contains(&k.as_str())) {
                        let value = Reflect::get(o, &key).map_err(|_| error("options must be a plain object"))?;
                        Reflect::set(&vars, &key, &value).map_err(|_| error("options must be a plain object"))?;
                    }
                }
                (Object::keys(&vars).length() > 0).then(|| json_text(&vars, "the template variables")).transpose()?
            }
            None => None,
        };
        Ok(Owned {
            add_generation_prompt: flag(options, "addGenerationPrompt")?,
            tools: json("tools")?,
            documents: json("documents")?,
            template_name,
            extra,
            special_tokens: special_tokens_option(options)?,
            // Python's `datetime.now()` is local time: the offset of the caller's time zone then.
            now: ((now_ms - js_sys::Date::new(&JsValue::from_f64(now_ms)).get_timezone_offset() * 60_000.0) / 1000.0).floor() as i64,
        })
    }

    fn options(&self) -> ChatOptions<'_> {
        ChatOptions {
            add_generation_prompt: self.add_generation_prompt,
            tools: self.tools.as_deref(),
            documents: self.documents.as_deref(),
            template_name: self.template_name.as_deref(),
            extra: self.extra.as_deref(),
            special_tokens: self.special_tokens,
            now: Some(self.now),
        }
    }
}

impl WasmTokenizer {
    fn chat(&self) -> Result<&ChatTemplate, JsError> {
        self.chat.as_ref().ok_or_else(|| error("this tokenizer has no chat template: load it with Tokenizer.fromJSON(tokenizerJson, { config: tokenizerConfigJson })"))
    }
}

fn messages_of(messages: &JsValue) -> Result<String, JsError> {
    if !Array::is_array(messages) {
        return Err(error("messages must be an array of message objects"));
    }
    json_text(messages, "messages")
}

#[wasm_bindgen(js_class = Tokenizer)]
impl WasmTokenizer {
    /// The conversation rendered by the model's chat template, as transformers'
    /// `apply_chat_template(messages, tokenize=False, ...)`. Throws the template's own error
    /// (`raise_exception`), a template failure (with its line), a runaway template (bounded work
    /// and output), or, with `specialTokens: "refuse"`, special-token text in the messages.
    #[wasm_bindgen(js_name = applyChatTemplate)]
    pub fn apply_chat_template(&self, messages: JsMessages, options: Option<JsChatOptions>) -> Result<String, JsError> {
        let owned = Owned::read(options.as_deref())?;
        self.chat()?.render(&messages_of(&messages)?, &owned.options()).map_err(error)
    }

    /// The conversation encoded as transformers' `apply_chat_template(messages, tokenize=True,
    /// ...)` (ids exact); offsets in UTF-16 units of `text`, the rendered conversation. Throws as
    /// `applyChatTemplate` and `encode`.
    #[wasm_bindgen(js_name = encodeChat)]
    pub fn encode_chat(&self, messages: JsMessages, options: Option<JsChatOptions>) -> Result<JsChatEncoding, JsError> {
        let owned = Owned::read(options.as_deref())?;
        let (encoding, text) = self.chat()?.encode(&self.inner, &messages_of(&messages)?, &owned.options()).map_err(error)?;
        let result = encoding_to_js(&encoding, &text, None);
        Reflect::set(&result, &JsValue::from_str("text"), &JsString::from(text.as_str())).map_err(|_| error("cannot build the result"))?;
        Ok(result.unchecked_into())
    }

    /// The conversation's token count and what each message adds (see `ChatCount`). Renders
    /// each leading part of the conversation: time grows with the square of the number of
    /// messages. Throws as `encodeChat`.
    #[wasm_bindgen(js_name = countChat)]
    pub fn count_chat(&self, messages: JsMessages, options: Option<JsChatOptions>) -> Result<JsChatCount, JsError> {
        let owned = Owned::read(options.as_deref())?;
        let count = self.chat()?.count(&self.inner, &messages_of(&messages)?, &owned.options()).map_err(|e| encode_error(e, &[]))?;
        let result = Object::new();
        let number = |n: Option<usize>| n.map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64));
        let per_message: Array = count.per_message.iter().map(|&n| number(n)).collect();
        for (key, value) in [("total", number(Some(count.total))), ("perMessage", per_message.into()), ("generationPrompt", number(count.generation_prompt))] {
            Reflect::set(&result, &JsValue::from_str(key), &value).map_err(|_| error("cannot build the result"))?;
        }
        Ok(result.unchecked_into())
    }

    /// The names of the chat templates of the config given to `fromJSON` ("default" for a single
    /// template); empty without one.
    #[wasm_bindgen(getter, js_name = chatTemplates)]
    pub fn chat_templates(&self) -> Vec<String> {
        self.chat.as_ref().map_or_else(Vec::new, |c| c.names().to_vec())
    }
}
