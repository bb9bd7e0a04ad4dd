//! wasm-bindgen tests in Node: the core compiled to wasm32 gives the reference's golden values.
//! Run with `cargo test --target wasm32-unknown-unknown --test wasm_node`.
#![cfg(target_arch = "wasm32")]

mod wasm_common;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn golden_gpt2_in_node() {
    wasm_common::check_golden(wasm_common::GPT2_JSON, wasm_common::GPT2_GOLDEN);
}

#[wasm_bindgen_test]
fn golden_superbpe_t180k_in_node() {
    wasm_common::check_golden(wasm_common::T180K_JSON, wasm_common::T180K_GOLDEN);
}

#[wasm_bindgen_test]
fn superword_in_node() {
    wasm_common::check_superword();
}
