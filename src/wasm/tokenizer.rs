//! `Tokenizer` for JavaScript: `fromJSON`, `encode`, `encodeIds`, `count`, `decode` and the vocab
//! lookups, over [`crate::Tokenizer`].

use super::{bytes_of, check_file_size, check_options, error, is_well_formed, text_of, Text, MAX_COUNT_BYTES, MAX_DECODE_IDS, MAX_ENCODE_BYTES, MAX_ENCODE_IDS_BYTES};
use crate::text::utf16::Utf16Cursor;
use crate::{EncodeOptions, SpecialTokens};
use js_sys::{Array, JsString, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/**
 * Result of `Tokenizer.encode`, a plain object. All arrays describe the same tokens, in order;
 * each has a buffer of its own. `tokens` is built on first read (then kept, and assignable).
 */
export interface Encoding {
  /** Token ids. */
  ids: Uint32Array;
  /** Token strings as the vocab spells them (e.g. "Ġthe" for " the" in byte-level BPE). */
  tokens: string[];
  /**
   * Flat pairs `[start0, end0, start1, end1, ...]` in UTF-16 code units of the input string (for
   * a pair: of the token's own sequence, see `sequenceIds`):
   * `text.slice(offsets[2 * i], offsets[2 * i + 1])` is token i's text. A token covering part of a
   * multi-byte character spans the whole character; special tokens added by the post-processor
   * and padding have an empty span at 0.
   */
  offsets: Uint32Array;
  /** Type (segment) id of each token: 0 for the first sequence, usually 1 for the pair. */
  typeIds: Uint32Array;
  /** 1 for special tokens added by the post-processor and for padding, else 0. */
  specialTokensMask: Uint8Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: Uint8Array;
  /** Sequence of each token: 0 (the text), 1 (the pair), -1 for added special tokens and padding. */
  sequenceIds: Int8Array;
  /**
   * The parts truncation cut off (the file's `truncation`, as the reference's `overflowing`):
   * each an `Encoding` post-processed and padded like this one, overlapping the part before by
   * the truncation's `stride` tokens; for a pair, the parts of the first text combined with the
   * second and its parts, in the reference's order. Empty when nothing was cut.
   */
  overflowing: Encoding[];
}
export interface EncodeOptions {
  /** Let the post-processor add special tokens such as a BOS or [CLS]/[SEP] (default false). */
  addSpecialTokens?: boolean;
  /**
   * What special-token text written in the input (`<|endoftext|>`, `<|im_start|>`) becomes:
   * `"match"` (default, the reference's behaviour) its one special-token id; `"literal"`
   * ordinary text, as the reference's `encode_special_tokens` (for text from users: nobody can
   * forge a turn by typing `<|im_start|>system`); `"refuse"` an `Error` naming the token and its
   * UTF-16 offsets (as tiktoken's `disallowed_special`). Added tokens that are not special are
   * always matched.
   */
  specialTokens?: "match" | "literal" | "refuse";
  /** A second sequence, encoded as a pair with the text (the reference's `encode(a, b)`). */
  pair?: string;
}
export interface LoadOptions {
  /**
   * The model's `tokenizer_config.json` (its text, or the parsed object), for its chat template
   * and named special tokens: `applyChatTemplate`, `encodeChat`, `countChat` (the chat build,
   * `tokenscope/chat`; the other builds throw when it is given).
   */
  config?: string | object;
}
/**
 * A `Tokenizer` in a worker (a module Web Worker in browsers, Deno and Bun; a worker thread in
 * Node) running this entry, so a page never blocks on a long text: the same methods, each
 * returning a Promise, with the same results and `Error`s. The typed arrays of results are
 * transferred from the worker, not copied. Bundlers find the worker script as they find the wasm
 * (`new URL(…, import.meta.url)`).
 */
export declare class TokenizerWorker {
  private constructor();
  /** Starts a worker and loads the tokenizer in it, as `Tokenizer.fromJSON`. */
  static fromJSON(source: string | Uint8Array | ArrayBuffer, options?: LoadOptions): Promise<TokenizerWorker>;
  static fromBytes(bytes: Uint8Array | ArrayBuffer, options?: LoadOptions): Promise<TokenizerWorker>;
  readonly vocabSize: number;
  /** Names of the chat templates of the `config` loaded with it (the chat build). */
  readonly chatTemplates: string[];
  encode(text: string, options?: EncodeOptions): Promise<Encoding>;
  encodeIds(text: string, options?: EncodeOptions): Promise<Uint32Array>;
  count(text: string, options?: EncodeOptions): Promise<number>;
  countUpTo(text: string, limit: number, options?: BudgetOptions): Promise<number>;
  isWithinTokenLimit(text: string, limit: number, options?: BudgetOptions): Promise<number | false>;
  truncate(text: string, maxTokens: number, options?: TruncateOptions): Promise<TextPart>;
  chunk(text: string, options: ChunkOptions): Promise<TextPart[]>;
  decode(ids: Uint32Array | number[], options?: DecodeOptions): Promise<string>;
  decodeStream(options?: DecodeOptions): { step(ids: number | Uint32Array | number[]): Promise<string | undefined>; close(): Promise<void> };
  tokenToId(token: string): Promise<number | undefined>;
  idToToken(id: number): Promise<string | undefined>;
  tokenBytes(id: number): Promise<Uint8Array | undefined>;
  /** The chat build only (elsewhere it rejects). */
  applyChatTemplate(messages: Array<Record<string, unknown>>, options?: Record<string, unknown>): Promise<string>;
  encodeChat(messages: Array<Record<string, unknown>>, options?: Record<string, unknown>): Promise<Encoding & { text: string }>;
  countChat(messages: Array<Record<string, unknown>>, options?: Record<string, unknown>): Promise<{ total: number; perMessage: Array<number | null>; generationPrompt: number | null }>;
  noTruncation(): Promise<void>;
  noPadding(): Promise<void>;
  /** Stops the worker: pending and later calls reject. */
  terminate(): void;
}
export interface DecodeOptions {
  /** Leave special tokens out of the text (default false). */
  skipSpecialTokens?: boolean;
}
"#;

#[wasm_bindgen(module = "/js/encoding.js")]
extern "C" {
    /// The `Encoding` object (js/encoding.js), each field copied out of wasm memory (`memory`) at
    /// once: from the 8n u32s at byte `packed` (n ids, 2n UTF-16 offsets, n token lengths in
    /// UTF-16 units, n type ids, n special-token mask values, n attention mask values, n sequence
    /// ids with u32::MAX for none) and the `joined_len` UTF-8 bytes of the token strings joined at
    /// byte `joined`.
    #[wasm_bindgen(js_name = buildEncoding)]
    fn build_encoding(memory: &JsValue, packed: *const u32, n: usize, joined: *const u8, joined_len: usize) -> JsValue;
    /// A `Uint32Array` copy of the `len` u32s at byte `ptr` of wasm memory (js/encoding.js).
    #[wasm_bindgen(js_name = sliceU32)]
    fn slice_u32(memory: &JsValue, ptr: *const u32, len: usize) -> Uint32Array;
    /// The UTF-8 bytes of a JS string, as `TextEncoder.encode` gives them (js/encoding.js).
    fn utf8(text: &JsString) -> Uint8Array;
}

#[wasm_bindgen]
extern "C" {
    /// `{ addSpecialTokens?: boolean, specialTokens?: string, pair?: string }`, declared in the
    /// TypeScript section above.
    #[wasm_bindgen(typescript_type = "EncodeOptions")]
    pub type JsEncodeOptions;
    /// `{ skipSpecialTokens?: boolean }`, declared in the TypeScript section above.
    #[wasm_bindgen(typescript_type = "DecodeOptions")]
    pub type DecodeOptions;
    /// `{ config?: string | object }`, declared in the TypeScript section above.
    #[wasm_bindgen(typescript_type = "LoadOptions")]
    pub type JsLoadOptions;
}

/// A tokenizer loaded from a Hugging Face `tokenizer.json`.
#[wasm_bindgen(js_name = Tokenizer)]
pub struct WasmTokenizer {
    pub(super) inner: crate::Tokenizer,
    /// The chat template(s) of the `config` given to `fromJSON` / `fromBytes`.
    #[cfg(feature = "chat")]
    pub(super) chat: Option<crate::chat::ChatTemplate>,
}

impl WasmTokenizer {
    /// The tokenizer with the chat template of `options.config` (a `tokenizer_config.json` as
    /// text or an object), when given.
    fn with_options(inner: crate::Tokenizer, options: Option<&JsValue>) -> Result<WasmTokenizer, JsError> {
        check_options(options, &["config"])?;
        let config = option(options, "config")?;
        #[cfg(feature = "chat")]
        {
            let chat = config.map(|c| super::chat::template_of(&c, &inner)).transpose()?;
            Ok(WasmTokenizer { inner, chat })
        }
        #[cfg(not(feature = "chat"))]
        match config {
            Some(_) => Err(error("chat templates (the config option) are in the chat build: import from \"tokenscope/chat\"")),
            None => Ok(WasmTokenizer { inner }),
        }
    }
}

/// Length of `s` in UTF-16 code units, counted from its UTF-8 bytes.
pub(super) fn utf16_len(s: &str) -> usize {
    // Every char has one leading byte (not 0b10xxxxxx); 4-byte chars take two units.
    s.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum()
}

/// An option's value, `None` when the options object or the option is absent.
pub(super) fn option(options: Option<&JsValue>, name: &str) -> Result<Option<JsValue>, JsError> {
    let Some(options) = options else { return Ok(None) };
    let value = Reflect::get(options, &JsValue::from_str(name)).map_err(|_| error("options must be an object"))?;
    Ok((!value.is_undefined()).then_some(value))
}

/// A boolean option, `false` when absent.
pub(super) fn flag(options: Option<&JsValue>, name: &str) -> Result<bool, JsError> {
    match option(options, name)? {
        None => Ok(false),
        Some(v) => v.as_bool().ok_or_else(|| error(format!("option {name} must be a boolean"))),
    }
}

/// The `specialTokens` option: `"match"` (when absent), `"literal"` or `"refuse"`.
pub(super) fn special_tokens_option(options: Option<&JsValue>) -> Result<SpecialTokens, JsError> {
    let Some(value) = option(options, "specialTokens")? else { return Ok(SpecialTokens::Match) };
    match value.as_string().as_deref() {
        Some("match") => Ok(SpecialTokens::Match),
        Some("literal") => Ok(SpecialTokens::Literal),
        Some("refuse") => Ok(SpecialTokens::Refuse),
        _ => Err(error("option specialTokens must be \"match\", \"literal\" or \"refuse\"")),
    }
}

/// The `{ addSpecialTokens, specialTokens, pair }` options of `encode` and `count`.
fn encode_options(options: Option<&JsValue>) -> Result<(EncodeOptions, Option<Text>), JsError> {
    check_options(options, &["addSpecialTokens", "specialTokens", "pair"])?;
    let pair = option(options, "pair")?.map(|p| text_of(&p, "option pair")).transpose()?;
    let add_special_tokens = flag(options, "addSpecialTokens")?;
    Ok((EncodeOptions { add_special_tokens, special_tokens: special_tokens_option(options)? }, pair))
}

/// The JS `Error` of `e`; a refused special token's span is given in UTF-16 code units of the
/// text it was found in (`texts`: the text, then the pair).
pub(super) fn encode_error(e: crate::Error, texts: &[&str]) -> JsError {
    let (Some((start, end)), crate::ErrorKind::SpecialToken) = (e.span(), e.kind()) else { return error(e) };
    let (which, text) = if e.is_in_pair() { ("pair text", texts.get(1)) } else { ("text", texts.first()) };
    let Some(token) = text.and_then(|t| t.get(start..end)) else { return error(e) };
    let (from, to) = text.map_or((0, 0), |t| (utf16_len(&t[..start]), utf16_len(&t[..end])));
    error(format!("the {which} holds the special token {} at UTF-16 offsets {from}..{to}, and specialTokens is \"refuse\" (use \"literal\" to encode it as text)", crate::error::quoted(token)))
}

/// The inputs of `encode`, `encodeIds` and `count`: the text and `{ addSpecialTokens, pair }`,
/// checked; then `single(text, add_special_tokens)` or, with a pair, `pair(text, pair, add)`.
/// Returns the result with the text and the pair (offsets are converted against them).
///
/// `limit` is the call's size limit (UTF-8 bytes): a text of more UTF-16 units than that is over
/// it too, and is refused before it is copied into wasm memory (which would keep the growth).
fn run_encode<T>(
    text: &JsValue,
    options: Option<&JsValue>,
    limit: (&str, usize),
    single: impl FnOnce(&str, EncodeOptions) -> crate::Result<T>,
    pair: impl FnOnce(&str, &str, EncodeOptions) -> crate::Result<T>,
) -> Result<(T, Text, Option<Text>), JsError> {
    if let Some(s) = text.dyn_ref::<JsString>() {
        size_limit(limit.0, limit.1, s.length() as usize).map_err(error)?;
    }
    let text = text_of(text, "text")?;
    let (encode_options, second) = encode_options(options)?;
    let out = match &second {
        Some(b) => pair(&text, b, encode_options).map_err(|e| encode_error(e, &[&text, b])),
        None => single(&text, encode_options).map_err(|e| encode_error(e, &[&text])),
    }?;
    Ok((out, text, second))
}

/// The size limit of `call` (`encode`: [`MAX_ENCODE_BYTES`], `encodeIds`:
/// [`MAX_ENCODE_IDS_BYTES`]) for a text of `len` UTF-8 bytes.
fn size_limit(call: &str, limit: usize, len: usize) -> crate::Result<()> {
    if len > limit {
        return Err(crate::Error::new(
            crate::ErrorKind::Input,
            format!("{call} takes texts up to {} MiB of UTF-8, not {len} (its result would outgrow wasm memory): split the text, or use count (up to 1 GiB)", limit >> 20),
        ));
    }
    Ok(())
}

/// A token id from JS: a non-negative integer below 2^32 (no silent wrapping or truncation).
pub(super) fn id_of(value: &JsValue) -> Result<u32, JsError> {
    match value.as_f64() {
        Some(f) if f >= 0.0 && f <= f64::from(u32::MAX) && f.fract() == 0.0 => Ok(f as u32),
        _ => Err(error("a token id must be a non-negative integer")),
    }
}

/// The JS `Encoding` of `encoding` (offsets in UTF-16 units of `text`, or of `pair` for its
/// tokens), with its `overflowing` parts as `Encoding`s of their own (an empty array when none).
pub(super) fn encoding_to_js(encoding: &crate::Encoding, text: &str, pair: Option<&str>) -> JsValue {
    // One call across the boundary, each array copied once out of wasm memory: each typed
    // array made from Rust had cost 0.3–1 µs in Node (a view, then a copy), where a 10-word
    // text counts in ~2 µs.
    let n = encoding.ids.len();
    let joined = encoding.tokens.joined().as_bytes();
    let mut packed: Vec<u32> = Vec::with_capacity(n * 8);
    packed.extend_from_slice(&encoding.ids);
    // Each token's offsets are into its own sequence's text.
    let mut cursors = [Utf16Cursor::new(text), Utf16Cursor::new(pair.unwrap_or(""))];
    for (&(s, e), seq) in encoding.offsets.iter().zip(&encoding.sequence_ids) {
        let cursor = &mut cursors[(*seq == Some(1)) as usize];
        packed.extend([cursor.utf16_at(s) as u32, cursor.utf16_at(e) as u32]);
    }
    packed.extend(encoding.tokens.iter().map(|t| utf16_len(t) as u32));
    packed.extend_from_slice(&encoding.type_ids);
    packed.extend_from_slice(&encoding.special_tokens_mask);
    packed.extend_from_slice(&encoding.attention_mask);
    // -1 (no sequence) as u32::MAX, which the conversion to `Int8Array` turns back into -1.
    packed.extend(encoding.sequence_ids.iter().map(|s| s.unwrap_or(u32::MAX)));
    // `buildEncoding` copies both before anything can allocate in wasm memory.
    let result = build_encoding(&wasm_bindgen::memory(), packed.as_ptr(), n, joined.as_ptr(), joined.len());
    if !encoding.overflowing.is_empty() {
        let parts: Array = encoding.overflowing.iter().map(|part| encoding_to_js(part, text, pair)).collect();
        // Setting a property of a plain object just made cannot fail.
        let _ = Reflect::set(&result, &JsValue::from_str("overflowing"), &parts);
    }
    result
}

#[wasm_bindgen(js_class = Tokenizer)]
impl WasmTokenizer {
    /// Loads a `tokenizer.json` given as its text or its bytes (UTF-8); bytes of a compiled
    /// tokenizer (see `compile`) load too. Throws an `Error` naming the problem: malformed JSON
    /// (with line and column), an unsupported component (stage and `type`), an inconsistent one.
    /// `options.config`: the model's `tokenizer_config.json`, for its chat template (chat build).
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] json: JsValue,
        options: Option<JsLoadOptions>,
    ) -> Result<WasmTokenizer, JsError> {
        let Some(s) = json.dyn_ref::<JsString>() else {
            if !json.is_instance_of::<Uint8Array>() && !json.is_instance_of::<js_sys::ArrayBuffer>() {
                return Err(error("Tokenizer.fromJSON takes a string, a Uint8Array or an ArrayBuffer"));
            }
            return WasmTokenizer::from_bytes(json, options);
        };
        // Copied into wasm memory at its exact size: converting a JS string directly reserves
        // three bytes per UTF-16 unit first, and memory, once grown, stays grown.
        let encoded = utf8(s);
        check_file_size(encoded.length() as usize)?;
        let bytes = encoded.to_vec();
        // SAFETY: `TextEncoder.encode` writes UTF-8 by definition (the WHATWG Encoding standard);
        // validating 10 MB again costs tens of milliseconds of load in wasm.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        // `TextEncoder` writes a lone surrogate as U+FFFD: only then is the string scanned for one
        // (scanning a 10 MB string costs ~10 ms of load).
        if text.contains('\u{FFFD}') && !is_well_formed(s) {
            return Err(error("tokenizer.json text has a lone surrogate; it is not valid Unicode text"));
        }
        let inner = crate::Tokenizer::from_json_owned(text).map_err(error)?;
        WasmTokenizer::with_options(inner, options.as_deref())
    }

    /// Loads a tokenizer from a file's bytes: a compiled tokenizer (what `compile` of
    /// `tokenscope/train` and `tokenscope compile` write: smaller, and loaded without parsing
    /// JSON) or a
    /// `tokenizer.json`. A compiled file is untrusted input like any other: a damaged or hostile
    /// one throws an `Error` saying what is wrong, with memory in proportion to its size.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
        options: Option<JsLoadOptions>,
    ) -> Result<WasmTokenizer, JsError> {
        let bytes = bytes_of(&bytes, "Tokenizer.fromBytes")?;
        if crate::format::compiled::is_compiled(&bytes) {
            let inner = crate::Tokenizer::from_bytes(&bytes).map_err(error)?;
            return WasmTokenizer::with_options(inner, options.as_deref());
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            error(format!("neither a tokenizer.json (not valid UTF-8 at byte {at}) nor a compiled tokenizer (which starts with `tokscope`)"))
        })?;
        let inner = crate::Tokenizer::from_json_owned(text).map_err(error)?;
        WasmTokenizer::with_options(inner, options.as_deref())
    }

    /// Encodes `text`: ids, token strings and UTF-16 offsets. Throws on a lone surrogate.
    #[wasm_bindgen(unchecked_return_type = "Encoding")]
    pub fn encode(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        options: Option<JsEncodeOptions>,
    ) -> Result<JsValue, JsError> {
        let inner = &self.inner;
        let (encoding, text, pair) = run_encode(
            &text,
            options.as_deref(),
            ("encode", MAX_ENCODE_BYTES),
            |t, add| size_limit("encode", MAX_ENCODE_BYTES, t.len()).and_then(|()| inner.encode(t, add)),
            |a, b, add| size_limit("encode", MAX_ENCODE_BYTES, a.len() + b.len()).and_then(|()| inner.encode_pair(a, b, add)),
        )?;
        Ok(encoding_to_js(&encoding, &text, pair.as_deref()))
    }

    /// The ids `encode(text, options).ids` would give, as a `Uint32Array`, without building token
    /// strings, offsets or masks: the call to use when only ids are needed (what tiktoken's
    /// `encode` returns). Options and errors as `encode`.
    #[wasm_bindgen(js_name = encodeIds)]
    pub fn encode_ids(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        options: Option<JsEncodeOptions>,
    ) -> Result<Uint32Array, JsError> {
        let inner = &self.inner;
        let (ids, _, _) = run_encode(
            &text,
            options.as_deref(),
            ("encodeIds", MAX_ENCODE_IDS_BYTES),
            |t, add| size_limit("encodeIds", MAX_ENCODE_IDS_BYTES, t.len()).and_then(|()| inner.encode_ids(t, add)),
            // A pair is encoded whole (offsets, tokens): `encode`'s limit.
            |a, b, add| size_limit("encodeIds with a pair", MAX_ENCODE_BYTES, a.len() + b.len()).and_then(|()| inner.encode_pair_ids(a, b, add)),
        )?;
        Ok(slice_u32(&wasm_bindgen::memory(), ids.as_ptr(), ids.len()))
    }

    /// Number of tokens `encode` would give, without building token strings or offsets.
    pub fn count(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        options: Option<JsEncodeOptions>,
    ) -> Result<u32, JsError> {
        let inner = &self.inner;
        let (n, _, _) = run_encode(&text, options.as_deref(), ("count", MAX_COUNT_BYTES), |t, add| inner.count(t, add), |a, b, add| inner.count_pair(a, b, add))?;
        Ok(n as u32)
    }

    /// Text of `ids` (a `Uint32Array` or an array of non-negative integers). Unknown ids are
    /// skipped, as the reference does.
    pub fn decode(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint32Array | number[]")] ids: JsValue,
        options: Option<DecodeOptions>,
    ) -> Result<String, JsError> {
        let length = Reflect::get(&ids, &JsValue::from_str("length")).ok().and_then(|l| l.as_f64()).unwrap_or(0.0);
        if length > MAX_DECODE_IDS as f64 {
            return Err(error(format!("decode takes at most {MAX_DECODE_IDS} ids, not {length}: decode them in parts")));
        }
        let ids: Vec<u32> = if let Some(array) = ids.dyn_ref::<Uint32Array>() {
            array.to_vec()
        } else if let Some(array) = ids.dyn_ref::<Array>() {
            array
                .iter()
                .enumerate()
                .map(|(i, v)| id_of(&v).map_err(|_| error(format!("ids[{i}] is not a token id (a non-negative integer)"))))
                .collect::<Result<_, _>>()?
        } else {
            return Err(error("decode takes a Uint32Array or an array of token ids"));
        };
        check_options(options.as_deref(), &["skipSpecialTokens"])?;
        self.inner.decode(&ids, flag(options.as_deref(), "skipSpecialTokens")?).map_err(error)
    }

    /// Id of a token string, or `undefined`. Throws if `token` is not a string.
    #[wasm_bindgen(js_name = tokenToId)]
    pub fn token_to_id(&self, #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue) -> Result<Option<u32>, JsError> {
        Ok(self.inner.token_to_id(&text_of(&token, "token")?))
    }

    /// Token string of an id, or `undefined`. Throws if `id` is not a non-negative integer.
    #[wasm_bindgen(js_name = idToToken)]
    pub fn id_to_token(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> Result<Option<String>, JsError> {
        Ok(self.inner.id_to_token(id_of(&id)?).map(str::to_owned))
    }

    /// The raw bytes token `id` stands for (`Ġ` → 0x20, `<0xE6>` → 0xE6), or `undefined`.
    /// Throws if `id` is not a non-negative integer.
    #[wasm_bindgen(js_name = tokenBytes)]
    pub fn token_bytes(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> Result<Option<Vec<u8>>, JsError> {
        Ok(self.inner.token_bytes(id_of(&id)?))
    }

    /// Turns off the `truncation` set in the file (as the reference's `no_truncation()`), so that
    /// `encode` and `count` keep every token.
    #[wasm_bindgen(js_name = noTruncation)]
    pub fn no_truncation(&mut self) {
        self.inner.no_truncation();
    }

    /// Turns off the `padding` set in the file (as the reference's `no_padding()`).
    #[wasm_bindgen(js_name = noPadding)]
    pub fn no_padding(&mut self) {
        self.inner.no_padding();
    }

    /// Number of distinct tokens: the model vocab plus added tokens outside it.
    #[wasm_bindgen(getter, js_name = vocabSize)]
    pub fn vocab_size(&self) -> u32 {
        self.inner.vocab_size() as u32
    }
}
