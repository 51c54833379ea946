#!/usr/bin/env bash
# `npm run course`: execute every notebook on the tscnn kernel, fail on any error output, sign the
# executed notebooks (so Notebook 6 shows their scripts: plotly, live charts) and write
#   build/executed/NAME.ipynb   build/html/NAME.html   build/slides/NAME.slides.html (+ lib/)
# Arguments: notebook paths (default: notebooks/*.ipynb).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JUPYTER_PATH=${JUPYTER_PATH:-$ROOT/.jupyter-local/share/jupyter}
if [ ! -f "$JUPYTER_PATH/kernels/tscnn/kernel.json" ]; then
  echo "[course] the tscnn kernel spec is not installed under $JUPYTER_PATH: run 'npm run setup'" >&2
  exit 1
fi
exec /usr/bin/python3 "$ROOT/scripts/course/build.py" --execute --html --slides "$@"
