//! The WebAssembly binding: an adapter with no tokenization logic.
//!
//! Offsets cross to JavaScript as **UTF-16 code units** (what `String.slice` takes); the Rust API
//! keeps UTF-8 bytes. Every failure is thrown as a JS `Error` with a message; text with a lone
//! surrogate is refused rather than silently replaced by U+FFFD.

use crate::offsets::Utf16Cursor;
use js_sys::{Array, Int8Array, JsString, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Result of `Tokenizer.encode`. All arrays describe the same tokens, in order. */
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
  /** Sequence of each token: 0 (the text), 1 (the pair), -1 for added special tokens. */
  sequenceIds: Int8Array;
}
export interface EncodeOptions {
  /** Let the post-processor add special tokens such as a BOS or [CLS]/[SEP] (default false). */
  addSpecialTokens?: boolean;
  /** A second sequence, encoded as a pair with the text (the reference's `encode(a, b)`). */
  pair?: string;
}
/** Settings of `Trainer.trainBpe` / `Trainer.trainSuperBpe` (see `tokenscope::trainer`). */
export interface TrainOptions {
  /** Vocab size to reach, alphabet included. */
  vocabSize: number;
  /** SuperBPE's transition point t (a vocab size, at most `vocabSize`); required by `trainSuperBpe`. */
  transition?: number;
  /** Stage 2 skips tokens of more than this many words (default 4, the paper's; null: no limit; 0 is refused). */
  maxWords?: number | null;
  /** Stage 2 skips tokens containing one of these, in byte-level chars (default [":Ġ"]). */
  forbiddenSubstrings?: string[];
  /** Pairs seen fewer times are never merged (default 0). */
  minFrequency?: number;
}
/** What the progress callback of `trainBpe` / `trainSuperBpe` receives, about every 1% of the merges. */
export interface TrainProgress {
  /** "subwords" (BPE, stage 1), "replay" (the subword merges on whole lines), "superwords" (stage 2). */
  stage: "subwords" | "replay" | "superwords";
  /** Merges learned so far. */
  merges: number;
  /** Vocab size so far, alphabet included. */
  vocabSize: number;
  /** Vocab size aimed at. */
  target: number;
  /** UTF-8 bytes of the training text per token under the merges so far. */
  bytesPerToken: number;
}
export interface DecodeOptions {
  /** Leave special tokens out of the text (default false). */
  skipSpecialTokens?: boolean;
}
"#;

#[wasm_bindgen(module = "/js/encoding.js")]
extern "C" {
    /// Gives `result` a `tokens` property built on first read from the joined token strings (as
    /// UTF-8 bytes, decoded then) and their UTF-16 lengths (js/encoding.js).
    #[wasm_bindgen(js_name = defineLazyTokens)]
    fn define_lazy_tokens(result: &Object, joined: &Uint8Array, lengths: &Uint32Array);
    /// The UTF-8 bytes of a JS string, as `TextEncoder.encode` gives them (js/encoding.js).
    fn utf8(text: &JsString) -> Uint8Array;
    /// Whether a JS string has no lone surrogate (js/encoding.js).
    #[wasm_bindgen(js_name = isWellFormed)]
    fn is_well_formed(text: &JsString) -> bool;
}


#[wasm_bindgen]
extern "C" {
    /// `{ addSpecialTokens?: boolean, pair?: string }`, declared in the TypeScript section above.
    #[wasm_bindgen(typescript_type = "EncodeOptions")]
    pub type EncodeOptions;
    /// `{ skipSpecialTokens?: boolean }`, declared in the TypeScript section above.
    #[wasm_bindgen(typescript_type = "DecodeOptions")]
    pub type DecodeOptions;
    /// `TrainOptions`, declared in the TypeScript section above.
    #[wasm_bindgen(typescript_type = "TrainOptions")]
    pub type TrainOptions;
    /// `(progress: TrainProgress) => boolean | void`: returning `false` cancels training.
    #[wasm_bindgen(typescript_type = "(progress: TrainProgress) => boolean | void")]
    pub type ProgressCallback;
}


