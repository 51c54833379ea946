#!/usr/bin/env bash
# The whole test suite (`npm test` runs scripts/setup.sh first; `npm run test:only` skips it).
# Mocha over test/**/*.test.ts (.mocharc.json) with scripts/mocha-reporter.js: spec output, then
# exactly one last line `tests: N passed, N failed[, N skipped]`. Exit status non-zero when
# anything failed. Extra arguments go to mocha (e.g. a file, or --grep conv2d).
# Environment given to the tests:
#   JUPYTER_PATH     finds the project-local kernel spec in .jupyter-local first
#   TSCNN_PYTHON     the Python that has Jupyter (nbclient, jupyter_kernel_test)
#   TSCNN_CHROMIUM   the Chromium/Chrome binary, when there is one
#   TSCNN_ARTIFACTS  where tests write screenshots, executed notebooks etc. ($ROOT/test-artifacts)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deps.sh
source "$ROOT/scripts/deps.sh"
cd "$ROOT"

JUPYTER_PATH=$(tscnn_jupyter_path "$ROOT"); export JUPYTER_PATH
PY=$(tscnn_find_python || true); [ -n "$PY" ] && export TSCNN_PYTHON="$PY"
CHROMIUM=$(tscnn_find_chromium || true); [ -n "$CHROMIUM" ] && export TSCNN_CHROMIUM="$CHROMIUM"
export TSCNN_ARTIFACTS="${TSCNN_ARTIFACTS:-$ROOT/test-artifacts}"
mkdir -p "$TSCNN_ARTIFACTS"

TSCNN_SUMMARY_FILE=$(mktemp "${TMPDIR:-/tmp}/tscnn-summary.XXXXXX"); export TSCNN_SUMMARY_FILE
trap 'rm -f "$TSCNN_SUMMARY_FILE"' EXIT

MOCHA="$ROOT/node_modules/.bin/mocha"
if [ ! -x "$MOCHA" ]; then
  echo "test: $MOCHA not found; run 'npm run setup' (or 'npm test') first" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
# --exit: a test that leaves a kernel or server running must not hang CI after the summary.
"$MOCHA" --reporter "$ROOT/scripts/mocha-reporter.js" --exit "$@" 2>&1
status=$?
if [ ! -s "$TSCNN_SUMMARY_FILE" ]; then
  # Mocha stopped before reporting (a test file failed to load, a bad option, a crash).
  echo "test: mocha exited with status $status before finishing the run (see above)" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
exit "$status"
