#!/usr/bin/env bash
# `npm run slides`: every notebook as reveal.js slides under build/slides/en/ and build/slides/zh/,
# working offline (reveal.js, require.js, jQuery and MathJax copied into build/slides/lib/, relative
# URLs). Uses the executed notebooks in build/executed/ (from `npm run course`) when they are newer
# than the source; executes the others first on the tscnn kernel. Arguments: notebook paths (default all).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JUPYTER_PATH=${JUPYTER_PATH:-$ROOT/.jupyter-local/share/jupyter}
exec /usr/bin/python3 "$ROOT/scripts/course/build.py" --slides "$@"
