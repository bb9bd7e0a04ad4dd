#!/usr/bin/env bash
# Builds tools/reference/superbpe-fork/main.rs against a checkout of the SuperBPE paper's fork of
# `tokenizers` (github.com/alisawuffles/tokenizers-superbpe): FORK=/path/to/checkout.
# Prints the path of the binary. Used by tools/reference/gen_trainer_golden.py (SUPERBPE_FORK_BIN).
set -euo pipefail
: "${FORK:?set FORK to a checkout of the SuperBPE fork of tokenizers}"
here="$(cd "$(dirname "$0")" && pwd)"
work="${TMPDIR:-/tmp}/superbpe-fork-driver"
mkdir -p "$work/src"
cp "$here/main.rs" "$work/src/main.rs"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "superbpe-fork"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
tokenizers = { path = "$FORK/tokenizers", default-features = false, features = ["onig"] }

[profile.release]
debug = false
TOML
cargo build --release --quiet --manifest-path "$work/Cargo.toml" >&2
echo "$work/target/release/superbpe-fork"
