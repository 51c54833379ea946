#!/usr/bin/env bash
# Serve the course: Jupyter Notebook on notebooks/, with the project-local kernel spec on
# JUPYTER_PATH, bound to 127.0.0.1, token auth on. Prints the URL (with its token) once the
# server answers. `npm start` runs scripts/setup.sh first.
# Environment: PORT (default 8888), TSCNN_TOKEN (default: a fresh random token),
#   TSCNN_PYTHON (the Python that has Jupyter; see scripts/deps.sh), TSCNN_WIDGETS (widget front-end
#   generation 6/7/8; default 6 when Debian's widgets nbextension is installed),
#   TSCNN_NOTEBOOK_DIR (default notebooks/; the widget browser test serves its own).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deps.sh
source "$ROOT/scripts/deps.sh"

PY=$(tscnn_find_python || true)
if [ -z "$PY" ] || ! tscnn_python_ok "$PY"; then
  echo "[serve] no Python with Jupyter found${PY:+ (TSCNN_PYTHON=$PY)}: run 'npm run setup' to see what to install" >&2
  exit 1
fi
JUPYTER_PATH=$(tscnn_jupyter_path "$ROOT"); export JUPYTER_PATH
PORT=${PORT:-8888}
# The token goes through the environment (Notebook 6 reads JUPYTER_TOKEN), not argv, so `ps`
# does not show it to other users of the machine.
JUPYTER_TOKEN=${TSCNN_TOKEN:-$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))')}
export JUPYTER_TOKEN

args=(-m notebook "--notebook-dir=${TSCNN_NOTEBOOK_DIR:-$ROOT/notebooks}" --no-browser --ip=127.0.0.1 "--port=$PORT"
  --NotebookApp.port_retries=0)   # fail on a busy port rather than serve where we did not print
# Containers and CI machines run as root; Jupyter refuses that unless told.
[ "$(id -u)" = 0 ] && args+=(--allow-root)
if [ -f "$ROOT/.jupyter-local/share/jupyter/kernels/tscnn/kernel.json" ]; then
  args+=(--MappingKernelManager.default_kernel_name=tscnn)
else
  echo "[serve] WARNING: the 'tscnn' kernel spec is not installed (.jupyter-local); notebooks cannot run TypeScript" >&2
fi

# Widgets: Debian's nbextension (ipywidgets 6 front end, enabled system-wide by its nbconfig file)
# speaks widget protocol 1; the kernel inherits TSCNN_WIDGETS and creates widgets that way. Its
# own detection (the front end's jupyter.widget.version comm) comes too late for a front end that
# connects before the first widget exists, so the server says which front end it serves.
if tscnn_widgets_nbextension >/dev/null; then
  export TSCNN_WIDGETS=${TSCNN_WIDGETS:-6}
else
  echo "[serve] note: Debian's widgets nbextension (jupyter-nbextension-jupyter-js-widgets) is not installed: widgets show as text" >&2
fi

# Without a terminal (CI, `npm start </dev/null`), give Jupyter an empty stdin rather than none.
if [ -t 0 ]; then "$PY" "${args[@]}" & else "$PY" "${args[@]}" </dev/null & fi
pid=$!
stopping=0
stop() { stopping=1; kill -TERM "$pid" 2>/dev/null || true; }
trap stop INT TERM HUP

# Wait until the port answers (or Jupyter exits: busy port, bad config), then print the URL.
for _ in $(seq 1 600); do
  kill -0 "$pid" 2>/dev/null || break
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    cat <<MSG

  ============================================================================
   tscnn is serving the course ($ROOT/notebooks). Open:

     http://127.0.0.1:$PORT/notebooks/index.ipynb?token=$JUPYTER_TOKEN

   (the landing page: every lesson in English and in 简体中文)

   Stop it with Ctrl+C.
  ============================================================================

MSG
    break
  fi
  sleep 0.2
done

status=0
wait "$pid" || status=$?
# A trapped signal interrupts `wait` before Jupyter has finished shutting down: wait again.
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || status=$?; done
[ "$stopping" = 1 ] && exit 0   # stopped on request (Ctrl+C, kill): not an error
[ "$status" = 0 ] || echo "[serve] Jupyter exited with status $status" >&2
exit "$status"
