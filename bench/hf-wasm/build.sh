#!/usr/bin/env bash
# Builds the reference `tokenizers` crate (crates.io, see Cargo.toml) to wasm for `npm run bench`:
# release build, then `wasm-bindgen --target nodejs` into bench/hf-wasm/pkg/ (gitignored, as is
# target/). Needs the wasm32 target and wasm-bindgen-cli 0.2.130 (tools/dev/setup.sh installs both).
# About 3-6 minutes cold on 2 cores; seconds when nothing changed.
set -euo pipefail
cd "$(dirname "$0")"
# getrandom 0.3 (a dependency of tokenizers) picks its wasm backend from this cfg; the crate
# feature `unstable_wasm` turns on getrandom/wasm_js, which only compiles the backend in.
export RUSTFLAGS="${RUSTFLAGS:-} --cfg getrandom_backend=\"wasm_js\""
cargo build --release --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target nodejs --out-dir pkg --out-name hf_tokenizers \
  target/wasm32-unknown-unknown/release/hf_tokenizers_wasm.wasm
# The nodejs output is CommonJS; the repo's package.json says "type": "module".
echo '{"type":"commonjs"}' > pkg/package.json
echo "built bench/hf-wasm/pkg/ ($(wc -c < pkg/hf_tokenizers_bg.wasm) bytes of wasm)"
