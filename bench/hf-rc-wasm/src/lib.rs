//! A thin wasm-bindgen wrapper around the reference's 1.0 release candidate, so the benchmark can
//! load the same `tokenizer.json` into it and tokenscope and time both. No tokenization logic here.

use tokenizers::pipeline::{EncodeOptions, Override, PipelineToken, PipelineTokenizer};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct HfRcTokenizer {
    inner: PipelineTokenizer,
    options: EncodeOptions,
    /// Reused across calls, as the rc's `encode_into` is meant to be used in a loop.
    out: Vec<PipelineToken>,
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
impl HfRcTokenizer {
    /// Parses a `tokenizer.json`. The rc reads only its canonical form, so the file is upgraded
    /// first (`canonicalize_str`), as its docs say to.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(json: &str) -> Result<HfRcTokenizer, JsError> {
        let canonical = tokenizers::canonicalize_str(json).map_err(js_error)?;
        let inner = tokenizers::from_json(&canonical).map_err(js_error)?;
        // No special tokens, and the file's truncation and padding off, so ids compare in full.
        let options = EncodeOptions {
            add_special_tokens: false,
            padding: Override::Off,
            truncation: Override::Off,
            ..EncodeOptions::default()
        };
        Ok(HfRcTokenizer { inner, options, out: Vec::new() })
    }

    /// Token ids of `text` (a `Uint32Array`), through the rc's `encode_into`: ids only, no
    /// `Encoding`, the rc's fastest path.
    pub fn encode(&mut self, text: &str) -> Result<Vec<u32>, JsError> {
        self.out.clear();
        self.inner.encode_into(text, &self.options, &mut self.out).map_err(js_error)?;
        Ok(PipelineToken::cast_slice(&self.out).to_vec())
    }
}

/// Size of this instance's linear memory in bytes (it only grows), for the memory column.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}
