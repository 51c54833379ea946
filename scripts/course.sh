#!/usr/bin/env bash
# `npm run course`: execute every notebook on the tscnn kernel, fail on any error output, sign the
# executed notebooks (so Notebook 6 shows their scripts: plotly, live charts) and write
#   build/executed/LANG/NAME.ipynb  build/html/LANG/NAME.html  build/slides/LANG/NAME.slides.html (+ lib/)
# Arguments: notebook paths (default: notebooks/en/*.ipynb and notebooks/zh/*.ipynb); the outputs
# of notebooks/<lang>/NAME.ipynb go to build/{executed,html,slides}/<lang>/, build/index.html links all.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JUPYTER_PATH=${JUPYTER_PATH:-$ROOT/.jupyter-local/share/jupyter}
if [ ! -f "$JUPYTER_PATH/kernels/tscnn/kernel.json" ]; then
  echo "[course] the tscnn kernel spec is not installed under $JUPYTER_PATH: run 'npm run setup'" >&2
  exit 1
fi
exec /usr/bin/python3 "$ROOT/scripts/course/build.py" --execute --html --slides "$@"
