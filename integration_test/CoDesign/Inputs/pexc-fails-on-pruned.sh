#!/bin/sh
# Stands in for pexc and pex-opt (by the name it is called under): runs the real tool
# from $PEX_REAL_BIN_DIR, except that pexc fails, as a compiler defect would, on
# pex-prune's output (a file named pex-prune.mlir).
name=$(basename "$0")
if [ "$name" = pexc ]; then
  for arg in "$@"; do
    case "$arg" in
      */pex-prune.mlir)
        echo "pexc: error: internal: simulated failure on $arg" >&2
        exit 1 ;;
    esac
  done
fi
exec "$PEX_REAL_BIN_DIR/$name" "$@"
