#!/usr/bin/env bash
# Builds the npm package into pkg/: two wasm modules (wasm-bindgen, web target), each with its
# browser and Node entry and its TypeScript types:
#   pkg/        `tokenscope`:       encoding (cargo feature "wasm-tokenizer" alone)
#   pkg/train/  `tokenscope/train`: the trainer (feature "train" alone), loaded only by who imports it
# Needs the wasm32 target and wasm-bindgen-cli at the crate's exact version (tools/dev/setup.sh
# installs both). The training entry builds in a target directory of its own: both would write
# the same target/…/tokenscope.wasm, and cargo rebuilds a cdylib whenever its features change, so
# one shared directory would recompile both modules on every build (~30 s instead of ~1 s).
set -euo pipefail
cd "$(dirname "$0")/../.."
wasm=target/wasm32-unknown-unknown/release/tokenscope.wasm
bindgen() { wasm-bindgen --target web --remove-name-section --remove-producers-section "$@"; }
sizes() { echo "$(wc -c < "$1") bytes of wasm, $(gzip -9c "$1" | wc -c) gzipped"; }

rm -rf pkg
cargo build --release --target wasm32-unknown-unknown --lib --no-default-features --features wasm-tokenizer
bindgen --out-dir pkg --out-name tokenscope "$wasm"
cp js/browser.js js/node.js js/init-guard.js pkg/

cargo build --release --target wasm32-unknown-unknown --lib --no-default-features --features train --target-dir target/train
bindgen --out-dir pkg/train --out-name tokenscope_train "target/train/${wasm#target/}"
cp js/train/browser.js js/train/node.js js/train/index.d.ts pkg/train/

echo "built pkg/ ($(sizes pkg/tokenscope_bg.wasm)) and pkg/train/ ($(sizes pkg/train/tokenscope_train_bg.wasm))"
