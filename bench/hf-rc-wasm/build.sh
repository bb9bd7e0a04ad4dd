#!/usr/bin/env bash
# Builds the reference's 1.0 release candidate (crates.io, see Cargo.toml) to wasm for `npm run
# bench`: release build, then `wasm-bindgen --target nodejs` into bench/hf-rc-wasm/pkg/ (gitignored,
# as is target/). Needs the wasm32 target and wasm-bindgen-cli 0.2.130 (tools/dev/setup.sh installs
# both). About 2-3 minutes cold on 2 cores; seconds when nothing changed.
# No RUSTFLAGS, unlike bench/hf-wasm/build.sh: the rc's random source is getrandom 0.4 (through
# ahash and rand), whose `wasm_js` backend ahash turns on for wasm32 and which needs no cfg.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen --target nodejs --out-dir pkg --out-name hf_rc_tokenizers \
  target/wasm32-unknown-unknown/release/hf_rc_tokenizers_wasm.wasm
# The nodejs output is CommonJS; the repo's package.json says "type": "module".
echo '{"type":"commonjs"}' > pkg/package.json
echo "built bench/hf-rc-wasm/pkg/ ($(wc -c < pkg/hf_rc_tokenizers_bg.wasm) bytes of wasm)"
