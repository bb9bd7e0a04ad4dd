#!/usr/bin/env bash
# Builds the npm package into pkg/: three wasm modules (wasm-bindgen, web target), each with its
# browser and Node entry and its TypeScript types:
#   pkg/        `tokenscope`:       encoding, lean (cargo feature "wasm-tokenizer" alone): no regex
#               engine and no Unicode normalization tables. Loads GPT-2, cl100k, o200k, Llama 2
#               and 3, Gemma, OLMo 2 and SuperBPE; refuses files that need either (Qwen's NFC,
#               DeepSeek V3's regexes, BERT's normalizer, T5's Precompiled) with an error naming
#               `tokenscope/full`.
#   pkg/full/   `tokenscope/full`:  encoding, every component ("wasm-tokenizer", "regex",
#               "unicode-normalization"); the page uses it.
#   pkg/chat/   `tokenscope/chat`:  the full entry and chat templates ("chat": minijinja, +230 KB
#               gzipped, which users who count plain text should not download)
#   pkg/train/  `tokenscope/train`: the trainer and compile/decompile ("train", "regex",
#               "unicode-normalization": compile loads the file it compiles), loaded only by who
#               imports it
# Needs the wasm32 target and wasm-bindgen-cli at the crate's exact version (tools/dev/setup.sh
# installs both). Each entry builds in a target directory of its own: all would write the same
# target/…/tokenscope.wasm, and cargo rebuilds a cdylib whenever its features change, so one
# shared directory would recompile every module on every build (~30 s each instead of ~1 s).
set -euo pipefail
cd "$(dirname "$0")/../.."
wasm=wasm32-unknown-unknown/release/tokenscope.wasm
bindgen() { wasm-bindgen --target web --remove-name-section --remove-producers-section "$@"; }
sizes() { echo "$(wc -c < "$1") bytes of wasm, $(gzip -9c "$1" | wc -c) gzipped"; }
build() { cargo build --release --target wasm32-unknown-unknown --lib --no-default-features "$@"; }

rm -rf pkg
build --features wasm-tokenizer
bindgen --out-dir pkg --out-name tokenscope "target/$wasm"
cp js/browser.js js/node.js js/init-guard.js js/api.js js/tokenizer-worker.js js/worker-serve.js js/worker-browser.js js/worker-node.js pkg/

build --features wasm-tokenizer,regex,unicode-normalization,lab --target-dir target/full
bindgen --out-dir pkg/full --out-name tokenscope "target/full/$wasm"
cp js/browser.js js/node.js js/init-guard.js js/api.js js/tokenizer-worker.js js/worker-serve.js js/worker-browser.js js/worker-node.js pkg/full/

build --features wasm-tokenizer,regex,unicode-normalization,chat,lab --target-dir target/chat
bindgen --out-dir pkg/chat --out-name tokenscope "target/chat/$wasm"
cp js/browser.js js/node.js js/init-guard.js js/api.js js/tokenizer-worker.js js/worker-serve.js js/worker-browser.js js/worker-node.js pkg/chat/

build --features train,regex,unicode-normalization --target-dir target/train
bindgen --out-dir pkg/train --out-name tokenscope_train "target/train/$wasm"
cp js/train/browser.js js/train/node.js js/train/index.d.ts pkg/train/

echo "built pkg/ ($(sizes pkg/tokenscope_bg.wasm)), pkg/full/ ($(sizes pkg/full/tokenscope_bg.wasm)), pkg/chat/ ($(sizes pkg/chat/tokenscope_bg.wasm)) and pkg/train/ ($(sizes pkg/train/tokenscope_train_bg.wasm))"
