//! A thin wasm-bindgen wrapper around the published `tokenizers` crate, with the same shape as
//! tokenscope's `Tokenizer` (`fromJSON`, `encode`, `count`), so the benchmark can load the same
//! `tokenizer.json` into both and time them side by side. No tokenization logic lives here.

use tokenizers::{ModelWrapper, Tokenizer};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct HfTokenizer {
    inner: Tokenizer,
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen]
impl HfTokenizer {
    /// Parses a `tokenizer.json` (as the reference's `Tokenizer::from_str`).
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(json: &str) -> Result<HfTokenizer, JsError> {
        let inner: Tokenizer = json.parse().map_err(js_error)?;
        Ok(HfTokenizer { inner })
    }

    /// Token ids of `text`, no special tokens added. Uses the reference's `encode`, which also
    /// builds tokens and byte offsets, as tokenscope's `encode` does.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, JsError> {
        let enc = self.inner.encode(text, false).map_err(js_error)?;
        Ok(enc.get_ids().to_vec())
    }

    /// Number of tokens of `text`, through the reference's fastest path (`encode_fast`: no
    /// offsets). The reference has no count-only API, so this still builds an `Encoding`.
    pub fn count(&self, text: &str) -> Result<u32, JsError> {
        let enc = self.inner.encode_fast(text, false).map_err(js_error)?;
        Ok(enc.len() as u32)
    }

    /// Empties the BPE cache (words under 256 bytes, 10,000 of them by default), so that a timed
    /// run over text already encoded is not a run of cache hits.
    #[wasm_bindgen(js_name = clearCache)]
    pub fn clear_cache(&self) {
        if let ModelWrapper::BPE(bpe) = self.inner.get_model() {
            bpe.clear_cache();
        }
    }

    /// Turns the model's cache off (capacity 0), for the worst-case inputs repeated call after call.
    #[wasm_bindgen(js_name = disableCache)]
    pub fn disable_cache(&mut self) {
        let mut model = self.inner.get_model().clone();
        model.resize_cache(0);
        self.inner.with_model(model);
    }
}

/// Size of this instance's linear memory in bytes (it only grows), for the memory column.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}
