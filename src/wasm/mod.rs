//! The WebAssembly binding: an adapter with no tokenization logic. `Tokenizer` lives in
//! `tokenizer.rs` (feature `wasm-tokenizer`: the npm package's `tokenscope` entry), `Trainer` in
//! `trainer.rs` (feature `train`: its `tokenscope/train` entry); this module holds what both take
//! from JS.
//!
//! Offsets cross to JavaScript as **UTF-16 code units** (what `String.slice` takes); the Rust API
//! keeps UTF-8 bytes. Every failure is thrown as a JS `Error` with a message; text with a lone
//! surrogate is refused rather than silently replaced by U+FFFD.

#[cfg(feature = "wasm-tokenizer")]
mod budget;
#[cfg(all(feature = "wasm-tokenizer", feature = "chat"))]
mod chat;
#[cfg(all(feature = "wasm-tokenizer", feature = "lab"))]
mod lab;
#[cfg(feature = "wasm-tokenizer")]
mod tokenizer;
#[cfg(feature = "train")]
mod trainer;

use js_sys::{JsString, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/js/encoding.js")]
extern "C" {
    /// Whether a JS string has no lone surrogate (js/encoding.js).
    #[wasm_bindgen(js_name = isWellFormed)]
    pub(crate) fn is_well_formed(text: &JsString) -> bool;
    /// `TextEncoder.encodeInto(text, into)`: the UTF-8 of `text` written into `into`, which must
    /// hold 3 bytes per UTF-16 unit; returns the bytes written (js/encoding.js).
    #[wasm_bindgen(js_name = encodeInto)]
    fn encode_into(text: &JsString, into: &js_sys::Uint8Array) -> u32;
}

/// The bytes of a `Uint8Array` or an `ArrayBuffer`, copied into wasm memory; `what` names the
/// function in the error for anything else.
pub(crate) fn bytes_of(value: &JsValue, what: &str) -> Result<Vec<u8>, JsError> {
    let bytes = if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        bytes.clone()
    } else if value.is_instance_of::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(value)
    } else {
        return Err(error(format!("{what} takes a Uint8Array or an ArrayBuffer")));
    };
    check_file_size(bytes.length() as usize)?;
    Ok(bytes.to_vec())
}

// Sizes past which a call would run out wasm32's 4 GiB of memory, where an allocation failure is
// a trap (`RuntimeError: unreachable`), not an error, and the memory it grew stays grown. A trial
// found the edges: `encode` trapped at 90 million chars (45 million tokens, ~70 bytes of memory
// each), `decode` at 120 million ids, `fromBytes` at 2.5 GB.

/// Largest tokenizer file `fromJSON` / `fromBytes` take (real files are under 40 MB).
pub(crate) const MAX_FILE_BYTES: usize = 1 << 30;
/// Largest text (UTF-8 bytes, both sequences of a pair) `encode` takes: a token per byte at worst,
/// ~70 bytes of memory per token, under 4 GiB. `encodeIds` with a pair too (it encodes whole).
#[cfg(feature = "wasm-tokenizer")]
pub(crate) const MAX_ENCODE_BYTES: usize = 32 << 20;
/// Largest text `count` takes: the core's own limit.
#[cfg(feature = "wasm-tokenizer")]
pub(crate) const MAX_COUNT_BYTES: usize = 1 << 30;
/// Largest text `encodeIds` takes: 4 bytes of ids per byte of text at worst.
#[cfg(feature = "wasm-tokenizer")]
pub(crate) const MAX_ENCODE_IDS_BYTES: usize = 256 << 20;
/// Most ids `decode` takes.
#[cfg(feature = "wasm-tokenizer")]
pub(crate) const MAX_DECODE_IDS: usize = 32 << 20;

pub(crate) fn check_file_size(len: usize) -> Result<(), JsError> {
    if len > MAX_FILE_BYTES {
        return Err(error(format!("a tokenizer file of {len} bytes is over the {} MiB limit", MAX_FILE_BYTES >> 20)));
    }
    Ok(())
}

