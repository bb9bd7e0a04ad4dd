//! `Trainer` and `TrainedModel` for JavaScript (feature `train`), over [`crate::train`]: the npm
//! package's `tokenscope/train` entry.

use super::{bytes_of, check_options, error, option_of, text_of};
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_TRAIN_TYPES: &'static str = r#"
/** Settings of `Trainer.trainBpe` / `Trainer.trainSuperBpe` (see `tokenscope::train`). */
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
/** Options of `new Trainer(options)`. */
export interface TrainerOptions {
  /**
   * Stage 2's split pattern (`Split`, `Isolated`, then `ByteLevel`; no `Digits`) instead of the
   * paper's digit groups, as the SuperBPE authors' `train_tokenizer.py --regex_string` since
   * November 2025; their scripts pass `"\p{N}{1,3}| ?[^\s\p{L}\p{N}]{2,}[\r\n/]*| +(?!\S)"`.
   */
  stage2Pattern?: string;
}
/** Options of `Trainer.extend`: `TrainOptions` (`transition` aside) and how many merges to take. */
export interface ExtendOptions extends TrainOptions {
  /** The base tokenizer's first this many merges are inherited (default: all of them). */
  inherit?: number;
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
"#;

#[wasm_bindgen]
extern "C" {
    /// `TrainOptions`, declared in the TypeScript section above.
    #[wasm_bindgen(typescript_type = "TrainOptions")]
    pub type TrainOptions;
    /// `(progress: TrainProgress) => boolean | void`: returning `false` cancels training.
    #[wasm_bindgen(typescript_type = "(progress: TrainProgress) => boolean | void")]
    pub type ProgressCallback;
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
    crate::train::TrainerConfig::default().max_words
}

fn train_config(options: &JsValue) -> Result<crate::train::TrainerConfig, JsError> {
    train_config_with(options, &[])
}

/// [`train_config`], with `extra` keys allowed (read by the caller).
fn train_config_with(options: &JsValue, extra: &[&str]) -> Result<crate::train::TrainerConfig, JsError> {
    if !options.is_object() {
        return Err(error("train options must be an object such as { vocabSize: 8000 }"));
    }
    let mut keys = vec!["vocabSize", "transition", "maxWords", "forbiddenSubstrings", "minFrequency"];
    keys.extend_from_slice(extra);
    check_options(Some(options), &keys)?;
    // serde refuses unknown fields: the extra ones are read apart, so leave them out here.
    let options = &if extra.is_empty() {
        options.clone()
    } else {
        let copy = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
        for key in extra {
            let _ = Reflect::delete_property(&copy, &JsValue::from_str(key));
        }
        copy.into()
    };
    let forbidden = Reflect::get(options, &JsValue::from_str("forbiddenSubstrings")).unwrap_or(JsValue::UNDEFINED);
    if !forbidden.is_undefined() && !Array::is_array(&forbidden) {
        return Err(error("train options: forbiddenSubstrings must be an array of strings"));
    }
    let raw: RawTrainOptions = serde_wasm_bindgen::from_value(options.clone())
        .map_err(|e| error(format!("train options: {}", e.to_string().trim_start_matches("Error: "))))?;
    let paper = crate::train::TrainerConfig::default();
    // serde reads `maxWords: undefined` as present and empty (no limit): undefined means unset.
    let max_words_given = !Reflect::get(options, &JsValue::from_str("maxWords")).unwrap_or(JsValue::UNDEFINED).is_undefined();
    Ok(crate::train::TrainerConfig {
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
    train: impl FnOnce(&mut dyn FnMut(&crate::train::Progress) -> bool) -> crate::Result<T>,
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

/// A BPE / SuperBPE trainer reproducing the reference trainers (`tokenscope::train`): feed it
/// text, then train BPE, and SuperBPE at any transition point, without reading the text again.
#[wasm_bindgen(js_name = Trainer)]
pub struct WasmTrainer {
    inner: crate::train::Trainer,
}

#[wasm_bindgen(js_class = Trainer)]
impl WasmTrainer {
    /// An empty trainer; `options.stage2Pattern` sets stage 2's split pattern (see
    /// `TrainerOptions`). Throws on an unknown option or a pattern that is not a valid regex.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_optional_param_type = "TrainerOptions")] options: Option<JsValue>) -> Result<WasmTrainer, JsError> {
        let options = options.filter(|o| !o.is_undefined() && !o.is_null());
        check_options(options.as_ref(), &["stage2Pattern"])?;
        let inner = match option_of(options.as_ref(), "stage2Pattern") {
            Some(p) => crate::train::Trainer::with_stage2_pattern(&p.as_string().ok_or_else(|| error("option stage2Pattern must be a string"))?).map_err(error)?,
            None => crate::train::Trainer::new(),
        };
        Ok(WasmTrainer { inner })
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

    /// SuperBPE's stage 2 from an existing byte-level BPE, as the SuperBPE authors'
    /// `extend_existing_tokenizer.sh`: the first `options.inherit` merges of `base` (all by
    /// default; a `tokenizer.json` as text or bytes, or a compiled tokenizer) replayed on this
    /// trainer's text, then superword merges to `options.vocabSize`. The result has ids of its
    /// own (see `tokenscope::train::Trainer::extend`). Progress and cancelling as `trainBpe`.
    /// Throws when `base` does not load or is not a byte-level BPE, or an option is wrong.
    pub fn extend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] base: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ExtendOptions")] options: JsValue,
        #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "(progress: TrainProgress) => boolean | void")] on_progress: JsValue,
    ) -> Result<WasmTrained, JsError> {
        let config = train_config_with(&options, &["inherit"])?;
        if config.transition.is_some() {
            return Err(error("extend starts stage 2 from the base tokenizer's merges: transition has no place there (inherit takes its first N)"));
        }
        let inherit = match Reflect::get(&options, &JsValue::from_str("inherit")).unwrap_or(JsValue::UNDEFINED) {
            v if v.is_undefined() || v.is_null() => None,
            v => Some(v.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0).ok_or_else(|| error("option inherit must be a non-negative integer"))? as usize),
        };
        let base = match base.as_string() {
            Some(json) => crate::Tokenizer::from_json(&json),
            None => crate::Tokenizer::from_bytes(&bytes_of(&base, "Trainer.extend")?),
        }
        .map_err(|e| error(format!("the base tokenizer: {e}")))?;
        with_progress(&on_progress, |p| self.inner.extend(&base, inherit, &config, p)).map(|inner| WasmTrained { inner })
    }
}

impl Default for WasmTrainer {
    fn default() -> Self {
        WasmTrainer { inner: crate::train::Trainer::new() }
    }
}

/// A trained BPE or SuperBPE model.
#[wasm_bindgen(js_name = TrainedModel)]
pub struct WasmTrained {
    inner: crate::train::Trained,
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

/// The compiled form of a `tokenizer.json` (its text or bytes), as `tokenscope compile` writes
/// it: the same tokenizer (every golden case gives the same ids, tokens, offsets and decode) in
/// about a quarter of the gzipped bytes, which `Tokenizer.fromBytes` of the `tokenscope` entry
/// loads without parsing JSON. Here, in the build-time entry, so that the encoding wasm does not
/// carry it. Throws as `Tokenizer.fromJSON` for a file that does not load.
#[wasm_bindgen]
pub fn compile(#[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] json: JsValue) -> Result<js_sys::Uint8Array, JsError> {
    let text = match json.as_string() {
        Some(text) => text,
        None => {
            let bytes = bytes_of(&json, "compile").map_err(|_| error("compile takes a string, a Uint8Array or an ArrayBuffer"))?;
            if crate::Tokenizer::is_compiled(&bytes) {
                return Err(error("these bytes are already a compiled tokenizer"));
            }
            String::from_utf8(bytes).map_err(|e| error(format!("tokenizer.json is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to())))?
        }
    };
    crate::Tokenizer::compile(&text).map(|bytes| js_sys::Uint8Array::from(&bytes[..])).map_err(error)
}

/// The `tokenizer.json` text of a compiled tokenizer, which the reference `tokenizers` loads and
/// encodes as the original (key order and spacing differ; merges are `["a", "b"]` pairs). Throws
/// for bytes that are not a sound compiled tokenizer.
#[wasm_bindgen]
pub fn decompile(#[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue) -> Result<String, JsError> {
    crate::Tokenizer::decompile(&bytes_of(&bytes, "decompile")?).map_err(error)
}
