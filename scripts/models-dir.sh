#!/usr/bin/env bash
# Prints the directory of the real models (../shared/models beside the
# repository, or beside the repository it was cloned from, or
# $PEX_MODELS_DIR), or nothing when there is none.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -n "${PEX_MODELS_DIR:-}" ]; then
  echo "$PEX_MODELS_DIR"
  exit 0
fi
origin="$(git -C "$root" config --get remote.origin.url 2>/dev/null || true)"
for candidate in "$root/../shared/models" ${origin:+"$origin/../shared/models"}; do
  if [ -d "$candidate" ]; then
    (cd "$candidate" && pwd)
    exit 0
  fi
done
