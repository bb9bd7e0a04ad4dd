#!/usr/bin/env bash
# Sets everything up (tools/dev/setup.sh) and serves the page; prints its URL.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/dev/setup.sh
exec node tools/dev/serve.mjs "$@"