pub(crate) fn error(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

/// Bytes of the input buffer: texts of up to a third as many UTF-16 units (16,384) are written
/// into it; longer ones into a vector of their own.
const INPUT_BYTES: usize = 48 * 1024;

/// The buffer short texts cross into, kept across calls with a view of it made once: the view, a
/// JS `Uint8Array` made per call, cost about as much as counting a 10-word text.
///
/// No borrow of it is held across a call into JS: a JS exception (a stack overflow, a throwing
/// getter) unwinds through wasm without running Rust's drops, and a borrow left behind would make
/// every later call trap. A [`Text`] lost that way takes the buffer with it; the next short text
/// finds an empty vector and allocates a new one.
struct Input {
    /// Empty (capacity 0) while a [`Text`] holds the buffer: the second text of a pair, or a call
    /// after a lost one, then takes a new vector.
    bytes: Vec<u8>,
    /// A view of `bytes` and the address it was made for. Made again when `bytes` moved or when
    /// wasm memory grew (a grown memory detaches old views: their length reads 0).
    view: Option<(js_sys::Uint8Array, usize)>,
}

thread_local! {
    static INPUT: std::cell::RefCell<Input> = const { std::cell::RefCell::new(Input { bytes: Vec::new(), view: None }) };
}

/// A JS string's UTF-8, from [`text_of`]; a short one lives in the input buffer, handed back on
/// drop.
pub(crate) struct Text {
    text: String,
    reused: bool,
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        if self.reused {
            let mut bytes = std::mem::take(&mut self.text).into_bytes();
            bytes.clear();
            INPUT.with(|input| input.borrow_mut().bytes = bytes);
        }
    }
}

/// The JS string as Rust text; a lone surrogate is an error naming its UTF-16 index.
///
/// `TextEncoder.encodeInto` writes the UTF-8 straight into wasm memory: wasm-bindgen's own
/// conversion copies ASCII one char at a time in a JS loop first, which took a third of the time
/// of `count` on English text. It writes U+FFFD for a lone surrogate, so the JS string is examined
/// unit by unit (one call across the boundary per unit) only when the converted text holds a
/// U+FFFD: ordinary text pays nothing for the check.
pub(crate) fn text_of(value: &JsValue, what: &str) -> Result<Text, JsError> {
    let s: &JsString = value.dyn_ref().ok_or_else(|| error(format!("{what} must be a string")))?;
    let room = (s.length() as usize).checked_mul(3).ok_or_else(|| error(format!("{what} is too long")))?;
    let reused = room <= INPUT_BYTES;
    let (mut bytes, written) = if reused {
        let (mut bytes, view) = INPUT.with(|input| {
            let mut input = input.borrow_mut();
            (std::mem::take(&mut input.bytes), input.view.take())
        });
        bytes.reserve_exact(INPUT_BYTES);
        let at = bytes.as_mut_ptr() as usize;
        let view = match view {
            Some((view, made_at)) if made_at == at && view.length() as usize == INPUT_BYTES => view,
            // SAFETY: the view covers the vector's spare capacity (it stays allocated, in `INPUT`
            // or in a `Text`, and is checked against the address before each use).
            _ => unsafe { js_sys::Uint8Array::view_mut_raw(bytes.as_mut_ptr(), INPUT_BYTES) },
        };
        // Nothing allocates in wasm memory (which could move or grow it) while `encodeInto` runs:
        // it only writes into the view.
        let written = encode_into(s, &view) as usize;
        INPUT.with(|input| input.borrow_mut().view = Some((view, at)));
        (bytes, written)
    } else {
        let mut bytes: Vec<u8> = Vec::new();
        // A text too long for wasm memory is an error, not a trap.
        bytes.try_reserve_exact(room).map_err(|_| error(format!("{what} of {} UTF-16 units does not fit in wasm memory", s.length())))?;
        // SAFETY: as above, for the vector's spare capacity.
        let written = unsafe { encode_into(s, &js_sys::Uint8Array::view_mut_raw(bytes.as_mut_ptr(), room)) } as usize;
        (bytes, written)
    };
    // SAFETY: `encodeInto` wrote `written` bytes (at most the view's length, within the spare
    // capacity) of UTF-8 by definition (the WHATWG Encoding standard: lone surrogates become
    // U+FFFD).
    let text = Text {
        text: unsafe {
            bytes.set_len(written.min(bytes.capacity()));
            String::from_utf8_unchecked(bytes)
        },
        reused,
    };
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

/// Checks that `options` is absent or an object whose keys are all in `allowed`, so that
/// `{ add_special_tokens: true }` (the Python spelling) is not silently ignored.
pub(crate) fn check_options(options: Option<&JsValue>, allowed: &[&str]) -> Result<(), JsError> {
    let Some(options) = options else { return Ok(()) };
    let object: &Object = options.dyn_ref().ok_or_else(|| error("options must be an object"))?;
    if let Some(key) = Object::keys(object).iter().filter_map(|k| k.as_string()).find(|k| !allowed.contains(&k.as_str())) {
        return Err(error(format!("unknown option {key:?}; the options are {}", allowed.join(", "))));
    }
    Ok(())
}

/// Option `name` of `options`, `None` when absent or undefined.
#[cfg(feature = "train")]
pub(crate) fn option_of(options: Option<&JsValue>, name: &str) -> Option<JsValue> {
    let value = js_sys::Reflect::get(options?, &JsValue::from_str(name)).ok()?;
    (!value.is_undefined()).then_some(value)
}
