//! The budget calls of `Tokenizer` for JavaScript: `countUpTo`, `truncate`, `chunk`, and the state
//! of `decodeStream` (its `step` is wrapped in js/api.js, which holds the tokenizer). Offsets in
//! UTF-16 code units.

use super::tokenizer::{flag, id_of, option, special_tokens_option, utf16_len, WasmTokenizer};
use super::{check_options, error, text_of, MAX_COUNT_BYTES, MAX_DECODE_IDS, MAX_ENCODE_BYTES};
use crate::text::utf16::Utf16Cursor;
use crate::{EncodeOptions, Side};
use js_sys::{Array, JsString, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export interface BudgetOptions {
  /** Count the special tokens the post-processor adds (a BOS, [CLS] … [SEP]) (default false). */
  addSpecialTokens?: boolean;
  /** What special-token text in the input becomes, as `EncodeOptions.specialTokens`. */
  specialTokens?: "match" | "literal" | "refuse";
}
export interface TruncateOptions extends BudgetOptions {
  /** The end that is cut off: `"end"` keeps the beginning (default), `"start"` keeps the end. */
  side?: "end" | "start";
}
export interface ChunkOptions extends BudgetOptions {
  /** Most tokens per part (required). */
  maxTokens: number;
  /** Tokens each part repeats from the end of the part before (default 0; below `maxTokens`). */
  overlap?: number;
}
/** What `decodeStream` returns. */
export interface TextStream {
  /**
   * Adds the next id (or ids) and returns the text they complete, or `undefined` while the ids so
   * far end inside a character. Throws on an id that is not a non-negative integer.
   */
  step(ids: number | Uint32Array | number[]): string | undefined;
}
export interface Tokenizer {
  /**
   * A stream decoding ids one (or a few) at a time as a model generates them, never emitting half
   * a character: the reference's `DecodeStream`. Options as `decode`.
   */
  decodeStream(options?: DecodeOptions): TextStream;
  /**
   * The token count of `text` (as `countUpTo`) when at most `limit`, else `false`, as
   * gpt-tokenizer's `isWithinTokenLimit`. Encoding stops once past the limit.
   */
  isWithinTokenLimit(text: string, limit: number, options?: BudgetOptions): number | false;
}
/** A part of a text: `text === whole.slice(start, end)`, and `count` its tokens. */
export interface TextPart {
  text: string;
  /** Start, in UTF-16 code units of the whole text. */
  start: number;
  /** End (exclusive), in UTF-16 code units of the whole text. */
  end: number;
  /** Tokens of `encode(text)` with the same options: the count the model sees. */
  count: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `{ addSpecialTokens?, specialTokens? }`, declared in the TypeScript section above.
    #[wasm_bindgen(typescript_type = "BudgetOptions")]
    pub type JsBudgetOptions;
    /// `{ side?, addSpecialTokens?, specialTokens? }`.
    #[wasm_bindgen(typescript_type = "TruncateOptions")]
    pub type JsTruncateOptions;
    /// `{ maxTokens, overlap?, addSpecialTokens?, specialTokens? }`.
    #[wasm_bindgen(typescript_type = "ChunkOptions")]
    pub type JsChunkOptions;
}

/// `{ addSpecialTokens, specialTokens }` and whatever else `extra` names, checked.
fn budget_options(options: Option<&JsValue>, extra: &[&str]) -> Result<EncodeOptions, JsError> {
    let allowed: Vec<&str> = ["addSpecialTokens", "specialTokens"].iter().chain(extra).copied().collect();
    check_options(options, &allowed)?;
    Ok(EncodeOptions { add_special_tokens: flag(options, "addSpecialTokens")?, special_tokens: special_tokens_option(options)? })
}

/// A token budget: a non-negative integer below 2^32.
fn budget_of(value: &JsValue, what: &str) -> Result<usize, JsError> {
    id_of(value).map(|n| n as usize).map_err(|_| error(format!("{what} must be a non-negative integer")))
}

/// The text of a budget call, refused (before it is copied into wasm memory) over `limit` bytes.
fn budget_text(text: &JsValue, call: &str, limit: usize) -> Result<super::Text, JsError> {
    if let Some(s) = text.dyn_ref::<JsString>() {
        if s.length() as usize > limit {
            return Err(error(format!("{call} takes texts up to {} MiB, not {} UTF-16 units: split the text first", limit >> 20, s.length())));
        }
    }
    text_of(text, "text")
}

/// `{ text, start, end, count }` for bytes `start..end` of `text` (`start`/`end` in UTF-16 units).
fn part(text: &str, (start, end): (usize, usize), (from, to): (usize, usize), count: usize) -> Result<JsValue, JsError> {
    let object = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&object, &JsValue::from_str(key), &value).map_err(|_| error("cannot build a result object"));
    set("text", JsValue::from_str(&text[start..end]))?;
    set("start", JsValue::from_f64(from as f64))?;
    set("end", JsValue::from_f64(to as f64))?;
    set("count", JsValue::from_f64(count as f64))?;
    Ok(object.into())
}

