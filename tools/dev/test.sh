#!/usr/bin/env bash
# Runs every test: native Rust (unit, golden vectors, reported cases, errors), the wasm build
# under wasm-bindgen-test (Node and headless Chromium), the JS tests of the built package, the
# page and the Vite example app in Chromium. Installs what is missing first (tools/dev/setup.sh);
# the tests themselves run offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/dev/setup.sh

echo "== native: cargo test"
cargo test

echo "== wasm: wasm-bindgen-test in Node and headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=300 \
  cargo test --target wasm32-unknown-unknown --test wasm_node --test wasm_browser

echo "== js: the built package (node --test)"
node --test tests/js/

echo "== example: the Vite app that uses the package (vite build)"
npm --prefix examples/vite-app run build --silent

echo "== page and example app: Chromium end to end (node --test)"
node --test tests/browser/
