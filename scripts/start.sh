#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and serves the page; prints its URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node scripts/serve.mjs "$@"