#[wasm_bindgen(js_class = Tokenizer)]
impl WasmTokenizer {
    /// Tokens of `text` (as `count`, without the file's truncation and padding) when at most
    /// `limit`, else `limit + 1`: encoding stops once past the limit, so a live counter over a
    /// long document costs what the limit's worth of text costs. Throws as `count`.
    #[wasm_bindgen(js_name = countUpTo)]
    pub fn count_up_to(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] limit: JsValue,
        options: Option<JsBudgetOptions>,
    ) -> Result<f64, JsError> {
        let limit = budget_of(&limit, "limit")?;
        let options = budget_options(options.as_deref(), &[])?;
        let text = budget_text(&text, "countUpTo", MAX_COUNT_BYTES)?;
        let n = self.inner.count_up_to(&text, limit, options).map_err(|e| super::tokenizer::encode_error(e, &[&text]))?;
        Ok(n.map_or(limit as f64 + 1.0, |n| n as f64))
    }

    /// The longest prefix (`side: "end"`, the default) or suffix (`"start"`) of `text`, cut
    /// between characters, whose own encoding has at most `maxTokens` tokens (the file's
    /// truncation and padding aside): `{ text, start, end, count }`, offsets in UTF-16 units.
    /// Throws when `maxTokens` is below the special tokens `addSpecialTokens` adds, and as
    /// `count`.
    pub fn truncate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(js_name = maxTokens, unchecked_param_type = "number")] max_tokens: JsValue,
        options: Option<JsTruncateOptions>,
    ) -> Result<TextPartValue, JsError> {
        let max_tokens = budget_of(&max_tokens, "maxTokens")?;
        let options_value = options.as_deref();
        let encode = budget_options(options_value, &["side"])?;
        let side = match option(options_value, "side")?.map(|v| v.as_string()) {
            None => Side::End,
            Some(Some(s)) if s == "end" => Side::End,
            Some(Some(s)) if s == "start" => Side::Start,
            _ => return Err(error("option side must be \"end\" or \"start\"")),
        };
        let text = budget_text(&text, "truncate", MAX_ENCODE_BYTES)?;
        let cut = self.inner.truncate(&text, max_tokens, side, encode).map_err(|e| super::tokenizer::encode_error(e, &[&text]))?;
        let from = utf16_len(&text[..cut.start]);
        let to = from + utf16_len(&text[cut.start..cut.end]);
        Ok(part(&text, (cut.start, cut.end), (from, to), cut.count)?.unchecked_into())
    }

    /// `text` cut into consecutive parts of at most `maxTokens` tokens each (each the longest
    /// that fits, see `truncate`), each part starting `overlap` tokens before the end of the one
    /// before: an array of `{ text, start, end, count }`, offsets in UTF-16 units; none for "".
    /// Throws when `overlap >= maxTokens`, when one character needs more than `maxTokens`
    /// tokens, and as `count`.
    pub fn chunk(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        options: JsChunkOptions,
    ) -> Result<TextPartArray, JsError> {
        let options_value: &JsValue = &options;
        let encode = budget_options(Some(options_value), &["maxTokens", "overlap"])?;
        let max_tokens = budget_of(&option(Some(options_value), "maxTokens")?.ok_or_else(|| error("chunk needs the option maxTokens"))?, "maxTokens")?;
        let overlap = option(Some(options_value), "overlap")?.map(|v| budget_of(&v, "overlap")).transpose()?.unwrap_or(0);
        let text = budget_text(&text, "chunk", MAX_ENCODE_BYTES)?;
        let parts = self.inner.chunk(&text, max_tokens, overlap, encode).map_err(|e| super::tokenizer::encode_error(e, &[&text]))?;
        // Starts and ends each only grow from part to part: a cursor each.
        let (mut starts, mut ends) = (Utf16Cursor::new(&text), Utf16Cursor::new(&text));
        let out = Array::new();
        for p in &parts {
            out.push(&part(&text, (p.start, p.end), (starts.utf16_at(p.start), ends.utf16_at(p.end)), p.count)?);
        }
        Ok(out.unchecked_into())
    }
}

#[wasm_bindgen]
extern "C" {
    /// `TextPart`, declared in the TypeScript section above.
    #[wasm_bindgen(typescript_type = "TextPart")]
    pub type TextPartValue;
    /// `TextPart[]`.
    #[wasm_bindgen(typescript_type = "TextPart[]")]
    pub type TextPartArray;
}

/// The state of one `decodeStream` (js/api.js gives it the tokenizer at each step).
#[wasm_bindgen(js_name = DecodeStreamState)]
pub struct WasmDecodeStream {
    inner: crate::DecodeStream,
}

#[wasm_bindgen(js_class = DecodeStreamState)]
impl WasmDecodeStream {
    /// A stream decoding as `decode(ids, { skipSpecialTokens })`.
    #[wasm_bindgen(constructor)]
    pub fn new(skip_special_tokens: bool) -> WasmDecodeStream {
        WasmDecodeStream { inner: crate::DecodeStream::new(skip_special_tokens) }
    }

    /// Adds `ids` (a token id, a `Uint32Array` or an array of ids) and returns the text they
    /// complete, or `undefined` while it ends inside a character. Throws as `decode`.
    pub fn step(
        &mut self,
        tokenizer: &WasmTokenizer,
        #[wasm_bindgen(unchecked_param_type = "number | Uint32Array | number[]")] ids: JsValue,
    ) -> Result<Option<String>, JsError> {
        let ids: Vec<u32> = if let Some(array) = ids.dyn_ref::<Uint32Array>() {
            array.to_vec()
        } else if let Some(array) = ids.dyn_ref::<Array>() {
            if array.length() as usize > MAX_DECODE_IDS {
                return Err(error(format!("step takes at most {MAX_DECODE_IDS} ids at once")));
            }
            array.iter().map(|v| id_of(&v)).collect::<Result<_, _>>()?
        } else {
            vec![id_of(&ids)?]
        };
        self.inner.step(&tokenizer.inner, &ids).map_err(error)
    }
}