/// A tokenizer loaded from a Hugging Face `tokenizer.json`.
#[wasm_bindgen(js_name = Tokenizer)]
pub struct WasmTokenizer {
    inner: crate::Tokenizer,
}

fn error(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

/// The JS string as Rust text; a lone surrogate is an error naming its UTF-16 index.
///
/// The conversion (wasm-bindgen's `TextEncoder.encodeInto`) writes U+FFFD for a lone surrogate,
/// so the JS string is examined unit by unit (one call across the boundary per unit) only when the
/// converted text holds a U+FFFD: ordinary text pays nothing for the check.
fn text_of(value: &JsValue, what: &str) -> Result<String, JsError> {
    let s: &JsString = value.dyn_ref().ok_or_else(|| error(format!("{what} must be a string")))?;
    let text = String::from(s);
    if !text.contains('\u{FFFD}') || is_well_formed(s) {
        return Ok(text);
    }
    let units: Vec<u16> = s.iter().collect();
    let index = char::decode_utf16(units.iter().copied())
        .scan(0usize, |at, r| {
            let here = *at;
            *at += r.as_ref().map_or(1, |c| c.len_utf16());
            Some((here, r.is_err()))
        })
        .find(|&(_, bad)| bad)
        .map_or(0, |(i, _)| i);
    Err(error(format!("{what} has a lone surrogate at UTF-16 index {index}; it is not valid Unicode text")))
}

/// Length of `s` in UTF-16 code units, counted from its UTF-8 bytes.
fn utf16_len(s: &str) -> usize {
    // Every char has one leading byte (not 0b10xxxxxx); 4-byte chars take two units.
    s.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum()
}

/// Checks that `options` is absent or an object whose keys are all in `allowed`, so that
/// `{ add_special_tokens: true }` (the Python spelling) is not silently ignored.
fn check_options(options: Option<&JsValue>, allowed: &[&str]) -> Result<(), JsError> {
    let Some(options) = options else { return Ok(()) };
    let object: &Object = options.dyn_ref().ok_or_else(|| error("options must be an object"))?;
    if let Some(key) = Object::keys(object).iter().filter_map(|k| k.as_string()).find(|k| !allowed.contains(&k.as_str())) {
        return Err(error(format!("unknown option {key:?}; the options are {}", allowed.join(", "))));
    }
    Ok(())
}

/// An option's value, `None` when the options object or the option is absent.
fn option(options: Option<&JsValue>, name: &str) -> Result<Option<JsValue>, JsError> {
    let Some(options) = options else { return Ok(None) };
    let value = Reflect::get(options, &JsValue::from_str(name)).map_err(|_| error("options must be an object"))?;
    Ok((!value.is_undefined()).then_some(value))
}

/// A boolean option, `false` when absent.
fn flag(options: Option<&JsValue>, name: &str) -> Result<bool, JsError> {
    match option(options, name)? {
        None => Ok(false),
        Some(v) => v.as_bool().ok_or_else(|| error(format!("option {name} must be a boolean"))),
    }
}

/// The `{ addSpecialTokens, pair }` options of `encode` and `count`.
fn encode_options(options: Option<&JsValue>) -> Result<(bool, Option<String>), JsError> {
    check_options(options, &["addSpecialTokens", "pair"])?;
    let pair = option(options, "pair")?.map(|p| text_of(&p, "option pair")).transpose()?;
    Ok((flag(options, "addSpecialTokens")?, pair))
}

/// The inputs of `encode`, `encodeIds` and `count`: the text and `{ addSpecialTokens, pair }`,
/// checked; then `single(text, add_special_tokens)` or, with a pair, `pair(text, pair, add)`.
/// Returns the result with the text and the pair (offsets are converted against them).
fn run_encode<T>(
    text: &JsValue,
    options: Option<&JsValue>,
    single: impl FnOnce(&str, bool) -> crate::Result<T>,
    pair: impl FnOnce(&str, &str, bool) -> crate::Result<T>,
) -> Result<(T, String, Option<String>), JsError> {
    let text = text_of(text, "text")?;
    let (add_special_tokens, second) = encode_options(options)?;
    let out = match &second {
        Some(b) => pair(&text, b, add_special_tokens),
        None => single(&text, add_special_tokens),
    }
    .map_err(error)?;
    Ok((out, text, second))
}

/// A token id from JS: a non-negative integer below 2^32 (no silent wrapping or truncation).
fn id_of(value: &JsValue) -> Result<u32, JsError> {
    match value.as_f64() {
        Some(f) if f >= 0.0 && f <= f64::from(u32::MAX) && f.fract() == 0.0 => Ok(f as u32),
        _ => Err(error("a token id must be a non-negative integer")),
    }
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(target, &JsValue::from_str(key), value).map(|_| ()).map_err(|_| error("cannot build the result object"))
}

#[wasm_bindgen(js_class = Tokenizer)]
impl WasmTokenizer {
    /// Loads a `tokenizer.json` given as its text or its bytes (UTF-8). Throws an `Error` naming
    /// the problem: malformed JSON (with line and column), an unsupported component (stage and
    /// `type`), an inconsistent one.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(#[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] json: JsValue) -> Result<WasmTokenizer, JsError> {
        // Bytes are copied into wasm memory at their exact size: converting a JS string directly
        // reserves three bytes per UTF-16 unit first, and memory, once grown, stays grown.
        let not_utf8 = |e: std::string::FromUtf8Error| error(format!("tokenizer.json is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()));
        let text = if let Some(s) = json.dyn_ref::<JsString>() {
            let bytes = utf8(s).to_vec();
            // SAFETY: `TextEncoder.encode` writes UTF-8 by definition (the WHATWG Encoding
            // standard); validating 10 MB again costs tens of milliseconds of load in wasm.
            let text = unsafe { String::from_utf8_unchecked(bytes) };
            // `TextEncoder` writes a lone surrogate as U+FFFD: only then is the string scanned
            // for one (scanning a 10 MB string costs ~10 ms of load).
            if text.contains('\u{FFFD}') && !is_well_formed(s) {
                return Err(error("tokenizer.json text has a lone surrogate; it is not valid Unicode text"));
            }
            text
        } else if let Some(bytes) = json.dyn_ref::<Uint8Array>() {
            String::from_utf8(bytes.to_vec()).map_err(not_utf8)?
        } else if json.is_instance_of::<js_sys::ArrayBuffer>() {
            String::from_utf8(Uint8Array::new(&json).to_vec()).map_err(not_utf8)?
        } else {
            return Err(error("Tokenizer.fromJSON takes a string, a Uint8Array or an ArrayBuffer"));
        };
        crate::Tokenizer::from_json_owned(text).map(|inner| WasmTokenizer { inner }).map_err(error)
    }

    /// Encodes `text`: ids, token strings and UTF-16 offsets. Throws on a lone surrogate.
    #[wasm_bindgen(unchecked_return_type = "Encoding")]
    pub fn encode(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        options: Option<EncodeOptions>,
    ) -> Result<JsValue, JsError> {
        let inner = &self.inner;
        let (encoding, text, pair) = run_encode(&text, options.as_deref(), |t, add| inner.encode(t, add), |a, b, add| inner.encode_pair(a, b, add))?;
        // Each token's offsets are into its own sequence's text.
        let mut cursors = [Utf16Cursor::new(&text), Utf16Cursor::new(pair.as_deref().unwrap_or(""))];
        let offsets: Vec<u32> = encoding
            .offsets
            .iter()
            .zip(&encoding.sequence_ids)
            .flat_map(|(&(s, e), seq)| {
                let cursor = &mut cursors[(*seq == Some(1)) as usize];
                [cursor.utf16_at(s) as u32, cursor.utf16_at(e) as u32]
            })
            .collect();
        let lengths: Vec<u32> = encoding.tokens.iter().map(|t| utf16_len(t) as u32).collect();
        let mask = |m: &[u32]| Uint8Array::from(&m.iter().map(|&v| v as u8).collect::<Vec<u8>>()[..]);
        let sequence_ids: Vec<i8> = encoding.sequence_ids.iter().map(|s| s.map_or(-1, |i| i as i8)).collect();
        let result = Object::new();
        set(&result, "ids", &Uint32Array::from(&encoding.ids[..]).into())?;
        // Copies: a `&[u8]` would reach JS as a view of wasm memory, gone after this call. Bytes,
        // not a string: copying them costs less than decoding UTF-8, which waits for a reader.
        define_lazy_tokens(&result, &Uint8Array::from(encoding.tokens.joined().as_bytes()), &Uint32Array::from(&lengths[..]));
        set(&result, "offsets", &Uint32Array::from(&offsets[..]).into())?;
        set(&result, "typeIds", &Uint32Array::from(&encoding.type_ids[..]).into())?;
        set(&result, "specialTokensMask", &mask(&encoding.special_tokens_mask).into())?;
        set(&result, "attentionMask", &mask(&encoding.attention_mask).into())?;
        set(&result, "sequenceIds", &Int8Array::from(&sequence_ids[..]).into())?;
        Ok(result.into())
    }

    /// The ids `encode(text, options).ids` would give, as a `Uint32Array`, without building token
    /// strings, offsets or masks: the call to use when only ids are needed (what tiktoken's
    /// `encode` returns). Options and errors as `encode`.
    #[wasm_bindgen(js_name = encodeIds)]
    pub fn encode_ids(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        options: Option<EncodeOptions>,
    ) -> Result<Uint32Array, JsError> {
        let inner = &self.inner;
        let (ids, _, _) = run_encode(&text, options.as_deref(), |t, add| inner.encode_ids(t, add), |a, b, add| inner.encode_pair(a, b, add).map(|e| e.ids))?;
        Ok(Uint32Array::from(&ids[..]))
    }

    /// Number of tokens `encode` would give, without building token strings or offsets.
    pub fn count(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        options: Option<EncodeOptions>,
    ) -> Result<u32, JsError> {
        let inner = &self.inner;
        let (n, _, _) = run_encode(&text, options.as_deref(), |t, add| inner.count(t, add), |a, b, add| inner.count_pair(a, b, add))?;
        Ok(n as u32)
    }

    /// Text of `ids` (a `Uint32Array` or an array of non-negative integers). Unknown ids are
    /// skipped, as the reference does.
    pub fn decode(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint32Array | number[]")] ids: JsValue,
        options: Option<DecodeOptions>,
    ) -> Result<String, JsError> {
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

/// `TrainOptions` as JS spells them; unknown keys are an error (a typo must not train silently
/// with a default).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawTrainOptions {
    vocab_size: usize,
    #[serde(default)]
    transition: Option<usize>,
    #[serde(default = "paper_max_words")]
    max_words: Option<usize>,
    #[serde(default)]
    forbidden_substrings: Option<Vec<String>>,
    #[serde(default)]
    min_frequency: u64,
}

fn paper_max_words() -> Option<usize> {
    crate::trainer::TrainerConfig::default().max_words
}

fn train_config(options: &JsValue) -> Result<crate::trainer::TrainerConfig, JsError> {
    if !options.is_object() {
        return Err(error("train options must be an object such as { vocabSize: 8000 }"));
    }
    check_options(Some(options), &["vocabSize", "transition", "maxWords", "forbiddenSubstrings", "minFrequency"])?;
    let forbidden = Reflect::get(options, &JsValue::from_str("forbiddenSubstrings")).unwrap_or(JsValue::UNDEFINED);
    if !forbidden.is_undefined() && !Array::is_array(&forbidden) {
        return Err(error("train options: forbiddenSubstrings must be an array of strings"));
    }
    let raw: RawTrainOptions = serde_wasm_bindgen::from_value(options.clone())
        .map_err(|e| error(format!("train options: {}", e.to_string().trim_start_matches("Error: "))))?;
    let paper = crate::trainer::TrainerConfig::default();
    // serde reads `maxWords: undefined` as present and empty (no limit): undefined means unset.
    let max_words_given = !Reflect::get(options, &JsValue::from_str("maxWords")).unwrap_or(JsValue::UNDEFINED).is_undefined();
    Ok(crate::trainer::TrainerConfig {
        vocab_size: raw.vocab_size,
        transition: raw.transition,
        max_words: if max_words_given { raw.max_words } else { paper.max_words },
        forbidden_substrings: raw.forbidden_substrings.unwrap_or(paper.forbidden_substrings),
        min_frequency: raw.min_frequency,
    })
}

/// Runs `train` with a progress callback that calls `on_progress` (if a function); a `false`
/// from it cancels, an exception cancels and is rethrown.
fn with_progress<T>(
    on_progress: &JsValue,
    train: impl FnOnce(&mut dyn FnMut(&crate::trainer::Progress) -> bool) -> crate::Result<T>,
) -> Result<T, JsError> {
    let callback = on_progress.dyn_ref::<js_sys::Function>();
    if callback.is_none() && !on_progress.is_undefined() && !on_progress.is_null() {
        return Err(error("the progress callback must be a function"));
    }
    let mut thrown = None;
    let result = train(&mut |p| {
        let Some(callback) = callback else { return true };
        let Ok(report) = serde_wasm_bindgen::to_value(p) else { return true };
        match callback.call1(&JsValue::NULL, &report) {
            Ok(answer) => answer != JsValue::FALSE,
            Err(e) => {
                thrown = Some(e);
                false
            }
        }
    });
    if let Some(e) = thrown {
        let message = match (e.dyn_ref::<js_sys::Error>(), e.as_string()) {
            (Some(e), _) => String::from(e.message()),
            (None, Some(s)) => s,
            (None, None) => format!("{e:?}"),
        };
        return Err(error(format!("training stopped: the progress callback threw: {message}")));
    }
    result.map_err(error)
}

/// Training text a wasm `Trainer` takes: stage 2 holds about 50 bytes per byte of distinct lines
/// (472 MiB for the 9.4 MB job), so 64 MiB stays under the 4 GiB a wasm32 memory can have; past it
/// an allocation would trap instead of throwing.
const MAX_TRAINING_BYTES: u64 = 64 << 20;

/// A BPE / SuperBPE trainer reproducing the reference trainers (`tokenscope::trainer`): feed it
/// text, then train BPE, and SuperBPE at any transition point, without reading the text again.
#[wasm_bindgen(js_name = Trainer)]
pub struct WasmTrainer {
    inner: crate::trainer::Trainer,
}

#[wasm_bindgen(js_class = Trainer)]
impl WasmTrainer {
    /// An empty trainer.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmTrainer {
        WasmTrainer { inner: crate::trainer::Trainer::new() }
    }

    /// Counts the pieces of `text` (one file: read line by line, each line with its `\n`, as the
    /// reference `train_from_files`). Throws on a lone surrogate, and once more than 64 MiB of
    /// UTF-8 text would have been fed (see [`MAX_TRAINING_BYTES`]).
    pub fn feed(&mut self, #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> Result<(), JsError> {
        let text = text_of(&text, "training text")?;
        if self.inner.bytes() + text.len() as u64 > MAX_TRAINING_BYTES {
            return Err(error(format!(
                "the training text would be {} bytes, over the {} MiB that training in WebAssembly's 4 GiB of memory can hold (about 50 bytes of memory per byte of text); train with the CLI (`tokenscope train`)",
                self.inner.bytes() + text.len() as u64,
                MAX_TRAINING_BYTES >> 20
            )));
        }
        self.inner.feed(&text).map_err(error)
    }

    /// Checks `options` as `trainBpe` / `trainSuperBpe` would, without training (so that a page
    /// can refuse a bad filter before a long BPE run). Throws the same Errors.
    #[wasm_bindgen(js_name = checkOptions)]
    pub fn check_options(#[wasm_bindgen(unchecked_param_type = "TrainOptions")] options: JsValue) -> Result<(), JsError> {
        train_config(&options)?.check().map_err(error)
    }

    /// UTF-8 bytes fed so far.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> f64 {
        self.inner.bytes() as f64
    }

    /// Trains byte-level BPE to `options.vocabSize` (the reference `BpeTrainer`). `onProgress`
    /// gets a `TrainProgress` about every 1% of the merges; returning `false` cancels (throws
    /// "training was cancelled"). Throws when nothing was fed or an option is wrong.
    #[wasm_bindgen(js_name = trainBpe)]
    pub fn train_bpe(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TrainOptions")] options: JsValue,
        #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "(progress: TrainProgress) => boolean | void")] on_progress: JsValue,
    ) -> Result<WasmTrained, JsError> {
        let config = train_config(&options)?;
        with_progress(&on_progress, |p| self.inner.train_bpe(&config, p)).map(|inner| WasmTrained { inner })
    }

    /// Trains SuperBPE (the paper's two stages): the merges of `subwords` (a `trainBpe` result on
    /// this trainer, with a vocab of at least `options.transition`) up to the transition point,
    /// replayed on whole lines, then superword merges to `options.vocabSize`. Progress and
    /// cancelling as `trainBpe`. Throws when `transition` is missing or past either vocab size.
    #[wasm_bindgen(js_name = trainSuperBpe)]
    pub fn train_superbpe(
        &self,
        subwords: &WasmTrained,
        #[wasm_bindgen(unchecked_param_type = "TrainOptions")] options: JsValue,
        #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "(progress: TrainProgress) => boolean | void")] on_progress: JsValue,
    ) -> Result<WasmTrained, JsError> {
        let config = train_config(&options)?;
        with_progress(&on_progress, |p| self.inner.train_superbpe(&subwords.inner, &config, p)).map(|inner| WasmTrained { inner })
    }
}

impl Default for WasmTrainer {
    fn default() -> Self {
        WasmTrainer::new()
    }
}

/// A trained BPE or SuperBPE model.
#[wasm_bindgen(js_name = TrainedModel)]
pub struct WasmTrained {
    inner: crate::trainer::Trained,
}

#[wasm_bindgen(js_class = TrainedModel)]
impl WasmTrained {
    /// A complete `tokenizer.json` (as the reference's `Tokenizer.save`), for `Tokenizer.fromJSON`
    /// or a download.
    #[wasm_bindgen(js_name = tokenizerJSON)]
    pub fn tokenizer_json(&self) -> String {
        self.inner.tokenizer_json()
    }

    /// `vocab.json` as the reference's `model.save` writes it.
    #[wasm_bindgen(js_name = vocabJSON)]
    pub fn vocab_json(&self) -> String {
        self.inner.vocab_json()
    }

    /// `merges.txt` as the reference's `model.save` writes it.
    #[wasm_bindgen(js_name = mergesTxt)]
    pub fn merges_txt(&self) -> String {
        self.inner.merges_txt()
    }

    /// Vocab size, alphabet included.
    #[wasm_bindgen(getter, js_name = vocabSize)]
    pub fn vocab_size(&self) -> u32 {
        self.inner.vocab_size() as u32
    }

    /// Number of merges.
    #[wasm_bindgen(getter, js_name = mergeCount)]
    pub fn merge_count(&self) -> u32 {
        self.inner.merge_count() as u32
    }

    /// True for SuperBPE.
    #[wasm_bindgen(getter, js_name = isSuperBpe)]
    pub fn is_superbpe(&self) -> bool {
        self.inner.is_superbpe()
    }
}
