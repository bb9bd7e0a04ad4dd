#!/usr/bin/env bash
# Builds the npm package into pkg/: the wasm core (wasm-bindgen, web target), the browser and
# Node entries, and the TypeScript types. Needs the wasm32 target and wasm-bindgen-cli at the
# crate's exact version (tools/dev/setup.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --target wasm32-unknown-unknown --lib
rm -rf pkg
wasm-bindgen --target web --remove-name-section --remove-producers-section \
  --out-dir pkg --out-name tokenscope target/wasm32-unknown-unknown/release/tokenscope.wasm
cp js/browser.js js/node.js pkg/
echo "built pkg/ ($(wc -c < pkg/tokenscope_bg.wasm) bytes of wasm, $(gzip -9c pkg/tokenscope_bg.wasm | wc -c) gzipped)"
